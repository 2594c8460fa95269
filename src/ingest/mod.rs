//! Readers for the raw third-party files. Each turns one source format into a tidy table in
//! `datasets/`, with a provenance record saying where it came from and what was read.

pub mod evidence;
pub mod peacekeeping;
pub mod provenance;
pub mod sipri;
mod text;

pub use provenance::Provenance;
