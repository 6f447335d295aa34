//! The on-disk index: `manifest.json` (checked first), `chunks.jsonl` (what was indexed, readable),
//! `dense.usearch` (the static model's vectors) and `lexical.bin` (sparse n-gram features).
//!
//! Search blends the two cosines: `score = (1 - w) * dense + w * lexical`, where `w` is the
//! embedder's lexical weight — exactly the cosine of the two unit vectors concatenated with
//! weights √(1-w) and √w. Candidates come from both sides (usearch's nearest and the lexical
//! top), and every candidate is scored exactly.
//!
//! Candidates are ranked by their relevance plus `title_weight` times the same blended cosine
//! between the query and their article's title: a help-centre title names the question the
//! article answers, and a short or generic chunk of the wrong article otherwise outranks the
//! right one. The relevance reported (and compared with the miss threshold) stays the chunk's.

pub mod build;
pub mod codes;
pub mod dense;
pub mod manifest;
pub mod sparse;

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::embed::{self, Embedder, Embedding, Features};
use dense::Dense;
use manifest::{Manifest, CHUNKS, DENSE, SPARSE};
use sparse::Sparse;

/// One line of `chunks.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChunkRecord {
    /// `<doc_id>#<n>`.
    pub id: String,
    pub doc_id: String,
    /// Heading texts, outermost first.
    pub heading_path: Vec<String>,
    /// Exactly the source bytes `start..end`.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The doc's intent, when known.
    #[serde(default)]
    pub intent: Option<String>,
}

impl ChunkRecord {
    /// A one-chunk article for tests; its intent is the folder of `doc`.
    #[cfg(test)]
    pub fn for_test(doc: &str, headings: &[&str], text: &str) -> ChunkRecord {
        ChunkRecord {
            id: format!("{doc}#0"),
            doc_id: doc.into(),
            heading_path: headings.iter().map(|h| h.to_string()).collect(),
            text: text.into(),
            start: 0,
            end: text.len(),
            intent: doc.split_once('/').map(|(f, _)| f.to_string()),
        }
    }

    /// What is embedded: the heading path, then the chunk.
    pub fn embed_text(&self) -> String {
        if self.heading_path.is_empty() {
            self.text.clone()
        } else {
            format!("{}\n\n{}", self.heading_path.join(" > "), self.text)
        }
    }
}

/// A retrieved chunk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Position in `Index::chunks`.
    pub chunk: usize,
    /// Blended cosine relevance.
    pub score: f32,
    pub dense: f32,
    pub lexical: f32,
    /// Blended cosine between the query and the chunk's article title.
    pub title: f32,
    /// What hits are ordered by: `score + title_weight * title`.
    pub rank: f32,
}

/// The articles' titles, embedded with the index's embedder on the first search that needs them.
struct Titles {
    /// Doc id → position in `dense` / the sparse index.
    by_doc: HashMap<String, usize>,
    dense: Vec<Vec<f32>>,
    sparse: Sparse,
}

pub struct Index {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub chunks: Vec<ChunkRecord>,
    embedder: Box<dyn Embedder>,
    dense: Option<Dense>,
    sparse: Option<Sparse>,
    /// Kept for incremental re-ingest.
    features: Vec<Features>,
    title_weight: f32,
    titles: OnceLock<Titles>,
    glossary: OnceLock<codes::CodeGlossary>,
}

/// The command that rebuilds the index at `dir` (for error messages).
pub fn rebuild_hint(dir: &Path, docs_dir: Option<&str>) -> String {
    format!(
        "supportbench ingest {} --index {}",
        docs_dir.unwrap_or("<DOCS_DIR>"),
        dir.display()
    )
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "index".into());
    dir.with_file_name(format!("{name}.{suffix}"))
}

/// Finish or undo a swap that an interrupted ingest left half done: the index folder is
/// renamed aside (`.old`) and the complete new one (`.new`) renamed in; if the process died in
/// between, the folder is missing and one of the two is put back.
pub fn recover_interrupted_swap(dir: &Path) -> Result<()> {
    if dir.exists() {
        return Ok(());
    }
    for candidate in [sibling(dir, "new"), sibling(dir, "old")] {
        if candidate.join(manifest::MANIFEST).is_file() {
            std::fs::rename(&candidate, dir).with_context(|| {
                format!("cannot restore the index from {}", candidate.display())
            })?;
            return Ok(());
        }
    }
    Ok(())
}

