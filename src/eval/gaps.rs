//! Documentation gaps: the bot turns the help centre could not answer — retrieval misses, and
//! escalations for low confidence (`low_confidence`, `sensitive_low_confidence`) or missing
//! information (`missing_info`) — grouped by predicted intent and topic, biggest group first,
//! top [`MAX_GAPS`]. A group's `misses` counts its retrieval misses and its `low_confidence` its
//! turns escalated for any of those three reasons (a turn may count in both).
//!
//! **Topic.** A turn's keywords are the lowercase words of its message with at least 3
//! characters (at least one a letter), minus an English stopword list that includes support-chat
//! filler ("hi", "please", "help", "issue", "working", …) and the intent's own name, with a plain
//! plural `s` dropped (`refunds` → `refund`), deduplicated, the first [`MAX_KEYWORDS`] kept.
//! Groups are then formed greedily: the (intent, keyword) pair shared by the most ungrouped turns
//! becomes a group and takes all of them (ties: the longer keyword, then alphabetical), until
//! every turn is in exactly one group. A group's topic is its keyword, followed by a second
//! keyword when at least half of the group's turns (and at least 2) share it, e.g.
//! `annual refund`. Turns without any keyword form one `(other)` group per intent.
//!
//! **Bounds.** Up to [`MAX_STORED_TURNS`] gap turns are kept (intent, keywords, ticket id); when
//! more arrive, the groups are formed from the turns kept so far and each later turn joins the
//! best-ranked existing group of its intent whose topic keywords include one of the turn's
//! keywords (else a new group under its first keyword). Each group keeps counts and at most 3
//! example ticket ids, so memory stays bounded however many tickets are replayed.

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::accumulate::NO_INTENT;
use crate::eval::metrics::Gap;
use crate::pipeline::trace::TurnRecord;

/// Groups reported.
pub const MAX_GAPS: usize = 15;
/// Gap turns kept for grouping before groups are frozen.
pub const MAX_STORED_TURNS: usize = 5_000;
/// Keywords kept per turn.
pub const MAX_KEYWORDS: usize = 6;
/// Example ticket ids per group.
pub const MAX_EXAMPLES: usize = 3;
/// Topic of the turns that have no keyword.
pub const OTHER_TOPIC: &str = "(other)";

/// Escalation reasons that say the docs could not support a confident answer.
const LOW_CONFIDENCE_REASONS: [&str; 3] =
    ["low_confidence", "sensitive_low_confidence", "missing_info"];

/// English stopwords plus the filler words of support chats: never a topic.
const STOPWORDS: &[&str] = &[
    "able",
    "about",
    "above",
    "account",
    "actually",
    "after",
    "afternoon",
    "again",
    "against",
    "ago",
    "all",
    "already",
    "also",
    "always",
    "and",
    "another",
    "any",
    "anybody",
    "anyone",
    "anything",
    "are",
    "aren",
    "around",
    "asap",
    "ask",
    "asked",
    "asking",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "can",
    "cannot",
    "cant",
    "come",
    "could",
    "couldn",
    "dear",
    "did",
    "didn",
    "does",
    "doesn",
    "doing",
    "don",
    "done",
    "dont",
    "down",
    "during",
    "each",
    "even",
    "evening",
    "ever",
    "every",
    "everyone",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "give",
    "given",
    "going",
    "gone",
    "good",
    "got",
    "guys",
    "had",
    "hadn",
    "hai",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "hello",
    "help",
    "her",
    "here",
    "hers",
    "hey",
    "hii",
    "him",
    "his",
    "hiya",
    "how",
    "however",
    "immediately",
    "into",
    "issue",
    "issues",
    "its",
    "itself",
    "ive",
    "just",
    "keep",
    "keeps",
    "kind",
    "kindly",
    "know",
    "last",
    "let",
    "like",
    "look",
    "looking",
    "lot",
    "maam",
    "madam",
    "make",
    "many",
    "may",
    "might",
    "more",
    "morning",
    "most",
    "much",
    "must",
    "need",
    "needs",
    "never",
    "new",
    "nor",
    "not",
    "nothing",
    "now",
    "off",
    "okay",
    "once",
    "one",
    "only",
    "onto",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "please",
    "pls",
    "plz",
    "problem",
    "problems",
    "really",
    "regarding",
    "right",
    "said",
    "same",
    "say",
    "see",
    "seems",
    "she",
    "should",
    "shouldn",
    "since",
    "sir",
    "some",
    "someone",
    "something",
    "soon",
    "still",
    "such",
    "sure",
    "team",
    "tell",
    "than",
    "thank",
    "thanks",
    "thanx",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "though",
    "through",
    "thx",
    "today",
    "too",
    "tried",
    "try",
    "trying",
    "unable",
    "under",
    "until",
    "upon",
    "urgent",
    "urgently",
    "use",
    "used",
    "using",
    "very",
    "via",
    "want",
    "wanted",
    "wants",
    "was",
    "wasn",
    "way",
    "well",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "won",
    "work",
    "working",
    "works",
    "would",
    "wouldn",
    "yes",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
];

