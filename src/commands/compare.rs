//! `supportbench compare BASELINE CANDIDATE [--tolerance R] [--json]`: the differences between two
//! runs' metrics.json, the regression checks of the CI gate ([`crate::gate::regressions`]), and —
//! when a `tickets.csv` sits beside each metrics.json — the tickets whose outcome flipped
//! (escalated or not, predicted intent, retrieval miss, bot- or human-handled), joined on
//! `ticket_id`.
//!
//! Exit 1 when a regression check fails, else 0; exit 2 when a metrics.json cannot be read. A
//! tickets.csv that is missing or unreadable does not fail the comparison: the listing is left
//! out with a note saying why.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::cli::CompareArgs;
use crate::error::Outcome;
use crate::eval::accumulate::round6;
use crate::eval::metrics::{GateCheck, Metrics};
use crate::gate::{load_metrics, regressions};
use crate::util::emit;

/// Flipped tickets listed in the table; the JSON output lists them all.
pub const MAX_FLIPPED_LINES: usize = 50;

/// The per-turn file written beside metrics.json.
const TICKETS_CSV: &str = "tickets.csv";

pub fn run(args: CompareArgs) -> Result<Outcome> {
    let (text, outcome) = execute(&args)?;
    emit(&text)?;
    Ok(outcome)
}

/// What `run` prints, and its outcome.
pub fn execute(args: &CompareArgs) -> Result<(String, Outcome)> {
    if !args.tolerance.is_finite() || args.tolerance < 0.0 {
        bail!(
            "--tolerance {} must be a non-negative number, e.g. 0.02 for 2 points",
            args.tolerance
        );
    }
    let baseline = load_metrics(&args.baseline, "baseline")?;
    let candidate = load_metrics(&args.candidate, "candidate")?;
    let flips = match (
        tickets_beside(&args.baseline),
        tickets_beside(&args.candidate),
    ) {
        (Some(b), Some(c)) => match (read_outcomes(&b), read_outcomes(&c)) {
            (Ok(b), Ok(c)) => Ok(flipped(&b, &c)),
            (Err(e), _) | (_, Err(e)) => Err(format!(
                "flipped tickets not listed: {}",
                crate::error::render(&e)
            )),
        },
        _ => Err(format!(
            "flipped tickets not listed: no {TICKETS_CSV} beside both metrics.json files"
        )),
    };
    let cmp = compare(
        &args.baseline.display().to_string(),
        &baseline,
        &args.candidate.display().to_string(),
        &candidate,
        args.tolerance,
        flips,
    );
    let text = if args.json {
        format!("{}\n", serde_json::to_string_pretty(&cmp.json())?)
    } else {
        render(&cmp)
    };
    let outcome = if cmp.regressed() {
        Outcome::GateFailed
    } else {
        Outcome::Passed
    };
    Ok((text, outcome))
}

fn tickets_beside(metrics_json: &Path) -> Option<std::path::PathBuf> {
    let p = metrics_json
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join(TICKETS_CSV);
    p.is_file().then_some(p)
}

/// How a metric is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Rate,
    Inr,
}

/// One metric of both runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    /// Machine name, e.g. "escalation_rate".
    pub name: String,
    /// For people, e.g. "escalation rate".
    #[serde(skip)]
    pub label: String,
    #[serde(skip)]
    pub kind: Kind,
    pub baseline: Option<f64>,
    pub candidate: Option<f64>,
    /// candidate − baseline; null when either is null.
    pub delta: Option<f64>,
    /// A regression check on this metric failed.
    pub regressed: bool,
}

/// One field of a ticket that differs between the runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// "escalate", "predicted_intent", "retrieval_miss" or "handled_by".
    pub field: String,
    pub baseline: String,
    pub candidate: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlippedTicket {
    pub ticket_id: String,
    pub changes: Vec<Change>,
}

/// The tickets whose outcome differs, in baseline file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Flips {
    pub tickets: Vec<FlippedTicket>,
    /// Tickets of the baseline run missing from the candidate's tickets.csv.
    pub only_in_baseline: usize,
    /// Tickets of the candidate run missing from the baseline's tickets.csv.
    pub only_in_candidate: usize,
}

/// Everything `compare` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub baseline_path: String,
    pub candidate_path: String,
    pub baseline_run: String,
    pub candidate_run: String,
    pub tolerance: f64,
    pub rows: Vec<MetricRow>,
    /// All regression checks (passed or not).
    pub checks: Vec<GateCheck>,
    /// The flipped tickets, or why they are not listed.
    pub flips: std::result::Result<Flips, String>,
}

