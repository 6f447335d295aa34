//! `report.html`: one self-contained page for people — no scripts, no external styles, fonts or
//! images, nothing fetched: it opens from a CI artifact with the network off. Charts are inline
//! SVG generated here: confusion matrix heatmap, escalation reasons, the threshold sweep curve and
//! cost by component; then the tables and the worst tickets, each with its full trace.
//!
//! Every string that comes from data (tickets, model output, config, file names) goes through
//! [`esc`]. Every SVG coordinate goes through [`num`], which turns a non-finite value into 0, so
//! empty data cannot put `NaN` into the markup.

use std::fmt::Write as _;

use crate::eval::metrics::{Metrics, SweepPoint};
use crate::pipeline::trace::{HandledBy, TurnRecord};
use crate::report::worst::what_went_wrong;
use crate::report::{
    check_value, count, inr, inr_opt, intent_order, pct, reasons_by_count, score, NONE,
};
use crate::util::{one_line, truncate_chars};

/// The sweep chart's threshold axis.
const SWEEP_MIN: f64 = 0.5;
const SWEEP_MAX: f64 = 0.95;

const STYLE: &str = r#"
:root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f9fafb; --blue: #2563eb;
        --red: #dc2626; --green: #16a34a; --amber: #d97706; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 8px; }
