//! Stress scenarios as data: TOML files, built in (rubrics/scenarios/ID.toml)
//! or given with `--scenario PATH`, read as strictly as a rubric: every
//! unknown key at once with a "did you mean", every bad value located.

use crate::facts::schema::{Quantity, Unit};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;

use crate::facts::schema::{self, ASSET_CLASSES, Kind, quote_list};
use crate::source::{Code, Diagnostic, SourceFile, sort_diagnostics};
use crate::table::{At, Reader, Table, read_file};
use crate::text::did_you_mean;

/// Declares the built-in scenarios by id: each is rubrics/scenarios/ID.toml.
macro_rules! builtin {
    ($($id:literal),* $(,)?) => {
        &[$(($id, include_str!(concat!("../../../../rubrics/scenarios/", $id, ".toml")))),*]
    };
}

/// The built-in scenarios, by id (the ids are a contract), in report order.
pub static BUILTIN: &[(&str, &str)] = builtin!(
    "run-30-5",
    "bank-failure",
    "bank-failure-rescued",
    "svb-2023",
    "market-shock",
    "rate-shock",
    "chain-outage",
    "run-may-2022",
    "run-march-2023",
    "wind-down-2023",
);

/// The built-in replays of runs of record: a rubric caps an arrangement that
/// cannot pay holders through one of them.
pub const RUNS_OF_RECORD: &[&str] = &["run-may-2022", "run-march-2023", "wind-down-2023"];

/// The ids of the built-in scenarios.
pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(id, _)| *id)
}

/// The built-in scenarios, parsed once. A test proves each one parses.
pub fn builtin_scenarios() -> &'static [Scenario] {
    static PARSED: LazyLock<Vec<Scenario>> = LazyLock::new(|| {
        BUILTIN
            .iter()
            .filter_map(|(id, text)| parse_scenario(&builtin_source(id, text), id).ok())
            .collect()
    });
    &PARSED
}

fn builtin_source(id: &str, text: &str) -> SourceFile {
    SourceFile::new(format!("rubrics/scenarios/{id}.toml"), text)
}

/// One stress scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The built-in id, or the file's name without `.toml`.
    pub id: String,
    /// The scenario's title, as reports show it.
    pub title: String,
    /// What it replays and where its figures come from.
    pub description: String,
    /// Redemption requests per business day, as a share (%) of the units
    /// outstanding at the start.
    pub redemptions_pct: Vec<f64>,
    /// Custodians whose assets are frozen, and for how long.
    pub freezes: Vec<Freeze>,
    /// Fall in market value by asset class, in %.
    pub price_shock_pct: BTreeMap<String, f64>,
    /// Rise in yields, in basis points, applied through each asset's maturity.
    pub rate_shock_bps: f64,
    /// Marks every asset class down by the loss model's crisis haircut
    /// (`rubrics/loss.toml`), once; `price_shock_pct` overrides a class.
    pub market_shock: bool,
    /// Chains that are down, and for how long.
    pub outages: Vec<Outage>,
    /// Stablecoins held as reserves that trade below par for a while.
    pub reprices: Vec<Reprice>,
    /// The weekday the replay starts on: redemptions are then given per
    /// calendar day, and those asked on a Saturday or Sunday fall on the next
    /// business day. None for a hypothetical, whose days are business days.
    pub start: Option<chrono::NaiveDate>,
}

/// Another issuer's stablecoin, held as a reserve asset, priced below par
/// for some business days (the price comes back afterwards: nothing is lost
/// unless it is sold meanwhile).
#[derive(Debug, Clone, PartialEq)]
pub struct Reprice {
    /// Matches `[[reserves.asset]].issuer` (case and punctuation aside; one
    /// name may contain the other).
    pub issuer: String,
    /// The price, in dollars per unit (0.8774).
    pub price: f64,
    /// Business days below par, from day 0.
    pub days: u32,
}

