//! The selection panel (spec/panel.md section 7): `/assess/panel` (a member's round:
//! declaration, conflicts, candidates), `/assess/panel/{slug}` (the score sheet, blind until
//! submitted, then every score with outliers, justifications and changes) and `/admin/panel`
//! (the round: open, close, members, conflicts, results with the agreement).

use crate::domain::panel::view::{AdminRound, Conflict, MemberRound, Sheet};
use crate::domain::panel::{agreement, Completeness};
use crate::error::AppError;
use crate::ui::components::{error_page, AdminLinks};
use crate::ui::format::day_of;
use crate::ui::forms::{ErrorSummary, Notice};
use crate::ui::pages::panel_visit::VisitSummary;
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/_fn", endpoint = "panel-round")]
pub async fn panel_round() -> Result<MemberRound, AppError> {
    let user = crate::ui::session::require(crate::domain::account::Role::Assessor)?;
    let state = crate::state::app_state()?;
    Ok(crate::panel::member_round(&state.pool, &user).await?)
}

#[server(prefix = "/_fn", endpoint = "panel-sheet")]
pub async fn panel_sheet(slug: String) -> Result<Sheet, AppError> {
    let slug = crate::error::page_slug(&slug)?;
    let user = crate::ui::session::require(crate::domain::account::Role::Assessor)?;
    let state = crate::state::app_state()?;
    match crate::panel::sheet(&state.pool, &user, &slug).await {
        Ok(Some(sheet)) => Ok(sheet),
        Ok(None) => Err(AppError::NotFound),
        Err(crate::error::Rejection::Db(e)) => Err(e.into()),
        Err(_) => Err(AppError::NotFound),
    }
}

#[server(prefix = "/_fn", endpoint = "admin-panel")]
pub async fn admin_panel() -> Result<AdminRound, AppError> {
    use crate::domain::account::Role;
    let user = crate::ui::session::require(Role::Admin)?;
    let state = crate::state::app_state()?;
    Ok(crate::panel::admin_round(&state.pool, &user).await?)
}

fn group(e: &Option<String>) -> &'static str {
    if e.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    }
}

fn error_line(id: String, e: Option<String>) -> impl IntoView {
    e.map(|m| {
        view! { <span class="nhsuk-error-message" id=id><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span> }
    })
}

fn title_for(form: &FormState, title: &str) -> String {
    if form.errors.is_empty() {
        title.to_string()
    } else {
        format!("Error: {title}")
    }
}

