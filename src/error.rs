//! Exit codes and the one place errors are turned into a line for people.
//!
//! Every command returns `anyhow::Result<Outcome>`: `Ok(Outcome::Passed)` is exit 0,
//! `Ok(Outcome::GateFailed)` is exit 1 and any `Err` is exit 2. Errors carry their context
//! (file, line, flag, fix) in the anyhow chain; [`render`] prints it as one readable line.

/// Exit code for success with every gate passed.
pub const EXIT_OK: i32 = 0;
/// Exit code when a quality gate failed.
pub const EXIT_GATE: i32 = 1;
/// Exit code for an error: bad input, unusable index, backend failure.
pub const EXIT_ERROR: i32 = 2;

/// What a command that did not error reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything ran and every gate check passed.
    Passed,
    /// The run completed but at least one gate check failed.
    GateFailed,
}

impl Outcome {
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Passed => EXIT_OK,
            Outcome::GateFailed => EXIT_GATE,
        }
    }
}

/// One line: the outermost message followed by its causes, joined by `: `, without repeats.
pub fn render(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let s = cause.to_string();
        let s = s.trim().trim_end_matches('.').to_string();
        if s.is_empty() || parts.iter().any(|p| p.contains(&s)) {
            continue;
        }
        parts.push(s);
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn render_joins_the_chain_once() {
        let err: anyhow::Result<()> =
            Err(anyhow::anyhow!("No such file or directory (os error 2)"));
        let err = err.context("cannot read tickets.csv").unwrap_err();
        assert_eq!(
            render(&err),
            "cannot read tickets.csv: No such file or directory (os error 2)"
        );
    }

    #[test]
    fn render_drops_repeated_causes() {
        let inner = anyhow::anyhow!("bad value");
        let err = inner.context("config.toml line 3: bad value");
        assert_eq!(render(&err), "config.toml line 3: bad value");
    }
}
