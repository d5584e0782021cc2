//! The arrangement file's format 1, as data.
//!
//! One description of every table and field serves every use: the loader
//! validates against it (types, enums, ranges, unknown keys with a hint), the
//! rubric loader checks that a check's fact path exists and that its operator
//! fits the field's kind, `usd1eval init` writes its template from it, and a test
//! proves that the default rubric reads every field. Field names are the public
//! contract of format 1: add, never rename.
//!
//! This file holds the words the declaration is written in (units, kinds,
//! fields, tables, what a path resolves to); the rest is one file a concern,
//! each re-exported here, so callers name `schema::X` whatever file holds it:
//!
//! - `choices`: every set of values an enum field may hold, each value with
//!   its meaning, and the plain name lists read from them (`ASSET_CLASSES`).
//! - `tables`: the declaration itself, [`TABLES`]: every table of format 1
//!   and its fields, in one list; where a table and a field stand in it.
//! - `paths`: finding what a name means: a table by path, a key of a table, a
//!   fact path ([`resolve`]), and "did you mean" for a name that is none.
//! - `quantity`: [`Quantity`], a number with its unit, rounded and printed
//!   one way per unit.

mod choices;
mod paths;
mod quantity;
mod tables;

pub(crate) use choices::HOLDER_CONCERNS;
#[cfg(test)]
pub(crate) use choices::REPORT_FREQUENCY_CHOICES;
pub use choices::{
    ASSET_CLASSES, EVIDENCE_CHOICES, INDEPENDENT_EVIDENCE, NOT_ISSUING, STAGES, UNDECLARED_EVIDENCE,
};
pub(crate) use paths::{Member, member, unknown_key_help};
pub use paths::{all_fact_paths, children, resolve, table};
pub use quantity::Quantity;
pub(crate) use tables::DECLARED_NONE;
pub(crate) use tables::same_bytes;
pub use tables::{EVIDENCE_KEY, FORMAT, FactAt, SOURCE_KEY, TABLES, TableAt};

/// The unit carried in a number field's name; it fixes the allowed range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// US dollars, ≥ 0.
    Usd,
    /// Percent, 0–100.
    Pct,
    /// Basis points, ≥ 0.
    Bps,
    /// Days.
    Days,
    /// Hours.
    Hours,
    /// A plain count, ≥ 0.
    Count,
    /// A ratio (derived figures only), ≥ 0.
    Ratio,
}

/// The largest amount in US dollars a file may state: 10^15, ten times the
/// world's yearly output, which is of the order of 10^14 USD (IMF, World
/// Economic Outlook database, world GDP at current prices, 2023–2024).
/// Anything larger is a typo, and the bound keeps every sum, share and stress
/// figure made of amounts finite: a file of 4 MiB holds fewer than 10^6
/// amounts, so no sum of them reaches 10^22, far below `f64::MAX` (~1.8e308).
pub(crate) const MAX_USD: f64 = 1e15;

impl Unit {
    /// The inclusive range a value in this unit must fall in.
    pub fn range(self) -> (f64, f64) {
        match self {
            Unit::Pct => (0.0, 100.0),
            Unit::Usd => (0.0, MAX_USD),
            _ => (0.0, f64::MAX),
        }
    }
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Yes or no.
    Bool,
    /// Any TOML number (integer or float).
    Number(Unit),
    /// A TOML integer.
    Integer(Unit),
    /// A TOML local date.
    Date,
    /// Free text.
    Text,
    /// One of a fixed set of kebab-case strings, each defined.
    Enum(&'static [Choice]),
    /// An array of values from a fixed set, each defined.
    EnumList(&'static [Choice]),
    /// An array of ISO 3166 codes (`US`, `US-NY`).
    CountryList,
}

impl Kind {
    /// A short name for messages ("a number", "one of …").
    pub fn describe(self) -> String {
        match self {
            Kind::Bool => "a boolean (true or false)".into(),
            Kind::Number(_) => "a number".into(),
            Kind::Integer(_) => "a whole number".into(),
            Kind::Date => "a date (YYYY-MM-DD, unquoted, or a month \"YYYY-MM\")".into(),
            Kind::Text => "a string".into(),
            Kind::Enum(values) => format!("one of {}", quote_list(&names_of(values))),
            Kind::EnumList(values) => format!("an array of {}", quote_list(&names_of(values))),
            Kind::CountryList => "an array of ISO 3166 codes such as \"US\" or \"US-NY\"".into(),
        }
    }

    /// The values an enum or enum-list field may hold, with their meanings;
    /// none for other kinds.
    pub fn choices(self) -> &'static [Choice] {
        match self {
            Kind::Enum(choices) | Kind::EnumList(choices) => choices,
            _ => &[],
        }
    }

    /// True for the number kinds.
    pub fn is_numeric(self) -> bool {
        matches!(self, Kind::Number(_) | Kind::Integer(_))
    }

    /// True for the array kinds.
    pub fn is_list(self) -> bool {
        matches!(self, Kind::EnumList(_) | Kind::CountryList)
    }
}

/// One value an enum field may hold, and what it means in one line: the
/// definition `docs/fields.md`, the JSON Schema, `init`'s template and
/// `usd1eval explain FIELD` all show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Its name as written in files.
    pub name: &'static str,
    /// What it means, in one sentence.
    pub doc: &'static str,
}

