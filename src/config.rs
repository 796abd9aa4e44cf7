//! Settings from the command line and the environment, in one struct. The bot token is
//! kept out of `Debug` output.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};

/// The database file used when neither `--db` nor `DATABASE_URL` is given.
pub const DEFAULT_DB: &str = "recert-bot.db";

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
    /// `TELOXIDE_API_URL`: a Bot API base URL other than the public one.
    pub api_url: Option<String>,
    /// The speech-to-text service for voice notes (`RECERT_STT_*`); `None` when
    /// `RECERT_STT_URL` is not set.
    pub stt: Option<SttSettings>,
}

/// Where voice notes are transcribed: an OpenAI-compatible
/// `POST /v1/audio/transcriptions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SttSettings {
    /// `RECERT_STT_URL`: the service's base URL (or the full transcriptions URL).
    pub url: String,
    /// `RECERT_STT_MODEL` (default `whisper-1`).
    pub model: String,
    /// `RECERT_STT_KEY`: sent as `Authorization: Bearer …`; never printed.
    pub key: Option<Secret>,
    /// `RECERT_STT_TIMEOUT_SECS` (default 30; an unreadable or zero value means 30).
    pub timeout: Duration,
}

impl SttSettings {
    /// The settings from an environment lookup (empty values already dropped); `None`
    /// without a URL.
    #[must_use]
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let url = env("RECERT_STT_URL")?;
        let timeout = env("RECERT_STT_TIMEOUT_SECS")
            .and_then(|s| s.trim().parse::<u64>().ok())
            .filter(|&secs| secs > 0)
            .map_or(crate::stt::DEFAULT_TIMEOUT, Duration::from_secs);
        Some(Self {
            url: url.trim().to_string(),
            model: env("RECERT_STT_MODEL").map_or_else(
                || crate::stt::DEFAULT_MODEL.to_string(),
                |m| m.trim().to_string(),
            ),
            key: env("RECERT_STT_KEY").map(|k| Secret::new(k.trim())),
            timeout,
        })
    }
}

impl Settings {
    /// Builds the settings from the parsed global options and an environment lookup
    /// (`|name| std::env::var(name).ok()` in the binary). Empty values count as unset.
    #[must_use]
    pub fn from_cli(args: &GlobalArgs, env: impl Fn(&str) -> Option<String>) -> Self {
        let env = |name: &str| env(name).filter(|value| !value.trim().is_empty());
        Self {
            db: db_path(&args.db),
            policy: args.policy.clone(),
            faq_dir: args.faq_dir.clone(),
            advisor_chat: args.advisor_chat.clone().filter(|c| !c.trim().is_empty()),
            advisor_ids: args
                .advisor_ids
                .as_deref()
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_string)
                .collect(),
            token: env("TELOXIDE_TOKEN").map(Secret::new),
            api_url: env("TELOXIDE_API_URL"),
            stt: SttSettings::from_env(env),
        }
    }
}

