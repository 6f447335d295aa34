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
    pub classifier: ClassifierConfig,
    pub retrieval: RetrievalConfig,
    pub escalation: EscalationConfig,
    pub conversation: ConversationConfig,
    pub responder: ResponderConfig,
    pub models: ModelsConfig,
    pub cost: CostConfig,
    /// Dated price table, USD per million tokens.
    pub prices: Vec<PriceConfig>,
    /// Live LLM backends (`--backend anthropic|openai`).
    pub backends: BackendsConfig,
    /// Remote embedders (`--embedder openai|voyage`).
    pub embedders: EmbeddersConfig,
    /// Which score settings the config file names itself; the others follow the index's embedder
    /// (see [`Config::fit_to_embedder`]).
    #[serde(skip)]
    pub named: NamedScores,
}

/// Whether the config file names `retrieval.relevance_threshold` and
/// `responder.person_min_relevance`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NamedScores {
    pub relevance_threshold: bool,
    pub person_min_relevance: bool,
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

/// The offline backend's intent classifier.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ClassifierConfig {
    /// `--train` columns that may hold a finer label under the intent (a helpdesk category); the
    /// first one the file has is used, each (intent, sub-intent) pair trained as its own class.
    /// `[]` turns it off.
    pub sub_intent_columns: Vec<String>,
    /// The intent of a message that only asks for a person ("agent", "call me back pls"): the
    /// offline classifier gives it this intent, the catch-all, as helpdesks label it. Empty turns
    /// it off; the default `general` applies only when there is a `general` intent.
    pub person_request_intent: String,
    /// Also learn from the built-in generic support messages (`src/backend/offline/generic/`):
    /// product-agnostic examples of how the four default intents are labelled ("customer care
    /// number?" is general, "do you take amex" billing). Used only when the intents are exactly
    /// billing, technical, account and general, and the product has under 2,000 examples.
    pub generic_examples: bool,
}

