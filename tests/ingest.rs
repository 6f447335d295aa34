//! `ingest` and `search` through the real binary, on fixtures/docs.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn bin() -> Command {
    Command::cargo_bin("supportbench").unwrap()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/docs")
}

/// A copy of fixtures/docs in a temp dir, so tests can change it.
fn docs_copy(tmp: &Path) -> PathBuf {
    let dst = tmp.join("docs");
    copy_dir(&fixtures(), &dst);
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

fn ingest_json(docs: &Path, index: &Path, extra: &[&str]) -> Value {
    let out = bin()
        .arg("ingest")
        .arg(docs)
        .arg("--index")
        .arg(index)
        .arg("--json")
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stderr_of(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn ingest_reports_files_chunks_and_lint() {
    let tmp = tempfile::tempdir().unwrap();
    let j = ingest_json(&fixtures(), &tmp.path().join("ix"), &[]);
    assert_eq!(j["files"], 7);
    assert_eq!(j["skipped"], 1);
    assert_eq!(j["embedded"], j["chunks"]);
    assert_eq!(j["reused"], 0);
    let kinds: Vec<(String, String)> = j["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["doc"].as_str().unwrap().to_string(),
                w["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (doc, kind) in [
        ("general/empty.md", "empty"),
        ("general/everything.md", "wall_of_text"),
        ("misc/flat.md", "no_headings"),
        ("misc/latin1.md", "not_utf8"),
    ] {
        assert!(
            kinds.contains(&(doc.to_string(), kind.to_string())),
            "missing {kind} for {doc}: {kinds:?}"
        );
    }
}

#[test]
fn chunks_jsonl_is_exact_source_spans_within_size() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    ingest_json(&fixtures(), &ix, &[]);
    let text = std::fs::read_to_string(ix.join("chunks.jsonl")).unwrap();
    let mut n = 0;
    for line in text.lines() {
        let c: Value = serde_json::from_str(line).unwrap();
        let src = std::fs::read(fixtures().join(c["doc_id"].as_str().unwrap())).unwrap();
        let (s, e) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            String::from_utf8(src[s..e].to_vec()).unwrap(),
            c["text"].as_str().unwrap()
        );
        assert!(c["text"].as_str().unwrap().chars().count() <= 500);
        assert!(c["heading_path"].is_array());
        assert!(c["id"]
            .as_str()
            .unwrap()
            .starts_with(c["doc_id"].as_str().unwrap()));
        n += 1;
    }
    let crlf = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|c| c["doc_id"] == "account/password.md")
        .unwrap();
    assert_eq!(crlf["heading_path"][0], "Password and sign-in");
    let deep = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|c| c["text"].as_str().unwrap().contains("background data"))
        .unwrap();
    assert_eq!(deep["heading_path"].as_array().unwrap().len(), 3);
    assert!(n > 10);
}

#[test]
fn reingest_reuses_and_tracks_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = docs_copy(tmp.path());
    let ix = tmp.path().join("ix");
    let first = ingest_json(&docs, &ix, &[]);
    let again = ingest_json(&docs, &ix, &[]);
    assert_eq!(again["embedded"], 0, "an unchanged folder embeds nothing");
    assert_eq!(again["reused"], first["chunks"]);

    std::fs::write(
        docs.join("billing/plans.md"),
        "# Plans\n\n## Pro\n\nPro costs ₹299 per user per month.\n",
    )
    .unwrap();
    std::fs::remove_file(docs.join("technical/sync-errors.md")).unwrap();
    let changed = ingest_json(&docs, &ix, &[]);
    assert_eq!(changed["embedded"], 1);
    let chunks = std::fs::read_to_string(ix.join("chunks.jsonl")).unwrap();
    assert!(
        !chunks.contains("technical/sync-errors.md"),
        "removed docs leave the index"
    );
    assert!(chunks.contains("Pro costs ₹299"));
    let out = bin()
        .args(["search", "session expired AN-401", "--json", "--index"])
        .arg(&ix)
        .output()
        .unwrap();
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["doc_id"] != "technical/sync-errors.md"));
}

