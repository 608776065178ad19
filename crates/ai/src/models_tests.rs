use super::*;
use crate::signals::Signal;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn now() -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000)
}

fn item(n: u128, title: &str, brand: &str, article_type: &str, gender: Gender) -> ItemFeatures {
    ItemFeatures {
        id: id(n),
        title: title.into(),
        brand: Some(brand.into()),
        article_type: Some(article_type.into()),
        category_path: vec!["Apparel".into()],
        colour: Some("Blue".into()),
        gender: Some(gender),
        price_minor: 1000,
        ..ItemFeatures::default()
    }
}

fn catalog() -> HashMap<Uuid, ItemFeatures> {
    [
        item(1, "denim jacket", "Roadster", "Jackets", Gender::Women),
        item(2, "white sneakers", "Puma", "Casual Shoes", Gender::Women),
        item(3, "denim jeans", "Roadster", "Jeans", Gender::Women),
        item(4, "denim jacket washed", "Roadster", "Jackets", Gender::Women),
        item(5, "silk saree", "Fabindia", "Sarees", Gender::Women),
        item(6, "gift watch", "Titan", "Watches", Gender::Men),
        item(7, "kids tee", "Gini", "Tshirts", Gender::Girls),
    ]
    .into_iter()
    .map(|i| (i.id, i))
    .collect()
}

fn like(user: u128, item: u128) -> Interaction {
    Interaction { user: id(user), item: id(item), signal: Signal::Like, at: now(), restricted: false }
}

fn names() -> HashMap<Uuid, String> {
    [(id(100), "Asha".to_string()), (id(101), "Ravi".to_string()), (id(102), "Meera".to_string())].into_iter().collect()
}

#[test]
fn item_cf_finds_co_interacted_items() {
    let log = vec![like(1, 1), like(1, 2), like(2, 1), like(2, 2), like(3, 1), like(3, 3), like(4, 5)];
    let cf = ItemCf::build(&log, now(), 10);
    let nb = cf.neighbours.of(&id(1));
    assert_eq!(nb[0].0, id(2));
    assert!(nb[0].1 > nb[1].1);
    assert!(cf.neighbours.of(&id(5)).is_empty());
    let visible = Visible::filter(id(9), &[like(9, 1)], |_, _| true);
    let (n, c) = (names(), catalog());
    let ctx = Context::new(&visible, &n, &c, now());
    let cands = cf.candidates(&ctx, 5);
    assert_eq!(cands[0].item, id(2));
    assert_eq!(cands[0].kind, RecType::CompleteTheLook);
    assert!(cands[0].reason.contains("Roadster denim jacket"), "{}", cands[0].reason);
}

#[test]
fn restricted_interactions_never_enter_shared_models() {
    let mut secret = like(1, 6);
    secret.restricted = true;
    let mut secret2 = like(1, 1);
    secret2.restricted = true;
    let log = vec![secret, secret2, like(2, 2)];
    let cf = ItemCf::build(&log, now(), 10);
    assert!(cf.neighbours.of(&id(1)).is_empty());
    let pop = Popularity::build(&log, now());
    assert!(pop.ranked.iter().all(|(i, _)| *i != id(6)));
}

#[test]
fn content_model_finds_near_items_for_cold_start() {
    let c = catalog();
    let content = ContentModel::build(&c, 5);
    assert_eq!(content.neighbours.of(&id(1))[0].0, id(4));
}

#[test]
fn popularity_respects_segment() {
    let log = vec![like(1, 6), like(2, 6), like(3, 6), like(1, 2)];
    let pop = Popularity::build(&log, now());
    let visible = Visible::filter(id(9), &[], |_, _| true);
    let (n, c) = (names(), catalog());
    let mut ctx = Context::new(&visible, &n, &c, now());
    ctx.gender = Some(Gender::Women);
    let cands = pop.candidates(&ctx, 5);
    assert_eq!(cands.len(), 1);
    assert_eq!(cands[0].item, id(2));
    assert!(cands[0].reason.contains("women"));
}

#[test]
fn family_blend_names_who_liked_it() {
    let log = vec![like(50, 1), like(50, 3), like(51, 1), like(51, 3), like(52, 1), like(52, 2)];
    let cf = Arc::new(ItemCf::build(&log, now(), 10));
    let room = vec![like(100, 1), like(101, 1)];
    let visible = Visible::filter(id(102), &room, |_, _| true);
    let (n, c) = (names(), catalog());
    let ctx = Context::new(&visible, &n, &c, now());
    let fam = FamilyModel { cf: cf.clone() };
    let cands = fam.candidates(&ctx, 10);
    let trending = cands.iter().find(|x| x.item == id(1)).map(|x| x.reason.clone());
    assert_eq!(trending.as_deref(), Some("Asha and Ravi both like this"));
    let jeans = cands.iter().find(|x| x.item == id(3)).map(|x| x.reason.clone());
    assert_eq!(jeans.as_deref(), Some("Because Asha and Ravi both liked the Roadster denim jacket"));
}

