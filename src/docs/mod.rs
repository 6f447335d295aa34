//! Help-centre articles: finding them, reading them, chunking them and linting them.

pub mod chunker;
pub mod frontmatter;
pub mod lint;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use chunker::{ChunkSettings, Chunker, Section, SpanChunk};
pub use frontmatter::FrontMatter;

/// One markdown article, read and hashed.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the docs folder, with `/` separators: `billing/refunds.md`.
    pub doc_id: String,
    pub source: String,
    /// sha256 of the file's bytes, hex.
    pub hash: String,
    pub front: FrontMatter,
    /// Front matter `intent`, else the top folder when it names a configured intent.
    pub intent: Option<String>,
}

/// A problem found in the docs: not fatal, reported by `ingest`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Warning {
    pub doc: String,
    pub kind: String,
    pub message: String,
}

impl Warning {
    pub fn new(doc: &str, kind: &str, message: impl Into<String>) -> Warning {
        Warning {
            doc: doc.to_string(),
            kind: kind.to_string(),
            message: message.into(),
        }
    }
}

/// Every `.md`/`.markdown` file below `dir` (hidden folders skipped), sorted by doc id.
pub fn find_markdown(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.exists() {
        bail!(
            "docs folder {} not found: pass the folder that holds your .md articles",
            dir.display()
        );
    }
    if !dir.is_dir() {
        bail!(
            "{} is not a folder: pass the folder that holds your .md articles",
            dir.display()
        );
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).with_context(|| format!("cannot list folder {}", d.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list folder {}", d.display()))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if is_markdown(&path) {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                let id = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((id, path));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_markdown(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Read the docs below `dir`. Files that are not UTF-8 or cannot be read are skipped with a
/// warning; the run goes on.
pub fn load_dir(dir: &Path, intents: &[String]) -> Result<(Vec<Document>, Vec<Warning>)> {
    let files = find_markdown(dir)?;
    if files.is_empty() {
        bail!(
            "no .md or .markdown files under {}: pass the folder that holds your articles",
            dir.display()
        );
    }
    let mut docs = Vec::with_capacity(files.len());
    let mut warnings = Vec::new();
    for (doc_id, path) in files {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                warnings.push(Warning::new(
                    &doc_id,
                    "unreadable",
                    format!("skipped: cannot read {}: {e}", path.display()),
                ));
                continue;
            }
        };
        let hash = sha256_hex(&bytes);
        let source = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                warnings.push(Warning::new(
                    &doc_id,
                    "not_utf8",
                    format!("skipped: not UTF-8 (invalid byte at offset {at}); re-save the file as UTF-8"),
                ));
                continue;
            }
        };
        docs.push(Document::new(doc_id, source, hash, intents));
    }
    Ok((docs, warnings))
}

impl Document {
    pub fn new(doc_id: String, source: String, hash: String, intents: &[String]) -> Document {
        let front = frontmatter::parse(&source);
        let folder = doc_id
            .split('/')
            .next()
            .filter(|_| doc_id.contains('/'))
            .map(str::to_lowercase);
        let intent = front
            .intent
            .clone()
            .filter(|i| intents.contains(i))
            .or_else(|| folder.filter(|f| intents.contains(f)));
        Document {
            doc_id,
            source,
            hash,
            front,
            intent,
        }
    }

    /// The title: front matter `title`, else the first heading, else the file name.
    pub fn title(&self, sections: &[Section]) -> String {
        self.front
            .title
            .clone()
            .or_else(|| {
                sections
                    .iter()
                    .find_map(|s| s.heading_path.first().cloned())
            })
            .unwrap_or_else(|| {
                self.doc_id
                    .rsplit('/')
                    .next()
                    .unwrap_or(&self.doc_id)
                    .to_string()
            })
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intents() -> Vec<String> {
        vec!["billing".into(), "technical".into()]
    }

    #[test]
    fn intent_from_front_matter_then_folder() {
        let d = Document::new(
            "billing/a.md".into(),
            "---\nintent: technical\n---\n# A".into(),
            String::new(),
            &intents(),
        );
        assert_eq!(d.intent.as_deref(), Some("technical"));
        let d = Document::new(
            "billing/a.md".into(),
            "# A".into(),
            String::new(),
            &intents(),
        );
        assert_eq!(d.intent.as_deref(), Some("billing"));
        let d = Document::new("misc/a.md".into(), "# A".into(), String::new(), &intents());
        assert_eq!(d.intent, None);
        let d = Document::new("billing.md".into(), "# A".into(), String::new(), &intents());
        assert_eq!(d.intent, None, "a file name is not a folder");
    }

    #[test]
    fn finds_markdown_recursively_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("billing/deep")).unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("billing/deep/x.MD"), "# x").unwrap();
        std::fs::write(dir.path().join("a.markdown"), "# a").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "no").unwrap();
        std::fs::write(dir.path().join(".git/y.md"), "# y").unwrap();
        let ids: Vec<String> = find_markdown(dir.path())
            .unwrap()
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        assert_eq!(ids, vec!["a.markdown", "billing/deep/x.MD"]);
    }

    #[test]
    fn not_utf8_is_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.md"), b"# T\n\xff\xfe caf\xe9").unwrap();
        std::fs::write(dir.path().join("good.md"), "# ok").unwrap();
        let (docs, warnings) = load_dir(dir.path(), &intents()).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(warnings[0].kind, "not_utf8");
        assert_eq!(warnings[0].doc, "bad.md");
    }

    #[test]
    fn missing_folder_is_an_error_naming_it() {
        let err = load_dir(Path::new("/no/such/folder"), &intents()).unwrap_err();
        assert!(err.to_string().contains("/no/such/folder"));
    }
}
