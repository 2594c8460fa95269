//! Multilateral arms embargoes from SIPRI's arms embargo archive: the UN Security Council's, the
//! European Union's and a few others' (OSCE, Arab League, regional), each with its target, the dates it
//! entered into force and was suspended or lifted, and the document that established it.
//!
//! The file's quirks, handled on purpose: two-digit years (`19-Dec-00`), read as 1950–2049 since the
//! archive's first embargo dates from 1963; no column for who imposed an embargo, which the document
//! tells (`UNSCR …` the UN, `…/CFSP`, `EC declaration`, `EU …` the EU, `OSCE statement`, `LAS
//! statement` the Arab League, `-` an unnamed other body); non-state targets (the Taliban, ISIL and
//! Al-Qaeda), kept without a country code; `Yugoslavia`, which means the Federal Republic of Yugoslavia
//! for embargoes from 1992; and blank trailing rows. A numbered document given for embargoes entering
//! into force in different years (UNSCR 2216, of 2015, for Yugoslavia in 1991 as well as Yemen) is kept
//! as given, with a note on both rows: the dates, which the indicators use, are not affected.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// SIPRI's arms embargo archive → `datasets/arms_embargoes.csv`: one row per multilateral embargo
/// with its target, who imposed it (UN, EU, OSCE, Arab League, other), its start and end dates and
/// its establishing document.
///
/// Two-digit years (`19-Dec-00`) are read as 1950–2049; an embargo is in force until the earlier of
/// its suspension and its lifting.
#[derive(Debug, clap::Parser)]
#[command(name = "embargoes")]
pub struct ImportArgs {
    /// The archive (default: ../shared/data/sipri/arms-embargoes.csv).
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "embargoes", publisher: "Stockholm International Peace Research Institute (SIPRI)", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
