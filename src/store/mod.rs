//! SQLite persistence through sqlx: migrations run at start-up, WAL, foreign keys and
//! `synchronous=FULL` so a trainer told "saved" never loses the entry.

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot migrate database {path}: {source}")]
    Migrate {
        path: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// The connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: sqlx::SqlitePool,
}
