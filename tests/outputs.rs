//! What a run leaves for everyday use: its manifest, the Parquet copies of its tables, `mdime diff`
//! between two runs, shell completions and man pages, and where an installed mdime finds its tables.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use parquet::basic::Type as Physical;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use predicates::prelude::*;

use crate::common::*;

fn sha256(path: &Path) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A run of a few recipients with every table in both formats, sensitivity included, and a backtest of
/// the same recipients in both formats into the same folder; made once.
fn tables_run() -> &'static tempfile::TempDir {
    static RUN: OnceLock<tempfile::TempDir> = OnceLock::new();
    RUN.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let recipients = ["--recipient", "Mali", "--recipient", "Pakistan", "--recipient", "Algeria"];
        mdime()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["run", "--sensitivity", "--format", "csv,parquet", "--as-of", "2023"])
            .args(recipients)
            .arg("--output")
            .arg(out.path())
            .assert()
            .success();
        mdime()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["backtest", "--format", "parquet,csv"])
            .args(recipients)
            .arg("--output")
            .arg(out.path())
            .assert()
            .success();
        out
    })
}

#[test]
fn the_manifest_says_what_produced_the_run() {
    let dir = tables_run().path();
    let manifest = json(&dir.join("manifest.json"));
    let text = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    assert_eq!(manifest["mdime_version"], env!("CARGO_PKG_VERSION"));
    let command: Vec<String> = manifest["command_line"].as_array().unwrap().iter().map(text).collect();
    assert_eq!(command[..6], ["mdime", "run", "--sensitivity", "--format", "csv,parquet", "--as-of"], "{command:?}");
    assert_eq!(command.last().unwrap(), &dir.display().to_string());
    assert_eq!((manifest["as_of"].as_i64(), manifest["window"][0].as_i64(), manifest["window"][1].as_i64()), (Some(2023), Some(2012), Some(2023)));
    let isos = |key: &str| manifest[key].as_array().unwrap().iter().map(|p| text(&p["iso3"])).collect::<Vec<_>>();
    assert_eq!(isos("benefactors"), ["CHN", "RUS"]);
    assert_eq!(isos("recipients"), ["DZA", "MLI", "PAK"]);
    assert_eq!(manifest["rubric"]["sha256"].as_str().unwrap(), sha256(&repo_datasets().join("rubric.toml")));

    // Every derived table in datasets/ that has a provenance file, hashed here, with the raw files and the
    // publisher's date as its provenance records them (read with the toml crate, not mdime's reader).
    let tables = manifest["tables"].as_array().unwrap();
    let mut expected: Vec<String> = std::fs::read_dir(repo_datasets())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".provenance.toml").map(String::from))
        // The map outlines are compiled in, as the country table is: no run reads them from the folder.
        .filter(|stem| stem != "world_map")
        .map(|stem| ["csv", "parquet"].iter().map(|ext| format!("{stem}.{ext}")).find(|f| repo_datasets().join(f).exists()).expect("a table beside its provenance"))
        .collect();
    expected.sort();
    let mut listed: Vec<String> = tables.iter().map(|t| text(&t["file"])).collect();
    listed.sort();
    assert_eq!(listed, expected);
    for table in tables {
        let file = text(&table["file"]);
        assert_eq!(text(&table["sha256"]), sha256(&repo_datasets().join(&file)), "{file}");
        let provenance: toml::Value = std::fs::read_to_string(repo_datasets().join(Path::new(&file).with_extension("provenance.toml"))).unwrap().parse().unwrap();
        let mut raw: Vec<(String, String)> = Vec::new();
        // A table combining several files (the event data) names them as inputs alone.
        if let Some(source_file) = provenance.get("source_file").filter(|f| f.as_str() != Some("")) {
            raw.push((source_file.as_str().unwrap().into(), provenance["sha256"].as_str().unwrap().into()));
        }
        for input in provenance.get("inputs").and_then(|i| i.as_array()).into_iter().flatten() {
            raw.push((input["file"].as_str().unwrap().into(), input["sha256"].as_str().unwrap().into()));
        }
        let inputs: Vec<(String, String)> = table["inputs"].as_array().unwrap().iter().map(|i| (text(&i["file"]), text(&i["sha256"]))).collect();
        assert_eq!(inputs, raw, "{file}");
        assert!(!inputs.is_empty(), "{file} names its raw files");
        assert_eq!(table["data_generated"].as_str(), provenance.get("data_generated").and_then(|d| d.as_str()), "{file}");
    }
    let arms = tables.iter().find(|t| t["file"] == "arms_transfers.csv").unwrap();
    assert_eq!(arms["data_generated"], "13 Mar 2025 10:02:49 AM");
    assert_eq!(arms["instruments"], serde_json::json!(["E1", "E2"]));
    assert_eq!(arms["inputs"][0]["sha256"].as_str().unwrap(), sha256(&register()), "the raw register's own hash");

    let logs = manifest["curated"].as_array().unwrap();
    let on_disk = std::fs::read_dir(repo_datasets().join("evidence")).unwrap().count();
    assert_eq!(logs.len(), on_disk + 4, "the evidence logs, the presence, agreements, hostilities and outreach records");
    for log in logs {
        assert_eq!(text(&log["sha256"]), sha256(&repo_datasets().join(text(&log["file"]))));
    }
    // The tables written, each with its hash: the CSV and Parquet of the seven run tables.
    let outputs: BTreeMap<String, String> = manifest["outputs"].as_array().unwrap().iter().map(|o| (text(&o["file"]), text(&o["sha256"]))).collect();
    assert_eq!(outputs.len(), 14, "{outputs:?}");
    for (file, hash) in &outputs {
        assert_eq!(hash, &sha256(&dir.join(file)), "{file}");
    }
}

