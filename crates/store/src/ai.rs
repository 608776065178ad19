//! Trip plans, precomputed recommendations and the interaction signals the
//! recommenders learn from.
//!
//! A trip plan's packing list and the rest of its plan are JSON documents
//! the app owns; the store keeps them with the columns it can query. Edits
//! are guarded by `updated_at` (optimistic), and every write appends its
//! activity in the same transaction. Recommendations are replaced per
//! (room, member) in one transaction, so a reader never sees half a refresh.

use async_trait::async_trait;
use domain::{
    ActivityId, ProductId, RecommendationId, RoomId, TripId, UserId, activity::ActionType, visibility::Visibility,
};
use time::{Date, OffsetDateTime};

use crate::{ActivityRecord, NewActivity, StoreError};

/// A stored trip plan.
#[derive(Debug, Clone, PartialEq)]
pub struct TripRecord {
    pub id: TripId,
    pub room_id: RoomId,
    pub created_by: Option<UserId>,
    pub destination: String,
    pub trip_type: String,
    pub duration_days: i64,
    pub start_date: Option<Date>,
    /// A short description of the climate planned for.
    pub climate: Option<String>,
    pub travelers: i64,
    pub occasion: Option<String>,
    /// Everything else of the plan (travellers, budget, notes, planner).
    pub plan: serde_json::Value,
    pub packing_list: serde_json::Value,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// One precomputed recommendation list.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationRecord {
    pub id: RecommendationId,
    pub room_id: RoomId,
    pub for_user: Option<UserId>,
    pub kind: String,
    pub product_ids: Vec<ProductId>,
    pub reason: String,
    pub triggered_by: Option<UserId>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// One activity that names a product, as the models read it.
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionRecord {
    pub id: ActivityId,
    pub room_id: RoomId,
    pub seq: i64,
    pub user_id: UserId,
    pub product_id: ProductId,
    pub action_type: ActionType,
    pub visibility: Visibility,
    pub metadata: serde_json::Value,
    pub created_at: OffsetDateTime,
}

#[async_trait]
pub trait Ai {
    /// Saves a new plan and appends `activity`, in one transaction.
    async fn create_trip(
        &self,
        trip: TripRecord,
        activity: NewActivity,
    ) -> Result<(TripRecord, ActivityRecord), StoreError>;
    /// The newest `limit` plans, newest first.
    async fn list_trips(&self, room: RoomId, limit: u32) -> Result<Vec<TripRecord>, StoreError>;
    /// `NotFound` unless the trip exists in this room.
    async fn get_trip(&self, room: RoomId, id: TripId) -> Result<TripRecord, StoreError>;
    /// Replaces the plan and packing list if the stored `updated_at` still
    /// equals `expected_updated_at` (`Conflict` otherwise), and appends
    /// `activity`, in one transaction.
    async fn update_trip(
        &self,
        trip: TripRecord,
        expected_updated_at: OffsetDateTime,
        activity: NewActivity,
    ) -> Result<(TripRecord, ActivityRecord), StoreError>;
    async fn delete_trip(&self, room: RoomId, id: TripId) -> Result<(), StoreError>;

    /// Replaces every list of `(room, for_user)` with `lists`, in one transaction.
    async fn replace_recommendations(
        &self,
        room: RoomId,
        for_user: UserId,
        lists: &[RecommendationRecord],
    ) -> Result<(), StoreError>;
    /// The room's stored lists, every member's, oldest first.
    async fn list_recommendations(&self, room: RoomId) -> Result<Vec<RecommendationRecord>, StoreError>;

    /// Product activities of one room with `seq > after_seq`, oldest first,
    /// at most `limit`. Unfiltered: callers apply the visibility rule.
    async fn room_interactions(
        &self,
        room: RoomId,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<InteractionRecord>, StoreError>;
    /// Product activities of every room with an id above `after`, in id
    /// (time) order, at most `limit`: the scan shared models are built from.
    async fn all_interactions(
        &self,
        after: Option<ActivityId>,
        limit: u32,
    ) -> Result<Vec<InteractionRecord>, StoreError>;
}
