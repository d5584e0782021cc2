//! Text views of the rubric itself: `explain ID`, `rubric list`, `rubric show`.

use comfy_table::Cell;

use super::table::{new_table, whole_words};
use crate::eval::expected;
use crate::facts::schema::Target;
use crate::rubric::profile::{NOTICE, Profile, Requirement};
use crate::rubric::{Check, Milestone, Rubric};

/// A milestone: why it matters, how it is scored, what raises it.
pub fn explain_milestone(rubric: &Rubric, m: &Milestone, width: usize) -> String {
    let bucket = rubric
        .bucket(&m.bucket)
        .map_or(m.bucket.as_str(), |b| b.title.as_str());
    let mut out = format!("{} — {}\n", m.id, m.title);
    out.push_str(&format!(
        "bucket: {bucket} ({}) · layers: {} · weight {}\n\n",
        m.bucket,
        m.layers.join(", "),
        crate::facts::format_number(m.weight)
    ));
    out.push_str(&format!("Why it matters\n  {}\n\n", m.why));
    out.push_str("How it is scored (points earned ÷ points possible over applicable checks)\n");
    let mut table = new_table(
        &["Check", "What is checked", "Fact", "Expected", "Points"],
        width,
    );
    for c in &m.checks {
        table.add_row(vec![
            Cell::new(&c.id),
            Cell::new(&c.title),
            Cell::new(&c.fact),
            Cell::new(expected(&c.op)),
            Cell::new(crate::facts::format_number(c.points)),
        ]);
    }
    whole_words(&mut table);
    out.push_str(&format!("{table}\n\n"));
    out.push_str(&format!("What raises it\n  {}\n", m.remediation));
    out
}

/// One check, with its milestone.
pub fn explain_check(m: &Milestone, c: &Check) -> String {
    let mut out = format!("{} — {}\n", c.id, c.title);
    out.push_str(&format!("milestone: {} {}\n", m.id, m.title));
    out.push_str(&format!(
        "fact: {} ({})\n",
        c.fact,
        c.target.kind().describe()
    ));
    if let Target::Derived(spec) = c.target {
        out.push_str(&format!("  computed as: {}\n", spec.formula));
    }
    out.push_str(&format!("operator: {}\n", c.op.name()));
    out.push_str(&format!("expected: {}\n", expected(&c.op)));
    out.push_str(&format!(
        "points: {}\n\n",
        crate::facts::format_number(c.points)
    ));
    out.push_str(&format!("Why it matters\n  {}\n\n", m.why));
    out.push_str(&format!("What raises it\n  {}\n", m.remediation));
    out
}

/// A bucket and its milestones.
pub fn explain_bucket(rubric: &Rubric, id: &str) -> Option<String> {
    let b = rubric.bucket(id)?;
    let mut out = format!(
        "{} — {} (bucket, weight {})\n  {}\n\n",
        b.id,
        b.title,
        crate::facts::format_number(b.weight),
        b.description
    );
    for m in rubric.milestones.iter().filter(|m| m.bucket == b.id) {
        out.push_str(&format!("  {} {}\n", m.id, m.title));
    }
    Some(out)
}

/// A scale layer and the milestones tagged with it.
pub fn explain_layer(rubric: &Rubric, id: &str) -> Option<String> {
    let l = rubric.layers.iter().find(|l| l.id == id)?;
    let mut out = format!(
        "{} — {} (scale layer)\n  {}\n\n",
        l.id, l.title, l.description
    );
    for m in rubric
        .milestones
        .iter()
        .filter(|m| m.layers.contains(&l.id))
    {
        out.push_str(&format!("  {} {}\n", m.id, m.title));
    }
    Some(out)
}

