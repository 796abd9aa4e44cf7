//! One store API over both backends. A [`Conn`] is a pooled connection to SQLite or
//! to PostgreSQL; each query function is written once and [`on!`](crate::on) runs its
//! body against whichever connection it got, so the same SQL (with `$1` parameters,
//! which both drivers read) and the same `FromRow` types serve both. Where the SQL must
//! differ (SQLite's `INDEXED BY`, PostgreSQL's `FOR UPDATE SKIP LOCKED`), the function
//! picks its text with [`Conn::backend`].
//!
//! Why not `sqlx::Any`: it decodes only a handful of plain types (no `NaiveDate`, no
//! `DateTime<Utc>`, no typed ids through `FromRow`), so every date would travel as text
//! and be parsed by hand; and it hides which backend runs, which the locking SQL needs.

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection};

/// Which database a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pooled connection of either backend; query functions take `&mut Conn`.
#[derive(Debug)]
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Conn {
    #[must_use]
    pub const fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQL text for this connection's backend.
    #[must_use]
    pub const fn pick<'s>(&self, sqlite: &'s str, postgres: &'s str) -> &'s str {
        match self {
            Self::Sqlite(_) => sqlite,
            Self::Postgres(_) => postgres,
        }
    }

    /// Closes the connection instead of returning it to the pool.
    pub fn close_on_drop(&mut self) {
        match self {
            Self::Sqlite(c) => c.close_on_drop(),
            Self::Postgres(c) => c.close_on_drop(),
        }
    }

    /// The SQLite connection, for SQLite-only work (`PRAGMA`s, tests).
    pub fn as_sqlite(&mut self) -> Option<&mut SqliteConnection> {
        match self {
            Self::Sqlite(c) => Some(&mut **c),
            Self::Postgres(_) => None,
        }
    }

    /// The PostgreSQL connection, for PostgreSQL-only work (locks).
    pub fn as_postgres(&mut self) -> Option<&mut PgConnection> {
        match self {
            Self::Sqlite(_) => None,
            Self::Postgres(c) => Some(&mut **c),
        }
    }
}

/// Runs `$body` with `$c` bound to the backend's `&mut` connection: the body is
/// compiled once per backend, so every bound value and row type must exist on both.
#[macro_export]
macro_rules! on {
    ($conn:expr, |$c:ident| $body:expr) => {
        match &mut *$conn {
            $crate::store::Conn::Sqlite(pooled) => {
                let $c: &mut ::sqlx::SqliteConnection = &mut **pooled;
                $body
            }
            $crate::store::Conn::Postgres(pooled) => {
                let $c: &mut ::sqlx::PgConnection = &mut **pooled;
                $body
            }
        }
    };
}
