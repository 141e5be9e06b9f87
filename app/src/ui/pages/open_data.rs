//! `/open-data`: downloads of every published figure and version, the values behind them,
//! a field dictionary, the licence, and the API.

use crate::domain::open_data::{self as files, Dataset};
use crate::ui::components::error_page;
use crate::ui::data::{open_data, OpenDataView};
use crate::ui::format::long_date;
use leptos::prelude::*;
use leptos_meta::{Link, Title};

#[component]
pub fn OpenDataPage() -> impl IntoView {
    view! {
        <Title text="Open data" />
        <Link rel="alternate" type_="application/atom+xml" title="Publications of scores" href="/publications.atom" />
        <Suspense fallback=|| view! { <p>"Loading downloads…"</p> }>
            {move || Suspend::new(async move {
                match open_data().await {
                    Ok(data) => view! { <OpenData data /> }.into_any(),
                    Err(e) => error_page(e),
                }
            })}
        </Suspense>
    }
}

/// One file's fields as a summary list (it stacks on a phone), under an NHS.UK details
/// component (closed: the page stays short; the dictionary is also the spreadsheets' "Fields"
/// sheet and the data package).
#[component]
fn FieldTable(dataset: &'static Dataset) -> impl IntoView {
    let rows = dataset
        .fields()
        .into_iter()
        .map(|f| {
            let kind = match f.unit {
                Some(unit) => format!("{}, {unit}", f.kind.name()),
                None => f.kind.name().to_string(),
            };
            view! {
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key"><code>{f.name}</code></dt>
                    <dd class="nhsuk-summary-list__value">
                        {f.description}
                        <br />
                        <span class="nhsuk-body-s">{format!("Type: {kind}")}</span>
                    </dd>
                </div>
            }
        })
        .collect_view();
    let title = dataset.title;
    view! {
        <details class="nhsuk-details">
            <summary class="nhsuk-details__summary">
                <span class="nhsuk-details__summary-text">{format!("Fields: {title}")}</span>
            </summary>
            <div class="nhsuk-details__text">
                <dl class="nhsuk-summary-list">{rows}</dl>
            </div>
        </details>
    }
}

/// CSV, spreadsheet and JSON links of one file.
#[component]
fn Formats(stem: String, label: String) -> impl IntoView {
    let link = |ext: &str, name: &str| {
        view! {
            <li>
                <a href=format!("/open-data/{stem}.{ext}")>{format!("{label} ({name})")}</a>
            </li>
        }
    };
    view! {
        <ul>
            {link("csv", "CSV")}
            {link("ods", "spreadsheet, ODS")}
            {link("json", "JSON")}
        </ul>
    }
}

