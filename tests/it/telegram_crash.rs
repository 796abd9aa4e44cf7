//! Crash safety of the Telegram transport with the real binary: `recert-bot telegram`
//! against the fake Bot API, killed with SIGKILL while updates are in flight, then
//! restarted on the same database. Polling: the fake keeps each update until a later
//! getUpdates confirms it, as Telegram does. Webhook: the fake POSTs each update again
//! until it gets a 2xx. After the last restart every update is answered, and none
//! more than once beyond the documented at-least-once case: a request in flight at a
//! kill may be sent again, at most one per chat per kill (a chat has one in flight).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::json;

use crate::fake_telegram::{FakeTelegram, chat_json};

const CHATS: i64 = 12;
const PER_CHAT: usize = 4;
const KILLS: usize = 3;
const WAIT: Duration = Duration::from_secs(60);

fn spawn(fake: &FakeTelegram, db: &Path, webhook: Option<(&str, &str)>) -> Child {
    let mut args = vec![
        "--db".to_string(),
        db.display().to_string(),
        "telegram".into(),
    ];
    if let Some((listen, secret)) = webhook {
        args.extend([
            "--webhook".into(),
            "https://bot.example.com/hook".into(),
            "--listen".into(),
            listen.into(),
            "--webhook-secret".into(),
            secret.into(),
        ]);
    }
    Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(&args)
        .env("TELOXIDE_TOKEN", "123:TEST")
        .env("TELOXIDE_API_URL", fake.url.as_str())
        .env_remove("RECERT_ADVISOR_CHAT")
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts")
}

/// Replies delivered to each trainer chat.
fn delivered(fake: &FakeTelegram) -> BTreeMap<i64, usize> {
    (1..=CHATS).map(|c| (c, fake.sent_to(c).len())).collect()
}

/// Sends every trainer's messages in waves, one message per chat each; kills the bot
/// with SIGKILL right after Telegram stops holding an update of the wave (polling: the
/// page was confirmed; webhook: an update got its 2xx), the most dangerous instant,
/// while the earlier waves' replies are still being sent, and restarts it.
async fn crash_run(webhook: bool) {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("tg.db");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let hook = webhook.then_some((listen.as_str(), "crash-secret"));
    if webhook {
        fake.post_updates_to(format!("http://{listen}/hook"), "crash-secret", 4);
    }
    let mut bot = spawn(&fake, &db, hook);
    for wave in 0..PER_CHAT {
        for chat in 1..=CHATS {
            let id = fake.message_id();
            fake.push(
                "message",
                json!({"message_id": id, "date": 1_700_000_000, "chat": chat_json(chat),
                    "from": {"id": chat, "is_bot": false, "first_name": "Ana"}, "text": "/help"}),
            );
        }
        let held = fake.pending_updates();
        assert!(
            fake.wait_for(WAIT, |f| f.pending_updates() < held).await,
            "wave {wave} taken"
        );
        if wave < KILLS {
            bot.kill().expect("SIGKILL");
            bot.wait().expect("reaped");
            bot = spawn(&fake, &db, hook);
        }
    }
    let all_answered = fake
        .wait_for(WAIT, |f| delivered(f).values().all(|n| *n >= PER_CHAT))
        .await;
    // A moment more, for any duplicate still on its way.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // SAFETY: a plain signal to the child we spawned.
    unsafe { libc::kill(bot.id() as i32, libc::SIGTERM) };
    bot.wait().expect("stopped");
    let got = delivered(&fake);
    assert!(all_answered, "every update answered: {got:?}");
    for (chat, n) in &got {
        assert!(
            *n <= PER_CHAT + KILLS,
            "chat {chat} got {n} replies for {PER_CHAT} messages (at most one repeat per kill)"
        );
    }
    assert_eq!(fake.pending_updates(), 0, "Telegram holds no update");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_polling_mode_loses_no_update() {
    crash_run(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_webhook_mode_loses_no_update() {
    crash_run(true).await;
}
