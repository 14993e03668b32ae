//! End-to-end: the real `xiaohu` binary in a pseudo-terminal, its screen read back by a
//! VT100 parser. Keys go in as the bytes a terminal sends; assertions are on what a person
//! would see and on the files left on disk.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_xiaohu");
const TIMEOUT: Duration = Duration::from_secs(10);

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_C: &str = "\x03";
const F2: &str = "\x1bOQ";
const ALT_SCREEN_OFF: &[u8] = b"\x1b[?1049l";
const ALT_SCREEN_ON: &[u8] = b"\x1b[?1049h";

/// Environment variables that would override `LANG` or change the output.
const CLEARED_ENV: [&str; 4] = ["LC_ALL", "LC_MESSAGES", "LANGUAGE", "NO_COLOR"];

/// The binary running in a pseudo-terminal; killed on drop if still alive.
struct Tui {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    eof: Arc<AtomicBool>,
}

impl Tui {
    /// 80x24, English.
    fn spawn(data: &Path, args: &[&str]) -> Tui {
        Tui::spawn_with(data, args, "en_US.UTF-8", 80, 24)
    }

    fn spawn_with(data: &Path, args: &[&str], lang: &str, cols: u16, rows: u16) -> Tui {
        Tui::spawn_env(data, args, lang, cols, rows, &[])
    }

    fn spawn_env(
        data: &Path,
        args: &[&str],
        lang: &str,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Tui {
        let pair = native_pty_system()
            .openpty(pty_size(cols, rows))
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        for key in CLEARED_ENV {
            cmd.env_remove(key);
        }
        cmd.env("XIAOHU_DATA_DIR", data);
        cmd.env("LANG", lang);
        cmd.env("TERM", "xterm-256color");
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn xiaohu");
        // Only the child keeps the slave open, so the reader sees EOF when it exits.
        drop(pair.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let eof = Arc::new(AtomicBool::new(false));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        {
            let (parser, raw, eof) = (parser.clone(), raw.clone(), eof.clone());
            thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            parser.lock().unwrap().process(&buf[..n]);
                            raw.lock().unwrap().extend_from_slice(&buf[..n]);
                        }
                    }
                }
                eof.store(true, Ordering::SeqCst);
            });
        }
        let writer = pair.master.take_writer().expect("pty writer");
        Tui {
            child,
            master: pair.master,
            writer,
            parser,
            raw,
            eof,
        }
    }

    /// Sends key bytes. A lone Esc is followed by a pause so it is not read as the start of
    /// the next key's escape sequence.
    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
        if keys.ends_with(ESC) {
            thread::sleep(Duration::from_millis(150));
        }
    }

    /// The screen as text, one line per row (trailing blanks trimmed).
    fn screen(&self) -> String {
        let parser = self.parser.lock().unwrap();
        let (_, cols) = parser.screen().size();
        parser
            .screen()
            .rows(0, cols.get())
            .map(|row| row.trim_end().to_owned())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Waits until `text` is on screen; panics with the screen if it never shows.
    fn wait_for(&mut self, text: &str) {
        self.wait_for_all(&[text]);
    }

    /// Waits until every one of `texts` is on screen at once.
    fn wait_for_all(&mut self, texts: &[&str]) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return;
            }
            if start.elapsed() > TIMEOUT {
                let exited = self.child.try_wait().ok().flatten();
                let rule = "-".repeat(80);
                panic!(
                    "timed out after {TIMEOUT:?} waiting for {texts:?} (process exited: \
                     {exited:?}); the screen:\n{rule}\n{screen}\n{rule}"
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the process to exit and for its last output to be read.
    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "xiaohu did not exit within {TIMEOUT:?}; the screen:\n{}",
                    self.screen()
                );
            }
            thread::sleep(Duration::from_millis(20));
        };
        while !self.eof.load(Ordering::SeqCst) {
            assert!(
                start.elapsed() < TIMEOUT,
                "the pty never reached EOF after exit"
            );
            thread::sleep(Duration::from_millis(10));
        }
        status
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        // The parser first, so the redraw that follows lands on a screen of the new size.
        self.parser.lock().unwrap().set_size(nz(rows), nz(cols));
        self.master
            .resize(pty_size(cols, rows))
            .expect("resize pty");
    }

    fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a terminal size is never zero")
}

fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

/// The CLI (not the wizard) on the same data dir, in English.
fn cli(data: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(BIN);
    for key in CLEARED_ENV {
        cmd.env_remove(key);
    }
    cmd.env("XIAOHU_DATA_DIR", data)
        .env("LANG", "en_US.UTF-8")
        .arg("--lang")
        .arg("en")
        .timeout(TIMEOUT);
    cmd
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let output = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(output).expect("UTF-8 output")
}

/// The single case file in the data dir.
fn case_file(data: &Path) -> PathBuf {
    let dir = data.join("cases");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml")
                && !p.file_name().unwrap().to_string_lossy().starts_with('.')
        })
        .collect();
    assert_eq!(files.len(), 1, "expected one case file, found {files:?}");
    files.into_iter().next().unwrap()
}

fn read_case(data: &Path) -> toml::Table {
    let path = case_file(data);
    let text = std::fs::read_to_string(&path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

fn case_id(data: &Path) -> String {
    let path = case_file(data);
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

fn log_entries(case: &toml::Table) -> Vec<toml::Value> {
    case["log"].as_array().expect("log is an array").clone()
}

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
    assert!(txt.starts_with("Closure receipt\n"), "{txt}");
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

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
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
