//! Settings from the command line and the environment, in one struct. The bot token is
//! kept out of `Debug` output.

use std::fmt;
use std::path::PathBuf;

/// A secret (the bot token, an API key) that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Everything the binary is configured with.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The SQLite file (`--db`, `DATABASE_URL`; default `recert-bot.db`).
    pub db: PathBuf,
    /// A policy file overriding the embedded `faq/policy.toml` (`--policy`, `RECERT_POLICY`).
    pub policy: Option<PathBuf>,
    /// A directory overriding the embedded FAQ (`--faq-dir`, `RECERT_FAQ_DIR`).
    pub faq_dir: Option<PathBuf>,
    /// The advisors' chat (`RECERT_ADVISOR_CHAT`).
    pub advisor_chat: Option<String>,
    /// When non-empty, only these user ids may act in the advisors' chat
    /// (`RECERT_ADVISOR_IDS`, comma-separated).
    pub advisor_ids: Vec<String>,
    /// `TELOXIDE_TOKEN`.
    pub token: Option<Secret>,
}
