//! Hand-off to advisors through the engine, with the advisors' chat as just another
//! chat: support hours on both sides of every opening and closing, the full ticket
//! life, who may act, time-outs, left messages and closing time.

use recert_bot::app::{Content, Incoming, Outgoing};

use crate::support::{ADVISORS, TestApp, at, buttons, spawn_app, spawn_registered, text};

/// Monday 2026-11-23 10:00 PST: advisors are open.
const OPEN: &str = "2026-11-23T18:00:00Z";
/// Monday 2026-11-23 19:00 PST: advisors are away until Tuesday 05:00.
const CLOSED: &str = "2026-11-24T03:00:00Z";

/// An advisor writes in the advisors' chat.
async fn advisor(
    t: &TestApp,
    user: &str,
    text: &str,
    when: &str,
    reply_to: Option<&str>,
) -> Vec<Outgoing> {
    let content = if text.starts_with("claim:") {
        Content::Button(text.into())
    } else {
        Content::Text(text.into())
    };
    t.app
        .handle(Incoming {
            chat: ADVISORS.into(),
            user: user.into(),
            name: Some("Alex".into()),
            message_id: None,
            at: at(when),
            content,
            reply_to: reply_to.map(str::to_string),
        })
        .await
        .expect("handled")
}

fn to<'a>(out: &'a [Outgoing], chat: &str) -> Vec<&'a Outgoing> {
    out.iter().filter(|o| o.chat == chat).collect()
}

