//! The conversation manager: recent history (last 3 turns), a summary once the conversation grows
//! past that, context cleared when the intent changes completely, the count of unresolved
//! same-intent turns, and the hand-off flag once a turn escalates.

use std::collections::VecDeque;

use crate::backend::HistoryTurn;

/// Phrases that say the previous answer did not resolve the issue.
const NOT_RESOLVED: &[&str] = &[
    "still",
    "again",
    "not working",
    "doesn't work",
    "does not work",
    "didn't work",
    "did not work",
    "didn't help",
    "did not help",
    "doesn't help",
    "not helpful",
    "same error",
    "same issue",
    "same problem",
    "no luck",
    "tried that",
    "already tried",
    "tried everything",
    "nothing happened",
    "nothing happens",
    "not resolved",
    "keeps",
    "keep getting",
    "yet again",
    "no change",
    "same thing",
    "useless answer",
    "that's not",
    "not what i asked",
];

#[derive(Debug, Clone, Default)]
pub struct Conversation {
    /// The last `history_turns` exchanges, oldest first.
    pub history: VecDeque<HistoryTurn>,
    /// Exchanges that scrolled out of `history`, waiting to be folded into the summary.
    pub older: Vec<HistoryTurn>,
    pub summary: Option<String>,
    pub bot_turns: usize,
    pub current_intent: Option<String>,
    /// Consecutive same-intent turns the customer came back with unresolved (1 = a fresh issue).
    pub unresolved: usize,
    /// Handed to a human: later turns are not answered by the bot.
    pub escalated: bool,
}

/// The customer says the last answer did not help.
pub fn says_not_resolved(message: &str) -> bool {
    let p = crate::backend::offline::sentiment::padded_words(message);
    NOT_RESOLVED.iter().any(|w| p.contains(&format!(" {w} ")))
}

impl Conversation {
    pub fn history(&self) -> Vec<HistoryTurn> {
        self.history.iter().cloned().collect()
    }

    /// Before a turn: track the intent. A complete change of intent (a confident new intent that
    /// is not a follow-up) clears the context; the same intent coming back unresolved counts up.
    pub fn observe_intent(
        &mut self,
        intent: &str,
        confidence: f64,
        follow_up: bool,
        message: &str,
    ) {
        match self.current_intent.as_deref() {
            Some(prev) if prev == intent => {
                if says_not_resolved(message) {
                    self.unresolved += 1;
                } else {
                    self.unresolved = 1;
                }
            }
            Some(_) if follow_up || confidence < 0.5 => {
                // A short follow-up or an unsure classification keeps the context and the count.
                if says_not_resolved(message) {
                    self.unresolved += 1;
                }
                return;
            }
            Some(_) => {
                self.history.clear();
                self.older.clear();
                self.summary = None;
                self.unresolved = 1;
            }
            None => self.unresolved = 1,
        }
        self.current_intent = Some(intent.to_string());
    }

    /// After a turn: remember it; returns the exchanges to fold into the summary (non-empty once
    /// the conversation has more turns than `keep`).
    pub fn remember(&mut self, customer: &str, assistant: &str, keep: usize) -> Vec<HistoryTurn> {
        self.bot_turns += 1;
        self.history.push_back(HistoryTurn {
            customer: customer.to_string(),
            assistant: assistant.to_string(),
        });
        while self.history.len() > keep.max(1) {
            if let Some(t) = self.history.pop_front() {
                self.older.push(t);
            }
        }
        std::mem::take(&mut self.older)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_last_three_and_hands_out_older_for_the_summary() {
        let mut c = Conversation::default();
        for i in 0..3 {
            assert!(c.remember(&format!("q{i}"), "a", 3).is_empty());
        }
        let older = c.remember("q3", "a", 3);
        assert_eq!(older.len(), 1);
        assert_eq!(older[0].customer, "q0");
        assert_eq!(c.history.len(), 3);
        assert_eq!(c.bot_turns, 4);
    }

    #[test]
    fn complete_intent_change_clears_context() {
        let mut c = Conversation::default();
        c.observe_intent("billing", 0.9, false, "my upi payment failed");
        c.remember("my upi payment failed", "a", 3);
        c.summary = Some("s".into());
        c.observe_intent(
            "technical",
            0.9,
            false,
            "separately, the android app crashes on launch",
        );
        assert!(c.history.is_empty() && c.summary.is_none());
        assert_eq!(c.current_intent.as_deref(), Some("technical"));
    }

    #[test]
    fn follow_up_keeps_context() {
        let mut c = Conversation::default();
        c.observe_intent("billing", 0.9, false, "refund policy?");
        c.remember("refund policy?", "a", 3);
        c.observe_intent("general", 0.9, true, "how long?");
        assert_eq!(c.history.len(), 1);
        assert_eq!(c.current_intent.as_deref(), Some("billing"));
    }

    #[test]
    fn unresolved_counts_only_when_the_customer_comes_back() {
        let mut c = Conversation::default();
        c.observe_intent("technical", 0.9, false, "bank feed shows LL-2003");
        assert_eq!(c.unresolved, 1);
        c.observe_intent("technical", 0.9, false, "still getting LL-2003");
        assert_eq!(c.unresolved, 2);
        c.observe_intent("technical", 0.9, false, "tried that, same error");
        assert_eq!(c.unresolved, 3);
        c.observe_intent("technical", 0.9, false, "also, how do I add a webhook?");
        assert_eq!(c.unresolved, 1);
    }
}
