//! Voice notes end to end: the real Telegram transport against the fake Bot API (getFile
//! and the file download) and a fake speech-to-text server, the JSONL transport through
//! the real binary, and the engine's confirmation step for transcribed amounts.

pub mod fake_stt;

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use recert_bot::app::{App, Content};
use recert_bot::config::{Secret, SttSettings};
use recert_bot::faq::Faq;
use recert_bot::rules::Policy;
use recert_bot::stt::Stt;
use recert_bot::transport::telegram::{self, Mode, Options, StartError};
use serde_json::{Value, json};
use teloxide::adaptors::throttle::Limits;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::db::TestDb;
use crate::fake_telegram::{FakeTelegram, chat_json};
use crate::support::{buttons, spawn_app, text};
use fake_stt::{Answer, FakeStt};

const KEY: &str = "sk-test-KEY-0123456789";
const AUDIO: &[u8] = b"OggS\x00\x02fake-opus-audio\x00\xff\x10";
const HEARD: &str = "I did a 4 hour nutrition workshop yesterday";
const TYPE_INSTEAD: &str = "Could you type it instead?";
const WAIT: Duration = Duration::from_secs(10);

const FAST: Limits = Limits {
    messages_per_sec_chat: 100,
    messages_per_min_chat: 1000,
    messages_per_min_channel_or_supergroup: 1000,
    messages_per_sec_overall: 1000,
};

fn stt_settings(url: &str, timeout_secs: u64) -> SttSettings {
    SttSettings {
        url: url.to_string(),
        model: "whisper-test".into(),
        key: Some(Secret::new(KEY)),
        timeout: Duration::from_secs(timeout_secs),
    }
}

struct Bot {
    task: JoinHandle<Result<(), StartError>>,
    stop: oneshot::Sender<()>,
    db: TestDb,
}

impl Bot {
    async fn start(fake: &FakeTelegram, stt: Option<SttSettings>) -> Self {
        let db = TestDb::fresh("voice.db").await;
        let policy = Policy::embedded();
        let faq = Faq::embedded(&policy).unwrap();
        let app = App::new(db.open().await, policy, faq, None, "telegram");
        let mut o = Options::new(
            Secret::new("123:TEST"),
            Some(fake.url.clone()),
            Mode::Polling,
            None,
        );
        o.poll_timeout = Duration::from_secs(1);
        o.limits = FAST;
        o.tick_every = Some(Duration::from_secs(3600));
        o.stt = stt.map(|s| Stt::new(&s).expect("valid STT settings"));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(telegram::run(app, o, async move {
            let _ = stopped.await;
        }));
        assert!(
            fake.wait_for(WAIT, |f| !f.calls("getupdates").is_empty())
                .await
        );
        Self { task, stop, db }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        let ended = tokio::time::timeout(WAIT, self.task)
            .await
            .expect("stopped");
        assert!(ended.expect("no panic").is_ok(), "clean stop");
    }

    /// Stored entries: (minutes, area).
    async fn entries(&self) -> Vec<(i64, String)> {
        let store = self.db.open().await;
        let mut conn = crate::db::conn(&store).await;
        recert_bot::on!(&mut conn, |c| sqlx::query_as(
            "SELECT minutes, area FROM ce_entries ORDER BY id"
        )
        .fetch_all(c)
        .await
        .unwrap())
    }
}

fn message(fake: &FakeTelegram, chat: i64, media: Value) -> Value {
    let mut m = json!({"message_id": fake.message_id(), "date": 1_700_000_000,
        "chat": chat_json(chat), "from": {"id": chat, "is_bot": false, "first_name": "Ana"}});
    m.as_object_mut()
        .unwrap()
        .extend(media.as_object().unwrap().clone());
    m
}

fn voice(file_id: &str, size: usize, mime: &str) -> Value {
    json!({"voice": {"file_id": file_id, "file_unique_id": file_id, "duration": 4,
        "mime_type": mime, "file_size": size}})
}

