//! How the HTTP layer runs a realtime session over axum's WebSocket: an
//! adapter from axum's `Message` to `realtime::Message`, and the upgrade with
//! small buffers (axum's 128 KiB default read buffer would cost about 1.3 GB
//! per 10,000 sockets).
//!
//! Compiles as an example only; `familyroom-http` holds the real route.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::ws::{self, CloseFrame as AxumCloseFrame, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use domain::UserId;
use futures::{Sink, Stream};
use realtime::session::CloseFrame;
use realtime::{Frame, Message, SessionContext};
use tokio_util::sync::CancellationToken;

/// axum's socket seen as the session's `Sink<Message> + Stream`.
pub struct AxumSocket(pub WebSocket);

fn from_axum(message: ws::Message) -> Option<Message> {
    Some(match message {
        // Utf8Bytes -> Bytes is free; Frame::from_utf8 re-checks (cheap, and
        // frames are at most max_message_size).
        ws::Message::Text(text) => Message::Text(Frame::from_utf8(text.into()).ok()?),
        ws::Message::Binary(bytes) => Message::Binary(bytes),
        ws::Message::Ping(bytes) => Message::Ping(bytes),
        ws::Message::Pong(bytes) => Message::Pong(bytes),
        ws::Message::Close(close) => {
            Message::Close(close.map(|c| CloseFrame { code: c.code, reason: c.reason.as_str().to_owned() }))
        }
    })
}

fn to_axum(message: Message) -> ws::Message {
    match message {
        // One shared allocation per frame for every receiver: no copy, only
        // a UTF-8 check.
        Message::Text(frame) => match Utf8Bytes::try_from(frame.into_bytes()) {
            Ok(text) => ws::Message::Text(text),
            Err(_) => ws::Message::Text(Utf8Bytes::from_static("{}")),
        },
        Message::Binary(bytes) => ws::Message::Binary(bytes),
        Message::Ping(bytes) => ws::Message::Ping(bytes),
        Message::Pong(bytes) => ws::Message::Pong(bytes),
        Message::Close(close) => {
            ws::Message::Close(close.map(|c| AxumCloseFrame { code: c.code, reason: Utf8Bytes::from(c.reason) }))
        }
    }
}

impl Stream for AxumSocket {
    type Item = Result<Message, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            return match Pin::new(&mut self.0).poll_next(cx) {
                Poll::Ready(Some(Ok(message))) => match from_axum(message) {
                    Some(message) => Poll::Ready(Some(Ok(message))),
                    None => continue,
                },
                Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            };
        }
    }
}

impl Sink<Message> for AxumSocket {
    type Error = axum::Error;

    fn poll_ready(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Pin::new(&mut self.0).poll_ready(cx)
    }

    fn start_send(mut self: Pin<&mut Self>, item: Message) -> Result<(), Self::Error> {
        Pin::new(&mut self.0).start_send(to_axum(item))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Pin::new(&mut self.0).poll_close(cx)
    }
}

/// The upgrade, after the ticket was redeemed for `user_id`.
pub fn upgrade(
    ws: WebSocketUpgrade,
    context: SessionContext,
    user_id: UserId,
    shutdown: CancellationToken,
) -> Response {
    let max_frame = context.hub.config().max_frame_bytes;
    ws.read_buffer_size(4 * 1024)
        .write_buffer_size(8 * 1024)
        // Above the session's own limit, so that it can close with 1009
        // itself; beyond this tungstenite drops the connection.
        .max_message_size(max_frame * 4)
        .max_frame_size(max_frame * 4)
        .on_upgrade(move |socket| async move {
            let end = context.run(AxumSocket(socket), user_id, shutdown).await;
            tracing::debug!(%user_id, %end, "realtime session ended");
        })
}

fn main() {}
