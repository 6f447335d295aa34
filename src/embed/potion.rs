//! potion-base-8M (int8), a static Model2Vec embedding model compiled into the binary and loaded
//! through model2vec-rs with no model-hub client. Provenance and licence: models/potion-base-8M-int8/.

use std::sync::OnceLock;

use anyhow::{anyhow, Result};
use model2vec_rs::model::StaticModel;

use super::{Embedder, Embedding};

const TOKENIZER: &[u8] = include_bytes!("../../models/potion-base-8M-int8/tokenizer.json");
const MODEL: &[u8] = include_bytes!("../../models/potion-base-8M-int8/model.safetensors");
const CONFIG: &[u8] = include_bytes!("../../models/potion-base-8M-int8/config.json");

pub const MODEL_ID: &str = "potion-base-8M-int8";
pub const DIMS: usize = 256;
/// Tokens read per text (chunks are ~500 characters, far below).
const MAX_TOKENS: usize = 512;

static LOADED: OnceLock<Result<StaticModel, String>> = OnceLock::new();

/// The embedded model, loaded once per process.
pub fn model() -> Result<&'static StaticModel> {
    LOADED
        .get_or_init(|| {
            StaticModel::from_bytes(TOKENIZER, MODEL, CONFIG, None).map_err(|e| format!("{e:#}"))
        })
        .as_ref()
        .map_err(|e| anyhow!("cannot load the embedded {MODEL_ID} model: {e}"))
}

/// Unit-length embeddings of `texts`.
pub fn encode(texts: &[String]) -> Result<Vec<Vec<f32>>> {
    let m = model()?;
    Ok(m.encode_with_args(texts, Some(MAX_TOKENS), 1024)
        .into_iter()
        .map(normalised)
        .collect())
}

pub fn encode_one(text: &str) -> Result<Vec<f32>> {
    Ok(normalised(model()?.encode_single(text)))
}

/// The model normalises already; empty or unknown-only texts give a zero vector, kept as is.
fn normalised(mut v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 && (n - 1.0).abs() > 1e-4 {
        v.iter_mut().for_each(|x| *x /= n);
    }
    v
}

/// The static model alone.
pub struct Potion;

impl Embedder for Potion {
    fn name(&self) -> &'static str {
        "potion"
    }
    fn id(&self) -> String {
        MODEL_ID.to_string()
    }
    fn dense_dims(&self) -> usize {
        DIMS
    }
    fn lexical_weight(&self) -> f32 {
        0.0
    }
    fn embed_documents(&self, texts: &[String]) -> Result<Vec<Embedding>> {
        Ok(encode(texts)?
            .into_iter()
            .map(|dense| Embedding {
                dense,
                ..Default::default()
            })
            .collect())
    }
    fn embed_query(&self, text: &str) -> Result<Embedding> {
        Ok(Embedding {
            dense: encode_one(text)?,
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::dot;

    #[test]
    fn loads_and_embeds_unit_vectors() {
        let v = encode(&[
            "how do I get a refund".into(),
            "refund policy for annual plans".into(),
            "reset my password".into(),
        ])
        .unwrap();
        assert_eq!(v[0].len(), DIMS);
        let norm: f32 = v[0].iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-3);
        assert!(
            dot(&v[0], &v[1]) > dot(&v[0], &v[2]),
            "refund texts should be closer to each other"
        );
    }

    #[test]
    fn single_equals_batch() {
        let a = encode_one("upi payment failed").unwrap();
        let b = encode(&["upi payment failed".into()]).unwrap().remove(0);
        assert!(dot(&a, &b) > 0.9999);
    }
}
