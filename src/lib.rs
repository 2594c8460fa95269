//! mdime: the M-DIME framework's assessment of China's and Russia's military influence, computed from
//! public data for every tracked recipient.
//!
//! The pipeline runs one way: `ingest` (raw files → derived tables) → `indicators` → `assess` →
//! `render` and `export`; `diff` compares two runs' outputs. `domain` holds the vocabulary all of them
//! share.

pub mod artefact;
pub mod assess;
pub mod cli;
pub mod diff;
pub mod domain;
pub mod error;
pub mod export;
pub mod fetch;
pub mod indicators;
pub mod ingest;
pub mod project;
pub mod render;
pub mod sources;
pub mod update;

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub use cli::Config;
pub use error::{Error, Result};

use assess::Assessment;
use indicators::{Indicators, Scope};
use render::outputs::Format;

/// Indicators and ratings for a validated configuration, in memory.
#[derive(Debug)]
pub struct Evaluation {
    pub indicators: Indicators,
    pub assessments: Vec<Assessment>,
    pub projections: Vec<project::Projection>,
    /// Present when asked for (`--sensitivity`): one entry per assessment, in the same order.
    pub sensitivity: Option<Vec<assess::Sensitivity>>,
    /// The groups asked for (`--group`), summed up.
    pub groups: Vec<assess::groups::GroupSummary>,
}

pub fn evaluate(config: &Config) -> Result<Evaluation> {
    evaluate_with(config, false)
}

pub fn evaluate_with(config: &Config, with_sensitivity: bool) -> Result<Evaluation> {
    let scope = config.scope(config.window);
    let (indicators, mut assessments) = rate(config, config.window, config.current)?;
    // The forecaster learns from every tracked recipient's history, so that a run restricted to a few
    // projects them as the full run does.
    let forecaster = project::Forecaster::learn(&history(config)?, config.window.end);
    let projections = project::project_all(&indicators, &forecaster, &mut assessments, config.window.end);
    let sensitivity = with_sensitivity.then(|| assess::sensitivity(&indicators, &config.rubric, &scope));
    let groups = config.groups.iter().map(|g| assess::groups::summarise(g, &config.benefactors, &assessments, &indicators)).collect();
    Ok(Evaluation { indicators, assessments, projections, sensitivity, groups })
}

/// The indicators of the run's pairs over `window` and their ratings, the current level over `current`:
/// `evaluate` without projections (every rating's `projected` Unknown), for checks of the ratings alone.
pub fn rate(config: &Config, window: indicators::Window, current: indicators::Window) -> Result<(Indicators, Vec<Assessment>)> {
    let scope = config.scope(window);
    let long = indicators::compute(&config.datasets, &config.curated, &scope)?;
    let recent = indicators::compute(&config.datasets, &config.curated, &config.scope(current))?;
    let indicators = Indicators::rated_over(long, recent);
    let assessments = assess::assess(&indicators, &config.rubric, &scope);
    Ok((indicators, assessments))
}

/// The run's ratings as of the year before its as-of year (window and current years one year earlier,
/// nothing projected), as the CSV tables and manifest `diff` reads, so that the index lists what moved
/// in the last year without an earlier run at hand. None where the window is one year long.
fn previous_as_of(config: &Config, manifest: &export::manifest::Manifest) -> Result<Option<Vec<(String, Vec<u8>)>>> {
    let as_of = config.window.end - 1;
    if as_of < config.window.start {
        return Ok(None);
    }
    let window = indicators::Window { start: config.window.start, end: as_of };
    let current = indicators::Window { start: (config.current.start - 1).max(window.start), end: as_of };
    let (indicators, assessments) = rate(config, window, current)?;
    let evaluation = Evaluation { indicators, assessments, projections: Vec::new(), sensitivity: None, groups: Vec::new() };
    let mut files: Vec<(String, Vec<u8>)> = export::run_tables(&evaluation)?.into_iter().map(|t| (t.file.to_string(), t.csv)).collect();
    let previous = export::manifest::Manifest { as_of, window: [window.start, window.end], current: [current.start, current.end], ..manifest.clone() };
    files.push((export::manifest::FILE.to_string(), previous.to_json()));
    Ok(Some(files))
}

