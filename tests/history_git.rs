//! `usd1eval history --git FILE`: the disclosures are a file's committed
//! versions. Five commits of one file give the points and alerts of the five
//! files given by name; the newest commit of a date wins; renames are
//! followed and deletions passed over; an invalid version is named with its
//! commit; a path outside a repository or never committed is refused; the
//! work tree, index and HEAD are left as they were; relative and absolute
//! paths work from any directory.
//!
//! Every git command here runs without the system's or the user's
//! configuration, so a developer's git settings change nothing.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::{Path, PathBuf};

use common::{git, scratch, usd1eval};
use predicates::prelude::*;
use serde_json::Value;

/// The five quarters of the drift series, oldest first.
fn drift() -> Vec<String> {
    let dir = "tests/fixtures/history/drift";
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "{dir} holds five quarters");
    files
}

/// A fresh repository in a scratch directory.
fn repository(name: &str) -> PathBuf {
    let dir = scratch(name);
    git(&dir, &["init", "-q"]);
    dir
}

/// Writes `text` at `path` in the repository and commits it; the commit's
/// short hash.
fn commit(repo: &Path, path: &str, text: &str) -> String {
    let target = repo.join(path);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, text).unwrap();
    git(repo, &["add", "--", path]);
    git(repo, &["commit", "-q", "-m", &format!("disclosure {path}")]);
    short_head(repo)
}

