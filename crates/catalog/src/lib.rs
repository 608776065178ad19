//! Where products come from before they reach the store: a deterministic demo
//! catalog ([`demo`]), streaming file imports of CSV and JSON Lines with named
//! or file-defined column mappings ([`import`]), and the client of a partner's
//! paged JSON feed ([`partner`]).
//!
//! Every source yields [`ProductDraft`]s: products as a source gives them,
//! before they have an id or timestamps. This crate never touches a database
//! or serves HTTP; the caller upserts drafts, telling "unchanged" from
//! "updated" by [`content_hash`].

pub mod demo;
mod draft;
pub mod import;
pub mod partner;

pub use draft::{DraftError, ProductDraft, content_hash};
