//! What the real binary prints, when the output goes wrong and when a file holds what a
//! terminal would obey: a closed pipe ends a command quietly, a full disk or a closed
//! stdout is an error, escape sequences from a case file never reach the terminal, and
//! files that are not regular (a FIFO, a device) or lines too long are refused quickly.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_xiaohu");

/// Long enough for a loaded 2-core machine; a hang is what it catches.
const WATCHDOG: Duration = Duration::from_secs(10);

/// What a crafted case file holds: a window title, the clipboard (OSC 52), a screen
/// clear, a C1 CSI, a bidi override, a tab and a newline.
const EVIL: &str = "\u{1b}]0;pwned\u{7}\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}31m\u{202e}x\ty\nz\rw";

fn xiaohu(data: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("XIAOHU_DATA_DIR", data)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("XIAOHU_THEME")
        .env_remove("NO_COLOR");
    cmd
}

/// Waits for the child, killing it (and failing) after `limit`.
fn wait_bounded(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?} (it hangs)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs to the end with stdin empty, under the watchdog.
fn run(mut cmd: Command, what: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The outputs are small here; read them after the exit.
    let status = wait_bounded(&mut child, WATCHDOG, what);
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut stderr)
        .unwrap();
    Output {
        status,
        stdout,
        stderr,
    }
}

/// A real huabei case, made by the binary itself in plain mode (start, quit). Its id.
fn real_case(data: &Path) -> String {
    let mut child = xiaohu(data)
        .args(["--plain", "--product", "huabei"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"q\n").unwrap();
    assert!(wait_bounded(&mut child, WATCHDOG, "plain q").success());
    let ids = case_ids(data);
    assert_eq!(ids.len(), 1, "{ids:?}");
    ids.into_iter().next().unwrap()
}

fn case_ids(data: &Path) -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(data.join("cases"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".toml").map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids
}

fn case_path(data: &Path, id: &str) -> PathBuf {
    data.join("cases").join(format!("{id}.toml"))
}

fn read_case(data: &Path, id: &str) -> toml::Table {
    fs::read_to_string(case_path(data, id))
        .unwrap()
        .parse()
        .unwrap()
}

fn write_case(data: &Path, id: &str, mut case: toml::Table) {
    case.insert("id".into(), id.into());
    fs::write(case_path(data, id), toml::to_string(&case).unwrap()).unwrap();
}

fn log_entry(at: &str, event: &str, fields: &[(&str, &str)]) -> toml::Value {
    let mut t = toml::Table::new();
    t.insert("at".into(), at.into());
    t.insert("event".into(), event.into());
    for (k, v) in fields {
        t.insert((*k).into(), (*v).into());
    }
    toml::Value::Table(t)
}

/// Two crafted cases: a valid huabei case whose contact reference is `EVIL` (in its
/// answers and its log), and one whose product and step are `EVIL` (unknown to the
/// content, so printed by their ids). Returns their ids.
fn crafted_cases(data: &Path) -> (String, String) {
    let id = real_case(data);
    let mut case = read_case(data, &id);
    let at = case["updated"].as_str().unwrap().to_owned();
    let mut answer = toml::Table::new();
    answer.insert("step_fingerprint".into(), "0".into());
    answer.insert("at".into(), at.as_str().into());
    let mut value = toml::Table::new();
    value.insert("type".into(), "contacted".into());
    value.insert("reference".into(), EVIL.into());
    answer.insert("value".into(), value.into());
    case["answers"]
        .as_table_mut()
        .unwrap()
        .insert("contact".into(), answer.into());
    let log = case["log"].as_array_mut().unwrap();
    log.push(log_entry(
        &at,
        "contacted",
        &[("step", "contact"), ("reference", EVIL)],
    ));
    let good = format!("{id}-ref");
    write_case(data, &good, case.clone());

    case.insert("product".into(), EVIL.into());
    case.insert("step".into(), EVIL.into());
    let log = case["log"].as_array_mut().unwrap();
    log.push(log_entry(&at, "entered", &[("step", EVIL)]));
    let unknown = format!("{id}-unknown");
    write_case(data, &unknown, case);
    fs::remove_file(case_path(data, &id)).unwrap();
    (good, unknown)
}

/// Nothing a terminal would obey: no ESC, BEL, C1 CSI or bidi override.
fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\r'] {
        assert!(
            !text.contains(bad),
            "{what}: {bad:?} reached the terminal:\n{text}"
        );
    }
}