/// The column types `reports/README.md` documents for the Parquet tables: (table, column) → type, for
/// the integer, real and boolean columns; every other column is text.
fn documented_types() -> BTreeMap<(String, String), &'static str> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/README.md")).unwrap();
    let section = &readme[readme.find("## Parquet").expect("reports/README.md documents the Parquet tables")..];
    let mut types = BTreeMap::new();
    for line in section.lines().skip_while(|l| !l.starts_with("| table |")).skip(2).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let table = cells[0].trim_matches('`').to_string();
        for (cell, kind) in cells[1..].iter().zip(["integer", "real", "boolean"]) {
            for column in cell.split(',').map(|c| c.trim().trim_matches('`')).filter(|c| !c.is_empty()) {
                types.insert((table.clone(), column.to_string()), kind);
            }
        }
    }
    types
}

#[test]
fn every_table_reads_back_from_parquet_as_its_csv() {
    let dir = tables_run().path();
    let documented = documented_types();
    let stems = ["indicators", "assessments", "coverage", "projections", "sensitivity", "backtest", "backtest-summary"];
    for stem in stems {
        let mut csv = csv::Reader::from_path(dir.join(format!("{stem}.csv"))).unwrap();
        let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
        let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
        assert!(!records.is_empty(), "{stem}.csv has rows");

        // Read with Apache Arrow's Parquet reader, not polars.
        let reader = SerializedFileReader::new(std::fs::File::open(dir.join(format!("{stem}.parquet"))).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let names: Vec<String> = schema.columns().iter().map(|c| c.name().to_string()).collect();
        assert_eq!(names, header, "{stem}: the same columns in the same order");
        for column in schema.columns() {
            let kind = documented.get(&(stem.to_string(), column.name().to_string())).copied().unwrap_or("text");
            let physical = match kind {
                "integer" => Physical::INT64,
                "real" => Physical::DOUBLE,
                "boolean" => Physical::BOOLEAN,
                _ => Physical::BYTE_ARRAY,
            };
            assert_eq!(column.physical_type(), physical, "{stem}.{}: documented as {kind}", column.name());
        }
        assert_eq!(reader.metadata().file_metadata().num_rows(), records.len() as i64, "{stem}: rows");
        let rows = reader.get_row_iter(None).unwrap().map(Result::unwrap);
        for (line, (row, record)) in rows.zip(&records).enumerate() {
            for ((name, field), text) in row.get_column_iter().zip(record.iter()) {
                let same = match field {
                    Field::Str(s) => s == text,
                    Field::Long(v) => text.parse::<i64>() == Ok(*v),
                    Field::Double(v) => text.parse::<f64>() == Ok(*v),
                    Field::Bool(v) => text.parse::<bool>() == Ok(*v),
                    // Only numbers and flags are ever missing: a text is an empty string.
                    Field::Null => text.is_empty() && documented.contains_key(&(stem.to_string(), name.clone())),
                    other => panic!("{stem}.{name}: unexpected Parquet value {other:?}"),
                };
                assert!(same, "{stem} line {}: {name} is {field:?} in Parquet, `{text}` in the CSV", line + 2);
            }
        }
    }
    // Some values are missing and some empty texts: both cases were met.
    let assessments = std::fs::read_to_string(dir.join("assessments.csv")).unwrap();
    assert!(assessments.contains(",Not assessed,") && assessments.lines().any(|l| l.ends_with(',')));
}

/// The README's examples: a full CSV run as of 2022 and one as of 2023, made once.
fn as_of_runs() -> &'static (tempfile::TempDir, tempfile::TempDir) {
    static RUNS: OnceLock<(tempfile::TempDir, tempfile::TempDir)> = OnceLock::new();
    RUNS.get_or_init(|| {
        let run = |year: &str| {
            let out = tempfile::tempdir().unwrap();
            // The current level over the whole window, so that a year's deliveries move the share the raw
            // register gives from 2012.
            mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--format", "csv", "--current-years", "100", "--as-of", year, "--output"]).arg(out.path()).assert().success();
            out
        };
        (run("2022"), run("2023"))
    })
}