impl Scenario {
    /// Its settings in words: redemptions per day, custodians frozen, price
    /// shocks, rate shock, chains down (`–` where there are none).
    pub fn settings(&self) -> [String; 5] {
        let number = crate::facts::format_number;
        let list = |items: Vec<String>| {
            if items.is_empty() {
                "–".to_string()
            } else {
                items.join(", ")
            }
        };
        let freezes = self
            .freezes
            .iter()
            .map(|f| {
                let who = match &f.custodians {
                    Custodians::LargestBank => "the largest bank".to_string(),
                    Custodians::LargestBankNotGsib => {
                        "the largest bank not on the G-SIB list".to_string()
                    }
                    Custodians::Names(names) => names.join(", "),
                    Custodians::Largest => "the largest custodian".to_string(),
                    Custodians::Kind(k) => format!("every {k}"),
                    Custodians::Country(c) => format!("every custodian in {c}"),
                    Custodians::Name(n) => n.clone(),
                };
                let loss = if f.loss_pct > 0.0 {
                    format!(", losing {}", Quantity::new(f.loss_pct, Unit::Pct))
                } else {
                    String::new()
                };
                let advance = if f.advance_pct > 0.0 {
                    format!(
                        ", {} % paid back on day {}",
                        number(f.advance_pct),
                        f.advance_day
                    )
                } else {
                    String::new()
                };
                let deposits = if f.deposits_only { " (deposits)" } else { "" };
                let days = if f.days == 1 { "day" } else { "days" };
                format!("{who}{deposits} for {} {days}{advance}{loss}", f.days)
            })
            .collect();
        let outages = self
            .outages
            .iter()
            .map(|o| {
                let which = match &o.chain {
                    Chain::Largest => "the largest chain".to_string(),
                    Chain::Name(n) => n.clone(),
                };
                format!(
                    "{which} for {} {}",
                    o.days,
                    if o.days == 1 { "day" } else { "days" }
                )
            })
            .collect();
        let redemptions = list(self.redemptions_pct.iter().map(|p| number(*p)).collect());
        [
            match self.start {
                Some(start) => format!("per calendar day from {start}: {redemptions}"),
                None => redemptions,
            },
            list(freezes),
            list(
                self.market_shock
                    .then(|| "every class by its crisis haircut".to_string())
                    .into_iter()
                    .chain(
                        self.price_shock_pct.iter().map(|(class, pct)| {
                            format!("{class} −{}", Quantity::new(*pct, Unit::Pct))
                        }),
                    )
                    .chain(self.reprices.iter().map(|r| {
                        format!(
                            "stablecoin of {} at {} for {} {}",
                            r.issuer,
                            number(r.price),
                            r.days,
                            if r.days == 1 { "day" } else { "days" }
                        )
                    }))
                    .collect(),
            ),
            if self.rate_shock_bps > 0.0 {
                format!("+{} bp", number(self.rate_shock_bps))
            } else {
                "–".into()
            },
            list(outages),
        ]
    }
}

/// Custodians frozen for some business days.
#[derive(Debug, Clone, PartialEq)]
pub struct Freeze {
    /// Which custodians are frozen.
    pub custodians: Custodians,
    /// Business days the assets are out of reach (0 = not at all).
    pub days: u32,
    /// Share (%) of the frozen assets lost for good.
    pub loss_pct: f64,
    /// Only the deposits (cash and bank deposits) the custodian holds are
    /// frozen: a failed bank's custody assets are its clients', not its own.
    pub deposits_only: bool,
    /// Share (%) of the frozen assets paid back early, on `advance_day`: a
    /// receiver's advance dividend on uninsured deposits.
    pub advance_pct: f64,
    /// The business day the advance is paid.
    pub advance_day: u32,
}

/// Which custodians a freeze hits.
#[derive(Debug, Clone, PartialEq)]
pub enum Custodians {
    /// The bank (or custodian of undeclared kind) holding the largest share.
    LargestBank,
    /// The bank (or custodian of undeclared kind) holding the largest share
    /// among those not on the Financial Stability Board's list of global
    /// systemically important banks ([`gsib`], `rubrics/gsib.toml`).
    LargestBankNotGsib,
    /// Every custodian whose name matches one of these (case and punctuation
    /// aside; one name may contain the other): the institutions a replay
    /// names.
    Names(Vec<String>),
    /// The custodian of any kind holding the largest share.
    Largest,
    /// Every custodian of a kind.
    Kind(String),
    /// Every custodian whose home country is this ISO 3166 code.
    Country(String),
    /// The custodian of this name.
    Name(String),
}

