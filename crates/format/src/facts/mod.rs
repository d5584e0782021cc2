//! The arrangement: declared facts, loaded strictly from format 1, and the
//! figures derived from them.
//!
//! Facts are stored by table and field as [`schema`] describes them, each
//! with the line it came from, because a rubric addresses facts by path
//! (`redemption.fee_bps`, `chain[].monitored`) and every finding must point at
//! its line in the file. They sit at their table's and field's positions in the
//! schema, so a compiled check reaches its fact by index, never by name.

pub mod derived;
pub mod ladder;
mod load;
pub mod loss;
pub mod schema;
pub mod template;
mod validate;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

pub use derived::Derived;
pub use load::load;

use crate::source::{Diagnostic, SourceFile};
use schema::{FactAt, Field, Table, TableAt};

/// One declared value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A yes/no value.
    Bool(bool),
    /// Numbers of every unit, integers included (they are whole-valued floats).
    Number(f64),
    /// A date (a month is its first day).
    Date(NaiveDate),
    /// Free text and enum values (already checked against the schema).
    /// Shared, so that a finding shows it without a copy.
    Text(Arc<str>),
    /// Arrays of enum values or country codes.
    List(Vec<String>),
}

impl Value {
    /// The value as yes/no, when it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value as a number, when it is one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as a date, when it is one.
    pub(crate) fn as_date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// The value as text (free text or an enum value), when it is one.
    pub(crate) fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The value as JSON: what [`serde::Serialize`] writes.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Numbers are rounded to four decimals, so that output is stable; dates are
/// written `YYYY-MM-DD`.
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => crate::number::Rounded(*n, 4).serialize(serializer),
            Value::Date(d) => serializer.collect_str(d),
            Value::Text(s) => serializer.serialize_str(s),
            Value::List(items) => items.serialize(serializer),
        }
    }
}

/// True when `text` is one of `values` (a rubric's list of accepted texts).
pub fn among(values: &[String], text: &str) -> bool {
    values.iter().any(|v| v == text)
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{}", format_number(*n)),
            Value::Date(d) => write!(f, "{d}"),
            Value::Text(s) => write!(f, "{s}"),
            Value::List(items) if items.is_empty() => write!(f, "[]"),
            Value::List(items) => write!(f, "[{}]", items.join(", ")),
        }
    }
}

/// A number as a person writes it: no trailing zeros, at most four decimals.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        // Exact below 10^15; -0 is written 0, as `{:.0}` would not.
        return format!("{}", n as i64);
    }
    if n.is_finite() && n.abs() >= 1e15 {
        // Fixed notation would print every one of up to 309 digits.
        return format!("{n:e}");
    }
    let s = format!("{n:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A number as the file wrote it, for a message about that very value: as
/// [`format_number`] when that is exact, else every digit it takes
/// (`100.0000001` is not "100").
pub fn format_written(n: f64) -> String {
    let short = format_number(n);
    if short.parse::<f64>() == Ok(n) {
        short
    } else {
        format!("{n:?}")
    }
}

/// A declared value and where it stands in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// What the file declares.
    pub value: Value,
    /// The 1-based line it was declared on.
    pub line: u32,
}

/// One table instance: a plain table, or one entry of an array of tables.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Line of the table's header (or of its first key when it has none).
    pub line: u32,
    /// The table's `source` key, carried into findings.
    pub source: Option<Arc<str>>,
    /// The table's `evidence` key: what backs its facts (one of
    /// [`schema::EVIDENCE_CHOICES`]); `None` is the issuer's word.
    pub evidence: Option<&'static str>,
    table: &'static Table,
    /// Declared values by their field's position in `table.fields`.
    fields: Vec<Option<Fact>>,
}

impl Entry {
    /// An instance of `table` with nothing declared yet.
    pub(crate) fn new(table: &'static Table, line: u32) -> Self {
        let mut fields = Vec::new();
        fields.resize_with(table.fields.len(), || None);
        Self {
            line,
            source: None,
            evidence: None,
            table,
            fields,
        }
    }

    /// A field as the schema describes it: reached by position.
    pub fn field(&self, field: &'static Field) -> Option<&Fact> {
        self.fields
            .get(self.table.field_position(field))
            .and_then(Option::as_ref)
    }

    pub(crate) fn set(&mut self, field: &'static Field, fact: Fact) {
        if let Some(slot) = self.fields.get_mut(self.table.field_position(field)) {
            *slot = Some(fact);
        }
    }

