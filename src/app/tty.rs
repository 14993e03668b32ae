//! Waiting for input without letting crossterm see a hung-up terminal. When the window is
//! closed, reads on the tty return 0 forever, and crossterm 0.29's reader loops on that
//! (100 % CPU, the case never saved). So the kernel is asked first: `poll(2)` on stdin
//! reports POLLHUP for a hung-up tty, and only a live one is read by crossterm.
//!
//! crossterm reads with its `use-dev-tty` source (Cargo.toml): a level-triggered `poll(2)`
//! that reads on while the kernel holds bytes, so a paste longer than its 1,024-byte reads
//! arrives whole (the default mio source waited edge-triggered and left the tail in the
//! kernel). That source hands out one event per read and keeps the rest of what it read;
//! the kernel no longer shows those, so after an event crossterm itself is asked again.

use std::time::Duration;

use ratatui::crossterm::event::{self, Event};

use super::shell::{Events, Next};

pub enum Ready {
    /// Bytes are waiting: a read will not block.
    Input,
    /// Nothing within the timeout.
    Idle,
    /// The terminal is gone (window closed, connection dropped).
    HungUp,
}

/// How long crossterm may wait when asked whether it holds an event. Never zero: crossterm's
/// reader does not look, not even at what it already read, with no time left.
const GLANCE: Duration = Duration::from_millis(1);

/// The full-screen wizard's and the tour's input: keys, pastes and resizes.
pub struct Input {
    /// crossterm may hold events it read with the last one (the rest of a paste).
    more: bool,
}

impl Input {
    pub fn new() -> Input {
        Input { more: false }
    }
}

impl Events for Input {
    type Event = Event;

    /// Whether an event read earlier is waiting (`next` then returns it without waiting).
    fn pending(&mut self) -> std::io::Result<bool> {
        if self.more {
            self.more = ready()?;
        }
        Ok(self.more)
    }

    /// The next event, waiting up to `timeout` for one. Events crossterm already holds come
    /// first; `Idle` only after the wait found nothing (or a signal cut it short).
    fn next(&mut self, timeout: Duration) -> std::io::Result<Next<Event>> {
        let event = if self.pending()? {
            true
        } else {
            match wait(timeout) {
                Ready::HungUp => return Ok(Next::HungUp),
                // After a timeout too, in case a glance came too late to see an event.
                Ready::Input | Ready::Idle => ready()?,
            }
        };
        self.more = event;
        Ok(if event {
            Next::Event(event::read()?)
        } else {
            Next::Idle
        })
    }
}

/// Whether crossterm has an event ready (read earlier, or in the kernel now); never asked
/// about a hung-up terminal. `true`: `event::read` will not block.
fn ready() -> std::io::Result<bool> {
    Ok(match wait(Duration::ZERO) {
        Ready::HungUp => false,
        Ready::Input | Ready::Idle => event::poll(GLANCE)?,
    })
}

#[cfg(unix)]
pub fn wait(timeout: Duration) -> Ready {
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: one valid pollfd for the duration of the call.
    let n = unsafe { libc::poll(&mut fds, 1, ms) };
    if n < 0 {
        // EINTR (a signal, e.g. SIGWINCH or SIGTERM): let the loop look at its flags.
        return Ready::Idle;
    }
    if fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        Ready::HungUp
    } else if fds.revents & libc::POLLIN != 0 {
        Ready::Input
    } else {
        Ready::Idle
    }
}

#[cfg(not(unix))]
pub fn wait(timeout: Duration) -> Ready {
    match ratatui::crossterm::event::poll(timeout) {
        Ok(true) => Ready::Input,
        Ok(false) => Ready::Idle,
        Err(_) => Ready::HungUp,
    }
}
