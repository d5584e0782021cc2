//! Figures computed from the facts before any check runs; rubrics read them as
//! `derived.NAME`. Each is absent when a fact it needs is absent, never zero
//! or infinite in its place. The formulas are documented in docs/derived.md.

use crate::{derived, fact, table};
use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::ladder::rung_of;
use super::schema::{Kind, Unit};
use super::{Entry, Facts, Value};

pub use super::schema::DerivedSpec;

const fn spec_of(
    name: &'static str,
    kind: Kind,
    formula: &'static str,
    inputs: &'static [&'static str],
) -> DerivedSpec {
    DerivedSpec {
        name,
        kind,
        formula,
        inputs,
    }
}

const COVERAGE: &[&str] = &["reserves.total_usd", "supply.outstanding_usd"];
const ASSETS: &[&str] = &[
    "reserves.asset[].class",
    "reserves.asset[].share_pct",
    "reserves.asset[].max_maturity_days",
    "reserves.asset[].issuer",
];
const WAVE: &[&str] = &[
    "reserves.total_usd",
    "supply.outstanding_usd",
    "reserves.asset[].class",
    "reserves.asset[].share_pct",
    "reserves.asset[].max_maturity_days",
];
const CUSTODY: &[&str] = &["reserves.custodian[].share_pct"];
const BANKS: &[&str] = &[
    "reserves.custodian[].share_pct",
    "reserves.custodian[].kind",
];
const CHAINS: &[&str] = &[
    "chain[].supply_usd",
    "chain[].issuance",
    "supply.outstanding_usd",
];
const REPORTS: &[&str] = &[
    "attestation[].kind",
    "attestation[].published",
    "attestation[].firm",
    "attestation[].independent",
    "arrangement.issuer",
    "reserves.custodian[].name",
];
const REPORT_FIRMS: &[&str] = &[
    "attestation[].kind",
    "attestation[].published",
    "attestation[].firm",
    "attestation[].independent",
    "arrangement.issuer",
    "reserves.custodian[].name",
    "attestation[].registered_firm",
];
const REDEEMERS: &[&str] = &[
    "redemption.eligible",
    "redemption.availability",
    "redemption.channel[].kind",
    "redemption.channel[].at_par",
    "redemption.channel[].permissionless",
    "redemption.channel[].daily_limit_usd",
];
const ONCHAIN: &[&str] = &[
    "reserves.custodian[].kind",
    "reserves.custodian[].share_pct",
    "reserves.legal_structure",
];
const UNREPORTED: &[&str] = &[
    "attestation[]",
    "transparency.attestations_none_published",
    "transparency.reserve_report_frequency",
    "reserves.custodian[].kind",
    "reserves.custodian[].share_pct",
    "reserves.legal_structure",
];
const PAR_CHANNELS: &[&str] = &[
    "redemption.channel[].kind",
    "redemption.channel[].at_par",
    "redemption.channel[].permissionless",
    "redemption.channel[].daily_limit_usd",
];
const SUPERVISION: &[&str] = &["supervisory_event[].date", "supervisory_event[].kind"];
const FINDINGS: &[&str] = &[
    "supervisory_event[].date",
    "supervisory_event[].kind",
    "supervisory_event[].concerns",
];
const CADENCE: &[&str] = &["transparency.reserve_report_frequency"];
const REVIEWS: &[&str] = &["security.review[].date", "security.last_contract_change"];

