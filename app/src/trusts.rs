//! The trust EPR register's service: EPR status with evidence (an economy's submitters for
//! their own trusts, board staff for any), remediation plans and their publication, the
//! follow-ups and funding flags they lead to, and the acute-EPR value checked against the
//! register. Rules come from `domain::trusts`, SQL from `db`.

use crate::audit::Entry as AuditEntry;
use crate::db::{self, PlanRow, Pool, TrustEntry, TrustEvidence};
use crate::domain::account::{CurrentUser, Role};
use crate::domain::framework::Framework;
use crate::domain::submission;
use crate::domain::trusts::view::{Counts, TrustLine, TrustsView};
use crate::domain::trusts::{self, Closure, Compliance, Epr, PlanState};
use crate::error::Rejection;
use crate::submissions::{check_document, SubmitError, Upload};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// Who is changing a trust's entry.
#[derive(Debug, Clone, Copy)]
pub enum Editor<'a> {
    /// A submitter of this economy (slug): only its own trusts.
    Economy(&'a str),
    /// Board staff: any trust.
    Board,
}

/// The date of an NHS.UK date input posted as `{name}-day`, `{name}-month` and `{name}-year`
/// (`Ok(None)` when all three are empty). A post without the three boxes, from the demo or a
/// script, may give the date whole as `{name}`, `YYYY-MM-DD`.
pub fn posted_date(
    fields: &HashMap<String, String>,
    name: &str,
) -> Result<Option<NaiveDate>, String> {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    if ["day", "month", "year"]
        .iter()
        .all(|p| !fields.contains_key(&format!("{name}-{p}")))
    {
        let whole = get(name);
        return match whole.trim() {
            "" => Ok(None),
            t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| "The date must be a real date".to_string()),
        };
    }
    crate::domain::types::posted_date(get, name)
}