/// A chain that is down for some business days.
#[derive(Debug, Clone, PartialEq)]
pub struct Outage {
    /// Which chain is down.
    pub chain: Chain,
    /// Business days the chain is down.
    pub days: u32,
}

/// Which chain an outage hits.
#[derive(Debug, Clone, PartialEq)]
pub enum Chain {
    /// The chain with the largest `supply_usd`.
    Largest,
    /// The chain of this name.
    Name(String),
}

/// The global systemically important banks as data (`rubrics/gsib.toml`,
/// with its source and date): a hypothetical bank failure spares them.
#[derive(Debug, Default)]
pub struct Gsib {
    /// Where the list comes from.
    pub source: String,
    /// The date of the list.
    pub as_of: Option<NaiveDate>,
    /// The names a custodian is matched against.
    pub names: Vec<String>,
}

/// The built-in list, as written.
const GSIB_TOML: &str = include_str!("../../../../rubrics/gsib.toml");

/// Reads a bank list written as `rubrics/gsib.toml` is, with the reader of
/// every rubric file: the list, or every problem at its place.
fn read_gsib(text: &str) -> Result<Gsib, Vec<Diagnostic>> {
    let file = SourceFile::new("rubrics/gsib.toml", text);
    read_file(
        &file,
        "bank list",
        "the bank list",
        "see rubrics/gsib.toml: source, as_of and names",
        |r, t| {
            let source = t.required(r, "source");
            let as_of = t.required(r, "as_of");
            let names = t.required(r, "names");
            Gsib {
                source: source.unwrap_or_default(),
                as_of,
                names: names.unwrap_or_default(),
            }
        },
    )
}

/// The built-in list, read once; a test proves it reads without a problem
/// and is not empty.
pub fn gsib() -> &'static Gsib {
    static PARSED: LazyLock<Gsib> = LazyLock::new(|| read_gsib(GSIB_TOML).unwrap_or_default());
    &PARSED
}

/// The longest horizon a scenario may ask for, in business days.
pub const MAX_DAYS: u32 = 260;

/// A scenario file as written.
#[derive(Debug)]
struct ScenarioFile {
    title: String,
    description: String,
    redemptions_pct: Option<At<Vec<At<f64>>>>,
    rate_shock_bps: Option<At<f64>>,
    market_shock: Option<At<bool>>,
    start: Option<At<toml::value::Datetime>>,
    reprice: Vec<At<RepriceFile>>,
    /// The shocked asset classes, in the order of `ASSET_CLASSES`.
    price_shock_pct: Vec<(&'static str, At<f64>)>,
    freeze: Vec<At<FreezeFile>>,
    outage: Vec<At<OutageFile>>,
}

impl ScenarioFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let title = t.required(r, "title");
        Some(Self {
            description: t.optional(r, "description").unwrap_or_default(),
            redemptions_pct: t.optional(r, "redemptions_pct"),
            rate_shock_bps: t.optional(r, "rate_shock_bps"),
            market_shock: t.optional(r, "market_shock"),
            start: t.optional(r, "start"),
            reprice: t.tables(r, "reprice", "[[reprice]]", RepriceFile::read),
            price_shock_pct: t
                .table(
                    r,
                    "price_shock_pct",
                    "[price_shock_pct] (asset classes)",
                    |r, t| {
                        let shocks = ASSET_CLASSES
                            .iter()
                            .filter_map(|&class| Some((class, t.optional(r, class)?)))
                            .collect();
                        Some(shocks)
                    },
                )
                .map(|at| at.value)
                .unwrap_or_default(),
            freeze: t.tables(r, "freeze", "[[freeze]]", FreezeFile::read),
            outage: t.tables(r, "outage", "[[outage]]", OutageFile::read),
            title: title?,
        })
    }
}

