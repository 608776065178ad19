//! [`Frame`]: one pre-encoded JSON text frame, encoded once by whoever
//! publishes it and shared by every receiver.
//!
//! This module owns the frame's representation and its (de)serialisation for
//! crossing Redis. It must not know what is inside a frame: activity, presence
//! and recommendation shapes belong to the app.

use std::fmt;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A UTF-8 JSON text frame, cheap to clone (a reference-counted [`Bytes`]).
///
/// Invariant: the bytes are valid UTF-8; every constructor guarantees it, so
/// the HTTP layer may turn [`Frame::into_bytes`] into a WebSocket text frame
/// (axum's `Utf8Bytes::try_from(Bytes)` re-checks without copying).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Frame(Bytes);

impl Frame {
    /// Encodes `value` as JSON, once.
    pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Frame, serde_json::Error> {
        serde_json::to_vec(value).map(|bytes| Frame(Bytes::from(bytes)))
    }

    /// A frame from text that is already JSON (not checked to be JSON).
    pub fn from_text(text: impl Into<String>) -> Frame {
        Frame(Bytes::from(text.into()))
    }

    pub const fn from_static(text: &'static str) -> Frame {
        Frame(Bytes::from_static(text.as_bytes()))
    }

    /// A frame from raw bytes, checked to be UTF-8 (as a text frame must be).
    pub fn from_utf8(bytes: Bytes) -> Result<Frame, std::str::Utf8Error> {
        std::str::from_utf8(&bytes)?;
        Ok(Frame(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text. Re-checks UTF-8 (the type forbids `unsafe`), so hot paths
    /// should hand [`Frame::into_bytes`] on instead.
    pub fn as_str(&self) -> &str {
        // The constructors guarantee UTF-8, so the fallback is unreachable.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Frame").field(&self.as_str()).finish()
    }
}

/// Crosses Redis as a JSON string (escaped once per publish, not per receiver).
impl Serialize for Frame {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Frame {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Frame::from_text)
    }
}
