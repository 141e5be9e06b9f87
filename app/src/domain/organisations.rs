//! The register of NHS organisations of 2013-2015 (ODS codes): NHS England regions, area
//! teams, clinical commissioning groups, NHS trusts and GP practices, from the reference
//! pack in `reference/ods-2013-2015/` or a newer extract in the same layouts. Pure: a file
//! is checked against the register it refreshes and gives the register it becomes.
//!
//! Each of the pack's files is one layout, known by its header; a file is the whole list of
//! its kind, so an organisation of that kind missing from it is closed (never deleted:
//! history points at it).

use super::problem::Problem;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The kinds of organisation in the register.
pub const REGION: &str = "region";
pub const AREA_TEAM: &str = "area-team";
pub const CCG: &str = "ccg";
pub const TRUST: &str = "trust";
pub const GP_PRACTICE: &str = "gp-practice";

/// Trust types as the pack gives them (best effort: derived from names, or by hand).
pub const TRUST_TYPES: [&str; 5] = ["acute", "mental-health", "community", "ambulance", "other"];

/// One organisation of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// The ODS code (RR8, 02V, B86001, Q52, Y54).
    pub code: String,
    /// The name as people write it ("Leeds Teaching Hospitals NHS Trust", "NHS Leeds North CCG").
    pub name: String,
    /// The name as ODS or ONS gives it.
    pub official_name: String,
    pub kind: String,
    /// A trust's type (acute, mental-health, community, ambulance, other).
    pub trust_type: Option<String>,
    /// The ONS code, for regions, area teams and CCGs.
    pub ons_code: Option<String>,
    pub postcode: Option<String>,
    /// Where it sits, as ODS codes: a CCG's area team, a practice's CCG. Trusts have none in
    /// the pack; theirs are derived (see [`derive`]).
    pub parent: Option<String>,
    pub ccg: Option<String>,
    pub area_team: Option<String>,
    pub region: Option<String>,
    /// England's geographic region (one of the nine the map uses), from the area team.
    pub geography: Option<String>,
    pub open_date: Option<NaiveDate>,
    pub close_date: Option<NaiveDate>,
    /// The organisation that took over from a closed one.
    pub successor: Option<String>,
    /// A practice's registered patients in the pack's latest quarter.
    pub list_size: Option<i64>,
}

impl Organisation {
    /// The member-organisation type an economy lists it under (acute, ccg, gp-practice…).
    pub fn member_kind(&self) -> &str {
        match self.kind.as_str() {
            TRUST => self
                .trust_type
                .as_deref()
                .filter(|t| *t != "other")
                .unwrap_or("other-trust"),
            other => other,
        }
    }

    /// Open on `day`: opened by then (or no open date) and not closed before it.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.open_date.is_none_or(|d| d <= day) && self.close_date.is_none_or(|d| d >= day)
    }
}

/// Words for a kind of organisation, and for trust types.
pub fn kind_words(kind: &str) -> &'static str {
    match kind {
        REGION => "NHS England region",
        AREA_TEAM => "NHS England area team",
        CCG => "Clinical commissioning group",
        GP_PRACTICE => "GP practice",
        "acute" => "Acute trust",
        "mental-health" => "Mental health trust",
        "community" => "Community trust",
        "ambulance" => "Ambulance trust",
        "other-trust" | "other" | TRUST => "NHS trust",
        _ => "Organisation",
    }
}

/// England's nine geographic regions for each of the 25 area teams of 2013 (by ODS code).
/// Our own mapping: an area team lies in one region, except Q51 (Bassetlaw is in the East
/// Midlands), Q58 (Northamptonshire and Milton Keynes) and Q70 (Dorset), given the region
/// of most of their population.
pub const AREA_TEAM_GEOGRAPHY: [(&str, &str); 25] = [
    ("Q44", "North West"),
    ("Q45", "North East"),
    ("Q46", "North West"),
    ("Q47", "North West"),
    ("Q48", "North West"),
    ("Q49", "North East"),
    ("Q50", "Yorkshire and the Humber"),
    ("Q51", "Yorkshire and the Humber"),
    ("Q52", "Yorkshire and the Humber"),
    ("Q53", "West Midlands"),
    ("Q54", "West Midlands"),
    ("Q55", "East Midlands"),
    ("Q56", "East of England"),
    ("Q57", "East of England"),
    ("Q58", "East of England"),
    ("Q59", "East Midlands"),
    ("Q60", "West Midlands"),
    ("Q71", "London"),
    ("Q64", "South West"),
    ("Q65", "South West"),
    ("Q66", "South West"),
    ("Q67", "South East"),
    ("Q68", "South East"),
    ("Q69", "South East"),
    ("Q70", "South East"),
];

