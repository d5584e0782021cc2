//! Names compared as institutions: case and punctuation set aside, whole
//! words only; and the list of global systemically important banks (G-SIB)
//! a hypothetical bank failure spares.

use std::sync::LazyLock;

use super::scenario;

/// A name in the form names are compared in: lower case, punctuation as
/// spaces, one space between words and one at each end (" signature bank ").
pub(super) fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push(' ');
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// Two names in [`words`] form for one institution: equal, or one contains
/// the other as whole words.
pub(super) fn same_words(a: &str, b: &str) -> bool {
    a.trim().len() > 1 && b.trim().len() > 1 && (a.contains(b) || b.contains(a))
}

/// Two names for one institution: equal, or one contains the other as whole
/// words, once case and punctuation are set aside ("Signature Bank" and
/// "Signature Bank, N.A."; "ING" but not "Banking Corp"). Looser than
/// `facts::derived::same_party` on purpose: a replay must find the bank it
/// names, short names included.
pub(crate) fn names_match(a: &str, b: &str) -> bool {
    same_words(&words(a), &words(b))
}

/// Whether a custodian (its name in [`words`] form) is on the list of global
/// systemically important banks, whose names are put in that form once.
pub(super) fn is_gsib(name_words: &str) -> bool {
    static GSIB: LazyLock<Vec<String>> =
        LazyLock::new(|| scenario::gsib().names.iter().map(|g| words(g)).collect());
    GSIB.iter().any(|g| same_words(name_words, g))
}
