//! The importer contract on files as analysts really have them: the field cases in
//! `../shared/data/field-cases/`, each standing for a kind of real-world file, and the guarantees every
//! import and run keeps (no empty table replaces a full one, no edited table is read, no formula reaches
//! a spreadsheet, options and rubric checked against their meaning).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use mdime::sources::sipri;

use crate::common::*;

fn field_case(name: &str) -> PathBuf {
    shared_data().join("field-cases").join(name)
}

/// A datasets folder holding a copy of one committed table and its provenance.
fn datasets_with(tables: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for table in tables {
        let provenance = table.replace(".csv", ".provenance.toml");
        for name in [*table, provenance.as_str()] {
            fs::copy(repo_datasets().join(name), dir.path().join(name)).unwrap();
        }
    }
    dir
}

/// The per-delivery export's records as (deal id, supplier, recipient, designation, order year,
/// delivery year, TIV), read independently: the header is on the line starting `SIPRI AT Database
/// ID`, fields are split on commas (SIPRI quotes nothing) and a closing `;` is dropped.
fn raw_deliveries(path: &Path) -> Vec<(String, String, String, String, String, i32, f64)> {
    let text: String = fs::read(path).unwrap().iter().map(|&b| b as char).collect();
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r').trim_end_matches(';')).collect();
    let header = lines.iter().position(|l| l.starts_with("SIPRI AT Database ID")).unwrap();
    lines[header + 1..]
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].into(), f[1].into(), f[2].into(), f[3].trim().into(), f[6].into(), f[10].parse().unwrap(), f[15].parse().unwrap())
        })
        .collect()
}

#[test]
fn per_delivery_exports_give_the_registers_deliveries_for_the_deals_both_hold() {
    let raw = raw_register_records();
    for name in ["fc04a-sipri-per-delivery-2024-04-13-excerpt.csv", "fc04b-sipri-per-delivery-semicolons-2026-02-12-excerpt.csv"] {
        let dir = tempfile::tempdir().unwrap();
        let report = sipri::import(&field_case(name), &[], dir.path()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report.provenance.layout, "SIPRI per-delivery export");
        let deliveries = raw_deliveries(&field_case(name));
        assert_eq!(report.provenance.counts.records_read, deliveries.len(), "{name}: every delivery read");
        let total: f64 = deliveries.iter().map(|d| d.6).sum();
        let table_total: f64 = report.rows.iter().map(|r| r.tiv).sum();
        assert!((total - table_total).abs() < 1e-9, "{name}: {total} vs {table_total}");

        // Deals in both: the register's record with the same supplier, recipient, designation and year
        // of order. Each deal's deliveries, summed, are the register's delivered TIV, over the same years.
        let mut deals: BTreeMap<&str, Vec<&(String, String, String, String, String, i32, f64)>> = BTreeMap::new();
        for d in &deliveries {
            deals.entry(d.0.as_str()).or_default().push(d);
        }
        let mut shared = 0;
        for rows in deals.values() {
            let d = rows[0];
            let matches: Vec<&Vec<String>> = raw.iter().filter(|r| r[1] == d.1 && r[0] == d.2 && r[6].trim() == d.3 && r[2] == d.4).collect();
            let [register] = matches.as_slice() else { continue };
            shared += 1;
            let years: Vec<i32> = register[10].split("; ").map(|y| y.parse().unwrap()).collect();
            let mut delivered: Vec<i32> = rows.iter().map(|r| r.5).collect();
            delivered.sort();
            assert_eq!(delivered, years, "{name}: deal {} delivered in the register's years", d.0);
            let tiv: f64 = rows.iter().map(|r| r.6).sum();
            assert!((tiv - register[15].parse::<f64>().unwrap()).abs() < 1e-9, "{name}: deal {} delivered {tiv}", d.0);
            if years.len() == 1 {
                let row = report.rows.iter().find(|r| r.supplier == d.1 && r.recipient == d.2 && r.year == years[0]).unwrap();
                assert!(row.tiv >= tiv - 1e-9, "{name}: the year's TIV holds the deal's");
            }
        }
        assert!(shared >= 6, "{name}: the excerpt shares deals with the register ({shared})");
        if name.starts_with("fc04a") {
            // Multi-year deals keep SIPRI's own yearly split, which the register cannot give: Austria's
            // Pandur APCs for Belgium, 0.6 in 1998, 10.5 in 1999 and 5.1 in 2000.
            let pandur = |year| report.rows.iter().find(|r| r.supplier == "Austria" && r.recipient == "Belgium" && r.year == year).unwrap().tiv;
            assert_eq!((pandur(1998), pandur(1999), pandur(2000)), (0.6, 10.5, 5.1));
        }
    }
}

