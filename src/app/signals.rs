//! SIGTERM and SIGHUP as a flag the event loop reads: the handler itself only stores a
//! number (async-signal-safe); saving and restoring the terminal happen in the loop.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Signals {
    received: Arc<AtomicUsize>,
}

impl Signals {
    /// Registers the handlers; if that fails the default action (die) stays, which loses
    /// at most the step on screen, so it is not worth refusing to start over.
    pub fn install() -> Signals {
        Signals::register(&[])
    }

    /// Plain mode keeps the terminal in its normal mode, where Ctrl-C is SIGINT rather than
    /// a key: it too must save and leave instead of killing the process mid-case.
    pub fn install_with_interrupt() -> Signals {
        #[cfg(unix)]
        return Signals::register(&[signal_hook::consts::SIGINT]);
        #[cfg(not(unix))]
        Signals::register(&[])
    }

    fn register(extra: &[i32]) -> Signals {
        let received = Arc::new(AtomicUsize::new(0));
        #[cfg(unix)]
        for &signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP]
            .iter()
            .chain(extra)
        {
            let _ = signal_hook::flag::register_usize(signal, received.clone(), signal as usize);
        }
        Signals { received }
    }

    /// The signal that asked us to stop, if one came: (number, name).
    pub fn received(&self) -> Option<(i32, &'static str)> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            #[cfg(unix)]
            n if n == signal_hook::consts::SIGHUP as usize => {
                Some((signal_hook::consts::SIGHUP, "SIGHUP"))
            }
            #[cfg(unix)]
            n if n == signal_hook::consts::SIGINT as usize => {
                Some((signal_hook::consts::SIGINT, "SIGINT (Ctrl-C)"))
            }
            n => Some((n as i32, "SIGTERM")),
        }
    }
}
