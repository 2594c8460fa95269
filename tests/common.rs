use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The raw third-party data beside the repository. Tests that need it fail loudly when it is missing:
/// CI always has it, and a silently skipped test proves nothing.
pub fn shared_data() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(
        dir.join("SOURCES.md").is_file(),
        "the raw data folder {} is missing: these tests read the real SIPRI export from it",
        dir.display()
    );
    dir
}

pub fn register() -> PathBuf {
    shared_data().join("sipri/trade-register-2025-03-13.csv")
}

pub fn tiv_table(code: &str) -> PathBuf {
    shared_data().join(format!("sipri/tiv-tables-2022/TIV-Export-{code}-1950-2021.csv"))
}

/// A fixture the whole suite shares (`tests/data/`).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// A fixture of one source's own, kept in its folder (`src/sources/SOURCE/fixtures/`).
pub fn source_fixture(source: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sources").join(source).join("fixtures").join(name)
}

pub fn repo_datasets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets")
}

/// A datasets folder holding a fresh import of the real register, made once for all tests.
pub fn imported() -> &'static (tempfile::TempDir, mdime::sources::sipri::ImportReport) {
    static IMPORTED: OnceLock<(tempfile::TempDir, mdime::sources::sipri::ImportReport)> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let tables = [tiv_table("CHI"), tiv_table("RUS"), tiv_table("USR")];
        let report = mdime::sources::sipri::import(&register(), &tables, dir.path()).expect("the real register imports");
        (dir, report)
    })
}

/// A new datasets folder holding only the real arms table, which every run needs.
pub fn datasets_with_arms_table() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_arms_table(dir.path());
    dir
}

/// Copies the real arms table and its provenance into `datasets`.
pub fn copy_arms_table(datasets: &Path) {
    for name in ["arms_transfers.csv", "arms_transfers.provenance.toml"] {
        std::fs::copy(imported().0.path().join(name), datasets.join(name)).unwrap();
    }
}

/// The raw register's records, read independently of mdime's parser: Latin-1 bytes to chars, split on
/// newlines and commas (the export quotes nothing), a short line joined to the next.
pub fn raw_register_records() -> Vec<Vec<String>> {
    let text: String = std::fs::read(register()).unwrap().iter().map(|&b| b as char).collect();
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let start = lines.iter().position(|l| l.starts_with("Recipient,")).unwrap() + 1;
    let mut records = Vec::new();
    let mut i = start;
    while i < lines.len() {
        if lines[i].is_empty() {
            i += 1;
            continue;
        }
        let mut fields: Vec<String> = lines[i].split(',').map(String::from).collect();
        if fields.len() < 16 {
            i += 1;
            let mut next = lines[i].split(',').map(String::from);
            let continued = next.next().unwrap();
            fields.last_mut().unwrap().push_str(&continued);
            fields.extend(next);
        }
        assert_eq!(fields.len(), 16, "raw line {}", i + 1);
        records.push(fields);
        i += 1;
    }
    records
}

/// A benefactor's share of a recipient's delivered TIV over the years, computed from raw records with the
/// even split: the reference the product's E1 share must match.
pub fn raw_share(records: &[Vec<String>], supplier: &str, recipient: &str, years: std::ops::RangeInclusive<i32>) -> f64 {
    let (mut own, mut total) = (0.0, 0.0);
    for r in records.iter().filter(|r| r[0] == recipient && !r[10].is_empty()) {
        let delivery: Vec<i32> = r[10].split("; ").map(|y| y.parse().unwrap()).collect();
        let per_year = r[15].parse::<f64>().unwrap() / delivery.len() as f64;
        let in_window = delivery.iter().filter(|y| years.contains(y)).count() as f64 * per_year;
        total += in_window;
        if r[1] == supplier {
            own += in_window;
        }
    }
    own / total
}

pub fn mdime() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("mdime").unwrap()
}

