//! The pooled forecasting model: one penalised multinomial logistic regression for the direction and
//! one ridge regression for the projected value, learned over every pair, instrument and yearly series
//! at once from features that every series has, as conflict early-warning systems pool their units.
//!
//! Features (`NUMERIC`, from `Situation`; each standardised on the training cases, `level` per
//! indicator so that TIV, personnel and US$ compare), one-hot categories (instrument, benefactor,
//! recipient's region) and each numeric feature crossed with the instrument, so that arms deliveries
//! may revert where trade persists. The direction is the class with the highest probability relative to
//! its frequency in the training cases of the same indicator: the decision that maximises balanced
//! accuracy, so that a rare outcome (a fall in trade) is still forecast when its odds rise. The
//! projected value is `base · e^ŷ` on the log(1 + x) scale, ŷ the ridge regression's forecast of
//! ln(1 + outcome) − ln(1 + base).
//!
//! The classifier minimises its penalised loss by accelerated gradient descent (FISTA) from zero over
//! the cases in their given order, with a fixed number of steps; the regression solves its normal
//! equations. Both are sequential: the same cases give the same bytes on every machine and thread count.

use std::collections::{BTreeMap, BTreeSet};

use super::{stats, BASE_YEARS, HISTORY_YEARS, HORIZON};
use crate::domain::{Instrument, Trend};

/// The numeric features of a series at an as-of year, in the order of `Situation::numeric`.
pub const NUMERIC: [&str; 12] = [
    "level",
    "reversion",
    "last_year",
    "last_change",
    "trend",
    "recent_trend",
    "trend_test",
    "volatility",
    "active_share",
    "quiet_years",
    "base_zero",
    "peak",
];

/// The position of `volatility` in `NUMERIC`.
pub const VOLATILITY: usize = 7;

/// Penalty on the squared weights (not the intercepts), in units of one case's loss.
pub const PENALTY: f64 = 10.0;
const STEPS: usize = 120;

/// The directions in the order of the model's classes: the ordinal order the ranked probability score
/// needs.
pub const CLASSES: [Trend; 3] = [Trend::Decreasing, Trend::Steady, Trend::Increasing];

pub fn class_index(trend: Trend) -> Option<usize> {
    CLASSES.iter().position(|c| *c == trend)
}

/// What is known of one yearly series at an as-of year: the history (the `HISTORY_YEARS` years to it)
/// summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct Situation {
    /// Mean of the last `BASE_YEARS` years: what the direction is judged against.
    pub base: f64,
    /// Mean over the history: where a lumpy series reverts to.
    pub long_run: f64,
    pub active_years: usize,
    pub numeric: [f64; NUMERIC.len()],
}

/// The situation of `series` (year → value) at `as_of`, from its years up to `as_of` only; None with
/// fewer than `MIN_YEARS` years of history.
pub fn situation(series: &BTreeMap<i32, f64>, as_of: i32) -> Option<Situation> {
    let history: Vec<(i32, f64)> = series.range(as_of - HISTORY_YEARS + 1..=as_of).map(|(y, v)| (*y, v.max(0.0))).collect();
    if history.len() < super::MIN_YEARS {
        return None;
    }
    let values: Vec<f64> = history.iter().map(|p| p.1).collect();
    let base = super::mean(&history.iter().filter(|(y, _)| *y > as_of - BASE_YEARS).map(|p| p.1).collect::<Vec<_>>());
    let long_run = super::mean(&values);
    let logs: Vec<(f64, f64)> = history.iter().map(|(y, v)| (f64::from(*y), v.ln_1p())).collect();
    let slope = |points: &[(f64, f64)]| stats::theil_sen(points).map_or(0.0, |(s, _)| s * f64::from(HORIZON));
    let changes: Vec<f64> = logs.windows(2).map(|w| w[1].1 - w[0].1).collect();
    let mean_change = super::mean(&changes);
    let volatility = (changes.iter().map(|c| (c - mean_change).powi(2)).sum::<f64>() / changes.len().max(1) as f64).sqrt();
    let active: Vec<i32> = history.iter().filter(|(_, v)| *v > 0.0).map(|p| p.0).collect();
    let last = values[values.len() - 1];
    let previous = values[values.len() - 2];
    let peak = values.iter().copied().fold(0.0, f64::max);
    let lb = base.ln_1p();
    let numeric = [
        lb,
        lb - long_run.ln_1p(),
        last.ln_1p() - lb,
        last.ln_1p() - previous.ln_1p(),
        slope(&logs),
        slope(&logs[logs.len().saturating_sub(5)..]),
        stats::mann_kendall(&values).map_or(0.0, |mk| mk.z.clamp(-3.0, 3.0)),
        volatility,
        active.len() as f64 / history.len() as f64,
        active.last().map_or(1.0, |y| f64::from(as_of - y) / f64::from(HISTORY_YEARS)),
        f64::from(u8::from(base == 0.0)),
        peak.ln_1p() - lb,
    ];
    Some(Situation { base, long_run, active_years: active.len(), numeric })
}

