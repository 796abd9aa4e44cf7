//! The trainer's side of a hand-off: opening a ticket with the advisors' card, and
//! relaying the trainer's messages while it is open.

use crate::store::Conn;
use chrono::{DateTime, Utc};

use super::Desk;
use crate::conversation::{self, intent};
use crate::domain::{Action, Button, Content, Outgoing, Reply, TicketId};
use crate::handoff::{CardState, CardTrainer, card, unreachable_desk};
use crate::store::StoreError;
use crate::store::messages::{self, Speaker};
use crate::store::tickets::{self, Ticket, TicketState};
use crate::store::trainers::{self, Trainer};

/// The longest part of a trainer's message relayed to the advisors, in characters.
const RELAY_CHARS: usize = 3500;

impl Desk {
    /// A trainer with an open ticket wrote: relay it to the advisors (tagged with the
    /// ticket), and stay silent while an advisor has it. `/cancel` withdraws the request.
    ///
    /// # Errors
    /// The store failed.
    pub async fn relay_from_trainer(
        &self,
        tx: &mut Conn,
        ticket: &Ticket,
        trainer: &Trainer,
        content: &Content,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let Some(desk) = &self.chat else {
            return Ok(Vec::new());
        };
        let name = trainer.name.as_deref().unwrap_or("Trainer");
        if let Content::Text(t) = content
            && intent::command(t) == Some(intent::Command::Cancel)
        {
            tickets::close(tx, ticket.id, now).await?;
            return Ok(vec![
                Outgoing::text(desk, format!("[#{}] {name} cancelled the request.", ticket.id)),
                trainer.personal("OK, I've withdrawn your request for an advisor. You're back with the assistant."),
            ]);
        }
        let relayed = relayed(content);
        messages::append_transcript(tx, trainer.id, now, Speaker::Trainer, &relayed).await?;
        let phone = trainer.personal(unreachable_desk(ticket.id, &self.policy.contact.phone));
        let mut out = vec![
            Outgoing::text(desk, format!("[#{}] {name}: {relayed}", ticket.id)).or_else(phone),
        ];
        if ticket.state == TicketState::Waiting {
            out.push(trainer.personal("I've passed that to the advisors; a person will reply here. Send /cancel to go back to the assistant."));
        }
        Ok(out)
    }

    /// The trainer asked for a person (or needs one) while advisors are open: opens a
    /// ticket, sends the advisors its card, and tells the trainer their place in line.
    ///
    /// # Errors
    /// The store failed.
    pub async fn open_ticket(
        &self,
        tx: &mut Conn,
        trainer: &Trainer,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        if !self.configured() {
            return Ok(Vec::new());
        }
        if let Some(open) = tickets::open_for(tx, trainer.id).await? {
            return Ok(vec![trainer.personal(format!(
                "You're already in line (request #{}); an advisor will reply here.",
                open.id
            ))]);
        }
        let id = tickets::open(tx, trainer.id, reason, now).await?;
        let card = self
            .card_of(tx, trainer, id, reason, CardState::Waiting, now)
            .await?;
        let waiting = tickets::open_tickets(tx)
            .await?
            .iter()
            .filter(|t| t.state == TicketState::Waiting && t.id <= id)
            .count();
        let place = match waiting {
            0 | 1 => "You're next in line.".to_string(),
            2 => "There is 1 person ahead of you.".to_string(),
            n => format!("There are {} people ahead of you.", n - 1),
        };
        let phone = trainer.personal(unreachable_desk(id, &self.policy.contact.phone));
        Ok(vec![
            card.or_else(phone),
            trainer.personal(format!(
                "Your request is #{id}. {place} A person will reply here."
            )),
        ])
    }

    /// The card of ticket `id` as it stands (`state`), to post or to edit in place.
    ///
    /// # Errors
    /// The store failed.
    pub(super) async fn card_of(
        &self,
        tx: &mut Conn,
        trainer: &Trainer,
        id: TicketId,
        reason: &str,
        state: CardState<'_>,
        now: DateTime<Utc>,
    ) -> Result<Outgoing, StoreError> {
        let desk = self.chat.clone().unwrap_or_default();
        let profile = trainers::profile(tx, trainer).await?;
        let status = conversation::replies::current_status(&profile, &self.policy, now);
        let history =
            messages::recent_transcript(tx, trainer.id, self.policy.handoff.history_messages)
                .await?;
        let who = CardTrainer {
            name: trainer.name.as_deref().unwrap_or("(no name)"),
            channel: &trainer.channel,
            user: &trainer.user_ref,
        };
        let text = card(id, who, reason, status.as_ref(), &history, state);
        let buttons = match state {
            CardState::Waiting => vec![Button::new(format!("Claim #{id}"), Action::Claim(id))],
            CardState::Claimed { .. } | CardState::Closed => Vec::new(),
        };
        Ok(Outgoing::reply(desk, Reply::with_buttons(text, buttons)).as_card(id))
    }
}

/// What the advisors see of a trainer's message.
fn relayed(content: &Content) -> String {
    match content {
        Content::Text(t) | Content::Voice { transcript: t } => {
            t.chars().take(RELAY_CHARS).collect()
        }
        Content::Button(d) => format!("(pressed a button: {d})"),
        Content::File { reference, .. } => format!("(sent a file: {reference})"),
        Content::VoiceFailed { .. } => "(sent a voice note that could not be transcribed)".into(),
        Content::Unsupported => "(sent a sticker or other unsupported message)".into(),
    }
}
