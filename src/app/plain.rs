//! Plain mode (`--plain`) as a front end of the shell (`app/shell.rs`): print the page, read
//! a line, send what it means through the same `App::dispatch` as the full screen. The terminal stays in its normal mode (the
//! person's own line editing and echo, what a screen reader follows); no alternate screen,
//! no cursor movement, no colour. Works on pipes too.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use eyre::Result;

use super::session::App;
use super::shell::{Events, FrontEnd, Next, Shown};
use super::tty;
use crate::plain::{self, Reply};
use crate::safe_text;
use crate::wizard::Action;

/// Plain mode as a front end of the shell: pages printed to `out`, lines answered.
pub(super) struct Plain<W: Write> {
    out: W,
    /// The page last printed (its key), and its section.
    shown: Option<String>,
    shown_section: String,
    /// Alerts are what an answer led to; after a local message ("no such number") they
    /// would only repeat.
    alerts: bool,
    /// Something was answered (or the intro printed) since the page was last printed: the
    /// question and the prompt are due again. Not after a mere tick of the clock.
    due: bool,
}

impl<W: Write> Plain<W> {
    pub fn new(out: W) -> Plain<W> {
        Plain {
            out,
            shown: None,
            shown_section: String::new(),
            alerts: true,
            due: true,
        }
    }
}

impl<W: Write> FrontEnd for Plain<W> {
    type Event = Taken;

    fn start(&mut self, app: &mut App) -> bool {
        let intro = app.content.ui.plain_intro.get(app.model.lang);
        writeln!(self.out, "{intro}").is_ok()
    }

    fn lists_after_first_frame(&self) -> bool {
        false
    }

    fn show(&mut self, app: &mut App, _pending: bool) -> Result<Shown> {
        if !self.due {
            return Ok(Shown::Done);
        }
        self.due = false;
        let page = plain::page(&app.model, &app.content);
        let new = self.shown.as_deref() != Some(&page.key);
        let section = new || self.shown_section != page.section_key;
        if print(&mut self.out, &page, new, section, self.alerts).is_err() {
            // Nobody is reading (the output pipe closed): save and stop.
            return Ok(Shown::Gone);
        }
        self.shown = Some(page.key);
        self.shown_section = page.section_key;
        Ok(Shown::Done)
    }

    fn idle_reset(&mut self, app: &mut App) {
        // The shell has dropped the line half-typed by the last person (`discard`): it must
        // not answer the start page for the next one.
        app.dispatch(Action::IdleReset);
        let idle = app.content.ui.plain_idle.get(app.model.lang);
        let _ = writeln!(self.out);
        let _ = writeln!(self.out, "{idle}");
        self.shown = None;
        self.alerts = false;
        self.due = true;
    }

    fn event(&mut self, app: &mut App, taken: Taken) -> bool {
        self.due = true;
        let line = match taken {
            Taken::Line(line) => line,
            Taken::TooLong => {
                let size = crate::regular_file::human(LINE_MAX as u64);
                let text = &app.content.ui.plain_line_too_long;
                let _ = writeln!(
                    self.out,
                    "{}",
                    text.fill(app.model.lang, &[("size", &size)])
                );
                self.alerts = false;
                return true;
            }
        };
        // Ctrl-D after some text sends it without a newline (only the last line of the
        // input can lack one); the terminal's echo then ends mid-line, and the next words
        // must not run on from it.
        if !line.ends_with('\n') {
            let _ = writeln!(self.out);
        }
        let now = app.clock.now();
        match plain::answer(&app.model, &app.content, &line, now) {
            Reply::Act(actions) => {
                for action in actions {
                    app.dispatch(action);
                }
                self.alerts = true;
            }
            Reply::Say(text) => {
                let _ = writeln!(self.out, "{}", safe_text::block(&text));
                self.alerts = false;
            }
            Reply::Repeat => {
                self.shown = None;
                self.alerts = true;
            }
        }
        true
    }

    /// End of input (Ctrl-D, the pipe closed) or a signal: the person's line is ended
    /// before the shell saves and leaves.
    fn stopping(&mut self) {
        let _ = writeln!(self.out);
    }

    fn finish(&mut self, app: &App) {
        if app.model.quitting() {
            let bye = app.content.ui.plain_bye.get(app.model.lang);
            let _ = writeln!(self.out, "{bye}");
        }
        let _ = self.out.flush();
    }
}

/// Lines from stdin as the shell's events, read straight from the descriptor so `poll` and
/// the buffer agree: a line already buffered is taken before waiting again.
#[derive(Default)]
pub(super) struct StdinLines {
    lines: Lines,
}

impl Events for StdinLines {
    type Event = Taken;

    /// Plain mode prints every page, so what waits does not hold a page back.
    fn pending(&mut self) -> std::io::Result<bool> {
        Ok(false)
    }

    fn next(&mut self, timeout: Duration) -> std::io::Result<Next<Taken>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(taken) = self.lines.take() {
                return Ok(Next::Event(taken));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match tty::wait(left) {
                tty::Ready::Idle => return Ok(Next::Idle),
                // A hang-up still has its last bytes to read; the read says when it ends.
                tty::Ready::Input | tty::Ready::HungUp => match self.lines.fill() {
                    Ok(true) => {}
                    Ok(false) | Err(_) => return Ok(Next::HungUp),
                },
            }
        }
    }

    fn discard(&mut self) {
        self.lines.discard();
    }
}

