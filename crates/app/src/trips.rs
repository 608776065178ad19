//! Trip plans: the built-in planner (refined by a language model when one is
//! configured), each packing line mapped to in-stock catalog products in the
//! traveller's size and budget, saved per room and edited line by line.
//! Creating and editing append `trip_planned` / `trip_updated` activities.

use std::collections::HashMap;

use ai::planner::{self, PersonInput, TravellersInput, TripInput};
use domain::{
    ActivityId, FieldErrors, ProductId, RoomId, TripId, UserId,
    activity::ActionType,
    clock::now,
    money::{Currency, Money},
    product::Gender,
    role::RoomAction,
    visibility::Visibility,
};
use serde::{Deserialize, Serialize};
use store::{NewActivity, TripRecord};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use crate::{
    App, Caller,
    error::{AppError, AppResult},
    recommendations::{CatalogSnapshot, ProductCard, age_of, gender_of},
};

/// Products offered per packing line.
const PRODUCTS_PER_LINE: usize = 3;
/// Most line edits in one request.
pub(crate) const MAX_EDITS: usize = 200;
/// Largest quantity a line may have.
pub(crate) const MAX_QUANTITY: i64 = 200;
/// Attempts at an edit that meets a concurrent one.
const EDIT_ATTEMPTS: usize = 3;

/// A traveller: a room member (sizes come from their profile) or a person by name, age and gender.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TravelerInput {
    /// A member of the room.
    pub user_id: Option<UserId>,
    #[schema(value_type = Option<crate::schema::TravellerName>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::schema::TravellerAge>)]
    pub age: Option<i64>,
    /// `men`, `women`, `boys`, `girls` or `unisex`.
    #[schema(value_type = Option<Gender>)]
    pub gender: Option<String>,
}

/// A head count or a list of people. Its schema is in `crate::schema`.
#[derive(Debug, Clone)]
pub enum TravelersInput {
    Count(i64),
    People(Vec<TravelerInput>),
}

// Written out rather than `#[serde(untagged)]`: an untagged enum buffers the
// value and reads each variant from the buffer, which is not the caller's
// deserializer, so the HTTP edge's rule that an object is read from a JSON
// object only would not reach the people in the list. It also names what was
// expected instead of "did not match any variant".
impl<'de> Deserialize<'de> for TravelersInput {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TravelersVisitor;

        impl<'de> serde::de::Visitor<'de> for TravelersVisitor {
            type Value = TravelersInput;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a head count or a list of travellers")
            }

            fn visit_i64<E: serde::de::Error>(self, count: i64) -> Result<TravelersInput, E> {
                Ok(TravelersInput::Count(count))
            }

            fn visit_u64<E: serde::de::Error>(self, count: u64) -> Result<TravelersInput, E> {
                i64::try_from(count)
                    .map(TravelersInput::Count)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(count), &self))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<TravelersInput, A::Error> {
                let mut people = Vec::new();
                while let Some(person) = seq.next_element()? {
                    people.push(person);
                }
                Ok(TravelersInput::People(people))
            }
        }

        deserializer.deserialize_any(TravelersVisitor)
    }
}

