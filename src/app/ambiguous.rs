//! How wide the terminal draws East Asian ambiguous-width characters, found out at start-up
//! the way vim does (`ambiwidth`, its `t_u7` request): one such character is printed at a
//! known place, the terminal is asked where the cursor went (`ESC [6n`), and its answer
//! (`ESC [row;col R`) says one cell or two. The flag wins over `XIAOHU_AMBIGUOUS`, which
//! wins over the probe; no answer in time, or an answer that is not one, means narrow (what
//! most terminals do, and what the screen was drawn for until now).
//!
//! The reply is read here, straight from the tty, before crossterm's reader has started,
//! so it never reaches the wizard as keys. One that comes after the deadline (a slow link)
//! goes to crossterm, which parses every `ESC [n;m R` as a cursor position, an event of its
//! own that it never hands out as a key.

// Only Unix asks the terminal; elsewhere the reply's parts are unused.
#![cfg_attr(not(unix), allow(dead_code))]

use std::io::Write;
use std::time::Duration;
#[cfg(unix)]
use std::time::Instant;

use crate::ui::Ambiguous;

/// The variable that says how the terminal draws them: `wide`, `narrow`, or `auto` (ask).
pub const ENV: &str = "XIAOHU_AMBIGUOUS";

/// How long the terminal has to answer. A local terminal answers within a millisecond and
/// one over SSH within a round trip; waiting longer would only delay the first frame where
/// nothing answers (crossterm's own `cursor::position` waits two seconds).
pub const TIMEOUT: Duration = Duration::from_millis(150);

/// The probe's character: ▶, the selection marker that covers a character where the
/// terminal draws it wide. Printed on the second row, as vim does: on the first, the
/// answer `ESC [1;2R` is also what some terminals send for Shift-F3.
const PROBE: &str = "\u{25b6}";
const ROW: u16 = 2;

/// What the command line and the environment say, before asking the terminal: `Some` if
/// either decides (the flag first), `None` to probe. An unknown word in the variable is an
/// error before the screen changes, like an unknown theme.
pub fn decided(flag: Option<Ambiguous>, env: Option<&str>) -> Result<Option<Ambiguous>, String> {
    if flag.is_some() {
        return Ok(flag);
    }
    match env.map(str::trim) {
        None | Some("" | "auto") => Ok(None),
        Some("wide") => Ok(Some(Ambiguous::Wide)),
        Some("narrow") => Ok(Some(Ambiguous::Narrow)),
        Some(other) => Err(format!(
            "{ENV}={}: use wide, narrow or auto",
            crate::safe_text::line(other)
        )),
    }
}

/// Asks the terminal (in raw mode, on the alternate screen, before the first frame): the
/// moment it was asked, or `None` if the question could not be written. The answer is read
/// by `answer`; what comes between (the screen's buffers made) runs while the terminal
/// replies.
#[cfg(unix)]
pub fn ask(out: &mut impl Write) -> Option<Instant> {
    let asked = write!(out, "\x1b[{ROW};1H{PROBE}\x1b[6n").and_then(|()| out.flush());
    asked.ok().map(|()| Instant::now())
}

/// The terminal's answer to `ask`, waited for until `TIMEOUT` after it was asked; then
/// what the probe printed is wiped.
#[cfg(unix)]
pub fn answer(asked: Option<Instant>, out: &mut impl Write) -> Ambiguous {
    let found = asked.and_then(|at| read_reply(at + TIMEOUT));
    // The row is erased and the cursor sent home: ratatui's first frame only writes the
    // cells it thinks differ from blank.
    let _ = write!(out, "\x1b[{ROW};1H\x1b[2K\x1b[H").and_then(|()| out.flush());
    found.map_or(Ambiguous::Narrow, |(row, col)| width_from(row, col))
}

/// Where the cursor stands after the probe: one column on (narrow), or two (wide).
/// Anything else (another row, a column that fits neither) is not an answer to trust.
fn width_from(row: u16, col: u16) -> Ambiguous {
    match (row, col) {
        (ROW, 3) => Ambiguous::Wide,
        _ => Ambiguous::Narrow,
    }
}

