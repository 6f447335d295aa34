//! `--backend openai` (OpenAI-compatible chat completions) and the `openai` / `voyage`
//! embedders through the real binary against fakes on 127.0.0.1.

mod live_support;

use std::sync::{Arc, Mutex};

use httpmock::{HttpMockRequest, MockServer};
use live_support::*;
use serde_json::{json, Value};

fn new_log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn openai(dir: &std::path::Path, base: &str, key: Option<&str>) -> assert_cmd::Command {
    let mut c = eval(dir, "openai", &[]);
    c.env("OPENAI_BASE_URL", base);
    if let Some(k) = key {
        c.env("OPENAI_API_KEY", k);
    }
    c
}

#[test]
fn chat_completions_with_a_json_schema_response_format() {
    let server = MockServer::start();
    let log = new_log();
    let mock = fake_openai(&server, log.clone());
    let dir = workdir(TICKETS);
    let r = run(&mut openai(
        dir.path(),
        &server.url("/v1"),
        Some(OPENAI_KEY),
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mock.calls(), CALLS);
    for (headers, body) in log.lock().unwrap().iter() {
        assert_eq!(
            header(headers, "authorization"),
            Some(format!("Bearer {OPENAI_KEY}").as_str())
        );
        assert_eq!(header(headers, "content-type"), Some("application/json"));
        let roles: Vec<&str> = body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["role"].as_str().unwrap())
            .collect();
        assert_eq!(roles, ["system", "user"]);
        let stage = stage_of(body);
        assert_eq!(body["response_format"]["type"], "json_schema");
        assert_eq!(body["response_format"]["json_schema"]["name"], stage);
        assert_eq!(body["response_format"]["json_schema"]["strict"], true);
        assert!(body.get("tools").is_none());
        let want = if stage == "respond" {
            "gpt-4.1"
        } else {
            "gpt-4.1-mini"
        };
        assert_eq!(body["model"], want);
        assert!(
            body["max_completion_tokens"].as_u64().is_some() && body.get("max_tokens").is_none()
        );
    }
    let m = metrics(dir.path());
    assert_eq!(m["run"]["backend"], "openai");
    assert_eq!(m["counts"]["errors"], 0);
    assert_eq!(m["cost"]["mode"], "actual");
    assert_eq!(m["cost"]["requests"], CALLS as u64);
    assert_no_secret(dir.path(), &r, OPENAI_KEY);
}

#[test]
fn a_local_server_with_forced_tools_and_no_key() {
    let server = MockServer::start();
    let log = new_log();
    fake_openai(&server, log.clone());
    let dir = workdir(TICKETS);
    std::fs::write(
        dir.path().join("supportbench.toml"),
        r#"
[backends.openai.models]
classification = "llama3.1:8b"
sentiment = "llama3.1:8b"
summary = "llama3.1:8b"
generation = "qwen2.5:14b"

[[backends.openai.model_options]]
model = "llama3.1:8b"
structured_output = "tool"

[[prices]]
model = "llama3.1:8b"
input = 0
output = 0
[[prices]]
model = "qwen2.5:14b"
input = 0
output = 0
[[prices]]
model = "claude-haiku-4-5"
input = 1.0
output = 5.0
[[prices]]
model = "claude-sonnet-4-6"
input = 3.0
output = 15.0
[[prices]]
model = "voyage-3.5-lite"
input = 0.02
output = 0.0
"#,
    )
    .unwrap();
    let r = run(&mut openai(dir.path(), &server.url("/v1"), None));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (headers, body) in log.lock().unwrap().iter() {
        assert_eq!(
            header(headers, "authorization"),
            Some("Bearer sk-no-key-required")
        );
        assert!(body.get("temperature").is_none());
        assert!(body["max_tokens"].as_u64().is_some());
        if body["model"] == "llama3.1:8b" {
            assert_eq!(body["tool_choice"]["type"], "function");
            assert_eq!(body["tools"][0]["function"]["name"], stage_of(body));
            assert!(body.get("response_format").is_none());
        } else {
            assert_eq!(body["model"], "qwen2.5:14b");
            assert_eq!(body["response_format"]["type"], "json_schema");
        }
    }
    let m = metrics(dir.path());
    assert_eq!(m["counts"]["errors"], 0);
    assert_eq!(m["cost"]["per_model"]["llama3.1:8b"]["calls"], 8);
}

