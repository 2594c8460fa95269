//! Events kept on disk rather than in memory: a year of GDELT keeps millions, and ten years more than
//! memory holds. A `Spool` writes items in the order they come and reads them back in that order (an
//! input's candidates, a part kept between imports); a `Sorter` gathers items up to a budget of bytes,
//! sorts them and writes each such run to a file, then merges the runs as they are read back, so that
//! memory holds one run's worth and one item of every run, whatever the number of items.
//!
//! Items are written as MessagePack, one after another; f64 values keep every bit.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use rayon::slice::ParallelSliceMut;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::artefact::Scratch;
use crate::error::{Error, Result};

/// An item that can be spilled: its bytes in memory, besides its own size, for the budget.
pub trait Spill: Serialize + DeserializeOwned + Send {
    fn heap_bytes(&self) -> usize;
}

/// Bytes of items a sorter holds before it writes them out as a run.
const BUDGET: usize = 96 << 20;

/// Items written to a file in the order they come.
pub struct Spool<T> {
    out: BufWriter<File>,
    path: PathBuf,
    item: PhantomData<T>,
}

impl<T: Spill> Spool<T> {
    pub fn create(path: PathBuf) -> Result<Spool<T>> {
        let file = File::create(&path).map_err(|source| Error::Write { path: path.clone(), source })?;
        Ok(Spool { out: BufWriter::with_capacity(1 << 20, file), path, item: PhantomData })
    }

    pub fn push(&mut self, item: &T) -> Result<()> {
        rmp_serde::encode::write(&mut self.out, item).map_err(|e| Error::Write { path: self.path.clone(), source: std::io::Error::other(e) })
    }

    /// Flushes the file and returns it.
    pub fn finish(mut self) -> Result<PathBuf> {
        self.out.flush().map_err(|source| Error::Write { path: self.path.clone(), source })?;
        Ok(self.path)
    }
}

/// The items of a spool's file, read back in order.
pub struct Unspool<T> {
    input: BufReader<File>,
    path: PathBuf,
    item: PhantomData<T>,
}

impl<T: Spill> Unspool<T> {
    pub fn open(path: &Path) -> Result<Unspool<T>> {
        let file = File::open(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        Ok(Unspool { input: BufReader::with_capacity(1 << 20, file), path: path.to_path_buf(), item: PhantomData })
    }
}

impl<T: Spill> Iterator for Unspool<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.input.fill_buf() {
            Ok([]) => None,
            Ok(_) => Some(rmp_serde::from_read(&mut self.input).map_err(|e| Error::Format {
                path: self.path.clone(),
                message: format!("a damaged file of events kept on disk ({e}); import again"),
            })),
            Err(source) => Some(Err(Error::Read { path: self.path.clone(), source })),
        }
    }
}

/// Items sorted in runs of `BUDGET` bytes on disk, merged when read.
pub struct Sorter<'s, T> {
    scratch: &'s Scratch,
    name: &'static str,
    held: Vec<T>,
    bytes: usize,
    runs: Vec<PathBuf>,
}

impl<'s, T: Spill + Ord> Sorter<'s, T> {
    /// A sorter whose runs are files named after `name` in `scratch`.
    pub fn new(scratch: &'s Scratch, name: &'static str) -> Sorter<'s, T> {
        Sorter { scratch, name, held: Vec::new(), bytes: 0, runs: Vec::new() }
    }

    pub fn push(&mut self, item: T) -> Result<()> {
        self.bytes += std::mem::size_of::<T>() + item.heap_bytes();
        self.held.push(item);
        if self.bytes >= BUDGET {
            self.write_run()?;
        }
        Ok(())
    }

    fn write_run(&mut self) -> Result<()> {
        self.held.par_sort_unstable();
        let mut spool = Spool::create(self.scratch.file(self.name))?;
        for item in self.held.drain(..) {
            spool.push(&item)?;
        }
        self.runs.push(spool.finish()?);
        self.held.shrink_to(0);
        self.bytes = 0;
        Ok(())
    }

    /// Every item pushed, in order. Items that compare equal come in no particular order: a sorter's
    /// items carry what tells them apart.
    pub fn sorted(mut self) -> Result<Sorted<T>> {
        if self.runs.is_empty() {
            self.held.par_sort_unstable();
            return Ok(Sorted::Held(self.held.into_iter()));
        }
        if !self.held.is_empty() {
            self.write_run()?;
        }
        let mut runs: Vec<Unspool<T>> = self.runs.iter().map(|p| Unspool::open(p)).collect::<Result<_>>()?;
        let mut heads = BinaryHeap::with_capacity(runs.len());
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some(item) = run.next() {
                heads.push(Reverse(Head(item?, i)));
            }
        }
        Ok(Sorted::Merged { runs, heads })
    }
}

/// The next item of run `.1`; the runs' heads are ordered by item.
pub struct Head<T>(T, usize);

impl<T: Ord> PartialEq for Head<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<T: Ord> Eq for Head<T> {}

impl<T: Ord> PartialOrd for Head<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord> Ord for Head<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

/// A sorter's items in order: from memory when they made one run, else merged from the runs' files.
pub enum Sorted<T> {
    Held(std::vec::IntoIter<T>),
    Merged { runs: Vec<Unspool<T>>, heads: BinaryHeap<Reverse<Head<T>>> },
}

impl<T: Spill + Ord> Iterator for Sorted<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self {
            Sorted::Held(items) => items.next().map(Ok),
            Sorted::Merged { runs, heads } => {
                let Reverse(Head(item, run)) = heads.pop()?;
                match runs[run].next() {
                    Some(Ok(next)) => heads.push(Reverse(Head(next, run))),
                    Some(Err(e)) => return Some(Err(e)),
                    None => {}
                }
                Some(Ok(item))
            }
        }
    }
}
