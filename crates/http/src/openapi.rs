//! The OpenAPI 3.1 document, generated from the routes, served at
//! `/api/openapi.json` with a reference page at `/api/docs`.

use axum::{Json, Router};
use utoipa_swagger_ui::SwaggerUi;

use crate::{HttpState, routes};

/// The document of every HTTP operation.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    routes::api().split_for_parts().1
}

pub fn docs_router() -> Router<HttpState> {
    let document = openapi_document();
    let json = serde_json::to_value(&document).unwrap_or_default();
    Router::new()
        .route("/api/openapi.json", axum::routing::get(move || async move { Json(json) }))
        .merge(SwaggerUi::new("/api/docs").config(utoipa_swagger_ui::Config::from("/api/openapi.json")))
}