crate::rubric::file::tables! {
    /// `[[freeze]]`: custodians whose deposits cannot be moved for a while.
    FreezeFile {
        custodian: Option<At<String>> = optional("custodian"),
        kind: Option<At<String>> = optional("kind"),
        country: Option<At<String>> = optional("country"),
        name: Option<At<String>> = optional("name"),
        names: Option<At<Vec<String>>> = optional("names"),
        days: At<u32> = required("days"),
        loss_pct: Option<At<f64>> = optional("loss_pct"),
        deposits_only: Option<At<bool>> = optional("deposits_only"),
        advance_pct: Option<At<f64>> = optional("advance_pct"),
        advance_day: Option<At<u32>> = optional("advance_day"),
    }

    /// `[[reprice]]`: another issuer's stablecoin below par for a while.
    RepriceFile {
        issuer: At<String> = required("issuer"),
        price: At<f64> = required("price"),
        days: At<u32> = required("days"),
    }

    /// `[[outage]]`: a chain that stops for a while.
    OutageFile {
        chain: At<String> = required("chain"),
        days: At<u32> = required("days"),
    }
}

/// Loads a scenario by built-in id or path.
pub fn load_scenario(id_or_path: &str) -> Result<Scenario, Vec<Diagnostic>> {
    if let Some((id, text)) = BUILTIN.iter().find(|(id, _)| *id == id_or_path) {
        return parse_scenario(&builtin_source(id, text), id);
    }
    let source = SourceFile::read(id_or_path).map_err(|d| {
        let ids: Vec<&str> = builtin_ids().collect();
        let help = match did_you_mean(id_or_path, ids.iter().copied()) {
            Some(id) => format!("did you mean the built-in scenario `{id}`?"),
            None => format!(
                "give a scenario file, or a built-in scenario: {}",
                ids.join(", ")
            ),
        };
        vec![d.with_help(help)]
    })?;
    let id = std::path::Path::new(id_or_path).file_stem().map_or_else(
        || "scenario".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    parse_scenario(&source, &id)
}

/// Parses and validates a scenario file; `id` names it in results.
pub fn parse_scenario(source: &SourceFile, id: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let file = read_file(
        source,
        "scenario",
        "the scenario",
        "see docs/stress.md for the scenario format",
        ScenarioFile::read,
    )?;
    // Reading reports any key it misses, so `None` comes with an error.
    let Some(file) = file else {
        return Err(vec![source.error(
            Code::MissingKey,
            0..0,
            "scenario: incomplete",
        )]);
    };
    let mut problems = Vec::new();
    let mut error = |code: Code, span: Range<usize>, message: String, help: Option<String>| {
        let mut d = source.error(code, span, format!("scenario: {message}"));
        d.help = help;
        problems.push(d);
    };

    let mut redemptions_pct = Vec::new();
    if let Some(list) = &file.redemptions_pct {
        for value in &list.value {
            redemptions_pct.push(percent(value, "a day's redemptions", &mut error));
        }
        let total: f64 = redemptions_pct.iter().sum();
        if total > 100.0 + 1e-9 {
            error(
                Code::OutOfRange,
                list.span.clone(),
                format!(
                    "redemptions add up to {} % of units outstanding; at most 100 % can be redeemed",
                    crate::facts::format_number(total)
                ),
                None,
            );
        }
        if redemptions_pct.len() > MAX_DAYS as usize {
            error(
                Code::OutOfRange,
                list.span.clone(),
                format!(
                    "{} days of redemptions; at most {MAX_DAYS}",
                    redemptions_pct.len()
                ),
                None,
            );
        }
    }

    let rate_shock_bps = file.rate_shock_bps.as_ref().map_or(0.0, |bps| {
        let v = bps.value;
        if !(v.is_finite() && (0.0..=5000.0).contains(&v)) {
            error(
                Code::OutOfRange,
                bps.span.clone(),
                format!(
                    "`rate_shock_bps` is {}; it must be from 0 to 5000 basis points",
                    crate::facts::format_written(v)
                ),
                None,
            );
        }
        v
    });

    let price_shock_pct = file
        .price_shock_pct
        .iter()
        .map(|(class, shock)| {
            let what = format!("the price shock on `{class}`");
            (class.to_string(), percent(shock, &what, &mut error))
        })
        .collect();

    let custodian_kinds = match schema::table("reserves.custodian")
        .and_then(|t| t.field("kind"))
        .map(|f| f.kind)
    {
        Some(Kind::Enum(values)) => schema::names_of(values),
        _ => Vec::new(),
    };
    let mut freezes = Vec::new();
    for spanned in &file.freeze {
        let f = &spanned.value;
        let given = [&f.custodian, &f.kind, &f.country, &f.name]
            .into_iter()
            .flatten()
            .count()
            + usize::from(f.names.is_some());
        if given != 1 {
            error(
                Code::WrongType,
                spanned.span.clone(),
                format!(
                    "a [[freeze]] names its custodians with exactly one of `custodian`, `kind`, `country`, `name` or `names`; this one gives {given}"
                ),
                Some("for example `custodian = \"largest-bank\"` or `kind = \"bank\"`".into()),
            );
            continue;
        }
        let custodians = if let Some(c) = &f.custodian {
            match c.value.as_str() {
                "largest-bank" => Custodians::LargestBank,
                "largest-bank-not-gsib" => Custodians::LargestBankNotGsib,
                "largest" => Custodians::Largest,
                other => {
                    let hint = did_you_mean(other, ["largest-bank", "largest-bank-not-gsib", "largest"])
                        .map_or_else(
                            || "`custodian` is \"largest-bank\", \"largest-bank-not-gsib\" or \"largest\"; use `name` for one custodian".to_string(),
                            |s| format!("did you mean \"{s}\"?"),
                        );
                    error(
                        Code::UnknownValue,
                        c.span.clone(),
                        format!("unknown custodian selector \"{other}\""),
                        Some(hint),
                    );
                    continue;
                }
            }
        } else if let Some(k) = &f.kind {
            if !custodian_kinds.contains(&k.value.as_str()) {
                error(
                    Code::UnknownValue,
                    k.span.clone(),
                    format!("\"{}\" is not a custodian kind", k.value),
                    Some(format!("kinds: {}", quote_list(&custodian_kinds))),
                );
            }
            Custodians::Kind(k.value.clone())
        } else if let Some(c) = &f.country {
            Custodians::Country(c.value.clone())
        } else if let Some(n) = &f.name {
            Custodians::Name(n.value.clone())
        } else if let Some(n) = &f.names {
            if n.value.is_empty() || n.value.iter().any(|name| name.trim().is_empty()) {
                error(
                    Code::MissingKey,
                    n.span.clone(),
                    "`names` lists no name, or an empty one".into(),
                    Some("for example `names = [\"Silicon Valley Bank\"]`".into()),
                );
            }
            Custodians::Names(n.value.clone())
        } else {
            continue;
        };
        let days = days_within(&f.days, &mut error);
        let loss_pct = f
            .loss_pct
            .as_ref()
            .map_or(0.0, |l| percent(l, "`loss_pct`", &mut error));
        let advance_pct = f
            .advance_pct
            .as_ref()
            .map_or(0.0, |a| percent(a, "`advance_pct`", &mut error));
        let advance_day = f
            .advance_day
            .as_ref()
            .map_or(0, |d| days_within(d, &mut error));
        if let Some(d) = &f.advance_day {
            if advance_day > days {
                error(
                    Code::OutOfRange,
                    d.span.clone(),
                    format!("`advance_day` is {advance_day}, after the freeze ends on day {days}"),
                    Some("an advance is paid while the rest is still frozen".into()),
                );
            }
        }
        freezes.push(Freeze {
            custodians,
            days,
            loss_pct,
            deposits_only: f.deposits_only.as_ref().is_some_and(|d| d.value),
            advance_pct,
            advance_day,
        });
    }

    let outages = file
        .outage
        .iter()
        .map(|spanned| {
            let o = &spanned.value;
            let chain = match o.chain.value.as_str() {
                "largest" => Chain::Largest,
                "" => {
                    error(
                        Code::MissingKey,
                        o.chain.span.clone(),
                        "`chain` is empty".into(),
                        Some("give \"largest\" or a chain's name".into()),
                    );
                    Chain::Largest
                }
                name => Chain::Name(name.to_string()),
            };
            Outage {
                chain,
                days: days_within(&o.days, &mut error),
            }
        })
        .collect();

    let reprices = file
        .reprice
        .iter()
        .map(|spanned| {
            let r = &spanned.value;
            if r.issuer.value.trim().is_empty() {
                error(
                    Code::MissingKey,
                    r.issuer.span.clone(),
                    "`issuer` is empty".into(),
                    Some("name the issuer of the stablecoin, as files write it in `[[reserves.asset]].issuer`".into()),
                );
            }
            let price = r.price.value;
            if !(price.is_finite() && (0.0..=1.0).contains(&price)) {
                error(
                    Code::OutOfRange,
                    r.price.span.clone(),
                    format!("`price` is {price}; it must be from 0 to 1 dollar per unit"),
                    None,
                );
            }
            Reprice {
                issuer: r.issuer.value.clone(),
                price,
                days: days_within(&r.days, &mut error),
            }
        })
        .collect();

    let start = file.start.as_ref().and_then(|d| {
        let date = crate::table::plain_date(&d.value);
        if date.is_none() {
            error(
                Code::WrongType,
                d.span.clone(),
                "`start` must be a plain date".into(),
                Some("for example `start = 2023-03-10`".into()),
            );
        }
        date
    });

    if problems.is_empty() {
        Ok(Scenario {
            id: id.to_string(),
            title: file.title,
            description: file.description,
            redemptions_pct,
            freezes,
            price_shock_pct,
            rate_shock_bps,
            market_shock: file.market_shock.as_ref().is_some_and(|m| m.value),
            outages,
            reprices,
            start,
        })
    } else {
        sort_diagnostics(&mut problems);
        Err(problems)
    }
}

/// A percentage's value, reporting it when outside 0–100.
fn percent(
    value: &At<f64>,
    what: &str,
    error: &mut dyn FnMut(Code, Range<usize>, String, Option<String>),
) -> f64 {
    let v = value.value;
    if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
        error(
            Code::OutOfRange,
            value.span.clone(),
            format!(
                "{what} is {}; it must be a percentage from 0 to 100",
                crate::facts::format_written(v)
            ),
            None,
        );
    }
    v
}