/// diff.csv's rows as column → value maps.
fn diff_rows(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(dir.join("diff.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    reader.records().map(|r| header.iter().map(String::from).zip(r.unwrap().iter().map(String::from)).collect()).collect()
}

fn find<'a>(rows: &'a [BTreeMap<String, String>], wanted: &[(&str, &str)]) -> Option<&'a BTreeMap<String, String>> {
    rows.iter().find(|r| wanted.iter().all(|(k, v)| r[*k] == *v))
}

/// The level a value reaches on a rubric scale (four thresholds), read from rubric.toml with the toml crate.
fn rubric_level(instrument: &str, value: f64) -> &'static str {
    let rubric: toml::Value = std::fs::read_to_string(repo_datasets().join("rubric.toml")).unwrap().parse().unwrap();
    let thresholds: Vec<f64> = rubric[instrument]["thresholds"].as_array().unwrap().iter().map(|t| t.as_float().unwrap()).collect();
    ["Very Low", "Low", "Medium", "High", "Very High"][thresholds.iter().filter(|t| value >= **t).count()]
}

#[test]
fn diff_of_two_real_runs_lists_changed_ratings_with_their_causes() {
    let (old, new) = as_of_runs();
    let out = tempfile::tempdir().unwrap();
    let assert = mdime().args(["diff"]).arg(old.path()).arg(new.path()).arg("--output").arg(out.path()).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("settings: as-of year: 2022 → 2023") && stdout.contains("inputs: unchanged"), "{stdout}");
    let rows = diff_rows(out.path());
    assert!(find(&rows, &[("kind", "setting"), ("field", "window"), ("old", "2012-2022"), ("new", "2012-2023")]).is_some());

    // China's share of Rwanda's arms imports, from the raw register: a year more of deliveries moves it
    // across rubric thresholds; the diff must show the change, by as many levels, with the share behind it.
    let records = raw_register_records();
    let (before, after) = (raw_share(&records, "China", "Rwanda", 2012..=2022), raw_share(&records, "China", "Rwanda", 2012..=2023));
    let (was, is) = (rubric_level("E1", before), rubric_level("E1", after));
    assert_ne!(was, is, "the raw register moves China in Rwanda across a threshold ({before} → {after})");
    let rwanda = find(&rows, &[("kind", "rating"), ("benefactor", "China"), ("iso3", "RWA"), ("instrument", "E1"), ("field", "current")])
        .expect("China's E1 rating in Rwanda changed");
    assert_eq!((rwanda["old"].as_str(), rwanda["new"].as_str()), (was, is));
    let rank = |l: &str| ["Very Low", "Low", "Medium", "High", "Very High"].iter().position(|x| *x == l).unwrap() as i32;
    assert_eq!(rwanda["steps"].parse::<i32>().unwrap(), rank(is) - rank(was));
    let share = rwanda["moved"].split("; ").find_map(|m| m.strip_prefix("share_of_arms_imports ")).expect("the share moved");
    let (a, b) = share.split_once(" → ").unwrap();
    assert!((a.parse::<f64>().unwrap() - before).abs() < 1e-5 && (b.parse::<f64>().unwrap() - after).abs() < 1e-5, "{share}");
    // The terminal shows the first 40 rating changes and counts the rest, which diff.csv holds.
    let ratings = rows.iter().filter(|r| r["kind"] == "rating").count();
    let listed = stdout.contains("China      RWA   E1       current");
    assert!(listed || (ratings > 40 && stdout.contains(&format!("… and {} more in diff.csv", ratings - 40))), "the terminal lists it or counts it:\n{stdout}");

    // Evidence: China's D1 in Algeria rests on the log's 2023 events, read here from the log itself.
    let mut log = csv::Reader::from_path(repo_datasets().join("evidence/DZA.csv")).unwrap();
    let header = log.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let new_ids: BTreeSet<String> = log
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[column("benefactor")] == "China" && &r[column("instrument")] == "D1" && r[column("date")].starts_with("2023"))
        .map(|r| r[column("id")].to_string())
        .collect();
    assert!(!new_ids.is_empty());
    // The event data rated it Low in 2022 already (reports of visits in 2018 and 2022); the logs' 2023
    // events confirm the level and raise its confidence, and the diff shows them behind that change.
    let d1 = find(&rows, &[("kind", "rating"), ("benefactor", "China"), ("iso3", "DZA"), ("instrument", "D1"), ("field", "confidence")])
        .expect("China's D1 rating in Algeria changed");
    assert_eq!(d1["evidence_added"].split(' ').map(String::from).collect::<BTreeSet<_>>(), new_ids);
    assert!(d1["moved"].contains("evidence_score - → "), "{:?}", d1["moved"]);
    // The overall ratings and projections are there too, each change with what moved behind it.
    assert!(rows.iter().any(|r| r["kind"] == "overall" && !r["moved"].is_empty()));
    assert!(rows.iter().any(|r| r["kind"] == "projection" && r["moved"].contains("base year 2022 → 2023")));
    assert!(rows.iter().filter(|r| r["kind"] == "rating" || r["kind"] == "overall").all(|r| r["inputs_changed"].is_empty()), "same inputs");
    let markdown = std::fs::read_to_string(out.path().join("diff.md")).unwrap();
    assert!(markdown.contains("## Ratings") && markdown.contains(&format!("| China | Rwanda (RWA) | E1 | current | {was} → {is} (")));
}

