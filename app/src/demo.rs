//! The demo data set: some forty local health economies across England's nine regions of
//! 2013, reporting quarter by quarter from 2012-Q4 to 2015-Q1, published through 2014-Q4,
//! for a today of 2015-04-20. Deterministic: the same data every time.
//!
//! It goes in through the same imports as any file, so it is validated like one.

use crate::db::Pool;
use crate::domain::framework::{Framework, Kind};
use crate::domain::Quarter;
use crate::service::{self, ServiceError};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt::Write;

/// The date the demo data set is made for.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 4, 20).expect("valid date")
}

/// (region, name, starting maturity 0..=100, pace in points a quarter)
const ECONOMIES: &[(&str, &str, f64, f64)] = &[
    ("North East", "Newcastle and Gateshead", 52.0, 4.5),
    ("North East", "Sunderland and South Tyneside", 30.0, 3.0),
    ("North East", "County Durham and Darlington", 24.0, 2.5),
    ("North East", "Tees Valley", 18.0, 1.5),
    ("North West", "Salford integrated care", 58.0, 5.0),
    ("North West", "Central Manchester", 44.0, 3.5),
    ("North West", "Liverpool", 36.0, 3.0),
    ("North West", "Wirral", 40.0, 4.0),
    ("North West", "Cumbria", 16.0, 1.0),
    ("North West", "Lancashire North", 22.0, 2.0),
    (
        "Yorkshire and the Humber",
        "Leeds health and care economy",
        55.0,
        4.8,
    ),
    (
        "Yorkshire and the Humber",
        "Bradford and Airedale",
        42.0,
        3.8,
    ),
    ("Yorkshire and the Humber", "Sheffield", 38.0, 3.2),
    (
        "Yorkshire and the Humber",
        "Hull and East Riding",
        20.0,
        2.2,
    ),
    ("Yorkshire and the Humber", "York and Selby", 28.0, 2.8),
    ("East Midlands", "Nottingham City and South", 34.0, 3.0),
    (
        "East Midlands",
        "Leicester, Leicestershire and Rutland",
        26.0,
        2.4,
    ),
    ("East Midlands", "Derbyshire", 30.0, 2.0),
    ("East Midlands", "Lincolnshire", 12.0, 1.2),
    ("West Midlands", "Birmingham and Solihull", 36.0, 2.6),
    ("West Midlands", "Wolverhampton", 46.0, 4.2),
    ("West Midlands", "Coventry and Warwickshire", 27.0, 2.3),
    ("West Midlands", "North Staffordshire", 21.0, 1.8),
    (
        "East of England",
        "Cambridgeshire and Peterborough",
        40.0,
        3.4,
    ),
    ("East of England", "Norfolk and Waveney", 19.0, 1.6),
    ("East of England", "Hertfordshire", 29.0, 2.5),
    ("East of England", "Ipswich and East Suffolk", 33.0, 2.9),
    ("London", "Tower Hamlets and Newham", 50.0, 4.4),
    ("London", "North West London", 45.0, 3.6),
    ("London", "Lambeth and Southwark", 48.0, 4.0),
    ("London", "Camden and Islington", 41.0, 3.3),
    ("London", "Barnet, Enfield and Haringey", 25.0, 2.1),
    (
        "South East",
        "Portsmouth and South East Hampshire",
        43.0,
        3.9,
    ),
    ("South East", "Oxfordshire", 39.0, 3.1),
    ("South East", "Buckinghamshire", 31.0, 2.7),
    ("South East", "Brighton and Hove", 35.0, 3.0),
    ("South East", "West Kent", 17.0, 1.4),
    (
        "South West",
        "Bristol, North Somerset and South Gloucestershire",
        37.0,
        3.3,
    ),
    ("South West", "Plymouth and West Devon", 32.0, 2.9),
    ("South West", "Cornwall and Isles of Scilly", 23.0, 2.6),
    ("South West", "Dorset", 30.0, 2.2),
    ("South West", "Gloucestershire", 26.0, 2.0),
];

/// Each demo economy's real organisations: its CCGs of 2013 (their GP practices join with
/// them) and its NHS trusts, by ODS code. The register holds every other trust too, in no
/// economy, as in real life.
const MEMBERS: &[(&str, &[&str], &[&str])] = &[
    (
        "Newcastle and Gateshead",
        &["00F", "00G", "00H"],
        &["RTD", "RR7", "RX4"],
    ),
    (
        "Sunderland and South Tyneside",
        &["00P", "00N"],
        &["RLN", "RE9"],
    ),
    (
        "County Durham and Darlington",
        &["00C", "00D", "00J"],
        &["RXP", "RX3"],
    ),
    ("Tees Valley", &["00K", "00M"], &["RTR", "RVW"]),
    ("Salford integrated care", &["01G"], &["RM3", "RXV"]),
    ("Central Manchester", &["00W"], &["RW3"]),
    ("Liverpool", &["99A"], &["RQ6", "REM", "RY1", "RW4"]),
    ("Wirral", &["12F"], &["RBL", "RY7", "RXA"]),
    ("Cumbria", &["01H"], &["RNL", "RNN"]),
    ("Lancashire North", &["01K"], &["RTX", "RW5"]),
    (
        "Leeds health and care economy",
        &["02V", "03G", "03C"],
        &["RR8", "RY6", "RGD"],
    ),
    (
        "Bradford and Airedale",
        &["02W", "02R", "02N"],
        &["RAE", "RCF"],
    ),
    ("Sheffield", &["03N"], &["RHQ", "RCU"]),
    ("Hull and East Riding", &["03F", "02Y"], &["RWA", "RV9"]),
    ("York and Selby", &["03Q"], &["RCB"]),
    (
        "Nottingham City and South",
        &["04K", "04N"],
        &["RX1", "RHA"],
    ),
    (
        "Leicester, Leicestershire and Rutland",
        &["04C", "03W", "04V"],
        &["RWE", "RT5"],
    ),
    (
        "Derbyshire",
        &["04R", "04J", "03X", "03Y"],
        &["RTG", "RFS", "RY8", "RXM"],
    ),
    (
        "Lincolnshire",
        &["03T", "04D", "99D", "04Q"],
        &["RWD", "RY5", "RP7"],
    ),
    (
        "Birmingham and Solihull",
        &["13P", "04X", "05P"],
        &["RRK", "RR1", "RYW", "RXT"],
    ),
    ("Wolverhampton", &["06A"], &["RL4"]),
    (
        "Coventry and Warwickshire",
        &["05A", "05H", "05R"],
        &["RKB", "RJC", "RLT", "RYG"],
    ),
    ("North Staffordshire", &["05G", "05W"], &["RJE", "RLY"]),
    (
        "Cambridgeshire and Peterborough",
        &["06H"],
        &["RGT", "RGN", "RQQ", "RYV", "RT1"],
    ),
    (
        "Norfolk and Waveney",
        &["06V", "06W", "06Y", "07J", "06M"],
        &["RM1", "RGP", "RCX", "RY3", "RMY"],
    ),
    (
        "Hertfordshire",
        &["06K", "06N"],
        &["RWG", "RWH", "RY4", "RWR"],
    ),
    ("Ipswich and East Suffolk", &["06L"], &["RGQ"]),
    ("Tower Hamlets and Newham", &["08V", "08M"], &["R1H", "RWK"]),
    (
        "North West London",
        &["08C", "09A", "08Y", "07W", "07P", "08E", "08G", "07Y"],
        &["RYJ", "R1K", "RQM", "RV3", "RKL"],
    ),
    (
        "Lambeth and Southwark",
        &["08K", "08Q"],
        &["RJ1", "RJZ", "RV5"],
    ),
    ("Camden and Islington", &["07R", "08H"], &["RRV", "RKE"]),
    (
        "Barnet, Enfield and Haringey",
        &["07M", "07X", "08D"],
        &["RAP", "RRP"],
    ),
    (
        "Portsmouth and South East Hampshire",
        &["10R", "10V", "10K"],
        &["RHU", "R1C"],
    ),
    ("Oxfordshire", &["10Q"], &["RTH", "RNU"]),
    ("Buckinghamshire", &["10Y", "10H"], &["RXQ"]),
    ("Brighton and Hove", &["09D"], &["RXH", "RDR", "RX2"]),
    ("West Kent", &["99J"], &["RWF", "RYY", "RXY"]),
    (
        "Bristol, North Somerset and South Gloucestershire",
        &["11H", "11T", "12A"],
        &["RA7", "RVJ", "RA3", "RVN"],
    ),
    ("Plymouth and West Devon", &["99P"], &["RK9"]),
    ("Cornwall and Isles of Scilly", &["11N"], &["REF", "RJ8"]),
    ("Dorset", &["11J"], &["RBD", "RD3", "RDZ", "RDY"]),
    ("Gloucestershire", &["11M"], &["RTE", "R1J", "RTQ"]),
    ("Somerset", &["11X"], &["RBA", "RA4", "RH5"]),
];

