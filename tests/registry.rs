//! The source registry: one list that `mdime import`, `datasets/README.md` and the program's top layer
//! agree with, and that the top layer reaches only through.

use std::fs;
use std::path::Path;

use mdime::sources::{self, REGISTRY};

use crate::common::*;

/// The subcommand names under "Commands:" in `mdime import --help`.
fn import_help_commands() -> Vec<String> {
    let output = mdime().args(["import", "--help"]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    let commands = help.split("Commands:").nth(1).expect("a Commands section").split("\n\n").next().unwrap();
    commands
        .lines()
        // A command's line starts with two spaces and its name; its wrapped help is indented further.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn import_help_lists_every_importable_source_of_the_registry_and_nothing_else() {
    let registered: Vec<String> = REGISTRY.iter().filter(|s| s.import_command().is_some()).map(|s| s.about().name.to_string()).collect();
    assert!(registered.len() >= 16, "{registered:?}");
    assert_eq!(import_help_commands(), registered);
}

#[test]
fn datasets_readme_opens_with_the_registrys_catalogue() {
    let readme = fs::read_to_string(repo_datasets().join("README.md")).unwrap();
    let block = readme.split("<!-- sources:begin -->\n").nth(1).and_then(|rest| rest.split("<!-- sources:end -->").next()).expect("markers");
    assert_eq!(block, sources::catalogue(), "datasets/README.md's table of sources differs from the registry: paste `mdime sources` between the markers");
    for source in REGISTRY {
        assert!(block.contains(&format!("| {} |", source.about().name)), "{} missing", source.about().name);
    }
}

#[test]
fn the_top_layer_names_no_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folders: Vec<String> = fs::read_dir(root.join("src/sources"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(folders.len() >= REGISTRY.len(), "{folders:?}");
    for file in ["src/lib.rs", "src/cli.rs"] {
        let text = fs::read_to_string(root.join(file)).unwrap();
        for folder in &folders {
            assert!(!text.contains(&format!("sources::{folder}")), "{file} reaches into the source module `{folder}`");
        }
        for source in REGISTRY {
            let name = source.about().name;
            assert!(!text.contains(&format!("\"{name}\"")), "{file} names the source `{name}`");
            assert!(!text.contains(&format!("import {name}")), "{file} names the source `{name}`");
        }
    }
}

#[test]
fn every_source_folder_is_registered_and_no_source_imports_another() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sources");
    let mod_rs = fs::read_to_string(root.join("mod.rs")).unwrap();
    let folders: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for folder in &folders {
        assert!(mod_rs.contains(&format!("pub mod {folder};")), "src/sources/{folder} is not declared");
        if folder == "trade_family" {
            continue;
        }
        assert!(mod_rs.contains(&format!("&{folder}::")), "src/sources/{folder} is not in the registry");
        for entry in fs::read_dir(root.join(folder)).unwrap().filter_map(|e| e.ok()) {
            let text = fs::read_to_string(entry.path()).unwrap_or_default();
            for other in folders.iter().filter(|o| *o != folder && *o != "trade_family") {
                assert!(
                    !text.contains(&format!("sources::{other}::")) && !text.contains(&format!("sources::{other};")),
                    "{} imports the source `{other}`",
                    entry.path().display()
                );
            }
        }
    }
}

/// The command-line inputs of the imports that have no default ones: the raw files the committed
/// tables were made from (every other import reads its defaults, as `mdime import NAME` alone does).
fn import_inputs(name: &str) -> Vec<std::ffi::OsString> {
    let data = shared_data();
    let trade = data.join("trade");
    let mut args: Vec<std::ffi::OsString> = Vec::new();
    let mut push = |flag: Option<&str>, path: std::path::PathBuf| {
        args.extend(flag.map(Into::into));
        args.push(path.into_os_string());
    };
    match name {
        "sipri" => {
            push(None, register());
            for code in ["CHI", "RUS", "USR"] {
                push(Some("--tiv-table"), tiv_table(code));
            }
        }
        "trade" => {
            push(None, trade.join("imf-dots-1960-2020"));
            for file in ["imf-dots-russia-exports-2011-2022.xlsx", "imf-dots-russia-imports-2010-2021.xlsx"] {
                push(Some("--own-report"), trade.join(file));
            }
            for file in ["China_2.1.1_top_export_partners_reverse.xlsx", "China_3.1.1_top_import_partners.xlsx", "china-reported-lusophone-2003-2024.xlsx"] {
                push(Some("--comtrade"), trade.join("comtrade-china-mirror-2014-2025").join(file));
            }
            push(Some("--cow"), trade.join("cow-trade-v4-china-russia.csv"));
        }
        _ => {}
    }
    args
}

/// What a provenance says about the import, without the day it ran.
fn undated(mut provenance: mdime::ingest::Provenance) -> mdime::ingest::Provenance {
    provenance.imported_on.clear();
    provenance
}

/// Every derived table in `datasets/` is what its import makes of the raw files today, with the
/// repository's own configuration (`benefactors.csv`, the mapping tables): every importable source of the
/// registry is imported afresh, in the registry's order, into a folder holding only the curated files.
#[test]
fn every_committed_derived_table_is_a_fresh_import_of_its_raw_files() {
    let derived: Vec<&str> = sources::tables().iter().map(|t| t.spec.file).collect();
    let is_derived = |name: &str| derived.iter().any(|t| name == *t || name == mdime::ingest::Provenance::path_for(Path::new(t)).to_string_lossy());
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(repo_datasets()).unwrap().map(Result::unwrap) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !is_derived(&name) {
            fs::copy(entry.path(), dir.path().join(&name)).unwrap();
        }
    }
    let mut checked = Vec::new();
    let mut stale = Vec::new();
    for source in REGISTRY.iter().filter(|s| s.import_command().is_some()) {
        let name = source.about().name;
        let mut args: Vec<std::ffi::OsString> = vec![name.into()];
        args.extend(import_inputs(name));
        let matches = source.import_command().unwrap().try_get_matches_from(args).unwrap();
        source.import(&matches, dir.path()).unwrap_or_else(|e| panic!("`mdime import {name}` fails on the raw files: {e}"));
        for table in source.tables() {
            let file = table.spec.file;
            let provenance = mdime::ingest::Provenance::path_for(Path::new(file));
            let same_table = fs::read(dir.path().join(file)).unwrap() == fs::read(repo_datasets().join(file)).unwrap();
            let load = |folder: &Path| undated(mdime::ingest::Provenance::load(&folder.join(&provenance)).unwrap());
            if !same_table || load(dir.path()) != load(&repo_datasets()) {
                stale.push(format!("datasets/{file} (run `mdime import {name}`)"));
            }
            checked.push(file.to_string());
        }
    }
    assert!(stale.is_empty(), "stale: {stale:?}");
    // The world map is derived by a function rather than imported (tests/atlas.rs checks it); every other
    // table with a provenance is one of the registry's.
    for entry in fs::read_dir(repo_datasets()).unwrap().map(Result::unwrap) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(table) = name.strip_suffix(".provenance.toml") {
            assert!(table == "world_map" || checked.iter().any(|c| Path::new(c).file_stem().is_some_and(|s| s == table)), "datasets/{name} belongs to no import");
        }
    }
    assert_eq!(checked.len(), derived.len());
}

