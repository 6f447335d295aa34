//! One HTTP request to a live API, retried as the official Anthropic and OpenAI SDKs retry it:
//! 2 retries by default; connection errors, timeouts, 408, 409, 429 and every 5xx (so 529) are
//! retried; `x-should-retry: true|false` overrides; the wait is `retry-after-ms` or `retry-after`
//! when the server gives 0–60 s, else `min(0.5 s × 2^n, 8 s) × U(0.75, 1.0)`. A spend-limit or
//! `insufficient_quota` 429 is never retried, nor are 400, 401, 403 and 404.
//!
//! Failures are sorted into [`ErrorKind`]s so callers `match` instead of reading messages, and
//! carry the API's request id. Keys travel only in sensitive header values; nothing here prints,
//! formats or stores them.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::blocking::Client;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use serde_json::Value;

/// What went wrong with a live call, as far as a caller needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Worth retrying later: network, timeout, 408/409, 5xx, overloaded.
    Transient,
    /// Rate limited (429) and still limited after the retries.
    RateLimit,
    /// The request itself is wrong (400, 413, 422 …): retrying the same request cannot help.
    Permanent,
    /// The prompt does not fit the model's context window.
    ContextLength,
    /// Bad or missing credentials, or no permission (401, 403): stops the run.
    Auth,
    /// Unknown or retired model id, or a wrong endpoint (404): stops the run.
    NotFound,
    /// Out of credit: spend limit, `insufficient_quota`, 402: stops the run.
    Billing,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Transient => "transient",
            ErrorKind::RateLimit => "rate_limit",
            ErrorKind::Permanent => "permanent",
            ErrorKind::ContextLength => "context_length",
            ErrorKind::Auth => "auth",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Billing => "billing",
        }
    }

    /// Every later request would fail the same way: stop the run instead of failing each ticket.
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            ErrorKind::Auth | ErrorKind::NotFound | ErrorKind::Billing
        )
    }
}

/// A failed live call.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveError {
    pub kind: ErrorKind,
    /// HTTP status, when the server answered.
    pub status: Option<u16>,
    /// The API's error type or code (`rate_limit_error`, `insufficient_quota` …).
    pub code: Option<String>,
    /// The API's (or the transport's) message, one line.
    pub message: String,
    /// The `request-id` / `x-request-id` header, for the vendor's support.
    pub request_id: Option<String>,
    /// Attempts made (1 + retries).
    pub attempts: u32,
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(s) => write!(f, "HTTP {s}")?,
            None => write!(f, "no response")?,
        }
        if let Some(c) = &self.code {
            write!(f, " {c}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request-id {id})")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for LiveError {}

/// A 2xx answer.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub body: Vec<u8>,
    pub request_id: Option<String>,
}

/// An API key. Its `Debug` never shows it; it only leaves as a sensitive header value.
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: String) -> Secret {
        Secret(s)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// A header value marked sensitive (reqwest and hyper then keep it out of their logs).
    pub fn header(&self, prefix: &str) -> Option<HeaderValue> {
        let mut v = HeaderValue::from_str(&format!("{prefix}{}", self.0)).ok()?;
        v.set_sensitive(true);
        Some(v)
    }
    /// `text` with the key (should the server ever echo it) blanked out.
    pub fn scrub(&self, text: &str) -> String {
        if self.0.len() < 8 {
            return text.to_string();
        }
        text.replace(&self.0, "[redacted]")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "Secret(none)"
        } else {
            "Secret([redacted])"
        })
    }
}

/// Retry and timeout policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Whole-request timeout (connect + send + read) of one attempt.
    pub timeout: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_retries: 2,
            timeout: Duration::from_secs(60),
        }
    }
}

/// Never more than `n` requests in flight across every thread of the run.
#[derive(Debug)]
pub struct Limiter {
    free: Mutex<usize>,
    cv: Condvar,
}

impl Limiter {
    pub fn new(n: usize) -> Limiter {
        Limiter {
            free: Mutex::new(n.max(1)),
            cv: Condvar::new(),
        }
    }

    fn acquire(&self) -> Permit<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.cv.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Permit(self)
    }
}

struct Permit<'a>(&'a Limiter);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut free = self.0.free.lock().unwrap_or_else(|e| e.into_inner());
        *free += 1;
        self.0.cv.notify_one();
    }
}

/// A blocking client with the retry policy.
#[derive(Debug, Clone)]
pub struct Http {
    client: Client,
    policy: Policy,
}

