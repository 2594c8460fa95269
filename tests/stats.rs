//! Trend statistics against independent reference values computed with SciPy
//! (tests/data/reference/stats_reference.py → tests/data/stats-reference.csv).

use mdime::project::stats::{least_squares, mann_kendall, quantile, rolling_sums, theil_sen};

use crate::common::fixture;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn statistics_match_the_scipy_reference() {
    let mut reader = csv::Reader::from_path(fixture("stats-reference.csv")).unwrap();
    let mut names = Vec::new();
    for row in reader.deserialize::<std::collections::HashMap<String, String>>() {
        let row = row.unwrap();
        let num = |k: &str| row[k].parse::<f64>().unwrap();
        let years: Vec<f64> = row["years"].split(' ').map(|v| v.parse().unwrap()).collect();
        let values: Vec<f64> = row["values"].split(' ').map(|v| v.parse().unwrap()).collect();
        let points: Vec<(f64, f64)> = years.iter().copied().zip(values.iter().copied()).collect();
        let name = row["name"].clone();

        let (slope, intercept) = theil_sen(&points).unwrap();
        assert!(close(slope, num("ts_slope")) && close(intercept, num("ts_intercept")), "{name}: Theil–Sen {slope} {intercept}");
        let mk = mann_kendall(&values).unwrap();
        for (ours, theirs, what) in [(mk.s, num("mk_s"), "S"), (mk.variance, num("mk_var"), "var"), (mk.z, num("mk_z"), "z"), (mk.p_value, num("mk_p"), "p")] {
            assert!(close(ours, theirs), "{name}: Mann–Kendall {what} {ours} vs {theirs}");
        }
        let ols = least_squares(&points).unwrap();
        assert!(close(ols.slope, num("ols_slope")) && close(ols.intercept, num("ols_intercept")), "{name}: OLS");
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for (p, column) in [(0.1, "q10"), (0.9, "q90")] {
            assert!(close(quantile(&sorted, p).unwrap(), num(column)), "{name}: {column}");
        }
        names.push(name);
    }
    for required in ["ties", "constant", "gaps", "short"] {
        assert!(names.iter().any(|n| n == required), "the reference covers {required}");
    }
}

#[test]
fn degenerate_inputs_give_no_statistic_rather_than_a_wrong_one() {
    assert!(theil_sen(&[(2020.0, 1.0)]).is_none());
    assert!(theil_sen(&[(2020.0, 1.0), (2020.0, 3.0)]).is_none(), "no spread in x");
    assert!(mann_kendall(&[1.0, 2.0]).is_none());
    assert!(least_squares(&[(2020.0, 1.0), (2021.0, 2.0)]).is_none());
    assert!(least_squares(&[(2020.0, 1.0), (2020.0, 2.0), (2020.0, 3.0)]).is_none());
    assert_eq!(mann_kendall(&[4.0; 6]).unwrap().p_value, 1.0, "a constant series has no trend");
}

#[test]
fn rolling_sums_follow_sipri_five_year_convention() {
    assert_eq!(rolling_sums(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 5), vec![15.0, 20.0]);
    assert!(rolling_sums(&[1.0, 2.0], 5).is_empty());
}
