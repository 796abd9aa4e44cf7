//! Crash safety with the real binary: `recert-bot jsonl` runs a long scripted stream (20
//! trainers registering, logging with confirmation, deleting with confirmation, asking
//! for their status), is killed with SIGKILL at seeded random points, restarted on the
//! same database and fed again from the line after the last acknowledged one. Lines past
//! the last ack may or may not have been applied before the kill; their `"id"` makes the
//! replay safe. Then: every entry the bot said it saved is stored, nothing is stored
//! twice, and every dialogue cut short by the end of the stream resumes where it was.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::TryRecvError;
use std::time::Duration;

use crate::db::TestDb;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

const TRAINERS: usize = 20;
const KILLS: usize = 6;
const SEED: u64 = 0x5eed_c0de;

/// One input line and the chat it belongs to.
struct Line {
    chat: String,
    json: String,
}

/// What a trainer's stream does at its end, and how it is resumed after the restart.
#[derive(Clone, Copy)]
enum Ending {
    /// Everything confirmed.
    Complete,
    /// The last entry's summary was shown; "yes" must save it.
    Confirming,
    /// "Delete this entry?" was asked; "yes" must delete it.
    Deleting,
    /// The bot asked which area; the answer must lead to the summary, then "yes" saves.
    AskingArea,
}

fn ending(i: usize) -> Ending {
    [
        Ending::Complete,
        Ending::Confirming,
        Ending::Deleting,
        Ending::AskingArea,
    ][i % 4]
}

/// Hours of the trainer's four courses: nutrition, program design (deleted again),
/// a seminar whose area is asked, exercise technique. Distinct, so no duplicate prompt.
fn hours(i: usize) -> [u32; 4] {
    [1 + (i % 3) as u32, 4, 5, 6 + (i % 3) as u32]
}

/// The whole conversation of trainer `i` as (field, value) pairs, cut by its ending.
fn conversation(i: usize) -> Vec<(&'static str, String)> {
    let [a, b, d, c] = hours(i);
    let t = |s: String| ("text", s);
    let all = vec![
        t("my certification expires June 30, 2027".into()),
        t("yes".into()),
        t(format!(
            "I did a {a} hour nutrition course from NASM yesterday"
        )),
        t("yes".into()),
        t(format!(
            "I did a {b} hour program design workshop from NASM yesterday"
        )),
        t("yes".into()),
        t("/status".into()),
        t("undo".into()),
        t("yes".into()),
        t(format!("I did a {d} hour seminar from NASM yesterday")),
        ("button", "area:exercise_technique".into()),
        t("yes".into()),
        t(format!(
            "I did a {c} hour exercise technique seminar from NASM yesterday"
        )),
        t("yes".into()),
    ];
    let keep = match ending(i) {
        Ending::Complete => 14,
        Ending::Confirming => 13,
        Ending::Deleting => 8,
        Ending::AskingArea => 10,
    };
    all.into_iter().take(keep).collect()
}

/// The entries each trainer must end with, after the resumption: (minutes, area).
fn model(i: usize) -> Vec<(i64, String)> {
    let [a, _, d, c] = hours(i);
    let e = |h: u32, area: &str| (i64::from(h) * 60, area.to_string());
    match ending(i) {
        Ending::Complete | Ending::Confirming => vec![
            e(a, "nutrition"),
            e(d, "exercise_technique"),
            e(c, "exercise_technique"),
        ],
        Ending::Deleting => vec![e(a, "nutrition")],
        Ending::AskingArea => vec![e(a, "nutrition"), e(d, "exercise_technique")],
    }
}

fn chat(i: usize) -> String {
    format!("t{i:02}")
}

/// An input line; `n` makes the id and the instant (one second apart, in order).
fn line(chat: &str, n: usize, field: &str, value: &str) -> Line {
    let at = crate::support::at("2026-11-23T18:00:00Z") + chrono::Duration::seconds(n as i64);
    let mut v = json!({"chat": chat, "user": chat, "id": format!("m{n}"), "at": at.to_rfc3339()});
    v[field] = Value::String(value.to_string());
    Line {
        chat: chat.to_string(),
        json: v.to_string(),
    }
}

