//! Rooms in storage: rooms, members with roles and secret mode, invite codes,
//! presence, and the room's activity log with its dense internal sequence.
//!
//! The sequence (`seq`) is assigned inside the appending transaction, so per
//! room the commit order is the seq order: on PostgreSQL by incrementing
//! `rooms.activity_seq`, which locks the room row until commit; on SQLite,
//! whose one writer already serialises appends, as one past the room's last
//! `seq` in the log's `(room_id, seq)` index. It is internal: clients only
//! ever see opaque cursors made from it.

use async_trait::async_trait;
use domain::{
    ActivityId, ProductId, RoomId, UserId,
    activity::ActionType,
    presence::PresenceChange,
    role::Role,
    visibility::{SecretMode, Visibility},
};
use time::OffsetDateTime;

use crate::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRecord {
    pub id: RoomId,
    pub name: String,
    pub owner_id: UserId,
    pub visibility: String,
    pub invite_code: String,
    pub invite_expires_at: Option<OffsetDateTime>,
    pub invite_max_uses: Option<i64>,
    pub invite_uses: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub room_id: RoomId,
    pub user_id: UserId,
    pub name: String,
    pub avatar: Option<String>,
    pub role: Role,
    pub is_online: bool,
    pub last_seen: Option<OffsetDateTime>,
    pub joined_at: OffsetDateTime,
    pub secret_mode: SecretMode,
}

#[derive(Debug, Clone)]
pub struct NewRoom {
    pub id: RoomId,
    pub name: String,
    pub owner_id: UserId,
    pub visibility: String,
    pub invite_code: String,
    pub at: OffsetDateTime,
}

/// An activity to append; the store assigns its `seq`.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub id: ActivityId,
    pub room_id: RoomId,
    pub user_id: UserId,
    pub product_id: Option<ProductId>,
    pub action_type: ActionType,
    pub message: Option<String>,
    pub visibility: Visibility,
    pub metadata: serde_json::Value,
    pub at: OffsetDateTime,
    /// The author's membership as the caller saw it when it decided
    /// `visibility`. When set, the append commits only if the room still
    /// has the author with this role and secret mode, and fails with
    /// [`StoreError::Stale`] otherwise: a caller may then decide from a
    /// cached membership and still never store an activity under a secret
    /// mode the author has since changed.
    pub author_as_of: Option<AuthorState>,
}

/// What of a member an activity's visibility and permission depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorState {
    pub role: Role,
    pub secret_mode: SecretMode,
}

impl AuthorState {
    /// True when a member stored with this role and secret mode is the one
    /// this state describes: the check every backend's append makes.
    pub(crate) fn describes(
        &self,
        role: &str,
        secret_enabled: bool,
        hidden_from: &std::collections::BTreeSet<UserId>,
    ) -> bool {
        role == self.role.as_str()
            && secret_enabled == self.secret_mode.enabled
            && *hidden_from == self.secret_mode.hidden_from
    }
}

impl From<&MemberRecord> for AuthorState {
    fn from(member: &MemberRecord) -> Self {
        Self { role: member.role, secret_mode: member.secret_mode.clone() }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRecord {
    pub id: ActivityId,
    pub room_id: RoomId,
    pub seq: i64,
    pub user_id: UserId,
    pub product_id: Option<ProductId>,
    pub action_type: ActionType,
    pub message: Option<String>,
    pub visibility: Visibility,
    pub metadata: serde_json::Value,
    pub created_at: OffsetDateTime,
}

/// Why a join by invite code failed.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinOutcome {
    /// Joined now; the `joined` activity was appended.
    Joined {
        room: RoomRecord,
        member: MemberRecord,
        activity: ActivityRecord,
    },
    /// Already a member: nothing changed.
    AlreadyMember {
        room: RoomRecord,
        member: MemberRecord,
    },
    /// No room has this code (or it was rotated away).
    UnknownCode,
    Expired,
    UsedUp,
}

/// A room as listed for one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomListing {
    pub room: RoomRecord,
    pub role: Role,
    pub member_count: i64,
}

