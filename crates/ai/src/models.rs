//! The recommenders behind one trait, and the engine that blends them, filters,
//! diversifies and explains.
//!
//! Shared models ([`ItemCf`], [`ContentModel`], [`Popularity`]) are built on a
//! schedule from interactions nobody is hidden from; per-viewer signals come
//! only through [`Context`], which wraps a [`Visible`] set.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use domain::product::{Gender, SizeStock};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::filters::{Filter, suits};
use crate::mmr;
use crate::signals::{Interaction, Visible, user_item_weights};

/// What a model knows about a product.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemFeatures {
    pub id: Uuid,
    pub title: String,
    pub brand: Option<String>,
    pub article_type: Option<String>,
    pub category_path: Vec<String>,
    pub colour: Option<String>,
    pub gender: Option<Gender>,
    pub season: Option<String>,
    pub usage: Option<String>,
    pub tags: Vec<String>,
    pub price_minor: i64,
    pub sizes: Vec<SizeStock>,
}

impl ItemFeatures {
    /// "the Roadster denim jacket": brand and title, for reasons.
    pub fn label(&self) -> String {
        match &self.brand {
            Some(b) if !self.title.to_ascii_lowercase().starts_with(&b.to_ascii_lowercase()) => {
                format!("the {b} {}", self.title)
            }
            _ => format!("the {}", self.title),
        }
    }
}

/// The kinds of list of the recommendations table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecType {
    TrendingInRoom,
    ForMember,
    SimilarItems,
    CompleteTheLook,
    Trip,
}

impl RecType {
    pub const ALL: [RecType; 5] =
        [Self::TrendingInRoom, Self::ForMember, Self::SimilarItems, Self::CompleteTheLook, Self::Trip];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TrendingInRoom => "trending_in_room",
            Self::ForMember => "for_member",
            Self::SimilarItems => "similar_items",
            Self::CompleteTheLook => "complete_the_look",
            Self::Trip => "trip",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "trending_in_room" => Ok(Self::TrendingInRoom),
            "for_member" => Ok(Self::ForMember),
            "similar_items" => Ok(Self::SimilarItems),
            "complete_the_look" => Ok(Self::CompleteTheLook),
            "trip" => Ok(Self::Trip),
            _ => Err("must be one of trending_in_room, for_member, similar_items, complete_the_look, trip".into()),
        }
    }
}

/// A model's proposal for one product.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub item: Uuid,
    pub score: f32,
    pub kind: RecType,
    pub reason: String,
}

/// What a model may use to recommend to one viewer.
pub struct Context<'a> {
    pub visible: &'a Visible,
    /// Display names of the room's members, for reasons.
    pub names: &'a HashMap<Uuid, String>,
    pub catalog: &'a HashMap<Uuid, ItemFeatures>,
    pub now: OffsetDateTime,
    pub gender: Option<Gender>,
    pub age: Option<u8>,
    /// The viewer's own net interest per item (decayed), strongest first.
    pub history: Vec<(Uuid, f32)>,
}

impl<'a> Context<'a> {
    pub fn new(
        visible: &'a Visible,
        names: &'a HashMap<Uuid, String>,
        catalog: &'a HashMap<Uuid, ItemFeatures>,
        now: OffsetDateTime,
    ) -> Self {
        let mut history: Vec<(Uuid, f32)> =
            user_item_weights(visible.own(), now).remove(&visible.viewer()).unwrap_or_default().into_iter().collect();
        history.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        history.truncate(50);
        Self { visible, names, catalog, now, gender: None, age: None, history }
    }

    /// A context for a bare list of seed items (offline evaluation, "similar to this").
    pub fn from_seeds(
        visible: &'a Visible,
        names: &'a HashMap<Uuid, String>,
        catalog: &'a HashMap<Uuid, ItemFeatures>,
        now: OffsetDateTime,
        seeds: Vec<(Uuid, f32)>,
    ) -> Self {
        Self { visible, names, catalog, now, gender: None, age: None, history: seeds }
    }

    fn label(&self, item: Uuid) -> String {
        self.catalog.get(&item).map(ItemFeatures::label).unwrap_or_else(|| "an item".into())
    }
}

