//! End-to-end tests of the command line: real binary, fixture files, exit codes.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{json_report, score_json, usd1eval};
use predicates::prelude::*;
use serde_json::Value;

const STRONG: &str = "examples/strong-regulated.toml";
const MIDDLING: &str = "examples/middling.toml";
const WEAK: &str = "examples/weak.toml";

fn overall(report: &Value) -> f64 {
    report["overall"]["score"].as_f64().unwrap()
}

#[test]
fn strong_example_prints_a_readable_scorecard() {
    usd1eval()
        .args(["score", STRONG])
        .assert()
        .success()
        .stdout(predicate::str::contains("Harbor Trust Dollar"))
        .stdout(predicate::str::contains("grade A"))
        .stdout(predicate::str::contains("Reserve quality and custody"))
        .stdout(predicate::str::contains("Bucket × layer"));
}

#[test]
fn the_table_leads_with_the_stage_verdict_and_caps() {
    let out = usd1eval().args(["score", WEAK]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = |start: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line starts with {start:?}:\n{text}"))
    };
    let stage = at("Stage: claimed scale · visible broader-access · evidenced exploration");
    let outrun = at(">>> GROWTH OUTRUNS STRENGTH: held down by");
    let cap = at("Cap reserve-shortfall");
    assert_eq!(stage, 5, "{text}");
    assert_eq!(outrun, stage + 1);
    // The verdict wraps under itself, indented; the caps follow it.
    assert!(lines[outrun + 1..cap].iter().all(|l| l.starts_with("    ")));
    assert!(text.contains("Next steps (overall points gained by each change):"));
}

#[test]
fn strong_outscores_middling_outscores_weak_for_visible_reasons() {
    let (strong, middling, weak) = (
        json_report(STRONG),
        json_report(MIDDLING),
        json_report(WEAK),
    );
    assert!(overall(&strong) > overall(&middling) + 20.0);
    assert!(overall(&middling) > overall(&weak) + 20.0);
    // The reasons show in the findings: the weak file's reserves sit on the
    // issuer's balance sheet and its mint key is a single key.
    let outcome_of = |report: &Value, check: &str| {
        report["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m["findings"].as_array().unwrap())
            .find(|f| f["check"] == check)
            .map(|f| f["outcome"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(outcome_of(&strong, "M06.structure"), "met");
    assert_eq!(outcome_of(&weak, "M06.structure"), "partial");
    assert_eq!(outcome_of(&weak, "M16.mint-key"), "unmet");
    assert_eq!(outcome_of(&weak, "M10.clean-opinions"), "unmet");
}

#[test]
fn json_report_has_every_key_and_full_matrix() {
    let out = usd1eval()
        .args(["score", "--format", "json", MIDDLING])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // Key order is part of the contract, so read it from the text itself.
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \""))
        .filter_map(|l| l.trim_start().strip_prefix('"')?.split('"').next())
        .collect();
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        keys,
        [
            "schema_version",
            "tool",
            "rubric",
            "evaluated_as_of",
            "arrangement",
            "overall",
            "caps",
            "stage",
            "evidence",
            "buckets",
            "layers",
            "matrix",
            "milestones",
            "derived",
            "stress",
            "profiles",
            "next_steps",
            "gates",
            "diagnostics"
        ]
    );
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["evidence"]["buckets"].as_array().unwrap().len(), 7);
    assert_eq!(report["buckets"].as_array().unwrap().len(), 7);
    assert_eq!(report["layers"].as_array().unwrap().len(), 5);
    assert!(report["milestones"].as_array().unwrap().len() >= 33);
    assert_eq!(report["matrix"].as_array().unwrap().len(), 35);
    for key in ["score", "grade", "uncapped_grade", "coverage_pct"] {
        assert!(!report["overall"][key].is_null(), "overall.{key}");
    }
    for key in ["claimed", "visible", "evidenced", "outruns", "held_down_by"] {
        assert!(report["stage"].get(key).is_some(), "stage.{key}");
    }
    let finding = &report["milestones"][0]["findings"][0];
    for key in [
        "check", "outcome", "fact", "value", "expected", "line", "source", "message",
    ] {
        assert!(finding.get(key).is_some(), "finding.{key}");
    }
    assert_eq!(report["gates"]["passed"], true);
}