/// Queues an update and returns the texts of the replies it caused.
async fn send(fake: &FakeTelegram, chat: i64, kind: &str, body: Value) -> Vec<String> {
    let before = fake.sent_to(chat).len();
    fake.push(kind, body);
    assert!(
        fake.wait_for(WAIT, |f| f.sent_to(chat).len() > before)
            .await,
        "a reply"
    );
    let mut seen = fake.sent_to(chat).len();
    loop {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let now = fake.sent_to(chat).len();
        if now == seen {
            return fake.sent_to(chat)[before..]
                .iter()
                .map(|b| b["text"].as_str().unwrap_or_default().to_string())
                .collect();
        }
        seen = now;
    }
}

async fn say(fake: &FakeTelegram, chat: i64, text: &str) -> String {
    send(
        fake,
        chat,
        "message",
        message(fake, chat, json!({"text": text})),
    )
    .await
    .join("\n")
}

async fn press(fake: &FakeTelegram, chat: i64, data: &str) -> String {
    let q = json!({"id": format!("q{}", fake.message_id()), "from": {"id": chat, "is_bot": false, "first_name": "Ana"},
        "chat_instance": "ci", "data": data,
        "message": {"message_id": fake.message_id(), "date": 1_700_000_000, "chat": chat_json(chat),
            "from": {"id": 999, "is_bot": true, "first_name": "Recert"}, "text": "…"}});
    send(fake, chat, "callback_query", q).await.join("\n")
}

async fn register(fake: &FakeTelegram, chat: i64) {
    say(fake, chat, "/start").await;
    let expiry = chrono::Utc::now().date_naive() + chrono::Days::new(300);
    say(fake, chat, &format!("my certification expires on {expiry}")).await;
    say(fake, chat, "yes").await;
}

/// Log lines written while the guard lives (DEBUG and up, this thread's tasks).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let logs = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || logs.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn a_voice_note_is_transcribed_confirmed_and_logged_without_blocking_other_chats() {
    let logs = Logs::default();
    let _guard = logs.capture();
    let fake = FakeTelegram::start().await;
    let stt = FakeStt::start(vec![Answer::Held(HEARD.into())]).await;
    let bot = Bot::start(&fake, Some(stt_settings(&stt.url, 30))).await;
    register(&fake, 42).await;
    fake.add_file("v1", AUDIO);

    // Chat 42's voice note waits on the service; chat 7 is answered meanwhile.
    let before = fake.sent_to(42).len();
    fake.push(
        "message",
        message(&fake, 42, voice("v1", AUDIO.len(), "audio/ogg")),
    );
    assert!(stt.wait_for_requests(1).await, "the service was asked");
    assert!(say(&fake, 7, "/help").await.len() > 10);
    assert_eq!(
        fake.sent_to(42).len(),
        before,
        "42 still waits for its transcript"
    );
    stt.release();
    assert!(fake.wait_for(WAIT, |f| f.sent_to(42).len() > before).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let heard = fake.sent_to(42)[before]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(heard, format!("I heard: \u{201c}{HEARD}\u{201d}"));

    // Nothing is stored until the explicit Save.
    let s = press(&fake, 42, "prov:approved").await;
    assert!(s.contains("Save?"), "{s}");
    assert!(
        bot.entries().await.is_empty(),
        "not saved before confirmation"
    );
    let s = press(&fake, 42, "save").await;
    assert!(s.contains("Saved"), "{s}");
    assert_eq!(bot.entries().await, [(240, "nutrition".to_string())]);

    // The request: the right endpoint, the file's bytes and type, the model, the key.
    let requests = stt.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.path, "/v1/audio/transcriptions");
    assert_eq!(
        r.authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
    let (headers, bytes) = r.part("file").expect("a file part");
    assert_eq!(bytes, AUDIO);
    assert!(headers.contains("audio/ogg"), "{headers}");
    assert!(headers.contains("filename=\"voice.ogg\""), "{headers}");
    assert_eq!(r.part("model").expect("a model part").1, b"whisper-test");
    assert_eq!(fake.calls("getfile")[0]["file_id"], "v1");
    assert_eq!(fake.downloads(), ["/file/bot123:TEST/voice/v1.oga"]);
    bot.stop().await;

    let logs = logs.text();
    assert!(
        logs.contains("voice note transcribed"),
        "logs were captured"
    );
    assert!(!logs.contains(KEY), "the key leaked into the logs");
    assert!(
        !logs.contains("sk-test"),
        "part of the key leaked into the logs"
    );
}