/// One recommendation model.
pub trait Recommender: Send + Sync {
    fn name(&self) -> &'static str;
    /// Up to `k` scored candidates with a reason each; higher is better.
    fn candidates(&self, ctx: &Context<'_>, k: usize) -> Vec<Candidate>;
}

/// Precomputed top-k neighbour lists: item → [(neighbour, similarity)].
#[derive(Debug, Clone, Default)]
pub struct Neighbours(HashMap<Uuid, Vec<(Uuid, f32)>>);

impl Neighbours {
    pub fn of(&self, item: &Uuid) -> &[(Uuid, f32)] {
        self.0.get(item).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Scores items by their neighbours of the seeds; remembers the strongest seed for the reason.
fn spread(ctx: &Context<'_>, nb: &Neighbours, k: usize) -> Vec<(Uuid, f32, Uuid)> {
    let seeds: HashSet<Uuid> = ctx.history.iter().map(|h| h.0).collect();
    let mut acc: HashMap<Uuid, (f32, Uuid, f32)> = HashMap::new();
    for (seed, w) in &ctx.history {
        for (other, sim) in nb.of(seed) {
            if seeds.contains(other) {
                continue;
            }
            let contribution = w * sim;
            let entry = acc.entry(*other).or_insert((0.0, *seed, 0.0));
            entry.0 += contribution;
            if contribution > entry.2 {
                entry.1 = *seed;
                entry.2 = contribution;
            }
        }
    }
    let mut out: Vec<(Uuid, f32, Uuid)> = acc.into_iter().map(|(i, (s, seed, _))| (i, s, seed)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out.truncate(k);
    out
}

fn same_type(catalog: &HashMap<Uuid, ItemFeatures>, a: &Uuid, b: &Uuid) -> bool {
    match (catalog.get(a).and_then(|x| x.article_type.as_ref()), catalog.get(b).and_then(|x| x.article_type.as_ref())) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => false,
    }
}

/// The asymmetric cosine's default exponent, tuned on the H&M sample (see docs/benchmarks.md).
pub const DEFAULT_ALPHA: f32 = 0.0;

/// Item-to-item collaborative filtering: cosine similarity of items over the
/// members who engaged with both, weighted and time-decayed.
#[derive(Debug, Clone, Default)]
pub struct ItemCf {
    pub neighbours: Neighbours,
}

impl ItemCf {
    /// Builds the neighbour lists (top `k` per item) from interactions nobody
    /// is hidden from; restricted ones are skipped.
    pub fn build<'a>(interactions: impl IntoIterator<Item = &'a Interaction>, now: OffsetDateTime, k: usize) -> Self {
        Self::build_with(interactions, now, k, DEFAULT_ALPHA)
    }

    /// As [`ItemCf::build`], with the asymmetric normalisation
    /// `co(i, j) / (|i|^(1-alpha) · |j|^alpha)`: 0.5 is cosine; lower values
    /// let items many people chose rank higher among a seed's neighbours.
    pub fn build_with<'a>(
        interactions: impl IntoIterator<Item = &'a Interaction>,
        now: OffsetDateTime,
        k: usize,
        alpha: f32,
    ) -> Self {
        let users = user_item_weights(interactions.into_iter().filter(|i| !i.restricted), now);
        let mut index: HashMap<Uuid, u32> = HashMap::new();
        let mut ids: Vec<Uuid> = Vec::new();
        let mut norms: Vec<f32> = Vec::new();
        let mut baskets: Vec<Vec<(u32, f32)>> = Vec::with_capacity(users.len());
        for items in users.values() {
            let mut basket: Vec<(u32, f32)> = items
                .iter()
                .map(|(item, w)| {
                    let at = *index.entry(*item).or_insert_with(|| {
                        ids.push(*item);
                        norms.push(0.0);
                        (ids.len() - 1) as u32
                    });
                    (at, *w)
                })
                .collect();
            // Bound the quadratic pair count of very active members.
            basket.sort_by(|a, b| b.1.total_cmp(&a.1));
            basket.truncate(100);
            for (at, w) in &basket {
                norms[*at as usize] += w * w;
            }
            baskets.push(basket);
        }
        let mut co: Vec<HashMap<u32, f32>> = vec![HashMap::new(); ids.len()];
        for basket in &baskets {
            for (a, wa) in basket {
                for (b, wb) in basket {
                    if a != b {
                        *co[*a as usize].entry(*b).or_insert(0.0) += wa * wb;
                    }
                }
            }
        }
        let mut lists = HashMap::with_capacity(ids.len());
        for (a, row) in co.into_iter().enumerate() {
            if row.is_empty() {
                continue;
            }
            let na = norms[a].sqrt().powf(2.0 * (1.0 - alpha));
            let mut list: Vec<(Uuid, f32)> = row
                .into_iter()
                .map(|(b, dot)| (ids[b as usize], dot / (na * norms[b as usize].sqrt().powf(2.0 * alpha)).max(1e-9)))
                .collect();
            keep_top(&mut list, k);
            lists.insert(ids[a], list);
        }
        Self { neighbours: Neighbours(lists) }
    }
}

impl Recommender for ItemCf {
    fn name(&self) -> &'static str {
        "item_cf"
    }