/// Every derived figure.
pub static DERIVED: &[DerivedSpec] = &[
    spec_of(
        "reserve_coverage_ratio",
        Kind::Number(Unit::Ratio),
        "reserves.total_usd ÷ supply.outstanding_usd",
        COVERAGE,
    ),
    spec_of(
        "overcollateral_pct",
        Kind::Number(Unit::Pct),
        "(reserve_coverage_ratio − 1) × 100; negative when under-reserved",
        COVERAGE,
    ),
    spec_of(
        "volatile_share_pct",
        Kind::Number(Unit::Pct),
        "Σ share_pct of volatile assets: commercial-paper, corporate-bond, secured-loan, precious-metal, crypto, liquidity-pool-token, liquid-staking-token, derivative-hedge, insurance-fund, other, and stablecoin whose issuer is not named",
        ASSETS,
    ),
    spec_of(
        "bank_deposit_share_pct",
        Kind::Number(Unit::Pct),
        "Σ share_pct of assets in bank-deposit",
        ASSETS,
    ),
    spec_of(
        "liquid_t0_pct",
        Kind::Number(Unit::Pct),
        "Σ share_pct × (1 − haircut) over assets the ladder turns into dollars the same day",
        ASSETS,
    ),
    spec_of(
        "liquid_t1_pct",
        Kind::Number(Unit::Pct),
        "as liquid_t0_pct, for assets available by the next business day",
        ASSETS,
    ),
    spec_of(
        "liquid_t2_pct",
        Kind::Number(Unit::Pct),
        "as liquid_t0_pct, for assets available within two business days",
        ASSETS,
    ),
    spec_of(
        "stressed_coverage_ratio",
        Kind::Number(Unit::Ratio),
        "reserve_coverage_ratio × (1 − Σ share_pct × crisis haircut ÷ 100): reserves after the loss model's crisis haircuts (rubrics/loss.toml) over units outstanding",
        WAVE,
    ),
    spec_of(
        "volatile_beyond_buffer_pct",
        Kind::Number(Unit::Pct),
        "max(0, Σ share_pct × crisis haircut × reserve_coverage_ratio − max(0, overcollateral_pct)): what the loss model's crisis haircuts take from the reserves beyond the over-collateral buffer, as % of units outstanding (0 when the buffer covers them)",
        WAVE,
    ),
    spec_of(
        "redemption_wave_cover",
        Kind::Number(Unit::Ratio),
        "reserves.total_usd × (liquid_t2_pct less its volatile assets) ÷ 100 ÷ (0.30 × supply.outstanding_usd): volatile assets fall in the same run, so they do not count",
        WAVE,
    ),
    spec_of(
        "max_custodian_share_pct",
        Kind::Number(Unit::Pct),
        "largest share_pct among [[reserves.custodian]]",
        CUSTODY,
    ),
    spec_of(
        "custodian_hhi",
        Kind::Number(Unit::Count),
        "Σ share_pct² over [[reserves.custodian]] (0–10 000; above 2 500 is concentrated)",
        CUSTODY,
    ),
    spec_of(
        "max_bank_share_pct",
        Kind::Number(Unit::Pct),
        "largest share_pct among [[reserves.custodian]] of kind bank; 0 when the kinds are declared and none is a bank",
        BANKS,
    ),
    spec_of(
        "chain_supply_gap_pct",
        Kind::Number(Unit::Pct),
        "|Σ chain.supply_usd − supply.outstanding_usd| ÷ supply.outstanding_usd × 100",
        CHAINS,
    ),
    spec_of(
        "max_chain_share_pct",
        Kind::Number(Unit::Pct),
        "largest chain.supply_usd ÷ Σ chain.supply_usd × 100",
        CHAINS,
    ),
    spec_of(
        "bridged_share_pct",
        Kind::Number(Unit::Pct),
        "Σ supply_usd of bridged or wrapped chains ÷ Σ chain.supply_usd × 100",
        CHAINS,
    ),
    spec_of(
        "latest_attestation_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest `published` (else `period_end`, which can only make it older) among independent [[attestation]] of kind attestation or audit (independent: not declared `independent = false`, and the firm is neither the issuer nor a reserve custodian)",
        REPORTS,
    ),
    spec_of(
        "independent_report_exists",
        Kind::Bool,
        "an independent [[attestation]] of kind attestation or audit is declared, dated or not (independent as for latest_attestation_age_days); absent when no [[attestation]] is declared",
        REPORTS,
    ),
    spec_of(
        "latest_audit_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest `published` among independent [[attestation]] of kind audit",
        REPORTS,
    ),
    spec_of(
        "latest_controls_report_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest `published` (else `period_end`) among independent [[attestation]] of kind controls-report",
        REPORTS,
    ),
    spec_of(
        "latest_report_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest `published` among every [[attestation]], of any kind and firm (a proof of reserves or a custodian's own report included): weaker evidence than an independent one",
        REPORTS,
    ),
    spec_of(
        "latest_report_registered_firm",
        Kind::Bool,
        "registered_firm of the newest independent [[attestation]] of kind attestation or audit",
        REPORT_FIRMS,
    ),
    spec_of(
        "reserve_report_interval_days",
        Kind::Number(Unit::Days),
        "days between reserve reports: daily 1, weekly 7, monthly 30, quarterly 91, semiannual 182, annual 365; absent for none",
        CADENCE,
    ),
    spec_of(
        "security_review_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest [[security.review]] date",
        REVIEWS,
    ),
    spec_of(
        "review_covers_last_change",
        Kind::Bool,
        "newest [[security.review]] date ≥ security.last_contract_change",
        REVIEWS,
    ),
    spec_of(
        "latest_supervisory_action_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest [[supervisory_event]] date of kind order, enforcement or licence-withdrawn",
        SUPERVISION,
    ),
    spec_of(
        "latest_holder_finding_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest [[supervisory_event]] date of kind order, enforcement or licence-withdrawn whose concerns include reserves, redemption or disclosure",
        FINDINGS,
    ),
    spec_of(
        "latest_compliance_finding_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest [[supervisory_event]] date of kind order, enforcement or licence-withdrawn whose concerns are declared and include none of reserves, redemption or disclosure (aml-sanctions, licensing, issuance, governance)",
        FINDINGS,
    ),
    spec_of(
        "latest_unclassified_action_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest [[supervisory_event]] date of kind order, enforcement or licence-withdrawn that declares no concerns",
        FINDINGS,
    ),
    spec_of(
        "latest_supervisory_warning_age_days",
        Kind::Number(Unit::Days),
        "evaluation date − newest [[supervisory_event]] date of kind warning",
        SUPERVISION,
    ),
    spec_of(
        "onchain_reserve_share_pct",
        Kind::Number(Unit::Pct),
        "Σ share_pct of [[reserves.custodian]] of kind smart-contract; 100 when reserves.legal_structure is smart-contract and no custodian declares a kind",
        ONCHAIN,
    ),
    spec_of(
        "unreported_reserve_share_pct",
        Kind::Number(Unit::Pct),
        "the share of reserves neither a report nor a real-time on-chain view covers: 0 when an [[attestation]] is declared; else 100 − onchain_reserve_share_pct when transparency.reserve_report_frequency is realtime, 100 when it is not or attestations_none_published is true",
        UNREPORTED,
    ),
    spec_of(
        "open_par_channel",
        Kind::Bool,
        "a [[redemption.channel]] other than an intermediary takes units at par (at_par true) from any holder (permissionless true, daily_limit_usd not 0); false when channels are declared and none does",
        PAR_CHANNELS,
    ),
    spec_of(
        "nobody_can_redeem",
        Kind::Bool,
        "redemption.eligible is none or redemption.availability is suspended, and no [[redemption.channel]] of kind onchain-redeem or onchain-swap takes units at par from any holder (permissionless not false, daily_limit_usd not 0)",
        REDEEMERS,
    ),
];

/// A derived figure's name, checked against [`DERIVED`] when the program is
/// compiled: code writes it with [`crate::derived!`]
/// (`derived!("overcollateral_pct")`), and a name no figure has stops the
/// build. A figure a rubric names comes with its spec ([`FigureName::of_spec`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureName(&'static str);

impl FigureName {
    /// The figure called `name`; evaluated at compile time (through
    /// `derived!`), it fails the build for a name no figure has.
    // A panic here is a build error naming the figure; code never calls it
    // with a name from a file (rubrics resolve theirs to a spec).
    #[allow(clippy::panic, clippy::indexing_slicing)]
    pub const fn of(name: &'static str) -> FigureName {
        let mut i = 0;
        while i < DERIVED.len() {
            if super::schema::same_bytes(DERIVED[i].name.as_bytes(), name.as_bytes()) {
                return FigureName(name);
            }
            i += 1;
        }
        panic!("no derived figure has this name");
    }

    /// The figure a spec describes: a derived figure, or a stress figure the
    /// stress model records.
    pub fn of_spec(spec: &'static DerivedSpec) -> FigureName {
        FigureName(spec.name)
    }

    /// The name, without `derived.`.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// The spec of a derived figure by name.
pub fn spec(name: &str) -> Option<&'static DerivedSpec> {
    DERIVED.iter().find(|d| d.name == name)
}

/// Asset classes counted as volatile: credit, collateralized lending, metals,
/// crypto and what is made of it, hedges, funds of undeclared composition and
/// anything unclassified. A `stablecoin` counts as volatile only when its
/// issuer is not named (see `is_volatile`).
pub const VOLATILE_CLASSES: &[&str] = &[
    "commercial-paper",
    "corporate-bond",
    "secured-loan",
    "precious-metal",
    "crypto",
    "liquidity-pool-token",
    "liquid-staking-token",
    "derivative-hedge",
    "insurance-fund",
    "other",
];

