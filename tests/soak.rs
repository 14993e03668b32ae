//! The help-desk screen through a day, compressed: every shipped tour (`assets/demo/*.toml`)
//! plays on a loop in-process (`xiaohu::app::TourRig`: the real `Tour` front end and shell
//! on ratatui's `TestBackend`, a clock moved by hand), with visitors who take over at random
//! moments, press random keys (F2 and pastes among them), wander off, and leave it to the
//! idle wipe. Seeded and bounded: the seed is printed, and a run is the same every time.
//!
//! Checked: nothing panics; after every idle wipe the screen (the `TestBackend` buffer,
//! every cell with its style) is the tour's first frame (language, step, caption and all,
//! and nothing of the visit); the heap does not grow from the first round to the
//! last beyond `GROWTH_BOUND` (a counting allocator, this test binary's own).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;
use xiaohu::app::TourRig;
use xiaohu::content::{Content, Lang};
use xiaohu::wizard::{demo, tour};

/// Live heap bytes of this process: what is allocated and not yet freed.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SEED: u64 = 0x5eed_1306_2026;
/// Rounds over every tour; each round gives each tour several visitors.
const ROUNDS: usize = 4;
const VISITORS_PER_ROUND: usize = 3;
/// The tours play 20 times as fast as on the wall: a round is minutes of simulated time.
const SPEED: f64 = 20.0;
const IDLE: Duration = Duration::from_secs(60);
/// How much the live heap may grow between the end of the first round and the end of the
/// last, every session still open. Measured: a few KiB at most (allocator-level noise of
/// kept buffers whose capacity settles); a per-visitor leak of a case, a log or a screen
/// would be tens of KiB per round.
const GROWTH_BOUND: isize = 16 * 1024;

/// xorshift64*: enough randomness for visitors, and the same sequence for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn secs(&mut self, from: f64, to: f64) -> Duration {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        Duration::from_secs_f64(from + unit * (to - from))
    }
}

/// What a visitor might press: anything on the keyboard, the wizard's keys and others.
fn random_event(rng: &mut Rng) -> Event {
    let plain = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    match rng.below(20) {
        0..=3 => plain(KeyCode::Enter),
        4 => plain(KeyCode::Esc),
        5 => plain(KeyCode::Up),
        6 => plain(KeyCode::Down),
        7 => plain(KeyCode::Tab),
        8 => plain(KeyCode::Backspace),
        9 => plain(KeyCode::Char(' ')),
        10 => plain(KeyCode::F(2)),
        11 => plain(KeyCode::F(1 + rng.below(5) as u8)),
        12 => plain(KeyCode::Char(char::from(b'0' + rng.below(10) as u8))),
        13 => plain(KeyCode::Char(char::from(b'a' + rng.below(26) as u8))),
        14 => plain(KeyCode::Char('q')),
        15 => Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        16 => Event::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL)),
        17 => plain(KeyCode::PageDown),
        18 => Event::Paste("确认 20000 q\u{1b}[2J".into()),
        _ => plain(KeyCode::Char('确')),
    }
}

/// A key that takes the tour over (F2 alone would leave it playing).
fn takeover(rng: &mut Rng) -> Event {
    loop {
        let event = random_event(rng);
        if !matches!(&event, Event::Key(k) if k.code == KeyCode::F(2)) {
            return event;
        }
    }
}

fn scripts(content: &Content) -> Vec<tour::Script> {
    let profiles = demo::parse(demo::BUILTIN_PATH, demo::BUILTIN, content).unwrap();
    let mut paths: Vec<_> = std::fs::read_dir("assets/demo")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml")
                && p.file_name().is_some_and(|n| n != "profiles.toml")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            tour::parse(&p.display().to_string(), &text, content, &profiles)
                .unwrap_or_else(|d| panic!("{}", d[0]))
        })
        .collect()
}

/// The screen as text, a line per row, to read in a failure (a cell under the right half
/// of a wide character is covered, so skipped).
fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut rows = Vec::new();
    for y in 0..area.height {
        let mut row = String::new();
        let mut x = 0;
        while x < area.width {
            let symbol = buffer[(x, y)].symbol();
            row.push_str(symbol);
            x += u16::try_from(symbol.width().max(1)).unwrap_or(1);
        }
        rows.push(row);
    }
    rows.join("\n")
}