/// Records a trust's EPR status, the date it needs and its evidence, from a form's fields
/// (`status-CODE`, the date input `date-CODE-day`/`-month`/`-year`, `link-CODE`, `kept-CODE`) and a document uploaded as
/// `file-CODE`: operational (with the date it went live, not after today), deploying (with the
/// planned go-live date) or none. A document is stored at once, so a form with other problems
/// keeps it. Returns what was done, in words.
pub async fn set_epr(
    pool: &Pool,
    editor: Editor<'_>,
    by: &str,
    code: &str,
    fields: &HashMap<String, String>,
    upload: Option<Upload>,
    today: NaiveDate,
) -> Result<String, SubmitError> {
    let get = |k: String| fields.get(&k).cloned().unwrap_or_default();
    // The date input's problems are kept under its day box, where the error summary links.
    let date_field = format!("date-{code}-day");
    let mut errors: Vec<(String, String)> = Vec::new();
    let parsed = posted_date(fields, &format!("date-{code}")).unwrap_or_else(|m| {
        errors.push((date_field.clone(), m));
        None
    });
    let bad_date = !errors.is_empty();
    let epr = match (get(format!("status-{code}")).as_str(), parsed) {
        _ if bad_date => None,
        ("operational", Some(d)) if d > today => {
            errors.push((
                date_field.clone(),
                format!(
                    "The date it went live cannot be after today ({})",
                    crate::domain::types::long_date(today)
                ),
            ));
            None
        }
        ("operational", Some(d)) => Some(Epr::Operational(d)),
        ("operational", None) => {
            errors.push((
                date_field.clone(),
                "Enter the date the EPR became operational".into(),
            ));
            None
        }
        ("deploying", Some(d)) => Some(Epr::Deploying(d)),
        ("deploying", None) => {
            errors.push((date_field.clone(), "Enter the planned go-live date".into()));
            None
        }
        ("none", _) => Some(Epr::None),
        _ => {
            errors.push((format!("status-{code}"), "Choose the EPR status".into()));
            None
        }
    };
    let link_field = submission::link_field(code);
    let link = match get(link_field.clone()) {
        t if t.trim().is_empty() => None,
        t => match submission::check_link(&t) {
            Ok(l) => Some(l),
            Err(m) => {
                errors.push((link_field, m));
                None
            }
        },
    };
    let economy_id = match editor {
        Editor::Economy(slug) => Some(
            db::economy_by_slug(pool, slug)
                .await?
                .ok_or_else(|| SubmitError::Refused(format!("there is no economy {slug}")))?
                .id,
        ),
        Editor::Board => None,
    };
    // The document: stored at once (content-addressed) so that nothing chosen is lost. One
    // kept from an earlier try must be the editor's own upload, and is checked again.
    let mut document: Option<(String, String)> = None;
    let file_field = submission::file_field(code);
    if let Some(u) = upload {
        match check_document(&u.name, &u.bytes) {
            Ok(content_type) => {
                let mut tx = db::begin(pool).await?;
                let sha = db::put_file(&mut tx, &u.bytes, content_type).await?;
                db::record_upload(&mut tx, &sha, economy_id).await?;
                tx.commit().await?;
                document = Some((sha, u.name));
            }
            Err(m) => errors.push((file_field, m)),
        }
    } else if let Some((sha, name)) = get(submission::kept_field(code)).split_once(' ') {
        let sha = sha.to_lowercase();
        let own = if sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            db::own_file(pool, &sha, economy_id).await?
        } else {
            None
        };
        match own.map(|content| check_document(name, &content)) {
            Some(Ok(_)) => document = Some((sha, name.to_string())),
            Some(Err(m)) => errors.push((file_field, m)),
            None => errors.push((
                file_field,
                "The document kept from your last try is not one you uploaded. Choose the document again".into(),
            )),
        }
    }
    let kept: Vec<(String, String)> = document
        .iter()
        .map(|(sha, name)| (code.to_string(), format!("{sha} {name}")))
        .collect();
    let Some(epr) = epr.filter(|_| errors.is_empty()) else {
        return Err(SubmitError::Invalid { errors, kept });
    };
    let evidence = TrustEvidence {
        link: link.clone(),
        document: document.clone(),
    };
    let version_field = format!("version-{code}");
    let version = fields.get(&version_field).map(String::as_str);
    let mut tx = db::begin(pool).await?;
    if !db::set_trust_epr(&mut tx, code, economy_id, &epr, &evidence, by, version).await? {
        tx.rollback().await?;
        // Ours, but changed since the form was drawn: show both, overwrite nothing.
        if let Some(now) = db::trusts(pool)
            .await?
            .into_iter()
            .find(|t| {
                t.code == code
                    && match editor {
                        Editor::Economy(slug) => t.economy.as_deref() == Some(slug),
                        Editor::Board => true,
                    }
            })
            .filter(|t| version.is_some_and(|v| v != t.version()))
        {
            let theirs = match (&now.operational_date, &now.planned_date) {
                (Some(d), _) | (None, Some(d)) => format!("{} ({d})", now.epr_status),
                _ => now.epr_status.clone(),
            };
            let yours = match epr {
                Epr::Operational(d) | Epr::Deploying(d) => format!("{} ({d})", epr.status()),
                Epr::None => epr.status().to_string(),
            };
            return Err(SubmitError::Conflict {
                errors: vec![(
                    format!("status-{code}"),
                    format!(
                        "{} changed {code}'s EPR status to {theirs} since you opened this page; you gave {yours}. Check it, then update again",
                        now.updated_by
                    ),
                )],
                kept,
                version: now.version(),
            });
        }
        return Err(SubmitError::Refused(match editor {
            Editor::Economy(_) => format!("{code} is not one of your economy's trusts"),
            Editor::Board => format!("there is no trust {code} in the register"),
        }));
    }
    let mut summary = format!(
        "set trust {code}'s EPR to {}{}",
        epr.status(),
        match epr {
            Epr::Operational(d) | Epr::Deploying(d) => format!(" ({d})"),
            Epr::None => String::new(),
        }
    );
    match (&link, &document) {
        (Some(_), Some(_)) => summary.push_str(" with a link and a document as evidence"),
        (Some(_), None) => summary.push_str(" with a link as evidence"),
        (None, Some(_)) => summary.push_str(" with a document as evidence"),
        (None, None) => {}
    }
    let slug = match editor {
        Editor::Economy(slug) => Some(slug.to_string()),
        Editor::Board => db::trusts(pool)
            .await?
            .into_iter()
            .find(|t| t.code == code)
            .and_then(|t| t.economy),
    };
    db::audit_append(
        &mut tx,
        &AuditEntry::new(by, "trust", summary.clone()).economy(slug.as_deref()),
    )
    .await?;
    tx.commit().await?;
    Ok(summary)
}