#[test]
fn json_output_is_byte_identical_across_runs() {
    let run = || {
        usd1eval()
            .args(["score", "--format", "json", STRONG, WEAK])
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    assert_eq!(first, run());
    // Several files: one JSON object per line.
    let text = String::from_utf8(first).unwrap();
    assert_eq!(text.lines().count(), 2);
    for line in text.lines() {
        serde_json::from_str::<Value>(line).unwrap();
    }
}

#[test]
fn findings_carry_line_and_source() {
    let report = json_report(MIDDLING);
    let finding = report["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["findings"].as_array().unwrap())
        .find(|f| f["check"] == "M18.settlement")
        .unwrap();
    assert_eq!(finding["line"], 28);
    assert_eq!(finding["source"], "Meridian terms of service, section 7");
    assert_eq!(finding["value"], 2);
    assert_eq!(finding["outcome"], "partial");
}

#[test]
fn every_problem_is_reported_with_location_and_exit_2() {
    let out = usd1eval()
        .args(["score", "tests/fixtures/several-errors.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "nothing is written to stdout for an invalid file"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("several_errors_stderr", stderr);
}

#[test]
fn check_validates_without_scoring() {
    usd1eval()
        .args(["check", STRONG, MIDDLING, WEAK])
        .assert()
        .success()
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("examples/weak.toml: ok"));
    usd1eval()
        .args(["check", "tests/fixtures/several-errors.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error[unknown-key]: unknown key `setlement_days` in [redemption]\n  --> tests/fixtures/several-errors.toml:10:1",
        ));
}

#[test]
fn a_bad_file_does_not_stop_the_others() {
    let out = usd1eval()
        .args([
            "score",
            "--format",
            "json",
            "tests/fixtures/several-errors.toml",
            STRONG,
            "missing.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.contains("Harbor Trust Dollar"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error[unreadable]: cannot read: no such file\n --> missing.toml"),
        "{stderr}"
    );
}

#[test]
fn warnings_do_not_change_the_exit_code() {
    usd1eval()
        .args(["score", "--quiet", "tests/fixtures/future-date.toml"])
        .assert()
        .success()
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("warning[after-as-of]: "))
        .stderr(predicate::str::contains(
            "--> tests/fixtures/future-date.toml:8:1",
        ));
    // The JSON report carries the warning as data, with its code.
    let report = json_report("tests/fixtures/future-date.toml");
    let warning = &report["diagnostics"][0];
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["code"], "after-as-of");
    assert_eq!(
        (warning["line"].as_u64(), warning["column"].as_u64()),
        (Some(8), Some(1))
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let text = std::fs::read_to_string(WEAK).unwrap();
    usd1eval()
        .args(["score", "--format", "json", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"path\": \"<stdin>\""));
}

#[test]
fn as_of_moves_the_evaluation_date() {
    let out = usd1eval()
        .args(["score", "--format", "json", "--as-of", "2027-09-30", STRONG])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["evaluated_as_of"], "2027-09-30");
    assert_eq!(report["arrangement"]["as_of"], "2026-09-30");
    assert_eq!(report["derived"]["latest_attestation_age_days"], 377);
    assert!(overall(&report) < overall(&json_report(STRONG)));
    usd1eval()
        .args(["score", "--as-of", "next-week", STRONG])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("write YYYY-MM-DD or `today`"));
}