/// The file path in a `--db` / `DATABASE_URL` value: `sqlite://path`, `sqlite:path` and a
/// plain path all name the same file; a `?query` suffix after a URL form is dropped.
#[must_use]
pub fn db_path(value: &str) -> PathBuf {
    let value = value.trim();
    let rest = value
        .strip_prefix("sqlite://")
        .or_else(|| value.strip_prefix("sqlite:"));
    match rest {
        Some(rest) => PathBuf::from(rest.split_once('?').map_or(rest, |(path, _)| path)),
        None if value.is_empty() => PathBuf::from(DEFAULT_DB),
        None => PathBuf::from(value),
    }
}

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "recert-bot",
    version,
    about = "Support bot for NASM-CPT recertification: FAQ, CEU logging, advisor hand-off, reminders",
    long_about = "Support bot for NASM-CPT recertification: FAQ, CEU logging, advisor hand-off, reminders.\n\nWith no command: an interactive chat in the terminal, or the Telegram bot when TELOXIDE_TOKEN is set."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The SQLite file, created with its schema on first use (`sqlite://PATH` works too)
    #[arg(long, global = true, env = "DATABASE_URL", value_name = "PATH", default_value = DEFAULT_DB)]
    pub db: String,
    /// A policy file replacing the embedded faq/policy.toml
    #[arg(long, global = true, env = "RECERT_POLICY", value_name = "PATH")]
    pub policy: Option<PathBuf>,
    /// A directory of FAQ entries replacing the embedded FAQ
    #[arg(long, global = true, env = "RECERT_FAQ_DIR", value_name = "PATH")]
    pub faq_dir: Option<PathBuf>,
    /// The chat where advisors receive hand-offs (a Telegram chat id, or any string for JSONL)
    #[arg(long, global = true, env = "RECERT_ADVISOR_CHAT", value_name = "CHAT")]
    pub advisor_chat: Option<String>,
    /// Only these user ids may act in the advisors' chat (comma-separated; default:
    /// anyone in that chat)
    #[arg(long, global = true, env = "RECERT_ADVISOR_IDS", value_name = "IDS")]
    pub advisor_ids: Option<String>,
}

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// The Telegram bot (long polling, or a webhook with --webhook) plus the reminder scheduler
    Telegram(TelegramArgs),
    /// An interactive terminal chat as one trainer
    Console,
    /// One JSON object per line on stdin, the bot's messages and acks on stdout
    Jsonl,
    /// One reminder sweep now (or as of --at); prints the messages as JSON lines
    Remind {
        /// The instant to sweep as of (RFC 3339, e.g. 2026-12-01T18:00:00Z); default now
        #[arg(long, value_name = "INSTANT", value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
        /// List what would be sent
        #[arg(long)]
        dry_run: bool,
    },
    /// FAQ maintenance
    Faq {
        #[command(subcommand)]
        command: FaqCommand,
    },
}

/// `recert-bot faq …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum FaqCommand {
    /// Questions the FAQ could not answer, most frequent first
    Misses,
}

/// Options of `recert-bot telegram`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct TelegramArgs {
    /// Receive updates on this public HTTPS URL instead of long polling
    #[arg(long, value_name = "URL")]
    pub webhook: Option<reqwest::Url>,
    /// The local address the webhook server listens on (e.g. 0.0.0.0:8443)
    #[arg(long, value_name = "ADDR", requires = "webhook")]
    pub listen: Option<SocketAddr>,
}

impl Command {
    /// The command run when none is given: Telegram with a token, the console without.
    #[must_use]
    pub fn default_for(settings: &Settings) -> Self {
        if settings.token.is_some() {
            Self::Telegram(TelegramArgs::default())
        } else {
            Self::Console
        }
    }

    /// The tracing filter used when `RUST_LOG` is not set: quiet in the terminal chat.
    #[must_use]
    pub fn default_log_filter(&self) -> &'static str {
        match self {
            Self::Console => "warn",
            _ => "info",
        }
    }
}

/// The years an instant given from outside (`--at`, a JSONL `at` or `tick`) may fall in.
/// Anything else is a typo or a probe, never a real moment for a trainer: year 9999
/// would otherwise turn into "renew until … +10000".
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Whether `at` falls in [`PLAUSIBLE_YEARS`].
#[must_use]
pub fn plausible_instant(at: DateTime<Utc>) -> bool {
    use chrono::Datelike;
    PLAUSIBLE_YEARS.contains(&at.year())
}