/// The trainers' conversations interleaved round-robin, as one stream.
fn script() -> Vec<Line> {
    let convs: Vec<_> = (0..TRAINERS).map(conversation).collect();
    let longest = convs.iter().map(Vec::len).max().unwrap_or(0);
    let mut lines = Vec::new();
    for step in 0..longest {
        for (i, conv) in convs.iter().enumerate() {
            if let Some((field, value)) = conv.get(step) {
                let n = lines.len();
                lines.push(line(&chat(i), n, field, value));
            }
        }
    }
    lines
}

/// What one run of the binary printed: each bot message with the script line that
/// caused it, and the last acknowledged script line.
struct Run {
    said: Vec<(usize, String, String)>,
    acked: usize,
    /// Script lines acknowledged without a reply: handled before, not acted on again.
    silent: Vec<usize>,
    killed: bool,
}

/// Runs the binary on `lines[from..]`. With `kill_at`, SIGKILLs it once the script
/// line `kill_at` is acknowledged, after `delay` (so the kill lands anywhere in the
/// next batch: mid-transaction, mid-commit or mid-output).
fn run(
    db: &TestDb,
    lines: &[Line],
    from: usize,
    kill_at: Option<(usize, Duration)>,
    seed: u64,
) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(["--db", &db.arg(), "jsonl"])
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start recert-bot");
    let mut stdin = child.stdin.take().expect("stdin");
    let input: Vec<String> = lines[from..].iter().map(|l| l.json.clone()).collect();
    let total = from + input.len();
    let (done, wait_done) = std::sync::mpsc::channel::<()>();
    let progress = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = progress.clone();
    // Lines arrive in bursts of random size, at most a few lines ahead of the acks, so
    // the transport batches them variously and a kill lands while work is in flight.
    // Stdin stays open until the reader is done, so the bot is alive when killed.
    let writer = std::thread::spawn(move || {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut sent = 0;
        for chunk in input.chunks(rng.gen_range(1..=8)) {
            let ahead = rng.gen_range(0..8);
            while sent > seen.load(Ordering::Acquire) + ahead {
                if wait_done
                    .try_recv()
                    .is_err_and(|e| e == TryRecvError::Disconnected)
                {
                    return;
                }
                std::thread::sleep(Duration::from_micros(50));
            }
            let text: String = chunk.iter().map(|l| format!("{l}\n")).collect();
            if stdin.write_all(text.as_bytes()).is_err() {
                return; // killed
            }
            sent += chunk.len();
        }
        let _ = wait_done.recv();
    });
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let (mut said, mut acked, mut silent) = (Vec::new(), from, Vec::new());
    let mut done = (total > from).then_some(done);
    let mut spoke = false;
    for out in stdout.lines() {
        let out: Value = serde_json::from_str(&out.expect("read stdout")).expect("JSON output");
        if let Some(n) = out["ack"].as_u64() {
            acked = from + n as usize;
            progress.store(n as usize, Ordering::Release);
            if !std::mem::take(&mut spoke) {
                silent.push(acked - 1);
            }
            let kill = kill_at.filter(|(at, _)| acked >= *at);
            if let Some((_, delay)) = kill
                && done.is_some()
            {
                std::thread::sleep(delay);
                let _ = child.kill();
            }
            if kill.is_some() || acked == total {
                done = None;
            }
        } else if let Some(text) = out["text"].as_str() {
            let chat = out["chat"].as_str().expect("chat").to_string();
            said.push((acked, chat, text.to_string()));
            spoke = true;
        }
    }
    let status = child.wait().expect("wait");
    writer.join().expect("writer thread");
    Run {
        said,
        acked,
        silent,
        killed: status.signal() == Some(9),
    }
}

async fn stored(db: &TestDb) -> BTreeMap<String, Vec<(i64, String)>> {
    let store = db.open().await;
    let mut conn = crate::db::conn(&store).await;
    let rows: Vec<(String, i64, String)> = recert_bot::on!(&mut conn, |c| sqlx::query_as(
        "SELECT t.user_ref, e.minutes, e.area FROM ce_entries e
         JOIN trainers t ON t.id = e.trainer_id ORDER BY t.user_ref, e.id",
    )
    .fetch_all(c)
    .await
    .expect("query"));
    let mut by_chat: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for (chat, minutes, area) in rows {
        by_chat.entry(chat).or_default().push((minutes, area));
    }
    by_chat
}

