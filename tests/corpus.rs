//! The generated corpus: malformed and benign inputs derived from the real raw files by
//! `tests/corpus/make_corpus.py` (every importer of a text source, the evidence logs, the rubric and the
//! options). Each malformed input is refused with exit code 1 and a message naming the file, line and
//! column (or the option or rubric key) and what was wrong, leaving the tables and reports exactly as
//! they were; each benign one (re-encoded, re-saved) gives byte-identical tables or reports.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::common::*;

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    group: String,
    args: Vec<String>,
    expect: String,
    contains: Vec<String>,
    evidence: Option<String>,
    /// For an import: the project's tables it reads (`datasets/…`), copied into its datasets folder first.
    #[serde(default)]
    tables: Vec<String>,
}

struct Corpus {
    dir: tempfile::TempDir,
    cases: Vec<Case>,
}

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/make_corpus.py");
    let status = Command::new("python3").arg(&script).arg(dir.path()).status().expect("python3 runs the corpus script (it is needed by this test)");
    assert!(status.success(), "{} failed", script.display());
    let cases = serde_json::from_slice(&fs::read(dir.path().join("cases.json")).unwrap()).unwrap();
    Corpus { dir, cases }
}

/// What one case did: its exit code, its standard error, and the folder it wrote to (the datasets
/// folder for an import, the output folder for a run), listed file by file.
struct Outcome {
    code: Option<i32>,
    stderr: String,
    files: BTreeMap<PathBuf, Vec<u8>>,
}

fn copy_dir(from: &Path, to: &Path) {
    for (relative, bytes) in files_under(from) {
        let target = to.join(relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
}

/// Runs a case: an import into `seed`'s copy of a datasets folder, or a run on a copy of the project's
/// datasets (its Mali log replaced by the case's) into a copy of `seed`'s outputs.
fn perform(case: &Case, corpus: &Path, seed: Option<&Path>) -> Outcome {
    let work = tempfile::tempdir().unwrap();
    let datasets = work.path().join("datasets");
    let output = work.path().join("reports");
    let args: Vec<String> = case.args.iter().map(|a| a.replace("{corpus}", &corpus.display().to_string())).collect();
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("mdime"));
    command.current_dir(work.path()).args(&args).arg("--datasets").arg(&datasets);
    let written = if args[0] == "import" {
        fs::create_dir(&datasets).unwrap();
        for table in &case.tables {
            fs::copy(repo_datasets().join(table), datasets.join(table)).unwrap();
        }
        if let Some(seed) = seed {
            copy_dir(seed, &datasets);
        }
        datasets.clone()
    } else {
        copy_dir(&repo_datasets(), &datasets);
        if let Some(log) = &case.evidence {
            fs::copy(corpus.join(log), datasets.join("evidence/MLI.csv")).unwrap();
        }
        if let Some(seed) = seed {
            copy_dir(seed, &output);
        }
        command.arg("--output").arg(&output);
        output.clone()
    };
    let result = command.output().unwrap();
    let files = if written.exists() { files_under(&written) } else { BTreeMap::new() };
    Outcome { code: result.status.code(), stderr: String::from_utf8_lossy(&result.stderr).to_string(), files }
}

/// The derived tables and the run's outputs, without the records of what they were made from (a table's
/// provenance, a run's manifest, the event import's parts and their index): the raw file's hash and
/// encoding differ between benign variants by design.
fn tables(files: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<&PathBuf, &Vec<u8>> {
    files
        .iter()
        .filter(|(path, _)| !path.to_string_lossy().ends_with(".provenance.toml") && path.as_path() != Path::new("manifest.json") && !path.starts_with(mdime::sources::events::cache::FOLDER))
        .collect()
}

#[test]
fn every_malformed_input_is_refused_in_place_and_every_benign_one_changes_nothing() {
    let corpus = corpus();
    assert!(corpus.cases.len() >= 60, "{} cases", corpus.cases.len());
    let mut groups: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for case in &corpus.cases {
        groups.entry(case.group.as_str()).or_default().push(case);
    }
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .values()
            .map(|cases| {
                let corpus_dir = corpus.dir.path();
                scope.spawn(move || {
                    let base = cases.iter().find(|c| c.expect == "base").expect("each group has a base");
                    let reference = perform(base, corpus_dir, None);
                    let mut failures = Vec::new();
                    if reference.code != Some(0) || reference.files.is_empty() {
                        failures.push(format!("{}: the unmodified excerpt fails: {}", base.name, reference.stderr));
                        return failures;
                    }
                    let seed = tempfile::tempdir().unwrap();
                    for (relative, bytes) in &reference.files {
                        fs::create_dir_all(seed.path().join(relative).parent().unwrap()).unwrap();
                        fs::write(seed.path().join(relative), bytes).unwrap();
                    }
                    for case in cases.iter().filter(|c| c.expect != "base") {
                        let outcome = perform(case, corpus_dir, (case.expect == "error").then_some(seed.path()));
                        match case.expect.as_str() {
                            "same" if outcome.code != Some(0) => failures.push(format!("{}: refused: {}", case.name, outcome.stderr)),
                            "same" if tables(&outcome.files) != tables(&reference.files) => {
                                failures.push(format!("{}: gives other tables or outputs than {}", case.name, base.name))
                            }
                            "error" if outcome.code != Some(1) => failures.push(format!("{}: exit code {:?}: {}", case.name, outcome.code, outcome.stderr)),
                            "error" if outcome.files != reference.files => failures.push(format!("{}: changed the files it was refused over", case.name)),
                            "error" => {
                                for expected in &case.contains {
                                    if !outcome.stderr.contains(expected.as_str()) {
                                        failures.push(format!("{}: the message lacks `{expected}`: {}", case.name, outcome.stderr));
                                    }
                                }
                                if outcome.stderr.contains("panicked") {
                                    failures.push(format!("{}: panicked: {}", case.name, outcome.stderr));
                                }
                            }
                            _ => {}
                        }
                    }
                    failures
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), corpus.cases.len(), failures.join("\n"));
}
