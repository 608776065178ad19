//! The hub: per room and per node, one [`RoomChannel`] that restores seq
//! order, fills gaps from the database, and fans frames out to the local
//! connections' queues.
//!
//! The hub owns delivery order, deduplication, gap fill, the subscribe-resume
//! hand-over and cutting off slow or revoked connections. It must not decide
//! visibility (every decision calls `may_see`, through [`Audience::includes`]
//! for signals), must not encode frames (publishers do, once), and must never
//! wait on a connection while holding a room's lock.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use dashmap::DashMap;
use domain::visibility::may_see;
use domain::{RoomId, UserId};
use parking_lot::Mutex;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::bus::RedisBus;
use crate::config::HubConfig;
use crate::error::HubError;
use crate::event::{ActivityEvent, ActivitySource, Audience, EventKind, RoomEvent};
use crate::frame::Frame;
use crate::queue::{ConnShared, ConnectionEvent};

/// Out-of-order activities held per room; beyond it newer ones are dropped
/// and fetched again by gap fill.
const MAX_REORDER_BUFFER: usize = 4096;
/// Fetches of a range that still comes back with a hole before the hub skips
/// the hole (a seq that will never exist must not stall a room forever).
const GAP_MAX_ATTEMPTS: u32 = 8;
const GAP_MAX_BACKOFF: Duration = Duration::from_secs(5);
/// How long an `AccessRevoked` is remembered to refuse subscriptions whose
/// access check started before it arrived.
const REVOCATION_MEMORY: Duration = Duration::from_secs(600);

/// The real-time hub of one node. Cheap to clone; every clone is the same hub.
/// Background tasks (gap fill, the Redis subscriber) stop when the last clone
/// is dropped.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<HubInner>,
}

pub(crate) struct HubInner {
    source: Arc<dyn ActivitySource>,
    config: HubConfig,
    rooms: DashMap<RoomId, Arc<RoomChannel>>,
    // parking_lot: a short critical section, never held across an await.
    revocations: Mutex<HashMap<(RoomId, UserId), Instant>>,
    next_id: AtomicU64,
    bus: Option<RedisBus>,
    pub(crate) shutdown: CancellationToken,
}

impl Drop for HubInner {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl Hub {
    /// A hub for one node: publishes reach this process's connections only.
    /// Must be called inside a Tokio runtime (gap fill spawns tasks).
    pub fn in_process(source: Arc<dyn ActivitySource>, config: HubConfig) -> Hub {
        Hub { inner: Arc::new(HubInner::new(source, config, None)) }
    }

    /// A hub that also fans out through Redis pub/sub to the other nodes.
    /// Returns once this node's subscription is live, so nothing published
    /// after it returns is missed; later losses are recovered by reconnecting
    /// and re-reading each local room's head from the [`ActivitySource`].
    pub async fn redis(source: Arc<dyn ActivitySource>, config: HubConfig, redis_url: &str) -> Result<Hub, HubError> {
        let client = redis::Client::open(redis_url)?;
        let bus = RedisBus::connect(&client).await?;
        let inner = Arc::new(HubInner::new(source, config, Some(bus)));
        crate::bus::start_subscriber(client, Arc::downgrade(&inner), inner.shutdown.clone()).await?;
        Ok(Hub { inner })
    }

    pub fn config(&self) -> &HubConfig {
        &self.inner.config
    }

    /// Delivers `event` to this node's subscribers at once and, with Redis,
    /// to every other node. Call it after the commit. Never fails: a lost
    /// publish is repaired by gap fill on the receiving nodes.
    pub async fn publish(&self, event: RoomEvent) {
        let encoded = self.inner.bus.as_ref().map(|_| crate::bus::encode(&self.inner.config.node_id, &event));
        self.inner.deliver_local(event);
        if let (Some(bus), Some(encoded)) = (&self.inner.bus, encoded) {
            match encoded {
                Ok(payload) => bus.publish(payload).await,
                Err(error) => tracing::error!(%error, "realtime: could not encode an event for redis"),
            }
        }
    }

