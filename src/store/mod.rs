//! Persistence through sqlx, on SQLite (the embedded default: WAL, foreign keys and
//! `synchronous=FULL` so a trainer told "saved" never loses the entry) or PostgreSQL
//! (several instances on one database). Migrations run at start-up; on PostgreSQL under
//! sqlx's advisory migration lock, so instances starting together do not race. Query
//! functions are small and take a `&mut Conn` of either backend (see [`conn`]; a
//! transaction derefs to one) so callers compose them into one atomic unit. Rows are read with `FromRow` into typed fields
//! (ids, `NaiveDate`, `DateTime<Utc>`, `bool`); a value that does not decode is
//! [`StoreError::Corrupt`], never a panic.
//!
//! Stored formats, the same in every table: dates `YYYY-MM-DD`, instants RFC 3339 UTC
//! as sqlx writes a `DateTime<Utc>` (`2026-11-23T18:00:00.250+00:00`, whose text order
//! is time order).
//!
//! On PostgreSQL the same values are typed columns (`DATE`, `TIMESTAMPTZ`, `BOOLEAN`),
//! with their own migrations in `migrations/postgres/`.
//!
//! Where things go: [`Store::connect`] picks the backend from the configured
//! [`Database`]. A trainer's message reads what its turn needs in one query
//! ([`arrival`]) and writes its changes as one [`Batch`]. [`outbox`] is the queue of messages waiting for delivery
//! (reminders); [`inbox`] and [`replies`] are the Telegram transport's durable intake
//! and reply outbox.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use crate::config::Database;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub mod arrival;
mod batch;
mod conn;
pub mod entries;
pub mod export;
pub mod inbox;
pub mod lock;
pub mod messages;
pub mod outbox;
pub mod reminders;
pub mod replies;
pub mod tickets;
pub mod trainers;
mod tx;

pub use batch::{Batch, Statement, Value};
pub use conn::{Backend, Conn};
pub use tx::Tx;

/// Connections in the pool: SQLite writes one at a time, so a few serve every reader.
const MAX_CONNECTIONS: u32 = 4;

/// How long a statement waits for another connection's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections in a PostgreSQL pool, per instance.
const PG_MAX_CONNECTIONS: u32 = 8;

/// How long a PostgreSQL caller waits for a free pooled connection.
const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

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
    #[error("cannot encode for storage: {0}")]
    Encode(#[from] serde_json::Error),
    #[error(transparent)]
    Sqlx(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    /// A stored value that does not decode into its field is unreadable data, which
    /// callers tell apart from a failing database (the sweep skips such a record).
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                Self::Corrupt(error.to_string())
            }
            other => Self::Sqlx(other),
        }
    }
}

/// The connection pool of either backend.
#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// SQLite: the file's one-process lock, held for as long as any clone lives.
    _lock: Option<lock::DbLock>,
}

impl Store {
    /// Opens the configured database.
    ///
    /// # Errors
    /// As [`Store::open`] or [`Store::open_postgres`].
    pub async fn connect(database: &Database) -> Result<Self, StoreError> {
        match database {
            Database::Sqlite(path) => Self::open(path).await,
            Database::Postgres(url) => Self::open_postgres(url).await,
        }
    }

