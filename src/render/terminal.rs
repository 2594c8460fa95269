use std::fmt::Write;

use crate::assess::Assessment;
use crate::domain::{CountryTable, CurrentLevel, Instrument};

/// The twelve-row table of one benefactor in one recipient, with the overall row last.
pub fn pair_table(assessments: &[Assessment], window: &str) -> String {
    let mut out = String::new();
    let Some(first) = assessments.first() else { return out };
    let _ = writeln!(out, "{} in {} ({}), window {window}", CountryTable::builtin().name_of(&first.benefactor), CountryTable::builtin().name_of(&first.recipient), first.recipient);
    let _ = writeln!(out, "{:<8} {:<52} {:<13} {:<11} {:<10} {:>10}", "code", "instrument", "current", "projected", "confidence", "score");
    for a in assessments {
        let (code, name) = a.instrument.map_or(("overall", "Overall"), |i| (i.code(), i.name()));
        let score = a.score.map_or(String::from("-"), |s| format!("{s:.3}"));
        let _ = writeln!(
            out,
            "{code:<8} {:<52} {:<13} {:<11} {:<10} {score:>10}",
            truncate(name, 52),
            a.current.label(),
            a.projected.label(),
            a.confidence.label()
        );
        if a.instrument.is_none() && !a.drivers.is_empty() {
            let drivers: Vec<&str> = a.drivers.iter().map(|d| d.code()).collect();
            let _ = writeln!(out, "{:<8} driven by {}", "", drivers.join(", "));
        }
    }
    out
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width - 1).collect::<String>() + "…"
    }
}

/// Counts of levels per benefactor, for the overall rating and each assessed instrument.
pub fn level_counts(assessments: &[Assessment], benefactors: &[String]) -> String {
    let levels = super::LEVELS;
    let mut out = String::new();
    let _ = write!(out, "{:<22}", "");
    for level in levels {
        let _ = write!(out, "{:>13}", level.label());
    }
    out.push('\n');
    let rows: Vec<Option<Instrument>> =
        std::iter::once(None).chain(Instrument::ALL.into_iter().map(Some)).collect();
    for instrument in rows {
        let of_instrument: Vec<&Assessment> = assessments.iter().filter(|a| a.instrument == instrument).collect();
        if instrument.is_some() && of_instrument.iter().all(|a| a.current == CurrentLevel::NotAssessed) {
            continue;
        }
        for benefactor in benefactors {
            let label = format!("{} {}", instrument.map_or("overall", |i| i.code()), CountryTable::builtin().name_of(benefactor));
            let _ = write!(out, "{label:<22}");
            for level in levels {
                let n = of_instrument.iter().filter(|a| &a.benefactor == benefactor && a.current == level).count();
                let _ = write!(out, "{n:>13}");
            }
            out.push('\n');
        }
    }
    out
}

/// What an import read, kept and rejected, and how far its sources disagree.
pub fn import_summary(table: &std::path::Path, provenance: &crate::ingest::Provenance) -> String {
    let c = &provenance.counts;
    let mut out = String::new();
    if provenance.inputs.is_empty() {
        let generated =
            if provenance.data_generated.is_empty() { String::new() } else { format!(", data generated {}", provenance.data_generated) };
        let _ = writeln!(out, "{} ({}){generated}", provenance.source, provenance.source_file);
        let _ = writeln!(out, "  sha256 {}  encoding {}", provenance.sha256, provenance.encoding);
        // The register's counts of broken lines and deliveries mean nothing for other sources.
        let detail = if c.records_rejoined + c.records_with_deliveries + c.records_without_deliveries > 0 {
            format!(
                " ({} rejoined from broken lines): {} with deliveries, {} without,",
                c.records_rejoined, c.records_with_deliveries, c.records_without_deliveries
            )
        } else {
            ",".to_string()
        };
        let _ = writeln!(out, "  {} lines, {} records read{detail} {} rejected", c.lines, c.records_read, c.records_rejected);
    }
    for input in &provenance.inputs {
        let _ = writeln!(out, "{} ({})", input.source, input.source_file);
        let _ = writeln!(out, "  sha256 {}  encoding {}", input.sha256, input.encoding);
        let _ = writeln!(
            out,
            "  {} lines, {} records read, {} entries: {} kept, {} set aside",
            input.lines,
            input.records_read,
            input.entries_read,
            input.entries_kept,
            input.entries_read - input.entries_kept
        );
        for s in &input.set_aside {
            let _ = writeln!(out, "    {:>6}  {}", s.entries, s.reason);
        }
    }
    for r in &provenance.rejected {
        let _ = writeln!(out, "  rejected line {}: {}", r.line, r.reason);
    }
    if let Some(first) = provenance.overlap.first() {
        let _ = writeln!(out, "overlap of {} (a) and {} (b), per year; totals over contributors both give a figure for", first.a, first.b);
        let _ = writeln!(out, "  rule: {}", provenance.method);
        let _ = writeln!(
            out,
            "  {:<6} {:>6} {:>8} {:>6} {:>6} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8}",
            "year", "a short", "missions", "used a", "used b", "in both", "only a", "only b", "total a", "total b", "gap"
        );
        for o in &provenance.overlap {
            let _ = writeln!(
                out,
                "  {:<6} {:>6} {:>8} {:>6} {:>6} {:>8} {:>8} {:>8} {:>9.0} {:>9.0} {:>7.1}%",
                o.year,
                if o.a_under_counted { "yes" } else { "" },
                o.cells_in_both,
                o.used_a,
                o.used_b,
                o.parties_in_both,
                o.parties_only_in_a,
                o.parties_only_in_b,
                o.total_a,
                o.total_b,
                o.gap_pct
            );
        }
    }
    if !provenance.files.is_empty() {
        let _ = writeln!(out, "  {} files read (each with its SHA-256 in the provenance)", provenance.files.len());
    }
    for e in &provenance.excluded {
        let _ = writeln!(out, "  {:>7} rows not kept: {}", e.rows, e.reason);
    }
    if !provenance.divergence.is_empty() {
        let _ = writeln!(out, "  split rule: {}", provenance.method);
        let _ = writeln!(out, "  {:<14} {:>9} {:>12} {:>12} {:>10} {:>10}", "supplier", "years", "table TIV", "register TIV", "total gap", "cell gap");
        for d in &provenance.divergence {
            let _ = writeln!(
                out,
                "  {:<14} {:>9} {:>12.0} {:>12.0} {:>9.1}% {:>9.1}%",
                d.supplier,
                format!("{}-{}", d.first_year, d.last_year),
                d.table_tiv,
                d.register_tiv,
                d.total_gap_pct,
                d.cell_gap_pct
            );
        }
    }
    if !provenance.comparisons.is_empty() {
        let _ = writeln!(out, "  precedence: {}", provenance.method);
        let _ = writeln!(out, "  {:<42} {:<42} {:>9} {:>7} {:>10} {:>10}", "figures", "compared with the own report", "years", "cells", "total gap", "cell gap");
        for d in &provenance.comparisons {
            let _ = writeln!(
                out,
                "  {:<42} {:<42} {:>9} {:>7} {:>9.1}% {:>9.1}%",
                d.what,
                d.other,
                format!("{}-{}", d.first_year, d.last_year),
                d.cells,
                d.total_gap_pct,
                d.cell_gap_pct
            );
        }
    }
    let _ = writeln!(out, "wrote {} ({} rows) and its provenance", table.display(), c.rows_written);
    out
}

