//! The prompts the live backends send, one file per stage under `prompts/`, compiled in and
//! rendered here. The offline backend renders the same prompts to project their token cost, so
//! a projected run costs what the live run would.

use serde_json::{json, Value};

use crate::config::Config;

/// A rendered request: the system prompt and the user message.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub system: String,
    pub user: String,
}

/// One earlier turn, as the prompts show it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryTurn {
    pub customer: String,
    pub assistant: String,
}

/// One retrieved excerpt, as the respond prompt shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt {
    pub doc_id: String,
    pub heading_path: Vec<String>,
    pub text: String,
    /// Retrieval relevance (not shown to the model).
    pub score: f64,
    /// The doc's intent, when known (not shown to the model).
    pub intent: Option<String>,
}

const CLASSIFY_SYSTEM: &str = include_str!("prompts/classify.prompt.md");
const CLASSIFY_USER: &str = include_str!("prompts/classify.user.md");
const RESPOND_SYSTEM: &str = include_str!("prompts/respond.prompt.md");
const RESPOND_USER: &str = include_str!("prompts/respond.user.md");
const SENTIMENT_SYSTEM: &str = include_str!("prompts/sentiment.prompt.md");
const SENTIMENT_USER: &str = include_str!("prompts/sentiment.user.md");
const SUMMARY_SYSTEM: &str = include_str!("prompts/summary.prompt.md");
const SUMMARY_USER: &str = include_str!("prompts/summary.user.md");

fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{{{k}}}}}"), v);
    }
    out.trim_end().to_string()
}

fn history_block(history: &[HistoryTurn]) -> String {
    if history.is_empty() {
        return String::new();
    }
    let mut s = String::from("Conversation so far:\n");
    for h in history {
        s.push_str(&format!(
            "Customer: {}\nAssistant: {}\n",
            h.customer.trim(),
            h.assistant.trim()
        ));
    }
    s.push('\n');
    s
}

fn summary_block(summary: Option<&str>) -> String {
    summary
        .map(|s| format!("Summary of the earlier conversation: {}\n\n", s.trim()))
        .unwrap_or_default()
}

pub fn classify(config: &Config, message: &str, history: &[HistoryTurn]) -> Prompt {
    let intents: Vec<String> = config
        .intents
        .iter()
        .map(|i| format!("- {}: {}", i.name, i.description))
        .collect();
    Prompt {
        system: fill(CLASSIFY_SYSTEM, &[("intents", &intents.join("\n"))]),
        user: fill(
            CLASSIFY_USER,
            &[("history", &history_block(history)), ("message", message)],
        ),
    }
}

pub fn respond(
    message: &str,
    intent: &str,
    excerpts: &[Excerpt],
    history: &[HistoryTurn],
    summary: Option<&str>,
) -> Prompt {
    let context = if excerpts.is_empty() {
        "(no excerpt was relevant)".to_string()
    } else {
        excerpts
            .iter()
            .map(|e| {
                format!(
                    "[{}] {}\n{}",
                    e.doc_id,
                    e.heading_path.join(" > "),
                    e.text.trim()
                )
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    Prompt {
        system: fill(RESPOND_SYSTEM, &[("context", &context)]),
        user: fill(
            RESPOND_USER,
            &[
                ("summary", &summary_block(summary)),
                ("history", &history_block(history)),
                ("intent", intent),
                ("message", message),
            ],
        ),
    }
}

pub fn sentiment(message: &str) -> Prompt {
    Prompt {
        system: fill(SENTIMENT_SYSTEM, &[]),
        user: fill(SENTIMENT_USER, &[("message", message)]),
    }
}

pub fn summary(previous: Option<&str>, transcript: &[HistoryTurn]) -> Prompt {
    let t: Vec<String> = transcript
        .iter()
        .map(|h| {
            format!(
                "Customer: {}\nAssistant: {}",
                h.customer.trim(),
                h.assistant.trim()
            )
        })
        .collect();
    Prompt {
        system: fill(SUMMARY_SYSTEM, &[]),
        user: fill(
            SUMMARY_USER,
            &[
                ("summary", &summary_block(previous)),
                ("transcript", &t.join("\n")),
            ],
        ),
    }
}

/// JSON schema of the classify stage's answer.
pub fn classify_schema(intents: &[String]) -> Value {
    json!({
        "type": "object",
        "properties": {
            "intent": {"type": "string", "enum": intents},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "reasoning": {"type": "string"}
        },
        "required": ["intent", "confidence", "reasoning"],
        "additionalProperties": false
    })
}

/// JSON schema of the respond stage's answer.
pub fn respond_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "response": {"type": "string"},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "missing_info": {"type": ["string", "null"]},
            "cited_docs": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["response", "confidence", "missing_info", "cited_docs"],
        "additionalProperties": false
    })
}

/// JSON schema of the sentiment stage's answer.
pub fn sentiment_schema() -> Value {
    json!({
        "type": "object",
        "properties": {"sentiment": {"type": "string", "enum": ["angry", "negative", "neutral", "positive"]}},
        "required": ["sentiment"],
        "additionalProperties": false
    })
}

/// JSON schema of the summary stage's answer.
pub fn summary_schema() -> Value {
    json!({
        "type": "object",
        "properties": {"summary": {"type": "string"}},
        "required": ["summary"],
        "additionalProperties": false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history() -> Vec<HistoryTurn> {
        vec![HistoryTurn {
            customer: "my UPI payment failed".into(),
            assistant: "Retry from Billing > Pay now [billing/payments.md].".into(),
        }]
    }

    #[test]
    fn classify_prompt() {
        let p = classify(
            &Config::default(),
            "still failing, error LL-1004",
            &history(),
        );
        insta::assert_snapshot!(format!("SYSTEM:\n{}\n\nUSER:\n{}", p.system, p.user));
    }

    #[test]
    fn respond_prompt() {
        let ex = vec![Excerpt {
            doc_id: "billing/payments.md".into(),
            heading_path: vec!["Payments".into(), "Failed UPI payments".into()],
            text: "If a UPI payment fails, the amount is reversed within 3 working days.".into(),
            score: 0.8,
            intent: Some("billing".into()),
        }];
        let p = respond(
            "when do I get the money back?",
            "billing",
            &ex,
            &history(),
            Some("Customer's UPI payment failed."),
        );
        insta::assert_snapshot!(format!("SYSTEM:\n{}\n\nUSER:\n{}", p.system, p.user));
    }

    #[test]
    fn sentiment_and_summary_prompts() {
        let s = sentiment("this is the worst service ever");
        let m = summary(None, &history());
        insta::assert_snapshot!(format!(
            "SYSTEM:\n{}\n\nUSER:\n{}\n\n---\n\nSYSTEM:\n{}\n\nUSER:\n{}",
            s.system, s.user, m.system, m.user
        ));
    }

    #[test]
    fn no_placeholder_left_unfilled() {
        let p = respond("m", "general", &[], &[], None);
        for text in [
            &p.system,
            &p.user,
            &classify(&Config::default(), "m", &[]).system,
            &summary(None, &[]).user,
        ] {
            assert!(!text.contains("{{"), "{text}");
        }
    }
}
