//! The generated reference pages in docs/ match the code. Regenerate with
//! `UPDATE_DOCS=1 cargo test --test docs`.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use usd1eval::render::reference;

fn check(path: &str, expected: &str) {
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "{path} is out of date with the code; run `UPDATE_DOCS=1 cargo test --test docs` and commit it"
    );
}

#[test]
fn fields_reference_is_current() {
    check("docs/fields.md", &reference::fields_markdown());
}

#[test]
fn derived_reference_is_current() {
    check("docs/derived.md", &reference::derived_markdown());
}

#[test]
fn stress_reference_is_current() {
    let current = std::fs::read_to_string("docs/stress.md").unwrap();
    let fresh = reference::stress_markdown(&current);
    assert!(fresh.contains("| `cash` |") && fresh.contains("| `svb-2023` |"));
    check("docs/stress.md", &fresh);
}

#[test]
fn json_schemas_are_current() {
    let pretty = |v: serde_json::Value| format!("{}\n", serde_json::to_string_pretty(&v).unwrap());
    check(
        "docs/schema/arrangement.schema.json",
        &pretty(reference::arrangement_json_schema()),
    );
    check(
        "docs/schema/report.schema.json",
        &pretty(reference::report_json_schema()),
    );
    check(
        "docs/schema/history.schema.json",
        &pretty(reference::history_json_schema()),
    );
    check(
        "docs/schema/stress.schema.json",
        &pretty(reference::stress_json_schema()),
    );
}
