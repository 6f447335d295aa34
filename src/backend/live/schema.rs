//! Checks a model's structured answer against the stage's JSON schema before anything reads it.
//! The subset the stage schemas use (`prompt.rs`): `type` (one or a list), `enum`, `minimum`,
//! `maximum`, `properties`, `required`, `additionalProperties: false` and `items`. A reply that
//! does not match is a failed stage, never a crash.

use serde_json::Value;

/// The first way `value` breaks `schema`, as "path: problem".
pub fn validate(value: &Value, schema: &Value) -> Result<(), String> {
    check(value, schema, "$")
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_matches(v: &Value, t: &str) -> bool {
    let actual = type_name(v);
    actual == t || (t == "number" && actual == "integer")
}

fn check(value: &Value, schema: &Value, path: &str) -> Result<(), String> {
    let short = |v: &Value| crate::util::truncate_chars(&v.to_string(), 60);
    match schema.get("type") {
        Some(Value::String(t)) if !type_matches(value, t) => {
            return Err(format!("{path}: expected {t}, got {}", type_name(value)));
        }
        Some(Value::Array(ts)) => {
            let ok = ts
                .iter()
                .filter_map(Value::as_str)
                .any(|t| type_matches(value, t));
            if !ok {
                let names: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
                return Err(format!(
                    "{path}: expected {}, got {}",
                    names.join(" or "),
                    type_name(value)
                ));
            }
        }
        _ => {}
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(value) {
            return Err(format!(
                "{path}: {} is not one of {}",
                short(value),
                short(&Value::Array(allowed.clone()))
            ));
        }
    }
    if let Some(x) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if x < min {
                return Err(format!("{path}: {x} is below the minimum {min}"));
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if x > max {
                return Err(format!("{path}: {x} is above the maximum {max}"));
            }
        }
    }
    if let Value::Object(map) = value {
        let props = schema.get("properties").and_then(Value::as_object);
        if let Some(Value::Array(req)) = schema.get("required") {
            for r in req.iter().filter_map(Value::as_str) {
                if !map.contains_key(r) {
                    return Err(format!("{path}: missing required field {r:?}"));
                }
            }
        }
        for (k, v) in map {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => check(v, sub, &format!("{path}.{k}"))?,
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return Err(format!("{path}: unexpected field {k:?}"));
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(sub)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            check(v, sub, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

/// The schema without the keywords structured-output modes reject (numeric bounds): the bound
/// moves into the description, as the vendors' SDKs do. The reply is still validated against
/// the full schema.
pub fn without_bounds(schema: &Value) -> Value {
    match schema {
        Value::Object(m) => {
            let mut out = serde_json::Map::new();
            let (min, max) = (m.get("minimum"), m.get("maximum"));
            for (k, v) in m {
                if k == "minimum" || k == "maximum" {
                    continue;
                }
                out.insert(k.clone(), without_bounds(v));
            }
            if let (Some(min), Some(max)) = (min, max) {
                let note = format!("between {min} and {max}");
                let d = match out.get("description").and_then(Value::as_str) {
                    Some(d) => format!("{d} ({note})"),
                    None => note,
                };
                out.insert("description".into(), Value::String(d));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(without_bounds).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::prompt;
    use serde_json::json;

    #[test]
    fn classify_answers() {
        let s = prompt::classify_schema(&["billing".into(), "technical".into()]);
        assert!(validate(
            &json!({"intent": "billing", "confidence": 0.9, "reasoning": "upi"}),
            &s
        )
        .is_ok());
        assert!(validate(
            &json!({"intent": "billing", "confidence": 1, "reasoning": ""}),
            &s
        )
        .is_ok());
        let e = validate(
            &json!({"intent": "refunds", "confidence": 0.9, "reasoning": ""}),
            &s,
        )
        .unwrap_err();
        assert!(e.contains("$.intent"), "{e}");
        let e = validate(
            &json!({"intent": "billing", "confidence": 1.5, "reasoning": ""}),
            &s,
        )
        .unwrap_err();
        assert!(e.contains("maximum"), "{e}");
        let e = validate(
            &json!({"intent": "billing", "confidence": "high", "reasoning": ""}),
            &s,
        )
        .unwrap_err();
        assert!(e.contains("expected number"), "{e}");
        let e = validate(&json!({"intent": "billing", "reasoning": ""}), &s).unwrap_err();
        assert!(e.contains("confidence"), "{e}");
        let e = validate(
            &json!({"intent": "billing", "confidence": 0.5, "reasoning": "", "x": 1}),
            &s,
        )
        .unwrap_err();
        assert!(e.contains("unexpected"), "{e}");
        assert!(validate(&json!(["billing"]), &s).is_err());
    }

    #[test]
    fn respond_answers() {
        let s = prompt::respond_schema();
        let ok = json!({"response": "r", "confidence": 0.8, "missing_info": null, "cited_docs": ["a.md"]});
        assert!(validate(&ok, &s).is_ok());
        let ok2 = json!({"response": "r", "confidence": 0.8, "missing_info": "order id", "cited_docs": []});
        assert!(validate(&ok2, &s).is_ok());
        let bad =
            json!({"response": "r", "confidence": 0.8, "missing_info": null, "cited_docs": [3]});
        assert!(validate(&bad, &s).unwrap_err().contains("cited_docs[0]"));
    }

    #[test]
    fn bounds_move_to_the_description() {
        let s = without_bounds(&prompt::respond_schema());
        let c = &s["properties"]["confidence"];
        assert!(c.get("minimum").is_none() && c.get("maximum").is_none());
        assert_eq!(c["description"], "between 0 and 1");
        assert_eq!(s["required"], prompt::respond_schema()["required"]);
    }
}
