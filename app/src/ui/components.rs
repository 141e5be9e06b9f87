//! The NHS.UK page furniture: skip link, header, banner, footer, and shared pieces.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a> }
}

/// The navigation: only pages that exist.
const NAV: &[(&str, &str)] = &[
    ("/economies", "Economies"),
    ("/regions", "Regions"),
    ("/trusts", "Trust register"),
    ("/how-scores-work", "How scores work"),
    ("/open-data", "Open data"),
];

#[component]
pub fn Header() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let user = crate::ui::session::current_user();
    let mut nav: Vec<(&str, &str)> = NAV.to_vec();
    match user.as_ref().map(|u| u.role) {
        Some(crate::domain::account::Role::Admin) => {
            nav.push(("/assess", "Review"));
            nav.push(("/assess/panel", "Selection panel"));
            nav.push(("/assess/trusts", "Trust enforcement"));
            // Nominations, publication, frameworks, users and the audit log link to each other.
            nav.push(("/admin/nominations", "Administration"));
            nav.push(("/account", "Your account"));
        }
        Some(crate::domain::account::Role::Submitter) => {
            nav.push(("/my-economy", "Your economy"));
            nav.push(("/account", "Your account"));
        }
        Some(_) => {
            nav.push(("/assess", "Review"));
            nav.push(("/assess/shortlist", "Shortlist"));
            nav.push(("/assess/panel", "Selection panel"));
            nav.push(("/assess/trusts", "Trust enforcement"));
            nav.push(("/account", "Your account"));
        }
        // Signing in is shown beside the logo, not in the menu, so a phone shows it at once.
        None => {}
    }
    let signed_out = user.is_none();
    let on_sign_in = path == "/sign-in";
    // The current item: the longest link that is the path or a folder of it.
    let longest = nav
        .iter()
        .filter(|(href, _)| path == *href || path.starts_with(&format!("{href}/")))
        .map(|(href, _)| href.len())
        .max();
    let unread = crate::ui::session::session_info().unread;
    let items = nav
        .into_iter()
        .map(|(href, text)| {
            let count = (href == "/my-economy" && unread > 0).then(|| {
                view! {
                    " "
                    <span class="exemplar-count">{unread.to_string()}</span>
                    <span class="nhsuk-u-visually-hidden">{if unread == 1 { " new message" } else { " new messages" }}</span>
                }
            });
            let current = (path == href || path.starts_with(&format!("{href}/")))
                && Some(href.len()) == longest;
            view! {
                <li class=if current {
                    "nhsuk-header__navigation-item nhsuk-header__navigation-item--current"
                } else {
                    "nhsuk-header__navigation-item"
                }>
                    <a
                        class="nhsuk-header__navigation-link"
                        href=href
                        aria-current=current.then_some("page")
                    >
                        {if current {
                            view! { <strong class="nhsuk-header__navigation-item-current-fallback">{text}</strong> }.into_any()
                        } else {
                            view! { {text} }.into_any()
                        }}
                        {count}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <header class="nhsuk-header" data-module="nhsuk-header" role="banner">
            <div class="nhsuk-header__container nhsuk-width-container">
                <div class="nhsuk-header__service">
                    <a class="nhsuk-header__service-logo" href="/" aria-label="NHS Exemplar homepage">
                        <svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS">
                            <title>"NHS"</title>
                            <path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z" />
                        </svg>
                        <span class="nhsuk-header__service-name">"Exemplar"</span>
                    </a>
                </div>
                {signed_out.then(|| view! {
                    <nav class="nhsuk-header__account" aria-label="Account">
                        <ul class="nhsuk-header__account-list">
                            <li class="nhsuk-header__account-item">
                                <a class="nhsuk-header__account-link" href="/sign-in" aria-current=on_sign_in.then_some("page")>"Sign in"</a>
                            </li>
                        </ul>
                    </nav>
                })}
            </div>
            <nav class="nhsuk-header__navigation" aria-label="Menu">
                <div class="nhsuk-header__navigation-container nhsuk-width-container">
                    <ul class="nhsuk-header__navigation-list">
                        {items}
                        <li class="nhsuk-header__menu" hidden>
                            <button class="nhsuk-header__menu-toggle nhsuk-header__navigation-link" id="toggle-menu" aria-expanded="false">
                                <span class="nhsuk-u-visually-hidden">"Browse "</span>
                                "More"
                            </button>
                        </li>
                    </ul>
                </div>
            </nav>
        </header>
    }
}

/// Says on every page when the service runs on the demo data set, and which today it takes.
#[component]
pub fn DemoBanner() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let demo = use_context::<crate::state::AppState>().and_then(|s| s.demo.then(|| s.today()));
    #[cfg(not(feature = "ssr"))]
    let demo: Option<chrono::NaiveDate> = None;
    demo.map(|today| {
        view! {
            <div class="nhsuk-inset-text exemplar-demo-banner">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>
                    <strong>"Demonstration data. "</strong>
                    "The NHS organisations are the real ones of 2015; the economies they form, their figures and the trusts' EPR statuses are made up to show how the service works. It takes today to be "
                    {crate::ui::format::long_date(today)} "."
                </p>
            </div>
        }
    })
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="nhsuk-footer" role="contentinfo">
            <div class="nhsuk-width-container">
                <div class="nhsuk-footer__meta">
                    <h2 class="nhsuk-u-visually-hidden">"Support links"</h2>
                    <ul class="nhsuk-footer__list">
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href="/accessibility-statement">"Accessibility statement"</a>
                        </li>
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href="/privacy">"Privacy"</a>
                        </li>
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href="/how-scores-work">"How scores work"</a>
                        </li>
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href="/open-data">"Open data"</a>
                        </li>
                    </ul>
                    <p class="nhsuk-body-s">"© NHS England"</p>
                </div>
            </div>
        </footer>
    }
}