#[test]
fn a_per_delivery_export_resaved_with_crlf_and_closing_semicolons_gives_the_same_table() {
    let dir = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(field_case("fc04a-sipri-per-delivery-2024-04-13-excerpt.csv")).unwrap();
    // As the export of February 2026 (fc04b) comes: CRLF, and a `;` closing every line.
    let resaved: String = original.lines().map(|l| format!("{l};\r\n")).collect();
    fs::write(dir.path().join("resaved.csv"), resaved).unwrap();
    let table = |path: PathBuf| {
        let datasets = tempfile::tempdir().unwrap();
        let report = sipri::import(&path, &[], datasets.path()).unwrap();
        (fs::read(datasets.path().join(sipri::TABLE)).unwrap(), report.provenance.normalised)
    };
    let (plain, _) = table(field_case("fc04a-sipri-per-delivery-2024-04-13-excerpt.csv"));
    let (resaved, normalised) = table(dir.path().join("resaved.csv"));
    assert_eq!(plain, resaved);
    assert!(normalised.iter().any(|n| n.contains("CRLF")) && normalised.iter().any(|n| n.contains("`;` closing each line")), "{normalised:?}");
}

#[test]
fn the_register_saved_with_crlf_gives_the_same_table() {
    let text = fs::read(register()).unwrap();
    let mut crlf = Vec::with_capacity(text.len() + 40_000);
    for &b in &text {
        if b == b'\n' && crlf.last() != Some(&b'\r') {
            crlf.push(b'\r');
        }
        crlf.push(b);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register-crlf.csv");
    fs::write(&path, crlf).unwrap();
    let datasets = dir.path().join("datasets");
    fs::create_dir(&datasets).unwrap();
    let report = sipri::import(&path, &[], &datasets).unwrap();
    assert_eq!(report.rows, imported().1.rows);
    assert_eq!(report.provenance.counts.records_rejoined, 4);
}

#[test]
fn a_register_without_records_never_replaces_the_table() {
    let text: String = fs::read(register()).unwrap().iter().map(|&b| b as char).collect();
    let header = text.find("\nRecipient,Supplier,").unwrap() + 1;
    let header_end = header + text[header..].find('\n').unwrap() + 1;
    let datasets = datasets_with(&["arms_transfers.csv"]);
    let before = files_under(datasets.path());
    let path = datasets.path().join("..").join(format!("empty-register-{}.csv", std::process::id()));
    fs::write(&path, text[..header_end].chars().map(|c| c as u8).collect::<Vec<u8>>()).unwrap();
    let assert = mdime().arg("import").arg("sipri").arg(&path).arg("--datasets").arg(datasets.path()).assert().failure().code(1);
    let message = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    fs::remove_file(&path).unwrap();
    assert!(message.contains("has no records; nothing was written") && message.contains("arms_transfers.csv is unchanged"), "{message}");
    assert_eq!(files_under(datasets.path()), before);
}

#[test]
fn a_broken_record_padded_by_a_spreadsheet_is_joined_again() {
    let dir = tempfile::tempdir().unwrap();
    let report = sipri::import(&field_case("fc02-min-padded-broken-record.csv"), &[], dir.path()).unwrap();
    assert_eq!(report.provenance.counts.records_rejoined, 1);
    assert_eq!(report.provenance.counts.records_read, 3, "three deals, one of them over two lines");
    let ukraine: Vec<(i32, f64)> = report.rows.iter().filter(|r| r.supplier == "Ukraine").map(|r| (r.year, r.tiv)).collect();
    assert_eq!(ukraine, [(2010, 1.625), (2012, 1.625)], "3.25 TIV over the two delivery years");
}

#[test]
fn tiv_tables_with_zero_totals_or_a_non_state_supplier_are_compared() {
    let dir = tempfile::tempdir().unwrap();
    let tables = [field_case("fc05-TIV-Export-ALB-1950-2021.csv"), field_case("fc05-TIV-Export-EU-1950-2021.csv")];
    let report = sipri::import(&field_case("fc05-min-register-albania.csv"), &tables, dir.path()).unwrap();
    let albania = report.provenance.comparisons.iter().find(|c| c.what.starts_with("Albania")).unwrap();
    // SIPRI's table writes the 1.2 TIV of 2011 as 0 (under 0.5 TIV each year): no percentage of 0.
    assert_eq!((albania.reference_total, albania.other_total, albania.total_gap_pct), (0.0, 1.0, None));
    assert!(report.provenance.comparisons.iter().any(|c| c.what.starts_with("European Union**")));
    let toml = fs::read_to_string(dir.path().join("arms_transfers.provenance.toml")).unwrap();
    assert!(!toml.to_lowercase().contains("nan"), "{toml}");
    let out = mdime()
        .args(["import", "sipri"])
        .arg(field_case("fc05-min-register-albania.csv"))
        .arg("--tiv-table")
        .arg(&tables[0])
        .arg("--datasets")
        .arg(dir.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("n/a") && !stdout.contains("NaN"), "{stdout}");
}

#[test]
fn a_name_the_tables_lack_is_added_in_the_local_names_file() {
    let dir = tempfile::tempdir().unwrap();
    let geo = field_case("fc07-geopko-tccmap-2021-mutinational-excerpt.csv");
    let import = || mdime().args(["import", "peacekeeping"]).arg(&geo).arg("--datasets").arg(dir.path()).assert();
    let refused = import().failure();
    let message = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(message.contains("unknown country `Mutinational`"), "{message}");
    assert!(message.contains("local_names.csv") && message.contains("Mutinational,,KIND,"), "the advice names the file to edit: {message}");
    fs::write(dir.path().join("local_names.csv"), "name,iso3,kind,note\nMutinational,,group,Geo-PKO's spelling of Multinational\n").unwrap();
    import().success();
    let table = fs::read_to_string(dir.path().join("peacekeeping.csv")).unwrap();
    assert!(table.lines().any(|l| l.starts_with("Mutinational,,UNPREDEP,MKD,1995,650")), "{table}");
}

#[test]
fn a_local_name_may_add_but_not_change_a_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("local_names.csv"), "name,iso3,kind,note\nGhana,CIV,,\n").unwrap();
    let refused = mdime().args(["import", "peacekeeping"]).arg(field_case("fc07-geopko-tccmap-2021-mutinational-excerpt.csv")).arg("--datasets").arg(dir.path()).assert().failure();
    let message = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(message.contains("local_names.csv: ") && message.contains("line 2") && message.contains("GHA"), "{message}");
}

