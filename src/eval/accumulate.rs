//! Streaming computation of `metrics.json` from turn records.
//!
//! [`MetricsBuilder`] is fed one conversation at a time ([`MetricsBuilder::add_conversation`]) and
//! keeps counters only, so its memory does not grow with the number of turns: the confusion
//! matrix is bounded by the intent labels, the reason and model maps by their codes and ids, the
//! threshold sweep by its ten thresholds and the documentation gaps by their own bound (see
//! [`super::gaps`]). [`MetricsBuilder::finish`] turns the counters into [`Metrics`].
//!
//! Conventions:
//! - Bot metrics (intent, escalation precision/recall, retrieval, sweep, gaps) are computed over
//!   the turns the bot handled; human-handled turns (after a hand-off) count in `counts` only.
//! - Every rate is `None` (JSON `null`) when its denominator is 0: a metric without labels is
//!   never reported as 0.
//! - F1 is `2·tp / (2·tp + fp + fn)`, which equals the harmonic mean of precision and recall
//!   when both are defined, is 0 for a class that has support but is never predicted correctly,
//!   and is `None` only when the class is neither expected nor predicted.
//! - Floats are rounded to 6 decimals, so identical runs give byte-identical metrics.json.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::eval::calibration::Calibration;
use crate::eval::gaps::GapAccumulator;
use crate::eval::metrics::{
    ClassScores, ComponentCost, CostMetrics, Counts, EscalationMetrics, GateResult, IntentMetrics,
    Metrics, RetrievalMetrics, RunInfo, SCHEMA_VERSION,
};
use crate::eval::sweep::{SweepAccumulator, SweepParams};
use crate::pipeline::trace::{Component, TurnRecord};

/// The predicted intent recorded for a bot turn that has none (the classifier failed).
pub const NO_INTENT: &str = "(none)";

/// What the metrics need to know about the run's configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsParams {
    /// Configured intents, in config order.
    pub intents: Vec<String>,
    /// Chunks retrieved per turn.
    pub k: usize,
    pub relevance_threshold: f64,
    /// `escalation.min_confidence`.
    pub min_confidence: f64,
    /// `escalation.sensitive_confidence`.
    pub sensitive_confidence: f64,
    pub sensitive_intents: Vec<String>,
    /// "projected" or "actual".
    pub cost_mode: String,
    pub usd_to_inr: f64,
    pub monthly_conversations: u64,
    /// Escalation rate the threshold sweep recommends a threshold for.
    pub target_escalation_rate: Option<f64>,
}

impl MetricsParams {
    /// The parameters of a run with `config`; `cost_mode` is "projected" (offline backend) or
    /// "actual" (live backend).
    pub fn from_config(
        config: &Config,
        cost_mode: &str,
        target_escalation_rate: Option<f64>,
    ) -> MetricsParams {
        MetricsParams {
            intents: config.intent_names(),
            k: config.retrieval.k,
            relevance_threshold: round6(f64::from(config.retrieval.relevance_threshold)),
            min_confidence: config.escalation.min_confidence,
            sensitive_confidence: config.escalation.sensitive_confidence,
            sensitive_intents: config
                .intents
                .iter()
                .filter(|i| i.sensitive)
                .map(|i| i.name.clone())
                .collect(),
            cost_mode: cost_mode.to_string(),
            usd_to_inr: config.cost.usd_to_inr,
            monthly_conversations: config.cost.monthly_conversations,
            target_escalation_rate,
        }
    }
}

/// Counters for metrics.json, fed one conversation at a time.
#[derive(Debug, Clone)]
pub struct MetricsBuilder {
    params: MetricsParams,
    counts: Counts,
    // intent
    intent_labelled: u64,
    intent_correct: u64,
    confusion: BTreeMap<String, BTreeMap<String, u64>>,
    intent_calibration: Calibration,
    // escalation
    escalated_conversations: u64,
    escalated_turns: u64,
    reasons: BTreeMap<String, u64>,
    esc_labelled: u64,
    esc_expected_true: u64,
    esc_tp: u64,
    esc_fp: u64,
    esc_fn: u64,
    response_calibration: Calibration,
    // retrieval
    misses: u64,
    ret_labelled: u64,
    ret_hits: u64,
    rr_sum: f64,
    top_relevance_sum: f64,
    top_relevance_n: u64,
    // cost
    total_inr: f64,
    per_component: BTreeMap<String, ComponentCost>,
    per_model: BTreeMap<String, ComponentCost>,
    spent_inr: f64,
    requests: u64,
    cache_hits: u64,
    // derived analyses
    sweep: SweepAccumulator,
    gaps: GapAccumulator,
}

