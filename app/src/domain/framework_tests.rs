use super::*;

const EXAMPLE: &str = include_str!("../../../fixtures/example/framework.toml");

fn problems(text: &str) -> Vec<String> {
    Framework::from_toml(text)
        .unwrap_err()
        .iter()
        .map(|p| p.display_for("f.toml"))
        .collect()
}

#[test]
fn loads_the_worked_example() {
    let fw = Framework::from_toml(EXAMPLE).unwrap();
    assert_eq!(fw.code, "example");
    assert_eq!(fw.themes.len(), 2);
    assert_eq!(fw.criteria.len(), 4);
    assert_eq!(fw.criteria[3].kind, Kind::Level(5));
    assert_eq!(fw.calendar, Calendar::default());
    assert_eq!(fw.paperless_milestone().code, "paperless");
    let shares: f64 = fw.shares().iter().sum();
    assert!((shares - 1.0).abs() < 1e-12);
}

#[test]
fn loads_the_default_framework() {
    let fw = Framework::from_toml(include_str!("../../../frameworks/exemplar-2015.toml")).unwrap();
    assert_eq!(fw.code, "exemplar-2015");
    assert!(fw.criteria.iter().any(|c| c.gate));
    assert!(fw.milestone("epr-operational").is_some());
    assert!(!fw.benefits.is_empty());
}

#[test]
fn lists_every_problem_with_its_key_path() {
    let text = EXAMPLE
        .replace("target = 5\n", "")
        .replace("weight = 1.0\nstage = 2\n\n[[criteria]]\ncode = \"GP2GP\"", "weight = 0\nstage = 9\n\n[[criteria]]\ncode = \"GP2GP\"")
        + "\n[[criteria]]\ncode = \"X\"\ntheme = \"nope\"\ntitle = \"t\"\nkind = \"boolean\"\ntarget = 1\nweight = 1\ncolour = \"red\"\n";
    let p = problems(&text);
    assert!(
        p.contains(&"f.toml: criteria[4].target: required for kind \"level\"".to_string()),
        "{p:?}"
    );
    assert!(
        p.contains(&"f.toml: criteria[2].weight: must be greater than 0, found 0".to_string()),
        "{p:?}"
    );
    assert!(
        p.contains(
            &"f.toml: criteria[2].stage: must be an integer from 1 to 7, found 9".to_string()
        ),
        "{p:?}"
    );
    assert!(
        p.contains(
            &"f.toml: criteria[5].theme: \"nope\" is not a theme of this framework".to_string()
        ),
        "{p:?}"
    );
    assert!(
        p.contains(&"f.toml: criteria[5].target: does not apply to kind \"boolean\"".to_string()),
        "{p:?}"
    );
    assert!(
        p.contains(&"f.toml: criteria[5].colour: unknown key (check its spelling)".to_string()),
        "{p:?}"
    );
    assert_eq!(p.len(), 6, "{p:?}");
}

#[test]
fn refuses_syntax_errors_with_a_line() {
    let p = problems("code = \"x\"\nname = \n");
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("f.toml:2: file: not valid TOML"), "{p:?}");
}

#[test]
fn needs_exactly_one_paperless_milestone_and_criteria_in_every_theme() {
    let text = EXAMPLE.replace("paperless = true\n", "")
        + "\n[[themes]]\ncode = \"empty\"\nname = \"Empty\"\nweight = 1\n";
    let p = problems(&text);
    assert!(
        p.iter()
            .any(|l| l.starts_with("f.toml: milestones: exactly one")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("f.toml: themes[3]: theme \"empty\" has no criteria")),
        "{p:?}"
    );
}

#[test]
fn dates_may_be_toml_dates_or_strings() {
    let text = EXAMPLE.replace("date = \"2014-04-01\"", "date = 2014-04-01");
    let fw = Framework::from_toml(&text).unwrap();
    assert_eq!(
        fw.milestones[0].date,
        NaiveDate::from_ymd_opt(2014, 4, 1).unwrap()
    );
    let bad = EXAMPLE.replace("date = \"2014-04-01\"", "date = \"1 April 2014\"");
    assert_eq!(
        problems(&bad),
        ["f.toml: milestones[1].date: \"1 April 2014\" is not a date (YYYY-MM-DD)"]
    );
}

