//! Trip plan generation latency (built-in planner, no language model) and
//! model refresh time for 1M synthetic interactions.
//!
//! `cargo run --release -p ai --example ai_bench`

use std::time::{Duration, Instant};

use ai::planner::{PersonInput, TravellersInput, TripInput, plan, validate};
use ai::{Interaction, ItemCf, Popularity, Signal};
use time::OffsetDateTime;
use uuid::Uuid;

fn quantile(v: &mut [Duration], q: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let trips = ["beach", "business", "trek", "wedding", "city", "ski"];
    let places = ["Mumbai", "Reykjavik", "Dubai", "Tokyo", "Atlantis", "Paris"];
    let mut times = Vec::new();
    for i in 0..5_000usize {
        let input = TripInput {
            destination: Some(places[i % places.len()].into()),
            trip_type: Some(trips[i % trips.len()].into()),
            duration_days: Some(1 + (i % 30) as i64),
            start_date: Some(format!("2026-{:02}-15", 1 + i % 12)),
            travellers: Some(TravellersInput::People(
                (0..4)
                    .map(|p| PersonInput {
                        name: None,
                        age: Some([38, 40, 9, 2][p]),
                        gender: Some(["women", "men", "boys", "girls"][p].into()),
                        user_id: None,
                    })
                    .collect(),
            )),
            laundry: Some(i % 2 == 0),
            ..TripInput::default()
        };
        let started = Instant::now();
        let spec = validate(&input, None);
        let lines = spec.map(|s| plan(&s).travellers.iter().map(|t| t.lines.len()).sum::<usize>()).unwrap_or(0);
        times.push(started.elapsed());
        assert!(lines > 0);
    }
    println!(
        "trip plan (validate + plan, 4 travellers, 5000 runs): p50 {:.1} µs, p99 {:.1} µs",
        quantile(&mut times, 0.5).as_secs_f64() * 1e6,
        quantile(&mut times, 0.99).as_secs_f64() * 1e6
    );

    // 1M interactions: 50k members, 20k products, skewed towards popular products.
    let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
    let signals = [
        Signal::View,
        Signal::View,
        Signal::View,
        Signal::Like,
        Signal::CartAdd,
        Signal::WishlistAdd,
        Signal::Purchase,
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let log: Vec<Interaction> = (0..1_000_000u64)
        .map(|_| {
            let user = next() % 50_000;
            let r = (next() % 10_000) as f64 / 10_000.0;
            let item = ((r * r * r) * 20_000.0) as u128;
            Interaction {
                user: Uuid::from_u128(u128::from(user) + 1_000_000),
                item: Uuid::from_u128(item),
                signal: signals[(next() % signals.len() as u64) as usize],
                at: now - time::Duration::hours((next() % 2_000) as i64),
                restricted: false,
            }
        })
        .collect();
    let started = Instant::now();
    let cf = ItemCf::build(&log, now, 50);
    let cf_time = started.elapsed();
    let started = Instant::now();
    let _pop = Popularity::build(&log, now);
    let pop_time = started.elapsed();
    println!(
        "refresh on 1M interactions (50k members, 20k products): item_cf {:.2} s ({} items with neighbours), popularity {:.2} s",
        cf_time.as_secs_f64(),
        cf.neighbours.len(),
        pop_time.as_secs_f64()
    );
}