#[test]
fn diff_names_the_input_whose_hash_changed() {
    // Mali's arms deliveries from China grow in a copy of the datasets: only E1 (and what rests on it)
    // moves, and the changed table is named as its cause.
    let datasets = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
            if entry.path().is_file() {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    };
    copy(&repo_datasets(), datasets.path());
    copy(&repo_datasets().join("evidence"), &datasets.path().join("evidence"));
    let run = |dir: &Path| {
        let out = tempfile::tempdir().unwrap();
        mdime().args(["run", "--format", "csv", "--recipient", "Mali", "--as-of", "2023", "--datasets"]).arg(dir).arg("--output").arg(out.path()).assert().success();
        out
    };
    let old = run(datasets.path());
    let table = datasets.path().join("arms_transfers.csv");
    let mut text = std::fs::read_to_string(&table).unwrap();
    text.push_str("China,CHN,Mali,MLI,2022,5000.0,1,0,false\n");
    rewrite_table(&table, &text);
    let new = run(datasets.path());
    let out = tempfile::tempdir().unwrap();
    mdime().arg("diff").arg(old.path()).arg(new.path()).arg("-o").arg(out.path()).assert().success();
    let rows = diff_rows(out.path());
    let input = find(&rows, &[("kind", "input"), ("field", "arms_transfers.csv")]).expect("the table's hash changed");
    assert_eq!(input["new"], sha256(&table));
    assert_eq!(rows.iter().filter(|r| r["kind"] == "input").count(), 1, "nothing else changed");
    let e1 = find(&rows, &[("kind", "rating"), ("benefactor", "China"), ("iso3", "MLI"), ("instrument", "E1"), ("field", "current")]).unwrap();
    assert_eq!(e1["inputs_changed"], "arms_transfers.csv");
    assert!(e1["moved"].starts_with("share_of_arms_imports "), "the score indicator first: {}", e1["moved"]);
    assert!(rows.iter().filter(|r| r["kind"] == "rating").all(|r| ["E1", "E2"].contains(&r["instrument"].as_str())), "only the table's instruments");
}

