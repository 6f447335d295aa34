//! Building an index from a docs folder: chunk, lint, reuse what an unchanged doc already had,
//! embed the rest, write everything into `<index>.new`, then swap it in. The previous index stays
//! usable until the swap, and `recover_interrupted_swap` repairs a swap cut in half.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use super::dense::Dense;
use super::manifest::{
    self, ChunkingInfo, DocEntry, EmbedderInfo, FileEntry, Manifest, CHUNKS, DENSE, SPARSE,
};
use super::{sibling, sparse, ChunkRecord, Index};
use crate::docs::{
    self, chunker, lint, ChunkSettings, Chunker, Document, Section, SpanChunk, Warning,
};
use crate::embed::{Embedder, Embedding, Features};

pub struct IngestOptions<'a> {
    pub docs_dir: &'a Path,
    pub index_dir: &'a Path,
    pub embedder: Box<dyn Embedder>,
    pub settings: ChunkSettings,
    pub wall_of_text_chars: usize,
    pub intents: Vec<String>,
    /// Draw a progress bar (only when stderr is a terminal).
    pub progress: bool,
}

/// What `ingest --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    pub files: usize,
    pub chunks: usize,
    pub embedded: usize,
    pub reused: usize,
    pub skipped: usize,
    pub warnings: Vec<Warning>,
    pub index: String,
    pub embedder: String,
    pub seconds: f64,
}

struct Laid {
    doc: Document,
    sections: Vec<Section>,
    spans: Vec<SpanChunk>,
}

