//! The JSON report: pretty for one file, JSON Lines for several. Both are
//! written by serde_json from the derive on [`Report`], which also gives the
//! JSON Schema; the report borrows its texts from the rubric and the facts.

use crate::report::Report;

/// Room for a report: most are 60 to 70 KB, nearly all findings. Made up
/// front, so the text is not copied as it grows.
const REPORT_BYTES: usize = 128 * 1024;

/// One report as an indented JSON document, newline-terminated: the UTF-8
/// bytes serde_json writes, handed to output as they are (not checked again
/// as text on the way).
pub fn pretty(report: &Report) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 * REPORT_BYTES);
    let written = serde_json::to_writer_pretty(&mut out, report);
    newline_terminated(out, written)
}

/// One report as a single line of JSON Lines, newline-terminated, as bytes
/// like [`pretty`].
pub fn line(report: &Report) -> Vec<u8> {
    let mut out = Vec::with_capacity(REPORT_BYTES);
    let written = serde_json::to_writer(&mut out, report);
    newline_terminated(out, written)
}

fn newline_terminated(mut out: Vec<u8>, written: serde_json::Result<()>) -> Vec<u8> {
    // Serializing plain structs and maps keyed by strings cannot fail; the
    // fallback keeps a bug from becoming a panic.
    if let Err(e) = written {
        out = format!("{{\"error\":\"cannot serialize report: {e}\"}}").into_bytes();
    }
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_holds_the_same_document_as_the_pretty_form() {
        let rubric = crate::rubric::load_rubric("milestones").unwrap();
        let source = crate::source::SourceFile::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/weak.toml"
        ))
        .unwrap();
        let arrangement = crate::facts::Arrangement::from_source(&source).unwrap();
        let report = crate::eval::evaluate(&rubric, &[], &arrangement, arrangement.facts.as_of);
        let line = String::from_utf8(super::line(&report)).unwrap();
        assert_eq!(line.lines().count(), 1);
        let parse = |text: &[u8]| serde_json::from_slice::<serde_json::Value>(text).unwrap();
        assert_eq!(parse(line.as_bytes()), parse(&super::pretty(&report)));
    }
}
