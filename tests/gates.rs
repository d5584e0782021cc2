//! CI gatekeeping: each gate passing and failing, baselines judged item by
//! item, waivers, and the machine formats.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{repository_with, score_json, scratch, usd1eval, write};
use predicates::prelude::*;
use serde_json::Value;

const STRONG: &str = "examples/strong-regulated.toml";
const MIDDLING: &str = "examples/middling.toml";
const WEAK: &str = "examples/weak.toml";

/// The middling example with replacements, written to a scratch file.
fn middling_with(dir: &std::path::Path, edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(MIDDLING).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?}");
        text = text.replacen(from, to, 1);
    }
    let path = dir.join("arrangement.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn baseline_of(dir: &std::path::Path, file: &str) -> String {
    let out = usd1eval()
        .args(["score", "--format", "json", file])
        .output()
        .unwrap();
    let path = dir.join("baseline.json");
    std::fs::write(&path, out.stdout).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn fail_under() {
    usd1eval()
        .args(["score", "--quiet", "--fail-under", "50", MIDDLING])
        .assert()
        .success();
    usd1eval()
        .args(["score", "--quiet", "--fail-under", "65", MIDDLING])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "fail-under: overall score 62.8 is below 65",
        ));
    usd1eval()
        .args(["score", "--fail-under", "101", MIDDLING])
        .assert()
        .code(2);
}

#[test]
fn min_grade() {
    usd1eval()
        .args(["score", "--quiet", "--min-grade", "C", MIDDLING])
        .assert()
        .success();
    usd1eval()
        .args(["score", "--quiet", "--min-grade", "B", MIDDLING])
        .assert()
        .code(1);
    usd1eval()
        .args(["score", "--quiet", "--min-grade", "Z", MIDDLING])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("grades: A, B, C, D, F"));
}

#[test]
fn fail_on_cap() {
    usd1eval()
        .args(["score", "--quiet", "--fail-on-cap", STRONG])
        .assert()
        .success();
    // The middling file's commercial paper loses less in a crisis than its
    // buffer: no cap.
    usd1eval()
        .args(["score", "--quiet", "--fail-on-cap", MIDDLING])
        .assert()
        .success();
    usd1eval()
        .args(["score", "--quiet", "--fail-on-cap", WEAK])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cap volatile-beyond-buffer"));
}

#[test]
fn fail_on_outrun() {
    usd1eval()
        .args(["score", "--quiet", "--fail-on-outrun", STRONG])
        .assert()
        .success();
    usd1eval()
        .args(["score", "--quiet", "--fail-on-outrun", MIDDLING])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("growth outruns strength"));
}

#[test]
fn require_profile() {
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--require-profile",
            "genius-2025",
            STRONG,
        ])
        .assert()
        .success();
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--require-profile",
            "genius-2025",
            MIDDLING,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("GENIUS-eligible-assets (fail)"))
        // Both files are dated before the Act applies: the gate is on
        // readiness, and says so.
        .stderr(predicate::str::contains("profile genius-2025 would fail"))
        .stderr(predicate::str::contains(
            "Readiness only: not in force until 2027-01-18",
        ));
    // The middling example holds a state licence, none from New York: the
    // guidance does not cover it, and a gate that asks for it fails, saying so.
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--require-profile",
            "nydfs-2022",
            MIDDLING,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("profile nydfs-2022 out of scope"))
        .stderr(predicate::str::contains(
            "Out of scope: the guidance is addressed to",
        ));
}

#[test]
fn gate_failures_are_in_the_report_and_printed_last_in_the_table() {
    let out = usd1eval()
        .args(["score", "--fail-under", "65", MIDDLING])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let tail: Vec<&str> = text.trim_end().lines().rev().take(2).collect();
    assert_eq!(tail[1], "Gates FAILED:");
    let json = usd1eval()
        .args(["score", "--format", "json", "--fail-under", "65", MIDDLING])
        .output()
        .unwrap();
    assert_eq!(
        json.status.code(),
        Some(1),
        "the exit code does not depend on the format"
    );
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["gates"]["passed"], false);
    assert_eq!(report["gates"]["failures"][0]["gate"], "fail-under");
}

#[test]
fn a_baseline_equal_to_itself_passes() {
    let dir = scratch("baseline-self");
    let baseline = baseline_of(&dir, MIDDLING);
    usd1eval()
        .args(["score", "--quiet", "--baseline", &baseline, MIDDLING])
        .assert()
        .success();
}

