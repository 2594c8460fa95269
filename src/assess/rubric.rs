//! The rubric: which indicator rates each instrument, and where the boundaries between levels lie.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::{Confidence, CurrentLevel, Instrument};
use crate::error::{Error, Result};
use crate::indicators;

const BUILTIN: &str = include_str!("../../datasets/rubric.toml");

/// An indicator and the four values that separate Very Low | Low | Medium | High | Very High.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub indicator: String,
    pub thresholds: [f64; 4],
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The structured source's indicator, if a dataset measures the instrument.
    pub score: Option<Scale>,
    /// Thresholds on the evidence logs' weighted event score, if events count for the instrument.
    pub evidence: Option<Scale>,
    pub support: Option<String>,
    pub cap: Option<Cap>,
    /// The highest confidence a rating set by `score` may have: for an indicator that is a proxy for
    /// the instrument (students in China for officers trained).
    pub max_confidence: Option<Confidence>,
    /// Further datasets' indicators for the instrument, each on its own scale (`[[D1.also]]`).
    pub also: Vec<Basis>,
    pub why: String,
    /// Thresholds on machine-coded event data's `event_rate` (the rubric's `[events.CODE]` table), if
    /// event data counts for the instrument.
    pub events: Option<EventScale>,
}

/// The `[events.CODE]` table: thresholds on the window's weighted events per 30 covered days, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct EventScale {
    pub scale: Scale,
    pub why: String,
}

/// One dataset's indicator for an instrument, with what qualifies its rating: the `score` of a rule,
/// or one of its `also` entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Basis {
    pub scale: Scale,
    pub support: Option<String>,
    pub cap: Option<Cap>,
    pub max_confidence: Option<Confidence>,
    pub why: String,
}

