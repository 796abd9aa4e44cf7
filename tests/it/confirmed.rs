//! The property behind issue 13's "nothing stored on a guess": for any sequence of
//! messages, an entry, an expiration date or a deletion is stored only when the
//! trainer's message confirmed (yes in words or a Yes/Save button) a read-back that
//! showed exactly that value. Driven through the real App; the store is inspected
//! after every message.

use proptest::prelude::*;
use recert_bot::app::Content;
use recert_bot::conversation;
use recert_bot::rules::{Area, Ceu};
use sqlx::Row;

use crate::support::{TestApp, at, spawn_app, text};

/// What trainers say: registrations and corrections of dates, logs (one course or
/// several, with corrections, credits, questions), confirmations and refusals in many
/// words, deletions, edits, petitions, and a few changes of subject.
fn message() -> impl Strategy<Value = Content> {
    let texts = vec![
        "my certification expires March 15, 2027",
        "it expired oct 1",
        "march 3rd 2028",
        "umm i think its sometime in march 2028? march 3rd",
        "no thats wrong its 2028 not 2027",
        "/start",
        "did 3 hours of nutrition yesterday from NASM",
        "did a 5 hour nutrition workshop yesterday",
        "hold on, it was actually 2 hours not 5",
        "actually 4 hours",
        "the area should be assessment",
        "two nutrition courses from NASM yesterday, 3 hrs each",
        "did a 2 hr nutrition webinar on nov 1 and 4 hrs of program design yesterday from nasm",
        "3 credit anatomy class yesterday",
        "i did a 4 hr nutrition workshop last weekend thru nasm, how do i log it",
        "did 2 hours of nutrition yesterday, not approved",
        "my petition was approved",
        "my petition got denied",
        "yes",
        "yep",
        "yup",
        "looks good",
        "save it",
        "sure",
        "👍",
        "no",
        "nah",
        "ugh no nevermind",
        "forget that one",
        "wait no",
        "undo",
        "delete my last entry",
        "/delete 1",
        "/edit 1",
        "the date",
        "amount",
        "5 hours",
        "nasm",
        "yesterday",
        "Nov 5",
        "/status",
        "what is a CEU?",
        "/cancel",
    ];
    let buttons = vec![
        "yes",
        "no",
        "save",
        "cancel",
        "edit",
        "prov:nasm",
        "prov:petition",
        "area:nutrition",
        "date:yesterday",
        "field:date",
        "field:amount",
    ];
    prop_oneof![
        4 => proptest::sample::select(texts).prop_map(|t| Content::Text(t.to_string())),
        2 => proptest::sample::select(buttons).prop_map(|b| Content::Button(b.to_string())),
    ]
}

/// Whether a message confirms: yes in words, or a Yes / Save / Delete button.
fn confirms(m: &Content) -> bool {
    match m {
        Content::Text(t) => conversation::consent::yes_no(t) == Some(true),
        Content::Button(d) => d == "yes" || d == "save",
        _ => false,
    }
}

/// The trainer's entries: (id, minutes, area, completed_on).
async fn rows(t: &TestApp) -> Vec<(i64, i64, String, String)> {
    let mut conn = crate::db::conn(t.app.store()).await;
    recert_bot::on!(&mut conn, |c| sqlx::query(
        "SELECT e.id, e.minutes, e.area, CAST(e.completed_on AS TEXT) FROM ce_entries e
         JOIN trainers t ON t.id = e.trainer_id WHERE t.user_ref = 'p' ORDER BY e.id",
    )
    .fetch_all(c)
    .await
    .expect("entries")
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
    .collect())
}

/// An ISO date as the bot writes it ("Nov 22, 2026").
fn spoken(iso: &str) -> String {
    iso.parse::<chrono::NaiveDate>()
        .map(|d| d.format("%b %-d, %Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// Whether `prompt` showed this entry: its CEUs, its area and its date.
fn shows(prompt: &str, (_, minutes, area, date): &(i64, i64, String, String)) -> bool {
    let ceus = Ceu::from_minutes(u32::try_from(*minutes).unwrap_or(0));
    let area = Area::from_key(area).map_or("?", Area::label);
    prompt.contains(&format!("{ceus} CEUs"))
        && prompt.contains(area)
        && prompt.contains(&spoken(date))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn every_change_to_the_record_follows_a_confirmed_read_back_of_that_value(
        messages in proptest::collection::vec(message(), 1..16),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let t = spawn_app().await;
            let mut prompt = String::new();
            for (i, m) in messages.iter().enumerate() {
                let when = (at("2026-12-01T18:00:00Z") + chrono::Duration::seconds(i as i64)).to_rfc3339();
                let (before, expired_before) = (rows(&t).await, t.expiration("p").await);
                let out = t.send("p", m.clone(), &when, None).await;
                let (after, expired_after) = (rows(&t).await, t.expiration("p").await);
                if expired_after != expired_before {
                    let day = spoken(expired_after.as_deref().unwrap_or(""));
                    prop_assert!(confirms(m), "date stored on {m:?}");
                    prop_assert!(prompt.contains(&day), "date {day} stored, read back was: {prompt}");
                }
                for added in after.iter().filter(|r| !before.contains(r)) {
                    prop_assert!(confirms(m), "{added:?} stored on {m:?}");
                    prop_assert!(shows(&prompt, added), "{added:?} stored, read back was: {prompt}");
                }
                let removed: Vec<_> = before.iter().filter(|r| !after.iter().any(|a| a.0 == r.0)).collect();
                for gone in &removed {
                    prop_assert!(confirms(m), "{gone:?} deleted on {m:?}");
                    prop_assert!(prompt.contains("Delete") && shows(&prompt, gone), "{gone:?} deleted, asked: {prompt}");
                }
                prop_assert!(removed.len() <= 1, "one deletion per confirmation");
                prompt = text(&out);
            }
            Ok(())
        })?;
    }
}

/// Found by the fuzz test: after a summary, digits and symbols with SQL in them
/// ("9999… .େ Robert'); DELETE FROM trainers; --") once read as a yes by one of their
/// parts, and saved the course. Nothing is stored on such a message.
#[tokio::test]
async fn digits_and_symbols_after_a_summary_are_not_a_yes() {
    let t = crate::support::spawn_registered("c1", "2026-11-23T18:00:00Z").await;
    let r = crate::support::text(
        &t.say(
            "c1",
            "I did a 1 hour nutrition course from NASM yesterday",
            "2026-11-23T18:00:00Z",
        )
        .await,
    );
    assert!(r.contains("Save?"), "{r}");
    let garbage = format!("{} .େ Robert'); DELETE FROM trainers; --", "9".repeat(400));
    let r = crate::support::text(&t.say("c1", &garbage, "2026-11-23T18:01:00Z").await);
    assert!(!r.contains("Saved"), "{r}");
    assert!(t.entries("c1").await.is_empty(), "nothing stored: {r}");
}
