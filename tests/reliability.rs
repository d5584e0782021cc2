//! Hostile inputs and outputs (issue 20): bounded reads, outputs that never
//! destroy, dates, baselines and untrusted text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{scratch, usd1eval, write};

const WEAK: &str = "examples/weak.toml";
const STRONG: &str = "examples/strong-regulated.toml";

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_endless_standard_input_is_refused_at_the_limit() {
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("usd1eval"))
        .args(["score", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("larger than the limit of 4194304 bytes"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn every_input_is_read_through_the_limit() {
    // /dev/zero never ends: each of these must stop reading at the limit.
    let zero = "/dev/zero";
    let cases: &[&[&str]] = &[
        &["score", zero],
        &["score", "--rubric", zero, WEAK],
        &["score", "--profile", zero, WEAK],
        &["score", "--waivers", zero, WEAK],
        &["score", "--baseline", zero, WEAK],
        &["diff", zero, WEAK],
        &["diff", WEAK, zero],
        &["compare", zero, WEAK],
        &["check", zero],
        &["history", zero, WEAK],
        &["stress", zero],
        &["stress", "--scenario", zero, WEAK],
        &["rubric", "check", zero],
    ];
    for args in cases {
        let out = usd1eval().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("larger than the limit"),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
}

#[test]
fn a_file_just_at_the_limit_is_read_and_one_byte_more_is_refused() {
    let dir = scratch("limit");
    let text = std::fs::read_to_string(STRONG).unwrap();
    let limit = 4 * 1024 * 1024;
    let at = format!("{text}\n{}", "#".repeat(limit - text.len() - 1));
    let at_path = write(&dir, "at.toml", &at);
    let over_path = write(&dir, "over.toml", &format!("{at}#"));
    usd1eval().args(["check", &at_path]).assert().code(0);
    let out = usd1eval().args(["check", &over_path]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("larger than the limit"));
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_report_can_go_to_standard_output_by_its_device_name() {
    let out = usd1eval()
        .args(["score", "--quiet", "--output", "json=/dev/stdout", WEAK])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["overall"].is_object(), "{report}");
}

#[test]
fn a_dash_is_not_taken_as_a_file_name() {
    let dir = scratch("dash-output");
    let out = usd1eval()
        .current_dir(&dir)
        .args(["score", "--output", "json=-"])
        .arg(std::fs::canonicalize(WEAK).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("FORMAT=/dev/stdout"),
        "{}",
        stderr_of(&out)
    );
    assert!(!dir.join("-").exists());
}

#[test]
fn no_input_of_the_run_is_overwritten() {
    let dir = scratch("inputs-kept");
    let rubric = write(
        &dir,
        "rubric.toml",
        &std::fs::read_to_string("rubrics/milestones.toml").unwrap(),
    );
    let waivers = write(&dir, "waivers.toml", "");
    let baseline_out = usd1eval()
        .args(["score", "--format", "json", WEAK])
        .output()
        .unwrap();
    let baseline = write(
        &dir,
        "base.json",
        &String::from_utf8(baseline_out.stdout).unwrap(),
    );
    for (option, input) in [
        ("--rubric", &rubric),
        ("--waivers", &waivers),
        ("--baseline", &baseline),
    ] {
        let before = std::fs::read(input).unwrap();
        let out = usd1eval()
            .args(["score", option, input, "--output"])
            .arg(format!("json={input}"))
            .arg(WEAK)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{option}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("is the input file"),
            "{}",
            stderr_of(&out)
        );
        assert_eq!(std::fs::read(input).unwrap(), before, "{option}");
    }
}

#[test]
fn two_outputs_to_one_path_are_refused() {
    let dir = scratch("duplicate-output");
    let path = dir.join("r.out");
    let out = usd1eval()
        .args(["score", WEAK])
        .arg(format!("--output=json={}", path.display()))
        .arg(format!("--output=sarif={}/./r.out", dir.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("names the same file"),
        "{}",
        stderr_of(&out)
    );
    assert!(!path.exists());
}

#[test]
fn when_one_output_fails_no_file_is_replaced() {
    let dir = scratch("all-or-nothing");
    let kept = write(&dir, "r.json", "old report\n");
    let out = usd1eval()
        .args(["score", "--quiet", WEAK])
        .arg(format!("--output=json={kept}"))
        .arg("--output=sarif=/dev/full")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("/dev/full"), "{}", stderr_of(&out));
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "old report\n");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "a temporary was left"
    );
}

#[test]
fn a_fifo_is_written_into_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("fifo-output");
    let fifo = dir.join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    usd1eval()
        .args(["score", "--quiet", WEAK])
        .arg(format!("--output=json={}", fifo.display()))
        .assert()
        .code(0);
    let text = reader.join().unwrap();
    assert!(text.contains("\"overall\""), "{text}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn sigterm_removes_the_temporaries() {
    let dir = scratch("sigterm");
    let fifo = dir.join("pipe");
    mkfifo(&fifo);
    let report = dir.join("r.json");
    // The file is staged first; opening a FIFO with no reader then blocks,
    // so the run is caught with its temporary on disk.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("usd1eval"))
        .args(["score", "--quiet", WEAK])
        .arg(format!("--output=json={}", report.display()))
        .arg(format!("--output=sarif={}", fifo.display()))
        .spawn()
        .unwrap();
    let staged = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().contains("usd1eval-tmp"))
    };
    let mut waited = 0;
    while !staged(&dir) && waited < 600 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += 1;
    }
    assert!(staged(&dir), "no temporary appeared");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!staged(&dir), "a temporary was left behind");
    assert!(!report.exists());
}

