//! The index layout: which product attribute goes into which tantivy field,
//! the analyzers, and the one function that turns a `Product` into a
//! document. Nothing here reads or searches.

use domain::product::Product;
use tantivy::schema::{Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenizerManager,
};
use tantivy::{TantivyDocument, Term};

/// Analyzer of the full-text fields: words split on anything that is not a
/// letter or digit, lower-cased, accents folded to ASCII.
pub(crate) const TEXT_ANALYZER: &str = "fr_text";
/// Analyzer of the keyword fields: the whole value as one term, lower-cased
/// and folded, so that filters ignore case.
pub(crate) const KEYWORD_ANALYZER: &str = "fr_keyword";

/// Longest word kept by the text analyzer; longer "words" are noise.
const MAX_WORD_BYTES: usize = 40;

pub(crate) const F_ID: &str = "id";
pub(crate) const F_ID_HI: &str = "id_hi";
pub(crate) const F_ID_LO: &str = "id_lo";
pub(crate) const F_TITLE: &str = "title";
pub(crate) const F_BRAND_TEXT: &str = "brand_text";
pub(crate) const F_BODY: &str = "body";
pub(crate) const F_BRAND: &str = "brand";
pub(crate) const F_CATEGORY: &str = "category";
pub(crate) const F_GENDER: &str = "gender";
pub(crate) const F_COLOUR: &str = "colour";
pub(crate) const F_SIZE: &str = "size";
pub(crate) const F_PRICE: &str = "price";
pub(crate) const F_RATING: &str = "rating";
pub(crate) const F_CREATED: &str = "created";
pub(crate) const F_DISCOUNT: &str = "discount";

/// Rating stored for a product that has none: below every real rating.
pub(crate) const NO_RATING: i64 = -1;

/// Field handles of the schema.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub schema: Schema,
    pub id: Field,
    pub id_hi: Field,
    pub id_lo: Field,
    pub title: Field,
    pub brand_text: Field,
    pub body: Field,
    pub brand: Field,
    pub category: Field,
    pub gender: Field,
    pub colour: Field,
    pub size: Field,
    pub price: Field,
    pub rating: Field,
    pub created: Field,
    pub discount: Field,
}

