//! Lexicon sentiment: angry / negative / neutral / positive.
//!
//! Angry = hostility, abuse, threats (to leave, complain publicly, go to court), or shouting
//! (several all-caps words, `!!`). Negative = frustration without hostility. Word lists are
//! matched on whole words after lowercasing; a negated positive ("not happy") counts negative.

use crate::backend::Sentiment;

const ANGRY: &[&str] = &[
    "ridiculous",
    "pathetic",
    "useless",
    "worst",
    "scam",
    "scammers",
    "fraud",
    "cheat",
    "cheated",
    "cheating",
    "liars",
    "disgusting",
    "unacceptable",
    "furious",
    "outrageous",
    "shameful",
    "shame",
    "horrible",
    "terrible",
    "idiots",
    "incompetent",
    "rubbish",
    "garbage",
    "nonsense",
    "joke",
    "fed up",
    "sick of",
    "sick and tired",
    "had enough",
    "waste of time",
    "waste of money",
    "consumer court",
    "consumer forum",
    "legal action",
    "lawyer",
    "sue",
    "sue you",
    "report you",
    "twitter",
    "social media",
    "never again",
    "cancel everything",
    "switching to",
    "move to another",
    "angry",
    "livid",
    "hate",
    "stupid",
    "damn",
    "wtf",
    "bloody",
    "robbery",
    "looting",
    "daylight",
    "linkedin",
    "facebook",
    "instagram",
    "post about",
    "public review",
    "bad review",
    "going back to",
    "i am cancelling",
    "immediately",
    "fix it now",
    "do it today",
    "right now",
    "nobody has answered",
    "no one has answered",
    "nobody answers",
    "how many times",
    "third time",
    "3rd time",
    "fourth time",
    "absolutely",
    "disgrace",
];
/// Abuse aimed at the company: angry on its own.
const ABUSE: &[&str] = &[
    "idiot", "idiots", "moron", "morons", "stupid", "scammers", "liars", "cheats", "clowns",
    "jokers", "bastards",
];
const NEGATIVE: &[&str] = &[
    "disappointed",
    "disappointing",
    "frustrated",
    "frustrating",
    "annoyed",
    "annoying",
    "unhappy",
    "upset",
    "not happy",
    "not satisfied",
    "dissatisfied",
    "problem",
    "issue",
    "broken",
    "confused",
    "confusing",
    "worried",
    "concerned",
    "still",
    "again",
    "slow",
    "bad",
    "poor",
    "failed",
    "failing",
    "doesn't work",
    "not working",
    "stuck",
    "unfortunately",
    "urgent",
    "asap",
    "waiting",
];
const POSITIVE: &[&str] = &[
    "thanks",
    "thank you",
    "thank",
    "great",
    "awesome",
    "love",
    "excellent",
    "appreciate",
    "helpful",
    "perfect",
    "amazing",
    "wonderful",
    "nice",
    "good job",
    "brilliant",
    "happy",
    "glad",
    "works now",
    "resolved",
    "sorted",
];

/// Whole-word (or whole-phrase) occurrences of `phrase` in the padded lowercase text.
fn has(padded: &str, phrase: &str) -> bool {
    padded.contains(&format!(" {phrase} "))
}

/// Lowercase words joined by single spaces, padded with a space at each end.
pub fn padded_words(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect();
    format!(" {} ", words.join(" "))
}

pub fn classify(text: &str) -> Sentiment {
    let p = padded_words(text);
    let angry = ANGRY.iter().filter(|w| has(&p, w)).count();
    let caps_words = text
        .split_whitespace()
        .filter(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && w.chars().all(|c| !c.is_lowercase())
        })
        .count();
    let shouting = caps_words >= 3 || text.contains("!!") || text.contains("?!");
    let negated_positive = [
        "not happy",
        "not good",
        "not great",
        "not helpful",
        "no help",
    ]
    .iter()
    .any(|w| has(&p, w));
    let negative = NEGATIVE.iter().filter(|w| has(&p, w)).count() + usize::from(negated_positive);
    let positive = if negated_positive {
        0
    } else {
        POSITIVE.iter().filter(|w| has(&p, w)).count()
    };
    // Anger: two hostile expressions, one with shouting or frustration, or shouting with frustration.
    let abuse = ABUSE.iter().any(|w| has(&p, w));
    if abuse
        || angry >= 2
        || (angry >= 1 && (shouting || caps_words >= 1 || negative >= 1))
        || caps_words >= 4
        || (shouting && negative >= 1)
    {
        return Sentiment::Angry;
    }
    if angry == 1 {
        return Sentiment::Negative;
    }
    if negative > positive {
        Sentiment::Negative
    } else if positive > negative {
        Sentiment::Positive
    } else {
        Sentiment::Neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_cases() {
        assert_eq!(
            classify("This is ridiculous, worst service ever"),
            Sentiment::Angry
        );
        assert_eq!(classify("WHY IS MY ACCOUNT LOCKED AGAIN"), Sentiment::Angry);
        assert_eq!(
            classify("I will go to consumer court if this is not fixed!!"),
            Sentiment::Angry
        );
        assert_eq!(
            classify("I'm a bit frustrated, the sync is still not working"),
            Sentiment::Negative
        );
        assert_eq!(
            classify("How do I add GST to an invoice?"),
            Sentiment::Neutral
        );
        assert_eq!(
            classify("Thanks, that worked perfectly"),
            Sentiment::Positive
        );
        assert_eq!(
            classify("not happy with the new pricing"),
            Sentiment::Negative
        );
        assert_eq!(
            classify("Your product is a joke. I'm going to post about this on LinkedIn"),
            Sentiment::Angry
        );
        assert_eq!(classify("that's ridiculous, Do it TODAY"), Sentiment::Angry);
        assert_eq!(
            classify("the export is a bit slow today"),
            Sentiment::Negative
        );
        assert_eq!(
            classify("Stop spamming me with whatsapp messages you idiots"),
            Sentiment::Angry,
            "one insult aimed at the company is enough"
        );
    }

    #[test]
    fn words_not_substrings() {
        assert_eq!(
            classify("please assume the usual setup"),
            Sentiment::Neutral,
            "'sue' inside 'assume' is not a threat"
        );
    }
}
