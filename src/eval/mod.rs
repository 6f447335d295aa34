//! Evaluation: replaying tickets through the pipeline and measuring the result.
//!
//! - `metrics`: the metrics.json schema
//! - `accumulate`: streaming computation of the metrics from turn records
//! - `calibration`: expected calibration error of the intent and response confidences
//! - `sweep`: the confidence-threshold sweep
//! - `gaps`: documentation gaps (misses and low-confidence escalations by intent and topic)

pub mod accumulate;
pub mod calibration;
pub mod gaps;
pub mod metrics;
pub mod sweep;