/// Events per recipient, benefactor and instrument, as `mdime validate` reports a clean set of logs.
pub fn evidence_summary(events: &[crate::ingest::evidence::Event]) -> String {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<(&str, &str), BTreeMap<Instrument, usize>> = BTreeMap::new();
    for e in events {
        *counts.entry((&e.recipient, &e.benefactor)).or_default().entry(e.instrument).or_default() += 1;
    }
    let files: std::collections::BTreeSet<&std::path::Path> = events.iter().map(|e| e.file.as_path()).collect();
    let mut out = format!("{} evidence events in {} file(s): all valid\n", events.len(), files.len());
    let _ = write!(out, "{:<12} {:<10}", "recipient", "benefactor");
    for i in Instrument::ALL {
        let _ = write!(out, "{:>4}", i.code());
    }
    out.push_str("  total\n");
    for ((recipient, benefactor), by_instrument) in &counts {
        let _ = write!(out, "{recipient:<12} {:<10}", CountryTable::builtin().name_of(benefactor));
        for i in Instrument::ALL {
            let _ = write!(out, "{:>4}", by_instrument.get(&i).copied().unwrap_or(0));
        }
        let _ = writeln!(out, "  {:>5}", by_instrument.values().sum::<usize>());
    }
    out
}

/// The backtest's skill table: the method beside its two baselines.
pub fn backtest_summary(skill: &[crate::project::backtest::Skill]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10} {:>7} {:>11}   {:>15} {:>15} {:>15}   {:>8} {:>10}",
        "instrument", "cases", "as-of", "method acc/bal", "persist acc/bal", "linear acc/bal", "unknown", "80% PI in"
    );
    for s in skill {
        let pct = |x: f64| format!("{:.1}", 100.0 * x);
        let _ = writeln!(
            out,
            "{:<10} {:>7} {:>11}   {:>15} {:>15} {:>15}   {:>7}% {:>9}%",
            s.instrument.map_or("all", |i| i.code()),
            s.cases,
            format!("{}-{}", s.first_as_of, s.last_as_of),
            format!("{}/{}%", pct(s.method_accuracy), pct(s.method_balanced)),
            format!("{}/{}%", pct(s.persistence_accuracy), pct(s.persistence_balanced)),
            format!("{}/{}%", pct(s.naive_accuracy), pct(s.naive_balanced)),
            pct(s.method_unknown_share),
            pct(s.interval_coverage)
        );
    }
    out
}

/// Files written, counted by kind (extension), with the folder they went to.
pub fn files_summary(written: &[std::path::PathBuf], dir: &std::path::Path) -> String {
    let mut by_kind: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for path in written {
        let kind = path.extension().map_or(String::from("other"), |e| e.to_string_lossy().into_owned());
        *by_kind.entry(kind).or_default() += 1;
    }
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!("wrote {} files under {}: {}\n", written.len(), dir.display(), kinds.join(", "))
}
