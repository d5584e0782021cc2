//! Regulatory profiles: pass/fail requirement lists overlaid on a score, each
//! requirement citing the clause it encodes. They are reference checks
//! against declared facts, not legal advice.

use chrono::NaiveDate;

use super::predicate::{self, Predicate, PredicateFile};
use crate::source::{Code, Diagnostic, SourceFile, hex_sha256, sort_diagnostics};
use crate::table::At;

/// Built-in profiles: name, text.
static BUILTIN: &[(&str, &str)] = &[
    (
        "genius-2025",
        include_str!("../../../../rubrics/profiles/genius-2025.toml"),
    ),
    (
        "nydfs-2022",
        include_str!("../../../../rubrics/profiles/nydfs-2022.toml"),
    ),
    (
        "mica-emt",
        include_str!("../../../../rubrics/profiles/mica-emt.toml"),
    ),
    (
        "mica-emt-significant",
        include_str!("../../../../rubrics/profiles/mica-emt-significant.toml"),
    ),
];

/// Names of the built-in profiles.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(n, _)| *n)
}

/// Said wherever profile results are shown.
pub const NOTICE: &str = "Reference checks against the declared facts, not legal advice: \
     verify each clause against the legal text and your own counsel.";

/// A compiled profile: a legal instrument's requirements as checks on the facts.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The profile's stable id (`genius-2025`).
    pub id: String,
    /// The profile's title, as reports show it.
    pub title: String,
    /// The instrument the clauses come from.
    pub source: String,
    /// The date from which the instrument applies; before it the profile's
    /// result is readiness. `None`: the profile declares no date.
    pub applies_from: Option<NaiveDate>,
    /// What the date stands for, when it is not simply the date of application.
    pub applies_from_note: Option<String>,
    /// The SHA-256 of the profile's text.
    pub sha256: String,
    /// Whom the instrument covers: every condition must hold for a file to
    /// be in scope. Empty: the profile covers every file.
    pub scope: Vec<ScopeCondition>,
    /// The profile's requirements, in file order.
    pub requirements: Vec<Requirement>,
}

/// One condition of a profile's scope: it holds when any of its predicates
/// holds, fails when every one fails, and is unknown otherwise.
#[derive(Debug, Clone)]
pub struct ScopeCondition {
    /// Whom the instrument covers, in words: the reason a file that fails
    /// the condition is out of scope.
    pub covers: String,
    /// The predicates of which at least one must hold.
    pub any: Vec<Predicate>,
}

/// One requirement of a profile: a clause of the instrument as predicates on the facts.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// The requirement's id within its profile (`reserve-assets`).
    pub id: String,
    /// The clause of the instrument it comes from (`§4(a)(1)`).
    pub clause: String,
    /// What the requirement asks, in a line.
    pub title: String,
    /// What the clause asks and how this requirement reads it, uncertainties included.
    pub note: String,
    /// All must hold for the requirement to pass.
    pub require: Vec<Predicate>,
    /// When given, the requirement applies only where all of these hold.
    pub applies_if: Vec<Predicate>,
    /// When given, the requirement applies only where at least one of these
    /// holds (ways of stating the same thing, such as a licence or the
    /// issuer's kind).
    pub applies_if_any: Vec<Predicate>,
    /// For a requirement format 1 cannot express: the fact it would need.
    /// The requirement is then `not-assessable`, never a pass, though the
    /// conditions in `require` can still make it fail.
    pub missing_fact: Option<String>,
    /// The date this requirement applies from, when later than the
    /// profile's: before it the requirement is `not-in-force`.
    pub applies_from: Option<NaiveDate>,
}

super::file::tables! {
    /// A profile file as written, before `extends` is resolved and its predicates compiled.
    ProfileFile {
        id: String = required("id"),
        title: String = required("title"),
        source: String = required("source"),
        extends: Option<At<String>> = at("extends"),
        applies_from: Option<At<toml::value::Datetime>> = at("applies_from"),
        applies_from_note: Option<At<String>> = at("applies_from_note"),
        remove: Option<At<Vec<String>>> = at("remove"),
        scope: Vec<At<ScopeFile>> = tables("scope", "[[scope]]", ScopeFile),
        requirement: Vec<At<RequirementFile>> =
            tables("requirement", "[[requirement]]", RequirementFile),
    }

    /// `[[scope]]`: one condition of whom the instrument covers, as written.
    ScopeFile {
        covers: String = required("covers"),
        any: Option<Vec<PredicateFile>> = conditions("any"),
    }

    /// `[[requirement]]`: one requirement of a profile, as written.
    RequirementFile {
        id: String = required("id"),
        clause: String = required("clause"),
        title: String = required("title"),
        note: Option<String> = optional("note"),
        require: Option<Vec<PredicateFile>> = conditions("require"),
        applies_if: Option<Vec<PredicateFile>> = conditions("applies_if"),
        applies_if_any: Option<Vec<PredicateFile>> = conditions("applies_if_any"),
        missing_fact: Option<String> = optional("missing_fact"),
        applies_from: Option<At<toml::value::Datetime>> = at("applies_from"),
    }
}

