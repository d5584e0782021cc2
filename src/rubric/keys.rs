//! Reading a rubric, profile or waiver file: every unknown key at once.
//!
//! serde stops at the first unknown field; this pass walks the spanned TOML
//! first, against the keys each table accepts, so a file with three typos
//! gets three located errors, each with a "did you mean". The typed file is
//! then deserialized from that same parse (the built-in rubric alone is
//! 50 KB, and parsing it twice was most of the time to score one file).

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::facts::schema::did_you_mean;
use crate::source::{Code, Diagnostic, SourceFile};

/// The keys a table accepts, and the shape of the tables nested in it.
#[derive(Debug)]
pub struct Keys {
    pub name: &'static str,
    pub allowed: &'static [&'static str],
    /// Keys holding a table, or an array of tables, with their own keys.
    pub nested: &'static [(&'static str, &'static Keys)],
}

const PREDICATE: Keys = Keys {
    name: "condition",
    allowed: &[
        "fact",
        "op",
        "value",
        "than",
        "values",
        "if_absent",
        "where",
    ],
    nested: &[],
};

const CHECK: Keys = Keys {
    name: "[[milestone.check]]",
    allowed: &[
        "id",
        "title",
        "fact",
        "op",
        "points",
        "values",
        "partial",
        "partial_credit",
        "limit",
        "tiers",
        "where",
        "not_applicable_when",
    ],
    nested: &[("not_applicable_when", &PREDICATE)],
};

/// A rubric file.
pub const RUBRIC: Keys = Keys {
    name: "the rubric",
    allowed: &[
        "id",
        "version",
        "title",
        "description",
        "extends",
        "grade",
        "bucket",
        "layer",
        "milestone",
        "cap",
        "stage",
        "absent",
        "core",
        "overall",
        "penalty",
        "history",
    ],
    nested: &[
        (
            "history",
            &Keys {
                name: "[history]",
                allowed: &["growth", "alert"],
                nested: &[
                    (
                        "growth",
                        &Keys {
                            name: "[history.growth]",
                            allowed: &["id", "figure", "label", "min_growth_pct", "strength"],
                            nested: &[],
                        },
                    ),
                    (
                        "alert",
                        &Keys {
                            name: "[[history.alert]]",
                            allowed: &["id", "figure", "label", "worse", "by", "missing_is_worse"],
                            nested: &[],
                        },
                    ),
                ],
            },
        ),
        (
            "core",
            &Keys {
                name: "[[core]]",
                allowed: &["fact", "title"],
                nested: &[],
            },
        ),
        (
            "overall",
            &Keys {
                name: "[overall]",
                allowed: &["anchor", "pull", "max_up", "max_down"],
                nested: &[],
            },
        ),
        (
            "penalty",
            &Keys {
                name: "[[penalty]]",
                allowed: &["id", "title", "fact", "op", "value", "per_unit", "max"],
                nested: &[],
            },
        ),
        (
            "grade",
            &Keys {
                name: "[[grade]]",
                allowed: &["letter", "min_score"],
                nested: &[],
            },
        ),
        (
            "bucket",
            &Keys {
                name: "[[bucket]]",
                allowed: &["id", "title", "description", "weight"],
                nested: &[],
            },
        ),
        (
            "layer",
            &Keys {
                name: "[[layer]]",
                allowed: &["id", "title", "description"],
                nested: &[],
            },
        ),
        (
            "milestone",
            &Keys {
                name: "[[milestone]]",
                allowed: &[
                    "id",
                    "title",
                    "bucket",
                    "layers",
                    "weight",
                    "why",
                    "remediation",
                    "check",
                ],
                nested: &[("check", &CHECK)],
            },
        ),
        (
            "cap",
            &Keys {
                name: "[[cap]]",
                allowed: &["id", "title", "reason", "max_grade", "when", "when_any"],
                nested: &[("when", &PREDICATE), ("when_any", &PREDICATE)],
            },
        ),
        (
            "stage",
            &Keys {
                name: "[[stage]]",
                allowed: &[
                    "id",
                    "title",
                    "min_bucket_score",
                    "bucket_min",
                    "visible_when",
                ],
                nested: &[("visible_when", &PREDICATE)],
            },
        ),
    ],
};

/// A regulatory profile file.
pub const PROFILE: Keys = Keys {
    name: "the profile",
    allowed: &[
        "id",
        "title",
        "source",
        "extends",
        "applies_from",
        "applies_from_note",
        "requirement",
    ],
    nested: &[(
        "requirement",
        &Keys {
            name: "[[requirement]]",
            allowed: &[
                "id",
                "clause",
                "title",
                "note",
                "require",
                "applies_if",
                "missing_fact",
            ],
            nested: &[("require", &PREDICATE), ("applies_if", &PREDICATE)],
        },
    )],
};