/// A trust in the register with what follows from it as of a date.
#[derive(Debug, Clone)]
pub struct TrustStatus {
    pub entry: TrustEntry,
    pub epr: Option<Epr>,
    pub compliance: Option<Compliance>,
    /// The current (latest) remediation plan, and where it stands.
    pub plan: Option<(PlanRow, PlanState)>,
    /// Every plan recorded, oldest first.
    pub plans: Vec<PlanRow>,
    /// Non-compliant without an agreed plan: its economy cannot be funded.
    pub blocks_funding: bool,
    /// Closed by `as_of` (merged, acquired or dissolved), with its successor.
    pub closed: Option<Closure>,
}

/// The register's trusts closed by `as_of`, by code, from the register of organisations.
pub async fn closures(pool: &Pool, as_of: NaiveDate) -> sqlx::Result<HashMap<String, Closure>> {
    Ok(db::trust_closures(pool)
        .await?
        .into_iter()
        .filter_map(|c| {
            let date = NaiveDate::parse_from_str(&c.close_date, "%Y-%m-%d").ok()?;
            (date < as_of).then(|| {
                let successor = c.successor.zip(c.successor_name);
                (c.code, Closure { date, successor })
            })
        })
        .collect())
}

/// The whole register as of `as_of`, with the deadline (the framework's `epr-operational`
/// milestone, if it has one).
pub async fn register(
    pool: &Pool,
    fw: &Framework,
    as_of: NaiveDate,
) -> sqlx::Result<(Vec<TrustStatus>, Option<NaiveDate>)> {
    let deadline = fw.milestone("epr-operational").map(|m| m.date);
    let mut closed = closures(pool, as_of).await?;
    let mut plans: HashMap<String, Vec<PlanRow>> = HashMap::new();
    for p in db::remediation_plans(pool).await? {
        plans.entry(p.code.clone()).or_default().push(p);
    }
    let out = db::trusts(pool)
        .await?
        .into_iter()
        .map(|entry| {
            let epr = Epr::from_parts(
                &entry.epr_status,
                entry.operational_date.as_deref(),
                entry.planned_date.as_deref(),
            );
            let closed = closed.remove(&entry.code);
            let compliance = epr.zip(deadline).and_then(|(e, d)| {
                trusts::compliance_until(&e, d, as_of, closed.as_ref().map(|c| c.date))
            });
            let plans = plans.remove(&entry.code).unwrap_or_default();
            let plan = plans.last().and_then(|p| {
                let agreed = NaiveDate::parse_from_str(&p.agreed_date, "%Y-%m-%d").ok()?;
                Some((p.clone(), trusts::plan_state(&epr?, agreed, as_of)))
            });
            // A closed trust no longer holds anyone's funding back.
            let blocks_funding = match (epr, deadline, &closed) {
                (Some(e), Some(d), None) => trusts::blocks_funding(&e, plan.is_some(), d, as_of),
                _ => false,
            };
            TrustStatus {
                entry,
                epr,
                compliance,
                plan,
                plans,
                blocks_funding,
                closed,
            }
        })
        .collect();
    Ok((out, deadline))
}

/// Candidate economies that cannot be funded as of `as_of`: slug to the trusts ("Name (CODE)")
/// that are non-compliant without an agreed remediation plan.
pub async fn not_fundable(
    pool: &Pool,
    fw: &Framework,
    as_of: NaiveDate,
) -> sqlx::Result<BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in register(pool, fw, as_of).await?.0 {
        if let (true, Some(slug)) = (t.blocks_funding, &t.entry.economy) {
            out.entry(slug.clone())
                .or_default()
                .push(format!("{} ({})", t.entry.name, t.entry.code));
        }
    }
    Ok(out)
}

/// Each economy's acute trusts in the register: slug to (code, name, EPR).
pub fn acute_by_economy(register: &[TrustStatus]) -> HashMap<String, Vec<(String, String, Epr)>> {
    let mut out: HashMap<String, Vec<(String, String, Epr)>> = HashMap::new();
    for t in register {
        if let (Some(slug), Some(epr), "acute") = (&t.entry.economy, t.epr, t.entry.kind.as_str()) {
            out.entry(slug.clone()).or_default().push((
                t.entry.code.clone(),
                t.entry.name.clone(),
                epr,
            ));
        }
    }
    out
}

