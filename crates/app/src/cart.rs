//! The family cart, the wishlist and votes as members use them. Every read
//! is computed for the caller: an item hidden from them by
//! `domain::visibility::may_see` is absent, and so is its share of every
//! total, tally and count. Every change appends its activity, with the
//! item's own visibility, in the transaction of the change, then publishes it.
//!
//! Concurrent edits of one line: a `PATCH` carrying `version` applies only
//! to that version (a stale one answers 409 with the line as it is now);
//! without `version` the last write wins. Quantities stay within 1..=99 in
//! every case (checked here and by the schema).

use std::collections::{BTreeMap, BTreeSet};

use domain::{
    ActivityId, CartLineId, FieldErrors, ProductId, RoomId, UserId, WishlistItemId,
    activity::ActionType,
    clock::now,
    money::{Currency, Money},
    role::RoomAction,
    visibility::{Visibility, VisibilityRequest, may_see},
};
use realtime::Audience;
use serde::{Deserialize, Serialize};
use store::{
    CartLineChange, CartLineRecord, CartProduct, CartWrite, MAX_LINE_QUANTITY, NewActivity, NewCartLine,
    NewWishlistItem, ProductHolding, Recipient, StoreError, VoteRecord, WishlistItemRecord,
};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::{
    App, Caller,
    error::{AppError, AppResult},
};

/// The longest recipient name, in characters.
pub(crate) const MAX_RECIPIENT_CHARS: usize = 80;
/// The most members one visibility list may name.
const MAX_VISIBILITY_NAMES: usize = domain::visibility::MAX_VISIBILITY_MEMBERS;
/// Entries per list of the poll summary.
const POLL_ENTRIES: usize = 5;

/// What a cart line or wishlist item shows of its product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: ProductId,
    pub sku: String,
    pub title: String,
    pub brand: String,
    pub image: Option<String>,
    /// The price now.
    pub price: Money,
}

/// A line of the room's cart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartLineView {
    pub id: CartLineId,
    pub product: ProductSummary,
    pub size: String,
    pub quantity: i64,
    pub added_by: UserId,
    /// A member's user id, a name, or null.
    pub buying_for: Option<String>,
    pub visibility: Visibility,
    /// True while the line is hidden from someone in the room.
    pub is_secret: bool,
    pub price_at_add: Money,
    /// The product's price as it is now.
    pub price_now: Money,
    /// Whether the size has stock for the whole quantity now.
    pub in_stock: bool,
    /// Pass as `version` to `PATCH` to write only over this state.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartTotals {
    /// Pieces over the lines the caller sees.
    pub items: i64,
    /// Current prices times quantities over the lines the caller sees.
    pub amount: Money,
}

/// The cart as the caller sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartView {
    pub lines: Vec<CartLineView>,
    pub totals: CartTotals,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddCartLineInput {
    /// A product of the catalog.
    #[schema(value_type = ProductId)]
    pub product_id: Option<ProductId>,
    #[schema(value_type = crate::schema::SizeChoice)]
    pub size: Option<String>,
    /// 1 to 99; added to the line when the same product, size and recipient is already there.
    #[schema(value_type = crate::schema::CartQuantity)]
    pub quantity: Option<i64>,
    /// A member's user id (the line is then hidden from them) or a name of 1 to 80 characters.
    #[schema(value_type = Option<crate::schema::Recipient>)]
    pub buying_for: Option<String>,
    pub visibility: Option<VisibilityRequest>,
}

