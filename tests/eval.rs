//! `eval`, `ask` and `compare` through the real binary, on fixtures/docs + fixtures/eval.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn bin() -> Command {
    Command::cargo_bin("supportbench").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `eval` on the fixture product; returns (exit code, stdout, stderr).
fn eval(tmp: &Path, tickets: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = bin()
        .arg("eval")
        .arg(tickets)
        .arg("--docs")
        .arg(root().join("fixtures/docs"))
        .arg("--train")
        .arg(root().join("fixtures/eval/train.csv"))
        .arg("--index")
        .arg(tmp.join("index"))
        .arg("--out")
        .arg(tmp.join("out"))
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn tickets() -> PathBuf {
    root().join("fixtures/eval/tickets.csv")
}

fn metrics(tmp: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(tmp.join("out/metrics.json")).unwrap()).unwrap()
}

#[test]
fn whole_flow_writes_every_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = eval(tmp.path(), &tickets(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("eval: 10 conversations, 14 turns"),
        "{stdout}"
    );
    for f in [
        "metrics.json",
        "summary.md",
        "tickets.csv",
        "report.html",
        "junit.xml",
    ] {
        assert!(tmp.path().join("out").join(f).is_file(), "{f} missing");
    }
    let m = metrics(tmp.path());
    assert_eq!(m["schema_version"], 1);
    assert_eq!(m["counts"]["conversations"], 10);
    assert_eq!(m["counts"]["turns"], 14);
    assert_eq!(m["cost"]["currency"], "INR");
    assert_eq!(m["cost"]["mode"], "projected");
    for key in [
        "classification",
        "embedding",
        "generation",
        "sentiment",
        "summary",
    ] {
        assert!(m["cost"]["per_component"][key]["calls"].is_u64(), "{key}");
    }
    for path in [
        "/intent/accuracy",
        "/intent/macro_f1",
        "/intent/per_intent",
        "/intent/confusion",
        "/escalation/rate",
        "/escalation/turn_rate",
        "/escalation/escalated_conversations",
        "/escalation/reasons",
        "/escalation/precision",
        "/escalation/recall",
        "/escalation/f1",
        "/retrieval/k",
        "/retrieval/relevance_threshold",
        "/retrieval/miss_rate",
        "/retrieval/misses",
        "/retrieval/recall_at_k",
        "/retrieval/mrr",
        "/cost/total_inr",
        "/cost/per_conversation_inr",
        "/gate/passed",
        "/gate/checks",
        "/sweep/points",
        "/gaps",
    ] {
        assert!(m.pointer(path).is_some(), "metrics.json lacks {path}");
    }
    assert_eq!(m["sweep"]["points"].as_array().unwrap().len(), 10);
    let html = std::fs::read_to_string(tmp.path().join("out/report.html")).unwrap();
    assert!(html.contains("<svg"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<script"),
        "self-contained, no active content"
    );
    assert!(
        html.contains("=HYPERLINK(&quot;http://evil&quot;)"),
        "ticket text is escaped"
    );
}

#[test]
fn tickets_csv_has_the_spec_columns_and_the_hand_off() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(eval(tmp.path(), &tickets(), &[]).0, 0);
    let mut rdr = csv::Reader::from_path(tmp.path().join("out/tickets.csv")).unwrap();
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        headers,
        [
            "ticket_id",
            "conversation_id",
            "turn",
            "predicted_intent",
            "intent_confidence",
            "retrieved_docs",
            "top_relevance",
            "retrieval_miss",
            "response",
            "response_confidence",
            "escalate",
            "escalation_reasons",
            "handled_by",
            "cost_inr",
            "channel"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 14);
    // C3 escalates before its last turn; every turn after the escalation is human-handled.
    let c3: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[1] == "C3").collect();
    let first = c3
        .iter()
        .position(|r| &r[10] == "true")
        .expect("C3 escalates");
    assert!(first < c3.len() - 1);
    for r in &c3[first + 1..] {
        assert_eq!(&r[12], "human");
        assert_eq!(&r[8], "", "a human-handled turn has no bot response");
    }
    let human = rows.iter().filter(|r| &r[12] == "human").count() as u64;
    let m = metrics(tmp.path());
    assert_eq!(m["counts"]["human_turns"], human);
    assert_eq!(m["counts"]["bot_turns"], 14 - human);
    assert_eq!(
        m["intent"]["labelled"],
        14 - human,
        "human-handled turns are left out of the bot's metrics"
    );
    // the privileged request and the request for a human escalate with their reason codes
    let reasons = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap()[11].to_string();
    assert!(reasons("T10").contains("privileged_action"));
    assert!(reasons("T08").contains("human_requested"));
    assert!(reasons("T11").contains("missing_info"));
}

