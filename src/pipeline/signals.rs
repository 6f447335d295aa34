//! Message signals the escalation rules use whatever the backend: a request for a human, and a
//! request for a privileged action the bot cannot take (refund me, reverse a charge, change my
//! email, delete my account for me, raise my limit).
//!
//! Both start from the configured phrases (matched as whole words) and add patterns, so that
//! "can someone from your team call me" or "pls knock off last month's charge" are caught too.
//! A how-to question ("how do I change my email?") is not a request for the bot to act.

use regex::Regex;

use crate::backend::offline::sentiment::padded_words;

pub struct Signals {
    human_phrases: Vec<String>,
    privileged_phrases: Vec<String>,
    human_patterns: Vec<Regex>,
    privileged_patterns: Vec<Regex>,
    how_to: Vec<Regex>,
    not_a_request: Vec<Regex>,
    hypothetical: Vec<Regex>,
}

/// Words for a person who is not the bot.
const PERSON: &str = r"(?:human|person|agent|representative|rep|manager|supervisor|someone|somebody|staff|executive|support team|your team|customer care|customer service|real person|live person|actual person)";

/// How a customer asks the company to do something.
const REQUEST: &str = r"(?:pls|plz|please|kindly|(?:can|could|will|would)\s+(?:you|u|ya|someone|somebody|your team|you guys)|i want you to|i need you to|(?:you|u) (?:need|have|must|should) to)";

/// Actions on an account, a payment or a record that only staff can take.
const ACT: &str = r"(?:unlock|unblock|unlink|delink|de-link|remove|delete|close|deactivate|change|update|correct|edit|extend|credit|refund|return|reverse|waive|move|transfer|reissue|re-issue|issue|resend|check|verify|look into|activate|reactivate|restore|recover|reset|merge|release|approve|process|replace|adjust|compensate|send (?:me |us )?(?:a |the )?(?:fresh|new|revised|corrected|duplicate|updated))";

fn re(p: &str) -> Option<Regex> {
    Regex::new(p).ok()
}

