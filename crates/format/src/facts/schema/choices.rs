//! Every set of values an enum field of format 1 may hold, each value with
//! its meaning in one line; the plain name lists other modules read
//! (`STAGES`, `ASSET_CLASSES`), made from those sets so each name is written
//! once; and the subsets the model names (`INDEPENDENT_EVIDENCE`,
//! `NOT_ISSUING`).

use super::{Choice, choice};

/// The names of `choices` as an array, for the lists other modules read as
/// plain names (`ASSET_CLASSES`): declared once, with their meanings.
#[expect(
    clippy::indexing_slicing,
    reason = "evaluated while compiling: a wrong length fails the build"
)]
const fn names<const N: usize>(choices: &[Choice]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = choices[i].name;
        i += 1;
    }
    out
}

/// The allowed values of evidence fields, each with its definition.
pub const EVIDENCE_CHOICES: &[Choice] = &[
    choice(
        "independent-assurance",
        "an independent accountant's attestation, audit or assurance report",
    ),
    choice(
        "regulator",
        "a regulator's filing, register, order or published finding",
    ),
    choice(
        "third-party",
        "a third party's observation: on-chain data, a rating report, a court record",
    ),
    choice(
        "issuer",
        "the issuer's own publication (what an undeclared `evidence` means)",
    ),
    choice(
        "unverified",
        "a claim nobody has verified: press reports, statements on social media",
    ),
];

/// The kind of evidence a table without `evidence` rests on.
pub const UNDECLARED_EVIDENCE: &str = "issuer";

/// The kinds of evidence that do not rest on the issuer's word.
pub const INDEPENDENT_EVIDENCE: &[&str] = &["independent-assurance", "regulator", "third-party"];

/// What a supervisory action found or required (`supervisory_event.concerns`).
pub(crate) const SUPERVISORY_CONCERN_CHOICES: &[Choice] = &[
    choice(
        "reserves",
        "the reserves: their value, composition, custody or how they were represented",
    ),
    choice(
        "redemption",
        "redemption: holders refused, delayed or paid less than promised",
    ),
    choice(
        "disclosure",
        "what was told to holders or the public was false, misleading or missing",
    ),
    choice(
        "aml-sanctions",
        "anti-money-laundering, counter-terrorist-financing or sanctions controls",
    ),
    choice(
        "licensing",
        "operating without a licence, charter or registration the activity needs",
    ),
    choice(
        "issuance",
        "issuing or minting units: a stop, limit or condition on new units",
    ),
    choice(
        "governance",
        "governance, management or internal controls of the issuer",
    ),
];
/// The concerns of a supervisory action that go to the holder's dollar:
/// a finding about them caps the grade hardest.
pub(crate) const HOLDER_CONCERNS: &[&str] = &["reserves", "redemption", "disclosure"];

/// The allowed values of stage fields, each with its definition.
pub(crate) const STAGE_CHOICES: &[Choice] = &[
    choice(
        "exploration",
        "designing or testing privately; no units in public hands",
    ),
    choice("pilot", "units issued to a small, selected group of users"),
    choice(
        "broader-access",
        "open to the public in at least one market, at modest size",
    ),
    choice(
        "scale",
        "widely held and used across markets, at large size",
    ),
    choice(
        "maturity",
        "established at scale over years, with tested controls and recovery",
    ),
];
/// The names of the stages, in order.
pub const STAGES: &[&str] = &names::<{ STAGE_CHOICES.len() }>(STAGE_CHOICES);
/// The allowed values of report frequency fields, each with its definition.
pub(crate) const REPORT_FREQUENCY_CHOICES: &[Choice] = &[
    choice(
        "realtime",
        "continuously, as the figures change (a live dashboard or an on-chain feed)",
    ),
    choice("daily", "every day"),
    choice("weekly", "every week"),
    choice("monthly", "every month"),
    choice("quarterly", "every three months"),
    choice("semiannual", "every six months"),
    choice("annual", "once a year"),
    choice("none", "never, or not on a schedule"),
];
/// The frequencies of something done on a schedule (stress tests): every
/// report frequency but `realtime`.
pub(crate) const SCHEDULED_FREQUENCY_CHOICES: &[Choice] =
    match REPORT_FREQUENCY_CHOICES.split_first() {
        Some((_realtime, scheduled)) => scheduled,
        None => &[],
    };
