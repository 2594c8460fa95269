//! The project's table of CAMEO 1.1b3 event codes and PLOVER event types → M-DIME instruments
//! (`datasets/cameo_instruments.csv`), and the benchmark sets' relation names that differ from the
//! codebook's text (`datasets/cameo_name_variants.csv`). Both are read from the datasets folder at
//! import, so that a reviewed mapping takes effect without rebuilding mdime; the import records their
//! hashes.

use std::collections::HashMap;
use std::path::Path;

use crate::domain::{normalise_name, Instrument};
use crate::error::{Error, Result};
use crate::ingest::one_file::{CsvFile, Text};

pub const TABLE: &str = "cameo_instruments.csv";
pub const VARIANTS: &str = "cameo_name_variants.csv";
const COLUMNS: [&str; 9] = ["scheme", "code", "name", "instrument", "weight", "requires", "cooperative", "why", "misses"];
const VARIANT_COLUMNS: [&str; 2] = ["variant", "code"];

/// Which actors an act needs on either side to count: the CAMEO code carries no topic, so a meeting counts
/// as defence diplomacy only when a defence actor or a leader takes part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requires {
    None,
    /// A military, defence-ministry or intelligence actor on at least one side.
    Defence,
    /// A head of state or government, or a defence actor, on at least one side.
    SeniorOrDefence,
}

impl Requires {
    fn parse(text: &str) -> Option<Requires> {
        match text {
            "none" => Some(Requires::None),
            "defence" => Some(Requires::Defence),
            "senior_or_defence" => Some(Requires::SeniorOrDefence),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Requires::None => "none",
            Requires::Defence => "defence",
            Requires::SeniorOrDefence => "senior_or_defence",
        }
    }
}

/// One row of the table that counts for an instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// `cameo` or `plover`.
    pub scheme: String,
    /// A CAMEO code with its leading zero (`042`), or a PLOVER type with an optional mode or context
    /// (`CONSULT/visit`).
    pub code: String,
    pub name: String,
    pub instrument: Instrument,
    /// The evidence value of one event, 0.5 (a pledge or an appeal) to 4 (a commitment of forces).
    pub weight: f64,
    pub requires: Requires,
    /// Whether either side may be the source: a cooperative act counts both ways, an act the benefactor
    /// does to the recipient (aid, protection) only from the benefactor.
    pub cooperative: bool,
}

/// The mapping, with every CAMEO code of the codebook known (counted or not) and the names they go by.
#[derive(Debug, Default)]
pub struct Mapping {
    /// Every CAMEO code of the table → its rule, if it counts.
    cameo: HashMap<String, Option<Rule>>,
    /// Codebook names and variants (normalised) → CAMEO code.
    names: HashMap<String, String>,
    plover: Vec<Rule>,
}