#[test]
fn an_edited_or_truncated_table_is_refused_with_the_import_to_run() {
    for edit in [
        |t: &str| t.replacen("China,CHN,Pakistan,PAK,2015,", "China,CHN,Pakistan,PAK,2015,9", 1),
        |t: &str| t[..t.len() / 2].to_string(),
    ] {
        let datasets = datasets_with(&["arms_transfers.csv"]);
        let table = datasets.path().join("arms_transfers.csv");
        fs::write(&table, edit(&fs::read_to_string(&table).unwrap())).unwrap();
        let out = tempfile::tempdir().unwrap();
        let refused = mdime().arg("run").arg("--datasets").arg(datasets.path()).arg("--output").arg(out.path()).assert().failure();
        let message = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
        assert!(message.contains("arms_transfers.csv cannot be used") && message.contains("run `mdime import sipri"), "{message}");
        assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
    }
}

#[test]
fn text_a_spreadsheet_would_evaluate_is_neutralised_and_control_characters_never_reach_a_cell() {
    assert_eq!(mdime::artefact::safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
    for risky in ["+1+1", "-cmd", "@SUM(A1)"] {
        assert_eq!(mdime::artefact::safe_cell(risky), format!("'{risky}"));
    }
    for number in ["-0.25", "+3", "-1e-5"] {
        assert_eq!(mdime::artefact::safe_cell(number), number, "numbers stay numbers");
    }
    assert_eq!(mdime::artefact::safe_cell("a\u{1b}[31mred\u{7}"), "a [31mred ");
    assert_eq!(mdime::artefact::safe_cell("\t=1"), " =1", "a tab becomes a space, which a spreadsheet does not evaluate");
}

#[test]
fn evidence_text_reaches_cells_and_the_terminal_inert() {
    let datasets = datasets_with(&["arms_transfers.csv"]);
    fs::create_dir(datasets.path().join("evidence")).unwrap();
    let log = "id,date,benefactor,recipient,instrument,event_type,magnitude,unit,effective_date,confidence,summary,source_title,source_publisher,source_date,source_url\n\
        =MLI-1,2024-05-01,Russia,Mali,D1,defence_minister_meeting,,,,high,\"Visit \u{1b}[2Jcleared\",@title,Publisher,2024-05-02,https://example.org/a\n";
    fs::write(datasets.path().join("evidence/MLI.csv"), log).unwrap();
    let out = tempfile::tempdir().unwrap();
    mdime().args(["run", "--format", "csv", "--recipient", "Mali", "--datasets"]).arg(datasets.path()).arg("--output").arg(out.path()).assert().success();
    let assessments = fs::read_to_string(out.path().join("assessments.csv")).unwrap();
    assert!(assessments.contains("'=MLI-1") && !assessments.contains(",=MLI-1"), "{assessments}");
    let explained = mdime().args(["explain", "Russia", "Mali", "D1", "--datasets"]).arg(datasets.path()).assert().success();
    let stdout = String::from_utf8_lossy(&explained.get_output().stdout).to_string();
    assert!(stdout.contains("cleared") && !stdout.contains('\u{1b}'), "{stdout}");
}

#[test]
fn implausible_numbers_are_refused_on_import_and_in_evidence() {
    let text: String = fs::read(source_fixture("sipri", "register-small.csv")).unwrap().iter().map(|&b| b as char).collect();
    for bad in ["inf", "NaN", "1e308"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.csv");
        fs::write(&path, text.replace("Second batch,7.5,30,30", &format!("Second batch,7.5,30,{bad}")).chars().map(|c| c as u8).collect::<Vec<u8>>()).unwrap();
        let message = sipri::import(&path, &[], dir.path()).expect_err(bad).to_string();
        assert!(message.contains(":14: column `SIPRI TIV of delivered weapons`") && message.contains(&format!("`{bad}`")), "{message}");
    }
    let datasets = datasets_with(&["arms_transfers.csv"]);
    fs::create_dir(datasets.path().join("evidence")).unwrap();
    let log = "id,date,benefactor,recipient,instrument,event_type,magnitude,unit,effective_date,confidence,summary,source_title,source_publisher,source_date,source_url\n\
        MLI-1,2019-05-01,Russia,Mali,D1,defence_minister_meeting,1e308,usd,,high,Visit,Title,Publisher,2019-05-02,https://example.org/a\n";
    fs::write(datasets.path().join("evidence/MLI.csv"), log).unwrap();
    let refused = mdime().arg("validate").arg("--datasets").arg(datasets.path()).assert().failure();
    let message = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(message.contains("MLI.csv:2: column `magnitude`") && message.contains("from 0 to 1000000000000 usd"), "{message}");
}

#[test]
fn options_outside_the_datas_span_are_refused_with_the_range() {
    let datasets = datasets_with(&["arms_transfers.csv"]);
    let refuse = |args: &[&str]| {
        let out = mdime().arg("assess").args(args).arg("--recipient").arg("Mali").arg("--datasets").arg(datasets.path()).assert().failure();
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    let message = refuse(&["--since=-100000"]);
    assert!(message.contains("--since: -100000 cannot start a window") && message.contains("from 1950"), "{message}");
    let message = refuse(&["--as-of", "1900", "--since", "1900"]);
    assert!(message.contains("--as-of: 1900 is outside the years of data; expected a year from 1950 to 2024"), "{message}");
    // The backtest's first as-of year: before the history allows a case, past the as-of year, or a
    // number that would wrap.
    for from in ["1900", "2030", "-2147483648"] {
        let out = mdime().args(["backtest", "--recipient", "Mali", "--as-of", "2020", &format!("--from={from}"), "--datasets"]).arg(datasets.path()).assert().failure();
        let message = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(message.contains(&format!("--from: {from} is outside the as-of years a case can be made for, 1996 to")), "{message}");
    }
}

#[test]
fn a_rubric_with_a_meaningless_value_or_nothing_to_rate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = fs::read_to_string(repo_datasets().join("rubric.toml")).unwrap();
    let cases = [
        ("nan-cap.toml", shipped.replace("below = 20.0", "below = nan"), "E1.cap.below: expected a positive number, found NaN"),
        ("empty.toml", "# nothing\n".to_string(), "rates no instrument"),
        ("inf.toml", shipped.replace("thresholds = [0.05, 0.15, 0.35, 0.60]", "thresholds = [0.05, 0.15, 0.35, inf]"), "E1.thresholds: thresholds must be positive and strictly increasing"),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        let message = mdime::assess::Rubric::load(&path).expect_err(name).to_string();
        assert!(message.contains(expected) && message.contains(name), "{message}");
    }
}

#[test]
fn a_comtrade_extract_keeps_its_last_year_when_it_is_complete() {
    let read = |extract: PathBuf| {
        let (_, reported) = mdime::sources::trade_family::comtrade::read(&extract, mdime::domain::CountryTable::builtin(), &["CHN".to_string()]).unwrap();
        let last = reported.cells.iter().map(|c| c.year).max();
        let part_year: Vec<String> = reported.excluded.keys().filter(|r| r.contains("part-year")).cloned().collect();
        (last, part_year)
    };
    // Extracted 14 months after 2024 ended: 132 partners report 2024 against 163 for 2023.
    let (last, part_year) = read(field_case("fc09-comtrade-China_2.1.1_top_export_partners_reverse-2026-03-03.xlsx"));
    assert_eq!((last, part_year.len()), (Some(2024), 0));
    // The copy taken early in 2025: 13 partners report it, and it is left out.
    let (last, part_year) = read(shared_data().join("trade/comtrade-china-mirror-2014-2025/China_2.1.1_top_export_partners_reverse.xlsx"));
    assert_eq!(last, Some(2024));
    assert!(part_year.len() == 1 && part_year[0].starts_with("2025"), "{part_year:?}");
}

/// The staging folder a run writes into beside its output folder, if one exists.
fn staging_beside(output: &Path) -> Option<PathBuf> {
    let name = output.file_name().unwrap().to_string_lossy().to_string();
    fs::read_dir(output.parent().unwrap())
        .unwrap()
        .map(Result::unwrap)
        .find(|e| e.file_name().to_string_lossy().starts_with(&format!(".{name}.staging-")))
        .map(|e| e.path())
}

#[test]
fn an_interrupted_run_leaves_the_previous_outputs_complete_and_no_temporary_file() {
    let parent = tempfile::tempdir().unwrap();
    let output = parent.path().join("reports");
    let run = || {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("mdime"));
        command.current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--format", "csv,svg,html", "--output"]).arg(&output);
        command
    };
    assert!(run().output().unwrap().status.success());
    let before = files_under(&output);
    let mut child = run().stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    // Interrupt it while it writes: once its staging folder holds charts (a run writes each recipient's
    // files as they are drawn).
    let started = std::time::Instant::now();
    while staging_beside(&output).is_none_or(|s| fs::read_dir(s.join("charts")).map_or(0, |d| d.count()) < 10) {
        assert!(started.elapsed().as_secs() < 120, "the run never started writing");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "exits as interrupted");
    assert_eq!(files_under(&output), before, "the previous outputs are complete and unchanged");
    assert!(staging_beside(&output).is_none(), "no staging folder left");
    let temporary: Vec<String> = fs::read_dir(parent.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).filter(|n| n != "reports").collect();
    assert!(temporary.is_empty(), "{temporary:?}");
}

