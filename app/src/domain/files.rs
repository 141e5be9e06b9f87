//! Values of each kind, and the CSV files of scoring.md section 6, parsed whole or refused
//! with every problem and its line.

use super::csv_file::read_csv;
use super::framework::{Framework, Kind};
use super::problem::Problem;
use super::quarter::Quarter;
use super::types::{Slug, Status};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// A criterion value parsed for its kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parsed {
    Boolean(bool),
    Percentage(f64),
    Level(u32),
    /// The date it was achieved, or `None` for not yet.
    Date(Option<NaiveDate>),
}

impl Parsed {
    /// The canonical text stored for this value.
    pub fn canonical(&self) -> String {
        match self {
            Parsed::Boolean(true) => "yes".into(),
            Parsed::Boolean(false) => "no".into(),
            Parsed::Percentage(n) => format_number(*n),
            Parsed::Level(n) => n.to_string(),
            Parsed::Date(Some(d)) => crate::domain::types::ymd(*d),
            Parsed::Date(None) => String::new(),
        }
    }
}

/// Numbers in their shortest exact form (`92.5`, `100`, `53.28947368421053`).
pub fn format_number(n: f64) -> String {
    if n == 0.0 {
        // Never print "-0".
        return "0".into();
    }
    format!("{n}")
}

/// A decimal number: digits with an optional sign and fraction, nothing else (no exponent,
/// no `inf`, no `NaN`).
fn decimal(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok = digits(int)
        && frac.is_none_or(digits)
        && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()));
    if !ok {
        return None;
    }
    crate::domain::types::parse_f64(text).filter(|n| n.is_finite())
}

/// Parses one criterion value (trimmed) for `kind`; `period` rules out dates in the future of
/// the period. The error says why, naming the criterion.
pub fn parse_value(kind: &Kind, code: &str, text: &str, period: Quarter) -> Result<Parsed, String> {
    let text = text.trim();
    match kind {
        Kind::Boolean => match text.to_ascii_lowercase().as_str() {
            "yes" | "true" => Ok(Parsed::Boolean(true)),
            "no" | "false" => Ok(Parsed::Boolean(false)),
            _ => Err(format!(
                "\"{text}\" is not yes, no, true or false for boolean criterion {code}"
            )),
        },
        Kind::Percentage(_) => {
            let n = decimal(text).ok_or_else(|| {
                format!("\"{text}\" is not a number for percentage criterion {code}")
            })?;
            if n > 100.0 {
                Err(format!(
                    "{text} is above 100 for percentage criterion {code}"
                ))
            } else if n < 0.0 {
                Err(format!("{text} is below 0 for percentage criterion {code}"))
            } else {
                Ok(Parsed::Percentage(n))
            }
        }
        Kind::Level(target) => {
            let body = text.strip_prefix('+').unwrap_or(text);
            let n: i64 = if !body.is_empty()
                && body
                    .strip_prefix('-')
                    .unwrap_or(body)
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            {
                body.parse()
                    .map_err(|_| format!("{text} is out of range for level criterion {code}"))?
            } else {
                return Err(format!(
                    "\"{text}\" is not a whole number for level criterion {code}"
                ));
            };
            if n < 0 {
                Err(format!("{text} is below 0 for level criterion {code}"))
            } else if n > i64::from(*target) {
                Err(format!(
                    "{text} is above the target {target} for level criterion {code}"
                ))
            } else {
                Ok(Parsed::Level(n as u32))
            }
        }
        Kind::Date(_) => {
            if text.is_empty() {
                return Ok(Parsed::Date(None));
            }
            let d = crate::domain::types::parse_ymd(text)
                .filter(|_| text.len() == 10)
                .ok_or_else(|| {
                    format!("\"{text}\" is not a date (YYYY-MM-DD, or empty for not yet) for date criterion {code}")
                })?;
            if d > period.end_date() {
                Err(format!(
                    "{text} is after the end of {period} ({}): a value cannot claim the future",
                    period.end_date()
                ))
            } else {
                Ok(Parsed::Date(Some(d)))
            }
        }
    }
}

/// Parses a benefit value: a decimal number, negative allowed.
pub fn parse_benefit(code: &str, text: &str) -> Result<f64, String> {
    let text = text.trim();
    decimal(text).ok_or_else(|| format!("\"{text}\" is not a number for benefit {code}"))
}

/// One row of an economies file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconomyRow {
    pub line: u64,
    pub slug: Slug,
    pub name: String,
    pub region: String,
}

/// One row of a values file, its value in canonical form.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRow {
    pub line: u64,
    pub economy: Slug,
    pub period: Quarter,
    pub code: String,
    pub value: String,
    pub status: Status,
}

