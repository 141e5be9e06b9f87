//! The form kit every HTML form handler shares: reading a form (urlencoded, with repeated
//! names, or multipart with its files), the page again with its problems or a notice,
//! post/redirect/get, the bare status and error pages, and the client's address. It imports
//! no other module of this crate, so every router can use it.

use app::domain::account::{CurrentUser, Role};
use app::shell;
use app::state::AppState;
use app::submissions::{Upload, MAX_DOCUMENT};
use app::ui::session::{Forbidden, FormState};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, request::Parts, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use std::collections::HashMap;
use std::net::SocketAddr;

pub type Fields = HashMap<String, String>;

/// The largest values file accepted through the web.
pub const CSV_LIMIT: usize = 20 * 1024 * 1024;

/// An empty body with a status, for places that need no page.
pub fn status(code: StatusCode) -> Response {
    (code, Body::empty()).into_response()
}

/// The styled 500 page, for handlers whose failure is already logged.
pub fn error_response() -> Response<Body> {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        include_str!("panic.html"),
    )
        .into_response()
}

/// Renders the app for `parts` (its path and extensions: who is signed in) with a form's
/// state, or the forbidden view.
pub async fn render(
    state: &AppState,
    mut parts: Parts,
    form: FormState,
    forbidden: bool,
) -> Response {
    parts.method = axum::http::Method::GET;
    let app_state = state.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(app_state.clone());
            provide_context(form.clone());
            if forbidden {
                provide_context(Forbidden);
            }
        },
        {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        },
    );
    handler(Request::from_parts(parts, Body::empty())).await
}

/// The form again, with its problems (422) or a notice (200).
pub async fn again(state: &AppState, parts: Parts, form: FormState) -> Response {
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(state, parts, form, false).await;
    *res.status_mut() = status;
    res
}

/// Values to show again: every field but passwords, codes and secrets the page makes anew.
pub fn keep(fields: &Fields) -> Fields {
    fields
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "password" | "confirm" | "current" | "code"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The request log's span (`crate::web`), in the request's extensions for the layers inside
/// to add to (who asked): the span current there may be a layer's own.
#[derive(Clone)]
pub struct RequestSpan(pub tracing::Span);

/// A CSV download's body as spreadsheets read it: with a UTF-8 byte-order mark, without which
/// Excel takes the file for the local code page and garbles names such as "Guy's" written
/// with a curly apostrophe. (The command line's `--format csv` stays without one; imports
/// accept either.)
pub fn csv_for_spreadsheets(csv: String) -> String {
    let mut out = String::with_capacity(csv.len() + 3);
    out.push('\u{feff}');
    out.push_str(&csv);
    out
}

pub fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// The client's address, for the per-address limits and the audit log: the connection's, or
/// behind a trusted reverse proxy the last `X-Forwarded-For` entry (the one the proxy
/// appended).
pub fn address(state: &AppState, parts: &Parts) -> String {
    if state.trust_proxy {
        if let Some(last) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            return last.to_string();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Reads an urlencoded form body (at most 64 KB).
pub async fn read_form(body: Body) -> Result<Fields, Response> {
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map_err(|_| status(StatusCode::PAYLOAD_TOO_LARGE))?;
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .map(|pairs| pairs.into_iter().collect())
        .map_err(|_| status(StatusCode::BAD_REQUEST))
}

/// A form's fields in order, repeated names kept (`key` for each value selected).
pub async fn read_pairs(body: Body) -> Result<Vec<(String, String)>, Response> {
    let bytes = axum::body::to_bytes(body, 256 * 1024)
        .await
        .map_err(|_| status(StatusCode::PAYLOAD_TOO_LARGE))?;
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .map_err(|_| status(StatusCode::BAD_REQUEST))
}

pub fn first(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub async fn shown_again(
    state: &AppState,
    mut parts: axum::http::request::Parts,
    back: &str,
    errors: Vec<(String, String)>,
    values: std::collections::HashMap<String, String>,
) -> Response {
    if let Ok(uri) = back.parse() {
        parts.uri = uri;
    }
    again(
        state,
        parts,
        FormState {
            errors,
            values,
            ..FormState::default()
        },
    )
    .await
}

/// A form's text fields and its files (field name, file name, content; content cut at one
/// byte over the document limit, which is enough to say it is too large).
pub struct Posted {
    pub fields: Fields,
    pub files: Vec<(String, String, Vec<u8>)>,
}

/// Reads a multipart form; `Err` is the message for a body that could not be read.
pub async fn read_multipart(
    parts: &Parts,
    body: Body,
    limit: u64,
) -> Result<Posted, (StatusCode, String)> {
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(|| {
            (
                StatusCode::BAD_REQUEST,
                "The form was not sent as a file upload (multipart/form-data)".to_string(),
            )
        })?;
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit));
    let mut mp =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let mut posted = Posted {
        fields: Fields::new(),
        files: Vec::new(),
    };
    let too_large = |e: multer::Error| {
        match e {
        multer::Error::StreamSizeExceeded { .. } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The form and its files together were larger than {} MB: send fewer documents at a time",
                limit / (1024 * 1024)
            ),
        ),
        _ => (
            StatusCode::BAD_REQUEST,
            "The form could not be read: try again".to_string(),
        ),
    }
    };
    while let Some(mut field) = mp.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(clean_name) {
            Some(file_name) => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(too_large)? {
                    let room = (MAX_DOCUMENT + 1).max(CSV_LIMIT + 1) - bytes.len();
                    bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if chunk.len() >= room {
                        break;
                    }
                }
                // A file input left empty still sends a part, with no name and no content.
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                posted.files.push((name, file_name, bytes));
            }
            None => {
                let text = field.text().await.map_err(too_large)?;
                posted.fields.insert(name, text);
            }
        }
    }
    Ok(posted)
}