#[async_trait]
pub trait Rooms {
    /// Creates the room with its owner as the first member.
    async fn create_room(&self, room: NewRoom) -> Result<RoomRecord, StoreError>;
    async fn get_room(&self, id: RoomId) -> Result<RoomRecord, StoreError>;
    async fn list_rooms_of(&self, user: UserId) -> Result<Vec<RoomListing>, StoreError>;
    async fn rename_room(&self, id: RoomId, name: &str, at: OffsetDateTime) -> Result<RoomRecord, StoreError>;
    /// Deletes the room and everything of it (members, activities, carts, plans).
    async fn delete_room(&self, id: RoomId) -> Result<(), StoreError>;
    /// The owner becomes an admin and `to` (a member) the owner, in one transaction.
    async fn transfer_ownership(
        &self,
        id: RoomId,
        from: UserId,
        to: UserId,
        at: OffsetDateTime,
    ) -> Result<RoomRecord, StoreError>;
    async fn set_invite(
        &self,
        id: RoomId,
        code: &str,
        expires_at: Option<OffsetDateTime>,
        max_uses: Option<i64>,
        at: OffsetDateTime,
    ) -> Result<RoomRecord, StoreError>;
    /// Joins by code: checks expiry and uses, adds the member, counts the
    /// use and appends `joined`, all in one transaction.
    async fn join_by_code(&self, code: &str, user: UserId, joined: NewActivity) -> Result<JoinOutcome, StoreError>;

    async fn get_member(&self, room: RoomId, user: UserId) -> Result<Option<MemberRecord>, StoreError>;
    async fn list_members(&self, room: RoomId) -> Result<Vec<MemberRecord>, StoreError>;
    async fn count_members(&self, room: RoomId) -> Result<i64, StoreError>;
    /// The member count of each of `rooms` that has members, in as few
    /// statements as the backend's parameter limit allows; a room gone or
    /// without members is absent.
    async fn count_members_of(&self, rooms: &[RoomId]) -> Result<std::collections::HashMap<RoomId, i64>, StoreError>;
    /// Changes a role and appends the activity describing it, in one transaction.
    async fn set_role(
        &self,
        room: RoomId,
        user: UserId,
        role: Role,
        activity: NewActivity,
    ) -> Result<(MemberRecord, ActivityRecord), StoreError>;
    /// Removes the member and appends the activity describing it, in one transaction.
    async fn remove_member(
        &self,
        room: RoomId,
        user: UserId,
        activity: NewActivity,
    ) -> Result<ActivityRecord, StoreError>;
    async fn set_secret_mode(&self, room: RoomId, user: UserId, mode: &SecretMode) -> Result<(), StoreError>;
    /// Persists presence transitions in order, in one transaction: a burst
    /// of sockets connecting costs one commit, not one per socket.
    async fn set_presences(&self, changes: &[PresenceChange]) -> Result<(), StoreError>;

    /// Appends to the room's log; the returned record carries its seq.
    async fn append_activity(&self, activity: NewActivity) -> Result<ActivityRecord, StoreError>;
    /// Activities with `after_seq < seq <= up_to_seq` (no upper bound when
    /// `None`), oldest first, at most `limit`. Unfiltered: callers apply
    /// the visibility rule.
    async fn list_activities(
        &self,
        room: RoomId,
        after_seq: i64,
        up_to_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<ActivityRecord>, StoreError>;
    async fn get_activity(&self, room: RoomId, id: ActivityId) -> Result<ActivityRecord, StoreError>;
    /// Makes an activity visible to the room with `metadata` and appends
    /// `revealed`, in one transaction.
    async fn reveal_activity(
        &self,
        room: RoomId,
        id: ActivityId,
        metadata: serde_json::Value,
        revealed: NewActivity,
    ) -> Result<(ActivityRecord, ActivityRecord), StoreError>;
    /// The highest seq of the room's log (0 when empty).
    async fn current_seq(&self, room: RoomId) -> Result<i64, StoreError>;
}