#[test]
fn a_regression_paid_for_by_an_improvement_elsewhere_still_fails() {
    let dir = scratch("baseline-paid");
    let baseline = baseline_of(&dir, MIDDLING);
    // Slower settlement (worse) and custodians now named, plus a controls
    // attestation (better): the overall score rises, M18 still regresses.
    let changed = middling_with(
        &dir,
        &[
            ("settlement_days = 2", "settlement_days = 5"),
            ("custodians_named = false", "custodians_named = true"),
            (
                "key_controls_described = false",
                "key_controls_described = true",
            ),
            (
                "supply_reconciled_to_reserves = false",
                "supply_reconciled_to_reserves = true",
            ),
            (
                "attestation_scope_explained = false",
                "attestation_scope_explained = true",
            ),
        ],
    );
    let new: Value = serde_json::from_slice(
        &usd1eval()
            .args(["score", "--format", "json", &changed])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let old: Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert!(
        new["overall"]["score"].as_f64() > old["overall"]["score"].as_f64(),
        "the overall score improved"
    );
    usd1eval()
        .args(["score", "--quiet", "--baseline", &baseline, &changed])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "milestone M18 fell from 75.8 to 70.4 (M18.settlement partial → partial)",
        ));
    // Within tolerance it passes.
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--baseline",
            &baseline,
            "--tolerance",
            "6",
            &changed,
        ])
        .assert()
        .success();
}

#[test]
fn a_new_cap_and_a_lost_profile_requirement_are_regressions() {
    let dir = scratch("baseline-cap");
    let strong_json = dir.join("strong.json");
    let out = usd1eval()
        .args([
            "score",
            "--format",
            "json",
            "--profile",
            "genius-2025",
            STRONG,
        ])
        .output()
        .unwrap();
    std::fs::write(&strong_json, out.stdout).unwrap();
    let text = std::fs::read_to_string(STRONG)
        .unwrap()
        .replace(
            "mint_key_control = \"multisig-hsm\"",
            "mint_key_control = \"single-key\"",
        )
        .replace(
            "yield_paid_to_holders = false",
            "yield_paid_to_holders = true",
        );
    let changed = dir.join("changed.toml");
    std::fs::write(&changed, text).unwrap();
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--profile",
            "genius-2025",
            "--baseline",
            strong_json.to_str().unwrap(),
            changed.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cap single-key-mint now applies"))
        .stderr(predicate::str::contains(
            "requirement GENIUS-no-yield was pass, now fail",
        ));
}

/// A requirement that passed under an earlier reading and is now
/// `not-assessable` (NYDFS custodians no longer need to be in the US, which
/// format 1 cannot settle) is not a regression of the facts.
#[test]
fn a_requirement_that_became_not_assessable_is_no_regression() {
    let dir = scratch("baseline-not-assessable");
    let out = usd1eval()
        .args([
            "score",
            "--format",
            "json",
            "--profile",
            "nydfs-2022",
            STRONG,
        ])
        .output()
        .unwrap();
    let mut report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let custodians = report["profiles"][0]["requirements"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["id"] == "NYDFS-custodians")
        .unwrap();
    assert_eq!(custodians["outcome"], "not-assessable");
    custodians["outcome"] = "pass".into();
    let baseline = dir.join("before.json");
    std::fs::write(&baseline, report.to_string()).unwrap();
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--profile",
            "nydfs-2022",
            "--baseline",
            baseline.to_str().unwrap(),
            STRONG,
        ])
        .assert()
        .success();
}

#[test]
fn a_baseline_of_another_schema_version_is_refused() {
    let dir = scratch("baseline-version");
    let path = dir.join("old.json");
    std::fs::write(&path, "{\"schema_version\": 2, \"milestones\": []}").unwrap();
    usd1eval()
        .args(["score", "--baseline", path.to_str().unwrap(), MIDDLING])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "schema_version 2; this build reads schema_version 1",
        ));
    std::fs::write(&path, "{ not json").unwrap();
    usd1eval()
        .args(["score", "--baseline", path.to_str().unwrap(), MIDDLING])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid JSON"));
}

#[test]
fn a_waiver_exempts_its_check_from_the_regression_gate_and_shows_as_waived() {
    let dir = scratch("waiver");
    let baseline = baseline_of(&dir, MIDDLING);
    let changed = middling_with(&dir, &[("settlement_days = 2", "settlement_days = 5")]);
    let out = usd1eval()
        .args([
            "score",
            "--format",
            "json",
            "--baseline",
            &baseline,
            "--waivers",
            "tests/fixtures/waivers/m18.toml",
            &changed,
        ])
        .output()
        .unwrap();
    common::assert_succeeded(&out);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = report["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["findings"].as_array().unwrap())
        .find(|f| f["check"] == "M18.settlement")
        .unwrap()
        .clone();
    assert_eq!(finding["waived"], "bank migration until January");
    assert_eq!(
        finding["outcome"], "partial",
        "a waiver never changes the finding itself"
    );
}

#[test]
fn expired_and_unused_waivers() {
    let dir = scratch("waiver-expired");
    let baseline = baseline_of(&dir, MIDDLING);
    let changed = middling_with(&dir, &[("settlement_days = 2", "settlement_days = 5")]);
    usd1eval()
        .args(["score", "--quiet", "--baseline", &baseline, "--waivers", "tests/fixtures/waivers/expired-and-unused.toml", &changed])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("waiver for `M18.settlement` expired on 2026-06-30; it no longer applies"))
        .stderr(predicate::str::contains("warning[waiver]: waiver for `M01` matches no finding that costs points\n --> tests/fixtures/waivers/expired-and-unused.toml:6:1"));
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--waivers",
            "tests/fixtures/waivers/expired-and-unused.toml",
            "--deny-unused-waivers",
            STRONG,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[waiver]: "))
        .stderr(predicate::str::contains(
            "--> tests/fixtures/waivers/expired-and-unused.toml:6:1",
        ));
}

