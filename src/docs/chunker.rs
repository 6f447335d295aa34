//! Heading-aware chunking.
//!
//! text-splitter alone neither keeps heading context nor overlaps reliably (see
//! ../shared/reference/crates.md), so an article is first cut into sections at its H1–H3
//! headings (pulldown-cmark's offsets; a `#` line inside a code fence is not a heading, setext
//! headings are), each section body is split with `MarkdownSplitter` to `size - overlap`
//! characters, and each chunk after the first of a section is then extended backwards by up to
//! `overlap` characters, starting at a word boundary. No chunk crosses a section boundary, no
//! chunk is a bare heading, and every chunk is an exact byte span of the source file.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use text_splitter::{ChunkConfig, MarkdownSplitter};

/// Chunk size and overlap, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkSettings {
    pub size: usize,
    pub overlap: usize,
}

impl Default for ChunkSettings {
    fn default() -> Self {
        ChunkSettings {
            size: 500,
            overlap: 50,
        }
    }
}

/// A section: the text under one H1–H3 heading, up to the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Heading texts, outermost first (empty for text before the first heading).
    pub heading_path: Vec<String>,
    /// Byte range of the body in the source (after the heading line).
    pub body: Range<usize>,
    /// The body holds an H4–H6 heading.
    pub has_subheading: bool,
    /// The section starts at a real H1–H3 heading (false for text before the first heading).
    pub from_heading: bool,
}

/// A chunk before it gets its document's id: a byte span and its heading path.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanChunk {
    pub heading_path: Vec<String>,
    pub start: usize,
    pub end: usize,
}

/// The H1–H3 sections of `src[body_start..]`, with byte ranges in `src`. Text before the first
/// heading is a section with an empty heading path (or `[title]` when a title is given).
pub fn sections(src: &str, body_start: usize, title: Option<&str>) -> Vec<Section> {
    struct Heading {
        level: u8,
        text: String,
        range: Range<usize>,
    }
    let body = &src[body_start..];
    let mut headings: Vec<Heading> = Vec::new();
    let mut current: Option<Heading> = None;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some(Heading {
                    level: heading_level(level),
                    text: String::new(),
                    range: body_start + range.start..body_start + range.end,
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = current.as_mut() {
                    h.text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut h) = current.take() {
                    h.text = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    headings.push(h);
                }
            }
            _ => {}
        }
    }

    let mut out = Vec::new();
    let main: Vec<&Heading> = headings.iter().filter(|h| h.level <= 3).collect();
    let sub_in = |r: &Range<usize>| {
        headings
            .iter()
            .any(|h| h.level > 3 && h.range.start >= r.start && h.range.start < r.end)
    };
    let first = main.first().map(|h| h.range.start).unwrap_or(src.len());
    if first > body_start {
        let body = body_start..first;
        out.push(Section {
            heading_path: title.map(|t| vec![t.to_string()]).unwrap_or_default(),
            has_subheading: sub_in(&body),
            from_heading: false,
            body,
        });
    }
    let mut stack: Vec<(u8, String)> = Vec::new();
    for (i, h) in main.iter().enumerate() {
        while stack.last().is_some_and(|(l, _)| *l >= h.level) {
            stack.pop();
        }
        stack.push((h.level, h.text.clone()));
        let end = main.get(i + 1).map(|n| n.range.start).unwrap_or(src.len());
        let body = h.range.end.min(end)..end;
        out.push(Section {
            heading_path: stack
                .iter()
                .map(|(_, t)| t.clone())
                .filter(|t| !t.is_empty())
                .collect(),
            has_subheading: sub_in(&body),
            from_heading: true,
            body,
        });
    }
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Reusable splitter: building `MarkdownSplitter` once per document set, not per section.
pub struct Chunker {
    settings: ChunkSettings,
    splitter: MarkdownSplitter<text_splitter::Characters>,
}

impl Chunker {
    pub fn new(settings: ChunkSettings) -> Chunker {
        let capacity = if settings.overlap > 0 && settings.size > 2 * settings.overlap {
            settings.size - settings.overlap
        } else {
            settings.size
        };
        Chunker {
            settings,
            splitter: MarkdownSplitter::new(ChunkConfig::new(capacity.max(1)).with_trim(true)),
        }
    }

    /// Chunk every section of a document.
    pub fn chunk(&self, src: &str, sections: &[Section]) -> Vec<SpanChunk> {
        let mut out = Vec::new();
        for s in sections {
            self.chunk_section(src, s, &mut out);
        }
        out
    }

