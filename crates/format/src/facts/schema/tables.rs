//! The declaration of format 1: [`TABLES`], every table and its fields in
//! one list, parents before children; the keys every table may carry; the
//! tables whose absence a file may declare; and where a table or a field
//! stands in the declaration, by address.

use super::choices::{
    ASSET_CLASS_CHOICES, ATTESTATION_KIND_CHOICES, ISSUANCE_STATUS_CHOICES, ISSUER_KIND_CHOICES,
    REPO_SIDE_CHOICES, REPORT_FREQUENCY_CHOICES, SCHEDULED_FREQUENCY_CHOICES, STAGE_CHOICES,
    STRESS_SCENARIO_CHOICES, SUPERVISORY_CONCERN_CHOICES,
};
use super::{Field, Kind, Table, Unit, choice};

/// The only format this build reads.
pub const FORMAT: i64 = 1;

/// Every table may carry `source`: a URL or document reference carried into findings.
pub const SOURCE_KEY: &str = "source";

/// Every table may carry `evidence`: what backs its facts, one of
/// [`EVIDENCE_CHOICES`](super::EVIDENCE_CHOICES). Undeclared, a table's
/// facts are the issuer's word.
pub const EVIDENCE_KEY: &str = "evidence";

const fn field(name: &'static str, kind: Kind, doc: &'static str, example: &'static str) -> Field {
    Field {
        name,
        kind,
        required: false,
        doc,
        example,
    }
}

const fn required(
    name: &'static str,
    kind: Kind,
    doc: &'static str,
    example: &'static str,
) -> Field {
    Field {
        name,
        kind,
        required: true,
        doc,
        example,
    }
}

const fn flag(name: &'static str, doc: &'static str) -> Field {
    field(name, Kind::Bool, doc, "true")
}

const USD: Kind = Kind::Number(Unit::Usd);
const PCT: Kind = Kind::Number(Unit::Pct);
const BPS: Kind = Kind::Number(Unit::Bps);
const DAYS: Kind = Kind::Number(Unit::Days);
const HOURS: Kind = Kind::Number(Unit::Hours);
const COUNT: Kind = Kind::Integer(Unit::Count);

