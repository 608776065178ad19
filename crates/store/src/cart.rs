//! The family cart, wishlist and votes in storage. Rows carry their
//! visibility; the store never filters by it (callers apply
//! `domain::visibility::may_see`). Every change appends its activity in the
//! same transaction, built by the caller from the row as written.
//!
//! Merging: adds of the same product, size and recipient land in one row per
//! `merge_key` (see [`merge_key`]), so a secret add never moves a line that a
//! hidden member sees and a public add never lands in a hidden line.

use async_trait::async_trait;
use domain::{CartLineId, ProductId, RoomId, UserId, WishlistItemId, product::SizeStock, visibility::Visibility};
use time::OffsetDateTime;

use crate::{ActivityRecord, NewActivity, StoreError};

/// The most of one line: larger adds are capped here when merging.
pub const MAX_LINE_QUANTITY: i64 = 99;

/// Builds the activity of a write from the row as written.
pub type ActivityFor<T> = Box<dyn FnOnce(&T) -> NewActivity + Send>;

/// What a cart line shows of its product, read at the same time as the line.
#[derive(Debug, Clone, PartialEq)]
pub struct CartProduct {
    pub id: ProductId,
    pub sku: String,
    pub title: String,
    pub brand: String,
    pub image: Option<String>,
    pub price_minor: i64,
    pub currency: String,
    pub sizes: Vec<SizeStock>,
}

/// Whom something is bought for: at most one of the two is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipient {
    pub user: Option<UserId>,
    pub name: Option<String>,
}

impl Recipient {
    /// The unique-key form: `''`, `u:<id>` or `n:<lower-cased name>`.
    pub fn key(&self) -> String {
        match (&self.user, &self.name) {
            (Some(user), _) => format!("u:{user}"),
            (None, Some(name)) => format!("n:{}", name.to_lowercase()),
            (None, None) => String::new(),
        }
    }
}

