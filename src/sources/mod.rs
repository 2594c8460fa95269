//! The sources mdime reads, one folder each: its reader (raw files → a derived table in `datasets/`,
//! through the import contract in `crate::ingest`) and its indicators (the table → values per
//! benefactor × recipient × instrument). The rest of the program reaches a source only through the
//! [`Source`] trait and the [`REGISTRY`]: `mdime import`, the indicators, a run's manifest and
//! `datasets/README.md`'s table of imports all iterate the list, so adding a source is one folder and
//! one line here.
//!
//! Curated sources (the evidence logs, the presence, agreements, hostilities and outreach records) are
//! tables the project keeps by hand rather than derives: they have no import, and are checked in full
//! before any work starts ([`Curated::load`]).

pub mod trade_family;

pub mod agreements;
pub mod alliances;
pub mod borderlands;
pub mod commodities;
pub mod confucius;
pub mod development_finance;
pub mod embargoes;
pub mod events;
pub mod evidence;
pub mod exercises;
pub mod hostilities;
pub mod official_finance;
pub mod outreach;
pub mod peacekeeping;
pub mod presence;
pub mod public_diplomacy;
pub mod sipri;
pub mod state_media;
pub mod student_flows;
pub mod students;
pub mod trade;
pub mod unga;

use std::path::{Path, PathBuf};

use clap::{ArgMatches, FromArgMatches};

use crate::domain::evidence::{Event, EventDate};
use crate::domain::outreach::Outreach;
use crate::domain::presence::{Agreement, Hostility, Presence};
use crate::domain::Instrument;
use crate::error::{Error, Result};
use crate::indicators::{Indicators, Scope};
use crate::ingest::table::TableSpec;
use crate::ingest::Provenance;

/// Every source, in the order a run reads them and its manifest lists their tables.
pub static REGISTRY: &[&dyn Source] = &[
    &sipri::SOURCE,
    &peacekeeping::SOURCE,
    &trade::SOURCE,
    &public_diplomacy::SOURCE,
    &official_finance::SOURCE,
    &unga::SOURCE,
    &alliances::SOURCE,
    &exercises::SOURCE,
    &embargoes::SOURCE,
    &events::Events,
    &borderlands::SOURCE,
    &students::SOURCE,
    &student_flows::SOURCE,
    &state_media::SOURCE,
    &confucius::SOURCE,
    &development_finance::SOURCE,
    &commodities::Commodities,
    &evidence::EvidenceLogs,
    &presence::RECORD,
    &agreements::RECORD,
    &hostilities::RECORD,
    &outreach::RECORD,
];

/// What a source is, for `mdime import --help`, `datasets/README.md` and a run's manifest.
#[derive(Debug, Clone, Copy)]
pub struct About {
    /// The source's name on the command line (`mdime import NAME`), lower case with hyphens.
    pub name: &'static str,
    /// Who publishes the raw data.
    pub publisher: &'static str,
    /// How to cite it.
    pub citation: &'static str,
}

/// One derived table a source writes, and the instruments it informs (none for a table that only
/// supports another, such as the event data's coverage).
#[derive(Debug, Clone)]
pub struct Table {
    pub spec: &'static TableSpec,
    pub instruments: Vec<Instrument>,
}

impl Table {
    /// A table whose indicators are rated: it informs their instruments.
    pub fn rated(spec: &'static TableSpec, indicators: &[(Instrument, &str)]) -> Table {
        let mut instruments: Vec<Instrument> = indicators.iter().map(|(i, _)| *i).collect();
        instruments.sort();
        instruments.dedup();
        Table { spec, instruments }
    }
}

/// What an import wrote: its tables (the first is the one its provenance describes in full) and the
/// provenance.
#[derive(Debug)]
pub struct Imported {
    pub tables: Vec<PathBuf>,
    pub provenance: Provenance,
}