#[test]
fn a_second_run_on_a_folder_in_use_is_refused() {
    let output = tempfile::tempdir().unwrap();
    let lock = mdime::artefact::lock_folder(output.path()).unwrap();
    let refused = mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--format", "csv", "--output"]).arg(output.path()).assert().failure();
    let message = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(message.contains("--output: another mdime process is writing to"), "{message}");
    drop(lock);
    mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--format", "csv", "--output"]).arg(output.path()).assert().success();
}

#[test]
fn a_run_replaces_its_own_outputs_and_keeps_other_files() {
    let output = tempfile::tempdir().unwrap();
    let run = |formats: &str| mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--recipient", "Mali", "--format", formats, "--output"]).arg(output.path()).assert().success();
    run("csv,md");
    fs::write(output.path().join("notes.txt"), "an analyst's notes").unwrap();
    assert!(output.path().join("countries/MLI.md").is_file());
    run("csv");
    assert!(!output.path().join("countries/MLI.md").exists(), "the earlier run's report is not left beside the new tables");
    assert_eq!(fs::read_to_string(output.path().join("notes.txt")).unwrap(), "an analyst's notes");
    let foreign = tempfile::tempdir().unwrap();
    fs::write(foreign.path().join("thesis.docx"), "").unwrap();
    let refused = mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--format", "csv", "--output"]).arg(foreign.path()).assert().failure();
    assert!(String::from_utf8_lossy(&refused.get_output().stderr).contains("holds files mdime did not write"));
}

