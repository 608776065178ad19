//! The WebSocket wire protocol of the contract's "Real time" section: one
//! `#[serde(tag = "type")]` enum each way, parsed and encoded here and nowhere
//! else.
//!
//! Activity, presence, viewing, typing and recommendation frames are encoded
//! by the app (they carry its shapes); this module defines only the frames
//! the session itself sends. It must not act on a message: the session does.

use domain::{ProductId, RoomId};
use serde::{Deserialize, Serialize};

use crate::frame::Frame;

/// Longest cursor accepted from a client; the app's cursors are far shorter.
pub const MAX_CURSOR_CHARS: usize = 512;

/// Error codes the session sends in `error` frames (the app may add its own
/// through [`crate::SessionError`]).
pub mod codes {
    /// The frame was not JSON, not text, or not a known message.
    pub const BAD_FRAME: &str = "bad_frame";
    /// `viewing` or `typing` for a room the connection is not subscribed to.
    pub const NOT_SUBSCRIBED: &str = "not_subscribed";
    pub const TOO_MANY_SUBSCRIPTIONS: &str = "too_many_subscriptions";
    /// Access to the room was revoked while subscribing.
    pub const FORBIDDEN: &str = "forbidden";
    /// The database could not be read; the client may retry.
    pub const UNAVAILABLE: &str = "unavailable";
}

/// Client to server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    Subscribe {
        room_id: RoomId,
        #[serde(default)]
        cursor: Option<String>,
    },
    Unsubscribe {
        room_id: RoomId,
    },
    Viewing {
        room_id: RoomId,
        #[serde(default)]
        product_id: Option<ProductId>,
    },
    Typing {
        room_id: RoomId,
    },
    Ping,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// Not JSON, an unknown `type`, or a field of the wrong shape.
    #[error("malformed frame: {0}")]
    Malformed(String),
}

impl ClientMessage {
    /// The one place a client frame is parsed.
    pub fn parse(text: &str) -> Result<ClientMessage, ProtocolError> {
        // serde reads an internally tagged enum from an array too (the tag
        // first, then the fields in order), so `["ping"]` would be a ping.
        // The contract's frames are objects; a JSON document that starts
        // with `{` (after JSON's white space) is one.
        if !text.trim_start_matches([' ', '\t', '\n', '\r']).starts_with('{') {
            return Err(ProtocolError::Malformed("a frame is a JSON object with a \"type\"".into()));
        }
        let message: ClientMessage =
            serde_json::from_str(text).map_err(|error| ProtocolError::Malformed(error.to_string()))?;
        if let ClientMessage::Subscribe { cursor: Some(cursor), .. } = &message
            && cursor.len() > MAX_CURSOR_CHARS
        {
            return Err(ProtocolError::Malformed("cursor is too long".into()));
        }
        Ok(message)
    }
}

/// Server to client: the frames the session sends itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Pong,
    Error {
        code: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room_id: Option<RoomId>,
    },
    Subscribed {
        room_id: RoomId,
        cursor: Option<String>,
    },
    Unsubscribed {
        room_id: RoomId,
        reason: String,
    },
}

static PONG: Frame = Frame::from_static(r#"{"type":"pong"}"#);

impl ServerMessage {
    pub fn error(code: &str, message: impl Into<String>, room_id: Option<RoomId>) -> ServerMessage {
        ServerMessage::Error { code: code.to_owned(), message: message.into(), room_id }
    }

    /// Encodes the message once.
    pub fn frame(&self) -> Frame {
        if matches!(self, ServerMessage::Pong) {
            return PONG.clone();
        }
        // These shapes hold only strings and ids, which always encode; the
        // fallback keeps the signature infallible without a panic.
        Frame::encode(self).unwrap_or_else(|_| {
            Frame::from_static(r#"{"type":"error","code":"internal","message":"could not encode a frame"}"#)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscribe_without_a_cursor_parses() {
        let room = RoomId::new();
        let text = format!(r#"{{"type":"subscribe","room_id":"{room}"}}"#);
        assert_eq!(ClientMessage::parse(&text), Ok(ClientMessage::Subscribe { room_id: room, cursor: None }));
    }

    #[test]
    fn an_unknown_type_is_malformed() {
        assert!(matches!(ClientMessage::parse(r#"{"type":"shout"}"#), Err(ProtocolError::Malformed(_))));
        assert!(matches!(ClientMessage::parse("not json"), Err(ProtocolError::Malformed(_))));
    }

    #[test]
    fn only_an_object_is_a_frame() {
        let room = RoomId::new();
        for text in [r#"["ping"]"#.to_owned(), format!(r#"["subscribe","{room}",null]"#), "\"ping\"".into(), "".into()]
        {
            assert!(matches!(ClientMessage::parse(&text), Err(ProtocolError::Malformed(_))), "{text}");
        }
        assert_eq!(ClientMessage::parse(" \r\n\t{\"type\":\"ping\"}"), Ok(ClientMessage::Ping));
    }

    #[test]
    fn a_long_cursor_is_malformed() {
        let text = format!(r#"{{"type":"subscribe","room_id":"{}","cursor":"{}"}}"#, RoomId::new(), "a".repeat(600));
        assert!(ClientMessage::parse(&text).is_err());
    }

    #[test]
    fn server_frames_match_the_contract() {
        assert_eq!(ServerMessage::Pong.frame().as_str(), r#"{"type":"pong"}"#);
        let error = ServerMessage::error(codes::BAD_FRAME, "nope", None).frame();
        assert_eq!(error.as_str(), r#"{"type":"error","code":"bad_frame","message":"nope"}"#);
    }
}
