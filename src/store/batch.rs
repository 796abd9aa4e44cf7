//! Writes gathered into one round trip. A trainer's turn pushes its processed-message
//! record, dialogue state, transcript lines and the effects of its step onto a
//! [`Batch`] as [`Statement`]s, and [`Batch::run`] sends them together, inside the
//! caller's transaction:
//!
//! - on SQLite as one multi-statement query: one command to sqlx's worker thread, the
//!   statements run in order (sqlx's SQLite driver prepares each statement of a query
//!   in turn and binds `$N` to the query's N-th argument). sqlx 0.8 calls this
//!   behaviour deprecated (launchbadge/sqlx#3108) but keeps it; `Cargo.lock` pins the
//!   version, and the test below fails if an upgrade drops it;
//! - on PostgreSQL as one statement of data-modifying `WITH` clauses. Those run on one
//!   snapshot and cannot see each other's rows, so a statement on a table the
//!   statement being built already touches starts the next one: two writes to one
//!   table stay in order.
//!
//! A statement is written with its own `$1`, `$2`, …; the batch renumbers them.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Conn, StoreError};
use crate::domain::{ChatId, EntryId, TrainerId};

/// A value bound into a statement; each variant binds as the same SQL type on both
/// backends (a `None` as a typed NULL).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Bool(bool),
    Real(Option<f64>),
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Instant(DateTime<Utc>),
}

macro_rules! value_from {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from($v: $t) -> Self {
                $e
            }
        })*
    };
}

value_from! {
    i64 => |v| Self::Int(v),
    bool => |v| Self::Bool(v),
    Option<f64> => |v| Self::Real(v),
    &str => |v| Self::Text(Some(v.to_owned())),
    String => |v| Self::Text(Some(v)),
    Option<&str> => |v| Self::Text(v.map(str::to_owned)),
    &ChatId => |v| Self::Text(Some(v.0.clone())),
    NaiveDate => |v| Self::Date(Some(v)),
    Option<NaiveDate> => |v| Self::Date(v),
    DateTime<Utc> => |v| Self::Instant(v),
    TrainerId => |v| Self::Int(v.0),
    EntryId => |v| Self::Int(v.0),
}

/// One write: SQL with its own `$1…$n`, its arguments, and the table it touches.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    table: &'static str,
    sql: Cow<'static, str>,
    args: Vec<Value>,
}

impl Statement {
    /// A statement on `table` (the one table it reads or writes).
    #[must_use]
    pub fn new(table: &'static str, sql: impl Into<Cow<'static, str>>) -> Self {
        Self {
            table,
            sql: sql.into(),
            args: Vec::new(),
        }
    }

    /// Binds the next argument.
    #[must_use]
    pub fn arg(mut self, value: impl Into<Value>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Runs this statement alone; how many rows it changed.
    ///
    /// # Errors
    /// The statement failed.
    pub async fn execute(self, conn: &mut Conn) -> Result<u64, StoreError> {
        execute(conn, &self.sql, &self.args).await
    }
}

/// Statements to send together; see the module documentation.
#[derive(Debug, Default)]
pub struct Batch {
    statements: Vec<Statement>,
}

impl Batch {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a statement after those already pushed.
    pub fn push(&mut self, statement: Statement) {
        self.statements.push(statement);
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// Sends every statement pushed so far in one round trip (on PostgreSQL one per run
    /// of statements on distinct tables), in order, and empties the batch.
    ///
    /// # Errors
    /// A statement failed; those before it may have applied, so the caller rolls its
    /// transaction back.
    pub async fn run(&mut self, conn: &mut Conn) -> Result<(), StoreError> {
        let statements = std::mem::take(&mut self.statements);
        if statements.is_empty() {
            return Ok(());
        }
        match conn {
            Conn::Sqlite(_) => run_joined(conn, &statements, "", ";\n", "").await,
            Conn::Postgres(_) => {
                for chunk in distinct_tables(&statements) {
                    if let [one] = chunk {
                        execute(conn, &one.sql, &one.args).await?;
                    } else {
                        run_joined(conn, chunk, "WITH ", ", ", " SELECT 1").await?;
                    }
                }
                Ok(())
            }
        }
    }
}

impl Extend<Statement> for Batch {
    fn extend<I: IntoIterator<Item = Statement>>(&mut self, statements: I) {
        self.statements.extend(statements);
    }
}

/// The statements in runs that touch each table at most once, in order.
fn distinct_tables(statements: &[Statement]) -> Vec<&[Statement]> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for (i, s) in statements.iter().enumerate() {
        if statements[start..i].iter().any(|p| p.table == s.table) {
            chunks.push(&statements[start..i]);
            start = i;
        }
    }
    chunks.push(&statements[start..]);
    chunks
}

/// Runs the statements as one query: `head`, each statement (on PostgreSQL as a named
/// `WITH` clause) separated by `separator`, then `tail`.
async fn run_joined(
    conn: &mut Conn,
    statements: &[Statement],
    head: &str,
    separator: &str,
    tail: &str,
) -> Result<(), StoreError> {
    let cte = !head.is_empty();
    let mut sql = String::from(head);
    let mut args = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        if i > 0 {
            sql.push_str(separator);
        }
        if cte {
            let _ = write!(sql, "w{i} AS (");
        }
        push_renumbered(&mut sql, &s.sql, args.len());
        if cte {
            sql.push(')');
        }
        args.extend(s.args.iter().cloned());
    }
    sql.push_str(tail);
    execute(conn, &sql, &args).await.map(|_| ())
}

