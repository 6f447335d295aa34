//! Error codes (`LL-2003`, `TB-401`) in the articles. A customer who quotes only a code ("LL-2003",
//! "getting TB-205") gives the embedder almost nothing to match, though the articles say exactly
//! what the code means. The glossary maps each code to what the articles say about it (the
//! headings that name it, else the table rows and sentences that mention it), and a query that
//! quotes a code is searched together with that text.

use std::collections::HashMap;

use super::ChunkRecord;

/// Error-code-like tokens (`LL-2003`, `AN-401`), lower-cased: 2–4 letters, a hyphen, 2–6 digits.
pub fn codes(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-').to_lowercase())
        .filter(|w| {
            let mut parts = w.splitn(2, '-');
            let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            (2..=4).contains(&a.len())
                && a.chars().all(|c| c.is_ascii_alphabetic())
                && (2..=6).contains(&b.len())
                && b.chars().all(|c| c.is_ascii_digit())
        })
        .collect()
}

/// Codes expanded per query, and texts per code.
const MAX_CODES: usize = 3;
const MAX_TEXTS: usize = 2;
/// Longest text kept per mention, in characters.
const MAX_CHARS: usize = 200;

#[derive(Debug, Default)]
pub struct CodeGlossary {
    /// Code → headings that name it.
    headings: HashMap<String, Vec<String>>,
    /// Code → table rows and sentences that mention it, shortest first.
    mentions: HashMap<String, Vec<String>>,
}

impl CodeGlossary {
    pub fn from_chunks(chunks: &[ChunkRecord]) -> CodeGlossary {
        let mut g = CodeGlossary::default();
        for c in chunks {
            for h in &c.heading_path {
                for code in codes(h) {
                    push_unique(g.headings.entry(code).or_default(), clean(h));
                }
            }
            for piece in pieces(&c.text) {
                for code in codes(piece) {
                    push_unique(g.mentions.entry(code).or_default(), clean(piece));
                }
            }
        }
        for v in g.mentions.values_mut() {
            v.sort_by_key(|t| t.chars().count());
        }
        g
    }

    /// What the articles say about the codes `query` quotes: for each (at most three), the
    /// headings that name it, or failing those its shortest mentions. Empty when the query quotes
    /// no documented code.
    pub fn explain(&self, query: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for code in codes(query) {
            if seen.contains(&code) {
                continue;
            }
            let texts = match self.headings.get(&code) {
                Some(h) => h,
                None => match self.mentions.get(&code) {
                    Some(m) => m,
                    None => continue,
                },
            };
            seen.push(code);
            for t in texts.iter().take(MAX_TEXTS) {
                push_unique(&mut out, t.clone());
            }
            if seen.len() == MAX_CODES {
                break;
            }
        }
        out
    }

    /// `query` followed by [`CodeGlossary::explain`]'s texts.
    pub fn expand(&self, query: &str) -> String {
        let texts = self.explain(query);
        if texts.is_empty() {
            query.to_string()
        } else {
            format!("{query}\n{}", texts.join("\n"))
        }
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !s.is_empty() && !v.contains(&s) {
        v.push(s);
    }
}

/// Table rows, list items and sentences of a chunk.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| {
        let line = line.trim();
        let v: Vec<&str> = if line.starts_with('|') {
            vec![line]
        } else {
            line.split_inclusive(". ").collect()
        };
        v
    })
}

/// Markdown emphasis, table bars and list marks dropped, whitespace collapsed, at most
/// `MAX_CHARS` characters.
fn clean(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| {
            if matches!(c, '*' | '|' | '`' | '#') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = plain.split_whitespace().filter(|w| *w != "-").collect();
    words.join(" ").chars().take(MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use ChunkRecord as C;

    #[test]
    fn code_tokens() {
        assert_eq!(
            codes("got LL-2003, then tb-401; not INV-2231x or A-1 or 2024-25"),
            vec!["ll-2003", "tb-401"]
        );
    }

    fn glossary() -> CodeGlossary {
        CodeGlossary::from_chunks(&[
            C::for_test(
                "technical/errors.md",
                &["Error codes"],
                "| Code | Meaning |\n|---|---|\n| TB-401 | OTP wrong or expired |\n| TB-402 | Too many wrong OTPs; sign-in locked for 30 minutes |",
            ),
            C::for_test(
                "account/login.md",
                &["Log in", "TB-401: wrong or expired OTP"],
                "Always use the **latest** OTP. Codes like TB-401 expire after 5 minutes.",
            ),
        ])
    }

    #[test]
    fn a_heading_explains_a_code_before_its_mentions() {
        let g = glossary();
        assert_eq!(
            g.explain("TB-401 again"),
            vec!["TB-401: wrong or expired OTP"]
        );
        assert_eq!(
            g.explain("tb-402"),
            vec!["TB-402 Too many wrong OTPs; sign-in locked for 30 minutes"]
        );
    }

    #[test]
    fn a_query_without_a_documented_code_is_unchanged() {
        let g = glossary();
        assert_eq!(g.expand("my otp never arrives"), "my otp never arrives");
        assert_eq!(g.expand("TB-999 on login"), "TB-999 on login");
        assert_eq!(g.expand("TB-401"), "TB-401\nTB-401: wrong or expired OTP");
    }

    #[test]
    fn long_mentions_are_cut() {
        let long = format!("LL-2003 {}", "word ".repeat(100));
        let g = CodeGlossary::from_chunks(&[C::for_test("a.md", &[], &long)]);
        let t = g.explain("LL-2003");
        assert_eq!(t[0].chars().count(), MAX_CHARS);
    }
}