#[test]
fn every_tour_survives_a_day_of_visitors_and_idle_wipes() {
    println!("soak seed: {SEED:#x}");
    let started = Instant::now();
    let mut rng = Rng(SEED);
    let content = Content::builtin().unwrap();
    let scripts = scripts(&content);
    assert!(scripts.len() >= 7, "{} tours", scripts.len());
    let mut rigs = Vec::new();
    let mut firsts = Vec::new();
    for script in &scripts {
        let lang = if rng.below(2) == 0 {
            Lang::Zh
        } else {
            Lang::En
        };
        let mut rig = TourRig::new(
            content.clone(),
            script.clone(),
            lang,
            SPEED,
            true,
            IDLE,
            (80, 24),
        )
        .unwrap();
        assert!(!rig.wait(Duration::ZERO).unwrap());
        firsts.push(rig.buffer().clone());
        assert!(rig.playing());
        rigs.push(rig);
    }
    let (mut takeovers, mut keys, mut wipes) = (0, 0, 0);
    let mut after_first = 0;
    for round in 0..ROUNDS {
        for (i, rig) in rigs.iter_mut().enumerate() {
            let path = &scripts[i].path;
            for _ in 0..VISITORS_PER_ROUND {
                // The tour plays by itself for a while (through its loop's restarts), with
                // someone pressing F2 now and then, which keeps it playing.
                assert!(
                    !rig.wait(rng.secs(1.0, 40.0)).unwrap(),
                    "{path}: wiped while playing"
                );
                if rng.below(3) == 0 {
                    let f2 = Event::Key(KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE));
                    assert!(rig.input(f2).unwrap());
                    assert!(rig.playing(), "{path}: F2 took the tour over");
                }
                // A visitor: a burst of keys with pauses shorter than the idle time.
                assert!(
                    rig.input(takeover(&mut rng)).unwrap(),
                    "{path}: a key ended it"
                );
                assert!(!rig.playing(), "{path}: not taken over");
                takeovers += 1;
                keys += 1;
                for _ in 0..rng.below(25) {
                    if rng.below(4) == 0 {
                        assert!(
                            !rig.wait(rng.secs(0.0, 50.0)).unwrap(),
                            "{path}: wiped early"
                        );
                    }
                    assert!(
                        rig.input(random_event(&mut rng)).unwrap(),
                        "{path}: a key ended it"
                    );
                    keys += 1;
                }
                // They walk away: the idle wipe, then the tour's first frame again.
                let before = rig.elapsed();
                assert!(rig.wait(IDLE * 2).unwrap(), "{path}: no idle wipe");
                let waited = rig.elapsed() - before;
                assert!(
                    waited >= IDLE && waited <= IDLE + Duration::from_secs(1),
                    "{path}: wiped after {waited:?}"
                );
                wipes += 1;
                assert!(!rig.wait(Duration::ZERO).unwrap());
                assert!(
                    *rig.buffer() == firsts[i],
                    "{path}: after an idle wipe (round {round}) the screen is not the tour's \
                     first frame:\n{}\n--- first frame:\n{}",
                    text(rig.buffer()),
                    text(&firsts[i])
                );
            }
        }
        if round == 0 {
            after_first = LIVE.load(Ordering::Relaxed);
        }
    }
    let after_last = LIVE.load(Ordering::Relaxed);
    let simulated: Duration = rigs.iter().map(TourRig::elapsed).sum();
    println!(
        "soak: {} tours × {ROUNDS} rounds, {takeovers} takeovers, {keys} visitor keys, {wipes} \
         idle wipes, {:.0} simulated minutes at --speed {SPEED} in {:.1?}; live heap after \
         round 1: {} KiB, after round {ROUNDS}: {} KiB",
        rigs.len(),
        simulated.as_secs_f64() / 60.0,
        started.elapsed(),
        after_first / 1024,
        after_last / 1024,
    );
    assert!(
        after_last - after_first <= GROWTH_BOUND,
        "the heap grew by {} bytes from round 1 to round {ROUNDS} (bound {GROWTH_BOUND})",
        after_last - after_first
    );
}
