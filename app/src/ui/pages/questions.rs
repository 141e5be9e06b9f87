//! Questions between the board and an economy: the board's list (`/assess/questions`), a
//! question as the board reads it (`/assess/questions/{id}`: reply, resolve), the economy's
//! list and question (`/my-economy/questions`, `/my-economy/questions/{id}`: answer), and the
//! parts shown elsewhere: an economy's questions with the form to ask one (on
//! `/assess/economies/{slug}`), what waits for the board (on `/assess`) and for the economy
//! (on `/my-economy`). Internal: never public.

use crate::domain::question::view::{PostLine, QuestionLine, QuestionView, QuestionsView};
use crate::domain::question::QuestionState;
use crate::domain::types::count;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::{ErrorSummary, Field, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(prefix = "/_fn", endpoint = "board-questions")]
pub async fn board_questions(slug: String) -> Result<QuestionsView, AppError> {
    let user = crate::ui::session::require(crate::domain::account::Role::Assessor)?;
    let state = crate::state::app_state()?;
    let slug = if slug.is_empty() {
        None
    } else {
        Some(crate::error::page_slug(&slug)?)
    };
    crate::questions::list(&state.pool, &user, slug.as_ref()).await
}

#[server(prefix = "/_fn", endpoint = "board-question")]
pub async fn board_question(id: String) -> Result<QuestionView, AppError> {
    let user = crate::ui::session::require(crate::domain::account::Role::Assessor)?;
    let state = crate::state::app_state()?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    crate::questions::view(&state.pool, &user, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[server(prefix = "/_fn", endpoint = "my-questions")]
pub async fn my_questions() -> Result<QuestionsView, AppError> {
    let user = crate::ui::session::require(crate::domain::account::Role::Submitter)?;
    let state = crate::state::app_state()?;
    crate::questions::list(&state.pool, &user, None).await
}

#[server(prefix = "/_fn", endpoint = "my-question")]
pub async fn my_question(id: String) -> Result<QuestionView, AppError> {
    let user = crate::ui::session::require(crate::domain::account::Role::Submitter)?;
    let state = crate::state::app_state()?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    crate::questions::view(&state.pool, &user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A subject as a heading reads: its first letter a capital ("The nomination").
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn state_tag(state: &str, board: bool) -> impl IntoView {
    let s = QuestionState::parse(state).unwrap_or(QuestionState::WaitingEconomy);
    let class = match s {
        QuestionState::WaitingEconomy if board => "nhsuk-tag nhsuk-tag--grey",
        QuestionState::WaitingEconomy => "nhsuk-tag nhsuk-tag--orange",
        QuestionState::WaitingBoard if board => "nhsuk-tag nhsuk-tag--orange",
        QuestionState::WaitingBoard => "nhsuk-tag nhsuk-tag--grey",
        QuestionState::Resolved => "nhsuk-tag nhsuk-tag--green",
    };
    let label = if board {
        s.board_label()
    } else {
        s.economy_label()
    };
    view! { <strong class=class>{label}</strong> }
}

/// A list of questions as a table; `board` links to the board's pages.
fn question_table(
    questions: Vec<QuestionLine>,
    board: bool,
    caption: &'static str,
) -> impl IntoView {
    let show_economy = board;
    let rows = questions
        .into_iter()
        .map(|q| {
            let href = if board {
                format!("/assess/questions/{}", q.id)
            } else {
                format!("/my-economy/questions/{}", q.id)
            };
            let new = q.unread.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--blue nhsuk-u-margin-left-2">"New"</strong> });
            view! {
                <tr class="nhsuk-table__row" role="row">
                    <td class="nhsuk-table__cell" role="cell">
                        <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Question "</span>
                        <span><a href=href>{sentence(&q.about)}</a>{new}<br /><span class="nhsuk-body-s">{q.opening}</span></span>
                    </td>
                    {show_economy.then(|| view! {
                        <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"Economy "</span>{q.economy.clone()}</td>
                    })}
                    <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"Asked "</span>{format!("{} by {}", q.asked_on, q.asked_by)}</td>
                    <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"Latest "</span>{q.last_post}</td>
                    <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"Status "</span>{state_tag(&q.state, board)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="nhsuk-table-responsive">
            <caption class="nhsuk-table__caption">{caption}</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row" role="row">
                    <th class="nhsuk-table__header" scope="col" role="columnheader">"Question"</th>
                    {show_economy.then(|| view! { <th class="nhsuk-table__header" scope="col" role="columnheader">"Economy"</th> })}
                    <th class="nhsuk-table__header" scope="col" role="columnheader">"Asked"</th>
                    <th class="nhsuk-table__header" scope="col" role="columnheader">"Latest post"</th>
                    <th class="nhsuk-table__header" scope="col" role="columnheader">"Status"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">{rows}</tbody>
        </table>
    }
}

/// `/assess/questions`: every economy's questions, those waiting for the board first.
#[component]
pub fn AssessQuestionsPage() -> impl IntoView {
    let flash = session_info().flash;
    view! {
        <Title text="Questions to economies" />
        <Suspense fallback=|| ()>
            {
                let flash = flash.clone();
                move || {
                    let flash = flash.clone();
                    Suspend::new(async move {
                        match board_questions(String::new()).await {
                            Ok(data) => {
                                let (mut board, mut economy, mut resolved) = (Vec::new(), Vec::new(), Vec::new());
                                for q in data.questions {
                                    match QuestionState::parse(&q.state) {
                                        Some(QuestionState::WaitingBoard) => board.push(q),
                                        Some(QuestionState::Resolved) => resolved.push(q),
                                        _ => economy.push(q),
                                    }
                                }
                                view! {
                                    <Notice text=flash />
                                    <a class="nhsuk-back-link" href="/assess">"Back to the review queue"</a>
                                    <h1>"Questions to economies"</h1>
                                    <p>"Ask an economy a question from its assessment page. Questions are between the board and the economy: never public."</p>
                                    <h2>"Answered: waiting for the board"</h2>
                                    {if board.is_empty() { view! { <p>"No answer is waiting for the board."</p> }.into_any() } else { question_table(board, true, "Answered: waiting for the board").into_any() }}
                                    <h2>"Waiting for the economy"</h2>
                                    {if economy.is_empty() { view! { <p>"No question is waiting for an economy."</p> }.into_any() } else { question_table(economy, true, "Waiting for the economy").into_any() }}
                                    <h2>"Resolved"</h2>
                                    {if resolved.is_empty() { view! { <p>"No question has been resolved yet."</p> }.into_any() } else { question_table(resolved, true, "Resolved").into_any() }}
                                }.into_any()
                            }
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn post_card(p: PostLine, economy: &str) -> impl IntoView {
    let who = if p.side == "board" {
        format!("{} for the board", p.author)
    } else {
        format!("{} for {economy}", p.author)
    };
    let seen = if p.seen_by.is_empty() {
        "Not yet seen by anyone else.".to_string()
    } else {
        format!(
            "Seen by {}.",
            p.seen_by
                .iter()
                .map(|(who, at)| format!("{who} ({at})"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let class = if p.side == "board" {
        "nhsuk-card"
    } else {
        "nhsuk-card nhsuk-card--secondary"
    };
    view! {
        <div class=class>
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s">{who}</h3>
                <p class="nhsuk-body-s nhsuk-u-secondary-text-color">{p.at}</p>
                <p class="exemplar-pre">{p.body}</p>
                {p.link.map(|l| view! { <p>"Link: "<a class="exemplar-break" href=l.clone() rel="noreferrer noopener">{l.clone()}</a></p> })}
                {p.document.map(|(href, label)| view! { <p>"Attached: "<a class="exemplar-break" href=href download="">{label}</a></p> })}
                <p class="nhsuk-body-s nhsuk-u-margin-bottom-0">{seen}</p>
            </div>
        </div>
    }
}

/// A question's posts, with where its subject is shown.
fn thread(q: &QuestionView, board: bool) -> impl IntoView {
    let economy = q.economy.clone();
    let posts = q
        .posts
        .clone()
        .into_iter()
        .map(|p| post_card(p, &economy))
        .collect_view();
    let about = q.about_href.clone().map(|href| {
        view! { <p><a href=href>{format!("See {}", q.about)}</a></p> }
    });
    let resolved = q.resolved.clone().map(|(who, at)| {
        view! { <div class="nhsuk-inset-text"><p>{format!("Resolved by {who} on {at}.")}</p></div> }
    });
    view! {
        <p>{state_tag(&q.state, board)}</p>
        {about}
        {posts}
        {resolved}
    }
}

/// The optional document attached to a question or an answer.
fn document_field(form: &FormState) -> impl IntoView {
    let error = form.error_for("document");
    view! {
        <div class=if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <label class="nhsuk-label" for="document">"Attach a document (optional)"</label>
            <div class="nhsuk-hint" id="document-hint">"PDF, Word, Excel, PNG or JPEG, up to 10 MB. Only the board and the economy's submitters can open it."</div>
            {crate::ui::forms::error_message("document-error".into(), error.clone())}
            <input class=if error.is_some() { "nhsuk-file-upload nhsuk-input--error" } else { "nhsuk-file-upload" }
                id="document" name="document" type="file"
                accept=".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
                aria-describedby=if error.is_some() { "document-hint document-error" } else { "document-hint" } />
        </div>
    }
}

/// The box to write a post, with an optional link and document.
fn post_form(
    action: String,
    form: &FormState,
    label: &'static str,
    button: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let answer_error = form.error_for("answer");
    let (link, link_error) = (form.value("link"), form.error_for("link"));
    view! {
        <form method="post" action=action enctype="multipart/form-data" novalidate>
            <input type="hidden" name="action" value="reply" />
            <div class=if answer_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <label class="nhsuk-label nhsuk-label--m" for="answer">{label}</label>
                <div class="nhsuk-hint" id="answer-hint">{hint}</div>
                {answer_error.clone().map(|m| view! {
                    <span class="nhsuk-error-message" id="answer-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                })}
                <textarea class=if answer_error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                    id="answer" name="answer" rows="5"
                    aria-describedby=if answer_error.is_some() { "answer-hint answer-error" } else { "answer-hint" }>{form.value("answer")}</textarea>
            </div>
            <Field name="link" label="A link to a document (optional)" kind="url" hint="A web address starting with https://, like https://www.example.nhs.uk/report.pdf" value=link error=link_error />
            {document_field(form)}
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">{button}</button>
        </form>
    }
}

/// `/assess/questions/{id}`.
#[component]
pub fn AssessQuestionPage() -> impl IntoView {
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (id, form, flash) = (id.clone(), form.clone(), flash.clone());
                move || {
                    let (id, form, flash) = (id.clone(), form.clone(), flash.clone());
                    Suspend::new(async move {
                        match board_question(id).await {
                            Ok(q) => {
                                let title = format!("{}Question to {} about {}", if form.errors.is_empty() { "" } else { "Error: " }, q.economy, q.about);
                                let open = q.state != "resolved";
                                let action = format!("/assess/questions/{}", q.id);
                                let back = format!("/assess/economies/{}#questions", q.economy_slug);
                                view! {
                                    <Title text=title />
                                    <ErrorSummary form=form.clone() />
                                    <Notice text=flash />
                                    <a class="nhsuk-back-link" href=back>{format!("Back to {}", q.economy)}</a>
                                    <span class="nhsuk-caption-l">{format!("Question to {}", q.economy)}</span>
                                    <h1>{sentence(&q.about)}</h1>
                                    {thread(&q, true)}
                                    {open.then(|| view! {
                                        {post_form(action.clone(), &form, "Reply to the economy", "Send reply", "The economy's submitters are sent your reply by email.")}
                                        <h2>"Resolve this question"</h2>
                                        <p>"When you have what you need, close the question. The economy is told, and it can no longer be answered."</p>
                                        <form method="post" action=action.clone()>
                                            <input type="hidden" name="action" value="resolve" />
                                            <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Mark as resolved"</button>
                                        </form>
                                    })}
                                    <p><a href="/assess/questions">"Every question to economies"</a></p>
                                }.into_any()
                            }
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// `/my-economy/questions`.
#[component]
pub fn MyQuestionsPage() -> impl IntoView {
    view! {
        <Title text="Questions from the board" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match my_questions().await {
                    Ok(data) => {
                        let empty = data.questions.is_empty();
                        view! {
                            <a class="nhsuk-back-link" href="/my-economy">"Back to your economy"</a>
                            <h1>"Questions from the board"</h1>
                            <p>"When the board needs to know more about a value, its evidence, a trust's EPR entry or your nomination, it asks here. Any submitter of your economy can answer. Questions and answers are between your economy and the board: never public."</p>
                            {if empty {
                                view! { <p>"The board has not asked your economy any questions."</p> }.into_any()
                            } else {
                                question_table(data.questions, false, "Questions from the board, latest first").into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => error_page(e),
                }
            })}
        </Suspense>
    }
}

/// `/my-economy/questions/{id}`.
#[component]
pub fn MyQuestionPage() -> impl IntoView {
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (id, form, flash) = (id.clone(), form.clone(), flash.clone());
                move || {
                    let (id, form, flash) = (id.clone(), form.clone(), flash.clone());
                    Suspend::new(async move {
                        match my_question(id).await {
                            Ok(q) => {
                                let title = format!("{}Question from the board about {}", if form.errors.is_empty() { "" } else { "Error: " }, q.about);
                                let open = q.state != "resolved";
                                let action = format!("/my-economy/questions/{}", q.id);
                                view! {
                                    <Title text=title />
                                    <ErrorSummary form=form.clone() />
                                    <Notice text=flash />
                                    <a class="nhsuk-back-link" href="/my-economy/questions">"Back to questions from the board"</a>
                                    <span class="nhsuk-caption-l">"Question from the board"</span>
                                    <h1>{sentence(&q.about)}</h1>
                                    {thread(&q, false)}
                                    {open.then(|| post_form(action, &form, "Your answer", "Send answer", "The board staff who asked are sent your answer by email. Other submitters of your economy can see it here."))}
                                }.into_any()
                            }
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// On `/assess/economies/{slug}`: the economy's questions and the form to ask one.
#[component]
pub fn EconomyQuestions(slug: String, form: FormState) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {
                let (slug, form) = (slug.clone(), form.clone());
                move || {
                    let (slug, form) = (slug.clone(), form.clone());
                    Suspend::new(async move {
                        match board_questions(slug.clone()).await {
                            Ok(data) => ask_section(slug, data, &form).into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn ask_section(slug: String, data: QuestionsView, form: &FormState) -> impl IntoView {
    let chosen = form.value("about");
    let about_error = form.error_for("about");
    let options = std::iter::once((String::new(), "Select what it is about".to_string()))
        .chain(data.subjects)
        .map(|(value, label)| {
            let selected = value == chosen;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    let question_error = form.error_for("question");
    let (link, link_error) = (form.value("link"), form.error_for("link"));
    let empty = data.questions.is_empty();
    view! {
        <h2 id="questions">"Questions to the economy"</h2>
        <p>"The economy's submitters are sent each question by email and answer it on Exemplar. Questions are between the board and the economy: never public."</p>
        {if empty {
            view! { <p>"The board has not asked this economy any questions."</p> }.into_any()
        } else {
            question_table(data.questions, true, "Questions to the economy, latest first").into_any()
        }}
        <form method="post" action=format!("/assess/economies/{slug}/questions") enctype="multipart/form-data" novalidate>
            <h3>"Ask the economy a question"</h3>
            <div class=if about_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <label class="nhsuk-label" for="about">"What is it about?"</label>
                {about_error.clone().map(|m| view! {
                    <span class="nhsuk-error-message" id="about-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                })}
                <select class=if about_error.is_some() { "nhsuk-select nhsuk-select--error nhsuk-u-width-full" } else { "nhsuk-select nhsuk-u-width-full" }
                    id="about" name="about" aria-describedby=about_error.as_ref().map(|_| "about-error")>{options}</select>
            </div>
            <div class=if question_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <label class="nhsuk-label" for="question">"Your question"</label>
                {question_error.clone().map(|m| view! {
                    <span class="nhsuk-error-message" id="question-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                })}
                <textarea class=if question_error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                    id="question" name="question" rows="5" aria-describedby=question_error.as_ref().map(|_| "question-error")>{form.value("question")}</textarea>
            </div>
            <Field name="link" label="A link for the economy to look at (optional)" kind="url" hint="A web address starting with https://" value=link error=link_error />
            {document_field(form)}
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Send question"</button>
        </form>
    }
}

/// On `/assess`: how many questions wait for the board and for economies.
#[component]
pub fn BoardQuestionsWaiting() -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match board_questions(String::new()).await {
                    Ok(data) => {
                        let n = |s: QuestionState| data.questions.iter().filter(|q| q.state == s.as_str()).count();
                        let (board, economy) = (n(QuestionState::WaitingBoard), n(QuestionState::WaitingEconomy));
                        let words = if board + economy == 0 {
                            "No question to an economy is open.".to_string()
                        } else {
                            format!(
                                "Questions to economies: {} answered and waiting for the board, {} waiting for the economy.",
                                board, economy
                            )
                        };
                        view! { <p>{words}" "<a href="/assess/questions">"See the questions"</a></p> }.into_any()
                    }
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// On `/my-economy`: the board's questions waiting for the economy's answer.
#[component]
pub fn MyQuestionsWaiting() -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match my_questions().await {
                    Ok(data) => {
                        let waiting: Vec<QuestionLine> = data
                            .questions
                            .into_iter()
                            .filter(|q| q.state == QuestionState::WaitingEconomy.as_str())
                            .collect();
                        if waiting.is_empty() {
                            return view! { <p><a href="/my-economy/questions">"Questions from the board"</a>": none waiting for your answer."</p> }.into_any();
                        }
                        let n = waiting.len();
                        let items = waiting
                            .into_iter()
                            .map(|q| {
                                let href = format!("/my-economy/questions/{}", q.id);
                                view! { <li><a href=href>{format!("Answer the board's question about {}", q.about)}</a>{format!(" (asked {} by {})", q.asked_on, q.asked_by)}</li> }
                            })
                            .collect_view();
                        view! {
                            <div class="nhsuk-card nhsuk-card--feature" data-testid="questions-waiting">
                                <div class="nhsuk-card__content nhsuk-card__content--feature">
                                    <h2 class="nhsuk-card__heading nhsuk-card__heading--feature nhsuk-heading-m">"Questions from the board"</h2>
                                    <p>{format!("The board has asked {} waiting for your answer.", count(n, "question", "questions"))}</p>
                                    <ul class="nhsuk-list nhsuk-list--bullet">{items}</ul>
                                </div>
                            </div>
                        }.into_any()
                    }
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
}
