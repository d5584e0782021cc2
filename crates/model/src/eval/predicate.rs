//! Answering predicates against the facts: true, false, or unknown (`None`)
//! when a fact it needs is not disclosed.

use crate::facts::derived::FigureName;
use crate::facts::schema::{Table, Target};
use crate::facts::{Derived, Entry, Facts, Value, among};
use crate::rubric::predicate::{Operand, Predicate, Test};

/// The predicate's answer; a predicate's `if_absent` replaces an unknown one.
pub fn answer(p: &Predicate, facts: &Facts, derived: &Derived) -> Option<bool> {
    raw_answer(p, facts, derived).or(p.if_absent)
}

/// The predicate's answer from the declared facts alone, ignoring
/// `if_absent`: `None` when a fact it needs is not disclosed.
pub(crate) fn raw_answer(p: &Predicate, facts: &Facts, derived: &Derived) -> Option<bool> {
    match p.target {
        Target::Field(table, field) => {
            let value = &facts.fact(table, field)?.value;
            test(&p.test, value, facts, derived)
        }
        Target::Derived(spec) => test(
            &p.test,
            derived.get(FigureName::of_spec(spec))?,
            facts,
            derived,
        ),
        Target::Entries(table) => {
            let count = facts.entries(table).len() as f64;
            test(&p.test, &Value::Number(count), facts, derived)
        }
        Target::EachField(table, field) => {
            let relevant = relevant_entries(p, facts, table);
            if let Test::SomeOneOf(values) = &p.test {
                let seen: Vec<&Value> = relevant
                    .iter()
                    .filter_map(|e| e.field(field).map(|f| &f.value))
                    .collect();
                if seen.iter().any(|v| values.contains(&v.to_string())) {
                    return Some(true);
                }
                return (seen.len() == relevant.len()).then_some(false);
            }
            // Every relevant entry must pass; one that does not declare the
            // field makes the answer unknown unless another already fails.
            let mut unknown = false;
            for entry in relevant {
                match entry
                    .field(field)
                    .map(|f| &f.value)
                    .and_then(|v| test(&p.test, v, facts, derived))
                {
                    Some(false) => return Some(false),
                    Some(true) => {}
                    None => unknown = true,
                }
            }
            (!unknown).then_some(true)
        }
    }
}

/// The entries of `table` a predicate on one of its fields concerns: all, or
/// those its filter (`where`) names.
fn relevant_entries<'f>(p: &Predicate, facts: &'f Facts, table: &'static Table) -> Vec<&'f Entry> {
    facts
        .entries(table)
        .iter()
        .filter(|e| match &p.filter {
            None => true,
            Some((key, values)) => e
                .named(key)
                .map(|f| &f.value)
                .is_some_and(|v| values.contains(&v.to_string())),
        })
        .collect()
}

/// What the file declares for the fact a predicate reads, in words: why a
/// predicate known not to hold does not (`arrangement.offered_in is [US]`,
/// `no compliance.license entry has regime MiCA-EMI or MiCA-credit-institution`).
pub(crate) fn declared_text(p: &Predicate, facts: &Facts, derived: &Derived) -> String {
    let value = match p.target {
        Target::Field(t, f) => facts.fact(t, f).map(|f| f.value.to_string()),
        Target::Derived(spec) => derived
            .get(FigureName::of_spec(spec))
            .map(ToString::to_string),
        Target::Entries(t) => {
            return format!("{} has {} entries", t.path, facts.entries(t).len());
        }
        Target::EachField(t, f) => {
            let relevant = relevant_entries(p, facts, t);
            if relevant.is_empty()
                && let Some(with) = p.entries_with()
            {
                return format!("no {} entry has {with}", t.path);
            }
            let mut seen: Vec<String> = Vec::new();
            for value in relevant.iter().filter_map(|e| e.field(f)) {
                let value = value.value.to_string();
                if !seen.contains(&value) {
                    seen.push(value);
                }
            }
            (!seen.is_empty()).then(|| seen.join(", "))
        }
    };
    let entries = p
        .entries_with()
        .map_or_else(String::new, |with| format!(" (entries with {with})"));
    match value {
        Some(v) => format!("{} is {v}{entries}", p.fact),
        None => format!("{} is not declared{entries}", p.fact),
    }
}