    fn candidates(&self, ctx: &Context<'_>, k: usize) -> Vec<Candidate> {
        spread(ctx, &self.neighbours, k)
            .into_iter()
            .map(|(item, score, seed)| {
                let (kind, reason) = if same_type(ctx.catalog, &item, &seed) {
                    (RecType::SimilarItems, format!("Families who chose {} also chose this", ctx.label(seed)))
                } else {
                    (RecType::CompleteTheLook, format!("Often bought together with {}", ctx.label(seed)))
                };
                Candidate { item, score, kind, reason }
            })
            .collect()
    }
}

/// Content similarity over product attributes and title words (TF-IDF,
/// cosine), for new products and new members.
#[derive(Debug, Clone, Default)]
pub struct ContentModel {
    pub neighbours: Neighbours,
}

fn tokens(item: &ItemFeatures) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = Vec::new();
    let mut push = |prefix: &str, value: &str, weight: f32| {
        let v = value.trim().to_ascii_lowercase();
        if !v.is_empty() {
            out.push((format!("{prefix}:{v}"), weight));
        }
    };
    if let Some(t) = &item.article_type {
        push("type", t, 3.0);
    }
    for (depth, c) in item.category_path.iter().enumerate() {
        push("cat", c, 1.0 + depth as f32 * 0.5);
    }
    if let Some(c) = &item.colour {
        push("colour", c, 1.0);
    }
    if let Some(b) = &item.brand {
        push("brand", b, 1.5);
    }
    if let Some(g) = item.gender {
        push("gender", g.as_str(), 1.0);
    }
    if let Some(s) = &item.season {
        push("season", s, 0.5);
    }
    if let Some(u) = &item.usage {
        push("usage", u, 1.0);
    }
    for t in &item.tags {
        push("tag", t, 0.7);
    }
    for word in item.title.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2) {
        push("w", word, 1.0);
    }
    out
}

/// Keeps the `k` best neighbours, best first (ties by id), and frees the
/// rest: a list lives as long as its model, and without the shrink it would
/// keep the capacity of every candidate it was chosen from (gigabytes over
/// 100,000 products).
fn keep_top(list: &mut Vec<(Uuid, f32)>, k: usize) {
    let by_score = |a: &(Uuid, f32), b: &(Uuid, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if list.len() > k {
        if k > 0 {
            list.select_nth_unstable_by(k - 1, by_score);
        }
        list.truncate(k);
    }
    list.sort_by(by_score);
    list.shrink_to_fit();
}

/// Terms in more documents than this are left out of the content model's
/// inverted index (a brand or a colour of a big catalog).
const MAX_POSTING: usize = 5_000;

impl ContentModel {
    /// Builds top-`k` neighbour lists over the catalog.
    pub fn build(catalog: &HashMap<Uuid, ItemFeatures>, k: usize) -> Self {
        let mut items: Vec<&ItemFeatures> = catalog.values().collect();
        items.sort_by_key(|i| i.id);
        let n = items.len().max(1) as f32;
        let raw: Vec<Vec<(String, f32)>> = items.iter().map(|i| tokens(i)).collect();
        let mut df: HashMap<&str, u32> = HashMap::new();
        for toks in &raw {
            let unique: HashSet<&str> = toks.iter().map(|t| t.0.as_str()).collect();
            for t in unique {
                *df.entry(t).or_insert(0) += 1;
            }
        }
        let mut vocab: HashMap<&str, u32> = HashMap::new();
        let vectors: Vec<Vec<(u32, f32)>> = raw
            .iter()
            .map(|toks| {
                let mut v: HashMap<u32, f32> = HashMap::new();
                for (t, w) in toks {
                    let idf = (n / df.get(t.as_str()).copied().unwrap_or(1) as f32).ln() + 1.0;
                    let next = vocab.len() as u32;
                    let id = *vocab.entry(t.as_str()).or_insert(next);
                    *v.entry(id).or_insert(0.0) += w * idf;
                }
                let norm = v.values().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
                v.into_iter().map(|(id, x)| (id, x / norm)).collect()
            })
            .collect();
        // Inverted index without the commonest terms: they add little and
        // cost a lot. The absolute bound keeps a big catalog's build linear
        // in its size instead of quadratic.
        let cap = ((n * 0.3) as usize).clamp(50, MAX_POSTING);
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocab.len()];
        for (doc, v) in vectors.iter().enumerate() {
            for (term, x) in v {
                postings[*term as usize].push((doc as u32, *x));
            }
        }
        let mut lists = HashMap::with_capacity(items.len());
        let mut acc: Vec<f32> = vec![0.0; items.len()];
        let mut touched: Vec<u32> = Vec::new();
        for (doc, v) in vectors.iter().enumerate() {
            for (term, x) in v {
                let posting = &postings[*term as usize];
                if posting.len() > cap {
                    continue;
                }
                for (other, y) in posting {
                    if *other as usize == doc {
                        continue;
                    }
                    if acc[*other as usize] == 0.0 {
                        touched.push(*other);
                    }
                    acc[*other as usize] += x * y;
                }
            }
            let mut list: Vec<(Uuid, f32)> =
                touched.iter().map(|o| (items[*o as usize].id, acc[*o as usize])).collect();
            for o in touched.drain(..) {
                acc[o as usize] = 0.0;
            }
            keep_top(&mut list, k);
            lists.insert(items[doc].id, list);
        }
        Self { neighbours: Neighbours(lists) }
    }
}

