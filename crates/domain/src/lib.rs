//! Family Room's types and rules: ids, parsed inputs, roles and their rights,
//! money, products, activities and the one visibility rule of secret mode.
//!
//! No I/O lives here: every function is pure, so the rules are tested beside
//! the code and every layer above shares them.

pub mod activity;
pub mod clock;
pub mod error;
pub mod ids;
pub mod money;
pub mod presence;
pub mod product;
pub mod role;
pub mod schema;
pub mod user;
pub mod visibility;

pub use error::{FieldError, FieldErrors};
pub use ids::*;
