//! What publishers hand the hub ([`RoomEvent`]) and what the hub asks of the
//! database ([`ActivitySource`]).
//!
//! The activity log in the database is the truth; these events are
//! notifications of it. This module defines shapes only: it must not decide
//! who sees what (that is [`domain::visibility::may_see`], called by the hub).

use async_trait::async_trait;
use domain::visibility::{Visibility, may_see};
use domain::{RoomId, UserId};
use serde::{Deserialize, Serialize};

use crate::frame::Frame;

/// One thing that happened in a room, published after its commit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoomEvent {
    pub room_id: RoomId,
    pub kind: EventKind,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// A committed activity; delivered in `seq` order to the subscribers for
    /// whom `may_see(subscriber, author, &visibility)` holds. `seq` is the
    /// room's dense sequence (1, 2, 3, …) assigned in the committing
    /// transaction; it never reaches clients.
    Activity { seq: i64, author: UserId, visibility: Visibility, frame: Frame },
    /// An ephemeral signal (typing, viewing, presence, recommendations): no
    /// seq, no replay, delivered at once to the subscribers in `audience`.
    Signal { audience: Audience, frame: Frame },
    /// `user_id` lost access to the room: their subscriptions to it end at
    /// once on every node, after `frame` is queued to them.
    AccessRevoked { user_id: UserId, frame: Frame },
}

/// Who receives a [`EventKind::Signal`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every subscriber of the room who may see what `author` made with
    /// `visibility` (a signal caused by a secret activity stays as secret).
    Room { author: UserId, visibility: Visibility },
    /// Exactly these users' subscriptions to the room.
    Users(Vec<UserId>),
}

impl Audience {
    /// Does `viewer` receive the signal? Decided by `may_see` for a room
    /// audience, never here.
    pub fn includes(&self, viewer: UserId) -> bool {
        match self {
            Audience::Room { author, visibility } => may_see(viewer, *author, visibility),
            Audience::Users(users) => users.contains(&viewer),
        }
    }
}

/// One committed activity as the hub needs it: unfiltered, for gap fill.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActivityEvent {
    pub seq: i64,
    pub author: UserId,
    pub visibility: Visibility,
    pub frame: Frame,
}

impl RoomEvent {
    pub fn activity(room_id: RoomId, activity: ActivityEvent) -> RoomEvent {
        let ActivityEvent { seq, author, visibility, frame } = activity;
        RoomEvent { room_id, kind: EventKind::Activity { seq, author, visibility, frame } }
    }

    pub fn signal(room_id: RoomId, audience: Audience, frame: Frame) -> RoomEvent {
        RoomEvent { room_id, kind: EventKind::Signal { audience, frame } }
    }

    pub fn access_revoked(room_id: RoomId, user_id: UserId, frame: Frame) -> RoomEvent {
        RoomEvent { room_id, kind: EventKind::AccessRevoked { user_id, frame } }
    }
}

/// The database could not answer; the hub retries gap fills and reports
/// subscribe failures to the caller.
#[derive(Debug, thiserror::Error)]
#[error("activity source unavailable: {0}")]
pub struct SourceError(pub String);

/// The activity log, implemented by the app over the database.
///
/// Every range is `(after_seq, up_to_seq]`, oldest first.
#[async_trait]
pub trait ActivitySource: Send + Sync + 'static {
    /// The room's highest committed seq (0 for a room without activities).
    async fn current_seq(&self, room: RoomId) -> Result<i64, SourceError>;

    /// Every activity in the range, unfiltered, with author, visibility and
    /// frame: the hub filters each one per subscriber with `may_see`.
    async fn activities_between(
        &self,
        room: RoomId,
        after_seq: i64,
        up_to_seq: i64,
    ) -> Result<Vec<ActivityEvent>, SourceError>;

    /// The frames `viewer` may see in the range, already filtered by the app,
    /// in seq order.
    async fn replay(
        &self,
        room: RoomId,
        viewer: UserId,
        after_seq: i64,
        up_to_seq: i64,
    ) -> Result<Vec<Frame>, SourceError>;
}
