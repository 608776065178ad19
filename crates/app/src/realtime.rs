//! The app's side of real time: publishing committed activities and
//! signals to the hub, the activity log as the hub's [`ActivitySource`],
//! the [`SessionHandler`] behind each WebSocket, presence and tickets.
//!
//! Every frame is encoded once here and shared by all its receivers; who
//! receives it is decided by the hub with `may_see`.

use std::{collections::HashSet, sync::Weak, time::Duration};

use async_trait::async_trait;
use domain::{
    ProductId, RoomId, UserId,
    clock::now,
    role::RoomAction,
    visibility::{Visibility, may_see},
};
use realtime::{
    ActivityEvent, ActivitySource, Audience, Frame, PresenceChange, RoomEvent, SessionError, SessionHandler,
    SourceError, SubscribeGrant,
};
use serde::Serialize;
use serde_json::json;
use store::{ActivityRecord, Store};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::{
    App, Caller, Inner,
    cursor::CursorCodec,
    error::{AppError, AppResult},
    format_time,
};

/// How long a WebSocket ticket stays redeemable.
const TICKET_TTL: Duration = Duration::from_secs(30);
/// Rows read per query while replaying or filling a gap.
const REPLAY_BATCH: i64 = 500;

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketView {
    /// Single use; pass as `?ticket=` when opening `/api/v1/realtime`.
    pub ticket: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
}

/// The `activity` frame for a record.
fn activity_frame(cursors: &CursorCodec, record: &ActivityRecord) -> Result<Frame, serde_json::Error> {
    let view = crate::activities::view_of(cursors, record);
    Frame::encode(&json!({"type": "activity", "room_id": record.room_id, "activity": view}))
}

/// The database's activity log, as the hub reads it.
pub(crate) struct StoreActivitySource {
    pub store: std::sync::Arc<dyn Store>,
    pub cursors: CursorCodec,
}

impl StoreActivitySource {
    async fn records(&self, room: RoomId, after_seq: i64, up_to_seq: i64) -> Result<Vec<ActivityRecord>, SourceError> {
        let mut out = Vec::new();
        let mut after = after_seq;
        while after < up_to_seq {
            let limit = (up_to_seq - after).min(REPLAY_BATCH) as u32;
            let batch = self
                .store
                .list_activities(room, after, Some(up_to_seq), limit)
                .await
                .map_err(|e| SourceError(e.to_string()))?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            out.extend(batch);
        }
        Ok(out)
    }
}

#[async_trait]
impl ActivitySource for StoreActivitySource {
    async fn current_seq(&self, room: RoomId) -> Result<i64, SourceError> {
        match self.store.current_seq(room).await {
            Ok(seq) => Ok(seq),
            // A deleted room has nothing more to deliver.
            Err(store::StoreError::NotFound) => Ok(0),
            Err(e) => Err(SourceError(e.to_string())),
        }
    }

    async fn activities_between(
        &self,
        room: RoomId,
        after_seq: i64,
        up_to_seq: i64,
    ) -> Result<Vec<ActivityEvent>, SourceError> {
        self.records(room, after_seq, up_to_seq)
            .await?
            .iter()
            .map(|record| {
                Ok(ActivityEvent {
                    seq: record.seq,
                    author: record.user_id,
                    visibility: record.visibility.clone(),
                    frame: activity_frame(&self.cursors, record).map_err(|e| SourceError(e.to_string()))?,
                })
            })
            .collect()
    }

    async fn replay(
        &self,
        room: RoomId,
        viewer: UserId,
        after_seq: i64,
        up_to_seq: i64,
    ) -> Result<Vec<Frame>, SourceError> {
        self.records(room, after_seq, up_to_seq)
            .await?
            .iter()
            .filter(|record| may_see(viewer, record.user_id, &record.visibility))
            .map(|record| activity_frame(&self.cursors, record).map_err(|e| SourceError(e.to_string())))
            .collect()
    }
}

