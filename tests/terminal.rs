//! The analyst's terminal: the scorecard in a real 80-column terminal (a
//! pty), tables at a given width, `compare` of many files, the progress
//! line, and the `init` template.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::io::Read;
use std::path::Path;

use common::{scratch, usd1eval};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use serde_json::Value;

const WEAK: &str = "examples/weak.toml";
const MIDDLING: &str = "examples/middling.toml";

/// Runs the binary in a pseudo-terminal `cols` wide and returns what it
/// showed, colour codes removed, lines without their `\r`.
fn in_terminal(cols: u16, args: &[&str]) -> String {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 60,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_usd1eval"));
    command.args(args);
    command.cwd(env!("CARGO_MANIFEST_DIR"));
    // The width must come from the terminal itself.
    command.env_remove("COLUMNS");
    command.env_remove("NO_COLOR");
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    // Reading ends with an error (EIO) or 0 once the program has exited.
    while let Ok(n) = reader.read(&mut buffer) {
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..n]);
    }
    assert!(child.wait().unwrap().success());
    strip_ansi(&String::from_utf8_lossy(&bytes)).replace('\r', "")
}

/// `text` without ANSI escape sequences (`ESC [ … letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn columns(line: &str) -> usize {
    line.chars().count()
}

/// The JSON report of a file.
fn report(path: &str) -> Value {
    let out = usd1eval()
        .args(["score", "--format", "json", path])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The findings not met, as the scorecard lists them: by what meeting each
/// adds to the overall score, then points lost, then check id; the first
/// fifteen.
fn costly(report: &Value) -> Vec<(String, String)> {
    let lost = |f: &Value| f["points"].as_f64().unwrap() - f["earned"].as_f64().unwrap();
    let mut findings: Vec<&Value> = report["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["findings"].as_array().unwrap())
        .filter(|f| f["outcome"] != "not-applicable" && lost(f) > 0.0)
        .collect();
    let gain = |f: &Value| f["gain"].as_f64().unwrap();
    findings.sort_by(|a, b| {
        gain(b)
            .total_cmp(&gain(a))
            .then_with(|| lost(b).total_cmp(&lost(a)))
            .then_with(|| a["check"].as_str().cmp(&b["check"].as_str()))
    });
    findings
        .iter()
        .take(15)
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["fact"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts that `word` stands whole on some line of `text`.
fn assert_whole(text: &str, word: &str) {
    assert!(
        text.lines().any(|l| l.contains(word)),
        "`{word}` is not whole on any line:\n{text}"
    );
}

#[test]
fn the_scorecard_fits_an_80_column_terminal_with_no_id_or_fact_path_broken() {
    for (file, extra) in [(WEAK, None), (MIDDLING, Some("genius-2025"))] {
        let mut args = vec!["score", file];
        if let Some(profile) = extra {
            args.extend(["--profile", profile]);
        }
        let shown = in_terminal(80, &args);
        for line in shown.lines() {
            assert!(columns(line) <= 80, "{} columns: {line}", columns(line));
        }
        let report = report(file);
        assert_whole(
            &shown,
            &format!(
                "facts as of {}",
                report["arrangement"]["as_of"].as_str().unwrap()
            ),
        );
        assert_whole(
            &shown,
            &format!(
                "evaluated as of {}",
                report["evaluated_as_of"].as_str().unwrap()
            ),
        );
        let costly = costly(&report);
        assert_eq!(costly.len(), 15);
        for (check, fact) in &costly {
            assert_whole(&shown, check);
            assert_whole(&shown, fact);
        }
        for step in report["next_steps"].as_array().unwrap() {
            assert_whole(&shown, step["fact"].as_str().unwrap());
        }
        for layer in report["layers"].as_array().unwrap() {
            assert_whole(&shown, layer["title"].as_str().unwrap());
        }
    }
}

#[test]
fn a_wider_terminal_gets_a_wider_table_and_a_pipe_gets_columns_or_100() {
    let wide = in_terminal(140, &["score", MIDDLING]);
    assert!(wide.lines().any(|l| columns(l) > 80 && columns(l) <= 140));
    assert!(wide.contains("Transaction ┆ Redemption"), "{wide}");
    let piped = |columns_env: Option<&str>| {
        let mut command = usd1eval();
        command.env_remove("COLUMNS");
        if let Some(c) = columns_env {
            command.env("COLUMNS", c);
        }
        let out = command.args(["score", WEAK]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let widest = |text: &str| text.lines().map(columns).max().unwrap();
    assert_eq!(widest(&piped(None)), 100);
    assert!(widest(&piped(Some("72"))) <= 72);
}

#[test]
fn the_table_at_width_80() {
    for (name, args) in [
        ("weak_80", vec!["score", "--width", "80", WEAK]),
        (
            "middling_profile_80",
            vec![
                "score",
                "--width",
                "80",
                "--profile",
                "genius-2025",
                MIDDLING,
            ],
        ),
    ] {
        let out = usd1eval().args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.lines().all(|l| columns(l) <= 80));
        insta::assert_snapshot!(name, text);
    }
}

/// Ten arrangement files with names of the lengths people give them.
fn ten_arrangements(dir: &Path) -> Vec<(String, String)> {
    let names = [
        "Harbor Trust Dollar",
        "Meridian Pay Dollar",
        "Sandbar Dollar",
        "Northwind Settlement Dollar",
        "Cobalt USD",
        "Lantern Digital Dollar",
        "Prairie Bank Token",
        "Summit Reserve Dollar",
        "Kestrel Payments USD",
        "Atlas Clearing Dollar",
    ];
    let sources = ["examples/strong-regulated.toml", MIDDLING, WEAK];
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let source = std::fs::read_to_string(sources[i % sources.len()]).unwrap();
            let old = source
                .lines()
                .find(|l| l.starts_with("name = "))
                .unwrap()
                .to_string();
            let path = dir.join(format!("arrangement-{i}.toml"));
            std::fs::write(
                &path,
                source.replacen(&old, &format!("name = \"{name}\""), 1),
            )
            .unwrap();
            (name.to_string(), path.display().to_string())
        })
        .collect()
}

#[test]
fn compare_of_ten_files_fits_100_columns_with_every_name_whole() {
    let dir = scratch("compare-ten");
    let files = ten_arrangements(&dir);
    let out = usd1eval()
        .arg("compare")
        .args(files.iter().map(|(_, path)| path))
        .args(["--width", "100"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(columns(line) <= 100, "{} columns: {line}", columns(line));
    }
    let header = text.lines().next().unwrap();
    for figure in [
        "Arrangement",
        "Score",
        "Grade",
        "Coverage",
        "Caps",
        "Stage",
        "Outrun",
    ] {
        assert!(header.contains(figure), "{header}");
    }
    // One row per arrangement, in the files' order, starting with its name.
    let rows: Vec<&str> = text
        .lines()
        .skip(2)
        .filter(|l| !l.starts_with(' '))
        .collect();
    assert_eq!(rows.len(), 10, "{text}");
    for ((name, path), row) in files.iter().zip(&rows) {
        assert!(row.starts_with(name.as_str()), "{row}");
        assert!(!text.contains(path.as_str()), "paths are not shown");
    }
}

#[test]
fn compare_sorts_by_score_grade_or_name() {
    let dir = scratch("compare-sort");
    let files = ten_arrangements(&dir);
    let sorted = |key: &str| -> Vec<Value> {
        let out = usd1eval()
            .args(["compare", "--format", "json", "--sort", key])
            .args(files.iter().map(|(_, path)| path))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["arrangements"].as_array().unwrap().clone()
    };
    let scores: Vec<f64> = sorted("score")
        .iter()
        .map(|a| a["overall"]["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let grades: Vec<String> = sorted("grade")
        .iter()
        .map(|a| a["overall"]["grade"].as_str().unwrap_or("~").to_string())
        .collect();
    assert!(grades.windows(2).all(|w| w[0] <= w[1]), "{grades:?}");
    let names: Vec<String> = sorted("name")
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect();
    let mut expected = names.clone();
    expected.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, expected);
    assert_eq!(
        names.first().map(String::as_str),
        Some("Atlas Clearing Dollar")
    );
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let files: Vec<&str> = std::iter::repeat_n(MIDDLING, 600).collect();
    for command in ["score", "check"] {
        let mut cmd = usd1eval();
        cmd.arg(command);
        if command == "score" {
            cmd.arg("--quiet");
        }
        let out = cmd.args(&files).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("files ["), "{stderr}");
        assert!(!stderr.contains('\r'));
    }
}

#[test]
fn a_long_batch_in_a_terminal_shows_one_progress_line_and_clears_it() {
    let files: Vec<&str> = std::iter::repeat_n(MIDDLING, 1500).collect();
    let mut args = vec!["score", "--quiet"];
    args.extend(&files);
    let started = std::time::Instant::now();
    let shown = in_terminal(80, &args);
    // The line appears only after a second of work; a machine fast enough
    // to finish sooner rightly shows none.
    if started.elapsed() > std::time::Duration::from_secs(2) {
        assert!(shown.contains("scoring "), "{shown:?}");
        assert!(shown.contains("/1500 files ["), "{shown:?}");
    }
}

#[test]
fn the_init_template_checks_clean_and_declares_only_the_required_keys() {
    let dir = scratch("init-template");
    let path = dir.join("arrangement.toml");
    let out = usd1eval()
        .args(["init", "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usd1eval schema arrangement >"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.lines().next(),
        Some("#:schema ./arrangement.schema.json")
    );
    let declared: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(" = ").next().unwrap())
        .collect();
    assert_eq!(declared, ["format", "[arrangement]", "name", "as_of"]);
    let check = usd1eval().arg("check").arg(&path).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stderr).contains(": ok ("));
    // Scored, nothing counts as evidence: every check finds its fact not
    // disclosed, or does not apply.
    let report = report(path.to_str().unwrap());
    for m in report["milestones"].as_array().unwrap() {
        for f in m["findings"].as_array().unwrap() {
            assert!(
                f["outcome"] == "not-disclosed" || f["outcome"] == "not-applicable",
                "{f}"
            );
        }
    }
    assert_eq!(report["overall"]["coverage_pct"], 0.0);
    // The schema the directive names is the one `schema arrangement` writes.
    let schema = usd1eval().args(["schema", "arrangement"]).output().unwrap();
    let written: Value = serde_json::from_slice(&schema.stdout).unwrap();
    let published: Value = serde_json::from_str(
        &std::fs::read_to_string("docs/schema/arrangement.schema.json").unwrap(),
    )
    .unwrap();
    assert_eq!(written, published);
}

#[test]
fn a_narrow_width_wraps_text_and_drops_bars_but_never_breaks_an_id_or_path() {
    let out = usd1eval()
        .args(["score", "--width", "50", MIDDLING])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let report = report(MIDDLING);
    for (check, fact) in costly(&report) {
        assert_whole(&text, &check);
        assert_whole(&text, &fact);
    }
    // Outside tables, only a word longer than the width may pass it (a long
    // fact path); a table is wider only by what its longest words need.
    let table_line = |l: &str| l.starts_with(['│', '┌', '└', '╞']);
    for line in text.lines().filter(|l| columns(l) > 50 && !table_line(l)) {
        assert!(!line.trim().contains(' '), "{line}");
    }
    assert!(text.lines().all(|l| columns(l) <= 52), "{text}");
    // The bucket rows (with their coverage %) lose their bars first; the
    // narrow scale-layer table keeps them.
    let bucket_rows = text
        .lines()
        .filter(|l| l.starts_with('│') && l.contains('%'));
    assert!(bucket_rows.clone().count() >= 7);
    assert!(bucket_rows.clone().all(|l| !l.contains('█')), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("│ Transaction ") && l.contains('█'))
    );
    assert!(text.contains("│ Bucket "));
}
