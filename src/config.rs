//! Settings from the command line, where every environment variable is read too
//! (`#[arg(env)]`), in one struct. Secrets (the bot token, the speech-to-text key, the
//! webhook secret) are kept out of `Debug` output and out of `--help`.

use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

/// The database file used when neither `--db` nor `DATABASE_URL` is given.
pub const DEFAULT_DB: &str = "recert-bot.db";

/// The speech-to-text model asked for when `RECERT_STT_MODEL` is not set.
pub const DEFAULT_STT_MODEL: &str = "whisper-1";

/// The speech-to-text time-out when `RECERT_STT_TIMEOUT_SECS` is not set (or unusable).
pub const DEFAULT_STT_TIMEOUT: Duration = Duration::from_secs(30);

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

impl FromStr for Secret {
    type Err = Infallible;

    fn from_str(value: &str) -> Result<Self, Infallible> {
        Ok(Self::new(value))
    }
}

/// Where the records are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file, created with its schema on first use; one process at a time.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://…` or `postgresql://…`); the database must exist,
    /// its schema is created on first use, and several processes may share it.
    Postgres(String),
}

impl Database {
    /// Reads a `--db` / `DATABASE_URL` value: a plain path, `sqlite://PATH` or
    /// `sqlite:PATH` (URL forms read by sqlx's `SqliteConnectOptions`, so `?mode=rwc`
    /// and percent-escapes work as sqlx documents them), or a PostgreSQL URL. Empty
    /// means [`DEFAULT_DB`].
    ///
    /// # Errors
    /// A URL sqlx refuses, or an in-memory database (it would lose every record).
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(Self::Sqlite(PathBuf::from(DEFAULT_DB)));
        }
        if value.starts_with("postgres:") || value.starts_with("postgresql:") {
            PgConnectOptions::from_str(value).map_err(|e| e.to_string())?;
            return Ok(Self::Postgres(value.to_owned()));
        }
        if !value.starts_with("sqlite:") {
            return Ok(Self::Sqlite(PathBuf::from(value)));
        }
        let options = SqliteConnectOptions::from_str(value).map_err(|e| e.to_string())?;
        let path = options.get_filename();
        if path.as_os_str().is_empty() || path.to_string_lossy().starts_with("file:sqlx-in-memory")
        {
            return Err(format!(
                "{value} names no database file (an in-memory database would lose every record)"
            ));
        }
        Ok(Self::Sqlite(path.to_path_buf()))
    }
}

impl Default for Database {
    fn default() -> Self {
        Self::Sqlite(PathBuf::from(DEFAULT_DB))
    }
}

impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

/// A PostgreSQL URL as shown in messages and logs: any password replaced by `***`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, None), |(a, p)| (a, Some(p)));
    let shown = match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{name}:***@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let path = path
        .map(|p| format!("/{}", p.split('?').next().unwrap_or(p)))
        .unwrap_or_default();
    format!("{scheme}://{shown}{path}")
}

/// Everything the binary is configured with, normalised from [`GlobalArgs`]: empty
/// values count as unset.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `--db`, `DATABASE_URL`; default `recert-bot.db`.
    pub db: Database,
    /// A policy file overriding the embedded `faq/policy.toml` (`--policy`, `RECERT_POLICY`).
    pub policy: Option<PathBuf>,
    /// A directory overriding the embedded FAQ (`--faq-dir`, `RECERT_FAQ_DIR`).
    pub faq_dir: Option<PathBuf>,
    /// An intents file overriding `faq/intents.toml` (`--intents`, `RECERT_INTENTS`).
    pub intents: Option<PathBuf>,
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

/// A value given, trimmed; `None` when absent or blank.
fn given(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

impl SttSettings {
    /// The settings from the parsed options; `None` without a URL.
    #[must_use]
    pub fn from_args(args: &SttArgs) -> Option<Self> {
        let url = given(args.stt_url.as_deref())?;
        let timeout = given(args.stt_timeout_secs.as_deref())
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|&secs| secs > 0)
            .map_or(DEFAULT_STT_TIMEOUT, Duration::from_secs);
        Some(Self {
            url,
            model: given(args.stt_model.as_deref())
                .unwrap_or_else(|| DEFAULT_STT_MODEL.to_string()),
            key: given(args.stt_key.as_ref().map(Secret::expose)).map(Secret::new),
            timeout,
        })
    }
}