/// A change to a line. With `version`, the change applies only to that
/// version of the line and a stale one answers 409 with the current line
/// in `current`; without it, the last write wins.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCartLineInput {
    #[schema(value_type = Option<crate::schema::SizeChoice>)]
    pub size: Option<String>,
    /// 1 to 99: the line's new quantity.
    #[schema(value_type = Option<crate::schema::CartQuantity>)]
    pub quantity: Option<i64>,
    /// A member's id or a name; null clears it.
    #[serde(default, deserialize_with = "crate::accounts::present")]
    #[schema(value_type = Option<crate::schema::Recipient>)]
    pub buying_for: Option<Option<String>>,
    #[schema(value_type = Option<crate::schema::LineVersion>)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WishlistItemView {
    pub id: WishlistItemId,
    pub product: ProductSummary,
    pub added_by: UserId,
    pub buying_for: Option<String>,
    pub visibility: Visibility,
    pub is_secret: bool,
    pub in_stock: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WishlistView {
    pub items: Vec<WishlistItemView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddWishlistInput {
    /// A product of the catalog.
    #[schema(value_type = ProductId)]
    pub product_id: Option<ProductId>,
    #[schema(value_type = Option<crate::schema::Recipient>)]
    pub buying_for: Option<String>,
    pub visibility: Option<VisibilityRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveToCartInput {
    #[schema(value_type = crate::schema::SizeChoice)]
    pub size: Option<String>,
    /// 1 to 99, default 1.
    #[schema(value_type = Option<crate::schema::CartQuantity>)]
    pub quantity: Option<i64>,
}

/// What a vote may be: 1 (👍), -1 (👎) or 0 (remove the vote).
pub(crate) const VOTE_VALUES: [i64; 3] = [1, -1, 0];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteInput {
    /// 1 (👍), -1 (👎) or 0 (remove the vote).
    #[schema(value_type = crate::schema::VoteValue)]
    pub value: Option<i64>,
}

/// A product's votes as the caller may see them.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Tally {
    pub up: i64,
    pub down: i64,
    pub score: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoteView {
    pub product_id: ProductId,
    /// The caller's vote: 1, -1 or 0 for none.
    pub value: i64,
    pub tally: Tally,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PollEntry {
    pub product: ProductSummary,
    pub up: i64,
    pub down: i64,
    /// Comments on the product the caller may see.
    pub comments: i64,
}

/// The room's poll summary, computed over what the caller may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PollSummary {
    pub most_liked: Vec<PollEntry>,
    pub most_disliked: Vec<PollEntry>,
    /// By comments plus votes.
    pub most_discussed: Vec<PollEntry>,
}

fn money(minor: i64, currency: &str) -> Money {
    Money::new(minor, Currency::parse(currency).unwrap_or(Currency::INR))
}

fn summary(product: &CartProduct) -> ProductSummary {
    ProductSummary {
        id: product.id,
        sku: product.sku.clone(),
        title: product.title.clone(),
        brand: product.brand.clone(),
        image: product.image.clone(),
        price: money(product.price_minor, &product.currency),
    }
}

fn stock_of(product: &CartProduct, size: &str) -> Option<u32> {
    product.sizes.iter().find(|s| s.size == size).map(|s| s.stock)
}

fn recipient_text(recipient: &Recipient) -> Option<String> {
    recipient.user.map(|u| u.to_string()).or_else(|| recipient.name.clone())
}

fn line_view(line: &CartLineRecord) -> CartLineView {
    CartLineView {
        id: line.id,
        product: summary(&line.product),
        size: line.size.clone(),
        quantity: line.quantity,
        added_by: line.added_by,
        buying_for: recipient_text(&line.buying_for),
        visibility: line.visibility.clone(),
        is_secret: line.visibility.is_restricted(),
        price_at_add: money(line.price_at_add_minor, &line.currency),
        price_now: money(line.product.price_minor, &line.product.currency),
        in_stock: stock_of(&line.product, &line.size).is_some_and(|stock| i64::from(stock) >= line.quantity),
        version: line.version,
        created_at: line.created_at,
        updated_at: line.updated_at,
    }
}

fn item_view(item: &WishlistItemRecord) -> WishlistItemView {
    WishlistItemView {
        id: item.id,
        product: summary(&item.product),
        added_by: item.added_by,
        buying_for: recipient_text(&item.buying_for),
        visibility: item.visibility.clone(),
        is_secret: item.visibility.is_restricted(),
        in_stock: item.product.sizes.iter().any(|s| s.stock > 0),
        created_at: item.created_at,
    }
}

/// The visibility of an activity about an item: the item's, except that the
/// item's author always sees what happens to it, whoever acts.
fn activity_visibility(item: &Visibility, item_author: UserId) -> Visibility {
    match item {
        Visibility::Everyone => Visibility::Everyone,
        Visibility::HiddenFrom(set) => {
            Visibility::HiddenFrom(set.iter().copied().filter(|u| *u != item_author).collect())
        }
        Visibility::Only(set) => {
            let mut set = set.clone();
            set.insert(item_author);
            Visibility::Only(set)
        }
    }
}

fn line_activity(
    caller: UserId,
    action: ActionType,
    extra: serde_json::Value,
) -> Box<dyn FnOnce(&CartLineRecord) -> NewActivity + Send> {
    Box::new(move |line: &CartLineRecord| {
        let mut metadata = serde_json::json!({
            "line_id": line.id,
            "size": line.size,
            "quantity": line.quantity,
            "buying_for": recipient_text(&line.buying_for),
        });
        if let (Some(object), Some(more)) = (metadata.as_object_mut(), extra.as_object()) {
            object.extend(more.clone());
        }
        NewActivity {
            id: ActivityId::new(),
            room_id: line.room_id,
            user_id: caller,
            product_id: Some(line.product.id),
            action_type: action,
            message: None,
            visibility: activity_visibility(&line.visibility, line.added_by),
            metadata,
            at: now(),
            author_as_of: None,
        }
    })
}

fn item_activity(caller: UserId, action: ActionType) -> Box<dyn FnOnce(&WishlistItemRecord) -> NewActivity + Send> {
    Box::new(move |item: &WishlistItemRecord| NewActivity {
        id: ActivityId::new(),
        room_id: item.room_id,
        user_id: caller,
        product_id: Some(item.product.id),
        action_type: action,
        message: None,
        visibility: activity_visibility(&item.visibility, item.added_by),
        metadata: serde_json::json!({"item_id": item.id, "buying_for": recipient_text(&item.buying_for)}),
        at: now(),
        author_as_of: None,
    })
}

/// Parses `buying_for`: a member's id, or a sane name (1 to 80 printable characters).
fn parse_recipient(errors: &mut FieldErrors, text: Option<&str>, members: &BTreeSet<UserId>) -> Recipient {
    let Some(text) = text else { return Recipient::default() };
    if let Ok(user) = UserId::parse(text.trim()) {
        if members.contains(&user) {
            return Recipient { user: Some(user), name: None };
        }
        errors.push("buying_for", "names someone who is not a member of this room");
        return Recipient::default();
    }
    let name = text.trim();
    if name.is_empty() || name.chars().count() > MAX_RECIPIENT_CHARS || name.chars().any(char::is_control) {
        errors.push(
            "buying_for",
            format!("must be a member's id or a name of 1 to {MAX_RECIPIENT_CHARS} printable characters"),
        );
        return Recipient::default();
    }
    Recipient { user: None, name: Some(name.to_owned()) }
}

fn parse_quantity(errors: &mut FieldErrors, quantity: Option<i64>, required: bool) -> Option<i64> {
    match quantity {
        None if required => {
            errors.push("quantity", "is required");
            None
        }
        None => None,
        Some(q @ 1..=MAX_LINE_QUANTITY) => Some(q),
        Some(_) => {
            errors.push("quantity", format!("must be from 1 to {MAX_LINE_QUANTITY}"));
            None
        }
    }
}

fn check_size(errors: &mut FieldErrors, product: &CartProduct, size: &str) {
    if stock_of(product, size).is_none() {
        let known: Vec<&str> = product.sizes.iter().map(|s| s.size.as_str()).collect();
        errors.push("size", format!("must be one of the product's sizes: {}", known.join(", ")));
    }
}

fn parse_visibility(
    errors: &mut FieldErrors,
    request: Option<VisibilityRequest>,
    members: &BTreeSet<UserId>,
) -> Option<Visibility> {
    let requested = request.and_then(|r| errors.take("visibility", r.parse()))?;
    if let Visibility::HiddenFrom(set) | Visibility::Only(set) = &requested {
        if set.len() > MAX_VISIBILITY_NAMES {
            errors.push("visibility", format!("may name at most {MAX_VISIBILITY_NAMES} members"));
        } else if !set.iter().all(|u| members.contains(u)) {
            errors.push("visibility", "names someone who is not a member of this room");
        }
    }
    Some(requested)
}

/// The visibility a new item gets: the request or the author's secret mode,
/// and hidden from the member it is bought for (never from the author).
fn item_visibility(requested: Option<Visibility>, me: &store::MemberRecord, recipient: &Recipient) -> Visibility {
    let visibility = Visibility::effective(requested, &me.secret_mode);
    match recipient.user {
        Some(user) if user != me.user_id => visibility.also_hide(&BTreeSet::from([user])),
        _ => visibility,
    }
}

fn not_found(what: &'static str) -> impl Fn(StoreError) -> AppError {
    move |e| match e {
        StoreError::NotFound => AppError::NotFound(what),
        other => other.into(),
    }
}

fn twin_conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict { .. } => AppError::Conflict {
            code: "conflict",
            message: "another line already holds this product, size and recipient".into(),
        },
        StoreError::NotFound => AppError::NotFound("cart line"),
        other => other.into(),
    }
}