/// All tables of format 1, parents before children.
pub static TABLES: &[Table] = &[
    Table {
        path: "",
        repeated: false,
        doc: "The file's format version.",
        fields: &[required(
            "format",
            Kind::Integer(Unit::Count),
            "format version of this file; this build reads 1",
            "1",
        )],
    },
    Table {
        path: "arrangement",
        repeated: false,
        doc: "Who and what this file describes, and on which date.",
        fields: &[
            required(
                "name",
                Kind::Text,
                "display name of the arrangement",
                "\"Example USD1\"",
            ),
            field(
                "issuer",
                Kind::Text,
                "legal entity that issues and redeems",
                "\"Example Trust Company\"",
            ),
            required(
                "as_of",
                Kind::Date,
                "the date these facts describe",
                "2026-09-30",
            ),
            field(
                "stage_claimed",
                Kind::Enum(STAGE_CHOICES),
                "lifecycle stage the arrangement claims",
                "\"broader-access\"",
            ),
            field(
                "website",
                Kind::Text,
                "public website",
                "\"https://example.com\"",
            ),
            field(
                "issuance_status",
                Kind::Enum(ISSUANCE_STATUS_CHOICES),
                "whether new units are being issued; a halted or winding-down arrangement is not growing",
                "\"active\"",
            ),
            field(
                "issuer_country",
                Kind::Text,
                "ISO 3166 code of the country where the issuer is incorporated or formed (regulatory profiles read it to tell a domestic issuer from a foreign one)",
                "\"US\"",
            ),
            field(
                "issuer_kind",
                Kind::Enum(ISSUER_KIND_CHOICES),
                "the kind of institution the issuer is, under the licence it issues under",
                "\"trust-company\"",
            ),
            field(
                "offered_in",
                Kind::CountryList,
                "ISO 3166 codes of the places where units are offered or sold to the public, by the issuer or with its consent (regulatory profiles read it for their scope; `EU` stands for every Member State)",
                "[\"US\"]",
            ),
        ],
    },
    Table {
        path: "supply",
        repeated: false,
        doc: "Visible growth: how large and how widely used the arrangement is.",
        fields: &[
            field(
                "outstanding_usd",
                USD,
                "units outstanding across all chains",
                "1000000000",
            ),
            field(
                "holders_count",
                COUNT,
                "holders with a non-zero balance",
                "250000",
            ),
            field(
                "monthly_transfer_volume_usd",
                USD,
                "on-chain transfer volume in the last month",
                "4000000000",
            ),
            field(
                "countries_served_count",
                COUNT,
                "countries where the arrangement is offered",
                "12",
            ),
            field(
                "largest_holder_share_pct",
                PCT,
                "share of units outstanding held at one address or account, an exchange's wallets included (the issuer's own treasury excluded)",
                "15",
            ),
        ],
    },
    Table {
        path: "redemption",
        repeated: false,
        doc: "Who can turn units back into dollars, on what terms and how fast.",
        fields: &[
            field(
                "eligible",
                Kind::Enum(&[
                    choice(
                        "anyone",
                        "any holder may redeem with the issuer, without prior onboarding",
                    ),
                    choice(
                        "verified-holders",
                        "any holder who passes the issuer's identity checks (KYC) may redeem",
                    ),
                    choice(
                        "direct-customers",
                        "only holders with an existing account at the issuer may redeem",
                    ),
                    choice(
                        "partners-only",
                        "only selected institutions (distributors, market makers) may redeem",
                    ),
                    choice("none", "no holder can redeem with the issuer"),
                ]),
                "who can redeem with the issuer",
                "\"verified-holders\"",
            ),
            field(
                "holder_claim",
                Kind::Enum(&[
                    choice(
                        "direct-claim-on-issuer",
                        "the holder has a legal claim against the issuer itself",
                    ),
                    choice(
                        "claim-on-reserve-trust",
                        "the holder is a beneficiary of a trust that holds the reserves",
                    ),
                    choice(
                        "via-intermediary",
                        "the holder's claim runs through the platform or bank that sold it the units",
                    ),
                    choice("none", "the terms give the holder no legal claim"),
                ]),
                "the legal claim a holder has",
                "\"direct-claim-on-issuer\"",
            ),
            field(
                "at_par",
                Kind::Bool,
                "redeemed at exactly 1 USD per unit",
                "true",
            ),
            field("fee_bps", BPS, "redemption fee in basis points", "0"),
            field("minimum_usd", USD, "smallest redemption accepted", "100"),
            field(
                "availability",
                Kind::Enum(&[
                    choice("24x7", "requests are accepted at any hour, every day"),
                    choice(
                        "business-days",
                        "requests are accepted on business days, within cut-off times",
                    ),
                    choice("windows", "requests are accepted only in announced windows"),
                    choice("suspended", "redemption is currently suspended"),
                ]),
                "when redemption requests are accepted",
                "\"business-days\"",
            ),
            field(
                "settlement_days",
                DAYS,
                "stated business days from a valid request to dollars delivered",
                "1",
            ),
            field(
                "observed_settlement_days_p95",
                DAYS,
                "measured 95th-percentile settlement time over the last period",
                "1",
            ),
            flag(
                "policy_published",
                "a plain-language redemption policy is public",
            ),
            flag("fee_schedule_published", "the fee schedule is public"),
            flag(
                "price_vs_redemption_explained",
                "market price and redemption value are explained apart",
            ),
            flag(
                "edge_cases_disclosed",
                "what can delay or refuse a redemption is stated up front",
            ),
            flag(
                "dispute_process_published",
                "how redemption disputes are handled is public",
            ),
            flag(
                "stress_prioritization_published",
                "how redemptions are handled when demand spikes is public",
            ),
            field(
                "cash_out_routes_count",
                COUNT,
                "independent routes from units to bank dollars",
                "3",
            ),
            flag(
                "time_to_cash_disclosed",
                "time-to-cash is stated for each route",
            ),
        ],
    },
    Table {
        path: "redemption.channel",
        repeated: true,
        doc: "One way a holder can turn units into dollars or their equivalent, with the issuer or without it.",
        fields: &[
            required(
                "kind",
                Kind::Enum(&[
                    choice(
                        "issuer-fiat",
                        "the issuer pays dollars to the holder's bank account",
                    ),
                    choice(
                        "onchain-redeem",
                        "a smart contract takes units back and pays out collateral at a stated rate",
                    ),
                    choice(
                        "onchain-swap",
                        "a protocol module swaps units for another stablecoin at a stated rate",
                    ),
                    choice(
                        "intermediary",
                        "an exchange, bank or distributor buys units back when it chooses; nothing obliges it to do so",
                    ),
                ]),
                "how units are redeemed through this channel",
                "\"onchain-redeem\"",
            ),
            field(
                "name",
                Kind::Text,
                "the channel's name (a contract, module or firm)",
                "\"Example redeem module\"",
            ),
            field(
                "at_par",
                Kind::Bool,
                "a unit is taken at exactly 1 USD, less any stated fee",
                "true",
            ),
            field(
                "permissionless",
                Kind::Bool,
                "any holder can use it without onboarding",
                "true",
            ),
            field(
                "daily_limit_usd",
                USD,
                "the most that can be redeemed through it per day (a per-block limit times blocks per day)",
                "10000000",
            ),
            field(
                "pays_in_kind",
                Kind::Bool,
                "true when the channel pays a redemption out of the on-chain collateral itself (ether at its market price, another stablecoin one for one), so no asset must be sold for dollars to pay it",
                "false",
            ),
        ],
    },
    Table {
        path: "reserves",
        repeated: false,
        doc: "What backs the units, how it is held and how it would be sold.",
        fields: &[
            field(
                "as_of",
                Kind::Date,
                "date of the reserve figures",
                "2026-09-30",
            ),
            field("total_usd", USD, "total reserve value", "1010000000"),
            flag(
                "policy_published",
                "permitted and excluded assets and maturity rules are public",
            ),
            flag(
                "segregated",
                "reserves are kept apart from the issuer's own assets",
            ),
            field(
                "legal_structure",
                Kind::Enum(&[
                    choice(
                        "bankruptcy-remote-trust",
                        "reserves sit in a trust or vehicle kept out of the issuer's insolvency",
                    ),
                    choice(
                        "segregated-for-holders",
                        "reserves are segregated and held by law for holders, outside the issuer's estate",
                    ),
                    choice(
                        "issuer-balance-sheet",
                        "reserves are the issuer's own assets; holders rank as its creditors",
                    ),
                    choice(
                        "undisclosed",
                        "the issuer does not say how reserves are held in law",
                    ),
                    choice(
                        "smart-contract",
                        "collateral is locked in smart contracts that release it only as their code says; no legal entity holds it for holders",
                    ),
                ]),
                "how the reserves are held in law",
                "\"segregated-for-holders\"",
            ),
            flag(
                "rehypothecation_prohibited",
                "reserves are not pledged, lent or reused",
            ),
            flag(
                "daily_coverage_check",
                "reserves ≥ outstanding is checked every business day",
            ),
            field(
                "weighted_avg_maturity_days",
                DAYS,
                "weighted average maturity of reserve assets",
                "20",
            ),
            field(
                "yield_paid_to_holders",
                Kind::Bool,
                "holders receive interest or yield on units",
                "false",
            ),
            flag(
                "liquidity_plan_published",
                "a liquidity plan for redemption waves is public",
            ),
            flag(
                "liquidity_plan_tested",
                "the liquidity plan has been tested",
            ),
            flag(
                "sale_order_defined",
                "which assets are sold first in a redemption wave is defined",
            ),
            flag(
                "bank_disruption_plan",
                "what happens when a bank is closed, delayed or restricted is planned",
            ),
        ],
    },
    Table {
        path: "reserves.asset",
        repeated: true,
        doc: "One reserve asset class and its share of the reserves (shares, when every entry gives one, sum to 100).",
        fields: &[
            required(
                "class",
                Kind::Enum(ASSET_CLASS_CHOICES),
                "asset class",
                "\"tbill\"",
            ),
            field(
                "share_pct",
                PCT,
                "share of total reserves; leave it out when no split is published (the figures built on shares are then unknown)",
                "100",
            ),
            field(
                "issuer",
                Kind::Text,
                "for class stablecoin: who issues that stablecoin",
                "\"Example Trust Company\"",
            ),
            field(
                "max_maturity_days",
                DAYS,
                "longest remaining maturity in this class",
                "90",
            ),
            field(
                "custody_country",
                Kind::Text,
                "ISO 3166 code of the country where it is held",
                "\"US\"",
            ),
            field(
                "maturity_at_purchase_days",
                DAYS,
                "for Treasury bills, notes and bonds: the longest time to maturity any of them had when the issuer acquired it",
                "90",
            ),
            field(
                "insured_depository",
                Kind::Bool,
                "for bank deposits: every bank holding them is an insured depository institution (a US bank or credit union whose deposits the FDIC or NCUA insures)",
                "true",
            ),
            field(
                "repo_side",
                Kind::Enum(REPO_SIDE_CHOICES),
                "for repurchase agreements: the issuer's side of the agreement; absent, the class's own definition holds (`overnight-repo` and `term-repo` are reverse repos)",
                "\"purchaser\"",
            ),
        ],
    },
    Table {
        path: "reserves.custodian",
        repeated: true,
        doc: "One bank or custodian holding reserves (shares sum to at most 100).",
        fields: &[
            required(
                "name",
                Kind::Text,
                "custodian's name",
                "\"Example Custody Bank\"",
            ),
            field(
                "kind",
                Kind::Enum(&[
                    choice("bank", "a licensed commercial bank"),
                    choice("trust-company", "a chartered trust company"),
                    choice("custodian", "a specialist custodian that is not a bank"),
                    choice("broker-dealer", "a registered broker-dealer"),
                    choice("mmf-manager", "the manager of a money-market fund"),
                    choice(
                        "smart-contract",
                        "smart contracts hold this share on chain, where anyone can see it at any time",
                    ),
                    choice("other", "any other kind of institution"),
                ]),
                "kind of institution",
                "\"bank\"",
            ),
            field("share_pct", PCT, "share of total reserves held here", "100"),
            field(
                "regulated",
                Kind::Bool,
                "the custodian is prudentially regulated",
                "true",
            ),
            field(
                "country",
                Kind::Text,
                "ISO 3166 code of its home country",
                "\"US\"",
            ),
        ],
    },
    Table {
        path: "chain",
        repeated: true,
        doc: "One blockchain the units live on.",
        fields: &[
            required(
                "name",
                Kind::Text,
                "chain name, unique in the file",
                "\"ethereum\"",
            ),
            field("supply_usd", USD, "units on this chain", "1000000000"),
            field(
                "issuance",
                Kind::Enum(&[
                    choice("native", "minted on this chain by the issuer"),
                    choice(
                        "bridged",
                        "locked on another chain and minted here by a bridge",
                    ),
                    choice(
                        "wrapped",
                        "held by a third party that issues its own token for it here",
                    ),
                ]),
                "how units come to exist on this chain",
                "\"native\"",
            ),
            field(
                "bridge",
                Kind::Text,
                "the bridge, where not native",
                "\"none\"",
            ),
            field(
                "bridge_audited",
                Kind::Bool,
                "the bridge's code has been independently audited",
                "true",
            ),
            field(
                "same_claim_as_primary",
                Kind::Bool,
                "a unit here is the same redeemable claim as a native one",
                "true",
            ),
            field(
                "directly_redeemable",
                Kind::Bool,
                "units here can be redeemed with the issuer directly",
                "true",
            ),
            flag(
                "finality_documented",
                "when a transfer is treated as final is documented",
            ),
            field(
                "confirmations_for_finality",
                COUNT,
                "confirmations before a transfer is treated as final",
                "12",
            ),
            flag("monitored", "the issuer monitors this chain continuously"),
            flag(
                "pause_reorg_policy",
                "what happens when the chain halts or reorganizes is documented",
            ),
        ],
    },
    Table {
        path: "attestation",
        repeated: true,
        doc: "One independent report on reserves, supply or controls.",
        fields: &[
            required(
                "kind",
                Kind::Enum(ATTESTATION_KIND_CHOICES),
                "kind of report",
                "\"attestation\"",
            ),
            field(
                "firm",
                Kind::Text,
                "who performed it",
                "\"Example & Co LLP\"",
            ),
            field(
                "standard",
                Kind::Text,
                "the standard followed",
                "\"AICPA AT-C 205\"",
            ),
            field(
                "period_end",
                Kind::Date,
                "the date or period end it covers",
                "2026-08-31",
            ),
            field(
                "published",
                Kind::Date,
                "the date it was made public; with neither this nor period_end the report counts as existing but never as recent",
                "2026-09-20",
            ),
            field(
                "scope",
                Kind::EnumList(&[
                    choice("reserves", "the reserve assets"),
                    choice("supply", "the units outstanding"),
                    choice("controls", "internal controls"),
                    choice("liabilities", "the issuer's liabilities to holders"),
                ]),
                "what it covers",
                "[\"reserves\", \"supply\"]",
            ),
            field(
                "opinion",
                Kind::Enum(&[
                    choice(
                        "unqualified",
                        "a clean opinion: the figures are fairly stated",
                    ),
                    choice("qualified", "fairly stated except for stated matters"),
                    choice("adverse", "the figures are not fairly stated"),
                    choice("disclaimer", "the firm could not form an opinion"),
                ]),
                "the opinion given",
                "\"unqualified\"",
            ),
            field(
                "registered_firm",
                Kind::Bool,
                "the firm is registered with the public-company accounting regulator",
                "true",
            ),
            field(
                "independent",
                Kind::Bool,
                "the firm is independent of the issuer and its custodians under the auditing standards of its own jurisdiction; false for a report the issuer or a related party wrote",
                "true",
            ),
        ],
    },
    Table {
        path: "transparency",
        repeated: false,
        doc: "What is published about reserves, supply and controls, and how often.",
        fields: &[
            field(
                "reserve_report_frequency",
                Kind::Enum(REPORT_FREQUENCY_CHOICES),
                "how often reserve composition is published",
                "\"monthly\"",
            ),
            flag(
                "reserve_report_plain_language",
                "reserve reports explain categories in plain language",
            ),
            flag(
                "reports_average_tenor",
                "reserve reports give the average tenor of assets",
            ),
            flag(
                "reports_custody_location",
                "reserve reports say where assets are held",
            ),
            flag("custodians_named", "custodians are named publicly"),
            flag(
                "attestation_scope_explained",
                "what an attestation covers and does not cover is explained",
            ),
            flag(
                "supply_reported_per_chain",
                "supply is reported for each chain",
            ),
            flag(
                "supply_reconciled_to_reserves",
                "supply is reconciled against reserves in public reports",
            ),
            flag(
                "key_controls_described",
                "how mint, burn and freeze keys are protected is described",
            ),
            flag(
                "proof_limits_explained",
                "what any proof-of-reserves does and does not prove is explained",
            ),
            flag(
                "management_certification",
                "officers certify each reserve report",
            ),
            field(
                "attestations_none_published",
                Kind::Bool,
                "true: no attestation or audit report is public (the issuer says so, or none can be found); leave it out when unknown",
                "false",
            ),
        ],
    },
    Table {
        path: "compliance",
        repeated: false,
        doc: "Financial-crime controls, geography and the compliance model.",
        fields: &[
            flag(
                "roles_published",
                "who performs each compliance role is published",
            ),
            flag(
                "risk_based_controls_explained",
                "the logic of risk-based controls is explained",
            ),
            flag(
                "false_positive_handling",
                "how innocent activity that was flagged is handled is explained",
            ),
            flag(
                "travel_rule",
                "travel-rule information is exchanged for qualifying transfers",
            ),
            flag("sanctions_screening", "sanctions screening is performed"),
            flag(
                "lawful_order_capability",
                "units can be frozen, blocked or burned on a lawful order",
            ),
            flag(
                "service_limits_published",
                "where the service is and is not offered is published",
            ),
            flag(
                "cross_border_coordination",
                "screening is coordinated across providers and borders",
            ),
            flag(
                "currency_substitution_acknowledged",
                "currency-substitution concerns are acknowledged",
            ),
            flag(
                "market_integrity_controls",
                "controls against manipulation and conflicts exist",
            ),
            field(
                "jurisdictions_served",
                Kind::CountryList,
                "ISO 3166 codes where the service is offered",
                "[\"US\", \"US-NY\"]",
            ),
            field(
                "jurisdictions_excluded",
                Kind::CountryList,
                "ISO 3166 codes where it is not offered",
                "[\"KP\", \"IR\"]",
            ),
        ],
    },
    Table {
        path: "compliance.roles",
        repeated: false,
        doc: "The entity that performs each compliance role.",
        fields: &[
            field(
                "kyc",
                Kind::Text,
                "who verifies customer identity",
                "\"Example Trust Company\"",
            ),
            field(
                "aml",
                Kind::Text,
                "who runs the anti-money-laundering programme",
                "\"Example Trust Company\"",
            ),
            field(
                "transaction_monitoring",
                Kind::Text,
                "who monitors transactions",
                "\"Example Trust Company\"",
            ),
            field(
                "sanctions_screening",
                Kind::Text,
                "who screens against sanctions lists",
                "\"Example Trust Company\"",
            ),
            field(
                "reporting",
                Kind::Text,
                "who reports to and cooperates with authorities",
                "\"Example Trust Company\"",
            ),
        ],
    },
    Table {
        path: "compliance.license",
        repeated: true,
        doc: "One licence, charter or exemption.",
        fields: &[
            required(
                "regime",
                Kind::Text,
                "the regime, e.g. NYDFS-trust, US-federal, US-state, MiCA-EMI, MiCA-credit-institution",
                "\"NYDFS-trust\"",
            ),
            field(
                "jurisdiction",
                Kind::Text,
                "ISO 3166 code of the jurisdiction",
                "\"US-NY\"",
            ),
            field(
                "status",
                Kind::Enum(&[
                    choice("granted", "the licence or registration is held"),
                    choice("applied", "an application is pending"),
                    choice("exempt", "the activity is exempt from licensing there"),
                    choice("none", "no licence is held or sought"),
                ]),
                "where the licence stands",
                "\"granted\"",
            ),
            field(
                "entity",
                Kind::Text,
                "the entity that holds it",
                "\"Example Trust Company\"",
            ),
        ],
    },
    Table {
        path: "governance",
        repeated: false,
        doc: "Who decides, who is accountable, and how contracts change.",
        fields: &[
            field(
                "accountable_entity",
                Kind::Text,
                "the entity accountable for the arrangement as a whole",
                "\"Example Trust Company\"",
            ),
            flag("decision_rights_published", "who decides what is published"),
            flag(
                "providers_mapped",
                "every interdependent function and who performs it is mapped",
            ),
            flag("conflicts_policy", "a conflicts-of-interest policy exists"),
            field(
                "largest_voter_share_pct",
                PCT,
                "share of governance votes (tokens or seats) that one party or one team controls",
                "20",
            ),
            field(
                "upgrade_control",
                Kind::Enum(&[
                    choice(
                        "multisig-timelock",
                        "several signers must approve, and changes wait out a public delay",
                    ),
                    choice("multisig", "several signers must approve, with no delay"),
                    choice("single-admin", "one key can change the contract"),
                    choice("immutable", "the contract cannot be changed"),
                    choice("undisclosed", "who can upgrade is not stated"),
                ]),
                "who can upgrade the token contract, and how",
                "\"multisig-timelock\"",
            ),
            field(
                "upgrade_delay_hours",
                HOURS,
                "delay between an approved upgrade and its effect",
                "48",
            ),
        ],
    },
    Table {
        path: "governance.provider",
        repeated: true,
        doc: "One service provider the arrangement depends on.",
        fields: &[
            required(
                "role",
                Kind::Enum(&[
                    choice("bank", "holds cash or provides payment services"),
                    choice("custodian", "holds reserve assets"),
                    choice("exchange", "lists or distributes the units"),
                    choice("technology", "runs infrastructure or software"),
                    choice("auditor", "provides assurance reports"),
                    choice(
                        "liquidity",
                        "makes markets or provides redemption liquidity",
                    ),
                    choice("compliance", "provides screening or monitoring"),
                    choice("other", "any other service"),
                ]),
                "what it does",
                "\"bank\"",
            ),
            field("name", Kind::Text, "its name", "\"Example Custody Bank\""),
            field(
                "critical",
                Kind::Bool,
                "the arrangement stops working without it",
                "true",
            ),
            field(
                "backup",
                Kind::Bool,
                "a backup provider is in place",
                "true",
            ),
        ],
    },
    Table {
        path: "security",
        repeated: false,
        doc: "Contract reviews, key management and freeze controls.",
        fields: &[
            flag("bug_bounty", "a public bug bounty runs"),
            field(
                "bug_bounty_max_usd",
                USD,
                "largest bug-bounty reward",
                "1000000",
            ),
            flag(
                "separation_of_duties",
                "no single person can perform all sensitive actions",
            ),
            flag(
                "key_compromise_plan",
                "a plan for lost, compromised or misused keys exists",
            ),
            flag("freeze_capability", "units can be frozen"),
            flag(
                "freeze_policy_published",
                "when and under whose authority units are frozen is published",
            ),
            flag(
                "freeze_recourse_published",
                "recourse for a mistaken freeze is published",
            ),
            flag(
                "contracts_verified",
                "deployed contract source is verified on chain explorers",
            ),
            field(
                "mint_key_control",
                Kind::Enum(&[
                    choice(
                        "multisig-hsm",
                        "several approvals, with keys in hardware security modules",
                    ),
                    choice(
                        "multisig",
                        "several approvals, keys not stated to be in hardware",
                    ),
                    choice("hsm", "one key, held in a hardware security module"),
                    choice("single-key", "one key, not in a hardware module"),
                    choice("undisclosed", "how the key is controlled is not stated"),
                ]),
                "how the key that mints is controlled",
                "\"multisig-hsm\"",
            ),
            field("signers_required", COUNT, "approvals needed to mint", "3"),
            field(
                "signers_total",
                COUNT,
                "signers who hold a share of the mint key",
                "5",
            ),
            field(
                "last_contract_change",
                Kind::Date,
                "date the token contract last changed",
                "2026-03-01",
            ),
            field(
                "reviews_none_published",
                Kind::Bool,
                "true: no independent security review is public; leave it out when unknown",
                "false",
            ),
        ],
    },
    Table {
        path: "security.review",
        repeated: true,
        doc: "One independent security review.",
        fields: &[
            field(
                "firm",
                Kind::Text,
                "who performed it",
                "\"Example Security GmbH\"",
            ),
            field(
                "date",
                Kind::Date,
                "date of the report; left out when it cannot be found, the review counts as existing but never as recent",
                "2026-03-15",
            ),
            field(
                "scope",
                Kind::EnumList(&[
                    choice("token-contract", "the token's smart contract"),
                    choice("bridge", "a bridge or cross-chain mechanism"),
                    choice("key-management", "how keys are generated, stored and used"),
                    choice(
                        "infrastructure",
                        "servers, networks and operational systems",
                    ),
                ]),
                "what it covered",
                "[\"token-contract\", \"key-management\"]",
            ),
            flag("published", "the report or a summary is public"),
            flag("findings_resolved", "its findings were resolved"),
        ],
    },
    Table {
        path: "operations",
        repeated: false,
        doc: "Workflows, monitoring and integration.",
        fields: &[
            flag(
                "workflows_documented",
                "buy, send and redeem workflows are documented",
            ),
            flag("cutoff_times_published", "cut-off times are published"),
            flag("support_channels", "support channels are published"),
            flag(
                "escalation_path",
                "an escalation path during incidents is published",
            ),
            flag(
                "onchain_monitoring",
                "on-chain activity is monitored with alerting",
            ),
            flag(
                "offchain_monitoring",
                "banking operations and settlement are monitored with alerting",
            ),
            flag("api", "an API is offered to businesses"),
            flag("webhooks", "webhook notifications are offered"),
            flag(
                "accounting_exports",
                "records that reconcile to invoices can be exported",
            ),
            field(
                "reconciliation_frequency",
                Kind::Enum(&[
                    choice("realtime", "continuously, as transactions happen"),
                    choice("daily", "every day"),
                    choice("weekly", "every week"),
                    choice("monthly", "every month"),
                    choice("none", "not reconciled on a schedule"),
                ]),
                "how often supply, reserves and bank records are reconciled",
                "\"daily\"",
            ),
            field(
                "uptime_pct_90d",
                PCT,
                "availability of core services over 90 days",
                "99.95",
            ),
        ],
    },
    Table {
        path: "market",
        repeated: false,
        doc: "Secondary-market liquidity and integrity.",
        fields: &[
            field(
                "venues_count",
                COUNT,
                "trading venues listing the units",
                "15",
            ),
            field(
                "single_venue_share_pct",
                PCT,
                "largest venue's share of trading volume",
                "30",
            ),
            flag(
                "market_makers_disclosed",
                "market-making arrangements are disclosed",
            ),
            field(
                "peg_max_deviation_bps_90d",
                BPS,
                "largest deviation from 1 USD over 90 days",
                "20",
            ),
            field(
                "peg_max_deviation_bps_stress",
                BPS,
                "largest deviation from 1 USD during the last stress episode",
                "80",
            ),
            flag(
                "listing_policy_published",
                "listing and delisting criteria are published",
            ),
            flag("venue_surveillance", "venues run market surveillance"),
            flag(
                "wash_trading_policy",
                "a policy against wash trading is published",
            ),
        ],
    },
    Table {
        path: "supervisory_event",
        repeated: true,
        doc: "One public action of a supervisor or court against the arrangement: an order, an enforcement action, a withdrawn licence or a warning.",
        fields: &[
            required(
                "date",
                Kind::Date,
                "the date the action was taken or published",
                "2026-02-13",
            ),
            required(
                "kind",
                Kind::Enum(&[
                    choice(
                        "order",
                        "a binding order, such as to stop issuing or to cease an activity",
                    ),
                    choice(
                        "enforcement",
                        "an enforcement action, fine or settlement for a breach",
                    ),
                    choice(
                        "licence-withdrawn",
                        "a licence, charter or registration withdrawn or suspended",
                    ),
                    choice(
                        "warning",
                        "a public warning or notice, without binding effect",
                    ),
                ]),
                "what the action was",
                "\"order\"",
            ),
            field(
                "authority",
                Kind::Text,
                "the supervisor or court that acted",
                "\"Example State Financial Regulator\"",
            ),
            field(
                "summary",
                Kind::Text,
                "what it required or found, in one line",
                "\"ordered the issuer to stop minting new units\"",
            ),
            field(
                "concerns",
                Kind::EnumList(SUPERVISORY_CONCERN_CHOICES),
                "what the action found or required",
                "[\"issuance\"]",
            ),
        ],
    },
    Table {
        path: "resilience",
        repeated: false,
        doc: "Incidents, stress, emergency powers, communication and wind-down.",
        fields: &[
            flag(
                "incident_plan_published",
                "an incident response plan is published",
            ),
            flag(
                "post_incident_reports",
                "post-incident reports are published",
            ),
            flag(
                "emergency_actions_documented",
                "which emergency actions exist is documented",
            ),
            flag(
                "emergency_authority_published",
                "who can authorize emergency actions is published",
            ),
            flag(
                "emergency_checks",
                "checks prevent misuse of emergency powers",
            ),
            flag(
                "resumption_process",
                "how normal operations resume is documented",
            ),
            flag("status_page", "a public status page exists"),
            flag(
                "business_continuity_tested",
                "business continuity has been tested",
            ),
            flag("recovery_plan", "a recovery plan exists"),
            flag("wind_down_plan_published", "a wind-down plan is published"),
            flag(
                "wind_down_covers_all_chains",
                "the wind-down plan covers units on every chain",
            ),
            flag(
                "wind_down_disputes",
                "the wind-down plan says how open disputes are handled",
            ),
            field(
                "stress_scenarios",
                Kind::EnumList(STRESS_SCENARIO_CHOICES),
                "stress scenarios tested",
                "[\"redemption-surge\", \"bank-loss\", \"chain-outage\", \"cyber\"]",
            ),
            field(
                "stress_test_frequency",
                Kind::Enum(SCHEDULED_FREQUENCY_CHOICES),
                "how often stress tests run",
                "\"quarterly\"",
            ),
            field(
                "wind_down_redemption_days",
                DAYS,
                "days redemption stays open after issuance stops",
                "180",
            ),
        ],
    },
];