#[test]
fn a_checkout_that_turned_line_endings_to_crlf_runs_as_the_original() {
    let datasets = tempfile::tempdir().unwrap();
    for (relative, bytes) in files_under(&repo_datasets()) {
        // What Git's line-ending conversion does to the text files of a Windows checkout.
        let converted = if relative.extension().is_some_and(|e| e == "parquet") { bytes } else { String::from_utf8(bytes).unwrap().replace('\n', "\r\n").into_bytes() };
        let to = datasets.path().join(relative);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::write(to, converted).unwrap();
    }
    let assess = |datasets: &Path| {
        let out = mdime().args(["assess", "--recipient", "Mali", "--datasets"]).arg(datasets).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).to_string()
    };
    assert_eq!(assess(datasets.path()), assess(&repo_datasets()));
}

#[test]
fn sipris_2026_register_with_renamed_columns_imports_and_meets_its_2026_tiv_table() {
    let register = field_case("fc18-sipri-register-china-2026-07-14-excerpt.csv");
    let table = field_case("fc18-sipri-volume-of-transfers-china-2000-2025-2026-07-14.csv");
    let dir = tempfile::tempdir().unwrap();
    let report = sipri::import(&register, &[table], dir.path()).unwrap_or_else(|e| panic!("{e}"));
    // The raw file's delivered TIV, read independently: the last field of each record after the header.
    let text: String = fs::read(&register).unwrap().iter().map(|&b| b as char).collect();
    let records: Vec<Vec<&str>> = text.lines().skip_while(|l| !l.starts_with("Recipient,")).skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split(',').collect()).collect();
    let state = |r: &Vec<&str>| !r[0].ends_with('*');
    let raw: f64 = records.iter().filter(|r| state(r)).map(|r| r[r.len() - 1].trim().parse::<f64>().unwrap_or(0.0)).sum();
    let imported: f64 = report.rows.iter().filter(|r| !r.recipient_iso3.is_empty()).map(|r| r.tiv).sum();
    assert!((raw - imported).abs() < 1e-6, "{raw} vs {imported}");
    // The 2026 yearly table names no supplier: it is the register's one supplier's.
    let comparisons = &report.provenance.comparisons;
    assert_eq!(comparisons.len(), 1);
    assert!(comparisons[0].what.starts_with("China"), "{:?}", comparisons[0]);

    // A rename no layout lists is refused with the column missing and the cell closest to it.
    let renamed = dir.path().join("renamed.csv");
    fs::write(&renamed, text.replace("Deliveries in the Year Range", "Units delivered in range").chars().map(|c| c as u8).collect::<Vec<u8>>()).unwrap();
    let error = sipri::import(&renamed, &[], dir.path()).unwrap_err().to_string();
    assert!(error.contains("lacks the column(s) `Number delivered`") && error.contains("for `Number delivered` the closest cell is `Units delivered in range`"), "{error}");
}