/// Whether a reserve asset counts as volatile: its class is, or it is
/// another stablecoin whose issuer the file does not name (an anonymous
/// stablecoin is no better known than `other`).
pub(crate) fn is_volatile(asset: &Entry) -> bool {
    match asset.text(fact!("reserves.asset[].class")) {
        Some("stablecoin") => asset.text(fact!("reserves.asset[].issuer")).is_none(),
        Some(class) => VOLATILE_CLASSES.contains(&class),
        None => false,
    }
}

/// The kinds of `[[attestation]]` that are independent assurance of the
/// reserves: what `latest_attestation_age_days` measures.
pub const ASSURANCE_KINDS: &[&str] = &["attestation", "audit"];

/// Parties whose own report is not independent assurance: the issuer and
/// every reserve custodian.
fn related_parties(facts: &Facts) -> Vec<&str> {
    facts
        .text(fact!("arrangement.issuer"))
        .into_iter()
        .chain(
            facts
                .entries(table!("reserves.custodian"))
                .iter()
                .filter_map(|c| c.text(fact!("reserves.custodian[].name"))),
        )
        .collect()
}

/// A report is independent unless declared `independent = false` or its
/// firm is one of the `related` parties. A report whose firm is not named is
/// taken at its kind's word (an attestation or audit is an accountant's
/// engagement): unknown is not weak.
fn is_independent(report: &super::Entry, related: &[&str]) -> bool {
    report.bool(fact!("attestation[].independent")) != Some(false)
        && report
            .text(fact!("attestation[].firm"))
            .is_none_or(|firm| !related.iter().any(|r| same_party(firm, r)))
}

/// The newest `[[attestation]]` of the given kinds (any kind when `kinds` is
/// empty), independent ones only when asked, dated on or before `as_of`,
/// with its date: `published`, else `period_end` (a report is published
/// after the period it covers, so an age measured from that end is an upper
/// bound). A report dated after `as_of` did not exist then: it is left out,
/// so its age is unknown, never fresh. `latest_attestation_age_days` and
/// `history`'s report events read the same report.
pub fn newest_report<'f>(
    facts: &'f Facts,
    as_of: NaiveDate,
    kinds: &[&str],
    only_independent: bool,
) -> Option<(NaiveDate, &'f super::Entry)> {
    let related = related_parties(facts);
    facts
        .entries(table!("attestation"))
        .iter()
        .filter(|a| {
            kinds.is_empty()
                || a.text(fact!("attestation[].kind"))
                    .is_some_and(|k| kinds.contains(&k))
        })
        .filter(|a| !only_independent || is_independent(a, &related))
        .filter_map(|a| {
            a.date(fact!("attestation[].published"))
                .or_else(|| a.date(fact!("attestation[].period_end")))
                .map(|p| (p, a))
        })
        .filter(|(p, _)| *p <= as_of)
        .max_by_key(|(p, _)| *p)
}

/// Days between reserve reports, by `transparency.reserve_report_frequency`;
/// `none` has no interval.
pub(crate) const REPORT_INTERVAL_DAYS: &[(&str, f64)] = &[
    ("realtime", 0.0),
    ("daily", 1.0),
    ("weekly", 7.0),
    ("monthly", 30.0),
    ("quarterly", 91.0),
    ("semiannual", 182.0),
    ("annual", 365.0),
];

/// The share of a redemption wave the T+2 ladder is tested against.
pub const REDEMPTION_WAVE_SHARE: f64 = 0.30;

/// The derived figures of one arrangement on one evaluation date.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    values: BTreeMap<&'static str, Value>,
    /// Figures computed beyond the facts (the stress results), readable by
    /// checks but reported in their own section.
    computed: BTreeMap<&'static str, Value>,
}

impl Derived {
    /// A figure ([`crate::derived!`], or a rubric's), computed or recorded.
    pub fn get(&self, name: FigureName) -> Option<&Value> {
        self.values
            .get(name.0)
            .or_else(|| self.computed.get(name.0))
    }

    /// Records a figure computed from more than the facts (the stress
    /// model records its results so); [`Derived::iter`] does not list it.
    pub fn insert_computed(&mut self, name: &'static str, value: Value) {
        self.computed.insert(name, value);
    }

    /// A numeric figure.
    pub fn number(&self, name: FigureName) -> Option<f64> {
        self.get(name).and_then(Value::as_number)
    }

