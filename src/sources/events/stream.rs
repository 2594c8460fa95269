//! Event files read as streams, never whole: a year of GDELT does not fit in memory, and a named pipe or
//! a zip member cannot be mapped. The bytes are hashed as they pass, so that the provenance's SHA-256 costs
//! no second read.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::Digest;

use super::collect::Collector;
use crate::error::{Error, Problem, Result};

/// Where an event file's bytes come from: a file, a named pipe (read once: its first bytes, read to
/// recognise the layout, are kept and read again from memory), or one member of a zip.
#[derive(Debug, Clone)]
pub enum Location {
    File(PathBuf),
    Pipe(PathBuf, SharedPipe),
    ZipMember { zip: PathBuf, member: String },
}

/// A pipe opened once: the bytes read ahead and the rest of the stream, taken by the one reading.
pub type SharedPipe = std::sync::Arc<std::sync::Mutex<Option<(Vec<u8>, File)>>>;

/// How much of a pipe is read ahead to recognise its layout.
const PIPE_HEAD: usize = 1 << 16;

impl Location {
    /// The path messages name: the file, or `archive.zip/member`.
    /// A path as found: a named pipe is opened here, once, and its first bytes read.
    pub fn of_path(path: &Path) -> Result<Location> {
        use std::os::unix::fs::FileTypeExt;
        let is_pipe = std::fs::metadata(path).map(|m| m.file_type().is_fifo()).unwrap_or(false);
        if !is_pipe {
            return Ok(Location::File(path.to_path_buf()));
        }
        let read_err = |e: std::io::Error| Error::Read { path: path.to_path_buf(), source: e };
        let mut file = File::open(path).map_err(read_err)?;
        let mut head = Vec::new();
        (&mut file).take(PIPE_HEAD as u64).read_to_end(&mut head).map_err(read_err)?;
        Ok(Location::Pipe(path.to_path_buf(), std::sync::Arc::new(std::sync::Mutex::new(Some((head, file))))))
    }

    pub fn path(&self) -> PathBuf {
        match self {
            Location::File(p) | Location::Pipe(p, _) => p.clone(),
            Location::ZipMember { zip, member } => zip.join(member),
        }
    }

    pub fn file_name(&self) -> String {
        match self {
            Location::File(p) | Location::Pipe(p, _) => p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            Location::ZipMember { zip, member } => {
                format!("{}:{}", zip.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), member)
            }
        }
    }

    /// Opens the bytes for reading, hashed on the way.
    pub fn open(&self) -> Result<Hashed> {
        let read_err = |e: std::io::Error| Error::Read { path: self.path(), source: e };
        let inner: Box<dyn Read + Send> = match self {
            Location::File(p) => Box::new(File::open(p).map_err(read_err)?),
            Location::Pipe(_, taken) => {
                let (head, file) = taken
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .take()
                    .ok_or_else(|| Error::Format { path: self.path(), message: "a named pipe can be read only once".into() })?;
                Box::new(std::io::Cursor::new(head).chain(file))
            }
            Location::ZipMember { zip, member } => {
                let file = File::open(zip).map_err(|e| Error::Read { path: zip.clone(), source: e })?;
                let archive = zip::ZipArchive::new(file).map_err(|e| Error::Format { path: zip.clone(), message: format!("not a readable zip archive: {e}") })?;
                Box::new(ZipMember::new(archive, member).map_err(|e| Error::Format { path: self.path(), message: e })?)
            }
        };
        Ok(Hashed { inner, hasher: sha2::Sha256::new(), bytes: 0 })
    }

    /// The first `n` bytes, for recognising the layout.
    pub fn head(&self, n: usize) -> Result<Vec<u8>> {
        if let Location::Pipe(_, taken) = self {
            let guard = taken.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            return Ok(guard.as_ref().map(|(head, _)| head[..head.len().min(n)].to_vec()).unwrap_or_default());
        }
        let mut head = Vec::new();
        self.open()?.take(n as u64).read_to_end(&mut head).map_err(|e| Error::Read { path: self.path(), source: e })?;
        Ok(head)
    }
}

/// A zip member read in place, streamed: a thread inflates it chunk by chunk into a channel of a few
/// chunks, so that neither the member nor the archive is held in memory.
struct ZipMember {
    chunks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    current: std::io::Cursor<Vec<u8>>,
}