impl Default for ClassifierConfig {
    fn default() -> Self {
        ClassifierConfig {
            sub_intent_columns: vec!["sub_intent".into(), "source_label".into()],
            person_request_intent: "general".into(),
            generic_examples: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RetrievalConfig {
    /// Embedder for new indexes: hybrid, potion, lexical, openai, voyage, minilm or hybrid-neural.
    pub embedder: String,
    /// Weight of the lexical score in the hybrid blend (the static model gets 1 - this).
    pub lexical_weight: f32,
    /// Chunks retrieved per turn.
    pub k: usize,
    /// A turn whose best relevance is under this is a retrieval miss. Unless the config file
    /// names it, it is the value measured for the index's embedder ([`crate::embed::score_scale`]):
    /// 0.30 for `hybrid` (the default), 0.22 for `hybrid-neural`, 0.35 for `minilm`.
    pub relevance_threshold: f32,
    /// Rank chunks by relevance plus this times their article title's similarity to the query
    /// (0 = off). The relevance compared with the threshold stays the chunk's own. Recall@3 on our
    /// two development products (LedgerLeaf / TiffinBox): 0 → 0.894 / 0.896, 0.05 → 0.908 / 0.904,
    /// 0.1 → 0.908 / 0.891, 0.2 → 0.910 / 0.876. StackFAQ likes more (its queries paraphrase the
    /// titles: 0.934 at 0, 0.942 at 0.05, 0.952 at 0.2), help-centre tickets do not.
    pub title_weight: f32,
    /// Prefix the query with the predicted intent ("billing: …") before retrieval.
    pub prefix_intent: bool,
    /// Search a message that quotes an error code together with what the articles say about the
    /// code (the heading that names it, or the table row that lists it).
    pub expand_codes: bool,
    /// Match a Hinglish message ("otp nahi aa raha", "paisa wapas karo") in the articles'
    /// English: retrieval searches it, and the offline responder weighs its words, with the
    /// common Hindi words in English ([`crate::text::hinglish`]). A message with fewer than two
    /// such words is searched as it is.
    pub hinglish: bool,
    /// Model folder of the `minilm` and `hybrid-neural` embedders (a sentence-transformers BERT
    /// model such as all-MiniLM-L6-v2; relative to the config file). `SUPPORTBENCH_NEURAL_MODEL`
    /// overrides it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neural_model_dir: Option<PathBuf>,
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

/// The offline backend's responder.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ResponderConfig {
    /// Weight of the built-in "needs a person" text model (`src/backend/offline/person/`): the
    /// response confidence moves by this times the model's lean, in log-odds. 0 turns it off.
    pub person_weight: f64,
    /// The model may raise the confidence only when the best excerpt scores at least this (it
    /// may always lower it): a turn the articles barely match is not made confident by wording.
    /// Unless the config file names it, the value measured for the index's embedder (0.4 for
    /// `hybrid`, 0.3 for `hybrid-neural`, 0.35 for `minilm`).
    pub person_min_relevance: f64,
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

/// `[backends.anthropic]` and `[backends.openai]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct BackendsConfig {
    pub anthropic: LiveBackendConfig,
    pub openai: LiveBackendConfig,
}

/// One live backend. Keys and base URLs come from the environment only, never from here.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LiveBackendConfig {
    /// Model per stage. Unset: anthropic calls the `[models]` ids (the ones the offline backend
    /// projects); openai calls `gpt-4.1-mini` for the cheap stages and `gpt-4.1` for responses.
    pub models: StageModels,
    /// Output token cap (`max_tokens`) per stage.
    pub max_tokens: StageMaxTokens,
    /// Seconds before one HTTP attempt is abandoned (it is then retried).
    pub timeout_secs: f64,
    /// Retries after the first attempt (the official SDKs' default is 2).
    pub max_retries: u32,
    /// Temperature, sent only to models whose `model_options` say they accept it.
    pub temperature: f64,
    /// Per-model request options. Unset: the built-in list for the backend (see
    /// `anthropic_model_options` / `openai_model_options`); a model not listed gets `output_config`
    /// (anthropic) or `json_schema` (openai) and no sampling parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_options: Option<Vec<ModelOptions>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct StageModels {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct StageMaxTokens {
    pub classification: u32,
    pub sentiment: u32,
    pub summary: u32,
    pub generation: u32,
}

/// How to ask one model for structured output, and which parameters it accepts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelOptions {
    pub model: String,
    /// anthropic: `tool` (forced tool use) or `output_config` (JSON schema output);
    /// openai: `json_schema` (`response_format`) or `tool` (forced function call).
    pub structured_output: String,
    /// The model accepts `temperature` (newer Anthropic models reject any non-default value).
    #[serde(default)]
    pub temperature: bool,
    /// openai only: `max_tokens` (default; Ollama, vLLM, llama.cpp) or `max_completion_tokens`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens_param: Option<String>,
    /// When these options were checked against the vendor's documentation.
    #[serde(default)]
    pub as_of: String,
}

/// `[embedders.openai]` and `[embedders.voyage]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct EmbeddersConfig {
    pub openai: RemoteEmbedderConfig,
    pub voyage: RemoteEmbedderConfig,
}

/// A remote embedder. The index records model and dimensions; a query is always embedded with
/// the index's own model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RemoteEmbedderConfig {
    /// Unset: `text-embedding-3-small` (openai), `voyage-3.5-lite` (voyage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Requested output dimensions; unset: the model's own (known for the vendors' models,
    /// required for others, e.g. 768 for Ollama's nomic-embed-text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<usize>,
    /// Texts per request; unset: 256 (openai), 128 (voyage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<usize>,
    pub timeout_secs: f64,
    pub max_retries: u32,
}

impl Default for LiveBackendConfig {
    fn default() -> Self {
        LiveBackendConfig {
            models: StageModels::default(),
            max_tokens: StageMaxTokens::default(),
            timeout_secs: 60.0,
            max_retries: 2,
            temperature: 0.0,
            model_options: None,
        }
    }
}

impl Default for StageMaxTokens {
    fn default() -> Self {
        StageMaxTokens {
            classification: 400,
            sentiment: 50,
            summary: 400,
            generation: 1024,
        }
    }
}

