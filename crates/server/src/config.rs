//! Configuration: defaults, then an optional TOML file, then `FAMILYROOM_*`
//! environment variables, the environment winning. Every bad setting is
//! collected, so start-up fails once with a message naming all of them.
//!
//! Hand-written rather than the `config` crate: that crate stops at the
//! first bad value, and we owe the operator the whole list at once.

use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf, str::FromStr};

use secrecy::SecretString;

/// Every setting, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// `None`: embedded SQLite in `data_dir`.
    pub database_url: Option<SecretString>,
    pub database_max_connections: u32,
    /// `None`: one node, in-process cache, sessions and fan-out.
    pub redis_url: Option<SecretString>,
    pub demo_catalog: u32,
    /// The partner's product feed; `None`: no partner sync.
    pub partner_feed_url: Option<String>,
    pub partner_feed_token: Option<SecretString>,
    pub partner_sync_interval_secs: u64,
    pub log_format: LogFormat,
    pub log_filter: String,
    /// At least 32 bytes; when absent, generated once into `data_dir/secret.key`.
    pub secret: Option<SecretString>,
    pub cors_origins: Vec<String>,
    pub hsts: bool,
    pub trust_forwarded_for: bool,
    pub body_limit_bytes: usize,
    pub auth_attempts_per_minute: u32,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub shutdown_grace_secs: u64,
    /// S3-compatible object storage for uploads; `None`: `data_dir/files`.
    pub s3: Option<S3Config>,
    /// Emails of the users who may change catalog images.
    pub catalog_admins: Vec<String>,
    /// An OpenAI-compatible chat-completions URL that refines trip plans; `None`: built-in planner only.
    pub llm_url: Option<String>,
    pub llm_model: Option<String>,
    pub llm_api_key: Option<SecretString>,
    pub llm_timeout_ms: u64,
    /// The full city climate file (JSON); `None`: the built-in table.
    pub climate_data: Option<PathBuf>,
    /// Quiet time after an activity before a member's recommendations are recomputed.
    pub recs_debounce_ms: u64,
    /// Period of the shared recommendation model rebuild.
    pub recs_model_refresh_secs: u64,
    /// Rooms with more members do not announce each presence transition live.
    pub presence_broadcast_max_members: u32,
}

/// An S3-compatible bucket; the keys are secrets, never printed.
#[derive(Debug, Clone)]
pub struct S3Config {
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: SecretString,
    pub secret_access_key: SecretString,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_max_connections: 16,
            redis_url: None,
            demo_catalog: 2000,
            partner_feed_url: None,
            partner_feed_token: None,
            partner_sync_interval_secs: 900,
            log_format: LogFormat::Text,
            log_filter: "info".into(),
            secret: None,
            cors_origins: Vec::new(),
            hsts: false,
            trust_forwarded_for: false,
            body_limit_bytes: 64 * 1024,
            auth_attempts_per_minute: 20,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            shutdown_grace_secs: 20,
            s3: None,
            catalog_admins: Vec::new(),
            llm_url: None,
            llm_model: None,
            llm_api_key: None,
            llm_timeout_ms: 8000,
            climate_data: None,
            recs_debounce_ms: 2000,
            presence_broadcast_max_members: 200,
            recs_model_refresh_secs: 300,
        }
    }
}

/// One setting: its environment name, TOML key and what it means.
struct Setting {
    env: &'static str,
    key: &'static str,
    help: &'static str,
    example: &'static str,
}

