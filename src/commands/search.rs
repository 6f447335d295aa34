//! `supportbench search`: the chunks a query retrieves, as a table or JSON.

use anyhow::{bail, Result};
use serde::Serialize;

use crate::cli::SearchArgs;
use crate::error::Outcome;
use crate::index::Index;
use crate::util::{emit, one_line, truncate_chars};

#[derive(Debug, Serialize)]
pub struct SearchResult {
    pub doc_id: String,
    pub heading_path: Vec<String>,
    /// The chunk's relevance (blended cosine).
    pub score: f32,
    /// Its article title's similarity to the query; results are ordered by
    /// `score + retrieval.title_weight * title`.
    pub title: f32,
    pub text: String,
    pub chunk_id: String,
}

pub fn run(args: SearchArgs) -> Result<Outcome> {
    if args.query.trim().is_empty() {
        bail!("the query is empty: pass the text to search for, e.g. supportbench search \"refund for annual plan\"");
    }
    if args.k == 0 {
        bail!("-k 0 returns nothing: use -k 1 or more");
    }
    let config = crate::config::Config::load(args.config.as_deref())?;
    let index = Index::open(&args.index)?.with_title_weight(config.retrieval.title_weight);
    // The query eval's retrieval stage would run.
    let query = crate::pipeline::retrieve::search_text(&index, &config, &args.query);
    let results: Vec<SearchResult> = index
        .search(&query, args.k)?
        .into_iter()
        .map(|h| {
            let c = &index.chunks[h.chunk];
            let round = |x: f32| (x * 10_000.0).round() / 10_000.0;
            SearchResult {
                doc_id: c.doc_id.clone(),
                heading_path: c.heading_path.clone(),
                score: round(h.score),
                title: round(h.title),
                text: c.text.clone(),
                chunk_id: c.id.clone(),
            }
        })
        .collect();
    if args.json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&results)?))?;
    } else {
        emit(&table(&results))?;
    }
    Ok(Outcome::Passed)
}

pub fn table(results: &[SearchResult]) -> String {
    if results.is_empty() {
        return "no chunks matched\n".into();
    }
    let doc_w = results
        .iter()
        .map(|r| r.doc_id.chars().count())
        .max()
        .unwrap_or(3)
        .clamp(3, 40);
    let sec_w = results
        .iter()
        .map(|r| r.heading_path.join(" > ").chars().count())
        .max()
        .unwrap_or(7)
        .clamp(7, 40);
    let mut s = format!(
        "{:>2}  {:>5}  {:>5}  {:<doc_w$}  {:<sec_w$}  text\n",
        "#", "score", "title", "doc", "section"
    );
    for (i, r) in results.iter().enumerate() {
        s.push_str(&format!(
            "{:>2}  {:>5.3}  {:>5.3}  {:<doc_w$}  {:<sec_w$}  {}\n",
            i + 1,
            r.score,
            r.title,
            truncate_chars(&r.doc_id, doc_w),
            truncate_chars(&r.heading_path.join(" > "), sec_w),
            truncate_chars(&one_line(&r.text), 70)
        ));
    }
    s
}
