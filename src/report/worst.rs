//! The worst bot turns of a run, for the reports to show first: a bounded collector that keeps
//! the `n` highest badness scores while the replay streams, so memory stays O(n) on any run size.
//!
//! Badness (higher is worse), summed over what went wrong in a turn:
//!
//! | problem                                                       | points |
//! |---------------------------------------------------------------|--------|
//! | a stage failed                                                | 100    |
//! | missed escalation (labelled escalate, the bot answered)       | 60     |
//! | wrong intent (vs expected_intent)                             | 40     |
//! | expected doc not retrieved (none of expected_doc in top-k)    | 30     |
//! | needless escalation (labelled not to escalate, it escalated)  | 20     |
//! | retrieval miss (best relevance under the threshold)           | 15     |
//! | low response confidence (< 0.7): 10 × (1 − confidence)        | ≤ 10   |
//!
//! A missed escalation ranks above a needless one: it is a wrong answer sent to a customer, where
//! a needless escalation only costs an agent's time. Turns with nothing wrong are not kept; human
//! turns never are (the bot did not answer them). Ties go to the smaller ticket_id, so the list
//! is the same on every run.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::pipeline::trace::TurnRecord;
use crate::util::{one_line, truncate_chars};

/// Response confidence under this counts as low (the default `low_confidence` escalation rule).
pub const LOW_CONFIDENCE: f64 = 0.7;

/// The problems of one turn, worst first.
#[derive(Debug, Clone, PartialEq)]
enum Problem {
    StageFailed(String),
    MissedEscalation,
    WrongIntent {
        expected: String,
        predicted: Option<String>,
    },
    ExpectedDocNotRetrieved(Vec<String>),
    NeedlessEscalation,
    RetrievalMiss(Option<f64>),
    LowConfidence(f64),
}

impl Problem {
    fn points(&self) -> f64 {
        match self {
            Problem::StageFailed(_) => 100.0,
            Problem::MissedEscalation => 60.0,
            Problem::WrongIntent { .. } => 40.0,
            Problem::ExpectedDocNotRetrieved(_) => 30.0,
            Problem::NeedlessEscalation => 20.0,
            Problem::RetrievalMiss(_) => 15.0,
            Problem::LowConfidence(c) => 10.0 * (1.0 - c.clamp(0.0, 1.0)),
        }
    }

    fn phrase(&self) -> String {
        match self {
            Problem::StageFailed(e) => {
                format!("stage failed ({})", truncate_chars(&one_line(e), 60))
            }
            Problem::MissedEscalation => "missed escalation".to_string(),
            Problem::WrongIntent {
                expected,
                predicted,
            } => format!(
                "wrong intent ({} → {})",
                expected,
                predicted.as_deref().unwrap_or("none")
            ),
            Problem::ExpectedDocNotRetrieved(docs) => {
                let shown = match docs.as_slice() {
                    [one] => one.clone(),
                    [first, rest @ ..] => format!("{first} +{}", rest.len()),
                    [] => String::new(),
                };
                format!("expected doc not retrieved ({shown})")
            }
            Problem::NeedlessEscalation => "needless escalation".to_string(),
            Problem::RetrievalMiss(Some(top)) => format!("retrieval miss (best {top:.2})"),
            Problem::RetrievalMiss(None) => "retrieval miss".to_string(),
            Problem::LowConfidence(c) => format!("low confidence ({c:.2})"),
        }
    }
}

fn problems(r: &TurnRecord) -> Vec<Problem> {
    let mut out = Vec::new();
    if !r.is_bot() {
        return out;
    }
    if let Some(e) = &r.error {
        out.push(Problem::StageFailed(e.clone()));
    }
    if r.labels.escalate == Some(true) && !r.escalate {
        out.push(Problem::MissedEscalation);
    }
    if let Some(expected) = &r.labels.intent {
        if r.predicted_intent.as_deref() != Some(expected.as_str()) {
            out.push(Problem::WrongIntent {
                expected: expected.clone(),
                predicted: r.predicted_intent.clone(),
            });
        }
    }
    if let Some(docs) = &r.labels.docs {
        if !docs.is_empty() && !docs.iter().any(|d| r.retrieved_docs.contains(d)) {
            out.push(Problem::ExpectedDocNotRetrieved(docs.clone()));
        }
    }
    if r.labels.escalate == Some(false) && r.escalate {
        out.push(Problem::NeedlessEscalation);
    }
    if r.retrieval_miss == Some(true) {
        out.push(Problem::RetrievalMiss(r.top_relevance));
    }
    if let Some(c) = r.response_confidence {
        if c.is_finite() && c < LOW_CONFIDENCE {
            out.push(Problem::LowConfidence(c));
        }
    }
    out
}

