//! Waiting for input without letting crossterm see a hung-up terminal. When the window is
//! closed, reads on the tty return 0 forever, and crossterm 0.29's reader loops on that
//! without returning (100 % CPU, the case never saved). So the loop asks the kernel first:
//! `poll(2)` on stdin reports POLLHUP for a hung-up tty, and only then is crossterm called.

use std::time::Duration;

pub enum Ready {
    /// Bytes (or a buffered event) may be waiting: crossterm may read now.
    Input,
    /// Nothing within the timeout.
    Idle,
    /// The terminal is gone (window closed, connection dropped).
    HungUp,
}

/// Waits up to `timeout` for a terminal event. Events crossterm already holds (or a resize)
/// come first; crossterm is only asked to read once the kernel says the terminal is alive.
/// `Input` means `event::read` will not block.
pub fn next_event(timeout: Duration) -> std::io::Result<Ready> {
    use ratatui::crossterm::event;
    let ready = match wait(Duration::ZERO) {
        Ready::HungUp => return Ok(Ready::HungUp),
        _ if event::poll(Duration::ZERO)? => return Ok(Ready::Input),
        _ => wait(timeout),
    };
    Ok(match ready {
        Ready::Input if event::poll(Duration::ZERO)? => Ready::Input,
        Ready::Input | Ready::Idle => Ready::Idle,
        Ready::HungUp => Ready::HungUp,
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
