//! Remote embedders: `openai` (any OpenAI-compatible `POST {base}/embeddings`: OpenAI, Ollama,
//! vLLM, llama.cpp, text-embeddings-inference) and `voyage` (Voyage AI, with `input_type`
//! `document` for chunks and `query` for questions). Texts go in batches; every request uses the
//! live backends' retry policy and in-flight bound; query embeddings go through the response
//! cache (document embeddings are stored by the index itself).
//!
//! The id is `<name>:<model>:<dims>`: the index manifest records it, and an index is only ever
//! queried with its own model and dimensions (rebuilt from the id when the index is opened).

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Result};
use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Embedder, Embedding};
use crate::backend::live::cache::{self, CacheMode, Entry};
use crate::backend::live::http::{headers, Http, Policy, Secret};
use crate::backend::live::{self, base_url, env};
use crate::config::RemoteEmbedderConfig;
use crate::pipeline::trace::{Component, Usage};

/// Which service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    OpenAi,
    Voyage,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::OpenAi => "openai",
            Service::Voyage => "voyage",
        }
    }
    fn default_model(self) -> &'static str {
        match self {
            Service::OpenAi => "text-embedding-3-small",
            Service::Voyage => "voyage-3.5-lite",
        }
    }
    fn default_batch(self) -> usize {
        match self {
            Service::OpenAi => 256,
            Service::Voyage => 128,
        }
    }
    fn env_names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Service::OpenAi => (
                "OPENAI_API_KEY",
                "OPENAI_BASE_URL",
                "https://api.openai.com/v1",
            ),
            Service::Voyage => (
                "VOYAGE_API_KEY",
                "VOYAGE_BASE_URL",
                "https://api.voyageai.com/v1",
            ),
        }
    }
}

/// Output size of the vendors' models when no dimensions are requested.
fn native_dims(model: &str) -> Option<usize> {
    Some(match model {
        "text-embedding-3-small" | "text-embedding-ada-002" => 1536,
        "text-embedding-3-large" => 3072,
        "voyage-3.5" | "voyage-3.5-lite" | "voyage-3-large" | "voyage-3" | "voyage-code-3" => 1024,
        "voyage-3-lite" => 512,
        _ => return None,
    })
}

pub struct Remote {
    service: Service,
    model: String,
    dims: usize,
    /// Ask the API for `dims` (only when the model's native size differs).
    request_dims: bool,
    batch: usize,
    base: String,
    key: Secret,
    policy: Policy,
    http: OnceLock<Http>,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("service", &self.service)
            .field("model", &self.model)
            .field("dims", &self.dims)
            .field("base", &self.base)
            .field("key", &self.key)
            .finish()
    }
}

#[derive(Deserialize)]
struct Response {
    data: Vec<Item>,
    #[serde(default)]
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    index: usize,
    embedding: Vec<f32>,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    total_tokens: u64,
}

impl Remote {
    /// From `[embedders.<name>]` and the environment.
    pub fn from_config(service: Service, c: &RemoteEmbedderConfig) -> Result<Remote> {
        let model = c
            .model
            .clone()
            .unwrap_or_else(|| service.default_model().to_string());
        let native = native_dims(&model);
        let dims = match (c.dimensions, native) {
            (Some(d), _) => d,
            (None, Some(n)) => n,
            (None, None) => bail!(
                "embedders.{}.dimensions is required for model {model:?}: set it to the model's output size (e.g. 768 for nomic-embed-text)",
                service.name()
            ),
        };
        let mut r = Remote::new(service, &model, dims, native.is_some_and(|n| n != dims));
        r.batch = c.batch_size.unwrap_or(service.default_batch()).max(1);
        r.policy = Policy {
            max_retries: c.max_retries,
            timeout: Duration::from_secs_f64(c.timeout_secs),
        };
        Ok(r)
    }

