//! Command-line flags, and their validation into a `Config` before any work starts: the rest of the
//! program never sees an option it has not checked.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::assess::Rubric;
use crate::domain::{Benefactor, Country, CountryTable, GroupOn, Region};
use crate::error::{Error, Result};
use crate::indicators::{self, Window};
use crate::render::outputs::Format;
use crate::sources::{self, Curated, Source};

/// Scores China's and Russia's military influence in every tracked recipient country on the twelve
/// instruments of the M-DIME framework, from public data, and writes CSV for other analysts.
///
/// Typical use: derive the tables once with `mdime import`, then `mdime run` over every tracked country.
#[derive(Debug, Parser)]
#[command(name = "mdime", version, propagate_version = true, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Derive a project table in `datasets/` from a source's raw files, with its provenance: one
    /// subcommand per source, each with its own arguments (`mdime import --help` lists them).
    Import(ImportArgs),
    /// The main job: compute indicators and ratings for every benefactor × tracked recipient and write
    /// the CSV tables, the charts and a report per recipient to the output folder (layout in
    /// reports/README.md).
    Run(RunArgs),
    /// Download each source's newest raw files from its publisher into the raw-data folder (`--raw DIR`,
    /// else `$MDIME_RAW`, else `raw/` in the current folder), one sub-folder per source, and record each
    /// file in `fetch-log.jsonl` there (URL, time, size, the publisher's checksum, SHA-256).
    ///
    /// A download goes into a `.part` file that a broken connection or a later fetch resumes (HTTP
    /// Range); connection errors and 5xx answers are retried with exponential back-off, a 404 is not.
    /// A file whose size or MD5 differs from the publisher's list is removed and the fetch fails,
    /// naming the URL and both checksums. Files already fetched and unchanged are not downloaded again.
    /// SIPRI, the UN peacekeeping contributions and the IMF's trade statistics offer no download a
    /// program can make: save their files by hand into the source's folder (the fetch says where and
    /// from which page), and `mdime fetch` records and checks them.
    ///
    /// Examples:
    ///
    ///   mdime fetch gdelt --since 2025-01-01     GDELT 1.0 daily event files from 1 January 2025
    ///
    ///   mdime fetch gdelt                        what GDELT added since the last fetch
    ///
    ///   mdime fetch gdelt2 --since 2025-06-01    GDELT 2.0's 15-minute exports from 1 June 2025
    ///
    ///   mdime fetch gdelt --mirror http://archive.example.org/gdelt/events/ --since 2025-06-01
    ///
    ///   mdime fetch sipri --raw ~/data/raw       record the export saved in ~/data/raw/sipri/
    #[command(verbatim_doc_comment)]
    Fetch(FetchArgs),
    /// Fetch what is new, import what changed (by SHA-256), run, and compare with the previous run: the
    /// job to schedule. Each update's run goes into a folder of its own under `--runs` (named by its UTC
    /// time); `diff.csv` and `diff.md` beside its outputs say which ratings, overall levels and projected
    /// directions moved since the previous update's run, and why.
    ///
    /// The GDELT files under RAW/gdelt/ and RAW/gdelt2/ are imported with the other event files
    /// (`--events`, default ../shared/data/events) whenever the set of them, by SHA-256, differs from the
    /// last update's.
    /// Files saved by hand (sipri, peacekeeping, dots) are recorded and checked, and a new or changed one
    /// is named with the import command to run.
    ///
    /// Exit status: 0 nothing new (nothing was imported or run); 10 new data, imported and run, and no
    /// rating, overall level or projected direction changed (or this is the first update's run); 11 new
    /// data, and some changed (the diff is printed); 1 an error (a failed download, a refused import);
    /// 2 a command-line error.
    ///
    /// Example (cron, every morning at 06:15):
    ///
    ///   15 6 * * *  cd ~/mdime && mdime update --raw ~/data/raw --runs ~/mdime-runs; [ $? -eq 11 ] && mail -s "mdime: ratings moved" me < ~/mdime-runs/latest.txt
    #[command(verbatim_doc_comment)]
    Update(UpdateArgs),
    /// Print one benefactor's ratings in one recipient (or several) as a table.
    ///
    /// Example: `mdime assess --benefactor China --recipient Mali`
    Assess(DataArgs),
    /// Show, for each rating of a benefactor in a recipient, the indicator values, the thresholds they
    /// crossed, the sources and cited evidence behind it, and what would change it.
    ///
    /// Example: `mdime explain China Pakistan E1`
    Explain {
        /// The benefactor, by name or ISO-3 code.
        benefactor: String,
        /// The recipient, by name or ISO-3 code.
        recipient: String,
        /// One instrument code (D1 … E3); all twelve and the overall rating if omitted.
        instrument: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Measure the projections' skill on the historical record: for every as-of year whose three-year
    /// outcome is in the data, project every yearly series from what was known then and compare with
    /// what happened, beside persistence (always Steady) and naive linear extrapolation. Writes
    /// `backtest.csv` (every case) and `backtest-summary.csv` to the output folder.
    Backtest {
        /// The first as-of year to test; the history before it (ten years) is read too.
        #[arg(long, default_value_t = 2005, value_name = "YEAR")]
        from: i32,
        #[arg(long, short, default_value = "reports/latest", value_name = "DIR")]
        output: PathBuf,
        /// Formats of the two tables, comma-separated: csv, parquet.
        #[arg(long = "format", value_delimiter = ',', default_value = "csv", value_name = "LIST")]
        formats: Vec<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Compare two runs' output folders: which ratings, overall levels and projected directions changed,
    /// by how much, and why (the indicator values and evidence-log events that moved, the inputs whose
    /// SHA-256 changed, from each run's manifest.json). Prints a table and writes `diff.csv` and
    /// `diff.md` to the output folder.
    ///
    /// Example: `mdime run --as-of 2022 -o runs/2022 && mdime run --as-of 2023 -o runs/2023 && mdime diff
    /// runs/2022 runs/2023`
    Diff {
        /// The earlier run's output folder.
        old: PathBuf,
        /// The later run's output folder.
        new: PathBuf,
        /// Folder for diff.csv and diff.md.
        #[arg(long, short, default_value = ".", value_name = "DIR")]
        output: PathBuf,
    },
    /// List the sources mdime reads, as the Markdown table `datasets/README.md` opens with: per source
    /// the command that brings it into `datasets/`, the tables it writes, the instruments they inform
    /// and its publisher.
    Sources,
    /// Print a completion script for a shell, generated from mdime's options. For bash: `mdime
    /// completions bash > ~/.local/share/bash-completion/completions/mdime`; zsh: into a folder of
    /// `$fpath` as `_mdime`; fish: `~/.config/fish/completions/mdime.fish`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print mdime's man page (roff), generated from its options: `mdime man >
    /// ~/.local/share/man/man1/mdime.1`. With `--output DIR`, write a page per command there instead
    /// (mdime.1, mdime-run.1, mdime-import-sipri.1, …).
    Man {
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Check every evidence log in `datasets/evidence/`: required fields, known countries, instruments
    /// and event types, dates, magnitudes with units, URLs, duplicates. Each problem names the file,
    /// line and field. `mdime run` refuses logs that fail, with the same messages.
    Validate {
        /// Folder of the project's tables; the logs are in its `evidence/` folder.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
}

impl Command {
    /// The datasets folder the command reads or writes, if it uses one.
    pub fn datasets(&self) -> Option<&std::path::Path> {
        match self {
            Command::Import(import) => Some(&import.datasets),
            Command::Run(args) => Some(&args.data.datasets),
            Command::Assess(data) | Command::Explain { data, .. } | Command::Backtest { data, .. } => Some(&data.datasets),
            Command::Validate { datasets } => Some(datasets),
            Command::Update(args) => Some(&args.datasets),
            Command::Diff { .. } | Command::Fetch(_) | Command::Sources | Command::Completions { .. } | Command::Man { .. } => None,
        }
    }
}

/// `mdime import SOURCE …`: the subcommands are the registry's sources, each with its own arguments.
#[derive(Debug, Args)]
#[command(subcommand_required = true, arg_required_else_help = true)]
pub struct ImportArgs {
    /// Folder of the project's derived tables (an import writes its table and provenance there, and
    /// reads the project's own tables from it).
    #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR", global = true)]
    pub datasets: PathBuf,
    #[command(subcommand)]
    pub source: SourceImport,
}

/// One source's import, as parsed: the source and its arguments.
pub struct SourceImport {
    pub source: &'static dyn Source,
    pub args: clap::ArgMatches,
}

impl std::fmt::Debug for SourceImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceImport").field("source", &self.source.about().name).field("args", &self.args).finish()
    }
}

impl clap::FromArgMatches for SourceImport {
    fn from_arg_matches(matches: &clap::ArgMatches) -> std::result::Result<Self, clap::Error> {
        let (name, args) = matches.subcommand().ok_or_else(|| clap::Error::new(clap::error::ErrorKind::MissingSubcommand))?;
        let source = sources::importable(name).ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidSubcommand))?;
        Ok(SourceImport { source, args: args.clone() })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> std::result::Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Subcommand for SourceImport {
    fn augment_subcommands(command: clap::Command) -> clap::Command {
        sources::REGISTRY.iter().filter_map(|s| s.import_command()).fold(command, |command, source| command.subcommand(source))
    }

    fn augment_subcommands_for_update(command: clap::Command) -> clap::Command {
        Self::augment_subcommands(command)
    }

    fn has_subcommand(name: &str) -> bool {
        sources::importable(name).is_some()
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Folder for the run's outputs; existing files of the same names are replaced only once every
    /// output has been written.
    #[arg(long, short, default_value = "reports/latest", value_name = "DIR")]
    pub output: PathBuf,
    /// Also rate with every threshold 20% lower and 20% higher, write `sensitivity.csv`, and report the
    /// share of ratings that stay the same.
    #[arg(long)]
    pub sensitivity: bool,
    /// Formats to write, comma-separated: csv and parquet (the tables), svg and png (charts), html and md
    /// (country reports and the index). HTML reports embed their charts whatever is chosen here. Every
    /// run also writes manifest.json: what produced it.
    #[arg(long = "format", value_delimiter = ',', default_value = "csv,svg,png,html,md", value_name = "LIST")]
    pub formats: Vec<String>,
    /// An earlier run's folder (written with csv): the index lists the overall levels that moved against
    /// it, largest first, each with what moved behind it as `mdime diff` finds it. Without it, the index
    /// lists what moved against the same run as of the year before.
    #[arg(long, value_name = "RUN_DIR")]
    pub compare: Option<PathBuf>,
}

/// Validated options of `mdime run` beyond the shared ones.
#[derive(Debug, Clone)]
pub struct Outputs {
    pub dir: PathBuf,
    /// Sorted, without repeats.
    pub formats: Vec<Format>,
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
    /// The earlier run the index's movers are measured against (`--compare`); it holds assessments.csv.
    pub compare: Option<PathBuf>,
}

/// `--format` names, checked against the formats a command can write: sorted, without repeats.
pub fn parse_formats(names: &[String], allowed: &[Format]) -> Result<Vec<Format>> {
    let mut formats = names
        .iter()
        .map(|name| {
            Format::parse(name).filter(|f| allowed.contains(f)).ok_or_else(|| {
                let known: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
                Error::option("--format", format!("unknown format `{name}`; expected some of: {}", known.join(", ")))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    formats.sort();
    formats.dedup();
    if formats.is_empty() {
        return Err(Error::option("--format", "no format chosen"));
    }
    Ok(formats)
}

impl RunArgs {
    pub fn validate(&self) -> Result<(Config, Outputs)> {
        let formats = parse_formats(&self.formats, &Format::ALL)?;
        let config = self.data.validate()?;
        if let Some(old) = &self.compare {
            if !old.join("assessments.csv").is_file() {
                return Err(Error::option("--compare", format!("{} holds no assessments.csv: name the folder of a run written with csv", old.display())));
            }
        }
        Ok((config, Outputs { dir: self.output.clone(), formats, progress: true, compare: self.compare.clone() }))
    }
}

#[derive(Debug, Args)]
pub struct DataArgs {
    /// Folder of the project's derived tables (written by `mdime import`).
    #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
    pub datasets: PathBuf,
    /// Assess as of this year: the window ends here. Default: the last year of data.
    #[arg(long, value_name = "YEAR")]
    pub as_of: Option<i32>,
    /// First year of the assessment window (the M-DIME reports use 2012): the years charts and reports
    /// show as history.
    #[arg(long, default_value_t = WINDOW_START, value_name = "YEAR")]
    pub since: i32,
    /// The years up to the as-of year that the current level describes: a spell that ended, a pact
    /// denounced or a supplier replaced lowers it once its years pass out of them. The whole window
    /// (`--since`) is the history shown beside the rating.
    #[arg(long, default_value_t = crate::indicators::CURRENT_YEARS, value_name = "YEARS")]
    pub current_years: i32,
    /// A benefactor to assess, by name or ISO-3 code; repeat to add comparators (e.g. `--benefactor
    /// China --benefactor Russia --benefactor France`). Default: China and Russia.
    #[arg(long = "benefactor", short = 'b', value_name = "COUNTRY")]
    pub benefactors: Vec<String>,
    /// Restrict to these recipients, by name or ISO-3 code; may be repeated. Default: every tracked
    /// recipient (every state in Africa, Latin America, the Middle East, South and Southeast Asia).
    #[arg(long = "recipient", short = 'r', value_name = "COUNTRY")]
    pub recipients: Vec<String>,
    /// Restrict to recipients in these regions: Africa, "Latin America", "Middle East", "South Asia",
    /// "Southeast Asia"; may be repeated.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// A rubric file to use instead of the shipped `datasets/rubric.toml`.
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Count the Soviet Union's arms deliveries as Russia's, for long-run series. Off by default: SIPRI
    /// keeps the two apart, and so does mdime unless asked.
    #[arg(long)]
    pub attribute_ussr_to_russia: bool,
    /// Compare the members of a group of states as it stood at the end of the as-of year (`AES`,
    /// `ECOWAS`, `SADC`, `ASEAN`, `GCC`…: datasets/groups.csv, with dated membership and a source per
    /// row); may be repeated. Group pages and charts are written beside the country reports.
    #[arg(long = "group", value_name = "GROUP")]
    pub groups: Vec<String>,
    /// Two benefactors whose difference to chart, comma-separated (`--versus China,"United States"`);
    /// may be repeated. Default: the first two benefactors.
    #[arg(long = "versus", value_name = "A,B")]
    pub versus: Vec<String>,
}

/// The first year of the assessment window by default, as the M-DIME reports have it.
pub const WINDOW_START: i32 = 2012;

/// Validated options shared by every command that assesses.
#[derive(Debug)]
pub struct Config {
    pub datasets: PathBuf,
    pub benefactors: Vec<Benefactor>,
    pub recipients: Vec<&'static Country>,
    pub window: Window,
    /// The recent years the current level describes: the last `--current-years` of the window.
    pub current: Window,
    pub rubric: Rubric,
    pub attribute_ussr_to_russia: bool,
    /// The curated records (evidence logs…), checked: a defective row stops the command here, before any
    /// work.
    pub curated: Curated,
    /// The groups asked for (`--group`), as they stood at the end of the as-of year.
    pub groups: Vec<GroupOn>,
    /// Pairs of benefactors (indices into `benefactors`) whose difference the run charts: `--versus`, or
    /// the first two.
    pub versus: Vec<(usize, usize)>,
}

impl Config {
    /// The run's benefactors and recipients over `window`.
    pub fn scope(&self, window: Window) -> crate::indicators::Scope<'_> {
        crate::indicators::Scope {
            benefactors: &self.benefactors,
            recipients: &self.recipients,
            window,
            attribute_ussr_to_russia: self.attribute_ussr_to_russia,
        }
    }
}

impl DataArgs {
    /// The benefactors asked for, or those `datasets/benefactors.csv` runs by default, each with its
    /// configured colour; one the file does not list takes the first palette colour no other has.
    fn benefactors(&self, datasets: &Path) -> Result<Vec<Benefactor>> {
        let countries = CountryTable::builtin();
        let configured = crate::ingest::benefactors::load(datasets)?;
        if self.benefactors.is_empty() {
            return Ok(configured.into_iter().filter(|c| c.default_run).map(|c| c.benefactor).collect());
        }
        let mut benefactors: Vec<Benefactor> = Vec::new();
        for name in &self.benefactors {
            let country = resolve_state(countries, "--benefactor", name)?;
            if benefactors.iter().any(|b| b.iso3 == country.iso3) {
                continue;
            }
            // The derived tables keep rows only for the configured benefactors: any other state would
            // be rated Unobserved everywhere for want of rows, not of activity.
            let Some(configured) = configured.iter().find(|c| c.benefactor.iso3 == country.iso3) else {
                let names: Vec<&str> = configured.iter().map(|c| c.benefactor.name.as_str()).collect();
                return Err(Error::option(
                    "--benefactor",
                    format!(
                        "{} is not in {}: the derived tables hold rows only for the benefactors it lists ({}); add a row for it and import the sources again (`mdime import …`)",
                        country.name,
                        datasets.join(crate::ingest::benefactors::FILE).display(),
                        names.join(", ")
                    ),
                ));
            };
            benefactors.push(configured.benefactor.clone());
        }
        Ok(benefactors)
    }

    fn groups(&self, datasets: &Path, as_of: i32) -> Result<Vec<GroupOn>> {
        if self.groups.is_empty() {
            return Ok(Vec::new());
        }
        let known = crate::ingest::groups::load(datasets)?;
        let day = (as_of, 12, 31);
        self.groups
            .iter()
            .map(|name| {
                let group = known.iter().find(|g| g.code.eq_ignore_ascii_case(name.trim())).ok_or_else(|| {
                    let codes: Vec<&str> = known.iter().map(|g| g.code.as_str()).collect();
                    Error::option("--group", format!("unknown group `{name}`; expected one of: {}", codes.join(", ")))
                })?;
                let on = group.on(day);
                if on.members.is_empty() {
                    let founded = group.founded().map_or(String::new(), |(y, m, d)| format!(" (its first members joined on {y}-{m:02}-{d:02})"));
                    return Err(Error::option("--group", format!("{} had no members at the end of {as_of}{founded}", group.code)));
                }
                Ok(on)
            })
            .collect()
    }

    fn versus(&self, benefactors: &[Benefactor]) -> Result<Vec<(usize, usize)>> {
        let countries = CountryTable::builtin();
        if self.versus.is_empty() {
            return Ok(if benefactors.len() >= 2 { vec![(0, 1)] } else { Vec::new() });
        }
        self.versus
            .iter()
            .map(|pair| {
                let names: Vec<&str> = pair.split(',').map(str::trim).collect();
                let [a, b] = names[..] else {
                    return Err(Error::option("--versus", format!("expected two benefactors separated by a comma, found `{pair}`")));
                };
                let index = |name: &str| -> Result<usize> {
                    let country = resolve_state(countries, "--versus", name)?;
                    benefactors.iter().position(|x| x.iso3 == country.iso3).ok_or_else(|| {
                        Error::option("--versus", format!("{} is not a benefactor of this run; add it with --benefactor", country.name))
                    })
                };
                let (a, b) = (index(a)?, index(b)?);
                if a == b {
                    return Err(Error::option("--versus", format!("`{pair}` names one benefactor twice")));
                }
                Ok((a, b))
            })
            .collect()
    }

    pub fn validate(&self) -> Result<Config> {
        let countries = CountryTable::builtin();
        let datasets = datasets_folder(&self.datasets)?;
        let benefactors = self.benefactors(&datasets)?;

        let today = crate::domain::evidence::EventDate::today();
        let curated = Curated::load(&datasets, today)?;
        let (earliest, latest) = indicators::years_of_data(&datasets, &curated, today.year)?;
        let as_of = self.as_of.unwrap_or(latest);
        if !(earliest..=latest).contains(&as_of) {
            return Err(Error::option("--as-of", format!("{as_of} is outside the years of data; expected a year from {earliest} to {latest}")));
        }
        if !(earliest..=as_of).contains(&self.since) {
            return Err(Error::option(
                "--since",
                format!("{} cannot start a window ending in {as_of}; expected a year from {earliest} (the first year of data) to {as_of}", self.since),
            ));
        }

        if self.current_years < 1 {
            return Err(Error::option("--current-years", format!("{}: expected at least one year", self.current_years)));
        }
        let regions = self
            .regions
            .iter()
            .map(|r| {
                Region::parse(r).filter(|r| r.is_tracked()).ok_or_else(|| {
                    let known: Vec<&str> = Region::TRACKED.iter().map(|r| r.label()).collect();
                    Error::option("--region", format!("unknown region `{r}`; expected one of: {} (for a group of states such as AES or ECOWAS, use --group)", known.join(", ")))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let groups = self.groups(&datasets, as_of)?;
        let mut recipients: Vec<&'static Country> = if !self.recipients.is_empty() {
            self.recipients.iter().map(|r| resolve_state(countries, "--recipient", r)).collect::<Result<_>>()?
        } else if !groups.is_empty() {
            let tracked = countries.tracked_recipients(&benefactors);
            tracked.into_iter().filter(|c| groups.iter().any(|g| g.members.iter().any(|m| m.member == c.iso3))).collect()
        } else {
            countries.tracked_recipients(&benefactors)
        };
        if let Some(b) = recipients.iter().find(|r| benefactors.iter().any(|b| b.iso3 == r.iso3)) {
            return Err(Error::option("--recipient", format!("{} is also a benefactor", b.name)));
        }
        if !regions.is_empty() {
            recipients.retain(|c| regions.contains(&c.region));
        }
        recipients.sort_by(|a, b| a.iso3.cmp(&b.iso3));
        recipients.dedup_by(|a, b| a.iso3 == b.iso3);
        if recipients.is_empty() {
            return Err(Error::option("--region", "no tracked recipient matches the given --recipient, --group and --region"));
        }
        let versus = self.versus(&benefactors)?;
        let rubric = match &self.rubric {
            Some(path) => Rubric::load(path)?,
            None => Rubric::builtin(),
        };
        Ok(Config {
            datasets,
            benefactors,
            recipients,
            window: Window { start: self.since, end: as_of },
            current: Window { start: self.since.max(as_of - self.current_years + 1), end: as_of },
            rubric,
            attribute_ussr_to_russia: self.attribute_ussr_to_russia,
            curated,
            groups,
            versus,
        })
    }
}

/// `mdime fetch SOURCE…`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The sources to fetch.
    #[arg(required = true, value_name = "SOURCE", value_parser = fetch_sources())]
    pub sources: Vec<String>,
    #[command(flatten)]
    pub options: FetchOptions,
}

/// The options of a fetch, shared by `mdime fetch` and `mdime update`.
#[derive(Debug, Args)]
pub struct FetchOptions {
    /// The raw-data folder: each source's files go into a sub-folder named after it.
    #[arg(long, env = "MDIME_RAW", default_value = crate::fetch::RAW, value_name = "DIR")]
    pub raw: PathBuf,
    /// For event data: fetch the files of this day (YYYY-MM-DD) and later. Default: from the newest day
    /// already fetched; a first fetch of GDELT must give it.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Read the publisher's layout from this server instead (same file lists and file names), e.g. a
    /// local copy of https://data.gdeltproject.org/events/.
    #[arg(long, value_name = "URL")]
    pub mirror: Option<String>,
    /// Downloads at a time (1 to 16).
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub jobs: usize,
    /// Attempts after the first for a broken connection or a server error (5xx), waiting 1 s, 2 s, 4 s…
    /// between them.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub retries: u32,
}

fn fetch_sources() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(crate::fetch::PUBLISHERS.iter().map(|p| clap::builder::PossibleValue::new(p.name()).help(p.describe())))
}

impl FetchOptions {
    /// The fetch of `sources` these options ask for, checked.
    pub fn validate(&self, sources: &[String]) -> Result<crate::fetch::Request> {
        let since = self
            .since
            .as_deref()
            .map(|text| text.parse::<jiff::civil::Date>().map_err(|e| Error::option("--since", format!("`{text}` is not a date YYYY-MM-DD: {e}"))))
            .transpose()?;
        if let Some(mirror) = &self.mirror {
            if !(mirror.starts_with("http://") || mirror.starts_with("https://")) {
                return Err(Error::option("--mirror", format!("`{mirror}` is not an http:// or https:// URL")));
            }
        }
        if !(1..=16).contains(&self.jobs) {
            return Err(Error::option("--jobs", format!("{}: expected 1 to 16 downloads at a time", self.jobs)));
        }
        let mut publishers = Vec::new();
        for name in sources {
            let publisher = crate::fetch::publisher(name).ok_or_else(|| Error::option("SOURCE", format!("unknown source `{name}`")))?;
            if !publishers.iter().any(|p: &&dyn crate::fetch::Publisher| p.name() == name) {
                publishers.push(publisher);
            }
        }
        Ok(crate::fetch::Request {
            raw: self.raw.clone(),
            sources: publishers,
            since,
            mirror: self.mirror.clone(),
            jobs: self.jobs,
            patience: crate::fetch::Patience { retries: self.retries, backoff: std::time::Duration::from_secs(1) },
            progress: true,
        })
    }
}

/// `mdime update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The sources to fetch first.
    #[arg(value_name = "SOURCE", value_parser = fetch_sources(), default_value = "gdelt")]
    pub sources: Vec<String>,
    #[command(flatten)]
    pub fetch: FetchOptions,
    /// Folder of the updates' runs: one sub-folder per run, `state.json` (what the last update imported
    /// and ran) and `latest.txt` (its printed summary and diff).
    #[arg(long, default_value = "reports/runs", value_name = "DIR")]
    pub runs: PathBuf,
    /// Event files or folders the event import reads besides the fetched GDELT files; may be repeated.
    /// Default: ../shared/data/events.
    #[arg(long, value_name = "FILE|DIR")]
    pub events: Vec<PathBuf>,
    /// Formats of each run, comma-separated, as `mdime run --format` (csv is always written: the diff
    /// reads it).
    #[arg(long = "format", value_delimiter = ',', default_value = "csv", value_name = "LIST")]
    pub formats: Vec<String>,
    /// Folder of the project's derived tables: the imports write there and the runs read it.
    #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
    pub datasets: PathBuf,
    /// Run for these benefactors only (name or ISO-3 code; may be repeated). Default: as `mdime run`.
    #[arg(long = "benefactor", short = 'b', value_name = "COUNTRY")]
    pub benefactors: Vec<String>,
    /// Run for these recipients only (name or ISO-3 code; may be repeated). Default: every tracked one.
    #[arg(long = "recipient", short = 'r', value_name = "COUNTRY")]
    pub recipients: Vec<String>,
}

/// A validated `mdime update`.
#[derive(Debug)]
pub struct Update {
    pub fetch: crate::fetch::Request,
    pub runs: PathBuf,
    /// The event inputs besides the fetched GDELT files; none for the event import's own default.
    pub events: Vec<PathBuf>,
    pub formats: Vec<Format>,
    /// The run's data options, checked once before any work and again after the imports.
    pub data: DataArgs,
}

impl UpdateArgs {
    pub fn validate(&self) -> Result<Update> {
        let fetch = self.fetch.validate(&self.sources)?;
        let mut formats = parse_formats(&self.formats, &Format::ALL)?;
        if !formats.contains(&Format::Csv) {
            formats.insert(0, Format::Csv);
        }
        let data = DataArgs {
            datasets: self.datasets.clone(),
            as_of: None,
            since: WINDOW_START,
            current_years: crate::indicators::CURRENT_YEARS,
            benefactors: self.benefactors.clone(),
            recipients: self.recipients.clone(),
            regions: Vec::new(),
            rubric: None,
            attribute_ussr_to_russia: false,
            groups: Vec::new(),
            versus: Vec::new(),
        };
        data.validate()?;
        Ok(Update { fetch, runs: self.runs.clone(), events: self.events.clone(), formats, data })
    }
}

/// The default of `--datasets`: `datasets/` in the current folder.
pub const DATASETS: &str = "datasets";

/// The datasets folder a command reads: the one given (`--datasets`, else `$MDIME_DATASETS`, else
/// `datasets/` in the current folder). When the default is not there, the `datasets/` of the source
/// folder mdime was built from, so that an installed mdime (`cargo install --path .`) runs from any
/// folder as long as that source folder stays where it was.
pub fn datasets_folder(given: &Path) -> Result<PathBuf> {
    if given.is_dir() {
        return Ok(given.to_path_buf());
    }
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join(DATASETS);
    if given == Path::new(DATASETS) && built_from.is_dir() {
        return Ok(built_from);
    }
    Err(Error::option(
        "--datasets",
        format!("{} is not a folder; give the folder of mdime's tables with --datasets DIR or MDIME_DATASETS", given.display()),
    ))
}

/// The completion script for a shell, from the command-line definitions.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "mdime", &mut script);
    script
}

/// The man pages (roff), generated from the command-line definitions: one per command, named as `man`
/// expects (`mdime.1` first, then `mdime-run.1`, `mdime-import-sipri.1`, …), as (file name, page).
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn pages(command: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        let man = clap_mangen::Man::new(command.clone());
        let mut page = Vec::new();
        man.render(&mut page)?;
        out.push((man.get_filename(), page));
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            pages(sub.clone(), out)?;
        }
        Ok(())
    }
    // Built, so that each subcommand's page is named and titled after its full command (`mdime-run`).
    let mut command = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    command.build();
    let mut out = Vec::new();
    pages(command, &mut out).map_err(|source| Error::Write { path: PathBuf::from("<man page>"), source })?;
    Ok(out)
}

fn resolve_state(countries: &'static CountryTable, option: &str, name: &str) -> Result<&'static Country> {
    countries.state(name).map_err(|message| Error::option(option, message))
}