/// Parses an economies file (`slug,name,region`).
pub fn parse_economies(bytes: &[u8]) -> Result<Vec<EconomyRow>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    read_csv(bytes, &["slug", "name", "region"], |line, f, problems| {
        let (slug, name, region) = (f[0].trim(), f[1].trim(), f[2].trim());
        let slug = match Slug::parse(slug) {
            Ok(s) => Some(s),
            Err(e) => {
                problems.push(Problem::at_line(line, "slug", e));
                None
            }
        };
        if let Some(s) = &slug {
            if let Some(first) = seen.insert(s.to_string(), line) {
                problems.push(Problem::at_line(
                    line,
                    "slug",
                    format!("\"{s}\" is already on line {first}"),
                ));
            }
        }
        if name.is_empty() {
            problems.push(Problem::at_line(line, "name", "is empty"));
        }
        if region.is_empty() {
            problems.push(Problem::at_line(line, "region", "is empty"));
        }
        if let (Some(slug), false, false) = (slug, name.is_empty(), region.is_empty()) {
            out.push(EconomyRow {
                line,
                slug,
                name: name.to_string(),
                region: region.to_string(),
            });
        }
    })?;
    Ok(out)
}

/// Parses a values file (`economy,period,criterion,value,status`) against a framework and
/// the economies that exist.
pub fn parse_values(
    bytes: &[u8],
    framework: &Framework,
    economies: &HashSet<String>,
) -> Result<Vec<ValueRow>, Vec<Problem>> {
    let mut all = Vec::new();
    parse_values_in_chunks(bytes, framework, economies, usize::MAX, |chunk| {
        all.extend(chunk)
    })?;
    Ok(all)
}

