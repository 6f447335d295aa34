//! Live backends: the same prompts and schemas as the offline backend (`backend/prompt.rs`), sent
//! to an LLM API. This module owns what every provider shares — resolving the per-stage models,
//! the response cache, the retry policy and the concurrency bound (`http`), validating every
//! structured answer against its schema (`schema`), turning answers into the pipeline's types,
//! pricing the reported usage, and stopping the run on errors that would fail every ticket.
//! Each provider module (`anthropic`, `openai`) only builds its request body and reads its
//! response, with private wire types.
//!
//! Stopping early: bad credentials (401/403), an unknown or retired model (404), no credit, or a
//! first request to a model that the API rejects as invalid would fail every ticket. The first
//! request to each model is sent alone (the others wait for it); a fatal answer is recorded and
//! [`Backend::fatal_error`] reports it to the pipeline after the turn, which ends the run with
//! exit 2 and one message. Later calls are not sent.

pub mod anthropic;
pub mod cache;
pub mod http;
pub mod openai;
pub mod schema;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Result};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

use crate::backend::prompt::{self, Prompt};
use crate::backend::{
    Answer, Backend, Classification, HistoryTurn, RespondInput, Sentiment, Stage, StageError,
    StageResult,
};
use crate::config::{Config, LiveBackendConfig, ModelOptions};
use crate::cost::{self, estimate_tokens, Tokens};
use crate::pipeline::trace::{Component, Usage};
use cache::{Cache, CacheMode, Entry};
use http::{ErrorKind, Http, Limiter, LiveError, Policy, Secret};

/// The default `--cache` folder.
pub const DEFAULT_CACHE_DIR: &str = ".supportbench/cache";

/// How the command line asked live calls to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub cache_dir: PathBuf,
    pub cache_mode: CacheMode,
    /// Requests in flight at most.
    pub concurrency: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            cache_dir: PathBuf::from(DEFAULT_CACHE_DIR),
            cache_mode: CacheMode::ReadWrite,
            concurrency: 8,
        }
    }
}

/// What every live caller of one run shares: the cache and the in-flight bound.
#[derive(Debug)]
pub struct Shared {
    pub cache: Cache,
    pub limiter: Limiter,
}

impl Shared {
    pub fn new(o: &RunOptions) -> Shared {
        Shared {
            cache: Cache::new(&o.cache_dir, o.cache_mode),
            limiter: Limiter::new(o.concurrency),
        }
    }
}

static SHARED: RwLock<Option<Arc<Shared>>> = RwLock::new(None);

/// Make `o` the run's cache and bound, also for the remote embedders (which the index builds
/// without the command line at hand).
pub fn install(o: &RunOptions) -> Arc<Shared> {
    let s = Arc::new(Shared::new(o));
    if let Ok(mut g) = SHARED.write() {
        *g = Some(s.clone());
    }
    s
}

/// The run's shared state (the defaults when no command installed any).
pub fn shared() -> Arc<Shared> {
    if let Some(s) = SHARED.read().ok().and_then(|g| g.clone()) {
        return s;
    }
    install(&RunOptions::default())
}

/// An environment variable, empty = unset.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A base URL from `var`, else `default`, without a trailing slash.
pub fn base_url(var: &str, default: &str) -> String {
    env(var)
        .unwrap_or_else(|| default.to_string())
        .trim_end_matches('/')
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Provider seam

/// How a model is asked for structured output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structured {
    /// One tool whose input schema is the answer's schema, forced with `tool_choice`.
    Tool,
    /// Anthropic `output_config.format` JSON schema (the answer is a JSON text block).
    OutputConfig,
    /// OpenAI-compatible `response_format` `json_schema`.
    JsonSchema,
}

impl Structured {
    pub fn parse(s: &str) -> Option<Structured> {
        match s {
            "tool" => Some(Structured::Tool),
            "output_config" => Some(Structured::OutputConfig),
            "json_schema" => Some(Structured::JsonSchema),
            _ => None,
        }
    }
}

/// One stage call, as a provider needs it.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// Tool / schema name: `classify`, `sentiment`, `respond`, `summarize`.
    pub name: &'static str,
    pub model: &'a str,
    pub system: &'a str,
    pub user: &'a str,
    pub schema: &'a Value,
    pub max_tokens: u32,
    /// Sent only when the model's options allow sampling parameters.
    pub temperature: Option<f64>,
    pub structured: Structured,
    /// OpenAI-compatible servers: `max_tokens` or `max_completion_tokens`.
    pub max_tokens_param: &'a str,
}

