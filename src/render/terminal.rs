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

/// The text cut to `width` characters, an ellipsis marking the cut.
pub fn truncate(text: &str, width: usize) -> String {
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
    let source_file = if provenance.source_file.is_empty() { String::new() } else { format!(" ({})", provenance.source_file) };
    let _ = writeln!(out, "{}{source_file}", provenance.source);
    if !provenance.data_generated.is_empty() {
        let _ = writeln!(out, "  data generated {}", provenance.data_generated);
    }
    if !provenance.sha256.is_empty() {
        let _ = writeln!(out, "  sha256 {}  {}", provenance.sha256, provenance.encoding);
    }
    let mut read = format!("  {} lines, {} records read", c.lines, c.records_read);
    if c.records_rejoined > 0 {
        let _ = write!(read, " ({} rejoined from broken lines)", c.records_rejoined);
    }
    if c.records_with_deliveries + c.records_without_deliveries > 0 {
        let _ = write!(read, ": {} with deliveries, {} without", c.records_with_deliveries, c.records_without_deliveries);
    }
    let _ = writeln!(out, "{read}, {} rejected", c.records_rejected);
    for r in &provenance.rejected {
        let _ = writeln!(out, "  rejected line {}: {}", r.line, r.reason);
    }
    for e in &provenance.excluded {
        let _ = writeln!(out, "  {:>7} rows not kept: {}", e.rows, e.reason);
    }
    let (detailed, listed): (Vec<_>, Vec<_>) = provenance.inputs.iter().partition(|i| i.records_read > 0);
    for input in detailed {
        let _ = writeln!(out, "  {} ({}), sha256 {}", input.role, input.file, input.sha256);
        let _ = write!(out, "    {} lines, {} records read", input.lines, input.records_read);
        if input.entries_read > 0 {
            let _ = write!(out, ", {} entries: {} kept, {} set aside", input.entries_read, input.entries_kept, input.entries_read - input.entries_kept);
        }
        out.push('\n');
        for s in &input.set_aside {
            let _ = writeln!(out, "    {:>7}  {}", s.rows, s.reason);
        }
    }
    if !listed.is_empty() {
        let _ = writeln!(out, "  {} files read (each with its SHA-256 and role in the provenance)", listed.len());
    }
    if !provenance.method.is_empty() {
        let _ = writeln!(out, "  method: {}", provenance.method);
    }
    if !provenance.comparisons.is_empty() {
        let precedence = provenance.comparisons.iter().any(|d| d.precedence.is_some());
        let against = |d: &crate::ingest::provenance::Comparison| format!("{} against {}", d.other, d.reference);
        let what_width = provenance.comparisons.iter().map(|d| d.what.chars().count()).max().unwrap_or(0);
        let against_width = provenance.comparisons.iter().map(|d| against(d).chars().count()).max().unwrap_or(0);
        let _ = write!(out, "  {:<what_width$}  {:<against_width$} {:>9} {:>7} {:>10} {:>10}", "figures", "compared", "years", "cells", "total gap", "cell gap");
        if precedence {
            let _ = write!(out, "  {:>10} {:>6} {:>6} {:>7} {:>7} {:>7}", "ref short", "used", "other", "both", "ref only", "oth only");
        }
        out.push('\n');
        for d in &provenance.comparisons {
            let years = if d.first_year == d.last_year { d.first_year.to_string() } else { format!("{}-{}", d.first_year, d.last_year) };
            let _ = write!(
                out,
                "  {:<what_width$}  {:<against_width$} {:>9} {:>7} {:>10} {:>10}",
                d.what,
                against(d),
                years,
                d.cells,
                percent(d.total_gap_pct),
                percent(d.cell_gap_pct)
            );
            if let Some(p) = &d.precedence {
                let _ = write!(
                    out,
                    "  {:>10} {:>6} {:>6} {:>7} {:>7} {:>7}",
                    if p.reference_incomplete { "yes" } else { "" },
                    p.used_reference,
                    p.used_other,
                    p.parties_in_both,
                    p.parties_only_in_reference,
                    p.parties_only_in_other
                );
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "wrote {} ({} rows) and its provenance", table.display(), c.rows_written);
    out
}

/// Events per recipient, benefactor and instrument, as `mdime validate` reports a clean set of logs.
/// What `mdime validate` prints: each curated table checked, and what it holds.
pub fn curated_summary(curated: &crate::sources::Curated) -> String {
    let mut out = evidence_summary(&curated.evidence);
    let spells: Vec<(&str, &str)> = curated.presence.iter().map(|s| (s.benefactor.as_str(), s.recipient.as_str())).collect();
    let agreements: Vec<(&str, &str)> = curated.agreements.iter().map(|a| (a.benefactor.as_str(), a.recipient.as_str())).collect();
    let hostilities: Vec<(&str, &str)> = curated.hostilities.iter().map(|h| (h.benefactor.as_str(), h.recipient.as_str())).collect();
    let outreach: Vec<(&str, &str)> = curated.outreach.iter().map(|o| (o.benefactor.as_str(), o.recipient.as_str())).collect();
    for (what, rows) in
        [("presence spells", spells), ("defence agreements", agreements), ("episodes of hostility", hostilities), ("outreach rows", outreach)]
    {
        out.push('\n');
        out.push_str(&by_benefactor_and_region(what, &rows));
    }
    out
}

/// A count of curated rows per benefactor (rows) and the recipient's region (columns), with totals.
fn by_benefactor_and_region(what: &str, rows: &[(&str, &str)]) -> String {
    use std::collections::BTreeMap;
    let countries = CountryTable::builtin();
    let regions = crate::domain::Region::TRACKED;
    let mut counts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (benefactor, recipient) in rows {
        let Some(region) = countries.country(recipient).map(|c| c.region) else { continue };
        let column = regions.iter().position(|r| *r == region).unwrap_or(0);
        counts.entry(benefactor).or_insert_with(|| vec![0; regions.len()])[column] += 1;
    }
    let mut out = format!("{} {what}: all valid\n{:<22}", rows.len(), "benefactor");
    for region in regions {
        let _ = write!(out, "{:>15}", region.label());
    }
    out.push_str("  total\n");
    for (benefactor, by_region) in &counts {
        let _ = write!(out, "{:<22}", countries.name_of(benefactor));
        for n in by_region {
            let _ = write!(out, "{n:>15}");
        }
        let _ = writeln!(out, "  {:>5}", by_region.iter().sum::<usize>());
    }
    out
}

fn evidence_summary(events: &[crate::domain::evidence::Event]) -> String {
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

/// The backtest's skill table: the method beside its candidates and the three baselines; balanced
/// accuracy and ranked probability score per forecaster, then the method's interval coverage.
pub fn backtest_summary(skill: &[crate::project::backtest::Skill]) -> String {
    use crate::project::backtest::Candidate;
    let mut out = String::new();
    let names: Vec<&str> =
        ["method"].into_iter().chain(Candidate::ALL.iter().map(|c| c.code())).chain(["persist", "linear", "climate"]).collect();
    let _ = write!(out, "{:<10} {:>6} {:>9} ", "instrument", "cases", "as-of");
    for name in &names {
        let _ = write!(out, " {:>13}", format!("{name} bal/rps"));
    }
    let _ = writeln!(out, " {:>9}", "80% PI in");
    for s in skill {
        let _ = write!(out, "{:<10} {:>6} {:>9} ", s.instrument.map_or("all", |i| i.code()), s.cases, format!("{}-{}", s.first_as_of, s.last_as_of));
        for score in std::iter::once(&s.method).chain(&s.candidates).chain([&s.persistence, &s.naive, &s.climatology]) {
            let _ = write!(out, " {:>13}", format!("{:.1}%/{:.3}", 100.0 * score.balanced, score.rps));
        }
        let _ = writeln!(out, " {:>8.1}%", 100.0 * s.interval_coverage);
    }
    out
}

/// Files written, counted by kind (extension), with the folder they went to; the previous run's files
/// that went with it; and how the folder was replaced where it could not be in one step.
pub fn files_summary(committed: &crate::artefact::Committed, dir: &std::path::Path) -> String {
    let by_kind = |paths: &[std::path::PathBuf]| {
        let mut by_kind: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for path in paths {
            let kind = path.extension().map_or(String::from("other"), |e| e.to_string_lossy().into_owned());
            *by_kind.entry(kind).or_default() += 1;
        }
        by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<String>>().join(", ")
    };
    let mut out = format!("wrote {} files under {}: {}\n", committed.written.len(), dir.display(), by_kind(&committed.written));
    if !committed.dropped.is_empty() {
        out.push_str(&format!(
            "removed {} files of the previous run there that this run does not write ({}); other files in the folder are kept\n",
            committed.dropped.len(),
            by_kind(&committed.dropped)
        ));
    }
    if committed.in_place {
        out.push_str("the folder cannot be replaced in one step (a mount point or share): its files were replaced one by one, each whole\n");
    }
    out
}

/// A gap in percent, or `n/a` where the reference totals 0 and no percentage exists.
fn percent(gap: Option<f64>) -> String {
    gap.map_or_else(|| "n/a".to_string(), |g| format!("{g:.1}%"))
}
