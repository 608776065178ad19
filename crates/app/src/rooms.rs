//! Room use cases: create, list, read, rename, delete, hand ownership on,
//! invite codes, joining, roles and removal. Every right is decided by
//! [`App::authorize`], which asks `Role::allows`; nothing else compares roles.

use std::sync::Arc;

use domain::{
    FieldErrors, RoomId, UserId,
    activity::ActionType,
    clock::now,
    role::{Role, RoomAction},
    user::PersonName,
    visibility::Visibility,
};
use serde::{Deserialize, Serialize};
use store::{ActivityRecord, AuthorState, JoinOutcome, MemberRecord, NewActivity, NewRoom, RoomRecord};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::{
    App, Caller,
    error::{AppError, AppResult},
};

/// Invite codes carry 80 random bits: unguessable, and short enough to type.
pub(crate) const INVITE_CODE_BYTES: usize = 10;
/// What invite codes are spelled with: lower-case base32.
pub(crate) const INVITE_CODE_ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
/// The length of an invite code: five bits a character.
pub(crate) const INVITE_CODE_CHARS: usize = INVITE_CODE_BYTES * 8 / 5;
/// What a room's visibility may be; the first is the default.
pub(crate) const ROOM_VISIBILITIES: [&str; 2] = ["private", "public"];
pub(crate) const MAX_INVITE_HOURS: i64 = 24 * 365;
/// The most joins an invite code may be limited to.
pub(crate) const MAX_INVITE_USES: i64 = 10_000;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoomView {
    pub id: RoomId,
    pub name: String,
    pub owner_id: UserId,
    /// `private` or `public`.
    pub visibility: String,
    pub invite_code: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub invite_expires_at: Option<OffsetDateTime>,
    pub invite_max_uses: Option<i64>,
    pub invite_uses: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// The caller's role in the room.
    pub my_role: Role,
    pub member_count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    pub user_id: UserId,
    pub name: String,
    pub avatar: Option<String>,
    pub role: Role,
    pub is_online: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_seen: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub joined_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoomDetail {
    #[serde(flatten)]
    pub room: RoomView,
    pub members: Vec<MemberView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JoinedRoom {
    pub room: RoomView,
    pub member: MemberView,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRoomInput {
    #[schema(value_type = domain::schema::DisplayName)]
    pub name: Option<String>,
    /// `private` (default) or `public`.
    #[schema(value_type = Option<crate::schema::RoomVisibilityName>)]
    pub visibility: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameRoomInput {
    #[schema(value_type = domain::schema::DisplayName)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinRoomInput {
    #[schema(value_type = crate::schema::InviteCode)]
    pub invite_code: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateInviteInput {
    /// The new code stops working after this many hours (1 to 8760).
    #[schema(value_type = Option<crate::schema::InviteHours>)]
    pub expires_in_hours: Option<i64>,
    /// Or at this time (RFC 3339, in the future, within a year); not with `expires_in_hours`.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<OffsetDateTime>,
    /// The new code admits at most this many joins (1 to 10000).
    #[schema(value_type = Option<crate::schema::InviteUses>)]
    pub max_uses: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRoleInput {
    #[schema(value_type = domain::schema::AssignableRole)]
    pub role: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferInput {
    /// Another member of the room (not the owner).
    #[schema(value_type = UserId)]
    pub user_id: Option<UserId>,
}

fn member_view(member: &MemberRecord, online: bool) -> MemberView {
    MemberView {
        user_id: member.user_id,
        name: member.name.clone(),
        avatar: member.avatar.clone(),
        role: member.role,
        is_online: online,
        last_seen: member.last_seen,
        joined_at: member.joined_at,
    }
}

fn room_view(room: RoomRecord, my_role: Role, member_count: i64) -> RoomView {
    RoomView {
        id: room.id,
        name: room.name,
        owner_id: room.owner_id,
        visibility: room.visibility,
        invite_code: room.invite_code,
        invite_expires_at: room.invite_expires_at,
        invite_max_uses: room.invite_max_uses,
        invite_uses: room.invite_uses,
        created_at: room.created_at,
        my_role,
        member_count,
    }
}

fn parse_room_name(errors: &mut FieldErrors, name: Option<&str>) -> Option<String> {
    match name {
        None => {
            errors.push("name", "is required");
            None
        }
        Some(name) => errors.take("name", PersonName::parse(name)).map(PersonName::into_inner),
    }
}

/// A fresh invite code: 80 random bits in lower-case base32 (16 characters).
pub fn new_invite_code() -> String {
    let bytes: [u8; INVITE_CODE_BYTES] = rand::random();
    let mut out = String::with_capacity(INVITE_CODE_CHARS);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(INVITE_CODE_ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    out
}

/// A server-written activity visible to the whole room.
pub(crate) fn server_activity(
    room: RoomId,
    actor: UserId,
    action: ActionType,
    metadata: serde_json::Value,
) -> NewActivity {
    NewActivity {
        id: domain::ActivityId::new(),
        room_id: room,
        user_id: actor,
        product_id: None,
        action_type: action,
        message: None,
        visibility: Visibility::Everyone,
        metadata,
        at: now(),
        author_as_of: None,
    }
}

impl App {
    /// The caller's membership, if they may do `action` in `room`.
    /// Unknown room: 404. Not a member, or a role too weak: 403.
    pub async fn authorize(&self, caller: Caller, room: RoomId, action: RoomAction) -> AppResult<MemberRecord> {
        match self.inner.store.get_member(room, caller.user_id).await? {
            Some(member) if member.role.allows(action) => Ok(member),
            Some(member) => {
                Err(AppError::Forbidden(format!("a {} of this room may not do that", member.role.as_str())))
            }
            None => {
                self.inner.store.get_room(room).await.map_err(|e| match e {
                    store::StoreError::NotFound => AppError::NotFound("room"),
                    other => other.into(),
                })?;
                Err(AppError::Forbidden("you are not a member of this room".into()))
            }
        }
    }

    /// The caller's membership for deciding an append: the per-node cached
    /// copy when there is one that allows `action`, else as [`Self::authorize`]
    /// reads it. Only for appends that go through [`Self::append_as_member`],
    /// whose commit confirms the membership they were decided on.
    pub(crate) async fn member_for_append(
        &self,
        caller: Caller,
        room: RoomId,
        action: RoomAction,
    ) -> AppResult<Arc<MemberRecord>> {
        if let Some(member) = self.inner.caches.members.get(&(room, caller.user_id)).await
            && member.role.allows(action)
        {
            return Ok(member);
        }
        self.fresh_member_for_append(caller, room, action).await
    }

    /// Caches a membership just read or written, for the member's next
    /// appends (confirmed by their commits, like any cached one).
    pub(crate) async fn remember_member(&self, member: Arc<MemberRecord>) {
        self.inner.caches.members.insert((member.room_id, member.user_id), member).await;
    }

    async fn fresh_member_for_append(
        &self,
        caller: Caller,
        room: RoomId,
        action: RoomAction,
    ) -> AppResult<Arc<MemberRecord>> {
        let member = Arc::new(self.authorize(caller, room, action).await?);
        self.remember_member(member.clone()).await;
        Ok(member)
    }

    /// Appends the activity `make` builds from the author's membership
    /// `member` (from [`Self::member_for_append`]). The store commits it only
    /// if the room still has the author with that role and secret mode;
    /// otherwise the membership is read again and the activity rebuilt from
    /// it, once. `store_error` maps the store's other refusals.
    pub(crate) async fn append_as_member(
        &self,
        caller: Caller,
        room: RoomId,
        action: RoomAction,
        member: Arc<MemberRecord>,
        make: impl Fn(&MemberRecord) -> NewActivity,
        store_error: impl Fn(store::StoreError) -> AppError,
    ) -> AppResult<ActivityRecord> {
        let decided_by =
            |member: &MemberRecord| NewActivity { author_as_of: Some(AuthorState::from(member)), ..make(member) };
        match self.inner.store.append_activity(decided_by(&member)).await {
            Err(store::StoreError::Stale) => {
                self.inner.caches.members.invalidate(&(room, caller.user_id)).await;
                let member = self.fresh_member_for_append(caller, room, action).await?;
                self.inner.store.append_activity(decided_by(&member)).await.map_err(store_error)
            }
            other => other.map_err(store_error),
        }
    }

    pub async fn create_room(&self, caller: Caller, input: CreateRoomInput) -> AppResult<RoomView> {
        let mut errors = FieldErrors::new();
        let name = parse_room_name(&mut errors, input.name.as_deref());
        let visibility = match input.visibility.as_deref() {
            None => ROOM_VISIBILITIES[0],
            Some(given) => ROOM_VISIBILITIES.into_iter().find(|v| *v == given).unwrap_or_else(|| {
                errors.push("visibility", "must be private or public");
                ROOM_VISIBILITIES[0]
            }),
        };
        errors.into_result()?;
        let name = name.ok_or_else(|| AppError::validation("name", "is required"))?;
        let room = self
            .inner
            .store
            .create_room(NewRoom {
                id: RoomId::new(),
                name,
                owner_id: caller.user_id,
                visibility: visibility.to_owned(),
                invite_code: new_invite_code(),
                at: now(),
            })
            .await?;
        Ok(room_view(room, Role::Owner, 1))
    }

    pub async fn list_rooms(&self, caller: Caller) -> AppResult<Vec<RoomView>> {
        let listings = self.inner.store.list_rooms_of(caller.user_id).await?;
        Ok(listings.into_iter().map(|l| room_view(l.room, l.role, l.member_count)).collect())
    }

    pub async fn get_room(&self, caller: Caller, room_id: RoomId) -> AppResult<RoomDetail> {
        let me = self.authorize(caller, room_id, RoomAction::Read).await?;
        let room = self.inner.store.get_room(room_id).await?;
        let members = self.inner.store.list_members(room_id).await?;
        let online = self.online_users(room_id).await;
        let member_count = members.len() as i64;
        Ok(RoomDetail {
            room: room_view(room, me.role, member_count),
            members: members.iter().map(|m| member_view(m, online.contains(&m.user_id))).collect(),
        })
    }

    pub async fn rename_room(&self, caller: Caller, room_id: RoomId, input: RenameRoomInput) -> AppResult<RoomDetail> {
        self.authorize(caller, room_id, RoomAction::Rename).await?;
        let mut errors = FieldErrors::new();
        let name = parse_room_name(&mut errors, input.name.as_deref());
        errors.into_result()?;
        let name = name.ok_or_else(|| AppError::validation("name", "is required"))?;
        self.inner.store.rename_room(room_id, &name, now()).await?;
        self.get_room(caller, room_id).await
    }

    pub async fn delete_room(&self, caller: Caller, room_id: RoomId) -> AppResult<()> {
        self.authorize(caller, room_id, RoomAction::OwnRoom).await?;
        let members = self.inner.store.list_members(room_id).await?;
        self.inner.store.delete_room(room_id).await?;
        self.audit("room_deleted", Some(caller.user_id.0), None, Some(room_id.0), None, serde_json::json!({})).await?;
        for member in members {
            self.revoke_room_access(room_id, member.user_id, "room_deleted").await;
        }
        Ok(())
    }

    pub async fn transfer_ownership(
        &self,
        caller: Caller,
        room_id: RoomId,
        input: TransferInput,
    ) -> AppResult<RoomDetail> {
        self.authorize(caller, room_id, RoomAction::OwnRoom).await?;
        let target = input.user_id.ok_or_else(|| AppError::validation("user_id", "is required"))?;
        if target == caller.user_id {
            return Err(AppError::validation("user_id", "you already own this room"));
        }
        let Some(heir) = self.inner.store.get_member(room_id, target).await? else {
            return Err(AppError::validation("user_id", "is not a member of this room"));
        };
        self.inner.store.transfer_ownership(room_id, caller.user_id, target, now()).await?;
        self.audit(
            "ownership_transferred",
            Some(caller.user_id.0),
            Some(target.0),
            Some(room_id.0),
            None,
            serde_json::json!({}),
        )
        .await?;
        let activity = self
            .inner
            .store
            .append_activity(server_activity(
                room_id,
                caller.user_id,
                ActionType::RoleChanged,
                serde_json::json!({"user_id": target, "name": heir.name, "role": "owner"}),
            ))
            .await?;
        self.publish_activity(&activity).await;
        self.get_room(caller, room_id).await
    }

    pub async fn rotate_invite(
        &self,
        caller: Caller,
        room_id: RoomId,
        input: RotateInviteInput,
    ) -> AppResult<RoomView> {
        let me = self.authorize(caller, room_id, RoomAction::ManageMembers).await?;
        let mut errors = FieldErrors::new();
        if input.expires_in_hours.is_some_and(|h| !(1..=MAX_INVITE_HOURS).contains(&h)) {
            errors.push("expires_in_hours", format!("must be from 1 to {MAX_INVITE_HOURS}"));
        }
        if input.max_uses.is_some_and(|n| !(1..=MAX_INVITE_USES).contains(&n)) {
            errors.push("max_uses", format!("must be from 1 to {MAX_INVITE_USES}"));
        }
        let at = now();
        if let Some(expiry) = input.expires_at {
            if input.expires_in_hours.is_some() {
                errors.push("expires_at", "give expires_at or expires_in_hours, not both");
            } else if expiry <= at || expiry > at + time::Duration::hours(MAX_INVITE_HOURS) {
                errors.push("expires_at", "must be in the future and within a year");
            }
        }
        errors.into_result()?;
        let expires_at = input.expires_at.or_else(|| input.expires_in_hours.map(|h| at + time::Duration::hours(h)));
        let room = self.inner.store.set_invite(room_id, &new_invite_code(), expires_at, input.max_uses, now()).await?;
        let count = self.inner.store.count_members(room_id).await?;
        Ok(room_view(room, me.role, count))
    }

    pub async fn join_room(&self, caller: Caller, input: JoinRoomInput) -> AppResult<JoinedRoom> {
        let code = input
            .invite_code
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty() && c.len() <= 64)
            .ok_or_else(|| AppError::validation("invite_code", "is required"))?;
        // Names travel with the membership activities (here, and the member a
        // change is about in the others), so that the room's history can still
        // say who it was after that member has left.
        let name = self.get_me(caller).await?.name;
        let joined =
            server_activity(RoomId::new(), caller.user_id, ActionType::Joined, serde_json::json!({"name": name}));
        let outcome = self.inner.store.join_by_code(&code, caller.user_id, joined).await?;
        let (room, member) = match outcome {
            JoinOutcome::Joined { room, member, activity } => {
                self.publish_activity(&activity).await;
                (room, member)
            }
            JoinOutcome::AlreadyMember { room, member } => (room, member),
            JoinOutcome::UnknownCode => return Err(AppError::NotFound("invite code")),
            JoinOutcome::Expired => {
                return Err(AppError::Conflict {
                    code: "invite_expired",
                    message: "this invite code has expired".into(),
                });
            }
            JoinOutcome::UsedUp => {
                return Err(AppError::Conflict {
                    code: "invite_used_up",
                    message: "this invite code has been used as often as allowed".into(),
                });
            }
        };
        // The membership as the join committed it: the member's first post
        // is decided from it.
        self.remember_member(Arc::new(member.clone())).await;
        let count = self.inner.store.count_members(room.id).await?;
        let online = self.online_users(room.id).await;
        Ok(JoinedRoom {
            member: member_view(&member, online.contains(&member.user_id)),
            room: room_view(room, member.role, count),
        })
    }

    pub async fn set_member_role(
        &self,
        caller: Caller,
        room_id: RoomId,
        target: UserId,
        input: SetRoleInput,
    ) -> AppResult<MemberView> {
        let me = self.authorize(caller, room_id, RoomAction::ManageMembers).await?;
        let role = match input.role.as_deref() {
            None => return Err(AppError::validation("role", "is required")),
            Some(text) => Role::parse(text).map_err(|m| AppError::validation("role", m))?,
        };
        let current = self.inner.store.get_member(room_id, target).await?.ok_or(AppError::NotFound("member"))?;
        if role == Role::Owner {
            return Err(AppError::validation("role", "ownership moves through a transfer, not a role change"));
        }
        if !me.role.may_assign(current.role, role) {
            return Err(AppError::Forbidden(format!(
                "a {} may not change a {} into a {}",
                me.role.as_str(),
                current.role.as_str(),
                role.as_str()
            )));
        }
        let activity = server_activity(
            room_id,
            caller.user_id,
            ActionType::RoleChanged,
            serde_json::json!({
                "user_id": target,
                "name": current.name,
                "role": role.as_str(),
                "from": current.role.as_str()
            }),
        );
        let (member, appended) = self.inner.store.set_role(room_id, target, role, activity).await?;
        self.audit(
            "role_changed",
            Some(caller.user_id.0),
            Some(target.0),
            Some(room_id.0),
            None,
            serde_json::json!({"from": current.role.as_str(), "to": role.as_str()}),
        )
        .await?;
        self.publish_activity(&appended).await;
        let online = self.online_users(room_id).await;
        Ok(member_view(&member, online.contains(&member.user_id)))
    }

    /// An admin removes a member, or a member leaves (target = caller).
    pub async fn remove_member(&self, caller: Caller, room_id: RoomId, target: UserId) -> AppResult<()> {
        let leaving = target == caller.user_id;
        let me = self.authorize(caller, room_id, RoomAction::Read).await?;
        let current = self.inner.store.get_member(room_id, target).await?.ok_or(AppError::NotFound("member"))?;
        if leaving {
            if me.role == Role::Owner {
                return Err(AppError::Conflict {
                    code: "owner_cannot_leave",
                    message: "hand ownership on before leaving, or delete the room".into(),
                });
            }
        } else if !me.role.may_remove(current.role) {
            return Err(AppError::Forbidden(format!(
                "a {} may not remove a {}",
                me.role.as_str(),
                current.role.as_str()
            )));
        }
        let (action, event) =
            if leaving { (ActionType::Left, "member_left") } else { (ActionType::Removed, "member_removed") };
        let activity = server_activity(
            room_id,
            caller.user_id,
            action,
            serde_json::json!({"user_id": target, "name": current.name}),
        );
        let appended = self.inner.store.remove_member(room_id, target, activity).await?;
        self.audit(event, Some(caller.user_id.0), Some(target.0), Some(room_id.0), None, serde_json::json!({})).await?;
        self.revoke_room_access(room_id, target, if leaving { "left" } else { "removed" }).await;
        self.publish_activity(&appended).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_codes_are_sixteen_base32_characters_and_differ() {
        let a = new_invite_code();
        let b = new_invite_code();
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c)));
        assert_ne!(a, b);
    }
}