#[test]
fn a_bad_waiver_file_is_refused_with_every_problem() {
    usd1eval()
        .args([
            "score",
            "--waivers",
            "tests/fixtures/waivers/bad.toml",
            STRONG,
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "waiver names unknown check `M18.setlement`\n --> tests/fixtures/waivers/bad.toml:2:9",
        ))
        .stderr(predicate::str::contains(
            "waiver for `M18` has no `reason`\n --> tests/fixtures/waivers/bad.toml:5:1",
        ));
}

#[test]
fn sarif_has_every_milestone_as_a_rule_and_every_result_located() {
    let out = usd1eval()
        .args(["score", "--format", "sarif", STRONG, MIDDLING])
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for run in runs {
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 33, "every milestone is a rule on every run");
        for result in run["results"].as_array().unwrap() {
            let location = &result["locations"][0]["physicalLocation"];
            assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
            assert!(
                !location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .is_empty()
            );
            let fingerprint = result["partialFingerprints"]["usd1evalCheck/v1"]
                .as_str()
                .unwrap();
            assert_eq!(fingerprint.len(), 64);
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
        }
    }
    assert!(runs[1]["results"].as_array().unwrap().len() > 50);
}

#[test]
fn sarif_fingerprints_do_not_depend_on_line_numbers() {
    let dir = scratch("sarif-lines");
    let shifted = middling_with(
        &dir,
        &[("format = 1", "format = 1\n\n\n# three lines added above")],
    );
    let fingerprints = |file: &str| -> Vec<String> {
        let log: Value = serde_json::from_slice(
            &usd1eval()
                .args(["score", "--format", "sarif", file])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["usd1evalCheck/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(fingerprints(MIDDLING), fingerprints(&shifted));
}

#[test]
fn junit_is_well_formed_with_a_case_per_check() {
    let out = usd1eval()
        .args(["score", "--format", "junit", MIDDLING])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let report: Value = serde_json::from_slice(
        &usd1eval()
            .args(["score", "--format", "json", MIDDLING])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let checks: usize = report["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(cases.len(), checks);
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(
        doc.root_element().attribute("failures").unwrap(),
        failures.to_string()
    );
}

#[test]
fn github_annotations_are_located() {
    usd1eval()
        .args([
            "score",
            "--format",
            "github",
            "--fail-under",
            "90",
            MIDDLING,
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "::error file=examples/middling.toml,line=205,title=M22.policy unmet::",
        ))
        .stdout(predicate::str::contains(
            "::error file=examples/middling.toml,title=usd1eval gate fail-under::",
        ));
}

#[test]
fn markdown_comment() {
    usd1eval()
        .args(["score", "--format", "markdown", MIDDLING])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "## usd1eval: Meridian Pay Dollar — grade C",
        ))
        .stdout(predicate::str::contains("**Growth outruns strength**"))
        .stdout(predicate::str::contains(
            "| Reserve quality and custody | 75.2 | B | 100.0% |",
        ));
}

#[test]
fn output_writes_several_formats_in_one_run() {
    let dir = scratch("outputs");
    let sarif = dir.join("r.sarif");
    let junit = dir.join("r.xml");
    let out = usd1eval()
        .args(["score", "--quiet", "--fail-under", "90"])
        .arg(format!("--output=sarif={}", sarif.display()))
        .arg(format!("--output=junit={}", junit.display()))
        .arg(MIDDLING)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "reports are written even when a gate fails"
    );
    assert!(out.stdout.is_empty());
    serde_json::from_str::<Value>(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    roxmltree::Document::parse(&std::fs::read_to_string(&junit).unwrap()).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );
    usd1eval()
        .args(["score", "--output", "yaml=x.yaml", MIDDLING])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown format `yaml`"));
}

#[test]
fn diff_exit_codes_and_contents() {
    let dir = scratch("diff");
    let baseline = baseline_of(&dir, MIDDLING);
    let changed = middling_with(
        &dir,
        &[
            ("settlement_days = 2", "settlement_days = 5"),
            ("custodians_named = false", "custodians_named = true"),
        ],
    );
    // Arrangement files on both sides: facts, findings and scores.
    usd1eval()
        .args(["diff", MIDDLING, &changed])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("redemption.settlement_days"))
        .stdout(predicate::str::contains("M09.custodians-named"))
        .stdout(predicate::str::contains(
            "milestone M18 fell from 75.8 to 70.4",
        ));
    // The same change the other way round is an improvement only… except M09.
    usd1eval()
        .args(["diff", &changed, MIDDLING])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("milestone M09 fell"));
    // A JSON report against the file it came from: nothing changed.
    usd1eval()
        .args(["diff", &baseline, MIDDLING])
        .assert()
        .success()
        .stdout(predicate::str::contains("No regression."));
    let out = usd1eval()
        .args(["diff", "--format", "json", &baseline, &changed])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["regression"], true);
    assert_eq!(
        d["facts"].as_array().unwrap().len(),
        0,
        "facts are compared only between two arrangement files"
    );
    assert!(
        d["scores"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "bucket" && s["id"] == "transparency")
    );
    usd1eval()
        .args(["diff", "--format", "markdown", MIDDLING, &changed])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("## usd1eval diff: regression"));
    usd1eval()
        .args(["diff", "--tolerance", "6", MIDDLING, &changed])
        .assert()
        .success();
}

