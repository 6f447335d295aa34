//! Text normalisation shared by the stages that match customers' words against the articles.

pub mod hinglish;