/// A file's layout, known by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Regions,
    AreaTeams,
    Ccgs,
    Trusts,
    Practices,
    Successors,
}

impl Layout {
    pub const ALL: [Layout; 6] = [
        Layout::Regions,
        Layout::AreaTeams,
        Layout::Ccgs,
        Layout::Trusts,
        Layout::Practices,
        Layout::Successors,
    ];

    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Layout::Regions => &["code", "name", "ods_code"],
            Layout::AreaTeams => &["ons_code", "ods_code", "name", "region_code"],
            Layout::Ccgs => &[
                "ons_code",
                "ods_code",
                "name",
                "area_team_ons_code",
                "area_team_ods_code",
            ],
            Layout::Trusts => &[
                "ods_code",
                "name",
                "display_name",
                "type",
                "type_source",
                "postcode",
                "open_date",
                "close_date",
                "source",
            ],
            Layout::Practices => &[
                "ods_code",
                "name",
                "postcode",
                "ccg_ods_code",
                "ccg_source",
                "status",
                "open_date",
                "close_date",
                "prescribing_setting",
                "list_size",
                "list_size_quarter",
            ],
            Layout::Successors => &["ods_code", "successor_code", "note"],
        }
    }

    /// The kind of organisation the file lists (successors amend trusts).
    pub fn kind(self) -> &'static str {
        match self {
            Layout::Regions => REGION,
            Layout::AreaTeams => AREA_TEAM,
            Layout::Ccgs => CCG,
            Layout::Trusts | Layout::Successors => TRUST,
            Layout::Practices => GP_PRACTICE,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Layout::Regions => "regions",
            Layout::AreaTeams => "area teams",
            Layout::Ccgs => "CCGs",
            Layout::Trusts => "trusts",
            Layout::Practices => "GP practices",
            Layout::Successors => "trust successors",
        }
    }
}

/// What an import changed, by code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    /// Name, type, place or dates changed.
    pub changed: Vec<String>,
    /// In the register, missing from the file: closed on the day of the import.
    pub closed: Vec<String>,
    pub unchanged: usize,
}

/// An organisation as search results and pickers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub code: String,
    pub name: String,
    /// Its kind in words ("Acute trust", "GP practice").
    pub kind: String,
    /// Where it sits, in words ("NHS Leeds North CCG, West Yorkshire area team").
    pub place: String,
    pub postcode: Option<String>,
    /// "closed on 30 September 2014", when it is.
    pub closed: Option<String>,
}

/// An organisation another economy also claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overlap {
    pub code: String,
    /// The other economies' names.
    pub economies: Vec<String>,
}

/// An NHS England region or area team of 2013, as filters offer them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NhsPlace {
    pub code: String,
    pub name: String,
    /// An area team's region (its code); `None` for a region.
    pub region: Option<String>,
}

/// Whether something in `area_teams` lies in `want` (an area team's or a region's code).
pub fn in_place(area_teams: &[String], want: &str, places: &[NhsPlace]) -> bool {
    area_teams.iter().any(|a| {
        a == want
            || places
                .iter()
                .any(|p| p.code == *a && p.region.as_deref() == Some(want))
    })
}

/// The name of `code` among `places`, for "in West Yorkshire area team".
pub fn place_name<'a>(places: &'a [NhsPlace], code: &str) -> Option<&'a str> {
    places
        .iter()
        .find(|p| p.code == code)
        .map(|p| p.name.as_str())
}

/// The register: every organisation by code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    pub by_code: BTreeMap<String, Organisation>,
}

