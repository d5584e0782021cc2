//! Hostile inputs, third round (issue 30): nothing lost through standard
//! input, every untrusted text escaped, batches that finish.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};

use common::{scratch, usd1eval, write};

const WEAK: &str = "examples/weak.toml";

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn bin() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("usd1eval"));
    cmd.env_remove("NO_COLOR").env("COLUMNS", "120");
    cmd
}

#[test]
fn a_report_never_replaces_the_file_behind_standard_input() {
    let dir = scratch("stdin-file");
    let text = std::fs::read_to_string(WEAK).unwrap();
    let input = write(&dir, "in.toml", &text);
    let outputs = [
        "json=/dev/stdin".to_string(),
        "json=/dev/fd/0".to_string(),
        "json=/proc/self/fd/0".to_string(),
        format!("json={input}"),
        format!(
            "json={}/../{}/in.toml",
            dir.display(),
            dir.file_name().unwrap().to_string_lossy()
        ),
    ];
    for output in &outputs {
        let out = bin()
            .args(["score", "--quiet", "--output", output, "-"])
            .stdin(std::fs::File::open(&input).unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{output}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("standard input"),
            "{output}: {}",
            stderr_of(&out)
        );
        assert_eq!(std::fs::read_to_string(&input).unwrap(), text, "{output}");
    }
}