#[test]
fn diff_refuses_bad_sides() {
    let dir = scratch("diff-bad");
    let old = dir.join("old.json");
    std::fs::write(&old, "{\"schema_version\": 7}").unwrap();
    usd1eval()
        .args(["diff", old.to_str().unwrap(), MIDDLING])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("schema_version 7"));
    usd1eval()
        .args(["diff", "tests/fixtures/several-errors.toml", MIDDLING])
        .assert()
        .code(2);
}

#[test]
fn compare_puts_arrangements_side_by_side() {
    let out = usd1eval()
        .args(["compare", STRONG, MIDDLING, "examples/weak.toml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0].starts_with("Arrangement") && rows[0].contains("Outrun"));
    let harbor: Vec<&str> = rows[2].split_whitespace().collect();
    assert_eq!(
        &harbor[..7],
        ["Harbor", "Trust", "Dollar", "99.6", "A", "(high)", "100.0%"]
    );
    assert!(rows[3].starts_with("Meridian Pay Dollar") && rows[3].contains("YES"));
    let out = usd1eval()
        .args(["compare", "--format", "json", STRONG, MIDDLING])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["arrangements"].as_array().unwrap().len(), 2);
    assert_eq!(v["arrangements"][1]["stage"]["outruns"], true);
    usd1eval()
        .args(["compare", "--format", "markdown", STRONG, MIDDLING])
        .assert()
        .success()
        // Parentheses are escaped, as in every Markdown cell: they render as
        // written and can never close a link.
        .stdout(predicate::str::contains(
            "| Harbor Trust Dollar | 99.6 | A \\(high\\) |",
        ));
}

#[test]
fn the_ci_script_gates_a_file_against_the_main_branch() {
    let dir = scratch("ci-script");
    repository_with(&dir, MIDDLING, "arrangement.toml");
    let binary = assert_cmd::cargo::cargo_bin("usd1eval");
    let script = std::fs::canonicalize("examples/ci/gate.sh").unwrap();
    let run = || {
        std::process::Command::new("bash")
            .arg(&script)
            .arg("arrangement.toml")
            .env("BASE_REF", "main")
            .current_dir(&dir)
            .env("USD1EVAL", &binary)
            .env("USD1EVAL_ARGS", "--quiet")
            // Cargo sets OUT_DIR for tests of a crate with a build script;
            // the script would write its reports there.
            .env_remove("OUT_DIR")
            .output()
            .unwrap()
    };
    let unchanged = run();
    assert_eq!(
        unchanged.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&unchanged.stderr)
    );
    let text = std::fs::read_to_string(MIDDLING)
        .unwrap()
        .replace("settlement_days = 2", "settlement_days = 5");
    std::fs::write(dir.join("arrangement.toml"), text).unwrap();
    let regressed = run();
    assert_eq!(regressed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&regressed.stderr).contains("milestone M18 fell"));
    for report in [
        "usd1eval.sarif",
        "usd1eval.md",
        "usd1eval.xml",
        "baseline.jsonl",
    ] {
        assert!(
            dir.join("usd1eval-reports").join(report).exists(),
            "{report}"
        );
    }
}

