//! The selection panel through the command line (spec/panel.md section 6) on real databases.

use crate::helpers::{
    add_user, example, example_framework, stderr, Browser, TestApp, TestDb, PASSWORD,
};

const PANEL: &str = "
[panel]
outlier_gap = 2
min_members = 2

[[panel.questions]]
code = \"Q-A\"
title = \"Shared vision\"
weight = 2

[[panel.questions]]
code = \"Q-B\"
title = \"Clinical engagement\"
weight = 1
guidance = \"1: told. 5: designed it.\"
";

/// The worked example's framework with a panel, and its economies.
fn panel_framework_db() -> TestDb {
    let db = TestDb::new();
    db.load_framework("framework.toml", &(example_framework() + PANEL));
    db.ok(&[
        "import",
        "economies",
        example("economies.csv").to_str().unwrap(),
    ]);
    db
}

/// The worked example's framework with a panel, its economies, and four board members and
/// one submitter.
fn panel_db() -> TestDb {
    let db = panel_framework_db();
    for (email, role) in [
        ("ann@board.nhs.uk", "assessor"),
        ("bob@board.nhs.uk", "assessor"),
        ("cat@board.nhs.uk", "assessor"),
        ("dan@board.nhs.uk", "admin"),
    ] {
        add_user(&db, email, role, None, PASSWORD);
    }
    add_user(
        &db,
        "sue@leeds.nhs.uk",
        "submitter",
        Some("leeds"),
        PASSWORD,
    );
    db
}

fn results(db: &TestDb) -> serde_json::Value {
    serde_json::from_str(&db.ok(&["panel", "results"])).unwrap()
}