#[test]
fn a_report_is_never_written_into_the_pipe_the_run_reads() {
    let text = std::fs::read_to_string(WEAK).unwrap();
    let mut child = bin()
        .args(["score", "--output", "json=/dev/stdin", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        // The run may refuse before reading; a closed pipe is then expected.
        let _ = stdin.write_all(text.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("standard input"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn standard_input_is_named_once_per_run() {
    let cases: &[&[&str]] = &[
        &["score", "-", "-"],
        &["score", "--rubric", "-", "-"],
        &["check", "-", "-"],
        &["compare", "-", "-"],
        &["history", "-", "-"],
        &["stress", "--scenario", "-", "-"],
        &["diff", "-", "-"],
    ];
    for args in cases {
        let out = usd1eval().args(*args).write_stdin("").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("standard input (`-`) is named 2 times"),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
}

#[test]
fn a_file_name_that_is_not_utf8_is_scored_with_the_others() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("not-utf8-name");
    let name = std::ffi::OsStr::from_bytes(b"disclosure-\xff\x1b[2J.toml");
    let odd = dir.join(name);
    std::fs::copy(WEAK, &odd).unwrap();
    let missing = dir.join(std::ffi::OsStr::from_bytes(b"missing-\xfe.toml"));
    let out = bin()
        .args(["score", "--format", "json", WEAK])
        .arg(&odd)
        .arg(&missing)
        .arg("examples/strong-regulated.toml")
        .output()
        .unwrap();
    // The missing file is reported on its own; the three others are scored.
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let reports = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(reports.lines().count(), 3, "{reports}");
    assert!(reports.contains("disclosure-\u{fffd}"), "{reports}");
    let stderr = stderr_of(&out);
    assert!(stderr.contains("missing-\u{fffd}.toml"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    for command in ["check", "compare", "stress"] {
        let out = bin().arg(command).arg(WEAK).arg(&odd).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr_of(&out));
        assert!(!out.stdout.contains(&0x1b), "{command}");
        assert!(!out.stderr.contains(&0x1b), "{command}");
    }
}

#[test]
fn a_scenario_id_names_one_scenario() {
    let dir = scratch("scenario-ids");
    let custom = "title = \"Mild\"\nredemptions_pct = [1]\n";
    let posing = write(&dir, "svb-2023.toml", custom);
    let mild = write(&dir, "mild.toml", custom);
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    let mild_again = write(&sub, "mild.toml", custom);
    let cases: &[&[&str]] = &[
        &["--scenario", &posing, "--scenario", "svb-2023"],
        &["--scenario", "svb-2023", "--scenario", &posing],
        &["--scenario", &posing],
        &["--scenario", "svb-2023", "--scenario", "svb-2023"],
        &["--scenario", &mild, "--scenario", &mild_again],
    ];
    for args in cases {
        let out = usd1eval()
            .arg("stress")
            .args(*args)
            .arg(WEAK)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("error[duplicate]"),
            "{args:?}: {}",
            stderr_of(&out)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    usd1eval()
        .args([
            "stress",
            "--scenario",
            "svb-2023",
            "--scenario",
            &mild,
            WEAK,
        ])
        .assert()
        .code(0);
}

/// `examples/middling.toml` with every amount at the largest the format
/// allows and every day count and basis-point figure far beyond any real one.
fn at_the_bounds() -> String {
    let text = std::fs::read_to_string("examples/middling.toml").unwrap();
    text.lines()
        .map(|line| {
            let key = line.split(" = ").next().unwrap_or("");
            let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if plain && key.ends_with("_usd") {
                format!("{key} = 1e15")
            } else if plain && (key.ends_with("_days") || key.ends_with("_bps")) {
                format!("{key} = 1e300")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn stress_figures_stay_finite_at_the_bounds_of_the_format() {
    let dir = scratch("stress-bounds");
    let file = write(&dir, "max.toml", &at_the_bounds());
    let out = usd1eval()
        .args(["stress", "--format", "json", &file])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema = usd1eval::render::reference::stress_json_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&run).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    for format in ["table", "markdown"] {
        let out = usd1eval()
            .args(["stress", "--format", format, &file])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for bad in ["inf", "NaN", "–×"] {
            assert!(!text.contains(bad), "{format}: {bad} in {text}");
        }
    }
    // Reserves at the bound against ordinary supply: every scenario survives.
    let rich = write(
        &dir,
        "rich.toml",
        &std::fs::read_to_string("examples/middling.toml")
            .unwrap()
            .replace("total_usd = 858_000_000", "total_usd = 1e15"),
    );
    let out = usd1eval()
        .args(["stress", "--format", "json", &rich])
        .output()
        .unwrap();
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(validator.iter_errors(&run).next().is_none());
    for s in run["scenarios"].as_array().unwrap() {
        assert_eq!(s["survives"], true, "{s}");
    }
    // Past the bound: refused at the value, written as the file wrote it.
    let over = write(
        &dir,
        "over.toml",
        &std::fs::read_to_string("examples/middling.toml")
            .unwrap()
            .replace("total_usd = 858_000_000", "total_usd = 1e308"),
    );
    let out = usd1eval().args(["stress", &over]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("is 1e308; it must be between 0 and 1e15"),
        "{stderr}"
    );
}

/// Every `artifactLocation.uri` in a SARIF log.
fn sarif_uris(log: &serde_json::Value, found: &mut Vec<String>) {
    match log {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if key == "artifactLocation" {
                    found.push(value["uri"].as_str().unwrap().to_string());
                } else {
                    sarif_uris(value, found);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| sarif_uris(v, found)),
        _ => {}
    }
}

#[test]
fn sarif_names_an_absolute_path_by_a_file_uri() {
    // SARIF1004: a URI reference beginning with `/` has no scheme; an
    // absolute location must be an absolute URI.
    let dir = scratch("sarif-absolute");
    let absolute = write(
        &dir,
        "my disclosure#1.toml",
        &std::fs::read_to_string(WEAK).unwrap(),
    );
    assert!(absolute.starts_with('/'));
    for (file, expected) in [
        (
            absolute.as_str(),
            format!("file://{}/my%20disclosure%231.toml", dir.display()),
        ),
        (WEAK, WEAK.to_string()),
    ] {
        let out = usd1eval()
            .args(["score", "--format", "sarif", file])
            .output()
            .unwrap();
        let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut uris = Vec::new();
        sarif_uris(&log, &mut uris);
        assert!(!uris.is_empty());
        for uri in uris {
            assert!(!uri.starts_with('/'), "{uri}");
            assert_eq!(uri, expected);
        }
    }
}

const H: &str = "tests/fixtures/hostile";

fn hostile(name: &str) -> String {
    format!("{H}/{name}")
}

/// Every command and format that shows text from a file, fed the hostile
/// fixtures: names with terminal escapes and Markdown, a rubric, profile,
/// waivers and scenario whose texts are Markdown links and markup.
fn hostile_runs() -> Vec<Vec<String>> {
    let a = hostile("arrangement.toml");
    let later = hostile("arrangement-later.toml");
    let rubric = hostile("rubric.toml");
    let profile = hostile("profile.toml");
    let waivers = hostile("waivers.toml");
    let scenario = hostile("scenario.toml");
    let mut runs: Vec<Vec<String>> = Vec::new();
    let v = |args: &[&str]| args.iter().map(ToString::to_string).collect::<Vec<_>>();
    for format in [
        "table", "markdown", "github", "json", "sarif", "junit", "html",
    ] {
        runs.push(v(&[
            "score",
            "--format",
            format,
            "--detail",
            "--profile",
            &profile,
            "--rubric",
            &rubric,
            "--waivers",
            &waivers,
            &a,
        ]));
    }
    for format in ["table", "markdown", "json"] {
        runs.push(v(&[
            "diff", "--format", format, "--rubric", &rubric, &a, &later,
        ]));
    }
    for format in ["table", "markdown", "json", "html"] {
        runs.push(v(&[
            "compare", "--format", format, "--rubric", &rubric, &a, &later,
        ]));
        runs.push(v(&[
            "history",
            "--format",
            format,
            "--rubric",
            &rubric,
            "--waivers",
            &waivers,
            &a,
            &later,
        ]));
        runs.push(v(&[
            "stress",
            "--format",
            format,
            "--scenario",
            &scenario,
            &a,
        ]));
    }
    for id in ["M18", "M18.settlement", "transparency"] {
        runs.push(v(&["explain", "--rubric", &rubric, id]));
    }
    runs.push(v(&["rubric", "show", &rubric]));
    runs.push(v(&["rubric", "show", &profile]));
    runs.push(v(&["check", &a]));
    runs.push(v(&["score", "--min-grade", "Z", "--rubric", &rubric, &a]));
    for kind in ["rubric", "profile", "waivers", "scenario"] {
        let file = hostile(&format!("control-{kind}.toml"));
        runs.push(v(&["rubric", "check", &file]));
        let option = match kind {
            "rubric" => "--rubric",
            "profile" => "--profile",
            "waivers" => "--waivers",
            _ => "--scenario",
        };
        let command = if kind == "scenario" {
            "stress"
        } else {
            "score"
        };
        runs.push(v(&[command, option, &file, &a]));
    }
    runs
}

#[test]
fn no_terminal_escape_from_a_file_reaches_the_terminal() {
    for color in ["never", "always"] {
        for args in hostile_runs() {
            let out = usd1eval()
                .args(["--color", color])
                .args(&args)
                .output()
                .unwrap();
            let both = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
            let text = String::from_utf8_lossy(&both);
            assert!(!text.contains("\u{1b}[2J"), "{color} {args:?}: {text}");
            assert!(!text.contains('\u{7}'), "{color} {args:?}: {text}");
            if color == "never" {
                assert!(!text.contains('\u{1b}'), "{color} {args:?}: {text}");
            }
        }
    }
}

#[test]
fn control_characters_in_rubric_profile_waiver_and_scenario_files_are_refused() {
    for args in hostile_runs()
        .into_iter()
        .filter(|args| args.iter().any(|a| a.contains("control-")))
    {
        let out = usd1eval().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = stderr_of(&out);
        let file = args.iter().find(|a| a.contains("control-")).unwrap();
        if args[0] != "rubric" || file.ends_with("control-rubric.toml") {
            assert!(
                stderr.contains("error[control-character]"),
                "{args:?}: {stderr}"
            );
        }
    }
    // A grade letter is one of those texts.
    let out = usd1eval()
        .args(["rubric", "check", &hostile("control-rubric.toml")])
        .output()
        .unwrap();
    assert!(stderr_of(&out).contains("`letter` in [[grade]] holds the character \\u{1b}"));
}

#[test]
fn markdown_shows_names_as_written_and_never_as_links() {
    for args in hostile_runs()
        .into_iter()
        .filter(|args| args.windows(2).any(|w| w == ["--format", "markdown"]))
    {
        let out = usd1eval().args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("\\[click\\]"), "{args:?}: {text}");
        for live in [
            "](", "![", "<b>", "https://", "www.evil", "*bold*", "`code`", "_u_",
        ] {
            assert!(!text.contains(live), "{args:?}: {live} in {text}");
        }
    }
}

#[test]
fn a_month_that_does_not_exist_is_an_invalid_date_with_a_valid_fix() {
    let dir = scratch("bad-month");
    let text = std::fs::read_to_string(WEAK).unwrap();
    let as_of = text.lines().find(|l| l.starts_with("as_of = ")).unwrap();
    for (written, what) in [
        ("\"2025-13\"", "not a real month"),
        ("\"2025-02-30\"", "not a real date"),
    ] {
        let file = write(
            &dir,
            "f.toml",
            &text.replace(as_of, &format!("as_of = {written}")),
        );
        let out = usd1eval().args(["check", &file]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = stderr_of(&out);
        assert!(stderr.contains("error[invalid-date]"), "{stderr}");
        assert!(stderr.contains(what), "{stderr}");
        assert!(!stderr.contains("as_of = 2025-13"), "{stderr}");
        assert!(!stderr.contains("as_of = 2025-02-30"), "{stderr}");
    }
}

#[test]
fn a_huge_number_in_a_scenario_is_written_short() {
    let dir = scratch("huge-scenario");
    let file = write(
        &dir,
        "big.toml",
        "title = \"Big\"\nredemptions_pct = [1e308]\nrate_shock_bps = 1e300\n",
    );
    let out = usd1eval()
        .args(["stress", "--scenario", &file, WEAK])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    assert!(stderr.contains("redemptions add up to 1e308 %"), "{stderr}");
    assert!(stderr.contains("`rate_shock_bps` is 1e300"), "{stderr}");
    assert!(!stderr.contains("0000000000"), "{stderr}");
}

#[test]
fn every_error_of_a_file_is_counted_beyond_those_shown() {
    let dir = scratch("many-errors");
    let text = std::fs::read_to_string(WEAK).unwrap();
    let bogus: String = (0..5000).map(|i| format!("bogus_{i} = 1\n")).collect();
    let file = write(
        &dir,
        "many.toml",
        &text.replacen("[arrangement]\n", &format!("[arrangement]\n{bogus}"), 1),
    );
    let out = usd1eval().args(["check", &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(": 5000 error(s); nothing scored"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error[unknown-key]").count(), 100);
}

#[test]
fn init_into_a_stream_names_a_schema_path_beside_the_saved_file() {
    let out = usd1eval()
        .args(["init", "--out", "/dev/stdout"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = stderr_of(&out);
    assert!(stderr.contains("> arrangement.schema.json"), "{stderr}");
    assert!(!stderr.contains("/dev/arrangement.schema.json"), "{stderr}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("#:schema")
    );
}

#[test]
fn a_required_text_may_not_be_empty() {
    let dir = scratch("empty-title");
    for title in ["\"\"", "\"  \""] {
        let file = write(
            &dir,
            "s.toml",
            &format!("title = {title}\nredemptions_pct = [1]\n"),
        );
        let out = usd1eval()
            .args(["stress", "--scenario", &file, WEAK])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr_of(&out).contains("`title` in the scenario is empty"),
            "{}",
            stderr_of(&out)
        );
    }
}

#[test]
fn a_baseline_may_start_with_a_byte_order_mark() {
    let dir = scratch("bom-baseline");
    let out = usd1eval()
        .args(["score", "--format", "json", WEAK])
        .output()
        .unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&out.stdout);
    let baseline = dir.join("base.json");
    std::fs::write(&baseline, bytes).unwrap();
    let baseline = baseline.to_str().unwrap();
    usd1eval()
        .args(["score", "--baseline", baseline, WEAK])
        .assert()
        .code(0);
    usd1eval().args(["diff", baseline, WEAK]).assert().code(0);
}

#[test]
fn a_diff_of_two_rubrics_names_each_side_with_its_own() {
    let dir = scratch("diff-rubrics");
    let report = |rubric: &str| {
        let out = usd1eval()
            .args(["score", "--format", "json", "--rubric", rubric, WEAK])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let old = write(&dir, "old.json", &report("milestones"));
    let new = write(
        &dir,
        "new.json",
        &report("tests/fixtures/strict-rubric.toml"),
    );
    let out = usd1eval().args(["diff", &old, &new]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!("{old} is made with rubric `milestones`")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{new} is made with rubric `strict`")),
        "{stderr}"
    );
    usd1eval()
        .args(["diff", "--allow-other-rubric", &old, &new])
        .assert()
        .code(0);
}

#[test]
fn the_narrowest_width_is_kept_by_every_table_of_a_score() {
    for file in [
        WEAK,
        "examples/middling.toml",
        "examples/strong-regulated.toml",
    ] {
        for detail in [&[][..], &["--detail"][..]] {
            let out = usd1eval()
                .args(["score", "--width", "40"])
                .args(detail)
                .arg(file)
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            // Only a single word longer than the width (a fact path) may pass it.
            for line in text.lines().filter(|l| l.chars().count() > 40) {
                assert!(!line.trim().contains(' '), "{file}: {line}\n{text}");
            }
            assert!(text.contains("Bucket × layer"), "{text}");
        }
    }
}

#[test]
fn a_scenario_id_taken_from_a_file_name_is_escaped() {
    let dir = scratch("scenario-name");
    let file = write(
        &dir,
        "run\u{1b}[2J\u{7}.toml",
        &std::fs::read_to_string(hostile("scenario.toml")).unwrap(),
    );
    for format in ["table", "markdown", "json", "html"] {
        let out = usd1eval()
            .args([
                "--color",
                "never",
                "stress",
                "--format",
                format,
                "--scenario",
                &file,
                WEAK,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr_of(&out));
        assert!(
            !out.stdout.contains(&0x1b) && !out.stdout.contains(&0x07),
            "{format}"
        );
        assert!(!out.stderr.contains(&0x1b), "{format}");
    }
}

/// A profile's out-of-scope reason quotes what the file declares: an escape
/// sequence in a free-text fact is shown escaped in a table, never acted on.
#[test]
fn an_out_of_scope_reason_quoting_the_file_is_escaped() {
    let dir = scratch("scope-reason-escape");
    let text = std::fs::read_to_string(WEAK).unwrap().replacen(
        "[arrangement]\n",
        "[arrangement]\nissuer = \"Evil\\u001b[2J Corp\"\n",
        1,
    );
    let arrangement = write(&dir, "a.toml", &text);
    let profile = write(
        &dir,
        "p.toml",
        "id = \"p\"\ntitle = \"P\"\nsource = \"S\"\n\
         [[scope]]\ncovers = \"issuers named Someone\"\n\
         any = [{ fact = \"arrangement.issuer\", op = \"one-of\", values = [\"Someone\"] }]\n\
         [[requirement]]\nid = \"R\"\nclause = \"§1\"\ntitle = \"t\"\n\
         require = [{ fact = \"redemption.policy_published\", op = \"is-true\" }]\n",
    );
    let out = bin()
        .args(["score", "--profile", &profile, &arrangement])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Out of scope: issuers named Someone"),
        "{stdout}"
    );
    assert!(
        stdout.contains("arrangement.issuer is Evil\\u{1b}[2J Corp"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
}
