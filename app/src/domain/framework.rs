//! The framework: themes, criteria, weights, milestones and benefits (scoring.md section 1),
//! and the validation of framework files, which lists every problem before refusing.

use super::panel::{Panel, Question};
use super::problem::Problem;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Framework {
    pub code: String,
    pub name: String,
    pub paperless_threshold: f64,
    pub calendar: Calendar,
    pub milestones: Vec<Milestone>,
    pub themes: Vec<Theme>,
    pub criteria: Vec<Criterion>,
    #[serde(default)]
    pub benefits: Vec<Benefit>,
    /// The selection panel's questions (panel.md section 1); none without a `[panel]`.
    #[serde(default)]
    pub panel: Option<Panel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub submission_days: u32,
    pub publication_days: u32,
    /// How many days before a quarter's planned publication each economy may check its
    /// provisional figures and question one (0: no preview).
    #[serde(default = "default_preview_days")]
    pub preview_days: u32,
}

fn default_preview_days() -> u32 {
    10
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            submission_days: 30,
            publication_days: 75,
            preview_days: default_preview_days(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub code: String,
    pub name: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub paperless: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub code: String,
    pub name: String,
    pub weight: f64,
}

/// What kind of value a criterion takes, with its target where it has one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "target", rename_all = "lowercase")]
pub enum Kind {
    Boolean,
    /// Target in (0, 100].
    Percentage(f64),
    /// Target an integer >= 1.
    Level(u32),
    /// Target a deadline.
    Date(NaiveDate),
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Boolean => "boolean",
            Kind::Percentage(_) => "percentage",
            Kind::Level(_) => "level",
            Kind::Date(_) => "date",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    #[default]
    None,
    Link,
    Document,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub code: String,
    pub theme: String,
    pub title: String,
    #[serde(flatten)]
    pub kind: Kind,
    pub weight: f64,
    #[serde(default)]
    pub gate: bool,
    #[serde(default)]
    pub stage: Option<u8>,
    #[serde(default)]
    pub guidance: Option<String>,
    #[serde(default)]
    pub evidence: Evidence,
    /// Checks of unusual values as they are entered (`[[criteria.checks]]`): they warn, never
    /// refuse.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benefit {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub better: Better,
}

/// What a check looks for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum Rule {
    /// A change of more than `amount` (percentage points, or levels) from the economy's value
    /// of the quarter before. Percentage and level criteria.
    MaxChange { amount: f64 },
    /// A fall from the quarter before: a lower percentage or level, yes becoming no, or a date
    /// achieved becoming later or not yet achieved.
    NoFall,
    /// A value outside what is plausible (either bound may be left out). Percentage and
    /// level criteria.
    Range { min: Option<f64>, max: Option<f64> },
}

impl Rule {
    /// The rule's name in a framework file.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::MaxChange { .. } => "max-change",
            Rule::NoFall => "no-fall",
            Rule::Range { .. } => "range",
        }
    }

    /// Whether the rule can be asked of a criterion of `kind`.
    pub fn applies_to(name: &str, kind: &Kind) -> bool {
        match name {
            "no-fall" => true,
            _ => matches!(kind, Kind::Percentage(_) | Kind::Level(_)),
        }
    }

    /// The rule in words, for `/how-scores-work` and the framework's changes.
    pub fn describe(&self, kind: &Kind) -> String {
        let unit = match kind {
            Kind::Level(_) => "levels",
            _ => "percentage points",
        };
        match self {
            Rule::MaxChange { amount } => {
                format!(
                    "a change of more than {} {unit} from the quarter before",
                    check_number(*amount)
                )
            }
            Rule::NoFall => "a fall from the quarter before".into(),
            Rule::Range { min, max } => match (min, max) {
                (Some(a), Some(b)) => format!(
                    "a value below {} or above {}",
                    check_number(*a),
                    check_number(*b)
                ),
                (Some(a), None) => format!("a value below {}", check_number(*a)),
                (None, Some(b)) => format!("a value above {}", check_number(*b)),
                (None, None) => "nothing".into(),
            },
        }
    }
}