/// Who and what a series is about: the categories the model knows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Subject {
    pub benefactor: String,
    pub recipient: String,
    pub region: &'static str,
    pub instrument: Instrument,
    pub indicator: &'static str,
}

/// One training example: a subject's situation at an as-of year and what followed.
pub struct Example<'a> {
    pub subject: &'a Subject,
    pub situation: &'a Situation,
    pub actual: Trend,
    /// ln(1 + outcome mean) − ln(1 + base).
    pub change: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Numeric(usize),
    Instrument(Instrument),
    Benefactor(String),
    Region(&'static str),
    Crossed(usize, Instrument),
}

impl Column {
    /// The feature a column belongs to, as `explain` names it.
    fn feature(&self) -> String {
        match self {
            Column::Numeric(i) | Column::Crossed(i, _) => NUMERIC[*i].to_string(),
            Column::Instrument(i) => format!("instrument {i}"),
            Column::Benefactor(b) => format!("benefactor {b}"),
            Column::Region(r) => format!("region {r}"),
        }
    }
}

/// A fitted pooled model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    columns: Vec<Column>,
    /// Mean and standard deviation of each numeric feature over the training cases.
    scale: [(f64, f64); NUMERIC.len()],
    /// Mean and standard deviation of `level` per indicator.
    level: BTreeMap<&'static str, (f64, f64)>,
    /// Per column (after the intercept at 0), the weight of each class.
    classifier: Vec<[f64; 3]>,
    regressor: Vec<f64>,
    /// Share of each class in the training cases, per indicator and over all.
    priors: BTreeMap<&'static str, [f64; 3]>,
    prior: [f64; 3],
}

/// What the model says of one series.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// Probabilities of Decreasing, Steady, Increasing.
    pub probabilities: [f64; 3],
    pub direction: Trend,
    pub value: f64,
    /// The features that moved the direction most, with their pull towards it (log-odds against the
    /// mean of the three classes), strongest first.
    pub drivers: Vec<(String, f64)>,
}

fn mean_sd(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count().max(1) as f64;
    let mean = values.clone().sum::<f64>() / n;
    let sd = (values.map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    (mean, if sd > 1e-9 { sd } else { 1.0 })
}

/// Laplace-smoothed class shares.
fn shares<'a>(actual: impl Iterator<Item = &'a Trend>) -> [f64; 3] {
    let mut counts = [1.0; 3];
    for t in actual {
        if let Some(i) = class_index(*t) {
            counts[i] += 1.0;
        }
    }
    let total: f64 = counts.iter().sum();
    counts.map(|c| c / total)
}

