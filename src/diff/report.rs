//! A diff as a person reads it (a terminal table, a Markdown summary) and as an analyst loads it
//! (`diff.csv`, one row per changed field, setting or input; columns in reports/README.md).

use std::fmt::Write;

use serde::Serialize;

use super::{Change, Diff, Kind};
use crate::error::Result;
use crate::render::report::escape_markdown;
use crate::render::terminal::truncate;

pub const DIFF_CSV: &str = "diff.csv";
pub const DIFF_MD: &str = "diff.md";

/// How many changes of each kind the terminal lists before it points to the files.
const TERMINAL_ROWS: usize = 40;

#[derive(Serialize)]
struct Row<'a> {
    kind: &'a str,
    benefactor: &'a str,
    recipient: &'a str,
    iso3: &'a str,
    instrument: &'a str,
    indicator: &'a str,
    field: &'a str,
    old: &'a str,
    new: &'a str,
    steps: Option<i32>,
    old_value: Option<f64>,
    new_value: Option<f64>,
    moved: String,
    evidence_added: String,
    evidence_removed: String,
    inputs_changed: String,
}

/// Settings and inputs first (`kind` `setting` or `input`, the name in `field`), then every change.
pub fn csv(diff: &Diff) -> Result<Vec<u8>> {
    let differences = diff
        .settings
        .iter()
        .map(|d| ("setting", d))
        .chain(diff.inputs.iter().map(|d| ("input", d)))
        .map(|(kind, d)| Row {
            kind,
            benefactor: "",
            recipient: "",
            iso3: "",
            instrument: "",
            indicator: "",
            field: &d.what,
            old: &d.old,
            new: &d.new,
            steps: None,
            old_value: None,
            new_value: None,
            moved: String::new(),
            evidence_added: String::new(),
            evidence_removed: String::new(),
            inputs_changed: String::new(),
        });
    let changes = diff.changes.iter().map(|c| Row {
        kind: c.kind.label(),
        benefactor: &c.benefactor,
        recipient: &c.recipient,
        iso3: &c.iso3,
        instrument: &c.instrument,
        indicator: &c.indicator,
        field: c.field,
        old: &c.old,
        new: &c.new,
        steps: c.steps,
        old_value: c.old_value,
        new_value: c.new_value,
        moved: c.moved.join("; "),
        evidence_added: c.evidence_added.join(" "),
        evidence_removed: c.evidence_removed.join(" "),
        inputs_changed: c.inputs_changed.join(" "),
    });
    crate::artefact::csv_bytes(differences.chain(changes))
}

/// The causes of a change in one line: values moved, events in and out, inputs changed.
pub fn why(change: &Change) -> String {
    let mut parts = change.moved.clone();
    parts.extend(change.evidence_added.iter().map(|id| format!("+{id}")));
    parts.extend(change.evidence_removed.iter().map(|id| format!("-{id}")));
    parts.extend(change.inputs_changed.iter().map(|f| format!("{f} changed")));
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join("; ")
    }
}

fn from_to(change: &Change) -> String {
    let label = |s: &str| if s.is_empty() { "absent".to_string() } else { s.to_string() };
    let mut text = format!("{} → {}", label(&change.old), label(&change.new));
    if let Some(steps) = change.steps {
        let _ = write!(text, " ({steps:+})");
    }
    text
}

fn heading(kind: Kind) -> &'static str {
    match kind {
        Kind::Overall => "Overall levels",
        Kind::Rating => "Ratings",
        Kind::Projection => "Projected directions",
    }
}

fn counts(diff: &Diff, kind: Kind) -> String {
    let changes: Vec<&Change> = diff.of(kind).collect();
    let compared = if kind == Kind::Projection { diff.projections_compared } else { diff.ratings_compared };
    let (up, down) = (changes.iter().filter(|c| c.steps.is_some_and(|s| s > 0)).count(), changes.iter().filter(|c| c.steps.is_some_and(|s| s < 0)).count());
    let mut text = format!("{} change(s)", changes.len());
    if up + down > 0 {
        let _ = write!(text, ", {up} level(s) up and {down} down");
    }
    let _ = write!(text, " among {compared} compared");
    text
}