const SETTINGS: &[Setting] = &[
    Setting {
        env: "FAMILYROOM_BIND",
        key: "bind",
        help: "address and port to listen on",
        example: "\"127.0.0.1:8080\"",
    },
    Setting {
        env: "FAMILYROOM_DATA_DIR",
        key: "data_dir",
        help: "embedded database, search index, uploaded files",
        example: "\"./data\"",
    },
    Setting {
        env: "FAMILYROOM_DATABASE_URL",
        key: "database_url",
        help: "unset: SQLite in the data dir; postgres://user@host/db for PostgreSQL",
        example: "\"postgres://postgres@127.0.0.1/familyroom\"",
    },
    Setting {
        env: "FAMILYROOM_DATABASE_MAX_CONNECTIONS",
        key: "database_max_connections",
        help: "connection pool size",
        example: "16",
    },
    Setting {
        env: "FAMILYROOM_REDIS_URL",
        key: "redis_url",
        help: "unset: one node; set: shared cache, sessions, rate limits and fan-out",
        example: "\"redis://127.0.0.1:6379\"",
    },
    Setting {
        env: "FAMILYROOM_DEMO_CATALOG",
        key: "demo_catalog",
        help: "demo products generated into an empty catalog (0 for none)",
        example: "2000",
    },
    Setting {
        env: "FAMILYROOM_PARTNER_FEED_URL",
        key: "partner_feed_url",
        help: "the partner's paged JSON product feed; unset: no partner sync",
        example: "\"https://partner.example.com/feed\"",
    },
    Setting {
        env: "FAMILYROOM_PARTNER_FEED_TOKEN",
        key: "partner_feed_token",
        help: "bearer token for the partner feed (secret)",
        example: "\"change-me\"",
    },
    Setting {
        env: "FAMILYROOM_PARTNER_SYNC_INTERVAL_SECS",
        key: "partner_sync_interval_secs",
        help: "seconds between partner sync sweeps",
        example: "900",
    },
    Setting { env: "FAMILYROOM_LOG_FORMAT", key: "log_format", help: "text or json", example: "\"text\"" },
    Setting {
        env: "FAMILYROOM_LOG",
        key: "log",
        help: "tracing filter, e.g. info or familyroom=debug,info",
        example: "\"info\"",
    },
    Setting {
        env: "FAMILYROOM_SECRET",
        key: "secret",
        help: "server secret, at least 32 characters; unset: generated once into the data dir",
        example: "\"…64 random hex characters…\"",
    },
    Setting {
        env: "FAMILYROOM_CORS_ORIGINS",
        key: "cors_origins",
        help: "comma-separated origins allowed to call the API from a browser",
        example: "\"https://app.example.com\"",
    },
    Setting {
        env: "FAMILYROOM_HSTS",
        key: "hsts",
        help: "send Strict-Transport-Security (when served over TLS)",
        example: "false",
    },
    Setting {
        env: "FAMILYROOM_TRUST_FORWARDED_FOR",
        key: "trust_forwarded_for",
        help: "take the client address from X-Forwarded-For (behind a trusted proxy)",
        example: "false",
    },
    Setting {
        env: "FAMILYROOM_BODY_LIMIT_BYTES",
        key: "body_limit_bytes",
        help: "largest JSON request body",
        example: "65536",
    },
    Setting {
        env: "FAMILYROOM_AUTH_ATTEMPTS_PER_MINUTE",
        key: "auth_attempts_per_minute",
        help: "register and login attempts per client address and per account",
        example: "20",
    },
    Setting {
        env: "FAMILYROOM_ARGON2_MEMORY_KIB",
        key: "argon2_memory_kib",
        help: "argon2id memory cost",
        example: "19456",
    },
    Setting { env: "FAMILYROOM_ARGON2_ITERATIONS", key: "argon2_iterations", help: "argon2id time cost", example: "2" },
    Setting {
        env: "FAMILYROOM_SHUTDOWN_GRACE_SECS",
        key: "shutdown_grace_secs",
        help: "how long in-flight requests may finish after SIGTERM",
        example: "20",
    },
    Setting {
        env: "FAMILYROOM_S3_ENDPOINT",
        key: "s3_endpoint",
        help: "S3-compatible endpoint for uploaded files; unset: files under the data dir",
        example: "\"http://127.0.0.1:9000\"",
    },
    Setting {
        env: "FAMILYROOM_S3_BUCKET",
        key: "s3_bucket",
        help: "bucket for uploaded files",
        example: "\"familyroom\"",
    },
    Setting { env: "FAMILYROOM_S3_REGION", key: "s3_region", help: "S3 region", example: "\"us-east-1\"" },
    Setting {
        env: "FAMILYROOM_S3_ACCESS_KEY_ID",
        key: "s3_access_key_id",
        help: "S3 access key id (secret)",
        example: "\"…\"",
    },
    Setting {
        env: "FAMILYROOM_S3_SECRET_ACCESS_KEY",
        key: "s3_secret_access_key",
        help: "S3 secret access key (secret)",
        example: "\"…\"",
    },
    Setting {
        env: "FAMILYROOM_CATALOG_ADMINS",
        key: "catalog_admins",
        help: "comma-separated emails of the users who may change catalog images",
        example: "\"shop@example.com\"",
    },
    Setting {
        env: "FAMILYROOM_LLM_URL",
        key: "llm_url",
        help: "OpenAI-compatible chat-completions URL that refines trip plans; unset: built-in planner only",
        example: "\"https://api.openai.com/v1/chat/completions\"",
    },
    Setting {
        env: "FAMILYROOM_LLM_MODEL",
        key: "llm_model",
        help: "the language model's name (needed with llm_url)",
        example: "\"gpt-4o-mini\"",
    },
    Setting {
        env: "FAMILYROOM_LLM_API_KEY",
        key: "llm_api_key",
        help: "bearer key for the language model (secret)",
        example: "\"change-me\"",
    },
    Setting {
        env: "FAMILYROOM_LLM_TIMEOUT_MS",
        key: "llm_timeout_ms",
        help: "how long a plan waits for the language model before the built-in plan is used",
        example: "8000",
    },
    Setting {
        env: "FAMILYROOM_CLIMATE_DATA",
        key: "climate_data",
        help: "city climate JSON (michaelx/climate format) for climate inference; unset: built-in table",
        example: "\"/srv/familyroom/city-climate.json\"",
    },
    Setting {
        env: "FAMILYROOM_PRESENCE_BROADCAST_MAX_MEMBERS",
        key: "presence_broadcast_max_members",
        help: "rooms with more members show presence in the room's detail only, not as live events",
        example: "200",
    },
    Setting {
        env: "FAMILYROOM_RECS_DEBOUNCE_MS",
        key: "recs_debounce_ms",
        help: "quiet time after an activity before a member's recommendations are recomputed and pushed",
        example: "2000",
    },
    Setting {
        env: "FAMILYROOM_RECS_MODEL_REFRESH_SECS",
        key: "recs_model_refresh_secs",
        help: "seconds between rebuilds of the shared recommendation models",
        example: "300",
    },
];

