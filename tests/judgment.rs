//! Caps and staleness, end to end through the library: each cap is triggered
//! by changing one fact of the strong example, which otherwise grades A.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::NaiveDate;
use usd1eval::eval::evaluate;
use usd1eval::facts::Arrangement;
use usd1eval::report::Report;
use usd1eval::source::SourceFile;

const STRONG: &str = "examples/strong-regulated.toml";

fn score_text(text: &str, as_of: Option<NaiveDate>) -> Report<'static> {
    let arrangement = Arrangement::from_source(&SourceFile::new("strong.toml", text)).unwrap();
    evaluate(
        common::milestones(),
        &[],
        &arrangement,
        as_of.unwrap_or(arrangement.facts.as_of),
    )
}

/// The strong example with one line replaced.
fn strong_with(from: &str, to: &str) -> Report<'static> {
    let text = std::fs::read_to_string(STRONG).unwrap();
    assert!(
        text.contains(from),
        "the strong example no longer contains {from:?}"
    );
    score_text(&text.replacen(from, to, 1), None)
}

fn assert_capped(report: &Report, cap: &str, grade: &str) {
    let ids: Vec<&str> = report.caps.iter().map(|c| c.id.as_str()).collect();
    assert!(ids.contains(&cap), "{cap} not in {ids:?}");
    assert_eq!(report.overall.grade.as_deref(), Some(grade), "capped grade");
    assert_eq!(
        report.overall.uncapped_grade.as_deref(),
        Some("A"),
        "the mean alone would still say A"
    );
    let hit = report.caps.iter().find(|c| c.id == cap).unwrap();
    assert!(hit.binding);
    assert!(!hit.reason.is_empty());
}

#[test]
fn the_strong_example_has_no_cap() {
    let text = std::fs::read_to_string(STRONG).unwrap();
    let report = score_text(&text, None);
    assert!(report.caps.is_empty(), "{:?}", report.caps);
    assert_eq!(report.overall.grade.as_deref(), Some("A"));
}

#[test]
fn cap_reserve_shortfall() {
    let report = strong_with("total_usd = 12_060_000_000", "total_usd = 11_900_000_000");
    assert_capped(&report, "reserve-shortfall", "D");
}

#[test]
fn cap_no_redemption_when_nobody_is_eligible() {
    let report = strong_with("eligible = \"verified-holders\"", "eligible = \"none\"");
    assert_capped(&report, "no-redemption", "F");
}

#[test]
fn cap_no_redemption_when_suspended() {
    let report = strong_with("availability = \"24x7\"", "availability = \"suspended\"");
    assert_capped(&report, "no-redemption", "F");
}

#[test]
fn no_redemption_cap_spares_an_onchain_channel_at_par() {
    let text = std::fs::read_to_string(STRONG)
        .unwrap()
        .replacen("eligible = \"verified-holders\"", "eligible = \"none\"", 1)
        .replacen(
            "\n[reserves]\n",
            "\n[[redemption.channel]]\nkind = \"onchain-redeem\"\nat_par = true\npermissionless = true\ndaily_limit_usd = 50_000_000\n\n[reserves]\n",
            1,
        );
    let report = score_text(&text, None);
    let ids: Vec<&str> = report.caps.iter().map(|c| c.id.as_str()).collect();
    assert!(!ids.contains(&"no-redemption"), "{ids:?}");
    // The same channel below par leaves nobody able to redeem.
    let report = score_text(
        &text.replacen(
            "at_par = true\npermissionless",
            "at_par = false\npermissionless",
            1,
        ),
        None,
    );
    assert!(
        report
            .caps
            .iter()
            .any(|c| c.id == "no-redemption" && c.known)
    );
}

