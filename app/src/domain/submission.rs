//! The quarter submission form's rules: which field holds which answer, reading a posted form
//! into canonical values (with a message by every field that is wrong), the evidence a
//! criterion needs before it can be submitted, and the deadline after which changes are late.
//!
//! Pure, so the browser's what-if panel reads the form exactly as the server does.

use super::files::{format_number, parse_benefit, parse_value};
use super::framework::{Evidence, Framework, Kind};
use super::quarter::Quarter;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The field of a criterion's answer (radios, or a text input).
pub fn value_field(code: &str) -> String {
    format!("v-{code}")
}

/// The date a date criterion was achieved (with `v-CODE` = `achieved`).
pub fn date_field(code: &str) -> String {
    format!("d-{code}")
}

/// Why a value that set off one of the framework's checks is what it is.
pub fn reason_field(code: &str) -> String {
    format!("reason-{code}")
}

pub fn link_field(code: &str) -> String {
    format!("link-{code}")
}

pub fn file_field(code: &str) -> String {
    format!("file-{code}")
}

/// A document already uploaded with a form that was shown again, carried as
/// `SHA256 NAME` so that nothing chosen is lost.
pub fn kept_field(code: &str) -> String {
    format!("kept-{code}")
}

/// The date a date criterion's field gives, `YYYY-MM-DD` (empty when nothing is entered): from
/// the NHS.UK date input's boxes (`d-CODE-day`, `d-CODE-month`, `d-CODE-year`) when the form
/// has them, else from `d-CODE` whole (a script, a test, the stored value). `Err` says what is
/// wrong with the boxes.
pub fn date_answer(get: &dyn Fn(&str) -> Option<String>, code: &str) -> Result<String, String> {
    let field = date_field(code);
    let parts = ["day", "month", "year"].map(|p| get(&format!("{field}-{p}")));
    if parts.iter().all(Option::is_none) {
        return Ok(get(&field).unwrap_or_default().trim().to_string());
    }
    let get_part = |k: &str| {
        ["day", "month", "year"]
            .iter()
            .position(|p| k.ends_with(&format!("-{p}")))
            .and_then(|i| parts[i].clone())
            .unwrap_or_default()
    };
    crate::domain::types::posted_date(get_part, &field)
        .map(|d| d.map(|d| d.to_string()).unwrap_or_default())
}

/// What the form says of one criterion or benefit: `Ok(None)` not answered, `Ok(Some(text))`
/// an answer to parse, `Err` an answer that is incomplete (the field and the message).
pub fn answer(
    kind: Option<&Kind>,
    code: &str,
    title: &str,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<String>, (String, String)> {
    let v = get(&value_field(code)).unwrap_or_default();
    let v = v.trim();
    match kind {
        Some(Kind::Date(_)) => match v {
            "achieved" => match date_answer(get, code) {
                Ok(d) if d.is_empty() => Err((
                    date_field(code),
                    format!("Enter the date {title} was achieved"),
                )),
                Ok(d) => Ok(Some(d)),
                Err(m) => Err((date_field(code), format!("{m}: {title}"))),
            },
            "not-yet" => Ok(Some(String::new())),
            _ => Ok(None),
        },
        _ if v.is_empty() => Ok(None),
        _ => Ok(Some(v.to_string())),
    }
}

/// The canonical value of an answer, or the message to show by its field.
pub fn canonical(
    kind: Option<&Kind>,
    code: &str,
    title: &str,
    text: &str,
    period: Quarter,
) -> Result<String, (String, String)> {
    match kind {
        None => parse_benefit(code, text).map(format_number).map_err(|_| {
            (
                value_field(code),
                format!("{title} must be a number, like 12 or 9.5"),
            )
        }),
        Some(kind) => parse_value(kind, code, text, period)
            .map(|p| p.canonical())
            .map_err(|_| match kind {
                Kind::Boolean => (value_field(code), format!("Select yes or no for {title}")),
                Kind::Percentage(_) => (
                    value_field(code),
                    format!("{title} must be a percentage from 0 to 100, like 87.5"),
                ),
                Kind::Level(t) => (
                    value_field(code),
                    format!("{title} must be a whole number from 0 to {t}"),
                ),
                Kind::Date(_) => {
                    let end = period.end_date();
                    let message = match crate::domain::types::parse_ymd(text.trim()) {
                        Some(_) => format!(
                            "The date for {title} must be on or before {} (the end of {period}): a value cannot claim the future",
                            crate::domain::types::long_date(end)
                        ),
                        None => format!(
                            "The date for {title} must be a real date written as YYYY-MM-DD, like 2014-03-31"
                        ),
                    };
                    (date_field(code), message)
                }
            }),
    }
}

/// One answer read from the form: the code and its canonical value (`None`: not answered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answered {
    pub code: String,
    pub value: Option<String>,
}

