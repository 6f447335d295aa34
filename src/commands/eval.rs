//! `supportbench eval`: validate the tickets, build or open the index, replay every conversation
//! through the pipeline (conversations in parallel, turns in order), stream the per-turn rows to
//! tickets.csv and the metrics accumulator, then write the reports and apply the gate.
//!
//! Everything that can be wrong with the input is checked before anything is written; reports are
//! written to temporary files and renamed into place, so an interrupted run leaves the previous
//! reports intact.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::cli::EvalArgs;
use crate::commands::prepare::{prepare_with, Prepared};
use crate::config::Config;
use crate::error::Outcome;
use crate::eval::accumulate::{MetricsBuilder, MetricsParams};
use crate::eval::metrics::{Metrics, RunInfo};
use crate::gate::{self, GateLimits};
use crate::pipeline::trace::TurnRecord;
use crate::pipeline::{Pipeline, TurnInput};
use crate::report::csv::TicketsCsvWriter;
use crate::report::worst::WorstTickets;
use crate::report::{count, inr, inr_opt};
use crate::tickets::{self, Ticket};
use crate::util::emit;

/// Conversations replayed per parallel batch: bounds memory whatever the file size.
const BATCH: usize = 512;
/// Worst tickets kept for the reports.
const WORST: usize = 20;

impl From<Ticket> for TurnInput {
    fn from(t: Ticket) -> Self {
        TurnInput {
            ticket_id: t.ticket_id,
            conversation_id: t.conversation_id,
            turn: t.turn,
            message: t.message,
            labels: t.labels,
            extra: t.extra,
        }
    }
}

pub fn run(args: EvalArgs) -> Result<Outcome> {
    check_flags(&args)?;
    let baseline = match &args.baseline {
        Some(p) => Some((p.display().to_string(), gate::load_baseline(p)?)),
        None => None,
    };
    // Validate the whole tickets file before building anything or writing anything.
    let config = Config::load(args.pipeline.config.as_deref())?;
    let set = tickets::scan(&args.tickets, &config.intent_names())?;
    for w in set.warnings() {
        eprintln!("warning: {w}");
    }
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.tickets));
    let p = prepare_with(&args.pipeline, !args.quiet, args.concurrency)?;
    if let Some(ing) = &p.ingest {
        if !args.quiet {
            eprintln!(
                "index: {} files, {} chunks ({} embedded, {} reused), {} doc lint warning(s) — run `supportbench ingest` to see them",
                ing.files,
                ing.chunks,
                ing.embedded,
                ing.reused,
                ing.warnings.len()
            );
        }
    }
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create the report folder {}", out_dir.display()))?;
    remove_stale_temp_files(&out_dir);

    let (mut metrics, worst) = replay(&args, &p, &set, &out_dir)?;
    let limits = GateLimits {
        max_escalation_rate: args.max_escalation_rate,
        min_intent_accuracy: args.min_intent_accuracy,
        max_retrieval_miss_rate: args.max_retrieval_miss_rate,
        max_cost_per_conversation: args.max_cost_per_conversation,
        baseline,
        tolerance: args.tolerance,
    };
    metrics.gate = gate::evaluate(&metrics, &limits);
    crate::report::write_reports(&out_dir, &metrics, &worst)?;

    if !args.quiet {
        emit(&terminal_summary(&metrics, &out_dir))?;
    }
    for c in metrics.gate.checks.iter().filter(|c| !c.passed) {
        eprintln!("gate failed: {}", c.message);
    }
    Ok(if metrics.gate.passed {
        Outcome::Passed
    } else {
        Outcome::GateFailed
    })
}

fn check_flags(a: &EvalArgs) -> Result<()> {
    for (flag, v) in [
        ("--max-escalation-rate", a.max_escalation_rate),
        ("--min-intent-accuracy", a.min_intent_accuracy),
        ("--max-retrieval-miss-rate", a.max_retrieval_miss_rate),
        ("--target-escalation-rate", a.target_escalation_rate),
    ] {
        if let Some(v) = v {
            if !(0.0..=1.0).contains(&v) {
                bail!("{flag} {v} is not a rate: use a value between 0 and 1 (e.g. 0.25 for 25%)");
            }
        }
    }
    if let Some(v) = a.max_cost_per_conversation {
        if v < 0.0 || !v.is_finite() {
            bail!("--max-cost-per-conversation {v} must be a positive amount in rupees");
        }
    }
    if !(0.0..=1.0).contains(&a.tolerance) {
        bail!(
            "--tolerance {} must be between 0 and 1 (e.g. 0.02 for 2 points)",
            a.tolerance
        );
    }
    if a.concurrency == 0 {
        bail!("--concurrency 0 runs nothing: use 1 or more");
    }
    if !a.tickets.exists() {
        bail!(
            "tickets file {} not found: check the path",
            a.tickets.display()
        );
    }
    Ok(())
}

