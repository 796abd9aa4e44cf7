//! The scheduler inside `recert-bot telegram`: every `policy.reminders.sweep_interval_seconds`
//! it runs [`App::tick`] and delivers the outbox, until shutdown.

use std::time::Duration;

use chrono::Utc;
use tokio::time::MissedTickBehavior;

use super::App;
use crate::domain::Transport;

/// Runs scheduled work until `shutdown` completes: on each interval, [`App::tick`] as of
/// the clock (the sweep queues reminders), what it returns is sent, then the outbox is
/// delivered. Errors are logged and retried on the next interval; a delivery in
/// progress stops at shutdown (its current message may be sent again after a restart).
pub async fn run_scheduler(
    app: App,
    transport: impl Transport,
    every: Option<Duration>,
    shutdown: impl Future<Output = ()>,
) {
    let every = every.unwrap_or_else(|| {
        Duration::from_secs(app.policy().reminders.sweep_interval_seconds.max(1))
    });
    let seconds = every.as_secs();
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
    tokio::pin!(shutdown);
    tracing::info!(seconds, "reminder scheduler started");
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            _ = interval.tick() => {}
        }
        // A round that has begun runs to its end: cancelling it could drop a write
        // transaction mid-way, and its connection would hold the database's write lock
        // until it is closed (the reply outbox then waited out the busy time-out).
        once(&app, &transport).await;
    }
    tracing::info!("reminder scheduler stopped: shutdown requested");
}

/// One round: tick, send its messages, deliver the outbox.
async fn once(app: &App, transport: &impl Transport) {
    match app.tick(Utc::now()).await {
        Ok(messages) => {
            for m in &messages {
                if let Err(e) = transport.send(m).await {
                    tracing::warn!(chat = %m.chat, error = %e, "scheduled message not delivered");
                }
            }
        }
        Err(e) => tracing::error!(error = %e, "scheduled work failed; retrying next interval"),
    }
    if let Err(e) = app.deliver_outbox(transport, Utc::now()).await {
        tracing::error!(error = %e, "outbox delivery failed; retrying next interval");
    }
}
