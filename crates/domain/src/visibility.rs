//! Secret mode: who may see what. [`may_see`] is the one function every read
//! path (history, live delivery, replay, cart, wishlist, votes, counts,
//! recommendations, notifications) asks; nothing decides visibility alone.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::UserId;

/// Who an activity (or a cart line, wishlist item or vote) is shown to. The
/// author always sees their own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// The whole room.
    #[default]
    Everyone,
    /// Everyone but these members.
    HiddenFrom(BTreeSet<UserId>),
    /// Only these members.
    Only(BTreeSet<UserId>),
}

/// A member's secret-mode state in one room.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SecretMode {
    pub enabled: bool,
    pub hidden_from: BTreeSet<UserId>,
}

/// The most members one visibility or secret-mode list may name.
pub const MAX_VISIBILITY_MEMBERS: usize = 100;

/// The request's `visibility` field: omitted, `{"hidden_from": [..]}` or `{"only": [..]}`.
/// Exactly one of the two is given, not null.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisibilityRequest {
    /// Everyone but these members of the room.
    #[serde(default)]
    #[schema(value_type = Option<crate::schema::MemberIdList>)]
    pub hidden_from: Option<Vec<UserId>>,
    /// Only these members of the room.
    #[serde(default)]
    #[schema(value_type = Option<crate::schema::MemberIdList>)]
    pub only: Option<Vec<UserId>>,
}

impl VisibilityRequest {
    pub fn parse(self) -> Result<Visibility, String> {
        match (self.hidden_from, self.only) {
            (Some(_), Some(_)) => Err("give either hidden_from or only, not both".into()),
            (Some(list), None) => Ok(Visibility::HiddenFrom(list.into_iter().collect())),
            (None, Some(list)) => Ok(Visibility::Only(list.into_iter().collect())),
            (None, None) => Err("give hidden_from or only".into()),
        }
    }
}

impl Visibility {
    /// The visibility an item gets when `author` posts it: an explicit request
    /// wins; otherwise the author's secret mode, when on, hides it from the
    /// members the mode names. Everything else is visible to the room.
    pub fn effective(requested: Option<Visibility>, author_mode: &SecretMode) -> Visibility {
        let from_mode = || {
            if author_mode.enabled && !author_mode.hidden_from.is_empty() {
                Visibility::HiddenFrom(author_mode.hidden_from.clone())
            } else {
                Visibility::Everyone
            }
        };
        match requested {
            Some(Visibility::HiddenFrom(set)) if set.is_empty() => from_mode(),
            Some(explicit) => {
                // A secret-mode member's explicit choice still never shows the
                // item to someone their mode hides from.
                if author_mode.enabled && !author_mode.hidden_from.is_empty() {
                    explicit.also_hide(&author_mode.hidden_from)
                } else {
                    explicit
                }
            }
            None => from_mode(),
        }
    }

    /// This visibility, additionally hidden from `more`.
    pub fn also_hide(self, more: &BTreeSet<UserId>) -> Visibility {
        match self {
            Visibility::Everyone => Visibility::HiddenFrom(more.clone()),
            Visibility::HiddenFrom(mut set) => {
                set.extend(more.iter().copied());
                Visibility::HiddenFrom(set)
            }
            Visibility::Only(set) => Visibility::Only(set.difference(more).copied().collect()),
        }
    }

    /// True when at least one member could be kept from seeing the item.
    pub fn is_restricted(&self) -> bool {
        !matches!(self, Visibility::Everyone)
    }
}

/// May `viewer` see an item that `author` made with `visibility`?
///
/// This is the single rule of secret mode. The author always sees their own;
/// `HiddenFrom` hides from exactly the named members; `Only` shows to exactly
/// the named members.
pub fn may_see(viewer: UserId, author: UserId, visibility: &Visibility) -> bool {
    if viewer == author {
        return true;
    }
    match visibility {
        Visibility::Everyone => true,
        Visibility::HiddenFrom(hidden) => !hidden.contains(&viewer),
        Visibility::Only(only) => only.contains(&viewer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (UserId, UserId, UserId) {
        (UserId::new(), UserId::new(), UserId::new())
    }

    #[test]
    fn the_author_always_sees_their_own() {
        let (author, _, _) = ids();
        assert!(may_see(author, author, &Visibility::Only(BTreeSet::new())));
    }

    #[test]
    fn hidden_from_hides_exactly_the_named() {
        let (author, hidden, third) = ids();
        let vis = Visibility::HiddenFrom([hidden].into());
        assert!(!may_see(hidden, author, &vis));
        assert!(may_see(third, author, &vis));
    }

    #[test]
    fn only_shows_exactly_the_named() {
        let (author, chosen, third) = ids();
        let vis = Visibility::Only([chosen].into());
        assert!(may_see(chosen, author, &vis));
        assert!(!may_see(third, author, &vis));
    }

    #[test]
    fn secret_mode_hides_an_unmarked_activity() {
        let (_, hidden, _) = ids();
        let mode = SecretMode { enabled: true, hidden_from: [hidden].into() };
        assert_eq!(Visibility::effective(None, &mode), Visibility::HiddenFrom([hidden].into()));
        let off = SecretMode { enabled: false, hidden_from: [hidden].into() };
        assert_eq!(Visibility::effective(None, &off), Visibility::Everyone);
    }

    #[test]
    fn an_explicit_only_in_secret_mode_still_excludes_the_hidden() {
        let (_, hidden, third) = ids();
        let mode = SecretMode { enabled: true, hidden_from: [hidden].into() };
        let vis = Visibility::effective(Some(Visibility::Only([hidden, third].into())), &mode);
        assert_eq!(vis, Visibility::Only([third].into()));
    }
}
