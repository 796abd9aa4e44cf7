//! The advisors' desk: tickets opened, claimed, relayed and closed through the store.
//! Everything a hand-off changes is committed in the same transaction as the message
//! that caused it.

use chrono::{DateTime, Utc};

use super::{AdvisorCommand, card, parse, queue_text, status_summary, tagged_ticket};
use crate::app::{App, AppError, Content, Incoming, Outgoing};
use crate::conversation::{self, Button, Context, Draft, State};
use crate::rules::hours;
use crate::store::messages;
use crate::store::tickets::{self, Ticket, TicketState};
use crate::store::trainers::{self, Trainer};
use sqlx::SqliteConnection;

fn to(chat: &str, text: impl Into<String>) -> Outgoing {
    Outgoing {
        chat: chat.to_string(),
        text: text.into(),
        buttons: Vec::new(),
        document: None,
    }
}

impl App {
    /// A message in the advisors' chat: a command, a reply to a relayed message, or
    /// chatter (ignored).
    pub(crate) async fn advisor_message(
        &self,
        tx: &mut SqliteConnection,
        message: &Incoming,
        desk: &str,
    ) -> Result<Vec<Outgoing>, AppError> {
        if !self.is_advisor(&message.user) {
            tracing::warn!(user = %message.user, "message in the advisors' chat from someone not on the advisor list");
            return Ok(Vec::new());
        }
        let text = match &message.content {
            Content::Text(t) | Content::Button(t) => t.clone(),
            _ => return Ok(Vec::new()),
        };
        let command = match parse(&text) {
            Some(c) => c,
            None => match message.reply_to.as_deref().and_then(tagged_ticket) {
                Some(id) => AdvisorCommand::Reply(id, text),
                None => return Ok(Vec::new()),
            },
        };
        let advisor = message.name.clone().unwrap_or_else(|| "An advisor".into());
        self.advisor_command(tx, command, &advisor, desk, message.at)
            .await
    }

    fn is_advisor(&self, user: &str) -> bool {
        self.advisor_ids.is_empty() || self.advisor_ids.iter().any(|a| a == user)
    }

    async fn advisor_command(
        &self,
        tx: &mut SqliteConnection,
        command: AdvisorCommand,
        advisor: &str,
        desk: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        let id = match &command {
            AdvisorCommand::Queue => {
                return Ok(vec![to(
                    desk,
                    queue_text(&tickets::open_tickets(tx).await?, now),
                )]);
            }
            AdvisorCommand::Help => return Ok(vec![to(desk, super::advisor_help())]),
            AdvisorCommand::Claim(id)
            | AdvisorCommand::Reply(id, _)
            | AdvisorCommand::Done(id)
            | AdvisorCommand::AssistLog(id)
            | AdvisorCommand::Lookup(id) => *id,
        };
        let ticket = match tickets::get(tx, id).await? {
            Some(t)
                if t.state != TicketState::Closed
                    || matches!(command, AdvisorCommand::Lookup(_)) =>
            {
                t
            }
            _ => {
                return Ok(vec![to(
                    desk,
                    format!("Ticket #{id} is not open. /queue lists the open ones."),
                )]);
            }
        };
        match command {
            AdvisorCommand::Claim(_) => self.claim(tx, &ticket, advisor, desk, now).await,
            AdvisorCommand::Reply(_, text) => {
                let mut out = Vec::new();
                if ticket.state == TicketState::Waiting {
                    out = self.claim(tx, &ticket, advisor, desk, now).await?;
                }
                messages::append_transcript(
                    tx,
                    ticket.trainer_id,
                    now,
                    true,
                    &format!("{advisor}: {text}"),
                )
                .await?;
                out.push(to(&ticket.chat_ref, format!("{advisor}: {text}")));
                Ok(out)
            }
            AdvisorCommand::Done(_) => {
                tickets::close(tx, ticket.id, now).await?;
                self.set_dialogue(tx, ticket.trainer_id, &State::Idle, now)
                    .await?;
                Ok(vec![
                    to(
                        desk,
                        format!("[#{}] closed; the bot is back with the trainer.", ticket.id),
                    ),
                    to(
                        &ticket.chat_ref,
                        "You're back with the recertification assistant. Ask me anything, or send /status. If you need a person again, send /human.",
                    ),
                ])
            }
            AdvisorCommand::AssistLog(_) => self.assist_log(tx, &ticket, advisor, desk, now).await,
            AdvisorCommand::Lookup(_) => {
                let trainer = trainers::by_id(tx, ticket.trainer_id).await?;
                let Some(trainer) = trainer else {
                    return Ok(vec![to(
                        desk,
                        format!("Ticket #{id}: the trainer's data was deleted."),
                    )]);
                };
                let profile = self.profile(tx, &trainer).await?;
                let status = conversation::replies::current_status(&profile, &self.policy, now);
                let name = trainer.name.as_deref().unwrap_or("(no name)");
                Ok(vec![to(
                    desk,
                    format!("[#{id}] {name}\n{}", status_summary(status.as_ref())),
                )])
            }
            AdvisorCommand::Queue | AdvisorCommand::Help => Ok(Vec::new()),
        }
    }

    async fn claim(
        &self,
        tx: &mut SqliteConnection,
        ticket: &Ticket,
        advisor: &str,
        desk: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        if ticket.state == TicketState::Claimed {
            let by = ticket.advisor_name.as_deref().unwrap_or("another advisor");
            return Ok(vec![to(
                desk,
                format!("[#{}] is already claimed by {by}.", ticket.id),
            )]);
        }
        tickets::claim(tx, ticket.id, advisor, now).await?;
        Ok(vec![
            to(
                desk,
                format!(
                    "[#{}] claimed by {advisor}. Reply with /r {} text, and /done {} when finished.",
                    ticket.id, ticket.id, ticket.id
                ),
            ),
            to(
                &ticket.chat_ref,
                format!("{advisor} from the support team has joined and will reply here."),
            ),
        ])
    }

