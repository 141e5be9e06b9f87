//! `/my-economy/periods/{YYYY-Qn}`: one quarter's submission form, generated from the active
//! framework and grouped by theme, with each criterion's guidance and evidence requirement.
//! It posts to the server (multipart, for documents) and works without JavaScript. The what-if
//! panel shows the effect of the values changed on the page alone (not of drafts left as they
//! were): with JavaScript it follows the answers as they change; without it, Recalculate sends
//! the form and the page comes back with the values typed and the panel worked out by the
//! server, nothing saved. A summary at the top of the form links to the panel, which on a
//! phone comes after the long list of questions.

use crate::domain::framework::{Evidence, Framework, Kind};
use crate::domain::scoring::Entry;
use crate::domain::submission::{date_field, file_field, kept_field, link_field, value_field};
use crate::domain::{Quarter, Status};
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::format::long_date;
use crate::ui::forms::{error_message, ErrorSummary, Notice};
use crate::ui::island_data::WithIslandData;
use crate::ui::island_props::FrameworkProp;
use crate::ui::islands::{
    effect_of_changes, effect_summary, WhatIf, WhatIfData, WhatIfSummary, WHAT_IF_DATA,
    WHAT_IF_SUMMARY_DATA,
};
use crate::ui::session::{form_state, session_info, FormState};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One question of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub code: String,
    pub title: String,
    /// `None` for a benefit (an outcome measure: a number).
    pub kind: Option<Kind>,
    pub unit: Option<String>,
    pub guidance: Option<String>,
    pub evidence: Evidence,
    pub gate: bool,
    pub stage: Option<u8>,
    /// The value submitted, if any.
    pub submitted: Option<SubmittedValue>,
    /// Draft: value, when, by whom.
    pub draft: Option<(String, String, String)>,
    pub link: Option<String>,
    /// Document: name, size in bytes.
    pub document: Option<(String, i64)>,
    /// Why the board returned the submitted value, when it did.
    pub returned: Option<String>,
    /// The board's questions about this value of the quarter: (address, what it waits for).
    pub questions: Vec<(String, String)>,
    /// The framework's checks this value (the draft, else the submitted one) sets off.
    #[serde(default)]
    pub warnings: Vec<crate::domain::checks::Warning>,
    /// The reason kept with the draft (or the submitted value) for those warnings.
    #[serde(default)]
    pub reason: Option<String>,
    /// The colleague this criterion is assigned to on its own (not through its theme).
    #[serde(default)]
    pub assigned: Option<String>,
}

/// One theme of the form with its questions and the colleague it is assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeGroup {
    pub code: String,
    pub name: String,
    pub assigned: Option<String>,
    pub questions: Vec<Question>,
}

/// A question's submitted value as the form shows it beside the field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmittedValue {
    /// The value as stored.
    pub value: String,
    /// Whether the board has checked it.
    pub status: crate::domain::Status,
    /// When it was submitted (as stored).
    pub at: String,
    /// Who submitted it.
    pub by: String,
    /// Whether it came after the quarter's deadline.
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterFormView {
    pub economy: String,
    pub quarter: Quarter,
    pub deadline: NaiveDate,
    pub late: bool,
    pub version: String,
    pub themes: Vec<ThemeGroup>,
    /// The email of the person looking (to say "assigned to you").
    pub me: String,
    pub benefits: Vec<Question>,
    pub framework: Framework,
    pub entries: Vec<Entry>,
    pub quarters: Vec<Quarter>,
    /// The form's fields as stored (drafts over submitted values).
    pub initial: Vec<(String, String)>,
}

/// The fields that show a stored value in the form.
#[cfg(feature = "ssr")]
pub fn fields_for(kind: Option<&Kind>, code: &str, value: &str) -> Vec<(String, String)> {
    match kind {
        Some(Kind::Date(_)) if value.is_empty() => vec![(value_field(code), "not-yet".into())],
        Some(Kind::Date(_)) => vec![
            (value_field(code), "achieved".into()),
            (date_field(code), value.to_string()),
        ],
        _ => vec![(value_field(code), value.to_string())],
    }
}

