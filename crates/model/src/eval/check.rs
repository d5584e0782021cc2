//! One check against the facts: the operator semantics.
//!
//! Every operator turns what it sees into a credit between 0 and 1 and an
//! outcome: `met` (full credit), `partial`, `unmet`, `not-disclosed` (the fact
//! is absent; earns nothing but still counts), or `not-applicable` (nothing to
//! judge, e.g. bridge checks when every chain is native; left out of the score).

use crate::facts::derived::FigureName;
use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::facts::schema::{Field, Table, Target};
use crate::facts::{Derived, Entry, Facts, Value, among, format_number};
use crate::report::{Finding, Observed, Outcome};
use crate::rubric::{Check, Condition, EvidenceCredit, Op, Tiers};

/// What the operator saw, before it becomes a finding.
struct Seen {
    outcome: Outcome,
    credit: f64,
    value: Observed,
    line: Option<u32>,
    source: Option<Arc<str>>,
    evidence: Option<&'static str>,
    detail: String,
    /// The fact is absent and the compiled check's `missing_message` says so.
    missing: bool,
}

impl Seen {
    /// A judged value; `detail` is only formatted when the check is not met,
    /// because a met finding's message does not show it.
    fn judged(credit: f64, value: Observed, detail: impl FnOnce() -> String) -> Self {
        let outcome = if credit >= 1.0 {
            Outcome::Met
        } else if credit > 0.0 {
            Outcome::Partial
        } else {
            Outcome::Unmet
        };
        Seen {
            outcome,
            credit: credit.clamp(0.0, 1.0),
            value,
            line: None,
            source: None,
            evidence: None,
            detail: if outcome == Outcome::Met {
                String::new()
            } else {
                detail()
            },
            missing: false,
        }
    }

    fn absent(outcome: Outcome, detail: String) -> Self {
        Seen {
            outcome,
            credit: 0.0,
            value: Observed::Nothing,
            line: None,
            source: None,
            evidence: None,
            detail,
            missing: false,
        }
    }

    /// The fact is not disclosed; the message is the check's own.
    fn missing() -> Self {
        Seen {
            missing: true,
            ..Seen::absent(Outcome::NotDisclosed, String::new())
        }
    }

    fn at(mut self, entry: Option<&Entry>, line: Option<u32>) -> Self {
        self.line = line.or(entry.map(|e| e.line));
        self.source = entry.and_then(|e| e.source.clone());
        self.evidence = entry.and_then(|e| e.evidence);
        self
    }
}

