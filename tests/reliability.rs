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
