//! The merged, not yet validated rubric ([`Draft`]): each item with the file
//! and bytes of its last definition ([`Located`]), and the `extends` merge
//! that lays a rubric file over its base, item by id.

use std::ops::Range;

use super::file::{
    At, BucketFile, CapFile, CheckFile, ConfidenceFile, CoreFile, EvidenceFile, Field, GradeFile,
    HistoryFile, LayerFile, MilestoneFile, OverallFile, Overlay, PenaltyFile, RubricFile,
    StageFile,
};

/// Where an item came from: which file, at which bytes (its header, or the
/// value; a diagnostic marks the first line).
#[derive(Debug, Clone, Copy)]
pub(super) struct Loc {
    pub(super) file: usize,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Loc {
    /// The top of the rubric's own file, where a problem of the whole rubric
    /// (a missing `id`, no grades) is reported.
    pub(super) const TOP: Loc = Loc {
        file: 0,
        start: 0,
        end: 0,
    };
}

/// An item of a merged rubric with the position of its last definition.
#[derive(Debug, Clone)]
pub(super) struct Located<T> {
    pub(super) value: T,
    pub(super) loc: Loc,
    /// Where that definition gives each of its keys (keys it inherits from
    /// a base are not listed: they stand in another file).
    pub(super) keys: Vec<(&'static str, Range<usize>)>,
}

/// Where `key` of an item stands, else the item itself.
pub(super) fn field(loc: Loc, keys: &[(&'static str, Range<usize>)], key: &str) -> Loc {
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
pub(super) struct Draft {
    pub(super) id: Option<String>,
    pub(super) version: Option<String>,
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) grades: Vec<Located<GradeFile>>,
    pub(super) buckets: Vec<Located<BucketFile>>,
    pub(super) layers: Vec<Located<LayerFile>>,
    pub(super) milestones: Vec<(Located<MilestoneFile>, Vec<Located<CheckFile>>)>,
    pub(super) caps: Vec<Located<CapFile>>,
    pub(super) stages: Vec<Located<StageFile>>,
    pub(super) absent: Option<Located<String>>,
    pub(super) core: Vec<Located<CoreFile>>,
    pub(super) overall: Option<Located<OverallFile>>,
    pub(super) penalties: Vec<Located<PenaltyFile>>,
    pub(super) history: Option<Located<HistoryFile>>,
    pub(super) evidence: Option<Located<EvidenceFile>>,
    pub(super) confidence: Option<Located<ConfidenceFile>>,
    /// Ids given twice in one file (a second definition in the same file
    /// is a mistake, not an override), with what they name.
    pub(super) duplicates: Vec<(Loc, String)>,
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
    /// Lays `file` (the `index`th source: 0 the rubric's own, 1 its base)
    /// over what is merged so far.
    pub(super) fn overlay(&mut self, file: RubricFile, index: usize) {
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

#[cfg(test)]
mod tests {
    use crate::rubric::{Op, Tier, Tiers, load_rubric, parse_text};

    #[test]
    fn extends_overrides_by_id() {
        let rubric = parse_text(
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
    fn errors_point_at_the_field_that_defines_the_problem() {
        // `op` is given here; `fact` is inherited from the base rubric, so
        // the misfit is marked at this file's `op`.
        let errors = parse_text(
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
}