impl Index {
    /// Open and verify an index: manifest, checksums, embedder, then the files.
    pub fn open(dir: &Path) -> Result<Index> {
        Index::open_with(dir, true)
    }

    /// `searchable = false` skips building the lexical inverted index (enough to reuse the stored
    /// representations in a re-ingest).
    pub(crate) fn open_with(dir: &Path, searchable: bool) -> Result<Index> {
        recover_interrupted_swap(dir)?;
        let generic = rebuild_hint(dir, None);
        let manifest = Manifest::read(dir, &generic)?;
        let hint = rebuild_hint(dir, Some(&manifest.docs_dir));
        manifest.verify_files(dir, &hint)?;
        let info = &manifest.embedder;
        let opened = embed::for_index(&info.name, &info.id, info.lexical_weight);
        let embedder = opened.map_err(|e| {
            // A neural embedder fails for want of its model folder or of the cargo feature.
            if matches!(info.name.as_str(), "minilm" | "hybrid-neural") {
                return anyhow!("cannot open the index at {}: {e}", dir.display());
            }
            anyhow!(
                "{e}; the index at {} was built by another supportbench: rebuild it with `{hint}`",
                dir.display()
            )
        })?;
        if embedder.id() != info.id {
            bail!(
                "the index at {} was built with embedder {} but this supportbench's {} embedder is {}: rebuild it with `{hint}`",
                dir.display(),
                info.id,
                info.name,
                embedder.id()
            );
        }
        let chunks = read_chunks(&dir.join(CHUNKS), manifest.chunk_count)
            .map_err(|e| anyhow!("{e:#}: rebuild the index with `{hint}`"))?;
        let dense = if info.dense_dims > 0 {
            Some(
                Dense::load(&dir.join(DENSE), info.dense_dims, chunks.len())
                    .map_err(|e| anyhow!("{e:#}: rebuild the index with `{hint}`"))?,
            )
        } else {
            None
        };
        let (features, sparse) = if info.lexical_weight > 0.0 {
            let f = sparse::read(&dir.join(SPARSE), chunks.len())
                .map_err(|e| anyhow!("{e:#}: rebuild the index with `{hint}`"))?;
            let s = if searchable {
                Sparse::build(&f)
            } else {
                Sparse::build(&[])
            };
            (f, Some(s))
        } else {
            (Vec::new(), None)
        };
        Ok(Index {
            dir: dir.to_path_buf(),
            manifest,
            chunks,
            embedder,
            dense,
            sparse,
            features,
            title_weight: 0.0,
            titles: OnceLock::new(),
            glossary: OnceLock::new(),
        })
    }

    /// Rank candidates with their article title's similarity times `w` added (0 turns it off).
    /// Titles are embedded when first needed, so a remote embedder (a paid call on every run)
    /// ranks without them.
    pub fn with_title_weight(mut self, w: f32) -> Index {
        self.title_weight = if self.embedder.is_remote() { 0.0 } else { w };
        self
    }

    fn titles(&self) -> Result<&Titles> {
        if let Some(t) = self.titles.get() {
            return Ok(t);
        }
        let mut by_doc = HashMap::new();
        let mut texts = Vec::new();
        for (doc_id, entry) in &self.manifest.docs {
            by_doc.insert(doc_id.clone(), texts.len());
            texts.push(entry.title.clone());
        }
        let mut dense = Vec::with_capacity(texts.len());
        let mut features = Vec::with_capacity(texts.len());
        for e in self.embedder.embed_documents(&texts)? {
            dense.push(e.dense);
            features.push(e.sparse);
        }
        let titles = Titles {
            by_doc,
            dense,
            sparse: Sparse::build(&features),
        };
        Ok(self.titles.get_or_init(|| titles))
    }

    /// `query` followed by what the articles say about the error codes it quotes (see
    /// [`codes::CodeGlossary`]).
    pub fn expand_codes(&self, query: &str) -> String {
        self.glossary
            .get_or_init(|| codes::CodeGlossary::from_chunks(&self.chunks))
            .expand(query)
    }

    pub fn embedder(&self) -> &dyn Embedder {
        self.embedder.as_ref()
    }

    /// Refuse to query this index with another embedder than the one it was built with.
    pub fn require_embedder(&self, name: &str) -> Result<()> {
        if self.manifest.embedder.name != name {
            bail!(
                "the index at {} was built with the {} embedder, not {name}: rebuild it with `{} --embedder {name}` or drop --embedder",
                self.dir.display(),
                self.manifest.embedder.name,
                rebuild_hint(&self.dir, Some(&self.manifest.docs_dir))
            );
        }
        Ok(())
    }

