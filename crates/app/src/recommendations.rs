//! Recommendations as members receive them: lists precomputed per (room,
//! member), stored in the `recommendations` table and kept in memory, served
//! without computing, refreshed in the background and pushed to the
//! member's sockets.
//!
//! Two cadences. The shared models (item-to-item CF, popularity, content
//! similarity) and the catalog snapshot are rebuilt on a schedule from
//! interactions nobody is hidden from. A member's lists are recomputed a
//! debounce after the last activity *that member may see*; an activity
//! hidden from them never schedules, shapes or times their refresh, because
//! their signals are built only from activities `may_see` admits.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, RwLock, Weak},
    time::Duration,
};

use ai::{
    ContentModel, Context, Engine, Filter, Interaction, ItemCf, ItemFeatures, MemberSizes, Popularity, RecType, Signal,
    Visible,
};
use domain::{
    ActivityId, ProductId, RecommendationId, RoomId, UserId,
    activity::ActionType,
    clock::now,
    money::Money,
    product::Gender,
    role::RoomAction,
    user::{AgeBand, ShopperGender},
    visibility::{Visibility, may_see},
};
use realtime::Audience;
use serde::{Deserialize, Serialize};
use store::{ActivityRecord, InteractionRecord, RecommendationRecord};
use time::OffsetDateTime;
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};

use crate::{
    App, Caller, Inner,
    caches::Changed,
    error::{AppError, AppResult},
};

/// How the recommenders and the planner run; from the server configuration.
#[derive(Debug, Clone)]
pub struct AiSettings {
    /// An OpenAI-compatible chat-completions model that refines trip plans.
    pub llm: Option<ai::llm::LlmConfig>,
    /// The full city climate file (`FAMILYROOM_CLIMATE_DATA`); the built-in table otherwise.
    pub climate_data: Option<String>,
    /// Quiet time after an activity a member may see before their lists are recomputed.
    pub debounce: Duration,
    /// Period of the shared model and catalog rebuild.
    pub model_refresh: Duration,
    /// How long a list is valid (`expires_at`).
    pub list_ttl: Duration,
}

impl Default for AiSettings {
    fn default() -> Self {
        Self {
            llm: None,
            climate_data: None,
            debounce: Duration::from_secs(2),
            model_refresh: Duration::from_secs(300),
            list_ttl: Duration::from_secs(6 * 3600),
        }
    }
}

/// Products per list.
const LIST_SIZE: usize = 10;
/// Candidates asked of the engine per member, then grouped into lists.
const CANDIDATES: usize = 40;
/// Most recent activities of a room the per-member signals are built from.
const ROOM_WINDOW: i64 = 20_000;
/// Interactions read per query while rebuilding the shared models.
const SCAN_BATCH: u32 = 10_000;
/// Most interactions the shared models are built from (the newest win).
const SCAN_MAX: usize = 2_000_000;
/// Neighbours kept per item.
const NEIGHBOURS: usize = 50;
/// The models see the newest this many products. The snapshot and the
/// content model's neighbour lists grow with the catalog; a million
/// products took gigabytes and minutes at start-up, so a big catalog is
/// recommended from its newest part (search still covers all of it).
const SNAPSHOT_MAX_PRODUCTS: usize = 100_000;
/// A refresh waits at most this many debounce periods under a steady stream.
const MAX_WAIT_FACTOR: u32 = 5;

/// A product as a recommendation or a packing line shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductCard {
    pub id: ProductId,
    pub title: String,
    pub brand: String,
    pub price: Money,
    pub image: Option<String>,
    pub article_type: Option<String>,
}

/// One recommendation list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecommendationView {
    pub id: RecommendationId,
    /// `trending_in_room`, `for_member`, `similar_items`, `complete_the_look` or `trip`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The member the list is for.
    pub for_user: UserId,
    pub products: Vec<ProductCard>,
    /// Why, in words a member would say ("Because Asha and Ravi both liked …").
    pub reason: String,
    /// The member whose activity last refreshed this list, when one did.
    pub triggered_by: Option<UserId>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendationQuery {
    /// The member to recommend for; the caller when absent. For another
    /// member, only what both of you may see shapes the lists.
    pub for_user: Option<UserId>,
    /// One list type only.
    #[serde(rename = "type")]
    #[param(value_type = Option<crate::schema::RecommendationKind>, inline)]
    pub kind: Option<String>,
}