/// The as-of year `datasets/README.md`'s table of what the sources reach is made for.
const REACH_AS_OF: i32 = 2025;

#[test]
fn datasets_readme_says_what_each_benefactors_sources_reach() {
    let mut args = crate::run::args(&repo_datasets());
    args.as_of = Some(REACH_AS_OF);
    let history = mdime::history(&args.validate().unwrap()).unwrap();
    let benefactors: Vec<mdime::domain::Benefactor> = mdime::ingest::benefactors::load(&repo_datasets()).unwrap().into_iter().map(|c| c.benefactor).collect();
    assert!(benefactors.len() >= 7, "China, Russia, the United States, France, Türkiye, India, the UAE");
    let table = mdime::render::atlas::reach_table(&history.reach, &benefactors);
    assert_eq!(table.rows.len(), 12 * benefactors.len());
    let expected = mdime::render::report::markdown(&mdime::render::report::Document { title: String::new(), blocks: vec![mdime::render::report::Block::Table(table)] });
    let readme = fs::read_to_string(repo_datasets().join("README.md")).unwrap();
    let block = readme.split("<!-- reach:begin -->\n").nth(1).and_then(|rest| rest.split("<!-- reach:end -->").next()).expect("markers");
    if block != expected {
        println!("<!-- reach:begin -->\n{expected}<!-- reach:end -->");
    }
    assert_eq!(block, expected, "datasets/README.md's table of what the sources reach differs from the data: paste the block printed above (--nocapture)");
    // Russia's D2 is reached by the student flows to 2019.
    let russia = history.reach.iter().find(|r| r.benefactor == "RUS" && r.instrument == mdime::domain::Instrument::D2 && r.source == "student-flows").unwrap();
    assert_eq!(russia.last_year, 2019);
}