#[test]
fn escape_sequences_in_a_case_file_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let (good, unknown) = crafted_cases(data);

    let mut cmd = xiaohu(data);
    cmd.arg("sessions");
    let out = run(cmd, "sessions");
    assert!(out.status.success(), "{out:?}");
    assert_inert("sessions stdout", &out.stdout);
    assert_inert("sessions stderr", &out.stderr);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "one line per case:\n{text}");
    for line in &lines {
        // id, product, step, last update, state, expected date, customer.
        assert_eq!(line.matches('\t').count(), 6, "seven fields: {line:?}");
    }
    let fields: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(fields[0], unknown);
    // The escapes read back as what the file holds.
    let shown = r"\u{1b}]0;pwned\u{7}\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}31m\u{202e}x\ty\nz\rw";
    assert_eq!(fields[1], shown);
    assert_eq!(fields[2], shown);

    // A product the content does not have is refused, and named made visible.
    for command in ["log", "export"] {
        let mut cmd = xiaohu(data);
        cmd.args([command, unknown.as_str()]);
        let out = run(cmd, command);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
        assert_inert(&format!("{command} stderr"), &out.stderr);
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(r"\u{1b}]52;c;aGk=") && err.contains("--content DIR"),
            "{err}"
        );
    }
    {
        let id = &good;
        let mut cmd = xiaohu(data);
        cmd.args(["log", id]);
        let out = run(cmd, "log");
        assert!(out.status.success(), "log {id}: {out:?}");
        assert_inert("log stdout", &out.stdout);
        assert_inert("log stderr", &out.stderr);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(r"\u{1b}]52;c;aGk="), "{text}");
        // Every line is a log line: a newline in the file made none of its own.
        assert!(text.lines().all(|l| l.starts_with("20")), "{text}");
        for format in ["txt", "md", "html"] {
            let mut cmd = xiaohu(data);
            cmd.args(["export", id, "--format", format]);
            let out = run(cmd, "export");
            assert!(out.status.success(), "export {id} {format}: {out:?}");
            assert_inert(&format!("export {format} stdout"), &out.stdout);
            assert_inert(&format!("export {format} stderr"), &out.stderr);
        }
    }
    // The reference is on the receipt, made visible, and stays on its line.
    let mut cmd = xiaohu(data);
    cmd.args(["export", &good]);
    let text = String::from_utf8(run(cmd, "export").stdout).unwrap();
    let line = text.lines().find(|l| l.contains("pwned")).unwrap();
    assert!(line.contains(r"x\ty\nz\rw"), "{line}");

    // The plain start page lists both cases (the unknown product by its id).
    let mut child = xiaohu(data)
        .arg("--plain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"q\n").unwrap();
    let status = wait_bounded(&mut child, WATCHDOG, "plain start page");
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut stderr)
        .unwrap();
    assert!(status.success(), "{}", String::from_utf8_lossy(&stderr));
    assert_inert("plain stdout", &stdout);
    assert_inert("plain stderr", &stderr);
    let text = String::from_utf8(stdout).unwrap();
    assert!(text.contains(r"\u{1b}]0;pwned"), "{text}");
}

#[test]
fn a_damaged_file_named_with_escapes_is_named_safely() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    real_case(data);
    let name = "\u{1b}]0;pwned\u{7}\n.toml";
    fs::write(data.join("cases").join(name), "not = [a case").unwrap();
    let mut cmd = xiaohu(data);
    cmd.arg("sessions");
    let out = run(cmd, "sessions");
    assert!(out.status.success(), "{out:?}");
    assert_inert("sessions stderr", &out.stderr);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(r"\u{1b}]0;pwned\u{7}\n.toml"), "{err}");
}

/// A data dir with `n` copies of one real case, and one of them with a log of
/// `log_entries` more entries: output far beyond a pipe's 64 KB buffer.
fn big_data(data: &Path, cases: usize, log_entries: usize) -> String {
    let id = real_case(data);
    let mut case = read_case(data, &id);
    let at = case["updated"].as_str().unwrap().to_owned();
    for i in 0..cases {
        write_case(data, &format!("{id}-{i:05}"), case.clone());
    }
    let log = case["log"].as_array_mut().unwrap();
    for _ in 0..log_entries {
        log.push(log_entry(&at, "entered", &[("step", "intro")]));
    }
    write_case(data, &id, case);
    id
}

