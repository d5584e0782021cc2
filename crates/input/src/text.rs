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

/// Text of several lines for a terminal (diagnostics, messages on stderr):
/// line breaks kept, every other control or invisible character escaped as
/// in [`one_line`].
pub fn lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && needs_escape(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c != '\n' && needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a Markdown line or table cell, rendered inert: escaped as in
/// [`one_line`] (line breaks first joined into spaces), then every character
/// CommonMark or GitHub's Markdown reads as syntax in a line — emphasis,
/// code, links and images, autolinks (`<…>`, `https:`, `www.`, `a@b`),
/// headings, strikethrough, table borders, HTML and entities — is escaped,
/// so a name shows as written and never becomes a link, an image or markup.
pub fn markdown(text: &str) -> String {
    let joined = text.replace(['\r', '\n'], " ");
    let shown: Vec<char> = one_line(&joined).chars().collect();
    let mut out = String::with_capacity(shown.len() + 8);
    // The letters and digits just before the character at hand.
    let mut word = String::new();
    for (i, &c) in shown.iter().enumerate() {
        let next_two = shown.get(i + 1..i + 3);
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '!' | '#' | '~' | '|' | '@' => {
                out.push('\\');
                out.push(c);
            }
            // GitHub links `https://…`, `mailto:…` and `xmpp:…` on their own.
            ':' if next_two == Some(&['/', '/'])
                || matches!(word.to_lowercase().as_str(), "mailto" | "xmpp") =>
            {
                out.push_str("\\:");
            }
            // …and `www.example` without a scheme.
            '.' if word.to_lowercase().ends_with("www") => out.push_str("\\."),
            c => out.push(c),
        }
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            word.clear();
        }
    }
    out
}

/// A file name for one line of a text format: an OS path, so its bytes that
/// are not UTF-8 are replaced, then escaped like any other untrusted text.
pub fn path(path: &std::path::Path) -> String {
    one_line(&path.to_string_lossy()).into_owned()
}

/// An id or a path for Markdown, in a code span when that is safe: a code
/// span shows its text as written, but no escape works inside it, and a
/// backtick would end it (a `|` would still end a table cell). Text holding
/// either, or a character [`one_line`] escapes, is written escaped instead.
pub fn markdown_code(text: &str) -> String {
    if text.is_empty() || text.contains(['`', '|']) || text.chars().any(needs_escape) {
        markdown(text)
    } else {
        format!("`{text}`")
    }
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

/// Escapes text for XML and HTML, attributes and content: the one escaper
/// of JUnit, HTML pages and SVG charts.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The closest candidate to a misspelt name, when one is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(distance, c)| *distance <= (c.len().max(name.len()) / 3).max(2))
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn did_you_mean_finds_typos_only() {
        assert_eq!(
            did_you_mean("custodain", ["custodian", "asset"]),
            Some("custodian")
        );
        assert_eq!(did_you_mean("zzzz", ["custodian", "asset"]), None);
    }
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
    fn lines_keep_their_breaks_and_lose_their_escapes() {
        assert_eq!(lines("a\nb"), "a\nb");
        assert_eq!(lines("a\u{1b}[2J\nb\u{7}"), "a\\u{1b}[2J\nb\\u{7}");
    }

    #[test]
    fn markdown_is_inert() {
        let name = "Pay [click](https://evil.example) ![x](https://evil.example/p.png)";
        assert_eq!(
            markdown(name),
            "Pay \\[click\\]\\(https\\://evil.example\\) \\!\\[x\\]\\(https\\://evil.example/p.png\\)"
        );
        assert_eq!(
            markdown("<b>*x*</b> & `y` _z_ | ~w~ # h"),
            "&lt;b&gt;\\*x\\*&lt;/b&gt; &amp; \\`y\\` \\_z\\_ \\| \\~w\\~ \\# h"
        );
        assert_eq!(
            markdown("see www.evil.example or WWW.x.y"),
            "see www\\.evil.example or WWW\\.x.y"
        );
        assert_eq!(markdown("a@b.example"), "a\\@b.example");
        assert_eq!(markdown("note: mailto:x"), "note: mailto\\:x");
        assert_eq!(markdown("a\\b\nc\u{1b}"), "a\\\\b c\\\\u{1b}");
        assert_eq!(markdown("Meridian Payments Inc."), "Meridian Payments Inc.");
    }

    #[test]
    fn code_spans_hold_only_what_they_can_show() {
        assert_eq!(markdown_code("M18.settlement"), "`M18.settlement`");
        assert_eq!(markdown_code("[x](y)"), "`[x](y)`");
        assert_eq!(markdown_code("a`b"), "a\\`b");
        assert_eq!(markdown_code("a|b"), "a\\|b");
        assert_eq!(markdown_code("chain[e\u{1b}]"), "chain\\[e\\\\u{1b}\\]");
    }

    #[test]
    fn invisible_characters_do_not_make_names_differ() {
        assert_eq!(comparable("Eth\u{200b}ereum "), comparable("ethereum"));
        assert_eq!(comparable("Base  Chain"), comparable("base chain"));
        assert_ne!(comparable("base"), comparable("bass"));
    }
}
