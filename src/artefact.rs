//! Writing files so that a reader never sees half of one, nor a mix of two runs.
//!
//! A `Batch` writes each file to a temporary sibling and renames nothing until every file has been
//! written and flushed; it serves imports, which replace a table and its provenance together. An
//! `OutputDir` serves a run's many outputs: they are written into a fresh staging folder beside the
//! output folder, which is switched in for the old one in one step at the end, while a lock on the
//! output folder keeps a second run out. Either way, on an error, on Ctrl-C or on SIGTERM the
//! temporary files are removed and what was there before stays as it was. The flushes run in
//! parallel: one after another, a full run's thousand-odd files spent most of their time waiting on
//! them.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Files and folders being written, removed if the process is interrupted. Every change to the file
/// system that creates or moves them holds this lock, so the interrupt handler, which takes it too,
/// never races a half-made file.
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// The output folder a run has switched in, so that an interrupt after it says so.
static COMMITTED: Mutex<Option<PathBuf>> = Mutex::new(None);

fn in_progress() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_PROGRESS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every temporary file and staging folder, then exits with 130 (interrupted), on Ctrl-C and
/// SIGTERM. Installed once by the binary; without it the default signal action kills the process and
/// leaves temporary files behind.
pub fn clean_up_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        let mut paths = in_progress();
        for path in paths.drain(..) {
            let _ = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        }
        match COMMITTED.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            Some(folder) => eprintln!("interrupted after the run was written: its outputs in {} are complete", folder.display()),
            None => eprintln!("interrupted: nothing was written; earlier outputs are as they were"),
        }
        std::process::exit(130);
    });
}

/// After an error, waits for the interrupt handler to finish when an interrupt caused the error: the
/// handler removes what was being written and exits, and the error (a file it removed was missing)
/// is not the user's to read.
pub fn wait_if_interrupted() {
    if INTERRUPTED.load(Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
}

fn check_interrupted(path: &Path) -> Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(Error::Write { path: path.to_path_buf(), source: std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted") });
    }
    Ok(())
}

fn forget(path: &Path) {
    in_progress().retain(|p| p != path);
}

/// Writes `contents` to a new file `path` (its folder created if need be), registered for removal on
/// interrupt until forgotten.
fn write_new(path: &Path, contents: &[u8], registered: bool) -> Result<()> {
    write_new_with(path, registered, |file| file.write_all(contents))
}

/// As `write_new`, the contents written by `write` into the file as they come.
fn write_new_with(path: &Path, registered: bool, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let write_err = |source| Error::Write { path: path.to_path_buf(), source };
    let mut guard = in_progress();
    check_interrupted(path)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(write_err)?;
    }
    if registered {
        guard.push(path.to_path_buf());
    }
    let file = fs::File::create(path).map_err(write_err)?;
    // Registered above, the file is removed on an interrupt while it is being written; the lock is not
    // held for the writing, which may be long.
    drop(guard);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    write(&mut out).and_then(|()| out.flush()).map_err(write_err)
}

fn sync_all(paths: &[(PathBuf, PathBuf)]) -> Result<()> {
    paths.par_iter().try_for_each(|(written, target)| {
        fs::File::open(written).and_then(|file| file.sync_all()).map_err(|source| Error::Write { path: target.clone(), source })
    })
}

/// A folder for the temporary files of work larger than memory (an event import's sorted runs), made
/// beside the outputs so that it is on their disk, and removed when dropped, on an error or an interrupt.
#[derive(Debug)]
pub struct Scratch {
    dir: tempfile::TempDir,
    files: std::sync::atomic::AtomicUsize,
}

impl Scratch {
    pub fn beside(folder: &Path) -> Result<Scratch> {
        let write_err = |source| Error::Write { path: folder.to_path_buf(), source };
        let mut guard = in_progress();
        check_interrupted(folder)?;
        fs::create_dir_all(folder).map_err(write_err)?;
        let dir = tempfile::Builder::new().prefix(".scratch.").tempdir_in(folder).map_err(write_err)?;
        guard.push(dir.path().to_path_buf());
        Ok(Scratch { dir, files: Default::default() })
    }

