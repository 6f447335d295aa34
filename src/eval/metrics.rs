//! `metrics.json` (schema_version 1): the machine-readable result of a run. Key names are the
//! contract in ../shared/SPEC.md ("Metrics and reports"); a metric without labels is `null`.
//!
//! Bot metrics (intent, escalation precision/recall, retrieval, sweep) are computed over the turns
//! the bot handled; turns handed to a human after an escalation are counted in `counts` only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Metrics {
    pub schema_version: u32,
    pub run: RunInfo,
    pub counts: Counts,
    pub intent: IntentMetrics,
    pub escalation: EscalationMetrics,
    pub retrieval: RetrievalMetrics,
    pub cost: CostMetrics,
    pub sweep: Sweep,
    pub gaps: Vec<Gap>,
    pub gate: GateResult,
}

/// What was run, for people reading a report later. No timestamps: identical runs give
/// identical files.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct RunInfo {
    pub tool_version: String,
    pub tickets: String,
    pub backend: String,
    pub embedder: String,
    pub index: String,
    pub docs: usize,
    pub chunks: usize,
    pub train: Option<String>,
    /// The intents the classifier chose between, in config order.
    pub intents: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Counts {
    pub conversations: u64,
    pub turns: u64,
    pub bot_turns: u64,
    pub human_turns: u64,
    /// Bot turns with a failed stage.
    pub errors: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ClassScores {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Labelled bot turns whose expected intent is this class.
    pub support: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct IntentMetrics {
    pub accuracy: Option<f64>,
    pub macro_f1: Option<f64>,
    /// Bot turns with an expected_intent.
    pub labelled: u64,
    pub per_intent: BTreeMap<String, ClassScores>,
    /// expected → predicted → count.
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
    /// Expected calibration error of `intent_confidence` against the intent being right, over
    /// labelled bot turns (see `eval::calibration`); absent in reports older than this field.
    #[serde(default)]
    pub calibration_error: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct EscalationMetrics {
    /// Escalated conversations / conversations.
    pub rate: Option<f64>,
    /// Escalated bot turns / bot turns.
    pub turn_rate: Option<f64>,
    pub escalated_conversations: u64,
    pub escalated_turns: u64,
    /// Reason code → bot turns escalated with that reason (a turn may have several).
    pub reasons: BTreeMap<String, u64>,
    /// Bot turns with an expected_escalate.
    pub labelled: u64,
    /// Labelled share of bot turns that should escalate (for comparing with turn_rate).
    pub expected_turn_rate: Option<f64>,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Expected calibration error of `response_confidence`, read as the probability that the
    /// turn needs no person, against `expected_escalate` being false, over labelled bot turns with
    /// a response; absent in reports older than this field.
    #[serde(default)]
    pub confidence_calibration_error: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct RetrievalMetrics {
    pub k: usize,
    pub relevance_threshold: f64,
    /// Misses / bot turns.
    pub miss_rate: Option<f64>,
    pub misses: u64,
    /// Bot turns with a non-empty expected_doc.
    pub labelled: u64,
    /// Share of labelled turns with an expected doc among the retrieved docs.
    pub recall_at_k: Option<f64>,
    /// Mean reciprocal rank of the first expected doc among the retrieved docs (0 when absent).
    pub mrr: Option<f64>,
    /// Mean best relevance over bot turns.
    pub mean_top_relevance: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ComponentCost {
    pub calls: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub inr: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct CostMetrics {
    /// Always "INR".
    pub currency: String,
    /// "projected" (offline backend: the prompts a live run would send) or "actual" (API usage).
    pub mode: String,
    pub total_inr: f64,
    pub per_conversation_inr: Option<f64>,
    pub per_turn_inr: Option<f64>,
    pub monthly_conversations: u64,
    pub per_month_inr: Option<f64>,
    pub usd_to_inr: f64,
    /// classification, embedding, generation, sentiment, summary (every key always present).
    pub per_component: BTreeMap<String, ComponentCost>,
    /// Model id → cost, for the models that were called (or projected).
    pub per_model: BTreeMap<String, ComponentCost>,
    /// What this run paid: LLM answers fetched from the API now, not from the response cache
    /// (0 with the offline backend). `total_inr` prices cached answers at their original cost.
    #[serde(default)]
    pub spent_inr: f64,
    /// LLM calls the API answered in this run (0 with the offline backend).
    #[serde(default)]
    pub requests: u64,
    /// LLM calls answered from the response cache.
    #[serde(default)]
    pub cache_hits: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct SweepPoint {
    pub threshold: f64,
    /// Conversations with at least one escalated bot turn at this threshold / conversations.
    pub escalation_rate: f64,
    /// Escalated bot turns at this threshold / bot turns.
    pub turn_rate: f64,
    /// Bot turns answered (not escalated) at this threshold.
    pub answers_sent: u64,
    /// Share of the answers sent that were wrong (labelled should-escalate, or expected doc
    /// labelled and not cited); null when no answer is sent or nothing is labelled.
    pub wrong_answer_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Sweep {
    /// Confidence thresholds 0.50, 0.55, …, 0.95.
    pub points: Vec<SweepPoint>,
    pub target_escalation_rate: Option<f64>,
    /// The lowest-wrong-answer threshold whose escalation rate is at most the target; null when
    /// no target was given or none meets it.
    pub recommended_threshold: Option<f64>,
}

/// Misses and low-confidence escalations about one topic.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Gap {
    pub intent: String,
    /// The keyword(s) these turns share.
    pub topic: String,
    /// Turns in the group.
    pub turns: u64,
    pub misses: u64,
    pub low_confidence: u64,
    /// Up to 3 ticket ids.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct GateCheck {
    /// e.g. "max_escalation_rate", "baseline_intent_accuracy".
    pub name: String,
    pub value: Option<f64>,
    pub limit: f64,
    pub passed: bool,
    /// One sentence for people: "escalation rate 0.31 > limit 0.25".
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GateResult {
    pub passed: bool,
    pub checks: Vec<GateCheck>,
}

impl Default for GateResult {
    fn default() -> Self {
        GateResult {
            passed: true,
            checks: Vec::new(),
        }
    }
}