fn is_code(c: &str) -> bool {
    (3..=6).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Title case as the pack's `display_name`: "NHS" and other short all-capital initialisms kept,
/// small words lower case except first, apostrophes and "&" kept.
pub fn title_case(upper: &str) -> String {
    const SMALL: [&str; 9] = ["and", "of", "for", "the", "on", "upon", "in", "at", "to"];
    const KEEP: [&str; 6] = ["NHS", "GP", "PCT", "CCG", "UK", "(NHS)"];
    let mut out = Vec::new();
    for (i, word) in upper.split_whitespace().enumerate() {
        if KEEP.contains(&word) {
            out.push(word.to_string());
            continue;
        }
        let lower = word.to_lowercase();
        if i > 0 && SMALL.contains(&lower.as_str()) {
            out.push(lower);
            continue;
        }
        // Capitalise after the start and after a hyphen, bracket, slash or full stop.
        let mut s = String::with_capacity(lower.len());
        let mut up = true;
        for ch in lower.chars() {
            if up && ch.is_alphabetic() {
                s.extend(ch.to_uppercase());
                up = false;
            } else {
                s.push(ch);
                if ch.is_alphabetic() || ch == '\'' || ch == '’' {
                    up = false;
                }
            }
            if matches!(ch, '-' | '(' | '/' | '.' | '&') {
                up = true;
            }
        }
        out.push(s);
    }
    out.join(" ")
}

fn date_cell(
    text: &str,
    line: u64,
    field: &str,
    problems: &mut Vec<Problem>,
) -> Result<Option<NaiveDate>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .map(Some)
        .ok_or_else(|| {
            problems.push(Problem::at_line(
                line,
                field,
                format!("\"{text}\" is not a date (YYYY-MM-DD)"),
            ))
        })
}

/// Reads the header of an extract and says which layout it is.
pub fn layout_of(bytes: &[u8]) -> Result<Layout, Vec<Problem>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
            + 1;
        vec![Problem::at_line(
            line,
            "file",
            "not UTF-8 text (save the file as CSV UTF-8)",
        )]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("").trim();
    if first.is_empty() {
        return Err(vec![Problem::at_line(1, "file", "empty")]);
    }
    let found: Vec<String> = first
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    Layout::ALL
        .into_iter()
        .find(|l| l.columns() == found)
        .ok_or_else(|| {
            vec![Problem::at_line(
                1,
                "file",
                format!(
                    "the header is not one of the register's layouts; it must be one of: {}",
                    Layout::ALL
                        .iter()
                        .map(|l| format!("{} ({})", l.columns().join(","), l.words()))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )]
        })
}

impl Register {
    pub fn from_organisations(all: impl IntoIterator<Item = Organisation>) -> Register {
        Register {
            by_code: all.into_iter().map(|o| (o.code.clone(), o)).collect(),
        }
    }

    pub fn get(&self, code: &str) -> Option<&Organisation> {
        self.by_code.get(code)
    }

    fn by_ons(&self, kind: &str, ons: &str) -> Option<&Organisation> {
        self.by_code
            .values()
            .find(|o| o.kind == kind && o.ons_code.as_deref() == Some(ons))
    }

