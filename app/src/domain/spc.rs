//! Statistical process control for benefit series, in the style of NHS England's "Making Data
//! Count": an XmR chart (the values, their mean, and process limits at the mean plus and minus
//! 2.66 times the mean moving range) and three special-cause rules:
//!
//! - **outside the limits**: a value above the upper or below the lower process limit;
//! - **a shift**: [`SHIFT_RUN`] or more values in a row on the same side of the mean (a value
//!   exactly on the mean ends the run);
//! - **a trend**: [`TREND_RUN`] or more values in a row each higher than the one before, or each
//!   lower (an equal value ends the run).
//!
//! Whether a special cause is an improvement or a concern follows the measure's better
//! direction. The variation the chart's icon shows is that of the latest value.

use super::framework::Better;
use serde::{Deserialize, Serialize};

/// Values in a row on one side of the mean that make a shift.
pub const SHIFT_RUN: usize = 7;
/// Values in a row rising (or falling) that make a trend.
pub const TREND_RUN: usize = 6;
/// The fewest values that limits are worked out from.
pub const MIN_VALUES: usize = 6;
/// Making Data Count's constant: 3 / d2 for moving ranges of two values (d2 = 1.128).
pub const LIMIT_FACTOR: f64 = 2.66;

/// A special-cause rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    OutsideLimits,
    Shift,
    Trend,
}

impl Rule {
    pub fn words(self) -> &'static str {
        match self {
            Rule::OutsideLimits => "outside the process limits",
            Rule::Shift => "a shift: a run of values on one side of the mean",
            Rule::Trend => "a trend: a run of values rising or falling",
        }
    }
}

/// Which way a special cause points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    High,
    Low,
}

/// What one value's variation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variation {
    Common,
    Improving(Side),
    Concerning(Side),
}

impl Variation {
    /// Making Data Count's name for the variation (and its icon).
    pub fn words(self) -> &'static str {
        match self {
            Variation::Common => "Common cause variation",
            Variation::Improving(Side::High) => "Special cause variation: improving, high",
            Variation::Improving(Side::Low) => "Special cause variation: improving, low",
            Variation::Concerning(Side::High) => "Special cause variation: concerning, high",
            Variation::Concerning(Side::Low) => "Special cause variation: concerning, low",
        }
    }
}

/// A value's special causes: each rule it is part of, and which way it points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub rules: Vec<(Rule, Side)>,
    pub variation: Variation,
}

/// An XmR chart's figures for a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Xmr {
    pub mean: f64,
    /// The mean of the moving ranges (absolute differences of neighbouring values).
    pub moving_range: f64,
    pub upper: f64,
    pub lower: f64,
    /// One per value, in order.
    pub signals: Vec<Signal>,
}

impl Xmr {
    /// The variation of the latest value (the chart's icon).
    pub fn latest(&self) -> Variation {
        self.signals
            .last()
            .map(|s| s.variation)
            .unwrap_or(Variation::Common)
    }
}

