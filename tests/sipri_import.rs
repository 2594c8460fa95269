use std::fs;

use mdime::sources::sipri;

use crate::common::*;

#[test]
fn reads_every_record_of_the_real_register() {
    let (_, report) = imported();
    let raw = raw_register_records();
    let counts = &report.provenance.counts;
    assert_eq!(counts.records_read, raw.len());
    assert_eq!(counts.records_rejoined, 4, "SIPRI's export breaks four records over two lines");
    assert_eq!(counts.records_with_deliveries + counts.records_without_deliveries + counts.records_rejected, raw.len());
    assert_eq!(counts.records_rejected, report.provenance.rejected.len(), "every rejection has a reason");
    let with_deliveries = raw.iter().filter(|r| !r[10].is_empty()).count();
    assert_eq!(counts.records_with_deliveries, with_deliveries);
}

#[test]
fn provenance_names_the_file_its_hash_and_date() {
    let (dir, report) = imported();
    let p = &report.provenance;
    assert_eq!(p.source_file, "trade-register-2025-03-13.csv");
    assert_eq!(p.data_generated, "13 Mar 2025 10:02:49 AM");
    assert_eq!(p.encoding, "ISO-8859-1");
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(fs::read(register()).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(p.sha256, hash);
    let saved = mdime::ingest::Provenance::load(&dir.path().join("arms_transfers.provenance.toml")).unwrap();
    assert_eq!(&saved, p);
}

#[test]
fn yearly_rows_keep_every_delivered_tiv() {
    let (_, report) = imported();
    let raw_total: f64 = raw_register_records().iter().filter_map(|r| r[15].parse::<f64>().ok()).sum();
    let table_total: f64 = report.rows.iter().map(|r| r.tiv).sum();
    assert!((raw_total - table_total).abs() < 0.01, "raw {raw_total} vs table {table_total}");
    // The Soviet Union stays its own supplier, with its own code.
    assert!(report.rows.iter().any(|r| r.supplier == "Soviet Union" && r.supplier_iso3 == "SUN"));
    assert!(!report.rows.iter().any(|r| r.supplier == "Soviet Union" && r.supplier_iso3 == "RUS"));
    // Non-state recipients and unknown suppliers are kept, without a country code.
    assert!(report.rows.iter().any(|r| r.recipient.ends_with('*') && r.recipient_iso3.is_empty()));
    assert!(report.rows.iter().any(|r| r.supplier == "unknown supplier(s)" && r.supplier_iso3.is_empty()));
}

#[test]
fn divergence_from_sipri_yearly_tables_is_measured_per_supplier() {
    let (_, report) = imported();
    let divergence = &report.provenance.comparisons;
    let china = divergence.iter().find(|d| d.what.starts_with("China deliveries")).expect("China's table compared");
    let russia = divergence.iter().find(|d| d.what.starts_with("Russia deliveries")).expect("Russia's table compared");
    for d in [china, russia] {
        assert_eq!((d.first_year, d.last_year), (2012, 2021));
    }
    // The table totals, summed independently from the raw yearly table.
    let text = fs::read_to_string(tiv_table("CHI")).unwrap();
    let header: Vec<&str> = text.lines().find(|l| l.starts_with(",1950")).unwrap().split(',').collect();
    let columns: Vec<usize> =
        header.iter().enumerate().filter(|(_, y)| (2012..=2021).contains(&y.parse::<i32>().unwrap_or(0))).map(|(i, _)| i).collect();
    let mut total = 0.0;
    for line in text.lines().skip_while(|l| !l.starts_with(",1950")).skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        if fields[0] == "Total" {
            break;
        }
        total += columns.iter().filter_map(|&i| fields.get(i)?.parse::<f64>().ok()).sum::<f64>();
    }
    assert_eq!(china.reference_total, total.round());
    // The even split reproduces SIPRI's yearly tables to within a fifth, cell by cell, for both
    // benefactors (the register has also been revised since the 2022 tables).
    for d in [china, russia] {
        assert!(d.total_gap_pct.unwrap().abs() < 10.0, "{d:?}");
        assert!(d.cell_gap_pct.unwrap() > 0.0 && d.cell_gap_pct.unwrap() < 20.0, "{d:?}");
    }
    let ussr = divergence.iter().find(|d| d.what.starts_with("Soviet Union deliveries")).expect("USSR's table compared");
    assert_eq!((ussr.first_year, ussr.last_year), (1950, 1991), "the USSR is measured over its own years");
}

