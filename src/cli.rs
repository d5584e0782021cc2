//! Commands and options (clap derive). Behaviour lives in [`crate::app`].

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  evaluated, every gate passed
  1  evaluated, a gate failed
  2  could not evaluate: usage error, unreadable or invalid input";

#[derive(Debug, Parser)]
#[command(
    name = "usd1eval",
    version,
    about = "Score USD1 stablecoin arrangements against a milestone rubric",
    long_about = "Score USD1 stablecoin arrangements (any token meant to be redeemable 1:1 for US dollars) \
                  against a rubric of seven milestone buckets and five scale layers, and show where \
                  evidence is missing.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Colour in tables: auto (when writing to a terminal and NO_COLOR is unset), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Columns the table output fits; default: the terminal's width, else $COLUMNS, else 100
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(40..=1000))]
    pub width: Option<u16>,
}

impl Cli {
    /// The width tables fit: `--width`, else the terminal's when standard
    /// output is one, else `COLUMNS`, else [`crate::render::DEFAULT_WIDTH`].
    pub fn width(&self) -> usize {
        if let Some(width) = self.width {
            return usize::from(width);
        }
        if let Some((_, columns)) = console::Term::stdout().size_checked() {
            return usize::from(columns).max(crate::render::MIN_WIDTH);
        }
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|c| *c > 0)
            .map_or(crate::render::DEFAULT_WIDTH, |c| {
                c.max(crate::render::MIN_WIDTH)
            })
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output on stdout: `always` and `never` decide; `auto`
    /// colours a terminal unless `NO_COLOR` is set to anything non-empty.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                !no_color && std::io::IsTerminal::is_terminal(&std::io::stdout())
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score one or more arrangement files
    #[command(after_help = "Examples:
  usd1eval score examples/strong-regulated.toml
  usd1eval score --format json examples/*.toml > reports.jsonl
  usd1eval score --detail --as-of 2027-01-31 arrangement.toml
  usd1eval score --profile genius-2025 --profile mica-emt arrangement.toml
  usd1eval score --baseline main.json --fail-on-cap --output sarif=usd1eval.sarif arrangement.toml
  cat arrangement.toml | usd1eval score -

Exit codes:
  0  evaluated, every gate passed
  1  evaluated, a gate failed
  2  could not evaluate: usage error, unreadable or invalid input")]
    Score(ScoreArgs),

    /// What changed between two arrangement files or JSON reports; exit 1 on a regression
    #[command(
        after_help = "Each side is an arrangement file (TOML) or a JSON report from `score --format json`.
Changed facts are listed when both sides are arrangement files.

Examples:
  usd1eval diff main.toml arrangement.toml
  usd1eval diff --format markdown baseline.json arrangement.toml

Exit codes:
  0  no regression
  1  a regression: a milestone lost points, a cap now applies, or a profile requirement no longer passes
  2  could not evaluate"
    )]
    Diff(DiffArgs),

    /// Successive disclosures of one arrangement: figures over time, alerts where strength falls behind
    #[command(
        after_help = "The files are disclosures of one arrangement, in any order; they are ordered by
[arrangement].as_of and each is scored as of its own date. A figure's alert compares the latest
disclosure with the best earlier one (a change by an amount or a share of itself, or a level
crossed); an event compares each disclosure with the one before it (a custodian, the report
firm, a pause in reports). Thresholds are the rubric's [history] section. Growth alone is no
alert. --fail-on-deterioration fails on alerts that reach the latest disclosure.

Alert ids (default rubric; `usd1eval explain ID` says what each watches): volatile-share-rising,
buffer-shrinking, volatile-exceeds-buffer, coverage-below-par, supply-falling,
assurance-lagging, concentration-rising, score-falling, reporting-cadence-slipping,
redemption-time-rising, security-review-stale, uptime-falling, peg-deviation-widening,
stress-weakening, custodian-changed, growth-outruns-strength.

With --git FILE, the disclosures are FILE's committed versions, read from its repository without
checking anything out (the git on PATH runs `log --follow` and `cat-file`), each named
PATH@COMMIT; uncommitted changes are not read. Of several versions with one as_of, the newest
commit's is kept.

Examples:
  usd1eval history examples/history/*.toml
  usd1eval history --format html examples/history/*.toml > history.html
  usd1eval history --fail-on-deterioration --waivers waivers.toml disclosures/*.toml
  usd1eval history --git disclosure.toml --fail-on-deterioration

Exit codes:
  0  evaluated; no alert, or --fail-on-deterioration not given
  1  --fail-on-deterioration and an alert no waiver accepts reaches the latest disclosure
  2  could not evaluate: unreadable or invalid file or version, two arrangements, two files of
     one date; with --git, git missing, FILE not in a work tree or never committed"
    )]
    History(HistoryArgs),

    /// Several arrangements side by side
    #[command(after_help = "Examples:
  usd1eval compare examples/*.toml
  usd1eval compare --sort score examples/calibration/*.toml
  usd1eval compare --format markdown a.toml b.toml")]
    Compare(CompareArgs),

    /// Validate arrangement files without scoring them
    #[command(after_help = "Examples:
  usd1eval check arrangement.toml
  usd1eval check examples/*.toml

Every problem in a file is reported at once, as FILE:LINE:COL. Exit 0 when all files are valid, 2 otherwise.")]
    Check(CheckArgs),

    /// Explain a milestone, check, bucket, layer or field: why it matters, how it is scored, what raises it
    #[command(after_help = "Examples:
  usd1eval explain M07
  usd1eval explain M18.settlement
  usd1eval explain reserve-custody
  usd1eval explain redemption.eligible")]
    Explain(ExplainArgs),

    /// List, show or validate rubrics
    #[command(
        subcommand,
        after_help = "Examples:\n  usd1eval rubric list\n  usd1eval rubric show genius-2025\n  usd1eval rubric check my-rubric.toml"
    )]
    Rubric(RubricCommand),

    /// Print the JSON Schema of the arrangement file, the JSON report or the history JSON
    #[command(after_help = "Examples:
  usd1eval schema arrangement > arrangement.schema.json
  usd1eval schema report > report.schema.json
  usd1eval schema history > history.schema.json")]
    Schema {
        #[arg(value_enum)]
        what: SchemaKind,
    },

    /// Print shell completions
    #[command(after_help = "Examples:
  usd1eval completions bash > /etc/bash_completion.d/usd1eval
  usd1eval completions zsh > \"${fpath[1]}/_usd1eval\"
  usd1eval completions fish > ~/.config/fish/completions/usd1eval.fish")]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Run the declared reserves through redemption runs, bank failures and market shocks
    #[command(
        after_help = "Runs the built-in scenarios (run-30-5, bank-failure, bank-failure-rescued, svb-2023,
market-shock, rate-shock, chain-outage, and the runs of record run-may-2022, run-march-2023,
wind-down-2023), or those named by --scenario, and a reverse stress test: the largest share of
units outstanding payable at par by T+0, T+1 and T+5. Each result says whether holders were paid,
whether reserves within reach fell below the units (a coverage gap) and what was lost for good.
The model and its sources are in docs/stress.md.

Examples:
  usd1eval stress examples/middling.toml
  usd1eval stress --scenario run-30-5 --scenario my-scenario.toml arrangement.toml
  usd1eval stress --format html examples/*.toml > stress.html

Exit codes:
  0  every file was stress-tested (whatever the results)
  2  could not evaluate: unreadable or invalid arrangement or scenario file"
    )]
    Stress(StressArgs),

    /// Write an arrangement template: the required keys declared, every other field a commented line
    #[command(after_help = "Examples:
  usd1eval init > arrangement.toml
  usd1eval init --out arrangement.toml
  usd1eval init --out arrangement.toml --force")]
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Arrangement files (TOML, format 1); `-` reads standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,

    #[command(flatten)]
    pub rubric: RubricArg,

    // The help text names the TOML table `[arrangement]`, not a link.
    #[allow(rustdoc::broken_intra_doc_links)]
    /// Evaluation date (YYYY-MM-DD or `today`); default: each file's [arrangement].as_of
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,

    /// Check a regulatory profile too (repeatable): genius-2025, nydfs-2022, mica-emt,
    /// mica-emt-significant, or a profile file. Reference checks, not legal advice.
    #[arg(long = "profile", value_name = "NAME|PATH")]
    pub profiles: Vec<String>,

    /// Output format on standard output
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Also write a report in another format to a file (repeatable), e.g. sarif=usd1eval.sarif
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,

    /// List every check in the table, not only those that cost points
    #[arg(long)]
    pub detail: bool,

    /// Print nothing on standard output; files named by --output are still written
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub gates: GateArgs,
}

/// Gates: each failing gate makes the exit code 1.
#[derive(Debug, Args)]
pub struct GateArgs {
    /// Fail when the overall score is below SCORE (0–100)
    #[arg(long, value_name = "SCORE", value_parser = parse_score, help_heading = "Gates")]
    pub fail_under: Option<f64>,

    /// Fail when the (capped) grade is below GRADE
    #[arg(long, value_name = "GRADE", help_heading = "Gates")]
    pub min_grade: Option<String>,

    /// Fail when any weakest-link cap applies
    #[arg(long, help_heading = "Gates")]
    pub fail_on_cap: bool,

    /// Fail when growth outruns strength (visible or claimed stage above the evidenced one, held
    /// down by a bucket known well enough); a stage only silence holds down does not fail
    #[arg(long, help_heading = "Gates")]
    pub fail_on_outrun: bool,

    /// Fail unless this regulatory profile passes (repeatable; the profile is checked too)
    #[arg(
        long = "require-profile",
        value_name = "NAME|PATH",
        help_heading = "Gates"
    )]
    pub require_profiles: Vec<String>,

    /// Fail on any regression against an earlier JSON report (JSON Lines for several files, matched by arrangement name, then path): per milestone, per cap, per profile requirement
    #[arg(long, value_name = "REPORT.json", help_heading = "Gates")]
    pub baseline: Option<String>,

    /// Points a milestone may fall before it counts as a regression
    #[arg(long, value_name = "POINTS", default_value_t = 0.0, value_parser = parse_score, requires = "baseline", help_heading = "Gates")]
    pub tolerance: f64,

    /// Compare with a baseline made with another rubric (refused by default)
    #[arg(long, requires = "baseline", help_heading = "Gates")]
    pub allow_other_rubric: bool,

    /// Compare with a baseline report of another arrangement (refused by default)
    #[arg(long, requires = "baseline", help_heading = "Gates")]
    pub allow_other_arrangement: bool,

    /// Waivers (TOML): accepted findings, caps and profile requirements, exempt from the gates and shown as waived
    #[arg(long, value_name = "FILE", help_heading = "Gates")]
    pub waivers: Option<String>,

    /// Treat a waiver that matches nothing as an error (exit 2) instead of a warning
    #[arg(long, requires = "waivers", help_heading = "Gates")]
    pub deny_unused_waivers: bool,
}

#[derive(Debug, Args)]
pub struct RubricArg {
    /// Built-in rubric name or path to a rubric file
    #[arg(long, value_name = "NAME|PATH", default_value = crate::rubric::builtin::DEFAULT)]
    pub rubric: String,

    /// What an absent fact counts as: `unknown` leaves it out of the scores (an
    /// analyst's public-facts file), `unmet` scores it as a failed check (an issuer
    /// gating its own disclosure file); default: the rubric's choice (`unknown`)
    #[arg(long, value_enum, value_name = "POLICY")]
    pub absent: Option<crate::rubric::Absent>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier side: arrangement file or JSON report
    pub old: String,
    /// The later side: arrangement file or JSON report
    pub new: String,

    #[command(flatten)]
    pub rubric: RubricArg,

    /// Regulatory profiles to compare too (repeatable)
    #[arg(long = "profile", value_name = "NAME|PATH")]
    pub profiles: Vec<String>,

    /// Evaluation date for arrangement files (YYYY-MM-DD or `today`)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,

    /// Points a milestone may fall before it counts as a regression
    #[arg(long, value_name = "POINTS", default_value_t = 0.0, value_parser = parse_score)]
    pub tolerance: f64,

    /// Compare reports made with different rubrics (refused by default)
    #[arg(long)]
    pub allow_other_rubric: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,
}

#[derive(Debug, Args)]
pub struct StressArgs {
    /// Arrangement files (TOML, format 1); `-` reads standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,

    /// A built-in scenario id or a scenario file (repeatable); default: every built-in scenario
    #[arg(long = "scenario", value_name = "ID|PATH")]
    pub scenarios: Vec<String>,

    /// In the table and Markdown, follow each scenario day by day: due, paid, reachable,
    /// outstanding and lost, one row per business day (JSON always carries the days, and the
    /// HTML page charts them)
    #[arg(long)]
    pub days: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Arrangement files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,

    #[command(flatten)]
    pub rubric: RubricArg,

    /// Evaluation date (YYYY-MM-DD or `today`); default: each file's own as_of
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,

    /// Order of the rows; default: the order of the files
    #[arg(long, value_enum, value_name = "KEY")]
    pub sort: Option<CompareSort>,
}

/// `compare --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareSort {
    /// Highest overall score first
    Score,
    /// Best grade first (the rubric's order), then highest score
    Grade,
    /// By name, A to Z
    Name,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Arrangement files: disclosures of one arrangement, in any order
    #[arg(required_unless_present = "git", value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,

    /// Read the disclosures from FILE's committed versions in its git repository (one per commit
    /// that changed it, renames followed; of one as_of, the newest commit's), instead of files
    #[arg(long, value_name = "FILE", conflicts_with = "files")]
    pub git: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub rubric: RubricArg,

    /// Output format
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,

    /// Exit 1 when an alert no waiver accepts reaches the latest disclosure
    #[arg(long, help_heading = "Gates")]
    pub fail_on_deterioration: bool,

    /// Waivers (TOML): `alert = "ID"` entries accept a known alert
    #[arg(long, value_name = "FILE", help_heading = "Gates")]
    pub waivers: Option<String>,

    /// Treat a waiver that matches nothing as an error (exit 2) instead of a warning
    #[arg(long, requires = "waivers", help_heading = "Gates")]
    pub deny_unused_waivers: bool,
}

/// What `schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The arrangement file (format 1), read as JSON
    Arrangement,
    /// The JSON report (schema_version 1)
    Report,
    /// The JSON of `history --format json` (schema_version 1)
    History,
    /// The JSON of `stress --format json`
    Stress,
}

/// Output formats of `compare`, `history` and `stress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Table,
    Json,
    Markdown,
    /// A self-contained HTML page (no network, no external assets)
    Html,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Arrangement files; `-` reads standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// What to explain, one or more: a milestone (M07), check (M18.settlement), bucket, layer,
    /// cap, penalty, stage (or `stage`), history alert, scenario, profile or profile requirement
    /// id, a field (redemption.eligible), a table (reserves.asset) or a derived or stress figure
    /// (derived.custodian_hhi, stress.run-30-5.survives)
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,

    #[command(flatten)]
    pub rubric: RubricArg,
}

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// List the built-in rubrics and regulatory profiles
    #[command(after_help = "Example:\n  usd1eval rubric list")]
    List,
    /// Show a rubric's buckets, milestones and weights, or a profile's requirements
    #[command(
        after_help = "Examples:\n  usd1eval rubric show\n  usd1eval rubric show genius-2025\n  usd1eval rubric show my-rubric.toml"
    )]
    Show {
        /// Built-in rubric or profile name, or a rubric path
        #[arg(default_value = crate::rubric::builtin::DEFAULT)]
        name: String,
    },
    /// Validate a rubric file; every problem at once, exit 0 or 2
    #[command(after_help = "Example:\n  usd1eval rubric check my-rubric.toml")]
    Check {
        /// Path to the rubric file
        file: String,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write the template to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Overwrite FILE if it exists
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// Output formats of `score`: declared where they are written, in the
/// renderers, so that rendering never imports the command line.
pub use crate::render::Format;

/// `--output FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_output(text: &str) -> Result<OutputSpec, String> {
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: write FORMAT=PATH, e.g. sarif=usd1eval.sarif"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
            .collect();
        format!("unknown format `{format}`; formats: {}", names.join(", "))
    })?;
    if path.is_empty() {
        return Err(format!("`{text}`: the path is empty"));
    }
    Ok(OutputSpec {
        format,
        path: PathBuf::from(path),
    })
}

fn parse_score(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(n) if (0.0..=100.0).contains(&n) => Ok(n),
        _ => Err(format!("`{text}` is not a number from 0 to 100")),
    }
}

/// The evaluation date asked for on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    Date(NaiveDate),
    /// Read the clock (the only place the tool does).
    Today,
}

fn parse_as_of(text: &str) -> Result<AsOf, String> {
    if text == "today" {
        return Ok(AsOf::Today);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(AsOf::Date)
        .map_err(|_| format!("`{text}` is not a date; write YYYY-MM-DD or `today`"))
}
