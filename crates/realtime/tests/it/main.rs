//! The realtime crate's integration tests, in one binary (one link).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers should stop the test loudly on a failed assumption"
)]

mod hub;
mod presence;
mod redis_nodes;
mod session;
mod support;
mod ticket;