impl Comparison {
    pub fn regressed(&self) -> bool {
        self.checks.iter().any(|c| !c.passed)
    }

    /// The `--json` object.
    pub fn json(&self) -> serde_json::Value {
        let failed: Vec<&GateCheck> = self.checks.iter().filter(|c| !c.passed).collect();
        let (flipped, note) = match &self.flips {
            Ok(f) => (serde_json::to_value(&f.tickets).ok(), None),
            Err(note) => (None, Some(note.clone())),
        };
        let mut v = serde_json::json!({
            "baseline": self.baseline_path,
            "candidate": self.candidate_path,
            "tolerance": self.tolerance,
            "passed": failed.is_empty(),
            "metrics": self.rows,
            "regressions": failed,
            "checks": self.checks,
            "flipped": flipped,
        });
        if let (Some(obj), Ok(f)) = (v.as_object_mut(), &self.flips) {
            obj.insert("only_in_baseline".into(), f.only_in_baseline.into());
            obj.insert("only_in_candidate".into(), f.only_in_candidate.into());
        }
        if let (Some(obj), Some(note)) = (v.as_object_mut(), note) {
            obj.insert("flipped_note".into(), note.into());
        }
        v
    }
}

/// Compare two runs (pure: no I/O besides what the caller read).
pub fn compare(
    baseline_path: &str,
    baseline: &Metrics,
    candidate_path: &str,
    candidate: &Metrics,
    tolerance: f64,
    flips: std::result::Result<Flips, String>,
) -> Comparison {
    let checks = regressions(baseline, candidate, tolerance);
    let failed = |check: &str| checks.iter().any(|c| c.name == check && !c.passed);
    type Get = fn(&Metrics) -> Option<f64>;
    let defs: [(&str, &str, Kind, Get, Option<&str>); 12] = [
        (
            "intent_accuracy",
            "intent accuracy",
            Kind::Rate,
            |m| m.intent.accuracy,
            Some("baseline_intent_accuracy"),
        ),
        (
            "intent_macro_f1",
            "intent macro F1",
            Kind::Rate,
            |m| m.intent.macro_f1,
            None,
        ),
        (
            "intent_calibration_error",
            "intent calibration error",
            Kind::Rate,
            |m| m.intent.calibration_error,
            None,
        ),
        (
            "escalation_rate",
            "escalation rate",
            Kind::Rate,
            |m| m.escalation.rate,
            Some("baseline_escalation_rate"),
        ),
        (
            "escalation_turn_rate",
            "escalation turn rate",
            Kind::Rate,
            |m| m.escalation.turn_rate,
            None,
        ),
        (
            "escalation_f1",
            "escalation F1",
            Kind::Rate,
            |m| m.escalation.f1,
            None,
        ),
        (
            "response_calibration_error",
            "response calibration error",
            Kind::Rate,
            |m| m.escalation.confidence_calibration_error,
            None,
        ),
        (
            "retrieval_miss_rate",
            "retrieval miss rate",
            Kind::Rate,
            |m| m.retrieval.miss_rate,
            Some("baseline_retrieval_miss_rate"),
        ),
        (
            "retrieval_recall_at_k",
            "retrieval recall@k",
            Kind::Rate,
            |m| m.retrieval.recall_at_k,
            None,
        ),
        (
            "retrieval_mrr",
            "retrieval MRR",
            Kind::Rate,
            |m| m.retrieval.mrr,
            None,
        ),
        (
            "cost_per_conversation_inr",
            "cost per conversation",
            Kind::Inr,
            |m| m.cost.per_conversation_inr,
            None,
        ),
        (
            "cost_total_inr",
            "total cost",
            Kind::Inr,
            |m| Some(m.cost.total_inr),
            None,
        ),
    ];
    let rows = defs
        .into_iter()
        .map(|(name, label, kind, get, check)| {
            let (b, c) = (get(baseline), get(candidate));
            MetricRow {
                name: name.to_string(),
                label: label.to_string(),
                kind,
                baseline: b,
                candidate: c,
                delta: b.zip(c).map(|(b, c)| round6(c - b)),
                regressed: check.is_some_and(failed),
            }
        })
        .collect();
    Comparison {
        baseline_path: baseline_path.to_string(),
        candidate_path: candidate_path.to_string(),
        baseline_run: run_summary(baseline),
        candidate_run: run_summary(candidate),
        tolerance,
        rows,
        checks,
        flips,
    }
}