/// Appends `sql` with every `$N` shifted to `$(N + offset)`. The store's SQL has no `$`
/// inside literals or names.
fn push_renumbered(out: &mut String, sql: &str, offset: usize) {
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(n) = rest[..digits].parse::<usize>() {
            let _ = write!(out, "{}", n + offset);
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
}

/// One query with its arguments bound in order; the rows it changed.
async fn execute(conn: &mut Conn, sql: &str, args: &[Value]) -> Result<u64, StoreError> {
    Ok(crate::on!(conn, |c| {
        let mut query = sqlx::query(sql);
        for value in args {
            query = match value {
                Value::Int(v) => query.bind(*v),
                Value::Bool(v) => query.bind(*v),
                Value::Real(v) => query.bind(*v),
                Value::Text(v) => query.bind(v.as_deref()),
                Value::Date(v) => query.bind(*v),
                Value::Instant(v) => query.bind(*v),
            };
        }
        query.execute(c).await?.rows_affected()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_renumbered_after_the_earlier_statements() {
        let mut out = String::new();
        push_renumbered(&mut out, "UPDATE t SET a = $2 WHERE id = $1 AND b = $10", 3);
        assert_eq!(out, "UPDATE t SET a = $5 WHERE id = $4 AND b = $13");
    }

    /// On SQLite the batch is one multi-statement query: each statement gets its own
    /// arguments, and they run in order (the update sees the insert before it).
    #[tokio::test]
    async fn one_batch_applies_each_statement_with_its_own_arguments() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = super::super::Store::open(&dir.path().join("t.db"))
            .await
            .expect("opens");
        let at: DateTime<Utc> = "2026-11-23T18:00:00Z".parse().expect("instant");
        let miss = |text: &str| {
            Statement::new(
                "faq_misses",
                "INSERT INTO faq_misses (text, at, key) VALUES ($1, $2, $1)",
            )
            .arg(text)
            .arg(at)
        };
        let mut tx = store.begin().await.expect("begin");
        let mut batch = Batch::new();
        batch.push(miss("first"));
        batch.push(miss("second"));
        batch.push(
            Statement::new(
                "faq_misses",
                "UPDATE faq_misses SET key = $1 WHERE text = $2",
            )
            .arg("changed")
            .arg("second"),
        );
        batch.run(&mut tx).await.expect("runs");
        assert!(batch.is_empty());
        tx.commit().await.expect("commit");
        let rows: Vec<(String, String, DateTime<Utc>)> =
            sqlx::query_as("SELECT text, key, at FROM faq_misses ORDER BY id")
                .fetch_all(store.sqlite_pool().expect("sqlite"))
                .await
                .expect("rows");
        let expected = [("first", "first"), ("second", "changed")]
            .map(|(t, k)| (t.to_owned(), k.to_owned(), at));
        assert_eq!(rows, expected);
    }

    #[test]
    fn a_table_met_again_starts_a_new_run() {
        let s = |t| Statement::new(t, "");
        let statements = [s("a"), s("b"), s("a"), s("c"), s("c")];
        let runs: Vec<Vec<&str>> = distinct_tables(&statements)
            .iter()
            .map(|run| run.iter().map(|s| s.table).collect())
            .collect();
        assert_eq!(runs, [vec!["a", "b"], vec!["a", "c"], vec!["c"]]);
    }
}
