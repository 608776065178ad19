//! Presence: is a user online in a room, across all their sockets (two tabs
//! are one presence) and across nodes.
//!
//! This module owns the counting and reports only real transitions (offline
//! to online, online to offline) to a [`PresenceListener`], the one place the
//! app acts on them (publish a `presence` signal, persist `last_seen`). It
//! must not publish or persist anything itself.
//!
//! With Redis, each node keeps one entry per (room, user) in the sorted set
//! `familyroom:presence:<room>`, member `<user>:<node>`, scored by its expiry
//! in Unix milliseconds and refreshed every `refresh_interval`; a user is
//! online while any member of theirs is unexpired. The set
//! `familyroom:presence:rooms` indexes rooms with entries so that every node's
//! sweep finds expired members (a crashed node's users) and reports each
//! resulting offline transition exactly once (the sweep is one Lua script).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use domain::{RoomId, UserId};
use parking_lot::Mutex;
use redis::Script;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

const ROOMS_KEY: &str = "familyroom:presence:rooms";

pub use domain::presence::PresenceChange;

/// Receives every transition. Must not block: hand the work to a task or a
/// channel. Called from sessions and from background sweeps.
pub trait PresenceListener: Send + Sync + 'static {
    fn on_change(&self, change: PresenceChange);
}