fn operand(o: &Operand, facts: &Facts, derived: &Derived) -> Option<f64> {
    match o {
        Operand::Value(v) => Some(*v),
        Operand::Fact(_, target) => number(*target, facts, derived),
    }
}

/// The number a fact path holds: a field's, a derived figure's, or the
/// count of a table's entries; `None` when not disclosed or not a number.
pub fn number(target: Target, facts: &Facts, derived: &Derived) -> Option<f64> {
    match target {
        Target::Field(t, f) => facts.fact(t, f)?.value.as_number(),
        Target::Derived(spec) => derived.number(FigureName::of_spec(spec)),
        Target::Entries(t) => Some(facts.entries(t).len() as f64),
        Target::EachField(..) => None,
    }
}

/// True when the file declares the fact a path names (for entries: at least
/// one entry; for a field of entries: at least one entry gives it).
pub fn declared(target: Target, facts: &Facts, derived: &Derived) -> bool {
    match target {
        Target::Field(t, f) => facts.fact(t, f).is_some(),
        Target::Derived(spec) => derived.get(FigureName::of_spec(spec)).is_some(),
        Target::Entries(t) => facts.entries_known(t),
        Target::EachField(t, f) => facts
            .entries(t)
            .iter()
            .any(|e| e.field(f).map(|f| &f.value).is_some()),
    }
}