#[test]
fn cap_recent_supervisory_action() {
    let text = std::fs::read_to_string(STRONG).unwrap();
    let as_of = usd1eval::facts::Arrangement::from_source(&SourceFile::new("s.toml", text.clone()))
        .unwrap()
        .facts
        .as_of;
    let event = |kind: &str, days: i64, concerns: &str| {
        let date = as_of - chrono::Days::new(days as u64);
        format!("{text}\n[[supervisory_event]]\ndate = {date}\nkind = \"{kind}\"\n{concerns}")
    };
    // A settled finding that the reserves were misrepresented caps at C.
    assert_capped(
        &score_text(
            &event(
                "enforcement",
                30,
                "concerns = [\"reserves\", \"disclosure\"]\n",
            ),
            None,
        ),
        "recent-supervisory-action",
        "C",
    );
    // An order to stop minting, every holder paid: a compliance finding that
    // costs points and caps at B, never below.
    let issuance = score_text(&event("order", 30, "concerns = [\"issuance\"]\n"), None);
    assert_capped(&issuance, "recent-compliance-order", "B");
    assert_eq!(issuance.overall.grade.as_deref(), Some("B"));
    assert!(
        !issuance
            .caps
            .iter()
            .any(|c| c.id == "recent-supervisory-action")
    );
    let penalty = issuance
        .overall
        .penalties
        .iter()
        .find(|p| p.id == "compliance-finding")
        .unwrap();
    assert!(penalty.points > 0.0 && penalty.points <= 5.0);
    // An action that does not say what it found caps at B and asks for it.
    let unclassified = score_text(&event("order", 30, ""), None);
    assert_capped(&unclassified, "recent-supervisory-action-unclassified", "B");
    let cap = &unclassified.caps[0];
    assert!(cap.reason.contains("declare them"));
    // A warning binds nobody; an order more than a year old has been lived with.
    for (kind, days) in [("warning", 30), ("order", 400)] {
        let report = score_text(&event(kind, days, "concerns = [\"reserves\"]\n"), None);
        assert!(report.caps.is_empty(), "{kind} {days}: {:?}", report.caps);
    }
    // A warning is a finding: unmet while it is recent, and the check
    // applies only where a warning is declared.
    let warned = score_text(&event("warning", 30, ""), None);
    assert_eq!(
        finding(&warned, "M14.no-recent-warning").outcome,
        usd1eval::report::Outcome::Unmet
    );
    let plain = score_text(&text, None);
    assert_eq!(
        finding(&plain, "M14.no-recent-warning").outcome,
        usd1eval::report::Outcome::NotApplicable
    );
}

/// One check's finding.
fn finding<'r>(report: &'r Report, check: &str) -> &'r usd1eval::report::Finding<'r> {
    report
        .milestones
        .iter()
        .flat_map(|m| &m.findings)
        .find(|f| f.check == check)
        .unwrap()
}

/// What one check earned, out of its points.
fn earned(report: &Report, check: &str) -> (f64, f64) {
    let finding = finding(report, check);
    (finding.earned, finding.points)
}

#[test]
fn new_values_are_scored_by_the_checks_that_read_their_field() {
    // Collateral held by smart contracts has no issuer estate to fall into:
    // it is judged for what it is (met), unlike an issuer's balance sheet
    // (partial credit).
    let contract = strong_with(
        "legal_structure = \"bankruptcy-remote-trust\"",
        "legal_structure = \"smart-contract\"",
    );
    let balance_sheet = strong_with(
        "legal_structure = \"bankruptcy-remote-trust\"",
        "legal_structure = \"issuer-balance-sheet\"",
    );
    let (got, of) = earned(&contract, "M06.structure");
    assert_eq!(got, of);
    let (got, of) = earned(&balance_sheet, "M06.structure");
    assert!(got > 0.0 && got < of, "{got} of {of}");
    // Real-time reserve reporting meets the frequency check in full.
    let realtime = strong_with(
        "reserve_report_frequency = \"weekly\"",
        "reserve_report_frequency = \"realtime\"",
    );
    let (got, of) = earned(&realtime, "M09.frequency");
    assert_eq!(got, of);
}