    /// Applies one file (any layout) on `today`: the register it becomes and what changed,
    /// or every problem with its line and nothing changed.
    pub fn apply(
        &self,
        bytes: &[u8],
        today: NaiveDate,
    ) -> Result<(Register, Changes), Vec<Problem>> {
        let layout = layout_of(bytes)?;
        let mut rows: Vec<Organisation> = Vec::new();
        let mut successors: Vec<(String, String)> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        // Codes the file itself defines, so references within one file resolve.
        super::csv_file::read_csv(bytes, layout.columns(), |line, f, problems| {
            let cell = |i: usize| f.get(i).unwrap_or("").trim();
            let code_col = match layout {
                Layout::Regions => 2,
                Layout::AreaTeams | Layout::Ccgs => 1,
                _ => 0,
            };
            let code_field = layout.columns()[code_col];
            let code = cell(code_col).to_ascii_uppercase();
            if !is_code(&code) {
                problems.push(Problem::at_line(
                    line,
                    code_field,
                    format!(
                        "\"{}\" is not an ODS code (3 to 6 letters and digits, like RR8)",
                        cell(code_col)
                    ),
                ));
                return;
            }
            if let Some(first) = seen.insert(code.clone(), line) {
                problems.push(Problem::at_line(
                    line,
                    code_field,
                    format!("\"{code}\" is already on line {first}"),
                ));
                return;
            }
            if layout == Layout::Successors {
                let to = cell(1).to_ascii_uppercase();
                if !self.by_code.contains_key(&code) {
                    problems.push(Problem::at_line(
                        line,
                        "ods_code",
                        format!("\"{code}\" is not in the register"),
                    ));
                } else if !self.by_code.contains_key(&to) {
                    problems.push(Problem::at_line(
                        line,
                        "successor_code",
                        format!("\"{}\" is not in the register", cell(1)),
                    ));
                } else {
                    successors.push((code, to));
                }
                return;
            }
            let name_col = match layout {
                Layout::Regions => 1,
                Layout::AreaTeams | Layout::Ccgs => 2,
                _ => 1,
            };
            let official = cell(name_col).to_string();
            if official.is_empty() {
                problems.push(Problem::at_line(line, "name", "is empty"));
                return;
            }
            let mut o = Organisation {
                code: code.clone(),
                name: official.clone(),
                official_name: official.clone(),
                kind: layout.kind().to_string(),
                trust_type: None,
                ons_code: None,
                postcode: None,
                parent: None,
                ccg: None,
                area_team: None,
                region: None,
                geography: None,
                open_date: None,
                close_date: None,
                successor: None,
                list_size: None,
            };
            match layout {
                Layout::Regions => {
                    o.ons_code = Some(cell(0).to_string());
                }
                Layout::AreaTeams => {
                    o.ons_code = Some(cell(0).to_string());
                    o.name = format!("{official} area team");
                    o.parent = Some(cell(3).to_string()); // an ONS region code, resolved below
                }
                Layout::Ccgs => {
                    o.ons_code = Some(cell(0).to_string());
                    o.name = format!("{official} CCG");
                    o.parent = Some(cell(3).to_string()); // an ONS area team code
                }
                Layout::Trusts => {
                    let display = cell(2);
                    o.name = if display.is_empty() {
                        title_case(&official)
                    } else {
                        display.to_string()
                    };
                    let t = cell(3).to_ascii_lowercase();
                    if !TRUST_TYPES.contains(&t.as_str()) {
                        problems.push(Problem::at_line(
                            line,
                            "type",
                            format!(
                                "\"{}\" is not a trust type (acute, mental-health, community, ambulance or other)",
                                cell(3)
                            ),
                        ));
                        return;
                    }
                    o.trust_type = Some(t);
                    o.postcode = Some(cell(5).to_string()).filter(|p| !p.is_empty());
                    let (Ok(open), Ok(close)) = (
                        date_cell(cell(6), line, "open_date", problems),
                        date_cell(cell(7), line, "close_date", problems),
                    ) else {
                        return;
                    };
                    (o.open_date, o.close_date) = (open, close);
                }
                Layout::Practices => {
                    o.name = title_case(&official);
                    o.postcode = Some(cell(2).to_string()).filter(|p| !p.is_empty());
                    let ccg = cell(3).to_ascii_uppercase();
                    if ccg.is_empty() {
                        problems.push(Problem::at_line(line, "ccg_ods_code", "is empty"));
                        return;
                    }
                    o.parent = Some(ccg);
                    let (Ok(open), Ok(close)) = (
                        date_cell(cell(6), line, "open_date", problems),
                        date_cell(cell(7), line, "close_date", problems),
                    ) else {
                        return;
                    };
                    (o.open_date, o.close_date) = (open, close);
                    let size = cell(9);
                    if !size.is_empty() {
                        match size.parse::<i64>() {
                            Ok(n) if n >= 0 => o.list_size = Some(n),
                            _ => {
                                problems.push(Problem::at_line(
                                    line,
                                    "list_size",
                                    format!("\"{size}\" is not a whole number"),
                                ));
                                return;
                            }
                        }
                    }
                }
                Layout::Successors => unreachable!("handled above"),
            }
            if let (Some(open), Some(close)) = (o.open_date, o.close_date) {
                if close < open {
                    problems.push(Problem::at_line(
                        line,
                        "close_date",
                        format!("{close} is before the open date {open}"),
                    ));
                    return;
                }
            }
            if self.resolve(layout, &mut o, line, problems) {
                rows.push(o);
            }
        })?;

        let mut next = self.clone();
        if layout == Layout::Successors {
            let mut changes = Changes::default();
            for (from, to) in successors {
                let o = next.by_code.get_mut(&from).expect("checked");
                if o.successor.as_deref() == Some(to.as_str()) {
                    changes.unchanged += 1;
                } else {
                    changes.changed.push(from.clone());
                    o.successor = Some(to);
                }
            }
            next.derive();
            return Ok((next, changes));
        }
        let in_file: HashSet<String> = rows.iter().map(|o| o.code.clone()).collect();
        let mut changes = Changes::default();
        let kind = layout.kind();
        // Compared before derivation: derived fields are recomputed for everyone below.
        for mut o in rows {
            // What the file does not carry stays as it was.
            if let Some(old) = next.by_code.get(&o.code) {
                o.successor = old.successor.clone();
            }
            match next.by_code.get(&o.code) {
                None => changes.added.push(o.code.clone()),
                Some(old) if same_source(old, &o) => {
                    changes.unchanged += 1;
                    continue;
                }
                Some(_) => changes.changed.push(o.code.clone()),
            }
            next.by_code.insert(o.code.clone(), o);
        }
        for o in next.by_code.values_mut() {
            if o.kind == kind && !in_file.contains(&o.code) && o.close_date.is_none() {
                o.close_date = Some(today);
                changes.closed.push(o.code.clone());
            }
        }
        next.derive();
        Ok((next, changes))
    }