fn test(test: &Test, value: &Value, facts: &Facts, derived: &Derived) -> Option<bool> {
    let compare = |o: &Operand, f: fn(f64, f64) -> bool| -> Option<bool> {
        Some(f(value.as_number()?, operand(o, facts, derived)?))
    };
    match test {
        Test::Above(o) => compare(o, |a, b| a > b),
        Test::Below(o) => compare(o, |a, b| a < b),
        Test::AtLeast(o) => compare(o, |a, b| a >= b),
        Test::AtMost(o) => compare(o, |a, b| a <= b),
        Test::OneOf(values) => match value {
            Value::Text(s) => Some(among(values, s)),
            Value::List(items) => Some(items.iter().any(|i| values.contains(i))),
            _ => None,
        },
        Test::NoneOf(values) => match value {
            Value::Text(s) => Some(!among(values, s)),
            Value::List(items) => Some(!items.iter().any(|i| values.contains(i))),
            _ => None,
        },
        Test::IsTrue => value.as_bool(),
        Test::IsFalse => value.as_bool().map(|b| !b),
        Test::Present => Some(true),
        Test::SomeOneOf(values) => Some(values.contains(&value.to_string())),
        Test::CountAtLeast(n) => match value {
            Value::List(items) => Some(items.len() as f64 >= *n),
            Value::Number(count) => Some(count >= n),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::predicate::{PredicateFile, compile};
    use crate::source::SourceFile;

    fn ask(body: &str, predicate: &str) -> Option<bool> {
        let text = format!("format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n{body}");
        let (facts, _) = crate::facts::load(&SourceFile::new("t.toml", text)).unwrap();
        let derived = Derived::compute(&facts, facts.as_of);
        let source = SourceFile::new("p.toml", predicate);
        let read = crate::table::read_file(&source, "condition", "it", "", PredicateFile::read);
        let file = read.unwrap().unwrap();
        let p = compile(&file, &mut |_, m, _| panic!("{m}")).unwrap();
        answer(&p, &facts, &derived)
    }

    const RESERVES: &str = "[supply]\noutstanding_usd = 100\n[reserves]\ntotal_usd = 98\n\
        [[reserves.asset]]\nclass = \"tbill\"\nshare_pct = 90\nmax_maturity_days = 60\n\
        [[reserves.asset]]\nclass = \"crypto\"\nshare_pct = 10\n";

    #[test]
    fn numbers_compare_with_values_and_other_facts() {
        assert_eq!(
            ask(
                RESERVES,
                "fact = \"derived.reserve_coverage_ratio\"\nop = \"below\"\nvalue = 1.0"
            ),
            Some(true)
        );
        let volatile_above_buffer = "fact = \"derived.volatile_share_pct\"\nop = \"above\"\nthan = \"derived.overcollateral_pct\"";
        assert_eq!(ask(RESERVES, volatile_above_buffer), Some(true));
    }

    #[test]
    fn absent_facts_are_unknown_unless_told_otherwise() {
        let p = "fact = \"reserves.legal_structure\"\nop = \"one-of\"\nvalues = [\"undisclosed\"]";
        assert_eq!(ask("", p), None);
        assert_eq!(ask("", &format!("{p}\nif_absent = true")), Some(true));
    }

    #[test]
    fn entry_fields_must_hold_for_every_relevant_entry() {
        let eligible =
            "fact = \"reserves.asset[].class\"\nop = \"one-of\"\nvalues = [\"cash\", \"tbill\"]";
        assert_eq!(ask(RESERVES, eligible), Some(false));
        let short_bills = "fact = \"reserves.asset[].max_maturity_days\"\nop = \"at-most\"\nvalue = 93\nwhere = { class = [\"tbill\"] }";
        assert_eq!(ask(RESERVES, short_bills), Some(true));
        // The crypto entry states no maturity: unknown without the filter.
        let all_short =
            "fact = \"reserves.asset[].max_maturity_days\"\nop = \"at-most\"\nvalue = 93";
        assert_eq!(ask(RESERVES, all_short), None);
    }

    #[test]
    fn some_entry_matching() {
        let licences = "[[compliance.license]]\nregime = \"US-state\"\nstatus = \"granted\"\n\
            [[compliance.license]]\nregime = \"MiCA-EMI\"\nstatus = \"applied\"\n";
        let mica_granted = "fact = \"compliance.license[].status\"\nop = \"some-one-of\"\nvalues = [\"granted\"]\nwhere = { regime = [\"MiCA-EMI\"] }";
        assert_eq!(ask(licences, mica_granted), Some(false));
        let any_granted =
            "fact = \"compliance.license[].status\"\nop = \"some-one-of\"\nvalues = [\"granted\"]";
        assert_eq!(ask(licences, any_granted), Some(true));
        assert_eq!(ask("", any_granted), Some(false), "no licence at all");
    }

    #[test]
    fn none_of_and_country_lists() {
        let served = "[compliance]\njurisdictions_served = [\"GB\", \"US-NY\"]\n";
        let in_us =
            "fact = \"compliance.jurisdictions_served\"\nop = \"one-of\"\nvalues = [\"US\"]";
        assert_eq!(
            ask(served, in_us),
            Some(false),
            "a subdivision is not the code itself"
        );
        let in_ny =
            "fact = \"compliance.jurisdictions_served\"\nop = \"one-of\"\nvalues = [\"US-NY\"]";
        assert_eq!(ask(served, in_ny), Some(true));
        let not_gb =
            "fact = \"compliance.jurisdictions_served\"\nop = \"none-of\"\nvalues = [\"GB\"]";
        assert_eq!(ask(served, not_gb), Some(false));
        let class = "fact = \"reserves.asset[].class\"\nop = \"none-of\"\nvalues = [\"crypto\"]";
        assert_eq!(ask(RESERVES, class), Some(false));
        let licences = "[[compliance.license]]\nregime = \"US-state\"\nstatus = \"granted\"\n";
        let no_federal = "fact = \"compliance.license[].regime\"\nop = \"none-of\"\nvalues = [\"US-federal\"]\nwhere = { status = [\"granted\"] }";
        assert_eq!(ask(licences, no_federal), Some(true));
        assert_eq!(
            ask(
                "",
                "fact = \"arrangement.issuer_country\"\nop = \"none-of\"\nvalues = [\"US\"]"
            ),
            None
        );
    }

    #[test]
    fn counts_and_booleans() {
        assert_eq!(
            ask(
                RESERVES,
                "fact = \"reserves.asset[]\"\nop = \"count-at-least\"\nvalue = 2"
            ),
            Some(true)
        );
        assert_eq!(
            ask(
                "[reserves]\nsegregated = false\n",
                "fact = \"reserves.segregated\"\nop = \"is-false\""
            ),
            Some(true)
        );
    }
}