/// A commented example configuration file, for `familyroom config example`.
pub fn example() -> String {
    let mut out = String::from(
        "# Family Room configuration (TOML). Every setting is optional; each can also be set\n\
         # by the environment variable named above it, which wins over this file.\n\
         # Use it with: familyroom --config familyroom.toml serve\n",
    );
    for setting in SETTINGS {
        out.push_str(&format!("\n# {} ({})\n# {} = {}\n", setting.help, setting.env, setting.key, setting.example));
    }
    out
}

/// All bad settings at once.
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<String>);

impl std::fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "the configuration has {} problem(s):", self.0.len())?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Loads the configuration from an optional TOML file and an environment.
pub fn load(file: Option<&std::path::Path>, env: &BTreeMap<String, String>) -> Result<Config, ConfigErrors> {
    let mut errors = Vec::new();
    let mut values: BTreeMap<&'static str, (String, String)> = BTreeMap::new();

    if let Some(path) = file {
        match std::fs::read_to_string(path) {
            Ok(text) => match toml::from_str::<toml::Table>(&text) {
                Ok(table) => {
                    for (key, value) in table {
                        match SETTINGS.iter().find(|s| s.key == key) {
                            Some(setting) => {
                                let text = match value {
                                    toml::Value::String(s) => s,
                                    toml::Value::Array(items) => items
                                        .iter()
                                        .map(|i| i.as_str().map(str::to_owned).unwrap_or_else(|| i.to_string()))
                                        .collect::<Vec<_>>()
                                        .join(","),
                                    other => other.to_string(),
                                };
                                values.insert(setting.env, (format!("{} in {}", key, path.display()), text));
                            }
                            None => errors.push(format!("{}: unknown setting `{key}`", path.display())),
                        }
                    }
                }
                Err(e) => errors.push(format!("{}: not valid TOML: {}", path.display(), e.message())),
            },
            Err(e) => errors.push(format!("{}: cannot be read: {e}", path.display())),
        }
    }
    for setting in SETTINGS {
        if let Some(value) = env.get(setting.env) {
            values.insert(setting.env, (setting.env.to_owned(), value.clone()));
        }
    }
    for name in env.keys() {
        if name.starts_with("FAMILYROOM_") && !SETTINGS.iter().any(|s| s.env == name) && !is_reserved(name) {
            errors.push(format!("{name}: unknown setting"));
        }
    }

    let mut config = Config::default();
    let take = |env_name: &str| values.get(env_name).cloned();

    macro_rules! parsed {
        ($env:literal, $field:expr, $parse:expr) => {
            if let Some((origin, raw)) = take($env) {
                match $parse(raw.trim()) {
                    Ok(value) => $field = value,
                    Err(why) => errors.push(format!("{origin}: {why}")),
                }
            }
        };
    }

    parsed!("FAMILYROOM_BIND", config.bind, |v: &str| SocketAddr::from_str(v)
        .map_err(|_| format!("`{v}` is not an address:port such as 127.0.0.1:8080")));
    parsed!("FAMILYROOM_DATA_DIR", config.data_dir, |v: &str| non_empty(v).map(PathBuf::from));
    parsed!("FAMILYROOM_DATABASE_URL", config.database_url, |v: &str| {
        if v.is_empty() {
            Ok(None)
        } else if v.starts_with("postgres://") || v.starts_with("postgresql://") || v.starts_with("sqlite:") {
            Ok(Some(SecretString::from(v.to_owned())))
        } else {
            Err("must start with postgres://, postgresql:// or sqlite:".to_owned())
        }
    });
    parsed!("FAMILYROOM_DATABASE_MAX_CONNECTIONS", config.database_max_connections, |v: &str| number(v, 1, 1000));
    parsed!("FAMILYROOM_REDIS_URL", config.redis_url, |v: &str| {
        if v.is_empty() {
            Ok(None)
        } else if v.starts_with("redis://") || v.starts_with("rediss://") {
            Ok(Some(SecretString::from(v.to_owned())))
        } else {
            Err("must start with redis:// or rediss://".to_owned())
        }
    });
    parsed!("FAMILYROOM_DEMO_CATALOG", config.demo_catalog, |v: &str| number(v, 0, 5_000_000));
    parsed!("FAMILYROOM_PARTNER_FEED_URL", config.partner_feed_url, |v: &str| {
        if v.is_empty() {
            Ok(None)
        } else if v.starts_with("https://") || v.starts_with("http://") {
            Ok(Some(v.to_owned()))
        } else {
            Err("must start with https:// or http://".to_owned())
        }
    });
    parsed!("FAMILYROOM_PARTNER_FEED_TOKEN", config.partner_feed_token, |v: &str| {
        Ok::<_, String>((!v.is_empty()).then(|| SecretString::from(v.to_owned())))
    });
    parsed!("FAMILYROOM_PARTNER_SYNC_INTERVAL_SECS", config.partner_sync_interval_secs, |v: &str| number(
        v, 1, 604_800
    ));
    parsed!("FAMILYROOM_LOG_FORMAT", config.log_format, |v: &str| match v {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(format!("`{v}` must be text or json")),
    });
    parsed!("FAMILYROOM_LOG", config.log_filter, |v: &str| non_empty(v).map(str::to_owned));
    parsed!("FAMILYROOM_SECRET", config.secret, |v: &str| {
        if v.len() >= 32 {
            Ok(Some(SecretString::from(v.to_owned())))
        } else {
            Err("must be at least 32 characters".to_owned())
        }
    });
    parsed!("FAMILYROOM_CORS_ORIGINS", config.cors_origins, |v: &str| {
        v.split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|o| {
                if (o.starts_with("https://") || o.starts_with("http://")) && !o.ends_with('/') {
                    Ok(o.to_owned())
                } else {
                    Err(format!("`{o}` must be an origin such as https://app.example.com (no trailing slash)"))
                }
            })
            .collect::<Result<Vec<_>, _>>()
    });
    parsed!("FAMILYROOM_HSTS", config.hsts, boolean);
    parsed!("FAMILYROOM_TRUST_FORWARDED_FOR", config.trust_forwarded_for, boolean);
    parsed!("FAMILYROOM_BODY_LIMIT_BYTES", config.body_limit_bytes, |v: &str| number(v, 1024, 64 * 1024 * 1024));
    parsed!("FAMILYROOM_AUTH_ATTEMPTS_PER_MINUTE", config.auth_attempts_per_minute, |v: &str| number(v, 1, 1_000_000));
    parsed!("FAMILYROOM_ARGON2_MEMORY_KIB", config.argon2_memory_kib, |v: &str| number(v, 8, 4 * 1024 * 1024));
    parsed!("FAMILYROOM_ARGON2_ITERATIONS", config.argon2_iterations, |v: &str| number(v, 1, 100));
    parsed!("FAMILYROOM_SHUTDOWN_GRACE_SECS", config.shutdown_grace_secs, |v: &str| number(v, 0, 3600));
    parsed!("FAMILYROOM_CATALOG_ADMINS", config.catalog_admins, |v: &str| {
        v.split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| if e.contains('@') { Ok(e.to_lowercase()) } else { Err(format!("`{e}` is not an email")) })
            .collect::<Result<Vec<_>, _>>()
    });
    let url = |v: &str| {
        if v.is_empty() {
            Ok(None)
        } else if v.starts_with("https://") || v.starts_with("http://") {
            Ok(Some(v.to_owned()))
        } else {
            Err("must start with https:// or http://".to_owned())
        }
    };
    parsed!("FAMILYROOM_LLM_URL", config.llm_url, url);
    parsed!("FAMILYROOM_LLM_MODEL", config.llm_model, |v: &str| Ok::<_, String>((!v.is_empty()).then(|| v.to_owned())));
    parsed!("FAMILYROOM_LLM_API_KEY", config.llm_api_key, |v: &str| {
        Ok::<_, String>((!v.is_empty()).then(|| SecretString::from(v.to_owned())))
    });
    parsed!("FAMILYROOM_LLM_TIMEOUT_MS", config.llm_timeout_ms, |v: &str| number(v, 100, 120_000));
    parsed!("FAMILYROOM_CLIMATE_DATA", config.climate_data, |v: &str| Ok::<_, String>(
        (!v.is_empty()).then(|| PathBuf::from(v))
    ));
    parsed!("FAMILYROOM_PRESENCE_BROADCAST_MAX_MEMBERS", config.presence_broadcast_max_members, |v: &str| {
        number(v, 0, 1_000_000)
    });
    parsed!("FAMILYROOM_RECS_DEBOUNCE_MS", config.recs_debounce_ms, |v: &str| number(v, 1, 600_000));
    parsed!("FAMILYROOM_RECS_MODEL_REFRESH_SECS", config.recs_model_refresh_secs, |v: &str| number(v, 1, 86_400));
    if config.llm_url.is_some() != config.llm_model.is_some() {
        errors.push("FAMILYROOM_LLM_URL and FAMILYROOM_LLM_MODEL go together: set both or neither".to_owned());
    }
    config.s3 = s3_config(&values, &mut errors);

    if errors.is_empty() { Ok(config) } else { Err(ConfigErrors(errors)) }
}