/// Runs one check and returns its finding.
pub fn run<'r>(
    check: &'r Check,
    facts: &Facts,
    derived: &Derived,
    as_of: NaiveDate,
    evidence: &EvidenceCredit,
) -> Finding<'r> {
    let ruled_out = check
        .not_applicable_when
        .iter()
        .find(|p| super::predicate::answer(p, facts, derived) == Some(true));
    let seen = match check.target {
        _ if ruled_out.is_some() => Seen::absent(
            Outcome::NotApplicable,
            ruled_out.map_or_else(String::new, |p| {
                format!("does not apply, because {}", p.describe())
            }),
        ),
        Target::Field(table, field) => {
            let entry = facts.table(table);
            let fact = entry.and_then(|e| e.field(field));
            let line = fact.map(|f| f.line);
            match fact {
                Some(fact) => judge_value(&check.op, &fact.value, as_of),
                None => Seen::missing(),
            }
            .at(entry, line)
        }
        Target::Derived(spec) => {
            // A derived figure is located at the first table among its inputs
            // that the file declares, so a reader knows where to look.
            let entry = check
                .input_tables
                .iter()
                .find_map(|t| facts.entries(*t).first());
            match derived.get(FigureName::of_spec(spec)) {
                Some(value) => judge_value(&check.op, value, as_of),
                None => Seen::missing(),
            }
            .at(entry, None)
        }
        Target::Entries(table) => {
            let entries = facts.entries(table);
            let first = entries.first();
            if !facts.entries_known(table) {
                Seen::missing()
            } else {
                let count = entries.len() as f64;
                judge_value(&check.op, &Value::Number(count), as_of)
            }
            .at(first, None)
        }
        Target::EachField(table, field) => {
            let entries = facts.entries(table);
            match &check.op {
                Op::All(cond) | Op::Any(cond) => {
                    let all = matches!(check.op, Op::All(_));
                    judge_entries(entries, table, field, cond, all)
                }
                // The rubric loader only lets `all` and `any` read entries' fields.
                other => Seen::absent(
                    Outcome::NotApplicable,
                    format!("operator {} does not apply", other.name()),
                ),
            }
        }
    };
    // A fact earns what the kind of evidence behind it earns.
    let earned = check.points * seen.credit * evidence.credit(seen.evidence);
    let message = if seen.outcome == Outcome::Met {
        Cow::Borrowed(check.met_message.as_str())
    } else if seen.missing {
        Cow::Borrowed(check.missing_message.as_str())
    } else {
        // Built with push_str: formatting machinery costs more than the copy.
        let mut text = String::with_capacity(
            check.title.len() + seen.detail.len() + check.expected.len() + 14,
        );
        text.push_str(&check.title);
        text.push_str(": ");
        text.push_str(&seen.detail);
        if matches!(seen.outcome, Outcome::Partial | Outcome::Unmet) {
            text.push_str(" (expected ");
            text.push_str(&check.expected);
            text.push(')');
        }
        Cow::Owned(text)
    };
    Finding {
        check: Cow::Borrowed(&check.id),
        outcome: seen.outcome,
        fact: Cow::Borrowed(&check.fact),
        value: seen.value,
        expected: Cow::Borrowed(&check.expected),
        line: seen.line,
        source: seen.source,
        evidence: seen.evidence,
        message,
        points: check.points,
        earned: if seen.outcome.is_applicable() {
            earned
        } else {
            0.0
        },
        gain: 0.0,
        waived: None,
    }
}

/// What a finding says when the fact a check reads is absent, for the
/// targets where that is the same for every file: written once into the
/// compiled check ([`Check::missing_message`]).
pub(crate) fn missing_detail(target: Target) -> Option<String> {
    match target {
        Target::Field(table, field) => Some(add_field(field.name, &format!("[{}]", table.path))),
        Target::Entries(table) => Some(no_entries(table.path)),
        Target::Derived(spec) => Some(format!(
            "cannot be computed: a fact that `{}` needs is not disclosed",
            spec.path()
        )),
        Target::EachField(..) => None,
    }
}

fn add_field(field: &str, place: &str) -> String {
    format!("not disclosed: add `{field}` to {place}")
}

fn no_entries(table: &str) -> String {
    format!("not disclosed: no [[{table}]] entries")
}

fn not_disclosed(field: &str, table: &str) -> Seen {
    Seen::absent(Outcome::NotDisclosed, add_field(field, table))
}

fn not_disclosed_entries(table: &str) -> Seen {
    Seen::absent(Outcome::NotDisclosed, no_entries(table))
}

/// The credit a tier ladder gives a number; `better` says which way is better.
fn tier_credit(tiers: &Tiers, n: f64, at_least: bool) -> f64 {
    tiers
        .0
        .iter()
        .filter(|t| if at_least { n >= t.limit } else { n <= t.limit })
        .map(|t| t.credit)
        .fold(0.0, f64::max)
}