    /// Takes the process's lock on the file (see [`lock`]), opens it (creating it if
    /// missing) and runs the migrations.
    ///
    /// # Errors
    /// Another process uses the file, the file cannot be opened or created, or a
    /// migration fails; each names the path.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let held = lock::acquire(path)?;
        let shown = path.display().to_string();
        let opened = |source| StoreError::Open {
            path: shown.clone(),
            source,
        };
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(opened)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(opened)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                path: shown.clone(),
                source,
            })?;
        Ok(Self {
            pool: Pool::Sqlite(pool),
            _lock: Some(held),
        })
    }

    /// Connects to a PostgreSQL database (`postgres://…`) and runs its migrations under
    /// sqlx's advisory lock. Any number of processes may share the database.
    ///
    /// # Errors
    /// The server cannot be reached, or a migration fails; each names the database
    /// without its password.
    pub async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        let shown = Database::Postgres(url.to_owned()).to_string();
        let pool = PgPoolOptions::new()
            .max_connections(PG_MAX_CONNECTIONS)
            .acquire_timeout(PG_ACQUIRE_TIMEOUT)
            .connect(url)
            .await
            .map_err(|source| StoreError::Open {
                path: shown.clone(),
                source,
            })?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                path: shown,
                source,
            })?;
        Ok(Self {
            pool: Pool::Postgres(pool),
            _lock: None,
        })
    }

    /// Which backend this store runs on.
    #[must_use]
    pub const fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// A connection outside any transaction (reads, single statements).
    ///
    /// # Errors
    /// The database is unavailable.
    pub async fn acquire(&self) -> Result<Conn, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Conn::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Conn::Postgres(pool.acquire().await?),
        })
    }

    /// Starts a write transaction.
    ///
    /// # Errors
    /// The database is unavailable.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Tx::begin(self.acquire().await?).await
    }

    /// Whether the database answers a trivial query (`GET /healthz`).
    pub async fn is_reachable(&self) -> bool {
        let Ok(mut conn) = self.acquire().await else {
            return false;
        };
        crate::on!(&mut conn, |c| sqlx::query("SELECT 1")
            .execute(c)
            .await
            .is_ok())
    }

    /// The SQLite pool, for SQLite-only work (`PRAGMA`s, tests); `None` on PostgreSQL.
    #[must_use]
    pub const fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.pool {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Postgres(_) => None,
        }
    }

    /// Closes every pooled connection (a clean stop).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, SecondsFormat, Utc};

    use super::*;

    /// Migration 0009 turns the outbox's old fixed-width `…Z` instants into exactly the
    /// text sqlx writes for the same instant, so comparisons across old and new rows
    /// keep meaning time order.
    #[tokio::test]
    async fn old_outbox_instants_are_rewritten_to_the_common_format() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("t.db")).await.expect("opens");
        let mut conn = store
            .sqlite_pool()
            .expect("sqlite")
            .acquire()
            .await
            .expect("conn");
        sqlx::raw_sql(
            "INSERT INTO trainers (id, channel, user_ref, chat_ref, created_at)
               VALUES (1, 'jsonl', 'u', 'u', '2026-11-23T18:00:00+00:00');
             INSERT INTO outbox (trainer_id, chat_ref, text, created_at, next_attempt_at, claimed_until)
               VALUES (1, 'u', 'hi', '2026-11-23T18:00:00.000000Z', '2026-11-23T18:00:00.250000Z',
                       '2026-11-23T18:00:00.123456Z');
             INSERT INTO reminders_sent (trainer_id, cycle, kind, due_on, queued_at, outcome)
               VALUES (1, '2027-03-15', 'k', '2026-11-23', '2026-11-23T18:00:01.000000Z', 'queued');",
        )
        .execute(&mut *conn)
        .await
        .expect("old rows");
        sqlx::raw_sql(include_str!("../../migrations/0009_one_instant_format.sql"))
            .execute(&mut *conn)
            .await
            .expect("migrates");
        let row: (String, String, String, Option<String>) = sqlx::query_as(
            "SELECT created_at, next_attempt_at, claimed_until, sent_at FROM outbox",
        )
        .fetch_one(&mut *conn)
        .await
        .expect("row");
        let queued: String = sqlx::query_scalar("SELECT queued_at FROM reminders_sent")
            .fetch_one(&mut *conn)
            .await
            .expect("row");
        let as_sqlx = |text: &str| {
            let at: DateTime<Utc> = text.parse().expect("instant");
            at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
        };
        assert_eq!(row.0, as_sqlx("2026-11-23T18:00:00Z"));
        assert_eq!(row.1, as_sqlx("2026-11-23T18:00:00.25Z"));
        assert_eq!(row.2, as_sqlx("2026-11-23T18:00:00.123456Z"));
        assert_eq!(row.3, None);
        assert_eq!(queued, as_sqlx("2026-11-23T18:00:01Z"));
        assert_eq!(row.1, "2026-11-23T18:00:00.250+00:00");
    }
}
