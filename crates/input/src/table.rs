//! The one reader of TOML files other than arrangements (rubrics, profiles,
//! waivers, scenarios, and the built-in loss model and bank list), in the
//! style of cargo-deny's `TableHelper`: the code that reads a table names each
//! key it accepts, so it is the table's list of keys. Every value of the wrong
//! type is reported at the value, every missing key at its table, and every
//! key nobody asked for with a "did you mean" — all at once. Arrangements are
//! walked against their declared schema instead (the format crate's loader);
//! both start from [`SourceFile::parse_toml`].

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::source::{Code, Diagnostic, SourceFile, sort_diagnostics};
use crate::text::did_you_mean;

/// A value and where the file defines it (for a table, its header's span).
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    /// Where the value stands in the file, in bytes.
    pub span: Range<usize>,
    /// The value read.
    pub value: T,
    /// For a table: where the value of each key it has stands.
    pub keys: Vec<(&'static str, Range<usize>)>,
}

/// Collects the problems of one file as its tables are read.
#[derive(Debug)]
pub struct Reader<'s> {
    source: &'s SourceFile,
    /// What the file is (`rubric`, `profile`, `waivers`, `scenario`, `loss
    /// model`, `bank list`): how every message starts.
    kind: &'static str,
    /// The file format's documentation, for type errors.
    help: &'static str,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(&mut self, code: Code, span: Range<usize>, message: String, help: String) {
        let message = format!("{}: {message}", self.kind);
        self.diagnostics
            .push(self.source.error(code, span, message).with_help(help));
    }
}

