//! Entry points for the fuzz targets (`fuzz/`, `make fuzz`) and their regression test: each
//! takes arbitrary bytes and drives one parser of hostile input. They must never panic; what
//! the parsers return does not matter here. Pure.

use super::framework::Framework;
use super::{files, nomination, submission, trusts, Quarter};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// The targets, by name: the folder names under `fuzz/regressions/`.
pub const TARGETS: [&str; 6] = [
    "framework",
    "values",
    "economies",
    "trusts",
    "fields",
    "documents",
];

/// The default framework, parsed once.
fn framework() -> &'static Framework {
    static FW: std::sync::OnceLock<Framework> = std::sync::OnceLock::new();
    FW.get_or_init(|| {
        Framework::from_toml(include_str!("../../../frameworks/exemplar-2015.toml"))
            .expect("the default framework loads")
    })
}

/// Runs the named target on `data`.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "framework" => framework_toml(data),
        "values" => values_csv(data),
        "economies" => economies_csv(data),
        "trusts" => trusts_csv(data),
        "fields" => fields(data),
        "documents" => {
            let _ = submission::office_zip(data);
        }
        other => panic!("no fuzz target {other}"),
    }
}

/// A framework file.
pub fn framework_toml(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(fw) = Framework::from_toml(text) {
            // A framework that loads must also score and explain itself.
            let _ = fw.shares();
        }
    }
}

/// A values file against the default framework.
pub fn values_csv(data: &[u8]) {
    let known: HashSet<String> = ["leeds", "york"].iter().map(|s| s.to_string()).collect();
    let _ = files::parse_values(data, framework(), &known);
}

/// An economies file.
pub fn economies_csv(data: &[u8]) {
    let _ = files::parse_economies(data);
}

/// A trusts file.
pub fn trusts_csv(data: &[u8]) {
    let known: HashSet<String> = ["leeds"].iter().map(|s| s.to_string()).collect();
    let today = NaiveDate::from_ymd_opt(2015, 4, 20).expect("valid");
    let _ = trusts::parse_trusts(data, &known, today, None);
}

/// Lines of `name=value`: a quarter (`quarter=`), and the fields of the quarter form, the
/// nomination form and a remediation plan, read as the web reads them.
pub fn fields(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut form: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        if let Some((k, v)) = line.split_once('=') {
            form.insert(k.to_string(), v.to_string());
        }
    }
    let q = form
        .get("quarter")
        .and_then(|q| q.parse::<Quarter>().ok())
        .unwrap_or_else(|| "2014-Q2".parse().expect("a quarter"));
    for line in text.lines() {
        let _ = line.parse::<Quarter>();
    }
    let fw = framework();
    let get = |k: &str| form.get(k).cloned();
    let _ = submission::read_form(fw, q, &get);
    for c in &fw.criteria {
        if let Some(v) = form.get(&c.code) {
            let _ = files::parse_value(&c.kind, &c.code, v, q);
        }
    }
    for v in form.values() {
        let _ = files::parse_benefit("B", v);
        let _ = submission::check_link(v);
    }
    let _ = nomination::parse(
        &form,
        &Default::default(),
        chrono::NaiveDate::from_ymd_opt(2015, 4, 20).expect("valid"),
    );
    let _ = trusts::check_plan(
        form.get("agreed_date").map(String::as_str).unwrap_or(""),
        form.get("agreed").map(String::as_str).unwrap_or(""),
        form.get("consequence").map(String::as_str).unwrap_or(""),
        NaiveDate::from_ymd_opt(2014, 4, 1),
    );
}