/// The share of each direction per indicator among `examples`: climatology, and the model's priors.
pub fn climatology(examples: &[Example]) -> BTreeMap<&'static str, [f64; 3]> {
    let indicators: BTreeSet<&'static str> = examples.iter().map(|e| e.subject.indicator).collect();
    indicators
        .into_iter()
        .map(|ind| (ind, shares(examples.iter().filter(|e| e.subject.indicator == ind).map(|e| &e.actual))))
        .collect()
}

impl Model {
    /// Fits the model to `examples`; None for fewer than `min_examples` of them.
    pub fn fit(examples: &[Example], min_examples: usize) -> Option<Model> {
        if examples.len() < min_examples.max(2) {
            return None;
        }
        let mut scale = [(0.0, 1.0); NUMERIC.len()];
        for (k, s) in scale.iter_mut().enumerate() {
            *s = mean_sd(examples.iter().map(move |e| e.situation.numeric[k]));
        }
        let indicators: BTreeSet<&'static str> = examples.iter().map(|e| e.subject.indicator).collect();
        let level = indicators
            .iter()
            .map(|ind| (*ind, mean_sd(examples.iter().filter(|e| e.subject.indicator == *ind).map(|e| e.situation.numeric[0]))))
            .collect();
        let instruments: BTreeSet<Instrument> = examples.iter().map(|e| e.subject.instrument).collect();
        let mut columns: Vec<Column> = (0..NUMERIC.len()).map(Column::Numeric).collect();
        columns.extend(instruments.iter().map(|i| Column::Instrument(*i)));
        columns.extend(examples.iter().map(|e| e.subject.benefactor.clone()).collect::<BTreeSet<_>>().into_iter().map(Column::Benefactor));
        columns.extend(examples.iter().map(|e| e.subject.region).collect::<BTreeSet<_>>().into_iter().map(Column::Region));
        if instruments.len() > 1 {
            columns.extend((0..NUMERIC.len()).flat_map(|k| instruments.iter().map(move |i| Column::Crossed(k, *i))));
        }
        let mut model = Model {
            columns,
            scale,
            level,
            classifier: Vec::new(),
            regressor: Vec::new(),
            priors: climatology(examples),
            prior: shares(examples.iter().map(|e| &e.actual)),
        };
        let design: Vec<Sparse> = examples.iter().map(|e| sparse(&model.row(e.subject, e.situation))).collect();
        let width = model.columns.len() + 1;
        let classes: Vec<usize> = examples.iter().map(|e| class_index(e.actual).unwrap_or(1)).collect();
        let changes: Vec<f64> = examples.iter().map(|e| e.change).collect();
        model.classifier = fit_multinomial(&design, width, &classes);
        model.regressor = fit_ridge(&design, width, &changes);
        Some(model)
    }

    /// The design row: 1 for the intercept, then every column.
    fn row(&self, subject: &Subject, situation: &Situation) -> Vec<f64> {
        let numeric = |k: usize| {
            let (mean, sd) = if k == 0 { self.level.get(subject.indicator).copied().unwrap_or(self.scale[0]) } else { self.scale[k] };
            (situation.numeric[k] - mean) / sd
        };
        std::iter::once(1.0)
            .chain(self.columns.iter().map(|c| match c {
                Column::Numeric(k) => numeric(*k),
                Column::Instrument(i) => f64::from(u8::from(*i == subject.instrument)),
                Column::Benefactor(b) => f64::from(u8::from(*b == subject.benefactor)),
                Column::Region(r) => f64::from(u8::from(*r == subject.region)),
                Column::Crossed(k, i) => if *i == subject.instrument { numeric(*k) } else { 0.0 },
            }))
            .collect()
    }

