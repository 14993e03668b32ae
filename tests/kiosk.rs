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
