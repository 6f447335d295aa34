//! The lexical part of the index: each chunk's sparse features on disk (`lexical.bin`), and at
//! load an inverted index with IDF from the indexed chunks. A query's lexical relevance is a blend
//! of the word-block and character-block cosines of the IDF-weighted vectors.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::embed::Features;

const MAGIC: &[u8; 8] = b"SBLEX002";
/// Weight of the word block; the character block gets the rest. 0.55/0.45 mixed vectors in
/// crates.md's measurement are this 0.6/0.4 blend of block cosines.
const WORD_WEIGHT: f32 = 0.6;

pub struct Sparse {
    words: Block,
    chars: Block,
    n: usize,
}

/// One feature block: IDF per feature and postings of (chunk, normalised weight).
struct Block {
    idf: HashMap<u32, f32>,
    postings: HashMap<u32, Vec<(u32, f32)>>,
    /// IDF of a feature no chunk has.
    unseen_idf: f32,
}

impl Block {
    fn build(rows: &[&[(u32, f32)]]) -> Block {
        let n = rows.len() as f32;
        let mut df: HashMap<u32, u32> = HashMap::new();
        for row in rows {
            for (id, _) in row.iter() {
                *df.entry(*id).or_default() += 1;
            }
        }
        let idf: HashMap<u32, f32> = df
            .into_iter()
            .map(|(id, d)| (id, ((n + 1.0) / (d as f32 + 1.0)).ln() + 1.0))
            .collect();
        let mut postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (c, row) in rows.iter().enumerate() {
            let norm = row
                .iter()
                .map(|(id, w)| (w * idf[id]).powi(2))
                .sum::<f32>()
                .sqrt();
            if norm == 0.0 {
                continue;
            }
            for (id, w) in row.iter() {
                postings
                    .entry(*id)
                    .or_default()
                    .push((c as u32, w * idf[id] / norm));
            }
        }
        Block {
            idf,
            postings,
            unseen_idf: (n + 1.0).ln() + 1.0,
        }
    }

    /// Add this block's cosine with the query, times `scale`, into `scores`.
    fn accumulate(&self, query: &[(u32, f32)], scale: f32, scores: &mut [f32]) {
        let weighted: Vec<(u32, f32)> = query
            .iter()
            .map(|(id, w)| {
                (
                    *id,
                    w * self.idf.get(id).copied().unwrap_or(self.unseen_idf),
                )
            })
            .collect();
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm == 0.0 {
            return;
        }
        for (id, w) in weighted {
            if let Some(list) = self.postings.get(&id) {
                let q = scale * w / norm;
                for (c, dw) in list {
                    scores[*c as usize] += q * dw;
                }
            }
        }
    }
}

impl Sparse {
    pub fn build(features: &[Features]) -> Sparse {
        let words: Vec<&[(u32, f32)]> = features.iter().map(|f| f.words.as_slice()).collect();
        let chars: Vec<&[(u32, f32)]> = features.iter().map(|f| f.chars.as_slice()).collect();
        Sparse {
            words: Block::build(&words),
            chars: Block::build(&chars),
            n: features.len(),
        }
    }

    /// Lexical relevance (0..1) of every chunk to the query.
    pub fn scores(&self, query: &Features) -> Vec<f32> {
        let mut s = vec![0f32; self.n];
        self.words.accumulate(&query.words, WORD_WEIGHT, &mut s);
        self.chars
            .accumulate(&query.chars, 1.0 - WORD_WEIGHT, &mut s);
        s
    }
}

/// Write every chunk's features. Per block: the feature count, then each feature as the varint
/// gap from the previous id and its term count (the weight `1 + ln(tf)` is recomputed on read),
/// about 4 bytes a feature instead of 8.
pub fn write(path: &Path, features: &[Features]) -> Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(16 + features.len() * 2000);
    buf.extend_from_slice(MAGIC);
    buf.extend_from_slice(&(features.len() as u32).to_le_bytes());
    for f in features {
        for block in [&f.words, &f.chars] {
            put_varint(&mut buf, block.len() as u64);
            let mut prev = 0u32;
            for (id, w) in block.iter() {
                put_varint(&mut buf, u64::from(id - prev));
                prev = *id;
                buf.push(term_count(*w));
            }
        }
    }
    std::fs::write(path, buf).with_context(|| format!("cannot write {}", path.display()))
}

/// The term count behind a weight `1 + ln(tf)` (capped at 255).
fn term_count(w: f32) -> u8 {
    (w - 1.0).exp().round().clamp(1.0, 255.0) as u8
}

fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Read every chunk's features (the checksum was verified by the caller).
pub fn read(path: &Path, expected: usize) -> Result<Vec<Features>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bad = || anyhow::anyhow!("{} is not a valid lexical index file", path.display());
    let mut r = Reader {
        bytes: &bytes,
        pos: 0,
    };
    if r.take(8).ok_or_else(bad)? != MAGIC {
        return Err(bad());
    }
    let n = u32::from_le_bytes(r.take(4).ok_or_else(bad)?.try_into().map_err(|_| bad())?) as usize;
    if n != expected {
        bail!(
            "{} holds {n} chunks, the manifest says {expected}",
            path.display()
        );
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let mut f = Features::default();
        for block in [&mut f.words, &mut f.chars] {
            let len = r.varint().ok_or_else(bad)? as usize;
            if len > bytes.len() {
                return Err(bad());
            }
            block.reserve(len);
            let mut id = 0u64;
            for _ in 0..len {
                id += r.varint().ok_or_else(bad)?;
                let tf = *r.take(1).ok_or_else(bad)?.first().ok_or_else(bad)?;
                let id = u32::try_from(id).map_err(|_| bad())?;
                block.push((id, 1.0 + f32::from(tf.max(1)).ln()));
            }
        }
        out.push(f);
    }
    Ok(out)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.pos..self.pos + n)?;
        self.pos += n;
        Some(s)
    }
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::lexical::features;

    #[test]
    fn exact_tokens_rank_first_and_self_match_is_one() {
        let docs = [
            "Error LL-2003 means the bank feed token expired",
            "Refunds for annual plans",
            "Reset your password",
        ];
        let f: Vec<Features> = docs.iter().map(|d| features(d)).collect();
        let s = Sparse::build(&f);
        let scores = s.scores(&features("getting LL-2003"));
        assert!(scores[0] > scores[1] && scores[0] > scores[2]);
        let own = s.scores(&features(docs[1]));
        assert!((own[1] - 1.0).abs() < 1e-4, "{own:?}");
    }

    #[test]
    fn roundtrip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let f: Vec<Features> = ["a b c", "", "₹499 plan"]
            .iter()
            .map(|d| features(d))
            .collect();
        let p = dir.path().join("lex.bin");
        write(&p, &f).unwrap();
        let back = read(&p, 3).unwrap();
        for (a, b) in back.iter().zip(&f) {
            assert_eq!(a.words.len(), b.words.len());
            for (x, y) in a
                .words
                .iter()
                .chain(&a.chars)
                .zip(b.words.iter().chain(&b.chars))
            {
                assert_eq!(x.0, y.0);
                assert!((x.1 - y.1).abs() < 1e-5);
            }
        }
        assert!(read(&p, 4).is_err());
        std::fs::write(&p, b"SBLEX002\x05\x00\x00\x00\xff").unwrap();
        assert!(
            read(&p, 5).is_err(),
            "truncated file is an error, not a panic"
        );
    }
}
