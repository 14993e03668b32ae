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
    while !app.model.quit {
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
            if let Some(line) = input.take() {
                break Next::Line(line);
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
    if app.model.quit {
        let bye = app.content.ui.plain_bye.get(app.model.lang);
        let _ = writeln!(out, "{bye}");
    }
    Ok(())
}

enum Next {
    Line(String),
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

/// Lines from stdin, read straight from the descriptor so `poll` and the buffer agree: a
/// line already buffered is taken before waiting again.
#[derive(Default)]
struct Lines {
    pending: Vec<u8>,
    ended: bool,
}

impl Lines {
    /// The next complete line (or the last, unterminated one at the end of input).
    fn take(&mut self) -> Option<String> {
        let end = match self.pending.iter().position(|b| *b == b'\n') {
            Some(i) => i + 1,
            None if self.ended && !self.pending.is_empty() => self.pending.len(),
            None => return None,
        };
        let line: Vec<u8> = self.pending.drain(..end).collect();
        // The newline stays on, so the loop can tell a line ended by Ctrl-D from a whole one.
        Some(String::from_utf8_lossy(&line).into_owned())
    }

    /// Drops what was typed and not yet taken, in this buffer and in the terminal's.
    fn discard(&mut self) {
        self.pending.clear();
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
            return Ok(!self.pending.is_empty());
        }
        self.pending.extend_from_slice(&chunk[..n]);
        Ok(true)
    }
}