    fn chunk_section(&self, src: &str, section: &Section, out: &mut Vec<SpanChunk>) {
        let base = section.body.start;
        let body = &src[section.body.clone()];
        let mut pending_heading: Option<usize> = None; // start of a bare-heading chunk to merge forward
        let mut prev: Option<(usize, usize)> = None;
        for (offset, text) in self.splitter.chunk_indices(body) {
            if text.trim().is_empty() {
                continue;
            }
            let start = base + offset;
            let end = start + text.len();
            if is_bare_heading(text) {
                pending_heading.get_or_insert(start);
                continue;
            }
            // A fragment (the splitter sometimes cuts a few characters off at capacity) is
            // folded into the previous chunk of the section when the result still fits.
            if let (Some(last), Some((_, prev_end))) = (out.last_mut(), prev) {
                let fragment = text.chars().count() < self.settings.overlap.max(20);
                if fragment
                    && last.end == prev_end
                    && src[last.start..end].chars().count() <= self.settings.size
                {
                    last.end = end;
                    prev = Some((last.start, end));
                    continue;
                }
            }
            let mut chunk_start = start;
            if let Some(h) = pending_heading.take() {
                if src[h..end].chars().count() <= self.settings.size {
                    chunk_start = h;
                }
            } else if let Some((prev_start, _)) = prev {
                chunk_start = self.overlap_start(src, section.body.start, prev_start, start, end);
            }
            prev = Some((chunk_start, end));
            out.push(SpanChunk {
                heading_path: section.heading_path.clone(),
                start: chunk_start,
                end,
            });
        }
    }

    /// The earliest word start at most `overlap` characters before `start`, not before the
    /// previous chunk's start, that keeps the chunk within `size` characters; else `start`.
    fn overlap_start(
        &self,
        src: &str,
        floor: usize,
        prev_start: usize,
        start: usize,
        end: usize,
    ) -> usize {
        if self.settings.overlap == 0 {
            return start;
        }
        let own = src[start..end].chars().count();
        let budget = self
            .settings
            .overlap
            .min(self.settings.size.saturating_sub(own));
        let lower = prev_start.max(floor);
        let mut best = start;
        let mut taken = 0;
        for (i, c) in src[lower..start].char_indices().rev() {
            taken += 1;
            if taken > budget {
                break;
            }
            let pos = lower + i;
            let before_is_space = src[..pos]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace);
            if !c.is_whitespace() && (before_is_space || pos == floor) {
                best = pos;
            }
        }
        best
    }
}