/// The last complete `ESC [ row ; col R` in `bytes`.
fn parse_reply(bytes: &[u8]) -> Option<(u16, u16)> {
    let end = bytes.iter().rposition(|&b| b == b'R')?;
    let start = bytes[..end].windows(2).rposition(|w| w == b"\x1b[")?;
    let inner = std::str::from_utf8(&bytes[start + 2..end]).ok()?;
    let (row, col) = inner.split_once(';')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(row) || !digits(col) {
        return None;
    }
    Some((row.parse().ok()?, col.parse().ok()?))
}

/// Longest wait for the reply among other bytes (keys typed meanwhile): past this it is
/// garbage, and the answer is narrow.
const REPLY_MAX: usize = 64;

/// The fewest bytes that can still come before a reply is complete, after `bytes`: a
/// read of that many can never take a byte past the reply's `R` (keys typed after it stay
/// for crossterm). A reply is at least `ESC [ d ; d R`, 6 bytes, from its `ESC`; if the
/// bytes end in part of one, only the rest of it.
fn wanted(bytes: &[u8]) -> usize {
    const WHOLE: usize = 6;
    let Some(esc) = bytes.iter().rposition(|&b| b == 0x1b) else {
        return WHOLE;
    };
    let tail = &bytes[esc + 1..];
    let Some(inner) = tail.strip_prefix(b"[") else {
        // `ESC` alone needs `[d;dR`; `ESC` then anything else starts no reply.
        return if tail.is_empty() { WHOLE - 1 } else { WHOLE };
    };
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match inner.iter().position(|&b| b == b';') {
        None if inner.is_empty() => 4,
        None if digits(inner) => 3,
        Some(semi) if digits(&inner[..semi]) && semi > 0 => match &inner[semi + 1..] {
            [] => 2,
            col if digits(col) => 1,
            _ => WHOLE,
        },
        _ => WHOLE,
    }
}

/// Reads stdin until a reply for our row, never past it (`Reading::wanted`), so nothing
/// after it (keys typed at once) is taken from crossterm; `None` at the deadline, at end of
/// input, or after `REPLY_MAX` bytes without one. A terminal's reply comes in one piece, so
/// it is one read, not a `poll` and a `read` for each of its bytes. A paste that began is
/// read to its end even past the deadline (by up to `PASTE_GRACE`), so none of it is left
/// to reach the wizard as typed keys.
#[cfg(unix)]
fn read_reply(deadline: Instant) -> Option<(u16, u16)> {
    let mut reading = Reading::default();
    while !reading.gave_up() {
        let until = if reading.pasting {
            deadline + PASTE_GRACE
        } else {
            deadline
        };
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        match super::tty::wait(left) {
            super::tty::Ready::Input => {}
            super::tty::Ready::Idle => continue,
            super::tty::Ready::HungUp => return None,
        }
        let mut chunk = [0u8; 6];
        let want = reading.wanted().min(chunk.len());
        // SAFETY: at most `want` bytes into a valid buffer of at least that many.
        let n = unsafe { libc::read(libc::STDIN_FILENO, chunk.as_mut_ptr().cast(), want) };
        let Ok(n @ 1..) = usize::try_from(n) else {
            return None;
        };
        if let Some(found) = reading.take(&chunk[..n]) {
            return Some(found);
        }
    }
    None
}

/// How much longer than the reply a paste begun before it may take to arrive whole.
#[cfg(unix)]
const PASTE_GRACE: Duration = Duration::from_secs(1);

/// Where a bracketed paste begins and ends (bracketed paste is on before the probe).
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// What the probe has read so far.
#[derive(Default)]
struct Reading {
    /// The bytes since the last reply or paste mark, where a reply is looked for; inside a
    /// paste, only its last few, where its end is looked for.
    bytes: Vec<u8>,
    /// Inside a bracketed paste: its text is dropped whole. Nothing is on screen to paste
    /// into before the first frame, and a paste cut by the probe reached the wizard as
    /// typed keys, its Enter and its `q` among them.
    pasting: bool,
    /// Bytes read outside pastes, counted against `REPLY_MAX`.
    others: usize,
}

