// Accounts queries shared by both backends. This file is `include!`d by
// `sqlite.rs` and `postgres.rs`, where `Db`, `BackendStore` and `LOCK_ROWS`
// name that backend's types.

use async_trait::async_trait;
use domain::{TokenFamilyId, UserId};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::{Accounts, AuditEntry, NewRefreshToken, NewUser, Profile, RefreshOutcome, UserPatch, UserRecord};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    name: String,
    email: String,
    avatar: Option<String>,
    profile: Json<Profile>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl From<UserRow> for UserRecord {
    fn from(row: UserRow) -> Self {
        UserRecord {
            id: UserId(row.id),
            name: row.name,
            email: row.email,
            avatar: row.avatar,
            profile: row.profile.0,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

const USER_COLUMNS: &str = "id, name, email, avatar, profile, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: Uuid,
    family_id: Uuid,
    expires_at: OffsetDateTime,
    used_at: Option<OffsetDateTime>,
    user_id: Uuid,
    revoked_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: Uuid,
    occurred_at: OffsetDateTime,
    event: String,
    actor_id: Option<Uuid>,
    subject_id: Option<Uuid>,
    room_id: Option<Uuid>,
    ip: Option<String>,
    details: Json<serde_json::Value>,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> Self {
        AuditEntry {
            id: row.id,
            occurred_at: row.occurred_at,
            event: row.event,
            actor_id: row.actor_id,
            subject_id: row.subject_id,
            room_id: row.room_id,
            ip: row.ip,
            details: row.details.0,
        }
    }
}

async fn insert_refresh_token(tx: &mut sqlx::Transaction<'_, Db>, token: &NewRefreshToken) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO refresh_tokens (id, family_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token.id)
    .bind(token.family_id.0)
    .bind(&token.token_hash)
    .bind(token.created_at)
    .bind(token.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn revoke_family_in(
    tx: &mut sqlx::Transaction<'_, Db>,
    family_id: Uuid,
    reason: &str,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE token_families SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL")
        .bind(family_id)
        .bind(at)
        .bind(reason)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait]
impl Accounts for BackendStore {
    async fn create_user(&self, user: NewUser) -> Result<UserRecord, StoreError> {
        let mut tx = self.writer().begin().await?;
        let row: UserRow = sqlx::query_as(&format!(
            "INSERT INTO users (id, name, email, email_normalized, profile, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {USER_COLUMNS}"
        ))
        .bind(user.id.0)
        .bind(&user.name)
        .bind(&user.email)
        .bind(&user.email_normalized)
        .bind(Json(Profile::default()))
        .bind(user.at)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO credentials (user_id, password_hash, updated_at) VALUES ($1, $2, $3)")
            .bind(user.id.0)
            .bind(&user.password_hash)
            .bind(user.at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(row.into())
    }

    async fn get_user(&self, id: UserId) -> Result<UserRecord, StoreError> {
        let row: UserRow = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.0)
            .fetch_one(self.reader())
            .await?;
        Ok(row.into())
    }

    async fn find_login(&self, email_normalized: &str) -> Result<Option<(UserRecord, String)>, StoreError> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE email_normalized = $1"))
                .bind(email_normalized)
                .fetch_optional(self.reader())
                .await?;
        let Some(row) = row else { return Ok(None) };
        let hash: (String,) = sqlx::query_as("SELECT password_hash FROM credentials WHERE user_id = $1")
            .bind(row.id)
            .fetch_one(self.reader())
            .await?;
        Ok(Some((row.into(), hash.0)))
    }

    async fn update_user(&self, id: UserId, patch: UserPatch, at: OffsetDateTime) -> Result<UserRecord, StoreError> {
        let mut tx = self.writer().begin().await?;
        let current: UserRow = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1{LOCK_ROWS}"))
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        let mut profile = current.profile.0;
        if let Some(sizes) = patch.sizes {
            profile.sizes = sizes;
        }
        if let Some(preferences) = patch.preferences {
            profile.preferences = preferences;
        }
        let name = patch.name.unwrap_or(current.name);
        let avatar = patch.avatar.unwrap_or(current.avatar);
        let row: UserRow = sqlx::query_as(&format!(
            "UPDATE users SET name = $2, avatar = $3, profile = $4, updated_at = $5 WHERE id = $1 RETURNING {USER_COLUMNS}"
        ))
        .bind(id.0)
        .bind(name)
        .bind(avatar)
        .bind(Json(profile))
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.into())
    }

    async fn start_token_family(&self, user_id: UserId, token: NewRefreshToken) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        sqlx::query("INSERT INTO token_families (id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(token.family_id.0)
            .bind(user_id.0)
            .bind(token.created_at)
            .execute(&mut *tx)
            .await?;
        insert_refresh_token(&mut tx, &token).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn rotate_refresh_token(
        &self,
        token_hash: &[u8],
        next: NewRefreshToken,
        now: OffsetDateTime,
    ) -> Result<RefreshOutcome, StoreError> {
        let mut tx = self.writer().begin().await?;
        let row: Option<TokenRow> = sqlx::query_as(&format!(
            "SELECT t.id, t.family_id, t.expires_at, t.used_at, f.user_id, f.revoked_at \
             FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id \
             WHERE t.token_hash = $1{LOCK_ROWS}"
        ))
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(RefreshOutcome::Unknown) };
        let user_id = UserId(row.user_id);
        let family_id = TokenFamilyId(row.family_id);
        if row.used_at.is_some() || row.revoked_at.is_some() {
            revoke_family_in(&mut tx, row.family_id, "refresh_token_reused", now).await?;
            tx.commit().await?;
            return Ok(RefreshOutcome::Reused { user_id, family_id });
        }
        if row.expires_at <= now {
            return Ok(RefreshOutcome::Expired);
        }
        let used = sqlx::query("UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
            .bind(row.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if used.rows_affected() == 0 {
            revoke_family_in(&mut tx, row.family_id, "refresh_token_reused", now).await?;
            tx.commit().await?;
            return Ok(RefreshOutcome::Reused { user_id, family_id });
        }
        let next = NewRefreshToken { family_id, ..next };
        insert_refresh_token(&mut tx, &next).await?;
        tx.commit().await?;
        Ok(RefreshOutcome::Rotated { user_id, family_id })
    }

    async fn revoke_token_family(
        &self,
        family_id: TokenFamilyId,
        reason: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        revoke_family_in(&mut tx, family_id.0, reason, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn token_family_active(&self, family_id: TokenFamilyId) -> Result<bool, StoreError> {
        let row: Option<(Option<OffsetDateTime>,)> =
            sqlx::query_as("SELECT revoked_at FROM token_families WHERE id = $1")
                .bind(family_id.0)
                .fetch_optional(self.reader())
                .await?;
        Ok(matches!(row, Some((None,))))
    }

    async fn append_audit(&self, entry: AuditEntry) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (id, occurred_at, event, actor_id, subject_id, room_id, ip, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(entry.id)
        .bind(entry.occurred_at)
        .bind(&entry.event)
        .bind(entry.actor_id)
        .bind(entry.subject_id)
        .bind(entry.room_id)
        .bind(&entry.ip)
        .bind(Json(&entry.details))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    async fn list_audit(&self, after: Option<OffsetDateTime>, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let columns = "id, occurred_at, event, actor_id, subject_id, room_id, ip, details";
        let rows: Vec<AuditRow> = match after {
            Some(after) => {
                sqlx::query_as(&format!(
                    "SELECT {columns} FROM audit_log WHERE occurred_at > $1 ORDER BY occurred_at, id LIMIT $2"
                ))
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await?
            }
            None => {
                sqlx::query_as(&format!("SELECT {columns} FROM audit_log ORDER BY occurred_at, id LIMIT $1"))
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await?
            }
        };
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(self.reader()).await?;
        Ok(())
    }

    fn pool_stats(&self) -> crate::PoolStats {
        self.stats()
    }
}
