//! The API's routes, each module one resource, gathered with their OpenAPI
//! descriptions so the document always covers every route.

mod accounts;
mod ai;
mod cart;
mod catalog;
mod files;
mod ops;
mod realtime;
mod rooms;

use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;

use crate::HttpState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Family Room API", version = "1.0.0", description = "A shared room where a family shops together."),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Sign-up, sign-in, tokens and the profile"),
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "rooms", description = "Rooms, members, roles and invites"),
        (name = "activities", description = "The room's activity log and secret mode"),
        (name = "realtime", description = "Tickets and the WebSocket"),
        (name = "cart", description = "The family cart, wishlist, votes and polls"),
        (name = "catalog", description = "Product search, suggestions, product pages and demo pictures"),
        (name = "recommendations", description = "Recommendations per member and trip plans with packing lists"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

pub fn api() -> OpenApiRouter<HttpState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(accounts::routes())
        .merge(ops::routes())
        .merge(rooms::routes())
        .merge(realtime::routes())
        .merge(files::routes())
        .merge(cart::routes())
        .merge(catalog::routes())
        .merge(ai::routes())
}
