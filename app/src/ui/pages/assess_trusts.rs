//! Board staff's side of the trust EPR register: `/assess/trusts` (late and non-compliant
//! trusts, their remediation plans, follow-ups when an agreed date passes, economies that
//! cannot be funded, and acute-EPR values that disagree with the register) and
//! `/assess/trusts/{code}` (one trust: its EPR status with evidence, plans, history). Also the
//! EPR form shared with `/my-economy/organisations`. Plain forms: no JavaScript needed.

use crate::domain::submission::{file_field, kept_field, link_field};
use crate::error::AppError;
use crate::ui::components::{error_page, rcell, rcol, rhead};
use crate::ui::forms::{error_message, DateInput, ErrorSummary, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// One trust's EPR entry as the EPR form shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EprEntry {
    pub code: String,
    pub name: String,
    /// operational, deploying or none
    pub status: String,
    pub date: Option<String>,
    pub compliance: String,
    pub evidence_link: Option<String>,
    pub evidence_name: Option<String>,
    /// The entry's version when the page was drawn: a save from an older form is refused.
    pub version: String,
}

#[cfg(feature = "ssr")]
impl EprEntry {
    pub fn from_status(t: &crate::trusts::TrustStatus) -> Self {
        let e = &t.entry;
        EprEntry {
            code: e.code.clone(),
            name: e.name.clone(),
            status: e.epr_status.clone(),
            date: e.operational_date.clone().or(e.planned_date.clone()),
            compliance: t
                .compliance
                .map(|c| c.words().to_string())
                .unwrap_or_default(),
            evidence_link: e.evidence_link.clone(),
            evidence_name: e.evidence_name.clone(),
            version: e.version(),
        }
    }
}

fn group_class(error: &Option<String>) -> &'static str {
    if error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    }
}