fn judge_value(op: &Op, value: &Value, as_of: NaiveDate) -> Seen {
    let json = Observed::Value(value.clone());
    match (op, value) {
        (Op::Present, _) => Seen::judged(1.0, json, || format!("declared as {value}")),
        (Op::IsTrue, Value::Bool(b)) => {
            Seen::judged(if *b { 1.0 } else { 0.0 }, json, || format!("found {b}"))
        }
        (Op::IsFalse, Value::Bool(b)) => {
            Seen::judged(if *b { 0.0 } else { 1.0 }, json, || format!("found {b}"))
        }
        (
            Op::OneOf {
                values,
                partial,
                partial_credit,
            },
            Value::Text(s),
        ) => {
            let credit = if among(values, s) {
                1.0
            } else if among(partial, s) {
                *partial_credit
            } else {
                0.0
            };
            Seen::judged(credit, json, || format!("found \"{s}\""))
        }
        (Op::AtLeast(tiers), Value::Number(n)) => {
            Seen::judged(tier_credit(tiers, *n, true), json, || {
                format!("found {}", format_number(*n))
            })
        }
        (Op::AtMost(tiers), Value::Number(n)) => {
            Seen::judged(tier_credit(tiers, *n, false), json, || {
                format!("found {}", format_number(*n))
            })
        }
        (Op::CountAtLeast(tiers), Value::Number(n)) => {
            Seen::judged(tier_credit(tiers, *n, true), json, || {
                format!("found {}", format_number(*n))
            })
        }
        (Op::CountAtLeast(tiers), Value::List(items)) => {
            let n = items.len() as f64;
            Seen::judged(tier_credit(tiers, n, true), json, || {
                format!("found {} item(s)", items.len())
            })
        }
        (Op::AgeAtMost(tiers), Value::Date(d)) => {
            let age = (as_of - *d).num_days() as f64;
            Seen::judged(tier_credit(tiers, age, false), json, || {
                format!("{d} is {} days old", format_number(age))
            })
        }
        (Op::Includes(wanted), Value::List(items)) => {
            let missing: Vec<&str> = wanted
                .iter()
                .filter(|w| !items.contains(w))
                .map(String::as_str)
                .collect();
            let credit = (wanted.len() - missing.len()) as f64 / wanted.len().max(1) as f64;
            Seen::judged(credit, json, || format!("missing {}", missing.join(", ")))
        }
        (op, other) => Seen::absent(
            Outcome::NotApplicable,
            format!("operator {} cannot judge {other}", op.name()),
        ),
    }
}

fn judge_entries(
    entries: &[Entry],
    table: &'static Table,
    field: &'static Field,
    cond: &Condition,
    all: bool,
) -> Seen {
    let table = table.path;
    let relevant: Vec<&Entry> = entries
        .iter()
        .filter(|e| match &cond.filter {
            None => true,
            // Compared as text so that a filter can match enums and booleans alike.
            Some((key, values)) => e.named(key).map(|f| &f.value).is_some_and(|v| {
                text_among(values, v).unwrap_or_else(|| among(values, &v.to_string()))
            }),
        })
        .collect();
    if entries.is_empty() {
        return not_disclosed_entries(table);
    }
    let first = relevant.first().copied().or(entries.first());
    if relevant.is_empty() {
        let (key, values) = cond.filter.clone().unwrap_or_default();
        return Seen::absent(
            Outcome::NotApplicable,
            format!("no [[{table}]] entry has {key} {}", values.join(" or ")),
        )
        .at(first, None);
    }
    let declared: Vec<(&Entry, &Value)> = relevant
        .iter()
        .filter_map(|e| e.field(field).map(|f| (*e, &f.value)))
        .collect();
    if declared.is_empty() {
        return not_disclosed(field.name, &format!("each [[{table}]]")).at(first, None);
    }
    let satisfied = |v: &Value| match v {
        _ if cond.declared => true,
        Value::Bool(b) if cond.values.is_empty() => *b,
        Value::List(items) => items.iter().any(|i| cond.values.contains(i)),
        other => text_among(&cond.values, other).unwrap_or(false),
    };
    let good = declared.iter().filter(|(_, v)| satisfied(v)).count();
    let total = relevant.len();
    let credit = if all {
        good as f64 / total as f64
    } else if good > 0 {
        1.0
    } else {
        0.0
    };
    // Point at the first entry that fails, which is where a reader should look.
    let failing = relevant
        .iter()
        .find(|e| !e.field(field).is_some_and(|f| satisfied(&f.value)))
        .copied();
    let line = failing
        .and_then(|e| e.field(field).map(|f| f.line).or(Some(e.line)))
        .or(first.map(|e| e.line));
    let value = Observed::Entries {
        satisfied: good,
        of: total,
    };
    Seen::judged(credit, value, || {
        format!("{good} of {total} [[{table}]] entries satisfy it")
    })
    .at(failing.or(first), line)
}

