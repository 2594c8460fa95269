//! mdime: the M-DIME framework's assessment of China's and Russia's military influence, computed from
//! public data for every tracked recipient.
//!
//! The pipeline runs one way: `ingest` (raw files → derived tables) → `indicators` → `assess` →
//! `render` and `export`. `domain` holds the vocabulary all of them share.

pub mod artefact;
pub mod assess;
pub mod cli;
pub mod domain;
pub mod error;
pub mod export;
pub mod indicators;
pub mod ingest;
pub mod project;
pub mod render;

use std::io::IsTerminal;
use std::path::PathBuf;
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
}

pub fn evaluate(config: &Config) -> Result<Evaluation> {
    evaluate_with(config, false)
}

pub fn evaluate_with(config: &Config, with_sensitivity: bool) -> Result<Evaluation> {
    let scope = Scope {
        benefactors: &config.benefactors,
        recipients: &config.recipients,
        window: config.window,
        attribute_ussr_to_russia: config.attribute_ussr_to_russia,
    };
    let indicators = indicators::compute(&config.datasets, &config.events, &scope)?;
    let mut assessments = assess::assess(&indicators, &config.rubric, &scope);
    // The forecaster learns from every tracked recipient's history, so that a run restricted to a few
    // projects them as the full run does.
    let forecaster = project::Forecaster::learn(&history(config)?, config.window.end);
    let projections = project::project_all(&indicators, &forecaster, &mut assessments, config.window.end);
    let sensitivity = with_sensitivity.then(|| assess::sensitivity(&indicators, &config.rubric, &scope));
    Ok(Evaluation { indicators, assessments, projections, sensitivity })
}

/// The dataset indicators of every tracked recipient from `project::HISTORY_START` (or the window's
/// start, if earlier) to the as-of year: what the forecasters learn from and project.
pub fn history(config: &Config) -> Result<Indicators> {
    let tracked = domain::CountryTable::builtin().tracked_recipients(&config.benefactors);
    let scope = Scope {
        benefactors: &config.benefactors,
        recipients: &tracked,
        window: indicators::Window { start: config.window.start.min(project::HISTORY_START), end: config.window.end },
        attribute_ussr_to_russia: config.attribute_ussr_to_russia,
    };
    indicators::compute(&config.datasets, &[], &scope)
}

#[derive(Debug)]
pub struct RunSummary {
    pub evaluation: Evaluation,
    pub written: Vec<PathBuf>,
    pub seconds: f64,
}

