//! Reminders driven through time: a fresh database per test, ticks at chosen instants,
//! a recording transport. Each reminder goes out once, on time, only while advisors are
//! open, never after an opt-out, and a sweep killed mid-way loses nothing.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use recert_bot::app::Outgoing;
use recert_bot::conversation::NewEntry;
use recert_bot::domain::TrainerId;
use recert_bot::reminders::{SweepOptions, SweepReport, sweep_batch};
use recert_bot::rules::{Area, Ceu, Provider};
use recert_bot::store::{entries, outbox, reminders as sent, trainers};
use recert_bot::transport::{Transport, TransportError};

use crate::support::{TestApp, at, spawn_app};

/// A transport that records what it delivers; it fails the first `fail` sends.
#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<Outgoing>>,
    fail: AtomicUsize,
}

impl Transport for Recorder {
    fn channel(&self) -> &'static str {
        "jsonl"
    }

    async fn send(&self, message: &Outgoing) -> Result<(), TransportError> {
        if self
            .fail
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(TransportError::Delivery {
                chat: message.chat.to_string(),
                reason: "unreachable".into(),
            });
        }
        self.sent.lock().unwrap().push(message.clone());
        Ok(())
    }
}

impl Recorder {
    fn take(&self) -> Vec<Outgoing> {
        std::mem::take(&mut *self.sent.lock().unwrap())
    }
}

/// Runs scheduled work at `when` and delivers; returns what was delivered.
async fn tick(t: &TestApp, tr: &Recorder, when: &str) -> Vec<Outgoing> {
    t.app.tick(at(when)).await.expect("tick");
    t.app.deliver_outbox(tr, at(when)).await.expect("deliver");
    tr.take()
}

/// Registers `chat` with a certification expiring on `exp` and a CPR/AED card valid
/// until mid-2028 (after the certification, so no CPR reminders), through the dialogue.
async fn register(t: &TestApp, chat: &str, exp: &str, when: &str) {
    t.say(chat, &format!("my certification expires on {exp}"), when)
        .await;
    t.say(chat, "yes", when).await;
    let r = t.say(chat, "my CPR card expires on 2028-06-01", when).await;
    assert!(crate::support::text(&r).contains("valid until"), "{r:?}");
    t.say(chat, "yes", when).await;
    assert_eq!(t.expiration(chat).await.as_deref(), Some(exp));
}

async fn trainer_id(t: &TestApp, chat: &str) -> TrainerId {
    let mut conn = crate::db::conn(t.app.store()).await;
    recert_bot::on!(&mut conn, |c| sqlx::query_scalar(
        "SELECT id FROM trainers WHERE user_ref = $1"
    )
    .bind(chat)
    .fetch_one(c)
    .await
    .expect("trainer"))
}

/// (kind key, outcome) of every reminder handled for `chat`, by due date.
async fn history(t: &TestApp, chat: &str) -> Vec<(String, String)> {
    let id = trainer_id(t, chat).await;
    let mut conn = t.app.store().acquire().await.unwrap();
    sent::history(&mut conn, id)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.kind, h.outcome))
        .collect()
}

/// Every day from `from` to `to` (inclusive) at 18:00 UTC (10 or 11 AM Pacific).
fn days(from: &str, to: &str) -> Vec<String> {
    let (from, to) = (
        chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").unwrap(),
        chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d").unwrap(),
    );
    from.iter_days()
        .take_while(|d| *d <= to)
        .map(|d| format!("{d}T18:00:00Z"))
        .collect()
}

