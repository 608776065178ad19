//! Account use cases: register, login, refresh with rotation and reuse
//! detection, logout, the profile, and authenticating an access token.

use std::sync::Arc;

use domain::{
    FieldErrors, TokenFamilyId, UserId,
    clock::now,
    user::{Email, Password, PersonName, Preferences, Sizes, parse_avatar},
};
use serde::{Deserialize, Deserializer, Serialize};
use store::{AuditEntry, NewRefreshToken, NewUser, RefreshOutcome, UserPatch, UserRecord};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    App,
    caches::Changed,
    error::{AppError, AppResult},
    tokens::{Caller, REFRESH_TOKEN_TTL, hash_refresh_token, new_refresh_token},
};

/// A user as they see themselves.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub avatar: Option<String>,
    pub sizes: Sizes,
    pub preferences: Preferences,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<UserRecord> for UserView {
    fn from(user: UserRecord) -> Self {
        Self {
            id: user.id,
            name: user.name,
            email: user.email,
            avatar: user.avatar,
            sizes: user.profile.sizes,
            preferences: user.profile.preferences,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

/// The answer to register, login and refresh.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthSession {
    pub user: UserView,
    pub access_token: String,
    pub refresh_token: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub access_token_expires_at: OffsetDateTime,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterInput {
    #[schema(value_type = domain::schema::DisplayName)]
    pub name: Option<String>,
    #[schema(value_type = domain::schema::EmailAddress)]
    pub email: Option<String>,
    #[schema(value_type = domain::schema::NewPassword)]
    pub password: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    #[schema(value_type = String)]
    pub email: Option<String>,
    #[schema(value_type = String)]
    pub password: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshInput {
    #[schema(value_type = crate::schema::RefreshToken)]
    pub refresh_token: Option<String>,
}

/// A profile update; absent fields stay as they are, `avatar: null` clears it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeInput {
    #[schema(value_type = Option<domain::schema::DisplayName>)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<domain::schema::AvatarUrl>)]
    pub avatar: Option<Option<String>>,
    pub sizes: Option<Sizes>,
    pub preferences: Option<Preferences>,
}

/// Tells a JSON `null` (Some(None)) from an absent field (None).
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// The longest refresh token looked up, in bytes.
pub(crate) const MAX_REFRESH_TOKEN_BYTES: usize = 256;

/// The login failure answer: the same for an unknown email and a wrong password.
const BAD_CREDENTIALS: &str = "the email or password is not correct";

fn required<'a>(errors: &mut FieldErrors, field: &str, value: &'a Option<String>) -> Option<&'a str> {
    match value.as_deref() {
        Some(v) => Some(v),
        None => {
            errors.push(field, "is required");
            None
        }
    }
}

impl App {
    pub async fn register(&self, input: RegisterInput, client_ip: &str) -> AppResult<AuthSession> {
        self.inner.auth_limiter.check("register-ip", client_ip).await?;
        let mut errors = FieldErrors::new();
        let name = required(&mut errors, "name", &input.name).and_then(|v| errors.take("name", PersonName::parse(v)));
        let email = required(&mut errors, "email", &input.email).and_then(|v| errors.take("email", Email::parse(v)));
        let password = required(&mut errors, "password", &input.password)
            .and_then(|v| errors.take("password", Password::parse(v, email.as_ref())));
        let (Some(name), Some(email), Some(password)) = (name, email, password) else {
            return Err(AppError::Validation(errors));
        };
        self.inner.auth_limiter.check("register-account", email.normalized()).await?;

        let password_hash = self.inner.passwords.hash(password.expose().to_owned()).await?;
        let at = now();
        let user = self
            .inner
            .store
            .create_user(NewUser {
                id: UserId::new(),
                name: name.into_inner(),
                email: email.as_str().to_owned(),
                email_normalized: email.normalized().to_owned(),
                password_hash,
                at,
            })
            .await
            .map_err(|e| match e {
                store::StoreError::Conflict { .. } => AppError::Conflict {
                    code: "email_taken",
                    message: "an account with this email already exists".into(),
                },
                other => other.into(),
            })?;
        self.audit("user_registered", Some(user.id.0), Some(user.id.0), None, Some(client_ip), serde_json::json!({}))
            .await?;
        self.start_session(user, at).await
    }

    pub async fn login(&self, input: LoginInput, client_ip: &str) -> AppResult<AuthSession> {
        let mut errors = FieldErrors::new();
        let email = required(&mut errors, "email", &input.email).map(str::to_owned);
        let password = required(&mut errors, "password", &input.password).map(str::to_owned);
        let (Some(email), Some(password)) = (email, password) else {
            return Err(AppError::Validation(errors));
        };
        self.inner.auth_limiter.check("login-ip", client_ip).await?;
        let normalized = email.trim().to_lowercase();
        self.inner.auth_limiter.check("login-account", &normalized).await?;

        let found = if normalized.is_empty() { None } else { self.inner.store.find_login(&normalized).await? };
        let (user, hash) = match found {
            Some((user, hash)) => (Some(user), Some(hash)),
            None => (None, None),
        };
        let verified = self.inner.passwords.verify(password, hash).await?;
        match user {
            Some(user) if verified => {
                self.audit(
                    "login_succeeded",
                    Some(user.id.0),
                    Some(user.id.0),
                    None,
                    Some(client_ip),
                    serde_json::json!({}),
                )
                .await?;
                self.start_session(user, now()).await
            }
            user => {
                let details = serde_json::json!({ "email": normalized.chars().take(254).collect::<String>() });
                self.audit("login_failed", None, user.map(|u| u.id.0), None, Some(client_ip), details).await?;
                Err(AppError::Unauthenticated(BAD_CREDENTIALS))
            }
        }
    }

    pub async fn refresh(&self, input: RefreshInput, client_ip: &str) -> AppResult<AuthSession> {
        let Some(presented) = input.refresh_token.filter(|t| !t.is_empty() && t.len() <= MAX_REFRESH_TOKEN_BYTES)
        else {
            return Err(AppError::validation("refresh_token", "is required"));
        };
        let at = now();
        let (token, token_hash) = new_refresh_token();
        let next = NewRefreshToken {
            id: Uuid::now_v7(),
            family_id: TokenFamilyId::new(),
            token_hash,
            created_at: at,
            expires_at: at + REFRESH_TOKEN_TTL,
        };
        match self.inner.store.rotate_refresh_token(&hash_refresh_token(&presented), next, at).await? {
            RefreshOutcome::Rotated { user_id, family_id } => {
                let user = self.inner.store.get_user(user_id).await?;
                let caller = Caller { user_id, family_id };
                let (access_token, access_token_expires_at) = self.inner.tokens.issue_access(caller, at)?;
                Ok(AuthSession { user: user.into(), access_token, refresh_token: token, access_token_expires_at })
            }
            RefreshOutcome::Reused { user_id, family_id } => {
                self.inner.caches.forget(Changed::Session(family_id)).await;
                self.audit(
                    "refresh_token_reused",
                    Some(user_id.0),
                    Some(user_id.0),
                    None,
                    Some(client_ip),
                    serde_json::json!({ "family_id": family_id.0 }),
                )
                .await?;
                Err(AppError::Unauthenticated(
                    "the refresh token was already used; every token of this login is revoked",
                ))
            }
            RefreshOutcome::Expired => Err(AppError::Unauthenticated("the refresh token has expired")),
            RefreshOutcome::Unknown => Err(AppError::Unauthenticated("the refresh token is not valid")),
        }
    }

    pub async fn logout(&self, caller: Caller) -> AppResult<()> {
        self.inner.store.revoke_token_family(caller.family_id, "logout", now()).await?;
        self.inner.caches.forget(Changed::Session(caller.family_id)).await;
        Ok(())
    }

    /// The caller behind an access token: signature, expiry, and that the
    /// login has not been revoked (cached briefly per login).
    pub async fn authenticate(&self, access_token: &str) -> AppResult<Caller> {
        let caller = self.inner.tokens.verify_access(access_token)?;
        let store = self.inner.store.clone();
        let active = self
            .inner
            .caches
            .sessions
            .try_get_with(caller.family_id, async move { store.token_family_active(caller.family_id).await })
            .await
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        if active { Ok(caller) } else { Err(AppError::Unauthenticated("the session has ended")) }
    }

    /// Served from the per-node cache: nearly every page load asks for it.
    pub async fn get_me(&self, caller: Caller) -> AppResult<UserView> {
        let store = self.inner.store.clone();
        let user = self
            .inner
            .caches
            .users
            .try_get_with(caller.user_id, async move {
                store.get_user(caller.user_id).await.map(|record| Arc::new(UserView::from(record)))
            })
            .await
            .map_err(|e| AppError::from(store::StoreError::clone(&e)))?;
        Ok(UserView::clone(&user))
    }

    /// Applies a profile change and makes every node forget the old profile.
    pub(crate) async fn save_user_patch(&self, user_id: UserId, patch: UserPatch) -> AppResult<UserView> {
        let saved = self.inner.store.update_user(user_id, patch, now()).await;
        // Forget even on failure: the row may have changed before the error.
        self.inner.caches.forget(Changed::User(user_id)).await;
        Ok(saved?.into())
    }

    pub async fn update_me(&self, caller: Caller, input: UpdateMeInput) -> AppResult<UserView> {
        let mut errors = FieldErrors::new();
        let name = input.name.as_deref().and_then(|v| errors.take("name", PersonName::parse(v)));
        let avatar = match &input.avatar {
            Some(Some(url)) => errors.take("avatar", parse_avatar(url)).map(Some),
            Some(None) => Some(None),
            None => None,
        };
        if let Some(sizes) = &input.sizes {
            sizes.validate(&mut errors);
        }
        if let Some(preferences) = &input.preferences {
            preferences.validate(&mut errors);
        }
        errors.into_result()?;
        let patch = UserPatch {
            name: name.map(PersonName::into_inner),
            avatar,
            sizes: input.sizes,
            preferences: input.preferences,
        };
        self.save_user_patch(caller.user_id, patch).await
    }

    async fn start_session(&self, user: UserRecord, at: OffsetDateTime) -> AppResult<AuthSession> {
        let (refresh_token, token_hash) = new_refresh_token();
        let family_id = TokenFamilyId::new();
        self.inner
            .store
            .start_token_family(
                user.id,
                NewRefreshToken {
                    id: Uuid::now_v7(),
                    family_id,
                    token_hash,
                    created_at: at,
                    expires_at: at + REFRESH_TOKEN_TTL,
                },
            )
            .await?;
        // Nobody holds this login's tokens yet, so nobody can have revoked
        // it: its first request need not read the database to learn that.
        self.inner.caches.sessions.insert(family_id, true).await;
        let (access_token, access_token_expires_at) =
            self.inner.tokens.issue_access(Caller { user_id: user.id, family_id }, at)?;
        Ok(AuthSession { user: user.into(), access_token, refresh_token, access_token_expires_at })
    }

    /// Appends a security event to the audit log.
    pub async fn audit(
        &self,
        event: &str,
        actor: Option<Uuid>,
        subject: Option<Uuid>,
        room: Option<Uuid>,
        ip: Option<&str>,
        details: serde_json::Value,
    ) -> AppResult<()> {
        self.inner
            .store
            .append_audit(AuditEntry {
                id: Uuid::now_v7(),
                occurred_at: now(),
                event: event.to_owned(),
                actor_id: actor,
                subject_id: subject,
                room_id: room,
                ip: ip.map(str::to_owned),
                details,
            })
            .await?;
        Ok(())
    }
}
