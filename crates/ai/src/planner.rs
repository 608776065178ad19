//! The rule-based trip planner: validated input in, a packing list per
//! traveller out, every line with a quantity, a reason and a product query
//! the app maps to in-stock catalog products.

use domain::FieldErrors;
use domain::product::Gender;
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::climate::{self, Climate};
use crate::filters::{MemberSizes, SizeKind};

/// Longest trip we plan for.
pub const MAX_DAYS: i64 = 365;
/// Most travellers in one plan.
pub const MAX_TRAVELLERS: usize = 30;
/// Trip types we know.
pub const TRIP_TYPES: [&str; 9] =
    ["leisure", "city", "beach", "trek", "business", "wedding", "ski", "family_visit", "road_trip"];
/// Occasions we plan outfits for.
pub const OCCASIONS: [&str; 8] = ["none", "casual", "wedding", "business", "trek", "beach", "party", "festival"];
/// The longest destination, in characters once trimmed.
pub const MAX_DESTINATION_CHARS: usize = 120;
/// The longest traveller's name, in characters once trimmed.
pub const MAX_TRAVELLER_NAME_CHARS: usize = 80;
/// The oldest age a traveller may be given.
pub const MAX_AGE: i64 = 120;

/// A traveller given by name (optional), age, gender and member link.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub name: Option<String>,
    pub age: Option<i64>,
    pub gender: Option<String>,
    pub user_id: Option<Uuid>,
}

/// Travellers: a head count or a list of people.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum TravellersInput {
    Count(i64),
    People(Vec<PersonInput>),
}

/// The planner's raw input, as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TripInput {
    pub destination: Option<String>,
    pub trip_type: Option<String>,
    pub duration_days: Option<i64>,
    /// `YYYY-MM-DD`.
    pub start_date: Option<String>,
    pub climate: Option<String>,
    pub travellers: Option<TravellersInput>,
    pub occasion: Option<String>,
    /// In minor units, per product.
    pub budget_minor: Option<i64>,
    pub laundry: Option<bool>,
}

/// One validated traveller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Traveller {
    pub name: String,
    pub age: Option<u8>,
    pub gender: Option<Gender>,
    pub user_id: Option<Uuid>,
    /// Filled in by the app from the member's profile; sent to a language model.
    #[serde(skip)]
    pub sizes: MemberSizes,
}

impl Traveller {
    pub fn is_child(&self) -> bool {
        self.age.is_some_and(|a| a < 13)
    }

    /// The catalog cut for this traveller.
    pub fn cut(&self) -> Option<Gender> {
        match (self.gender, self.is_child()) {
            (Some(Gender::Men | Gender::Boys), true) => Some(Gender::Boys),
            (Some(Gender::Women | Gender::Girls), true) => Some(Gender::Girls),
            (Some(Gender::Boys), false) => Some(Gender::Men),
            (Some(Gender::Girls), false) => Some(Gender::Women),
            (g, _) => g,
        }
    }
}

/// A validated trip.
#[derive(Debug, Clone, PartialEq)]
pub struct TripSpec {
    pub destination: String,
    pub trip_type: String,
    pub duration_days: u32,
    pub start_date: Date,
    pub climate: Climate,
    pub travellers: Vec<Traveller>,
    pub occasion: String,
    pub budget_minor: Option<i64>,
    pub laundry: bool,
}

/// What the app asks the catalog for one line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductQuery {
    pub article_types: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// `tops`, `bottoms`, `shoes` or `none`: which profile size applies.
    pub size: String,
}

/// One line of a packing list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackingLine {
    /// Stable within a traveller's list, for edits.
    pub key: String,
    pub item: String,
    pub group: String,
    pub quantity: u32,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<ProductQuery>,
    #[serde(default)]
    pub checked: bool,
    #[serde(default)]
    pub owned: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<Uuid>,
}

/// One traveller's list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TravellerPlan {
    pub traveller: Traveller,
    pub lines: Vec<PackingLine>,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub destination: String,
    pub trip_type: String,
    pub duration_days: u32,
    pub start_date: Date,
    pub climate: Climate,
    pub occasion: String,
    pub laundry: bool,
    /// Lines the family shares (documents pouch, first-aid kit…).
    pub shared: Vec<PackingLine>,
    pub travellers: Vec<TravellerPlan>,
    pub notes: Vec<String>,
    /// `built_in`, or `llm:<model>` when a language model refined it.
    pub planner: String,
}