/// What the indicators are computed from: the derived tables in `datasets`, and the curated records
/// checked when the run started.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub datasets: &'a Path,
    pub curated: &'a Curated,
}

/// A source of data: how to import it, what it writes, and what it measures.
pub trait Source: Sync {
    fn about(&self) -> About;

    /// The derived tables it writes in `datasets/`, in the order a manifest lists them; none for a
    /// curated source.
    fn tables(&self) -> Vec<Table> {
        Vec::new()
    }

    /// The indicators it computes, per instrument: the names a rubric may rate.
    fn indicators(&self) -> Vec<(Instrument, &'static str)>;

    /// `mdime import NAME`'s arguments (its `clap::Args`, with the source's documentation as help), or
    /// None for a curated source, which nothing imports.
    fn import_command(&self) -> Option<clap::Command> {
        None
    }

    /// The raw files or folders its import reads when given none (`mdime import NAME` alone); `mdime
    /// update` adds the files it fetched to them.
    fn default_inputs(&self) -> Vec<PathBuf> {
        Vec::new()
    }

    /// Runs the import with the parsed arguments of `import_command`, writing into `datasets`.
    fn import(&self, _args: &ArgMatches, _datasets: &Path) -> Result<Imported> {
        Err(Error::option("import", format!("`{}` is curated in the datasets folder, not imported; check it with `mdime validate`", self.about().name)))
    }

    /// The curated files it reads in `datasets` (none for a derived source), for a run's manifest.
    fn curated_files(&self, _datasets: &Path) -> Result<Vec<PathBuf>> {
        Ok(Vec::new())
    }

    /// Its indicators for the benefactors, recipients and window of `scope`; nothing where its tables
    /// have not been imported.
    fn compute(&self, inputs: &Inputs, scope: &Scope) -> Result<Indicators>;

    /// The first and last year of its data, where they bound the years a run may assess (only the arms
    /// register does: its years are the data's).
    fn span(&self, _datasets: &Path) -> Result<Option<(i32, i32)>> {
        Ok(None)
    }
}

/// A source with one derived table whose indicators are rated, imported by one call: what most sources
/// are. `A` is its `mdime import` arguments.
pub struct OneTable<A> {
    pub about: About,
    pub spec: &'static TableSpec,
    pub indicators: &'static [(Instrument, &'static str)],
    /// Reads the raw files the arguments name and writes the table into the datasets folder.
    pub import: fn(A, &Path) -> Result<(PathBuf, Provenance)>,
    pub compute: fn(&Path, &Scope) -> Result<Indicators>,
    /// See [`Source::span`].
    pub span: Option<fn(&Path) -> Result<(i32, i32)>>,
}

impl<A: clap::Parser> Source for OneTable<A> {
    fn about(&self) -> About {
        self.about
    }

    fn tables(&self) -> Vec<Table> {
        vec![Table::rated(self.spec, self.indicators)]
    }

    fn indicators(&self) -> Vec<(Instrument, &'static str)> {
        self.indicators.to_vec()
    }

    fn import_command(&self) -> Option<clap::Command> {
        Some(A::command())
    }

    fn import(&self, args: &ArgMatches, datasets: &Path) -> Result<Imported> {
        let (table, provenance) = (self.import)(parse_args(args)?, datasets)?;
        Ok(Imported { tables: vec![table], provenance })
    }

    fn compute(&self, inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
        (self.compute)(inputs.datasets, scope)
    }

    fn span(&self, datasets: &Path) -> Result<Option<(i32, i32)>> {
        self.span.map(|span| span(datasets)).transpose()
    }
}

/// A curated record of one file in the datasets folder (`presence.csv`, `agreements.csv`…): kept by hand,
/// never imported, read into `Curated` before any work starts.
pub struct CuratedRecord {
    pub about: About,
    pub file: &'static str,
    pub indicators: &'static [(Instrument, &'static str)],
    pub compute: fn(&Inputs, &Scope) -> Result<Indicators>,
}