impl Settings {
    /// The settings from the parsed global options (command line and environment).
    #[must_use]
    pub fn from_cli(args: &GlobalArgs) -> Self {
        Self {
            db: args.db.clone(),
            policy: args.policy.clone(),
            faq_dir: args.faq_dir.clone(),
            intents: args.intents.clone(),
            advisor_chat: given(args.advisor_chat.as_deref()),
            advisor_ids: args
                .advisor_ids
                .as_deref()
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_string)
                .collect(),
            token: given(args.token.as_ref().map(Secret::expose)).map(Secret::new),
            api_url: given(args.api_url.as_deref()),
            stt: SttSettings::from_args(&args.stt),
        }
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
    pub command: Option<Run>,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The SQLite file, created with its schema on first use (`sqlite://PATH` works too)
    #[arg(long, global = true, env = "DATABASE_URL", value_name = "PATH", default_value = DEFAULT_DB, value_parser = Database::parse)]
    pub db: Database,
    /// A policy file replacing the embedded faq/policy.toml
    #[arg(long, global = true, env = "RECERT_POLICY", value_name = "PATH")]
    pub policy: Option<PathBuf>,
    /// A directory of FAQ entries replacing the embedded FAQ
    #[arg(long, global = true, env = "RECERT_FAQ_DIR", value_name = "PATH")]
    pub faq_dir: Option<PathBuf>,
    /// An intents file (example messages per intent) replacing the embedded faq/intents.toml
    #[arg(long, global = true, env = "RECERT_INTENTS", value_name = "PATH")]
    pub intents: Option<PathBuf>,
    /// The chat where advisors receive hand-offs (a Telegram chat id, or any string for JSONL)
    #[arg(long, global = true, env = "RECERT_ADVISOR_CHAT", value_name = "CHAT")]
    pub advisor_chat: Option<String>,
    /// Only these user ids may act in the advisors' chat (comma-separated; default:
    /// anyone in that chat)
    #[arg(long, global = true, env = "RECERT_ADVISOR_IDS", value_name = "IDS")]
    pub advisor_ids: Option<String>,
    /// The Telegram bot token (prefer the environment: a command line is visible to
    /// other users of the machine)
    #[arg(
        long,
        global = true,
        env = "TELOXIDE_TOKEN",
        value_name = "TOKEN",
        hide = true,
        hide_env_values = true
    )]
    pub token: Option<Secret>,
    /// A Bot API base URL other than Telegram's (a local Bot API server)
    #[arg(long, global = true, env = "TELOXIDE_API_URL", value_name = "URL")]
    pub api_url: Option<String>,
    /// The tracing filter for the log on stderr (default: warn in the console, info elsewhere)
    #[arg(long, global = true, env = "RUST_LOG", value_name = "FILTER")]
    pub log: Option<String>,
    /// The name the trainer at the terminal is called by (default: the login name)
    #[arg(long, global = true, env = "USER", value_name = "NAME")]
    pub name: Option<String>,
    #[command(flatten)]
    pub stt: SttArgs,
}

/// The speech-to-text service for voice notes.
#[derive(Debug, Clone, Default, Args)]
pub struct SttArgs {
    /// The speech-to-text service's base URL (OpenAI-compatible transcriptions API)
    #[arg(long, global = true, env = "RECERT_STT_URL", value_name = "URL")]
    pub stt_url: Option<String>,
    /// The speech-to-text model
    #[arg(long, global = true, env = "RECERT_STT_MODEL", value_name = "MODEL")]
    pub stt_model: Option<String>,
    /// The speech-to-text API key (sent as a bearer token)
    #[arg(
        long,
        global = true,
        env = "RECERT_STT_KEY",
        value_name = "KEY",
        hide = true,
        hide_env_values = true
    )]
    pub stt_key: Option<Secret>,
    /// Seconds to wait for a transcription (an unusable value means 30)
    #[arg(
        long,
        global = true,
        env = "RECERT_STT_TIMEOUT_SECS",
        value_name = "SECONDS"
    )]
    pub stt_timeout_secs: Option<String>,
}

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Run {
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
    /// The secret Telegram must send with every webhook request (1-256 of A-Z a-z 0-9 _ -;
    /// default: a random one)
    #[arg(
        long,
        env = "RECERT_WEBHOOK_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub webhook_secret: Option<Secret>,
    /// Serve GET /healthz and GET /metrics on this address (polling mode; with a
    /// webhook they are on its listener)
    #[arg(long, env = "RECERT_METRICS_ADDR", value_name = "ADDR")]
    pub metrics: Option<SocketAddr>,
}

