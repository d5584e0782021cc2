//! Rules that span several fields: shares that must add up, dates that must be
//! in order, names that must be unique.

use crate::{fact, table};
use std::collections::BTreeMap;

use super::{Facts, Value, format_number};
use crate::source::{Code, Diagnostic, Severity, SourceFile};

/// How far share sums may stray from their target, in percentage points.
pub(crate) const SHARE_TOLERANCE: f64 = 0.5;

/// Shares that add up to about 1 were most likely written as fractions
/// (0.6 for 60 %).
fn written_as_fractions(sum: f64) -> bool {
    (sum - 1.0).abs() <= 0.05
}

/// Every cross-field problem of a loaded file.
pub(crate) fn cross_field(source: &SourceFile, facts: &Facts) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Facts keep their line: a cross-field problem points at the whole line.
    let at = |line: u32, severity: Severity, message: String, help: &str| {
        let code = match severity {
            Severity::Error => Code::Inconsistent,
            Severity::Warning => Code::AfterAsOf,
        };
        source
            .diagnostic(severity, code, source.line_span(line), message)
            .with_help(help)
    };

    let assets = facts.entries(table!("reserves.asset"));
    let every_share = assets
        .iter()
        .all(|a| a.number(fact!("reserves.asset[].share_pct")).is_some());
    if let Some(first) = assets.first() {
        let sum: f64 = assets
            .iter()
            .filter_map(|a| a.number(fact!("reserves.asset[].share_pct")))
            .sum();
        // Without every share (no published split), the known ones may only
        // not exceed the whole.
        if !every_share && sum > 100.0 + SHARE_TOLERANCE {
            out.push(at(
                first.line,
                Severity::Error,
                format!(
                    "reserve asset shares sum to {}, more than 100",
                    format_number(sum)
                ),
                "a class's `share_pct` is its share of total reserves; together they cannot exceed 100",
            ));
        } else if every_share && (sum - 100.0).abs() > SHARE_TOLERANCE {
            out.push(at(
                first.line,
                Severity::Error,
                format!(
                    "reserve asset shares sum to {}, not 100 (±{SHARE_TOLERANCE})",
                    format_number(sum)
                ),
                if written_as_fractions(sum) {
                    "`share_pct` is a percentage from 0 to 100: write 60 for 60 %, not 0.6"
                } else {
                    "adjust `share_pct` of the [[reserves.asset]] entries so that they add up to 100"
                },
            ));
        }
    }

    for (table, flag_at) in super::schema::DECLARED_NONE {
        let (path, flag) = (table.table.path, flag_at.field.name);
        if let Some(declared) = facts.get(*flag_at)
            && declared.value.as_bool() == Some(true)
            && !facts.entries(*table).is_empty()
        {
            out.push(at(
                declared.line,
                Severity::Error,
                format!("`{flag}` says none is published, but the file lists [[{path}]] entries"),
                &format!("remove `{flag}`, or the [[{path}]] entries"),
            ));
        }
    }

    let custodians = facts.entries(table!("reserves.custodian"));
    if let Some(first) = custodians.first() {
        let sum: f64 = custodians
            .iter()
            .filter_map(|c| c.number(fact!("reserves.custodian[].share_pct")))
            .sum();
        if sum > 100.0 + SHARE_TOLERANCE {
            out.push(at(
                first.line,
                Severity::Error,
                format!("custodian shares sum to {}, more than 100", format_number(sum)),
                "a custodian's `share_pct` is its share of total reserves; together they cannot exceed 100",
            ));
        } else if written_as_fractions(sum) {
            out.push(at(
                first.line,
                Severity::Warning,
                format!("custodian shares sum to {}", format_number(sum)),
                "`share_pct` is a percentage from 0 to 100: write 60 for 60 %, not 0.6",
            ));
        }
    }

    let mut names = BTreeMap::new();
    for chain in facts.entries(table!("chain")) {
        if let Some(name) = chain.get(fact!("chain[].name")) {
            // Invisible characters would make one chain look like two.
            let key = crate::text::comparable(&name.value.to_string());
            if let Some(&first) = names.get(&key) {
                out.push(
                    at(
                        name.line,
                        Severity::Error,
                        format!("chain `{}` is declared twice", name.value),
                        "give each [[chain]] a unique name, or merge the two entries",
                    )
                    .with_label(source.line_span(first), "first declared here"),
                );
            } else {
                names.insert(key, name.line);
            }
        }
    }

    for report in facts.entries(table!("attestation")) {
        if let (Some(end), Some(published)) = (
            report.get(fact!("attestation[].period_end")),
            report.get(fact!("attestation[].published")),
        ) && let (Value::Date(end_date), Value::Date(pub_date)) = (&end.value, &published.value)
            && pub_date < end_date
        {
            out.push(at(
                published.line,
                Severity::Error,
                format!("attestation published {pub_date}, before the end of the period it covers ({end_date})"),
                "check `published` and `period_end`: a report cannot be published before its period ends",
            ));
        }
    }

    if let Some(security) = facts.table(table!("security"))
        && let (Some(required), Some(total)) = (
            security.get(fact!("security.signers_required")),
            security.number(fact!("security.signers_total")),
        )
        && required.value.as_number().is_some_and(|r| r > total)
    {
        out.push(at(
            required.line,
            Severity::Error,
            format!(
                "`signers_required` ({}) is larger than `signers_total` ({})",
                required.value,
                format_number(total)
            ),
            "the approvals needed cannot exceed the signers who exist",
        ));
    }

    for (table, field, fact) in all_dates(facts) {
        if fact.0 > facts.as_of {
            out.push(at(
                fact.1,
                Severity::Warning,
                format!(
                    "`{field}` in [{table}] is {}, after the file's as_of date {}",
                    fact.0, facts.as_of
                ),
                "facts describe the arrangement on `as_of`; check the date or move `as_of` forward",
            ));
        }
    }
    out
}