#[test]
fn an_ungraded_file_fails_every_grade_and_score_gate_and_says_why_in_every_format() {
    let dir = scratch("ungraded");
    let bare = write(
        &dir,
        "bare.toml",
        "format = 1\n[arrangement]\nname = \"Bare Dollar\"\nas_of = 2026-09-30\n",
    );
    // Scored without gates, it is no failure: the file was evaluated.
    let table = usd1eval().args(["score", &bare]).output().unwrap();
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("NOT GRADED: INSUFFICIENT EVIDENCE"), "{text}");
    assert!(text.contains("Core facts missing (no grade without them)"));
    // A cap on an ungraded file lowers nothing, and one that rests on an
    // undisclosed fact says so.
    assert!(text.contains(
        "Cap stale-assurance would cap the grade at C, assumed because a fact it needs is not disclosed"
    ), "{text}");
    // Stress cannot run without reserve figures, and says why.
    assert!(text.contains("Stress: not run: "), "{text}");
    for gate in [["--fail-under", "0"], ["--min-grade", "F"]] {
        usd1eval()
            .args(["score", "--quiet"])
            .args(gate)
            .arg(&bare)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "not graded: insufficient evidence: the file does not declare",
            ));
    }
    let json = score_json(&[&bare]);
    assert!(json["overall"]["grade"].is_null());
    assert!(json["overall"]["uncapped_grade"].is_null());
    assert_eq!(json["overall"]["missing_core"].as_array().unwrap().len(), 6);
    for format in ["markdown", "sarif", "html", "github"] {
        let out = usd1eval()
            .args(["score", "--format", format, &bare])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("not graded: insufficient evidence"),
            "{format}: {text}"
        );
    }
}

#[test]
fn a_fact_declared_in_the_baseline_and_now_absent_is_a_regression() {
    let dir = scratch("deleted-fact");
    let baseline = baseline_of(&dir, MIDDLING);
    // Deleting a weak fact raises its milestone when absent facts are left
    // out of the scores; the gate still catches it.
    let deleted = middling_with(&dir, &[("listing_policy_published = false\n", "")]);
    usd1eval()
        .args(["score", "--quiet", "--baseline", &baseline, &deleted])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "check M22.policy: `market.listing_policy_published` was declared and is now absent",
        ));
    usd1eval()
        .args(["diff", MIDDLING, &deleted])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("was declared and is now absent"));
}

/// An arrangement graded A from public facts alone, at about a fifth of the
/// format: most of its checks read facts it does not disclose.
const PUBLIC_A: &str = "examples/calibration/public/ny-trust-repo-deposits.toml";

fn run_stdout(args: &[&str]) -> String {
    String::from_utf8(usd1eval().args(args).output().unwrap().stdout).unwrap()
}

