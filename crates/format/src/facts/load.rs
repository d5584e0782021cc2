//! Loading format 1: a spanned TOML parse, then one walk over the document
//! against the schema that collects every problem instead of stopping at the
//! first, then the cross-field rules.

use crate::fact;
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::schema::{self, Field, Kind, Member, Table};
use super::{Entry, Fact, Facts, Value};
use std::ops::Range;

use crate::source::{Code, Diagnostic, SourceFile, sort_diagnostics};

/// Parses and validates an arrangement: the facts and any warnings, or every
/// error found (warnings included, so a person sees all at once).
pub fn load(source: &SourceFile) -> Result<(Facts, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (facts, mut diagnostics) = read_document(source);
    if let Some(facts) = &facts {
        diagnostics.extend(super::validate::cross_field(source, facts));
    }
    sort_diagnostics(&mut diagnostics);
    match facts {
        Some(facts) if !diagnostics.iter().any(Diagnostic::is_error) => Ok((facts, diagnostics)),
        _ => Err(diagnostics),
    }
}

/// A spanned TOML parse and a walk against the schema: the facts, when the
/// file has its required parts, and every problem met.
fn read_document(source: &SourceFile) -> (Option<Facts>, Vec<Diagnostic>) {
    let mut loader = Loader {
        source,
        diagnostics: Vec::new(),
        tables: vec![Vec::new(); schema::TABLES.len()],
    };
    match source.parse_toml(
        "see docs/arrangement.md for the file format, or run `usd1eval init` for a template",
    ) {
        Ok(document) => loader.walk_document(document.get_ref()),
        // A syntax error leaves the document partial; reporting missing
        // tables on top of it would only add noise.
        Err(errors) => loader.diagnostics = errors,
    }
    (facts_from(loader.tables), loader.diagnostics)
}

struct Loader<'s> {
    source: &'s SourceFile,
    diagnostics: Vec<Diagnostic>,
    /// Instances of each table, by its position in [`schema::TABLES`].
    tables: Vec<Vec<Entry>>,
}