impl MetricsBuilder {
    pub fn new(params: MetricsParams) -> Self {
        let sweep = SweepAccumulator::new(SweepParams {
            min_confidence: params.min_confidence,
            sensitive_confidence: params.sensitive_confidence,
            sensitive_intents: params.sensitive_intents.clone(),
            target_escalation_rate: params.target_escalation_rate,
        });
        let per_component = Component::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), ComponentCost::default()))
            .collect();
        MetricsBuilder {
            params,
            counts: Counts::default(),
            intent_labelled: 0,
            intent_correct: 0,
            confusion: BTreeMap::new(),
            intent_calibration: Calibration::default(),
            escalated_conversations: 0,
            escalated_turns: 0,
            reasons: BTreeMap::new(),
            esc_labelled: 0,
            esc_expected_true: 0,
            esc_tp: 0,
            esc_fp: 0,
            esc_fn: 0,
            response_calibration: Calibration::default(),
            misses: 0,
            ret_labelled: 0,
            ret_hits: 0,
            rr_sum: 0.0,
            top_relevance_sum: 0.0,
            top_relevance_n: 0,
            total_inr: 0.0,
            per_component,
            per_model: BTreeMap::new(),
            spent_inr: 0.0,
            requests: 0,
            cache_hits: 0,
            sweep,
            gaps: GapAccumulator::new(),
        }
    }

    /// Add one conversation's turn records (in turn order). An empty slice is ignored.
    pub fn add_conversation(&mut self, turns: &[TurnRecord]) {
        if turns.is_empty() {
            return;
        }
        self.counts.conversations += 1;
        let mut conversation_escalated = false;
        for t in turns {
            self.counts.turns += 1;
            self.add_usage(t);
            if !t.is_bot() {
                self.counts.human_turns += 1;
                continue;
            }
            self.counts.bot_turns += 1;
            if t.error.is_some() {
                self.counts.errors += 1;
            }
            if t.escalate {
                conversation_escalated = true;
            }
            self.add_intent(t);
            self.add_escalation(t);
            self.add_retrieval(t);
            self.gaps.add_turn(t);
        }
        if conversation_escalated {
            self.escalated_conversations += 1;
        }
        self.sweep.add_conversation(turns);
    }

    fn add_usage(&mut self, t: &TurnRecord) {
        for u in &t.usage {
            self.total_inr += u.inr;
            // Query embeddings are priced per turn (projected), not fetched by the backend.
            if u.cached {
                self.cache_hits += 1;
            } else if self.params.cost_mode == "actual" && u.component != Component::Embedding {
                self.requests += 1;
                self.spent_inr += u.inr;
            }
            let key = u.component.as_str().to_string();
            for entry in [
                self.per_component.entry(key).or_default(),
                self.per_model.entry(u.model.clone()).or_default(),
            ] {
                entry.calls += 1;
                entry.input_tokens += u.input_tokens;
                entry.output_tokens += u.output_tokens;
                entry.inr += u.inr;
            }
        }
    }

    fn add_intent(&mut self, t: &TurnRecord) {
        let Some(expected) = &t.labels.intent else {
            return;
        };
        self.intent_labelled += 1;
        let predicted = t.predicted_intent.as_deref().unwrap_or(NO_INTENT);
        let right = t.predicted_intent.as_deref() == Some(expected.as_str());
        if right {
            self.intent_correct += 1;
        }
        if let Some(c) = t.intent_confidence {
            self.intent_calibration.add(c, right);
        }
        *self
            .confusion
            .entry(expected.clone())
            .or_default()
            .entry(predicted.to_string())
            .or_insert(0) += 1;
    }

    fn add_escalation(&mut self, t: &TurnRecord) {
        if t.escalate {
            self.escalated_turns += 1;
            for r in &t.escalation_reasons {
                *self.reasons.entry(r.clone()).or_insert(0) += 1;
            }
        }
        if let Some(expected) = t.labels.escalate {
            self.esc_labelled += 1;
            if expected {
                self.esc_expected_true += 1;
            }
            if let Some(c) = t.response_confidence {
                self.response_calibration.add(c, !expected);
            }
            match (t.escalate, expected) {
                (true, true) => self.esc_tp += 1,
                (true, false) => self.esc_fp += 1,
                (false, true) => self.esc_fn += 1,
                (false, false) => {}
            }
        }
    }

    fn add_retrieval(&mut self, t: &TurnRecord) {
        if t.retrieval_miss == Some(true) {
            self.misses += 1;
        }
        if let Some(r) = t.top_relevance {
            self.top_relevance_sum += r;
            self.top_relevance_n += 1;
        }
        let Some(expected) = t.labels.docs.as_ref().filter(|d| !d.is_empty()) else {
            return;
        };
        self.ret_labelled += 1;
        let rank = t
            .retrieved_docs
            .iter()
            .take(self.params.k.max(1))
            .position(|d| expected.contains(d));
        if let Some(i) = rank {
            self.ret_hits += 1;
            self.rr_sum += 1.0 / (i as f64 + 1.0);
        }
    }

    /// The metrics of everything added; `gate` is left at its default (filled by `gate.rs`).
    pub fn finish(self, run: RunInfo) -> Metrics {
        let intent = self.intent_metrics();
        let escalation = self.escalation_metrics();
        let retrieval = self.retrieval_metrics();
        let cost = self.cost_metrics();
        Metrics {
            schema_version: SCHEMA_VERSION,
            run,
            counts: self.counts,
            intent,
            escalation,
            retrieval,
            cost,
            sweep: self.sweep.finish(),
            gaps: self.gaps.finish(),
            gate: GateResult::default(),
        }
    }

    fn intent_metrics(&self) -> IntentMetrics {
        // Classes: the configured intents plus any expected label outside them.
        let mut classes: Vec<String> = self.params.intents.clone();
        for e in self.confusion.keys() {
            if !classes.contains(e) {
                classes.push(e.clone());
            }
        }
        let mut per_intent = BTreeMap::new();
        let mut f1_sum = 0.0;
        let mut f1_n = 0u64;
        for c in &classes {
            let support: u64 = self.confusion.get(c).map(|r| r.values().sum()).unwrap_or(0);
            let tp = self
                .confusion
                .get(c)
                .and_then(|r| r.get(c))
                .copied()
                .unwrap_or(0);
            let predicted: u64 = self.confusion.values().filter_map(|r| r.get(c)).sum();
            let (fp, fn_) = (predicted - tp, support - tp);
            let f1 = f1_of(tp, fp, fn_);
            if support > 0 {
                f1_sum += f1.unwrap_or(0.0);
                f1_n += 1;
            }
            per_intent.insert(
                c.clone(),
                ClassScores {
                    precision: ratio(tp, predicted),
                    recall: ratio(tp, support),
                    f1: f1.map(round6),
                    support,
                },
            );
        }
        IntentMetrics {
            accuracy: ratio(self.intent_correct, self.intent_labelled),
            macro_f1: (f1_n > 0).then(|| round6(f1_sum / f1_n as f64)),
            labelled: self.intent_labelled,
            per_intent,
            confusion: self.confusion.clone(),
            calibration_error: self.intent_calibration.error().map(round6),
        }
    }

    fn escalation_metrics(&self) -> EscalationMetrics {
        EscalationMetrics {
            rate: ratio(self.escalated_conversations, self.counts.conversations),
            turn_rate: ratio(self.escalated_turns, self.counts.bot_turns),
            escalated_conversations: self.escalated_conversations,
            escalated_turns: self.escalated_turns,
            reasons: self.reasons.clone(),
            labelled: self.esc_labelled,
            expected_turn_rate: ratio(self.esc_expected_true, self.esc_labelled),
            precision: ratio(self.esc_tp, self.esc_tp + self.esc_fp),
            recall: ratio(self.esc_tp, self.esc_tp + self.esc_fn),
            f1: f1_of(self.esc_tp, self.esc_fp, self.esc_fn).map(round6),
            confidence_calibration_error: self.response_calibration.error().map(round6),
        }
    }

    fn retrieval_metrics(&self) -> RetrievalMetrics {
        RetrievalMetrics {
            k: self.params.k,
            relevance_threshold: round6(self.params.relevance_threshold),
            miss_rate: ratio(self.misses, self.counts.bot_turns),
            misses: self.misses,
            labelled: self.ret_labelled,
            recall_at_k: ratio(self.ret_hits, self.ret_labelled),
            mrr: mean(self.rr_sum, self.ret_labelled),
            mean_top_relevance: mean(self.top_relevance_sum, self.top_relevance_n),
        }
    }

    fn cost_metrics(&self) -> CostMetrics {
        let round_cost = |m: &BTreeMap<String, ComponentCost>| {
            m.iter()
                .map(|(k, c)| {
                    let mut c = c.clone();
                    c.inr = round6(c.inr);
                    (k.clone(), c)
                })
                .collect::<BTreeMap<_, _>>()
        };
        let per_conversation = mean(self.total_inr, self.counts.conversations);
        CostMetrics {
            currency: "INR".into(),
            mode: self.params.cost_mode.clone(),
            total_inr: round6(self.total_inr),
            per_conversation_inr: per_conversation,
            per_turn_inr: mean(self.total_inr, self.counts.bot_turns),
            monthly_conversations: self.params.monthly_conversations,
            per_month_inr: (self.counts.conversations > 0).then(|| {
                round6(
                    self.total_inr / self.counts.conversations as f64
                        * self.params.monthly_conversations as f64,
                )
            }),
            usd_to_inr: round6(self.params.usd_to_inr),
            per_component: round_cost(&self.per_component),
            per_model: round_cost(&self.per_model),
            spent_inr: round6(self.spent_inr),
            requests: self.requests,
            cache_hits: self.cache_hits,
        }
    }
}