/// The dataset and curated-record indicators of every configured benefactor (`datasets/benefactors.csv`)
/// in every tracked recipient, from `project::HISTORY_START` (or the window's start, if earlier) to the as-of year: what
/// the forecasters learn from and project. A fixed population, whatever the run's benefactors,
/// recipients, regions or groups, so that every command projects a pair alike.
pub fn history(config: &Config) -> Result<Indicators> {
    let benefactors: Vec<domain::Benefactor> = ingest::benefactors::load(&config.datasets)?.into_iter().map(|c| c.benefactor).collect();
    let tracked = domain::CountryTable::builtin().tracked_recipients(&[]);
    let scope = Scope {
        benefactors: &benefactors,
        recipients: &tracked,
        window: indicators::Window { start: config.window.start.min(project::HISTORY_START), end: config.window.end },
        attribute_ussr_to_russia: config.attribute_ussr_to_russia,
    };
    indicators::compute(&config.datasets, &config.curated, &scope)
}

#[derive(Debug)]
pub struct RunSummary {
    pub evaluation: Evaluation,
    pub committed: artefact::Committed,
    pub seconds: f64,
}

/// The main job: evaluate, render, then write every output into a staging folder that replaces the
/// previous run's outputs in one step once all are written (a run that fails, or is interrupted, leaves
/// them as they were). The output folder is locked for the run; the run's manifest.json says what made it.
pub fn run(config: &Config, outputs: &cli::Outputs, with_sensitivity: bool) -> Result<RunSummary> {
    let started = Instant::now();
    let batch = artefact::OutputDir::open(&outputs.dir)?;
    let evaluation = evaluate_with(config, with_sensitivity)?;
    let (csv, parquet) = (outputs.formats.contains(&Format::Csv), outputs.formats.contains(&Format::Parquet));
    let tables = export::run_tables(&evaluation)?;
    let mut compared: Vec<(String, Vec<u8>)> = tables.iter().map(|t| (t.file.to_string(), t.csv.clone())).collect();
    let mut files = Vec::new();
    for table in tables {
        files.extend(table.into_files(csv, parquet)?);
    }
    for (file, bytes) in &files {
        batch.stage(Path::new(file), bytes)?;
    }
    let formats: Vec<&str> = outputs.formats.iter().map(|f| f.name()).collect();
    let manifest = export::manifest::Manifest::new(config, &formats, &files)?;
    let manifest_json = manifest.to_json();
    batch.stage(Path::new(export::manifest::FILE), &manifest_json)?;
    compared.push((export::manifest::FILE.to_string(), manifest_json));
    let this_run = diff::Tables::Memory { name: &outputs.dir, files: &compared };
    let movers = match outputs.compare.as_deref() {
        Some(old) => Some((format!("the run in {}", old.display()), diff::compare_tables(diff::Tables::Folder(old), this_run)?)),
        None => match previous_as_of(config, &manifest)? {
            Some(previous) => {
                let against = format!("as of {}", config.window.end - 1);
                let diff = diff::compare_tables(diff::Tables::Memory { name: Path::new(&against), files: &previous }, this_run)?;
                Some((format!("the same run {against}"), diff))
            }
            None => None,
        },
    };
    let mut scene = render::Scene::new(&evaluation, config);
    scene.movers = movers.as_ref().map(|(against, diff)| render::Movers { against, changes: &diff.changes });
    let show = outputs.progress && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(
        // Each recipient's files, and the overview's.
        Some(scene.recipients.len() as u64 + 1),
        if show { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
    );
    bar.set_style(
        ProgressStyle::with_template("rendering {bar:40} {pos}/{len} recipients {elapsed}").unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    render::outputs::render(&scene, &outputs.formats, &|files| {
        files.iter().try_for_each(|file| batch.stage(&file.path, &file.bytes))?;
        bar.inc(1);
        Ok(())
    })?;
    bar.finish_and_clear();
    let committed = batch.commit()?;
    Ok(RunSummary { evaluation, committed, seconds: started.elapsed().as_secs_f64() })
}

/// What a command leaves the user: the text to print and the exit status (0, or what `mdime update`
/// found: [`update::Verdict`]).
#[derive(Debug)]
pub struct Outcome {
    pub text: String,
    pub code: u8,
}

/// Runs a parsed command line and returns what the user reads; `main` prints it, so that a closed
/// pipe (`mdime … | head`) is not an error.
pub fn execute(cli: cli::Cli) -> Result<Outcome> {
    use std::fmt::Write;
    let mut out = String::new();
    if let Some(given) = cli.command.datasets() {
        // An import may be the one that creates the folder: its local names are then none.
        ingest::local_names::install(&cli::datasets_folder(given).unwrap_or_else(|_| given.to_path_buf()))?;
    }
    match cli.command {
        cli::Command::Import(import) => {
            let imported = import.source.source.import(&import.source.args, &import.datasets)?;
            out.push_str(&render::terminal::import_summary(&imported.tables[0], &imported.provenance));
            for table in &imported.tables[1..] {
                let _ = writeln!(out, "wrote {}", table.display());
            }
        }
        cli::Command::Run(args) => {
            let (config, outputs) = args.validate()?;
            let summary = run(&config, &outputs, args.sensitivity)?;
            let benefactors: Vec<String> = config.benefactors.iter().map(|b| b.iso3.clone()).collect();
            let _ = writeln!(out, 
                "mdime run: {} benefactor(s) × {} recipient(s), window {}",
                config.benefactors.len(),
                config.recipients.len(),
                config.window.label()
            );
            out.push_str(&render::terminal::level_counts(&summary.evaluation.assessments, &benefactors));
            if let Some(sensitivity) = &summary.evaluation.sensitivity {
                let _ = writeln!(out, 
                    "stable under ±{:.0}% thresholds: {:.1}% of assessed ratings",
                    assess::SENSITIVITY * 100.0,
                    100.0 * assess::stable_share(&summary.evaluation.assessments, sensitivity)
                );
                let scope = config.scope(config.window);
                let both = assess::both_rated(&summary.evaluation.indicators, &config.rubric, &scope);
                let agreement = assess::agreement(&both, &config.rubric);
                let _ = writeln!(
                    out,
                    "evidence logs against datasets where both saw activity ({} ratings): mean difference {:+.2} levels, {:.0}% equal, {:.0}% within one; thresholds ×{:.2} would agree best on average",
                    agreement.pairs,
                    agreement.mean_difference,
                    100.0 * agreement.exact,
                    100.0 * agreement.within_one,
                    assess::evidence_factor(&both, &config.rubric)
                );
            }
            out.push_str(&render::terminal::files_summary(&summary.committed, &outputs.dir));
            let _ = writeln!(
                out,
                "{} ratings of {} recipients; done in {:.1} s",
                summary.evaluation.assessments.len(),
                config.recipients.len(),
                summary.seconds
            );
        }
        cli::Command::Explain { benefactor, recipient, instrument, mut data } => {
            let only = instrument.map(|i| i.parse::<domain::Instrument>().map_err(|m| Error::option("INSTRUMENT", m))).transpose()?;
            data.benefactors = vec![benefactor];
            data.recipients = vec![recipient];
            let config = data.validate()?;
            let evaluation = evaluate(&config)?;
            out.push_str(&render::explain::explain_pair(&evaluation.assessments, only, &evaluation.projections, &evaluation.indicators, &config.rubric)
            );
        }
        cli::Command::Backtest { from, output, formats, mut data } => {
            let formats = cli::parse_formats(&formats, &[Format::Csv, Format::Parquet])?;
            // The first case needs `MIN_YEARS` of history from `HISTORY_START`.
            let earliest = project::HISTORY_START + project::MIN_YEARS as i32 - 1;
            let outside = |latest: i32| Error::option("--from", format!("{from} is outside the as-of years a case can be made for, {earliest} to {latest}"));
            if !(earliest..=2100).contains(&from) {
                return Err(outside(2100));
            }
            data.since = project::HISTORY_START.min(from - project::HISTORY_YEARS + 1);
            let config = data.validate()?;
            if from > config.window.end {
                return Err(outside(config.window.end));
            }
            let (cases, _, _) = project::backtest::evaluate(&history(&config)?, config.window.end);
            // The forecaster learns from every configured benefactor; the record shows the run's.
            let cases: Vec<project::backtest::Case> = cases
                .into_iter()
                .filter(|c| {
                    c.as_of >= from
                        && config.benefactors.iter().any(|b| b.iso3 == c.subject.benefactor)
                        && config.recipients.iter().any(|r| r.iso3 == c.subject.recipient)
                })
                .collect();
            let skill = project::backtest::skill(&cases);
            let _lock = artefact::lock_folder(&output)?;
            let mut batch = artefact::Batch::new();
            if !output.join(artefact::INVENTORY).exists() {
                // Marks the folder as mdime's, so that a later run may write into it.
                batch.stage(&output.join(artefact::INVENTORY), b"")?;
            }
            for table in export::backtest_tables(&cases, &skill)? {
                for (file, bytes) in table.into_files(formats.contains(&Format::Csv), formats.contains(&Format::Parquet))? {
                    batch.stage(&output.join(file), &bytes)?;
                }
            }
            out.push_str(&render::terminal::backtest_summary(&skill));
            for path in batch.commit()? {
                let _ = writeln!(out, "wrote {}", path.display());
            }
        }
        cli::Command::Validate { datasets } => {
            let curated = sources::Curated::load(&cli::datasets_folder(&datasets)?, domain::evidence::EventDate::today())?;
            out.push_str(&render::terminal::curated_summary(&curated));
        }
        cli::Command::Diff { old, new, output } => {
            let diff = diff::compare(&old, &new)?;
            out.push_str(&diff::report::terminal(&diff));
            let mut batch = artefact::Batch::new();
            batch.stage(&output.join(diff::report::DIFF_CSV), &diff::report::csv(&diff)?)?;
            batch.stage(&output.join(diff::report::DIFF_MD), diff::report::markdown(&diff).as_bytes())?;
            for path in batch.commit()? {
                let _ = writeln!(out, "wrote {}", path.display());
            }
        }
        cli::Command::Fetch(args) => {
            let request = args.options.validate(&args.sources)?;
            out.push_str(&fetch::fetch(&request)?.summary());
        }
        cli::Command::Update(args) => {
            let updated = update::update(&args.validate()?)?;
            return Ok(Outcome { text: updated.text, code: updated.verdict.exit_code() });
        }
        cli::Command::Sources => out.push_str(&sources::catalogue()),
        cli::Command::Completions { shell } => {
            out.push_str(&String::from_utf8_lossy(&cli::completions(shell)));
        }
        cli::Command::Man { output } => {
            let pages = cli::man_pages()?;
            match output {
                None => out.push_str(&String::from_utf8_lossy(&pages[0].1)),
                Some(dir) => {
                    let mut batch = artefact::Batch::new();
                    for (name, page) in &pages {
                        batch.stage(&dir.join(name), page)?;
                    }
                    let _ = writeln!(out, "wrote {} man pages under {}", batch.commit()?.len(), dir.display());
                }
            }
        }
        cli::Command::Assess(args) => {
            let config = args.validate()?;
            let evaluation = evaluate(&config)?;
            for pair in evaluation.assessments.chunks(Assessment::PER_PAIR) {
                let _ = writeln!(out, "{}", render::terminal::pair_table(pair, &config.window.label()));
            }
        }
    }
    Ok(Outcome { text: out, code: 0 })
}