impl App {
    /// Announces a committed activity. Publishing never fails the request:
    /// the log is the truth and subscribers fill gaps from it.
    pub(crate) async fn publish_activity(&self, record: &ActivityRecord) {
        self.activity_committed(record);
        match activity_frame(&self.inner.cursors, record) {
            Ok(frame) => {
                let event = ActivityEvent {
                    seq: record.seq,
                    author: record.user_id,
                    visibility: record.visibility.clone(),
                    frame,
                };
                self.inner.hub.publish(RoomEvent::activity(record.room_id, event)).await;
            }
            Err(e) => tracing::error!(error = %e, "cannot encode an activity frame"),
        }
    }

    /// Sends an ephemeral frame to the room members `audience` admits.
    pub(crate) async fn publish_signal(&self, room: RoomId, audience: Audience, frame: serde_json::Value) {
        match Frame::encode(&frame) {
            Ok(frame) => self.inner.hub.publish(RoomEvent::signal(room, audience, frame)).await,
            Err(e) => tracing::error!(error = %e, "cannot encode a signal frame"),
        }
    }

    /// Ends `user`'s subscriptions to `room` on every node at once.
    pub(crate) async fn revoke_room_access(&self, room: RoomId, user: UserId, reason: &str) {
        let frame = Frame::encode(&json!({"type": "unsubscribed", "room_id": room, "reason": reason}));
        match frame {
            Ok(frame) => self.inner.hub.publish(RoomEvent::access_revoked(room, user, frame)).await,
            Err(e) => tracing::error!(error = %e, "cannot encode an unsubscribed frame"),
        }
    }

    /// Who is connected to the room right now, on any node.
    pub(crate) async fn online_users(&self, room: RoomId) -> HashSet<UserId> {
        match self.inner.presence.online_users(room).await {
            Ok(users) => users,
            Err(e) => {
                tracing::warn!(error = %e, "presence unavailable; showing everyone offline");
                HashSet::new()
            }
        }
    }

    /// The audience of a signal `author` causes: the members their secret
    /// mode does not hide from, like their activities.
    async fn signal_audience(&self, room: RoomId, author: UserId) -> Audience {
        let visibility = match self.inner.store.get_member(room, author).await {
            Ok(Some(member)) => Visibility::effective(None, &member.secret_mode),
            _ => Visibility::Only(Default::default()),
        };
        Audience::Room { author, visibility }
    }

    pub async fn issue_ticket(&self, caller: Caller) -> AppResult<TicketView> {
        let issued = self
            .inner
            .tickets
            .issue(caller.user_id, TICKET_TTL)
            .await
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        Ok(TicketView { ticket: issued.ticket, expires_at: issued.expires_at })
    }

    /// The user a ticket was issued to; each ticket works once.
    pub async fn redeem_ticket(&self, ticket: &str) -> AppResult<UserId> {
        if ticket.is_empty() || ticket.len() > 128 {
            return Err(AppError::Unauthenticated("a valid ticket is required"));
        }
        self.inner
            .tickets
            .redeem(ticket)
            .await
            .map_err(|e| AppError::Unavailable(e.to_string()))?
            .ok_or(AppError::Unauthenticated("the ticket is unknown, used or expired"))
    }

    /// What a WebSocket session needs: the hub, presence and this app as handler.
    pub fn session_context(&self) -> realtime::session::SessionContext {
        realtime::session::SessionContext {
            hub: self.inner.hub.clone(),
            presence: self.inner.presence.clone(),
            handler: std::sync::Arc::new(self.clone()),
        }
    }