    /// A field written in code ([`crate::fact!`]), reached by position. A
    /// field of another table is a bug in the calling code, which debug
    /// builds and the tests stop on.
    pub fn get(&self, at: FactAt) -> Option<&Fact> {
        debug_assert!(
            std::ptr::eq(self.table, at.table.table) || self.table.path == at.table.table.path,
            "`{}` is a field of [{}], not of [{}]",
            at.field.name,
            at.table.table.path,
            self.table.path
        );
        self.fields.get(at.index).and_then(Option::as_ref)
    }

    /// A field by a name read from a rubric (an entry filter's key, checked
    /// against the schema when the rubric was compiled); code names its
    /// fields with [`crate::fact!`] instead.
    pub fn named(&self, name: &str) -> Option<&Fact> {
        self.table.field(name).and_then(|field| self.field(field))
    }

    /// Every declared field, in the schema's order.
    pub fn facts(&self) -> impl Iterator<Item = (&'static str, &Fact)> {
        self.table
            .fields
            .iter()
            .zip(&self.fields)
            .filter_map(|(field, fact)| fact.as_ref().map(|fact| (field.name, fact)))
    }

    /// A field's value.
    pub fn value(&self, at: FactAt) -> Option<&Value> {
        self.get(at).map(|f| &f.value)
    }

    /// A number field.
    pub fn number(&self, at: FactAt) -> Option<f64> {
        self.value(at).and_then(Value::as_number)
    }

    /// A yes/no field.
    pub fn bool(&self, at: FactAt) -> Option<bool> {
        self.value(at).and_then(Value::as_bool)
    }

    /// A text field.
    pub fn text(&self, at: FactAt) -> Option<&str> {
        self.value(at).and_then(Value::as_text)
    }

    /// A date field.
    pub fn date(&self, at: FactAt) -> Option<NaiveDate> {
        self.value(at).and_then(Value::as_date)
    }
}

/// Everything an arrangement file declares.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The arrangement's name (`[arrangement].name`).
    pub name: String,
    /// The date the facts describe (`[arrangement].as_of`).
    pub as_of: NaiveDate,
    /// The instances of each table of [`schema::TABLES`], by the table's
    /// position: at most one for a plain table.
    tables: Vec<Vec<Entry>>,
}

impl Facts {
    /// A plain table ([`crate::table!`], or one of [`schema::TABLES`]), when
    /// the file has it.
    pub fn table(&self, table: impl Into<TableAt>) -> Option<&Entry> {
        let table = table.into();
        debug_assert!(
            !table.table.repeated,
            "[{}] is an array of tables",
            table.table.path
        );
        self.entries(table).first()
    }

