//! The terminal itself, end to end with the real binary in a pseudo-terminal: a long paste
//! (bracketed and raw) lands in the field without the process spinning, every catchable
//! terminating signal saves the case and gives the terminal back, and a terminal that
//! cannot show the full screen (`TERM=dumb`) is refused with advice before any escape code.

mod support;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

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

/// A raw paste of 2,000 bytes that leaves Huabei alone on the list only if all of it
/// arrives, its tail past crossterm's 1,024-byte reads included: 997 times a letter and
/// DEL (Backspace, so the field never nears its 200-character limit), then `huabei`.
fn long_raw_paste() -> String {
    let text = format!("{}huabei", "a\x7f".repeat(997));
    assert_eq!(text.len(), 2000);
    text
}

/// A bracketed paste of 2,000 bytes: `huabei` and spaces (the filter is trimmed, and takes
/// its first 200 characters). crossterm hands out a bracketed paste only once its end
/// marker, after all 2,000 bytes, has been read, so `huabei` shows only if all arrived.
fn long_bracketed_paste() -> String {
    let text = format!("huabei{}", " ".repeat(1994));
    assert_eq!(text.len(), 2000);
    format!("\x1b[200~{text}\x1b[201~")
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
    tui.send(&long_raw_paste());
    assert_pasted_and_idle(&mut tui, "raw paste");
}

#[test]
fn a_long_bracketed_paste_lands_in_the_filter_and_the_loop_sleeps() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = at_the_product_list(data.path());
    tui.send(&long_bracketed_paste());
    assert_pasted_and_idle(&mut tui, "bracketed paste");
}

#[test]
fn a_raw_osc_string_is_not_typed_into_the_filter() {
    // A title and a colour reply, sent raw (no bracketed paste): crossterm makes keys of
    // them; none may reach the field, or "0;x" in front of huabei would match nothing.
    let data = tempfile::tempdir().unwrap();
    let mut tui = at_the_product_list(data.path());
    tui.send("\x1b]0;x\x07hua\x1b]11;rgb:0/0/0\x1b\\bei");
    let start = Instant::now();
    loop {
        let screen = tui.screen();
        if screen.contains("Huabei") && !screen.contains("Jiebei") {
            break;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "the OSC strings' text reached the filter; the screen:\n{screen}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

const TOUR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/huabei.toml");

const PASTE_ON: &[u8] = b"\x1b[?2004h";
const PASTE_OFF: &[u8] = b"\x1b[?2004l";

/// Huabei at its second step with an item just ticked (a change the stop must not lose).
fn huabei_at_step_two(data: &Path) -> Tui {
    let mut tui = Tui::spawn(data, &["--product", "huabei"]);
    tui.wait_for("Before you close Huabei");
    tui.send(ENTER);
    tui.wait_for_all(&["Find Huabei in Alipay", "[ ] On that page"]);
    tui.send(" ");
    tui.wait_for("[✓] Open Alipay");
    tui
}

/// Sends `signal` mid-case; the wizard must log `quit`, save, give the terminal back
/// (alternate screen off, cursor shown, cooked termios, bracketed paste off), say what
/// stopped it, and exit 128 + n.
fn stopped_by(number: i32, name: &str) {
    let data = tempfile::tempdir().unwrap();
    let mut tui = huabei_at_step_two(data.path());
    // SAFETY: kill(2) on the child's pid, which the Tui still owns (not yet reaped).
    assert_eq!(unsafe { libc::kill(tui.pid(), number) }, 0, "kill -{name}");
    let status = tui.wait_exit();
    assert_eq!(
        status.exit_code(),
        128 + number as u32,
        "{name}: exit status {status:?}"
    );
    tui.assert_terminal_restored();
    let raw = tui.raw_output();
    let on = rfind(&raw, PASTE_ON).expect("bracketed paste was turned on");
    let off = rfind(&raw, PASTE_OFF).unwrap_or(0);
    assert!(off > on, "{name}: bracketed paste left on");
    let screen = tui.screen();
    assert!(
        screen.contains(&format!("stopped by {name},")),
        "{name}: {screen}"
    );
    assert!(screen.contains("Your case is saved in"), "{name}: {screen}");
    let case = read_case(data.path());
    assert_eq!(case["step"].as_str(), Some("find"), "{name}");
    let log = log_entries(&case);
    let last = log.last().expect("a log")["event"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(last, "quit", "{name}: the stop is the last thing logged");
    assert!(
        log.iter().any(|e| e["event"].as_str() == Some("ticked")),
        "{name}: the tick before the signal is saved"
    );
}

#[test]
fn sigint_from_kill_saves_and_gives_the_terminal_back() {
    // In the full screen Ctrl-C is a key (raw mode); SIGINT can still come from kill.
    stopped_by(libc::SIGINT, "SIGINT");
}

#[test]
fn sigquit_saves_and_gives_the_terminal_back() {
    stopped_by(libc::SIGQUIT, "SIGQUIT");
}

#[test]
fn sigusr1_saves_and_gives_the_terminal_back() {
    stopped_by(libc::SIGUSR1, "SIGUSR1");
}

#[test]
fn sigalrm_saves_and_gives_the_terminal_back() {
    stopped_by(libc::SIGALRM, "SIGALRM");
}

#[test]
fn every_other_terminating_signal_saves_and_gives_the_terminal_back() {
    let mut signals = vec![
        (libc::SIGUSR2, "SIGUSR2".to_owned()),
        (libc::SIGVTALRM, "SIGVTALRM".to_owned()),
        (libc::SIGPROF, "SIGPROF".to_owned()),
        (libc::SIGXCPU, "SIGXCPU".to_owned()),
        (libc::SIGXFSZ, "SIGXFSZ".to_owned()),
    ];
    #[cfg(target_os = "linux")]
    signals.extend([
        (libc::SIGPWR, "SIGPWR".to_owned()),
        (libc::SIGSTKFLT, "SIGSTKFLT".to_owned()),
        (libc::SIGIO, "SIGIO".to_owned()),
        (libc::SIGRTMIN(), "SIGRTMIN".to_owned()),
        (libc::SIGRTMIN() + 3, "SIGRTMIN+3".to_owned()),
        (libc::SIGRTMAX(), "SIGRTMAX".to_owned()),
    ]);
    for (number, name) in signals {
        stopped_by(number, &name);
    }
}

#[test]
fn the_tour_too_gives_the_terminal_back_on_sigquit() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["demo", "play", TOUR]);
    tui.wait_for("花呗");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(tui.pid()), Signal::SIGQUIT).unwrap();
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 128 + libc::SIGQUIT as u32, "{status:?}");
    tui.assert_terminal_restored();
    let raw = tui.raw_output();
    let on = rfind(&raw, PASTE_ON).expect("bracketed paste was turned on");
    assert!(
        rfind(&raw, PASTE_OFF).unwrap_or(0) > on,
        "bracketed paste left on"
    );
    assert!(
        tui.screen().contains("stopped by SIGQUIT"),
        "{}",
        tui.screen()
    );
}

