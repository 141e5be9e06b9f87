//! The register of NHS organisations as the rest of the service uses it: what a code is
//! (to check nominations and member organisations), search by name or code, and which
//! organisations more than one economy claims (flagged, never refused: economies overlapped
//! in real life).

use crate::db::{self, Pool};
use crate::domain::nomination::Known;
use crate::domain::organisations::{Found, NhsPlace, Organisation, Overlap};
use crate::service::{self, ServiceError};
use std::collections::HashMap;

/// What the register says of `codes` (those it holds), with each closed one's successor.
pub async fn known(pool: &Pool, codes: &[String]) -> Result<HashMap<String, Known>, ServiceError> {
    service::ensure_organisations(pool).await?;
    let found = db::organisations_by_code(pool, codes).await?;
    let successors: Vec<String> = found.iter().filter_map(|o| o.successor.clone()).collect();
    let names: HashMap<String, String> = db::organisations_by_code(pool, &successors)
        .await?
        .into_iter()
        .map(|o| (o.code, o.name))
        .collect();
    Ok(found
        .into_iter()
        .map(|o| {
            let successor = o
                .successor
                .as_ref()
                .map(|c| (c.clone(), names.get(c).cloned().unwrap_or_default()));
            (
                o.code.clone(),
                Known {
                    kind: o.member_kind().to_string(),
                    code: o.code,
                    name: o.name,
                    close_date: o.close_date,
                    successor,
                },
            )
        })
        .collect())
}

/// Search by name or code over the kinds an economy's members can be (not regions or area
/// teams), as of `today` for the words on closures.
pub async fn search(pool: &Pool, q: &str, limit: usize) -> Result<Vec<Found>, ServiceError> {
    use crate::domain::organisations::{CCG, GP_PRACTICE, TRUST};
    service::ensure_organisations(pool).await?;
    let found = service::search_organisations(pool, q, &[TRUST, CCG, GP_PRACTICE], limit).await?;
    let mut parents: Vec<String> = found
        .iter()
        .flat_map(|o| [o.ccg.clone(), o.area_team.clone()])
        .flatten()
        .collect();
    parents.sort();
    parents.dedup();
    let names: HashMap<String, String> = db::organisations_by_code(pool, &parents)
        .await?
        .into_iter()
        .map(|o| (o.code, o.name))
        .collect();
    Ok(found.iter().map(|o| describe(o, &names)).collect())
}

fn describe(o: &Organisation, names: &HashMap<String, String>) -> Found {
    let name_of = |c: &Option<String>| c.as_ref().and_then(|c| names.get(c)).cloned();
    let place = [name_of(&o.ccg), name_of(&o.area_team)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    Found {
        code: o.code.clone(),
        name: o.name.clone(),
        kind: crate::domain::organisations::kind_words(o.member_kind()).to_string(),
        place,
        postcode: o.postcode.clone(),
        closed: o
            .close_date
            .map(|d| format!("closed on {}", crate::domain::types::long_date(d))),
    }
}

/// The organisations of `codes` that economies other than `except` (a slug) already list.
pub async fn overlaps(
    pool: &Pool,
    codes: &[String],
    except: Option<&str>,
) -> Result<Vec<Overlap>, ServiceError> {
    let mut by_code: Vec<Overlap> = Vec::new();
    for m in db::memberships(pool, codes).await? {
        if Some(m.economy.as_str()) == except {
            continue;
        }
        match by_code.iter_mut().find(|o| o.code == m.code) {
            Some(o) => o.economies.push(m.economy_name),
            None => by_code.push(Overlap {
                code: m.code,
                economies: vec![m.economy_name],
            }),
        }
    }
    Ok(by_code)
}

/// NHS England's four regions, each followed by its area teams (by name).
pub async fn nhs_places(pool: &Pool) -> Result<Vec<NhsPlace>, ServiceError> {
    service::ensure_organisations(pool).await?;
    let rows = db::nhs_structure(pool).await?;
    let mut out = Vec::new();
    for (code, name, _, _) in rows
        .iter()
        .filter(|r| r.2 == crate::domain::organisations::REGION)
    {
        out.push(NhsPlace {
            code: code.clone(),
            name: name.clone(),
            region: None,
        });
        let mut teams: Vec<NhsPlace> = rows
            .iter()
            .filter(|r| {
                r.2 == crate::domain::organisations::AREA_TEAM && r.3.as_deref() == Some(code)
            })
            .map(|r| NhsPlace {
                code: r.0.clone(),
                name: r.1.clone(),
                region: Some(code.clone()),
            })
            .collect();
        teams.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(teams);
    }
    Ok(out)
}

/// Each economy's area teams (slug to codes), from its member CCGs and trusts.
pub async fn economy_area_teams(pool: &Pool) -> Result<HashMap<String, Vec<String>>, ServiceError> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (slug, team) in db::economy_area_teams(pool).await? {
        out.entry(slug).or_default().push(team);
    }
    Ok(out)
}

/// Every candidate economy's member organisations with their ODS codes, for open data.
pub async fn open_members(pool: &Pool) -> Result<Vec<db::OpenMember>, ServiceError> {
    service::ensure_organisations(pool).await?;
    Ok(db::open_members(pool).await?)
}

/// The members as a table (CSV, spreadsheet).
pub fn open_members_table(rows: &[db::OpenMember]) -> crate::domain::table::Table {
    let mut out = crate::domain::table::Table::new(crate::domain::open_data::MEMBERS.columns());
    for m in rows {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let cells = [
            m.economy.clone(),
            m.economy_name.clone(),
            o(&m.ods_code),
            m.name.clone(),
            m.kind.clone(),
            o(&m.ccg),
            o(&m.area_team),
        ];
        out.push(cells);
    }
    out
}
