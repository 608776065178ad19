//! Family Room's real-time layer: the hub that delivers room events to
//! WebSocket connections in order and exactly once per subscription, the wire
//! protocol, the WebSocket session, presence, and connection tickets.
//!
//! The activity log in the database is the truth; everything here is a
//! notification of it. This crate must not read or write the database itself
//! (it asks an [`ActivitySource`] the app implements), must not decide
//! visibility (every delivery calls `domain::visibility::may_see`), and must
//! not depend on axum: the HTTP layer adapts its WebSocket to
//! [`session::Message`].

mod bus;
pub mod config;
pub mod deadline;
pub mod error;
pub mod event;
pub mod frame;
pub mod hub;
pub mod presence;
pub mod protocol;
mod queue;
pub mod session;
pub mod ticket;

pub use config::HubConfig;
pub use error::HubError;
pub use event::{ActivityEvent, ActivitySource, Audience, EventKind, RoomEvent, SourceError};
pub use frame::Frame;
pub use hub::{ConnectionHandle, ConnectionReceiver, Hub};
pub use presence::{Presence, PresenceChange, PresenceConfig, PresenceError, PresenceListener};
pub use queue::ConnectionEvent;
pub use session::{Message, SessionContext, SessionEnd, SessionError, SessionHandler, SubscribeGrant};
pub use ticket::{IssuedTicket, TicketError, TicketStore};