impl Source for CuratedRecord {
    fn about(&self) -> About {
        self.about
    }

    fn indicators(&self) -> Vec<(Instrument, &'static str)> {
        self.indicators.to_vec()
    }

    fn compute(&self, inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
        (self.compute)(inputs, scope)
    }

    fn curated_files(&self, datasets: &Path) -> Result<Vec<PathBuf>> {
        Ok(Some(datasets.join(self.file)).filter(|p| p.exists()).into_iter().collect())
    }
}

/// The publisher of every curated record.
pub const ANALYSTS: &str = "the project's analysts, each row citing its public sources";

/// The source a user names on the command line (`mdime import NAME`), among those that import.
pub fn importable(name: &str) -> Option<&'static dyn Source> {
    REGISTRY.iter().copied().find(|s| s.about().name == name && s.import_command().is_some())
}

/// Every derived table a run may read, with the instruments it informs, in registry order.
pub fn tables() -> Vec<Table> {
    REGISTRY.iter().flat_map(|s| s.tables()).collect()
}

/// A source's arguments, parsed from the matches its `import_command` produced.
pub(crate) fn parse_args<A: FromArgMatches>(matches: &ArgMatches) -> Result<A> {
    A::from_arg_matches(matches).map_err(|e| Error::option("import", e.to_string()))
}

/// The curated records, every one checked before any work starts: a defective row stops the command
/// with its file, line and column, so a rating never rests on a row nobody could verify.
#[derive(Debug, Default, Clone)]
pub struct Curated {
    /// The evidence logs' events (`datasets/evidence/`).
    pub evidence: Vec<Event>,
    /// The spells of military presence (`datasets/presence.csv`).
    pub presence: Vec<Presence>,
    /// The defence agreements (`datasets/agreements.csv`).
    pub agreements: Vec<Agreement>,
    /// The episodes of hostility (`datasets/hostilities.csv`).
    pub hostilities: Vec<Hostility>,
    /// The cultural and media outlets, training and ICT cooperation (`datasets/outreach.csv`).
    pub outreach: Vec<Outreach>,
}

impl Curated {
    /// Reads and checks every curated table in `datasets`; `today` bounds the dates they may give.
    pub fn load(datasets: &Path, today: EventDate) -> Result<Curated> {
        Ok(Curated {
            evidence: evidence::load(datasets, today)?,
            presence: crate::ingest::curated::load(datasets, today)?,
            agreements: crate::ingest::curated::load(datasets, today)?,
            hostilities: crate::ingest::curated::load(datasets, today)?,
            outreach: crate::ingest::curated::load(datasets, today)?,
        })
    }
}

/// The registry as the Markdown table `datasets/README.md` opens with (a test holds the two equal): per
/// source its command, the tables it writes, the instruments they inform and its publisher.
pub fn catalogue() -> String {
    let mut out = String::from("| source | how it gets into `datasets/` | tables | instruments | publisher |\n|---|---|---|---|---|\n");
    for source in REGISTRY {
        let about = source.about();
        let how = if source.import_command().is_some() { format!("`mdime import {}`", about.name) } else { "curated; `mdime validate`".to_string() };
        let tables = source.tables();
        let files: Vec<String> = tables.iter().map(|t| format!("`{}`", t.spec.file)).collect();
        // A curated source informs the instruments its indicators cover; a derived one, its tables'.
        let mut instruments: Vec<Instrument> = if tables.is_empty() {
            source.indicators().into_iter().map(|(i, _)| i).collect()
        } else {
            tables.iter().flat_map(|t| t.instruments.iter().copied()).collect()
        };
        instruments.sort();
        instruments.dedup();
        let codes: Vec<&str> = instruments.iter().map(|i| i.code()).collect();
        let files = if files.is_empty() { "—".to_string() } else { files.join(", ") };
        out.push_str(&format!("| {} | {how} | {files} | {} | {} |\n", about.name, codes.join(" "), about.publisher));
    }
    out
}