/// A form sent either way: as a file upload (multipart, with at most one evidence document)
/// or as a plain form.
pub async fn read_any_form(parts: &Parts, body: Body) -> Result<Posted, Response> {
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if multipart {
        read_multipart(parts, body, (MAX_DOCUMENT as u64) * 2)
            .await
            .map_err(|(code, message)| (code, message).into_response())
    } else {
        read_form(body).await.map(|fields| Posted {
            fields,
            files: Vec::new(),
        })
    }
}

/// The document sent as `file-CODE` with a trust's EPR status, if any.
pub fn trust_upload(posted: &mut Posted, code: &str) -> Option<Upload> {
    let field = app::domain::submission::file_field(code);
    let at = posted
        .files
        .iter()
        .position(|(name, _, _)| *name == field)?;
    let (_, name, bytes) = posted.files.swap_remove(at);
    Some(Upload {
        code: code.to_string(),
        name,
        bytes,
    })
}

/// A trust form's fields to show again, with the document it kept.
pub fn trust_form_again(
    fields: &Fields,
    errors: Vec<(String, String)>,
    kept: Vec<(String, String)>,
) -> FormState {
    // `keep` drops "code" (a one-time code elsewhere); here it is the trust's ODS code.
    let mut values = keep(fields);
    if let Some(code) = fields.get("code") {
        values.insert("code".to_string(), code.clone());
    }
    for (code, k) in kept {
        values.insert(app::domain::submission::kept_field(&code), k);
    }
    FormState {
        errors,
        values,
        ..FormState::default()
    }
}

/// A file's name as given, without any folder, control characters or quotes.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    base.chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The economy a submitter acts for; `None` for anyone else (their posts and downloads of an
/// economy's own things are refused).
pub fn own_economy(user: &CurrentUser) -> Option<app::domain::Slug> {
    (user.role == Role::Submitter)
        .then(|| user.economy.clone())
        .flatten()
}

/// A limit on a form anyone can post, per address: `None` to go on, or the refusal (429).
pub async fn form_limit(
    state: &AppState,
    parts: Parts,
    fields: &Fields,
    form: &str,
    field: &'static str,
) -> Result<Parts, Response> {
    let key = app::throttle::form_key(form, &address(state, &parts));
    match app::throttle::claim(
        &state.pool,
        &key,
        app::throttle::FORMS,
        app::auth::unix_now(),
    )
    .await
    {
        Ok(app::throttle::Claim::Granted { .. }) => Ok(parts),
        Ok(app::throttle::Claim::Wait(wait)) => {
            let message = format!(
                "This form has been sent too many times from your network. Wait {} and try again",
                app::throttle::wait_words(wait)
            );
            let mut fields = fields.clone();
            fields.remove("code");
            let form = FormState::error(field, message).with_values(keep(&fields));
            let mut res = render(state, parts, form, false).await;
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            res.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_str(&wait.to_string()).expect("digits"),
            );
            Err(res)
        }
        Err(e) => {
            tracing::error!(error = %e, "form limit failed");
            Err(error_response())
        }
    }
}

/// A path as the log may show it: one-time tokens in it are replaced.
pub fn loggable_path(path: &str) -> String {
    for prefix in ["/invitations/", "/enrol/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            return format!("{prefix}{{token}}{tail}");
        }
    }
    path.to_string()
}

/// A query-string value, percent-encoded.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form's fields in order with repeated names kept (`key` for each value selected), read
/// as an extractor: 413 over 256 KB, 400 when it does not parse.
pub struct Pairs(pub Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Pairs {
    type Rejection = Response;

    async fn from_request(req: Request<Body>, _: &S) -> Result<Self, Response> {
        read_pairs(req.into_body()).await.map(Pairs)
    }
}

impl Pairs {
    /// The first value of `name`, or "".
    pub fn first(&self, name: &str) -> String {
        first(&self.0, name)
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The values to show again with the form's problems (see [`keep`]).
    pub fn kept(&self) -> Fields {
        keep(&self.0.iter().cloned().collect())
    }
}

/// An urlencoded form as a map, read as an extractor: 413 over 64 KB, 400 when it does not
/// parse.
pub struct FormFields(pub Fields);

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormFields {
    type Rejection = Response;

    async fn from_request(req: Request<Body>, _: &S) -> Result<Self, Response> {
        read_form(req.into_body()).await.map(FormFields)
    }
}