/// Reads every criterion and benefit of the framework from a posted form, in framework order.
/// Problems come back with their field, in the order of the form.
pub fn read_form(
    fw: &Framework,
    period: Quarter,
    get: &dyn Fn(&str) -> Option<String>,
) -> (Vec<Answered>, Vec<(String, String)>) {
    let mut answers = Vec::new();
    let mut problems = Vec::new();
    let items = fw
        .criteria
        .iter()
        .map(|c| (Some(&c.kind), c.code.as_str(), c.title.as_str()))
        .chain(
            fw.benefits
                .iter()
                .map(|b| (None, b.code.as_str(), b.title.as_str())),
        );
    for (kind, code, title) in items {
        let value = match answer(kind, code, title, get) {
            Ok(Some(text)) => match canonical(kind, code, title, &text, period) {
                Ok(v) => Some(v),
                Err(p) => {
                    problems.push(p);
                    None
                }
            },
            Ok(None) => None,
            Err(p) => {
                problems.push(p);
                None
            }
        };
        answers.push(Answered {
            code: code.to_string(),
            value,
        });
    }
    (answers, problems)
}

/// The evidence a value has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Have {
    Nothing,
    Link,
    Document,
}

/// Why a value cannot be submitted yet for want of evidence, if it cannot. A document is
/// stronger evidence than a link, so it satisfies a link requirement too.
pub fn evidence_missing(required: Evidence, have: Have, title: &str) -> Option<String> {
    match (required, have) {
        (Evidence::None, _) | (Evidence::Link, Have::Link | Have::Document) => None,
        (Evidence::Document, Have::Document) => None,
        (Evidence::Link, Have::Nothing) => Some(format!(
            "{title} needs evidence before it can be submitted: add a link or upload a document"
        )),
        (Evidence::Document, _) => Some(format!(
            "{title} needs a document as evidence before it can be submitted: upload one"
        )),
    }
}

/// Checks a link given as evidence: an http or https address, nothing else.
pub fn check_link(text: &str) -> Result<String, String> {
    let t = text.trim();
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .ok_or_else(|| {
            "The link must be a web address starting with https://, like https://www.example.nhs.uk/report.pdf".to_string()
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') || t.chars().any(char::is_whitespace) {
        return Err("The link must be a whole web address, like https://www.example.nhs.uk/report.pdf, without spaces".into());
    }
    if t.len() > 2000 {
        return Err("The link must be 2,000 characters or fewer".into());
    }
    Ok(t.to_string())
}

/// The day a quarter's values are due.
pub fn deadline(fw: &Framework, q: Quarter) -> NaiveDate {
    q.end_date() + chrono::Duration::days(i64::from(fw.calendar.submission_days))
}

/// Whether a change made on `today` to quarter `q` is late.
pub fn is_late(fw: &Framework, q: Quarter, today: NaiveDate) -> bool {
    today > deadline(fw, q)
}

/// The quarters a submitter may report: from the one containing the framework's earliest
/// milestone (or 2013-Q1) up to the last quarter that has ended, newest first.
pub fn reportable_quarters(fw: &Framework, today: NaiveDate) -> Vec<Quarter> {
    let last = Quarter::containing(today).prev();
    let first = fw
        .milestones
        .iter()
        .map(|m| m.date)
        .min()
        .map(Quarter::containing)
        .unwrap_or_else(|| Quarter::new(2013, 1).expect("valid"))
        .min(last);
    let mut all: Vec<Quarter> = first.through(last).collect();
    all.reverse();
    all
}

/// One row of a values upload's preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub line: u64,
    pub period: String,
    pub code: String,
    pub value: String,
    /// new, replaced or unchanged
    pub change: String,
    /// The draft or submitted value it replaces.
    pub current: Option<String>,
}

