//! The tickets CSV (`eval <TICKETS_CSV>`) and the training CSV (`--train`): reading, validating
//! and grouping rows into conversations.
//!
//! Every problem with a file is an error on one line that names the file, the line, the column
//! and the fix. Line numbers are physical lines, counted on the raw bytes (so quoted newlines,
//! CRLF endings and blank lines do not shift them); the same raw bytes are checked for unbalanced
//! quotes and invalid UTF-8, which the csv crate would otherwise accept silently.
//!
//! Tickets are read in two passes: [`scan`] validates the whole file while streaming it, then
//! [`TicketSet::conversations_iter`] reads it again and yields one conversation at a time.

use std::collections::HashMap;
use std::fmt::Display;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use csv::ByteRecord;

use crate::pipeline::trace::Labels;
use crate::util::truncate_chars;

/// One row of the tickets CSV: one customer turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    /// 1-based physical line where the row starts in the file.
    pub line: u64,
    pub ticket_id: String,
    /// The column's value, or the ticket_id when the column is absent or the cell empty.
    pub conversation_id: String,
    /// The column's value, or the row's order of appearance within its conversation (1-based)
    /// when the column is absent or the cell empty.
    pub turn: u32,
    pub message: String,
    pub labels: Labels,
    /// Every other column (header, value), in input order.
    pub extra: Vec<(String, String)>,
}

/// A validated tickets file: its columns and counts. Read its conversations with
/// [`TicketSet::conversations_iter`].
#[derive(Debug, Clone)]
pub struct TicketSet {
    path: PathBuf,
    intents: Vec<String>,
    headers: Vec<String>,
    extra_headers: Vec<String>,
    rows: u64,
    conversations: u64,
    /// Every conversation's rows are next to each other, so pass 2 can stream.
    contiguous: bool,
    warnings: Vec<String>,
}

/// Pass 1: validate every row of the file, streaming. Memory is the set of ticket ids plus the
/// turns seen per conversation.
pub fn scan(path: &Path, intents: &[String]) -> Result<TicketSet> {
    #[derive(Default)]
    struct Seen {
        rows: u32,
        turns: HashMap<u32, u64>,
        split: bool,
    }
    let mut reader = TicketReader::open(path, intents)?;
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let mut previous = String::new();
    let mut split: Vec<(String, u64)> = Vec::new();
    let mut rows = 0;
    while let Some(row) = reader.next()? {
        rows += 1;
        let t = &row.ticket;
        if let Some(first) = ids.insert(t.ticket_id.clone(), t.line) {
            return Err(reader.file.cell_error(
                t.line,
                "ticket_id",
                format_args!(
                    "duplicate ticket_id {:?} (first on line {first}): make ticket ids unique",
                    t.ticket_id
                ),
            ));
        }
        let conv = seen.entry(t.conversation_id.clone()).or_default();
        if conv.rows > 0 && previous != t.conversation_id && !conv.split {
            conv.split = true;
            split.push((t.conversation_id.clone(), t.line));
        }
        conv.rows += 1;
        let turn = row.turn.unwrap_or(conv.rows);
        if let Some(first) = conv.turns.insert(turn, t.line) {
            return Err(reader.file.cell_error(
                t.line,
                "turn",
                format_args!(
                    "conversation {:?} already has turn {turn} (line {first}): give each turn of a conversation its own number",
                    t.conversation_id
                ),
            ));
        }
        previous.clone_from(&t.conversation_id);
    }
    if rows == 0 {
        return Err(reader.file.no_rows());
    }
    let file = reader.file;
    let mut warnings = file.warnings;
    if let Some((id, line)) = split.first() {
        warnings.push(format!(
            "{}: {} conversation(s) have rows that are not next to each other (first: {id:?} again on line {line}); they are grouped in memory, sort the file by conversation_id to stream it",
            file.name,
            split.len()
        ));
    }
    Ok(TicketSet {
        path: path.to_path_buf(),
        intents: intents.to_vec(),
        extra_headers: reader
            .columns
            .extra
            .iter()
            .map(|&i| file.headers[i].clone())
            .collect(),
        headers: file.headers,
        rows,
        conversations: seen.len() as u64,
        contiguous: split.is_empty(),
        warnings,
    })
}

impl TicketSet {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    pub fn conversations(&self) -> u64 {
        self.conversations
    }

    /// The header names as in the file: original case, trimmed, BOM stripped.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The columns that are not part of the tickets format, carried through, in input order.
    pub fn extra_headers(&self) -> &[String] {
        &self.extra_headers
    }

