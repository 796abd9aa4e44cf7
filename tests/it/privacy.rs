//! Privacy and access through the engine: `/forget` deletes every row about the trainer
//! (in every table that has a `trainer_id`, so tables added later are covered too) after
//! a confirmation; `/export` sends the trainer their own record; the scheduler purges
//! old transcript lines; and no command or button lets one trainer see, change or
//! delete another's data.

use recert_bot::app::{Content, Outgoing};
use serde_json::Value;
use sqlx::Row;

use crate::db::conn;
use crate::support::{TestApp, at, spawn_app, text};

/// Monday 2026-11-23 10:00 PST: advisors are open.
const OPEN: &str = "2026-11-23T18:00:00Z";
/// Monday 2026-11-23 19:00 PST: advisors are away.
const CLOSED: &str = "2026-11-24T03:00:00Z";

async fn file(t: &TestApp, chat: &str, reference: &str, caption: Option<&str>) -> Vec<Outgoing> {
    let content = Content::File {
        reference: reference.into(),
        caption: caption.map(str::to_string),
    };
    t.send(chat, content, OPEN, None).await
}

/// Gives the trainer a row in every table: certification with both CPR card sides,
/// an entry with its certificate, a closed ticket, a left message, reminders off,
/// transcript and dialogue.
async fn fill(t: &TestApp, chat: &str, hours: u32) {
    t.say(chat, "my certification expires June 30, 2027", OPEN)
        .await;
    t.say(chat, "yes", OPEN).await;
    t.say(chat, "my CPR expires June 2, 2027", OPEN).await;
    t.say(chat, "yes", OPEN).await;
    file(
        t,
        chat,
        &format!("{chat}-cpr-front.jpg"),
        Some("CPR card front"),
    )
    .await;
    file(
        t,
        chat,
        &format!("{chat}-cpr-back.jpg"),
        Some("CPR card back"),
    )
    .await;
    let log = format!("I did a {hours} hour nutrition course from NASM yesterday");
    t.say(chat, &log, OPEN).await;
    assert!(text(&t.say(chat, "yes", OPEN).await).starts_with("Saved"));
    let out = file(t, chat, &format!("{chat}-certificate.pdf"), None).await;
    assert!(text(&out).contains("Attached"), "{}", text(&out));
    t.say(chat, "/human", OPEN).await;
    t.say(chat, "/cancel", OPEN).await;
    t.say(chat, "/human", CLOSED).await;
    t.press(chat, "leave_message", CLOSED).await;
    t.say(chat, "Please call me about my audit", CLOSED).await;
    t.say(chat, "/reminders off", CLOSED).await;
}

async fn trainer_id(t: &TestApp, chat: &str) -> Option<i64> {
    let mut conn = conn(t.app.store()).await;
    recert_bot::on!(&mut conn, |c| sqlx::query_scalar(
        "SELECT id FROM trainers WHERE user_ref = $1"
    )
    .bind(chat)
    .fetch_optional(c)
    .await
    .expect("query"))
}

/// Rows per table for one trainer, over every table with a `trainer_id` column.
async fn rows_of(t: &TestApp, trainer: i64) -> Vec<(String, i64)> {
    let mut conn = conn(t.app.store()).await;
    let sql = conn.pick(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
         WHERE m.type = 'table' AND c.name = 'trainer_id' ORDER BY m.name",
        "SELECT table_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name = 'trainer_id' ORDER BY table_name",
    );
    let tables: Vec<String> = recert_bot::on!(&mut conn, |c| sqlx::query_scalar(sql)
        .fetch_all(c)
        .await
        .expect("tables"));
    assert!(tables.len() >= 5, "{tables:?}");
    let mut counts = Vec::new();
    for table in tables {
        let sql = format!("SELECT count(*) FROM \"{table}\" WHERE trainer_id = $1");
        let n: i64 = recert_bot::on!(&mut conn, |c| sqlx::query_scalar(&sql)
            .bind(trainer)
            .fetch_one(c)
            .await
            .expect("count"));
        counts.push((table, n));
    }
    counts
}