    /// A new file name in the folder, `stem` and a number.
    pub fn file(&self, stem: &str) -> PathBuf {
        let n = self.files.fetch_add(1, Ordering::Relaxed);
        self.dir.path().join(format!("{stem}.{n}"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        forget(self.dir.path());
    }
}

/// Files to be written together. Dropping a batch without committing it removes its temporary files.
#[derive(Debug, Default)]
pub struct Batch {
    staged: Vec<(PathBuf, PathBuf)>,
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Writes `contents` to a temporary file beside `path`; `commit` flushes it and moves it into place.
    pub fn stage(&mut self, path: &Path, contents: &[u8]) -> Result<()> {
        self.stage_with(path, |file| file.write_all(contents))
    }

    /// As `stage`, the contents written by `write` as they come, never held whole.
    pub fn stage_with(&mut self, path: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
        let file_name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let temp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
        // Staged before writing, so that a failed write's temporary file is removed with the batch.
        self.staged.push((temp.clone(), path.to_path_buf()));
        write_new_with(&temp, true, write)
    }

    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.staged.iter().map(|(_, target)| target.as_path())
    }

    pub fn len(&self) -> usize {
        self.staged.len()
    }

    pub fn is_empty(&self) -> bool {
        self.staged.is_empty()
    }

    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        sync_all(&self.staged)?;
        let staged = std::mem::take(&mut self.staged);
        let mut written = Vec::with_capacity(staged.len());
        let mut guard = in_progress();
        for (temp, target) in staged {
            check_interrupted(&target)?;
            fs::rename(&temp, &target).map_err(|source| Error::Write { path: target.clone(), source })?;
            guard.retain(|p| p != &temp);
            written.push(target);
        }
        Ok(written)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        for (temp, _) in &self.staged {
            let _ = fs::remove_file(temp);
            forget(temp);
        }
    }
}

/// The file in an output folder that lists what the run wrote there, one relative path a line: the
/// next run replaces exactly those files and keeps the rest (`mdime backtest`'s tables, an analyst's
/// notes). Its presence also marks the folder as mdime's to replace.
pub const INVENTORY: &str = ".mdime-run";

/// What a committed run changed in its output folder.
#[derive(Debug)]
pub struct Committed {
    /// Every output, as a path in the output folder.
    pub written: Vec<PathBuf>,
    /// The previous run's outputs that this run did not write, now gone (a `--format csv` run after a
    /// full one removes the charts and reports).
    pub dropped: Vec<PathBuf>,
    /// Whether the files were replaced one by one, the folder being one that cannot be renamed.
    pub in_place: bool,
}

/// A run's output folder: everything is written into a staging folder beside it, and `commit`
/// switches the two in one step.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    files: Mutex<BTreeSet<PathBuf>>,
    /// Held for the whole run: a second run on the same folder is refused while it is.
    _lock: fs::File,
}

