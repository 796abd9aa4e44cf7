//! SQLite persistence through sqlx: migrations run at start-up, WAL, foreign keys and
//! `synchronous=FULL` so a trainer told "saved" never loses the entry. Query functions
//! are small and take a `&mut SqliteConnection` (a transaction derefs to one) so callers
//! compose them into one atomic unit.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub mod entries;
pub mod export;
pub mod lock;
pub mod messages;
pub mod outbox;
pub mod reminders;
pub mod tickets;
pub mod trainers;
mod tx;

pub use tx::Tx;

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot migrate database {path}")]
    Migrate {
        path: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error("cannot open database {path}")]
    Lock {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "database {path} is in use by another recert-bot process (it holds {lock}); a SQLite file is used by one process at a time"
    )]
    InUse { path: String, lock: String },
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// The connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// Held for as long as any clone of the store lives.
    _lock: lock::DbLock,
}

impl Store {
    /// Takes the process's lock on the file (see [`lock`]), opens it (creating it if
    /// missing) and runs the migrations.
    ///
    /// # Errors
    /// Another process uses the file, the file cannot be opened or created, or a
    /// migration fails; each names the path.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let held = lock::acquire(path)?;
        let shown = path.display().to_string();
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|source| StoreError::Open {
                path: shown.clone(),
                source,
            })?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                path: shown.clone(),
                source,
            })?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                path: shown,
                source,
            })?;
        Ok(Self { pool, _lock: held })
    }

    /// Starts a write transaction.
    ///
    /// # Errors
    /// The database is unavailable.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Tx::begin(&self.pool).await
    }

    /// The pool, for read-only queries outside a transaction.
    #[must_use]
    pub const fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Reads a `YYYY-MM-DD` column value.
pub(crate) fn date(text: &str) -> Result<chrono::NaiveDate, StoreError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("date `{text}`: {e}")))
}

/// Reads an optional `YYYY-MM-DD` column value.
pub(crate) fn opt_date(text: Option<String>) -> Result<Option<chrono::NaiveDate>, StoreError> {
    text.as_deref().map(date).transpose()
}
