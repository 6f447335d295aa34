//! One file per command: turn parsed arguments into work and print the result.

pub mod ask;
pub mod compare;
pub mod eval;
pub mod ingest;
pub mod prepare;
pub mod search;

use anyhow::{bail, Result};

use crate::error::Outcome;

/// Commands whose issue has not landed yet.
pub fn not_implemented(name: &str) -> Result<Outcome> {
    bail!("`supportbench {name}` is not implemented yet in this build")
}