p.run, p.note { color: var(--muted); margin: 4px 0 12px; }
p.empty { color: var(--muted); font-style: italic; }
.status { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 13px; }
.status.pass { background: #dcfce7; color: #166534; }
.status.fail { background: #fee2e2; color: #991b1b; }
.status.none { background: var(--line); color: var(--fg); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.card .value { font-size: 22px; font-weight: 600; margin: 2px 0; }
.card .sub { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; background: #fff; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: #fef2f2; }
tr.star td { background: #f0fdf4; font-weight: 600; }
.pass { color: var(--green); }
.fail-text { color: var(--red); font-weight: 600; }
svg { background: #fff; border: 1px solid var(--line); border-radius: 8px; max-width: 100%; height: auto; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: var(--fg); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
details { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; padding: 8px 12px; }
details summary { cursor: pointer; }
details .wrong { color: var(--red); }
details .msg { color: var(--muted); }
dl.trace { display: grid; grid-template-columns: 150px 1fr; gap: 6px 12px; margin: 12px 0 4px; }
dl.trace dt { color: var(--muted); font-weight: 600; }
dl.trace dd { margin: 0; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0; font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace;
      background: var(--bg); padding: 6px 8px; border-radius: 4px; }
code { font: 12.5px ui-monospace, Menlo, Consolas, monospace; }
footer { color: var(--muted); margin-top: 40px; font-size: 12px; }
"#;

/// The text of report.html.
pub fn render(m: &Metrics, worst: &[TurnRecord]) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        h,
        "<title>supportbench report — {}</title>",
        esc(&m.run.tickets)
    );
    let _ = writeln!(h, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    header(&mut h, m);
    headline(&mut h, m);
    gate(&mut h, m);
    intents(&mut h, m);
    escalation(&mut h, m);
    sweep(&mut h, m);
    gaps(&mut h, m);
    cost(&mut h, m);
    worst_tickets(&mut h, worst);
    let _ = writeln!(
        h,
        "<footer>supportbench {} · schema {} · this page loads nothing from the network</footer>",
        esc(&m.run.tool_version),
        m.schema_version
    );
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// Escape text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An SVG coordinate: one decimal, and 0 for anything non-finite.
fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "0".to_string()
    }
}

/// `part / whole`, 0 when the whole is 0.
fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 && part.is_finite() {
        (part / whole).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn empty(h: &mut String, text: &str) {
    let _ = writeln!(h, "<p class=\"empty\">{}</p>", esc(text));
}

fn header(h: &mut String, m: &Metrics) {
    let checks = &m.gate.checks;
    let failed = checks.iter().filter(|c| !c.passed).count();
    let (class, status) = if checks.is_empty() {
        ("none", "no gate checks".to_string())
    } else if m.gate.passed && failed == 0 {
        ("pass", format!("✅ gate passed ({} checks)", checks.len()))
    } else {
        (
            "fail",
            format!("❌ gate failed ({failed} of {} checks)", checks.len()),
        )
    };
    let _ = writeln!(h, "<header>\n<h1>supportbench report</h1>");
    let _ = writeln!(h, "<span class=\"status {class}\">{}</span>", esc(&status));
    let r = &m.run;
    let code = |v: &str| {
        if v.is_empty() {
            NONE.to_string()
        } else {
            format!("<code>{}</code>", esc(v))
        }
    };
    let mut parts = vec![
        format!("tickets {}", code(&r.tickets)),
        format!("backend {}", code(&r.backend)),
        format!("embedder {}", code(&r.embedder)),
        format!(
            "{} docs, {} chunks",
            count(r.docs as u64),
            count(r.chunks as u64)
        ),
    ];
    if let Some(t) = &r.train {
        parts.push(format!("trained on <code>{}</code>", esc(t)));
    }
    let _ = writeln!(h, "<p class=\"run\">{}</p>\n</header>", parts.join(" · "));
}

fn card(h: &mut String, label: &str, value: &str, sub: &str) {
    let _ = writeln!(
        h,
        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"sub\">{}</div></div>",
        esc(label),
        esc(value),
        esc(sub)
    );
}

fn labelled_note(n: u64, what: &str) -> String {
    if n == 0 {
        format!("no {what} labels")
    } else {
        format!("{} labelled turns", count(n))
    }
}

fn headline(h: &mut String, m: &Metrics) {
    let (c, i, e, r, k) = (&m.counts, &m.intent, &m.escalation, &m.retrieval, &m.cost);
    h.push_str("<section id=\"headline\">\n<h2>Headline</h2>\n<div class=\"cards\">\n");
    card(
        h,
        "conversations",
        &count(c.conversations),
        &format!(
            "{} bot turns · {} human turns · {} failed",
            count(c.bot_turns),
            count(c.human_turns),
            count(c.errors)
        ),
    );
    card(
        h,
        "intent accuracy",
        &pct(i.accuracy),
        &labelled_note(i.labelled, "expected_intent"),
    );
    card(
        h,
        "intent macro F1",
        &pct(i.macro_f1),
        &format!("over {} intents", i.per_intent.len()),
    );
    card(
        h,
        "escalation rate",
        &pct(e.rate),
        &format!(
            "{} of {} conversations · {} of bot turns",
            count(e.escalated_conversations),
            count(c.conversations),
            pct(e.turn_rate)
        ),
    );
    card(
        h,
        "escalation P / R / F1",
        &format!("{} / {} / {}", pct(e.precision), pct(e.recall), pct(e.f1)),
        &labelled_note(e.labelled, "expected_escalate"),
    );
    card(
        h,
        "calibration error · intent / response",
        &format!(
            "{} / {}",
            score(i.calibration_error),
            score(e.confidence_calibration_error)
        ),
        "confidence against how often it was right (10 bins; 0 = calibrated)",
    );
    card(
        h,
        "retrieval miss rate",
        &pct(r.miss_rate),
        &format!(
            "{} turns under relevance {:.2}",
            count(r.misses),
            r.relevance_threshold
        ),
    );
    card(
        h,
        &format!("recall@{} · MRR", r.k),
        &format!("{} · {}", pct(r.recall_at_k), score(r.mrr)),
        &labelled_note(r.labelled, "expected_doc"),
    );
    card(
        h,
        "cost per conversation",
        &inr_opt(k.per_conversation_inr),
        &format!(
            "{} · total {}",
            if k.mode.is_empty() { NONE } else { &k.mode },
            inr(k.total_inr)
        ),
    );
    card(
        h,
        "projected per month",
        &inr_opt(k.per_month_inr),
        &format!("for {} conversations", count(k.monthly_conversations)),
    );
    h.push_str("</div>\n</section>\n");
}

fn gate(h: &mut String, m: &Metrics) {
    h.push_str("<section id=\"gate\">\n<h2>Gate checks</h2>\n");
    if m.gate.checks.is_empty() {
        empty(h, "no gate flags were given: nothing was checked");
        h.push_str("</section>\n");
        return;
    }
    h.push_str("<table>\n<tr><th>check</th><th class=\"num\">value</th><th class=\"num\">limit</th><th>result</th><th>detail</th></tr>\n");
    for c in &m.gate.checks {
        let _ = writeln!(
            h,
            "<tr{}><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            if c.passed { "" } else { " class=\"fail\"" },
            esc(&c.name),
            esc(&check_value(&c.name, c.value)),
            esc(&check_value(&c.name, Some(c.limit))),
            if c.passed { "<span class=\"pass\">✅ pass</span>" } else { "<span class=\"fail-text\">❌ fail</span>" },
            esc(&c.message)
        );
    }
    h.push_str("</table>\n</section>\n");
}

fn intents(h: &mut String, m: &Metrics) {
    h.push_str("<section id=\"intents\">\n<h2>Intents</h2>\n<div class=\"grid\">\n<div>\n<h3>Confusion matrix</h3>\n");
    confusion_svg(h, m);
    h.push_str("</div>\n<div>\n<h3>Per intent</h3>\n");
    let order = intent_order(m);
    let classes: Vec<&String> = order
        .iter()
        .filter(|l| m.intent.per_intent.contains_key(*l))
        .collect();
    if classes.is_empty() || m.intent.labelled == 0 {
        empty(h, "no labelled turns");
    } else {
        h.push_str("<table>\n<tr><th>intent</th><th class=\"num\">precision</th><th class=\"num\">recall</th><th class=\"num\">F1</th><th class=\"num\">support</th></tr>\n");
        for l in classes {
            if let Some(c) = m.intent.per_intent.get(l) {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(l),
                    pct(c.precision),
                    pct(c.recall),
                    pct(c.f1),
                    count(c.support)
                );
            }
        }
        h.push_str("</table>\n");
    }
    h.push_str("</div>\n</div>\n</section>\n");
}

/// Expected rows × predicted columns, counts in cells, shaded by the share of the row.
fn confusion_svg(h: &mut String, m: &Metrics) {
    let total: u64 = m.intent.confusion.values().flat_map(|r| r.values()).sum();
    if total == 0 || m.intent.labelled == 0 {
        empty(h, "no labelled turns");
        return;
    }
    let labels = intent_order(m);
    let n = labels.len() as f64;
    let (left, top, cell) = (110.0, 64.0, 60.0);
    let (w, ht) = (left + n * cell + 12.0, top + n * cell + 12.0);
    let _ = writeln!(
        h,
        "<svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"confusion matrix: expected intent by row, predicted intent by column\">",
        num(w),
        num(ht),
        num(w),
        num(ht)
    );
    let _ = writeln!(
        h,
        "<text x=\"{}\" y=\"16\" text-anchor=\"middle\" font-weight=\"600\">predicted →</text>",
        num(left + n * cell / 2.0)
    );
    let _ = writeln!(
        h,
        "<text x=\"8\" y=\"{}\" font-weight=\"600\">expected ↓</text>",
        num(top - 8.0)
    );
    for (j, p) in labels.iter().enumerate() {
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(left + (j as f64 + 0.5) * cell),
            num(top - 10.0),
            esc(&truncate_chars(p, 10))
        );
    }
    for (i, e) in labels.iter().enumerate() {
        let y = top + i as f64 * cell;
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            num(left - 8.0),
            num(y + cell / 2.0 + 4.0),
            esc(&truncate_chars(e, 16))
        );
        let row = m.intent.confusion.get(e);
        let row_total: u64 = row.map(|r| r.values().sum()).unwrap_or(0);
        for (j, p) in labels.iter().enumerate() {
            let x = left + j as f64 * cell;
            let c = row.and_then(|r| r.get(p)).copied().unwrap_or(0);
            let s = share(c as f64, row_total as f64);
            let lightness = 97.0 - 55.0 * s;
            let stroke = if i == j { "#64748b" } else { "#e5e7eb" };
            let _ = writeln!(
                h,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"hsl(217, 85%, {}%)\" stroke=\"{stroke}\"><title>expected {} → predicted {}: {} ({} of the row)</title></rect>",
                num(x + 1.0),
                num(y + 1.0),
                num(cell - 2.0),
                num(cell - 2.0),
                num(lightness),
                esc(e),
                esc(p),
                c,
                pct(Some(s))
            );
            let text_fill = if s > 0.55 { "#ffffff" } else { "#1f2937" };
            let _ = writeln!(
                h,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" style=\"fill: {text_fill}\"{}>{}</text>",
                num(x + cell / 2.0),
                num(y + cell / 2.0 + 4.0),
                if i == j { " font-weight=\"600\"" } else { "" },
                if c == 0 { "·".to_string() } else { c.to_string() }
            );
        }
    }
    h.push_str("</svg>\n<p class=\"note\">Rows: expected intent; columns: predicted. Shade: share of the row.</p>\n");
}

/// Horizontal bars: `(label, value, value text)`.
fn bar_chart(h: &mut String, aria: &str, bars: &[(String, f64, String)], colour: &str) {
    let (label_w, bar_w, value_w, row_h, top) = (170.0, 340.0, 130.0, 26.0, 8.0);
    let w = label_w + bar_w + value_w;
    let ht = top * 2.0 + bars.len() as f64 * row_h;
    let max = bars
        .iter()
        .map(|b| b.1)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let _ = writeln!(
        h,
        "<svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">",
        num(w),
        num(ht),
        num(w),
        num(ht),
        esc(aria)
    );
    for (i, (label, v, text)) in bars.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let len = bar_w * share(*v, max);
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            num(label_w - 8.0),
            num(y + row_h / 2.0 + 4.0),
            esc(&truncate_chars(label, 26))
        );
        let _ = writeln!(
            h,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{colour}\"><title>{}: {}</title></rect>",
            num(label_w),
            num(y + 4.0),
            num(len),
            num(row_h - 8.0),
            esc(label),
            esc(text)
        );
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(label_w + len + 6.0),
            num(y + row_h / 2.0 + 4.0),
            esc(text)
        );
    }
    h.push_str("</svg>\n");
}