/// Trusts an economy lists besides its own, as economies did: Leeds and York Partnership
/// provided York's mental health services too, so both economies name it (the register keeps
/// it with Leeds; the comparison and the admins see the overlap).
const SHARED_MEMBERS: &[(&str, &str)] = &[("York and Selby", "RGD")];

/// The demo economy's CCG and trust codes, by its name.
fn members_of(name: &str) -> (&'static [&'static str], &'static [&'static str]) {
    MEMBERS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, c, t)| (*c, *t))
        .unwrap_or((&[], &[]))
}

/// A nominated economy that has not reported yet: listed, not ranked.
const NEWCOMER: (&str, &str) = ("South West", "Somerset");

/// A small deterministic generator (SplitMix64): the demo must be the same every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

pub use crate::domain::nomination::slug_of;

fn cell(s: &str) -> String {
    crate::domain::scoring::csv_cell(s)
}

/// The trust EPR register of the demo: every NHS trust of the register open on the demo's
/// day, each demo economy's own in it, with a believable mix of EPRs operational before the
/// April 2014 deadline, operational late, still deploying, and none (statuses invented).
pub fn trusts_csv(fw: &Framework, register: &crate::domain::organisations::Register) -> String {
    let mut out =
        String::from("code,name,type,region,economy,epr_status,operational_date,planned_date\n");
    // Each economy's latest value for the acute EPR criterion (not rejected): the register's
    // acute trusts agree with it, except in a few economies that claimed too early.
    let mut latest: HashMap<String, String> = HashMap::new();
    if let Some(c) = crate::domain::trusts::acute_epr_criterion(fw) {
        for line in values_csv(fw).lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() == 5 && f[2] == c.code && f[4] != "rejected" {
                latest.insert(f[0].to_string(), f[3].to_string());
            }
        }
    }
    let mut dates = Rng(20140402);
    let mut rng = Rng(20140401);
    let trust = |code: &str| {
        register
            .get(code)
            .filter(|t| t.kind == crate::domain::organisations::TRUST)
            .unwrap_or_else(|| panic!("demo trust {code} is in the register"))
    };
    let kind_of = |t: &crate::domain::organisations::Organisation| match t.trust_type.as_deref() {
        Some(k @ ("acute" | "community" | "mental-health" | "ambulance")) => k.to_string(),
        _ => "acute".to_string(),
    };
    let region_of = |t: &crate::domain::organisations::Organisation| {
        t.geography.clone().unwrap_or_else(|| "London".to_string())
    };
    let row = |rng: &mut Rng,
               code: &str,
               name: &str,
               kind: &str,
               region: &str,
               economy: &str,
               pace: f64| {
        // Faster economies went live earlier.
        let roll = rng.unit() + (pace - 3.0) * 0.08;
        let (status, op, planned) = if roll > 0.32 {
            let days = rng.range(0.0, 900.0) as i64;
            let d =
                NaiveDate::from_ymd_opt(2014, 3, 31).expect("valid") - chrono::Duration::days(days);
            ("operational", d.to_string(), String::new())
        } else if roll > 0.14 {
            let days = rng.range(1.0, 380.0) as i64;
            let d =
                NaiveDate::from_ymd_opt(2014, 4, 1).expect("valid") + chrono::Duration::days(days);
            ("operational", d.to_string(), String::new())
        } else if roll > 0.04 {
            let days = rng.range(30.0, 500.0) as i64;
            let d = today() + chrono::Duration::days(days);
            ("deploying", String::new(), d.to_string())
        } else {
            ("none", String::new(), String::new())
        };
        format!(
            "{code},{},{kind},{},{economy},{status},{op},{planned}\n",
            cell(name),
            cell(region)
        )
    };
    let mut placed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (e_index, (_, name, _, pace)) in ECONOMIES.iter().enumerate() {
        let slug = slug_of(name);
        let (_, trusts) = members_of(name);
        let acute = trusts
            .iter()
            .filter(|c| kind_of(trust(c)) == "acute")
            .count();
        let mut i = 0;
        for code in trusts.iter().copied() {
            placed.insert(code);
            let t = trust(code);
            let (kind, region) = (kind_of(t), region_of(t));
            let line = row(&mut rng, code, &t.name, &kind, &region, &slug, *pace);
            if kind != "acute" {
                out.push_str(&line);
                continue;
            }
            let claimed_early = e_index % 10 == 7;
            let agreed = match (latest.get(&slug).map(String::as_str), i) {
                (Some(""), 0) => {
                    let d = today() + chrono::Duration::days(dates.range(30.0, 400.0) as i64);
                    Some(("deploying", String::new(), d.to_string()))
                }
                (Some(v), _) if !v.is_empty() => {
                    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").expect("a demo date");
                    match (i, claimed_early, acute) {
                        (0, true, 1) => {
                            let later = (d + chrono::Duration::days(40)).min(today());
                            Some(("operational", later.to_string(), String::new()))
                        }
                        (0, _, _) => Some(("operational", d.to_string(), String::new())),
                        (_, true, _) => {
                            let p =
                                today() + chrono::Duration::days(dates.range(45.0, 200.0) as i64);
                            Some(("deploying", String::new(), p.to_string()))
                        }
                        _ => {
                            let e = d - chrono::Duration::days(dates.range(20.0, 400.0) as i64);
                            Some(("operational", e.to_string(), String::new()))
                        }
                    }
                }
                _ => None,
            };
            i += 1;
            match agreed {
                Some((status, op, planned)) => {
                    let _ = writeln!(
                        out,
                        "{code},{},{kind},{},{slug},{status},{op},{planned}",
                        cell(&t.name),
                        cell(&region)
                    );
                }
                None => out.push_str(&line),
            }
        }
    }
    // Every other trust open on the demo's day, in no economy (the newcomer's trusts too: it
    // has not reported yet).
    for t in register.of_kind(crate::domain::organisations::TRUST) {
        if placed.contains(t.code.as_str())
            || !t.open_on(today())
            || t.trust_type.as_deref() == Some("other")
        {
            continue;
        }
        out.push_str(&row(
            &mut rng,
            &t.code,
            &t.name,
            &kind_of(t),
            &region_of(t),
            "",
            2.5,
        ));
    }
    // The trusts that closed in the programme's years (mergers, an acquisition, a dissolved
    // trust), in no economy: the register keeps their history, as it stood when they closed.
    let mut closing = Rng(20140930);
    let start = NaiveDate::from_ymd_opt(2013, 4, 1).expect("valid");
    for t in register.of_kind(crate::domain::organisations::TRUST) {
        let Some(closed) = t.close_date.filter(|c| *c >= start && *c < today()) else {
            continue;
        };
        if placed.contains(t.code.as_str()) || t.trust_type.as_deref() == Some("other") {
            continue;
        }
        let (status, op) = if closing.unit() > 0.3 {
            let d = closed - chrono::Duration::days(closing.range(90.0, 700.0) as i64);
            ("operational", d.to_string())
        } else {
            ("none", String::new())
        };
        let _ = writeln!(
            out,
            "{},{},{},{},,{status},{op},",
            t.code,
            cell(&t.name),
            kind_of(t),
            cell(&region_of(t))
        );
    }
    out
}

/// The member organisations of each demo economy (slug): its CCGs, their GP practices open
/// on the demo's day, and its trusts, from the register.
pub fn members(
    register: &crate::domain::organisations::Register,
) -> Vec<(String, Vec<crate::domain::nomination::Organisation>)> {
    use crate::domain::organisations::GP_PRACTICE;
    ECONOMIES
        .iter()
        .map(|(_, name, _, _)| *name)
        .chain([NEWCOMER.1])
        .map(|name| {
            let (ccgs, trusts) = members_of(name);
            let member = |o: &crate::domain::organisations::Organisation| {
                crate::domain::nomination::Organisation {
                    name: o.name.clone(),
                    ods_code: Some(o.code.clone()),
                    kind: o.member_kind().to_string(),
                }
            };
            let mut list: Vec<_> = ccgs
                .iter()
                .filter_map(|c| register.get(c))
                .map(member)
                .collect();
            list.extend(trusts.iter().filter_map(|c| register.get(c)).map(member));
            list.extend(
                SHARED_MEMBERS
                    .iter()
                    .filter(|(e, _)| *e == name)
                    .filter_map(|(_, c)| register.get(c))
                    .map(member),
            );
            list.extend(
                register
                    .of_kind(GP_PRACTICE)
                    .filter(|p| {
                        p.parent.as_deref().is_some_and(|c| ccgs.contains(&c)) && p.open_on(today())
                    })
                    .map(member),
            );
            (slug_of(name), list)
        })
        .collect()
}

