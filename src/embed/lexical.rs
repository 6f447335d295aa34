//! Lexical features: lowercase word unigrams + bigrams in one block, character 3–5-grams of each
//! word in another, feature-hashed, weighted `1 + ln(tf)`. The index applies IDF from the indexed
//! chunks and blends the two block cosines (see `index::sparse`). This is the design that measured
//! best in ../shared/reference/crates.md, kept sparse so no hashing collisions blur exact tokens
//! such as error codes.

use rayon::prelude::*;

use anyhow::Result;

use super::{Embedder, Embedding};

/// Version of the featurisation: changing tokenisation or hashing changes this.
pub const ID: &str = "lexical-v1";

/// Sparse term weights of one text, each block sorted by feature id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    pub words: Vec<(u32, f32)>,
    pub chars: Vec<(u32, f32)>,
}

impl Features {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.chars.is_empty()
    }
}

/// Lowercase alphanumeric tokens.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
}

pub fn features(text: &str) -> Features {
    let toks: Vec<String> = tokens(text).collect();
    let mut words: Vec<u32> = Vec::with_capacity(toks.len() * 2);
    let mut chars: Vec<u32> = Vec::with_capacity(toks.len() * 12);
    for (i, t) in toks.iter().enumerate() {
        words.push(hash(1, t.as_bytes()));
        if let Some(next) = toks.get(i + 1) {
            let mut h = Fnv::new(2);
            h.write(t.as_bytes());
            h.write(b" ");
            h.write(next.as_bytes());
            words.push(h.finish());
        }
        let padded: Vec<char> = std::iter::once(' ')
            .chain(t.chars())
            .chain(std::iter::once(' '))
            .collect();
        for n in 3..=5 {
            if padded.len() < n {
                break;
            }
            for w in padded.windows(n) {
                let mut h = Fnv::new(3);
                for c in w {
                    h.write(c.encode_utf8(&mut [0u8; 4]).as_bytes());
                }
                chars.push(h.finish());
            }
        }
    }
    Features {
        words: weigh(words),
        chars: weigh(chars),
    }
}

/// The feature id of a word unigram (for explaining a classifier's decision).
pub fn word_id(token: &str) -> u32 {
    hash(1, token.as_bytes())
}

pub fn features_batch(texts: &[String]) -> Vec<Features> {
    texts.par_iter().map(|t| features(t)).collect()
}

/// Count ids, weight each `1 + ln(tf)`, sorted by id.
fn weigh(mut ids: Vec<u32>) -> Vec<(u32, f32)> {
    ids.sort_unstable();
    let mut out: Vec<(u32, f32)> = Vec::with_capacity(ids.len());
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j < ids.len() && ids[j] == ids[i] {
            j += 1;
        }
        out.push((ids[i], 1.0 + ((j - i) as f32).ln()));
        i = j;
    }
    out
}

/// FNV-1a, 64-bit, folded to 32 bits; `seed` separates the feature kinds.
struct Fnv(u64);

impl Fnv {
    fn new(seed: u8) -> Fnv {
        let mut f = Fnv(0xcbf2_9ce4_8422_2325);
        f.write(&[seed]);
        f
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u32 {
        (self.0 ^ (self.0 >> 32)) as u32
    }
}

fn hash(seed: u8, bytes: &[u8]) -> u32 {
    let mut h = Fnv::new(seed);
    h.write(bytes);
    h.finish()
}

/// Lexical scoring alone.
pub struct Lexical;

impl Embedder for Lexical {
    fn name(&self) -> &'static str {
        "lexical"
    }
    fn id(&self) -> String {
        ID.to_string()
    }
    fn dense_dims(&self) -> usize {
        0
    }
    fn lexical_weight(&self) -> f32 {
        1.0
    }
    fn embed_documents(&self, texts: &[String]) -> Result<Vec<Embedding>> {
        Ok(features_batch(texts)
            .into_iter()
            .map(|sparse| Embedding {
                sparse,
                ..Default::default()
            })
            .collect())
    }
    fn embed_query(&self, text: &str) -> Result<Embedding> {
        Ok(Embedding {
            sparse: features(text),
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lowercase_alphanumeric() {
        let t: Vec<String> = tokens("Error LL-2003: Sync failed!").collect();
        assert_eq!(t, vec!["error", "ll", "2003", "sync", "failed"]);
    }

    #[test]
    fn repeated_words_are_sublinear() {
        let f = features("refund refund refund");
        let uni = f
            .words
            .iter()
            .find(|(id, _)| *id == hash(1, b"refund"))
            .unwrap();
        assert!((uni.1 - (1.0 + 3f32.ln())).abs() < 1e-6);
    }

    #[test]
    fn deterministic_and_sorted() {
        let a = features("Reset the password, then log in");
        assert_eq!(a, features("reset THE password then log in"));
        assert!(a.words.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(a.chars.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn empty_text_has_no_features() {
        assert!(features("  --- !!").is_empty());
    }
}
