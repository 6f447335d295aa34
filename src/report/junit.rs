//! `junit.xml`: the gate for CI systems, one `<testcase>` per gate check so a failed threshold
//! shows up in the CI's test view next to the unit tests. No timestamps or durations: identical
//! runs give identical files.

use std::fmt::Write as _;

use crate::eval::metrics::Metrics;

/// The JUnit XML of a run's gate checks.
pub fn render(metrics: &Metrics) -> String {
    let checks = &metrics.gate.checks;
    let tests = checks.len().max(1);
    let failures = checks.iter().filter(|c| !c.passed).count();
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"supportbench\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    let _ = writeln!(
        x,
        "  <testsuite name=\"supportbench gate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
    );
    if checks.is_empty() {
        x.push_str("    <testcase classname=\"supportbench.gate\" name=\"no_gate_checks\">\n");
        x.push_str(
            "      <system-out>no gate flags were given (--max-escalation-rate, --min-intent-accuracy, \
             --max-retrieval-miss-rate, --max-cost-per-conversation, --baseline): nothing was checked</system-out>\n",
        );
        x.push_str("    </testcase>\n");
    }
    for c in checks {
        let _ = writeln!(
            x,
            "    <testcase classname=\"supportbench.gate\" name=\"{}\">",
            esc(&c.name)
        );
        let value = c
            .value
            .map(|v| format!("{v:.4}"))
            .unwrap_or_else(|| "null (no labelled data)".into());
        let detail = format!("value {value}, limit {:.4}", c.limit);
        let message = if c.message.is_empty() {
            detail.clone()
        } else {
            c.message.clone()
        };
        if c.passed {
            let _ = writeln!(
                x,
                "      <system-out>{}: {}</system-out>",
                esc(&message),
                esc(&detail)
            );
        } else {
            let _ = writeln!(
                x,
                "      <failure message=\"{}\" type=\"gate\">{}</failure>",
                esc(&message),
                esc(&detail)
            );
        }
        x.push_str("    </testcase>\n");
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

/// Escape for XML text and attribute values; characters XML 1.0 forbids are dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::metrics::GateCheck;
    use crate::report::fixtures;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&fixtures::metrics()));
    }

    #[test]
    fn counts_tests_and_failures() {
        let mut m = fixtures::metrics();
        let xml = render(&m);
        assert!(xml.contains("<testsuite name=\"supportbench gate\" tests=\"3\" failures=\"1\""));
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert_eq!(xml.matches("<failure ").count(), 1);

        m.gate.checks.push(GateCheck {
            name: "baseline_<intent>_accuracy".into(),
            value: None,
            limit: 0.9,
            passed: false,
            message: "accuracy \"fell\" & more\u{1}".into(),
        });
        let xml = render(&m);
        assert!(xml.contains("tests=\"4\" failures=\"2\""));
        assert!(xml.contains("name=\"baseline_&lt;intent&gt;_accuracy\""));
        assert!(xml.contains("message=\"accuracy &quot;fell&quot; &amp; more\""));
        assert!(xml.contains("value null (no labelled data), limit 0.9000"));
    }

    #[test]
    fn no_checks_is_one_passing_case() {
        let xml = render(&fixtures::empty_metrics());
        assert!(xml.contains("tests=\"1\" failures=\"0\""));
        assert!(xml.contains("name=\"no_gate_checks\""));
        assert!(!xml.contains("<failure"));
    }
}