/// Sets the response status (on the server; nothing in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(
            http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// The page for an unknown path, or a missing economy: status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found" />
        <h1>"Page not found"</h1>
        <p>"If you typed the web address, check it is correct."</p>
        <p>"If you pasted the web address, check you copied the entire address."</p>
        <p>
            "You can find every candidate economy on the "
            <a href="/economies">"economies page"</a>
            ", or start again from the "
            <a href="/">"national progress page"</a>
            "."
        </p>
    }
}

/// What a page shows when its data could not be had: never internals.
pub fn error_page(e: AppError) -> AnyView {
    match e {
        AppError::NotFound => view! { <NotFound /> }.into_any(),
        AppError::NotPublished(q) => {
            set_status(404);
            view! {
                <Title text="Not published" />
                <h1>"These figures are not published"</h1>
                <p>{format!("The figures for {q} have not been published. Published quarters are listed on the ")}
                    <a href="/economies">"economies page"</a>"."
                </p>
            }
            .into_any()
        }
        AppError::BadRequest(message) => {
            set_status(400);
            view! {
                <Title text="There is a problem" />
                <h1>"There is a problem with the address"</h1>
                <p>{message}</p>
                <p><a href="/">"Go to the national progress page"</a></p>
            }
            .into_any()
        }
        AppError::Forbidden => view! { <ForbiddenPage /> }.into_any(),
        AppError::Internal => {
            set_status(500);
            view! {
                <Title text="Sorry, there is a problem with the service" />
                <h1>"Sorry, there is a problem with the service"</h1>
                <p>"Try again later."</p>
                <p>"Nothing you entered has been lost or half-saved."</p>
            }
            .into_any()
        }
    }
}

/// Links between the admins' pages.
#[component]
pub fn AdminLinks() -> impl IntoView {
    view! {
        <nav class="exemplar-admin-links" aria-label="Administration">
            <ul class="nhsuk-list exemplar-inline-list">
                <li><a href="/admin/nominations">"Nominations"</a></li>
                <li><a href="/admin/publication">"Publication"</a></li>
                <li><a href="/admin/frameworks">"Frameworks"</a></li>
                <li><a href="/admin/panel">"Selection panel"</a></li>
                <li><a href="/admin/users">"Users"</a></li>
                <li><a href="/admin/messages">"Messages"</a></li>
                <li><a href="/admin/audit">"Audit log"</a></li>
            </ul>
        </nav>
    }
}

/// Signed in without the role the page needs: 403.
#[component]
pub fn ForbiddenPage() -> impl IntoView {
    set_status(403);
    let who = crate::ui::session::current_user()
        .map(|u| u.email)
        .unwrap_or_default();
    view! {
        <Title text="You do not have access to this page" />
        <h1>"You do not have access to this page"</h1>
        <p>{format!("You are signed in as {who}, whose role does not include this page.")}</p>
        <p>"If you think you should have access, ask an admin of this service. "<a href="/account">"Go to your account"</a>"."</p>
    }
}

/// An address with its query: `path?k=v&…` with the non-empty values encoded, or `path`.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// A query value percent-encoded (everything but letters, digits and `-_.~`).
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The address of page `n` of a list at `base` (its path with the filters as its query):
/// page 1 is the list's own address, others add `page=N`; `fragment` (like `#register`)
/// goes last.
pub fn page_href(base: &str, n: usize, fragment: &str) -> String {
    let joiner = if base.contains('?') { '&' } else { '?' };
    if n <= 1 {
        format!("{base}{fragment}")
    } else {
        format!("{base}{joiner}page={n}{fragment}")
    }
}

