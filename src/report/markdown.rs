//! `summary.md`: the run for people, written to read well as a GitHub Actions step summary
//! (`cat summary.md >> "$GITHUB_STEP_SUMMARY"`): gate status in the title, a headline table, then
//! one section per question a support team asks. A value without labels is "—", never 0.

use std::fmt::Write as _;

use crate::eval::metrics::Metrics;
use crate::pipeline::trace::TurnRecord;
use crate::report::worst::what_went_wrong;
use crate::report::{
    check_value, count, inr, inr_opt, intent_order, pct, reasons_by_count, score, NONE,
};
use crate::util::{one_line, truncate_chars};

/// How many worst tickets the summary lists.
pub const WORST_SHOWN: usize = 10;

/// The text of summary.md.
pub fn render(m: &Metrics, worst: &[TurnRecord]) -> String {
    let mut s = String::new();
    title(&mut s, m);
    headline(&mut s, m);
    gate(&mut s, m);
    reasons(&mut s, m);
    intents(&mut s, m);
    sweep(&mut s, m);
    gaps(&mut s, m);
    cost(&mut s, m);
    worst_tickets(&mut s, worst);
    s
}

/// A table cell from data: pipes escaped, one line, HTML-significant characters as entities
/// (GitHub renders inline HTML; a ticket must not).
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in one_line(text).chars() {
        match ch {
            '|' => out.push_str("\\|"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn row(s: &mut String, cells: &[String]) {
    let _ = writeln!(s, "| {} |", cells.join(" | "));
}

/// A table header; `align` has one letter per column: `l` left, `r` right (numbers).
fn header(s: &mut String, cols: &[&str], align: &str) {
    let _ = writeln!(s, "| {} |", cols.join(" | "));
    let mut letters = align.chars();
    let seps: Vec<&str> = cols
        .iter()
        .map(|_| {
            if letters.next() == Some('r') {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(s, "|{}|", seps.join("|"));
}

/// `value (of N labelled)`, or a dash saying there were no labels.
fn labelled(value: String, n: u64, what: &str) -> String {
    if n == 0 || value == NONE {
        format!("{NONE} (no {what} labels)")
    } else {
        format!("{value} ({} labelled)", count(n))
    }
}

fn title(s: &mut String, m: &Metrics) {
    let checks = &m.gate.checks;
    let failed = checks.iter().filter(|c| !c.passed).count();
    let status = if checks.is_empty() {
        "✅ supportbench: no gate checks".to_string()
    } else if m.gate.passed && failed == 0 {
        format!("✅ supportbench: gate passed ({} checks)", checks.len())
    } else {
        format!(
            "❌ supportbench: gate failed ({failed} of {} checks)",
            checks.len()
        )
    };
    let _ = writeln!(s, "# {status}\n");
    let r = &m.run;
    let or_dash = |v: &str| {
        if v.is_empty() {
            NONE.to_string()
        } else {
            cell(v)
        }
    };
    let mut parts = vec![
        format!("tickets {}", or_dash(&r.tickets)),
        format!("backend {}", or_dash(&r.backend)),
        format!("embedder {}", or_dash(&r.embedder)),
        format!(
            "{} docs, {} chunks",
            count(r.docs as u64),
            count(r.chunks as u64)
        ),
    ];
    if let Some(train) = &r.train {
        parts.push(format!("trained on {}", cell(train)));
    }
    if !r.tool_version.is_empty() {
        parts.push(format!("supportbench {}", cell(&r.tool_version)));
    }
    let _ = writeln!(s, "_{}_\n", parts.join(" · "));
}

fn headline(s: &mut String, m: &Metrics) {
    let (c, i, e, r, k) = (&m.counts, &m.intent, &m.escalation, &m.retrieval, &m.cost);
    header(s, &["metric", "value"], "ll");
    let mut turns = format!(
        "{} bot · {} human",
        count(c.bot_turns),
        count(c.human_turns)
    );
    if c.errors > 0 {
        let _ = write!(turns, " · {} with a failed stage", count(c.errors));
    }
    let esc_rate = match e.rate {
        Some(_) => format!(
            "{} ({} of {})",
            pct(e.rate),
            count(e.escalated_conversations),
            count(c.conversations)
        ),
        None => NONE.to_string(),
    };
    let mut turn_rate = pct(e.turn_rate);
    if e.expected_turn_rate.is_some() {
        let _ = write!(turn_rate, " (labels say {})", pct(e.expected_turn_rate));
    }
    let prf = if e.labelled == 0 {
        format!("{NONE} (no expected_escalate labels)")
    } else {
        format!(
            "{} / {} / {} ({} labelled)",
            pct(e.precision),
            pct(e.recall),
            pct(e.f1),
            count(e.labelled)
        )
    };
    let miss = match r.miss_rate {
        Some(_) => format!(
            "{} ({} turns under relevance {:.2})",
            pct(r.miss_rate),
            count(r.misses),
            r.relevance_threshold
        ),
        None => NONE.to_string(),
    };
    let mode = if k.mode.is_empty() {
        NONE.to_string()
    } else {
        cell(&k.mode)
    };
    let month = match k.per_month_inr {
        Some(v) => format!(
            "{} for {} conversations",
            inr(v),
            count(k.monthly_conversations)
        ),
        None => NONE.to_string(),
    };
    let rows: Vec<[String; 2]> = vec![
        ["conversations".into(), count(c.conversations)],
        ["turns".into(), turns],
        [
            "intent accuracy".into(),
            labelled(pct(i.accuracy), i.labelled, "expected_intent"),
        ],
        ["intent macro F1".into(), pct(i.macro_f1)],
        [
            "intent confidence calibration error".into(),
            score(i.calibration_error),
        ],
        ["escalation rate (conversations)".into(), esc_rate],
        ["escalation rate (bot turns)".into(), turn_rate],
        ["escalation precision / recall / F1".into(), prf],
        [
            "response confidence calibration error".into(),
            score(e.confidence_calibration_error),
        ],
        ["retrieval miss rate".into(), miss],
        [
            format!("recall@{}", r.k),
            labelled(pct(r.recall_at_k), r.labelled, "expected_doc"),
        ],
        ["MRR".into(), score(r.mrr)],
        [
            "cost per conversation".into(),
            inr_opt(k.per_conversation_inr),
        ],
        ["projected per month".into(), month],
        ["total cost".into(), inr(k.total_inr)],
        ["cost mode".into(), mode],
    ];
    for [a, b] in rows {
        row(s, &[a, b]);
    }
    s.push('\n');
}

fn gate(s: &mut String, m: &Metrics) {
    s.push_str("## Gate checks\n\n");
    if m.gate.checks.is_empty() {
        s.push_str(
            "No gate flags were given (`--max-escalation-rate`, `--min-intent-accuracy`, \
             `--max-retrieval-miss-rate`, `--max-cost-per-conversation`, `--baseline`): nothing was checked.\n\n",
        );
        return;
    }
    header(s, &["check", "value", "limit", "result"], "lrrl");
    for c in &m.gate.checks {
        row(
            s,
            &[
                cell(&c.name),
                check_value(&c.name, c.value),
                check_value(&c.name, Some(c.limit)),
                if c.passed {
                    "✅ pass".into()
                } else {
                    "❌ fail".into()
                },
            ],
        );
    }
    s.push('\n');
    for c in m
        .gate
        .checks
        .iter()
        .filter(|c| !c.passed && !c.message.is_empty())
    {
        let _ = writeln!(s, "- ❌ {}", cell(&c.message));
    }
    if m.gate
        .checks
        .iter()
        .any(|c| !c.passed && !c.message.is_empty())
    {
        s.push('\n');
    }
}

fn reasons(s: &mut String, m: &Metrics) {
    s.push_str("## Escalation reasons\n\n");
    let reasons = reasons_by_count(m);
    if reasons.is_empty() {
        s.push_str("No bot turn was escalated.\n\n");
        return;
    }
    header(s, &["reason", "turns", "share of escalated turns"], "lrr");
    let total = m.escalation.escalated_turns;
    for (code, n) in reasons {
        let share = (total > 0).then(|| n as f64 / total as f64);
        row(
            s,
            &[
                format!("`{}`", code.replace('`', "'")),
                count(n),
                pct(share),
            ],
        );
    }
    s.push_str(
        "\nA turn can have several reasons, so the shares can add up to more than 100%.\n\n",
    );
}

fn intents(s: &mut String, m: &Metrics) {
    s.push_str("## Intents\n\n");
    let order = intent_order(m);
    let classes: Vec<&String> = order
        .iter()
        .filter(|l| m.intent.per_intent.contains_key(*l))
        .collect();
    if classes.is_empty() || m.intent.labelled == 0 {
        s.push_str("No labelled turns (no `expected_intent`).\n\n");
        return;
    }
    header(
        s,
        &["intent", "precision", "recall", "F1", "support"],
        "lrrrr",
    );
    for l in &classes {
        if let Some(c) = m.intent.per_intent.get(*l) {
            row(
                s,
                &[
                    cell(l),
                    pct(c.precision),
                    pct(c.recall),
                    pct(c.f1),
                    count(c.support),
                ],
            );
        }
    }
    s.push('\n');

    if m.intent.confusion.is_empty() {
        return;
    }
    s.push_str(
        "### Confusion matrix\n\nRows are the expected intent, columns the predicted one.\n\n",
    );
    let mut cols: Vec<String> = vec!["expected ↓ / predicted →".into()];
    cols.extend(order.iter().map(|l| cell(l)));
    let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    header(s, &col_refs, &format!("l{}", "r".repeat(order.len())));
    for expected in &order {
        let Some(preds) = m.intent.confusion.get(expected) else {
            continue;
        };
        let mut cells = vec![format!("**{}**", cell(expected))];
        for predicted in &order {
            let n = preds.get(predicted).copied().unwrap_or(0);
            cells.push(match (n, predicted == expected) {
                (0, _) => "·".into(),
                (n, true) => format!("**{n}**"),
                (n, false) => n.to_string(),
            });
        }
        row(s, &cells);
    }
    s.push('\n');
}

fn sweep(s: &mut String, m: &Metrics) {
    s.push_str("## Confidence threshold sweep\n\n");
    let sw = &m.sweep;
    if sw.points.is_empty() {
        s.push_str("No bot turns to sweep.\n\n");
        return;
    }
    let sentence = match (sw.target_escalation_rate, sw.recommended_threshold.filter(|r| r.is_finite())) {
        (Some(t), Some(r)) => format!(
            "Target escalation rate {}: ⭐ **{r:.2}** is the threshold with the fewest wrong answers \
             that keeps the escalation rate at or under it.",
            pct(Some(t))
        ),
        (Some(t), None) => format!(
            "Target escalation rate {}: no threshold keeps the escalation rate at or under it; \
             the escalations that do not depend on confidence already exceed it.",
            pct(Some(t))
        ),
        (None, _) => "No target escalation rate was set, so no threshold is recommended.".to_string(),
    };
    let _ = writeln!(s, "{sentence}\n");
    header(
        s,
        &[
            "threshold",
            "escalation rate",
            "turn rate",
            "answers sent",
            "wrong-answer rate",
        ],
        "rrrrr",
    );
    for p in &sw.points {
        let recommended = sw
            .recommended_threshold
            .is_some_and(|r| (r - p.threshold).abs() < 1e-6);
        let t = if recommended {
            format!("⭐ **{:.2}**", p.threshold)
        } else {
            format!("{:.2}", p.threshold)
        };
        row(
            s,
            &[
                t,
                pct(Some(p.escalation_rate)),
                pct(Some(p.turn_rate)),
                count(p.answers_sent),
                pct(p.wrong_answer_rate),
            ],
        );
    }
    s.push_str(
        "\nEscalation rate: conversations with an escalated bot turn at that threshold. Wrong answers: \
         answers sent that the labels say should have escalated or that do not cite the expected doc.\n\n",
    );
}

fn gaps(s: &mut String, m: &Metrics) {
    s.push_str("## Documentation gaps\n\n");
    if m.gaps.is_empty() {
        s.push_str("No retrieval misses or low-confidence escalations to group.\n\n");
        return;
    }
    s.push_str("Retrieval misses and low-confidence escalations by intent and topic, biggest first: the articles to write next.\n\n");
    header(
        s,
        &[
            "intent",
            "topic",
            "turns",
            "misses",
            "low confidence",
            "examples",
        ],
        "llrrrl",
    );
    for g in &m.gaps {
        let examples: Vec<String> = g.examples.iter().map(|e| cell(e)).collect();
        row(
            s,
            &[
                cell(&g.intent),
                cell(&g.topic),
                count(g.turns),
                count(g.misses),
                count(g.low_confidence),
                examples.join(", "),
            ],
        );
    }
    s.push('\n');
}

fn cost(s: &mut String, m: &Metrics) {
    let k = &m.cost;
    s.push_str("## Cost by component\n\n");
    let what = super::cost_note(k);
    if !what.is_empty() {
        let _ = writeln!(s, "{what}\n");
    }
    if k.per_component.is_empty() {
        s.push_str("No calls were priced.\n\n");
        return;
    }
    header(
        s,
        &["component", "calls", "input tokens", "output tokens", "₹"],
        "lrrrr",
    );
    let (mut calls, mut input, mut output) = (0u64, 0u64, 0u64);
    for (name, c) in &k.per_component {
        calls += c.calls;
        input += c.input_tokens;
        output += c.output_tokens;
        row(
            s,
            &[
                cell(name),
                count(c.calls),
                count(c.input_tokens),
                count(c.output_tokens),
                inr(c.inr),
            ],
        );
    }
    row(
        s,
        &[
            "**total**".into(),
            count(calls),
            count(input),
            count(output),
            format!("**{}**", inr(k.total_inr)),
        ],
    );
    s.push('\n');
    if !k.per_model.is_empty() {
        header(
            s,
            &["model", "calls", "input tokens", "output tokens", "₹"],
            "lrrrr",
        );
        for (name, c) in &k.per_model {
            row(
                s,
                &[
                    format!("`{}`", name.replace('`', "'")),
                    count(c.calls),
                    count(c.input_tokens),
                    count(c.output_tokens),
                    inr(c.inr),
                ],
            );
        }
        s.push('\n');
    }
}

fn worst_tickets(s: &mut String, worst: &[TurnRecord]) {
    let _ = writeln!(s, "## Worst tickets\n");
    if worst.is_empty() {
        s.push_str("Nothing went wrong in any bot turn.\n");
        return;
    }
    header(s, &["#", "ticket", "what went wrong", "message"], "rlll");
    for (i, r) in worst.iter().take(WORST_SHOWN).enumerate() {
        row(
            s,
            &[
                (i + 1).to_string(),
                cell(&r.ticket_id),
                cell(&what_went_wrong(r)),
                cell(&truncate_chars(&one_line(&r.message), 80)),
            ],
        );
    }
    if worst.len() > WORST_SHOWN {
        let _ = writeln!(s, "\n{} more in report.html.", worst.len() - WORST_SHOWN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    fn worst() -> Vec<TurnRecord> {
        fixtures::worst()
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&fixtures::metrics(), &worst()));
    }

    #[test]
    fn snapshot_empty_run() {
        insta::assert_snapshot!(render(&fixtures::empty_metrics(), &[]));
    }

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
        assert_eq!(cell("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        let md = render(&fixtures::metrics(), &worst());
        assert!(!md.contains("<script>"));
        for line in md.lines().filter(|l| l.starts_with('|')) {
            assert!(line.ends_with('|'), "table row on one line: {line}");
        }
    }

    #[test]
    fn nulls_are_dashes() {
        let md = render(&fixtures::empty_metrics(), &[]);
        assert!(md.contains("| intent accuracy | — (no expected_intent labels) |"));
        assert!(md.contains("| MRR | — |"));
        assert!(!md.contains("NaN"));
    }
}