/// What a provider reads from a 2xx body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// Usage as the API reported it (`None`: the server sent none).
    pub tokens: Option<Tokens>,
    /// The structured answer, or why there is none (refusal, `max_tokens` stop, no tool call …).
    pub answer: std::result::Result<Value, String>,
}

pub trait Provider: Send + Sync {
    /// `anthropic` / `openai`.
    fn name(&self) -> &'static str;
    /// The API path, part of the cache key (`/v1/messages`).
    fn endpoint(&self) -> &'static str;
    /// Full URL of the endpoint.
    fn url(&self) -> String;
    /// What besides the body decides the answer (API version; the server for OpenAI-compatible
    /// ones, since one model name means different models on different servers).
    fn key_scope(&self) -> Value;
    /// Auth and version headers (the key as a sensitive value).
    fn headers(&self) -> HeaderMap;
    /// The key, to scrub from messages.
    fn secret(&self) -> &Secret;
    /// The request body of a call.
    fn body(&self, call: &Call<'_>) -> Value;
    /// Read a 2xx response body.
    fn reply(&self, response: &Value, call: &Call<'_>) -> Reply;
    /// The env var that holds the key and the one that holds the base URL (for messages).
    fn env_names(&self) -> (&'static str, &'static str);
}

// ---------------------------------------------------------------------------------------------
// Settings

/// The four backend stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StageKind {
    Classify,
    Sentiment,
    Respond,
    Summarize,
}

impl StageKind {
    pub fn name(self) -> &'static str {
        match self {
            StageKind::Classify => "classify",
            StageKind::Sentiment => "sentiment",
            StageKind::Respond => "respond",
            StageKind::Summarize => "summarize",
        }
    }
    pub fn component(self) -> Component {
        match self {
            StageKind::Classify => Component::Classification,
            StageKind::Sentiment => Component::Sentiment,
            StageKind::Respond => Component::Generation,
            StageKind::Summarize => Component::Summary,
        }
    }
}

/// One provider's settings, resolved from the config.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `backends.anthropic` / `backends.openai`.
    pub section: String,
    pub models: HashMap<StageKind, (String, String)>,
    pub max_tokens: HashMap<StageKind, u32>,
    pub temperature: f64,
    pub options: Vec<ModelOptions>,
    pub default_structured: Structured,
    pub policy: Policy,
}

impl Settings {
    /// `models` maps each stage to (model id, the config key that set it).
    pub fn from_config(
        section: &str,
        c: &LiveBackendConfig,
        models: [(String, String); 4],
        default_structured: Structured,
        built_in: Vec<ModelOptions>,
    ) -> Settings {
        let stages = [
            StageKind::Classify,
            StageKind::Sentiment,
            StageKind::Summarize,
            StageKind::Respond,
        ];
        let [a, b, s, g] = models;
        let tokens = [
            c.max_tokens.classification,
            c.max_tokens.sentiment,
            c.max_tokens.summary,
            c.max_tokens.generation,
        ];
        Settings {
            section: section.to_string(),
            models: stages.iter().copied().zip([a, b, s, g]).collect(),
            max_tokens: stages.iter().copied().zip(tokens).collect(),
            temperature: c.temperature,
            options: c.model_options.clone().unwrap_or(built_in),
            default_structured,
            policy: Policy {
                max_retries: c.max_retries,
                timeout: Duration::from_secs_f64(c.timeout_secs),
            },
        }
    }

    fn model(&self, s: StageKind) -> (&str, &str) {
        self.models
            .get(&s)
            .map(|(m, k)| (m.as_str(), k.as_str()))
            .unwrap_or(("", ""))
    }

    fn options(&self, model: &str) -> Option<&ModelOptions> {
        self.options.iter().find(|o| o.model == model)
    }

    /// Every model this backend calls, with the config key that names it.
    pub fn all_models(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self.models.values().cloned().collect();
        v.sort();
        v.dedup();
        v
    }
}

// ---------------------------------------------------------------------------------------------
// The backend

thread_local! {
    /// A failure that ends the run and belongs to the turn this thread is running (a cache miss
    /// under `--cache-only`): the pipeline names the ticket.
    static TURN_FATAL: RefCell<Option<String>> = const { RefCell::new(None) };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    Probing,
    Open,
}

pub struct Live {
    config: Config,
    provider: Box<dyn Provider>,
    settings: Settings,
    http: Http,
    shared: Arc<Shared>,
    probes: Mutex<HashMap<String, Probe>>,
    probe_cv: Condvar,
    abort: Mutex<Option<String>>,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("provider", &self.provider.name())
            .field("url", &self.provider.url())
            .field("key", self.provider.secret())
            .field("settings", &self.settings)
            .finish()
    }
}