#[tokio::test]
async fn forget_deletes_everything_about_the_trainer_and_nothing_else() {
    let t = spawn_app().await;
    fill(&t, "a", 3).await;
    fill(&t, "b", 4).await;
    // A nearer expiration for a, so the scheduler queues a reminder for a.
    t.say("a", "my certification expires January 20, 2027", OPEN)
        .await;
    t.say("a", "yes", OPEN).await;
    t.app.tick(at("2026-11-24T18:00:00Z")).await.expect("tick");
    // The tick at opening also handed a's left message to the advisors; a withdraws.
    t.say("a", "/cancel", "2026-11-24T18:00:00Z").await;
    let (a, b) = (
        trainer_id(&t, "a").await.expect("a"),
        trainer_id(&t, "b").await.expect("b"),
    );
    let before_a = rows_of(&t, a).await;
    let reminder_rows: i64 = before_a
        .iter()
        .filter(|(name, _)| name == "outbox" || name == "reminders_sent")
        .map(|(_, n)| n)
        .sum();
    assert!(
        reminder_rows > 0,
        "the test gives a reminder row: {before_a:?}"
    );
    for table in [
        "certifications",
        "ce_entries",
        "dialogues",
        "transcript",
        "tickets",
        "left_messages",
    ] {
        let n = before_a
            .iter()
            .find(|(name, _)| name == table)
            .map_or(0, |(_, n)| *n);
        assert!(n > 0, "the test gives a row in {table}");
    }
    let before_b = rows_of(&t, b).await;

    // Without a clear yes nothing goes.
    t.say("a", "/forget", CLOSED).await;
    let out = t.say("a", "what?", CLOSED).await;
    assert!(text(&out).contains("Delete it all?"), "{}", text(&out));
    assert!(text(&t.say("a", "no", CLOSED).await).contains("nothing was deleted"));
    assert_eq!(trainer_id(&t, "a").await, Some(a));

    t.say("a", "/forget", CLOSED).await;
    let out = t.press("a", "yes", CLOSED).await;
    assert!(text(&out).contains("everything about you has been deleted"));
    assert_eq!(trainer_id(&t, "a").await, None);
    for (table, n) in rows_of(&t, a).await {
        assert_eq!(n, 0, "{table} still has rows of the forgotten trainer");
    }
    assert_eq!(
        rows_of(&t, b).await,
        before_b,
        "the other trainer's rows are untouched"
    );
    let mut conn = conn(t.app.store()).await;
    let refs: i64 = recert_bot::on!(&mut conn, |c| sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM ce_entries WHERE document_ref LIKE 'a-%')
              + (SELECT count(*) FROM certifications
                 WHERE cpr_front_ref LIKE 'a-%' OR cpr_back_ref LIKE 'a-%')",
    )
    .fetch_one(c)
    .await
    .expect("query"));
    assert_eq!(
        refs, 0,
        "no document reference of the forgotten trainer is left"
    );
}

fn export_of(out: &[Outgoing]) -> Value {
    let doc = out
        .iter()
        .find_map(|o| o.document.as_ref())
        .expect("a file is attached");
    assert_eq!(doc.mime, "application/json");
    assert!(doc.name.ends_with(".json"));
    serde_json::from_str(&doc.content).expect("the export is JSON")
}