/// Money as a client sends it: `{"amount": "1500.00", "currency": "INR"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyInput {
    #[schema(value_type = domain::schema::PositiveAmount)]
    pub amount: String,
    #[schema(value_type = Option<crate::schema::CatalogCurrency>)]
    pub currency: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTripInput {
    #[schema(value_type = crate::schema::TripDestination)]
    pub destination: Option<String>,
    /// `leisure` (default), `city`, `beach`, `trek`, `business`, `wedding`, `ski`, `family_visit`, `road_trip`.
    #[schema(value_type = Option<crate::schema::TripTypeName>)]
    pub trip_type: Option<String>,
    /// Days, 1 to 365.
    #[schema(value_type = crate::schema::TripDays)]
    pub duration: Option<i64>,
    /// `YYYY-MM-DD`; today when absent.
    #[schema(value_type = Option<String>, format = Date)]
    pub start_date: Option<String>,
    /// `cold`, `snowy`, `cool`, `mild`, `warm`, `hot`, `tropical`, `rainy` or `desert`;
    /// inferred from the destination and month when absent (the plan says so).
    #[schema(value_type = Option<crate::schema::ClimateName>)]
    pub climate: Option<String>,
    /// 1 to 30 travellers: a count or a list.
    #[schema(value_type = TravelersInput)]
    pub travelers: Option<TravelersInput>,
    /// `none` (default), `casual`, `wedding`, `business`, `trek`, `beach`, `party`, `festival`.
    #[schema(value_type = Option<crate::schema::OccasionName>)]
    pub occasion: Option<String>,
    /// Most to spend on any one product; at least the price of the cheapest product that fits a line.
    pub budget: Option<MoneyInput>,
    /// Whether laundry is available (fewer clothes on long trips).
    pub laundry: Option<bool>,
}

/// One edit of one packing line; absent fields stay as they are.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineEdit {
    /// The line's `id` from the plan.
    #[schema(value_type = String)]
    pub id: Option<String>,
    /// Packed.
    pub checked: Option<bool>,
    /// 1 to 200.
    #[schema(value_type = Option<crate::schema::PackingQuantity>)]
    pub quantity: Option<i64>,
    /// Already owned: the line leaves the shopping list.
    pub owned: Option<bool>,
    /// Swap the chosen product for another catalog product; `null` chooses none.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub product_id: Option<Option<ProductId>>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<ProductId>>, D::Error> {
    Option::<ProductId>::deserialize(d).map(Some)
}

/// `PATCH …/trips/{trip_id}`: edits applied in order, all or none.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTripInput {
    #[schema(value_type = crate::schema::LineEdits)]
    pub lines: Option<Vec<LineEdit>>,
}

/// The climate planned for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClimateView {
    pub low_c: i32,
    pub high_c: i32,
    pub rainy: bool,
    pub snowy: bool,
    /// How it was obtained: given, inferred from monthly normals, or unknown.
    pub source: String,
    /// True when inferred from the destination and month rather than given.
    pub inferred: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TravelerView {
    pub name: String,
    pub age: Option<u8>,
    pub gender: Option<Gender>,
    pub user_id: Option<UserId>,
}

/// The stored part of a line.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LineDoc {
    id: String,
    traveler: Option<String>,
    traveler_index: Option<u32>,
    item: String,
    category: String,
    quantity: u32,
    reason: String,
    products: Vec<ProductId>,
    product_id: Option<ProductId>,
    checked: bool,
    owned: bool,
}

/// One packing line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PackingLineView {
    /// Stable id for edits, e.g. `t0:socks` or `shared:first_aid`.
    pub id: String,
    /// The traveller's name; null for the family's shared items.
    pub traveler: Option<String>,
    pub traveler_index: Option<u32>,
    pub item: String,
    /// clothing, outerwear, footwear, accessories, occasion, toiletries, essentials or kids.
    pub category: String,
    pub quantity: u32,
    pub reason: String,
    /// In-stock products in the traveller's size and budget, best first.
    pub products: Vec<ProductCard>,
    /// The product chosen for the shopping list.
    pub product_id: Option<ProductId>,
    pub checked: bool,
    pub owned: bool,
}

/// The stored rest of a plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PlanDoc {
    climate: ClimateView,
    travelers: Vec<TravelerView>,
    budget: Option<Money>,
    laundry: bool,
    notes: Vec<String>,
    planner: String,
}

