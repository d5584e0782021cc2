//! `[[cap]]`: weakest-link caps, each holding the grade at most at a letter
//! while its conditions hold.

use super::Compiler;
use crate::rubric::draft::Located;
use crate::rubric::file::CapFile;
use crate::rubric::{Cap, Grade};
use crate::source::Code;

impl Compiler<'_> {
    /// One `[[cap]]`: a grade among `grades`, and at least one condition.
    pub(super) fn cap(&mut self, located: Located<CapFile>, grades: &[Grade]) -> Option<Cap> {
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
}
