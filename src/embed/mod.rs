//! Embedders: text → representation, behind one trait.
//!
//! A representation has a dense part (a unit vector that lives in usearch) and a sparse lexical
//! part (hashed word and character n-gram term frequencies; the index applies IDF). `hybrid`
//! fills both and the index blends the two cosines with `lexical_weight`; `potion` fills only the
//! dense part, `lexical` only the sparse one. Neither part depends on the rest of the corpus, so
//! an unchanged document's representation can be reused as is.

pub mod hybrid;
pub mod lexical;
pub mod potion;

use anyhow::{bail, Result};

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
}

/// The embedder called `name`; `lexical_weight` is used by `hybrid` only.
pub fn by_name(name: &str, lexical_weight: f32) -> Result<Box<dyn Embedder>> {
    Ok(match name {
        "hybrid" => Box::new(hybrid::Hybrid::new(lexical_weight)),
        "potion" => Box::new(potion::Potion),
        "lexical" => Box::new(lexical::Lexical),
        other => bail!("unknown embedder {other:?}: use hybrid, potion or lexical"),
    })
}

/// Dot product of two equal-length vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
