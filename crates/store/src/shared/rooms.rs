// Rooms, members and the activity log, shared by both backends. Included
// by `sqlite.rs` and `postgres.rs` inside a module that imports `Db`,
// `BackendStore`, `LOCK_ROWS` and `StoreError`.

use std::collections::BTreeSet;

use async_trait::async_trait;
use domain::{
    ActivityId, ProductId, RoomId, UserId,
    activity::ActionType,
    role::Role,
    visibility::{SecretMode, Visibility},
};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::rooms::{ActivityRecord, JoinOutcome, MemberRecord, NewActivity, NewRoom, RoomListing, RoomRecord, Rooms};

const ROOM_COLUMNS: &str = "r.id, r.name, r.owner_id, r.visibility, r.invite_code, r.invite_expires_at, \
    r.invite_max_uses, r.invite_uses, r.created_at, r.updated_at";

#[derive(sqlx::FromRow)]
struct RoomRow {
    id: Uuid,
    name: String,
    owner_id: Uuid,
    visibility: String,
    invite_code: String,
    invite_expires_at: Option<OffsetDateTime>,
    invite_max_uses: Option<i64>,
    invite_uses: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl From<RoomRow> for RoomRecord {
    fn from(row: RoomRow) -> Self {
        RoomRecord {
            id: RoomId(row.id),
            name: row.name,
            owner_id: UserId(row.owner_id),
            visibility: row.visibility,
            invite_code: row.invite_code,
            invite_expires_at: row.invite_expires_at,
            invite_max_uses: row.invite_max_uses,
            invite_uses: row.invite_uses,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ListingRow {
    #[sqlx(flatten)]
    room: RoomRow,
    role: String,
    member_count: i64,
}

const MEMBER_SELECT: &str = "SELECT m.room_id, m.user_id, u.name, u.avatar, m.role, m.is_online, m.last_seen, \
    m.joined_at, m.secret_enabled, m.secret_hidden_from FROM room_members m JOIN users u ON u.id = m.user_id";

#[derive(sqlx::FromRow)]
struct MemberRow {
    room_id: Uuid,
    user_id: Uuid,
    name: String,
    avatar: Option<String>,
    role: String,
    is_online: bool,
    last_seen: Option<OffsetDateTime>,
    joined_at: OffsetDateTime,
    secret_enabled: bool,
    secret_hidden_from: Json<BTreeSet<UserId>>,
}

impl TryFrom<MemberRow> for MemberRecord {
    type Error = StoreError;

    fn try_from(row: MemberRow) -> Result<Self, StoreError> {
        Ok(MemberRecord {
            room_id: RoomId(row.room_id),
            user_id: UserId(row.user_id),
            name: row.name,
            avatar: row.avatar,
            role: Role::parse(&row.role).map_err(StoreError::Corrupt)?,
            is_online: row.is_online,
            last_seen: row.last_seen,
            joined_at: row.joined_at,
            secret_mode: SecretMode { enabled: row.secret_enabled, hidden_from: row.secret_hidden_from.0 },
        })
    }
}

pub(super) const ACTIVITY_COLUMNS: &str =
    "id, room_id, seq, user_id, product_id, action_type, message, visibility, metadata, created_at";

#[derive(sqlx::FromRow)]
pub(super) struct ActivityRow {
    pub(super) id: Uuid,
    room_id: Uuid,
    seq: i64,
    user_id: Uuid,
    product_id: Option<Uuid>,
    action_type: String,
    message: Option<String>,
    visibility: Json<Visibility>,
    metadata: Json<serde_json::Value>,
    created_at: OffsetDateTime,
}

impl TryFrom<ActivityRow> for ActivityRecord {
    type Error = StoreError;

    fn try_from(row: ActivityRow) -> Result<Self, StoreError> {
        Ok(ActivityRecord {
            id: ActivityId(row.id),
            room_id: RoomId(row.room_id),
            seq: row.seq,
            user_id: UserId(row.user_id),
            product_id: row.product_id.map(ProductId),
            action_type: ActionType::parse(&row.action_type).map_err(StoreError::Corrupt)?,
            message: row.message,
            visibility: row.visibility.0,
            metadata: row.metadata.0,
            created_at: row.created_at,
        })
    }
}

async fn member_in(
    tx: &mut sqlx::Transaction<'_, Db>,
    room: RoomId,
    user: UserId,
) -> Result<Option<MemberRecord>, StoreError> {
    let row: Option<MemberRow> = sqlx::query_as(&format!("{MEMBER_SELECT} WHERE m.room_id = $1 AND m.user_id = $2"))
        .bind(room.0)
        .bind(user.0)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(MemberRecord::try_from).transpose()
}

async fn insert_member(
    tx: &mut sqlx::Transaction<'_, Db>,
    room: RoomId,
    user: UserId,
    role: Role,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO room_members (id, room_id, user_id, role, joined_at, last_seen) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(Uuid::now_v7())
    .bind(room.0)
    .bind(user.0)
    .bind(role.as_str())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The author's role and secret mode as stored now.
#[derive(sqlx::FromRow)]
struct AuthorRow {
    role: String,
    secret_enabled: bool,
    secret_hidden_from: Json<BTreeSet<UserId>>,
}

impl AuthorRow {
    /// True when the stored member is the one `expected` describes.
    fn matches(&self, expected: &crate::AuthorState) -> bool {
        expected.describes(&self.role, self.secret_enabled, &self.secret_hidden_from.0)
    }
}

/// Rooms counted by one `count_members_of` statement.
const COUNT_ROOMS_PER_STATEMENT: usize = 500;

/// The statements of one append, here and in SQLite's group committer
/// (`sqlite/group_commit.rs`): the author as stored, the room's next
/// sequence number (each backend's `NEXT_ACTIVITY_SEQ`), the row.
pub(super) const SELECT_AUTHOR: &str =
    "SELECT role, secret_enabled, secret_hidden_from FROM room_members WHERE room_id = $1 AND user_id = $2";
pub(super) const INSERT_ACTIVITY: &str = "INSERT INTO room_activities (id, room_id, seq, user_id, product_id, \
     action_type, message, is_secret, visibility, metadata, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

/// Appends inside `tx`. Taking the next sequence number orders the room's
/// appends (see each backend's `NEXT_ACTIVITY_SEQ`), so seqs commit in order;
/// it finds no row when the room is gone.
pub(super) async fn append_in(
    tx: &mut sqlx::Transaction<'_, Db>,
    activity: &NewActivity,
) -> Result<ActivityRecord, StoreError> {
    if let Some(expected) = &activity.author_as_of {
        // Locked where the backend can, so that the author's secret mode
        // cannot change between this check and the commit.
        let stored: Option<AuthorRow> = sqlx::query_as(&format!("{SELECT_AUTHOR}{LOCK_ROWS}"))
        .bind(activity.room_id.0)
        .bind(activity.user_id.0)
        .fetch_optional(&mut **tx)
        .await?;
        if !stored.is_some_and(|row| row.matches(expected)) {
            return Err(StoreError::Stale);
        }
    }
    let (seq,): (i64,) =
        sqlx::query_as(NEXT_ACTIVITY_SEQ)
            .bind(activity.room_id.0)
            .fetch_one(&mut **tx)
            .await?;
    let row: ActivityRow = sqlx::query_as(&format!("{INSERT_ACTIVITY} RETURNING {ACTIVITY_COLUMNS}"))
    .bind(activity.id.0)
    .bind(activity.room_id.0)
    .bind(seq)
    .bind(activity.user_id.0)
    .bind(activity.product_id.map(|p| p.0))
    .bind(activity.action_type.as_str())
    .bind(&activity.message)
    .bind(activity.visibility.is_restricted())
    .bind(Json(&activity.visibility))
    .bind(Json(&activity.metadata))
    .bind(activity.at)
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

async fn room_in(tx: &mut sqlx::Transaction<'_, Db>, id: RoomId) -> Result<RoomRecord, StoreError> {
    let row: RoomRow = sqlx::query_as(&format!("SELECT {ROOM_COLUMNS} FROM rooms r WHERE r.id = $1"))
        .bind(id.0)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.into())
}

#[async_trait]
impl Rooms for BackendStore {
    async fn create_room(&self, room: NewRoom) -> Result<RoomRecord, StoreError> {
        let mut tx = self.writer().begin().await?;
        sqlx::query(
            "INSERT INTO rooms (id, name, owner_id, visibility, invite_code, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(room.id.0)
        .bind(&room.name)
        .bind(room.owner_id.0)
        .bind(&room.visibility)
        .bind(&room.invite_code)
        .bind(room.at)
        .execute(&mut *tx)
        .await?;
        insert_member(&mut tx, room.id, room.owner_id, Role::Owner, room.at).await?;
        let record = room_in(&mut tx, room.id).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn get_room(&self, id: RoomId) -> Result<RoomRecord, StoreError> {
        let row: RoomRow = sqlx::query_as(&format!("SELECT {ROOM_COLUMNS} FROM rooms r WHERE r.id = $1"))
            .bind(id.0)
            .fetch_one(self.reader())
            .await?;
        Ok(row.into())
    }

    async fn list_rooms_of(&self, user: UserId) -> Result<Vec<RoomListing>, StoreError> {
        let rows: Vec<ListingRow> = sqlx::query_as(&format!(
            "SELECT {ROOM_COLUMNS}, m.role, \
             (SELECT COUNT(*) FROM room_members c WHERE c.room_id = r.id) AS member_count \
             FROM rooms r JOIN room_members m ON m.room_id = r.id WHERE m.user_id = $1 \
             ORDER BY r.created_at DESC, r.id"
        ))
        .bind(user.0)
        .fetch_all(self.reader())
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(RoomListing {
                    role: Role::parse(&row.role).map_err(StoreError::Corrupt)?,
                    member_count: row.member_count,
                    room: row.room.into(),
                })
            })
            .collect()
    }

    async fn rename_room(&self, id: RoomId, name: &str, at: OffsetDateTime) -> Result<RoomRecord, StoreError> {
        let mut tx = self.writer().begin().await?;
        let updated = sqlx::query("UPDATE rooms SET name = $2, updated_at = $3 WHERE id = $1")
            .bind(id.0)
            .bind(name)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let record = room_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn delete_room(&self, id: RoomId) -> Result<(), StoreError> {
        let deleted = sqlx::query("DELETE FROM rooms WHERE id = $1").bind(id.0).execute(self.writer()).await?;
        if deleted.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    async fn transfer_ownership(
        &self,
        id: RoomId,
        from: UserId,
        to: UserId,
        at: OffsetDateTime,
    ) -> Result<RoomRecord, StoreError> {
        let mut tx = self.writer().begin().await?;
        let demoted = sqlx::query(
            "UPDATE room_members SET role = 'admin' WHERE room_id = $1 AND user_id = $2 AND role = 'owner'",
        )
        .bind(id.0)
        .bind(from.0)
        .execute(&mut *tx)
        .await?;
        let promoted = sqlx::query("UPDATE room_members SET role = 'owner' WHERE room_id = $1 AND user_id = $2")
            .bind(id.0)
            .bind(to.0)
            .execute(&mut *tx)
            .await?;
        if demoted.rows_affected() != 1 || promoted.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("UPDATE rooms SET owner_id = $2, updated_at = $3 WHERE id = $1")
            .bind(id.0)
            .bind(to.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        let record = room_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn set_invite(
        &self,
        id: RoomId,
        code: &str,
        expires_at: Option<OffsetDateTime>,
        max_uses: Option<i64>,
        at: OffsetDateTime,
    ) -> Result<RoomRecord, StoreError> {
        let mut tx = self.writer().begin().await?;
        let updated = sqlx::query(
            "UPDATE rooms SET invite_code = $2, invite_expires_at = $3, invite_max_uses = $4, invite_uses = 0, \
             updated_at = $5 WHERE id = $1",
        )
        .bind(id.0)
        .bind(code)
        .bind(expires_at)
        .bind(max_uses)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let record = room_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn join_by_code(&self, code: &str, user: UserId, joined: NewActivity) -> Result<JoinOutcome, StoreError> {
        let mut tx = self.writer().begin().await?;
        let row: Option<RoomRow> =
            sqlx::query_as(&format!("SELECT {ROOM_COLUMNS} FROM rooms r WHERE r.invite_code = $1{LOCK_ROWS}"))
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(room) = row.map(RoomRecord::from) else { return Ok(JoinOutcome::UnknownCode) };
        if let Some(member) = member_in(&mut tx, room.id, user).await? {
            return Ok(JoinOutcome::AlreadyMember { room, member });
        }
        if room.invite_expires_at.is_some_and(|expiry| expiry <= joined.at) {
            return Ok(JoinOutcome::Expired);
        }
        if room.invite_max_uses.is_some_and(|max| room.invite_uses >= max) {
            return Ok(JoinOutcome::UsedUp);
        }
        insert_member(&mut tx, room.id, user, Role::Member, joined.at).await?;
        sqlx::query("UPDATE rooms SET invite_uses = invite_uses + 1 WHERE id = $1")
            .bind(room.id.0)
            .execute(&mut *tx)
            .await?;
        let activity = append_in(&mut tx, &NewActivity { room_id: room.id, ..joined }).await?;
        let member = member_in(&mut tx, room.id, user).await?.ok_or(StoreError::NotFound)?;
        let room = room_in(&mut tx, room.id).await?;
        tx.commit().await?;
        Ok(JoinOutcome::Joined { room, member, activity })
    }

    async fn get_member(&self, room: RoomId, user: UserId) -> Result<Option<MemberRecord>, StoreError> {
        let row: Option<MemberRow> =
            sqlx::query_as(&format!("{MEMBER_SELECT} WHERE m.room_id = $1 AND m.user_id = $2"))
                .bind(room.0)
                .bind(user.0)
                .fetch_optional(self.reader())
                .await?;
        row.map(MemberRecord::try_from).transpose()
    }

    async fn list_members(&self, room: RoomId) -> Result<Vec<MemberRecord>, StoreError> {
        let rows: Vec<MemberRow> =
            sqlx::query_as(&format!("{MEMBER_SELECT} WHERE m.room_id = $1 ORDER BY m.joined_at, m.user_id"))
                .bind(room.0)
                .fetch_all(self.reader())
                .await?;
        rows.into_iter().map(MemberRecord::try_from).collect()
    }

    async fn count_members(&self, room: RoomId) -> Result<i64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM room_members WHERE room_id = $1")
            .bind(room.0)
            .fetch_one(self.reader())
            .await?;
        Ok(count)
    }

    async fn count_members_of(&self, rooms: &[RoomId]) -> Result<std::collections::HashMap<RoomId, i64>, StoreError> {
        let mut counts = std::collections::HashMap::with_capacity(rooms.len());
        // A few hundred rooms per statement keeps well under either backend's
        // limit on bound parameters.
        for chunk in rooms.chunks(COUNT_ROOMS_PER_STATEMENT) {
            let mut query = sqlx::QueryBuilder::<Db>::new("SELECT room_id, COUNT(*) FROM room_members WHERE room_id IN (");
            let mut ids = query.separated(", ");
            for room in chunk {
                ids.push_bind(room.0);
            }
            query.push(") GROUP BY room_id");
            let rows: Vec<(Uuid, i64)> = query.build_query_as().fetch_all(self.reader()).await?;
            counts.extend(rows.into_iter().map(|(room, count)| (RoomId(room), count)));
        }
        Ok(counts)
    }

    async fn set_role(
        &self,
        room: RoomId,
        user: UserId,
        role: Role,
        activity: NewActivity,
    ) -> Result<(MemberRecord, ActivityRecord), StoreError> {
        let mut tx = self.writer().begin().await?;
        let updated = sqlx::query("UPDATE room_members SET role = $3 WHERE room_id = $1 AND user_id = $2")
            .bind(room.0)
            .bind(user.0)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let appended = append_in(&mut tx, &activity).await?;
        let member = member_in(&mut tx, room, user).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok((member, appended))
    }

    async fn remove_member(
        &self,
        room: RoomId,
        user: UserId,
        activity: NewActivity,
    ) -> Result<ActivityRecord, StoreError> {
        let mut tx = self.writer().begin().await?;
        let deleted = sqlx::query("DELETE FROM room_members WHERE room_id = $1 AND user_id = $2")
            .bind(room.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let appended = append_in(&mut tx, &activity).await?;
        tx.commit().await?;
        Ok(appended)
    }

    async fn set_secret_mode(&self, room: RoomId, user: UserId, mode: &SecretMode) -> Result<(), StoreError> {
        let updated = sqlx::query(
            "UPDATE room_members SET secret_enabled = $3, secret_hidden_from = $4 WHERE room_id = $1 AND user_id = $2",
        )
        .bind(room.0)
        .bind(user.0)
        .bind(mode.enabled)
        .bind(Json(&mode.hidden_from))
        .execute(self.writer())
        .await?;
        if updated.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    async fn set_presences(&self, changes: &[domain::presence::PresenceChange]) -> Result<(), StoreError> {
        // Each member's last transition, as applying them in order would
        // leave it; then one statement for the whole burst (a statement per
        // transition held the writer for a hand-off to its thread each).
        let mut last = std::collections::HashMap::new();
        for change in changes {
            last.insert((change.room_id, change.user_id), change);
        }
        if last.is_empty() {
            return Ok(());
        }
        let mut update =
            sqlx::QueryBuilder::<Db>::new("WITH changed (room_id, user_id, is_online, last_seen) AS (");
        update.push_values(last.values(), |mut row, change| {
            row.push_bind(change.room_id.0).push_bind(change.user_id.0).push_bind(change.online).push_bind(change.at);
        });
        update.push(
            ") UPDATE room_members SET is_online = changed.is_online, last_seen = changed.last_seen FROM changed \
             WHERE room_members.room_id = changed.room_id AND room_members.user_id = changed.user_id",
        );
        update.build().execute(self.writer()).await?;
        Ok(())
    }

    async fn append_activity(&self, activity: NewActivity) -> Result<ActivityRecord, StoreError> {
        self.append_one(activity).await
    }

    async fn list_activities(
        &self,
        room: RoomId,
        after_seq: i64,
        up_to_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<ActivityRecord>, StoreError> {
        let rows: Vec<ActivityRow> = sqlx::query_as(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM room_activities WHERE room_id = $1 AND seq > $2 AND seq <= $3 \
             ORDER BY seq LIMIT $4"
        ))
        .bind(room.0)
        .bind(after_seq)
        .bind(up_to_seq.unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(ActivityRecord::try_from).collect()
    }

    async fn get_activity(&self, room: RoomId, id: ActivityId) -> Result<ActivityRecord, StoreError> {
        let row: ActivityRow =
            sqlx::query_as(&format!("SELECT {ACTIVITY_COLUMNS} FROM room_activities WHERE room_id = $1 AND id = $2"))
                .bind(room.0)
                .bind(id.0)
                .fetch_one(self.reader())
                .await?;
        row.try_into()
    }

    async fn reveal_activity(
        &self,
        room: RoomId,
        id: ActivityId,
        metadata: serde_json::Value,
        revealed: NewActivity,
    ) -> Result<(ActivityRecord, ActivityRecord), StoreError> {
        let mut tx = self.writer().begin().await?;
        let row: Option<ActivityRow> = sqlx::query_as(&format!(
            "UPDATE room_activities SET visibility = $3, is_secret = $4, metadata = $5 \
             WHERE room_id = $1 AND id = $2 RETURNING {ACTIVITY_COLUMNS}"
        ))
        .bind(room.0)
        .bind(id.0)
        .bind(Json(Visibility::Everyone))
        .bind(false)
        .bind(Json(&metadata))
        .fetch_optional(&mut *tx)
        .await?;
        let original = ActivityRecord::try_from(row.ok_or(StoreError::NotFound)?)?;
        let appended = append_in(&mut tx, &revealed).await?;
        tx.commit().await?;
        Ok((original, appended))
    }

    async fn current_seq(&self, room: RoomId) -> Result<i64, StoreError> {
        let (seq,): (i64,) = sqlx::query_as(LAST_ACTIVITY_SEQ)
            .bind(room.0)
            .fetch_one(self.reader())
            .await?;
        Ok(seq)
    }
}