    async fn assist_log(
        &self,
        tx: &mut SqliteConnection,
        ticket: &Ticket,
        advisor: &str,
        desk: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        tickets::close(tx, ticket.id, now).await?;
        let Some(trainer) = trainers::by_id(tx, ticket.trainer_id).await? else {
            return Ok(vec![to(
                desk,
                format!("Ticket #{}: the trainer's data was deleted.", ticket.id),
            )]);
        };
        let profile = self.profile(tx, &trainer).await?;
        let ctx = Context {
            policy: &self.policy,
            faq: &self.faq,
            profile: &profile,
            now,
            voice: false,
            advisors: self.advisor_chat.is_some(),
        };
        let outcome = conversation::logging::advance(Draft::default(), &ctx, None);
        self.set_dialogue(tx, trainer.id, &outcome.state, now)
            .await?;
        let mut out = vec![
            to(
                desk,
                format!("[#{}] handed to the bot for CEU logging.", ticket.id),
            ),
            to(
                &ticket.chat_ref,
                format!("{advisor} handed you to the assistant to log your continuing education."),
            ),
        ];
        out.extend(outcome.replies.into_iter().map(|r| Outgoing {
            chat: ticket.chat_ref.clone(),
            text: r.text,
            buttons: r.buttons,
            document: None,
        }));
        Ok(out)
    }

    async fn set_dialogue(
        &self,
        tx: &mut SqliteConnection,
        trainer: i64,
        state: &State,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        trainers::save_dialogue(tx, trainer, &serde_json::to_string(state)?, now).await?;
        Ok(())
    }

    /// A trainer with an open ticket wrote: relay it to the advisors (tagged with the
    /// ticket), and stay silent while an advisor has it. `/cancel` withdraws the request.
    pub(crate) async fn relay_from_trainer(
        &self,
        tx: &mut SqliteConnection,
        ticket: &Ticket,
        trainer: &Trainer,
        content: &Content,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        let Some(desk) = self.advisor_chat.as_deref() else {
            return Ok(Vec::new());
        };
        let name = trainer.name.as_deref().unwrap_or("Trainer");
        if let Content::Text(t) = content
            && conversation::intent::command(t) == Some(conversation::intent::Command::Cancel)
        {
            tickets::close(tx, ticket.id, now).await?;
            return Ok(vec![
                to(
                    desk,
                    format!("[#{}] {name} cancelled the request.", ticket.id),
                ),
                to(
                    &trainer.chat_ref,
                    "OK, I've withdrawn your request for an advisor. You're back with the assistant.",
                ),
            ]);
        }
        let relayed = match content {
            Content::Text(t) | Content::Voice { transcript: t } => {
                t.chars().take(3500).collect::<String>()
            }
            Content::Button(d) => format!("(pressed a button: {d})"),
            Content::File { reference, .. } => format!("(sent a file: {reference})"),
            Content::VoiceFailed { .. } => {
                "(sent a voice note that could not be transcribed)".into()
            }
            Content::Unsupported => "(sent a sticker or other unsupported message)".into(),
        };
        messages::append_transcript(tx, trainer.id, now, false, &relayed).await?;
        let mut out = vec![to(desk, format!("[#{}] {name}: {relayed}", ticket.id))];
        if ticket.state == TicketState::Waiting {
            out.push(to(
                &trainer.chat_ref,
                "I've passed that to the advisors; a person will reply here. Send /cancel to go back to the assistant.",
            ));
        }
        Ok(out)
    }

    /// The trainer asked for a person (or needs one) while advisors are open: opens a
    /// ticket, sends the advisors its card, and tells the trainer their place in line.
    pub(crate) async fn open_ticket(
        &self,
        tx: &mut SqliteConnection,
        trainer: &Trainer,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        let Some(desk) = self.advisor_chat.as_deref() else {
            return Ok(Vec::new());
        };
        if let Some(open) = tickets::open_for(tx, trainer.id).await? {
            return Ok(vec![to(
                &trainer.chat_ref,
                format!(
                    "You're already in line (request #{}); an advisor will reply here.",
                    open.id
                ),
            )]);
        }
        let id = tickets::open(tx, trainer.id, reason, now).await?;
        let profile = self.profile(tx, trainer).await?;
        let status = conversation::replies::current_status(&profile, &self.policy, now);
        let history =
            messages::recent_transcript(tx, trainer.id, self.policy.handoff.history_messages)
                .await?;
        let name = trainer.name.as_deref().unwrap_or("(no name)");
        let text = card(id, name, reason, &status_summary(status.as_ref()), &history);
        let waiting = tickets::open_tickets(tx)
            .await?
            .iter()
            .filter(|t| t.state == TicketState::Waiting && t.id <= id)
            .count();
        let place = match waiting {
            0 | 1 => "You're next in line.".to_string(),
            n => format!("There are {} people ahead of you.", n - 1),
        };
        Ok(vec![
            Outgoing {
                chat: desk.to_string(),
                text,
                buttons: vec![Button::new(format!("Claim #{id}"), format!("claim:{id}"))],
                document: None,
            },
            to(
                &trainer.chat_ref,
                format!("Your request is #{id}. {place} A person will reply here."),
            ),
        ])
    }

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
                out.push(to(&t.chat_ref, format!(
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
                out.push(to(&t.chat_ref, format!(
                    "Our advisors have closed for today. Your request #{} stays open and an advisor will follow up when they open ({next}). You can also call {phone} then.",
                    t.id
                )));
            }
        }
        Ok(out)
    }
}