#[test]
fn a_declared_none_makes_reports_known_to_be_absent() {
    use usd1eval::report::Outcome;
    let text = std::fs::read_to_string(STRONG).unwrap();
    // The strong example without its reports and reviews: unknown, so the
    // core fact is missing and the reports' checks are left out.
    let cut = |text: &str, header: &str| -> String {
        text.split("\n\n")
            .filter(|block| !block.trim_start().starts_with(header))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let unknown = cut(&cut(&text, "[[attestation]]"), "[[security.review]]");
    let outcome = |r: &Report, check: &str| finding(r, check).outcome;
    let before = score_text(&unknown, None);
    assert!(
        before
            .overall
            .missing_core
            .iter()
            .any(|c| c.fact == "attestation[]")
    );
    assert_eq!(outcome(&before, "M15.reviews"), Outcome::NotDisclosed);
    let declared = unknown
        .replacen(
            "[transparency]\n",
            "[transparency]\nattestations_none_published = true\n",
            1,
        )
        .replacen(
            "[security]\n",
            "[security]\nreviews_none_published = true\n",
            1,
        );
    let after = score_text(&declared, None);
    assert!(
        after
            .overall
            .missing_core
            .iter()
            .all(|c| c.fact != "attestation[]")
    );
    assert_eq!(outcome(&after, "M15.reviews"), Outcome::Unmet);
    // A declared "none published" makes the cap known, not assumed.
    let stale = after
        .caps
        .iter()
        .find(|c| c.id == "stale-assurance")
        .unwrap();
    assert!(stale.known);
    assert!(!stale.effect(after.overall.is_graded()).contains("assumed"));
}

#[test]
fn evidence_decides_what_a_fact_earns_and_the_report_shows_the_independent_share() {
    let text = std::fs::read_to_string(STRONG).unwrap();
    let plain = score_text(&text, None);
    assert!(!plain.evidence.declared);
    // An independent firm's attestation covers the reserve figures: they
    // rest on it, and nothing else does.
    let attested = plain.evidence.independent_pct.unwrap();
    assert!(attested > 0.0 && attested < 50.0, "{attested}");
    let unattested = score_text(
        &text.replace(
            "[[attestation]]\n",
            "[[attestation]]\nindependent = false\n",
        ),
        None,
    );
    assert!(unattested.evidence.independent_pct.is_none_or(|p| p == 0.0));
    // The reserve figures, backed by an accountant: part of the score rests on
    // independent evidence, and the score itself does not move.
    let assured = text.replacen(
        "\n[reserves]\n",
        "\n[reserves]\nevidence = \"independent-assurance\"\n",
        1,
    );
    let assured = score_text(&assured, None);
    assert!(assured.evidence.declared);
    let share = assured.evidence.independent_pct.unwrap();
    assert!(share > 0.0 && share < 100.0, "{share}");
    let custody = assured
        .evidence
        .buckets
        .iter()
        .find(|b| b.id == "reserve-custody")
        .unwrap();
    assert!(custody.independent_pct.unwrap() > share);
    assert_eq!(assured.overall.score, plain.overall.score);
    assert_eq!(
        finding(&assured, "M06.structure").evidence,
        Some("independent-assurance")
    );
    // The same figures as an unverified claim earn half (the rubric's [evidence]).
    let claimed = text.replacen(
        "\n[reserves]\n",
        "\n[reserves]\nevidence = \"unverified\"\n",
        1,
    );
    let claimed = score_text(&claimed, None);
    let (got, of) = earned(&claimed, "M06.structure");
    assert!((got - of * 0.5).abs() < 1e-9, "{got} of {of}");
    assert!(claimed.overall.score < plain.overall.score);
}

#[test]
fn cap_holder_concentration() {
    let report = strong_with("[supply]\n", "[supply]\nlargest_holder_share_pct = 92\n");
    assert_capped(&report, "holder-concentration", "C");
    let spread = strong_with("[supply]\n", "[supply]\nlargest_holder_share_pct = 40\n");
    assert!(spread.caps.is_empty(), "{:?}", spread.caps);
}

#[test]
fn cap_captured_governance() {
    let report = strong_with(
        "[governance]\n",
        "[governance]\nlargest_voter_share_pct = 55\n",
    );
    assert_capped(&report, "captured-governance", "C");
}

#[test]
fn cap_below_par() {
    let report = strong_with("at_par = true", "at_par = false");
    assert_capped(&report, "below-par", "D");
}

#[test]
fn cap_volatile_beyond_buffer() {
    // 15 % crypto against a 0.5 % over-collateral buffer.
    let report = strong_with("class = \"cash\"", "class = \"crypto\"");
    assert_capped(&report, "volatile-beyond-buffer", "C");
}

#[test]
fn volatile_assets_within_the_buffer_do_not_cap() {
    let text = std::fs::read_to_string(STRONG).unwrap();
    // 2 % gold, 8 % over-collateralized.
    let text = text
        .replacen("total_usd = 12_060_000_000", "total_usd = 12_960_000_000", 1)
        .replacen("class = \"cash\"\nshare_pct = 15", "class = \"cash\"\nshare_pct = 13", 1)
        .replacen(
            "[[reserves.custodian]]",
            "[[reserves.asset]]\nclass = \"precious-metal\"\nshare_pct = 2\n\n[[reserves.custodian]]",
            1,
        );
    let report = score_text(&text, None);
    assert!(
        !report.caps.iter().any(|c| c.id == "volatile-beyond-buffer"),
        "{:?}",
        report.caps
    );
}

#[test]
fn cap_stale_assurance_when_no_report_is_recent() {
    let report = strong_with(
        "period_end = 2026-08-31\npublished = 2026-09-18",
        "period_end = 2026-04-30\npublished = 2026-05-18",
    );
    assert_capped(&report, "stale-assurance", "C");
}

#[test]
fn cap_reserves_not_ring_fenced() {
    let report = strong_with(
        "legal_structure = \"bankruptcy-remote-trust\"",
        "legal_structure = \"issuer-balance-sheet\"",
    );
    assert_capped(&report, "reserves-not-ring-fenced", "B");
    let undisclosed = strong_with("legal_structure = \"bankruptcy-remote-trust\"\n", "");
    assert!(
        undisclosed
            .caps
            .iter()
            .any(|c| c.id == "reserves-not-ring-fenced")
    );
}

#[test]
fn cap_single_key_mint() {
    let report = strong_with(
        "mint_key_control = \"multisig-hsm\"",
        "mint_key_control = \"single-key\"",
    );
    assert_capped(&report, "single-key-mint", "C");
}

#[test]
fn a_year_later_the_same_file_loses_its_attestation_credit() {
    let text = std::fs::read_to_string(STRONG).unwrap();
    let now = score_text(&text, None);
    let later = score_text(&text, NaiveDate::from_ymd_opt(2027, 9, 30));
    let outcome = |r: &Report, check: &str| finding(r, check).outcome;
    use usd1eval::report::Outcome;
    assert_eq!(outcome(&now, "M10.recent-attestation"), Outcome::Met);
    assert_eq!(outcome(&later, "M10.recent-attestation"), Outcome::Unmet);
    assert!(later.overall.score < now.overall.score);
    assert!(later.caps.iter().any(|c| c.id == "stale-assurance"));
    assert_eq!(later.overall.grade.as_deref(), Some("C"));
    assert_eq!(later.evaluated_as_of, "2027-09-30");
}

// --- The judgment model: unknown is not weak, core facts, fundamentals first.

/// The strong example, each line of the named tables (a table runs until
/// the next header that is not one of its sub-tables) passed through `edit`;
/// `None` drops the line.
fn strong_editing(tables: &[&str], edit: impl Fn(&str) -> Option<String>) -> String {
    let text = std::fs::read_to_string(STRONG).unwrap();
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with('[') {
            let name = line.trim_matches(|c| c == '[' || c == ']');
            inside = tables
                .iter()
                .any(|t| name == *t || name.starts_with(&format!("{t}.")));
        }
        let kept = if inside {
            edit(line)
        } else {
            Some(line.to_string())
        };
        if let Some(kept) = kept {
            out.push_str(&kept);
            out.push('\n');
        }
    }
    out
}

