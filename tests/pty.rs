//! End-to-end: the real `xiaohu` binary in a pseudo-terminal, its screen read back by a
//! VT100 parser. Keys go in as the bytes a terminal sends; assertions are on what a person
//! would see and on the files left on disk.

mod support;

use std::thread;
use std::time::Duration;

use support::*;

#[test]
fn walks_weilidai_to_closed() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--product", "weilidai"]);

    tui.wait_for_all(&["Before you close Weilidai", "step 1/11"]);
    tui.send(ENTER);

    tui.wait_for_all(&["Find Weilidai in WeChat", "step 2/11", "[ ] Tap Wallet"]);
    // Enter ticks an item and moves to the next one ...
    tui.send(ENTER);
    tui.wait_for("[✓] Open WeChat and tap Me at the bottom");
    tui.send(&ENTER.repeat(3));
    tui.wait_for("[✓] Find and open Weilidai");
    // ... and once all are ticked, continues.
    tui.send(ENTER);

    tui.wait_for_all(&["What does the Weilidai page show?", "step 3/11"]);
    tui.send(ENTER); // Normal

    tui.wait_for_all(&["Is anything still owed?", "Unpaid interest and fees"]);
    tui.send("0");
    tui.wait_for("Unpaid principal         ¥ 0");
    tui.send(ENTER); // to the next empty field
    tui.send("0");
    tui.wait_for("Unpaid interest and fees ¥ 0");
    tui.send(ENTER); // all filled: check

    // The close page is opened, not confirmed: in WeChat the password completes it.
    tui.wait_for_all(&["Open the closing page", "step 5/11"]);
    tui.send(&ENTER.repeat(3));
    tui.wait_for("[✓] When it asks for your payment password");
    tui.send(ENTER);

    tui.wait_for_all(&["What closing means", "step 6/11"]);
    tui.send(&ENTER.repeat(3));
    tui.wait_for("[✓] The bank keeps your account");
    tui.send(ENTER);

    tui.wait_for_all(&["Identity check", "1. Payment password"]);
    tui.send(ENTER);

    tui.wait_for_all(&["Confirm the closure", "Type CONFIRM"]);
    tui.send("CONFIRM");
    tui.wait_for("> CONFIRM");
    tui.send(ENTER);

    tui.wait_for_all(&["Waiting for the result", "▶ 1. It is closed"]);
    tui.send(ENTER);

    tui.wait_for_all(&["Check that it took effect", "step 10/11"]);
    tui.send(&ENTER.repeat(2));
    tui.wait_for("[✓] No amount is due");
    tui.send(ENTER);

    tui.wait_for_all(&["Weilidai is closed", "step 11/11", "● closed"]);
    // e saves the receipt twice: text to keep, and a page to print, and says where.
    tui.send("e");
    tui.wait_for_all(&["Receipt saved in", ".txt, and", ".html to print."]);
    let receipts = data.path().join("receipts");
    let id = case_id(data.path());
    let txt = std::fs::read_to_string(receipts.join(format!("{id}.txt"))).unwrap();
    assert!(txt.starts_with("Receipt of the closure\n"), "{txt}");
    let html = std::fs::read_to_string(receipts.join(format!("{id}.html"))).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("Weilidai"),
        "{html}"
    );
    tui.send("q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");

    // The terminal is given back: the alternate screen is left after the last draw.
    let raw = tui.raw_output();
    let on = rfind(&raw, ALT_SCREEN_ON).expect("never entered the alternate screen");
    let off = rfind(&raw, ALT_SCREEN_OFF).unwrap_or_else(|| {
        let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]);
        panic!("never left the alternate screen; last bytes: {tail:?}")
    });
    assert!(
        off > on,
        "the alternate screen was entered again after leaving it"
    );
    assert!(
        !tui.parser.lock().unwrap().screen().alternate_screen(),
        "still on the alternate screen after exit"
    );

    let case = read_case(data.path());
    assert_eq!(case["state"].as_str(), Some("closed"), "{case:#?}");
    assert_eq!(case["product"].as_str(), Some("weilidai"));
    assert_eq!(case["step"].as_str(), Some("closed"));

    let id = case_id(data.path());
    let log = stdout_of(cli(data.path()).args(["log", &id]));
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines.len() > 10, "a short log:\n{log}");
    for line in &lines {
        let stamp = line.split_whitespace().next().unwrap_or_default();
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "line does not start with an RFC 3339 timestamp: {line:?}\n{log}"
        );
    }
    assert!(log.contains("closure confirmed"), "{log}");
    assert!(log.contains("amounts checked, total ¥0.00"), "{log}");
    assert!(log.contains("ended: Weilidai is closed"), "{log}");
}

