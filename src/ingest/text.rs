//! Decoding raw text files as publishers and spreadsheets leave them: the first step of every text
//! source's import, so that encodings, byte-order marks and line endings are handled once.

use std::path::Path;

use crate::error::{Error, Result};

/// The encoding a file was read in, recorded in provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// Windows-1252, the superset of ISO-8859-1 that spreadsheets on Windows write; SIPRI's exports are
    /// ISO-8859-1, which decodes the same for every character they use.
    Latin1,
    Utf16,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Latin1 => "ISO-8859-1",
            Encoding::Utf16 => "UTF-16",
        }
    }
}

/// A text file decoded: its text with `\n` line breaks only and no byte-order mark, the raw bytes (for
/// the hash) and what decoding changed, for the provenance record.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    pub bytes: Vec<u8>,
    /// What was normalised (`CRLF line endings`, `UTF-8 byte-order mark`…), empty when nothing was.
    pub normalised: Vec<String>,
}

impl Decoded {
    pub fn sha256(&self) -> String {
        sha256_hex(&self.bytes)
    }

    pub fn lines(&self) -> usize {
        self.text.lines().count()
    }
}

/// Reads a text file in UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (as
/// Excel's "Unicode text" saves), or ISO-8859-1 / Windows-1252 (as SIPRI publishes). CRLF and lone CR
/// line endings become LF, so that line counts and offsets mean the same in every file. Files with NUL
/// bytes and no UTF-16 mark are binary and refused: decoded byte by byte they would turn into
/// plausible-looking garbage rather than an error.
pub fn decode(path: &Path) -> Result<Decoded> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    decode_bytes(path, bytes)
}

pub fn decode_bytes(path: &Path, bytes: Vec<u8>) -> Result<Decoded> {
    let mut normalised = Vec::new();
    let utf16 = if bytes.starts_with(&[0xFF, 0xFE]) {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    let (text, encoding) = if let Some(decoder) = utf16 {
        let (text, _, had_errors) = decoder.decode(&bytes);
        if had_errors {
            return Err(Error::Format { path: path.to_path_buf(), message: "the file starts with a UTF-16 byte-order mark but is not valid UTF-16".into() });
        }
        normalised.push("UTF-16 decoded".to_string());
        (text.trim_start_matches('\u{feff}').to_string(), Encoding::Utf16)
    } else if bytes.contains(&0) {
        return Err(Error::Format {
            path: path.to_path_buf(),
            message: "the file is binary (it has NUL bytes), not text in UTF-8, UTF-16 or ISO-8859-1; \
                      re-export it as CSV"
                .into(),
        });
    } else {
        match std::str::from_utf8(&bytes) {
            Ok(text) => {
                if text.starts_with('\u{feff}') {
                    normalised.push("UTF-8 byte-order mark removed".to_string());
                }
                (text.trim_start_matches('\u{feff}').to_string(), Encoding::Utf8)
            }
            Err(_) => (encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes).0.into_owned(), Encoding::Latin1),
        }
    };
    let text = if text.contains('\r') {
        let crlf = text.matches("\r\n").count();
        let unix = text.replace("\r\n", "\n");
        let lone_cr = unix.matches('\r').count();
        if crlf > 0 {
            normalised.push(format!("{crlf} CRLF line endings"));
        }
        if lone_cr > 0 {
            normalised.push(format!("{lone_cr} CR line endings"));
        }
        unix.replace('\r', "\n")
    } else {
        text
    };
    Ok(Decoded { text, encoding, bytes, normalised })
}

/// The text of a file that must be UTF-8 (names in Cyrillic or other scripts would turn into
/// plausible garbage read as Latin-1), or an error naming the line of the first byte that is not UTF-8
/// and how to convert a file a spreadsheet saved in Latin-1.
pub fn require_utf8<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
        Error::Format {
            path: path.to_path_buf(),
            message: format!(
                "line {line}: not valid UTF-8 (byte 0x{:02X}); the file must be UTF-8: convert it, from Latin-1 for instance, with `iconv -f latin1 -t utf-8 {} > converted.csv`",
                bytes[valid],
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            ),
        }
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `text` is an http(s) URL with a host name: what every curated row's source must be.
pub fn is_url(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")) else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    host.contains('.') && !host.starts_with('.') && !text.chars().any(char::is_whitespace)
}
