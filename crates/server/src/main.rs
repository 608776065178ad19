//! The `familyroom` command line.

use std::{collections::BTreeMap, path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use familyroom::{config, telemetry};

// mimalloc instead of glibc's malloc: the fan-out and request paths allocate
// and free many small short-lived buffers across threads, where glibc spent
// about 15 % of the server's CPU. Its v2 without transparent huge pages (see
// Cargo.toml): v3 kept 144 MiB resident at rest where glibc kept 82 (decision 0011).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "familyroom", version, about = "Family Room: a shared room where a family shops together")]
struct Cli {
    /// A TOML configuration file (environment variables win over it).
    #[arg(long, global = true, env = "FAMILYROOM_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web app.
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Configuration helpers.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Read the security audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Catalog maintenance.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Search index maintenance.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// Recommendation tools.
    Recs {
        #[command(subcommand)]
        command: RecsCommand,
    },
}

#[derive(Subcommand)]
enum RecsCommand {
    /// Offline evaluation: hit rate@10, NDCG@10, coverage and latency per model against popularity,
    /// on real purchases (leave-one-out) and on simulated family sessions over the demo catalog.
    Evaluate {
        /// The H&M purchases sample directory (articles.csv, transactions.csv); test data, never shipped.
        #[arg(long)]
        hm: Option<PathBuf>,
        /// Demo products to simulate families over.
        #[arg(long, default_value_t = 2000)]
        products: usize,
        /// Simulated families.
        #[arg(long, default_value_t = 400)]
        families: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Import a CSV or JSON Lines catalog file (upsert by sku; re-importing changes nothing).
    Import {
        file: PathBuf,
        /// A mapping file, or the name of a built-in mapping.
        #[arg(long)]
        mapping: Option<String>,
        /// Price in major units for rows without one.
        #[arg(long)]
        default_price: Option<String>,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Rebuild the search index from the database.
    Reindex,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print a commented example configuration file.
    Example,
    /// Check the configuration and print the resolved settings (secrets hidden).
    Check,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Print audit entries as JSON lines, oldest first.
    List {
        /// Only entries after this RFC 3339 time.
        #[arg(long)]
        after: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Config { command: ConfigCommand::Example } = cli.command {
        print!("{}", config::example());
        return ExitCode::SUCCESS;
    }
    // Offline and self-contained: needs no configuration or database.
    if let Command::Recs { command: RecsCommand::Evaluate { hm, products, families, seed } } = &cli.command {
        if let Some(dir) = hm {
            match familyroom::recs_eval::evaluate_hm(dir) {
                Ok(mut report) => println!("{}", report.markdown()),
                Err(e) => {
                    eprintln!("familyroom: {e:#}");
                    return ExitCode::FAILURE;
                }
            }
        }
        println!("{}", familyroom::recs_eval::evaluate_families(*products, *families, *seed).markdown());
        return ExitCode::SUCCESS;
    }
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let config = match config::load(cli.config.as_deref(), &env) {
        Ok(config) => config,
        Err(errors) => {
            eprint!("familyroom: {errors}");
            return ExitCode::from(2);
        }
    };
    // Two TLS backends end up in the dependency tree; pick one explicitly.
    drop(rustls::crypto::aws_lc_rs::default_provider().install_default());
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("familyroom: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("familyroom: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: config::Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            telemetry::init_logs(config.log_format, &config.log_filter);
            let server = familyroom::start(&config).await?;
            let stop = server.shutdown_token();
            tokio::spawn(async move {
                shutdown_signal().await;
                tracing::info!("shutting down: finishing in-flight requests");
                stop.cancel();
            });
            server.wait().await
        }
        Command::Migrate => {
            telemetry::init_logs(config.log_format, &config.log_filter);
            familyroom::build_services(&config).await?;
            println!("the database schema is up to date");
            Ok(())
        }
        Command::Config { command: ConfigCommand::Check } => {
            println!("bind = {}", config.bind);
            println!("data_dir = {}", config.data_dir.display());
            println!(
                "database = {}",
                if config.database_url.is_some() {
                    "postgres (from FAMILYROOM_DATABASE_URL)"
                } else {
                    "embedded SQLite"
                }
            );
            println!("redis = {}", if config.redis_url.is_some() { "configured" } else { "none (one node)" });
            println!("demo_catalog = {}", config.demo_catalog);
            println!(
                "llm = {}",
                match (&config.llm_url, &config.llm_model) {
                    (Some(_), Some(model)) => format!("configured ({model})"),
                    _ => "none (built-in planner)".into(),
                }
            );
            Ok(())
        }
        Command::Config { command: ConfigCommand::Example } => Ok(()),
        Command::Audit { command: AuditCommand::List { after, limit } } => {
            let after = after
                .map(|t| time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339))
                .transpose()
                .map_err(|e| anyhow::anyhow!("--after must be an RFC 3339 time: {e}"))?;
            let services = familyroom::build_services(&config).await?;
            for entry in services.app.store().list_audit(after, limit.clamp(1, 10_000)).await? {
                println!("{}", serde_json::to_string(&entry)?);
            }
            Ok(())
        }
        Command::Catalog { command: CatalogCommand::Import { file, mapping, default_price } } => {
            telemetry::init_logs(config.log_format, &config.log_filter);
            // An import never seeds the demo catalog into an empty database.
            let config = config::Config { demo_catalog: 0, ..config };
            let services = familyroom::build_services(&config).await?;
            let summary = familyroom::import::import_file(
                &services.app,
                &file,
                mapping.as_deref(),
                default_price.as_deref(),
                |error| eprintln!("{error}"),
            )
            .await?;
            println!("{summary}");
            match summary.fatal {
                Some(fatal) => Err(anyhow::anyhow!("import stopped: {fatal}")),
                None => Ok(()),
            }
        }
        Command::Search { command: SearchCommand::Reindex } => {
            telemetry::init_logs(config.log_format, &config.log_filter);
            let config = config::Config { demo_catalog: 0, ..config };
            let services = familyroom::build_services(&config).await?;
            let indexed = services.app.reindex().await?;
            println!("indexed {indexed} products");
            Ok(())
        }
        // Answered in `main` before any configuration is read.
        Command::Recs { .. } => Ok(()),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