/// The XmR chart of `values` (in time order) for a measure where `better` is better; none
/// with fewer than [`MIN_VALUES`] values.
pub fn xmr(values: &[f64], better: Better) -> Option<Xmr> {
    let n = values.len();
    if n < MIN_VALUES {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let moving_range = values.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (n - 1) as f64;
    let upper = mean + LIMIT_FACTOR * moving_range;
    let lower = mean - LIMIT_FACTOR * moving_range;
    let mut rules: Vec<Vec<(Rule, Side)>> = vec![Vec::new(); n];
    for (i, v) in values.iter().enumerate() {
        if *v > upper {
            rules[i].push((Rule::OutsideLimits, Side::High));
        } else if *v < lower {
            rules[i].push((Rule::OutsideLimits, Side::Low));
        }
    }
    // Shifts: runs on one side of the mean.
    let side = |v: f64| match v.partial_cmp(&mean) {
        Some(std::cmp::Ordering::Greater) => Some(Side::High),
        Some(std::cmp::Ordering::Less) => Some(Side::Low),
        _ => None,
    };
    mark_runs(&mut rules, Rule::Shift, SHIFT_RUN, |i| side(values[i]), n);
    // Trends: each value higher (or lower) than the one before; the first of the run counts.
    let step = |i: usize| -> Option<Side> {
        if i == 0 {
            return None;
        }
        match values[i].partial_cmp(&values[i - 1]) {
            Some(std::cmp::Ordering::Greater) => Some(Side::High),
            Some(std::cmp::Ordering::Less) => Some(Side::Low),
            _ => None,
        }
    };
    // A run of k rising steps covers k + 1 values.
    let mut i = 1;
    while i < n {
        let Some(s) = step(i) else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < n && step(j + 1) == Some(s) {
            j += 1;
        }
        if j - i + 2 >= TREND_RUN {
            for r in &mut rules[i - 1..=j] {
                r.push((Rule::Trend, s));
            }
        }
        i = j + 1;
    }
    let good = match better {
        Better::Higher => Side::High,
        Better::Lower => Side::Low,
    };
    let signals = rules
        .into_iter()
        .map(|rules| {
            // The first rule in order of strength says the variation.
            let variation = [Rule::OutsideLimits, Rule::Shift, Rule::Trend]
                .iter()
                .find_map(|want| rules.iter().find(|(r, _)| r == want))
                .map(|(_, s)| {
                    if *s == good {
                        Variation::Improving(*s)
                    } else {
                        Variation::Concerning(*s)
                    }
                })
                .unwrap_or(Variation::Common);
            Signal { rules, variation }
        })
        .collect();
    Some(Xmr {
        mean,
        moving_range,
        upper,
        lower,
        signals,
    })
}

/// Marks every value of each run of at least `least` values in a row with the same side.
fn mark_runs(
    rules: &mut [Vec<(Rule, Side)>],
    rule: Rule,
    least: usize,
    side: impl Fn(usize) -> Option<Side>,
    n: usize,
) {
    let mut i = 0;
    while i < n {
        let Some(s) = side(i) else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < n && side(j + 1) == Some(s) {
            j += 1;
        }
        if j - i + 1 >= least {
            for r in &mut rules[i..=j] {
                r.push((rule, s));
            }
        }
        i = j + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_of(x: &Xmr, rule: Rule) -> Vec<usize> {
        x.signals
            .iter()
            .enumerate()
            .filter(|(_, s)| s.rules.iter().any(|(r, _)| *r == rule))
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn the_limits_are_the_mean_and_2_66_moving_ranges() {
        let x = xmr(&[10.0, 12.0, 11.0, 13.0, 12.0, 14.0], Better::Higher).unwrap();
        assert_eq!(x.mean, 12.0);
        // Moving ranges 2, 1, 2, 1, 2: mean 1.6.
        assert!((x.moving_range - 1.6).abs() < 1e-9);
        assert!((x.upper - (12.0 + 2.66 * 1.6)).abs() < 1e-9);
        assert!((x.lower - (12.0 - 2.66 * 1.6)).abs() < 1e-9);
        assert_eq!(x.latest(), Variation::Common);
        assert!(xmr(&[1.0, 2.0, 3.0, 4.0, 5.0], Better::Higher).is_none());
    }

    #[test]
    fn a_value_outside_the_limits_is_special_and_its_side_says_improving_or_concerning() {
        let values = [10.0, 10.5, 9.5, 10.0, 10.5, 9.5, 10.0, 30.0];
        let higher = xmr(&values, Better::Higher).unwrap();
        assert_eq!(rules_of(&higher, Rule::OutsideLimits), vec![7]);
        assert_eq!(higher.latest(), Variation::Improving(Side::High));
        let lower = xmr(&values, Better::Lower).unwrap();
        assert_eq!(lower.latest(), Variation::Concerning(Side::High));
        // Below the lower limit.
        let values = [10.0, 10.5, 9.5, 10.0, 10.5, 9.5, 10.0, -10.0];
        let x = xmr(&values, Better::Lower).unwrap();
        assert_eq!(rules_of(&x, Rule::OutsideLimits), vec![7]);
        assert_eq!(x.latest(), Variation::Improving(Side::Low));
        // Inside the limits: nothing.
        let x = xmr(
            &[10.0, 10.5, 9.5, 10.0, 10.5, 9.5, 10.0, 10.2],
            Better::Lower,
        )
        .unwrap();
        assert!(rules_of(&x, Rule::OutsideLimits).is_empty());
    }

    #[test]
    fn seven_in_a_row_on_one_side_of_the_mean_is_a_shift_six_is_not() {
        // Mean about 10.07, limits about 6.9 to 13.3: three below, seven above, four below.
        let seven = [
            8.0, 9.5, 8.5, 11.0, 12.0, 10.5, 11.5, 10.8, 12.2, 11.2, 9.0, 8.6, 9.4, 8.8,
        ];
        let x = xmr(&seven, Better::Lower).unwrap();
        assert!(rules_of(&x, Rule::OutsideLimits).is_empty());
        assert_eq!(rules_of(&x, Rule::Shift), (3..10).collect::<Vec<_>>());
        assert!(x.signals[3].rules.contains(&(Rule::Shift, Side::High)));
        assert_eq!(x.signals[5].variation, Variation::Concerning(Side::High));
        assert_eq!(x.latest(), Variation::Common);
        let six = [
            9.0, 9.0, 9.0, 9.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 9.0, 9.0,
        ];
        let x = xmr(&six, Better::Lower).unwrap();
        assert!(rules_of(&x, Rule::Shift).is_empty());
        // A value on the mean ends the run.
        let broken = [
            9.0, 9.0, 11.0, 11.0, 11.0, 10.0, 11.0, 11.0, 11.0, 11.0, 9.0, 9.0, 9.0, 8.0,
        ];
        let x = xmr(&broken, Better::Lower).unwrap();
        assert_eq!(x.mean, 10.0);
        assert!(rules_of(&x, Rule::Shift).is_empty());
    }

    #[test]
    fn six_rising_or_falling_in_a_row_is_a_trend_five_is_not() {
        // Six values, each lower than the one before, at the end: a trend, improving where
        // lower is better.
        let falling = [12.0, 11.0, 12.0, 11.5, 11.0, 10.5, 10.0, 9.5];
        let x = xmr(&falling, Better::Lower).unwrap();
        assert_eq!(rules_of(&x, Rule::Trend), vec![2, 3, 4, 5, 6, 7]);
        assert_eq!(x.latest(), Variation::Improving(Side::Low));
        let x = xmr(&falling, Better::Higher).unwrap();
        assert_eq!(x.latest(), Variation::Concerning(Side::Low));
        let five = [12.0, 11.0, 12.0, 12.0, 11.5, 11.0, 10.5, 10.0];
        let x = xmr(&five, Better::Lower).unwrap();
        assert!(rules_of(&x, Rule::Trend).is_empty());
        // An equal value ends the run.
        let flat = [10.0, 11.0, 12.0, 12.0, 13.0, 14.0, 15.0, 14.0];
        let x = xmr(&flat, Better::Higher).unwrap();
        assert!(rules_of(&x, Rule::Trend).is_empty());
        let rising = [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 14.0];
        let x = xmr(&rising, Better::Higher).unwrap();
        assert_eq!(rules_of(&x, Rule::Trend), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(x.signals[5].variation, Variation::Improving(Side::High));
        assert_eq!(x.latest(), Variation::Common);
    }

    #[test]
    fn outside_the_limits_says_the_variation_before_a_shift_or_trend() {
        // Seven 1s, then seven 2s: each 2 is above the upper limit and in a shift.
        let values = [
            1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0,
        ];
        let x = xmr(&values, Better::Higher).unwrap();
        // Mean 1.5, moving range 1/13, upper limit about 1.7.
        assert!(x.signals[13]
            .rules
            .contains(&(Rule::OutsideLimits, Side::High)));
        assert!(x.signals[13].rules.contains(&(Rule::Shift, Side::High)));
        assert_eq!(x.latest(), Variation::Improving(Side::High));
        assert_eq!(
            x.latest().words(),
            "Special cause variation: improving, high"
        );
    }
}