/// The level the datasets give a pair, and the basis that set it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetRating {
    pub level: CurrentLevel,
    pub score: f64,
    pub basis: Basis,
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
    /// SHA-256 of the rubric's text, which a run's manifest records.
    pub sha256: String,
    pub rules: BTreeMap<Instrument, Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    score: Option<String>,
    thresholds: Option<Vec<f64>>,
    evidence: Option<Vec<f64>>,
    support: Option<String>,
    cap: Option<RawCap>,
    max_confidence: Option<String>,
    #[serde(default)]
    also: Vec<RawBasis>,
    #[serde(default)]
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBasis {
    score: String,
    thresholds: Vec<f64>,
    support: Option<String>,
    cap: Option<RawCap>,
    max_confidence: Option<String>,
    #[serde(default)]
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEventRule {
    thresholds: Vec<f64>,
    #[serde(default)]
    why: String,
}

/// The table of event-data thresholds, apart from the instruments' own tables.
const EVENTS: &str = "events";

/// The rubric file as written: a table per instrument code, and the `[events]` table. It is read from
/// the text in one pass rather than through a `toml::Table`, which keeps no positions: a misspelt key or
/// a value of the wrong type is then reported with its line.
#[derive(Default)]
struct RawRubric {
    rules: BTreeMap<String, RawRule>,
    events: BTreeMap<String, RawEventRule>,
}

impl<'de> Deserialize<'de> for RawRubric {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<RawRubric, D::Error> {
        struct Tables;
        impl<'de> serde::de::Visitor<'de> for Tables {
            type Value = RawRubric;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table per instrument code, and `[events]`")
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> std::result::Result<RawRubric, M::Error> {
                let mut raw = RawRubric::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == EVENTS {
                        raw.events = map.next_value()?;
                    } else {
                        let rule = map.next_value()?;
                        raw.rules.insert(key, rule);
                    }
                }
                Ok(raw)
            }
        }
        deserializer.deserialize_map(Tables)
    }
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
        let RawRubric { rules: raw, events: raw_events } =
            toml::from_str(text).map_err(|e| error("(file)".into(), e.message().to_string() + &span_hint(text, e.span())))?;
        let mut rules = BTreeMap::new();
        for (code, rule) in raw {
            let instrument: Instrument = code.parse().map_err(|m| error(code.clone(), m))?;
            let known = |key: &str, name: &str| -> Result<String> {
                if indicators::is_known(instrument, name) {
                    return Ok(name.to_string());
                }
                Err(error(
                    format!("{code}.{key}"),
                    format!("unknown indicator `{name}` for {code}; known: {}", indicators::known_for(instrument).join(", ")),
                ))
            };
            let thresholds = |key: &str, values: &[f64]| -> Result<[f64; 4]> {
                let values: [f64; 4] = values.try_into().map_err(|_| {
                    error(format!("{code}.{key}"), format!("expected 4 values (Very Low|Low|Medium|High|Very High), found {}", values.len()))
                })?;
                if values.windows(2).any(|w| w[0] >= w[1]) || values.iter().any(|t| !t.is_finite() || *t <= 0.0) {
                    return Err(error(format!("{code}.{key}"), format!("thresholds must be positive and strictly increasing, found {values:?}")));
                }
                Ok(values)
            };
            let score = match (&rule.score, &rule.thresholds) {
                (Some(name), Some(values)) => Some(Scale { indicator: known("score", name)?, thresholds: thresholds("thresholds", values)? }),
                (None, None) => None,
                (Some(_), None) => return Err(error(format!("{code}.thresholds"), "missing: `score` needs four thresholds".into())),
                (None, Some(_)) => return Err(error(format!("{code}.score"), "missing: `thresholds` need the indicator they apply to".into())),
            };
            let evidence = rule
                .evidence
                .as_deref()
                .map(|values| Ok::<_, Error>(Scale { indicator: "evidence_score".into(), thresholds: thresholds("evidence", values)? }))
                .transpose()?;
            if score.is_none() && evidence.is_none() {
                return Err(error(code.clone(), "needs `score` and `thresholds`, or `evidence` thresholds, or both".into()));
            }
            let support = rule.support.as_deref().map(|s| known("support", s)).transpose()?;
            let cap = |key: &str, cap: Option<RawCap>| {
                cap.map(|cap| -> Result<Cap> {
                    let indicator = known(&format!("{key}.indicator"), &cap.indicator)?;
                    let level = CurrentLevel::OBSERVED
                        .into_iter()
                        .find(|l| l.label().eq_ignore_ascii_case(&cap.level))
                        .ok_or_else(|| error(format!("{code}.{key}.level"), format!("expected Very Low, Low, Medium, High or Very High, found `{}`", cap.level)))?;
                    if !(cap.below.is_finite() && cap.below > 0.0) {
                        return Err(error(format!("{code}.{key}.below"), format!("expected a positive number, found {}", cap.below)));
                    }
                    Ok(Cap { indicator, below: cap.below, level })
                })
                .transpose()
            };
            let max_confidence = |key: &str, value: Option<String>| {
                value
                    .map(|v| {
                        [Confidence::Low, Confidence::Medium, Confidence::High]
                            .into_iter()
                            .find(|c| c.label().eq_ignore_ascii_case(&v))
                            .ok_or_else(|| error(format!("{code}.{key}"), format!("expected Low, Medium or High, found `{v}`")))
                    })
                    .transpose()
            };
            if score.is_none() && !rule.also.is_empty() {
                return Err(error(format!("{code}.also"), "needs a `score` to add to: give the first dataset's indicator as `score`".into()));
            }
            let also = rule
                .also
                .into_iter()
                .enumerate()
                .map(|(i, basis)| -> Result<Basis> {
                    let key = |name: &str| format!("also[{}].{name}", i + 1);
                    Ok(Basis {
                        scale: Scale { indicator: known(&key("score"), &basis.score)?, thresholds: thresholds(&key("thresholds"), &basis.thresholds)? },
                        support: basis.support.as_deref().map(|s| known(&key("support"), s)).transpose()?,
                        cap: cap(&key("cap"), basis.cap)?,
                        max_confidence: max_confidence(&key("max_confidence"), basis.max_confidence)?,
                        why: basis.why.trim().to_string(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let cap = cap("cap", rule.cap)?;
            let max_confidence = max_confidence("max_confidence", rule.max_confidence)?;
            rules.insert(instrument, Rule { score, evidence, support, cap, max_confidence, also, why: rule.why.trim().to_string(), events: None });
        }
        for (code, rule) in raw_events {
            let key = format!("{EVENTS}.{code}");
            let instrument: Instrument = code.parse().map_err(|m| error(key.clone(), m))?;
            let values: [f64; 4] = rule.thresholds.as_slice().try_into().map_err(|_| {
                error(format!("{key}.thresholds"), format!("expected 4 values (Very Low|Low|Medium|High|Very High), found {}", rule.thresholds.len()))
            })?;
            if values.windows(2).any(|w| w[0] >= w[1]) || values.iter().any(|t| !t.is_finite() || *t <= 0.0) {
                return Err(error(format!("{key}.thresholds"), format!("thresholds must be positive and strictly increasing, found {values:?}")));
            }
            let events = EventScale { scale: Scale { indicator: crate::sources::events::indicators::RATE.into(), thresholds: values }, why: rule.why.trim().to_string() };
            rules
                .entry(instrument)
                .or_insert_with(|| Rule { score: None, evidence: None, support: None, cap: None, max_confidence: None, also: Vec::new(), why: String::new(), events: None })
                .events = Some(events);
        }
        if rules.is_empty() {
            return Err(error("(file)".into(), "rates no instrument: give at least one table such as [E1] with `score` and `thresholds` or `evidence`".into()));
        }
        Ok(Rubric { origin: path.to_path_buf(), sha256: crate::ingest::sha256_hex(text.as_bytes()), rules })
    }

    /// The same rubric with every threshold multiplied by `factor`, for sensitivity analysis.
    pub fn scaled(&self, factor: f64) -> Rubric {
        let mut scaled = self.clone();
        for rule in scaled.rules.values_mut() {
            let events = rule.events.as_mut().map(|e| &mut e.scale);
            for scale in [rule.score.as_mut(), rule.evidence.as_mut(), events].into_iter().flatten().chain(rule.also.iter_mut().map(|b| &mut b.scale)) {
                scale.thresholds = scale.thresholds.map(|t| t * factor);
            }
        }
        scaled
    }
}

/// ` (line N)` for the line a parse error's span starts on.
fn span_hint(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    span.map(|s| format!(" (line {})", text.as_bytes()[..s.start.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1)).unwrap_or_default()
}

impl Scale {
    /// The level a value reaches: the number of thresholds at or below it picks the observed level;
    /// nothing (0) is Unobserved.
    pub fn level(&self, value: f64) -> CurrentLevel {
        if value <= 0.0 {
            return CurrentLevel::Unobserved;
        }
        CurrentLevel::OBSERVED[self.thresholds.iter().filter(|&&t| value >= t).count()]
    }
}

impl Rule {
    /// The structured score's level, held down by the cap when the cap's indicator is small.
    pub fn score_level(&self, score: f64, cap_value: Option<f64>) -> Option<CurrentLevel> {
        Some(self.datasets().first()?.level(score, cap_value))
    }

    /// The dataset bases: `score` with its `support`, `cap` and `max_confidence`, then each of `also`.
    pub fn datasets(&self) -> Vec<Basis> {
        let first = self.score.clone().map(|scale| Basis {
            scale,
            support: self.support.clone(),
            cap: self.cap.clone(),
            max_confidence: self.max_confidence,
            why: String::new(),
        });
        first.into_iter().chain(self.also.iter().cloned()).collect()
    }

    /// The datasets' level for a pair whose indicators over the window `value_of` gives: each basis
    /// with a value rates the pair on its own scale and the highest level stands (the first basis
    /// among equals), since each dataset misses what it does not record. Where no basis has a value, a
    /// rule with one dataset rates the pair at 0 on `score`: its source covered the pair and saw nothing
    /// (peacekeeping gives no mission share where there is no mission). A rule with several gives no
    /// level then: their sources give their indicator wherever they look, 0 included, so the coverage
    /// is another source's (AidData's public diplomacy counts, reported beside I1). None without a
    /// `score`.
    pub fn rate_datasets(&self, value_of: &dyn Fn(&str) -> Option<f64>) -> Option<DatasetRating> {
        let bases = self.datasets();
        let rated = bases.iter().filter_map(|basis| {
            let score = value_of(&basis.scale.indicator)?;
            let cap_value = basis.cap.as_ref().and_then(|c| value_of(&c.indicator));
            Some(DatasetRating { level: basis.level(score, cap_value), score, basis: basis.clone() })
        });
        let best = rated.fold(None, |best: Option<DatasetRating>, r| match best {
            Some(b) if b.level >= r.level => Some(b),
            _ => Some(r),
        });
        best.or_else(|| bases.first().filter(|_| bases.len() == 1).map(|basis| DatasetRating { level: basis.scale.level(0.0), score: 0.0, basis: basis.clone() }))
    }
}

impl Basis {
    /// The level `score` reaches, held down by the cap when the cap's indicator is small.
    pub fn level(&self, score: f64, cap_value: Option<f64>) -> CurrentLevel {
        let level = self.scale.level(score);
        match (&self.cap, cap_value) {
            (Some(cap), Some(value)) if value < cap.below => level.min(cap.level),
            _ => level,
        }
    }
}
