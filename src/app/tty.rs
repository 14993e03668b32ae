//! Terminal input, read by the app itself. Two faults of crossterm 0.29's reader are why:
//! on a hung-up tty its read returns 0 forever and it loops on that (100 % CPU, the case
//! never saved); and its wait is edge-triggered and reads 1,024 bytes at a time, so the
//! rest of a longer paste stayed in the kernel: `poll(2)` said "input", crossterm said
//! "nothing", and the loop spun without sleeping while the paste's tail waited for another
//! key. Here one level-triggered `poll(2)` on stdin decides: it sees POLLHUP, and whatever it
//! reports is read at once into one buffer (`parse::Parser`, crossterm's own byte parser),
//! whose events are all handed out before the loop sleeps again.

use std::time::Duration;
#[cfg(unix)]
use std::time::Instant;

use ratatui::crossterm::event::Event;

/// What the terminal said within a wait.
pub enum Next {
    Event(Event),
    /// Nothing within the timeout (or a signal interrupted the wait).
    Idle,
    /// The terminal is gone (window closed, connection dropped).
    HungUp,
}

pub enum Ready {
    /// Bytes are waiting: a read will not block.
    Input,
    /// Nothing within the timeout.
    Idle,
    /// The terminal is gone (window closed, connection dropped).
    HungUp,
}

/// The full-screen wizard's and the tour's input: keys, pastes and resizes.
#[cfg(unix)]
pub struct Input {
    parser: super::parse::Parser,
    resized: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// Most bytes taken in one go before events are handed out (the kernel's own tty buffer
/// holds 4 KiB; a paste larger than this is read in several goes).
#[cfg(unix)]
const READ_MAX: usize = 64 * 1024;

#[cfg(unix)]
impl Input {
    /// Watches SIGWINCH too (crossterm's reader did; its handler is not installed now), so
    /// a resize wakes the wait.
    pub fn new() -> Input {
        let resized = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGWINCH, resized.clone());
        Input {
            parser: super::parse::Parser::default(),
            resized,
        }
    }

    /// The next event, waiting up to `timeout` for one. Events already read come first;
    /// `Idle` only after the wait found nothing (or a signal cut it short), never while
    /// bytes are waiting in the kernel or events in the buffer.
    pub fn next(&mut self, timeout: Duration) -> std::io::Result<Next> {
        use std::sync::atomic::Ordering;
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(event) = self.parser.next_event() {
                return Ok(Next::Event(event));
            }
            if self.resized.swap(false, Ordering::SeqCst) {
                let (w, h) = ratatui::crossterm::terminal::size()?;
                return Ok(Next::Event(Event::Resize(w, h)));
            }
            match wait(deadline.saturating_duration_since(Instant::now())) {
                Ready::HungUp => return Ok(Next::HungUp),
                Ready::Idle if self.resized.load(Ordering::SeqCst) => {}
                Ready::Idle => return Ok(Next::Idle),
                Ready::Input => {
                    if !self.read() {
                        return Ok(Next::HungUp);
                    }
                    // Bytes of an unfinished sequence make no event yet: wait for the rest
                    // for what is left of the timeout (they are out of the kernel now, so
                    // the wait sleeps).
                }
            }
        }
    }

    /// Whether an event read earlier is waiting (`next` returns it without waiting).
    pub fn pending(&self) -> bool {
        self.parser.has_event()
    }

    /// Reads what the kernel holds (up to `READ_MAX`) and parses it. `false`: end of file or
    /// an error, which for a terminal means it is gone.
    fn read(&mut self) -> bool {
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            // SAFETY: reads into a buffer of the length given; stdin stays open.
            let n =
                unsafe { libc::read(libc::STDIN_FILENO, chunk.as_mut_ptr().cast(), chunk.len()) };
            match n {
                0 => return false,
                n if n < 0 => {
                    let error = std::io::Error::last_os_error();
                    match error.kind() {
                        std::io::ErrorKind::Interrupted | std::io::ErrorKind::WouldBlock => break,
                        _ => return false,
                    }
                }
                n => bytes.extend_from_slice(&chunk[..n.unsigned_abs()]),
            }
            // Take what follows at once too, so a sequence split between two reads is
            // still whole, and a lone Esc at the end really is the Esc key.
            if bytes.len() >= READ_MAX || !matches!(wait(Duration::ZERO), Ready::Input) {
                break;
            }
        }
        // Stopped at the limit, more follows: a trailing Esc may begin a sequence.
        self.parser.advance(&bytes, bytes.len() >= READ_MAX);
        true
    }
}

/// Outside Unix, crossterm's reader (no hang-up spin or edge-triggered wait to avoid there).
#[cfg(not(unix))]
pub struct Input;

#[cfg(not(unix))]
impl Input {
    pub fn new() -> Input {
        Input
    }

    pub fn pending(&self) -> bool {
        false
    }

    pub fn next(&mut self, timeout: Duration) -> std::io::Result<Next> {
        use ratatui::crossterm::event;
        Ok(if event::poll(timeout)? {
            Next::Event(event::read()?)
        } else {
            Next::Idle
        })
    }
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
