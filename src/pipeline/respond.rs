//! Stage 3: the response, from the retrieved excerpts only, with a confidence and what is
//! missing; plus the customer's sentiment (a cheap-model call beside the response).

use crate::backend::{Answer, Backend, RespondInput, Sentiment, StageError};
use crate::pipeline::trace::Usage;

pub struct Responded {
    pub answer: Option<Answer>,
    pub sentiment: Option<Sentiment>,
    pub usage: Vec<Usage>,
    pub errors: Vec<StageError>,
}

pub fn respond(backend: &dyn Backend, input: &RespondInput<'_>) -> Responded {
    let mut out = Responded {
        answer: None,
        sentiment: None,
        usage: Vec::new(),
        errors: Vec::new(),
    };
    match backend.sentiment(input.message) {
        Ok(s) => {
            out.sentiment = Some(s.value);
            out.usage.extend(s.usage);
        }
        Err(e) => {
            out.usage.extend(e.usage.clone());
            out.errors.push(e);
        }
    }
    match backend.respond(input) {
        Ok(s) => {
            out.answer = Some(s.value);
            out.usage.extend(s.usage);
        }
        Err(e) => {
            out.usage.extend(e.usage.clone());
            out.errors.push(e);
        }
    }
    out
}
