//! Text that fits a width. Prose wraps at spaces; ids, fact paths, dates and
//! numbers are words without spaces, so they are never broken, and a word
//! longer than a line is left whole rather than split.

use textwrap::{Options, WordSeparator, WordSplitter};

/// The width when neither `--width`, a terminal nor `COLUMNS` gives one.
pub const DEFAULT_WIDTH: usize = 100;

/// The narrowest width asked of a layout; narrower requests get this.
pub const MIN_WIDTH: usize = 40;

/// The columns `text` takes in a terminal (ANSI colour codes take none).
pub(crate) fn width_of(text: &str) -> usize {
    textwrap::core::display_width(text)
}

/// `text` wrapped at spaces to `width` columns: the first line starts with
/// `first`, later ones with `rest`. Every line ends with a newline.
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let options = Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_separator(WordSeparator::AsciiSpace)
        .word_splitter(WordSplitter::NoHyphenation);
    let mut out = String::new();
    for line in textwrap::wrap(text, options) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `parts` joined by `separator`, each kept whole on one line where it fits:
/// the first line starts with `first`; a part that would pass `width` starts
/// a new line (beginning with `rest`); a part wider than a whole line wraps at
/// its own spaces. Ends with a newline.
pub(crate) fn pack<S: AsRef<str>>(
    parts: &[S],
    separator: &str,
    width: usize,
    first: &str,
    rest: &str,
) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for part in parts.iter().map(AsRef::as_ref).filter(|p| !p.is_empty()) {
        if !line.is_empty() && width_of(&line) + width_of(separator) + width_of(part) <= width {
            line.push_str(separator);
            line.push_str(part);
            continue;
        }
        let indent = if line.is_empty() && out.is_empty() {
            first
        } else {
            rest
        };
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
        line = format!("{indent}{part}");
        if width_of(&line) > width {
            let wrapped = wrap(part, width, indent, rest);
            let mut lines: Vec<&str> = wrapped.lines().collect();
            line = lines.pop().unwrap_or_default().to_string();
            for l in lines {
                out.push_str(l);
                out.push('\n');
            }
        }
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_only_and_keeps_long_words_whole() {
        let text = "see derived.latest_attestation_age_days and M10.recent-attestation now";
        let wrapped = wrap(text, 20, "", "  ");
        assert_eq!(
            wrapped,
            "see\n  derived.latest_attestation_age_days\n  and\n  M10.recent-attestation\n  now\n"
        );
    }

    #[test]
    fn pack_keeps_parts_whole_and_starts_a_line_where_one_would_pass_the_width() {
        let parts = [
            "file a.toml",
            "facts as of 2026-09-30",
            "evaluated as of 2026-09-30",
        ];
        assert_eq!(
            pack(&parts, " · ", 40, "", ""),
            "file a.toml · facts as of 2026-09-30\nevaluated as of 2026-09-30\n"
        );
        assert_eq!(
            pack(&parts, " · ", 80, "", ""),
            "file a.toml · facts as of 2026-09-30 · evaluated as of 2026-09-30\n"
        );
    }

    #[test]
    fn pack_wraps_a_part_wider_than_a_line_at_its_spaces() {
        let parts = ["x.y = 1", "expected one of alpha, beta, gamma, delta"];
        assert_eq!(
            pack(&parts, " · ", 20, "", "    "),
            "x.y = 1\n    expected one of\n    alpha, beta,\n    gamma, delta\n"
        );
    }

    #[test]
    fn colour_codes_take_no_width() {
        assert_eq!(width_of("\u{1b}[1;31mF\u{1b}[0m"), 1);
    }
}