/// A new page starts with a blank line and its heading; then what the last answer led to,
/// the question, and the prompt on its own line end, where the person types.
///
/// `plain::page` makes what it takes from a case file safe; every line is made safe again
/// here, as the last thing before the terminal, for whatever a content file holds.
fn print(
    out: &mut impl Write,
    page: &plain::Page,
    new: bool,
    section: bool,
    alerts: bool,
) -> std::io::Result<()> {
    let mut line = |text: &str| writeln!(out, "{}", safe_text::block(text));
    if new {
        line("")?;
        line(&page.heading)?;
        page.text.iter().try_for_each(|l| line(l))?;
    }
    if section {
        page.section.iter().try_for_each(|l| line(l))?;
    }
    if alerts || new {
        page.alerts.iter().try_for_each(|l| line(l))?;
    }
    page.question.iter().try_for_each(|l| line(l))?;
    write!(out, "{} ", safe_text::block(&page.prompt))?;
    out.flush()
}

/// The longest line read. An answer is a number, an amount or a short note (60
/// characters); a line longer than this is dropped whole, with one message, and never held
/// in memory in full (the reader discards it up to its newline).
const LINE_MAX: usize = 64 * 1024;

/// What the reader hands on: a line, or word that one too long was dropped.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Taken {
    Line(String),
    TooLong,
}

/// Lines from stdin, read straight from the descriptor so `poll` and the buffer agree: a
/// line already buffered is taken before waiting again.
#[derive(Default)]
struct Lines {
    /// The start of the next line, up to `LINE_MAX` bytes.
    pending: Vec<u8>,
    /// Complete lines not yet taken (only what one read brought, so little).
    ready: std::collections::VecDeque<Taken>,
    /// Inside a line too long to keep: its bytes are dropped up to its newline.
    skipping: bool,
    ended: bool,
}

impl Lines {
    /// The next complete line (or the last, unterminated one at the end of input).
    fn take(&mut self) -> Option<Taken> {
        if let Some(taken) = self.ready.pop_front() {
            return Some(taken);
        }
        if self.ended && !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            return Some(Taken::Line(String::from_utf8_lossy(&line).into_owned()));
        }
        None
    }

    /// Drops what was typed and not yet taken, in this buffer and in the terminal's.
    fn discard(&mut self) {
        self.pending.clear();
        self.ready.clear();
        // SAFETY: tcflush only reads its arguments; on a pipe it fails harmlessly (ENOTTY).
        #[cfg(unix)]
        unsafe {
            libc::tcflush(libc::STDIN_FILENO, libc::TCIFLUSH);
        }
    }

    /// Reads what is there. `Ok(false)` at the end of input with nothing left to take.
    fn fill(&mut self) -> std::io::Result<bool> {
        // Larger than std's own stdin buffer, so std reads straight into ours.
        let mut chunk = [0u8; 16 * 1024];
        let n = loop {
            match std::io::stdin().read(&mut chunk) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        if n == 0 {
            self.ended = true;
            return Ok(!self.pending.is_empty() || !self.ready.is_empty());
        }
        self.push(&chunk[..n]);
        Ok(true)
    }

    /// Splits what was read into lines; keeps at most `LINE_MAX` bytes of an unfinished one.
    fn push(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let newline = bytes.iter().position(|b| *b == b'\n');
            if self.skipping {
                match newline {
                    Some(i) => {
                        self.skipping = false;
                        bytes = &bytes[i + 1..];
                    }
                    None => return,
                }
                continue;
            }
            let (part, rest, whole) = match newline {
                // The newline stays on, so the loop can tell a line ended by Ctrl-D
                // from a whole one.
                Some(i) => (&bytes[..=i], &bytes[i + 1..], true),
                None => (bytes, &[][..], false),
            };
            if self.pending.len() + part.len() > LINE_MAX + usize::from(whole) {
                self.pending.clear();
                self.ready.push_back(Taken::TooLong);
                self.skipping = !whole;
            } else {
                self.pending.extend_from_slice(part);
                if whole {
                    let line = std::mem::take(&mut self.pending);
                    let line = String::from_utf8_lossy(&line).into_owned();
                    self.ready.push_back(Taken::Line(line));
                }
            }
            bytes = rest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(chunks: &[&[u8]]) -> Vec<Taken> {
        let mut lines = Lines::default();
        for chunk in chunks {
            lines.push(chunk);
        }
        lines.ended = true;
        std::iter::from_fn(|| lines.take()).collect()
    }

    #[test]
    fn a_line_too_long_is_dropped_whole_and_the_next_one_read() {
        let long = vec![b'1'; LINE_MAX + 1];
        let line = |s: &str| Taken::Line(s.into());
        assert_eq!(
            lines(&[b"a\nb", &long, &long, b"c\nd\n"]),
            [line("a\n"), Taken::TooLong, line("d\n")]
        );
        // The longest line kept, its newline on; one byte more is too long.
        let most = vec![b'2'; LINE_MAX];
        let taken = lines(&[&most, b"\n"]);
        assert!(matches!(&taken[..], [Taken::Line(l)] if l.len() == LINE_MAX + 1));
        assert_eq!(lines(&[&long, b"\n"]), [Taken::TooLong]);
        assert_eq!(lines(&[b"x\n", &long]), [line("x\n"), Taken::TooLong]);
        assert_eq!(lines(&[b"last"]), [line("last")]);
    }

    #[test]
    fn an_unfinished_line_is_never_held_past_the_limit() {
        let mut lines = Lines::default();
        for _ in 0..1000 {
            lines.push(&[b'x'; 16 * 1024]);
            assert!(lines.pending.len() <= LINE_MAX);
        }
        assert_eq!(lines.take(), Some(Taken::TooLong));
        assert_eq!(lines.take(), None);
    }
}
