//! `--backend anthropic` through the real binary against a fake Messages API on 127.0.0.1:
//! request shapes, retries, failed stages, fatal errors, the cache, `--cache-only`, resume and
//! the concurrency bound. No test reaches the network.

mod live_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use httpmock::{HttpMockRequest, MockServer};
use live_support::*;
use serde_json::{json, Value};

fn anthropic(dir: &std::path::Path, server_url: &str, extra: &[&str]) -> assert_cmd::Command {
    let mut c = eval(dir, "anthropic", extra);
    c.env("ANTHROPIC_API_KEY", KEY)
        .env("ANTHROPIC_BASE_URL", server_url);
    c
}

fn new_log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

#[test]
fn request_shapes_actual_cost_and_no_secret_anywhere() {
    let server = MockServer::start();
    let log = new_log();
    let mock = fake_anthropic(&server, log.clone());
    let dir = workdir(TICKETS);
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mock.calls(), CALLS);

    for (headers, body) in log.lock().unwrap().iter() {
        assert_eq!(header(headers, "x-api-key"), Some(KEY));
        assert_eq!(header(headers, "anthropic-version"), Some("2023-06-01"));
        assert_eq!(header(headers, "content-type"), Some("application/json"));
        assert!(header(headers, "authorization").is_none());
        // top-level system, one user message, no system role
        assert!(body["system"].as_str().is_some_and(|s| !s.is_empty()));
        let messages = body["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0]["role"], "user");
        assert!(messages.iter().all(|m| m["role"] != "system"));
        // forced tool with the stage's schema (the default for Haiku 4.5 and Sonnet 4.6)
        let stage = stage_of(body);
        assert_eq!(body["tool_choice"], json!({"type": "tool", "name": stage}));
        assert_eq!(body["tools"][0]["name"], stage);
        assert_eq!(body["tools"][0]["input_schema"]["type"], "object");
        assert!(body.get("output_config").is_none());
        assert_eq!(body["temperature"], 0.0);
        let model = body["model"].as_str().unwrap();
        let want = if stage == "respond" {
            "claude-sonnet-4-6"
        } else {
            "claude-haiku-4-5"
        };
        assert_eq!(model, want, "{stage}");
        assert!(body["max_tokens"].as_u64().unwrap() > 0);
    }
    let m = metrics(dir.path());
    assert_eq!(m["run"]["backend"], "anthropic");
    assert_eq!(m["counts"]["errors"], 0);
    assert_eq!(m["cost"]["mode"], "actual");
    assert_eq!(m["cost"]["requests"], CALLS as u64);
    assert_eq!(m["cost"]["cache_hits"], 0);
    assert_eq!(m["cost"]["per_component"]["generation"]["calls"], 4);
    assert_eq!(
        m["cost"]["per_component"]["generation"]["input_tokens"],
        4000
    );
    // 4 Sonnet calls: 1000 in × $3/M + 100 out × $15/M = $0.0045 each, × ₹88
    let gen = m["cost"]["per_component"]["generation"]["inr"]
        .as_f64()
        .unwrap();
    assert!((gen - 4.0 * 0.0045 * 88.0).abs() < 1e-6, "{gen}");
    let spent = m["cost"]["spent_inr"].as_f64().unwrap();
    assert!(spent > 0.0 && spent <= m["cost"]["total_inr"].as_f64().unwrap() + 1e-9);
    assert!(r.stdout.contains("this run spent"), "{}", r.stdout);
    assert_eq!(cache_entries(dir.path()).len(), CALLS);
    assert_no_secret(dir.path(), &r, KEY);
}

#[test]
fn output_config_and_no_temperature_where_the_model_says_so() {
    let server = MockServer::start();
    let log = new_log();
    fake_anthropic(&server, log.clone());
    let dir = workdir(TICKETS);
    std::fs::write(
        dir.path().join("supportbench.toml"),
        r#"
[[backends.anthropic.model_options]]
model = "claude-haiku-4-5"
structured_output = "output_config"
temperature = false

[[backends.anthropic.model_options]]
model = "claude-sonnet-4-6"
structured_output = "tool"
temperature = true
"#,
    )
    .unwrap();
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(metrics(dir.path())["counts"]["errors"], 0);
    for (_, body) in log.lock().unwrap().iter() {
        if body["model"] == "claude-haiku-4-5" {
            assert_eq!(body["output_config"]["format"]["type"], "json_schema");
            assert!(body["output_config"]["format"]["schema"]["properties"].is_object());
            assert!(body.get("tools").is_none() && body.get("tool_choice").is_none());
            assert!(body.get("temperature").is_none());
        } else {
            assert_eq!(body["tool_choice"]["type"], "tool");
            assert_eq!(body["temperature"], 0.0);
        }
    }
}