/// A cap: what triggers it and the grade it allows.
pub fn explain_cap(rubric: &Rubric, id: &str) -> Option<String> {
    let cap = rubric.caps.iter().find(|c| c.id == id)?;
    let mut out = format!(
        "{} — {} (cap: grade at most {})\n  {}\n\n",
        cap.id, cap.title, cap.max_grade, cap.reason
    );
    if !cap.when_all.is_empty() {
        out.push_str("Applies when all of these hold:\n");
        for p in &cap.when_all {
            out.push_str(&format!("  - {}\n", p.describe()));
        }
    }
    if !cap.when_any.is_empty() {
        out.push_str("Applies when any of these holds:\n");
        for p in &cap.when_any {
            out.push_str(&format!("  - {}\n", p.describe()));
        }
    }
    Some(out)
}

/// A `history` alert: the figures it watches and how far each may move,
/// and the changes between disclosures it watches.
pub fn explain_alert(rubric: &Rubric, id: &str) -> Option<String> {
    let h = &rubric.history;
    let watches: Vec<_> = h.alerts.iter().filter(|w| w.id == id).collect();
    let events: Vec<_> = h.events.iter().filter(|e| e.id == id).collect();
    let growth = h.growth.as_ref().filter(|g| g.id == id);
    if watches.is_empty() && events.is_empty() && growth.is_none() {
        return None;
    }
    let compares = match (watches.is_empty() && growth.is_none(), events.is_empty()) {
        (false, true) => "Compares the latest disclosure with the best earlier one",
        (true, false) => "Compares each disclosure with the one before it",
        _ => {
            "Compares the latest disclosure with the best earlier one, and each disclosure with the one before it for an event"
        }
    };
    let mut out = format!("{id} (history alert)\n  {compares} (`usd1eval history`).\n\n");
    for w in watches {
        out.push_str(&format!(
            "  - {} (`{}`) {}\n",
            w.label,
            w.path,
            w.describe()
        ));
    }
    for e in events {
        let grace = if e.kind == crate::rubric::history::EventKind::ReportPause {
            format!(
                " (grace: {}% of the interval and {} day(s))",
                crate::facts::format_number(e.grace_pct),
                crate::facts::format_number(e.grace_days)
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  - between two successive disclosures, event `{}`: {}{grace}\n",
            e.kind.name(),
            e.kind.meaning()
        ));
    }
    if let Some(g) = growth {
        out.push_str(&format!(
            "  - {} (`{}`) grows by {}% or more over the span of one of: {}; or since the last disclosure whose evidenced stage kept up with its visible one, while the latest does not\n",
            g.label,
            g.path,
            crate::facts::format_number(g.min_growth_pct),
            g.strength.join(", ")
        ));
    }
    Some(out)
}

/// A profile's requirements, with the clause each cites.
pub fn profile_summary(profile: &Profile, width: usize) -> String {
    let mut out = format!(
        "{} — {}\nsource: {}\n{}\n{}\n\n",
        profile.id,
        profile.title,
        profile.source,
        applies_from_line(profile),
        NOTICE
    );
    // Whom the instrument covers: each line holds when any of its conditions does.
    for s in &profile.scope {
        let any: Vec<String> = s.any.iter().map(|p| p.describe()).collect();
        out.push_str(&format!(
            "covers: {} — when {}\n",
            s.covers,
            any.join(", or ")
        ));
    }
    if !profile.scope.is_empty() {
        out.push('\n');
    }
    let mut table = new_table(&["Requirement", "Clause", "What is required"], width);
    for r in &profile.requirements {
        let title = match r.applies_from {
            Some(date) => format!("{} (applies from {date})", r.title),
            None => r.title.clone(),
        };
        table.add_row(vec![
            Cell::new(&r.id),
            Cell::new(&r.clause),
            Cell::new(title),
        ]);
    }
    whole_words(&mut table);
    out.push_str(&format!("{table}\n"));
    out
}

