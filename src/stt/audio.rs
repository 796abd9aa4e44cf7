//! What audio the speech-to-text service is sent, decided before any download: the
//! size limit, the accepted MIME types, and the endpoint URL. Pure: no IO.

use super::SttError;

/// Telegram's getFile limit, and the most a voice note may weigh here: 20 MB.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// The MIME types sent to the service (OpenAI-compatible servers read all of them).
pub const ACCEPTED_MIME: [&str; 10] = [
    "audio/ogg",
    "audio/opus",
    "audio/mpeg",
    "audio/mp4",
    "audio/m4a",
    "audio/x-m4a",
    "audio/wav",
    "audio/x-wav",
    "audio/webm",
    "audio/flac",
];

/// The API path appended to a base URL.
pub const TRANSCRIPTIONS_PATH: &str = "/v1/audio/transcriptions";

/// The accepted MIME type `mime` names, lower case and without parameters
/// (`audio/ogg; codecs=opus` is `audio/ogg`); `None` when it is not accepted.
#[must_use]
pub fn accepted_mime(mime: &str) -> Option<&'static str> {
    let essence = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    ACCEPTED_MIME.into_iter().find(|m| *m == essence)
}

/// The MIME type for a file name's extension, for paths that come without one (JSONL).
#[must_use]
pub fn mime_for_name(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "ogg" | "oga" => "audio/ogg",
        "opus" => "audio/opus",
        "mp3" | "mpga" | "mpeg" => "audio/mpeg",
        "m4a" => "audio/m4a",
        "mp4" => "audio/mp4",
        "wav" => "audio/wav",
        "webm" => "audio/webm",
        "flac" => "audio/flac",
        _ => return None,
    })
}

/// A file name the service can recognise the format by (some servers look at it).
#[must_use]
pub fn file_name_for(mime: &str) -> &'static str {
    match mime {
        "audio/opus" => "voice.opus",
        "audio/mpeg" => "voice.mp3",
        "audio/mp4" => "voice.mp4",
        "audio/m4a" | "audio/x-m4a" => "voice.m4a",
        "audio/wav" | "audio/x-wav" => "voice.wav",
        "audio/webm" => "voice.webm",
        "audio/flac" => "voice.flac",
        _ => "voice.ogg",
    }
}

/// Whether bytes start like one of the accepted containers: Ogg (Opus, Vorbis), MP3 (an
/// ID3 tag or an MPEG frame sync), WAV, FLAC, MP4/M4A (`ftyp`) or WebM (EBML).
#[must_use]
pub fn looks_like_audio(bytes: &[u8]) -> bool {
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    at(0, b"OggS")
        || at(0, b"ID3")
        || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
        || (at(0, b"RIFF") && at(8, b"WAVE"))
        || at(0, b"fLaC")
        || at(4, b"ftyp")
        || at(0, &[0x1A, 0x45, 0xDF, 0xA3])
}

/// Checks a voice note before downloading it: its announced size (`None` when not
/// known) and MIME type. Returns the accepted MIME type.
///
/// # Errors
/// [`SttError::TooLarge`] over [`MAX_BYTES`]; [`SttError::UnsupportedFormat`] for a
/// missing or unaccepted MIME type.
pub fn check(size: Option<u64>, mime: Option<&str>) -> Result<&'static str, SttError> {
    if let Some(size) = size
        && size > MAX_BYTES
    {
        return Err(SttError::TooLarge { size });
    }
    let mime = mime.unwrap_or_default();
    accepted_mime(mime).ok_or_else(|| SttError::UnsupportedFormat(mime.to_string()))
}

