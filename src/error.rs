use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One defect in an input file, located precisely enough to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub line: usize,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: column `{}`: {}", self.path.display(), self.line, self.column, self.message)
    }
}

/// How many problems an error message lists before it summarises the rest.
const PROBLEMS_SHOWN: usize = 20;

pub(crate) fn list_problems(problems: &[Problem]) -> String {
    let mut text: String = problems.iter().take(PROBLEMS_SHOWN).map(|p| format!("\n  {p}")).collect();
    if problems.len() > PROBLEMS_SHOWN {
        text.push_str(&format!("\n  … and {} more", problems.len() - PROBLEMS_SHOWN));
    }
    text
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },

    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },

    /// The file as a whole is not what was expected (encoding, missing header, missing columns).
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },

    /// One or more rows are defective; nothing was written.
    #[error("{} has {} problem(s); nothing was written:{}", path.display(), problems.len(), list_problems(problems))]
    Invalid { path: PathBuf, problems: Vec<Problem> },

    /// Evidence logs with defects; nothing was run or written.
    #[error("the evidence logs have {} problem(s); nothing was written:{}", problems.len(), list_problems(problems))]
    Evidence { problems: Vec<Problem> },

    /// The input held no records: nothing was written, and the table it would have replaced is kept.
    #[error("{} has no records; nothing was written and {} is unchanged", path.display(), table.display())]
    Empty { path: PathBuf, table: PathBuf },

    /// An import would have written values outside what its columns can plausibly take.
    #[error("{} gives values no table should hold; nothing was written:{}", input.display(), list_problems(problems))]
    Implausible { input: PathBuf, problems: Vec<Problem> },

    /// A derived table no longer matches what its import wrote.
    #[error("{} cannot be used: {message}; run `{command}` to derive it again", path.display())]
    TableChanged { path: PathBuf, message: String, command: String },

    #[error("{} is missing: run `{command}` first to derive it", path.display())]
    MissingDataset { path: PathBuf, command: String },

    /// An option's value cannot be used; names the option so the user knows what to change.
    #[error("{option}: {message}")]
    Option { option: String, message: String },

    #[error("rubric {}: {key}: {message}", path.display())]
    Rubric { path: PathBuf, key: String, message: String },

    #[error("cannot draw the chart `{chart}`: {message}")]
    Chart { chart: String, message: String },

    #[error("data query failed: {0}")]
    Polars(#[from] polars::error::PolarsError),

    /// A data query failed on an input file's records: the file, and the lines where they are known.
    #[error("{}{}: data query failed: {source}", path.display(), lines.map(|(first, last)| format!(":{first}-{last}")).unwrap_or_default())]
    Query { path: PathBuf, lines: Option<(usize, usize)>, source: polars::error::PolarsError },

    /// The server answered a download with an error status (after the retries a 5xx earns).
    #[error("GET {url}: HTTP {status}{}", http_hint(*status, *attempts))]
    Http { url: String, status: u16, attempts: u32 },

    /// The connection failed or broke off, as many times as the retries allow; a partial download is
    /// kept and resumed by the next fetch.
    #[error("GET {url}: {message} (gave up after {attempts} attempt(s); run the fetch again to resume)")]
    Connection { url: String, message: String, attempts: u32 },

    /// A downloaded file differs from what its publisher lists for it; it was removed.
    #[error("{url}: {algorithm} is {got} where the publisher lists {expected}; the download was removed and nothing was kept")]
    ChecksumMismatch { url: String, algorithm: String, expected: String, got: String },

    /// A publisher's file list is not in the layout mdime reads.
    #[error("{url}: {message}")]
    Listing { url: String, message: String },

    /// A source offers no download that mdime can make: the user fetches its files by hand.
    #[error("{source_name}: no file in {}: {steps}", folder.display())]
    ManualStep { source_name: String, folder: PathBuf, steps: String },

    /// Some downloads failed; the others completed and are in the fetch log.
    #[error("{} download(s) failed ({fetched} completed and were logged):{}", failed.len(), failed.iter().map(|e| format!("\n  {e}")).collect::<String>())]
    Downloads { failed: Vec<Error>, fetched: usize },
}

fn http_hint(status: u16, attempts: u32) -> String {
    match status {
        404 | 410 => " (the server has no such file: check the file list, or the --mirror URL)".to_string(),
        500..=599 => format!(" (a server error; gave up after {attempts} attempt(s), try again later)"),
        _ => String::new(),
    }
}

impl Error {
    /// A data query's error placed in the input it ran on (`lines`: the first and last line read); any
    /// other error is already placed and is returned as it is.
    pub fn in_file(self, path: &std::path::Path, lines: Option<(usize, usize)>) -> Error {
        match self {
            Error::Polars(source) => Error::Query { path: path.to_path_buf(), lines, source },
            other => other,
        }
    }

    pub fn option(option: &str, message: impl Into<String>) -> Error {
        Error::Option { option: option.to_string(), message: message.into() }
    }
}
