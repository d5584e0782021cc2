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
        .args(["score", "--quiet", "--fail-under", "60", MIDDLING])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "fail-under: overall score 55.6 is below 60",
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
    usd1eval()
        .args(["score", "--quiet", "--fail-on-cap", MIDDLING])
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
}

#[test]
fn gate_failures_are_in_the_report_and_printed_last_in_the_table() {
    let out = usd1eval()
        .args(["score", "--fail-under", "60", MIDDLING])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let tail: Vec<&str> = text.trim_end().lines().rev().take(2).collect();
    assert_eq!(tail[1], "Gates FAILED:");
    let json = usd1eval()
        .args(["score", "--format", "json", "--fail-under", "60", MIDDLING])
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
            "::error file=examples/middling.toml,line=31,title=M02.explained unmet::",
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
        .stdout(predicate::str::contains(
            "| Harbor Trust Dollar | 99.6 | A (high) |",
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
            .args(["arrangement.toml", "main"])
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
        "baseline.json",
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