    /// Every figure that could be computed, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.values.iter().map(|(k, v)| (*k, v))
    }

    fn set(&mut self, name: FigureName, value: Option<f64>) {
        if let Some(v) = value.filter(|v| v.is_finite()) {
            self.values.insert(name.0, Value::Number(v));
        }
    }

    fn set_bool(&mut self, name: FigureName, value: bool) {
        self.values.insert(name.0, Value::Bool(value));
    }

    /// Computes every figure from the facts, measuring ages against `as_of`.
    pub fn compute(facts: &Facts, as_of: NaiveDate) -> Self {
        let mut d = Derived::default();
        let outstanding = facts
            .number(fact!("supply.outstanding_usd"))
            .filter(|o| *o > 0.0);
        let total = facts.number(fact!("reserves.total_usd"));

        let coverage = total.zip(outstanding).map(|(t, o)| t / o);
        d.set(derived!("reserve_coverage_ratio"), coverage);
        d.set(
            derived!("overcollateral_pct"),
            coverage.map(|c| (c - 1.0) * 100.0),
        );

        let assets = facts.entries(table!("reserves.asset"));
        // Figures built on shares need every share: one class listed without
        // its share leaves them unknown, never guessed.
        let shares_known = !assets.is_empty()
            && assets
                .iter()
                .all(|a| a.number(fact!("reserves.asset[].share_pct")).is_some());
        let share_of = |counts: &dyn Fn(&Entry) -> bool| -> Option<f64> {
            shares_known.then(|| {
                assets
                    .iter()
                    .filter(|a| counts(a))
                    .filter_map(|a| a.number(fact!("reserves.asset[].share_pct")))
                    .sum()
            })
        };
        let volatile = share_of(&is_volatile);
        d.set(derived!("volatile_share_pct"), volatile);
        d.set(
            derived!("bank_deposit_share_pct"),
            share_of(&|a| a.text(fact!("reserves.asset[].class")) == Some("bank-deposit")),
        );

        let stable =
            |a: &&Entry| a.text(fact!("reserves.asset[].class")).is_some() && !is_volatile(a);
        let liquid_by = |day: u32, stable_only: bool| {
            shares_known
                .then(|| liquid_pct_by(assets.iter().filter(|a| !stable_only || stable(a)), day))
        };
        d.set(derived!("liquid_t0_pct"), liquid_by(0, false));
        d.set(derived!("liquid_t1_pct"), liquid_by(1, false));
        d.set(derived!("liquid_t2_pct"), liquid_by(2, false));
        d.set(
            derived!("redemption_wave_cover"),
            total
                .zip(liquid_by(2, true))
                .zip(outstanding)
                .map(|((t, l), o)| t * l / 100.0 / (REDEMPTION_WAVE_SHARE * o)),
        );
        // The loss model's crisis haircuts, once: the share of the reserves
        // (in %) a crisis like the worst of record takes away.
        let haircut_loss_pct = shares_known.then(|| {
            assets
                .iter()
                .filter_map(|a| {
                    let haircut = a
                        .text(fact!("reserves.asset[].class"))
                        .and_then(super::loss::haircut_of)?;
                    Some(a.number(fact!("reserves.asset[].share_pct"))? * haircut.market())
                })
                .sum::<f64>()
        });
        d.set(
            derived!("stressed_coverage_ratio"),
            haircut_loss_pct
                .zip(coverage)
                .map(|(loss, c)| c * (1.0 - loss / 100.0)),
        );
        d.set(
            derived!("volatile_beyond_buffer_pct"),
            haircut_loss_pct
                .zip(coverage)
                .map(|(loss, c)| (loss * c - ((c - 1.0) * 100.0).max(0.0)).max(0.0)),
        );

        let custodian_shares: Vec<f64> = facts
            .entries(table!("reserves.custodian"))
            .iter()
            .filter_map(|c| c.number(fact!("reserves.custodian[].share_pct")))
            .collect();
        d.set(
            derived!("max_custodian_share_pct"),
            custodian_shares.iter().copied().reduce(f64::max),
        );
        d.set(
            derived!("custodian_hhi"),
            (!custodian_shares.is_empty()).then(|| custodian_shares.iter().map(|s| s * s).sum()),
        );
        let kinds: Vec<(&str, f64)> = facts
            .entries(table!("reserves.custodian"))
            .iter()
            .filter_map(|c| {
                Some((
                    c.text(fact!("reserves.custodian[].kind"))?,
                    c.number(fact!("reserves.custodian[].share_pct"))
                        .unwrap_or(0.0),
                ))
            })
            .collect();
        d.set(
            derived!("max_bank_share_pct"),
            (!kinds.is_empty()).then(|| {
                kinds
                    .iter()
                    .filter(|(kind, _)| *kind == "bank")
                    .map(|(_, share)| *share)
                    .fold(0.0, f64::max)
            }),
        );

        let chains = facts.entries(table!("chain"));
        let chain_supply: Vec<(f64, bool)> = chains
            .iter()
            .filter_map(|c| {
                let bridged = c
                    .text(fact!("chain[].issuance"))
                    .is_some_and(|i| i != "native");
                c.number(fact!("chain[].supply_usd")).map(|s| (s, bridged))
            })
            .collect();
        let chain_total: f64 = chain_supply.iter().map(|(s, _)| s).sum();
        if !chain_supply.is_empty() {
            d.set(
                derived!("chain_supply_gap_pct"),
                outstanding.map(|o| (chain_total - o).abs() / o * 100.0),
            );
            if chain_total > 0.0 {
                let max = chain_supply.iter().map(|(s, _)| *s).fold(0.0, f64::max);
                let bridged: f64 = chain_supply
                    .iter()
                    .filter(|(_, b)| *b)
                    .map(|(s, _)| s)
                    .sum();
                d.set(
                    derived!("max_chain_share_pct"),
                    Some(max / chain_total * 100.0),
                );
                d.set(
                    derived!("bridged_share_pct"),
                    Some(bridged / chain_total * 100.0),
                );
            }
        }

        let related = related_parties(facts);
        let independent = |a: &&super::Entry| is_independent(a, &related);
        let newest_of = |kinds: &[&str], only_independent: bool| {
            newest_report(facts, as_of, kinds, only_independent)
        };
        let age = |date: Option<NaiveDate>| date.map(|d| (as_of - d).num_days() as f64);
        let attestations = facts.entries(table!("attestation"));
        if !attestations.is_empty() {
            let exists = attestations.iter().any(|a| {
                a.text(fact!("attestation[].kind"))
                    .is_some_and(|k| ASSURANCE_KINDS.contains(&k))
                    && independent(&a)
            });
            d.set_bool(derived!("independent_report_exists"), exists);
        }
        let newest = newest_of(ASSURANCE_KINDS, true);
        d.set(
            derived!("latest_attestation_age_days"),
            age(newest.map(|(p, _)| p)),
        );
        d.set(
            derived!("latest_audit_age_days"),
            age(newest_of(&["audit"], true).map(|(p, _)| p)),
        );
        d.set(
            derived!("latest_controls_report_age_days"),
            age(newest_of(&["controls-report"], true).map(|(p, _)| p)),
        );
        d.set(
            derived!("latest_report_age_days"),
            age(newest_of(&[], false).map(|(p, _)| p)),
        );
        if let Some(registered) =
            newest.and_then(|(_, a)| a.bool(fact!("attestation[].registered_firm")))
        {
            d.set_bool(derived!("latest_report_registered_firm"), registered);
        }
        let frequency = facts.text(fact!("transparency.reserve_report_frequency"));
        d.set(
            derived!("reserve_report_interval_days"),
            REPORT_INTERVAL_DAYS
                .iter()
                .find(|(name, _)| Some(*name) == frequency)
                .map(|(_, days)| *days),
        );

        let newest_review = facts
            .entries(table!("security.review"))
            .iter()
            .filter_map(|r| r.date(fact!("security.review[].date")))
            .filter(|date| *date <= as_of)
            .max();
        d.set(derived!("security_review_age_days"), age(newest_review));
        let last_change = facts
            .get(fact!("security.last_contract_change"))
            .and_then(|f| f.value.as_date());
        if let Some(change) = last_change {
            d.set_bool(
                derived!("review_covers_last_change"),
                newest_review.is_some_and(|r| r >= change),
            );
        }
        let newest_action = facts
            .entries(table!("supervisory_event"))
            .iter()
            .filter(|e| {
                e.text(fact!("supervisory_event[].kind"))
                    .is_some_and(|k| matches!(k, "order" | "enforcement" | "licence-withdrawn"))
            })
            .filter_map(|e| e.date(fact!("supervisory_event[].date")))
            .max();
        d.set(
            derived!("latest_supervisory_action_age_days"),
            age(newest_action),
        );
        let newest_warning = facts
            .entries(table!("supervisory_event"))
            .iter()
            .filter(|e| e.text(fact!("supervisory_event[].kind")) == Some("warning"))
            .filter_map(|e| e.date(fact!("supervisory_event[].date")))
            .max();
        d.set(
            derived!("latest_supervisory_warning_age_days"),
            age(newest_warning),
        );
        // Actions by what they found: the holder's dollar, compliance, or
        // not said.
        let newest_finding = |group: &dyn Fn(Option<&Value>) -> bool| {
            facts
                .entries(table!("supervisory_event"))
                .iter()
                .filter(|e| {
                    e.text(fact!("supervisory_event[].kind"))
                        .is_some_and(|k| matches!(k, "order" | "enforcement" | "licence-withdrawn"))
                })
                .filter(|e| group(e.value(fact!("supervisory_event[].concerns"))))
                .filter_map(|e| e.date(fact!("supervisory_event[].date")))
                .max()
        };
        let holder = |v: Option<&Value>| match v {
            Some(Value::List(items)) => items
                .iter()
                .any(|c| super::schema::HOLDER_CONCERNS.contains(&c.as_str())),
            _ => false,
        };
        d.set(
            derived!("latest_holder_finding_age_days"),
            age(newest_finding(&holder)),
        );
        d.set(
            derived!("latest_compliance_finding_age_days"),
            age(newest_finding(&|v| {
                matches!(v, Some(Value::List(items)) if !items.is_empty()) && !holder(v)
            })),
        );
        d.set(
            derived!("latest_unclassified_action_age_days"),
            age(newest_finding(
                &|v| !matches!(v, Some(Value::List(items)) if !items.is_empty()),
            )),
        );
        let onchain = onchain_reserve_share(facts);
        d.set(derived!("onchain_reserve_share_pct"), onchain);
        d.set(
            derived!("unreported_reserve_share_pct"),
            unreported_reserve_share(facts, onchain),
        );
        let channels = facts.entries(table!("redemption.channel"));
        if !channels.is_empty() {
            let open = channels.iter().any(|c| {
                c.text(fact!("redemption.channel[].kind"))
                    .is_some_and(|k| k != "intermediary")
                    && c.bool(fact!("redemption.channel[].at_par")) == Some(true)
                    && c.bool(fact!("redemption.channel[].permissionless")) == Some(true)
                    && c.number(fact!("redemption.channel[].daily_limit_usd"))
                        .is_none_or(|limit| limit > 0.0)
            });
            d.set_bool(derived!("open_par_channel"), open);
        }
        if let Some(nobody) = nobody_can_redeem(facts) {
            d.set_bool(derived!("nobody_can_redeem"), nobody);
        }
        d
    }
}