impl ZipMember {
    fn new(mut archive: zip::ZipArchive<File>, member: &str) -> std::result::Result<ZipMember, String> {
        let index = archive.index_for_name(member).ok_or_else(|| format!("the archive has no member `{member}`"))?;
        archive.by_index(index).map_err(|e| e.to_string())?;
        let (send, chunks) = std::sync::mpsc::sync_channel(4);
        std::thread::spawn(move || {
            let mut entry = match archive.by_index(index) {
                Ok(entry) => entry,
                Err(e) => {
                    let _ = send.send(Err(std::io::Error::other(e)));
                    return;
                }
            };
            loop {
                let mut chunk = Vec::with_capacity(CHUNK);
                match (&mut entry).take(CHUNK as u64).read_to_end(&mut chunk) {
                    Ok(0) => return,
                    Ok(_) => {
                        if send.send(Ok(chunk)).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = send.send(Err(e));
                        return;
                    }
                }
            }
        });
        Ok(ZipMember { chunks, current: std::io::Cursor::new(Vec::new()) })
    }
}

const CHUNK: usize = 4 << 20;

impl Read for ZipMember {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.current.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            match self.chunks.recv() {
                Ok(chunk) => self.current = std::io::Cursor::new(chunk?),
                Err(_) => return Ok(0),
            }
        }
    }
}

/// A reader that hashes and counts what passes through it.
pub struct Hashed {
    inner: Box<dyn Read + Send>,
    hasher: sha2::Sha256,
    bytes: u64,
}

impl Read for Hashed {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl Hashed {
    /// Reads what is left (so that the hash covers the whole file) and returns the SHA-256.
    pub fn finish(mut self, path: &Path) -> Result<String> {
        std::io::copy(&mut self, &mut std::io::sink()).map_err(|e| Error::Read { path: path.to_path_buf(), source: e })?;
        Ok(self.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// Lines of a text stream as `\n`-free strings: a UTF-8 byte-order mark dropped, CRLF read as LF. A line
/// that is not UTF-8 is an error naming its number.
pub struct Lines<R: Read> {
    reader: BufReader<R>,
    path: PathBuf,
    pub number: usize,
    buffer: Vec<u8>,
}

impl<R: Read> Lines<R> {
    pub fn new(reader: R, path: PathBuf) -> Lines<R> {
        Lines { reader: BufReader::with_capacity(1 << 20, reader), path, number: 0, buffer: Vec::new() }
    }

    /// The next line, or None at the end.
    pub fn next_line(&mut self) -> Result<Option<&str>> {
        self.buffer.clear();
        let n = self.reader.read_until(b'\n', &mut self.buffer).map_err(|e| Error::Read { path: self.path.clone(), source: e })?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        let mut line: &[u8] = &self.buffer;
        if self.number == 1 {
            line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
        }
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        std::str::from_utf8(line)
            .map(Some)
            .map_err(|_| Error::Format { path: self.path.clone(), message: format!("line {}: not valid UTF-8; event files are read as UTF-8", self.number) })
    }

    pub fn into_inner(self) -> R {
        self.reader.into_inner()
    }
}

/// A tab-separated file's header, read as the first line: its width and where each of `columns` stands
/// in it. The columns are those the layout was recognised by, so each is there.
pub fn tab_header<R: Read>(lines: &mut Lines<R>, columns: &[&str]) -> Result<(usize, Vec<usize>)> {
    let header: Vec<String> = lines.next_line()?.unwrap_or_default().split('\t').map(|h| h.trim().to_string()).collect();
    let at = columns.iter().map(|c| header.iter().position(|h| h == c).expect("the layout was recognised by these columns")).collect();
    Ok((header.len(), at))
}

/// One tab-separated record's fields in the order of the columns `at` points to, trimmed; None, with a
/// problem, when the record has another number of fields than the header.
pub fn tab_record<'l>(line: &'l str, (width, at): (usize, &[usize]), path: &Path, number: usize, problems: &mut Vec<Problem>) -> Option<Vec<&'l str>> {
    let fields: Vec<&str> = line.split('\t').collect();
    if fields.len() != width {
        let message = format!("expected {width} tab-separated fields, found {}", fields.len());
        problems.push(Problem { path: path.to_path_buf(), line: number, column: "(record)".into(), message });
        return None;
    }
    Some(at.iter().map(|&i| fields[i].trim()).collect())
}

impl Lines<Hashed> {
    /// Ends a file read line by line: its problems, if any, are the error; otherwise the file's hash
    /// (the rest read through) and its line count go on its tally.
    pub fn close(self, problems: Vec<Problem>, collector: &mut Collector, input: usize) -> Result<()> {
        let path = self.path.clone();
        if !problems.is_empty() {
            return Err(Error::Invalid { path, problems });
        }
        let lines = self.number;
        let sha256 = self.into_inner().finish(&path)?;
        let tally = collector.tally(input);
        tally.sha256 = sha256;
        tally.lines = lines;
        Ok(())
    }
}