#[test]
fn init_never_replaces_a_dangling_link_without_force() {
    let dir = scratch("init-link");
    let link = dir.join("arrangement.toml");
    std::os::unix::fs::symlink(dir.join("nowhere"), &link).unwrap();
    let out = usd1eval()
        .arg("init")
        .arg("--out")
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("already exists"),
        "{}",
        stderr_of(&out)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    usd1eval()
        .arg("init")
        .arg("--out")
        .arg(&link)
        .arg("--force")
        .assert()
        .code(0);
    assert!(std::fs::metadata(&link).unwrap().is_file());
}

#[test]
fn an_evaluation_date_before_the_file_s_as_of_is_refused() {
    for args in [
        &["score", "--as-of", "2026-01-01", WEAK][..],
        &["compare", "--as-of", "2026-01-01", WEAK, STRONG],
        &["diff", "--as-of", "2026-01-01", WEAK, STRONG],
    ] {
        let out = usd1eval().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr_of(&out).contains("--as-of 2026-01-01 is before the file's as_of date"),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
    // On or after it is fine.
    usd1eval()
        .args(["score", "--as-of", "2026-09-30", WEAK])
        .assert()
        .code(0);
}

#[test]
fn a_report_published_after_the_evaluation_date_never_removes_the_staleness_cap() {
    let dir = scratch("future-published");
    let text = std::fs::read_to_string(STRONG)
        .unwrap()
        .replace("published = 2026-09-18", "published = 2026-12-18")
        .replace("published = 2026-03-20", "published = 2027-03-20");
    let path = write(&dir, "future.toml", &text);
    let capped = |report: &serde_json::Value| {
        report["caps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "stale-assurance")
    };
    assert!(!capped(&common::json_report(STRONG)));
    let out = usd1eval()
        .args(["score", "--format", "json", &path])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(capped(&report), "{}", report["caps"]);
    assert!(report["derived"]["latest_attestation_age_days"].is_null());
}

#[test]
fn a_baseline_of_another_rubric_is_refused_naming_both() {
    let dir = scratch("other-rubric");
    let strict = "tests/fixtures/strict-rubric.toml";
    let out = usd1eval()
        .args(["score", "--format", "json", "--rubric", strict, WEAK])
        .output()
        .unwrap();
    let baseline = write(&dir, "strict.json", &String::from_utf8(out.stdout).unwrap());
    for args in [
        &["score", "--baseline", &baseline, WEAK][..],
        &["diff", &baseline, WEAK],
    ] {
        let out = usd1eval().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains("made with rubric `")
                && (stderr.contains("not rubric `milestones`")
                    || stderr.contains("scored now with rubric `milestones`")),
            "{stderr}"
        );
        assert!(stderr.contains("--allow-other-rubric"), "{stderr}");
        let allowed = usd1eval()
            .args(args)
            .arg("--allow-other-rubric")
            .output()
            .unwrap();
        assert_ne!(allowed.status.code(), Some(2), "{}", stderr_of(&allowed));
    }
    // The same rubric is compared as before.
    let out = usd1eval()
        .args(["score", "--format", "json", WEAK])
        .output()
        .unwrap();
    let same = write(&dir, "same.json", &String::from_utf8(out.stdout).unwrap());
    usd1eval()
        .args(["score", "--baseline", &same, WEAK])
        .assert()
        .code(0);
}

/// The strong example and `n` attestations published after its as_of: each
/// is a warning.
fn many_warnings(dir: &std::path::Path, n: usize) -> String {
    let mut text = std::fs::read_to_string(STRONG).unwrap();
    for i in 0..n {
        text.push_str(&format!(
            "\n[[attestation]]\nkind = \"proof-of-reserves\"\nfirm = \"F{i}\"\npublished = 2027-01-01\n"
        ));
    }
    write(dir, "many-warnings.toml", &text)
}

#[test]
fn diagnostics_are_capped_per_file_and_identical_ones_collapsed() {
    let dir = scratch("diagnostic-cap");
    let path = many_warnings(&dir, 5_000);
    let out = usd1eval().args(["check", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert_eq!(stderr.matches("warning[after-as-of]").count(), 100);
    assert!(
        stderr.contains("and 4900 more problem(s) in this file"),
        "{stderr}"
    );
    // An unclosed table header repeated gives one error per place, not copies.
    let bad = write(&dir, "unclosed.toml", &"[a\n".repeat(500));
    let out = usd1eval().args(["check", &bad]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).matches("error[").count() <= 101);
}

#[test]
fn a_large_report_the_tool_writes_reads_back_as_a_baseline() {
    let dir = scratch("large-baseline");
    let input = many_warnings(&dir, 40_000);
    assert!(std::fs::metadata(&input).unwrap().len() > 3_000_000);
    let report = dir.join("large.json");
    usd1eval()
        .args(["score", "--quiet", &input])
        .arg(format!("--output=json={}", report.display()))
        .assert()
        .code(0);
    let report = report.to_str().unwrap();
    usd1eval()
        .args(["score", "--baseline", report, &input])
        .assert()
        .code(0);
    usd1eval().args(["diff", report, &input]).assert().code(0);
}

#[test]
fn a_string_schema_version_is_a_wrong_type_not_missing() {
    let dir = scratch("schema-version-type");
    let baseline = write(&dir, "b.json", "{\"schema_version\": \"1\"}");
    let out = usd1eval()
        .args(["score", "--baseline", &baseline, WEAK])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("`schema_version` is \"1\", not a number"),
        "{}",
        stderr_of(&out)
    );
}

/// The strong example with a name and an issuer that try to drive the
/// terminal, break the line and inject HTML.
fn hostile_names(dir: &std::path::Path, file: &str) -> String {
    let evil = r"\u001b]0;pwned\u0007\u001b[31mEVIL\nFAKE LINE <script>x</script>\u200b";
    let text = std::fs::read_to_string(STRONG)
        .unwrap()
        .replacen(
            "name = \"Harbor Trust Dollar\"",
            &format!("name = \"Harbor Trust Dollar{evil}\""),
            1,
        )
        .replacen(
            "issuer = \"Harbor Trust Company, LLC\"",
            &format!("issuer = \"Harbor{evil}\""),
            1,
        );
    assert!(text.contains("EVIL"));
    write(dir, file, &text)
}

#[test]
fn untrusted_text_is_escaped_in_every_text_format() {
    let dir = scratch("hostile-text");
    let path = hostile_names(&dir, "evil.toml");
    for format in ["table", "markdown", "github"] {
        let out = usd1eval()
            .args(["score", "--color", "never", "--format", format, &path])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            !stdout.contains('\u{1b}'),
            "{format}: ESC reached the output"
        );
        assert!(
            !stdout.contains('\u{7}'),
            "{format}: BEL reached the output"
        );
        assert!(
            !stdout.contains('\u{200b}'),
            "{format}: an invisible character"
        );
        assert!(
            !stdout.contains("\nFAKE LINE"),
            "{format}: a line break from a name"
        );
        assert!(stdout.contains("EVIL"), "{format}: {stdout}");
    }
    let markdown = usd1eval()
        .args(["score", "--format", "markdown", &path])
        .output()
        .unwrap();
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(!markdown.contains("<script>"), "{markdown}");
    assert!(markdown.contains("&lt;script&gt;"), "{markdown}");
    for command in ["compare", "stress", "history", "check"] {
        let out = usd1eval().args([command, &path]).output().unwrap();
        let stdout = String::from_utf8(out.stdout.clone()).unwrap() + &stderr_of(&out);
        assert!(stdout.contains("EVIL"), "{command}: {stdout}");
        assert!(
            !stdout.contains('\u{1b}'),
            "{command}: ESC reached the output"
        );
        assert!(!stdout.contains("\nFAKE LINE"), "{command}");
    }
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let dir = scratch("sarif-uri");
    let path = write(&dir, "a b#c%.toml", &std::fs::read_to_string(WEAK).unwrap());
    let out = usd1eval()
        .current_dir(&dir)
        .args(["score", "--format", "sarif", "a b#c%.toml"])
        .output()
        .unwrap();
    assert!(std::path::Path::new(&path).exists());
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "a%20b%23c%25.toml");
}