#[tokio::test]
async fn a_whole_cycle_sends_each_reminder_once_on_its_day() {
    let t = spawn_app().await;
    let tr = Recorder::default();
    register(&t, "c1", "2027-03-15", "2026-11-02T18:00:00Z").await;
    let mut got = Vec::new();
    for day in days("2026-11-03", "2028-04-01") {
        for m in tick(&t, &tr, &day).await {
            got.push((
                day[..10].to_string(),
                m.text.lines().next().unwrap().to_string(),
            ));
        }
        let again = day.replace("T18:", "T21:");
        assert!(
            tick(&t, &tr, &again).await.is_empty(),
            "repeated on {again}"
        );
    }
    let dates: Vec<&str> = got.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(
        dates,
        [
            "2026-12-15",
            "2027-01-14",
            "2027-02-13",
            "2027-03-01",
            "2027-03-08",
            "2027-03-14",
            "2027-03-15",
            "2027-03-16",
            "2027-06-04",
            "2028-02-13",
        ],
        "{got:#?}"
    );
    let heads = [
        "in 90 days",
        "in 60 days",
        "in 30 days",
        "in 14 days",
        "in 7 days",
        "expires tomorrow",
        "expires today",
        "The $30 late fee now applies",
        "additional $50 fee",
        "expired on Mon, Mar 15, 2027, 335 days ago",
    ];
    for ((date, head), want) in got.iter().zip(heads) {
        assert!(head.contains(want), "{date}: {head}");
    }
    let kinds: Vec<String> = history(&t, "c1")
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        kinds,
        [
            "before:90",
            "before:60",
            "before:30",
            "before:14",
            "before:7",
            "before:1",
            "expiration_day",
            "late_fee",
            "additional_fee_near",
            "final_deadline_near",
        ]
    );
}

#[tokio::test]
async fn a_reminder_due_at_night_waits_for_the_opening() {
    let t = spawn_app().await;
    let tr = Recorder::default();
    register(&t, "c1", "2027-03-15", "2026-11-02T18:00:00Z").await;
    // Tue 2026-12-15: 02:00 Pacific (PST) is 10:00 UTC; advisors open at 05:00.
    assert!(tick(&t, &tr, "2026-12-15T10:00:00Z").await.is_empty());
    assert!(tick(&t, &tr, "2026-12-15T12:59:00Z").await.is_empty());
    let morning = tick(&t, &tr, "2026-12-15T15:00:00Z").await;
    assert_eq!(morning.len(), 1);
    assert!(
        morning[0].text.contains("in 90 days"),
        "{}",
        morning[0].text
    );
    assert_eq!(morning[0].chat, "c1");
}

#[tokio::test]
async fn a_week_of_downtime_yields_one_reminder() {
    let t = spawn_app().await;
    let tr = Recorder::default();
    register(&t, "c1", "2027-03-15", "2026-11-02T18:00:00Z").await;
    assert_eq!(tick(&t, &tr, "2027-02-28T18:00:00Z").await.len(), 1);
    // Down from Feb 28 to Mar 9: the 14-day (Mar 1) and 7-day (Mar 8) reminders fell due.
    let back = tick(&t, &tr, "2027-03-09T18:00:00Z").await;
    assert_eq!(back.len(), 1, "{back:#?}");
    assert!(back[0].text.contains("in 6 days"), "{}", back[0].text);
    let h = history(&t, "c1").await;
    assert!(
        h.contains(&("before:14".into(), "superseded".into())),
        "{h:?}"
    );
    assert!(h.contains(&("before:7".into(), "queued".into())), "{h:?}");
    for day in days("2027-03-10", "2027-03-13") {
        assert!(tick(&t, &tr, &day).await.is_empty(), "{day}");
    }
}

