//! Reading a rubric: the table reader, which keeps each item's position,
//! the merge of an `extends` base with its overrides, then one validation pass
//! that reports every problem with file:line:col.

use std::collections::BTreeSet;
use std::ops::Range;

use super::file::{
    At, BucketFile, CapFile, CheckFile, ConfidenceFile, CoreFile, EvidenceFile, Field, GradeFile,
    HistoryFile, LayerFile, MilestoneFile, OverallFile, Overlay, PenaltyFile, PredicateFile,
    RubricFile, StageFile,
};
use super::predicate::{self, Predicate};
use super::{
    Absent, Bucket, Cap, Check, CheckOperator, Condition, ConditionOperator, ConfidenceLevel,
    ConfidenceRule, CoreFact, EvidenceCredit, Grade, Layer, Milestone, Op, OverallRule, Penalty,
    Rubric, StageRule, Tier, Tiers,
};
use crate::facts::schema::{self, Kind, Target};
use crate::source::{Code, Diagnostic, SourceFile, hex_sha256, sort_diagnostics};

/// Where an item came from: which file, at which bytes (its header, or the
/// value; a diagnostic marks the first line).
#[derive(Debug, Clone, Copy)]
struct Loc {
    file: usize,
    start: usize,
    end: usize,
}

/// An item of a merged rubric with the position of its last definition.
#[derive(Debug, Clone)]
struct Located<T> {
    value: T,
    loc: Loc,
    /// Where that definition gives each of its keys (keys it inherits from
    /// a base are not listed: they stand in another file).
    keys: Vec<(&'static str, Range<usize>)>,
}

/// Where `key` of an item stands, else the item itself.
fn field(loc: Loc, keys: &[(&'static str, Range<usize>)], key: &str) -> Loc {
    keys.iter()
        .find(|(k, _)| *k == key)
        .map_or(loc, |(_, span)| Loc {
            file: loc.file,
            start: span.start,
            end: span.end,
        })
}

fn locate<T>(items: Vec<At<T>>, file: usize) -> Vec<Located<T>> {
    items
        .into_iter()
        .map(|at| Located {
            value: at.value,
            loc: Loc {
                file,
                start: at.span.start,
                end: at.span.end,
            },
            keys: at.keys,
        })
        .collect()
}

/// The merged, not yet validated rubric.
#[derive(Debug, Default)]
struct Draft {
    id: Option<String>,
    version: Option<String>,
    title: Option<String>,
    description: Option<String>,
    grades: Vec<Located<GradeFile>>,
    buckets: Vec<Located<BucketFile>>,
    layers: Vec<Located<LayerFile>>,
    milestones: Vec<(Located<MilestoneFile>, Vec<Located<CheckFile>>)>,
    caps: Vec<Located<CapFile>>,
    stages: Vec<Located<StageFile>>,
    absent: Option<Located<String>>,
    core: Vec<Located<CoreFile>>,
    overall: Option<Located<OverallFile>>,
    penalties: Vec<Located<PenaltyFile>>,
    history: Option<Located<HistoryFile>>,
    evidence: Option<Located<EvidenceFile>>,
    confidence: Option<Located<ConfidenceFile>>,
    /// Ids given twice in one file (a second definition in the same file
    /// is a mistake, not an override), with what they name.
    duplicates: Vec<(Loc, String)>,
}

/// Merges `items` into `base` by id: an item of the base file already there
/// takes the values the new one gives (and its place in the file), a new one
/// is added. An id given twice in one file is recorded in `duplicates` as
/// `kind` and keeps its first definition.
fn merge<T: Overlay>(
    base: &mut Vec<Located<T>>,
    items: Vec<Located<T>>,
    id: fn(&T) -> &str,
    kind: &str,
    duplicates: &mut Vec<(Loc, String)>,
) {
    for item in items {
        match base.iter_mut().find(|b| id(&b.value) == id(&item.value)) {
            Some(b) if b.loc.file == item.loc.file => {
                duplicates.push((item.loc, format!("{kind} `{}`", id(&item.value))));
            }
            Some(b) => b.take(item),
            None => base.push(item),
        }
    }
}

impl<T: Overlay> Located<T> {
    /// Takes the values `other` gives, and its place.
    fn take(&mut self, other: Located<T>) {
        self.value.overlay(&other.value);
        self.loc = other.loc;
        self.keys = other.keys;
    }
}

impl Draft {
    fn overlay(&mut self, file: RubricFile, index: usize) {
        self.id.take_from(&file.id);
        self.version.take_from(&file.version);
        self.title.take_from(&file.title);
        self.description.take_from(&file.description);
        if let Some(history) = file.history {
            self.history = locate(vec![history], index).pop();
        }
        if !file.grade.is_empty() {
            self.grades = locate(file.grade, index);
        }
        if let Some(absent) = file.absent {
            self.absent = locate(vec![absent], index).pop();
        }
        // The core list is one decision: a rubric that gives it replaces it.
        if !file.core.is_empty() {
            self.core = locate(file.core, index);
        }
        if let Some(overall) = locate(file.overall.into_iter().collect(), index).pop() {
            match &mut self.overall {
                Some(base) => base.take(overall),
                None => self.overall = Some(overall),
            }
        }
        if let Some(evidence) = locate(file.evidence.into_iter().collect(), index).pop() {
            match &mut self.evidence {
                Some(base) => base.take(evidence),
                None => self.evidence = Some(evidence),
            }
        }
        if let Some(confidence) = locate(file.confidence.into_iter().collect(), index).pop() {
            match &mut self.confidence {
                Some(base) => base.take(confidence),
                None => self.confidence = Some(confidence),
            }
        }
        let dups = &mut self.duplicates;
        merge(
            &mut self.penalties,
            locate(file.penalty, index),
            |p| &p.id,
            "penalty",
            dups,
        );
        merge(
            &mut self.buckets,
            locate(file.bucket, index),
            |b| &b.id,
            "bucket",
            dups,
        );
        merge(
            &mut self.layers,
            locate(file.layer, index),
            |l| &l.id,
            "layer",
            dups,
        );
        merge(
            &mut self.caps,
            locate(file.cap, index),
            |c| &c.id,
            "cap",
            dups,
        );
        merge(
            &mut self.stages,
            locate(file.stage, index),
            |s| &s.id,
            "stage",
            dups,
        );
        for mut milestone in locate(file.milestone, index) {
            let checks = locate(std::mem::take(&mut milestone.value.check), index);
            let Some((base, base_checks)) = self
                .milestones
                .iter_mut()
                .find(|(m, _)| m.value.id == milestone.value.id)
            else {
                self.milestones.push((milestone, checks));
                continue;
            };
            if base.loc.file == milestone.loc.file {
                let what = format!("milestone `{}`", milestone.value.id);
                self.duplicates.push((milestone.loc, what));
                continue;
            }
            base.take(milestone);
            // `limit` and `tiers` are two spellings of one threshold: an
            // override of either replaces both.
            for check in &checks {
                let threshold = check.value.limit.is_some() || check.value.tiers.is_some();
                if let Some(b) = base_checks
                    .iter_mut()
                    .find(|b| threshold && b.value.id == check.value.id)
                {
                    (b.value.limit, b.value.tiers) = (None, None);
                }
            }
            merge(
                base_checks,
                checks,
                |c| &c.id,
                "check",
                &mut self.duplicates,
            );
        }
    }
}

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
    super::table::read_file(
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
    Compiler {
        sources: &sources,
        diagnostics: Vec::new(),
    }
    .compile(draft, sha256)
}

struct Compiler<'a> {
    sources: &'a [&'a SourceFile],
    diagnostics: Vec<Diagnostic>,
}

impl Compiler<'_> {
    fn error(&mut self, code: Code, loc: Loc, message: String, help: Option<String>) {
        if let Some(source) = self.sources.get(loc.file) {
            let mut d = source.error(code, loc.start..loc.end, message);
            d.help = help;
            self.diagnostics.push(d);
        }
    }

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

