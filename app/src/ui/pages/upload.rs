//! `/my-economy/upload`: the values file of scoring.md section 6 through the web, for the
//! economy's own rows, previewed (new, replaced, unchanged) before it is stored as drafts.

use crate::domain::submission::PreviewRow;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::{ErrorSummary, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewView {
    pub slug: String,
    pub economy: String,
    /// The file held for confirmation (its SHA-256), when it passed every check.
    pub file: Option<String>,
    pub rows: Vec<PreviewRow>,
    pub problem: Option<String>,
}

#[server(prefix = "/_fn", endpoint = "upload-preview")]
pub async fn upload_preview(file: Option<String>) -> Result<PreviewView, AppError> {
    let slug = crate::ui::session::require_submitter()?;
    let state = crate::state::app_state()?;
    let sha = file.filter(|f| f.len() == 64 && f.bytes().all(|b| b.is_ascii_hexdigit()));
    let (name, held) = crate::submissions::held_upload(&state.pool, &slug, sha.as_deref())
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(sha) = sha else {
        return Ok(PreviewView {
            slug: slug.to_string(),
            economy: name.clone(),
            file: None,
            rows: Vec::new(),
            problem: None,
        });
    };
    let Some(bytes) = held else {
        return Ok(PreviewView {
            slug: slug.to_string(),
            economy: name.clone(),
            file: None,
            rows: Vec::new(),
            problem: Some("That upload is no longer here: choose the file again.".into()),
        });
    };
    match crate::submissions::preview_upload(&state.pool, &slug, &bytes).await {
        Ok(rows) => Ok(PreviewView {
            slug: slug.to_string(),
            economy: name.clone(),
            file: Some(sha),
            rows,
            problem: None,
        }),
        Err(_) => Ok(PreviewView {
            slug: slug.to_string(),
            economy: name.clone(),
            file: None,
            rows: Vec::new(),
            problem: Some(
                "That file can no longer be stored as it is: choose it again to see why.".into(),
            ),
        }),
    }
}

#[component]
pub fn UploadPage() -> impl IntoView {
    let file = use_query_map().with_untracked(|q| q.get("file"));
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let form = form.clone();
                let flash = flash.clone();
                let file = file.clone();
                move || {
                    let form = form.clone();
                    let flash = flash.clone();
                    let file = file.clone();
                    Suspend::new(async move {
                        match upload_preview(file).await {
                            Ok(data) => view! { <Upload data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Upload(data: PreviewView, form: FormState, flash: Option<String>) -> impl IntoView {
    let title = if form.errors.is_empty() {
        "Upload values"
    } else {
        "Error: Upload values"
    };
    let error = (!form.errors.is_empty()).then(|| {
        form.errors
            .iter()
            .map(|(_, m)| view! { <li>{m.clone()}</li> })
            .collect_view()
    });
    let count = |c: &str| data.rows.iter().filter(|r| r.change == c).count();
    let preview = data.file.clone().map(|sha| {
        let (new, replaced, unchanged) = (count("new"), count("replaced"), count("unchanged"));
        let rows = data
            .rows
            .iter()
            .map(|r| {
                let change = match r.change.as_str() {
                    "new" => view! { <strong class="nhsuk-tag nhsuk-tag--blue">"New"</strong> }.into_any(),
                    "replaced" => view! { <strong class="nhsuk-tag nhsuk-tag--orange">"Replaces"</strong> }.into_any(),
                    _ => view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Unchanged"</strong> }.into_any(),
                };
                view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">{r.line}</td>
                        <td class="nhsuk-table__cell">{r.period.clone()}</td>
                        <td class="nhsuk-table__cell">{r.code.clone()}</td>
                        <td class="nhsuk-table__cell">{if r.value.is_empty() { "(empty: not yet)".to_string() } else { r.value.clone() }}</td>
                        <td class="nhsuk-table__cell">{change}{r.current.clone().filter(|_| r.change == "replaced").map(|c| format!(" {}", if c.is_empty() { "(empty)".to_string() } else { c }))}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h2>"Check what will change"</h2>
            <p data-testid="preview-counts">{format!("{}: {new} new, {replaced} replacing a value, {unchanged} unchanged.", crate::domain::types::count(data.rows.len(), "row", "rows"))}</p>
            <p>"Confirming stores the new and replacing values as drafts. Nothing is submitted until you submit each quarter."</p>
            <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="What will change">
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"What will change"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Line"</th>
                            <th class="nhsuk-table__header" scope="col">"Quarter"</th>
                            <th class="nhsuk-table__header" scope="col">"Criterion"</th>
                            <th class="nhsuk-table__header" scope="col">"Value"</th>
                            <th class="nhsuk-table__header" scope="col">"Change"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{rows}</tbody>
                </table>
            </div>
            <form method="post" action="/my-economy/upload" enctype="multipart/form-data" novalidate>
                <input type="hidden" name="action" value="confirm" />
                <input type="hidden" name="file" value=sha />
                <div class="nhsuk-button-group">
                    <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Store as drafts"</button>
                    <a class="nhsuk-link" href="/my-economy/upload">"Choose a different file"</a>
                </div>
            </form>
        }
    });
    let has_error = !form.errors.is_empty();
    view! {
        <Title text=title />
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/my-economy">"Your economy"</a></li>
            </ol>
        </nav>
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(data.problem.clone()) />
        <span class="nhsuk-caption-l">{data.economy.clone()}</span>
        <h1>"Upload values"</h1>
        {preview}
        {data.file.is_none().then(|| view! {
            <p>"Upload your economy's values for one or more quarters at once, as a CSV file with the header row "<code>"economy,period,criterion,value,status"</code>":"</p>
            <ul>
                <li>{format!("economy: {} on every row (your economy only)", data.slug)}</li>
                <li>"period: the quarter, like 2015-Q1"</li>
                <li>"criterion: the criterion's or benefit's code, as on "<a href="/how-scores-work">"how scores work"</a></li>
                <li>"value: yes or no, a percentage, a level, a date (YYYY-MM-DD, or empty for not yet) or a number"</li>
                <li>"status: empty (only the board verifies or returns values)"</li>
            </ul>
            <p>"You see what will change before anything is stored. Values become drafts: attach evidence where it is needed and submit each quarter."</p>
            <form method="post" action="/my-economy/upload" enctype="multipart/form-data" novalidate>
                <input type="hidden" name="action" value="preview" />
                <div class=if has_error { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                    <label class="nhsuk-label nhsuk-label--s" for="file">"CSV file"</label>
                    <div class="nhsuk-hint" id="file-hint">"Up to 20 MB."</div>
                    {error.map(|items| view! {
                        <div class="nhsuk-error-message" id="file-error">
                            <span class="nhsuk-u-visually-hidden">"Error: "</span>
                            <ul class="nhsuk-list" data-testid="file-problems">{items}</ul>
                        </div>
                    })}
                    <input class="nhsuk-file-upload" id="file" name="file" type="file" accept=".csv,text/csv"
                        aria-describedby=if has_error { "file-hint file-error" } else { "file-hint" } />
                </div>
                <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Check the file"</button>
            </form>
        })}
        <h2>"Download your data"</h2>
        <ul>
            <li><a href="/my-economy/values.csv" download="">"Every value, draft and evidence (CSV)"</a></li>
            <li><a href="/my-economy/history.csv" download="">"The history of every change (CSV)"</a></li>
        </ul>
    }
}