impl Recommender for ContentModel {
    fn name(&self) -> &'static str {
        "content"
    }

    fn candidates(&self, ctx: &Context<'_>, k: usize) -> Vec<Candidate> {
        spread(ctx, &self.neighbours, k)
            .into_iter()
            .map(|(item, score, seed)| Candidate {
                item,
                score,
                kind: RecType::SimilarItems,
                reason: format!("Similar to {}", ctx.label(seed)),
            })
            .collect()
    }
}

/// Popularity by segment (the item's cut: men, women, boys, girls), decayed:
/// the fallback when nothing else knows the viewer.
#[derive(Debug, Clone, Default)]
pub struct Popularity {
    ranked: Vec<(Uuid, f32)>,
}

impl Popularity {
    pub fn build<'a>(interactions: impl IntoIterator<Item = &'a Interaction>, now: OffsetDateTime) -> Self {
        let mut score: HashMap<Uuid, f32> = HashMap::new();
        for items in user_item_weights(interactions.into_iter().filter(|i| !i.restricted), now).into_values() {
            for (item, w) in items {
                // Each member counts once per item, capped, so one heavy user cannot make a trend.
                *score.entry(item).or_insert(0.0) += w.min(10.0);
            }
        }
        let mut ranked: Vec<(Uuid, f32)> = score.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Self { ranked }
    }

    /// Every item with its score, most popular first.
    pub fn ranked(&self) -> &[(Uuid, f32)] {
        &self.ranked
    }
}