fn run_summary(m: &Metrics) -> String {
    let mut parts = Vec::new();
    if !m.run.tickets.is_empty() {
        parts.push(m.run.tickets.clone());
    }
    if !m.run.backend.is_empty() {
        parts.push(format!("backend {}", m.run.backend));
    }
    if !m.run.embedder.is_empty() {
        parts.push(format!("embedder {}", m.run.embedder));
    }
    parts.push(format!(
        "{} conversations, {} turns",
        m.counts.conversations, m.counts.turns
    ));
    parts.join(", ")
}

const NONE: &str = "—";

fn fmt_value(v: Option<f64>, kind: Kind) -> String {
    match (v, kind) {
        (Some(v), Kind::Rate) if v.is_finite() => format!("{v:.3}"),
        (Some(v), Kind::Inr) if v.is_finite() => format!("₹{v:.4}"),
        _ => NONE.to_string(),
    }
}

fn fmt_delta(v: Option<f64>, kind: Kind) -> String {
    let Some(v) = v.filter(|v| v.is_finite()) else {
        return NONE.to_string();
    };
    let (decimals, prefix) = match kind {
        Kind::Rate => (3, ""),
        Kind::Inr => (4, "₹"),
    };
    let shown = format!("{:.decimals$}", v.abs());
    let zero = shown.chars().all(|c| c == '0' || c == '.');
    let sign = if zero {
        "±"
    } else if v < 0.0 {
        "-"
    } else {
        "+"
    };
    format!("{sign}{prefix}{shown}")
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(s.chars().count())))
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())))
}

/// The human-readable comparison: header, metrics table, regression checks, flipped tickets.
pub fn render(cmp: &Comparison) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "baseline:  {} ({})\n",
        cmp.baseline_path, cmp.baseline_run
    ));
    out.push_str(&format!(
        "candidate: {} ({})\n\n",
        cmp.candidate_path, cmp.candidate_run
    ));

    let header = ["metric", "baseline", "candidate", "delta"];
    let cells: Vec<[String; 4]> = cmp
        .rows
        .iter()
        .map(|r| {
            [
                r.label.clone(),
                fmt_value(r.baseline, r.kind),
                fmt_value(r.candidate, r.kind),
                fmt_delta(r.delta, r.kind),
            ]
        })
        .collect();
    let mut w = header.map(|h| h.chars().count());
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |c: &[String; 4]| {
        format!(
            "{}  {}  {}  {}",
            pad_right(&c[0], w[0]),
            pad_left(&c[1], w[1]),
            pad_left(&c[2], w[2]),
            pad_left(&c[3], w[3])
        )
    };
    out.push_str(line(&header.map(String::from)).trim_end());
    out.push('\n');
    for (row, c) in cmp.rows.iter().zip(&cells) {
        let mut l = line(c);
        if row.regressed {
            l.push_str("  ✗ regressed");
        }
        out.push_str(l.trim_end());
        out.push('\n');
    }

    let failed: Vec<&GateCheck> = cmp.checks.iter().filter(|c| !c.passed).collect();
    out.push('\n');
    if failed.is_empty() {
        out.push_str(&format!(
            "no regressions (tolerance {:.3}): escalation rate, intent accuracy and retrieval miss rate within tolerance of the baseline\n",
            cmp.tolerance
        ));
    } else {
        out.push_str(&format!(
            "{} regression{} (tolerance {:.3}):\n",
            failed.len(),
            if failed.len() == 1 { "" } else { "s" },
            cmp.tolerance
        ));
        for c in &failed {
            out.push_str(&format!("  ✗ {}: {}\n", c.name, c.message));
        }
    }
    for c in cmp
        .checks
        .iter()
        .filter(|c| c.passed && c.message.starts_with("skipped"))
    {
        out.push_str(&format!("  - {}: {}\n", c.name, c.message));
    }

    out.push('\n');
    match &cmp.flips {
        Err(note) => {
            out.push_str(note);
            out.push('\n');
        }
        Ok(f) => {
            if f.tickets.is_empty() {
                out.push_str("no ticket changed outcome\n");
            } else {
                out.push_str(&format!(
                    "{} ticket{} changed outcome:\n",
                    f.tickets.len(),
                    if f.tickets.len() == 1 { "" } else { "s" }
                ));
                let id_w = f
                    .tickets
                    .iter()
                    .take(MAX_FLIPPED_LINES)
                    .map(|t| t.ticket_id.chars().count())
                    .max()
                    .unwrap_or(0);
                for t in f.tickets.iter().take(MAX_FLIPPED_LINES) {
                    let changes: Vec<String> = t
                        .changes
                        .iter()
                        .map(|c| {
                            format!("{} {} → {}", c.field, show(&c.baseline), show(&c.candidate))
                        })
                        .collect();
                    out.push_str(&format!(
                        "  {}  {}\n",
                        pad_right(&t.ticket_id, id_w),
                        changes.join("; ")
                    ));
                }
                if f.tickets.len() > MAX_FLIPPED_LINES {
                    out.push_str(&format!(
                        "  … and {} more\n",
                        f.tickets.len() - MAX_FLIPPED_LINES
                    ));
                }
            }
            if f.only_in_baseline > 0 || f.only_in_candidate > 0 {
                let n = |k: usize| format!("{k} ticket{}", if k == 1 { "" } else { "s" });
                out.push_str(&format!(
                    "(not compared: {} only in the baseline, {} only in the candidate)\n",
                    n(f.only_in_baseline),
                    n(f.only_in_candidate)
                ));
            }
        }
    }
    out
}