/// A run killed mid-write (Ctrl-C, OOM, CI timeout) leaves `.<report>.tmp-<pid>` files beside the
/// intact previous reports; the next run removes them.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') && name.contains(".tmp-") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// reports/<tickets file stem>/
pub fn default_out(tickets: &Path) -> PathBuf {
    let stem = tickets
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "tickets".into());
    PathBuf::from("reports").join(stem)
}

/// expected_doc ids that name no indexed article — almost always a typo or a renamed file.
/// Collected while the tickets stream past, reported once at the end.
#[derive(Default)]
struct UnknownDocs {
    /// First place each unknown id was seen, in order.
    first_seen: Vec<String>,
    ids: std::collections::HashSet<String>,
}

impl UnknownDocs {
    fn check(&mut self, p: &Prepared, t: &Ticket) {
        for d in t.labels.docs.iter().flatten() {
            if !p.index.manifest.docs.contains_key(d)
                && self.ids.insert(d.clone())
                && self.first_seen.len() < 5
            {
                self.first_seen
                    .push(format!("line {}: expected_doc \"{d}\"", t.line));
            }
        }
    }

    fn report(&self) {
        let n = self.ids.len();
        if n > 0 {
            eprintln!(
                "warning: {n} expected_doc id(s) are not in the index (doc ids are paths relative to the docs folder): {}{}",
                self.first_seen.join("; "),
                if n > 5 { "; …" } else { "" }
            );
        }
    }
}

/// Replay every conversation; returns the metrics (gate not yet applied) and the worst tickets.
fn replay(
    args: &EvalArgs,
    p: &Prepared,
    set: &tickets::TicketSet,
    out_dir: &Path,
) -> Result<(Metrics, Vec<TurnRecord>)> {
    let cfg = &p.config;
    let pipeline = Pipeline::new(cfg, &p.index, p.backend.as_ref());
    let mut builder = MetricsBuilder::new(MetricsParams {
        intents: cfg.intent_names(),
        k: cfg.retrieval.k,
        relevance_threshold: f64::from(cfg.retrieval.relevance_threshold),
        min_confidence: cfg.escalation.min_confidence,
        sensitive_confidence: cfg.escalation.sensitive_confidence,
        sensitive_intents: cfg
            .intents
            .iter()
            .filter(|i| i.sensitive)
            .map(|i| i.name.clone())
            .collect(),
        cost_mode: p.backend.cost_mode().to_string(),
        usd_to_inr: cfg.cost.usd_to_inr,
        monthly_conversations: cfg.cost.monthly_conversations,
        target_escalation_rate: args.target_escalation_rate,
    });
    let mut csv = TicketsCsvWriter::create(&out_dir.join("tickets.csv"), set.extra_headers())?;
    let mut worst = WorstTickets::new(WORST);
    let bar = progress(!args.quiet, set.conversations());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.concurrency.min(rayon::current_num_threads().max(1)))
        .build()?;
    let mut iter = set.conversations_iter()?;
    let mut unknown_docs = UnknownDocs::default();
    loop {
        let mut batch: Vec<Vec<TurnInput>> = Vec::with_capacity(BATCH);
        for conv in iter.by_ref().take(BATCH) {
            let conv = conv?;
            for t in &conv {
                unknown_docs.check(p, t);
            }
            batch.push(conv.into_iter().map(TurnInput::from).collect());
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<Result<Vec<TurnRecord>>> = if p.backend.io_bound() {
            // Live backends block on the network: one thread per request in flight.
            crate::backend::live::run_heaviest_first(batch, args.concurrency, Vec::len, |c| {
                pipeline.run_conversation(c)
            })
        } else {
            pool.install(|| {
                batch
                    .into_par_iter()
                    .map(|c| pipeline.run_conversation(c))
                    .collect()
            })
        };
        for conv in results {
            let conv = conv?;
            builder.add_conversation(&conv);
            for r in &conv {
                csv.write(r)?;
                worst.offer(r);
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    csv.finish()?;
    unknown_docs.report();
    let run = RunInfo {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        tickets: args.tickets.display().to_string(),
        backend: p.backend.name().to_string(),
        embedder: p.index.manifest.embedder.id.clone(),
        index: p.index.dir.display().to_string(),
        docs: p.index.manifest.docs.len(),
        chunks: p.index.chunks.len(),
        train: Some(p.trained_on.clone()),
        intents: cfg.intent_names(),
    };
    Ok((builder.finish(run), worst.into_sorted()))
}

fn progress(enabled: bool, len: u64) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "replaying {bar:30} {pos}/{len} conversations ({per_sec}, eta {eta})",
    ) {
        bar.set_style(style);
    }
    bar
}

fn rate(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}%", x * 100.0))
        .unwrap_or_else(|| "—".into())
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "—".into())
}

