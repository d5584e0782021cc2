//! What a name means in format 1: a table by its dotted path, a key of a
//! table (a field or a table below it), a declared fact's path
//! ([`resolve`]); every fact path, for hints and coverage; and the help for
//! a name that is none of them ("did you mean", the same quantity in another
//! unit).

use rustc_hash::FxHashMap;

use super::tables::{SOURCE_KEY, TABLES};
use super::{Field, Table, Target};

/// The table at a dotted path.
pub fn table(path: &str) -> Option<&'static Table> {
    static BY_PATH: std::sync::LazyLock<FxHashMap<&'static str, &'static Table>> =
        std::sync::LazyLock::new(|| TABLES.iter().map(|t| (t.path, t)).collect());
    BY_PATH.get(path).copied()
}

/// What a key of a table names: one of its fields, or a table below it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Member {
    /// One of the table's fields.
    Field(&'static Field),
    /// A table below it (`[reserves.custodian]` below `[reserves]`).
    Table(&'static Table),
}

/// What `key` names in `table`, found with one hash lookup: the loader asks
/// this for every key of every file, so the map is keyed by the table's
/// position and the key, and uses the Fx hash (a few multiplications for a
/// short key) rather than the default SipHash.
pub(crate) fn member(table: &'static Table, key: &str) -> Option<Member> {
    static MEMBERS: std::sync::LazyLock<FxHashMap<(usize, &'static str), Member>> =
        std::sync::LazyLock::new(|| {
            let mut members = FxHashMap::default();
            for table in TABLES {
                for field in table.fields {
                    members.insert((table.position(), field.name), Member::Field(field));
                }
                if !table.path.is_empty()
                    && let Some(parent) = self::table(table.parent())
                {
                    members.insert((parent.position(), table.key()), Member::Table(table));
                }
            }
            members
        });
    MEMBERS.get(&(table.position(), key)).copied()
}

/// Tables directly below a parent path.
pub fn children(parent: &str) -> impl Iterator<Item = &'static Table> + '_ {
    TABLES
        .iter()
        .filter(move |t| !t.path.is_empty() && t.parent() == parent)
}

/// Resolves a declared fact's path: `table.field`, `table[].field` or
/// `table[]`. Rubrics, profiles and alerts also name derived and stress
/// figures: they resolve every path through the figure layer (`figures` in
/// usd1eval-model), which owns
/// the whole address space; the format knows nothing computed from it.
pub fn resolve(path: &str) -> Option<Target> {
    if let Some(table_path) = path.strip_suffix("[]") {
        return table(table_path)
            .filter(|t| t.repeated)
            .map(Target::Entries);
    }
    if let Some((table_path, field_name)) = path.split_once("[].") {
        let t = table(table_path).filter(|t| t.repeated)?;
        return t.field(field_name).map(|f| Target::EachField(t, f));
    }
    let (table_path, field_name) = path.rsplit_once('.')?;
    let t = table(table_path).filter(|t| !t.repeated && !t.path.is_empty())?;
    t.field(field_name).map(|f| Target::Field(t, f))
}

/// Every fact path of format 1 (for hints and for the coverage test).
pub fn all_fact_paths() -> Vec<String> {
    TABLES
        .iter()
        .filter(|t| !t.path.is_empty())
        .flat_map(|t| {
            t.fields.iter().map(move |f| {
                if t.repeated {
                    format!("{}[].{}", t.path, f.name)
                } else {
                    format!("{}.{}", t.path, f.name)
                }
            })
        })
        .collect()
}

/// Unit suffixes a key may carry, and spellings a writer may use for them:
/// `fee_pct`, `fee_percent` and `fee_bps` name the same quantity.
const UNIT_SUFFIXES: &[&str] = &[
    "_usd",
    "_dollars",
    "_pct",
    "_percent",
    "_percentage",
    "_bps",
    "_bp",
    "_days",
    "_day",
    "_hours",
    "_hrs",
    "_count",
    "_ratio",
];

/// A key without its unit suffix (`fee` for `fee_bps`), or the key itself.
fn without_unit(key: &str) -> &str {
    UNIT_SUFFIXES
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix))
        .unwrap_or(key)
}

