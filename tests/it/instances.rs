//! Two instances on one PostgreSQL database, as the documented deployment runs them:
//! two `App`s with their own pools (two processes' worth of connections), or two real
//! binaries. A chat's messages alternate between instances; one message id reaches
//! both at once; both sweep and deliver reminders at once; one binary is killed
//! mid-burst and its chats resumed on another. Without `RECERT_TEST_PG` each test says
//! loudly that it was skipped.

use std::collections::BTreeSet;
use std::sync::Mutex;

use recert_bot::app::{App, Content, Incoming, Outgoing};
use recert_bot::reminders::SweepOptions;
use recert_bot::rules::Policy;
use recert_bot::transport::{Transport, TransportError};

use crate::db::{TestDb, skip_without_pg};
use crate::support::{at, buttons, open, text};

const NOW: &str = "2026-11-23T18:00:00Z";

/// Two instances on one fresh database; `None` (said loudly) without PostgreSQL.
async fn two(test: &str) -> Option<(TestDb, App, App)> {
    if skip_without_pg(test) {
        return None;
    }
    let db = TestDb::fresh("two.db").await;
    let a = open(&db, Policy::embedded()).await;
    let b = open(&db, Policy::embedded()).await;
    Some((db, a, b))
}

fn incoming(chat: &str, content: Content, id: &str) -> Incoming {
    Incoming {
        chat: chat.into(),
        user: chat.into(),
        name: Some(format!("Trainer {chat}")),
        message_id: Some(id.to_string()),
        at: at(NOW),
        content,
        reply_to: None,
    }
}

async fn say(app: &App, chat: &str, words: &str, id: &str) -> Vec<Outgoing> {
    let m = incoming(chat, Content::Text(words.into()), id);
    app.handle(m).await.expect("handled")
}

/// The trainer's stored entries (minutes), read through either instance.
async fn minutes(app: &App, chat: &str) -> Vec<i64> {
    let mut conn = crate::db::conn(app.store()).await;
    recert_bot::on!(&mut conn, |c| sqlx::query_scalar(
        "SELECT e.minutes FROM ce_entries e JOIN trainers t ON t.id = e.trainer_id
         WHERE t.user_ref = $1 ORDER BY e.id"
    )
    .bind(chat)
    .fetch_all(c)
    .await
    .expect("entries"))
}

/// Registers `chat` and logs a course up to its read-back, each message on the other
/// instance than the one before; returns the read-back, which "yes" saves.
async fn up_to_save(apps: [&App; 2], chat: &str) -> Vec<Outgoing> {
    let r = say(
        apps[0],
        chat,
        "my certification expires June 30, 2027",
        "m1",
    )
    .await;
    assert!(text(&r).contains("2027"), "{}", text(&r));
    let r = say(apps[1], chat, "yes", "m2").await;
    assert!(text(&r).contains("Jun 30, 2027"), "{}", text(&r));
    let course = "I did a 2 hour nutrition course from NASM yesterday";
    let r = say(apps[0], chat, course, "m3").await;
    assert!(buttons(&r).contains(&"save".to_string()), "{}", text(&r));
    r
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chat_alternating_between_instances_is_one_conversation() {
    let Some((_db, a, b)) = two("instances::alternating").await else {
        return;
    };
    let r = up_to_save([&a, &b], "c1").await;
    assert!(text(&r).contains("0.2 CEUs"), "{}", text(&r));
    let saved = say(&b, "c1", "yes", "m9").await;
    assert!(text(&saved).contains("Saved"), "{}", text(&saved));
    let status = text(&say(&a, "c1", "/status", "m10").await);
    assert!(status.contains("0.2 of 2.0 CEUs"), "{status}");
    assert_eq!(minutes(&a, "c1").await, [120]);
    assert_eq!(minutes(&b, "c1").await, [120]);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_message_id_sent_to_both_instances_at_once_is_acted_on_once() {
    let Some((_db, a, b)) = two("instances::same_id").await else {
        return;
    };
    for round in 0..5 {
        let chat = format!("c{round}");
        up_to_save([&a, &b], &chat).await;
        let m = incoming(&chat, Content::Text("yes".into()), "m-save");
        let (ra, rb) = tokio::join!(a.handle(m.clone()), b.handle(m));
        let (ra, rb) = (ra.expect("a handled"), rb.expect("b handled"));
        let said: Vec<bool> = [&ra, &rb]
            .iter()
            .map(|r| text(r).contains("Saved"))
            .collect();
        assert_eq!(said.iter().filter(|s| **s).count(), 1, "{ra:?} / {rb:?}");
        assert!(
            ra.is_empty() || rb.is_empty(),
            "the other acknowledges silently"
        );
        assert_eq!(minutes(&a, &chat).await, [120], "stored once");
    }
}

/// Records what an instance delivers.
#[derive(Default)]
struct Recorder(Mutex<Vec<Outgoing>>);

impl Transport for Recorder {
    fn channel(&self) -> &'static str {
        "jsonl"
    }

    async fn send(&self, message: &Outgoing) -> Result<(), TransportError> {
        self.0.lock().expect("lock").push(message.clone());
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_sweeps_at_once_remind_each_trainer_once() {
    let Some((_db, a, b)) = two("instances::sweeps").await else {
        return;
    };
    let chats: Vec<String> = (0..12).map(|i| format!("t{i:02}")).collect();
    for (i, chat) in chats.iter().enumerate() {
        let app = if i % 2 == 0 { &a } else { &b };
        say(app, chat, "my certification expires on 2027-03-15", "r1").await;
        say(app, chat, "yes", "r2").await;
        say(app, chat, "my CPR card expires on 2028-06-01", "r3").await;
        say(app, chat, "yes", "r4").await;
    }
    // 90 days before the expiration, advisors open: one reminder each is due.
    let when = at("2026-12-15T18:00:00Z");
    let opts = || SweepOptions {
        batch: 2,
        ..SweepOptions::default()
    };
    let (sa, sb) = tokio::join!(
        a.sweep_reminders(when, opts()),
        b.sweep_reminders(when, opts())
    );
    let (sa, sb) = (sa.expect("sweep a"), sb.expect("sweep b"));
    let queued: Vec<_> = sa
        .queued
        .iter()
        .chain(&sb.queued)
        .map(|q| q.trainer_id)
        .collect();
    let distinct: BTreeSet<_> = queued.iter().collect();
    assert_eq!(
        queued.len(),
        chats.len(),
        "a: {}, b: {}",
        sa.queued.len(),
        sb.queued.len()
    );
    assert_eq!(distinct.len(), chats.len());
    let (ta, tb) = (Recorder::default(), Recorder::default());
    let (da, db) = tokio::join!(a.deliver_outbox(&ta, when), b.deliver_outbox(&tb, when));
    da.expect("deliver a");
    db.expect("deliver b");
    let mut got: Vec<String> =
        ta.0.lock()
            .unwrap()
            .iter()
            .chain(tb.0.lock().unwrap().iter())
            .map(|m| m.chat.to_string())
            .collect();
    got.sort();
    assert_eq!(got, chats, "each trainer reminded exactly once");
    let (sa, sb) = tokio::join!(
        a.sweep_reminders(when, opts()),
        b.sweep_reminders(when, opts())
    );
    assert!(sa.expect("a").queued.is_empty() && sb.expect("b").queued.is_empty());
}

#[test]
fn a_binary_killed_mid_burst_is_resumed_on_another_losing_and_doubling_nothing() {
    if skip_without_pg("instances::killed") {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db = rt.block_on(TestDb::fresh("killed.db"));
    crate::crash::two_instances(&rt, &db);
}
