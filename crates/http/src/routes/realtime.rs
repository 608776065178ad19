//! `/api/v1/realtime`: tickets and the WebSocket. A token never travels in a
//! URL: the client trades its bearer token for a single-use ticket, then
//! opens the socket with it. The session logic lives in the `realtime`
//! crate; this module only adapts axum's socket to it.

use app::realtime::TicketView;
use axum::{
    Json,
    extract::{
        State, WebSocketUpgrade,
        ws::{self, WebSocket},
    },
    response::Response,
};
use futures::{SinkExt, StreamExt};
use realtime::{Frame, Message, session::CloseFrame};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    HttpState,
    extract::{ApiQuery, Auth},
    problem::{ApiResult, Problem},
};

/// axum's buffers default to 128 KiB per socket. A client's frames are small
/// (the largest, a subscribe with its cursor, is about 200 bytes) and the
/// read buffer grows for a larger one, so an idle socket keeps 256 bytes.
const READ_BUFFER_BYTES: usize = 256;
/// Each frame goes to the socket as it is fed. The session still flushes once
/// per batch; with a larger buffer, a burst (presence of a family coming
/// online) grew it and every idle socket kept that capacity: 4.5 KiB per idle
/// socket instead of 3.0 (`bench/realtime.sh d`).
const WRITE_BUFFER_BYTES: usize = 0;
/// Larger inbound messages are refused by the transport before they are
/// buffered; the session refuses anything above its own, smaller limit.
const TRANSPORT_MAX_MESSAGE_BYTES: usize = 64 * 1024;

pub fn routes() -> OpenApiRouter<HttpState> {
    OpenApiRouter::new().routes(routes!(issue_ticket)).routes(routes!(open_socket))
}

/// A single-use ticket, valid 30 seconds, to open the WebSocket with.
#[utoipa::path(post, path = "/api/v1/realtime/ticket", tag = "realtime", security(("bearer" = [])),
    responses(
        (status = 200, body = TicketView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
async fn issue_ticket(State(state): State<HttpState>, Auth(caller): Auth) -> ApiResult<Json<TicketView>> {
    Ok(Json(state.app.issue_ticket(caller).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SocketQuery {
    /// From `POST /api/v1/realtime/ticket`.
    ticket: Option<String>,
}

/// Upgrade to a WebSocket of JSON text frames (see the contract's Real time section).
#[utoipa::path(get, path = "/api/v1/realtime", tag = "realtime",
    params(
        SocketQuery,
        ("Connection" = String, Header, pattern = "[Uu][Pp][Gg][Rr][Aa][Dd][Ee]",
            description = "Includes `Upgrade` (the WebSocket handshake, RFC 6455)"),
        ("Upgrade" = String, Header, pattern = "^[Ww][Ee][Bb][Ss][Oo][Cc][Kk][Ee][Tt]$", description = "`websocket`"),
        ("Sec-WebSocket-Version" = String, Header, pattern = "^13$", description = "`13`"),
        ("Sec-WebSocket-Key" = String, Header, pattern = "^[A-Za-z0-9+/]{22}==$",
            description = "16 random bytes in base64"),
    ),
    responses(
        (status = 101, description = "switching to the WebSocket protocol"),
        (status = 400, description = "not a WebSocket upgrade", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unknown, used or expired ticket", body = Problem, content_type = "application/problem+json"),
    ))]
async fn open_socket(
    State(state): State<HttpState>,
    ApiQuery(query): ApiQuery<SocketQuery>,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    let upgrade = upgrade.map_err(|e| crate::problem::ApiError::bad_request(e.to_string()))?;
    let user = state.app.redeem_ticket(query.ticket.as_deref().unwrap_or_default()).await?;
    let context = state.app.session_context();
    let shutdown = state.shutdown.clone();
    Ok(upgrade
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_message_size(TRANSPORT_MAX_MESSAGE_BYTES)
        .max_frame_size(TRANSPORT_MAX_MESSAGE_BYTES)
        // The session runs as its own task, whose future is the session's
        // alone: axum's upgrade task ends at once instead of carrying its
        // finished handshake state (and a moved-from copy of the socket) for
        // the socket's whole life (decision 0002). How each session ended is
        // counted in `realtime_sessions_ended_total`.
        .on_upgrade(move |socket: WebSocket| {
            tokio::spawn(context.run(adapt(socket), user, shutdown));
            std::future::ready(())
        }))
}

/// axum's socket as the session's `Sink<Message> + Stream<Result<Message, _>>`.
fn adapt(
    socket: WebSocket,
) -> impl futures::Sink<Message, Error = axum::Error> + futures::Stream<Item = Result<Message, axum::Error>> + Unpin + Send
{
    socket
        .map(|incoming| incoming.map(from_axum))
        .with(|outgoing: Message| futures::future::ready(Ok::<_, axum::Error>(to_axum(outgoing))))
}

fn from_axum(message: ws::Message) -> Message {
    match message {
        ws::Message::Text(text) => Message::Text(Frame::from_text(text.as_str())),
        ws::Message::Binary(bytes) => Message::Binary(bytes),
        ws::Message::Ping(bytes) => Message::Ping(bytes),
        ws::Message::Pong(bytes) => Message::Pong(bytes),
        ws::Message::Close(close) => {
            Message::Close(close.map(|c| CloseFrame { code: c.code, reason: c.reason.as_str().to_owned() }))
        }
    }
}

fn to_axum(message: Message) -> ws::Message {
    match message {
        Message::Text(frame) => match ws::Utf8Bytes::try_from(frame.into_bytes()) {
            Ok(text) => ws::Message::Text(text),
            // A Frame is UTF-8 by construction; this arm cannot be reached.
            Err(_) => ws::Message::Text(ws::Utf8Bytes::from_static("{}")),
        },
        Message::Binary(bytes) => ws::Message::Binary(bytes),
        Message::Ping(bytes) => ws::Message::Ping(bytes),
        Message::Pong(bytes) => ws::Message::Pong(bytes),
        Message::Close(close) => {
            ws::Message::Close(close.map(|c| ws::CloseFrame { code: c.code, reason: ws::Utf8Bytes::from(c.reason) }))
        }
    }
}
