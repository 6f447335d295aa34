//! The default: the static model's cosine blended with the lexical cosine.
//!
//! The static model wins on paraphrases, lexical scoring on exact tokens (error codes, product
//! names); blending the two beats either (../shared/reference/crates.md measured 0.7/0.3).

use anyhow::Result;

use super::{lexical, potion, Embedder, Embedding};

pub struct Hybrid {
    lexical_weight: f32,
}

impl Hybrid {
    pub fn new(lexical_weight: f32) -> Hybrid {
        Hybrid {
            lexical_weight: lexical_weight.clamp(0.0, 1.0),
        }
    }
}

impl Embedder for Hybrid {
    fn name(&self) -> &'static str {
        "hybrid"
    }
    fn id(&self) -> String {
        format!(
            "hybrid({}+{},w={:.2})",
            potion::MODEL_ID,
            lexical::ID,
            self.lexical_weight
        )
    }
    fn dense_dims(&self) -> usize {
        potion::DIMS
    }
    fn lexical_weight(&self) -> f32 {
        self.lexical_weight
    }
    fn embed_documents(&self, texts: &[String]) -> Result<Vec<Embedding>> {
        let dense = potion::encode(texts)?;
        let sparse = lexical::features_batch(texts);
        Ok(dense
            .into_iter()
            .zip(sparse)
            .map(|(dense, sparse)| Embedding { dense, sparse })
            .collect())
    }
    fn embed_query(&self, text: &str) -> Result<Embedding> {
        Ok(Embedding {
            dense: potion::encode_one(text)?,
            sparse: lexical::features(text),
        })
    }
}
