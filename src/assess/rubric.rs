//! The rubric: which indicator rates each instrument, and where the boundaries between levels lie.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::{CurrentLevel, Instrument};
use crate::error::{Error, Result};
use crate::indicators;

const BUILTIN: &str = include_str!("../../datasets/rubric.toml");

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub score: String,
    pub thresholds: [f64; 4],
    pub support: Option<String>,
    pub cap: Option<Cap>,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cap {
    pub indicator: String,
    pub below: f64,
    pub level: CurrentLevel,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    pub origin: PathBuf,
    pub rules: BTreeMap<Instrument, Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    score: String,
    thresholds: Vec<f64>,
    support: Option<String>,
    cap: Option<RawCap>,
    #[serde(default)]
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCap {
    indicator: String,
    below: f64,
    level: String,
}

impl Rubric {
    pub fn builtin() -> Rubric {
        Rubric::parse(Path::new("datasets/rubric.toml"), BUILTIN).expect("the shipped rubric is valid (tested)")
    }

    pub fn load(path: &Path) -> Result<Rubric> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        Rubric::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Rubric> {
        let error = |key: String, message: String| Error::Rubric { path: path.to_path_buf(), key, message };
        let raw: BTreeMap<String, RawRule> =
            toml::from_str(text).map_err(|e| error("(file)".into(), e.message().to_string() + &span_hint(text, e.span())))?;
        let mut rules = BTreeMap::new();
        for (code, rule) in raw {
            let instrument: Instrument = code.parse().map_err(|m| error(code.clone(), m))?;
            let known = |key: &str, name: &str| -> Result<String> {
                if indicators::known().any(|(i, n)| *i == instrument && *n == name) {
                    return Ok(name.to_string());
                }
                let options: Vec<&str> =
                    indicators::known().filter(|(i, _)| *i == instrument).map(|(_, n)| *n).collect();
                Err(error(
                    format!("{code}.{key}"),
                    format!(
                        "unknown indicator `{name}` for {code}; known: {}",
                        if options.is_empty() { "none yet".to_string() } else { options.join(", ") }
                    ),
                ))
            };
            let score = known("score", &rule.score)?;
            let support = rule.support.as_deref().map(|s| known("support", s)).transpose()?;
            let thresholds: [f64; 4] = rule.thresholds.clone().try_into().map_err(|_| {
                error(format!("{code}.thresholds"), format!("expected 4 values (Very Low|Low|Medium|High|Very High), found {}", rule.thresholds.len()))
            })?;
            if thresholds.windows(2).any(|w| w[0] >= w[1]) || thresholds.iter().any(|t| !t.is_finite() || *t <= 0.0) {
                return Err(error(
                    format!("{code}.thresholds"),
                    format!("thresholds must be positive and strictly increasing, found {thresholds:?}"),
                ));
            }
            let cap = rule
                .cap
                .map(|cap| -> Result<Cap> {
                    let indicator = known("cap.indicator", &cap.indicator)?;
                    let level = CurrentLevel::OBSERVED
                        .into_iter()
                        .find(|l| l.label().eq_ignore_ascii_case(&cap.level))
                        .ok_or_else(|| error(format!("{code}.cap.level"), format!("expected Very Low, Low, Medium, High or Very High, found `{}`", cap.level)))?;
                    Ok(Cap { indicator, below: cap.below, level })
                })
                .transpose()?;
            rules.insert(instrument, Rule { score, thresholds, support, cap, why: rule.why.trim().to_string() });
        }
        Ok(Rubric { origin: path.to_path_buf(), rules })
    }

    /// The same rubric with every threshold multiplied by `factor`, for sensitivity analysis.
    pub fn scaled(&self, factor: f64) -> Rubric {
        let mut scaled = self.clone();
        for rule in scaled.rules.values_mut() {
            rule.thresholds = rule.thresholds.map(|t| t * factor);
        }
        scaled
    }
}

fn span_hint(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    span.map(|s| format!(" (line {})", text[..s.start.min(text.len())].lines().count().max(1))).unwrap_or_default()
}

impl Rule {
    /// The level a score reaches: the number of thresholds at or below it picks the observed level.
    pub fn level(&self, score: f64, cap_value: Option<f64>) -> CurrentLevel {
        if score <= 0.0 {
            return CurrentLevel::Unobserved;
        }
        let crossed = self.thresholds.iter().filter(|&&t| score >= t).count();
        let level = CurrentLevel::OBSERVED[crossed];
        match (&self.cap, cap_value) {
            (Some(cap), Some(value)) if value < cap.below => level.min(cap.level),
            _ => level,
        }
    }
}
