//! The fast path of loading: a file of the usual shape, read in one pass over
//! its bytes, straight into facts, without building a TOML document first.
//!
//! The usual shape is a strict subset of TOML:
//! - `[table]` and `[[table]]` headers of bare keys joined by dots, each
//!   table of the schema, every parent table declared by its own header;
//! - `key = value` lines with a bare key;
//! - values: `true`, `false`, decimal integers and floats (underscores
//!   between digits allowed), local dates (`2026-09-30`), single-line strings
//!   without escapes (`"…"` or `'…'`), and arrays of such strings, which may
//!   span lines;
//! - blank lines, indentation, and comments.
//!
//! Anything else, and anything the schema refuses (an unknown key, a wrong
//! type, a value out of range, a missing required key, a duplicate), makes
//! [`read`] return `None`. The full loader then reads the file and reports
//! every problem with its message, so messages have one source, and this path
//! can only be faster, never different: a differential test holds the two to
//! the same facts.

use std::sync::Arc;

use chrono::NaiveDate;

use super::load::{facts_from, is_country_code, within};
use super::schema::{self, Field, Kind, Member, Table};
use super::{Entry, Fact, Facts, Value};

/// The facts of a file of the usual shape with no problem in its tables;
/// `None` for any other file.
pub(super) fn read(text: &str) -> Option<Facts> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
    };
    let root = schema::table("")?;
    let mut tables: Vec<Vec<Entry>> = vec![Vec::new(); schema::TABLES.len()];
    let mut declared = vec![false; schema::TABLES.len()];
    let mut current = Entry::new(root, 1);
    loop {
        reader.skip_blank_lines()?;
        match reader.peek() {
            None => break,
            Some(b'[') => {
                let line = reader.line;
                let (path, repeated) = reader.header()?;
                let table = schema::table(path).filter(|t| t.repeated == repeated)?;
                let position = table.position();
                // A plain table is declared once; the root has no header.
                let seen = declared.get_mut(position)?;
                if path.is_empty() || (*seen && !repeated) {
                    return None;
                }
                *seen = true;
                let finished = std::mem::replace(&mut current, Entry::new(table, line));
                close(finished, &mut tables)?;
            }
            Some(_) => {
                let line = reader.line;
                let key = reader.key()?;
                match schema::member(current.table, key) {
                    Some(Member::Field(field)) if current.field(field).is_none() => {
                        let value = reader.value(field)?;
                        current.set(field, Fact { value, line });
                    }
                    None if key == schema::SOURCE_KEY
                        && !current.table.path.is_empty()
                        && current.source.is_none() =>
                    {
                        current.source = Some(Arc::from(reader.string()?));
                    }
                    _ => return None,
                }
                reader.end_of_line()?;
            }
        }
    }
    close(current, &mut tables)?;
    // Every table's parent has a header of its own. A parent made only by a
    // child's header is an instance too, which the full loader places and
    // checks for missing keys.
    let parents_declared = schema::TABLES.iter().zip(&declared).all(|(table, seen)| {
        !seen
            || table.parent().is_empty()
            || schema::table(table.parent())
                .and_then(|parent| declared.get(parent.position()))
                .is_some_and(|parent_seen| *parent_seen)
    });
    if !parents_declared {
        return None;
    }
    // `None` too when there is no [arrangement].
    facts_from(tables)
}

/// Ends a table instance: `None` when a required key is missing or the
/// format is not the one this build reads. The root's facts (`format`) are
/// checked, not kept, as the full loader does.
fn close(entry: Entry, tables: &mut [Vec<Entry>]) -> Option<()> {
    let table: &'static Table = entry.table;
    if table
        .fields
        .iter()
        .any(|field| field.required && entry.field(field).is_none())
    {
        return None;
    }
    if table.path.is_empty() {
        return match entry.get("format").map(|fact| &fact.value) {
            Some(Value::Number(n)) if *n != schema::FORMAT as f64 => None,
            _ => Some(()),
        };
    }
    tables.get_mut(table.position())?.push(entry);
    Some(())
}

