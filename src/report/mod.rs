//! Reports, one format per file. `eval --out DIR` writes:
//!
//! | file           | module     | for                                                        |
//! |----------------|------------|------------------------------------------------------------|
//! | `metrics.json` | `json`     | machines: the [`Metrics`] schema, pretty-printed           |
//! | `summary.md`   | `markdown` | people and GitHub Actions step summaries                   |
//! | `tickets.csv`  | `csv`      | one row per turn, streamed while the replay runs           |
//! | `report.html`  | `html`     | one self-contained page with inline SVG charts, no network |
//! | `junit.xml`    | `junit`    | CI systems: one test case per gate check                   |
//!
//! `worst` picks the tickets the markdown and HTML reports show first. Every file is written to a
//! temporary path beside its destination and renamed into place, so an interrupted run leaves the
//! previous report whole. The formatting helpers below are shared so that a number reads the same
//! in every human-facing report.

pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod worst;

use std::path::Path;

use anyhow::{Context, Result};

use crate::eval::metrics::Metrics;
use crate::pipeline::trace::TurnRecord;
use crate::util::write_atomic;

pub const METRICS_JSON: &str = "metrics.json";
pub const SUMMARY_MD: &str = "summary.md";
pub const TICKETS_CSV: &str = "tickets.csv";
pub const REPORT_HTML: &str = "report.html";
pub const JUNIT_XML: &str = "junit.xml";

/// Write metrics.json, summary.md, report.html and junit.xml into `out_dir` (created when
/// missing), each atomically. tickets.csv is not written here: the caller streams it with
/// [`csv::TicketsCsvWriter`] while the replay runs.
pub fn write_reports(out_dir: &Path, metrics: &Metrics, worst: &[TurnRecord]) -> Result<()> {
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create the report folder {}", out_dir.display()))?;
    json::write(&out_dir.join(METRICS_JSON), metrics)?;
    let rendered = [
        (SUMMARY_MD, markdown::render(metrics, worst)),
        (REPORT_HTML, html::render(metrics, worst)),
        (JUNIT_XML, junit::render(metrics)),
    ];
    for (name, text) in rendered {
        write_atomic(&out_dir.join(name), text.as_bytes())?;
    }
    Ok(())
}

/// Shown for a metric that has no value (no labels, no turns): never 0, which would read as a
/// measured result.
pub(crate) const NONE: &str = "—";

/// A rate as a percentage with one decimal: `0.3125` → `31.3%`.
pub(crate) fn pct(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{:.1}%", v * 100.0),
        _ => NONE.to_string(),
    }
}

/// A score that is not a rate (MRR, relevance, confidence) with three decimals.
pub(crate) fn score(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.3}"),
        _ => NONE.to_string(),
    }
}

