//! `fr-load`: Family Room's load generator. It drives a running server over
//! real sockets on loopback and reports what clients observe; each mode is
//! bounded in count and time and stops by itself.
//!
//! - `fanout`: rooms of N members, each member on its own WebSocket; one
//!   member per room posts activities over HTTP at a fixed total rate; every
//!   receiver measures send-to-receipt latency from the timestamp the
//!   sender put in the message.
//! - `idle`: opens many subscribed, idle sockets and reports the server's
//!   resident memory per connection.
//! - `appends`: durable activity appends straight into a SQLite store (group
//!   commit), with many concurrent appenders.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, Result, bail};
use bench::{Histogram, core_times, cpu_seconds, resident};
use clap::{Parser, Subcommand};
use futures::{FutureExt, SinkExt, StreamExt, future::join_all};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

// The server's allocator, not glibc's: the generator shares one core among
// thousands of receivers, and glibc's malloc and free were about 14 % of its
// CPU (mimalloc: under 6 %), time that showed up as the server's latency.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    Fanout {
        #[arg(long, default_value = "http://127.0.0.1:18080")]
        base: String,
        #[arg(long, default_value_t = 200)]
        rooms: usize,
        #[arg(long, default_value_t = 5)]
        room_size: usize,
        /// Posts per second in total (deliveries/s = posts/s × room size).
        #[arg(long, default_value_t = 400)]
        rate: u64,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// The server's pid, to report its CPU time per delivery.
        #[arg(long)]
        server_pid: Option<u32>,
    },
    Idle {
        #[arg(long, default_value = "http://127.0.0.1:18080")]
        base: String,
        #[arg(long, default_value_t = 1000)]
        connections: usize,
        #[arg(long)]
        server_pid: u32,
    },
    Appends {
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        #[arg(long, default_value_t = 256)]
        concurrency: usize,
    },
}

fn now_nanos() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos()
}

/// The `p` quantile of microsecond samples, in milliseconds.
fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}

struct Session {
    token: String,
}

async fn register(client: &reqwest::Client, base: &str, i: usize) -> Result<Session> {
    let email = format!("load-{i}-{}@example.com", uuid::Uuid::new_v4().simple());
    let response: Value = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"name": format!("Load {i}"), "email": email, "password": "a long enough password"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(Session { token: response["access_token"].as_str().context("token")?.to_owned() })
}

/// The start of a fan-out run that the second latency line leaves out.
const WARM_UP: Duration = Duration::from_secs(2);

/// Requests the generator keeps in flight while setting up.
const SETUP_CONCURRENCY: usize = 64;

/// Creates `rooms` rooms of `size` members; per room, its id and its members.
/// Everything is set up with many requests in flight, so that a room of
/// 10,000 members takes seconds, not minutes.
async fn setup(client: &reqwest::Client, base: &str, rooms: usize, size: usize) -> Result<Vec<(String, Vec<Session>)>> {
    let registered: Vec<Session> = futures::stream::iter(0..rooms * size)
        .map(|i| register(client, base, i))
        .buffered(SETUP_CONCURRENCY)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let mut members_of: Vec<Vec<Session>> = Vec::with_capacity(rooms);
    let mut registered = registered.into_iter();
    for _ in 0..rooms {
        members_of.push(registered.by_ref().take(size).collect());
    }
    let created: Vec<(String, String)> = futures::stream::iter(members_of.iter().enumerate())
        .map(|(r, members)| async move {
            let room: Value = client
                .post(format!("{base}/api/v1/rooms"))
                .bearer_auth(&members[0].token)
                .json(&json!({"name": format!("Room {r}")}))
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            let id = room["id"].as_str().context("room id")?.to_owned();
            let code = room["invite_code"].as_str().context("invite code")?.to_owned();
            Ok::<_, anyhow::Error>((id, code))
        })
        .buffered(SETUP_CONCURRENCY)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let joins =
        members_of.iter().zip(&created).flat_map(|(members, (_, code))| members[1..].iter().map(move |m| (m, code)));
    futures::stream::iter(joins)
        .map(|(member, code)| async move {
            client
                .post(format!("{base}/api/v1/rooms/join"))
                .bearer_auth(&member.token)
                .json(&json!({"invite_code": code}))
                .send()
                .await?
                .error_for_status()?;
            Ok::<_, anyhow::Error>(())
        })
        .buffer_unordered(SETUP_CONCURRENCY)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<()>>()?;
    Ok(created.into_iter().map(|(id, _)| id).zip(members_of).collect())
}