/// The most an Office document may unpack to, in all, and the largest ratio of unpacked to
/// packed size: beyond either it is a zip bomb, not a report.
const UNPACKED_LIMIT: u64 = 100 * 1024 * 1024;
const RATIO_LIMIT: u64 = 100;

/// Checks an Office document (a zip) from its central directory, without unpacking anything:
/// it must be a well-formed zip holding `[Content_Types].xml`, unpack to at most 100 MB in
/// all and at most 100 times its size.
pub fn office_zip(bytes: &[u8]) -> Result<(), String> {
    let bad = || "it is not a well-formed Office document".to_string();
    let u16_at = |i: usize| -> Option<u64> {
        Some(u64::from(u16::from_le_bytes(
            bytes.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    let u32_at = |i: usize| -> Option<u64> {
        Some(u64::from(u32::from_le_bytes(
            bytes.get(i..i + 4)?.try_into().ok()?,
        )))
    };
    // The end of central directory record: in the last 64 KiB + 22 bytes.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .ok_or_else(bad)?;
    let entries = u16_at(eocd + 10).ok_or_else(bad)?;
    let mut at = u32_at(eocd + 16).ok_or_else(bad)? as usize;
    let (mut unpacked, mut content_types) = (0u64, false);
    for _ in 0..entries {
        if bytes.get(at..at + 4) != Some(&[0x50, 0x4b, 0x01, 0x02]) {
            return Err(bad());
        }
        let size = u32_at(at + 24).ok_or_else(bad)?;
        if size == 0xffff_ffff {
            return Err("it unpacks to more than 4 GB".into());
        }
        let name_len = u16_at(at + 28).ok_or_else(bad)? as usize;
        let extra = u16_at(at + 30).ok_or_else(bad)? as usize;
        let comment = u16_at(at + 32).ok_or_else(bad)? as usize;
        let name = bytes.get(at + 46..at + 46 + name_len).ok_or_else(bad)?;
        content_types |= name == b"[Content_Types].xml";
        unpacked = unpacked.saturating_add(size);
        at += 46 + name_len + extra + comment;
    }
    if !content_types {
        return Err(bad());
    }
    if unpacked > UNPACKED_LIMIT || unpacked > RATIO_LIMIT.saturating_mul(bytes.len() as u64) {
        return Err(format!(
            "it unpacks to {} MB, far more than a document of its size could hold",
            unpacked / (1024 * 1024)
        ));
    }
    Ok(())
}

/// What an economy's own page (`/my-economy`) shows.
pub mod view {
    use crate::domain::Quarter;
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};

    /// Where a criterion stands for an economy, as its pages show it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Standing {
        /// No value up to the quarter.
        Missing,
        /// Submitted, not yet checked by the board.
        Submitted,
        /// Checked against its evidence by the board.
        Verified,
        /// Returned to the economy by the board, with a reason.
        Returned,
    }

    impl Standing {
        pub fn label(self) -> &'static str {
            match self {
                Standing::Missing => "Missing",
                Standing::Submitted => "Submitted",
                Standing::Verified => "Verified",
                Standing::Returned => "Returned",
            }
        }
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct CriterionLine {
        pub theme: String,
        pub code: String,
        pub title: String,
        pub status: Standing,
        pub value: Option<String>,
        pub period: Option<String>,
        pub gate: bool,
        pub stage: Option<u8>,
        pub met: bool,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct CalendarLine {
        pub quarter: Quarter,
        /// It has ended, so it can be reported.
        pub open: bool,
        pub deadline: NaiveDate,
        pub publication: NaiveDate,
        pub published: bool,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct MyEconomyView {
        pub slug: String,
        pub name: String,
        pub region: String,
        pub candidate: bool,
        pub as_of: Quarter,
        pub overall: f64,
        pub verified_overall: f64,
        pub completeness: f64,
        pub confidence: f64,
        pub stage: u8,
        pub top_stage: u8,
        pub rank: Option<u32>,
        pub ranked: usize,
        pub themes: Vec<(String, f64)>,
        pub criteria: Vec<CriterionLine>,
        pub unmet_gates: Vec<String>,
        pub next_stage: Option<(u8, Vec<String>)>,
        pub paperless_threshold: f64,
        pub paperless_milestone: Option<NaiveDate>,
        pub paperless_date: Option<NaiveDate>,
        pub paperless_achieved: bool,
        pub on_track: bool,
        pub calendar: Vec<CalendarLine>,
        /// The board's messages, newest first.
        pub messages: Vec<MessageLine>,
        /// How many of them are new since the reader last looked.
        #[serde(default)]
        pub new_messages: usize,
        /// Values the board returned, waiting to be corrected or evidenced.
        #[serde(default)]
        pub returned: Vec<ReturnedLine>,
        /// The quarter being reported, while its values can still be sent.
        #[serde(default)]
        pub due: Option<DueLine>,
        /// Quarters with drafts not yet submitted, and how many.
        pub drafts: Vec<(String, usize)>,
        /// Outcome measures up to `as_of`, beside the live overall score.
        pub benefits: Vec<crate::domain::benefits::EconomyBenefit>,
        /// The latest submissions with their receipts, newest first.
        pub receipts: Vec<ReceiptSummary>,
        /// The economy beside economies like it (`domain::peers`), once it has scores.
        #[serde(default)]
        pub standing: Option<crate::domain::peers::Standing>,
        /// What moved since the quarter before, and why.
        #[serde(default)]
        pub changes: Option<crate::domain::changes::QuarterChanges>,
        /// The figures to check before the next publication, and the economy's questions
        /// (`/my-economy` only).
        #[serde(default)]
        pub preview: Option<crate::domain::preview::PreviewView>,
        /// Completeness and timeliness of its reporting, quarter by quarter, newest first
        /// (`/my-economy` only).
        #[serde(default)]
        pub reporting: Vec<crate::domain::reporting::QuarterReporting>,
        /// Who is completing the quarter being reported, and what is assigned to the reader
        /// (`/my-economy` only).
        #[serde(default)]
        pub teamwork: Option<crate::domain::teamwork::view::TeamworkView>,
    }

    /// A quarter's report of an economy (`/my-economy/report/{YYYY-Qn}`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ReportView {
        /// The economy as of the quarter (`data.as_of`), with the published figures once it is
        /// published.
        pub data: MyEconomyView,
        /// When the quarter's figures were first published; none while provisional.
        pub published_on: Option<NaiveDate>,
        /// The reason for the latest revision of the published figures, if any.
        pub revised: Option<String>,
    }

    /// A message from the board as the economy's page lists it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct MessageLine {
        /// When, GOV.UK style.
        pub at: String,
        pub subject: String,
        pub body: String,
        /// Sent since the reader last looked.
        pub new: bool,
    }

    /// A value the board returned, with its reason.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ReturnedLine {
        pub period: Quarter,
        pub code: String,
        pub title: String,
        pub value: String,
        pub reason: Option<String>,
    }

    /// The quarter being reported and what it still needs.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct DueLine {
        pub quarter: Quarter,
        pub deadline: NaiveDate,
        /// Days from today to the deadline (negative: passed).
        pub days_left: i64,
        /// Criteria with no value submitted for the quarter.
        pub missing: usize,
    }

    /// A submission's receipt as listed on the economy's page.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ReceiptSummary {
        pub reference: String,
        pub quarter: Quarter,
        /// When, GOV.UK style.
        pub submitted: String,
        /// How many values it holds.
        pub values: usize,
    }

    /// "Check your answers" for a quarter: every draft as it would be submitted.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct CheckView {
        pub economy: String,
        pub quarter: Quarter,
        pub deadline: NaiveDate,
        /// Submitting now is after the deadline: the values will be marked late.
        pub late: bool,
        /// The quarter as stored, so a submission made on a stale page is refused.
        pub version: String,
        pub lines: Vec<CheckLine>,
        /// Where the lead's sign-off of the quarter stands.
        pub signoff: crate::domain::teamwork::view::SignoffLine,
    }

    /// One draft on the check page.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct CheckLine {
        pub code: String,
        pub title: String,
        /// The value submitted now, as shown; `None` when none is.
        pub before: Option<String>,
        /// The draft, as shown: what would be submitted.
        pub after: String,
        /// The evidence it would go with, in words ("Document: plan.pdf"), if any.
        pub evidence: Option<String>,
        /// Why it cannot be submitted as it is (evidence it needs), if so.
        pub problem: Option<String>,
        /// Who saved the draft, and when (GOV.UK style).
        pub saved: String,
        /// Saved in the change just made (ticked to submit), rather than left from before.
        pub just_changed: bool,
        /// The framework's checks the draft sets off, with the reason given, if any.
        pub warnings: Vec<crate::domain::checks::Warning>,
        pub reason: Option<String>,
    }

    /// What was submitted, kept as a receipt.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ReceiptView {
        pub reference: String,
        pub economy: String,
        pub quarter: Quarter,
        /// When, GOV.UK style.
        pub submitted: String,
        pub by: String,
        pub late: bool,
        /// When the quarter is due to be published.
        pub publication: NaiveDate,
        pub lines: Vec<ReceiptLine>,
    }

    /// One value of a receipt.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ReceiptLine {
        pub code: String,
        pub title: String,
        pub before: Option<String>,
        pub after: String,
        pub evidence: Option<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn fw() -> Framework {
        Framework::from_toml(include_str!("../../../frameworks/exemplar-2015.toml")).unwrap()
    }

    fn getter(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn reads_each_kind_canonically() {
        let fw = fw();
        let q: Quarter = "2014-Q2".parse().unwrap();
        let date = fw
            .criteria
            .iter()
            .find(|c| matches!(c.kind, Kind::Date(_)))
            .unwrap();
        let pct = fw
            .criteria
            .iter()
            .find(|c| matches!(c.kind, Kind::Percentage(_)))
            .unwrap();
        let boolean = fw
            .criteria
            .iter()
            .find(|c| c.kind == Kind::Boolean)
            .unwrap();
        let get = getter(&[
            (&value_field(&date.code), "achieved"),
            (&date_field(&date.code), " 2014-03-01 "),
            (&value_field(&pct.code), "087.50"),
            (&value_field(&boolean.code), "Yes"),
        ]);
        let (answers, problems) = read_form(&fw, q, &get);
        assert!(problems.is_empty(), "{problems:?}");
        let of = |code: &str| {
            answers
                .iter()
                .find(|a| a.code == code)
                .unwrap()
                .value
                .clone()
        };
        assert_eq!(of(&date.code).as_deref(), Some("2014-03-01"));
        assert_eq!(of(&pct.code).as_deref(), Some("87.5"));
        assert_eq!(of(&boolean.code).as_deref(), Some("yes"));
        assert_eq!(answers.len(), fw.criteria.len() + fw.benefits.len());
        assert_eq!(answers.iter().filter(|a| a.value.is_some()).count(), 3);
    }

    #[test]
    fn not_yet_is_a_value_and_a_missing_date_is_a_problem() {
        let fw = fw();
        let q: Quarter = "2014-Q2".parse().unwrap();
        let date = fw
            .criteria
            .iter()
            .find(|c| matches!(c.kind, Kind::Date(_)))
            .unwrap();
        let (a, p) = read_form(&fw, q, &getter(&[(&value_field(&date.code), "not-yet")]));
        assert!(p.is_empty());
        assert_eq!(
            a.iter()
                .find(|x| x.code == date.code)
                .unwrap()
                .value
                .as_deref(),
            Some("")
        );
        let (_, p) = read_form(&fw, q, &getter(&[(&value_field(&date.code), "achieved")]));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, date_field(&date.code));
        assert!(p[0].1.starts_with("Enter the date"), "{}", p[0].1);
    }

    #[test]
    fn problems_name_the_field_and_the_rule() {
        let fw = fw();
        let q: Quarter = "2014-Q2".parse().unwrap();
        let date = fw
            .criteria
            .iter()
            .find(|c| matches!(c.kind, Kind::Date(_)))
            .unwrap();
        let pct = fw
            .criteria
            .iter()
            .find(|c| matches!(c.kind, Kind::Percentage(_)))
            .unwrap();
        let get = getter(&[
            (&value_field(&date.code), "achieved"),
            (&date_field(&date.code), "2014-07-01"),
            (&value_field(&pct.code), "101"),
        ]);
        let (_, p) = read_form(&fw, q, &get);
        assert_eq!(p.len(), 2, "{p:?}");
        let fields: Vec<&str> = p.iter().map(|(f, _)| f.as_str()).collect();
        assert!(fields.contains(&date_field(&date.code).as_str()));
        assert!(fields.contains(&value_field(&pct.code).as_str()));
        assert!(p.iter().any(|(_, m)| m.contains("cannot claim the future")));
        assert!(p.iter().any(|(_, m)| m.contains("from 0 to 100")));
    }

    #[test]
    fn a_date_is_read_from_its_three_boxes_or_whole() {
        let boxes = |d: &str, m: &str, y: &str| {
            let (d, m, y) = (d.to_string(), m.to_string(), y.to_string());
            move |k: &str| match k {
                "d-X-day" => Some(d.clone()),
                "d-X-month" => Some(m.clone()),
                "d-X-year" => Some(y.clone()),
                _ => None,
            }
        };
        assert_eq!(
            date_answer(&boxes("2", "6", "2014"), "X").unwrap(),
            "2014-06-02"
        );
        assert_eq!(date_answer(&boxes("", "", ""), "X").unwrap(), "");
        assert_eq!(
            date_answer(&boxes("31", "2", "2014"), "X").unwrap_err(),
            "The date must be a real date"
        );
        let whole = |k: &str| (k == "d-X").then(|| " 2014-03-01 ".to_string());
        assert_eq!(date_answer(&whole, "X").unwrap(), "2014-03-01");
    }

    #[test]
    fn evidence_rules() {
        use Evidence::*;
        assert_eq!(evidence_missing(None, Have::Nothing, "X"), Option::None);
        assert!(evidence_missing(Link, Have::Nothing, "X").is_some());
        assert_eq!(evidence_missing(Link, Have::Link, "X"), Option::None);
        assert_eq!(evidence_missing(Link, Have::Document, "X"), Option::None);
        assert!(evidence_missing(Document, Have::Link, "X").is_some());
        assert!(evidence_missing(Document, Have::Nothing, "X").is_some());
        assert_eq!(
            evidence_missing(Document, Have::Document, "X"),
            Option::None
        );
    }

    #[test]
    fn links() {
        assert!(check_link("https://www.leeds.nhs.uk/epr.pdf").is_ok());
        assert!(check_link("http://example.org").is_ok());
        assert!(check_link("ftp://example.org").is_err());
        assert!(check_link("javascript:alert(1)").is_err());
        assert!(check_link("https://").is_err());
        assert!(check_link("https://a b.org").is_err());
        assert!(check_link("www.example.org").is_err());
    }

    #[test]
    fn deadlines_and_lateness() {
        let fw = fw();
        let q: Quarter = "2014-Q1".parse().unwrap();
        let due = deadline(&fw, q);
        assert_eq!(
            due,
            NaiveDate::from_ymd_opt(2014, 3, 31).unwrap()
                + chrono::Duration::days(i64::from(fw.calendar.submission_days))
        );
        assert!(!is_late(&fw, q, due));
        assert!(is_late(&fw, q, due.succ_opt().unwrap()));
    }

    #[test]
    fn reportable_quarters_end_with_the_last_ended_one() {
        let fw = fw();
        let today = NaiveDate::from_ymd_opt(2015, 4, 20).unwrap();
        let qs = reportable_quarters(&fw, today);
        assert_eq!(qs[0].to_string(), "2015-Q1");
        assert!(qs.windows(2).all(|w| w[0] > w[1]));
    }
}