#[test]
fn the_gate_fails_with_exit_1_naming_each_check() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = eval(
        tmp.path(),
        &tickets(),
        &[
            "--max-escalation-rate",
            "0.1",
            "--min-intent-accuracy",
            "0.5",
        ],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains("gate failed: escalation rate") && stderr.contains("0.1"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("intent accuracy"),
        "only failed checks are reported as failures: {stderr}"
    );
    let m = metrics(tmp.path());
    assert_eq!(m["gate"]["passed"], false);
    let checks = m["gate"]["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    let junit = std::fs::read_to_string(tmp.path().join("out/junit.xml")).unwrap();
    assert!(junit.contains("max_escalation_rate") && junit.contains("<failure"));
    assert!(junit.contains("min_intent_accuracy"));
}

#[test]
fn baseline_regression_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(eval(tmp.path(), &tickets(), &[]).0, 0);
    let baseline = tmp.path().join("baseline.json");
    std::fs::copy(tmp.path().join("out/metrics.json"), &baseline).unwrap();
    let b = baseline.to_str().unwrap();
    assert_eq!(
        eval(tmp.path(), &tickets(), &["--baseline", b]).0,
        0,
        "an identical run does not regress"
    );
    // a baseline that escalated much less makes this run a regression
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    m["escalation"]["rate"] = serde_json::json!(0.1);
    std::fs::write(&baseline, serde_json::to_string(&m).unwrap()).unwrap();
    let (code, _, stderr) = eval(
        tmp.path(),
        &tickets(),
        &["--baseline", b, "--tolerance", "0.05"],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("baseline"), "{stderr}");
}

/// A tickets CSV of one single-turn conversation with `message`.
fn one_turn(tmp: &Path, message: &str) -> PathBuf {
    let csv = tmp.join("one.csv");
    std::fs::write(
        &csv,
        format!("ticket_id,conversation_id,turn,message\nA,c1,1,{message}\n"),
    )
    .unwrap();
    csv
}

/// The first row of the run's `tickets.csv`.
fn first_row(tmp: &Path) -> csv::StringRecord {
    let mut r = csv::Reader::from_path(tmp.join("out/tickets.csv")).unwrap();
    r.records().next().unwrap().unwrap()
}

