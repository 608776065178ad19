//! What members do in a room. An activity is written to the room's log first
//! and only then announced on sockets: the log is the truth.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest message an activity may carry, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;
/// The largest metadata object an activity may carry, in bytes of JSON.
pub const MAX_METADATA_BYTES: usize = 4096;

/// What happened. Clients post the first group; the server writes the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionType {
    Viewed,
    Liked,
    Unliked,
    Commented,
    Reacted,
    Voted,
    AddedToCart,
    RemovedFromCart,
    UpdatedCart,
    AddedToWishlist,
    RemovedFromWishlist,
    Shared,
    Message,
    // Written by the server only.
    Joined,
    Left,
    Removed,
    RoleChanged,
    Revealed,
    TripPlanned,
    TripUpdated,
    PriceChanged,
}

impl ActionType {
    pub const ALL: [ActionType; 21] = [
        Self::Viewed,
        Self::Liked,
        Self::Unliked,
        Self::Commented,
        Self::Reacted,
        Self::Voted,
        Self::AddedToCart,
        Self::RemovedFromCart,
        Self::UpdatedCart,
        Self::AddedToWishlist,
        Self::RemovedFromWishlist,
        Self::Shared,
        Self::Message,
        Self::Joined,
        Self::Left,
        Self::Removed,
        Self::RoleChanged,
        Self::Revealed,
        Self::TripPlanned,
        Self::TripUpdated,
        Self::PriceChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewed => "viewed",
            Self::Liked => "liked",
            Self::Unliked => "unliked",
            Self::Commented => "commented",
            Self::Reacted => "reacted",
            Self::Voted => "voted",
            Self::AddedToCart => "added_to_cart",
            Self::RemovedFromCart => "removed_from_cart",
            Self::UpdatedCart => "updated_cart",
            Self::AddedToWishlist => "added_to_wishlist",
            Self::RemovedFromWishlist => "removed_from_wishlist",
            Self::Shared => "shared",
            Self::Message => "message",
            Self::Joined => "joined",
            Self::Left => "left",
            Self::Removed => "removed",
            Self::RoleChanged => "role_changed",
            Self::Revealed => "revealed",
            Self::TripPlanned => "trip_planned",
            Self::TripUpdated => "trip_updated",
            Self::PriceChanged => "price_changed",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == text)
            .ok_or_else(|| format!("unknown action type `{}`", truncate_for_message(text)))
    }

    /// Whether a client may post this type directly through the activities
    /// endpoint; the others are written by the server as a side effect.
    pub fn is_client_postable(self) -> bool {
        matches!(
            self,
            Self::Viewed | Self::Liked | Self::Unliked | Self::Commented | Self::Reacted | Self::Shared | Self::Message
        )
    }

    /// Types about a product must name one.
    pub fn needs_product(self) -> bool {
        matches!(self, Self::Viewed | Self::Liked | Self::Unliked | Self::Commented | Self::Reacted | Self::Shared)
    }

    /// Types that are words from a member must carry a message.
    pub fn needs_message(self) -> bool {
        matches!(self, Self::Commented | Self::Message | Self::Reacted)
    }
}

/// Checks a message: 1 to 2000 characters, stored exactly as typed; NUL and
/// other control characters except newline and tab are refused.
pub fn parse_message(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(format!("must be at most {MAX_MESSAGE_CHARS} characters"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err("must not contain control characters".into());
    }
    Ok(text.to_owned())
}

fn truncate_for_message(text: &str) -> String {
    text.chars().take(40).filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_type_round_trips_through_its_name() {
        for action in ActionType::ALL {
            assert_eq!(ActionType::parse(action.as_str()), Ok(action));
            let json = serde_json::to_value(action).unwrap();
            assert_eq!(json, serde_json::Value::String(action.as_str().into()));
        }
    }

    #[test]
    fn server_types_cannot_be_posted() {
        assert!(!ActionType::Joined.is_client_postable());
        assert!(ActionType::Liked.is_client_postable());
    }

    #[test]
    fn messages_are_kept_as_typed() {
        let typed = "  <b>hi</b> '; DROP TABLE users; --\n";
        assert_eq!(parse_message(typed).unwrap(), typed);
        assert!(parse_message("a\u{7}b").is_err());
        assert!(parse_message(&"x".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
    }
}
