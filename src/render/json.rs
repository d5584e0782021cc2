//! The JSON report: pretty for one file, JSON Lines for several. Both are
//! written by serde_json from the derive on [`Report`], which also gives the
//! JSON Schema; the report borrows its texts from the rubric and the facts.

use crate::report::Report;

/// One report as an indented JSON document, newline-terminated.
pub fn pretty(report: &Report) -> String {
    newline_terminated(serde_json::to_string_pretty(report))
}

/// One report as a single line of JSON Lines, newline-terminated.
pub fn line(report: &Report) -> String {
    newline_terminated(serde_json::to_string(report))
}

fn newline_terminated(written: serde_json::Result<String>) -> String {
    // Serializing plain structs and maps keyed by strings cannot fail; the
    // fallback keeps a bug from turning into a panic.
    let mut text =
        written.unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize report: {e}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_holds_the_same_document_as_the_pretty_form() {
        let rubric = crate::rubric::load_rubric("milestones").unwrap();
        let source = crate::source::SourceFile::read("examples/weak.toml").unwrap();
        let arrangement = crate::facts::Arrangement::from_source(&source).unwrap();
        let report = crate::eval::evaluate(&rubric, &[], &arrangement, arrangement.facts.as_of);
        let line = super::line(&report);
        assert_eq!(line.lines().count(), 1);
        let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(parse(&line), parse(&super::pretty(&report)));
    }
}