fn is_stopword(w: &str) -> bool {
    STOPWORDS.binary_search(&w).is_ok()
}

/// Whether a bot turn is a documentation gap, and why: `(retrieval miss, low confidence or
/// missing info)`. `None` for a turn that is not a gap.
pub fn gap_kind(turn: &TurnRecord) -> Option<(bool, bool)> {
    if !turn.is_bot() {
        return None;
    }
    let has = |code: &str| turn.escalation_reasons.iter().any(|r| r == code);
    let miss = turn.retrieval_miss == Some(true) || (turn.escalate && has("retrieval_miss"));
    let low = turn.escalate && LOW_CONFIDENCE_REASONS.iter().any(|r| has(r));
    (miss || low).then_some((miss, low))
}

/// The topic keywords of a message (see the module doc), at most [`MAX_KEYWORDS`].
pub fn keywords(message: &str, intent: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in message.split(|c: char| !c.is_alphanumeric()) {
        if out.len() == MAX_KEYWORDS {
            break;
        }
        let w = raw.to_lowercase();
        if w.chars().count() < 3 || !w.chars().any(char::is_alphabetic) || is_stopword(&w) {
            continue;
        }
        let w = singular(w);
        if is_stopword(&w) || w == intent || out.contains(&w) {
            continue;
        }
        out.push(w);
    }
    out
}

/// `refunds` → `refund`; leaves `access`, `status`, `analysis`, short words alone.
fn singular(w: String) -> String {
    let n = w.chars().count();
    if n > 4 && w.ends_with('s') && !["ss", "us", "is"].iter().any(|e| w.ends_with(e)) {
        let mut w = w;
        w.pop();
        w
    } else {
        w
    }
}

#[derive(Debug, Clone)]
struct GapTurn {
    intent: String,
    keywords: Vec<String>,
    ticket_id: String,
    miss: bool,
    low: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Group {
    intent: String,
    /// The keyword the group was formed on, then the second keyword of its topic, if any.
    keys: Vec<String>,
    topic: String,
    turns: u64,
    misses: u64,
    low_confidence: u64,
    examples: Vec<String>,
}

impl Group {
    fn new(intent: &str, keys: &[&str]) -> Group {
        Group {
            intent: intent.to_string(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            topic: keys.join(" "),
            turns: 0,
            misses: 0,
            low_confidence: 0,
            examples: Vec::new(),
        }
    }

    fn add(&mut self, t: &GapTurn) {
        self.turns += 1;
        self.misses += u64::from(t.miss);
        self.low_confidence += u64::from(t.low);
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(t.ticket_id.clone());
        }
    }
}

/// Gap turns, grouped at the end (see the module doc for the bounds).
#[derive(Debug, Clone, Default)]
pub struct GapAccumulator {
    stored: Vec<GapTurn>,
    /// Set once the turns kept have been grouped: groups in greedy rank order.
    frozen: Option<Vec<Group>>,
    /// (intent, keyword) → position in `frozen`.
    by_key: BTreeMap<(String, String), usize>,
}

impl GapAccumulator {
    pub fn new() -> Self {
        GapAccumulator::default()
    }

