//! The four-stage support pipeline and the conversation manager. One turn:
//!
//! 1. `classify` — intent, confidence, reasoning (backend);
//! 2. `retrieve` — top-k chunks for the message (with context for follow-ups), miss or not;
//! 3. `respond` — answer from the excerpts with a confidence and missing info, plus sentiment (backend);
//! 4. `escalate` — the rules decide; an escalated conversation is handed to a human.
//!
//! `conversation` keeps the state between turns; `signals` detects requests for a human and for
//! privileged actions; `trace` is the record every report is made from.

pub mod classify;
pub mod conversation;
pub mod escalate;
pub mod respond;
pub mod retrieve;
pub mod signals;
pub mod trace;

use anyhow::Result;

use crate::backend::offline::is_follow_up;
use crate::backend::{Backend, IntentEvidence, RespondInput, Sentiment};
use crate::config::Config;
use crate::cost::{self, estimate_tokens, Tokens};
use crate::index::Index;
use conversation::Conversation;
use signals::Signals;
use trace::{Component, HandledBy, Labels, TurnRecord};

pub struct Pipeline<'a> {
    pub config: &'a Config,
    pub index: &'a Index,
    pub backend: &'a dyn Backend,
    signals: Signals,
}

/// One customer message to run (a ticket row, or `ask`'s message).
#[derive(Debug, Clone)]
pub struct TurnInput {
    pub ticket_id: String,
    pub conversation_id: String,
    pub turn: u32,
    pub message: String,
    pub labels: Labels,
    pub extra: Vec<(String, String)>,
}

