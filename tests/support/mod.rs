//! The real `xiaohu` binary in a pseudo-terminal, its screen read back by a VT100 parser,
//! shared by the end-to-end suites. Not every suite uses every helper.
#![allow(dead_code)]

pub mod walk;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_xiaohu");
pub const TIMEOUT: Duration = Duration::from_secs(10);

pub const ENTER: &str = "\r";
pub const ESC: &str = "\x1b";
pub const CTRL_C: &str = "\x03";
pub const F2: &str = "\x1bOQ";
pub const ALT_SCREEN_OFF: &[u8] = b"\x1b[?1049l";
pub const ALT_SCREEN_ON: &[u8] = b"\x1b[?1049h";
pub const CURSOR_HIDE: &[u8] = b"\x1b[?25l";
pub const CURSOR_SHOW: &[u8] = b"\x1b[?25h";

/// Environment variables that would override `LANG` or change the output.
pub const CLEARED_ENV: [&str; 4] = ["LC_ALL", "LC_MESSAGES", "LANGUAGE", "NO_COLOR"];

/// The binary running in a pseudo-terminal; killed on drop if still alive.
pub struct Tui {
    pub child: Box<dyn Child + Send + Sync>,
    pub master: Box<dyn MasterPty + Send>,
    pub writer: Box<dyn Write + Send>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub eof: Arc<AtomicBool>,
}

impl Tui {
    /// 80x24, English.
    pub fn spawn(data: &Path, args: &[&str]) -> Tui {
        Tui::spawn_with(data, args, "en_US.UTF-8", 80, 24)
    }

    pub fn spawn_with(data: &Path, args: &[&str], lang: &str, cols: u16, rows: u16) -> Tui {
        Tui::spawn_env(data, args, lang, cols, rows, &[])
    }

    /// Like `spawn_with`, with extra environment variables.
    pub fn spawn_env(
        data: &Path,
        args: &[&str],
        lang: &str,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Tui {
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        Tui::spawn_command_env(cmd, data, lang, cols, rows, env)
    }

    /// Any command (e.g. a shell that sets the umask, then runs xiaohu) in a pty, with
    /// the data dir and language set and the overriding variables cleared.
    pub fn spawn_command(
        cmd: CommandBuilder,
        data: &Path,
        lang: &str,
        cols: u16,
        rows: u16,
    ) -> Tui {
        Tui::spawn_command_env(cmd, data, lang, cols, rows, &[])
    }

    /// The extra variables are set last, so a test may set one the others clear (NO_COLOR).
    pub fn spawn_command_env(
        mut cmd: CommandBuilder,
        data: &Path,
        lang: &str,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Tui {
        let pair = native_pty_system()
            .openpty(pty_size(cols, rows))
            .expect("open a pty");
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
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
        if keys.ends_with(ESC) {
            thread::sleep(Duration::from_millis(150));
        }
    }

    /// The screen as text, one line per row (trailing blanks trimmed).
    pub fn screen(&self) -> String {
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
    pub fn wait_for(&mut self, text: &str) {
        self.wait_for_all(&[text]);
    }

    /// Waits until every one of `texts` is on screen at once.
    pub fn wait_for_all(&mut self, texts: &[&str]) {
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
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The parser first, so the redraw that follows lands on a screen of the new size.
        self.parser.lock().unwrap().set_size(nz(rows), nz(cols));
        self.master
            .resize(pty_size(cols, rows))
            .expect("resize pty");
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("a pid") as i32
    }

    /// Sends a signal to the process.
    pub fn signal(&self, signal: nix::sys::signal::Signal) {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid()), signal).expect("kill");
    }

    /// Whether the terminal is back in cooked mode (line editing and echo on), read from
    /// the pty itself: the process that set raw mode must have undone it.
    pub fn terminal_is_cooked(&self) -> bool {
        use nix::sys::termios::LocalFlags;
        let termios = self.master.get_termios().expect("termios of the pty");
        termios
            .local_flags
            .contains(LocalFlags::ICANON | LocalFlags::ECHO)
    }

    /// The terminal was given back: the last alternate-screen switch is "off", the cursor
    /// is shown again after it was hidden, and the line discipline is cooked.
    pub fn assert_terminal_restored(&self) {
        let raw = self.raw_output();
        let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(300)..]).into_owned();
        let on = rfind(&raw, ALT_SCREEN_ON).expect("never entered the alternate screen");
        let off = rfind(&raw, ALT_SCREEN_OFF)
            .unwrap_or_else(|| panic!("never left the alternate screen; last bytes: {tail:?}"));
        assert!(
            off > on,
            "the alternate screen is still on; last bytes: {tail:?}"
        );
        let hidden = rfind(&raw, CURSOR_HIDE);
        let shown = rfind(&raw, CURSOR_SHOW);
        assert!(
            hidden.is_none() || shown > hidden,
            "the cursor is still hidden; last bytes: {tail:?}"
        );
        assert!(
            self.terminal_is_cooked(),
            "the terminal is still in raw mode"
        );
    }

    pub fn raw_output(&self) -> Vec<u8> {
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

pub fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a terminal size is never zero")
}

pub fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

/// The CLI (not the wizard) on the same data dir, in English.
pub fn cli(data: &Path) -> assert_cmd::Command {
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

pub fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let output = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(output).expect("UTF-8 output")
}

/// The single case file in the data dir.
pub fn case_file(data: &Path) -> PathBuf {
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

pub fn read_case(data: &Path) -> toml::Table {
    let path = case_file(data);
    let text = std::fs::read_to_string(&path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

pub fn case_id(data: &Path) -> String {
    let path = case_file(data);
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

pub fn log_entries(case: &toml::Table) -> Vec<toml::Value> {
    case["log"].as_array().expect("log is an array").clone()
}

pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}
