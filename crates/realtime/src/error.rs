//! The hub's failures, by meaning.

use crate::event::SourceError;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The activity source (database) failed; the subscription was not made.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The user's access to the room was revoked while subscribing.
    #[error("access to the room was revoked")]
    AccessRevoked,
    /// The connection's queue overflowed; it must be closed (4008).
    #[error("the connection overflowed")]
    Overflowed,
    /// The connection holds as many subscriptions as allowed.
    #[error("too many subscriptions on one connection")]
    TooManyRooms,
    /// Redis could not be reached or answered an error.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
}
