//! The bad-input corpus: every file in tests/bad-inputs/ gets a clear refusal
//! (or, for warnings, a score) with its expected exit code, never a panic, and
//! its message is snapshotted. Oversized input is generated at run time.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use assert_cmd::Command;

/// Files that load with warnings only; everything else must exit 2.
const WARNINGS_ONLY: &[&str] = &["date-after-as-of"];

fn check(path: &str) -> (i32, String, String) {
    let out = Command::cargo_bin("usd1eval")
        .unwrap()
        .args(["check", path])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_bad_input_is_refused_clearly() {
    let mut files: Vec<_> = std::fs::read_dir("tests/bad-inputs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "the corpus has {} cases", files.len());
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let shown = path.to_string_lossy().into_owned();
        let (code, stdout, stderr) = check(&shown);
        let expected = if WARNINGS_ONLY.contains(&stem.as_str()) {
            0
        } else {
            2
        };
        assert_eq!(code, expected, "{stem}: {stderr}");
        assert!(stdout.is_empty(), "{stem}: nothing on stdout");
        assert!(!stderr.contains("panicked"), "{stem}: {stderr}");
        // Every diagnostic has a code, names the file and shows the
        // offending line with a marker under it.
        let lines: Vec<&str> = stderr.lines().collect();
        let headers: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].starts_with("error") || lines[i].starts_with("warning"))
            .collect();
        assert!(!headers.is_empty(), "{stem}: no diagnostic");
        for (n, &i) in headers.iter().enumerate() {
            let block = &lines[i..headers.get(n + 1).copied().unwrap_or(lines.len())];
            assert!(
                block[0].starts_with("error[") || block[0].starts_with("warning["),
                "{stem}: every message has a code: {}",
                block[0]
            );
            assert!(
                block[1].trim_start().starts_with(&format!("--> {shown}:")),
                "{stem}: every message names the file: {}",
                block[1]
            );
            assert!(
                block.iter().any(|l| l.contains(" | ") && l.contains('^')),
                "{stem}: every message shows a marker under its line: {block:#?}"
            );
        }
        insta::assert_snapshot!(format!("bad_input__{stem}"), stderr);
    }
}

#[test]
fn oversized_input_is_refused() {
    let path = std::env::temp_dir().join(format!("usd1eval-oversized-{}.toml", std::process::id()));
    let mut text = String::from("format = 1\n");
    while text.len() <= usd1eval::source::MAX_INPUT_BYTES {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&path, text).unwrap();
    let (code, _, stderr) = check(path.to_str().unwrap());
    std::fs::remove_file(&path).unwrap();
    assert_eq!(code, 2);
    assert!(
        stderr.contains("larger than the limit of 4194304 bytes"),
        "{stderr}"
    );
}

#[test]
fn scoring_a_bad_file_writes_nothing_half_way() {
    let dir = std::env::temp_dir().join(format!("usd1eval-halfway-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("report.json");
    let out = Command::cargo_bin("usd1eval")
        .unwrap()
        .args(["score", "--output"])
        .arg(format!("json={}", report.display()))
        .arg("tests/bad-inputs/many-problems-at-once.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        !report.exists(),
        "no report is written for a file that could not be evaluated"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; {} score examples/weak.toml | head -1",
            assert_cmd::cargo::cargo_bin("usd1eval").display()
        ))
        .output()
        .unwrap();
    common::assert_succeeded(&out);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Sandbar Dollar\n");
    assert!(
        out.stderr.is_empty(),
        "quietly: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
