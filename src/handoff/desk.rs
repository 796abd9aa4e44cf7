//! The advisors' desk: tickets opened, claimed, relayed and closed through the store.
//! Everything a hand-off changes is committed in the same transaction as the message
//! that caused it.
//!
//! - `trainer`: the trainer's side: opening a ticket, relaying their messages.
//! - `tick`: scheduled work: left messages at opening, time-outs, closing time.

use chrono::{DateTime, Utc};

use super::{AdvisorCommand, parse, queue_text, status_summary, tagged_ticket};
use crate::app::{App, AppError, Content, Incoming, Outgoing};
use crate::conversation::{self, Context, Draft, State};
use crate::store::messages;
use crate::store::tickets::{self, Ticket, TicketState};
use crate::store::trainers;
use sqlx::SqliteConnection;

mod tick;
mod trainer;

/// What someone not on the advisor list is told when they try an advisor's command.
pub const REFUSED: &str = "Only advisors can do that.";

fn to(chat: &str, text: impl Into<String>) -> Outgoing {
    Outgoing::text(chat, text)
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
        let text = match &message.content {
            Content::Text(t) | Content::Button(t) => t.clone(),
            _ => return Ok(Vec::new()),
        };
        if !self.is_advisor(&message.user) {
            tracing::warn!(user = %message.user, "refused: someone not on the advisor list acted in the advisors' chat");
            // Chatter stays unanswered; a command or a button gets a refusal, no data.
            let command = parse(&text).is_some() || message.reply_to.is_some();
            return Ok(if command {
                vec![to(desk, REFUSED)]
            } else {
                Vec::new()
            });
        }
        let command = match parse(&text) {
            Some(c) => c,
            None => match message.reply_to.as_deref().and_then(tagged_ticket) {
                Some(id) => AdvisorCommand::Reply(id, text),
                None => return Ok(Vec::new()),
            },
        };
        let advisor = message
            .name
            .clone()
            .unwrap_or_else(|| super::NO_NAME.into());
        self.advisor_command(tx, command, &advisor, desk, message.at)
            .await
    }

    /// Whether `user` may act in the advisors' chat: anyone without an allow-list
    /// (`RECERT_ADVISOR_IDS`), else only the users it names.
    pub(crate) fn is_advisor(&self, user: &str) -> bool {
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
                self.reply(tx, &ticket, &text, advisor, desk, now).await
            }
            AdvisorCommand::Done(_) => self.done(tx, &ticket, desk, now).await,
            AdvisorCommand::AssistLog(_) => self.assist_log(tx, &ticket, advisor, desk, now).await,
            AdvisorCommand::Lookup(_) => self.lookup(tx, &ticket, desk, now).await,
            AdvisorCommand::Queue | AdvisorCommand::Help => Ok(Vec::new()),
        }
    }

    /// An advisor's reply, relayed to the trainer (claiming a waiting ticket first).
    async fn reply(
        &self,
        tx: &mut SqliteConnection,
        ticket: &Ticket,
        text: &str,
        advisor: &str,
        desk: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        let mut out = Vec::new();
        if ticket.state == TicketState::Waiting {
            out = self.claim(tx, ticket, advisor, desk, now).await?;
        }
        messages::append_transcript(
            tx,
            ticket.trainer_id,
            now,
            true,
            &format!("{}: {text}", super::sentence_start(advisor)),
        )
        .await?;
        out.push(ticket.personal(format!("{}: {text}", super::sentence_start(advisor))));
        Ok(out)
    }

    /// `/done`: closes the ticket and hands the trainer back to the bot.
    async fn done(
        &self,
        tx: &mut SqliteConnection,
        ticket: &Ticket,
        desk: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        tickets::close(tx, ticket.id, now).await?;
        self.set_dialogue(tx, ticket.trainer_id, &State::Idle, now)
            .await?;
        Ok(vec![
            to(
                desk,
                format!("[#{}] closed; the bot is back with the trainer.", ticket.id),
            ),
            ticket.personal("You're back with the recertification assistant. Ask me anything, or send /status. If you need a person again, send /human.",
            ),
        ])
    }

    /// `/lookup`: the trainer's name and standing, for the advisors.
    async fn lookup(
        &self,
        tx: &mut SqliteConnection,
        ticket: &Ticket,
        desk: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        let id = ticket.id;
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
            ticket.personal(format!(
                "{} from the support team has joined and will reply here.",
                super::sentence_start(advisor)
            )),
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
            ticket.personal(format!(
                "{} handed you to the assistant to log your continuing education.",
                super::sentence_start(advisor)
            )),
        ];
        out.extend(
            outcome
                .replies
                .into_iter()
                .map(|r| ticket.personal_reply(r)),
        );
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
}