#[tokio::test]
async fn opting_out_stops_reminders_including_queued_ones() {
    for words in ["/reminders off", "stop sending me reminders"] {
        let t = spawn_app().await;
        let tr = Recorder::default();
        register(&t, "c1", "2027-03-15", "2026-11-02T18:00:00Z").await;
        // The sweep queues the 90-day reminder; the trainer opts out before delivery.
        let report = t
            .app
            .sweep_reminders(at("2026-12-15T18:00:00Z"), SweepOptions::default())
            .await
            .unwrap();
        assert_eq!(report.queued.len(), 1);
        t.say("c1", words, "2026-12-15T18:00:30Z").await;
        let d = t
            .app
            .deliver_outbox(&tr, at("2026-12-15T18:01:00Z"))
            .await
            .unwrap();
        assert_eq!((d.sent, d.dropped), (0, 1), "{words}");
        for day in days("2026-12-16", "2027-02-28") {
            assert!(tick(&t, &tr, &day).await.is_empty(), "{words}: {day}");
        }
        // Back on: only reminders falling due from now on.
        t.say("c1", "/reminders on", "2027-02-28T19:00:00Z").await;
        let mut later = Vec::new();
        for day in days("2027-03-01", "2027-03-02") {
            later.extend(tick(&t, &tr, &day).await);
        }
        assert_eq!(later.len(), 1, "{words}");
        assert!(later[0].text.contains("in 14 days"), "{}", later[0].text);
    }
}

#[tokio::test]
async fn deleting_a_trainer_drops_their_queued_reminders() {
    let t = spawn_app().await;
    let tr = Recorder::default();
    register(&t, "c1", "2027-03-15", "2026-11-02T18:00:00Z").await;
    t.app
        .sweep_reminders(at("2026-12-15T18:00:00Z"), SweepOptions::default())
        .await
        .unwrap();
    let id = trainer_id(&t, "c1").await;
    let mut conn = t.app.store().acquire().await.unwrap();
    trainers::delete(&mut conn, id).await.unwrap();
    assert_eq!(outbox::unsent(&mut conn).await.unwrap(), 0);
    assert!(tick(&t, &tr, "2026-12-15T18:05:00Z").await.is_empty());
}

