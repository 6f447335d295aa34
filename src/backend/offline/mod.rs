//! The offline backend: no network, no key, deterministic. A trained intent classifier, lexicon
//! sentiment, the extractive responder and extractive summaries. Each stage also renders the
//! prompt a live backend would send and prices it, so the run's cost is the projected cost of
//! the same pipeline on the configured models.

pub mod classifier;
pub mod responder;
pub mod sentiment;
pub mod summary;

use crate::backend::{
    prompt, Answer, Backend, Classification, HistoryTurn, RespondInput, Sentiment, Stage,
    StageResult,
};
use crate::config::Config;
use crate::cost::{self, estimate_tokens, Tokens};
use crate::pipeline::trace::{Component, Usage};

pub use classifier::IntentClassifier;

pub struct Offline {
    config: Config,
    classifier: IntentClassifier,
    docs: responder::DocWords,
}

impl Offline {
    pub fn new(config: Config, classifier: IntentClassifier, docs: responder::DocWords) -> Offline {
        Offline {
            config,
            classifier,
            docs,
        }
    }

    pub fn classifier(&self) -> &IntentClassifier {
        &self.classifier
    }

    fn projected(
        &self,
        component: Component,
        model: &str,
        p: &prompt::Prompt,
        output_tokens: u64,
    ) -> Vec<Usage> {
        let input = estimate_tokens(&p.system) + estimate_tokens(&p.user);
        vec![cost::usage(
            &self.config,
            component,
            model,
            Tokens {
                input,
                output: output_tokens,
                ..Default::default()
            },
        )]
    }
}

/// A short message that leans on the conversation ("and how long does that take?").
pub fn is_follow_up(message: &str) -> bool {
    let lower = message.trim().to_lowercase();
    let words = responder::content_words(&lower).len();
    let connector = [
        "and ",
        "also ",
        "what about",
        "how about",
        "but ",
        "ok ",
        "okay ",
        "so ",
        "then ",
        "same ",
        "what if",
    ]
    .iter()
    .any(|c| lower.starts_with(c));
    words <= 3 || connector
}

impl Backend for Offline {
    fn name(&self) -> &'static str {
        "offline"
    }

    fn cost_mode(&self) -> &'static str {
        "projected"
    }

    fn classify(&self, message: &str, history: &[HistoryTurn]) -> StageResult<Classification> {
        let err = |e: anyhow::Error| crate::backend::StageError {
            stage: "classify",
            message: format!("{e:#}"),
            usage: Vec::new(),
        };
        let mut p = self.classifier.predict(message).map_err(err)?;
        if let (Some(last), true) = (history.last(), is_follow_up(message)) {
            let with_context = self
                .classifier
                .predict(&format!("{} {}", last.customer, message))
                .map_err(err)?;
            if with_context.confidence > p.confidence {
                p = with_context;
            }
        }
        let reasoning = if p.evidence.is_empty() {
            format!("closest to {} overall (p = {:.2})", p.intent, p.confidence)
        } else {
            format!(
                "{} words: {} (p = {:.2})",
                p.intent,
                p.evidence.join(", "),
                p.confidence
            )
        };
        let usage = self.projected(
            Component::Classification,
            &self.config.models.classification,
            &prompt::classify(&self.config, message, history),
            self.config.cost.projected_output_tokens.classification,
        );
        Ok(Stage {
            value: Classification {
                intent: p.intent,
                confidence: p.confidence,
                reasoning,
            },
            usage,
        })
    }

    fn sentiment(&self, message: &str) -> StageResult<Sentiment> {
        let usage = self.projected(
            Component::Sentiment,
            &self.config.models.sentiment,
            &prompt::sentiment(message),
            self.config.cost.projected_output_tokens.sentiment,
        );
        Ok(Stage {
            value: sentiment::classify(message),
            usage,
        })
    }

    fn respond(&self, input: &RespondInput<'_>) -> StageResult<Answer> {
        let answer = responder::respond(
            input,
            f64::from(self.config.retrieval.relevance_threshold),
            &self.docs,
        );
        let p = prompt::respond(
            input.message,
            input.intent,
            input.excerpts,
            input.history,
            input.summary,
        );
        let usage = self.projected(
            Component::Generation,
            &self.config.models.generation,
            &p,
            self.config.cost.projected_output_tokens.generation,
        );
        Ok(Stage {
            value: answer,
            usage,
        })
    }

    fn summarize(&self, previous: Option<&str>, transcript: &[HistoryTurn]) -> StageResult<String> {
        let usage = self.projected(
            Component::Summary,
            &self.config.models.summary,
            &prompt::summary(previous, transcript),
            self.config.cost.projected_output_tokens.summary,
        );
        Ok(Stage {
            value: summary::summarize(previous, transcript),
            usage,
        })
    }
}