/// A value an enum field may hold, and its meaning.
const fn choice(name: &'static str, doc: &'static str) -> Choice {
    Choice { name, doc }
}

/// The names of `choices`, in order.
pub fn names_of(choices: &[Choice]) -> Vec<&'static str> {
    choices.iter().map(|c| c.name).collect()
}

/// Whether `value` is one of `choices`.
pub fn allows(choices: &[Choice], value: &str) -> bool {
    choices.iter().any(|c| c.name == value)
}

/// A field's meaning followed by the meaning of each value it may hold
/// (`who can redeem with the issuer. Values: `anyone`: …; `none`: …`): the
/// JSON Schema's `description`.
pub fn defined(field: &Field) -> String {
    let choices = field.kind.choices();
    if choices.is_empty() {
        return field.doc.to_string();
    }
    let values: Vec<String> = choices
        .iter()
        .map(|c| format!("`{}`: {}", c.name, c.doc))
        .collect();
    format!("{}. Values: {}.", field.doc, values.join("; "))
}

/// A month written where only the month is known (`"2025-10"`), read as its
/// first day: an age measured from it is the longest it can be.
pub(crate) fn month_date(text: &str) -> Option<chrono::NaiveDate> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

/// `"a"`, `"b"` and `"c"` — for messages listing allowed values.
pub fn quote_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One field of a table.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Its name as written in files.
    pub name: &'static str,
    /// The kind of value it holds.
    pub kind: Kind,
    /// Whether the file must declare it.
    pub required: bool,
    /// What the field means, in one line (also the comment in `init`'s template).
    pub doc: &'static str,
    /// The value `init`'s template writes, as TOML.
    pub example: &'static str,
}

/// One table of the file: a plain table (`[reserves]`) or an array of tables
/// (`[[reserves.asset]]`).
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Dotted path: `""` for the top level, `reserves.asset` for a nested one.
    pub path: &'static str,
    /// True for an array of tables.
    pub repeated: bool,
    /// What it means, in one sentence.
    pub doc: &'static str,
    /// Its fields, in the order docs list them.
    pub fields: &'static [Field],
}

impl Table {
    /// A field by name.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The key under which this table sits in its parent (`asset` for `reserves.asset`).
    pub fn key(&self) -> &'static str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }

    /// The parent table's path (`reserves` for `reserves.asset`, `""` for `reserves`).
    pub fn parent(&self) -> &'static str {
        self.path.rsplit_once('.').map_or("", |(parent, _)| parent)
    }
}

/// A derived figure's name, kind and formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DerivedSpec {
    /// Its name as written in files.
    pub name: &'static str,
    /// The kind of value it holds.
    pub kind: Kind,
    /// How it is computed, in words.
    pub formula: &'static str,
    /// The fact paths it is computed from.
    pub inputs: &'static [&'static str],
}

impl DerivedSpec {
    /// The fact path a rubric reads it by: `derived.NAME`, or the stress
    /// figure's own `stress.ID.MEASURE`.
    pub fn path(&self) -> String {
        if self.name.starts_with("stress.") {
            self.name.to_string()
        } else {
            format!("derived.{}", self.name)
        }
    }
}

/// Where a fact path points, once resolved against the schema.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// A field of a plain table: `redemption.fee_bps`.
    Field(&'static Table, &'static Field),
    /// A field of every entry of an array of tables: `chain[].monitored`.
    EachField(&'static Table, &'static Field),
    /// The entries of an array of tables themselves: `chain[]`.
    Entries(&'static Table),
    /// A derived figure: `derived.reserve_coverage_ratio`.
    Derived(&'static DerivedSpec),
}

impl Target {
    /// The kind of value the path yields (entries are counted, so they are a count).
    pub fn kind(self) -> Kind {
        match self {
            Target::Field(_, f) | Target::EachField(_, f) => f.kind,
            Target::Entries(_) => Kind::Integer(Unit::Count),
            Target::Derived(d) => d.kind,
        }
    }
}