pub use crate::domain::trusts::view::Mismatch;

/// Every candidate's latest value (not rejected) of the framework's acute-EPR criterion,
/// checked against its acute trusts in the register; the ones that disagree, by economy.
pub async fn register_mismatches(
    pool: &Pool,
    fw: &Framework,
    register: &[TrustStatus],
) -> sqlx::Result<Vec<Mismatch>> {
    let Some(criterion) = trusts::acute_epr_criterion(fw) else {
        return Ok(Vec::new());
    };
    let acute = acute_by_economy(register);
    let entries = db::candidate_entries(pool).await?;
    let mut out = Vec::new();
    for e in db::candidates(pool).await? {
        let Some(latest) = entries
            .get(&e.id)
            .into_iter()
            .flatten()
            .filter(|x| x.code == criterion.code && x.status != crate::domain::Status::Rejected)
            .max_by_key(|x| x.period)
        else {
            continue;
        };
        let trusts = acute.get(&e.slug).map(Vec::as_slice).unwrap_or(&[]);
        if let Some(message) =
            trusts::register_check(&latest.value, latest.period.end_date(), trusts)
        {
            out.push(Mismatch {
                slug: e.slug.clone(),
                name: e.name.clone(),
                period: latest.period.to_string(),
                code: criterion.code.clone(),
                status: latest.status.as_str().to_string(),
                message,
            });
        }
    }
    Ok(out)
}