    /// Add one turn; turns that are not documentation gaps (or not bot turns) are ignored.
    pub fn add_turn(&mut self, turn: &TurnRecord) {
        let Some((miss, low)) = gap_kind(turn) else {
            return;
        };
        let intent = turn.predicted_intent.as_deref().unwrap_or(NO_INTENT);
        let t = GapTurn {
            intent: intent.to_string(),
            keywords: keywords(&turn.message, intent),
            ticket_id: turn.ticket_id.clone(),
            miss,
            low,
        };
        if self.frozen.is_none() && self.stored.len() < MAX_STORED_TURNS {
            self.stored.push(t);
            return;
        }
        self.freeze();
        self.add_to_frozen(&t);
    }

    fn freeze(&mut self) {
        if self.frozen.is_some() {
            return;
        }
        let groups = group(&self.stored);
        let mut by_key = BTreeMap::new();
        for (i, g) in groups.iter().enumerate() {
            for k in &g.keys {
                by_key.entry((g.intent.clone(), k.clone())).or_insert(i);
            }
        }
        self.by_key = by_key;
        self.frozen = Some(groups);
        self.stored = Vec::new();
    }

    fn add_to_frozen(&mut self, t: &GapTurn) {
        let Some(groups) = self.frozen.as_mut() else {
            return;
        };
        let key = |kw: &str| (t.intent.clone(), kw.to_string());
        let best = if t.keywords.is_empty() {
            self.by_key.get(&key(OTHER_TOPIC)).copied()
        } else {
            t.keywords
                .iter()
                .filter_map(|k| self.by_key.get(&key(k)).copied())
                .min()
        };
        let i = match best {
            Some(i) => i,
            None => {
                let kw = t
                    .keywords
                    .first()
                    .map(String::as_str)
                    .unwrap_or(OTHER_TOPIC);
                groups.push(Group::new(&t.intent, &[kw]));
                self.by_key.insert(key(kw), groups.len() - 1);
                groups.len() - 1
            }
        };
        if let Some(g) = groups.get_mut(i) {
            g.add(t);
        }
    }

    /// The biggest [`MAX_GAPS`] groups: most turns first, then most misses, then by intent and
    /// topic.
    pub fn finish(mut self) -> Vec<Gap> {
        self.freeze();
        let mut groups = self.frozen.unwrap_or_default();
        groups.sort_by(|a, b| {
            b.turns
                .cmp(&a.turns)
                .then_with(|| b.misses.cmp(&a.misses))
                .then_with(|| a.intent.cmp(&b.intent))
                .then_with(|| a.topic.cmp(&b.topic))
        });
        groups
            .into_iter()
            .take(MAX_GAPS)
            .map(|g| Gap {
                intent: g.intent,
                topic: g.topic,
                turns: g.turns,
                misses: g.misses,
                low_confidence: g.low_confidence,
                examples: g.examples,
            })
            .collect()
    }
}

/// Greedy grouping of `turns`: every turn in exactly one group, groups in the order picked.
fn group(turns: &[GapTurn]) -> Vec<Group> {
    // (intent, keyword) → ungrouped turns having it, and the list of those turns.
    let mut count: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut members: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, t) in turns.iter().enumerate() {
        for k in &t.keywords {
            *count.entry((&t.intent, k)).or_insert(0) += 1;
            members.entry((&t.intent, k)).or_default().push(i);
        }
    }
    let mut grouped = vec![false; turns.len()];
    let mut out = Vec::new();
    loop {
        let mut best: Option<((&str, &str), u64)> = None;
        for (key, &n) in &count {
            let better = match best {
                None => n > 0,
                Some((b, bn)) => n > bn || (n == bn && key.1.chars().count() > b.1.chars().count()),
            };
            if better {
                best = Some((*key, n));
            }
        }
        let Some((key, _)) = best else { break };
        let idx: Vec<usize> = members
            .get(&key)
            .map(|v| v.iter().copied().filter(|&i| !grouped[i]).collect())
            .unwrap_or_default();
        for &i in &idx {
            grouped[i] = true;
            for k in &turns[i].keywords {
                if let Some(n) = count.get_mut(&(turns[i].intent.as_str(), k.as_str())) {
                    *n -= 1;
                }
            }
        }
        let mut g = match second_keyword(turns, &idx, key.1) {
            Some(k2) => Group::new(key.0, &[key.1, k2]),
            None => Group::new(key.0, &[key.1]),
        };
        for &i in &idx {
            g.add(&turns[i]);
        }
        out.push(g);
    }
    // Turns with no keyword: one group per intent.
    let mut other: BTreeMap<&str, Group> = BTreeMap::new();
    for (t, _) in turns.iter().zip(&grouped).filter(|(_, done)| !**done) {
        other
            .entry(&t.intent)
            .or_insert_with(|| Group::new(&t.intent, &[OTHER_TOPIC]))
            .add(t);
    }
    out.extend(other.into_values());
    out
}