/// The checks of a report whose outcome is `not-disclosed`.
fn not_disclosed_checks(report: &Value) -> Vec<String> {
    report["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["findings"].as_array().unwrap())
        .filter(|f| f["outcome"] == "not-disclosed")
        .map(|f| f["check"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn machine_formats_leave_out_what_is_not_disclosed() {
    let report = score_json(&[PUBLIC_A]);
    assert_eq!(report["overall"]["grade"], "A");
    assert!(report["overall"]["coverage_pct"].as_f64().unwrap() < 30.0);
    let gaps = not_disclosed_checks(&report);
    assert!(gaps.len() > 100, "{}", gaps.len());

    // JUnit: each gap is a skipped case saying why; no failure is a gap.
    let junit = run_stdout(&["score", "--format", "junit", PUBLIC_A]);
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    for case in &cases {
        let name = case.attribute("name").unwrap();
        let failed = case.children().any(|c| c.has_tag_name("failure"));
        let skipped = case
            .children()
            .find(|c| c.has_tag_name("skipped"))
            .and_then(|c| c.attribute("message"));
        if gaps.iter().any(|g| g == name) {
            assert!(!failed, "{name} fails in JUnit");
            assert!(
                skipped
                    .unwrap()
                    .starts_with("not disclosed, left out of the score"),
                "{name}: {skipped:?}"
            );
        }
    }
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert!(failures < 10, "{failures}");
    let root = doc.root_element();
    assert_eq!(root.attribute("failures").unwrap(), failures.to_string());
    let skipped = doc
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .count();
    assert_eq!(root.attribute("skipped").unwrap(), skipped.to_string());

    // SARIF: no result for a gap, one run-level note counting them.
    let sarif: Value =
        serde_json::from_str(&run_stdout(&["score", "--format", "sarif", PUBLIC_A])).unwrap();
    let run = &sarif["runs"][0];
    for result in run["results"].as_array().unwrap() {
        assert_ne!(result["properties"]["outcome"], "not-disclosed");
    }
    assert_eq!(run["properties"]["notDisclosed"], gaps.len());
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "note");
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{} checks read facts", gaps.len()))
    );

    // GitHub: no annotation of a gap.
    let github = run_stdout(&["score", "--format", "github", PUBLIC_A]);
    assert!(!github.contains("not-disclosed"), "{github}");
    assert!(github.contains(&format!(
        "coverage {:.1}%; {} checks read facts not disclosed",
        report["overall"]["coverage_pct"].as_f64().unwrap(),
        gaps.len()
    )));
}

#[test]
fn absent_unmet_fails_every_gap_in_the_machine_formats() {
    let report = score_json(&["--absent", "unmet", PUBLIC_A]);
    let gaps = not_disclosed_checks(&report);
    let junit = run_stdout(&["score", "--absent", "unmet", "--format", "junit", PUBLIC_A]);
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let failed: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter(|c| c.children().any(|c| c.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    for gap in &gaps {
        assert!(failed.contains(&gap.as_str()), "{gap} does not fail");
    }
    let sarif: Value = serde_json::from_str(&run_stdout(&[
        "score", "--absent", "unmet", "--format", "sarif", PUBLIC_A,
    ]))
    .unwrap();
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results
            .iter()
            .filter(|r| r["properties"]["outcome"] == "not-disclosed")
            .count(),
        gaps.len()
    );
    assert_eq!(run["properties"]["notDisclosed"], 0);
    assert!(
        run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn github_annotations_are_bounded_per_file_and_name_the_rest() {
    let report = score_json(&["--absent", "unmet", PUBLIC_A]);
    let costly: Vec<&str> = report["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["findings"].as_array().unwrap())
        .filter(|f| f["points"].as_f64().unwrap() > f["earned"].as_f64().unwrap())
        .filter(|f| f["outcome"] != "not-applicable")
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert!(costly.len() > 20);
    let github = run_stdout(&[
        "score", "--absent", "unmet", "--format", "github", PUBLIC_A, MIDDLING,
    ]);
    for file in [PUBLIC_A, MIDDLING] {
        let lines: Vec<&str> = github
            .lines()
            .filter(|l| l.contains(&format!("file={file},line=")))
            .collect();
        assert_eq!(lines.len(), 10, "{file}: at most ten findings annotated");
    }
    let summary = github
        .lines()
        .find(|l| {
            l.contains(&format!(
                "file={PUBLIC_A},title=usd1eval {} more findings",
                costly.len() - 10
            ))
        })
        .unwrap_or_else(|| panic!("{github}"));
    let (_, named) = summary.split_once("lists each): ").unwrap();
    let named: Vec<&str> = named.split(", ").collect();
    assert_eq!(named.len(), costly.len() - 10);
    for check in named {
        assert!(costly.contains(&check), "{check}");
        assert!(
            !github
                .lines()
                .any(|l| l.contains(&format!("file={PUBLIC_A},line="))
                    && l.contains(&format!("title={check} "))),
            "{check} is both annotated and named"
        );
    }
}

#[test]
fn a_waived_cap_shows_as_waived_and_fails_no_gate_until_it_expires() {
    let dir = scratch("waiver-cap");
    let baseline = baseline_of(&dir, STRONG);
    let text = std::fs::read_to_string(STRONG).unwrap().replacen(
        "legal_structure = \"bankruptcy-remote-trust\"",
        "legal_structure = \"issuer-balance-sheet\"",
        1,
    );
    let file = write(&dir, "arrangement.toml", &text);
    let gated = |extra: &[&str]| {
        usd1eval()
            .args([
                "score",
                "--format",
                "json",
                "--fail-on-cap",
                "--baseline",
                &baseline,
            ])
            .args(extra)
            .arg(&file)
            .output()
            .unwrap()
    };
    // Without the waiver both gates fail on the cap.
    let out = gated(&[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fail-on-cap: cap reserves-not-ring-fenced applies"),
        "{stderr}"
    );
    assert!(
        stderr.contains("baseline: cap reserves-not-ring-fenced now applies"),
        "{stderr}"
    );

    // With it the cap still limits the grade and is shown as waived.
    let out = gated(&["--waivers", "tests/fixtures/waivers/cap.toml"]);
    common::assert_succeeded(&out);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cap = &report["caps"][0];
    assert_eq!(cap["id"], "reserves-not-ring-fenced");
    assert_eq!(cap["waived"], "trust structure filed, effective in March");
    assert_eq!(
        report["overall"]["grade"], "B",
        "a waiver never changes a grade"
    );
    assert_eq!(report["gates"]["passed"], true);
    usd1eval()
        .args(["score", "--waivers", "tests/fixtures/waivers/cap.toml", &file])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Cap reserves-not-ring-fenced caps the grade at B; waived (trust structure filed, effective in March)",
        ));

    // After its expiry the waiver stops applying, and says so.
    let out = gated(&[
        "--waivers",
        "tests/fixtures/waivers/cap.toml",
        "--as-of",
        "2027-04-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("waiver for `reserves-not-ring-fenced` expired on 2027-03-31"),
        "{stderr}"
    );
    assert!(stderr.contains("fail-on-cap: cap reserves-not-ring-fenced applies"));

    // A cap waiver that matches nothing is reported like any other.
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--waivers",
            "tests/fixtures/waivers/cap.toml",
            STRONG,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "waiver for `reserves-not-ring-fenced` matches no cap that applies",
        ));
}

#[test]
fn waived_profile_requirements_fail_no_gate() {
    let args = [
        "score",
        "--quiet",
        "--require-profile",
        "genius-2025",
        MIDDLING,
    ];
    usd1eval()
        .args(args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("GENIUS-monthly-report (fail)"));
    // Three of the four failing requirements waived: the fourth still fails
    // the gate, and only it is named.
    let out = usd1eval()
        .args(args)
        .args(["--waivers", "tests/fixtures/waivers/requirements.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let gate = stderr
        .lines()
        .find(|l| l.contains("require-profile"))
        .unwrap();
    assert!(gate.contains("GENIUS-eligible-assets (fail)"), "{gate}");
    assert!(!gate.contains("GENIUS-monthly-report"), "{gate}");

    let dir = scratch("waiver-requirements");
    let mut all = std::fs::read_to_string("tests/fixtures/waivers/requirements.toml").unwrap();
    all.push_str(
        "\n[[waiver]]\nrequirement = \"genius-2025:GENIUS-eligible-assets\"\nreason = \"commercial paper sold by December\"\n",
    );
    let waivers = write(&dir, "waivers.toml", &all);
    let report = score_json(&[
        "--require-profile",
        "genius-2025",
        "--waivers",
        &waivers,
        MIDDLING,
    ]);
    let profile = &report["profiles"][0];
    assert_eq!(profile["passed"], false, "a waiver never changes a result");
    let requirement = profile["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "GENIUS-eligible-assets")
        .unwrap();
    assert_eq!(requirement["outcome"], "fail");
    assert_eq!(requirement["waived"], "commercial paper sold by December");
    assert_eq!(report["gates"]["passed"], true);
    usd1eval()
        .args([
            "score",
            "--profile",
            "genius-2025",
            "--waivers",
            &waivers,
            MIDDLING,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "(waived: commercial paper sold by December)",
        ));
}

#[test]
fn a_waived_requirement_is_exempt_from_the_regression_gate() {
    let dir = scratch("waiver-requirement-baseline");
    let out = usd1eval()
        .args([
            "score",
            "--format",
            "json",
            "--profile",
            "genius-2025",
            STRONG,
        ])
        .output()
        .unwrap();
    let baseline = write(
        &dir,
        "baseline.json",
        &String::from_utf8(out.stdout).unwrap(),
    );
    let text = std::fs::read_to_string(STRONG).unwrap().replacen(
        "rehypothecation_prohibited = true",
        "rehypothecation_prohibited = false",
        1,
    );
    let file = write(&dir, "arrangement.toml", &text);
    let args = [
        "score",
        "--quiet",
        "--profile",
        "genius-2025",
        "--baseline",
        &baseline,
    ];
    usd1eval()
        .args(args)
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "profile genius-2025 requirement GENIUS-no-rehypothecation was pass, now fail",
        ));
    let waivers = write(
        &dir,
        "waivers.toml",
        "[[waiver]]\nrequirement = \"genius-2025:GENIUS-no-rehypothecation\"\nreason = \"repo line closes in May\"\n\n[[waiver]]\ncheck = \"M06.no-reuse\"\nreason = \"repo line closes in May\"\n",
    );
    usd1eval()
        .args(args)
        .args(["--waivers", &waivers])
        .arg(&file)
        .assert()
        .success();
}

#[test]
fn cap_and_requirement_waivers_name_what_exists() {
    usd1eval()
        .args(["score", "--waivers", "tests/fixtures/waivers/bad-targets.toml", STRONG])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "waiver names unknown cap `reserves-not-ringfenced`\n --> tests/fixtures/waivers/bad-targets.toml:2:7",
        ))
        .stderr(predicate::str::contains("did you mean `reserves-not-ring-fenced`?"))
        .stderr(predicate::str::contains(
            "waiver names requirement `GENIUS-aml` without its profile",
        ))
        .stderr(predicate::str::contains(
            "waiver names unknown requirement `GENIUS-monthly-reports` of profile `genius-2025`",
        ))
        .stderr(predicate::str::contains("did you mean `genius-2025:GENIUS-monthly-report`?"))
        .stderr(predicate::str::contains(
            "a waiver names exactly one of `milestone`, `check`, `cap`, `requirement` or `alert`\n  --> tests/fixtures/waivers/bad-targets.toml:13:1",
        ));
}

/// `score --format json FILES`, written to `dir/name`: one report, or JSON
/// Lines for several.
fn baseline_of_files(dir: &std::path::Path, name: &str, files: &[&str]) -> String {
    let out = usd1eval()
        .args(["score", "--format", "json"])
        .args(files)
        .output()
        .unwrap();
    write(dir, name, &String::from_utf8(out.stdout).unwrap())
}

#[test]
fn a_baseline_of_another_arrangement_is_refused_naming_both() {
    let dir = scratch("baseline-other");
    let baseline = baseline_of(&dir, STRONG);
    usd1eval()
        .args(["score", "--baseline", &baseline, MIDDLING])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(format!(
            "baseline is a report of \"Harbor Trust Dollar\" (examples/strong-regulated.toml), not of \"Meridian Pay Dollar\" (examples/middling.toml) scored here\n --> {baseline}"
        )))
        .stderr(predicate::str::contains("--allow-other-arrangement"));
    // On purpose: the comparison runs, and the weaker file regresses.
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--baseline",
            &baseline,
            "--allow-other-arrangement",
            MIDDLING,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("baseline: milestone"));
    // The same arrangement renamed at the same path is still its own baseline.
    let file = middling_with(&dir, &[]);
    let before = baseline_of_files(&dir, "before.json", &[&file]);
    let renamed = middling_with(
        &dir,
        &[(
            "name = \"Meridian Pay Dollar\"",
            "name = \"Meridian Dollar\"",
        )],
    );
    usd1eval()
        .args(["score", "--quiet", "--baseline", &before, &renamed])
        .assert()
        .success();
}

#[test]
fn a_json_lines_baseline_gates_each_file_against_its_own_report() {
    let dir = scratch("baseline-lines");
    let baseline = baseline_of_files(&dir, "baseline.jsonl", &[STRONG, MIDDLING]);
    assert_eq!(
        std::fs::read_to_string(&baseline).unwrap().lines().count(),
        2
    );
    // Unchanged, in another order: each file meets its own report.
    usd1eval()
        .args([
            "score",
            "--quiet",
            "--baseline",
            &baseline,
            MIDDLING,
            STRONG,
        ])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    // The middling file regresses at another path: matched by its name.
    let changed = middling_with(&dir, &[("settlement_days = 2", "settlement_days = 5")]);
    let out = usd1eval()
        .args([
            "score",
            "--format",
            "json",
            "--baseline",
            &baseline,
            STRONG,
            &changed,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let reports: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        reports[0]["gates"]["passed"], true,
        "the strong file did not change"
    );
    assert_eq!(reports[1]["gates"]["passed"], false);
    assert_eq!(reports[1]["gates"]["failures"][0]["gate"], "baseline");
    assert!(
        reports[1]["gates"]["failures"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("milestone M18 fell")
    );
    // A file no report names is reported and gated without a baseline.
    usd1eval()
        .args(["score", "--quiet", "--baseline", &baseline, STRONG, "examples/weak.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning[usage]: no report of \"Sandbar Dollar\" (examples/weak.toml) among the baseline's 2 (\"Harbor Trust Dollar\", \"Meridian Pay Dollar\"); it is gated without a baseline",
        ));
}

#[test]
fn a_broken_report_in_a_json_lines_baseline_is_named_by_its_line() {
    let dir = scratch("baseline-lines-bad");
    let good = baseline_of_files(&dir, "good.jsonl", &[STRONG, MIDDLING]);
    let text = std::fs::read_to_string(good).unwrap();
    let first = text.lines().next().unwrap();
    let bad = write(
        &dir,
        "bad.jsonl",
        &format!(
            "{first}\n{}\n",
            first.replace("\"schema_version\":1", "\"schema_version\":9")
        ),
    );
    usd1eval()
        .args(["score", "--baseline", &bad, STRONG])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "report has schema_version 9; this build reads schema_version 1\n --> {bad}:2:1"
        )));
}