/// The catalog as the models need it, rebuilt with the shared models.
#[derive(Default)]
pub(crate) struct CatalogSnapshot {
    pub items: HashMap<uuid::Uuid, ItemFeatures>,
    pub cards: HashMap<uuid::Uuid, ProductCard>,
    pub rating: HashMap<uuid::Uuid, f32>,
}

/// The models every room shares, built from unrestricted interactions.
pub(crate) struct SharedModels {
    pub engine: Engine,
    /// Popularity per item, for ranking trip products.
    pub popularity: HashMap<uuid::Uuid, f32>,
    pub interactions: usize,
}

impl SharedModels {
    fn build(catalog: &CatalogSnapshot, interactions: &[Interaction], at: OffsetDateTime) -> Self {
        let cf = Arc::new(ItemCf::build(interactions, at, NEIGHBOURS));
        let content = Arc::new(ContentModel::build(&catalog.items, NEIGHBOURS));
        let popularity = Arc::new(Popularity::build(interactions, at));
        let scores = popularity.ranked().iter().copied().collect();
        Self { engine: Engine::standard(cf, content, popularity), popularity: scores, interactions: interactions.len() }
    }
}

/// A member whose lists are due, and who caused it.
struct Pending {
    due: tokio::time::Instant,
    first: tokio::time::Instant,
    triggered_by: UserId,
}

/// What the refresh worker hears about.
pub(crate) struct Trigger {
    room: RoomId,
    author: UserId,
    visibility: Visibility,
}

/// The recommendation state of one node.
pub(crate) struct Recs {
    pub settings: AiSettings,
    catalog: RwLock<Arc<CatalogSnapshot>>,
    models: RwLock<Arc<SharedModels>>,
    triggers: mpsc::Sender<Trigger>,
    catalog_stale: std::sync::atomic::AtomicBool,
}

impl Recs {
    pub(crate) fn new(settings: AiSettings) -> (Self, mpsc::Receiver<Trigger>) {
        let (triggers, receiver) = mpsc::channel(10_000);
        let empty = CatalogSnapshot::default();
        let models = SharedModels::build(&empty, &[], now());
        (
            Self {
                settings,
                catalog: RwLock::new(Arc::new(empty)),
                models: RwLock::new(Arc::new(models)),
                triggers,
                catalog_stale: std::sync::atomic::AtomicBool::new(true),
            },
            receiver,
        )
    }

    pub(crate) fn catalog(&self) -> Arc<CatalogSnapshot> {
        self.catalog.read().map(|c| c.clone()).unwrap_or_default()
    }

    pub(crate) fn models(&self) -> Option<Arc<SharedModels>> {
        self.models.read().map(|m| m.clone()).ok()
    }
}

/// The model's signal for an activity, when it is one.
fn signal_of(record: &InteractionRecord) -> Option<Signal> {
    Some(match record.action_type {
        ActionType::Viewed => Signal::View,
        ActionType::Liked | ActionType::Reacted => Signal::Like,
        ActionType::Unliked => Signal::Unlike,
        ActionType::Commented | ActionType::Shared => Signal::Comment,
        ActionType::Voted => match record.metadata.get("value").and_then(serde_json::Value::as_i64) {
            Some(v) if v < 0 => Signal::VoteDown,
            Some(v) if v > 0 => Signal::VoteUp,
            _ => return None,
        },
        ActionType::AddedToCart => Signal::CartAdd,
        ActionType::RemovedFromCart => Signal::CartRemove,
        ActionType::AddedToWishlist => Signal::WishlistAdd,
        ActionType::RemovedFromWishlist => Signal::WishlistRemove,
        _ => return None,
    })
}

fn interaction_of(record: &InteractionRecord) -> Option<Interaction> {
    Some(Interaction {
        user: record.user_id.0,
        item: record.product_id.0,
        signal: signal_of(record)?,
        at: record.created_at,
        restricted: record.visibility.is_restricted(),
    })
}

pub(crate) fn gender_of(preference: Option<ShopperGender>) -> Option<Gender> {
    preference.map(|g| match g {
        ShopperGender::Men => Gender::Men,
        ShopperGender::Women => Gender::Women,
        ShopperGender::Boys => Gender::Boys,
        ShopperGender::Girls => Gender::Girls,
        ShopperGender::Unisex => Gender::Unisex,
    })
}