impl Http {
    pub fn new(policy: Policy) -> anyhow::Result<Http> {
        let client = Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("supportbench/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| anyhow::anyhow!("cannot start the HTTP client: {e}"))?;
        Ok(Http { client, policy })
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// POST a JSON body, retrying as the SDKs do. `headers` carry the auth (sensitive values).
    pub fn post_json(
        &self,
        url: &str,
        headers: &HeaderMap,
        body: &[u8],
        limiter: &Limiter,
    ) -> Result<Fetched, LiveError> {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let outcome = {
                let _permit = limiter.acquire();
                self.client
                    .post(url)
                    .headers(headers.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.to_vec())
                    .send()
                    .and_then(|r| {
                        let status = r.status().as_u16();
                        let h = r.headers().clone();
                        r.bytes().map(|b| (status, h, b.to_vec()))
                    })
            };
            let (err, retry, wait) = match outcome {
                Ok((status, h, bytes)) if (200..300).contains(&status) => {
                    return Ok(Fetched {
                        body: bytes,
                        request_id: request_id(&h),
                    })
                }
                Ok((status, h, bytes)) => {
                    let err = classify_status(status, &h, &bytes, attempt);
                    let retry = should_retry(status, &h, &err);
                    (err, retry, server_wait(&h))
                }
                Err(e) => {
                    let timeout = e.is_timeout();
                    let err = LiveError {
                        kind: ErrorKind::Transient,
                        status: None,
                        code: Some(
                            if timeout {
                                "timeout"
                            } else {
                                "connection_error"
                            }
                            .into(),
                        ),
                        message: transport_message(&e),
                        request_id: None,
                        attempts: attempt,
                    };
                    (err, true, None)
                }
            };
            if !retry || attempt > self.policy.max_retries {
                return Err(err);
            }
            std::thread::sleep(wait.unwrap_or_else(|| backoff(attempt - 1)));
        }
    }
}

/// The request id header of either vendor.
fn request_id(h: &HeaderMap) -> Option<String> {
    ["request-id", "x-request-id"]
        .iter()
        .find_map(|n| h.get(*n).and_then(|v| v.to_str().ok()).map(str::to_string))
}

/// reqwest's error with its causes, one line (it names the URL, never a header).
fn transport_message(e: &reqwest::Error) -> String {
    let mut msg = if e.is_timeout() {
        "the request timed out".to_string()
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        "the request failed".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
        source = s.source();
    }
    crate::util::one_line(&msg)
}

/// The error body of either vendor: `{"error": {"type"|"code", "message"}}`.
fn error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return (None, None);
    };
    let e = v.get("error").unwrap_or(&Value::Null);
    let s = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_string);
    let code = s("code").or_else(|| s("type"));
    let message = s("message").or_else(|| e.as_str().map(str::to_string));
    (code, message)
}

fn lower_has(text: &str, needles: &[&str]) -> bool {
    let t = text.to_lowercase();
    needles.iter().any(|n| t.contains(n))
}

/// Sort a non-2xx answer into a kind.
pub fn classify_status(status: u16, h: &HeaderMap, body: &[u8], attempts: u32) -> LiveError {
    let (code, message) = error_fields(body);
    let message = message
        .map(|m| crate::util::one_line(&m))
        .unwrap_or_else(|| {
            let text = String::from_utf8_lossy(body);
            let text = crate::util::one_line(&text);
            if text.is_empty() {
                "(empty body)".to_string()
            } else {
                crate::util::truncate_chars(&text, 200)
            }
        });
    let all = format!("{} {}", code.as_deref().unwrap_or(""), message);
    let billing = lower_has(
        &all,
        &[
            "insufficient_quota",
            "billing",
            "spend limit",
            "spending limit",
            "credit balance",
        ],
    );
    let context = lower_has(
        &all,
        &[
            "context_length",
            "context length",
            "context window",
            "prompt is too long",
            "maximum context",
            "too many tokens",
        ],
    );
    let kind = match status {
        401 | 403 => ErrorKind::Auth,
        402 => ErrorKind::Billing,
        404 => ErrorKind::NotFound,
        429 if billing => ErrorKind::Billing,
        429 => ErrorKind::RateLimit,
        413 => ErrorKind::ContextLength,
        400 | 422 if context => ErrorKind::ContextLength,
        408 | 409 | 500..=599 => ErrorKind::Transient,
        _ => ErrorKind::Permanent,
    };
    LiveError {
        kind,
        status: Some(status),
        code,
        message,
        request_id: request_id(h),
        attempts,
    }
}