/// One check of a criterion: its rule and the framework's wording of why it matters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    #[serde(flatten)]
    pub rule: Rule,
    pub message: String,
}

/// A number in a check's wording, in its shortest form.
fn check_number(n: f64) -> String {
    if n == 0.0 {
        "0".into()
    } else {
        format!("{n}")
    }
}

impl Framework {
    /// Parses and validates a framework file. Every problem is listed; nothing is half-made.
    pub fn from_toml(text: &str) -> Result<Framework, Vec<Problem>> {
        let table: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| text[..s.start.min(text.len())].matches('\n').count() as u64 + 1)
                    .unwrap_or(1);
                return Err(vec![Problem::at_line(
                    line,
                    "file",
                    format!("not valid TOML: {}", e.message()),
                )]);
            }
        };
        let mut v = Validator::default();
        let fw = v.framework(&table);
        match fw {
            Some(fw) if v.problems.is_empty() => Ok(fw),
            _ => Err(v.problems),
        }
    }

    pub fn criterion(&self, code: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.code == code)
    }

    pub fn benefit(&self, code: &str) -> Option<&Benefit> {
        self.benefits.iter().find(|b| b.code == code)
    }

    pub fn milestone(&self, code: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.code == code)
    }

    /// The milestone trajectories aim at (validation guarantees exactly one).
    pub fn paperless_milestone(&self) -> &Milestone {
        self.milestones
            .iter()
            .find(|m| m.paperless)
            .expect("a validated framework has a paperless milestone")
    }

    /// Criteria of one theme, in framework order.
    pub fn theme_criteria<'a>(&'a self, theme: &'a str) -> impl Iterator<Item = &'a Criterion> {
        self.criteria.iter().filter(move |c| c.theme == theme)
    }

    /// Each criterion's share of the overall score (section 4), in framework order.
    pub fn shares(&self) -> Vec<f64> {
        let total: f64 = self.themes.iter().map(|t| t.weight).sum();
        self.criteria
            .iter()
            .map(|c| {
                let theme = self.themes.iter().find(|t| t.code == c.theme);
                let tw = theme.map(|t| t.weight).unwrap_or(0.0);
                let sum_w: f64 = self.theme_criteria(&c.theme).map(|x| x.weight).sum();
                (tw / total) * (c.weight / sum_w)
            })
            .collect()
    }
}

fn is_lower_code(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_upper_code(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

/// Parses a date given as a TOML date or a `YYYY-MM-DD` string.
fn toml_date(v: &toml::Value) -> Result<NaiveDate, String> {
    match v {
        toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|_| s.len() == 10)
            .ok_or_else(|| format!("\"{s}\" is not a date (YYYY-MM-DD)")),
        toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                    .ok_or_else(|| format!("{dt} is not a valid date"))
            }
            _ => Err(format!("{dt} is not a date (a date has no time of day)")),
        },
        other => Err(format!("must be a date, found {}", other.type_str())),
    }
}

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
}

