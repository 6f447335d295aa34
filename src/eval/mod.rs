//! Evaluation: replaying tickets through the pipeline and measuring the result.
//!
//! - `metrics`: the metrics.json schema
//! - `accumulate`: streaming computation of the metrics from turn records
//! - `sweep`: the confidence-threshold sweep
//! - `gaps`: documentation gaps (misses and low-confidence escalations by intent and topic)

pub mod accumulate;
pub mod gaps;
pub mod metrics;
pub mod sweep;
