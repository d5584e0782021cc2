//! The annotated template `usd1eval init` writes: every table and field of
//! format 1, each with a comment, filled with example values that load cleanly.

use super::schema::{Kind, TABLES};

/// The template's text.
pub fn template() -> String {
    let mut out = String::from(
        "# usd1eval arrangement file, format 1.\n\
         # Every fact is optional except `format`, [arrangement] `name` and `as_of`.\n\
         # Delete a line rather than guess: an absent fact is scored as \"not disclosed\".\n\
         # Any table may carry `source = \"...\"` (a URL or document reference); findings cite it.\n\
         # Reference: docs/arrangement.md. Check with `usd1eval check FILE`.\n",
    );
    for table in TABLES {
        out.push('\n');
        if !table.path.is_empty() {
            out.push_str(&format!("# {}\n", table.doc));
            if table.repeated {
                out.push_str(&format!("[[{}]]\n", table.path));
            } else {
                out.push_str(&format!("[{}]\n", table.path));
            }
        }
        for field in table.fields {
            let mut comment = field.doc.to_string();
            match field.kind {
                Kind::Enum(values) | Kind::EnumList(values) => {
                    comment.push_str(&format!("; one of: {}", values.join(", ")));
                }
                _ => {}
            }
            if field.required {
                comment.push_str(" (required)");
            }
            out.push_str(&format!(
                "{} = {}  # {comment}\n",
                field.name, field.example
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{load, schema};
    use crate::source::SourceFile;

    #[test]
    fn template_loads_cleanly_and_declares_every_field() {
        let (facts, warnings) = load(&SourceFile::new("init.toml", template())).unwrap();
        assert!(warnings.is_empty(), "{warnings:#?}");
        for table in schema::TABLES.iter().filter(|t| !t.path.is_empty()) {
            let entry = if table.repeated {
                facts.entries(table.path).first()
            } else {
                facts.table(table.path)
            };
            let entry = entry.unwrap_or_else(|| panic!("table {} missing", table.path));
            for field in table.fields {
                assert!(
                    entry.get(field.name).is_some(),
                    "{}.{} missing",
                    table.path,
                    field.name
                );
            }
        }
    }
}
