//! The rules the use cases check, as JSON Schemas for the OpenAPI document,
//! built from the constants and lists the checks use (the domain's own rules
//! are in [`domain::schema`]). Request fields name these types in
//! `#[schema(value_type = …)]`, query fields in `#[param(value_type = …,
//! inline)]`; [`cross_field_rules`] adds what one field cannot say alone.
//! Nothing here runs outside building the document.

use domain::{
    activity::ActionType,
    money::Currency,
    schema::{WHITESPACE, integer, reference, string_enum, text, trimmed_pattern},
    schema_type,
    visibility::VisibilityRequest,
};
use utoipa::{
    ToSchema,
    openapi::{
        RefOr,
        schema::{AllOfBuilder, AnyOfBuilder, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type},
    },
};

use crate::{
    accounts::MAX_REFRESH_TOKEN_BYTES,
    activities::SecretModeInput,
    cart::{MAX_RECIPIENT_CHARS, VOTE_VALUES},
    rooms::{
        INVITE_CODE_ALPHABET, INVITE_CODE_CHARS, MAX_INVITE_HOURS, MAX_INVITE_USES, ROOM_VISIBILITIES,
        RotateInviteInput,
    },
    trips::{LineEdit, MAX_EDITS, MAX_QUANTITY, TravelerInput, TravelersInput},
};

schema_type!(
    /// A refresh token as the server issues them.
    RefreshToken = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX_REFRESH_TOKEN_BYTES))
        .pattern(Some("^[A-Za-z0-9_-]+$"))
        .description(Some("The `refresh_token` of the last answer of register, login or refresh (URL-safe base64)."))
);

/// An invite code as `new_invite_code` makes it, in either case, with white space around.
fn invite_code_pattern() -> String {
    let ws = WHITESPACE;
    // Letters in either case and the digits, as themselves: no escaping needed.
    let letters: String = INVITE_CODE_ALPHABET
        .iter()
        .flat_map(|&b| [char::from(b), char::from(b.to_ascii_uppercase())])
        .filter(char::is_ascii_alphanumeric)
        .collect::<std::collections::BTreeSet<char>>()
        .into_iter()
        .collect();
    format!("^[{ws}]*[{letters}]{{{INVITE_CODE_CHARS}}}[{ws}]*$")
}

schema_type!(
    /// An invite code as the server makes them.
    InviteCode = text(
        invite_code_pattern(),
        format!("The room's invite code: {INVITE_CODE_CHARS} base32 characters, compared case-insensitively.")
    )
);

schema_type!(
    /// Hours an invite code stays valid.
    InviteHours = integer(1, Some(MAX_INVITE_HOURS), format!("1 to {MAX_INVITE_HOURS} hours."))
);

schema_type!(
    /// Joins an invite code admits.
    InviteUses = integer(1, Some(MAX_INVITE_USES), format!("1 to {MAX_INVITE_USES} joins."))
);

schema_type!(
    /// Who may find a room: `App::create_room`.
    RoomVisibilityName =
        string_enum(ROOM_VISIBILITIES, "`private` (the default when absent or null) or `public`.".to_owned())
);

schema_type!(
    /// A quantity of a cart line.
    CartQuantity = integer(1, Some(store::MAX_LINE_QUANTITY), format!("1 to {}.", store::MAX_LINE_QUANTITY))
);

schema_type!(
    /// A size of the product, as a cart line names it (trimmed).
    SizeChoice = text(
        format!("[^{}]", WHITESPACE),
        "One of the product's sizes (its `sizes[].size`); white space around it is ignored.".to_owned()
    )
);

schema_type!(
    /// Whom a cart line or wishlist item is for: `parse_recipient`.
    Recipient = text(
        trimmed_pattern(true, MAX_RECIPIENT_CHARS, true),
        format!(
            "A member's user id (the item is then hidden from them) or a name of 1 to \
             {MAX_RECIPIENT_CHARS} characters once trimmed, with no control characters."
        )
    )
);

schema_type!(
    /// A version a cart line had.
    LineVersion = integer(1, None, "The line's `version` as last read.".to_owned())
);

schema_type!(
    /// A vote: `App::vote`.
    VoteValue = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .enum_values(Some(VOTE_VALUES))
        .description(Some("1 (👍), -1 (👎) or 0 (remove the vote)."))
);

schema_type!(
    /// Where a trip goes: `planner::validate`.
    TripDestination = text(
        trimmed_pattern(true, ai::planner::MAX_DESTINATION_CHARS, false),
        format!("1 to {} characters once trimmed.", ai::planner::MAX_DESTINATION_CHARS)
    )
);