/// What the terminal prints: the settings and inputs that changed, then per kind a count and a table of
/// the first changes, each with a one-line reason.
pub fn terminal(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "mdime diff: {} → {}", diff.old_dir.display(), diff.new_dir.display());
    for note in &diff.notes {
        let _ = writeln!(out, "note: {note}");
    }
    for (title, list) in [("settings", &diff.settings), ("inputs", &diff.inputs)] {
        if list.is_empty() {
            let _ = writeln!(out, "{title}: unchanged");
        }
        for d in list {
            let _ = writeln!(out, "{title}: {}: {} → {}", d.what, short(&d.old), short(&d.new));
        }
    }
    for kind in [Kind::Overall, Kind::Rating, Kind::Projection] {
        let _ = writeln!(out, "\n{}: {}", heading(kind), counts(diff, kind));
        let changes: Vec<&Change> = diff.of(kind).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{:<10} {:<5} {:<8} {:<11} {:<32} why", "benefactor", "iso3", "code", "field", "change");
        for c in changes.iter().take(TERMINAL_ROWS) {
            let code = if kind == Kind::Projection { format!("{} {}", c.instrument, c.indicator) } else { c.instrument.clone() };
            let _ = writeln!(
                out,
                "{:<10} {:<5} {:<8} {:<11} {:<32} {}",
                truncate(&c.benefactor, 10),
                c.iso3,
                truncate(&code, 8),
                c.field,
                truncate(&from_to(c), 32),
                truncate(&why(c), 90)
            );
        }
        if changes.len() > TERMINAL_ROWS {
            let _ = writeln!(out, "… and {} more in {DIFF_CSV}", changes.len() - TERMINAL_ROWS);
        }
    }
    out
}

/// A SHA-256 shortened for reading; other values whole.
fn short(value: &str) -> String {
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        value[..12].to_string()
    } else {
        value.to_string()
    }
}

/// The Markdown summary: settings and inputs, then a table per kind of change with every change.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# What changed: {} → {}\n",
        escape_markdown(&diff.old_dir.display().to_string()),
        escape_markdown(&diff.new_dir.display().to_string())
    );
    for note in &diff.notes {
        let _ = writeln!(out, "> {}\n", escape_markdown(note));
    }
    for (title, list) in [("Settings", &diff.settings), ("Inputs", &diff.inputs)] {
        let _ = writeln!(out, "## {title}\n");
        if list.is_empty() {
            let _ = writeln!(out, "Unchanged.\n");
            continue;
        }
        let _ = writeln!(out, "| | before | after |\n|---|---|---|");
        for d in list {
            let _ = writeln!(out, "| {} | {} | {} |", escape_markdown(&d.what), escape_markdown(&d.old), escape_markdown(&d.new));
        }
        out.push('\n');
    }
    for kind in [Kind::Overall, Kind::Rating, Kind::Projection] {
        let _ = writeln!(out, "## {}\n\n{}.\n", heading(kind), counts(diff, kind));
        let changes: Vec<&Change> = diff.of(kind).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "| benefactor | recipient | instrument | field | change | why |\n|---|---|---|---|---|---|");
        for c in changes {
            let instrument = if kind == Kind::Projection { format!("{} {}", c.instrument, c.indicator) } else { c.instrument.clone() };
            let _ = writeln!(
                out,
                "| {} | {} ({}) | {} | {} | {} | {} |",
                escape_markdown(&c.benefactor),
                escape_markdown(&c.recipient),
                c.iso3,
                escape_markdown(&instrument),
                c.field,
                escape_markdown(&from_to(c)),
                escape_markdown(&why(c))
            );
        }
        out.push('\n');
    }
    out
}
