//! Hinglish (Hindi written in Latin letters, mixed with English) rendered word by word in the
//! English that help-centre articles are written in, for the offline stages that match a message
//! against the articles: retrieval and the responder's evidence.
//!
//! Indian customers write "otp nahi aa raha login ke liye" or "paisa 2 baar kat gaya, refund
//! karo". Neither the static model nor the lexical scorer knows "nahi", "kat" or "paisa", so such a
//! turn retrieves weakly, its words count as unknown to the articles, and it is escalated as a low
//! confidence answer although an article answers it. The glossary gives the common function words
//! (dropped: "hai", "ka", "raha"), question words ("kab" → "when") and the verbs and nouns of
//! support requests ("kat gaya" → "deducted", "wapas" → "refund", "bhool" → "forgot") their
//! English words. It is general Hindi, written without reference to any product; words that are
//! also English ("to", "me", "do", "bus", "band", "lag", "hum", "dal", "teen", "main", "mat", "beta",
//! "fir", "mile") are left
//! alone.
//!
//! A message with fewer than two glossary words is returned unchanged, so English messages never
//! change ("Hi, my AC hums" stays as it is).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::embed::lexical::tokens;

/// Hinglish word → English ("" drops the word). Lowercase, sorted by theme.
const GLOSSARY: &[(&str, &str)] = &[
    // Auxiliaries, postpositions and particles: no meaning for matching.
    ("hai", ""),
    ("hain", ""),
    ("hei", ""),
    ("tha", ""),
    ("thi", ""),
    ("thay", ""),
    ("raha", ""),
    ("rahi", ""),
    ("rahe", ""),
    ("rha", ""),
    ("rhi", ""),
    ("rhe", ""),
    ("gaya", ""),
    ("gayi", ""),
    ("gaye", ""),
    ("gya", ""),
    ("gyi", ""),
    ("hua", ""),
    ("hui", ""),
    ("hota", ""),
    ("hoti", ""),
    ("hote", ""),
    ("ho", ""),
    ("hoga", "will"),
    ("hogi", "will"),
    ("honge", "will"),
    ("ka", ""),
    ("ke", ""),
    ("ki", ""),
    ("ko", ""),
    ("se", ""),
    ("mein", "in"),
    ("mai", ""),
    ("pe", "on"),
    ("tak", "until"),
    ("liye", "for"),
    ("wala", ""),
    ("wali", ""),
    ("wale", ""),
    ("waala", ""),
    ("waali", ""),
    ("na", ""),
    ("bhi", "also"),
    ("toh", ""),
    ("kya", ""),
    ("kyaa", ""),
    ("ji", ""),
    ("yaar", ""),
    ("yar", ""),
    ("bhai", ""),
    ("bhaiya", ""),
    ("bhaisahab", ""),
    ("arre", ""),
    ("acha", "ok"),
    ("accha", "ok"),
    ("achha", "ok"),
    ("theek", "ok"),
    ("thik", "ok"),
    ("kar", ""),
    ("karo", ""),
    ("karke", ""),
    ("karna", ""),
    ("karni", ""),
    ("karne", ""),
    ("karta", ""),
    ("karti", ""),
    ("karte", ""),
    ("karu", ""),
    ("karun", ""),
    ("karoon", ""),
    ("karein", ""),
    ("kare", ""),
    ("kijiye", "please"),
    ("kiya", ""),
    ("kiye", ""),
    ("diya", ""),
    ("diye", ""),
    ("liya", ""),
    ("lena", "take"),
    ("dena", "give"),
    ("dijiye", "please"),
    // Pronouns.
    ("mujhe", "me"),
    ("mujhko", "me"),
    ("mera", "my"),
    ("meri", "my"),
    ("mere", "my"),
    ("hamara", "our"),
    ("hamari", "our"),
    ("hamare", "our"),
    ("humara", "our"),
    ("humari", "our"),
    ("humare", "our"),
    ("hume", "we"),
    ("humko", "we"),
    ("aap", "you"),
    ("aapka", "your"),
    ("aapki", "your"),
    ("aapke", "your"),
    ("apka", "your"),
    ("apki", "your"),
    ("apke", "your"),
    ("tum", "you"),
    ("tumhara", "your"),
    ("tumhari", "your"),
    ("apna", "my"),
    ("apni", "my"),
    ("apne", "my"),
    ("uska", "its"),
    ("uski", "its"),
    ("uske", "its"),
    ("unka", "their"),
    ("unki", "their"),
    ("yeh", "this"),
    ("ye", "this"),
    ("woh", "that"),
    ("wo", "that"),
    ("isme", "in this"),
    ("usme", "in it"),
    ("isliye", "so"),
    ("koi", "any"),
    ("kuch", "some"),
    ("sab", "all"),
    ("sabhi", "all"),
    ("dono", "both"),
    // Conjunctions and adverbs.
    ("aur", "and"),
    ("ya", "or"),
    ("lekin", "but"),
    ("magar", "but"),
    ("agar", "if"),
    ("phir", "again"),
    ("dubara", "again"),
    ("dobara", "again"),
    ("abhi", "now"),
    ("ab", "now"),
    ("aaj", "today"),
    ("kal", "tomorrow"),
    ("jaldi", "soon"),
    ("turant", "immediately"),
    ("bahut", "very"),
    ("bohot", "very"),
    ("bahot", "very"),
    ("zyada", "more"),
    ("jyada", "more"),
    ("kam", "less"),
    ("sirf", "only"),
    ("saath", "with"),
    ("baad", "after"),
    ("pehle", "before"),
    ("andar", "inside"),
    ("bahar", "outside"),
    ("sahi", "correct"),
    ("galat", "wrong"),
    ("naya", "new"),
    ("nayi", "new"),
    ("naye", "new"),
    ("purana", "old"),
    ("purani", "old"),
    ("purane", "old"),
    ("nahi", "not"),
    ("nahin", "not"),
    ("nhi", "not"),
    ("nai", "not"),
    // Question words.
    ("kab", "when"),
    ("kaise", "how"),
    ("kese", "how"),
    ("kaisa", "how"),
    ("kyu", "why"),
    ("kyun", "why"),
    ("kyon", "why"),
    ("kahan", "where"),
    ("kaha", "where"),
    ("kidhar", "where"),
    ("kaun", "who"),
    ("kon", "who"),
    ("kaunsa", "which"),
    ("konsa", "which"),
    ("kitna", "how much"),
    ("kitni", "how much"),
    ("kitne", "how many"),
    // Time.
    ("din", "days"),
    ("ghanta", "hour"),
    ("ghante", "hours"),
    ("hafta", "week"),
    ("hafte", "weeks"),
    ("mahina", "month"),
    ("mahine", "months"),
    ("saal", "year"),
    ("baar", "times"),
    ("subah", "morning"),
    ("shaam", "evening"),
    ("raat", "night"),
    ("der", "late"),
    // Verbs of support requests.
    ("aa", "come"),
    ("aaya", "came"),
    ("aayi", "came"),
    ("aaye", "came"),
    ("aya", "came"),
    ("ayi", "came"),
    ("aata", "comes"),
    ("aati", "comes"),
    ("aayega", "arrive"),
    ("aayegi", "arrive"),
    ("ayega", "arrive"),
    ("mila", "received"),
    ("mili", "received"),
    ("milega", "get"),
    ("milegi", "get"),
    ("milenge", "get"),
    ("milta", "get"),
    ("milti", "get"),
    ("chahiye", "need"),
    ("chahta", "want"),
    ("chahti", "want"),
    ("chahte", "want"),
    ("sakte", "can"),
    ("sakta", "can"),
    ("sakti", "can"),
    ("sakenge", "can"),
    ("kat", "deducted"),
    ("kata", "deducted"),
    ("kati", "deducted"),
    ("kaat", "deducted"),
    ("kaata", "deducted"),
    ("wapas", "refund"),
    ("vapas", "refund"),
    ("wapis", "refund"),
    ("lautao", "return"),
    ("bhejo", "send"),
    ("bheja", "sent"),
    ("bheji", "sent"),
    ("bhejna", "send"),
    ("badalna", "change"),
    ("badal", "change"),
    ("badla", "changed"),
    ("badli", "changed"),
    ("hatao", "remove"),
    ("hatana", "remove"),
    ("hata", "remove"),
    ("jodna", "add"),
    ("jodo", "add"),
    ("joda", "added"),
    ("dala", "entered"),
    ("daala", "entered"),
    ("dalne", "entering"),
    ("daalne", "entering"),
    ("daalna", "enter"),
    ("banaya", "created"),
    ("banana", "create"),
    ("khola", "opened"),
    ("khul", "open"),
    ("khula", "open"),
    ("khulta", "open"),
    ("chalu", "on"),
    ("chal", "working"),
    ("chala", "went"),
    ("chalega", "accepted"),
    ("ruko", "wait"),
    ("rukna", "wait"),
    ("roko", "stop"),
    ("intezaar", "wait"),
    ("kho", "lost"),
    ("khoya", "lost"),
    ("bhool", "forgot"),
    ("bhul", "forgot"),
    ("yaad", "remember"),
    ("dekha", "checked"),
    ("dekho", "check"),
    ("dekhna", "check"),
    ("dikh", "shows"),
    ("dikha", "shows"),
    ("dikhta", "shows"),
    ("dikhata", "shows"),
    ("likha", "written"),
    ("bolo", "tell"),
    ("bola", "said"),
    ("bol", "says"),
    ("batao", "tell"),
    ("bataye", "tell"),
    ("bataiye", "tell"),
    ("bata", "telling"),
    ("pata", "know"),
    ("samajh", "understand"),
    ("baat", "talk"),
    ("laga", "charged"),
    ("lagega", "charge"),
    ("lagegi", "charge"),
    ("lagenge", "charge"),
    ("kaam", "work"),
    ("khareedna", "buy"),
    ("kharida", "bought"),
    ("kharidna", "buy"),
    ("becha", "sold"),
    ("bechna", "sell"),
    ("rakhna", "keep"),
    ("rakho", "keep"),
    ("jaana", "go"),
    ("jana", "go"),
    ("jaunga", "go"),
    ("aana", "come"),
    // Nouns and adjectives of support requests.
    ("paisa", "money"),
    ("paise", "money"),
    ("pese", "money"),
    ("rupaye", "rupees"),
    ("rupay", "rupees"),
    ("kharcha", "cost"),
    ("daam", "price"),
    ("keemat", "price"),
    ("kiraya", "rent"),
    ("sasta", "cheaper"),
    ("mehenga", "expensive"),
    ("mehnga", "expensive"),
    ("muft", "free"),
    ("khata", "account"),
    ("saman", "items"),
    ("samaan", "items"),
    ("ghar", "home"),
    ("dukaan", "shop"),
    ("gaadi", "vehicle"),
    ("gadi", "vehicle"),
    ("paani", "water"),
    ("pani", "water"),
    ("bijli", "electricity"),
    ("kapde", "clothes"),
    ("kapda", "clothes"),
    ("khana", "food"),
    ("dawai", "medicine"),
    ("dawa", "medicine"),
    ("beti", "daughter"),
    ("bachcha", "child"),
    ("bacche", "children"),
    ("dikkat", "problem"),
    ("dikat", "problem"),
    ("pareshani", "problem"),
    ("kharab", "faulty"),
    ("toota", "broken"),
    ("tuta", "broken"),
    ("tooti", "broken"),
    ("tuti", "broken"),
    ("chori", "stolen"),
    ("naam", "name"),
    ("jagah", "place"),
    ("shehar", "city"),
    ("ek", "one"),
    ("paanch", "five"),
];