/// Every date fact with its table, field and line.
fn all_dates(facts: &Facts) -> Vec<(&'static str, &'static str, (chrono::NaiveDate, u32))> {
    let mut out = Vec::new();
    for table in super::schema::TABLES {
        let entries: Vec<&super::Entry> = facts.entries(table).iter().collect();
        for entry in entries {
            for (field, fact) in entry.facts() {
                if let Value::Date(d) = fact.value {
                    out.push((table.path, field, (d, fact.line)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::facts::load;
    use crate::source::{Severity, SourceFile};

    const HEAD: &str = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n";

    fn problems(body: &str) -> Vec<crate::source::Diagnostic> {
        match load(&SourceFile::new("t.toml", format!("{HEAD}{body}"))) {
            Ok((_, warnings)) => warnings,
            Err(errors) => errors,
        }
    }

    #[test]
    fn shares_within_tolerance_pass() {
        let body = "[[reserves.asset]]\nclass = \"cash\"\nshare_pct = 60\n[[reserves.asset]]\nclass = \"tbill\"\nshare_pct = 39.6\n";
        assert!(problems(body).is_empty());
    }

    #[test]
    fn shares_summing_to_one_suggest_percentages() {
        let body = "[[reserves.asset]]\nclass = \"cash\"\nshare_pct = 0.6\n[[reserves.asset]]\nclass = \"tbill\"\nshare_pct = 0.4\n[[reserves.custodian]]\nname = \"A\"\nshare_pct = 1\n";
        let found = problems(body);
        let helps: Vec<&str> = found.iter().filter_map(|d| d.help.as_deref()).collect();
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            helps.iter().all(|h| h.contains("write 60 for 60 %")),
            "{helps:#?}"
        );
        // Shares that are merely off get the plain advice.
        let body = "[[reserves.asset]]\nclass = \"cash\"\nshare_pct = 50\n";
        let found = problems(body);
        assert!(found[0].help.as_deref().unwrap().contains("add up to 100"));
    }

    #[test]
    fn classes_without_shares_need_no_sum_of_100() {
        let body = "[[reserves.asset]]\nclass = \"cash\"\nshare_pct = 60\n[[reserves.asset]]\nclass = \"crypto\"\n";
        assert!(problems(body).is_empty());
        let body =
            "[[reserves.asset]]\nclass = \"tbill\"\n[[reserves.asset]]\nclass = \"crypto\"\n";
        assert!(problems(body).is_empty());
        let body = "[[reserves.asset]]\nclass = \"cash\"\nshare_pct = 80\n[[reserves.asset]]\nclass = \"tbill\"\nshare_pct = 30\n[[reserves.asset]]\nclass = \"crypto\"\n";
        assert!(problems(body)[0].message.contains("more than 100"));
    }

    #[test]
    fn none_published_contradicted_by_entries_fails() {
        let body = "[transparency]\nattestations_none_published = true\n[[attestation]]\nkind = \"audit\"\n";
        let found = problems(body);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("says none is published"));
        assert_eq!(found[0].line, 6);
        assert!(problems("[transparency]\nattestations_none_published = true\n").is_empty());
    }

    #[test]
    fn custodian_shares_over_100_fail() {
        let body = "[[reserves.custodian]]\nname = \"A\"\nshare_pct = 70\n[[reserves.custodian]]\nname = \"B\"\nshare_pct = 40\n";
        assert!(
            problems(body)[0]
                .message
                .contains("custodian shares sum to 110")
        );
    }

    #[test]
    fn duplicate_chains_fail_at_the_second() {
        let body = "[[chain]]\nname = \"eth\"\n[[chain]]\nname = \"ETH\"\n";
        let p = problems(body);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, 8);
    }

    #[test]
    fn published_before_period_end_fails() {
        let body =
            "[[attestation]]\nkind = \"audit\"\nperiod_end = 2026-06-30\npublished = 2026-06-01\n";
        assert!(
            problems(body)[0]
                .message
                .contains("before the end of the period")
        );
    }

    #[test]
    fn signers_required_cannot_exceed_total() {
        let body = "[security]\nsigners_required = 4\nsigners_total = 3\n";
        assert!(problems(body)[0].message.contains("larger than"));
    }

    #[test]
    fn future_dates_are_warnings_only() {
        let (_, warnings) = load(&SourceFile::new(
            "t.toml",
            format!("{HEAD}[reserves]\nas_of = 2026-10-01\n"),
        ))
        .unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].severity, Severity::Warning);
    }
}