    /// Registers a connection of `user_id`. Dropping the handle unregisters it
    /// from every room; the receiver then yields [`ConnectionEvent::Closed`].
    pub fn connect(&self, user_id: UserId) -> (ConnectionHandle, ConnectionReceiver) {
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::new(ConnShared::new(id, user_id, self.inner.config.queue_capacity));
        metrics::gauge!("realtime_connections").increment(1.0);
        (ConnectionHandle { hub: self.clone(), shared: shared.clone() }, ConnectionReceiver { shared })
    }

    /// Subscribes `conn` to `room_id`, resuming after `after_seq`.
    ///
    /// Queued in this order, with no gap and no duplicate: `subscribed_frame`;
    /// with `after_seq = Some(c)`, every activity in `(c, H]` the user may see
    /// (from [`ActivitySource::replay`]), where `H` is the highest seq this
    /// node had delivered at registration; then live activities after
    /// `max(c, H)`. With `None`, live activities after `H`. Live frames that
    /// arrive during the replay are held and queued after it.
    ///
    /// `access_checked_at` is when the caller started checking the user's
    /// access to the room; an `AccessRevoked` for this user and room that
    /// arrived since then refuses the subscription (closing the race between
    /// that check and registration).
    ///
    /// Subscribing again to a room replaces the earlier subscription.
    /// Cancel-safe: a dropped future leaves no registration behind.
    pub async fn subscribe(
        &self,
        conn: &ConnectionHandle,
        room_id: RoomId,
        after_seq: Option<i64>,
        subscribed_frame: Frame,
        access_checked_at: Instant,
    ) -> Result<(), HubError> {
        self.inner.subscribe(&conn.shared, room_id, after_seq, subscribed_frame, access_checked_at).await
    }

    /// Ends `conn`'s subscription to `room_id`; nothing of the room is queued
    /// to it afterwards. Frames already queued stay queued.
    pub fn unsubscribe(&self, conn: &ConnectionHandle, room_id: RoomId) {
        self.inner.unregister(&conn.shared, room_id);
        conn.shared.rooms.lock().retain(|room| *room != room_id);
    }

    /// Local subscriptions to `room_id` on this node (for metrics and tests).
    pub fn local_subscribers(&self, room_id: RoomId) -> usize {
        self.inner.channel(room_id).map_or(0, |channel| channel.state.lock().subscribers.len())
    }

    /// Rooms with a channel on this node.
    pub fn local_rooms(&self) -> usize {
        self.inner.rooms.len()
    }
}

impl HubInner {
    fn new(source: Arc<dyn ActivitySource>, config: HubConfig, bus: Option<RedisBus>) -> HubInner {
        HubInner {
            source,
            config,
            rooms: DashMap::new(),
            revocations: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            bus,
            shutdown: CancellationToken::new(),
        }
    }

    pub(crate) fn node_id(&self) -> &str {
        &self.config.node_id
    }

    fn channel(&self, room_id: RoomId) -> Option<Arc<RoomChannel>> {
        // Clone the Arc so that the map's shard lock is released before the
        // room's lock is taken.
        self.rooms.get(&room_id).map(|entry| entry.value().clone())
    }

    /// Feeds an event (published here or received from Redis) to this node's
    /// channel of its room. Events of rooms without local subscribers are
    /// dropped: a channel created later starts from the database's head.
    pub(crate) fn deliver_local(self: &Arc<Self>, event: RoomEvent) {
        let room_id = event.room_id;
        match event.kind {
            EventKind::Activity { seq, author, visibility, frame } => {
                let Some(channel) = self.channel(room_id) else { return };
                let activity = ActivityEvent { seq, author, visibility, frame };
                let start_gap_fill = channel.state.lock().accept(activity, &self.config);
                if start_gap_fill {
                    self.spawn_gap_fill(channel);
                }
            }
            EventKind::Signal { audience, frame } => {
                let Some(channel) = self.channel(room_id) else { return };
                channel.state.lock().signal(&audience, &frame);
            }
            EventKind::AccessRevoked { user_id, frame } => {
                self.remember_revocation(room_id, user_id);
                let Some(channel) = self.channel(room_id) else { return };
                channel.state.lock().revoke(room_id, user_id, &frame);
                self.retire_if_idle(room_id);
            }
        }
    }