/// When the profile's instrument applies, in words.
fn applies_from_line(profile: &Profile) -> String {
    match (profile.applies_from, &profile.applies_from_note) {
        (None, _) => "applies from: no date declared (always treated as in force)".into(),
        (Some(date), None) => format!("applies from: {date}"),
        (Some(date), Some(note)) => format!("applies from: {date} ({note})"),
    }
}

/// One profile requirement: clause, reading and the conditions checked.
pub fn explain_requirement(profile: &Profile, r: &Requirement) -> String {
    let mut out = format!(
        "{} — {}\nprofile: {} · clause: {}\n{}\n\n  {}\n\n",
        r.id,
        r.title,
        profile.id,
        r.clause,
        applies_from_line(profile),
        r.note
    );
    if let Some(missing) = &r.missing_fact {
        out.push_str(&format!(
            "Not assessable from format-1 facts (never a pass): needs {missing}\n"
        ));
        if !r.require.is_empty() {
            out.push_str("Fails when any of these does not hold:\n");
        }
    } else {
        out.push_str("Passes when all of these hold:\n");
    }
    for p in &r.require {
        out.push_str(&format!("  - {}\n", p.describe()));
    }
    if !r.applies_if.is_empty() {
        out.push_str("Applies only when:\n");
        for p in &r.applies_if {
            out.push_str(&format!("  - {}\n", p.describe()));
        }
    }
    if !r.applies_if_any.is_empty() {
        out.push_str("Applies only when at least one of these holds:\n");
        for p in &r.applies_if_any {
            out.push_str(&format!("  - {}\n", p.describe()));
        }
    }
    if let Some(date) = r.applies_from {
        out.push_str(&format!(
            "This requirement applies from {date}: before it, not-in-force (readiness only)\n"
        ));
    }
    out.push_str(&format!("\n{NOTICE}\n"));
    out
}

/// The built-in rubrics and profiles.
pub fn rubric_list(rubrics: &[Rubric], profiles: &[Profile], width: usize) -> String {
    let mut table = new_table(&["Name", "Title", "Buckets", "Milestones", "Checks"], width);
    for r in rubrics {
        table.add_row(vec![
            Cell::new(&r.id),
            Cell::new(&r.title),
            Cell::new(r.buckets.len()),
            Cell::new(r.milestones.len()),
            Cell::new(r.milestones.iter().map(|m| m.checks.len()).sum::<usize>()),
        ]);
    }
    let mut list = new_table(&["Profile", "Title", "Requirements"], width);
    for p in profiles {
        list.add_row(vec![
            Cell::new(&p.id),
            Cell::new(&p.title),
            Cell::new(p.requirements.len()),
        ]);
    }
    whole_words(&mut table);
    whole_words(&mut list);
    format!("Rubrics:\n{table}\n\nRegulatory profiles (use with --profile; {NOTICE}):\n{list}\n")
}

/// A rubric's buckets, milestones and weights.
pub fn rubric_summary(rubric: &Rubric, width: usize) -> String {
    let mut out = format!(
        "{} v{} — {}\n{}\nsha256 {}\n\n",
        rubric.id, rubric.version, rubric.title, rubric.description, rubric.sha256
    );
    let grades: Vec<String> = rubric
        .grades
        .iter()
        .map(|g| {
            format!(
                "{} ≥ {}",
                g.letter,
                crate::facts::format_number(g.min_score)
            )
        })
        .collect();
    out.push_str(&format!("Grades: {}\n\n", grades.join(", ")));
    let mut table = new_table(
        &[
            "Bucket",
            "Weight",
            "Milestone",
            "Title",
            "Layers",
            "Weight",
            "Checks",
        ],
        width,
    );
    for b in &rubric.buckets {
        for m in rubric.milestones.iter().filter(|m| m.bucket == b.id) {
            table.add_row(vec![
                Cell::new(&b.id),
                Cell::new(crate::facts::format_number(b.weight)),
                Cell::new(&m.id),
                Cell::new(&m.title),
                Cell::new(m.layers.join(", ")),
                Cell::new(crate::facts::format_number(m.weight)),
                Cell::new(m.checks.len()),
            ]);
        }
    }
    whole_words(&mut table);
    out.push_str(&format!("{table}\n"));
    out.push_str(&judgment_summary(rubric, width));
    out
}