/// Parses an RFC 3339 instant (`2026-12-01T18:00:00Z`, or with an offset) between the
/// years 2000 and 2100.
///
/// # Errors
/// The text is not an RFC 3339 instant, or it lies outside those years.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    let at = DateTime::parse_from_rfc3339(text.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 instant like 2026-12-01T18:00:00Z ({e})"))?;
    if !plausible_instant(at) {
        return Err(format!(
            "{at} is outside the years {}-{}",
            PLAUSIBLE_YEARS.start(),
            PLAUSIBLE_YEARS.end()
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_path_accepts_url_forms() {
        let cases = [
            ("recert-bot.db", "recert-bot.db"),
            ("sqlite://data/bot.db", "data/bot.db"),
            ("sqlite:bot.db", "bot.db"),
            ("sqlite:///var/lib/bot.db", "/var/lib/bot.db"),
            ("sqlite://bot.db?mode=rwc", "bot.db"),
            ("  /tmp/x.db ", "/tmp/x.db"),
            ("", DEFAULT_DB),
        ];
        for (input, expected) in cases {
            assert_eq!(db_path(input), PathBuf::from(expected), "{input:?}");
        }
    }

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("recert-bot").chain(args.iter().copied()))
            .expect("parses")
    }

    #[test]
    fn commands_parse() {
        let at = parse_instant("2026-12-01T18:00:00Z").ok();
        let cases: [(&[&str], Option<Command>); 5] = [
            (&[], None),
            (&["jsonl"], Some(Command::Jsonl)),
            (&["console", "--db", "x.db"], Some(Command::Console)),
            (
                &["remind", "--at", "2026-12-01T10:00:00-08:00", "--dry-run"],
                Some(Command::Remind { at, dry_run: true }),
            ),
            (
                &["faq", "misses"],
                Some(Command::Faq {
                    command: FaqCommand::Misses,
                }),
            ),
        ];
        for (args, expected) in cases {
            assert_eq!(parse(args).command, expected, "{args:?}");
        }
    }

    #[test]
    fn settings_take_globals_and_env() {
        let cli = parse(&["jsonl", "--db", "sqlite://a.db", "--advisor-chat", "adv"]);
        let env = |name: &str| match name {
            "TELOXIDE_TOKEN" => Some("123:abc".to_string()),
            "TELOXIDE_API_URL" => Some(String::new()),
            _ => None,
        };
        let settings = Settings::from_cli(&cli.global, env);
        assert_eq!(settings.db, PathBuf::from("a.db"));
        assert_eq!(settings.advisor_chat.as_deref(), Some("adv"));
        assert_eq!(settings.api_url, None);
        assert_eq!(settings.token.as_ref().map(Secret::expose), Some("123:abc"));
        assert!(!format!("{settings:?}").contains("123:abc"));
        assert_eq!(
            Command::default_for(&settings),
            Command::Telegram(TelegramArgs::default())
        );
    }

    #[test]
    fn stt_settings_come_from_the_environment() {
        let cli = parse(&["jsonl"]);
        let settings = Settings::from_cli(&cli.global, |_| None);
        assert_eq!(settings.stt, None);
        let env = |name: &str| {
            let value = match name {
                "RECERT_STT_URL" => "http://127.0.0.1:9000",
                "RECERT_STT_KEY" => "sk-secret",
                "RECERT_STT_TIMEOUT_SECS" => "5",
                "RECERT_STT_MODEL" => " ",
                _ => return None,
            };
            Some(value.to_string())
        };
        let settings = Settings::from_cli(&cli.global, env);
        let stt = settings.stt.clone().expect("configured");
        assert_eq!(stt.url, "http://127.0.0.1:9000");
        assert_eq!(stt.model, "whisper-1");
        assert_eq!(stt.key.as_ref().map(Secret::expose), Some("sk-secret"));
        assert_eq!(stt.timeout, Duration::from_secs(5));
        assert!(!format!("{settings:?}").contains("sk-secret"));
        let bad_timeout = |name: &str| match name {
            "RECERT_STT_URL" => Some("http://h".to_string()),
            "RECERT_STT_TIMEOUT_SECS" => Some("soon".to_string()),
            _ => None,
        };
        let stt = SttSettings::from_env(bad_timeout).expect("configured");
        assert_eq!(stt.timeout, crate::stt::DEFAULT_TIMEOUT);
    }

    #[test]
    fn bad_instant_and_listen_without_webhook_are_refused() {
        for args in [
            &["remind", "--at", "tomorrow"][..],
            &["remind", "--at", "9999-01-01T00:00:00Z"][..],
            &["remind", "--at", "1970-01-01T00:00:00Z"][..],
            &["telegram", "--listen", "0.0.0.0:8443"][..],
        ] {
            let all = std::iter::once("recert-bot").chain(args.iter().copied());
            assert!(Cli::try_parse_from(all).is_err(), "{args:?}");
        }
    }
}