/// A message that is only an error code: searched alone it matches nothing (a retrieval miss);
/// searched with what the articles say about the code it finds the section on it.
#[test]
fn a_bare_error_code_finds_the_article_that_documents_it() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = one_turn(tmp.path(), "AN-503");
    let (code, _, stderr) = eval(tmp.path(), &csv, &[]);
    assert_eq!(code, 0, "{stderr}");
    let row = first_row(tmp.path());
    assert_eq!(
        &row[5].split('|').next().unwrap(),
        &"technical/sync-errors.md"
    );
    assert_eq!(&row[7], "false", "{row:?}");
    assert!(row[8].contains("server busy"), "{row:?}");

    let config = tmp.path().join("off.toml");
    std::fs::write(&config, "[retrieval]\nexpand_codes = false\n").unwrap();
    let (code, _, stderr) = eval(tmp.path(), &csv, &["--config", config.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(&first_row(tmp.path())[7], "true");
}

/// A Hinglish message is searched with its Hindi words in English: it finds its article above the
/// miss threshold; with `retrieval.hinglish = false` the same message is a retrieval miss.
#[test]
fn a_hinglish_message_is_searched_in_english() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = one_turn(
        tmp.path(),
        "refund kab tak aayega? paisa abhi tak nahi mila",
    );
    let (code, _, stderr) = eval(tmp.path(), &csv, &[]);
    assert_eq!(code, 0, "{stderr}");
    let on = first_row(tmp.path());
    assert!(on[5].starts_with("billing/refunds.md"), "{on:?}");
    assert_eq!(&on[7], "false", "{on:?}");

    let config = tmp.path().join("off.toml");
    std::fs::write(&config, "[retrieval]\nhinglish = false\n").unwrap();
    let (code, _, stderr) = eval(tmp.path(), &csv, &["--config", config.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(&first_row(tmp.path())[7], "true");
}

#[test]
fn bad_csvs_are_exit_2_and_leave_previous_reports_intact() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(eval(tmp.path(), &tickets(), &[]).0, 0);
    let before = std::fs::read(tmp.path().join("out/tickets.csv")).unwrap();
    let cases = [
        ("bad_missing_column.csv", "missing required column"),
        ("bad_duplicate_id.csv", "duplicate ticket_id"),
        ("bad_unknown_intent.csv", "unknown intent"),
        ("bad_boolean.csv", "invalid boolean"),
        ("bad_empty_message.csv", "empty message"),
        ("bad_unbalanced_quotes.csv", "unbalanced quote"),
        ("bad_not_utf8.csv", "not UTF-8"),
        ("bad_field_count.csv", "fields"),
        ("bad_turn.csv", "turn"),
    ];
    for (file, expect) in cases {
        let (code, _, stderr) = eval(tmp.path(), &root().join("fixtures/tickets").join(file), &[]);
        assert_eq!(code, 2, "{file}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(file) && stderr.contains(expect),
            "{file}: {stderr}"
        );
        assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"));
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    }
    let (code, _, stderr) = eval(tmp.path(), &root().join("fixtures/eval/missing.csv"), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("missing.csv") && stderr.contains("not found"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(tmp.path().join("out/tickets.csv")).unwrap(),
        before,
        "previous reports are untouched"
    );
}

#[test]
fn bad_flags_are_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    for (flags, names) in [
        (
            &["--max-escalation-rate", "25"][..],
            "--max-escalation-rate",
        ),
        (&["--tolerance=-1"], "--tolerance"),
        (&["--concurrency", "0"], "--concurrency"),
        (&["--baseline", "nope.json"], "nope.json"),
    ] {
        let (code, _, stderr) = eval(tmp.path(), &tickets(), flags);
        assert_eq!(code, 2, "{flags:?}: {stderr}");
        assert!(stderr.contains(names), "{stderr}");
    }
}

#[test]
fn ask_prints_the_trace() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bin()
        .args([
            "ask",
            "I want to talk to a manager about a refund",
            "--docs",
        ])
        .arg(root().join("fixtures/docs"))
        .arg("--index")
        .arg(tmp.path().join("ix"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for field in ["intent", "retrieval", "response", "confidence", "decision"] {
        assert!(text.contains(field), "{field} missing: {text}");
    }
    assert!(
        text.contains("ESCALATE") && text.contains("human_requested"),
        "{text}"
    );
    // The confidence line says what the number was made of, the person model's move included.
    let confidence = text.lines().find(|l| l.starts_with("confidence")).unwrap();
    assert!(
        confidence.contains("relevance") && confidence.contains("person model leans"),
        "{confidence}"
    );
    let out = bin()
        .args([
            "ask",
            "how long is the password reset link valid?",
            "--json",
            "--index",
        ])
        .arg(tmp.path().join("ix"))
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["retrieved"][0]["doc_id"], "account/password.md");
    assert!(j["response"].as_str().unwrap().contains("30 minutes"));
    assert!(j["response_reasoning"]
        .as_str()
        .unwrap()
        .contains("person model leans"));
}

#[test]
fn compare_lists_flipped_tickets_and_exits_1_on_regression() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    assert_eq!(eval(&a, &tickets(), &[]).0, 0);
    // a stricter turn limit escalates every follow-up turn: a regression
    let cfg = tmp.path().join("strict.toml");
    std::fs::write(&cfg, "[escalation]\nmax_turns = 1\n").unwrap();
    assert_eq!(
        eval(&b, &tickets(), &["--config", cfg.to_str().unwrap()]).0,
        0
    );
    let out = bin()
        .arg("compare")
        .arg(a.join("out/metrics.json"))
        .arg(b.join("out/metrics.json"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("T0") || text.contains("T1"),
        "flipped tickets are listed: {text}"
    );
    assert!(text.contains("escalat"), "{text}");
}

#[test]
fn terminal_output_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, _) = eval(
        tmp.path(),
        &tickets(),
        &[
            "--max-escalation-rate",
            "0.9",
            "--target-escalation-rate",
            "0.5",
        ],
    );
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout.replace(&tmp.path().display().to_string(), "[tmp]"));
}

#[test]
fn default_out_is_reports_tickets_stem() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path().join("my_tickets.csv");
    std::fs::copy(tickets(), &t).unwrap();
    let out = bin()
        .current_dir(tmp.path())
        .arg("eval")
        .arg(&t)
        .arg("--docs")
        .arg(root().join("fixtures/docs"))
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tmp.path().join("reports/my_tickets/metrics.json").is_file());
    assert!(tmp
        .path()
        .join(".supportbench/index/manifest.json")
        .is_file());
}

#[test]
fn generic_examples_are_learnt_unless_turned_off() {
    let train_source = |dir: &Path| metrics(dir)["run"]["train"].as_str().unwrap().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, stderr) = eval(tmp.path(), &tickets(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let train = train_source(tmp.path());
    assert!(train.ends_with("+ 480 generic examples"), "{train}");

    let off = tempfile::tempdir().unwrap();
    let cfg = off.path().join("off.toml");
    std::fs::write(&cfg, "[classifier]\ngeneric_examples = false\n").unwrap();
    let (code, _, stderr) = eval(off.path(), &tickets(), &["--config", cfg.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let train = train_source(off.path());
    assert!(!train.contains("generic"), "{train}");
}
