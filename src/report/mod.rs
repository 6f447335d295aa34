//! Reports, one format per file: metrics.json, summary.md, tickets.csv, report.html, junit.xml.

pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod worst;