/// The NHS.UK pagination component (previous and next links, each labelled with the page it
/// leads to) for a long list, with its filters kept: `base` is the list's address with its
/// filters (see `with_query`), `fragment` where the list starts on the page. Nothing when
/// the list fits on one page.
#[component]
pub fn Pagination(
    paging: crate::domain::paging::Paging,
    base: String,
    #[prop(optional, into)] fragment: String,
    /// Names the navigation landmark, such as "Pages of the audit log".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let pages = paging.pages;
    let previous = paging.previous().map(|n| {
        view! {
            <li class="nhsuk-pagination-item--previous">
                <a class="nhsuk-pagination__link nhsuk-pagination__link--prev" href=page_href(&base, n, &fragment) rel="prev">
                    <span class="nhsuk-pagination__title">"Previous"<span class="nhsuk-u-visually-hidden">" page"</span></span>
                    <span class="nhsuk-u-visually-hidden">": "</span>
                    <span class="nhsuk-pagination__page">{format!("Page {n} of {pages}")}</span>
                    <svg class="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                        <path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z" />
                    </svg>
                </a>
            </li>
        }
    });
    let next = paging.next().map(|n| {
        view! {
            <li class="nhsuk-pagination-item--next">
                <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href=page_href(&base, n, &fragment) rel="next">
                    <span class="nhsuk-pagination__title">"Next"<span class="nhsuk-u-visually-hidden">" page"</span></span>
                    <span class="nhsuk-u-visually-hidden">": "</span>
                    <span class="nhsuk-pagination__page">{format!("Page {n} of {pages}")}</span>
                    <svg class="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                        <path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z" />
                    </svg>
                </a>
            </li>
        }
    });
    (pages > 1).then(|| {
        view! {
            <nav class="nhsuk-pagination" role="navigation" aria-label=label>
                <ul class="nhsuk-list nhsuk-pagination__list">{previous}{next}</ul>
            </nav>
        }
    })
}

/// A cell of an NHS.UK responsive table (`nhsuk-table-responsive`, with `role="cell"`): on a
/// narrow screen each row becomes a card, and the cell shows its column's heading beside its
/// value. The heading is hidden from screen readers, which read the table's own headers.
pub fn rcell(heading: &str, numeric: bool, content: impl IntoView + 'static) -> impl IntoView {
    view! {
        <td role="cell" class=if numeric { "nhsuk-table__cell nhsuk-table__cell--numeric" } else { "nhsuk-table__cell" }>
            <span class="nhsuk-table-responsive__heading" aria-hidden="true">{format!("{heading} ")}</span>
            <span>{content}</span>
        </td>
    }
}

/// The row's header cell of an NHS.UK responsive table: like `rcell`, as `<th scope="row">`.
pub fn rhead(heading: &str, content: impl IntoView + 'static) -> impl IntoView {
    view! {
        <th role="rowheader" scope="row" class="nhsuk-table__header">
            <span class="nhsuk-table-responsive__heading" aria-hidden="true">{format!("{heading} ")}</span>
            <span>{content}</span>
        </th>
    }
}

/// A column's header of an NHS.UK responsive table.
pub fn rcol(heading: &str, numeric: bool) -> impl IntoView {
    view! {
        <th role="columnheader" scope="col" class=if numeric { "nhsuk-table__header nhsuk-table__header--numeric" } else { "nhsuk-table__header" }>
            {heading.to_string()}
        </th>
    }
}

/// A chart drawn on the server (an SVG document from `charts` or `hexmap`) in a figure. On a
/// narrow screen the chart keeps a width at which its text is at least 12 pixels, and the
/// figure scrolls sideways, with a hint that says so; it is named by the chart's title.
#[component]
pub fn ChartFigure(svg: String, #[prop(optional)] class: &'static str) -> impl IntoView {
    let title = svg
        .split_once("-title\">")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(t, _)| {
            t.replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
        })
        .unwrap_or_else(|| "Chart".to_string());
    view! {
        <figure class=format!("exemplar-figure-chart {class}")>
            <p class="nhsuk-body-s exemplar-chart-hint" aria-hidden="true">"Scroll sideways to see the whole chart."</p>
            <div class="exemplar-chart-scroll" tabindex="0" role="region" aria-label=title inner_html=svg></div>
        </figure>
    }
}