#[test]
fn diff_says_a_json_lines_side_holds_several_reports() {
    let dir = scratch("diff-lines");
    let several = baseline_of_files(&dir, "several.jsonl", &[STRONG, MIDDLING]);
    usd1eval()
        .args(["diff", &several, MIDDLING])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "holds 2 reports (JSON Lines); diff compares one report with another",
        ));
}

#[test]
fn a_failed_gate_shows_in_junit_and_sarif_too() {
    // The job exits 1 on the cap: the dashboards must say why, not only stderr.
    let file = "tests/backtest/real-estate-2023.toml";
    let junit = usd1eval()
        .args(["score", "--fail-on-cap", "--format", "junit", file])
        .output()
        .unwrap();
    assert_eq!(junit.status.code(), Some(1));
    let text = String::from_utf8(junit.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let gate_failures = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("testcase") && n.attribute("classname") == Some("usd1eval.gates")
        })
        .filter(|n| n.children().any(|c| c.has_tag_name("failure")))
        .count();
    assert!(gate_failures >= 2, "{text}");
    let sarif = usd1eval()
        .args(["score", "--fail-on-cap", "--format", "sarif", file])
        .output()
        .unwrap();
    assert_eq!(sarif.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let run = &v["runs"][0];
    let gates: Vec<&Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "gate")
        .collect();
    assert_eq!(gates.len(), gate_failures);
    // The rule a result names is among the driver's rules, at its index.
    let index = gates[0]["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "gate");
    assert!(gates.iter().any(|g| {
        g["message"]["text"]
            .as_str()
            .unwrap()
            .contains("assumed because a fact it needs is not disclosed")
    }));
}