/// The economies file of the demo.
pub fn economies_csv() -> String {
    let mut out = String::from("slug,name,region\n");
    for (region, name, _, _) in ECONOMIES
        .iter()
        .copied()
        .chain([(NEWCOMER.0, NEWCOMER.1, 0.0, 0.0)])
    {
        let _ = writeln!(out, "{},{},{}", slug_of(name), cell(name), cell(region));
    }
    out
}

/// The first and last quarters the demo reports.
pub fn quarters() -> (Quarter, Quarter) {
    (
        Quarter::new(2012, 4).expect("valid"),
        Quarter::new(2015, 1).expect("valid"),
    )
}

/// The values file of the demo against `fw` (the default framework), with benefit series.
pub fn values_csv(fw: &Framework) -> String {
    let (first, last) = quarters();
    let quarters: Vec<Quarter> = first.through(last).collect();
    let mut out = String::from("economy,period,criterion,value,status\n");
    let mut rng = Rng(20130601);
    let mut extra = Rng(20150401);
    for (e_index, (_, name, start, pace)) in ECONOMIES.iter().enumerate() {
        let slug = slug_of(name);
        // Some economies joined the programme late.
        let joined = if e_index % 7 == 3 {
            3
        } else if e_index % 11 == 5 {
            2
        } else {
            0
        };
        // Each criterion is reached at a maturity of its own: the basics (low stages) first.
        let thresholds: Vec<f64> = fw
            .criteria
            .iter()
            .map(|c| {
                let base = match c.stage {
                    Some(s) => 16.0 + 10.0 * f64::from(s),
                    None => 60.0,
                };
                base + rng.range(-6.0, 6.0)
            })
            .collect();
        let mut achieved: Vec<Option<NaiveDate>> = vec![None; fw.criteria.len()];
        for (t, q) in quarters.iter().enumerate() {
            if t < joined {
                continue;
            }
            // Laggards skip a quarter now and then.
            if *start < 25.0 && t > joined && rng.unit() < 0.12 {
                continue;
            }
            let maturity = 0.7 * start + 0.7 * pace * t as f64;
            for (i, c) in fw.criteria.iter().enumerate() {
                let margin = maturity - thresholds[i] + rng.range(-3.0, 3.0);
                // Gaps: weaker economies leave what they are far from unreported.
                if margin < -30.0 && rng.unit() < 0.6 {
                    continue;
                }
                let met = margin >= 0.0;
                let value = match c.kind {
                    Kind::Boolean => if met { "yes" } else { "no" }.to_string(),
                    Kind::Percentage(target) => {
                        let v = if met {
                            target + (100.0 - target) * (margin / 30.0).min(1.0)
                        } else {
                            (target * (1.0 + margin / 30.0)).clamp(0.0, target - 0.1)
                        };
                        format!("{:.1}", v)
                    }
                    Kind::Level(target) => {
                        if met {
                            target.to_string()
                        } else {
                            let share = (1.0 + margin / 25.0).clamp(0.0, 0.99);
                            ((f64::from(target) * share).floor() as u32).to_string()
                        }
                    }
                    Kind::Date(target) => {
                        if achieved[i].is_none() && met {
                            // Achieved during this quarter: before the deadline, or after it.
                            let span = (q.end_date() - q.start_date()).num_days();
                            let day = q.start_date()
                                + chrono::Duration::days((rng.unit() * span as f64) as i64);
                            achieved[i] = Some(day);
                        }
                        match achieved[i] {
                            Some(d) => d.to_string(),
                            None if q.end_date() < target || margin > -40.0 => String::new(),
                            None => continue,
                        }
                    }
                };
                // Older quarters were mostly verified; recent ones are still being checked.
                let r = rng.unit();
                let status = if t + 2 < quarters.len() {
                    if r < 0.82 {
                        "verified"
                    } else if r < 0.86 {
                        "rejected"
                    } else {
                        "submitted"
                    }
                } else if r < 0.25 {
                    "verified"
                } else if r < 0.29 {
                    "rejected"
                } else {
                    "submitted"
                };
                let _ = writeln!(out, "{slug},{q},{},{value},{status}", c.code);
            }
            // Outcome measures: a noisy improvement that goes with maturity. The first four
            // draw from the main generator, later ones from their own, so that adding a
            // benefit leaves every other demo figure as it was.
            for (b_index, b) in fw.benefits.iter().enumerate() {
                let (baseline, factor, noise) = if b_index < 4 {
                    let noise = rng.range(-0.08, 0.08);
                    (
                        [14.0, 420.0, 5.5, 8.2][b_index],
                        [0.45, 0.35, 0.4, 0.15][b_index],
                        noise,
                    )
                } else {
                    (
                        [42.0, 48.0][b_index % 2],
                        [0.5, 0.45][b_index % 2],
                        extra.range(-0.1, 0.1),
                    )
                };
                let improvement = (maturity.min(100.0) / 100.0) * factor;
                let v = match b.better {
                    crate::domain::framework::Better::Lower => {
                        baseline * (1.0 - improvement + noise)
                    }
                    crate::domain::framework::Better::Higher => {
                        (baseline * (1.0 + improvement + noise)).min(100.0)
                    }
                };
                let _ = writeln!(out, "{slug},{q},{},{:.1},verified", b.code, v);
            }
        }
    }
    out
}

/// A correction made after 2014-Q3 was published: its revision shows in the open.
pub fn correction_csv() -> String {
    "economy,period,criterion,value,status\n\
     wirral,2014-Q3,E-DISCHARGE,71.5,verified\n"
        .to_string()
}

/// A demo sign-in: one account for each role. Their passwords and authenticator keys are
/// public (printed by `serve --demo` and on the sign-in page of the demo): never use the
/// demo data set for real data.
pub struct DemoAccount {
    pub role: crate::domain::account::Role,
    pub email: &'static str,
    pub password: &'static str,
    pub economy: Option<&'static str>,
    pub totp_secret: Option<&'static str>,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: crate::domain::account::Role::Submitter,
        email: "submitter@leeds.demo.nhs.uk",
        password: "demo submitter leeds",
        economy: Some("leeds-health-and-care-economy"),
        totp_secret: None,
    },
    DemoAccount {
        role: crate::domain::account::Role::Submitter,
        email: "submitter@salford.demo.nhs.uk",
        password: "demo submitter salford",
        economy: Some("salford-integrated-care"),
        totp_secret: None,
    },
    DemoAccount {
        role: crate::domain::account::Role::Submitter,
        email: "informatics@salford.demo.nhs.uk",
        password: "demo informatics salford",
        economy: Some("salford-integrated-care"),
        totp_secret: None,
    },
    DemoAccount {
        role: crate::domain::account::Role::Assessor,
        email: "assessor@board.demo.nhs.uk",
        password: "demo assessor board",
        economy: None,
        totp_secret: Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
    },
    DemoAccount {
        role: crate::domain::account::Role::Admin,
        email: "admin@board.demo.nhs.uk",
        password: "demo admin board",
        economy: None,
        totp_secret: Some("KRUGKIDROVUWG2ZAMJZG653OEBTG66BA"),
    },
];

