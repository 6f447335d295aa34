//! Embedders: text → representation, behind one trait.
//!
//! A representation has a dense part (a unit vector that lives in usearch) and a sparse lexical
//! part (hashed word and character n-gram term frequencies; the index applies IDF). `hybrid`
//! fills both and the index blends the two cosines with `lexical_weight`; `potion` fills only the
//! dense part, `lexical` only the sparse one. Neither part depends on the rest of the corpus, so
//! an unchanged document's representation can be reused as is.

pub mod hybrid;
pub mod lexical;
#[cfg(feature = "neural")]
pub mod neural;
pub mod potion;
pub mod remote;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Result};

use crate::config::Config;

pub use lexical::Features;

/// What an embedder makes of one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embedding {
    /// Unit-length dense vector (empty when the embedder has no dense part).
    pub dense: Vec<f32>,
    /// Sparse lexical features (empty when the embedder has no lexical part).
    pub sparse: Features,
}

pub trait Embedder: Send + Sync {
    /// The name users type: `hybrid`, `potion`, `lexical`.
    fn name(&self) -> &'static str;
    /// Identifies the representation exactly (model, version, blend): an index built with one id
    /// is only ever queried with the same id.
    fn id(&self) -> String;
    /// Dimensions of the dense part (0 when there is none).
    fn dense_dims(&self) -> usize;
    /// Weight of the lexical cosine in the blended score (0 = dense only, 1 = lexical only).
    fn lexical_weight(&self) -> f32;
    /// Embed chunks for the index.
    fn embed_documents(&self, texts: &[String]) -> Result<Vec<Embedding>>;
    /// Embed a query.
    fn embed_query(&self, text: &str) -> Result<Embedding>;
    /// Whether embedding calls a paid network service.
    fn is_remote(&self) -> bool {
        false
    }
}

/// The embedder called `name`; `lexical_weight` is used by `hybrid` only. The remote ones get
/// their default model here; [`from_config`] applies `[embedders.*]`.
pub fn by_name(name: &str, lexical_weight: f32) -> Result<Box<dyn Embedder>> {
    Ok(match name {
        "hybrid" => Box::new(hybrid::Hybrid::new(lexical_weight)),
        "potion" => Box::new(potion::Potion),
        "lexical" => Box::new(lexical::Lexical),
        "openai" | "voyage" => from_config(name, &Config::default())?,
        "minilm" | "hybrid-neural" => neural_embedder(name, lexical_weight, None)?,
        other => bail!("unknown embedder {other:?}: use hybrid, potion, lexical, openai, voyage, minilm or hybrid-neural"),
    })
}

/// The embedder called `name` with the config's settings (lexical weight, remote models).
pub fn from_config(name: &str, config: &Config) -> Result<Box<dyn Embedder>> {
    Ok(match name {
        "openai" => Box::new(remote::Remote::from_config(
            remote::Service::OpenAi,
            &config.embedders.openai,
        )?),
        "voyage" => Box::new(remote::Remote::from_config(
            remote::Service::Voyage,
            &config.embedders.voyage,
        )?),
        "minilm" | "hybrid-neural" => neural_embedder(
            name,
            config.retrieval.lexical_weight,
            config.retrieval.neural_model_dir.as_deref(),
        )?,
        other => by_name(other, config.retrieval.lexical_weight)?,
    })
}

/// The embedder an index was built with, from its manifest: a remote one is rebuilt from the
/// recorded id (model and dimensions), so queries always use the index's own model.
pub fn for_index(name: &str, id: &str, lexical_weight: f32) -> Result<Box<dyn Embedder>> {
    Ok(match name {
        "openai" => Box::new(remote::Remote::from_id(remote::Service::OpenAi, id)?),
        "voyage" => Box::new(remote::Remote::from_id(remote::Service::Voyage, id)?),
        other => by_name(other, lexical_weight)?,
    })
}

/// `minilm` or `hybrid-neural`: a local sentence-transformers model from a folder on disk
/// (`$SUPPORTBENCH_NEURAL_MODEL`, else `configured`, else the loaded config's
/// `retrieval.neural_model_dir`). Only in builds with `--features neural`.
fn neural_embedder(
    name: &str,
    lexical_weight: f32,
    configured: Option<&Path>,
) -> Result<Box<dyn Embedder>> {
    #[cfg(feature = "neural")]
    {
        neural::by_name(name, lexical_weight, configured)
    }
    #[cfg(not(feature = "neural"))]
    {
        let _ = (lexical_weight, configured);
        bail!("this build has no neural embedder: rebuild with --features neural to use the {name} embedder (e.g. cargo install --path . --features neural; see docs/neural-embedder.md)")
    }
}

/// `retrieval.neural_model_dir` of the config this process loaded; `None` until one is loaded.
/// An index is opened from its manifest alone, so the neural embedder finds its folder here.
static NEURAL_MODEL_DIR: Mutex<Option<Option<PathBuf>>> = Mutex::new(None);

/// Record the loaded config's neural model folder (called by `Config::load`).
pub fn set_neural_model_dir(dir: Option<PathBuf>) {
    if let Ok(mut g) = NEURAL_MODEL_DIR.lock() {
        *g = Some(dir);
    }
}

/// The loaded config's neural model folder; when no config was loaded yet (`search`), the one
/// in ./supportbench.toml, if any.
#[cfg(feature = "neural")]
pub fn neural_model_dir() -> Result<Option<PathBuf>> {
    let loaded = NEURAL_MODEL_DIR.lock().map(|g| g.clone()).unwrap_or(None);
    match loaded {
        Some(dir) => Ok(dir),
        None => Ok(Config::load(None)?.retrieval.neural_model_dir),
    }
}

/// Where an embedder's relevance scores put a retrieval miss, and how high the best excerpt must
/// score before the "needs a person" model may raise a response's confidence. The scores are
/// cosines (blended with the lexical one for the hybrids) and each model has its own scale:
/// all-MiniLM-L6-v2's sit lower than potion's, so `hybrid`'s 0.30 flagged answerable turns as
/// misses with `hybrid-neural` and escalated them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreScale {
    pub relevance_threshold: f32,
    pub person_min_relevance: f64,
}

/// The score settings measured for embedder `name` (the config file may override either).
///
/// `hybrid-neural` and `minilm` were chosen on the mean escalation F1 of the seven development
/// products (LedgerLeaf, TiffinBox, CareSlot, SkillSprout, VoltPath, FreshFold, RentRoost) and
/// the StackFAQ mixed-scope *validation* set, release build, `eval --train`: `hybrid-neural` 0.790
/// at `hybrid`'s 0.30 / 0.4, threshold 0.20–0.25 × gate 0.20–0.50 gave 0.815–0.854, 0.22 / 0.30
/// best; `minilm`
/// (threshold = gate) 0.30 → 0.848, 0.35 → 0.851, 0.40 → 0.839. The remote embedders were not
/// measured and keep `hybrid`'s settings.
pub fn score_scale(name: &str) -> ScoreScale {
    match name {
        "hybrid-neural" => ScoreScale {
            relevance_threshold: 0.22,
            person_min_relevance: 0.30,
        },
        "minilm" => ScoreScale {
            relevance_threshold: 0.35,
            person_min_relevance: 0.35,
        },
        _ => ScoreScale {
            relevance_threshold: 0.30,
            person_min_relevance: 0.4,
        },
    }
}

/// Dot product of two equal-length vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
