//! Property tests: random valid arrangements (built from the format-1 schema)
//! never panic, score within 0–100, give the same bytes twice, and meeting a
//! check never lowers the uncapped overall score; the loader's two readers
//! give the same facts; random corruptions of the examples never panic either.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::OnceLock;

use proptest::prelude::*;
use usd1eval::eval::{evaluate, overall_score};
use usd1eval::facts::Arrangement;
use usd1eval::facts::schema::{Kind, TABLES, Unit};
use usd1eval::report::Report;
use usd1eval::rubric::profile::{Profile, load_profile};
use usd1eval::rubric::{Rubric, load_rubric};
use usd1eval::source::SourceFile;

fn rubric() -> &'static Rubric {
    static RUBRIC: OnceLock<Rubric> = OnceLock::new();
    RUBRIC.get_or_init(|| load_rubric("milestones").unwrap())
}

fn profiles() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        ["genius-2025", "nydfs-2022", "mica-emt-significant"]
            .iter()
            .map(|p| load_profile(p).unwrap())
            .collect()
    })
}

/// A small deterministic generator driven by proptest's seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn date(&mut self) -> String {
        let day = self.below(1000);
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(day);
        date.to_string()
    }
    fn value(&mut self, kind: Kind) -> String {
        match kind {
            Kind::Bool => self.chance(50).to_string(),
            Kind::Number(Unit::Pct) => format!("{}.{}", self.below(100), self.below(10)),
            Kind::Number(_) => match self.below(4) {
                0 => "0".into(),
                1 => format!("{}", self.below(10)),
                2 => format!("{}.5", self.below(1000)),
                _ => format!("{}", self.below(1_000_000_000_000)),
            },
            Kind::Integer(_) => format!("{}", self.below(100_000)),
            Kind::Date => self.date(),
            Kind::Text => format!("\"text {}\"", self.below(1000)),
            Kind::Enum(values) => format!("\"{}\"", self.pick(values).name),
            Kind::EnumList(values) => {
                let items: Vec<String> = values
                    .iter()
                    .filter(|_| self.chance(50))
                    .map(|v| format!("\"{}\"", v.name))
                    .collect();
                format!("[{}]", items.join(", "))
            }
            Kind::CountryList => {
                let items: Vec<String> = ["US", "US-NY", "GB", "SG", "FR"]
                    .iter()
                    .filter(|_| self.chance(50))
                    .map(|v| format!("\"{v}\""))
                    .collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
}

/// A random arrangement that obeys every rule of format 1.
fn arrangement(seed: u64) -> String {
    let mut g = Gen(seed | 1);
    let mut out = String::from("format = 1\n");
    for table in TABLES.iter().filter(|t| !t.path.is_empty()) {
        let entries = if table.path == "arrangement" {
            1
        } else if table.repeated {
            g.below(5)
        } else {
            u64::from(g.chance(70))
        };
        let asset_shares = split_100(&mut g, entries);
        for i in 0..entries {
            out.push_str(&if table.repeated {
                format!("\n[[{}]]\n", table.path)
            } else {
                format!("\n[{}]\n", table.path)
            });
            let mut period_end = None;
            // Required approvals never exceed the signers that exist.
            let signers_total = 1 + g.below(9);
            let signers_required = g.below(signers_total + 1);
            for field in table.fields {
                if !field.required && !g.chance(60) {
                    continue;
                }
                let value = match (table.path, field.name) {
                    ("arrangement", "as_of") => "2026-09-30".to_string(),
                    ("reserves.asset", "share_pct") => asset_shares[i as usize].to_string(),
                    // Each custodian holds at most an equal part, so shares never exceed 100.
                    ("reserves.custodian", "share_pct") => {
                        (g.below(100 / entries.max(1) + 1)).to_string()
                    }
                    ("chain", "name") => format!("\"chain-{i}\""),
                    ("attestation", "period_end") => {
                        let d = g.date();
                        period_end = Some(d.clone());
                        d
                    }
                    // Published on or after the period end.
                    ("attestation", "published") => match &period_end {
                        Some(end) => (chrono::NaiveDate::parse_from_str(end, "%Y-%m-%d").unwrap()
                            + chrono::Days::new(g.below(60)))
                        .to_string(),
                        None => g.date(),
                    },
                    // "None published" would contradict the entries written above.
                    ("transparency", "attestations_none_published")
                    | ("security", "reviews_none_published") => "false".to_string(),
                    ("security", "signers_total") => signers_total.to_string(),
                    ("security", "signers_required") => signers_required.to_string(),
                    _ => g.value(field.kind),
                };
                out.push_str(&format!("{} = {value}\n", field.name));
            }
        }
    }
    out
}

/// `n` integer shares adding up to exactly 100.
fn split_100(g: &mut Gen, n: u64) -> Vec<u64> {
    if n == 0 {
        return Vec::new();
    }
    let mut cuts: Vec<u64> = (0..n - 1).map(|_| g.below(101)).collect();
    cuts.sort_unstable();
    let mut shares = Vec::new();
    let mut last = 0;
    for c in cuts {
        shares.push(c - last);
        last = c;
    }
    shares.push(100 - last);
    shares
}

fn score(text: &str) -> (Report<'static>, Arrangement) {
    let arrangement = match Arrangement::from_source(&SourceFile::new("random.toml", text)) {
        Ok(a) => a,
        Err(errors) => panic!("generator produced an invalid file:\n{text}\n{errors:#?}"),
    };
    let report = evaluate(rubric(), profiles(), &arrangement, arrangement.facts.as_of);
    (report, arrangement)
}

fn in_range(score: Option<f64>) -> bool {
    score.is_none_or(|s| (0.0..=100.0 + 1e-9).contains(&s))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_arrangements_score_within_bounds(seed in any::<u64>()) {
        let text = arrangement(seed);
        let (report, _) = score(&text);
        prop_assert!(in_range(Some(report.overall.score)));
        prop_assert!(in_range(Some(report.overall.coverage_pct)));
        for b in &report.buckets { prop_assert!(in_range(b.score) && in_range(Some(b.coverage_pct))); }
        for l in &report.layers { prop_assert!(in_range(l.score)); }
        for c in &report.matrix { prop_assert!(in_range(c.score)); }
        for m in &report.milestones { prop_assert!(in_range(m.score)); }
        for s in &report.next_steps { prop_assert!(s.gain > 0.0 && s.gain <= 100.0); }
    }

    #[test]
    fn meeting_a_check_never_lowers_the_uncapped_score(seed in any::<u64>()) {
        let text = arrangement(seed);
        let (report, _) = score(&text);
        let before = overall_score(rubric(), &report);
        prop_assert!((before - report.overall.score).abs() < 1e-9);
        for (mi, m) in report.milestones.iter().enumerate() {
            for (fi, f) in m.findings.iter().enumerate() {
                if !f.outcome.is_applicable() || f.lost() <= 0.0 {
                    continue;
                }
                let mut met = report.clone();
                let finding = &mut met.milestones[mi].findings[fi];
                finding.earned = finding.points;
                finding.outcome = usd1eval::report::Outcome::Met;
                let after = overall_score(rubric(), &met);
                prop_assert!(after >= before - 1e-9, "{}", f.check);
                if before > 0.0 && after > 0.0 {
                    prop_assert!((after - before - f.gain).abs() < 1e-9, "gain of {}", f.check);
                }
            }
        }
    }

    #[test]
    fn corrupted_examples_never_panic(which in 0usize..3, cut in any::<u64>(), len in 0usize..40, noise in "\\PC{0,12}") {
        let path = ["examples/strong-regulated.toml", "examples/middling.toml", "examples/weak.toml"][which];
        let text = std::fs::read_to_string(path).unwrap();
        let at = (cut as usize) % text.len();
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (at + len).min(text.len());
        let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        let corrupted = format!("{}{noise}{}", &text[..at], &text[end..]);
        if let Ok(arrangement) = Arrangement::from_source(&SourceFile::new("corrupted.toml", corrupted)) {
            let report = evaluate(rubric(), profiles(), &arrangement, arrangement.facts.as_of);
            prop_assert!(in_range(Some(report.overall.score)));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let _ = Arrangement::from_source(&SourceFile::new("arbitrary.toml", text));
    }
}

proptest! {
    // Output order depends on no hash or clock, so a few dozen files show a
    // difference as well as hundreds would: each case scores twice and
    // renders JSON and SARIF, the slowest property of the suite.
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn the_same_input_gives_the_same_bytes(seed in any::<u64>()) {
        let text = arrangement(seed);
        let (first, _) = score(&text);
        let (second, _) = score(&text);
        let render = |r: &Report| usd1eval::render::json::pretty(r);
        prop_assert_eq!(render(&first), render(&second));
        let rendered = usd1eval::render::reports(usd1eval::cli::Format::Sarif, &[first], rubric(), usd1eval::render::View::default());
        prop_assert_eq!(rendered, usd1eval::render::reports(usd1eval::cli::Format::Sarif, &[second], rubric(), usd1eval::render::View::default()));
    }
}