/// Arrays of tables whose absence a file may declare, and the flag that
/// declares it: with the flag `true` and no entry, the table is known to be
/// empty (its count is 0, not unknown).
pub(crate) const DECLARED_NONE: &[(TableAt, FactAt)] = &[
    (
        TableAt::of("attestation"),
        FactAt::of("transparency.attestations_none_published"),
    ),
    (
        TableAt::of("security.review"),
        FactAt::of("security.reviews_none_published"),
    ),
];

/// A table's place in the schema, found when the program is compiled: code
/// writes it with [`crate::table!`] (`table!("reserves.asset")`), and a path
/// the schema does not have stops the build. Stored facts are reached by its
/// position, without comparing names or addresses.
#[derive(Debug, Clone, Copy)]
pub struct TableAt {
    /// The table.
    pub table: &'static Table,
    /// Its position in [`TABLES`].
    pub(crate) index: usize,
}

impl TableAt {
    /// The table at `path`; evaluated at compile time (through `table!`),
    /// it fails the build for a path the schema does not have.
    // A panic here is a build error naming the path; code never calls it
    // with a path from a file (those go through `schema::resolve`).
    #[allow(clippy::panic, clippy::indexing_slicing)]
    pub const fn of(path: &str) -> TableAt {
        let index = table_index(path.as_bytes());
        TableAt {
            table: &TABLES[index],
            index,
        }
    }
}

