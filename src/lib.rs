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
}

pub fn evaluate(config: &Config) -> Result<Evaluation> {
    let scope = Scope {
        benefactors: &config.benefactors,
        recipients: &config.recipients,
        window: config.window,
        attribute_ussr_to_russia: config.attribute_ussr_to_russia,
    };
    let indicators = indicators::compute(&config.datasets, &scope)?;
    let assessments = assess::assess(&indicators, &config.rubric, &scope);
    Ok(Evaluation { indicators, assessments })
}

#[derive(Debug)]
pub struct RunSummary {
    pub evaluation: Evaluation,
    pub written: Vec<PathBuf>,
    pub seconds: f64,
}

/// The main job: evaluate, render, then write every output, replacing earlier outputs only once all are
/// written (a run that fails leaves the previous outputs as they were).
pub fn run(config: &Config, outputs: &cli::Outputs) -> Result<RunSummary> {
    let started = Instant::now();
    let evaluation = evaluate(config)?;
    let dir = &outputs.dir;
    let mut batch = artefact::Batch::new();
    if outputs.formats.contains(&Format::Csv) {
        batch.stage(&dir.join(export::INDICATORS_CSV), &export::indicators_csv(&evaluation.indicators)?)?;
        batch.stage(&dir.join(export::ASSESSMENTS_CSV), &export::assessments_csv(&evaluation.assessments)?)?;
        batch.stage(&dir.join(export::COVERAGE_CSV), &export::coverage_csv(&evaluation.indicators)?)?;
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

/// Runs a parsed command line, printing what a user reads.
pub fn execute(cli: cli::Cli) -> Result<()> {
    match cli.command {
        cli::Command::Import(cli::ImportCommand::Sipri { register, tiv_tables, datasets }) => {
            let report = ingest::sipri::import(&register, &tiv_tables, &datasets)?;
            print!("{}", render::terminal::import_summary(&report.table, &report.provenance));
        }
        cli::Command::Run(args) => {
            let (config, outputs) = args.validate()?;
            let summary = run(&config, &outputs)?;
            let benefactors: Vec<String> = config.benefactors.iter().map(|b| b.iso3.clone()).collect();
            println!(
                "mdime run: {} benefactor(s) × {} recipient(s), window {}",
                config.benefactors.len(),
                config.recipients.len(),
                config.window.label()
            );
            print!("{}", render::terminal::level_counts(&summary.evaluation.assessments, &benefactors));
            print!("{}", render::terminal::files_summary(&summary.written, &outputs.dir));
            println!(
                "{} ratings of {} recipients; done in {:.1} s",
                summary.evaluation.assessments.len(),
                config.recipients.len(),
                summary.seconds
            );
        }
        cli::Command::Assess(args) => {
            let config = args.validate()?;
            let evaluation = evaluate(&config)?;
            for pair in evaluation.assessments.chunks(Assessment::PER_PAIR) {
                println!("{}", render::terminal::pair_table(pair, &config.window.label()));
            }
        }
    }
    Ok(())
}