impl Live {
    pub fn new(
        config: Config,
        provider: Box<dyn Provider>,
        settings: Settings,
        shared: Arc<Shared>,
    ) -> Result<Live> {
        let (key_var, _) = provider.env_names();
        if provider.secret().is_empty() && shared.cache.mode() != CacheMode::Only {
            bail!(
                "--backend {} needs an API key: set {key_var} (keys are read from the environment only), or replay a recorded run with --cache-only",
                provider.name()
            );
        }
        for (model, key) in settings.all_models() {
            if model.trim().is_empty() {
                bail!("{key} is empty: name a model id in supportbench.toml");
            }
            if config.price(&model).is_none() {
                bail!(
                    "{key} = {model:?} has no entry in the [[prices]] table: add one (USD per million input/output tokens; 0 for a local model) to supportbench.toml"
                );
            }
        }
        Ok(Live {
            http: Http::new(settings.policy)?,
            config,
            provider,
            settings,
            shared,
            probes: Mutex::new(HashMap::new()),
            probe_cv: Condvar::new(),
            abort: Mutex::new(None),
        })
    }

    fn aborted(&self) -> Option<String> {
        self.abort.lock().ok().and_then(|g| g.clone())
    }

    fn set_abort(&self, message: String) {
        if let Ok(mut g) = self.abort.lock() {
            if g.is_none() {
                *g = Some(message);
            }
        }
        self.probe_cv.notify_all();
    }

    /// Wait until `model` has answered one request; `true` when this caller is the one to send it.
    fn enter_probe(&self, model: &str) -> bool {
        let Ok(mut g) = self.probes.lock() else {
            return false;
        };
        loop {
            if self.aborted().is_some() {
                return false;
            }
            match g.get(model) {
                Some(Probe::Open) => return false,
                Some(Probe::Probing) => match self.probe_cv.wait(g) {
                    Ok(next) => g = next,
                    Err(_) => return false,
                },
                None => {
                    g.insert(model.to_string(), Probe::Probing);
                    return true;
                }
            }
        }
    }

    fn leave_probe(&self, model: &str, open: bool) {
        if let Ok(mut g) = self.probes.lock() {
            if open {
                g.insert(model.to_string(), Probe::Open);
            } else {
                g.remove(model);
            }
        }
        self.probe_cv.notify_all();
    }

    /// The one message that ends the run for a fatal error.
    fn fatal_message(&self, e: &LiveError, stage: StageKind, probe: bool) -> Option<String> {
        let p = self.provider.name();
        let (key_var, url_var) = self.provider.env_names();
        let (model, config_key) = self.settings.model(stage);
        let what = self.provider.secret().scrub(&e.to_string());
        Some(match e.kind {
            ErrorKind::Auth if e.status == Some(403) => format!(
                "{p} refused the API key ({what}): the key in {key_var} has no permission for {model}; use a key of a workspace that has access"
            ),
            ErrorKind::Auth => format!(
                "{p} rejected the API key ({what}): set {key_var} to a valid key"
            ),
            ErrorKind::NotFound => format!(
                "{p} does not know model {model:?} ({what}): the id is wrong or retired; set {config_key} to a current model in supportbench.toml (or check {url_var})"
            ),
            ErrorKind::Billing => format!(
                "{p} refused the request for lack of credit ({what}): raise the spend limit or add credit, then re-run; answers already fetched are in the cache"
            ),
            ErrorKind::Permanent if probe => format!(
                "{p} rejected the first request to {model} ({what}): check [{}] max_tokens and model_options for {model:?} (structured_output, temperature)",
                self.settings.section
            ),
            _ => return None,
        })
    }

    /// Send a body for `stage`, with the probe rule and the fatal-error bookkeeping.
    fn fetch(&self, stage: StageKind, body: &[u8]) -> std::result::Result<http::Fetched, String> {
        let (model, _) = self.settings.model(stage);
        let probe = self.enter_probe(model);
        if let Some(reason) = self.aborted() {
            if probe {
                self.leave_probe(model, false);
            }
            return Err(format!("not sent, the run is stopping: {reason}"));
        }
        let r = self.http.post_json(
            &self.provider.url(),
            &self.provider.headers(),
            body,
            &self.shared.limiter,
        );
        match r {
            Ok(f) => {
                if probe {
                    self.leave_probe(model, true);
                }
                Ok(f)
            }
            Err(e) => {
                let fatal = self.fatal_message(&e, stage, probe);
                let open = fatal.is_none()
                    && matches!(
                        e.kind,
                        ErrorKind::RateLimit | ErrorKind::Permanent | ErrorKind::ContextLength
                    );
                // Abort before waking the waiters, or one of them would probe again.
                if let Some(m) = fatal {
                    self.set_abort(m);
                }
                if probe {
                    // Open when the server answered and the key is fine: let the others go.
                    // After a network or 5xx failure the next caller probes again.
                    self.leave_probe(model, open);
                }
                Err(format!(
                    "{} {model}: {}",
                    self.provider.name(),
                    self.provider.secret().scrub(&e.to_string())
                ))
            }
        }
    }

