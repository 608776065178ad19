//! Use cases: one method per command or query on [`App`], which carries the
//! store, keys and shared services. Events are published after a commit, by
//! the use case, never by a handler.

pub mod accounts;
pub mod activities;
mod caches;
pub mod cart;
pub mod catalog;
pub mod cursor;
pub mod error;
pub mod files;
pub mod partner_sync;
pub mod password;
pub mod rate_limit;
pub mod realtime;
pub mod recommendations;
pub mod rooms;
pub mod schema;
pub mod tokens;
pub mod trips;

use std::sync::Arc;

use secrecy::SecretSlice;
use store::Store;

pub use error::{AppError, AppResult};
pub use tokens::Caller;

use crate::{
    cursor::CursorCodec,
    password::{PasswordCost, PasswordHasherService},
    rate_limit::RateLimiter,
    tokens::TokenKeys,
};

/// What the use cases need from configuration.
pub struct AppSettings {
    pub password_cost: PasswordCost,
    pub auth_attempts_per_minute: u32,
    /// The server secret (at least 32 bytes): signs tokens, keys cursors.
    pub secret: SecretSlice<u8>,
    /// Where uploaded images are kept.
    pub files: files::FileStorage,
    /// Emails (any case) of the users who may change catalog images.
    pub catalog_admins: Vec<String>,
    /// Where the search index lives (`<data_dir>/index`); `None` keeps it in memory.
    pub data_dir: Option<std::path::PathBuf>,
    /// Demo products generated when the catalog is empty at start; 0 for none.
    pub demo_catalog: usize,
    /// Recommendations and the trip planner.
    pub ai: recommendations::AiSettings,
    /// Rooms with more members do not announce each presence transition
    /// live (see [`realtime`]); their members read presence from the room.
    pub presence_broadcast_max_members: u32,
}

/// Shared services, cheap to clone.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    tokens: TokenKeys,
    passwords: PasswordHasherService,
    auth_limiter: RateLimiter,
    /// Active logins and users, coherent across nodes.
    caches: Arc<caches::Caches>,
    redis: Option<redis::aio::ConnectionManager>,
    cursors: CursorCodec,
    hub: ::realtime::Hub,
    presence: ::realtime::Presence,
    tickets: ::realtime::TicketStore,
    files: files::Files,
    /// Lower-cased.
    catalog_admins: Vec<String>,
    catalog: catalog::Catalog,
    recs: recommendations::Recs,
    presence_broadcast_max_members: u32,
}

impl App {
    /// Builds the services; with `redis_url`, sessions, rate limits,
    /// tickets, presence and fan-out are shared with the other nodes.
    pub async fn start(store: Arc<dyn Store>, settings: AppSettings, redis_url: Option<&str>) -> AppResult<Self> {
        let unavailable = |what: &str, e: &dyn std::fmt::Display| AppError::Unavailable(format!("{what}: {e}"));
        let redis = match redis_url {
            Some(url) => {
                let client = redis::Client::open(url).map_err(|e| unavailable("redis", &e))?;
                Some(redis::aio::ConnectionManager::new(client).await.map_err(|e| unavailable("redis", &e))?)
            }
            None => None,
        };
        let auth_limiter = match &redis {
            Some(connection) => RateLimiter::redis(connection.clone(), settings.auth_attempts_per_minute),
            None => RateLimiter::local(settings.auth_attempts_per_minute),
        };
        let caches = match (&redis, redis_url) {
            (Some(connection), Some(url)) => {
                caches::Caches::shared(url, connection.clone()).await.map_err(|e| unavailable("redis", &e))?
            }
            _ => Arc::new(caches::Caches::local()),
        };
        let catalog = catalog::Catalog::open(settings.data_dir.as_deref())?;
        let tokens = TokenKeys::new(settings.secret);
        let mut cursor_key = [0u8; 16];
        cursor_key.copy_from_slice(&tokens.derive("activity-cursor")[..16]);
        let cursors = CursorCodec::new(cursor_key);
        let source = Arc::new(realtime::StoreActivitySource { store: store.clone(), cursors: cursors.clone() });
        let (presence_tx, presence_rx) = tokio::sync::mpsc::unbounded_channel();
        let listener = Arc::new(move |change: ::realtime::PresenceChange| {
            // The receiver lives as long as the app; a send after it is
            // gone has nobody left to tell.
            drop(presence_tx.send(change));
        });
        let hub_config = ::realtime::HubConfig::default();
        // Hub and presence must name this node alike.
        let presence_config =
            ::realtime::presence::PresenceConfig { node_id: hub_config.node_id.clone(), ..Default::default() };
        let (hub, presence, tickets) = match redis_url {
            Some(url) => (
                ::realtime::Hub::redis(source, hub_config, url).await.map_err(|e| unavailable("realtime hub", &e))?,
                ::realtime::Presence::redis(url, presence_config, listener)
                    .await
                    .map_err(|e| unavailable("presence", &e))?,
                ::realtime::TicketStore::redis(url).await.map_err(|e| unavailable("tickets", &e))?,
            ),
            None => (
                ::realtime::Hub::in_process(source, hub_config),
                ::realtime::Presence::in_process(listener),
                ::realtime::TicketStore::in_process(),
            ),
        };
        let ai_settings = settings.ai.clone();
        let (recs, rec_triggers) = recommendations::Recs::new(settings.ai);
        let inner = Arc::new(Inner {
            store,
            tokens,
            passwords: PasswordHasherService::new(settings.password_cost)?,
            auth_limiter,
            caches,
            redis,
            cursors,
            hub,
            presence,
            tickets,
            files: files::Files::open(&settings.files)?,
            catalog_admins: settings.catalog_admins.iter().map(|e| e.trim().to_lowercase()).collect(),
            catalog,
            recs,
            presence_broadcast_max_members: settings.presence_broadcast_max_members,
        });
        realtime::spawn_presence_worker(Arc::downgrade(&inner), presence_rx);
        recommendations::spawn_workers(Arc::downgrade(&inner), rec_triggers, &ai_settings);
        let app = Self { inner };
        app.prepare_catalog(settings.demo_catalog).await?;
        app.rebuild_recommendation_models().await?;
        Ok(app)
    }

    /// Leaves shared presence on shutdown so other nodes see this node's
    /// users go offline now rather than after the entries expire.
    pub async fn shutdown(&self) {
        if let Err(e) = self.inner.presence.shutdown().await {
            tracing::warn!(error = %e, "presence shutdown failed");
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// Whether every dependency answers, for `/readyz`.
    pub async fn ready(&self) -> AppResult<()> {
        self.inner.store.ping().await?;
        if let Some(connection) = &self.inner.redis {
            let mut connection = connection.clone();
            let _: String = redis::cmd("PING")
                .query_async(&mut connection)
                .await
                .map_err(|e| AppError::Unavailable(format!("redis: {e}")))?;
        }
        Ok(())
    }
}

/// RFC 3339 text of a time, as every frame and document writes it.
pub fn format_time(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
