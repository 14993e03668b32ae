//! The terminal itself, end to end with the real binary in a pseudo-terminal: a long paste
//! (bracketed and raw) lands in the field without the process spinning, every catchable
//! terminating signal saves the case and gives the terminal back, and a terminal that
//! cannot show the full screen (`TERM=dumb`) is refused with advice before any escape code.

mod support;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};


use support::*;

/// Clock ticks per second for /proc/PID/stat (`getconf CLK_TCK`; 100 on every Linux in use).
const CLK_TCK: f64 = 100.0;

/// CPU time (user + system) the process has used so far, in seconds.
fn cpu_seconds(pid: i32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let rest = &stat[stat.rfind(')').expect("a command name") + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // Fields 14 and 15 of the whole line (utime, stime) are 12 and 13 after the name.
    let utime: f64 = fields[11].parse().unwrap();
    let stime: f64 = fields[12].parse().unwrap();
    (utime + stime) / CLK_TCK
}

/// The start page, then Enter on its first row: the product list with its filter field.
fn at_the_product_list(data: &Path) -> Tui {
    let mut tui = Tui::spawn(data, &[]);
    tui.wait_for("Start a new closure");
    tui.send(ENTER);
    tui.wait_for_all(&["Which product", "Jiebei"]);
    tui
}

/// A paste of 2,000 bytes: all but the last six are spaces (the filter is trimmed), so
/// only the whole paste, its tail past crossterm's 1,024-byte reads included, leaves Huabei
/// alone on the list.
fn long_paste() -> String {
    let text = format!("{}huabei", " ".repeat(1994));
    assert_eq!(text.len(), 2000);
    text
}

fn assert_pasted_and_idle(tui: &mut Tui, how: &str) {
    // Jiebei is on the list until the filter's tail arrives.
    let start = Instant::now();
    loop {
        let screen = tui.screen();
        if screen.contains("Huabei") && !screen.contains("Jiebei") {
            break;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "{how}: the paste's tail never reached the filter; the screen:\n{screen}"
        );
        thread::sleep(Duration::from_millis(20));
    }
    // Settle, then two idle seconds: a loop that waits properly wakes ten times (the tick),
    // a spinning one burns the whole two seconds.
    thread::sleep(Duration::from_millis(300));
    let pid = tui.pid();
    let before = cpu_seconds(pid);
    thread::sleep(Duration::from_secs(2));
    let used = cpu_seconds(pid) - before;
    println!("{how}: {used:.2} s of CPU over 2 idle seconds after a 2,000-byte paste");
    assert!(
        used < 0.3,
        "{how}: {used:.2} s of CPU in 2 idle seconds: the loop spins"
    );
    assert!(tui.is_running(), "{how}: xiaohu stopped");
}

#[test]
fn a_long_raw_paste_lands_in_the_filter_and_the_loop_sleeps() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = at_the_product_list(data.path());
    tui.send(&long_paste());
    assert_pasted_and_idle(&mut tui, "raw paste");
}

#[test]
fn a_long_bracketed_paste_lands_in_the_filter_and_the_loop_sleeps() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = at_the_product_list(data.path());
    tui.send(&format!("\x1b[200~{}\x1b[201~", long_paste()));
    assert_pasted_and_idle(&mut tui, "bracketed paste");
}
