//! The confidence-threshold sweep: from one replay, what the escalation rate and the share of
//! wrong answers sent would have been at every confidence threshold 0.50, 0.55, …, 0.95, and the
//! threshold that meets a target escalation rate with the fewest wrong answers.
//!
//! How a bot turn is judged at threshold `t`:
//! - it escalates whatever `t` when it has a reason other than the confidence rules
//!   ([`TurnRecord::non_confidence_reasons`]: a human was asked for, a stage failed, a retrieval
//!   miss, …), or when it has no response confidence (no answer was produced);
//! - otherwise it escalates when its response confidence is under `t`, or, for a sensitive
//!   intent, under `min(1, t + max(0, sensitive_confidence − min_confidence))`: the sensitive
//!   margin of the configuration is kept on top of the swept threshold, so at
//!   `t = min_confidence` the sweep applies exactly the configured rules.
//!
//! Hand-offs: once a conversation escalates it is handed to a human, so
//! - at every threshold, only the turns the bot actually ran in the replay are judged: turns after
//!   the replay's hand-off were not run by the bot (they are human-handled records with no
//!   confidence), so the sweep is computed on the turns the bot did run. At a threshold lower
//!   than the configured one, those later turns would have been answered by the bot; the sweep
//!   cannot know how, and leaves them out;
//! - within a conversation, the first turn that escalates at `t` ends the bot's part at `t`: the
//!   later bot turns of the replay are neither answered nor escalated at that threshold. So
//!   `turn_rate` = escalated turns / bot turns run at `t`, and at `t = min_confidence` the sweep
//!   reproduces the replay's own escalation rate, turn rate and answers.
//!
//! With these rules the escalation rate and turn rate never decrease as `t` rises and the answers
//! sent never increase.
//!
//! A sent answer is **wrong** when the turn is labelled `expected_escalate = true`, or has a
//! non-empty `expected_doc` and the response cites none of those docs. `wrong_answer_rate` is the
//! share of wrong answers among the sent answers that carry one of those labels; it is `null` when
//! no answer is sent or none of the sent answers is labelled.
//!
//! [`SweepAccumulator`] keeps counters per threshold only: memory does not grow with the turns.

use crate::eval::accumulate::{ratio, round6};
use crate::eval::metrics::{Sweep, SweepPoint};
use crate::pipeline::trace::TurnRecord;

/// Thresholds swept, in hundredths: 0.50, 0.55, …, 0.95.
const HUNDREDTHS: [u32; 10] = [50, 55, 60, 65, 70, 75, 80, 85, 90, 95];

/// The swept thresholds, built as `i / 100` so that each is the exact decimal literal.
pub fn thresholds() -> Vec<f64> {
    HUNDREDTHS.iter().map(|&i| f64::from(i) / 100.0).collect()
}

/// The escalation settings the sweep varies around.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepParams {
    pub min_confidence: f64,
    pub sensitive_confidence: f64,
    pub sensitive_intents: Vec<String>,
    pub target_escalation_rate: Option<f64>,
}

impl SweepParams {
    /// The threshold a turn of `intent` is held to when the swept threshold is `t`.
    pub fn threshold_for(&self, intent: Option<&str>, t: f64) -> f64 {
        let sensitive = intent.is_some_and(|i| self.sensitive_intents.iter().any(|s| s == i));
        if sensitive {
            let margin = (self.sensitive_confidence - self.min_confidence).max(0.0);
            round6((t + margin).min(1.0))
        } else {
            t
        }
    }