/// A scalar or array as written, before the schema gives it a meaning.
enum Raw<'t> {
    Bool(bool),
    Integer(i64),
    Float(f64),
    Date(NaiveDate),
    String(&'t str),
    Strings(Vec<String>),
}

/// A cursor over the file's bytes. Every method returns `None` on anything
/// outside the usual shape, which sends the file to the full loader.
struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    /// 1-based line of `at`.
    line: u32,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A comment to its end, without the newline: `None` for a control
    /// character, which TOML does not allow in a comment.
    fn comment(&mut self) -> Option<()> {
        while let Some(byte) = self.peek() {
            match byte {
                b'\n' | b'\r' => break,
                b'\t' => {}
                0..0x20 | 0x7f => return None,
                _ => {}
            }
            self.at += 1;
        }
        Some(())
    }

    /// A line break (`\n` or `\r\n`), or the end of the file.
    fn newline(&mut self) -> Option<()> {
        match (self.peek(), self.peek_at(1)) {
            (None, _) => Some(()),
            (Some(b'\n'), _) => {
                self.at += 1;
                self.line += 1;
                Some(())
            }
            (Some(b'\r'), Some(b'\n')) => {
                self.at += 2;
                self.line += 1;
                Some(())
            }
            _ => None,
        }
    }

    /// Spaces, an optional comment, and the end of the line.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_spaces();
        if self.peek() == Some(b'#') {
            self.comment()?;
        }
        self.newline()
    }

    /// Blank and comment lines, up to the start of the next header or key.
    fn skip_blank_lines(&mut self) -> Option<()> {
        loop {
            self.skip_spaces();
            match self.peek() {
                None => return Some(()),
                Some(b'#' | b'\n' | b'\r') => self.end_of_line()?,
                Some(_) => return Some(()),
            }
        }
    }

    /// A bare key: ASCII letters, digits, `_` and `-`.
    fn bare_key(&mut self) -> Option<&'t str> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')
        ) {
            self.at += 1;
        }
        (self.at > start).then(|| self.text.get(start..self.at))?
    }

    /// `key =`, leaving the cursor at the value.
    fn key(&mut self) -> Option<&'t str> {
        let key = self.bare_key()?;
        self.skip_spaces();
        if self.peek() != Some(b'=') {
            return None;
        }
        self.at += 1;
        self.skip_spaces();
        Some(key)
    }

    /// `[path]` or `[[path]]` and the rest of its line: the path, and true
    /// for an array of tables.
    fn header(&mut self) -> Option<(&'t str, bool)> {
        let repeated = self.peek_at(1) == Some(b'[');
        self.at += if repeated { 2 } else { 1 };
        let start = self.at;
        loop {
            self.bare_key()?;
            if self.peek() != Some(b'.') {
                break;
            }
            self.at += 1;
        }
        let path = self.text.get(start..self.at)?;
        let close: &[u8] = if repeated { b"]]" } else { b"]" };
        if !self.bytes.get(self.at..)?.starts_with(close) {
            return None;
        }
        self.at += close.len();
        self.end_of_line()?;
        Some((path, repeated))
    }

    /// A field's value, as the schema accepts it.
    fn value(&mut self, field: &Field) -> Option<Value> {
        let raw = match self.peek()? {
            b'"' | b'\'' => Raw::String(self.string()?),
            b'[' => Raw::Strings(self.strings()?),
            b't' | b'f' => Raw::Bool(self.boolean()?),
            _ => self.date_or_number()?,
        };
        accept(field, raw)
    }

    fn boolean(&mut self) -> Option<bool> {
        for (word, value) in [("true", true), ("false", false)] {
            if self.bytes.get(self.at..)?.starts_with(word.as_bytes()) {
                self.at += word.len();
                return Some(value);
            }
        }
        None
    }

    /// A single-line string without escapes: `"…"` or `'…'`.
    fn string(&mut self) -> Option<&'t str> {
        let quote = self.peek().filter(|q| matches!(q, b'"' | b'\''))?;
        if self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote) {
            return None; // a multi-line string
        }
        self.at += 1;
        let start = self.at;
        loop {
            match self.peek()? {
                byte if byte == quote => break,
                b'\\' if quote == b'"' => return None,
                b'\t' => {}
                0..0x20 | 0x7f => return None,
                _ => {}
            }
            self.at += 1;
        }
        let string = self.text.get(start..self.at)?;
        self.at += 1;
        Some(string)
    }

    /// An array of strings; it may span lines and hold comments.
    fn strings(&mut self) -> Option<Vec<String>> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank_lines()?;
            if self.peek()? == b']' {
                break;
            }
            items.push(self.string()?.to_string());
            self.skip_blank_lines()?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.at += 1;
        Some(items)
    }

    /// A local date (`2026-09-30`), or a decimal integer or float.
    fn date_or_number(&mut self) -> Option<Raw<'t>> {
        let rest = self.bytes.get(self.at..)?;
        if let Some(date) = rest.get(..10).filter(|d| is_date_shape(d)) {
            let digits = |range: std::ops::Range<usize>| -> Option<u32> {
                std::str::from_utf8(date.get(range)?).ok()?.parse().ok()
            };
            let date = NaiveDate::from_ymd_opt(
                i32::try_from(digits(0..4)?).ok()?,
                digits(5..7)?,
                digits(8..10)?,
            )?;
            self.at += 10;
            return Some(Raw::Date(date));
        }
        self.number()
    }

    /// `[+-]? int (. digits)? ([eE] [+-]? digits)?`, as TOML writes decimal
    /// numbers: no leading zeros, underscores only between digits.
    fn number(&mut self) -> Option<Raw<'t>> {
        let start = self.at;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.at += 1;
        }
        if self.peek() == Some(b'0') {
            self.at += 1;
            if matches!(self.peek(), Some(b'0'..=b'9' | b'_')) {
                return None;
            }
        } else {
            self.digits()?;
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.digits()?;
            float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.digits()?;
            float = true;
        }
        let written = self.text.get(start..self.at)?.replace('_', "");
        if float {
            written.parse().ok().map(Raw::Float)
        } else {
            written.parse().ok().map(Raw::Integer)
        }
    }

    /// One or more digits, with single underscores between them.
    fn digits(&mut self) -> Option<()> {
        if !self.peek()?.is_ascii_digit() {
            return None;
        }
        while let Some(byte) = self.peek() {
            match byte {
                b'0'..=b'9' => self.at += 1,
                b'_' if self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) => self.at += 1,
                b'_' => return None,
                _ => break,
            }
        }
        Some(())
    }
}