/// The help for a key `table` does not have: the closest key by spelling, or
/// the key naming the same quantity in another unit (`fee_pct` → `fee_bps`),
/// else where every key is listed.
pub(crate) fn unknown_key_help(table: &'static Table, name: &str) -> String {
    let candidates: Vec<&str> = table
        .fields
        .iter()
        .map(|f| f.name)
        .chain(children(table.path).map(Table::key))
        .chain((!table.path.is_empty()).then_some(SOURCE_KEY))
        .collect();
    let stem = without_unit(name);
    let other_unit = || {
        candidates
            .iter()
            .copied()
            .find(|c| *c != stem && without_unit(c) == stem)
    };
    if let Some(suggestion) = crate::text::did_you_mean(name, candidates.iter().copied()) {
        format!("did you mean `{suggestion}`?")
    } else if let Some(suggestion) = other_unit() {
        format!(
            "did you mean `{suggestion}`? A key's suffix names its unit; convert the value to it (docs/fields.md)"
        )
    } else if table.path.is_empty() {
        "top-level keys are `format` and the tables listed in docs/fields.md".into()
    } else if table.repeated {
        format!(
            "[[{}]] accepts the keys listed in docs/fields.md",
            table.path
        )
    } else {
        format!("[{}] accepts the keys listed in docs/fields.md", table.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_each_path_form() {
        assert!(matches!(
            resolve("redemption.fee_bps"),
            Some(Target::Field(_, _))
        ));
        assert!(matches!(
            resolve("chain[].monitored"),
            Some(Target::EachField(_, _))
        ));
        assert!(matches!(resolve("attestation[]"), Some(Target::Entries(_))));
        // Derived and stress figures are the figure layer's (usd1eval-model).
        assert!(resolve("derived.reserve_coverage_ratio").is_none());
        assert!(resolve("redemption.nope").is_none());
        assert!(
            resolve("chain.monitored").is_none(),
            "repeated tables need []"
        );
        assert!(
            resolve("redemption[]").is_none(),
            "plain tables have no entries"
        );
        assert!(resolve("format").is_none());
    }

    #[test]
    fn members_are_fields_or_tables_below() {
        let reserves = table("reserves").unwrap();
        assert!(
            matches!(member(reserves, "asset"), Some(Member::Table(t)) if t.path == "reserves.asset")
        );
        let asset = table("reserves.asset").unwrap();
        assert!(
            matches!(member(asset, "share_pct"), Some(Member::Field(f)) if f.name == "share_pct")
        );
        assert!(member(asset, "custodian").is_none());
        assert!(member(reserves, "nonsense").is_none());
    }

    #[test]
    fn children_are_found_below_their_parent() {
        let names: Vec<_> = children("reserves").map(|t| t.path).collect();
        assert_eq!(names, ["reserves.asset", "reserves.custodian"]);
    }

    #[test]
    fn unknown_keys_are_matched_across_unit_suffixes() {
        let redemption = table("redemption").unwrap();
        assert!(unknown_key_help(redemption, "fee_pct").starts_with("did you mean `fee_bps`?"));
        assert!(
            unknown_key_help(redemption, "minimum_dollars")
                .starts_with("did you mean `minimum_usd`?")
        );
        assert!(unknown_key_help(redemption, "settlment_days").contains("`settlement_days`"));
        assert_eq!(
            unknown_key_help(redemption, "colour"),
            "[redemption] accepts the keys listed in docs/fields.md"
        );
        let chain = table("chain").unwrap();
        assert!(unknown_key_help(chain, "zzz").starts_with("[[chain]] accepts"));
    }
}