    fn new(service: Service, model: &str, dims: usize, request_dims: bool) -> Remote {
        let (key_var, url_var, default_url) = service.env_names();
        let base = base_url(url_var, default_url);
        let key = env(key_var).unwrap_or_else(|| {
            if service == Service::OpenAi && base != default_url {
                "sk-no-key-required".to_string()
            } else {
                String::new()
            }
        });
        Remote {
            service,
            model: model.to_string(),
            dims,
            request_dims,
            batch: service.default_batch(),
            base,
            key: Secret::new(key),
            policy: Policy::default(),
            http: OnceLock::new(),
        }
    }

    /// The embedder that built an index, from the id in its manifest.
    pub fn from_id(service: Service, id: &str) -> Result<Remote> {
        let rest = id
            .strip_prefix(service.name())
            .and_then(|r| r.strip_prefix(':'))
            .ok_or_else(|| anyhow!("embedder id {id:?} is not a {} id", service.name()))?;
        let (model, dims) = rest
            .rsplit_once(':')
            .and_then(|(m, d)| Some((m, d.parse::<usize>().ok()?)))
            .ok_or_else(|| anyhow!("embedder id {id:?} has no model and dimensions"))?;
        let request = native_dims(model).is_some_and(|n| n != dims);
        Ok(Remote::new(service, model, dims, request))
    }

    fn body(&self, texts: &[String], query: bool) -> Value {
        match self.service {
            Service::OpenAi => {
                let mut b =
                    json!({"model": self.model, "input": texts, "encoding_format": "float"});
                if self.request_dims {
                    b["dimensions"] = json!(self.dims);
                }
                b
            }
            Service::Voyage => {
                let mut b = json!({
                    "model": self.model,
                    "input": texts,
                    "input_type": if query { "query" } else { "document" },
                    "truncation": true
                });
                if self.request_dims {
                    b["output_dimension"] = json!(self.dims);
                }
                b
            }
        }
    }

    fn headers(&self) -> HeaderMap {
        headers(vec![("authorization", self.key.header("Bearer "))])
    }

    fn check_key(&self) -> Result<()> {
        if self.key.is_empty() {
            let (key_var, _, _) = self.service.env_names();
            bail!(
                "the {} embedder needs an API key: set {key_var} (keys are read from the environment only)",
                self.service.name()
            );
        }
        Ok(())
    }

    /// One request; the vectors in input order, unit length, and the tokens used.
    fn request(&self, body: &Value, n: usize) -> Result<(Value, Vec<Vec<f32>>, u64)> {
        self.check_key()?;
        if self.http.get().is_none() {
            let _ = self.http.set(Http::new(self.policy)?);
        }
        let http = self
            .http
            .get()
            .ok_or_else(|| anyhow!("cannot start the HTTP client"))?;
        let shared = live::shared();
        let bytes = serde_json::to_vec(body)?;
        let url = format!("{}/embeddings", self.base);
        let fetched = http
            .post_json(&url, &self.headers(), &bytes, &shared.limiter)
            .map_err(|e| {
                anyhow!(
                    "{} embeddings ({}): {}",
                    self.service.name(),
                    self.model,
                    self.key.scrub(&e.to_string())
                )
            })?;
        let v: Value = serde_json::from_slice(&fetched.body).map_err(|e| {
            anyhow!(
                "{} embeddings answered with a body that is not JSON ({e})",
                self.service.name()
            )
        })?;
        let (vectors, tokens) = self.read(&v, n)?;
        Ok((v, vectors, tokens))
    }

    fn read(&self, v: &Value, n: usize) -> Result<(Vec<Vec<f32>>, u64)> {
        let r: Response = serde_json::from_value(v.clone()).map_err(|e| {
            anyhow!(
                "{} embeddings: unexpected response shape ({e})",
                self.service.name()
            )
        })?;
        let mut data = r.data;
        data.sort_by_key(|d| d.index);
        if data.len() != n {
            bail!(
                "{} embeddings: asked for {n} vectors, got {}",
                self.service.name(),
                data.len()
            );
        }
        let mut out = Vec::with_capacity(n);
        for d in data {
            if d.embedding.len() != self.dims {
                bail!(
                    "{} embeddings: model {} returned {}-dimension vectors, the index expects {}: set embedders.{}.dimensions and rebuild the index",
                    self.service.name(),
                    self.model,
                    d.embedding.len(),
                    self.dims,
                    self.service.name()
                );
            }
            out.push(unit(d.embedding));
        }
        Ok((out, r.usage.map(|u| u.total_tokens).unwrap_or(0)))
    }
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
    v
}

