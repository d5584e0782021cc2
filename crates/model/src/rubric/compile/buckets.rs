//! `[[bucket]]` and `[[layer]]`: the areas of strength the overall score
//! weighs, and the kinds of assurance that cut across them; every milestone
//! sits in one bucket and on one or two layers. An id given twice in one
//! file was refused when the files were merged (`draft.rs`).

use super::Compiler;
use crate::rubric::draft::{Loc, Located};
use crate::rubric::file::{BucketFile, LayerFile};
use crate::rubric::{Bucket, Layer};

impl Compiler<'_> {
    /// The buckets in rubric order, each with a title and a positive weight.
    pub(super) fn buckets(&mut self, drafts: Vec<Located<BucketFile>>) -> Vec<Bucket> {
        let mut buckets = Vec::new();
        for b in drafts {
            let owner = format!("bucket `{}`", b.value.id);
            buckets.push(Bucket {
                title: self.require(b.value.title, "title", &owner, b.loc),
                description: b.value.description.unwrap_or_default(),
                weight: self.weight(b.value.weight, &owner, b.loc),
                id: b.value.id,
            });
        }
        self.finite_sum(buckets.iter().map(|b| b.weight), "bucket", Loc::TOP);
        buckets
    }

    /// The layers in rubric order, each with a title.
    pub(super) fn layers(&mut self, drafts: Vec<Located<LayerFile>>) -> Vec<Layer> {
        let mut layers = Vec::new();
        for l in drafts {
            let owner = format!("layer `{}`", l.value.id);
            layers.push(Layer {
                title: self.require(l.value.title, "title", &owner, l.loc),
                description: l.value.description.unwrap_or_default(),
                id: l.value.id,
            });
        }
        layers
    }
}