/// Whether a text, or a boolean as `true`/`false`, is one of `values`;
/// `None` for other kinds of value.
fn text_among(values: &[String], value: &Value) -> Option<bool> {
    match value {
        Value::Text(s) => Some(among(values, s)),
        Value::Bool(b) => Some(among(values, if *b { "true" } else { "false" })),
        _ => None,
    }
}

/// What a check expects, in words.
pub fn expected(op: &Op) -> String {
    let tiers_text = |tiers: &Tiers, sign: &str, unit: &str| {
        let mut parts = tiers.0.iter().map(|t| {
            if t.credit >= 1.0 {
                format!("{sign} {}{unit}", format_number(t.limit))
            } else {
                format!(
                    "{sign} {}{unit} for {}%",
                    format_number(t.limit),
                    format_number(t.credit * 100.0)
                )
            }
        });
        let first = parts.next().unwrap_or_default();
        let rest: Vec<String> = parts.collect();
        if rest.is_empty() {
            first
        } else {
            format!("{first} ({})", rest.join(", "))
        }
    };
    let condition_text = |cond: &Condition| {
        let what = if cond.declared {
            "declared".to_string()
        } else if cond.values.is_empty() {
            "true".to_string()
        } else {
            format!("one of {}", cond.values.join(", "))
        };
        match &cond.filter {
            Some((key, values)) => format!("{what} where {key} is {}", values.join(" or ")),
            None => what,
        }
    };
    match op {
        Op::Present => "declared".into(),
        Op::IsTrue => "true".into(),
        Op::IsFalse => "false".into(),
        Op::OneOf {
            values, partial, ..
        } if partial.is_empty() => format!("one of {}", values.join(", ")),
        Op::OneOf {
            values,
            partial,
            partial_credit,
        } => format!(
            "one of {} ({} for {}%)",
            values.join(", "),
            partial.join(", "),
            format_number(partial_credit * 100.0)
        ),
        Op::AtLeast(t) => tiers_text(t, "≥", ""),
        Op::AtMost(t) => tiers_text(t, "≤", ""),
        Op::AgeAtMost(t) => tiers_text(t, "≤", " days old"),
        Op::CountAtLeast(t) => tiers_text(t, "at least", ""),
        Op::Includes(values) => format!("includes {}", values.join(", ")),
        Op::All(cond) => format!("every entry {}", condition_text(cond)),
        Op::Any(cond) => format!("at least one entry {}", condition_text(cond)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Tier;
    use crate::source::SourceFile;

    const BODY: &str = "[redemption]\nat_par = true\nfee_bps = 10\neligible = \"direct-customers\"\nsettlement_days = 2\n\
        [reserves]\nyield_paid_to_holders = false\n\
        [security]\nlast_contract_change = 2026-06-01\n\
        [resilience]\nstress_scenarios = [\"redemption-surge\", \"cyber\"]\n\
        [[chain]]\nname = \"a\"\nissuance = \"native\"\nmonitored = true\n\
        [[chain]]\nname = \"b\"\nissuance = \"bridged\"\nmonitored = false\nbridge_audited = true\n";

    fn facts() -> Facts {
        let text = format!("format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n{BODY}");
        crate::facts::load(&SourceFile::new("t.toml", text))
            .unwrap()
            .0
    }

    fn check(fact: &str, op: Op) -> Finding<'static> {
        let facts = facts();
        // A finding borrows its check; a test's check lives for the test run.
        let check = Box::leak(Box::new(Check {
            id: "c".into(),
            title: "t".into(),
            met_message: "t: met".into(),
            missing_message: missing_detail(crate::figures::resolve(fact).unwrap())
                .map(|d| format!("t: {d}"))
                .unwrap_or_default(),
            fact: fact.into(),
            target: crate::figures::resolve(fact).unwrap(),
            expected: expected(&op),
            input_tables: crate::rubric::input_tables(crate::figures::resolve(fact).unwrap()),
            op,
            points: 2.0,
            not_applicable_when: Vec::new(),
        }));
        let derived = Derived::compute(&facts, facts.as_of);
        run(
            check,
            &facts,
            &derived,
            facts.as_of,
            &EvidenceCredit::default(),
        )
    }

    fn tiers(t: &[(f64, f64)]) -> Tiers {
        Tiers(
            t.iter()
                .map(|&(limit, credit)| Tier { limit, credit })
                .collect(),
        )
    }

    #[test]
    fn present() {
        assert_eq!(
            check("redemption.fee_bps", Op::Present).outcome,
            Outcome::Met
        );
        let f = check("redemption.minimum_usd", Op::Present);
        assert_eq!(f.outcome, Outcome::NotDisclosed);
        assert_eq!(f.line, Some(5), "points at the table header");
    }

    #[test]
    fn is_true() {
        let f = check("redemption.at_par", Op::IsTrue);
        assert_eq!((f.outcome, f.earned, f.line), (Outcome::Met, 2.0, Some(6)));
    }

    #[test]
    fn is_false() {
        assert_eq!(
            check("reserves.yield_paid_to_holders", Op::IsFalse).outcome,
            Outcome::Met
        );
        assert_eq!(
            check("redemption.at_par", Op::IsFalse).outcome,
            Outcome::Unmet
        );
    }

    #[test]
    fn one_of_with_partial_values() {
        let op = |partial: Vec<String>| Op::OneOf {
            values: vec!["anyone".into()],
            partial,
            partial_credit: 0.5,
        };
        assert_eq!(
            check("redemption.eligible", op(vec![])).outcome,
            Outcome::Unmet
        );
        let f = check("redemption.eligible", op(vec!["direct-customers".into()]));
        assert_eq!((f.outcome, f.earned), (Outcome::Partial, 1.0));
    }

    #[test]
    fn at_most_with_tiers() {
        let f = check(
            "redemption.settlement_days",
            Op::AtMost(tiers(&[(1.0, 1.0), (2.0, 0.75), (5.0, 0.25)])),
        );
        assert_eq!((f.outcome, f.earned), (Outcome::Partial, 1.5));
        let f = check("redemption.fee_bps", Op::AtMost(tiers(&[(10.0, 1.0)])));
        assert_eq!(f.outcome, Outcome::Met);
    }

    #[test]
    fn at_least_with_tiers() {
        let f = check(
            "redemption.fee_bps",
            Op::AtLeast(tiers(&[(20.0, 1.0), (5.0, 0.5)])),
        );
        assert_eq!((f.outcome, f.earned), (Outcome::Partial, 1.0));
        assert_eq!(
            check("redemption.fee_bps", Op::AtLeast(tiers(&[(11.0, 1.0)]))).outcome,
            Outcome::Unmet
        );
    }

    #[test]
    fn age_at_most() {
        // 2026-06-01 is 121 days before 2026-09-30.
        let f = check(
            "security.last_contract_change",
            Op::AgeAtMost(tiers(&[(120.0, 1.0), (365.0, 0.5)])),
        );
        assert_eq!(f.outcome, Outcome::Partial);
        assert!(f.message.contains("121 days old"), "{}", f.message);
    }

    #[test]
    fn count_at_least() {
        assert_eq!(
            check("chain[]", Op::CountAtLeast(tiers(&[(2.0, 1.0)]))).outcome,
            Outcome::Met
        );
        assert_eq!(
            check("attestation[]", Op::CountAtLeast(tiers(&[(1.0, 1.0)]))).outcome,
            Outcome::NotDisclosed
        );
        let f = check(
            "resilience.stress_scenarios",
            Op::CountAtLeast(tiers(&[(4.0, 1.0), (2.0, 0.5)])),
        );
        assert_eq!(f.outcome, Outcome::Partial);
    }

    #[test]
    fn includes() {
        let op = Op::Includes(vec![
            "redemption-surge".into(),
            "bank-loss".into(),
            "cyber".into(),
            "chain-outage".into(),
        ]);
        let f = check("resilience.stress_scenarios", op);
        assert_eq!((f.outcome, f.earned), (Outcome::Partial, 1.0));
        assert!(f.message.contains("missing bank-loss, chain-outage"));
    }

    #[test]
    fn all_gives_the_share_that_satisfies() {
        let f = check(
            "chain[].monitored",
            Op::All(Condition {
                values: vec![],
                declared: false,
                filter: None,
            }),
        );
        assert_eq!((f.outcome, f.earned), (Outcome::Partial, 1.0));
        assert_eq!(f.line, Some(23), "points at the failing entry's field");
    }

    #[test]
    fn all_with_a_filter_and_not_applicable() {
        let bridged = Some(("issuance".to_string(), vec!["bridged".to_string()]));
        let f = check(
            "chain[].bridge_audited",
            Op::All(Condition {
                values: vec![],
                declared: false,
                filter: bridged,
            }),
        );
        assert_eq!(f.outcome, Outcome::Met);
        let wrapped = Some(("issuance".to_string(), vec!["wrapped".to_string()]));
        let f = check(
            "chain[].bridge_audited",
            Op::All(Condition {
                values: vec![],
                declared: false,
                filter: wrapped,
            }),
        );
        assert_eq!((f.outcome, f.earned), (Outcome::NotApplicable, 0.0));
    }

    #[test]
    fn all_declared_and_boolean_filters() {
        let declared = Condition {
            values: vec![],
            declared: true,
            filter: None,
        };
        assert_eq!(
            check("chain[].issuance", Op::All(declared)).outcome,
            Outcome::Met
        );
        let declared = Condition {
            values: vec![],
            declared: true,
            filter: None,
        };
        assert_eq!(
            check("chain[].bridge", Op::All(declared)).outcome,
            Outcome::NotDisclosed
        );
        let only_monitored = Some(("monitored".to_string(), vec!["true".to_string()]));
        let f = check(
            "chain[].issuance",
            Op::All(Condition {
                values: vec!["native".into()],
                declared: false,
                filter: only_monitored,
            }),
        );
        assert_eq!(f.outcome, Outcome::Met);
    }

    #[test]
    fn any_needs_one_entry() {
        let f = check(
            "chain[].issuance",
            Op::Any(Condition {
                values: vec!["wrapped".into(), "bridged".into()],
                declared: false,
                filter: None,
            }),
        );
        assert_eq!(f.outcome, Outcome::Met);
        let f = check(
            "attestation[].kind",
            Op::Any(Condition {
                values: vec!["audit".into()],
                declared: false,
                filter: None,
            }),
        );
        assert_eq!(f.outcome, Outcome::NotDisclosed);
    }

    #[test]
    fn derived_facts_are_read_and_absent_ones_not_disclosed() {
        let f = check(
            "derived.reserve_coverage_ratio",
            Op::AtLeast(tiers(&[(1.0, 1.0)])),
        );
        assert_eq!(f.outcome, Outcome::NotDisclosed);
        assert_eq!(
            f.line,
            Some(10),
            "located at [reserves], its first declared input table"
        );
        let f = check(
            "derived.bridged_share_pct",
            Op::AtMost(tiers(&[(10.0, 1.0)])),
        );
        assert_eq!(f.line, Some(16), "located at the first [[chain]]");
    }
}
