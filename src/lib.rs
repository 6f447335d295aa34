//! supportbench: offline evaluation and CI gate for AI customer-support pipelines.
//!
//! - `docs/`: finding, reading, chunking and linting help-centre articles
//! - `embed/`: embedders (static model, lexical, hybrid) behind one trait
//! - `index/`: the on-disk index (usearch + lexical + chunk store + manifest)
//! - `tickets`: the tickets and training CSVs, validated
//! - `pipeline/`: the four stages (classify, retrieve, respond, escalate) and conversations
//! - `backend/`: who runs the stages (offline; live LLM APIs)
//! - `eval/`: metrics, threshold sweep, documentation gaps
//! - `report/`: one file per output format
//! - `gate`: CI gate checks
//! - `commands/`: one file per CLI command
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod backend;
pub mod cli;
pub mod commands;
pub mod config;
pub mod cost;
pub mod docs;
pub mod embed;
pub mod error;
pub mod eval;
pub mod gate;
pub mod index;
pub mod pipeline;
pub mod report;
pub mod text;
pub mod tickets;
pub mod util;

use std::ffi::OsString;

use clap::Parser;

use cli::{Cli, Command};
use error::{Outcome, EXIT_ERROR};

/// Parse `args`, run the command, and return the process exit code. Never panics outward: a
/// panic is reported as one line and exit 2.
pub fn main_with_args<I: IntoIterator<Item = OsString>>(args: I) -> i32 {
    install_panic_hook();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            eprintln!("error: {}", error::render(&e));
            EXIT_ERROR
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Ingest(a) => commands::ingest::run(a),
        Command::Search(a) => commands::search::run(a),
        Command::Eval(a) => commands::eval::run(a),
        Command::Ask(a) => commands::ask::run(a),
        Command::Compare(a) => commands::compare::run(a),
    }
}

/// A bug must still end in one readable line and exit 2, never a backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error{place}: {msg} (this is a bug in supportbench; please report it)"
        );
        std::process::exit(EXIT_ERROR);
    }));
}