impl Mapping {
    /// Reads the table and its variants from the datasets folder; every defect is reported with its line
    /// and column.
    pub fn load(datasets: &Path) -> Result<(Mapping, Vec<(String, String)>)> {
        let path = datasets.join(TABLE);
        let file = CsvFile::read(&path, Text::Utf8, &COLUMNS, "the CAMEO → instrument table: scheme,code,name,instrument,weight,requires,cooperative,why,misses")?;
        let mut mapping = Mapping::default();
        let mut problems = Vec::new();
        for index in 0..file.records.len() {
            let mut row = file.row(index, &mut problems);
            let (scheme, code, name) = (row.text("scheme").to_string(), row.text("code").to_string(), row.text("name").to_string());
            let requires = Requires::parse(row.text("requires"));
            if requires.is_none() {
                row.problem("requires", format!("expected none, defence or senior_or_defence, found `{}`", row.text("requires")));
            }
            let cooperative = match row.text("cooperative") {
                "true" => Some(true),
                "false" => Some(false),
                other => {
                    row.problem("cooperative", format!("expected true or false, found `{other}`"));
                    None
                }
            };
            let instrument = match row.text("instrument") {
                "" => None,
                text => match text.parse::<Instrument>() {
                    Ok(i) => Some(i),
                    Err(message) => {
                        row.problem("instrument", message);
                        None
                    }
                },
            };
            let weight = match (instrument, row.text("weight")) {
                (None, "") => None,
                (None, w) => {
                    row.problem("weight", format!("`{w}` given for a code that counts for no instrument"));
                    None
                }
                (Some(_), _) => row.optional_number("weight", 0.5..=4.0, "a weight"),
            };
            let valid_code = match scheme.as_str() {
                "cameo" => code.len() >= 3 && code.len() <= 4 && code.bytes().all(|b| b.is_ascii_digit()),
                "plover" => !code.is_empty() && code.split('/').next().is_some_and(|t| t.bytes().all(|b| b.is_ascii_uppercase())),
                _ => {
                    row.problem("scheme", format!("expected cameo or plover, found `{scheme}`"));
                    continue;
                }
            };
            if !valid_code {
                row.problem("code", format!("`{code}` is not a {scheme} code"));
                continue;
            }
            if instrument.is_some() && weight.is_none() && row.text("weight").is_empty() {
                row.problem("weight", "empty: a code that counts needs a weight from 0.5 to 4");
            }
            let (Some(requires), Some(cooperative)) = (requires, cooperative) else { continue };
            let rule = match (instrument, weight) {
                (Some(instrument), Some(weight)) => Some(Rule { scheme: scheme.clone(), code: code.clone(), name: name.clone(), instrument, weight, requires, cooperative }),
                _ => None,
            };
            if scheme == "cameo" {
                if mapping.cameo.insert(code.clone(), rule).is_some() {
                    row.problem("code", format!("CAMEO code {code} is listed twice"));
                }
                mapping.names.insert(normalise_name(&name), code);
            } else if let Some(rule) = rule {
                mapping.plover.push(rule);
            }
        }
        file.check(problems)?;

        let variants_path = datasets.join(VARIANTS);
        let variants = CsvFile::read(&variants_path, Text::Utf8, &VARIANT_COLUMNS, "the benchmark relation names: variant,code")?;
        let mut problems = Vec::new();
        for index in 0..variants.records.len() {
            let mut row = variants.row(index, &mut problems);
            let (variant, code) = (row.text("variant").to_string(), row.text("code").to_string());
            if !mapping.cameo.contains_key(&code) {
                row.problem("code", format!("`{code}` is not a code of {TABLE}"));
                continue;
            }
            mapping.names.insert(normalise_name(&variant), code);
        }
        variants.check(problems)?;
        if mapping.cameo.is_empty() {
            return Err(Error::Format { path, message: "lists no CAMEO code".into() });
        }
        let files = vec![(file.raw.file_name(), file.raw.sha256.clone()), (variants.raw.file_name(), variants.raw.sha256.clone())];
        Ok((mapping, files))
    }

    /// Whether the codebook has this CAMEO code (counted or not).
    pub fn knows(&self, code: &str) -> bool {
        self.cameo.contains_key(code)
    }

    /// The rule a CAMEO code counts under, if any.
    pub fn cameo(&self, code: &str) -> Option<&Rule> {
        self.cameo.get(code).and_then(Option::as_ref)
    }

    /// The instruments some code or PLOVER type counts for, in order.
    pub fn instruments(&self) -> Vec<Instrument> {
        let mut instruments: Vec<Instrument> = self.cameo.values().flatten().chain(&self.plover).map(|r| r.instrument).collect();
        instruments.sort();
        instruments.dedup();
        instruments
    }

    /// Every CAMEO code of the codebook, counted or not.
    pub fn known_codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self.cameo.keys().map(String::as_str).collect();
        codes.sort_unstable();
        codes
    }

    /// The CAMEO codes that count for some instrument.
    pub fn counted_codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self.cameo.iter().filter(|(_, r)| r.is_some()).map(|(c, _)| c.as_str()).collect();
        codes.sort_unstable();
        codes
    }

    /// The CAMEO code an event description names (`Make a visit` → 042), by the codebook's text or a
    /// benchmark set's variant of it (`_` for spaces, lower case, the residual codes' short names).
    pub fn code_of_name(&self, name: &str) -> Option<&str> {
        self.names.get(&normalise_name(&name.replace('_', " "))).map(String::as_str)
    }

    /// The PLOVER rules an event of this type, mode and contexts counts under: each instrument once, the
    /// rule naming its mode or one of its contexts before the type's general rule.
    pub fn plover(&self, event_type: &str, mode: &str, contexts: &[&str]) -> Vec<&Rule> {
        let event_type = event_type.trim().to_ascii_uppercase();
        let mut found: Vec<&Rule> = Vec::new();
        let specific = self.plover.iter().filter(|r| {
            r.code.split_once('/').is_some_and(|(t, qualifier)| {
                t == event_type && (qualifier.eq_ignore_ascii_case(mode.trim()) || contexts.iter().any(|c| c.trim().eq_ignore_ascii_case(qualifier)))
            })
        });
        let general = self.plover.iter().filter(|r| r.code == event_type);
        for rule in specific.chain(general) {
            if !found.iter().any(|f| f.instrument == rule.instrument) {
                found.push(rule);
            }
        }
        found
    }
}
