//! CI gate checks: limits on the run's own metrics (`--max-escalation-rate`,
//! `--min-intent-accuracy`, `--max-retrieval-miss-rate`, `--max-cost-per-conversation`) and
//! regressions against a committed baseline metrics.json (`--baseline FILE --tolerance R`).
//!
//! Rules:
//! - A limit is inclusive: a value equal to its limit passes.
//! - A check on a metric that could not be computed (`null`: no labels, no turns) **fails** and
//!   says why: a gate on a metric that was not measured must not silently pass.
//! - A baseline check whose baseline value is `null` is skipped: it passes, and its message says
//!   it was skipped (its `limit` is then 0).
//! - Each check's message is one sentence for people: "escalation rate 0.312 > limit 0.250".
//!
//! [`regressions`] is shared with `supportbench compare`.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::eval::accumulate::round6;
use crate::eval::metrics::{GateCheck, GateResult, Metrics, SCHEMA_VERSION};

/// Differences smaller than this are rounding, not a failed check.
const EPS: f64 = 1e-9;

/// The limits given on the command line; `None` = not checked.
#[derive(Debug, Clone, Default)]
pub struct GateLimits {
    pub max_escalation_rate: Option<f64>,
    pub min_intent_accuracy: Option<f64>,
    pub max_retrieval_miss_rate: Option<f64>,
    /// Rupees.
    pub max_cost_per_conversation: Option<f64>,
    /// The baseline's path (for messages) and its metrics.
    pub baseline: Option<(String, Metrics)>,
    /// Allowed regression against the baseline, absolute (0.02 = 2 points).
    pub tolerance: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    /// The value must be at most the limit.
    Max,
    /// The value must be at least the limit.
    Min,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Rate,
    Inr,
}

/// One metric a gate can check.
struct Metric {
    /// For messages: "escalation rate".
    what: &'static str,
    bound: Bound,
    unit: Unit,
    /// Why the metric can be null, for messages.
    null_reason: &'static str,
    /// How to make a null metric measurable.
    null_fix: &'static str,
    get: fn(&Metrics) -> Option<f64>,
}

const ESCALATION_RATE: Metric = Metric {
    what: "escalation rate",
    bound: Bound::Max,
    unit: Unit::Rate,
    null_reason: "no conversations were replayed",
    null_fix: "check the tickets file",
    get: |m| m.escalation.rate,
};

const INTENT_ACCURACY: Metric = Metric {
    what: "intent accuracy",
    bound: Bound::Min,
    unit: Unit::Rate,
    null_reason: "no expected_intent labels",
    null_fix: "add labels",
    get: |m| m.intent.accuracy,
};

const RETRIEVAL_MISS_RATE: Metric = Metric {
    what: "retrieval miss rate",
    bound: Bound::Max,
    unit: Unit::Rate,
    null_reason: "no bot turns were run",
    null_fix: "check the tickets file",
    get: |m| m.retrieval.miss_rate,
};

const COST_PER_CONVERSATION: Metric = Metric {
    what: "cost per conversation",
    bound: Bound::Max,
    unit: Unit::Inr,
    null_reason: "no conversations were replayed",
    null_fix: "check the tickets file",
    get: |m| m.cost.per_conversation_inr,
};

/// Run every check `limits` asks for, limits first, then the baseline checks.
pub fn evaluate(metrics: &Metrics, limits: &GateLimits) -> GateResult {
    let mut checks = Vec::new();
    let limit_checks = [
        (
            "max_escalation_rate",
            "--max-escalation-rate",
            &ESCALATION_RATE,
            limits.max_escalation_rate,
        ),
        (
            "min_intent_accuracy",
            "--min-intent-accuracy",
            &INTENT_ACCURACY,
            limits.min_intent_accuracy,
        ),
        (
            "max_retrieval_miss_rate",
            "--max-retrieval-miss-rate",
            &RETRIEVAL_MISS_RATE,
            limits.max_retrieval_miss_rate,
        ),
        (
            "max_cost_per_conversation",
            "--max-cost-per-conversation",
            &COST_PER_CONVERSATION,
            limits.max_cost_per_conversation,
        ),
    ];
    for (name, flag, metric, limit) in limit_checks {
        if let Some(limit) = limit {
            checks.push(limit_check(
                name,
                flag,
                metric,
                (metric.get)(metrics),
                limit,
            ));
        }
    }
    if let Some((path, baseline)) = &limits.baseline {
        for mut c in regressions(baseline, metrics, limits.tolerance) {
            c.message = format!("{} (baseline {path})", c.message);
            checks.push(c);
        }
    }
    GateResult {
        passed: checks.iter().all(|c| c.passed),
        checks,
    }
}

