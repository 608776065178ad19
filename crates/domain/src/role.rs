//! Room roles and the one table of what each may do. Every authorisation
//! decision about a room asks [`Role::allows`]; nothing else compares roles.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A member's role, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Member,
    Viewer,
}

/// Something a member may want to do in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomAction {
    /// See the room, its members, history, cart and recommendations; be present.
    Read,
    /// Post activities, like, comment, vote, edit the cart, wishlist and trips.
    Act,
    /// Rotate the invite code and change roles below admin; remove members.
    ManageMembers,
    /// Rename the room.
    Rename,
    /// Delete the room or hand ownership on.
    OwnRoom,
}

impl Role {
    /// Every role, strongest first.
    pub const ALL: [Role; 4] = [Self::Owner, Self::Admin, Self::Member, Self::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Member => "member",
            Self::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "owner" => Ok(Self::Owner),
            "admin" => Ok(Self::Admin),
            "member" => Ok(Self::Member),
            "viewer" => Ok(Self::Viewer),
            _ => Err("must be one of owner, admin, member, viewer".into()),
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Owner => 3,
            Self::Admin => 2,
            Self::Member => 1,
            Self::Viewer => 0,
        }
    }

    /// The rights matrix of the contract.
    pub fn allows(self, action: RoomAction) -> bool {
        let needed = match action {
            RoomAction::Read => Self::Viewer,
            RoomAction::Act => Self::Member,
            RoomAction::ManageMembers | RoomAction::Rename => Self::Admin,
            RoomAction::OwnRoom => Self::Owner,
        };
        self.rank() >= needed.rank()
    }

    /// Whether `self` may give `target` (currently `current`) the role `new`.
    /// Admins manage members and viewers; only the owner touches admins; the
    /// owner role moves only through a transfer of ownership.
    pub fn may_assign(self, current: Role, new: Role) -> bool {
        if !self.allows(RoomAction::ManageMembers) || current == Self::Owner || new == Self::Owner {
            return false;
        }
        self == Self::Owner || (current.rank() < Self::Admin.rank() && new.rank() < Self::Admin.rank())
    }

    /// Whether `self` may remove a member holding `target`.
    pub fn may_remove(self, target: Role) -> bool {
        target != Self::Owner
            && self.allows(RoomAction::ManageMembers)
            && (self == Self::Owner || target.rank() < Self::Admin.rank())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
    }

    #[test]
    fn a_viewer_reads_but_cannot_act() {
        assert!(Role::Viewer.allows(RoomAction::Read));
        assert!(!Role::Viewer.allows(RoomAction::Act));
    }

    #[test]
    fn a_member_acts_but_cannot_manage() {
        assert!(Role::Member.allows(RoomAction::Act));
        assert!(!Role::Member.allows(RoomAction::ManageMembers));
    }

    #[test]
    fn an_admin_manages_but_cannot_delete_the_room() {
        assert!(Role::Admin.allows(RoomAction::ManageMembers));
        assert!(!Role::Admin.allows(RoomAction::OwnRoom));
        assert!(Role::Owner.allows(RoomAction::OwnRoom));
    }

    #[test]
    fn an_admin_cannot_promote_to_admin_or_touch_another_admin() {
        assert!(Role::Admin.may_assign(Role::Member, Role::Viewer));
        assert!(!Role::Admin.may_assign(Role::Member, Role::Admin));
        assert!(!Role::Admin.may_assign(Role::Admin, Role::Member));
        assert!(Role::Owner.may_assign(Role::Admin, Role::Member));
        assert!(!Role::Owner.may_assign(Role::Member, Role::Owner));
        assert!(!Role::Admin.may_remove(Role::Admin));
        assert!(Role::Owner.may_remove(Role::Admin));
        assert!(!Role::Owner.may_remove(Role::Owner));
    }
}