fn show(v: &str) -> &str {
    if v.is_empty() {
        NONE
    } else {
        v
    }
}

/// What happened to one ticket in one run, from tickets.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketOutcome {
    pub ticket_id: String,
    pub predicted_intent: String,
    pub escalate: String,
    pub retrieval_miss: String,
    pub handled_by: String,
}

/// Read the outcome columns of a tickets.csv written by `supportbench eval`, by header name.
pub fn read_outcomes(path: &Path) -> Result<Vec<TicketOutcome>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let headers = rdr
        .headers()
        .with_context(|| format!("cannot read the header row of {}", path.display()))?
        .clone();
    let col = |name: &str| -> Result<usize> {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').trim() == name)
            .with_context(|| {
                format!(
                    "{} has no `{name}` column: it is not a tickets.csv written by `supportbench eval`",
                    path.display()
                )
            })
    };
    let cols = [
        col("ticket_id")?,
        col("predicted_intent")?,
        col("escalate")?,
        col("retrieval_miss")?,
        col("handled_by")?,
    ];
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{} line {}", path.display(), i + 2))?;
        let cell = |c: usize| unescape(rec.get(c).unwrap_or("").trim()).to_string();
        out.push(TicketOutcome {
            ticket_id: cell(cols[0]),
            predicted_intent: cell(cols[1]),
            escalate: cell(cols[2]).to_lowercase(),
            retrieval_miss: cell(cols[3]).to_lowercase(),
            handled_by: cell(cols[4]).to_lowercase(),
        });
    }
    Ok(out)
}

