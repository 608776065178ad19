//! The floor under our fan-out figures: the cost of the one thing a
//! delivery cannot skip, one `write` of a WebSocket text frame to one TCP
//! socket on loopback, with no runtime, no queue and no framing work (the
//! frame is encoded once before the clock starts).
//!
//! Run the reader on one core and the writer on the other, as the real
//! benchmark runs the load generator and the server:
//!
//! ```text
//! taskset -c 0 fanout_floor write 127.0.0.1:8098 10000 100 &
//! taskset -c 1 fanout_floor read 127.0.0.1:8098 10000
//! ```
//!
//! The writer accepts the sockets, then writes the frame to every socket,
//! `rounds` times, and prints the CPU it spent per write and how long one
//! round (a broadcast to every socket) took. Loopback TCP does the
//! receiver's protocol work on the sender's core too, so this is what a
//! delivery costs the server's core before any of our own code runs.

use std::io::Write;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// An activity frame of the size the real server sends (about 360 bytes).
const PAYLOAD: &str = r#"{"type":"activity","room_id":"0195a1c2-7e4b-7a10-9c55-0a1b2c3d4e5f","activity":{"id":"0195a1c2-7e4b-7a10-9c55-0a1b2c3d4e60","room_id":"0195a1c2-7e4b-7a10-9c55-0a1b2c3d4e5f","user_id":"0195a1c2-7e4b-7a10-9c55-0a1b2c3d4e61","product_id":null,"action_type":"message","message":"t=1795000000000000000","is_secret":false,"metadata":{},"created_at":"2026-11-24T09:00:00.000000Z","cursor":"AAAAAAAAAAE"}}"#;

fn text_frame(payload: &str) -> Vec<u8> {
    let length = payload.len();
    let mut frame = vec![0x81, 126, (length >> 8) as u8, length as u8];
    frame.extend_from_slice(payload.as_bytes());
    frame
}

fn write(address: &str, sockets: usize, rounds: usize) -> Result<()> {
    let listener = TcpListener::bind(address)?;
    let mut peers = Vec::with_capacity(sockets);
    while peers.len() < sockets {
        let (peer, _) = listener.accept()?;
        peer.set_nodelay(true)?;
        peers.push(peer);
    }
    let frame = text_frame(PAYLOAD);
    let cpu_before = bench::cpu_seconds(std::process::id())?;
    let started = Instant::now();
    let mut rounds_took: Vec<Duration> = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let round = Instant::now();
        for peer in &mut peers {
            peer.write_all(&frame)?;
        }
        rounds_took.push(round.elapsed());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = bench::cpu_seconds(std::process::id())? - cpu_before;
    rounds_took.sort_unstable();
    let writes = (sockets * rounds) as f64;
    println!("{sockets} sockets, {rounds} rounds, {} bytes per frame", frame.len());
    println!(
        "writes: {:.0}/s, {:.2} µs CPU per write ({cpu:.2}s CPU over {elapsed:.2}s)",
        writes / elapsed,
        cpu * 1e6 / writes
    );
    println!(
        "one round to every socket: median {:.1} ms, slowest {:.1} ms",
        rounds_took[rounds_took.len() / 2].as_secs_f64() * 1e3,
        rounds_took.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
    Ok(())
}

fn read(address: &str, sockets: usize) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let mut readers = Vec::with_capacity(sockets);
        for _ in 0..sockets {
            let stream = connect(address).await?;
            readers.push(tokio::spawn(async move {
                use tokio::io::AsyncReadExt;
                let mut stream = stream;
                let mut buffer = [0u8; 4096];
                let mut total = 0usize;
                while let Ok(n) = stream.read(&mut buffer).await {
                    if n == 0 {
                        break;
                    }
                    total += n;
                }
                total
            }));
        }
        let mut total = 0usize;
        for reader in readers {
            total += reader.await?;
        }
        println!("read {total} bytes");
        Ok(())
    })
}

/// Connects, retrying while the writer is not listening yet.
async fn connect(address: &str) -> Result<tokio::net::TcpStream> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::net::TcpStream::connect(address).await {
            Ok(stream) => return Ok(stream),
            Err(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(20)).await,
            Err(error) => return Err(error).context("connect"),
        }
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let address = args.get(2).map(String::as_str).unwrap_or("127.0.0.1:8098");
    let sockets: usize = args.get(3).map(|v| v.parse()).transpose()?.unwrap_or(10_000);
    match args.get(1).map(String::as_str) {
        Some("write") => write(address, sockets, args.get(4).map(|v| v.parse()).transpose()?.unwrap_or(100)),
        Some("read") => read(address, sockets),
        _ => bail!("usage: fanout_floor write|read ADDRESS SOCKETS [ROUNDS]"),
    }
}
