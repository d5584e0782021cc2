//! The JSON report: pretty for one file, JSON Lines for several, both
//! written by serde from the report's derive (which also gives its schema).

use crate::report::Report;

/// One report as an indented JSON document, newline-terminated.
pub fn pretty(report: &Report) -> String {
    // Serializing plain structs and maps of strings cannot fail; the fallback
    // keeps a bug from turning into a panic.
    let mut text = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize report: {e}\"}}"));
    text.push('\n');
    text
}

/// One report as a single line, for JSON Lines output.
pub fn line(report: &Report) -> String {
    let mut text = serde_json::to_string(report)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize report: {e}\"}}"));
    text.push('\n');
    text
}
