//! Events kept on disk rather than in memory: a year of GDELT keeps millions, and ten years more than
//! memory holds. A `Spool` writes items in the order they come and reads them back in that order (an
//! input's candidates, a part kept between imports); a `Sorter` sorts them on disk (the `extsort`
//! crate), holding about a budget of bytes and a few items of every sorted segment, whatever the
//! number of items.
//!
//! Items are written as MessagePack, one after another; f64 values keep every bit.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use extsort::{ExternalSorter, PushExternalSorter, Sortable, SortedIterator};
use rayon::slice::ParallelSliceMut;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::artefact::Scratch;
use crate::error::{Error, Result};

/// An item that can be spilled: its bytes in memory, besides its own size, for the budget.
pub trait Spill: Serialize + DeserializeOwned + Send {
    fn heap_bytes(&self) -> usize;
}

/// Bytes of items a sorter holds before it writes them out as a sorted segment.
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

/// Items sorted on disk by extsort: held up to about `BUDGET` bytes, each such segment sorted and
/// written to a folder of its own in the scratch folder, the segments merged when read.
pub struct Sorter<'s, T: Spill + Ord> {
    scratch: &'s Scratch,
    name: &'static str,
    budget: usize,
    /// The first `SAMPLE` items, held until their mean size sets the segment's length in items
    /// (extsort counts items, the budget bytes).
    sample: Vec<T>,
    sample_bytes: usize,
    sorter: Option<(PushExternalSorter<Packed<T>, Compare<T>>, PathBuf)>,
}

/// Items whose mean size sets a sorter's segment length.
pub const SAMPLE: usize = 4096;

/// extsort's comparison: the items' own order.
type Compare<T> = fn(&Packed<T>, &Packed<T>) -> std::cmp::Ordering;

/// An item as extsort writes it: MessagePack, as a spool does.
pub struct Packed<T>(T);

impl<T: Spill> Sortable for Packed<T> {
    fn encode<W: Write>(&self, writer: &mut W) -> std::io::Result<()> {
        rmp_serde::encode::write(writer, &self.0).map_err(std::io::Error::other)
    }

    fn decode<R: Read>(reader: &mut R) -> std::io::Result<Packed<T>> {
        match rmp_serde::from_read(reader) {
            Ok(item) => Ok(Packed(item)),
            // The end of a segment, which extsort knows by this kind.
            Err(rmp_serde::decode::Error::InvalidMarkerRead(e)) => Err(e),
            Err(e) => Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        }
    }
}

impl<'s, T: Spill + Ord> Sorter<'s, T> {
    /// A sorter whose segments are written to a folder named after `name` in `scratch`.
    pub fn new(scratch: &'s Scratch, name: &'static str) -> Sorter<'s, T> {
        Sorter::with_budget(scratch, name, BUDGET)
    }

    /// A sorter holding about `budget` bytes of items (at least `SAMPLE` items) before it writes a segment.
    pub fn with_budget(scratch: &'s Scratch, name: &'static str, budget: usize) -> Sorter<'s, T> {
        Sorter { scratch, name, budget, sample: Vec::new(), sample_bytes: 0, sorter: None }
    }

    pub fn push(&mut self, item: T) -> Result<()> {
        if let Some((sorter, dir)) = &mut self.sorter {
            return sorter.push(Packed(item)).map_err(|source| Error::Write { path: dir.clone(), source });
        }
        self.sample_bytes += std::mem::size_of::<T>() + item.heap_bytes();
        self.sample.push(item);
        if self.sample.len() < SAMPLE {
            return Ok(());
        }
        let dir = self.scratch.file(self.name);
        let write_err = |source| Error::Write { path: dir.clone(), source };
        std::fs::create_dir(&dir).map_err(write_err)?;
        let segment = (self.budget / (self.sample_bytes / self.sample.len()).max(1)).max(SAMPLE);
        let compare: Compare<T> = |a, b| a.0.cmp(&b.0);
        let mut sorter = ExternalSorter::new().with_segment_size(segment).with_sort_dir(dir.clone()).with_parallel_sort().pushed_by(compare);
        sorter.push_iter(self.sample.drain(..).map(Packed)).map_err(write_err)?;
        self.sample.shrink_to(0);
        self.sorter = Some((sorter, dir));
        Ok(())
    }

    /// Every item pushed, in order. Items that compare equal come in no particular order: a sorter's
    /// items carry what tells them apart.
    pub fn sorted(mut self) -> Result<Sorted<T>> {
        match self.sorter {
            None => {
                self.sample.par_sort_unstable();
                Ok(Sorted::Held(self.sample.into_iter()))
            }
            Some((sorter, dir)) => {
                let merged = sorter.done().map_err(|source| Error::Write { path: dir.clone(), source })?;
                Ok(Sorted::Merged { merged, dir })
            }
        }
    }
}

/// A sorter's items in order: from memory when they were few, else merged from its segments.
pub enum Sorted<T: Spill + Ord> {
    Held(std::vec::IntoIter<T>),
    Merged { merged: SortedIterator<Packed<T>, Compare<T>>, dir: PathBuf },
}

impl<T: Spill + Ord> Iterator for Sorted<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self {
            Sorted::Held(items) => items.next().map(Ok),
            Sorted::Merged { merged, dir } => Some(merged.next()?.map(|packed| packed.0).map_err(|e| Error::Format {
                path: dir.clone(),
                message: format!("a damaged file of events kept on disk ({e}); import again"),
            })),
        }
    }
}