    /// Resolves a row's references (an ONS parent code to its ODS code) and checks it does not
    /// change an organisation's kind; a problem with its line otherwise.
    fn resolve(
        &self,
        layout: Layout,
        o: &mut Organisation,
        line: u64,
        problems: &mut Vec<Problem>,
    ) -> bool {
        match layout {
            Layout::AreaTeams => {
                let ons = o.parent.take().unwrap_or_default();
                match self.by_ons(REGION, &ons) {
                    Some(r) => o.parent = Some(r.code.clone()),
                    None => {
                        problems.push(Problem::at_line(
                            line,
                            "region_code",
                            format!("\"{ons}\" is not a region in the register"),
                        ));
                        return false;
                    }
                }
            }
            Layout::Ccgs => {
                let ons = o.parent.take().unwrap_or_default();
                match self.by_ons(AREA_TEAM, &ons) {
                    Some(a) => o.parent = Some(a.code.clone()),
                    None => {
                        problems.push(Problem::at_line(
                            line,
                            "area_team_ons_code",
                            format!("\"{ons}\" is not an area team in the register"),
                        ));
                        return false;
                    }
                }
            }
            Layout::Practices => {
                let ccg = o.parent.clone().unwrap_or_default();
                if self.by_code.get(&ccg).is_none_or(|c| c.kind != CCG) {
                    problems.push(Problem::at_line(
                        line,
                        "ccg_ods_code",
                        format!("\"{ccg}\" is not a CCG in the register"),
                    ));
                    return false;
                }
            }
            _ => {}
        }
        if let Some(old) = self.by_code.get(&o.code) {
            if old.kind != o.kind {
                problems.push(Problem::at_line(
                    line,
                    "ods_code",
                    format!(
                        "\"{}\" is already in the register as a {} ({})",
                        o.code,
                        kind_words(old.member_kind()).to_lowercase(),
                        old.name
                    ),
                ));
                return false;
            }
            // What the file does not carry stays as it was.
            o.successor = old.successor.clone();
        }
        true
    }

    /// Fills each organisation's CCG, area team, region and geographic region from its
    /// parents. Trusts have no parent in ODS; each takes the area team of the GP practices
    /// that share its postcode district (LS9), else its postcode area (LS), the most common
    /// one, ties to the lowest code.
    pub fn derive(&mut self) {
        let geography: HashMap<&str, &str> = AREA_TEAM_GEOGRAPHY.iter().copied().collect();
        let parent_of: HashMap<String, Option<String>> = self
            .by_code
            .iter()
            .map(|(c, o)| (c.clone(), o.parent.clone()))
            .collect();
        let kind_of: HashMap<String, String> = self
            .by_code
            .iter()
            .map(|(c, o)| (c.clone(), o.kind.clone()))
            .collect();
        let up = |code: &str, want: &str| -> Option<String> {
            let mut at = Some(code.to_string());
            for _ in 0..5 {
                let c = at?;
                if kind_of.get(&c).map(String::as_str) == Some(want) {
                    return Some(c);
                }
                at = parent_of.get(&c).cloned().flatten();
            }
            None
        };
        // Area teams by postcode district and area, from practices.
        let mut district: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
        let mut area: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
        for o in self.by_code.values().filter(|o| o.kind == GP_PRACTICE) {
            let (Some(pc), Some(at)) = (o.postcode.as_deref(), up(&o.code, AREA_TEAM)) else {
                continue;
            };
            let (d, a) = postcode_parts(pc);
            *district
                .entry(d)
                .or_default()
                .entry(at.clone())
                .or_default() += 1;
            *area.entry(a).or_default().entry(at).or_default() += 1;
        }
        let most = |m: Option<&BTreeMap<String, usize>>| -> Option<String> {
            let m = m?;
            let best = m.values().copied().max()?;
            m.iter().find(|(_, n)| **n == best).map(|(c, _)| c.clone())
        };
        for o in self.by_code.values_mut() {
            let code = o.code.clone();
            o.ccg = up(&code, CCG).filter(|c| *c != code);
            o.area_team = if o.kind == TRUST {
                o.postcode.as_deref().and_then(|pc| {
                    let (d, a) = postcode_parts(pc);
                    most(district.get(&d)).or_else(|| most(area.get(&a)))
                })
            } else {
                up(&code, AREA_TEAM).filter(|c| *c != code)
            };
            let at = o
                .area_team
                .clone()
                .or_else(|| (o.kind == AREA_TEAM).then(|| code.clone()));
            o.region = at
                .as_deref()
                .and_then(|a| up(a, REGION))
                .or_else(|| (o.kind == REGION).then(|| code.clone()))
                .filter(|c| *c != code);
            o.geography = at
                .as_deref()
                .and_then(|a| geography.get(a))
                .map(|g| g.to_string())
                .or_else(|| (o.kind == REGION && code == "Y56").then(|| "London".to_string()));
        }
    }