/// Every file below `dir`, by relative path, with its bytes: for before/after comparisons.
pub fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A run's files by path under its output folder. `manifest.json` is kept without its `command_line`,
/// which names the output folder and so differs between two runs of the same job.
pub fn run_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = files_under(dir);
    if let Some(bytes) = files.get_mut(Path::new("manifest.json")) {
        let mut manifest: serde_json::Value = serde_json::from_slice(bytes).expect("the manifest is JSON");
        manifest.as_object_mut().unwrap().remove("command_line").expect("the manifest records the command line");
        *bytes = serde_json::to_vec_pretty(&manifest).unwrap();
    }
    files
}

/// Replaces a derived table's text and records the new hash and row count in its provenance, as an
/// import would have: for tests that change a table's data on purpose (a run refuses a table that no
/// longer matches its provenance).
pub fn rewrite_table(table: &Path, text: &str) {
    std::fs::write(table, text).unwrap();
    let path = mdime::ingest::Provenance::path_for(table);
    let mut provenance = mdime::ingest::Provenance::load(&path).unwrap();
    use sha2::Digest;
    provenance.table_sha256 = sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    provenance.counts.rows_written = text.lines().count() - 1;
    std::fs::write(&path, provenance.to_toml()).unwrap();
}

/// The DuckDB version the SQL test and benches/events.sh run.
pub const DUCKDB_VERSION: &str = "1.4.4";

/// The PySpark version the SQL test runs `sql/gdelt_events.sql` in (with the machine's Java 17).
pub const PYSPARK_VERSION: &str = "4.3.0";

/// A Python interpreter with DuckDB, in a virtual environment under target/ made on first use with the
/// pinned version (python3 and PyPI are what a fresh machine has). Fails loudly when it cannot be made:
/// a skipped comparison with DuckDB would prove nothing.
pub fn duckdb_python() -> PathBuf {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    READY.get_or_init(|| python_with("duckdb", DUCKDB_VERSION)).clone()
}

/// A Python interpreter with PySpark, as `duckdb_python`; Spark needs Java, which this machine has.
pub fn spark_python() -> PathBuf {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    READY
        .get_or_init(|| {
            let java = std::process::Command::new("java").arg("-version").output();
            assert!(java.is_ok_and(|o| o.status.success()), "Spark needs Java (17 or later) on the PATH: `java -version` failed");
            python_with("pyspark", PYSPARK_VERSION)
        })
        .clone()
}

/// The interpreter of target/py-venv with `package` importable at `version`, installed from PyPI if not.
fn python_with(package: &str, version: &str) -> PathBuf {
    // One installation at a time: two pips in one environment overwrite each other's files.
    static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = INSTALLING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/py-venv");
    let python = venv.join("bin/python");
    let has = |python: &Path| {
        std::process::Command::new(python)
            .args(["-c", &format!("import {package}, sys; sys.exit({package}.__version__ != '{version}')")])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !has(&python) {
        if !python.exists() {
            let made = std::process::Command::new("python3").arg("-m").arg("venv").arg(&venv).status();
            assert!(made.is_ok_and(|s| s.success()), "cannot make a Python virtual environment at {}: python3 -m venv failed", venv.display());
        }
        let installed = std::process::Command::new(venv.join("bin/pip")).args(["install", "--quiet", &format!("{package}=={version}")]).status();
        assert!(installed.is_ok_and(|s| s.success()), "cannot install {package}=={version} from PyPI into {}", venv.display());
        assert!(has(&python), "{package}=={version} is not importable from {}", python.display());
    }
    python
}

/// The first sheet's rows as header → cell, read with calamine alone.
pub fn raw_sheet(path: &Path) -> Vec<BTreeMap<String, calamine::Data>> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let sheet = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&sheet).unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    rows.map(|row| header.iter().cloned().zip(row.iter().cloned()).collect()).filter(|r: &BTreeMap<String, calamine::Data>| !r.values().all(|d| d.to_string().trim().is_empty())).collect()
}