/// The share of reserves held in smart contracts, on chain: the custodians
/// of kind smart-contract, or all of it when the legal structure is
/// smart-contract and no custodian says otherwise.
fn onchain_reserve_share(facts: &Facts) -> Option<f64> {
    let custodians = facts.entries(table!("reserves.custodian"));
    if custodians
        .iter()
        .any(|c| c.text(fact!("reserves.custodian[].kind")).is_some())
    {
        return Some(
            custodians
                .iter()
                .filter(|c| c.text(fact!("reserves.custodian[].kind")) == Some("smart-contract"))
                .filter_map(|c| c.number(fact!("reserves.custodian[].share_pct")))
                .sum(),
        );
    }
    (facts.text(fact!("reserves.legal_structure")) == Some("smart-contract")).then_some(100.0)
}

/// The share of reserves that neither a report on the reserves nor a
/// real-time view on chain covers.
fn unreported_reserve_share(facts: &Facts, onchain: Option<f64>) -> Option<f64> {
    if !facts.entries(table!("attestation")).is_empty() {
        return Some(0.0);
    }
    let frequency = facts.text(fact!("transparency.reserve_report_frequency"));
    if frequency == Some("realtime") {
        return onchain.map(|s| (100.0 - s).max(0.0));
    }
    let none_published =
        facts.bool(fact!("transparency.attestations_none_published")) == Some(true);
    (frequency.is_some() || none_published).then_some(100.0)
}

/// Whether no holder can turn units into their dollar value: the issuer
/// redeems for nobody (or has suspended redemption) and no on-chain channel
/// takes units at par from any holder. Unknown when neither the issuer's
/// terms nor an on-chain channel at par is declared.
fn nobody_can_redeem(facts: &Facts) -> Option<bool> {
    let onchain_at_par = facts.entries(table!("redemption.channel")).iter().any(|c| {
        c.text(fact!("redemption.channel[].kind"))
            .is_some_and(|k| matches!(k, "onchain-redeem" | "onchain-swap"))
            && c.bool(fact!("redemption.channel[].at_par")) == Some(true)
            && c.bool(fact!("redemption.channel[].permissionless")) != Some(false)
            && c.number(fact!("redemption.channel[].daily_limit_usd"))
                .is_none_or(|limit| limit > 0.0)
    });
    if onchain_at_par {
        return Some(false);
    }
    let eligible = facts.text(fact!("redemption.eligible"));
    let availability = facts.text(fact!("redemption.availability"));
    if eligible.is_none() && availability.is_none() {
        return None;
    }
    Some(eligible == Some("none") || availability == Some("suspended"))
}

