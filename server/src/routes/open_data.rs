//! Open data: every published figure as CSV and JSON downloads under `/open-data/`.

use super::api::ApiError;
use app::domain::open_data::{self, Field};
use app::domain::table::Table;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open-data/{file}", get(download))
        .route("/publications.atom", get(feed))
        .layer(super::open_to_any_origin())
}

/// Downloads, each as `.csv`, `.json` and `.ods` (a spreadsheet with the field dictionary):
/// `/open-data/scores-YYYY-Qn` (current figures of a published quarter),
/// `/open-data/scores-YYYY-Qn-rN` (revision N; 0 is as first published), `/open-data/values`
/// (the values behind the published quarters), `/open-data/trusts` (the trust EPR register,
/// with its public remediation plans), `/open-data/benefits` (benefits as of the latest
/// published quarter) and `/open-data/members` (candidate economies' member organisations,
/// by ODS code); and `/open-data/datapackage.json`, the Frictionless description of them.
async fn download(State(state): State<AppState>, Path(file): Path<String>) -> Response<Body> {
    match serve_download(&state, &file).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
    Ods,
}

/// One download: its JSON, and the table with its fields for CSV and the spreadsheet.
struct Download {
    json: serde_json::Value,
    table: Table,
    fields: Vec<Field>,
    sheet: String,
}

async fn serve_download(state: &AppState, file: &str) -> Result<Response<Body>, ApiError> {
    if file == "datapackage.json" {
        return data_package(state).await;
    }
    let (stem, format) = match file.rsplit_once('.') {
        Some((s, "csv")) => (s, Format::Csv),
        Some((s, "json")) => (s, Format::Json),
        Some((s, "ods")) => (s, Format::Ods),
        _ => return Err(ApiError::not_found("no such download")),
    };
    let d = match stem {
        "benefits" => {
            let out = app::benefits::published_benefits(&state.pool, None)
                .await?
                .ok_or_else(|| ApiError::not_found("no quarter is published yet"))?;
            Download {
                table: app::benefits::benefits_table(&out),
                json: serde_json::to_value(&out).expect("serialises"),
                fields: open_data::BENEFITS.fields(),
                sheet: format!("Benefits {}", out.as_of),
            }
        }
        "members" => {
            let rows = app::organisations::open_members(&state.pool).await?;
            Download {
                table: app::organisations::open_members_table(&rows),
                json: serde_json::json!({"members": rows}),
                fields: open_data::MEMBERS.fields(),
                sheet: "Members".into(),
            }
        }
        "trusts" => {
            let rows = app::trusts::open_register(&state.pool, state.today()).await?;
            Download {
                table: app::trusts::open_register_table(&rows),
                json: serde_json::json!({"as_of": state.today(), "trusts": rows}),
                fields: open_data::TRUSTS.fields(),
                sheet: "Trusts".into(),
            }
        }
        "values" => {
            let values = app::service::published_values(&state.pool).await?;
            let mut table = Table::new(open_data::VALUES.columns());
            for v in &values {
                table.push(
                    [&v.economy, &v.period, &v.criterion, &v.value, &v.status].map(String::clone),
                );
            }
            Download {
                table,
                json: serde_json::json!({"values": values}),
                fields: open_data::VALUES.fields(),
                sheet: "Values".into(),
            }
        }
        _ => scores_download(state, stem).await?,
    };
    let name = |ext: &str| {
        if stem.starts_with("scores-") {
            format!("exemplar-{stem}.{ext}")
        } else {
            format!("{stem}.{ext}")
        }
    };
    Ok(match format {
        Format::Json => attachment(
            &name("json"),
            "application/json",
            d.json.to_string().into_bytes(),
        ),
        Format::Csv => attachment(
            &name("csv"),
            "text/csv; charset=utf-8",
            crate::kit::csv_for_spreadsheets(d.table.csv()).into_bytes(),
        ),
        Format::Ods => attachment(
            &name("ods"),
            "application/vnd.oasis.opendocument.spreadsheet",
            crate::spreadsheet::ods(&d.sheet, &d.table, &d.fields),
        ),
    })
}

/// `scores-YYYY-Qn` or `scores-YYYY-Qn-rN`.
async fn scores_download(state: &AppState, stem: &str) -> Result<Download, ApiError> {
    let rest = stem
        .strip_prefix("scores-")
        .ok_or_else(|| ApiError::not_found("no such download"))?;
    let (quarter, revision) = match rest.split_once("-r") {
        Some((q, n)) => (
            q,
            Some(
                n.parse::<i64>()
                    .map_err(|_| ApiError::not_found("no such download"))?,
            ),
        ),
        None => (rest, None),
    };
    let q = quarter
        .parse::<app::domain::Quarter>()
        .map_err(|_| ApiError::not_found("no such download"))?;
    let published = match revision {
        Some(n) => app::service::publication_revision(&state.pool, q, n).await?,
        None => app::service::published_scores(&state.pool, Some(q)).await?,
    }
    .ok_or_else(|| ApiError::not_published(q))?;
    let table = app::domain::scoring::scores_table(&published.scores);
    let names = theme_names(state).await?;
    let mut fields = open_data::SCORES.fields();
    for h in &table.header {
        if let Some(code) = h.strip_prefix("theme:") {
            let name = names.get(code).map_or(code, String::as_str);
            fields.push(open_data::theme_field(code, name));
        }
    }
    Ok(Download {
        table,
        json: serde_json::to_value(&published).expect("serialises"),
        fields,
        sheet: match revision {
            Some(n) => format!("Scores {q} revision {n}"),
            None => format!("Scores {q}"),
        },
    })
}

