//! Predicates: yes/no questions about the facts, used where a rubric needs a
//! condition rather than points — caps, stage rules and profile requirements.
//!
//! A predicate names a fact path and a test. Its answer is true, false or
//! unknown (the fact is not disclosed); each user decides what unknown means.

use super::ConditionOperator;
use crate::facts::schema::{self, Kind, Target};
use crate::source::Code;

pub use super::file::PredicateFile;

/// What a number is compared with.
#[derive(Debug, Clone)]
pub enum Operand {
    /// A fixed number.
    Value(f64),
    /// Another fact's value: its path as written and resolved.
    Fact(String, Target),
}

/// What a predicate asks of its fact.
#[derive(Debug, Clone)]
pub enum Test {
    /// The number is above the operand.
    Above(Operand),
    /// The number is below the operand.
    Below(Operand),
    /// The number is at least the operand.
    AtLeast(Operand),
    /// The number is at most the operand.
    AtMost(Operand),
    /// The value is among these (for a list: some item is).
    OneOf(Vec<String>),
    /// The value is not among these (for a list: none of its items is).
    NoneOf(Vec<String>),
    /// The fact is true.
    IsTrue,
    /// The fact is false.
    IsFalse,
    /// The fact is declared (any value).
    Present,
    /// The list has at least this many items, or the count is at least this.
    CountAtLeast(f64),
    /// On `table[].field`: at least one relevant entry's value is among these
    /// (every other test on entries must hold for all of them).
    SomeOneOf(Vec<String>),
}

/// A compiled predicate.
#[derive(Debug, Clone)]
pub struct Predicate {
    /// The fact path as written.
    pub fact: String,
    /// The fact path resolved against the schema.
    pub target: Target,
    /// What the predicate asks of the fact.
    pub test: Test,
    /// The answer when the fact is not disclosed; `None` leaves it unknown.
    pub if_absent: Option<bool>,
    /// For `table[].field`: only entries whose field is among these values count.
    pub filter: Option<(String, Vec<String>)>,
}

impl Predicate {
    /// True when the predicate reads `path`: its fact, or the fact it is
    /// compared with.
    pub fn reads(&self, path: &str) -> bool {
        let than = match &self.test {
            Test::Above(Operand::Fact(f, _))
            | Test::Below(Operand::Fact(f, _))
            | Test::AtLeast(Operand::Fact(f, _))
            | Test::AtMost(Operand::Fact(f, _)) => Some(f.as_str()),
            _ => None,
        };
        self.fact == path || than == Some(path)
    }

    /// The entries a filtered predicate concerns, in words: `regime
    /// MiCA-EMI or MiCA-credit-institution`; none without a filter.
    pub fn entries_with(&self) -> Option<String> {
        self.filter
            .as_ref()
            .map(|(key, values)| format!("{key} {}", values.join(" or ")))
    }

    /// The predicate in words, for reports and `explain`.
    pub fn describe(&self) -> String {
        let operand = |o: &Operand| match o {
            Operand::Value(v) => crate::facts::format_number(*v),
            Operand::Fact(f, _) => f.clone(),
        };
        let test = match &self.test {
            Test::Above(o) => format!("> {}", operand(o)),
            Test::Below(o) => format!("< {}", operand(o)),
            Test::AtLeast(o) => format!("≥ {}", operand(o)),
            Test::AtMost(o) => format!("≤ {}", operand(o)),
            Test::OneOf(v) => format!("is {}", v.join(" or ")),
            Test::NoneOf(v) => format!("is none of {}", v.join(", ")),
            Test::IsTrue => "is true".into(),
            Test::IsFalse => "is false".into(),
            Test::Present => "is declared".into(),
            Test::CountAtLeast(n) => format!("count ≥ {}", crate::facts::format_number(*n)),
            Test::SomeOneOf(v) => format!("is {} in at least one entry", v.join(" or ")),
        };
        let scope = match self.entries_with() {
            Some(with) => format!(" (entries with {with})"),
            None => String::new(),
        };
        let absent = match self.if_absent {
            Some(true) => " (or not disclosed)",
            _ => "",
        };
        format!("{} {test}{scope}{absent}", self.fact)
    }
}

/// Compiles a predicate, reporting each problem through `error(code, message, help)`.
/// Reports each of `values` that the fact `fact` can never take (no check
/// when `allowed` is empty: free text).
fn values_allowed(
    fact: &str,
    allowed: &[&str],
    values: &[String],
    error: &mut dyn FnMut(Code, String, Option<String>),
) {
    for v in values
        .iter()
        .filter(|v| !allowed.is_empty() && !allowed.contains(&v.as_str()))
    {
        error(
            Code::UnknownValue,
            format!("`{fact}` never takes the value \"{v}\""),
            Some(format!("allowed values: {}", schema::quote_list(allowed))),
        );
    }
}