fn short_head(repo: &Path) -> String {
    git(repo, &["rev-parse", "--short", "HEAD"])
        .trim()
        .to_string()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// `usd1eval` without the system's or the user's git configuration, and
/// never finding a repository above the scratch directories.
fn tool() -> assert_cmd::Command {
    let mut cmd = usd1eval();
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CEILING_DIRECTORIES", std::env::temp_dir());
    cmd
}

/// `history --format json` with these arguments, run in `cwd`; it must
/// succeed.
fn history_json(cwd: &Path, args: &[&str]) -> Value {
    let out = tool()
        .current_dir(cwd)
        .args(["history", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    common::assert_succeeded(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn files_of(h: &Value) -> Vec<String> {
    h["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap().to_string())
        .collect()
}

/// The points with their `file` left out.
fn without_files(h: &Value) -> Vec<Value> {
    h["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.as_object_mut().unwrap().remove("file").unwrap();
            p
        })
        .collect()
}

/// A repository whose `disclosure.toml` was committed once per quarter of
/// the drift series, oldest first; the short hashes of the commits.
fn drift_repository(name: &str) -> (PathBuf, Vec<String>) {
    let repo = repository(name);
    let commits = drift()
        .iter()
        .map(|file| commit(&repo, "disclosure.toml", &read(file)))
        .collect();
    (repo, commits)
}

#[test]
fn five_commits_of_one_file_give_the_points_and_alerts_of_the_five_files() {
    let (repo, commits) = drift_repository("git-five");
    let here = std::env::current_dir().unwrap();
    let path = repo.join("disclosure.toml");
    let from_git = history_json(&here, &["--git", path.to_str().unwrap()]);
    let files = drift();
    let file_args: Vec<&str> = files.iter().map(String::as_str).collect();
    let from_files = history_json(&here, &file_args);

    assert_eq!(from_git["schema_version"], from_files["schema_version"]);
    assert_eq!(from_git["arrangement"], from_files["arrangement"]);
    assert_eq!(from_git["rubric"], from_files["rubric"]);
    assert_eq!(without_files(&from_git), without_files(&from_files));
    assert_eq!(without_files(&from_git).len(), 5);
    // The same alerts: ids, figures, spans, values, thresholds, messages.
    assert_eq!(from_git["alerts"], from_files["alerts"]);
    assert!(
        !from_git["alerts"].as_array().unwrap().is_empty(),
        "the drift series raises alerts"
    );
    // Each point names the commit it was read from.
    let expected: Vec<String> = commits
        .iter()
        .map(|c| format!("disclosure.toml@{c}"))
        .collect();
    assert_eq!(files_of(&from_git), expected);

    // The gate fails on the same alerts, whichever way the disclosures came.
    tool()
        .args(["history", "--fail-on-deterioration", "--git"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("deterioration: buffer-shrinking"));
    std::fs::remove_dir_all(&repo).unwrap();
}

#[test]
fn a_commit_that_corrects_a_date_already_committed_wins() {
    let (repo, commits) = drift_repository("git-correction");
    let march = &drift()[2];
    let corrected = read(march).replace(
        "outstanding_usd = 740_000_000",
        "outstanding_usd = 735_000_000",
    );
    assert_ne!(corrected, read(march));
    let correction = commit(&repo, "disclosure.toml", &corrected);
    let h = history_json(&repo, &["--git", "disclosure.toml"]);
    let points = h["points"].as_array().unwrap();
    assert_eq!(points.len(), 5, "one point per date");
    assert_eq!(points[2]["as_of"], "2026-03-31");
    assert_eq!(points[2]["facts"]["supply.outstanding_usd"], 735_000_000);
    assert_eq!(
        files_of(&h),
        vec![
            format!("disclosure.toml@{}", commits[0]),
            format!("disclosure.toml@{}", commits[1]),
            format!("disclosure.toml@{correction}"),
            format!("disclosure.toml@{}", commits[3]),
            format!("disclosure.toml@{}", commits[4]),
        ]
    );
    std::fs::remove_dir_all(&repo).unwrap();
}

#[test]
fn a_renamed_file_is_followed_and_a_commit_that_deleted_it_is_passed_over() {
    let repo = repository("git-rename");
    let files = drift();
    let first = commit(&repo, "q.toml", &read(&files[0]));
    let second = commit(&repo, "q.toml", &read(&files[1]));
    std::fs::create_dir_all(repo.join("disclosures")).unwrap();
    git(&repo, &["mv", "q.toml", "disclosures/sloane.toml"]);
    git(&repo, &["commit", "-q", "-m", "move"]);
    let moved = short_head(&repo);
    let third = commit(&repo, "disclosures/sloane.toml", &read(&files[2]));
    git(&repo, &["rm", "-q", "disclosures/sloane.toml"]);
    git(&repo, &["commit", "-q", "-m", "withdrawn"]);
    let fourth = commit(&repo, "disclosures/sloane.toml", &read(&files[3]));
    let fifth = commit(&repo, "disclosures/sloane.toml", &read(&files[4]));
    let h = history_json(&repo.join("disclosures"), &["--git", "sloane.toml"]);
    // The move commit holds the second quarter again: the newest commit of
    // that date, under its new name.
    assert_eq!(
        files_of(&h),
        vec![
            format!("q.toml@{first}"),
            format!("disclosures/sloane.toml@{moved}"),
            format!("disclosures/sloane.toml@{third}"),
            format!("disclosures/sloane.toml@{fourth}"),
            format!("disclosures/sloane.toml@{fifth}"),
        ]
    );
    assert_ne!(second, moved);
    let file_args: Vec<&str> = files.iter().map(String::as_str).collect();
    let from_files = history_json(Path::new("."), &file_args);
    assert_eq!(h["alerts"], from_files["alerts"]);
    std::fs::remove_dir_all(&repo).unwrap();
}

#[test]
fn a_merge_that_resolves_a_conflict_is_a_version_of_its_own() {
    let repo = repository("git-merge");
    let files = drift();
    let first = commit(&repo, "disclosure.toml", &read(&files[0]));
    git(&repo, &["checkout", "-q", "-b", "side"]);
    let side = commit(&repo, "disclosure.toml", &read(&files[1]));
    git(&repo, &["checkout", "-q", "main"]);
    let main = commit(&repo, "disclosure.toml", &read(&files[2]));
    // Both branches changed the file: the merge stops on the conflict, and
    // its resolution is a fourth quarter, which neither parent holds.
    let merge = common::git_command(&repo)
        .args(["merge", "-q", "side"])
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge conflicts");
    let merged = commit(&repo, "disclosure.toml", &read(&files[3]));
    let h = history_json(&repo, &["--git", "disclosure.toml"]);
    assert_eq!(
        files_of(&h),
        vec![
            format!("disclosure.toml@{first}"),
            format!("disclosure.toml@{side}"),
            format!("disclosure.toml@{main}"),
            format!("disclosure.toml@{merged}"),
        ]
    );
    std::fs::remove_dir_all(&repo).unwrap();
}

#[test]
fn a_shallow_clone_is_read_with_a_warning() {
    let (repo, commits) = drift_repository("git-shallow-origin");
    let clone = scratch("git-shallow");
    let url = format!("file://{}", repo.display());
    git(&clone, &["clone", "-q", "--depth", "2", &url, "."]);
    let out = tool()
        .current_dir(&clone)
        .args(["history", "--format", "json", "--git", "disclosure.toml"])
        .output()
        .unwrap();
    common::assert_succeeded(&out);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("warning[unreadable]"), "{stderr}");
    assert!(stderr.contains("shallow clone"), "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    let h: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        files_of(&h),
        vec![
            format!("disclosure.toml@{}", commits[3]),
            format!("disclosure.toml@{}", commits[4]),
        ]
    );
    std::fs::remove_dir_all(&repo).unwrap();
    std::fs::remove_dir_all(&clone).unwrap();
}

#[test]
fn an_invalid_version_is_named_with_its_commit_and_nothing_is_printed() {
    let repo = repository("git-invalid");
    let files = drift();
    commit(&repo, "disclosure.toml", &read(&files[0]));
    let bad = commit(
        &repo,
        "disclosure.toml",
        &read(&files[1]).replace("holders_count", "holder_count"),
    );
    commit(&repo, "disclosure.toml", &read(&files[2]));
    tool()
        .current_dir(&repo)
        .args(["history", "--git", "disclosure.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!("disclosure.toml@{bad}:")))
        .stderr(predicate::str::contains("error[unknown-key]"))
        .stderr(predicate::str::contains(format!(
            "disclosure.toml@{bad}: 1 error(s)"
        )));
    std::fs::remove_dir_all(&repo).unwrap();
}

#[test]
fn a_path_outside_any_repository_is_refused() {
    let dir = scratch("git-outside");
    std::fs::copy(&drift()[0], dir.join("disclosure.toml")).unwrap();
    tool()
        .current_dir(&dir)
        .args(["history", "--git", "disclosure.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("error[unreadable]"))
        .stderr(predicate::str::contains("not inside a git work tree"))
        .stderr(predicate::str::contains(
            "or give the disclosure files by name",
        ));
    // A directory that does not exist is said to be missing.
    tool()
        .args(["history", "--git"])
        .arg(dir.join("nowhere").join("disclosure.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such directory"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_never_committed_is_refused() {
    // A repository without a single commit.
    let repo = repository("git-never");
    std::fs::copy(&drift()[0], repo.join("disclosure.toml")).unwrap();
    tool()
        .current_dir(&repo)
        .args(["history", "--git", "disclosure.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("error[unreadable]"));
    // A repository with commits, none of them of this file.
    commit(&repo, "other.toml", &read(&drift()[1]));
    tool()
        .current_dir(&repo)
        .args(["history", "--git", "disclosure.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("error[unreadable]"))
        .stderr(predicate::str::contains("has no committed version"))
        .stderr(predicate::str::contains("git commit"));
    std::fs::remove_dir_all(&repo).unwrap();
}

#[test]
fn the_work_tree_index_and_head_are_left_as_they_were() {
    let (repo, _) = drift_repository("git-untouched");
    // Uncommitted work: a changed disclosure (not even valid TOML), a staged
    // file and an untracked one. None of it is read, and all of it stays.
    std::fs::write(repo.join("disclosure.toml"), "not = [ toml").unwrap();
    std::fs::write(repo.join("staged.toml"), "x = 1\n").unwrap();
    git(&repo, &["add", "staged.toml"]);
    std::fs::write(repo.join("untracked.txt"), "notes\n").unwrap();
    let state = |repo: &Path| {
        (
            git(repo, &["status", "--porcelain"]),
            git(repo, &["rev-parse", "HEAD"]),
            git(repo, &["symbolic-ref", "HEAD"]),
            git(repo, &["stash", "list"]),
            std::fs::read(repo.join(".git").join("index")).unwrap(),
            std::fs::read(repo.join("disclosure.toml")).unwrap(),
        )
    };
    let before = state(&repo);
    let h = history_json(&repo, &["--git", "disclosure.toml"]);
    assert_eq!(h["points"].as_array().unwrap().len(), 5);
    assert_eq!(h["points"][4]["as_of"], "2026-09-30");
    assert_eq!(state(&repo), before);
    std::fs::remove_dir_all(&repo).unwrap();
}

#[test]
fn relative_and_absolute_paths_work_from_any_directory() {
    let repo = repository("git-paths");
    for file in drift() {
        commit(&repo, "sub/dir/disclosure.toml", &read(&file));
    }
    let elsewhere = scratch("git-paths-elsewhere");
    let absolute = repo.join("sub/dir/disclosure.toml");
    let relative = format!(
        "../{}/sub/dir/disclosure.toml",
        repo.file_name().unwrap().to_str().unwrap()
    );
    let runs = [
        history_json(&elsewhere, &["--git", absolute.to_str().unwrap()]),
        history_json(&elsewhere, &["--git", &relative]),
        history_json(&repo, &["--git", "sub/dir/disclosure.toml"]),
        history_json(&repo.join("sub"), &["--git", "dir/disclosure.toml"]),
        history_json(&repo.join("sub/dir"), &["--git", "disclosure.toml"]),
        history_json(&repo.join("sub/dir"), &["--git", "./disclosure.toml"]),
    ];
    for run in &runs {
        assert_eq!(run, &runs[0]);
    }
    // Named from the top of the repository, wherever the run started.
    assert!(
        files_of(&runs[0])
            .iter()
            .all(|f| f.starts_with("sub/dir/disclosure.toml@")),
        "{:?}",
        files_of(&runs[0])
    );
    std::fs::remove_dir_all(&repo).unwrap();
    std::fs::remove_dir_all(&elsewhere).unwrap();
}

#[test]
fn git_takes_one_path_and_no_files_beside_it() {
    tool()
        .args(["history", "--git", "a.toml", "b.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    tool()
        .args(["history"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("required"));
    tool()
        .args(["history", "--git", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "standard input has no git history",
        ));
}