#[tokio::test]
async fn a_slow_or_failing_service_asks_to_type_and_stores_nothing() {
    let logs = Logs::default();
    let _guard = logs.capture();
    let fake = FakeTelegram::start().await;
    let answers = vec![
        Answer::Slow(Duration::from_secs(3)),
        Answer::Status(500),
        Answer::Garbage,
        Answer::Text("  ".into()),
    ];
    let stt = FakeStt::start(answers).await;
    let bot = Bot::start(&fake, Some(stt_settings(&stt.url, 1))).await;
    register(&fake, 42).await;
    fake.add_file("v1", AUDIO);
    for n in 1..=4 {
        let body = message(&fake, 42, voice("v1", AUDIO.len(), "audio/ogg"));
        let replies = send(&fake, 42, "message", body).await;
        assert_eq!(replies.len(), 1, "{replies:?}");
        assert!(replies[0].contains(TYPE_INSTEAD), "answer {n}: {replies:?}");
    }
    assert_eq!(stt.requests().len(), 4);
    assert!(bot.entries().await.is_empty());
    bot.stop().await;
    let logs = logs.text();
    for reason in [
        "did not answer within",
        "answered HTTP 500",
        "is not {\"text\"",
        "heard nothing",
    ] {
        assert!(logs.contains(reason), "{reason} logged");
    }
    assert!(logs.contains("WARN"), "failures are warnings");
    assert!(!logs.contains(KEY));
}

#[tokio::test]
async fn large_or_unsupported_notes_get_a_clear_reply_without_a_download() {
    let fake = FakeTelegram::start().await;
    let stt = FakeStt::start(vec![Answer::Text(HEARD.into())]).await;
    let bot = Bot::start(&fake, Some(stt_settings(&stt.url, 5))).await;
    let big = message(&fake, 42, voice("big", 21 * 1024 * 1024, "audio/ogg"));
    let s = send(&fake, 42, "message", big).await.join("\n");
    assert!(s.contains("the limit is 20 MB"), "{s}");
    let aac = json!({"audio": {"file_id": "a1", "file_unique_id": "a1", "duration": 4,
        "mime_type": "audio/aac", "file_name": "note.ogg", "file_size": 100}});
    let s = send(&fake, 42, "message", message(&fake, 42, aac))
        .await
        .join("\n");
    assert!(s.contains("I can't play that audio format"), "{s}");
    assert!(fake.calls("getfile").is_empty(), "nothing fetched");
    assert!(stt.requests().is_empty(), "nothing sent");
    bot.stop().await;
}

#[tokio::test]
async fn without_a_service_trainers_are_asked_to_type() {
    let fake = FakeTelegram::start().await;
    let bot = Bot::start(&fake, None).await;
    fake.add_file("v1", AUDIO);
    let body = message(&fake, 42, voice("v1", AUDIO.len(), "audio/ogg"));
    let s = send(&fake, 42, "message", body).await.join("\n");
    assert!(s.contains("I can't listen to voice notes here yet"), "{s}");
    assert!(s.contains("type"), "{s}");
    assert!(fake.calls("getfile").is_empty());
    bot.stop().await;
}

#[tokio::test]
async fn amounts_heard_in_a_voice_note_are_saved_only_after_confirmation() {
    let t = spawn_app().await;
    let when = "2026-03-10T18:00:00Z";
    t.say("c1", "/start", when).await;
    t.say("c1", "my certification expires on 2027-01-31", when)
        .await;
    t.say("c1", "yes", when).await;
    let heard = "I did a 4 hour nutrition workshop yesterday from an approved provider";
    let mut last = t
        .send(
            "c1",
            Content::Voice {
                transcript: heard.into(),
            },
            when,
            None,
        )
        .await;
    assert!(text(&last).starts_with("I heard:"), "{}", text(&last));
    for _ in 0..3 {
        assert!(
            t.entries("c1").await.is_empty(),
            "saved without confirmation"
        );
        if buttons(&last).contains(&"save".to_string()) {
            break;
        }
        last = t.press("c1", "prov:approved", when).await;
    }
    assert!(
        buttons(&last).contains(&"save".to_string()),
        "{}",
        text(&last)
    );
    assert!(t.entries("c1").await.is_empty());
    let yes = Content::Voice {
        transcript: "yes".into(),
    };
    let s = text(&t.send("c1", yes, when, None).await);
    assert!(s.contains("Saved"), "{s}");
    assert_eq!(t.entries("c1").await.len(), 1);
}