/// Creates the demo accounts.
async fn load_accounts(pool: &Pool) -> Result<(), ServiceError> {
    let ids = crate::db::economy_ids(pool).await?;
    for a in ACCOUNTS {
        let hash = crate::auth::hash_password(a.password).await;
        let mut tx = crate::db::begin(pool).await?;
        let id = crate::db::insert_user(
            &mut tx,
            crate::db::NewUser {
                email: a.email,
                password_hash: Some(&hash),
                role: a.role.as_str(),
                economy_id: a.economy.and_then(|e| ids.get(e).copied()),
                totp_secret: None,
            },
        )
        .await?;
        if let (Some(id), Some(secret)) = (id, a.totp_secret) {
            crate::db::set_second_factor(&mut tx, id, Some(secret), &[]).await?;
        }
        crate::db::audit_append(
            &mut tx,
            &crate::audit::Entry::new(
                "demo",
                "account",
                format!("created {} account {}", a.role, a.email),
            )
            .economy(a.economy),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// A member organisation: name, ODS code (or empty), type.
type DemoOrganisation = (&'static str, &'static str, &'static str);

/// Nominations waiting for the board's decision, made within the window before today:
/// name, region, organisations, lead contact, lead email.
#[allow(clippy::type_complexity)]
const NOMINATIONS: &[(&str, &str, &[DemoOrganisation], &str, &str)] = &[
    (
        "Isle of Wight integrated care",
        "South East",
        &[
            ("", "R1F", ""),
            ("", "10L", ""),
            ("Isle of Wight Council adult social care", "", ""),
        ],
        "Nadia Osei",
        "nadia.osei@wight.demo.nhs.uk",
    ),
    (
        "Herefordshire and Worcestershire partnership",
        "West Midlands",
        &[
            ("", "RLQ", ""),
            ("", "RWP", ""),
            ("", "R1A", ""),
            ("", "05F", ""),
            ("", "05T", ""),
            ("Worcestershire County Council adult social care", "", ""),
        ],
        "Tom Hughes",
        "tom.hughes@hw.demo.nhs.uk",
    ),
];

/// Each economy's member organisations, as its nomination listed them (in one transaction).
async fn load_members(
    pool: &Pool,
    register: &crate::domain::organisations::Register,
) -> Result<(), ServiceError> {
    let ids = crate::db::economy_ids(pool).await?;
    let mut tx = crate::db::begin(pool).await?;
    for (slug, list) in members(register) {
        let Some(id) = ids.get(&slug) else { continue };
        for o in &list {
            crate::db::add_organisation(&mut tx, *id, o).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn load_nominations(pool: &Pool) -> Result<(), ServiceError> {
    for (name, region, organisations, lead, email) in NOMINATIONS {
        let mut fields: std::collections::HashMap<String, String> = [
            ("name", *name),
            ("region", *region),
            ("lead_name", *lead),
            ("lead_email", *email),
            ("lead_role", "Chief information officer"),
            ("vision", "One record for every resident, shared between the hospital, the practices and social care, so nobody has to tell their story twice."),
            ("in_place", "Electronic patient records in the acute trust, GP2GP in every practice, electronic discharge summaries to most practices."),
            ("benefits", "Fewer repeated tests, faster discharge and safer prescribing across the county."),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (i, (org, code, kind)) in organisations.iter().enumerate() {
            fields.insert(format!("org-{}-name", i + 1), org.to_string());
            fields.insert(format!("org-{}-code", i + 1), code.to_string());
            fields.insert(format!("org-{}-kind", i + 1), kind.to_string());
        }
        let submitted = NaiveDate::from_ymd_opt(2015, 3, 2).expect("valid");
        crate::nominations::submit(pool, &fields, submitted)
            .await
            .map_err(|e| ServiceError::Refusal(format!("a demo nomination: {e:?}")))?;
    }
    Ok(())
}

/// A small, valid one-page PDF saying `text`: the demo's evidence documents.
pub fn demo_pdf(text: &str) -> Vec<u8> {
    let stream = format!(
        "BT /F1 14 Tf 72 720 Td ({}) Tj ET",
        text.replace(['(', ')', '\\'], "")
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

/// The demo submitter's economy reports through the web, as a person would: drafts and
/// evidence for the quarter being reported, evidence for an earlier quarter, and a change
/// made after a deadline (marked late).
async fn load_submissions(pool: &Pool) -> Result<(), ServiceError> {
    use crate::submissions::{
        quarter_rows, save_quarter, version, Intent, QuarterForm, SubmitError, Upload,
    };
    let slug = &slug("leeds-health-and-care-economy");
    let by = "submitter@leeds.demo.nhs.uk";
    let economy = crate::db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| ServiceError::Refusal("the demo has no Leeds".into()))?;
    let refused = |e: SubmitError| ServiceError::Refusal(format!("a demo submission: {e:?}"));
    let today = today();
    let step = |period: Quarter,
                fields: Vec<(&'static str, String)>,
                uploads: Vec<Upload>,
                submit: bool| async move {
        let rows = quarter_rows(pool, economy.id, period).await?;
        let mut map: std::collections::HashMap<String, String> = fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        map.insert("version".into(), version(&rows));
        Ok::<_, ServiceError>(
            save_quarter(
                pool,
                slug,
                by,
                QuarterForm {
                    period,
                    fields: map,
                    uploads,
                    intent: if submit {
                        Intent::Submit
                    } else {
                        Intent::Draft
                    },
                },
                today,
            )
            .await
            .map_err(refused),
        )
    };
    let q1 = Quarter::new(2015, 1).expect("valid");
    let q4 = Quarter::new(2014, 4).expect("valid");
    // 2015-Q1: two drafts, a document and a link, not yet submitted.
    step(
        q1,
        vec![
            ("v-EPMA", "78".into()),
            ("v-PATIENT-ONLINE", "42.5".into()),
            (
                "link-GP2GP",
                "https://www.leeds.demo.nhs.uk/gp2gp-dashboard-2015-q1".into(),
            ),
        ],
        vec![Upload {
            code: "EPMA".into(),
            name: "Leeds EPMA roll-out report, March 2015.pdf".into(),
            bytes: demo_pdf("Leeds health and care economy: EPMA roll-out report, March 2015"),
        }],
        false,
    )
    .await??;
    // 2014-Q4: the acute trust's go-live report, attached after submission.
    step(
        q4,
        vec![],
        vec![Upload {
            code: "EPR-ACUTE".into(),
            name: "Leeds Teaching Hospitals EPR go-live assurance.pdf".into(),
            bytes: demo_pdf("Leeds Teaching Hospitals NHS Trust: EPR go-live assurance report"),
        }],
        true,
    )
    .await??;
    // 2014-Q4: e-referrals corrected after its deadline of 30 January 2015: late.
    let rows = quarter_rows(pool, economy.id, q4).await?;
    let current: f64 = rows
        .values
        .get("E-REFERRALS")
        .and_then(|v| v.value.parse().ok())
        .unwrap_or(50.0);
    let corrected = if current >= 97.0 {
        current - 3.0
    } else {
        current + 2.5
    };
    // Saved as a draft, checked, then submitted with a receipt, as a person would.
    step(
        q4,
        vec![(
            "v-E-REFERRALS",
            crate::domain::files::format_number(corrected),
        )],
        vec![],
        false,
    )
    .await??;
    let rows = quarter_rows(pool, economy.id, q4).await?;
    crate::submissions::submit_checked(
        pool,
        slug,
        by,
        q4,
        &["E-REFERRALS".to_string()],
        &version(&rows),
        today,
    )
    .await
    .map_err(refused)?;
    Ok(())
}

/// The board at work: values verified and returned with reasons from the review queue, notes,
/// proposals and the panel's shortlist (two of its decisions public).
async fn load_assessment(pool: &Pool) -> Result<(), ServiceError> {
    use crate::assessment::{add_note, decide, publish_decision};
    use crate::domain::assessment::Review;
    use crate::review::{queue, review, QueueFilter};
    let staff = |email: &str| {
        let email = email.to_string();
        async move {
            let u = crate::db::user_by_email(pool, &email)
                .await?
                .ok_or_else(|| ServiceError::Refusal(format!("the demo has no {email}")))?;
            crate::accounts::active_user(pool, u.id)
                .await
                .map_err(|e| ServiceError::Refusal(format!("{e:?}")))?
                .ok_or_else(|| ServiceError::Refusal(format!("{email} is disabled")))
        }
    };
    let assessor = staff("assessor@board.demo.nhs.uk").await?;
    let admin = staff("admin@board.demo.nhs.uk").await?;
    let failed =
        |e: crate::error::Rejection| ServiceError::Refusal(format!("the demo's assessment: {e:?}"));
    // The top of the queue for 2015-Q1: the first eight verified, the next two returned.
    let items = queue(
        pool,
        &QueueFilter {
            quarter: "2015-Q1".into(),
            ..QueueFilter::default()
        },
        &assessor.email,
        crate::clock::now().date_naive(),
    )
    .await
    .map_err(failed)?;
    // The assessor looks after Leeds's values.
    crate::review::assign(
        pool,
        &assessor,
        &slug("leeds-health-and-care-economy"),
        Some(&assessor.email),
    )
    .await
    .map_err(failed)?;
    let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
    if keys.len() >= 10 {
        review(pool, &assessor, &keys[..8], Review::Verify, "")
            .await
            .map_err(failed)?;
        review(
            pool,
            &assessor,
            &keys[8..9],
            Review::Return,
            "The evidence describes the plan, not the service as it runs: send the go-live report or an audit",
        )
        .await
        .map_err(failed)?;
        review(
            pool,
            &assessor,
            &keys[9..10],
            Review::Return,
            "This is well above last quarter's figure: please confirm how it was counted",
        )
        .await
        .map_err(failed)?;
    }
    let leeds = &slug("leeds-health-and-care-economy");
    add_note(
        pool,
        &assessor,
        leeds,
        "Visited 14 April 2015: shared care record seen working in the emergency department and two GP practices.",
    )
    .await
    .map_err(failed)?;
    // Questions between the board and Leeds: one resolved, one answered and waiting for the
    // board, one waiting for the economy. Their messages are queued like any other.
    let mailer = crate::mail::Mailer::new("http://127.0.0.1:3000", "data/mail");
    let submitter = staff("submitter@leeds.demo.nhs.uk").await?;
    let leeds_id = crate::db::economy_by_slug(pool, leeds)
        .await?
        .ok_or_else(|| ServiceError::Refusal("the demo has no Leeds".into()))?
        .id;
    let subjects = crate::questions::subjects(pool, leeds_id, leeds)
        .await
        .map_err(|e| ServiceError::Refusal(e.to_string()))?;
    let values: Vec<&str> = subjects
        .iter()
        .map(|(c, _)| c.as_str())
        .filter(|c| c.starts_with("value:"))
        .collect();
    if let [first, second, ..] = values[..] {
        use crate::questions::{ask, reply, resolve, Attachment, Post};
        let q = ask(
            pool,
            &mailer,
            &assessor,
            leeds,
            first,
            Post {
                body: "This rose by a third in one quarter. Which wards and services does it now cover?",
                ..Post::default()
            },
        )
        .await
        .map_err(failed)?;
        reply(
            pool,
            &mailer,
            &submitter,
            q,
            Post {
                body: "Every adult inpatient ward at St James's and the General Infirmary since February. Children's wards follow in June.",
                link: "https://www.leedsth.nhs.uk/about-us/digital/go-live-report.pdf",
                document: Some(&Attachment {
                    name: "Ward go-live schedule 2015.pdf".into(),
                    bytes: demo_pdf(
                        "Leeds Teaching Hospitals: ward go-live schedule, February to June 2015",
                    ),
                }),
            },
        )
        .await
        .map_err(failed)?;
        resolve(pool, &assessor, q).await.map_err(failed)?;
        let q = ask(
            pool,
            &mailer,
            &assessor,
            leeds,
            second,
            Post {
                body: "Is this counted across all three CCGs, or for Leeds North only?",
                ..Post::default()
            },
        )
        .await
        .map_err(failed)?;
        reply(
            pool,
            &mailer,
            &submitter,
            q,
            Post {
                body: "Across all three CCGs: the figure is the practices of Leeds North, Leeds South and East, and Leeds West together.",
                ..Post::default()
            },
        )
        .await
        .map_err(failed)?;
        ask(
            pool,
            &mailer,
            &assessor,
            leeds,
            "nomination",
            Post {
                body: "Your nomination names the three CCGs and the trusts. Is Leeds City Council's adult social care part of the shared record, and from when?",
                ..Post::default()
            },
        )
        .await
        .map_err(failed)?;
    }
    // The strongest candidates are proposed; the panel shortlists three.
    let q4 = Some(Quarter::new(2014, 4).expect("valid"));
    let scores = crate::domain::scoring::score_all(
        &service::active_framework(pool).await?.framework,
        &service::scoring_inputs(pool)
            .await?
            .into_iter()
            .map(|(_, i)| i)
            .collect::<Vec<_>>(),
        q4,
    );
    let top: Vec<String> = scores
        .economies
        .iter()
        .filter(|r| r.eligible == Some(true))
        .take(3)
        .map(|r| r.economy.clone())
        .collect();
    for economy in &top {
        let slug = &slug(economy);
        decide(
            pool,
            &assessor,
            slug,
            "proposed",
            "Every gate met, a high verified score and a steady trajectory toward paperless.",
            q4,
        )
        .await
        .map_err(failed)?;
        decide(
            pool,
            &admin,
            slug,
            "shortlisted",
            "Shortlisted by the panel of 14 April 2015 on its verified record; site visits follow before the pilot is chosen.",
            q4,
        )
        .await
        .map_err(failed)?;
    }
    // The board gave every economy two more weeks for 2015-Q1 (Easter fell in its reporting
    // month).
    crate::submissions::move_dates(
        pool,
        &admin.email,
        Quarter::new(2015, 1).expect("valid"),
        Some(NaiveDate::from_ymd_opt(2015, 5, 14).expect("valid")),
        None,
    )
    .await
    .map_err(|e| ServiceError::Refusal(format!("the demo's calendar: {e:?}")))?;
    let decisions = crate::db::decisions(pool).await?;
    for d in decisions
        .iter()
        .filter(|d| d.outcome == "shortlisted")
        .take(2)
    {
        publish_decision(pool, &admin, d.id).await.map_err(failed)?;
    }
    Ok(())
}

/// Panel members besides the demo assessor: board staff who score on paper-free sheets but
/// have no demo sign-in (no password).
const PANEL_STAFF: &[&str] = &[
    "priya.raman@board.demo.nhs.uk",
    "gareth.lloyd@board.demo.nhs.uk",
];

/// Each member's scores for the three shortlisted candidates, in the order of the panel's
/// questions (vision, clinical, interoperability, benefits, spread, value). The clinical
/// lead's 2 for the first candidate's benefits evidence is the round's one outlier.
const PANEL_SCORES: [[[i64; 6]; 3]; 3] = [
    // The first shortlisted candidate.
    [[4, 4, 5, 4, 3, 4], [5, 4, 4, 2, 4, 4], [4, 5, 4, 4, 4, 3]],
    // The second.
    [[3, 3, 4, 3, 3, 4], [3, 4, 3, 3, 3, 3], [4, 3, 3, 3, 3, 3]],
    // The third.
    [[2, 2, 2, 2, 1, 2], [2, 2, 2, 2, 2, 1], [2, 1, 2, 2, 2, 2]],
];

/// A closed selection panel round on the shortlist, through the functions the pages use:
/// three members, one declared conflict, one outlier justified, and the admin's decision
/// based on its results (recorded, to be made public when nominations close).
async fn load_panel(pool: &Pool) -> Result<(), ServiceError> {
    use crate::domain::account::CurrentUser;
    let failed = |e: crate::error::Rejection| {
        ServiceError::Refusal(format!("the demo's selection panel: {e:?}"))
    };
    for email in PANEL_STAFF {
        let mut tx = crate::db::begin(pool).await?;
        crate::db::insert_user(
            &mut tx,
            crate::db::NewUser {
                email,
                password_hash: None,
                role: "assessor",
                economy_id: None,
                totp_secret: None,
            },
        )
        .await?;
        crate::db::audit_append(
            &mut tx,
            &crate::audit::Entry::new(
                "demo",
                "account",
                format!("created assessor account {email}"),
            ),
        )
        .await?;
        tx.commit().await?;
    }
    let user = |email: &'static str| async move {
        let u = crate::db::user_by_email(pool, email)
            .await?
            .ok_or_else(|| ServiceError::Refusal(format!("the demo has no {email}")))?;
        Ok::<CurrentUser, ServiceError>(CurrentUser {
            id: u.id,
            email: u.email,
            role: u.role.parse().map_err(ServiceError::Refusal)?,
            economy: None,
        })
    };
    let admin = user("admin@board.demo.nhs.uk").await?;
    let members = [
        user("assessor@board.demo.nhs.uk").await?,
        user(PANEL_STAFF[0]).await?,
        user(PANEL_STAFF[1]).await?,
    ];
    let shortlisted = crate::panel::store::shortlisted(pool).await?;
    // The finance lead once ran the finances of a trust in an economy that was not shortlisted.
    let candidates = crate::db::candidates(pool).await?;
    if let Some(other) = candidates
        .iter()
        .find(|e| !shortlisted.iter().any(|(s, _)| *s == e.slug.as_str()))
    {
        crate::panel::declare(
            pool,
            &members[2],
            &slug(&other.slug),
            "Director of finance at one of its trusts until March 2013",
        )
        .await
        .map_err(failed)?;
    }
    let emails: Vec<String> = members.iter().map(|m| m.email.clone()).collect();
    crate::panel::open_round(pool, &admin, &emails)
        .await
        .map_err(failed)?;
    let (_, panel) = crate::panel::active_panel(pool).await?;
    // Two members visit the first candidate on 27 March 2015 and report what they found
    // before anyone submits a sheet for it.
    if let Some((first, _)) = shortlisted.first() {
        use crate::panel::visits;
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2015, 3, d).expect("a real date");
        let form = visits::VisitForm {
            day: "27".into(),
            month: "3".into(),
            year: "2015".into(),
            members: vec![members[0].email.clone(), members[1].email.clone()],
            scope: "The shared care record in use on an acute ward, in a GP practice and by the community mental health team; the data sharing agreement; the benefits register.".into(),
        };
        visits::schedule(pool, &admin, &slug(first), &form, day(16))
            .await
            .map_err(failed)?;
        let findings = panel
            .questions
            .iter()
            .map(|q| {
                let text = match q.code.as_str() {
                    "P-VISION" => "The chief executives of all five partners described the same plan, unprompted, and the board minutes show them agreeing it in 2014.",
                    "P-CLINICAL" => "Clinicians led the ward demonstration; the clinical safety officer is a consultant who still practises.",
                    "P-INTEROP" => "A GP opened the hospital discharge summary and the mental health crisis plan in one record, seconds after it was written. Social care sees it read-only.",
                    "P-BENEFITS" => "The benefits register is kept monthly, but the measured savings cover one quarter only.",
                    "P-SPREAD" => "Two neighbouring economies have visited; the open-source interface specifications are published.",
                    _ => "The costs are within the bid; the finance lead showed the signed contracts.",
                };
                (q.code.clone(), text.to_string())
            })
            .collect();
        let report = visits::FindingsForm {
            findings,
            documents: "Data sharing agreement: signed by all five partners in January 2015\nBenefits register: kept monthly since October 2014; savings measured for one quarter\nClinical safety case: signed off by the clinical safety officer in February 2015".into(),
        };
        visits::record_findings(pool, &admin, &slug(first), &report, day(27))
            .await
            .map_err(failed)?;
    }
    for (m, member) in members.iter().enumerate() {
        crate::panel::confirm_declaration(pool, member)
            .await
            .map_err(failed)?;
        for (c, (economy, _)) in shortlisted.iter().enumerate().take(3) {
            let scores = panel
                .questions
                .iter()
                .zip(PANEL_SCORES[c][m])
                .map(|(q, score)| {
                    let comment = match (q.code.as_str(), score) {
                        (_, 5) => "Strong evidence, seen working on the site visit.",
                        (_, 4) => "Good evidence with a few gaps.",
                        (_, 3) => "Some evidence; the plan is not yet working everywhere.",
                        (_, 2) => "Little evidence yet.",
                        _ => "No evidence yet.",
                    };
                    (q.code.clone(), score.to_string(), comment.to_string())
                })
                .collect();
            let form = crate::panel::SheetForm {
                scores,
                submit: true,
            };
            crate::panel::save_sheet(pool, member, &slug(economy), &form)
                .await
                .map_err(failed)?;
        }
    }
    if let Some((first, _)) = shortlisted.first() {
        crate::panel::moderate(
            pool,
            &members[1],
            &slug(first),
            "P-BENEFITS",
            None,
            "The benefits were measured over one quarter only: I want a year of figures before I call them strong evidence.",
        )
        .await
        .map_err(failed)?;
    }
    crate::panel::close_round(pool, &admin)
        .await
        .map_err(failed)?;
    let (_, results) = crate::panel::results(pool).await?;
    if let Some(top) = results.candidates.iter().find(|c| c.rank == Some(1)) {
        crate::assessment::decide(
            pool,
            &admin,
            &slug(&top.economy),
            "selected",
            "Ranked first by the selection panel after its round and site visits; to be announced when nominations close on 31 May 2015.",
            Some(Quarter::new(2014, 4).expect("valid")),
        )
        .await
        .map_err(failed)?;
    }
    Ok(())
}

/// Loads the demo data set into an empty database (one without economies).
pub async fn load(pool: &Pool) -> Result<DemoSummary, ServiceError> {
    if crate::db::count_economies(pool).await? > 0 {
        return Err(ServiceError::Refusal(
            "the database already holds economies: the demo data set loads only into an empty database".into(),
        ));
    }
    let fw = service::active_framework(pool).await?;
    if fw.framework.code != "exemplar-2015" {
        return Err(ServiceError::Refusal(format!(
            "the demo data set needs the default framework exemplar-2015, but {} is active",
            fw.framework.code
        )));
    }
    let by = "demo";
    service::ensure_organisations(pool).await?;
    let register = crate::db::register(pool).await?;
    // Each step runs on the programme's day it would have happened on, so the stamps people
    // read (imported, published, revised, submitted) agree with the quarters beside them.
    let day = |y, m, d| Some(NaiveDate::from_ymd_opt(y, m, d).expect("valid"));
    use crate::clock::running_on as on;
    let all_values = values_csv(&fw.framework);
    // The values file in three parts: up to 2014-Q3, 2014-Q4, and 2015-Q1.
    let part = |keep: &dyn Fn(&str) -> bool| {
        let mut lines = all_values.lines();
        let mut out = format!("{}\n", lines.next().unwrap_or_default());
        for l in lines.filter(|l| keep(l.split(',').nth(1).unwrap_or_default())) {
            out.push_str(l);
            out.push('\n');
        }
        out
    };
    let (early, q4, q1) = (
        part(&|p| p <= "2014-Q3"),
        part(&|p| p == "2014-Q4"),
        part(&|p| p >= "2015-Q1"),
    );
    let economies = on(
        day(2014, 10, 20),
        service::import_economies(pool, economies_csv().as_bytes(), "the demo data set", by),
    )
    .await?;
    let mut values = on(
        day(2014, 10, 30),
        service::import_values(pool, early.as_bytes(), "the demo data set", by),
    )
    .await?;
    let published = on(
        day(2014, 12, 15),
        service::publish_through(
            pool,
            Quarter::new(2014, 3).expect("valid"),
            NaiveDate::from_ymd_opt(2014, 12, 15).expect("valid"),
            by,
        ),
    )
    .await?;
    on(day(2015, 1, 12), async {
        service::import_values(pool, correction_csv().as_bytes(), "a demo correction", by).await?;
        service::revise(
            pool,
            Quarter::new(2014, 3).expect("valid"),
            "Wirral's discharge summary figure for 2014-Q3 was corrected after the assessor checked the trust's audit.",
            NaiveDate::from_ymd_opt(2015, 1, 12).expect("valid"),
            by,
        )
        .await
    })
    .await?;
    values.values += on(
        day(2015, 1, 28),
        service::import_values(pool, q4.as_bytes(), "the demo data set", by),
    )
    .await?
    .values;
    let more = on(
        day(2015, 3, 16),
        service::publish_through(
            pool,
            Quarter::new(2014, 4).expect("valid"),
            NaiveDate::from_ymd_opt(2015, 3, 16).expect("valid"),
            by,
        ),
    )
    .await?;
    values.values += on(
        day(2015, 4, 10),
        service::import_values(pool, q1.as_bytes(), "the demo data set", by),
    )
    .await?
    .values;
    on(
        day(2015, 4, 10),
        service::import_trusts(
            pool,
            trusts_csv(&fw.framework, &register).as_bytes(),
            "the demo data set",
            by,
            today(),
        ),
    )
    .await?;
    on(day(2014, 10, 20), load_members(pool, &register)).await?;
    load_accounts(pool).await?;
    load_nominations(pool).await?;
    load_submissions(pool).await?;
    // The board's reviews and proposals of 15 April 2015, the day after its panel met.
    on(day(2015, 4, 15), load_assessment(pool)).await?;
    load_teamwork(pool).await?;
    load_panel(pool).await?;
    load_enforcement(pool, &fw.framework).await?;
    load_publication_flags(pool).await?;
    Ok(DemoSummary {
        economies: economies.created,
        values: values.values,
        published: published.len() as u64 + more.len() as u64,
    })
}

/// Salford completes 2015-Q1 together, through the same functions the web uses: its lead
/// (submitter@salford) shares the themes out, its informatics lead drafts the shared care
/// record with a reason for its fall, the lead signs it off and informatics submits it (so
/// the review queue shows the warning and the reason); then informatics drafts electronic
/// discharge, a fall the framework warns of, which waits for the lead's sign-off.
async fn load_teamwork(pool: &Pool) -> Result<(), ServiceError> {
    use crate::clock::running_on as on;
    use crate::submissions::{quarter_rows, save_quarter, version, Intent, QuarterForm, Upload};
    let refused = |e: String| ServiceError::Refusal(format!("the demo's teamwork: {e}"));
    let slug = slug("salford-integrated-care");
    let economy = crate::db::economy_by_slug(pool, &slug)
        .await?
        .ok_or_else(|| ServiceError::Refusal("the demo has no Salford".into()))?;
    let fw = service::active_framework(pool).await?.framework;
    let user = |email: &'static str| async move {
        crate::db::user_by_email(pool, email)
            .await?
            .map(|u| crate::domain::account::CurrentUser {
                id: u.id,
                email: u.email,
                role: crate::domain::account::Role::Submitter,
                economy: u.economy,
            })
            .ok_or_else(|| ServiceError::Refusal(format!("the demo has no {email}")))
    };
    let lead = user("submitter@salford.demo.nhs.uk").await?;
    let informatics = user("informatics@salford.demo.nhs.uk").await?;
    let q1 = Quarter::new(2015, 1).expect("valid");
    let at = |d: u32| Some(NaiveDate::from_ymd_opt(2015, 4, d).expect("valid"));
    on(at(16), async {
        crate::teamwork::name_lead(pool, &lead, &lead.email)
            .await
            .map_err(|e| refused(e.to_string()))?;
        let fields: HashMap<String, String> = [
            ("assign-records", lead.email.as_str()),
            ("assign-transfers", informatics.email.as_str()),
            ("assign-medicines", informatics.email.as_str()),
            ("assign-citizens", lead.email.as_str()),
            ("assign-NHS-NUMBER", informatics.email.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        crate::teamwork::assign(pool, &lead, &fw, q1, &fields)
            .await
            .map_err(|e| refused(e.to_string()))?;
        Ok::<_, ServiceError>(())
    })
    .await?;
    let draft = |by: &'static str,
                 fields: Vec<(&'static str, &'static str)>,
                 upload: Option<(&'static str, &'static str, &'static str)>| {
        let economy_id = economy.id;
        let slug = slug.clone();
        async move {
            let rows = quarter_rows(pool, economy_id, q1).await?;
            let mut map: HashMap<String, String> = fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            map.insert("version".into(), version(&rows));
            save_quarter(
                pool,
                &slug,
                by,
                QuarterForm {
                    period: q1,
                    fields: map,
                    uploads: upload
                        .map(|(code, name, title)| Upload {
                            code: code.into(),
                            name: name.into(),
                            bytes: demo_pdf(title),
                        })
                        .into_iter()
                        .collect(),
                    intent: Intent::Draft,
                },
                today(),
            )
            .await
            .map_err(|e| refused(format!("{e:?}")))
        }
    };
    let reason = "Bolton's adult social care system left the shared record on 1 March while its supplier changed. It rejoins in May, when the record is back to level 5.";
    // The reason is given once the form has shown the warning, as a person would.
    on(
        at(16),
        draft(
            "informatics@salford.demo.nhs.uk",
            vec![("v-SHARED-CARE-RECORD", "4")],
            Some((
                "SHARED-CARE-RECORD",
                "Salford shared care record connections, March 2015.pdf",
                "Salford integrated care: shared care record connections, 31 March 2015",
            )),
        ),
    )
    .await?;
    on(
        at(16),
        draft(
            "informatics@salford.demo.nhs.uk",
            vec![
                ("v-SHARED-CARE-RECORD", "4"),
                ("reason-SHARED-CARE-RECORD", reason),
            ],
            None,
        ),
    )
    .await?;
    on(at(17), async {
        let rows = quarter_rows(pool, economy.id, q1).await?;
        crate::submissions::sign_off(pool, &lead, q1, true, &version(&rows))
            .await
            .map_err(|e| refused(e.to_string()))?;
        let rows = quarter_rows(pool, economy.id, q1).await?;
        crate::submissions::submit_checked(
            pool,
            &slug,
            &informatics.email,
            q1,
            &["SHARED-CARE-RECORD".to_string()],
            &version(&rows),
            today(),
        )
        .await
        .map_err(|e| refused(format!("{e:?}")))?;
        Ok::<_, ServiceError>(())
    })
    .await?;
    on(
        at(18),
        draft(
            "informatics@salford.demo.nhs.uk",
            vec![
                ("v-E-DISCHARGE", "74.5"),
                ("reason-E-DISCHARGE", "Salford Royal moved to a new discharge system on 2 March. Summaries written on paper during the two-week switch-over are not counted."),
                ("v-EPMA", "88"),
            ],
            Some(("E-DISCHARGE", "Salford discharge summaries, March 2015.pdf", "Salford Royal: electronic discharge summaries sent within 24 hours, March 2015")),
        ),
    )
    .await?;
    Ok(())
}

/// The trust register's enforcement, through the same functions the web uses: Leeds gives
/// evidence for its trusts' go-lives; the board records remediation plans for late and
/// non-compliant trusts (some overdue, most public, a few non-compliant trusts still without
/// one, so their economies cannot be funded).
async fn load_enforcement(pool: &Pool, fw: &Framework) -> Result<(), ServiceError> {
    use crate::trusts::{record_plan, register, set_epr, Editor};
    let failed = |e: String| ServiceError::Refusal(format!("the demo's trust register: {e}"));
    let leeds = "leeds-health-and-care-economy";
    let (trusts, _) = register(pool, fw, today()).await?;
    let ours: Vec<_> = trusts
        .iter()
        .filter(|t| t.entry.economy.as_deref() == Some(leeds))
        .filter(|t| t.entry.epr_status == "operational")
        .collect();
    for (n, t) in ours.iter().take(2).enumerate() {
        let code = t.entry.code.clone();
        let mut fields: HashMap<String, String> = HashMap::new();
        fields.insert(format!("status-{code}"), "operational".into());
        fields.insert(
            format!("date-{code}"),
            t.entry.operational_date.clone().unwrap_or_default(),
        );
        let upload = if n == 0 {
            Some(crate::submissions::Upload {
                code: code.clone(),
                name: format!("{} EPR go-live assurance.pdf", t.entry.name),
                bytes: demo_pdf(&format!("{}: EPR go-live assurance report", t.entry.name)),
            })
        } else {
            fields.insert(
                format!("link-{code}"),
                "https://www.leeds.demo.nhs.uk/epr-go-live-board-paper".into(),
            );
            None
        };
        set_epr(
            pool,
            Editor::Economy(leeds),
            "submitter@leeds.demo.nhs.uk",
            &code,
            &fields,
            upload,
            today(),
        )
        .await
        .map_err(|e| failed(format!("{e:?}")))?;
    }
    let u = crate::db::user_by_email(pool, "assessor@board.demo.nhs.uk")
        .await?
        .ok_or_else(|| failed("no demo assessor".into()))?;
    let assessor = crate::domain::account::CurrentUser {
        id: u.id,
        email: u.email,
        role: crate::domain::account::Role::Assessor,
        economy: None,
    };
    const AGREED: [&str; 3] = [
        "Phased go-live: emergency department and inpatient wards first, outpatients three months later, with the supplier's support on site.",
        "Go-live of the trust's existing supplier's EPR once the data migration is assured; paper notes retired ward by ward.",
        "Procurement completes this year, then a single go-live with a clinical safety case signed off by the medical director.",
    ];
    const CONSEQUENCE: [&str; 3] = [
        "Funding withheld until the agreed date is met.",
        "Contract performance notice under the NHS Standard Contract; bids to the technology fund not considered until the EPR is operational.",
        "Funding released in stages on evidence of go-live; monthly progress reports to the area team.",
    ];
    let mut late = 0usize;
    let mut non = 0usize;
    let mut published = Vec::new();
    for t in &trusts {
        use crate::domain::trusts::{Compliance, Epr};
        let (i, date) = match (t.compliance, t.epr) {
            (Some(Compliance::NonCompliant), Some(epr)) => {
                non += 1;
                let i = non;
                if i.is_multiple_of(6) {
                    continue;
                }
                let date = if i % 6 == 1 || i % 6 == 4 {
                    NaiveDate::from_ymd_opt(2015, 3, 31).expect("valid")
                } else {
                    match epr {
                        Epr::Deploying(d) => d,
                        _ => today() + chrono::Duration::days(180),
                    }
                };
                (i, date)
            }
            (Some(Compliance::Late), Some(Epr::Operational(d))) => {
                late += 1;
                if !late.is_multiple_of(4) {
                    continue;
                }
                let deadline = NaiveDate::from_ymd_opt(2014, 4, 1).expect("valid");
                let agreed = if late.is_multiple_of(8) {
                    (d - chrono::Duration::days(20)).max(deadline)
                } else {
                    d + chrono::Duration::days(30)
                };
                (late, agreed)
            }
            _ => continue,
        };
        record_plan(
            pool,
            &assessor,
            &t.entry.code,
            &date.to_string(),
            AGREED[i % 3],
            CONSEQUENCE[(i / 3) % 3],
            today(),
        )
        .await
        .map_err(|e| failed(format!("{e:?}")))?;
        if i % 3 != 2 {
            published.push(t.entry.code.clone());
        }
    }
    for p in crate::db::remediation_plans(pool).await? {
        if published.contains(&p.code) {
            crate::trusts::publish_plan(pool, &assessor, p.id)
                .await
                .map_err(|e| failed(format!("{e:?}")))?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub economies: u64,
    pub values: u64,
    pub published: u64,
}

/// A slug the demo writes itself.
fn slug(s: &str) -> crate::domain::Slug {
    crate::domain::Slug::parse(s).expect("the demo's slugs are slugs")
}

/// Questions two economies asked about their 2014-Q4 figures in the days before its
/// publication (6 to 15 March 2015), with the board's answers: Leeds's medicines score kept,
/// Salford's verified score corrected (the board verified its waiting values first). Stored
/// as they were then: the window closed with the publication of 16 March.
async fn load_publication_flags(pool: &Pool) -> Result<(), ServiceError> {
    use crate::domain::preview::Outcome;
    let ids = crate::db::economy_ids(pool).await?;
    let q4 = Quarter::new(2014, 4).expect("valid");
    let published = service::published_scores(pool, Some(q4)).await?;
    let record = |slug: &str| {
        published.as_ref().and_then(|p| {
            p.scores
                .economies
                .iter()
                .find(|r| r.economy == slug)
                .cloned()
        })
    };
    let questions = [
        (
            "leeds-health-and-care-economy",
            "submitter@leeds.demo.nhs.uk",
            "Theme: Medicines management",
            record("leeds-health-and-care-economy")
                .and_then(|r| r.themes.and_then(|t| t.get("medicines").copied()))
                .map(|x| format!("{x:.1}")),
            "Electronic prescribing went live on every ward at St James's in November. We corrected the value on 2 March and sent the go-live report, but the figure has not moved.",
            (9, 12),
            Outcome::Kept,
            "The corrected value came after the 2014-Q4 deadline and its evidence is not yet verified, so the 2014-Q4 figure stands. It counts from 2015-Q1 once the assessor has checked the go-live report.",
        ),
        (
            "salford-integrated-care",
            "submitter@salford.demo.nhs.uk",
            "Verified overall score",
            record("salford-integrated-care")
                .and_then(|r| r.verified_overall)
                .map(|x| format!("{:.1}", x - 9.5)),
            "Eleven of our values sent with evidence in January are still waiting for review, so the verified score is well below what the evidence shows.",
            (10, 13),
            Outcome::Corrected,
            "The assessor reviewed the eleven waiting values on 13 March and verified all of them before publication, so the published verified score includes them.",
        ),
    ];
    for (slug, by, figure, shown, reason, (asked, answered), outcome, answer) in questions {
        let (Some(&economy_id), Some(shown)) = (ids.get(slug), shown) else {
            continue;
        };
        let asked_on = NaiveDate::from_ymd_opt(2015, 3, asked).expect("valid");
        crate::clock::running_on(Some(asked_on), async {
            let audit = crate::audit::Entry::new(
                by,
                "publication-flag",
                format!(
                    "questioned {figure} ({shown}) of {q4} before its publication on 2015-03-16"
                ),
            )
            .economy(Some(slug))
            .after(reason);
            crate::db::insert_flag(
                pool,
                crate::db::NewFlag {
                    economy_id,
                    period: q4,
                    figure,
                    shown: &shown,
                    reason,
                    by,
                },
                &audit,
            )
            .await
        })
        .await?;
        let id = crate::db::economy_flags(pool, slug)
            .await?
            .first()
            .map(|f| f.id)
            .expect("just stored");
        let answered_on = NaiveDate::from_ymd_opt(2015, 3, answered).expect("valid");
        let admin = "admin@board.demo.nhs.uk";
        crate::clock::running_on(Some(answered_on), async {
            let audit = crate::audit::Entry::new(
                admin,
                "publication-flag-answer",
                format!(
                    "answered the question about {} of {q4}: {}",
                    figure.to_lowercase(),
                    outcome.as_str()
                ),
            )
            .economy(Some(slug))
            .after(answer);
            crate::db::answer_flag(
                pool,
                id,
                outcome.as_str(),
                answer,
                admin,
                &audit,
                crate::db::FlagNotice {
                    economy_id,
                    recipients: &[],
                    subject: "",
                    body: "",
                },
            )
            .await
        })
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug_of("Leicester, Leicestershire and Rutland"),
            "leicester-leicestershire-and-rutland"
        );
        assert_eq!(
            slug_of("Bristol, North Somerset and South Gloucestershire"),
            "bristol-north-somerset-and-south-gloucestershire"
        );
    }

    #[test]
    fn the_demo_files_parse_and_are_deterministic() {
        let fw = Framework::from_toml(service::DEFAULT_FRAMEWORK).unwrap();
        let economies = crate::domain::files::parse_economies(economies_csv().as_bytes()).unwrap();
        assert!(economies.len() >= 40);
        let regions: std::collections::HashSet<&str> =
            economies.iter().map(|e| e.region.as_str()).collect();
        assert_eq!(regions.len(), 9);
        let known = economies.iter().map(|e| e.slug.to_string()).collect();
        let csv = values_csv(&fw);
        let rows = crate::domain::files::parse_values(csv.as_bytes(), &fw, &known).unwrap();
        assert!(rows.len() > 5000, "{}", rows.len());
        assert!(rows
            .iter()
            .any(|r| r.status == crate::domain::Status::Rejected));
        assert_eq!(csv, values_csv(&fw));
    }

    #[test]
    fn the_demo_is_made_of_real_organisations_and_the_register_covers_every_open_trust() {
        let fw = Framework::from_toml(service::DEFAULT_FRAMEWORK).unwrap();
        let register = service::reference_register();
        let economies = crate::domain::files::parse_economies(economies_csv().as_bytes()).unwrap();
        let slugs: std::collections::HashSet<String> =
            economies.iter().map(|e| e.slug.to_string()).collect();
        let trusts: std::collections::HashSet<String> = register
            .of_kind(crate::domain::organisations::TRUST)
            .map(|t| t.code.clone())
            .collect();
        let csv = trusts_csv(&fw, &register);
        let rows =
            crate::domain::trusts::parse_trusts(csv.as_bytes(), &slugs, today(), Some(&trusts))
                .unwrap();
        let open = register
            .of_kind(crate::domain::organisations::TRUST)
            .filter(|t| t.open_on(today()) && t.trust_type.as_deref() != Some("other"))
            .count();
        // Every open trust, and the six that closed in 2013 to 2015 (NHS Direct, not a
        // provider of care, aside) with their history.
        let closed: Vec<&str> = rows
            .iter()
            .filter(|r| register.get(&r.code).is_some_and(|t| !t.open_on(today())))
            .map(|r| r.code.as_str())
            .collect();
        assert_eq!(closed.len(), 6, "{closed:?}");
        for code in ["RYQ", "RC3", "RV8", "RVL", "RD7", "RBB"] {
            assert!(closed.contains(&code), "{code}");
        }
        assert_eq!(rows.len(), open + closed.len());
        assert!(rows
            .iter()
            .any(|r| r.code == "RR8"
                && r.economy.as_deref() == Some("leeds-health-and-care-economy")));
        // Every economy has members, every one a real code, a CCG among them.
        let members = members(&register);
        assert_eq!(members.len(), economies.len());
        for (slug, list) in &members {
            assert!(slugs.contains(slug), "{slug}");
            assert!(list.iter().any(|o| o.kind == "ccg"), "{slug} has no CCG");
            assert!(
                list.iter().any(|o| o.kind == "gp-practice"),
                "{slug} has no practices"
            );
            for o in list {
                let code = o.ods_code.as_deref().unwrap();
                assert!(
                    register.get(code).is_some_and(|r| r.open_on(today())),
                    "{slug}: {code}"
                );
            }
        }
        // No trust is in two demo economies.
        let mut seen = std::collections::HashSet::new();
        for (_, _, t) in MEMBERS {
            for c in t.iter() {
                assert!(seen.insert(*c), "{c} twice");
            }
        }
        assert_eq!(csv, trusts_csv(&fw, &register));
    }
}
