//! Shared by the `live_*` tests: a fake Anthropic / OpenAI-compatible API on 127.0.0.1 (httpmock:
//! a maintained crate with a synchronous API, which suits the blocking client), a tiny threaded
//! server that counts requests in flight (httpmock's responders run on its async runtime, where
//! a blocking wait would cap the very concurrency being measured), and helpers that run the real
//! binary.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use httpmock::{HttpMockRequest, HttpMockResponse};
use serde_json::{json, Value};

pub const KEY: &str = "sk-ant-test-SECRET-0123456789";
pub const OPENAI_KEY: &str = "sk-openai-test-SECRET-9876543210";

/// Four bot turns in three conversations; nothing in them asks for a human or a privileged
/// action, and the fake answers confidently, so every turn makes exactly three calls
/// (classify, sentiment, respond): 12 requests.
pub const TICKETS: &str = "ticket_id,conversation_id,turn,message,expected_intent,expected_escalate
T1,C1,1,How do I export my invoices as PDF?,billing,false
T2,C1,2,Can I pick the date range for that export as well?,billing,false
T3,C2,1,The mobile app shows a sync error on the reports screen,technical,false
T4,C3,1,How do I add a teammate to my workspace?,account,false
";
pub const CALLS: usize = 12;

pub fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/docs")
}

/// A temp dir holding tickets.csv.
pub fn workdir(tickets: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("tickets.csv"), tickets).unwrap();
    t
}

/// `supportbench eval` on `dir/tickets.csv` with a lexical index of fixtures/docs, reports in
/// `dir/out`, cache in `dir/cache`; no key and no base URL from the caller's environment.
pub fn eval(dir: &Path, backend: &str, extra: &[&str]) -> Command {
    let mut c = Command::cargo_bin("supportbench").unwrap();
    c.current_dir(dir)
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("ANTHROPIC_BASE_URL")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env_remove("VOYAGE_API_KEY")
        .env_remove("VOYAGE_BASE_URL")
        .arg("eval")
        .arg(dir.join("tickets.csv"))
        .arg("--docs")
        .arg(if dir.join("docs").is_dir() {
            dir.join("docs")
        } else {
            docs()
        })
        .arg("--index")
        .arg(dir.join("ix"))
        .arg("--embedder")
        .arg("lexical")
        .arg("--backend")
        .arg(backend)
        .arg("--cache")
        .arg(dir.join("cache"))
        .arg("--out")
        .arg(dir.join("out"))
        .args(extra);
    c
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(c: &mut Command) -> Run {
    let out = c.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// stderr without the ingest progress line: what a person sees go wrong.
pub fn complaints(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("index: "))
        .collect()
}

/// A copy of fixtures/docs at `dir/docs`, which `eval` then uses.
pub fn copy_docs(dir: &Path) -> PathBuf {
    fn copy(src: &Path, dst: &Path) {
        std::fs::create_dir_all(dst).unwrap();
        for e in std::fs::read_dir(src).unwrap() {
            let e = e.unwrap();
            if e.path().is_dir() {
                copy(&e.path(), &dst.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
            }
        }
    }
    let dst = dir.join("docs");
    copy(&docs(), &dst);
    dst
}

pub fn metrics(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out/metrics.json")).unwrap()).unwrap()
}

/// Every cache entry under `dir/cache`.
pub fn cache_entries(dir: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    let root = dir.join("cache/v1");
    let Ok(shards) = std::fs::read_dir(&root) else {
        return out;
    };
    for shard in shards {
        for f in std::fs::read_dir(shard.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "json") {
                out.push(serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap());
            }
        }
    }
    out
}

/// Every file below `dir`, as text (lossy), with its path.
pub fn all_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push((
                p.clone(),
                String::from_utf8_lossy(&std::fs::read(&p).unwrap()).to_string(),
            ));
        }
    }
    out
}

/// The key appears nowhere: not in reports, cache files, the index, stdout or stderr.
pub fn assert_no_secret(dir: &Path, r: &Run, secret: &str) {
    assert!(!r.stdout.contains(secret), "key in stdout");
    assert!(!r.stderr.contains(secret), "key in stderr");
    for (p, text) in all_files(dir) {
        assert!(!text.contains(secret), "key in {}", p.display());
    }
}

// --- what the fake model answers ----------------------------------------------------------

/// The stage a request is for: the forced tool's name, else the schema's fields.
pub fn stage_of(body: &Value) -> String {
    if let Some(n) = body["tool_choice"]["name"].as_str() {
        return n.to_string();
    }
    if let Some(n) = body["tool_choice"]["function"]["name"].as_str() {
        return n.to_string();
    }
    if let Some(n) = body["response_format"]["json_schema"]["name"].as_str() {
        return n.to_string();
    }
    let props = &body["output_config"]["format"]["schema"]["properties"];
    for (field, stage) in [
        ("intent", "classify"),
        ("sentiment", "sentiment"),
        ("response", "respond"),
        ("summary", "summarize"),
    ] {
        if props.get(field).is_some() {
            return stage.to_string();
        }
    }
    "unknown".into()
}