fn limit_check(name: &str, flag: &str, m: &Metric, value: Option<f64>, limit: f64) -> GateCheck {
    let mut check = GateCheck {
        name: name.to_string(),
        value,
        limit,
        passed: false,
        message: String::new(),
    };
    if !limit.is_finite() {
        check.message =
            format!("the limit {limit} of {flag} is not a number: pass a value such as 0.25");
        return check;
    }
    let Some(v) = value else {
        check.message = format!(
            "{} is null ({}): {} or drop {flag}",
            m.what, m.null_reason, m.null_fix
        );
        return check;
    };
    check.passed = within(v, limit, m.bound);
    let (vs, ls) = fmt_pair(v, limit, m.unit);
    check.message = format!(
        "{} {vs} {} limit {ls}",
        m.what,
        relation(check.passed, m.bound)
    );
    check
}

/// Regression checks of `candidate` against `baseline`: escalation rate and retrieval miss rate
/// may rise, and intent accuracy fall, by at most `tolerance` (absolute).
pub fn regressions(baseline: &Metrics, candidate: &Metrics, tolerance: f64) -> Vec<GateCheck> {
    [
        ("baseline_escalation_rate", &ESCALATION_RATE),
        ("baseline_intent_accuracy", &INTENT_ACCURACY),
        ("baseline_retrieval_miss_rate", &RETRIEVAL_MISS_RATE),
    ]
    .into_iter()
    .map(|(name, m)| regression_check(name, m, (m.get)(baseline), (m.get)(candidate), tolerance))
    .collect()
}

fn regression_check(
    name: &str,
    m: &Metric,
    baseline: Option<f64>,
    candidate: Option<f64>,
    tolerance: f64,
) -> GateCheck {
    let mut check = GateCheck {
        name: name.to_string(),
        value: candidate,
        limit: 0.0,
        passed: false,
        message: String::new(),
    };
    let Some(b) = baseline else {
        check.passed = true;
        check.message = format!("skipped: the baseline has no {} (null)", m.what);
        return check;
    };
    let (limit, sign) = match m.bound {
        Bound::Max => (round6(b + tolerance), '+'),
        Bound::Min => (round6(b - tolerance), '-'),
    };
    check.limit = limit;
    if !tolerance.is_finite() {
        check.message =
            format!("the tolerance {tolerance} is not a number: pass a value such as 0.02");
        return check;
    }
    let Some(c) = candidate else {
        let (bs, _) = fmt_pair(b, b, m.unit);
        check.message = format!(
            "{} is null in this run ({}) but {bs} in the baseline: {} as in the baseline run",
            m.what, m.null_reason, m.null_fix
        );
        return check;
    };
    check.passed = within(c, limit, m.bound);
    let (cs, ls) = fmt_pair(c, limit, m.unit);
    let d = decimals(&ls);
    check.message = format!(
        "{} {cs} {} baseline {} {sign} tolerance {}",
        m.what,
        relation(check.passed, m.bound),
        fmt_num(b, d, m.unit),
        fmt_num(tolerance, d, m.unit)
    );
    check
}

fn within(v: f64, limit: f64, bound: Bound) -> bool {
    match bound {
        Bound::Max => v <= limit + EPS,
        Bound::Min => v >= limit - EPS,
    }
}

fn relation(passed: bool, bound: Bound) -> &'static str {
    match (bound, passed) {
        (Bound::Max, false) => ">",
        (Bound::Max, true) => "<=",
        (Bound::Min, false) => "<",
        (Bound::Min, true) => ">=",
    }
}

/// `value` and `limit` with the fewest decimals (3 for rates, 4 for rupees, up to 6) that tell
/// them apart, so a message never reads "0.250 > limit 0.250".
fn fmt_pair(value: f64, limit: f64, unit: Unit) -> (String, String) {
    let start = match unit {
        Unit::Rate => 3,
        Unit::Inr => 4,
    };
    let mut d = start;
    while d < 6 && (value - limit).abs() > EPS && fmt_num(value, d, unit) == fmt_num(limit, d, unit)
    {
        d += 1;
    }
    (fmt_num(value, d, unit), fmt_num(limit, d, unit))
}

