//! Extractors whose rejections are problem+json: a JSON body (400 when it
//! cannot be parsed, 422 with the field when it has the wrong shape), path
//! and query parameters, the authenticated caller and the client address.

use std::net::SocketAddr;

use app::Caller;
use axum::{
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request, rejection::BytesRejection},
    http::{StatusCode, header, request::Parts},
};
use bytes::Bytes;
use domain::FieldError;
use serde::de::DeserializeOwned;

use crate::{HttpState, problem::ApiError};

/// A JSON request body of type `T`.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be JSON with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| match rejection {
            BytesRejection::FailedToBufferBody(_) => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the body is too large")
            }
            other => ApiError::bad_request(other.body_text()),
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Parses a JSON document into `T`, with the contract's 400/422 split.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", "the body is empty"));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not valid JSON: {e}"))
    })?;
    if !value.is_object() {
        return Err(ApiError::validation(vec![FieldError {
            field: "body".into(),
            message: "must be a JSON object".into(),
        }]));
    }
    // Strict: a struct is read from a JSON object only, never from an array.
    serde_path_to_error::deserialize(crate::strict_json::Strict(value)).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        // serde_path_to_error's path already ends at the offending field,
        // an unknown one included; "." is the document itself.
        let field = if path == "." {
            unknown_field_name(&message).map(str::to_owned).unwrap_or_else(|| "body".into())
        } else {
            path
        };
        ApiError::validation(vec![FieldError { field, message: first_sentence(&message) }])
    })
}

fn unknown_field_name(message: &str) -> Option<&str> {
    message.strip_prefix("unknown field `")?.split('`').next()
}

/// serde's messages end with a position or an `expected one of …` list; the
/// first clause is the part worth showing.
fn first_sentence(message: &str) -> String {
    let cut = message.find(" at line ").unwrap_or(message.len());
    message[..cut].to_owned()
}

/// A path parameter of type `T`; a bad one (e.g. not a UUID) answers 400.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|rejection| ApiError::bad_request(format!("bad path parameter: {}", rejection.body_text())))
    }
}

/// Query parameters of type `T`; a bad one answers 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|rejection| ApiError::bad_request(format!("bad query parameter: {}", rejection.body_text())))
    }
}

/// The authenticated caller, from `Authorization: Bearer …`.
pub struct Auth(pub Caller);

impl FromRequestParts<HttpState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, Self::Rejection> {
        let header =
            parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(|| {
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "an access token is required")
            })?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "use Authorization: Bearer <access_token>")
            })?;
        Ok(Auth(state.app.authenticate(token).await?))
    }
}

/// The client's address: the socket peer, or the first `X-Forwarded-For`
/// hop when the server is configured to trust its proxy.
pub struct ClientIp(pub String);

impl FromRequestParts<HttpState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, Self::Rejection> {
        if state.config.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|v| v.parse::<std::net::IpAddr>().is_ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip.to_owned()));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientIp(peer))
    }
}

/// A JSON body that may be absent: no body gives `T::default()`.
pub struct OptionalJsonBody<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| match rejection {
            BytesRejection::FailedToBufferBody(_) => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the body is too large")
            }
            other => ApiError::bad_request(other.body_text()),
        })?;
        if bytes.is_empty() {
            return Ok(OptionalJsonBody(T::default()));
        }
        parse_json(&bytes).map(OptionalJsonBody)
    }
}