/// "Saved: 0.3 CEUs (3 hours) of nutrition, …" -> (180, "nutrition").
fn saved(text: &str) -> Option<(i64, String)> {
    let rest = text.strip_prefix("Saved: ")?;
    let hours: i64 = rest.split('(').nth(1)?.split(' ').next()?.parse().ok()?;
    let area = rest
        .split(" of ")
        .nth(1)?
        .split(',')
        .next()?
        .replace(' ', "_");
    Some((hours * 60, area))
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_and_replayed_the_bot_loses_nothing_and_doubles_nothing() {
    let db = TestDb::fresh("crash.db").await;
    let lines = script();
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut said = Vec::new();
    let (mut next, mut kills, mut runs, mut replayed_silently) = (0, 0, 0, 0);
    // Kill points spread over the stream, at least a few lines before its end.
    for k in 0..KILLS {
        let left = lines.len().saturating_sub(next + 10);
        if left == 0 {
            break;
        }
        let span = (left / (KILLS - k)).max(1);
        let target = next + rng.gen_range(1..=span);
        let delay = Duration::from_micros(rng.gen_range(0..4000));
        // Besides the lines after the last ack, replay up to 3 acknowledged ones (a
        // client that lost acks): their ids must make the bot ignore them.
        let overlap = rng.gen_range(0..=3).min(next);
        let r = run(
            &db,
            &lines,
            next - overlap,
            Some((target, delay)),
            rng.gen_range(0..u64::MAX),
        );
        runs += 1;
        kills += usize::from(r.killed);
        for line in next - overlap..next {
            assert!(
                r.silent.contains(&line),
                "acknowledged line {line} acted on again"
            );
        }
        replayed_silently += r.silent.len();
        assert!(r.acked >= next, "acks never go backwards");
        said.extend(r.said);
        next = r.acked;
    }
    let last = run(&db, &lines, next, None, rng.gen_range(0..u64::MAX));
    runs += 1;
    replayed_silently += last.silent.len();
    assert_eq!(last.acked, lines.len(), "the last run handles the rest");
    said.extend(last.said);
    assert!(
        kills >= KILLS - 1,
        "{kills} of {KILLS} kills hit a running bot"
    );

    let db_after = stored(&db).await;
    check_saved_replies_are_stored(&said, &db_after);
    check_each_line_acted_at_most_once(&said, &lines);

    // The streams ended mid-dialogue: after yet another restart, each dialogue resumes.
    let resumed = resume(&db, lines.len()).await;
    let db_final = stored(&db).await;
    for i in 0..TRAINERS {
        let got = db_final.get(&chat(i)).cloned().unwrap_or_default();
        assert_eq!(got, model(i), "entries of {}", chat(i));
    }
    eprintln!(
        "crash test: {} lines, {runs} runs, {kills} SIGKILLs, {replayed_silently} replayed lines ignored as already handled, {} bot messages, {resumed} dialogues resumed",
        lines.len(),
        said.len()
    );
}

/// Every "Saved:" the bot sent is in the store, unless the script deleted that entry
/// afterwards (the program design course).
fn check_saved_replies_are_stored(
    said: &[(usize, String, String)],
    db: &BTreeMap<String, Vec<(i64, String)>>,
) {
    let confirmed: Vec<_> = said
        .iter()
        .filter_map(|(_, chat, text)| saved(text).map(|e| (chat, e)))
        .collect();
    assert!(
        confirmed.len() >= TRAINERS,
        "the bot confirmed saves: {}",
        confirmed.len()
    );
    for (chat, entry) in confirmed {
        if entry.1 == "program_design" {
            continue;
        }
        let has = db.get(chat).is_some_and(|es| es.contains(&entry));
        assert!(
            has,
            "{chat} was told {entry:?} was saved, but it is not stored"
        );
    }
    for (_, chat, text) in said {
        if text.starts_with("Deleted: ") {
            let gone = db
                .get(chat)
                .is_none_or(|es| es.iter().all(|e| e.1 != "program_design"));
            assert!(gone, "{chat} was told the entry was deleted: {text}");
        }
    }
}

/// No script line made the bot act twice: each line's replies were sent by one run.
fn check_each_line_acted_at_most_once(said: &[(usize, String, String)], lines: &[Line]) {
    let mut per_line: BTreeMap<usize, usize> = BTreeMap::new();
    for (acked, chat, text) in said {
        if text.starts_with("Saved: ") || text.starts_with("Deleted: ") {
            // Replies before the ack of script line n+1 belong to line n+1.
            assert_eq!(&lines[*acked].chat, chat, "reply attributed to its line");
            *per_line.entry(*acked).or_default() += 1;
        }
    }
    let twice: Vec<_> = per_line.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "lines confirmed more than once: {twice:?}"
    );
}