#[test]
fn diff_refuses_a_folder_that_is_not_a_run() {
    let empty = tempfile::tempdir().unwrap();
    mdime()
        .arg("diff")
        .arg(empty.path())
        .arg(empty.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("assessments.csv: missing: `mdime diff` compares two output folders of `mdime run`"));
}

#[test]
fn completions_and_man_pages_come_from_the_options() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = mdime().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for word in ["diff", "backtest", "as-of", "recipient"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let page = String::from_utf8(mdime().arg("man").output().unwrap().stdout).unwrap();
    assert!(page.contains(".TH mdime 1") && page.contains("completions") && page.contains("M\\-DIME"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    mdime().args(["man", "--output"]).arg(dir.path()).assert().success();
    let run_page = std::fs::read_to_string(dir.path().join("mdime-run.1")).unwrap();
    let title = format!(".TH mdime-run 1  \"run {}\"", env!("CARGO_PKG_VERSION"));
    assert!(run_page.contains(&title) && run_page.contains("\\-\\-as\\-of"), "{run_page}");
    assert!(dir.path().join("mdime-import-sipri.1").is_file());
}

#[test]
fn an_installed_mdime_finds_its_tables_from_any_folder() {
    // From a folder without datasets/: the source folder's, where mdime was built.
    let elsewhere = tempfile::tempdir().unwrap();
    mdime().current_dir(elsewhere.path()).arg("validate").assert().success();
    mdime()
        .current_dir(elsewhere.path())
        .args(["assess", "--benefactor", "China", "--recipient", "Pakistan"])
        .assert()
        .success()
        .stdout(predicate::str::contains("China in Pakistan"));
    // MDIME_DATASETS names another; a missing one is an error about --datasets.
    mdime().current_dir(elsewhere.path()).env("MDIME_DATASETS", "/nonexistent").arg("validate").assert().failure().stderr(predicate::str::starts_with("error: --datasets: /nonexistent is not a folder"));
    let copy = PathBuf::from(imported().0.path());
    mdime().current_dir(elsewhere.path()).env("MDIME_DATASETS", &copy).args(["assess", "-b", "China", "-r", "Mali"]).assert().success();
}

#[test]
fn the_main_job_leaves_a_fresh_clone_as_it_was() {
    // The README's main job, `mdime run` with no options, in a clone of the committed tree.
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    let git = |args: &[&str], cwd: &Path| {
        let out = std::process::Command::new("git").args(args).current_dir(cwd).output().expect("git is installed");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["clone", "--quiet", "--no-hardlinks", env!("CARGO_MANIFEST_DIR"), clone.to_str().unwrap()], dir.path());
    mdime().current_dir(&clone).arg("run").assert().success();
    assert!(clone.join("reports/latest/index.html").is_file(), "the run writes into reports/latest/");
    assert_eq!(git(&["status", "--porcelain", "--untracked-files=all"], &clone), "", "the main job changed the checkout");
}