/// A keyword besides `primary` that at least half of the group (and at least 2 turns) share.
fn second_keyword<'a>(turns: &'a [GapTurn], idx: &[usize], primary: &str) -> Option<&'a str> {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in idx {
        let distinct: BTreeSet<&str> = turns[i].keywords.iter().map(String::as_str).collect();
        for k in distinct.into_iter().filter(|k| *k != primary) {
            *n.entry(k).or_insert(0) += 1;
        }
    }
    let need = idx.len().div_ceil(2).max(2);
    let mut best: Option<(&str, usize)> = None;
    for (k, c) in n.into_iter().filter(|(_, c)| *c >= need) {
        let better = match best {
            None => true,
            Some((b, bc)) => c > bc || (c == bc && k.chars().count() > b.chars().count()),
        };
        if better {
            best = Some((k, c));
        }
    }
    best.map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::accumulate::tests::{bot, fixture_metrics, params};

    fn gap_turn(id: &str, intent: &str, message: &str, miss: bool) -> TurnRecord {
        let mut t = bot(id, id, 1, message);
        t.predicted_intent = Some(intent.into());
        if miss {
            t.retrieval_miss = Some(true);
        } else {
            t.escalate = true;
            t.escalation_reasons = vec!["low_confidence".into()];
        }
        t
    }

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(
            STOPWORDS.windows(2).all(|w| w[0] < w[1]),
            "keep STOPWORDS sorted and unique"
        );
        assert!(is_stopword("please") && is_stopword("the") && !is_stopword("refund"));
    }

    #[test]
    fn keywords_drop_filler_plurals_and_the_intent_name() {
        assert_eq!(
            keywords(
                "Hi, I need help!! Can I get REFUNDS for my annual plans? thanks",
                "billing"
            ),
            ["refund", "annual", "plan"]
        );
        assert_eq!(
            keywords("billing invoice GST 18% 2024", "billing"),
            ["invoice", "gst"]
        );
        assert_eq!(keywords("access status", "account"), ["access", "status"]);
        assert_eq!(keywords("hi??", "general"), Vec::<String>::new());
        assert!(keywords("a b c d e f g h i j k l m n o p q r s t u v w x y z one two three four five six seven eight", "x").len() <= MAX_KEYWORDS);
    }

    #[test]
    fn which_turns_are_gaps() {
        let mut t = bot("A", "a", 1, "x");
        assert_eq!(gap_kind(&t), None);
        t.retrieval_miss = Some(true);
        assert_eq!(gap_kind(&t), Some((true, false)));
        t.retrieval_miss = Some(false);
        t.escalate = true;
        t.escalation_reasons = vec!["human_requested".into()];
        assert_eq!(gap_kind(&t), None, "asking for a human is not a doc gap");
        t.escalation_reasons.push("missing_info".into());
        assert_eq!(gap_kind(&t), Some((false, true)));
        t.handled_by = crate::pipeline::trace::HandledBy::Human;
        assert_eq!(gap_kind(&t), None);
    }

    #[test]
    fn groups_by_intent_and_shared_keyword_biggest_first() {
        let turns = [
            gap_turn("B1", "billing", "Refund for annual plan", false),
            gap_turn("B2", "billing", "annual plan refund please", true),
            gap_turn(
                "B3",
                "billing",
                "how do I get a refund for the annual plan?",
                false,
            ),
            gap_turn("B4", "billing", "GST invoice missing", true),
            gap_turn("T1", "technical", "sync failing on android", true),
            gap_turn("T2", "technical", "Android sync error", false),
            gap_turn("T3", "general", "refund", true),
            gap_turn("O1", "general", "hello??", true),
        ];
        let mut acc = GapAccumulator::new();
        for t in &turns {
            acc.add_turn(t);
        }
        let not_gap = bot("N1", "n", 1, "refund annual plan");
        acc.add_turn(&not_gap);
        let gaps = acc.finish();
        let summary: Vec<(&str, &str, u64, u64, u64)> = gaps
            .iter()
            .map(|g| {
                (
                    g.intent.as_str(),
                    g.topic.as_str(),
                    g.turns,
                    g.misses,
                    g.low_confidence,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                // refund / annual / plan are all shared by 3: the longer, then alphabetical.
                ("billing", "annual refund", 3, 1, 2),
                ("technical", "android sync", 2, 1, 1),
                // One turn each: the longest keyword names it.
                ("billing", "invoice", 1, 1, 0),
                ("general", "(other)", 1, 1, 0),
                ("general", "refund", 1, 1, 0),
            ]
        );
        assert_eq!(gaps[0].examples, ["B1", "B2", "B3"]);
        assert_eq!(gaps[1].examples, ["T1", "T2"]);
    }

    #[test]
    fn each_turn_counts_once_and_examples_are_capped() {
        let mut acc = GapAccumulator::new();
        for i in 0..10 {
            acc.add_turn(&gap_turn(
                &format!("R{i}"),
                "billing",
                "refund delayed",
                true,
            ));
        }
        acc.add_turn(&gap_turn("D1", "billing", "delayed payout", true));
        let gaps = acc.finish();
        assert_eq!(gaps.iter().map(|g| g.turns).sum::<u64>(), 11);
        assert_eq!(gaps[0].topic, "delayed refund");
        assert_eq!(gaps[0].turns, 11, "the payout turn shares `delayed`");
        assert_eq!(gaps[0].examples.len(), MAX_EXAMPLES);
    }

    #[test]
    fn at_most_fifteen_groups() {
        let mut acc = GapAccumulator::new();
        let words = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
        ];
        for (i, w) in words.iter().enumerate() {
            for j in 0..=i {
                acc.add_turn(&gap_turn(&format!("{w}{j}"), "general", w, true));
            }
        }
        let gaps = acc.finish();
        assert_eq!(gaps.len(), MAX_GAPS);
        assert_eq!(gaps[0].topic, "romeo");
        assert_eq!(gaps[0].turns, 18);
        assert!(gaps.windows(2).all(|w| w[0].turns >= w[1].turns));
    }

    #[test]
    fn turns_beyond_the_bound_join_the_frozen_groups() {
        let mut acc = GapAccumulator::new();
        for i in 0..MAX_STORED_TURNS {
            let msg = if i % 2 == 0 {
                "refund delayed"
            } else {
                "otp not received"
            };
            let intent = if i % 2 == 0 { "billing" } else { "account" };
            acc.add_turn(&gap_turn(&format!("S{i}"), intent, msg, false));
        }
        assert_eq!(acc.stored.len(), MAX_STORED_TURNS);
        acc.add_turn(&gap_turn("X1", "billing", "my refund please", true));
        acc.add_turn(&gap_turn("X2", "billing", "wallet topup", true));
        assert!(acc.frozen.is_some());
        assert!(acc.stored.is_empty());
        let gaps = acc.finish();
        let g = |topic: &str| gaps.iter().find(|g| g.topic == topic).unwrap().clone();
        // "refund" is the second keyword of the frozen "delayed refund" group: X1 joins it.
        assert_eq!(g("delayed refund").turns, 2_501);
        assert_eq!(g("received otp").turns, 2_500);
        assert_eq!(g("wallet").turns, 1);
        assert_eq!(
            gaps.iter().map(|g| g.turns).sum::<u64>(),
            MAX_STORED_TURNS as u64 + 2
        );
    }

    #[test]
    fn fixture_gaps() {
        // T2 escalated for low confidence (predicted billing), T5 a retrieval miss (general).
        let m = fixture_metrics(params());
        let ids: Vec<(&str, &str)> = m
            .gaps
            .iter()
            .map(|g| (g.intent.as_str(), g.examples[0].as_str()))
            .collect();
        assert_eq!(ids, [("general", "T5"), ("billing", "T2")]);
        assert_eq!(m.gaps[0].misses, 1);
        assert_eq!(m.gaps[1].low_confidence, 1);
    }
}
