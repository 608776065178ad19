use super::*;

fn input(dest: &str, trip: &str, days: i64, climate: Option<&str>) -> TripInput {
    TripInput {
        destination: Some(dest.into()),
        trip_type: Some(trip.into()),
        duration_days: Some(days),
        start_date: Some("2026-12-20".into()),
        climate: climate.map(str::to_string),
        travellers: Some(TravellersInput::People(vec![
            PersonInput { name: Some("Asha".into()), age: Some(38), gender: Some("women".into()), user_id: None },
            PersonInput { name: Some("Ravi".into()), age: Some(40), gender: Some("men".into()), user_id: None },
            PersonInput { name: Some("Mia".into()), age: Some(2), gender: Some("girls".into()), user_id: None },
        ])),
        occasion: None,
        budget_minor: None,
        laundry: None,
    }
}

fn qty(plan: &Plan, who: usize, key: &str) -> u32 {
    plan.travellers[who].lines.iter().find(|l| l.key == key).map_or(0, |l| l.quantity)
}

fn planned(i: TripInput) -> Plan {
    match validate(&i, None) {
        Ok(spec) => plan(&spec),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn quantities_scale_with_duration_and_laundry() {
    let one = planned(input("Goa", "beach", 1, Some("hot")));
    let week = planned(input("Goa", "beach", 7, Some("hot")));
    let month = planned(input("Goa", "beach", 30, Some("hot")));
    assert_eq!(qty(&one, 0, "underwear"), 2);
    assert_eq!(qty(&week, 0, "underwear"), 8);
    assert_eq!(qty(&month, 0, "underwear"), 15);
    assert!(month.notes.iter().any(|n| n.contains("14 days")));
    let mut laundry = input("Goa", "beach", 30, Some("hot"));
    laundry.laundry = Some(true);
    let washed = planned(laundry);
    assert_eq!(qty(&washed, 0, "underwear"), 8);
    assert!(qty(&one, 0, "tops") <= qty(&week, 0, "tops"));
    // Every line says why.
    assert!(week.travellers.iter().flat_map(|t| &t.lines).all(|l| !l.reason.is_empty()));
}

#[test]
fn cold_hot_and_rainy_climates_change_the_layers() {
    let cold = planned(input("Reykjavik", "city", 5, Some("snowy")));
    assert_eq!(qty(&cold, 0, "jacket"), 1);
    assert!(qty(&cold, 0, "thermals") >= 2);
    assert_eq!(qty(&cold, 0, "boots"), 1);
    assert_eq!(qty(&cold, 0, "shorts"), 0);
    let hot = planned(input("Dubai", "city", 5, Some("hot")));
    assert!(qty(&hot, 0, "shorts") >= 1);
    assert_eq!(qty(&hot, 0, "jacket"), 0);
    assert_eq!(qty(&hot, 0, "sunglasses"), 1);
    let rainy = planned(input("Mumbai", "city", 5, Some("rainy")));
    assert_eq!(qty(&rainy, 1, "rain_jacket"), 1);
    assert_eq!(qty(&rainy, 1, "umbrella"), 1);
}

#[test]
fn climate_is_inferred_and_the_plan_says_how() {
    let mut i = input("Mumbai", "city", 4, None);
    i.start_date = Some("2026-07-10".into());
    let p = planned(i);
    assert!(p.climate.rainy);
    assert!(p.notes[0].contains("Mumbai") && p.notes[0].contains("July"));
    let unknown = planned(input("Atlantis", "city", 4, None));
    assert!(unknown.notes[0].contains("unknown climate"));
}

#[test]
fn kids_get_their_needs_and_kids_sizes() {
    let p = planned(input("Goa", "beach", 4, Some("hot")));
    assert_eq!(qty(&p, 2, "diapers"), 24);
    assert_eq!(qty(&p, 2, "kids_medicine"), 1);
    assert_eq!(qty(&p, 0, "diapers"), 0);
    let tops = p.travellers[2].lines.iter().find(|l| l.key == "tops").and_then(|l| l.query.clone());
    assert_eq!(tops.and_then(|q| q.gender), Some(Gender::Girls));
    assert!(p.shared.iter().any(|l| l.key == "documents_pouch"));
    assert!(p.shared.iter().any(|l| l.key == "kids_wipes"));
}

#[test]
fn occasions_add_their_outfits() {
    let wedding = planned(input("Jaipur", "wedding", 4, Some("warm")));
    assert_eq!(qty(&wedding, 0, "wedding_outfits"), 4);
    let q = wedding.travellers[0].lines.iter().find(|l| l.key == "wedding_outfits").and_then(|l| l.query.clone());
    assert!(q.is_some_and(|q| q.article_types.contains(&"Sarees".to_string())));
    let business = planned(input("Singapore", "business", 3, None));
    assert_eq!(qty(&business, 1, "formal_shirts"), 3);
    assert_eq!(qty(&business, 1, "tie"), 2);
    assert_eq!(qty(&business, 0, "tie"), 0);
    let trek = planned(input("Manali", "trek", 6, Some("cool")));
    assert_eq!(qty(&trek, 0, "hiking_boots"), 1);
    assert_eq!(qty(&trek, 0, "daypack"), 1);
    let beach = planned(input("Phuket", "beach", 7, None));
    assert_eq!(qty(&beach, 0, "swimwear"), 2);
    assert_eq!(qty(&beach, 0, "flip_flops"), 1);
}

fn fields(i: TripInput) -> Vec<String> {
    match validate(&i, None) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.into_iter().map(|f| f.field).collect(),
    }
}

#[test]
fn bad_input_is_reported_per_field() {
    assert_eq!(fields(input("Goa", "beach", -3, None)), ["duration_days"]);
    assert_eq!(fields(input("Goa", "beach", 10_000, None)), ["duration_days"]);
    assert_eq!(fields(input("Goa", "beach", 0, None)), ["duration_days"]);
    assert_eq!(fields(input("  ", "beach", 3, None)), ["destination"]);
    assert_eq!(fields(input("Goa", "moon landing", 3, None)), ["trip_type"]);
    assert_eq!(fields(input("Goa", "beach", 3, Some("lava"))), ["climate"]);
    let mut zero = input("Goa", "beach", 3, None);
    zero.travellers = Some(TravellersInput::Count(0));
    assert_eq!(fields(zero), ["travellers"]);
    let mut many = input("Goa", "beach", 3, None);
    many.travellers = Some(TravellersInput::Count(1000));
    assert_eq!(fields(many), ["travellers"]);
    let mut bad_person = input("Goa", "beach", 3, None);
    bad_person.travellers = Some(TravellersInput::People(vec![PersonInput {
        name: None,
        age: Some(300),
        gender: Some("robot".into()),
        user_id: None,
    }]));
    assert_eq!(fields(bad_person), ["travellers[0].age", "travellers[0].gender"]);
    let everything = TripInput { budget_minor: Some(-5), ..TripInput::default() };
    assert_eq!(fields(everything).len(), 5);
    assert!(check_budget(Some(100), Some(499)).is_err());
    assert!(check_budget(Some(1000), Some(499)).is_ok());
}

#[test]
fn count_of_travellers_plans_generic_people() {
    let mut i = input("Goa", "leisure", 3, Some("mild"));
    i.travellers = Some(TravellersInput::Count(4));
    let p = planned(i);
    assert_eq!(p.travellers.len(), 4);
    assert_eq!(p.travellers[3].traveller.name, "Traveller 4");
    assert_eq!(p.planner, "built_in");
}
