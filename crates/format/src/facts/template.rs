//! The annotated template `usd1eval init` writes, generated from the schema.
//!
//! Only what every file must have is declared: `format`, and the tables and
//! keys the schema marks required. Every other table and field is a
//! commented line (`#key = example  # meaning; allowed values`), so that a
//! line left in by mistake declares nothing: an absent fact scores as "not
//! disclosed", a filled-in example would score as evidence.

use super::schema::{Field, Kind, TABLES, Table, Unit, names_of};

/// The file the `#:schema` directive names, beside the arrangement: the
/// arrangement JSON Schema as `usd1eval schema arrangement` writes it. A
/// relative path works offline and matches the installed version.
pub const SCHEMA_FILE: &str = "arrangement.schema.json";

/// The template's text.
pub fn template() -> String {
    let mut out = format!(
        "#:schema ./{SCHEMA_FILE}\n\
         # usd1eval arrangement file, format 1.\n\
         #\n\
         # Only the required keys are declared. Every other fact is a commented line:\n\
         # remove its leading `#` and write the real value. A fact left commented is\n\
         # scored as \"not disclosed\"; a value you cannot show is worse than none.\n\
         # Any table may carry `source = \"...\"` (a URL or document reference); findings cite it.\n\
         # Any table may say what backs its facts: `evidence = \"independent-assurance\"`, \"regulator\",\n\
         # \"third-party\", \"issuer\" (the default) or \"unverified\" (docs/fields.md).\n\
         # Editor completion: `usd1eval schema arrangement > arrangement.schema.json` beside\n\
         # this file (docs/editors.md). Check with `usd1eval check FILE`.\n"
    );
    for table in TABLES {
        let active = is_declared(table);
        let mark = if active { "" } else { "#" };
        out.push('\n');
        if !table.path.is_empty() {
            out.push_str(&format!("# {}\n", table.doc));
            if table.repeated {
                out.push_str(&format!("{mark}[[{}]]\n", table.path));
            } else {
                out.push_str(&format!("{mark}[{}]\n", table.path));
            }
        }
        for field in table.fields {
            let mark = if active && field.required { "" } else { "#" };
            out.push_str(&format!(
                "{mark}{} = {}  # {}\n",
                field.name,
                field.example,
                comment(field)
            ));
            for choice in field.kind.choices() {
                out.push_str(&format!("#     {}: {}\n", choice.name, choice.doc));
            }
        }
    }
    out
}

/// Whether the template declares a table: the top level, and plain tables
/// with a required key (`[arrangement]`). Entries of an array of tables are
/// never required, whatever keys an entry must have.
fn is_declared(table: &Table) -> bool {
    table.path.is_empty() || (!table.repeated && table.fields.iter().any(|f| f.required))
}

/// A field's comment: what it means, then what it may hold.
fn comment(field: &Field) -> String {
    let mut text = format!("{}; {}", field.doc, allowed(field.kind));
    if field.required {
        text.push_str(" (required)");
    }
    text
}

/// The values a field may hold, as a person would write them.
fn allowed(kind: Kind) -> String {
    match kind {
        Kind::Bool => "true or false".into(),
        Kind::Number(unit) => format!("a number{}", unit_text(unit)),
        Kind::Integer(unit) => format!("a whole number{}", unit_text(unit)),
        Kind::Date => "a date, YYYY-MM-DD, unquoted (a month known alone: \"YYYY-MM\")".into(),
        Kind::Text => "text in quotes".into(),
        Kind::Enum(values) => format!("one of: {}", names_of(values).join(", ")),
        Kind::EnumList(values) => format!("a list of: {}", names_of(values).join(", ")),
        Kind::CountryList => "a list of ISO 3166 codes such as \"US\" or \"US-NY\"".into(),
    }
}

fn unit_text(unit: Unit) -> &'static str {
    match unit {
        Unit::Usd => " of US dollars, 0 to 10^15",
        Unit::Pct => ", percent from 0 to 100",
        Unit::Bps => " of basis points, ≥ 0",
        Unit::Days => " of days, ≥ 0",
        Unit::Hours => " of hours, ≥ 0",
        Unit::Count | Unit::Ratio => ", ≥ 0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{load, schema};
    use crate::source::SourceFile;

    /// The template with every commented table and field line taken in.
    fn uncommented() -> String {
        template()
            .lines()
            .map(|line| match line.strip_prefix('#') {
                Some(rest) if rest.starts_with(|c: char| c == '[' || c.is_ascii_lowercase()) => {
                    rest
                }
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_template_defines_every_enum_value() {
        let text = template();
        for table in schema::TABLES {
            for choice in table.fields.iter().flat_map(|f| f.kind.choices()) {
                let line = format!("#     {}: {}\n", choice.name, choice.doc);
                assert!(text.contains(&line), "{line}");
            }
        }
    }

    #[test]
    fn the_template_declares_only_the_required_keys() {
        let (facts, warnings) = load(&SourceFile::new("init.toml", template())).unwrap();
        assert!(warnings.is_empty(), "{warnings:#?}");
        for table in schema::TABLES.iter().filter(|t| !t.path.is_empty()) {
            let entry = facts.entries(table).first();
            for field in table.fields {
                let declared = entry.is_some_and(|e| e.field(field).is_some());
                let expected = is_declared(table) && field.required;
                assert_eq!(declared, expected, "{}.{}", table.path, field.name);
            }
        }
        assert!(template().starts_with("#:schema ./arrangement.schema.json\n"));
    }

    #[test]
    fn every_commented_line_loads_cleanly_once_taken_in() {
        let (facts, warnings) = load(&SourceFile::new("init.toml", uncommented())).unwrap();
        assert!(warnings.is_empty(), "{warnings:#?}");
        for table in schema::TABLES.iter().filter(|t| !t.path.is_empty()) {
            let entry = facts.entries(table).first();
            let entry = entry.unwrap_or_else(|| panic!("table {} missing", table.path));
            for field in table.fields {
                assert!(
                    entry.field(field).is_some(),
                    "{}.{} missing",
                    table.path,
                    field.name
                );
            }
        }
    }
}