/// Every member of `family` with their room, in order.
fn members_of(family: &[(String, Vec<Session>)]) -> Vec<(&str, &str)> {
    family.iter().flat_map(|(room, members)| members.iter().map(move |m| (room.as_str(), m.token.as_str()))).collect()
}

/// Opens one subscribed socket per `(room, token)`, many at a time, in order.
async fn open_all(client: &reqwest::Client, base: &str, members: &[(&str, &str)]) -> Result<Vec<Socket>> {
    futures::stream::iter(members)
        .map(|(room, token)| open_socket(client, base, token, room))
        .buffered(SETUP_CONCURRENCY)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}

/// The sender's timestamp in a delivered frame (`"message":"t=<nanos>"`),
/// found without parsing the whole frame: the generator has one core for
/// thousands of receivers.
fn sent_at(frame: &str) -> Option<u128> {
    let start = frame.find("\"t=")? + 3;
    let digits = frame[start..].bytes().take_while(u8::is_ascii_digit).count();
    frame[start..start + digits].parse().ok()
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open_socket(client: &reqwest::Client, base: &str, token: &str, room: &str) -> Result<Socket> {
    let ticket: Value = client
        .post(format!("{base}/api/v1/realtime/ticket"))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let url = format!(
        "{}/api/v1/realtime?ticket={}",
        base.replacen("http", "ws", 1),
        ticket["ticket"].as_str().context("ticket")?
    );
    // Small buffers: tungstenite's default 128 KiB read buffer per socket is
    // over a gigabyte (and as many page faults) for 10,000 sockets.
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(8 * 1024)
        .write_buffer_size(0);
    let (mut socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true).await?;
    socket.send(Message::text(json!({"type": "subscribe", "room_id": room, "cursor": null}).to_string())).await?;
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) if text.contains("\"subscribed\"") => return Ok(socket),
            Some(Ok(_)) => continue,
            other => bail!("subscribe failed: {other:?}"),
        }
    }
}