fn escalation(h: &mut String, m: &Metrics) {
    h.push_str("<section id=\"escalation\">\n<h2>Escalation reasons</h2>\n");
    let reasons = reasons_by_count(m);
    if reasons.is_empty() {
        empty(h, "no escalated turns");
    } else {
        let total = m.escalation.escalated_turns as f64;
        let bars: Vec<(String, f64, String)> = reasons
            .iter()
            .map(|(code, n)| {
                let s = (total > 0.0).then(|| *n as f64 / total);
                (
                    code.to_string(),
                    *n as f64,
                    format!("{} ({})", count(*n), pct(s)),
                )
            })
            .collect();
        bar_chart(h, "escalated bot turns by reason", &bars, "#d97706");
        h.push_str("<p class=\"note\">Bot turns per reason (share of escalated turns; a turn can have several reasons).</p>\n");
    }
    h.push_str("</section>\n");
}

fn sweep(h: &mut String, m: &Metrics) {
    h.push_str("<section id=\"sweep\">\n<h2>Confidence threshold sweep</h2>\n");
    let sw = &m.sweep;
    let sentence = match (sw.target_escalation_rate, sw.recommended_threshold.filter(|r| r.is_finite())) {
        (Some(t), Some(r)) => format!(
            "Target escalation rate {}: ⭐ {r:.2} is the threshold with the fewest wrong answers that keeps the escalation rate at or under it.",
            pct(Some(t))
        ),
        (Some(t), None) => format!("Target escalation rate {}: no threshold keeps the escalation rate at or under it.", pct(Some(t))),
        (None, _) => "No target escalation rate was set, so no threshold is recommended.".to_string(),
    };
    if sw.points.is_empty() {
        empty(h, "no bot turns to sweep");
        h.push_str("</section>\n");
        return;
    }
    let _ = writeln!(h, "<p>{}</p>", esc(&sentence));
    sweep_svg(h, m);
    h.push_str("<details>\n<summary>values</summary>\n<table>\n<tr><th class=\"num\">threshold</th><th class=\"num\">escalation rate</th><th class=\"num\">turn rate</th><th class=\"num\">answers sent</th><th class=\"num\">wrong-answer rate</th></tr>\n");
    for p in &sw.points {
        let star = is_recommended(m, p);
        let _ = writeln!(
            h,
            "<tr{}><td class=\"num\">{}{:.2}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            if star { " class=\"star\"" } else { "" },
            if star { "⭐ " } else { "" },
            p.threshold,
            pct(Some(p.escalation_rate)),
            pct(Some(p.turn_rate)),
            count(p.answers_sent),
            pct(p.wrong_answer_rate)
        );
    }
    h.push_str("</table>\n</details>\n</section>\n");
}