/// True when two names plausibly denote one party: equal once case, spaces
/// and punctuation are dropped, or one contains the other (at least six
/// letters or digits long), so "Acme Trust" matches "ACME Trust Company".
///
/// Deliberately stricter than the stress model's `names_match`, which lets
/// a short name match as a whole word ("ING" in "ING Bank") because a
/// replay must find the bank it names: here a match takes away a report's
/// independence or calls two custodians one, so a short name ("BDO", an
/// audit network, beside "BDO Unibank", a bank) must not match by itself.
pub fn same_party(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (norm(a), norm(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && (short == long || (short.len() >= 6 && long.contains(&short)))
}

/// Σ share_pct × the ladder's cash fraction by business day `day`, over the
/// reserve assets given: the share of reserves that is dollars by then. The
/// one place the ladder is applied to a file's assets, for the derived
/// figures and the reverse stress test alike.
pub fn liquid_pct_by<'a>(assets: impl IntoIterator<Item = &'a Entry>, day: u32) -> f64 {
    assets
        .into_iter()
        .filter_map(|a| {
            let rung = a.text(fact!("reserves.asset[].class")).and_then(rung_of)?;
            let fraction =
                rung.cash_fraction_by(a.number(fact!("reserves.asset[].max_maturity_days")), day)?;
            Some(a.number(fact!("reserves.asset[].share_pct")).unwrap_or(0.0) * fraction)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::load;
    use crate::source::SourceFile;

    fn derive(body: &str) -> Derived {
        let text = format!("format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n{body}");
        let (facts, _) = load(&SourceFile::new("t.toml", text)).unwrap();
        Derived::compute(&facts, facts.as_of)
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    const RESERVES: &str = "[supply]\noutstanding_usd = 1000\n[reserves]\ntotal_usd = 1050\n\
        [[reserves.asset]]\nclass = \"cash\"\nshare_pct = 20\n\
        [[reserves.asset]]\nclass = \"tbill\"\nshare_pct = 50\n\
        [[reserves.asset]]\nclass = \"corporate-bond\"\nshare_pct = 10\n\
        [[reserves.asset]]\nclass = \"secured-loan\"\nshare_pct = 20\n";

    #[test]
    fn every_derived_figure_is_listed_once() {
        let mut names: Vec<_> = DERIVED.iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DERIVED.len());
    }

    #[test]
    fn nobody_can_redeem_unless_an_onchain_channel_takes_units_at_par() {
        let nobody = |body: &str| derive(body).get(derived!("nobody_can_redeem")).cloned();
        assert_eq!(nobody(""), None, "unknown when nothing is declared");
        assert_eq!(
            nobody("[redemption]\neligible = \"none\"\n"),
            Some(Value::Bool(true))
        );
        assert_eq!(
            nobody("[redemption]\neligible = \"anyone\"\navailability = \"suspended\"\n"),
            Some(Value::Bool(true))
        );
        assert_eq!(
            nobody("[redemption]\neligible = \"verified-holders\"\n"),
            Some(Value::Bool(false))
        );
        let channel = "[redemption]\neligible = \"none\"\n[[redemption.channel]]\nkind = \"onchain-redeem\"\nat_par = true\n";
        assert_eq!(nobody(channel), Some(Value::Bool(false)));
        // Without the issuer's terms, the channel alone answers.
        assert_eq!(
            nobody("[[redemption.channel]]\nkind = \"onchain-swap\"\nat_par = true\n"),
            Some(Value::Bool(false))
        );
        // A channel below par, closed to most holders, with no capacity, or
        // run by an intermediary does not count.
        for closed in [
            "at_par = false\n",
            "at_par = true\npermissionless = false\n",
            "at_par = true\ndaily_limit_usd = 0\n",
        ] {
            let body = format!(
                "[redemption]\neligible = \"none\"\n[[redemption.channel]]\nkind = \"onchain-redeem\"\n{closed}"
            );
            assert_eq!(nobody(&body), Some(Value::Bool(true)), "{closed}");
        }
        let intermediary = "[redemption]\neligible = \"none\"\n[[redemption.channel]]\nkind = \"intermediary\"\nat_par = true\n";
        assert_eq!(nobody(intermediary), Some(Value::Bool(true)));
    }

    #[test]
    fn latest_supervisory_action_age_days_skips_warnings() {
        let d = derive(
            "[[supervisory_event]]\ndate = 2026-06-30\nkind = \"order\"\n\
             [[supervisory_event]]\ndate = 2026-09-01\nkind = \"warning\"\n",
        );
        assert!(close(
            d.number(derived!("latest_supervisory_action_age_days")),
            92.0
        ));
        assert!(
            derive("")
                .get(derived!("latest_supervisory_action_age_days"))
                .is_none()
        );
    }

    #[test]
    fn a_stablecoin_with_a_named_issuer_is_not_volatile() {
        let reserves = |stablecoin: &str| {
            derive(&format!(
                "[supply]\noutstanding_usd = 1000\n[reserves]\ntotal_usd = 1000\n\
                 [[reserves.asset]]\nclass = \"tbill\"\nshare_pct = 60\n\
                 [[reserves.asset]]\nclass = \"stablecoin\"\nshare_pct = 40\n{stablecoin}"
            ))
        };
        let named = reserves("issuer = \"Example Trust Company\"\n");
        assert!(close(named.number(derived!("volatile_share_pct")), 0.0));
        // Not volatile, but its crisis haircut (12 %) still counts: 4.8 % of
        // units with no buffer to cover it.
        assert!(close(
            named.number(derived!("volatile_beyond_buffer_pct")),
            4.8
        ));
        // Stablecoins are liquid by the next business day, less the sale haircut.
        assert!(close(
            named.number(derived!("liquid_t1_pct")),
            60.0 + 40.0 * 0.88
        ));
        let anonymous = reserves("");
        assert!(close(
            anonymous.number(derived!("volatile_share_pct")),
            40.0
        ));
        for class in [
            "liquid-staking-token",
            "liquidity-pool-token",
            "derivative-hedge",
            "insurance-fund",
        ] {
            let d = derive(&format!(
                "[[reserves.asset]]\nclass = \"cash\"\nshare_pct = 90\n[[reserves.asset]]\nclass = \"{class}\"\nshare_pct = 10\n"
            ));
            assert!(
                close(d.number(derived!("volatile_share_pct")), 10.0),
                "{class}"
            );
        }
    }

    #[test]
    fn asset_classes_without_shares_leave_share_figures_unknown() {
        let d = derive(
            "[supply]\noutstanding_usd = 1000\n[reserves]\ntotal_usd = 1010\n\
             [[reserves.asset]]\nclass = \"tbill\"\nshare_pct = 70\n\
             [[reserves.asset]]\nclass = \"crypto\"\n",
        );
        for figure in [
            "volatile_share_pct",
            "bank_deposit_share_pct",
            "liquid_t0_pct",
            "liquid_t1_pct",
            "liquid_t2_pct",
            "redemption_wave_cover",
            "volatile_beyond_buffer_pct",
        ] {
            assert!(
                d.get(FigureName::of(figure)).is_none(),
                "{figure} was invented"
            );
        }
        assert!(close(d.number(derived!("reserve_coverage_ratio")), 1.01));
    }

    #[test]
    fn reserve_coverage_ratio() {
        assert!(close(
            derive(RESERVES).number(derived!("reserve_coverage_ratio")),
            1.05
        ));
    }

    #[test]
    fn overcollateral_pct() {
        assert!(close(
            derive(RESERVES).number(derived!("overcollateral_pct")),
            5.0
        ));
    }

    #[test]
    fn coverage_is_absent_not_infinite_when_nothing_is_outstanding() {
        let d = derive("[supply]\noutstanding_usd = 0\n[reserves]\ntotal_usd = 5\n");
        assert!(d.get(derived!("reserve_coverage_ratio")).is_none());
        assert!(d.get(derived!("redemption_wave_cover")).is_none());
    }

    #[test]
    fn volatile_share_pct() {
        assert!(close(
            derive(RESERVES).number(derived!("volatile_share_pct")),
            30.0
        ));
    }

    #[test]
    fn bank_deposit_share_pct() {
        let d = derive(
            "[[reserves.asset]]\nclass = \"bank-deposit\"\nshare_pct = 35\n[[reserves.asset]]\nclass = \"tbill\"\nshare_pct = 65\n",
        );
        assert!(close(d.number(derived!("bank_deposit_share_pct")), 35.0));
    }

    #[test]
    fn liquid_t0_pct() {
        assert!(close(
            derive(RESERVES).number(derived!("liquid_t0_pct")),
            20.0
        ));
    }

    #[test]
    fn liquid_t1_pct() {
        // cash 20 + tbill 50 (Level 1: no haircut)
        assert!(close(
            derive(RESERVES).number(derived!("liquid_t1_pct")),
            70.0
        ));
    }

    #[test]
    fn liquid_t2_pct() {
        // + corporate bonds 10 × 0.85; secured loans never count
        assert!(close(
            derive(RESERVES).number(derived!("liquid_t2_pct")),
            78.5
        ));
    }

    #[test]
    fn short_term_repo_counts_as_liquid() {
        let d = derive(
            "[[reserves.asset]]\nclass = \"term-repo\"\nshare_pct = 100\nmax_maturity_days = 2\n",
        );
        assert!(close(d.number(derived!("liquid_t2_pct")), 100.0));
        assert!(close(d.number(derived!("liquid_t1_pct")), 0.0));
    }

    #[test]
    fn redemption_wave_cover() {
        // 1050 × 0.70 ÷ 300: the corporate bonds are volatile, so they
        // do not count towards a run even though they sell within T+2.
        assert!(close(
            derive(RESERVES).number(derived!("redemption_wave_cover")),
            2.45
        ));
        let all_crypto = "[supply]\noutstanding_usd = 100\n[reserves]\ntotal_usd = 150\n\
            [[reserves.asset]]\nclass = \"crypto\"\nshare_pct = 100\n";
        assert!(close(
            derive(all_crypto).number(derived!("redemption_wave_cover")),
            0.0
        ));
    }

    const CUSTODY: &str = "[[reserves.custodian]]\nname = \"A\"\nshare_pct = 60\n[[reserves.custodian]]\nname = \"B\"\nshare_pct = 40\n";

    #[test]
    fn max_custodian_share_pct() {
        assert!(close(
            derive(CUSTODY).number(derived!("max_custodian_share_pct")),
            60.0
        ));
    }

    #[test]
    fn custodian_hhi() {
        assert!(close(
            derive(CUSTODY).number(derived!("custodian_hhi")),
            5200.0
        ));
    }

    const CHAINS: &str = "[supply]\noutstanding_usd = 1000\n\
        [[chain]]\nname = \"a\"\nsupply_usd = 700\nissuance = \"native\"\n\
        [[chain]]\nname = \"b\"\nsupply_usd = 250\nissuance = \"bridged\"\n";

    #[test]
    fn chain_supply_gap_pct() {
        assert!(close(
            derive(CHAINS).number(derived!("chain_supply_gap_pct")),
            5.0
        ));
    }

    #[test]
    fn max_chain_share_pct() {
        assert!(close(
            derive(CHAINS).number(derived!("max_chain_share_pct")),
            700.0 / 950.0 * 100.0
        ));
    }

    #[test]
    fn bridged_share_pct() {
        assert!(close(
            derive(CHAINS).number(derived!("bridged_share_pct")),
            250.0 / 950.0 * 100.0
        ));
    }

    const REPORTS: &str = "[[attestation]]\nkind = \"attestation\"\nfirm = \"Ledger & Co LLP\"\npublished = 2026-09-20\n\
        [[attestation]]\nkind = \"audit\"\nfirm = \"Ledger & Co LLP\"\npublished = 2026-04-02\n\
        [[attestation]]\nkind = \"proof-of-reserves\"\npublished = 2026-09-29\n";

    #[test]
    fn latest_attestation_age_days() {
        assert!(close(
            derive(REPORTS).number(derived!("latest_attestation_age_days")),
            10.0
        ));
    }

    #[test]
    fn latest_controls_report_age_days() {
        // No controls report: unknown, never old.
        assert_eq!(
            derive(REPORTS).get(derived!("latest_controls_report_age_days")),
            None
        );
        let controls = format!(
            "{REPORTS}[[attestation]]\nkind = \"controls-report\"\nfirm = \"Ledger & Co LLP\"\nperiod_end = 2025-06-30\n"
        );
        assert!(close(
            derive(&controls).number(derived!("latest_controls_report_age_days")),
            457.0
        ));
    }

    #[test]
    fn only_an_independent_firm_s_report_is_assurance() {
        // The newest report is a proof of reserves: any report counts for
        // latest_report_age_days, only the firm's for the others.
        assert!(close(
            derive(REPORTS).number(derived!("latest_report_age_days")),
            1.0
        ));
        // A custodian's own report is not independent; one whose firm is not
        // named is taken at its kind's word, dated by its period when it has
        // no publication date.
        let custodian = "[[reserves.custodian]]\nname = \"Ledger & Co\"\nshare_pct = 100\n\
            [[attestation]]\nkind = \"attestation\"\nfirm = \"LEDGER & CO.\"\npublished = 2026-09-20\n";
        let d = derive(custodian);
        assert_eq!(d.get(derived!("latest_attestation_age_days")), None);
        assert!(close(d.number(derived!("latest_report_age_days")), 10.0));
        let unnamed = format!(
            "{custodian}[[attestation]]\nkind = \"attestation\"\nperiod_end = 2026-08-31\n"
        );
        assert!(close(
            derive(&unnamed).number(derived!("latest_attestation_age_days")),
            30.0
        ));
        // A report declared not independent is no assurance, whatever the firm's name.
        let declared = REPORTS.replace(
            "firm = \"Ledger & Co LLP\"\npublished = 2026-09-20\n",
            "firm = \"Ledger & Co LLP\"\npublished = 2026-09-20\nindependent = false\n",
        );
        assert!(close(
            derive(&declared).number(derived!("latest_attestation_age_days")),
            181.0
        ));
        assert!(same_party("Acme Trust", "ACME Trust Company, LLC"));
        assert!(!same_party("Acme", "Acme Holdings"), "too short to contain");
        assert!(!same_party(
            "Northgate & Partners LLP",
            "Riverside Custody Bank"
        ));
    }

    #[test]
    fn a_report_dated_after_the_evaluation_date_is_not_fresh() {
        // Published after as_of: it did not exist then, so the older one
        // dates the assurance; alone, the age is unknown.
        let future = "[[attestation]]\nkind = \"audit\"\npublished = 2026-10-20\n\
            [[security.review]]\nfirm = \"F\"\ndate = 2026-12-01\n";
        let d = derive(future);
        assert_eq!(d.get(derived!("latest_attestation_age_days")), None);
        assert_eq!(d.get(derived!("security_review_age_days")), None);
        let with_older =
            format!("{future}[[attestation]]\nkind = \"audit\"\npublished = 2026-03-01\n");
        assert!(close(
            derive(&with_older).number(derived!("latest_attestation_age_days")),
            213.0
        ));
    }

    #[test]
    fn volatile_beyond_buffer_pct() {
        // The crisis haircuts take 10 % of the bonds' 10 % and 25 % of the
        // loans' 20 %: 6 % of reserves, 6.3 % of units outstanding at 105 %
        // coverage, of which the 5 % buffer covers 5.
        assert!(close(
            derive(RESERVES).number(derived!("volatile_beyond_buffer_pct")),
            1.3
        ));
    }

    #[test]
    fn stressed_coverage_ratio() {
        // 1.05 × (1 − 6 %).
        assert!(close(
            derive(RESERVES).number(derived!("stressed_coverage_ratio")),
            1.05 * 0.94
        ));
    }

    #[test]
    fn a_buffer_that_covers_the_haircuts_leaves_nothing_beyond_it() {
        // 272 % in crypto: the 43 % crisis haircut leaves 1.55 × units.
        let d = derive(
            "[supply]\noutstanding_usd = 100\n[reserves]\ntotal_usd = 272\n\
             [[reserves.asset]]\nclass = \"crypto\"\nshare_pct = 100\n",
        );
        assert!(close(d.number(derived!("volatile_beyond_buffer_pct")), 0.0));
        assert!(close(
            d.number(derived!("stressed_coverage_ratio")),
            2.72 * 0.57
        ));
    }

    #[test]
    fn latest_audit_age_days() {
        assert!(close(
            derive(REPORTS).number(derived!("latest_audit_age_days")),
            181.0
        ));
    }

    #[test]
    fn max_bank_share_pct() {
        let banks = "[[reserves.custodian]]\nname = \"A\"\nkind = \"bank\"\nshare_pct = 30\n\
            [[reserves.custodian]]\nname = \"B\"\nkind = \"bank\"\nshare_pct = 45\n\
            [[reserves.custodian]]\nname = \"C\"\nkind = \"trust-company\"\nshare_pct = 25\n";
        assert!(close(
            derive(banks).number(derived!("max_bank_share_pct")),
            45.0
        ));
        let no_bank =
            "[[reserves.custodian]]\nname = \"C\"\nkind = \"trust-company\"\nshare_pct = 100\n";
        assert!(close(
            derive(no_bank).number(derived!("max_bank_share_pct")),
            0.0
        ));
        assert!(
            derive(CUSTODY)
                .get(derived!("max_bank_share_pct"))
                .is_none()
        );
    }

    #[test]
    fn latest_report_registered_firm() {
        let reports = "[[attestation]]\nkind = \"audit\"\nfirm = \"Big Four\"\npublished = 2026-03-01\nregistered_firm = true\n\
            [[attestation]]\nkind = \"attestation\"\nfirm = \"Small Shop\"\npublished = 2026-08-01\nregistered_firm = false\n";
        assert_eq!(
            derive(reports).get(derived!("latest_report_registered_firm")),
            Some(&Value::Bool(false))
        );
        let undeclared =
            "[[attestation]]\nkind = \"audit\"\nfirm = \"Big Four\"\npublished = 2026-03-01\n";
        assert!(
            derive(undeclared)
                .get(derived!("latest_report_registered_firm"))
                .is_none()
        );
    }

    #[test]
    fn reserve_report_interval_days() {
        let d = derive("[transparency]\nreserve_report_frequency = \"quarterly\"\n");
        assert!(close(
            d.number(derived!("reserve_report_interval_days")),
            91.0
        ));
        let realtime = derive("[transparency]\nreserve_report_frequency = \"realtime\"\n");
        assert!(close(
            realtime.number(derived!("reserve_report_interval_days")),
            0.0
        ));
        let none = derive("[transparency]\nreserve_report_frequency = \"none\"\n");
        assert!(none.get(derived!("reserve_report_interval_days")).is_none());
        for frequency in crate::facts::schema::REPORT_FREQUENCY_CHOICES
            .iter()
            .map(|c| c.name)
        {
            assert_eq!(
                REPORT_INTERVAL_DAYS.iter().any(|(f, _)| *f == frequency),
                frequency != "none",
                "{frequency}"
            );
        }
    }

    const REVIEWS: &str = "[security]\nlast_contract_change = 2026-05-01\n\
        [[security.review]]\ndate = 2026-03-01\n[[security.review]]\ndate = 2026-04-30\n";

    #[test]
    fn security_review_age_days() {
        assert!(close(
            derive(REVIEWS).number(derived!("security_review_age_days")),
            153.0
        ));
    }

    #[test]
    fn review_covers_last_change() {
        assert_eq!(
            derive(REVIEWS).get(derived!("review_covers_last_change")),
            Some(&Value::Bool(false))
        );
        let covered = REVIEWS.replace("2026-04-30", "2026-05-01");
        assert_eq!(
            derive(&covered).get(derived!("review_covers_last_change")),
            Some(&Value::Bool(true))
        );
    }

    #[test]
    fn ages_follow_the_evaluation_date() {
        let text =
            format!("format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n{REPORTS}");
        let (facts, _) = load(&SourceFile::new("t.toml", text)).unwrap();
        let later = NaiveDate::from_ymd_opt(2027, 9, 30).unwrap();
        assert!(close(
            Derived::compute(&facts, later).number(derived!("latest_attestation_age_days")),
            375.0
        ));
    }
}
