//! `supportbench.toml`: intents, thresholds, escalation phrases, models per stage, prices and the
//! rupee rate. Every default lives here, so the tool runs without a config file; a file only
//! overrides what it names. Unknown keys are errors (a typo must not silently keep a default).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "supportbench.toml";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The intents the classifier chooses between, with descriptions (used zero-shot and in prompts).
    pub intents: Vec<IntentConfig>,
    pub chunking: ChunkingConfig,
    pub retrieval: RetrievalConfig,
    pub escalation: EscalationConfig,
    pub conversation: ConversationConfig,
    pub models: ModelsConfig,
    pub cost: CostConfig,
    /// Dated price table, USD per million tokens.
    pub prices: Vec<PriceConfig>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IntentConfig {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Sensitive intents escalate below `escalation.sensitive_confidence`.
    #[serde(default)]
    pub sensitive: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ChunkingConfig {
    /// Maximum chunk size in characters.
    pub size: usize,
    /// Overlap between consecutive chunks of one section, in characters.
    pub overlap: usize,
    /// A section longer than this many characters without a sub-heading is a "wall of text".
    pub wall_of_text_chars: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RetrievalConfig {
    /// Embedder for new indexes: hybrid, potion or lexical.
    pub embedder: String,
    /// Weight of the lexical score in the hybrid blend (the static model gets 1 - this).
    pub lexical_weight: f32,
    /// Chunks retrieved per turn.
    pub k: usize,
    /// A turn whose best relevance is under this is a retrieval miss.
    pub relevance_threshold: f32,
    /// Prefix the query with the predicted intent ("billing: …") before retrieval.
    pub prefix_intent: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EscalationConfig {
    /// Escalate when the response confidence is under this.
    pub min_confidence: f64,
    /// Escalate a sensitive intent when the response confidence is under this.
    pub sensitive_confidence: f64,
    /// Escalate when a conversation has more bot turns than this.
    pub max_turns: usize,
    /// Escalate when the same intent has gone unresolved this many turns in a row.
    pub repeat_limit: usize,
    /// Rules that may escalate (reason codes); remove one to switch it off.
    pub rules: Vec<String>,
    /// Phrases that ask for a human (matched case-insensitively on word boundaries).
    pub human_phrases: Vec<String>,
    /// Phrases that ask for an action the bot cannot take.
    pub privileged_phrases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ConversationConfig {
    /// Turns of history kept verbatim.
    pub history_turns: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ModelsConfig {
    pub classification: String,
    pub sentiment: String,
    pub summary: String,
    pub generation: String,
    /// Embedding model priced for projected cost of query embeddings (a live embedder's id).
    pub embedding: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CostConfig {
    /// Rupees per US dollar.
    pub usd_to_inr: f64,
    /// The date the rate was set.
    pub usd_to_inr_as_of: String,
    /// Conversations per month, for the monthly projection.
    pub monthly_conversations: u64,
    /// Output tokens assumed per call when projecting (offline backend), by stage.
    pub projected_output_tokens: ProjectedOutputTokens,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectedOutputTokens {
    pub classification: u64,
    pub sentiment: u64,
    pub summary: u64,
    pub generation: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriceConfig {
    pub model: String,
    /// USD per million input tokens.
    pub input: f64,
    /// USD per million output tokens.
    pub output: f64,
    /// USD per million cache-write input tokens.
    #[serde(default)]
    pub cache_write: f64,
    /// USD per million cache-read input tokens.
    #[serde(default)]
    pub cache_read: f64,
    /// When the price was taken from the vendor's page.
    #[serde(default)]
    pub as_of: String,
}

/// Reason codes of the escalation rules, in the order they are checked.
pub const ALL_RULES: &[&str] = &[
    "stage_failed",
    "human_requested",
    "privileged_action",
    "angry",
    "missing_info",
    "low_confidence",
    "sensitive_low_confidence",
    "repeated_issue",
    "too_many_turns",
];

impl Default for Config {
    fn default() -> Self {
        let intent = |name: &str, description: &str, sensitive: bool| IntentConfig {
            name: name.into(),
            description: description.into(),
            sensitive,
        };
        Config {
            intents: vec![
                intent(
                    "billing",
                    "payments, charges, invoices, refunds, plans and pricing, subscriptions, \
                     upgrades and downgrades, failed or duplicate payments, fees, GST on the bill",
                    true,
                ),
                intent(
                    "technical",
                    "something does not work: errors, error codes, crashes, sync problems, \
                     bugs, slow or failing app, API and integration failures, setup problems",
                    false,
                ),
                intent(
                    "account",
                    "login, password, OTP and two-factor, profile and email changes, users and \
                     roles, verification, security, closing or deleting an account, data export",
                    true,
                ),
                intent(
                    "general",
                    "how-to and product questions, features, availability, limits, support hours \
                     and contact, onboarding, feedback, anything else",
                    false,
                ),
            ],
            chunking: ChunkingConfig::default(),
            retrieval: RetrievalConfig::default(),
            escalation: EscalationConfig::default(),
            conversation: ConversationConfig::default(),
            models: ModelsConfig::default(),
            cost: CostConfig::default(),
            prices: default_prices(),
        }
    }
}

impl Default for ChunkingConfig {
    fn default() -> Self {
        ChunkingConfig {
            size: 500,
            overlap: 50,
            wall_of_text_chars: 2000,
        }
    }
}

impl Default for RetrievalConfig {
    fn default() -> Self {
        RetrievalConfig {
            embedder: "hybrid".into(),
            lexical_weight: 0.3,
            k: 3,
            relevance_threshold: 0.30,
            prefix_intent: false,
        }
    }
}

impl Default for EscalationConfig {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        EscalationConfig {
            min_confidence: 0.7,
            sensitive_confidence: 0.85,
            max_turns: 6,
            repeat_limit: 3,
            rules: s(ALL_RULES),
            human_phrases: s(&[
                "human",
                "real person",
                "actual person",
                "live person",
                "agent",
                "representative",
                "manager",
                "supervisor",
                "someone from your team",
                "talk to someone",
                "speak to someone",
                "speak with someone",
                "call me",
                "call back",
                "callback",
                "phone call",
                "escalate",
                "not a bot",
                "stop the bot",
            ]),
            privileged_phrases: s(&[
                "refund me",
                "give me a refund",
                "issue a refund",
                "process a refund",
                "process my refund",
                "want a refund",
                "want my money back",
                "money back",
                "reverse the charge",
                "reverse this charge",
                "reverse the payment",
                "cancel the charge",
                "waive",
                "credit my account",
                "change my email",
                "change my registered email",
                "update my email",
                "delete my account",
                "close my account",
                "remove my account",
                "raise my limit",
                "increase my limit",
                "extend my trial",
                "unlock my account",
                "transfer ownership",
            ]),
        }
    }
}

impl Default for ConversationConfig {
    fn default() -> Self {
        ConversationConfig { history_turns: 3 }
    }
}

impl Default for ModelsConfig {
    fn default() -> Self {
        ModelsConfig {
            classification: "claude-haiku-4-5".into(),
            sentiment: "claude-haiku-4-5".into(),
            summary: "claude-haiku-4-5".into(),
            generation: "claude-sonnet-4-6".into(),
            embedding: "voyage-3.5-lite".into(),
        }
    }
}

impl Default for CostConfig {
    fn default() -> Self {
        CostConfig {
            usd_to_inr: 88.0,
            usd_to_inr_as_of: "2026-11-24".into(),
            monthly_conversations: 10_000,
            projected_output_tokens: ProjectedOutputTokens::default(),
        }
    }
}

impl Default for ProjectedOutputTokens {
    fn default() -> Self {
        ProjectedOutputTokens {
            classification: 60,
            sentiment: 30,
            summary: 120,
            generation: 250,
        }
    }
}

/// Prices from ../shared/reference/llm-apis.md (vendor pages, late 2026).
fn default_prices() -> Vec<PriceConfig> {
    let p = |model: &str, input: f64, output: f64| PriceConfig {
        model: model.into(),
        input,
        output,
        cache_write: input * 1.25,
        cache_read: input * 0.1,
        as_of: "2026-11-24".into(),
    };
    vec![
        p("claude-haiku-4-5", 1.0, 5.0),
        p("claude-sonnet-4-6", 3.0, 15.0),
        p("claude-sonnet-5", 2.0, 10.0),
        p("claude-opus-4-5", 5.0, 25.0),
        p("voyage-3.5", 0.06, 0.0),
        p("voyage-3.5-lite", 0.02, 0.0),
        p("text-embedding-3-small", 0.02, 0.0),
    ]
}

impl Config {
    /// `--config FILE` when given (it must exist), else `./supportbench.toml` when present, else
    /// the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let path: Option<PathBuf> = match explicit {
            Some(p) => {
                if !p.is_file() {
                    bail!(
                        "config file {} not found: fix the --config path or drop the flag to use the defaults",
                        p.display()
                    );
                }
                Some(p.to_path_buf())
            }
            None => {
                let p = PathBuf::from(DEFAULT_CONFIG_FILE);
                p.is_file().then_some(p)
            }
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        Config::parse(&text).with_context(|| format!("config file {}", path.display()))
    }

    /// Parse and validate a config file's text.
    pub fn parse(text: &str) -> Result<Config> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "{}",
                e.to_string().trim().replace('\n', " ").replace("  ", " ")
            )
        })?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<()> {
        if self.intents.is_empty() {
            bail!("`intents` is empty: configure at least one intent");
        }
        for (i, a) in self.intents.iter().enumerate() {
            if a.name.trim().is_empty()
                || a.name != a.name.to_lowercase()
                || a.name.contains(char::is_whitespace)
            {
                bail!(
                    "intent name {:?} must be a lowercase word (e.g. \"billing\")",
                    a.name
                );
            }
            if self.intents[..i].iter().any(|b| b.name == a.name) {
                bail!("intent {:?} is listed twice in `intents`", a.name);
            }
        }
        if self.chunking.size < 50 {
            bail!(
                "chunking.size = {} is too small: use at least 50 characters",
                self.chunking.size
            );
        }
        if self.chunking.overlap * 2 > self.chunking.size {
            bail!(
                "chunking.overlap = {} must be at most half of chunking.size = {}",
                self.chunking.overlap,
                self.chunking.size
            );
        }
        if !["hybrid", "potion", "lexical"].contains(&self.retrieval.embedder.as_str()) {
            bail!(
                "retrieval.embedder = {:?}: use hybrid, potion or lexical",
                self.retrieval.embedder
            );
        }
        if !(0.0..=1.0).contains(&self.retrieval.lexical_weight) {
            bail!(
                "retrieval.lexical_weight = {} must be between 0 and 1",
                self.retrieval.lexical_weight
            );
        }
        if self.retrieval.k == 0 {
            bail!("retrieval.k must be at least 1");
        }
        for rule in &self.escalation.rules {
            if !ALL_RULES.contains(&rule.as_str()) {
                bail!(
                    "escalation.rules has unknown rule {:?}: use one of {}",
                    rule,
                    ALL_RULES.join(", ")
                );
            }
        }
        for (name, v) in [
            ("escalation.min_confidence", self.escalation.min_confidence),
            (
                "escalation.sensitive_confidence",
                self.escalation.sensitive_confidence,
            ),
        ] {
            if !(0.0..=1.0).contains(&v) {
                bail!("{name} = {v} must be between 0 and 1");
            }
        }
        if self.cost.usd_to_inr <= 0.0 {
            bail!("cost.usd_to_inr must be positive");
        }
        Ok(())
    }

    pub fn intent_names(&self) -> Vec<String> {
        self.intents.iter().map(|i| i.name.clone()).collect()
    }

    pub fn is_sensitive(&self, intent: &str) -> bool {
        self.intents.iter().any(|i| i.name == intent && i.sensitive)
    }

    pub fn rule_enabled(&self, code: &str) -> bool {
        self.escalation.rules.iter().any(|r| r == code)
    }

    /// Query embeddings are priced when a live embedding model is configured (`models.embedding`
    /// non-empty): what embedding each turn's query would cost in production.
    pub fn index_embedding_is_priced(&self) -> bool {
        !self.models.embedding.is_empty()
    }

    pub fn price(&self, model: &str) -> Option<&PriceConfig> {
        self.prices.iter().find(|p| p.model == model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_the_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn a_file_overrides_only_what_it_names() {
        let cfg = Config::parse("[escalation]\nmin_confidence = 0.6\n").unwrap();
        assert_eq!(cfg.escalation.min_confidence, 0.6);
        assert_eq!(cfg.escalation.max_turns, 6);
        assert_eq!(cfg.retrieval.k, 3);
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let err = Config::parse("[escalation]\nmin_confidense = 0.6\n").unwrap_err();
        assert!(err.to_string().contains("min_confidense"), "{err}");
    }

    #[test]
    fn unknown_rule_is_rejected() {
        let err = Config::parse("[escalation]\nrules = [\"low_confidence\", \"moon_phase\"]\n")
            .unwrap_err();
        assert!(err.to_string().contains("moon_phase"), "{err}");
    }

    #[test]
    fn bad_overlap_is_rejected() {
        assert!(Config::parse("[chunking]\nsize = 100\noverlap = 60\n").is_err());
    }
}