impl<F> PresenceListener for F
where
    F: Fn(PresenceChange) + Send + Sync + 'static,
{
    fn on_change(&self, change: PresenceChange) {
        self(change);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PresenceError {
    /// Redis could not be reached or answered an error; the local count is
    /// kept and the next refresh repairs the shared entry.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
}

#[derive(Debug, Clone)]
pub struct PresenceConfig {
    /// This node's name in member names; must not contain `:`.
    pub node_id: String,
    /// How long a node's entry stays valid without a refresh.
    pub entry_ttl: Duration,
    pub refresh_interval: Duration,
    pub sweep_interval: Duration,
}

impl Default for PresenceConfig {
    fn default() -> Self {
        PresenceConfig {
            node_id: uuid::Uuid::new_v4().simple().to_string(),
            entry_ttl: Duration::from_secs(30),
            refresh_interval: Duration::from_secs(10),
            sweep_interval: Duration::from_secs(10),
        }
    }
}

/// Presence of one node; cheap to clone. Background tasks stop when the last
/// clone is dropped or [`Presence::shutdown`] runs.
#[derive(Clone)]
pub struct Presence {
    inner: Arc<PresenceInner>,
}

struct PresenceInner {
    // parking_lot: counts change in a few instructions, never across an await.
    local: Mutex<HashMap<RoomId, HashMap<UserId, u32>>>,
    listener: Arc<dyn PresenceListener>,
    redis: Option<RedisPresence>,
    shutdown: CancellationToken,
}

impl Drop for PresenceInner {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

struct RedisPresence {
    conn: ConnectionManager,
    config: PresenceConfig,
    join: Script,
    leave: Script,
    sweep: Script,
}

impl Presence {
    /// One node: presence is this process's sessions.
    pub fn in_process(listener: Arc<dyn PresenceListener>) -> Presence {
        Presence {
            inner: Arc::new(PresenceInner {
                local: Mutex::new(HashMap::new()),
                listener,
                redis: None,
                shutdown: CancellationToken::new(),
            }),
        }
    }

    /// Presence shared by every node through Redis; starts the refresh and
    /// sweep tasks.
    pub async fn redis(
        redis_url: &str,
        config: PresenceConfig,
        listener: Arc<dyn PresenceListener>,
    ) -> Result<Presence, PresenceError> {
        let client = redis::Client::open(redis_url)?;
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(2))
            .set_response_timeout(Duration::from_secs(1))
            .set_number_of_retries(2);
        let conn = ConnectionManager::new_with_config(client, manager_config).await?;
        let inner = Arc::new(PresenceInner {
            local: Mutex::new(HashMap::new()),
            listener,
            redis: Some(RedisPresence {
                conn,
                config: config.clone(),
                join: Script::new(JOIN_SCRIPT),
                leave: Script::new(LEAVE_SCRIPT),
                sweep: Script::new(SWEEP_SCRIPT),
            }),
            shutdown: CancellationToken::new(),
        });
        tokio::spawn(maintain(Arc::downgrade(&inner), inner.shutdown.clone(), config));
        Ok(Presence { inner })
    }

    /// One more session of `user_id` in `room_id` on this node.
    pub async fn join(&self, room_id: RoomId, user_id: UserId) -> Result<(), PresenceError> {
        let first_here = {
            let mut local = self.inner.local.lock();
            let count = local.entry(room_id).or_default().entry(user_id).or_insert(0);
            *count += 1;
            *count == 1
        };
        if !first_here {
            return Ok(());
        }
        let came_online = match &self.inner.redis {
            None => true,
            Some(redis) => redis.join(room_id, user_id).await?,
        };
        if came_online {
            self.inner.report(room_id, user_id, true);
        }
        Ok(())
    }

    /// One session fewer; a user with no session left anywhere goes offline.
    pub async fn leave(&self, room_id: RoomId, user_id: UserId) -> Result<(), PresenceError> {
        let last_here = {
            let mut local = self.inner.local.lock();
            let Some(users) = local.get_mut(&room_id) else { return Ok(()) };
            let Some(count) = users.get_mut(&user_id) else { return Ok(()) };
            *count -= 1;
            let last = *count == 0;
            if last {
                users.remove(&user_id);
                if users.is_empty() {
                    local.remove(&room_id);
                }
            }
            last
        };
        if !last_here {
            return Ok(());
        }
        let went_offline = match &self.inner.redis {
            None => true,
            Some(redis) => redis.leave(room_id, user_id).await?,
        };
        if went_offline {
            self.inner.report(room_id, user_id, false);
        }
        Ok(())
    }

    /// The users online in the room (on any node).
    pub async fn online_users(&self, room_id: RoomId) -> Result<HashSet<UserId>, PresenceError> {
        match &self.inner.redis {
            None => Ok(self
                .inner
                .local
                .lock()
                .get(&room_id)
                .map(|users| users.keys().copied().collect())
                .unwrap_or_default()),
            Some(redis) => redis.online(room_id).await,
        }
    }

    /// Graceful stop: removes this node's entries at once (reporting the
    /// offline transitions) instead of letting them expire.
    pub async fn shutdown(&self) -> Result<(), PresenceError> {
        self.inner.shutdown.cancel();
        let entries: Vec<(RoomId, UserId)> = {
            let mut local = self.inner.local.lock();
            let entries = local.iter().flat_map(|(room, users)| users.keys().map(|user| (*room, *user))).collect();
            local.clear();
            entries
        };
        for (room_id, user_id) in entries {
            let went_offline = match &self.inner.redis {
                None => true,
                Some(redis) => redis.leave(room_id, user_id).await?,
            };
            if went_offline {
                self.inner.report(room_id, user_id, false);
            }
        }
        Ok(())
    }
}

impl PresenceInner {
    fn is_local(&self, room_id: RoomId, user_id: UserId) -> bool {
        self.local.lock().get(&room_id).is_some_and(|users| users.contains_key(&user_id))
    }

    fn report(&self, room_id: RoomId, user_id: UserId, online: bool) {
        self.listener.on_change(PresenceChange { room_id, user_id, online, at: OffsetDateTime::now_utc() });
    }
}

fn room_key(room_id: RoomId) -> String {
    format!("familyroom:presence:{room_id}")
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
}

// KEYS: room set, rooms index. ARGV: member, expiry, now, user prefix, room id.
// Returns 1 when no other unexpired member of the user existed (came online).
const JOIN_SCRIPT: &str = r"
local online_before = false
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[3], '+inf')
for _, m in ipairs(live) do
  if string.sub(m, 1, #ARGV[4]) == ARGV[4] then online_before = true break end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[5])
if online_before then return 0 else return 1 end
";

// KEYS: room set. ARGV: member, now, user prefix.
// Returns 1 when no unexpired member of the user is left (went offline).
const LEAVE_SCRIPT: &str = r"
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 0 then return 0 end
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], '+inf')
for _, m in ipairs(live) do
  if string.sub(m, 1, #ARGV[3]) == ARGV[3] then return 0 end
end
return 1
";

// KEYS: room set, rooms index. ARGV: now, room id.
// Removes expired members; returns the users left without any member.
const SWEEP_SCRIPT: &str = r"
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local gone = {}
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
  local live = redis.call('ZRANGE', KEYS[1], 0, -1)
  local seen = {}
  for _, m in ipairs(expired) do
    local user = string.match(m, '^([^:]*):')
    if user and not seen[user] then
      seen[user] = true
      local still = false
      for _, l in ipairs(live) do
        if string.sub(l, 1, #user + 1) == user .. ':' then still = true break end
      end
      if not still then table.insert(gone, user) end
    end
  end
end
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return gone
";

impl RedisPresence {
    fn member(&self, user_id: UserId) -> String {
        format!("{user_id}:{}", self.config.node_id)
    }

    fn expiry(&self) -> i64 {
        now_millis().saturating_add(i64::try_from(self.config.entry_ttl.as_millis()).unwrap_or(i64::MAX))
    }

    async fn join(&self, room_id: RoomId, user_id: UserId) -> Result<bool, PresenceError> {
        let mut conn = self.conn.clone();
        let came_online: i64 = self
            .join
            .key(room_key(room_id))
            .key(ROOMS_KEY)
            .arg(self.member(user_id))
            .arg(self.expiry())
            .arg(now_millis())
            .arg(format!("{user_id}:"))
            .arg(room_id.to_string())
            .invoke_async(&mut conn)
            .await?;
        Ok(came_online == 1)
    }

    async fn leave(&self, room_id: RoomId, user_id: UserId) -> Result<bool, PresenceError> {
        let mut conn = self.conn.clone();
        let went_offline: i64 = self
            .leave
            .key(room_key(room_id))
            .arg(self.member(user_id))
            .arg(now_millis())
            .arg(format!("{user_id}:"))
            .invoke_async(&mut conn)
            .await?;
        Ok(went_offline == 1)
    }

    async fn online(&self, room_id: RoomId) -> Result<HashSet<UserId>, PresenceError> {
        let mut conn = self.conn.clone();
        let members: Vec<String> = redis::cmd("ZRANGEBYSCORE")
            .arg(room_key(room_id))
            .arg(format!("({}", now_millis()))
            .arg("+inf")
            .query_async(&mut conn)
            .await?;
        Ok(members
            .iter()
            .filter_map(|member| member.split(':').next())
            .filter_map(|user| UserId::parse(user).ok())
            .collect())
    }

    /// Removes expired members of every indexed room; returns who went offline.
    async fn sweep(&self) -> Result<Vec<(RoomId, UserId)>, PresenceError> {
        let mut conn = self.conn.clone();
        let rooms: Vec<String> = redis::cmd("SMEMBERS").arg(ROOMS_KEY).query_async(&mut conn).await?;
        let mut gone = Vec::new();
        for room in rooms {
            let Ok(room_id) = RoomId::parse(&room) else { continue };
            let users: Vec<String> = self
                .sweep
                .key(room_key(room_id))
                .key(ROOMS_KEY)
                .arg(now_millis())
                .arg(&room)
                .invoke_async(&mut conn)
                .await?;
            gone.extend(users.iter().filter_map(|user| UserId::parse(user).ok()).map(|user| (room_id, user)));
        }
        Ok(gone)
    }
}

/// Refreshes this node's entries and sweeps expired ones until shutdown.
async fn maintain(inner: std::sync::Weak<PresenceInner>, shutdown: CancellationToken, config: PresenceConfig) {
    let mut refresh = tokio::time::interval(config.refresh_interval);
    let mut sweep = tokio::time::interval(config.sweep_interval);
    refresh.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = refresh.tick() => {
                let Some(inner) = inner.upgrade() else { return };
                let Some(redis) = &inner.redis else { return };
                let entries: Vec<(RoomId, UserId)> = inner
                    .local
                    .lock()
                    .iter()
                    .flat_map(|(room, users)| users.keys().map(|user| (*room, *user)))
                    .collect();
                for (room_id, user_id) in entries {
                    // Re-adding also repairs an entry a failed join or a long
                    // pause let expire: then it is a real online transition.
                    match redis.join(room_id, user_id).await {
                        Ok(came_online) => {
                            if !inner.is_local(room_id, user_id) {
                                // Left while this refresh ran: take back the
                                // entry just re-added, and report nothing.
                                let _ = redis.leave(room_id, user_id).await;
                            } else if came_online {
                                inner.report(room_id, user_id, true);
                            }
                        }
                        Err(error) => {
                            tracing::warn!(%error, "realtime: presence refresh failed");
                            break;
                        }
                    }
                }
            }
            _ = sweep.tick() => {
                let Some(inner) = inner.upgrade() else { return };
                let Some(redis) = &inner.redis else { return };
                match redis.sweep().await {
                    Ok(gone) => {
                        for (room_id, user_id) in gone {
                            inner.report(room_id, user_id, false);
                        }
                    }
                    Err(error) => tracing::warn!(%error, "realtime: presence sweep failed"),
                }
            }
        }
    }
}
