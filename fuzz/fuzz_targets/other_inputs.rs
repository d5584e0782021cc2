//! Any bytes as each of the other inputs: a rubric, a profile, a waiver
//! file, a stress scenario and a baseline report. What loads is used: a
//! rubric scores an example, a profile and a scenario are run against it,
//! waivers are applied to its report. Nothing may panic, and no score may be
//! NaN or outside 0–100.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use usd1eval::eval::evaluate;
use usd1eval::facts::Arrangement;
use usd1eval::gate::{Baselines, apply_waivers, parse_waivers};
use usd1eval::rubric::profile::parse_profile;
use usd1eval::rubric::{Rubric, load_rubric, parse_rubric};
use usd1eval::source::SourceFile;

struct Setup {
    rubric: Rubric,
    arrangement: Arrangement,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let text = include_str!("../../examples/middling.toml");
        let source = SourceFile::new("middling.toml", text);
        Setup {
            rubric: load_rubric("milestones").unwrap_or_else(|e| panic!("{e:?}")),
            arrangement: Arrangement::from_source(&source).unwrap_or_else(|e| panic!("{e:?}")),
        }
    })
}

fn score_in_range(score: f64) {
    assert!((0.0..=100.0).contains(&score), "score {score}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = SourceFile::from_bytes("fuzz.toml".into(), data.to_vec()) else {
        return;
    };
    let s = setup();
    let as_of = s.arrangement.facts.as_of;
    if let Ok(rubric) = parse_rubric(&source) {
        score_in_range(evaluate(&rubric, &[], &s.arrangement, as_of).overall.score);
    }
    if let Ok(profile) = parse_profile(&source) {
        let report = evaluate(&s.rubric, &[profile], &s.arrangement, as_of);
        score_in_range(report.overall.score);
    }
    if let Ok(scenario) = usd1eval::stress::scenario::parse_scenario(&source, "fuzz") {
        let _ = usd1eval::stress::run(&s.arrangement.facts, &[scenario]);
    }
    if let Ok(waivers) = parse_waivers(&source, &s.rubric) {
        let mut report = evaluate(&s.rubric, &[], &s.arrangement, as_of);
        let _ = apply_waivers(&mut report, &waivers, "fuzz.toml", as_of, true);
        score_in_range(report.overall.score);
    }
    if let Ok(baselines) = Baselines::parse(&source) {
        let report = evaluate(&s.rubric, &[], &s.arrangement, as_of);
        for baseline in &baselines.reports {
            let _ = usd1eval::gate::regressions_between(&report, baseline, 0.0);
        }
    }
});