impl Loader<'_> {
    fn error(&mut self, code: Code, span: Range<usize>, message: String, help: Option<String>) {
        let mut d = self.source.error(code, span, message);
        d.help = help;
        self.diagnostics.push(d);
    }

    /// Keeps an instance of a table: one more entry of an array of tables,
    /// or the one instance of a plain table.
    fn keep(&mut self, table: &'static Table, entry: Entry) {
        if let Some(instances) = self.tables.get_mut(table.position()) {
            if !table.repeated {
                instances.clear();
            }
            instances.push(entry);
        }
    }

    fn walk_document(&mut self, document: &DeTable<'_>) {
        let Some(root) = schema::table("") else {
            return;
        };
        let entry = self.walk_table(root, document, 0..0);
        match entry.get(fact!(".format")).map(|f| &f.value) {
            Some(Value::Number(n)) if *n == schema::FORMAT as f64 => {}
            Some(Value::Number(n)) => {
                let span = self.span_of_value(document, "format");
                self.error(
                    Code::UnsupportedFormat,
                    span,
                    format!(
                        "unsupported format {}; this build reads format {}",
                        super::format_number(*n),
                        schema::FORMAT
                    ),
                    Some(format!(
                        "set `format = {}` and check the file against docs/arrangement.md",
                        schema::FORMAT
                    )),
                );
            }
            _ => {}
        }
        if !document.keys().any(|k| k.get_ref() == "arrangement") {
            self.error(
                Code::MissingKey,
                0..0,
                "missing table [arrangement]".into(),
                Some("add [arrangement] with at least `name` and `as_of`".into()),
            );
        }
    }

    fn span_of_value(&self, table: &DeTable<'_>, key: &str) -> Range<usize> {
        table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map_or(0..0, |(_, v)| v.span())
    }

    /// Walks one table instance: its fields, its `source`, and its child tables.
    fn walk_table(
        &mut self,
        table: &'static Table,
        de: &DeTable<'_>,
        header: Range<usize>,
    ) -> Entry {
        let mut entry = Entry::new(table, self.source.line(header.start));
        // Fields written in the file, read or refused: a refused one is not
        // also reported as missing.
        let mut written = vec![false; table.fields.len()];
        for (key, value) in de.iter() {
            let name = key.get_ref().as_ref();
            let member = schema::member(table, name);
            if let Some(Member::Field(field)) = member {
                if let Some(slot) = written.get_mut(table.field_position(field)) {
                    *slot = true;
                }
                if let Some(value) = self.convert(table, field, value) {
                    let line = self.source.line(key.span().start);
                    entry.set(field, Fact { value, line });
                }
            } else if let Some(Member::Table(child)) = member {
                self.walk_child(child, value);
            } else if name == schema::SOURCE_KEY && !table.path.is_empty() {
                match value.get_ref() {
                    DeValue::String(s) => entry.source = Some(Arc::from(s.as_ref())),
                    other => self.error(
                        Code::WrongType,
                        value.span(),
                        format!(
                            "`source` in {} must be a string, found {}",
                            display_table(table),
                            other.type_str()
                        ),
                        Some("write a URL or document reference in quotes".into()),
                    ),
                }
            } else if name == schema::EVIDENCE_KEY && !table.path.is_empty() {
                let choice = match value.get_ref() {
                    DeValue::String(s) => schema::EVIDENCE_CHOICES.iter().find(|c| c.name == s),
                    _ => None,
                };
                match choice {
                    Some(choice) => entry.evidence = Some(choice.name),
                    None => self.error(
                        Code::UnknownValue,
                        value.span(),
                        format!(
                            "`evidence` in {} must be one of the kinds of evidence",
                            display_table(table)
                        ),
                        Some(format!(
                            "allowed values: {} (docs/fields.md)",
                            schema::quote_list(&schema::names_of(schema::EVIDENCE_CHOICES))
                        )),
                    ),
                }
            } else {
                self.unknown_key(table, name, key.span());
            }
        }
        for (field, written) in table.fields.iter().zip(written) {
            if field.required && !written {
                self.error(
                    Code::MissingKey,
                    header.clone(),
                    format!(
                        "missing required key `{}` in {}",
                        field.name,
                        display_table(table)
                    ),
                    Some(format!(
                        "add `{} = {}` ({})",
                        field.name, field.example, field.doc
                    )),
                );
            }
        }
        entry
    }

    fn walk_child(&mut self, child: &'static Table, value: &Spanned<DeValue<'_>>) {
        match (child.repeated, value.get_ref()) {
            (true, DeValue::Array(items)) => {
                for item in items.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        let entry = self.walk_table(child, t, item.span());
                        self.keep(child, entry);
                    } else {
                        self.error(
                            Code::WrongType,
                            item.span(),
                            format!(
                                "each entry of {} must be a table, found {}",
                                display_table(child),
                                item.get_ref().type_str()
                            ),
                            Some(format!("write entries as [[{}]] tables", child.path)),
                        );
                    }
                }
            }
            (false, DeValue::Table(t)) => {
                let entry = self.walk_table(child, t, value.span());
                self.keep(child, entry);
            }
            (repeated, other) => {
                let (expected, help) = if repeated {
                    (
                        "an array of tables",
                        format!("write each entry as [[{}]]", child.path),
                    )
                } else {
                    ("a table", format!("write it as [{}]", child.path))
                };
                self.error(
                    Code::WrongType,
                    value.span(),
                    format!(
                        "`{}` must be {expected}, found {}",
                        child.path,
                        other.type_str()
                    ),
                    Some(help),
                );
            }
        }
    }

    fn unknown_key(&mut self, table: &'static Table, name: &str, span: Range<usize>) {
        let help = schema::unknown_key_help(table, name);
        self.error(
            Code::UnknownKey,
            span,
            format!("unknown key `{name}` in {}", display_table(table)),
            Some(help),
        );
    }

    /// Converts one TOML value to a fact, reporting a type, enum or range error.
    fn convert(
        &mut self,
        table: &Table,
        field: &Field,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<Value> {
        let span = value.span();
        let raw = value.get_ref();
        let wrong_type = |found: &str| {
            format!(
                "`{}` in {} must be {}, found {found}",
                field.name,
                display_table(table),
                field.kind.describe()
            )
        };
        match (field.kind, raw) {
            (Kind::Bool, DeValue::Boolean(b)) => Some(Value::Bool(*b)),
            (Kind::Number(unit) | Kind::Integer(unit), DeValue::Integer(i)) => {
                let Ok(n) = i64::from_str_radix(i.as_str(), i.radix()) else {
                    self.error(
                        Code::OutOfRange,
                        span,
                        format!("`{}` in {} is too large", field.name, display_table(table)),
                        None,
                    );
                    return None;
                };
                self.in_range(table, field, unit, n as f64, span)
            }
            (Kind::Number(unit), DeValue::Float(f)) => {
                let n = f
                    .as_str()
                    .replace('_', "")
                    .parse::<f64>()
                    .unwrap_or(f64::NAN);
                if !n.is_finite() {
                    self.error(
                        Code::OutOfRange,
                        span,
                        format!(
                            "`{}` in {} must be a finite number; NaN and infinity are not allowed",
                            field.name,
                            display_table(table)
                        ),
                        Some(
                            "write the measured value, or leave the key out if it is not disclosed"
                                .into(),
                        ),
                    );
                    return None;
                }
                self.in_range(table, field, unit, n, span)
            }
            (Kind::Integer(_), DeValue::Float(_)) => {
                self.error(
                    Code::WrongType,
                    span,
                    wrong_type("a decimal number"),
                    Some("write a whole number without a decimal point".into()),
                );
                None
            }
            (Kind::Date, DeValue::Datetime(dt)) => match (dt.date, dt.time, dt.offset) {
                (Some(_), None, None) => {
                    let date = crate::table::plain_date(dt);
                    if date.is_none() {
                        self.error(
                            Code::InvalidDate,
                            span,
                            format!(
                                "`{}` in {} is not a real date",
                                field.name,
                                display_table(table)
                            ),
                            None,
                        );
                    }
                    date.map(Value::Date)
                }
                _ => {
                    self.error(
                        Code::InvalidDate,
                        span,
                        format!(
                            "`{}` in {} must be a date without a time",
                            field.name,
                            display_table(table)
                        ),
                        Some(format!("write `{} = {}`", field.name, field.example)),
                    );
                    None
                }
            },
            (Kind::Date, DeValue::String(s)) if schema::month_date(s).is_some() => {
                schema::month_date(s).map(Value::Date)
            }
            (Kind::Date, DeValue::String(s)) => {
                let shaped = |pattern: &str| {
                    s.len() == pattern.len()
                        && s.bytes().zip(pattern.bytes()).all(|(c, p)| match p {
                            b'9' => c.is_ascii_digit(),
                            other => c == other,
                        })
                };
                let day = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok();
                let month = shaped("9999-99");
                if (month || shaped("9999-99-99")) && !day {
                    // The shape of a month or a date, but not a real one: a
                    // wrong value, not a wrong type.
                    self.error(
                        Code::InvalidDate,
                        span,
                        format!(
                            "`{}` in {} is \"{}\", which is not a real {}",
                            field.name,
                            display_table(table),
                            crate::text::one_line(s),
                            if month { "month" } else { "date" }
                        ),
                        Some(format!(
                            "{}; write a date such as `{} = {}`, or a month quoted as `\"YYYY-MM\"` such as `{} = \"{}\"`",
                            if month {
                                "months run from 01 to 12"
                            } else {
                                "check the day and the month"
                            },
                            field.name,
                            field.example,
                            field.name,
                            field.example.get(..7).unwrap_or(field.example)
                        )),
                    );
                    return None;
                }
                let fix = if day {
                    format!("write the date without quotes: `{} = {s}`", field.name)
                } else {
                    format!("write a date such as `{} = {}`", field.name, field.example)
                };
                self.error(
                    Code::WrongType,
                    span,
                    wrong_type("a string"),
                    Some(format!(
                        "{fix}; where only the month is known, write it quoted as `\"YYYY-MM\"`"
                    )),
                );
                None
            }
            (Kind::Text, DeValue::String(s)) => Some(Value::Text(Arc::from(s.as_ref()))),
            (Kind::Enum(allowed), DeValue::String(s)) => {
                if schema::allows(allowed, s) {
                    Some(Value::Text(Arc::from(s.as_ref())))
                } else {
                    self.bad_enum(table, field, s, allowed, span);
                    None
                }
            }
            (Kind::EnumList(allowed), DeValue::Array(items)) => {
                let mut list = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) if schema::allows(allowed, s) => {
                            list.push(s.to_string())
                        }
                        DeValue::String(s) => self.bad_enum(table, field, s, allowed, item.span()),
                        other => self.error(
                            Code::WrongType,
                            item.span(),
                            wrong_type(&format!("an array holding {}", other.type_str())),
                            None,
                        ),
                    }
                }
                Some(Value::List(list))
            }
            (Kind::CountryList, DeValue::Array(items)) => {
                let mut list = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) if is_country_code(s) => list.push(s.to_string()),
                        DeValue::String(s) => self.error(
                            Code::UnknownValue,
                            item.span(),
                            format!("`{s}` in `{}` is not an ISO 3166 code", field.name),
                            Some("write a two-letter country code in capitals, optionally with a subdivision: \"US\", \"US-NY\"".into()),
                        ),
                        other => self.error(Code::WrongType, item.span(), wrong_type(&format!("an array holding {}", other.type_str())), None),
                    }
                }
                Some(Value::List(list))
            }
            (_, other) => {
                let help = match field.kind {
                    Kind::Bool => "write true or false, without quotes".to_string(),
                    _ => format!("for example `{} = {}`", field.name, field.example),
                };
                self.error(
                    Code::WrongType,
                    span,
                    wrong_type(other.type_str()),
                    Some(help),
                );
                None
            }
        }
    }

    fn in_range(
        &mut self,
        table: &Table,
        field: &Field,
        unit: schema::Unit,
        n: f64,
        span: Range<usize>,
    ) -> Option<Value> {
        if !within(unit, n) {
            let (low, high) = unit.range();
            let range = if high == f64::MAX {
                format!("at least {low}")
            } else {
                format!(
                    "between {} and {}",
                    super::format_number(low),
                    super::format_number(high)
                )
            };
            self.error(
                Code::OutOfRange,
                span,
                format!(
                    "`{}` in {} is {}; it must be {range}",
                    field.name,
                    display_table(table),
                    super::format_written(n)
                ),
                (unit == schema::Unit::Pct)
                    .then(|| "percentages are written 0–100, not as fractions".to_string()),
            );
            return None;
        }
        Some(Value::Number(n))
    }

    fn bad_enum(
        &mut self,
        table: &Table,
        field: &Field,
        found: &str,
        allowed: &[schema::Choice],
        span: Range<usize>,
    ) {
        let names = schema::names_of(allowed);
        let mut help = format!("allowed values: {}", schema::quote_list(&names));
        if let Some(suggestion) = crate::text::did_you_mean(found, names.iter().copied()) {
            help = format!("did you mean \"{suggestion}\"? {help}");
        }
        self.error(
            Code::UnknownValue,
            span,
            format!(
                "`{}` in {} has unknown value \"{found}\"",
                field.name,
                display_table(table)
            ),
            Some(help),
        );
    }
}

