//! The four-stage support pipeline and the conversation manager.

pub mod trace;