/// The form for a trust's EPR status, its date and its evidence (a link and/or a document),
/// posted as a file upload to `action`; `evidence_href` downloads the document it has.
#[component]
pub fn EprForm(
    entry: EprEntry,
    action: String,
    evidence_href: String,
    form: FormState,
) -> impl IntoView {
    let code = entry.code.clone();
    let name = entry.name.clone();
    let ours = form.value("code") == code;
    let status_id = format!("status-{code}");
    let date_id = format!("date-{code}");
    let (lf, ff, kf) = (link_field(&code), file_field(&code), kept_field(&code));
    let shown = |field: &str, stored: String| {
        if ours {
            form.value(field)
        } else {
            stored
        }
    };
    let chosen = shown(&status_id, entry.status.clone());
    let link = shown(&lf, String::new());
    let (s_err, l_err, f_err) = if ours {
        (
            form.error_for(&status_id),
            form.error_for(&lf),
            form.error_for(&ff),
        )
    } else {
        (None, None, None)
    };
    let kept = ours.then(|| form.value(&kf)).filter(|k| !k.is_empty());
    let kept_name = kept
        .as_ref()
        .and_then(|k| k.split_once(' ').map(|(_, n)| n.to_string()));
    let options = [
        ("operational", "Operational"),
        ("deploying", "Deploying"),
        ("none", "None"),
    ]
    .into_iter()
    .map(|(v, l)| view! { <option value=v selected=chosen == v>{l}</option> })
    .collect_view();
    let evidence_now = match (&entry.evidence_link, &entry.evidence_name) {
        (None, None) => view! { <p class="nhsuk-body-s">"No evidence given yet."</p> }.into_any(),
        (link, doc) => view! {
            <p class="nhsuk-body-s">
                "Evidence: "
                {doc.clone().map(|d| view! { <a href=evidence_href.clone() download="">{d}</a> " " })}
                {link.clone().map(|l| view! { <a href=l.clone() rel="noopener noreferrer nofollow">{l.clone()}</a> })}
            </p>
        }
        .into_any(),
    };
    view! {
        <form method="post" action=action enctype="multipart/form-data" novalidate class="exemplar-epr-form">
            <input type="hidden" name="action" value="epr" />
            <input type="hidden" name="code" value=code.clone() />
            <input type="hidden" name=format!("version-{code}") value=entry.version.clone() />
            {evidence_now}
            <div class="exemplar-filter">
                <div class=format!("{} exemplar-filter__item", group_class(&s_err))>
                    <label class="nhsuk-label" for=status_id.clone()>"EPR status"<span class="nhsuk-u-visually-hidden">{format!(" of {name}")}</span></label>
                    {error_message(format!("{status_id}-error"), s_err.clone())}
                    <select class="nhsuk-select" id=status_id.clone() name=status_id.clone()
                        aria-describedby=s_err.as_ref().map(|_| format!("{status_id}-error"))>{options}</select>
                </div>
            </div>
            <DateInput name=date_id.clone() legend="Date live, or planned" hint="For example, 14 4 2015".to_string()
                form=if ours { form.clone() } else { FormState::default() } given=entry.date.clone() hidden=format!(" for {name}") />
            {kept.clone().map(|k| view! {
                <input type="hidden" name=kf.clone() value=k />
                <p class="nhsuk-body-s">{format!("Your document {} is kept: it will be attached when you update.", kept_name.clone().unwrap_or_default())}</p>
            })}
            <div class=group_class(&l_err)>
                <label class="nhsuk-label" for=lf.clone()>"Link to evidence (optional)"<span class="nhsuk-u-visually-hidden">{format!(" for {name}")}</span></label>
                {error_message(format!("{lf}-error"), l_err.clone())}
                <input class=if l_err.is_some() { "nhsuk-input nhsuk-input--error" } else { "nhsuk-input" }
                    id=lf.clone() name=lf.clone() type="url" spellcheck="false" value=link
                    aria-describedby=l_err.as_ref().map(|_| format!("{lf}-error")) />
            </div>
            <div class=group_class(&f_err)>
                <label class="nhsuk-label" for=ff.clone()>"Document (optional)"<span class="nhsuk-u-visually-hidden">{format!(" for {name}")}</span></label>
                <div class="nhsuk-hint" id=format!("{ff}-hint")>"For example the go-live assurance report: PDF, Word, Excel, PNG or JPEG, up to 10 MB"</div>
                {error_message(format!("{ff}-error"), f_err.clone())}
                <input class=if f_err.is_some() { "nhsuk-file-upload nhsuk-input--error" } else { "nhsuk-file-upload" }
                    id=ff.clone() name=ff.clone() type="file"
                    accept=".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
                    aria-describedby=if f_err.is_some() { format!("{ff}-hint {ff}-error") } else { format!("{ff}-hint") } />
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">
                "Update"<span class="nhsuk-u-visually-hidden">{format!(" {name}")}</span>
            </button>
        </form>
    }
}

fn compliance_tag(words: &str) -> impl IntoView {
    let class = match words {
        "Compliant" => "nhsuk-tag nhsuk-tag--green",
        "Late" => "nhsuk-tag nhsuk-tag--orange",
        "" => return None,
        _ => "nhsuk-tag nhsuk-tag--red",
    };
    Some(view! { <strong class=class>{words.to_string()}</strong> })
}