impl App {
    async fn member_ids(&self, room: RoomId) -> AppResult<BTreeSet<UserId>> {
        Ok(self.inner.store.list_members(room).await?.into_iter().map(|m| m.user_id).collect())
    }

    async fn product_for_cart(
        &self,
        errors: &mut FieldErrors,
        id: Option<ProductId>,
    ) -> AppResult<Option<CartProduct>> {
        let Some(id) = id else {
            errors.push("product_id", "is required");
            return Ok(None);
        };
        let product = self.inner.store.cart_product(id).await?;
        if product.is_none() {
            errors.push("product_id", "no such product");
        }
        Ok(product)
    }

    /// The cart as the caller may see it, with totals over exactly those lines.
    pub async fn get_cart(&self, caller: Caller, room_id: RoomId) -> AppResult<CartView> {
        self.authorize(caller, room_id, RoomAction::Read).await?;
        let lines: Vec<CartLineView> = self
            .inner
            .store
            .list_cart_lines(room_id)
            .await?
            .iter()
            .filter(|line| may_see(caller.user_id, line.added_by, &line.visibility))
            .map(line_view)
            .collect();
        let items = lines.iter().map(|l| l.quantity).sum();
        let currency = lines.first().map(|l| l.price_now.currency).unwrap_or(Currency::INR);
        let minor = lines.iter().map(|l| l.price_now.minor.saturating_mul(l.quantity)).fold(0i64, i64::saturating_add);
        Ok(CartView { lines, totals: CartTotals { items, amount: Money::new(minor, currency) } })
    }