/// The S3 settings: none of them means local files; the endpoint, bucket and
/// both keys together mean S3; anything in between is a mistake to report.
fn s3_config(values: &BTreeMap<&'static str, (String, String)>, errors: &mut Vec<String>) -> Option<S3Config> {
    let get = |name: &str| values.get(name).map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty());
    let endpoint = get("FAMILYROOM_S3_ENDPOINT");
    let bucket = get("FAMILYROOM_S3_BUCKET");
    let access_key_id = get("FAMILYROOM_S3_ACCESS_KEY_ID");
    let secret_access_key = get("FAMILYROOM_S3_SECRET_ACCESS_KEY");
    let region = get("FAMILYROOM_S3_REGION");
    if endpoint.is_none() && bucket.is_none() && access_key_id.is_none() && secret_access_key.is_none() {
        return None;
    }
    let mut missing = Vec::new();
    for (name, value) in [
        ("FAMILYROOM_S3_ENDPOINT", &endpoint),
        ("FAMILYROOM_S3_BUCKET", &bucket),
        ("FAMILYROOM_S3_ACCESS_KEY_ID", &access_key_id),
        ("FAMILYROOM_S3_SECRET_ACCESS_KEY", &secret_access_key),
    ] {
        if value.is_none() {
            missing.push(name);
        }
    }
    if let Some(endpoint) = &endpoint
        && !(endpoint.starts_with("http://") || endpoint.starts_with("https://"))
    {
        errors.push(format!("FAMILYROOM_S3_ENDPOINT: `{endpoint}` must start with http:// or https://"));
    }
    if !missing.is_empty() {
        errors.push(format!("S3 storage needs {} as well", missing.join(", ")));
        return None;
    }
    Some(S3Config {
        endpoint: endpoint.unwrap_or_default(),
        bucket: bucket.unwrap_or_default(),
        region: region.unwrap_or_else(|| "us-east-1".into()),
        access_key_id: SecretString::from(access_key_id.unwrap_or_default()),
        secret_access_key: SecretString::from(secret_access_key.unwrap_or_default()),
    })
}