/// Undo the spreadsheet-formula escaping of tickets.csv: a leading `'` before `=`, `+`, `-`, `@`
/// (or a tab or carriage return).
fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The tickets whose outcome differs between two runs, joined on ticket_id, in baseline order.
pub fn flipped(baseline: &[TicketOutcome], candidate: &[TicketOutcome]) -> Flips {
    let by_id: HashMap<&str, &TicketOutcome> = candidate
        .iter()
        .rev() // the first row of a duplicated id wins
        .map(|t| (t.ticket_id.as_str(), t))
        .collect();
    let mut flips = Flips::default();
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for b in baseline {
        if seen.insert(b.ticket_id.as_str(), ()).is_some() {
            continue;
        }
        let Some(c) = by_id.get(b.ticket_id.as_str()) else {
            flips.only_in_baseline += 1;
            continue;
        };
        let fields = [
            ("handled_by", &b.handled_by, &c.handled_by),
            ("escalate", &b.escalate, &c.escalate),
            ("predicted_intent", &b.predicted_intent, &c.predicted_intent),
            ("retrieval_miss", &b.retrieval_miss, &c.retrieval_miss),
        ];
        let changes: Vec<Change> = fields
            .iter()
            .filter(|(_, x, y)| x != y)
            .map(|(f, x, y)| Change {
                field: f.to_string(),
                baseline: x.to_string(),
                candidate: y.to_string(),
            })
            .collect();
        if !changes.is_empty() {
            flips.tickets.push(FlippedTicket {
                ticket_id: b.ticket_id.clone(),
                changes,
            });
        }
    }
    let base_ids: HashMap<&str, ()> = baseline
        .iter()
        .map(|t| (t.ticket_id.as_str(), ()))
        .collect();
    flips.only_in_candidate = by_id
        .keys()
        .filter(|id| !base_ids.contains_key(*id))
        .count();
    flips
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/metrics")
            .join(name)
    }

    fn args(baseline: &str, candidate: &str, json: bool) -> CompareArgs {
        CompareArgs {
            baseline: fixture(baseline),
            candidate: fixture(candidate),
            tolerance: 0.02,
            json,
        }
    }

    fn outcome(id: &str, intent: &str, escalate: bool, miss: &str, handled: &str) -> TicketOutcome {
        TicketOutcome {
            ticket_id: id.into(),
            predicted_intent: intent.into(),
            escalate: escalate.to_string(),
            retrieval_miss: miss.into(),
            handled_by: handled.into(),
        }
    }

    fn load_fixture_comparison() -> Comparison {
        let (b, c) = (
            fixture("base/metrics.json"),
            fixture("candidate/metrics.json"),
        );
        let base = load_metrics(&b, "baseline").unwrap();
        let cand = load_metrics(&c, "candidate").unwrap();
        let flips = flipped(
            &read_outcomes(&fixture("base/tickets.csv")).unwrap(),
            &read_outcomes(&fixture("candidate/tickets.csv")).unwrap(),
        );
        compare(
            "base/metrics.json",
            &base,
            "candidate/metrics.json",
            &cand,
            0.02,
            Ok(flips),
        )
    }

    #[test]
    fn fixture_tickets_are_read_by_header_and_unescaped() {
        let b = read_outcomes(&fixture("base/tickets.csv")).unwrap();
        assert_eq!(b.len(), 7);
        assert_eq!(b[0], outcome("T1", "billing", false, "false", "bot"));
        // Written as '-T9 (escaped formula), read back as -T9; extra input columns ignored.
        assert_eq!(b[6].ticket_id, "-T9");
        assert_eq!(b[3], outcome("T4", "", false, "", "human"));
    }

    #[test]
    fn flipped_tickets_from_the_fixtures() {
        let f = load_fixture_comparison().flips.unwrap();
        let summary: Vec<(String, Vec<String>)> = f
            .tickets
            .iter()
            .map(|t| {
                (
                    t.ticket_id.clone(),
                    t.changes.iter().map(|c| c.field.clone()).collect(),
                )
            })
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            summary,
            [
                ("T2".to_string(), s(&["escalate", "predicted_intent"])),
                (
                    "T4".to_string(),
                    s(&["handled_by", "predicted_intent", "retrieval_miss"])
                ),
                ("T5".to_string(), s(&["escalate", "retrieval_miss"])),
                ("-T9".to_string(), s(&["predicted_intent"])),
            ]
        );
        assert_eq!(f.only_in_baseline, 1); // T7
        assert_eq!(f.only_in_candidate, 1); // T8
    }

    #[test]
    fn flipped_listing_is_capped() {
        let base: Vec<TicketOutcome> = (0..60)
            .map(|i| outcome(&format!("T{i}"), "billing", false, "false", "bot"))
            .collect();
        let cand: Vec<TicketOutcome> = (0..60)
            .map(|i| outcome(&format!("T{i}"), "billing", true, "false", "bot"))
            .collect();
        let f = flipped(&base, &cand);
        assert_eq!(f.tickets.len(), 60);
        let m = crate::eval::accumulate::tests::fixture_metrics(
            crate::eval::accumulate::tests::params(),
        );
        let cmp = compare("a", &m, "b", &m, 0.02, Ok(f));
        let text = render(&cmp);
        assert!(text.contains("60 tickets changed outcome:"), "{text}");
        assert!(text.contains("  T49  escalate false → true\n"), "{text}");
        assert!(!text.contains("T50 "), "{text}");
        assert!(text.contains("  … and 10 more\n"), "{text}");
        assert!(!cmp.regressed());
    }

    #[test]
    fn table_snapshot() {
        insta::assert_snapshot!(render(&load_fixture_comparison()));
    }

    #[test]
    fn regressions_fail_the_comparison() {
        let cmp = load_fixture_comparison();
        assert!(cmp.regressed());
        let failed: Vec<&str> = cmp
            .checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            failed,
            ["baseline_escalation_rate", "baseline_intent_accuracy"]
        );
        let row = |n: &str| cmp.rows.iter().find(|r| r.name == n).unwrap().clone();
        assert!(row("escalation_rate").regressed);
        assert!(row("intent_accuracy").regressed);
        assert!(!row("retrieval_miss_rate").regressed);
        assert!(!row("intent_macro_f1").regressed);
    }

    #[test]
    fn exit_outcome_and_output_from_the_files() {
        let (text, outcome) =
            execute(&args("base/metrics.json", "candidate/metrics.json", false)).unwrap();
        assert_eq!(outcome, Outcome::GateFailed);
        assert_eq!(outcome.exit_code(), 1);
        assert!(text.contains("2 regressions (tolerance 0.020):"), "{text}");
        assert!(
            text.contains("  -T9  predicted_intent general → technical\n"),
            "{text}"
        );
        // The other way round, the candidate is the better run: nothing regresses.
        let (text, outcome) =
            execute(&args("candidate/metrics.json", "base/metrics.json", true)).unwrap();
        assert_eq!(outcome, Outcome::Passed);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["passed"], true);
        assert_eq!(v["flipped"].as_array().unwrap().len(), 4);
        let (text, outcome) =
            execute(&args("base/metrics.json", "base/metrics.json", false)).unwrap();
        assert_eq!(outcome, Outcome::Passed);
        assert!(text.contains("no ticket changed outcome"), "{text}");
    }

    #[test]
    fn json_output_shape() {
        let v = load_fixture_comparison().json();
        assert_eq!(v["baseline"], "base/metrics.json");
        assert_eq!(v["passed"], false);
        assert_eq!(v["metrics"].as_array().unwrap().len(), 12);
        let m0 = &v["metrics"][0];
        assert_eq!(m0["name"], "intent_accuracy");
        assert!(
            m0.get("baseline").is_some()
                && m0.get("delta").is_some()
                && m0.get("regressed").is_some()
        );
        assert_eq!(v["regressions"].as_array().unwrap().len(), 2);
        assert_eq!(v["flipped"].as_array().unwrap().len(), 4);
        assert_eq!(v["flipped"][0]["ticket_id"], "T2");
        assert_eq!(v["flipped"][0]["changes"][0]["field"], "escalate");
        assert_eq!(v["only_in_baseline"], 1);
    }

    #[test]
    fn missing_tickets_csv_is_a_note_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let b = dir.path().join("metrics.json");
        std::fs::copy(fixture("base/metrics.json"), &b).unwrap();
        let a = CompareArgs {
            baseline: b.clone(),
            candidate: b,
            tolerance: 0.02,
            json: false,
        };
        let (text, outcome) = execute(&a).unwrap();
        assert_eq!(outcome, Outcome::Passed);
        assert!(
            text.contains("flipped tickets not listed: no tickets.csv beside both"),
            "{text}"
        );
        let m = load_metrics(&fixture("base/metrics.json"), "baseline").unwrap();
        let cmp = compare(
            "a",
            &m,
            "b",
            &m,
            0.02,
            Err("flipped tickets not listed: no tickets.csv beside both metrics.json files".into()),
        );
        assert!(render(&cmp).contains("flipped tickets not listed"));
        assert_eq!(cmp.json()["flipped"], serde_json::Value::Null);
    }

    #[test]
    fn bad_inputs_are_clear_errors() {
        let e = execute(&args("nope/metrics.json", "base/metrics.json", false)).unwrap_err();
        let e = crate::error::render(&e);
        assert!(
            e.contains("baseline metrics file") && e.contains("not found"),
            "{e}"
        );
        let e = execute(&args("base/metrics.json", "base/tickets.csv", false)).unwrap_err();
        let e = crate::error::render(&e);
        assert!(
            e.contains("candidate metrics file") && e.contains("not valid JSON"),
            "{e}"
        );
        let mut a = args("base/metrics.json", "base/metrics.json", false);
        a.tolerance = -1.0;
        assert!(execute(&a).is_err());
    }

    #[test]
    fn deltas_read_well() {
        assert_eq!(fmt_delta(Some(0.05), Kind::Rate), "+0.050");
        assert_eq!(fmt_delta(Some(-0.05), Kind::Rate), "-0.050");
        assert_eq!(fmt_delta(Some(0.0), Kind::Rate), "±0.000");
        assert_eq!(fmt_delta(Some(-0.00001), Kind::Rate), "±0.000");
        assert_eq!(fmt_delta(Some(0.0123), Kind::Inr), "+₹0.0123");
        assert_eq!(fmt_delta(None, Kind::Rate), "—");
        assert_eq!(fmt_value(None, Kind::Inr), "—");
    }

    #[test]
    fn unescape_only_formula_prefixes() {
        assert_eq!(unescape("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unescape("'-5"), "-5");
        assert_eq!(unescape("'quoted"), "'quoted");
        assert_eq!(unescape("plain"), "plain");
    }
}
