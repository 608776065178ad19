//! A WebSocket test client: opens `/api/v1/realtime` with a ticket and waits
//! for frames with a timeout (never a sleep).

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message};

use crate::{TestApp, TestUser};

/// How long a test waits for an expected frame.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(5);

pub struct WsClient {
    stream: WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>,
}

/// What the next read produced.
#[derive(Debug)]
pub enum Received {
    Frame(Value),
    Closed(Option<u16>),
}

impl WsClient {
    /// Gets a ticket with `user`'s token and opens the socket.
    pub async fn connect(app: &TestApp, user: &TestUser) -> Self {
        Self::connect_to(&app.client, &app.url(""), &user.access_token).await
    }

    /// Connects to the server at `base` (e.g. another node).
    pub async fn connect_to(client: &reqwest::Client, base: &str, access_token: &str) -> Self {
        let ticket: Value = client
            .post(format!("{base}/api/v1/realtime/ticket"))
            .bearer_auth(access_token)
            .send()
            .await
            .expect("ticket request")
            .json()
            .await
            .expect("ticket json");
        let ticket = ticket["ticket"].as_str().expect("ticket");
        let url = format!("{}/api/v1/realtime?ticket={ticket}", base.replacen("http://", "ws://", 1));
        let (stream, _) = tokio_tungstenite::connect_async(url).await.expect("websocket opens");
        Self { stream }
    }

    pub async fn send(&mut self, frame: Value) {
        self.stream.send(Message::text(frame.to_string())).await.expect("frame sent");
    }

    pub async fn send_raw(&mut self, message: Message) {
        // The server may already have closed; the next read reports it.
        drop(self.stream.send(message).await);
    }

    /// Subscribes and returns the `subscribed` frame.
    pub async fn subscribe(&mut self, room_id: &str, cursor: Option<&str>) -> Value {
        self.send(json!({"type": "subscribe", "room_id": room_id, "cursor": cursor})).await;
        self.next_of_type("subscribed").await
    }

    /// The next text frame or close, within [`FRAME_TIMEOUT`].
    pub async fn receive(&mut self) -> Received {
        loop {
            let next =
                tokio::time::timeout(FRAME_TIMEOUT, self.stream.next()).await.expect("a frame within the timeout");
            match next {
                Some(Ok(Message::Text(text))) => {
                    return Received::Frame(serde_json::from_str(&text).expect("json frame"));
                }
                Some(Ok(Message::Close(frame))) => return Received::Closed(frame.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Received::Closed(None),
            }
        }
    }

    /// The next text frame; panics on a close.
    pub async fn next_frame(&mut self) -> Value {
        match self.receive().await {
            Received::Frame(frame) => frame,
            Received::Closed(code) => panic!("socket closed ({code:?}) while a frame was expected"),
        }
    }

    /// Skips frames of other types (presence, typing, …) until one of `kind`.
    pub async fn next_of_type(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.next_frame().await;
            if frame["type"] == kind {
                return frame;
            }
            if frame["type"] == "error" && kind != "error" {
                panic!("error frame while waiting for {kind}: {frame}");
            }
        }
    }

    /// The next `presence` frame about `user_id`.
    pub async fn next_presence_of(&mut self, user_id: &str) -> Value {
        loop {
            let frame = self.next_of_type("presence").await;
            if frame["user_id"] == user_id {
                return frame;
            }
        }
    }

    /// The next frame that is not a presence change.
    pub async fn next_non_presence_frame(&mut self) -> Value {
        loop {
            let frame = self.next_frame().await;
            if frame["type"] != "presence" {
                return frame;
            }
        }
    }

    /// The next `activity` frame's activity.
    pub async fn next_activity(&mut self) -> Value {
        self.next_of_type("activity").await["activity"].clone()
    }

    /// Reads until the socket closes; the close code.
    pub async fn closed(&mut self) -> Option<u16> {
        loop {
            if let Received::Closed(code) = self.receive().await {
                return code;
            }
        }
    }
}
