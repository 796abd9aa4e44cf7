//! Item 3: a write that fails inside a transaction (a full disk, an I/O error: SQLite
//! then rolls the transaction back itself) does not jam the store. The failure is
//! injected with a trigger that does what SQLite does on a full disk: it rolls the
//! whole transaction back under the bot's feet.

use serde_json::json;

use super::{jsonl_run, line, out_lines, said_to};
use recert_bot::store::Store;

const AT: &str = "2026-11-23T18:00:00Z";

#[tokio::test]
async fn after_a_failed_write_the_next_messages_work_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    {
        let store = Store::open(&db).await.expect("schema");
        sqlx::query(
            "CREATE TRIGGER injected_write_failure BEFORE INSERT ON transcript
             WHEN NEW.text LIKE '%disk full now%'
             BEGIN SELECT RAISE(ROLLBACK, 'injected: database or disk is full'); END",
        )
        .execute(store.sqlite_pool().expect("SQLite"))
        .await
        .expect("trigger");
    }
    let text = |t: &str| json!({ "text": t });
    let input = [
        line(
            "c1",
            "c1",
            AT,
            text("my certification expires March 15, 2027"),
        ),
        line("c1", "c1", AT, text("yes")),
        line("c2", "c2", AT, text("disk full now")),
        line("c1", "c1", AT, text("/status")),
        line("c2", "c2", AT, text("disk full now, again")),
        line("c3", "c3", AT, text("what is a CEU?")),
        line(
            "c1",
            "c1",
            AT,
            text("did a 4 hour nutrition workshop yesterday, approved provider"),
        ),
        line("c1", "c1", AT, text("yes")),
        line("c1", "c1", AT, text("/status")),
    ];
    let o = jsonl_run(&db, &[], &input);
    let lines = out_lines(&o);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("non-zero transaction depth"), "{stderr}");
    let c2 = said_to(&lines, "c2");
    assert_eq!(
        c2.matches("something went wrong on our side").count(),
        2,
        "{c2}"
    );
    let c1 = said_to(&lines, "c1");
    assert!(c1.contains("Got it"), "{c1}");
    assert!(!c1.contains("something went wrong"), "{c1}");
    assert!(c1.contains("Saved"), "{c1}");
    assert!(c1.contains("0.4 of 2.0 CEUs"), "{c1}");
    assert!(said_to(&lines, "c3").contains("CEU"), "c3 answered");
    assert_eq!(lines.iter().filter(|v| v.get("ack").is_some()).count(), 9);
    let store = Store::open(&db).await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ce_entries")
        .fetch_one(store.sqlite_pool().expect("SQLite"))
        .await
        .unwrap();
    assert_eq!(stored, 1, "the saved entry is stored, once");
}
