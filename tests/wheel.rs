//! The Python wheel (pyproject.toml, maturin `bindings = "bin"`): built here
//! with a dev profile, installed into a fresh virtual environment with no
//! index, and used to run the README's score command, as someone without a
//! Rust toolchain would after `pip install usd1eval`. Skipped, saying so,
//! where `python3 -m venv` or maturin is missing; CI installs maturin
//! (.ci/run) and fails the test if it is still missing there.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Says why the test cannot run: a note here, a failure in CI.
#[allow(clippy::print_stderr)] // the note is the point: a skip must be seen
fn unavailable(what: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{what}; CI must have it (.ci/run installs maturin)"
    );
    eprintln!("skipped: {what}");
}

/// The maturin command: `$MATURIN`, else `maturin` on PATH.
fn maturin() -> Option<PathBuf> {
    let candidate =
        std::env::var_os("MATURIN").map_or_else(|| PathBuf::from("maturin"), PathBuf::from);
    Command::new(&candidate)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| candidate)
}

/// The lines of the README's Install section that run `usd1eval`, and the
/// pip/pipx line that comes first.
fn readme_install() -> (String, Vec<String>) {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let install = &readme[readme.find("## Install\n").unwrap()..];
    let install = &install[..install[3..].find("\n## ").unwrap() + 3];
    let commands: Vec<String> = install
        .lines()
        .map(|l| l.split(" #").next().unwrap().trim().to_string())
        .filter(|l| l.starts_with("pip") || l.starts_with("usd1eval "))
        .collect();
    let first = commands.first().cloned().unwrap_or_default();
    let runs = commands
        .into_iter()
        .filter(|l| l.starts_with("usd1eval "))
        .collect();
    (first, runs)
}

#[test]
fn the_readme_gives_pip_first_and_a_score_command() {
    let (first, runs) = readme_install();
    assert!(
        first.starts_with("pipx install usd1eval") || first.starts_with("pip install usd1eval"),
        "{first}"
    );
    assert!(
        runs.iter().any(|r| r.starts_with("usd1eval score ")),
        "{runs:?}"
    );
}

#[test]
fn the_wheel_installs_into_a_fresh_venv_and_scores() {
    let Some(maturin) = maturin() else {
        unavailable("maturin not found (`pip install maturin`, or set MATURIN)");
        return;
    };
    let dir = common::scratch("wheel");
    let venv = dir.join("venv");
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        unavailable("`python3 -m venv` does not work here");
        return;
    }

    // A dev-profile build in the same target folder as this test's, which
    // reuses what `cargo test` built (cargo holds no lock on it while tests
    // run).
    let wheels = dir.join("wheels");
    let built = Command::new(&maturin)
        .args(["build", "--profile", "dev", "--locked", "--out"])
        .arg(&wheels)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "maturin build: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let wheel = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .unwrap();
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("usd1eval-{}-", env!("CARGO_PKG_VERSION"))),
        "{name}"
    );

    // Installed with no index: the wheel alone.
    let installed = Command::new(venv.join("bin/pip"))
        .args(["install", "--no-index", "--quiet"])
        .arg(&wheel)
        .output()
        .unwrap();
    assert!(
        installed.status.success(),
        "pip install: {}",
        String::from_utf8_lossy(&installed.stderr)
    );
    let binary = venv.join("bin/usd1eval");
    assert!(binary.exists(), "pip put no usd1eval in {}", venv.display());

    // The README's commands, with only the venv's bin before the system's.
    let path = std::env::join_paths(
        std::iter::once(venv.join("bin")).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .filter(|p| !p.starts_with(env!("CARGO_MANIFEST_DIR"))),
        ),
    )
    .unwrap();
    let (_, runs) = readme_install();
    for run in runs {
        let words: Vec<&str> = run.split_whitespace().collect();
        let out = Command::new("bash")
            .args(["-c", "command -v usd1eval && exec \"$@\"", "bash"])
            .args(&words)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("PATH", &path)
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{run}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let found = stdout.lines().next().unwrap_or_default();
        assert_eq!(Path::new(found), binary, "{run} ran another usd1eval");
        if run.starts_with("usd1eval score ") {
            assert!(stdout.contains("Harbor Trust Dollar"), "{stdout}");
            assert!(stdout.contains("grade A"), "{stdout}");
        }
    }
}
