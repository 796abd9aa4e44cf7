//! Scheduled hand-off work: messages left while away, unclaimed-ticket time-outs, and
//! closing-time notices.

use crate::store::Conn;
use chrono::{DateTime, Utc};

use super::Desk;
use crate::domain::{ChatId, Outgoing};
use crate::rules::hours;
use crate::store::StoreError;
use crate::store::tickets::{self, Notice, Ticket, TicketState};
use crate::store::trainers;

impl Desk {
    /// Scheduled hand-off work as of `now`: messages left while away reach the advisors
    /// at the opening; unclaimed tickets give the trainer the phone number; at closing
    /// time both sides hear about tickets still open.
    ///
    /// # Errors
    /// The store failed.
    pub async fn tick(
        &self,
        tx: &mut Conn,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let Some(desk) = &self.chat else {
            return Ok(Vec::new());
        };
        let open = hours::is_open(&self.policy.hours, now);
        let mut out = Vec::new();
        if open {
            out.extend(self.deliver_left_messages(tx, desk, now).await?);
        }
        for ticket in tickets::open_tickets_to_notify(tx).await? {
            if open && self.waited_too_long(&ticket, now) {
                tickets::mark_notified(tx, ticket.id, Notice::Timeout).await?;
                out.push(self.timeout_notice(&ticket));
            }
            if !open && !ticket.closing_notified {
                tickets::mark_notified(tx, ticket.id, Notice::Closing).await?;
                out.extend(self.closing_notices(&ticket, desk, now));
            }
        }
        Ok(out)
    }

    /// At the opening: each message left while advisors were away goes to the
    /// trainer's open ticket, or opens one.
    async fn deliver_left_messages(
        &self,
        tx: &mut Conn,
        desk: &ChatId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let mut out = Vec::new();
        for left in tickets::pending_left_messages(tx).await? {
            tickets::mark_left_delivered(tx, left.id, now).await?;
            let Some(trainer) = trainers::by_id(tx, left.trainer_id).await? else {
                continue;
            };
            if let Some(t) = tickets::open_for(tx, trainer.id).await? {
                let text = format!("[#{}] message left while away: {}", t.id, left.text);
                out.push(Outgoing::text(desk, text));
                continue;
            }
            let reason = format!(
                "left a message while advisors were away: \u{201c}{}\u{201d}",
                left.text
            );
            out.extend(self.open_ticket(tx, &trainer, &reason, now).await?);
        }
        Ok(out)
    }

    /// Whether a waiting ticket has gone unclaimed for the policy's limit without the
    /// trainer being told.
    fn waited_too_long(&self, ticket: &Ticket, now: DateTime<Utc>) -> bool {
        let limit = chrono::Duration::minutes(i64::from(self.policy.handoff.unclaimed_minutes));
        ticket.state == TicketState::Waiting
            && !ticket.timeout_notified
            && now - ticket.opened_at >= limit
    }

    fn timeout_notice(&self, ticket: &Ticket) -> Outgoing {
        let phone = &self.policy.contact.phone;
        ticket.personal(format!(
            "Sorry for the wait: no advisor has picked up your request #{} yet. You can call {phone} now; your request stays open and a person will reply here.",
            ticket.id
        ))
    }

    /// At closing time, a ticket still open: the advisors and the trainer are told.
    fn closing_notices(&self, ticket: &Ticket, desk: &ChatId, now: DateTime<Utc>) -> [Outgoing; 2] {
        let phone = &self.policy.contact.phone;
        let next = hours::next_opening(&self.policy.hours, now)
            .map(hours::describe_instant)
            .unwrap_or_else(|| "soon".into());
        let name = ticket.trainer_name.as_deref().unwrap_or("no name");
        [
            Outgoing::text(desk, format!("Closing time: [#{}] ({name}) is still open.", ticket.id)),
            ticket.personal(format!(
                "Our advisors have closed for today. Your request #{} stays open and an advisor will follow up when they open ({next}). You can also call {phone} then.",
                ticket.id
            )),
        ]
    }
}
