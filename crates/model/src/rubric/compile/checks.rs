//! `[[milestone.check]]`: a check's fact resolved through the figure layer,
//! its operator's fit to the fact's kind, its thresholds (`limit` or
//! `tiers`) and the values it expects; and what a compiled check carries for
//! evaluation (its messages, its expected value, its input tables).

use super::Compiler;
use crate::facts::schema::{self, Kind, Target};
use crate::rubric::draft::{Loc, Located, field};
use crate::rubric::file::CheckFile;
use crate::rubric::{Check, CheckOperator, Condition, Op, Tier, Tiers};
use crate::source::Code;

impl Compiler<'_> {
    /// A check's threshold ladder, from `limit` or from `tiers`.
    fn tiers(&mut self, c: &CheckFile, loc: Loc) -> Option<Tiers> {
        let tiers: Vec<Tier> = match (&c.tiers, c.limit) {
            (Some(tiers), None) => tiers
                .iter()
                .map(|&(limit, credit)| Tier { limit, credit })
                .collect(),
            (None, Some(limit)) => vec![Tier { limit, credit: 1.0 }],
            _ => {
                self.error(Code::MissingKey, loc, format!("check `{}` needs either `limit` or `tiers`", c.id), Some("for example `limit = 2`, or `tiers = [[1, 1.0], [2, 0.7]]` (limit, credit)".into()));
                return None;
            }
        };
        for t in &tiers {
            if !(t.limit.is_finite() && t.credit > 0.0 && t.credit <= 1.0) {
                self.error(
                    Code::OutOfRange,
                    loc,
                    format!(
                        "check `{}` has tier ({}, {}); credits must be in (0, 1] and limits finite",
                        c.id, t.limit, t.credit
                    ),
                    None,
                );
                return None;
            }
        }
        if tiers.is_empty() {
            self.error(
                Code::OutOfRange,
                loc,
                format!("check `{}` has empty `tiers`", c.id),
                None,
            );
            return None;
        }
        Some(Tiers(tiers))
    }

    /// Reports each of `values` an enum field of `kind` never takes.
    fn values_fit(&mut self, c: &CheckFile, kind: Kind, values: &[String], loc: Loc) {
        let allowed = match kind {
            Kind::Enum(allowed) | Kind::EnumList(allowed) => allowed,
            _ => return,
        };
        for v in values {
            if !schema::allows(allowed, v) {
                self.error(
                    Code::UnknownValue,
                    loc,
                    format!(
                        "check `{}` expects value \"{v}\", which `{}` never takes",
                        c.id,
                        c.fact.as_deref().unwrap_or("")
                    ),
                    Some(format!(
                        "allowed values: {}",
                        schema::quote_list(&schema::names_of(allowed))
                    )),
                );
            }
        }
    }

    /// One check: its fact resolved, its operator fitted to the fact's
    /// kind; `None` when either cannot be.
    pub(super) fn check(&mut self, located: Located<CheckFile>) -> Option<Check> {
        let (loc, keys) = (located.loc, located.keys);
        let c = located.value;
        let Some(fact) = c.fact.clone() else {
            self.error(
                Code::MissingKey,
                loc,
                format!("check `{}` has no `fact`", c.id),
                None,
            );
            return None;
        };
        let Some(target) = crate::figures::resolve(&fact) else {
            let candidates: Vec<String> = crate::figures::paths()
                .chain(
                    schema::TABLES
                        .iter()
                        .filter(|t| t.repeated)
                        .map(|t| format!("{}[]", t.path)),
                )
                .collect();
            let hint = crate::text::did_you_mean(&fact, candidates.iter().map(String::as_str))
                .map_or_else(
                    || {
                        "fact paths are listed in docs/arrangement.md and docs/derived.md"
                            .to_string()
                    },
                    |s| format!("did you mean `{s}`?"),
                );
            self.error(
                Code::UnknownReference,
                field(loc, &keys, "fact"),
                format!("check `{}` reads unknown fact `{fact}`", c.id),
                Some(hint),
            );
            return None;
        };
        let op_name = c.op.clone().unwrap_or_default();
        let points = c.points.unwrap_or(1.0);
        if !(points.is_finite() && points > 0.0) {
            self.error(
                Code::OutOfRange,
                loc,
                format!(
                    "check `{}` has points {points}; points must be positive",
                    c.id
                ),
                None,
            );
        }
        let kind = target.kind();
        let needs_values = |this: &mut Self, values: &[String]| {
            if values.is_empty() {
                this.error(
                    Code::MissingKey,
                    loc,
                    format!("check `{}` needs `values`", c.id),
                    None,
                );
            }
        };
        let misfit = |this: &mut Self, wants: &str| {
            this.error(
                Code::Operator,
                field(loc, &keys, "op"),
                format!(
                    "operator `{op_name}` does not fit `{fact}`, which is {}",
                    kind.describe()
                ),
                Some(format!("`{op_name}` needs {wants}")),
            );
        };
        let values = c.values.clone().unwrap_or_default();
        let Some(operator) = CheckOperator::parse(&op_name) else {
            self.error(
                Code::Operator,
                field(loc, &keys, "op"),
                format!("check `{}` has unknown operator `{op_name}`", c.id),
                Some(CheckOperator::hint(&op_name)),
            );
            return None;
        };
        let op = match operator {
            CheckOperator::Present => Op::Present,
            CheckOperator::IsTrue | CheckOperator::IsFalse => {
                if kind != Kind::Bool || matches!(target, Target::EachField(..)) {
                    misfit(
                        self,
                        "a boolean field of a plain table (use `all` or `any` for entries)",
                    );
                }
                if operator == CheckOperator::IsTrue {
                    Op::IsTrue
                } else {
                    Op::IsFalse
                }
            }
            CheckOperator::OneOf => {
                if !matches!(kind, Kind::Enum(_) | Kind::Text)
                    || matches!(target, Target::EachField(..))
                {
                    misfit(self, "an enum or text field of a plain table");
                }
                needs_values(self, &values);
                let partial = c.partial.clone().unwrap_or_default();
                self.values_fit(&c, kind, &values, loc);
                self.values_fit(&c, kind, &partial, loc);
                Op::OneOf {
                    values,
                    partial,
                    partial_credit: c.partial_credit.unwrap_or(0.5),
                }
            }
            CheckOperator::AtLeast | CheckOperator::AtMost => {
                if !kind.is_numeric()
                    || matches!(target, Target::EachField(..) | Target::Entries(_))
                {
                    misfit(self, "a number field of a plain table or a derived number");
                }
                let tiers = self.tiers(&c, loc)?;
                if operator == CheckOperator::AtLeast {
                    Op::AtLeast(tiers)
                } else {
                    Op::AtMost(tiers)
                }
            }
            CheckOperator::AgeAtMost => {
                if kind != Kind::Date || matches!(target, Target::EachField(..)) {
                    misfit(self, "a date field of a plain table");
                }
                Op::AgeAtMost(self.tiers(&c, loc)?)
            }
            CheckOperator::CountAtLeast => {
                if !(matches!(target, Target::Entries(_))
                    || (kind.is_list() && matches!(target, Target::Field(..))))
                {
                    misfit(self, "entries (`table[]`) or an array field");
                }
                Op::CountAtLeast(self.tiers(&c, loc)?)
            }
            CheckOperator::Includes => {
                if !kind.is_list() || !matches!(target, Target::Field(..)) {
                    misfit(self, "an array field of a plain table");
                }
                needs_values(self, &values);
                self.values_fit(&c, kind, &values, loc);
                Op::Includes(values)
            }
            CheckOperator::All | CheckOperator::Any => {
                let Target::EachField(table, _) = target else {
                    misfit(self, "a field of each entry, written `table[].field`");
                    return None;
                };
                self.values_fit(&c, kind, &values, loc);
                let filter = match &c.filter {
                    None => None,
                    Some(map) if map.len() == 1 => {
                        let (field, filter_values) =
                            map.iter().next().map(|(k, v)| (k.clone(), v.clone()))?;
                        match table.field(&field) {
                            Some(f) => self.values_fit(&c, f.kind, &filter_values, loc),
                            None => self.error(
                                Code::UnknownReference,
                                loc,
                                format!(
                                    "check `{}` filters on unknown field `{field}` of [[{}]]",
                                    c.id, table.path
                                ),
                                None,
                            ),
                        }
                        Some((field, filter_values))
                    }
                    Some(_) => {
                        self.error(
                            Code::WrongType,
                            loc,
                            format!("check `{}`: `where` takes exactly one field", c.id),
                            None,
                        );
                        None
                    }
                };
                let declared = values.is_empty() && kind != Kind::Bool;
                let condition = Condition {
                    values,
                    declared,
                    filter,
                };
                if operator == CheckOperator::All {
                    Op::All(condition)
                } else {
                    Op::Any(condition)
                }
            }
        };
        let title = c.title.clone().unwrap_or_else(|| default_title(&fact, &op));
        let not_applicable_when = self.predicates(
            c.not_applicable_when.as_deref().unwrap_or_default(),
            &format!("check `{}`", c.id),
            loc,
        );
        Some(Check {
            not_applicable_when,
            id: c.id,
            met_message: format!("{title}: met"),
            missing_message: crate::eval::missing_detail(target)
                .map(|detail| format!("{title}: {detail}"))
                .unwrap_or_default(),
            title,
            fact,
            target,
            expected: crate::eval::expected(&op),
            input_tables: input_tables(target),
            op,
            points,
        })
    }
}

/// The tables a derived figure's inputs live in (empty for other targets).
pub(crate) fn input_tables(target: Target) -> Vec<&'static schema::Table> {
    let Target::Derived(spec) = target else {
        return Vec::new();
    };
    spec.inputs
        .iter()
        .filter_map(|input| match crate::figures::resolve(input) {
            Some(Target::Field(t, _) | Target::EachField(t, _) | Target::Entries(t)) => Some(t),
            _ => None,
        })
        .collect()
}

/// A readable title for a check that does not give one.
fn default_title(fact: &str, op: &Op) -> String {
    format!("{fact} {}", crate::eval::expected(op))
}
