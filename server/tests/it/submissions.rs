//! Quarter submissions (issue 7): drafts and submitted values, evidence documents and links,
//! lateness, concurrent edits, the CSV upload as drafts, an economy's own downloads, member
//! organisations, colleagues and reminders. Through HTTP like a browser, checked in the
//! database and through the scores the command line prints.

use crate::helpers::{
    add_user, example_framework, file, form, post_multipart, token_sent_to, version_of, Browser,
    TestApp, TestDb, PASSWORD, PDF,
};
use reqwest::multipart::Form;
use sqlx::Row;

/// The worked example with evidence rules: EPR-ACUTE needs a document, NHS-NUMBER a link.
fn framework() -> String {
    example_framework()
        .replace(
            "code = \"EPR-ACUTE\"",
            "code = \"EPR-ACUTE\"\nevidence = \"document\"",
        )
        .replace(
            "code = \"NHS-NUMBER\"",
            "code = \"NHS-NUMBER\"\nevidence = \"link\"",
        )
}

struct Setup {
    app: TestApp,
    pool: app::db::Pool,
    assessor: String,
}

/// York and Leeds with a submitter each, an assessor, and the service's today fixed. (A
/// second York submitter, kim, is added by the tests about colleagues: with two, York's
/// quarters need its lead's sign-off before they are submitted.)
async fn setup(today: &str) -> Setup {
    let db = TestDb::new();
    db.load_example();
    db.load_framework("framework.toml", &framework());
    add_user(&db, "sam@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    add_user(
        &db,
        "lee@leeds.nhs.uk",
        "submitter",
        Some("leeds"),
        PASSWORD,
    );
    let assessor = add_user(&db, "ann@board.nhs.uk", "assessor", None, PASSWORD).unwrap();
    let app = TestApp::spawn(db, Some(today)).await;
    let pool = app.db.pool().await;
    Setup {
        app,
        pool,
        assessor,
    }
}

impl Setup {
    async fn as_user(&self, email: &str) -> Browser {
        Browser::submitter(&self.app, email).await
    }

    /// kim, York's second submitter.
    fn add_kim(&self) {
        add_user(
            &self.app.db,
            "kim@york.nhs.uk",
            "submitter",
            Some("york"),
            PASSWORD,
        );
    }