#[test]
fn quit_midway_and_resume_in_a_new_process() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--product", "huabei"]);
    tui.wait_for("Before you close Huabei");
    tui.send(ENTER);
    tui.wait_for_all(&["Find Huabei in Alipay", "[ ] On that page"]);
    tui.send(&ENTER.repeat(2));
    tui.wait_for("[✓] On that page, find and open Huabei");
    tui.send(ENTER);
    tui.wait_for("What does the Huabei page show?");
    tui.send(ENTER); // Normal
    tui.wait_for_all(&["Is anything still owed?", "Remaining installments"]);
    // Half an answer on screen; Ctrl-C quits even with a text field focused.
    tui.send("12");
    tui.wait_for("¥ 12");
    tui.send(CTRL_C);
    assert!(tui.wait_exit().success());
    drop(tui);

    let sessions = stdout_of(cli(data.path()).arg("sessions"));
    let line = sessions
        .lines()
        .find(|l| l.contains("huabei"))
        .unwrap_or_else(|| panic!("no huabei case in `xiaohu sessions`:\n{sessions}"));
    let fields: Vec<&str> = line.split('\t').collect();
    assert_eq!(fields.get(2), Some(&"debt"), "{line:?}");
    let id = fields[0].to_owned();
    assert_eq!(id, case_id(data.path()));

    let before = log_entries(&read_case(data.path()));
    assert!(
        before
            .iter()
            .any(|e| e.get("event").and_then(toml::Value::as_str) == Some("quit")),
        "no quit logged: {before:#?}"
    );

    let mut tui = Tui::spawn(data.path(), &["resume", &id]);
    tui.wait_for_all(&[
        "Is anything still owed?",
        "Huabei",
        "step 4/",
        "Picked up where you left off.",
    ]);
    tui.send(CTRL_C);
    assert!(tui.wait_exit().success());

    let after = log_entries(&read_case(data.path()));
    assert!(
        after.len() > before.len(),
        "{} entries before, {} after",
        before.len(),
        after.len()
    );
    assert_eq!(
        after[..before.len()],
        before[..],
        "the first run's log changed"
    );
    let log = stdout_of(cli(data.path()).args(["log", &id]));
    assert!(log.contains("started: Huabei"), "{log}");
    assert!(log.contains("resumed"), "{log}");
}

#[test]
fn second_terminal_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let mut first = Tui::spawn(data.path(), &["--product", "weilidai"]);
    first.wait_for("Before you close Weilidai");
    let id = case_id(data.path());

    let output = cli(data.path())
        .args(["resume", &id])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("open in another terminal"),
        "stderr: {stderr}"
    );
    assert!(first.is_running(), "the first terminal lost its case");

    first.send("q");
    assert!(first.wait_exit().success());
    drop(first);

    let mut second = Tui::spawn(data.path(), &["resume", &id]);
    second.wait_for_all(&["Before you close Weilidai", "Picked up where you left off."]);
    second.send("q");
    assert!(second.wait_exit().success());
}

#[test]
fn chinese_and_language_switch() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_with(data.path(), &[], "zh_CN.UTF-8", 80, 24);
    tui.wait_for_all(&["欢迎使用销户助手", "开始新的销户"]);
    tui.send(F2);
    tui.wait_for_all(&["Welcome to xiaohu", "Start a new closure"]);
    assert!(!tui.screen().contains("欢迎使用销户助手"));
    // And back: Esc is harmless on the start page, F2 still works after it.
    tui.send(ESC);
    tui.send(F2);
    tui.wait_for("欢迎使用销户助手");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn too_small_window_asks_to_enlarge() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_with(data.path(), &[], "en_US.UTF-8", 40, 10);
    tui.wait_for("enlarge");
    // Keys while too small do not crash it.
    tui.send("\x1b[B");
    tui.send("\x1b[A");
    thread::sleep(Duration::from_millis(200));
    assert!(
        tui.is_running(),
        "exited while too small:\n{}",
        tui.screen()
    );
    tui.wait_for("enlarge");

    tui.resize(80, 24);
    tui.wait_for_all(&["Welcome to xiaohu", "Start a new closure"]);
    assert!(!tui.screen().contains("enlarge"));
    tui.send("q");
    assert!(tui.wait_exit().success());
}