fn assert_quiet_end(what: &str, status: ExitStatus, stderr: &[u8]) {
    let err = String::from_utf8_lossy(stderr);
    assert!(
        matches!(status.code(), Some(0) | Some(141)),
        "{what}: {status:?}\n{err}"
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(err.is_empty(), "{what}: nothing to say on stderr: {err}");
}

/// A content folder of `n` copies of the author fixture's product, each with its own id;
/// `broken`: each with an unknown field, so `check` has a line to say about every one.
fn many_products(dir: &Path, n: usize, broken: bool) -> String {
    let product = fs::read_to_string("tests/fixtures/author/products/douyin-yuefu.toml").unwrap();
    fs::create_dir_all(dir.join("products")).unwrap();
    for i in 0..n {
        let mut text = product.replacen("id = \"douyin-yuefu\"", &format!("id = \"p{i:05}\""), 1);
        if broken {
            text = text.replacen("\norder = 1\n", "\norder = 1\ncolour = 1\n", 1);
        }
        fs::write(dir.join(format!("products/p{i:05}.toml")), text).unwrap();
    }
    dir.display().to_string()
}

#[test]
fn a_reader_that_closes_after_one_line_ends_each_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let id = big_data(data, 1500, 3000);
    // Far more than a pipe holds (64 KB) of every kind of output: 3000 products to list,
    // 3000 problems to report.
    let many = many_products(&dir.path().join("many"), 3000, false);
    let broken = many_products(&dir.path().join("broken"), 3000, true);
    let commands: [&[&str]; 7] = [
        &["sessions"],
        &["log", &id],
        &["export", &id],
        &["export", &id, "--format", "md"],
        &["export", &id, "--format", "html"],
        &["--content", &many, "list"],
        &["check", &broken],
    ];
    for args in commands {
        let what = args.join(" ");
        let mut child = xiaohu(data)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{what}: no first line");
        // The reader is gone: `… | head -1`.
        let mut stderr = child.stderr.take().unwrap();
        let status = wait_bounded(&mut child, WATCHDOG * 3, &what);
        let mut err = Vec::new();
        stderr.read_to_end(&mut err).unwrap();
        assert_quiet_end(&what, status, &err);
    }
}

#[test]
fn a_pipe_closed_before_the_first_write_ends_each_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let id = real_case(data);
    let commands: [&[&str]; 6] = [
        &["list"],
        &["sessions"],
        &["log", &id],
        &["export", &id],
        &["export", &id, "--format", "md"],
        &["check"],
    ];
    // Help and version are printed by the argument parser, which ends with 0 on a closed
    // pipe; quiet either way.
    let help: [&[&str]; 6] = [
        &["--help"],
        &["-h"],
        &["help"],
        &["log", "--help"],
        &["help", "export"],
        &["--version"],
    ];
    for (args, printed_by_us) in commands
        .iter()
        .map(|a| (a, true))
        .chain(help.iter().map(|a| (a, false)))
    {
        let what = args.join(" ");
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut child = xiaohu(data)
            .args(*args)
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let status = wait_bounded(&mut child, WATCHDOG, &what);
        let mut err = Vec::new();
        stderr.read_to_end(&mut err).unwrap();
        if printed_by_us {
            assert_eq!(status.code(), Some(141), "{what}: {status:?}");
        }
        assert_quiet_end(&what, status, &err);
    }
}

#[test]
fn a_full_disk_or_a_closed_stdout_is_an_error_not_a_success() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let id = real_case(data);
    let commands: [&[&str]; 5] = [
        &["list"],
        &["sessions"],
        &["log", &id],
        &["export", &id],
        &["export", &id, "--format", "html"],
    ];
    for args in commands {
        let what = args.join(" ");
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let mut cmd = xiaohu(data);
        cmd.args(args).stdout(full).stderr(Stdio::piped());
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what} > /dev/full: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(
            err.contains("xiaohu: cannot write the output: No space left on device"),
            "{what}: {err}"
        );

        // `>&-`: the shell closes fd 1 before xiaohu starts.
        let out = Command::new("sh")
            .arg("-c")
            .arg("\"$0\" \"$@\" >&-")
            .arg(BIN)
            .args(args)
            .env("XIAOHU_DATA_DIR", data)
            .env("LANG", "en_US.UTF-8")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what} >&-: {err}");
        assert!(
            err.contains("cannot write the output: standard output is closed"),
            "{what}: {err}"
        );
    }
    // Redirected to /dev/null on purpose is no error.
    let out = xiaohu(data)
        .args(["export", &id])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