/// How the rubric judges: absent facts, the overall rule, penalties, core
/// facts and caps, one line each.
fn judgment_summary(rubric: &Rubric, width: usize) -> String {
    let n = crate::facts::format_number;
    let mut lines = vec![format!("Absent facts: {}", rubric.absent.name())];
    let rule = &rubric.overall;
    if rule.anchor.is_empty() {
        lines.push("Overall: weighted mean of every bucket".into());
    } else {
        let anchor: Vec<&str> = rule
            .anchor
            .iter()
            .filter_map(|i| rubric.buckets.get(*i).map(|b| b.id.as_str()))
            .collect();
        lines.push(format!(
            "Overall: anchored on {}; the other buckets pull it by {} of the gap, at most +{} / −{} points",
            anchor.join(", "),
            n(rule.pull),
            n(rule.max_up),
            n(rule.max_down)
        ));
    }
    let c = &rubric.confidence;
    lines.push(format!(
        "Confidence: no grade below {}% known; high with the anchor {}% known and {}% of the score on independent evidence, medium with {}% and {}%, else low",
        n(c.min_known_pct),
        n(c.high.known_pct),
        n(c.high.independent_pct),
        n(c.medium.known_pct),
        n(c.medium.independent_pct)
    ));
    for p in &rubric.penalties {
        lines.push(format!(
            "Penalty {}: {} (at most {} points)",
            p.id,
            p.title,
            n(p.max)
        ));
    }
    if !rubric.core.is_empty() {
        let core: Vec<&str> = rubric.core.iter().map(|c| c.title.as_str()).collect();
        lines.push(format!(
            "Core facts (no grade without them): {}",
            core.join("; ")
        ));
    }
    for c in &rubric.caps {
        lines.push(format!(
            "Cap {} (at most {}): {}",
            c.id, c.max_grade, c.title
        ));
    }
    let mut out = String::from("\n");
    for line in lines {
        out.push_str(&super::layout::wrap(&line, width, "", "    "));
    }
    out
}

/// A field of format 1: what it means, what it may hold (each enum value
/// with its definition), and which checks of the rubric read it. `path` is a
/// fact path (`redemption.eligible`, `reserves.asset[].class`); an entry's
/// field may also be written without `[]` (`reserves.asset.class`).
pub fn explain_field(rubric: &Rubric, profiles: &[Profile], path: &str) -> Option<String> {
    use crate::figures::resolve;
    let target = resolve(path).or_else(|| {
        let (table, field) = path.rsplit_once('.')?;
        resolve(&format!("{table}[].{field}"))
    });
    let Some(target) = target else {
        return explain_table(rubric, profiles, path);
    };
    let (table, field, fact) = match target {
        Target::Field(t, f) => (t, f, format!("{}.{}", t.path, f.name)),
        Target::EachField(t, f) => (t, f, format!("{}[].{}", t.path, f.name)),
        Target::Entries(t) => return explain_table(rubric, profiles, t.path),
        Target::Derived(spec) => return Some(explain_figure(rubric, profiles, spec)),
    };
    let heading = if table.repeated {
        format!("[[{}]]", table.path)
    } else {
        format!("[{}]", table.path)
    };
    let required = if field.required { ", required" } else { "" };
    let mut out = format!("{fact} — {} (field of {heading}{required})\n", field.doc);
    out.push_str(&format!("holds: {}\n", field.kind.describe()));
    out.push_str(&format!("example: {} = {}\n", field.name, field.example));
    let choices = field.kind.choices();
    if !choices.is_empty() {
        let width = choices.iter().map(|c| c.name.len()).max().unwrap_or(0);
        out.push_str("\nValues\n");
        for c in choices {
            out.push_str(&format!("  {:<width$}  {}\n", c.name, c.doc));
        }
    }
    out.push_str(&read_by(rubric, profiles, &fact));
    out.push_str("\nEvery table and field: docs/fields.md\n");
    Some(out)
}