/// A table of [`TABLES`] (as the schema and resolved rubric paths give
/// them), at its position.
impl From<&'static Table> for TableAt {
    fn from(table: &'static Table) -> Self {
        TableAt {
            table,
            index: table.position(),
        }
    }
}

/// A fact's place in the schema — its table and field — found when the
/// program is compiled: code writes it with [`crate::fact!`]
/// (`fact!("supply.outstanding_usd")`, `fact!("reserves.asset[].share_pct")`),
/// and a path the schema does not have stops the build, so a misspelt lookup
/// cannot read as "not disclosed".
#[derive(Debug, Clone, Copy)]
pub struct FactAt {
    /// The table the fact belongs to.
    pub table: TableAt,
    /// The field.
    pub field: &'static Field,
    /// The field's position in its table's fields.
    pub(crate) index: usize,
}

impl FactAt {
    /// The fact at `path`, as docs write it (`table.field`, or
    /// `table[].field` for a field of each entry of an array of tables);
    /// evaluated at compile time, it fails the build for a path the schema
    /// does not have.
    // As `TableAt::of`: a panic is a build error.
    #[allow(clippy::panic, clippy::indexing_slicing)]
    pub const fn of(path: &str) -> FactAt {
        let bytes = path.as_bytes();
        let mut dot = bytes.len();
        let mut i = bytes.len();
        while i > 0 {
            i -= 1;
            if bytes[i] == b'.' {
                dot = i;
                break;
            }
        }
        if dot == bytes.len() {
            panic!("a fact path is `table.field` or `table[].field`");
        }
        let (table, field) = bytes.split_at(dot);
        let (_, field) = field.split_at(1);
        let each =
            table.len() >= 2 && table[table.len() - 2] == b'[' && table[table.len() - 1] == b']';
        let table = if each {
            table.split_at(table.len() - 2).0
        } else {
            table
        };
        let t = table_index(table);
        let at = &TABLES[t];
        if at.repeated != each {
            panic!(
                "a field of an array of tables is written `table[].field`, of a plain table `table.field`"
            );
        }
        let mut j = 0;
        while j < at.fields.len() {
            if same_bytes(at.fields[j].name.as_bytes(), field) {
                return FactAt {
                    table: TableAt {
                        table: at,
                        index: t,
                    },
                    field: &at.fields[j],
                    index: j,
                };
            }
            j += 1;
        }
        panic!("the schema has no such field");
    }
}