    /// Persists a burst of transitions in one commit and, in rooms small
    /// enough, announces each of them, in order.
    ///
    /// Every transition is a frame to every connected member, so a big room
    /// coming online costs frames quadratic in its size (10,000 members:
    /// 50 million frames). Above `presence_broadcast_max_members` the room
    /// shows presence through its detail (`online`, `last_seen`) only.
    async fn apply_presence(&self, changes: &[PresenceChange]) {
        if let Err(e) = self.inner.store.set_presences(changes).await {
            tracing::warn!(error = %e, "cannot persist presence");
        }
        // Counted once per burst, every room in one statement: a reconnect
        // storm across thousands of rooms must not cost a query per room, nor
        // a room of thousands connecting at once one per socket.
        let mut rooms: Vec<RoomId> = changes.iter().map(|change| change.room_id).collect();
        rooms.sort_unstable();
        rooms.dedup();
        let counts = match self.inner.store.count_members_of(&rooms).await {
            Ok(counts) => Some(counts),
            Err(e) => {
                tracing::warn!(error = %e, "cannot count the rooms' members; announcing presence anyway");
                None
            }
        };
        let max_members = i64::from(self.inner.presence_broadcast_max_members);
        for change in changes {
            let announce = counts
                .as_ref()
                .is_none_or(|counts| counts.get(&change.room_id).is_none_or(|members| *members <= max_members));
            if !announce {
                continue;
            }
            let frame = json!({
                "type": "presence",
                "room_id": change.room_id,
                "user_id": change.user_id,
                "is_online": change.online,
                "last_seen": format_time(change.at),
            });
            self.publish_signal(
                change.room_id,
                Audience::Room { author: change.user_id, visibility: Visibility::Everyone },
                frame,
            )
            .await;
        }
    }
}

/// The most presence transitions persisted in one commit.
const PRESENCE_BATCH: usize = 512;

/// Persists and announces presence transitions, off the sessions' path.
pub(crate) fn spawn_presence_worker(
    inner: Weak<Inner>,
    mut changes: tokio::sync::mpsc::UnboundedReceiver<PresenceChange>,
) {
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(PRESENCE_BATCH);
        while changes.recv_many(&mut batch, PRESENCE_BATCH).await > 0 {
            let Some(inner) = inner.upgrade() else { break };
            App { inner }.apply_presence(&batch).await;
            batch.clear();
        }
    });
}

#[async_trait]
impl SessionHandler for App {
    async fn authorize_subscribe(
        &self,
        user: UserId,
        room: RoomId,
        cursor: Option<&str>,
    ) -> Result<SubscribeGrant, SessionError> {
        let caller = Caller { user_id: user, family_id: domain::TokenFamilyId(uuid::Uuid::nil()) };
        let member = self.authorize(caller, room, RoomAction::Read).await.map_err(|e| match e {
            AppError::NotFound(_) => SessionError::new("not_found", "no such room"),
            AppError::Forbidden(_) => SessionError::new("forbidden", "you are not a member of this room"),
            other => {
                tracing::warn!(error = %other, "subscribe failed");
                SessionError::new("unavailable", "try again shortly")
            }
        })?;
        // Read fresh for this subscribe: the member's next post or view is
        // decided from it instead of reading it again.
        self.remember_member(std::sync::Arc::new(member)).await;
        let after_seq = match cursor.filter(|c| !c.is_empty()) {
            Some(cursor) => self
                .inner
                .cursors
                .decode(room, cursor)
                .ok_or_else(|| SessionError::new("bad_cursor", "the cursor is not valid for this room"))?,
            None => self
                .inner
                .store
                .current_seq(room)
                .await
                .map_err(|_| SessionError::new("unavailable", "try again shortly"))?,
        };
        let frame =
            json!({"type": "subscribed", "room_id": room, "cursor": self.inner.cursors.encode(room, after_seq)});
        let subscribed_frame = Frame::encode(&frame).map_err(|_| SessionError::new("internal", "cannot encode"))?;
        Ok(SubscribeGrant { after_seq: Some(after_seq), subscribed_frame })
    }

    async fn on_viewing(&self, user: UserId, room: RoomId, product: Option<ProductId>) {
        let audience = self.signal_audience(room, user).await;
        let frame = json!({"type": "viewing", "room_id": room, "user_id": user, "product_id": product, "at": format_time(now())});
        self.publish_signal(room, audience, frame).await;
    }

    async fn on_typing(&self, user: UserId, room: RoomId) {
        let audience = self.signal_audience(room, user).await;
        self.publish_signal(room, audience, json!({"type": "typing", "room_id": room, "user_id": user})).await;
    }
}