#[cfg(test)]
mod office_tests {
    use super::*;

    /// A zip of stored entries, each with the unpacked size its directory claims.
    fn zip(entries: &[(&str, &[u8], u32)]) -> Vec<u8> {
        let (mut out, mut dir) = (Vec::new(), Vec::new());
        for (name, data, claimed) in entries {
            let offset = out.len() as u32;
            out.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&0u32.to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&claimed.to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            dir.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            dir.extend_from_slice(&0u32.to_le_bytes());
            dir.extend_from_slice(&(data.len() as u32).to_le_bytes());
            dir.extend_from_slice(&claimed.to_le_bytes());
            dir.extend_from_slice(&(name.len() as u16).to_le_bytes());
            dir.extend_from_slice(&[0; 12]);
            dir.extend_from_slice(&offset.to_le_bytes());
            dir.extend_from_slice(name.as_bytes());
        }
        let (dir_at, dir_len) = (out.len() as u32, dir.len() as u32);
        out.extend_from_slice(&dir);
        out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]);
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&dir_len.to_le_bytes());
        out.extend_from_slice(&dir_at.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn an_office_document_is_judged_by_its_zip_directory() {
        let types: &[u8] = b"<Types/>";
        let body = vec![b'x'; 4000];
        let good = zip(&[
            ("[Content_Types].xml", types, types.len() as u32),
            ("word/document.xml", &body, 4000),
        ]);
        assert_eq!(office_zip(&good), Ok(()));
        let bomb = zip(&[
            ("[Content_Types].xml", types, types.len() as u32),
            ("word/document.xml", &body, 150 * 1024 * 1024),
        ]);
        assert!(office_zip(&bomb).unwrap_err().contains("unpacks to 150 MB"));
        let dense = zip(&[
            ("[Content_Types].xml", types, types.len() as u32),
            ("word/document.xml", &body, 4000 * 200),
        ]);
        assert!(office_zip(&dense).is_err(), "200 times its size");
        let huge = zip(&[("[Content_Types].xml", types, u32::MAX)]);
        assert!(office_zip(&huge).unwrap_err().contains("4 GB"));
        let no_types = zip(&[("word/document.xml", &body, 4000)]);
        assert!(office_zip(&no_types).is_err());
        assert!(office_zip(b"PK\x03\x04 and nothing more").is_err());
        let mut cut = good.clone();
        cut.truncate(good.len() - 30);
        assert!(office_zip(&cut).is_err(), "a cut directory");
    }
}
