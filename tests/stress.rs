//! `usd1eval stress` end to end, and the stress section of `score`.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{assert_succeeded, scratch, usd1eval};
use serde_json::Value;

const MIDDLING: &str = "examples/middling.toml";
const WEAK: &str = "examples/weak.toml";
/// The built-in scenario ids, written out: they are a contract (CLI.md), so
/// the test states them rather than reading them from the code.
const IDS: [&str; 10] = [
    "run-30-5",
    "bank-failure",
    "bank-failure-rescued",
    "svb-2023",
    "market-shock",
    "rate-shock",
    "chain-outage",
    "run-may-2022",
    "run-march-2023",
    "wind-down-2023",
];

fn stress_json(args: &[&str]) -> Value {
    let out = usd1eval().arg("stress").args(args).output().unwrap();
    assert_succeeded(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(run: &Value) -> Vec<String> {
    run["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn json_has_the_built_in_scenarios_and_the_reverse_test() {
    let run = stress_json(&["--format", "json", MIDDLING]);
    assert_eq!(run["arrangement"]["path"], MIDDLING);
    assert_eq!(ids(&run), IDS);
    for s in run["scenarios"].as_array().unwrap() {
        for key in [
            "title",
            "survives",
            "shortfall_usd",
            "first_shortfall_day",
            "min_coverage_ratio",
            "why",
            "days",
        ] {
            assert!(s.get(key).is_some(), "{key} in {s}");
        }
    }
    let m = &run["max_redeemable_pct"];
    let (t0, t1, t5) = (
        m["t0"].as_f64().unwrap(),
        m["t1"].as_f64().unwrap(),
        m["t5"].as_f64().unwrap(),
    );
    assert!(t0 <= t1 && t1 <= t5 && t5 <= 100.0);
}

#[test]
fn several_files_give_json_lines_in_argument_order() {
    let out = usd1eval()
        .args(["stress", "--format", "json", WEAK, MIDDLING])
        .output()
        .unwrap();
    assert_succeeded(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    let paths: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["arrangement"]["path"].to_string())
        .collect();
    assert_eq!(paths, [format!("\"{WEAK}\""), format!("\"{MIDDLING}\"")]);
}

#[test]
fn scenarios_can_be_chosen_and_written() {
    let dir = scratch("stress-scenario");
    let file = dir.join("deep-run.toml");
    std::fs::write(
        &file,
        "title = \"Bills down 5 %\"\nredemptions_pct = [25, 25]\n[price_shock_pct]\ntbill = 5\n",
    )
    .unwrap();
    let run = stress_json(&[
        "--format",
        "json",
        "--scenario",
        "svb-2023",
        "--scenario",
        file.to_str().unwrap(),
        MIDDLING,
    ]);
    assert_eq!(ids(&run), ["svb-2023", "deep-run"]);
    // 55 % of the reserves in bills losing 5 % is more than its 0.9 % buffer.
    assert_eq!(run["scenarios"][1]["survives"], false);
}

#[test]
fn a_bad_scenario_file_is_located_and_exits_2() {
    let dir = scratch("stress-bad");
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        "title = \"X\"\nredemptions_pct = [10]\n[[freeze]]\ncustodain = \"largest-bank\"\ndays = 5\n",
    )
    .unwrap();
    let out = usd1eval()
        .args(["stress", "--scenario", file.to_str().unwrap(), MIDDLING])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.toml:4:1"), "{stderr}");
    assert!(stderr.contains("did you mean `custodian`?"), "{stderr}");
}

#[test]
fn an_unknown_scenario_id_suggests_the_built_in_one() {
    let out = usd1eval()
        .args(["stress", "--scenario", "svb-2032", MIDDLING])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("svb-2023"), "{stderr}");
}

#[test]
fn an_invalid_arrangement_exits_2_and_the_others_are_still_tested() {
    let out = usd1eval()
        .args([
            "stress",
            "--format",
            "json",
            "tests/bad-inputs/nan.toml",
            MIDDLING,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn table_markdown_and_html_show_every_scenario() {
    for format in ["table", "markdown", "html"] {
        let out = usd1eval()
            .args(["stress", "--color", "never", "--format", format, MIDDLING])
            .output()
            .unwrap();
        assert_succeeded(&out);
        let text = String::from_utf8(out.stdout).unwrap();
        for id in IDS {
            assert!(text.contains(id), "{format} lacks {id}");
        }
        assert!(text.contains("Reverse stress test"), "{format}");
    }
}

#[test]
fn the_html_page_is_self_contained_with_a_chart_per_scenario() {
    let out = usd1eval()
        .args(["stress", "--format", "html", MIDDLING])
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        html.matches("<svg class=\"stress-chart\"").count(),
        IDS.len()
    );
    assert!(html.contains("class=\"demand\"") && html.contains("class=\"liquidity\""));
    let without_namespace = html.replace("http://www.w3.org/2000/svg", "");
    assert!(!without_namespace.contains("http"), "no network references");
    roxmltree::Document::parse(&html[html.find("<svg").unwrap()..html.find("</svg>").unwrap() + 6])
        .unwrap();
}

#[test]
fn every_score_report_carries_the_stress_section() {
    let out = usd1eval()
        .args(["score", "--format", "json", WEAK])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ids(&report["stress"]), IDS);
    // The weak file is under-reserved: the base run fails from day 0.
    assert_eq!(report["stress"]["scenarios"][0]["survives"], false);
    assert_eq!(report["stress"]["scenarios"][0]["first_shortfall_day"], 0);
    let html = usd1eval()
        .args(["score", "--format", "html", WEAK])
        .output()
        .unwrap()
        .stdout;
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("<svg class=\"stress-chart\""));
}

#[test]
fn the_stress_command_matches_the_score_report() {
    let run = stress_json(&["--format", "json", MIDDLING]);
    let out = usd1eval()
        .args(["score", "--format", "json", MIDDLING])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut scenarios = run["scenarios"].clone();
    for s in scenarios.as_array_mut().unwrap() {
        assert!(!s["days"].as_array().unwrap().is_empty());
        s.as_object_mut().unwrap().remove("days");
    }
    assert_eq!(scenarios, report["stress"]["scenarios"]);
    assert_eq!(
        run["max_redeemable_pct"],
        report["stress"]["max_redeemable_pct"]
    );
}

#[test]
fn explain_describes_a_built_in_scenario() {
    let out = usd1eval().args(["explain", "svb-2023"]).output().unwrap();
    assert_succeeded(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Silicon Valley Bank, Signature Bank, Silvergate (deposits) for 1 day"),
        "{text}"
    );
    assert!(text.contains("per calendar day from 2023-03-10"), "{text}");
    assert!(text.contains("stress.svb-2023.survives"));
    let out = usd1eval().args(["explain", "svb-2033"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("svb-2023"));
}

#[test]
fn the_scenario_example_in_the_docs_is_valid() {
    let docs = std::fs::read_to_string("docs/stress.md").unwrap();
    let start = docs.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + docs[start..].find("```").unwrap();
    let source = usd1eval::source::SourceFile::new("docs/stress.md", &docs[start..end]);
    let s = usd1eval::stress::scenario::parse_scenario(&source, "example").unwrap();
    assert_eq!(s.freezes.len(), 2);
    assert_eq!(s.outages.len(), 1);
}

#[test]
fn the_json_follows_its_schema() {
    let schema = usd1eval::render::reference::stress_json_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for file in [MIDDLING, WEAK, "examples/strong-regulated.toml"] {
        let run = stress_json(&["--format", "json", file]);
        let errors: Vec<String> = validator.iter_errors(&run).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
    let out = usd1eval().args(["schema", "stress"]).output().unwrap();
    assert_succeeded(&out);
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, schema);
    // Each scenario's days are required.
    let mut run = stress_json(&["--format", "json", MIDDLING]);
    run["scenarios"][0].as_object_mut().unwrap().remove("days");
    assert!(!validator.is_valid(&run));
}
