//! The core: registration, status and fees in every phase, bad input, restarts and
//! redelivery, driven through the App as a transport would.

use crate::support::{buttons, entry, spawn_app, spawn_registered, text};

const NOW: &str = "2026-11-23T18:00:00Z";

#[tokio::test]
async fn registration_then_status_reports_ceus_days_phase_and_fees() {
    let t = spawn_app().await;
    let r = t.say("c1", "/start", NOW).await;
    assert!(
        text(&r).contains("when does your NASM-CPT certification expire"),
        "{}",
        text(&r)
    );
    let r = t.say("c1", "March 15, 2027", NOW).await;
    assert!(text(&r).contains("Mon, Mar 15, 2027"), "{}", text(&r));
    assert_eq!(
        t.expiration("c1").await,
        None,
        "read back before it is stored"
    );
    let r = t.say("c1", "yes", NOW).await;
    assert!(text(&r).contains("Got it"), "{}", text(&r));
    assert_eq!(t.expiration("c1").await.as_deref(), Some("2027-03-15"));

    let r = t.say("c1", "/status", NOW).await;
    let s = text(&r);
    assert!(s.contains("0.0 of 2.0 CEUs"), "{s}");
    assert!(
        s.contains("expires on Mon, Mar 15, 2027, in 112 days"),
        "{s}"
    );
    assert!(s.contains("complete the remaining 2.0 CEUs"), "{s}");
    assert!(s.contains("Total: $99"), "{s}");
}

/// (expiration date, words of the situation, what is owed) as seen on 2026-11-23, for a
/// trainer with no CEUs yet: past day 90 they can no longer recertify.
const PHASES: [(&str, &str, &str); 5] = [
    ("2026-11-23", "expires today", "Total: $99"),
    ("2026-10-14", "by Tue, Jan 12, 2027", "Total: $129"),
    (
        "2026-07-26",
        "can no longer be recertified",
        "No fee is due",
    ),
    (
        "2025-11-24",
        "can no longer be recertified",
        "No fee is due",
    ),
    (
        "2025-11-23",
        "The last day to apply was Sun, Nov 22, 2026",
        "No fee is due",
    ),
];

/// 2026-11-23 19:00 Pacific: the same calendar day, with advisors away (so the lapsed
/// trainer is not handed to an advisor mid-test).
const EVENING: &str = "2026-11-24T03:00:00Z";

#[tokio::test]
async fn status_and_fees_for_each_phase() {
    let t = spawn_app().await;
    for (i, (expires, phase, total)) in PHASES.iter().enumerate() {
        let chat = format!("p{i}");
        t.say(
            &chat,
            &format!("my certification expires on {expires}"),
            EVENING,
        )
        .await;
        t.say(&chat, "yes", EVENING).await;
        assert_eq!(t.expiration(&chat).await.as_deref(), Some(*expires));
        let s = text(&t.say(&chat, "how much do I owe?", EVENING).await);
        assert!(s.contains(phase), "{expires}: {s}");
        assert!(s.contains(total), "{expires}: {s}");
    }
}

#[tokio::test]
async fn lapsed_certification_points_to_an_advisor() {
    let t = spawn_app().await;
    let s = text(&t.say("c1", "my cert expired on 2025-01-10", NOW).await);
    assert!(
        s.contains("expired on Fri, Jan 10, 2025"),
        "read back first: {s}"
    );
    let s = text(&t.say("c1", "yes", NOW).await);
    assert!(s.contains("can no longer be recertified"), "{s}");
    assert!(s.contains("1-800-460-6276") || s.contains("advisor"), "{s}");
}

#[tokio::test]
async fn invalid_and_implausible_dates_store_nothing() {
    let t = spawn_app().await;
    for bad in [
        "my certification expires Feb 30, 2027",
        "my certification expires on 1990-01-01",
        "my certification expires on 2035-01-01",
    ] {
        let s = text(&t.say("c1", bad, NOW).await);
        assert!(s.contains("send the date again"), "{bad}: {s}");
        assert_eq!(t.expiration("c1").await, None, "{bad}");
    }
}

