//! The catalog crate's integration tests, in one binary: the demo catalog,
//! file imports (real Myntra files, dirty rows, mapping files, truncated and
//! binary input) and the partner feed client against a real local server.

#![expect(clippy::unwrap_used, reason = "test helpers and servers stop loudly on a failed assumption")]

mod demo;
mod import;
mod partner;
