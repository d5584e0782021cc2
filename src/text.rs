//! Text from input files is untrusted: a name may carry terminal escape
//! sequences, line breaks, HTML or characters that cannot be seen. This is the
//! one place that decides how such text is shown in the text formats and how
//! it is compared.

use std::borrow::Cow;

/// Characters that take no space and show nothing, yet make two strings
/// differ: zero-width spaces and joiners, direction marks and overrides,
/// the word joiner and invisible operators, the byte-order mark, the soft
/// hyphen.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Text for one line of a text format: control characters (ESC, line breaks,
/// tabs) and invisible ones are written as Rust-style escapes (`\u{1b}`,
/// `\n`), so that nothing in a file can move the cursor, change the
/// terminal, start a new line or hide itself.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// A file name for one line of a text format: an OS path, so its bytes that
/// are not UTF-8 are replaced, then escaped like any other untrusted text.
pub fn path(path: &std::path::Path) -> String {
    one_line(&path.to_string_lossy()).into_owned()
}

/// A name as compared for sameness: invisible characters dropped, runs of
/// white space made one space, trimmed, lowercase.
pub fn comparable(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| !is_invisible(*c))
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_characters_are_escaped() {
        assert_eq!(one_line("plain"), "plain");
        assert_eq!(
            one_line("a\u{1b}[31mb\nc\u{200b}"),
            "a\\u{1b}[31mb\\nc\\u{200b}"
        );
    }

    #[test]
    fn invisible_characters_do_not_make_names_differ() {
        assert_eq!(comparable("Eth\u{200b}ereum "), comparable("ethereum"));
        assert_eq!(comparable("Base  Chain"), comparable("base chain"));
        assert_ne!(comparable("base"), comparable("bass"));
    }
}