#[tokio::test]
async fn jsonl_voice_lines_are_transcribed_through_the_binary() {
    let stt = FakeStt::start(vec![Answer::Text(HEARD.into()), Answer::Text("yes".into())]).await;
    let dir = tempfile::tempdir().unwrap();
    let audio = dir.path().join("note.ogg");
    std::fs::write(&audio, AUDIO).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not audio").unwrap();
    let db = TestDb::fresh("jsonl.db").await;
    let at = "2026-03-10T18:00:00Z";
    let line = |content: Value| {
        let mut l = json!({"chat": "u1", "user": "u1", "at": at});
        l.as_object_mut()
            .unwrap()
            .extend(content.as_object().unwrap().clone());
        l.to_string()
    };
    let input = [
        line(json!({"text": "/start"})),
        line(json!({"text": "my certification expires on 2027-01-31"})),
        line(json!({"text": "yes"})),
        line(json!({"voice": audio})),
        line(json!({"button": "prov:approved"})),
        line(json!({"voice": audio})),
        line(json!({"voice": dir.path().join("missing.ogg")})),
        line(json!({"voice": dir.path().join("notes.txt")})),
    ]
    .join("\n");
    let (stdout, stderr) = run_jsonl(&db, &input, &stt.url).await;
    let said: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let texts: Vec<&str> = said.iter().filter_map(|v| v["text"].as_str()).collect();
    assert!(
        texts.contains(&format!("I heard: \u{201c}{HEARD}\u{201d}").as_str()),
        "{stdout}"
    );
    assert!(
        texts.iter().any(|t| t.starts_with("I heard: \u{201c}yes")),
        "{stdout}"
    );
    assert!(texts.iter().any(|t| t.contains("Saved")), "{stdout}");
    assert!(
        texts.iter().any(|t| t.contains(TYPE_INSTEAD)),
        "missing file: {stdout}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("I can't play that audio format")),
        "{stdout}"
    );
    assert_eq!(said.iter().filter(|v| v.get("ack").is_some()).count(), 8);
    let requests = stt.requests();
    assert_eq!(requests.len(), 2, "only the readable audio was sent");
    assert_eq!(requests[0].part("file").unwrap().1, AUDIO);
    assert_eq!(
        requests[0].authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert!(stderr.contains("voice note not transcribed"), "{stderr}");
    assert!(!stderr.contains(KEY), "the key leaked: {stderr}");
    let store = db.open().await;
    let mut conn = crate::db::conn(&store).await;
    let minutes: Vec<i64> = recert_bot::on!(&mut conn, |c| sqlx::query_scalar(
        "SELECT minutes FROM ce_entries"
    )
    .fetch_all(c)
    .await
    .unwrap());
    assert_eq!(minutes, [240]);
}

/// Runs `recert-bot jsonl` with the fake service configured and RUST_LOG=debug.
async fn run_jsonl(db: &TestDb, input: &str, stt_url: &str) -> (String, String) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(["jsonl", "--db"])
        .arg(db.arg())
        .env("RECERT_STT_URL", stt_url)
        .env("RECERT_STT_MODEL", "whisper-test")
        .env("RECERT_STT_KEY", KEY)
        .env("RECERT_STT_TIMEOUT_SECS", "5")
        .env("RUST_LOG", "debug")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("RECERT_ADVISOR_CHAT")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().unwrap();
    let mut bytes = Vec::new();
    writeln!(bytes, "{input}").unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stdin, &bytes)
        .await
        .unwrap();
    drop(stdin);
    let out = tokio::time::timeout(WAIT * 3, child.wait_with_output())
        .await
        .expect("the binary finished")
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