    fn compile(mut self, draft: Draft, sha256: String) -> Result<Rubric, Vec<Diagnostic>> {
        let top = Loc {
            file: 0,
            start: 0,
            end: 0,
        };
        let id = self.require(draft.id, "id", "the rubric", top);
        let title = self.require(draft.title, "title", "the rubric", top);
        for (loc, what) in &draft.duplicates {
            self.error(
                Code::Duplicate,
                *loc,
                format!("{what} is defined twice in this file"),
                Some("give each its own id, or merge the two definitions".into()),
            );
        }
        // Grades are listed best first: a grade whose min_score is not below
        // the one before it would never be given, or give a weak file an A.
        for pair in draft.grades.windows(2) {
            if let [better, worse] = pair
                && worse.value.min_score >= better.value.min_score
            {
                self.error(
                    Code::Inconsistent,
                    worse.loc,
                    format!(
                        "grade `{}` has min_score {}, not below {} of grade `{}` before it",
                        worse.value.letter,
                        worse.value.min_score,
                        better.value.min_score,
                        better.value.letter
                    ),
                    Some(
                        "list grades best first, each min_score strictly below the one before"
                            .into(),
                    ),
                );
            }
        }

        let mut grades: Vec<Grade> = Vec::new();
        for g in &draft.grades {
            if grades.iter().any(|x| x.letter == g.value.letter) {
                self.error(
                    Code::Duplicate,
                    g.loc,
                    format!("grade `{}` is defined twice", g.value.letter),
                    None,
                );
            }
            if !g.value.min_score.is_finite() || !(0.0..=100.0).contains(&g.value.min_score) {
                self.error(
                    Code::OutOfRange,
                    g.loc,
                    format!(
                        "grade `{}` has min_score {}; it must be 0–100",
                        g.value.letter, g.value.min_score
                    ),
                    None,
                );
            }
            grades.push(Grade {
                letter: g.value.letter.clone(),
                min_score: g.value.min_score,
            });
        }
        if grades.is_empty() {
            self.error(
                Code::MissingKey,
                top,
                "the rubric has no [[grade]] entries".into(),
                Some("add grades such as `[[grade]] letter = \"A\" min_score = 85`".into()),
            );
        }
        grades.sort_by(|a, b| b.min_score.total_cmp(&a.min_score));

        let mut buckets = Vec::new();
        for b in draft.buckets {
            if buckets.iter().any(|x: &Bucket| x.id == b.value.id) {
                self.error(
                    Code::Duplicate,
                    b.loc,
                    format!("bucket `{}` is defined twice", b.value.id),
                    None,
                );
            }
            let owner = format!("bucket `{}`", b.value.id);
            buckets.push(Bucket {
                title: self.require(b.value.title, "title", &owner, b.loc),
                description: b.value.description.unwrap_or_default(),
                weight: self.weight(b.value.weight, &owner, b.loc),
                id: b.value.id,
            });
        }
        self.finite_sum(buckets.iter().map(|b| b.weight), "bucket", top);
        let mut layers = Vec::new();
        for l in draft.layers {
            if layers.iter().any(|x: &Layer| x.id == l.value.id) {
                self.error(
                    Code::Duplicate,
                    l.loc,
                    format!("layer `{}` is defined twice", l.value.id),
                    None,
                );
            }
            let owner = format!("layer `{}`", l.value.id);
            layers.push(Layer {
                title: self.require(l.value.title, "title", &owner, l.loc),
                description: l.value.description.unwrap_or_default(),
                id: l.value.id,
            });
        }

        let mut milestones: Vec<Milestone> = Vec::new();
        let mut check_ids = BTreeSet::new();
        for (m, checks) in draft.milestones {
            let (loc, keys) = (m.loc, m.keys);
            let m = m.value;
            let owner = format!("milestone `{}`", m.id);
            if milestones.iter().any(|x| x.id == m.id) {
                self.error(
                    Code::Duplicate,
                    loc,
                    format!("{owner} is defined twice"),
                    None,
                );
            }
            let bucket = self.require(m.bucket, "bucket", &owner, loc);
            if !bucket.is_empty() && !buckets.iter().any(|b| b.id == bucket) {
                let hint = schema::did_you_mean(&bucket, buckets.iter().map(|b| b.id.as_str()))
                    .map(|s| format!("did you mean `{s}`?"));
                self.error(
                    Code::UnknownReference,
                    field(loc, &keys, "bucket"),
                    format!("{owner} is in unknown bucket `{bucket}`"),
                    hint,
                );
            }
            let milestone_layers = m.layers.unwrap_or_default();
            let distinct: BTreeSet<&String> = milestone_layers.iter().collect();
            if milestone_layers.is_empty() {
                self.error(
                    Code::MissingKey,
                    loc,
                    format!("{owner} has no `layers`"),
                    Some("tag it with one or two layers".into()),
                );
            } else if milestone_layers.len() > 2 || distinct.len() < milestone_layers.len() {
                self.error(
                    Code::OutOfRange,
                    field(loc, &keys, "layers"),
                    format!(
                        "{owner} has layers [{}]; a milestone sits on one or two distinct layers",
                        milestone_layers.join(", ")
                    ),
                    Some("keep the one or two layers it serves, each once".into()),
                );
            }
            for layer in &milestone_layers {
                if !layers.iter().any(|l| &l.id == layer) {
                    let hint = schema::did_you_mean(layer, layers.iter().map(|l| l.id.as_str()))
                        .map(|s| format!("did you mean `{s}`?"));
                    self.error(
                        Code::UnknownReference,
                        field(loc, &keys, "layers"),
                        format!("{owner} names unknown layer `{layer}`"),
                        hint,
                    );
                }
            }
            if checks.is_empty() {
                self.error(
                    Code::MissingKey,
                    loc,
                    format!("{owner} has no checks"),
                    Some("add at least one [[milestone.check]]".into()),
                );
            }
            let mut compiled = Vec::new();
            for c in checks {
                if !check_ids.insert(c.value.id.clone()) {
                    self.error(
                        Code::Duplicate,
                        c.loc,
                        format!("check `{}` is defined twice", c.value.id),
                        None,
                    );
                }
                if let Some(check) = self.check(c) {
                    compiled.push(check);
                }
            }
            let bucket_index = buckets.iter().position(|b| b.id == bucket).unwrap_or(0);
            let layer_indices = milestone_layers
                .iter()
                .filter_map(|layer| layers.iter().position(|l| &l.id == layer))
                .collect();
            milestones.push(Milestone {
                bucket_index,
                layer_indices,
                title: self.require(m.title, "title", &owner, loc),
                why: self.require(m.why, "why", &owner, loc),
                remediation: self.require(m.remediation, "remediation", &owner, loc),
                weight: self.weight(m.weight, &owner, loc),
                bucket,
                layers: milestone_layers,
                checks: compiled,
                id: m.id,
            });
        }

        self.finite_sum(milestones.iter().map(|m| m.weight), "milestone", top);
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

    fn confidence(&mut self, located: Located<ConfidenceFile>) -> ConfidenceRule {
        let (loc, c) = (located.loc, located.value);
        let mut pct = |name: &str, value: Option<f64>| {
            let value = value.unwrap_or(0.0);
            if !(0.0..=100.0).contains(&value) {
                self.error(
                    Code::OutOfRange,
                    loc,
                    format!("[confidence] has {name} = {value}; it must be 0–100"),
                    Some("a share in percent".into()),
                );
            }
            value
        };
        ConfidenceRule {
            min_known_pct: pct("min_known_pct", c.min_known_pct),
            high: ConfidenceLevel {
                known_pct: pct("high_known_pct", c.high_known_pct),
                independent_pct: pct("high_independent_pct", c.high_independent_pct),
            },
            medium: ConfidenceLevel {
                known_pct: pct("medium_known_pct", c.medium_known_pct),
                independent_pct: pct("medium_independent_pct", c.medium_independent_pct),
            },
        }
    }

    fn evidence(&mut self, located: Located<EvidenceFile>) -> EvidenceCredit {
        let (loc, e) = (located.loc, located.value);
        let mut credit = EvidenceCredit::default();
        for (kind, value) in [
            ("independent-assurance", e.independent_assurance),
            ("regulator", e.regulator),
            ("third-party", e.third_party),
            ("issuer", e.issuer),
            ("unverified", e.unverified),
        ] {
            let Some(value) = value else { continue };
            if (0.0..=1.0).contains(&value) {
                credit.set(kind, value);
            } else {
                self.error(
                    Code::OutOfRange,
                    loc,
                    format!("[evidence] has {kind} = {value}; it must be 0–1"),
                    Some("the share of a check's points a fact backed by this kind earns".into()),
                );
            }
        }
        credit
    }

    fn absent(&mut self, absent: Option<Located<String>>) -> Absent {
        let Some(absent) = absent else {
            return Absent::default();
        };
        Absent::parse(&absent.value).unwrap_or_else(|| {
            self.error(
                Code::UnknownValue,
                absent.loc,
                format!("`absent` is \"{}\"", absent.value),
                Some(format!(
                    "allowed values: {}",
                    schema::quote_list(Absent::NAMES)
                )),
            );
            Absent::default()
        })
    }

    /// Resolves a fact path a rubric names outside a check, reporting an
    /// unknown one.
    fn fact(&mut self, fact: &str, owner: &str, loc: Loc) -> Option<Target> {
        let target = crate::figures::resolve(fact);
        if target.is_none() {
            self.error(
                Code::UnknownReference,
                loc,
                format!("{owner} reads unknown fact `{fact}`"),
                Some("fact paths are listed in docs/fields.md and docs/derived.md".into()),
            );
        }
        target
    }

    fn core_fact(&mut self, located: Located<CoreFile>) -> Option<CoreFact> {
        let (loc, c) = (located.loc, located.value);
        let target = self.fact(&c.fact, "core fact", loc)?;
        let owner = format!("core fact `{}`", c.fact);
        let or = self.predicates(c.or.as_deref().unwrap_or_default(), &owner, loc);
        Some(CoreFact {
            title: c.title.unwrap_or_else(|| c.fact.clone()),
            fact: c.fact,
            target,
            or,
        })
    }

    fn overall(&mut self, located: Located<OverallFile>, buckets: &[Bucket]) -> OverallRule {
        let (loc, o) = (located.loc, located.value);
        let mut anchor = Vec::new();
        for id in o.anchor.unwrap_or_default() {
            match buckets.iter().position(|b| b.id == id) {
                Some(i) if !anchor.contains(&i) => anchor.push(i),
                Some(_) => self.error(
                    Code::Duplicate,
                    loc,
                    format!("[overall] names `{id}` twice"),
                    None,
                ),
                None => {
                    let hint = schema::did_you_mean(&id, buckets.iter().map(|b| b.id.as_str()))
                        .map(|s| format!("did you mean `{s}`?"));
                    self.error(
                        Code::UnknownReference,
                        loc,
                        format!("[overall] anchors on unknown bucket `{id}`"),
                        hint,
                    );
                }
            }
        }
        let mut bounded = |name: &str, value: Option<f64>, range: std::ops::RangeInclusive<f64>| {
            let value = value.unwrap_or(0.0);
            if !range.contains(&value) {
                self.error(
                    Code::OutOfRange,
                    loc,
                    format!(
                        "[overall] has {name} = {value}; it must be {}–{}",
                        range.start(),
                        range.end()
                    ),
                    None,
                );
            }
            value
        };
        OverallRule {
            pull: bounded("pull", o.pull, 0.0..=1.0),
            max_up: bounded("max_up", o.max_up, 0.0..=100.0),
            max_down: bounded("max_down", o.max_down, 0.0..=100.0),
            anchor,
        }
    }

    fn penalty(&mut self, located: Located<PenaltyFile>) -> Option<Penalty> {
        let (loc, keys, p) = (located.loc, located.keys, located.value);
        let owner = format!("penalty `{}`", p.id);
        let fact = self.require(p.fact, "fact", &owner, loc);
        let target = if fact.is_empty() {
            None
        } else {
            self.fact(&fact, &owner, loc)
        };
        if let Some(t) = target
            && (!t.kind().is_numeric() || matches!(t, Target::EachField(..)))
        {
            self.error(
                Code::Operator,
                loc,
                format!("{owner} reads `{fact}`, which is {}", t.kind().describe()),
                Some("a penalty needs a number field of a plain table or a derived number".into()),
            );
        }
        let op = p.op.as_deref().unwrap_or_default();
        let below = match ConditionOperator::parse(op) {
            Some(ConditionOperator::Below) => true,
            Some(ConditionOperator::Above) => false,
            _ => {
                let (below, above) = (ConditionOperator::Below, ConditionOperator::Above);
                self.error(
                    Code::Operator,
                    field(loc, &keys, "op"),
                    format!("{owner} has op {op:?}"),
                    Some(format!(
                        "`op = \"{}\"` or `op = \"{}\"`",
                        below.name(),
                        above.name()
                    )),
                );
                false
            }
        };
        let mut number = |name: &str, value: Option<f64>, positive: bool| {
            let ok = value.is_some_and(|v| v.is_finite() && (!positive || v > 0.0));
            if !ok {
                let need = if positive {
                    "a positive number"
                } else {
                    "a number"
                };
                self.error(
                    Code::MissingKey,
                    loc,
                    format!("{owner} needs `{name}`, {need}"),
                    None,
                );
            }
            value.unwrap_or(0.0)
        };
        let threshold = number("value", p.value, false);
        let per_unit = number("per_unit", p.per_unit, true);
        let max = number("max", p.max, true);
        Some(Penalty {
            title: self.require(p.title, "title", &owner, loc),
            id: p.id,
            fact,
            target: target?,
            below,
            threshold,
            per_unit,
            max,
        })
    }

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

    fn cap(&mut self, located: Located<CapFile>, grades: &[Grade]) -> Option<Cap> {
        let (loc, c) = (located.loc, located.value);
        let owner = format!("cap `{}`", c.id);
        let max_grade = self.require(c.max_grade, "max_grade", &owner, loc);
        if !max_grade.is_empty() && !grades.iter().any(|g| g.letter == max_grade) {
            let letters: Vec<&str> = grades.iter().map(|g| g.letter.as_str()).collect();
            self.error(
                Code::UnknownReference,
                loc,
                format!("{owner} caps at unknown grade `{max_grade}`"),
                Some(format!("grades: {}", letters.join(", "))),
            );
        }
        let when_all = self.predicates(c.when.as_deref().unwrap_or_default(), &owner, loc);
        let when_any = self.predicates(c.when_any.as_deref().unwrap_or_default(), &owner, loc);
        if c.when.as_ref().is_none_or(Vec::is_empty)
            && c.when_any.as_ref().is_none_or(Vec::is_empty)
        {
            self.error(
                Code::MissingKey,
                loc,
                format!("{owner} has no condition"),
                Some("add `when = [...]` (all must hold) or `when_any = [...]`".into()),
            );
        }
        Some(Cap {
            title: self.require(c.title, "title", &owner, loc),
            reason: self.require(c.reason, "reason", &owner, loc),
            max_grade,
            when_all,
            when_any,
            id: c.id,
        })
    }

    fn stages(&mut self, stages: Vec<Located<StageFile>>, buckets: &[Bucket]) -> Vec<StageRule> {
        let mut out: Vec<StageRule> = Vec::new();
        for located in stages {
            let (loc, st) = (located.loc, located.value);
            let owner = format!("stage `{}`", st.id);
            let position = schema::STAGES.iter().position(|s| *s == st.id);
            match position {
                None => self.error(
                    Code::UnknownValue,
                    loc,
                    format!("{owner} is not a lifecycle stage"),
                    Some(format!("stages: {}", schema::STAGES.join(", "))),
                ),
                Some(p) => {
                    let previous = out
                        .last()
                        .and_then(|s| schema::STAGES.iter().position(|x| *x == s.id));
                    if previous.is_some_and(|prev| prev >= p) {
                        self.error(
                            Code::Inconsistent,
                            loc,
                            format!("{owner} is out of order"),
                            Some(format!(
                                "list stages in the order {}",
                                schema::STAGES.join(", ")
                            )),
                        );
                    }
                }
            }
            let minimum = st.min_bucket_score.unwrap_or(0.0);
            let bucket_min = st.bucket_min.unwrap_or_default();
            for (bucket, min) in
                std::iter::once((&String::new(), &minimum)).chain(bucket_min.iter())
            {
                if !bucket.is_empty() && !buckets.iter().any(|b| &b.id == bucket) {
                    self.error(
                        Code::UnknownReference,
                        loc,
                        format!("{owner} sets a minimum for unknown bucket `{bucket}`"),
                        None,
                    );
                }
                if !(0.0..=100.0).contains(min) {
                    self.error(
                        Code::OutOfRange,
                        loc,
                        format!("{owner} has minimum {min}; minimums are 0–100"),
                        None,
                    );
                }
            }
            let visible_when =
                self.predicates(st.visible_when.as_deref().unwrap_or_default(), &owner, loc);
            out.push(StageRule {
                title: st.title.unwrap_or_else(|| st.id.clone()),
                id: st.id,
                min_bucket_score: minimum,
                bucket_min,
                visible_when,
            });
        }
        out
    }

    fn tiers(&mut self, c: &CheckFile, loc: Loc) -> Option<Tiers> {
        let tiers: Vec<Tier> = match (&c.tiers, c.limit) {
            (Some(tiers), None) => tiers
                .iter()
                .map(|&(limit, credit)| Tier { limit, credit })
                .collect(),
            (None, Some(limit)) => vec![Tier { limit, credit: 1.0 }],
            _ => {
                self.error(Code::MissingKey, loc, format!("check `{}` needs either `limit` or `tiers`", c.id), Some("for example `limit = 2`, or `tiers = [[1, 1.0], [2, 0.7]]` (limit, credit)".into()));
                return None;
            }
        };
        for t in &tiers {
            if !(t.limit.is_finite() && t.credit > 0.0 && t.credit <= 1.0) {
                self.error(
                    Code::OutOfRange,
                    loc,
                    format!(
                        "check `{}` has tier ({}, {}); credits must be in (0, 1] and limits finite",
                        c.id, t.limit, t.credit
                    ),
                    None,
                );
                return None;
            }
        }
        if tiers.is_empty() {
            self.error(
                Code::OutOfRange,
                loc,
                format!("check `{}` has empty `tiers`", c.id),
                None,
            );
            return None;
        }
        Some(Tiers(tiers))
    }

    fn values_fit(&mut self, c: &CheckFile, kind: Kind, values: &[String], loc: Loc) {
        let allowed = match kind {
            Kind::Enum(allowed) | Kind::EnumList(allowed) => allowed,
            _ => return,
        };
        for v in values {
            if !schema::allows(allowed, v) {
                self.error(
                    Code::UnknownValue,
                    loc,
                    format!(
                        "check `{}` expects value \"{v}\", which `{}` never takes",
                        c.id,
                        c.fact.as_deref().unwrap_or("")
                    ),
                    Some(format!(
                        "allowed values: {}",
                        schema::quote_list(&schema::names_of(allowed))
                    )),
                );
            }
        }
    }

    fn check(&mut self, located: Located<CheckFile>) -> Option<Check> {
        let (loc, keys) = (located.loc, located.keys);
        let c = located.value;
        let Some(fact) = c.fact.clone() else {
            self.error(
                Code::MissingKey,
                loc,
                format!("check `{}` has no `fact`", c.id),
                None,
            );
            return None;
        };
        let Some(target) = crate::figures::resolve(&fact) else {
            let candidates: Vec<String> = crate::figures::paths()
                .chain(
                    schema::TABLES
                        .iter()
                        .filter(|t| t.repeated)
                        .map(|t| format!("{}[]", t.path)),
                )
                .collect();
            let hint = schema::did_you_mean(&fact, candidates.iter().map(String::as_str))
                .map_or_else(
                    || {
                        "fact paths are listed in docs/arrangement.md and docs/derived.md"
                            .to_string()
                    },
                    |s| format!("did you mean `{s}`?"),
                );
            self.error(
                Code::UnknownReference,
                field(loc, &keys, "fact"),
                format!("check `{}` reads unknown fact `{fact}`", c.id),
                Some(hint),
            );
            return None;
        };
        let op_name = c.op.clone().unwrap_or_default();
        let points = c.points.unwrap_or(1.0);
        if !(points.is_finite() && points > 0.0) {
            self.error(
                Code::OutOfRange,
                loc,
                format!(
                    "check `{}` has points {points}; points must be positive",
                    c.id
                ),
                None,
            );
        }
        let kind = target.kind();
        let misfit = |this: &mut Self, wants: &str| {
            this.error(
                Code::Operator,
                field(loc, &keys, "op"),
                format!(
                    "operator `{op_name}` does not fit `{fact}`, which is {}",
                    kind.describe()
                ),
                Some(format!("`{op_name}` needs {wants}")),
            );
        };
        let values = c.values.clone().unwrap_or_default();
        let Some(operator) = CheckOperator::parse(&op_name) else {
            self.error(
                Code::Operator,
                field(loc, &keys, "op"),
                format!("check `{}` has unknown operator `{op_name}`", c.id),
                Some(CheckOperator::hint(&op_name)),
            );
            return None;
        };
        let op = match operator {
            CheckOperator::Present => Op::Present,
            CheckOperator::IsTrue | CheckOperator::IsFalse => {
                if kind != Kind::Bool || matches!(target, Target::EachField(..)) {
                    misfit(
                        self,
                        "a boolean field of a plain table (use `all` or `any` for entries)",
                    );
                }
                if operator == CheckOperator::IsTrue {
                    Op::IsTrue
                } else {
                    Op::IsFalse
                }
            }
            CheckOperator::OneOf => {
                if !matches!(kind, Kind::Enum(_) | Kind::Text)
                    || matches!(target, Target::EachField(..))
                {
                    misfit(self, "an enum or text field of a plain table");
                }
                if values.is_empty() {
                    self.error(
                        Code::MissingKey,
                        loc,
                        format!("check `{}` needs `values`", c.id),
                        None,
                    );
                }
                let partial = c.partial.clone().unwrap_or_default();
                self.values_fit(&c, kind, &values, loc);
                self.values_fit(&c, kind, &partial, loc);
                Op::OneOf {
                    values,
                    partial,
                    partial_credit: c.partial_credit.unwrap_or(0.5),
                }
            }
            CheckOperator::AtLeast | CheckOperator::AtMost => {
                if !kind.is_numeric()
                    || matches!(target, Target::EachField(..) | Target::Entries(_))
                {
                    misfit(self, "a number field of a plain table or a derived number");
                }
                let tiers = self.tiers(&c, loc)?;
                if operator == CheckOperator::AtLeast {
                    Op::AtLeast(tiers)
                } else {
                    Op::AtMost(tiers)
                }
            }
            CheckOperator::AgeAtMost => {
                if kind != Kind::Date || matches!(target, Target::EachField(..)) {
                    misfit(self, "a date field of a plain table");
                }
                Op::AgeAtMost(self.tiers(&c, loc)?)
            }
            CheckOperator::CountAtLeast => {
                if !(matches!(target, Target::Entries(_))
                    || (kind.is_list() && matches!(target, Target::Field(..))))
                {
                    misfit(self, "entries (`table[]`) or an array field");
                }
                Op::CountAtLeast(self.tiers(&c, loc)?)
            }
            CheckOperator::Includes => {
                if !kind.is_list() || !matches!(target, Target::Field(..)) {
                    misfit(self, "an array field of a plain table");
                }
                if values.is_empty() {
                    self.error(
                        Code::MissingKey,
                        loc,
                        format!("check `{}` needs `values`", c.id),
                        None,
                    );
                }
                self.values_fit(&c, kind, &values, loc);
                Op::Includes(values)
            }
            CheckOperator::All | CheckOperator::Any => {
                let Target::EachField(table, _) = target else {
                    misfit(self, "a field of each entry, written `table[].field`");
                    return None;
                };
                self.values_fit(&c, kind, &values, loc);
                let filter = match &c.filter {
                    None => None,
                    Some(map) if map.len() == 1 => {
                        let (field, filter_values) =
                            map.iter().next().map(|(k, v)| (k.clone(), v.clone()))?;
                        match table.field(&field) {
                            Some(f) => self.values_fit(&c, f.kind, &filter_values, loc),
                            None => self.error(
                                Code::UnknownReference,
                                loc,
                                format!(
                                    "check `{}` filters on unknown field `{field}` of [[{}]]",
                                    c.id, table.path
                                ),
                                None,
                            ),
                        }
                        Some((field, filter_values))
                    }
                    Some(_) => {
                        self.error(
                            Code::WrongType,
                            loc,
                            format!("check `{}`: `where` takes exactly one field", c.id),
                            None,
                        );
                        None
                    }
                };
                let declared = values.is_empty() && kind != Kind::Bool;
                let condition = Condition {
                    values,
                    declared,
                    filter,
                };
                if operator == CheckOperator::All {
                    Op::All(condition)
                } else {
                    Op::Any(condition)
                }
            }
        };
        let title = c.title.clone().unwrap_or_else(|| default_title(&fact, &op));
        let not_applicable_when = self.predicates(
            c.not_applicable_when.as_deref().unwrap_or_default(),
            &format!("check `{}`", c.id),
            loc,
        );
        Some(Check {
            not_applicable_when,
            id: c.id,
            met_message: format!("{title}: met"),
            missing_message: crate::eval::missing_detail(target)
                .map(|detail| format!("{title}: {detail}"))
                .unwrap_or_default(),
            title,
            fact,
            target,
            expected: crate::eval::expected(&op),
            input_tables: input_tables(target),
            op,
            points,
        })
    }
}

/// The tables a derived figure's inputs live in (empty for other targets).
pub fn input_tables(target: Target) -> Vec<&'static schema::Table> {
    let Target::Derived(spec) = target else {
        return Vec::new();
    };
    spec.inputs
        .iter()
        .filter_map(|input| match crate::figures::resolve(input) {
            Some(Target::Field(t, _) | Target::EachField(t, _) | Target::Entries(t)) => Some(t),
            _ => None,
        })
        .collect()
}

