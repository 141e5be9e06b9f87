use super::*;
use proptest::prelude::*;

fn panel(questions: &[(&str, f64)], min_members: u32) -> Panel {
    Panel {
        scale_min: 1,
        scale_max: 5,
        outlier_gap: 2.0,
        min_members,
        questions: questions
            .iter()
            .map(|(c, w)| Question {
                code: c.to_string(),
                title: format!("Question {c}"),
                weight: *w,
                guidance: None,
            })
            .collect(),
    }
}

fn s(member: &str, economy: &str, question: &str, value: i64) -> Score {
    Score {
        member: member.into(),
        economy: economy.into(),
        question: question.into(),
        value,
        submitted: true,
    }
}

#[test]
fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
    assert_eq!(median(&[4, 1, 3, 2]), Some(2.5));
    assert_eq!(median(&[5, 1, 3]), Some(3.0));
    assert_eq!(median(&[]), None);
}

#[test]
fn an_outlier_needs_two_others_and_a_gap_of_at_least_outlier_gap() {
    // Exactly the gap is an outlier; just under is not.
    assert!(is_outlier(5, &[3, 3], 2.0));
    assert!(!is_outlier(5, &[3, 4], 2.0)); // median 3.5, gap 1.5
    assert!(is_outlier(1, &[3, 4], 2.0 + 0.5)); // median 3.5, gap 2.5
    assert!(!is_outlier(1, &[3, 4], 2.6));
    // One other score is never enough.
    assert!(!is_outlier(1, &[5], 2.0));
}

#[test]
fn documents_are_one_a_line_with_every_problem_and_its_line() {
    assert_eq!(
        parse_documents("EPR go-live certificate: seen, signed 3 March 2015\n\n Data sharing agreement : signed by all five partners ").unwrap(),
        vec![
            ("EPR go-live certificate".to_string(), "seen, signed 3 March 2015".to_string()),
            ("Data sharing agreement".to_string(), "signed by all five partners".to_string()),
        ]
    );
    assert_eq!(parse_documents("  \n").unwrap(), Vec::new());
    assert_eq!(
        parse_documents("Board minutes\n: nothing\nAudit report:\nPlan: fine").unwrap_err(),
        vec![
            "Line 1 of the documents has no colon: write the document, a colon, then what the visit found".to_string(),
            "Line 2 of the documents has nothing before the colon: name the document first".to_string(),
            "Line 3 of the documents says nothing after the colon: write what the visit found".to_string(),
        ]
    );
}

#[test]
fn alpha_of_a_hand_computed_case() {
    // Units [1,2] and [3,3]: n = 4. D_o = (1/4)(2·1/1 + 0) = 0.5.
    // All pairable values 1,2,3,3: ordered pair sum = 2(4·23 − 81) = 22; D_e = 22/12.
    // alpha = 1 − 0.5 / (22/12) = 1 − 6/22 = 8/11.
    let a = krippendorff_alpha([&[1i64, 2][..], &[3, 3][..], &[5][..]]).unwrap();
    assert!((a - 8.0 / 11.0).abs() < 1e-12, "{a}");
}

#[test]
fn alpha_is_absent_with_no_pairable_values_or_no_variance() {
    assert_eq!(krippendorff_alpha([&[1i64][..], &[4][..]]), None);
    assert_eq!(krippendorff_alpha(Vec::<&[i64]>::new()), None);
    assert_eq!(krippendorff_alpha([&[3i64, 3][..], &[3, 3, 3][..]]), None);
}

#[test]
fn alpha_is_one_when_every_member_agrees_within_units() {
    let a = krippendorff_alpha([&[1i64, 1, 1][..], &[4, 4][..], &[2, 2][..]]).unwrap();
    assert!((a - 1.0).abs() < 1e-12);
}

#[test]
fn a_conflicted_members_and_drafts_count_for_nothing() {
    let p = panel(&[("Q1", 1.0)], 1);
    let mut draft = s("d", "leeds", "Q1", 1);
    draft.submitted = false;
    let scores = vec![s("a", "leeds", "Q1", 5), s("c", "leeds", "Q1", 1), draft];
    let conflicts: HashSet<_> = [("c".to_string(), "leeds".to_string())].into();
    let r = results("fw", &p, &scores, &conflicts);
    assert_eq!(r.candidates[0].questions[0].mean, Some(5.0));
    assert_eq!(r.candidates[0].questions[0].scores, 1);
    assert_eq!(r.candidates[0].panel_score, Some(100.0));
}