fn status_words(status: &str, date: &Option<String>) -> String {
    match (status, date) {
        ("operational", Some(d)) => format!("Operational since {d}"),
        ("deploying", Some(d)) => format!("Deploying: go-live planned {d}"),
        _ => "No EPR".to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// /assess/trusts

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnforcementRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    /// slug, name
    pub economy: Option<(String, String)>,
    pub status: String,
    pub date: Option<String>,
    pub compliance: String,
    /// The current plan's agreed date, state in words, and whether it is public.
    pub plan: Option<(String, String, bool)>,
    pub overdue: bool,
    pub blocks_funding: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnforcementView {
    pub deadline: Option<String>,
    pub today: String,
    pub show: String,
    pub search: String,
    pub rows: Vec<EnforcementRow>,
    pub counts: EnforcementCounts,
    /// slug, name, the trusts that block it
    pub not_fundable: Vec<(String, String, Vec<String>)>,
    pub mismatches: Vec<crate::domain::trusts::view::Mismatch>,
}

/// How many trusts of the register are in each state the board acts on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EnforcementCounts {
    pub late: usize,
    pub non_compliant: usize,
    /// With a remediation plan.
    pub planned: usize,
    /// With a plan past its agreed date.
    pub overdue: usize,
    /// Blocking their economy's funding.
    pub blocking: usize,
}

/// What `/assess/trusts` lists: `attention` (late or non-compliant, the default), `overdue`,
/// `no-plan` (blocking funding) or `all`.
pub const SHOW: [(&str, &str); 4] = [
    ("attention", "Late or non-compliant"),
    ("overdue", "Follow-ups: agreed date passed"),
    ("no-plan", "Non-compliant without a plan"),
    ("all", "Every trust"),
];

#[server(prefix = "/_fn", endpoint = "assess-trusts")]
pub async fn trust_enforcement(search: String, show: String) -> Result<EnforcementView, AppError> {
    use crate::domain::account::Role;
    use crate::domain::trusts::{Compliance, PlanState};
    crate::ui::session::require(Role::Assessor)?;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let today = state.today();
    let fw = crate::service::active_framework(pool).await?.framework;
    let (register, deadline) = crate::trusts::register(pool, &fw, today).await?;
    let show = if SHOW.iter().any(|(k, _)| *k == show) {
        show
    } else {
        "attention".to_string()
    };
    let overdue = |t: &crate::trusts::TrustStatus| matches!(t.plan, Some((_, PlanState::Overdue)));
    let attention = |t: &crate::trusts::TrustStatus| {
        matches!(
            t.compliance,
            Some(Compliance::Late) | Some(Compliance::NonCompliant)
        )
    };
    let counts = EnforcementCounts {
        late: register
            .iter()
            .filter(|t| t.compliance == Some(Compliance::Late))
            .count(),
        non_compliant: register
            .iter()
            .filter(|t| t.compliance == Some(Compliance::NonCompliant))
            .count(),
        planned: register.iter().filter(|t| t.plan.is_some()).count(),
        overdue: register.iter().filter(|t| overdue(t)).count(),
        blocking: register.iter().filter(|t| t.blocks_funding).count(),
    };
    let needle = search.trim().to_lowercase();
    let rows = register
        .iter()
        .filter(|t| match show.as_str() {
            "overdue" => overdue(t),
            "no-plan" => t.blocks_funding,
            "all" => true,
            _ => attention(t),
        })
        .filter(|t| {
            needle.is_empty()
                || t.entry.name.to_lowercase().contains(&needle)
                || t.entry.code.to_lowercase() == needle
        })
        .map(|t| EnforcementRow {
            code: t.entry.code.clone(),
            name: t.entry.name.clone(),
            kind: crate::domain::trusts::kind_words(&t.entry.kind),
            economy: t.entry.economy.clone().zip(t.entry.economy_name.clone()),
            status: t.entry.epr_status.clone(),
            date: t
                .entry
                .operational_date
                .clone()
                .or(t.entry.planned_date.clone()),
            compliance: t
                .compliance
                .map(|c| c.words().to_string())
                .unwrap_or_default(),
            plan: t.plan.as_ref().map(|(p, s)| {
                (
                    p.agreed_date.clone(),
                    s.words().to_string(),
                    p.published_at.is_some(),
                )
            }),
            overdue: overdue(t),
            blocks_funding: t.blocks_funding,
        })
        .collect();
    let names = crate::trusts::candidate_names(pool).await?;
    let mut not_fundable: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for t in register.iter().filter(|t| t.blocks_funding) {
        if let Some(slug) = t.entry.economy.as_ref().filter(|s| names.contains_key(*s)) {
            not_fundable
                .entry(slug.clone())
                .or_default()
                .push(format!("{} ({})", t.entry.name, t.entry.code));
        }
    }
    let mismatches = crate::trusts::register_mismatches(pool, &fw, &register).await?;
    Ok(EnforcementView {
        deadline: deadline.map(|d| d.to_string()),
        today: today.to_string(),
        show,
        search,
        rows,
        counts,
        not_fundable: not_fundable
            .into_iter()
            .map(|(slug, trusts)| {
                let name = names.get(&slug).cloned().unwrap_or_else(|| slug.clone());
                (slug, name, trusts)
            })
            .collect(),
        mismatches,
    })
}

#[component]
pub fn AssessTrustsPage() -> impl IntoView {
    let query = use_query_map();
    let search = query.with_untracked(|q| q.get("q")).unwrap_or_default();
    let show = query.with_untracked(|q| q.get("show")).unwrap_or_default();
    let flash = session_info().flash;
    view! {
        <Title text="Trust enforcement" />
        <Suspense fallback=|| ()>
            {
                let (search, show, flash) = (search.clone(), show.clone(), flash.clone());
                move || {
                    let (search, show, flash) = (search.clone(), show.clone(), flash.clone());
                    Suspend::new(async move {
                        match trust_enforcement(search, show).await {
                            Ok(data) => view! { <Enforcement data flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Enforcement(data: EnforcementView, flash: Option<String>) -> impl IntoView {
    let EnforcementCounts {
        late,
        non_compliant: non,
        planned,
        overdue,
        blocking,
    } = data.counts;
    let rows = data
        .rows
        .iter()
        .map(|r| {
            let plan = match &r.plan {
                Some((date, state, public)) => format!(
                    "EPR by {date}: {state}{}",
                    if *public { " (public)" } else { "" }
                ),
                None => "None".to_string(),
            };
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rhead("Trust", view! { <a href=format!("/assess/trusts/{}", r.code)>{format!("{} ({})", r.name, r.code)}</a><br /><span class="nhsuk-body-s">{r.kind.clone()}</span> })}
                    {rcell("Economy", false, r.economy.clone().map(|(s, n)| view! { <a href=format!("/assess/economies/{s}")>{n}</a> }.into_any()).unwrap_or_else(|| view! { "–" }.into_any()))}
                    {rcell("EPR", false, status_words(&r.status, &r.date))}
                    {rcell("Against the deadline", false, compliance_tag(&r.compliance))}
                    {rcell("Remediation plan", false, view! {
                        {plan}
                        {r.overdue.then(|| view! { <br /><strong class="nhsuk-tag nhsuk-tag--red">"Follow up"</strong> })}
                        {r.blocks_funding.then(|| view! { <br /><strong class="nhsuk-tag nhsuk-tag--red">"Blocks funding"</strong> })}
                    })}
                </tr>
            }
        })
        .collect_view();
    let show_options = SHOW
        .iter()
        .map(|(k, l)| view! { <option value=*k selected=data.show == *k>{*l}</option> })
        .collect_view();
    let fundable = if data.not_fundable.is_empty() {
        view! { <p>"Every candidate economy's non-compliant trusts have an agreed plan."</p> }
            .into_any()
    } else {
        let items = data
            .not_fundable
            .iter()
            .map(|(slug, name, trusts)| {
                view! { <li><a href=format!("/assess/economies/{slug}")>{name.clone()}</a>{format!(": {}", trusts.join(", "))}</li> }
            })
            .collect_view();
        view! { <ul class="nhsuk-list nhsuk-list--bullet" data-testid="not-fundable">{items}</ul> }
            .into_any()
    };
    let mismatches = if data.mismatches.is_empty() {
        view! { <p>"Every candidate's latest acute EPR value agrees with the register."</p> }
            .into_any()
    } else {
        let items = data
            .mismatches
            .iter()
            .map(|m| {
                view! {
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="row"><a href=format!("/assess/economies/{}", m.slug)>{m.name.clone()}</a></th>
                        <td class="nhsuk-table__cell">{format!("{}, {} ({})", m.code, m.period, m.status)}</td>
                        <td class="nhsuk-table__cell">{m.message.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Values that disagree with the register">
                <table class="nhsuk-table" data-testid="mismatches">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Values that disagree with the register"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Economy"</th>
                        <th class="nhsuk-table__header" scope="col">"Value"</th>
                        <th class="nhsuk-table__header" scope="col">"What disagrees"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">{items}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/assess">"Review queue"</a></li>
            </ol>
        </nav>
        <Notice text=flash />
        <h1>"Trust enforcement"</h1>
        <p>{format!(
            "Against the EPR deadline of {}, as of {}: {} went live late and {non} are not operational. {planned} have a remediation plan; {} passed their agreed date without an operational EPR; {} have no plan, so their economies cannot be funded.",
            data.deadline.clone().unwrap_or_else(|| "the framework (no epr-operational milestone)".into()),
            data.today,
            crate::domain::types::count(late, "trust", "trusts"),
            crate::domain::types::count(overdue, "plan", "plans"),
            crate::domain::types::count(blocking, "non-compliant trust", "non-compliant trusts")
        )}</p>
        <p><a href="/trusts">"The public register"</a></p>
        <h2>"Not fundable"</h2>
        <p>"Candidate economies with a member trust that is non-compliant without an agreed remediation plan."</p>
        {fundable}
        <h2>"Acute EPR values against the register"</h2>
        {mismatches}
        <h2 id="trusts">"Trusts"</h2>
        <form method="get" action="/assess/trusts#trusts" class="exemplar-filter">
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="show">"Show"</label>
                <select class="nhsuk-select" id="show" name="show">{show_options}</select>
            </div>
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="q">"Name or ODS code"</label>
                <input class="nhsuk-input" id="q" name="q" type="search" value=data.search.clone() />
            </div>
            <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Apply"</button>
        </form>
        <p data-testid="trust-count">{format!("{}.", crate::domain::types::count(data.rows.len(), "trust", "trusts"))}</p>
        {if data.rows.is_empty() {
            view! { <p>"No trusts match. Change the filters to see more."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Trusts">
                    <table role="table" class="nhsuk-table-responsive">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Trusts and their remediation plans"</caption>
                        <thead role="rowgroup" class="nhsuk-table__head"><tr role="row" class="nhsuk-table__row">
                            {rcol("Trust", false)}
                            {rcol("Economy", false)}
                            {rcol("EPR", false)}
                            {rcol("Against the deadline", false)}
                            {rcol("Remediation plan", false)}
                        </tr></thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

// ---------------------------------------------------------------------------------------
// /assess/trusts/{code}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanLine {
    pub id: i64,
    pub agreed_date: String,
    pub agreed: String,
    pub consequence: String,
    pub recorded: String,
    pub public: bool,
    /// The current plan's state in words (only the latest plan has one).
    pub state: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrustDetail {
    pub entry: EprEntry,
    pub kind: String,
    pub region: String,
    pub economy: Option<(String, String)>,
    pub deadline: Option<String>,
    pub today: String,
    pub needs_plan: bool,
    /// Newest first.
    pub plans: Vec<PlanLine>,
    /// when, who, what
    pub history: Vec<(String, String, String)>,
}

#[server(prefix = "/_fn", endpoint = "assess-trust")]
pub async fn assess_trust(code: String) -> Result<TrustDetail, AppError> {
    use crate::domain::account::Role;
    crate::ui::session::require(Role::Assessor)?;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let today = state.today();
    let fw = crate::service::active_framework(pool).await?.framework;
    let (register, deadline) = crate::trusts::register(pool, &fw, today).await?;
    let t = register
        .into_iter()
        .find(|t| t.entry.code == code)
        .ok_or(AppError::NotFound)?;
    let current = t.plan.as_ref().map(|(p, s)| (p.id, s.words().to_string()));
    let plans = t
        .plans
        .iter()
        .rev()
        .map(|p| PlanLine {
            id: p.id,
            agreed_date: p.agreed_date.clone(),
            agreed: p.agreed.clone(),
            consequence: p.consequence.clone(),
            recorded: format!(
                "{} by {}",
                crate::domain::format::day_of(&p.recorded_at),
                p.recorded_by
            ),
            public: p.published_at.is_some(),
            state: current
                .as_ref()
                .filter(|(id, _)| *id == p.id)
                .map(|(_, s)| s.clone()),
        })
        .collect();
    let history = crate::trusts::changes(pool, &code)
        .await?
        .into_iter()
        .map(|c| {
            let mut what = status_words(
                &c.epr_status,
                &c.operational_date.clone().or(c.planned_date.clone()),
            );
            match (&c.evidence_link, &c.evidence_name) {
                (Some(l), Some(n)) => what.push_str(&format!("; evidence: {n} and {l}")),
                (Some(l), None) => what.push_str(&format!("; evidence: {l}")),
                (None, Some(n)) => what.push_str(&format!("; evidence: {n}")),
                (None, None) => {}
            }
            (
                crate::domain::format::at_time(&c.changed_at),
                c.changed_by,
                what,
            )
        })
        .collect();
    Ok(TrustDetail {
        entry: EprEntry::from_status(&t),
        kind: crate::domain::trusts::kind_words(&t.entry.kind),
        region: t.entry.region.clone(),
        economy: t.entry.economy.clone().zip(t.entry.economy_name.clone()),
        deadline: deadline.map(|d| d.to_string()),
        today: today.to_string(),
        needs_plan: t
            .compliance
            .is_some_and(|c| c != crate::domain::trusts::Compliance::Compliant),
        plans,
        history,
    })
}

#[component]
pub fn AssessTrustPage() -> impl IntoView {
    let code = use_params_map()
        .with_untracked(|p| p.get("code"))
        .unwrap_or_default();
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (code, form, flash) = (code.clone(), form.clone(), flash.clone());
                move || {
                    let (code, form, flash) = (code.clone(), form.clone(), flash.clone());
                    Suspend::new(async move {
                        match assess_trust(code).await {
                            Ok(data) => view! { <TrustView data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn TrustView(data: TrustDetail, form: FormState, flash: Option<String>) -> impl IntoView {
    let e = data.entry.clone();
    let title = format!(
        "{}{} ({})",
        if form.errors.is_empty() {
            ""
        } else {
            "Error: "
        },
        e.name,
        e.code
    );
    let action = format!("/assess/trusts/{}", e.code);
    let plans = data
        .plans
        .iter()
        .map(|p| {
            let publish = (!p.public).then(|| {
                view! {
                    <form method="post" action=action.clone()>
                        <input type="hidden" name="action" value="publish" />
                        <input type="hidden" name="id" value=p.id.to_string() />
                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
                            "Make this plan public"<span class="nhsuk-u-visually-hidden">{format!(" (agreed date {})", p.agreed_date)}</span>
                        </button>
                    </form>
                }
            });
            view! {
                <div class="nhsuk-card" data-testid="plan">
                    <div class="nhsuk-card__content">
                        <h3 class="nhsuk-card__heading nhsuk-heading-s">{format!("Operational EPR by {}", p.agreed_date)}</h3>
                        {p.state.clone().map(|s| view! { <p><strong>{s}</strong></p> })}
                        {(p.state.is_none()).then(|| view! { <p class="nhsuk-body-s">"Superseded by a later plan."</p> })}
                        <p>{format!("Agreed as possible and practical: {}", p.agreed)}</p>
                        <p>{format!("Consequence: {}", p.consequence)}</p>
                        <p class="nhsuk-body-s">{format!("Recorded {}. {}", p.recorded, if p.public { "Public on the trust register." } else { "Internal: not public." })}</p>
                        {publish}
                    </div>
                </div>
            }
        })
        .collect_view();
    let history = data
        .history
        .iter()
        .map(|(at, by, what)| {
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{at.clone()}</td>
                    <td class="nhsuk-table__cell">{by.clone()}</td>
                    <td class="nhsuk-table__cell">{what.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let field = |name: &'static str| (form.value(name), form.error_for(name));
    let (agreed_v, agreed_e) = field("agreed");
    let (cons_v, cons_e) = field("consequence");
    view! {
        <Title text=title />
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/assess">"Review queue"</a></li>
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/assess/trusts">"Trust enforcement"</a></li>
            </ol>
        </nav>
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <span class="nhsuk-caption-l">{format!("{}, {}", data.kind, data.region)}</span>
        <h1>{format!("{} ({})", e.name, e.code)}</h1>
        <dl class="nhsuk-summary-list">
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Economy"</dt>
                <dd class="nhsuk-summary-list__value">{data.economy.clone().map(|(s, n)| view! { <a href=format!("/assess/economies/{s}")>{n}</a> }.into_any()).unwrap_or_else(|| view! { "None" }.into_any())}</dd>
            </div>
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"EPR"</dt>
                <dd class="nhsuk-summary-list__value">{status_words(&e.status, &e.date)}</dd>
            </div>
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Against the deadline"</dt>
                <dd class="nhsuk-summary-list__value">{compliance_tag(&e.compliance)}{format!(" Deadline {}, as of {}", data.deadline.clone().unwrap_or_else(|| "not set".into()), data.today)}</dd>
            </div>
        </dl>
        <h2>"EPR status and evidence"</h2>
        <EprForm entry=e.clone() action=action.clone() evidence_href=format!("/assess/trusts/{}/evidence", e.code) form=form.clone() />
        <h2 id="plans">"Remediation plans"</h2>
        {if data.plans.is_empty() {
            view! { <p>"No remediation plan is recorded."</p> }.into_any()
        } else {
            view! { <div>{plans}</div> }.into_any()
        }}
        {if data.needs_plan {
            view! {
                <h3>"Record a remediation plan"</h3>
                <p>"The contractual position agreed with the trust. It supersedes any earlier plan, which is kept. It stays internal until you make it public."</p>
                <form method="post" action=action.clone() novalidate>
                    <input type="hidden" name="action" value="plan" />
                    <DateInput name="agreed_date" legend="Agreed date for an operational EPR" form=form.clone() given=None
                        hint=format!("On or after the deadline{}. For example, 14 4 2015", data.deadline.as_deref().map(|d| format!(" ({})", crate::domain::format::day_of(d))).unwrap_or_default()) />
                    <div class=group_class(&agreed_e)>
                        <label class="nhsuk-label" for="agreed">"What was agreed as possible and practical"</label>
                        {error_message("agreed-error".into(), agreed_e.clone())}
                        <textarea class=if agreed_e.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                            id="agreed" name="agreed" rows="4"
                            aria-describedby=agreed_e.as_ref().map(|_| "agreed-error")>{agreed_v}</textarea>
                    </div>
                    <div class=group_class(&cons_e)>
                        <label class="nhsuk-label" for="consequence">"Consequence"</label>
                        <div class="nhsuk-hint" id="consequence-hint">"For example: funding withheld until the agreed date is met"</div>
                        {error_message("consequence-error".into(), cons_e.clone())}
                        <textarea class=if cons_e.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                            id="consequence" name="consequence" rows="2"
                            aria-describedby=if cons_e.is_some() { "consequence-hint consequence-error" } else { "consequence-hint" }>{cons_v}</textarea>
                    </div>
                    <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Record the plan"</button>
                </form>
            }.into_any()
        } else {
            view! { <p>"This trust met the deadline: it needs no remediation plan."</p> }.into_any()
        }}
        <h2>"Changes"</h2>
        {if data.history.is_empty() {
            view! { <p>"No change is recorded."</p> }.into_any()
        } else {
            view! {
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Every change to this trust's entry"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"When (UTC)"</th>
                        <th class="nhsuk-table__header" scope="col">"Who"</th>
                        <th class="nhsuk-table__header" scope="col">"What it became"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">{history}</tbody>
                </table>
            }.into_any()
        }}
    }
}
