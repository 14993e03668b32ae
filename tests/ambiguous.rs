//! Terminals that draw East Asian ambiguous-width characters two cells wide, end to end:
//! the real binary in a pseudo-terminal asks where the cursor went after printing one
//! (`ESC [6n`), and this test answers as a narrow terminal, as a wide one, with garbage,
//! late, or not at all; the flags and `XIAOHU_AMBIGUOUS` skip the question.

mod support;

use std::thread;
use std::time::{Duration, Instant};

use support::*;

const QUERY: &[u8] = b"\x1b[6n";
/// The probe: ▶ on the second row, first column, then the query.
const PROBE: &[u8] = "\x1b[2;1H\u{25b6}\x1b[6n".as_bytes();
/// Where the cursor stands after ▶ drawn in one cell, and in two.
const NARROW_REPLY: &str = "\x1b[2;2R";
const WIDE_REPLY: &str = "\x1b[2;3R";

/// Waits until the program has asked, and returns when it did.
fn asked(tui: &Tui) -> Instant {
    let start = Instant::now();
    loop {
        if rfind(&tui.raw_output(), QUERY).is_some() {
            return Instant::now();
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "never asked for the cursor position; output: {:?}",
            String::from_utf8_lossy(&tui.raw_output())
        );
        thread::sleep(Duration::from_millis(2));
    }
}

fn start_page(tui: &mut Tui) -> String {
    tui.wait_for("Start a new closure");
    // The first frame may arrive in pieces.
    thread::sleep(Duration::from_millis(100));
    tui.screen()
}

fn is_wide_chrome(screen: &str) -> bool {
    screen.contains("+ Welcome to xiaohu ---") && screen.contains("> Start a new closure")
}

fn is_narrow_chrome(screen: &str) -> bool {
    screen.contains("╭ Welcome to xiaohu ─") && screen.contains("▶ Start a new closure")
}

#[test]
fn a_terminal_that_draws_it_in_two_cells_gets_ascii_chrome() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &[]);
    asked(&tui);
    let raw = tui.raw_output();
    assert!(
        rfind(&raw, PROBE).is_some(),
        "▶ printed at row 2, column 1 before asking: {:?}",
        String::from_utf8_lossy(&raw)
    );
    tui.send(WIDE_REPLY);
    let screen = start_page(&mut tui);
    assert!(is_wide_chrome(&screen), "{screen}");
    assert!(!screen.contains('▶') && !screen.contains('─'), "{screen}");
    // The reply was not taken as keys: still the start page, and keys work.
    tui.send(ENTER);
    tui.wait_for("Which product");
    tui.send(CTRL_C);
    tui.wait_exit();
    tui.assert_terminal_restored();
}

#[test]
fn a_terminal_that_draws_it_in_one_cell_keeps_the_box_drawing() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &[]);
    asked(&tui);
    tui.send(NARROW_REPLY);
    let screen = start_page(&mut tui);
    assert!(is_narrow_chrome(&screen), "{screen}");
    // The probe's ▶ was wiped: row 2 is the border, nothing before it.
    assert!(screen.lines().nth(1).unwrap().starts_with('╭'), "{screen}");
}

#[test]
fn no_answer_or_garbage_is_narrow_within_the_timeout() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &[]);
    let at = asked(&tui);
    tui.wait_for("Start a new closure");
    let waited = at.elapsed();
    assert!(
        waited < Duration::from_millis(1000),
        "the first frame came {waited:?} after asking: the wait is too long"
    );
    assert!(is_narrow_chrome(&start_page(&mut tui)));

    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &[]);
    asked(&tui);
    // Another row's answer (Shift-F3 is ESC [1;2R in some terminals) and a broken one.
    tui.send("\x1b[1;3R\x1b[2;xR");
    assert!(is_narrow_chrome(&start_page(&mut tui)));
}

#[test]
fn a_late_answer_is_not_taken_as_a_key() {
    // On a step, F3 (ESC O R, or ESC [ 1;m R with a modifier) opens the progress log: a
    // reply read as F3 would open it.
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--product", "huabei"]);
    asked(&tui);
    tui.wait_for("Before you close Huabei");
    tui.send(WIDE_REPLY);
    tui.send("\x1b[1;3R");
    thread::sleep(Duration::from_millis(400));
    let screen = tui.screen();
    assert!(!screen.contains("Progress log"), "{screen}");
    assert!(is_narrow_box(&screen), "drawn narrow, as decided: {screen}");
    // And the keys after it are keys.
    tui.send(ENTER);
    tui.wait_for("Find Huabei in Alipay");
}

fn is_narrow_box(screen: &str) -> bool {
    screen.contains('╭')
}

#[test]
fn the_flags_and_the_variable_decide_without_asking() {
    let cases: [(&[&str], Option<&str>, bool); 5] = [
        (&["--ambiguous-wide"], None, true),
        (&["--ambiguous-narrow"], Some("wide"), false),
        (&["--ambiguous-wide"], Some("narrow"), true),
        (&[], Some("wide"), true),
        (&[], Some("narrow"), false),
    ];
    for (args, env, wide) in cases {
        let data = tempfile::tempdir().unwrap();
        let env: Vec<(&str, &str)> = env.map(|v| ("XIAOHU_AMBIGUOUS", v)).into_iter().collect();
        let mut tui = Tui::spawn_env(data.path(), args, "en_US.UTF-8", 80, 24, &env);
        let screen = start_page(&mut tui);
        let what = format!("{args:?} {env:?}");
        assert!(
            rfind(&tui.raw_output(), QUERY).is_none(),
            "{what}: asked anyway"
        );
        if wide {
            assert!(is_wide_chrome(&screen), "{what}:\n{screen}");
        } else {
            assert!(is_narrow_chrome(&screen), "{what}:\n{screen}");
        }
    }
}

#[test]
fn the_flags_exclude_each_other_and_a_bad_variable_is_a_plain_message() {
    let data = tempfile::tempdir().unwrap();
    cli(data.path())
        .args(["--ambiguous-wide", "--ambiguous-narrow"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used with"));
    let mut tui = Tui::spawn_env(
        data.path(),
        &[],
        "en_US.UTF-8",
        80,
        24,
        &[("XIAOHU_AMBIGUOUS", "double")],
    );
    tui.wait_for("XIAOHU_AMBIGUOUS=double: use wide, narrow or auto");
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 1);
    assert!(
        rfind(&tui.raw_output(), ALT_SCREEN_ON).is_none(),
        "refused before the screen changed"
    );
}

#[test]
fn the_tour_asks_too() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(
        data.path(),
        &[
            "demo",
            "play",
            concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/huabei.toml"),
            "--lang",
            "en",
        ],
    );
    asked(&tui);
    tui.send(WIDE_REPLY);
    tui.wait_for("Before you close Huabei");
    thread::sleep(Duration::from_millis(100));
    let screen = tui.screen();
    assert!(screen.contains("=+") && !screen.contains('═'), "{screen}");
}