#[tokio::test]
async fn empty_and_huge_messages_get_a_polite_reply() {
    let t = spawn_app().await;
    let s = text(&t.say("c1", "   ", NOW).await);
    assert!(s.contains("didn't catch"), "{s}");
    let huge = "nutrition ".repeat(2000);
    let s = text(&t.say("c1", &huge, NOW).await);
    assert!(s.contains("too long"), "{s}");
    assert!(t.entries("c1").await.is_empty());
}

#[tokio::test]
async fn a_half_finished_dialogue_survives_a_restart() {
    let mut t = spawn_registered("c1", NOW).await;
    let r = t.say("c1", "I did a 4 hour nutrition workshop", NOW).await;
    assert!(
        text(&r).contains("When did you complete it"),
        "{}",
        text(&r)
    );
    t.restart().await;
    let r = t.say("c1", "yesterday", NOW).await;
    assert!(
        buttons(&r).contains(&"prov:approved".to_string()),
        "{:?}",
        buttons(&r)
    );
    let r = t.press("c1", "prov:approved", NOW).await;
    assert!(text(&r).contains("Save?"), "{}", text(&r));
    t.restart().await;
    let r = t.say("c1", "yes", NOW).await;
    assert!(text(&r).contains("Saved"), "{}", text(&r));
    assert!(text(&r).contains("0.4 of 2.0 CEUs"), "{}", text(&r));
    assert_eq!(
        t.entries("c1").await,
        vec![entry(240, "nutrition", "2026-11-22", "approved")]
    );
}

#[tokio::test]
async fn a_redelivered_yes_saves_once() {
    let t = spawn_registered("c1", NOW).await;
    t.say(
        "c1",
        "2 hours of program design from an approved provider on Nov 20",
        NOW,
    )
    .await;
    let yes = recert_bot::app::Content::Text("yes".into());
    let first = t.send("c1", yes.clone(), NOW, Some("m7")).await;
    assert!(text(&first).contains("Saved"));
    let again = t.send("c1", yes, NOW, Some("m7")).await;
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(t.entries("c1").await.len(), 1);
}

#[tokio::test]
async fn nothing_is_stored_before_yes_and_cancel_discards() {
    let t = spawn_registered("c1", NOW).await;
    let r = t
        .say("c1", "3 hours nutrition yesterday, NASM course", NOW)
        .await;
    assert!(text(&r).contains("Save?"), "{}", text(&r));
    assert!(t.entries("c1").await.is_empty());
    let r = t.press("c1", "cancel", NOW).await;
    assert!(text(&r).contains("Nothing was saved"));
    assert!(t.entries("c1").await.is_empty());
}

#[tokio::test]
async fn stickers_and_unknown_buttons_are_answered_politely() {
    let t = spawn_app().await;
    let r = t
        .send("c1", recert_bot::app::Content::Unsupported, NOW, None)
        .await;
    assert!(text(&r).contains("can't read that kind of message"));
    let r = t.press("c1", "doc:999", NOW).await;
    assert!(text(&r).contains("no longer active"), "{}", text(&r));
}