impl Reading {
    /// `chunk` added to what was read: the reply for our row, if it ends in `chunk`.
    fn take(&mut self, chunk: &[u8]) -> Option<(u16, u16)> {
        for &byte in chunk {
            self.bytes.push(byte);
            if self.pasting {
                if self.bytes.ends_with(PASTE_END) {
                    self.pasting = false;
                    self.bytes.clear();
                } else if self.bytes.len() > PASTE_END.len() {
                    self.bytes.remove(0);
                }
                continue;
            }
            self.others += 1;
            if self.bytes.ends_with(PASTE_START) {
                self.pasting = true;
                self.bytes.clear();
                continue;
            }
            if byte == b'R'
                && let Some((row, col)) = parse_reply(&self.bytes)
            {
                if row == ROW {
                    return Some((row, col));
                }
                // A Shift-F3 or another row's answer: keep waiting for ours.
                self.bytes.clear();
            }
        }
        None
    }

    /// The fewest bytes that can come before what is looked for is complete: a reply
    /// (`wanted`), or inside a paste its end mark, which like a reply is 6 bytes from its
    /// `ESC`. A read of that many never takes a byte past either.
    fn wanted(&self) -> usize {
        if !self.pasting {
            return wanted(&self.bytes);
        }
        let begun = (1..PASTE_END.len())
            .rev()
            .find(|&k| self.bytes.ends_with(&PASTE_END[..k]))
            .unwrap_or(0);
        PASTE_END.len() - begun
    }

    /// Read too much outside pastes to be waiting for a reply still.
    fn gave_up(&self) -> bool {
        !self.pasting && self.others >= REPLY_MAX
    }
}

/// Elsewhere the reply could not be read before crossterm's console reader sees it: not
/// asked, narrow (the flag and the variable still say wide).
#[cfg(not(unix))]
pub fn ask(_out: &mut impl Write) -> Option<std::time::Instant> {
    None
}