    pub fn forecast(&self, subject: &Subject, situation: &Situation) -> Forecast {
        let x = self.row(subject, situation);
        let probabilities = softmax(&logits(&self.classifier, &x));
        let prior = self.priors.get(subject.indicator).copied().unwrap_or(self.prior);
        let chosen = (0..3).max_by(|&a, &b| (probabilities[a] / prior[a]).total_cmp(&(probabilities[b] / prior[b]))).unwrap_or(1);
        let change: f64 = self.regressor.iter().zip(&x).map(|(w, v)| w * v).sum();
        let value = (situation.base.max(0.0).ln_1p() + change).exp_m1().max(0.0);
        let mut pull: BTreeMap<String, f64> = BTreeMap::new();
        for (column, (weights, v)) in self.columns.iter().zip(self.classifier.iter().skip(1).zip(&x[1..])) {
            let mean = weights.iter().sum::<f64>() / 3.0;
            *pull.entry(column.feature()).or_default() += (weights[chosen] - mean) * v;
        }
        let mut drivers: Vec<(String, f64)> = pull.into_iter().filter(|(_, p)| p.abs() > 1e-9).collect();
        drivers.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| a.0.cmp(&b.0)));
        drivers.truncate(3);
        Forecast { probabilities, direction: CLASSES[chosen], value, drivers }
    }
}

/// The features that moved a forecast, as `name +0.42; other -0.10`.
pub fn describe(drivers: &[(String, f64)]) -> String {
    drivers.iter().map(|(name, pull)| format!("{name} {pull:+.2}")).collect::<Vec<_>>().join("; ")
}

fn logits(weights: &[[f64; 3]], x: &[f64]) -> [f64; 3] {
    let mut z = [0.0; 3];
    for (w, v) in weights.iter().zip(x) {
        for k in 0..3 {
            z[k] += w[k] * v;
        }
    }
    z
}

fn softmax(z: &[f64; 3]) -> [f64; 3] {
    let top = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e = z.map(|v| (v - top).exp());
    let total: f64 = e.iter().sum();
    e.map(|v| v / total)
}

/// A design row's non-zero entries, by column: most columns are one-hot or crossed with another
/// instrument's indicator, and zero.
type Sparse = Vec<(usize, f64)>;

fn sparse(row: &[f64]) -> Sparse {
    row.iter().enumerate().filter(|(_, v)| **v != 0.0).map(|(j, v)| (j, *v)).collect()
}

/// XᵀX / n, dense (`width` × `width`).
fn gram(design: &[Sparse], width: usize) -> Vec<Vec<f64>> {
    let n = design.len().max(1) as f64;
    let mut g = vec![vec![0.0; width]; width];
    for row in design {
        for &(i, a) in row {
            for &(j, b) in row {
                g[i][j] += a * b / n;
            }
        }
    }
    g
}

/// The largest eigenvalue of a symmetric positive semi-definite matrix, by power iteration: the
/// curvature bound that sets the gradient step.
fn largest_eigenvalue(g: &[Vec<f64>]) -> f64 {
    let p = g.len().max(1);
    let mut v = vec![1.0 / (p as f64).sqrt(); g.len()];
    let mut eigenvalue = 1.0;
    for _ in 0..100 {
        let w: Vec<f64> = g.iter().map(|row| row.iter().zip(&v).map(|(a, b)| a * b).sum()).collect();
        eigenvalue = w.iter().map(|x| x * x).sum::<f64>().sqrt();
        if eigenvalue <= 0.0 {
            return 1.0;
        }
        v = w.into_iter().map(|x| x / eigenvalue).collect();
    }
    eigenvalue
}

