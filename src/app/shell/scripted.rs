//! A session run by a script instead of a person and a wall clock: events from a list, a
//! clock moved by hand. The shell's tests (`tests.rs`) and the soak test (`tests/soak.rs`,
//! through `app::TourRig`) run whole sessions on it, with no terminal and no sleeping.

use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use ratatui::crossterm::event::Event;

use super::{Clock, Events, Next};
use crate::wizard::Time;

/// A clock that moves only when told: both its wall time and its monotonic time.
#[derive(Clone)]
pub struct TestClock {
    start: Time,
    elapsed: Rc<Cell<Duration>>,
}

impl TestClock {
    pub fn new() -> TestClock {
        TestClock {
            start: chrono::DateTime::parse_from_rfc3339("2026-12-01T18:42:08+08:00").unwrap(),
            elapsed: Rc::default(),
        }
    }

    pub fn advance(&self, by: Duration) {
        self.elapsed.set(self.elapsed.get() + by);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Time {
        self.start + chrono::TimeDelta::from_std(self.elapsed.get()).unwrap()
    }

    fn elapsed(&self) -> Duration {
        self.elapsed.get()
    }
}

pub enum Step<E = Event> {
    Input(E),
    /// Nothing comes for this long: the shell sees one `Idle` per wait it asked for (a tick),
    /// and the clock moves by each.
    Wait(Duration),
}

/// The terminal's events (or plain mode's lines), scripted. When the script runs out the
/// input hangs up.
pub struct Scripted<E = Event> {
    pub steps: VecDeque<Step<E>>,
    clock: TestClock,
    /// The longest wait the shell asked for.
    pub longest: Duration,
    /// How many times the shell dropped what was typed ahead (the idle reset).
    pub discarded: usize,
}

impl<E> Scripted<E> {
    pub fn new(clock: &TestClock) -> Scripted<E> {
        Scripted {
            steps: VecDeque::new(),
            clock: clock.clone(),
            longest: Duration::ZERO,
            discarded: 0,
        }
    }
}

impl<E> Events for Scripted<E> {
    type Event = E;

    fn pending(&mut self) -> std::io::Result<bool> {
        Ok(matches!(self.steps.front(), Some(Step::Input(_))))
    }

    fn discard(&mut self) {
        self.discarded += 1;
    }

    fn next(&mut self, timeout: Duration) -> std::io::Result<Next<E>> {
        self.longest = self.longest.max(timeout);
        Ok(match self.steps.pop_front() {
            Some(Step::Input(event)) => Next::Event(event),
            Some(Step::Wait(wait)) => {
                let waited = wait.min(timeout);
                self.clock.advance(waited);
                if wait > waited {
                    self.steps.push_front(Step::Wait(wait - waited));
                }
                Next::Idle
            }
            None => Next::HungUp,
        })
    }
}
