//! Snapshots of the examples' JSON reports, taken from the library: a change
//! in scoring or in the report's shape shows up as a reviewed diff.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use usd1eval::eval::evaluate;
use usd1eval::facts::Arrangement;
use usd1eval::render::json;
use usd1eval::rubric::load_rubric;
use usd1eval::source::SourceFile;

fn report_json(path: &str) -> String {
    let source = SourceFile::read(path).unwrap();
    let arrangement = Arrangement::from_source(&source).unwrap();
    let rubric = load_rubric("milestones").unwrap();
    String::from_utf8(json::pretty(&evaluate(
        &rubric,
        &[],
        &arrangement,
        arrangement.facts.as_of,
    )))
    .unwrap()
}

#[test]
fn strong_regulated_report() {
    insta::assert_snapshot!(report_json("examples/strong-regulated.toml"));
}

#[test]
fn middling_report() {
    insta::assert_snapshot!(report_json("examples/middling.toml"));
}

#[test]
fn weak_report() {
    insta::assert_snapshot!(report_json("examples/weak.toml"));
}