#[test]
fn search_json_and_table() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    ingest_json(&fixtures(), &ix, &[]);
    let out = bin()
        .args([
            "search",
            "error AN-401 session expired",
            "-k",
            "2",
            "--json",
            "--index",
        ])
        .arg(&ix)
        .output()
        .unwrap();
    assert!(out.status.success());
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["doc_id"], "technical/sync-errors.md");
    assert_eq!(hits[0]["heading_path"][1], "Error AN-401: session expired");
    for key in ["doc_id", "heading_path", "score", "text", "chunk_id"] {
        assert!(hits[0].get(key).is_some(), "missing {key}");
    }
    let rank = |h: &Value| h["score"].as_f64().unwrap() + 0.05 * h["title"].as_f64().unwrap();
    assert!(rank(&hits[0]) >= rank(&hits[1]));
    let table = bin()
        .args(["search", "refund annual plan", "--index"])
        .arg(&ix)
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.lines().next().unwrap().contains("score"));
    assert!(table.contains("billing/refunds.md"));
}

/// fixtures/titles: a short chunk of the wrong article repeats the query's words; the right
/// article's title names the question but its long answer dilutes it. The title weight ranks the
/// right article first without changing any relevance (at 0.2: the default 0.05 is a nudge).
#[test]
fn the_article_title_ranks_the_article_that_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/titles");
    ingest_json(&docs, &ix, &[]);
    let config = |w: &str| {
        let p = tmp.path().join(format!("w{w}.toml"));
        std::fs::write(&p, format!("[retrieval]\ntitle_weight = {w}\n")).unwrap();
        p
    };
    let (off, on) = (config("0.0"), config("0.2"));
    let search = |config: &Path| -> Vec<Value> {
        let mut c = bin();
        c.args([
            "search",
            "more search results per page",
            "--json",
            "--index",
        ])
        .arg(&ix)
        .arg("--config")
        .arg(config);
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let without = search(&off);
    assert_eq!(without[0]["doc_id"], "archive.md");
    assert_eq!(without[0]["title"], 0.0);
    let with = search(&on);
    assert_eq!(with[0]["doc_id"], "page-size.md");
    assert!(with[0]["title"].as_f64().unwrap() > with[1]["title"].as_f64().unwrap());
    // The relevance is the chunk's own either way.
    let score = |hits: &[Value], doc: &str| {
        hits.iter().find(|h| h["doc_id"] == doc).unwrap()["score"].clone()
    };
    assert_eq!(score(&with, "archive.md"), score(&without, "archive.md"));
    assert!(score(&with, "archive.md").as_f64() > score(&with, "page-size.md").as_f64());
}

#[test]
fn a_rebuilt_index_has_the_same_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let graph = |name: &str| {
        let ix = tmp.path().join(name);
        // The sample product (246 chunks): enough for threads to interleave.
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/ledgerleaf/docs");
        ingest_json(&docs, &ix, &[]);
        std::fs::read(ix.join("dense.usearch")).unwrap()
    };
    let (a, b) = (graph("a"), graph("b"));
    assert!(!a.is_empty());
    assert!(
        a == b,
        "dense.usearch differs between two builds of the same docs"
    );
}

#[test]
fn every_embedder_builds_and_searches() {
    let tmp = tempfile::tempdir().unwrap();
    for e in ["hybrid", "potion", "lexical"] {
        let ix = tmp.path().join(e);
        let j = ingest_json(&fixtures(), &ix, &["--embedder", e]);
        assert!(j["embedder"].as_str().unwrap().contains(if e == "hybrid" {
            "hybrid"
        } else if e == "potion" {
            "potion"
        } else {
            "lexical"
        }));
        let out = bin()
            .args([
                "search",
                "two-factor authentication app",
                "--json",
                "--index",
            ])
            .arg(&ix)
            .output()
            .unwrap();
        let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(hits[0]["doc_id"], "account/password.md", "{e}");
    }
}

