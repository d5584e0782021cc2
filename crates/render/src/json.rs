//! The JSON report: pretty for one file, JSON Lines for several. Both are
//! written by serde_json from the derive on [`Report`], which also gives the
//! JSON Schema; the report borrows its texts from the rubric and the facts.

use crate::report::Report;

/// Room for a report: most are 60 to 70 KB, nearly all findings. Made up
/// front, so the text is not copied as it grows.
const REPORT_BYTES: usize = 128 * 1024;

/// One report as an indented JSON document, newline-terminated.
pub fn pretty(report: &Report) -> String {
    bytes_to_text(pretty_bytes(report))
}

/// One report as a single line of JSON Lines, newline-terminated.
pub fn line(report: &Report) -> String {
    bytes_to_text(line_bytes(report))
}

/// [`pretty`] as the UTF-8 bytes serde_json writes, for output: a report is
/// written out as it was serialized, not checked again as text on the way.
pub(crate) fn pretty_bytes(report: &Report) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 * REPORT_BYTES);
    let written = serde_json::to_writer_pretty(&mut out, report);
    newline_terminated(out, written)
}

/// [`line`] as bytes, as [`pretty_bytes`].
pub(crate) fn line_bytes(report: &Report) -> Vec<u8> {
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

/// serde_json writes UTF-8; the lossy fallback keeps a bug from becoming a panic.
fn bytes_to_text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
        let line = super::line(&report);
        assert_eq!(line.lines().count(), 1);
        let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(parse(&line), parse(&super::pretty(&report)));
    }
}