/// Multinomial logistic regression with the L2 `PENALTY`, by FISTA from zero for `STEPS` steps of
/// 1 / L, L bounding the loss's curvature (the softmax's Hessian is at most half of XᵀX / n per class):
/// weights per design column (intercept first) and class.
fn fit_multinomial(design: &[Sparse], width: usize, classes: &[usize]) -> Vec<[f64; 3]> {
    let n = design.len().max(1) as f64;
    let lipschitz = 0.5 * largest_eigenvalue(&gram(design, width)) + PENALTY / n;
    let gradient = |w: &[[f64; 3]], g: &mut [[f64; 3]]| {
        g.iter_mut().for_each(|x| *x = [0.0; 3]);
        for (row, &class) in design.iter().zip(classes) {
            let mut z = [0.0; 3];
            for &(j, x) in row {
                for k in 0..3 {
                    z[k] += w[j][k] * x;
                }
            }
            let mut residual = softmax(&z);
            residual[class] -= 1.0;
            for &(j, x) in row {
                let x = x / n;
                for k in 0..3 {
                    g[j][k] += residual[k] * x;
                }
            }
        }
        for j in 1..w.len() {
            for k in 0..3 {
                g[j][k] += PENALTY * w[j][k] / n;
            }
        }
    };
    let mut w = vec![[0.0; 3]; width];
    let mut v = w.clone();
    let mut g = vec![[0.0; 3]; width];
    let mut t: f64 = 1.0;
    for _ in 0..STEPS {
        gradient(&v, &mut g);
        let t_next = (1.0 + (1.0 + 4.0 * t * t).sqrt()) / 2.0;
        let momentum = (t - 1.0) / t_next;
        for j in 0..width {
            for k in 0..3 {
                let next = v[j][k] - g[j][k] / lipschitz;
                v[j][k] = next + momentum * (next - w[j][k]);
                w[j][k] = next;
            }
        }
        t = t_next;
    }
    w
}

/// Ridge regression of `targets` on the design with the same penalty (intercept unpenalised), by
/// solving the normal equations (XᵀX / n + λ / n) w = Xᵀy / n with Cholesky's factorisation.
fn fit_ridge(design: &[Sparse], width: usize, targets: &[f64]) -> Vec<f64> {
    let n = design.len().max(1) as f64;
    let mut a = gram(design, width);
    for (j, row) in a.iter_mut().enumerate().skip(1) {
        row[j] += PENALTY / n;
    }
    // A tiny ridge on the intercept too keeps the factorisation defined for an all-constant design.
    a[0][0] += 1e-9;
    let mut b = vec![0.0; width];
    for (row, y) in design.iter().zip(targets) {
        for &(j, x) in row {
            b[j] += x * y / n;
        }
    }
    // Cholesky: a = L Lᵀ, then forward and back substitution.
    let mut l = vec![vec![0.0; width]; width];
    for i in 0..width {
        for j in 0..=i {
            let sum: f64 = a[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            l[i][j] = if i == j { sum.max(1e-12).sqrt() } else { sum / l[j][j] };
        }
    }
    let mut z = vec![0.0; width];
    for i in 0..width {
        z[i] = (b[i] - (0..i).map(|k| l[i][k] * z[k]).sum::<f64>()) / l[i][i];
    }
    let mut w = vec![0.0; width];
    for i in (0..width).rev() {
        w[i] = (z[i] - (i + 1..width).map(|k| l[k][i] * w[k]).sum::<f64>()) / l[i][i];
    }
    w
}

/// The ranked probability score of `probabilities` (in `CLASSES` order) for the outcome `actual`: the
/// squared distance between the forecast's and the outcome's cumulative distributions over the ordered
/// directions, divided by the two thresholds between them. 0 is a certain, right forecast; 1 a certain
/// forecast two classes away.
pub fn ranked_probability_score(probabilities: &[f64; 3], actual: Trend) -> f64 {
    let Some(observed) = class_index(actual) else { return f64::NAN };
    let (mut forecast_cdf, mut observed_cdf, mut score) = (0.0, 0.0, 0.0);
    for (k, p) in probabilities.iter().enumerate().take(2) {
        forecast_cdf += p;
        observed_cdf += f64::from(u8::from(k == observed));
        score += (forecast_cdf - observed_cdf).powi(2);
    }
    score / 2.0
}

/// A direction said with certainty, as probabilities; Unknown says nothing (a third each).
pub fn certain(direction: Trend) -> [f64; 3] {
    match class_index(direction) {
        Some(i) => {
            let mut p = [0.0; 3];
            p[i] = 1.0;
            p
        }
        None => [1.0 / 3.0; 3],
    }
}
