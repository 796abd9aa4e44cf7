//! Item 4: the JSONL `voice` field reads only regular audio files, links resolved, the
//! read itself capped and timed; `/dev/zero`, `/proc/self/environ`, a FIFO and a text
//! file named `.ogg` are refused, and other lines keep being served. The `file` field
//! says so when its path names no file.

use std::time::{Duration, Instant};

use serde_json::json;

use super::{line, out_lines, said_to};
use crate::voice::fake_stt::{Answer, FakeStt};

const AT: &str = "2026-03-10T18:00:00Z";
const AUDIO: &[u8] = b"OggS\x00\x02fake-opus-audio\x00\xff\x10";
const SECRET: &str = "RECERT_TEST_SECRET=sk-live-should-never-leave";

#[tokio::test]
async fn voice_paths_read_only_regular_audio_and_file_paths_must_exist() {
    let stt = FakeStt::start(vec![Answer::Text("what is a CEU".into())]).await;
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    std::fs::write(p("real.ogg"), AUDIO).unwrap();
    std::fs::write(p("secrets.txt"), SECRET).unwrap();
    std::fs::write(p("cert.pdf"), b"%PDF-1.4").unwrap();
    std::os::unix::fs::symlink("/dev/zero", p("x.ogg")).unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", p("env.ogg")).unwrap();
    std::os::unix::fs::symlink(p("secrets.txt"), p("dotenv.ogg")).unwrap();
    let fifo = p("pipe.ogg");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let voice = |path: std::path::PathBuf| line("c1", "c1", AT, json!({ "voice": path }));
    let input = vec![
        voice(p("x.ogg")),
        voice(p("env.ogg")),
        voice(fifo.clone()),
        voice(p("dotenv.ogg")),
        voice(p("real.ogg")),
        line("c2", "c2", AT, json!({"text": "what is a CEU?"})),
        line("c1", "c1", AT, json!({"file": p("missing.pdf")})),
        line("c1", "c1", AT, json!({"file": fifo})),
        line("c1", "c1", AT, json!({"file": p("cert.pdf")})),
    ];
    let started = Instant::now();
    let o = run(&dir.path().join("x.db"), &input, &stt.url).await;
    let took = started.elapsed();
    let lines = out_lines(&o);
    let c1 = said_to(&lines, "c1");
    assert_eq!(
        c1.matches("I can't play that audio format").count()
            + c1.matches("Could you type it instead?").count(),
        4,
        "four refused voice notes: {c1}"
    );
    assert!(
        c1.contains("I heard: \u{201c}what is a CEU\u{201d}"),
        "{c1}"
    );
    assert!(
        !said_to(&lines, "c2").is_empty(),
        "the other chat is served"
    );
    let errors: Vec<&str> = lines.iter().filter_map(|v| v["error"].as_str()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].contains("\"file\" names no file") && errors[0].contains("missing.pdf"),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("\"file\" is not a regular file"),
        "{errors:?}"
    );
    assert_eq!(
        lines.iter().filter(|v| v.get("ack").is_some()).count(),
        input.len()
    );
    let sent: Vec<Vec<u8>> = stt
        .requests()
        .iter()
        .filter_map(|r| r.part("file"))
        .map(|f| f.1)
        .collect();
    assert_eq!(
        sent,
        vec![AUDIO.to_vec()],
        "only the real audio was uploaded"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        !stdout.contains("sk-live") && !stdout.contains("PATH="),
        "{stdout}"
    );
    println!("nine hostile lines answered in {took:?}");
    assert!(took < Duration::from_secs(20), "{took:?}");
}

async fn run(db: &std::path::Path, input: &[String], stt_url: &str) -> std::process::Output {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(["jsonl", "--db"])
        .arg(db)
        .env("RECERT_STT_URL", stt_url)
        .env("RECERT_STT_TIMEOUT_SECS", "5")
        .env("RECERT_TEST_SECRET", "sk-live-should-never-leave")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("RECERT_ADVISOR_CHAT")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().unwrap();
    let text: String = input.iter().map(|l| format!("{l}\n")).collect();
    tokio::io::AsyncWriteExt::write_all(&mut stdin, text.as_bytes())
        .await
        .unwrap();
    drop(stdin);
    tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the binary finished: no line blocked it")
        .unwrap()
}