#[component]
fn OpenData(data: OpenDataView) -> impl IntoView {
    let rows = data
        .versions
        .iter()
        .rev()
        .map(|v| {
            let (q, n) = (&v.quarter, v.revision);
            let stem = format!("scores-{q}-r{n}");
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{q.clone()}</th>
                    <td class="nhsuk-table__cell">
                        {if n == 0 { "As first published".to_string() } else { format!("Revision {n}") }}
                        {v.reason.clone().map(|r| view! { <br /><span class="nhsuk-body-s">{r}</span> })}
                    </td>
                    <td class="nhsuk-table__cell">{long_date(v.published_on)}</td>
                    <td class="nhsuk-table__cell">{format!("{} version {}", v.framework_code, v.framework_version)}</td>
                    <td class="nhsuk-table__cell">
                        <a href=format!("/open-data/{stem}.csv")>"CSV"<span class="nhsuk-u-visually-hidden">{format!(" for {q}, version {n}")}</span></a>
                        " · "
                        <a href=format!("/open-data/{stem}.ods")>"ODS"<span class="nhsuk-u-visually-hidden">{format!(" for {q}, version {n}")}</span></a>
                        " · "
                        <a href=format!("/open-data/{stem}.json")>"JSON"<span class="nhsuk-u-visually-hidden">{format!(" for {q}, version {n}")}</span></a>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let latest = data.versions.last().map(|v| v.quarter.clone());
    let described = crate::domain::public::dataset_json_ld(&data);
    view! {
        // For search engines and catalogue harvesters (data.gov.uk): a data block, never run.
        <script type="application/ld+json" inner_html=described></script>
        <h1>"Open data"</h1>
        <p class="nhsuk-lede-text">"Every published figure can be downloaded and checked. Figures are unrounded; the pages round them to one decimal place."</p>
        <p>
            "To hear of each publication and revision, follow the "
            <a href="/publications.atom">"feed of publications (Atom)"</a>
            " in a feed reader."
        </p>
        {match latest {
            None => view! { <p>"No quarter has been published yet, so there is nothing to download."</p> }.into_any(),
            Some(q) => view! {
                <h2>"Latest published scores"</h2>
                <Formats stem=format!("scores-{q}") label=format!("Scores for {q}") />
                <FieldTable dataset=&files::SCORES />
                <p>
                    "Themes of the active framework: "
                    {data.themes.iter().map(|(c, n)| format!("{c} ({n})")).collect::<Vec<_>>().join("; ")}
                    ". "<a href="/how-scores-work">"How scores work"</a>" explains the method."
                </p>
                <h2>"Values behind the published scores"</h2>
                <p>"Every value reported by a candidate economy for a published quarter, with its status: submitted, verified by the board, or rejected (returned to the economy). Statuses are as they are today, so a value verified after publication shows as verified."</p>
                <Formats stem="values".to_string() label="Values".to_string() />
                <FieldTable dataset=&files::VALUES />
                <h2>"Every published version"</h2>
                <p>"Published figures are fixed. A correction is published as a revision with its date and reason, and every earlier version stays here."</p>
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Every published version">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Published quarters and their revisions"</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="col">"Quarter"</th>
                                <th class="nhsuk-table__header" scope="col">"Version"</th>
                                <th class="nhsuk-table__header" scope="col">"Published"</th>
                                <th class="nhsuk-table__header" scope="col">"Framework"</th>
                                <th class="nhsuk-table__header" scope="col">"Download"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
            }.into_any(),
        }}
        <h2>"Benefits"</h2>
        <p>"For each outcome measure and economy, as of the latest published quarter: the baseline (the first quarter with a value the board has not rejected), the current value, the change, whether it is an improvement, and the economy's published overall score and stage. Any published quarter is in the API: "<code>"/api/v1/benefits?as_of=YYYY-Qn"</code>"."</p>
        <Formats stem="benefits".to_string() label="Benefits".to_string() />
        <FieldTable dataset=&files::BENEFITS />
        <h2>"The trust EPR register"</h2>
        <p>"Every trust's electronic patient record status, its compliance with the deadline as of today, and any remediation plan the board has made public."</p>
        <Formats stem="trusts".to_string() label="Trust register".to_string() />
        <FieldTable dataset=&files::TRUSTS />
        <h2>"Member organisations"</h2>
        <p>"Each candidate economy's member organisations: its NHS trusts, clinical commissioning groups (CCGs) and GP practices by their ODS codes (the codes of the NHS's Organisation Data Service), with each one's CCG and NHS England area team, and its social care partners by name. Wherever an organisation appears in these files and the API, its ODS code is given: "<code>"code"</code>" in the trust register, "<code>"ods_code"</code>" here."</p>
        <Formats stem="members".to_string() label="Member organisations".to_string() />
        <FieldTable dataset=&files::MEMBERS />
        <ul>
            <li><a href="/api/v1/organisations?q=leeds"><code>"GET /api/v1/organisations?q="</code></a>" – search the NHS organisations of 2013 to 2015 by name or ODS code"</li>
        </ul>
        <p>"The organisations' names, codes and structure come from the register of NHS organisations 2013 to 2015, which contains public sector information licensed under the Open Government Licence v3.0: Office for National Statistics; NHS Digital (Organisation Data Service); NHS Business Services Authority."</p>
        <h2>"Formats"</h2>
        <p>"Every file comes as CSV (UTF-8 with a byte-order mark, so spreadsheet programs show names with accents and curly quotes correctly), as an OpenDocument spreadsheet (ODS, the UK government's open standard for tables: numbers, dates and yes or no are held as such, and a second sheet lists the fields), and as JSON."</p>
        <p>"In CSV files an empty cell means no value. Text that a spreadsheet could mistake for a formula starts with an apostrophe."</p>
        <p>
            "Data tools can read every file's fields, types, units and keys from the "
            <a href="/open-data/datapackage.json">"data package (Frictionless Data Package, JSON)"</a>
            "."
        </p>
        <h2>"Application programming interface (API)"</h2>
        <p>"The same figures are available as JSON. The API is read-only and needs no key."</p>
        <ul>
            <li><a href="/api/v1/scores"><code>"GET /api/v1/scores"</code></a>" – the latest published quarter; add "<code>"?as_of=YYYY-Qn"</code>" for another"</li>
            <li><a href="/api/v1/economies"><code>"GET /api/v1/economies"</code></a>" – every candidate economy; "<code>"/api/v1/economies/{slug}"</code>" for one, with its scores in every published quarter"</li>
            <li><a href="/api/v1/frameworks/active"><code>"GET /api/v1/frameworks/active"</code></a>" – the active framework: themes, criteria, weights and milestones"</li>
            <li><a href="/api/v1/openapi.json"><code>"GET /api/v1/openapi.json"</code></a>" – the OpenAPI 3 description of the whole API"</li>
        </ul>
        <p><a href="/open-data/api">"The API reference"</a>": every request, its parameters and answers, and the fields of each answer."</p>
        <h2>"Licence"</h2>
        <p>
            "These data are available under the "
            <a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/">"Open Government Licence v3.0"</a>
            ". You may copy, publish, adapt and exploit them, commercially or not, as long as you acknowledge the source: "
            <q>"Contains public sector information licensed under the Open Government Licence v3.0. Source: NHS England, Exemplar."</q>
        </p>
    }
}
