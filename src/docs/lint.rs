//! Doc lint: the structure problems that make retrieval bad, named per article.
//!
//! - `empty`: no text after the front matter;
//! - `no_headings`: text but no H1–H3 heading, so chunks carry no context;
//! - `wall_of_text`: a section longer than the limit with no sub-heading;
//! - `duplicate_doc`: the same bytes as another article;
//! - `duplicate_chunk`: a chunk whose text (whitespace and case folded) appears in another article;
//! - `front_matter`: a front matter block that is not valid YAML.
//!
//! `not_utf8` and `unreadable` come from loading (the file is skipped).

use std::collections::HashMap;

use super::{Document, Section, SpanChunk, Warning};

/// One document as chunked, for linting.
pub struct Laid<'a> {
    pub doc: &'a Document,
    pub sections: &'a [Section],
    pub chunks: &'a [SpanChunk],
}

pub fn lint(docs: &[Laid<'_>], wall_of_text_chars: usize) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut by_hash: HashMap<&str, &str> = HashMap::new();
    let mut by_chunk: HashMap<String, (&str, usize)> = HashMap::new();
    for laid in docs {
        let doc = laid.doc;
        let id = doc.doc_id.as_str();
        if let Some(e) = &doc.front.error {
            out.push(Warning::new(
                id,
                "front_matter",
                format!("front matter is not valid YAML ({e}); it was skipped"),
            ));
        }
        let body = &doc.source[doc.front.body_start..];
        if body.trim().is_empty() {
            out.push(Warning::new(
                id,
                "empty",
                "no text after the front matter; write the article or remove the file",
            ));
            continue;
        }
        if let Some(first) = by_hash.get(doc.hash.as_str()) {
            out.push(Warning::new(
                id,
                "duplicate_doc",
                format!("same content as {first}; keep one of them"),
            ));
        } else {
            by_hash.insert(&doc.hash, id);
        }
        if !laid.sections.iter().any(|s| s.from_heading) {
            out.push(Warning::new(
                id,
                "no_headings",
                "no headings: add a # title and ## sections so chunks carry context",
            ));
        }
        for s in laid.sections {
            let text = doc.source[s.body.clone()].trim();
            let chars = text.chars().count();
            if chars > wall_of_text_chars && !s.has_subheading {
                let place = if s.heading_path.is_empty() {
                    "the text".to_string()
                } else {
                    format!("section \"{}\"", s.heading_path.join(" > "))
                };
                out.push(Warning::new(
                    id,
                    "wall_of_text",
                    format!("{place} is {chars} characters with no sub-heading; split it into ## or ### sections"),
                ));
            }
        }
        for (n, c) in laid.chunks.iter().enumerate() {
            let key = fold(&doc.source[c.start..c.end]);
            if key.chars().count() < 40 {
                continue; // short boilerplate lines ("See also", "Steps:") are not worth a warning
            }
            match by_chunk.get(&key) {
                Some((other, _)) if *other != id => {
                    out.push(Warning::new(
                        id,
                        "duplicate_chunk",
                        format!("chunk {n} repeats text from {other}; keep it in one article"),
                    ));
                }
                Some(_) => {}
                None => {
                    by_chunk.insert(key, (id, n));
                }
            }
        }
    }
    out
}

fn fold(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{chunker, frontmatter, ChunkSettings, Chunker};

    fn run(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let docs: Vec<Document> = files
            .iter()
            .map(|(id, src)| {
                Document::new(
                    id.to_string(),
                    src.to_string(),
                    crate::docs::sha256_hex(src.as_bytes()),
                    &[],
                )
            })
            .collect();
        let chunker = Chunker::new(ChunkSettings::default());
        let laid: Vec<(Vec<Section>, Vec<SpanChunk>)> = docs
            .iter()
            .map(|d| {
                let fm = frontmatter::parse(&d.source);
                let secs = chunker::sections(&d.source, fm.body_start, fm.title.as_deref());
                let chunks = chunker.chunk(&d.source, &secs);
                (secs, chunks)
            })
            .collect();
        let input: Vec<Laid> = docs
            .iter()
            .zip(&laid)
            .map(|(doc, (s, c))| Laid {
                doc,
                sections: s,
                chunks: c,
            })
            .collect();
        lint(&input, 1500)
            .into_iter()
            .map(|w| (w.doc, w.kind))
            .collect()
    }

    #[test]
    fn flags_each_problem_once() {
        let wall = format!(
            "# Everything\n\n{}",
            "All the facts run together here. ".repeat(60)
        );
        let dup =
            "# A\n\n## S\n\nThe refund window for annual plans is fourteen days from purchase.\n";
        let got = run(&[
            ("empty.md", "---\ntitle: x\n---\n\n"),
            ("flat.md", "just text with no heading at all"),
            ("wall.md", &wall),
            ("a.md", dup),
            ("b.md", dup),
            ("c.md", "# C\n\n## Other\n\nThe refund window for annual plans is fourteen days from purchase.\n"),
            ("good.md", "# Good\n\n## Part\n\nshort and structured\n"),
        ]);
        let has = |d: &str, k: &str| got.iter().any(|(a, b)| a == d && b == k);
        assert!(has("empty.md", "empty"));
        assert!(has("flat.md", "no_headings"));
        assert!(has("wall.md", "wall_of_text"));
        assert!(has("b.md", "duplicate_doc"));
        assert!(has("c.md", "duplicate_chunk"));
        assert!(!got.iter().any(|(d, _)| d == "good.md"), "{got:?}");
        assert!(!got
            .iter()
            .any(|(d, k)| d == "a.md" && k.starts_with("duplicate")));
    }
}