    /// Every instance of a table ([`crate::table!`], or one of
    /// [`schema::TABLES`]): the entries of an array of tables, or the one
    /// instance of a plain table.
    pub fn entries(&self, table: impl Into<TableAt>) -> &[Entry] {
        self.tables
            .get(table.into().index)
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the entries of an array of tables are known: some are
    /// declared, or the file declares there are none
    /// (`schema::DECLARED_NONE`).
    pub fn entries_known(&self, table: impl Into<TableAt>) -> bool {
        let table = table.into();
        !self.entries(table).is_empty()
            || schema::DECLARED_NONE
                .iter()
                .any(|(of, flag)| of.index == table.index && self.bool(*flag) == Some(true))
    }

    /// A field of a plain table, as the schema describes it.
    pub fn fact(&self, table: &'static Table, field: &'static Field) -> Option<&Fact> {
        self.table(table).and_then(|entry| entry.field(field))
    }

    /// A field of a plain table ([`crate::fact!`]), reached by position.
    pub fn get(&self, at: FactAt) -> Option<&Fact> {
        self.table(at.table)
            .and_then(|entry| entry.fields.get(at.index))
            .and_then(Option::as_ref)
    }

    /// A number field of a plain table.
    pub fn number(&self, at: FactAt) -> Option<f64> {
        self.get(at).and_then(|f| f.value.as_number())
    }

    /// A yes/no field of a plain table.
    pub fn bool(&self, at: FactAt) -> Option<bool> {
        self.get(at).and_then(|f| f.value.as_bool())
    }

    /// A text field of a plain table.
    pub fn text(&self, at: FactAt) -> Option<&str> {
        self.get(at).and_then(|f| f.value.as_text())
    }

    /// The issuer, when declared.
    pub fn issuer(&self) -> Option<&str> {
        self.text(crate::fact!("arrangement.issuer"))
    }

    /// Every declared fact as `path → value` text, for comparing two files.
    /// Entries of arrays of tables are named by their first required field
    /// (`chain[ethereum].monitored`), with `#2`, `#3` for repeats.
    pub fn flatten(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for table in schema::TABLES.iter().filter(|t| !t.path.is_empty()) {
            if table.repeated {
                let key_field = table.fields.iter().find(|f| f.required);
                let mut seen: BTreeMap<String, usize> = BTreeMap::new();
                for (i, entry) in self.entries(table).iter().enumerate() {
                    let base = key_field
                        .and_then(|k| entry.field(k))
                        .map(|f| &f.value)
                        .map_or_else(|| (i + 1).to_string(), ToString::to_string);
                    let n = seen.entry(base.clone()).or_insert(0);
                    *n += 1;
                    let label = if *n == 1 { base } else { format!("{base}#{n}") };
                    for (field, fact) in entry.facts() {
                        out.insert(
                            format!("{}[{label}].{field}", table.path),
                            fact.value.to_string(),
                        );
                    }
                }
            } else if let Some(entry) = self.table(table) {
                for (field, fact) in entry.facts() {
                    out.insert(format!("{}.{field}", table.path), fact.value.to_string());
                }
            }
        }
        out
    }
}

/// An arrangement file, loaded and validated.
#[derive(Debug, Clone)]
pub struct Arrangement {
    /// The path as given on the command line (`<stdin>` for `-`).
    pub path: String,
    /// The file's text, kept for its hash, which only a report needs:
    /// `check` never computes it.
    text: std::sync::Arc<str>,
    sha256: std::sync::OnceLock<String>,
    /// What it declares.
    pub facts: Facts,
    /// Problems that do not stop evaluation (a date after `as_of`).
    pub warnings: Vec<Diagnostic>,
}

impl Arrangement {
    /// Loads an arrangement from a source file: every problem at once, or the
    /// facts and any warnings.
    pub fn from_source(source: &SourceFile) -> Result<Self, Vec<Diagnostic>> {
        let (facts, warnings) = load(source)?;
        Ok(Self {
            path: source.name().to_string(),
            text: source.text().into(),
            sha256: std::sync::OnceLock::new(),
            facts,
            warnings,
        })
    }

    /// The SHA-256 of the file's text, hex (as [`SourceFile::sha256`]),
    /// computed the first time it is asked for.
    pub fn sha256(&self) -> &str {
        self.sha256
            .get_or_init(|| crate::source::hex_sha256(self.text.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::format_number;
    use crate::fact;

    fn facts() -> super::Facts {
        let text = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n[supply]\noutstanding_usd = 5\n";
        super::load(&crate::source::SourceFile::new("t.toml", text))
            .unwrap()
            .0
    }

    #[test]
    fn a_lookup_by_a_known_name_reads_the_fact() {
        assert_eq!(facts().number(fact!("supply.outstanding_usd")), Some(5.0));
        assert_eq!(facts().number(fact!("reserves.total_usd")), None);
    }

    // A misspelt lookup would read as "not disclosed": `fact!` and `table!`
    // evaluate these checks when the program is compiled (the doc tests of
    // the macros prove a misspelling does not compile); run here, they panic.
    #[test]
    #[should_panic(expected = "the schema has no such field")]
    fn a_misspelt_field_is_a_bug_not_an_absent_fact() {
        let _ = super::FactAt::of(std::hint::black_box("supply.outstanding"));
    }

    #[test]
    #[should_panic(expected = "the schema has no such table")]
    fn a_misspelt_table_is_a_bug_not_an_absent_fact() {
        let _ = super::TableAt::of(std::hint::black_box("reserve.asset"));
    }

    #[test]
    #[should_panic(expected = "written `table[].field`")]
    fn a_field_of_each_entry_is_written_with_brackets() {
        let _ = super::FactAt::of(std::hint::black_box("reserves.asset.share_pct"));
    }

    #[test]
    fn numbers_read_as_a_person_writes_them() {
        assert_eq!(format_number(1_000_000.0), "1000000");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(-42.0), "-42");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(1.0 / 3.0), "0.3333");
        assert_eq!(format_number(1e16), "1e16");
        assert_eq!(format_number(1e308), "1e308");
        assert_eq!(super::format_written(1e308), "1e308");
    }
}
