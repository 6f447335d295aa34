//! `supportbench ingest`: build or refresh an index from a docs folder.

use anyhow::Result;

use crate::cli::IngestArgs;
use crate::config::Config;
use crate::docs::ChunkSettings;
use crate::embed;
use crate::error::Outcome;
use crate::index::build::{self, IngestOptions, IngestReport};
use crate::util::emit;

pub fn run(args: IngestArgs) -> Result<Outcome> {
    let config = Config::load(args.config.as_deref())?;
    let settings = chunk_settings(&config, args.chunk_size, args.chunk_overlap)?;
    let name = args
        .embedder
        .map(|e| e.as_str().to_string())
        .unwrap_or_else(|| config.retrieval.embedder.clone());
    let report = build::ingest(IngestOptions {
        docs_dir: &args.docs_dir,
        index_dir: &args.index,
        embedder: embed::from_config(&name, &config)?,
        settings,
        wall_of_text_chars: config.chunking.wall_of_text_chars,
        intents: config.intent_names(),
        progress: !args.json,
    })?;
    if args.json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
    } else {
        emit(&human_summary(&report))?;
    }
    Ok(Outcome::Passed)
}

/// Flags override the config; sizes are validated with the flag's name.
pub fn chunk_settings(
    config: &Config,
    size: Option<usize>,
    overlap: Option<usize>,
) -> Result<ChunkSettings> {
    let size_v = size.unwrap_or(config.chunking.size);
    let overlap_v = overlap.unwrap_or(config.chunking.overlap);
    if size_v < 50 {
        anyhow::bail!("--chunk-size {size_v} is too small: use at least 50 characters");
    }
    if overlap_v * 2 > size_v {
        anyhow::bail!("--chunk-overlap {overlap_v} must be at most half of --chunk-size {size_v}");
    }
    Ok(ChunkSettings {
        size: size_v,
        overlap: overlap_v,
    })
}

/// The summary people read after an ingest.
pub fn human_summary(r: &IngestReport) -> String {
    let mut s = format!(
        "ingested {} files into {}: {} chunks ({} embedded, {} reused), {} skipped, embedder {}, {:.2} s\n",
        r.files, r.index, r.chunks, r.embedded, r.reused, r.skipped, r.embedder, r.seconds
    );
    if r.warnings.is_empty() {
        s.push_str("doc lint: no warnings\n");
    } else {
        s.push_str(&format!(
            "doc lint: {} warning{}\n",
            r.warnings.len(),
            if r.warnings.len() == 1 { "" } else { "s" }
        ));
        let w_doc = r
            .warnings
            .iter()
            .map(|w| w.doc.chars().count())
            .max()
            .unwrap_or(0);
        let w_kind = r.warnings.iter().map(|w| w.kind.len()).max().unwrap_or(0);
        for w in &r.warnings {
            s.push_str(&format!(
                "  {:<w_doc$}  {:<w_kind$}  {}\n",
                w.doc, w.kind, w.message
            ));
        }
    }
    s
}
