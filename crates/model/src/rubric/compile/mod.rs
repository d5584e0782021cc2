//! Validating and compiling a merged rubric ([`Draft`]) into a [`Rubric`]:
//! the [`Compiler`] that collects every problem with its place, the order in
//! which the sections compile (each needs those before it: milestones their
//! buckets and layers, caps the grades, stages and `[overall]` the buckets),
//! and what several sections share. One file a section:
//!
//! - `grades`: `[[grade]]`, best first.
//! - `buckets`: `[[bucket]]` and `[[layer]]`, the two axes milestones sit on.
//! - `milestones`: `[[milestone]]`, its bucket and layers, its checks' ids.
//! - `checks`: `[[milestone.check]]`: the fact, the operator's fit to it,
//!   thresholds and values.
//! - `caps`: `[[cap]]`, weakest-link caps on the grade.
//! - `stages`: `[[stage]]`, lifecycle stages in order.
//! - `overall`: what the overall grade rests on: `[overall]`, `[[penalty]]`,
//!   `[[core]]` and `absent`.
//! - `evidence`: `[evidence]` credits and the `[confidence]` rule.
//!
//! `[history]` compiles in [`super::history::compile`].

mod buckets;
mod caps;
mod checks;
mod evidence;
mod grades;
mod milestones;
mod overall;
mod stages;

#[cfg(test)]
pub(crate) use checks::input_tables;

use super::draft::{Draft, Loc};
use super::file::PredicateFile;
use super::predicate::{self, Predicate};
use super::{ConfidenceRule, EvidenceCredit, OverallRule, Rubric};
use crate::source::{Code, Diagnostic, SourceFile, sort_diagnostics};

/// Compiles a merged rubric read from `sources` (the rubric's own file, then
/// its base), whose text hashes to `sha256`.
pub(super) fn rubric(
    sources: &[&SourceFile],
    draft: Draft,
    sha256: String,
) -> Result<Rubric, Vec<Diagnostic>> {
    Compiler {
        sources,
        diagnostics: Vec::new(),
    }
    .compile(draft, sha256)
}

/// Compiles a draft section by section, collecting every problem rather
/// than stopping at the first; a diagnostic's [`Loc`] names its source.
struct Compiler<'a> {
    sources: &'a [&'a SourceFile],
    diagnostics: Vec<Diagnostic>,
}