impl<'a> Pipeline<'a> {
    pub fn new(config: &'a Config, index: &'a Index, backend: &'a dyn Backend) -> Pipeline<'a> {
        let signals = Signals::new(
            &config.escalation.human_phrases,
            &config.escalation.privileged_phrases,
        );
        Pipeline {
            config,
            index,
            backend,
            signals,
        }
    }

    /// Replay one conversation's turns in order.
    pub fn run_conversation(&self, turns: Vec<TurnInput>) -> Result<Vec<TurnRecord>> {
        let mut state = Conversation::default();
        let mut out = Vec::with_capacity(turns.len());
        for t in turns {
            if state.escalated {
                out.push(TurnRecord::human(
                    t.ticket_id,
                    t.conversation_id,
                    t.turn,
                    t.message,
                    t.labels,
                    t.extra,
                ));
                continue;
            }
            let record = self.run_turn(&mut state, t)?;
            // A backend failure that would fail every later ticket too ends the run here.
            if let Some(fatal) = self.backend.fatal_error(&record.ticket_id) {
                anyhow::bail!(fatal);
            }
            out.push(record);
        }
        Ok(out)
    }

    /// Run one bot turn and update the conversation.
    pub fn run_turn(&self, state: &mut Conversation, t: TurnInput) -> Result<TurnRecord> {
        let cfg = self.config;
        let history = state.history();
        let follow_up = !history.is_empty() && is_follow_up(&t.message);
        let mut usage = Vec::new();
        let mut errors: Vec<String> = Vec::new();

        // The retrieval query: a follow-up is searched together with the message it follows.
        let query = match (follow_up, history.last()) {
            (true, Some(last)) => format!("{} {}", last.customer, t.message),
            _ => t.message.clone(),
        };
        // Retrieval does not need the intent unless the query is prefixed with it; then it runs
        // first, so the classifier can use the retrieved articles' intents as evidence.
        let early = (!cfg.retrieval.prefix_intent)
            .then(|| retrieve::retrieve(self.index, cfg, &query, None))
            .transpose()?;
        let evidence: Vec<IntentEvidence> = early
            .iter()
            .flat_map(|r| r.retrieved.iter())
            .filter_map(|h| {
                let intent = self.index.manifest.docs.get(&h.doc_id)?.intent.clone()?;
                Some(IntentEvidence {
                    doc_id: h.doc_id.clone(),
                    intent,
                    relevance: h.score,
                })
            })
            .collect();

        // 1. classify
        let c = classify::classify(self.backend, &t.message, &history, &evidence);
        usage.extend(c.usage);
        if let Some(e) = c.error {
            errors.push(e.to_string());
        }
        if let Some(cl) = &c.value {
            state.observe_intent(&cl.intent, cl.confidence, follow_up, &t.message);
        }
        let intent = c.value.as_ref().map(|v| v.intent.clone());
        let history = state.history(); // may have been cleared by an intent change

        // 2. retrieve
        let r = match early {
            Some(r) => r,
            None => retrieve::retrieve(self.index, cfg, &query, intent.as_deref())?,
        };
        if cfg.index_embedding_is_priced() {
            let tokens = Tokens {
                input: estimate_tokens(&query),
                ..Default::default()
            };
            usage.push(cost::usage(
                cfg,
                Component::Embedding,
                &cfg.models.embedding,
                tokens,
            ));
        }

        // 3. respond (+ sentiment)
        let summary = state.summary.clone();
        let input = RespondInput {
            message: &t.message,
            query: &query,
            intent: intent.as_deref().unwrap_or("general"),
            excerpts: &r.excerpts,
            history: &history,
            summary: summary.as_deref(),
        };
        let resp = respond::respond(self.backend, &input);
        usage.extend(resp.usage);
        errors.extend(resp.errors.iter().map(|e| e.to_string()));
        let answer = resp.answer;

        // 4. escalate
        let facts = escalate::Facts {
            stage_failed: !errors.is_empty(),
            human_requested: self.signals.human_requested(&t.message),
            privileged_action: self.signals.privileged_action(&t.message),
            angry: resp.sentiment == Some(Sentiment::Angry),
            missing_info: answer.as_ref().is_some_and(|a| a.missing_info.is_some()),
            response_confidence: answer.as_ref().map(|a| a.confidence),
            intent: intent.clone(),
            unresolved_turns: state.unresolved,
            bot_turns: state.bot_turns + 1,
        };
        let reasons = escalate::decide(cfg, &facts);
        let escalate = !reasons.is_empty();

        // conversation bookkeeping: history, summary once it grows past the window, hand-off
        let reply = answer
            .as_ref()
            .map(|a| a.response.clone())
            .unwrap_or_default();
        let older = state.remember(&t.message, &reply, cfg.conversation.history_turns);
        if !older.is_empty() {
            match self.backend.summarize(state.summary.as_deref(), &older) {
                Ok(s) => {
                    state.summary = Some(s.value);
                    usage.extend(s.usage);
                }
                Err(e) => usage.extend(e.usage),
            }
        }
        state.escalated = escalate;

        let cost_inr = usage.iter().map(|u| u.inr).sum();
        Ok(TurnRecord {
            ticket_id: t.ticket_id,
            conversation_id: t.conversation_id,
            turn: t.turn,
            message: t.message,
            handled_by: HandledBy::Bot,
            predicted_intent: intent,
            intent_confidence: c
                .value
                .as_ref()
                .map(|v| (v.confidence * 10_000.0).round() / 10_000.0),
            intent_reasoning: c.value.map(|v| v.reasoning),
            retrieved: r.retrieved,
            retrieved_docs: r.docs,
            top_relevance: r.top_relevance,
            retrieval_miss: Some(r.miss),
            response: answer.as_ref().map(|a| a.response.clone()),
            response_confidence: answer.as_ref().map(|a| a.confidence),
            response_reasoning: answer.as_ref().and_then(|a| a.confidence_reasoning.clone()),
            cited_docs: answer
                .as_ref()
                .map(|a| a.cited_docs.clone())
                .unwrap_or_default(),
            missing_info: answer.and_then(|a| a.missing_info),
            sentiment: resp.sentiment.map(|s| s.as_str().to_string()),
            summary,
            escalate,
            escalation_reasons: reasons,
            error: (!errors.is_empty()).then(|| errors.join("; ")),
            usage,
            cost_inr,
            labels: t.labels,
            extra: t.extra,
        })
    }
}
