//! The OpenAPI 3.1 document, generated from the routes, served at
//! `/api/openapi.json` with a reference page at `/api/docs`.

use axum::{Json, Router};
use utoipa::openapi::{
    OpenApi, RefOr, Required,
    schema::{Schema, SchemaType, Type},
};
use utoipa_swagger_ui::SwaggerUi;

use crate::{HttpState, routes};

/// The document of every HTTP operation.
pub fn openapi_document() -> OpenApi {
    let mut document = routes::api().split_for_parts().1;
    state_cross_field_rules(&mut document);
    refuse_null_json_bodies(&mut document);
    document
}

/// Adds the rules across fields that a derived schema cannot state
/// ([`app::schema::cross_field_rules`]) to their components.
fn state_cross_field_rules(document: &mut OpenApi) {
    let Some(components) = document.components.as_mut() else { return };
    for (name, rule) in app::schema::cross_field_rules() {
        if let Some(schema) = components.schemas.remove(&name) {
            components.schemas.insert(name, app::schema::with_rule(schema, rule));
        }
    }
}

/// An optional JSON body may be left out, but when sent it is an object
/// (`extract::parse_json`): the `null` that `Option<T>` adds to its schema
/// is taken out again.
fn refuse_null_json_bodies(document: &mut OpenApi) {
    let is_null = |schema: &RefOr<Schema>| match schema {
        RefOr::T(Schema::Object(object)) => object.schema_type == SchemaType::Type(Type::Null),
        _ => false,
    };
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            let Some(body) = operation.request_body.as_mut() else { continue };
            if matches!(body.required, Some(Required::True)) {
                continue;
            }
            for (media_type, content) in body.content.iter_mut() {
                let json = media_type == "application/json" || media_type.ends_with("+json");
                let Some(RefOr::T(Schema::OneOf(one_of))) = content.schema.as_ref().filter(|_| json) else {
                    continue;
                };
                let rest: Vec<&RefOr<Schema>> = one_of.items.iter().filter(|item| !is_null(item)).collect();
                if let [only] = rest.as_slice()
                    && rest.len() < one_of.items.len()
                {
                    content.schema = Some((*only).clone());
                }
            }
        }
    }
}

pub fn docs_router() -> Router<HttpState> {
    let document = openapi_document();
    let json = serde_json::to_value(&document).unwrap_or_default();
    Router::new()
        .route("/api/openapi.json", axum::routing::get(move || async move { Json(json) }))
        .merge(SwaggerUi::new("/api/docs").config(utoipa_swagger_ui::Config::from("/api/openapi.json")))
}