/// The allowed values of issuance status fields, each with its definition.
pub(crate) const ISSUANCE_STATUS_CHOICES: &[Choice] = &[
    choice("active", "new units are issued on request"),
    choice(
        "halted",
        "no new units are issued, by the issuer's choice or a regulator's order; existing units stay redeemable",
    ),
    choice(
        "wind-down",
        "the arrangement is closing: no new units, and outstanding units are being redeemed",
    ),
];
/// The issuance statuses under which an arrangement issues no new units: its
/// size is then not growth, and no stage is visible from it.
pub const NOT_ISSUING: &[&str] = &["halted", "wind-down"];
/// The kinds of institution an issuer can be, as regulatory profiles tell
/// whom a law covers.
pub(crate) const ISSUER_KIND_CHOICES: &[Choice] = &[
    choice(
        "credit-institution",
        "a bank: it takes deposits under a banking licence (an EU credit institution, a US bank or credit union)",
    ),
    choice(
        "e-money-institution",
        "an electronic money institution authorised under the EU E-Money Directive, or the like elsewhere",
    ),
    choice(
        "trust-company",
        "a chartered trust company that takes no deposits, such as a New York limited-purpose trust company",
    ),
    choice(
        "payment-institution",
        "a licensed money transmitter, payment institution or virtual-currency licensee that is not a bank",
    ),
    choice(
        "other-company",
        "a company that issues under no financial licence of the kinds above",
    ),
    choice(
        "protocol",
        "no legal entity issues: smart contracts mint and redeem",
    ),
];

/// The sides of a repurchase agreement, from the issuer's view.
pub(crate) const REPO_SIDE_CHOICES: &[Choice] = &[
    choice(
        "purchaser",
        "a reverse repo: the issuer buys the securities, lends cash and sells them back",
    ),
    choice(
        "seller",
        "a repo: the issuer sells its securities, borrows cash and buys them back",
    ),
];

/// The allowed values of asset class fields, each with its definition.
pub(crate) const ASSET_CLASS_CHOICES: &[Choice] = &[
    choice("cash", "notes and coin, or cash held at a custodian"),
    choice("bank-deposit", "demand deposits at commercial banks"),
    choice(
        "central-bank-balance",
        "balances held directly at a central bank",
    ),
    choice(
        "tbill",
        "US Treasury bills (original maturity up to one year)",
    ),
    choice("treasury-coupon", "US Treasury notes and bonds"),
    choice(
        "overnight-repo",
        "overnight reverse repurchase agreements backed by Treasuries",
    ),
    choice(
        "term-repo",
        "reverse repurchase agreements longer than overnight",
    ),
    choice("gov-mmf", "government money-market fund shares"),
    choice(
        "prime-mmf",
        "prime money-market fund shares (may hold private-sector debt)",
    ),
    choice("commercial-paper", "short-term unsecured company debt"),
    choice("corporate-bond", "bonds issued by companies"),
    choice(
        "secured-loan",
        "loans secured by collateral (including crypto-backed loans)",
    ),
    choice("precious-metal", "gold or other precious metals"),
    choice("crypto", "volatile crypto-assets such as bitcoin or ether"),
    choice(
        "stablecoin",
        "another fiat-backed stablecoin, its issuer named in `issuer`; unnamed, it counts as volatile",
    ),
    choice(
        "derivative-hedge",
        "derivative positions that offset the price risk of other reserves (short perpetual futures)",
    ),
    choice(
        "insurance-fund",
        "an insurance or reserve fund set aside to absorb losses",
    ),
    choice(
        "liquidity-pool-token",
        "shares of an on-chain liquidity pool",
    ),
    choice(
        "liquid-staking-token",
        "tokens standing for staked crypto-assets (staked ether)",
    ),
    choice("other", "anything not listed here"),
];
/// The names of the asset classes, in order.
pub const ASSET_CLASSES: &[&str] = &names::<{ ASSET_CLASS_CHOICES.len() }>(ASSET_CLASS_CHOICES);
/// The allowed values of attestation kind fields, each with its definition.
pub(crate) const ATTESTATION_KIND_CHOICES: &[Choice] = &[
    choice(
        "attestation",
        "an accountant's assurance report on figures at a date (e.g. reserves ≥ supply)",
    ),
    choice("audit", "a full audit of financial statements"),
    choice(
        "proof-of-reserves",
        "a cryptographic or on-chain proof of holdings, without an accountant's opinion",
    ),
    choice(
        "controls-report",
        "an assurance report on internal controls (e.g. SOC 1 or SOC 2)",
    ),
];
/// The allowed values of stress scenario fields, each with its definition.
pub(crate) const STRESS_SCENARIO_CHOICES: &[Choice] = &[
    choice("redemption-surge", "a sudden wave of redemptions"),
    choice("bank-loss", "the failure of a bank holding reserves"),
    choice("chain-outage", "a blockchain halting or reorganizing"),
    choice("cyber", "a cyber attack or key compromise"),
    choice("custodian-failure", "the failure of a custodian"),
    choice(
        "market-shock",
        "a sharp fall in the value or liquidity of reserve assets",
    ),
];
