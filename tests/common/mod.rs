//! Helpers shared by the integration tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use usd1eval::rubric::{Rubric, load_rubric};

/// The built-in rubric, loaded once; reports borrow their titles from it.
pub fn milestones() -> &'static Rubric {
    static RUBRIC: std::sync::OnceLock<Rubric> = std::sync::OnceLock::new();
    RUBRIC.get_or_init(|| load_rubric("milestones").unwrap())
}

/// A file scored by the library with the built-in rubric on its own date.
pub fn score_file(path: &str) -> usd1eval::report::Report<'static> {
    let source = usd1eval::source::SourceFile::read(path).unwrap();
    let arrangement = usd1eval::facts::Arrangement::from_source(&source).unwrap();
    usd1eval::eval::evaluate(milestones(), &[], &arrangement, arrangement.facts.as_of)
}

/// The binary under test, with a fixed terminal width.
pub fn usd1eval() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("usd1eval").unwrap();
    cmd.env_remove("NO_COLOR").env("COLUMNS", "120");
    cmd
}

/// A fresh, empty scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("usd1eval-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Asserts that a finished command exited 0, showing its stderr when not.
pub fn assert_succeeded(out: &std::process::Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `score --format json FILE`, which must succeed, parsed.
pub fn json_report(file: &str) -> Value {
    score_json(&[file])
}

/// The JSON report of `score` with these further arguments; the run must succeed.
pub fn score_json(args: &[&str]) -> Value {
    let out = usd1eval()
        .args(["score", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert_succeeded(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Writes `text` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// git run in `dir` with no configuration but its own (an identity, no
/// signing, `main` as the first branch), whatever the machine's or the
/// user's configuration says.
pub fn git_command(dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new("git");
    command
        .args([
            "-c",
            "user.name=usd1eval tests",
            "-c",
            "user.email=tests@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        // `git status` leaves the index as it is.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    command
}

/// Runs [`git_command`] with `args`, which must succeed; its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_command(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A git repository in `dir`, on branch `main`, whose one commit holds a
/// copy of the arrangement file `source` at `path`: the base branch a CI
/// gate compares a changed disclosure file against.
pub fn repository_with(dir: &Path, source: &str, path: &str) {
    git(dir, &["init", "-q", "-b", "main"]);
    let target = dir.join(path);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::copy(source, target).unwrap();
    git(dir, &["add", path]);
    git(dir, &["commit", "-q", "-m", "disclosure"]);
}