/// Compiles a predicate as a rubric or profile writes it, reporting every problem to `error`; `None` when it cannot be compiled.
pub(crate) fn compile(
    file: &PredicateFile,
    error: &mut dyn FnMut(Code, String, Option<String>),
) -> Option<Predicate> {
    let Some(target) = crate::figures::resolve(&file.fact) else {
        error(
            Code::UnknownReference,
            format!("condition reads unknown fact `{}`", file.fact),
            Some("fact paths are listed in docs/fields.md and docs/derived.md".into()),
        );
        return None;
    };
    let kind = target.kind();
    let each = matches!(target, Target::EachField(..));
    let numeric_operand = |error: &mut dyn FnMut(Code, String, Option<String>)| -> Option<Operand> {
        if !kind.is_numeric() {
            error(
                Code::Operator,
                format!(
                    "`{}` compares numbers, but `{}` is {}",
                    file.op,
                    file.fact,
                    kind.describe()
                ),
                None,
            );
            return None;
        }
        match (&file.value, &file.than) {
            (Some(v), None) if v.is_finite() => Some(Operand::Value(*v)),
            (None, Some(other)) => match crate::figures::resolve(other) {
                Some(t) if t.kind().is_numeric() && !matches!(t, Target::EachField(..)) => {
                    Some(Operand::Fact(other.clone(), t))
                }
                _ => {
                    error(
                        Code::Operator,
                        format!(
                            "`than = \"{other}\"` must name a number fact of a plain table or a derived number"
                        ),
                        None,
                    );
                    None
                }
            },
            _ => {
                error(
                    Code::WrongType,
                    format!(
                        "`{}` on `{}` needs exactly one of `value` or `than`",
                        file.op, file.fact
                    ),
                    None,
                );
                None
            }
        }
    };
    let Some(operator) = ConditionOperator::parse(&file.op) else {
        error(
            Code::Operator,
            format!("unknown condition operator `{}`", file.op),
            Some(ConditionOperator::hint(&file.op)),
        );
        return None;
    };
    let values = file.values.clone().unwrap_or_default();
    let test = match operator {
        ConditionOperator::Above => Test::Above(numeric_operand(error)?),
        ConditionOperator::Below => Test::Below(numeric_operand(error)?),
        ConditionOperator::AtLeast => Test::AtLeast(numeric_operand(error)?),
        ConditionOperator::AtMost => Test::AtMost(numeric_operand(error)?),
        ConditionOperator::OneOf | ConditionOperator::NoneOf => {
            let allowed = match kind {
                Kind::Enum(a) | Kind::EnumList(a) => schema::names_of(a),
                // On a list of codes: at least one of the listed codes is among `values`.
                Kind::Text | Kind::CountryList => Vec::new(),
                _ => {
                    error(
                        Code::Operator,
                        format!(
                            "`{}` needs an enum, text or country-list fact; `{}` is {}",
                            file.op,
                            file.fact,
                            kind.describe()
                        ),
                        None,
                    );
                    return None;
                }
            };
            if values.is_empty() {
                error(
                    Code::MissingKey,
                    format!("`{}` on `{}` needs `values`", file.op, file.fact),
                    None,
                );
            }
            values_allowed(&file.fact, &allowed, &values, error);
            if operator == ConditionOperator::OneOf {
                Test::OneOf(values)
            } else {
                Test::NoneOf(values)
            }
        }
        ConditionOperator::IsTrue | ConditionOperator::IsFalse => {
            if kind != Kind::Bool {
                error(
                    Code::Operator,
                    format!(
                        "`{}` needs a boolean fact; `{}` is {}",
                        file.op,
                        file.fact,
                        kind.describe()
                    ),
                    None,
                );
            }
            if operator == ConditionOperator::IsTrue {
                Test::IsTrue
            } else {
                Test::IsFalse
            }
        }
        ConditionOperator::Present => Test::Present,
        ConditionOperator::SomeOneOf => {
            if !each {
                error(
                    Code::Operator,
                    format!(
                        "`some-one-of` needs a field of each entry (`table[].field`), not `{}`",
                        file.fact
                    ),
                    None,
                );
            }
            if values.is_empty() {
                error(
                    Code::MissingKey,
                    format!("`some-one-of` on `{}` needs `values`", file.fact),
                    None,
                );
            }
            if let Kind::Enum(allowed) | Kind::EnumList(allowed) = kind {
                values_allowed(&file.fact, &schema::names_of(allowed), &values, error);
            }
            Test::SomeOneOf(values)
        }
        ConditionOperator::CountAtLeast => {
            if !(matches!(target, Target::Entries(_)) || kind.is_list()) || each {
                error(
                    Code::Operator,
                    format!(
                        "`count-at-least` needs entries (`table[]`) or an array field, not `{}`",
                        file.fact
                    ),
                    None,
                );
            }
            match file.value {
                Some(v) if v.is_finite() => Test::CountAtLeast(v),
                _ => {
                    error(
                        Code::MissingKey,
                        format!("`count-at-least` on `{}` needs `value`", file.fact),
                        None,
                    );
                    return None;
                }
            }
        }
    };
    let filter = match (&file.filter, target) {
        (None, _) => None,
        (Some(map), Target::EachField(table, _)) if map.len() == 1 => {
            let (field, values) = map.iter().next().map(|(k, v)| (k.clone(), v.clone()))?;
            match table.field(&field).map(|f| f.kind) {
                None => error(
                    Code::UnknownReference,
                    format!(
                        "`where` names unknown field `{field}` of [[{}]]",
                        table.path
                    ),
                    None,
                ),
                Some(Kind::Enum(allowed) | Kind::EnumList(allowed)) => {
                    let path = format!("{}[].{field}", table.path);
                    values_allowed(&path, &schema::names_of(allowed), &values, error);
                }
                Some(_) => {}
            }
            Some((field, values))
        }
        _ => {
            error(
                Code::WrongType,
                "`where` takes exactly one field and needs a `table[].field` fact".into(),
                None,
            );
            None
        }
    };
    Some(Predicate {
        fact: file.fact.clone(),
        target,
        test,
        if_absent: file.if_absent,
        filter,
    })
}