impl Default for RemoteEmbedderConfig {
    fn default() -> Self {
        RemoteEmbedderConfig {
            model: None,
            dimensions: None,
            batch_size: None,
            timeout_secs: 60.0,
            max_retries: 2,
        }
    }
}

fn model_options(
    model: &str,
    structured: &str,
    temperature: bool,
    param: Option<&str>,
) -> ModelOptions {
    ModelOptions {
        model: model.into(),
        structured_output: structured.into(),
        temperature,
        max_tokens_param: param.map(str::to_string),
        as_of: "2026-11-24".into(),
    }
}

/// Built-in `[[backends.anthropic.model_options]]` (../shared/reference/llm-apis.md): forced
/// tool use where it works (Haiku 4.5, Sonnet 4.6, Opus 4.5), `output_config` on the 5.x
/// models (Sonnet 5.5 rejects forced tool use); no sampling parameters where the model rejects
/// non-default ones (Sonnet 5+, Haiku 5.5, Opus 4.7+).
pub fn anthropic_model_options() -> Vec<ModelOptions> {
    vec![
        model_options("claude-haiku-4-5", "tool", true, None),
        model_options("claude-sonnet-4-6", "tool", true, None),
        model_options("claude-opus-4-5", "tool", true, None),
        model_options("claude-sonnet-5", "output_config", false, None),
        model_options("claude-sonnet-5-5", "output_config", false, None),
    ]
}