    /// Whether the file has the column `name` (case-insensitive).
    pub fn has_column(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name.trim()))
    }

    /// Non-fatal notes about the file, one line each.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Pass 2: conversations in order of first appearance, each sorted by turn. Streams when
    /// every conversation's rows are contiguous in the file (memory = one conversation);
    /// otherwise groups the whole file in memory.
    pub fn conversations_iter(
        &self,
    ) -> Result<Box<dyn Iterator<Item = Result<Vec<Ticket>>> + Send>> {
        let reader = TicketReader::open(&self.path, &self.intents)?;
        if self.contiguous {
            return Ok(Box::new(Streamed {
                reader,
                pending: None,
                done: false,
            }));
        }
        Ok(Box::new(grouped(reader)?.into_iter().map(Ok)))
    }
}

/// One training example: a `--train` row, or an article chunk or intent description the offline
/// classifier also learns from.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainRow {
    pub message: String,
    pub intent: String,
    /// The row's finer label (its helpdesk category), from the first of the configured
    /// sub-intent columns the file has; `None` when absent or empty.
    pub sub_intent: Option<String>,
}

/// The `--train` CSV: its `message` and `expected_intent` columns, which every row needs, and the
/// first of `sub_intent_columns` the file has (a finer label, optional per row); other columns are
/// ignored.
pub fn read_train(
    path: &Path,
    intents: &[String],
    sub_intent_columns: &[String],
) -> Result<Vec<TrainRow>> {
    let mut file = CsvFile::open(path, Kind::Training)?;
    let message = file.require("message")?;
    let intent = file.require("expected_intent")?;
    let sub = sub_intent_columns.iter().find_map(|c| file.column(c));
    let mut examples = Vec::new();
    while let Some((line, fields)) = file.next_record()? {
        let text = file.message(line, &fields[message])?;
        let label = file
            .intent(line, &fields[intent], intents)?
            .ok_or_else(|| {
                file.cell_error(
                    line,
                    "expected_intent",
                    "empty intent: give every training example its intent",
                )
            })?;
        let sub_intent = sub
            .map(|i| fields[i].trim().to_string())
            .filter(|v| !v.is_empty());
        examples.push(TrainRow {
            message: text,
            intent: label,
            sub_intent,
        });
    }
    if examples.is_empty() {
        return Err(file.no_rows());
    }
    Ok(examples)
}

/// Parse a boolean cell: true/false, 1/0, yes/no, y/n, t/f (case-insensitive, trimmed).
/// `None` for anything else.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "t" => Some(true),
        "false" | "0" | "no" | "n" | "f" => Some(false),
        _ => None,
    }
}

/// A ticket as read, before its turn is known: `turn` is the cell's value, if any.
struct Row {
    ticket: Ticket,
    turn: Option<u32>,
}

/// Add `row` to the conversation `conv`, numbering it by appearance when it has no turn.
fn push_turn(conv: &mut Vec<Ticket>, row: Row) {
    let turn = row.turn.unwrap_or(conv.len() as u32 + 1);
    conv.push(Ticket { turn, ..row.ticket });
}

/// Pass 2 when conversations are contiguous: reads one conversation ahead by one row.
struct Streamed {
    reader: TicketReader,
    /// The first row of the next conversation, already read.
    pending: Option<Row>,
    done: bool,
}

impl Streamed {
    fn next_conversation(&mut self) -> Result<Option<Vec<Ticket>>> {
        let first = match self.pending.take() {
            Some(row) => row,
            None => match self.reader.next()? {
                Some(row) => row,
                None => return Ok(None),
            },
        };
        let mut conv = Vec::new();
        push_turn(&mut conv, first);
        while let Some(row) = self.reader.next()? {
            if row.ticket.conversation_id != conv[0].conversation_id {
                self.pending = Some(row);
                break;
            }
            push_turn(&mut conv, row);
        }
        conv.sort_by_key(|t| t.turn);
        Ok(Some(conv))
    }
}

impl Iterator for Streamed {
    type Item = Result<Vec<Ticket>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.next_conversation().transpose();
        self.done = !matches!(next, Some(Ok(_)));
        next
    }
}

/// Pass 2 when some conversation's rows are apart: every conversation, in memory.
fn grouped(mut reader: TicketReader) -> Result<Vec<Vec<Ticket>>> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut convs: Vec<Vec<Ticket>> = Vec::new();
    while let Some(row) = reader.next()? {
        let i = *index
            .entry(row.ticket.conversation_id.clone())
            .or_insert_with(|| {
                convs.push(Vec::new());
                convs.len() - 1
            });
        push_turn(&mut convs[i], row);
    }
    for conv in &mut convs {
        conv.sort_by_key(|t| t.turn);
    }
    Ok(convs)
}