#[test]
fn small_fixture_splits_deliveries_evenly_and_rejoins_broken_records() {
    let dir = tempfile::tempdir().unwrap();
    let report = sipri::import(&source_fixture("sipri", "register-small.csv"), &[], dir.path()).unwrap();
    let row = |s: &str, r: &str, y: i32| report.rows.iter().find(|x| x.supplier == s && x.recipient == r && x.year == y);
    for year in [2017, 2019, 2020] {
        assert_eq!(row("Russia", "Mali", year).unwrap().tiv, 10.0, "30 TIV over three years");
    }
    assert!(row("Russia", "Mali", 2018).is_none());
    assert!(row("France", "Mali", 2019).unwrap().uncertain, "a `?` flag marks the year uncertain");
    assert!(!row("Italy", "Turkiye", 2014).unwrap().uncertain);
    let broken = row("Soviet Union", "Cote d'Ivoire", 1976).expect("the record broken over two lines is rejoined");
    assert_eq!((broken.tiv, broken.licensed_deals, broken.supplier_iso3.as_str()), (17.0, 1, "SUN"));
    assert_eq!(row("Italy", "Turkiye", 2014).unwrap().recipient_iso3, "TUR");
    assert_eq!(row("Iran", "Hezbollah (Lebanon)*", 2013).unwrap().recipient_iso3, "");
    let counts = &report.provenance.counts;
    assert_eq!((counts.records_read, counts.records_rejoined, counts.records_without_deliveries), (8, 1, 1));
}

/// Writes `text` as a register file (Latin-1), imports it into a datasets folder that already holds a
/// table, and returns the error message; the existing table must be untouched.
fn import_error(name: &str, bytes: Vec<u8>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    let datasets = dir.path().join("datasets");
    fs::create_dir(&datasets).unwrap();
    fs::write(datasets.join(sipri::TABLE), "previous").unwrap();
    let message = sipri::import(&path, &[], &datasets).expect_err("bad input is refused").to_string();
    assert_eq!(fs::read_to_string(datasets.join(sipri::TABLE)).unwrap(), "previous", "nothing half-written");
    assert_eq!(fs::read_dir(&datasets).unwrap().count(), 1, "no stray files: {message}");
    assert!(message.contains(name), "the message names the file: {message}");
    message
}

fn small_fixture() -> String {
    fs::read(source_fixture("sipri", "register-small.csv")).unwrap().iter().map(|&b| b as char).collect()
}

fn latin1(text: &str) -> Vec<u8> {
    text.chars().map(|c| c as u8).collect()
}

#[test]
fn truncated_file_is_refused_with_line_and_column() {
    let text = small_fixture();
    let cut = text.find("Turkiye,Italy").unwrap() + "Turkiye,Italy,2010,,1".len();
    let message = import_error("truncated.csv", latin1(&text[..cut]));
    assert!(message.contains(":21:"), "{message}");
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn a_binary_file_is_refused_as_not_text() {
    let message = import_error("binary.csv", b"PK\x03\x04\x00\x00binary".to_vec());
    assert!(message.contains("binary"), "{message}");
}

#[test]
fn missing_column_is_named() {
    let text = small_fixture().replace(",SIPRI TIV of delivered weapons", ",Delivered");
    let message = import_error("missing-column.csv", latin1(&text));
    assert!(message.contains("line 12"), "{message}");
    assert!(message.contains("`SIPRI TIV of delivered weapons`"), "{message}");
}

#[test]
fn non_numeric_tiv_names_line_and_column() {
    let text = small_fixture().replace("Second batch,7.5,30,30", "Second batch,7.5,30,thirty");
    let message = import_error("bad-tiv.csv", latin1(&text));
    assert!(message.contains(":14: column `SIPRI TIV of delivered weapons`"), "{message}");
    assert!(message.contains("`thirty`"), "{message}");
}

#[test]
fn unknown_country_is_named_with_suggestions() {
    let text = small_fixture().replace("Niger,China", "Nigerr,China");
    let message = import_error("unknown-country.csv", latin1(&text));
    assert!(message.contains(":17: column `Recipient`: unknown country `Nigerr`"), "{message}");
    assert!(message.contains("Niger"), "suggests the close name: {message}");
}

#[test]
fn a_file_that_is_not_a_register_is_refused() {
    let message = import_error("other.csv", b"a,b,c\n1,2,3\n".to_vec());
    assert!(message.contains("line 1: `a,b,c` starts no layout"), "{message}");
    assert!(message.contains("SIPRI trade register") && message.contains("SIPRI per-delivery export"), "names the layouts read: {message}");
}

#[test]
fn a_yearly_total_out_of_range_is_reported_on_the_register_lines_it_sums() {
    // The register's preamble and header, then its first record twice with 60,000 TIV delivered each:
    // each is in range, their year's sum (120,000) is not, and the message names the two records' lines.
    let text: String = fs::read(register()).unwrap().iter().map(|&b| b as char).collect();
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("Recipient,")).unwrap();
    let record = lines[header + 1];
    assert_eq!(record.split(',').nth(10), Some("2018"), "one year of delivery: {record}");
    let big = format!("{},60000", record.rsplit_once(',').unwrap().0);
    let mut spoiled: Vec<&str> = lines[..=header].to_vec();
    spoiled.extend([big.as_str(), lines[header + 2], big.as_str()]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.csv");
    fs::write(&path, spoiled.join("\n") + "\n").unwrap();
    let message = sipri::import(&path, &[], dir.path()).unwrap_err().to_string();
    let (first, second) = (header + 2, header + 4);
    let expected = format!("{}:{first}: column `tiv`: expected a finite number from 0 to 100000, found `120000.0` in `tiv` of arms_transfers.csv (line 2), made from the record(s) on line(s) {first}, {second}", path.display());
    assert!(message.contains(&expected), "{expected}\nin\n{message}");
    assert!(!dir.path().join(sipri::TABLE).exists());
}