fn days_within(
    days: &At<u32>,
    error: &mut dyn FnMut(Code, Range<usize>, String, Option<String>),
) -> u32 {
    let d = days.value;
    if d > MAX_DAYS {
        error(
            Code::OutOfRange,
            days.span.clone(),
            format!("`days` is {d}; at most {MAX_DAYS} business days"),
            None,
        );
    }
    d.min(MAX_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
        parse_scenario(&SourceFile::new("s.toml", text), "s")
    }

    #[test]
    fn the_gsib_list_parses_with_its_source_and_the_29_banks() {
        let list = read_gsib(GSIB_TOML).unwrap();
        assert!(list.source.contains("Financial Stability Board"));
        assert_eq!(list.as_of, NaiveDate::from_ymd_opt(2025, 11, 27));
        assert_eq!(gsib().names, list.names);
        for bank in ["JPMorgan Chase", "State Street", "ICBC", "Toronto-Dominion"] {
            assert!(list.names.iter().any(|n| n == bank), "{bank}");
        }
    }

    #[test]
    fn a_bank_list_dated_with_a_time_is_refused_at_its_place() {
        let errors = read_gsib("source = \"S\"\nas_of = 2025-11-27T10:00:00Z\nnames = [\"A\"]\n")
            .unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].message.contains("`as_of`"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[0].message.contains("a date without a time"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn every_built_in_scenario_parses() {
        assert_eq!(builtin_scenarios().len(), BUILTIN.len());
        for (id, text) in BUILTIN {
            let s = parse_scenario(&builtin_source(id, text), id)
                .unwrap_or_else(|e| panic!("{id}: {e:#?}"));
            assert!(!s.description.is_empty(), "{id} says what it replays");
        }
    }

    #[test]
    fn a_scenario_reads_every_kind_of_shock() {
        let s = parse(
            "title = \"All\"\nredemptions_pct = [10, 5]\nrate_shock_bps = 300\n\
             [price_shock_pct]\ncrypto = 50\n\
             [[freeze]]\ncustodian = \"largest-bank\"\ndays = 5\n\
             [[freeze]]\nkind = \"custodian\"\ndays = 1\nloss_pct = 10\n\
             [[freeze]]\ncountry = \"US\"\ndays = 2\n\
             [[freeze]]\nname = \"Bank A\"\ndays = 2\n\
             [[outage]]\nchain = \"largest\"\ndays = 2\n",
        )
        .unwrap();
        assert_eq!(s.redemptions_pct, [10.0, 5.0]);
        assert_eq!(s.rate_shock_bps, 300.0);
        assert_eq!(s.price_shock_pct.get("crypto"), Some(&50.0));
        assert_eq!(s.freezes.len(), 4);
        assert_eq!(s.freezes[0].custodians, Custodians::LargestBank);
        assert_eq!(s.freezes[1].loss_pct, 10.0);
        assert_eq!(s.freezes[2].custodians, Custodians::Country("US".into()));
        assert_eq!(s.outages[0].chain, Chain::Largest);
    }

    #[test]
    fn unknown_keys_and_classes_are_located_with_a_hint() {
        let errors = parse(
            "title = \"X\"\nredemption_pct = [10]\n[price_shock_pct]\ncrytpo = 50\n[[freeze]]\ncustodain = \"largest\"\ndays = 1\n",
        )
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 3, "{text:#?}");
        assert!(text[0].contains("s.toml:2:1") && text[0].contains("`redemptions_pct`"));
        assert!(text[1].contains("s.toml:4:1") && text[1].contains("`crypto`"));
        assert!(text[2].contains("s.toml:6:1") && text[2].contains("`custodian`"));
    }

    #[test]
    fn bad_values_are_located() {
        let errors = parse(
            "title = \"X\"\nredemptions_pct = [60, 50]\nrate_shock_bps = -5\n[price_shock_pct]\ncrypto = 150\n\
             [[freeze]]\ncustodian = \"largest-bnak\"\ndays = 1\n[[freeze]]\nkind = \"bnak\"\ncountry = \"US\"\ndays = 1\n",
        )
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 5, "{text:#?}");
        assert!(text[0].contains(":2:") && text[0].contains("110 %"));
        assert!(text[1].contains(":3:") && text[1].contains("rate_shock_bps"));
        assert!(text[2].contains(":5:") && text[2].contains("crypto"));
        assert!(text[3].contains(":7:") && text[3].contains("did you mean \"largest-bank\""));
        assert!(text[4].contains(":9:") && text[4].contains("exactly one"));
    }

    #[test]
    fn days_must_be_whole_and_bounded() {
        let errors = parse("title = \"X\"\n[[outage]]\nchain = \"a\"\ndays = 1.5\n").unwrap_err();
        assert!(errors[0].to_string().contains(":4:"), "{errors:#?}");
        let errors = parse("title = \"X\"\n[[outage]]\nchain = \"a\"\ndays = 999\n").unwrap_err();
        assert!(errors[0].to_string().contains("at most 260"));
    }

    #[test]
    fn a_missing_file_suggests_a_built_in_id() {
        let errors = load_scenario("run-30-4").unwrap_err();
        assert!(
            errors[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("run-30-5"))
        );
        assert_eq!(load_scenario("svb-2023").unwrap().id, "svb-2023");
    }
}