/// The rooms issue's three members: Asha shops secretly for Ravi's gift
/// (a watch) with Meera. Ravi's list must be identical to the list he gets
/// when the secret activity never happened.
#[test]
fn secret_activity_does_not_shape_the_hidden_members_list() {
    let (asha, ravi, meera) = (100, 101, 102);
    let public = vec![like(50, 6), like(50, 2), like(51, 6), like(51, 2), like(asha, 2), like(meera, 3)];
    let mut secret = vec![
        Interaction { user: id(asha), item: id(6), signal: Signal::CartAdd, at: now(), restricted: true },
        Interaction { user: id(asha), item: id(4), signal: Signal::Like, at: now(), restricted: true },
    ];
    let mut all = public.clone();
    all.append(&mut secret);
    // Hidden from Ravi: the secret ones. Meera may see them.
    let may_see = |viewer: Uuid, i: &Interaction| !i.restricted || viewer != id(ravi);
    let (n, c) = (names(), catalog());
    let build = |log: &[Interaction]| {
        Engine::standard(
            Arc::new(ItemCf::build(log, now(), 20)),
            Arc::new(ContentModel::build(&c, 20)),
            Arc::new(Popularity::build(log, now())),
        )
    };
    let filter = Filter::default();
    // The room's own log is what the app hands to `Visible`; shared models see every room.
    let room =
        |log: &[Interaction]| -> Vec<Interaction> { log.iter().filter(|i| i.user.as_u128() >= 100).cloned().collect() };
    let with_secret = {
        let visible = Visible::filter(id(ravi), &room(&all), may_see);
        let ctx = Context::new(&visible, &n, &c, now());
        build(&all).recommend_for(&ctx, &filter, None, 5)
    };
    let without = {
        let visible = Visible::filter(id(ravi), &room(&public), may_see);
        let ctx = Context::new(&visible, &n, &c, now());
        build(&public).recommend_for(&ctx, &filter, None, 5)
    };
    assert_eq!(with_secret, without);
    assert!(with_secret.iter().all(|r| !r.reason.contains("added to the cart")));
    // Meera, who is in on it, sees the gift trending.
    let visible = Visible::filter(id(meera), &room(&all), may_see);
    let ctx = Context::new(&visible, &n, &c, now());
    let hers = build(&all).recommend_for(&ctx, &filter, Some(RecType::TrendingInRoom), 5);
    assert!(hers.iter().any(|r| r.product_id == id(6)), "{hers:?}");
}

#[test]
fn engine_filters_and_diversifies() {
    let log: Vec<Interaction> =
        (0..5).flat_map(|u| [like(u, 1), like(u, 2), like(u, 3), like(u, 4), like(u, 6)]).collect();
    let (n, c) = (names(), catalog());
    let engine = Engine::standard(
        Arc::new(ItemCf::build(&log, now(), 20)),
        Arc::new(ContentModel::build(&c, 20)),
        Arc::new(Popularity::build(&log, now())),
    );
    let visible = Visible::filter(id(100), &[like(100, 1)], |_, _| true);
    let mut ctx = Context::new(&visible, &n, &c, now());
    ctx.gender = Some(Gender::Women);
    let filter = Filter { gender: Some(Gender::Women), age: Some(30), budget_minor: Some(5000), ..Filter::default() };
    let recs = engine.recommend_for(&ctx, &filter, None, 3);
    assert_eq!(recs.len(), 3);
    // The men's watch and the girls' tee are filtered; the seed is not repeated.
    assert!(recs.iter().all(|r| r.product_id != id(6) && r.product_id != id(7) && r.product_id != id(1)));
    assert!(recs.iter().all(|r| !r.reason.is_empty()));
    let mut types: Vec<&str> = recs.iter().filter_map(|r| c.get(&r.product_id)?.article_type.as_deref()).collect();
    types.dedup();
    assert!(types.len() >= 2);
}

#[test]
fn every_list_type_round_trips_through_its_name() {
    for kind in RecType::ALL {
        assert_eq!(RecType::parse(kind.as_str()), Ok(kind));
    }
}