fn is_recommended(m: &Metrics, p: &SweepPoint) -> bool {
    m.sweep
        .recommended_threshold
        .is_some_and(|r| (r - p.threshold).abs() < 1e-6)
}

/// Escalation rate and wrong-answer rate against the threshold, with the target and the
/// recommended threshold marked.
fn sweep_svg(h: &mut String, m: &Metrics) {
    let sw = &m.sweep;
    let (w, ht) = (660.0, 320.0);
    let (ml, mr, mt, mb) = (56.0, 24.0, 44.0, 46.0);
    let (pw, ph) = (w - ml - mr, ht - mt - mb);
    let mut points: Vec<&SweepPoint> = sw
        .points
        .iter()
        .filter(|p| p.threshold.is_finite())
        .collect();
    points.sort_by(|a, b| a.threshold.total_cmp(&b.threshold));

    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let peak = points
        .iter()
        .flat_map(|p| [Some(p.escalation_rate), p.wrong_answer_rate])
        .flatten()
        .chain(sw.target_escalation_rate)
        .map(finite)
        .fold(0.0_f64, f64::max);
    // A round tick step giving at most 6 intervals, and an axis that ends on a tick.
    let peak = peak.clamp(0.1, 1.0);
    let step = [0.02, 0.05, 0.1, 0.2]
        .into_iter()
        .find(|s| peak / s <= 6.0 + 1e-9)
        .unwrap_or(0.2);
    let ticks = (peak / step - 1e-9).ceil().max(1.0) as usize;
    let ymax = step * ticks as f64;
    let x = |t: f64| ml + pw * share(finite(t) - SWEEP_MIN, SWEEP_MAX - SWEEP_MIN);
    let y = |v: f64| mt + ph - ph * share(finite(v), ymax);

    let _ = writeln!(
        h,
        "<svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"escalation rate and wrong-answer rate by confidence threshold\">",
        num(w),
        num(ht),
        num(w),
        num(ht)
    );
    // Grid and y axis.
    for i in 0..=ticks {
        let v = step * i as f64;
        let yy = y(v);
        let _ = writeln!(
            h,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e5e7eb\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{:.0}%</text>",
            num(ml),
            num(yy),
            num(ml + pw),
            num(yy),
            num(ml - 6.0),
            num(yy + 4.0),
            v * 100.0
        );
    }
    // X axis with a tick every 0.05.
    let _ = writeln!(
        h,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#6b7280\"/><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#6b7280\"/>",
        num(ml),
        num(mt + ph),
        num(ml + pw),
        num(mt + ph),
        num(ml),
        num(mt),
        num(ml),
        num(mt + ph)
    );
    for i in 0..=9 {
        let t = SWEEP_MIN + 0.05 * i as f64;
        let xx = x(t);
        let _ = writeln!(
            h,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#6b7280\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{t:.2}</text>",
            num(xx),
            num(mt + ph),
            num(xx),
            num(mt + ph + 5.0),
            num(xx),
            num(mt + ph + 18.0)
        );
    }
    let _ = writeln!(
        h,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">response confidence threshold</text>",
        num(ml + pw / 2.0),
        num(ht - 8.0)
    );

    // Target escalation rate.
    if let Some(t) = sw.target_escalation_rate {
        let yy = y(t);
        let _ = writeln!(
            h,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#2563eb\" stroke-opacity=\"0.5\" stroke-dasharray=\"2 3\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" style=\"fill: #2563eb\">target {}</text>",
            num(ml),
            num(yy),
            num(ml + pw),
            num(yy),
            num(ml + pw - 2.0),
            num(yy - 4.0),
            esc(&pct(Some(t)))
        );
    }

    // Recommended threshold.
    let recommended = sw.recommended_threshold.filter(|r| r.is_finite());
    if let Some(r) = recommended {
        let xx = x(r);
        let _ = writeln!(
            h,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#16a34a\" stroke-dasharray=\"5 4\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" style=\"fill: #16a34a\" font-weight=\"600\">⭐ {r:.2}</text>",
            num(xx),
            num(mt),
            num(xx),
            num(mt + ph),
            num(xx),
            num(mt - 4.0)
        );
    }

    // Series.
    let series: [(&str, &str, &str, Vec<Option<f64>>); 2] = [
        (
            "escalation rate",
            "#2563eb",
            "",
            points.iter().map(|p| Some(p.escalation_rate)).collect(),
        ),
        (
            "wrong-answer rate",
            "#dc2626",
            " stroke-dasharray=\"6 4\"",
            points.iter().map(|p| p.wrong_answer_rate).collect(),
        ),
    ];
    for (name, colour, dash, values) in &series {
        // Break the line where a value is null.
        let mut segment: Vec<String> = Vec::new();
        let mut segments: Vec<Vec<String>> = Vec::new();
        for (p, v) in points.iter().zip(values) {
            match v.filter(|v| v.is_finite()) {
                Some(v) => segment.push(format!("{},{}", num(x(p.threshold)), num(y(v)))),
                None => segments.push(std::mem::take(&mut segment)),
            }
        }
        segments.push(segment);
        for s in segments.iter().filter(|s| s.len() > 1) {
            let _ = writeln!(
                h,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
                s.join(" ")
            );
        }
        for (p, v) in points.iter().zip(values) {
            if let Some(v) = v.filter(|v| v.is_finite()) {
                let _ = writeln!(
                    h,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{colour}\"><title>{name} at {:.2}: {}</title></circle>",
                    num(x(p.threshold)),
                    num(y(v)),
                    p.threshold,
                    pct(Some(v))
                );
            }
        }
    }
    if let Some(p) = points.iter().find(|p| is_recommended(m, p)) {
        let _ = writeln!(
            h,
            "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"none\" stroke=\"#16a34a\" stroke-width=\"2\"><title>recommended threshold {:.2}: escalation rate {}</title></circle>",
            num(x(p.threshold)),
            num(y(p.escalation_rate)),
            p.threshold,
            pct(Some(p.escalation_rate))
        );
    }

    // Legend.
    let has_wrong = points.iter().any(|p| p.wrong_answer_rate.is_some());
    let legend: [(&str, &str, &str, String); 3] = [
        (
            "#2563eb",
            "",
            "",
            "escalation rate (conversations)".to_string(),
        ),
        (
            "#dc2626",
            " stroke-dasharray=\"6 4\"",
            "",
            if has_wrong {
                "wrong-answer rate".to_string()
            } else {
                "wrong-answer rate (no labelled turns)".to_string()
            },
        ),
        (
            "#16a34a",
            " stroke-dasharray=\"5 4\"",
            "",
            "recommended threshold".to_string(),
        ),
    ];
    let mut lx = ml;
    for (colour, dash, _, label) in legend.iter() {
        if colour == &"#16a34a" && recommended.is_none() {
            continue;
        }
        let _ = writeln!(
            h,
            "<line x1=\"{}\" y1=\"14\" x2=\"{}\" y2=\"14\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/><text x=\"{}\" y=\"18\">{}</text>",
            num(lx),
            num(lx + 22.0),
            num(lx + 28.0),
            esc(label)
        );
        lx += 44.0 + 6.4 * label.chars().count() as f64;
    }
    h.push_str("</svg>\n");
}