/// The strong example without the named tables.
fn strong_without(tables: &[&str]) -> String {
    strong_editing(tables, |_| None)
}

const PERIPHERAL: [&str; 5] = [
    "compliance",
    "governance",
    "operations",
    "market",
    "resilience",
];

#[test]
fn leaving_peripheral_tables_out_keeps_the_grade_and_lowers_coverage() {
    let full = score_text(&std::fs::read_to_string(STRONG).unwrap(), None);
    let thin = score_text(&strong_without(&PERIPHERAL), None);
    assert_eq!(thin.overall.grade, full.overall.grade);
    assert!(thin.overall.coverage_pct < full.overall.coverage_pct - 20.0);
    assert!((thin.overall.score - full.overall.score).abs() < 3.0);
    // The gaps are still shown: their findings say not-disclosed.
    let gaps = thin
        .milestones
        .iter()
        .flat_map(|m| &m.findings)
        .filter(|f| f.outcome == usd1eval::report::Outcome::NotDisclosed)
        .count();
    assert!(gaps > 40, "{gaps}");
}

#[test]
fn declaring_peripheral_tables_weak_lowers_the_score() {
    let thin = score_text(&strong_without(&PERIPHERAL), None);
    // Every bool of the peripheral tables declared false: known and weak.
    let weak = strong_editing(&PERIPHERAL, |line| Some(line.replace("= true", "= false")));
    let weak = score_text(&weak, None);
    assert!(
        weak.overall.score < thin.overall.score - 5.0,
        "{} vs {}",
        weak.overall.score,
        thin.overall.score
    );
}