async fn fanout(
    base: String,
    rooms: usize,
    size: usize,
    rate: u64,
    seconds: u64,
    server_pid: Option<u32>,
) -> Result<()> {
    let client = reqwest::Client::builder().pool_max_idle_per_host(256).build()?;
    let started = Instant::now();
    let family = setup(&client, &base, rooms, size).await?;
    eprintln!("set up {rooms} rooms of {size} in {:.1}s", started.elapsed().as_secs_f64());

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let received = Arc::new(AtomicU64::new(0));
    let sockets = open_all(&client, &base, &members_of(&family)).await?;
    // Posting starts once every receiver has read what its socket already
    // holds (the presence of the members who joined after it). Otherwise
    // the generator's one core spends the first tens of milliseconds on
    // that backlog, its ticker falls behind, and its catch-up burst of posts
    // is measured as the server's latency.
    let drained = Arc::new(tokio::sync::Semaphore::new(0));
    let mut receivers = Vec::with_capacity(sockets.len());
    for mut socket in sockets {
        let mut stopped = stopped.clone();
        let received = received.clone();
        let drained = drained.clone();
        receivers.push(tokio::spawn(async move {
            while let Some(Some(Ok(_))) = socket.next().now_or_never() {}
            drained.add_permits(1);
            let mut latencies = Vec::new();
            // Made once, not per frame: each new `changed()` would join and
            // leave the watch's waiter list.
            let mut stop = std::pin::pin!(stopped.changed());
            loop {
                let next = tokio::select! {
                    _ = &mut stop => break,
                    next = socket.next() => next,
                };
                match next {
                    Some(Ok(Message::Text(text))) => {
                        if let Some(sent) = sent_at(&text) {
                            latencies.push((sent, ((now_nanos().saturating_sub(sent)) / 1000) as u64));
                            received.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => break,
                }
            }
            latencies
        }));
    }
    let receiver_count = u32::try_from(receivers.len()).context("too many receivers")?;
    drained.acquire_many(receiver_count).await?.forget();
    eprintln!("{} sockets subscribed", receivers.len());

    let [commits_before, checkpoints_before] = sqlite_histograms(&client, &base).await?;
    let cpu_before = server_pid.map(cpu_seconds).transpose()?;
    let own_cpu_before = cpu_seconds(std::process::id())?;
    let cores_before = core_times()?;
    let cores_clock = Instant::now();
    let posts = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut ticker = tokio::time::interval(Duration::from_nanos(1_000_000_000 / rate.max(1)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut next_room = 0usize;
    let measure_start = Instant::now();
    let in_flight = Arc::new(tokio::sync::Semaphore::new(512));
    while Instant::now() < deadline {
        ticker.tick().await;
        let (room, members) = &family[next_room % family.len()];
        next_room += 1;
        let url = format!("{base}/api/v1/rooms/{room}/activities");
        let token = members[0].token.clone();
        let client = client.clone();
        let posts = posts.clone();
        let failures = failures.clone();
        let Ok(permit) = in_flight.clone().acquire_owned().await else { break };
        tokio::spawn(async move {
            let body = format!(r#"{{"action_type":"message","message":"t={}"}}"#, now_nanos());
            let request = client.post(url).bearer_auth(token).header("content-type", "application/json").body(body);
            match request.send().await {
                Ok(r) if r.status().is_success() => posts.fetch_add(1, Ordering::Relaxed),
                _ => failures.fetch_add(1, Ordering::Relaxed),
            };
            drop(permit);
        });
    }
    let elapsed = measure_start.elapsed().as_secs_f64();
    // Let the last frames arrive, then stop the receivers.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.send_replace(true);
    let cpu_after = server_pid.map(cpu_seconds).transpose()?;
    let own_cpu = cpu_seconds(std::process::id())? - own_cpu_before;
    let cores_after = core_times()?;
    let cores_wall = cores_clock.elapsed().as_secs_f64();
    let [commits, checkpoints] = sqlite_histograms(&client, &base).await?;
    let commits = commits.map(|after| after.since(commits_before.as_ref()));
    let checkpoints = checkpoints.map(|after| after.since(checkpoints_before.as_ref()));
    let mut samples: Vec<(u128, u64)> = Vec::new();
    for receiver in receivers {
        samples.extend(receiver.await?);
    }
    // FR_LOAD_SERIES=<file> keeps every delivery as "sent (ms into the run),
    // latency (µs)", to see when the slow ones happened; the run's start is
    // printed as wall-clock time, to line the series up with a trace.
    samples.sort_unstable();
    let first = samples.first().map(|(sent, _)| *sent).unwrap_or_default();
    if let Ok(path) = std::env::var("FR_LOAD_SERIES") {
        let lines: Vec<String> =
            samples.iter().map(|(sent, latency)| format!("{:.3},{latency}", (sent - first) as f64 / 1e6)).collect();
        std::fs::write(path, lines.join("\n"))?;
        eprintln!("series starts at {:.6} s since the Unix epoch", first as f64 / 1e9);
    }
    // The first seconds fill every per-node cache (memberships, verified
    // tokens) and drain the presence of the sockets just opened; the second
    // latency line leaves them out.
    let steady_from = first + WARM_UP.as_nanos();
    let mut steady: Vec<u64> =
        samples.iter().filter(|(sent, _)| *sent >= steady_from).map(|(_, latency)| *latency).collect();
    steady.sort_unstable();
    let mut all: Vec<u64> = samples.into_iter().map(|(_, latency)| latency).collect();
    all.sort_unstable();
    let deliveries = received.load(Ordering::Relaxed);
    println!(
        "posts: {} ok, {} failed, {:.0}/s",
        posts.load(Ordering::Relaxed),
        failures.load(Ordering::Relaxed),
        posts.load(Ordering::Relaxed) as f64 / elapsed
    );
    println!("deliveries: {deliveries}, {:.0}/s", deliveries as f64 / elapsed);
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        percentile(&all, 0.5),
        percentile(&all, 0.9),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    println!(
        "latency ms after the first {} s: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        WARM_UP.as_secs(),
        percentile(&steady, 0.5),
        percentile(&steady, 0.9),
        percentile(&steady, 0.99),
        percentile(&steady, 1.0)
    );
    if let (Some(before), Some(after)) = (cpu_before, cpu_after) {
        println!(
            "server CPU: {:.2}s, {:.1} µs per delivery",
            after - before,
            (after - before) * 1e6 / deliveries.max(1) as f64
        );
    }
    // A post is answered and broadcast after its batch's commit, whose sync
    // is the disk's: on a host whose syncs are sometimes slow, that is where
    // the latency's tail comes from, however idle the server.
    for (what, histogram) in [("append commits", commits), ("checkpoints", checkpoints)] {
        let Some(histogram) = histogram else { continue };
        let above = |bound: f64| histogram.above(bound).map_or_else(|| "?".to_owned(), |n| n.to_string());
        println!(
            "{what} (SQLite): {}, mean {:.2} ms; over 2.5 ms: {}, over 5 ms: {}, over 10 ms: {}, over 50 ms: {}",
            histogram.count,
            histogram.sum * 1e3 / histogram.count.max(1) as f64,
            above(0.0025),
            above(0.005),
            above(0.01),
            above(0.05)
        );
    }
    // A saturated generator delays its own stamps and receipts: its load is
    // part of reading the latency figures.
    println!("generator CPU: {own_cpu:.2}s over {:.1}s", elapsed + 2.0);
    // Per core, whatever ran there: on loopback the kernel's receive path
    // runs on whichever core it is steered to, and a process's own CPU time
    // does not show where that went.
    for (core, (before, after)) in cores_before.iter().zip(&cores_after).enumerate() {
        println!(
            "core {core}: busy {:.2}s of {cores_wall:.1}s, softirq about {:.2}s",
            cores_wall - (after.idle - before.idle),
            after.softirq - before.softirq
        );
    }
    Ok(())
}

/// The durations of the SQLite group committer's commits and of the
/// background checkpoints so far, from one read of the server's `/metrics`
/// (each `None` on PostgreSQL, or before the server first recorded it).
async fn sqlite_histograms(client: &reqwest::Client, base: &str) -> Result<[Option<Histogram>; 2]> {
    let text = client.get(format!("{base}/metrics")).send().await?.error_for_status()?.text().await?;
    Ok([
        Histogram::parse(&text, "store_append_commit_duration_seconds")?,
        Histogram::parse(&text, "store_checkpoint_duration_seconds")?,
    ])
}

async fn idle(base: String, connections: usize, server_pid: u32) -> Result<()> {
    let client = reqwest::Client::new();
    let rooms = connections.div_ceil(5);
    let family = setup(&client, &base, rooms, 5).await?;
    let before = resident(server_pid)?;
    // Half first, then the rest: the second half's growth is the marginal
    // cost of a connection, free of whatever the allocator kept from setup.
    let members = members_of(&family);
    let members = &members[..connections.min(members.len())];
    let half = members.len() / 2;
    let mut sockets = open_all(&client, &base, &members[..half]).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let middle = resident(server_pid)?;
    sockets.extend(open_all(&client, &base, &members[half..]).await?);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = resident(server_pid)?;
    let all = sockets.len();
    let second = (all - half).max(1);
    let per = |from: u64, to: u64, count: usize| to.saturating_sub(from) as f64 / count as f64;
    println!(
        "{all} idle subscribed sockets: server RSS {} KiB → {} KiB at {half} → {} KiB; \
         {:.2} KiB per connection overall, {:.2} KiB per connection for the second {second}",
        before.total_kib,
        middle.total_kib,
        after.total_kib,
        per(before.total_kib, after.total_kib, all),
        per(middle.total_kib, after.total_kib, second),
    );
    // The anonymous part is the connections' own memory; the mapped part is
    // the database's pages, which SQLite's memory map takes in and drops as
    // the file grows while members join.
    println!(
        "  of which anonymous (heap, stacks): {} KiB → {} KiB → {} KiB; \
         {:.2} KiB per connection overall, {:.2} KiB per connection for the second {second}; \
         mapped files: {} KiB → {} KiB → {} KiB",
        before.anon_kib,
        middle.anon_kib,
        after.anon_kib,
        per(before.anon_kib, after.anon_kib, all),
        per(middle.anon_kib, after.anon_kib, second),
        before.mapped_kib,
        middle.mapped_kib,
        after.mapped_kib,
    );
    Ok(())
}

async fn appends(count: usize, concurrency: usize) -> Result<()> {
    use domain::{
        ActivityId, RoomId, UserId,
        activity::ActionType,
        role::Role,
        visibility::{SecretMode, Visibility},
    };
    let dir = std::env::temp_dir().join(format!("fr-appends-{}", uuid::Uuid::new_v4().simple()));
    let store = store::open(store::StoreOptions { url: None, data_dir: &dir, max_connections: 4 }).await?;
    let user = UserId::new();
    let at = domain::clock::now();
    store
        .create_user(store::NewUser {
            id: user,
            name: "Bench".into(),
            email: "bench@example.com".into(),
            email_normalized: "bench@example.com".into(),
            password_hash: "x".into(),
            at,
        })
        .await?;
    let mut rooms = Vec::new();
    for i in 0..64 {
        let room = store
            .create_room(store::NewRoom {
                id: RoomId::new(),
                name: format!("Room {i}"),
                owner_id: user,
                visibility: "private".into(),
                invite_code: format!("bench{i:011}"),
                at,
            })
            .await?;
        rooms.push(room.id);
    }
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers = (0..concurrency).map(|_| {
        let store = store.clone();
        let next = next.clone();
        let rooms = rooms.clone();
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                if i >= count {
                    return Ok::<_, anyhow::Error>(latencies);
                }
                let t = Instant::now();
                store
                    .append_activity(store::NewActivity {
                        id: ActivityId::new(),
                        room_id: rooms[i % rooms.len()],
                        user_id: user,
                        product_id: None,
                        action_type: ActionType::Message,
                        message: Some(format!("append {i}")),
                        visibility: Visibility::Everyone,
                        metadata: json!({}),
                        at: domain::clock::now(),
                        // As the server appends a member's post: confirmed
                        // against the author's membership at commit.
                        author_as_of: Some(store::AuthorState {
                            role: Role::Owner,
                            secret_mode: SecretMode::default(),
                        }),
                    })
                    .await?;
                latencies.push(t.elapsed().as_micros() as u64);
            }
        })
    });
    let mut all = Vec::new();
    for worker in join_all(workers).await {
        all.extend(worker??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    println!(
        "{count} durable appends (synchronous=FULL, WAL) by {concurrency} appenders in {elapsed:.2}s: {:.0}/s; latency ms p50 {:.2} p99 {:.2}",
        count as f64 / elapsed,
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );
    drop(std::fs::remove_dir_all(&dir));
    Ok(())
}

// One thread: the generator is pinned to one core, and a second worker
// thread would only add cross-thread wake-ups.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    match Cli::parse().mode {
        Mode::Fanout { base, rooms, room_size, rate, seconds, server_pid } => {
            fanout(base, rooms, room_size, rate, seconds, server_pid).await
        }
        Mode::Idle { base, connections, server_pid } => idle(base, connections, server_pid).await,
        Mode::Appends { count, concurrency } => appends(count, concurrency).await,
    }
}
