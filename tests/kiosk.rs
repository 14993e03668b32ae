//! `--kiosk` through the real binary in a pseudo-terminal: a saved case is not listed, no
//! key a visitor has ends it, and SIGTERM (the service manager's stop) does, with the
//! terminal given back.

mod support;

use std::thread;
use std::time::Duration;

use nix::sys::signal::Signal;

use support::*;

/// A case a visitor left at a staffed terminal: saved in `data`.
fn saved_case(data: &std::path::Path) -> String {
    let mut tui = Tui::spawn(data, &["--product", "huabei"]);
    tui.wait_for("Before you close Huabei");
    tui.send("q");
    assert!(tui.wait_exit().success());
    case_id(data)
}

#[test]
fn a_kiosk_hides_saved_cases_outlives_every_escape_key_and_stops_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let id = saved_case(data.path());
    // At a staffed terminal the case is listed.
    let mut staff = Tui::spawn(data.path(), &[]);
    staff.wait_for_all(&["Start a new closure", "Unfinished cases", &id]);
    staff.send("q");
    assert!(staff.wait_exit().success());

    let mut tui = Tui::spawn(data.path(), &["--kiosk"]);
    tui.wait_for("Start a new closure");
    let screen = tui.screen();
    for leak in [id.as_str(), "Unfinished cases", "sessions", "q quit"] {
        assert!(
            !screen.contains(leak),
            "the kiosk shows {leak:?}:\n{screen}"
        );
    }
    // q, Ctrl-C, Ctrl-D, Ctrl-Z, Ctrl-\, a storm of Esc, a pasted q: still there.
    for keys in [
        "q",
        "Q",
        CTRL_C,
        "\x04",
        "\x1a",
        "\x1c",
        &ESC.repeat(30),
        "\x1b[200~q\x03\x1b[201~",
    ] {
        tui.send(keys);
        thread::sleep(Duration::from_millis(150));
        assert!(tui.is_running(), "{keys:?} ended the kiosk");
    }
    // Down and Enter: a new case, never the saved one.
    tui.send("\x1b[B");
    tui.send(ENTER);
    tui.wait_for("Which product do you want to close?");
    tui.send("q");
    tui.send(CTRL_C);
    thread::sleep(Duration::from_millis(300));
    assert!(tui.is_running(), "the kiosk ended on the product list");

    tui.signal(Signal::SIGTERM);
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 128 + 15, "{status:?}");
    tui.assert_terminal_restored();
    let raw = tui.raw_output();
    let off = rfind(&raw, ALT_SCREEN_OFF).expect("left the alternate screen");
    let shown = rfind(&raw, CURSOR_SHOW).expect("the cursor shown");
    assert!(shown > rfind(&raw, CURSOR_HIDE).unwrap_or(0));
    assert!(off > rfind(&raw, ALT_SCREEN_ON).unwrap());
}

#[test]
fn a_kiosk_does_not_resume_a_case_by_id() {
    let data = tempfile::tempdir().unwrap();
    let id = saved_case(data.path());
    let out = cli(data.path())
        .args(["--kiosk", "resume", &id])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("--kiosk never reopens a saved case"),
        "{said}"
    );
}