/// A chunk made only of heading lines (ATX `#…` or a setext underline).
fn is_bare_heading(text: &str) -> bool {
    let mut any = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let atx = line.starts_with('#') && {
            let hashes = line.chars().take_while(|&c| c == '#').count();
            hashes <= 6
                && line[hashes..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        };
        let setext = line.chars().all(|c| c == '=') || line.chars().all(|c| c == '-');
        if !(atx || setext) {
            return false;
        }
        any = true;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(src: &str, size: usize, overlap: usize) -> Vec<(Vec<String>, String)> {
        let secs = sections(src, 0, None);
        Chunker::new(ChunkSettings { size, overlap })
            .chunk(src, &secs)
            .into_iter()
            .map(|c| (c.heading_path, src[c.start..c.end].to_string()))
            .collect()
    }

    fn words(n: usize) -> String {
        (0..n)
            .map(|i| format!("word{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn heading_paths_nest_and_reset() {
        let src = "# A\n\nintro\n\n## B\n\nbee\n\n### C\n\nsee\n\n## D\n\ndee\n";
        let got = chunk(src, 500, 50);
        let paths: Vec<String> = got.iter().map(|(p, _)| p.join(" > ")).collect();
        assert_eq!(paths, vec!["A", "A > B", "A > B > C", "A > D"]);
        assert_eq!(got[3].1, "dee");
    }

    #[test]
    fn hash_lines_in_code_fences_are_not_headings() {
        let src =
            "# Install\n\nRun this:\n\n```sh\n# not a heading\ncurl x\n```\n\n## Next\n\nmore\n";
        let secs = sections(src, 0, None);
        assert_eq!(secs.len(), 2);
        let got = chunk(src, 500, 50);
        assert!(got[0].1.contains("# not a heading"));
        assert_eq!(got[0].0, vec!["Install"]);
    }

    #[test]
    fn setext_headings_are_sections() {
        let src = "Title\n=====\n\nbody one\n\nSub\n---\n\nbody two\n";
        let got = chunk(src, 500, 50);
        assert_eq!(
            got,
            vec![
                (vec!["Title".to_string()], "body one".to_string()),
                (
                    vec!["Title".to_string(), "Sub".to_string()],
                    "body two".to_string()
                ),
            ]
        );
    }

    #[test]
    fn no_headings_is_one_section_with_empty_path() {
        let got = chunk("just some text\n\nand more", 500, 50);
        assert_eq!(got.len(), 1);
        assert!(got[0].0.is_empty());
    }

    #[test]
    fn title_names_the_preamble() {
        let secs = sections("text before any heading", 0, Some("My title"));
        assert_eq!(secs[0].heading_path, vec!["My title"]);
    }

    #[test]
    fn chunks_respect_size_and_overlap_at_word_boundaries() {
        let src = format!("# T\n\n{}\n", words(400));
        let secs = sections(&src, 0, None);
        let chunks = Chunker::new(ChunkSettings {
            size: 500,
            overlap: 50,
        })
        .chunk(&src, &secs);
        assert!(chunks.len() > 3);
        for c in &chunks {
            assert!(src[c.start..c.end].chars().count() <= 500);
            assert!(
                src[c.start..c.start + 4] == *"word",
                "chunk starts mid-word: {:?}",
                &src[c.start..c.end]
            );
        }
        for w in chunks.windows(2) {
            assert!(
                w[1].start < w[0].end,
                "no overlap between consecutive chunks"
            );
            let shared = src[w[1].start..w[0].end].chars().count();
            assert!(shared <= 50, "overlap {shared} > 50");
        }
    }

    #[test]
    fn overlap_never_crosses_a_heading() {
        let src = format!("# A\n\n{}\n\n# B\n\n{}\n", words(30), words(30));
        let secs = sections(&src, 0, None);
        let chunks = Chunker::new(ChunkSettings {
            size: 500,
            overlap: 50,
        })
        .chunk(&src, &secs);
        let b = chunks.iter().find(|c| c.heading_path == vec!["B"]).unwrap();
        assert!(b.start > src.find("# B").unwrap());
    }

    #[test]
    fn one_huge_paragraph_without_spaces() {
        let src = format!("# T\n\n{}\n", "x".repeat(5000));
        let got = chunk(&src, 500, 50);
        assert_eq!(
            got.iter().map(|(_, t)| t.len()).sum::<usize>(),
            5000,
            "no overlap without word boundaries"
        );
        assert!(got.iter().all(|(_, t)| t.chars().count() <= 500));
    }

    #[test]
    fn crlf_line_endings() {
        let src = "# Title\r\n\r\nline one\r\nline two\r\n\r\n## Sub\r\n\r\nbody\r\n";
        let got = chunk(src, 500, 50);
        assert_eq!(
            got[0],
            (
                vec!["Title".to_string()],
                "line one\r\nline two".to_string()
            )
        );
        assert_eq!(got[1].0, vec!["Title", "Sub"]);
    }

    #[test]
    fn non_ascii_and_emoji_count_as_characters() {
        let para = "प्रीमियम योजना ₹499 🎉 ".repeat(60);
        let src = format!("# Préçis 💸\n\n{para}\n");
        let secs = sections(&src, 0, None);
        let chunks = Chunker::new(ChunkSettings {
            size: 200,
            overlap: 20,
        })
        .chunk(&src, &secs);
        assert_eq!(secs[0].heading_path, vec!["Préçis 💸"]);
        for c in &chunks {
            assert!(src.is_char_boundary(c.start) && src.is_char_boundary(c.end));
            assert!(src[c.start..c.end].chars().count() <= 200);
        }
    }

    #[test]
    fn front_matter_only_has_no_chunks() {
        let src = "---\ntitle: x\n---\n";
        let fm = crate::docs::frontmatter::parse(src);
        let secs = sections(src, fm.body_start, fm.title.as_deref());
        assert!(Chunker::new(ChunkSettings::default())
            .chunk(src, &secs)
            .is_empty());
    }

    #[test]
    fn very_long_heading_is_kept_whole_in_the_path() {
        let heading = "Very ".repeat(200);
        let src = format!("# {heading}\n\nshort body\n");
        let got = chunk(&src, 500, 50);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0[0], heading.trim());
        assert_eq!(got[0].1, "short body");
    }

    #[test]
    fn no_chunk_is_a_bare_heading() {
        let src = format!(
            "# A\n\n{}\n\n#### Deep\n\n{}\n\n## Empty\n\n## Full\n\ntext\n",
            words(80),
            words(80)
        );
        for (_, text) in chunk(&src, 300, 30) {
            assert!(!is_bare_heading(&text), "bare heading chunk: {text:?}");
        }
    }

    #[test]
    fn tiny_fragments_are_folded_into_the_previous_chunk() {
        let src = format!("# T\n\n{}\n", "alpha beta, gamma and delta's ".repeat(40));
        let secs = sections(&src, 0, None);
        let chunks = Chunker::new(ChunkSettings {
            size: 500,
            overlap: 50,
        })
        .chunk(&src, &secs);
        for w in chunks.windows(2) {
            let own = src[w[0].end.max(w[1].start)..w[1].end].chars().count();
            assert!(
                own >= 20 || w[1].end == src.trim_end().len(),
                "fragment chunk: {:?}",
                &src[w[1].start..w[1].end]
            );
        }
        assert!(chunks
            .iter()
            .all(|c| src[c.start..c.end].chars().count() <= 500));
    }

    #[test]
    fn bare_heading_detection() {
        assert!(is_bare_heading("#### Deep"));
        assert!(is_bare_heading("#### Deep\n\n##### Deeper"));
        assert!(!is_bare_heading("#hashtag is text"));
        assert!(!is_bare_heading("#### Deep\n\ntext"));
    }
}