impl Signals {
    pub fn new(human_phrases: &[String], privileged_phrases: &[String]) -> Signals {
        let human_patterns = [
            format!(r"\b(?:talk|speak|chat|connect|transfer|escalate|put|pass|hand)\b[^.?!]{{0,25}}\b(?:to|with|me to)\b[^.?!]{{0,12}}\b{PERSON}\b"),
            format!(r"\b(?:want|need|get|give)\b[^.?!]{{0,12}}\b(?:a|an|the|real|actual|live)?\s*{PERSON}\b"),
            r"\b(?:call|ring|phone)\s+me\b".to_string(),
            r"\bcall ?back\b".to_string(),
            r"\b(?:is there|are you) (?:a|an) (?:human|bot|real person|robot)\b".to_string(),
            r"\b(?:stop|no more|enough of)\b[^.?!]{0,10}\b(?:bot|robot|automated|ai)\b".to_string(),
            r"\bescalate\b".to_string(),
            format!(r"\b(?:put|get|have)\s+{PERSON}[^.?!]{{0,30}}\b(?:on the phone|on a call|on call|in touch|call me|call us|contact me)\b"),
            format!(r"\b{PERSON}\b[^.?!]{{0,12}}\bcalls? (?:me|us)\b"),
            // Hinglish: "manager se baat karao", "kisi insaan se baat karni hai", "call karo".
            format!(r"\b(?:{PERSON}|insaan|kisi)\s+se\s+baat\b"),
            r"\bbaat\s+(?:karao|karwao|karwa\s*do|kara\s*do)\b".to_string(),
            r"\b(?:call|phone)\s+(?:karo|kijiye|kar\s*do|karwao|karwa\s*do)\b".to_string(),
        ]
        .iter()
        .filter_map(|p| re(p))
        .collect();
        let privileged_patterns = [
            // refunds and money back
            r"\b(?:refund|reimburse)\s+(?:me|my|the|this|it|that|last|all)\b",
            r"\b(?:want|need|demand|expect|give me|get)\b[^.?!]{0,20}\b(?:refund|money back|my money)\b",
            r"\b(?:process|issue|initiate|do|start)\b[^.?!]{0,12}\brefund\b",
            // charges
            r"\b(?:reverse|cancel|remove|waive|undo|knock off|write off|adjust|credit back|take back)\b[^.?!]{0,25}\b(?:charge|charges|payment|fee|fees|amount|deduction|debit|bill|invoice|penalty)\b",
            r"\b(?:waive|credit)\b[^.?!]{0,15}\b(?:my|the|this|it)\b",
            // account identity changes done by the bot
            r"\b(?:change|update|switch|move|transfer)\b[^.?!]{0,20}\b(?:registered|login|primary|account)?\s*(?:email|e-mail|mail id|phone number|mobile number|owner|ownership)\b[^.?!]{0,30}\b(?:to|for me|please|pls)\b",
            r"\b(?:delete|close|terminate|deactivate|remove|erase|wipe)\b[^.?!]{0,15}\b(?:my|our|the)\s+(?:account|company|data|profile)\b",
            r"\b(?:unlock|unblock|reactivate|restore)\b[^.?!]{0,15}\b(?:my|our|the)\s+(?:account|login|access)\b",
            // limits, trials, plans
            r"\b(?:raise|increase|bump|extend|lift|double)\b[^.?!]{0,20}\b(?:limit|limits|quota|trial|cap|grace period)\b",
            r"\b(?:give|grant|apply)\b[^.?!]{0,12}\b(?:discount|extension|exception|free month|credit)\b",
            r"\b(?:give|grant)\b[^.?!]{0,12}\b(?:more|extra) (?:days|time|weeks)\b",
            // asking the company to act on the customer's behalf
            r"\b(?:can|could|will|would)\s+(?:you|u|ya|your team|you guys|your support|someone|somebody)\b(?:\s+(?:please|pls|kindly|just|quickly))*\s+(?:file|draft|merge|look it up|look up|lookup|change|update|give|extend|submit|delete|remove|transfer|move|reset|register|reissue|re-issue|cancel|refund|reverse|waive|unlock|activate|deactivate|upgrade|downgrade|switch|credit|restore|recover|correct|edit|add)\b",
            r"\b(?:need|want|please|pls|get)\b[^.?!]{0,60}\b(?:changed|updated|removed|transferred|reissued|re-issued|cancelled|canceled|refunded|reversed|waived|deleted|merged)\b",
            r"\bdo it (?:today|now|for me|asap|immediately)\b",
            r"\bstop (?:charging|debiting|deducting|billing|auto-?debiting)\b",
            // done by the company, on its side
            r"\b(?:from|at|on) (?:your|ur) (?:side|end)\b",
            r"\b(?:can|could|will|would)\s+(?:you|u|someone|somebody|your team)\b[^.?!]{0,40}\bmanually\b",
            r"\b(?:delete|erase|wipe|remove)\s+(?:everything|it all|all (?:my|our|of my|of our) (?:data|details|information))\b",
            r"\b(?:change|update|switch|move)\s+(?:it|this|that)\s+to\s+(?:my\s+)?(?:new\s+)?(?:number|email|e-mail|mobile|phone|address)\b",
            r"\b(?:send|give|share|email|provide)\s+(?:me|us)\b[^.?!]{0,40}\b(?:personal data|my data|our data|all (?:the |my |our )?data)\b",
            // an owner who died: access and ownership need a person
            r"\b(?:passed away|deceased|(?:father|mother|dad|mom|mum|husband|wife|son|daughter|brother|sister|owner|holder|he|she)\s+(?:has\s+|had\s+)?died)\b",
        ]
        .iter()
        .map(|p| p.to_string())
        .chain([
            // A request that the company act on the account — "pls unblock it", "please issue
            // a fresh certificate", "could you check the status" — whatever the product: the
            // bot can only inform.
            format!(r"\b{REQUEST}\s+(?:(?:just|quickly|immediately|asap|urgently|also|now|then|again|kindly|please|pls)\s+)*{ACT}\b"),
            // The same as a bare imperative opening the sentence ("unblock my card", "sign me
            // out of all devices").
            format!(r"^\W*(?:(?:ok|okay|so|then|and|also|now|just)\W+)*(?:{ACT}\s+(?:it|this|that|them|me|us|my|our|the|his|her)\b|(?:sign|log) (?:me|us) out\b)"),
            // Money the customer wants sent back, a charge not to be taken.
            format!(r"\b{REQUEST}\s+(?:\w+\s+)?(?:send|transfer|put|pay)\s+(?:the|that|this|my|our|it|them)\s*(?:money|amount|balance|refund|back)?\b[^.?!]{{0,25}}\b(?:bank|card|account|upi|back)\b"),
            r"\b(?:do not|don't|dont|pls don't|please don't)\s+(?:deduct|charge|debit|cut)\b".to_string(),
            // Hinglish imperatives: "refund karo", "merge kar do", "account band kar dijiye",
            // "paisa wapas karo" (a "kaise …" question is a how-to, see `how_to`).
            format!(r"\b(?:{ACT}|band|chalu|wapas|vapas|wapis)\s+(?:kar\s*do|kardo|karo|kariye|kijiye|kar\s+dijiye|karwa\s*do|karwao|karao|karna\s+(?:hai|h|chahta|chahti)|chahiye)\b"),
        ])
        .filter_map(|p| re(&p))
        .collect();
        Signals {
            human_phrases: human_phrases.iter().map(|p| p.to_lowercase()).collect(),
            privileged_phrases: privileged_phrases.iter().map(|p| p.to_lowercase()).collect(),
            human_patterns,
            privileged_patterns,
            how_to: [
                r"^\W*(?:how (?:do|can|would|should) (?:i|we|one)|how to|where (?:do|can) (?:i|we)|is it possible to|can i (?:myself|self)|steps to|what(?:'s| is) the (?:process|way) to)\b",
                // "reverse charge invoice how to make"
                r"\bhow (?:to|do i|do we|can i|can we) \w+\W*$",
                // "can I still get a refund?" asks what the rules allow.
                r"^\W*(?:can|could|may) (?:i|we) (?:still )?(?:get|claim|cancel)\b",
                // Hinglish: "kaise change karu", "kaise band kar sakte hai".
                r"\b(?:kaise|kese|kaisey)\b",
            ]
            .iter()
            .filter_map(|p| re(p))
            .collect(),
            // "if I delete my account, can I get it back?" asks about an action, not for it.
            hypothetical: re(r"\b(?:if|when|once|after|before|what happens if)\s+(?:i|we)\b[^,.?!]*")
                .into_iter()
                .collect(),
            not_a_request: re(r"\b(?:user agent|agent app|manager role|account manager|mail agent|human error|human readable)\b")
                .into_iter()
                .collect(),
        }
    }

