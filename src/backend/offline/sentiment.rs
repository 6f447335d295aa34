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
    "loot",
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
    // Hinglish.
    "bakwas",
    "bakwaas",
    "ghatiya",
    "bekar",
    "bekaar",
    "faltu",
    "dhokha",
    "sharam",
    "kitni baar",
    "teesri baar",
];
/// Abuse aimed at the company: angry on its own.
const ABUSE: &[&str] = &[
    "idiot",
    "idiots",
    "moron",
    "morons",
    "stupid",
    "scammers",
    "liars",
    "cheats",
    "clowns",
    "jokers",
    "bastards",
    "chor",
    "chors",
    "lootere",
    "dhokebaaz",
    "dhokhebaaz",
    "besharam",
    "bewakoof",
    "nalayak",
];
/// Threats to leave, to complain publicly or to go to law: angry on their own, in any product.
fn threat() -> Option<&'static regex::Regex> {
    static R: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        regex::Regex::new(concat!(
            r"\b(?:uninstall(?:ing|ed)?\b|(?:delet|remov)(?:e|ing) (?:this|your) app\b",
            r"|(?:1|one)[- ]?star\b",
            r"|never (?:using|use|ordering|order|buying|booking|recommending|coming back)\b[^.?!]{0,30}\bagain\b",
            r"|(?:mov|switch|go|shift|port)(?:e|ing)? (?:to|over to) (?:another|a different|some other|other|a better) (?:app|platform|provider|company|service|network|brand|operator)\b",
            r"|consumer (?:court|forum)|legal (?:action|notice)",
            r"|(?:post|posting|share|sharing|write|writing|tweet|tweeting|review)\b[^.?!]{0,30}\b(?:twitter|facebook|instagram|linkedin|reddit|play ?store|app ?store|google review|social media|everywhere)\b)",
        ))
        .ok()
    })
    .as_ref()
}

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
    // Shouted words: all capitals, three letters or more, with a vowel, each counted once, so
    // that acronyms ("GST", "CGST and SGST") are not shouting.
    let mut shouted: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && w.chars().all(|c| !c.is_lowercase())
                && w.chars().any(|c| "AEIOU".contains(c))
        })
        .collect();
    shouted.sort_unstable();
    shouted.dedup();
    let caps_words = shouted.len();
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
    let abuse = ABUSE.iter().any(|w| has(&p, w)) || threat().is_some_and(|r| r.is_match(&p));
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
    fn threats_are_angry_on_their_own() {
        for m in [
            "app crashes every time i open a test. uninstalling and giving 1 star on playstore",
            "doctor never came. never using careslot again",
            "if this is not fixed by tonight im moving to another platform",
            "I will write about this on twitter",
            "bakwas service, kitni baar bolu",
            "chor company hai ye",
        ] {
            assert_eq!(classify(m), Sentiment::Angry, "{m}");
        }
        assert_eq!(
            classify("we are moving to another city next month, how do I shift"),
            Sentiment::Neutral
        );
        assert_eq!(
            classify("want to download all my records before i delete the app"),
            Sentiment::Neutral
        );
    }

    #[test]
    fn acronyms_are_not_shouting() {
        assert_eq!(
            classify(
                "The receipt shows no GST, but the invoice shows CGST and SGST. Is GST charged?"
            ),
            Sentiment::Neutral
        );
        assert_eq!(
            classify("STILL NOT DELIVERED. what is going on"),
            Sentiment::Angry
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