fn gaps(h: &mut String, m: &Metrics) {
    h.push_str("<section id=\"gaps\">\n<h2>Documentation gaps</h2>\n");
    if m.gaps.is_empty() {
        empty(h, "no retrieval misses or low-confidence escalations");
        h.push_str("</section>\n");
        return;
    }
    h.push_str("<p class=\"note\">Retrieval misses and low-confidence escalations by intent and topic, biggest first: the articles to write next.</p>\n");
    h.push_str("<table>\n<tr><th>intent</th><th>topic</th><th class=\"num\">turns</th><th class=\"num\">misses</th><th class=\"num\">low confidence</th><th>examples</th></tr>\n");
    for g in &m.gaps {
        let examples: Vec<String> = g
            .examples
            .iter()
            .map(|e| format!("<code>{}</code>", esc(e)))
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&g.intent),
            esc(&g.topic),
            count(g.turns),
            count(g.misses),
            count(g.low_confidence),
            examples.join(", ")
        );
    }
    h.push_str("</table>\n</section>\n");
}

fn cost(h: &mut String, m: &Metrics) {
    let k = &m.cost;
    h.push_str("<section id=\"cost\">\n<h2>Cost by component</h2>\n");
    let what = super::cost_note(k);
    if !what.is_empty() {
        let _ = writeln!(h, "<p class=\"note\">{what}</p>");
    }
    if k.per_component.is_empty() {
        empty(h, "no calls were priced");
        h.push_str("</section>\n");
        return;
    }
    let bars: Vec<(String, f64, String)> = k
        .per_component
        .iter()
        .map(|(name, c)| (name.clone(), c.inr, inr(c.inr)))
        .collect();
    bar_chart(h, "cost in rupees by pipeline component", &bars, "#2563eb");
    h.push_str("<table>\n<tr><th>component</th><th class=\"num\">calls</th><th class=\"num\">input tokens</th><th class=\"num\">output tokens</th><th class=\"num\">₹</th></tr>\n");
    let rows = k
        .per_component
        .iter()
        .map(|(n, c)| (n, c, false))
        .chain(k.per_model.iter().map(|(n, c)| (n, c, true)));
    let mut model_header = false;
    for (name, c, is_model) in rows {
        if is_model && !model_header {
            h.push_str("<tr><th>model</th><th class=\"num\">calls</th><th class=\"num\">input tokens</th><th class=\"num\">output tokens</th><th class=\"num\">₹</th></tr>\n");
            model_header = true;
        }
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            if is_model { format!("<code>{}</code>", esc(name)) } else { esc(name) },
            count(c.calls),
            count(c.input_tokens),
            count(c.output_tokens),
            esc(&inr(c.inr))
        );
    }
    let _ = writeln!(
        h,
        "<tr><th>total</th><td></td><td></td><td></td><th class=\"num\">{}</th></tr>\n</table>",
        esc(&inr(k.total_inr))
    );
    let _ = writeln!(
        h,
        "<p class=\"note\">{} per conversation · {} per month for {} conversations · ₹{:.2} per USD</p>",
        esc(&inr_opt(k.per_conversation_inr)),
        esc(&inr_opt(k.per_month_inr)),
        count(k.monthly_conversations),
        k.usd_to_inr
    );
    h.push_str("</section>\n");
}