impl Run {
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
    fn database_accepts_a_path_and_the_sqlite_url_forms() {
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
            let want = Database::Sqlite(PathBuf::from(expected));
            assert_eq!(Database::parse(input), Ok(want), "{input:?}");
        }
        for refused in [
            "sqlite::memory:",
            "sqlite://bot.db?colour=red",
            "postgres://u@h:notaport/db",
        ] {
            assert!(Database::parse(refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn postgres_urls_are_kept_and_shown_without_password() {
        let url = "postgresql://bot:s3cret@db.internal:5433/recert?sslmode=require";
        let db = Database::parse(url).expect("parses");
        assert_eq!(db, Database::Postgres(url.to_owned()));
        assert_eq!(
            db.to_string(),
            "postgresql://bot:***@db.internal:5433/recert"
        );
        let plain = Database::parse("postgres://u@h/db").expect("parses");
        assert_eq!(plain.to_string(), "postgres://u@h/db");
    }

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("recert-bot").chain(args.iter().copied()))
            .expect("parses")
    }

    #[test]
    fn commands_parse() {
        let at = parse_instant("2026-12-01T18:00:00Z").ok();
        let cases: [(&[&str], Option<Run>); 5] = [
            (&[], None),
            (&["jsonl"], Some(Run::Jsonl)),
            (&["console", "--db", "x.db"], Some(Run::Console)),
            (
                &["remind", "--at", "2026-12-01T10:00:00-08:00", "--dry-run"],
                Some(Run::Remind { at, dry_run: true }),
            ),
            (
                &["faq", "misses"],
                Some(Run::Faq {
                    command: FaqCommand::Misses,
                }),
            ),
        ];
        for (args, expected) in cases {
            assert_eq!(parse(args).command, expected, "{args:?}");
        }
    }

    #[test]
    fn every_setting_reads_its_environment_variable() {
        use clap::CommandFactory;
        let cli = Cli::command();
        let telegram = cli.find_subcommand("telegram").expect("telegram");
        let envs: Vec<String> = cli
            .get_arguments()
            .chain(telegram.get_arguments())
            .filter_map(|a| a.get_env())
            .map(|e| e.to_string_lossy().into_owned())
            .collect();
        for name in [
            "DATABASE_URL",
            "RECERT_POLICY",
            "RECERT_FAQ_DIR",
            "RECERT_ADVISOR_CHAT",
            "RECERT_ADVISOR_IDS",
            "TELOXIDE_TOKEN",
            "TELOXIDE_API_URL",
            "RUST_LOG",
            "USER",
            "RECERT_STT_URL",
            "RECERT_STT_MODEL",
            "RECERT_STT_KEY",
            "RECERT_STT_TIMEOUT_SECS",
            "RECERT_WEBHOOK_SECRET",
        ] {
            assert!(envs.iter().any(|e| e == name), "{name} is not read");
        }
    }

    #[test]
    fn settings_take_the_options_and_drop_blank_values() {
        let cli = parse(&[
            "jsonl",
            "--db",
            "sqlite://a.db",
            "--advisor-chat",
            "adv",
            "--token",
            "123:abc",
            "--api-url",
            " ",
            "--advisor-ids",
            " a1, ,b2 ",
        ]);
        let settings = Settings::from_cli(&cli.global);
        assert_eq!(settings.db, Database::Sqlite(PathBuf::from("a.db")));
        assert_eq!(settings.advisor_chat.as_deref(), Some("adv"));
        assert_eq!(settings.advisor_ids, ["a1", "b2"]);
        assert_eq!(settings.api_url, None);
        assert_eq!(settings.token.as_ref().map(Secret::expose), Some("123:abc"));
        assert!(!format!("{settings:?}").contains("123:abc"));
        assert!(!format!("{cli:?}").contains("123:abc"));
        assert_eq!(
            Run::default_for(&settings),
            Run::Telegram(TelegramArgs::default())
        );
    }

    #[test]
    fn stt_settings_need_a_url_and_fall_back_on_defaults() {
        let settings = Settings::from_cli(&parse(&["jsonl"]).global);
        assert_eq!(settings.stt, None);
        let cli = parse(&[
            "jsonl",
            "--stt-url",
            "http://127.0.0.1:9000",
            "--stt-key",
            "sk-secret",
            "--stt-timeout-secs",
            "5",
            "--stt-model",
            " ",
        ]);
        let settings = Settings::from_cli(&cli.global);
        let stt = settings.stt.clone().expect("configured");
        assert_eq!(stt.url, "http://127.0.0.1:9000");
        assert_eq!(stt.model, DEFAULT_STT_MODEL);
        assert_eq!(stt.key.as_ref().map(Secret::expose), Some("sk-secret"));
        assert_eq!(stt.timeout, Duration::from_secs(5));
        assert!(!format!("{settings:?}").contains("sk-secret"));
        for timeout in ["soon", "0"] {
            let args = SttArgs {
                stt_url: Some("http://h".into()),
                stt_timeout_secs: Some(timeout.into()),
                ..SttArgs::default()
            };
            let stt = SttSettings::from_args(&args).expect("configured");
            assert_eq!(stt.timeout, DEFAULT_STT_TIMEOUT, "{timeout}");
        }
    }

    #[test]
    fn bad_instant_and_listen_without_webhook_are_refused() {
        for args in [
            &["remind", "--at", "tomorrow"][..],
            &["remind", "--at", "9999-01-01T00:00:00Z"][..],
            &["remind", "--at", "1970-01-01T00:00:00Z"][..],
            &["telegram", "--listen", "0.0.0.0:8443"][..],
            &["jsonl", "--db", "sqlite::memory:"][..],
        ] {
            let all = std::iter::once("recert-bot").chain(args.iter().copied());
            assert!(Cli::try_parse_from(all).is_err(), "{args:?}");
        }
    }
}
