//! What a person reads: terminal tables and summaries.

pub mod terminal;