/// Cells the terminal shows in a colour of the program's choosing.
fn coloured_cells(tui: &Tui) -> usize {
    let parser = tui.parser.lock().unwrap();
    let screen = parser.screen();
    let (rows, cols) = screen.size();
    let mut n = 0;
    for row in 0..rows.get() {
        for col in 0..cols.get() {
            let cell = screen.cell(row, col).unwrap();
            if cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn the_theme_reaches_the_terminal_and_no_color_wins() {
    let data = tempfile::tempdir().unwrap();
    let args = ["--theme", "high-contrast"];
    let mut tui = Tui::spawn(data.path(), &args);
    tui.wait_for("Start a new closure");
    assert!(coloured_cells(&tui) > 0, "{}", tui.screen());
    tui.send("q");
    assert!(tui.wait_exit().success());

    let mut tui = Tui::spawn_env(
        data.path(),
        &args,
        "en_US.UTF-8",
        80,
        24,
        &[("NO_COLOR", "1")],
    );
    tui.wait_for("Start a new closure");
    assert_eq!(coloured_cells(&tui), 0, "{}", tui.screen());
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_demo_profile_shows_the_path_blocked_by_debt() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--demo", "--profile", "weilidai-owes"]);
    tui.wait_for_all(&["Before you close Weilidai", "DEMO"]);
    tui.send(ENTER);
    tui.wait_for("Find Weilidai in WeChat");
    tui.send(&ENTER.repeat(5));
    tui.wait_for("What does the Weilidai page show?");
    tui.send(ENTER);
    tui.wait_for_all(&["Is anything still owed?", "¥ 5000", "¥ 37.52"]);
    tui.send(ENTER);
    tui.wait_for("¥5,037.52");
    tui.send("\x03");
    assert!(tui.wait_exit().success());
    assert!(
        std::fs::read_dir(data.path()).unwrap().next().is_none(),
        "demo wrote"
    );

    // Unknown profiles and profiles outside demo mode are refused plainly.
    let out = cli(data.path())
        .args(["--demo", "--profile", "nope"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("known profiles: weilidai-clear"),
        "{stderr}"
    );
    let out = cli(data.path())
        .args(["--profile", "huabei-owes"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--demo"));
}

/// The real terminal: a number key takes the numbered choice, and Esc on the end it led to
/// goes back to the choice (the case open again on disk), as the footer says.
#[test]
fn a_number_takes_the_choice_and_esc_on_its_end_goes_back() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--product", "xiaomi-beiyongjin"]);
    tui.wait_for("Before you cancel the Beiyongjin account");
    tui.send(ENTER);
    tui.wait_for("Find Beiyongjin in the Xiaomi Mall app");
    tui.send(&ENTER.repeat(4));
    tui.wait_for("[✓] Open Beiyongjin");
    tui.send(ENTER);
    tui.wait_for_all(&["What does the Beiyongjin page show?", "Enter 1-9 choose"]);
    // 2: "No Beiyongjin account" — that end at once, no Enter.
    tui.send("2");
    tui.wait_for_all(&["There is no Beiyongjin account to cancel", "Esc back"]);
    let ended = std::fs::read_to_string(case_file(data.path())).unwrap();
    assert!(ended.contains("state = \"nothing_to_close\""), "{ended}");
    tui.send(ESC);
    tui.wait_for_all(&["What does the Beiyongjin page show?", "▶ 2. No Beiyongjin"]);
    let start = std::time::Instant::now();
    loop {
        let case = std::fs::read_to_string(case_file(data.path())).unwrap();
        if case.contains("state = \"in_progress\"") && case.contains("step = \"status\"") {
            break;
        }
        assert!(start.elapsed() < TIMEOUT, "not open again on disk:\n{case}");
        thread::sleep(Duration::from_millis(20));
    }
    tui.send("q");
    assert!(tui.wait_exit().success(), "{}", tui.screen());
}
