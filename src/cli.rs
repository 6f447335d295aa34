//! The command-line interface as typed: clap declarations only, no I/O and no validation
//! beyond what clap does. `commands/` turns these into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Offline evaluation and CI gate for AI customer-support pipelines.
///
/// Exit codes: 0 success (every gate passed), 1 a gate failed, 2 an error (bad input, unusable
/// index, backend failure).
#[derive(Debug, Parser)]
#[command(name = "supportbench", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Chunk a folder of markdown articles and index them (incremental, atomic)
    Ingest(IngestArgs),
    /// Show the chunks a query retrieves
    Search(SearchArgs),
    /// Replay a labelled tickets CSV through the pipeline, write reports, gate CI
    Eval(EvalArgs),
    /// Run one message through the pipeline and print its trace
    Ask(AskArgs),
    /// Compare two runs' metrics.json (and the tickets whose outcome flipped)
    Compare(CompareArgs),
}

/// Embedders an index can be built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EmbedderName {
    /// potion-base-8M static embeddings blended with lexical n-gram scoring (default)
    Hybrid,
    /// potion-base-8M static embeddings alone
    Potion,
    /// word + character n-gram TF-IDF alone
    Lexical,
    /// OpenAI-compatible /v1/embeddings (OPENAI_API_KEY, OPENAI_BASE_URL; model in [embedders.openai])
    Openai,
    /// Voyage AI embeddings (VOYAGE_API_KEY; model in [embedders.voyage])
    Voyage,
    /// Local sentence-transformers BERT model, e.g. all-MiniLM-L6-v2 (folder: SUPPORTBENCH_NEURAL_MODEL or retrieval.neural_model_dir; needs --features neural)
    Minilm,
    /// The local neural model blended with lexical n-gram scoring (retrieval.lexical_weight)
    HybridNeural,
}

impl EmbedderName {
    pub fn as_str(self) -> &'static str {
        match self {
            EmbedderName::Hybrid => "hybrid",
            EmbedderName::Potion => "potion",
            EmbedderName::Lexical => "lexical",
            EmbedderName::Openai => "openai",
            EmbedderName::Voyage => "voyage",
            EmbedderName::Minilm => "minilm",
            EmbedderName::HybridNeural => "hybrid-neural",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendName {
    /// Built-in offline backend: no network, no key, deterministic
    Offline,
    /// Anthropic Messages API
    Anthropic,
    /// OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp)
    Openai,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Folder of markdown (.md, .markdown) articles, searched recursively
    pub docs_dir: PathBuf,
    /// Index folder to write
    #[arg(long, default_value = ".supportbench/index")]
    pub index: PathBuf,
    /// Embedder [default: from config, else hybrid]
    #[arg(long, value_enum)]
    pub embedder: Option<EmbedderName>,
    /// Maximum chunk size in characters [default: from config, else 500]
    #[arg(long)]
    pub chunk_size: Option<usize>,
    /// Overlap between consecutive chunks of a section, in characters [default: from config, else 50]
    #[arg(long)]
    pub chunk_overlap: Option<usize>,
    /// Config file [default: ./supportbench.toml when present]
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print one JSON object on stdout instead of the human summary
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query text
    pub query: String,
    /// Index folder to read
    #[arg(long, default_value = ".supportbench/index")]
    pub index: PathBuf,
    /// Number of chunks to return
    #[arg(short = 'k', long = "top-k", default_value_t = 3)]
    pub k: usize,
    /// Print a JSON array instead of a table
    #[arg(long)]
    pub json: bool,
    /// Config file (for retrieval.title_weight) [default: ./supportbench.toml if present]
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Options shared by `eval` and `ask`: where the index comes from and how the pipeline runs.
#[derive(Debug, Args, Clone)]
pub struct PipelineArgs {
    /// Index folder to read (or to build, with --docs)
    #[arg(long, default_value = ".supportbench/index")]
    pub index: PathBuf,
    /// Ingest (or refresh) this docs folder into --index first
    #[arg(long)]
    pub docs: Option<PathBuf>,
    /// Embedder used when --docs builds the index [default: from config, else hybrid]
    #[arg(long, value_enum)]
    pub embedder: Option<EmbedderName>,
    /// Training CSV (message, expected_intent) for the offline intent classifier
    #[arg(long)]
    pub train: Option<PathBuf>,
    /// Backend that runs the pipeline
    #[arg(long, value_enum, default_value = "offline")]
    pub backend: BackendName,
    /// Config file [default: ./supportbench.toml when present]
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Response cache of the live backends (answers keyed by the full request)
    #[arg(long, value_name = "DIR", default_value = ".supportbench/cache")]
    pub cache: PathBuf,
    /// Answer only from the response cache: no key, no network; a missing answer is an error
    #[arg(long, conflicts_with = "no_cache")]
    pub cache_only: bool,
    /// Neither read nor write the response cache
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labelled tickets CSV (ticket_id, message; optional conversation_id, turn, expected_*)
    pub tickets: PathBuf,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// Report folder [default: reports/<tickets file stem>/]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Conversations run in parallel; live backends: requests in flight at most
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Gate: fail when escalated conversations / conversations is above R
    #[arg(long, value_name = "R")]
    pub max_escalation_rate: Option<f64>,
    /// Gate: fail when intent accuracy is below R
    #[arg(long, value_name = "R")]
    pub min_intent_accuracy: Option<f64>,
    /// Gate: fail when the retrieval miss rate is above R
    #[arg(long, value_name = "R")]
    pub max_retrieval_miss_rate: Option<f64>,
    /// Gate: fail when the cost per conversation is above INR rupees
    #[arg(long, value_name = "INR")]
    pub max_cost_per_conversation: Option<f64>,
    /// Gate: fail on a regression against this metrics.json
    #[arg(long, value_name = "METRICS_JSON")]
    pub baseline: Option<PathBuf>,
    /// Allowed regression against --baseline (absolute, e.g. 0.02 = 2 points)
    #[arg(long, value_name = "R", default_value_t = 0.02)]
    pub tolerance: f64,
    /// Escalation rate the threshold sweep should find a confidence threshold for
    #[arg(long, value_name = "R")]
    pub target_escalation_rate: Option<f64>,
    /// Print nothing but errors and the gate result
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct AskArgs {
    /// The customer's message
    pub message: String,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// Print the trace as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The baseline run's metrics.json
    pub baseline: PathBuf,
    /// The candidate run's metrics.json
    pub candidate: PathBuf,
    /// Allowed regression (absolute, e.g. 0.02 = 2 points)
    #[arg(long, value_name = "R", default_value_t = 0.02)]
    pub tolerance: f64,
    /// Print the comparison as JSON
    #[arg(long)]
    pub json: bool,
}