#[test]
fn absent_unmet_holds_a_file_to_account_for_every_gap() {
    let text = strong_without(&PERIPHERAL);
    let arrangement = Arrangement::from_source(&SourceFile::new("thin.toml", text)).unwrap();
    let mut strict = common::milestones().clone();
    strict.absent = usd1eval::rubric::Absent::Unmet;
    let unknown = evaluate(
        common::milestones(),
        &[],
        &arrangement,
        arrangement.facts.as_of,
    );
    let unmet = evaluate(&strict, &[], &arrangement, arrangement.facts.as_of);
    assert_eq!(unknown.overall.absent, "unknown");
    assert_eq!(unmet.overall.absent, "unmet");
    assert!(unmet.overall.score < unknown.overall.score - 10.0);
    assert_eq!(unmet.overall.coverage_pct, unknown.overall.coverage_pct);
}

#[test]
fn a_file_without_core_facts_gets_no_grade() {
    let bare = score_text(
        "format = 1\n[arrangement]\nname = \"Bare\"\nas_of = 2026-09-30\n",
        None,
    );
    assert_eq!(bare.overall.grade, None);
    assert_eq!(bare.overall.uncapped_grade, None);
    let missing: Vec<&str> = bare.overall.missing_core.iter().map(|c| &*c.fact).collect();
    for fact in [
        "reserves.asset[]",
        "derived.reserve_coverage_ratio",
        "redemption.eligible",
        "redemption.at_par",
        "reserves.legal_structure",
        "attestation[]",
    ] {
        assert!(missing.contains(&fact), "{fact} in {missing:?}");
    }
    // The strong example without its reserve figures: strong, but not graded.
    let strong = std::fs::read_to_string(STRONG).unwrap();
    let no_total = score_text(&strong.replace("total_usd = 12_060_000_000\n", ""), None);
    assert_eq!(no_total.overall.grade, None);
    assert!(no_total.overall.score > 85.0);
}

#[test]
fn a_known_weak_link_grades_a_file_whatever_else_is_missing() {
    let text = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n\
        [redemption]\neligible = \"none\"\n";
    let r = score_text(text, None);
    assert_eq!(r.overall.grade.as_deref(), Some("F"));
    assert!(!r.overall.missing_core.is_empty());
    // A cap that holds only because a fact is absent does not grade a file.
    let stale = score_text(
        "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n\
        [reserves]\nlegal_structure = \"bankruptcy-remote-trust\"\n",
        None,
    );
    assert!(
        stale
            .caps
            .iter()
            .any(|c| c.id == "stale-assurance" && !c.known)
    );
    assert_eq!(stale.overall.grade, None);
}

#[test]
fn a_reserve_shortfall_costs_in_proportion_to_its_size() {
    // 100.5 % → 94.5 % of units outstanding.
    let full = strong_with("total_usd = 12_060_000_000", "total_usd = 12_060_000_000");
    let short = strong_with("total_usd = 12_060_000_000", "total_usd = 11_340_000_000");
    let lost = full.overall.score - short.overall.score;
    assert!(lost >= 15.0, "a 6 % shortfall cost only {lost:.1}");
    let hit = short
        .overall
        .penalties
        .iter()
        .find(|p| p.id == "reserve-shortfall")
        .unwrap();
    assert!((hit.points - 16.5).abs() < 0.1, "{}", hit.points);
    // A small one costs little, a large one more.
    let slight = strong_with("total_usd = 12_060_000_000", "total_usd = 11_940_000_000");
    let slight_lost = full.overall.score - slight.overall.score;
    assert!(slight_lost < lost / 4.0);
    // An unpublished listing policy costs far less than the 6 % hole.
    let listing = strong_with(
        "listing_policy_published = true",
        "listing_policy_published = false",
    );
    assert!(full.overall.score - listing.overall.score < lost / 5.0);
}

#[test]
fn crisis_haircuts_beyond_the_buffer_cost_by_their_size() {
    let text = std::fs::read_to_string("examples/middling.toml").unwrap();
    // 15 % commercial paper loses 5 % in a crisis: 0.76 % of units, within
    // the 0.94 % buffer, so nothing is charged.
    let base = score_text(&text, None);
    assert!(
        !base
            .overall
            .penalties
            .iter()
            .any(|p| p.id == "volatile-beyond-buffer")
    );
    // The same paper as unknown assets loses half: 7.6 % of units less the
    // buffer, 2 points per point.
    let other = text.replacen("class = \"commercial-paper\"", "class = \"other\"", 1);
    let r = score_text(&other, None);
    let hit = r
        .overall
        .penalties
        .iter()
        .find(|p| p.id == "volatile-beyond-buffer")
        .unwrap();
    assert!((hit.value - 6.63).abs() < 0.01, "{}", hit.value);
    assert!((hit.points - 13.3).abs() < 0.1, "{}", hit.points);
    assert!(r.caps.iter().any(|c| c.id == "volatile-beyond-buffer"));
}