/// What `eval` prints on the terminal.
pub fn terminal_summary(m: &Metrics, out_dir: &Path) -> String {
    let mut s = format!(
        "eval: {} conversations, {} turns ({} by the bot, {} handed to a human), backend {}\n",
        m.counts.conversations,
        m.counts.turns,
        m.counts.bot_turns,
        m.counts.human_turns,
        m.run.backend
    );
    s.push_str(&format!(
        "  intent      accuracy {}  macro F1 {}  ({} labelled)\n",
        rate(m.intent.accuracy),
        num(m.intent.macro_f1),
        m.intent.labelled
    ));
    s.push_str(&format!(
        "  escalation  {} of conversations, {} of bot turns (labels say {})  precision {}  recall {}  F1 {}\n",
        rate(m.escalation.rate),
        rate(m.escalation.turn_rate),
        rate(m.escalation.expected_turn_rate),
        num(m.escalation.precision),
        num(m.escalation.recall),
        num(m.escalation.f1)
    ));
    s.push_str(&format!(
        "  retrieval   miss rate {}  recall@{} {}  MRR {}\n",
        rate(m.retrieval.miss_rate),
        m.retrieval.k,
        rate(m.retrieval.recall_at_k),
        num(m.retrieval.mrr)
    ));
    s.push_str(&format!(
        "  cost        {} per conversation, {} total, {} per month at {} conversations ({})\n",
        inr_opt(m.cost.per_conversation_inr),
        inr(m.cost.total_inr),
        inr_opt(m.cost.per_month_inr),
        count(m.cost.monthly_conversations),
        m.cost.mode
    ));
    if m.cost.mode == "actual" {
        s.push_str(&format!(
            "              this run spent {} on {} API calls; {} answers came from the cache (reported at their original cost)\n",
            inr(m.cost.spent_inr),
            count(m.cost.requests),
            count(m.cost.cache_hits)
        ));
    }
    if let Some(t) = m.sweep.target_escalation_rate {
        s.push_str(&format!(
            "  sweep       target escalation rate {}: {}\n",
            rate(Some(t)),
            m.sweep
                .recommended_threshold
                .map(|r| format!("confidence threshold {r:.2} meets it"))
                .unwrap_or_else(|| "no threshold from 0.50 to 0.95 meets it".into())
        ));
    }
    if m.counts.errors > 0 {
        s.push_str(&format!(
            "  errors      {} bot turns had a failed stage\n",
            m.counts.errors
        ));
    }
    if m.gate.checks.is_empty() {
        s.push_str("  gate        no gate flags given\n");
    } else {
        let failed = m.gate.checks.iter().filter(|c| !c.passed).count();
        if failed == 0 {
            let n = m.gate.checks.len();
            s.push_str(&format!(
                "  gate        passed ({n} check{})\n",
                if n == 1 { "" } else { "s" }
            ));
        } else {
            s.push_str(&format!(
                "  gate        FAILED ({failed} of {} checks)\n",
                m.gate.checks.len()
            ));
        }
        for c in &m.gate.checks {
            s.push_str(&format!(
                "    {} {}\n",
                if c.passed { "ok  " } else { "FAIL" },
                c.message
            ));
        }
    }
    s.push_str(&format!(
        "  reports     {}/{{metrics.json, summary.md, tickets.csv, report.html, junit.xml}}\n",
        out_dir.display()
    ));
    s
}