/// Parses `source` and reads its top-level table, `name`d as messages show
/// it, with `read`: the typed file, or every problem found.
pub fn read_file<T>(
    source: &SourceFile,
    kind: &'static str,
    name: &'static str,
    help: &'static str,
    read: impl FnOnce(&mut Reader<'_>, &mut Table<'_, '_>) -> T,
) -> Result<T, Vec<Diagnostic>> {
    let document = source.parse_toml(help).map_err(|errors| {
        errors
            .into_iter()
            .map(|mut d| {
                d.message = format!("{kind}: {}", d.message);
                d
            })
            .collect::<Vec<_>>()
    })?;
    let mut reader = Reader {
        source,
        kind,
        help,
        diagnostics: Vec::new(),
    };
    let mut table = Table::new(document.get_ref(), 0..0, name);
    let file = read(&mut reader, &mut table);
    table.finish(&mut reader);
    if reader.diagnostics.is_empty() {
        Ok(file)
    } else {
        // Tables hold their keys in order of name; a person reads top to bottom.
        sort_diagnostics(&mut reader.diagnostics);
        Err(reader.diagnostics)
    }
}

/// One table being read: the keys asked for so far.
#[derive(Debug)]
pub struct Table<'t, 'de> {
    table: &'t DeTable<'de>,
    span: Range<usize>,
    /// `[[milestone]]`, `the rubric`: the table as messages name it.
    name: &'static str,
    asked: Vec<&'static str>,
    /// The keys asked for that the table has, each once, with where their
    /// value stands: a table's [`At::keys`], and how [`Table::finish`] knows
    /// at once that no key is left over.
    found: Vec<(&'static str, Range<usize>)>,
}

impl<'t, 'de> Table<'t, 'de> {
    fn new(table: &'t DeTable<'de>, span: Range<usize>, name: &'static str) -> Self {
        Self {
            table,
            span,
            name,
            asked: Vec::new(),
            found: Vec::new(),
        }
    }

    /// The value of `key`, which the table accepts.
    fn value(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'de>>> {
        self.asked.push(key);
        let value = self.find(key)?;
        if !self.found.iter().any(|(k, _)| *k == key) {
            self.found.push((key, value.span()));
        }
        Some(value)
    }

    fn find(&self, key: &str) -> Option<&'t Spanned<DeValue<'de>>> {
        self.table.get(key)
    }

    /// `key`'s value, when given; a value of the wrong type is reported.
    pub fn optional<T: FromValue>(&mut self, r: &mut Reader<'_>, key: &'static str) -> Option<T> {
        self.at(r, key).map(|at| at.value)
    }

    /// `key`'s value and its span, when given.
    pub fn at<T: FromValue>(&mut self, r: &mut Reader<'_>, key: &'static str) -> Option<At<T>> {
        let value = self.value(key)?;
        let Some(v) = T::from_value(value) else {
            self.wrong_type(r, key, T::EXPECTED, value);
            return None;
        };
        if let Some(c) = hidden_character(value.get_ref()) {
            let message = format!(
                "`{key}` in {} holds the character {}, which a terminal or a page would act on or hide",
                self.name,
                c.escape_unicode()
            );
            let help = "write plain text: line breaks and tabs are allowed, other control \
                        characters, direction marks and zero-width characters are not";
            r.error(Code::ControlCharacter, value.span(), message, help.into());
            return None;
        }
        Some(At {
            span: value.span(),
            value: v,
            keys: Vec::new(),
        })
    }

    /// `key`'s value; its absence is reported at the table.
    pub fn required<T: FromValue>(&mut self, r: &mut Reader<'_>, key: &'static str) -> Option<T> {
        if !self.has(key) {
            self.asked.push(key);
            let message = format!("missing key `{key}` in {}", self.name);
            r.error(Code::MissingKey, self.span.clone(), message, r.help.into());
            return None;
        }
        if let Some(value) = self.find(key)
            && let DeValue::String(text) = value.get_ref()
            && text.trim().is_empty()
        {
            // A required text says something: a scenario, rubric or profile
            // without a title, or a waiver without a reason, is not written yet.
            self.value(key);
            let message = format!("`{key}` in {} is empty", self.name);
            r.error(Code::WrongType, value.span(), message, r.help.into());
            return None;
        }
        self.optional(r, key)
    }

    /// True when the table has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The entries of an array of tables (or of inline tables) under `key`,
    /// each read by `read` as a table `name`d as messages show it; none when
    /// the key is absent.
    pub fn tables<T>(
        &mut self,
        r: &mut Reader<'_>,
        key: &'static str,
        name: &'static str,
        mut read: impl FnMut(&mut Reader<'_>, &mut Table<'_, '_>) -> Option<T>,
    ) -> Vec<At<T>> {
        let Some(value) = self.value(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(r, key, "an array of tables", value);
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.nested(r, key, name, item, &mut read))
            .collect()
    }

    /// The plain table under `key`, read by `read` as a table `name`d as
    /// messages show it.
    pub fn table<T>(
        &mut self,
        r: &mut Reader<'_>,
        key: &'static str,
        name: &'static str,
        mut read: impl FnMut(&mut Reader<'_>, &mut Table<'_, '_>) -> Option<T>,
    ) -> Option<At<T>> {
        let value = self.value(key)?;
        self.nested(r, key, name, value, &mut read)
    }

    /// A table nested under `key`, read by `read`.
    fn nested<T>(
        &self,
        r: &mut Reader<'_>,
        key: &'static str,
        name: &'static str,
        value: &Spanned<DeValue<'_>>,
        read: &mut impl FnMut(&mut Reader<'_>, &mut Table<'_, '_>) -> Option<T>,
    ) -> Option<At<T>> {
        let DeValue::Table(t) = value.get_ref() else {
            self.wrong_type(r, key, "a table", value);
            return None;
        };
        let mut table = Table::new(t, value.span(), name);
        let read = read(r, &mut table);
        let keys = table.found.clone();
        table.finish(r);
        read.map(|v| At {
            span: value.span(),
            value: v,
            keys,
        })
    }

    fn wrong_type(
        &self,
        r: &mut Reader<'_>,
        key: &str,
        expected: &str,
        value: &Spanned<DeValue<'_>>,
    ) {
        let found = value.get_ref().type_str();
        let message = format!("`{key}` in {} must be {expected}, found {found}", self.name);
        r.error(Code::WrongType, value.span(), message, r.help.into());
    }

    /// Reports every key of the table that was not asked for.
    fn finish(self, r: &mut Reader<'_>) {
        // Every key the table has was asked for (`found` holds each once).
        if self.found.len() == self.table.len() {
            return;
        }
        for (key, _) in self.table.iter() {
            let key_name = key.get_ref().as_ref();
            if self.asked.contains(&key_name) {
                continue;
            }
            let help = did_you_mean(key_name, self.asked.iter().copied()).map_or_else(
                || format!("{} accepts: {}", self.name, self.asked.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            let message = format!("unknown key `{key_name}` in {}", self.name);
            r.error(Code::UnknownKey, key.span(), message, help);
        }
    }
}

/// The first control character (other than a line break or a tab) or
/// invisible one in a string value, or in the strings of an array. A
/// rubric, profile, waiver or scenario is written by people for people: such
/// a character in a title, a grade letter or a reason could only clear a
/// terminal, hide text or pass for another name, so it is refused at load.
fn hidden_character(value: &DeValue<'_>) -> Option<char> {
    match value {
        // Printable ASCII, line breaks and tabs (nearly every text) hold
        // none: one pass over the bytes before the per-character test.
        DeValue::String(s) if s.bytes().all(|b| matches!(b, b' '..=b'~' | b'\n' | b'\t')) => None,
        DeValue::String(s) => s
            .chars()
            .find(|&c| (c.is_control() && c != '\n' && c != '\t') || crate::text::is_invisible(c)),
        DeValue::Array(items) => items.iter().find_map(|i| hidden_character(i.get_ref())),
        _ => None,
    }
}

/// A TOML date without a time (`2027-01-31`) as a calendar date; `None` for
/// a date-time or a time alone.
pub fn plain_date(value: &toml::value::Datetime) -> Option<chrono::NaiveDate> {
    match (value.date, value.time) {
        (Some(d), None) => {
            chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        _ => None,
    }
}

/// A value with its place, wherever a value is read.
impl<T: FromValue> FromValue for At<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        Some(At {
            span: value.span(),
            value: T::from_value(value)?,
            keys: Vec::new(),
        })
    }
}

/// A count of days or items: a whole number, not negative.
impl FromValue for u32 {
    const EXPECTED: &'static str = "a whole number, not negative";
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::Integer(i) => u32::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        }
    }
}

/// A type a TOML value reads as; `None` when the value has another type.
pub trait FromValue: Sized {
    /// What the value must be, for messages: "a string".
    const EXPECTED: &'static str;
    /// The value as `Self`; `None` when it has another type.
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self>;
}

impl FromValue for String {
    const EXPECTED: &'static str = "a string";
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        }
    }
}

impl FromValue for bool {
    const EXPECTED: &'static str = "true or false";
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }
}

/// Integers and decimals alike; `nan` and `inf` read as such, for the
/// validation that follows to refuse.
impl FromValue for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => match f.as_str().trim_start_matches(['+', '-']) {
                "nan" => Some(f64::NAN),
                "inf" if f.as_str().starts_with('-') => Some(f64::NEG_INFINITY),
                "inf" => Some(f64::INFINITY),
                _ => f.as_str().replace('_', "").parse().ok(),
            },
            _ => None,
        }
    }
}

