//! The room's activity log as members use it: posting, reading history
//! after a cursor, secret mode, and revealing a secret. What a member may
//! see is decided by `domain::visibility::may_see` and nothing else.

use std::collections::BTreeSet;

use domain::{
    ActivityId, FieldErrors, ProductId, RoomId, UserId,
    activity::{ActionType, MAX_METADATA_BYTES, parse_message},
    clock::now,
    role::RoomAction,
    visibility::{SecretMode, Visibility, VisibilityRequest, may_see},
};
use serde::{Deserialize, Serialize};
use store::{ActivityRecord, NewActivity};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::{
    App, Caller,
    error::{AppError, AppResult},
    format_time,
};

/// The most members one secret-mode list may name.
const MAX_HIDDEN: usize = domain::visibility::MAX_VISIBILITY_MEMBERS;
/// Rows read per batch while filtering a history page.
const HISTORY_BATCH: u32 = 200;

/// An activity as a member sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActivityView {
    pub id: ActivityId,
    pub room_id: RoomId,
    pub user_id: UserId,
    pub product_id: Option<ProductId>,
    pub action_type: ActionType,
    pub message: Option<String>,
    /// True while the activity is hidden from someone in the room.
    pub is_secret: bool,
    pub visibility: Visibility,
    /// What the author attached. The server's membership activities carry the
    /// member they are about, named as they were then: `joined` `{name}`;
    /// `left` and `removed` `{user_id, name}`; `role_changed`
    /// `{user_id, name, role, from?}`.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Opaque position of this activity in the room's log: resume after it.
    pub cursor: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPage {
    pub items: Vec<ActivityView>,
    /// Pass as `cursor` for the next page; null when this page is the end for now.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostActivityInput {
    #[schema(value_type = domain::schema::ClientActionType)]
    pub action_type: Option<String>,
    /// A product of the catalog; required (not null) for the actions about a product.
    pub product_id: Option<ProductId>,
    /// Required (not null) for the actions that carry words.
    #[schema(value_type = Option<domain::schema::ActivityMessage>)]
    pub message: Option<String>,
    /// A JSON object of at most 4096 bytes; `{}` when absent or null.
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
    /// Whom to show the activity to; the author's secret mode decides when absent or null.
    pub visibility: Option<VisibilityRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretModeInput {
    #[schema(value_type = bool)]
    pub enabled: Option<bool>,
    /// Members of the room to hide from, never yourself; at least one when `enabled` is true.
    #[serde(default)]
    #[schema(value_type = domain::schema::MemberIdList)]
    pub hidden_from: Vec<UserId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecretModeView {
    pub room_id: RoomId,
    pub enabled: bool,
    pub hidden_from: BTreeSet<UserId>,
}

/// The view of a record, with its cursor.
pub(crate) fn view_of(cursors: &crate::cursor::CursorCodec, record: &ActivityRecord) -> ActivityView {
    ActivityView {
        id: record.id,
        room_id: record.room_id,
        user_id: record.user_id,
        product_id: record.product_id,
        action_type: record.action_type,
        message: record.message.clone(),
        is_secret: record.visibility.is_restricted(),
        visibility: record.visibility.clone(),
        metadata: record.metadata.clone(),
        created_at: record.created_at,
        cursor: cursors.encode(record.room_id, record.seq),
    }
}

impl App {
    pub(crate) fn activity_view(&self, record: &ActivityRecord) -> ActivityView {
        view_of(&self.inner.cursors, record)
    }

    pub async fn post_activity(
        &self,
        caller: Caller,
        room_id: RoomId,
        input: PostActivityInput,
    ) -> AppResult<ActivityView> {
        let me = self.member_for_append(caller, room_id, RoomAction::Act).await?;
        let mut errors = FieldErrors::new();
        let action = match input.action_type.as_deref() {
            None => {
                errors.push("action_type", "is required");
                None
            }
            Some(text) => match ActionType::parse(text) {
                Ok(action) if action.is_client_postable() => Some(action),
                Ok(_) => {
                    errors.push("action_type", "is written by the server, not posted");
                    None
                }
                Err(message) => {
                    errors.push("action_type", message);
                    None
                }
            },
        };
        if let Some(action) = action {
            if action.needs_product() && input.product_id.is_none() {
                errors.push("product_id", "is required for this action");
            }
            if action.needs_message() && input.message.is_none() {
                errors.push("message", "is required for this action");
            }
        }
        let message = input.message.as_deref().and_then(|m| errors.take("message", parse_message(m)));
        let metadata = input.metadata.unwrap_or_else(|| serde_json::json!({}));
        if !metadata.is_object() {
            errors.push("metadata", "must be a JSON object");
        } else if serde_json::to_vec(&metadata).map(|v| v.len()).unwrap_or(usize::MAX) > MAX_METADATA_BYTES {
            errors.push("metadata", format!("must be at most {MAX_METADATA_BYTES} bytes of JSON"));
        }
        let requested = match input.visibility {
            Some(request) => errors.take("visibility", request.parse()),
            None => None,
        };
        if let Some(Visibility::HiddenFrom(set) | Visibility::Only(set)) = &requested
            && set.len() > MAX_HIDDEN
        {
            errors.push("visibility", format!("may name at most {MAX_HIDDEN} members"));
        }
        errors.into_result()?;
        let action = action.ok_or_else(|| AppError::validation("action_type", "is required"))?;
        if let Some(Visibility::HiddenFrom(set) | Visibility::Only(set)) = &requested {
            self.check_members(room_id, set, "visibility").await?;
        }
        let make = |author: &store::MemberRecord| NewActivity {
            id: ActivityId::new(),
            room_id,
            user_id: caller.user_id,
            product_id: input.product_id,
            action_type: action,
            message: message.clone(),
            // Decided by the author's secret mode; the store confirms at
            // commit that it is still the author's (see `append_as_member`).
            visibility: Visibility::effective(requested.clone(), &author.secret_mode),
            metadata: metadata.clone(),
            at: now(),
            author_as_of: None,
        };
        let record = self
            .append_as_member(caller, room_id, RoomAction::Act, me, make, |e| match e {
                store::StoreError::Conflict { .. } => AppError::validation("product_id", "no such product"),
                other => other.into(),
            })
            .await?;
        self.publish_activity(&record).await;
        Ok(self.activity_view(&record))
    }

    /// The activities after `cursor` that the caller may see, oldest first.
    pub async fn list_activities(
        &self,
        caller: Caller,
        room_id: RoomId,
        cursor: Option<&str>,
        limit: u32,
    ) -> AppResult<ActivityPage> {
        self.authorize(caller, room_id, RoomAction::Read).await?;
        let mut after = match cursor.filter(|c| !c.is_empty()) {
            Some(cursor) => self
                .inner
                .cursors
                .decode(room_id, cursor)
                .ok_or_else(|| AppError::BadRequest("the cursor is not valid for this room".into()))?,
            None => 0,
        };
        let limit = limit.clamp(1, 100) as usize;
        let mut items = Vec::with_capacity(limit);
        loop {
            let batch = self.inner.store.list_activities(room_id, after, None, HISTORY_BATCH).await?;
            let exhausted = batch.len() < HISTORY_BATCH as usize;
            for record in batch {
                after = record.seq;
                if may_see(caller.user_id, record.user_id, &record.visibility) {
                    items.push(self.activity_view(&record));
                    if items.len() == limit {
                        let next_cursor = items.last().map(|a| a.cursor.clone());
                        return Ok(ActivityPage { items, next_cursor });
                    }
                }
            }
            if exhausted {
                return Ok(ActivityPage { items, next_cursor: None });
            }
        }
    }

    pub async fn set_secret_mode(
        &self,
        caller: Caller,
        room_id: RoomId,
        input: SecretModeInput,
    ) -> AppResult<SecretModeView> {
        self.authorize(caller, room_id, RoomAction::Act).await?;
        let enabled = input.enabled.ok_or_else(|| AppError::validation("enabled", "is required"))?;
        let hidden_from: BTreeSet<UserId> = input.hidden_from.into_iter().collect();
        if hidden_from.len() > MAX_HIDDEN {
            return Err(AppError::validation("hidden_from", format!("may name at most {MAX_HIDDEN} members")));
        }
        if hidden_from.contains(&caller.user_id) {
            return Err(AppError::validation("hidden_from", "you cannot hide from yourself"));
        }
        if enabled && hidden_from.is_empty() {
            return Err(AppError::validation("hidden_from", "name at least one member to hide from"));
        }
        self.check_members(room_id, &hidden_from, "hidden_from").await?;
        let mode = SecretMode { enabled, hidden_from };
        self.inner.store.set_secret_mode(room_id, caller.user_id, &mode).await?;
        Ok(SecretModeView { room_id, enabled: mode.enabled, hidden_from: mode.hidden_from })
    }

    pub async fn get_secret_mode(&self, caller: Caller, room_id: RoomId) -> AppResult<SecretModeView> {
        let me = self.authorize(caller, room_id, RoomAction::Read).await?;
        Ok(SecretModeView { room_id, enabled: me.secret_mode.enabled, hidden_from: me.secret_mode.hidden_from })
    }

    /// Makes the caller's own secret activity visible to the whole room. Those
    /// it was hidden from receive it now, as a `revealed` activity carrying it.
    pub async fn reveal_activity(
        &self,
        caller: Caller,
        room_id: RoomId,
        activity_id: ActivityId,
    ) -> AppResult<ActivityView> {
        self.authorize(caller, room_id, RoomAction::Act).await?;
        let activity = self.inner.store.get_activity(room_id, activity_id).await.map_err(|e| match e {
            store::StoreError::NotFound => AppError::NotFound("activity"),
            other => other.into(),
        })?;
        if !may_see(caller.user_id, activity.user_id, &activity.visibility) {
            return Err(AppError::NotFound("activity"));
        }
        if activity.user_id != caller.user_id {
            return Err(AppError::Forbidden("only its author may reveal an activity".into()));
        }
        if !activity.visibility.is_restricted() {
            return Ok(self.activity_view(&activity));
        }
        let at = now();
        let mut metadata = activity.metadata.clone();
        if let Some(object) = metadata.as_object_mut() {
            object.insert("revealed_at".into(), serde_json::Value::String(format_time(at)));
        }
        let revealed_view = self.activity_view(&ActivityRecord {
            visibility: Visibility::Everyone,
            metadata: metadata.clone(),
            ..activity.clone()
        });
        // The `revealed` entry carries the activity so that a member who
        // never saw it can show it from this one event, live or on replay.
        let revealed = NewActivity {
            id: ActivityId::new(),
            room_id,
            user_id: caller.user_id,
            product_id: activity.product_id,
            action_type: ActionType::Revealed,
            message: None,
            visibility: Visibility::Everyone,
            metadata: serde_json::json!({"activity": revealed_view}),
            at,
            author_as_of: None,
        };
        let (original, appended) = self.inner.store.reveal_activity(room_id, activity_id, metadata, revealed).await?;
        self.publish_activity(&appended).await;
        Ok(self.activity_view(&original))
    }

    /// Every id in `ids` must be a member of the room.
    async fn check_members(&self, room_id: RoomId, ids: &BTreeSet<UserId>, field: &str) -> AppResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let members: BTreeSet<UserId> =
            self.inner.store.list_members(room_id).await?.into_iter().map(|m| m.user_id).collect();
        if ids.iter().all(|id| members.contains(id)) {
            Ok(())
        } else {
            Err(AppError::validation(field, "names someone who is not a member of this room"))
        }
    }
}
