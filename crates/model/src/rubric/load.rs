//! Reading a rubric: its file by built-in name or path, the `extends` chain
//! (a built-in base merged under it, [`super::draft`]) and the hash of what
//! was read; then [`super::compile`] validates the merged rubric, reporting
//! every problem with file:line:col.

use super::Rubric;
use super::draft::Draft;
use super::file::RubricFile;
use crate::source::{Code, Diagnostic, SourceFile, hex_sha256};

/// Loads a rubric by built-in name or file path.
pub fn load_rubric(name_or_path: &str) -> Result<Rubric, Vec<Diagnostic>> {
    if let Some(source) = super::builtin::source(name_or_path) {
        return parse_rubric(&source);
    }
    let source = SourceFile::read(name_or_path).map_err(|d| {
        let names = super::builtin::NAMES.join(", ");
        vec![d.with_help(format!("give a rubric file, or a built-in rubric: {names}"))]
    })?;
    parse_rubric(&source)
}

fn parse_file(source: &SourceFile) -> Result<RubricFile, Vec<Diagnostic>> {
    crate::table::read_file(
        source,
        "rubric",
        "the rubric",
        "see docs/rubric.md for the rubric format",
        RubricFile::read,
    )
}

/// Parses and validates a rubric; `extends` pulls in a built-in base.
pub fn parse_rubric(source: &SourceFile) -> Result<Rubric, Vec<Diagnostic>> {
    compile_file(source, parse_file(source)?)
}

/// Merges a rubric file with its base, if it extends one, and validates it.
fn compile_file(source: &SourceFile, file: RubricFile) -> Result<Rubric, Vec<Diagnostic>> {
    // The base rubric's text, when this one extends another: diagnostics
    // point into either file (`Loc::file` 0 is this one, 1 the base).
    let mut base = None;
    let mut draft = Draft::default();
    let mut hashes = String::new();
    if let Some(base_name) = &file.extends {
        let Some(base_source) = super::builtin::source(&base_name.value) else {
            return Err(vec![
                source
                    .error(
                        Code::UnknownReference,
                        base_name.span.clone(),
                        format!("`extends` names unknown rubric `{}`", base_name.value),
                    )
                    .with_help(format!(
                        "a rubric can extend a built-in one: {}",
                        super::builtin::NAMES.join(", ")
                    )),
            ]);
        };
        let base_file = parse_file(&base_source)?;
        if base_file.extends.is_some() {
            return Err(vec![source.error(
                Code::Inconsistent,
                base_name.span.clone(),
                "a base rubric cannot itself extend another",
            )]);
        }
        hashes.push_str(&base_source.sha256());
        draft.overlay(base_file, 1);
        base = Some(base_source);
    }
    let own = source.sha256();
    draft.overlay(file, 0);
    // One file: its own hash. Extending: the hash of the base's and its own.
    let sha256 = if hashes.is_empty() {
        own
    } else {
        hashes.push_str(&own);
        hex_sha256(hashes.as_bytes())
    };
    let sources: Vec<&SourceFile> = std::iter::once(source).chain(base.as_ref()).collect();
    super::compile::rubric(&sources, draft, sha256)
}

#[cfg(test)]
mod tests {
    use super::load_rubric;
    use crate::rubric::parse_text;

    #[test]
    fn builtin_rubrics_load() {
        for name in crate::rubric::builtin::NAMES {
            let rubric = load_rubric(name).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
            assert!(!rubric.milestones.is_empty());
        }
    }

    #[test]
    fn every_unknown_key_is_reported_with_a_hint() {
        let text = "id = \"x\"\ntitel = \"X\"\n[[milestone]]\nid = \"M1\"\nbuckt = \"b\"\n[[milestone.check]]\nid = \"c\"\nfakt = \"redemption.at_par\"\n[[cap]]\nid = \"c\"\nwhen = [{ fact = \"x\", opp = \"is-true\" }]\n";
        let errors = parse_text(text).unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 5, "{messages:#?}");
        assert!(messages[0].contains("r.toml:2:1") && messages[0].contains("`title`"));
        assert!(
            messages[1].contains("`buckt` in [[milestone]]") && messages[1].contains("`bucket`")
        );
        assert!(
            messages[2].contains("`fakt` in [[milestone.check]]") && messages[2].contains("`fact`")
        );
        // The condition lacks `op` because it is misspelt.
        assert!(messages[3].contains("missing key `op` in condition"));
        assert!(messages[4].contains("`opp` in condition") && messages[4].contains("`op`"));
    }

    #[test]
    fn type_errors_are_reported_at_once_at_the_field() {
        let errors = parse_text(
            "id = \"x\"\ntitle = 3\n[[bucket]]\nid = \"b\"\nweight = \"heavy\"\n[[layer]]\ntitle = \"L\"\n",
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 3, "{messages:#?}");
        assert!(messages[0].contains("`title` in the rubric must be a string, found integer"));
        assert_eq!((errors[0].line, errors[0].column), (2, 9));
        assert!(messages[1].contains("`weight` in [[bucket]] must be a number, found string"));
        assert_eq!((errors[1].line, errors[1].column), (5, 10));
        assert!(messages[2].contains("missing key `id` in [[layer]]"));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let errors = parse_text("id = \"x\"\ntitel = \"X\"\n").unwrap_err();
        assert!(errors[0].message.contains("titel"), "{errors:?}");
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn unknown_base_is_refused() {
        let errors = parse_text("id = \"x\"\nextends = \"nope\"\n").unwrap_err();
        assert!(errors[0].message.contains("unknown rubric `nope`"));
    }
}