    /// The customer asks for a person (agent, manager, call back, …).
    pub fn human_requested(&self, message: &str) -> bool {
        let lower = message.to_lowercase().replace('’', "'");
        let cleaned = self
            .not_a_request
            .iter()
            .fold(lower, |acc, r| r.replace_all(&acc, " ").into_owned());
        if self.human_patterns.iter().any(|r| r.is_match(&cleaned)) {
            return true;
        }
        let padded = padded_words(&cleaned);
        let short = padded.split_whitespace().count() <= 4;
        self.human_phrases.iter().any(|p| {
            let hit = padded.contains(&format!(" {p} "));
            // A lone "agent" or "human" is a request in a short message ("agent pls"), not in a long one.
            hit && (p.contains(' ')
                || short
                || !["human", "agent", "manager", "person"].contains(&p.as_str()))
        })
    }

    /// The customer asks the bot to do something only a human with privileges can do.
    pub fn privileged_action(&self, message: &str) -> bool {
        let lower = message.to_lowercase().replace('’', "'");
        let padded = padded_words(&lower);
        // A terse "refund??" asks for the money back.
        let terse_money = padded.split_whitespace().count() <= 3
            && ["refund", "chargeback", "reversal"]
                .iter()
                .any(|w| padded.contains(&format!(" {w} ")));
        terse_money
            || lower
                .split(['.', '?', '!', '\n'])
                .any(|sentence| self.privileged_sentence(sentence))
    }