#[test]
fn an_invisible_character_does_not_make_a_second_chain() {
    let dir = scratch("invisible-chain");
    let text = format!(
        "{}\n[[chain]]\nname = \"Eth\u{200b}ereum\"\nsupply_usd = 1\nissuance = \"native\"\n",
        std::fs::read_to_string(STRONG).unwrap()
    );
    assert!(
        std::fs::read_to_string(STRONG)
            .unwrap()
            .contains("name = \"ethereum\"")
    );
    let path = write(&dir, "twice.toml", &text);
    let out = usd1eval().args(["check", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("declared twice"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn help_that_cannot_be_written_is_not_a_success() {
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin!("usd1eval"))
        .arg("--help")
        .stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .status()
        .unwrap();
    assert_ne!(status.code(), Some(0));
}

#[test]
fn a_number_out_of_range_is_reported_with_its_real_value() {
    let dir = scratch("real-value");
    let text = std::fs::read_to_string(STRONG).unwrap().replacen(
        "share_pct = ",
        "share_pct = 100.0000001 # was ",
        1,
    );
    let path = write(&dir, "over.toml", &text);
    let out = usd1eval().args(["check", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("is 100.0000001;"),
        "{}",
        stderr_of(&out)
    );
}

/// `rubric check` of the built-in rubric with `edit` applied: its exit code
/// and stderr.
fn check_edited_rubric(name: &str, edit: impl Fn(String) -> String) -> (Option<i32>, String) {
    let dir = scratch(name);
    let original = std::fs::read_to_string("rubrics/milestones.toml").unwrap();
    let edited = edit(original.clone());
    assert_ne!(edited, original, "{name}: the edit changed nothing");
    let path = write(&dir, "rubric.toml", &edited);
    let out = usd1eval()
        .args(["rubric", "check", &path])
        .output()
        .unwrap();
    (out.status.code(), stderr_of(&out))
}

#[test]
fn rubric_checks_refuse_what_would_score_wrongly() {
    type Edit = fn(String) -> String;
    let cases: [(&str, Edit, &str); 5] = [
        (
            "weights-overflow",
            |t| t.replace("weight = 1.0\n", "weight = 1e308\n"),
            "bucket weights add up to inf",
        ),
        (
            "grades-out-of-order",
            |t| t.replacen("min_score = 85", "min_score = 0", 1),
            "not below",
        ),
        (
            "duplicate-bucket",
            |t| {
                let at = t.find("[[bucket]]").unwrap();
                let block: String = t[at..].lines().take(5).collect::<Vec<_>>().join("\n");
                format!("{t}\n{block}\n")
            },
            "bucket `promise-clarity` is defined twice in this file",
        ),
        (
            "three-layers",
            |t| {
                t.replacen(
                    "layers = [\"redemption\", \"operational\"]",
                    "layers = [\"redemption\", \"operational\", \"legal\"]",
                    1,
                )
            },
            "one or two distinct layers",
        ),
        (
            "repeated-layer",
            |t| {
                t.replacen(
                    "layers = [\"redemption\"]",
                    "layers = [\"redemption\", \"redemption\"]",
                    1,
                )
            },
            "one or two distinct layers",
        ),
    ];
    for (name, edit, expected) in cases {
        let (code, stderr) = check_edited_rubric(name, edit);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
}

#[test]
fn profile_values_are_checked_against_the_schema_and_an_empty_profile_is_refused() {
    let dir = scratch("profile-checks");
    let genius = std::fs::read_to_string("rubrics/profiles/genius-2025.toml").unwrap();
    let cases = [
        (
            "some-one-of.toml",
            genius.replacen("values = [\"attestation\"]", "values = [\"atestation\"]", 1),
            "never takes the value \"atestation\"",
        ),
        (
            "empty.toml",
            "id = \"empty\"\ntitle = \"Empty\"\nsource = \"none\"\n".to_string(),
            "has no [[requirement]]",
        ),
    ];
    for (name, text, expected) in cases {
        assert_ne!(text, genius, "{name}: the edit changed nothing");
        let path = write(&dir, name, &text);
        let out = usd1eval()
            .args(["score", "--require-profile", &path, STRONG])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains(expected),
            "{name}: {}",
            stderr_of(&out)
        );
    }
}

#[test]
fn columns_on_a_long_line_are_counted_in_characters_either_way() {
    // ASCII text takes the byte difference; other text counts characters.
    let ascii = usd1eval::source::SourceFile::new("a.toml", "x = [1, 2, 3]\n");
    assert_eq!(ascii.line_col(9), (1, 10));
    let accented = usd1eval::source::SourceFile::new("b.toml", "é = [1, 2, 3]\n");
    assert_eq!(accented.line_col(10), (1, 10));
}

#[test]
fn a_nan_score_never_passes_a_gate() {
    let rubric = common::milestones();
    let source = usd1eval::source::SourceFile::read(STRONG).unwrap();
    let arrangement = usd1eval::facts::Arrangement::from_source(&source).unwrap();
    let mut report = usd1eval::eval::evaluate(rubric, &[], &arrangement, arrangement.facts.as_of);
    report.overall.score = f64::NAN;
    let options = usd1eval::gate::GateOptions {
        fail_under: Some(0.0),
        ..Default::default()
    };
    usd1eval::gate::apply(&mut report, rubric, &options, None);
    assert!(!report.gates.passed);
}

#[test]
fn a_too_deep_dotted_header_is_reported_at_its_line() {
    let dir = scratch("deep-header");
    let header = vec!["a"; 200].join(".");
    let path = write(
        &dir,
        "deep.toml",
        &format!(
            "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n\n[{header}]\nx = 1\n"
        ),
    );
    let out = usd1eval().args(["check", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("deep.toml:6:1"),
        "{}",
        stderr_of(&out)
    );
}