impl Compiler<'_> {
    /// Records a problem at `loc`, in the source it names.
    fn error(&mut self, code: Code, loc: Loc, message: String, help: Option<String>) {
        if let Some(source) = self.sources.get(loc.file) {
            let mut d = source.error(code, loc.start..loc.end, message);
            d.help = help;
            self.diagnostics.push(d);
        }
    }

    /// A required text key of `owner`: a missing or blank one is reported
    /// and read as empty.
    fn require(&mut self, value: Option<String>, what: &str, owner: &str, loc: Loc) -> String {
        match value.filter(|v| !v.trim().is_empty()) {
            Some(v) => v,
            None => {
                self.error(
                    Code::MissingKey,
                    loc,
                    format!("{owner} has no `{what}`"),
                    Some(format!("add `{what} = \"...\"`")),
                );
                String::new()
            }
        }
    }

    /// A weight (1 when not given), reported unless finite and positive.
    fn weight(&mut self, value: Option<f64>, owner: &str, loc: Loc) -> f64 {
        let weight = value.unwrap_or(1.0);
        if !(weight.is_finite() && weight > 0.0) {
            self.error(
                Code::OutOfRange,
                loc,
                format!("{owner} has weight {weight}; weights must be positive"),
                None,
            );
        }
        weight
    }

    /// Weights that are each finite can still add up to infinity (two of
    /// 1e308), which would make every score NaN.
    fn finite_sum(&mut self, weights: impl Iterator<Item = f64>, kind: &str, loc: Loc) {
        let sum: f64 = weights.sum();
        if !sum.is_finite() {
            self.error(
                Code::OutOfRange,
                loc,
                format!("the {kind} weights add up to {sum}"),
                Some("weights are relative: use small numbers such as 1, 2 or 3".into()),
            );
        }
    }

    /// Compiles every section in the order they depend on each other; the
    /// rubric, or every problem found, sorted by place.
    fn compile(mut self, draft: Draft, sha256: String) -> Result<Rubric, Vec<Diagnostic>> {
        let id = self.require(draft.id, "id", "the rubric", Loc::TOP);
        let title = self.require(draft.title, "title", "the rubric", Loc::TOP);
        for (loc, what) in &draft.duplicates {
            self.error(
                Code::Duplicate,
                *loc,
                format!("{what} is defined twice in this file"),
                Some("give each its own id, or merge the two definitions".into()),
            );
        }
        let grades = self.grades(&draft.grades);
        let buckets = self.buckets(draft.buckets);
        let layers = self.layers(draft.layers);
        let milestones = self.milestones(draft.milestones, &buckets, &layers);
        let caps = draft
            .caps
            .into_iter()
            .filter_map(|c| self.cap(c, &grades))
            .collect();
        let stages = self.stages(draft.stages, &buckets);
        let absent = self.absent(draft.absent);
        let core = draft
            .core
            .into_iter()
            .filter_map(|c| self.core_fact(c))
            .collect();
        let overall = match draft.overall {
            Some(o) => self.overall(o, &buckets),
            None => OverallRule::default(),
        };
        let penalties = draft
            .penalties
            .into_iter()
            .filter_map(|p| self.penalty(p))
            .collect();
        let evidence = draft
            .evidence
            .map_or_else(EvidenceCredit::default, |e| self.evidence(e));
        let confidence = draft
            .confidence
            .map_or_else(ConfidenceRule::default, |c| self.confidence(c));
        let history = draft.history.map_or_else(Default::default, |h| {
            let file = h.loc.file;
            super::history::compile(h.value, h.loc.start, &mut |offset, message, help| {
                let loc = Loc {
                    file,
                    start: offset,
                    end: offset,
                };
                self.error(Code::History, loc, message, help);
            })
        });

        if self.diagnostics.is_empty() {
            Ok(Rubric {
                id,
                version: draft.version.unwrap_or_else(|| "1".into()),
                title,
                description: draft.description.unwrap_or_default(),
                sha256,
                grades,
                buckets,
                layers,
                milestones,
                caps,
                stages,
                absent,
                core,
                overall,
                penalties,
                history,
                evidence,
                confidence,
            })
        } else {
            sort_diagnostics(&mut self.diagnostics);
            Err(self.diagnostics)
        }
    }

    /// Compiles the conditions `owner` gives (a cap's `when`, a stage's
    /// `visible_when`, …), reporting a bad one at `loc`.
    fn predicates(&mut self, files: &[PredicateFile], owner: &str, loc: Loc) -> Vec<Predicate> {
        files
            .iter()
            .filter_map(|file| {
                predicate::compile(file, &mut |code, message, help| {
                    self.error(code, loc, format!("{owner}: {message}"), help);
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::rubric::parse_text;

    #[test]
    fn every_problem_is_located() {
        let errors = parse_text(
            "id = \"x\"\ntitle = \"X\"\n[[grade]]\nletter = \"A\"\nmin_score = 0\n\
             [[bucket]]\nid = \"b\"\ntitle = \"B\"\nweight = -1\n\
             [[layer]]\nid = \"l\"\ntitle = \"L\"\n\
             [[milestone]]\nid = \"M1\"\ntitle = \"t\"\nbucket = \"bb\"\nlayers = [\"l\"]\nwhy = \"w\"\nremediation = \"r\"\n\
             [[milestone.check]]\nid = \"c1\"\nfact = \"redemption.fee_bp\"\nop = \"at-most\"\nlimit = 1\n\
             [[milestone.check]]\nid = \"c2\"\nfact = \"redemption.at_par\"\nop = \"at-least\"\nlimit = 1\n\
             [[milestone.check]]\nid = \"c3\"\nfact = \"redemption.eligible\"\nop = \"one-of\"\nvalues = [\"everyone\"]\n",
        )
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 5, "{text:#?}");
        assert!(text.iter().any(|t| t.contains("weight -1")));
        assert!(
            text.iter()
                .any(|t| t.contains("unknown bucket `bb`") && t.contains("`b`"))
        );
        assert!(
            text.iter()
                .any(|t| t.contains("unknown fact `redemption.fee_bp`")
                    && t.contains("redemption.fee_bps"))
        );
        assert!(
            text.iter()
                .any(|t| t.contains("does not fit `redemption.at_par`"))
        );
        assert!(text.iter().any(|t| t.contains("\"everyone\"")));
        assert!(errors.iter().all(|e| e.line > 1));
    }
}