#[server(prefix = "/_fn", endpoint = "quarter-form")]
pub async fn quarter_form(period: String) -> Result<QuarterFormView, AppError> {
    let me = crate::ui::session::require(crate::domain::account::Role::Submitter)?.email;
    let slug = crate::ui::session::require_submitter()?;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let today = state.today();
    let quarter: Quarter = period.parse().map_err(|_| AppError::NotFound)?;
    if !crate::submissions::reportable(quarter, today) {
        return Err(AppError::NotFound);
    }
    let fw = crate::service::active_framework(pool).await?.framework;
    let (economy, entries, reviews) = crate::submissions::economy_record(pool, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = crate::submissions::quarter_rows(pool, economy.id, quarter).await?;
    let before = crate::submissions::quarter_rows(pool, economy.id, quarter.prev()).await?;
    let assigned = {
        let mut conn = pool.acquire().await?;
        crate::teamwork::assigned(&mut conn, economy.id, quarter).await?
    };
    let due = crate::submissions::deadline_for(pool, &fw, quarter).await?;
    let period_text = quarter.to_string();
    let asked = crate::questions::about_values(pool, economy.id, quarter).await?;
    let mut initial = Vec::new();
    let question = |code: &str,
                    title: &str,
                    kind: Option<Kind>,
                    unit: Option<String>,
                    guidance: Option<String>,
                    evidence: Evidence,
                    gate: bool,
                    stage: Option<u8>,
                    initial: &mut Vec<(String, String)>| {
        let submitted = rows.values.get(code);
        let draft = rows.drafts.get(code);
        let (warnings, reason) = match (draft, submitted) {
            (Some(d), _) => (
                crate::submissions::warnings_of(&fw, quarter, code, &d.value, &before),
                d.reason.clone(),
            ),
            (None, Some(s)) => (
                crate::submissions::warnings_of(&fw, quarter, code, &s.value, &before),
                s.reason.clone(),
            ),
            (None, None) => (Vec::new(), None),
        };
        if let Some(v) = draft
            .map(|d| &d.value)
            .or_else(|| submitted.map(|s| &s.value))
        {
            initial.extend(fields_for(kind.as_ref(), code, v));
        }
        let ev = rows.evidence.get(code);
        let questions = asked
            .iter()
            .filter(|(c, _, _)| c == code)
            .map(|(_, id, label)| (format!("/my-economy/questions/{id}"), label.clone()))
            .collect();
        Question {
            questions,
            warnings,
            reason,
            assigned: assigned.get(code).cloned(),
            code: code.to_string(),
            title: title.to_string(),
            kind,
            unit,
            guidance,
            evidence,
            gate,
            stage,
            submitted: submitted.map(|s| SubmittedValue {
                value: s.value.clone(),
                status: s.status.parse().unwrap_or_default(),
                at: s.at.clone(),
                by: s.by.clone(),
                late: s.late,
            }),
            draft: draft.map(|d| (d.value.clone(), d.at.clone(), d.by.clone())),
            link: ev.and_then(|e| e.link.clone()),
            document: ev.and_then(|e| e.file_name.clone().map(|n| (n, e.size.unwrap_or_default()))),
            returned: submitted
                .filter(|s| s.status == Status::Rejected.as_str())
                .and_then(|_| {
                    reviews
                        .iter()
                        .rev()
                        .find(|r| {
                            r.code == code
                                && r.period == period_text
                                && r.outcome == crate::domain::assessment::Review::Return.outcome()
                        })
                        .and_then(|r| r.reason.clone())
                }),
        }
    };
    let themes = fw
        .themes
        .iter()
        .map(|t| {
            let qs = fw
                .theme_criteria(&t.code)
                .map(|c| {
                    question(
                        &c.code,
                        &c.title,
                        Some(c.kind),
                        None,
                        c.guidance.clone(),
                        c.evidence,
                        c.gate,
                        c.stage,
                        &mut initial,
                    )
                })
                .collect();
            ThemeGroup {
                code: t.code.clone(),
                name: t.name.clone(),
                assigned: assigned.get(&t.code).cloned(),
                questions: qs,
            }
        })
        .collect();
    let benefits = fw
        .benefits
        .iter()
        .map(|b| {
            question(
                &b.code,
                &b.title,
                None,
                Some(b.unit.clone()),
                None,
                Evidence::None,
                false,
                None,
                &mut initial,
            )
        })
        .collect();
    initial.push(("version".into(), crate::submissions::version(&rows)));
    Ok(QuarterFormView {
        economy: economy.name,
        quarter,
        deadline: due,
        late: today > due,
        version: crate::submissions::version(&rows),
        themes,
        me,
        benefits,
        quarters: crate::domain::submission::reportable_quarters(&fw, today),
        framework: fw,
        entries,
        initial,
    })
}

#[component]
pub fn PeriodPage() -> impl IntoView {
    let period = use_params_map()
        .with_untracked(|p| p.get("period"))
        .unwrap_or_default();
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let period = period.clone();
                let form = form.clone();
                let flash = flash.clone();
                move || {
                    let period = period.clone();
                    let form = form.clone();
                    let flash = flash.clone();
                    Suspend::new(async move {
                        match quarter_form(period).await {
                            Ok(data) => view! { <QuarterForm data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn size(bytes: i64) -> String {
    crate::domain::format::file_size(bytes)
}

fn when(at: &str) -> String {
    crate::domain::format::at_time(at)
}

fn shown(kind: Option<&Kind>, value: &str) -> String {
    match kind {
        Some(Kind::Date(_)) if value.is_empty() => "not yet achieved".into(),
        // Stored as 2013-07-12; read as "achieved on 12 July 2013".
        Some(Kind::Date(_)) => format!("achieved on {}", crate::domain::format::day_of(value)),
        Some(Kind::Percentage(_)) => format!("{value}%"),
        _ => value.to_string(),
    }
}

fn hint(q: &Question) -> String {
    match &q.kind {
        Some(Kind::Boolean) => "Yes or no.".into(),
        Some(Kind::Percentage(t)) => format!("A percentage from 0 to 100. The target is {t}%."),
        Some(Kind::Level(t)) => format!("A level from 0 to {t}. The target is {t}."),
        Some(Kind::Date(t)) => format!(
            "The date it was achieved. The deadline is {}.",
            long_date(*t)
        ),
        None => format!(
            "A number{}. Reported beside the scores, never scored.",
            q.unit
                .as_ref()
                .map(|u| format!(", {u}"))
                .unwrap_or_default()
        ),
    }
}

/// Radios with their first one carrying the field's id (the error summary links to it).
fn radios(
    name: String,
    options: Vec<(String, String)>,
    current: String,
    described: String,
    inline: bool,
) -> impl IntoView {
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, (value, label))| {
            let id = if i == 0 {
                name.clone()
            } else {
                format!("{name}-{i}")
            };
            let checked = value == current;
            view! {
                <div class="nhsuk-radios__item">
                    <input class="nhsuk-radios__input" id=id.clone() name=name.clone() type="radio" value=value checked=checked />
                    <label class="nhsuk-label nhsuk-radios__label" for=id>{label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class=if inline { "nhsuk-radios nhsuk-radios--inline" } else { "nhsuk-radios" } aria-describedby=described>
            {items}
        </div>
    }
}

fn question_view(
    q: Question,
    values: &HashMap<String, String>,
    form: &FormState,
    quarter: Quarter,
    me: &str,
) -> impl IntoView {
    let vf = value_field(&q.code);
    let df = date_field(&q.code);
    let lf = link_field(&q.code);
    let ff = file_field(&q.code);
    let kf = kept_field(&q.code);
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let v_err = form.error_for(&vf);
    let d_err = form.error_for(&df);
    let l_err = form.error_for(&lf);
    let f_err = form.error_for(&ff);
    let any_err = v_err.is_some() || d_err.is_some() || l_err.is_some() || f_err.is_some();
    let hint_id = format!("{vf}-hint");
    let err_id = format!("{vf}-error");
    let described = if v_err.is_some() {
        format!("{hint_id} {err_id}")
    } else {
        hint_id.clone()
    };
    let control = match q.kind {
        Some(Kind::Boolean) => radios(
            vf.clone(),
            vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())],
            get(&vf),
            described.clone(),
            true,
        )
        .into_any(),
        Some(Kind::Level(t)) if t <= 10 => radios(
            vf.clone(),
            (0..=t).map(|l| (l.to_string(), l.to_string())).collect(),
            get(&vf),
            described.clone(),
            true,
        )
        .into_any(),
        Some(Kind::Date(_)) => {
            let d_hint = format!("{df}-hint");
            let d_described = if d_err.is_some() {
                format!("{d_hint} {df}-error")
            } else {
                d_hint.clone()
            };
            view! {
                {radios(
                    vf.clone(),
                    vec![
                        ("achieved".into(), "Achieved on the date below".into()),
                        ("not-yet".into(), "Not yet achieved".into()),
                    ],
                    get(&vf),
                    described.clone(),
                    false,
                )}
                <div class=if d_err.is_some() { "nhsuk-form-group nhsuk-form-group--error exemplar-date" } else { "nhsuk-form-group exemplar-date" }>
                    <fieldset class="nhsuk-fieldset" role="group" aria-describedby=d_described>
                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Date achieved"<span class="nhsuk-u-visually-hidden">{format!(" for {}", q.title)}</span></legend>
                        <div class="nhsuk-hint" id=d_hint>{format!("On or before {}. For example, 31 3 2014", long_date(quarter.end_date()))}</div>
                        {error_message(format!("{df}-error"), d_err.clone())}
                        <div class="nhsuk-date-input">
                            {[("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)].into_iter().map(|(part, label, width)| {
                                let name = format!("{df}-{part}");
                                // The day box carries the field's own id, so the error summary's link lands on it.
                                let id = if part == "day" { df.clone() } else { name.clone() };
                                let class = format!("nhsuk-input nhsuk-date-input__input nhsuk-input--width-{width}{}", if d_err.is_some() { " nhsuk-input--error" } else { "" });
                                view! {
                                    <div class="nhsuk-date-input__item">
                                        <div class="nhsuk-form-group">
                                            <label class="nhsuk-label nhsuk-date-input__label" for=id.clone()>{label}</label>
                                            <input class=class id=id name=name.clone() type="text" inputmode="numeric" value=get(&name) />
                                        </div>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                </div>
            }
            .into_any()
        }
        _ => {
            let percent = matches!(q.kind, Some(Kind::Percentage(_)));
            let class = if v_err.is_some() {
                "nhsuk-input nhsuk-input--width-5 nhsuk-input--error"
            } else {
                "nhsuk-input nhsuk-input--width-5"
            };
            let label = format!("Value for {}", q.code);
            view! {
                <label class="nhsuk-label nhsuk-u-visually-hidden" for=vf.clone()>{label}</label>
                <div class="nhsuk-input-wrapper">
                    <input class=class id=vf.clone() name=vf.clone() type="text"
                        inputmode=if q.kind.is_some() { "numeric" } else { "decimal" }
                        value=get(&vf) aria-describedby=described.clone() />
                    {percent.then(|| view! { <div class="nhsuk-input__suffix" aria-hidden="true">"%"</div> })}
                </div>
            }
            .into_any()
        }
    };
    let kind = q.kind;
    let status = {
        let mut parts: Vec<AnyView> = Vec::new();
        if let Some(s) = &q.submitted {
            let (class, label) = match s.status {
                Status::Verified => ("nhsuk-tag nhsuk-tag--green", "Verified"),
                Status::Rejected => ("nhsuk-tag nhsuk-tag--red", "Returned"),
                Status::Submitted => ("nhsuk-tag nhsuk-tag--blue", "Submitted"),
            };
            parts.push(
                view! {
                    <p class="nhsuk-body-s exemplar-status">
                        <strong class=class>{label}</strong>
                        {s.late.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--orange">"Late"</strong> })}
                        {format!(" {} — {} by {}", shown(kind.as_ref(), &s.value), when(&s.at), s.by)}
                    </p>
                    {q.returned.clone().map(|r| view! {
                        <div class="nhsuk-inset-text exemplar-returned"><p>{format!("Returned by the board: {r}. Correct the value or add evidence, then submit it again.")}</p></div>
                    })}
                }
                .into_any(),
            );
        }
        if let Some((v, at, by)) = &q.draft {
            parts.push(
                view! {
                    <p class="nhsuk-body-s exemplar-status">
                        <strong class="nhsuk-tag nhsuk-tag--yellow">"Draft"</strong>
                        {format!(" {} — saved {} by {}; not submitted, so not scored", shown(kind.as_ref(), v), when(at), by)}
                    </p>
                }
                .into_any(),
            );
        }
        if parts.is_empty() {
            parts.push(view! { <p class="nhsuk-body-s exemplar-status"><strong class="nhsuk-tag nhsuk-tag--grey">"Missing"</strong></p> }.into_any());
        }
        if let Some(who) = &q.assigned {
            let who = if who == me {
                "you".to_string()
            } else {
                who.clone()
            };
            parts.push(view! { <p class="nhsuk-body-s exemplar-status">{format!("Assigned to {who}")}</p> }.into_any());
        }
        for (href, label) in q.questions.clone() {
            parts.push(
                view! {
                    <p class="nhsuk-body-s exemplar-status" data-testid="value-question">
                        "The board asked about this value: "
                        <a href=href>"read the question"<span class="nhsuk-u-visually-hidden">{format!(" about {}", q.title)}</span></a>
                        {format!(" ({})", label.to_lowercase())}
                    </p>
                }
                .into_any(),
            );
        }
        parts
    };
    let rf = crate::domain::submission::reason_field(&q.code);
    let r_err = form.error_for(&rf);
    let checks = (!q.warnings.is_empty()).then(|| {
        let reason = values
            .get(&rf)
            .cloned()
            .or_else(|| q.reason.clone())
            .unwrap_or_default();
        let found = q
            .warnings
            .iter()
            .map(|w| view! { <li><strong>{crate::domain::format::sentence(&w.found)}"."</strong>" "{w.message.clone()}</li> })
            .collect_view();
        let hint = format!("{rf}-hint");
        let described = if r_err.is_some() { format!("{hint} {rf}-error") } else { hint.clone() };
        view! {
            <div class="exemplar-check-warning" data-testid="check-warning">
                <p class="nhsuk-body-s nhsuk-u-margin-bottom-1"><strong class="nhsuk-tag nhsuk-tag--orange">"Unusual value"</strong></p>
                <ul class="nhsuk-list nhsuk-body-s">{found}</ul>
                <div class=if r_err.is_some() { "nhsuk-form-group nhsuk-form-group--error nhsuk-u-margin-bottom-0" } else { "nhsuk-form-group nhsuk-u-margin-bottom-0" }>
                    <label class="nhsuk-label" for=rf.clone()>{format!("Why is {} this value?", q.code)}</label>
                    <div class="nhsuk-hint" id=hint>"You can still submit it. The board's reviewers see your answer beside the value. Save again to keep it."</div>
                    {error_message(format!("{rf}-error"), r_err.clone())}
                    <textarea class=if r_err.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                        id=rf.clone() name=rf.clone() rows="3" aria-describedby=described>{reason}</textarea>
                </div>
            </div>
        }
    });
    let guidance = q.guidance.clone();
    let notes = [
        q.gate
            .then(|| "Gate: must be met to be eligible".to_string()),
        q.stage.map(|s| format!("Stage {s}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let evidence = q.kind.is_some().then(|| {
        let requirement = match q.evidence {
            Evidence::Document => "Required before submitting: a document.",
            Evidence::Link => "Required before submitting: a link or a document.",
            Evidence::None => "Optional.",
        };
        let kept = values.get(&kf).cloned();
        let kept_name = kept
            .as_ref()
            .and_then(|k| k.split_once(' ').map(|(_, n)| n.to_string()));
        let download = format!("/my-economy/evidence/{quarter}/{}", q.code);
        view! {
            <div class="exemplar-evidence">
                <h4 class="nhsuk-heading-xs nhsuk-u-margin-bottom-1">"Evidence"</h4>
                <p class="nhsuk-body-s">{requirement}</p>
                {q.document.clone().map(|(name, bytes)| view! {
                    <p class="nhsuk-body-s">"Document: " <a href=download.clone() download="">{name}</a>{format!(" ({})", size(bytes))}</p>
                })}
                {q.link.clone().map(|l| view! {
                    <p class="nhsuk-body-s">"Link: " <a href=l.clone() rel="noopener noreferrer nofollow">{l.clone()}</a></p>
                })}
                {kept.clone().map(|k| view! {
                    <input type="hidden" name=kf.clone() value=k />
                    <p class="nhsuk-body-s">{format!("Your document {} is kept: it will be attached when you save.", kept_name.clone().unwrap_or_default())}</p>
                })}
                <div class=if l_err.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                    <label class="nhsuk-label" for=lf.clone()>{format!("Link to evidence for {}", q.code)}</label>
                    {error_message(format!("{lf}-error"), l_err.clone())}
                    <input class=if l_err.is_some() { "nhsuk-input nhsuk-input--error" } else { "nhsuk-input" }
                        id=lf.clone() name=lf.clone() type="url" spellcheck="false" value=get(&lf)
                        aria-describedby=l_err.as_ref().map(|_| format!("{lf}-error")) />
                </div>
                <div class=if f_err.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                    <label class="nhsuk-label" for=ff.clone()>{format!("Upload a document for {}", q.code)}</label>
                    <div class="nhsuk-hint" id=format!("{ff}-hint")>"PDF, Word, Excel, PNG or JPEG, up to 10 MB."</div>
                    {error_message(format!("{ff}-error"), f_err.clone())}
                    <input class=if f_err.is_some() { "nhsuk-file-upload nhsuk-input--error" } else { "nhsuk-file-upload" }
                        id=ff.clone() name=ff.clone() type="file"
                        accept=".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
                        aria-describedby=if f_err.is_some() { format!("{ff}-hint {ff}-error") } else { format!("{ff}-hint") } />
                </div>
            </div>
        }
    });
    view! {
        <div class=if any_err { "nhsuk-form-group nhsuk-form-group--error exemplar-question" } else { "nhsuk-form-group exemplar-question" } id=format!("q-{}", q.code)>
            <fieldset class="nhsuk-fieldset" aria-describedby=hint_id.clone()>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                    {format!("{} ({})", q.title, q.code)}
                </legend>
                <div class="nhsuk-hint" id=hint_id.clone()>
                    {hint(&q)}
                    {(!notes.is_empty()).then(|| view! { <br />{notes.clone()} })}
                    {guidance.map(|g| view! { <br /><span class="exemplar-guidance">{g}</span> })}
                </div>
                {status}
                {error_message(err_id.clone(), v_err.clone())}
                {control}
            </fieldset>
            {checks}
            {evidence}
        </div>
    }
}

#[component]
fn QuarterForm(data: QuarterFormView, form: FormState, flash: Option<String>) -> impl IntoView {
    let q = data.quarter;
    let title = if form.errors.is_empty() {
        format!("{} – your submission", q.label())
    } else {
        format!("Error: {} – your submission", q.label())
    };
    // Shown again after a post: what was sent; otherwise what is stored.
    let mut values: HashMap<String, String> = if form.values.is_empty() {
        data.initial.iter().cloned().collect()
    } else {
        form.values.clone()
    };
    // A stored date shows in the date input's three boxes.
    for c in &data.framework.criteria {
        let df = date_field(&c.code);
        if values.contains_key(&format!("{df}-day")) {
            continue;
        }
        let Some(d) = values
            .get(&df)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        else {
            continue;
        };
        use chrono::Datelike;
        for (part, v) in [("day", d.day()), ("month", d.month())] {
            values.insert(format!("{df}-{part}"), v.to_string());
        }
        values.insert(format!("{df}-year"), d.year().to_string());
    }
    // The answer fields: as the form was opened (stored), and as shown now (after
    // Recalculate or a problem, what was typed). The what-if panel shows the difference.
    let answers = |fields: &mut dyn Iterator<Item = (&String, &String)>| -> Vec<(String, String)> {
        fields
            .filter(|(k, _)| k.starts_with("v-") || k.starts_with("d-"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let island_fields = answers(&mut values.iter());
    let loaded_fields = answers(&mut data.initial.iter().map(|(k, v)| (k, v)));
    let summary = {
        let loaded: HashMap<&str, &str> = loaded_fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let current: HashMap<&str, &str> = island_fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        effect_summary(&effect_of_changes(
            &data.framework,
            q,
            &data.entries,
            &|k| loaded.get(k).map(|v| v.to_string()),
            &|k| current.get(k).map(|v| v.to_string()),
        ))
    };
    let version = values
        .get("version")
        .cloned()
        .unwrap_or_else(|| data.version.clone());
    let me = data.me.clone();
    let groups = data
        .themes
        .into_iter()
        .map(|group| {
            let items = group
                .questions
                .into_iter()
                .map(|question| question_view(question, &values, &form, q, &me))
                .collect_view();
            let assigned = group.assigned.map(|who| {
                let who = if who == me { "you".to_string() } else { who };
                view! { <p class="nhsuk-body-s">{format!("Assigned to {who}.")}</p> }
            });
            view! {
                <h2 class="nhsuk-heading-l" id=format!("theme-{}", group.code)>{group.name}</h2>
                {assigned}
                {items}
            }
        })
        .collect_view();
    let benefits = (!data.benefits.is_empty()).then(|| {
        let items = data
            .benefits
            .into_iter()
            .map(|question| question_view(question, &values, &form, q, &me))
            .collect_view();
        view! {
            <h2 class="nhsuk-heading-l">"Benefits for patients (outcome measures)"</h2>
            <p>"These are shown beside your scores and never change them."</p>
            {items}
        }
    });
    let nav = data
        .quarters
        .iter()
        .take(8)
        .map(|other| {
            let current = *other == q;
            view! {
                <li>
                    {if current {
                        view! { <strong aria-current="page">{other.to_string()}</strong> }.into_any()
                    } else {
                        view! { <a href=format!("/my-economy/periods/{other}")>{other.to_string()}</a> }.into_any()
                    }}
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=title />
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/my-economy">"Your economy"</a></li>
            </ol>
        </nav>
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <span class="nhsuk-caption-l">{data.economy.clone()}</span>
        <h1>{format!("{} ({q})", q.label())}</h1>
        <p>{format!("Values for this quarter are due on {}.", long_date(data.deadline))}</p>
        {data.late.then(|| view! {
            <div class="nhsuk-warning-callout">
                <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"The deadline has passed"</span></h3>
                <p>"Values you submit or change now are marked late, for everyone to see."</p>
            </div>
        })}
        <p>"Save as draft to come back later: drafts are not scored. When you are ready, continue to check your answers: you will see each value before it goes to the board, and only the values you tick there are submitted. Submitted values are what the scores use, and changing one later keeps the old value in its history."</p>
        <nav aria-label="Other quarters" class="exemplar-quarters">
            <h2 class="nhsuk-heading-xs">"Other quarters"</h2>
            <ul class="nhsuk-list exemplar-inline-list">{nav}</ul>
            <p class="nhsuk-body-s"><a href="/my-economy/upload">"Upload values from a CSV file"</a></p>
            <p class="nhsuk-body-s"><a href=format!("/my-economy/periods/{q}/assignments")>{format!("Who is completing {q}")}</a></p>
        </nav>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <WithIslandData id=WHAT_IF_SUMMARY_DATA value=summary>
                    <WhatIfSummary />
                </WithIslandData>
                <form method="post" action=format!("/my-economy/periods/{q}") enctype="multipart/form-data" novalidate id="quarter-form">
                    <input type="hidden" name="version" value=version />
                    {groups}
                    {benefits}
                    <div class="nhsuk-button-group">
                        <button class="nhsuk-button" type="submit" name="action" value="check" data-module="nhsuk-button">"Continue to check your answers"</button>
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit" name="action" value="draft" data-module="nhsuk-button">"Save as draft"</button>
                    </div>
                    <p class="nhsuk-body-s" id="recalculate-hint">"To see how the values you typed change your scores, recalculate: this page comes back with your values and their effect. Nothing is saved or submitted, and documents you chose are not kept."</p>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit" name="action" value="recalculate" aria-describedby="recalculate-hint" data-module="nhsuk-button">"Recalculate"</button>
                </form>
            </div>
            <div class="nhsuk-grid-column-one-third exemplar-sticky exemplar-what-if-column" tabindex="0" role="region" aria-label="The effect of your changes">
                <WithIslandData
                    id=WHAT_IF_DATA
                    value=WhatIfData {
                        framework: FrameworkProp(data.framework),
                        quarter: q,
                        entries: data.entries,
                        loaded: loaded_fields,
                        fields: island_fields,
                    }
                >
                    <WhatIf />
                </WithIslandData>
            </div>
        </div>
    }
}
