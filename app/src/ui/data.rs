//! Server functions of the public pages: take the state, call `crate::public`, and hand the
//! view to the page. Only published figures reach the public (scoring.md section 7).

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::domain::nomination::REGIONS;
pub use crate::domain::public::*;

#[server(prefix = "/_fn", endpoint = "home")]
pub async fn home_data() -> Result<HomeView, AppError> {
    let state = crate::state::app_state()?;
    crate::public::home(&state.pool, state.today()).await
}

#[server(prefix = "/_fn", endpoint = "economies")]
pub async fn economies_data(
    as_of: Option<String>,
    search: String,
) -> Result<EconomiesView, AppError> {
    let state = crate::state::app_state()?;
    crate::public::economies(&state.pool, state.today(), as_of, search).await
}

#[server(prefix = "/_fn", endpoint = "framework")]
pub async fn framework_data() -> Result<FrameworkView, AppError> {
    let state = crate::state::app_state()?;
    crate::public::framework(&state.pool).await
}

#[server(prefix = "/_fn", endpoint = "open-data")]
pub async fn open_data() -> Result<OpenDataView, AppError> {
    let state = crate::state::app_state()?;
    let mut view = crate::public::open_data(&state.pool).await?;
    view.base_url = state.public_url.clone();
    Ok(view)
}

#[server(prefix = "/_fn", endpoint = "api-reference")]
pub async fn api_reference() -> Result<crate::domain::api_reference::ApiReference, AppError> {
    let state = crate::state::app_state()?;
    Ok(crate::domain::api_reference::api_reference(
        &state.api_description,
    ))
}

#[server(prefix = "/_fn", endpoint = "economy")]
pub async fn economy_data(slug: String) -> Result<EconomyView, AppError> {
    let state = crate::state::app_state()?;
    crate::public::economy(&state.pool, &crate::error::page_slug(&slug)?).await
}

#[server(prefix = "/_fn", endpoint = "regions")]
pub async fn regions_data(as_of: Option<String>) -> Result<RegionsView, AppError> {
    let state = crate::state::app_state()?;
    crate::public::regions(&state.pool, as_of).await
}

/// A page's `?as_of=` quarter: none when absent or empty, a bad request when not a quarter.
#[cfg(feature = "ssr")]
pub use crate::public::parse_as_of;