/// Loads a profile by built-in name or path.
pub fn load_profile(name_or_path: &str) -> Result<Profile, Vec<Diagnostic>> {
    let source = match builtin_source(name_or_path) {
        Some(s) => s,
        None => SourceFile::read(name_or_path).map_err(|d| {
            let names: Vec<&str> = names().collect();
            vec![d.with_help(format!(
                "give a profile file, or a built-in profile: {}",
                names.join(", ")
            ))]
        })?,
    };
    parse_profile(&source)
}

fn builtin_source(name: &str) -> Option<SourceFile> {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| SourceFile::new(format!("rubrics/profiles/{n}.toml"), *text))
}

/// Parses and validates a profile; `extends` starts from a built-in one (its
/// requirements and, unless the file sets its own, its date of application),
/// and a requirement with a known id replaces the base's.
pub fn parse_profile(source: &SourceFile) -> Result<Profile, Vec<Diagnostic>> {
    let file = crate::table::read_file(
        source,
        "profile",
        "the profile",
        "see docs/profiles.md for the profile format",
        ProfileFile::read,
    )?;
    // Reading reports any key it misses, so `None` comes with an error.
    let Some(file) = file else {
        return Err(vec![source.error(
            Code::MissingKey,
            0..0,
            "profile: incomplete",
        )]);
    };
    let mut diagnostics = Vec::new();
    let mut requirements: Vec<Requirement> = Vec::new();
    let mut sha = source.sha256();
    let mut applies_from = None;
    let mut applies_from_note = None;
    let mut scope = Vec::new();
    if let Some(base) = &file.extends {
        match builtin_source(&base.value).map(|s| parse_profile(&s)) {
            Some(Ok(base_profile)) => {
                requirements = base_profile.requirements;
                scope = base_profile.scope;
                applies_from = base_profile.applies_from;
                applies_from_note = base_profile.applies_from_note;
                sha = hex_sha256(format!("{}{sha}", base_profile.sha256).as_bytes());
            }
            Some(Err(mut errors)) => diagnostics.append(&mut errors),
            None => diagnostics.push(
                source
                    .error(
                        Code::UnknownReference,
                        base.span.clone(),
                        format!("`extends` names unknown profile `{}`", base.value),
                    )
                    .with_help(format!(
                        "built-in profiles: {}",
                        names().collect::<Vec<_>>().join(", ")
                    )),
            ),
        }
    }
    if let Some(date) = &file.applies_from {
        applies_from = crate::table::plain_date(&date.value);
        applies_from_note = file.applies_from_note.map(|note| note.value);
        if applies_from.is_none() {
            diagnostics.push(
                source
                    .error(
                        Code::InvalidDate,
                        date.span.clone(),
                        "`applies_from` must be a date",
                    )
                    .with_help("write the date the instrument applies from, such as 2024-06-30"),
            );
        }
    } else if let Some(note) = &file.applies_from_note {
        diagnostics.push(
            source
                .error(
                    Code::MissingKey,
                    note.span.clone(),
                    "`applies_from_note` without `applies_from`",
                )
                .with_help("give the date the note explains, or remove the note"),
        );
    }
    // Requirements of the base that the law the file encodes replaces.
    if let Some(remove) = &file.remove {
        if file.extends.is_none() {
            diagnostics.push(
                source
                    .error(
                        Code::MissingKey,
                        remove.span.clone(),
                        "`remove` without `extends`",
                    )
                    .with_help("`remove` drops requirements of the profile named in `extends`"),
            );
        }
        for id in &remove.value {
            let before = requirements.len();
            requirements.retain(|r| &r.id != id);
            if before == requirements.len() && file.extends.is_some() && diagnostics.is_empty() {
                diagnostics.push(
                    source
                        .error(
                            Code::UnknownReference,
                            remove.span.clone(),
                            format!("`remove` names `{id}`, which the base profile does not have"),
                        )
                        .with_help("name requirements of the profile in `extends`"),
                );
            }
        }
    }
    // A file's own scope replaces the base's as a whole.
    if !file.scope.is_empty() {
        scope.clear();
    }
    for At { span, value: s, .. } in file.scope {
        let mut compiled = Vec::new();
        for f in s.any.as_deref().unwrap_or_default() {
            if let Some(p) = predicate::compile(f, &mut |code, message, help| {
                let mut d = source.error(code, span.clone(), format!("[[scope]]: {message}"));
                d.help = help;
                diagnostics.push(d);
            }) {
                compiled.push(p);
            }
        }
        if s.any.as_ref().is_none_or(Vec::is_empty) {
            diagnostics.push(
                source
                    .error(Code::MissingKey, span.clone(), "[[scope]] has an empty `any`")
                    .with_help(
                        "list the conditions of which one must hold for a file to be covered, \
                         e.g. any = [{ fact = \"arrangement.offered_in\", op = \"one-of\", values = [\"US\"] }]",
                    ),
            );
        }
        scope.push(ScopeCondition {
            covers: s.covers,
            any: compiled,
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for spanned in file.requirement {
        // The requirement's header: its first line.
        let At { span, value: r, .. } = spanned;
        if !seen.insert(r.id.clone()) {
            diagnostics.push(source.error(
                Code::Duplicate,
                span.clone(),
                format!("requirement `{}` is defined twice", r.id),
            ));
        }
        let owner = format!("requirement `{}`", r.id);
        let mut compile = |files: &[PredicateFile]| -> Vec<Predicate> {
            files
                .iter()
                .filter_map(|f| {
                    predicate::compile(f, &mut |code, message, help| {
                        let mut d = source.error(code, span.clone(), format!("{owner}: {message}"));
                        d.help = help;
                        diagnostics.push(d);
                    })
                })
                .collect()
        };
        let require = compile(r.require.as_deref().unwrap_or_default());
        let applies_if = compile(r.applies_if.as_deref().unwrap_or_default());
        let applies_if_any = compile(r.applies_if_any.as_deref().unwrap_or_default());
        let missing_fact = r.missing_fact.filter(|m| !m.trim().is_empty());
        let requirement_from = match &r.applies_from {
            None => None,
            Some(date) => {
                let parsed = crate::table::plain_date(&date.value);
                if parsed.is_none() {
                    diagnostics.push(
                        source
                            .error(
                                Code::InvalidDate,
                                date.span.clone(),
                                format!("{owner}: `applies_from` must be a date"),
                            )
                            .with_help(
                                "write the date the requirement applies from, such as 2025-10-23",
                            ),
                    );
                }
                parsed
            }
        };
        if r.require.as_ref().is_none_or(Vec::is_empty) && missing_fact.is_none() {
            diagnostics.push(
                source
                    .error(
                        Code::MissingKey,
                        span.clone(),
                        format!("{owner} has an empty `require`"),
                    )
                    .with_help(
                        "list the conditions that must hold, or, when format 1 cannot express \
                         the requirement, say what fact is missing in `missing_fact`",
                    ),
            );
        }
        let requirement = Requirement {
            id: r.id,
            clause: r.clause,
            title: r.title,
            note: r.note.unwrap_or_default(),
            require,
            applies_if,
            applies_if_any,
            missing_fact,
            applies_from: requirement_from,
        };
        match requirements.iter_mut().find(|x| x.id == requirement.id) {
            Some(existing) => *existing = requirement,
            None => requirements.push(requirement),
        }
    }
    // A profile with nothing to check would pass every file, and so
    // would `--require-profile` of it.
    if requirements.is_empty() && diagnostics.is_empty() {
        diagnostics.push(
            source
                .error(Code::MissingKey, 0..0, "the profile has no [[requirement]]")
                .with_help("add the requirements it checks, or `extends` a built-in profile"),
        );
    }
    if diagnostics.is_empty() {
        Ok(Profile {
            id: file.id,
            title: file.title,
            source: file.source,
            applies_from,
            applies_from_note,
            sha256: sha,
            scope,
            requirements,
        })
    } else {
        sort_diagnostics(&mut diagnostics);
        Err(diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_load_and_cite_every_clause() {
        for name in names() {
            let profile = load_profile(name).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
            assert_eq!(profile.id, name);
            assert!(!profile.requirements.is_empty());
            for r in &profile.requirements {
                assert!(!r.clause.trim().is_empty(), "{}", r.id);
                assert!(!r.note.trim().is_empty(), "{} explains itself", r.id);
            }
        }
    }

    #[test]
    fn significant_mica_extends_the_base() {
        let base = load_profile("mica-emt").unwrap();
        let significant = load_profile("mica-emt-significant").unwrap();
        assert!(significant.requirements.len() > base.requirements.len());
        let deposits = |p: &Profile| {
            p.requirements
                .iter()
                .find(|r| r.id == "MICA-deposits")
                .map(|r| r.require[0].describe())
        };
        assert!(deposits(&base).unwrap().contains("30"));
        assert!(deposits(&significant).unwrap().contains("60"));
    }

    #[test]
    fn bad_profiles_are_located() {
        let text = "id = \"x\"\ntitle = \"X\"\nsource = \"S\"\n[[requirement]]\nid = \"R1\"\nclause = \"§1\"\ntitle = \"t\"\nrequire = [{ fact = \"reserves.segregatd\", op = \"is-true\" }]\n";
        let errors = parse_profile(&SourceFile::new("p.toml", text)).unwrap_err();
        assert_eq!(errors[0].line, 4);
        assert!(errors[0].message.contains("reserves.segregatd"));
    }
}