    /// One stage: render → cache or fetch → price → read → validate.
    fn call(
        &self,
        stage: StageKind,
        p: &Prompt,
        schema: &Value,
    ) -> std::result::Result<(Value, Vec<Usage>), StageError> {
        let fail = |message: String, usage: Vec<Usage>| StageError {
            stage: stage.name(),
            message,
            usage,
        };
        let (model, _) = self.settings.model(stage);
        let opts = self.settings.options(model);
        let call = Call {
            name: stage.name(),
            model,
            system: &p.system,
            user: &p.user,
            schema,
            max_tokens: self
                .settings
                .max_tokens
                .get(&stage)
                .copied()
                .unwrap_or(1024),
            temperature: opts
                .filter(|o| o.temperature)
                .map(|_| self.settings.temperature),
            structured: opts
                .and_then(|o| Structured::parse(&o.structured_output))
                .unwrap_or(self.settings.default_structured),
            max_tokens_param: opts
                .and_then(|o| o.max_tokens_param.as_deref())
                .unwrap_or("max_tokens"),
        };
        let body = self.provider.body(&call);
        let key = cache::key(&json!({
            "provider": self.provider.name(),
            "endpoint": self.provider.endpoint(),
            "scope": self.provider.key_scope(),
            "body": body,
        }));
        let component = stage.component();
        let (reply, usage) = if let Some(e) = self.shared.cache.get(&key) {
            let mut u = e.usage;
            u.component = component;
            u.cached = true;
            (self.provider.reply(&e.response, &call), u)
        } else if self.shared.cache.mode() == CacheMode::Only {
            let m = format!(
                "--cache-only and the cache {} has no recorded answer for its {} call to {model}: record it with a run that has {} set, or drop --cache-only",
                self.shared.cache.dir().display(),
                stage.name(),
                self.provider.env_names().0
            );
            TURN_FATAL.with(|f| *f.borrow_mut() = Some(m.clone()));
            return Err(fail(m, Vec::new()));
        } else {
            if let Some(reason) = self.aborted() {
                return Err(fail(
                    format!("not sent, the run is stopping: {reason}"),
                    Vec::new(),
                ));
            }
            let bytes = serde_json::to_vec(&body).map_err(|e| fail(e.to_string(), Vec::new()))?;
            let fetched = self.fetch(stage, &bytes).map_err(|m| fail(m, Vec::new()))?;
            let response: Value = serde_json::from_slice(&fetched.body).map_err(|e| {
                let text = crate::util::truncate_chars(
                    &crate::util::one_line(&String::from_utf8_lossy(&fetched.body)),
                    80,
                );
                fail(
                    format!(
                        "{} {model} answered with a body that is not JSON ({e}): {text:?}{}",
                        self.provider.name(),
                        fetched
                            .request_id
                            .as_ref()
                            .map(|id| format!(" (request-id {id})"))
                            .unwrap_or_default()
                    ),
                    Vec::new(),
                )
            })?;
            let reply = self.provider.reply(&response, &call);
            let tokens = reply.tokens.unwrap_or_else(|| Tokens {
                input: estimate_tokens(&p.system) + estimate_tokens(&p.user),
                output: estimate_tokens(&response.to_string()).min(u64::from(call.max_tokens)),
                ..Default::default()
            });
            let usage = cost::usage(&self.config, component, model, tokens);
            self.shared.cache.put(&Entry {
                format: cache::FORMAT,
                key: key.clone(),
                provider: self.provider.name().to_string(),
                endpoint: self.provider.endpoint().to_string(),
                model: model.to_string(),
                fetched_at: SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0),
                request_id: fetched.request_id.clone(),
                usage: usage.clone(),
                request: body.clone(),
                response,
            });
            (reply, usage)
        };
        let usage = vec![usage];
        let answer = reply.answer.map_err(|m| {
            fail(
                format!("{} {model}: {m}", self.provider.name()),
                usage.clone(),
            )
        })?;
        schema::validate(&answer, schema).map_err(|m| {
            fail(
                format!(
                    "{} {model}: the reply does not match the {} schema ({m})",
                    self.provider.name(),
                    stage.name()
                ),
                usage.clone(),
            )
        })?;
        Ok((answer, usage))
    }
}

