//! Downloads over HTTP(S): a file list read whole, a data file written into a `.part` file that a later
//! attempt (or a later fetch) resumes with a `Range` request. A connection that fails or breaks off, and
//! a 5xx answer, are tried again after an exponential back-off; any other error status is final (a
//! 404 will not turn into a file by asking again).

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use indicatif::ProgressBar;

use crate::error::{Error, Result};

/// How often and how patiently to ask.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    /// Attempts after the first, for a connection error or a 5xx answer.
    pub retries: u32,
    /// The wait before the first retry; each further retry waits twice as long as the one before.
    pub backoff: Duration,
}

/// The longest wait between two attempts, however many retries are allowed.
const MAX_BACKOFF: Duration = Duration::from_secs(120);

/// An HTTP client with the fetch's patience.
pub struct Http {
    agent: ureq::Agent,
    patience: Patience,
}

/// Why one attempt failed, and whether another may succeed.
enum Failure {
    Retry(Error),
    Final(Error),
}

/// How a download ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completed {
    /// Written from its first byte.
    Whole,
    /// Completed from bytes an earlier attempt or fetch had written.
    Resumed,
}

impl Http {
    pub fn new(patience: Patience) -> Http {
        let config = ureq::Agent::config_builder()
            // Statuses are answers to act on (retry a 5xx, stop at a 404), not transport errors.
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_response(Some(Duration::from_secs(60)))
            // A transfer that stalls is broken off and resumed by the next attempt; half an hour is ample
            // for a day of GDELT (tens of MB) and only cuts a yearly back-file into resumed pieces.
            .timeout_recv_body(Some(Duration::from_secs(1800)))
            .user_agent(concat!("mdime/", env!("CARGO_PKG_VERSION")))
            .build();
        Http { agent: config.into(), patience }
    }

    /// A small text file (a publisher's file list), whole.
    pub fn text(&self, url: &str) -> Result<String> {
        self.with_retries(url, |_| {
            let response = self.get(url, None)?;
            let status = response.status().as_u16();
            if status != 200 {
                return Err(status_failure(url, status));
            }
            let mut text = String::new();
            response.into_body().into_reader().read_to_string(&mut text).map_err(|e| connection(url, &e))?;
            Ok(text)
        })
    }

    /// Downloads `url` into `part`, resuming from the bytes already there; returns how it completed.
    /// The bar advances by the bytes received.
    pub fn download(&self, url: &str, part: &Path, bar: &ProgressBar) -> Result<Completed> {
        let mut resumed = false;
        self.with_retries(url, |_| {
            let have = std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);
            let response = self.get(url, (have > 0).then_some(have))?;
            let status = response.status().as_u16();
            let append = match status {
                200 => false,
                // The server resumes where the part ends only if it says so.
                206 if content_range_start(&response) == Some(have) => true,
                // Other bytes than those asked for (206), or bytes past the end asked for (416): the part
                // is not one the server can continue; the next attempt starts it again.
                206 | 416 => {
                    truncate(part)?;
                    return Err(Failure::Retry(Error::Http { url: url.to_string(), status, attempts: 1 }));
                }
                _ => return Err(status_failure(url, status)),
            };
            resumed |= append;
            let mut file = if append {
                OpenOptions::new().append(true).open(part)
            } else {
                bar.set_position(bar.position().saturating_sub(have));
                File::create(part)
            }
            .map_err(|source| Failure::Final(Error::Write { path: part.to_path_buf(), source }))?;
            copy(&mut response.into_body().into_reader(), &mut file, bar, url, part)?;
            file.sync_all().map_err(|source| Failure::Final(Error::Write { path: part.to_path_buf(), source }))?;
            Ok(())
        })?;
        Ok(if resumed { Completed::Resumed } else { Completed::Whole })
    }

    fn get(&self, url: &str, from: Option<u64>) -> std::result::Result<ureq::http::Response<ureq::Body>, Failure> {
        let mut request = self.agent.get(url);
        if let Some(from) = from {
            request = request.header("Range", format!("bytes={from}-"));
        }
        request.call().map_err(|e| connection(url, &e))
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries run out, waiting
    /// `backoff × 2^(n−1)` (at most `MAX_BACKOFF`) before the n-th retry.
    fn with_retries<T>(&self, url: &str, mut attempt: impl FnMut(u32) -> std::result::Result<T, Failure>) -> Result<T> {
        let attempts = self.patience.retries + 1;
        let mut wait = self.patience.backoff;
        for n in 1..=attempts {
            match attempt(n) {
                Ok(value) => return Ok(value),
                Err(Failure::Final(error)) => return Err(error),
                Err(Failure::Retry(error)) if n == attempts => return Err(counted(error, attempts, url)),
                Err(Failure::Retry(_)) => {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(MAX_BACKOFF);
                }
            }
        }
        unreachable!("the last attempt returns")
    }
}

/// The error of the last of `attempts`, saying how many there were.
fn counted(error: Error, attempts: u32, url: &str) -> Error {
    match error {
        Error::Http { status, .. } => Error::Http { url: url.to_string(), status, attempts },
        Error::Connection { message, .. } => Error::Connection { url: url.to_string(), message, attempts },
        other => other,
    }
}

fn status_failure(url: &str, status: u16) -> Failure {
    let error = Error::Http { url: url.to_string(), status, attempts: 1 };
    if (500..600).contains(&status) {
        Failure::Retry(error)
    } else {
        Failure::Final(error)
    }
}

fn connection(url: &str, error: &dyn std::fmt::Display) -> Failure {
    Failure::Retry(Error::Connection { url: url.to_string(), message: error.to_string(), attempts: 1 })
}

/// The first byte a 206 answer carries (`Content-Range: bytes FIRST-LAST/TOTAL`).
fn content_range_start(response: &ureq::http::Response<ureq::Body>) -> Option<u64> {
    let value = response.headers().get("content-range")?.to_str().ok()?;
    value.strip_prefix("bytes ")?.split('-').next()?.trim().parse().ok()
}

fn truncate(part: &Path) -> std::result::Result<(), Failure> {
    File::create(part).map(|_| ()).map_err(|source| Failure::Final(Error::Write { path: part.to_path_buf(), source }))
}

/// Copies the body into the part file; a read that fails keeps what was written, for the next attempt
/// to resume from.
fn copy(body: &mut impl Read, file: &mut File, bar: &ProgressBar, url: &str, part: &Path) -> std::result::Result<(), Failure> {
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = body.read(&mut buffer).map_err(|e| connection(url, &e))?;
        if n == 0 {
            return Ok(());
        }
        file.write_all(&buffer[..n]).map_err(|source| Failure::Final(Error::Write { path: part.to_path_buf(), source }))?;
        bar.inc(n as u64);
    }
}
