//! Readers for the raw third-party files. Each turns one source format into a tidy table in
//! `datasets/`, with a provenance record saying where it came from and what was read.

pub mod alliances;
pub mod benefactors;
pub mod borderlands;
pub mod commodities;
pub mod comtrade;
pub mod confucius;
pub mod cow;
pub mod development_finance;
pub mod embargoes;
pub mod events;
pub mod evidence;
pub mod exercises;
pub mod groups;
pub mod ipi;
pub mod local_names;
pub mod peacekeeping;
pub mod dots;
pub mod official_finance;
mod one_file;
pub mod table;
pub mod provenance;
pub mod public_diplomacy;
pub mod sipri;
pub mod state_media;
pub mod students;
pub mod trade;
pub mod unga;
mod text;
mod workbook;

pub use provenance::Provenance;
pub use text::sha256_hex;