/// The tickets format's columns other than the carried-through ones.
const TICKET_COLUMNS: [&str; 7] = [
    "ticket_id",
    "conversation_id",
    "turn",
    "message",
    "expected_intent",
    "expected_escalate",
    "expected_doc",
];

/// Where each column of the tickets format is in the file.
struct TicketColumns {
    ticket_id: usize,
    message: usize,
    conversation_id: Option<usize>,
    turn: Option<usize>,
    intent: Option<usize>,
    escalate: Option<usize>,
    doc: Option<usize>,
    extra: Vec<usize>,
}

/// Rows of a tickets file, each checked cell by cell.
struct TicketReader {
    file: CsvFile,
    columns: TicketColumns,
    intents: Vec<String>,
}

impl TicketReader {
    fn open(path: &Path, intents: &[String]) -> Result<TicketReader> {
        let file = CsvFile::open(path, Kind::Tickets)?;
        let columns = TicketColumns {
            ticket_id: file.require("ticket_id")?,
            message: file.require("message")?,
            conversation_id: file.column("conversation_id"),
            turn: file.column("turn"),
            intent: file.column("expected_intent"),
            escalate: file.column("expected_escalate"),
            doc: file.column("expected_doc"),
            extra: (file.headers.iter().enumerate())
                .filter(|(_, h)| {
                    !h.is_empty() && !TICKET_COLUMNS.iter().any(|c| h.eq_ignore_ascii_case(c))
                })
                .map(|(i, _)| i)
                .collect(),
        };
        Ok(TicketReader {
            file,
            columns,
            intents: intents.to_vec(),
        })
    }

    fn next(&mut self) -> Result<Option<Row>> {
        let Some((line, fields)) = self.file.next_record()? else {
            return Ok(None);
        };
        let (f, c) = (&self.file, &self.columns);
        let cell = |i: usize| fields[i].as_str();
        let filled = |i: Option<usize>| i.map(cell).filter(|s| !s.is_empty());

        let ticket_id = cell(c.ticket_id).to_string();
        if ticket_id.is_empty() {
            return Err(f.cell_error(
                line,
                "ticket_id",
                "empty ticket_id: give every row a unique ticket id",
            ));
        }
        let message = f.message(line, cell(c.message))?;
        let conversation_id = filled(c.conversation_id)
            .unwrap_or(ticket_id.as_str())
            .to_string();
        let turn = match filled(c.turn) {
            None => None,
            Some(s) => Some(s.parse::<u32>().ok().filter(|&n| n >= 1).ok_or_else(|| {
                f.cell_error(
                    line,
                    "turn",
                    format_args!(
                        "turn {:?} is not a whole number >= 1: number the turns 1, 2, 3, … within each conversation",
                        truncate_chars(s, 40)
                    ),
                )
            })?),
        };
        let intent = match c.intent {
            Some(i) => f.intent(line, cell(i), &self.intents)?,
            None => None,
        };
        let escalate = match filled(c.escalate) {
            None => None,
            Some(s) => Some(parse_bool(s).ok_or_else(|| {
                f.cell_error(
                    line,
                    "expected_escalate",
                    format_args!(
                        "invalid boolean {:?}: use true/false, yes/no or 1/0",
                        truncate_chars(s, 40)
                    ),
                )
            })?),
        };
        let docs = c.doc.map(|i| {
            cell(i)
                .split('|')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(String::from)
                .collect()
        });
        let extra = (c.extra.iter())
            .map(|&i| (f.headers[i].clone(), cell(i).to_string()))
            .collect();
        Ok(Some(Row {
            ticket: Ticket {
                line,
                ticket_id,
                conversation_id,
                turn: 0,
                message,
                labels: Labels {
                    intent,
                    escalate,
                    docs,
                },
                extra,
            },
            turn,
        }))
    }
}

/// Which file a [`CsvFile`] is, for messages.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Tickets,
    Training,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Tickets => "tickets file",
            Kind::Training => "training file",
        }
    }

    fn no_rows_fix(self) -> &'static str {
        match self {
            Kind::Tickets => "it needs a header line (ticket_id,message,…) and one row per ticket",
            Kind::Training => {
                "it needs a header line (message,expected_intent) and one row per example"
            }
        }
    }
}

const BOM: &[u8] = b"\xef\xbb\xbf";