#[test]
fn an_unchanged_rerun_makes_zero_requests_and_reports_the_original_cost() {
    let server = MockServer::start();
    let mock = fake_anthropic(&server, new_log());
    let dir = workdir(TICKETS);
    let first = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(first.code, 0, "{}", first.stderr);
    let m1 = metrics(dir.path());
    let second = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(mock.calls(), CALLS, "the second run sent requests");
    let m2 = metrics(dir.path());
    assert_eq!(m2["cost"]["requests"], 0);
    assert_eq!(m2["cost"]["cache_hits"], CALLS as u64);
    assert_eq!(m2["cost"]["spent_inr"], 0.0);
    assert_eq!(m2["cost"]["total_inr"], m1["cost"]["total_inr"]);
    assert_eq!(m2["intent"], m1["intent"]);

    // --no-cache neither reads nor writes
    let third = run(&mut anthropic(
        dir.path(),
        &server.base_url(),
        &["--no-cache"],
    ));
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert_eq!(mock.calls(), 2 * CALLS);
    assert_eq!(cache_entries(dir.path()).len(), CALLS);
}

#[test]
fn a_docs_change_misses_the_cache() {
    let server = MockServer::start();
    let mock = fake_anthropic(&server, new_log());
    let dir = workdir(TICKETS);
    let docs = copy_docs(dir.path());
    // every retrieved chunk reaches the respond prompt
    std::fs::write(
        dir.path().join("supportbench.toml"),
        "[retrieval]\nrelevance_threshold = 0.0\n",
    )
    .unwrap();
    assert_eq!(
        run(&mut anthropic(dir.path(), &server.base_url(), &[])).code,
        0
    );
    assert_eq!(mock.calls(), CALLS);
    // other article text → other excerpts → new respond requests; classify and sentiment hit
    for f in [
        "billing/plans.md",
        "billing/refunds.md",
        "account/password.md",
        "technical/sync-errors.md",
        "general/everything.md",
    ] {
        let p = docs.join(f);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replace(" ", "  ")).unwrap();
    }
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mock.calls() - CALLS, 4, "only the 4 respond calls are new");
    let m = metrics(dir.path());
    assert_eq!(
        (
            m["cost"]["requests"].as_u64(),
            m["cost"]["cache_hits"].as_u64()
        ),
        (Some(4), Some(8))
    );
}