#[test]
fn completeness_needs_min_members_who_scored_every_question() {
    let p = panel(&[("Q1", 2.0), ("Q2", 1.0)], 2);
    let scores = vec![
        s("a", "leeds", "Q1", 5),
        s("a", "leeds", "Q2", 2),
        s("b", "leeds", "Q1", 3),
        // b has not scored Q2: leeds has one full member.
        s("a", "york", "Q1", 4),
        s("a", "york", "Q2", 4),
        s("b", "york", "Q1", 4),
        s("b", "york", "Q2", 4),
    ];
    let r = results("fw", &p, &scores, &HashSet::new());
    let york = &r.candidates[0];
    assert_eq!((york.economy.as_str(), york.rank), ("york", Some(1)));
    assert_eq!(york.members, 2);
    assert_eq!(york.panel_score, Some(75.0));
    let leeds = &r.candidates[1];
    assert_eq!(leeds.status, Completeness::Incomplete);
    assert_eq!(
        (leeds.rank, leeds.panel_score, leeds.members),
        (None, None, 1)
    );
    // The mean takes every counted score, not only full members'.
    assert_eq!(leeds.questions[0].mean, Some(4.0));
}

#[test]
fn ties_are_ranked_by_slug() {
    let p = panel(&[("Q1", 1.0)], 1);
    let scores = vec![s("a", "york", "Q1", 3), s("a", "leeds", "Q1", 3)];
    let r = results("fw", &p, &scores, &HashSet::new());
    let order: Vec<_> = r
        .candidates
        .iter()
        .map(|c| (c.economy.as_str(), c.rank))
        .collect();
    assert_eq!(order, vec![("leeds", Some(1)), ("york", Some(2))]);
}

#[test]
fn every_question_is_listed_with_null_means_where_unscored() {
    let p = panel(&[("Q1", 1.0), ("Q2", 1.0)], 1);
    let r = results("fw", &p, &[s("a", "leeds", "Q2", 3)], &HashSet::new());
    let q = &r.candidates[0].questions;
    assert_eq!(q[0].question, "Q1");
    assert_eq!((q[0].mean, q[0].scores), (None, 0));
    assert_eq!(q[1].mean, Some(3.0));
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["candidates"][0]["rank"].is_null());
    assert!(json["candidates"][0]["questions"][0]["mean"].is_null());
    assert_eq!(json["candidates"][0]["status"], "incomplete");
}

#[test]
fn outliers_are_counted_per_question() {
    let p = panel(&[("Q1", 1.0)], 1);
    let scores = vec![
        s("a", "leeds", "Q1", 1),
        s("b", "leeds", "Q1", 3),
        s("c", "leeds", "Q1", 3),
    ];
    let r = results("fw", &p, &scores, &HashSet::new());
    assert_eq!(r.candidates[0].questions[0].outliers, 1);
}

fn accounts() -> Accounts {
    [
        ("ann@board.nhs.uk".to_string(), true),
        ("bob@board.nhs.uk".to_string(), true),
        ("sue@leeds.nhs.uk".to_string(), false),
    ]
    .into()
}

fn economies() -> HashSet<String> {
    ["leeds".to_string(), "york".to_string()].into()
}

fn lines(problems: Vec<crate::domain::Problem>) -> Vec<String> {
    problems.iter().map(|p| p.display_for("f.csv")).collect()
}

#[test]
fn a_scores_file_is_refused_with_every_problem_on_its_line() {
    let p = panel(&[("P-ONE", 1.0)], 1);
    let conflicts: HashSet<_> = [("bob@board.nhs.uk".to_string(), "york".to_string())].into();
    let file = "member,economy,question,score,comment\n\
        Ann@Board.nhs.uk,leeds,P-ONE,4,Strong\n\
        nobody@x.org,leeds,P-ONE,4,\n\
        sue@leeds.nhs.uk,nowhere,P-TWO,6,\n\
        ann@board.nhs.uk,leeds,P-ONE,3.5,\n\
        bob@board.nhs.uk,york,P-ONE,3,\n";
    let got = lines(
        parse_scores(file.as_bytes(), &p, &accounts(), &economies(), &conflicts).unwrap_err(),
    );
    assert_eq!(
        got,
        vec![
            "f.csv:3: member: \"nobody@x.org\" is not the email of an assessor's or admin's account",
            "f.csv:4: member: \"sue@leeds.nhs.uk\" is a submitter's account; panel members are assessors and admins",
            "f.csv:4: economy: \"nowhere\" is not an economy (import it first)",
            "f.csv:4: question: \"P-TWO\" is not a question of the panel (P-ONE)",
            "f.csv:4: score: 6 is outside the scale 1 to 5",
            "f.csv:5: score: \"3.5\" is not a whole number from 1 to 5",
            "f.csv:5: question: ann@board.nhs.uk already scored \"P-ONE\" for \"leeds\" on line 2",
            "f.csv:6: economy: bob@board.nhs.uk has declared a conflict of interest with \"york\" and cannot score it",
        ]
    );
    let ok = parse_scores(
        "member,economy,question,score,comment\nann@board.nhs.uk,leeds,P-ONE,4,\"Strong, joined up\"\n".as_bytes(),
        &p,
        &accounts(),
        &economies(),
        &conflicts,
    )
    .unwrap();
    assert_eq!(
        (ok[0].score, ok[0].comment.as_str()),
        (4, "Strong, joined up")
    );
}

