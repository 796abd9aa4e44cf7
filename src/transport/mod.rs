//! Chat channels. Each adapter turns its platform's events into [`Incoming`] messages
//! for [`App::handle`] and delivers the [`Outgoing`] replies; a new channel is one file.
//!
//! [`Incoming`]: crate::domain::Incoming
//! [`App::handle`]: crate::app::App::handle
//! [`Outgoing`]: crate::domain::Outgoing

use chrono::{DateTime, Utc};

use crate::app::{App, AppError};
use crate::domain::{Incoming, Outgoing};

// The delivery trait lives in the leaf `domain` module (the app and the reminders send
// through it without depending on any channel); these paths keep working.
pub use crate::domain::{Transport, TransportError};

pub mod console;
pub mod jsonl;

pub mod telegram;

/// The brain a transport talks to: [`App`] in the binary, a fake in tests. Transports are
/// generic over it so they can be tested without a database.
///
/// [`App`]: crate::app::App
pub trait Handler: Sync {
    /// Handles one incoming message and returns the replies (see [`App::handle`]).
    ///
    /// # Errors
    /// Handling failed; nothing of the message was applied.
    ///
    /// [`App::handle`]: crate::app::App::handle
    fn handle(
        &self,
        message: Incoming,
    ) -> impl Future<Output = Result<Vec<Outgoing>, AppError>> + Send;

    /// Runs the scheduled work as of `at` (see [`App::tick`]).
    ///
    /// # Errors
    /// The store failed.
    ///
    /// [`App::tick`]: crate::app::App::tick
    fn tick(
        &self,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<Outgoing>, AppError>> + Send;

    /// Delivers queued proactive messages (reminders) through `transport` as of `at`
    /// (see [`App::deliver_outbox`]); call after [`Handler::tick`]. Does nothing by
    /// default.
    ///
    /// # Errors
    /// The store failed.
    ///
    /// [`App::deliver_outbox`]: crate::app::App::deliver_outbox
    fn deliver(
        &self,
        transport: &impl Transport,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), AppError>> {
        let _ = (transport, at);
        std::future::ready(Ok(()))
    }

    /// Handles messages in order, committing them together (see [`App::handle_batch`]);
    /// by default one at a time.
    ///
    /// # Errors
    /// The batch as a whole failed; nothing of it was applied.
    ///
    /// [`App::handle_batch`]: crate::app::App::handle_batch
    fn handle_batch(
        &self,
        messages: Vec<Incoming>,
    ) -> impl Future<Output = Result<Vec<Result<Vec<Outgoing>, AppError>>, AppError>> + Send {
        async move {
            let mut results = Vec::with_capacity(messages.len());
            for message in messages {
                results.push(self.handle(message).await);
            }
            Ok(results)
        }
    }
}

impl Handler for App {
    fn handle(
        &self,
        message: Incoming,
    ) -> impl Future<Output = Result<Vec<Outgoing>, AppError>> + Send {
        App::handle(self, message)
    }

    fn tick(
        &self,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<Outgoing>, AppError>> + Send {
        App::tick(self, at)
    }

    async fn deliver(&self, transport: &impl Transport, at: DateTime<Utc>) -> Result<(), AppError> {
        self.deliver_outbox(transport, at).await.map(|_| ())
    }

    fn handle_batch(
        &self,
        messages: Vec<Incoming>,
    ) -> impl Future<Output = Result<Vec<Result<Vec<Outgoing>, AppError>>, AppError>> + Send {
        App::handle_batch(self, messages)
    }
}