#[test]
fn cache_only_replays_without_key_and_names_the_first_missing_ticket() {
    let server = MockServer::start();
    let mock = fake_anthropic(&server, new_log());
    let dir = workdir(TICKETS);
    assert_eq!(
        run(&mut anthropic(dir.path(), &server.base_url(), &[])).code,
        0
    );
    let recorded = metrics(dir.path());

    // no key, no base URL: answers come from the cache alone
    let r = run(&mut eval(dir.path(), "anthropic", &["--cache-only"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mock.calls(), CALLS);
    let m = metrics(dir.path());
    assert_eq!(m["cost"]["cache_hits"], CALLS as u64);
    assert_eq!(m["cost"]["total_inr"], recorded["cost"]["total_inr"]);

    // a ticket that was never recorded
    let more = format!(
        "{TICKETS}T5,C4,1,Where can I download the GST report for last quarter?,billing,false\n"
    );
    std::fs::write(dir.path().join("tickets.csv"), more).unwrap();
    let r = run(&mut eval(dir.path(), "anthropic", &["--cache-only"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].contains("ticket T5") && lines[0].contains("--cache-only"),
        "{}",
        lines[0]
    );
    assert_eq!(mock.calls(), CALLS);
}

#[test]
fn rate_limit_429_honours_retry_after() {
    let server = MockServer::start();
    let limited = server.mock(|when, then| {
        when.method("POST").path("/v1/messages");
        then.status(429)
            .header("retry-after", "1")
            .header("request-id", "req_429")
            .json_body(json!({"type": "error", "error": {"type": "rate_limit_error", "message": "Number of requests has exceeded your rate limit"}}))
            .up_to_n_times(1);
    });
    let ok = fake_anthropic(&server, new_log());
    let dir = workdir("ticket_id,message\nT1,How do I export my invoices as PDF?\n");
    let t = Instant::now();
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        t.elapsed() >= Duration::from_millis(1000),
        "did not wait for retry-after"
    );
    assert_eq!(limited.calls(), 1);
    assert_eq!(ok.calls(), 3);
    assert_eq!(metrics(dir.path())["counts"]["errors"], 0);
}

#[test]
fn overloaded_529_and_500_are_retried_with_backoff() {
    let server = MockServer::start();
    let overloaded = server.mock(|when, then| {
        when.method("POST").path("/v1/messages");
        then.status(529)
            .json_body(json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}))
            .up_to_n_times(1);
    });
    let broken = server.mock(|when, then| {
        when.method("POST").path("/v1/messages");
        then.status(500)
            .json_body(json!({"type": "error", "error": {"type": "api_error", "message": "Internal server error"}}))
            .up_to_n_times(1);
    });
    let ok = fake_anthropic(&server, new_log());
    let dir = workdir("ticket_id,message\nT1,How do I export my invoices as PDF?\n");
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!((overloaded.calls(), broken.calls(), ok.calls()), (1, 1, 3));
    assert_eq!(metrics(dir.path())["counts"]["errors"], 0);
}

