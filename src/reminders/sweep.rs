//! The sweep: for every trainer whose precomputed next reminder date has come, decide
//! (see [`super::plan`]), record each decision under its stable key, queue the message
//! in the outbox and advance the next date, all in one transaction per batch. A sweep
//! killed mid-way loses at most its open batch, which the next sweep redoes: the key
//! prevents duplicates and the next date only advances with the record, so nothing is
//! skipped.

use crate::store::Conn;
use std::collections::HashSet;

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::plan::{self, Decision, Facts, Verdict};
use super::text;
use crate::domain::{CardOnFile, Outgoing, TrainerId};
use crate::rules::reminders::schedule;
use crate::rules::{Certification, Policy, ReminderKind, ScheduledReminder, Status, hours, status};
use crate::store::reminders::{self as sent, Handled};
use crate::store::trainers::Trainer;
use crate::store::{Store, StoreError, entries, outbox, trainers};

/// Trainers handled in one transaction of a sweep, by default.
pub const BATCH: u32 = 500;

/// How a sweep runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepOptions {
    /// Trainers per transaction.
    pub batch: u32,
    /// Compute everything, write nothing (one transaction, rolled back).
    pub dry_run: bool,
    /// Stop after this many batches, as if the process were killed there (tests).
    pub max_batches: Option<usize>,
}

impl Default for SweepOptions {
    fn default() -> Self {
        Self {
            batch: BATCH,
            dry_run: false,
            max_batches: None,
        }
    }
}

/// One reminder queued (or, in a dry run, that would be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub trainer_id: TrainerId,
    pub kind: ReminderKind,
    pub due_on: NaiveDate,
    pub message: Outgoing,
}

/// What a sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Advisors were closed at the sweep instant: nothing was looked at.
    pub closed: bool,
    /// Trainers examined.
    pub trainers: usize,
    pub queued: Vec<Queued>,
    /// Reminders recorded without sending (superseded, opted out, met, stale).
    pub skipped: usize,
}

/// Sweeps as of `at`. While advisors are closed it does nothing: a reminder that falls
/// due at night is queued by the first sweep after the opening.
///
/// # Errors
/// The store failed; batches committed before the failure stay committed.
#[tracing::instrument(skip_all, fields(at = %at))]
pub async fn sweep(
    store: &Store,
    policy: &Policy,
    at: DateTime<Utc>,
    opts: SweepOptions,
) -> Result<SweepReport, StoreError> {
    let mut report = SweepReport::default();
    if !hours::is_open(&policy.hours, at) {
        report.closed = true;
        return Ok(report);
    }
    let mut after = TrainerId(0);
    let mut batches = 0;
    if opts.dry_run {
        let mut tx = store.begin().await?;
        while sweep_batch(&mut tx, policy, at, &mut after, opts.batch, &mut report).await? {}
        tx.rollback().await?;
        return Ok(report);
    }
    loop {
        if opts.max_batches.is_some_and(|m| batches >= m) {
            break;
        }
        let mut tx = store.begin().await?;
        let more = sweep_batch(&mut tx, policy, at, &mut after, opts.batch, &mut report).await?;
        tx.commit().await?;
        batches += 1;
        if !more {
            break;
        }
    }
    if !report.queued.is_empty() || report.skipped > 0 {
        tracing::info!(
            trainers = report.trainers,
            queued = report.queued.len(),
            skipped = report.skipped,
            "reminder sweep"
        );
    }
    Ok(report)
}

/// One batch: up to `limit` due trainers with id above `*after`, handled on `conn`
/// (the caller's transaction). Returns whether more may remain.
///
/// # Errors
/// The store failed.
pub async fn sweep_batch(
    conn: &mut Conn,
    policy: &Policy,
    at: DateTime<Utc>,
    after: &mut TrainerId,
    limit: u32,
    report: &mut SweepReport,
) -> Result<bool, StoreError> {
    let today = status::today(policy, at);
    let ids = sent::due_trainers(conn, today, *after, limit).await?;
    for id in &ids {
        *after = *id;
        report.trainers += 1;
        match sweep_trainer(conn, policy, *id, at, report).await {
            Err(StoreError::Corrupt(what)) => {
                tracing::warn!(trainer = %id, %what, "unreadable record; reminders retried tomorrow");
                sent::set_next(conn, *id, today.checked_add_days(Days::new(1))).await?;
            }
            other => other?,
        }
    }
    Ok(ids.len() == limit as usize)
}