impl OutputDir {
    /// Takes the output folder `target` (created if missing) for a run. Refused when another run holds
    /// it, or when it holds files that mdime did not write (a folder with no inventory that is not
    /// empty): replacing it would lose them.
    pub fn open(target: &Path) -> Result<OutputDir> {
        // A link is the user's way of placing the outputs elsewhere: the run writes into its target.
        let resolved;
        let target = match fs::symlink_metadata(target) {
            Ok(meta) if meta.file_type().is_symlink() => {
                resolved = fs::canonicalize(target).map_err(|source| Error::Write { path: target.to_path_buf(), source })?;
                resolved.as_path()
            }
            _ => target,
        };
        let io_err = |source| Error::Write { path: target.to_path_buf(), source };
        let option_err = |message: String| Error::option("--output", message);
        if fs::metadata(target).is_ok_and(|meta| meta.is_dir() && meta.permissions().readonly()) {
            return Err(option_err(format!("{} is read-only; a run replaces its outputs, so make it writable or choose another folder", target.display())));
        }
        let lock = lock_folder(target)?;
        let mut entries = fs::read_dir(target).map_err(io_err)?.filter_map(|e| e.ok()).map(|e| e.file_name());
        let ours = target.join(INVENTORY).is_file();
        if !ours && entries.next().is_some() {
            return Err(option_err(format!(
                "{} holds files mdime did not write (it has no {INVENTORY}); choose a new or empty folder, so that nothing of yours is replaced",
                target.display()
            )));
        }
        let (parent, name) = split(target);
        // Staging folders of runs killed outright (SIGKILL, power loss) are leftovers: this run holds
        // the lock, so no live run owns them.
        let prefix = format!(".{name}.staging-");
        if let Ok(siblings) = fs::read_dir(&parent) {
            for sibling in siblings.filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().starts_with(&prefix)) {
                let _ = fs::remove_dir_all(sibling.path());
            }
        }
        let staging = parent.join(format!("{prefix}{}", std::process::id()));
        {
            let mut guard = in_progress();
            check_interrupted(target)?;
            fs::create_dir(&staging).map_err(|source| Error::Write { path: staging.clone(), source })?;
            guard.push(staging.clone());
        }
        Ok(OutputDir { target: target.to_path_buf(), staging, files: Mutex::new(BTreeSet::new()), _lock: lock })
    }

    pub fn path(&self) -> &Path {
        &self.target
    }

    /// The staging folder: what has been staged so far can be read there before the commit.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Writes one output, `relative` to the output folder; from any thread.
    pub fn stage(&self, relative: &Path, contents: &[u8]) -> Result<()> {
        write_new(&self.staging.join(relative), contents, false)?;
        self.files.lock().unwrap_or_else(|p| p.into_inner()).insert(relative.to_path_buf());
        Ok(())
    }

    /// Flushes every output, carries over the files of the old folder that no run wrote, and switches
    /// the staging folder in for the old one. Returns the outputs' paths in the output folder.
    pub fn commit(mut self) -> Result<Committed> {
        let files = std::mem::take(self.files.get_mut().unwrap_or_else(|p| p.into_inner()));
        let previous: BTreeSet<PathBuf> = fs::read_to_string(self.target.join(INVENTORY)).unwrap_or_default().lines().map(PathBuf::from).collect();
        let dropped: Vec<PathBuf> = previous.difference(&files).map(|f| self.target.join(f)).collect();
        let inventory: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
        write_new(&self.staging.join(INVENTORY), inventory.as_bytes(), false)?;
        self.carry_over(&files)?;
        let staged: Vec<(PathBuf, PathBuf)> = files.iter().map(|f| (self.staging.join(f), self.target.join(f))).collect();
        sync_all(&staged)?;
        let io_err = |source| Error::Write { path: self.target.clone(), source };
        let mut guard = in_progress();
        check_interrupted(&self.target)?;
        fs::File::open(&self.staging).and_then(|dir| dir.sync_all()).map_err(io_err)?;
        let in_place = exchange(&self.staging, &self.target).is_err();
        if in_place {
            // A mount point (a container's volume, a network share) cannot be renamed: its files are
            // replaced one by one instead, each whole, though a reader may meet a mix of two runs
            // until the last.
            self.replace_files(&files, &previous).map_err(io_err)?;
        }
        *COMMITTED.lock().unwrap_or_else(|p| p.into_inner()) = Some(self.target.clone());
        // The staging path now holds the old outputs (or what was copied); they go, and with them the
        // last temporary path.
        let _ = fs::remove_dir_all(&self.staging);
        guard.retain(|p| p != &self.staging);
        drop(guard);
        Ok(Committed { written: files.iter().map(|f| self.target.join(f)).collect(), dropped, in_place })
    }

    /// Copies each staged file over its namesake in the output folder (through a temporary sibling, so
    /// each is replaced whole), removes the previous run's files this run did not write, and writes the
    /// inventory last.
    fn replace_files(&self, files: &BTreeSet<PathBuf>, previous: &BTreeSet<PathBuf>) -> std::io::Result<()> {
        for relative in files.iter().map(PathBuf::as_path).chain([Path::new(INVENTORY)]) {
            let to = self.target.join(relative);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
            }
            let temp = to.with_file_name(format!(".{}.mdime-{}", to.file_name().unwrap_or_default().to_string_lossy(), std::process::id()));
            fs::copy(self.staging.join(relative), &temp)?;
            fs::rename(&temp, &to)?;
        }
        for stale in previous.difference(files) {
            let _ = fs::remove_file(self.target.join(stale));
        }
        Ok(())
    }

    /// Hard-links into the staging folder every file of the old folder that the previous run did not
    /// write and this run does not write either.
    fn carry_over(&self, files: &BTreeSet<PathBuf>) -> Result<()> {
        let previous: BTreeSet<PathBuf> = fs::read_to_string(self.target.join(INVENTORY)).unwrap_or_default().lines().map(PathBuf::from).collect();
        for file in files_under(&self.target) {
            let relative = file.strip_prefix(&self.target).expect("listed under it").to_path_buf();
            if relative == Path::new(INVENTORY) || previous.contains(&relative) || files.contains(&relative) {
                continue;
            }
            let to = self.staging.join(&relative);
            let io_err = |source| Error::Write { path: to.clone(), source };
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(io_err)?;
            }
            fs::hard_link(&file, &to).or_else(|_| fs::copy(&file, &to).map(|_| ())).map_err(io_err)?;
        }
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if self.staging.exists() && !INTERRUPTED.load(Ordering::SeqCst) {
            let mut guard = in_progress();
            let _ = fs::remove_dir_all(&self.staging);
            guard.retain(|p| p != &self.staging);
        }
    }
}