/// Rupees: two decimals from ₹1 up (with Indian digit grouping: ₹1,23,456.78), four below, and
/// `<₹0.0001` for a cost too small to show rather than a misleading ₹0.0000.
pub(crate) fn inr(v: f64) -> String {
    if !v.is_finite() {
        return NONE.to_string();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a == 0.0 {
        return "₹0.00".to_string();
    }
    if a < 0.00005 {
        return format!("{sign}<₹0.0001");
    }
    if a < 1.0 {
        return format!("{sign}₹{a:.4}");
    }
    let fixed = format!("{a:.2}");
    let (int, frac) = fixed.split_once('.').unwrap_or((fixed.as_str(), "00"));
    format!("{sign}₹{}.{frac}", group_indian(int))
}

/// One sentence on where the cost figures come from (empty for an unknown mode).
pub(crate) fn cost_note(k: &crate::eval::metrics::CostMetrics) -> String {
    match k.mode.as_str() {
        "projected" => "Projected: the tokens of the prompts a live run would send, priced for the configured models.".to_string(),
        "actual" => format!(
            "Actual: the token usage the API reported. This run spent {} on {} API calls; {} answers came from the response cache and are counted at what they cost when fetched.",
            inr(k.spent_inr),
            count(k.requests),
            count(k.cache_hits)
        ),
        _ => String::new(),
    }
}

pub(crate) fn inr_opt(v: Option<f64>) -> String {
    v.map(inr).unwrap_or_else(|| NONE.to_string())
}

/// An integer with Indian digit grouping: 1234567 → 12,34,567.
pub(crate) fn count(n: u64) -> String {
    group_indian(&n.to_string())
}

fn group_indian(digits: &str) -> String {
    if digits.len() <= 3 {
        return digits.to_string();
    }
    let (head, last3) = digits.split_at(digits.len() - 3);
    let mut groups: Vec<&str> = Vec::new();
    let mut rest = head;
    while rest.len() > 2 {
        let (h, t) = rest.split_at(rest.len() - 2);
        groups.push(t);
        rest = h;
    }
    if !rest.is_empty() {
        groups.push(rest);
    }
    groups.reverse();
    format!("{},{last3}", groups.join(","))
}

/// A gate check's value or limit in its unit: rupees for cost checks, a percentage otherwise
/// (every other check is a rate or a share).
pub(crate) fn check_value(name: &str, v: Option<f64>) -> String {
    if name.contains("cost") {
        inr_opt(v)
    } else {
        pct(v)
    }
}

/// The intents in a display order: the configured ones first (config order), then any other label
/// that appears in the confusion matrix, alphabetically.
pub(crate) fn intent_order(m: &Metrics) -> Vec<String> {
    let mut out: Vec<String> = m.run.intents.clone();
    let mut extra: Vec<&String> = m
        .intent
        .confusion
        .iter()
        .flat_map(|(expected, row)| std::iter::once(expected).chain(row.keys()))
        .chain(m.intent.per_intent.keys())
        .filter(|l| !out.contains(l))
        .collect();
    extra.sort();
    extra.dedup();
    out.extend(extra.into_iter().cloned());
    out
}

/// Escalation reasons by count, biggest first, ties by code.
pub(crate) fn reasons_by_count(m: &Metrics) -> Vec<(&str, u64)> {
    let mut v: Vec<(&str, u64)> = m
        .escalation
        .reasons
        .iter()
        .map(|(k, n)| (k.as_str(), *n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! A small, realistic run shared by the report tests.

    use std::collections::BTreeMap;

    use crate::eval::metrics::*;
    use crate::pipeline::trace::*;

    fn scores(p: Option<f64>, r: Option<f64>, f: Option<f64>, support: u64) -> ClassScores {
        ClassScores {
            precision: p,
            recall: r,
            f1: f,
            support,
        }
    }

    fn comp(calls: u64, input: u64, output: u64, inr: f64) -> ComponentCost {
        ComponentCost {
            calls,
            input_tokens: input,
            output_tokens: output,
            inr,
        }
    }

    pub fn metrics() -> Metrics {
        let intents: Vec<String> = ["billing", "technical", "account", "general"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut confusion: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        let rows: [(&str, &[(&str, u64)]); 4] = [
            ("billing", &[("billing", 11), ("account", 1)]),
            ("technical", &[("technical", 14), ("general", 2)]),
            ("account", &[("account", 6), ("billing", 2)]),
            ("general", &[("general", 4)]),
        ];
        for (e, preds) in rows {
            confusion.insert(
                e.to_string(),
                preds.iter().map(|(p, n)| (p.to_string(), *n)).collect(),
            );
        }
        let mut per_intent = BTreeMap::new();
        per_intent.insert(
            "billing".into(),
            scores(Some(0.8462), Some(0.9167), Some(0.88), 12),
        );
        per_intent.insert(
            "technical".into(),
            scores(Some(1.0), Some(0.875), Some(0.9333), 16),
        );
        per_intent.insert(
            "account".into(),
            scores(Some(0.8571), Some(0.75), Some(0.8), 8),
        );
        per_intent.insert(
            "general".into(),
            scores(Some(0.6667), Some(1.0), Some(0.8), 4),
        );

        let mut reasons = BTreeMap::new();
        reasons.insert("low_confidence".into(), 7);
        reasons.insert("human_requested".into(), 3);
        reasons.insert("retrieval_miss".into(), 4);
        reasons.insert("angry".into(), 3);
        reasons.insert("privileged_action".into(), 2);

        let mut per_component = BTreeMap::new();
        per_component.insert("classification".into(), comp(44, 26_400, 2_200, 0.9504));
        per_component.insert("embedding".into(), comp(44, 1_320, 0, 0.00002));
        per_component.insert("generation".into(), comp(44, 70_400, 8_800, 29.568));
        per_component.insert("sentiment".into(), comp(44, 8_800, 440, 0.2904));
        per_component.insert("summary".into(), comp(3, 2_400, 300, 0.0624));
        let mut per_model = BTreeMap::new();
        per_model.insert("claude-haiku-4-5".into(), comp(91, 37_600, 2_940, 1.3032));
        per_model.insert("claude-sonnet-4-5".into(), comp(44, 70_400, 8_800, 29.568));

        // (threshold, escalation rate, turn rate, answers sent, wrong-answer rate)
        let sweep: [(f64, f64, f64, u64, Option<f64>); 10] = [
            (0.5, 0.2, 0.15, 36, Some(0.21)),
            (0.55, 0.2333, 0.1707, 34, Some(0.19)),
            (0.6, 0.2333, 0.1951, 33, Some(0.17)),
            (0.65, 0.2667, 0.2195, 32, Some(0.14)),
            (0.7, 0.3, 0.2439, 31, Some(0.12)),
            (0.75, 0.3, 0.2683, 30, Some(0.1)),
            (0.8, 0.3667, 0.3171, 28, Some(0.09)),
            (0.85, 0.4333, 0.3659, 26, Some(0.08)),
            (0.9, 0.5, 0.439, 23, Some(0.06)),
            (0.95, 0.6, 0.5366, 19, None),
        ];
        let points = sweep
            .iter()
            .map(
                |&(threshold, escalation_rate, turn_rate, answers_sent, wrong_answer_rate)| {
                    SweepPoint {
                        threshold,
                        escalation_rate,
                        turn_rate,
                        answers_sent,
                        wrong_answer_rate,
                    }
                },
            )
            .collect();

        Metrics {
            schema_version: SCHEMA_VERSION,
            run: RunInfo {
                tool_version: "0.1.0".into(),
                tickets: "tickets.csv".into(),
                backend: "offline".into(),
                embedder: "hybrid".into(),
                index: ".supportbench/index".into(),
                docs: 14,
                chunks: 96,
                train: Some("train.csv".into()),
                intents,
            },
            counts: Counts {
                conversations: 30,
                turns: 44,
                bot_turns: 41,
                human_turns: 3,
                errors: 1,
            },
            intent: IntentMetrics {
                accuracy: Some(0.875),
                macro_f1: Some(0.8533),
                labelled: 40,
                per_intent,
                confusion,
                calibration_error: Some(0.0712),
            },
            escalation: EscalationMetrics {
                rate: Some(0.3),
                turn_rate: Some(0.2439),
                escalated_conversations: 9,
                escalated_turns: 10,
                reasons,
                labelled: 41,
                expected_turn_rate: Some(0.2195),
                precision: Some(0.8),
                recall: Some(0.8889),
                f1: Some(0.8421),
                confidence_calibration_error: Some(0.1043),
            },
            retrieval: RetrievalMetrics {
                k: 3,
                relevance_threshold: 0.35,
                miss_rate: Some(0.0976),
                misses: 4,
                labelled: 36,
                recall_at_k: Some(0.8611),
                mrr: Some(0.7454),
                mean_top_relevance: Some(0.5821),
            },
            cost: CostMetrics {
                currency: "INR".into(),
                mode: "projected".into(),
                total_inr: 30.87122,
                per_conversation_inr: Some(1.029_040_7),
                per_turn_inr: Some(0.7016),
                monthly_conversations: 10_000,
                per_month_inr: Some(10_290.407),
                usd_to_inr: 88.0,
                per_component,
                per_model,
                spent_inr: 0.0,
                requests: 0,
                cache_hits: 0,
            },
            sweep: Sweep {
                points,
                target_escalation_rate: Some(0.3),
                recommended_threshold: Some(0.75),
            },
            gaps: vec![
                Gap {
                    intent: "billing".into(),
                    topic: "gst | invoice".into(),
                    turns: 3,
                    misses: 2,
                    low_confidence: 1,
                    examples: vec!["LL-T0012".into(), "LL-T0031".into()],
                },
                Gap {
                    intent: "technical".into(),
                    topic: "tally export".into(),
                    turns: 2,
                    misses: 1,
                    low_confidence: 1,
                    examples: vec!["LL-T0040".into()],
                },
            ],
            gate: GateResult {
                passed: false,
                checks: vec![
                    GateCheck {
                        name: "max_escalation_rate".into(),
                        value: Some(0.3),
                        limit: 0.25,
                        passed: false,
                        message: "escalation rate 0.30 > limit 0.25".into(),
                    },
                    GateCheck {
                        name: "min_intent_accuracy".into(),
                        value: Some(0.875),
                        limit: 0.8,
                        passed: true,
                        message: "intent accuracy 0.875 >= limit 0.80".into(),
                    },
                    GateCheck {
                        name: "max_cost_per_conversation".into(),
                        value: Some(1.0290407),
                        limit: 2.0,
                        passed: true,
                        message: "cost per conversation ₹1.03 <= limit ₹2.00".into(),
                    },
                ],
            },
        }
    }

    fn chunk(doc: &str, heading: &[&str], score: f64) -> Retrieved {
        Retrieved {
            chunk_id: format!("{doc}#0"),
            doc_id: doc.into(),
            heading_path: heading.iter().map(|s| s.to_string()).collect(),
            score,
        }
    }

    fn bot(ticket: &str, conv: &str, turn: u32, message: &str) -> TurnRecord {
        let mut r = TurnRecord::human(
            ticket.into(),
            conv.into(),
            turn,
            message.into(),
            Labels::default(),
            vec![("channel".into(), "chat".into())],
        );
        r.handled_by = HandledBy::Bot;
        r
    }

    /// Four turns: a wrong intent with a missed escalation, a retrieval miss, a hostile message,
    /// and a human-handled turn.
    /// `records()` as the eval's worst-tickets collector would hand them to a report.
    pub fn worst() -> Vec<TurnRecord> {
        let mut w = crate::report::worst::WorstTickets::new(10);
        for r in records() {
            w.offer(&r);
        }
        w.into_sorted()
    }

    pub fn records() -> Vec<TurnRecord> {
        let mut a = bot("LL-T0007", "C003", 5, "also while you're at it | how many bank accounts can we link on growth?\nwe want to add ICICI too");
        a.predicted_intent = Some("technical".into());
        a.intent_confidence = Some(0.61);
        a.intent_reasoning = Some("mentions bank accounts and linking".into());
        a.retrieved = vec![
            chunk(
                "technical/bank-feeds.md",
                &["Bank feeds", "Reconnecting"],
                0.62,
            ),
            chunk("billing/plans-and-pricing.md", &["Plans", "Growth"], 0.48),
        ];
        a.retrieved_docs = vec![
            "technical/bank-feeds.md".into(),
            "billing/plans-and-pricing.md".into(),
        ];
        a.top_relevance = Some(0.62);
        a.retrieval_miss = Some(false);
        a.response = Some("=HYPERLINK(\"x\") Growth includes up to 5 linked bank accounts.".into());
        a.response_confidence = Some(0.74);
        a.cited_docs = vec!["billing/plans-and-pricing.md".into()];
        a.sentiment = Some("neutral".into());
        a.summary = Some("Bank feed for HDFC shows LL-2003; reconnect attempted twice.".into());
        a.cost_inr = 0.71234567;
        a.labels = Labels {
            intent: Some("billing".into()),
            escalate: Some(true),
            docs: Some(vec!["billing/plans-and-pricing.md".into()]),
        };

        let mut b = bot(
            "LL-T0012",
            "C007",
            1,
            "how do i file GSTR-1 from ledgerleaf?",
        );
        b.predicted_intent = Some("billing".into());
        b.intent_confidence = Some(0.9);
        b.intent_reasoning = Some("GST filing".into());
        b.retrieved = vec![chunk("billing/invoices.md", &["Invoices", "GST"], 0.21)];
        b.retrieved_docs = vec!["billing/invoices.md".into()];
        b.top_relevance = Some(0.21);
        b.retrieval_miss = Some(true);
        b.response = Some("I could not find this in our help centre.".into());
        b.response_confidence = Some(0.2);
        b.missing_info = Some("how GSTR-1 filing works".into());
        b.sentiment = Some("neutral".into());
        b.escalate = true;
        b.escalation_reasons = vec![
            "retrieval_miss".into(),
            "missing_info".into(),
            "low_confidence".into(),
        ];
        b.cost_inr = 0.65;
        b.labels = Labels {
            intent: Some("billing".into()),
            escalate: Some(true),
            docs: Some(vec!["billing/gst-returns.md".into()]),
        };

        let mut c = bot(
            "LL-T0020",
            "C010",
            1,
            "<script>alert(1)</script> & \"quotes\" 'single' — refund me now",
        );
        c.predicted_intent = Some("billing".into());
        c.intent_confidence = Some(0.88);
        c.intent_reasoning = Some("asks for a <b>refund</b>".into());
        c.retrieved = vec![chunk(
            "billing/refunds.md",
            &["Refund policy", "Annual <plans>"],
            0.55,
        )];
        c.retrieved_docs = vec!["billing/refunds.md".into()];
        c.top_relevance = Some(0.55);
        c.retrieval_miss = Some(false);
        c.response = Some("Refunds for annual plans are pro-rated.".into());
        c.response_confidence = Some(0.81);
        c.sentiment = Some("angry".into());
        c.escalate = true;
        c.escalation_reasons = vec!["privileged_action".into(), "angry".into()];
        c.cost_inr = 0.7;
        c.labels = Labels {
            intent: Some("billing".into()),
            escalate: Some(false),
            docs: Some(vec!["billing/refunds.md".into()]),
        };
        c.extra = vec![("channel".into(), "@whatsapp".into())];

        let d = TurnRecord::human(
            "LL-T0021".into(),
            "C010".into(),
            2,
            "hello??".into(),
            Labels {
                intent: Some("billing".into()),
                escalate: Some(true),
                docs: None,
            },
            vec![("channel".into(), "whatsapp".into())],
        );
        vec![a, b, c, d]
    }

    /// A run with no turns, no labels, no checks, no costs.
    pub fn empty_metrics() -> Metrics {
        Metrics {
            schema_version: SCHEMA_VERSION,
            run: RunInfo::default(),
            counts: Counts::default(),
            intent: IntentMetrics::default(),
            escalation: EscalationMetrics::default(),
            retrieval: RetrievalMetrics::default(),
            cost: CostMetrics::default(),
            sweep: Sweep::default(),
            gaps: Vec::new(),
            gate: GateResult::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupees_read_well_at_every_size() {
        assert_eq!(inr(0.0), "₹0.00");
        assert_eq!(inr(0.00001), "<₹0.0001");
        assert_eq!(inr(0.71234), "₹0.7123");
        assert_eq!(inr(1.029), "₹1.03");
        assert_eq!(inr(10_290.407), "₹10,290.41");
        assert_eq!(inr(1_234_567.891), "₹12,34,567.89");
        assert_eq!(inr(f64::NAN), NONE);
        assert_eq!(count(100_000), "1,00,000");
        assert_eq!(count(999), "999");
    }

    #[test]
    fn missing_values_are_dashes_not_zero() {
        assert_eq!(pct(None), "—");
        assert_eq!(pct(Some(0.0)), "0.0%");
        assert_eq!(score(None), "—");
        assert_eq!(check_value("max_cost_per_conversation", Some(2.0)), "₹2.00");
        assert_eq!(check_value("max_escalation_rate", Some(0.25)), "25.0%");
    }

    #[test]
    fn write_reports_writes_four_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports").join("run");
        write_reports(&out, &fixtures::metrics(), &fixtures::records()).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["junit.xml", "metrics.json", "report.html", "summary.md"]
        );
        let back: Metrics =
            serde_json::from_str(&std::fs::read_to_string(out.join(METRICS_JSON)).unwrap())
                .unwrap();
        assert_eq!(back, fixtures::metrics());
    }
}