fn fmt_num(v: f64, decimals: usize, unit: Unit) -> String {
    let v = if v == 0.0 { 0.0 } else { v };
    match unit {
        Unit::Rate => format!("{v:.decimals$}"),
        Unit::Inr => format!("₹{v:.decimals$}"),
    }
}

fn decimals(formatted: &str) -> usize {
    formatted.split_once('.').map(|(_, f)| f.len()).unwrap_or(0)
}

/// Load the baseline metrics.json given to `--baseline`.
pub fn load_baseline(path: &Path) -> Result<Metrics> {
    load_metrics(path, "baseline")
}

/// Load a metrics.json written by `supportbench eval`. `role` names the file in errors
/// ("baseline", "candidate"). Errors name the file and the fix: a missing file, a file that is
/// not JSON, a schema_version other than 1, or JSON that is not a metrics.json.
pub fn load_metrics(path: &Path, role: &str) -> Result<Metrics> {
    let shown = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "{role} metrics file {shown} not found: pass the metrics.json that `supportbench eval` writes to its --out folder"
        ),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read the {role} metrics file {shown}"))
        }
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{role} metrics file {shown} is not valid JSON ({e}): pass the metrics.json that `supportbench eval` writes"
        )
    })?;
    match value.get("schema_version").map(|v| (v, v.as_u64())) {
        None => bail!(
            "{role} metrics file {shown} has no schema_version: it is not a supportbench metrics.json; pass the metrics.json that `supportbench eval` writes"
        ),
        Some((_, Some(v))) if v == u64::from(SCHEMA_VERSION) => {}
        Some((v, _)) => bail!(
            "{role} metrics file {shown} has schema_version {v}, but this supportbench reads schema_version {SCHEMA_VERSION}: regenerate it with `supportbench eval` from this version"
        ),
    }
    serde_json::from_str::<Metrics>(&text).map_err(|e| {
        anyhow::anyhow!(
            "{role} metrics file {shown} is not a supportbench metrics.json (schema_version {SCHEMA_VERSION}): {e}; regenerate it with `supportbench eval`"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::accumulate::tests::{fixture_metrics, params};

    /// The fixture run: escalation rate 0.75, accuracy 0.5, miss rate 0.166667, ₹0.11625 per
    /// conversation.
    fn run() -> Metrics {
        fixture_metrics(params())
    }

    fn only(m: &Metrics, limits: GateLimits) -> GateCheck {
        let r = evaluate(m, &limits);
        assert_eq!(r.checks.len(), 1, "{r:?}");
        assert_eq!(r.passed, r.checks[0].passed);
        r.checks[0].clone()
    }

    #[test]
    fn no_limits_no_checks() {
        let r = evaluate(&run(), &GateLimits::default());
        assert!(r.passed);
        assert!(r.checks.is_empty());
    }

    #[test]
    fn max_escalation_rate() {
        let c = only(
            &run(),
            GateLimits {
                max_escalation_rate: Some(0.5),
                ..Default::default()
            },
        );
        assert_eq!(c.name, "max_escalation_rate");
        assert_eq!(c.value, Some(0.75));
        assert_eq!(c.limit, 0.5);
        assert!(!c.passed);
        assert_eq!(c.message, "escalation rate 0.750 > limit 0.500");
        let c = only(
            &run(),
            GateLimits {
                max_escalation_rate: Some(0.75),
                ..Default::default()
            },
        );
        assert!(c.passed, "equal to the limit passes");
        assert_eq!(c.message, "escalation rate 0.750 <= limit 0.750");
    }

    #[test]
    fn close_values_get_enough_decimals() {
        let mut m = run();
        m.escalation.rate = Some(0.2504);
        let c = only(
            &m,
            GateLimits {
                max_escalation_rate: Some(0.25),
                ..Default::default()
            },
        );
        assert_eq!(c.message, "escalation rate 0.2504 > limit 0.2500");
    }

    #[test]
    fn min_intent_accuracy() {
        let c = only(
            &run(),
            GateLimits {
                min_intent_accuracy: Some(0.6),
                ..Default::default()
            },
        );
        assert_eq!(c.name, "min_intent_accuracy");
        assert!(!c.passed);
        assert_eq!(c.message, "intent accuracy 0.500 < limit 0.600");
        let c = only(
            &run(),
            GateLimits {
                min_intent_accuracy: Some(0.5),
                ..Default::default()
            },
        );
        assert!(c.passed);
        assert_eq!(c.message, "intent accuracy 0.500 >= limit 0.500");
    }

    #[test]
    fn null_metric_fails_and_says_why() {
        let mut m = run();
        m.intent.accuracy = None;
        let c = only(
            &m,
            GateLimits {
                min_intent_accuracy: Some(0.8),
                ..Default::default()
            },
        );
        assert!(!c.passed);
        assert_eq!(c.value, None);
        assert_eq!(
            c.message,
            "intent accuracy is null (no expected_intent labels): add labels or drop --min-intent-accuracy"
        );
        m.retrieval.miss_rate = None;
        let c = only(
            &m,
            GateLimits {
                max_retrieval_miss_rate: Some(0.1),
                ..Default::default()
            },
        );
        assert!(!c.passed);
        assert!(
            c.message.contains("--max-retrieval-miss-rate"),
            "{}",
            c.message
        );
    }

    #[test]
    fn max_retrieval_miss_rate() {
        let c = only(
            &run(),
            GateLimits {
                max_retrieval_miss_rate: Some(0.1),
                ..Default::default()
            },
        );
        assert_eq!(c.name, "max_retrieval_miss_rate");
        assert!(!c.passed);
        assert_eq!(c.message, "retrieval miss rate 0.167 > limit 0.100");
        let c = only(
            &run(),
            GateLimits {
                max_retrieval_miss_rate: Some(0.2),
                ..Default::default()
            },
        );
        assert!(c.passed);
    }

    #[test]
    fn max_cost_per_conversation() {
        let c = only(
            &run(),
            GateLimits {
                max_cost_per_conversation: Some(0.1),
                ..Default::default()
            },
        );
        assert_eq!(c.name, "max_cost_per_conversation");
        assert_eq!(c.value, Some(0.11625));
        assert!(!c.passed);
        assert_eq!(c.message, "cost per conversation ₹0.1163 > limit ₹0.1000");
        let c = only(
            &run(),
            GateLimits {
                max_cost_per_conversation: Some(1.0),
                ..Default::default()
            },
        );
        assert!(c.passed);
        assert_eq!(c.message, "cost per conversation ₹0.1163 <= limit ₹1.0000");
    }

    #[test]
    fn not_a_number_limit_fails() {
        let c = only(
            &run(),
            GateLimits {
                max_escalation_rate: Some(f64::NAN),
                ..Default::default()
            },
        );
        assert!(!c.passed);
        assert!(c.message.contains("not a number"), "{}", c.message);
    }

    #[test]
    fn all_limits_in_order_and_passed_is_all() {
        let limits = GateLimits {
            max_escalation_rate: Some(0.8),
            min_intent_accuracy: Some(0.4),
            max_retrieval_miss_rate: Some(0.2),
            max_cost_per_conversation: Some(0.2),
            baseline: None,
            tolerance: 0.02,
        };
        let r = evaluate(&run(), &limits);
        let names: Vec<&str> = r.checks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "max_escalation_rate",
                "min_intent_accuracy",
                "max_retrieval_miss_rate",
                "max_cost_per_conversation"
            ]
        );
        assert!(r.passed);
        let r = evaluate(
            &run(),
            &GateLimits {
                min_intent_accuracy: Some(0.9),
                ..limits
            },
        );
        assert!(!r.passed);
        assert_eq!(r.checks.iter().filter(|c| !c.passed).count(), 1);
    }

    #[test]
    fn baseline_regressions() {
        let base = run();
        let mut cand = run();
        cand.escalation.rate = Some(0.8); // +0.05 > tolerance 0.02
        cand.intent.accuracy = Some(0.49); // -0.01: within tolerance
        cand.retrieval.miss_rate = Some(0.1); // better
        let checks = regressions(&base, &cand, 0.02);
        let names: Vec<&str> = checks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "baseline_escalation_rate",
                "baseline_intent_accuracy",
                "baseline_retrieval_miss_rate"
            ]
        );
        assert!(!checks[0].passed);
        assert_eq!(checks[0].limit, 0.77);
        assert_eq!(
            checks[0].message,
            "escalation rate 0.800 > baseline 0.750 + tolerance 0.020"
        );
        assert!(checks[1].passed);
        assert_eq!(checks[1].limit, 0.48);
        assert_eq!(
            checks[1].message,
            "intent accuracy 0.490 >= baseline 0.500 - tolerance 0.020"
        );
        assert!(checks[2].passed);

        cand.intent.accuracy = Some(0.45);
        let checks = regressions(&base, &cand, 0.02);
        assert!(!checks[1].passed);
        assert_eq!(
            checks[1].message,
            "intent accuracy 0.450 < baseline 0.500 - tolerance 0.020"
        );

        cand.retrieval.miss_rate = Some(0.186667); // exactly baseline + tolerance
        assert!(regressions(&base, &cand, 0.02)[2].passed);
        cand.retrieval.miss_rate = Some(0.2);
        assert!(!regressions(&base, &cand, 0.02)[2].passed);
    }

    #[test]
    fn evaluate_names_the_baseline_file() {
        let base = run();
        let mut cand = run();
        cand.escalation.rate = Some(0.9);
        let limits = GateLimits {
            baseline: Some(("ci/baseline.json".into(), base)),
            tolerance: 0.02,
            ..Default::default()
        };
        let r = evaluate(&cand, &limits);
        assert_eq!(r.checks.len(), 3);
        assert!(!r.passed);
        assert_eq!(
            r.checks[0].message,
            "escalation rate 0.900 > baseline 0.750 + tolerance 0.020 (baseline ci/baseline.json)"
        );
    }

    #[test]
    fn null_baseline_is_skipped_null_candidate_fails() {
        let mut base = run();
        base.intent.accuracy = None;
        let cand = run();
        let c = &regressions(&base, &cand, 0.02)[1];
        assert!(c.passed);
        assert_eq!(
            c.message,
            "skipped: the baseline has no intent accuracy (null)"
        );

        let base = run();
        let mut cand = run();
        cand.intent.accuracy = None;
        let c = &regressions(&base, &cand, 0.02)[1];
        assert!(!c.passed);
        assert_eq!(
            c.message,
            "intent accuracy is null in this run (no expected_intent labels) but 0.500 in the baseline: add labels as in the baseline run"
        );
    }

    #[test]
    fn load_metrics_errors_name_the_file_and_fix() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.json");
        let e = load_baseline(&missing).unwrap_err().to_string();
        assert!(
            e.contains("baseline metrics file")
                && e.contains("nope.json")
                && e.contains("not found"),
            "{e}"
        );

        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{ not json").unwrap();
        let e = load_baseline(&bad).unwrap_err().to_string();
        assert!(
            e.contains("bad.json") && e.contains("not valid JSON") && e.contains("line 1"),
            "{e}"
        );

        let v2 = dir.path().join("v2.json");
        std::fs::write(&v2, r#"{"schema_version": 2}"#).unwrap();
        let e = load_baseline(&v2).unwrap_err().to_string();
        assert!(
            e.contains("v2.json") && e.contains("schema_version 2") && e.contains("regenerate"),
            "{e}"
        );

        let none = dir.path().join("none.json");
        std::fs::write(&none, r#"{"passed": true}"#).unwrap();
        let e = load_metrics(&none, "candidate").unwrap_err().to_string();
        assert!(
            e.starts_with("candidate metrics file") && e.contains("no schema_version"),
            "{e}"
        );

        let partial = dir.path().join("partial.json");
        std::fs::write(&partial, r#"{"schema_version": 1, "counts": {}}"#).unwrap();
        let e = load_baseline(&partial).unwrap_err().to_string();
        assert!(
            e.contains("partial.json") && e.contains("not a supportbench metrics.json"),
            "{e}"
        );
    }

    #[test]
    fn load_metrics_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("metrics.json");
        let m = run();
        std::fs::write(&p, serde_json::to_string_pretty(&m).unwrap()).unwrap();
        assert_eq!(load_baseline(&p).unwrap(), m);
    }
}