fn str_field(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn num_field(v: &Value, k: &str) -> f64 {
    v.get(k).and_then(Value::as_f64).unwrap_or(0.0)
}

impl Backend for Live {
    fn name(&self) -> &'static str {
        self.provider.name()
    }

    fn cost_mode(&self) -> &'static str {
        "actual"
    }

    fn classify(&self, message: &str, history: &[HistoryTurn]) -> StageResult<Classification> {
        let p = prompt::classify(&self.config, message, history);
        let schema = prompt::classify_schema(&self.config.intent_names());
        let (v, usage) = self.call(StageKind::Classify, &p, &schema)?;
        Ok(Stage {
            value: Classification {
                intent: str_field(&v, "intent"),
                confidence: num_field(&v, "confidence"),
                reasoning: str_field(&v, "reasoning"),
            },
            usage,
        })
    }

    fn sentiment(&self, message: &str) -> StageResult<Sentiment> {
        let p = prompt::sentiment(message);
        let (v, usage) = self.call(StageKind::Sentiment, &p, &prompt::sentiment_schema())?;
        let s = Sentiment::parse(&str_field(&v, "sentiment")).ok_or_else(|| StageError {
            stage: "sentiment",
            message: format!("unknown sentiment {}", v["sentiment"]),
            usage: usage.clone(),
        })?;
        Ok(Stage { value: s, usage })
    }

    fn respond(&self, input: &RespondInput<'_>) -> StageResult<Answer> {
        let p = prompt::respond(
            input.message,
            input.intent,
            input.excerpts,
            input.history,
            input.summary,
        );
        let (v, usage) = self.call(StageKind::Respond, &p, &prompt::respond_schema())?;
        let missing_info = v
            .get("missing_info")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let cited_docs = v
            .get("cited_docs")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Stage {
            value: Answer {
                response: str_field(&v, "response"),
                confidence: num_field(&v, "confidence"),
                missing_info,
                cited_docs,
                confidence_reasoning: None,
            },
            usage,
        })
    }

    fn summarize(&self, previous: Option<&str>, transcript: &[HistoryTurn]) -> StageResult<String> {
        let p = prompt::summary(previous, transcript);
        let (v, usage) = self.call(StageKind::Summarize, &p, &prompt::summary_schema())?;
        Ok(Stage {
            value: str_field(&v, "summary"),
            usage,
        })
    }

    fn fatal_error(&self, ticket_id: &str) -> Option<String> {
        if let Some(m) = TURN_FATAL.with(|f| f.borrow_mut().take()) {
            return Some(format!("ticket {ticket_id}: {m}"));
        }
        self.aborted()
    }

    fn io_bound(&self) -> bool {
        true
    }
}

/// Build the `anthropic` or `openai` backend from the config and the environment.
pub fn build(name: &str, config: &Config, shared: Arc<Shared>) -> Result<Box<dyn Backend>> {
    let (provider, settings): (Box<dyn Provider>, Settings) = match name {
        "anthropic" => (
            Box::new(anthropic::Anthropic::from_env()),
            anthropic::settings(config),
        ),
        "openai" => (
            Box::new(openai::OpenAi::from_env()),
            openai::settings(config),
        ),
        other => bail!("unknown live backend {other:?}: use anthropic or openai"),
    };
    Ok(Box::new(Live::new(
        config.clone(),
        provider,
        settings,
        shared,
    )?))
}

/// Run `f` over `items` on `threads` threads that each take the next item as they free up,
/// heaviest first (so the longest conversations do not start last and stretch the run); results
/// come back in input order. For blocking I/O, where a thread per request in flight is the point.
pub fn run_heaviest_first<T, R, W, F>(items: Vec<T>, threads: usize, weight: W, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    W: Fn(&T) -> usize,
    F: Fn(T) -> R + Sync,
{
    let n = items.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weight(&items[i])));
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let results: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, n.max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&idx) = order.get(i) else { break };
                let item = slots[idx].lock().ok().and_then(|mut g| g.take());
                if let Some(item) = item {
                    let r = f(item);
                    if let Ok(mut g) = results[idx].lock() {
                        *g = Some(r);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .filter_map(|m| m.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heaviest_first_keeps_input_order() {
        let out = run_heaviest_first((0..50).collect(), 4, |x: &i32| (*x % 7) as usize, |x| x * 2);
        assert_eq!(out, (0..50).map(|x| x * 2).collect::<Vec<_>>());
        let none: Vec<i32> = run_heaviest_first(Vec::new(), 4, |_: &i32| 0, |x| x);
        assert!(none.is_empty());
    }
}