/// A TOML date without a time (`2027-01-31`) as a calendar date; `None` for
/// a date-time or a time alone.
pub fn plain_date(value: &toml::value::Datetime) -> Option<NaiveDate> {
    match (value.date, value.time) {
        (Some(d), None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        _ => None,
    }
}

/// A waiver file.
pub const WAIVERS: Keys = Keys {
    name: "the waiver file",
    allowed: &["waiver"],
    nested: &[(
        "waiver",
        &Keys {
            name: "[[waiver]]",
            allowed: &["milestone", "check", "alert", "reason", "owner", "expires"],
            nested: &[],
        },
    )],
};

/// Parses a `kind` file ("rubric", "profile", "waivers") whose tables accept
/// `keys`: every syntax error, else every unknown key, else the typed file or
/// its first type error, located, with `help`.
pub fn parse_file<T: DeserializeOwned>(
    source: &SourceFile,
    keys: &Keys,
    kind: &str,
    help: &str,
) -> Result<T, Vec<Diagnostic>> {
    let (document, errors) = DeTable::parse_recoverable(source.text());
    let located = |code, e: &toml::de::Error| {
        source
            .error(
                code,
                e.span().unwrap_or(0..0),
                format!("{kind}: {}", e.message().trim().replace('\n', " ")),
            )
            .with_help(help)
    };
    if !errors.is_empty() {
        return Err(errors.iter().map(|e| located(Code::Syntax, e)).collect());
    }
    let unknown = unknown_keys(source, document.get_ref(), keys, kind);
    if !unknown.is_empty() {
        return Err(unknown);
    }
    T::deserialize(toml::de::Deserializer::from(document))
        .map_err(|e| vec![located(Code::WrongType, &e)])
}

/// Every unknown key in a parsed file, located.
fn unknown_keys(
    source: &SourceFile,
    document: &DeTable<'_>,
    keys: &Keys,
    kind: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    walk(source, document, keys, kind, &mut out);
    // Tables iterate their keys alphabetically; a person reads top to bottom.
    crate::source::sort_diagnostics(&mut out);
    out
}

fn walk(
    source: &SourceFile,
    table: &DeTable<'_>,
    keys: &Keys,
    kind: &str,
    out: &mut Vec<Diagnostic>,
) {
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        if !keys.allowed.contains(&name) {
            let help = did_you_mean(name, keys.allowed.iter().copied()).map_or_else(
                || format!("{} accepts: {}", keys.name, keys.allowed.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            out.push(
                source
                    .error(
                        Code::UnknownKey,
                        key.span(),
                        format!("{kind}: unknown key `{name}` in {}", keys.name),
                    )
                    .with_help(help),
            );
            continue;
        }
        let Some((_, nested)) = keys.nested.iter().find(|(k, _)| *k == name) else {
            continue;
        };
        match value.get_ref() {
            DeValue::Table(t) => walk(source, t, nested, kind, out),
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        walk(source, t, nested, kind, out);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unknown_key_is_reported_with_a_hint() {
        let text = "id = \"x\"\ntitel = \"X\"\n[[milestone]]\nid = \"M1\"\nbuckt = \"b\"\n[[milestone.check]]\nid = \"c\"\nfakt = \"redemption.at_par\"\n[[cap]]\nid = \"c\"\nwhen = [{ fact = \"x\", opp = \"is-true\" }]\n";
        let errors =
            parse_file::<toml::Table>(&SourceFile::new("r.toml", text), &RUBRIC, "rubric", "")
                .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 4, "{messages:#?}");
        assert!(messages[0].contains("r.toml:2:1") && messages[0].contains("`title`"));
        assert!(
            messages[1].contains("`buckt` in [[milestone]]") && messages[1].contains("`bucket`")
        );
        assert!(
            messages[2].contains("`fakt` in [[milestone.check]]") && messages[2].contains("`fact`")
        );
        assert!(messages[3].contains("`opp` in condition") && messages[3].contains("`op`"));
    }

    #[test]
    fn built_in_files_have_no_unknown_keys() {
        for name in crate::rubric::builtin::NAMES {
            let source = crate::rubric::builtin::source(name).unwrap();
            assert!(parse_file::<toml::Table>(&source, &RUBRIC, "rubric", "").is_ok());
        }
    }
}
