//! Plain mode's loop (`--plain`): print the page, read a line, send what it means through
//! the same `App::dispatch` as the full screen. The terminal stays in its normal mode (the
//! person's own line editing and echo, what a screen reader follows); no alternate screen,
//! no cursor movement, no colour. Works on pipes too.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use color_eyre::eyre::Result;

use super::session::{App, now};
use super::signals::Signals;
use super::tty;
use crate::plain::{self, Reply};
use crate::safe_text;
use crate::wizard::Action;

/// How often the loop looks at signals and tells the wizard that time passed (save retries,
/// the idle reset) while it waits for a line.
const TICK: Duration = Duration::from_millis(200);

pub(super) fn run(app: &mut App, signals: &Signals, idle_reset: Option<Duration>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let mut input = Lines::default();
    let mut shown: Option<String> = None;
    let mut shown_section = String::new();
    // Alerts are what an answer led to; after a local message ("no such number") they
    // would only repeat.
    let mut alerts = true;
    let mut last_input = Instant::now();
    let intro = app.content.ui.plain_intro.get(app.model.lang).to_owned();
    if writeln!(out, "{intro}").is_err() {
        app.dispatch(Action::Terminate);
        return Ok(());
    }
    while !app.model.quitting() {
        let page = plain::page(&app.model, &app.content);
        let new = shown.as_deref() != Some(&page.key);
        let section = new || shown_section != page.section_key;
        if print(&mut out, &page, new, section, alerts).is_err() {
            // Nobody is reading (the output pipe closed): save and stop.
            app.dispatch(Action::Terminate);
            break;
        }
        shown = Some(page.key);
        shown_section = page.section_key;
        let line = loop {
            if signals.received().is_some() {
                break Next::Stop;
            }
            match input.take() {
                Some(Taken::Line(line)) => break Next::Line(line),
                Some(Taken::TooLong) => break Next::TooLong,
                None => {}
            }
            match tty::wait(TICK) {
                tty::Ready::Idle => {
                    app.dispatch(Action::Timer);
                    if idle_reset.is_some_and(|after| last_input.elapsed() >= after) {
                        app.dispatch(Action::IdleReset);
                        break Next::Reset;
                    }
                }
                // A hang-up still has its last bytes to read; the read says when it ends.
                tty::Ready::Input | tty::Ready::HungUp => match input.fill() {
                    Ok(true) => {}
                    Ok(false) | Err(_) => break Next::Stop,
                },
            }
        };
        last_input = Instant::now();
        let line = match line {
            Next::Line(line) => {
                // Ctrl-D after some text sends it without a newline; the terminal's echo
                // then ends mid-line, and the next words must not run on from it.
                if input.ended && !line.ends_with('\n') {
                    let _ = writeln!(out);
                }
                line
            }
            Next::TooLong => {
                let size = crate::regular_file::human(LINE_MAX as u64);
                let text = &app.content.ui.plain_line_too_long;
                let _ = writeln!(out, "{}", text.fill(app.model.lang, &[("size", &size)]));
                alerts = false;
                continue;
            }
            Next::Reset => {
                // A line half-typed by the last person must not answer the start page for
                // the next one (the kernel holds it until Enter; the loop cannot see it).
                input.discard();
                let idle = app.content.ui.plain_idle.get(app.model.lang);
                let _ = writeln!(out);
                let _ = writeln!(out, "{idle}");
                shown = None;
                alerts = false;
                continue;
            }
            Next::Stop => {
                // End of input (Ctrl-D, the pipe closed) or a signal: save and leave.
                let _ = writeln!(out);
                app.dispatch(Action::Terminate);
                break;
            }
        };
        match plain::answer(&app.model, &app.content, &line, now()) {
            Reply::Act(actions) => {
                for action in actions {
                    app.dispatch(action);
                }
                alerts = true;
            }
            Reply::Say(text) => {
                let _ = writeln!(out, "{}", safe_text::block(&text));
                alerts = false;
            }
            Reply::Repeat => {
                shown = None;
                alerts = true;
            }
        }
    }
    if app.model.quitting() {
        let bye = app.content.ui.plain_bye.get(app.model.lang);
        let _ = writeln!(out, "{bye}");
    }
    Ok(())
}

enum Next {
    Line(String),
    TooLong,
    Reset,
    Stop,
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
enum Taken {
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