#[test]
fn a_conflicts_file_needs_staff_economies_and_reasons() {
    let file = "member,economy,reason\nbob@board.nhs.uk,york,Was its finance director until 2012\n\
        sue@leeds.nhs.uk,leeds,\n";
    let got = lines(parse_conflicts(file.as_bytes(), &accounts(), &economies()).unwrap_err());
    assert_eq!(
        got,
        vec![
            "f.csv:3: member: \"sue@leeds.nhs.uk\" is a submitter's account; panel members are assessors and admins",
            "f.csv:3: reason: is empty (say why the member has a conflict of interest)",
        ]
    );
    let wrong = lines(parse_conflicts(b"member,economy\n", &accounts(), &economies()).unwrap_err());
    assert_eq!(
        wrong,
        vec!["f.csv:1: file: the header must be member,economy,reason, found member,economy"]
    );
}

proptest! {
    #[test]
    fn alpha_is_one_for_identical_scores_within_every_unit(
        units in prop::collection::vec((1i64..=5, 2usize..6), 2..12)
    ) {
        let units: Vec<Vec<i64>> = units.iter().map(|&(v, m)| vec![v; m]).collect();
        let alpha = krippendorff_alpha(units.iter().map(Vec::as_slice));
        if let Some(a) = alpha {
            prop_assert!((a - 1.0).abs() < 1e-9);
        } else {
            // No variance anywhere: every unit holds the same score.
            prop_assert!(units.iter().all(|u| u[0] == units[0][0]));
        }
    }

    #[test]
    fn the_panel_score_stays_in_0_to_100(
        values in prop::collection::vec((0usize..4, 0usize..3, 0usize..2, 1i64..=5), 1..60),
        weights in prop::collection::vec(0.1f64..10.0, 2),
    ) {
        let p = panel(&[("Q1", weights[0]), ("Q2", weights[1])], 1);
        let scores: Vec<Score> = values
            .iter()
            .map(|&(m, e, q, v)| s(&format!("m{m}"), &format!("e{e}"), &format!("Q{}", q + 1), v))
            .collect();
        let r = results("fw", &p, &scores, &HashSet::new());
        for c in &r.candidates {
            if let Some(ps) = c.panel_score {
                prop_assert!((0.0..=100.0 + 1e-9).contains(&ps));
            }
        }
        if let Some(a) = r.alpha {
            prop_assert!(a <= 1.0 + 1e-9);
        }
    }

    #[test]
    fn random_scores_agree_far_less_than_identical_ones(
        seed in prop::collection::vec(1i64..=5, 120)
    ) {
        // 40 units of three independent random scores: alpha near 0, never near 1.
        let units: Vec<&[i64]> = seed.chunks(3).collect();
        if let Some(a) = krippendorff_alpha(units) {
            prop_assert!(a < 0.6, "alpha {a}");
        }
    }

    #[test]
    fn a_conflicted_score_never_changes_the_results(
        values in prop::collection::vec((0usize..4, 1i64..=5), 1..12),
        intruder in 1i64..=5,
    ) {
        let p = panel(&[("Q1", 1.0)], 1);
        let mut scores: Vec<Score> = values
            .iter()
            .map(|&(m, v)| s(&format!("m{m}"), "leeds", "Q1", v))
            .collect();
        let conflicts: HashSet<_> = [("x".to_string(), "leeds".to_string())].into();
        let before = results("fw", &p, &scores, &conflicts);
        scores.push(s("x", "leeds", "Q1", intruder));
        prop_assert_eq!(before, results("fw", &p, &scores, &conflicts));
    }
}
