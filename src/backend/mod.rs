//! Who runs the model stages of the pipeline: the offline backend (no network, deterministic)
//! or a live LLM API. Each stage returns its value plus the token usage it cost (projected for the
//! offline backend, actual for a live one). The escalation rules and the conversation manager
//! are not here: they are the same for every backend (`pipeline/`).

pub mod live;
pub mod offline;
pub mod prompt;

use std::fmt;

use crate::pipeline::trace::Usage;
pub use prompt::{Excerpt, HistoryTurn};

#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub intent: String,
    pub confidence: f64,
    pub reasoning: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sentiment {
    Angry,
    Negative,
    Neutral,
    Positive,
}

impl Sentiment {
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Angry => "angry",
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }

    pub fn parse(s: &str) -> Option<Sentiment> {
        match s.trim().to_ascii_lowercase().as_str() {
            "angry" => Some(Sentiment::Angry),
            "negative" => Some(Sentiment::Negative),
            "neutral" => Some(Sentiment::Neutral),
            "positive" => Some(Sentiment::Positive),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub response: String,
    pub confidence: f64,
    pub missing_info: Option<String>,
    pub cited_docs: Vec<String>,
    /// What the confidence was made of, for people reading a trace (the offline backend's
    /// evidence and the person model's move); None when the model only gave a number.
    pub confidence_reasoning: Option<String>,
}

/// A retrieved article's intent and its relevance: evidence for the classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentEvidence {
    pub doc_id: String,
    pub intent: String,
    pub relevance: f64,
}

/// What the respond stage gets.
#[derive(Debug, Clone)]
pub struct RespondInput<'a> {
    pub message: &'a str,
    /// The message with conversation context, as used for retrieval.
    pub query: &'a str,
    pub intent: &'a str,
    /// Retrieved chunks above the relevance threshold, best first.
    pub excerpts: &'a [Excerpt],
    pub history: &'a [HistoryTurn],
    pub summary: Option<&'a str>,
}

/// A stage's value and what it cost.
#[derive(Debug, Clone)]
pub struct Stage<T> {
    pub value: T,
    pub usage: Vec<Usage>,
}

/// A stage that did not produce a usable answer (the turn escalates with `stage_failed`).
#[derive(Debug, Clone, PartialEq)]
pub struct StageError {
    pub stage: &'static str,
    pub message: String,
    /// Whatever the failed call still cost.
    pub usage: Vec<Usage>,
}

impl fmt::Display for StageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.stage, self.message)
    }
}

pub type StageResult<T> = Result<Stage<T>, StageError>;

pub trait Backend: Send + Sync {
    fn name(&self) -> &'static str;
    /// "projected" (offline) or "actual" (live usage).
    fn cost_mode(&self) -> &'static str;
    fn classify(&self, message: &str, history: &[HistoryTurn]) -> StageResult<Classification>;
    /// Classify with the intents of the articles retrieved for the message as extra evidence.
    /// Backends that cannot use it classify the message alone.
    fn classify_with_evidence(
        &self,
        message: &str,
        history: &[HistoryTurn],
        _evidence: &[IntentEvidence],
    ) -> StageResult<Classification> {
        self.classify(message, history)
    }
    fn sentiment(&self, message: &str) -> StageResult<Sentiment>;
    fn respond(&self, input: &RespondInput<'_>) -> StageResult<Answer>;
    fn summarize(&self, previous: Option<&str>, transcript: &[HistoryTurn]) -> StageResult<String>;

    /// A failure that must stop the whole run rather than fail each ticket (bad credentials, an
    /// unknown model, no credit, a `--cache-only` miss). The pipeline asks after every turn, on
    /// the thread that ran it; `ticket_id` is that turn's ticket, for messages that name it.
    fn fatal_error(&self, _ticket_id: &str) -> Option<String> {
        None
    }

    /// The stages wait on the network: run `--concurrency` conversations at once, whatever the
    /// number of cores.
    fn io_bound(&self) -> bool {
        false
    }
}
