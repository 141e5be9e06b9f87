//! Questions between the board and an economy: asked from the assessment page, answered by
//! the economy's submitters (never another economy's), replied to and resolved by the board,
//! each post mailed to the other side, read receipts, the audit log, and never public.

use crate::helpers::{mail_in, world};
use std::time::{Duration, Instant};

/// Waits (up to 15 seconds) for a message to `to` whose subject starts with `subject`.
async fn mail_to(dir: &std::path::Path, to: &str, subject: &str) -> String {
    let start = Instant::now();
    loop {
        if let Some((_, text)) = mail_in(dir)
            .into_iter()
            .find(|(t, text)| t == to && text.contains(&format!("Subject: {subject}")))
        {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no message \"{subject}\" to {to}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_question_is_answered_by_its_economy_and_resolved_by_the_board() {
    let w = world().await;
    let ann = w.as_role("assessor").await.unwrap();
    let sam = w.as_role("submitter-a").await.unwrap();
    let lee = w.as_role("submitter-b").await.unwrap();
    let mail = w.app.db.mail_dir();

    // The form asks what the question is about: a value of York's, among others.
    let page = ann.get("/assess/economies/york").await.body;
    assert!(page.contains("Ask the economy a question"));
    let start = page.find("value=\"value:").expect("a value to ask about") + 7;
    let about: String = page[start..].chars().take_while(|c| *c != '"').collect();
    // Nothing chosen or written: every problem, and nothing kept.
    let p = ann
        .post(
            "/assess/economies/york/questions",
            &[("about", ""), ("question", " "), ("link", "ftp://x")],
        )
        .await;
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("Select what the question is about"));
    assert!(p.body.contains("Write your question"));
    assert!(p
        .body
        .contains("The link must be a web address starting with https://"));
    let p = ann
        .post(
            "/assess/economies/york/questions",
            &[
                ("about", about.as_str()),
                (
                    "question",
                    "Why did this rise from 40% to 95% in one quarter?",
                ),
                ("link", ""),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let address = p.location.clone();
    let id: i64 = address.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(address, format!("/assess/questions/{id}"));
    let page = ann.get(&address).await.body;
    assert!(page.contains("Why did this rise from 40% to 95% in one quarter?"));
    assert!(page.contains("Waiting for the economy"));

    // York's submitter is mailed, sees it waiting and answers; Leeds cannot see or answer it.
    let asked = mail_to(&mail, "sam@york.nhs.uk", "A question from the board about").await;
    assert!(asked.contains(&format!("/my-economy/questions/{id}")));
    assert!(sam
        .get("/my-economy")
        .await
        .body
        .contains("waiting for your answer"));
    assert_eq!(
        lee.get(&format!("/my-economy/questions/{id}")).await.status,
        404
    );
    let p = lee
        .post(
            &format!("/my-economy/questions/{id}"),
            &[("action", "reply"), ("answer", "Not ours"), ("link", "")],
        )
        .await;
    assert_eq!(p.status, 404);
    let mine = format!("/my-economy/questions/{id}");
    // The quarter form shows the question beside the value it is about.
    let (code, period) = about["value:".len()..].split_once('@').unwrap();
    let form = sam.get(&format!("/my-economy/periods/{period}")).await;
    assert_eq!(form.status, 200, "{period}");
    let at = form
        .body
        .find("The board asked about this value")
        .expect("the question beside its value");
    assert!(form.body[..at].contains(&format!("id=\"v-{code}")) || form.body[..at].contains(code));
    assert!(
        form.body[at..].starts_with(&format!(
            "The board asked about this value: <a href=\"{mine}\""
        )),
        "{}",
        &form.body[at..at + 200]
    );
    let page = sam.get(&mine).await.body;
    assert!(page.contains("Why did this rise from 40% to 95% in one quarter?"));
    assert!(page.contains("Waiting for your answer"));
    let p = sam
        .post(&mine, &[("action", "reply"), ("answer", ""), ("link", "")])
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Write your answer"));
    let p = sam
        .post(
            &mine,
            &[
                ("action", "reply"),
                (
                    "answer",
                    "The EPMA system went live on every ward in March.",
                ),
                ("link", "https://www.york.nhs.uk/epma-go-live.pdf"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);

    // The board is mailed, reads the answer with its link, and who has read what.
    let answered = mail_to(&mail, "ann@board.nhs.uk", "York").await;
    assert!(answered.contains(&format!("/assess/questions/{id}")));
    let page = ann.get(&address).await.body;
    assert!(page.contains("The EPMA system went live on every ward in March."));
    assert!(page.contains("https://www.york.nhs.uk/epma-go-live.pdf"));
    assert!(page.contains("Answered: waiting for the board"));
    assert!(
        page.contains("Seen by sam@york.nhs.uk"),
        "the economy read the question"
    );
    assert!(ann
        .get("/assess/questions")
        .await
        .body
        .contains("Answered: waiting for the board"));

    // Resolved: the economy is told, and the question takes no more posts.
    let p = ann.post(&address, &[("action", "resolve")]).await;
    assert_eq!(p.status, 303);
    mail_to(&mail, "sam@york.nhs.uk", "The board's question about").await;
    let p = sam
        .post(
            &mine,
            &[
                ("action", "reply"),
                ("answer", "One more thing"),
                ("link", ""),
            ],
        )
        .await;
    let page = sam.get(&p.location).await.body;
    assert!(
        page.contains("Not done: this question has been resolved"),
        "{page}"
    );
    assert!(page.contains("Resolved by ann@board.nhs.uk"));

    // In the audit log; never public.
    let admin = w.as_role("admin").await.unwrap();
    let audit = admin.get("/admin/audit?kind=question").await.body;
    assert!(audit.contains("asked a question about"));
    assert!(
        audit.contains("answered the board&#x27;s question about")
            || audit.contains("answered the board's question about")
    );
    assert!(audit.contains("resolved the question about"));
    for path in ["/economies/york", "/api/v1/economies/york", "/open-data"] {
        let body = w.app.get(path).await.text().await.unwrap();
        assert!(!body.contains("40% to 95%"), "{path}");
        assert!(!body.contains("went live on every ward"), "{path}");
    }
}

#[tokio::test]
async fn the_demo_has_questions_in_every_state() {
    let app = crate::helpers::TestApp::demo().await;
    let leeds = crate::helpers::Browser::new(&app);
    leeds
        .sign_in(
            "submitter@leeds.demo.nhs.uk",
            "demo submitter leeds",
            None,
            0,
        )
        .await;
    let page = leeds.get("/my-economy/questions").await.body;
    assert!(page.contains("Waiting for your answer"), "{page}");
    assert!(page.contains("Answered: waiting for the board"));
    assert!(page.contains("Resolved"));
    assert!(leeds
        .get("/my-economy")
        .await
        .body
        .contains("The board has asked 1 question waiting for your answer"));
}

#[tokio::test]
async fn either_side_attaches_a_document_checked_as_evidence_and_only_the_thread_opens_it() {
    use crate::helpers::{file, form, post_multipart, PDF};
    let w = world().await;
    let ann = w.as_role("assessor").await.unwrap();
    let sam = w.as_role("submitter-a").await.unwrap();
    let lee = w.as_role("submitter-b").await.unwrap();
    let mail = w.app.db.mail_dir();
    let page = ann.get("/assess/economies/york").await.body;
    assert!(page.contains("enctype=\"multipart/form-data\""));
    assert!(page.contains("Attach a document (optional)"));

    // The board asks with a document; a file that is not what its name says is refused with
    // the question kept.
    let ask = |bytes: Vec<u8>, name: &'static str| {
        form(&[
            ("about", "general"),
            (
                "question",
                "Does this plan match what the trust board approved?",
            ),
            ("link", ""),
        ])
        .part("document", file(name, bytes))
    };
    let p = post_multipart(
        &ann,
        "/assess/economies/york/questions",
        ask(b"MZ not a pdf at all".to_vec(), "plan.pdf"),
    )
    .await;
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains(
        "The selected file plan.pdf must be a PDF, Word document, Excel spreadsheet, PNG or JPEG"
    ));
    assert!(
        p.body.contains("href=\"#document\""),
        "the summary links to the field"
    );
    assert!(p
        .body
        .contains("Does this plan match what the trust board approved?"));
    let p = post_multipart(
        &ann,
        "/assess/economies/york/questions",
        ask(PDF.to_vec(), "Board plan 2015.pdf"),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let id: i64 = p.location.rsplit('/').next().unwrap().parse().unwrap();
    let asked = mail_to(&mail, "sam@york.nhs.uk", "A question from the board about").await;
    assert!(asked.contains("Attached: Board plan 2015.pdf"));

    // The economy opens it from its own page, and answers with a document of its own.
    let mine = format!("/my-economy/questions/{id}");
    let page = sam.get(&mine).await.body;
    assert!(page.contains("Board plan 2015.pdf (1 KB)"), "{page}");
    let start = page
        .find(&format!("{mine}/documents/"))
        .expect("a link to the document");
    let href: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let got = sam
        .client
        .get(format!("{}{href}", sam.base))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert!(got.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(got.bytes().await.unwrap().as_ref(), PDF);
    let p = post_multipart(
        &sam,
        &mine,
        form(&[
            ("action", "reply"),
            (
                "answer",
                "Yes: the minutes of its March meeting are attached.",
            ),
            ("link", ""),
        ])
        .part("document", file("Minutes March 2015.pdf", PDF.to_vec())),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let answered = mail_to(&mail, "ann@board.nhs.uk", "York").await;
    assert!(answered.contains("Attached: Minutes March 2015.pdf"));
    let page = ann.get(&format!("/assess/questions/{id}")).await.body;
    assert!(page.contains("Minutes March 2015.pdf (1 KB)"));
    assert!(page.contains(&format!("/assess/questions/{id}/documents/")));

    // Another economy's submitter cannot open it, nor can anyone signed out.
    assert_eq!(
        lee.client
            .get(format!("{}{href}", lee.base))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let outside = w.app.get(&href).await;
    assert_ne!(outside.status(), 200);
}
