//! Fixtures shared by the store's test binaries (each uses some of them).
#![allow(dead_code)]

use domain::{
    ActivityId, ProductId, RoomId, UserId, activity::ActionType, money::Money, product::Product, visibility::Visibility,
};
use store::{AuthorState, NewActivity, NewProduct, NewRoom, NewUser, Store, StoreError};

/// Message `n` by `user` in `room`, carrying the author's membership as the
/// caller saw it when `author` is given.
pub fn message(room: RoomId, user: UserId, author: Option<&AuthorState>, n: usize) -> NewActivity {
    NewActivity {
        id: ActivityId::new(),
        room_id: room,
        user_id: user,
        product_id: None,
        action_type: ActionType::Message,
        message: Some(format!("message {n}")),
        visibility: Visibility::Everyone,
        metadata: serde_json::json!({ "n": n }),
        at: domain::clock::now(),
        author_as_of: author.cloned(),
    }
}

/// The `joined` activity a join by invite code appends.
pub fn joined(room: RoomId, user: UserId) -> NewActivity {
    NewActivity {
        id: ActivityId::new(),
        room_id: room,
        user_id: user,
        product_id: None,
        action_type: ActionType::Joined,
        message: None,
        visibility: Visibility::Everyone,
        metadata: serde_json::json!({}),
        at: domain::clock::now(),
        author_as_of: None,
    }
}

/// A product whose SKU is `{prefix}-{n}`, created now.
pub fn product(prefix: &str, n: usize) -> NewProduct {
    let at = domain::clock::now();
    NewProduct {
        product: Product {
            id: ProductId::new(),
            sku: format!("{prefix}-{n:05}"),
            title: format!("Product {n}"),
            brand: "Brand".into(),
            category: "Shirts".into(),
            price: Money::inr(10_000),
            original_price: Money::inr(10_000),
            images: Vec::new(),
            description: String::new(),
            rating: None,
            reviews: 0,
            metadata: Default::default(),
            created_at: at,
            updated_at: at,
        },
        content_hash: n as u64,
    }
}

/// A store on the test backend: SQLite in `dir` by default, a fresh
/// PostgreSQL database with `FAMILYROOM_TEST_DATABASE=postgres`.
pub async fn open_test_store(
    dir: &std::path::Path,
) -> Result<std::sync::Arc<dyn store::Store>, Box<dyn std::error::Error>> {
    let url = match std::env::var("FAMILYROOM_TEST_DATABASE").as_deref() {
        Ok("postgres") => {
            use sqlx::Connection;
            let admin = std::env::var("FAMILYROOM_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
            let name = format!("fr_test_{}", uuid::Uuid::new_v4().simple());
            let mut connection = sqlx::PgConnection::connect(&format!("{admin}/postgres")).await?;
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await?;
            Some(format!("{admin}/{name}"))
        }
        _ => None,
    };
    Ok(store::open(store::StoreOptions { url: url.as_deref(), data_dir: dir, max_connections: 4 }).await?)
}

/// Registers one user per name; their ids in the same order.
pub async fn users(store: &dyn Store, names: &[&str]) -> Result<Vec<UserId>, StoreError> {
    let at = domain::clock::now();
    let mut users = Vec::new();
    for name in names {
        let id = UserId::new();
        let email = format!("{}-{}@example.com", name.to_lowercase(), id.0.simple());
        store
            .create_user(NewUser {
                id,
                name: (*name).into(),
                email: email.clone(),
                email_normalized: email,
                password_hash: "x".into(),
                at,
            })
            .await?;
        users.push(id);
    }
    Ok(users)
}

/// A private room owned by `owner`, its only member.
pub async fn room(store: &dyn Store, owner: UserId, name: &str) -> Result<RoomId, StoreError> {
    Ok(store
        .create_room(NewRoom {
            id: RoomId::new(),
            name: name.into(),
            owner_id: owner,
            visibility: "private".into(),
            invite_code: format!("room{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
            at: domain::clock::now(),
        })
        .await?
        .id)
}