#[tokio::test]
async fn export_sends_the_trainer_their_own_record_only() {
    let t = spawn_app().await;
    fill(&t, "a", 3).await;
    fill(&t, "b", 7).await;
    let out = t.say("a", "/export", CLOSED).await;
    let record = export_of(&out);
    assert_eq!(record["user"], "a");
    assert_eq!(record["reminders_enabled"], false);
    assert_eq!(record["certification"]["expires_on"], "2027-06-30");
    assert_eq!(record["certification"]["cpr_expires_on"], "2027-06-02");
    assert_eq!(record["certification"]["cpr_card_front"], "a-cpr-front.jpg");
    assert_eq!(record["certification"]["cpr_card_back"], "a-cpr-back.jpg");
    let entries = record["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["contact_minutes"], 180);
    assert_eq!(entries[0]["area"], "nutrition");
    assert_eq!(entries[0]["document"], "a-certificate.pdf");
    assert!(
        !record["transcript"]
            .as_array()
            .expect("transcript")
            .is_empty()
    );
    let all = record.to_string();
    assert!(!all.contains("b-c"), "nothing of trainer b: {all}");
    assert!(!all.contains("\"b\""), "nothing of trainer b: {all}");
    // Only the one reply carries the file; other messages carry none.
    assert_eq!(out.iter().filter(|o| o.document.is_some()).count(), 1);
    assert!(
        t.say("a", "/status", CLOSED)
            .await
            .iter()
            .all(|o| o.document.is_none())
    );
}

#[tokio::test]
async fn the_scheduler_purges_transcript_lines_past_retention() {
    let t = spawn_app().await;
    t.say("a", "what is a CEU?", "2026-01-05T18:00:00Z").await;
    t.say("a", "how much does it cost?", "2026-03-20T18:00:00Z")
        .await;
    let days = t.app.policy().retention.transcript_days;
    assert_eq!(days, 90, "the embedded policy keeps transcripts 90 days");
    let lines = |t: &TestApp| {
        let store = t.app.store().clone();
        async move {
            let mut conn = conn(&store).await;
            recert_bot::on!(&mut conn, |c| sqlx::query(
                "SELECT CAST(at AS TEXT) FROM transcript ORDER BY id"
            )
            .fetch_all(c)
            .await
            .expect("query")
            .iter()
            .map(|r| r.get::<String, _>(0)[..10].to_string())
            .collect::<Vec<_>>())
        }
    };
    // 89 days after the first message: nothing is old enough yet.
    t.app.tick(at("2026-04-04T18:00:00Z")).await.expect("tick");
    assert!(lines(&t).await.contains(&"2026-01-05".to_string()));
    // 90 days and a minute after: the first exchange goes, the second stays.
    t.app.tick(at("2026-04-05T18:01:00Z")).await.expect("tick");
    let left = lines(&t).await;
    assert!(!left.contains(&"2026-01-05".to_string()), "{left:?}");
    assert!(
        left.iter().all(|d| d == "2026-03-20") && !left.is_empty(),
        "{left:?}"
    );
}

async fn entry_ids(t: &TestApp, chat: &str) -> Vec<i64> {
    let mut conn = conn(t.app.store()).await;
    recert_bot::on!(&mut conn, |c| sqlx::query_scalar(
        "SELECT e.id FROM ce_entries e JOIN trainers t ON t.id = e.trainer_id
         WHERE t.user_ref = $1 ORDER BY e.id",
    )
    .bind(chat)
    .fetch_all(c)
    .await
    .expect("query"))
}

/// Everything of trainer `a` that another trainer could try to touch.
async fn snapshot(t: &TestApp, chat: &str) -> Vec<String> {
    let mut conn = conn(t.app.store()).await;
    recert_bot::on!(&mut conn, |c| {
        sqlx::query(
        "SELECT e.id, e.minutes, e.area, CAST(e.completed_on AS TEXT), e.petition_approved, e.document_ref
         FROM ce_entries e JOIN trainers t ON t.id = e.trainer_id WHERE t.user_ref = $1 ORDER BY e.id",
    )
    .bind(chat)
    .fetch_all(c)
    .await
    .expect("query")
    .iter()
    .map(|r| {
        format!(
            "{} {} {} {} {} {:?}",
            r.get::<i64, _>(0),
            r.get::<i64, _>(1),
            r.get::<String, _>(2),
            r.get::<String, _>(3),
            r.get::<bool, _>(4),
            r.get::<Option<String>, _>(5)
        )
    })
    .collect()
    })
}

/// Sets a trainer's stored dialogue state, as a forged or stale state would be.
async fn force_state(t: &TestApp, chat: &str, state: &str) {
    let mut conn = conn(t.app.store()).await;
    recert_bot::on!(&mut conn, |c| {
        sqlx::query(
        "UPDATE dialogues SET state = $2 WHERE trainer_id = (SELECT id FROM trainers WHERE user_ref = $1)",
    )
    .bind(chat)
    .bind(state)
    .execute(c)
    .await
    .expect("update")
    .rows_affected()
    });
}

#[tokio::test]
async fn no_command_or_button_reaches_another_trainers_data() {
    let t = spawn_app().await;
    // Trainer a: a 9-hour course with its certificate, and a pending petition.
    t.say("a", "my certification expires June 30, 2027", OPEN)
        .await;
    t.say("a", "yes", OPEN).await;
    t.say(
        "a",
        "I did a 9 hour nutrition course from NASM yesterday",
        OPEN,
    )
    .await;
    t.say("a", "yes", OPEN).await;
    file(&t, "a", "secret-a.pdf", None).await;
    t.say("a", "I did a 2 hour assessment workshop yesterday", OPEN)
        .await;
    t.press("a", "prov:petition", OPEN).await;
    let out = t.press("a", "save", OPEN).await;
    assert!(text(&out).starts_with("Saved"), "{}", text(&out));
    let a_ids = entry_ids(&t, "a").await;
    assert_eq!(a_ids.len(), 2);
    let a_before = snapshot(&t, "a").await;

    // Trainer b: one course, certificate attached.
    t.say("b", "my certification expires March 15, 2027", OPEN)
        .await;
    t.say("b", "yes", OPEN).await;
    t.say(
        "b",
        "I did a 3 hour program design course from NASM yesterday",
        OPEN,
    )
    .await;
    t.say("b", "yes", OPEN).await;
    file(&t, "b", "b-cert.pdf", None).await;

    for id in &a_ids {
        // Buttons carrying a's ids: approve, attach a document.
        let out = t.press("b", &format!("petok:{id}"), OPEN).await;
        assert!(text(&out).contains("no longer active"), "{}", text(&out));
        file(&t, "b", "b-other.pdf", None).await; // b's entry has a file: b is asked which
        let out = t.press("b", &format!("doc:{id}"), OPEN).await;
        assert!(
            text(&out).contains("What is this document for?"),
            "{}",
            text(&out)
        );
        t.press("b", "cancel", OPEN).await;
        // Forged dialogue states pointing at a's entries, then a "yes".
        force_state(
            &t,
            "b",
            &format!(r#"{{"kind":"confirming_delete","entry_id":{id}}}"#),
        )
        .await;
        let out = text(&t.say("b", "yes", OPEN).await);
        assert!(out.contains("already gone"), "{out}");
        let edit = format!(
            r#"{{"kind":"confirming","draft":{{"amount":60,"area":"assessment","completed_on":"2026-11-01","provider":"nasm","title":null,"editing":{id}}}}}"#
        );
        force_state(&t, "b", &edit).await;
        let out = text(&t.say("b", "yes", OPEN).await);
        assert!(
            out.starts_with("Updated"),
            "the forged state was read: {out}"
        );
    }
    // Numbered commands count b's own entries only.
    let seen = text(&t.say("b", "/ceus", OPEN).await);
    assert!(
        !seen.contains("0.9 CEUs") && !seen.contains("assessment"),
        "{seen}"
    );
    t.say("b", "/edit 1", OPEN).await;
    t.say("b", "/cancel", OPEN).await;
    let status = text(&t.say("b", "/status", OPEN).await);
    assert!(status.contains("0.3 of 2.0 CEUs"), "{status}");
    let export = export_of(&t.say("b", "/export", OPEN).await).to_string();
    assert!(
        !export.contains("secret-a") && !export.contains("\"a\""),
        "{export}"
    );
    t.say("b", "/delete 1", OPEN).await;
    t.say("b", "yes", OPEN).await;
    t.say("b", "undo", OPEN).await;
    t.say("b", "yes", OPEN).await;

    assert_eq!(
        snapshot(&t, "a").await,
        a_before,
        "a's entries are untouched"
    );
    assert!(
        entry_ids(&t, "b").await.is_empty(),
        "b deleted b's own entry"
    );
}
