//! The API, tested over HTTP against a real server on port 0, on SQLite or
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests stop loudly on a failed assumption")]
//! PostgreSQL (`FAMILYROOM_TEST_DATABASE`). One test binary, one module per area.

mod accounts;
mod ai;
mod cart;
mod catalog;
mod conventions;
mod files;
mod multinode;
mod openapi;
mod realtime;
mod rooms;
mod secret_mode;