fn opt_text(v: &Option<String>) -> String {
    match v {
        Some(s) if !s.is_empty() => esc(s),
        _ => NONE.to_string(),
    }
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => NONE,
    }
}

fn worst_tickets(h: &mut String, worst: &[TurnRecord]) {
    h.push_str("<section id=\"worst\">\n<h2>Worst tickets</h2>\n");
    if worst.is_empty() {
        empty(h, "nothing went wrong in any bot turn");
        h.push_str("</section>\n");
        return;
    }
    h.push_str("<p class=\"note\">Ranked by what went wrong: failed stage, missed escalation, wrong intent, expected doc not retrieved, needless escalation, retrieval miss, low confidence. Open one for its trace.</p>\n");
    for (i, r) in worst.iter().enumerate() {
        let _ = writeln!(
            h,
            "<details id=\"ticket-{}\">\n<summary><strong>{}.</strong> <code>{}</code> <span class=\"wrong\">{}</span> <span class=\"msg\">{}</span></summary>",
            i + 1,
            i + 1,
            esc(&r.ticket_id),
            esc(&what_went_wrong(r)),
            esc(&truncate_chars(&one_line(&r.message), 80))
        );
        trace(h, r);
        h.push_str("</details>\n");
    }
    h.push_str("</section>\n");
}