/// A readable title for a check that does not give one.
fn default_title(fact: &str, op: &Op) -> String {
    format!("{fact} {}", crate::eval::expected(op))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Rubric, Vec<Diagnostic>> {
        parse_rubric(&SourceFile::new("r.toml", text))
    }

    #[test]
    fn builtin_rubrics_load() {
        for name in crate::rubric::builtin::NAMES {
            let rubric = load_rubric(name).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
            assert!(!rubric.milestones.is_empty());
        }
    }

    #[test]
    fn the_judgment_keys_are_validated_and_can_be_overridden() {
        let strict = parse(
            "id = \"s\"\ntitle = \"S\"\nextends = \"milestones\"\nabsent = \"unmet\"\n\
             [overall]\npull = 0.2\n\
             [[penalty]]\nid = \"reserve-shortfall\"\nper_unit = 5\n\
             [[core]]\nfact = \"reserves.asset[]\"\n",
        )
        .unwrap();
        assert_eq!(strict.absent, Absent::Unmet);
        // Overridden fields change; the rest is inherited.
        assert_eq!(strict.overall.pull, 0.2);
        assert_eq!(strict.overall.max_down, 15.0);
        assert_eq!(strict.overall.anchor.len(), 2);
        let shortfall = strict
            .penalties
            .iter()
            .find(|p| p.id == "reserve-shortfall")
            .unwrap();
        assert_eq!((shortfall.per_unit, shortfall.max), (5.0, 60.0));
        // A core list replaces the base's.
        assert_eq!(strict.core.len(), 1);

        let errors = parse(
            "id = \"b\"\ntitle = \"B\"\nextends = \"milestones\"\nabsent = \"maybe\"\n\
             [overall]\nanchor = [\"reserve-custdy\"]\npull = 2\n\
             [[penalty]]\nid = \"p\"\ntitle = \"P\"\nfact = \"redemption.eligible\"\nop = \"beyond\"\nvalue = 0\nper_unit = 0\nmax = 1\n\
             [[core]]\nfact = \"reserves.nothing\"\n",
        )
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(|d| d.message.clone()).collect();
        for expected in [
            "`absent` is \"maybe\"",
            "[overall] anchors on unknown bucket `reserve-custdy`",
            "[overall] has pull = 2",
            "penalty `p` reads `redemption.eligible`",
            "penalty `p` has op \"beyond\"",
            "penalty `p` needs `per_unit`",
            "core fact reads unknown fact `reserves.nothing`",
        ] {
            assert!(
                text.iter().any(|t| t.contains(expected)),
                "{expected} in {text:#?}"
            );
        }
        assert!(errors.iter().all(|d| d.line > 0));
    }

    #[test]
    fn evidence_credits_are_read_overlaid_and_bounded() {
        let base = load_rubric("milestones").unwrap();
        assert_eq!(base.evidence.credit(Some("unverified")), 0.5);
        assert_eq!(
            base.evidence.credit(None),
            1.0,
            "undeclared is the issuer's word"
        );
        let strict =
            parse("id = \"strict\"\nextends = \"milestones\"\n[evidence]\nissuer = 0.8\n").unwrap();
        assert_eq!(strict.evidence.credit(None), 0.8);
        assert_eq!(
            strict.evidence.credit(Some("unverified")),
            0.5,
            "kept from the base"
        );
        assert_eq!(strict.evidence.credit(Some("regulator")), 1.0);
        let errors =
            parse("id = \"b\"\nextends = \"milestones\"\n[evidence]\nregulator = 2\n").unwrap_err();
        assert!(errors[0].message.contains("regulator = 2"), "{errors:#?}");
    }

    #[test]
    fn extends_overrides_by_id() {
        let rubric = parse(
            "id = \"strict\"\nextends = \"milestones\"\n\
             [[bucket]]\nid = \"transparency\"\nweight = 3\n\
             [[milestone]]\nid = \"M18\"\n[[milestone.check]]\nid = \"M18.settlement\"\ntiers = [[0.5, 1.0]]\n",
        )
        .unwrap();
        assert_eq!(rubric.id, "strict");
        assert_eq!(rubric.bucket("transparency").unwrap().weight, 3.0);
        let (_, check) = rubric.check("M18.settlement").unwrap();
        assert_eq!(
            check.op,
            Op::AtMost(Tiers(vec![Tier {
                limit: 0.5,
                credit: 1.0
            }]))
        );
        assert_eq!(
            rubric.milestones.len(),
            load_rubric("milestones").unwrap().milestones.len()
        );
    }

    #[test]
    fn every_problem_is_located() {
        let errors = parse(
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

    #[test]
    fn every_unknown_key_is_reported_with_a_hint() {
        let text = "id = \"x\"\ntitel = \"X\"\n[[milestone]]\nid = \"M1\"\nbuckt = \"b\"\n[[milestone.check]]\nid = \"c\"\nfakt = \"redemption.at_par\"\n[[cap]]\nid = \"c\"\nwhen = [{ fact = \"x\", opp = \"is-true\" }]\n";
        let errors = parse(text).unwrap_err();
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
        let errors = parse(
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
    fn errors_point_at_the_field_that_defines_the_problem() {
        // `op` is given here; `fact` is inherited from the base rubric, so
        // the misfit is marked at this file's `op`.
        let errors = parse(
            "id = \"x\"\nextends = \"milestones\"\n[[milestone]]\nid = \"M18\"\n\
             [[milestone.check]]\nid = \"M18.settlement\"\nop = \"is-true\"\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].message.contains("does not fit"));
        assert_eq!(
            (errors[0].file.as_str(), errors[0].line, errors[0].column),
            ("r.toml", 7, 6)
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let errors = parse("id = \"x\"\ntitel = \"X\"\n").unwrap_err();
        assert!(errors[0].message.contains("titel"), "{errors:?}");
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn unknown_base_is_refused() {
        let errors = parse("id = \"x\"\nextends = \"nope\"\n").unwrap_err();
        assert!(errors[0].message.contains("unknown rubric `nope`"));
    }
}
