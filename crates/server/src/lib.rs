//! The `familyroom` process: turns configuration into running services and
//! serves them until told to stop. `main.rs` holds only the command line.

pub mod config;
pub mod descriptors;
pub mod import;
pub mod recs_eval;
pub mod telemetry;

use std::{net::SocketAddr, path::Path, sync::Arc, time::Duration};

use anyhow::Context;
use axum::serve::ListenerExt;
use secrecy::{ExposeSecret, SecretSlice};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use config::Config;

/// Everything a running node holds.
pub struct Services {
    pub app: app::App,
    pub http: http_api::HttpState,
}

/// Opens storage, connects Redis when configured and builds the services.
pub async fn build_services(config: &Config) -> anyhow::Result<Services> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create the data dir {}", config.data_dir.display()))?;
    let database_url = config.database_url.as_ref().map(|u| u.expose_secret().to_owned());
    let store = store::open(store::StoreOptions {
        url: database_url.as_deref(),
        data_dir: &config.data_dir,
        max_connections: config.database_max_connections,
    })
    .await
    .context("cannot open the database")?;

    let secret = load_or_create_secret(config)?;
    let redis_url = config.redis_url.as_ref().map(|u| u.expose_secret().to_owned());
    let app = app::App::start(
        store,
        app::AppSettings {
            password_cost: app::password::PasswordCost {
                memory_kib: config.argon2_memory_kib,
                iterations: config.argon2_iterations,
                parallelism: 1,
            },
            auth_attempts_per_minute: config.auth_attempts_per_minute,
            secret,
            files: match &config.s3 {
                Some(s3) => app::files::FileStorage::S3(app::files::S3Settings {
                    endpoint: s3.endpoint.clone(),
                    bucket: s3.bucket.clone(),
                    region: s3.region.clone(),
                    access_key_id: s3.access_key_id.clone(),
                    secret_access_key: s3.secret_access_key.clone(),
                }),
                None => app::files::FileStorage::Local { root: config.data_dir.join("files") },
            },
            catalog_admins: config.catalog_admins.clone(),
            data_dir: Some(config.data_dir.clone()),
            demo_catalog: config.demo_catalog as usize,
            presence_broadcast_max_members: config.presence_broadcast_max_members,
            ai: app::recommendations::AiSettings {
                llm: match (&config.llm_url, &config.llm_model) {
                    (Some(url), Some(model)) => Some(ai::llm::LlmConfig {
                        url: url.clone(),
                        model: model.clone(),
                        api_key: config.llm_api_key.as_ref().map(|k| k.expose_secret().to_owned()),
                        timeout: Duration::from_millis(config.llm_timeout_ms),
                    }),
                    _ => None,
                },
                climate_data: config.climate_data.as_ref().map(|p| p.display().to_string()),
                debounce: Duration::from_millis(config.recs_debounce_ms),
                model_refresh: Duration::from_secs(config.recs_model_refresh_secs),
                ..Default::default()
            },
        },
        redis_url.as_deref(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot start the application: {e}"))?;

    if let Some(url) = &config.partner_feed_url {
        let mut partner = catalog::partner::PartnerConfig::new(url.clone());
        if let Some(token) = &config.partner_feed_token {
            partner.auth = catalog::partner::PartnerAuth::Bearer(token.expose_secret().to_owned());
        }
        let feed = catalog::partner::PartnerFeed::new(partner)
            .map_err(|e| anyhow::anyhow!("cannot set up the partner feed: {e}"))?;
        app.spawn_partner_sync(feed, Duration::from_secs(config.partner_sync_interval_secs));
    }

    let http = http_api::HttpState {
        app: app.clone(),
        config: Arc::new(http_api::HttpConfig {
            body_limit_bytes: config.body_limit_bytes,
            cors_origins: config.cors_origins.clone(),
            hsts: config.hsts,
            trust_forwarded_for: config.trust_forwarded_for,
            request_timeout: Duration::from_secs(30),
        }),
        metrics: telemetry::metrics_handle(),
        shutdown: CancellationToken::new(),
    };
    Ok(Services { app, http })
}

/// The server secret: from configuration, or generated once (256 random
/// bits) into `data_dir/secret.key`, readable by the owner only.
fn load_or_create_secret(config: &Config) -> anyhow::Result<SecretSlice<u8>> {
    if let Some(secret) = &config.secret {
        return Ok(SecretSlice::from(secret.expose_secret().as_bytes().to_vec()));
    }
    let path = config.data_dir.join("secret.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let bytes = hex::decode(text.trim()).with_context(|| format!("{} is not hex", path.display()))?;
        anyhow::ensure!(bytes.len() >= 32, "{} holds fewer than 32 bytes", path.display());
        return Ok(SecretSlice::from(bytes));
    }
    let bytes: [u8; 32] = rand::random();
    write_private(&path, &hex::encode(bytes))?;
    Ok(SecretSlice::from(bytes.to_vec()))
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

/// A node serving on a bound socket.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub services_app: app::App,
    shutdown: CancellationToken,
    handle: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl RunningServer {
    /// Stops accepting, lets in-flight requests finish, and waits.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.handle.await.context("server task failed")?
    }

    /// A token that stops the server when cancelled.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    pub async fn wait(self) -> anyhow::Result<()> {
        self.handle.await.context("server task failed")?
    }
}

/// Binds `config.bind` (port 0 picks a free port) and serves in the background.
pub async fn start(config: &Config) -> anyhow::Result<RunningServer> {
    let services = build_services(config).await?;
    let listener = TcpListener::bind(config.bind).await.with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    let descriptors = descriptors::prepare(&listener);
    tracing::info!(
        limit = %descriptors.limit.map_or_else(|| "unlimited".to_owned(), |n| n.to_string()),
        table = %descriptors.presized.map_or_else(|| "not grown".to_owned(), |n| format!("{n} slots")),
        "open files"
    );
    let shutdown = services.http.shutdown.clone();
    let router = http_api::router(services.http);
    let grace = Duration::from_secs(config.shutdown_grace_secs);
    let stop = shutdown.clone();
    let app = services.app.clone();
    // Nagle's algorithm would hold a small WebSocket frame or response back
    // until the peer acknowledges the previous one, which a delayed ACK can
    // put off by tens of milliseconds: every frame here is meant to go now.
    let listener = listener.tap_io(|tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY");
        }
    });
    let handle = tokio::spawn(async move {
        let serving = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(stop.clone().cancelled_owned());
        let drained = async {
            stop.cancelled().await;
            tokio::time::sleep(grace).await;
        };
        let result = tokio::select! {
            result = serving => result.context("server error"),
            () = drained => {
                tracing::warn!("in-flight requests did not finish within the grace period");
                Ok(())
            }
        };
        app.shutdown().await;
        result
    });
    tracing::info!(%addr, "familyroom is serving");
    Ok(RunningServer { addr, services_app: services.app, shutdown, handle })
}
