//! Command-line flags, and their validation into a `Config` before any work starts: the rest of the
//! program never sees an option it has not checked.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::assess::Rubric;
use crate::domain::{Benefactor, Country, CountryTable, GroupOn, NameMatch, Region, Status, BENEFACTOR_PALETTE};
use crate::error::{Error, Result};
use crate::indicators::{self, Window};
use crate::render::outputs::Format;

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
    /// Derive a project table in `datasets/` from a raw third-party file, with its provenance.
    #[command(subcommand)]
    Import(ImportCommand),
    /// The main job: compute indicators and ratings for every benefactor × tracked recipient and write
    /// the CSV tables, the charts and a report per recipient to the output folder (layout in
    /// reports/README.md).
    Run(RunArgs),
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
        #[arg(long, short, default_value = "reports", value_name = "DIR")]
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
            Command::Import(import) => Some(import.datasets()),
            Command::Run(args) => Some(&args.data.datasets),
            Command::Assess(data) | Command::Explain { data, .. } | Command::Backtest { data, .. } => Some(&data.datasets),
            Command::Validate { datasets } => Some(datasets),
            Command::Diff { .. } | Command::Completions { .. } | Command::Man { .. } => None,
        }
    }
}

impl ImportCommand {
    fn datasets(&self) -> &std::path::Path {
        match self {
            ImportCommand::Sipri { datasets, .. }
            | ImportCommand::Peacekeeping { datasets, .. }
            | ImportCommand::Alliances { datasets, .. }
            | ImportCommand::Exercises { datasets, .. }
            | ImportCommand::Embargoes { datasets, .. }
            | ImportCommand::Trade { datasets, .. }
            | ImportCommand::PublicDiplomacy { datasets, .. }
            | ImportCommand::OfficialFinance { datasets, .. }
            | ImportCommand::Unga { datasets, .. }
            | ImportCommand::Events { datasets, .. }
            | ImportCommand::Commodities { datasets, .. }
            | ImportCommand::Borderlands { datasets, .. }
            | ImportCommand::Students { datasets, .. }
            | ImportCommand::StateMedia { datasets, .. }
            | ImportCommand::ConfuciusInstitutes { datasets, .. }
            | ImportCommand::DevelopmentFinance { datasets, .. } => datasets,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// SIPRI Arms Transfers Database export → `datasets/arms_transfers.csv`: delivered TIV per supplier ×
    /// recipient × year.
    ///
    /// Both layouts SIPRI has shipped are read, recognised by their header: the trade register (one
    /// record per deal; its delivered TIV is split evenly across the deal's years of delivery) and the
    /// per-delivery export of 2024 on (one record per deal and delivery year, with that year's TIV).
    /// ISO-8859-1 or UTF-8, CRLF, a `;` closing each line and rows padded by a spreadsheet are all read
    /// as SIPRI wrote them. Pass SIPRI's yearly TIV tables with `--tiv-table` to measure the yearly
    /// figures against SIPRI's own.
    Sipri {
        /// The export, e.g. ../shared/data/sipri/trade-register-2025-03-13.csv
        register: PathBuf,
        /// A SIPRI yearly TIV table to compare with: one supplier's exports as SIPRI generates it
        /// (TIV-Export-CHI-1950-2021.csv…), or every supplier's in a tidy `supplier,recipient,year,value`
        /// file; may be repeated.
        #[arg(long = "tiv-table", value_name = "FILE")]
        tiv_tables: Vec<PathBuf>,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// UN peacekeeping contributions and Geo-PKO deployments → `datasets/peacekeeping.csv`: uniformed
    /// personnel per contributor × mission × host country × year, with the mission's total.
    ///
    /// Each file is recognised by its header: the UN's contributor × mission × year averages
    /// (2010–2021) and Geo-PKO's mission × year × location map (1994–2024). Where both cover a mission
    /// in a year the UN figures are used, unless that UN year is under-counted (months missing) and
    /// Geo-PKO's mission total is larger. Missions are placed in their host country by
    /// datasets/un_missions.csv. IPI's monthly files (a contributor's totals, named after it, and the
    /// missions' totals, 1990–2014) do not feed the table, which needs contributor × mission figures:
    /// the provenance compares the table with them year by year.
    Peacekeeping {
        /// The raw files (default: the UN and Geo-PKO files under ../shared/data/peacekeeping/).
        #[arg(value_name = "FILE", default_values = crate::ingest::peacekeeping::DEFAULT_FILES)]
        files: Vec<PathBuf>,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// ATOP v5.1 alliance obligations (directed dyad-years with China or Russia) →
    /// `datasets/alliances.csv`: the defence, offence, neutrality, non-aggression and consultation
    /// obligations in force between each benefactor and each partner, per year (to 2018).
    ///
    /// Each dyad-year's two directions are joined into one row; obligations only one side has undertaken
    /// are named. Correlates of War codes resolve by year: 365 is the Soviet Union from 1922 to 1991, 345
    /// Serbia from 2006.
    Alliances {
        /// The ATOP file (default: ../shared/data/alliances/atop-v5.1-china-russia.csv).
        #[arg(value_name = "FILE", default_value = crate::ingest::alliances::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// Russia's joint military exercises with foreign partners, 2009–2018 (Russian Ministry of Defence)
    /// → `datasets/exercises.csv`: one row per exercise × partner, with the exercise's name in Russian,
    /// its year, its number of foreign partners (one: bilateral; more: multilateral) and its source URL.
    Exercises {
        /// The exercise list (default: ../shared/data/exercises/russia-joint-exercises-2009-2018.csv).
        #[arg(value_name = "FILE", default_value = crate::ingest::exercises::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// Machine-coded event data (ICEWS benchmark sets and Dataverse files, GDELT 2.0 and 1.0 exports,
    /// POLECAT) → `datasets/events.csv`: events, weighted events, days covered and the rate per 30 covered
    /// days per benefactor × recipient × instrument × year, with `event_coverage.csv` (the countries each
    /// year's sources see) and `event_rows.parquet` (the events behind the counts).
    ///
    /// Each file's layout is recognised from its content; folders and zips are searched. The CAMEO codes
    /// count for instruments by `datasets/cameo_instruments.csv`; people are placed by
    /// `datasets/office_holders.csv`. With no FILE and no --aggregate, reads ../shared/data/events.
    Events {
        /// Event files, folders or zips (default: ../shared/data/events).
        #[arg(value_name = "FILE|DIR")]
        files: Vec<PathBuf>,
        /// The result of sql/gdelt_events.sql run on another engine (BigQuery, Spark, DuckDB), saved as
        /// CSV: its yearly counts are taken as a GDELT source; may be repeated.
        #[arg(long = "aggregate", value_name = "FILE")]
        aggregates: Vec<PathBuf>,
        /// A benefactor whose events to keep, by name or ISO-3 code; repeat for several. Default: every
        /// benefactor in `datasets/benefactors.csv`.
        #[arg(long = "benefactor", short = 'b', value_name = "COUNTRY")]
        benefactors: Vec<String>,
        /// Folder of the project's derived tables (the CAMEO, office-holder and benefactor tables are read
        /// from it).
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// SIPRI's arms embargo archive → `datasets/arms_embargoes.csv`: one row per multilateral embargo
    /// with its target, who imposed it (UN, EU, OSCE, Arab League, other), its start and end dates and
    /// its establishing document.
    ///
    /// Two-digit years (`19-Dec-00`) are read as 1950–2049; an embargo is in force until the earlier of
    /// its suspension and its lifting.
    Embargoes {
        /// The archive (default: ../shared/data/sipri/arms-embargoes.csv).
        #[arg(value_name = "FILE", default_value = crate::ingest::embargoes::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// IMF Direction of Trade Statistics workbooks (one per reporting economy) → `datasets/trade.csv`:
    /// each benefactor's exports, imports and total trade with every partner per year (US$ millions),
    /// with the partner's total trade with the world.
    ///
    /// Per flow and year the benefactor's own report comes first (DOTS, then its later DOTS download
    /// `--own-report`, then its own report to UN Comtrade), then the partner's mirror report (DOTS, then
    /// UN Comtrade); each row names the source it took, and the provenance records how far the sources
    /// disagree where both have a figure.
    Trade {
        /// The folder of DOTS workbooks, e.g. ../shared/data/trade/imf-dots-1960-2020
        dots: PathBuf,
        /// A later DOTS download of a benefactor's own report (sheets `Exports, FOB` and/or
        /// `Imports, CIF`), used for years the folder lacks; may be repeated.
        #[arg(long = "own-report", value_name = "FILE")]
        own_reports: Vec<PathBuf>,
        /// A UN Comtrade extract of China's trade (cipf-comtrade layout): the partners' reports
        /// (`China_2.1.1_top_export_partners_reverse.xlsx`, `China_3.1.1_top_import_partners.xlsx`) or
        /// China's own (`china-reported-lusophone-2003-2024.xlsx`), for years after DOTS; may be repeated.
        /// The extract's last year is left out when it is a part-year (fewer than half as many partners
        /// report it as the year before).
        #[arg(long = "comtrade", value_name = "FILE")]
        comtrade: Vec<PathBuf>,
        /// Correlates of War Trade v4.0 dyads with the benefactors (`cow-trade-v4-china-russia.csv`): the
        /// last resort for a flow no other source reports (to 2014), and a check on the others.
        #[arg(long, value_name = "FILE")]
        cow: Option<PathBuf>,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// AidData's China Public Diplomacy dataset (v2.0, 38 Asia-Pacific recipients, 2000–2018) →
    /// `datasets/public_diplomacy.csv`: China's military and government visits, Confucius Institutes,
    /// media partnerships and other outreach per recipient × year (D1 and I1).
    ///
    /// `N/A` stays missing, except in military visits: between a recipient's first and last year with a
    /// figure it means no visit (the file never writes 0 there for South and Central Asia) and is read
    /// as 0, flagged in the table.
    PublicDiplomacy {
        /// The CSV file.
        #[arg(value_name = "FILE", default_value = crate::ingest::public_diplomacy::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// AidData's Global Chinese Official Finance dataset (GCOF v1.0, .xlsx, projects 2000–2014) →
    /// `datasets/official_finance.csv`: one row per project with one recipient country, flagged ICT (I2)
    /// and military-linked or security (D3) by a documented rule on sector, title and agencies.
    ///
    /// Projects AidData does not recommend for research (umbrella projects, pledges, cancelled and
    /// suspended ones) and regional or multi-country projects are set aside, counted by reason.
    OfficialFinance {
        /// The workbook.
        #[arg(value_name = "FILE", default_value = crate::ingest::official_finance::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// UN General Assembly ideal points (Bailey, Strezhnev & Voeten, July 2023) →
    /// `datasets/unga_ideal_points.csv`: each country's ideal point per session, by Correlates of War
    /// code. The distance between a recipient's and a benefactor's points is reported as context for
    /// I1, never rated.
    Unga {
        /// The CSV file.
        #[arg(value_name = "FILE", default_value = crate::ingest::unga::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// UN Comtrade extracts by HS code → `datasets/commodity_trade.csv`: trade in the strategic
    /// commodities of datasets/strategic_commodities.csv (crude oil, gold, uranium, lithium, cobalt,
    /// copper, rare earths…) per exporter × importer × HS code × year, in US dollars (E3).
    ///
    /// Three layouts are read, recognised by their header: cipf-comtrade's ranked buyers of an
    /// exporter's products (`…_exports_products_partners_…_reverse.xlsx`: the five largest buyers and
    /// the exporter's total), its ranked suppliers of an importer's products (`China_3.3_imports_…`: the
    /// importer named by the file), and the Comtrade API's own table (every reporter with one partner;
    /// only the totals of flows M and X are read).
    Commodities {
        /// The extracts (default: the files under ../shared/data/trade/hs/).
        #[arg(value_name = "FILE", default_values = crate::ingest::commodities::DEFAULT_FILES)]
        files: Vec<PathBuf>,
        /// Folder of the project's derived tables (its strategic_commodities.csv names the HS codes).
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// NBR/AidData's "Mapping China's Borderlands" panel (28 Asian states, 1999–2024) →
    /// `datasets/borderlands.csv`: China's senior military engagements (visits and naval port calls, one
    /// count) and joint exercises from NDU's Chinese Military Diplomacy Database (D1, M1), surveillance
    /// projects (I2), content-sharing partnerships and Confucius Institutes (I1), per state × year.
    ///
    /// The CSV and NBR's workbook (Strict Open XML) are compared cell by cell; the table takes the
    /// workbook's full values where the CSV's are rounded (`1.09671E+11`). `NA` is read as 0 within the
    /// codebook's years in the count columns that never hold a 0; the last year is flagged a part-year
    /// when it lists fewer states and under half the engagements of the year before.
    Borderlands {
        /// The panel as CSV (default: ../shared/data/china-military-diplomacy/china_data.csv).
        #[arg(value_name = "FILE", default_value = crate::ingest::borderlands::DEFAULT_FILE)]
        file: PathBuf,
        /// The panel as NBR released it, for its full-precision values (default: china_data.xlsx beside
        /// the default CSV).
        #[arg(long, value_name = "FILE", default_value = crate::ingest::borderlands::DEFAULT_WORKBOOK)]
        workbook: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// International students in China by country of origin, with Chinese-government scholarship
    /// holders, 2010–2018 (China's Ministry of Education, in `stu_CTC_new.xlsx`) →
    /// `datasets/students_in_china.csv` (D2, a proxy: civilian students, not officers).
    ///
    /// The workbook's unnamed first column (a pandas index) is checked to run without a gap; headers are
    /// read without trailing spaces; the computed share of scholarship holders (`inf` where there are no
    /// students) is checked against the counts and not kept.
    Students {
        /// The workbook (default: ../shared/data/aiddata/stu_CTC_new.xlsx).
        #[arg(value_name = "FILE", default_value = crate::ingest::students::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// CANIS's list of PRC state media accounts on social media (3 November 2023) →
    /// `datasets/state_media_accounts.csv`: one row per account with its owner, language, region of
    /// focus and followers per platform (I1; a 2023 snapshot).
    ///
    /// A focus on a region or organisation (`MENA`, `African Union`, `ASEAN`, `East African Community`) is
    /// attributed to each member in equal shares (organisations' members on the list's date by
    /// datasets/groups.csv); the worldwide language services (`Anglosphere`, `la Francophonie`,
    /// `Hispanophone`, `Lusophone`), the UN's and the EU's accounts and those on China itself to no
    /// recipient.
    StateMedia {
        /// The CSV file (default: ../shared/data/media/CANIS_PRC_state_media_on_social_media_platforms-2023-11-03.csv).
        #[arg(value_name = "FILE", default_value = crate::ingest::state_media::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// Confucius Institutes worldwide (bridash, from Dig Mandarin's list of 2021) →
    /// `datasets/confucius_institutes.csv`: one row per institute with its host, partner university,
    /// country and founding date where known (I1).
    ///
    /// Dates are read as M/D/YY; an institute listed twice under the same name in one country is kept
    /// once.
    ConfuciusInstitutes {
        /// The CSV file (default: ../shared/data/media/confucius_institutes.csv).
        #[arg(value_name = "FILE", default_value = crate::ingest::confucius::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
    /// AidData's Global Chinese Development Finance Dataset 3.0, by recipient and year (odadata's
    /// `cow_gcdf.csv`, 2000–2021) → `datasets/development_finance.csv`: ODA-like, OOF-like and vague
    /// official commitments, constant 2021 US$ millions (context for D3 and E3).
    DevelopmentFinance {
        /// The CSV file (default: ../shared/data/aiddata/cow_gcdf.csv).
        #[arg(value_name = "FILE", default_value = crate::ingest::development_finance::DEFAULT_FILE)]
        file: PathBuf,
        /// Folder of the project's derived tables.
        #[arg(long, env = "MDIME_DATASETS", default_value = DATASETS, value_name = "DIR")]
        datasets: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Folder for the run's outputs; existing files of the same names are replaced only once every
    /// output has been written.
    #[arg(long, short, default_value = "reports", value_name = "DIR")]
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
}

/// Validated options of `mdime run` beyond the shared ones.
#[derive(Debug, Clone)]
pub struct Outputs {
    pub dir: PathBuf,
    /// Sorted, without repeats.
    pub formats: Vec<Format>,
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
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
        Ok((config, Outputs { dir: self.output.clone(), formats, progress: true }))
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
    /// First year of the assessment window (the M-DIME reports use 2012).
    #[arg(long, default_value_t = 2012, value_name = "YEAR")]
    pub since: i32,
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

/// Validated options shared by every command that assesses.
#[derive(Debug)]
pub struct Config {
    pub datasets: PathBuf,
    pub benefactors: Vec<Benefactor>,
    pub recipients: Vec<&'static Country>,
    pub window: Window,
    pub rubric: Rubric,
    pub attribute_ussr_to_russia: bool,
    /// The evidence logs, checked: a defective log stops the command here, before any work.
    pub events: Vec<crate::ingest::evidence::Event>,
    /// The groups asked for (`--group`), as they stood at the end of the as-of year.
    pub groups: Vec<GroupOn>,
    /// Pairs of benefactors (indices into `benefactors`) whose difference the run charts: `--versus`, or
    /// the first two.
    pub versus: Vec<(usize, usize)>,
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
            let benefactor = match configured.iter().find(|c| c.benefactor.iso3 == country.iso3) {
                Some(c) => c.benefactor.clone(),
                None => Benefactor { iso3: country.iso3.clone(), name: country.name.clone(), colour: [0, 0, 0] },
            };
            benefactors.push(benefactor);
        }
        let listed: Vec<bool> = benefactors.iter().map(|b| configured.iter().any(|c| c.benefactor.iso3 == b.iso3)).collect();
        for index in (0..benefactors.len()).filter(|&i| !listed[i]) {
            let taken: Vec<[u8; 3]> = benefactors.iter().zip(&listed).filter(|(_, &l)| l).map(|(b, _)| b.colour).chain(benefactors[..index].iter().map(|b| b.colour)).collect();
            benefactors[index].colour = BENEFACTOR_PALETTE.into_iter().find(|c| !taken.contains(c)).unwrap_or(BENEFACTOR_PALETTE[index % BENEFACTOR_PALETTE.len()]);
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

        let today = crate::ingest::evidence::EventDate::today();
        let events = crate::ingest::evidence::load(&datasets, today)?;
        let (earliest, latest) = indicators::years_of_data(&datasets, &events, today.year)?;
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
            rubric,
            attribute_ussr_to_russia: self.attribute_ussr_to_russia,
            events,
            groups,
            versus,
        })
    }
}

/// The benefactors an event import keeps, as ISO-3 codes: those named, or every benefactor
/// `datasets/benefactors.csv` configures.
pub fn event_benefactors(names: &[String], datasets: &Path) -> Result<Vec<String>> {
    if names.is_empty() {
        return crate::ingest::benefactors::carried(datasets);
    }
    let countries = CountryTable::builtin();
    let mut codes = Vec::new();
    for name in names {
        let country = resolve_state(countries, "--benefactor", name)?;
        if !codes.contains(&country.iso3) {
            codes.push(country.iso3.clone());
        }
    }
    Ok(codes)
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
    match countries.resolve(name) {
        Some(NameMatch::Country(c)) if c.status == Status::State => Ok(c),
        Some(NameMatch::Country(c)) if c.status == Status::Historical => {
            Err(Error::option(option, format!("{} is a former state; name a current one", c.name)))
        }
        Some(NameMatch::Country(c)) => {
            Err(Error::option(option, format!("{} is a dependent territory, which mdime does not assess", c.name)))
        }
        Some(NameMatch::NonCountry(kind)) => {
            Err(Error::option(option, format!("`{name}` is not a country (it is listed as {kind})")))
        }
        None => Err(Error::option(option, countries.unknown(name))),
    }
}