#[test]
fn benefit_codes_must_not_clash_with_criteria() {
    let text = format!("{EXAMPLE}\n[[benefits]]\ncode = \"GP2GP\"\ntitle = \"t\"\nunit = \"u\"\nbetter = \"sideways\"\n");
    let p = problems(&text);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].contains("benefits[1].code: \"GP2GP\" is already a criterion's code"));
    assert!(p[1].contains("benefits[1].better: \"sideways\" must be higher or lower"));
}

#[test]
fn round_trips_through_json() {
    let fw = Framework::from_toml(EXAMPLE).unwrap();
    let json = serde_json::to_string(&fw).unwrap();
    assert!(json.contains("\"kind\":\"level\",\"target\":5"), "{json}");
    let back: Framework = serde_json::from_str(&json).unwrap();
    assert_eq!(back, fw);
}

#[test]
fn the_default_framework_has_a_panel_that_fits_the_call() {
    let fw = Framework::from_toml(include_str!("../../../frameworks/exemplar-2015.toml")).unwrap();
    let panel = fw.panel.expect("the default framework has a panel");
    assert!((4..=6).contains(&panel.questions.len()));
    assert_eq!(
        (panel.scale_min, panel.scale_max, panel.min_members),
        (1, 5, 3)
    );
    assert!(panel.questions.iter().all(|q| q.guidance.is_some()));
}

#[test]
fn a_panel_takes_its_defaults_and_is_optional() {
    assert_eq!(Framework::from_toml(EXAMPLE).unwrap().panel, None);
    let text = format!(
        "{EXAMPLE}\n[panel]\n[[panel.questions]]\ncode = \"P-ONE\"\ntitle = \"One\"\nweight = 2\n"
    );
    let panel = Framework::from_toml(&text).unwrap().panel.unwrap();
    assert_eq!((panel.scale_min, panel.scale_max), (1, 5));
    assert_eq!((panel.outlier_gap, panel.min_members), (2.0, 3));
    assert_eq!(panel.questions[0].weight, 2.0);
    assert_eq!(panel.questions[0].guidance, None);
}

#[test]
fn lists_every_problem_of_a_panel() {
    let text = format!(
        "{EXAMPLE}\n[panel]\nscale_min = 5\nscale_max = 5\noutlier_gap = 0\nmin_members = 0\ncolour = 1\n\
         [[panel.questions]]\ncode = \"GP2GP\"\ntitle = \"t\"\nweight = 1\n\
         [[panel.questions]]\ncode = \"p-low\"\ntitle = \"t\"\nweight = -1\nextra = 1\n\
         [[panel.questions]]\ncode = \"P-A\"\ntitle = \"t\"\nweight = 1\n\
         [[panel.questions]]\ncode = \"P-A\"\nweight = 1\n"
    );
    let p = problems(&text);
    for expected in [
        "f.toml: panel.colour: unknown key (check its spelling)",
        "f.toml: panel.scale_max: must be greater than scale_min (5), found 5",
        "f.toml: panel.outlier_gap: must be greater than 0, found 0",
        "f.toml: panel.min_members: must be an integer of 1 or more, found 0",
        "f.toml: panel.questions[1].code: \"GP2GP\" is already a criterion's code",
        "f.toml: panel.questions[2].code: \"p-low\" must be upper-case letters, digits and hyphens",
        "f.toml: panel.questions[2].weight: must be greater than 0, found -1",
        "f.toml: panel.questions[2].extra: unknown key (check its spelling)",
        "f.toml: panel.questions[4].code: \"P-A\" is used twice",
        "f.toml: panel.questions[4].title: required",
    ] {
        assert!(p.contains(&expected.to_string()), "{expected} not in {p:?}");
    }
    let none = problems(&format!("{EXAMPLE}\n[panel]\nscale_min = 1.5\n"));
    assert!(
        none.contains(
            &"f.toml: panel.questions: at least one question is required ([[panel.questions]])"
                .to_string()
        ),
        "{none:?}"
    );
    assert!(
        none.contains(&"f.toml: panel.scale_min: must be an integer, found float".to_string()),
        "{none:?}"
    );
}

