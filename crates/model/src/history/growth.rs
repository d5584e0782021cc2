//! Growth that outruns strength: supply that grew while a strength alert
//! was raised over the same span, or while the evidenced stage stayed below
//! the visible one.

use super::*;

/// Growth that outruns strength: the growth figure rose by at least the
/// rule's share over the span of a strength alert, or since the last
/// disclosure whose evidenced stage kept up with its visible one.
pub(super) fn growth_alert(
    rule: &GrowthRule,
    watches: &[Watch],
    raised: &[Alert],
    points: &[Point],
    dates: &[NaiveDate],
) -> Option<Alert> {
    let last = points.len().checked_sub(1)?;
    let growth = points
        .iter()
        .map(|p| p.number(&rule.path))
        .collect::<Vec<_>>();
    let grew = |from: usize| -> bool {
        match (
            growth.get(from).copied().flatten(),
            growth.get(last).copied().flatten(),
        ) {
            (Some(a), Some(b)) if a > 0.0 => (b / a - 1.0) * 100.0 >= rule.min_growth_pct - 1e-9,
            _ => false,
        }
    };
    // (start of the span, what fell behind)
    let mut reasons: Vec<(usize, String)> = Vec::new();
    // One reason per alert id: its first figure says it.
    let mut named: Vec<&str> = Vec::new();
    for alert in raised.iter().filter(|a| rule.strength.contains(&a.id)) {
        if named.contains(&alert.id.as_str()) {
            continue;
        }
        named.push(&alert.id);
        let from = dates
            .iter()
            .position(|d| d.to_string() == alert.from)
            .unwrap_or(0);
        let worse = watches
            .iter()
            .find(|w| w.id == alert.id && w.path == alert.figure)
            .map(|w| w.worse);
        if grew(from) {
            let verb = match (alert.after, worse) {
                (None, _) => "was no longer disclosed",
                (_, Some(Worse::Lower)) => "fell",
                _ => "rose",
            };
            reasons.push((from, format!("{} {verb}", lower_first(&alert.label))));
        }
    }
    if let Some(latest) = points.get(last).filter(|p| p.stage.outruns == Some(true)) {
        let from = points
            .iter()
            .rposition(|p| p.stage.outruns != Some(true))
            .unwrap_or(0);
        if grew(from) {
            reasons.push((
                from,
                format!(
                    "the evidenced stage ({}) stayed below the visible one ({})",
                    latest.stage.evidenced.as_deref().unwrap_or("none"),
                    latest.stage.visible.as_deref().unwrap_or("none")
                ),
            ));
        }
    }
    let from = reasons.iter().map(|(i, _)| *i).min()?;
    let before = growth.get(from).copied().flatten();
    let after = growth.get(last).copied().flatten();
    let pct = before
        .zip(after)
        .map(|(a, b)| (b / a - 1.0) * 100.0)
        .unwrap_or_default();
    let (from_date, to_date) = (date(dates, from), date(dates, last));
    let why: Vec<String> = reasons.into_iter().map(|(_, r)| r).collect();
    Some(Alert {
        id: rule.id.clone(),
        kind: AlertKind::Growth,
        figure: rule.path.clone(),
        label: rule.label.clone(),
        message: format!(
            "{} grew {pct:.0}% from {} on {from_date} to {} on {to_date} while {}.",
            rule.label,
            before.map_or_else(|| "–".into(), |v| show(rule.figure, v)),
            after.map_or_else(|| "–".into(), |v| show(rule.figure, v)),
            join_and(&why)
        ),
        from: from_date,
        to: to_date,
        before,
        after,
        threshold: Some(rule.min_growth_pct),
        threshold_pct: None,
        level: None,
        waived: None,
    })
}
