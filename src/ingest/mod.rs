//! Readers for the raw third-party files. Each turns one source format into a tidy table in
//! `datasets/`, with a provenance record saying where it came from and what was read.

pub mod alliances;
mod csvfile;
pub mod embargoes;
pub mod evidence;
pub mod exercises;
pub mod peacekeeping;
pub mod dots;
pub mod provenance;
pub mod sipri;
pub mod trade;
mod text;

pub use provenance::Provenance;