/// A valid answer for a stage.
pub fn answer(stage: &str) -> Value {
    match stage {
        "classify" => {
            json!({"intent": "general", "confidence": 0.93, "reasoning": "a how-to question"})
        }
        "sentiment" => json!({"sentiment": "neutral"}),
        "respond" => json!({
            "response": "Open Settings > Export and choose PDF [general/everything.md].",
            "confidence": 0.9,
            "missing_info": null,
            "cited_docs": ["general/everything.md"]
        }),
        "summarize" => json!({"summary": "The customer asked about exports."}),
        _ => json!({}),
    }
}

/// An Anthropic Messages response carrying `value` the way the request asked for it.
pub fn anthropic_response(req: &Value, value: &Value, stop_reason: &str) -> Value {
    let content = if req.get("tools").is_some() {
        json!([{"type": "tool_use", "id": "toolu_1", "name": stage_of(req), "input": value}])
    } else {
        json!([{"type": "text", "text": value.to_string()}])
    };
    json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": req["model"],
        "content": content, "stop_reason": stop_reason,
        "usage": {"input_tokens": 1000, "output_tokens": 100, "cache_read_input_tokens": 0}
    })
}

/// An OpenAI chat completion carrying `value` the way the request asked for it.
pub fn openai_response(req: &Value, value: &Value, finish: &str) -> Value {
    let message = if req.get("tools").is_some() {
        json!({"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
            "function": {"name": stage_of(req), "arguments": value.to_string()}}]})
    } else {
        json!({"role": "assistant", "content": value.to_string()})
    };
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "model": req["model"],
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100}
    })
}

pub fn json_reply(status: u16, body: &Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("request-id", "req_mock_1")
        .body(body.to_string())
        .build()
}

/// What the fake saw: (headers, body) of each request.
pub type Log = Arc<Mutex<Vec<(Vec<(String, String)>, Value)>>>;

pub fn body_of(req: &HttpMockRequest) -> Value {
    serde_json::from_slice(req.body_ref()).unwrap_or(Value::Null)
}

/// A well-behaved Anthropic on `server` answering every stage; logs every request.
pub fn fake_anthropic(server: &httpmock::MockServer, log: Log) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method("POST").path("/v1/messages");
        then.respond_with(move |req: &HttpMockRequest| {
            let body = body_of(req);
            log.lock()
                .unwrap()
                .push((req.headers_vec().clone(), body.clone()));
            json_reply(
                200,
                &anthropic_response(&body, &answer(&stage_of(&body)), "tool_use"),
            )
        });
    })
}

/// A well-behaved OpenAI-compatible server at `/v1/chat/completions`.
pub fn fake_openai(server: &httpmock::MockServer, log: Log) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method("POST").path("/v1/chat/completions");
        then.respond_with(move |req: &HttpMockRequest| {
            let body = body_of(req);
            log.lock()
                .unwrap()
                .push((req.headers_vec().clone(), body.clone()));
            json_reply(
                200,
                &openai_response(&body, &answer(&stage_of(&body)), "stop"),
            )
        });
    })
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

// --- a counting server -----------------------------------------------------------------------

/// A threaded HTTP/1.1 server on 127.0.0.1 that answers every request after `latency` like a
/// well-behaved Anthropic and records the most requests it ever had in flight.
pub struct CountingServer {
    pub url: String,
    pub total: Arc<AtomicUsize>,
    pub max_in_flight: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl CountingServer {
    pub fn start(latency: Duration) -> CountingServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let total = Arc::new(AtomicUsize::new(0));
        let max = Arc::new(AtomicUsize::new(0));
        let now = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (t, m, s) = (total.clone(), max.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (t, m, now) = (t.clone(), m.clone(), now.clone());
                std::thread::spawn(move || serve(conn, latency, &t, &m, &now));
            }
        });
        CountingServer {
            url,
            total,
            max_in_flight: max,
            stop,
        }
    }
}

impl Drop for CountingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn serve(
    conn: TcpStream,
    latency: Duration,
    total: &AtomicUsize,
    max: &AtomicUsize,
    now: &AtomicUsize,
) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = conn.set_nodelay(true);
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut conn = conn;
    loop {
        // request line + headers
        let mut len = 0usize;
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
        max.fetch_max(n, Ordering::SeqCst);
        total.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(latency);
        let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let reply = anthropic_response(&req, &answer(&stage_of(&req)), "tool_use").to_string();
        now.fetch_sub(1, Ordering::SeqCst);
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nrequest-id: req_count\r\n\r\n",
            reply.len()
        );
        if conn.write_all(head.as_bytes()).is_err() || conn.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}
