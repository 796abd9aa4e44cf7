//! A write transaction that never leaves its connection half-open.
//!
//! sqlx counts a connection's transaction depth itself. When SQLite rolls a transaction
//! back on its own (a full disk, an I/O error, a trigger's `RAISE(ROLLBACK)`), the
//! explicit `ROLLBACK` that follows fails, sqlx's count stays at one, and every later
//! `BEGIN IMMEDIATE` on that pooled connection failed with "attempted to call begin_with
//! at non-zero transaction depth" until a restart. Here the statements are plain SQL,
//! and a transaction that fails at its end, or is dropped unfinished (an error returned
//! early, a task cancelled at shutdown), throws its connection away: closing a SQLite
//! connection rolls back whatever it had open, and the pool opens a fresh one.
//! On PostgreSQL the same holds: a closed session's transaction is rolled back, and
//! its advisory transaction locks are released.

use std::ops::{Deref, DerefMut};

use super::{Conn, StoreError};

/// A write transaction (on SQLite `BEGIN IMMEDIATE`, so concurrent writers queue
/// instead of failing to upgrade a read lock; on PostgreSQL a read-committed `BEGIN`,
/// ordered per chat by an advisory lock, see [`super::messages::lock_chat`]). Derefs
/// to the connection for the query functions.
#[derive(Debug)]
pub struct Tx {
    conn: Conn,
    open: bool,
}

impl Tx {
    pub(super) async fn begin(mut conn: Conn) -> Result<Self, StoreError> {
        let sql = conn.pick("BEGIN IMMEDIATE", "BEGIN");
        if let Err(e) = statement(&mut conn, sql).await {
            conn.close_on_drop();
            return Err(e.into());
        }
        Ok(Self { conn, open: true })
    }

    /// Commits.
    ///
    /// # Errors
    /// The commit failed: nothing was applied, and the connection is discarded.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let result = statement(&mut self.conn, "COMMIT").await;
        self.end(result)
    }

    /// Rolls back.
    ///
    /// # Errors
    /// The rollback failed (SQLite may have rolled back already); nothing was applied
    /// either way, and the connection is discarded.
    pub async fn rollback(mut self) -> Result<(), StoreError> {
        let result = statement(&mut self.conn, "ROLLBACK").await;
        self.end(result)
    }

    fn end<T>(&mut self, result: Result<T, sqlx::Error>) -> Result<(), StoreError> {
        self.open = false;
        if let Err(e) = result {
            tracing::warn!(error = %e, "a transaction failed at its end; its connection is discarded");
            self.conn.close_on_drop();
            return Err(e.into());
        }
        Ok(())
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if self.open {
            self.conn.close_on_drop();
        }
    }
}

impl Deref for Tx {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

/// One plain statement without parameters (transaction control).
async fn statement(conn: &mut Conn, sql: &str) -> Result<(), sqlx::Error> {
    crate::on!(conn, |c| sqlx::query(sql).execute(c).await.map(|_| ()))
}