#[test]
fn checks_load_with_their_wording() {
    let text = EXAMPLE.to_string()
        + "\n[[criteria.checks]]\nrule = \"max-change\"\namount = 2\nmessage = \"Levels rarely move by more than two in a quarter.\"\n\n[[criteria.checks]]\nrule = \"no-fall\"\nmessage = \"A level rarely falls.\"\n\n[[criteria.checks]]\nrule = \"range\"\nmin = 1\nmessage = \"Level 0 is unusual.\"\n";
    let fw = Framework::from_toml(&text).unwrap();
    let last = fw.criteria.last().unwrap();
    assert_eq!(
        last.checks.iter().map(|c| c.rule).collect::<Vec<_>>(),
        vec![
            crate::domain::checks::Rule::MaxChange { amount: 2.0 },
            crate::domain::checks::Rule::NoFall,
            crate::domain::checks::Rule::Range {
                min: Some(1.0),
                max: None
            },
        ]
    );
    assert_eq!(
        last.checks[0].message,
        "Levels rarely move by more than two in a quarter."
    );
    // Stored as JSON and read back the same; a criterion without checks stores no key.
    let json = serde_json::to_string(&fw).unwrap();
    assert_eq!(serde_json::from_str::<Framework>(&json).unwrap(), fw);
    assert_eq!(json.matches("\"checks\"").count(), 1);
}

#[test]
fn checks_list_every_problem() {
    // The example's last criterion is a level (target 5), its third a boolean.
    let text = EXAMPLE.to_string()
+ "\n[[criteria.checks]]\nrule = \"max-change\"\namount = 0\nmin = 3\ncolour = \"red\"\nmessage = \"m\"\n\n[[criteria.checks]]\nrule = \"range\"\nmin = 4\nmax = 9\nmessage = \"\"\n\n[[criteria.checks]]\nrule = \"range\"\nmessage = \"m\"\n\n[[criteria.checks]]\nrule = \"drift\"\nmessage = \"m\"\n\n[[criteria.checks]]\nmessage = \"m\"\n";
    let p = problems(&text);
    for want in [
        "f.toml: criteria[4].checks[1].amount: must be greater than 0, found 0",
        "f.toml: criteria[4].checks[1].min: does not apply to rule \"max-change\"",
        "f.toml: criteria[4].checks[1].colour: unknown key (check its spelling)",
        "f.toml: criteria[4].checks[2].message: must not be empty",
        "f.toml: criteria[4].checks[2].max: must be from 0 to 5, found 9",
        "f.toml: criteria[4].checks[3]: a range needs min, max or both",
        "f.toml: criteria[4].checks[4].rule: \"drift\" must be max-change, no-fall or range",
        "f.toml: criteria[4].checks[5].rule: required",
    ] {
        assert!(p.contains(&want.to_string()), "missing {want}: {p:?}");
    }
    assert_eq!(p.len(), 8, "{p:?}");
    // A rule that does not fit the kind, and min above max.
    let boolean = EXAMPLE.replacen(
        "\n[[criteria]]\ncode = \"CONNECT\"",
        "\n[[criteria.checks]]\nrule = \"range\"\nmax = 50\nmessage = \"m\"\n\n[[criteria]]\ncode = \"CONNECT\"",
        1,
    ) + "\n[[criteria.checks]]\nrule = \"range\"\nmin = 4\nmax = 2\nmessage = \"m\"\n";
    let p = problems(&boolean);
    assert!(
        p.iter()
            .any(|m| m.contains("checks[1].rule: \"range\" does not apply to kind \"boolean\"")),
        "{p:?}"
    );
    assert!(
        p.contains(
            &"f.toml: criteria[4].checks[1].min: must not be above max (4 is above 2)".to_string()
        ),
        "{p:?}"
    );
}
