//! Reading a voice note given as a local path (JSONL `voice`), the way an attacker cannot
//! bend: links are resolved first and only a regular file outside the kernel's
//! pseudo-filesystems is read (never `/dev/zero`, `/proc/self/environ` or a FIFO); it is
//! opened without blocking, so a FIFO cannot stall the reader; the size limit caps the
//! read itself, not the metadata; and what was read must look like audio, so a text file
//! named `x.ogg` never reaches the speech-to-text service. Blocking IO: callers run it on
//! a blocking task inside their time-out.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

use super::SttError;

/// Trees whose "files" are the kernel's, not audio: devices, process and system state.
const PSEUDO_ROOTS: [&str; 3] = ["/dev", "/proc", "/sys"];

/// Reads at most `limit` bytes of the regular file at `path` (links resolved).
///
/// # Errors
/// [`SttError::Fetch`] when the path does not exist or is not a regular file,
/// [`SttError::TooLarge`] past `limit`, [`SttError::UnsupportedFormat`] when the bytes
/// are not audio.
pub fn read_audio(path: &Path, limit: u64) -> Result<Vec<u8>, SttError> {
    let real = std::fs::canonicalize(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            SttError::Fetch(format!("no such file: {}", path.display()))
        }
        _ => SttError::Fetch(format!("{}: {e}", path.display())),
    })?;
    if PSEUDO_ROOTS.iter().any(|root| real.starts_with(root)) {
        return Err(not_regular(&real));
    }
    let file = open_nonblocking(&real)?;
    let meta = file
        .metadata()
        .map_err(|e| SttError::Fetch(format!("{}: {e}", real.display())))?;
    if !meta.is_file() {
        return Err(not_regular(&real));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| SttError::Fetch(format!("{}: {e}", real.display())))?;
    let size = bytes.len() as u64;
    if size > limit {
        return Err(SttError::TooLarge { size });
    }
    if !super::audio::looks_like_audio(&bytes) {
        return Err(SttError::UnsupportedFormat("not audio".into()));
    }
    Ok(bytes)
}

fn not_regular(path: &Path) -> SttError {
    SttError::Fetch(format!("not a regular file: {}", path.display()))
}

/// Opens for reading without waiting for a writer (a FIFO opens at once, and is then
/// refused as not a regular file).
fn open_nonblocking(path: &Path) -> Result<File, SttError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options
        .open(path)
        .map_err(|e| SttError::Fetch(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OGG: &[u8] = b"OggS\x00\x02opus";

    #[test]
    fn only_regular_audio_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().expect("dir");
        let audio = dir.path().join("a.ogg");
        std::fs::write(&audio, OGG).expect("write");
        assert_eq!(read_audio(&audio, 100).expect("read"), OGG);
        assert!(matches!(
            read_audio(&audio, 4),
            Err(SttError::TooLarge { size: 5 })
        ));
        let text = dir.path().join("env.ogg");
        std::fs::write(&text, "KEY=secret\n").expect("write");
        assert!(matches!(
            read_audio(&text, 100),
            Err(SttError::UnsupportedFormat(_))
        ));
        let missing = read_audio(&dir.path().join("missing.ogg"), 100).unwrap_err();
        assert!(missing.to_string().contains("no such file"), "{missing}");
        #[cfg(unix)]
        for target in ["/dev/zero", "/proc/self/environ"] {
            let link = dir.path().join("link.ogg");
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(target, &link).expect("symlink");
            let e = read_audio(&link, 100).unwrap_err();
            assert!(
                e.to_string().contains("not a regular file"),
                "{target}: {e}"
            );
        }
    }
}
