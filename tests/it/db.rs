//! The database a test runs on: a fresh SQLite file in a temporary folder, or, when
//! `RECERT_TEST_PG` names a PostgreSQL server (`.ci/run` starts one), a fresh database
//! created on it for this test alone. The same tests thus run on both backends.

use std::sync::atomic::{AtomicU32, Ordering};

use recert_bot::config::Database;
use recert_bot::store::{Conn, Store};
use sqlx::Connection;

/// The variable naming the PostgreSQL server for the second run of the suite: a URL
/// to a database the tests may connect to and create databases from.
pub const PG_ENV: &str = "RECERT_TEST_PG";

/// A test's own database.
pub struct TestDb {
    pub database: Database,
    _dir: tempfile::TempDir,
}

/// The PostgreSQL server's URL when the suite runs on PostgreSQL.
#[must_use]
pub fn pg_server() -> Option<String> {
    std::env::var(PG_ENV).ok().filter(|v| !v.trim().is_empty())
}

/// Says loudly that a PostgreSQL-only test did not run; `true` when skipped.
pub fn skip_without_pg(test: &str) -> bool {
    if pg_server().is_some() {
        return false;
    }
    eprintln!("!!! SKIPPED {test}: PostgreSQL only; set {PG_ENV} (or run .ci/run) to run it");
    true
}

impl TestDb {
    /// A fresh database named after `name` (a file name on SQLite).
    pub async fn fresh(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = match pg_server() {
            Some(server) => Database::Postgres(create_pg_database(&server).await),
            None => Database::Sqlite(dir.path().join(name)),
        };
        Self {
            database,
            _dir: dir,
        }
    }

    /// The temporary folder of this test (for its other files).
    pub fn dir(&self) -> std::path::PathBuf {
        self._dir.path().to_path_buf()
    }

    /// Whether this test runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.database, Database::Postgres(_))
    }

    /// The value to give `--db`.
    pub fn arg(&self) -> String {
        match &self.database {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => url.clone(),
        }
    }

    /// Opens the store (as a process starting up would).
    pub async fn open(&self) -> Store {
        Store::connect(&self.database).await.expect("open store")
    }
}

/// Creates a database of its own on the server and returns its URL.
async fn create_pg_database(server: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "t{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros()
    );
    let mut admin = sqlx::PgConnection::connect(server)
        .await
        .unwrap_or_else(|e| panic!("{PG_ENV}={server}: {e}"));
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let _ = admin.close().await;
    let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
    format!("{base}/{name}")
}

/// A connection for a test's own queries: write them with `$1` parameters and run
/// them through `recert_bot::on!`, so they compile for both backends.
pub async fn conn(store: &Store) -> Conn {
    store.acquire().await.expect("connection")
}

/// Waits until no session of this database is left inside a transaction: a `Tx`
/// dropped unfinished (a simulated crash) closes its connection in the background, and
/// on PostgreSQL its row locks last until the server sees the close, as they would for
/// a killed process until its connection drops. Nothing to wait for on SQLite.
pub async fn settle(store: &Store) {
    let mut conn = conn(store).await;
    let Some(c) = conn.as_postgres() else {
        return;
    };
    for _ in 0..500 {
        let open: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity
             WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
        )
        .fetch_one(&mut *c)
        .await
        .expect("pg_stat_activity");
        if open == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("a dropped transaction stayed open for 5 s");
}