#[test]
fn a_custodian_s_own_report_is_not_independent_assurance() {
    let strong = std::fs::read_to_string(STRONG).unwrap();
    // Every report is made by the first custodian.
    let own = strong.replace(
        "firm = \"Northgate & Partners LLP\"",
        "firm = \"Riverside Custody Bank\"",
    );
    let r = score_text(&own, None);
    let finding = |check: &str| {
        r.milestones
            .iter()
            .flat_map(|m| &m.findings)
            .find(|f| f.check == check)
            .unwrap()
            .clone()
    };
    use usd1eval::report::Outcome;
    assert_eq!(
        finding("M10.recent-attestation").outcome,
        Outcome::NotDisclosed
    );
    assert_eq!(finding("M10.any-recent-report").outcome, Outcome::Met);
    assert!(r.caps.iter().any(|c| c.id == "stale-assurance"));
    assert!(!matches!(r.overall.grade.as_deref(), Some("A" | "B")));
}

#[test]
fn checks_that_cannot_apply_are_not_applicable() {
    use usd1eval::report::Outcome;
    let outcome = |r: &Report, check: &str| finding(r, check).outcome;
    let nobody = strong_with("eligible = \"verified-holders\"", "eligible = \"none\"");
    for check in [
        "M18.par",
        "M18.fee",
        "M18.minimum",
        "M18.settlement",
        "M07.wave-cover",
    ] {
        assert_eq!(outcome(&nobody, check), Outcome::NotApplicable, "{check}");
    }
    let full = score_text(&std::fs::read_to_string(STRONG).unwrap(), None);
    assert_eq!(outcome(&full, "M18.par"), Outcome::Met);
    assert_eq!(outcome(&full, "M08.largest-chain"), Outcome::Met);
    // One chain holding all supply: concentration cannot apply.
    let one_chain = score_text(
        "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n\
        [supply]\noutstanding_usd = 100\n[[chain]]\nname = \"a\"\nsupply_usd = 100\n",
        None,
    );
    assert_eq!(
        outcome(&one_chain, "M08.largest-chain"),
        Outcome::NotApplicable
    );
}

#[test]
fn findings_and_next_steps_follow_one_figure() {
    let r = score_text(
        &std::fs::read_to_string("examples/middling.toml").unwrap(),
        None,
    );
    let mut findings: Vec<_> = r.milestones.iter().flat_map(|m| &m.findings).collect();
    findings.sort_by(|a, b| b.gain.total_cmp(&a.gain).then(a.check.cmp(&b.check)));
    let first = r.next_steps.first().unwrap();
    assert_eq!(first.check, findings[0].check);
    assert!((first.gain - findings[0].gain).abs() < 1e-9);
    // A met or not-applicable finding gains nothing.
    assert!(
        r.milestones
            .iter()
            .flat_map(|m| &m.findings)
            .filter(|f| matches!(
                f.outcome,
                usd1eval::report::Outcome::Met | usd1eval::report::Outcome::NotApplicable
            ))
            .all(|f| f.gain == 0.0)
    );
}

/// A report an outsider knows exists but cannot date: it loads, counts as
/// existing (the core fact, the review check) and never as recent.
#[test]
fn a_report_without_a_date_exists_but_is_never_recent() {
    let text = std::fs::read_to_string(STRONG).unwrap();
    // Every date of every report and review left out.
    let undated: String = text
        .lines()
        .filter(|l| {
            !(l.starts_with("published = 20")
                || l.starts_with("period_end =")
                || l.starts_with("date = "))
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(undated.contains("[[security.review]]") && undated.contains("[[attestation]]"));
    let report = score_text(&undated, None);
    assert!(
        report
            .overall
            .missing_core
            .iter()
            .all(|c| c.fact != "attestation[]")
    );
    assert!(!report.derived.contains_key("security_review_age_days"));
    assert!(!report.derived.contains_key("latest_attestation_age_days"));
    assert_eq!(
        finding(&report, "M15.reviews").outcome,
        usd1eval::report::Outcome::Met
    );
    assert!(report.caps.iter().any(|c| c.id == "stale-assurance"));
    // It exists: the reserve figures it covers rest on independent evidence.
    assert_eq!(report.derived["independent_report_exists"].to_json(), true);
    assert!(report.evidence.independent_pct.unwrap() > 0.0);
}