    /// Adds a line, or adds its quantity to the twin line (same product,
    /// size, recipient and visibility), capped at 99.
    pub async fn add_cart_line(
        &self,
        caller: Caller,
        room_id: RoomId,
        input: AddCartLineInput,
    ) -> AppResult<CartLineView> {
        let me = self.authorize(caller, room_id, RoomAction::Act).await?;
        let members = self.member_ids(room_id).await?;
        let mut errors = FieldErrors::new();
        let product = self.product_for_cart(&mut errors, input.product_id).await?;
        let size = match input.size.as_deref().map(str::trim) {
            None | Some("") => {
                errors.push("size", "is required");
                None
            }
            Some(size) => {
                if let Some(product) = &product {
                    check_size(&mut errors, product, size);
                }
                Some(size.to_owned())
            }
        };
        let quantity = parse_quantity(&mut errors, input.quantity, true);
        let recipient = parse_recipient(&mut errors, input.buying_for.as_deref(), &members);
        let requested = parse_visibility(&mut errors, input.visibility, &members);
        errors.into_result()?;
        let (Some(product), Some(size), Some(quantity)) = (product, size, quantity) else {
            return Err(AppError::internal("validated cart input lacks a field"));
        };
        let visibility = item_visibility(requested, &me, &recipient);
        let line = NewCartLine {
            id: CartLineId::new(),
            room_id,
            product_id: product.id,
            size,
            quantity,
            added_by: caller.user_id,
            buying_for: recipient,
            visibility,
            price_at_add_minor: product.price_minor,
            currency: product.currency.clone(),
            at: now(),
        };
        let activity = line_activity(caller.user_id, ActionType::AddedToCart, serde_json::json!({"added": quantity}));
        let (record, appended) = self.inner.store.add_cart_line(line, activity).await?;
        self.publish_activity(&appended).await;
        Ok(line_view(&record))
    }