#[test]
fn exhausted_retries_fail_the_stage_and_the_turn_escalates() {
    let server = MockServer::start();
    let broken = server.mock(|when, then| {
        when.method("POST").path("/v1/messages").body_includes(r#""name":"respond""#);
        then.status(500)
            .header("request-id", "req_500")
            .json_body(json!({"type": "error", "error": {"type": "api_error", "message": "Internal server error"}}));
    });
    fake_anthropic(&server, new_log());
    let dir = workdir(TICKETS);
    std::fs::write(
        dir.path().join("supportbench.toml"),
        "[backends.anthropic]\nmax_retries = 1\n",
    )
    .unwrap();
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // T1 fails and escalates, so T2 is handed to a human: 3 bot turns, 2 attempts each
    assert_eq!(broken.calls(), 3 * 2);
    let m = metrics(dir.path());
    assert_eq!(m["counts"]["errors"], 3);
    assert_eq!(m["escalation"]["reasons"]["stage_failed"], 3);
    let csv = std::fs::read_to_string(dir.path().join("out/tickets.csv")).unwrap();
    assert!(csv.contains("stage_failed"));
    // no answer was paid for a failed respond stage, nothing cached for it
    assert_eq!(cache_entries(dir.path()).len(), 3 * 2);
}

#[test]
fn a_timeout_is_retried() {
    let server = MockServer::start();
    let slow = server.mock(|when, then| {
        when.method("POST").path("/v1/messages");
        then.status(200)
            .delay(Duration::from_secs(3))
            .json_body(json!({"content": [], "stop_reason": "end_turn"}))
            .up_to_n_times(1);
    });
    let ok = fake_anthropic(&server, new_log());
    let dir = workdir("ticket_id,message\nT1,How do I export my invoices as PDF?\n");
    std::fs::write(
        dir.path().join("supportbench.toml"),
        "[backends.anthropic]\ntimeout_secs = 0.5\n",
    )
    .unwrap();
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(slow.calls(), 1);
    assert_eq!(ok.calls(), 3);
    assert_eq!(metrics(dir.path())["counts"]["errors"], 0);
}

/// A fake whose answer for one stage is replaced.
fn fake_with(
    server: &MockServer,
    stage: &'static str,
    reply: impl Fn(&Value) -> httpmock::HttpMockResponse + Send + Sync + 'static,
) {
    server.mock(|when, then| {
        when.method("POST").path("/v1/messages");
        then.respond_with(move |req: &HttpMockRequest| {
            let body = body_of(req);
            let s = stage_of(&body);
            if s == stage {
                reply(&body)
            } else {
                json_reply(200, &anthropic_response(&body, &answer(&s), "tool_use"))
            }
        });
    });
}

fn one_ticket_error(dir: &std::path::Path) -> String {
    let m = metrics(dir);
    assert_eq!(m["counts"]["errors"], 1);
    assert_eq!(m["escalation"]["reasons"]["stage_failed"], 1);
    let csv = std::fs::read_to_string(dir.join("out/tickets.csv")).unwrap();
    assert!(csv.contains("stage_failed"), "{csv}");
    // the reason is in the turn record (ask --json shows it; here: the worst tickets in summary.md)
    std::fs::read_to_string(dir.join("out/summary.md")).unwrap()
}

#[test]
fn a_non_json_body_is_a_failed_stage_not_a_crash() {
    let server = MockServer::start();
    fake_with(&server, "sentiment", |_| {
        httpmock::HttpMockResponse::builder()
            .status(200)
            .header("content-type", "text/html")
            .body("<html>gateway says hi</html>")
            .build()
    });
    let dir = workdir("ticket_id,message\nT1,How do I export my invoices as PDF?\n");
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    one_ticket_error(dir.path());
    assert!(!r.stderr.contains("panick"), "{}", r.stderr);
}

#[test]
fn a_max_tokens_stop_is_a_failed_stage_that_still_costs() {
    let server = MockServer::start();
    fake_with(&server, "classify", |body| {
        json_reply(
            200,
            &anthropic_response(body, &json!({"intent": "general"}), "max_tokens"),
        )
    });
    let dir = workdir("ticket_id,message\nT1,How do I export my invoices as PDF?\n");
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    one_ticket_error(dir.path());
    let m = metrics(dir.path());
    assert_eq!(m["cost"]["per_component"]["classification"]["calls"], 1);
    assert!(
        m["cost"]["per_component"]["classification"]["inr"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

#[test]
fn a_tool_input_that_breaks_the_schema_is_a_failed_stage() {
    let server = MockServer::start();
    fake_with(&server, "classify", |body| {
        json_reply(
            200,
            &anthropic_response(
                body,
                &json!({"intent": "refunds", "confidence": 2, "reasoning": "x"}),
                "tool_use",
            ),
        )
    });
    let dir = workdir("ticket_id,message\nT1,How do I export my invoices as PDF?\n");
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &["--quiet"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    one_ticket_error(dir.path());
    let ask = run(assert_cmd::Command::cargo_bin("supportbench")
        .unwrap()
        .current_dir(dir.path())
        .env("ANTHROPIC_API_KEY", KEY)
        .env("ANTHROPIC_BASE_URL", server.base_url())
        .args([
            "ask",
            "How do I export my invoices as PDF?",
            "--backend",
            "anthropic",
            "--json",
            "--index",
        ])
        .arg(dir.path().join("ix"))
        .arg("--cache")
        .arg(dir.path().join("cache")));
    assert_eq!(ask.code, 0, "{}", ask.stderr);
    let trace: Value = serde_json::from_str(&ask.stdout).unwrap();
    let err = trace["error"].as_str().unwrap();
    assert!(err.contains("classify") && err.contains("schema"), "{err}");
    assert!(
        trace["usage"][0]["cached"] == true,
        "ask reused the recorded answer"
    );
}

#[test]
fn a_bad_key_stops_the_run_early_with_one_message() {
    let server = MockServer::start();
    let denied = server.mock(|when, then| {
        when.method("POST").path("/v1/messages");
        then.status(401)
            .header("request-id", "req_401")
            .json_body(json!({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}));
    });
    let dir = workdir(TICKETS);
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        denied.calls(),
        1,
        "a 401 must not be retried nor repeated per ticket"
    );
    let lines = complaints(&r.stderr);
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].starts_with("error: anthropic rejected the API key"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("ANTHROPIC_API_KEY") && lines[0].contains("req_401"),
        "{}",
        lines[0]
    );
    assert!(!dir.path().join("out/metrics.json").exists());
    assert_no_secret(dir.path(), &r, KEY);
}

#[test]
fn a_retired_model_stops_the_run_naming_the_setting() {
    let server = MockServer::start();
    let gone = server.mock(|when, then| {
        when.method("POST").path("/v1/messages").body_includes("claude-3-haiku-20240307");
        then.status(404)
            .json_body(json!({"type": "error", "error": {"type": "not_found_error", "message": "model: claude-3-haiku-20240307"}}));
    });
    let ok = fake_anthropic(&server, new_log());
    let dir = workdir(TICKETS);
    std::fs::write(
        dir.path().join("supportbench.toml"),
        r#"
[backends.anthropic.models]
classification = "claude-3-haiku-20240307"

[[prices]]
model = "claude-3-haiku-20240307"
input = 0.25
output = 1.25
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
    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(gone.calls(), 1);
    assert_eq!(ok.calls(), 0);
    let lines = complaints(&r.stderr);
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].contains("claude-3-haiku-20240307")
            && lines[0].contains("backends.anthropic.models.classification"),
        "{}",
        lines[0]
    );
}

#[test]
fn a_missing_key_is_one_clear_error_before_any_request() {
    let server = MockServer::start();
    let mock = fake_anthropic(&server, new_log());
    let dir = workdir(TICKETS);
    let mut c = eval(dir.path(), "anthropic", &[]);
    c.env("ANTHROPIC_BASE_URL", server.base_url());
    let r = run(&mut c);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("ANTHROPIC_API_KEY") && r.stderr.contains("--cache-only"),
        "{}",
        r.stderr
    );
    assert_eq!(mock.calls(), 0);
}

#[test]
fn never_more_requests_in_flight_than_concurrency() {
    let server = CountingServer::start(Duration::from_millis(150));
    let mut tickets = String::from("ticket_id,message\n");
    for i in 0..12 {
        tickets.push_str(&format!(
            "T{i},How do I export my invoices as PDF number {i}?\n"
        ));
    }
    let dir = workdir(&tickets);
    let r = run(&mut anthropic(
        dir.path(),
        &server.url,
        &["--concurrency", "3", "--no-cache"],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(server.total.load(Ordering::SeqCst), 36);
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 3);
}

#[test]
fn a_killed_run_resumes_and_resends_only_what_was_not_answered() {
    let server = MockServer::start();
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    server.mock(|when, then| {
        when.method("POST").path("/v1/messages");
        then.delay(Duration::from_millis(150))
            .respond_with(move |req: &HttpMockRequest| {
                h.fetch_add(1, Ordering::SeqCst);
                let body = body_of(req);
                json_reply(
                    200,
                    &anthropic_response(&body, &answer(&stage_of(&body)), "tool_use"),
                )
            });
    });
    let dir = workdir(TICKETS);
    // the reference: how many requests a whole run needs
    let bin = assert_cmd::cargo::cargo_bin("supportbench");
    let mut cmd = std::process::Command::new(&bin);
    cmd.current_dir(dir.path())
        .env("ANTHROPIC_API_KEY", KEY)
        .env("ANTHROPIC_BASE_URL", server.base_url())
        .args([
            "eval",
            "tickets.csv",
            "--index",
            "ix",
            "--embedder",
            "lexical",
            "--backend",
            "anthropic",
            "--cache",
            "cache",
            "--out",
            "out",
            "--concurrency",
            "1",
            "--docs",
        ])
        .arg(docs())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while hits.load(Ordering::SeqCst) < 5 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let first = hits.load(Ordering::SeqCst);
    assert!((5..CALLS).contains(&first), "{first}");
    // every entry on disk is whole; no report was half written
    let stored = cache_entries(dir.path()).len();
    assert!(
        stored >= 4 && stored <= first,
        "{stored} entries after {first} requests"
    );
    assert!(!dir.path().join("out/metrics.json").exists());

    let r = run(&mut anthropic(dir.path(), &server.base_url(), &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let resent = hits.load(Ordering::SeqCst) - first;
    assert_eq!(
        resent,
        CALLS - stored,
        "the resumed run re-sent answered requests"
    );
    let m = metrics(dir.path());
    assert_eq!(m["cost"]["cache_hits"], stored as u64);
    assert_eq!(m["cost"]["requests"], (CALLS - stored) as u64);
}