/// The position in [`TABLES`] of the table at `path`; at compile time, a
/// build error for a path the schema does not have.
#[allow(clippy::panic, clippy::indexing_slicing)]
const fn table_index(path: &[u8]) -> usize {
    let mut i = 0;
    while i < TABLES.len() {
        if same_bytes(TABLES[i].path.as_bytes(), path) {
            return i;
        }
        i += 1;
    }
    panic!("the schema has no such table");
}

/// Byte-wise equality, for the compile-time lookups.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl Table {
    /// This table's position in [`TABLES`], where every table lives: stored
    /// facts are reached by position, without comparing names.
    pub fn position(&'static self) -> usize {
        let position = position_in(TABLES, self);
        assert!(
            position < TABLES.len(),
            "[{}] is not a table of the schema",
            self.path
        );
        position
    }

    /// The position of one of this table's fields in [`Table::fields`].
    pub(crate) fn field_position(&'static self, field: &'static Field) -> usize {
        let position = position_in(self.fields, field);
        assert!(
            position < self.fields.len(),
            "`{}` is not a field of [{}]",
            field.name,
            self.path
        );
        position
    }
}

/// Where `item` stands in `items`, found from its address (so a lookup costs
/// a subtraction); `items.len()` or more when it is not an element.
fn position_in<T>(items: &'static [T], item: &'static T) -> usize {
    let offset = (std::ptr::from_ref(item) as usize).wrapping_sub(items.as_ptr() as usize);
    let position = offset / size_of::<T>().max(1);
    if items
        .get(position)
        .is_some_and(|candidate| std::ptr::eq(candidate, item))
    {
        position
    } else {
        usize::MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::schema::table;

    /// Words a definition cannot end on: one that does was cut off
    /// ("it is not bound to").
    const DANGLING: &[&str] = &[
        "a", "an", "the", "to", "of", "and", "or", "but", "nor", "for", "with", "by", "in", "on",
        "at", "from", "as", "than", "that", "which", "who", "whose", "its", "their", "is", "are",
        "be", "not", "if", "when", "while", "because", "into", "per",
    ];

    /// Every definition is whole: it ends on a full stop or on a word that can
    /// end a phrase, never on one that asks for more.
    #[test]
    fn definitions_are_whole() {
        let mut texts: Vec<(String, &str)> = Vec::new();
        for t in TABLES {
            texts.push((format!("table {}", t.path), t.doc));
            for f in t.fields {
                texts.push((format!("{}.{}", t.path, f.name), f.doc));
                for c in f.kind.choices() {
                    texts.push((format!("{}.{} = {}", t.path, f.name, c.name), c.doc));
                }
            }
        }
        for d in crate::facts::derived::DERIVED {
            texts.push((format!("derived.{}", d.name), d.formula));
        }
        let cut: Vec<String> = texts
            .iter()
            .filter(|(_, text)| {
                let text = text.trim();
                let last = text
                    .rsplit(|c: char| c.is_whitespace())
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                text.is_empty() || (!text.ends_with('.') && DANGLING.contains(&last.as_str()))
            })
            .map(|(what, text)| format!("{what}: {text:?}"))
            .collect();
        assert!(cut.is_empty(), "definitions cut off:\n{}", cut.join("\n"));
    }

    #[test]
    fn every_table_and_field_knows_its_position() {
        for (i, table) in TABLES.iter().enumerate() {
            assert_eq!(table.position(), i, "[{}]", table.path);
            for (j, field) in table.fields.iter().enumerate() {
                assert_eq!(table.field_position(field), j, "{}", field.name);
            }
        }
        // A field of another table is not taken for one of this table's.
        let (reserves, chain) = (table("reserves").unwrap(), table("chain").unwrap());
        let outside = std::panic::catch_unwind(|| reserves.field_position(&chain.fields[0]));
        assert!(outside.is_err());
    }

    #[test]
    fn examples_are_given_for_every_field() {
        for t in TABLES {
            for f in t.fields {
                assert!(!f.example.is_empty(), "{}.{}", t.path, f.name);
                assert!(!f.doc.is_empty(), "{}.{}", t.path, f.name);
            }
        }
    }
}
