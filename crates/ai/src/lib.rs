//! Family Room's recommendation models and the trip planner: pure, in-memory
//! and fast, so the app can precompute on a schedule and serve from memory.
//!
//! Secret mode is the caller's duty made natural: every per-viewer entry
//! point takes a [`signals::Visible`] set, which can only be built by passing
//! each interaction through the caller's visibility predicate
//! (`domain::visibility::may_see` in the app). Shared models are built from
//! interactions nobody is hidden from. A hidden activity therefore cannot
//! shape a member's list, its reasons or its timing.

pub mod climate;
mod climate_table;
pub mod eval;
pub mod filters;
pub mod llm;
pub mod mmr;
pub mod models;
pub mod planner;
pub mod signals;

pub use filters::{Filter, MemberSizes};
pub use models::{
    Candidate, ContentModel, Context, Engine, FamilyModel, ItemCf, ItemFeatures, Popularity, RecType, Recommendation,
    Recommender,
};
pub use signals::{Interaction, Signal, Visible};