/// A representative age for a band: enough for the kids/adults cut.
pub(crate) fn age_of(band: Option<AgeBand>) -> Option<u8> {
    band.map(|b| match b {
        AgeBand::Toddler => 2,
        AgeBand::Child => 8,
        AgeBand::Teen => 15,
        AgeBand::YoungAdult => 25,
        AgeBand::Adult => 45,
        AgeBand::Senior => 60,
    })
}

impl App {
    pub(crate) fn recs(&self) -> &Recs {
        &self.inner.recs
    }

    /// The lists for `for_user` (the caller by default), from the
    /// precomputed store; computed once when a member has none yet.
    pub async fn list_recommendations(
        &self,
        caller: Caller,
        room_id: RoomId,
        query: RecommendationQuery,
    ) -> AppResult<Vec<RecommendationView>> {
        self.authorize(caller, room_id, RoomAction::Read).await?;
        let kind = match query.kind.as_deref().filter(|k| !k.is_empty()) {
            Some(k) => Some(RecType::parse(k).map_err(|m| AppError::validation("type", m))?),
            None => None,
        };
        let target = query.for_user.unwrap_or(caller.user_id);
        if target != caller.user_id && self.inner.store.get_member(room_id, target).await?.is_none() {
            return Err(AppError::validation("for_user", "is not a member of this room"));
        }
        let lists = self.lists_for(room_id, caller.user_id, target).await?;
        Ok(lists.iter().filter(|l| kind.is_none_or(|k| k.as_str() == l.kind)).cloned().collect())
    }

    async fn lists_for(&self, room: RoomId, viewer: UserId, target: UserId) -> AppResult<Arc<Vec<RecommendationView>>> {
        let key = (room, viewer, target);
        if let Some(lists) = self.inner.caches.recommendations.get(&key).await {
            return Ok(lists);
        }
        if viewer == target {
            // Another node (or a previous run) may have computed them.
            let at = now();
            let stored: Vec<RecommendationRecord> = self
                .inner
                .store
                .list_recommendations(room)
                .await?
                .into_iter()
                .filter(|r| r.for_user == Some(target) && r.expires_at > at)
                .collect();
            if !stored.is_empty() {
                let catalog = self.recs().catalog();
                let views: Vec<RecommendationView> = stored.iter().map(|r| view_of(&catalog, r, target)).collect();
                let lists = Arc::new(views);
                self.inner.caches.recommendations.insert(key, lists.clone()).await;
                return Ok(lists);
            }
        }
        let lists = Arc::new(
            self.compute_lists(room, &[target], viewer_filter(viewer, target), None)
                .await?
                .remove(&target)
                .unwrap_or_default(),
        );
        if viewer == target {
            self.persist_lists(room, target, &lists).await?;
        }
        self.inner.caches.recommendations.insert(key, lists.clone()).await;
        Ok(lists)
    }