    fn remember_revocation(&self, room_id: RoomId, user_id: UserId) {
        let now = Instant::now();
        let mut revocations = self.revocations.lock();
        revocations.retain(|_, at| now.duration_since(*at) < REVOCATION_MEMORY);
        revocations.insert((room_id, user_id), now);
    }

    fn revoked_since(&self, room_id: RoomId, user_id: UserId, since: Instant) -> bool {
        self.revocations.lock().get(&(room_id, user_id)).is_some_and(|at| *at >= since)
    }

    async fn subscribe(
        self: &Arc<Self>,
        conn: &Arc<ConnShared>,
        room_id: RoomId,
        after_seq: Option<i64>,
        subscribed_frame: Frame,
        access_checked_at: Instant,
    ) -> Result<(), HubError> {
        if conn.is_dead() {
            return Err(HubError::Overflowed);
        }
        let token = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (channel, head) = loop {
            let channel = self.rooms.entry(room_id).or_insert_with(|| Arc::new(RoomChannel::new(room_id))).clone();
            if let Err(error) = self.ensure_ready(&channel).await {
                // Do not leave an unready channel buffering a room nobody
                // is subscribed to.
                self.retire_if_idle(room_id);
                return Err(error);
            }
            let mut state = channel.state.lock();
            if state.closed {
                // Retired while this call waited for the database: register on
                // the room's current channel instead.
                continue;
            }
            if self.revoked_since(room_id, conn.user_id, access_checked_at) {
                return Err(HubError::AccessRevoked);
            }
            {
                let mut rooms = conn.rooms.lock();
                if !rooms.contains(&room_id) {
                    if rooms.len() >= self.config.max_rooms_per_connection {
                        return Err(HubError::TooManyRooms);
                    }
                    // Grown one room at a time: most sockets follow one
                    // room, and a first push would reserve four.
                    rooms.reserve_exact(1);
                    rooms.push(room_id);
                }
            }
            let head = state.delivered_seq;
            let after = after_seq.map_or(head, |cursor| cursor.max(head));
            state.subscribers.insert(conn.id, Subscriber { conn: conn.clone(), token, after, held: Some(Vec::new()) });
            drop(state);
            break (channel, head);
        };
        let mut guard = Registration { hub: self, channel: &channel, conn, token, armed: true };

        let replay = match after_seq {
            Some(cursor) if cursor < head => self.source.replay(room_id, conn.user_id, cursor, head).await?,
            _ => Vec::new(),
        };

        let mut state = channel.state.lock();
        let Some(subscriber) = state.subscribers.get_mut(&conn.id).filter(|sub| sub.token == token) else {
            // Removed meanwhile: by a revocation, or because the held frames
            // overflowed the connection.
            return Err(if conn.is_overflowed() { HubError::Overflowed } else { HubError::AccessRevoked });
        };
        let held = subscriber.held.take().unwrap_or_default();
        let frames = std::iter::once(subscribed_frame).chain(replay).chain(held);
        if conn.push_batch(frames).is_err() {
            return Err(HubError::Overflowed);
        }
        drop(state);
        guard.armed = false;
        Ok(())
    }

    /// Reads the room's head from the database once per channel; events that
    /// arrive meanwhile are buffered and sorted out afterwards.
    async fn ensure_ready(self: &Arc<Self>, channel: &Arc<RoomChannel>) -> Result<(), HubError> {
        channel
            .ready
            .get_or_try_init(|| async {
                let head = self.source.current_seq(channel.room_id).await?;
                let start_gap_fill = channel.state.lock().become_ready(head, &self.config);
                if start_gap_fill {
                    self.spawn_gap_fill(channel.clone());
                }
                Ok::<(), HubError>(())
            })
            .await?;
        Ok(())
    }

    /// Removes `conn`'s registration in `room_id` (any token) and retires the
    /// channel when no subscriber is left.
    fn unregister(&self, conn: &ConnShared, room_id: RoomId) {
        if let Some(channel) = self.channel(room_id) {
            channel.state.lock().subscribers.remove(&conn.id);
        }
        self.retire_if_idle(room_id);
    }

    /// Drops the room's channel when it has no subscriber. Takes the map's
    /// shard lock, then the room's: never call it holding a room's lock.
    fn retire_if_idle(&self, room_id: RoomId) {
        self.rooms.remove_if(&room_id, |_, channel| {
            let mut state = channel.state.lock();
            if state.subscribers.is_empty() {
                state.closed = true;
                true
            } else {
                false
            }
        });
    }