    async fn draft(&self, economy: &str, period: &str, code: &str) -> Option<(String, String)> {
        sqlx::query(
            "SELECT d.value, d.saved_by FROM drafts d JOIN economies e ON e.id = d.economy_id
             WHERE e.slug = $1 AND d.period = $2 AND d.code = $3",
        )
        .bind(economy)
        .bind(period)
        .bind(code)
        .fetch_optional(&self.pool)
        .await
        .unwrap()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query(sql)
            .fetch_one(&self.pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    }

    async fn value(&self, economy: &str, period: &str, code: &str) -> Option<(String, String)> {
        sqlx::query(
            "SELECT v.value, v.status FROM criterion_values v JOIN economies e ON e.id = v.economy_id
             WHERE e.slug = $1 AND v.period = $2 AND v.code = $3",
        )
        .bind(economy)
        .bind(period)
        .bind(code)
        .fetch_optional(&self.pool)
        .await
        .unwrap()
        .map(|r| (r.get(0), r.get(1)))
    }

    fn york_overall(&self, period: &str) -> f64 {
        let out = self.app.db.ok(&["scores", "--as-of", period]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["economies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["economy"] == "york")
            .unwrap()["overall"]
            .as_f64()
            .unwrap()
    }
}

const Q2: &str = "/my-economy/periods/2014-Q2";

#[tokio::test]
async fn drafts_are_not_scored_and_submitting_changes_the_scores_and_keeps_the_history() {
    let s = setup("2014-07-20").await;
    let sam = s.as_user("sam@york.nhs.uk").await;
    let before = s.york_overall("2014-Q2");
    let page = sam.get(Q2).await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("Records carrying the verified NHS number"));
    assert!(page
        .body
        .contains("Required before submitting: a document."));
    let v = version_of(&page.body);

    // Draft: stored, shown, not scored.
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v),
            ("action", "draft"),
            ("v-NHS-NUMBER", "70"),
            ("v-CONNECT", "4"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(p.location, Q2);
    assert_eq!(s.count("SELECT COUNT(*) FROM drafts").await, 2);
    assert_eq!(s.york_overall("2014-Q2"), before);
    let page = sam.get(Q2).await;
    assert!(page.body.contains("Saved 2 drafts"));
    assert!(page.body.contains("Draft"));

    // Submitting NHS-NUMBER needs a link: refused whole, nothing stored.
    let v = version_of(&page.body);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v),
            ("action", "submit"),
            ("v-NHS-NUMBER", "70"),
            ("v-CONNECT", "4"),
        ]),
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("nhsuk-error-summary"));
    assert!(p.body.contains("needs evidence before it can be submitted"));
    assert!(p.body.contains("href=\"#link-NHS-NUMBER\""));
    assert_eq!(
        s.value("york", "2014-Q2", "NHS-NUMBER").await,
        Some(("60".into(), "submitted".into()))
    );
    assert_eq!(s.value("york", "2014-Q2", "CONNECT").await, None);
    // What was typed is shown again.
    assert!(p.body.contains("value=\"70\""));

    // With the link: submitted, scored, the old value in the history, drafts gone.
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v),
            ("action", "submit"),
            ("v-NHS-NUMBER", "70"),
            (
                "link-NHS-NUMBER",
                "https://www.york.nhs.uk/nhs-number-audit.pdf",
            ),
            ("v-CONNECT", "4"),
            ("v-EPR-ACUTE", "achieved"),
            ("d-EPR-ACUTE", "2014-05-15"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        s.value("york", "2014-Q2", "NHS-NUMBER").await,
        Some(("70".into(), "submitted".into()))
    );
    assert_eq!(
        s.value("york", "2014-Q2", "CONNECT").await,
        Some(("4".into(), "submitted".into()))
    );
    // Answered unchanged: still verified, not resubmitted (and no document needed).
    assert_eq!(
        s.value("york", "2014-Q2", "EPR-ACUTE").await,
        Some(("2014-05-15".into(), "verified".into()))
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM drafts").await, 0);
    assert!(s.york_overall("2014-Q2") > before);
    let page = sam.get(Q2).await;
    assert!(page.body.contains("Submitted 2 values for 2014-Q2"));
    let history = sam.get("/my-economy/history.csv").await;
    assert_eq!(history.status, 200);
    assert!(history
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(
        history
            .body
            .contains("york,2014-Q2,NHS-NUMBER,60,submitted,70,submitted,"),
        "{}",
        history.body
    );
    assert!(history.body.contains("york,2014-Q2,CONNECT,,,4,submitted,"));
    // The audit log records it.
    assert!(
        s.count("SELECT COUNT(*) FROM audit_log WHERE kind = 'submission' AND economy = 'york'")
            .await
            >= 2
    );
}

#[tokio::test]
async fn documents_are_checked_by_content_stored_once_and_downloaded_only_by_their_economy_and_staff(
) {
    let s = setup("2014-07-20").await;
    let sam = s.as_user("sam@york.nhs.uk").await;
    let v = version_of(&sam.get(Q2).await.body);
    let base = [
        ("version", v.as_str()),
        ("action", "submit"),
        ("v-EPR-ACUTE", "achieved"),
        ("d-EPR-ACUTE", "2014-05-01"),
    ];
    // No document: refused.
    let p = post_multipart(&sam, Q2, form(&base)).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("needs a document as evidence"));
    // Each bad file, with its message.
    let mut too_large = PDF.to_vec();
    too_large.resize(10 * 1024 * 1024 + 1, b' ');
    for (name, bytes, message) in [
        (
            "empty.pdf",
            Vec::new(),
            "The selected file empty.pdf is empty",
        ),
        (
            "report.pdf",
            b"this is plain text, named as a PDF".to_vec(),
            "must be a PDF, Word document, Excel spreadsheet, PNG or JPEG",
        ),
        (
            "huge.pdf",
            too_large,
            "The selected file huge.pdf must be smaller than 10 MB",
        ),
    ] {
        let p = post_multipart(
            &sam,
            Q2,
            form(&base).part("file-EPR-ACUTE", file(name, bytes)),
        )
        .await;
        assert_eq!(p.status, 422, "{name}");
        assert!(p.body.contains(message), "{name}: {message}");
        assert!(p.body.contains("href=\"#file-EPR-ACUTE\""));
    }
    assert_eq!(s.count("SELECT COUNT(*) FROM evidence").await, 0);
    assert_eq!(
        s.value("york", "2014-Q2", "EPR-ACUTE").await,
        Some(("2014-05-15".into(), "verified".into()))
    );

    // A good document with a bad value elsewhere: the document is kept for the next try.
    let p = post_multipart(
        &sam,
        Q2,
        form(&base)
            .text("v-CONNECT", "9")
            .part("file-EPR-ACUTE", file("EPR go-live.pdf", PDF.to_vec())),
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("must be a whole number from 0 to 5"));
    assert!(p.body.contains("Your document EPR go-live.pdf is kept"));
    let kept = {
        let at = p.body.find("name=\"kept-EPR-ACUTE\"").unwrap();
        let rest = &p.body[at..];
        let v = rest.find("value=\"").unwrap() + 7;
        rest[v..v + rest[v..].find('"').unwrap()].to_string()
    };
    let p = post_multipart(
        &sam,
        Q2,
        form(&base)
            .text("v-CONNECT", "5")
            .text("kept-EPR-ACUTE", kept),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        s.value("york", "2014-Q2", "EPR-ACUTE").await,
        Some(("2014-05-01".into(), "submitted".into()))
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM evidence").await, 1);

    // Downloaded through another instance, as an attachment, byte for byte.
    let other = s.app.another_instance().await;
    let path = "/my-economy/evidence/2014-Q2/EPR-ACUTE";
    let r = sam
        .client
        .get(format!("{other}{path}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment; filename=\"EPR go-live.pdf\""));
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
    // Leeds's submitter asks for the same path: their own economy has nothing there.
    let lee = s.as_user("lee@leeds.nhs.uk").await;
    assert_eq!(lee.get(path).await.status, 404);
    // Not signed in: to sign in.
    let anon = Browser::new(&s.app);
    assert_eq!(anon.get(path).await.status, 303);
    assert_eq!(
        anon.get("/assess/economies/york/evidence/2014-Q2/EPR-ACUTE")
            .await
            .status,
        303
    );
    // Board staff, by the economy's slug; a submitter may not use that path.
    let ann = Browser::staff(&s.app, "ann@board.nhs.uk", &s.assessor).await;
    let r = ann
        .get("/assess/economies/york/evidence/2014-Q2/EPR-ACUTE")
        .await;
    assert_eq!(r.status, 200);
    assert!(r.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(
        sam.get("/assess/economies/york/evidence/2014-Q2/EPR-ACUTE")
            .await
            .status,
        403
    );
    // The economy's own values download lists the document.
    let csv = sam.get("/my-economy/values.csv").await.body;
    assert!(csv.contains("york,2014-Q2,EPR-ACUTE,2014-05-01,submitted,"));
    assert!(csv.contains("EPR go-live.pdf"));
    assert!(!csv.contains("leeds"));
}

#[tokio::test]
async fn changes_after_the_deadline_are_marked_late() {
    // 2014-Q2's values were due on 30 July 2014.
    let s = setup("2014-08-15").await;
    let sam = s.as_user("sam@york.nhs.uk").await;
    let page = sam.get(Q2).await;
    assert!(page.body.contains("The deadline has passed"));
    let v = version_of(&page.body);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[("version", &v), ("action", "submit"), ("v-GP2GP", "yes")]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let page = sam.get(Q2).await;
    assert!(page
        .body
        .contains("marked late because the deadline has passed"));
    assert!(page.body.contains(">Late<"));
    assert_eq!(
        s.count("SELECT COUNT(*) FROM value_history WHERE code = 'GP2GP' AND late = 1")
            .await,
        1
    );
    let history = sam.get("/my-economy/history.csv").await.body;
    assert!(history.contains(",GP2GP,,,yes,submitted,") && history.trim_end().ends_with("true"));
}

#[tokio::test]
async fn the_second_to_save_is_shown_both_values_and_nothing_is_overwritten_silently() {
    let s = setup("2014-07-20").await;
    s.add_kim();
    let sam = s.as_user("sam@york.nhs.uk").await;
    let kim = s.as_user("kim@york.nhs.uk").await;
    let v_sam = version_of(&sam.get(Q2).await.body);
    let v_kim = version_of(&kim.get(Q2).await.body);
    assert_eq!(v_sam, v_kim);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v_sam),
            ("action", "draft"),
            ("v-NHS-NUMBER", "70"),
            ("link-NHS-NUMBER", "https://www.york.nhs.uk/a.pdf"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303);
    let p = post_multipart(
        &kim,
        Q2,
        form(&[
            ("version", &v_kim),
            ("action", "draft"),
            ("v-NHS-NUMBER", "65"),
        ]),
    )
    .await;
    assert_eq!(p.status, 409);
    assert!(p.body.contains("changed since you opened the form"));
    assert!(p.body.contains("\u{201c}70\u{201d}") && p.body.contains("\u{201c}65\u{201d}"));
    assert!(p.body.contains("a draft, by sam@york.nhs.uk"));
    assert_eq!(
        s.draft("york", "2014-Q2", "NHS-NUMBER").await,
        Some(("70".into(), "sam@york.nhs.uk".into()))
    );
    // Saving again from the page shown (its new version) replaces it, knowingly.
    let v_now = version_of(&p.body);
    assert_ne!(v_now, v_kim);
    let p = post_multipart(
        &kim,
        Q2,
        form(&[
            ("version", &v_now),
            ("action", "draft"),
            ("v-NHS-NUMBER", "65"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        s.draft("york", "2014-Q2", "NHS-NUMBER").await,
        Some(("65".into(), "kim@york.nhs.uk".into())),
        "the draft shows who last changed it"
    );
    assert_eq!(
        s.value("york", "2014-Q2", "NHS-NUMBER").await,
        Some(("60".into(), "submitted".into())),
        "nothing submitted"
    );
}

#[tokio::test]
async fn another_economys_slug_in_a_form_changes_nothing_of_theirs() {
    let s = setup("2014-07-20").await;
    let leeds_before = s
        .count("SELECT COUNT(*) FROM criterion_values v JOIN economies e ON e.id = v.economy_id WHERE e.slug = 'leeds'")
        .await;
    let sam = s.as_user("sam@york.nhs.uk").await;
    let v = version_of(&sam.get(Q2).await.body);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v),
            ("action", "submit"),
            ("economy", "leeds"),
            ("slug", "leeds"),
            ("v-GP2GP", "no"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303);
    assert_eq!(
        s.value("york", "2014-Q2", "GP2GP").await,
        Some(("no".into(), "submitted".into()))
    );
    assert_eq!(
        s.value("leeds", "2014-Q2", "GP2GP").await,
        Some(("yes".into(), "verified".into()))
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM criterion_values v JOIN economies e ON e.id = v.economy_id WHERE e.slug = 'leeds'")
            .await,
        leeds_before
    );
    // A quarter that has not ended cannot be reported.
    assert_eq!(sam.get("/my-economy/periods/2014-Q3").await.status, 404);
    assert_eq!(sam.get("/my-economy/periods/2014-Q9").await.status, 404);
    // Board staff have no quarter form.
    let ann = Browser::new(&s.app);
    ann.sign_in("ann@board.nhs.uk", PASSWORD, Some(&s.assessor), 1)
        .await;
    assert_eq!(ann.get(Q2).await.status, 403);
}

#[tokio::test]
async fn an_upload_is_previewed_refused_with_every_line_or_stored_as_drafts() {
    let s = setup("2014-07-20").await;
    let sam = s.as_user("sam@york.nhs.uk").await;
    let upload = |bytes: &[u8], name: &str| {
        Form::new()
            .text("action", "preview")
            .part("file", file(name, bytes.to_vec()))
    };
    // Refused: a status given, another economy's row, a bad value; every line named.
    let bad = "economy,period,criterion,value,status\n\
               york,2014-Q2,GP2GP,yes,\n\
               york,2014-Q2,CONNECT,3,verified\n\
               leeds,2014-Q2,GP2GP,no,\n\
               york,2014-Q2,NHS-NUMBER,120,\n";
    let p = post_multipart(
        &sam,
        "/my-economy/upload",
        upload(bad.as_bytes(), "mine.csv"),
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("nhsuk-error-summary"));
    assert!(p.body.contains("line 3: status: the status must be empty"));
    assert!(p
        .body
        .contains("line 4: economy: economy \"leeds\" is not yours"));
    assert!(p.body.contains("line 5"));
    assert_eq!(s.count("SELECT COUNT(*) FROM drafts").await, 0);
    // Empty.
    let p = post_multipart(&sam, "/my-economy/upload", upload(b"", "empty.csv")).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("The selected file empty.csv is empty"));

    // Good: previewed with what changes.
    let good = "economy,period,criterion,value,status\n\
                york,2014-Q2,NHS-NUMBER,60,\n\
                york,2014-Q2,GP2GP,yes,\n\
                york,2014-Q1,NHS-NUMBER,55,\n";
    let p = post_multipart(
        &sam,
        "/my-economy/upload",
        upload(good.as_bytes(), "mine.csv"),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(p.location.starts_with("/my-economy/upload?file="));
    let preview = sam.get(&p.location).await;
    assert_eq!(preview.status, 200);
    assert!(preview
        .body
        .contains("3 rows: 1 new, 1 replacing a value, 1 unchanged."));
    assert_eq!(s.count("SELECT COUNT(*) FROM drafts").await, 0);
    let sha = p.location.rsplit('=').next().unwrap();
    let before = s.york_overall("2014-Q2");
    let p = post_multipart(
        &sam,
        "/my-economy/upload",
        form(&[("action", "confirm"), ("file", sha)]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(p.location, "/my-economy/periods/2014-Q1");
    assert_eq!(s.count("SELECT COUNT(*) FROM drafts").await, 2);
    // Drafts: not scored, shown in the quarter's form and the download.
    assert_eq!(s.york_overall("2014-Q2"), before);
    let page = sam.get("/my-economy/periods/2014-Q1").await;
    assert!(page
        .body
        .contains("Stored 2 values as drafts for 2014-Q1, 2014-Q2"));
    let csv = sam.get("/my-economy/values.csv").await.body;
    assert!(csv.contains("york,2014-Q1,NHS-NUMBER,55,draft,"));
    // Leeds's submitter cannot confirm York's file into Leeds.
    let lee = s.as_user("lee@leeds.nhs.uk").await;
    let p = post_multipart(
        &lee,
        "/my-economy/upload",
        form(&[("action", "confirm"), ("file", sha)]),
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("is not yours"));
}

#[tokio::test]
async fn member_organisations_and_colleagues() {
    let s = setup("2014-07-20").await;
    let sam = s.as_user("sam@york.nhs.uk").await;
    let p = sam
        .post(
            "/my-economy/organisations",
            &[("action", "add"), ("name", ""), ("ods_code", "R!")],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p
        .body
        .contains("The ODS code of the organisation must be 3 to 6 letters and numbers"));
    assert!(p.body.contains("value=\"R!\""));
    let p = sam
        .post(
            "/my-economy/organisations",
            &[("action", "add"), ("name", ""), ("ods_code", "RZZ")],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p
        .body
        .contains("RZZ is not an NHS organisation of 2013 to 2015"));
    // The register's search, without JavaScript: a GET form, each result with its own Add.
    let found = sam
        .get("/my-economy/organisations?q=york+teaching")
        .await
        .body;
    assert!(
        found.contains("York Teaching Hospital NHS Foundation Trust"),
        "{found}"
    );
    assert!(found.contains("name=\"ods_code\" value=\"RCB\""));
    let p = sam
        .post(
            "/my-economy/organisations",
            &[("action", "add"), ("ods_code", "rcb")],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = sam.get("/my-economy/organisations").await.body;
    assert!(
        page.contains("Added York Teaching Hospital NHS Foundation Trust (RCB)."),
        "{page}"
    );
    assert!(page.contains("RCB") && page.contains("Acute trust"));
    let id: i64 = sqlx::query("SELECT id FROM organisations WHERE ods_code = 'RCB'")
        .fetch_one(&s.pool)
        .await
        .unwrap()
        .get(0);
    // Leeds cannot remove York's organisation.
    let lee = s.as_user("lee@leeds.nhs.uk").await;
    let p = lee
        .post(
            "/my-economy/organisations",
            &[("action", "remove"), ("id", &id.to_string())],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(lee
        .get("/my-economy/organisations")
        .await
        .body
        .contains("Not done"));
    assert_eq!(s.count("SELECT COUNT(*) FROM organisations").await, 1);
    // Leeds claims York's trust too: flagged to both, not refused.
    let p = lee
        .post(
            "/my-economy/organisations",
            &[("action", "add"), ("ods_code", "RCB")],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = lee.get("/my-economy/organisations").await.body;
    assert!(page.contains("(RCB). It is also a member of "), "{page}");
    assert!(sam
        .get("/my-economy/organisations")
        .await
        .body
        .contains("Also in "));
    let p = sam
        .post(
            "/my-economy/organisations",
            &[("action", "remove"), ("id", &id.to_string())],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(s.count("SELECT COUNT(*) FROM organisations").await, 1);

    // Colleagues: the team, and an invitation to York.
    s.add_kim();
    let team = sam.get("/my-economy/team").await.body;
    assert!(team.contains("sam@york.nhs.uk") && team.contains("kim@york.nhs.uk"));
    assert!(!team.contains("lee@leeds.nhs.uk"));
    let p = sam
        .post("/my-economy/team", &[("email", "not an email")])
        .await;
    assert_eq!(p.status, 422);
    let p = sam
        .post("/my-economy/team", &[("email", "pat@york.nhs.uk")])
        .await;
    assert_eq!(p.status, 200);
    // The link goes to pat alone: not on the inviter's page.
    assert!(!p.body.contains("/invitations/"));
    assert_eq!(
        token_sent_to(&s.app.db.mail_dir(), "pat@york.nhs.uk", "/invitations/")
            .await
            .len(),
        64
    );
    let team = sam.get("/my-economy/team").await.body;
    assert!(team.contains("pat@york.nhs.uk, invited by sam@york.nhs.uk"));
}

#[tokio::test]
async fn a_deadline_reminds_a_week_before_and_on_the_day_once_each_as_each_person_chose() {
    let s = setup("2014-07-20").await;
    let mailer = app::mail::Mailer::new("https://exemplar.example.nhs.uk", "/nonexistent");
    let remind = |day: u32| {
        let (pool, mailer) = (s.pool.clone(), mailer.clone());
        async move {
            let today = chrono::NaiveDate::from_ymd_opt(2014, 7, day).unwrap();
            app::submissions::send_deadline_reminders(&pool, &mailer, today)
                .await
                .unwrap()
        }
    };
    // kim of York wants reminders in a weekly summary; lee of Leeds wants none.
    s.add_kim();
    let kim = s.as_user("kim@york.nhs.uk").await;
    let p = kim
        .post(
            "/account",
            &[
                ("action", "email-preferences"),
                ("reminders", "weekly"),
                ("publications", "now"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let lee = s.as_user("lee@leeds.nhs.uk").await;
    lee.post(
        "/account",
        &[
            ("action", "email-preferences"),
            ("reminders", "off"),
            ("publications", "now"),
        ],
    )
    .await;
    let page = lee.get("/account").await.body;
    assert!(
        page.contains("Your email preferences have been saved"),
        "{page}"
    );
    // Too early: nothing.
    assert_eq!(remind(10).await, 0);
    // A week before: York (two submitters) and Leeds (one) have criteria missing for
    // 2014-Q2; Hull has no submitter, so its reminder waits on its dashboard. Once only.
    assert_eq!(remind(25).await, 3);
    assert_eq!(remind(26).await, 0);
    // On the day: once more.
    assert_eq!(remind(30).await, 3);
    assert_eq!(remind(30).await, 0);
    // After the deadline: nothing.
    assert_eq!(remind(31).await, 0);
    let messages = app::db::outbox(&s.pool, None, 0, 50).await.unwrap();
    let state_of = |to: &str, subject: &str| {
        messages
            .iter()
            .find(|m| m.recipient == to && m.subject == subject)
            .map(|m| m.state.clone())
            .unwrap_or_else(|| panic!("no \"{subject}\" to {to}"))
    };
    let week = "April to June 2014 values are due on 30 July 2014";
    let day = "April to June 2014 values are due today";
    assert_ne!(state_of("sam@york.nhs.uk", week), "held");
    assert_eq!(state_of("kim@york.nhs.uk", week), "held");
    assert_eq!(state_of("lee@leeds.nhs.uk", week), "skipped");
    assert_eq!(state_of("lee@leeds.nhs.uk", day), "skipped");
    let body = &messages.iter().find(|m| m.subject == day).unwrap().body;
    assert!(
        body.contains("https://exemplar.example.nhs.uk/my-economy/periods/2014-Q2"),
        "{body}"
    );
    // A week after kim's first kept reminder, both go in one summary.
    let later = chrono::Utc::now() + chrono::Duration::days(8);
    assert_eq!(
        app::mail::queue_summaries(&s.pool, &mailer, later)
            .await
            .unwrap(),
        1
    );
    let messages = app::db::outbox(&s.pool, None, 0, 50).await.unwrap();
    let summary = messages
        .iter()
        .find(|m| m.subject == "Your weekly summary from Exemplar")
        .expect("a summary");
    assert_eq!(summary.recipient, "kim@york.nhs.uk");
    assert!(summary.body.contains(week) && summary.body.contains(day));
    assert!(messages
        .iter()
        .filter(|m| m.recipient == "kim@york.nhs.uk" && m.subject != summary.subject)
        .all(|m| m.state == "summarised"));
    let sam = s.as_user("sam@york.nhs.uk").await;
    let page = sam.get("/my-economy").await.body;
    assert!(page.contains("values are due"), "{page}");
}

#[tokio::test]
async fn a_returned_value_goes_back_only_when_resubmitted_with_new_evidence_or_changed() {
    let s = setup("2014-07-20").await;
    let lee = s.as_user("lee@leeds.nhs.uk").await;
    // Leeds's CONNECT for 2014-Q2 was returned (rejected); the form shows it prefilled.
    let page = lee.get(Q2).await;
    assert!(page.body.contains("Returned"));
    let v = version_of(&page.body);
    let p = post_multipart(
        &lee,
        Q2,
        form(&[("version", &v), ("action", "submit"), ("v-CONNECT", "3")]),
    )
    .await;
    assert_eq!(p.status, 303);
    assert_eq!(
        s.value("leeds", "2014-Q2", "CONNECT").await,
        Some(("3".into(), "rejected".into()))
    );
    let v = version_of(&lee.get(Q2).await.body);
    let p = post_multipart(
        &lee,
        Q2,
        form(&[
            ("version", &v),
            ("action", "submit"),
            ("v-CONNECT", "3"),
            (
                "link-CONNECT",
                "https://www.leeds.nhs.uk/connect-level-3-assurance",
            ),
        ]),
    )
    .await;
    assert_eq!(p.status, 303);
    assert_eq!(
        s.value("leeds", "2014-Q2", "CONNECT").await,
        Some(("3".into(), "submitted".into()))
    );
}

#[tokio::test]
async fn publishing_a_quarter_tells_each_economys_submitters_their_published_figures() {
    let s = setup("2014-07-20").await;
    s.app
        .db
        .ok(&["publish", "--through", "2014-Q2", "--today", "2014-07-20"]);
    let sam = s.as_user("sam@york.nhs.uk").await;
    let page = sam.get("/my-economy").await.body;
    assert!(
        page.contains("April to June 2014 figures are published"),
        "{page}"
    );
    assert!(page.contains("Your published overall score is"));
    // Only their own economy's messages.
    assert!(!page.contains("lee@leeds"));
    assert_eq!(
        s.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'sam@york.nhs.uk' AND subject LIKE '%figures are published'")
            .await,
        // 2013-Q4, 2014-Q1 and 2014-Q2: every quarter from the first with data.
        3
    );
}

/// Whether the check page ticks the checkbox of `code`.
fn ticked(body: &str, code: &str) -> bool {
    let at = body
        .find(&format!("id=\"code-{code}\""))
        .unwrap_or_else(|| panic!("no checkbox for {code}"));
    let start = body[..at].rfind('<').unwrap();
    let end = at + body[at..].find('>').unwrap();
    body[start..end].contains("checked")
}

#[tokio::test]
async fn only_the_values_ticked_on_check_your_answers_are_submitted_with_a_receipt() {
    let s = setup("2014-07-20").await;
    let sam = s.as_user("sam@york.nhs.uk").await;
    let v = version_of(&sam.get(Q2).await.body);
    // An old draft, left untouched in the form from now on.
    let p = post_multipart(
        &sam,
        Q2,
        form(&[("version", &v), ("action", "draft"), ("v-CONNECT", "4")]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let connect_before = s.value("york", "2014-Q2", "CONNECT").await;
    let nhs_before = s.value("york", "2014-Q2", "NHS-NUMBER").await;
    assert_eq!(nhs_before, Some(("60".into(), "submitted".into())));

    // Continue with one value changed: drafts saved, nothing submitted, the check page next.
    let v = version_of(&sam.get(Q2).await.body);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v),
            ("action", "check"),
            ("v-CONNECT", "4"),
            ("v-NHS-NUMBER", "70"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(p.location, "/my-economy/check/2014-Q2?changed=NHS-NUMBER");
    assert_eq!(s.value("york", "2014-Q2", "NHS-NUMBER").await, nhs_before);
    let check = sam.get(&p.location).await;
    assert_eq!(check.status, 200);
    assert!(check.body.contains("Check your answers before submitting"));
    assert!(
        ticked(&check.body, "NHS-NUMBER"),
        "the value changed just now is ticked"
    );
    assert!(!ticked(&check.body, "CONNECT"), "the old draft is not");
    assert!(check
        .body
        .contains("needs evidence before it can be submitted"));

    // Ticked without the evidence it needs: refused by the value, nothing submitted.
    let path = "/my-economy/check/2014-Q2";
    let v = version_of(&check.body);
    let p = sam
        .post(path, &[("version", &v), ("code", "NHS-NUMBER")])
        .await;
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("nhsuk-error-summary"));
    assert!(p.body.contains("href=\"#code-NHS-NUMBER\""));
    assert_eq!(s.value("york", "2014-Q2", "NHS-NUMBER").await, nhs_before);

    // The link added on the form; then nothing ticked, and a page opened before a change.
    let v = version_of(&sam.get(Q2).await.body);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v),
            ("action", "check"),
            ("v-CONNECT", "4"),
            ("v-NHS-NUMBER", "70"),
            ("link-NHS-NUMBER", "https://york.nhs.uk/nhs-number-audit"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let check = sam.get(&p.location).await;
    assert!(!check
        .body
        .contains("needs evidence before it can be submitted"));
    let v = version_of(&check.body);
    let p = sam.post(path, &[("version", &v)]).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Select the values to submit"));
    let p = sam
        .post(path, &[("version", "stale"), ("code", "NHS-NUMBER")])
        .await;
    assert_eq!(p.status, 409);
    assert!(p
        .body
        .contains("Someone changed this quarter since this page was opened"));
    assert_eq!(s.value("york", "2014-Q2", "NHS-NUMBER").await, nhs_before);

    // Submitted: only the ticked value; the old draft stays a draft.
    let p = sam
        .post(path, &[("version", &v), ("code", "NHS-NUMBER")])
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let receipt_path = p.location.clone();
    let reference = receipt_path
        .strip_prefix("/my-economy/receipts/")
        .expect("the receipt next")
        .to_string();
    assert!(reference.starts_with("EX-2014Q2-"), "{reference}");
    assert!(reference.ends_with("-001"), "{reference}");
    assert_eq!(
        s.value("york", "2014-Q2", "NHS-NUMBER").await,
        Some(("70".into(), "submitted".into()))
    );
    assert_eq!(s.value("york", "2014-Q2", "CONNECT").await, connect_before);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM drafts WHERE code = 'CONNECT'")
            .await,
        1
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM drafts WHERE code = 'NHS-NUMBER'")
            .await,
        0
    );

    // The receipt: its reference, what happens next, exactly what went.
    let r = sam.get(&receipt_path).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&reference));
    assert!(r.body.contains("1 value submitted"));
    assert!(r.body.contains("What happens next"));
    assert!(r.body.contains("Records carrying the verified NHS number"));
    assert!(r.body.contains("60%"), "the value before");
    assert!(r.body.contains("70%"), "the value submitted");
    assert!(r
        .body
        .contains("Link: https://york.nhs.uk/nhs-number-audit"));
    assert!(
        !r.body.contains("Shared care record integration level"),
        "the draft not ticked is not on it"
    );
    let csv = sam.get(&format!("{receipt_path}/download")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(csv
        .body
        .starts_with("\u{feff}reference,economy,quarter,submitted"));
    assert!(csv.body.contains(&format!("{reference},")));
    assert!(csv.body.contains(",NHS-NUMBER,"));
    assert_eq!(csv.body.lines().count(), 2);

    // The economy's page lists it, and offers the old draft to check and submit.
    let home = sam.get("/my-economy").await;
    assert!(home.body.contains("Your recent submissions"));
    assert!(home
        .body
        .contains(&format!("href=\"/my-economy/receipts/{reference}\"")));
    assert!(home.body.contains("href=\"/my-economy/check/2014-Q2\""));

    // A colleague of the economy sees it; another economy does not.
    s.add_kim();
    let kim = s.as_user("kim@york.nhs.uk").await;
    assert_eq!(kim.get(&receipt_path).await.status, 200);
    let lee = s.as_user("lee@leeds.nhs.uk").await;
    assert_eq!(lee.get(&receipt_path).await.status, 404);
    assert_eq!(
        lee.get(&format!("{receipt_path}/download")).await.status,
        404
    );

    // The audit log names the receipt.
    assert_eq!(
        s.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE summary LIKE '%receipt {reference}%'"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn business_times_run_on_the_programmes_day_and_security_on_the_real_clock() {
    let s = setup("2014-07-20").await;
    let sam = s.as_user("sam@york.nhs.uk").await;
    let v = version_of(&sam.get(Q2).await.body);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[("version", &v), ("action", "check"), ("v-CONNECT", "4")]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let check = sam.get(&p.location).await;
    // The draft was saved on the programme's day, and the page says so in words.
    assert!(
        check.body.contains("on 20 July 2014 at "),
        "the draft's time in GOV.UK words"
    );
    let p = sam
        .post(
            "/my-economy/check/2014-Q2",
            &[("version", &version_of(&check.body)), ("code", "CONNECT")],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let receipt = sam.get(&p.location).await;
    assert!(receipt.body.contains("2014-Q2") || receipt.body.contains("April to June 2014"));
    assert!(
        receipt.body.contains("on 20 July 2014 at "),
        "the receipt's time"
    );

    let text = |sql: &'static str| {
        let pool = s.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    // Business times: the value, its history, the receipt, the audit entry's `at`.
    let updated = text(
        "SELECT v.updated_at FROM criterion_values v JOIN economies e ON e.id = v.economy_id
         WHERE e.slug = 'york' AND v.period = '2014-Q2' AND v.code = 'CONNECT'",
    )
    .await;
    assert!(updated.starts_with("2014-07-20T"), "{updated}");
    let submitted = text("SELECT submitted_at FROM submission_receipts").await;
    assert!(submitted.starts_with("2014-07-20T"), "{submitted}");
    let at = text("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1").await;
    assert!(at.starts_with("2014-07-20T"), "{at}");
    // The audit log keeps the real clock beside it, and security runs on the real clock.
    let real_year = chrono::Utc::now().format("%Y-").to_string();
    let recorded = text("SELECT recorded_at FROM audit_log ORDER BY id DESC LIMIT 1").await;
    assert!(recorded.starts_with(&real_year), "{recorded}");
    let p = sam
        .post("/my-economy/team", &[("email", "pat@york.nhs.uk")])
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let created = text("SELECT created_at FROM tokens ORDER BY created_at DESC LIMIT 1").await;
    assert!(created.starts_with(&real_year), "{created}");
    let expires = text("SELECT expires_at FROM tokens ORDER BY created_at DESC LIMIT 1").await;
    assert!(
        expires.as_str() > created.as_str(),
        "an invitation expires after it is made"
    );
}

#[tokio::test]
async fn a_date_criterion_is_typed_in_day_month_and_year_boxes() {
    let s = setup("2014-07-20").await;
    let sam = s.as_user("sam@york.nhs.uk").await;
    // The stored date (2014-05-15) shows in the three boxes; no YYYY-MM-DD anywhere.
    let page = sam.get(Q2).await.body;
    for (name, value) in [
        ("d-EPR-ACUTE-day", "15"),
        ("d-EPR-ACUTE-month", "5"),
        ("d-EPR-ACUTE-year", "2014"),
    ] {
        let at = page.find(&format!("name=\"{name}\"")).expect(name);
        assert!(
            page[at..at + 120].contains(&format!("value=\"{value}\"")),
            "{name}"
        );
    }
    assert!(!page.contains("YYYY-MM-DD"));
    assert!(page.contains("On or before 30 June 2014. For example, 31 3 2014"));

    // 31 February: the summary links to the day box, what was typed stays, nothing is saved.
    let v = version_of(&page);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v),
            ("action", "draft"),
            ("v-EPR-ACUTE", "achieved"),
            ("d-EPR-ACUTE-day", "31"),
            ("d-EPR-ACUTE-month", "2"),
            ("d-EPR-ACUTE-year", "2014"),
        ]),
    )
    .await;
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("href=\"#d-EPR-ACUTE\""));
    assert!(p.body.contains("The date must be a real date"));
    assert!(p.body.contains("value=\"31\""));
    assert_eq!(s.count("SELECT COUNT(*) FROM drafts").await, 0);

    // A real date in the boxes is kept as the date.
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v),
            ("action", "draft"),
            ("v-EPR-ACUTE", "achieved"),
            ("d-EPR-ACUTE-day", "2"),
            ("d-EPR-ACUTE-month", "6"),
            ("d-EPR-ACUTE-year", "2014"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM drafts WHERE code = 'EPR-ACUTE' AND value = '2014-06-02'")
            .await,
        1
    );
}