schema_type!(
    /// A trip type the planner knows.
    TripTypeName = string_enum(
        ai::planner::TRIP_TYPES,
        "The kind of trip; `leisure` when absent or null (case and white space around it are ignored).".to_owned()
    )
);

schema_type!(
    /// A trip's length.
    TripDays = integer(1, Some(ai::planner::MAX_DAYS), format!("Days, 1 to {}.", ai::planner::MAX_DAYS))
);

schema_type!(
    /// A climate the planner knows.
    ClimateName = string_enum(
        ai::climate::Climate::NAMES,
        "The climate to plan for; inferred from the destination and month when absent or null \
         (case and white space around it are ignored)."
            .to_owned()
    )
);

schema_type!(
    /// An occasion the planner dresses for.
    OccasionName = string_enum(
        ai::planner::OCCASIONS,
        "`none` when absent or null (case and white space around it are ignored).".to_owned()
    )
);

schema_type!(
    /// A head count of travellers.
    TravellerCount = integer(
        1,
        Some(ai::planner::MAX_TRAVELLERS as i64),
        format!("1 to {} travellers.", ai::planner::MAX_TRAVELLERS)
    )
);

schema_type!(
    /// The people travelling.
    TravellerList = ArrayBuilder::new()
        .items(reference::<TravelerInput>())
        .min_items(Some(1))
        .max_items(Some(ai::planner::MAX_TRAVELLERS))
        .description(Some(format!("1 to {} people.", ai::planner::MAX_TRAVELLERS)));
    uses TravelerInput
);

/// A head count or a list of people. Written out because `TravelersInput`'s
/// `Deserialize` is (see there), and a derived schema reads serde's
/// attributes to know that the enum is untagged.
impl utoipa::PartialSchema for TravelersInput {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(reference::<TravellerCount>())
            .item(reference::<TravellerList>())
            .description(Some("A head count or a list of people."))
            .into()
    }
}

impl ToSchema for TravelersInput {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((TravellerCount::name().into_owned(), <TravellerCount as utoipa::PartialSchema>::schema()));
        TravellerCount::schemas(schemas);
        schemas.push((TravellerList::name().into_owned(), <TravellerList as utoipa::PartialSchema>::schema()));
        TravellerList::schemas(schemas);
    }
}

schema_type!(
    /// A traveller's name: blank gives `Traveller <n>`.
    TravellerName = text(
        trimmed_pattern(false, ai::planner::MAX_TRAVELLER_NAME_CHARS, false),
        format!(
            "At most {} characters once trimmed; blank or absent names the traveller by number.",
            ai::planner::MAX_TRAVELLER_NAME_CHARS
        )
    )
);

schema_type!(
    /// A traveller's age.
    TravellerAge = integer(0, Some(ai::planner::MAX_AGE), format!("Years, 0 to {}.", ai::planner::MAX_AGE))
);

schema_type!(
    /// The currency a trip budget may be in: the catalog's.
    CatalogCurrency = string_enum(
        [Currency::INR.as_str()],
        format!("The catalog's currency, {}; the default when absent or null.", Currency::INR.as_str())
    )
);

schema_type!(
    /// A packing line's quantity.
    PackingQuantity = integer(1, Some(MAX_QUANTITY), format!("1 to {MAX_QUANTITY}."))
);

schema_type!(
    /// The edits of one `PATCH` of a trip.
    LineEdits = ArrayBuilder::new()
        .items(reference::<LineEdit>())
        .min_items(Some(1))
        .max_items(Some(MAX_EDITS))
        .description(Some(format!("1 to {MAX_EDITS} edits, applied in order, all or none.")));
    uses LineEdit
);

schema_type!(
    /// Search text.
    SearchText = ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(search::MAX_QUERY_CHARS))
        .description(Some(format!("At most {} characters.", search::MAX_QUERY_CHARS)))
);

/// The least rating a search result may have: 0 to [`search::MAX_RATING`].
fn min_rating() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Number)
        .minimum(Some(0.0))
        .maximum(Some(f64::from(search::MAX_RATING)))
        .description(Some(format!("A number from 0 to {}.", search::MAX_RATING)))
}

schema_type!(
    /// The least rating a search result may have.
    MinRating = min_rating()
);

schema_type!(
    /// A search order; empty is the default.
    SearchSort = string_enum(
        search::Sort::ALL.into_iter().map(search::Sort::as_str).chain([""]),
        "The order; `relevance` when absent or empty.".to_owned()
    )
);