    fn spawn_gap_fill(self: &Arc<Self>, channel: Arc<RoomChannel>) {
        let source = self.source.clone();
        let config = self.config.clone();
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = fill_gaps(&channel, &*source, &config) => {}
                () = shutdown.cancelled() => {}
            }
        });
    }

    /// After Redis reconnects, events published during the outage are lost:
    /// compare every local room with the database and fetch what is missing.
    pub(crate) fn resync_rooms(self: &Arc<Self>) {
        let channels: Vec<Arc<RoomChannel>> = self.rooms.iter().map(|entry| entry.value().clone()).collect();
        for channel in channels {
            let hub = self.clone();
            tokio::spawn(async move {
                if channel.ready.get().is_none() {
                    return;
                }
                match hub.source.current_seq(channel.room_id).await {
                    Ok(head) => {
                        if channel.state.lock().note_head(head) {
                            hub.spawn_gap_fill(channel);
                        }
                    }
                    Err(error) => tracing::warn!(%error, room_id = %channel.room_id, "realtime: resync failed"),
                }
            });
        }
    }
}

/// Removes a registration whose subscribe did not complete (error or
/// cancellation).
struct Registration<'a> {
    hub: &'a HubInner,
    channel: &'a RoomChannel,
    conn: &'a ConnShared,
    token: u64,
    armed: bool,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let removed = {
            let mut state = self.channel.state.lock();
            let mine = state.subscribers.get(&self.conn.id).is_some_and(|sub| sub.token == self.token);
            if mine {
                state.subscribers.remove(&self.conn.id);
            }
            mine
        };
        if removed {
            let room_id = self.channel.room_id;
            self.conn.rooms.lock().retain(|room| *room != room_id);
            self.hub.retire_if_idle(room_id);
        }
    }
}

/// Gap fill: wait `gap_timeout` for a missing seq, then read the range from
/// the database; repeat with backoff while a hole remains.
async fn fill_gaps(channel: &RoomChannel, source: &dyn ActivitySource, config: &HubConfig) {
    loop {
        let next = {
            let mut state = channel.state.lock();
            if state.closed || !state.has_gap() {
                state.gap_task = false;
                state.gap_deadline = None;
                return;
            }
            let deadline = *state.gap_deadline.get_or_insert_with(|| Instant::now() + config.gap_timeout);
            if Instant::now() < deadline { Err(deadline) } else { Ok((state.delivered_seq, state.known_head)) }
        };
        let (from, to) = match next {
            Ok(range) => range,
            Err(deadline) => {
                tokio::time::sleep_until(deadline).await;
                continue;
            }
        };
        metrics::counter!("realtime_gap_fills_total").increment(1);
        let fetched = source.activities_between(channel.room_id, from, to).await;
        let mut state = channel.state.lock();
        match fetched {
            Ok(activities) => {
                if let Some((from, to)) = state.fill(from, to, activities, config) {
                    tracing::error!(room_id = %channel.room_id, from, to, "realtime: activities missing from the source; skipped");
                }
            }
            Err(error) => {
                tracing::warn!(%error, room_id = %channel.room_id, "realtime: gap fill failed");
                state.gap_attempts = state.gap_attempts.saturating_add(1);
                state.gap_deadline = Some(Instant::now() + backoff(config.gap_timeout, state.gap_attempts));
            }
        }
    }
}

fn backoff(base: Duration, attempts: u32) -> Duration {
    base.saturating_mul(1 << attempts.min(16)).min(GAP_MAX_BACKOFF.max(base))
}

/// One room on one node.
struct RoomChannel {
    room_id: RoomId,
    /// Set once the head was read from the database.
    ready: tokio::sync::OnceCell<()>,
    // parking_lot, not tokio's Mutex: fan-out is synchronous (try_push only)
    // and the lock is never held across an await.
    state: Mutex<RoomState>,
}

impl RoomChannel {
    fn new(room_id: RoomId) -> RoomChannel {
        RoomChannel { room_id, ready: tokio::sync::OnceCell::new(), state: Mutex::new(RoomState::default()) }
    }
}