/// The transcription endpoint for a configured URL: a base URL gets
/// `/v1/audio/transcriptions` appended; a URL already ending with it is used as is.
///
/// # Errors
/// Not an absolute http(s) URL.
pub fn endpoint(url: &str) -> Result<reqwest::Url, String> {
    let trimmed = url.trim().trim_end_matches('/');
    let full = if trimmed.ends_with(TRANSCRIPTIONS_PATH) {
        trimmed.to_string()
    } else {
        format!("{trimmed}{TRANSCRIPTIONS_PATH}")
    };
    let parsed = reqwest::Url::parse(&full).map_err(|e| e.to_string())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err("expected an http or https URL".into());
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types_are_normalised_and_filtered() {
        let cases = [
            ("audio/ogg", Some("audio/ogg")),
            ("Audio/OGG; codecs=opus", Some("audio/ogg")),
            ("audio/x-m4a", Some("audio/x-m4a")),
            ("audio/flac", Some("audio/flac")),
            ("video/mp4", None),
            ("audio/aac", None),
            ("", None),
        ];
        for (mime, expected) in cases {
            assert_eq!(accepted_mime(mime), expected, "{mime:?}");
        }
    }

    #[test]
    fn extensions_give_mime_types() {
        let cases = [
            ("/tmp/note.ogg", Some("audio/ogg")),
            ("a.OPUS", Some("audio/opus")),
            ("talk.mp3", Some("audio/mpeg")),
            ("memo.m4a", Some("audio/m4a")),
            ("x.wav", Some("audio/wav")),
            ("notes.txt", None),
            ("noextension", None),
        ];
        for (name, expected) in cases {
            assert_eq!(mime_for_name(name), expected, "{name:?}");
            if let Some(mime) = expected {
                assert_eq!(accepted_mime(mime), Some(mime));
            }
        }
    }

    #[test]
    fn check_refuses_large_and_unknown_audio() {
        assert_eq!(check(Some(4000), Some("audio/ogg")).ok(), Some("audio/ogg"));
        assert_eq!(check(None, Some("audio/mpeg")).ok(), Some("audio/mpeg"));
        assert_eq!(
            check(Some(MAX_BYTES), Some("audio/ogg")).ok(),
            Some("audio/ogg")
        );
        assert!(matches!(
            check(Some(MAX_BYTES + 1), Some("audio/ogg")),
            Err(SttError::TooLarge { .. })
        ));
        assert!(matches!(
            check(Some(10), Some("video/mp4")),
            Err(SttError::UnsupportedFormat(_))
        ));
        assert!(matches!(
            check(Some(10), None),
            Err(SttError::UnsupportedFormat(_))
        ));
    }

    #[test]
    fn endpoints_append_the_path_once() {
        let cases = [
            (
                "http://127.0.0.1:9000",
                "http://127.0.0.1:9000/v1/audio/transcriptions",
            ),
            ("http://h:1/", "http://h:1/v1/audio/transcriptions"),
            (
                "https://api.x.com/proxy",
                "https://api.x.com/proxy/v1/audio/transcriptions",
            ),
            (
                "https://api.x.com/v1/audio/transcriptions",
                "https://api.x.com/v1/audio/transcriptions",
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(
                endpoint(url).map(|u| u.to_string()),
                Ok(expected.into()),
                "{url}"
            );
        }
        assert!(endpoint("ftp://x").is_err());
        assert!(endpoint("not a url").is_err());
    }

    #[test]
    fn audio_is_told_from_other_bytes() {
        let audio: [&[u8]; 7] = [
            b"OggS\x00\x02",
            b"ID3\x04\x00",
            &[0xFF, 0xFB, 0x90],
            b"RIFF\x24\x00\x00\x00WAVEfmt ",
            b"fLaC\x00",
            b"\x00\x00\x00\x20ftypM4A ",
            &[0x1A, 0x45, 0xDF, 0xA3, 0x01],
        ];
        for bytes in audio {
            assert!(looks_like_audio(bytes), "{bytes:?}");
        }
        for bytes in [
            &b""[..],
            b"KEY=value\0PATH=/bin",
            b"RIFF\x00\x00\x00\x00AVI ",
            b"\xFF",
        ] {
            assert!(!looks_like_audio(bytes), "{bytes:?}");
        }
    }

    #[test]
    fn file_names_match_the_format() {
        for mime in ACCEPTED_MIME {
            let name = file_name_for(mime);
            assert!(mime_for_name(name).is_some(), "{mime} -> {name}");
        }
    }
}