#[test]
fn an_output_folder_that_is_a_link_receives_the_run_through_it() {
    let parent = tempfile::tempdir().unwrap();
    let target = parent.path().join("elsewhere");
    fs::create_dir(&target).unwrap();
    let link = parent.path().join("reports");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--recipient", "Mali", "--format", "csv", "--output"]).arg(&link).assert().success();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert!(target.join("assessments.csv").is_file(), "the link's target holds the run");
}

#[test]
fn a_read_only_output_folder_is_never_replaced_and_a_narrower_run_says_what_it_removed() {
    use std::os::unix::fs::PermissionsExt;
    let output = tempfile::tempdir().unwrap();
    let run = |formats: &str| mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--recipient", "Mali", "--format", formats, "--output"]).arg(output.path()).assert();
    run("csv,md").success();
    let narrower = run("csv").success();
    let said = String::from_utf8_lossy(&narrower.get_output().stdout).to_string();
    assert!(said.contains("removed ") && said.contains(" md)"), "{said}");
    let before = files_under(output.path());
    fs::set_permissions(output.path(), fs::Permissions::from_mode(0o555)).unwrap();
    let refused = run("csv").failure();
    fs::set_permissions(output.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let message = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(message.contains("is read-only"), "{message}");
    assert_eq!(files_under(output.path()), before);
}