/// Variables other parts of the system read that are not settings here.
fn is_reserved(name: &str) -> bool {
    name == "FAMILYROOM_CONFIG" || name.starts_with("FAMILYROOM_E2E") || name.starts_with("FAMILYROOM_TEST")
}

fn non_empty(v: &str) -> Result<&str, String> {
    if v.is_empty() { Err("must not be empty".into()) } else { Ok(v) }
}

fn number<T: FromStr + PartialOrd + std::fmt::Display>(v: &str, min: T, max: T) -> Result<T, String> {
    match v.parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(format!("`{v}` must be a whole number from {min} to {max}")),
    }
}

fn boolean(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("`{v}` must be true or false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn nothing_set_gives_the_defaults() {
        let config = load(None, &env(&[])).unwrap();
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert!(config.database_url.is_none());
    }

    #[test]
    fn every_bad_variable_is_named_at_once() {
        let errors = load(
            None,
            &env(&[
                ("FAMILYROOM_BIND", "nowhere"),
                ("FAMILYROOM_DATABASE_URL", "mysql://x"),
                ("FAMILYROOM_DEMO_CATALOG", "-3"),
                ("FAMILYROOM_SECRET", "short"),
                ("FAMILYROOM_TYPO", "1"),
            ]),
        )
        .unwrap_err();
        let text = errors.to_string();
        for name in [
            "FAMILYROOM_BIND",
            "FAMILYROOM_DATABASE_URL",
            "FAMILYROOM_DEMO_CATALOG",
            "FAMILYROOM_SECRET",
            "FAMILYROOM_TYPO",
        ] {
            assert!(text.contains(name), "{name} missing from: {text}");
        }
        assert_eq!(errors.0.len(), 5);
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let dir = std::env::temp_dir().join(format!("fr-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("familyroom.toml");
        std::fs::write(&file, "bind = \"127.0.0.1:9000\"\ndemo_catalog = 5\n").unwrap();
        let config = load(Some(&file), &env(&[("FAMILYROOM_BIND", "127.0.0.1:9100")])).unwrap();
        assert_eq!(config.bind.port(), 9100);
        assert_eq!(config.demo_catalog, 5);
    }

    #[test]
    fn s3_needs_its_endpoint_bucket_and_both_keys() {
        let config = load(
            None,
            &env(&[
                ("FAMILYROOM_S3_ENDPOINT", "http://127.0.0.1:9000"),
                ("FAMILYROOM_S3_BUCKET", "media"),
                ("FAMILYROOM_S3_ACCESS_KEY_ID", "id"),
                ("FAMILYROOM_S3_SECRET_ACCESS_KEY", "very secret"),
                ("FAMILYROOM_CATALOG_ADMINS", "Shop@Example.com, other@example.com"),
            ]),
        )
        .unwrap();
        let s3 = config.s3.clone().unwrap();
        assert_eq!((s3.bucket.as_str(), s3.region.as_str()), ("media", "us-east-1"));
        assert_eq!(config.catalog_admins, ["shop@example.com", "other@example.com"]);
        assert!(!format!("{config:?}").contains("very secret"), "a secret was printed");

        let errors = load(None, &env(&[("FAMILYROOM_S3_BUCKET", "media")])).unwrap_err().to_string();
        assert!(errors.contains("FAMILYROOM_S3_ENDPOINT") && errors.contains("FAMILYROOM_S3_SECRET_ACCESS_KEY"));
    }

    #[test]
    fn the_example_names_every_setting() {
        let text = example();
        for setting in SETTINGS {
            assert!(text.contains(setting.env));
        }
        let uncommented: String = text.lines().map(|l| l.trim_start_matches("# ")).collect::<Vec<_>>().join("\n");
        assert!(uncommented.contains("bind = \"127.0.0.1:8080\""));
    }
}
