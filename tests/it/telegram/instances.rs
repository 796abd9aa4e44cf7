//! The documented deployment, bot side: two `telegram --webhook` instances on one
//! PostgreSQL database, the same webhook URL and secret, updates arriving at either
//! (as a load balancer without sticky sessions sends them). A chat alternating between
//! them is one conversation; one update delivered to both at once is handled once;
//! both serve `/healthz` and `/metrics`; and one instance stopping (a deploy) leaves the
//! webhook registered for the other. Skipped loudly without `RECERT_TEST_PG`.

use std::net::SocketAddr;

use recert_bot::transport::telegram::Mode;
use serde_json::{Value, json};

use super::{WAIT, db, replies_after, start, text_message};
use crate::db::skip_without_pg;
use crate::fake_telegram::FakeTelegram;

const SECRET: &str = "shared-secret";

fn free_addr() -> SocketAddr {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("127.0.0.1:{port}").parse().unwrap()
}

fn mode(listen: SocketAddr) -> Mode {
    Mode::webhook(
        "https://bot.example.com/hook".parse().unwrap(),
        listen,
        Some(SECRET.into()),
    )
    .unwrap()
}

/// Waits until the instance on `listen` answers `/healthz` with 200.
async fn healthy(client: &reqwest::Client, listen: SocketAddr) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let r = client.get(format!("http://{listen}/healthz")).send().await;
        if r.is_ok_and(|r| r.status() == 200) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{listen} never healthy"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn post(client: &reqwest::Client, listen: SocketAddr, update: &Value) -> u16 {
    client
        .post(format!("http://{listen}/hook"))
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .json(update)
        .send()
        .await
        .expect("posted")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_webhook_instances_share_one_database_without_sticky_sessions() {
    if skip_without_pg("telegram::instances") {
        return;
    }
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let client = reqwest::Client::new();
    let (l1, l2) = (free_addr(), free_addr());
    let one = start(&fake, &db, mode(l1)).await;
    healthy(&client, l1).await;
    let two = start(&fake, &db, mode(l2)).await;
    healthy(&client, l2).await;
    let chat = 95;
    let lines = [
        "my certification expires June 30, 2027",
        "yes",
        "I did a 2 hour nutrition course from NASM yesterday",
        "yes",
        "/status",
    ];
    let (mut last, mut status_replies) = (String::new(), 0);
    for (n, words) in lines.iter().enumerate() {
        let before = fake.sent_to(chat).len();
        let update =
            json!({"update_id": 100 + n, "message": text_message(&fake, chat, chat, words)});
        let to = if n % 2 == 0 { l1 } else { l2 };
        assert_eq!(post(&client, to, &update).await, 200);
        let replies = replies_after(&fake, chat, before).await;
        status_replies = replies.len();
        last = replies.join("\n");
    }
    assert!(last.contains("0.2 of 2.0 CEUs"), "{last}");

    // The same update at both at once (a redelivery racing the first): one reply.
    let before = fake.sent_to(chat).len();
    let update = json!({"update_id": 200, "message": text_message(&fake, chat, chat, "/status")});
    let (a, b) = tokio::join!(post(&client, l1, &update), post(&client, l2, &update));
    assert_eq!((a, b), (200, 200));
    let replies = replies_after(&fake, chat, before).await;
    assert_eq!(replies.len(), status_replies, "answered once: {replies:?}");

    let metrics = client
        .get(format!("http://{l2}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "recert_messages_handled_total",
        "recert_message_handling_seconds_bucket",
        "recert_outbox_depth",
        "recert_tickets_waiting",
    ] {
        assert!(metrics.contains(name), "{name} in:\n{metrics}");
    }

    // A deploy stops the first instance: the webhook stays; the second serves on.
    one.stop().await.unwrap();
    assert!(
        fake.calls("deletewebhook").is_empty(),
        "the webhook stays registered"
    );
    let before = fake.sent_to(chat).len();
    let update = json!({"update_id": 300, "message": text_message(&fake, chat, chat, "/status")});
    assert_eq!(post(&client, l2, &update).await, 200);
    let after = replies_after(&fake, chat, before).await.join("\n");
    assert!(after.contains("0.2 of 2.0 CEUs"), "{after}");
    two.stop().await.unwrap();
}