#[test]
fn a_kiosk_is_the_full_screen_not_plain_mode() {
    let data = tempfile::tempdir().unwrap();
    let out = cli(data.path())
        .args(["--kiosk", "--plain"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("--kiosk") && said.contains("--plain"),
        "{said}"
    );
}

/// Every line a terminal keeps of `raw`: its screen and every row of its scrollback (up to
/// 1,000), read back through vt100's scrollback. `alternate: false` strips the switches to
/// the alternate screen, as a terminal that has none draws the whole visit where the
/// shell's scrollback is.
fn kept(raw: &[u8], alternate: bool) -> String {
    let mut bytes = raw.to_vec();
    if !alternate {
        for switch in [ALT_SCREEN_ON, ALT_SCREEN_OFF] {
            while let Some(at) = rfind(&bytes, switch) {
                bytes.drain(at..at + switch.len());
            }
        }
    }
    let mut parser = vt100::Parser::new(nz(24), nz(80), 1000);
    parser.process(&bytes);
    let mut lines = Vec::new();
    let screen = parser.screen_mut();
    screen.set_scrollback(usize::MAX);
    let back = screen.scrollback();
    // The top row at each offset, from the oldest scrollback row down to the screen's own.
    for offset in (1..=back).rev() {
        screen.set_scrollback(offset);
        lines.extend(screen.rows(0, 80).next());
    }
    screen.set_scrollback(0);
    lines.extend(screen.rows(0, 80));
    lines.join("\n")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

const SCROLLBACK_CLEAR: &[u8] = b"\x1b[3J";

/// The characters in `raw` with its escape sequences taken out: ratatui moves the cursor
/// between the cells it draws (after every double-width one), so a word is whole only once
/// the moves are gone.
fn printed(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // CSI: parameters and intermediates, then one final byte.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ST.
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn after_the_idle_reset_nothing_of_the_visit_is_on_screen_in_the_scrollback_or_written() {
    let data = tempfile::tempdir().unwrap();
    let clock = [("XIAOHU_TEST_CLOCK", "2026-12-01T18:42:08+08:00")];
    let args = ["--kiosk", "--idle-reset", "2"];
    let mut tui = Tui::spawn_env(data.path(), &args, "en_US.UTF-8", 80, 24, &clock);
    tui.wait_for("Start a new closure");
    thread::sleep(Duration::from_millis(300));
    let first = tui.screen();

    // A visitor: a product from the list (its filter typed), to the debt step, an amount
    // typed and not yet taken, the other language, the help over it all; then gone.
    tui.send(ENTER);
    tui.wait_for("Which product do you want to close?");
    tui.send("huabei");
    tui.wait_for("huabei");
    tui.send(ENTER);
    tui.wait_for("Before you close Huabei");
    tui.send(ENTER);
    tui.wait_for("Find Huabei in Alipay");
    // Its two ticks and on; then the first status, "normal", leads to the debt step.
    tui.send(&ENTER.repeat(3));
    tui.wait_for("What does the Huabei page show?");
    tui.send(ENTER);
    tui.wait_for("Is anything still owed?");
    tui.send("5000");
    tui.wait_for("5000");
    tui.send("\x1bOQ"); // F2
    tui.wait_for_all(&["还有没还清的钱吗？", "5000"]);
    tui.send("\x1bOP"); // F1: the help
    thread::sleep(Duration::from_millis(300));
    let id = case_id(data.path());
    let visit = tui.raw_output();
    assert!(
        printed(&visit).contains("花呗") && printed(&visit).contains("5000"),
        "the visit was not drawn as expected:\n{}",
        tui.screen()
    );

    // Idle: back to the start page, in the language it started in.
    tui.wait_for("Start a new closure");
    thread::sleep(Duration::from_millis(500));
    let raw = tui.raw_output();
    let reset = find(&raw[visit.len()..], SCROLLBACK_CLEAR)
        .map(|at| visit.len() + at)
        .expect("the idle reset clears the scrollback (ESC [ 3 J)");
    assert!(
        find(&raw[visit.len()..reset], b"\x1b[2J").is_some()
            || find(&raw[reset..], b"\x1b[2J").is_some(),
        "the idle reset clears the screen (ESC [ 2 J)"
    );
    let after = &raw[reset..];
    let path = data.path().to_string_lossy().into_owned();
    let leaks = [
        id.as_str(),
        "5000",
        "5,000",
        "花呗",
        "Is anything still owed?",
        "还有没还清的钱吗",
        path.as_str(),
    ];
    let written = printed(after);
    for leak in leaks {
        assert!(
            !written.contains(leak),
            "{leak:?} was written after the idle reset: {written:?}"
        );
    }
    assert_eq!(tui.screen(), first, "the start page is not the first one");
    for alternate in [true, false] {
        let kept = kept(&raw, alternate);
        // The product's English name is in the start page's list of products; what is
        // the visit's own is not.
        for leak in leaks {
            assert!(
                !kept.contains(leak),
                "{leak:?} kept (alternate screen: {alternate}):\n{kept}"
            );
        }
    }
    // The case was kept for staff, at the step it reached.
    let case = read_case(data.path());
    assert_eq!(case["step"].as_str(), Some("debt"), "{case:?}");

    // Staff stop it: the last words name no case and no file, and the normal screen and
    // its scrollback are cleared on the way out.
    tui.signal(Signal::SIGTERM);
    assert_eq!(tui.wait_exit().exit_code(), 128 + 15);
    tui.assert_terminal_restored();
    let raw = tui.raw_output();
    let off = rfind(&raw, ALT_SCREEN_OFF).expect("left the alternate screen");
    assert!(
        find(&raw[off..], SCROLLBACK_CLEAR).is_some(),
        "the normal screen's scrollback is not cleared on the way out: {:?}",
        String::from_utf8_lossy(&raw[off..])
    );
    let last = printed(&raw[off..]);
    for leak in [id.as_str(), path.as_str(), "cases", ".toml"] {
        assert!(
            !last.contains(leak),
            "the last words name {leak:?}: {last:?}"
        );
    }
    for alternate in [true, false] {
        let kept = kept(&raw, alternate);
        for leak in leaks {
            assert!(
                !kept.contains(leak),
                "{leak:?} kept after the exit (alternate screen: {alternate}):\n{kept}"
            );
        }
    }
    assert!(case_file(data.path()).exists(), "the case is gone");
}

#[test]
fn a_crash_on_a_kiosk_names_no_case_file_and_no_command() {
    let data = tempfile::tempdir().unwrap();
    let env = [
        ("XIAOHU_TEST_PANIC_AFTER_KEYS", "1"),
        ("RUST_BACKTRACE", "0"),
    ];
    let args = ["--kiosk", "--product", "huabei"];
    let mut tui = Tui::spawn_env(data.path(), &args, "en_US.UTF-8", 80, 24, &env);
    tui.wait_for("Before you close Huabei");
    tui.send(ENTER);
    tui.wait_for("Find Huabei in Alipay");
    let before = tui.raw_output().len();
    tui.send(ENTER); // the second key trips the switch
    assert_eq!(tui.wait_exit().exit_code(), 101);
    tui.assert_terminal_restored();
    let raw = tui.raw_output();
    let id = case_id(data.path());
    let path = data.path().to_string_lossy().into_owned();
    let last = printed(&raw[before..]);
    assert!(last.contains("kept for staff"), "{last:?}");
    for leak in [id.as_str(), path.as_str(), "xiaohu resume", ".toml"] {
        assert!(!last.contains(leak), "the crash names {leak:?}: {last:?}");
    }
    assert!(
        find(&raw[before..], SCROLLBACK_CLEAR).is_some(),
        "the visit was not wiped before the screen was given back"
    );
}
