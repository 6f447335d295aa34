//! `supportbench compare` (being written).

use anyhow::Result;

use crate::cli::CompareArgs;
use crate::error::Outcome;

pub fn run(_args: CompareArgs) -> Result<Outcome> {
    super::not_implemented("compare")
}