fn parse_gender(text: &str) -> Result<Gender, String> {
    Gender::parse(text)
}

/// Validates every field at once; `climate_path` is `FAMILYROOM_CLIMATE_DATA`.
pub fn validate(input: &TripInput, climate_path: Option<&str>) -> Result<TripSpec, FieldErrors> {
    let mut errors = FieldErrors::new();
    let destination = match input.destination.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() && d.chars().count() <= MAX_DESTINATION_CHARS => Some(d.to_string()),
        Some(d) if !d.is_empty() => {
            errors.push("destination", format!("must be at most {MAX_DESTINATION_CHARS} characters"));
            None
        }
        _ => {
            errors.push("destination", "is required");
            None
        }
    };
    let trip_type = match input.trip_type.as_deref().map(|t| t.trim().to_ascii_lowercase()) {
        Some(t) if TRIP_TYPES.contains(&t.as_str()) => Some(t),
        Some(_) => {
            errors.push("trip_type", format!("must be one of {}", TRIP_TYPES.join(", ")));
            None
        }
        None => Some("leisure".to_string()),
    };
    let duration = match input.duration_days {
        Some(d) if (1..=MAX_DAYS).contains(&d) => Some(d as u32),
        Some(_) => {
            errors.push("duration_days", format!("must be between 1 and {MAX_DAYS}"));
            None
        }
        None => {
            errors.push("duration_days", "is required");
            None
        }
    };
    let start_date = match input.start_date.as_deref() {
        Some(s) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            match Date::parse(s.trim(), &format) {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push("start_date", "must be a date like 2026-12-20");
                    None
                }
            }
        }
        None => {
            errors.push("start_date", "is required");
            None
        }
    };
    let given_climate = match input.climate.as_deref() {
        Some(c) => errors.take("climate", Climate::named(c)),
        None => None,
    };
    let occasion = match input.occasion.as_deref().map(|t| t.trim().to_ascii_lowercase()) {
        Some(o) if OCCASIONS.contains(&o.as_str()) => Some(o),
        Some(_) => {
            errors.push("occasion", format!("must be one of {}", OCCASIONS.join(", ")));
            None
        }
        None => Some("none".to_string()),
    };
    if input.budget_minor.is_some_and(|b| b <= 0) {
        errors.push("budget_minor", "must be positive");
    }
    let travellers = match &input.travellers {
        None => {
            errors.push("travellers", "is required");
            None
        }
        Some(TravellersInput::Count(n)) if *n < 1 || *n > MAX_TRAVELLERS as i64 => {
            errors.push("travellers", format!("must be between 1 and {MAX_TRAVELLERS}"));
            None
        }
        Some(TravellersInput::Count(n)) => Some(
            (1..=*n)
                .map(|i| Traveller {
                    name: format!("Traveller {i}"),
                    age: None,
                    gender: None,
                    user_id: None,
                    sizes: MemberSizes::default(),
                })
                .collect::<Vec<_>>(),
        ),
        Some(TravellersInput::People(people)) if people.is_empty() || people.len() > MAX_TRAVELLERS => {
            errors.push("travellers", format!("must list between 1 and {MAX_TRAVELLERS} people"));
            None
        }
        Some(TravellersInput::People(people)) => {
            let mut out = Vec::new();
            for (i, p) in people.iter().enumerate() {
                let age = match p.age {
                    Some(a) if (0..=MAX_AGE).contains(&a) => Some(a as u8),
                    Some(_) => {
                        errors.push(&format!("travellers[{i}].age"), format!("must be between 0 and {MAX_AGE}"));
                        None
                    }
                    None => None,
                };
                let gender = match p.gender.as_deref() {
                    Some(g) => errors.take(&format!("travellers[{i}].gender"), parse_gender(g)),
                    None => None,
                };
                let name = p.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
                if name.as_ref().is_some_and(|n| n.chars().count() > MAX_TRAVELLER_NAME_CHARS) {
                    errors.push(
                        &format!("travellers[{i}].name"),
                        format!("must be at most {MAX_TRAVELLER_NAME_CHARS} characters"),
                    );
                }
                out.push(Traveller {
                    name: name.unwrap_or_else(|| format!("Traveller {}", i + 1)),
                    age,
                    gender,
                    user_id: p.user_id,
                    sizes: MemberSizes::default(),
                });
            }
            Some(out)
        }
    };
    errors.clone().into_result()?;
    match (destination, trip_type, duration, start_date, occasion, travellers) {
        (
            Some(destination),
            Some(trip_type),
            Some(duration_days),
            Some(start_date),
            Some(occasion),
            Some(travellers),
        ) => {
            let climate = given_climate
                .unwrap_or_else(|| climate::infer(&destination, u8::from(start_date.month()), climate_path));
            Ok(TripSpec {
                destination,
                trip_type,
                duration_days,
                start_date,
                climate,
                travellers,
                occasion,
                budget_minor: input.budget_minor,
                laundry: input.laundry.unwrap_or(false),
            })
        }
        _ => Err(FieldErrors::single("body", "is invalid")),
    }
}

