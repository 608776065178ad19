//! The two backends' migration trees must stay in step: the same versions
//! with the same names, so a schema change is never made on one only.

use store::{Backend, migration_versions};

#[test]
fn both_backends_ship_the_same_migration_versions() {
    let sqlite = migration_versions(Backend::Sqlite);
    let postgres = migration_versions(Backend::Postgres);
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres have drifted apart");
}
