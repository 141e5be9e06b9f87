//! Long lists and finding things in them (issue 18): the audit log and the trust register a
//! page at a time with their filters kept, a page past the last, searching the economies by
//! part of a name, and setting up an authenticator app with a QR code.

use crate::helpers::{
    add_submitters, add_user, world, Browser, Server, TestApp, TestDb, PASSWORD, TRUSTS_HEAD,
};

/// A page's text with `&amp;` read as `&`, so links can be compared as written.
fn unescaped(body: &str) -> String {
    body.replace("&amp;", "&")
}

/// Appends `n` audit entries of the kind `test.note` for `economy`, "Note 001" first.
async fn notes(pool: &app::db::Pool, economy: &str, n: usize) {
    for i in 1..=n {
        let mut tx = pool.begin().await.unwrap();
        let entry = app::audit::Entry::new(
            "ada@board.nhs.uk",
            "test.note",
            format!("{economy} note {i:03}"),
        )
        .economy(Some(economy));
        app::db::audit_append(&mut tx, &entry).await.unwrap();
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn the_audit_log_goes_a_page_at_a_time_keeping_its_filters() {
    let w = world().await;
    let pool = w.app.db.pool().await;
    notes(&pool, "york", 120).await;
    notes(&pool, "leeds", 5).await;
    let admin = w.as_role("admin").await.unwrap();

    // Page 2 of York's notes, newest first: 70 down to 21.
    let p = admin
        .get("/admin/audit?economy=york&kind=test.note&page=2")
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let body = unescaped(&p.body);
    assert!(
        body.contains("Showing 51 to 100 of 120 entries, newest first."),
        "{body}"
    );
    for shown in ["york note 070", "york note 021"] {
        assert!(body.contains(shown), "{shown} is on page 2");
    }
    for not_shown in ["york note 071", "york note 020", "leeds note"] {
        assert!(!body.contains(not_shown), "{not_shown} is not on page 2");
    }
    // Previous and next keep the filters; the first page is the list's own address.
    assert!(body.contains(r#"aria-label="Pages of the audit log""#));
    assert!(
        body.contains(r#"href="/admin/audit?economy=york&kind=test.note" rel="prev""#),
        "{body}"
    );
    assert!(body.contains(r#"href="/admin/audit?economy=york&kind=test.note&page=3" rel="next""#));
    assert!(body.contains("Page 1 of 3") && body.contains("Page 3 of 3"));
    // So does the CSV of every matching entry.
    assert!(body.contains("Download all 120 entries as CSV"));
    assert!(body.contains(r#"href="/admin/audit.csv?economy=york&kind=test.note""#));

    // Past the last page: the last, and a sentence saying so.
    let p = admin
        .get("/admin/audit?economy=york&kind=test.note&page=99")
        .await;
    assert_eq!(p.status, 200);
    assert!(p
        .body
        .contains("There is no page 99. This is the last page, page 3 of 3."));
    assert!(p.body.contains("Showing 101 to 120 of 120 entries"));
    assert!(p.body.contains("york note 001") && !p.body.contains("york note 021"));
    assert!(!p.body.contains(r#"rel="next""#));
    // Not a page number: the first page.
    let p = admin
        .get("/admin/audit?economy=york&kind=test.note&page=abc")
        .await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Showing 1 to 50 of 120 entries"));
    assert!(p.body.contains("york note 120") && !p.body.contains(r#"rel="prev""#));
    // A list that fits on one page has no pagination.
    let p = admin.get("/admin/audit?economy=leeds&kind=test.note").await;
    assert!(p.body.contains("5 entries match."));
    assert!(!p.body.contains("nhsuk-pagination"));
}

/// The register of `northern` trusts named "Northern Acute Trust 001"… and `southern`
/// named "Southern Acute Trust 001"….
/// The register of every real NHS trust open in April 2015 (from the reference pack), each
/// with no EPR yet; and how many of them have "hospital" in their name.
fn register() -> (String, usize, usize) {
    let pack = include_str!("../../../reference/ods-2013-2015/trusts-2013-2015.csv");
    let mut csv = TRUSTS_HEAD.to_string();
    let (mut n, mut hospital) = (0, 0);
    let mut reader = csv::Reader::from_reader(pack.as_bytes());
    for row in reader.records() {
        let row = row.unwrap();
        let (code, name, kind, close) = (&row[0], &row[2], &row[3], &row[7]);
        if kind == "other" || (!close.is_empty() && close < "2015-04-20") {
            continue;
        }
        n += 1;
        if name.to_lowercase().contains("hospital") {
            hospital += 1;
        }
        csv.push_str(&format!("{code},\"{name}\",{kind},London,,none,,\n"));
    }
    (csv, n, hospital)
}

#[tokio::test]
async fn the_trust_register_goes_a_page_at_a_time_keeping_its_search() {
    let db = TestDb::new();
    db.load_example();
    let (csv, n, hospital) = register();
    assert!(hospital > 50 && hospital <= 100, "{hospital}");
    let file = db.write("trusts.csv", &csv);
    db.ok(&["import", "trusts", &file]);
    let app = TestApp::spawn(db, None).await;
    let last = n.div_ceil(50);

    let (status, first) = app.html("/trusts").await;
    assert_eq!(status, 200);
    let first = unescaped(&first);
    assert!(
        first.contains(&format!("Showing 1 to 50 of {n} trusts.")),
        "{first}"
    );
    assert!(first.contains(r#"href="/trusts?page=2#register" rel="next""#));

    // Searching in any case, page 2 of 2 keeps the search in its links.
    let (status, body) = app.html("/trusts?q=HOSPITAL&page=2").await;
    assert_eq!(status, 200);
    let body = unescaped(&body);
    assert!(
        body.contains(&format!(
            "Showing 51 to {hospital} of {hospital} trusts matching \u{201c}HOSPITAL\u{201d}."
        )),
        "{body}"
    );
    assert!(body.contains(r#"href="/trusts?q=HOSPITAL#register" rel="prev""#));
    assert!(!body.contains(r#"rel="next""#));
    assert!(body.contains(r#"aria-label="Pages of the trust register""#));

    // Past the last page.
    let (status, body) = app.html("/trusts?page=9").await;
    assert_eq!(status, 200);
    assert!(body.contains(&format!(
        "There is no page 9. This is the last page, page {last} of {last}."
    )));
    assert!(body.contains(&format!(
        "Showing {} to {n} of {n} trusts.",
        (last - 1) * 50 + 1
    )));
    // A search that finds nothing says so, whatever the page.
    let (_, body) = app.html("/trusts?q=nowhere&page=4").await;
    assert!(
        body.contains("No trust\u{2019}s name or ODS code matches")
            || body.contains("No trust's name or ODS code matches")
    );
    assert!(!body.contains("There is no page 4"));
}

#[tokio::test]
async fn economies_are_found_by_part_of_their_name_or_a_member_organisation() {
    let w = world().await;
    // York's submitter lists a member organisation.
    let sam = Browser::submitter(&w.app, "sam@york.nhs.uk").await;
    let p = sam
        .post(
            "/my-economy/organisations",
            &[
                ("action", "add"),
                ("name", "Scarborough Hospital Trust"),
                ("ods_code", ""),
                ("kind", "acute"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);

    let (status, page) = w.app.html("/economies").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"<label class="nhsuk-label" for="q">Search by name</label>"#));
    assert!(page.contains(r#"<form method="get" action="/economies""#));

    // Part of the economy's name, in another case.
    let (_, body) = w.app.html("/economies?q=SELBY").await;
    let body = unescaped(&body);
    assert!(
        body.contains("1 economy found for \u{201c}SELBY\u{201d}."),
        "{body}"
    );
    assert!(body.contains(r#"<a href="/economies/york">York and Selby</a>"#));
    assert!(!body.contains(r#"<a href="/economies/leeds">"#));
    assert!(
        body.contains(r#"value="SELBY""#),
        "the search stays in its box"
    );
    assert!(body.contains(r#"href="/economies?as_of=2014-Q2">Clear search"#));
    // Part of a member organisation's name: the economy, with the organisation named.
    let (_, body) = w.app.html("/economies?q=scarb").await;
    assert!(body.contains("1 economy found for \u{201c}scarb\u{201d}."));
    assert!(body.contains("Member: Scarborough Hospital Trust"));
    assert!(body.contains(r#"<a href="/economies/york">York and Selby</a>"#));
    // Several, and the sort links keep the search.
    let (_, body) = w.app.html("/economies?q=e").await;
    assert!(body.contains("3 economies found for \u{201c}e\u{201d}."));
    assert!(unescaped(&body).contains("/economies?as_of=2014-Q2&q=e&sort=name&dir=asc"));
    // Nothing found: a sentence, no table, and a way back.
    let (status, body) = w.app.html("/economies?q=zzz").await;
    assert_eq!(status, 200);
    assert!(body
        .contains("No economy or member organisation has a name containing \u{201c}zzz\u{201d}."));
    assert!(!body.contains("exemplar-ranking"));
    assert!(body.contains("Clear search"));
    // With a region too, the sentence names it.
    let (_, body) = w.app.html("/economies?q=zzz&region=London").await;
    assert!(body.contains(
        "No economy in London or member organisation of one has a name containing \u{201c}zzz\u{201d}."
    ));
}

#[tokio::test]
async fn staff_set_up_an_app_by_qr_code_or_key_and_the_key_is_never_logged() {
    let db = TestDb::new();
    db.load_example();
    add_submitters(&db);
    let secret = add_user(&db, "ann@board.nhs.uk", "assessor", None, PASSWORD).unwrap();
    let server = Server::start_with_log(&db, "debug");
    let b = Browser::to(&server.base);
    b.sign_in("ann@board.nhs.uk", PASSWORD, Some(&secret), 0)
        .await;

    let p = b.get("/account").await;
    assert_eq!(p.status, 200);
    assert_eq!(p.headers["cache-control"], "no-store");
    // The QR code, drawn on the server, named for screen readers, with a caption.
    assert!(p.body.contains(r#"<svg class="exemplar-qr__code" role="img" aria-label="QR code for setting up your authenticator app""#), "{}", p.body);
    assert!(p.body.contains("<figcaption"));
    assert!(p
        .body
        .contains("Scan this QR code with your authenticator app, or type the key."));
    // The key to type, for anyone who cannot scan.
    let start = p
        .body
        .find(r#"data-testid="authenticator-key""#)
        .expect("the key");
    let start = start + p.body[start..].find('>').unwrap() + 1;
    let key: String = p.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    assert_eq!(key.len(), 32, "{key}");
    assert!(p.body.contains(&format!("secret={key}")));
    // A wrong code: the page again with the same key and code.
    let p = b
        .post(
            "/account",
            &[
                ("action", "second-factor"),
                ("secret", &key),
                ("current", PASSWORD),
                ("code", "000000"),
            ],
        )
        .await;
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains(&key) && p.body.contains("exemplar-qr__code"));
    // A submitter has nothing to set up.
    let sam = Browser::to(&server.base);
    sam.sign_in("sam@york.nhs.uk", PASSWORD, None, 0).await;
    assert!(!sam.get("/account").await.body.contains("exemplar-qr"));

    // Nothing the server wrote, at its most talkative, holds either key.
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("/account"), "the requests were logged: {log}");
    assert!(!log.contains(&key), "the new key is in the log");
    assert!(!log.contains(&secret), "the current key is in the log");
}
