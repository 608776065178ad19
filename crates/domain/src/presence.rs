//! A member going online or offline in a room: what presence tracking
//! reports and what the store persists.

use time::OffsetDateTime;

use crate::{RoomId, UserId};

/// A real presence transition of `user_id` in `room_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceChange {
    pub room_id: RoomId,
    pub user_id: UserId,
    pub online: bool,
    pub at: OffsetDateTime,
}