#[tokio::test]
async fn a_batch_commits_together_and_sees_its_own_earlier_messages() {
    use recert_bot::app::{Content, Incoming};
    let t = spawn_app().await;
    let msg = |text: &str, id: &str| Incoming {
        chat: "c1".into(),
        user: "c1".into(),
        name: None,
        message_id: Some(id.into()),
        at: crate::support::at(NOW),
        content: Content::Text(text.into()),
        reply_to: None,
    };
    let results = t
        .app
        .handle_batch(vec![
            msg("my certification expires March 15, 2027", "1"),
            msg("yes", "1b"),
            msg("3 hours nutrition yesterday, NASM course", "2"),
            msg("yes", "3"),
            msg("yes", "3"),
        ])
        .await
        .expect("batch committed");
    assert_eq!(results.len(), 5);
    let saved = results[3].as_ref().expect("fourth handled");
    assert!(text(saved).contains("Saved"), "{}", text(saved));
    assert!(
        results[4].as_ref().expect("fifth handled").is_empty(),
        "a repeated id in the batch acts once"
    );
    assert_eq!(
        t.entries("c1").await,
        vec![entry(180, "nutrition", "2026-11-22", "nasm")]
    );
}

#[tokio::test]
async fn a_failing_message_is_reported_alone_and_the_rest_of_its_batch_applies() {
    use recert_bot::app::{Content, Incoming};
    let t = spawn_app().await;
    // Make exactly one message fail inside the store, as a full disk or a bug would.
    let mut conn = crate::db::conn(t.app.store()).await;
    let trigger = conn.pick(
        "CREATE TRIGGER fail_boom BEFORE INSERT ON transcript WHEN NEW.text = 'boom'
         BEGIN SELECT RAISE(ABORT, 'boom'); END",
        "CREATE FUNCTION fail_boom() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.text = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
         CREATE TRIGGER fail_boom BEFORE INSERT ON transcript
         FOR EACH ROW EXECUTE FUNCTION fail_boom();",
    );
    recert_bot::on!(&mut conn, |c| sqlx::raw_sql(trigger)
        .execute(c)
        .await
        .expect("trigger")
        .rows_affected());
    drop(conn);
    let msg = |chat: &str, text: &str| Incoming {
        chat: chat.into(),
        user: chat.into(),
        name: None,
        message_id: Some(format!("{chat}-{text}")),
        at: crate::support::at(NOW),
        content: Content::Text(text.into()),
        reply_to: None,
    };
    let results = t
        .app
        .handle_batch(vec![
            msg("a", "my certification expires March 15, 2027"),
            msg("a", "yes"),
            msg("b", "boom"),
            msg("c", "my certification expires April 1, 2027"),
            msg("c", "yes"),
        ])
        .await
        .expect("the batch as a whole goes through");
    assert!(results[0].is_ok() && results[3].is_ok(), "{results:?}");
    assert!(results[2].is_err(), "{results:?}");
    assert_eq!(t.expiration("a").await.as_deref(), Some("2027-03-15"));
    assert_eq!(t.expiration("c").await.as_deref(), Some("2027-04-01"));
    let mut conn = crate::db::conn(t.app.store()).await;
    let b: i64 = recert_bot::on!(&mut conn, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM processed_messages WHERE chat_ref = 'b'"
    )
    .fetch_one(c)
    .await
    .expect("count"));
    assert_eq!(
        b, 0,
        "nothing of the failed message was applied, not even its id"
    );
}

#[tokio::test]
async fn the_topic_menu_fits_a_phone_and_pages_through_every_topic() {
    let t = spawn_app().await;
    let mut seen = Vec::new();
    let mut page = buttons(&t.say("c1", "/topics", NOW).await);
    for _ in 0..10 {
        assert!(page.len() <= 7, "{page:?}");
        let more = page.pop().expect("More topics");
        assert!(more.starts_with("menu:"), "{more}");
        assert!(page.iter().all(|b| b.starts_with("faq:")), "{page:?}");
        seen.extend(page);
        if more == "menu:0" {
            break;
        }
        page = buttons(&t.press("c1", &more, NOW).await);
    }
    let faq = recert_bot::faq::Faq::embedded(&recert_bot::rules::Policy::embedded()).unwrap();
    let mut all: Vec<String> = faq
        .entries()
        .iter()
        .map(|e| format!("faq:{}", e.id))
        .collect();
    seen.sort();
    all.sort();
    assert_eq!(seen, all);
}