    async fn persist_lists(&self, room: RoomId, member: UserId, lists: &[RecommendationView]) -> AppResult<()> {
        let records: Vec<RecommendationRecord> = lists
            .iter()
            .map(|l| RecommendationRecord {
                id: l.id,
                room_id: room,
                for_user: Some(member),
                kind: l.kind.clone(),
                product_ids: l.products.iter().map(|p| p.id).collect(),
                reason: l.reason.clone(),
                triggered_by: l.triggered_by,
                created_at: l.created_at,
                expires_at: l.expires_at,
            })
            .collect();
        match self.inner.store.replace_recommendations(room, member, &records).await {
            Ok(()) => Ok(()),
            // The member left or the room went while computing: nothing to keep.
            Err(store::StoreError::Conflict { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Computes the lists of `members` from the room's recent activity, each
    /// member's from what `gate(member)` admits.
    async fn compute_lists(
        &self,
        room: RoomId,
        members: &[UserId],
        gate: Gate,
        triggered_by: Option<&HashMap<UserId, UserId>>,
    ) -> AppResult<HashMap<UserId, Vec<RecommendationView>>> {
        let store = &self.inner.store;
        let seq = store.current_seq(room).await?;
        let mut after = (seq - ROOM_WINDOW).max(0);
        let mut records = Vec::new();
        loop {
            let batch = store.room_interactions(room, after, 5_000).await?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            let done = batch.len() < 5_000;
            records.extend(batch);
            if done {
                break;
            }
        }
        let room_members = store.list_members(room).await?;
        let names: HashMap<uuid::Uuid, String> =
            room_members.iter().map(|m| (m.user_id.0, first_name(&m.name))).collect();
        let trip = store.list_trips(room, 1).await?.into_iter().next();
        let mut profiles = HashMap::new();
        for member in members {
            if let Ok(user) = store.get_user(*member).await {
                profiles.insert(*member, user.profile);
            }
        }
        let catalog = self.recs().catalog();
        let models =
            self.recs().models().ok_or_else(|| AppError::Internal("recommendation models unavailable".into()))?;
        let ttl = time::Duration::try_from(self.recs().settings.list_ttl).unwrap_or(time::Duration::hours(6));
        let members = members.to_vec();
        let triggered_by = triggered_by.cloned().unwrap_or_default();
        let out = tokio::task::spawn_blocking(move || {
            let at = now();
            let log: Vec<(Interaction, &InteractionRecord)> =
                records.iter().filter_map(|r| interaction_of(r).map(|i| (i, r))).collect();
            let mut out = HashMap::new();
            for member in members {
                // The only way into a member's signals: `may_see` for them (and,
                // when someone looks at another member's lists, for the viewer too).
                let mut verdicts = log.iter().map(|(_, r)| gate.admits(member, r.user_id, &r.visibility));
                let visible =
                    Visible::filter(member.0, log.iter().map(|(i, _)| i), |_, _| verdicts.next().unwrap_or(false));
                let profile = profiles.get(&member).cloned().unwrap_or_default();
                let mut ctx = Context::new(&visible, &names, &catalog.items, at);
                ctx.gender = gender_of(profile.preferences.gender);
                ctx.age = age_of(profile.preferences.age_band);
                let filter = Filter {
                    sizes: MemberSizes {
                        tops: profile.sizes.tops.clone(),
                        bottoms: profile.sizes.bottoms.clone(),
                        shoes: profile.sizes.shoes.clone(),
                    },
                    gender: ctx.gender,
                    age: ctx.age,
                    bought: HashSet::new(),
                    budget_minor: None,
                };
                let recs = models.engine.recommend_for(&ctx, &filter, None, CANDIDATES);
                let mut lists: Vec<RecommendationView> = Vec::new();
                let trigger = triggered_by.get(&member).copied();
                let mut push = |kind: &str, reason: String, product: ProductCard| match lists
                    .iter_mut()
                    .find(|l| l.kind == kind && l.reason == reason)
                {
                    Some(list) if list.products.len() < LIST_SIZE => list.products.push(product),
                    Some(_) => {}
                    None => lists.push(RecommendationView {
                        id: RecommendationId(uuid::Uuid::now_v7()),
                        kind: kind.to_owned(),
                        for_user: member,
                        products: vec![product],
                        reason,
                        triggered_by: trigger,
                        created_at: at,
                        expires_at: at + ttl,
                    }),
                };
                for r in &recs {
                    if let Some(card) = catalog.cards.get(&r.product_id) {
                        push(r.kind.as_str(), r.reason.clone(), card.clone());
                    }
                }
                if recs.is_empty() {
                    // Nothing known about anyone yet: the best-rated products that fit.
                    let mut rated: Vec<(&uuid::Uuid, &f32)> = catalog.rating.iter().collect();
                    rated.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
                    for (id, _) in rated
                        .into_iter()
                        .filter(|(id, _)| catalog.items.get(*id).is_some_and(|i| filter.allows(i)))
                        .take(LIST_SIZE)
                    {
                        if let Some(card) = catalog.cards.get(id) {
                            push(RecType::ForMember.as_str(), "Top rated in the shop right now".into(), card.clone());
                        }
                    }
                }
                if let Some(trip) = &trip {
                    for id in crate::trips::products_to_buy(trip).into_iter().take(LIST_SIZE) {
                        if let Some(card) = catalog.cards.get(&id.0) {
                            push(RecType::Trip.as_str(), format!("For the trip to {}", trip.destination), card.clone());
                        }
                    }
                }
                out.insert(member, lists);
            }
            out
        })
        .await
        .map_err(|e| AppError::Internal(format!("recommendation task failed: {e}")))?;
        Ok(out)
    }

    /// Hands a committed product activity to the refresh worker; never waits.
    pub(crate) fn activity_committed(&self, record: &ActivityRecord) {
        let relevant = record.product_id.is_some()
            || matches!(record.action_type, ActionType::TripPlanned | ActionType::TripUpdated);
        if !relevant {
            return;
        }
        let trigger = Trigger { room: record.room_id, author: record.user_id, visibility: record.visibility.clone() };
        if self.recs().triggers.try_send(trigger).is_err() {
            tracing::warn!("recommendation refresh queue is full; a refresh was skipped");
        }
    }

    /// Recomputes, stores and pushes the lists of the members that are due.
    async fn refresh_members(&self, room: RoomId, due: HashMap<UserId, UserId>) {
        let members: Vec<UserId> = due.keys().copied().collect();
        let lists = match self.compute_lists(room, &members, Gate::Own, Some(&due)).await {
            Ok(lists) => lists,
            // The room (or the member) went between the activity and its
            // refresh, the debounce window: there is nobody to recommend to.
            Err(AppError::NotFound(what)) => {
                tracing::debug!(%room, what, "recommendation refresh skipped: gone since the activity");
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, %room, "recommendation refresh failed");
                return;
            }
        };
        for (member, lists) in lists {
            if let Err(e) = self.persist_lists(room, member, &lists).await {
                tracing::warn!(error = %e, %room, "cannot store recommendations");
                continue;
            }
            let frame = serde_json::json!({
                "type": "recommendations",
                "room_id": room,
                "for_user": member,
                "recommendations": lists,
            });
            // Every node drops what it held for this member; this one keeps the new lists.
            self.inner.caches.forget(Changed::Recommendations(room, member)).await;
            self.inner.caches.recommendations.insert((room, member, member), Arc::new(lists)).await;
            self.publish_signal(room, Audience::Users(vec![member]), frame).await;
        }
    }

    /// Rebuilds the catalog snapshot and the shared models; the number of
    /// interactions they were built from.
    pub async fn rebuild_recommendation_models(&self) -> AppResult<usize> {
        let store = self.inner.store.clone();
        let mut snapshot = CatalogSnapshot::default();
        let mut before = None;
        loop {
            let batch = store.list_products_before(before, 1_000).await?;
            let Some(last) = batch.last() else { break };
            before = Some(last.id);
            let room_left = SNAPSHOT_MAX_PRODUCTS.saturating_sub(snapshot.items.len());
            let done = batch.len() < 1_000 || batch.len() >= room_left;
            for p in batch.into_iter().take(room_left) {
                snapshot.rating.insert(p.id.0, p.rating.unwrap_or(0.0) * (1.0 + (p.reviews as f32).ln_1p() / 10.0));
                snapshot.cards.insert(
                    p.id.0,
                    ProductCard {
                        id: p.id,
                        title: p.title.clone(),
                        brand: p.brand.clone(),
                        price: p.price,
                        image: p.images.first().cloned(),
                        article_type: p.metadata.article_type.clone(),
                    },
                );
                snapshot.items.insert(
                    p.id.0,
                    ItemFeatures {
                        id: p.id.0,
                        title: p.title,
                        brand: Some(p.brand).filter(|b| !b.is_empty()),
                        article_type: p.metadata.article_type,
                        category_path: p.metadata.category_path,
                        colour: p.metadata.colour,
                        gender: p.metadata.gender,
                        season: p.metadata.season,
                        usage: p.metadata.usage,
                        tags: p.metadata.tags,
                        price_minor: p.price.minor,
                        sizes: p.metadata.sizes,
                    },
                );
            }
            if done {
                break;
            }
        }
        let mut interactions = Vec::new();
        let mut after: Option<ActivityId> = None;
        loop {
            let batch = store.all_interactions(after, SCAN_BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id);
            let done = batch.len() < SCAN_BATCH as usize;
            interactions.extend(batch.iter().filter_map(interaction_of));
            if interactions.len() > SCAN_MAX {
                let excess = interactions.len() - SCAN_MAX;
                interactions.drain(..excess);
            }
            if done {
                break;
            }
        }
        let (snapshot, models) = tokio::task::spawn_blocking(move || {
            let models = SharedModels::build(&snapshot, &interactions, now());
            (snapshot, models)
        })
        .await
        .map_err(|e| AppError::Internal(format!("model build failed: {e}")))?;
        let count = models.interactions;
        if let Ok(mut slot) = self.recs().catalog.write() {
            *slot = Arc::new(snapshot);
        }
        if let Ok(mut slot) = self.recs().models.write() {
            *slot = Arc::new(models);
        }
        self.recs().catalog_stale.store(false, std::sync::atomic::Ordering::Relaxed);
        Ok(count)
    }

    /// The catalog changed: the next use rebuilds the snapshot.
    pub(crate) fn catalog_changed_for_ai(&self) {
        self.recs().catalog_stale.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// The catalog snapshot, rebuilt first when products changed since.
    pub(crate) async fn fresh_catalog(&self) -> AppResult<Arc<CatalogSnapshot>> {
        if self.recs().catalog_stale.load(std::sync::atomic::Ordering::Relaxed) {
            self.rebuild_recommendation_models().await?;
        }
        Ok(self.recs().catalog())
    }
}

/// Who decides which activities shape a list.
#[derive(Clone, Copy)]
enum Gate {
    /// The member's own view: `may_see(member, …)`.
    Own,
    /// Someone looking at another member's lists: both must see it.
    Both(UserId),
}

impl Gate {
    fn admits(self, member: UserId, author: UserId, visibility: &Visibility) -> bool {
        match self {
            Gate::Own => may_see(member, author, visibility),
            Gate::Both(viewer) => may_see(member, author, visibility) && may_see(viewer, author, visibility),
        }
    }
}

fn viewer_filter(viewer: UserId, target: UserId) -> Gate {
    if viewer == target { Gate::Own } else { Gate::Both(viewer) }
}

fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_owned()
}

fn view_of(catalog: &CatalogSnapshot, record: &RecommendationRecord, member: UserId) -> RecommendationView {
    RecommendationView {
        id: record.id,
        kind: record.kind.clone(),
        for_user: member,
        products: record.product_ids.iter().filter_map(|p| catalog.cards.get(&p.0).cloned()).collect(),
        reason: record.reason.clone(),
        triggered_by: record.triggered_by,
        created_at: record.created_at,
        expires_at: record.expires_at,
    }
}

/// Starts the debounced per-member refresh worker and the model schedule.
pub(crate) fn spawn_workers(inner: Weak<Inner>, mut triggers: mpsc::Receiver<Trigger>, settings: &AiSettings) {
    let debounce = settings.debounce;
    let max_wait = debounce * MAX_WAIT_FACTOR;
    let worker = inner.clone();
    tokio::spawn(async move {
        let mut pending: HashMap<(RoomId, UserId), Pending> = HashMap::new();
        loop {
            let next = pending.values().map(|p| p.due).min();
            tokio::select! {
                trigger = triggers.recv() => {
                    let Some(trigger) = trigger else { break };
                    let Some(inner) = worker.upgrade() else { break };
                    let app = App { inner };
                    let members = match app.inner.store.list_members(trigger.room).await {
                        Ok(members) => members,
                        Err(e) => {
                            tracing::warn!(error = %e, "cannot list members for a recommendation refresh");
                            continue;
                        }
                    };
                    let at = tokio::time::Instant::now();
                    for member in members {
                        // A member is scheduled only by what they may see.
                        if !may_see(member.user_id, trigger.author, &trigger.visibility) {
                            continue;
                        }
                        let entry = pending.entry((trigger.room, member.user_id)).or_insert(Pending {
                            due: at + debounce,
                            first: at,
                            triggered_by: trigger.author,
                        });
                        entry.due = (at + debounce).min(entry.first + max_wait);
                        entry.triggered_by = trigger.author;
                    }
                }
                () = async {
                    match next {
                        Some(due) => tokio::time::sleep_until(due).await,
                        None => std::future::pending().await,
                    }
                } => {
                    let at = tokio::time::Instant::now();
                    let due: Vec<(RoomId, UserId)> =
                        pending.iter().filter(|(_, p)| p.due <= at).map(|(k, _)| *k).collect();
                    let mut by_room: HashMap<RoomId, HashMap<UserId, UserId>> = HashMap::new();
                    for key in due {
                        if let Some(p) = pending.remove(&key) {
                            by_room.entry(key.0).or_default().insert(key.1, p.triggered_by);
                        }
                    }
                    let Some(inner) = worker.upgrade() else { break };
                    let app = App { inner };
                    for (room, members) in by_room {
                        app.refresh_members(room, members).await;
                    }
                }
            }
        }
    });
    let period = settings.model_refresh;
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(period).await;
            let Some(inner) = inner.upgrade() else { break };
            let app = App { inner };
            let started = std::time::Instant::now();
            match app.rebuild_recommendation_models().await {
                Ok(n) => tracing::info!(
                    interactions = n,
                    took_ms = started.elapsed().as_millis() as u64,
                    "recommendation models rebuilt"
                ),
                Err(e) => tracing::warn!(error = %e, "recommendation model rebuild failed"),
            }
        }
    });
}