/// `''` for an item the whole room sees; otherwise the author and the
/// canonical visibility, so restricted items merge only with their twin.
pub fn merge_key(author: UserId, visibility: &Visibility) -> String {
    if visibility.is_restricted() {
        format!("{author}:{}", serde_json::to_string(visibility).unwrap_or_default())
    } else {
        String::new()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CartLineRecord {
    pub id: CartLineId,
    pub room_id: RoomId,
    pub product: CartProduct,
    pub size: String,
    pub quantity: i64,
    pub added_by: UserId,
    pub buying_for: Recipient,
    pub visibility: Visibility,
    pub price_at_add_minor: i64,
    pub currency: String,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct NewCartLine {
    pub id: CartLineId,
    pub room_id: RoomId,
    pub product_id: ProductId,
    pub size: String,
    /// Added to an existing twin line (capped at [`MAX_LINE_QUANTITY`]).
    pub quantity: i64,
    pub added_by: UserId,
    pub buying_for: Recipient,
    pub visibility: Visibility,
    pub price_at_add_minor: i64,
    pub currency: String,
    pub at: OffsetDateTime,
}

/// A change to a line; `None` leaves a field as it is at write time.
#[derive(Debug, Clone)]
pub struct CartLineChange {
    pub size: Option<String>,
    pub quantity: Option<i64>,
    pub buying_for: Option<Recipient>,
    /// The line's new visibility (with its new recipient hidden), if it changes.
    pub visibility: Option<Visibility>,
    /// Write only while the line still has this version.
    pub expected_version: Option<i64>,
    pub at: OffsetDateTime,
}

/// The outcome of a versioned write.
#[derive(Debug, Clone, PartialEq)]
pub enum CartWrite {
    Done(Box<CartLineRecord>, ActivityRecord),
    /// The line has moved on: nothing was written; here it is now.
    Stale(Box<CartLineRecord>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct WishlistItemRecord {
    pub id: WishlistItemId,
    pub room_id: RoomId,
    pub product: CartProduct,
    pub added_by: UserId,
    pub buying_for: Recipient,
    pub visibility: Visibility,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct NewWishlistItem {
    pub id: WishlistItemId,
    pub room_id: RoomId,
    pub product_id: ProductId,
    pub added_by: UserId,
    pub buying_for: Recipient,
    pub visibility: Visibility,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VoteRecord {
    pub product_id: ProductId,
    pub user_id: UserId,
    pub value: i64,
    pub visibility: Visibility,
}

/// A comment on a product, for the "most discussed" poll.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductComment {
    pub product_id: ProductId,
    pub user_id: UserId,
    pub visibility: Visibility,
}

/// A cart line or wishlist item holding a product, as far as deciding who
/// may hear about a change to that product needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductHolding {
    pub room_id: RoomId,
    pub product_id: ProductId,
    pub added_by: UserId,
    pub visibility: Visibility,
}

#[async_trait]
pub trait Carts {
    /// The product as a cart shows it, or `None` when there is no such product.
    async fn cart_product(&self, id: ProductId) -> Result<Option<CartProduct>, StoreError>;

    /// Every line of the room, oldest first, with its product as it is now. Unfiltered.
    async fn list_cart_lines(&self, room: RoomId) -> Result<Vec<CartLineRecord>, StoreError>;
    async fn get_cart_line(&self, room: RoomId, id: CartLineId) -> Result<CartLineRecord, StoreError>;
    /// Inserts the line or adds its quantity to its twin (same product, size,
    /// recipient and merge key), and appends the activity; one transaction.
    async fn add_cart_line(
        &self,
        line: NewCartLine,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<(CartLineRecord, ActivityRecord), StoreError>;
    /// Applies `change` when the version matches (or none is expected) and
    /// bumps the version; `NotFound` when the line is gone, `Conflict` when
    /// another line already has the new product, size and recipient.
    async fn update_cart_line(
        &self,
        room: RoomId,
        id: CartLineId,
        change: CartLineChange,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<CartWrite, StoreError>;
    async fn remove_cart_line(
        &self,
        room: RoomId,
        id: CartLineId,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<ActivityRecord, StoreError>;
    /// Makes the line visible to the room. A public twin absorbs it (the
    /// quantities add, capped) so the merge rule holds; the surviving line is returned.
    async fn reveal_cart_line(
        &self,
        room: RoomId,
        id: CartLineId,
        at: OffsetDateTime,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<(CartLineRecord, ActivityRecord), StoreError>;

    async fn list_wishlist(&self, room: RoomId) -> Result<Vec<WishlistItemRecord>, StoreError>;
    async fn get_wishlist_item(&self, room: RoomId, id: WishlistItemId) -> Result<WishlistItemRecord, StoreError>;
    /// Adds the item unless its twin exists; the activity only when added.
    async fn add_wishlist_item(
        &self,
        item: NewWishlistItem,
        activity: ActivityFor<WishlistItemRecord>,
    ) -> Result<(WishlistItemRecord, Option<ActivityRecord>), StoreError>;
    async fn remove_wishlist_item(
        &self,
        room: RoomId,
        id: WishlistItemId,
        activity: ActivityFor<WishlistItemRecord>,
    ) -> Result<ActivityRecord, StoreError>;
    /// Removes the item and adds `line`, appending the cart activity; one transaction.
    async fn move_wishlist_item_to_cart(
        &self,
        room: RoomId,
        id: WishlistItemId,
        line: NewCartLine,
        activity: ActivityFor<CartLineRecord>,
    ) -> Result<(CartLineRecord, ActivityRecord), StoreError>;

    /// Sets (`1`, `-1`) or removes (`0`) a member's vote and appends the
    /// activity when anything changed; one transaction.
    async fn set_vote(
        &self,
        vote: VoteRecord,
        room: RoomId,
        at: OffsetDateTime,
        activity: NewActivity,
    ) -> Result<Option<ActivityRecord>, StoreError>;
    /// Every vote of the room, optionally of one product. Unfiltered.
    async fn list_votes(&self, room: RoomId, product: Option<ProductId>) -> Result<Vec<VoteRecord>, StoreError>;
    /// Every `commented` activity of the room that names a product. Unfiltered.
    async fn list_product_comments(&self, room: RoomId) -> Result<Vec<ProductComment>, StoreError>;
    /// Every cart line and wishlist item, in any room, holding one of
    /// `products`, in no particular order. Unfiltered.
    async fn list_product_holdings(&self, products: &[ProductId]) -> Result<Vec<ProductHolding>, StoreError>;
}
