//! `[[milestone]]`: a group of checks in one bucket and on one or two
//! layers; each check id is given once in the whole rubric.

use std::collections::BTreeSet;

use super::Compiler;

use crate::rubric::draft::{Loc, Located, field};
use crate::rubric::file::{CheckFile, MilestoneFile};
use crate::rubric::{Bucket, Layer, Milestone};
use crate::source::Code;

impl Compiler<'_> {
    /// The milestones in rubric order, each with its compiled checks; a
    /// bucket or layer they name must be among `buckets` and `layers`.
    pub(super) fn milestones(
        &mut self,
        drafts: Vec<(Located<MilestoneFile>, Vec<Located<CheckFile>>)>,
        buckets: &[Bucket],
        layers: &[Layer],
    ) -> Vec<Milestone> {
        let mut milestones: Vec<Milestone> = Vec::new();
        let mut check_ids = BTreeSet::new();
        for (m, checks) in drafts {
            let (loc, keys) = (m.loc, m.keys);
            let m = m.value;
            let owner = format!("milestone `{}`", m.id);
            let bucket = self.require(m.bucket, "bucket", &owner, loc);
            if !bucket.is_empty() && !buckets.iter().any(|b| b.id == bucket) {
                let hint =
                    crate::text::did_you_mean(&bucket, buckets.iter().map(|b| b.id.as_str()))
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
                    let hint =
                        crate::text::did_you_mean(layer, layers.iter().map(|l| l.id.as_str()))
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

        self.finite_sum(milestones.iter().map(|m| m.weight), "milestone", Loc::TOP);
        milestones
    }
}