impl Fields {
    pub fn build() -> Self {
        let mut builder = Schema::builder();
        // Only for deletes by id; results read the id from the two u64 fast
        // fields, which also give a cheap total order for tie-breaking.
        let id = builder.add_text_field(
            F_ID,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            ),
        );
        let fast = NumericOptions::default().set_fast();
        let id_hi = builder.add_u64_field(F_ID_HI, fast.clone());
        let id_lo = builder.add_u64_field(F_ID_LO, fast.clone());

        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(TEXT_ANALYZER).set_index_option(IndexRecordOption::WithFreqs),
        );
        let title = builder.add_text_field(F_TITLE, text.clone());
        let brand_text = builder.add_text_field(F_BRAND_TEXT, text.clone());
        let body = builder.add_text_field(F_BODY, text);

        // Indexed folded (for filters and suggestions), fast as written (for
        // facet values shown to people).
        let keyword = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(KEYWORD_ANALYZER)
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            )
            .set_fast(None);
        let brand = builder.add_text_field(F_BRAND, keyword.clone());
        let category = builder.add_text_field(F_CATEGORY, keyword.clone());
        let gender = builder.add_text_field(F_GENDER, keyword.clone());
        let colour = builder.add_text_field(F_COLOUR, keyword.clone());
        let size = builder.add_text_field(F_SIZE, keyword);

        let price = builder.add_i64_field(F_PRICE, fast.clone());
        let rating = builder.add_i64_field(F_RATING, fast.clone());
        let created = builder.add_i64_field(F_CREATED, fast.clone());
        let discount = builder.add_u64_field(F_DISCOUNT, fast);

        Self {
            schema: builder.build(),
            id,
            id_hi,
            id_lo,
            title,
            brand_text,
            body,
            brand,
            category,
            gender,
            colour,
            size,
            price,
            rating,
            created,
            discount,
        }
    }

    pub fn id_term(&self, id: domain::ProductId) -> Term {
        Term::from_field_text(self.id, &id.0.to_string())
    }

    pub fn document(&self, product: &Product) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        let id = product.id.0.as_u128();
        doc.add_text(self.id, product.id.0.to_string());
        doc.add_u64(self.id_hi, (id >> 64) as u64);
        doc.add_u64(self.id_lo, id as u64);

        doc.add_text(self.title, &product.title);
        doc.add_text(self.brand_text, &product.brand);
        let meta = &product.metadata;
        doc.add_text(self.body, &product.description);
        doc.add_text(self.body, &product.category);
        for part in &meta.category_path {
            doc.add_text(self.body, part);
        }
        for value in [&meta.article_type, &meta.colour, &meta.usage, &meta.season].into_iter().flatten() {
            doc.add_text(self.body, value);
        }
        for tag in &meta.tags {
            doc.add_text(self.body, tag);
        }

        add_keyword(&mut doc, self.brand, &product.brand);
        add_keyword(&mut doc, self.category, &product.category);
        if let Some(gender) = meta.gender {
            doc.add_text(self.gender, gender.as_str());
        }
        if let Some(colour) = &meta.colour {
            add_keyword(&mut doc, self.colour, colour);
        }
        let mut sizes: Vec<&str> = Vec::new();
        for size in meta.sizes.iter().filter(|s| s.stock > 0) {
            let name = size.size.trim();
            if !name.is_empty() && !sizes.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                sizes.push(name);
                doc.add_text(self.size, name);
            }
        }

        doc.add_i64(self.price, product.price.minor);
        doc.add_i64(self.rating, rating_hundredths(product.rating));
        doc.add_i64(self.created, created_micros(product));
        doc.add_u64(self.discount, u64::from(product.discount_percent()));
        doc
    }
}

fn add_keyword(doc: &mut TantivyDocument, field: Field, value: &str) {
    let value = value.trim();
    if !value.is_empty() {
        doc.add_text(field, value);
    }
}

/// Ratings are kept as integer hundredths so that a sort key and a cursor
/// never carry a float; 4.25 → 425.
pub(crate) fn rating_hundredths(rating: Option<f32>) -> i64 {
    match rating {
        Some(r) if r.is_finite() => (f64::from(r) * 100.0).round().clamp(0.0, 10_000.0) as i64,
        _ => NO_RATING,
    }
}

fn created_micros(product: &Product) -> i64 {
    let micros = product.created_at.unix_timestamp_nanos() / 1_000;
    micros.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

pub(crate) fn register_analyzers(manager: &TokenizerManager) {
    manager.register(
        TEXT_ANALYZER,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    manager.register(
        KEYWORD_ANALYZER,
        TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build(),
    );
}

/// The analyzers, kept outside any index so that query-side folding needs no
/// index handle and always matches index-side folding.
pub(crate) struct Analyzers {
    text: TextAnalyzer,
    keyword: TextAnalyzer,
}

impl Analyzers {
    pub fn new() -> Self {
        let manager = TokenizerManager::default();
        register_analyzers(&manager);
        // Both were just registered; the fallback keeps this total.
        let get = |name| manager.get(name).unwrap_or_else(|| TextAnalyzer::from(RawTokenizer::default()));
        Self { text: get(TEXT_ANALYZER), keyword: get(KEYWORD_ANALYZER) }
    }

    /// The words of `text` as the text fields index them.
    pub fn words(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.text.clone();
        let mut stream = analyzer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        words
    }

    /// `value` as the keyword fields index it.
    pub fn keyword(&self, value: &str) -> String {
        let mut analyzer = self.keyword.clone();
        let trimmed = value.trim();
        let mut stream = analyzer.token_stream(trimmed);
        let mut folded = String::new();
        while stream.advance() {
            folded.push_str(&stream.token().text);
        }
        folded
    }
}