#[test]
fn corrupted_files_are_exit_2_with_a_rebuild_hint_never_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    ingest_json(&fixtures(), &ix, &[]);
    let pristine: Vec<(String, Vec<u8>)> = [
        "dense.usearch",
        "lexical.bin",
        "chunks.jsonl",
        "manifest.json",
    ]
    .iter()
    .map(|f| (f.to_string(), std::fs::read(ix.join(f)).unwrap()))
    .collect();
    let restore = || {
        for (f, b) in &pristine {
            std::fs::write(ix.join(f), b).unwrap();
        }
    };
    // garbage inside the usearch graph (the case that segfaults without a checksum)
    let mut bytes = pristine[0].1.clone();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(ix.join("dense.usearch"), &bytes).unwrap();
    let (code, err) = stderr_of(bin().args(["search", "refund", "--index"]).arg(&ix));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("corrupted") && err.contains("supportbench ingest"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    restore();
    // truncated lexical file
    std::fs::write(
        ix.join("lexical.bin"),
        &pristine[1].1[..pristine[1].1.len() / 3],
    )
    .unwrap();
    let (code, err) = stderr_of(bin().args(["search", "refund", "--index"]).arg(&ix));
    assert_eq!(code, 2);
    assert!(err.contains("lexical.bin"), "{err}");
    restore();
    // missing chunk store
    std::fs::remove_file(ix.join("chunks.jsonl")).unwrap();
    let (code, err) = stderr_of(bin().args(["search", "refund", "--index"]).arg(&ix));
    assert_eq!(code, 2);
    assert!(
        err.contains("chunks.jsonl") && err.contains("missing"),
        "{err}"
    );
    restore();
    // manifest that is not JSON
    std::fs::write(ix.join("manifest.json"), b"{ not json").unwrap();
    let (code, err) = stderr_of(bin().args(["search", "refund", "--index"]).arg(&ix));
    assert_eq!(code, 2);
    assert!(
        err.contains("manifest.json") && err.contains("corrupted"),
        "{err}"
    );
    restore();
    // an index built by another embedder version
    let m = String::from_utf8(pristine[3].1.clone())
        .unwrap()
        .replace("lexical-v1", "lexical-v0");
    std::fs::write(ix.join("manifest.json"), m).unwrap();
    let (code, err) = stderr_of(bin().args(["search", "refund", "--index"]).arg(&ix));
    assert_eq!(code, 2);
    assert!(err.contains("built with embedder"), "{err}");
    restore();
    assert!(bin()
        .args(["search", "refund", "--index"])
        .arg(&ix)
        .output()
        .unwrap()
        .status
        .success());
}

#[test]
fn an_interrupted_swap_leaves_a_usable_index() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    ingest_json(&fixtures(), &ix, &[]);
    // killed after moving the old index aside, before moving the new one in
    std::fs::rename(&ix, tmp.path().join("ix.old")).unwrap();
    assert!(bin()
        .args(["search", "refund", "--index"])
        .arg(&ix)
        .output()
        .unwrap()
        .status
        .success());
    assert!(ix.join("manifest.json").exists());
    // a half-written new index (no manifest yet) is ignored and cleaned by the next ingest
    std::fs::create_dir_all(tmp.path().join("ix.new")).unwrap();
    std::fs::write(tmp.path().join("ix.new/chunks.jsonl"), "partial").unwrap();
    assert!(bin()
        .args(["search", "refund", "--index"])
        .arg(&ix)
        .output()
        .unwrap()
        .status
        .success());
    ingest_json(&fixtures(), &ix, &[]);
    assert!(!tmp.path().join("ix.new").exists());
}

#[test]
fn bad_input_is_exit_2_naming_the_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, err) = stderr_of(
        bin()
            .args(["ingest", "no/such/docs", "--index"])
            .arg(tmp.path().join("ix")),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("no/such/docs") && err.starts_with("error: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);

    let not_index = tmp.path().join("precious");
    std::fs::create_dir_all(&not_index).unwrap();
    std::fs::write(not_index.join("thesis.txt"), "do not delete").unwrap();
    let (code, err) = stderr_of(
        bin()
            .arg("ingest")
            .arg(fixtures())
            .arg("--index")
            .arg(&not_index),
    );
    assert_eq!(code, 2);
    assert!(err.contains("not a supportbench index"), "{err}");
    assert!(not_index.join("thesis.txt").exists());

    let (code, err) = stderr_of(
        bin()
            .args(["search", "x", "--index"])
            .arg(tmp.path().join("none")),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("no index") && err.contains("supportbench ingest"),
        "{err}"
    );

    let (code, err) = stderr_of(
        bin()
            .arg("ingest")
            .arg(fixtures())
            .args(["--chunk-overlap", "400", "--index"])
            .arg(tmp.path().join("o")),
    );
    assert_eq!(code, 2);
    assert!(err.contains("--chunk-overlap"), "{err}");

    let (code, _) = stderr_of(bin().args(["frobnicate"]));
    assert_eq!(code, 2);
}

#[test]
fn help_lists_every_command() {
    let out = bin().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for c in ["ingest", "search", "eval", "ask", "compare"] {
        assert!(help.contains(c), "{c} missing from --help");
    }
}

#[test]
fn human_summary_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let out = bin()
        .arg("ingest")
        .arg(fixtures())
        .arg("--index")
        .arg(&ix)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let masked = regex::Regex::new(r"\d+\.\d+ s")
        .unwrap()
        .replace_all(&text, "[secs] s");
    let masked = masked.replace(&ix.display().to_string(), "[index]");
    insta::assert_snapshot!(masked);
}