/// A CSV file read record by record. Each record's raw bytes are read alongside the csv reader
/// (from a second handle) to count physical lines and to check quoting and encoding.
struct CsvFile {
    /// The path as the caller gave it, for messages.
    name: String,
    kind: Kind,
    /// Trimmed header names.
    headers: Vec<String>,
    warnings: Vec<String>,
    csv: csv::Reader<File>,
    raw: BufReader<File>,
    /// Byte offset of `raw` and the line that byte is on.
    raw_pos: u64,
    raw_line: u64,
    record: ByteRecord,
    buf: Vec<u8>,
}

impl CsvFile {
    fn open(path: &Path, kind: Kind) -> Result<CsvFile> {
        let name = path.display().to_string();
        let noun = kind.noun();
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                bail!("{noun} {name} not found: check the path")
            }
            Ok(m) if m.is_dir() => {
                bail!(
                    "{noun} {name} is a directory, not a CSV file: pass the path of the .csv file"
                )
            }
            _ => {}
        }
        let open = || File::open(path).with_context(|| format!("cannot open {noun} {name}"));
        let mut file = CsvFile {
            csv: csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(open()?),
            raw: BufReader::new(open()?),
            name,
            kind,
            headers: Vec::new(),
            warnings: Vec::new(),
            raw_pos: 0,
            raw_line: 1,
            record: ByteRecord::new(),
            buf: Vec::new(),
        };
        let header = file
            .csv
            .byte_headers()
            .cloned()
            .with_context(|| file.read_failed())?;
        file.headers = header.iter().map(decode).collect();
        file.take_raw()?;
        if file.headers.is_empty() {
            return Err(file.no_rows());
        }
        for (i, h) in file.headers.iter().enumerate() {
            if h.is_empty() {
                file.warnings.push(format!(
                    "{}: column {} of the header has no name; its cells are ignored",
                    file.name,
                    i + 1
                ));
            } else if let Some(j) = file.headers[..i]
                .iter()
                .position(|o| o.eq_ignore_ascii_case(h))
            {
                bail!(
                    "{}: column {h:?} appears twice in the header (columns {} and {}): rename or remove one",
                    file.name,
                    j + 1,
                    i + 1
                );
            }
        }
        Ok(file)
    }

    /// The index of the column `name` (case-insensitive).
    fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    fn require(&self, name: &str) -> Result<usize> {
        self.column(name).ok_or_else(|| {
            // A spreadsheet saved with another separator reads as one long column.
            let one_column = match self.headers.as_slice() {
                [only] => [(';', "semicolon"), ('\t', "tab"), ('|', "pipe")]
                    .into_iter()
                    .find(|(c, _)| only.contains(*c))
                    .map(|(_, sep)| (only, sep)),
                _ => None,
            };
            match one_column {
                Some((header, sep)) => anyhow!(
                    "{}: missing required column {name:?}: the header is one column with {sep}s in it ({header:?}), so the file looks {sep}-separated: save it as comma-separated CSV",
                    self.name
                ),
                None => anyhow!(
                    "{}: missing required column {name:?} (header has: {}): rename the column or add it",
                    self.name,
                    self.headers.join(", ")
                ),
            }
        })
    }

    /// The next record: its line and its trimmed cells, as many as the header has.
    fn next_record(&mut self) -> Result<Option<(u64, Vec<String>)>> {
        let more =
            (self.csv.read_byte_record(&mut self.record)).with_context(|| self.read_failed())?;
        if !more {
            return Ok(None);
        }
        let line = self.take_raw()?;
        if self.record.len() != self.headers.len() {
            bail!(
                "{} line {line}: has {} fields, the header has {}: check the quoting on this line",
                self.name,
                self.record.len(),
                self.headers.len()
            );
        }
        Ok(Some((line, self.record.iter().map(decode).collect())))
    }

    /// Read the raw bytes of the record the csv reader just returned, check its quoting and
    /// encoding, and return the line it starts on.
    fn take_raw(&mut self) -> Result<u64> {
        let end = self.csv.position().byte();
        self.buf.clear();
        (&mut self.raw)
            .take(end.saturating_sub(self.raw_pos))
            .read_to_end(&mut self.buf)
            .with_context(|| self.read_failed())?;
        let mut bytes = self.buf.as_slice();
        if self.raw_pos == 0 {
            bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
        }
        // Blank lines and the previous record's line ending come first.
        let blank = bytes
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let line = self.raw_line + newlines(&bytes[..blank]);
        let bytes = &bytes[blank..];
        self.raw_pos = end;
        self.raw_line += newlines(&self.buf);
        if let Some(opened) = unclosed_quote(bytes, line) {
            bail!(
                "{} line {opened}: unbalanced quote: a field opened with \" on this line is never closed; close it or double the quote (\"\") inside the field",
                self.name
            );
        }
        if let Some((bad, column)) = invalid_utf8(bytes, line) {
            bail!(
                "{} line {bad}: not UTF-8 (invalid byte at column {column} of the line): re-save the file as UTF-8",
                self.name
            );
        }
        Ok(line)
    }

    fn cell_error(&self, line: u64, column: &str, problem: impl Display) -> anyhow::Error {
        anyhow!("{} line {line}, column {column}: {problem}", self.name)
    }

    fn message(&self, line: u64, cell: &str) -> Result<String> {
        if cell.is_empty() {
            return Err(self.cell_error(
                line,
                "message",
                "empty message: every row needs the customer's text",
            ));
        }
        Ok(cell.to_string())
    }

    /// An intent label: `None` when empty, else one of `intents` (case-insensitive).
    fn intent(&self, line: u64, cell: &str, intents: &[String]) -> Result<Option<String>> {
        if cell.is_empty() {
            return Ok(None);
        }
        let wanted = cell.to_lowercase();
        match intents.iter().find(|i| i.trim().to_lowercase() == wanted) {
            Some(i) => Ok(Some(i.clone())),
            None => Err(self.cell_error(
                line,
                "expected_intent",
                format_args!(
                    "unknown intent {:?}: use one of {}, or add it to intents in supportbench.toml",
                    truncate_chars(cell, 40),
                    intents.join(", ")
                ),
            )),
        }
    }

    fn no_rows(&self) -> anyhow::Error {
        anyhow!("{} has no rows: {}", self.name, self.kind.no_rows_fix())
    }

    fn read_failed(&self) -> String {
        format!("cannot read {} {}", self.kind.noun(), self.name)
    }
}