    /// A line the caller may see in the room, or 404.
    async fn visible_line(&self, caller: Caller, room_id: RoomId, line_id: CartLineId) -> AppResult<CartLineRecord> {
        let line = self.inner.store.get_cart_line(room_id, line_id).await.map_err(not_found("cart line"))?;
        if may_see(caller.user_id, line.added_by, &line.visibility) {
            Ok(line)
        } else {
            Err(AppError::NotFound("cart line"))
        }
    }

    pub async fn update_cart_line(
        &self,
        caller: Caller,
        room_id: RoomId,
        line_id: CartLineId,
        input: UpdateCartLineInput,
    ) -> AppResult<CartLineView> {
        self.authorize(caller, room_id, RoomAction::Act).await?;
        let line = self.visible_line(caller, room_id, line_id).await?;
        let members = self.member_ids(room_id).await?;
        let mut errors = FieldErrors::new();
        let size = input.size.as_deref().map(str::trim).map(str::to_owned);
        if let Some(size) = &size {
            check_size(&mut errors, &line.product, size);
        }
        let quantity = parse_quantity(&mut errors, input.quantity, false);
        let buying_for = input.buying_for.map(|text| parse_recipient(&mut errors, text.as_deref(), &members));
        if input.version.is_some_and(|v| v < 1) {
            errors.push("version", "must be a version the line had");
        }
        errors.into_result()?;
        let visibility = match buying_for.as_ref().and_then(|r| r.user) {
            Some(user) if user != line.added_by => Some(line.visibility.clone().also_hide(&BTreeSet::from([user]))),
            _ => None,
        };
        let change =
            CartLineChange { size, quantity, buying_for, visibility, expected_version: input.version, at: now() };
        let activity = line_activity(caller.user_id, ActionType::UpdatedCart, serde_json::json!({}));
        match self.inner.store.update_cart_line(room_id, line_id, change, activity).await.map_err(twin_conflict)? {
            CartWrite::Done(record, appended) => {
                self.publish_activity(&appended).await;
                Ok(line_view(&record))
            }
            CartWrite::Stale(current) => Err(AppError::Stale {
                message: format!("the line changed meanwhile; it is at version {}", current.version),
                current: serde_json::to_value(line_view(&current)).map_err(AppError::internal)?,
            }),
        }
    }

    pub async fn remove_cart_line(&self, caller: Caller, room_id: RoomId, line_id: CartLineId) -> AppResult<()> {
        self.authorize(caller, room_id, RoomAction::Act).await?;
        self.visible_line(caller, room_id, line_id).await?;
        let activity = line_activity(caller.user_id, ActionType::RemovedFromCart, serde_json::json!({}));
        let appended =
            self.inner.store.remove_cart_line(room_id, line_id, activity).await.map_err(not_found("cart line"))?;
        self.publish_activity(&appended).await;
        Ok(())
    }

    /// Shows the caller's own secret line to the whole room; a `revealed`
    /// activity visible to all carries the line.
    pub async fn reveal_cart_line(
        &self,
        caller: Caller,
        room_id: RoomId,
        line_id: CartLineId,
    ) -> AppResult<CartLineView> {
        self.authorize(caller, room_id, RoomAction::Act).await?;
        let line = self.visible_line(caller, room_id, line_id).await?;
        if line.added_by != caller.user_id {
            return Err(AppError::Forbidden("only the member who added a line may reveal it".into()));
        }
        if !line.visibility.is_restricted() {
            return Ok(line_view(&line));
        }
        let activity: Box<dyn FnOnce(&CartLineRecord) -> NewActivity + Send> =
            Box::new(move |revealed: &CartLineRecord| NewActivity {
                id: ActivityId::new(),
                room_id: revealed.room_id,
                user_id: caller.user_id,
                product_id: Some(revealed.product.id),
                action_type: ActionType::Revealed,
                message: None,
                visibility: Visibility::Everyone,
                metadata: serde_json::json!({"cart_line": line_view(revealed)}),
                at: now(),
                author_as_of: None,
            });
        let (record, appended) = self
            .inner
            .store
            .reveal_cart_line(room_id, line_id, now(), activity)
            .await
            .map_err(not_found("cart line"))?;
        self.publish_activity(&appended).await;
        Ok(line_view(&record))
    }

