//! Any bytes: load as an arrangement (size, UTF-8, TOML, schema, cross-field
//! rules); when it loads, evaluate against the default rubric and every
//! profile, and render every format. Nothing may panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use usd1eval::cli::Format;
use usd1eval::eval::evaluate;
use usd1eval::facts::Arrangement;
use usd1eval::rubric::profile::{Profile, load_profile, names};
use usd1eval::rubric::{Rubric, load_rubric};
use usd1eval::source::SourceFile;

struct Setup {
    rubric: Rubric,
    profiles: Vec<Profile>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| Setup {
        rubric: load_rubric("milestones").unwrap_or_else(|e| panic!("{e:?}")),
        profiles: names().filter_map(|n| load_profile(n).ok()).collect(),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = SourceFile::from_bytes("fuzz.toml".into(), data.to_vec()) else {
        return;
    };
    let Ok(arrangement) = Arrangement::from_source(&source) else {
        return;
    };
    let s = setup();
    let report = evaluate(&s.rubric, &s.profiles, &arrangement, arrangement.facts.as_of);
    assert!((0.0..=100.0).contains(&report.overall.score));
    for format in [Format::Table, Format::Json, Format::Markdown, Format::Sarif, Format::Junit, Format::Github] {
        let _ = usd1eval::render::reports(format, std::slice::from_ref(&report), &s.rubric, usd1eval::render::View { detail: true, ..Default::default() });
    }
});