#[cfg(not(unix))]
pub fn answer(_asked: Option<std::time::Instant>, _out: &mut impl Write) -> Ambiguous {
    Ambiguous::Narrow
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_over_the_variable_which_wins_over_the_probe() {
        let (wide, narrow) = (Some(Ambiguous::Wide), Some(Ambiguous::Narrow));
        assert_eq!(decided(wide, Some("narrow")), Ok(wide));
        assert_eq!(decided(narrow, Some("wide")), Ok(narrow));
        assert_eq!(decided(narrow, Some("bogus")), Ok(narrow));
        assert_eq!(decided(None, Some("wide")), Ok(wide));
        assert_eq!(decided(None, Some(" narrow ")), Ok(narrow));
        for probe in [None, Some(""), Some("auto")] {
            assert_eq!(decided(None, probe), Ok(None), "{probe:?}");
        }
        let e = decided(None, Some("double\u{1b}")).unwrap_err();
        assert_eq!(
            e,
            "XIAOHU_AMBIGUOUS=double\\u{1b}: use wide, narrow or auto"
        );
    }

    #[test]
    fn the_reply_is_read_from_among_other_bytes() {
        assert_eq!(parse_reply(b"\x1b[2;2R"), Some((2, 2)));
        assert_eq!(parse_reply(b"ab\x1b[2;3R"), Some((2, 3)));
        assert_eq!(parse_reply(b"\x1b[12;140R"), Some((12, 140)));
        for garbage in [
            &b"\x1b[2;R"[..],
            b"\x1b[;3R",
            b"\x1b[2:3R",
            b"2;3R",
            b"\x1b[2;3",
            b"",
        ] {
            assert_eq!(parse_reply(garbage), None, "{garbage:?}");
        }
    }

    /// However the bytes come, a read of `wanted` never goes past the first reply's end:
    /// what the terminal sends after it (keys typed at once) is left to crossterm.
    #[test]
    fn a_read_of_what_is_wanted_never_passes_the_end_of_a_reply() {
        assert_eq!(wanted(b""), 6);
        assert_eq!(wanted(b"\x1b"), 5);
        assert_eq!(wanted(b"\x1b["), 4);
        assert_eq!(wanted(b"\x1b[12"), 3);
        assert_eq!(wanted(b"\x1b[2;"), 2);
        assert_eq!(wanted(b"\x1b[2;14"), 1);
        for no_reply_yet in [
            &b"x"[..],
            b"\x1bO",
            b"\x1b[;",
            b"\x1b[2;a",
            b"\x1b[2x",
            b"\x1b[2;3R",
        ] {
            assert_eq!(wanted(no_reply_yet), 6, "{no_reply_yet:?}");
        }
        // Every way of cutting replies with keys around them into reads of what is wanted:
        // the reads stop at the reply's `R`, and the reply is the one found.
        let streams: [&[u8]; 7] = [
            b"\x1b[2;3Rkeys",
            b"ab\x1b[2;2R\x1b[A",
            b"\x1b\x1b[2;3RR",
            b"\x1b[1;2R\x1b[2;3Rq",
            b"\x1b[12;140R\x1b[2;2R\x1b[2;3R",
            b"\x1b[200~pasted\r\x1b[5;5R\x1b[201~\x1b[2;2Rq",
            b"\x1b[200~\x1b[201\x1b[2;2R\x1b[201~\x1b[2;3R\x1b[200~",
        ];
        for stream in streams {
            for cut in 1..=6 {
                let (mut taken, mut reading) = (0, Reading::default());
                let found = loop {
                    let n = reading.wanted().min(cut).min(stream.len() - taken);
                    assert!(n > 0, "{stream:?}: wants nothing");
                    let done = reading.take(&stream[taken..taken + n]);
                    taken += n;
                    if let Some(found) = done {
                        break found;
                    }
                };
                // Our row's first reply outside a paste.
                let end = first_reply_end(stream);
                assert_eq!(taken, end, "{stream:?} in reads of {cut}: stopped at its R");
                assert_eq!(found, parse_reply(&stream[..end]).unwrap());
            }
        }
    }

    /// Where our row's first reply outside a paste ends in `stream`.
    fn first_reply_end(stream: &[u8]) -> usize {
        let mut pasting = false;
        let mut i = 0;
        while i < stream.len() {
            let rest = &stream[i..];
            if rest.starts_with(PASTE_START) {
                pasting = true;
            } else if rest.starts_with(PASTE_END) {
                pasting = false;
            } else if !pasting && rest.starts_with(b"\x1b[2;") {
                return i + 6;
            }
            i += 1;
        }
        panic!("no reply in {stream:?}")
    }

    /// A paste that arrives while the probe waits is dropped whole: none of it is taken
    /// for the reply, counted against `REPLY_MAX`, or left over to be typed as keys.
    #[test]
    fn a_paste_during_the_probe_is_dropped_whole() {
        let paste = [
            b"\x1b[200~".as_slice(),
            &[b'z'; 500],
            b"\r\x1b[2;3Rq",
            b"\x1b[201~",
        ]
        .concat();
        let mut reading = Reading::default();
        assert_eq!(reading.take(&paste), None);
        assert!(
            !reading.pasting && !reading.gave_up(),
            "past the paste, still waiting"
        );
        assert_eq!(reading.take(b"\x1b[2;2R"), Some((2, 2)));
        // Cut off at the deadline, it is still being read.
        let mut reading = Reading::default();
        assert_eq!(reading.take(&paste[..300]), None);
        assert!(reading.pasting && !reading.gave_up());
        assert_eq!(reading.wanted(), 6);
        reading.take(b"\x1b[20");
        assert_eq!(reading.wanted(), 2, "the rest of its end mark");
        // Outside a paste, what is not a reply still counts.
        let mut reading = Reading::default();
        reading.take(&[b'k'; REPLY_MAX]);
        assert!(reading.gave_up());
    }

    #[test]
    fn one_column_on_is_narrow_two_are_wide_anything_else_narrow() {
        assert_eq!(width_from(2, 2), Ambiguous::Narrow);
        assert_eq!(width_from(2, 3), Ambiguous::Wide);
        assert_eq!(width_from(1, 3), Ambiguous::Narrow, "another row");
        assert_eq!(width_from(2, 1), Ambiguous::Narrow);
        assert_eq!(width_from(2, 9), Ambiguous::Narrow);
    }
}