/// The facts, when the file had its required parts: an `[arrangement]`
/// with its `name` and `as_of`.
fn facts_from(tables: Vec<Vec<Entry>>) -> Option<Facts> {
    let arrangement = tables
        .get(schema::table("arrangement")?.position())?
        .first()?;
    let name = arrangement.text(fact!("arrangement.name"))?.to_string();
    let as_of = arrangement.date(fact!("arrangement.as_of"))?;
    Some(Facts {
        name,
        as_of,
        tables,
    })
}

/// True when `n` lies in the range `unit` allows.
fn within(unit: schema::Unit, n: f64) -> bool {
    let (low, high) = unit.range();
    (low..=high).contains(&n)
}

/// `[reserves]` or `[[reserves.asset]]`, as a person finds it in the file.
fn display_table(table: &Table) -> String {
    match (table.path, table.repeated) {
        ("", _) => "the top level".into(),
        (path, true) => format!("[[{path}]]"),
        (path, false) => format!("[{path}]"),
    }
}

/// `US`, `US-NY`: two capital letters, optionally a subdivision of 1–3 capitals or digits.
fn is_country_code(code: &str) -> bool {
    let (country, subdivision) = match code.split_once('-') {
        Some((c, s)) => (c, Some(s)),
        None => (code, None),
    };
    country.len() == 2
        && country.chars().all(|c| c.is_ascii_uppercase())
        && subdivision.is_none_or(|s| {
            (1..=3).contains(&s.len())
                && s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table;

    fn load_str(text: &str) -> Result<(Facts, Vec<Diagnostic>), Vec<Diagnostic>> {
        load(&SourceFile::new("t.toml", text))
    }

    const MINIMAL: &str = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n";

    #[test]
    fn minimal_file_loads() {
        let (facts, warnings) = load_str(MINIMAL).unwrap();
        assert_eq!(facts.name, "X");
        assert!(warnings.is_empty());
    }

    #[test]
    fn unknown_key_gets_a_hint_and_a_location() {
        let errors = load_str(&format!(
            "{MINIMAL}[reserves]\ntotal_usd = 1\nsegregatd = true\n"
        ))
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 7);
        assert_eq!(errors[0].column, 1);
        assert!(errors[0].help.as_deref().unwrap().contains("`segregated`"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = format!(
            "{MINIMAL}[redemption]\neligible = \"everyone\"\nfee_bps = \"ten\"\n[[reserves.asset]]\nclass = \"cash\"\nshare_pct = 90\n"
        );
        let errors = load_str(&text).unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(errors.len(), 3, "{messages:#?}");
        assert!(messages[0].contains("unknown value \"everyone\""));
        assert!(errors[0].help.as_deref().unwrap().contains("\"anyone\""));
        assert!(messages[1].contains("must be a number, found string"));
        assert!(messages[2].contains("sum to 90"));
    }

    #[test]
    fn a_month_stands_for_its_first_day_where_only_the_month_is_known() {
        let (facts, warnings) = load_str(&format!(
            "{MINIMAL}[[attestation]]\nkind = \"audit\"\nperiod_end = \"2025-10\"\npublished = 2025-11-20\n"
        ))
        .unwrap();
        assert!(warnings.is_empty());
        let audit = &facts.entries(table!("attestation"))[0];
        assert_eq!(
            audit.date(fact!("attestation[].period_end")),
            chrono::NaiveDate::from_ymd_opt(2025, 10, 1)
        );
        // Anything else quoted is still refused, with the fix.
        for bad in ["\"2025-10-31\"", "\"2025-13\"", "\"Oct 2025\""] {
            let errors = load_str(&format!(
                "{MINIMAL}[[attestation]]\nkind = \"audit\"\nperiod_end = {bad}\n"
            ))
            .unwrap_err();
            assert!(
                errors[0].help.as_deref().unwrap().contains("YYYY-MM"),
                "{bad}"
            );
        }
    }

    #[test]
    fn any_table_or_entry_may_say_what_backs_its_facts() {
        let (facts, _) = load_str(&format!(
            "{MINIMAL}[reserves]\ntotal_usd = 5\nevidence = \"independent-assurance\"\n\
             [[chain]]\nname = \"a\"\nevidence = \"third-party\"\n[[chain]]\nname = \"b\"\n"
        ))
        .unwrap();
        assert_eq!(
            facts.table(table!("reserves")).unwrap().evidence,
            Some("independent-assurance")
        );
        let chains = facts.entries(table!("chain"));
        assert_eq!(chains[0].evidence, Some("third-party"));
        assert_eq!(chains[1].evidence, None);
        let errors =
            load_str(&format!("{MINIMAL}[reserves]\nevidence = \"hearsay\"\n")).unwrap_err();
        assert!(
            errors[0]
                .help
                .as_deref()
                .unwrap()
                .contains("\"unverified\"")
        );
    }

    #[test]
    fn wrong_format_is_named() {
        let errors = load_str(&MINIMAL.replace("format = 1", "format = 2")).unwrap_err();
        assert!(errors[0].message.contains("unsupported format 2"));
    }

    #[test]
    fn missing_required_keys_are_reported() {
        let errors = load_str("format = 1\n[arrangement]\nname = \"X\"\n").unwrap_err();
        assert!(errors[0].message.contains("missing required key `as_of`"));
        let errors = load_str("format = 1\n").unwrap_err();
        assert!(errors[0].message.contains("missing table [arrangement]"));
    }

    #[test]
    fn nan_infinity_and_ranges_are_refused() {
        let text = format!(
            "{MINIMAL}[supply]\noutstanding_usd = nan\n[operations]\nuptime_pct_90d = 101\n[redemption]\nfee_bps = -1\n"
        );
        let errors = load_str(&text).unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(errors.iter().any(|e| e.message.contains("NaN")));
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("between 0 and 100"))
        );
        assert!(errors.iter().any(|e| e.message.contains("at least 0")));
    }

    #[test]
    fn quoted_date_gets_a_fix() {
        let errors = load_str("format = 1\n[arrangement]\nname = \"X\"\nas_of = \"2026-09-30\"\n")
            .unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0]
                .help
                .as_deref()
                .unwrap()
                .contains("without quotes")
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let errors = load_str("format = 1\n[arrangement\n").unwrap_err();
        assert!(errors[0].message.starts_with("TOML syntax"));
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn country_codes_are_checked() {
        assert!(is_country_code("US"));
        assert!(is_country_code("US-NY"));
        assert!(!is_country_code("usa"));
        assert!(!is_country_code("US-"));
    }
}