/// Every reader of a fact path in the rubric, the built-in stress test and
/// the profiles given, one line each: checks, caps, penalties, core facts,
/// stages, history alerts, derived figures computed from it (with their own
/// readers), stress scenarios and profile requirements.
pub(crate) fn readers(rubric: &Rubric, profiles: &[Profile], path: &str) -> Vec<String> {
    let mut out = direct_readers(rubric, profiles, path);
    // A derived figure's inputs are read through it: name the figure and
    // who reads the figure.
    for spec in crate::facts::derived::DERIVED
        .iter()
        .filter(|d| d.inputs.contains(&path))
    {
        let figure = spec.path();
        let through = direct_readers(rubric, profiles, &figure);
        let by = if through.is_empty() {
            String::from("shown in the report's derived figures")
        } else {
            format!("read by {}", through.join("; "))
        };
        out.push(format!("derived figure {figure} ({by})"));
    }
    if usd1eval_model::stress::figures().any(|f| f.inputs.contains(&path)) {
        out.push(
            "stress input: every built-in stress scenario and the reverse stress test (`usd1eval stress`)"
                .to_string(),
        );
    }
    out
}

/// The readers of a path that name it themselves.
fn direct_readers(rubric: &Rubric, profiles: &[Profile], path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in rubric.milestones.iter().flat_map(|m| &m.checks) {
        let condition = c.not_applicable_when.iter().any(|p| p.reads(path));
        if c.fact == path || condition {
            out.push(format!("check {} ({})", c.id, c.title));
        }
    }
    for cap in &rubric.caps {
        if cap
            .when_all
            .iter()
            .chain(&cap.when_any)
            .any(|p| p.reads(path))
        {
            out.push(format!("cap {} ({})", cap.id, cap.title));
        }
    }
    for p in rubric.penalties.iter().filter(|p| p.fact == path) {
        out.push(format!("penalty {} ({})", p.id, p.title));
    }
    for c in &rubric.core {
        if c.fact == path || c.or.iter().any(|p| p.reads(path)) {
            out.push(format!("core fact: {}", c.title));
        }
    }
    for s in &rubric.stages {
        if s.visible_when.iter().any(|p| p.reads(path)) {
            out.push(format!("stage {} (when it is visible)", s.id));
        }
    }
    for a in rubric.history.alerts.iter().filter(|a| a.path == path) {
        out.push(format!("history alert {} ({})", a.id, a.label));
    }
    if let Some(g) = rubric.history.growth.as_ref().filter(|g| g.path == path) {
        out.push(format!("history alert {} ({})", g.id, g.label));
    }
    for p in profiles {
        for r in &p.requirements {
            if r.require.iter().chain(&r.applies_if).any(|q| q.reads(path)) {
                out.push(format!(
                    "profile {} requirement {} ({})",
                    p.id, r.id, r.title
                ));
            }
        }
    }
    out
}

/// The "Read by" section of an explanation.
fn read_by(rubric: &Rubric, profiles: &[Profile], path: &str) -> String {
    let lines = readers(rubric, profiles, path);
    let mut out = format!(
        "\nRead by (rubric `{}`, the stress test and the built-in profiles)\n",
        rubric.id
    );
    if lines.is_empty() {
        out.push_str("  nothing: it is shown and counted in coverage only\n");
    }
    for line in lines {
        out.push_str(&format!("  - {line}\n"));
    }
    out
}

