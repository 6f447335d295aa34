//! YAML front matter at the top of an article (`---` … `---`).

use std::collections::BTreeMap;

use yaml_rust2::{Yaml, YamlLoader};

/// The parsed front matter and where the markdown body starts.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FrontMatter {
    /// Byte offset in the source where the body (after the closing fence) starts.
    pub body_start: usize,
    pub title: Option<String>,
    pub intent: Option<String>,
    /// Every other scalar key, as text (kept as metadata).
    pub meta: BTreeMap<String, String>,
    /// Set when the block exists but is not valid YAML (the block is still skipped).
    pub error: Option<String>,
}

/// Split front matter off `src` (which may start with a UTF-8 BOM). A block opens with `---` on
/// the first line and closes with a `---` or `...` line; without a closing line there is none.
pub fn parse(src: &str) -> FrontMatter {
    let start = if src.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let rest = &src[start..];
    let first_end = rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
    if rest[..first_end].trim_end() != "---" {
        return FrontMatter {
            body_start: start,
            ..Default::default()
        };
    }
    let mut pos = first_end;
    while pos < rest.len() {
        let line_end = rest[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(rest.len());
        let line = rest[pos..line_end].trim_end();
        if line == "---" || line == "..." {
            let yaml = &rest[first_end..pos];
            let mut fm = FrontMatter {
                body_start: start + line_end,
                ..Default::default()
            };
            fill(&mut fm, yaml);
            return fm;
        }
        pos = line_end;
    }
    FrontMatter {
        body_start: start,
        ..Default::default()
    }
}

fn fill(fm: &mut FrontMatter, yaml: &str) {
    let docs = match YamlLoader::load_from_str(yaml) {
        Ok(d) => d,
        Err(e) => {
            fm.error = Some(e.to_string());
            return;
        }
    };
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return;
    };
    for (k, v) in map {
        let Some(key) = k.as_str().map(str::to_string) else {
            continue;
        };
        let value = match &v {
            Yaml::String(s) => s.clone(),
            Yaml::Integer(i) => i.to_string(),
            Yaml::Real(r) => r.clone(),
            Yaml::Boolean(b) => b.to_string(),
            Yaml::Array(items) => items
                .iter()
                .filter_map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .or_else(|| i.as_i64().map(|n| n.to_string()))
                })
                .collect::<Vec<_>>()
                .join(", "),
            _ => continue,
        };
        match key.as_str() {
            "title" => fm.title = Some(value),
            "intent" => fm.intent = Some(value.trim().to_lowercase()),
            _ => {
                fm.meta.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_title_intent_and_meta() {
        let src = "---\ntitle: Refunds\nintent: Billing\ntags: [a, b]\n---\n# Body\n";
        let fm = parse(src);
        assert_eq!(fm.title.as_deref(), Some("Refunds"));
        assert_eq!(fm.intent.as_deref(), Some("billing"));
        assert_eq!(fm.meta.get("tags").map(String::as_str), Some("a, b"));
        assert_eq!(&src[fm.body_start..], "# Body\n");
    }

    #[test]
    fn no_front_matter_starts_at_zero() {
        assert_eq!(parse("# Title\n").body_start, 0);
    }

    #[test]
    fn unclosed_block_is_not_front_matter() {
        assert_eq!(parse("---\ntitle: x\n# Title\n").body_start, 0);
    }

    #[test]
    fn bom_and_crlf() {
        let src = "\u{feff}---\r\ntitle: T\r\n---\r\nbody";
        let fm = parse(src);
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(&src[fm.body_start..], "body");
    }

    #[test]
    fn invalid_yaml_is_reported_and_skipped() {
        let src = "---\ntitle: [unclosed\n---\nbody";
        let fm = parse(src);
        assert!(fm.error.is_some());
        assert_eq!(&src[fm.body_start..], "body");
    }
}
