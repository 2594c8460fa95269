//! The import contract every source shares: decoding a raw file whatever was done to it (`text`),
//! detecting its layout and reading it row by row with located problems (`one_file`, `workbook`),
//! checking, staging and committing a derived table (`table`) with its provenance (`provenance`), and
//! the checks every curated record shares (`curated`), and the project's own tables every import reads: the benefactors it keeps (`benefactors`), groups of
//! recipients (`groups`) and the user's extra country spellings (`local_names`).
//!
//! Nothing here knows a particular source: each lives in its own folder under `crate::sources`.

pub mod benefactors;
pub mod curated;
pub mod groups;
pub mod local_names;
pub mod one_file;
pub mod provenance;
pub mod table;
pub mod text;
pub mod topojson;
pub mod workbook;

pub use provenance::Provenance;
pub use text::sha256_hex;
