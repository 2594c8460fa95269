//! Event imports that keep each input's part: a file added, changed or removed since the last import is
//! read (or dropped) alone, an unchanged one is not opened, and the tables are byte for byte those a full
//! import of the same files writes. On real files: GDELT 2.0 updates of 2018 and 2019, ICEWS's Dataverse
//! daily files and a yearly excerpt (whose records overlap by event id).

use std::fs;
use std::path::{Path, PathBuf};

use mdime::sources::events;

use crate::common::*;
use crate::events::{event_rows, field_case, mapping_datasets};

/// The files an import writes into the datasets folder, and their provenance.
const WRITTEN: [&str; 6] = ["events.csv", "events.provenance.toml", "event_coverage.csv", "event_coverage.provenance.toml", "event_rows.parquet", "event_rows.provenance.toml"];

fn benefactors() -> Vec<String> {
    ["CHN", "RUS", "USA"].map(String::from).to_vec()
}

/// Writes lines `range` of a real file into the raw folder under `name`: one GDELT update made two.
fn add_lines(raw: &Path, from: PathBuf, range: std::ops::Range<usize>, name: &str) -> PathBuf {
    let text = fs::read_to_string(&from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    let lines: Vec<&str> = text.lines().collect();
    let to = raw.join(name);
    fs::write(&to, lines[range.start.min(lines.len())..range.end.min(lines.len())].iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    to
}

/// Copies a real file into the raw folder under `name`.
fn add(raw: &Path, from: PathBuf, name: &str) -> PathBuf {
    let to = raw.join(name);
    fs::copy(&from, &to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    to
}

fn import(paths: &[PathBuf], datasets: &Path) -> events::ImportReport {
    events::import(paths, &[], &benefactors(), datasets).unwrap_or_else(|e| panic!("{e}"))
}

/// Asserts that an import into `datasets` wrote what a full import of `paths` into a fresh folder writes.
fn same_as_full(paths: &[PathBuf], datasets: &Path, when: &str) {
    let full = mapping_datasets();
    let report = import(paths, full.path());
    assert!(!report.read.is_empty() && !event_rows(full.path()).is_empty(), "{when}: the full import reads and keeps events");
    for file in WRITTEN {
        let (kept, fresh) = (fs::read(datasets.join(file)).unwrap(), fs::read(full.path().join(file)).unwrap());
        assert!(kept == fresh, "{when}: {file} differs from a full import's");
    }
}

/// The parts in the folder (each a part and its candidates beside it).
fn parts(datasets: &Path) -> usize {
    let names: Vec<String> = fs::read_dir(datasets.join(events::cache::FOLDER)).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let parts = names.iter().filter(|n| n.ends_with(".json") && *n != "index.json").count();
    assert_eq!(names.iter().filter(|n| n.ends_with(".candidates")).count(), parts, "each part has its candidates beside it: {names:?}");
    parts
}

#[test]
fn an_import_reads_only_what_changed_and_writes_what_a_full_import_writes() {
    let raw = tempfile::tempdir().unwrap();
    let update = shared_data().join("events/gdelt/20191024143000.export.CSV");
    let gdelt_2019 = add_lines(raw.path(), update.clone(), 0..1000, "20191024143000.export.CSV");
    let gdelt_2018 = add(raw.path(), field_case("fc11-gdelt2-20180326044500-export-excerpt.CSV"), "20180326044500.export.CSV");
    add(raw.path(), field_case("fc15a-icews-dataverse-20181004-icews-events-excerpt.tab"), "20181004-icews-events.tab");
    add(raw.path(), shared_data().join("events/icews-dataverse/events.2018.sample.tab"), "events.2018.sample.tab");
    let paths = [raw.path().to_path_buf()];
    let datasets = mapping_datasets();

    let first = import(&paths, datasets.path());
    assert_eq!(first.read.len(), 4, "{:?}", first.read);
    assert_eq!(parts(datasets.path()), 4);
    same_as_full(&paths, datasets.path(), "the first import");

    // A new GDELT update and the next ICEWS daily file: only they are read. The daily file changes the
    // days the earlier one reports on, and repeats some of its events.
    add_lines(raw.path(), update, 1000..usize::MAX, "20191024144500.export.CSV");
    add(raw.path(), field_case("fc15b-icews-dataverse-20181005-icews-events-excerpt.tab"), "20181005-icews-events.tab");
    let second = import(&paths, datasets.path());
    let mut read = second.read.clone();
    read.sort();
    assert_eq!(read, ["20181005-icews-events.tab", "20191024144500.export.CSV"]);
    same_as_full(&paths, datasets.path(), "after two files were added");

    // Nothing changed: nothing is read.
    assert!(import(&paths, datasets.path()).read.is_empty());
    same_as_full(&paths, datasets.path(), "unchanged");

    // A file changed (half its records): it alone is read again, and its old part goes.
    let text = fs::read_to_string(&gdelt_2018).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    fs::write(&gdelt_2018, lines[..lines.len() / 2].iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    assert_eq!(import(&paths, datasets.path()).read, ["20180326044500.export.CSV"]);
    assert_eq!(parts(datasets.path()), 6);
    same_as_full(&paths, datasets.path(), "after a file changed");

    // A file removed: nothing is read, its contribution and part are gone.
    fs::remove_file(&gdelt_2019).unwrap();
    let removed = import(&paths, datasets.path());
    assert!(removed.read.is_empty(), "{:?}", removed.read);
    assert!(event_rows(datasets.path()).iter().all(|e| e.file != "20191024143000.export.CSV"), "the removed update's events are gone");
    assert_eq!(parts(datasets.path()), 5);
    same_as_full(&paths, datasets.path(), "after a file was removed");

    // An unchanged file is not opened: its bytes replaced by others of the same size and time are not
    // seen. (The tests run as root, whom a removed read permission would not stop.)
    let daily = raw.path().join("20181004-icews-events.tab");
    let modified = fs::metadata(&daily).unwrap().modified().unwrap();
    let size = fs::metadata(&daily).unwrap().len() as usize;
    fs::write(&daily, vec![b'x'; size]).unwrap();
    fs::File::options().write(true).open(&daily).unwrap().set_modified(modified).unwrap();
    let before: Vec<Vec<u8>> = WRITTEN.iter().map(|f| fs::read(datasets.path().join(f)).unwrap()).collect();
    assert!(import(&paths, datasets.path()).read.is_empty());
    let after: Vec<Vec<u8>> = WRITTEN.iter().map(|f| fs::read(datasets.path().join(f)).unwrap()).collect();
    assert!(before == after, "the tables are those of the file as it was read");
}

#[test]
fn a_file_given_twice_is_read_once() {
    let raw = tempfile::tempdir().unwrap();
    let file = add(raw.path(), shared_data().join("events/gdelt/20191024143000.export.CSV"), "20191024143000.export.CSV");
    let once = mapping_datasets();
    let report = import(&[raw.path().to_path_buf()], once.path());
    let twice = mapping_datasets();
    let again = import(&[raw.path().to_path_buf(), file.clone(), raw.path().join(".").join(file.file_name().unwrap())], twice.path());
    assert_eq!(again.read, report.read);
    // The tables are the same; the provenance adds the two repeats.
    for name in WRITTEN.iter().filter(|n| !n.ends_with(".toml")) {
        assert!(fs::read(once.path().join(name)).unwrap() == fs::read(twice.path().join(name)).unwrap(), "{name}");
    }
    let repeats: Vec<&str> = again.provenance.inputs.iter().filter(|i| i.role.starts_with("the same data as")).map(|i| i.file.as_str()).collect();
    assert_eq!(repeats.len(), 2, "{:#?}", again.provenance.inputs);
    assert_eq!(again.provenance.inputs.len(), report.provenance.inputs.len() + 2);
}

/// A raw folder holding one real GDELT update, a datasets folder with the mapping tables, and the paths
/// an import is given.
fn one_gdelt_update() -> (tempfile::TempDir, tempfile::TempDir, [PathBuf; 1]) {
    let raw = tempfile::tempdir().unwrap();
    add(raw.path(), shared_data().join("events/gdelt/20191024143000.export.CSV"), "20191024143000.export.CSV");
    let paths = [raw.path().to_path_buf()];
    (raw, mapping_datasets(), paths)
}

#[test]
fn parts_of_an_import_under_other_settings_are_not_taken() {
    let (_raw, datasets, paths) = one_gdelt_update();
    let all = events::import(&paths, &[], &benefactors(), datasets.path()).unwrap();
    // Another set of benefactors reads the file again, and counts for that one alone.
    let one = all.years[0].benefactor_iso3.clone();
    assert!(all.years.iter().any(|r| r.benefactor_iso3 != one), "the file has events of more than one benefactor");
    let alone = events::import(&paths, &[], &[one.clone()], datasets.path()).unwrap();
    assert_eq!(alone.read, all.read);
    assert!(alone.years.iter().all(|r| r.benefactor_iso3 == one));
    assert_eq!(parts(datasets.path()), 1, "the parts of the earlier settings are removed");
}

#[test]
fn a_local_names_table_added_or_edited_makes_the_files_read_again() {
    let (_raw, datasets, paths) = one_gdelt_update();
    let first = import(&paths, datasets.path());
    assert!(import(&paths, datasets.path()).read.is_empty(), "unchanged: taken from its part");
    // The user's own names decide which side a record names: a part read without them is not taken.
    let local = datasets.path().join(mdime::ingest::local_names::FILE);
    fs::write(&local, "name,iso3,kind,note\nRepublique du Niger,NER,,a spelling of a French-language source\n").unwrap();
    let with_names = import(&paths, datasets.path());
    assert_eq!(with_names.read, first.read);
    assert!(with_names.provenance.inputs.iter().any(|i| i.file == mdime::ingest::local_names::FILE), "{:#?}", with_names.provenance.inputs);
    assert!(import(&paths, datasets.path()).read.is_empty());
    fs::write(&local, "name,iso3,kind,note\nRepublique du Mali,MLI,,a spelling of a French-language source\n").unwrap();
    assert_eq!(import(&paths, datasets.path()).read, first.read, "edited: read again");
    assert_eq!(parts(datasets.path()), 1, "the parts of the earlier settings are removed");
}

/// An item of the on-disk sort's test: a key drawn with many repeats, told apart by its text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
struct Keyed(u32, String);

impl events::spill::Spill for Keyed {
    fn heap_bytes(&self) -> usize {
        self.1.len()
    }
}

/// Files under `dir`, at any depth.
fn files_under(dir: &Path) -> usize {
    fs::read_dir(dir).unwrap().flatten().map(|e| if e.path().is_dir() { files_under(&e.path()) } else { 1 }).sum()
}

#[test]
fn a_sort_larger_than_its_budget_is_merged_from_segments_on_disk_every_item_once_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = mdime::artefact::Scratch::beside(dir.path()).unwrap();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let items: Vec<Keyed> = (0..60_000)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            Keyed((state % 5_000) as u32, format!("item {i}"))
        })
        .collect();
    let mut sorter = events::spill::Sorter::with_budget(&scratch, "test", 64 << 10);
    for item in items.iter().cloned() {
        sorter.push(item).unwrap();
    }
    let sorted = sorter.sorted().unwrap();
    // Segments of at least `SAMPLE` items: the 60,000 made several files.
    let segments = files_under(dir.path());
    assert!(segments >= 60_000 / (2 * events::spill::SAMPLE), "{segments} segment file(s)");
    let merged: Vec<Keyed> = sorted.collect::<Result<_, _>>().unwrap();
    let mut expected = items;
    expected.sort();
    assert_eq!(merged, expected);
    drop(scratch);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "the scratch folder is removed");
}

#[test]
fn a_sort_within_its_budget_stays_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = mdime::artefact::Scratch::beside(dir.path()).unwrap();
    let mut sorter = events::spill::Sorter::new(&scratch, "test");
    for i in (0..10_000u32).rev() {
        sorter.push(Keyed(i % 7, i.to_string())).unwrap();
    }
    let merged: Vec<Keyed> = sorter.sorted().unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(files_under(dir.path()), 0, "nothing written");
    assert!(merged.windows(2).all(|w| w[0] < w[1]) && merged.len() == 10_000);
}
