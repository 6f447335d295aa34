//! `supportbench ask`: one message through the pipeline, with its trace.

use anyhow::{bail, Result};

use crate::cli::AskArgs;
use crate::commands::prepare::prepare;
use crate::error::Outcome;
use crate::pipeline::trace::{Labels, TurnRecord};
use crate::pipeline::{Pipeline, TurnInput};
use crate::util::{emit, one_line};

pub fn run(args: AskArgs) -> Result<Outcome> {
    if args.message.trim().is_empty() {
        bail!("the message is empty: pass the customer's text, e.g. supportbench ask \"my UPI payment failed\"");
    }
    let p = prepare(&args.pipeline, !args.json)?;
    let pipeline = Pipeline::new(&p.config, &p.index, p.backend.as_ref());
    let input = TurnInput {
        ticket_id: "ask".into(),
        conversation_id: "ask".into(),
        turn: 1,
        message: args.message.clone(),
        labels: Labels::default(),
        extra: Vec::new(),
    };
    let mut records = pipeline.run_conversation(vec![input])?;
    let Some(r) = records.pop() else {
        bail!("the pipeline returned no turn")
    };
    if args.json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&r)?))?;
    } else {
        emit(&trace_text(&r))?;
    }
    Ok(Outcome::Passed)
}

/// The trace as people read it.
pub fn trace_text(r: &TurnRecord) -> String {
    let pct = |v: Option<f64>| v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "—".into());
    let why = |v: &Option<String>| v.as_ref().map(|x| format!(" — {x}")).unwrap_or_default();
    let mut s = format!("message     {}\n", one_line(&r.message));
    s.push_str(&format!(
        "intent      {} (confidence {}){}\n",
        r.predicted_intent.as_deref().unwrap_or("—"),
        pct(r.intent_confidence),
        why(&r.intent_reasoning)
    ));
    s.push_str(&format!(
        "retrieval   top relevance {}{}\n",
        pct(r.top_relevance),
        if r.retrieval_miss == Some(true) {
            " (miss: under the relevance threshold)"
        } else {
            ""
        }
    ));
    for (i, c) in r.retrieved.iter().enumerate() {
        s.push_str(&format!(
            "  {}. {:.3}  {}  {}\n",
            i + 1,
            c.score,
            c.doc_id,
            c.heading_path.join(" > ")
        ));
    }
    s.push_str(&format!(
        "sentiment   {}\n",
        r.sentiment.as_deref().unwrap_or("—")
    ));
    s.push_str(&format!(
        "response    {}\n",
        r.response
            .as_deref()
            .map(one_line)
            .unwrap_or_else(|| "—".into())
    ));
    s.push_str(&format!(
        "confidence  {}{}\n",
        pct(r.response_confidence),
        why(&r.response_reasoning)
    ));
    if let Some(m) = &r.missing_info {
        s.push_str(&format!("missing     {m}\n"));
    }
    if let Some(e) = &r.error {
        s.push_str(&format!("error       {e}\n"));
    }
    let decision = if r.escalate {
        format!("ESCALATE ({})", r.escalation_reasons.join(", "))
    } else {
        "answer (no escalation rule fired)".into()
    };
    s.push_str(&format!("decision    {decision}\n"));
    s.push_str(&format!("cost        ₹{:.4} projected\n", r.cost_inr));
    s
}