impl Validator {
    fn problem(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::at_key(key, message));
    }

    fn unknown_keys(&mut self, path: &str, t: &toml::Table, allowed: &[&str]) {
        for k in t.keys() {
            if !allowed.contains(&k.as_str()) {
                let key = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                self.problem(key, "unknown key (check its spelling)");
            }
        }
    }

    fn key(path: &str, k: &str) -> String {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    }

    fn string(&mut self, path: &str, t: &toml::Table, k: &str, required: bool) -> Option<String> {
        match t.get(k) {
            None if required => {
                self.problem(Self::key(path, k), "required");
                None
            }
            None => None,
            Some(toml::Value::String(s)) if s.trim().is_empty() && required => {
                self.problem(Self::key(path, k), "must not be empty");
                None
            }
            Some(toml::Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.problem(
                    Self::key(path, k),
                    format!("must be a string, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn number(&mut self, path: &str, t: &toml::Table, k: &str, required: bool) -> Option<f64> {
        let n = match t.get(k) {
            None if required => {
                self.problem(Self::key(path, k), "required");
                return None;
            }
            None => return None,
            Some(toml::Value::Float(f)) => *f,
            Some(toml::Value::Integer(i)) => *i as f64,
            Some(other) => {
                self.problem(
                    Self::key(path, k),
                    format!("must be a number, found {}", other.type_str()),
                );
                return None;
            }
        };
        if !n.is_finite() {
            self.problem(Self::key(path, k), "must be a finite number");
            return None;
        }
        Some(n)
    }

    fn positive(&mut self, path: &str, t: &toml::Table, k: &str) -> Option<f64> {
        let n = self.number(path, t, k, true)?;
        if n <= 0.0 {
            self.problem(
                Self::key(path, k),
                format!("must be greater than 0, found {n}"),
            );
            return None;
        }
        Some(n)
    }

    fn integer(&mut self, path: &str, t: &toml::Table, k: &str) -> Option<i64> {
        match t.get(k)? {
            toml::Value::Integer(i) => Some(*i),
            other => {
                self.problem(
                    Self::key(path, k),
                    format!("must be an integer, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn boolean(&mut self, path: &str, t: &toml::Table, k: &str) -> Option<bool> {
        match t.get(k)? {
            toml::Value::Boolean(b) => Some(*b),
            other => {
                self.problem(
                    Self::key(path, k),
                    format!("must be true or false, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn date(&mut self, path: &str, t: &toml::Table, k: &str) -> Option<NaiveDate> {
        match t.get(k) {
            None => {
                self.problem(Self::key(path, k), "required");
                None
            }
            Some(v) => match toml_date(v) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.problem(Self::key(path, k), e);
                    None
                }
            },
        }
    }

    /// The tables of an array of tables such as `[[themes]]`, with their key paths.
    fn tables<'a>(&mut self, root: &'a toml::Table, k: &str) -> Vec<(String, &'a toml::Table)> {
        self.tables_in("", root, k)
    }

    /// Like [`Self::tables`] for a table nested at the key path `prefix` (`panel`).
    fn tables_in<'a>(
        &mut self,
        prefix: &str,
        root: &'a toml::Table,
        k: &str,
    ) -> Vec<(String, &'a toml::Table)> {
        let name = Self::key(prefix, k);
        match root.get(k) {
            None => Vec::new(),
            Some(toml::Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let path = format!("{name}[{}]", i + 1);
                    match item {
                        toml::Value::Table(t) => Some((path, t)),
                        other => {
                            self.problem(
                                path,
                                format!("must be a table, found {}", other.type_str()),
                            );
                            None
                        }
                    }
                })
                .collect(),
            Some(other) => {
                self.problem(
                    name.clone(),
                    format!(
                        "must be an array of tables ([[{name}]]), found {}",
                        other.type_str()
                    ),
                );
                Vec::new()
            }
        }
    }

    /// An upper-case `code` (criteria, benefits, panel questions): refused when malformed,
    /// when `taken` holds it (code, whose: "a criterion's"), or when used twice in `seen`.
    fn upper_code(
        &mut self,
        path: &str,
        t: &toml::Table,
        taken: &[(&str, &str)],
        seen: &mut HashSet<String>,
    ) -> Option<String> {
        let code = self.string(path, t, "code", true)?;
        let key = format!("{path}.code");
        if !is_upper_code(&code) {
            self.problem(
                key,
                format!("\"{code}\" must be upper-case letters, digits and hyphens"),
            );
        } else if let Some((_, whose)) = taken.iter().find(|(c, _)| *c == code) {
            self.problem(key, format!("\"{code}\" is already {whose} code"));
        } else if !seen.insert(code.clone()) {
            self.problem(key, format!("\"{code}\" is used twice"));
        }
        Some(code)
    }

    fn framework(&mut self, root: &toml::Table) -> Option<Framework> {
        self.unknown_keys(
            "",
            root,
            &[
                "code",
                "name",
                "paperless_threshold",
                "calendar",
                "milestones",
                "themes",
                "criteria",
                "benefits",
                "panel",
            ],
        );
        let code = self.string("", root, "code", true);
        if let Some(c) = &code {
            if !is_lower_code(c) {
                self.problem(
                    "code",
                    format!("\"{c}\" must be lower-case letters, digits and hyphens"),
                );
            }
        }
        let name = self.string("", root, "name", true);
        let threshold = self.number("", root, "paperless_threshold", true);
        if let Some(t) = threshold {
            if !(t > 0.0 && t <= 100.0) {
                self.problem(
                    "paperless_threshold",
                    format!("must be above 0 and at most 100, found {t}"),
                );
            }
        }

        let calendar = self.calendar(root);
        let milestones = self.milestones(root);
        let themes = self.themes(root);
        let criteria = self.criteria(root, &themes);
        let benefits = self.benefits(root, &criteria);
        let panel = self.panel(root, &criteria, &benefits);

        if themes.is_empty() && !root.contains_key("themes") {
            self.problem("themes", "at least one theme is required");
        }
        for (i, t) in themes.iter().enumerate() {
            if !criteria.iter().any(|c| c.theme == t.code) {
                self.problem(
                    format!("themes[{}]", i + 1),
                    format!(
                        "theme \"{}\" has no criteria (every theme needs one)",
                        t.code
                    ),
                );
            }
        }

        Some(Framework {
            code: code?,
            name: name?,
            paperless_threshold: threshold?,
            calendar,
            milestones,
            themes,
            criteria,
            benefits,
            panel,
        })
    }

    fn calendar(&mut self, root: &toml::Table) -> Calendar {
        let mut cal = Calendar::default();
        match root.get("calendar") {
            None => {}
            Some(toml::Value::Table(t)) => {
                self.unknown_keys(
                    "calendar",
                    t,
                    &["submission_days", "publication_days", "preview_days"],
                );
                for (k, slot) in [
                    ("submission_days", &mut cal.submission_days),
                    ("publication_days", &mut cal.publication_days),
                    ("preview_days", &mut cal.preview_days),
                ] {
                    if let Some(n) = self.integer("calendar", t, k) {
                        match u32::try_from(n) {
                            Ok(n) if n <= 3660 => *slot = n,
                            _ => self.problem(
                                format!("calendar.{k}"),
                                format!("must be a number of days from 0 to 3660, found {n}"),
                            ),
                        }
                    }
                }
            }
            Some(other) => self.problem(
                "calendar",
                format!("must be a table, found {}", other.type_str()),
            ),
        }
        cal
    }

    fn milestones(&mut self, root: &toml::Table) -> Vec<Milestone> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut paperless = Vec::new();
        for (path, t) in self.tables(root, "milestones") {
            self.unknown_keys(&path, t, &["code", "name", "date", "paperless"]);
            let code = self.string(&path, t, "code", true);
            if let Some(c) = &code {
                if !is_lower_code(c) {
                    self.problem(
                        format!("{path}.code"),
                        format!("\"{c}\" must be lower-case letters, digits and hyphens"),
                    );
                } else if !seen.insert(c.clone()) {
                    self.problem(format!("{path}.code"), format!("\"{c}\" is used twice"));
                }
            }
            let name = self.string(&path, t, "name", true);
            let date = self.date(&path, t, "date");
            let is_paperless = self.boolean(&path, t, "paperless").unwrap_or(false);
            if is_paperless {
                paperless.push(path.clone());
            }
            if let (Some(code), Some(name), Some(date)) = (code, name, date) {
                out.push(Milestone {
                    code,
                    name,
                    date,
                    paperless: is_paperless,
                });
            }
        }
        match paperless.len() {
            0 => self.problem(
                "milestones",
                "exactly one milestone must have paperless = true (none has)",
            ),
            1 => {}
            _ => {
                for p in &paperless[1..] {
                    self.problem(
                        format!("{p}.paperless"),
                        format!(
                            "only one milestone may have paperless = true ({} already has)",
                            paperless[0]
                        ),
                    );
                }
            }
        }
        out
    }

    fn themes(&mut self, root: &toml::Table) -> Vec<Theme> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let tables = self.tables(root, "themes");
        if root.contains_key("themes") && tables.is_empty() {
            self.problem("themes", "at least one theme is required");
        }
        for (path, t) in tables {
            self.unknown_keys(&path, t, &["code", "name", "weight"]);
            let code = self.string(&path, t, "code", true);
            if let Some(c) = &code {
                if !is_lower_code(c) {
                    self.problem(
                        format!("{path}.code"),
                        format!("\"{c}\" must be lower-case letters, digits and hyphens"),
                    );
                } else if !seen.insert(c.clone()) {
                    self.problem(format!("{path}.code"), format!("\"{c}\" is used twice"));
                }
            }
            let name = self.string(&path, t, "name", true);
            let weight = self.positive(&path, t, "weight");
            if let (Some(code), Some(name), Some(weight)) = (code, name, weight) {
                out.push(Theme { code, name, weight });
            }
        }
        out
    }

    fn criteria(&mut self, root: &toml::Table, themes: &[Theme]) -> Vec<Criterion> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for (path, t) in self.tables(root, "criteria") {
            self.unknown_keys(
                &path,
                t,
                &[
                    "code", "theme", "title", "kind", "target", "weight", "gate", "stage",
                    "guidance", "evidence", "checks",
                ],
            );
            let code = self.upper_code(&path, t, &[], &mut seen);
            let theme = self.string(&path, t, "theme", true);
            if let Some(th) = &theme {
                if !themes.iter().any(|x| &x.code == th) {
                    self.problem(
                        format!("{path}.theme"),
                        format!("\"{th}\" is not a theme of this framework"),
                    );
                }
            }
            let title = self.string(&path, t, "title", true);
            let kind = self.kind(&path, t);
            let weight = self.positive(&path, t, "weight");
            let gate = self.boolean(&path, t, "gate").unwrap_or(false);
            let stage = match self.integer(&path, t, "stage") {
                Some(s) if (1..=7).contains(&s) => Some(s as u8),
                Some(s) => {
                    self.problem(
                        format!("{path}.stage"),
                        format!("must be an integer from 1 to 7, found {s}"),
                    );
                    None
                }
                None => None,
            };
            let guidance = self.string(&path, t, "guidance", false);
            let evidence = match self.string(&path, t, "evidence", false).as_deref() {
                None | Some("none") => Evidence::None,
                Some("link") => Evidence::Link,
                Some("document") => Evidence::Document,
                Some(other) => {
                    self.problem(
                        format!("{path}.evidence"),
                        format!("\"{other}\" must be none, link or document"),
                    );
                    Evidence::None
                }
            };
            let checks = self.checks(&path, t, kind.as_ref());
            if let (Some(code), Some(theme), Some(title), Some(kind), Some(weight)) =
                (code, theme, title, kind, weight)
            {
                out.push(Criterion {
                    code,
                    theme,
                    title,
                    kind,
                    weight,
                    gate,
                    stage,
                    guidance,
                    evidence,
                    checks,
                });
            }
        }
        out
    }

    /// A criterion's `[[criteria.checks]]`: each names a rule that applies to the criterion's
    /// kind, with only that rule's keys, and its wording.
    fn checks(&mut self, path: &str, t: &toml::Table, kind: Option<&Kind>) -> Vec<Check> {
        let mut out = Vec::new();
        for (cpath, ct) in self.tables_in(path, t, "checks") {
            let rule = self.string(&cpath, ct, "rule", true);
            let message = self.string(&cpath, ct, "message", true);
            let keys: &[&str] = match rule.as_deref() {
                Some("max-change") => &["rule", "message", "amount"],
                Some("range") => &["rule", "message", "min", "max"],
                Some("no-fall") => &["rule", "message"],
                Some(other) => {
                    self.problem(
                        format!("{cpath}.rule"),
                        format!("\"{other}\" must be max-change, no-fall or range"),
                    );
                    continue;
                }
                None => continue,
            };
            for k in ct.keys() {
                if keys.contains(&k.as_str()) {
                    continue;
                }
                let known = ["amount", "min", "max"].contains(&k.as_str());
                self.problem(
                    format!("{cpath}.{k}"),
                    if known {
                        format!(
                            "does not apply to rule \"{}\"",
                            rule.as_deref().unwrap_or_default()
                        )
                    } else {
                        "unknown key (check its spelling)".to_string()
                    },
                );
            }
            let name = rule.as_deref().unwrap_or_default();
            if let Some(kind) = kind {
                if !Rule::applies_to(name, kind) {
                    self.problem(
                        format!("{cpath}.rule"),
                        format!(
                            "\"{name}\" does not apply to kind \"{}\" (only to percentage and level)",
                            kind.name()
                        ),
                    );
                    continue;
                }
            }
            let top = match kind {
                Some(Kind::Percentage(_)) => Some(100.0),
                Some(Kind::Level(t)) => Some(f64::from(*t)),
                _ => None,
            };
            let parsed = match name {
                "max-change" => {
                    let amount = self.positive(&cpath, ct, "amount");
                    amount.map(|amount| Rule::MaxChange { amount })
                }
                "range" => {
                    let min = self.number(&cpath, ct, "min", false);
                    let max = self.number(&cpath, ct, "max", false);
                    let mut ok = true;
                    if !ct.contains_key("min") && !ct.contains_key("max") {
                        self.problem(cpath.clone(), "a range needs min, max or both");
                        ok = false;
                    }
                    for (k, v) in [("min", min), ("max", max)] {
                        if let (Some(v), Some(top)) = (v, top) {
                            if !(0.0..=top).contains(&v) {
                                self.problem(
                                    format!("{cpath}.{k}"),
                                    format!("must be from 0 to {top}, found {v}"),
                                );
                                ok = false;
                            }
                        }
                    }
                    if let (Some(a), Some(b)) = (min, max) {
                        if a > b {
                            self.problem(
                                format!("{cpath}.min"),
                                format!("must not be above max ({a} is above {b})"),
                            );
                            ok = false;
                        }
                    }
                    let given = |k: &str, v: Option<f64>| v.is_some() || !ct.contains_key(k);
                    (ok && given("min", min) && given("max", max))
                        .then_some(Rule::Range { min, max })
                }
                _ => Some(Rule::NoFall),
            };
            if let (Some(rule), Some(message)) = (parsed, message) {
                out.push(Check { rule, message });
            }
        }
        out
    }

    fn kind(&mut self, path: &str, t: &toml::Table) -> Option<Kind> {
        let kind = self.string(path, t, "kind", true)?;
        let target_key = format!("{path}.target");
        let target = t.get("target");
        match kind.as_str() {
            "boolean" => {
                if target.is_some() {
                    self.problem(target_key, "does not apply to kind \"boolean\"");
                    return None;
                }
                Some(Kind::Boolean)
            }
            "percentage" | "level" | "date" if target.is_none() => {
                self.problem(target_key, format!("required for kind \"{kind}\""));
                None
            }
            "percentage" => {
                let n = self.number(path, t, "target", true)?;
                if !(n > 0.0 && n <= 100.0) {
                    self.problem(
                        target_key,
                        format!(
                            "must be above 0 and at most 100 for kind \"percentage\", found {n}"
                        ),
                    );
                    return None;
                }
                Some(Kind::Percentage(n))
            }
            "level" => match target {
                Some(toml::Value::Integer(n)) if *n >= 1 && *n <= i64::from(u32::MAX) => {
                    Some(Kind::Level(*n as u32))
                }
                Some(toml::Value::Integer(n)) => {
                    self.problem(
                        target_key,
                        format!("must be an integer of 1 or more for kind \"level\", found {n}"),
                    );
                    None
                }
                Some(other) => {
                    self.problem(
                        target_key,
                        format!(
                            "must be an integer of 1 or more for kind \"level\", found {}",
                            other.type_str()
                        ),
                    );
                    None
                }
                None => None,
            },
            "date" => match toml_date(target?) {
                Ok(d) => Some(Kind::Date(d)),
                Err(e) => {
                    self.problem(target_key, e);
                    None
                }
            },
            other => {
                self.problem(
                    format!("{path}.kind"),
                    format!("\"{other}\" must be boolean, percentage, level or date"),
                );
                None
            }
        }
    }

    fn benefits(&mut self, root: &toml::Table, criteria: &[Criterion]) -> Vec<Benefit> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for (path, t) in self.tables(root, "benefits") {
            self.unknown_keys(&path, t, &["code", "title", "unit", "better"]);
            let taken: Vec<(&str, &str)> = criteria
                .iter()
                .map(|x| (x.code.as_str(), "a criterion's"))
                .collect();
            let code = self.upper_code(&path, t, &taken, &mut seen);
            let title = self.string(&path, t, "title", true);
            let unit = self.string(&path, t, "unit", false).unwrap_or_default();
            let better = match self.string(&path, t, "better", true).as_deref() {
                Some("higher") => Some(Better::Higher),
                Some("lower") => Some(Better::Lower),
                Some(other) => {
                    self.problem(
                        format!("{path}.better"),
                        format!("\"{other}\" must be higher or lower"),
                    );
                    None
                }
                None => None,
            };
            if let (Some(code), Some(title), Some(better)) = (code, title, better) {
                out.push(Benefit {
                    code,
                    title,
                    unit,
                    better,
                });
            }
        }
        out
    }
    /// The `[panel]` section (panel.md section 1): absent means no panel.
    fn panel(
        &mut self,
        root: &toml::Table,
        criteria: &[Criterion],
        benefits: &[Benefit],
    ) -> Option<Panel> {
        let t = match root.get("panel")? {
            toml::Value::Table(t) => t,
            other => {
                self.problem(
                    "panel",
                    format!("must be a table ([panel]), found {}", other.type_str()),
                );
                return None;
            }
        };
        self.unknown_keys(
            "panel",
            t,
            &[
                "scale_min",
                "scale_max",
                "outlier_gap",
                "min_members",
                "questions",
            ],
        );
        let scale_min = if t.contains_key("scale_min") {
            self.integer("panel", t, "scale_min")
        } else {
            Some(1)
        };
        let scale_max = if t.contains_key("scale_max") {
            self.integer("panel", t, "scale_max")
        } else {
            Some(5)
        };
        if let (Some(lo), Some(hi)) = (scale_min, scale_max) {
            if lo >= hi {
                self.problem(
                    "panel.scale_max",
                    format!("must be greater than scale_min ({lo}), found {hi}"),
                );
            }
        }
        let outlier_gap = if t.contains_key("outlier_gap") {
            self.positive("panel", t, "outlier_gap")
        } else {
            Some(2.0)
        };
        let min_members = if t.contains_key("min_members") {
            match self.integer("panel", t, "min_members") {
                Some(n) if n >= 1 && n <= i64::from(u32::MAX) => Some(n as u32),
                Some(n) => {
                    self.problem(
                        "panel.min_members",
                        format!("must be an integer of 1 or more, found {n}"),
                    );
                    None
                }
                None => None,
            }
        } else {
            Some(3)
        };
        let mut questions = Vec::new();
        let mut seen = HashSet::new();
        let tables = match t.get("questions") {
            None => {
                self.problem(
                    "panel.questions",
                    "at least one question is required ([[panel.questions]])",
                );
                Vec::new()
            }
            Some(_) => self.tables_in("panel", t, "questions"),
        };
        if t.get("questions")
            .is_some_and(|q| q.as_array().is_some_and(|a| a.is_empty()))
        {
            self.problem("panel.questions", "at least one question is required");
        }
        for (path, q) in tables {
            self.unknown_keys(&path, q, &["code", "title", "weight", "guidance"]);
            let taken: Vec<(&str, &str)> = criteria
                .iter()
                .map(|x| (x.code.as_str(), "a criterion's"))
                .chain(benefits.iter().map(|x| (x.code.as_str(), "a benefit's")))
                .collect();
            let code = self.upper_code(&path, q, &taken, &mut seen);
            let title = self.string(&path, q, "title", true);
            let weight = self.positive(&path, q, "weight");
            let guidance = self.string(&path, q, "guidance", false);
            if let (Some(code), Some(title), Some(weight)) = (code, title, weight) {
                questions.push(Question {
                    code,
                    title,
                    weight,
                    guidance,
                });
            }
        }
        Some(Panel {
            scale_min: scale_min?,
            scale_max: scale_max?,
            outlier_gap: outlier_gap?,
            min_members: min_members?,
            questions,
        })
    }
}

#[cfg(test)]
#[path = "framework_tests.rs"]
mod tests;