fn texts(out: &[Outgoing], chat: &str) -> String {
    to(out, chat)
        .iter()
        .map(|o| o.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// (instant, open?) on both sides of every opening and closing: weekday, Friday,
/// weekend, in PST (November) and PDT (July), and on holidays.
const HOURS: [(&str, bool); 22] = [
    ("2026-11-23T12:59:00Z", false), // Mon 04:59 PST
    ("2026-11-23T13:00:00Z", true),  // Mon 05:00 PST
    ("2026-11-24T01:59:00Z", true),  // Mon 17:59 PST
    ("2026-11-24T02:00:00Z", false), // Mon 18:00 PST
    ("2026-11-27T12:59:00Z", false), // Fri 04:59 PST
    ("2026-11-27T13:00:00Z", true),  // Fri 05:00 PST
    ("2026-11-28T00:59:00Z", true),  // Fri 16:59 PST
    ("2026-11-28T01:00:00Z", false), // Fri 17:00 PST
    ("2026-11-28T14:59:00Z", false), // Sat 06:59 PST
    ("2026-11-28T15:00:00Z", true),  // Sat 07:00 PST
    ("2026-11-28T23:59:00Z", true),  // Sat 15:59 PST
    ("2026-11-29T00:00:00Z", false), // Sat 16:00 PST
    ("2026-11-26T18:00:00Z", false), // Thanksgiving, 10:00 PST
    ("2027-07-12T11:59:00Z", false), // Mon 04:59 PDT
    ("2027-07-12T12:00:00Z", true),  // Mon 05:00 PDT
    ("2027-07-13T00:59:00Z", true),  // Mon 17:59 PDT
    ("2027-07-13T01:00:00Z", false), // Mon 18:00 PDT
    ("2027-07-09T23:59:00Z", true),  // Fri 16:59 PDT
    ("2027-07-10T00:00:00Z", false), // Fri 17:00 PDT
    ("2027-07-11T13:59:00Z", false), // Sun 06:59 PDT
    ("2027-07-11T14:00:00Z", true),  // Sun 07:00 PDT
    ("2027-07-05T18:00:00Z", false), // Independence Day observed, 11:00 PDT
];

#[tokio::test]
async fn a_person_is_offered_by_support_hours() {
    let t = spawn_app().await;
    for (i, (when, open)) in HOURS.iter().enumerate() {
        let chat = format!("h{i}");
        let out = t.say(&chat, "/human", when).await;
        let card = texts(&out, ADVISORS);
        let mine = texts(&out, &chat);
        if *open {
            assert!(card.contains("New hand-off"), "{when}: {mine}");
            assert!(
                mine.contains("next in line") || mine.contains("ahead of you"),
                "{when}: {mine}"
            );
        } else {
            assert!(
                card.is_empty(),
                "{when}: a ticket opened while closed: {card}"
            );
            assert!(
                mine.contains("closed now") || mine.contains("closed today"),
                "{when}: {mine}"
            );
            assert!(mine.contains("1-800-460-6276"), "{when}: {mine}");
            assert!(mine.contains(", opens "), "{when}: {mine}");
            assert!(
                buttons(&out).contains(&"leave_message".to_string()),
                "{when}"
            );
        }
    }
}

#[tokio::test]
async fn next_opening_is_said_in_pacific_time() {
    let t = spawn_app().await;
    let mine = text(&t.say("c1", "can I speak with an advisor", CLOSED).await);
    assert!(
        mine.contains("closed now, opens Tue 5:00 AM Pacific"),
        "{mine}"
    );
    assert!(mine.contains("Mon–Thu 5:00 AM–6:00 PM"), "{mine}");
}

#[tokio::test]
async fn the_full_ticket_life() {
    let t = spawn_registered("c1", OPEN).await;
    t.say("c1", "what is a CEU?", OPEN).await;
    let out = t.say("c1", "talk to a person", OPEN).await;
    let card = texts(&out, ADVISORS);
    assert!(
        card.contains("[#1]") && card.contains("Trainer c1") && card.contains("asked for a person"),
        "{card}"
    );
    assert!(
        card.contains("0.0 of 2.0 CEUs") && card.contains("Mar 15, 2027"),
        "{card}"
    );
    assert!(
        card.contains("trainer: what is a CEU?"),
        "the last messages are on the card: {card}"
    );
    assert!(buttons(&out).contains(&"claim:1".to_string()));

    // Waiting: relayed, with a short note to the trainer.
    let out = t.say("c1", "hello?", OPEN).await;
    assert_eq!(texts(&out, ADVISORS), "[#1] Trainer c1: hello?");

    let out = advisor(&t, "adv1", "claim:1", OPEN, None).await;
    assert!(texts(&out, "c1").contains("Alex from the support team has joined"));

    // Claimed: the bot is silent; the trainer's words go to the advisors only.
    let out = t.say("c1", "how much do I owe?", OPEN).await;
    assert!(
        to(&out, "c1").is_empty(),
        "the bot spoke during a claimed hand-off: {out:?}"
    );
    assert_eq!(texts(&out, ADVISORS), "[#1] Trainer c1: how much do I owe?");

    let out = advisor(
        &t,
        "adv1",
        "/r 1 You owe $99 if you renew on time.",
        OPEN,
        None,
    )
    .await;
    assert_eq!(texts(&out, "c1"), "Alex: You owe $99 if you renew on time.");
    let out = advisor(
        &t,
        "adv1",
        "Anything else?",
        OPEN,
        Some("[#1] Trainer c1: how much do I owe?"),
    )
    .await;
    assert_eq!(texts(&out, "c1"), "Alex: Anything else?");

    let queue = texts(&advisor(&t, "adv1", "/queue", OPEN, None).await, ADVISORS);
    assert!(
        queue.contains("[#1] Trainer c1: claimed by Alex"),
        "{queue}"
    );

    let out = advisor(&t, "adv1", "/done 1", OPEN, None).await;
    assert!(texts(&out, "c1").contains("back with the recertification assistant"));
    let out = t.say("c1", "/status", OPEN).await;
    assert!(
        texts(&out, "c1").contains("0.0 of 2.0 CEUs"),
        "the bot resumes"
    );
    assert!(to(&out, ADVISORS).is_empty());
    // A closed ticket stays closed.
    let out = advisor(&t, "adv1", "/r 1 hello", OPEN, None).await;
    assert!(texts(&out, ADVISORS).contains("not open"));
    assert!(to(&out, "c1").is_empty());
}

#[tokio::test]
async fn only_the_advisors_chat_can_act() {
    let t = spawn_app().await;
    t.say("c1", "/human", OPEN).await;
    let out = t.say("c2", "/claim 1", OPEN).await;
    assert!(
        texts(&out, "c2").contains("don't know that command"),
        "{out:?}"
    );
    assert!(to(&out, "c1").is_empty() && to(&out, ADVISORS).is_empty());
    let out = t.say("c2", "/r 1 ha", OPEN).await;
    assert!(to(&out, "c1").is_empty());
    let queue = texts(&advisor(&t, "adv1", "/queue", OPEN, None).await, ADVISORS);
    assert!(queue.contains("waiting"), "{queue}");
}

#[tokio::test]
async fn advisor_list_restricts_who_acts_in_the_advisors_chat() {
    let mut t = spawn_app().await;
    t.app = t.app.clone().with_advisor_ids(vec!["adv1".into()]);
    t.say("c1", "/human", OPEN).await;
    let refused = advisor(&t, "intruder", "claim:1", OPEN, None).await;
    assert!(to(&refused, "c1").is_empty(), "{refused:?}");
    assert_eq!(texts(&refused, ADVISORS), "Only advisors can do that.");
    let out = advisor(&t, "adv1", "claim:1", OPEN, None).await;
    assert!(texts(&out, "c1").contains("has joined"));
}

#[tokio::test]
async fn an_unclaimed_ticket_gives_the_phone_number_once() {
    let t = spawn_app().await;
    t.say("c1", "/human", "2026-11-23T18:00:00Z").await;
    assert!(
        t.app
            .tick(at("2026-11-23T18:14:00Z"))
            .await
            .unwrap()
            .is_empty()
    );
    let out = t.app.tick(at("2026-11-23T18:15:00Z")).await.unwrap();
    assert!(texts(&out, "c1").contains("1-800-460-6276"), "{out:?}");
    assert!(
        t.app
            .tick(at("2026-11-23T18:30:00Z"))
            .await
            .unwrap()
            .is_empty()
    );
    let queue = texts(
        &advisor(&t, "adv1", "/queue", "2026-11-23T18:30:00Z", None).await,
        ADVISORS,
    );
    assert!(
        queue.contains("[#1]") && queue.contains("30 min"),
        "the ticket stays open: {queue}"
    );
}

#[tokio::test]
async fn a_message_left_while_away_reaches_advisors_at_opening() {
    let t = spawn_app().await;
    t.say("c1", "/human", CLOSED).await;
    let out = t.press("c1", "leave_message", CLOSED).await;
    assert!(text(&out).contains("Type your message"));
    let out = t.say("c1", "Please call me about my audit", CLOSED).await;
    assert!(
        text(&out).contains("Tuesday, Nov 24 at 5:00 AM"),
        "{}",
        text(&out)
    );
    assert!(
        t.app
            .tick(at("2026-11-24T12:59:00Z"))
            .await
            .unwrap()
            .is_empty(),
        "delivered before opening"
    );
    let out = t.app.tick(at("2026-11-24T13:00:00Z")).await.unwrap();
    assert!(
        texts(&out, ADVISORS).contains("Please call me about my audit"),
        "{out:?}"
    );
    assert!(texts(&out, "c1").contains("Your request is #1"));
    assert!(
        t.app
            .tick(at("2026-11-24T13:05:00Z"))
            .await
            .unwrap()
            .is_empty(),
        "delivered twice"
    );
}

#[tokio::test]
async fn closing_time_tells_both_sides_once() {
    let t = spawn_app().await;
    t.say("c1", "/human", "2026-11-24T01:50:00Z").await;
    advisor(&t, "adv1", "claim:1", "2026-11-24T01:51:00Z", None).await;
    let out = t.app.tick(at("2026-11-24T02:00:00Z")).await.unwrap();
    assert!(
        texts(&out, ADVISORS).contains("Closing time: [#1]"),
        "{out:?}"
    );
    assert!(texts(&out, "c1").contains("closed for today"), "{out:?}");
    assert!(
        t.app
            .tick(at("2026-11-24T02:10:00Z"))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn advisors_can_hand_a_trainer_to_ceu_logging() {
    let t = spawn_registered("c1", OPEN).await;
    t.say("c1", "/human", OPEN).await;
    advisor(&t, "adv1", "claim:1", OPEN, None).await;
    let out = advisor(&t, "adv1", "/assist 1 log", OPEN, None).await;
    assert!(texts(&out, "c1").contains("How long was it?"), "{out:?}");
    let out = t.say("c1", "3 hours", OPEN).await;
    assert!(texts(&out, "c1").contains("Which area"), "{out:?}");
    assert!(to(&out, ADVISORS).is_empty(), "the bot has the chat again");
}

#[tokio::test]
async fn a_lapsed_certification_opens_a_ticket_in_hours() {
    let t = spawn_app().await;
    t.say("c1", "my certification expired on January 10, 2025", OPEN)
        .await;
    let out = t.say("c1", "yes", OPEN).await;
    assert!(
        texts(&out, ADVISORS).contains("can no longer be recertified"),
        "{out:?}"
    );
}

#[tokio::test]
async fn withdrawing_a_request_returns_to_the_bot() {
    let t = spawn_app().await;
    t.say("c1", "/human", OPEN).await;
    let out = t.say("c1", "/cancel", OPEN).await;
    assert!(texts(&out, ADVISORS).contains("cancelled"));
    assert!(texts(&out, "c1").contains("back with the assistant"));
    let queue = texts(&advisor(&t, "adv1", "/queue", OPEN, None).await, ADVISORS);
    assert_eq!(queue, "No open tickets.");
}

#[tokio::test]
async fn the_place_in_line_is_counted_in_words_that_agree() {
    let t = spawn_app().await;
    let first = text(&t.say("c1", "/human", OPEN).await);
    assert!(first.contains("You're next in line."), "{first}");
    let second = texts(&t.say("c2", "/human", OPEN).await, "c2");
    assert!(
        second.contains("There is 1 person ahead of you."),
        "{second}"
    );
    let third = texts(&t.say("c3", "/human", OPEN).await, "c3");
    assert!(
        third.contains("There are 2 people ahead of you."),
        "{third}"
    );
}
