//! Open data: every published figure as CSV and JSON downloads under `/open-data/`.

use super::api::ApiError;
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

/// Downloads: `/open-data/scores-YYYY-Qn.csv|json` (current figures of a published quarter),
/// `/open-data/scores-YYYY-Qn-rN.csv|json` (revision N; 0 is as first published) and
/// `/open-data/values.csv|json` (the values behind the published quarters) and
/// `/open-data/trusts.csv|json` (the trust EPR register, with its public remediation plans)
/// and `/open-data/benefits.csv|json` (benefits as of the latest published quarter) and
/// `/open-data/members.csv|json` (candidate economies' member organisations, by ODS code).
async fn download(State(state): State<AppState>, Path(file): Path<String>) -> Response<Body> {
    match serve_download(&state, &file).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn serve_download(
    state: &AppState,
    file: &str,
) -> Result<Response<Body>, super::api::ApiError> {
    let (stem, json) = match (file.strip_suffix(".csv"), file.strip_suffix(".json")) {
        (Some(s), _) => (s, false),
        (_, Some(s)) => (s, true),
        _ => return Err(ApiError::not_found("no such download")),
    };
    if stem == "benefits" {
        let out = app::benefits::published_benefits(&state.pool, None)
            .await?
            .ok_or_else(|| ApiError::not_found("no quarter is published yet"))?;
        if json {
            return Ok(attachment(
                "benefits.json",
                "application/json",
                serde_json::to_string(&out).expect("serialises"),
            ));
        }
        return Ok(attachment(
            "benefits.csv",
            "text/csv; charset=utf-8",
            app::benefits::benefits_csv(&out),
        ));
    }
    if stem == "members" {
        let rows = app::organisations::open_members(&state.pool).await?;
        if json {
            return Ok(attachment(
                "members.json",
                "application/json",
                serde_json::json!({"members": rows}).to_string(),
            ));
        }
        return Ok(attachment(
            "members.csv",
            "text/csv; charset=utf-8",
            app::organisations::open_members_csv(&rows),
        ));
    }
    if stem == "trusts" {
        let rows = app::trusts::open_register(&state.pool, state.today()).await?;
        if json {
            return Ok(attachment(
                "trusts.json",
                "application/json",
                serde_json::json!({"as_of": state.today(), "trusts": rows}).to_string(),
            ));
        }
        return Ok(attachment(
            "trusts.csv",
            "text/csv; charset=utf-8",
            app::trusts::open_register_csv(&rows),
        ));
    }
    if stem == "values" {
        let values = app::service::published_values(&state.pool).await?;
        if json {
            return Ok(attachment(
                "values.json",
                "application/json",
                serde_json::json!({"values": values}).to_string(),
            ));
        }
        let mut csv = String::from("economy,period,criterion,value,status\n");
        for v in values {
            let cells = [v.economy, v.period, v.criterion, v.value, v.status];
            app::domain::scoring::push_safe_csv_line(&mut csv, &cells);
        }
        return Ok(attachment("values.csv", "text/csv; charset=utf-8", csv));
    }
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
    let name = format!("exemplar-scores-{file}");
    if json {
        return Ok(attachment(
            &name,
            "application/json",
            serde_json::to_string(&published).expect("serialises"),
        ));
    }
    Ok(attachment(
        &name,
        "text/csv; charset=utf-8",
        app::domain::scoring::scores_csv_download(&published.scores),
    ))
}

fn attachment(name: &str, content_type: &str, body: String) -> Response<Body> {
    let body = if content_type.starts_with("text/csv") {
        crate::kit::csv_for_spreadsheets(body)
    } else {
        body
    };
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