fn assert_refused(out: &Output, what: &str, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    let text = format!("{err}{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "{what}: {text}");
    assert!(
        text.contains(needle),
        "{what}: expected {needle:?} in:\n{text}"
    );
}

#[test]
fn a_fifo_or_a_device_is_refused_at_once_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let fifo = dir.path().join("theme.toml");
    mkfifo(&fifo);

    let mut cmd = xiaohu(&data);
    cmd.args(["--theme", "/dev/zero"]);
    let out = run(cmd, "--theme /dev/zero");
    assert_refused(&out, "--theme /dev/zero", "not a regular file (a device)");

    let mut cmd = xiaohu(&data);
    cmd.arg("--theme").arg(&fifo);
    let out = run(cmd, "--theme FIFO");
    assert_refused(&out, "--theme FIFO", "not a regular file (a FIFO)");

    let mut cmd = xiaohu(&data);
    cmd.args(["demo", "play"]).arg(&fifo);
    let out = run(cmd, "demo play FIFO");
    assert_refused(&out, "demo play FIFO", "not a regular file (a FIFO)");

    // A big file is refused with the limit said.
    let big = dir.path().join("big.toml");
    fs::write(&big, vec![b'#'; 300 * 1024]).unwrap();
    let mut cmd = xiaohu(&data);
    cmd.arg("--theme").arg(&big);
    let out = run(cmd, "--theme big");
    assert_refused(&out, "--theme big", "larger than the 256 KB");

    // A content dir: a FIFO beside a real product is named, not skipped; a FIFO as
    // ui.toml would block the read for ever.
    let content = dir.path().join("content");
    fs::create_dir_all(content.join("products")).unwrap();
    fs::copy(
        "content/products/huabei.toml",
        content.join("products/huabei.toml"),
    )
    .unwrap();
    mkfifo(&content.join("products/x.toml"));
    let mut cmd = xiaohu(&data);
    cmd.arg("check").arg(&content);
    let out = run(cmd, "check DIR with a FIFO product");
    assert_refused(
        &out,
        "check DIR",
        "x.toml:1:1: error: cannot read: not a regular file (a FIFO)",
    );

    fs::remove_file(content.join("products/x.toml")).unwrap();
    mkfifo(&content.join("ui.toml"));
    let mut cmd = xiaohu(&data);
    cmd.arg("check").arg(&content);
    let out = run(cmd, "check DIR with a FIFO ui.toml");
    assert_refused(
        &out,
        "check DIR",
        "ui.toml:1:1: error: cannot read: not a regular file (a FIFO)",
    );
}

#[test]
fn sessions_on_a_data_dir_that_is_a_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data");
    fs::write(&file, "").unwrap();
    let mut cmd = xiaohu(&file);
    cmd.arg("sessions");
    let out = run(cmd, "sessions");
    assert_refused(&out, "sessions", "is a file, not a folder");
    assert!(out.stdout.is_empty());

    // Not there yet: a new desk, nothing to list.
    let mut cmd = xiaohu(&dir.path().join("new"));
    cmd.arg("sessions");
    let out = run(cmd, "sessions");
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty());
}

/// Plain mode fed `line` then `q`: (status, stdout).
fn plain_with_line(data: &Path, line: Vec<u8>) -> (ExitStatus, Vec<u8>) {
    let mut child = xiaohu(data)
        .arg("--plain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&line);
        let _ = stdin.write_all(b"\nq\n");
    });
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).unwrap();
        out
    });
    let status = wait_bounded(&mut child, WATCHDOG * 6, "plain mode, a long line");
    writer.join().unwrap();
    (status, reader.join().unwrap())
}

#[test]
fn plain_mode_neither_keeps_nor_echoes_a_20_mb_line() {
    let dir = tempfile::tempdir().unwrap();
    let (status, out) = plain_with_line(dir.path(), vec![b'1'; 20 * 1024 * 1024]);
    let text = String::from_utf8_lossy(&out);
    assert!(status.success(), "{status:?}");
    assert!(out.len() < 4096, "{} bytes of output", out.len());
    assert!(
        text.contains("That line was too long (over 64 KB) and was not read"),
        "{text}"
    );
    assert!(text.contains("Goodbye."), "{text}");

    // Under the limit, it is read, refused, and said back by its start only.
    let (status, out) = plain_with_line(dir.path(), vec![b'7'; 60 * 1024]);
    let text = String::from_utf8_lossy(&out);
    assert!(status.success(), "{status:?}");
    assert!(out.len() < 4096, "{} bytes of output", out.len());
    let echo = format!("I did not understand “{}…”", "7".repeat(40));
    assert!(text.contains(&echo), "{text}");
}
