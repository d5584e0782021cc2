//! The JSON Schemas describe what the tool reads and writes: every example
//! (as JSON) validates against the arrangement schema, every report against
//! the report schema, and the schemas reject what the loader rejects.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use usd1eval::render::reference::{arrangement_json_schema, report_json_schema};

/// A TOML document as JSON, dates as `YYYY-MM-DD` strings.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn example_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for dir in ["examples", "examples/calibration", "examples/history"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 7);
    files
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_example_and_the_init_template_validate_against_the_arrangement_schema() {
    let validator = jsonschema::validator_for(&arrangement_json_schema()).unwrap();
    for path in example_files() {
        let value = toml_to_json(toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap());
        assert_eq!(
            errors(&validator, &value),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
    }
    let template = toml_to_json(toml::from_str(&usd1eval::facts::template::template()).unwrap());
    assert!(validator.is_valid(&template));
}

#[test]
fn the_arrangement_schema_rejects_what_the_loader_rejects() {
    let validator = jsonschema::validator_for(&arrangement_json_schema()).unwrap();
    let base =
        serde_json::json!({ "format": 1, "arrangement": { "name": "X", "as_of": "2026-09-30" } });
    assert!(validator.is_valid(&base));
    let mut typo = base.clone();
    typo["redemption"] = serde_json::json!({ "setlement_days": 1 });
    assert!(!validator.is_valid(&typo), "unknown key");
    let mut bad_enum = base.clone();
    bad_enum["redemption"] = serde_json::json!({ "eligible": "everyone" });
    assert!(!validator.is_valid(&bad_enum), "unknown enum value");
    let mut pct = base.clone();
    pct["operations"] = serde_json::json!({ "uptime_pct_90d": 101 });
    assert!(!validator.is_valid(&pct), "percent above 100");
    let mut format = base;
    format["format"] = serde_json::json!(2);
    assert!(!validator.is_valid(&format), "another format");
}

#[test]
fn every_report_validates_against_the_report_schema() {
    let validator = jsonschema::validator_for(&report_json_schema()).unwrap();
    for path in example_files() {
        let out = assert_cmd::Command::cargo_bin("usd1eval")
            .unwrap()
            .args([
                "score",
                "--format",
                "json",
                "--profile",
                "genius-2025",
                "--profile",
                "mica-emt",
                "--profile",
                "mica-emt-significant",
                "--profile",
                "nydfs-2022",
                "--fail-under",
                "80",
            ])
            .arg(&path)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            errors(&validator, &report),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn the_schema_command_prints_both() {
    for what in ["arrangement", "report"] {
        let out = assert_cmd::Command::cargo_bin("usd1eval")
            .unwrap()
            .args(["schema", what])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            schema["$schema"]
                .as_str()
                .unwrap()
                .contains("json-schema.org")
        );
    }
}
