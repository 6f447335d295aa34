//! `manifest.json`: what an index holds and how it was built. It is written last, so a folder
//! with a manifest is complete; every other file's checksum is in it and is checked before the
//! file is loaded (usearch segfaults on a corrupted graph instead of erroring).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

pub const FORMAT_VERSION: u32 = 2;
pub const MANIFEST: &str = "manifest.json";
pub const CHUNKS: &str = "chunks.jsonl";
pub const DENSE: &str = "dense.usearch";
pub const SPARSE: &str = "lexical.bin";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format_version: u32,
    /// supportbench version that wrote the index.
    pub written_by: String,
    pub embedder: EmbedderInfo,
    pub chunking: ChunkingInfo,
    /// The docs folder as given to `ingest` (used in messages that say how to rebuild).
    pub docs_dir: String,
    /// Per doc id: content hash and where its chunks are.
    pub docs: BTreeMap<String, DocEntry>,
    /// Per index file: sha256 and size.
    pub files: BTreeMap<String, FileEntry>,
    pub chunk_count: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EmbedderInfo {
    pub name: String,
    pub id: String,
    pub dense_dims: usize,
    pub lexical_weight: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChunkingInfo {
    pub size: usize,
    pub overlap: usize,
    pub method: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocEntry {
    pub hash: String,
    pub title: String,
    pub intent: Option<String>,
    /// Index of the doc's first chunk in chunks.jsonl.
    pub first_chunk: usize,
    pub chunks: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    pub sha256: String,
    pub bytes: u64,
}

/// How chunks are cut; changing the algorithm changes this, which invalidates reuse.
pub const CHUNK_METHOD: &str =
    "h1-h3 sections + text-splitter 0.33 markdown + word-boundary overlap, v1";

impl Manifest {
    /// Read `dir/manifest.json`; `rebuild` is the command that fixes a bad index.
    pub fn read(dir: &Path, rebuild: &str) -> Result<Manifest> {
        let path = dir.join(MANIFEST);
        if !path.is_file() {
            if !dir.exists() {
                bail!("no index at {}: build one with `{rebuild}`", dir.display());
            }
            bail!(
                "{} has no {MANIFEST}, so it is not a complete index: rebuild it with `{rebuild}`",
                dir.display()
            );
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "{} is corrupted ({e}): rebuild the index with `{rebuild}`",
                path.display()
            )
        })?;
        if m.format_version != FORMAT_VERSION {
            bail!(
                "{} has index format {} but this supportbench reads format {FORMAT_VERSION}: rebuild it with `{rebuild}`",
                dir.display(),
                m.format_version
            );
        }
        Ok(m)
    }

    /// Check every index file's size and sha256 against the manifest.
    pub fn verify_files(&self, dir: &Path, rebuild: &str) -> Result<()> {
        for (name, entry) in &self.files {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).map_err(|e| {
                anyhow::anyhow!("index file {} is missing or unreadable ({e}): rebuild the index with `{rebuild}`", path.display())
            })?;
            if bytes.len() as u64 != entry.bytes || crate::docs::sha256_hex(&bytes) != entry.sha256
            {
                bail!(
                    "index file {} is corrupted (checksum mismatch with {MANIFEST}): rebuild the index with `{rebuild}`",
                    path.display()
                );
            }
        }
        Ok(())
    }

    pub fn write(&self, dir: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self)?;
        crate::util::write_atomic(&dir.join(MANIFEST), json.as_bytes())
    }
}
