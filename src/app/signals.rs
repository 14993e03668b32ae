//! Every catchable signal whose default action ends the process, as a flag the event loop
//! reads: the handler itself only stores a number (async-signal-safe); logging the stop,
//! saving and restoring the terminal happen in the loop, which then exits with 128 + n.
//!
//! Left alone: SIGPIPE (Rust's runtime ignores it; a closed pipe is a write error), the
//! signals that stop or are ignored by default (SIGTSTP, SIGCONT, SIGWINCH, SIGCHLD,
//! SIGURG …), SIGKILL and SIGSTOP (cannot be caught), and the faults a program causes
//! itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT): returning from
//! their handler would run the faulting code again, or abort must still abort.

use std::sync::atomic::{AtomicUsize, Ordering};

/// What the handler stored: the number of the last signal caught, 0 for none.
static CAUGHT: AtomicUsize = AtomicUsize::new(0);

#[derive(Clone)]
pub struct Signals {
    /// `CAUGHT` once the handlers are registered; a test's own flag otherwise.
    received: &'static AtomicUsize,
    /// Plain mode: the terminal is in its normal mode, where SIGINT is the person's Ctrl-C.
    ctrl_c: bool,
}

/// The signals that end xiaohu by default and can be caught.
#[cfg(unix)]
pub fn terminating() -> Vec<i32> {
    use signal_hook::consts::signal::*;
    #[allow(unused_mut)]
    let mut list = vec![
        SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGVTALRM, SIGPROF, SIGXCPU,
        SIGXFSZ,
    ];
    // Linux also ends a process on these by default (on the BSDs they are ignored or absent).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        list.extend([libc::SIGPWR, libc::SIGSTKFLT, libc::SIGIO]);
        list.extend(libc::SIGRTMIN()..=libc::SIGRTMAX());
    }
    list
}

impl Signals {
    /// Registers the handlers; if that fails the default action (die) stays, which loses
    /// at most the step on screen, so it is not worth refusing to start over. In the full
    /// screen Ctrl-C is a key (raw mode), but `kill -INT` is handled like the rest.
    pub fn install() -> Signals {
        Signals::register(false)
    }

    /// Plain mode keeps the terminal in its normal mode, where Ctrl-C is SIGINT rather than
    /// a key: the farewell names it as the key the person pressed.
    pub fn install_with_interrupt() -> Signals {
        Signals::register(true)
    }

    /// No handlers (a test's shell, `tour::TourRig`): a signal "arrives" only by `raise`.
    pub fn unregistered() -> Signals {
        Signals {
            // One small flag per test shell, never freed: a test process makes a few dozen.
            received: Box::leak(Box::new(AtomicUsize::new(0))),
            ctrl_c: false,
        }
    }

    /// What the handler does when `signal` comes.
    #[cfg(test)]
    pub fn raise(&self, signal: i32) {
        let n = usize::try_from(signal).unwrap_or(usize::MAX);
        self.received.store(n, Ordering::SeqCst);
    }

    fn register(ctrl_c: bool) -> Signals {
        #[cfg(unix)]
        for signal in terminating() {
            catch(signal);
        }
        Signals {
            received: &CAUGHT,
            ctrl_c,
        }
    }

    /// The signal that asked us to stop, if one came: (number, name).
    pub fn received(&self) -> Option<(i32, String)> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            n => {
                let n = i32::try_from(n).unwrap_or(i32::MAX);
                Some((n, name(n, self.ctrl_c)))
            }
        }
    }
}

/// The handler: only an atomic store, which is async-signal-safe.
#[cfg(unix)]
extern "C" fn note(signal: libc::c_int) {
    CAUGHT.store(
        usize::try_from(signal).unwrap_or(usize::MAX),
        Ordering::SeqCst,
    );
}

/// One `sigaction(2)` per signal rather than signal-hook's registry, which copies its
/// whole table for each signal it adds: the 48 signals took 116 µs of the first frame
/// through it, 10 µs this way. A failure leaves the default action (see `install`).
/// `SA_RESTART`, as signal-hook's: a read is resumed, and the loop's `poll(2)` still
/// returns early, which the kernel never restarts.
#[cfg(unix)]
fn catch(signal: i32) {
    // SAFETY: a zeroed `sigaction` is a valid value to fill in; the handler only stores
    // into an atomic, and nothing else in the process installs handlers for these.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = note as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(signal, &action, std::ptr::null_mut());
    }
}

/// A signal's usual name: signal-hook's table, then the Linux ones it lacks.
fn name(signal: i32, ctrl_c: bool) -> String {
    #[cfg(unix)]
    {
        if signal == libc::SIGINT && ctrl_c {
            return "SIGINT (Ctrl-C)".to_owned();
        }
        if let Some(name) = signal_hook::low_level::signal_name(signal) {
            return name.to_owned();
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            let (min, max) = (libc::SIGRTMIN(), libc::SIGRTMAX());
            match signal {
                libc::SIGPWR => return "SIGPWR".to_owned(),
                libc::SIGSTKFLT => return "SIGSTKFLT".to_owned(),
                n if n == min => return "SIGRTMIN".to_owned(),
                n if n == max => return "SIGRTMAX".to_owned(),
                n if n > min && n < max => return format!("SIGRTMIN+{}", n - min),
                _ => {}
            }
        }
    }
    let _ = ctrl_c;
    format!("signal {signal}")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn each_signal_has_its_own_name() {
        use signal_hook::consts::signal::*;
        for (signal, expected) in [
            (SIGTERM, "SIGTERM"),
            (SIGHUP, "SIGHUP"),
            (SIGINT, "SIGINT"),
            (SIGQUIT, "SIGQUIT"),
            (SIGUSR1, "SIGUSR1"),
            (SIGALRM, "SIGALRM"),
            (SIGXFSZ, "SIGXFSZ"),
        ] {
            assert_eq!(name(signal, false), expected);
        }
        assert_eq!(name(SIGINT, true), "SIGINT (Ctrl-C)");
        #[cfg(target_os = "linux")]
        {
            assert_eq!(name(libc::SIGPWR, false), "SIGPWR");
            assert_eq!(name(libc::SIGRTMIN() + 2, false), "SIGRTMIN+2");
        }
    }

    #[test]
    fn every_listed_signal_ends_a_process_by_default_and_can_be_caught() {
        use signal_hook::consts::signal::*;
        let list = terminating();
        for never in [
            SIGPIPE, SIGTSTP, SIGCONT, SIGWINCH, SIGCHLD, SIGURG, SIGKILL, SIGSTOP, SIGSEGV,
            SIGABRT,
        ] {
            assert!(!list.contains(&never), "{never} must keep its default");
        }
        for signal in list {
            assert!(
                !signal_hook::consts::FORBIDDEN.contains(&signal),
                "{signal} cannot be caught"
            );
        }
    }
}
