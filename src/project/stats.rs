//! Trend statistics for short yearly series: a robust slope (Theil–Sen), a trend test (Mann–Kendall with
//! the tie correction), least squares with a Student-t prediction interval, and rolling sums for lumpy
//! series such as arms deliveries.

use statrs::distribution::{ContinuousCDF, Normal};

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

/// Theil–Sen line: the median of the slopes between every pair of points, and the median of
/// `y − slope·x` as intercept. None with fewer than two distinct x.
pub fn theil_sen(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let mut slopes: Vec<f64> = Vec::new();
    for (i, a) in points.iter().enumerate() {
        for b in &points[i + 1..] {
            if b.0 != a.0 {
                slopes.push((b.1 - a.1) / (b.0 - a.0));
            }
        }
    }
    if slopes.is_empty() {
        return None;
    }
    let slope = median(&mut slopes);
    let mut intercepts: Vec<f64> = points.iter().map(|(x, y)| y - slope * x).collect();
    Some((slope, median(&mut intercepts)))
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannKendall {
    pub s: f64,
    pub variance: f64,
    pub z: f64,
    /// Two-sided p-value from the normal approximation.
    pub p_value: f64,
}

/// Mann–Kendall trend test on values in time order, with the variance corrected for tied groups.
/// None for fewer than three values.
pub fn mann_kendall(values: &[f64]) -> Option<MannKendall> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let mut s = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            s += (values[j] - values[i]).signum() * f64::from(u8::from(values[j] != values[i]));
        }
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut run = 1.0;
    for w in sorted.windows(2) {
        if w[0] == w[1] {
            run += 1.0;
        } else {
            ties += run * (run - 1.0) * (2.0 * run + 5.0);
            run = 1.0;
        }
    }
    ties += run * (run - 1.0) * (2.0 * run + 5.0);
    let nf = n as f64;
    let variance = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    let z = if variance <= 0.0 {
        0.0
    } else if s > 0.0 {
        (s - 1.0) / variance.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / variance.sqrt()
    } else {
        0.0
    };
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    Some(MannKendall { s, variance, z, p_value: 2.0 * (1.0 - normal.cdf(z.abs())) })
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeastSquares {
    pub slope: f64,
    pub intercept: f64,
}

/// Ordinary least squares line. None with fewer than three points or no spread in x.
pub fn least_squares(points: &[(f64, f64)]) -> Option<LeastSquares> {
    let n = points.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / nf;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    Some(LeastSquares { slope, intercept })
}

impl LeastSquares {
    pub fn predict(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }
}

/// The `p` quantile of sorted values, interpolating linearly between order statistics (Hyndman and
/// Fan's type 7, numpy's default). None for no values.
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = p.clamp(0.0, 1.0) * last as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(last);
    Some(sorted[below] + (position - below as f64) * (sorted[above] - sorted[below]))
}

/// Sums over a trailing window of `width` values: SIPRI's convention of five-year sums for deliveries,
/// which arrive in lumps. The first `width − 1` values have no full window and are dropped.
pub fn rolling_sums(values: &[f64], width: usize) -> Vec<f64> {
    if width == 0 || values.len() < width {
        return Vec::new();
    }
    values.windows(width).map(|w| w.iter().sum()).collect()
}