impl Embedder for Remote {
    fn name(&self) -> &'static str {
        self.service.name()
    }
    fn id(&self) -> String {
        format!("{}:{}:{}", self.service.name(), self.model, self.dims)
    }
    fn dense_dims(&self) -> usize {
        self.dims
    }
    fn lexical_weight(&self) -> f32 {
        0.0
    }
    fn is_remote(&self) -> bool {
        true
    }

    fn embed_documents(&self, texts: &[String]) -> Result<Vec<Embedding>> {
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(self.batch) {
            let (_, vectors, _) = self.request(&self.body(batch, false), batch.len())?;
            out.extend(vectors.into_iter().map(|dense| Embedding {
                dense,
                ..Default::default()
            }));
        }
        Ok(out)
    }

    fn embed_query(&self, text: &str) -> Result<Embedding> {
        let body = self.body(&[text.to_string()], true);
        let shared = live::shared();
        let key = cache::key(&json!({
            "provider": format!("{}-embeddings", self.service.name()),
            "endpoint": "/embeddings",
            "scope": {"server": self.base},
            "body": body,
        }));
        if let Some(e) = shared.cache.get(&key) {
            let (mut v, _) = self.read(&e.response, 1)?;
            return Ok(Embedding {
                dense: v.pop().unwrap_or_default(),
                ..Default::default()
            });
        }
        if shared.cache.mode() == CacheMode::Only {
            bail!(
                "--cache-only and the cache {} has no recorded {} embedding for the query {:?}: record it with a run that has {} set, or drop --cache-only",
                shared.cache.dir().display(),
                self.service.name(),
                crate::util::truncate_chars(text, 60),
                self.service.env_names().0
            );
        }
        let (response, mut v, tokens) = self.request(&body, 1)?;
        shared.cache.put(&Entry {
            format: cache::FORMAT,
            key,
            provider: format!("{}-embeddings", self.service.name()),
            endpoint: "/embeddings".into(),
            model: self.model.clone(),
            fetched_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            request_id: None,
            usage: Usage {
                component: Component::Embedding,
                model: self.model.clone(),
                input_tokens: tokens,
                output_tokens: 0,
                cache_write_tokens: 0,
                cache_read_tokens: 0,
                inr: 0.0,
                cached: false,
            },
            request: body,
            response,
        });
        Ok(Embedding {
            dense: v.pop().unwrap_or_default(),
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let r = Remote::new(Service::OpenAi, "nomic-embed-text:latest", 768, false);
        assert_eq!(r.id(), "openai:nomic-embed-text:latest:768");
        let back = Remote::from_id(Service::OpenAi, &r.id()).unwrap();
        assert_eq!(
            (back.model.as_str(), back.dims),
            ("nomic-embed-text:latest", 768)
        );
        assert!(!back.request_dims);
        let small = Remote::from_id(Service::OpenAi, "openai:text-embedding-3-small:512").unwrap();
        assert!(small.request_dims);
        assert_eq!(small.body(&["a".into()], true)["dimensions"], 512);
        assert!(Remote::from_id(Service::Voyage, "openai:x:1").is_err());
    }

    #[test]
    fn unknown_models_need_dimensions() {
        let c = RemoteEmbedderConfig {
            model: Some("nomic-embed-text".into()),
            ..Default::default()
        };
        let err = Remote::from_config(Service::OpenAi, &c).unwrap_err();
        assert!(
            err.to_string().contains("embedders.openai.dimensions"),
            "{err}"
        );
    }

    #[test]
    fn voyage_input_types() {
        let r = Remote::new(Service::Voyage, "voyage-3.5-lite", 1024, false);
        assert_eq!(r.body(&["a".into()], true)["input_type"], "query");
        assert_eq!(r.body(&["a".into()], false)["input_type"], "document");
        assert!(r
            .body(&["a".into()], false)
            .get("output_dimension")
            .is_none());
    }
}