/// Records a remediation plan for a late or non-compliant trust (board staff only), from the
/// form's fields; a later plan supersedes an earlier one, both kept.
pub async fn record_plan(
    pool: &Pool,
    user: &CurrentUser,
    code: &str,
    date: &str,
    agreed: &str,
    consequence: &str,
    today: NaiveDate,
) -> Result<(), Rejection> {
    if !user.role.includes(Role::Assessor) {
        return Err(Rejection::Refused(
            "only board staff record remediation plans".into(),
        ));
    }
    let fw = crate::service::active_framework(pool).await?.framework;
    let (register, deadline) = register(pool, &fw, today).await?;
    let Some(t) = register.iter().find(|t| t.entry.code == code) else {
        return Err(Rejection::Refused(format!(
            "there is no trust {code} in the register"
        )));
    };
    if t.compliance == Some(Compliance::Compliant) {
        return Err(Rejection::Refused(format!(
            "{} met the deadline: it needs no remediation plan",
            t.entry.name
        )));
    }
    let plan =
        trusts::check_plan(date, agreed, consequence, deadline).map_err(Rejection::Invalid)?;
    let mut tx = db::begin(pool).await?;
    let id = db::add_plan(&mut tx, code, &plan, &user.email).await?;
    db::audit_append(
        &mut tx,
        &AuditEntry::new(
            &user.email,
            "remediation-plan",
            format!(
                "recorded remediation plan {id} for trust {code}: operational EPR by {}; consequence: {}",
                plan.agreed_date, plan.consequence
            ),
        )
        .economy(t.entry.economy.as_deref()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a remediation plan from the board's form: the agreed date from its NHS.UK date
/// input (`agreed_date-day`, `-month`, `-year`), `agreed` and `consequence`. A problem with
/// the date is kept under the day box, where the error summary links.
pub async fn record_plan_form(
    pool: &Pool,
    user: &CurrentUser,
    code: &str,
    fields: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<(), Rejection> {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let (date, problem) = match posted_date(fields, "agreed_date") {
        Ok(d) => (d.map(|d| d.to_string()).unwrap_or_default(), None),
        Err(m) => (String::new(), Some(m)),
    };
    record_plan(
        pool,
        user,
        code,
        &date,
        &get("agreed"),
        &get("consequence"),
        today,
    )
    .await
    .map_err(|e| match e {
        Rejection::Invalid(errors) => Rejection::Invalid(
            errors
                .into_iter()
                .map(|(f, m)| match f.as_str() {
                    "agreed_date" => ("agreed_date-day".to_string(), problem.clone().unwrap_or(m)),
                    _ => (f, m),
                })
                .collect(),
        ),
        e => e,
    })
}

/// Makes a remediation plan public on `/trusts` (board staff only); its trust's code.
pub async fn publish_plan(pool: &Pool, user: &CurrentUser, id: i64) -> Result<String, Rejection> {
    if !user.role.includes(Role::Assessor) {
        return Err(Rejection::Refused(
            "only board staff make remediation plans public".into(),
        ));
    }
    let mut tx = db::begin(pool).await?;
    let Some(code) = db::publish_plan(&mut tx, id, &user.email).await? else {
        return Err(Rejection::Refused(
            "that plan does not exist or is public already".into(),
        ));
    };
    db::audit_append(
        &mut tx,
        &AuditEntry::new(
            &user.email,
            "remediation-plan",
            format!("made remediation plan {id} for trust {code} public"),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// One trust as the open data gives it: its entry, compliance as of the service's today, and
/// the remediation plan the board made public last (never an internal one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OpenTrust {
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub region: String,
    pub economy: Option<String>,
    pub epr_status: String,
    pub operational_date: Option<String>,
    pub planned_date: Option<String>,
    pub compliance: Option<String>,
    pub plan_agreed_date: Option<String>,
    pub plan_agreed: Option<String>,
    pub plan_consequence: Option<String>,
    /// Its last day open, when it has closed, and the trust that took over its services.
    pub close_date: Option<String>,
    pub successor_code: Option<String>,
}

/// The register as open data (`/open-data/trusts.csv|json`), as of `today`.
pub async fn open_register(
    pool: &Pool,
    today: NaiveDate,
) -> Result<Vec<OpenTrust>, crate::service::ServiceError> {
    let fw = crate::service::active_framework(pool).await?.framework;
    let (register, _) = register(pool, &fw, today).await?;
    Ok(register
        .into_iter()
        .map(|t| {
            let public = t.plans.iter().rev().find(|p| p.published_at.is_some());
            let e = t.entry;
            OpenTrust {
                compliance: t.compliance.map(|c| {
                    match c {
                        Compliance::Compliant => "compliant",
                        Compliance::Late => "late",
                        Compliance::NonCompliant => "non-compliant",
                    }
                    .to_string()
                }),
                plan_agreed_date: public.map(|p| p.agreed_date.clone()),
                plan_agreed: public.map(|p| p.agreed.clone()),
                plan_consequence: public.map(|p| p.consequence.clone()),
                close_date: t.closed.as_ref().map(|c| c.date.to_string()),
                successor_code: t.closed.and_then(|c| c.successor).map(|(code, _)| code),
                code: e.code,
                name: e.name,
                kind: e.kind,
                region: e.region,
                economy: e.economy,
                epr_status: e.epr_status,
                operational_date: e.operational_date,
                planned_date: e.planned_date,
            }
        })
        .collect())
}

/// The open register as a table (CSV, spreadsheet).
pub fn open_register_table(rows: &[OpenTrust]) -> crate::domain::table::Table {
    let mut out = crate::domain::table::Table::new(crate::domain::open_data::TRUSTS.columns());
    for t in rows {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let cells = [
            t.code.clone(),
            t.name.clone(),
            t.kind.clone(),
            t.region.clone(),
            o(&t.economy),
            t.epr_status.clone(),
            o(&t.operational_date),
            o(&t.planned_date),
            o(&t.compliance),
            o(&t.plan_agreed_date),
            o(&t.plan_agreed),
            o(&t.plan_consequence),
            o(&t.close_date),
            o(&t.successor_code),
        ];
        out.push(cells);
    }
    out
}

/// `/trusts`: the public register against the `epr-operational` milestone on `today`,
/// with the trusts matching `search` (by name, or exactly by code).
/// `/trusts`: the register's figures, and the page `page` (`?page=` as given; past the last,
/// the last) of the trusts whose name or ODS code matches `search`.
pub async fn public_view(
    pool: &Pool,
    search: String,
    nhs: String,
    page: &str,
    today: NaiveDate,
) -> crate::service::Result<TrustsView> {
    use crate::charts::{self, Series, TimeChart};
    use crate::domain::trusts::{compliance, Compliance, Epr};
    use crate::domain::Quarter;
    let fw = crate::service::active_framework(pool).await?.framework;
    let milestone = fw.milestone("epr-operational").cloned();
    let deadline = milestone.as_ref().map(|m| m.date);
    let candidates: std::collections::HashSet<String> = crate::db::candidates(pool)
        .await?
        .into_iter()
        .map(|e| e.slug)
        .collect();
    let all = crate::db::trusts(pool).await?;
    let mut published: std::collections::HashMap<String, (String, String, String)> =
        std::collections::HashMap::new();
    for p in crate::db::remediation_plans(pool).await? {
        if p.published_at.is_some() {
            published.insert(p.code, (p.agreed_date, p.agreed, p.consequence));
        }
    }
    let mut closed = closures(pool, today).await?;
    // The figures are of the trusts open today; those that closed are listed with how they
    // stood when they closed.
    let (entries, gone): (Vec<_>, Vec<_>) = all
        .into_iter()
        .filter_map(|t| {
            let epr = Epr::from_parts(
                &t.epr_status,
                t.operational_date.as_deref(),
                t.planned_date.as_deref(),
            )?;
            let c = closed.remove(&t.code);
            Some((t, epr, c))
        })
        .partition(|(_, _, c)| c.is_none());
    let entries: Vec<(crate::db::TrustEntry, Epr)> =
        entries.into_iter().map(|(t, e, _)| (t, e)).collect();
    let judge = |epr: &Epr| deadline.map(|d| compliance(epr, d, today));
    let count = |items: &mut dyn Iterator<Item = &Epr>| -> Counts {
        let mut c = (0, 0, 0, 0);
        for e in items {
            c.0 += 1;
            match judge(e) {
                Some(Compliance::Compliant) => c.1 += 1,
                Some(Compliance::Late) => c.2 += 1,
                _ => c.3 += 1,
            }
        }
        c
    };
    let total = count(&mut entries.iter().map(|(_, e)| e));
    let group = |key: &dyn Fn(&crate::db::TrustEntry) -> String| {
        let mut keys: Vec<String> = entries.iter().map(|(t, _)| key(t)).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let c = count(&mut entries.iter().filter(|(t, _)| key(t) == k).map(|(_, e)| e));
                (k, c)
            })
            .collect::<Vec<_>>()
    };
    let by_region = group(&|t| t.region.clone());
    // NHS England's structure of 2013 beside the geographic regions: each trust's area team is
    // derived from its postcode (see `domain::organisations`).
    let places = crate::organisations::nhs_places(pool).await?;
    let area_team: std::collections::HashMap<String, String> = crate::db::trust_area_teams(pool)
        .await?
        .into_iter()
        .collect();
    let team_of =
        |code: &str| -> Vec<String> { area_team.get(code).cloned().into_iter().collect() };
    let by_area_team = {
        let label = |t: &crate::db::TrustEntry| {
            area_team
                .get(&t.code)
                .and_then(|a| places.iter().find(|p| p.code == *a))
                .map(|p| {
                    let region = p
                        .region
                        .as_deref()
                        .and_then(|r| crate::domain::organisations::place_name(&places, r))
                        .unwrap_or_default();
                    format!("{} ({region})", p.name)
                })
                .unwrap_or_else(|| "Not known".to_string())
        };
        group(&label)
    };
    let nhs = Some(nhs.trim().to_string())
        .filter(|c| crate::domain::organisations::place_name(&places, c).is_some());
    let kind_name = crate::domain::trusts::kind_words;
    let by_kind = group(&|t| kind_name(&t.kind));
    // Over time: quarter ends from two years before the deadline to today.
    let start = deadline
        .map(|d| Quarter::containing(d - chrono::Duration::days(730)))
        .unwrap_or_else(|| Quarter::containing(today));
    let over_time: Vec<(NaiveDate, usize)> = start
        .through(Quarter::containing(today))
        .map(|q| {
            let at = q.end_date().min(today);
            let n = entries
                .iter()
                .filter(|(_, e)| matches!(e, Epr::Operational(d) if *d <= at))
                .count();
            (at, n)
        })
        .collect();
    let chart = match over_time.first() {
        Some((first, _)) => charts::time_chart(&TimeChart {
            id: "trusts".into(),
            title: "Share of trusts with operational electronic patient records".into(),
            description: format!(
                "The percentage of the register's {} trusts with an operational EPR at the end of each quarter, from {} to {}.",
                total.0,
                crate::domain::types::long_date(*first),
                crate::domain::types::long_date(today)
            ),
            start: *first,
            end: today.max(deadline.unwrap_or(today)),
            series: vec![Series {
                name: "Trusts with operational EPR (%)".into(),
                color: charts::NHS_BLUE,
                points: over_time
                    .iter()
                    .map(|(d, n)| (*d, 100.0 * *n as f64 / total.0.max(1) as f64))
                    .collect(),
                dashed: false,
            }],
            band: None,
            milestones: milestone
                .iter()
                .map(|m| (m.date, "EPR deadline".to_string()))
                .collect(),
            lines: Vec::new(),
            marks: Vec::new(),
            threshold: Some((100.0, format!("All {} trusts", total.0))),
        }),
        None => String::new(),
    };
    let needle = search.trim().to_lowercase();
    let mut listed: Vec<(&crate::db::TrustEntry, &Epr, Option<&Closure>)> = entries
        .iter()
        .map(|(t, e)| (t, e, None))
        .chain(gone.iter().map(|(t, e, c)| (t, e, c.as_ref())))
        .collect();
    listed.sort_by(|a, b| a.0.name.cmp(&b.0.name).then(a.0.code.cmp(&b.0.code)));
    let trusts: Vec<TrustLine> = listed
        .into_iter()
        .filter(|(t, _, _)| {
            needle.is_empty()
                || t.name.to_lowercase().contains(&needle)
                || t.code.to_lowercase() == needle
        })
        .filter(|(t, _, _)| {
            nhs.as_deref().is_none_or(|want| {
                crate::domain::organisations::in_place(&team_of(&t.code), want, &places)
            })
        })
        .map(|(t, e, closed)| TrustLine {
            code: t.code.clone(),
            name: t.name.clone(),
            kind: kind_name(&t.kind),
            region: t.region.clone(),
            economy: t
                .economy
                .clone()
                .filter(|s| candidates.contains(s))
                .zip(t.economy_name.clone()),
            status: e.status().to_string(),
            date: match e {
                Epr::Operational(d) | Epr::Deploying(d) => Some(d.to_string()),
                Epr::None => None,
            },
            compliance: deadline
                .and_then(|d| {
                    crate::domain::trusts::compliance_until(e, d, today, closed.map(|c| c.date))
                })
                .map(|c| c.words().to_string())
                .unwrap_or_default(),
            plan: published.get(&t.code).cloned(),
            closed: closed.cloned(),
        })
        .collect();
    let shown = trusts.len();
    let paging = crate::domain::paging::Paging::new(page, shown, crate::domain::paging::PAGE_SIZE);
    let trusts = paging.slice(trusts);
    Ok(TrustsView {
        deadline: milestone.map(|m| (m.name, m.date)),
        today,
        total,
        over_time,
        by_region,
        by_kind,
        shown,
        paging,
        trusts,
        search,
        chart,
        public_plans: published.len(),
        by_area_team,
        places,
        nhs,
    })
}

/// Every change to the trust `code`'s EPR status, oldest first.
pub async fn changes(pool: &Pool, code: &str) -> sqlx::Result<Vec<db::TrustChange>> {
    db::trust_changes(pool, code).await
}

/// The candidate economies' names by slug.
pub async fn candidate_names(pool: &Pool) -> sqlx::Result<HashMap<String, String>> {
    Ok(db::candidates(pool)
        .await?
        .into_iter()
        .map(|e| (e.slug, e.name))
        .collect())
}

/// The document behind a trust's EPR status: (file name, content type, bytes). With
/// `economy`, only when the trust is that economy's (`None` otherwise); without, any trust's
/// (board staff).
pub async fn document(
    pool: &Pool,
    code: &str,
    economy: Option<&str>,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    if let Some(slug) = economy {
        let ours = db::trusts(pool)
            .await?
            .into_iter()
            .any(|t| t.code == code && t.economy.as_deref() == Some(slug));
        if !ours {
            return Ok(None);
        }
    }
    db::trust_document(pool, code).await
}