schema_type!(
    /// Results per search page.
    SearchPageSize = integer(
        1,
        Some(search::MAX_LIMIT as i64),
        format!("1 to {}, default {}.", search::MAX_LIMIT, search::DEFAULT_LIMIT)
    )
);

schema_type!(
    /// A kind of recommendation list; empty is every kind.
    RecommendationKind = string_enum(
        ai::RecType::ALL.into_iter().map(ai::RecType::as_str).chain([""]),
        "One list type only; every type when absent or empty.".to_owned()
    )
);

/// `{"properties": {field: schema}}`: a rule on `field` when it is present.
fn when_present(field: &str, schema: impl Into<RefOr<Schema>>) -> ObjectBuilder {
    ObjectBuilder::new().property(field, schema)
}

/// `{"properties": {field: schema}, "required": [field]}`.
fn present(field: &str, schema: impl Into<RefOr<Schema>>) -> ObjectBuilder {
    when_present(field, schema).required(field)
}

fn of_type(kind: Type) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(kind)
}

/// `PostActivityInput`: the fields each action needs ([`ActionType::needs_product`],
/// [`ActionType::needs_message`]), one alternative per combination.
fn post_activity_rule() -> Schema {
    let postable: Vec<ActionType> = ActionType::ALL.into_iter().filter(|a| a.is_client_postable()).collect();
    let mut groups: Vec<((bool, bool), Vec<&str>)> = Vec::new();
    for action in postable.iter().copied() {
        let needs = (action.needs_product(), action.needs_message());
        match groups.iter_mut().find(|(n, _)| *n == needs) {
            Some((_, names)) => names.push(action.as_str()),
            None => groups.push((needs, vec![action.as_str()])),
        }
    }
    let mut any = AnyOfBuilder::new();
    for ((product, message), names) in groups {
        let mut alternative =
            present("action_type", ObjectBuilder::new().schema_type(Type::String).enum_values(Some(names)));
        if product {
            alternative = alternative.property("product_id", of_type(Type::String)).required("product_id");
        }
        if message {
            alternative = alternative.property("message", of_type(Type::String)).required("message");
        }
        any = any.item(alternative);
    }
    let listed = |needs: fn(ActionType) -> bool| {
        postable.iter().filter(|a| needs(**a)).map(|a| format!("`{}`", a.as_str())).collect::<Vec<_>>().join(", ")
    };
    any.description(Some(format!(
        "`product_id` is required (not null) for {}; `message` for {}.",
        listed(ActionType::needs_product),
        listed(ActionType::needs_message)
    )))
    .into()
}

/// `SecretModeInput`: turning secret mode on names someone to hide from.
fn secret_mode_rule() -> Schema {
    AnyOfBuilder::new()
        .item(present("enabled", ObjectBuilder::new().schema_type(Type::Boolean).enum_values(Some([false]))))
        .item(present("hidden_from", ArrayBuilder::new().items(reference::<domain::UserId>()).min_items(Some(1))))
        .description(Some("With `enabled: true`, `hidden_from` names at least one member."))
        .into()
}

/// `RotateInviteInput`: an expiry is given one way at most.
fn rotate_invite_rule() -> Schema {
    AnyOfBuilder::new()
        .item(when_present("expires_at", of_type(Type::Null)))
        .item(when_present("expires_in_hours", of_type(Type::Null)))
        .description(Some("`expires_at` and `expires_in_hours` are not both given (not null)."))
        .into()
}

/// `VisibilityRequest`: exactly one of the two lists.
fn visibility_request_rule() -> Schema {
    OneOfBuilder::new()
        .item(present("hidden_from", of_type(Type::Array)))
        .item(present("only", of_type(Type::Array)))
        .description(Some("Exactly one of `hidden_from` and `only` is a list (present and not null)."))
        .into()
}

/// Rules across the fields of a request component, which its derived
/// schema cannot state: the OpenAPI document makes each such component
/// `allOf` its derived schema and the rule.
pub fn cross_field_rules() -> Vec<(String, Schema)> {
    vec![
        (crate::activities::PostActivityInput::name().into_owned(), post_activity_rule()),
        (SecretModeInput::name().into_owned(), secret_mode_rule()),
        (RotateInviteInput::name().into_owned(), rotate_invite_rule()),
        (VisibilityRequest::name().into_owned(), visibility_request_rule()),
    ]
}

/// `schema` with `rule` added: `{"allOf": [schema, rule]}`.
pub fn with_rule(schema: RefOr<Schema>, rule: Schema) -> RefOr<Schema> {
    AllOfBuilder::new().item(schema).item(rule).into()
}
