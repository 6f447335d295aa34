//! What the pipeline produced for one turn, with the turn's labels: the record every metric,
//! report and comparison is computed from. One per input row.

use serde::{Deserialize, Serialize};

/// Who answered a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HandledBy {
    /// The bot ran the pipeline for this turn.
    Bot,
    /// The conversation was escalated earlier: a human handles this turn, the bot does not answer
    /// and the turn is left out of the bot's metrics.
    Human,
}

/// Pipeline components that cost tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Component {
    Classification,
    Embedding,
    Generation,
    Sentiment,
    Summary,
}

impl Component {
    pub const ALL: [Component; 5] = [
        Component::Classification,
        Component::Embedding,
        Component::Generation,
        Component::Sentiment,
        Component::Summary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Component::Classification => "classification",
            Component::Embedding => "embedding",
            Component::Generation => "generation",
            Component::Sentiment => "sentiment",
            Component::Summary => "summary",
        }
    }
}

/// Tokens (actual from an API, or projected from the prompts) and their price, for one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub component: Component,
    pub model: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    #[serde(default)]
    pub cache_write_tokens: u64,
    #[serde(default)]
    pub cache_read_tokens: u64,
    /// Price in rupees of this call (for a cached answer: what it cost when it was fetched).
    pub inr: f64,
    /// The answer came from the response cache: this run did not pay for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cached: bool,
}

/// One retrieved chunk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retrieved {
    pub chunk_id: String,
    pub doc_id: String,
    pub heading_path: Vec<String>,
    /// Blended cosine relevance.
    pub score: f64,
}

/// The labels of a turn, from the tickets CSV. `None` = the column is absent or the cell empty
/// (for `expected_docs`: `None` = column absent, `Some(vec![])` = labelled "no doc answers it").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub intent: Option<String>,
    pub escalate: Option<bool>,
    pub docs: Option<Vec<String>>,
}

/// Everything about one turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    pub ticket_id: String,
    pub conversation_id: String,
    /// 1-based position in the conversation.
    pub turn: u32,
    pub message: String,
    pub handled_by: HandledBy,

    // --- what the bot did (all empty / None for human-handled turns) ---
    pub predicted_intent: Option<String>,
    pub intent_confidence: Option<f64>,
    pub intent_reasoning: Option<String>,
    pub retrieved: Vec<Retrieved>,
    /// Doc ids of `retrieved`, deduplicated, best first.
    pub retrieved_docs: Vec<String>,
    pub top_relevance: Option<f64>,
    pub retrieval_miss: Option<bool>,
    pub response: Option<String>,
    pub response_confidence: Option<f64>,
    /// What the response confidence was made of (the offline backend says; a live model does not).
    pub response_reasoning: Option<String>,
    /// Doc ids the response cites.
    pub cited_docs: Vec<String>,
    pub missing_info: Option<String>,
    /// angry / negative / neutral / positive
    pub sentiment: Option<String>,
    /// Conversation summary the bot had at this turn (after 3+ turns).
    pub summary: Option<String>,
    pub escalate: bool,
    /// Reason codes (see `config::ALL_RULES`), in rule order.
    pub escalation_reasons: Vec<String>,
    /// A stage failed (reason code `stage_failed`): which, and why.
    pub error: Option<String>,
    pub usage: Vec<Usage>,
    /// Sum of `usage[].inr`.
    pub cost_inr: f64,

    // --- labels and carried-through input columns ---
    pub labels: Labels,
    /// Input columns that are not part of the tickets format, in input order: (header, value).
    pub extra: Vec<(String, String)>,
}

impl TurnRecord {
    /// A turn the bot did not answer because the conversation had been handed to a human.
    pub fn human(
        ticket_id: String,
        conversation_id: String,
        turn: u32,
        message: String,
        labels: Labels,
        extra: Vec<(String, String)>,
    ) -> TurnRecord {
        TurnRecord {
            ticket_id,
            conversation_id,
            turn,
            message,
            handled_by: HandledBy::Human,
            predicted_intent: None,
            intent_confidence: None,
            intent_reasoning: None,
            retrieved: Vec::new(),
            retrieved_docs: Vec::new(),
            top_relevance: None,
            retrieval_miss: None,
            response: None,
            response_confidence: None,
            response_reasoning: None,
            cited_docs: Vec::new(),
            missing_info: None,
            sentiment: None,
            summary: None,
            escalate: false,
            escalation_reasons: Vec::new(),
            error: None,
            usage: Vec::new(),
            cost_inr: 0.0,
            labels,
            extra,
        }
    }

    pub fn is_bot(&self) -> bool {
        self.handled_by == HandledBy::Bot
    }

    /// Reasons other than the confidence thresholds: these escalate whatever the threshold.
    pub fn non_confidence_reasons(&self) -> impl Iterator<Item = &str> {
        self.escalation_reasons
            .iter()
            .map(String::as_str)
            .filter(|r| *r != "low_confidence" && *r != "sensitive_low_confidence")
    }
}