/// Badness of a turn in thousandths of a point (integers keep the ordering total); 0 = nothing
/// went wrong.
pub fn badness(r: &TurnRecord) -> u64 {
    let points: f64 = problems(r).iter().map(Problem::points).sum();
    (points * 1000.0).round().max(0.0) as u64
}

/// What went wrong in a turn, as short phrases joined by `; ` (worst first), e.g.
/// `missed escalation; wrong intent (billing → technical)`.
pub fn what_went_wrong(r: &TurnRecord) -> String {
    if !r.is_bot() {
        return "handled by a human".to_string();
    }
    let p = problems(r);
    if p.is_empty() {
        return "nothing flagged".to_string();
    }
    p.iter().map(Problem::phrase).collect::<Vec<_>>().join("; ")
}

/// A kept turn; `Ord` says which is worse (greater = worse).
struct Ranked {
    score: u64,
    record: TurnRecord,
}

fn worse(a_score: u64, a_id: &str, b_score: u64, b_id: &str) -> Ordering {
    a_score.cmp(&b_score).then_with(|| b_id.cmp(a_id))
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        worse(
            self.score,
            &self.record.ticket_id,
            other.score,
            &other.record.ticket_id,
        )
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Keeps the `n` worst bot turns offered to it.
pub struct WorstTickets {
    n: usize,
    /// Min-heap on badness: the top is the least bad kept turn, the first to drop.
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl WorstTickets {
    pub fn new(n: usize) -> Self {
        WorstTickets {
            n,
            heap: BinaryHeap::with_capacity(n.saturating_add(1).min(1024)),
        }
    }

    /// Consider one turn; it is cloned only when it is kept.
    pub fn offer(&mut self, r: &TurnRecord) {
        if self.n == 0 {
            return;
        }
        let score = badness(r);
        if score == 0 {
            return;
        }
        if self.heap.len() >= self.n {
            let Some(Reverse(least)) = self.heap.peek() else {
                return;
            };
            if worse(score, &r.ticket_id, least.score, &least.record.ticket_id) != Ordering::Greater
            {
                return;
            }
            self.heap.pop();
        }
        self.heap.push(Reverse(Ranked {
            score,
            record: r.clone(),
        }));
    }

    /// The kept turns, worst first.
    pub fn into_sorted(self) -> Vec<TurnRecord> {
        // `into_sorted_vec` is ascending in `Reverse`, i.e. worst first.
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse(r)| r.record)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    fn ids(v: &[TurnRecord]) -> Vec<&str> {
        v.iter().map(|r| r.ticket_id.as_str()).collect()
    }

    #[test]
    fn phrases_name_each_problem() {
        let r = fixtures::records();
        assert_eq!(
            what_went_wrong(&r[0]),
            "missed escalation; wrong intent (billing → technical)"
        );
        assert_eq!(
            what_went_wrong(&r[1]),
            "expected doc not retrieved (billing/gst-returns.md); retrieval miss (best 0.21); low confidence (0.20)"
        );
        assert_eq!(what_went_wrong(&r[2]), "needless escalation");
        assert_eq!(what_went_wrong(&r[3]), "handled by a human");
        assert_eq!(badness(&r[3]), 0);
    }

    #[test]
    fn keeps_the_n_worst_in_order() {
        let recs = fixtures::records();
        let mut w = WorstTickets::new(2);
        for r in recs.iter().rev() {
            w.offer(r);
        }
        // a: 60 + 40 = 100; b: 30 + 15 + 8 = 53; c: 20
        assert_eq!(ids(&w.into_sorted()), ["LL-T0007", "LL-T0012"]);

        let mut all = WorstTickets::new(10);
        for r in &recs {
            all.offer(r);
        }
        assert_eq!(
            ids(&all.into_sorted()),
            ["LL-T0007", "LL-T0012", "LL-T0020"],
            "human turn not kept"
        );

        let mut none = WorstTickets::new(0);
        none.offer(&recs[0]);
        assert!(none.into_sorted().is_empty());
    }

    #[test]
    fn bounded_and_ties_broken_by_ticket_id() {
        let base = fixtures::records()[2].clone();
        let mut w = WorstTickets::new(3);
        for i in (0..50).rev() {
            let mut r = base.clone();
            r.ticket_id = format!("T{i:03}");
            w.offer(&r);
            assert!(w.heap.len() <= 3);
        }
        assert_eq!(ids(&w.into_sorted()), ["T000", "T001", "T002"]);
    }
}
