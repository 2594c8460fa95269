//! What a person reads: terminal tables and summaries.

pub mod explain;
pub mod terminal;
