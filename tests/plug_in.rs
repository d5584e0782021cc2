//! The ways a disclosure repository plugs the tool in: the pre-commit hooks
//! (`.pre-commit-hooks.yaml`) and the composite GitHub Action (`action.yml`),
//! each run by its own entry commands.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{git, repository_with, scratch};
use yaml_rust2::{Yaml, YamlLoader};

const STRONG: &str = "examples/strong-regulated.toml";
const MIDDLING: &str = "examples/middling.toml";

fn load_yaml(path: &str) -> Yaml {
    let text = std::fs::read_to_string(path).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

/// A PATH with the binary under test first, as an installed tool would be.
fn path_with_binary() -> std::ffi::OsString {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_usd1eval"));
    let mut paths = vec![binary.parent().unwrap().to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

/// Runs a hook as pre-commit does: its entry, its arguments, then the files.
fn run_hook(hook: &Yaml, files: &[&str]) -> std::process::Output {
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    let args: Vec<&str> = hook["args"]
        .as_vec()
        .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
        .unwrap_or_default();
    Command::new(entry[0])
        .args(&entry[1..])
        .args(args)
        .args(files)
        .env("PATH", path_with_binary())
        .output()
        .unwrap()
}

#[test]
fn the_pre_commit_hooks_check_and_gate_arrangement_files() {
    let hooks = load_yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_vec().unwrap();
    let hook = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no hook {id}"))
    };
    for h in hooks {
        assert_eq!(h["language"].as_str(), Some("rust"), "built with cargo");
        assert!(h["files"].as_str().unwrap().contains("arrangement"));
    }

    let check = hook("usd1eval-check");
    assert_eq!(run_hook(check, &[STRONG, MIDDLING]).status.code(), Some(0));
    let bad = run_hook(check, &["tests/bad-inputs/unknown-key-typo.toml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown-key-typo.toml:"));

    // The score hook gates: the strong file passes; the weak one has
    // weakest-link caps, which the default `--fail-on-cap` refuses.
    let score = hook("usd1eval-score");
    let passed = run_hook(score, &[STRONG]);
    assert_eq!(passed.status.code(), Some(0));
    assert!(
        passed.stdout.is_empty(),
        "quiet: the scorecard is not printed"
    );
    let failed = run_hook(score, &["examples/weak.toml"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("gate failed: examples/weak.toml"));
}

/// `${{ … }}` in `text`, given the action's inputs and its steps' outputs.
/// Only the forms `action.yml` uses in its `env` and `with` values.
fn expand(
    text: &str,
    inputs: &HashMap<String, String>,
    outputs: &HashMap<String, String>,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").unwrap() + start;
        let expression = rest[start + 3..end].trim();
        let value = if let Some(name) = expression.strip_prefix("inputs.") {
            inputs
                .get(name)
                .unwrap_or_else(|| panic!("input {name}"))
                .clone()
        } else if let Some(key) = expression.strip_prefix("steps.") {
            outputs
                .get(key)
                .unwrap_or_else(|| panic!("output {key}"))
                .clone()
        } else {
            panic!("expression {expression} is not one the test can evaluate")
        };
        out.push_str(&value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Runs the action's `run` steps in `dir` as a runner would (bash, the step's
/// `env`, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_ACTION_PATH`), the
/// install step excepted: the binary under test is already on PATH. Returns
/// each step's exit code, the outputs, the summary and the SARIF path the
/// upload step would upload.
fn run_action(
    dir: &Path,
    inputs: &HashMap<String, String>,
) -> (
    HashMap<String, i32>,
    HashMap<String, String>,
    String,
    PathBuf,
) {
    let action = load_yaml("action.yml");
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let action_path = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
    let summary = dir.join("summary.md");
    let mut codes = HashMap::new();
    let mut outputs: HashMap<String, String> = HashMap::new();
    let mut sarif = PathBuf::new();
    for step in action["runs"]["steps"].as_vec().unwrap() {
        let id = step["id"].as_str().unwrap();
        if let Some(uses) = step["uses"].as_str() {
            assert!(uses.starts_with("github/codeql-action/upload-sarif@"));
            sarif = dir.join(expand(
                step["with"]["sarif_file"].as_str().unwrap(),
                inputs,
                &outputs,
            ));
            continue;
        }
        let run = step["run"].as_str().unwrap();
        if id == "install" {
            // No Rust toolchain: the wheel from the package index, at the
            // version of this build.
            assert!(run.contains("pipx install \"usd1eval==$VERSION\""), "{run}");
            assert!(!run.contains("cargo"), "{run}");
            assert_eq!(inputs["version"], env!("CARGO_PKG_VERSION"));
            continue;
        }
        assert_eq!(step["shell"].as_str(), Some("bash"));
        let output_file = dir.join(format!("output-{id}"));
        std::fs::write(&output_file, "").unwrap();
        let mut command = Command::new("bash");
        command
            .args(["-e", "-c", run])
            .current_dir(dir)
            .env("PATH", path_with_binary())
            .env("GITHUB_ACTION_PATH", &action_path)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary)
            // Cargo sets OUT_DIR for tests of a crate with a build script.
            .env_remove("OUT_DIR");
        if let Some(env) = step["env"].as_hash() {
            for (key, value) in env {
                command.env(
                    key.as_str().unwrap(),
                    expand(value.as_str().unwrap(), inputs, &outputs),
                );
            }
        }
        let status = command.status().unwrap();
        codes.insert(id.to_string(), status.code().unwrap());
        for line in std::fs::read_to_string(&output_file).unwrap().lines() {
            let (key, value) = line.split_once('=').unwrap();
            outputs.insert(format!("{id}.outputs.{key}"), value.to_string());
        }
    }
    let summary = std::fs::read_to_string(&summary).unwrap_or_default();
    (codes, outputs, summary, sarif)
}

/// The action's declared inputs with their defaults.
fn default_inputs() -> HashMap<String, String> {
    let action = load_yaml("action.yml");
    action["inputs"]
        .as_hash()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap().to_string(),
                v["default"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_github_action_scores_against_the_base_branch_and_reports() {
    let dir = scratch("github-action");
    repository_with(&dir, MIDDLING, "disclosure/arrangement.toml");

    // The declared inputs and their defaults; the base ref's default is an
    // expression over the event, set here as a pull request's would be.
    let mut inputs = default_inputs();
    for name in ["files", "baseline", "fail-under", "waivers", "format"] {
        assert!(inputs.contains_key(name), "no input {name}");
    }
    inputs.insert("file".into(), "disclosure/arrangement.toml".into());
    inputs.insert("base-ref".into(), "main".into());
    inputs.insert("args".into(), "--quiet".into());

    let (codes, outputs, summary, sarif) = run_action(&dir, &inputs);
    assert_eq!(
        codes["gate"], 0,
        "the gate step records the exit code, never fails"
    );
    assert_eq!(outputs["gate.outputs.exit-code"], "0");
    assert_eq!(codes["verdict"], 0);
    assert!(summary.contains("Meridian Pay Dollar"), "{summary}");
    assert!(sarif.exists(), "{}", sarif.display());
    assert_eq!(dir.join(&outputs["gate.outputs.sarif"]), sarif);

    // A regression against the base branch fails the job, after the reports.
    let text = std::fs::read_to_string(MIDDLING)
        .unwrap()
        .replace("settlement_days = 2", "settlement_days = 5");
    std::fs::write(dir.join("disclosure/arrangement.toml"), text).unwrap();
    std::fs::remove_file(dir.join("summary.md")).unwrap();
    let (codes, outputs, summary, sarif) = run_action(&dir, &inputs);
    assert_eq!(codes["gate"], 0);
    assert_eq!(outputs["gate.outputs.exit-code"], "1");
    assert_eq!(codes["verdict"], 1);
    assert!(summary.contains("Meridian Pay Dollar"));
    assert!(sarif.exists());
}

#[test]
fn the_github_action_watches_the_committed_history_when_asked() {
    // Five quarters of the drift series committed one after another as one
    // file: the history's alerts reach the latest version, so the job fails
    // although the file did not change against the base branch.
    let dir = scratch("github-action-history");
    let mut quarters: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/history/drift")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    quarters.sort();
    repository_with(&dir, quarters[0].to_str().unwrap(), "disclosure.toml");
    for quarter in &quarters[1..] {
        std::fs::copy(quarter, dir.join("disclosure.toml")).unwrap();
        git(&dir, &["commit", "-q", "-a", "-m", "next quarter"]);
    }
    let mut inputs = default_inputs();
    assert_eq!(inputs["history"], "false", "off unless asked for");
    inputs.insert("file".into(), "disclosure.toml".into());
    inputs.insert("base-ref".into(), "main".into());
    inputs.insert("args".into(), "--quiet".into());
    let (_, outputs, summary, _) = run_action(&dir, &inputs);
    assert_eq!(outputs["gate.outputs.exit-code"], "0", "{summary}");
    assert!(!summary.contains("usd1eval history"), "{summary}");

    inputs.insert("history".into(), "true".into());
    std::fs::remove_file(dir.join("summary.md")).unwrap();
    let (codes, outputs, summary, _) = run_action(&dir, &inputs);
    assert_eq!(outputs["gate.outputs.exit-code"], "1", "{summary}");
    assert_eq!(codes["verdict"], 1);
    assert!(
        summary.contains("## usd1eval history: ") && summary.contains("`buffer-shrinking`"),
        "{summary}"
    );
    // The scorecard is still there, before the history.
    assert!(summary.find("usd1eval history") > summary.find("Sloane Harbor Dollar"));
}

/// Runs the `run` steps of the example workflow's job in `dir` as a runner
/// would (`bash -e`, the job's `env`, `GITHUB_STEP_SUMMARY`), `if: always()`
/// or not (every step runs, so that later ones can be checked). The install
/// step is checked, not run: the binary under test is on PATH. Returns each
/// step's exit code and output, by name, and the SARIF file the upload step
/// would upload.
fn run_workflow(dir: &Path, base_ref: &str) -> (Vec<(String, i32, String, String)>, PathBuf) {
    let workflow = load_yaml("examples/ci/github-workflow.yml");
    let job = &workflow["jobs"]["gate"];
    let summary = dir.join("summary.md");
    let mut env: Vec<(String, String)> = Vec::new();
    for (key, value) in job["env"].as_hash().unwrap() {
        let value = value.as_str().unwrap().to_string();
        env.push((
            key.as_str().unwrap().to_string(),
            value.replace("${{ github.base_ref }}", base_ref),
        ));
    }
    assert!(
        env.iter().all(|(_, v)| !v.contains("${{")),
        "an expression the test cannot evaluate: {env:?}"
    );
    let mut results = Vec::new();
    let mut sarif = PathBuf::new();
    for step in job["steps"].as_vec().unwrap() {
        if let Some(uses) = step["uses"].as_str() {
            if uses.starts_with("github/codeql-action/upload-sarif@") {
                sarif = dir.join(step["with"]["sarif_file"].as_str().unwrap());
            } else {
                assert!(uses.starts_with("actions/checkout@"), "{uses}");
            }
            continue;
        }
        let name = step["name"].as_str().unwrap().to_string();
        let run = step["run"].as_str().unwrap();
        if name == "Install usd1eval" {
            assert_eq!(
                run.trim(),
                format!("pipx install usd1eval=={}", env!("CARGO_PKG_VERSION"))
            );
            continue;
        }
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", run])
            .current_dir(dir)
            .env("PATH", path_with_binary())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env_remove("OUT_DIR")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .unwrap();
        results.push((
            name,
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    (results, sarif)
}

#[test]
fn the_example_workflow_runs_when_copied_into_a_repository() {
    let workflow_text = std::fs::read_to_string("examples/ci/github-workflow.yml").unwrap();
    let workflow = load_yaml("examples/ci/github-workflow.yml");
    // It needs nothing from this repository: no script, no action path.
    for step in workflow["jobs"]["gate"]["steps"].as_vec().unwrap() {
        let run = step["run"].as_str().unwrap_or_default();
        for outside in ["examples/", "gate.sh", "GITHUB_ACTION_PATH", "cargo"] {
            assert!(!run.contains(outside), "a step needs {outside}: {run}");
        }
    }
    // Its gate step is the script, line for line: one implementation.
    let script = std::fs::read_to_string("examples/ci/gate.sh").unwrap();
    let body = &script[script.find("set -uo pipefail").unwrap()..];
    let gate = workflow["jobs"]["gate"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| {
            s["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Gate the disclosure files"))
        })
        .unwrap();
    assert_eq!(gate["run"].as_str().unwrap().trim(), body.trim());
    assert!(workflow_text.contains("fetch-depth: 0"));

    // The repository the workflow is copied into: two disclosure files on
    // main, cloned as a runner checks a pull request out (`origin/main`).
    let root = scratch("example-workflow");
    let origin = root.join("origin");
    std::fs::create_dir_all(origin.join("disclosure")).unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    std::fs::copy(STRONG, origin.join("disclosure/harbor.toml")).unwrap();
    std::fs::copy(
        "examples/calibration/us-regulated-large.toml",
        origin.join("disclosure/large.toml"),
    )
    .unwrap();
    git(&origin, &["add", "disclosure"]);
    git(&origin, &["commit", "-q", "-m", "disclosures"]);
    let work = root.join("work");
    git(&root, &["clone", "-q", "origin", "work"]);
    git(&work, &["checkout", "-q", "-b", "change"]);

    // Unchanged: every gate passes, the files are annotated, the summary
    // and the SARIF are written.
    let (steps, sarif) = run_workflow(&work, "main");
    let (_, code, stdout, stderr) = &steps[0];
    assert_eq!(*code, 0, "{stderr}");
    assert!(
        stdout.contains("::notice file=disclosure/harbor.toml,title=usd1eval::"),
        "{stdout}"
    );
    assert!(stdout.contains("::notice file=disclosure/large.toml,title=usd1eval::"));
    assert_eq!(
        std::fs::read_to_string(work.join("usd1eval-reports/baseline.jsonl"))
            .unwrap()
            .lines()
            .count(),
        2,
        "one baseline report per file"
    );
    assert!(steps.iter().all(|(_, code, _, _)| *code == 0), "{steps:?}");
    let summary = std::fs::read_to_string(work.join("summary.md")).unwrap();
    assert!(summary.contains("Harbor Trust Dollar"), "{summary}");
    assert!(sarif.exists(), "{}", sarif.display());

    // One file regresses: the gate step fails the job, naming it, and the
    // later steps still write the summary.
    let text = std::fs::read_to_string(STRONG)
        .unwrap()
        .replace("settlement_days = 1", "settlement_days = 5");
    std::fs::write(work.join("disclosure/harbor.toml"), text).unwrap();
    std::fs::remove_file(work.join("summary.md")).unwrap();
    let (steps, sarif) = run_workflow(&work, "main");
    let (_, code, stdout, stderr) = &steps[0];
    assert_eq!(*code, 1, "{stderr}");
    assert!(
        stderr.contains("gate failed: disclosure/harbor.toml: baseline: milestone M18 fell"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("gate failed: disclosure/large.toml"),
        "{stderr}"
    );
    assert!(stdout.contains("::error file=disclosure/harbor.toml,title=usd1eval gate baseline::"));
    assert_eq!(steps[1].1, 0, "the summary step runs after a failure");
    assert!(
        std::fs::read_to_string(work.join("summary.md"))
            .unwrap()
            .contains("Harbor")
    );
    assert!(sarif.exists());
}
