//! Events: changes between two successive disclosures that no single figure
//! shows (a custodian added or removed, custody moving country, the report
//! firm changing, reports pausing, a real-time claim by a firm declared not
//! registered).

use super::*;
use usd1eval_format::derived;

/// A change an event watch found between two successive disclosures.
pub(super) struct Found {
    /// The path of what changed.
    pub figure: &'static str,
    /// The change, as a sentence.
    pub message: String,
    /// The measure before the change, when a number measures it.
    pub before: Option<f64>,
    /// The measure after the change, when a number measures it.
    pub after: Option<f64>,
    /// The measure's limit, when there is one (a report's allowed age).
    pub threshold: Option<f64>,
}

/// Whether `e` happened between disclosures `a` and `b` (in date order).
pub(super) fn event(e: &EventWatch, a: &Point, b: &Point) -> Option<Found> {
    match e.kind {
        EventKind::Custodians => custodians_changed(a, b),
        EventKind::ReportFirm => report_firm_changed(a, b),
        EventKind::ReportPause => report_paused(a, b, e),
        EventKind::RealtimeUnregistered => {
            (realtime_unregistered(b) && !realtime_unregistered(a)).then(|| Found {
                figure: "transparency.reserve_report_frequency",
                message: format!(
                    "Real-time reserve reporting is declared on {}, but the firm of the newest independent report, {}, is {}: a real-time claim is worth the firm behind it.",
                    b.as_of,
                    crate::text::one_line(b.report_firm.as_deref().unwrap_or("unnamed")),
                    registration(b)
                ),
                before: None,
                after: None,
                threshold: None,
            })
        }
    }
}

/// Whether the newest independent report's firm is declared registered.
fn registered(p: &Point) -> Option<bool> {
    p.derived
        .get(derived!("latest_report_registered_firm").as_str())
        .and_then(Value::as_bool)
}

/// "declared not registered" or "not declared registered", as the point says.
fn registration(p: &Point) -> &'static str {
    match registered(p) {
        Some(false) => "declared not registered",
        _ => "not declared registered",
    }
}

/// A point that declares real-time reserve reporting while the newest
/// independent report's firm is declared not registered (unknown is not
/// weak: a firm whose registration is not declared is not flagged).
fn realtime_unregistered(p: &Point) -> bool {
    p.figure(derived!("reserve_report_interval_days")) == Some(0.0) && registered(p) == Some(false)
}

/// The newest independent report's firm changed to one declared not
/// registered, or to one whose registration is not declared where the
/// earlier firm's was (a registration no longer known).
fn report_firm_changed(a: &Point, b: &Point) -> Option<Found> {
    let (old, new) = (a.report_firm.as_deref()?, b.report_firm.as_deref()?);
    let lost = match registered(b) {
        Some(false) => true,
        None => registered(a) == Some(true),
        Some(true) => false,
    };
    if crate::facts::derived::same_party(old, new) || !lost {
        return None;
    }
    Some(Found {
        figure: "attestation[].firm",
        message: format!(
            "{} ({}) replaced {} as the firm of the newest independent report on {}.",
            crate::text::one_line(new),
            registration(b),
            crate::text::one_line(old),
            b.as_of
        ),
        before: None,
        after: None,
        threshold: None,
    })
}

fn report_paused(a: &Point, b: &Point, watch: &EventWatch) -> Option<Found> {
    let interval = a.figure(derived!("reserve_report_interval_days"))?;
    let allowed = watch.allowed_age_days(interval);
    let age_before = a.figure(derived!("latest_attestation_age_days"))?;
    let age_after = b.figure(derived!("latest_attestation_age_days"))?;
    // The declared cadence is that of reserve composition reports, which
    // need not be independent ones (weekly composition, monthly
    // attestations): it is taken to describe the independent reports only
    // when the earlier disclosure's newest one kept it. A pause already under
    // way there was raised where it began.
    if age_before > interval + 1e-9 || age_after <= allowed + 1e-9 {
        return None;
    }
    let days = |d: f64| crate::facts::format_number(round1_value(d));
    Some(Found {
        figure: "derived.latest_attestation_age_days",
        message: format!(
            "Reserve reports paused: the disclosure of {} declared {}; on {} the newest independent report is {} day(s) old, beyond the {} that cadence and its grace allow.",
            a.as_of,
            if interval > 0.0 {
                format!("a report every {} day(s)", days(interval))
            } else {
                "real-time reports".to_string()
            },
            b.as_of,
            days(age_after),
            days(allowed)
        ),
        before: Some(age_before),
        after: Some(age_after),
        threshold: Some(allowed),
    })
}

fn custodians_changed(a: &Point, b: &Point) -> Option<Found> {
    let same = crate::facts::derived::same_party;
    let named = |p: &Point| -> Vec<(String, Option<String>)> {
        p.custodians
            .iter()
            .filter_map(|c| Some((c.name.clone()?, c.country.clone())))
            .collect()
    };
    let (old, new) = (named(a), named(b));
    // Unknown is no change: both disclosures must name their custodians.
    if old.is_empty() || new.is_empty() {
        return None;
    }
    let find = |list: &[(String, Option<String>)], name: &str| {
        list.iter().find(|(n, _)| same(n, name)).cloned()
    };
    // Names come from files: written so that nothing in them can act on a
    // terminal.
    let line = crate::text::one_line;
    let with_country = |(name, country): &(String, Option<String>)| match country {
        Some(c) => format!("{} ({})", line(name), line(c)),
        None => line(name).into_owned(),
    };
    let mut changes: Vec<String> = Vec::new();
    let removed: Vec<String> = old
        .iter()
        .filter(|(n, _)| find(&new, n).is_none())
        .map(with_country)
        .collect();
    let added: Vec<String> = new
        .iter()
        .filter(|(n, _)| find(&old, n).is_none())
        .map(with_country)
        .collect();
    if !removed.is_empty() {
        changes.push(format!("{} no longer listed", join_and(&removed)));
    }
    if !added.is_empty() {
        changes.push(format!("{} added", join_and(&added)));
    }
    for (name, country) in &new {
        if let (Some(now), Some((_, Some(was)))) = (country, find(&old, name))
            && !now.eq_ignore_ascii_case(&was)
        {
            changes.push(format!(
                "{} moved from {} to {}",
                line(name),
                line(&was),
                line(now)
            ));
        }
    }
    let countries = |list: &[(String, Option<String>)]| -> Vec<String> {
        let mut c: Vec<String> = list
            .iter()
            .filter_map(|(_, c)| c.as_ref().map(|c| c.to_ascii_uppercase()))
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let (was, now) = (countries(&old), countries(&new));
    let moved = !was.is_empty() && !now.is_empty() && was != now;
    if changes.is_empty() && !moved {
        return None;
    }
    let mut detail = join_and(&changes);
    if moved {
        detail.push_str(&format!(
            "{}custody now in {} (was {})",
            if detail.is_empty() { "" } else { "; " },
            line(&now.join(", ")),
            line(&was.join(", "))
        ));
    }
    Some(Found {
        figure: "reserves.custodian[].name",
        message: format!("Reserve custodians changed on {}: {detail}.", b.as_of),
        before: None,
        after: None,
        threshold: None,
    })
}
