//! The `recert-bot` binary: parses the command line, sets up logging on stderr, starts
//! the app and runs the chosen transport. Start-up errors print one `error: …` line.

use std::io::{self, BufReader, IsTerminal};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Parser;
use recert_bot::app::App;
use recert_bot::config::{Cli, FaqCommand, Run, Settings, TelegramArgs};
use recert_bot::reminders::SweepOptions;
use recert_bot::stt::Stt;
use recert_bot::transport::{console, jsonl, telegram};
use tracing_subscriber::EnvFilter;

/// Where the webhook server listens without `--listen`.
const DEFAULT_LISTEN: ([u8; 4], u16) = ([0, 0, 0, 0], 8443);

/// The most unanswered questions `faq misses` lists.
const MISSES_SHOWN: u32 = 200;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = Settings::from_cli(&cli.global);
    let command = cli.command.unwrap_or_else(|| Run::default_for(&settings));
    init_tracing(cli.global.log.as_deref(), command.default_log_filter());
    let name = cli.global.name.as_deref();
    match run(command, &settings, name).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr only: stdout carries the JSONL protocol. `filter` is `--log` /
/// `RUST_LOG`; one that does not parse falls back on the command's default.
fn init_tracing(filter: Option<&str>, default_filter: &str) {
    let filter = filter
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new(default_filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .init();
}

async fn run(command: Run, settings: &Settings, name: Option<&str>) -> anyhow::Result<()> {
    match command {
        Run::Telegram(args) => run_telegram(settings, args).await,
        Run::Faq {
            command: FaqCommand::Misses,
        } => faq_misses(settings).await,
        Run::Console => run_console(settings, name).await,
        Run::Jsonl => run_jsonl(settings).await,
        Run::Remind { at, dry_run } => remind(settings, at.unwrap_or_else(Utc::now), dry_run).await,
    }
}

/// The Telegram bot until Ctrl-C or SIGTERM. The token and URLs are checked before the
/// database is opened, so a misconfiguration fails fast with one line.
async fn run_telegram(settings: &Settings, args: TelegramArgs) -> anyhow::Result<()> {
    let mode = match args.webhook {
        Some(url) => {
            let listen = args.listen.unwrap_or(DEFAULT_LISTEN.into());
            let secret = args.webhook_secret.map(|s| s.expose().to_string());
            telegram::Mode::webhook(url, listen, secret)?
        }
        None => telegram::Mode::Polling,
    };
    let mut options = telegram::Options::from_settings(settings, mode)?;
    options.metrics = args.metrics;
    let app = App::start(settings, "telegram").await?;
    telegram::run(app, options, telegram::shutdown_signal()).await?;
    Ok(())
}

/// The terminal chat; `name` is `--name` / `USER` (blank: "trainer").
async fn run_console(settings: &Settings, name: Option<&str>) -> anyhow::Result<()> {
    let app = App::start(settings, "console").await?;
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("trainer");
    let input = BufReader::new(io::stdin().lock());
    console::run(&app, input, io::stdout().lock(), name)
        .await
        .context("terminal chat")
}

async fn run_jsonl(settings: &Settings) -> anyhow::Result<()> {
    let stt = Stt::from_settings(settings.stt.as_ref())?;
    let app = App::start(settings, "jsonl").await?;
    tracing::info!(db = %settings.db, "JSONL transport ready on stdin/stdout");
    let out = jsonl::JsonlOut::new(io::stdout().lock());
    let input = BufReader::with_capacity(1 << 16, io::stdin().lock());
    jsonl::run_with_stt(&app, input, &out, stt.as_ref())
        .await
        .context("JSONL transport")
}

/// The questions the FAQ could not answer, most frequent first, one per line:
/// count, last asked, best guess and its score, the question.
async fn faq_misses(settings: &Settings) -> anyhow::Result<()> {
    let app = App::start(settings, "jsonl").await?;
    let misses = app
        .faq_misses(MISSES_SHOWN)
        .await
        .context("reading FAQ misses")?;
    if misses.is_empty() {
        println!("No unanswered questions recorded.");
    }
    for m in misses {
        let guess = match (&m.best_topic, m.best_score) {
            (Some(t), Some(s)) => format!("{t} ({s:.2})"),
            _ => "-".to_string(),
        };
        println!(
            "{}	{}	{}	{}",
            m.count,
            m.last_at
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
            guess,
            m.text.replace(['\n', '\t'], " ")
        );
    }
    Ok(())
}

/// One reminder sweep as of `at`, then the outbox delivered to stdout as JSONL message
/// lines. With `dry_run`, the reminders that would be queued are printed and nothing is
/// written.
async fn remind(settings: &Settings, at: DateTime<Utc>, dry_run: bool) -> anyhow::Result<()> {
    let app = App::start(settings, "jsonl").await?;
    let out = jsonl::JsonlOut::new(io::stdout().lock());
    if dry_run {
        let opts = SweepOptions {
            dry_run: true,
            ..SweepOptions::default()
        };
        let report = app
            .sweep_reminders(at, opts)
            .await
            .context("reminder sweep")?;
        if report.closed {
            tracing::info!(%at, "advisors are closed: a sweep now would send nothing");
        }
        for q in &report.queued {
            out.message(&q.message).context("writing to stdout")?;
        }
        return Ok(());
    }
    let messages = app.tick(at).await.context("reminder sweep")?;
    for message in &messages {
        out.message(message).context("writing to stdout")?;
    }
    let report = app
        .deliver_outbox(&out, at)
        .await
        .context("delivering reminders")?;
    tracing::info!(%at, sent = report.sent, failed = report.failed, "reminder sweep done");
    Ok(())
}