/// `x` rounded to 6 decimals (the precision of every float in metrics.json).
pub fn round6(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0 // no "-0.0" in the output
    } else {
        r
    }
}

/// `n / d` rounded, `None` when `d` is 0.
pub fn ratio(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| round6(n as f64 / d as f64))
}

/// `sum / n` rounded, `None` when `n` is 0.
pub fn mean(sum: f64, n: u64) -> Option<f64> {
    (n > 0).then(|| round6(sum / n as f64))
}

/// `2·tp / (2·tp + fp + fn)`, unrounded; `None` when all three are 0.
fn f1_of(tp: u64, fp: u64, fn_: u64) -> Option<f64> {
    let d = 2 * tp + fp + fn_;
    (d > 0).then(|| 2.0 * tp as f64 / d as f64)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::pipeline::trace::{HandledBy, Labels, Usage};

    /// A bot turn with no labels and nothing escalated; tests set what they need.
    pub fn bot(ticket: &str, conversation: &str, turn: u32, message: &str) -> TurnRecord {
        let mut t = TurnRecord::human(
            ticket.into(),
            conversation.into(),
            turn,
            message.into(),
            Labels::default(),
            Vec::new(),
        );
        t.handled_by = HandledBy::Bot;
        t.retrieval_miss = Some(false);
        t
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    pub fn params() -> MetricsParams {
        MetricsParams {
            intents: s(&["billing", "technical", "account", "general"]),
            k: 3,
            relevance_threshold: 0.35,
            min_confidence: 0.7,
            sensitive_confidence: 0.85,
            sensitive_intents: s(&["billing", "account"]),
            cost_mode: "projected".into(),
            usd_to_inr: 88.0,
            monthly_conversations: 10_000,
            target_escalation_rate: Some(0.75),
        }
    }

    fn usage(component: Component, model: &str, input: u64, output: u64, inr: f64) -> Usage {
        Usage {
            component,
            model: model.into(),
            input_tokens: input,
            output_tokens: output,
            cache_write_tokens: 0,
            cache_read_tokens: 0,
            inr,
            cached: false,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn set(
        t: &mut TurnRecord,
        predicted: Option<&str>,
        expected: Option<&str>,
        confidence: Option<f64>,
        escalate: bool,
        reasons: &[&str],
        expected_escalate: Option<bool>,
    ) {
        t.predicted_intent = predicted.map(String::from);
        t.labels.intent = expected.map(String::from);
        t.response_confidence = confidence;
        t.escalate = escalate;
        t.escalation_reasons = s(reasons);
        t.labels.escalate = expected_escalate;
    }

    /// 4 conversations, 7 turns (6 bot, 1 human); the expected values in the tests below are
    /// computed by hand from this table.
    ///
    /// | ticket | conv | pred      | exp       | conf | esc | reasons               | exp esc | docs → retrieved             |
    /// |--------|------|-----------|-----------|------|-----|-----------------------|---------|------------------------------|
    /// | T1     | c1   | billing   | billing   | 0.90 | no  |                       | false   | refunds → [refunds, plans]   |
    /// | T2     | c1   | billing   | account   | 0.60 | yes | low, sensitive_low    | true    | login → [plans, refunds]     |
    /// | T3     | c2   | technical | technical | 0.75 | yes | human_requested       | true    | sync → [faq, setup, sync]    |
    /// | T4     | c2   | (human)   | technical |      |     |                       | true    |                              |
    /// | T5     | c3   | general   | technical | 0.80 | no  | (retrieval miss)      | true    | labelled none → [faq]        |
    /// | T6     | c3   | account   |           | 0.95 | no  |                       | false   | unlabelled                   |
    /// | T7     | c4   | (none)    |           |      | yes | stage_failed          |         | unlabelled, nothing retrieved|
    pub fn fixture() -> Vec<Vec<TurnRecord>> {
        let haiku = "claude-haiku-4-5";
        let sonnet = "claude-sonnet-4-6";
        let class = || usage(Component::Classification, haiku, 100, 10, 0.01);

        let mut t1 = bot("T1", "c1", 1, "I want a refund for my annual plan");
        set(
            &mut t1,
            Some("billing"),
            Some("billing"),
            Some(0.9),
            false,
            &[],
            Some(false),
        );
        t1.labels.docs = Some(s(&["billing/refunds.md"]));
        t1.retrieved_docs = s(&["billing/refunds.md", "billing/plans.md"]);
        t1.cited_docs = s(&["billing/refunds.md"]);
        t1.top_relevance = Some(0.8);
        t1.usage = vec![class(), usage(Component::Generation, sonnet, 500, 100, 0.2)];

        let mut t2 = bot("T2", "c1", 2, "Why can't I login after the password reset?");
        set(
            &mut t2,
            Some("billing"),
            Some("account"),
            Some(0.6),
            true,
            &["low_confidence", "sensitive_low_confidence"],
            Some(true),
        );
        t2.labels.docs = Some(s(&["account/login.md"]));
        t2.retrieved_docs = s(&["billing/plans.md", "billing/refunds.md"]);
        t2.top_relevance = Some(0.5);
        t2.usage = vec![class(), usage(Component::Generation, sonnet, 500, 100, 0.2)];

        let mut t3 = bot("T3", "c2", 1, "Sync is broken, let me talk to an agent");
        set(
            &mut t3,
            Some("technical"),
            Some("technical"),
            Some(0.75),
            true,
            &["human_requested"],
            Some(true),
        );
        t3.labels.docs = Some(s(&["technical/sync.md"]));
        t3.retrieved_docs = s(&["general/faq.md", "technical/setup.md", "technical/sync.md"]);
        t3.top_relevance = Some(0.4);
        t3.usage = vec![class(), usage(Component::Sentiment, haiku, 50, 5, 0.005)];

        let t4 = TurnRecord::human(
            "T4".into(),
            "c2".into(),
            2,
            "hello?".into(),
            Labels {
                intent: Some("technical".into()),
                escalate: Some(true),
                docs: Some(s(&["technical/sync.md"])),
            },
            Vec::new(),
        );

        let mut t5 = bot("T5", "c3", 1, "Does the desktop sync work offline?");
        set(
            &mut t5,
            Some("general"),
            Some("technical"),
            Some(0.8),
            false,
            &[],
            Some(true),
        );
        t5.labels.docs = Some(Vec::new());
        t5.retrieved_docs = s(&["general/faq.md"]);
        t5.retrieval_miss = Some(true);
        t5.top_relevance = Some(0.2);
        t5.usage = vec![class()];

        let mut t6 = bot("T6", "c3", 2, "ok and how do I add a user?");
        set(
            &mut t6,
            Some("account"),
            None,
            Some(0.95),
            false,
            &[],
            Some(false),
        );
        t6.top_relevance = Some(0.7);
        t6.usage = vec![class()];

        let mut t7 = bot("T7", "c4", 1, "GST invoice");
        set(&mut t7, None, None, None, true, &["stage_failed"], None);
        t7.error = Some("classification failed: timeout".into());
        t7.retrieval_miss = None;
        t7.usage = vec![class()];

        vec![vec![t1, t2], vec![t3, t4], vec![t5, t6], vec![t7]]
    }

    pub fn fixture_metrics(p: MetricsParams) -> Metrics {
        let mut b = MetricsBuilder::new(p);
        for conv in fixture() {
            b.add_conversation(&conv);
        }
        b.finish(RunInfo::default())
    }

    #[test]
    fn counts_separate_bot_and_human_turns() {
        let m = fixture_metrics(params());
        assert_eq!(m.schema_version, 1);
        assert_eq!(
            m.counts,
            Counts {
                conversations: 4,
                turns: 7,
                bot_turns: 6,
                human_turns: 1,
                errors: 1
            }
        );
    }

    #[test]
    fn intent_accuracy_per_class_and_macro_f1() {
        let m = fixture_metrics(params());
        let i = &m.intent;
        // T4 is human-handled and T6/T7 unlabelled: 4 labelled, 2 right.
        assert_eq!(i.labelled, 4);
        assert_eq!(i.accuracy, Some(0.5));
        let c = |name: &str| i.per_intent[name].clone();
        assert_eq!(
            c("billing"),
            ClassScores {
                precision: Some(0.5),
                recall: Some(1.0),
                f1: Some(0.666667),
                support: 1
            }
        );
        assert_eq!(
            c("technical"),
            ClassScores {
                precision: Some(1.0),
                recall: Some(0.5),
                f1: Some(0.666667),
                support: 2
            }
        );
        // Expected once, never predicted (T6's prediction has no label): precision undefined.
        assert_eq!(
            c("account"),
            ClassScores {
                precision: None,
                recall: Some(0.0),
                f1: Some(0.0),
                support: 1
            }
        );
        // Predicted once, never expected: recall undefined.
        assert_eq!(
            c("general"),
            ClassScores {
                precision: Some(0.0),
                recall: None,
                f1: Some(0.0),
                support: 0
            }
        );
        // Mean over billing, technical, account (general has no support).
        assert_eq!(i.macro_f1, Some(0.444444));
        assert_eq!(i.confusion["account"]["billing"], 1);
        assert_eq!(i.confusion["technical"]["general"], 1);
        assert_eq!(i.confusion["technical"]["technical"], 1);
        assert_eq!(i.confusion.len(), 3);
    }

    #[test]
    fn predicted_intent_outside_the_list_stays_in_the_confusion_matrix() {
        let mut t = bot("X1", "x", 1, "hi");
        t.predicted_intent = Some("shipping".into());
        t.labels.intent = Some("billing".into());
        let mut u = bot("X2", "y", 1, "hi");
        u.labels.intent = Some("billing".into());
        let mut b = MetricsBuilder::new(params());
        b.add_conversation(&[t]);
        b.add_conversation(&[u]);
        let m = b.finish(RunInfo::default());
        assert_eq!(m.intent.confusion["billing"]["shipping"], 1);
        assert_eq!(m.intent.confusion["billing"][NO_INTENT], 1);
        assert_eq!(m.intent.accuracy, Some(0.0));
        assert!(!m.intent.per_intent.contains_key("shipping"));
        assert_eq!(m.intent.macro_f1, Some(0.0));
    }

    #[test]
    fn escalation_rate_is_per_conversation_turn_rate_per_bot_turn() {
        let m = fixture_metrics(params());
        let e = &m.escalation;
        assert_eq!(e.escalated_conversations, 3);
        assert_eq!(e.rate, Some(0.75));
        assert_eq!(e.escalated_turns, 3);
        assert_eq!(e.turn_rate, Some(0.5));
        assert_eq!(e.reasons.len(), 4);
        assert_eq!(e.reasons["low_confidence"], 1);
        assert_eq!(e.reasons["stage_failed"], 1);
        // Labelled: T1 F/F, T2 T/T, T3 T/T, T5 F/T, T6 F/F → tp 2, fp 0, fn 1.
        assert_eq!(e.labelled, 5);
        assert_eq!(e.expected_turn_rate, Some(0.6));
        assert_eq!(e.precision, Some(1.0));
        assert_eq!(e.recall, Some(0.666667));
        assert_eq!(e.f1, Some(0.8));
    }

    #[test]
    fn retrieval_recall_mrr_and_misses() {
        let m = fixture_metrics(params());
        let r = &m.retrieval;
        assert_eq!(r.k, 3);
        assert_eq!(r.relevance_threshold, 0.35);
        assert_eq!(r.misses, 1);
        assert_eq!(r.miss_rate, Some(0.166667));
        // T1 rank 1, T2 absent, T3 rank 3; T5 is labelled "no doc" and does not count.
        assert_eq!(r.labelled, 3);
        assert_eq!(r.recall_at_k, Some(0.666667));
        assert_eq!(r.mrr, Some(0.444444));
        assert_eq!(r.mean_top_relevance, Some(0.52));
    }

    #[test]
    fn retrieval_only_looks_at_the_top_k_docs() {
        let mut p = params();
        p.k = 2;
        let m = fixture_metrics(p);
        // T3's doc is at rank 3, beyond k = 2.
        assert_eq!(m.retrieval.recall_at_k, Some(0.333333));
        assert_eq!(m.retrieval.mrr, Some(0.333333));
    }

    #[test]
    fn live_runs_report_spend_and_cache_hits() {
        let mut p = params();
        p.cost_mode = "actual".into();
        let mut b = MetricsBuilder::new(p);
        let mut t = bot("T1", "C1", 1, "refund please");
        let fetched = usage(Component::Classification, "claude-haiku-4-5", 100, 10, 0.25);
        let mut cached = usage(Component::Generation, "claude-sonnet-4-6", 500, 100, 1.0);
        cached.cached = true;
        t.usage = vec![fetched, cached];
        b.add_conversation(&[t]);
        let c = b.finish(RunInfo::default()).cost;
        assert_eq!(c.total_inr, 1.25);
        assert_eq!(c.spent_inr, 0.25);
        assert_eq!((c.requests, c.cache_hits), (1, 1));
        let old: CostMetrics = serde_json::from_str(
            r#"{"currency":"INR","mode":"projected","total_inr":1.0,"per_conversation_inr":null,"per_turn_inr":null,"monthly_conversations":1,"per_month_inr":null,"usd_to_inr":88.0,"per_component":{},"per_model":{}}"#,
        )
        .unwrap();
        assert_eq!((old.spent_inr, old.requests, old.cache_hits), (0.0, 0, 0));
    }

    #[test]
    fn cost_sums_by_component_and_model() {
        let m = fixture_metrics(params());
        let c = &m.cost;
        assert_eq!(c.currency, "INR");
        assert_eq!(c.mode, "projected");
        assert_eq!(c.total_inr, 0.465);
        assert_eq!(c.per_conversation_inr, Some(0.11625));
        assert_eq!(c.per_turn_inr, Some(0.0775));
        assert_eq!(c.per_month_inr, Some(1162.5));
        assert_eq!(c.monthly_conversations, 10_000);
        assert_eq!(
            c.per_component
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            [
                "classification",
                "embedding",
                "generation",
                "sentiment",
                "summary"
            ]
        );
        let comp = |calls, input_tokens, output_tokens, inr| ComponentCost {
            calls,
            input_tokens,
            output_tokens,
            inr,
        };
        assert_eq!(c.per_component["classification"], comp(6, 600, 60, 0.06));
        assert_eq!(c.per_component["generation"], comp(2, 1000, 200, 0.4));
        assert_eq!(c.per_component["sentiment"], comp(1, 50, 5, 0.005));
        assert_eq!(c.per_component["embedding"], ComponentCost::default());
        assert_eq!(c.per_model["claude-haiku-4-5"], comp(7, 650, 65, 0.065));
        assert_eq!(c.per_model["claude-sonnet-4-6"], comp(2, 1000, 200, 0.4));
        assert_eq!(c.per_model.len(), 2);
    }

    #[test]
    fn calibration_errors_of_the_intent_and_response_confidences() {
        let m = fixture_metrics(params());
        // The intent confidences are not set in the fixture.
        assert_eq!(m.intent.calibration_error, None);
        // Response confidence as "needs no person": T1 0.9 and T6 0.95 right (bin 0.9, gap
        // 0.075), T2 0.6, T3 0.75 and T5 0.8 wrong (gaps 0.6, 0.75, 0.8): 2.3 / 5.
        assert_eq!(m.escalation.confidence_calibration_error, Some(0.46));
        // With intent confidences: T1 0.9 right, T2 0.6 wrong, T3 0.75 right, T5 0.8 wrong
        // (T6 has no expected intent): (0.1 + 0.6 + 0.25 + 0.8) / 4.
        let mut b = MetricsBuilder::new(params());
        for mut conv in fixture() {
            for t in &mut conv {
                t.intent_confidence = t.response_confidence;
            }
            b.add_conversation(&conv);
        }
        let m = b.finish(RunInfo::default());
        assert_eq!(m.intent.calibration_error, Some(0.4375));
    }

    #[test]
    fn unlabelled_run_reports_nulls_not_zeros() {
        let mut b = MetricsBuilder::new(params());
        for conv in fixture() {
            let conv: Vec<TurnRecord> = conv
                .into_iter()
                .map(|mut t| {
                    t.labels = Labels::default();
                    t
                })
                .collect();
            b.add_conversation(&conv);
        }
        let m = b.finish(RunInfo::default());
        assert_eq!(m.intent.accuracy, None);
        assert_eq!(m.intent.macro_f1, None);
        assert_eq!(m.intent.labelled, 0);
        assert!(m.intent.per_intent.values().all(|c| c.precision.is_none()
            && c.recall.is_none()
            && c.f1.is_none()
            && c.support == 0));
        assert_eq!(m.escalation.precision, None);
        assert_eq!(m.escalation.recall, None);
        assert_eq!(m.escalation.f1, None);
        assert_eq!(m.escalation.expected_turn_rate, None);
        assert_eq!(m.retrieval.recall_at_k, None);
        assert_eq!(m.retrieval.mrr, None);
        assert_eq!(m.intent.calibration_error, None);
        assert_eq!(m.escalation.confidence_calibration_error, None);
        // What needs no labels is still there.
        assert_eq!(m.escalation.rate, Some(0.75));
        assert_eq!(m.retrieval.miss_rate, Some(0.166667));
        let json = serde_json::to_value(&m).unwrap();
        assert!(json["intent"]["accuracy"].is_null());
    }

    #[test]
    fn empty_run_has_null_rates() {
        let m = MetricsBuilder::new(params()).finish(RunInfo::default());
        assert_eq!(m.escalation.rate, None);
        assert_eq!(m.escalation.turn_rate, None);
        assert_eq!(m.retrieval.miss_rate, None);
        assert_eq!(m.retrieval.mean_top_relevance, None);
        assert_eq!(m.cost.per_conversation_inr, None);
        assert_eq!(m.cost.per_turn_inr, None);
        assert_eq!(m.cost.per_month_inr, None);
        assert_eq!(m.cost.per_component.len(), 5);
        assert!(m.sweep.points.is_empty());
        assert!(m.gaps.is_empty());
        assert!(m.gate.passed);
    }

    #[test]
    fn metrics_round_trip_through_json() {
        let m = fixture_metrics(params());
        let text = serde_json::to_string_pretty(&m).unwrap();
        let back: Metrics = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn params_from_default_config() {
        let cfg = Config::default();
        let p = MetricsParams::from_config(&cfg, "projected", None);
        assert_eq!(p.intents, cfg.intent_names());
        let sensitive: Vec<String> = cfg
            .intent_names()
            .into_iter()
            .filter(|i| cfg.is_sensitive(i))
            .collect();
        assert_eq!(p.sensitive_intents, sensitive);
        assert_eq!(p.k, cfg.retrieval.k);
        // The f32 setting widened without its binary tail (0.3f32 is 0.30000001192…).
        let widened = f64::from(cfg.retrieval.relevance_threshold);
        assert!((p.relevance_threshold - widened).abs() < 1e-6);
        assert!(
            p.relevance_threshold.to_string().len() <= 8,
            "{}",
            p.relevance_threshold
        );
    }

    #[test]
    fn rounding_is_stable() {
        assert_eq!(round6(1.0 / 3.0), 0.333333);
        assert_eq!(round6(2.0 / 3.0), 0.666667);
        assert_eq!(round6(-1e-9), 0.0);
        assert!(round6(-1e-9).is_sign_positive());
        assert_eq!(ratio(1, 0), None);
    }
}