    /// One sentence of a message asks for a privileged action: not a how-to question, and not
    /// once its hypothetical clauses are dropped.
    fn privileged_sentence(&self, sentence: &str) -> bool {
        if self.how_to.iter().any(|r| r.is_match(sentence)) {
            return false;
        }
        let sentence = self
            .hypothetical
            .iter()
            .fold(sentence.to_string(), |acc, r| {
                r.replace_all(&acc, " ").into_owned()
            });
        let padded = padded_words(&sentence);
        self.privileged_phrases
            .iter()
            .any(|p| padded.contains(&format!(" {p} ")))
            || self
                .privileged_patterns
                .iter()
                .any(|r| r.is_match(&sentence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn s() -> Signals {
        let c = Config::default();
        Signals::new(
            &c.escalation.human_phrases,
            &c.escalation.privileged_phrases,
        )
    }

    #[test]
    fn human_requests() {
        let s = s();
        for m in [
            "I want to talk to a human",
            "agent pls",
            "Can someone from your team call me?",
            "connect me with a real person",
            "let me speak to your manager",
            "I need a call back today",
            "stop the bot and get me a person",
            "fix it now or put someone senior on the phone",
            "unless a real person calls me today",
            "manager se baat karao",
            "customer care executive se baat karni hai",
            "koi call karo mujhe",
        ] {
            assert!(s.human_requested(m), "{m}");
        }
        for m in [
            "how do I add a user with the manager role?",
            "the user agent string in API logs",
            "human error in my invoice, how to edit it?",
        ] {
            assert!(!s.human_requested(m), "{m}");
        }
    }

    #[test]
    fn privileged_actions() {
        let s = s();
        for m in [
            "refund me for last month",
            "please reverse the duplicate charge",
            "can you knock off last month's charge",
            "change my registered email to new@x.com please",
            "delete my account",
            "raise my invoice limit to 1000",
            "I want my money back",
            "pls extend my trial by a week",
            "waive the late fee",
            "can your team just file the gstr-1 on the portal for us",
            "Can you merge my two accounts into one?",
            "I need the login email on our account changed",
            "can u give 7 more days",
            "STOP CHARGING MY CARD",
            "refund??",
            "just send it to my bank and delete everything from your side please",
            "can you just put me in the 12:30 slot manually?",
            "Please change it to my new number ending 4821.",
            "please send me a copy of all the personal data you hold about me",
            "My father passed away last month and I need access to his account",
            "if I cancel today, refund me the rest",
            "blocked my card by mistake, found it in the car. pls unblock it",
            "Please issue a fresh certificate with the corrected name.",
            "can you check if my refund got approved?",
            "phone got stolen. sign me out of all devices",
            "Please unlink our son from his father's account and link him to mine",
            "Please send that money to my bank account.",
            "Please do not deduct the cancellation fee this time",
            "bhai autopay se paisa 2 baar kat gaya. refund karo abhi",
            "dono accounts merge kar do",
            "mera account band kar dijiye",
            "paisa wapas karo",
        ] {
            assert!(s.privileged_action(m), "{m}");
        }
        for m in [
            "how do I change my email address?",
            "how to delete my account",
            "what is the refund policy for annual plans?",
            "where can I download my invoice",
            "can you explain the GST on my invoice",
            "is the yearly plan refundable",
            "reverse charge invoice how to make",
            "if I delete my account can I get it back later",
            "what happens if we cancel the annual plan midway?",
            "we are shutting down the business. how do i delete everything from ledgerleaf",
            "my phone died while charging. will the session keep going?",
            "please tell me how to change my registered number",
            "can you explain why my card was blocked",
            "I bought it yesterday and haven't used it. Can I still get a refund?",
            "cancel my video consult at 6 today",
            "number kaise change karu?",
            "refund kab tak aayega",
        ] {
            assert!(!s.privileged_action(m), "{m}");
        }
    }
}