/// Creates the output folder `target` if need be and locks it for this process: a second mdime writing
/// to the same folder is refused until the returned handle is dropped.
pub fn lock_folder(target: &Path) -> Result<fs::File> {
    lock_folder_of(target, "--output")
}

/// [`lock_folder`] for a folder given by `option` (`--raw`, `--runs`), which its errors name.
pub fn lock_folder_of(target: &Path, option: &str) -> Result<fs::File> {
    let io_err = |source| Error::Write { path: target.to_path_buf(), source };
    if target.exists() && !target.is_dir() {
        return Err(Error::option(option, format!("{} is a file, not a folder", target.display())));
    }
    fs::create_dir_all(target).map_err(io_err)?;
    let lock = fs::File::open(target).map_err(io_err)?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(fs::TryLockError::WouldBlock) => Err(Error::option(
            option,
            format!("another mdime process is writing to {}; wait for it to finish or choose another folder", target.display()),
        )),
        Err(fs::TryLockError::Error(source)) => Err(io_err(source)),
    }
}

fn split(target: &Path) -> (PathBuf, String) {
    let absolute = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
    let parent = absolute.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let name = absolute.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    (parent, name)
}

/// Every regular file below `dir`, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().filter_map(|e| e.ok()) {
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(entry.path()),
                Ok(kind) if kind.is_file() => files.push(entry.path()),
                _ => {}
            }
        }
    }
    files.sort();
    files
}

/// Swaps two folders in one step (Linux's `renameat2` with `RENAME_EXCHANGE`), so that the output
/// path always holds one complete run. Where the file system cannot, the old folder is moved aside and
/// the new one into place: two renames, a moment apart.
fn exchange(staging: &Path, target: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(_) => {
            let aside = staging.with_extension("old");
            fs::rename(target, &aside)?;
            fs::rename(staging, target)?;
            fs::rename(&aside, staging)
        }
    }
}

/// Serialises rows to CSV bytes with a header, in the order given. Every cell is made safe for the
/// spreadsheets analysts open CSV in (OWASP's CSV-injection guidance): text that a spreadsheet would
/// evaluate as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
/// `'`, and control characters become spaces. Numbers, negative ones included, are left as they are.
pub fn csv_bytes<T: serde::Serialize>(rows: impl IntoIterator<Item = T>) -> Result<Vec<u8>> {
    let csv_err = |e: String| Error::Write { path: PathBuf::from("<csv>"), source: std::io::Error::other(e) };
    let mut raw = csv::Writer::from_writer(Vec::new());
    for row in rows {
        raw.serialize(row).map_err(|e| csv_err(e.to_string()))?;
    }
    let raw = raw.into_inner().map_err(|e| csv_err(e.to_string()))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(raw.as_slice());
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(raw.len()));
    for record in reader.records() {
        let record = record.map_err(|e| csv_err(e.to_string()))?;
        writer.write_record(record.iter().map(|cell| safe_cell(cell).into_owned())).map_err(|e| csv_err(e.to_string()))?;
    }
    writer.into_inner().map_err(|e| csv_err(e.to_string()))
}

/// One CSV cell made safe: see `csv_bytes`.
pub fn safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let printable = printable(cell);
    // Tabs and carriage returns, which OWASP lists too, are control characters and already spaces.
    let risky = printable.starts_with(['=', '+', '-', '@']) && printable.parse::<f64>().is_err();
    if risky {
        std::borrow::Cow::Owned(format!("'{printable}"))
    } else {
        printable
    }
}

/// Text for a terminal: every control character but the line break becomes a space, so that text from
/// an input (an evidence summary, a name in an error) cannot move the cursor or start an escape sequence.
pub fn terminal_safe(text: &str) -> String {
    text.split('\n').map(|line| printable(line).into_owned()).collect::<Vec<_>>().join("\n")
}

/// Text with every control character (C0, DEL and C1: what moves a terminal's cursor, rings its bell or
/// starts an escape sequence) replaced by a space, for cells and for terminal output.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        std::borrow::Cow::Owned(text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