/// What the family still has to buy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShoppingView {
    /// Lines not owned with a chosen product.
    pub lines: u32,
    pub total: Money,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TripView {
    pub id: TripId,
    pub room_id: RoomId,
    pub created_by: Option<UserId>,
    pub destination: String,
    pub trip_type: String,
    /// Days.
    pub duration: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub start_date: Option<String>,
    pub climate: ClimateView,
    pub travelers: Vec<TravelerView>,
    pub occasion: Option<String>,
    pub budget: Option<Money>,
    pub laundry: bool,
    /// `built_in`, or `llm:<model>` when a language model refined the plan.
    pub planner: String,
    /// What the planner assumed and why (climate source, laundry, fallbacks).
    pub notes: Vec<String>,
    pub packing_list: Vec<PackingLineView>,
    pub shopping: ShoppingView,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TripPage {
    pub items: Vec<TripView>,
    pub next_cursor: Option<String>,
}

/// Catalog article types that also serve a planner line, keyed by the line.
const EXTRA_TYPES: &[(&str, &[&str])] = &[
    ("toiletries", &["Toiletry Kits"]),
    ("chargers", &["Power Banks", "Chargers"]),
    ("swimwear", &["Swimsuits", "Swim Shorts"]),
    ("documents_pouch", &["Document Pouches"]),
    ("rain_jacket", &["Rain Jackets"]),
    ("rain_shell", &["Rain Jackets"]),
    ("beanie", &["Beanies"]),
    ("water_bottle", &["Water Bottles"]),
    ("walking_shoes", &["Sneakers"]),
    ("festive_shoes", &["Heels", "Sandals"]),
    ("thermals", &["Thermal Tops"]),
];

/// Lower case with each word's plural `s` dropped: `Rain Jackets` ~ `rain jacket`.
fn normalise(article_type: &str) -> String {
    article_type
        .to_ascii_lowercase()
        .split_whitespace()
        .map(|w| w.strip_suffix('s').filter(|s| s.len() > 2).unwrap_or(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ranks a line's candidate products: popular in the family rooms first,
/// then rating, then price.
struct Matcher<'a> {
    catalog: &'a CatalogSnapshot,
    popularity: &'a HashMap<uuid::Uuid, f32>,
    by_type: HashMap<String, Vec<uuid::Uuid>>,
}

impl<'a> Matcher<'a> {
    fn new(catalog: &'a CatalogSnapshot, popularity: &'a HashMap<uuid::Uuid, f32>) -> Self {
        let mut by_type: HashMap<String, Vec<uuid::Uuid>> = HashMap::new();
        for item in catalog.items.values() {
            if let Some(t) = &item.article_type {
                by_type.entry(normalise(t)).or_default().push(item.id);
            }
        }
        Self { catalog, popularity, by_type }
    }

    /// In-stock products for the line and traveller, ignoring the budget; best first.
    fn candidates(
        &self,
        key: &str,
        query: &planner::ProductQuery,
        traveller: Option<&planner::Traveller>,
    ) -> Vec<uuid::Uuid> {
        let mut types: Vec<String> = query.article_types.iter().map(|t| normalise(t)).collect();
        if let Some((_, extra)) = EXTRA_TYPES.iter().find(|(k, _)| *k == key) {
            types.extend(extra.iter().map(|t| normalise(t)));
        }
        let sizes = traveller.map(|t| t.sizes.clone()).unwrap_or_default();
        let age = traveller.and_then(|t| t.age);
        let mut out: Vec<uuid::Uuid> = Vec::new();
        for t in &types {
            for id in self.by_type.get(t).into_iter().flatten() {
                let Some(item) = self.catalog.items.get(id) else { continue };
                if !out.contains(id)
                    && ai::filters::suits(item.gender, query.gender, age)
                    && ai::filters::in_stock_for(item, &sizes)
                {
                    out.push(*id);
                }
            }
        }
        let score = |id: &uuid::Uuid| {
            (
                self.popularity.get(id).copied().unwrap_or(0.0),
                self.catalog.rating.get(id).copied().unwrap_or(0.0),
                self.catalog.items.get(id).map(|i| -i.price_minor).unwrap_or(i64::MIN),
            )
        };
        out.sort_by(|a, b| {
            let (pa, ra, ca) = score(a);
            let (pb, rb, cb) = score(b);
            pb.total_cmp(&pa).then(rb.total_cmp(&ra)).then(cb.cmp(&ca)).then(a.cmp(b))
        });
        out
    }

    fn price(&self, id: &uuid::Uuid) -> i64 {
        self.catalog.items.get(id).map(|i| i.price_minor).unwrap_or(i64::MAX)
    }
}

/// The chosen products of a trip that are not owned yet.
pub(crate) fn products_to_buy(trip: &TripRecord) -> Vec<ProductId> {
    let lines: Vec<LineDoc> = serde_json::from_value(trip.packing_list.clone()).unwrap_or_default();
    lines.iter().filter(|l| !l.owned).filter_map(|l| l.product_id).collect()
}

/// Renames the planner's field names to the API's.
fn api_field(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("travellers") {
        return format!("travelers{rest}");
    }
    match field {
        "duration_days" => "duration".into(),
        "budget_minor" => "budget".into(),
        other => other.into(),
    }
}

fn api_errors(errors: FieldErrors) -> AppError {
    let mut out = FieldErrors::new();
    for e in errors.0 {
        out.push(&api_field(&e.field), e.message);
    }
    AppError::Validation(out)
}

fn not_found(e: store::StoreError) -> AppError {
    match e {
        store::StoreError::NotFound => AppError::NotFound("trip"),
        other => other.into(),
    }
}

impl App {
    /// Plans a trip for the room and saves it.
    pub async fn create_trip(&self, caller: Caller, room_id: RoomId, input: CreateTripInput) -> AppResult<TripView> {
        let me = self.authorize(caller, room_id, RoomAction::Act).await?;
        let mut errors = FieldErrors::new();
        let budget = match &input.budget {
            Some(b) => {
                let minor = errors.take("budget.amount", Money::parse_major(&b.amount));
                let currency = match b.currency.as_deref() {
                    None => Some(Currency::INR),
                    Some(c) => errors.take("budget.currency", Currency::parse(c)),
                };
                match (minor, currency) {
                    (Some(_), Some(c)) if c != Currency::INR => {
                        errors.push("budget.currency", "must be INR, the catalog's currency");
                        None
                    }
                    (Some(0), Some(_)) => {
                        errors.push("budget.amount", "must be positive");
                        None
                    }
                    (Some(m), Some(c)) => Some(Money::new(m, c)),
                    _ => None,
                }
            }
            None => None,
        };
        let start_date = input.start_date.clone().or_else(|| {
            let today = now().date();
            Some(format!("{:04}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day()))
        });
        let travellers = input.travelers.as_ref().map(|t| match t {
            TravelersInput::Count(n) => TravellersInput::Count(*n),
            TravelersInput::People(people) => TravellersInput::People(
                people
                    .iter()
                    .map(|p| PersonInput {
                        name: p.name.clone(),
                        age: p.age,
                        gender: p.gender.clone(),
                        user_id: p.user_id.map(|u| u.0),
                    })
                    .collect(),
            ),
        });
        let planner_input = TripInput {
            destination: input.destination.clone(),
            trip_type: input.trip_type.clone(),
            duration_days: input.duration,
            start_date,
            climate: input.climate.clone(),
            travellers,
            occasion: input.occasion.clone(),
            budget_minor: budget.map(|b| b.minor),
            laundry: input.laundry,
        };
        let climate_path = self.recs().settings.climate_data.clone();
        let validated = planner::validate(&planner_input, climate_path.as_deref());
        let mut spec = match validated {
            Ok(spec) if errors.is_empty() => spec,
            Ok(_) => return Err(AppError::Validation(errors)),
            Err(more) => {
                errors.0.extend(more.0);
                return Err(api_errors(errors));
            }
        };
        // Members travel with their profile: sizes, and age band and gender when not given.
        let members = self.inner.store.list_members(room_id).await?;
        for (i, traveller) in spec.travellers.iter_mut().enumerate() {
            let Some(user) = traveller.user_id else { continue };
            let Some(member) = members.iter().find(|m| m.user_id.0 == user) else {
                errors.push(&format!("travelers[{i}].user_id"), "is not a member of this room");
                continue;
            };
            let profile = self.inner.store.get_user(member.user_id).await?.profile;
            traveller.sizes = ai::MemberSizes {
                tops: profile.sizes.tops.clone(),
                bottoms: profile.sizes.bottoms.clone(),
                shoes: profile.sizes.shoes.clone(),
            };
            let given_name = input.travelers.as_ref().and_then(|t| match t {
                TravelersInput::People(p) => p.get(i).and_then(|p| p.name.clone()),
                TravelersInput::Count(_) => None,
            });
            if given_name.is_none() {
                traveller.name = member.name.clone();
            }
            if traveller.age.is_none() {
                traveller.age = age_of(profile.preferences.age_band);
            }
            if traveller.gender.is_none() {
                traveller.gender = gender_of(profile.preferences.gender);
            }
        }
        errors.clone().into_result()?;

        let built = planner::plan(&spec);
        let plan = ai::llm::plan_with(self.recs().settings.llm.as_ref(), built).await;

        let catalog = self.fresh_catalog().await?;
        let models = self.recs().models();
        let empty = HashMap::new();
        let matcher = Matcher::new(&catalog, models.as_ref().map(|m| &m.popularity).unwrap_or(&empty));
        let budget_minor = budget.map(|b| b.minor);
        let mut cheapest: Option<i64> = None;
        let mut lines = Vec::new();
        let mut add = |index: Option<usize>, traveller: Option<&planner::Traveller>, line: &planner::PackingLine| {
            let candidates = match &line.query {
                Some(q) => matcher.candidates(&line.key, q, traveller),
                None => {
                    let q = planner::ProductQuery {
                        article_types: vec![],
                        category: None,
                        gender: None,
                        size: "none".into(),
                    };
                    matcher.candidates(&line.key, &q, traveller)
                }
            };
            if let Some(min) = candidates.iter().map(|id| matcher.price(id)).min() {
                cheapest = Some(cheapest.map_or(min, |c: i64| c.min(min)));
            }
            let products: Vec<ProductId> = candidates
                .into_iter()
                .filter(|id| budget_minor.is_none_or(|b| matcher.price(id) <= b))
                .take(PRODUCTS_PER_LINE)
                .map(ProductId)
                .collect();
            lines.push(LineDoc {
                id: match index {
                    Some(i) => format!("t{i}:{}", line.key),
                    None => format!("shared:{}", line.key),
                },
                traveler: traveller.map(|t| t.name.clone()),
                traveler_index: index.map(|i| i as u32),
                item: line.item.clone(),
                category: line.group.clone(),
                quantity: line.quantity,
                reason: line.reason.clone(),
                product_id: products.first().copied(),
                products,
                checked: false,
                owned: false,
            });
        };
        for (i, t) in plan.travellers.iter().enumerate() {
            for line in &t.lines {
                add(Some(i), Some(&t.traveller), line);
            }
        }
        for line in &plan.shared {
            add(None, None, line);
        }
        planner::check_budget(budget_minor, cheapest).map_err(api_errors)?;

        let inferred = input.climate.is_none();
        let doc = PlanDoc {
            climate: ClimateView {
                low_c: plan.climate.low_c,
                high_c: plan.climate.high_c,
                rainy: plan.climate.rainy,
                snowy: plan.climate.snowy,
                source: plan.climate.source.clone(),
                inferred,
            },
            travelers: plan
                .travellers
                .iter()
                .map(|t| TravelerView {
                    name: t.traveller.name.clone(),
                    age: t.traveller.age,
                    gender: t.traveller.gender,
                    user_id: t.traveller.user_id.map(UserId),
                })
                .collect(),
            budget,
            laundry: plan.laundry,
            notes: plan.notes.clone(),
            planner: plan.planner.clone(),
        };
        let at = now();
        let record = TripRecord {
            id: TripId::new(),
            room_id,
            created_by: Some(caller.user_id),
            destination: plan.destination.clone(),
            trip_type: plan.trip_type.clone(),
            duration_days: i64::from(plan.duration_days),
            start_date: Some(plan.start_date),
            climate: Some(plan.climate.source.clone()),
            travelers: plan.travellers.len() as i64,
            occasion: Some(plan.occasion.clone()),
            plan: serde_json::to_value(&doc).map_err(AppError::internal)?,
            packing_list: serde_json::to_value(&lines).map_err(AppError::internal)?,
            created_at: at,
            updated_at: at,
        };
        let activity = self.trip_activity(&me, &record, ActionType::TripPlanned, serde_json::json!({}));
        let (saved, appended) = self.inner.store.create_trip(record, activity).await?;
        self.publish_activity(&appended).await;
        self.trip_view(&saved, &catalog)
    }

    fn trip_activity(
        &self,
        me: &store::MemberRecord,
        trip: &TripRecord,
        action: ActionType,
        extra: serde_json::Value,
    ) -> NewActivity {
        let mut metadata = serde_json::json!({
            "trip_id": trip.id,
            "destination": trip.destination,
            "trip_type": trip.trip_type,
            "duration": trip.duration_days,
        });
        if let (Some(object), Some(more)) = (metadata.as_object_mut(), extra.as_object()) {
            object.extend(more.clone());
        }
        NewActivity {
            id: ActivityId::new(),
            room_id: trip.room_id,
            user_id: me.user_id,
            product_id: None,
            action_type: action,
            message: None,
            // A plan belongs to the room; secret mode still hides who touched it.
            visibility: Visibility::effective(None, &me.secret_mode),
            metadata,
            at: now(),
            author_as_of: None,
        }
    }

    fn trip_view(&self, trip: &TripRecord, catalog: &CatalogSnapshot) -> AppResult<TripView> {
        let doc: PlanDoc = serde_json::from_value(trip.plan.clone()).map_err(AppError::internal)?;
        let lines: Vec<LineDoc> = serde_json::from_value(trip.packing_list.clone()).map_err(AppError::internal)?;
        let mut total = Money::inr(0);
        let mut to_buy = 0;
        for line in &lines {
            if let (false, Some(p)) = (line.owned, line.product_id) {
                to_buy += 1;
                let price = catalog.cards.get(&p.0).map(|c| c.price.minor).unwrap_or(0);
                total.minor = total.minor.saturating_add(price.saturating_mul(i64::from(line.quantity)));
            }
        }
        let format = time::macros::format_description!("[year]-[month]-[day]");
        Ok(TripView {
            id: trip.id,
            room_id: trip.room_id,
            created_by: trip.created_by,
            destination: trip.destination.clone(),
            trip_type: trip.trip_type.clone(),
            duration: trip.duration_days,
            start_date: trip.start_date.and_then(|d: Date| d.format(&format).ok()),
            climate: doc.climate,
            travelers: doc.travelers,
            occasion: trip.occasion.clone(),
            budget: doc.budget,
            laundry: doc.laundry,
            planner: doc.planner,
            notes: doc.notes,
            packing_list: lines
                .into_iter()
                .map(|l| PackingLineView {
                    products: l.products.iter().filter_map(|p| catalog.cards.get(&p.0).cloned()).collect(),
                    id: l.id,
                    traveler: l.traveler,
                    traveler_index: l.traveler_index,
                    item: l.item,
                    category: l.category,
                    quantity: l.quantity,
                    reason: l.reason,
                    product_id: l.product_id,
                    checked: l.checked,
                    owned: l.owned,
                })
                .collect(),
            shopping: ShoppingView { lines: to_buy, total },
            created_at: trip.created_at,
            updated_at: trip.updated_at,
        })
    }

    pub async fn list_trips(&self, caller: Caller, room_id: RoomId) -> AppResult<TripPage> {
        self.authorize(caller, room_id, RoomAction::Read).await?;
        let catalog = self.recs().catalog();
        let items = self
            .inner
            .store
            .list_trips(room_id, 100)
            .await?
            .iter()
            .map(|t| self.trip_view(t, &catalog))
            .collect::<AppResult<Vec<_>>>()?;
        Ok(TripPage { items, next_cursor: None })
    }

    pub async fn get_trip(&self, caller: Caller, room_id: RoomId, trip_id: TripId) -> AppResult<TripView> {
        self.authorize(caller, room_id, RoomAction::Read).await?;
        let trip = self.inner.store.get_trip(room_id, trip_id).await.map_err(not_found)?;
        self.trip_view(&trip, &self.recs().catalog())
    }

    /// Applies line edits (check off, quantity, owned, swap product) all or none.
    pub async fn update_trip(
        &self,
        caller: Caller,
        room_id: RoomId,
        trip_id: TripId,
        input: UpdateTripInput,
    ) -> AppResult<TripView> {
        let me = self.authorize(caller, room_id, RoomAction::Act).await?;
        let edits = input.lines.ok_or_else(|| AppError::validation("lines", "is required"))?;
        if edits.is_empty() || edits.len() > MAX_EDITS {
            return Err(AppError::validation("lines", format!("must list between 1 and {MAX_EDITS} edits")));
        }
        let catalog = self.recs().catalog();
        for attempt in 0..EDIT_ATTEMPTS {
            let trip = self.inner.store.get_trip(room_id, trip_id).await.map_err(not_found)?;
            let mut lines: Vec<LineDoc> =
                serde_json::from_value(trip.packing_list.clone()).map_err(AppError::internal)?;
            let mut errors = FieldErrors::new();
            for (i, edit) in edits.iter().enumerate() {
                let Some(line) = edit.id.as_deref().and_then(|id| lines.iter_mut().find(|l| l.id == id)) else {
                    errors.push(&format!("lines[{i}].id"), "names no line of this plan");
                    continue;
                };
                if let Some(q) = edit.quantity {
                    if (1..=MAX_QUANTITY).contains(&q) {
                        line.quantity = q as u32;
                    } else {
                        errors.push(&format!("lines[{i}].quantity"), format!("must be between 1 and {MAX_QUANTITY}"));
                    }
                }
                if let Some(checked) = edit.checked {
                    line.checked = checked;
                }
                if let Some(owned) = edit.owned {
                    line.owned = owned;
                }
                match edit.product_id {
                    Some(Some(p)) if catalog.cards.contains_key(&p.0) => {
                        line.product_id = Some(p);
                        if !line.products.contains(&p) {
                            line.products.insert(0, p);
                        }
                    }
                    Some(Some(_)) => errors.push(&format!("lines[{i}].product_id"), "no such product"),
                    Some(None) => line.product_id = None,
                    None => {}
                }
            }
            errors.into_result()?;
            let updated = TripRecord {
                packing_list: serde_json::to_value(&lines).map_err(AppError::internal)?,
                updated_at: now(),
                ..trip.clone()
            };
            let activity =
                self.trip_activity(&me, &updated, ActionType::TripUpdated, serde_json::json!({"lines": edits.len()}));
            match self.inner.store.update_trip(updated, trip.updated_at, activity).await {
                Ok((saved, appended)) => {
                    self.publish_activity(&appended).await;
                    return self.trip_view(&saved, &catalog);
                }
                Err(store::StoreError::Conflict { .. }) if attempt + 1 < EDIT_ATTEMPTS => continue,
                Err(store::StoreError::Conflict { .. }) => {
                    return Err(AppError::Conflict {
                        code: "conflict",
                        message: "the plan changed meanwhile; try again".into(),
                    });
                }
                Err(e) => return Err(not_found(e)),
            }
        }
        Err(AppError::Conflict { code: "conflict", message: "the plan changed meanwhile; try again".into() })
    }

    pub async fn delete_trip(&self, caller: Caller, room_id: RoomId, trip_id: TripId) -> AppResult<()> {
        self.authorize(caller, room_id, RoomAction::Act).await?;
        self.inner.store.delete_trip(room_id, trip_id).await.map_err(not_found)
    }
}