/// Built-in `[[backends.openai.model_options]]`: OpenAI's hosted models take
/// `max_completion_tokens` and a strict `response_format` schema; the GPT-5 family accepts no
/// temperature. Local servers (Ollama, vLLM, llama.cpp) get the defaults for unlisted models.
pub fn openai_model_options() -> Vec<ModelOptions> {
    vec![
        model_options(
            "gpt-4.1-mini",
            "json_schema",
            true,
            Some("max_completion_tokens"),
        ),
        model_options(
            "gpt-4.1",
            "json_schema",
            true,
            Some("max_completion_tokens"),
        ),
        model_options(
            "gpt-5-mini",
            "json_schema",
            false,
            Some("max_completion_tokens"),
        ),
        model_options("gpt-5", "json_schema", false, Some("max_completion_tokens")),
    ]
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
            classifier: ClassifierConfig::default(),
            retrieval: RetrievalConfig::default(),
            escalation: EscalationConfig::default(),
            conversation: ConversationConfig::default(),
            responder: ResponderConfig::default(),
            models: ModelsConfig::default(),
            cost: CostConfig::default(),
            prices: default_prices(),
            backends: BackendsConfig::default(),
            embedders: EmbeddersConfig::default(),
            named: NamedScores::default(),
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
            relevance_threshold: crate::embed::score_scale("hybrid").relevance_threshold,
            title_weight: 0.05,
            prefix_intent: false,
            expand_codes: true,
            hinglish: true,
            neural_model_dir: None,
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

impl Default for ResponderConfig {
    fn default() -> Self {
        ResponderConfig {
            person_weight: 1.5,
            person_min_relevance: crate::embed::score_scale("hybrid").person_min_relevance,
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
    let o = |model: &str, input: f64, output: f64, cached: f64| PriceConfig {
        model: model.into(),
        input,
        output,
        cache_write: input,
        cache_read: cached,
        as_of: "2026-11-24".into(),
    };
    vec![
        p("claude-haiku-4-5", 1.0, 5.0),
        p("claude-sonnet-4-6", 3.0, 15.0),
        p("claude-sonnet-5", 2.0, 10.0),
        p("claude-opus-4-5", 5.0, 25.0),
        p("claude-sonnet-5-5", 2.0, 10.0),
        p("voyage-3.5", 0.06, 0.0),
        p("voyage-3.5-lite", 0.02, 0.0),
        p("text-embedding-3-small", 0.02, 0.0),
        // OpenAI: no cache-write surcharge, cached input at the listed discount (unconfirmed
        // here: check the vendor's page before relying on these).
        o("gpt-4.1-mini", 0.40, 1.60, 0.10),
        o("gpt-4.1", 2.0, 8.0, 0.50),
        o("gpt-5-mini", 0.25, 2.0, 0.025),
        o("gpt-5", 1.25, 10.0, 0.125),
        p("text-embedding-3-large", 0.13, 0.0),
    ]
}

impl Config {
    /// `--config FILE` when given (it must exist), else `./supportbench.toml` when present, else
    /// the defaults.
    ///
    /// A relative `retrieval.neural_model_dir` is taken from the config file's folder, and the
    /// folder is recorded for the neural embedder of indexes opened later.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let (mut cfg, path) = Config::read(explicit)?;
        let base = path.as_deref().and_then(Path::parent);
        if let (Some(dir), Some(base)) = (&cfg.retrieval.neural_model_dir, base) {
            if dir.is_relative() {
                cfg.retrieval.neural_model_dir = Some(base.join(dir));
            }
        }
        crate::embed::set_neural_model_dir(cfg.retrieval.neural_model_dir.clone());
        Ok(cfg)
    }

    /// The config and the file it came from (none: the defaults).
    fn read(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>)> {
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
            return Ok((Config::default(), None));
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let cfg =
            Config::parse(&text).with_context(|| format!("config file {}", path.display()))?;
        Ok((cfg, Some(path)))
    }

    /// Parse and validate a config file's text.
    pub fn parse(text: &str) -> Result<Config> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let place = e.span().map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before
                    .rsplit('\n')
                    .next()
                    .map(|l| l.chars().count())
                    .unwrap_or(0)
                    + 1;
                format!("line {line}, column {column}: ")
            });
            anyhow::anyhow!("{}{}", place.unwrap_or_default(), e.message().trim())
        })?;
        cfg.validate()?;
        // Parsed once more as a plain table: which score settings the file names.
        let table: toml::Table = toml::from_str(text)?;
        let names =
            |section: &str, key: &str| table.get(section).and_then(|s| s.get(key)).is_some();
        cfg.named = NamedScores {
            relevance_threshold: names("retrieval", "relevance_threshold"),
            person_min_relevance: names("responder", "person_min_relevance"),
        };
        Ok(cfg)
    }

    /// The relevance threshold and the person model's relevance gate measured for `embedder`'s
    /// scores (an index's embedder, from its manifest), except where the config file names them:
    /// each embedder's relevance sits on its own scale, so a threshold set for one misplaces the
    /// other's misses.
    pub fn fit_to_embedder(&mut self, embedder: &str) {
        let scale = crate::embed::score_scale(embedder);
        if !self.named.relevance_threshold {
            self.retrieval.relevance_threshold = scale.relevance_threshold;
        }
        if !self.named.person_min_relevance {
            self.responder.person_min_relevance = scale.person_min_relevance;
        }
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
        if ![
            "hybrid",
            "potion",
            "lexical",
            "openai",
            "voyage",
            "minilm",
            "hybrid-neural",
        ]
        .contains(&self.retrieval.embedder.as_str())
        {
            bail!(
                "retrieval.embedder = {:?}: use hybrid, potion, lexical, openai, voyage, minilm or hybrid-neural",
                self.retrieval.embedder
            );
        }
        self.validate_live()?;
        if !(0.0..=1.0).contains(&self.retrieval.lexical_weight) {
            bail!(
                "retrieval.lexical_weight = {} must be between 0 and 1",
                self.retrieval.lexical_weight
            );
        }
        let person = &self.classifier.person_request_intent;
        if !person.is_empty()
            && *person != ClassifierConfig::default().person_request_intent
            && !self.intents.iter().any(|i| i.name == *person)
        {
            bail!(
                "classifier.person_request_intent = {person:?} is not one of the intents ({}): name one, or set it to \"\" to turn it off",
                self.intent_names().join(", ")
            );
        }
        if !(0.0..=1.0).contains(&self.retrieval.title_weight) {
            bail!(
                "retrieval.title_weight = {} must be between 0 and 1",
                self.retrieval.title_weight
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
        if !(0.0..=5.0).contains(&self.responder.person_weight) {
            bail!(
                "responder.person_weight = {} must be between 0 (off) and 5",
                self.responder.person_weight
            );
        }
        if !(0.0..=1.0).contains(&self.responder.person_min_relevance) {
            bail!(
                "responder.person_min_relevance = {} must be between 0 and 1",
                self.responder.person_min_relevance
            );
        }
        if self.cost.usd_to_inr <= 0.0 {
            bail!("cost.usd_to_inr must be positive");
        }
        Ok(())
    }

    /// `[backends.*]` and `[embedders.*]`.
    fn validate_live(&self) -> Result<()> {
        for (name, b, modes) in [
            (
                "anthropic",
                &self.backends.anthropic,
                ["tool", "output_config"],
            ),
            ("openai", &self.backends.openai, ["json_schema", "tool"]),
        ] {
            if !(b.timeout_secs > 0.0 && b.timeout_secs <= 3600.0) {
                bail!(
                    "backends.{name}.timeout_secs = {} must be between 0 and 3600 seconds",
                    b.timeout_secs
                );
            }
            if b.max_retries > 10 {
                bail!(
                    "backends.{name}.max_retries = {} is too many: use 0 to 10",
                    b.max_retries
                );
            }
            if !(0.0..=2.0).contains(&b.temperature) {
                bail!(
                    "backends.{name}.temperature = {} must be between 0 and 2",
                    b.temperature
                );
            }
            let t = &b.max_tokens;
            for (stage, v) in [
                ("classification", t.classification),
                ("sentiment", t.sentiment),
                ("summary", t.summary),
                ("generation", t.generation),
            ] {
                if v == 0 {
                    bail!("backends.{name}.max_tokens.{stage} must be at least 1");
                }
            }
            for o in b.model_options.iter().flatten() {
                if !modes.contains(&o.structured_output.as_str()) {
                    bail!(
                        "backends.{name}.model_options for {:?}: structured_output = {:?}; use {}",
                        o.model,
                        o.structured_output,
                        modes.join(" or ")
                    );
                }
                match (name, o.max_tokens_param.as_deref()) {
                    (_, None) | ("openai", Some("max_tokens" | "max_completion_tokens")) => {}
                    (_, Some(p)) => bail!(
                        "backends.{name}.model_options for {:?}: max_tokens_param = {p:?}; use max_tokens or max_completion_tokens (openai only)",
                        o.model
                    ),
                }
            }
        }
        for (name, e) in [
            ("openai", &self.embedders.openai),
            ("voyage", &self.embedders.voyage),
        ] {
            if e.dimensions == Some(0) || e.batch_size == Some(0) {
                bail!("embedders.{name}: dimensions and batch_size must be at least 1");
            }
            if !(e.timeout_secs > 0.0 && e.timeout_secs <= 3600.0) {
                bail!(
                    "embedders.{name}.timeout_secs = {} must be between 0 and 3600 seconds",
                    e.timeout_secs
                );
            }
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
    fn score_settings_follow_the_embedder_unless_the_file_names_them() {
        // The defaults are hybrid's.
        let mut cfg = Config::default();
        cfg.fit_to_embedder("hybrid");
        assert_eq!(cfg, Config::default());
        cfg.fit_to_embedder("hybrid-neural");
        assert_eq!(cfg.retrieval.relevance_threshold, 0.22);
        assert_eq!(cfg.responder.person_min_relevance, 0.30);
        cfg.fit_to_embedder("openai");
        assert_eq!(cfg.retrieval.relevance_threshold, 0.30);
        assert_eq!(cfg.responder.person_min_relevance, 0.4);

        let mut cfg = Config::parse("[retrieval]\nrelevance_threshold = 0.3\n").unwrap();
        cfg.fit_to_embedder("minilm");
        assert_eq!(cfg.retrieval.relevance_threshold, 0.3);
        assert_eq!(cfg.responder.person_min_relevance, 0.35);

        let mut cfg = Config::parse("[responder]\nperson_min_relevance = 0.5\n").unwrap();
        cfg.fit_to_embedder("hybrid-neural");
        assert_eq!(cfg.retrieval.relevance_threshold, 0.22);
        assert_eq!(cfg.responder.person_min_relevance, 0.5);
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
        assert!(
            err.to_string()
                .starts_with("line 2, column 1: unknown field `min_confidense`"),
            "{err}"
        );
        assert!(err.to_string().contains("min_confidense"), "{err}");
    }

    #[test]
    fn unknown_rule_is_rejected() {
        let err = Config::parse("[escalation]\nrules = [\"low_confidence\", \"moon_phase\"]\n")
            .unwrap_err();
        assert!(err.to_string().contains("moon_phase"), "{err}");
    }

    #[test]
    fn live_sections_override_what_they_name() {
        let cfg = Config::parse(
            "[backends.openai]\ntimeout_secs = 5\n[backends.openai.models]\ngeneration = \"llama3.1:8b\"\n\n[[backends.openai.model_options]]\nmodel = \"llama3.1:8b\"\nstructured_output = \"json_schema\"\n",
        )
        .unwrap();
        let o = &cfg.backends.openai;
        assert_eq!(o.timeout_secs, 5.0);
        assert_eq!(o.max_retries, 2);
        assert_eq!(o.models.generation.as_deref(), Some("llama3.1:8b"));
        assert_eq!(o.models.classification, None);
        assert_eq!(o.model_options.as_ref().unwrap().len(), 1);
        assert_eq!(cfg.backends.anthropic, LiveBackendConfig::default());
        let err = Config::parse("[backends.anthropic]\ntimeout = 5\n").unwrap_err();
        assert!(err.to_string().contains("timeout"), "{err}");
        let err = Config::parse(
            "[[backends.anthropic.model_options]]\nmodel = \"m\"\nstructured_output = \"json_schema\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("tool or output_config"), "{err}");
    }

    #[test]
    fn built_in_model_options_are_priced() {
        let cfg = Config::default();
        for o in anthropic_model_options()
            .iter()
            .chain(&openai_model_options())
        {
            assert!(cfg.price(&o.model).is_some(), "{}", o.model);
        }
    }

    #[test]
    fn responder_settings_are_read_and_checked() {
        let cfg = Config::parse("[responder]\nperson_weight = 0\n").unwrap();
        assert_eq!(cfg.responder.person_weight, 0.0);
        assert_eq!(cfg.responder.person_min_relevance, 0.4);
        for (toml, msg) in [
            (
                "person_weight = -1",
                "person_weight = -1 must be between 0 (off) and 5",
            ),
            (
                "person_min_relevance = 2",
                "person_min_relevance = 2 must be between 0 and 1",
            ),
            ("person_wieght = 1", "unknown field"),
        ] {
            let err = Config::parse(&format!("[responder]\n{toml}\n")).unwrap_err();
            assert!(format!("{err:#}").contains(msg), "{toml}: {err:#}");
        }
    }

    #[test]
    fn retrieval_and_classifier_settings_are_read_and_checked() {
        let cfg = Config::parse(
            "[retrieval]\ntitle_weight = 0.0\n[classifier]\nsub_intent_columns = [\"tag\"]\n",
        )
        .unwrap();
        assert_eq!(cfg.retrieval.title_weight, 0.0);
        assert_eq!(cfg.classifier.sub_intent_columns, vec!["tag".to_string()]);
        assert_eq!(Config::default().retrieval.title_weight, 0.05);
        let err = Config::parse("[retrieval]\ntitle_weight = 1.5\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("title_weight = 1.5 must be between 0 and 1"),
            "{err}"
        );
        let err = Config::parse("[classifier]\nperson_request_intent = \"humans\"\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("person_request_intent = \"humans\" is not one of the intents"),
            "{err}"
        );
        let off = Config::parse("[classifier]\nperson_request_intent = \"\"\n").unwrap();
        assert_eq!(off.classifier.person_request_intent, "");
    }

    #[test]
    fn bad_overlap_is_rejected() {
        assert!(Config::parse("[chunking]\nsize = 100\noverlap = 60\n").is_err());
    }
}
