//! Storage rules: all-or-nothing imports, value history, economies updated in place.

use crate::helpers::{example_framework, stderr, TestDb};
use proptest::prelude::*;

async fn snapshot(pool: &app::db::Pool) -> (Vec<app::db::Economy>, String, usize) {
    let economies = app::db::candidates(pool).await.unwrap();
    let (_, scores) = app::service::live_scores(pool, None).await.unwrap();
    let frameworks = app::db::list_frameworks(pool).await.unwrap().len();
    (
        economies,
        serde_json::to_string(&scores).unwrap(),
        frameworks,
    )
}

#[tokio::test]
async fn replaced_values_keep_their_history() {
    let db = TestDb::new();
    db.load_example();
    let fix = db.dir.path().join("fix.csv");
    std::fs::write(&fix, "economy,period,criterion,value,status\nleeds,2014-Q2,NHS-NUMBER,97,verified\nleeds,2014-Q2,GP2GP,yes,verified\n").unwrap();
    let out = db.run(&["import", "values", fix.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("(0 new, 1 replaced, 1 unchanged)"),
        "{}",
        stderr(&out)
    );
    let pool = db.pool().await;
    let ids = app::db::economy_ids(&pool).await.unwrap();
    let history = app::db::value_history(&pool, ids["leeds"]).await.unwrap();
    assert_eq!(history.len(), 1);
    let h = &history[0];
    assert_eq!(
        (h.period.as_str(), h.code.as_str()),
        ("2014-Q2", "NHS-NUMBER")
    );
    assert_eq!(
        (h.old_value.as_deref(), h.old_status.as_deref()),
        (Some("96"), Some("submitted"))
    );
    assert_eq!(
        (h.new_value.as_str(), h.new_status.as_str()),
        ("97", "verified")
    );
    assert_eq!(h.changed_by, "command line");
}

#[tokio::test]
async fn importing_an_existing_slug_updates_it() {
    let db = TestDb::new();
    db.load_example();
    let path = db.dir.path().join("e.csv");
    std::fs::write(
        &path,
        "slug,name,region\nleeds,Leeds Health and Care Partnership,Yorkshire and the Humber\n",
    )
    .unwrap();
    let out = db.run(&["import", "economies", path.to_str().unwrap()]);
    assert_eq!(
        stderr(&out).trim(),
        "imported 1 economies (0 new, 1 updated)"
    );
    let pool = db.pool().await;
    let e = app::db::candidates(&pool).await.unwrap();
    assert_eq!(
        e.iter().find(|e| e.slug == "leeds").unwrap().name,
        "Leeds Health and Care Partnership"
    );
}

fn bad_row() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("leeds,2014-Q3,NHS-NUMBER,101,".to_string()),
        Just("nowhere,2014-Q3,GP2GP,yes,".to_string()),
        Just("leeds,2014-Q3,NOPE,yes,".to_string()),
        Just("leeds,2014-Q0,GP2GP,yes,".to_string()),
        Just("leeds,2014-Q3,CONNECT,6,".to_string()),
        Just("leeds,2014-Q3,GP2GP,yes,approved".to_string()),
        Just("york,2014-Q3,EPR-ACUTE,2014-10-01,".to_string()),
    ]
}

fn good_row() -> impl Strategy<Value = String> {
    (0usize..3, 0usize..4, 0u32..=5).prop_map(|(e, q, v)| {
        let economy = ["leeds", "york", "hull"][e];
        let period = ["2014-Q3", "2014-Q4", "2015-Q1", "2013-Q4"][q];
        format!("{economy},{period},CONNECT,{v},verified")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// A refused import leaves every framework, economy and value exactly as it was.
    #[test]
    fn a_refused_import_changes_nothing(good in prop::collection::vec(good_row(), 0..6), bad in bad_row(), at in 0usize..6) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let db = TestDb::new();
            db.load_example();
            let pool = db.pool().await;
            let before = snapshot(&pool).await;
            let mut rows = good.clone();
            rows.insert(at.min(rows.len()), bad.clone());
            let csv = format!("economy,period,criterion,value,status\n{}\n", rows.join("\n"));
            let result = app::service::import_values(&pool, csv.as_bytes(), "test.csv", "test").await;
            prop_assert!(matches!(result, Err(app::service::ServiceError::Refused(_))));
            prop_assert_eq!(snapshot(&pool).await, before.clone());
            let bad_framework = example_framework().replace("weight = 3.0", "weight = -3.0");
            prop_assert!(app::service::load_framework(&pool, &bad_framework, "test").await.is_err());
            prop_assert_eq!(snapshot(&pool).await, before);
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn a_big_file_refused_after_storing_began_leaves_nothing() {
    // More rows than one chunk (storage starts before the check ends), then a bad row.
    let db = TestDb::new();
    db.load_example();
    let mut economies = String::from("slug,name,region\n");
    for e in 0..1000 {
        economies.push_str(&format!("e{e},Economy {e},London\n"));
    }
    let epath = db.dir.path().join("e.csv");
    std::fs::write(&epath, economies).unwrap();
    db.ok(&["import", "economies", epath.to_str().unwrap()]);
    let pool = db.pool().await;
    let before = snapshot(&pool).await;
    let mut values = String::from("economy,period,criterion,value,status\n");
    for e in 0..1000 {
        for q in 0..8 {
            for (code, v) in [("GP2GP", "yes"), ("CONNECT", "3"), ("NHS-NUMBER", "50")] {
                values.push_str(&format!(
                    "e{e},{}-Q{},{code},{v},\n",
                    2012 + q / 4,
                    q % 4 + 1
                ));
            }
        }
        if e == 999 {
            values.push_str("e999,2014-Q1,CONNECT,9,\n");
        }
    }
    let vpath = db.dir.path().join("v.csv");
    std::fs::write(&vpath, values).unwrap();
    let out = db.run(&["import", "values", vpath.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(":24002: value: 9 is above the target 5 for level criterion CONNECT"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&pool).await, before);
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |dir: &str| -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        v.sort();
        v
    };
    let sqlite = names("../migrations/sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("../migrations/postgres"));
}
