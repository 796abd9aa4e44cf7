//! Scheduled hand-off work: messages left while away, unclaimed-ticket time-outs, and
//! closing-time notices.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::to;
use crate::app::{App, AppError, Outgoing};
use crate::rules::hours;
use crate::store::tickets::{self, TicketState};
use crate::store::trainers;

impl App {
    /// Scheduled hand-off work as of `now`: messages left while away reach the advisors
    /// at the opening; unclaimed tickets give the trainer the phone number; at closing
    /// time both sides hear about tickets still open.
    pub(crate) async fn handoff_tick(
        &self,
        tx: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        let Some(desk) = self.advisor_chat.as_deref() else {
            return Ok(Vec::new());
        };
        let open = hours::is_open(&self.policy.hours, now);
        let phone = &self.policy.contact.phone;
        let mut out = Vec::new();
        if open {
            for left in tickets::pending_left_messages(tx).await? {
                tickets::mark_left_delivered(tx, left.id, now).await?;
                let Some(trainer) = trainers::by_id(tx, left.trainer_id).await? else {
                    continue;
                };
                if let Some(t) = tickets::open_for(tx, trainer.id).await? {
                    out.push(to(
                        desk,
                        format!("[#{}] message left while away: {}", t.id, left.text),
                    ));
                    continue;
                }
                let reason = format!(
                    "left a message while advisors were away: \u{201c}{}\u{201d}",
                    left.text
                );
                out.extend(self.open_ticket(tx, &trainer, &reason, now).await?);
            }
        }
        let limit = chrono::Duration::minutes(i64::from(self.policy.handoff.unclaimed_minutes));
        for t in tickets::open_tickets(tx).await? {
            if open
                && t.state == TicketState::Waiting
                && !t.timeout_notified
                && now - t.opened_at >= limit
            {
                tickets::mark_notified(tx, t.id, false).await?;
                out.push(t.personal(format!(
                    "Sorry for the wait: no advisor has picked up your request #{} yet. You can call {phone} now; your request stays open and a person will reply here.",
                    t.id
                )));
            }
            if !open && !t.closing_notified {
                tickets::mark_notified(tx, t.id, true).await?;
                let next = hours::next_opening(&self.policy.hours, now)
                    .map(hours::describe_instant)
                    .unwrap_or_else(|| "soon".into());
                out.push(to(
                    desk,
                    format!(
                        "Closing time: [#{}] ({}) is still open.",
                        t.id,
                        t.trainer_name.as_deref().unwrap_or("no name")
                    ),
                ));
                out.push(t.personal(format!(
                    "Our advisors have closed for today. Your request #{} stays open and an advisor will follow up when they open ({next}). You can also call {phone} then.",
                    t.id
                )));
            }
        }
        Ok(out)
    }
}