    pub async fn get_wishlist(&self, caller: Caller, room_id: RoomId) -> AppResult<WishlistView> {
        self.authorize(caller, room_id, RoomAction::Read).await?;
        let items = self
            .inner
            .store
            .list_wishlist(room_id)
            .await?
            .iter()
            .filter(|item| may_see(caller.user_id, item.added_by, &item.visibility))
            .map(item_view)
            .collect();
        Ok(WishlistView { items })
    }

    /// Adds an item; adding its twin again answers the existing item.
    pub async fn add_wishlist_item(
        &self,
        caller: Caller,
        room_id: RoomId,
        input: AddWishlistInput,
    ) -> AppResult<WishlistItemView> {
        let me = self.authorize(caller, room_id, RoomAction::Act).await?;
        let members = self.member_ids(room_id).await?;
        let mut errors = FieldErrors::new();
        let product = self.product_for_cart(&mut errors, input.product_id).await?;
        let recipient = parse_recipient(&mut errors, input.buying_for.as_deref(), &members);
        let requested = parse_visibility(&mut errors, input.visibility, &members);
        errors.into_result()?;
        let product = product.ok_or_else(|| AppError::internal("validated wishlist input lacks a product"))?;
        let visibility = item_visibility(requested, &me, &recipient);
        let item = NewWishlistItem {
            id: WishlistItemId::new(),
            room_id,
            product_id: product.id,
            added_by: caller.user_id,
            buying_for: recipient,
            visibility,
            at: now(),
        };
        let (record, appended) = self
            .inner
            .store
            .add_wishlist_item(item, item_activity(caller.user_id, ActionType::AddedToWishlist))
            .await?;
        if let Some(appended) = appended {
            self.publish_activity(&appended).await;
        }
        Ok(item_view(&record))
    }

    async fn visible_item(&self, caller: Caller, room_id: RoomId, id: WishlistItemId) -> AppResult<WishlistItemRecord> {
        let item = self.inner.store.get_wishlist_item(room_id, id).await.map_err(not_found("wishlist item"))?;
        if may_see(caller.user_id, item.added_by, &item.visibility) {
            Ok(item)
        } else {
            Err(AppError::NotFound("wishlist item"))
        }
    }

    pub async fn remove_wishlist_item(&self, caller: Caller, room_id: RoomId, id: WishlistItemId) -> AppResult<()> {
        self.authorize(caller, room_id, RoomAction::Act).await?;
        self.visible_item(caller, room_id, id).await?;
        let appended = self
            .inner
            .store
            .remove_wishlist_item(room_id, id, item_activity(caller.user_id, ActionType::RemovedFromWishlist))
            .await
            .map_err(not_found("wishlist item"))?;
        self.publish_activity(&appended).await;
        Ok(())
    }

    /// Moves an item into the cart in one step: the line keeps the item's
    /// author, recipient and visibility, so a secret stays a secret.
    pub async fn move_wishlist_item_to_cart(
        &self,
        caller: Caller,
        room_id: RoomId,
        id: WishlistItemId,
        input: MoveToCartInput,
    ) -> AppResult<CartLineView> {
        self.authorize(caller, room_id, RoomAction::Act).await?;
        let item = self.visible_item(caller, room_id, id).await?;
        let mut errors = FieldErrors::new();
        let size = match input.size.as_deref().map(str::trim) {
            None | Some("") => {
                errors.push("size", "is required");
                String::new()
            }
            Some(size) => {
                check_size(&mut errors, &item.product, size);
                size.to_owned()
            }
        };
        let quantity = parse_quantity(&mut errors, Some(input.quantity.unwrap_or(1)), true).unwrap_or(1);
        errors.into_result()?;
        let line = NewCartLine {
            id: CartLineId::new(),
            room_id,
            product_id: item.product.id,
            size,
            quantity,
            added_by: item.added_by,
            buying_for: item.buying_for.clone(),
            visibility: item.visibility.clone(),
            price_at_add_minor: item.product.price_minor,
            currency: item.product.currency.clone(),
            at: now(),
        };
        let activity = line_activity(
            caller.user_id,
            ActionType::AddedToCart,
            serde_json::json!({"added": quantity, "from_wishlist": item.id}),
        );
        let (record, appended) = self
            .inner
            .store
            .move_wishlist_item_to_cart(room_id, id, line, activity)
            .await
            .map_err(not_found("wishlist item"))?;
        self.publish_activity(&appended).await;
        Ok(line_view(&record))
    }

