//! Stage 1: intent classification, through the backend, with the retrieved articles' intents as
//! evidence when retrieval could run first. A failed call leaves the intent unknown
//! and marks the stage failed (the turn escalates with `stage_failed`).

use crate::backend::{Backend, Classification, HistoryTurn, IntentEvidence, StageError};
use crate::pipeline::trace::Usage;

pub struct Classified {
    pub value: Option<Classification>,
    pub usage: Vec<Usage>,
    pub error: Option<StageError>,
}

pub fn classify(
    backend: &dyn Backend,
    message: &str,
    history: &[HistoryTurn],
    evidence: &[IntentEvidence],
) -> Classified {
    match backend.classify_with_evidence(message, history, evidence) {
        Ok(s) => Classified {
            value: Some(s.value),
            usage: s.usage,
            error: None,
        },
        Err(e) => Classified {
            value: None,
            usage: e.usage.clone(),
            error: Some(e),
        },
    }
}