/// Handles one trainer: record every decision, queue what is sent, advance the date.
async fn sweep_trainer(
    conn: &mut Conn,
    policy: &Policy,
    id: TrainerId,
    at: DateTime<Utc>,
    report: &mut SweepReport,
) -> Result<(), StoreError> {
    let trainer = trainers::by_id(conn, id).await?;
    let (cert, card) = trainers::certification_with_card(conn, id).await?;
    let (Some(trainer), Some(cert)) = (trainer, cert) else {
        return sent::set_next(conn, id, None).await;
    };
    let entries = entries::list(conn, id).await?;
    let st = status::status(&cert, &entries, policy, at);
    let handled = handled_keys(conn, id, &cert).await?;
    let sched = schedule(&cert, policy);
    let facts = Facts {
        schedule: &sched,
        status: &st,
        reminders_enabled: trainer.reminders_enabled,
        apply_now_days_before: policy.reminders.apply_now_days_before,
    };
    let is_handled = |k: ReminderKind| handled.contains(&plan::kind_key(k, &cert));
    let p = plan::plan(&facts, &is_handled);
    let reader = Reader {
        trainer: &trainer,
        status: &st,
        card,
        policy,
    };
    for d in &p.decisions {
        let h = Handled {
            trainer_id: id,
            cycle: cert.expires_on,
            kind: plan::kind_key(d.reminder.kind, &cert),
            due_on: d.reminder.due_on,
            outcome: d.outcome.key().to_string(),
        };
        if !sent::record(conn, &h, at).await? {
            continue;
        }
        if d.outcome != Verdict::Send {
            report.skipped += 1;
            continue;
        }
        report.queued.push(queue(conn, &reader, d, at).await?);
    }
    sent::set_next(conn, id, p.next_on).await
}

/// What a reminder's message is written from.
struct Reader<'a> {
    trainer: &'a Trainer,
    status: &'a Status,
    card: CardOnFile,
    policy: &'a Policy,
}

/// Writes the reminder the decision sends and queues it in the outbox, only to the
/// trainer's private chat (elsewhere the prompt to write privately).
async fn queue(
    conn: &mut Conn,
    r: &Reader<'_>,
    d: &Decision,
    at: DateTime<Utc>,
) -> Result<Queued, StoreError> {
    let kind = d.reminder.kind;
    let reply = text::message(kind, r.status, r.card, r.policy);
    let message = r.trainer.personal_reply(reply);
    let buttons = serde_json::to_string(&message.buttons)?;
    let id = r.trainer.id;
    outbox::enqueue(conn, id, &message.chat, &message.text, &buttons, at).await?;
    Ok(Queued {
        trainer_id: id,
        kind,
        due_on: d.reminder.due_on,
        message,
    })
}

/// The kind keys already handled for this trainer's cycle.
async fn handled_keys(
    conn: &mut Conn,
    trainer: TrainerId,
    cert: &Certification,
) -> Result<HashSet<String>, StoreError> {
    let keys = sent::handled(conn, trainer, cert.expires_on).await?;
    Ok(keys.into_iter().collect())
}

/// Recomputes a trainer's next reminder date after their certification changed (call
/// in the same transaction as the change): a reminder already due and not yet handled
/// keeps its place, else the next scheduled date.
///
/// # Errors
/// The store failed.
pub async fn refresh_next(
    conn: &mut Conn,
    policy: &Policy,
    trainer: TrainerId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(cert) = trainers::certification(conn, trainer).await? else {
        return Ok(());
    };
    let handled = handled_keys(conn, trainer, &cert).await?;
    let sched: Vec<ScheduledReminder> = schedule(&cert, policy);
    let is_handled = |k: ReminderKind| handled.contains(&plan::kind_key(k, &cert));
    let next = plan::next_after_change(&sched, status::today(policy, now), &is_handled);
    sent::set_next(conn, trainer, next).await
}