fn conflict_rows(
    conflicts: &[Conflict],
    show_member: bool,
    form: &FormState,
    action: &'static str,
) -> impl IntoView {
    conflicts
        .iter()
        .map(|c| {
            let field = format!("withdraw-{}", c.id);
            let e = form.error_for(&field);
            let state = match (&c.withdrawn_at, &c.withdrawn_by) {
                (Some(at), by) => format!(
                    "Withdrawn on {} by {}: {}",
                    day_of(at),
                    by.clone().unwrap_or_default(),
                    c.withdrawn_reason.clone().unwrap_or_default()
                ),
                _ => "In force".to_string(),
            };
            let open = c.withdrawn_at.is_none();
            view! {
                <tr class="nhsuk-table__row">
                    {show_member.then(|| view! { <td class="nhsuk-table__cell">{c.member.clone()}</td> })}
                    <th class="nhsuk-table__header" scope="row">{c.economy_name.clone()}</th>
                    <td class="nhsuk-table__cell">{c.reason.clone()}<br /><span class="nhsuk-body-s">{format!("Declared on {} by {}", day_of(&c.declared_at), c.declared_by)}</span></td>
                    <td class="nhsuk-table__cell">
                        <p class="nhsuk-body-s">{state}</p>
                        {open.then(|| view! {
                            <form method="post" action=action novalidate>
                                <input type="hidden" name="action" value="withdraw" />
                                <input type="hidden" name="id" value=c.id.to_string() />
                                <div class=group(&e)>
                                    <label class="nhsuk-label nhsuk-label--s" for=field.clone()>{format!("Why the conflict with {} no longer holds", c.economy_name)}</label>
                                    {error_line(format!("{field}-error"), e.clone())}
                                    <input class="nhsuk-input" id=field.clone() name="reason" type="text" />
                                </div>
                                <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
                                    "Withdraw"<span class="nhsuk-u-visually-hidden">{format!(" the conflict with {}", c.economy_name)}</span>
                                </button>
                            </form>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view()
}

// ---------------------------------------------------------------------------------------
// /assess/panel

#[component]
pub fn PanelPage() -> impl IntoView {
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (form, flash) = (form.clone(), flash.clone());
                move || {
                    let (form, flash) = (form.clone(), flash.clone());
                    Suspend::new(async move {
                        match panel_round().await {
                            Ok(data) => view! { <Round data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Round(data: MemberRound, form: FormState, flash: Option<String>) -> impl IntoView {
    let title = title_for(&form, "Selection panel");
    let Some(panel) = data.panel.clone() else {
        return view! {
            <Title text=title />
            <h1>"Selection panel"</h1>
            <p>"The active framework has no selection panel. An admin adds a panel section to the framework file and loads it on the frameworks page."</p>
        }
        .into_any();
    };
    let round_text = match (&data.round, data.member) {
        (None, _) => "No round is open yet. An admin opens a round for the shortlisted candidates with the members who sit on it.".to_string(),
        (Some(r), true) if r.open() => format!("The round opened on {}. You are a member: declare your interests, then score each candidate.", day_of(&r.opened_at)),
        (Some(r), false) if r.open() => format!("The round opened on {}. You are not a member of it.", day_of(&r.opened_at)),
        (Some(r), _) => format!("The round closed on {}.", day_of(r.closed_at.as_deref().unwrap_or_default())),
    };
    let open = data.round.as_ref().is_some_and(|r| r.open());
    let declaration = (open && data.member).then(|| match &data.declared_at {
        Some(at) => view! {
            <p>{format!("You confirmed on {} that you have declared every conflict.", day_of(at))}</p>
        }.into_any(),
        None => {
            let e = form.error_for("declaration");
            view! {
                <form method="post" action="/assess/panel" novalidate>
                    <input type="hidden" name="action" value="confirm" />
                    <div class=group(&e)>
                        <fieldset class="nhsuk-fieldset" aria-describedby="declaration-hint">
                            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Declaration of interests"</legend>
                            <div class="nhsuk-hint" id="declaration-hint">"Declare every conflict below first: any candidate you have worked for, advised or been paid by in the last 3 years."</div>
                            {error_line("declaration-error".into(), e.clone())}
                            <div class="nhsuk-checkboxes">
                                <div class="nhsuk-checkboxes__item">
                                    <input class="nhsuk-checkboxes__input" id="declaration" name="declared" type="checkbox" value="yes" />
                                    <label class="nhsuk-label nhsuk-checkboxes__label" for="declaration">"I have declared every conflict"</label>
                                </div>
                            </div>
                        </fieldset>
                    </div>
                    <button class="nhsuk-button" type="submit">"Confirm declaration"</button>
                </form>
            }.into_any()
        }
    });
    let candidates = data
        .candidates
        .iter()
        .map(|c| {
            let status = if c.submitted {
                view! { <strong class="nhsuk-tag nhsuk-tag--green">"Submitted"</strong> }.into_any()
            } else if c.scored > 0 {
                view! { <strong class="nhsuk-tag nhsuk-tag--yellow">{format!("Draft: {} of {} scored", c.scored, panel.questions.len())}</strong> }.into_any()
            } else {
                view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Not started"</strong> }.into_any()
            };
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row"><a href=format!("/assess/panel/{}", c.economy)>{c.name.clone()}</a></th>
                    <td class="nhsuk-table__cell">{status}</td>
                </tr>
            }
        })
        .collect_view();
    let has_candidates = !data.candidates.is_empty();
    let chosen = form.value("economy");
    let options = data
        .economies
        .iter()
        .map(|(slug, name)| view! { <option value=slug.clone() selected=*slug == chosen>{name.clone()}</option> })
        .collect_view();
    let e_economy = form.error_for("economy");
    let e_reason = form.error_for("reason");
    let has_conflicts = !data.conflicts.is_empty();
    let conflicts = conflict_rows(&data.conflicts, false, &form, "/assess/panel");
    view! {
        <Title text=title />
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <h1>"Selection panel"</h1>
        <p>{round_text}</p>
        <p>{format!(
            "Each member scores every candidate on {} questions from {} to {}, alone. You see the other members' scores for a candidate only after you submit your own sheet for it.",
            panel.questions.len(), panel.scale_min, panel.scale_max
        )}</p>
        {declaration}
        <h2>"Candidates to score"</h2>
        {if has_candidates {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Table, scrolls sideways"><table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Candidates and your progress"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Candidate"</th>
                        <th class="nhsuk-table__header" scope="col">"Your sheet"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">{candidates}</tbody>
                </table></div>
            }.into_any()
        } else {
            view! { <p>"No candidate to score yet."</p> }.into_any()
        }}
        <h2 id="conflicts">"Your conflicts of interest"</h2>
        <p>"You will not see or score a candidate you have declared a conflict with, and your scores for it do not count."</p>
        {if has_conflicts {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Table, scrolls sideways"><table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Your conflicts of interest"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Economy"</th>
                        <th class="nhsuk-table__header" scope="col">"Reason"</th>
                        <th class="nhsuk-table__header" scope="col">"Status"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">{conflicts}</tbody>
                </table></div>
            }.into_any()
        } else {
            view! { <p>"You have declared no conflict."</p> }.into_any()
        }}
        <form method="post" action="/assess/panel" novalidate>
            <input type="hidden" name="action" value="declare" />
            <h3>"Declare a conflict"</h3>
            <div class=group(&e_economy)>
                <label class="nhsuk-label" for="economy">"Economy"</label>
                {error_line("economy-error".into(), e_economy.clone())}
                <select class="nhsuk-select" id="economy" name="economy">
                    <option value="">"Choose an economy"</option>
                    {options}
                </select>
            </div>
            <div class=group(&e_reason)>
                <label class="nhsuk-label" for="reason">"Why you have a conflict"</label>
                <div class="nhsuk-hint" id="reason-hint">"For example, you were its finance director until 2012."</div>
                {error_line("reason-error".into(), e_reason.clone())}
                <textarea class="nhsuk-textarea" id="reason" name="reason" rows="3" aria-describedby="reason-hint">{form.value("reason")}</textarea>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Declare conflict"</button>
        </form>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// /assess/panel/{slug}

#[component]
pub fn PanelSheetPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (form, flash) = (form.clone(), flash.clone());
                move || {
                    let (form, flash, slug) = (form.clone(), flash.clone(), slug());
                    Suspend::new(async move {
                        match panel_sheet(slug).await {
                            Ok(data) => view! { <ScoreSheet data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn ScoreSheet(data: Sheet, form: FormState, flash: Option<String>) -> impl IntoView {
    let title = title_for(&form, &format!("Panel scores: {}", data.name));
    let action = format!("/assess/panel/{}", data.economy);
    let editing = data.scoring && !data.submitted;
    let scale: Vec<i64> = (data.scale_min..=data.scale_max).collect();
    let sheet = editing.then(|| {
        let questions = data
            .lines
            .iter()
            .map(|l| {
                let code = l.question.code.clone();
                let field = format!("score-{code}");
                let e = form.error_for(&field);
                let given = if form.values.is_empty() {
                    l.own.map(|n| n.to_string()).unwrap_or_default()
                } else {
                    form.value(&field)
                };
                let radios = scale
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        let id = if i == 0 { field.clone() } else { format!("{field}-{n}") };
                        view! {
                            <div class="nhsuk-radios__item">
                                <input class="nhsuk-radios__input" id=id.clone() name=field.clone() type="radio" value=n.to_string() checked=given == n.to_string() />
                                <label class="nhsuk-label nhsuk-radios__label" for=id>{n.to_string()}</label>
                            </div>
                        }
                    })
                    .collect_view();
                let comment_field = format!("comment-{code}");
                let comment = if form.values.is_empty() { l.comment.clone() } else { form.value(&comment_field) };
                let hint_id = format!("{field}-hint");
                let described = hint_id.clone();
                view! {
                    <div class=group(&e)>
                        <fieldset class="nhsuk-fieldset" aria-describedby=described>
                            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
                                <h2 class="nhsuk-fieldset__heading">{l.question.title.clone()}</h2>
                            </legend>
                            <div class="nhsuk-hint" id=hint_id>{l.question.guidance.clone().unwrap_or_else(|| format!("Score from {} (no evidence) to {} (strong evidence).", data.scale_min, data.scale_max))}</div>
                            {data.visit.as_ref().and_then(|v| v.finding(&code)).map(|f| view! { <p class="nhsuk-body-s">{format!("The site visit found: {f}")}</p> })}
                            {error_line(format!("{field}-error"), e.clone())}
                            <div class="nhsuk-radios nhsuk-radios--inline">{radios}</div>
                        </fieldset>
                    </div>
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for=comment_field.clone()>{format!("Your comment on {}", l.question.title.to_lowercase())}</label>
                        <textarea class="nhsuk-textarea" id=comment_field.clone() name=comment_field.clone() rows="3">{comment}</textarea>
                    </div>
                }
            })
            .collect_view();
        view! {
            <form method="post" action=action.clone() novalidate>
                {questions}
                <div class="nhsuk-button-group">
                    <button class="nhsuk-button" type="submit" name="action" value="submit">"Submit scores"</button>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit" name="action" value="save">"Save draft"</button>
                </div>
            </form>
        }
    });
    let blind_note = (!data.shown).then(|| {
        view! {
            <div class="nhsuk-inset-text">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{if data.scoring || !data.submitted {
                    "The other members' scores stay hidden until you submit your own sheet for this candidate."
                } else {
                    "The members' scores are shown to the panel and admins until the round closes."
                }}</p>
            </div>
        }
    });
    let visit = data.visit.clone().map(|v| {
        let questions = data
            .lines
            .iter()
            .map(|l| (l.question.code.clone(), l.question.title.clone()))
            .collect::<Vec<_>>();
        let waiting = (editing && !v.reported()).then(|| view! {
            <p>"You can save a draft now, and submit your sheet once the visit's findings are recorded."</p>
        });
        view! {
            <h2 id="visit">"Site visit"</h2>
            <VisitSummary visit=v questions />
            {waiting}
        }
    });
    let moderating = data.round_open && data.submitted && data.shown;
    let results = data.shown.then(|| {
        data.lines
            .iter()
            .map(|l| {
                let code = l.question.code.clone();
                let rows = l
                    .scores
                    .iter()
                    .map(|m| {
                        let changes = m
                            .changes
                            .iter()
                            .map(|c| format!("Changed from {} to {} on {} by {}: {}", c.old, c.new, day_of(&c.at), c.by, c.reason))
                            .collect::<Vec<_>>();
                        view! {
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="row">{m.member.clone()}</th>
                                <td class="nhsuk-table__cell">{m.score.to_string()}{m.outlier.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--orange">"Outlier"</strong> })}</td>
                                <td class="nhsuk-table__cell">
                                    {m.comment.clone()}
                                    {m.justification.clone().map(|j| view! { <br /><span class="nhsuk-body-s">{format!("Justification: {j}")}</span> })}
                                    {changes.into_iter().map(|c| view! { <br /><span class="nhsuk-body-s">{c}</span> }).collect_view()}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                let e_reason = form.error_for(&format!("reason-{code}"));
                let e_new = form.error_for(&format!("new-{code}"));
                let moderation = (moderating && l.own.is_some()).then(|| {
                    let label = if l.own_outlier {
                        "Your score is an outlier: justify it or change it"
                    } else {
                        "Change your score or add a justification"
                    };
                    view! {
                        <details class="nhsuk-details" open=(l.own_outlier && l.justification.is_none()) || e_new.is_some() || e_reason.is_some()>
                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{label}</span></summary>
                            <div class="nhsuk-details__text">
                                <form method="post" action=action.clone() novalidate>
                                    <input type="hidden" name="question" value=code.clone() />
                                    <div class=group(&e_new)>
                                        <label class="nhsuk-label" for=format!("new-{code}")>{format!("New score from {} to {} (leave empty to justify your score)", data.scale_min, data.scale_max)}</label>
                                        {error_line(format!("new-{code}-error"), e_new.clone())}
                                        <input class="nhsuk-input nhsuk-input--width-2" id=format!("new-{code}") name="score" type="text" inputmode="numeric" />
                                    </div>
                                    <div class=group(&e_reason)>
                                        <label class="nhsuk-label" for=format!("reason-{code}")>"Your reason or justification"</label>
                                        {error_line(format!("reason-{code}-error"), e_reason.clone())}
                                        <textarea class="nhsuk-textarea" id=format!("reason-{code}") name="reason" rows="3"></textarea>
                                    </div>
                                    <div class="nhsuk-button-group">
                                        <button class="nhsuk-button nhsuk-button--secondary" type="submit" name="action" value="change">"Change score"</button>
                                        <button class="nhsuk-button nhsuk-button--secondary" type="submit" name="action" value="justify">"Keep score and justify"</button>
                                    </div>
                                </form>
                            </div>
                        </details>
                    }
                });
                view! {
                    <h2>{l.question.title.clone()}</h2>
                    <p>{format!("Mean {}", l.mean.map(|m| format!("{m:.2}")).unwrap_or_else(|| "–".into()))}</p>
                    <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Table, scrolls sideways"><table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{format!("Scores for {}", l.question.title)}</caption>
                        <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Member"</th>
                            <th class="nhsuk-table__header" scope="col">"Score"</th>
                            <th class="nhsuk-table__header" scope="col">"Comment"</th>
                        </tr></thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table></div>
                    {moderation}
                }
            })
            .collect_view()
    });
    let intro = if editing {
        format!("Score each question from {} to {} with a comment. Save a draft at any time; nobody else sees it. Submit when every question has a score.", data.scale_min, data.scale_max)
    } else if data.submitted {
        "Your sheet is submitted. Every member's submitted score is shown; an outlier is at least the outlier gap from the median of the others.".to_string()
    } else {
        "You are not scoring this candidate in an open round.".to_string()
    };
    view! {
        <Title text=title />
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <a class="nhsuk-back-link" href="/assess/panel">"Back to the selection panel"</a>
        <h1>{format!("Panel scores: {}", data.name)}</h1>
        <p id="sheet">{intro}</p>
        {(editing && !data.declared).then(|| view! {
            <p id="declaration"><a href="/assess/panel">"Confirm your declaration of interests"</a>" before you submit."</p>
        })}
        {visit}
        {sheet}
        {blind_note}
        {results}
    }
}

// ---------------------------------------------------------------------------------------
// /admin/panel

#[component]
pub fn AdminPanelPage() -> impl IntoView {
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (form, flash) = (form.clone(), flash.clone());
                move || {
                    let (form, flash) = (form.clone(), flash.clone());
                    Suspend::new(async move {
                        match admin_panel().await {
                            Ok(data) => view! { <AdminRoundView data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn AdminRoundView(data: AdminRound, form: FormState, flash: Option<String>) -> impl IntoView {
    let title = title_for(&form, "The selection panel's round");
    let Some(panel) = data.panel.clone() else {
        return view! {
            <Title text=title />
            <AdminLinks />
            <h1>"The selection panel's round"</h1>
            <p>"The active framework has no selection panel. Add a panel section to the framework file and load it on the "<a href="/admin/frameworks">"frameworks page"</a>"."</p>
        }
        .into_any();
    };
    let open = data.round.as_ref().is_some_and(|r| r.open());
    // Members are chosen once, when the round opens.
    let has_round = data.round.is_some();
    let round_text = match &data.round {
        None => "No round has been opened.".to_string(),
        Some(r) if r.open() => format!(
            "Open since {} (opened by {}).",
            day_of(&r.opened_at),
            r.opened_by
        ),
        Some(r) => format!(
            "Closed on {} by {}.",
            day_of(r.closed_at.as_deref().unwrap_or_default()),
            r.closed_by.clone().unwrap_or_default()
        ),
    };
    let e_members = form.error_for("members");
    let e_close = form.error_for("close");
    let candidates_total = data.candidates.len();
    let staff_rows = data
        .staff
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = if i == 0 { "members".to_string() } else { format!("members-{i}") };
            let declared = s.declared_at.as_deref().map(|d| format!("Confirmed on {}", day_of(d))).unwrap_or_else(|| if s.member { "Not confirmed".into() } else { "–".into() });
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">
                        {if has_round {
                            view! { <span>{s.email.clone()}</span> }.into_any()
                        } else {
                            view! {
                                <div class="nhsuk-checkboxes__item">
                                    <input class="nhsuk-checkboxes__input" id=id.clone() name="member" type="checkbox" value=s.email.clone() checked=s.member />
                                    <label class="nhsuk-label nhsuk-checkboxes__label" for=id>{s.email.clone()}</label>
                                </div>
                            }.into_any()
                        }}
                    </th>
                    <td class="nhsuk-table__cell">{s.role.clone()}</td>
                    <td class="nhsuk-table__cell">{if s.member { "Yes" } else { "No" }}</td>
                    <td class="nhsuk-table__cell">{declared}</td>
                    <td class="nhsuk-table__cell">{format!("{} of {}", s.submitted, candidates_total)}</td>
                </tr>
            }
        })
        .collect_view();
    let staff_table = view! {
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Table, scrolls sideways"><table class="nhsuk-table">
            <caption class="nhsuk-table__caption">"Members and their progress"</caption>
            <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                <th class="nhsuk-table__header" scope="col">"Board staff"</th>
                <th class="nhsuk-table__header" scope="col">"Role"</th>
                <th class="nhsuk-table__header" scope="col">"Member"</th>
                <th class="nhsuk-table__header" scope="col">"Declaration of interests"</th>
                <th class="nhsuk-table__header" scope="col">"Sheets submitted"</th>
            </tr></thead>
            <tbody class="nhsuk-table__body">{staff_rows}</tbody>
        </table></div>
    };
    let candidate_list = data
        .candidates
        .iter()
        .map(|(slug, name)| {
            let visit = data.visits.iter().find(|v| v.economy == *slug);
            let status = match visit {
                Some(v) if v.reported() => format!("site visit on {}, findings recorded", day_of(&v.on)),
                Some(v) => format!("site visit on {}, findings not recorded yet", day_of(&v.on)),
                None if open => "no site visit scheduled".to_string(),
                None => "no site visit".to_string(),
            };
            let link = if visit.is_none() && open { "Schedule a site visit" } else { "Site visit" };
            let show_link = visit.is_some() || open;
            view! {
                <li>
                    <a href=format!("/assess/panel/{slug}")>{name.clone()}</a>{format!(": {status}. ")}
                    {show_link.then(|| view! { <a href=format!("/admin/panel/{slug}")>{link}<span class="nhsuk-u-visually-hidden">{format!(" to {name}")}</span></a> })}
                </li>
            }
        })
        .collect_view();
    let closed = data.round.as_ref().is_some_and(|r| !r.open());
    let round_form = if closed {
        view! { {staff_table} }.into_any()
    } else if open {
        let blockers = data.blockers.clone();
        view! {
            <h2>"Close the round"</h2>
            {if blockers.is_empty() {
                view! { <p>"Every outlier is answered and every member has confirmed the declaration of interests."</p> }.into_any()
            } else {
                view! {
                    <p>"The round cannot close yet:"</p>
                    <ul>{blockers.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
                }.into_any()
            }}
            <form method="post" action="/admin/panel" novalidate>
                <input type="hidden" name="action" value="close" />
                <div class=group(&e_close)>
                    {error_line("close-error".into(), e_close.clone())}
                    <button class="nhsuk-button" id="close" type="submit">"Close the round"</button>
                </div>
            </form>
            {staff_table}
        }
        .into_any()
    } else {
        view! {
            <h2>"Open the round"</h2>
            <p>{format!(
                "The round scores the economies shortlisted now. Choose at least {} members from the board staff.",
                panel.min_members
            )}</p>
            <form method="post" action="/admin/panel" novalidate>
                <input type="hidden" name="action" value="open" />
                <div class=group(&e_members)>
                    <fieldset class="nhsuk-fieldset">
                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Choose the members"</legend>
                        {error_line("members-error".into(), e_members.clone())}
                        <div class="nhsuk-checkboxes">{staff_table}</div>
                    </fieldset>
                </div>
                <button class="nhsuk-button" type="submit">"Open the round"</button>
            </form>
        }
        .into_any()
    };
    let results = data.results.clone().map(|r| {
        let rows = r
            .candidates
            .iter()
            .map(|c| {
                let name = data
                    .candidates
                    .iter()
                    .find(|(s, _)| *s == c.economy)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_else(|| c.economy.clone());
                let outliers: u32 = c.questions.iter().map(|q| q.outliers).sum();
                view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">{c.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into())}</td>
                        <th class="nhsuk-table__header" scope="row"><a href=format!("/assess/panel/{}", c.economy)>{name}</a></th>
                        <td class="nhsuk-table__cell">{c.panel_score.map(|s| format!("{s:.1}")).unwrap_or_else(|| "–".into())}</td>
                        <td class="nhsuk-table__cell">{match c.status { Completeness::Complete => "Complete", Completeness::Incomplete => "Incomplete" }}</td>
                        <td class="nhsuk-table__cell">{c.members.to_string()}</td>
                        <td class="nhsuk-table__cell">{outliers.to_string()}</td>
                    </tr>
                }
            })
            .collect_view();
        let alpha = match r.alpha {
            Some(a) => format!("Agreement (Krippendorff's alpha): {a:.2}, {}.", agreement(r.alpha)),
            None if !data.hidden.is_empty() => "Agreement is shown once you have submitted your own sheets.".to_string(),
            None => format!("Agreement: {}.", agreement(None)),
        };
        let empty = r.candidates.is_empty();
        view! {
            <h2>"Results"</h2>
            <p data-testid="alpha">{alpha}</p>
            <p class="nhsuk-body-s">"At least 0.8 is good agreement; 0.667 to 0.8 is tentative; below 0.667 the panel should talk before it decides."</p>
            {(!data.hidden.is_empty()).then(|| view! {
                <p>{format!("{} candidates are hidden from you: you sit on the panel and have not submitted your sheet for them, or you have declared a conflict with them.", data.hidden.len())}</p>
            })}
            {if empty {
                view! { <p>"No submitted score yet."</p> }.into_any()
            } else {
                view! {
                    <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Table, scrolls sideways"><table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Panel results"</caption>
                        <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Rank"</th>
                            <th class="nhsuk-table__header" scope="col">"Candidate"</th>
                            <th class="nhsuk-table__header" scope="col">"Panel score"</th>
                            <th class="nhsuk-table__header" scope="col">"Status"</th>
                            <th class="nhsuk-table__header" scope="col">"Full sheets"</th>
                            <th class="nhsuk-table__header" scope="col">"Outliers"</th>
                        </tr></thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table></div>
                }.into_any()
            }}
            <p><a href="/admin/panel.csv" download>"Download the results (CSV)"</a></p>
        }
    });
    let has_conflicts = !data.conflicts.is_empty();
    let conflicts = conflict_rows(&data.conflicts, true, &form, "/admin/panel");
    view! {
        <Title text=title />
        <AdminLinks />
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <h1>"The selection panel's round"</h1>
        <p>{round_text}</p>
        <h2>"Candidates"</h2>
        {if candidates_total == 0 {
            view! { <p>"No economy is shortlisted yet. Record shortlist decisions on the "<a href="/assess/shortlist">"shortlist page"</a>" first."</p> }.into_any()
        } else {
            view! { <ul>{candidate_list}</ul> }.into_any()
        }}
        {round_form}
        {results}
        <h2 id="conflicts">"Conflicts of interest"</h2>
        {if has_conflicts {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Table, scrolls sideways"><table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Conflicts of interest"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Member"</th>
                        <th class="nhsuk-table__header" scope="col">"Economy"</th>
                        <th class="nhsuk-table__header" scope="col">"Reason"</th>
                        <th class="nhsuk-table__header" scope="col">"Status"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">{conflicts}</tbody>
                </table></div>
            }.into_any()
        } else {
            view! { <p>"No conflict has been declared."</p> }.into_any()
        }}
    }
    .into_any()
}