/// A cell as text, trimmed. The record's raw bytes were checked to be UTF-8 already.
fn decode(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim().to_string()
}

fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// The line where a quoted field of the record `bytes` (starting on `line`) opens without being
/// properly closed: it runs to the end of the file, or its closing quote is followed by more
/// text (as when a stray quote swallowed the next rows up to another quote).
fn unclosed_quote(bytes: &[u8], mut line: u64) -> Option<u64> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    use State::*;
    let mut state = FieldStart;
    let mut opened = line;
    for &b in bytes {
        state = match (state, b) {
            (FieldStart, b'"') => {
                opened = line;
                Quoted
            }
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (QuoteInQuoted, b'"') => Quoted,
            (_, b',') => FieldStart,
            (_, b'\r' | b'\n') => return None,
            (QuoteInQuoted, _) => return Some(opened),
            (FieldStart | Unquoted, _) => Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    (state == Quoted).then_some(opened)
}

/// The line and 1-based character column of the first byte of `bytes` (starting on `line`) that
/// is not UTF-8.
fn invalid_utf8(bytes: &[u8], line: u64) -> Option<(u64, usize)> {
    let before = &bytes[..std::str::from_utf8(bytes).err()?.valid_up_to()];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Some((line + newlines(before), column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::render;

    fn intents() -> Vec<String> {
        ["billing", "technical", "account", "general"]
            .map(String::from)
            .to_vec()
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/tickets")
            .join(name)
    }

    fn scan_err(path: &Path) -> String {
        render(&scan(path, &intents()).unwrap_err())
    }

    fn all(set: &TicketSet) -> Vec<Vec<Ticket>> {
        set.conversations_iter()
            .unwrap()
            .collect::<Result<_>>()
            .unwrap()
    }

    /// A file `name` with `text` in a fresh temporary directory.
    fn temp(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn ids(conv: &[Ticket]) -> Vec<(&str, u32)> {
        conv.iter()
            .map(|t| (t.ticket_id.as_str(), t.turn))
            .collect()
    }

    #[test]
    fn good_file_reads_every_column() {
        let set = scan(&fixture("good.csv"), &intents()).unwrap();
        assert_eq!(set.rows(), 10);
        assert_eq!(set.conversations(), 7);
        assert_eq!(set.headers()[0], "ticket_id", "BOM stripped");
        assert_eq!(set.extra_headers(), ["channel"]);
        assert!(set.has_column("Expected_Doc"));
        assert!(set.warnings().is_empty());

        let convs = all(&set);
        let order: Vec<&str> = convs
            .iter()
            .map(|c| c[0].conversation_id.as_str())
            .collect();
        assert_eq!(order, ["C-1", "T-3", "C-2", "T-7", "C-3", "T-9", "T-10"]);
        assert_eq!(ids(&convs[2]), [("T-4", 1), ("T-6", 2), ("T-5", 3)]);

        let t6 = &convs[2][1];
        assert_eq!(t6.line, 5);
        assert_eq!(
            t6.message,
            "The app says \"sync failed\", again.\nI already reinstalled it, twice."
        );
        assert_eq!(t6.labels.escalate, Some(true));
        assert_eq!(
            t6.labels.docs,
            Some(vec!["technical/bank-feeds.md".to_string()])
        );
        assert_eq!(t6.extra, [("channel".to_string(), "chat".to_string())]);
        assert_eq!(convs[2][2].line, 7, "the embedded newline counts");

        let t2 = &convs[0][1];
        assert_eq!(
            t2.labels.docs,
            Some(vec![
                "billing/refunds.md".to_string(),
                "billing/invoices.md".to_string()
            ])
        );
        assert_eq!(
            convs[2][2].labels.docs,
            Some(vec![]),
            "empty cell: no doc answers it"
        );
        let t8 = &convs[4][0];
        assert_eq!((t8.conversation_id.as_str(), t8.turn), ("C-3", 1));
        assert_eq!(
            t8.labels.intent.as_deref(),
            Some("general"),
            "intent is case-insensitive"
        );
        assert_eq!(t8.labels.escalate, Some(false));
        let t10 = &convs[6][0];
        assert_eq!(
            t10.labels,
            Labels {
                docs: Some(vec![]),
                ..Labels::default()
            }
        );
    }

    #[test]
    fn streaming_matches_grouping_in_memory() {
        let path = fixture("good.csv");
        let streamed = all(&scan(&path, &intents()).unwrap());
        let reader = TicketReader::open(&path, &intents()).unwrap();
        assert_eq!(streamed, grouped(reader).unwrap());
    }

    #[test]
    fn minimal_file_defaults_conversation_and_turn() {
        let set = scan(&fixture("good_minimal.csv"), &intents()).unwrap();
        assert_eq!(set.headers(), ["Ticket_ID", "Message"]);
        assert!(set.extra_headers().is_empty());
        assert!(!set.has_column("expected_doc"));
        let convs = all(&set);
        assert_eq!(convs.len(), 3);
        let m2 = &convs[1][0];
        assert_eq!((m2.conversation_id.as_str(), m2.turn), ("M-2", 1));
        assert_eq!(m2.message, "my password reset link has expired");
        assert_eq!(m2.labels, Labels::default(), "absent columns are None");
        assert_eq!(convs[2][0].message, "Hello,\nis anyone there?");
    }

    #[test]
    fn turns_default_to_order_of_appearance() {
        let (_dir, path) = temp(
            "t.csv",
            "ticket_id,conversation_id,message\nA,C,first\nB,C,second\nD,E,other\n",
        );
        let convs = all(&scan(&path, &intents()).unwrap());
        assert_eq!(ids(&convs[0]), [("A", 1), ("B", 2)]);
        assert_eq!(ids(&convs[1]), [("D", 1)]);
    }

    #[test]
    fn conversations_apart_in_the_file_are_grouped() {
        let (_dir, path) = temp(
            "t.csv",
            "ticket_id,conversation_id,turn,message\n\
             A2,A,2,a two\nB1,B,1,b one\nA1,A,1,a one\nC1,C,,c one\nB2,B,2,b two\n",
        );
        let set = scan(&path, &intents()).unwrap();
        assert_eq!(set.conversations(), 3);
        assert_eq!(set.warnings().len(), 1);
        assert!(
            set.warnings()[0].contains("2 conversation(s)")
                && set.warnings()[0].contains("\"A\" again on line 4"),
            "{:?}",
            set.warnings()
        );
        let convs = all(&set);
        assert_eq!(ids(&convs[0]), [("A1", 1), ("A2", 2)]);
        assert_eq!(ids(&convs[1]), [("B1", 1), ("B2", 2)]);
        assert_eq!(ids(&convs[2]), [("C1", 1)]);
        assert_eq!(convs[0][0].line, 4);
    }

    #[test]
    fn crlf_and_blank_lines_keep_physical_line_numbers() {
        let (_dir, path) = temp(
            "t.csv",
            "ticket_id,message\r\nA,\"two\r\nlines\"\r\n\r\nB,\r\n",
        );
        let err = scan_err(&path);
        assert!(
            err.ends_with(
                "t.csv line 5, column message: empty message: every row needs the customer's text"
            ),
            "{err}"
        );
    }

    #[test]
    fn missing_column() {
        let err = scan_err(&fixture("bad_missing_column.csv"));
        assert!(err.ends_with("bad_missing_column.csv: missing required column \"message\" (header has: ticket_id, text): rename the column or add it"), "{err}");
    }

    #[test]
    fn a_semicolon_separated_file_is_named_as_such() {
        let (_dir, path) = temp("t.csv", "ticket_id;message\nA;hello\n");
        let err = scan_err(&path);
        assert!(
            err.ends_with("t.csv: missing required column \"ticket_id\": the header is one column with semicolons in it (\"ticket_id;message\"), so the file looks semicolon-separated: save it as comma-separated CSV"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_ticket_id() {
        let err = scan_err(&fixture("bad_duplicate_id.csv"));
        assert!(err.ends_with("bad_duplicate_id.csv line 5, column ticket_id: duplicate ticket_id \"T-7\" (first on line 3): make ticket ids unique"), "{err}");
    }

    #[test]
    fn unknown_intent() {
        let err = scan_err(&fixture("bad_unknown_intent.csv"));
        assert!(err.ends_with("bad_unknown_intent.csv line 4, column expected_intent: unknown intent \"biling\": use one of billing, technical, account, general, or add it to intents in supportbench.toml"), "{err}");
    }

    #[test]
    fn invalid_boolean() {
        let err = scan_err(&fixture("bad_boolean.csv"));
        assert!(err.ends_with("bad_boolean.csv line 5, column expected_escalate: invalid boolean \"maybe\": use true/false, yes/no or 1/0"), "{err}");
    }

    #[test]
    fn empty_message() {
        let err = scan_err(&fixture("bad_empty_message.csv"));
        assert!(err.ends_with("bad_empty_message.csv line 3, column message: empty message: every row needs the customer's text"), "{err}");
    }

    #[test]
    fn unbalanced_quote_running_to_the_end() {
        let err = scan_err(&fixture("bad_unbalanced_quotes.csv"));
        assert!(err.ends_with("bad_unbalanced_quotes.csv line 3: unbalanced quote: a field opened with \" on this line is never closed; close it or double the quote (\"\") inside the field"), "{err}");
    }

    #[test]
    fn unbalanced_quote_closed_by_a_later_row() {
        // The csv crate reads rows 2-3 as one record with the right field count.
        let (_dir, path) = temp(
            "t.csv",
            "ticket_id,message,expected_intent\nT-1,\"hello,billing\nT-2,\"world\",technical\n",
        );
        assert!(scan_err(&path).contains("t.csv line 2: unbalanced quote"));
        let (_dir, path) = temp(
            "t.csv",
            "ticket_id,message\nT-1,ok\nT-2,\"he said \"hi\" twice\"\n",
        );
        assert!(scan_err(&path).contains("t.csv line 3: unbalanced quote"));
    }

    #[test]
    fn not_utf8() {
        let err = scan_err(&fixture("bad_not_utf8.csv"));
        assert!(err.ends_with("bad_not_utf8.csv line 3: not UTF-8 (invalid byte at column 8 of the line): re-save the file as UTF-8"), "{err}");
    }

    #[test]
    fn field_count() {
        let err = scan_err(&fixture("bad_field_count.csv"));
        assert!(err.ends_with("bad_field_count.csv line 3: has 5 fields, the header has 4: check the quoting on this line"), "{err}");
    }

    #[test]
    fn bad_turn() {
        let err = scan_err(&fixture("bad_turn.csv"));
        assert!(err.ends_with("bad_turn.csv line 4, column turn: turn \"two\" is not a whole number >= 1: number the turns 1, 2, 3, … within each conversation"), "{err}");
        let (_dir, path) = temp("t.csv", "ticket_id,message,turn\nA,hi,0\n");
        assert!(scan_err(&path).contains("t.csv line 2, column turn: turn \"0\""));
    }

    #[test]
    fn duplicate_turn_in_a_conversation() {
        let (_dir, path) = temp(
            "t.csv",
            "ticket_id,conversation_id,turn,message\nA,C,1,hi\nB,C,1,again\n",
        );
        let err = scan_err(&path);
        assert!(err.ends_with("t.csv line 3, column turn: conversation \"C\" already has turn 1 (line 2): give each turn of a conversation its own number"), "{err}");
    }

    #[test]
    fn empty_ticket_id() {
        let (_dir, path) = temp("t.csv", "ticket_id,message\nA,hi\n  ,there\n");
        assert!(scan_err(&path).ends_with(
            "t.csv line 3, column ticket_id: empty ticket_id: give every row a unique ticket id"
        ));
    }

    #[test]
    fn duplicate_header_column() {
        let (_dir, path) = temp("t.csv", "ticket_id,message,Message\nA,hi,hi\n");
        assert!(scan_err(&path).ends_with(
            "t.csv: column \"Message\" appears twice in the header (columns 2 and 3): rename or remove one"
        ));
    }

    #[test]
    fn unnamed_column_is_ignored_with_a_warning() {
        let (_dir, path) = temp("t.csv", "ticket_id,message,\nA,hi,\n");
        let set = scan(&path, &intents()).unwrap();
        assert!(set.extra_headers().is_empty());
        assert!(set.warnings()[0]
            .ends_with("t.csv: column 3 of the header has no name; its cells are ignored"));
    }

    #[test]
    fn empty_and_header_only_files_have_no_rows() {
        for text in ["", "\u{feff}", "ticket_id,message\n"] {
            let (_dir, path) = temp("t.csv", text);
            let err = scan_err(&path);
            assert!(err.ends_with("t.csv has no rows: it needs a header line (ticket_id,message,…) and one row per ticket"), "{text:?}: {err}");
        }
    }

    #[test]
    fn missing_file_and_directory() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.csv");
        assert_eq!(
            scan_err(&missing),
            format!(
                "tickets file {} not found: check the path",
                missing.display()
            )
        );
        assert!(scan_err(dir.path()).contains("is a directory, not a CSV file"));
    }

    #[test]
    fn parse_bool_accepts_the_usual_spellings() {
        for s in ["true", " TRUE ", "1", "yes", "Y", "t"] {
            assert_eq!(parse_bool(s), Some(true), "{s}");
        }
        for s in ["false", "0", "No", "n", "F"] {
            assert_eq!(parse_bool(s), Some(false), "{s}");
        }
        for s in ["", "maybe", "2", "yess"] {
            assert_eq!(parse_bool(s), None, "{s}");
        }
    }

    #[test]
    fn train_file_reads_pairs() {
        let examples = read_train(&fixture("train_small.csv"), &intents(), &[]).unwrap();
        assert_eq!(examples.len(), 12);
        assert_eq!(
            examples[2],
            TrainRow {
                message: "can I pay by UPI".to_string(),
                intent: "billing".to_string(),
                sub_intent: None
            }
        );
        assert_eq!(
            examples[6].message,
            "export to tally gives \"invalid ledger\" error"
        );
    }

    #[test]
    fn train_file_reads_the_first_sub_intent_column_it_has() {
        let (_dir, path) = temp(
            "train.csv",
            "message,expected_intent,category\nrefund please,billing,refunds\nhi,general,\n",
        );
        let cols = ["sub_intent".to_string(), "Category".to_string()];
        let rows = read_train(&path, &intents(), &cols).unwrap();
        assert_eq!(rows[0].sub_intent.as_deref(), Some("refunds"));
        assert_eq!(rows[1].sub_intent, None);
        let rows = read_train(&path, &intents(), &cols[..1]).unwrap();
        assert_eq!(rows[0].sub_intent, None);
    }

    #[test]
    fn train_file_errors() {
        let train_err = |text: &str| {
            let (_dir, path) = temp("train.csv", text);
            render(&read_train(&path, &intents(), &[]).unwrap_err())
        };
        assert!(train_err("message,intent\nhi,billing\n").ends_with(
            "train.csv: missing required column \"expected_intent\" (header has: message, intent): rename the column or add it"
        ));
        assert!(train_err("message,expected_intent\nhi,billing\nyo,\n").ends_with(
            "train.csv line 3, column expected_intent: empty intent: give every training example its intent"
        ));
        assert!(train_err("message,expected_intent\nhi,refunds\n")
            .contains("train.csv line 2, column expected_intent: unknown intent \"refunds\""));
        assert!(train_err("message,expected_intent\n,billing\n")
            .contains("train.csv line 2, column message: empty message"));
        assert!(train_err("message,expected_intent\n").ends_with(
            "train.csv has no rows: it needs a header line (message,expected_intent) and one row per example"
        ));
        let missing = Path::new("no/such/train.csv");
        assert_eq!(
            render(&read_train(missing, &intents(), &[]).unwrap_err()),
            "training file no/such/train.csv not found: check the path"
        );
    }
}