/// A derived or stress figure: its formula, inputs and readers.
fn explain_figure(
    rubric: &Rubric,
    profiles: &[Profile],
    spec: &crate::facts::derived::DerivedSpec,
) -> String {
    let path = spec.path();
    let mut out = format!(
        "{path} — computed figure ({})\n  {}\n\nComputed from: {}\n",
        spec.kind.describe(),
        spec.formula,
        spec.inputs.join(", ")
    );
    out.push_str(&read_by(rubric, profiles, &path));
    out.push_str("\nEvery derived figure: docs/derived.md\n");
    out
}

/// A table of format 1 (`reserves.asset`, `attestation[]`, `transparency`):
/// what it holds, its fields and its readers.
fn explain_table(rubric: &Rubric, profiles: &[Profile], path: &str) -> Option<String> {
    let bare = path
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches("[]");
    let table = crate::facts::schema::table(bare).filter(|t| !t.path.is_empty())?;
    let heading = if table.repeated {
        format!("[[{}]]", table.path)
    } else {
        format!("[{}]", table.path)
    };
    let mut out = format!("{heading} — {} (table of format 1)\n\nFields\n", table.doc);
    let width = table.fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
    for f in table.fields {
        out.push_str(&format!("  {:<width$}  {}\n", f.name, f.doc));
    }
    let entries = format!("{}[]", table.path);
    if table.repeated {
        out.push_str(&format!("\nAs a whole ({entries}):"));
        out.push_str(&read_by(rubric, profiles, &entries));
    }
    out.push_str("\nEvery table and field: docs/fields.md\n");
    Some(out)
}

/// A penalty: the figure it reads and the points it takes.
pub fn explain_penalty(rubric: &Rubric, id: &str) -> Option<String> {
    let p = rubric.penalties.iter().find(|p| p.id == id)?;
    let n = crate::facts::format_number;
    Some(format!(
        "{} — {} (penalty)\n  Takes {} points off the overall score per unit {} lies {} {}, at most {} points.\n",
        p.id,
        p.title,
        n(p.per_unit),
        p.fact,
        if p.below { "below" } else { "above" },
        n(p.threshold),
        n(p.max)
    ))
}

/// `stage`, or one lifecycle stage by id: how the evidenced, visible and
/// claimed stages are found and what the verdict says.
pub fn explain_stage(rubric: &Rubric, id: &str, width: usize) -> Option<String> {
    let n = crate::facts::format_number;
    let describe = |s: &crate::rubric::StageRule| {
        let mut out = format!(
            "{} — {} (lifecycle stage)\n  Evidenced when every bucket scores at least {} on declared facts",
            s.id,
            s.title,
            n(s.min_bucket_score)
        );
        for (bucket, min) in &s.bucket_min {
            out.push_str(&format!(" ({bucket} at least {})", n(*min)));
        }
        out.push_str(".\n");
        if s.visible_when.is_empty() {
            out.push_str("  No growth figure makes it visible.\n");
        } else {
            out.push_str("  Visible when any of these holds:\n");
            for p in &s.visible_when {
                out.push_str(&format!("    - {}\n", p.describe()));
            }
        }
        out
    };
    if id == "stage" {
        let mut out = String::from("stage — the lifecycle verdict of the report\n");
        out.push_str(&super::layout::wrap(
            "The evidenced stage is the highest whose minimum every bucket reaches on declared facts (an undisclosed fact is no evidence). The visible stage is the highest a growth figure shows, and the claimed stage is arrangement.stage_claimed. When the visible or claimed stage is above the evidenced one, held_down_by names the buckets below its minimum and thin_evidence those that only non-disclosure holds down. stage.outruns is true when a bucket known well enough holds the stage down (growth outruns strength), null when only non-disclosure does (the stage cannot be judged from what is disclosed), and false otherwise.",
            width,
            "  ",
            "  ",
        ));
        out.push('\n');
        for s in &rubric.stages {
            out.push_str(&describe(s));
        }
        return Some(out);
    }
    rubric.stages.iter().find(|s| s.id == id).map(describe)
}