#[derive(Default)]
struct RoomState {
    ready: bool,
    /// Retired from the hub's map; a subscribe that finds it closed retries.
    closed: bool,
    /// Highest seq fanned out on this node. Invariant: every seq up to it was
    /// either fanned out here or predates the channel.
    delivered_seq: i64,
    /// Highest seq known to exist (from events, or from the database after a
    /// Redis reconnect). A gap exists while it exceeds `delivered_seq`.
    known_head: i64,
    buffer: BTreeMap<i64, ActivityEvent>,
    subscribers: HashMap<u64, Subscriber>,
    gap_deadline: Option<Instant>,
    gap_attempts: u32,
    gap_task: bool,
}

struct Subscriber {
    conn: Arc<ConnShared>,
    /// Identifies this registration, so a stale subscribe cannot remove a
    /// newer one of the same connection.
    token: u64,
    /// Activities with a seq up to this are not delivered (already replayed,
    /// or before the subscription).
    after: i64,
    /// `Some` while the subscribe replays: live frames wait here, in order.
    held: Option<Vec<Frame>>,
}

impl Subscriber {
    /// Queues or holds `frame`; false when the connection is dead or just
    /// overflowed, so the caller drops the subscriber.
    fn offer(&mut self, frame: &Frame) -> bool {
        match &mut self.held {
            Some(held) => {
                if held.len() >= self.conn.capacity() {
                    self.conn.mark_overflowed();
                    return false;
                }
                held.push(frame.clone());
                true
            }
            None => self.conn.try_push(frame.clone()).is_ok(),
        }
    }
}

impl RoomState {
    fn has_gap(&self) -> bool {
        self.known_head > self.delivered_seq
    }

    /// Returns true when the caller must start a gap-fill task.
    fn become_ready(&mut self, head: i64, config: &HubConfig) -> bool {
        self.ready = true;
        self.delivered_seq = head;
        self.known_head = self.known_head.max(head);
        self.drain();
        self.after_progress(true, config)
    }

    /// Takes one activity (live or duplicate, in any order). Returns true
    /// when the caller must start a gap-fill task.
    fn accept(&mut self, activity: ActivityEvent, config: &HubConfig) -> bool {
        self.known_head = self.known_head.max(activity.seq);
        if !self.ready {
            if self.buffer.len() < MAX_REORDER_BUFFER {
                self.buffer.entry(activity.seq).or_insert(activity);
            }
            return false;
        }
        if activity.seq <= self.delivered_seq {
            return false;
        }
        let before = self.delivered_seq;
        if activity.seq == self.delivered_seq + 1 {
            self.deliver(&activity);
            self.drain();
        } else if self.buffer.len() < MAX_REORDER_BUFFER {
            self.buffer.entry(activity.seq).or_insert(activity);
        }
        self.after_progress(self.delivered_seq != before, config)
    }

    /// Takes what gap fill read for `(from, to]`. Returns the range skipped
    /// when a hole persisted through every attempt.
    fn fill(&mut self, from: i64, to: i64, activities: Vec<ActivityEvent>, config: &HubConfig) -> Option<(i64, i64)> {
        let before = self.delivered_seq;
        for activity in activities {
            if activity.seq > from && activity.seq <= to && activity.seq > self.delivered_seq {
                self.buffer.entry(activity.seq).or_insert(activity);
            }
        }
        self.drain();
        if self.delivered_seq != before {
            self.after_progress(true, config);
            return None;
        }
        // The database answered without the missing seq.
        self.gap_attempts += 1;
        if self.gap_attempts >= GAP_MAX_ATTEMPTS {
            let skip_to = self.buffer.keys().next().map_or(self.known_head, |first| first - 1);
            let skipped = (self.delivered_seq, skip_to);
            metrics::counter!("realtime_gap_skips_total").increment(1);
            self.delivered_seq = skip_to;
            self.drain();
            self.after_progress(true, config);
            Some(skipped)
        } else {
            self.gap_deadline = Some(Instant::now() + backoff(config.gap_timeout, self.gap_attempts));
            None
        }
    }

