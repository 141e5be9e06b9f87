//! How a form post ends, written once. A handler returns a [`Reply`] (it implements
//! `IntoResponse`): the page again with the form's problems or a notice, back to a page with a
//! one-time notice (post/redirect/get), or an internal failure. Rendering the page again
//! needs the request the form came with, so the [`replies`] layer in front of every form
//! route keeps it and turns the reply into the response; internal failures are logged there,
//! once, with the path.
//!
//! A command's [`Rejection`] becomes a reply with [`OrBack::or_back`]: problems by field on
//! the form with its values kept, a refusal as "Not done: …" on the page it came from, a
//! database failure as the error page.

use crate::kit::{again, error_response, Fields};
use crate::session::FLASH;
use app::error::Rejection;
use app::state::AppState;
use app::ui::session::FormState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// How a form post ends (boxed: it travels in `Result::Err` through every handler).
pub struct Reply(Box<Kind>);

enum Kind {
    /// The page again (the one posted to, or `page`) with the form's state: 422 with
    /// problems, 200 with a notice, or `status`.
    Again {
        page: Option<String>,
        form: FormState,
        status: Option<StatusCode>,
        headers: HeaderMap,
    },
    /// A notice for the next page, and `303` to `to`.
    Back { to: String, notice: String },
    /// A failure with nothing a person can do: logged, and the error page.
    Internal(String),
    /// A response made already (a bare status, a download).
    Plain(Response),
}

impl Reply {
    /// The posted page again with this form state.
    pub fn again(form: FormState) -> Self {
        Reply(Box::new(Kind::Again {
            page: None,
            form,
            status: None,
            headers: HeaderMap::new(),
        }))
    }

    /// Another page (where the form is shown) with this form state.
    pub fn again_at(page: &str, form: FormState) -> Self {
        Reply(Box::new(Kind::Again {
            page: Some(page.to_string()),
            form,
            status: None,
            headers: HeaderMap::new(),
        }))
    }

    /// A notice, then the page at `to`.
    pub fn back(to: &str, notice: impl Into<String>) -> Self {
        Reply(Box::new(Kind::Back {
            to: to.to_string(),
            notice: notice.into(),
        }))
    }

    /// The same page with another status (403 for a refusal shown on the form, 429 …).
    pub fn with_status(mut self, code: StatusCode) -> Self {
        if let Kind::Again { status, .. } = &mut *self.0 {
            *status = Some(code);
        }
        self
    }

    /// The form shown on another page than the one posted to.
    pub fn at(mut self, to: &str) -> Self {
        if let Kind::Again { page, .. } = &mut *self.0 {
            *page = Some(to.to_string());
        }
        self
    }

    /// 429 with `Retry-After`: when the form may be sent again, in seconds.
    pub fn retry_after(mut self, seconds: i64) -> Self {
        if let Kind::Again {
            status, headers, ..
        } = &mut *self.0
        {
            *status = Some(StatusCode::TOO_MANY_REQUESTS);
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        self
    }

    /// A failure to log and show as the error page.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        Reply(Box::new(Kind::Internal(error.to_string())))
    }

    /// A bare status with no page.
    pub fn status(code: StatusCode) -> Self {
        Reply::from(crate::kit::status(code))
    }
}

impl From<Response> for Reply {
    fn from(res: Response) -> Self {
        Reply(Box::new(Kind::Plain(res)))
    }
}

/// What the layer finds on a response and turns into the page.
#[derive(Clone)]
enum Pending {
    Again {
        page: Option<String>,
        form: FormState,
        status: Option<StatusCode>,
        headers: HeaderMap,
    },
    Back {
        to: String,
        notice: String,
    },
    Internal(String),
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let pending = match *self.0 {
            Kind::Plain(res) => return res,
            Kind::Again {
                page,
                form,
                status,
                headers,
            } => Pending::Again {
                page,
                form,
                status,
                headers,
            },
            Kind::Back { to, notice } => Pending::Back { to, notice },
            Kind::Internal(e) => Pending::Internal(e),
        };
        let mut res = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        res.extensions_mut().insert(pending);
        res
    }
}

/// A command's result on its way back to the page its form is on.
pub trait OrBack<T> {
    /// Problems by field: the form at `page` again with `values`; refused: "Not done: …" on
    /// `page`; a database failure: the error page.
    fn or_back(self, page: &str, values: Fields) -> Result<T, Reply>;
}

impl<T> OrBack<T> for Result<T, Rejection> {
    fn or_back(self, page: &str, values: Fields) -> Result<T, Reply> {
        self.map_err(|r| match r {
            Rejection::Invalid(errors) => Reply::again_at(
                page,
                FormState {
                    errors,
                    values,
                    ..FormState::default()
                },
            ),
            Rejection::Refused(m) => Reply::back(page, format!("Not done: {m}.")),
            Rejection::Db(e) => Reply::internal(e),
        })
    }
}

/// The layer in front of every form route: keeps the request's parts (its path and who is
/// asking) and turns a [`Reply`] on the response into the page.
pub async fn replies(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let kept = parts.clone();
    let mut res = next.run(Request::from_parts(parts, body)).await;
    let Some(pending) = res.extensions_mut().remove::<Pending>() else {
        return res;
    };
    match pending {
        Pending::Again {
            page,
            form,
            status,
            headers,
        } => {
            let mut parts = kept;
            if let Some(uri) = page.and_then(|p| p.parse().ok()) {
                parts.uri = uri;
            }
            let mut res = again(&state, parts, form).await;
            if let Some(code) = status {
                *res.status_mut() = code;
            }
            res.headers_mut().extend(headers);
            res
        }
        Pending::Back { to, notice } => {
            if let Some(session) = kept.extensions.get::<Session>() {
                let _ = session.insert(FLASH, notice).await;
            }
            let mut res = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        Pending::Internal(error) => {
            let path = crate::kit::loggable_path(kept.uri.path());
            tracing::error!(path, %error, "a form post failed");
            error_response()
        }
    }
}

/// A command that answers with a notice: the notice and back to `page` (with `anchor`), or
/// its rejection on `page` as [`OrBack::or_back`] says.
pub fn notice_back(
    result: Result<String, Rejection>,
    page: &str,
    anchor: &str,
    values: Fields,
) -> Result<Reply, Reply> {
    let notice = result.or_back(page, values)?;
    Ok(Reply::back(&format!("{page}{anchor}"), notice))
}

/// An economy's slug from a path: one that is not a slug names no page (404).
pub fn path_slug(s: &str) -> Result<app::domain::Slug, Reply> {
    app::domain::Slug::parse(s).map_err(|_| Reply::status(axum::http::StatusCode::NOT_FOUND))
}