/// The SDKs' rule: the header decides when present; else 408, 409, 429 and 5xx are retried.
/// Never a spend limit, whatever the header says.
fn should_retry(status: u16, h: &HeaderMap, err: &LiveError) -> bool {
    if err.kind == ErrorKind::Billing {
        return false;
    }
    match h.get("x-should-retry").and_then(|v| v.to_str().ok()) {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// `retry-after-ms`, else `retry-after` (seconds), when within 0–60 s.
fn server_wait(h: &HeaderMap) -> Option<Duration> {
    let num = |name: &str| -> Option<f64> {
        h.get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|x| x.is_finite())
    };
    let secs = num("retry-after-ms")
        .map(|ms| ms / 1000.0)
        .or_else(|| num("retry-after"))?;
    (0.0..=60.0)
        .contains(&secs)
        .then(|| Duration::from_secs_f64(secs))
}

/// min(0.5 s × 2^n, 8 s) × a random factor in 0.75–1.0, `n` = retries already made.
pub fn backoff(n: u32) -> Duration {
    let base = (0.5 * 2f64.powi(n.min(16) as i32)).min(8.0);
    Duration::from_secs_f64(base * (1.0 - 0.25 * jitter()))
}

/// A number in [0, 1): splitmix64 over the clock and a counter (jitter needs no crypto).
fn jitter() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut z = nanos
        ^ COUNTER
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .rotate_left(17);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// A header map from (name, value) pairs; `None` values are skipped.
pub fn headers(pairs: Vec<(&'static str, Option<HeaderValue>)>) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (name, value) in pairs {
        if let Some(v) = value {
            h.insert(HeaderName::from_static(name), v);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                HeaderName::from_static(k),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn backoff_follows_the_sdk_schedule() {
        for (n, max) in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)] {
            for _ in 0..50 {
                let d = backoff(n).as_secs_f64();
                assert!(d <= max + 1e-9 && d >= max * 0.75 - 1e-9, "n={n} d={d}");
            }
        }
    }

    #[test]
    fn retry_after_headers() {
        assert_eq!(
            server_wait(&hm(&[("retry-after", "2")])),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            server_wait(&hm(&[("retry-after-ms", "250"), ("retry-after", "9")])),
            Some(Duration::from_millis(250))
        );
        assert_eq!(server_wait(&hm(&[("retry-after", "61")])), None);
        assert_eq!(server_wait(&hm(&[("retry-after", "-1")])), None);
        assert_eq!(
            server_wait(&hm(&[("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT")])),
            None
        );
    }

    #[test]
    fn statuses_sort_into_kinds() {
        let k = |status: u16, body: &str| {
            classify_status(status, &HeaderMap::new(), body.as_bytes(), 1).kind
        };
        assert_eq!(
            k(
                401,
                r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#
            ),
            ErrorKind::Auth
        );
        assert_eq!(k(403, "{}"), ErrorKind::Auth);
        assert_eq!(
            k(
                404,
                r#"{"error":{"type":"not_found_error","message":"model: claude-3-haiku-20240307"}}"#
            ),
            ErrorKind::NotFound
        );
        assert_eq!(
            k(
                429,
                r#"{"error":{"type":"rate_limit_error","message":"slow down"}}"#
            ),
            ErrorKind::RateLimit
        );
        assert_eq!(
            k(
                429,
                r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#
            ),
            ErrorKind::Billing
        );
        assert_eq!(
            k(
                429,
                r#"{"error":{"type":"rate_limit_error","message":"You have reached your spend limit"}}"#
            ),
            ErrorKind::Billing
        );
        assert_eq!(
            k(
                400,
                r#"{"error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#
            ),
            ErrorKind::ContextLength
        );
        assert_eq!(
            k(
                400,
                r#"{"error":{"code":"context_length_exceeded","message":"too long"}}"#
            ),
            ErrorKind::ContextLength
        );
        assert_eq!(
            k(
                400,
                r#"{"error":{"type":"invalid_request_error","message":"temperature: not supported"}}"#
            ),
            ErrorKind::Permanent
        );
        assert_eq!(
            k(
                529,
                r#"{"error":{"type":"overloaded_error","message":"Overloaded"}}"#
            ),
            ErrorKind::Transient
        );
        assert_eq!(k(500, "<html>oops</html>"), ErrorKind::Transient);
        assert_eq!(k(408, ""), ErrorKind::Transient);
    }

    #[test]
    fn retry_rules() {
        let e = |status: u16, body: &str| {
            classify_status(status, &HeaderMap::new(), body.as_bytes(), 1)
        };
        let none = HeaderMap::new();
        for s in [408, 409, 429, 500, 502, 503, 504, 529] {
            assert!(should_retry(s, &none, &e(s, "{}")), "{s}");
        }
        for s in [400, 401, 403, 404, 413, 422] {
            assert!(!should_retry(s, &none, &e(s, "{}")), "{s}");
        }
        let quota = e(
            429,
            r#"{"error":{"code":"insufficient_quota","message":"quota"}}"#,
        );
        assert!(!should_retry(
            429,
            &hm(&[("x-should-retry", "true")]),
            &quota
        ));
        assert!(!should_retry(
            500,
            &hm(&[("x-should-retry", "false")]),
            &e(500, "{}")
        ));
        assert!(should_retry(
            400,
            &hm(&[("x-should-retry", "true")]),
            &e(400, "{}")
        ));
    }

    #[test]
    fn secrets_stay_hidden() {
        let s = Secret::new("sk-ant-0123456789".into());
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(s.scrub("bad key sk-ant-0123456789!"), "bad key [redacted]!");
        assert!(s.header("Bearer ").unwrap().is_sensitive());
    }

    #[test]
    fn error_display_names_status_code_and_request_id() {
        let mut h = HeaderMap::new();
        h.insert("request-id", HeaderValue::from_static("req_123"));
        let e = classify_status(
            401,
            &h,
            br#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
            1,
        );
        assert_eq!(
            e.to_string(),
            "HTTP 401 authentication_error: invalid x-api-key (request-id req_123)"
        );
    }
}