/// The main job: evaluate, render, then write every output, replacing earlier outputs only once all are
/// written (a run that fails leaves the previous outputs as they were).
pub fn run(config: &Config, outputs: &cli::Outputs, with_sensitivity: bool) -> Result<RunSummary> {
    let started = Instant::now();
    let evaluation = evaluate_with(config, with_sensitivity)?;
    let dir = &outputs.dir;
    let mut batch = artefact::Batch::new();
    if outputs.formats.contains(&Format::Csv) {
        batch.stage(&dir.join(export::INDICATORS_CSV), &export::indicators_csv(&evaluation.indicators)?)?;
        batch.stage(&dir.join(export::ASSESSMENTS_CSV), &export::assessments_csv(&evaluation.assessments)?)?;
        batch.stage(&dir.join(export::COVERAGE_CSV), &export::coverage_csv(&evaluation.indicators)?)?;
        batch.stage(&dir.join(export::PROJECTIONS_CSV), &export::projections_csv(&evaluation.projections)?)?;
        if let Some(sensitivity) = &evaluation.sensitivity {
            batch.stage(&dir.join(export::SENSITIVITY_CSV), &export::sensitivity_csv(&evaluation.assessments, sensitivity)?)?;
        }
    }
    let scene = render::Scene::new(&evaluation, &config.benefactors, &config.recipients, config.window);
    let show = outputs.progress && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(
        Some(scene.recipients.len() as u64),
        if show { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
    );
    bar.set_style(
        ProgressStyle::with_template("rendering {bar:40} {pos}/{len} recipients {elapsed}").unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let files = render::outputs::render(&scene, &outputs.formats, &|| bar.inc(1))?;
    bar.finish_and_clear();
    for file in files {
        batch.stage(&dir.join(&file.path), &file.bytes)?;
    }
    let written = batch.commit()?;
    Ok(RunSummary { evaluation, written, seconds: started.elapsed().as_secs_f64() })
}

/// Runs a parsed command line and returns what the user reads; `main` prints it, so that a closed
/// pipe (`mdime … | head`) is not an error.
pub fn execute(cli: cli::Cli) -> Result<String> {
    use std::fmt::Write;
    let mut out = String::new();
    match cli.command {
        cli::Command::Import(cli::ImportCommand::Sipri { register, tiv_tables, datasets }) => {
            let report = ingest::sipri::import(&register, &tiv_tables, &datasets)?;
            out.push_str(&render::terminal::import_summary(&report.table, &report.provenance));
        }
        cli::Command::Import(cli::ImportCommand::Peacekeeping { files, datasets }) => {
            let report = ingest::peacekeeping::import(&files, &datasets)?;
            out.push_str(&render::terminal::import_summary(&report.table, &report.provenance));
        }
        cli::Command::Import(cli::ImportCommand::Trade { dots, own_reports, comtrade, cow, datasets }) => {
            let report = ingest::trade::import(&dots, &own_reports, &comtrade, cow.as_deref(), &datasets)?;
            out.push_str(&render::terminal::import_summary(&report.table, &report.provenance));
        }
        cli::Command::Import(cli::ImportCommand::PublicDiplomacy { file, datasets }) => {
            let report = ingest::public_diplomacy::import(&file, &datasets)?;
            out.push_str(&render::terminal::import_summary(&report.table, &report.provenance));
        }
        cli::Command::Import(cli::ImportCommand::OfficialFinance { file, datasets }) => {
            let report = ingest::official_finance::import(&file, &datasets)?;
            out.push_str(&render::terminal::import_summary(&report.table, &report.provenance));
        }
        cli::Command::Import(cli::ImportCommand::Unga { file, datasets }) => {
            let report = ingest::unga::import(&file, &datasets)?;
            out.push_str(&render::terminal::import_summary(&report.table, &report.provenance));
        }
        cli::Command::Import(cli::ImportCommand::Alliances { file, datasets }) => {
            let report = ingest::alliances::import(&file, &datasets)?;
            out.push_str(&render::terminal::import_summary(&report.table, &report.provenance));
        }
        cli::Command::Import(cli::ImportCommand::Exercises { file, datasets }) => {
            let report = ingest::exercises::import(&file, &datasets)?;
            out.push_str(&render::terminal::import_summary(&report.table, &report.provenance));
        }
        cli::Command::Import(cli::ImportCommand::Embargoes { file, datasets }) => {
            let report = ingest::embargoes::import(&file, &datasets)?;
            out.push_str(&render::terminal::import_summary(&report.table, &report.provenance));
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
                let scope = Scope {
                    benefactors: &config.benefactors,
                    recipients: &config.recipients,
                    window: config.window,
                    attribute_ussr_to_russia: config.attribute_ussr_to_russia,
                };
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
            out.push_str(&render::terminal::files_summary(&summary.written, &outputs.dir));
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
        cli::Command::Backtest { from, output, mut data } => {
            data.since = project::HISTORY_START.min(from - project::HISTORY_YEARS + 1);
            let config = data.validate()?;
            let (cases, _, _) = project::backtest::evaluate(&history(&config)?, config.window.end);
            let cases: Vec<project::backtest::Case> = cases
                .into_iter()
                .filter(|c| c.as_of >= from && config.recipients.iter().any(|r| r.iso3 == c.subject.recipient))
                .collect();
            let skill = project::backtest::skill(&cases);
            let mut batch = artefact::Batch::new();
            batch.stage(&output.join(export::BACKTEST_CSV), &export::backtest_csv(&cases)?)?;
            batch.stage(&output.join(export::BACKTEST_SUMMARY_CSV), &export::backtest_summary_csv(&skill)?)?;
            out.push_str(&render::terminal::backtest_summary(&skill));
            for path in batch.commit()? {
                let _ = writeln!(out, "wrote {}", path.display());
            }
        }
        cli::Command::Validate { datasets } => {
            let events = ingest::evidence::load(&datasets, ingest::evidence::EventDate::today())?;
            out.push_str(&render::terminal::evidence_summary(&events));
        }
        cli::Command::Assess(args) => {
            let config = args.validate()?;
            let evaluation = evaluate(&config)?;
            for pair in evaluation.assessments.chunks(Assessment::PER_PAIR) {
                let _ = writeln!(out, "{}", render::terminal::pair_table(pair, &config.window.label()));
            }
        }
    }
    Ok(out)
}
