//! Decoding raw text files whose encoding the publisher chose.

use std::path::Path;

use crate::error::{Error, Result};

/// The encoding a file was read in, recorded in provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Latin1,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Latin1 => "ISO-8859-1",
        }
    }
}

/// Reads a file published in ISO-8859-1 (as SIPRI's exports are). A copy re-saved as UTF-8 reads the
/// same, so valid UTF-8 is accepted as such; UTF-16 and binary files are refused, since decoding them
/// byte by byte would produce plausible-looking garbage rather than an error.
pub fn read_latin1_or_utf8(path: &Path) -> Result<(String, Encoding, Vec<u8>)> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || bytes.contains(&0) {
        return Err(Error::Format {
            path: path.to_path_buf(),
            message: "the file is UTF-16 or binary, not text in ISO-8859-1 or UTF-8; re-export it as CSV, \
                      or convert it with `iconv -f UTF-16 -t UTF-8`"
                .into(),
        });
    }
    let (text, encoding) = match std::str::from_utf8(&bytes) {
        Ok(text) => (text.trim_start_matches('\u{feff}').to_string(), Encoding::Utf8),
        Err(_) => (bytes.iter().map(|&b| b as char).collect(), Encoding::Latin1),
    };
    Ok((text, encoding, bytes))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