impl FromValue for toml::value::Datetime {
    const EXPECTED: &'static str = "a date";
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::Datetime(dt) => Some(*dt),
            _ => None,
        }
    }
}

/// A calendar date without a time (`2025-11-27`); a date-time is refused.
impl FromValue for chrono::NaiveDate {
    const EXPECTED: &'static str = "a date without a time (YYYY-MM-DD)";
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::Datetime(dt) => plain_date(dt),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    const EXPECTED: &'static str = "an array";
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::Array(items) => items.iter().map(T::from_value).collect(),
            _ => None,
        }
    }
}

/// A pair written as a two-item array: `[2, 0.7]`.
impl<A: FromValue, B: FromValue> FromValue for (A, B) {
    const EXPECTED: &'static str = "a pair";
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::Array(items) if items.len() == 2 => {
                let mut items = items.iter();
                let a = A::from_value(items.next()?)?;
                let b = B::from_value(items.next()?)?;
                Some((a, b))
            }
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for BTreeMap<String, T> {
    const EXPECTED: &'static str = "a table";
    fn from_value(value: &Spanned<DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::Table(t) => t
                .iter()
                .map(|(k, v)| Some((k.get_ref().to_string(), T::from_value(v)?)))
                .collect(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Item {
        id: String,
        weight: Option<f64>,
    }

    fn read(text: &str) -> Result<Vec<At<Item>>, Vec<Diagnostic>> {
        read_file(
            &SourceFile::new("r.toml", text),
            "rubric",
            "the rubric",
            "see docs",
            |r, t| {
                let _: Option<String> = t.optional(r, "title");
                t.tables(r, "item", "[[item]]", |r, t| {
                    let id = t.required(r, "id");
                    let weight = t.optional(r, "weight");
                    Some(Item { id: id?, weight })
                })
            },
        )
    }

    #[test]
    fn every_problem_is_reported_at_its_place() {
        let errors =
            read("titel = \"X\"\n[[item]]\nid = 1\nweigth = 2\n[[item]]\nweight = \"a\"\n")
                .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 5, "{text:#?}");
        assert!(
            text[0].contains("unknown key `titel` in the rubric") && text[0].contains("`title`")
        );
        assert!(text[1].contains("`id` in [[item]] must be a string, found integer"));
        assert_eq!((errors[1].line, errors[1].column), (3, 6));
        assert!(
            text[2].contains("unknown key `weigth` in [[item]]") && text[2].contains("`weight`")
        );
        assert!(text[3].contains("missing key `id` in [[item]]"));
        assert_eq!(errors[3].line, 5);
        assert!(text[4].contains("`weight` in [[item]] must be a number, found string"));
    }

    #[test]
    fn values_read_with_their_place() {
        let items =
            read("[[item]]\nid = \"a\"\nweight = 1_000\n[[item]]\nid = \"b\"\nweight = 0.5\n")
                .unwrap();
        let read: Vec<_> = items
            .iter()
            .map(|i| (i.value.id.as_str(), i.value.weight))
            .collect();
        assert_eq!(read, [("a", Some(1000.0)), ("b", Some(0.5))]);
        assert_eq!(items[1].span.start, 33);
    }
}
