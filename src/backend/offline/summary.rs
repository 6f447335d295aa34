//! Extractive conversation summary: for each earlier customer turn, its most informative
//! sentence (the one with most content words), kept in order and capped in length.

use crate::backend::HistoryTurn;
use crate::util::truncate_chars;

use super::responder::content_words;

const MAX_CHARS: usize = 400;

pub fn summarize(previous: Option<&str>, transcript: &[HistoryTurn]) -> String {
    let mut parts: Vec<String> = previous.map(|p| vec![p.to_string()]).unwrap_or_default();
    for t in transcript {
        let best = t
            .customer
            .split(['.', '?', '!', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .max_by_key(|s| content_words(s).len())
            .unwrap_or("");
        if !best.is_empty() {
            parts.push(format!("Customer: {}.", truncate_chars(best, 140)));
        }
    }
    // Keep the newest information when over the cap: drop from the front.
    let mut text = parts.join(" ");
    while text.chars().count() > MAX_CHARS && parts.len() > 1 {
        parts.remove(0);
        text = parts.join(" ");
    }
    truncate_chars(&text, MAX_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_informative_sentence_of_each_turn() {
        let t = vec![
            HistoryTurn {
                customer: "Hi. My UPI payment of ₹1,299 failed with LL-1004.".into(),
                assistant: "…".into(),
            },
            HistoryTurn {
                customer: "ok. Still failing after retry".into(),
                assistant: "…".into(),
            },
        ];
        let s = summarize(None, &t);
        assert_eq!(s, "Customer: My UPI payment of ₹1,299 failed with LL-1004. Customer: Still failing after retry.");
    }

    #[test]
    fn capped() {
        let t: Vec<HistoryTurn> = (0..20)
            .map(|i| HistoryTurn {
                customer: format!("message number {i} about the invoice export problem"),
                assistant: String::new(),
            })
            .collect();
        assert!(summarize(None, &t).chars().count() <= 400);
    }
}