    /// Every organisation of a kind (open or closed), by code.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Organisation> + 'a {
        self.by_code.values().filter(move |o| o.kind == kind)
    }
}

/// Whether two versions of an organisation say the same in the fields a file carries.
fn same_source(a: &Organisation, b: &Organisation) -> bool {
    a.name == b.name
        && a.official_name == b.official_name
        && a.trust_type == b.trust_type
        && a.ons_code == b.ons_code
        && a.postcode == b.postcode
        && a.parent == b.parent
        && a.open_date == b.open_date
        && a.close_date == b.close_date
        && a.list_size == b.list_size
}

/// A postcode's district ("LS9") and area ("LS").
fn postcode_parts(pc: &str) -> (String, String) {
    let outward = pc
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    let area: String = outward
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    (outward, area)
}

/// The reference pack shipped with the project, in the order its files depend on each other.
pub const PACK_ORDER: [(&str, Layout); 6] = [
    ("regions-2013.csv", Layout::Regions),
    ("area-teams-2013.csv", Layout::AreaTeams),
    ("ccgs-2013.csv", Layout::Ccgs),
    ("trusts-2013-2015.csv", Layout::Trusts),
    ("gp-practices.csv", Layout::Practices),
    ("trust-successors.csv", Layout::Successors),
];

/// The register made from a pack's files (name, bytes), applied in [`PACK_ORDER`].
pub fn from_pack(files: &[(&str, &[u8])], today: NaiveDate) -> Result<Register, Vec<Problem>> {
    let mut register = Register::default();
    for (name, _) in PACK_ORDER {
        let Some((_, bytes)) = files.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        let (next, _) = register.apply(bytes, today).map_err(|ps| {
            ps.into_iter()
                .map(|mut p| {
                    p.field = format!("{name}: {}", p.field);
                    p
                })
                .collect::<Vec<_>>()
        })?;
        register = next;
    }
    Ok(register)
}