fn glossary() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| GLOSSARY.iter().copied().collect())
}

/// How many of `text`'s words (lowercase, as the lexical scorer splits them) are in the glossary.
fn glossary_words(text: &str) -> usize {
    let g = glossary();
    tokens(text).filter(|w| g.contains_key(w.as_str())).count()
}

/// `text` with its Hinglish words in English when `on` (the `retrieval.hinglish` setting), else
/// `text` itself.
pub fn english(text: &str, on: bool) -> Cow<'_, str> {
    if on {
        Cow::Owned(to_english(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` with its Hinglish words in English, or unchanged when it has fewer than two of them.
/// Everything that is not a glossary word (punctuation, codes, numbers, English) is kept as it
/// is.
pub fn to_english(text: &str) -> String {
    if glossary_words(text) < 2 {
        return text.to_string();
    }
    let g = glossary();
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    // A dropped word takes the space before it with it (or, first in the text, the one after).
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        match g.get(word.to_lowercase().as_str()) {
            Some(&"") => {
                let kept = out.trim_end_matches(' ').len();
                out.truncate(kept);
            }
            Some(english) => out.push_str(english),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            if !(c == ' ' && out.is_empty()) {
                out.push(c);
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hinglish_becomes_the_english_of_the_articles() {
        assert_eq!(
            to_english("otp nahi aa raha login ke liye"),
            "otp not come login for"
        );
        assert_eq!(
            to_english("bhai autopay se paisa 2 baar kat gaya. refund karo"),
            "autopay money 2 times deducted. refund"
        );
        assert_eq!(
            to_english("wallet pin bhool gaya, kaise reset karu?"),
            "wallet pin forgot, how reset?"
        );
    }

    #[test]
    fn english_and_a_single_hindi_word_are_left_alone() {
        for text in [
            "My AC hums all night, please send someone",
            "to do: change my main bank account",
            "payment failed, LL-102 on screen",
            "ok bhai",
        ] {
            assert_eq!(to_english(text), text);
        }
    }

    #[test]
    fn codes_numbers_and_case_survive() {
        assert_eq!(
            to_english("RR-409 aa raha hai, account LOCKED"),
            "RR-409 come, account LOCKED"
        );
    }

    #[test]
    fn the_glossary_has_no_duplicate_and_no_english_collision() {
        let mut seen = std::collections::HashSet::new();
        for (w, _) in GLOSSARY {
            assert!(seen.insert(*w), "{w} twice");
            assert_eq!(*w, w.to_lowercase());
        }
        for english in [
            "to", "me", "do", "bus", "band", "lag", "hum", "dal", "teen", "main", "mat", "beta",
            "fir", "mile",
        ] {
            assert!(!glossary().contains_key(english), "{english}");
        }
    }
}