    /// Sets, changes or (with 0) removes the caller's vote; a vote made in
    /// secret mode is hidden like the rest of their secret activity.
    pub async fn vote(
        &self,
        caller: Caller,
        room_id: RoomId,
        product_id: ProductId,
        input: VoteInput,
    ) -> AppResult<VoteView> {
        let me = self.authorize(caller, room_id, RoomAction::Act).await?;
        let value = match input.value {
            Some(v) if VOTE_VALUES.contains(&v) => v,
            Some(_) => return Err(AppError::validation("value", "must be 1, -1 or 0")),
            None => return Err(AppError::validation("value", "is required")),
        };
        if self.inner.store.cart_product(product_id).await?.is_none() {
            return Err(AppError::NotFound("product"));
        }
        let visibility = Visibility::effective(None, &me.secret_mode);
        let at = now();
        let activity = NewActivity {
            id: ActivityId::new(),
            room_id,
            user_id: caller.user_id,
            product_id: Some(product_id),
            action_type: ActionType::Voted,
            message: None,
            visibility: visibility.clone(),
            metadata: serde_json::json!({"value": value}),
            at,
            author_as_of: None,
        };
        let vote = VoteRecord { product_id, user_id: caller.user_id, value, visibility };
        if let Some(appended) = self.inner.store.set_vote(vote, room_id, at, activity).await? {
            self.publish_activity(&appended).await;
        }
        let mut tally = Tally::default();
        for vote in self.inner.store.list_votes(room_id, Some(product_id)).await? {
            if may_see(caller.user_id, vote.user_id, &vote.visibility) {
                count_vote(&mut tally, vote.value);
            }
        }
        Ok(VoteView { product_id, value, tally })
    }

    /// Most liked, most disliked and most discussed products, counting only
    /// the votes and comments the caller may see.
    pub async fn get_polls(&self, caller: Caller, room_id: RoomId) -> AppResult<PollSummary> {
        self.authorize(caller, room_id, RoomAction::Read).await?;
        let mut tallies: BTreeMap<ProductId, (Tally, i64)> = BTreeMap::new();
        for vote in self.inner.store.list_votes(room_id, None).await? {
            if may_see(caller.user_id, vote.user_id, &vote.visibility) {
                count_vote(&mut tallies.entry(vote.product_id).or_default().0, vote.value);
            }
        }
        for comment in self.inner.store.list_product_comments(room_id).await? {
            if may_see(caller.user_id, comment.user_id, &comment.visibility) {
                tallies.entry(comment.product_id).or_default().1 += 1;
            }
        }
        let mut entries = Vec::with_capacity(tallies.len());
        for (product_id, (tally, comments)) in tallies {
            // A product deleted from the catalog leaves the polls with it.
            if let Some(product) = self.inner.store.cart_product(product_id).await? {
                entries.push(PollEntry { product: summary(&product), up: tally.up, down: tally.down, comments });
            }
        }
        let top = |key: &dyn Fn(&PollEntry) -> i64| {
            let mut ranked: Vec<PollEntry> = entries.iter().filter(|e| key(e) > 0).cloned().collect();
            ranked.sort_by(|a, b| key(b).cmp(&key(a)).then_with(|| a.product.id.cmp(&b.product.id)));
            ranked.truncate(POLL_ENTRIES);
            ranked
        };
        Ok(PollSummary {
            most_liked: top(&|e| e.up),
            most_disliked: top(&|e| e.down),
            most_discussed: top(&|e| e.comments + e.up + e.down),
        })
    }
}

