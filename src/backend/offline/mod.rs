//! The offline backend: no network, no key, deterministic. A trained intent classifier, lexicon
//! sentiment, the extractive responder and extractive summaries. Each stage also renders the
//! prompt a live backend would send and prices it, so the run's cost is the projected cost of
//! the same pipeline on the configured models.

pub mod classifier;
pub mod generic;
pub mod person;
pub mod responder;
pub mod sentiment;
pub mod summary;

use crate::backend::{
    prompt, Answer, Backend, Classification, HistoryTurn, IntentEvidence, RespondInput, Sentiment,
    Stage, StageResult,
};
use crate::config::Config;
use crate::cost::{self, estimate_tokens, Tokens};
use crate::pipeline::signals::Signals;
use crate::pipeline::trace::{Component, Usage};

pub use classifier::IntentClassifier;

pub struct Offline {
    config: Config,
    classifier: IntentClassifier,
    docs: responder::DocWords,
    signals: Signals,
    /// The "needs a person" model, unless `responder.person_weight` is 0.
    person: Option<person::PersonModel>,
}

impl Offline {
    pub fn new(
        config: Config,
        classifier: IntentClassifier,
        docs: responder::DocWords,
        person: Option<person::PersonModel>,
    ) -> Offline {
        let signals = Signals::new(
            &config.escalation.human_phrases,
            &config.escalation.privileged_phrases,
        );
        Offline {
            config,
            classifier,
            docs,
            signals,
            person,
        }
    }

    /// The response confidence moved by the person model's lean (see `[responder]`), and what
    /// the move was, for the trace (None when the model is off).
    fn with_person_lean(
        &self,
        input: &RespondInput<'_>,
        confidence: f64,
    ) -> anyhow::Result<(f64, Option<String>)> {
        let Some(model) = &self.person else {
            return Ok((confidence, None));
        };
        let best = input.excerpts.first().map_or(0.0, |e| e.score);
        let lean = model.lean(input.message)?;
        let cfg = &self.config.responder;
        let moved = person_moved(confidence, lean, best, cfg);
        let note = person_note(confidence, moved, lean, raise_withheld(lean, best, cfg));
        Ok((moved, Some(note)))
    }