/// The active framework's theme names by code (a theme no longer in it is named by its code).
async fn theme_names(
    state: &AppState,
) -> Result<std::collections::HashMap<String, String>, ApiError> {
    let fw = app::service::active_framework(&state.pool).await?.framework;
    Ok(fw
        .themes
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect())
}

/// `/open-data/datapackage.json`: the Frictionless Data Package of the files, the scores
/// file being the latest published quarter's with its theme columns.
async fn data_package(state: &AppState) -> Result<Response<Body>, ApiError> {
    let latest = app::service::published_scores(&state.pool, None).await?;
    let names = theme_names(state).await?;
    let latest = latest.and_then(|p| {
        let table = app::domain::scoring::scores_table(&p.scores);
        let themes: Vec<(String, String)> = table
            .header
            .iter()
            .filter_map(|h| h.strip_prefix("theme:"))
            .map(|c| {
                (
                    c.to_string(),
                    names.get(c).cloned().unwrap_or_else(|| c.to_string()),
                )
            })
            .collect();
        Some((p.scores.as_of?.to_string(), themes))
    });
    let package = open_data::data_package(
        state.public_url.as_str(),
        latest.as_ref().map(|(q, t)| (q.as_str(), t.as_slice())),
    );
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string_pretty(&package).expect("serialises"),
    )
        .into_response())
}

fn attachment(name: &str, content_type: &str, body: Vec<u8>) -> Response<Body> {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `/publications.atom`: every publication and revision as an Atom feed (RFC 4287), the latest
/// first, each linking the ranking as of its quarter and that revision's downloads, a
/// revision saying why. A feed reader or data.gov.uk's harvester follows the figures with it.
async fn feed(State(state): State<AppState>) -> Response<Body> {
    match publications_feed(&state).await {
        Ok(xml) => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn publications_feed(state: &AppState) -> Result<String, ApiError> {
    use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
    let events = app::service::publication_events(&state.pool).await?;
    let base = state.public_url.as_str();
    let link = |href: String, rel: &str, mime: &str, title: &str| {
        let mut l = Link::default();
        l.set_href(href);
        l.set_rel(rel);
        l.set_mime_type(Some(mime.to_string()));
        l.set_title(Some(title.to_string()));
        l
    };
    let at = |s: &str| FixedDateTime::parse_from_rfc3339(s).ok();
    let entries: Vec<Entry> = events
        .iter()
        .filter_map(|e| {
            let q: app::domain::Quarter = e.period.parse().ok()?;
            let when = at(&e.published_at)?;
            let label = q.label();
            let file = format!("{base}/open-data/scores-{q}-r{}", e.revision);
            let (title, summary) = if e.revision == 0 {
                (
                    format!("Scores for {label} published"),
                    format!(
                        "The scores of every candidate economy for {label} ({q}) are published."
                    ),
                )
            } else {
                (
                    format!("Scores for {label} revised (revision {})", e.revision),
                    format!(
                        "The published scores for {label} ({q}) are revised: {}",
                        e.reason.as_deref().unwrap_or("no reason was recorded.")
                    ),
                )
            };
            let mut entry = Entry::default();
            entry.set_id(format!("{file}.json"));
            entry.set_title(Text::plain(title));
            entry.set_updated(when);
            entry.set_published(Some(when));
            entry.set_summary(Some(Text::plain(summary)));
            entry.set_links(vec![
                link(
                    format!("{base}/economies?as_of={q}"),
                    "alternate",
                    "text/html",
                    "The ranking",
                ),
                link(
                    format!("{file}.csv"),
                    "alternate",
                    "text/csv",
                    "The scores as CSV",
                ),
                link(
                    format!("{file}.json"),
                    "alternate",
                    "application/json",
                    "The scores as JSON",
                ),
            ]);
            Some(entry)
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_id(format!("{base}/publications.atom"));
    feed.set_title(Text::plain("Exemplar: publications of scores"));
    feed.set_subtitle(Some(Text::plain(
        "Each quarter's published scores of the candidate economies for the NHS exemplar of interoperability, and every revision of them with its reason.",
    )));
    // The latest publication, or, with none yet, now.
    feed.set_updated(
        entries
            .first()
            .map(|e| *e.updated())
            .unwrap_or_else(|| chrono::Utc::now().fixed_offset()),
    );
    let mut author = Person::default();
    author.set_name("NHS Commissioning Board");
    feed.set_authors(vec![author]);
    feed.set_rights(Some(Text::plain(
        "Open Government Licence v3.0: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    )));
    feed.set_links(vec![
        link(
            format!("{base}/publications.atom"),
            "self",
            "application/atom+xml",
            "This feed",
        ),
        link(
            format!("{base}/open-data"),
            "alternate",
            "text/html",
            "Open data",
        ),
    ]);
    feed.set_entries(entries);
    Ok(feed.to_string())
}
