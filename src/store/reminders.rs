//! Which reminders were handled (sent or skipped), under the stable key (trainer,
//! cycle, kind), and each certification's precomputed next reminder date.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Conn, StoreError};
use crate::domain::TrainerId;

/// Up to `limit` trainers with `id > after` whose next reminder date is on or before
/// `today`, by id. On PostgreSQL the rows are locked for the caller's transaction
/// and rows another instance's sweep holds are skipped (`FOR UPDATE SKIP LOCKED`), so
/// two sweeps at once take different trainers. On SQLite forced onto the `certifications_next_reminder` index (ordering by id
/// alone would tempt the planner into scanning every certification): trainers with
/// nothing due cost nothing.
///
/// # Errors
/// The query failed.
pub async fn due_trainers(
    conn: &mut Conn,
    today: NaiveDate,
    after: TrainerId,
    limit: u32,
) -> Result<Vec<TrainerId>, StoreError> {
    let sql = conn.pick(
        "SELECT trainer_id FROM certifications INDEXED BY certifications_next_reminder
         WHERE next_reminder_on IS NOT NULL AND next_reminder_on <= $1 AND trainer_id > $2
         ORDER BY trainer_id LIMIT $3",
        "SELECT trainer_id FROM certifications
         WHERE next_reminder_on IS NOT NULL AND next_reminder_on <= $1 AND trainer_id > $2
         ORDER BY trainer_id LIMIT $3 FOR UPDATE SKIP LOCKED",
    );
    Ok(crate::on!(conn, |c| sqlx::query_scalar(sql)
        .bind(today)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(c)
        .await?))
}

/// The kind keys already handled for this trainer's cycle.
///
/// # Errors
/// The query failed.
pub async fn handled(
    conn: &mut Conn,
    trainer: TrainerId,
    cycle: NaiveDate,
) -> Result<Vec<String>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_scalar(
        "SELECT kind FROM reminders_sent WHERE trainer_id = $1 AND cycle = $2"
    )
    .bind(trainer)
    .bind(cycle)
    .fetch_all(c)
    .await?))
}

/// One handled reminder, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Handled {
    pub trainer_id: TrainerId,
    pub cycle: NaiveDate,
    pub kind: String,
    pub due_on: NaiveDate,
    pub outcome: String,
}

/// Records a reminder as handled; `false` when its key was already recorded (then the
/// caller must not queue it again).
///
/// # Errors
/// The query failed.
pub async fn record(conn: &mut Conn, h: &Handled, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let done = crate::on!(conn, |c| sqlx::query(
        "INSERT INTO reminders_sent (trainer_id, cycle, kind, due_on, queued_at, outcome)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(h.trainer_id)
    .bind(h.cycle)
    .bind(&h.kind)
    .bind(h.due_on)
    .bind(at)
    .bind(&h.outcome)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Every handled reminder of a trainer, by due date (tests, support scripts).
///
/// # Errors
/// The query failed or a stored date is unreadable.
pub async fn history(conn: &mut Conn, trainer: TrainerId) -> Result<Vec<Handled>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(
        "SELECT trainer_id, cycle, kind, due_on, outcome FROM reminders_sent
         WHERE trainer_id = $1 ORDER BY due_on, kind",
    )
    .bind(trainer)
    .fetch_all(c)
    .await?))
}

/// Sets the certification's next reminder date (`None`: nothing left this cycle).
///
/// # Errors
/// The query failed.
pub async fn set_next(
    conn: &mut Conn,
    trainer: TrainerId,
    next: Option<NaiveDate>,
) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "UPDATE certifications SET next_reminder_on = $2 WHERE trainer_id = $1"
    )
    .bind(trainer)
    .bind(next)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// The certification's next reminder date, if any.
///
/// # Errors
/// The query failed or the stored date is unreadable.
pub async fn next(conn: &mut Conn, trainer: TrainerId) -> Result<Option<NaiveDate>, StoreError> {
    let next: Option<Option<NaiveDate>> = crate::on!(conn, |c| sqlx::query_scalar(
        "SELECT next_reminder_on FROM certifications WHERE trainer_id = $1"
    )
    .bind(trainer)
    .fetch_optional(c)
    .await?);
    Ok(next.flatten())
}
