//! Accounts in storage: users with their profile, password credentials,
//! refresh-token families and the append-only audit log.

use async_trait::async_trait;
use domain::{
    TokenFamilyId, UserId,
    user::{Preferences, Sizes},
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;

/// The profile a member keeps: sizes and preferences, stored as one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub sizes: Sizes,
    #[serde(default)]
    pub preferences: Preferences,
}

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub avatar: Option<String>,
    pub profile: Profile,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A user to create together with their password hash.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub email_normalized: String,
    pub password_hash: String,
    pub at: OffsetDateTime,
}

/// The fields of a profile update; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub name: Option<String>,
    /// `Some(None)` clears the avatar.
    pub avatar: Option<Option<String>>,
    pub sizes: Option<Sizes>,
    pub preferences: Option<Preferences>,
}

/// A refresh token to store: only its hash is kept.
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    pub id: Uuid,
    pub family_id: TokenFamilyId,
    pub token_hash: Vec<u8>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// What presenting a refresh token did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// The token was live: it is now used and the new one stored.
    Rotated { user_id: UserId, family_id: TokenFamilyId },
    /// The token had been used (or its family revoked) before: the whole
    /// family is now revoked.
    Reused { user_id: UserId, family_id: TokenFamilyId },
    /// The token has expired; nothing changed.
    Expired,
    /// No such token.
    Unknown,
}

/// One security event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    /// e.g. `login_succeeded`, `login_failed`, `refresh_token_reused`, `role_changed`.
    pub event: String,
    pub actor_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    pub ip: Option<String>,
    pub details: serde_json::Value,
}

#[async_trait]
pub trait Accounts {
    /// Creates the user and their credentials in one transaction.
    /// `Conflict` when the normalised email is taken.
    async fn create_user(&self, user: NewUser) -> Result<UserRecord, StoreError>;

    async fn get_user(&self, id: UserId) -> Result<UserRecord, StoreError>;

    /// The user and password hash for a normalised email.
    async fn find_login(&self, email_normalized: &str) -> Result<Option<(UserRecord, String)>, StoreError>;

    async fn update_user(&self, id: UserId, patch: UserPatch, at: OffsetDateTime) -> Result<UserRecord, StoreError>;

    /// Starts a login: a new token family with its first refresh token.
    async fn start_token_family(&self, user_id: UserId, token: NewRefreshToken) -> Result<(), StoreError>;

    /// Uses the token with `token_hash` and stores `next` in its family, or,
    /// if it was already used or its family revoked, revokes the family.
    /// Exactly one of two concurrent presentations of one token rotates.
    async fn rotate_refresh_token(
        &self,
        token_hash: &[u8],
        next: NewRefreshToken,
        now: OffsetDateTime,
    ) -> Result<RefreshOutcome, StoreError>;

    /// Revokes every token of a login. Revoking twice is harmless.
    async fn revoke_token_family(
        &self,
        family_id: TokenFamilyId,
        reason: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Whether the family exists and is not revoked.
    async fn token_family_active(&self, family_id: TokenFamilyId) -> Result<bool, StoreError>;

    async fn append_audit(&self, entry: AuditEntry) -> Result<(), StoreError>;

    /// Audit entries oldest first, after `after` (exclusive) when given.
    async fn list_audit(&self, after: Option<OffsetDateTime>, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;

    /// Whether the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    fn pool_stats(&self) -> crate::PoolStats;
}