    pub fn search(&self, query: &str, k: usize) -> Result<Vec<Hit>> {
        let q = self.embedder.embed_query(query)?;
        self.search_embedding(&q, k, self.manifest.embedder.lexical_weight)
    }

    /// Top `k` chunks for an embedded query, best first (ties by chunk order), blending with
    /// lexical weight `w` (0 for a dense-only index, 1 for a lexical-only one).
    pub fn search_embedding(&self, q: &Embedding, k: usize, w: f32) -> Result<Vec<Hit>> {
        let n = self.chunks.len();
        if n == 0 || k == 0 {
            return Ok(Vec::new());
        }
        let w = match (&self.dense, &self.sparse) {
            (Some(_), Some(_)) => w,
            (Some(_), None) => 0.0,
            _ => 1.0,
        };
        let pool = (k * 3).max(30).min(n);
        let mut dense_scores: HashMap<usize, f32> = HashMap::new();
        if let (Some(d), false) = (&self.dense, q.dense.is_empty()) {
            for (key, cos) in d.search(&q.dense, pool)? {
                dense_scores.insert(key as usize, cos);
            }
        }
        let lex = match &self.sparse {
            Some(s) => s.scores(&q.sparse),
            None => Vec::new(),
        };
        let mut candidates: Vec<usize> = dense_scores.keys().copied().collect();
        if !lex.is_empty() {
            let mut order: Vec<usize> = (0..n).filter(|&i| lex[i] > 0.0).collect();
            if order.len() > pool {
                order.select_nth_unstable_by(pool - 1, |a, b| lex[*b].total_cmp(&lex[*a]));
                order.truncate(pool);
            }
            candidates.extend(order.into_iter().filter(|i| !dense_scores.contains_key(i)));
        }
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .map(|c| {
                let dense = match (&self.dense, dense_scores.get(&c)) {
                    (_, Some(s)) => *s,
                    (Some(d), None) if w < 1.0 => d
                        .get(c as u64)
                        .map(|v| embed::dot(&v, &q.dense))
                        .unwrap_or(0.0),
                    _ => 0.0,
                };
                let lexical = lex.get(c).copied().unwrap_or(0.0);
                let score = (1.0 - w) * dense + w * lexical;
                Hit {
                    chunk: c,
                    score,
                    dense,
                    lexical,
                    title: 0.0,
                    rank: score,
                }
            })
            .collect();
        if self.title_weight > 0.0 && !hits.is_empty() {
            let t = self.titles()?;
            let title_lex = if w > 0.0 {
                t.sparse.scores(&q.sparse)
            } else {
                Vec::new()
            };
            for h in &mut hits {
                let Some(&i) = t.by_doc.get(&self.chunks[h.chunk].doc_id) else {
                    continue;
                };
                let dense = if w < 1.0 {
                    embed::dot(&t.dense[i], &q.dense)
                } else {
                    0.0
                };
                let lexical = title_lex.get(i).copied().unwrap_or(0.0);
                h.title = (1.0 - w) * dense + w * lexical;
                h.rank = h.score + self.title_weight * h.title;
            }
        }
        hits.sort_by(|a, b| b.rank.total_cmp(&a.rank).then(a.chunk.cmp(&b.chunk)));
        hits.truncate(k);
        Ok(hits)
    }

    /// The stored representation of chunk `i` (for reuse by a re-ingest).
    pub(crate) fn stored_embedding(&self, i: usize) -> Option<Embedding> {
        let dense = match &self.dense {
            Some(d) => d.get(i as u64)?,
            None => Vec::new(),
        };
        let sparse = if self.sparse.is_some() {
            self.features.get(i)?.clone()
        } else {
            Features::default()
        };
        Some(Embedding { dense, sparse })
    }
}

fn read_chunks(path: &Path, expected: usize) -> Result<Vec<ChunkRecord>> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::with_capacity(expected);
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: ChunkRecord = serde_json::from_str(&line)
            .with_context(|| format!("{} line {} is not a chunk record", path.display(), i + 1))?;
        out.push(rec);
    }
    if out.len() != expected {
        bail!(
            "{} holds {} chunks, the manifest says {expected}",
            path.display(),
            out.len()
        );
    }
    Ok(out)
}