#[test]
fn a_panic_turns_bracketed_paste_off_too() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_env(
        data.path(),
        &["--product", "weilidai"],
        "en_US.UTF-8",
        80,
        24,
        &[
            ("XIAOHU_TEST_PANIC_AFTER_KEYS", "0"),
            ("RUST_BACKTRACE", "0"),
        ],
    );
    tui.wait_for("Before you close Weilidai");
    tui.send(ENTER); // the first key trips the switch
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 101, "{status:?}");
    tui.assert_terminal_restored();
    let raw = tui.raw_output();
    let on = rfind(&raw, PASTE_ON).expect("bracketed paste was turned on");
    assert!(
        rfind(&raw, PASTE_OFF).unwrap_or(0) > on,
        "bracketed paste left on"
    );
}

/// TERM=dumb: one line of advice on stderr, exit 1, and not one escape code.
fn refused_on_a_dumb_terminal(args: &[&str], advice: &str) {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_env(
        data.path(),
        args,
        "en_US.UTF-8",
        80,
        24,
        &[("TERM", "dumb")],
    );
    let status = tui.wait_exit();
    let raw = tui.raw_output();
    let text = String::from_utf8_lossy(&raw).into_owned();
    assert_eq!(status.exit_code(), 1, "{args:?}: {status:?}: {text:?}");
    assert!(
        !raw.contains(&0x1b),
        "{args:?}: escape codes on a dumb terminal: {text:?}"
    );
    assert!(text.contains("(TERM=dumb)"), "{args:?}: {text:?}");
    assert!(text.contains(advice), "{args:?}: {text:?}");
    assert_eq!(
        text.trim_end().lines().count(),
        1,
        "{args:?}: one line: {text:?}"
    );
    // Nothing was started: no case on disk.
    let cases = data.path().join("cases");
    let files = std::fs::read_dir(&cases).map_or(0, |d| d.count());
    assert_eq!(files, 0, "{args:?}: a case was written");
}

#[test]
fn a_dumb_terminal_is_offered_plain_mode_instead_of_escape_codes() {
    refused_on_a_dumb_terminal(&[], "xiaohu --plain");
    refused_on_a_dumb_terminal(&["--product", "huabei"], "xiaohu --plain");
    refused_on_a_dumb_terminal(&["demo", "play", TOUR], "xiaohu --plain --demo");
}

#[test]
fn a_dumb_terminal_still_gets_plain_mode() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_env(
        data.path(),
        &["--plain", "--product", "huabei"],
        "en_US.UTF-8",
        80,
        24,
        &[("TERM", "dumb")],
    );
    tui.wait_for("Huabei");
    assert!(tui.is_running(), "plain mode refused on TERM=dumb");
    assert!(
        !tui.raw_output().contains(&0x1b),
        "escape codes in plain mode"
    );
}