    /// Whether a bot turn escalates at threshold `t` (see the module doc).
    pub fn escalates_at(&self, turn: &TurnRecord, t: f64) -> bool {
        if turn.non_confidence_reasons().next().is_some() {
            return true;
        }
        // Escalated with no reason recorded at all: nothing a threshold would change.
        if turn.escalate && turn.escalation_reasons.is_empty() {
            return true;
        }
        match turn.response_confidence {
            None => true,
            Some(c) => c < self.threshold_for(turn.predicted_intent.as_deref(), t),
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Counter {
    escalated_conversations: u64,
    escalated_turns: u64,
    bot_turns: u64,
    answers_sent: u64,
    answers_labelled: u64,
    wrong_answers: u64,
}

/// Counters per threshold, fed one conversation at a time.
#[derive(Debug, Clone)]
pub struct SweepAccumulator {
    params: SweepParams,
    thresholds: Vec<f64>,
    conversations: u64,
    counters: Vec<Counter>,
}

impl SweepAccumulator {
    pub fn new(params: SweepParams) -> Self {
        let thresholds = thresholds();
        SweepAccumulator {
            params,
            counters: vec![Counter::default(); thresholds.len()],
            thresholds,
            conversations: 0,
        }
    }

    /// Add one conversation's turn records (in turn order; human-handled turns are skipped).
    pub fn add_conversation(&mut self, turns: &[TurnRecord]) {
        if turns.is_empty() {
            return;
        }
        self.conversations += 1;
        for (t, counter) in self.thresholds.iter().zip(self.counters.iter_mut()) {
            for turn in turns.iter().filter(|x| x.is_bot()) {
                counter.bot_turns += 1;
                if self.params.escalates_at(turn, *t) {
                    counter.escalated_turns += 1;
                    counter.escalated_conversations += 1;
                    break; // handed to a human: the bot runs no later turn at this threshold
                }
                counter.answers_sent += 1;
                if let Some(wrong) = answer_is_wrong(turn) {
                    counter.answers_labelled += 1;
                    if wrong {
                        counter.wrong_answers += 1;
                    }
                }
            }
        }
    }

    /// One point per threshold (none when no conversation was added) and the recommendation.
    pub fn finish(self) -> Sweep {
        let points: Vec<SweepPoint> = if self.conversations == 0 {
            Vec::new()
        } else {
            self.thresholds
                .iter()
                .zip(&self.counters)
                .map(|(t, c)| SweepPoint {
                    threshold: *t,
                    escalation_rate: ratio(c.escalated_conversations, self.conversations)
                        .unwrap_or(0.0),
                    turn_rate: ratio(c.escalated_turns, c.bot_turns).unwrap_or(0.0),
                    answers_sent: c.answers_sent,
                    wrong_answer_rate: ratio(c.wrong_answers, c.answers_labelled),
                })
                .collect()
        };
        let target = self.params.target_escalation_rate;
        Sweep {
            recommended_threshold: target.and_then(|r| recommend(&points, r)),
            target_escalation_rate: target,
            points,
        }
    }
}

/// Whether a sent answer was wrong; `None` when the turn carries no label that can tell.
pub fn answer_is_wrong(turn: &TurnRecord) -> Option<bool> {
    let should_escalate = turn.labels.escalate;
    let docs = turn.labels.docs.as_ref().filter(|d| !d.is_empty());
    if should_escalate.is_none() && docs.is_none() {
        return None;
    }
    let missed_doc = docs.is_some_and(|d| !turn.cited_docs.iter().any(|c| d.contains(c)));
    Some(should_escalate == Some(true) || missed_doc)
}

/// Among the points whose escalation rate is at most `target`, the one with the lowest wrong-answer
/// rate; ties go to the higher threshold (the more cautious one). A point with no measurable
/// wrong-answer rate (no answer sent, or none labelled) ranks after every measured one, so
/// "escalate everything" is only recommended when nothing else meets the target. `None` when no
/// point meets the target.
pub fn recommend(points: &[SweepPoint], target: f64) -> Option<f64> {
    const EPS: f64 = 1e-9;
    let mut best: Option<&SweepPoint> = None;
    for p in points.iter().filter(|p| p.escalation_rate <= target + EPS) {
        let better = match best {
            None => true,
            Some(b) => match (p.wrong_answer_rate, b.wrong_answer_rate) {
                (Some(x), Some(y)) => {
                    x < y - EPS || ((x - y).abs() <= EPS && p.threshold > b.threshold)
                }
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => p.threshold > b.threshold,
            },
        };
        if better {
            best = Some(p);
        }
    }
    best.map(|p| p.threshold)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::accumulate::tests::{bot, fixture, fixture_metrics, params};

    fn sweep_params() -> SweepParams {
        let p = params();
        SweepParams {
            min_confidence: p.min_confidence,
            sensitive_confidence: p.sensitive_confidence,
            sensitive_intents: p.sensitive_intents,
            target_escalation_rate: Some(0.75),
        }
    }

    fn point(t: f64, rate: f64, wrong: Option<f64>) -> SweepPoint {
        SweepPoint {
            threshold: t,
            escalation_rate: rate,
            turn_rate: rate,
            answers_sent: 1,
            wrong_answer_rate: wrong,
        }
    }

    #[test]
    fn thresholds_are_exact_decimals() {
        let t = thresholds();
        assert_eq!(t.len(), 10);
        assert_eq!(t[0], 0.5);
        assert_eq!(t[4], 0.7);
        assert_eq!(t[9], 0.95);
        assert_eq!(t[3].to_string(), "0.65");
    }

    #[test]
    fn sensitive_intents_keep_their_margin() {
        let p = sweep_params();
        assert_eq!(p.threshold_for(Some("billing"), 0.7), 0.85);
        assert_eq!(p.threshold_for(Some("billing"), 0.95), 1.0);
        assert_eq!(p.threshold_for(Some("general"), 0.7), 0.7);
        assert_eq!(p.threshold_for(None, 0.6), 0.6);
        let mut t = bot("A", "a", 1, "x");
        t.predicted_intent = Some("billing".into());
        t.response_confidence = Some(0.85);
        assert!(!p.escalates_at(&t, 0.7), "0.85 is not under 0.85");
        assert!(p.escalates_at(&t, 0.75));
        t.response_confidence = None;
        assert!(p.escalates_at(&t, 0.5), "no confidence escalates");
    }

    #[test]
    fn non_confidence_reasons_escalate_at_every_threshold() {
        let p = sweep_params();
        let mut t = bot("A", "a", 1, "x");
        t.response_confidence = Some(0.99);
        t.escalate = true;
        t.escalation_reasons = vec!["human_requested".into(), "low_confidence".into()];
        assert!(thresholds().iter().all(|&th| p.escalates_at(&t, th)));
        t.escalation_reasons = vec!["low_confidence".into()];
        assert!(!p.escalates_at(&t, 0.95));
    }

    #[test]
    fn fixture_sweep_by_hand() {
        // c1: T1 billing 0.90 (escalates from 0.80), T2 billing 0.60 (always);
        // c2: T3 human_requested (always); c3: T5 general 0.80 (from 0.85), T6 account 0.95
        // (from 0.85); c4: T7 stage_failed (always).
        let m = fixture_metrics(params());
        let s = &m.sweep;
        assert_eq!(s.points.len(), 10);
        let p = |t: f64| s.points.iter().find(|p| p.threshold == t).unwrap().clone();
        for t in [0.5, 0.55, 0.6, 0.65, 0.7, 0.75] {
            let x = p(t);
            assert_eq!(x.escalation_rate, 0.75, "{t}");
            assert_eq!(x.turn_rate, 0.5, "{t}"); // 3 escalated of 6 bot turns run
            assert_eq!(x.answers_sent, 3, "{t}"); // T1, T5, T6; T5 should have escalated
            assert_eq!(x.wrong_answer_rate, Some(0.333333), "{t}");
        }
        // T1 escalates, so T2 is never run at 0.80.
        assert_eq!(p(0.8).turn_rate, 0.6);
        assert_eq!(p(0.8).answers_sent, 2);
        assert_eq!(p(0.8).wrong_answer_rate, Some(0.5));
        for t in [0.85, 0.9, 0.95] {
            assert_eq!(p(t).escalation_rate, 1.0);
            assert_eq!(p(t).turn_rate, 1.0);
            assert_eq!(p(t).answers_sent, 0);
            assert_eq!(p(t).wrong_answer_rate, None);
        }
        // Same wrong-answer rate from 0.50 to 0.75 within the target: the higher one.
        assert_eq!(s.target_escalation_rate, Some(0.75));
        assert_eq!(s.recommended_threshold, Some(0.75));
    }

    #[test]
    fn sweep_reproduces_the_replay_at_the_configured_threshold() {
        let m = fixture_metrics(params());
        let at = m.sweep.points.iter().find(|p| p.threshold == 0.7).unwrap();
        assert_eq!(Some(at.escalation_rate), m.escalation.rate);
        assert_eq!(Some(at.turn_rate), m.escalation.turn_rate);
        assert_eq!(
            at.answers_sent,
            m.counts.bot_turns - m.escalation.escalated_turns
        );
    }

    #[test]
    fn rates_are_monotone_in_the_threshold() {
        // Many conversations with confidences spread over the range, some sensitive.
        let mut acc = SweepAccumulator::new(sweep_params());
        let intents = ["billing", "technical", "account", "general"];
        for c in 0..40u32 {
            let turns: Vec<TurnRecord> = (0..(c % 4 + 1))
                .map(|i| {
                    let mut t = bot(&format!("T{c}-{i}"), &format!("c{c}"), i + 1, "x");
                    t.predicted_intent = Some(intents[((c + i) % 4) as usize].into());
                    t.response_confidence = Some(f64::from((c * 7 + i * 13) % 50) / 100.0 + 0.5);
                    t.labels.escalate = Some((c + i) % 3 == 0);
                    t
                })
                .collect();
            acc.add_conversation(&turns);
        }
        let s = acc.finish();
        for w in s.points.windows(2) {
            assert!(w[1].turn_rate >= w[0].turn_rate, "{w:?}");
            assert!(w[1].escalation_rate >= w[0].escalation_rate, "{w:?}");
            assert!(w[1].answers_sent <= w[0].answers_sent, "{w:?}");
        }
        assert!(s.points[0].turn_rate < s.points[9].turn_rate);
    }

    #[test]
    fn recommendation_rules() {
        let pts = vec![
            point(0.5, 0.1, Some(0.4)),
            point(0.55, 0.2, Some(0.3)),
            point(0.6, 0.2, Some(0.3)),
            point(0.65, 0.3, Some(0.1)),
            point(0.7, 1.0, None),
        ];
        assert_eq!(
            recommend(&pts, 0.25),
            Some(0.6),
            "tie on wrong answers → higher"
        );
        assert_eq!(recommend(&pts, 0.3), Some(0.65));
        assert_eq!(recommend(&pts, 0.05), None, "nothing meets the target");
        assert_eq!(recommend(&pts, 1.0), Some(0.65), "unmeasured ranks last");
        let unlabelled = vec![point(0.5, 0.1, None), point(0.55, 0.2, None)];
        assert_eq!(recommend(&unlabelled, 0.5), Some(0.55));
    }

    #[test]
    fn no_target_no_recommendation_and_empty_run_no_points() {
        let mut p = sweep_params();
        p.target_escalation_rate = None;
        let mut acc = SweepAccumulator::new(p.clone());
        for conv in fixture() {
            acc.add_conversation(&conv);
        }
        let s = acc.finish();
        assert_eq!(s.points.len(), 10);
        assert_eq!(s.recommended_threshold, None);
        let empty = SweepAccumulator::new(p).finish();
        assert!(empty.points.is_empty());
    }

    #[test]
    fn wrong_answer_needs_a_label() {
        let mut t = bot("A", "a", 1, "x");
        assert_eq!(answer_is_wrong(&t), None);
        t.labels.docs = Some(Vec::new());
        assert_eq!(
            answer_is_wrong(&t),
            None,
            "\"no doc answers it\" alone says nothing"
        );
        t.labels.docs = Some(vec!["a.md".into()]);
        assert_eq!(answer_is_wrong(&t), Some(true), "expected doc not cited");
        t.cited_docs = vec!["b.md".into(), "a.md".into()];
        assert_eq!(answer_is_wrong(&t), Some(false));
        t.labels.escalate = Some(true);
        assert_eq!(answer_is_wrong(&t), Some(true));
    }
}