/// `dddd-dd-dd`.
fn is_date_shape(bytes: &[u8]) -> bool {
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// The value a field takes from what is written, as the full loader's
/// `convert` gives it; `None` where that reports a problem.
fn accept(field: &Field, raw: Raw<'_>) -> Option<Value> {
    match (field.kind, raw) {
        (Kind::Bool, Raw::Bool(b)) => Some(Value::Bool(b)),
        (Kind::Number(unit) | Kind::Integer(unit), Raw::Integer(i)) => {
            let n = i as f64;
            within(unit, n).then_some(Value::Number(n))
        }
        (Kind::Number(unit), Raw::Float(n)) => {
            (n.is_finite() && within(unit, n)).then_some(Value::Number(n))
        }
        (Kind::Date, Raw::Date(date)) => Some(Value::Date(date)),
        (Kind::Text, Raw::String(s)) => Some(Value::Text(Arc::from(s))),
        (Kind::Enum(allowed), Raw::String(s)) if allowed.contains(&s) => {
            Some(Value::Text(Arc::from(s)))
        }
        (Kind::EnumList(allowed), Raw::Strings(items))
            if items.iter().all(|s| allowed.contains(&s.as_str())) =>
        {
            Some(Value::List(items))
        }
        (Kind::CountryList, Raw::Strings(items)) if items.iter().all(|s| is_country_code(s)) => {
            Some(Value::List(items))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::read;
    use crate::facts::load::read_document;
    use crate::source::SourceFile;

    const EXAMPLES: &[&str] = &[
        include_str!("../../examples/middling.toml"),
        include_str!("../../examples/strong-regulated.toml"),
        include_str!("../../examples/weak.toml"),
        include_str!("../../examples/calibration/lapsed-attestation.toml"),
        include_str!("../../examples/calibration/ny-trust-cash-tbill.toml"),
        include_str!("../../examples/calibration/offshore-mixed-large.toml"),
        include_str!("../../examples/calibration/us-regulated-large.toml"),
    ];

    /// What the full loader reads from `text`, when it reads it without a
    /// problem, written out whole (lines and sources included).
    fn full(text: &str) -> Option<String> {
        match read_document(&SourceFile::new("t.toml", text)) {
            (Some(facts), problems) if problems.is_empty() => Some(format!("{facts:?}")),
            _ => None,
        }
    }

    /// The fast path reads `text` exactly as the full loader does, or leaves
    /// it to the full loader.
    fn agrees(text: &str) -> Result<(), String> {
        match read(text) {
            None => Ok(()),
            Some(fast) => match full(text) {
                Some(facts) if facts == format!("{fast:?}") => Ok(()),
                Some(_) => Err(format!("different facts from:\n{text}")),
                None => Err(format!(
                    "the full loader refuses what the fast path read:\n{text}"
                )),
            },
        }
    }

    /// The fast path reads `text`, and reads it as the full loader does.
    fn fast_and_same(text: &str) {
        let fast = read(text).map(|facts| format!("{facts:?}"));
        assert!(fast.is_some(), "not read by the fast path:\n{text}");
        assert_eq!(fast, full(text), "{text}");
    }

    #[test]
    fn the_usual_shapes_take_the_fast_path() {
        for example in EXAMPLES {
            fast_and_same(example);
            fast_and_same(&example.replace('\n', "\r\n"));
            // Indentation, trailing comments and an array over several lines.
            fast_and_same(
                &example
                    .replace("\n[", "\n  [")
                    .replace("\nname =", "\n\tname =")
                    .replace("true\n", "true   # as disclosed\n"),
            );
        }
        fast_and_same(&crate::facts::template::template());
        let base = "format = 1\n[arrangement]\nname = 'X'\nas_of = 2026-09-30\n";
        // A parent table after its children, and a list written over lines.
        fast_and_same(&format!(
            "{base}[[reserves.asset]]\nclass = \"cash\"\nshare_pct = 1_00.0e0\n[reserves]\ntotal_usd = +5\n\
             [compliance]\njurisdictions_served = [\n  \"US\", # home\n  'US-NY',\n]\n"
        ));
    }

    #[test]
    fn other_shapes_go_to_the_full_loader() {
        let base = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n";
        for text in [
            format!("{base}issuer = \"A \\u0042\"\n"),
            format!("{base}issuer = \"\"\"A\"\"\"\n"),
            format!("{base}issuer.x = \"A\"\n"),
            format!("{base}\"issuer\" = \"A\"\n"),
            format!("{base}[supply]\noutstanding_usd = 0x10\n"),
            format!("{base}[supply]\noutstanding_usd = 1__0\n"),
            format!("{base}[supply]\noutstanding_usd = 010\n"),
            format!("{base}[supply]\noutstanding_usd = nan\n"),
            format!("{base}[supply]\noutstanding_usd = 99999999999999999999\n"),
            format!("{base}[[reserves.asset]]\nclass = \"cash\"\nshare_pct = 100\n"),
            format!("{base}[reserves]\n[reserves]\n"),
            format!("{base}[reserves]\nasset = {{ class = \"cash\" }}\n"),
            format!("{base}[[arrangement]]\n"),
            format!("{base}[ reserves ]\n"),
            format!("{base}[reserves]\nsource = 1\n"),
            format!("{base}[reserves]\ntotal_usd = 1 2\n"),
            format!("{base}[reserves]\nas_of = 2026-09-30T10:00:00\n"),
            format!("{base}[reserves]\nas_of = 2026-09-30 10:00:00\n"),
            format!("{base}[reserves]\nas_of = 2026-02-30\n"),
            format!("{base}[reserves]\ntotal_usd = 1\r\n\r"),
            "format = 2\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n".to_string(),
            "format = 1\nsource = \"s\"\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n"
                .to_string(),
            "format = 1\n".to_string(),
            "\u{feff}format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n".to_string(),
        ] {
            assert!(read(&text).is_none(), "read by the fast path:\n{text}");
        }
    }

    /// Bits of TOML, good and bad, that edits drop into an example.
    const SNIPPETS: &[&str] = &[
        "\"",
        "'",
        "#",
        "\n",
        "\r\n",
        "\r",
        "[",
        "]",
        "[[",
        "]]",
        "=",
        ".",
        "_",
        "0",
        "1",
        "9",
        "-",
        "+",
        " ",
        "\t",
        "\\",
        "x",
        "e",
        "E",
        ",",
        "{",
        "}",
        "nan",
        "inf",
        "T10:00:00",
        "\"\"",
        "'''",
        "1979-05-27",
        "true",
        "false",
        "\u{7f}",
        "\u{1}",
        "é",
        "source = \"s\"\n",
        "[reserves]\n",
        "[[chain]]\n",
        "[arrangement]\n",
        "format = 1\n",
        "0x1",
        "1e999",
        "99999999999999999999",
        "\"US\"",
        "[\"US\",]",
        "share_pct = 50\n",
    ];

    /// Values, of every type and some out of range, that edits put on a
    /// `key = value` line.
    const VALUES: &[&str] = &[
        "0",
        "-0",
        "+1",
        "1_000",
        "1.5",
        "1e3",
        "1E-2",
        "100.0",
        "100.5",
        "-1",
        "-0.0",
        "1e308",
        "9223372036854775807",
        "true",
        "false",
        "\"cash\"",
        "'tbill'",
        "\"US\"",
        "\"\"",
        "[\"US\", 'US-NY']",
        "[\n  \"cash\", # a comment\n]",
        "[]",
        "[\"audit\"]",
        "2026-09-30",
        "2026-02-29",
        "2024-02-29",
        "'a\\b'",
        "\"é\"",
        "\"a\\tb\"",
        "\"daily\"",
        "\"bank\"",
    ];

    /// The largest char boundary of `text` at or before `at`.
    fn boundary(text: &str, at: usize) -> usize {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// An example with up to three edits: a snippet inserted, a span
    /// deleted, a line copied over another, or a value replaced.
    fn edited(example: usize, edits: &[(u8, usize, usize)]) -> String {
        let mut text = EXAMPLES[example % EXAMPLES.len()].to_string();
        for &(kind, a, b) in edits {
            let at = boundary(&text, a % (text.len() + 1));
            match kind % 4 {
                0 => text.insert_str(at, SNIPPETS[b % SNIPPETS.len()]),
                1 => {
                    let end = boundary(&text, at + b % 24);
                    text.replace_range(at..end, "");
                }
                2 => {
                    let lines: Vec<&str> = text.lines().collect();
                    let to = a % lines.len();
                    let mut copy: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                    if let Some((key, _)) = lines[to].split_once(" = ") {
                        copy[to] = format!("{key} = {}", VALUES[b % VALUES.len()]);
                    }
                    text = copy.join("\n") + "\n";
                }
                _ => {
                    let lines: Vec<&str> = text.lines().collect();
                    let from = lines[b % lines.len()];
                    let to = a % lines.len();
                    let mut copy: Vec<&str> = lines.clone();
                    copy[to] = from;
                    text = copy.join("\n") + "\n";
                }
            }
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]

        #[test]
        fn edited_examples_read_alike(
            example in 0usize..7,
            edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..4),
        ) {
            let text = edited(example, &edits);
            if let Err(problem) = agrees(&text) {
                return Err(TestCaseError::fail(problem));
            }
        }
    }
}