/// Organisations found in the register, as an NHS.UK responsive table, each with a button that
/// adds it: inside the page's own form (`post_to` none: the button posts that form with
/// `action=add:CODE`, so nothing typed is lost) or as a small form of its own posting
/// `action=add` and `ods_code` to `post_to`.
#[component]
pub fn FoundTable(
    caption: String,
    list: Vec<crate::domain::organisations::Found>,
    #[prop(optional)] post_to: Option<String>,
) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|f| {
            let hidden = view! { <span class="nhsuk-u-visually-hidden">{format!(" {} ({})", f.name, f.code)}</span> };
            let add = match &post_to {
                None => view! {
                    <button class="exemplar-link-button" type="submit" name="action" value=format!("add:{}", f.code)>"Add"{hidden}</button>
                }
                .into_any(),
                Some(path) => view! {
                    <form method="post" action=path.clone()>
                        <input type="hidden" name="action" value="add" />
                        <input type="hidden" name="ods_code" value=f.code.clone() />
                        <button class="exemplar-link-button" type="submit">"Add"{hidden}</button>
                    </form>
                }
                .into_any(),
            };
            let closed = f.closed.clone().map(|c| view! { <br /><strong class="nhsuk-tag nhsuk-tag--grey">{c}</strong> });
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rcell("ODS code", false, f.code.clone())}
                    {rhead("Name", view! { {f.name.clone()}{closed} })}
                    {rcell("Type", false, f.kind.clone())}
                    {rcell("Where", false, f.place.clone())}
                    {rcell("Action", false, add)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table role="table" class="nhsuk-table-responsive">
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
            <thead role="rowgroup" class="nhsuk-table__head">
                <tr role="row" class="nhsuk-table__row">
                    {rcol("ODS code", false)}
                    {rcol("Name", false)}
                    {rcol("Type", false)}
                    {rcol("Where", false)}
                    <th role="columnheader" scope="col" class="nhsuk-table__header"><span class="nhsuk-u-visually-hidden">"Action"</span></th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">{rows}</tbody>
        </table>
    }
}

/// The select of NHS England's regions and area teams of 2013 (`name="nhs"`): each region as
/// an option group, "All of" it first, then its area teams.
#[component]
pub fn NhsPlaceSelect(
    places: Vec<crate::domain::organisations::NhsPlace>,
    selected: Option<String>,
) -> impl IntoView {
    let is = |code: &str| selected.as_deref() == Some(code);
    let groups = places
        .iter()
        .filter(|p| p.region.is_none())
        .map(|r| {
            let teams = places
                .iter()
                .filter(|t| t.region.as_deref() == Some(r.code.as_str()))
                .map(|t| view! { <option value=t.code.clone() selected=is(&t.code)>{t.name.clone()}</option> })
                .collect_view();
            view! {
                <optgroup label=r.name.clone()>
                    <option value=r.code.clone() selected=is(&r.code)>{format!("All of {}", r.name)}</option>
                    {teams}
                </optgroup>
            }
        })
        .collect_view();
    view! {
        <div class="nhsuk-form-group exemplar-filter__item">
            <label class="nhsuk-label" for="nhs">"NHS England region or area team"</label>
            <select class="nhsuk-select" id="nhs" name="nhs">
                <option value="" selected=selected.is_none()>"All of them"</option>
                {groups}
            </select>
        </div>
    }
}

/// Text as a CSS string's content: quotes and backslashes escaped, `<` as an escape (so the
/// text can never close the `<style>` element it sits in), line breaks as spaces.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The foot of every printed page (`text`, such as what the figures are and their publication
/// status, with the page number): an `@page` rule of the page's own, for print only.
#[component]
pub fn PrintFoot(text: String) -> impl IntoView {
    let css = format!(
        "@media print {{ @page {{ @bottom-left {{ content: \"{}\"; font: 9pt Arial, sans-serif; color: #4c6272; }} @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); font: 9pt Arial, sans-serif; color: #4c6272; }} }} }}",
        css_string(&text)
    );
    view! { <style inner_html=css></style> }
}

/// A heading of `level` (2 to 4; others as 4) with `class`, for parts shown at different
/// depths of a page.
pub fn heading(level: u8, class: &'static str, text: String) -> AnyView {
    match level {
        2 => view! { <h2 class=class>{text}</h2> }.into_any(),
        3 => view! { <h3 class=class>{text}</h3> }.into_any(),
        _ => view! { <h4 class=class>{text}</h4> }.into_any(),
    }
}

#[cfg(test)]
mod print_tests {
    use super::css_string;

    #[test]
    fn a_name_cannot_break_out_of_the_css_string_or_the_style_element() {
        assert_eq!(
            css_string("St \"Mary's\" \\ </style><script>"),
            "St \\\"Mary's\\\" \\\\ \\3c /style\\3e \\3c script\\3e "
        );
        assert_eq!(css_string("one\ntwo"), "one two");
    }
}
