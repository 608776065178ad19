//! The floor under our HTTP figures: a bare axum server answering one fixed
//! JSON body, with none of Family Room's middleware, authentication or
//! caches. Run it where the real server runs (`taskset -c 0`) and drive it
//! with the same wrk command: the gap between the two is what our own
//! request path costs; what this one costs is hyper, tokio and the kernel.
//!
//! `cargo run --release -p bench --example http_floor -- 127.0.0.1:8099`

use axum::{Router, http::header, response::IntoResponse, routing::get};

const BODY: &str = r#"{"id":"0195a1c2-7e4b-7a10-9c55-0a1b2c3d4e5f","email":"bench@example.com","name":"Bench","avatar_url":null,"sizes":{"tops":null,"bottoms":null,"shoes":null},"style_preferences":[],"gender":null,"age_band":null,"created_at":"2026-11-24T05:00:00Z"}"#;

async fn me() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], BODY)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8099".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    let app = Router::new().route("/api/v1/me", get(me));
    axum::serve(listener, app).await?;
    Ok(())
}