/// A budget below the cheapest product that could fill any line is a field error.
pub fn check_budget(budget_minor: Option<i64>, cheapest_minor: Option<i64>) -> Result<(), FieldErrors> {
    match (budget_minor, cheapest_minor) {
        (Some(b), Some(c)) if b < c => {
            // In major units, as the client sent the budget.
            let cheapest = format!("{}.{:02}", c / 100, c % 100);
            Err(FieldErrors::single("budget_minor", format!("is below the cheapest matching product ({cheapest})")))
        }
        _ => Ok(()),
    }
}

struct Lines<'a> {
    cut: Option<Gender>,
    out: &'a mut Vec<PackingLine>,
}

impl Lines<'_> {
    // The rules read as a flat table, one call per line; a builder would hide that.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        key: &str,
        item: &str,
        group: &str,
        quantity: u32,
        reason: impl Into<String>,
        types: &[&str],
        size: SizeKind,
    ) {
        if quantity == 0 {
            return;
        }
        let reason = reason.into();
        if let Some(line) = self.out.iter_mut().find(|l| l.key == key) {
            // A second rule wants the same thing: keep the larger need and both reasons.
            if quantity > line.quantity {
                line.quantity = quantity;
            }
            line.reason = format!("{}; {}", line.reason, reason);
            return;
        }
        let query = (!types.is_empty()).then(|| ProductQuery {
            article_types: types.iter().map(|t| (*t).to_string()).collect(),
            category: None,
            gender: self.cut,
            size: match size {
                SizeKind::Tops => "tops",
                SizeKind::Bottoms => "bottoms",
                SizeKind::Shoes => "shoes",
                SizeKind::None => "none",
            }
            .into(),
        });
        self.out.push(PackingLine {
            key: key.into(),
            item: item.into(),
            group: group.into(),
            quantity,
            reason,
            query,
            checked: false,
            owned: false,
            product_id: None,
        });
    }
}

