use super::*;
use crate::domain::files::{parse_economies, parse_values};
use proptest::prelude::*;
use std::collections::HashSet;

fn example_fw() -> Framework {
    Framework::from_toml(include_str!("../../../fixtures/example/framework.toml")).unwrap()
}

fn example_inputs() -> Vec<EconomyInput> {
    let fw = example_fw();
    let economies =
        parse_economies(include_bytes!("../../../fixtures/example/economies.csv")).unwrap();
    let known: HashSet<String> = economies.iter().map(|e| e.slug.to_string()).collect();
    let rows = parse_values(
        include_bytes!("../../../fixtures/example/values.csv"),
        &fw,
        &known,
    )
    .unwrap();
    economies
        .iter()
        .map(|e| EconomyInput {
            slug: e.slug.to_string(),
            name: e.name.clone(),
            entries: rows
                .iter()
                .filter(|r| r.economy == e.slug)
                .map(|r| Entry {
                    period: r.period,
                    code: r.code.clone(),
                    value: r.value.clone(),
                    status: r.status,
                })
                .collect(),
        })
        .collect()
}

fn q(s: &str) -> Quarter {
    s.parse().unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Compares two JSON documents, numbers within 1e-9.
pub fn assert_json_close(actual: &serde_json::Value, expected: &serde_json::Value, path: &str) {
    use serde_json::Value;
    match (actual, expected) {
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
            assert!((a - e).abs() < 1e-9, "{path}: {a} != {e}");
        }
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or_else(|| panic!("{path}.{k} is missing"));
                assert_json_close(av, ev, &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{path}: lengths differ");
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                assert_json_close(av, ev, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

#[test]
fn worked_example_latest_quarter() {
    let scores = score_all(&example_fw(), &example_inputs(), None);
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("../../../fixtures/example/expected.json")).unwrap();
    assert_json_close(&serde_json::to_value(&scores).unwrap(), &expected, "");
}

#[test]
fn worked_example_2014_q1() {
    let scores = score_all(&example_fw(), &example_inputs(), Some(q("2014-Q1")));
    let expected: serde_json::Value = serde_json::from_str(include_str!(
        "../../../fixtures/example/expected-2014-Q1.json"
    ))
    .unwrap();
    assert_json_close(&serde_json::to_value(&scores).unwrap(), &expected, "");
}

#[test]
fn worked_example_as_csv() {
    let fw = example_fw();
    let csv = scores_csv(&fw, &score_all(&fw, &example_inputs(), None));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "economy,name,rank,overall,verified_overall,completeness,confidence,eligible,stage,paperless_date,paperless_achieved,on_track,theme:records,theme:infra");
    assert_eq!(lines[1], "leeds,Leeds health and care economy,1,92.5,83.55263157894737,100,62.5,true,2,2014-06-30,true,true,100,70");
    assert_eq!(lines[3], "hull,\"Hull, East Riding\",,,,,,,,,,,,");
}

#[test]
fn no_values_at_all_lists_every_economy_as_null() {
    let fw = example_fw();
    let inputs: Vec<EconomyInput> = example_inputs()
        .into_iter()
        .map(|mut e| {
            e.entries.clear();
            e
        })
        .collect();
    let scores = score_all(&fw, &inputs, None);
    assert_eq!(scores.as_of, None);
    let slugs: Vec<&str> = scores
        .economies
        .iter()
        .map(|e| e.economy.as_str())
        .collect();
    assert_eq!(slugs, ["hull", "leeds", "york"]);
    assert!(scores
        .economies
        .iter()
        .all(|e| e.rank.is_none() && e.overall.is_none()));
}

fn kinds_fw() -> Framework {
    Framework::from_toml(
        r#"
code = "k"
name = "Kinds"
paperless_threshold = 90
[[milestones]]
code = "paperless"
name = "Paperless"
date = "2018-03-31"
paperless = true
[[themes]]
code = "t"
name = "T"
weight = 1
[[criteria]]
code = "B"
theme = "t"
title = "b"
kind = "boolean"
weight = 1
gate = true
stage = 1
[[criteria]]
code = "P"
theme = "t"
title = "p"
kind = "percentage"
target = 80
weight = 1
stage = 2
[[criteria]]
code = "L"
theme = "t"
title = "l"
kind = "level"
target = 4
weight = 1
stage = 3
[[criteria]]
code = "D"
theme = "t"
title = "d"
kind = "date"
target = "2014-04-01"
weight = 1
"#,
    )
    .unwrap()
}

fn entry(period: &str, code: &str, value: &str, status: Status) -> Entry {
    Entry {
        period: q(period),
        code: code.into(),
        value: value.into(),
        status,
    }
}

fn snap(fw: &Framework, entries: &[Entry], p: &str) -> Snapshot {
    snapshot(fw, &fw.shares(), &Prepared::new(fw, entries), q(p))
}

#[test]
fn each_kind_scores_and_meets_at_its_target() {
    let fw = kinds_fw();
    let k = |code: &str| fw.criterion(code).unwrap().kind;
    assert_eq!(value_score(&k("B"), &Parsed::Boolean(true)), (100.0, true));
    assert_eq!(value_score(&k("B"), &Parsed::Boolean(false)), (0.0, false));
    assert_eq!(
        value_score(&k("P"), &Parsed::Percentage(80.0)),
        (100.0, true)
    );
    assert_eq!(
        value_score(&k("P"), &Parsed::Percentage(40.0)),
        (50.0, false)
    );
    assert_eq!(
        value_score(&k("P"), &Parsed::Percentage(100.0)),
        (100.0, true),
        "capped at 100"
    );
    assert_eq!(value_score(&k("L"), &Parsed::Level(4)), (100.0, true));
    assert_eq!(value_score(&k("L"), &Parsed::Level(1)), (25.0, false));
    assert_eq!(
        value_score(&k("D"), &Parsed::Date(Some(date("2014-04-01")))),
        (100.0, true),
        "on the deadline"
    );
    assert_eq!(
        value_score(&k("D"), &Parsed::Date(Some(date("2014-04-02")))),
        (50.0, false)
    );
    assert_eq!(value_score(&k("D"), &Parsed::Date(None)), (0.0, false));
}

#[test]
fn every_value_rejected_means_nothing_to_score() {
    let fw = kinds_fw();
    let inputs = vec![EconomyInput {
        slug: "a".into(),
        name: "A".into(),
        entries: vec![
            entry("2014-Q1", "B", "yes", Status::Rejected),
            entry("2014-Q2", "P", "50", Status::Rejected),
        ],
    }];
    let scores = score_all(&fw, &inputs, None);
    assert_eq!(
        scores.as_of,
        Some(q("2014-Q2")),
        "rejected values still set the default quarter"
    );
    assert_eq!(scores.economies[0].rank, None);
    assert_eq!(scores.economies[0].overall, None);
}

#[test]
fn rejected_values_fall_back_to_earlier_ones() {
    let fw = kinds_fw();
    let e = [
        entry("2014-Q1", "P", "40", Status::Verified),
        entry("2014-Q2", "P", "80", Status::Rejected),
    ];
    let s = snap(&fw, &e, "2014-Q2");
    assert_eq!(s.criteria[1].score, 50.0);
    assert!(s.criteria[1].verified);
    assert_eq!(s.completeness, 25.0);
    assert_eq!(s.confidence, 25.0);
}

#[test]
fn an_empty_date_counts_for_completeness_but_scores_nothing() {
    let fw = kinds_fw();
    let s = snap(
        &fw,
        &[entry("2014-Q1", "D", "", Status::Submitted)],
        "2014-Q1",
    );
    assert_eq!(s.completeness, 25.0);
    assert_eq!(s.overall, 0.0);
}

#[test]
fn verified_overall_uses_the_latest_verified_value() {
    let fw = kinds_fw();
    let e = [
        entry("2014-Q1", "L", "2", Status::Verified),
        entry("2014-Q2", "L", "4", Status::Submitted),
    ];
    let s = snap(&fw, &e, "2014-Q2");
    assert_eq!(s.overall, 25.0);
    assert_eq!(s.verified_overall, 12.5);
    assert_eq!(
        s.confidence, 0.0,
        "the effective value is the submitted one"
    );
}

#[test]
fn gates_and_stages() {
    let fw = kinds_fw();
    let base = [
        entry("2014-Q1", "B", "yes", Status::Submitted),
        entry("2014-Q1", "P", "80", Status::Submitted),
        entry("2014-Q1", "L", "3", Status::Submitted),
    ];
    let s = snap(&fw, &base, "2014-Q1");
    assert!(s.eligible);
    assert_eq!(
        s.stage, 2,
        "level 3 of 4 is not met, so stage 3 is not reached"
    );
    let s = snap(
        &fw,
        &[entry("2014-Q1", "P", "80", Status::Submitted)],
        "2014-Q1",
    );
    assert!(!s.eligible);
    assert_eq!(
        s.stage, 0,
        "stage 1's boolean is missing, so stage 2 does not count"
    );
}

#[test]
fn values_that_no_longer_parse_count_as_missing() {
    let fw = kinds_fw();
    let s = snap(
        &fw,
        &[entry("2014-Q1", "L", "yes", Status::Verified)],
        "2014-Q1",
    );
    assert_eq!(s.completeness, 0.0);
    let s = snap(
        &fw,
        &[entry("2014-Q1", "GONE", "yes", Status::Verified)],
        "2014-Q1",
    );
    assert_eq!(s.completeness, 0.0);
}

#[test]
fn one_point_has_no_trajectory() {
    let fw = kinds_fw();
    let t = trajectory_from_points(&fw, vec![(q("2014-Q1"), 50.0)]);
    assert_eq!(
        (t.paperless_date, t.achieved, t.on_track),
        (None, false, false)
    );
}

#[test]
fn a_falling_or_flat_trajectory_has_no_date() {
    let fw = kinds_fw();
    let t = trajectory_from_points(&fw, vec![(q("2014-Q1"), 50.0), (q("2014-Q2"), 40.0)]);
    assert_eq!((t.paperless_date, t.on_track), (None, false));
    let t = trajectory_from_points(&fw, vec![(q("2014-Q1"), 50.0), (q("2014-Q2"), 50.0)]);
    assert_eq!(t.paperless_date, None);
}

#[test]
fn a_paperless_day_past_9999_is_none() {
    let fw = kinds_fw();
    let t = trajectory_from_points(&fw, vec![(q("2014-Q1"), 10.0), (q("2014-Q2"), 10.0000001)]);
    assert_eq!(t.paperless_date, None);
    assert!(!t.on_track);
}

#[test]
fn a_rising_trajectory_projects_a_date() {
    let fw = kinds_fw();
    // 10 points a quarter from 2014-03-31 (day 16160) to 2014-06-30 (day 16251).
    let t = trajectory_from_points(&fw, vec![(q("2014-Q1"), 60.0), (q("2014-Q2"), 70.0)]);
    let b: f64 = 10.0 / 91.0;
    let expected = from_day_number((16160.0 + 30.0 / b).ceil() as i64).unwrap();
    assert_eq!(t.paperless_date, Some(expected));
    assert!(t.on_track);
}

#[test]
fn achieved_takes_the_first_quarter_at_the_threshold() {
    let fw = kinds_fw();
    let t = trajectory_from_points(
        &fw,
        vec![
            (q("2014-Q1"), 89.0),
            (q("2014-Q2"), 90.0),
            (q("2014-Q3"), 95.0),
        ],
    );
    assert!(t.achieved);
    assert_eq!(t.paperless_date, Some(date("2014-06-30")));
}

#[test]
fn ties_rank_by_confidence_then_slug() {
    let fw = kinds_fw();
    let mk = |slug: &str, status| EconomyInput {
        slug: slug.into(),
        name: slug.into(),
        entries: vec![entry("2014-Q1", "P", "40", status)],
    };
    let scores = score_all(
        &fw,
        &[
            mk("b", Status::Submitted),
            mk("c", Status::Verified),
            mk("a", Status::Submitted),
        ],
        None,
    );
    let order: Vec<&str> = scores
        .economies
        .iter()
        .map(|e| e.economy.as_str())
        .collect();
    assert_eq!(order, ["c", "a", "b"]);
}

// Property tests over random value sets for the kinds framework.
fn arb_entries() -> impl Strategy<Value = Vec<Entry>> {
    let value = prop_oneof![
        (
            Just("B"),
            prop_oneof![Just("yes".to_string()), Just("no".to_string())]
        ),
        (
            Just("P"),
            (0u32..=1000).prop_map(|n| format!("{}", n as f64 / 10.0))
        ),
        (Just("L"), (0u32..=4).prop_map(|n| n.to_string())),
        (
            Just("D"),
            prop_oneof![
                Just(String::new()),
                Just("2013-06-01".to_string()),
                Just("2014-05-01".to_string())
            ]
        ),
    ];
    let status = prop_oneof![
        Just(Status::Submitted),
        Just(Status::Verified),
        Just(Status::Rejected)
    ];
    prop::collection::vec((0u8..8, value, status), 0..24).prop_map(|v| {
        let mut seen = HashSet::new();
        v.into_iter()
            .filter_map(|(qi, (code, value), status)| {
                let period = Quarter::new(2014 + i32::from(qi / 4), qi % 4 + 1).unwrap();
                seen.insert((period, code)).then(|| Entry {
                    period,
                    code: code.to_string(),
                    value,
                    status,
                })
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn scores_stay_in_range(entries in arb_entries(), qi in 0u8..8) {
        let fw = kinds_fw();
        let p = Quarter::new(2014 + i32::from(qi / 4), qi % 4 + 1).unwrap();
        let s = snap(&fw, &entries, &p.to_string());
        for n in [s.overall, s.verified_overall, s.completeness, s.confidence].iter().chain(&s.themes) {
            prop_assert!((0.0..=100.0 + 1e-9).contains(n), "{n}");
        }
        prop_assert!(s.confidence <= s.completeness + 1e-9);
    }

    #[test]
    fn ranks_have_no_gaps(sets in prop::collection::vec(arb_entries(), 1..8)) {
        let fw = kinds_fw();
        let inputs: Vec<EconomyInput> = sets.into_iter().enumerate().map(|(i, entries)| EconomyInput {
            slug: format!("e{i}"), name: format!("E{i}"), entries,
        }).collect();
        let scores = score_all(&fw, &inputs, None);
        let ranks: Vec<u32> = scores.economies.iter().filter_map(|e| e.rank).collect();
        prop_assert_eq!(ranks.clone(), (1..=ranks.len() as u32).collect::<Vec<_>>());
        prop_assert_eq!(scores.economies.len(), inputs.len());
    }

    #[test]
    fn verifying_never_lowers_confidence(entries in arb_entries(), pick in 0usize..24) {
        let fw = kinds_fw();
        let p = "2015-Q4";
        let before = snap(&fw, &entries, p);
        let mut after_entries = entries.clone();
        if let Some(e) = after_entries.get_mut(pick) {
            if e.status == Status::Submitted {
                e.status = Status::Verified;
            }
        }
        let after = snap(&fw, &after_entries, p);
        prop_assert!(after.confidence >= before.confidence - 1e-9);
    }

    #[test]
    fn the_order_of_entries_changes_nothing(entries in arb_entries(), seed in any::<u64>()) {
        let fw = kinds_fw();
        let mut shuffled = entries.clone();
        // A deterministic shuffle from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let a = score_all(&fw, &[EconomyInput { slug: "a".into(), name: "A".into(), entries }], None);
        let b = score_all(&fw, &[EconomyInput { slug: "a".into(), name: "A".into(), entries: shuffled }], None);
        prop_assert_eq!(a, b);
    }
}

#[test]
fn download_cells_are_safe_from_spreadsheet_formulas() {
    assert_eq!(
        safe_csv_cell("=HYPERLINK(\"x\")"),
        "\"'=HYPERLINK(\"\"x\"\")\""
    );
    assert_eq!(safe_csv_cell("+44"), "+44", "a number is left alone");
    assert_eq!(safe_csv_cell("-2.5"), "-2.5");
    assert_eq!(safe_csv_cell("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(safe_csv_cell("-cmd"), "'-cmd");
    assert_eq!(safe_csv_cell("Leeds, York"), "\"Leeds, York\"");
    let fw = example_fw();
    let mut inputs = example_inputs();
    inputs[0].name = "=1+1".into();
    let csv = scores_csv_download(&score_all(&fw, &inputs, None));
    assert!(csv.contains("\n'=1+1,") || csv.contains(",'=1+1,"), "{csv}");
}

proptest::proptest! {
    /// The insertion sort scoring uses orders as the standard library's stable sort does,
    /// equal keys kept in the order they came.
    #[test]
    fn sort_stable_by_is_a_stable_sort(list in proptest::collection::vec((0u8..6, 0u16..1000), 0..60)) {
        let mut ours = list.clone();
        sort_stable_by(&mut ours, |a, b| a.0.cmp(&b.0));
        let mut std = list;
        std.sort_by(|a, b| a.0.cmp(&b.0));
        proptest::prop_assert_eq!(ours, std);
    }
}
