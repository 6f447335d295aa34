//! The response cache: every live answer on disk, keyed by the sha256 of the canonical request
//! (provider, endpoint, model, system prompt, messages, parameters, schema — never a key or a
//! header). It makes an unchanged re-run free, lets CI replay a recorded run with no key
//! (`--cache-only`), and is how an interrupted run resumes: each entry is written to a temporary
//! file and renamed into place the moment its response arrives, so the folder is consistent at
//! any instant — a kill leaves every finished answer readable and no half-written one.
//!
//! Layout: `DIR/v1/<first two hex digits>/<sha256>.json`, one JSON entry per request. An entry
//! that cannot be read or parsed is a miss (and is overwritten by the next fetch).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::pipeline::trace::Usage;

/// How a run uses the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheMode {
    /// Answer from the cache when possible, store every fetched answer (the default).
    ReadWrite,
    /// Answer only from the cache: no key, no network; a miss stops the run.
    Only,
    /// Neither read nor write (`--no-cache`).
    Off,
}

/// One stored answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub format: u32,
    /// sha256 of the canonical request; equals the file name.
    pub key: String,
    pub provider: String,
    pub endpoint: String,
    pub model: String,
    /// Unix seconds when the answer was fetched.
    pub fetched_at: u64,
    pub request_id: Option<String>,
    /// What the call cost when it was fetched (the price table of that day).
    pub usage: Usage,
    /// The request body, for people auditing the cache (it holds no credential).
    pub request: Value,
    /// The response body as the API sent it.
    pub response: Value,
}

pub const FORMAT: u32 = 1;

#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    mode: CacheMode,
    warned: AtomicBool,
}

/// `value` as JSON with object keys sorted at every level, so the key does not depend on field
/// order (serde_json's map order changes with a crate feature another dependency may enable).
pub fn canonical(value: &Value) -> String {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String((*k).clone()).to_string());
                    out.push(':');
                    if let Some(x) = m.get(*k) {
                        write(x, out);
                    }
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(x, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut s = String::new();
    write(value, &mut s);
    s
}

/// The cache key of a request: sha256 of the canonical request description.
pub fn key(request: &Value) -> String {
    let digest = Sha256::digest(canonical(request).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Cache {
    pub fn new(dir: &Path, mode: CacheMode) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            mode,
            warned: AtomicBool::new(false),
        }
    }

    pub fn mode(&self) -> CacheMode {
        self.mode
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &str) -> PathBuf {
        let shard = key.get(..2).unwrap_or("00");
        self.dir.join("v1").join(shard).join(format!("{key}.json"))
    }

    /// The stored entry for `key`, if readable and whole.
    pub fn get(&self, key: &str) -> Option<Entry> {
        if self.mode == CacheMode::Off {
            return None;
        }
        let bytes = std::fs::read(self.path(key)).ok()?;
        let e: Entry = serde_json::from_slice(&bytes).ok()?;
        (e.format == FORMAT && e.key == key).then_some(e)
    }

    /// Store an entry (write-then-rename). A cache that cannot be written costs money on the
    /// next run but must not fail this one: warn once and go on.
    pub fn put(&self, entry: &Entry) {
        if self.mode != CacheMode::ReadWrite {
            return;
        }
        if let Err(e) = self.write(entry) {
            if !self.warned.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "warning: cannot write the response cache {} ({e:#}); answers of this run will be fetched again next time",
                    self.dir.display()
                );
            }
        }
    }

    fn write(&self, entry: &Entry) -> anyhow::Result<()> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let path = self.path(&entry.key);
        let parent = path
            .parent()
            .ok_or_else(|| anyhow::anyhow!("bad cache path"))?;
        std::fs::create_dir_all(parent)?;
        // Unique per process and per write: two threads may store the same key at once.
        let tmp = parent.join(format!(
            ".{}.tmp-{}-{}",
            entry.key,
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let result = (|| -> anyhow::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&serde_json::to_vec(entry)?)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::trace::Component;
    use serde_json::json;

    fn entry(key: &str) -> Entry {
        Entry {
            format: FORMAT,
            key: key.into(),
            provider: "anthropic".into(),
            endpoint: "/v1/messages".into(),
            model: "claude-haiku-4-5".into(),
            fetched_at: 0,
            request_id: None,
            usage: Usage {
                component: Component::Classification,
                model: "claude-haiku-4-5".into(),
                input_tokens: 10,
                output_tokens: 2,
                cache_write_tokens: 0,
                cache_read_tokens: 0,
                inr: 0.5,
                cached: false,
            },
            request: json!({}),
            response: json!({"ok": true}),
        }
    }

    #[test]
    fn key_ignores_field_order_and_sees_every_value() {
        let a = json!({"model": "m", "system": "s", "params": {"t": 0, "max": 5}});
        let b = json!({"params": {"max": 5, "t": 0}, "system": "s", "model": "m"});
        assert_eq!(key(&a), key(&b));
        let c = json!({"model": "m", "system": "s2", "params": {"t": 0, "max": 5}});
        assert_ne!(key(&a), key(&c));
        assert_eq!(key(&a).len(), 64);
    }

    #[test]
    fn put_then_get_and_modes() {
        let dir = tempfile::tempdir().unwrap();
        let k = key(&json!({"x": 1}));
        let rw = Cache::new(dir.path(), CacheMode::ReadWrite);
        assert!(rw.get(&k).is_none());
        rw.put(&entry(&k));
        assert_eq!(rw.get(&k).unwrap().response, json!({"ok": true}));
        assert!(Cache::new(dir.path(), CacheMode::Only).get(&k).is_some());
        assert!(Cache::new(dir.path(), CacheMode::Off).get(&k).is_none());
        // no temporary file is left behind
        let shard = dir.path().join("v1").join(&k[..2]);
        let names: Vec<String> = std::fs::read_dir(&shard)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, vec![format!("{k}.json")]);
    }

    #[test]
    fn a_torn_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::new(dir.path(), CacheMode::ReadWrite);
        let k = key(&json!({"x": 2}));
        c.put(&entry(&k));
        let p = c.path(&k);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, &text[..text.len() / 2]).unwrap();
        assert!(c.get(&k).is_none());
        c.put(&entry(&k));
        assert!(c.get(&k).is_some());
    }
}