/// Feeds each unfinished dialogue its answer in a fresh process; returns how many
/// dialogues resumed as expected.
async fn resume(db: &TestDb, start: usize) -> usize {
    let mut lines = Vec::new();
    let mut expect = Vec::new();
    for i in 0..TRAINERS {
        let c = chat(i);
        let n = start + lines.len();
        match ending(i) {
            Ending::Complete => {}
            Ending::Confirming => {
                lines.push(line(&c, n, "text", "yes"));
                expect.push((c, "Saved: "));
            }
            Ending::Deleting => {
                lines.push(line(&c, n, "text", "yes"));
                expect.push((c, "Deleted: "));
            }
            Ending::AskingArea => {
                lines.push(line(&c, n, "button", "area:exercise_technique"));
                lines.push(line(&c, n + 1, "text", "yes"));
                expect.push((c.clone(), "Here is what I'll save"));
                expect.push((c, "Saved: "));
            }
        }
    }
    let r = run(db, &lines, 0, None, 7);
    assert_eq!(r.acked, lines.len());
    for (c, prefix) in &expect {
        let ok = r
            .said
            .iter()
            .any(|(_, chat, text)| chat == c && text.starts_with(prefix));
        assert!(
            ok,
            "{c} should get {prefix:?} after the restart: {:?}",
            r.said
        );
    }
    expect.len()
}

/// The two-instance run of `tests/it/instances.rs` (PostgreSQL): the even trainers'
/// stream goes to one binary, SIGKILLed a third of the way in, while a second binary
/// handles the odd trainers' stream at the same time; the even stream is then resumed
/// from its last ack (replaying up to 3 acknowledged lines) on another process, and
/// every dialogue cut short is resumed. Nothing the bot confirmed is lost, no line is
/// acted on twice, and every trainer ends with exactly their entries.
pub(crate) fn two_instances(rt: &tokio::runtime::Runtime, db: &TestDb) {
    let (even, odd): (Vec<Line>, Vec<Line>) = script()
        .into_iter()
        .partition(|l| (0..TRAINERS).step_by(2).any(|i| chat(i) == l.chat));
    let total = even.len() + odd.len();
    let kill_at = even.len() / 3;
    let (killed, other) = std::thread::scope(|s| {
        let a = s.spawn(|| {
            run(
                db,
                &even,
                0,
                Some((kill_at, Duration::from_micros(1500))),
                11,
            )
        });
        let b = s.spawn(|| run(db, &odd, 0, None, 12));
        (a.join().expect("instance a"), b.join().expect("instance b"))
    });
    assert!(
        killed.killed && killed.acked < even.len(),
        "a was killed mid-burst"
    );
    assert_eq!(other.acked, odd.len(), "b handled its whole burst");
    let overlap = 3.min(killed.acked);
    let resumed = run(db, &even, killed.acked - overlap, None, 13);
    assert_eq!(resumed.acked, even.len());
    for line in killed.acked - overlap..killed.acked {
        assert!(
            resumed.silent.contains(&line),
            "acknowledged line {line} acted on again"
        );
    }
    let said_even: Vec<_> = killed.said.into_iter().chain(resumed.said).collect();
    check_each_line_acted_at_most_once(&said_even, &even);
    check_each_line_acted_at_most_once(&other.said, &odd);
    let said: Vec<_> = said_even.into_iter().chain(other.said).collect();
    check_saved_replies_are_stored(&said, &rt.block_on(stored(db)));
    rt.block_on(resume(db, total));
    let end = rt.block_on(stored(db));
    for i in 0..TRAINERS {
        let got = end.get(&chat(i)).cloned().unwrap_or_default();
        assert_eq!(got, model(i), "entries of {}", chat(i));
    }
}