/// Products changed in the catalog, as one audience of a room may hear of
/// them: the lines and items of one author and visibility (or every public
/// one), so each frame names only products its receivers may see held.
struct ChangeGroup {
    room_id: RoomId,
    author: UserId,
    visibility: Visibility,
    products: BTreeSet<ProductId>,
}

/// Groups holdings so that each group has one audience: all public holdings
/// of a room share one, restricted ones one per author and visibility.
fn change_groups(holdings: Vec<ProductHolding>) -> Vec<ChangeGroup> {
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for holding in holdings {
        let public = holding.visibility == Visibility::Everyone;
        let same = |g: &&mut ChangeGroup| {
            g.room_id == holding.room_id
                && g.visibility == holding.visibility
                && (public || g.author == holding.added_by)
        };
        match groups.iter_mut().find(same) {
            Some(group) => {
                group.products.insert(holding.product_id);
            }
            None => groups.push(ChangeGroup {
                room_id: holding.room_id,
                author: holding.added_by,
                visibility: holding.visibility,
                products: BTreeSet::from([holding.product_id]),
            }),
        }
    }
    groups
}

impl App {
    /// Tells every room whose cart or wishlist holds one of `products` that
    /// they changed in the catalog (price, stock or details), with an
    /// ephemeral `cart_changed` frame; clients refetch the cart and wishlist.
    ///
    /// A member receives a frame only about products of lines or items they
    /// may see (`may_see`, applied by the hub per subscriber through
    /// [`Audience::Room`]), so a hidden line leaks neither its product nor
    /// the fact that something changed. Not an activity: nobody in the room
    /// acted, and a reader who missed the frame reads current prices anyway.
    /// Best effort, like every publish: a failed lookup is logged.
    pub(crate) async fn announce_catalog_changes(&self, products: &[ProductId]) {
        let mut holdings = Vec::new();
        for chunk in products.chunks(crate::catalog::IMPORT_BATCH) {
            match self.inner.store.list_product_holdings(chunk).await {
                Ok(found) => holdings.extend(found),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot find the carts holding changed products");
                    return;
                }
            }
        }
        for group in change_groups(holdings) {
            let frame = serde_json::json!({
                "type": "cart_changed",
                "room_id": group.room_id,
                "product_ids": group.products,
                "reason": "catalog",
            });
            let audience = Audience::Room { author: group.author, visibility: group.visibility };
            self.publish_signal(group.room_id, audience, frame).await;
        }
    }
}

fn count_vote(tally: &mut Tally, value: i64) {
    match value {
        1 => tally.up += 1,
        -1 => tally.down += 1,
        _ => {}
    }
    tally.score = tally.up - tally.down;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_bought_for_a_member_stays_visible_to_its_author_in_activities() {
        let author = UserId::new();
        let mom = UserId::new();
        let vis = activity_visibility(&Visibility::Only(BTreeSet::from([mom])), author);
        assert!(may_see(author, UserId::new(), &vis));
        let hidden = activity_visibility(&Visibility::HiddenFrom(BTreeSet::from([author, mom])), author);
        assert_eq!(hidden, Visibility::HiddenFrom(BTreeSet::from([mom])));
    }

    #[test]
    fn recipients_are_members_or_sane_names() {
        let member = UserId::new();
        let members = BTreeSet::from([member]);
        let mut errors = FieldErrors::new();
        assert_eq!(parse_recipient(&mut errors, Some(&member.to_string()), &members).user, Some(member));
        assert_eq!(parse_recipient(&mut errors, Some(" Grandma "), &members).name.as_deref(), Some("Grandma"));
        assert!(errors.is_empty());
        parse_recipient(&mut errors, Some(&UserId::new().to_string()), &members);
        parse_recipient(&mut errors, Some("a\u{7}b"), &members);
        parse_recipient(&mut errors, Some(&"x".repeat(81)), &members);
        parse_recipient(&mut errors, Some("  "), &members);
        assert_eq!(errors.0.len(), 4);
    }
}