/// Builds the plan with the built-in rules.
pub fn plan(spec: &TripSpec) -> Plan {
    let days = spec.duration_days;
    let c = &spec.climate;
    let mut notes = vec![format!(
        "Climate: {} (about {}–{} °C{}{}).",
        c.source,
        c.low_c,
        c.high_c,
        if c.rainy { ", rain likely" } else { "" },
        if c.snowy { ", snow likely" } else { "" }
    )];
    // Days of clothes to carry: a week when laundry is available, otherwise up to two weeks.
    let wear_days = if spec.laundry && days > 7 {
        notes.push("Laundry is available: clothes for a week, washed and re-worn.".into());
        7
    } else if days > 14 {
        notes.push("No laundry planned: clothes for 14 days; plan one wash or re-wear for longer.".into());
        14
    } else {
        days
    };
    let hot = c.high_c >= 27;
    let warm = c.high_c >= 22;
    let cold = c.low_c <= 5;
    let freezing = c.low_c <= 0 || c.snowy;
    let cool = c.low_c <= 14;
    let wide = c.high_c - c.low_c >= 10;
    let t = spec.trip_type.as_str();
    let o = spec.occasion.as_str();
    let is = |what: &str| t == what || o == what;

    let mut travellers = Vec::new();
    for traveller in &spec.travellers {
        let mut lines = Vec::new();
        let mut l = Lines { cut: traveller.cut(), out: &mut lines };
        let child = traveller.is_child();
        let extra = if child { 2 } else { 0 };
        let formal_days = if is("business") { days.min(wear_days) } else { 0 };
        let casual_days = wear_days.saturating_sub(formal_days).max(1);
        l.add(
            "underwear",
            "Underwear",
            "clothing",
            wear_days + 1,
            format!("one a day for {wear_days} days plus a spare"),
            &["Briefs", "Boxers", "Innerwear"],
            SizeKind::Bottoms,
        );
        let sock_days = if hot && is("beach") { wear_days.div_ceil(2) } else { wear_days + 1 };
        l.add("socks", "Socks", "clothing", sock_days, "a fresh pair a day", &["Socks"], SizeKind::None);
        if hot {
            l.add(
                "tops",
                "T-shirts and light tops",
                "clothing",
                casual_days + extra,
                format!("hot days (up to {} °C): a fresh top a day", c.high_c),
                &["Tshirts", "Tops"],
                SizeKind::Tops,
            );
            l.add(
                "shorts",
                "Shorts",
                "clothing",
                casual_days.div_ceil(3).max(1),
                "hot weather",
                &["Shorts"],
                SizeKind::Bottoms,
            );
        } else {
            l.add(
                "tops",
                "T-shirts and shirts",
                "clothing",
                casual_days + extra,
                "a fresh top a day",
                &["Tshirts", "Shirts", "Tops"],
                SizeKind::Tops,
            );
        }
        l.add(
            "bottoms",
            "Jeans or trousers",
            "clothing",
            casual_days.div_ceil(3).max(1) + u32::from(child),
            "re-wearable every few days",
            &["Jeans", "Trousers", "Track Pants"],
            SizeKind::Bottoms,
        );
        l.add(
            "sleepwear",
            "Nightwear",
            "clothing",
            1 + u32::from(wear_days > 7) + u32::from(child),
            "for the nights",
            &["Night suits", "Nightdress", "Lounge Pants"],
            SizeKind::Tops,
        );
        l.add(
            "walking_shoes",
            "Comfortable walking shoes",
            "footwear",
            1,
            "for sightseeing and travel days",
            &["Casual Shoes", "Sports Shoes"],
            SizeKind::Shoes,
        );
        if cool || wide {
            let n = if cold { 2 } else { 1 };
            l.add(
                "warm_layer",
                "Sweater or fleece",
                "outerwear",
                n,
                format!("nights down to {} °C: a warm layer", c.low_c),
                &["Sweaters", "Sweatshirts"],
                SizeKind::Tops,
            );
        }
        if cold {
            l.add(
                "jacket",
                "Warm jacket",
                "outerwear",
                1,
                format!("cold: lows of {} °C", c.low_c),
                &["Jackets"],
                SizeKind::Tops,
            );
        } else if cool {
            l.add("light_jacket", "Light jacket", "outerwear", 1, "cool evenings", &["Jackets"], SizeKind::Tops);
        }
        if freezing {
            l.add(
                "thermals",
                "Thermal base layer",
                "clothing",
                2,
                "below-freezing temperatures",
                &["Thermal Tops", "Thermal Bottoms"],
                SizeKind::Tops,
            );
            l.add("gloves", "Gloves", "accessories", 1, "freezing cold", &["Gloves"], SizeKind::None);
            l.add("beanie", "Beanie or warm cap", "accessories", 1, "freezing cold", &["Caps"], SizeKind::None);
            l.add(
                "boots",
                "Insulated boots",
                "footwear",
                1,
                if c.snowy { "snow is likely" } else { "frozen ground" },
                &["Boots"],
                SizeKind::Shoes,
            );
        }
        if c.rainy {
            l.add(
                "rain_jacket",
                "Rain jacket",
                "outerwear",
                1,
                "rain is likely",
                &["Rain Jacket", "Jackets"],
                SizeKind::Tops,
            );
            l.add("umbrella", "Compact umbrella", "accessories", 1, "rain is likely", &["Umbrellas"], SizeKind::None);
        }
        if hot || warm {
            l.add("sun_hat", "Sun hat or cap", "accessories", 1, "strong sun", &["Caps", "Hats"], SizeKind::None);
            l.add("sunglasses", "Sunglasses", "accessories", 1, "strong sun", &["Sunglasses"], SizeKind::None);
        }
        if is("beach") {
            l.add(
                "swimwear",
                "Swimwear",
                "clothing",
                if days > 3 { 2 } else { 1 },
                "beach days; a second set dries while you wear the first",
                &["Swimwear"],
                SizeKind::Bottoms,
            );
            l.add(
                "flip_flops",
                "Flip flops or sandals",
                "footwear",
                1,
                "beach and pool",
                &["Flip Flops", "Sandals"],
                SizeKind::Shoes,
            );
            l.add(
                "cover_up",
                "Beach cover-up or kaftan",
                "clothing",
                1,
                "between the beach and lunch",
                &["Kaftan", "Shirts"],
                SizeKind::Tops,
            );
        }
        if is("trek") {
            l.add(
                "hiking_boots",
                "Hiking boots",
                "footwear",
                1,
                "trails need ankle support and grip",
                &["Sports Shoes", "Boots"],
                SizeKind::Shoes,
            );
            l.add(
                "trek_pants",
                "Quick-dry trekking trousers",
                "clothing",
                days.min(7).div_ceil(3).max(1) + 1,
                "quick-dry for trails",
                &["Track Pants", "Trousers"],
                SizeKind::Bottoms,
            );
            l.add(
                "trek_tops",
                "Quick-dry T-shirts",
                "clothing",
                days.clamp(2, 7),
                "quick-dry, one a day on the trail",
                &["Tshirts"],
                SizeKind::Tops,
            );
            l.add(
                "rain_shell",
                "Waterproof shell",
                "outerwear",
                1,
                "mountain weather changes fast",
                &["Rain Jacket", "Jackets"],
                SizeKind::Tops,
            );
            l.add(
                "daypack",
                "Daypack",
                "accessories",
                1,
                "water, snacks and layers on the trail",
                &["Backpacks"],
                SizeKind::None,
            );
            l.add(
                "water_bottle",
                "Water bottle",
                "accessories",
                1,
                "stay hydrated on the trail",
                &["Water Bottle"],
                SizeKind::None,
            );
        }
        if is("ski") {
            l.add("ski_jacket", "Ski jacket", "outerwear", 1, "on the slopes", &["Jackets"], SizeKind::Tops);
            l.add(
                "thermals",
                "Thermal base layer",
                "clothing",
                3,
                "skiing all day",
                &["Thermal Tops", "Thermal Bottoms"],
                SizeKind::Tops,
            );
            l.add("gloves", "Gloves", "accessories", 1, "on the slopes", &["Gloves"], SizeKind::None);
        }
        if is("business") && !child {
            l.add(
                "formal_shirts",
                "Formal shirts",
                "occasion",
                formal_days.max(1),
                "a fresh shirt for each working day",
                &["Shirts"],
                SizeKind::Tops,
            );
            l.add(
                "formal_trousers",
                "Formal trousers",
                "occasion",
                formal_days.div_ceil(3).max(1),
                "meetings",
                &["Trousers"],
                SizeKind::Bottoms,
            );
            l.add("blazer", "Blazer", "occasion", 1, "meetings and dinners", &["Blazers"], SizeKind::Tops);
            l.add(
                "formal_shoes",
                "Formal shoes",
                "footwear",
                1,
                "with the business outfits",
                &["Formal Shoes"],
                SizeKind::Shoes,
            );
            if traveller.cut() == Some(Gender::Men) {
                l.add("tie", "Tie", "accessories", 2, "formal meetings", &["Ties"], SizeKind::None);
            }
            l.add(
                "laptop_bag",
                "Laptop bag",
                "accessories",
                1,
                "work on the road",
                &["Laptop Bag", "Backpacks"],
                SizeKind::None,
            );
        }
        if is("wedding") {
            // Indian weddings run over several functions: one outfit per function.
            let events = days.clamp(2, 5);
            let types: &[&str] = match traveller.cut() {
                Some(Gender::Women) | Some(Gender::Girls) => &["Kurtas", "Sarees", "Lehenga Choli", "Dresses"],
                Some(Gender::Men) | Some(Gender::Boys) => &["Kurtas", "Sherwani", "Nehru Jackets", "Suits"],
                _ => &["Kurtas", "Dresses", "Suits"],
            };
            l.add(
                "wedding_outfits",
                "Festive outfits",
                "occasion",
                events,
                format!("one outfit for each of about {events} wedding functions"),
                types,
                SizeKind::Tops,
            );
            l.add(
                "festive_shoes",
                "Festive footwear",
                "footwear",
                1,
                "with the wedding outfits",
                &["Heels", "Flats", "Formal Shoes", "Sandals"],
                SizeKind::Shoes,
            );
            if !child {
                l.add("gift_wrap", "Gift and cards", "essentials", 1, "for the couple", &[], SizeKind::None);
            }
        }
        if is("party") || is("festival") {
            l.add(
                "party_outfit",
                "Party outfit",
                "occasion",
                1 + u32::from(days > 4),
                "for the evening out",
                &["Dresses", "Shirts", "Kurtas"],
                SizeKind::Tops,
            );
        }
        l.add(
            "toiletries",
            "Toiletries kit",
            "toiletries",
            1,
            "toothbrush, paste, soap, shampoo, deodorant",
            &[],
            SizeKind::None,
        );
        if hot || is("beach") || is("trek") {
            l.add("sunscreen", "Sunscreen", "toiletries", 1 + days / 10, "strong sun", &[], SizeKind::None);
        }
        if child {
            let age = traveller.age.unwrap_or(5);
            l.add(
                "kids_snacks",
                "Snacks and a refillable bottle",
                "kids",
                1,
                "children get hungry between meals",
                &[],
                SizeKind::None,
            );
            l.add("kids_entertainment", "Books or a favourite toy", "kids", 1, "for travel time", &[], SizeKind::None);
            l.add(
                "kids_medicine",
                "Children's medicines",
                "kids",
                1,
                "fever and tummy upsets, sized for a child",
                &[],
                SizeKind::None,
            );
            if age < 3 {
                l.add("diapers", "Diapers", "kids", (days * 6).min(200), "about six a day", &[], SizeKind::None);
                l.add("wipes", "Wet wipes", "kids", days.div_ceil(5).max(1), "changes and spills", &[], SizeKind::None);
                l.add("baby_carrier", "Baby carrier", "kids", 1, "hands free in crowds", &[], SizeKind::None);
            }
        }
        travellers.push(TravellerPlan { traveller: traveller.clone(), lines });
    }

    let mut shared = Vec::new();
    let mut s = Lines { cut: None, out: &mut shared };
    s.add(
        "documents_pouch",
        "Travel documents pouch",
        "essentials",
        1,
        "passports or IDs, tickets and bookings in one place",
        &["Wallets", "Pouch"],
        SizeKind::None,
    );
    s.add(
        "chargers",
        "Phone chargers and a power bank",
        "essentials",
        1 + spec.travellers.len() as u32 / 3,
        "one charger for every few phones",
        &[],
        SizeKind::None,
    );
    s.add(
        "first_aid",
        "First-aid kit",
        "essentials",
        1,
        "plasters, pain relief, rehydration salts",
        &[],
        SizeKind::None,
    );
    if days > 2 {
        s.add("laundry_bag", "Laundry bag", "essentials", 1, "keep worn clothes apart", &[], SizeKind::None);
    }
    if spec.travellers.iter().any(Traveller::is_child) {
        s.add(
            "kids_wipes",
            "Hand sanitiser and tissues",
            "kids",
            1 + days / 7,
            "travelling with children",
            &[],
            SizeKind::None,
        );
    }

    Plan {
        destination: spec.destination.clone(),
        trip_type: spec.trip_type.clone(),
        duration_days: days,
        start_date: spec.start_date,
        climate: spec.climate.clone(),
        occasion: spec.occasion.clone(),
        laundry: spec.laundry,
        shared,
        travellers,
        notes,
        planner: "built_in".into(),
    }
}

#[cfg(test)]
#[path = "planner_tests.rs"]
mod tests;