fn trace(h: &mut String, r: &TurnRecord) {
    let mut dl: Vec<(&str, String)> = Vec::new();
    dl.push(("message", format!("<pre>{}</pre>", esc(&r.message))));
    dl.push((
        "conversation",
        format!(
            "<code>{}</code>, turn {} · handled by {} · cost {}",
            esc(&r.conversation_id),
            r.turn,
            match r.handled_by {
                HandledBy::Bot => "the bot",
                HandledBy::Human => "a human",
            },
            esc(&inr(r.cost_inr))
        ),
    ));
    let mut intent = format!(
        "{} (confidence {})",
        opt_text(&r.predicted_intent),
        score(r.intent_confidence)
    );
    if let Some(reason) = r.intent_reasoning.as_ref().filter(|s| !s.is_empty()) {
        let _ = write!(intent, " — {}", esc(reason));
    }
    dl.push(("intent", intent));
    let retrieved = if r.retrieved.is_empty() {
        "nothing retrieved".to_string()
    } else {
        let mut t = String::from(
            "<table>\n<tr><th>doc id</th><th>heading path</th><th class=\"num\">score</th></tr>\n",
        );
        for c in &r.retrieved {
            let _ = writeln!(
                t,
                "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&c.doc_id),
                esc(&c.heading_path.join(" > ")),
                score(Some(c.score))
            );
        }
        t.push_str("</table>");
        t
    };
    dl.push((
        "retrieved",
        format!(
            "{retrieved}<div>best relevance {} · retrieval miss {}</div>",
            score(r.top_relevance),
            yes_no(r.retrieval_miss)
        ),
    ));
    let mut response = match &r.response {
        Some(s) => format!("<pre>{}</pre>", esc(s)),
        None => NONE.to_string(),
    };
    let _ = write!(response, "<div>confidence {}", score(r.response_confidence));
    if let Some(reason) = r.response_reasoning.as_ref().filter(|s| !s.is_empty()) {
        let _ = write!(response, " — {}", esc(reason));
    }
    if !r.cited_docs.is_empty() {
        let cited: Vec<String> = r
            .cited_docs
            .iter()
            .map(|d| format!("<code>{}</code>", esc(d)))
            .collect();
        let _ = write!(response, " · cites {}", cited.join(", "));
    }
    response.push_str("</div>");
    dl.push(("response", response));
    dl.push(("missing info", opt_text(&r.missing_info)));
    dl.push(("sentiment", opt_text(&r.sentiment)));
    dl.push(("summary", opt_text(&r.summary)));
    let decision = if r.escalate {
        let reasons: Vec<String> = r
            .escalation_reasons
            .iter()
            .map(|c| format!("<code>{}</code>", esc(c)))
            .collect();
        format!(
            "escalated: {}",
            if reasons.is_empty() {
                NONE.to_string()
            } else {
                reasons.join(", ")
            }
        )
    } else if r.is_bot() {
        "answered by the bot".to_string()
    } else {
        "already with a human".to_string()
    };
    dl.push(("decision", decision));
    if let Some(e) = &r.error {
        dl.push((
            "error",
            format!("<span class=\"fail-text\">{}</span>", esc(e)),
        ));
    }
    let docs = match &r.labels.docs {
        None => NONE.to_string(),
        Some(d) if d.is_empty() => "none answers it".to_string(),
        Some(d) => d
            .iter()
            .map(|d| format!("<code>{}</code>", esc(d)))
            .collect::<Vec<_>>()
            .join(", "),
    };
    dl.push((
        "labels",
        format!(
            "intent {} · escalate {} · docs {}",
            opt_text(&r.labels.intent),
            yes_no(r.labels.escalate),
            docs
        ),
    ));
    if !r.extra.is_empty() {
        let extra: Vec<String> = r
            .extra
            .iter()
            .map(|(k, v)| format!("{}: {}", esc(k), esc(v)))
            .collect();
        dl.push(("input columns", extra.join(" · ")));
    }
    h.push_str("<dl class=\"trace\">\n");
    for (k, v) in dl {
        let _ = writeln!(h, "<dt>{k}</dt><dd>{v}</dd>");
    }
    h.push_str("</dl>\n");
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
    fn ticket_text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let mut records = fixtures::records();
        records.push(records[3].clone());
        let html = render(&fixtures::metrics(), &records);
        assert!(
            !html.contains("<script>"),
            "hostile message rendered as markup"
        );
        assert!(html.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;"
        ));
        assert!(!html.contains("<b>refund</b>"));
        assert!(html.contains("Annual &lt;plans&gt;"));
    }

    #[test]
    fn self_contained() {
        for html in [
            render(&fixtures::metrics(), &worst()),
            render(&fixtures::empty_metrics(), &[]),
        ] {
            assert!(!html.to_lowercase().contains("http"), "no URL of any kind");
            assert!(!html.contains("<script"));
            assert!(!html.contains("<link"));
            assert!(!html.contains("<img"));
            assert!(!html.contains("url("));
            assert!(!html.contains("<₹"), "computed text is escaped too");
            assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
        }
    }

    #[test]
    fn empty_data_has_no_nan() {
        let html = render(&fixtures::empty_metrics(), &[]);
        assert!(!html.contains("NaN") && !html.contains("inf\""));
        assert!(html.contains("no labelled turns"));
        assert!(html.contains("no gate flags were given"));

        // Points but no labels and no conversations: rates 0, wrong-answer rate null.
        let mut m = fixtures::empty_metrics();
        m.intent
            .confusion
            .insert("billing".into(), Default::default());
        m.sweep.points = (0..10)
            .map(|i| SweepPoint {
                threshold: 0.5 + 0.05 * i as f64,
                escalation_rate: if i == 3 { f64::NAN } else { 0.0 },
                turn_rate: 0.0,
                answers_sent: 0,
                wrong_answer_rate: None,
            })
            .collect();
        m.sweep.recommended_threshold = Some(f64::NAN);
        m.cost
            .per_component
            .insert("generation".into(), Default::default());
        m.escalation.reasons.insert("angry".into(), 0);
        let html = render(&m, &[]);
        assert!(!html.contains("NaN"), "NaN in the markup");
        assert!(
            html.contains("<polyline") && html.contains("wrong-answer rate (no labelled turns)")
        );
        assert_eq!(
            html.matches("<svg").count(),
            3,
            "sweep, reasons and cost charts"
        );
    }

    #[test]
    fn recommended_threshold_is_marked() {
        let html = render(&fixtures::metrics(), &[]);
        assert!(html.contains("⭐ 0.75"));
        assert!(html.contains("recommended threshold 0.75"));
    }
}