impl Recommender for Popularity {
    fn name(&self) -> &'static str {
        "popularity"
    }

    fn candidates(&self, ctx: &Context<'_>, k: usize) -> Vec<Candidate> {
        let segment = match (ctx.gender, ctx.age) {
            (_, Some(a)) if a < 13 => "kids",
            (Some(Gender::Men), _) => "men",
            (Some(Gender::Women), _) => "women",
            _ => "families",
        };
        let seeds: HashSet<Uuid> = ctx.history.iter().map(|h| h.0).collect();
        self.ranked
            .iter()
            .filter(|(item, _)| !seeds.contains(item))
            .filter(|(item, _)| suits(ctx.catalog.get(item).and_then(|i| i.gender), ctx.gender, ctx.age))
            .take(k)
            .map(|(item, score)| Candidate {
                item: *item,
                score: *score,
                kind: RecType::ForMember,
                reason: format!("Popular with {segment} right now"),
            })
            .collect()
    }
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => "Your family".into(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Family blending: what the other members of the room engage with, and what
/// goes with it, explained by who did it. Sees only the viewer's visible set.
#[derive(Debug, Clone, Default)]
pub struct FamilyModel {
    pub cf: Arc<ItemCf>,
}

impl Recommender for FamilyModel {
    fn name(&self) -> &'static str {
        "family"
    }

    fn candidates(&self, ctx: &Context<'_>, k: usize) -> Vec<Candidate> {
        let weights = user_item_weights(ctx.visible.others(), ctx.now);
        let mut per_item: HashMap<Uuid, (f32, Vec<Uuid>)> = HashMap::new();
        for (user, items) in &weights {
            for (item, w) in items {
                let e = per_item.entry(*item).or_insert((0.0, Vec::new()));
                e.0 += w;
                e.1.push(*user);
            }
        }
        let own: HashSet<Uuid> = ctx.history.iter().map(|h| h.0).collect();
        let name_list = |users: &[Uuid]| {
            let mut names: Vec<String> =
                users.iter().map(|u| ctx.names.get(u).cloned().unwrap_or_else(|| "A family member".into())).collect();
            names.sort();
            join_names(&names)
        };
        let mut out: Vec<Candidate> = Vec::new();
        let mut liked: Vec<(&Uuid, &(f32, Vec<Uuid>))> = per_item.iter().collect();
        liked.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then(a.0.cmp(b.0)));
        for (item, (score, users)) in liked.iter().take(k) {
            if !own.contains(item) {
                let who = name_list(users);
                let verb = if users.len() > 1 { "all engaged with" } else { "is looking at" };
                let reason =
                    if users.len() == 2 { format!("{who} both like this") } else { format!("{who} {verb} this") };
                out.push(Candidate { item: **item, score: *score, kind: RecType::TrendingInRoom, reason });
            }
            for (other, sim) in self.cf.neighbours.of(item).iter().take(10) {
                if own.contains(other) || per_item.contains_key(other) {
                    continue;
                }
                let who = name_list(users);
                let both = if users.len() == 2 { " both" } else { "" };
                out.push(Candidate {
                    item: *other,
                    score: score * sim,
                    kind: RecType::ForMember,
                    reason: format!("Because {who}{both} liked {}", ctx.label(**item)),
                });
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.item.cmp(&b.item)));
        let mut seen = HashSet::new();
        out.retain(|c| seen.insert(c.item));
        out.truncate(k);
        out
    }
}

/// A finished recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub product_id: Uuid,
    pub score: f32,
    #[serde(rename = "type")]
    pub kind: RecType,
    pub reason: String,
    pub model: &'static str,
}

/// Blends weighted models, filters, diversifies and keeps the best reason.
pub struct Engine {
    pub models: Vec<(Arc<dyn Recommender>, f32)>,
    /// MMR trade-off: 1.0 is pure relevance.
    pub lambda: f32,
}

impl Engine {
    /// The usual blend: family first, then co-interactions, content for cold start, popularity last.
    pub fn standard(cf: Arc<ItemCf>, content: Arc<ContentModel>, popularity: Arc<Popularity>) -> Self {
        let family = Arc::new(FamilyModel { cf: cf.clone() });
        Self { models: vec![(family, 1.0), (cf, 0.9), (content, 0.5), (popularity, 0.2)], lambda: 0.7 }
    }

    /// The list for one viewer, built only from what `ctx.visible` holds.
    pub fn recommend_for(
        &self,
        ctx: &Context<'_>,
        filter: &Filter,
        kind: Option<RecType>,
        k: usize,
    ) -> Vec<Recommendation> {
        let mut merged: HashMap<Uuid, (f32, f32, Candidate, &'static str)> = HashMap::new();
        for (model, weight) in &self.models {
            let cands = model.candidates(ctx, k * 8);
            let max = cands.iter().map(|c| c.score).fold(0.0f32, f32::max);
            if max <= 0.0 {
                continue;
            }
            for c in cands {
                if kind.is_some_and(|k| k != c.kind) {
                    continue;
                }
                let part = weight * c.score / max;
                let name = model.name();
                let e = merged.entry(c.item).or_insert((0.0, 0.0, c.clone(), name));
                e.0 += part;
                if part > e.1 {
                    e.1 = part;
                    e.2 = c;
                    e.3 = name;
                }
            }
        }
        let mut pool: Vec<(Uuid, f32)> = merged
            .iter()
            .filter(|(item, _)| ctx.catalog.get(item).is_some_and(|i| filter.allows(i)))
            .map(|(item, e)| (*item, e.0))
            .collect();
        pool.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        pool.truncate(k * 5);
        mmr::select(&pool, ctx.catalog, k, self.lambda)
            .into_iter()
            .filter_map(|(item, score)| {
                merged.get(&item).map(|e| Recommendation {
                    product_id: item,
                    score,
                    kind: e.2.kind,
                    reason: e.2.reason.clone(),
                    model: e.3,
                })
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "models_tests.rs"]
mod tests;
