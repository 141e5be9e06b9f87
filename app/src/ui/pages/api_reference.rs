//! `/open-data/api`: the API reference, read on the server from the service's own OpenAPI
//! description (no third-party script): each operation with its parameters, a request to try
//! and its answers, then each response shape with its fields.

use crate::domain::api_reference::{ApiReference, Kind, Operation, Schema};
use crate::ui::components::error_page;
use crate::ui::data::api_reference;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiReferencePage() -> impl IntoView {
    view! {
        <Title text="API reference" />
        <Suspense fallback=|| view! { <p>"Loading the API reference…"</p> }>
            {move || Suspend::new(async move {
                match api_reference().await {
                    Ok(data) => view! { <Reference data /> }.into_any(),
                    Err(e) => error_page(e),
                }
            })}
        </Suspense>
    }
}

/// A type, linked to its shape below when it names one.
fn kind_view(k: &Kind) -> AnyView {
    match &k.schema {
        Some(s) => {
            let rest = k.text.replacen(s.as_str(), "", 1);
            let (before, after) = match k.text.find(s.as_str()) {
                Some(i) => (k.text[..i].to_string(), rest[i..].to_string()),
                None => (String::new(), rest),
            };
            view! { {before}<a href=format!("#schema-{s}")>{s.clone()}</a>{after} }.into_any()
        }
        None => k.text.clone().into_any(),
    }
}

/// A description as a sentence: a full stop added when it has none.
fn sentence(s: &str) -> String {
    match s.chars().last() {
        None => String::new(),
        Some('.' | '!' | '?') => s.to_string(),
        Some(_) => format!("{s}."),
    }
}

/// What an answer means, in words when the description gives none.
fn answer_text(status: &str, description: &str) -> String {
    if !description.is_empty() {
        return description.to_string();
    }
    match status {
        s if s.starts_with('2') => "Success".into(),
        "404" => "Not found".into(),
        _ => "An error".into(),
    }
}

#[component]
fn Reference(data: ApiReference) -> impl IntoView {
    let contents = data
        .operations
        .iter()
        .map(|o| {
            view! { <li><a href=format!("#{}", o.anchor)><code>{format!("{} {}", o.method, o.path)}</code></a></li> }
        })
        .collect_view();
    let operations = data
        .operations
        .into_iter()
        .map(|o| view! { <OperationView o /> })
        .collect_view();
    let schemas = data
        .schemas
        .into_iter()
        .map(|s| view! { <SchemaView s /> })
        .collect_view();
    view! {
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/open-data">"Open data"</a></li>
            </ol>
        </nav>
        <div class="exemplar-api">
        <h1>"API reference"</h1>
        <p class="nhsuk-lede-text">{data.description}</p>
        <p>
            "The API answers in JSON, needs no key and may be called from any web page. "
            "This page is written from the API's own description, "
            <a href="/api/v1/openapi.json">"OpenAPI 3 (JSON)"</a>
            {format!(", version {}", data.version)}
            ", which code generators and API tools can read."
        </p>
        <p>
            "An error is answered with its status and "<code>"{\"error\": {\"code\", \"message\"}}"</code>
            ": the code for programs, the message for people."
        </p>
        <h2>"Contents"</h2>
        <ul>{contents}<li><a href="#shapes">"Response shapes"</a></li></ul>
        {operations}
        <h2 id="shapes">"Response shapes"</h2>
        <p>"Every field an answer may hold. A field that is not required may be left out or be null."</p>
        {schemas}
        </div>
    }
}

#[component]
fn OperationView(o: Operation) -> impl IntoView {
    let title = format!("{} {}", o.method, o.path);
    let parameters = (!o.parameters.is_empty()).then(|| {
        let rows = o
            .parameters
            .iter()
            .map(|p| {
                let mut notes = vec![sentence(&p.description)];
                if let Some(pattern) = &p.pattern {
                    notes.push(format!("Must match {pattern}."));
                }
                if let Some(e) = &p.example {
                    notes.push(format!("For example {e}."));
                }
                view! {
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="row"><code>{p.name.clone()}</code></th>
                        <td class="nhsuk-table__cell">{if p.location == "path" { "In the path" } else { "In the query" }}</td>
                        <td class="nhsuk-table__cell">{if p.required { "Yes" } else { "No" }}</td>
                        <td class="nhsuk-table__cell">{kind_view(&p.kind)}</td>
                        <td class="nhsuk-table__cell">{notes.join(" ").trim().to_string()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label=format!("Parameters of {title}")>
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Parameters"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Name"</th>
                            <th class="nhsuk-table__header" scope="col">"Where"</th>
                            <th class="nhsuk-table__header" scope="col">"Required"</th>
                            <th class="nhsuk-table__header" scope="col">"Type"</th>
                            <th class="nhsuk-table__header" scope="col">"Meaning"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{rows}</tbody>
                </table>
            </div>
        }
    });
    let answers = o
        .responses
        .iter()
        .map(|a| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{a.status.clone()}</th>
                    <td class="nhsuk-table__cell">{answer_text(&a.status, &a.description)}</td>
                    <td class="nhsuk-table__cell">{a.body.as_ref().map(kind_view)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id=o.anchor.clone()><code>{title.clone()}</code></h2>
        <p>{o.summary}</p>
        {parameters}
        {o.example.map(|e| view! {
            <p>"Try it: "<a href=e.clone()><code>{e.clone()}</code></a></p>
        })}
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label=format!("Answers of {title}")>
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Answers"</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Status"</th>
                        <th class="nhsuk-table__header" scope="col">"When"</th>
                        <th class="nhsuk-table__header" scope="col">"Body"</th>
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{answers}</tbody>
            </table>
        </div>
    }
}

#[component]
fn SchemaView(s: Schema) -> impl IntoView {
    let rows = s
        .fields
        .iter()
        .map(|f| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row"><code>{f.name.clone()}</code></th>
                    <td class="nhsuk-table__cell">{kind_view(&f.kind)}</td>
                    <td class="nhsuk-table__cell">{if f.required { "Yes" } else { "No" }}</td>
                    <td class="nhsuk-table__cell">{f.description.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let name = s.name.clone();
    view! {
        <h3 id=format!("schema-{name}")>{name.clone()}</h3>
        {(!s.description.is_empty()).then(|| view! { <p>{s.description.clone()}</p> })}
        {if s.fields.is_empty() {
            view! { <p>"Any JSON object."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label=format!("Fields of {name}")>
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-table__caption--s">{format!("Fields of {name}")}</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="col">"Field"</th>
                                <th class="nhsuk-table__header" scope="col">"Type"</th>
                                <th class="nhsuk-table__header" scope="col">"Required"</th>
                                <th class="nhsuk-table__header" scope="col">"Meaning"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
