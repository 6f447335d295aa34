//! `tickets.csv`: one row per turn, streamed while the replay runs, then the input's extra
//! columns. The rows go to a temporary file beside the destination that [`TicketsCsvWriter::finish`]
//! renames into place, so an interrupted run never leaves half a file where a good one was.
//!
//! Cells a spreadsheet would run as a formula (OWASP "CSV injection": a leading `=`, `+`, `-`, `@`,
//! tab or carriage return) get a leading `'`, which spreadsheets show as text. Ticket messages
//! and model output are untrusted: a customer can type `=HYPERLINK(…)`.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::pipeline::trace::{HandledBy, TurnRecord};

/// The fixed columns, in order; the input's extra columns follow.
pub const COLUMNS: [&str; 14] = [
    "ticket_id",
    "conversation_id",
    "turn",
    "predicted_intent",
    "intent_confidence",
    "retrieved_docs",
    "top_relevance",
    "retrieval_miss",
    "response",
    "response_confidence",
    "escalate",
    "escalation_reasons",
    "handled_by",
    "cost_inr",
];

/// Streaming writer of tickets.csv. Dropped without [`finish`](Self::finish) (an error or an
/// interrupt), it removes its temporary file and leaves any previous tickets.csv untouched.
pub struct TicketsCsvWriter {
    writer: Option<::csv::Writer<BufWriter<File>>>,
    tmp: PathBuf,
    path: PathBuf,
    extra_headers: Vec<String>,
}

impl TicketsCsvWriter {
    /// Start a tickets.csv at `path` with the fixed columns followed by `extra_headers` (the input
    /// columns that are not part of the tickets format, in input order).
    pub fn create(path: &Path, extra_headers: &[String]) -> Result<Self> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "tickets.csv".to_string());
        let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        let file =
            File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        let mut this = TicketsCsvWriter {
            writer: Some(::csv::WriterBuilder::new().from_writer(BufWriter::new(file))),
            tmp,
            path: path.to_path_buf(),
            extra_headers: extra_headers.to_vec(),
        };
        let header: Vec<String> = COLUMNS
            .iter()
            .map(|c| c.to_string())
            .chain(extra_headers.iter().map(|h| escape_formula(h)))
            .collect();
        this.write_row(&header)?;
        Ok(this)
    }

    /// Append the row of one turn.
    pub fn write(&mut self, r: &TurnRecord) -> Result<()> {
        let row = row(r, &self.extra_headers);
        self.write_row(&row)
    }

    /// Flush everything and move the file into place.
    pub fn finish(mut self) -> Result<()> {
        let Some(writer) = self.writer.take() else {
            return Ok(());
        };
        let buffered = writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))
            .with_context(|| format!("cannot write {}", self.tmp.display()))?;
        let file = buffered
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))
            .with_context(|| format!("cannot write {}", self.tmp.display()))?;
        file.sync_all().ok();
        drop(file);
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("cannot move {} into place", self.path.display()))?;
        Ok(())
    }

    fn write_row(&mut self, row: &[String]) -> Result<()> {
        let tmp = &self.tmp;
        let writer = self
            .writer
            .as_mut()
            .with_context(|| format!("{} is already finished", tmp.display()))?;
        writer
            .write_record(row)
            .with_context(|| format!("cannot write {}", tmp.display()))
    }
}

impl Drop for TicketsCsvWriter {
    fn drop(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            let _ = writer.flush();
            drop(writer);
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The cells of one turn, formula-escaped, extra values in `extra_headers` order.
fn row(r: &TurnRecord, extra_headers: &[String]) -> Vec<String> {
    let mut cells = vec![
        r.ticket_id.clone(),
        r.conversation_id.clone(),
        r.turn.to_string(),
        r.predicted_intent.clone().unwrap_or_default(),
        float(r.intent_confidence, 4),
        r.retrieved_docs.join("|"),
        float(r.top_relevance, 4),
        r.retrieval_miss.map(bool_cell).unwrap_or_default(),
        r.response.clone().unwrap_or_default(),
        float(r.response_confidence, 4),
        bool_cell(r.escalate),
        r.escalation_reasons.join("|"),
        match r.handled_by {
            HandledBy::Bot => "bot".to_string(),
            HandledBy::Human => "human".to_string(),
        },
        float(Some(r.cost_inr), 6),
    ];
    cells.extend(extra_headers.iter().map(|h| {
        r.extra
            .iter()
            .find(|(k, _)| k == h)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }));
    cells.into_iter().map(|c| escape_formula(&c)).collect()
}

fn float(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => String::new(),
    }
}

fn bool_cell(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

/// `'` before a cell a spreadsheet would evaluate as a formula.
pub fn escape_formula(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    fn read(path: &Path) -> Vec<Vec<String>> {
        let mut rdr = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(path)
            .unwrap();
        rdr.records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn formula_cells_are_escaped() {
        for bad in ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(escape_formula(bad), format!("'{bad}"));
        }
        for ok in ["", "hello", "1.5", "a=b", "'quoted"] {
            assert_eq!(escape_formula(ok), ok);
        }
    }

    #[test]
    fn columns_extra_columns_and_empty_cells() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tickets.csv");
        let mut w = TicketsCsvWriter::create(&p, &["channel".into(), "priority".into()]).unwrap();
        for r in fixtures::records() {
            w.write(&r).unwrap();
        }
        w.finish().unwrap();
        let rows = read(&p);
        let mut expected_header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
        expected_header.extend(["channel".to_string(), "priority".to_string()]);
        assert_eq!(rows[0], expected_header);
        assert_eq!(rows.len(), 5);

        let a = &rows[1];
        assert_eq!(a[0], "LL-T0007");
        assert_eq!(a[2], "5");
        assert_eq!(a[4], "0.6100");
        assert_eq!(a[5], "technical/bank-feeds.md|billing/plans-and-pricing.md");
        assert_eq!(a[7], "false");
        assert!(
            a[8].starts_with("'=HYPERLINK"),
            "formula in a response is escaped: {}",
            a[8]
        );
        assert_eq!(a[10], "false");
        assert_eq!(a[12], "bot");
        assert_eq!(a[13], "0.712346");
        assert_eq!(a[14], "chat");
        assert_eq!(a[15], "", "an extra column the record lacks is empty");

        let b = &rows[2];
        assert_eq!(b[11], "retrieval_miss|missing_info|low_confidence");
        assert_eq!(b[10], "true");
        assert_eq!(rows[3][14], "'@whatsapp");

        let human = &rows[4];
        assert_eq!(human[12], "human");
        for i in [3, 4, 5, 6, 7, 8, 9, 11] {
            assert_eq!(
                human[i], "",
                "column {} of a human turn is empty",
                COLUMNS[i]
            );
        }
        assert_eq!(human[13], "0.000000");
    }

    #[test]
    fn a_dropped_writer_leaves_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tickets.csv");
        std::fs::write(&p, "previous good run\n").unwrap();
        {
            let mut w = TicketsCsvWriter::create(&p, &[]).unwrap();
            w.write(&fixtures::records()[0]).unwrap();
            // interrupted: no finish
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "previous good run\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp file removed"
        );

        let mut w = TicketsCsvWriter::create(&p, &[]).unwrap();
        w.write(&fixtures::records()[0]).unwrap();
        w.finish().unwrap();
        assert_eq!(read(&p).len(), 2);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left behind"
        );
    }
}