#[tokio::test]
async fn a_sweep_killed_midway_and_rerun_neither_duplicates_nor_skips() {
    let t = spawn_app().await;
    let tr = Recorder::default();
    let chats: Vec<String> = (1..=7).map(|i| format!("c{i}")).collect();
    for chat in &chats {
        register(&t, chat, "2027-03-15", "2026-11-02T18:00:00Z").await;
    }
    let now = at("2026-12-15T18:00:00Z");
    // Killed after one committed batch of two trainers...
    let opts = SweepOptions {
        batch: 2,
        max_batches: Some(1),
        ..SweepOptions::default()
    };
    let first = t.app.sweep_reminders(now, opts).await.unwrap();
    assert_eq!(first.queued.len(), 2);
    // ...and inside the next batch, before its commit.
    let mut tx = t.app.store().begin().await.unwrap();
    let mut after = first.queued[1].trainer_id;
    let mut lost = SweepReport::default();
    sweep_batch(&mut tx, t.app.policy(), now, &mut after, 3, &mut lost)
        .await
        .unwrap();
    assert_eq!(lost.queued.len(), 3);
    drop(tx);
    crate::db::settle(t.app.store()).await;
    // Restart: the rerun queues exactly the other five.
    let rerun = t
        .app
        .sweep_reminders(
            now,
            SweepOptions {
                batch: 2,
                ..SweepOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(rerun.queued.len(), 5);
    let mut delivered: Vec<String> = tick(&t, &tr, "2026-12-15T18:10:00Z")
        .await
        .into_iter()
        .map(|m| m.chat.to_string())
        .collect();
    delivered.sort();
    assert_eq!(delivered, chats);
    assert!(tick(&t, &tr, "2026-12-15T20:00:00Z").await.is_empty());
}

#[tokio::test]
async fn a_trainer_who_met_every_requirement_hears_apply_now_from_the_week_before() {
    let t = spawn_app().await;
    let tr = Recorder::default();
    register(&t, "done", "2027-03-15", "2026-11-02T18:00:00Z").await;
    register(&t, "todo", "2027-03-15", "2026-11-02T18:00:00Z").await;
    let id = trainer_id(&t, "done").await;
    let entry = NewEntry {
        completed_on: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        amount: Ceu::from_hours(20),
        area: Area::Nutrition,
        provider: Provider::Nasm,
        title: None,
    };
    let mut conn = t.app.store().acquire().await.unwrap();
    entries::insert(&mut conn, id, &entry, at("2026-11-02T18:00:00Z"))
        .await
        .unwrap();
    drop(conn);
    let mut done = Vec::new();
    let mut todo = 0;
    for day in days("2026-12-14", "2027-03-16") {
        for m in tick(&t, &tr, &day).await {
            if m.chat == "done" {
                done.push((day[..10].to_string(), m.text));
            } else {
                todo += 1;
            }
        }
    }
    let dates: Vec<&str> = done.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(
        dates,
        ["2027-03-08", "2027-03-14", "2027-03-15", "2027-03-16"]
    );
    for (day, text) in &done {
        assert!(text.contains("Apply now"), "{day}: {text}");
        assert!(text.contains("CPT Recertification Portal"), "{day}: {text}");
        assert!(!text.contains("still needed"), "{day}: {text}");
    }
    assert!(done[3].1.contains("Total: $129"), "{}", done[3].1);
    assert_eq!(todo, 8);
    let h = history(&t, "done").await;
    let early: Vec<&str> = h
        .iter()
        .filter(|(_, o)| o == "requirements_met")
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(early, ["before:90", "before:60", "before:30", "before:14"]);
}

#[tokio::test]
async fn once_the_trainer_applied_no_renewal_reminder_comes() {
    let t = spawn_app().await;
    let tr = Recorder::default();
    register(&t, "c1", "2027-03-15", "2026-11-02T18:00:00Z").await;
    let id = trainer_id(&t, "c1").await;
    let mut conn = t.app.store().acquire().await.unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
    trainers::record_application(&mut conn, id, day)
        .await
        .unwrap();
    recert_bot::reminders::refresh_next(&mut conn, t.app.policy(), id, at("2027-01-10T18:00:00Z"))
        .await
        .unwrap();
    drop(conn);
    for day in days("2027-01-10", "2028-04-01") {
        let got = tick(&t, &tr, &day).await;
        assert!(got.is_empty(), "{day}: {got:?}");
    }
}

#[tokio::test]
async fn a_failed_delivery_is_retried_from_the_outbox() {
    let t = spawn_app().await;
    let tr = Recorder {
        fail: AtomicUsize::new(1),
        ..Recorder::default()
    };
    register(&t, "c1", "2027-03-15", "2026-11-02T18:00:00Z").await;
    assert!(tick(&t, &tr, "2026-12-15T18:00:00Z").await.is_empty());
    // Before the backoff has passed: not yet.
    assert!(tick(&t, &tr, "2026-12-15T18:00:30Z").await.is_empty());
    let retried = tick(&t, &tr, "2026-12-15T18:05:00Z").await;
    assert_eq!(retried.len(), 1);
    assert!(tick(&t, &tr, "2026-12-15T18:10:00Z").await.is_empty());
}

#[tokio::test]
async fn a_dry_run_lists_without_queuing() {
    let t = spawn_app().await;
    let tr = Recorder::default();
    register(&t, "c1", "2027-03-15", "2026-11-02T18:00:00Z").await;
    let dry = SweepOptions {
        dry_run: true,
        ..SweepOptions::default()
    };
    let now = at("2026-12-15T18:00:00Z");
    let listed = t.app.sweep_reminders(now, dry).await.unwrap();
    assert_eq!(listed.queued.len(), 1);
    assert!(listed.queued[0].message.text.contains("in 90 days"));
    let again = t.app.sweep_reminders(now, dry).await.unwrap();
    assert_eq!(again.queued, listed.queued);
    assert_eq!(tick(&t, &tr, "2026-12-15T18:00:00Z").await.len(), 1);
}
