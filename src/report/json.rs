//! `metrics.json`: the [`Metrics`] schema, pretty-printed with a trailing newline so that a
//! committed baseline diffs cleanly.

use std::path::Path;

use anyhow::{Context, Result};

use crate::eval::metrics::Metrics;
use crate::util::write_atomic;

/// The text of metrics.json.
pub fn render(metrics: &Metrics) -> Result<String> {
    let mut text = serde_json::to_string_pretty(metrics).context("cannot serialise the metrics")?;
    text.push('\n');
    Ok(text)
}

/// Write metrics.json to `path` atomically.
pub fn write(path: &Path, metrics: &Metrics) -> Result<()> {
    write_atomic(path, render(metrics)?.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn pretty_with_trailing_newline_and_nulls_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("metrics.json");
        write(&p, &fixtures::empty_metrics()).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.ends_with("}\n"));
        assert!(text.contains("\n  \"schema_version\": 1,"));
        assert!(
            text.contains("\"accuracy\": null"),
            "a metric without labels is null, not 0"
        );
    }
}