/// Search: organisations whose code is `q` or whose name holds every word of `q`, the exact
/// code first, then open ones before closed, then by name; at most `limit`.
pub fn search<'a>(
    all: impl IntoIterator<Item = &'a Organisation>,
    q: &str,
    kinds: &[&str],
    limit: usize,
) -> Vec<&'a Organisation> {
    let q = q.trim();
    if q.is_empty() {
        return Vec::new();
    }
    let upper = q.to_ascii_uppercase();
    let words: Vec<String> = q
        .to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut hits: Vec<(u8, &Organisation)> = all
        .into_iter()
        .filter(|o| kinds.is_empty() || kinds.contains(&o.kind.as_str()))
        .filter_map(|o| {
            if o.code == upper {
                return Some((0, o));
            }
            let name = o.name.to_lowercase();
            words
                .iter()
                .all(|w| name.contains(w.as_str()))
                .then_some((if o.close_date.is_none() { 1 } else { 2 }, o))
        })
        .collect();
    hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    hits.into_iter().take(limit).map(|(_, o)| o).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const REGIONS: &str = "code,name,ods_code\nE40000001,North of England,Y54\n";
    const AREA_TEAMS: &str =
        "ons_code,ods_code,name,region_code\nE39000009,Q52,West Yorkshire,E40000001\n";
    const CCGS: &str = "ons_code,ods_code,name,area_team_ons_code,area_team_ods_code\n\
        E38000094,02V,NHS Leeds North,E39000009,Q52\n\
        E38000095,03G,NHS Leeds South and East,E39000009,Q52\n";
    const TRUSTS: &str = "ods_code,name,display_name,type,type_source,postcode,open_date,close_date,source\n\
        RR8,LEEDS TEACHING HOSPITALS NHS TRUST,Leeds Teaching Hospitals NHS Trust,acute,derived-from-name,LS9 7TF,1998-04-01,,nhsparse\n\
        RY6,LEEDS COMMUNITY HEALTHCARE NHS TRUST,Leeds Community Healthcare NHS Trust,community,derived-from-name,LS6 1PF,2011-04-01,,nhsparse\n";
    const PRACTICES: &str = "ods_code,name,postcode,ccg_ods_code,ccg_source,status,open_date,close_date,prescribing_setting,list_size,list_size_quarter\n\
        B86001,THE ST MARTINS PRACTICE,LS7 4HX,02V,list-size,A,1974-04-01,,4,9000,2015-Q2\n\
        B86002,ASHFIELD MEDICAL CENTRE,LS9 6AA,03G,list-size,A,1974-04-01,,4,7000,2015-Q2\n";

    fn pack() -> Register {
        from_pack(
            &[
                ("regions-2013.csv", REGIONS.as_bytes()),
                ("area-teams-2013.csv", AREA_TEAMS.as_bytes()),
                ("ccgs-2013.csv", CCGS.as_bytes()),
                ("trusts-2013-2015.csv", TRUSTS.as_bytes()),
                ("gp-practices.csv", PRACTICES.as_bytes()),
            ],
            day("2015-04-20"),
        )
        .unwrap()
    }

    #[test]
    fn a_pack_loads_with_every_place_derived() {
        let r = pack();
        assert_eq!(r.by_code.len(), 8);
        let p = r.get("B86001").unwrap();
        assert_eq!(p.name, "The St Martins Practice");
        assert_eq!(p.ccg.as_deref(), Some("02V"));
        assert_eq!(p.area_team.as_deref(), Some("Q52"));
        assert_eq!(p.region.as_deref(), Some("Y54"));
        assert_eq!(p.geography.as_deref(), Some("Yorkshire and the Humber"));
        assert_eq!(r.get("02V").unwrap().name, "NHS Leeds North CCG");
        assert_eq!(r.get("Q52").unwrap().region.as_deref(), Some("Y54"));
        // A trust takes the area team of the practices in its postcode district (LS9), or of
        // its postcode area when no practice shares the district (LS6).
        let rr8 = r.get("RR8").unwrap();
        assert_eq!(rr8.area_team.as_deref(), Some("Q52"));
        assert_eq!(rr8.member_kind(), "acute");
        assert_eq!(r.get("RY6").unwrap().area_team.as_deref(), Some("Q52"));
        assert_eq!(r.get("RY6").unwrap().ccg, None);
    }

    #[test]
    fn a_changed_extract_adds_renames_and_closes_never_deletes() {
        let r = pack();
        let newer = "ods_code,name,display_name,type,type_source,postcode,open_date,close_date,source\n\
            RR8,LEEDS TEACHING HOSPITALS NHS TRUST,The Leeds Teaching Hospitals NHS Trust,acute,manual,LS9 7TF,1998-04-01,,x\n\
            RGD,LEEDS AND YORK PARTNERSHIP NHS FOUNDATION TRUST,,mental-health,manual,LS15 8ZB,1993-04-01,,x\n";
        let (next, changes) = r.apply(newer.as_bytes(), day("2015-05-01")).unwrap();
        assert_eq!(changes.added, vec!["RGD"]);
        assert_eq!(changes.changed, vec!["RR8"]);
        assert_eq!(changes.closed, vec!["RY6"]);
        assert_eq!(changes.unchanged, 0);
        assert_eq!(next.get("RY6").unwrap().close_date, Some(day("2015-05-01")));
        assert_eq!(
            next.get("RR8").unwrap().name,
            "The Leeds Teaching Hospitals NHS Trust"
        );
        assert_eq!(
            next.get("RGD").unwrap().name,
            "Leeds and York Partnership NHS Foundation Trust"
        );
        // The same file again changes nothing, and a closed trust stays closed on its day.
        let (again, c2) = next.apply(newer.as_bytes(), day("2015-06-01")).unwrap();
        assert_eq!(
            (
                c2.added.len(),
                c2.changed.len(),
                c2.closed.len(),
                c2.unchanged
            ),
            (0, 0, 0, 2)
        );
        assert_eq!(
            again.get("RY6").unwrap().close_date,
            Some(day("2015-05-01"))
        );
    }

    #[test]
    fn a_bad_extract_lists_every_problem_with_its_line_and_changes_nothing() {
        let r = pack();
        let bad = "ods_code,name,postcode,ccg_ods_code,ccg_source,status,open_date,close_date,prescribing_setting,list_size,list_size_quarter\n\
            B86001,THE ST MARTINS PRACTICE,LS7 4HX,02V,list-size,A,1974-04-01,,4,9000,2015-Q2\n\
            B8,TOO SHORT,LS1 1AA,02V,,A,,,4,,\n\
            B86003,NO SUCH CCG,LS1 1AA,99Z,,A,,,4,,\n\
            B86004,BAD DATE,LS1 1AA,02V,,A,01/04/1974,,4,,\n\
            B86001,AGAIN,LS1 1AA,02V,,A,,,4,,\n";
        let problems = r.apply(bad.as_bytes(), day("2015-05-01")).unwrap_err();
        let lines: Vec<(Option<u64>, &str)> = problems
            .iter()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (Some(3), "ods_code"),
                (Some(4), "ccg_ods_code"),
                (Some(5), "open_date"),
                (Some(6), "ods_code"),
            ],
            "{problems:?}"
        );
        assert!(problems[1].message.contains("\"99Z\" is not a CCG"));
    }

    #[test]
    fn an_unknown_header_names_the_layouts_it_could_be() {
        let p = Register::default()
            .apply(b"code,name\nRR8,Leeds\n", day("2015-05-01"))
            .unwrap_err();
        assert_eq!(p[0].line, Some(1));
        assert!(
            p[0].message.contains("ods_code,name,display_name"),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn successors_point_at_organisations_in_the_register() {
        let r = pack();
        let file = "ods_code,successor_code,note\nRY6,RR8,merged\n";
        let (next, c) = r.apply(file.as_bytes(), day("2015-05-01")).unwrap();
        assert_eq!(c.changed, vec!["RY6"]);
        assert_eq!(next.get("RY6").unwrap().successor.as_deref(), Some("RR8"));
        assert_eq!(
            next.get("RY6").unwrap().close_date,
            None,
            "successors close nothing"
        );
        let bad = "ods_code,successor_code,note\nRY6,ZZZ,\n";
        let p = r.apply(bad.as_bytes(), day("2015-05-01")).unwrap_err();
        assert_eq!(
            (p[0].line, p[0].field.as_str()),
            (Some(2), "successor_code")
        );
    }

    #[test]
    fn search_finds_by_code_first_then_by_every_word() {
        let r = pack();
        let hits: Vec<&str> = search(r.by_code.values(), "rr8", &[], 10)
            .iter()
            .map(|o| o.code.as_str())
            .collect();
        assert_eq!(hits, vec!["RR8"]);
        let hits: Vec<&str> = search(r.by_code.values(), "leeds trust", &[], 10)
            .iter()
            .map(|o| o.code.as_str())
            .collect();
        assert_eq!(hits, vec!["RY6", "RR8"]);
        let hits = search(r.by_code.values(), "leeds", &[CCG], 10);
        assert_eq!(hits.len(), 2);
        assert!(search(r.by_code.values(), "  ", &[], 10).is_empty());
    }

    #[test]
    fn names_are_title_cased_as_people_write_them() {
        assert_eq!(title_case("THE DENSHAM SURGERY"), "The Densham Surgery");
        assert_eq!(
            title_case("ST JOHN'S HEALTH CENTRE"),
            "St John's Health Centre"
        );
        assert_eq!(
            title_case("HALL-GREEN PRACTICE (NHS)"),
            "Hall-Green Practice (NHS)"
        );
        assert_eq!(
            title_case("PARK ROAD AND THE MEADOWS"),
            "Park Road and the Meadows"
        );
    }
}