    /// A head read from the database; true when a gap-fill task must start.
    fn note_head(&mut self, head: i64) -> bool {
        if head <= self.known_head {
            return false;
        }
        self.known_head = head;
        // The missing events are known to be committed: fetch at once.
        self.gap_deadline = Some(Instant::now());
        if self.gap_task || self.closed {
            return false;
        }
        self.gap_task = true;
        true
    }

    /// Fans out every buffered activity that continues the sequence.
    fn drain(&mut self) {
        while let Some(entry) = self.buffer.first_entry() {
            let seq = *entry.key();
            if seq <= self.delivered_seq {
                entry.remove();
            } else if seq == self.delivered_seq + 1 {
                let activity = entry.remove();
                self.deliver(&activity);
            } else {
                break;
            }
        }
    }

    fn after_progress(&mut self, advanced: bool, config: &HubConfig) -> bool {
        if !self.has_gap() {
            self.gap_deadline = None;
            self.gap_attempts = 0;
            return false;
        }
        if advanced || self.gap_deadline.is_none() {
            // A new hole: give its publisher `gap_timeout` to arrive.
            self.gap_deadline = Some(Instant::now() + config.gap_timeout);
            self.gap_attempts = 0;
        }
        if self.gap_task || self.closed {
            return false;
        }
        self.gap_task = true;
        true
    }

    /// O(subscribers) `try_push`es of one shared frame.
    fn deliver(&mut self, activity: &ActivityEvent) {
        self.delivered_seq = activity.seq;
        self.subscribers.retain(|_, sub| {
            if activity.seq <= sub.after || !may_see(sub.conn.user_id, activity.author, &activity.visibility) {
                return true;
            }
            sub.offer(&activity.frame)
        });
    }

    fn signal(&mut self, audience: &Audience, frame: &Frame) {
        self.subscribers.retain(|_, sub| if audience.includes(sub.conn.user_id) { sub.offer(frame) } else { true });
    }

    fn revoke(&mut self, room_id: RoomId, user_id: UserId, frame: &Frame) {
        self.subscribers.retain(|_, sub| {
            if sub.conn.user_id != user_id {
                return true;
            }
            // A full queue overflows the connection, which closes it: the
            // client learns the same by reconnecting.
            let _ = sub.conn.try_push(frame.clone());
            sub.conn.rooms.lock().retain(|room| *room != room_id);
            sub.conn.push_ended(room_id);
            false
        });
    }
}

/// One connection's registration with the hub (RAII: dropping it unregisters
/// the connection from every room on this node).
pub struct ConnectionHandle {
    hub: Hub,
    shared: Arc<ConnShared>,
}

impl ConnectionHandle {
    pub fn user_id(&self) -> UserId {
        self.shared.user_id
    }

    /// Unique per hub.
    pub fn id(&self) -> u64 {
        self.shared.id
    }

    pub fn is_subscribed(&self, room_id: RoomId) -> bool {
        self.shared.rooms.lock().contains(&room_id)
    }

    pub fn rooms(&self) -> Vec<RoomId> {
        self.shared.rooms.lock().clone()
    }

    pub fn subscription_count(&self) -> usize {
        self.shared.rooms.lock().len()
    }

    /// Queues a frame of the session's own (pong, error, unsubscribed) behind
    /// everything already queued; counts against the capacity like any frame.
    pub fn send(&self, frame: Frame) -> Result<(), HubError> {
        self.shared.try_push(frame).map_err(|_| HubError::Overflowed)
    }

    pub fn is_overflowed(&self) -> bool {
        self.shared.is_overflowed()
    }
}

impl Drop for ConnectionHandle {
    fn drop(&mut self) {
        self.shared.close();
        let rooms = std::mem::take(&mut *self.shared.rooms.lock());
        for room_id in rooms {
            self.hub.inner.unregister(&self.shared, room_id);
        }
        metrics::gauge!("realtime_connections").decrement(1.0);
    }
}

/// The receiving end of one connection's queue; the WebSocket session owns it.
pub struct ConnectionReceiver {
    shared: Arc<ConnShared>,
}

impl ConnectionReceiver {
    /// The next batch or condition. Cancel-safe (use it in `select!`).
    pub async fn recv(&mut self) -> ConnectionEvent {
        self.shared.recv().await
    }
}