#[test]
fn insufficient_quota_is_not_retried_and_stops_the_run() {
    let server = MockServer::start();
    let quota = server.mock(|when, then| {
        when.method("POST").path("/v1/chat/completions");
        then.status(429)
            .header("retry-after", "0")
            .header("x-request-id", "req_quota")
            .json_body(json!({"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}));
    });
    let dir = workdir(TICKETS);
    let r = run(&mut openai(
        dir.path(),
        &server.url("/v1"),
        Some(OPENAI_KEY),
    ));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(quota.calls(), 1);
    let lines = complaints(&r.stderr);
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].contains("credit") && lines[0].contains("req_quota"),
        "{}",
        lines[0]
    );
}

#[test]
fn a_refusal_and_a_length_stop_fail_the_stage() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method("POST").path("/v1/chat/completions");
        then.respond_with(move |req: &HttpMockRequest| {
            let body = body_of(req);
            let stage = stage_of(&body);
            let reply = match stage.as_str() {
                "respond" => json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}, "finish_reason": "stop"}]}),
                "sentiment" => json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": "{\"sentim"}, "finish_reason": "length"}]}),
                _ => openai_response(&body, &answer(&stage), "stop"),
            };
            json_reply(200, &reply)
        });
    });
    let dir = workdir("ticket_id,message\nT1,How do I export my invoices as PDF?\n");
    let r = run(&mut openai(
        dir.path(),
        &server.url("/v1"),
        Some(OPENAI_KEY),
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m = metrics(dir.path());
    assert_eq!(m["counts"]["errors"], 1);
    assert_eq!(m["escalation"]["reasons"]["stage_failed"], 1);
}

/// A fake `/v1/embeddings` (OpenAI and Voyage share the shape): 8-dim vectors from the text.
fn fake_embeddings(server: &MockServer, log: Log) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method("POST").path("/v1/embeddings");
        then.respond_with(move |req: &HttpMockRequest| {
            let body = body_of(req);
            log.lock().unwrap().push((req.headers_vec().clone(), body.clone()));
            let data: Vec<Value> = body["input"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let t = t.as_str().unwrap().to_lowercase();
                    let v: Vec<f32> = ["refund", "password", "sync", "plan", "invoice", "error", "account", "export"]
                        .iter()
                        .map(|w| t.matches(w).count() as f32 + 0.01)
                        .collect();
                    json!({"object": "embedding", "index": i, "embedding": v})
                })
                .rev() // out of order on purpose: the client sorts by index
                .collect();
            json_reply(200, &json!({"object": "list", "data": data, "usage": {"prompt_tokens": 10, "total_tokens": 10}}))
        });
    })
}

fn search(dir: &std::path::Path, env: &[(&str, String)], query: &str) -> Run {
    let mut c = assert_cmd::Command::cargo_bin("supportbench").unwrap();
    c.current_dir(dir)
        .env_remove("OPENAI_API_KEY")
        .env_remove("VOYAGE_API_KEY");
    for (k, v) in env {
        c.env(k, v);
    }
    run(c
        .args(["search", query, "--json", "--index"])
        .arg(dir.join("ix")))
}

#[test]
fn openai_and_voyage_embedders_batch_and_keep_their_model_in_the_manifest() {
    for (name, key_var, url_var) in [
        ("openai", "OPENAI_API_KEY", "OPENAI_BASE_URL"),
        ("voyage", "VOYAGE_API_KEY", "VOYAGE_BASE_URL"),
    ] {
        let server = MockServer::start();
        let log = new_log();
        let mock = fake_embeddings(&server, log.clone());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("supportbench.toml"),
            format!("[embedders.{name}]\nmodel = \"mock-embed\"\ndimensions = 8\nbatch_size = 4\n"),
        )
        .unwrap();
        let env = vec![
            (key_var, "sk-embed-SECRET-123456".to_string()),
            (url_var, server.url("/v1")),
        ];
        let mut c = assert_cmd::Command::cargo_bin("supportbench").unwrap();
        c.current_dir(dir.path())
            .env_remove("OPENAI_API_KEY")
            .env_remove("VOYAGE_API_KEY");
        for (k, v) in &env {
            c.env(k, v);
        }
        let r = run(c
            .args(["ingest", "--json", "--embedder", name, "--index", "ix"])
            .arg(docs()));
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let report: Value = serde_json::from_str(&r.stdout).unwrap();
        let chunks = report["chunks"].as_u64().unwrap() as usize;
        assert_eq!(mock.calls(), chunks.div_ceil(4), "{name}: batches");
        for (headers, body) in log.lock().unwrap().iter() {
            assert_eq!(
                header(headers, "authorization"),
                Some("Bearer sk-embed-SECRET-123456")
            );
            assert!(body["input"].as_array().unwrap().len() <= 4);
            if name == "voyage" {
                assert_eq!(body["input_type"], "document");
            } else {
                assert_eq!(body["encoding_format"], "float");
                assert!(body.get("dimensions").is_none());
            }
        }
        let manifest: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("ix/manifest.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(manifest["embedder"]["id"], format!("{name}:mock-embed:8"));
        assert_eq!(manifest["embedder"]["dense_dims"], 8);

        // a query is embedded with the index's model, as a query, and cached
        let before = mock.calls();
        let s = search(dir.path(), &env, "I forgot my password");
        assert_eq!(s.code, 0, "{name}: {}", s.stderr);
        let hits: Value = serde_json::from_str(&s.stdout).unwrap();
        assert!(
            hits.as_array().unwrap()[0]["doc_id"]
                .as_str()
                .unwrap()
                .contains("password"),
            "{name}: {hits}"
        );
        assert_eq!(mock.calls(), before + 1);
        let (_, q) = log.lock().unwrap().last().unwrap().clone();
        assert_eq!(q["model"], "mock-embed");
        if name == "voyage" {
            assert_eq!(q["input_type"], "query");
        }
        let again = search(dir.path(), &env, "I forgot my password");
        assert_eq!(again.code, 0);
        assert_eq!(
            mock.calls(),
            before + 1,
            "{name}: the query embedding was not cached"
        );
        assert_no_secret(dir.path(), &r, "sk-embed-SECRET-123456");
    }
}