/// Parses a values file like [`parse_values`], handing the good rows to `sink` in chunks of
/// `chunk` rows as it goes, so that storing can start before the whole file is read. Once a
/// problem is found no more rows are handed over, but the whole file is still checked and
/// every problem returned: the caller must then discard what it was given.
pub fn parse_values_in_chunks(
    bytes: &[u8],
    framework: &Framework,
    economies: &HashSet<String>,
    chunk: usize,
    mut sink: impl FnMut(Vec<ValueRow>),
) -> Result<(), Vec<Problem>> {
    // Small integer keys for the duplicate check: economy index, quarter, code index.
    let economy_index: HashMap<&str, u32> = economies
        .iter()
        .enumerate()
        .map(|(i, e)| (e.as_str(), i as u32))
        .collect();
    let codes: HashMap<&str, (u32, Option<&Kind>)> = framework
        .criteria
        .iter()
        .map(|c| (c.code.as_str(), Some(&c.kind)))
        .chain(framework.benefits.iter().map(|b| (b.code.as_str(), None)))
        .enumerate()
        .map(|(i, (code, kind))| (code, (i as u32, kind)))
        .collect();
    let mut out = Vec::new();
    let mut seen: HashMap<(u32, Quarter, u32), u64> = HashMap::new();
    read_csv(
        bytes,
        &["economy", "period", "criterion", "value", "status"],
        |line, f, problems| {
            let (economy_text, period_text, code, value_text, status_text) =
                (f[0].trim(), f[1].trim(), f[2].trim(), &f[3], &f[4]);
            let economy = match economy_index.get(economy_text) {
                Some(&i) => Some((i, economy_text)),
                None => {
                    match Slug::parse(economy_text) {
                        Ok(s) => problems.push(Problem::at_line(
                            line,
                            "economy",
                            format!("unknown economy \"{s}\" (import it first)"),
                        )),
                        Err(e) => problems.push(Problem::at_line(line, "economy", e)),
                    }
                    None
                }
            };
            let period = match period_text.parse::<Quarter>() {
                Ok(q) => Some(q),
                Err(e) => {
                    problems.push(Problem::at_line(line, "period", e.to_string()));
                    None
                }
            };
            let status = match status_text.parse::<Status>() {
                Ok(s) => Some(s),
                Err(e) => {
                    problems.push(Problem::at_line(line, "status", e));
                    None
                }
            };
            let (code_index, value) = match codes.get(code) {
                Some(&(i, Some(kind))) => (
                    Some(i),
                    period.and_then(|p| match parse_value(kind, code, value_text, p) {
                        Ok(v) => Some(v.canonical()),
                        Err(e) => {
                            problems.push(Problem::at_line(line, "value", e));
                            None
                        }
                    }),
                ),
                Some(&(i, None)) => (
                    Some(i),
                    match parse_benefit(code, value_text) {
                        Ok(n) => Some(format_number(n)),
                        Err(e) => {
                            problems.push(Problem::at_line(line, "value", e));
                            None
                        }
                    },
                ),
                None => {
                    problems.push(Problem::at_line(
                        line,
                        "criterion",
                        format!(
                            "\"{code}\" is neither a criterion nor a benefit of framework {}",
                            framework.code
                        ),
                    ));
                    (None, None)
                }
            };
            if let (Some((e, slug)), Some(p), Some(c)) = (economy, period, code_index) {
                if let Some(first) = seen.insert((e, p, c), line) {
                    problems.push(Problem::at_line(
                        line,
                        "criterion",
                        format!("{slug} {p} {code} is already given on line {first}"),
                    ));
                }
            }
            if problems.is_empty() {
                if let (Some((_, slug)), Some(period), Some(value), Some(status)) =
                    (economy, period, value, status)
                {
                    out.push(ValueRow {
                        line,
                        economy: Slug::parse(slug).expect("a known economy's slug"),
                        period,
                        code: code.to_string(),
                        value,
                        status,
                    });
                    if out.len() >= chunk {
                        sink(std::mem::take(&mut out));
                    }
                }
            } else {
                out.clear();
            }
        },
    )?;
    if !out.is_empty() {
        sink(out);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fw() -> Framework {
        Framework::from_toml(include_str!("../../../fixtures/example/framework.toml")).unwrap()
    }

    fn q(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    fn known() -> HashSet<String> {
        ["leeds", "york"].iter().map(|s| s.to_string()).collect()
    }

    fn refused(csv: &str) -> Vec<String> {
        parse_values(csv.as_bytes(), &fw(), &known())
            .unwrap_err()
            .iter()
            .map(|p| p.display_for("values.csv"))
            .collect()
    }

    const HEADER: &str = "economy,period,criterion,value,status\n";

    #[test]
    fn each_kind_parses() {
        let p = q("2014-Q1");
        assert_eq!(
            parse_value(&Kind::Boolean, "X", "YES", p),
            Ok(Parsed::Boolean(true))
        );
        assert_eq!(
            parse_value(&Kind::Boolean, "X", "false", p),
            Ok(Parsed::Boolean(false))
        );
        assert!(parse_value(&Kind::Boolean, "X", "1", p).is_err());
        assert_eq!(
            parse_value(&Kind::Percentage(95.0), "X", "87.5", p),
            Ok(Parsed::Percentage(87.5))
        );
        assert_eq!(
            parse_value(&Kind::Percentage(95.0), "X", "100", p),
            Ok(Parsed::Percentage(100.0))
        );
        assert_eq!(
            parse_value(&Kind::Percentage(95.0), "X", "0", p),
            Ok(Parsed::Percentage(0.0))
        );
        for bad in ["100.5", "-1", "1e2", "NaN", "inf", "", "ten", "."] {
            assert!(
                parse_value(&Kind::Percentage(95.0), "X", bad, p).is_err(),
                "{bad}"
            );
        }
        assert_eq!(
            parse_value(&Kind::Level(5), "X", "5", p),
            Ok(Parsed::Level(5))
        );
        assert_eq!(
            parse_value(&Kind::Level(5), "X", "0", p),
            Ok(Parsed::Level(0))
        );
        for bad in ["6", "-1", "2.5", "", "three"] {
            assert!(parse_value(&Kind::Level(5), "X", bad, p).is_err(), "{bad}");
        }
        let target = NaiveDate::from_ymd_opt(2014, 4, 1).unwrap();
        assert_eq!(
            parse_value(&Kind::Date(target), "X", "", p),
            Ok(Parsed::Date(None))
        );
        assert_eq!(
            parse_value(&Kind::Date(target), "X", "2014-03-31", p),
            Ok(Parsed::Date(NaiveDate::from_ymd_opt(2014, 3, 31)))
        );
        assert!(
            parse_value(&Kind::Date(target), "X", "2014-04-01", p).is_err(),
            "after the period's end"
        );
        assert!(parse_value(&Kind::Date(target), "X", "31/03/2014", p).is_err());
        assert!(parse_value(&Kind::Date(target), "X", "2014-02-30", p).is_err());
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(Parsed::Percentage(87.5).canonical(), "87.5");
        assert_eq!(Parsed::Percentage(80.0).canonical(), "80");
        assert_eq!(Parsed::Boolean(true).canonical(), "yes");
        assert_eq!(Parsed::Date(None).canonical(), "");
    }

    #[test]
    fn parses_the_worked_example() {
        let bytes = include_bytes!("../../../fixtures/example/values.csv");
        let rows = parse_values(bytes, &fw(), &known()).unwrap();
        assert_eq!(rows.len(), 12);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[3].status, Status::Submitted);
        assert_eq!(rows[9].value, "yes");
        let e = parse_economies(include_bytes!("../../../fixtures/example/economies.csv")).unwrap();
        assert_eq!(e[2].name, "Hull, East Riding");
    }

    #[test]
    fn reports_every_bad_row_with_its_line() {
        let p = refused(&format!(
            "{HEADER}leeds,2014-Q1,NHS-NUMBER,120,\nleeds,2014-Q5,GP2GP,yes,\nnowhere,2014-Q1,GP2GP,yes,\nleeds,2014-Q1,NOPE,1,\nleeds,2014-Q1,GP2GP,maybe,approved\nleeds,2014-Q1,NHS-NUMBER,50,\n"
        ));
        assert_eq!(
            p,
            [
                "values.csv:2: value: 120 is above 100 for percentage criterion NHS-NUMBER",
                "values.csv:3: period: \"2014-Q5\" is not a quarter (expected YYYY-Qn, n from 1 to 4)",
                "values.csv:4: economy: unknown economy \"nowhere\" (import it first)",
                "values.csv:5: criterion: \"NOPE\" is neither a criterion nor a benefit of framework example",
                "values.csv:6: status: \"approved\" is not a status (submitted, verified, rejected or empty)",
                "values.csv:6: value: \"maybe\" is not yes, no, true or false for boolean criterion GP2GP",
                "values.csv:7: criterion: leeds 2014-Q1 NHS-NUMBER is already given on line 2",
            ]
        );
    }

    #[test]
    fn whole_file_problems() {
        assert_eq!(refused(""), ["values.csv:1: file: empty"]);
        assert_eq!(
            refused("economy,period,criterion,value\nleeds,2014-Q1,GP2GP,yes\n"),
            ["values.csv:1: file: the header must be economy,period,criterion,value,status, found economy,period,criterion,value"]
        );
        assert_eq!(
            refused("economy,period,criterion,value,status,notes\n"),
            ["values.csv:1: file: unexpected column \"notes\" (the header must be economy,period,criterion,value,status)"]
        );
        let mut bad = HEADER.as_bytes().to_vec();
        bad.extend_from_slice(b"leeds,2014-Q1,GP2GP,yes,\nleeds,2014-Q2,GP2GP,\xff,\n");
        let p = parse_values(&bad, &fw(), &known()).unwrap_err();
        assert_eq!(
            p[0].display_for("v.csv"),
            "v.csv:3: file: not UTF-8 text (save the file as CSV UTF-8)"
        );
        assert_eq!(
            refused(&format!("{HEADER}leeds,2014-Q1,GP2GP,yes\n")),
            ["values.csv:2: file: expected 5 fields (economy,period,criterion,value,status), found 4"]
        );
    }

    #[test]
    fn a_header_only_file_is_empty_of_rows_not_refused() {
        assert_eq!(
            parse_values(HEADER.as_bytes(), &fw(), &known()).unwrap(),
            vec![]
        );
        let with_bom = format!("\u{feff}{HEADER}leeds,2014-Q1,GP2GP,yes,\n");
        assert_eq!(
            parse_values(with_bom.as_bytes(), &fw(), &known())
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn chunks_stop_at_the_first_problem_but_every_problem_is_listed() {
        let good = "leeds,2014-Q1,GP2GP,yes,\nleeds,2014-Q2,GP2GP,no,\nleeds,2014-Q3,GP2GP,yes,\n";
        let mut chunks = Vec::new();
        parse_values_in_chunks(
            format!("{HEADER}{good}").as_bytes(),
            &fw(),
            &known(),
            2,
            |c| chunks.push(c.len()),
        )
        .unwrap();
        assert_eq!(chunks, [2, 1]);
        let mut handed = 0;
        let bad = format!("{HEADER}{good}york,2014-Q1,GP2GP,maybe,\nleeds,2014-Q4,GP2GP,yes,\nx,2014-Q1,GP2GP,yes,\n");
        let problems =
            parse_values_in_chunks(bad.as_bytes(), &fw(), &known(), 2, |c| handed += c.len())
                .unwrap_err();
        assert_eq!(
            handed, 2,
            "only the chunk completed before the first problem"
        );
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn economies_file_problems() {
        let p: Vec<String> =
            parse_economies(b"slug,name,region\nLeeds,Leeds,North\nyork,,\nyork,York,North\n")
                .unwrap_err()
                .iter()
                .map(|p| p.display_for("e.csv"))
                .collect();
        assert_eq!(
            p,
            [
                "e.csv:2: slug: \"Leeds\" is not a slug (only lower-case letters a-z, digits and hyphens)",
                "e.csv:3: name: is empty",
                "e.csv:3: region: is empty",
                "e.csv:4: slug: \"york\" is already on line 3",
            ]
        );
    }
}
