//! The JSONL stream through the real binary: a file of lines (registrations with their
//! "yes", then FAQ questions, CEU logs with their "yes", status and small talk, every
//! line with an `"id"`), piped into `recert-bot jsonl` as a file on its standard input,
//! every write durable. Timed from the start of the process to its exit.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::turn;

/// The instant every line carries, so dates in the texts read the same on every run.
const AT: &str = "2026-11-23T18:00:00Z";

/// One stream, as one file or split by trainer into several.
pub struct Stream {
    pub files: Vec<PathBuf>,
    pub lines: usize,
}

/// The stream's lines, `(trainer, text)` in order: each trainer registers and
/// confirms, then `mixed` lines follow, 40% FAQ questions, 30% CEU logging with its
/// "yes", 20% status, 10% other.
fn lines(trainers: usize, mixed: usize, seed: u64) -> Vec<(usize, String)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(2 * trainers + mixed + 1);
    for t in 0..trainers {
        let text = format!("my certification expires on 2027-0{}-15", 1 + t % 9);
        out.push((t, text));
        out.push((t, "yes".to_owned()));
    }
    let start = out.len();
    while out.len() - start < mixed {
        out.extend(turn(trainers, &mut rng));
    }
    out
}

/// Writes the stream into `parts` files in `dir`, trainer `t` into file `t % parts`
/// (each conversation stays in order in one file).
pub fn write(dir: &Path, name: &str, trainers: usize, mixed: usize, parts: usize) -> Stream {
    let files: Vec<PathBuf> = (0..parts)
        .map(|p| dir.join(format!("{name}-{p}.jsonl")))
        .collect();
    let mut outs: Vec<BufWriter<File>> = files
        .iter()
        .map(|f| BufWriter::new(File::create(f).expect("stream file")))
        .collect();
    let all = lines(trainers, mixed, 11);
    for (id, (t, text)) in all.iter().enumerate() {
        let chat = format!("t{t}");
        let line = serde_json::json!({
            "chat": chat, "user": chat, "id": (id + 1).to_string(), "text": text, "at": AT,
        });
        writeln!(outs[t % parts], "{line}").expect("write stream");
    }
    for mut out in outs {
        out.flush().expect("flush stream");
    }
    Stream {
        files,
        lines: all.len(),
    }
}

/// Starts `recert-bot --db DB jsonl` with `input` as its standard input and its
/// output in a file beside it.
fn spawn(db: &str, input: &Path) -> (Child, PathBuf) {
    let output = input.with_extension("out");
    let child = Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(["--db", db, "jsonl"])
        .stdin(File::open(input).expect("stream file"))
        .stdout(File::create(&output).expect("output file"))
        .stderr(Stdio::null())
        .spawn()
        .expect("start recert-bot");
    (child, output)
}

/// Runs one process per file of the stream at once, all on `db`, and waits for them;
/// the wall time. Panics unless every line was acknowledged without an error or an
/// apology.
pub fn run(db: &str, stream: &Stream) -> Duration {
    let started = Instant::now();
    let children: Vec<(Child, PathBuf)> = stream.files.iter().map(|f| spawn(db, f)).collect();
    let mut acks = 0;
    for (mut child, output) in children {
        let status = child.wait().expect("wait for recert-bot");
        assert!(status.success(), "recert-bot jsonl exited with {status}");
        let out = std::fs::read_to_string(&output).expect("output");
        assert!(!out.contains("\"error\""), "an input line was refused");
        assert!(
            !out.contains("something went wrong"),
            "a message failed on {db}"
        );
        acks += out.lines().filter(|l| l.starts_with("{\"ack\"")).count();
    }
    let elapsed = started.elapsed();
    assert_eq!(acks, stream.lines, "every line is acknowledged");
    elapsed
}