    /// The configured intent for a message that only asks for a person, if it is one.
    fn person_request_intent(&self, message: &str) -> Option<&str> {
        let intent = self.config.classifier.person_request_intent.as_str();
        (!intent.is_empty()
            && self.classifier.labels().iter().any(|l| l == intent)
            && is_bare_person_request(&self.signals, message))
        .then_some(intent)
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

/// Weight of the retrieved articles' intents against the classifier's probabilities. First set on
/// the sample product (datasets/ledgerleaf): 0 → 80.2% intent accuracy, 1 → 80.2%, 2 → 80.3% with
/// escalation F1 0.750 → 0.780, 3 → 79.2%. Re-chosen when the classifier began to learn each
/// article as a class of its own (mean intent accuracy over the five development products,
/// with `--train`): 1 → 0.868, 1.25 → 0.871, 1.5 → 0.877, 1.75 → 0.873, 2 → 0.870, 3 → 0.862.
const ARTICLE_EVIDENCE_WEIGHT: f64 = 1.5;

/// The classifier's probabilities times the intents of the retrieved articles: each article above
/// the miss threshold votes for its intent with its margin over the threshold; the votes, smoothed,
/// are raised to `ARTICLE_EVIDENCE_WEIGHT` and multiplied in. Returns the intent, its probability
/// and the articles that voted (for the reasoning).
pub fn combine_with_articles(
    labels: &[String],
    probs: &[f64],
    evidence: &[IntentEvidence],
    threshold: f64,
) -> (String, f64, Option<String>) {
    let mut votes = vec![0.0f64; labels.len()];
    let mut voters: Vec<&str> = Vec::new();
    for e in evidence {
        if let Some(i) = labels.iter().position(|l| *l == e.intent) {
            let margin = e.relevance - threshold;
            if margin > 0.0 {
                votes[i] += margin;
                voters.push(&e.doc_id);
            }
        }
    }
    let total: f64 = votes.iter().sum();
    let combined = weigh_in(probs, &votes, ARTICLE_EVIDENCE_WEIGHT);
    let (best, p) =
        combined.iter().enumerate().fold(
            (0, f64::MIN),
            |acc, (i, v)| if *v > acc.1 { (i, *v) } else { acc },
        );
    let label = labels.get(best).cloned().unwrap_or_default();
    (label, p, (total > 0.0).then(|| voters.join(", ")))
}

/// `probs` times each label's share of `votes`, smoothed (+0.1) and raised to `weight`, then
/// normalised: how the classifier's probabilities take in further evidence. No votes, no change.
fn weigh_in(probs: &[f64], votes: &[f64], weight: f64) -> Vec<f64> {
    let total: f64 = votes.iter().sum();
    if total <= 0.0 {
        return probs.to_vec();
    }
    let k = votes.len() as f64;
    let mut out: Vec<f64> = probs
        .iter()
        .zip(votes)
        .map(|(p, v)| p * ((v / total + 0.1) / (1.0 + 0.1 * k)).powf(weight))
        .collect();
    let sum: f64 = out.iter().sum();
    out.iter_mut()
        .for_each(|c| *c /= sum.max(f64::MIN_POSITIVE));
    out
}

/// Weight of the previous customer message's intent as a prior on the next one's. Chosen on the
/// development products (intent accuracy, LedgerLeaf / TiffinBox): 0 → 0.847 / 0.813, 0.3, 0.6
/// and 1 → 0.852 / 0.819.
const CONVERSATION_PRIOR_WEIGHT: f64 = 0.5;

/// The classifier's probabilities times those of the conversation's previous message, smoothed
/// and raised to `CONVERSATION_PRIOR_WEIGHT`: a conversation tends to stay on its topic, and a
/// clear change of topic still wins.
pub fn with_prior(probs: &[f64], before: &[f64]) -> Vec<f64> {
    weigh_in(probs, before, CONVERSATION_PRIOR_WEIGHT)
}

/// Weight of the error codes' articles against the classifier's probabilities. Chosen on the
/// development products (intent accuracy, LedgerLeaf / TiffinBox): 0 → 0.810 / 0.780, 2 → 0.829 /
/// 0.793, 3 → 0.840 / 0.793, 4 and 6 the same as 3.
const CODE_EVIDENCE_WEIGHT: f64 = 3.0;

/// The classifier's probabilities times the intents of the articles that document the error codes
/// the message quotes (see [`responder::DocWords::code_evidence`]), smoothed and raised to
/// `CODE_EVIDENCE_WEIGHT`.
pub fn with_code_evidence(
    labels: &[String],
    probs: &[f64],
    codes: &std::collections::HashMap<String, f64>,
) -> Vec<f64> {
    let votes: Vec<f64> = labels
        .iter()
        .map(|l| codes.get(l).copied().unwrap_or(0.0))
        .collect();
    weigh_in(probs, &votes, CODE_EVIDENCE_WEIGHT)
}

/// Words of a request for a person that say nothing about the customer's problem.
const PERSON_REQUEST_WORDS: &[&str] = &[
    "agent",
    "agents",
    "human",
    "humans",
    "person",
    "people",
    "real",
    "actual",
    "live",
    "someone",
    "somebody",
    "anyone",
    "manager",
    "supervisor",
    "executive",
    "representative",
    "rep",
    "staff",
    "team",
    "talk",
    "speak",
    "chat",
    "connect",
    "transfer",
    "call",
    "calling",
    "back",
    "callback",
    "phone",
    "number",
    "bot",
    "robot",
    "automated",
    "give",
    "put",
    "through",
    "asap",
    "urgently",
    "minutes",
    "hours",
    "typing",
    "waiting",
    "been",
    "since",
    "customer",
    "care",
    "service",
    "support",
];

/// `confidence` moved by `weight × lean` in log-odds (a lean towards a person lowers it); raised
/// only when the best excerpt scores at least `person_min_relevance`.
pub fn person_moved(
    confidence: f64,
    lean: f64,
    best_score: f64,
    cfg: &crate::config::ResponderConfig,
) -> f64 {
    let shift = if raise_withheld(lean, best_score, cfg) {
        0.0
    } else {
        -cfg.person_weight * lean
    };
    let moved = person::sigmoid(person::logit(confidence) + shift);
    (moved * 1000.0).round() / 1000.0
}

/// The lean would raise the confidence, but the best excerpt scores under `person_min_relevance`.
fn raise_withheld(lean: f64, best_score: f64, cfg: &crate::config::ResponderConfig) -> bool {
    -cfg.person_weight * lean > 0.0 && best_score < cfg.person_min_relevance
}

/// The person model's move as people read it in a trace.
fn person_note(before: f64, after: f64, lean: f64, gated: bool) -> String {
    let side = if lean > 0.0 {
        "towards a person"
    } else {
        "towards answering"
    };
    if gated {
        format!("person model leans {side} ({lean:+.2}), not raised: the best excerpt scores under [responder] person_min_relevance")
    } else if format!("{before:.2}") == format!("{after:.2}") {
        // Unmoved, or moved by less than the trace shows ("1.00 → 1.00" said nothing).
        format!("person model leans {side} ({lean:+.2}), the confidence stays at {after:.2}")
    } else {
        format!("person model leans {side} ({lean:+.2}): {before:.2} → {after:.2}")
    }
}

/// The message asks for a person and says nothing else of substance ("agent", "call me back pls
/// 98220xxxxx", "I dont want to chat with a bot. Give me a real person.").
pub fn is_bare_person_request(signals: &Signals, message: &str) -> bool {
    // The word count first: it is cheaper than the request patterns and rules out most messages.
    responder::content_words(message)
        .iter()
        .filter(|w| {
            !PERSON_REQUEST_WORDS.contains(&w.as_str()) && !w.chars().any(|c| c.is_ascii_digit())
        })
        .count()
        <= 1
        && signals.human_requested(message)
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
        self.classify_with_evidence(message, history, &[])
    }

    fn classify_with_evidence(
        &self,
        message: &str,
        history: &[HistoryTurn],
        evidence: &[IntentEvidence],
    ) -> StageResult<Classification> {
        let err = |e: anyhow::Error| crate::backend::StageError {
            stage: "classify",
            message: format!("{e:#}"),
            usage: Vec::new(),
        };
        if let Some(catch_all) = self.person_request_intent(message) {
            let usage = self.projected(
                Component::Classification,
                &self.config.models.classification,
                &prompt::classify(&self.config, message, history),
                self.config.cost.projected_output_tokens.classification,
            );
            return Ok(Stage {
                value: Classification {
                    intent: catch_all.to_string(),
                    confidence: 1.0,
                    reasoning: format!("{catch_all}: the message only asks for a person"),
                },
                usage,
            });
        }
        let mut p = self.classifier.predict(message).map_err(err)?;
        let mut text = message.to_string();
        if let (Some(last), true) = (history.last(), is_follow_up(message)) {
            let context = format!("{} {}", last.customer, message);
            let with_context = self.classifier.predict(&context).map_err(err)?;
            if with_context.confidence > p.confidence {
                p = with_context;
                text = context;
            }
        }
        let words = if p.evidence.is_empty() {
            String::new()
        } else {
            format!("words: {}", p.evidence.join(", "))
        };
        if let Some(last) = history.last() {
            let before = self.classifier.predict(&last.customer).map_err(err)?;
            p.probabilities = with_prior(&p.probabilities, &before.probabilities);
        }
        let probs = with_code_evidence(
            self.classifier.labels(),
            &p.probabilities,
            &self.docs.code_evidence(&text),
        );
        let (intent, confidence, articles) = combine_with_articles(
            self.classifier.labels(),
            &probs,
            evidence,
            f64::from(self.config.retrieval.relevance_threshold),
        );
        let reasoning = match (words.is_empty(), articles) {
            (true, None) => format!("closest to {intent} overall (p = {confidence:.2})"),
            (false, None) => format!("{intent} {words} (p = {confidence:.2})"),
            (_, Some(a)) => format!(
                "{intent} {words}{}articles: {a} (p = {confidence:.2})",
                if words.is_empty() { "" } else { "; " }
            ),
        };
        let usage = self.projected(
            Component::Classification,
            &self.config.models.classification,
            &prompt::classify(&self.config, message, history),
            self.config.cost.projected_output_tokens.classification,
        );
        Ok(Stage {
            value: Classification {
                intent,
                confidence,
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
        let mut answer = responder::respond(
            input,
            f64::from(self.config.retrieval.relevance_threshold),
            &self.docs,
            self.config.retrieval.hinglish,
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
        match self.with_person_lean(input, answer.confidence) {
            Ok((c, note)) => {
                answer.confidence = c;
                if let Some(note) = note {
                    answer.confidence_reasoning = Some(match answer.confidence_reasoning.take() {
                        Some(r) => format!("{r}; {note}"),
                        None => note,
                    });
                }
            }
            Err(e) => {
                return Err(crate::backend::StageError {
                    stage: "respond",
                    message: format!("{e:#}"),
                    usage,
                })
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        vec!["billing".into(), "technical".into()]
    }

    fn ev(intent: &str, relevance: f64) -> IntentEvidence {
        IntentEvidence {
            doc_id: format!("{intent}/a.md"),
            intent: intent.into(),
            relevance,
        }
    }

    #[test]
    fn articles_tip_an_unsure_classifier() {
        let (intent, p, articles) =
            combine_with_articles(&labels(), &[0.55, 0.45], &[ev("technical", 0.7)], 0.3);
        assert_eq!(intent, "technical");
        assert!(p > 0.5);
        assert_eq!(articles.as_deref(), Some("technical/a.md"));
    }

    #[test]
    fn no_relevant_article_leaves_the_classifier_alone() {
        let (intent, p, articles) =
            combine_with_articles(&labels(), &[0.55, 0.45], &[ev("technical", 0.2)], 0.3);
        assert_eq!((intent.as_str(), articles), ("billing", None));
        assert!((p - 0.55).abs() < 1e-12);
    }

    #[test]
    fn when_articles_disagree_the_classifier_decides() {
        let evidence = [ev("technical", 0.5), ev("billing", 0.5)];
        let (intent, _, _) = combine_with_articles(&labels(), &[0.8, 0.2], &evidence, 0.3);
        assert_eq!(intent, "billing");
        let (intent, _, _) = combine_with_articles(&labels(), &[0.2, 0.8], &evidence, 0.3);
        assert_eq!(intent, "technical");
    }

    #[test]
    fn a_documented_code_outweighs_a_leaning_classifier() {
        let codes = std::collections::HashMap::from([("billing".to_string(), 1.0)]);
        let p = with_code_evidence(&labels(), &[0.2, 0.8], &codes);
        assert!(p[0] > 0.9, "{p:?}");
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let none = std::collections::HashMap::new();
        assert_eq!(
            with_code_evidence(&labels(), &[0.2, 0.8], &none),
            vec![0.2, 0.8]
        );
    }

    #[test]
    fn the_previous_message_tips_a_close_call_but_not_a_clear_one() {
        let p = with_prior(&[0.45, 0.55], &[0.95, 0.05]);
        assert!(p[0] > p[1], "{p:?}");
        let p = with_prior(&[0.05, 0.95], &[0.95, 0.05]);
        assert!(p[1] > p[0], "{p:?}");
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_person_lean_lowers_freely_but_raises_only_on_a_good_match() {
        let cfg = crate::config::ResponderConfig::default();
        // Leaning towards a person lowers the confidence whatever the match.
        assert!(person_moved(0.9, 2.0, 0.2, &cfg) < 0.6);
        assert!(person_moved(0.9, 2.0, 0.8, &cfg) < 0.6);
        // Leaning towards an answer raises it only when the best excerpt scores enough.
        assert_eq!(person_moved(0.5, -2.0, 0.35, &cfg), 0.5);
        assert!(person_moved(0.5, -2.0, 0.45, &cfg) > 0.85);
        // Weight 0 is off.
        let off = crate::config::ResponderConfig {
            person_weight: 0.0,
            ..cfg
        };
        assert_eq!(person_moved(0.62, 3.0, 0.9, &off), 0.62);
    }

    #[test]
    fn the_trace_says_how_the_person_model_moved_the_confidence() {
        assert_eq!(
            person_note(0.9, 0.3, 2.5, false),
            "person model leans towards a person (+2.50): 0.90 → 0.30"
        );
        assert_eq!(
            person_note(1.0, 1.0, -3.0, false),
            "person model leans towards answering (-3.00), the confidence stays at 1.00"
        );
        // A move too small to show at two decimals is not shown as one.
        assert_eq!(
            person_note(0.998, 0.9996, -3.3, false),
            "person model leans towards answering (-3.30), the confidence stays at 1.00"
        );
        assert!(person_note(0.5, 0.5, -2.0, true).contains("not raised"));
    }

    #[test]
    fn bare_person_requests() {
        let c = Config::default();
        let s = Signals::new(
            &c.escalation.human_phrases,
            &c.escalation.privileged_phrases,
        );
        for m in [
            "agent",
            "call me back pls 98220xxxxx",
            "I dont want to chat with a bot. Give me a real person.",
            "I've been typing to this bot for 20 minutes. Connect me to a manager.",
        ] {
            assert!(is_bare_person_request(&s, m), "{m}");
        }
        for m in [
            "my refund is stuck, I want to talk to a human",
            "agent, my UPI autopay failed twice",
            "how do I reset my password",
        ] {
            assert!(!is_bare_person_request(&s, m), "{m}");
        }
    }

    #[test]
    fn follow_ups() {
        assert!(is_follow_up("and how long does that take?"));
        assert!(is_follow_up("ok thanks"));
        assert!(!is_follow_up(
            "my UPI autopay failed twice this month with error LL-1004"
        ));
    }
}
