//! Interactions as the models see them: who did what to which product and
//! when, with a weight per kind of signal and an exponential time decay.

use std::collections::HashMap;

use time::OffsetDateTime;
use uuid::Uuid;

/// One kind of engagement with a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    View,
    Like,
    Unlike,
    Comment,
    VoteUp,
    VoteDown,
    CartAdd,
    CartRemove,
    WishlistAdd,
    WishlistRemove,
    Purchase,
}

impl Signal {
    /// Strength of the signal; removals and down-votes count against.
    pub fn weight(self) -> f32 {
        match self {
            Self::View => 1.0,
            Self::Like => 3.0,
            Self::Unlike => -3.0,
            Self::Comment => 2.0,
            Self::VoteUp => 2.0,
            Self::VoteDown => -2.0,
            Self::CartAdd => 5.0,
            Self::CartRemove => -4.0,
            Self::WishlistAdd => 3.0,
            Self::WishlistRemove => -2.0,
            Self::Purchase => 8.0,
        }
    }

    /// Verb used in human reasons.
    pub fn verb(self) -> &'static str {
        match self {
            Self::View => "looked at",
            Self::Like | Self::VoteUp => "liked",
            Self::Comment => "talked about",
            Self::CartAdd => "added to the cart",
            Self::WishlistAdd => "wishlisted",
            Self::Purchase => "bought",
            Self::Unlike | Self::VoteDown | Self::CartRemove | Self::WishlistRemove => "passed on",
        }
    }
}

/// One member's engagement with one product.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub user: Uuid,
    pub item: Uuid,
    pub signal: Signal,
    pub at: OffsetDateTime,
    /// True when the activity is hidden from at least one member (secret
    /// mode). Shared models skip these; per-viewer paths see them only when
    /// the viewer's predicate lets them through.
    pub restricted: bool,
}

/// Half-life of a signal: two weeks, so last season's browsing fades.
pub const HALF_LIFE_DAYS: f32 = 14.0;

/// The decayed weight of one interaction at `now`.
pub fn decayed(interaction: &Interaction, now: OffsetDateTime) -> f32 {
    let age_days = ((now - interaction.at).as_seconds_f32() / 86_400.0).max(0.0);
    interaction.signal.weight() * 0.5f32.powf(age_days / HALF_LIFE_DAYS)
}

/// Sums decayed weights per (user, item), dropping pairs whose net is not
/// positive (an item added then removed is not an interest).
pub fn user_item_weights<'a>(
    interactions: impl IntoIterator<Item = &'a Interaction>,
    now: OffsetDateTime,
) -> HashMap<Uuid, HashMap<Uuid, f32>> {
    let mut out: HashMap<Uuid, HashMap<Uuid, f32>> = HashMap::new();
    for i in interactions {
        *out.entry(i.user).or_default().entry(i.item).or_insert(0.0) += decayed(i, now);
    }
    for items in out.values_mut() {
        items.retain(|_, w| *w > 1e-6);
    }
    out.retain(|_, items| !items.is_empty());
    out
}

/// The interactions one viewer may see. The only constructor runs every
/// interaction through the caller's visibility predicate, so a per-viewer
/// model cannot be fed an unfiltered log by accident.
#[derive(Debug, Clone)]
pub struct Visible {
    viewer: Uuid,
    interactions: Vec<Interaction>,
}

impl Visible {
    /// Keeps the interactions for which `may_see(viewer, interaction)` holds.
    pub fn filter<'a>(
        viewer: Uuid,
        all: impl IntoIterator<Item = &'a Interaction>,
        mut may_see: impl FnMut(Uuid, &Interaction) -> bool,
    ) -> Self {
        let interactions = all.into_iter().filter(|i| may_see(viewer, i)).cloned().collect();
        Self { viewer, interactions }
    }

    pub fn viewer(&self) -> Uuid {
        self.viewer
    }

    pub fn interactions(&self) -> &[Interaction] {
        &self.interactions
    }

    /// The viewer's own interactions.
    pub fn own(&self) -> impl Iterator<Item = &Interaction> {
        self.interactions.iter().filter(move |i| i.user == self.viewer)
    }

    /// Other members' interactions the viewer may see.
    pub fn others(&self) -> impl Iterator<Item = &Interaction> {
        self.interactions.iter().filter(move |i| i.user != self.viewer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days_ago: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + time::Duration::days(1000 - days_ago)
    }

    #[test]
    fn decay_halves_every_half_life() {
        let now = at(0);
        let i =
            Interaction { user: Uuid::nil(), item: Uuid::nil(), signal: Signal::Like, at: at(14), restricted: false };
        assert!((decayed(&i, now) - 1.5).abs() < 1e-3);
    }

    #[test]
    fn removals_cancel_adds() {
        let now = at(0);
        let u = Uuid::from_u128(1);
        let item = Uuid::from_u128(2);
        let log = [
            Interaction { user: u, item, signal: Signal::CartAdd, at: now, restricted: false },
            Interaction { user: u, item, signal: Signal::CartRemove, at: now, restricted: false },
            Interaction { user: u, item, signal: Signal::Unlike, at: now, restricted: false },
        ];
        assert!(user_item_weights(&log, now).is_empty());
    }

    #[test]
    fn visible_keeps_only_what_the_predicate_allows() {
        let now = at(0);
        let a = Uuid::from_u128(1);
        let log = [
            Interaction { user: a, item: Uuid::from_u128(5), signal: Signal::Like, at: now, restricted: false },
            Interaction { user: a, item: Uuid::from_u128(6), signal: Signal::Like, at: now, restricted: true },
        ];
        let v = Visible::filter(Uuid::from_u128(9), &log, |_, i| !i.restricted);
        assert_eq!(v.interactions().len(), 1);
        assert_eq!(v.others().count(), 1);
        assert_eq!(v.own().count(), 0);
    }
}