pub fn ingest(opts: IngestOptions<'_>) -> Result<IngestReport> {
    let started = Instant::now();
    let (documents, mut warnings) = docs::load_dir(opts.docs_dir, &opts.intents)?;
    let skipped = warnings.len();
    check_target(opts.index_dir)?;

    let chunker = Chunker::new(opts.settings);
    let laid: Vec<Laid> = documents
        .into_par_iter()
        .map(|doc| {
            let sections = chunker::sections(
                &doc.source,
                doc.front.body_start,
                doc.front.title.as_deref(),
            );
            let spans = chunker.chunk(&doc.source, &sections);
            Laid {
                doc,
                sections,
                spans,
            }
        })
        .collect();
    let lint_input: Vec<lint::Laid> = laid
        .iter()
        .map(|l| lint::Laid {
            doc: &l.doc,
            sections: &l.sections,
            chunks: &l.spans,
        })
        .collect();
    warnings.extend(lint::lint(&lint_input, opts.wall_of_text_chars));

    let previous = previous_index(
        opts.index_dir,
        opts.embedder.as_ref(),
        opts.settings,
        &mut warnings,
    );

    // Chunk records in order, each with its stored embedding when reused.
    let mut records: Vec<ChunkRecord> = Vec::new();
    let mut embeddings: Vec<Option<Embedding>> = Vec::new();
    let mut doc_entries: BTreeMap<String, DocEntry> = BTreeMap::new();
    let mut reused = 0;
    for l in &laid {
        let first_chunk = records.len();
        let old = previous.as_ref().and_then(|p| {
            p.manifest
                .docs
                .get(&l.doc.doc_id)
                .filter(|e| e.hash == l.doc.hash)
                .map(|e| (p, e))
        });
        let reusable = old.and_then(|(p, e)| {
            let embs: Option<Vec<Embedding>> = (e.first_chunk..e.first_chunk + e.chunks)
                .map(|i| p.stored_embedding(i))
                .collect();
            embs.map(|embs| {
                (
                    p.chunks[e.first_chunk..e.first_chunk + e.chunks].to_vec(),
                    embs,
                )
            })
        });
        match reusable {
            Some((old_records, embs)) => {
                reused += old_records.len();
                for mut r in old_records {
                    r.intent = l.doc.intent.clone();
                    records.push(r);
                }
                embeddings.extend(embs.into_iter().map(Some));
            }
            None => {
                for (n, s) in l.spans.iter().enumerate() {
                    records.push(ChunkRecord {
                        id: format!("{}#{n}", l.doc.doc_id),
                        doc_id: l.doc.doc_id.clone(),
                        heading_path: s.heading_path.clone(),
                        text: l.doc.source[s.start..s.end].to_string(),
                        start: s.start,
                        end: s.end,
                        intent: l.doc.intent.clone(),
                    });
                    embeddings.push(None);
                }
            }
        }
        doc_entries.insert(
            l.doc.doc_id.clone(),
            DocEntry {
                hash: l.doc.hash.clone(),
                title: l.doc.title(&l.sections),
                intent: l.doc.intent.clone(),
                first_chunk,
                chunks: records.len() - first_chunk,
            },
        );
    }
    // Nothing changed (same docs, same bytes, same settings): the index on disk is already this one.
    let unchanged = previous.as_ref().is_some_and(|p| {
        p.manifest.docs == doc_entries && p.manifest.docs_dir == opts.docs_dir.display().to_string()
    }) && reused == records.len();
    drop(previous);
    if unchanged {
        warnings.sort();
        return Ok(IngestReport {
            files: laid.len(),
            chunks: records.len(),
            embedded: 0,
            reused,
            skipped,
            warnings,
            index: opts.index_dir.display().to_string(),
            embedder: opts.embedder.id(),
            seconds: started.elapsed().as_secs_f64(),
        });
    }

    let pending: Vec<usize> = (0..records.len())
        .filter(|&i| embeddings[i].is_none())
        .collect();
    let bar = progress_bar(opts.progress, pending.len() as u64);
    for batch in pending.chunks(512) {
        let texts: Vec<String> = batch.iter().map(|&i| records[i].embed_text()).collect();
        let embs = opts.embedder.embed_documents(&texts)?;
        for (&i, e) in batch.iter().zip(embs) {
            embeddings[i] = Some(e);
        }
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    let embeddings: Vec<Embedding> = embeddings
        .into_iter()
        .map(|e| e.unwrap_or_default())
        .collect();

    let manifest = Manifest {
        format_version: manifest::FORMAT_VERSION,
        written_by: format!("supportbench {}", env!("CARGO_PKG_VERSION")),
        embedder: EmbedderInfo {
            name: opts.embedder.name().to_string(),
            id: opts.embedder.id(),
            dense_dims: opts.embedder.dense_dims(),
            lexical_weight: opts.embedder.lexical_weight(),
        },
        chunking: ChunkingInfo {
            size: opts.settings.size,
            overlap: opts.settings.overlap,
            method: manifest::CHUNK_METHOD.into(),
        },
        docs_dir: opts.docs_dir.display().to_string(),
        docs: doc_entries,
        files: BTreeMap::new(),
        chunk_count: records.len(),
    };
    write_and_swap(opts.index_dir, manifest, &records, &embeddings)?;

    warnings.sort();
    Ok(IngestReport {
        files: laid.len(),
        chunks: records.len(),
        embedded: pending.len(),
        reused,
        skipped,
        warnings,
        index: opts.index_dir.display().to_string(),
        embedder: opts.embedder.id(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Refuse to write over a folder that is not an index (a typo in --index must not delete data).
fn check_target(dir: &Path) -> Result<()> {
    super::recover_interrupted_swap(dir)?;
    if dir.exists() {
        if !dir.is_dir() {
            bail!(
                "--index {} is a file, not a folder: choose another --index",
                dir.display()
            );
        }
        // The index is complete: what an interrupted ingest left beside it is garbage.
        if dir.join(manifest::MANIFEST).is_file() {
            for leftover in [sibling(dir, "new"), sibling(dir, "old")] {
                if leftover.exists() {
                    std::fs::remove_dir_all(&leftover).with_context(|| {
                        format!("cannot remove the leftover {}", leftover.display())
                    })?;
                }
            }
        }
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !dir.join(manifest::MANIFEST).exists() {
            bail!(
                "--index {} exists and is not a supportbench index (no {}): choose another --index or remove the folder",
                dir.display(),
                manifest::MANIFEST
            );
        }
    }
    Ok(())
}

/// The previous index when its embeddings can be reused; otherwise None (with a warning when it
/// exists but is unusable).
fn previous_index(
    dir: &Path,
    embedder: &dyn Embedder,
    settings: ChunkSettings,
    warnings: &mut Vec<Warning>,
) -> Option<Index> {
    if !dir.join(manifest::MANIFEST).exists() {
        return None;
    }
    match Index::open_with(dir, false) {
        Ok(ix) => {
            let m = &ix.manifest;
            let same = m.embedder.id == embedder.id()
                && m.chunking.size == settings.size
                && m.chunking.overlap == settings.overlap
                && m.chunking.method == manifest::CHUNK_METHOD;
            same.then_some(ix)
        }
        Err(e) => {
            warnings.push(Warning::new(
                &dir.display().to_string(),
                "index_rebuilt",
                format!(
                    "the previous index was unusable ({}); rebuilt from scratch",
                    crate::error::render(&e)
                ),
            ));
            None
        }
    }
}

fn progress_bar(enabled: bool, len: u64) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() || len < 64 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("embedding {bar:30} {pos}/{len} chunks ({per_sec}, eta {eta})")
    {
        bar.set_style(style);
    }
    bar
}

fn write_and_swap(
    dir: &Path,
    mut manifest: Manifest,
    records: &[ChunkRecord],
    embeddings: &[Embedding],
) -> Result<()> {
    let new_dir = sibling(dir, "new");
    let old_dir = sibling(dir, "old");
    if new_dir.exists() {
        std::fs::remove_dir_all(&new_dir)
            .with_context(|| format!("cannot remove the leftover {}", new_dir.display()))?;
    }
    std::fs::create_dir_all(&new_dir)
        .with_context(|| format!("cannot create {}", new_dir.display()))?;
    let result = (|| -> Result<()> {
        let mut files: Vec<&str> = vec![CHUNKS];
        write_chunks(&new_dir.join(CHUNKS), records)?;
        if manifest.embedder.dense_dims > 0 {
            let dense = Dense::new(manifest.embedder.dense_dims, records.len())?;
            // One thread, in chunk order: the HNSW graph then depends on the content alone, so
            // a rebuilt index answers every query exactly as before (added from rayon's threads
            // the graph differed per build, and so did the odd approximate neighbour list).
            for (i, e) in embeddings.iter().enumerate() {
                dense.add(i as u64, &e.dense)?;
            }
            dense.save(&new_dir.join(DENSE))?;
            files.push(DENSE);
        }
        if manifest.embedder.lexical_weight > 0.0 {
            let features: Vec<Features> = embeddings.iter().map(|e| e.sparse.clone()).collect();
            sparse::write(&new_dir.join(SPARSE), &features)?;
            files.push(SPARSE);
        }
        for name in files {
            let bytes = std::fs::read(new_dir.join(name))
                .with_context(|| format!("cannot read back {name}"))?;
            manifest.files.insert(
                name.to_string(),
                FileEntry {
                    sha256: docs::sha256_hex(&bytes),
                    bytes: bytes.len() as u64,
                },
            );
        }
        manifest.write(&new_dir)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&new_dir);
        return Err(e);
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    if old_dir.exists() {
        std::fs::remove_dir_all(&old_dir)
            .with_context(|| format!("cannot remove the leftover {}", old_dir.display()))?;
    }
    if dir.exists() {
        std::fs::rename(dir, &old_dir)
            .with_context(|| format!("cannot move the previous index {} aside", dir.display()))?;
    }
    std::fs::rename(&new_dir, dir)
        .with_context(|| format!("cannot move the new index into {}", dir.display()))?;
    if old_dir.exists() {
        let _ = std::fs::remove_dir_all(&old_dir);
    }
    Ok(())
}

fn write_chunks(path: &PathBuf, records: &[ChunkRecord]) -> Result<()> {
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    for r in records {
        serde_json::to_writer(&mut w, r)?;
        w.write_all(b"\n")?;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}