/// A profile whose instrument does not yet apply on the evaluation date shows
/// readiness in every format (tests/gates.rs: `--require-profile` gates on it).
#[test]
fn a_profile_not_yet_in_force_shows_readiness() {
    // The strong example is dated 2026-09-30; GENIUS applies from 2027-01-18.
    usd1eval()
        .args(["score", "--profile", "genius-2025", STRONG])
        .assert()
        .success()
        .stdout(predicate::str::contains("Profile genius-2025 — WOULD PASS"))
        .stdout(predicate::str::contains(
            "Readiness only: not in force until 2027-01-18",
        ))
        .stdout(predicate::str::contains("not assessable"));
    let report = score_json(&["--profile", "genius-2025", STRONG]);
    let genius = &report["profiles"][0];
    assert_eq!(genius["in_force"], false);
    assert_eq!(genius["applies_from"], "2027-01-18");
    assert_eq!(genius["verdict"], "would-pass");
    assert_eq!(genius["passed"], true);
    assert!(
        genius["applies_from_note"]
            .as_str()
            .unwrap()
            .contains("§20")
    );
    let open: Vec<&Value> = genius["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "not-assessable")
        .collect();
    assert!(!open.is_empty());
    assert!(open.iter().all(|r| r["missing_fact"].is_string()));
    for (format, heading) in [
        ("markdown", "**Profile `genius-2025`** would pass"),
        ("html", "<h2>Profile genius-2025 — would pass</h2>"),
    ] {
        usd1eval()
            .args([
                "score",
                "--format",
                format,
                "--profile",
                "genius-2025",
                STRONG,
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains(heading))
            .stdout(predicate::str::contains(
                "Readiness only: not in force until 2027-01-18",
            ));
    }
    // On or after the date the same profile is judged, not forecast.
    usd1eval()
        .args([
            "score",
            "--as-of",
            "2027-01-18",
            "--profile",
            "genius-2025",
            STRONG,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Profile genius-2025 — DOES NOT PASS",
        ))
        .stdout(predicate::str::contains("Readiness only").not());
}

#[test]
fn profiles_are_reported_with_their_notice() {
    usd1eval()
        .args([
            "score",
            "--profile",
            "genius-2025",
            "--profile",
            "mica-emt",
            STRONG,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Profile genius-2025 — WOULD PASS"))
        // A US trust company offering units in the US only: MiCA does not
        // reach it, and says why.
        .stdout(predicate::str::contains("Profile mica-emt — OUT OF SCOPE"))
        .stdout(predicate::str::contains(
            "the file declares: arrangement.offered_in is [US]",
        ))
        .stdout(predicate::str::contains("not legal advice"))
        .stdout(predicate::str::contains("§4(a)(2)"));
    let report = score_json(&["--profile", "nydfs-2022", STRONG]);
    assert_eq!(report["profiles"][0]["id"], "nydfs-2022");
    // A New York trust company whose bills were bought three months or
    // less from maturity.
    assert_eq!(report["profiles"][0]["passed"], true);
    assert_eq!(report["profiles"][0]["in_force"], true);
    assert_eq!(report["profiles"][0]["verdict"], "passes");
    assert_eq!(report["profiles"][0]["scope"]["status"], "in-scope");
    assert!(report["profiles"][0]["scope"]["reason"].is_null());
    for key in [
        "id",
        "clause",
        "outcome",
        "message",
        "missing_fact",
        "applies_from",
        "readiness",
    ] {
        assert!(
            report["profiles"][0]["requirements"][0].get(key).is_some(),
            "{key}"
        );
    }
    usd1eval()
        .args(["score", "--profile", "genius-2026", STRONG])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("genius-2025"));
    usd1eval()
        .args(["explain", "MICA-no-fee"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Art. 49"));
    usd1eval()
        .args(["rubric", "show", "mica-emt-significant"])
        .assert()
        .success()
        .stdout(predicate::str::contains("MICA-liquidity-stress-testing"))
        .stdout(predicate::str::contains(
            "covers: Title IV governs e-money tokens",
        ))
        .stdout(predicate::str::contains("(applies from 2025-10-23)"));
    usd1eval()
        .args(["explain", "MICA-reverse-stress-test"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "This requirement applies from 2025-10-23",
        ));
}

#[test]
fn explain_shows_why_how_and_what_raises_it() {
    usd1eval()
        .args(["explain", "M07"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Liquidity plan for extreme days"))
        .stdout(predicate::str::contains("Why it matters"))
        .stdout(predicate::str::contains("derived.redemption_wave_cover"))
        .stdout(predicate::str::contains("What raises it"));
    usd1eval()
        .args(["explain", "M18.settlement"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "expected: ≤ 1 (≤ 2 for 75%, ≤ 5 for 40%)",
        ));
    usd1eval()
        .args(["explain", "reserve-custody"])
        .assert()
        .success()
        .stdout(predicate::str::contains("M08"));
    usd1eval()
        .args(["explain", "M7"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));
}

#[test]
fn explain_on_any_enum_field_lists_its_values_with_their_meaning() {
    use usd1eval::facts::schema::TABLES;
    let mut enums = 0;
    for table in TABLES.iter().filter(|t| !t.path.is_empty()) {
        for field in table.fields.iter().filter(|f| !f.kind.choices().is_empty()) {
            let path = if table.repeated {
                format!("{}[].{}", table.path, field.name)
            } else {
                format!("{}.{}", table.path, field.name)
            };
            let output = usd1eval().args(["explain", &path]).output().unwrap();
            assert!(output.status.success(), "{path}");
            let text = String::from_utf8(output.stdout).unwrap();
            for choice in field.kind.choices() {
                assert!(!choice.doc.is_empty(), "{path} = {}", choice.name);
                assert!(
                    text.lines().any(|line| {
                        let line = line.trim_start();
                        line.starts_with(&format!("{} ", choice.name)) && line.ends_with(choice.doc)
                    }),
                    "{path}: `{}` is not listed with its meaning:\n{text}",
                    choice.name
                );
            }
            enums += 1;
        }
    }
    assert!(enums >= 15, "{enums} enum fields");
    // An entry's field may be named without `[]`; the page names the checks that read it.
    usd1eval()
        .args(["explain", "redemption.eligible"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "partners-only     only selected institutions",
        ))
        .stdout(predicate::str::contains("M18.eligible"));
    usd1eval()
        .args(["explain", "reserves.asset.class"])
        .assert()
        .success()
        .stdout(predicate::str::contains("reserves.asset[].class"));
    usd1eval()
        .args(["explain", "redemption.eligble"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `redemption.eligible`?",
        ));
}

#[test]
fn the_table_shows_the_independent_share_when_evidence_is_declared() {
    let text = std::fs::read_to_string(STRONG).unwrap().replacen(
        "\n[reserves]\n",
        "\n[reserves]\nevidence = \"independent-assurance\"\n",
        1,
    );
    usd1eval()
        .args(["score", "--width", "100", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::contains("Independent evidence: "))
        .stdout(predicate::str::contains("Reserve quality and custody"));
    usd1eval()
        .args(["score", "--width", "100", STRONG])
        .assert()
        .success()
        .stdout(predicate::str::contains("Independent evidence").not());
}

#[test]
fn rubric_commands() {
    usd1eval()
        .args(["rubric", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("milestones"));
    usd1eval()
        .args(["rubric", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("W01"))
        .stdout(predicate::str::contains("A ≥ 85"))
        .stdout(predicate::str::contains("Absent facts: unknown"))
        .stdout(predicate::str::contains(
            "Overall: anchored on reserve-custody, redemption-liquidity",
        ))
        .stdout(predicate::str::contains(
            "Core facts (no grade without them)",
        ))
        .stdout(predicate::str::contains("Penalty reserve-shortfall"));
    usd1eval()
        .args(["rubric", "check", "tests/fixtures/strict-rubric.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "ok (rubric `strict`: 33 milestones",
        ));
    let out = usd1eval()
        .args(["rubric", "check", "tests/fixtures/bad-rubric.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("bad_rubric_stderr", String::from_utf8(out.stderr).unwrap());
}

#[test]
fn a_custom_rubric_changes_the_score() {
    let out = usd1eval()
        .args([
            "score",
            "--format",
            "json",
            "--rubric",
            "tests/fixtures/strict-rubric.toml",
            MIDDLING,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let strict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(strict["rubric"]["id"], "strict");
    assert!(overall(&strict) < overall(&json_report(MIDDLING)));
    usd1eval()
        .args([
            "score",
            "--rubric",
            "tests/fixtures/bad-rubric.toml",
            MIDDLING,
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty());
}

#[test]
fn init_writes_a_valid_template_and_never_overwrites_silently() {
    let dir = std::env::temp_dir().join(format!("usd1eval-init-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("arrangement.toml");
    let _ = std::fs::remove_file(&path);
    let path_text = path.to_str().unwrap();
    usd1eval()
        .args(["init", "--out", path_text])
        .assert()
        .success();
    usd1eval().args(["check", path_text]).assert().success();
    usd1eval()
        .args(["init", "--out", path_text])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    usd1eval()
        .args(["init", "--out", path_text, "--force"])
        .assert()
        .success();
    let stdout = usd1eval().arg("init").output().unwrap().stdout;
    assert_eq!(stdout, std::fs::read(&path).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn init_creates_a_missing_folder() {
    let dir = std::env::temp_dir().join(format!("usd1eval-init-folder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    usd1eval()
        .current_dir(&dir)
        .args(["init", "--out", "disclosure/new/arrangement.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "wrote disclosure/new/arrangement.toml (created the directory disclosure/new)",
        ));
    let path = dir.join("disclosure/new/arrangement.toml");
    usd1eval()
        .args(["check", path.to_str().unwrap()])
        .assert()
        .success();
    // A folder that cannot be made (a file stands in its way) is an error.
    std::fs::write(dir.join("blocked"), "").unwrap();
    usd1eval()
        .current_dir(&dir)
        .args(["init", "--out", "blocked/sub/arrangement.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot create the directory blocked/sub",
        ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    usd1eval().args(["score"]).assert().code(2);
    usd1eval()
        .args(["score", "--format", "yaml", STRONG])
        .assert()
        .code(2);
    usd1eval().args(["frobnicate"]).assert().code(2);
    let help = usd1eval().args(["score", "--help"]).output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    insta::assert_snapshot!("score_help", String::from_utf8(help.stdout).unwrap());
}

#[test]
fn every_command_help_shows_an_example() {
    let commands: &[&[&str]] = &[
        &["score"],
        &["check"],
        &["diff"],
        &["compare"],
        &["history"],
        &["explain"],
        &["rubric"],
        &["rubric", "list"],
        &["rubric", "show"],
        &["rubric", "check"],
        &["schema"],
        &["completions"],
        &["init"],
    ];
    for command in commands {
        let out = usd1eval().args(*command).arg("--help").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{command:?}");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(
            help.contains("Example"),
            "{command:?} --help shows an example:\n{help}"
        );
    }
}

#[test]
fn colour_follows_the_color_option() {
    let run = |args: &[&str], no_color: bool| {
        let mut cmd = usd1eval();
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        String::from_utf8(cmd.args(args).output().unwrap().stdout).unwrap()
    };
    let coloured = run(&["score", "--color", "always", WEAK], false);
    assert!(
        coloured.contains("\u{1b}[1;31mF\u{1b}[0m"),
        "the grade is coloured"
    );
    assert!(coloured.contains("\u{1b}[1;31m>>> GROWTH OUTRUNS STRENGTH"));
    assert!(!run(&["score", "--color", "never", WEAK], false).contains('\u{1b}'));
    // Not a terminal, or NO_COLOR set: auto means no colour.
    assert!(!run(&["score", WEAK], false).contains('\u{1b}'));
    assert!(!run(&["score", "--color", "auto", WEAK], true).contains('\u{1b}'));
    // Files written with --output never carry colour codes.
    let dir = std::env::temp_dir().join(format!("usd1eval-colour-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("table.txt");
    usd1eval()
        .args(["score", "--color", "always", "--quiet"])
        .arg(format!("--output=table={}", file.display()))
        .arg(WEAK)
        .assert()
        .success();
    assert!(!std::fs::read_to_string(&file).unwrap().contains('\u{1b}'));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn shell_completions() {
    usd1eval()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("_usd1eval()"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        usd1eval()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("usd1eval"));
    }
    usd1eval().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn every_unknown_key_of_a_rubric_is_reported_at_once() {
    let out = usd1eval()
        .args(["rubric", "check", "tests/fixtures/typo-rubric.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("typo_rubric_stderr", stderr);
}

/// A file written from public facts only (about a quarter of the format)
/// and the full strong example: the thin file's grade is shown with low
/// confidence in every format, the full one's with high confidence.
#[test]
fn every_format_shows_the_grade_with_its_confidence() {
    const THIN: &str = "examples/calibration/public/ny-trust-repo-deposits.toml";
    for (file, level) in [(THIN, "low"), (STRONG, "high")] {
        let report = score_json(&[file]);
        assert_eq!(report["overall"]["confidence"], level, "{file}");
        let grade = report["overall"]["grade"].as_str().unwrap().to_string();
        let text = |format: &str| {
            let out = usd1eval()
                .args(["score", "--format", format, "--width", "200", file])
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        let phrase = format!("{level} confidence: ");
        assert!(
            text("table").contains(&format!("grade {grade} · {phrase}")),
            "{}",
            text("table")
        );
        assert!(text("markdown").contains(&format!("grade {grade} · {phrase}")));
        assert!(text("html").contains(&format!("<div class=\"confidence\">{phrase}")));
        assert!(text("github").contains(&format!("grade {grade} ({phrase}")));
        let sarif: Value = serde_json::from_str(&text("sarif")).unwrap();
        assert_eq!(sarif["runs"][0]["properties"]["confidence"], level);
        let compare = usd1eval().args(["compare", file]).output().unwrap();
        let compare = String::from_utf8(compare.stdout).unwrap();
        assert!(
            compare.contains(&format!(" {grade} ({level})")),
            "{compare}"
        );
    }
    let thin = score_json(&[THIN]);
    assert!(thin["overall"]["known_pct"].as_f64().unwrap() < 50.0);
    let history = usd1eval()
        .args(["history", THIN, "--format", "json"])
        .output()
        .unwrap();
    let history: Value = serde_json::from_slice(&history.stdout).unwrap();
    assert_eq!(history["points"][0]["confidence"], "low");
    let history = usd1eval().args(["history", THIN]).output().unwrap();
    let history = String::from_utf8(history.stdout).unwrap();
    assert!(history.contains("(low confidence)"), "{history}");
}

/// A file from public facts whose evidenced stage only undisclosed facts
/// hold down: no alarm, a headline naming what to disclose, and
/// `--fail-on-outrun` passes; a file held down by known weakness still fails.
#[test]
fn silence_raises_no_outrun_alarm() {
    const THIN: &str = "examples/calibration/public/us-mmf-repo-cash.toml";
    let report = score_json(&[THIN]);
    assert_eq!(report["stage"]["outruns"], Value::Null);
    for format in ["table", "markdown", "html"] {
        let out = usd1eval()
            .args(["score", "--format", format, "--width", "200", THIN])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.to_lowercase().contains("growth outruns strength"),
            "{format}"
        );
        assert!(
            text.contains("Stage cannot be judged from what is disclosed")
                && text.contains("disclose more in Promise clarity"),
            "{format}: {text}"
        );
    }
    usd1eval()
        .args(["score", "--quiet", "--fail-on-outrun", THIN])
        .assert()
        .success();
    usd1eval()
        .args(["score", "--quiet", "--fail-on-outrun", MIDDLING])
        .assert()
        .failure();
    let compare = usd1eval().args(["compare", THIN]).output().unwrap();
    let compare = String::from_utf8(compare.stdout).unwrap();
    assert!(compare.lines().nth(2).unwrap().contains(" ? "), "{compare}");
}

/// A file from public facts at 9 % coverage: buckets known on less than
/// the rubric's share (10 %) of their weight get no grade, and every
/// format says "not enough disclosed" instead of a score and a bar.
#[test]
fn no_bucket_grade_on_too_little_known() {
    const THIN: &str = "examples/calibration/public/offshore-fund-single-custodian.toml";
    let report = score_json(&[THIN]);
    let buckets = report["buckets"].as_array().unwrap();
    // Thin buckets with a score: some facts known, too few for a grade.
    let thin: Vec<&Value> = buckets
        .iter()
        .filter(|b| b["enough_disclosed"] == false && b["score"].is_number())
        .collect();
    assert!(!thin.is_empty());
    for b in buckets.iter().filter(|b| b["enough_disclosed"] == false) {
        assert!(b["known_pct"].as_f64().unwrap() < 10.0, "{b}");
        assert_eq!(b["grade"], Value::Null, "{b}");
    }
    for b in buckets.iter().filter(|b| b["enough_disclosed"] == true) {
        assert!(b["known_pct"].as_f64().unwrap() >= 10.0);
        assert!(b["grade"].is_string());
    }
    for layer in report["layers"].as_array().unwrap() {
        let enough = layer["known_pct"].as_f64().is_some_and(|k| k >= 10.0);
        assert_eq!(layer["enough_disclosed"], enough, "{layer}");
    }
    let title = thin[0]["title"].as_str().unwrap();
    for format in ["table", "markdown", "html"] {
        let out = usd1eval()
            .args(["score", "--format", format, "--width", "200", THIN])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let line = text
            .lines()
            .find(|l| l.contains(title) && l.contains("not enough disclosed ("))
            .unwrap_or_else(|| panic!("{format}: {text}"));
        assert!(!line.contains('█'), "{format}: {line}");
    }
}

/// Every id and path a JSON report contains, as `explain` should take it:
/// the values of id-like keys, the milestones' layers, the stage's buckets
/// and stages, and each derived figure as `derived.NAME`.
fn ids_and_paths(value: &Value, key: Option<&str>, out: &mut std::collections::BTreeSet<String>) {
    const ID_KEYS: &[&str] = &[
        "id",
        "check",
        "fact",
        "milestone",
        "bucket",
        "layer",
        "layers",
        "held_down_by",
        "thin_evidence",
        "claimed",
        "visible",
        "evidenced",
    ];
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "derived" && key.is_none() {
                    for name in v.as_object().unwrap().keys() {
                        out.insert(format!("derived.{name}"));
                    }
                    continue;
                }
                ids_and_paths(v, Some(k), out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| ids_and_paths(v, key, out)),
        Value::String(s) if key.is_some_and(|k| ID_KEYS.contains(&k)) => {
            out.insert(s.clone());
        }
        _ => {}
    }
}

/// `explain` answers for every id and path a whole report contains, and
/// every field it explains lists its readers.
#[test]
fn explain_answers_for_every_id_and_path_of_a_report() {
    let report = score_json(&[
        "--profile",
        "genius-2025",
        "--profile",
        "mica-emt",
        "examples/calibration/public/offshore-fund-single-custodian.toml",
    ]);
    let mut ids = std::collections::BTreeSet::new();
    ids_and_paths(&report, None, &mut ids);
    ids.insert("stage".into());
    for step in report["stress"]["scenarios"].as_array().unwrap() {
        ids.insert(format!("stress.{}.survives", step["id"].as_str().unwrap()));
    }
    assert!(ids.len() > 200, "{}", ids.len());
    // One run explains them all; an unknown id fails it and is named.
    let out = usd1eval().arg("explain").args(&ids).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for id in &ids {
        assert!(text.contains(id.as_str()), "no explanation names {id}");
    }
    // And each is explained on its own: one unknown id among them fails.
    let out = usd1eval()
        .args(["explain", "M07", "no-such-id"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`no-such-id`"));
    // The staleness cap reads the report's date through a derived figure.
    let out = usd1eval()
        .args(["explain", "attestation.published"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("cap stale-assurance"), "{text}");
    let out = usd1eval()
        .args(["explain", "reserves.asset.share_pct"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for reader in [
        "check M05.",
        "derived figure derived.volatile_share_pct",
        "stress input",
        "profile ",
    ] {
        assert!(text.contains(reader), "{reader}: {text}");
    }
}

/// A reserve with nothing payable the same day (on-chain collateral sold
/// over days) once printed "T+0 -0.0 %": no format prints a negative zero.
#[test]
fn no_negative_zero_in_any_format() {
    const FILE: &str = "tests/fixtures/public/onchain-swap-at-par.toml";
    let negative_zero = |text: &str| {
        text.match_indices("-0").any(|(i, _)| {
            let rest = &text[i + 2..];
            let zero_after = rest
                .strip_prefix('.')
                .map_or(!rest.starts_with(|c: char| c.is_ascii_digit()), |r| {
                    r.chars().take_while(char::is_ascii_digit).all(|c| c == '0')
                });
            // A date's "-09-30" or an id's "run-30-5" is no number.
            let before = text[..i].chars().next_back();
            zero_after && !before.is_some_and(|c| c.is_ascii_alphanumeric())
        }) || text.contains("−0.0 ")
    };
    for format in [
        "table", "json", "markdown", "html", "sarif", "github", "junit",
    ] {
        let out = usd1eval()
            .args(["score", "--format", format, "--width", "200", FILE])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!negative_zero(&text), "{format}: {text}");
    }
    for format in ["table", "json"] {
        let out = usd1eval()
            .args(["stress", "--format", format, FILE])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!negative_zero(&text), "stress {format}: {text}");
    }
    assert!(negative_zero("T+0 -0.0 %"));
}

#[test]
fn a_bucket_with_nothing_disclosed_says_so_and_its_cells_show_no_score() {
    let out = usd1eval()
        .args([
            "score",
            "--width",
            "100",
            "tests/backtest/algorithmic-2022.toml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let row = |title: &str| {
        text.lines()
            .find(|l| l.contains(title) && l.contains('┆'))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row("Compliance").contains("nothing disclosed"), "{text}");
    // Promise clarity is known on too little: no score in the bucket table,
    // none in its bucket × layer cells either.
    let cells: Vec<String> = text
        .lines()
        .filter(|l| l.contains("Promise clarity"))
        .map(str::to_string)
        .collect();
    assert!(cells.iter().all(|l| !l.contains("100.0")), "{cells:?}");
}