fn close(a: &serde_json::Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn a_paper_round_typed_up_gives_the_specified_results() {
    let db = panel_db();
    // Dan scores york before declaring a conflict with it: from then on he counts for nothing.
    let scores = db.write(
        "scores.csv",
        "member,economy,question,score,comment\n\
         ann@board.nhs.uk,leeds,Q-A,5,Joint board with named leaders\n\
         ann@board.nhs.uk,leeds,Q-B,4,\n\
         bob@board.nhs.uk,leeds,Q-A,4,\n\
         bob@board.nhs.uk,leeds,Q-B,4,\n\
         cat@board.nhs.uk,leeds,Q-A,2,\n\
         cat@board.nhs.uk,leeds,Q-B,3,\n\
         ann@board.nhs.uk,york,Q-A,2,\n\
         ann@board.nhs.uk,york,Q-B,2,\n\
         bob@board.nhs.uk,york,Q-A,2,\n\
         bob@board.nhs.uk,york,Q-B,1,\n\
         DAN@board.nhs.uk,york,Q-A,5,\n\
         dan@board.nhs.uk,york,Q-B,5,\n\
         cat@board.nhs.uk,hull,Q-A,4,\n",
    );
    let out = db.run(&["import", "panel-scores", &scores]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim(),
        "imported 13 panel scores (13 new, 0 replaced, 0 unchanged)"
    );
    let conflicts = db.write(
        "conflicts.csv",
        "member,economy,reason\ndan@board.nhs.uk,york,Was York's finance director until 2012\n",
    );
    db.ok(&["import", "panel-conflicts", &conflicts]);

    let r = results(&db);
    assert_eq!(r["framework"], "example");
    assert_eq!(r["scale"], serde_json::json!({"min": 1, "max": 5}));
    // Units leeds/Q-A [5,4,2], leeds/Q-B [4,4,3], york/Q-A [2,2], york/Q-B [2,1]; hull's one
    // score is not pairable: D_o = 9/5, D_e = 149/45, alpha = 68/149.
    assert!(close(&r["alpha"], 68.0 / 149.0), "{}", r["alpha"]);
    let c = r["candidates"].as_array().unwrap();
    let order: Vec<&str> = c.iter().map(|c| c["economy"].as_str().unwrap()).collect();
    assert_eq!(order, ["leeds", "york", "hull"]);
    assert_eq!(c[0]["rank"], 1);
    assert_eq!(c[0]["status"], "complete");
    assert_eq!(c[0]["members"], 3);
    assert!(
        close(&c[0]["panel_score"], 200.0 / 3.0),
        "{}",
        c[0]["panel_score"]
    );
    let qa = &c[0]["questions"][0];
    assert_eq!(qa["question"], "Q-A");
    assert!(close(&qa["mean"], 11.0 / 3.0));
    // ann's 5 against the median 3 of 4 and 2: a gap of exactly 2 is an outlier; so is cat's 2.
    assert_eq!(
        (qa["scores"].as_u64(), qa["outliers"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(c[1]["rank"], 2);
    assert_eq!(c[1]["members"], 2);
    assert!(
        close(&c[1]["panel_score"], 62.5 / 3.0),
        "{}",
        c[1]["panel_score"]
    );
    assert!(close(&c[1]["questions"][1]["mean"], 1.5));
    assert_eq!(c[2]["status"], "incomplete");
    assert!(c[2]["rank"].is_null() && c[2]["panel_score"].is_null());
    assert_eq!(c[2]["members"], 0);
    assert!(c[2]["questions"][1]["mean"].is_null());

    let csv = db.ok(&["panel", "results", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "economy,rank,status,panel_score,members,mean:Q-A,scores:Q-A,outliers:Q-A,mean:Q-B,scores:Q-B,outliers:Q-B"
    );
    assert_eq!(lines[3], "hull,,incomplete,,0,4,1,0,,0,0");

    // A later import replaces the member's scores for the pairs it names, and keeps the old.
    let again = db.write(
        "again.csv",
        "member,economy,question,score,comment\n\
         cat@board.nhs.uk,leeds,Q-A,4,Changed after the site visit\n\
         ann@board.nhs.uk,leeds,Q-B,4,\n",
    );
    let out = db.run(&["import", "panel-scores", &again]);
    assert_eq!(
        stderr(&out).trim(),
        "imported 2 panel scores (0 new, 1 replaced, 1 unchanged)"
    );
    let r = results(&db);
    assert!(close(
        &r["candidates"][0]["questions"][0]["mean"],
        13.0 / 3.0
    ));
    assert_eq!(r["candidates"][0]["questions"][0]["outliers"], 0);
}

#[test]
fn panel_files_are_refused_whole_with_every_problem_on_its_line() {
    let db = panel_db();
    let conflicts = db.write(
        "conflicts.csv",
        "member,economy,reason\nbob@board.nhs.uk,york,Sits on its board\n",
    );
    db.ok(&["import", "panel-conflicts", &conflicts]);
    let scores = db.write(
        "scores.csv",
        "member,economy,question,score,comment\n\
         ann@board.nhs.uk,leeds,Q-A,4,\n\
         nobody@board.nhs.uk,leeds,Q-A,4,\n\
         sue@leeds.nhs.uk,leeds,Q-B,4,\n\
         ann@board.nhs.uk,nowhere,Q-C,9,\n\
         ann@board.nhs.uk,leeds,Q-A,four,\n\
         bob@board.nhs.uk,york,Q-A,3,\n",
    );
    let out = db.run(&["import", "panel-scores", &scores]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        format!("{scores}:3: member: \"nobody@board.nhs.uk\" is not the email of an assessor's or admin's account"),
        format!("{scores}:4: member: \"sue@leeds.nhs.uk\" is a submitter's account; panel members are assessors and admins"),
        format!("{scores}:5: economy: \"nowhere\" is not an economy (import it first)"),
        format!("{scores}:5: question: \"Q-C\" is not a question of the panel (Q-A, Q-B)"),
        format!("{scores}:5: score: 9 is outside the scale 1 to 5"),
        format!("{scores}:6: score: \"four\" is not a whole number from 1 to 5"),
        format!("{scores}:6: question: ann@board.nhs.uk already scored \"Q-A\" for \"leeds\" on line 2"),
        format!("{scores}:7: economy: bob@board.nhs.uk has declared a conflict of interest with \"york\" and cannot score it"),
        format!("exemplar: {scores} refused: 8 problems; nothing was stored"),
    ] {
        assert!(err.contains(&line), "{line}\nnot in\n{err}");
    }
    // Nothing was stored: no candidate has a score.
    assert_eq!(results(&db)["candidates"], serde_json::json!([]));
    assert!(results(&db)["alpha"].is_null());

    let bad = db.write("bad.csv", "member,economy,reason\nann@board.nhs.uk,york,\n");
    let out = db.run(&["import", "panel-conflicts", &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&format!(
        "{bad}:2: reason: is empty (say why the member has a conflict of interest)"
    )));
}

#[test]
fn without_a_panel_results_exit_1_and_scores_are_refused() {
    let db = TestDb::new();
    db.load_example();
    let out = db.run(&["panel", "results"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("the active framework example has no selection panel"),
        "{}",
        stderr(&out)
    );
    let scores = db.write("s.csv", "member,economy,question,score,comment\n");
    let out = db.run(&["import", "panel-scores", &scores]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&format!(
        "{scores}:1: file: the active framework example has no selection panel"
    )));
}

#[test]
fn a_framework_with_a_bad_panel_is_refused_with_its_key_paths() {
    let db = TestDb::new();
    let framework = example_framework()
        + "\n[panel]\nscale_min = 3\nscale_max = 2\n[[panel.questions]]\ncode = \"Q-A\"\nweight = 0\n";
    let file = db.write("framework.toml", &framework);
    let out = db.run(&["framework", "load", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        format!("{file}: panel.scale_max: must be greater than scale_min (3), found 2"),
        format!("{file}: panel.questions[1].title: required"),
        format!("{file}: panel.questions[1].weight: must be greater than 0, found 0"),
    ] {
        assert!(err.contains(&line), "{line}\nnot in\n{err}");
    }
}

/// Board staff signed in to the running app, one browser each.
async fn staff(app: &TestApp, people: &[(&str, &str)]) -> Vec<Browser> {
    let mut out = Vec::new();
    for (email, secret) in people {
        out.push(Browser::staff(app, email, secret).await);
    }
    out
}

fn sheet<'a>(a: &'a str, b: &'a str, action: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("score-Q-A", a),
        ("comment-Q-A", "Joint board with named leaders"),
        ("score-Q-B", b),
        ("comment-Q-B", ""),
        ("action", action),
    ]
}

/// The panel's framework and economies, and an admin (Ada) and three assessors (Ann, Bob,
/// Cat) signed in to the running app; `today` is the programme's day.
async fn signed_in(today: Option<&str>) -> (TestApp, Vec<Browser>) {
    let db = panel_framework_db();
    let mut keys = Vec::new();
    for (email, role) in [
        ("ada@board.nhs.uk", "admin"),
        ("ann@board.nhs.uk", "assessor"),
        ("bob@board.nhs.uk", "assessor"),
        ("cat@board.nhs.uk", "assessor"),
    ] {
        keys.push((email, add_user(&db, email, role, None, PASSWORD).unwrap()));
    }
    let app = TestApp::spawn(db, today).await;
    let people: Vec<(&str, &str)> = keys.iter().map(|(e, k)| (*e, k.as_str())).collect();
    let b = staff(&app, &people).await;
    (app, b)
}

#[tokio::test]
async fn a_round_through_the_pages_is_blind_until_submitted_and_closes_only_when_answered() {
    let (app, b) = signed_in(None).await;
    let (ada, ann, bob, cat) = (&b[0], &b[1], &b[2], &b[3]);

    // Nothing to score before a shortlist; then the admin opens the round.
    let p = ada
        .post(
            "/admin/panel",
            &[("action", "open"), ("member", "ann@board.nhs.uk")],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Choose at least 2 members"), "{}", p.body);
    assert!(p.body.contains("No economy is shortlisted"));
    shortlist_and_open(ada).await;

    // Bob declares a conflict with York: he sees its panel nowhere.
    let p = bob
        .post(
            "/assess/panel",
            &[
                ("action", "declare"),
                ("economy", "york"),
                ("reason", "Sat on its board until 2013"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(bob.get("/assess/panel/york").await.status, 404);
    let round = bob.get("/assess/panel").await.body;
    assert!(round.contains("/assess/panel/leeds") && !round.contains("/assess/panel/york"));

    // Ann drafts, cannot submit before her declaration, then submits.
    assert_eq!(
        ann.post("/assess/panel/leeds", &sheet("5", "", "save"))
            .await
            .status,
        303
    );
    let p = ann
        .post("/assess/panel/leeds", &sheet("5", "4", "submit"))
        .await;
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains("Confirm your declaration of interests"),
        "{}",
        p.body
    );
    for who in [ann, bob, cat] {
        assert_eq!(
            who.post(
                "/assess/panel",
                &[("action", "confirm"), ("declared", "yes")]
            )
            .await
            .status,
            303
        );
    }
    assert_eq!(
        ann.post("/assess/panel/leeds", &sheet("5", "4", "submit"))
            .await
            .status,
        303
    );

    // Cat has not submitted: no page or server function shows her Ann's scores.
    let page = cat.get("/assess/panel/leeds").await.body;
    assert!(
        page.contains("Submit scores") && !page.contains("ann@board.nhs.uk"),
        "{page}"
    );
    assert!(page.contains("stay hidden until you submit"));
    let fn_body = cat
        .post("/_fn/panel-sheet", &[("slug", "leeds")])
        .await
        .body;
    assert!(
        fn_body.contains("\"shown\":false") && !fn_body.contains("ann@board.nhs.uk"),
        "{fn_body}"
    );

    // Bob and Cat submit: Ann's 5 and Cat's 2 are outliers (median 3 and 4.5 of the others).
    assert_eq!(
        bob.post("/assess/panel/leeds", &sheet("4", "4", "submit"))
            .await
            .status,
        303
    );
    assert_eq!(
        cat.post("/assess/panel/leeds", &sheet("2", "3", "submit"))
            .await
            .status,
        303
    );
    let page = cat.get("/assess/panel/leeds").await.body;
    assert!(
        page.contains("ann@board.nhs.uk") && page.contains("Outlier"),
        "{page}"
    );
    // A submitted sheet changes only through moderation.
    assert_eq!(
        cat.post("/assess/panel/leeds", &sheet("3", "3", "submit"))
            .await
            .status,
        422
    );

    // The round cannot close while an outlier is unanswered.
    let p = ada.post("/admin/panel", &[("action", "close")]).await;
    assert_eq!(p.status, 422);
    assert!(
        p.body
            .contains("ann@board.nhs.uk&#x27;s score for Q-A of leeds is an outlier")
            || p.body
                .contains("ann@board.nhs.uk's score for Q-A of leeds is an outlier"),
        "{}",
        p.body
    );
    let p = ann
        .post(
            "/assess/panel/leeds",
            &[("action", "justify"), ("question", "Q-A"), ("reason", "")],
        )
        .await;
    assert_eq!(p.status, 422);
    let p = ann
        .post(
            "/assess/panel/leeds",
            &[
                ("action", "justify"),
                ("question", "Q-A"),
                ("reason", "The site visit showed one shared record in use"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let p = cat
        .post(
            "/assess/panel/leeds",
            &[
                ("action", "change"),
                ("question", "Q-A"),
                ("score", "3"),
                ("reason", "I had missed the joint board"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = ada.get("/assess/panel/leeds").await.body;
    assert!(
        page.contains("Changed from 2 to 3") && page.contains("I had missed the joint board"),
        "{page}"
    );
    assert_eq!(
        ada.post("/admin/panel", &[("action", "close")])
            .await
            .status,
        303
    );
    // Once closed, a score no longer changes, and the member is told why.
    let p = cat
        .post(
            "/assess/panel/leeds",
            &[
                ("action", "change"),
                ("question", "Q-B"),
                ("score", "4"),
                ("reason", "Second thoughts"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = cat.get("/assess/panel/leeds").await.body;
    assert!(
        page.contains("Not done: scores change only while the round is open."),
        "{page}"
    );
    let admin_page = ada.get("/admin/panel").await.body;
    assert!(admin_page.contains("Closed on"), "{admin_page}");
    assert!(
        admin_page.contains("Agreement (Krippendorff"),
        "{admin_page}"
    );

    // The results through the command line match the round.
    let r = results(&app.db);
    let leeds = &r["candidates"][0];
    assert_eq!(leeds["economy"], "leeds");
    assert_eq!(leeds["members"], 3);
    assert!(close(&leeds["questions"][0]["mean"], 4.0));
    let csv = ada.get("/admin/panel.csv").await;
    assert_eq!(csv.status, 200);
    assert!(csv
        .body
        .starts_with("\u{feff}economy,rank,status,panel_score,members"));

    // A decision after the round keeps its results; made public, it shows the panel score
    // and the agreement, never a member's own scores.
    let p = ada
        .post(
            "/assess/shortlist",
            &[
                ("action", "decide"),
                ("economy", "leeds"),
                ("outcome", "selected"),
                ("rationale", "Ranked first by the panel"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let pool = app.db.pool().await;
    let decision = app::db::decisions(&pool)
        .await
        .unwrap()
        .into_iter()
        .last()
        .unwrap();
    let record: serde_json::Value = serde_json::from_str(&decision.scores).unwrap();
    assert_eq!(record["panel"]["members"], 3);
    assert!(record["panel"]["alpha"].is_number());
    let id = decision.id.to_string();
    assert_eq!(
        ada.post("/assess/shortlist", &[("action", "publish"), ("id", &id)])
            .await
            .status,
        303
    );
    let public = Browser::new(&app).get("/economies/leeds").await.body;
    assert!(public.contains("Selection panel score"), "{public}");
    assert!(public.contains("Krippendorff"));
    assert!(
        !public.contains("ann@board.nhs.uk") && !public.contains("I had missed the joint board")
    );
}

#[tokio::test]
async fn the_demo_holds_a_closed_round_with_a_conflict_a_justified_outlier_and_a_site_visit() {
    let db = TestDb::new();
    db.ok(&["demo"]);
    let r = results(&db);
    assert_eq!(r["framework"], "exemplar-2015");
    let c = r["candidates"].as_array().unwrap();
    assert_eq!(c.len(), 3);
    assert!(c
        .iter()
        .all(|c| c["status"] == "complete" && c["members"] == 3));
    assert!(r["alpha"].is_number());
    let outliers: u64 = c
        .iter()
        .flat_map(|c| c["questions"].as_array().unwrap())
        .map(|q| q["outliers"].as_u64().unwrap())
        .sum();
    assert_eq!(outliers, 1);
    let pool = db.pool().await;
    let visits = app::panel::visits::all(&pool, "exemplar-2015")
        .await
        .unwrap();
    assert_eq!(visits.len(), 1);
    let v = &visits[0];
    assert!(
        v.reported() && v.findings.len() == 6 && v.documents.len() == 3,
        "{v:?}"
    );
    assert_eq!((v.on.as_str(), v.members.len()), ("2015-03-27", 2));
}

/// `signed_in` with Leeds and York shortlisted and the round open with the three
/// assessors.
async fn open_round(today: &str) -> (TestApp, Vec<Browser>) {
    let (app, b) = signed_in(Some(today)).await;
    shortlist_and_open(&b[0]).await;
    (app, b)
}

/// The admin shortlists Leeds and York and opens the round with the three assessors.
async fn shortlist_and_open(admin: &Browser) {
    for slug in ["leeds", "york"] {
        let p = admin
            .post(
                "/assess/shortlist",
                &[
                    ("action", "decide"),
                    ("economy", slug),
                    ("outcome", "shortlisted"),
                    ("rationale", "Strong verified record"),
                ],
            )
            .await;
        assert_eq!(p.status, 303);
    }
    let members = [
        ("action", "open"),
        ("member", "ann@board.nhs.uk"),
        ("member", "bob@board.nhs.uk"),
        ("member", "cat@board.nhs.uk"),
    ];
    assert_eq!(admin.post("/admin/panel", &members).await.status, 303);
}

#[tokio::test]
async fn a_site_visit_is_scheduled_reported_and_shown_to_members_before_they_submit() {
    let (app, b) = open_round("2015-03-20").await;
    let (ada, ann, bob) = (&b[0], &b[1], &b[2]);
    let p = bob
        .post(
            "/assess/panel",
            &[
                ("action", "declare"),
                ("economy", "york"),
                ("reason", "Sat on its board until 2013"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let visit = |day: &'static str, month: &'static str, who: &'static str, scope: &'static str| {
        vec![
            ("action", "schedule"),
            ("visit-day", day),
            ("visit-month", month),
            ("visit-year", "2015"),
            ("member", who),
            ("scope", scope),
        ]
    };

    // Every problem of the form, each said plainly.
    let p = ada
        .post("/admin/panel/leeds", &visit("19", "3", "", ""))
        .await;
    assert_eq!(p.status, 422);
    for m in [
        "The date of the visit must be today or later (today is 20 March 2015)",
        "Choose the members who go on the visit",
        "Say what the visit will look at",
    ] {
        assert!(p.body.contains(m), "{m} not in {}", p.body);
    }
    let p = ada
        .post(
            "/admin/panel/leeds",
            &visit("20", "", "ann@board.nhs.uk", "Wards"),
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("The date must include a month"));
    // A member with a conflict cannot go.
    let p = ada
        .post(
            "/admin/panel/york",
            &visit("30", "3", "bob@board.nhs.uk", "Wards"),
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("bob@board.nhs.uk cannot go"), "{}", p.body);

    // Leeds is visited today, York on 30 March.
    let p = ada
        .post(
            "/admin/panel/leeds",
            &visit("20", "3", "ann@board.nhs.uk", "The shared record on a ward"),
        )
        .await;
    assert_eq!(p.status, 303);
    let p = ada
        .post(
            "/admin/panel/york",
            &visit("30", "3", "cat@board.nhs.uk", "The GP record"),
        )
        .await;
    assert_eq!(p.status, 303);
    let round = ada.get("/admin/panel").await.body;
    assert!(
        round.contains("site visit on 20 March 2015, findings not recorded yet"),
        "{round}"
    );
    // York's findings wait for its day.
    let p = ada
        .post(
            "/admin/panel/york",
            &[
                ("action", "findings"),
                ("finding-Q-A", "Seen"),
                ("finding-Q-B", "Seen"),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(
        p.body
            .contains("The visit is on 30 March 2015: record its findings on that day or later"),
        "{}",
        p.body
    );

    // Ann sees the visit on her sheet and cannot submit before its findings.
    for who in &b[1..] {
        let confirmed = who
            .post(
                "/assess/panel",
                &[("action", "confirm"), ("declared", "yes")],
            )
            .await;
        assert_eq!(confirmed.status, 303);
    }
    let page = ann.get("/assess/panel/leeds").await.body;
    assert!(
        page.contains("Site visit") && page.contains("Findings not recorded yet"),
        "{page}"
    );
    let p = ann
        .post("/assess/panel/leeds", &sheet("4", "4", "submit"))
        .await;
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains(
            "The site visit to Leeds health and care economy on 20 March 2015 has no findings yet"
        ),
        "{}",
        p.body
    );
    // Bob, with a conflict with York, sees nothing of York's visit.
    assert_eq!(bob.get("/assess/panel/york").await.status, 404);

    // The findings: every question, and every bad document line with its number.
    let p = ada
        .post(
            "/admin/panel/leeds",
            &[
                ("action", "findings"),
                ("finding-Q-A", "One plan, agreed by every board"),
                ("finding-Q-B", ""),
                ("documents", "Data sharing agreement: signed\nBoard minutes"),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p
        .body
        .contains("Say what the visit found for Clinical engagement"));
    assert!(p
        .body
        .contains("Line 2 of the documents has no colon: write the document, a colon, then what the visit found"));
    let p = ada
        .post(
            "/admin/panel/leeds",
            &[
                ("action", "findings"),
                ("finding-Q-A", "One plan, agreed by every board"),
                ("finding-Q-B", "Clinicians led the ward demonstration"),
                (
                    "documents",
                    "Data sharing agreement: signed by all partners",
                ),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = ann.get("/assess/panel/leeds").await.body;
    for m in [
        "The site visit found: Clinicians led the ward demonstration",
        "Data sharing agreement",
        "signed by all partners",
    ] {
        assert!(page.contains(m), "{m} not in {page}");
    }
    assert_eq!(
        ann.post("/assess/panel/leeds", &sheet("4", "4", "submit"))
            .await
            .status,
        303
    );
    // Once reported, the visit no longer moves; the admin is told why.
    let p = ada
        .post(
            "/admin/panel/leeds",
            &visit("21", "3", "ann@board.nhs.uk", "Again"),
        )
        .await;
    assert_eq!(p.status, 303);
    let page = ada.get("/admin/panel/leeds").await.body;
    assert!(
        page.contains("Not done: the visit&#x27;s findings are recorded")
            || page.contains("Not done: the visit's findings are recorded"),
        "{page}"
    );

    // The audit log keeps every step.
    let pool = app.db.pool().await;
    let summaries: Vec<String> = app::db::audit_all(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.summary)
        .collect();
    for m in [
        "scheduled a site visit to Leeds health and care economy on 20 March 2015 with ann@board.nhs.uk",
        "recorded the findings of the site visit to Leeds health and care economy of 20 March 2015 (1 documents checked)",
    ] {
        assert!(
            summaries.iter().any(|s| s.contains(m)),
            "{m} not in {summaries:?}"
        );
    }
}
