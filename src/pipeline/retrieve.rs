//! Stage 2: retrieval. The top-k chunks for the turn's query, at most one per article (the best
//! chunk of each of the k best articles), so the responder sees k different sources and recall@k
//! counts articles. A turn whose best relevance is under the threshold is a retrieval miss.

use anyhow::Result;

use crate::backend::Excerpt;
use crate::config::Config;
use crate::index::Index;
use crate::pipeline::trace::Retrieved;
use crate::text::hinglish;

#[derive(Debug, Clone, Default)]
pub struct Retrieval {
    pub retrieved: Vec<Retrieved>,
    /// Doc ids of `retrieved`, best first.
    pub docs: Vec<String>,
    pub top_relevance: Option<f64>,
    pub miss: bool,
    /// The retrieved chunks at or above the relevance threshold, for the responder.
    pub excerpts: Vec<Excerpt>,
}

/// Chunks fetched before keeping one per article.
const POOL_PER_K: usize = 6;

/// The text searched for `query`: its Hinglish words in English when `retrieval.hinglish` is on,
/// and with what the articles say about the error codes it quotes when `retrieval.expand_codes`
/// is.
pub fn search_text(index: &Index, config: &Config, query: &str) -> String {
    let query = hinglish::english(query, config.retrieval.hinglish);
    if config.retrieval.expand_codes {
        index.expand_codes(&query)
    } else {
        query.into_owned()
    }
}

pub fn retrieve(
    index: &Index,
    config: &Config,
    query: &str,
    intent: Option<&str>,
) -> Result<Retrieval> {
    let k = config.retrieval.k;
    let threshold = f64::from(config.retrieval.relevance_threshold);
    let query = search_text(index, config, query);
    let text = match (config.retrieval.prefix_intent, intent) {
        (true, Some(i)) => format!("{i}: {query}"),
        _ => query,
    };
    let hits = index.search(&text, k * POOL_PER_K)?;
    let mut out = Retrieval::default();
    for h in hits {
        let c = &index.chunks[h.chunk];
        if out.docs.contains(&c.doc_id) {
            continue;
        }
        let score = (f64::from(h.score) * 10_000.0).round() / 10_000.0;
        out.docs.push(c.doc_id.clone());
        out.retrieved.push(Retrieved {
            chunk_id: c.id.clone(),
            doc_id: c.doc_id.clone(),
            heading_path: c.heading_path.clone(),
            score,
        });
        if score >= threshold {
            out.excerpts.push(Excerpt {
                doc_id: c.doc_id.clone(),
                heading_path: c.heading_path.clone(),
                text: c.text.clone(),
                score,
                intent: c.intent.clone(),
            });
        }
        if out.docs.len() == k {
            break;
        }
    }
    out.top_relevance = out.retrieved.first().map(|r| r.score);
    out.miss = out.top_relevance.is_none_or(|t| t < threshold);
    Ok(out)
}
