//! Faults, end to end with the real binary in a pseudo-terminal: killed at random points,
//! stopped by signals, a panic, two terminals on one case, a hostile umask, and a disk that
//! goes away, turns read-only or fills up. Figures are printed with `--nocapture`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use portable_pty::CommandBuilder;

use support::*;
use xiaohu::store::Store;
use xiaohu::wizard::Case;

const PRODUCTS: [&str; 7] = [
    "weilidai",
    "huabei",
    "jiebei",
    "wangshangdai",
    "baitiao",
    "xiaomi-beiyongjin",
    "xiaomi-fenqi",
];

/// A small seeded generator (splitmix64): the kill schedule is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The next keys a person would press on this screen (read like a person reads it):
/// Ctrl-U then `0` on amounts, CONFIRM where it is asked for, otherwise Enter, Space or ↓
/// (which picks another branch now and then).
fn next_keys(screen: &str, rng: &mut Rng) -> &'static str {
    if screen.contains("Type CONFIRM") {
        "\x15CONFIRM\r"
    } else if screen.contains("still owed") {
        "\x150\r"
    } else {
        ["\r", "\r", "\r", "\r", " ", "\x1b[B"][rng.below(6) as usize]
    }
}

fn cases_dir(data: &Path) -> PathBuf {
    data.join("cases")
}

/// Temp files (dot files) in the cases folder.
fn temp_files(data: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(cases_dir(data)) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

/// The temp files of one case (`.{id}.tmp-*`, the store's naming).
fn temp_files_of(data: &Path, id: &str) -> Vec<String> {
    let prefix = format!(".{id}.tmp-");
    temp_files(data)
        .into_iter()
        .filter(|n| n.starts_with(&prefix))
        .collect()
}

/// The ids of every readable case on disk, and the damaged files (there must be none).
fn listed(data: &Path) -> Vec<String> {
    let (cases, damaged) = Store::read_only(data).list();
    assert!(damaged.is_empty(), "damaged after a kill: {damaged:?}");
    cases.into_iter().map(|c| c.id.to_string()).collect()
}

fn load(data: &Path, id: &str) -> Case {
    Store::read_only(data)
        .load(id)
        .unwrap_or_else(|e| panic!("case {id} does not load after a kill: {e}"))
}

/// Waits until the wizard shows a step screen ("step n/m" in the header).
fn wait_for_a_step(tui: &mut Tui) {
    tui.wait_for("step ");
}

#[test]
fn killed_at_random_points_nothing_saved_is_lost() {
    const KILLS: usize = 120;
    let started = Instant::now();
    let data = tempfile::tempdir().unwrap();
    let data = data.path();
    let mut rng = Rng(20_261_121);
    let mut current: Option<String> = None;
    let (mut mid_write, mut finished, mut resumed, mut steps) = (0, 0, 0, 0);
    let mut product = 0;
    for kill in 0..KILLS {
        let mut tui = match &current {
            Some(id) => {
                resumed += 1;
                Tui::spawn(data, &["resume", id])
            }
            None => {
                product = (product + 1) % PRODUCTS.len();
                Tui::spawn(data, &["--product", PRODUCTS[product]])
            }
        };
        wait_for_a_step(&mut tui);
        // The lock holder sweeps what a killed writer left of its case. A new case's start
        // holds no other case's lock and lists nothing: a temp file of a case walked to its
        // end waits for the next listing (asserted at the end).
        if let Some(id) = &current {
            assert!(
                temp_files_of(data, id).is_empty(),
                "temp files survived a resume: {:?}",
                temp_files(data)
            );
        }
        let id = match &current {
            Some(id) => id.clone(),
            None => {
                let known: Vec<String> = listed(data);
                let new = known
                    .iter()
                    .filter(|id| id.ends_with(PRODUCTS[product]))
                    .max()
                    .expect("a new case is saved at once")
                    .clone();
                current = Some(new.clone());
                new
            }
        };
        // Some keys, then let the wizard settle and read what is on disk now ...
        for _ in 0..rng.below(6) {
            let keys = next_keys(&tui.screen(), &mut rng);
            tui.send(keys);
            thread::sleep(Duration::from_millis(15));
        }
        thread::sleep(Duration::from_millis(60));
        let before = load(data, &id);
        // ... then a burst, and SIGKILL at a random moment inside it (most keys save) or
        // just after it.
        for _ in 0..1 + rng.below(6) {
            let keys = next_keys(&tui.screen(), &mut rng);
            tui.send(keys);
        }
        let wait = if rng.below(2) == 0 { 3_000 } else { 30_000 };
        thread::sleep(Duration::from_micros(rng.below(wait)));
        tui.signal(Signal::SIGKILL);
        tui.wait_exit();
        drop(tui);

        if !temp_files(data).is_empty() {
            mid_write += 1;
        }
        assert!(
            temp_files_of(data, &id).len() <= 1,
            "temp files pile up: {:?}",
            temp_files(data)
        );
        let after = load(data, &id);
        assert!(
            after.log.len() >= before.log.len() && after.log[..before.log.len()] == before.log[..],
            "kill {kill}: the saved log lost entries ({} before, {} after)",
            before.log.len(),
            after.log.len()
        );
        // No key here goes back, so every step walked before stays walked.
        assert!(
            before.trail.iter().all(|s| after.trail.contains(s)),
            "kill {kill}: steps completed before the last save are gone: {:?} then {:?}",
            before.trail,
            after.trail
        );
        steps += after.trail.len().saturating_sub(before.trail.len());
        if after.state.is_finished() {
            finished += 1;
            current = None;
        }
    }
    // Every case still lists and the last one resumes; a listing that may write sweeps
    // the temp files of every case nobody holds.
    assert!(!listed(data).is_empty());
    let (_, damaged) = Store::open(data).unwrap().list();
    assert!(damaged.is_empty(), "damaged after the kills: {damaged:?}");
    assert!(
        temp_files(data).is_empty(),
        "temp files survived a listing: {:?}",
        temp_files(data)
    );
    if let Some(id) = current {
        let mut tui = Tui::spawn(data, &["resume", &id]);
        tui.wait_for("Picked up where you left off.");
        tui.send("\x03");
        assert!(tui.wait_exit().success());
    }
    eprintln!(
        "SIGKILL: {KILLS} kills, {resumed} resumes, {steps} steps completed between kills, \
         {finished} cases walked to an end, {mid_write} kills left a temp file, {} case \
         files, in {:.1?}",
        listed(data).len(),
        started.elapsed()
    );
}

/// Walks Huabei to its checklist and ticks an item (saved), types a half answer.
fn huabei_at_step_two(data: &Path) -> Tui {
    let mut tui = Tui::spawn(data, &["--product", "huabei"]);
    tui.wait_for("Before you close Huabei");
    tui.send(ENTER);
    tui.wait_for_all(&["Find Huabei in Alipay", "[ ] On that page"]);
    tui.send(" ");
    tui.wait_for("[✓] Open Alipay");
    tui
}

#[test]
fn sigterm_and_sighup_save_the_case_and_give_the_terminal_back() {
    for (signal, name) in [(Signal::SIGTERM, "SIGTERM"), (Signal::SIGHUP, "SIGHUP")] {
        let data = tempfile::tempdir().unwrap();
        let mut tui = huabei_at_step_two(data.path());
        tui.signal(signal);
        let status = tui.wait_exit();
        assert_eq!(
            status.exit_code(),
            128 + signal as u32,
            "{name}: exit status {status:?}"
        );
        tui.assert_terminal_restored();
        let screen = tui.screen();
        assert!(screen.contains(&format!("stopped by {name}")), "{screen}");
        assert!(screen.contains("Your case is saved in"), "{screen}");

        let id = case_id(data.path());
        let case = load(data.path(), &id);
        assert_eq!(case.step, "find", "{name}");
        let last = &case.log.last().expect("a log").event;
        assert_eq!(format!("{last:?}"), "Quit", "{name}: the stop is logged");
        assert!(
            format!("{:?}", case.log).contains("Ticked"),
            "{name}: the tick before the signal is saved"
        );
    }
}

#[test]
fn a_panic_gives_the_terminal_back_and_names_the_case_file() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_env(
        data.path(),
        &["--product", "weilidai"],
        "en_US.UTF-8",
        80,
        24,
        &[
            ("XIAOHU_TEST_PANIC_AFTER_KEYS", "2"),
            ("RUST_BACKTRACE", "0"),
        ],
    );
    tui.wait_for("Before you close Weilidai");
    tui.send(ENTER);
    tui.wait_for("Find Weilidai in WeChat");
    tui.send(" ");
    tui.wait_for("[✓] Open WeChat");
    tui.send(" "); // the third key trips the switch
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 101, "a panic exits 101: {status:?}");
    tui.assert_terminal_restored();
    let screen = tui.screen();
    let file = case_file(data.path());
    let flat = screen.replace('\n', "");
    assert!(screen.contains("test-only panic switch"), "{screen}");
    assert!(
        flat.contains(&file.display().to_string()),
        "the message names {}:\n{screen}",
        file.display()
    );
    // And the case resumes where it was.
    let case = load(data.path(), &case_id(data.path()));
    assert_eq!(case.step, "find");
}

/// The panic above unwinds through the unwinder linked into the program (`build.rs`,
/// `static_unwinder`): the program names no `libgcc_s.so.1` to load, on Linux with glibc
/// where GCC has the static one.
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn the_program_loads_no_shared_unwinder() {
    if option_env!("XIAOHU_SHARED_UNWINDER").is_some() {
        return;
    }
    let cc = option_env!("CC").unwrap_or("cc");
    let found = std::process::Command::new(cc)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .map(|o| Path::new(String::from_utf8_lossy(&o.stdout).trim()).is_absolute())
        .unwrap_or(false);
    if !found {
        return;
    }
    let program = fs::read(env!("CARGO_BIN_EXE_xiaohu")).unwrap();
    // A needed library is named in the dynamic string table; nothing else in the program
    // spells this name.
    let name = b"libgcc_s.so.1";
    assert!(
        !program.windows(name.len()).any(|w| w == name),
        "the program still loads the shared unwinder"
    );
}

#[test]
fn a_lock_is_released_when_its_holder_is_killed() {
    let data = tempfile::tempdir().unwrap();
    let mut first = Tui::spawn(data.path(), &["--product", "jiebei"]);
    wait_for_a_step(&mut first);
    let id = case_id(data.path());
    let mut second = Tui::spawn(data.path(), &["resume", &id]);
    let status = second.wait_exit();
    assert!(!status.success());
    assert!(
        second.screen().contains("open in another terminal"),
        "{}",
        second.screen()
    );
    drop(second);

    first.signal(Signal::SIGKILL);
    first.wait_exit();
    let mut third = Tui::spawn(data.path(), &["resume", &id]);
    third.wait_for("Picked up where you left off.");
    third.send("q");
    assert!(third.wait_exit().success());
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// 白条 begun on `data` by a shell that set `umask` first, at its first step.
#[cfg(unix)]
fn baitiao_under_umask(umask: &str, data: &Path) -> Tui {
    let mut cmd = CommandBuilder::new("sh");
    let script = format!("umask {umask}; exec \"$0\" \"$@\"");
    cmd.args(["-c", &script, BIN, "--product", "baitiao"]);
    let mut tui = Tui::spawn_command(cmd, data, "en_US.UTF-8", 80, 24);
    wait_for_a_step(&mut tui);
    tui
}

#[cfg(unix)]
#[test]
fn files_are_private_even_under_umask_000() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("fresh");
    let mut tui = baitiao_under_umask("000", &data);
    tui.send(ENTER);
    thread::sleep(Duration::from_millis(200));
    tui.send("e"); // nothing to export mid-way: no receipt
    // The lock file exists while the case is open (its holder removes it on the way out).
    let lock = case_file(&data).with_extension("lock");
    assert_eq!(mode(&lock), 0o600, "{}", lock.display());
    tui.send("q");
    assert!(tui.wait_exit().success());
    assert_eq!(mode(&data), 0o700, "the data dir");
    assert_eq!(mode(&data.join("cases")), 0o700, "the cases dir");
    let file = case_file(&data);
    assert_eq!(mode(&file), 0o600, "{}", file.display());
    assert!(!lock.exists(), "the lock file goes with the lock");
}

/// A umask that takes the owner's own bits (0277 leaves a new folder 0500, a new file
/// 0400): the folders xiaohu makes are set to 0700 and its files to 0600 all the same (the
/// owner must be able to write in them and open them again), and missing parents are made
/// on the way.
#[cfg(unix)]
#[test]
fn folders_are_0700_under_a_umask_that_takes_the_owners_bits() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("not").join("yet").join("data");
    let mut tui = baitiao_under_umask("0277", &data);
    // A lock file its owner could not open again (0400) would keep the case from being
    // resumed once a killed holder left it behind.
    let lock = case_file(&data).with_extension("lock");
    assert_eq!(mode(&lock), 0o600, "{}", lock.display());
    tui.send("q");
    assert!(tui.wait_exit().success());
    assert_eq!(mode(&data), 0o700, "the data dir");
    assert_eq!(mode(&data.join("cases")), 0o700, "the cases dir");
    assert_eq!(mode(&case_file(&data)), 0o600, "the case file");
}

#[test]
fn a_data_dir_deleted_while_running_is_made_again_and_the_case_saved() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    let mut tui = huabei_at_step_two(&data);
    fs::remove_dir_all(&data).unwrap();
    tui.send(" ");
    tui.wait_for("[ ] Open Alipay");
    thread::sleep(Duration::from_millis(200));
    let case = load(&data, &case_id(&data));
    let ticks = format!("{:?}", case.log).matches("Ticked").count();
    assert_eq!(ticks, 2, "both ticks are on disk again");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

/// Makes `dir` refuse writes for real: chmod for a normal user; root ignores permissions,
/// so as root a read-only bind mount (if this machine lets us mount). `None`: not possible.
fn make_read_only(dir: &Path) -> Option<Box<dyn FnOnce()>> {
    let root = nix::unistd::Uid::effective().is_root();
    let dir = dir.to_path_buf();
    if !root {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o500)).unwrap();
        return Some(Box::new(move || {
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
        }));
    }
    let d = dir.to_str().unwrap();
    let ok = |args: &[&str]| {
        std::process::Command::new("mount")
            .args(args)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !ok(&["--bind", d, d]) {
        return None;
    }
    if !ok(&["-o", "remount,bind,ro", d, d]) {
        let _ = std::process::Command::new("umount").arg(d).status();
        return None;
    }
    Some(Box::new(move || {
        let _ = std::process::Command::new("umount").arg(&dir).status();
    }))
}

#[cfg(unix)]
#[test]
fn a_read_only_data_dir_keeps_the_case_in_memory_and_retries() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = huabei_at_step_two(data.path());
    let file = case_file(data.path());
    let before = fs::read(&file).unwrap();
    let Some(undo) = make_read_only(&cases_dir(data.path())) else {
        eprintln!("SKIPPED: root without mount permission; the injected-error tests cover it");
        tui.send("q");
        return;
    };
    tui.send(" ");
    tui.wait_for("Could not save");
    let screen = tui.screen().replace('\n', " ");
    assert!(
        screen.contains("Read-only") || screen.contains("Permission denied"),
        "the reason is shown:\n{screen}"
    );
    assert_eq!(
        fs::read(&file).unwrap(),
        before,
        "the saved file is untouched"
    );
    // A first quit is held back with a warning.
    tui.send("q");
    tui.wait_for("Still not saved");
    assert!(tui.is_running());
    undo();
    // The retry (every 3 s) lands without a key.
    tui.wait_for_all(&["Find Huabei in Alipay"]);
    let deadline = Instant::now() + Duration::from_secs(8);
    while tui.screen().contains("not saved") || tui.screen().contains("Could not save") {
        assert!(
            Instant::now() < deadline,
            "never retried:\n{}",
            tui.screen()
        );
        thread::sleep(Duration::from_millis(100));
    }
    assert_ne!(fs::read(&file).unwrap(), before, "the retry wrote the case");
    tui.send("q");
    assert!(tui.wait_exit().success());
    assert!(
        format!("{:?}", load(data.path(), &case_id(data.path())).log).contains("Ticked"),
        "the tick made while read-only is on disk"
    );
}

#[cfg(unix)]
#[test]
fn a_full_disk_keeps_the_case_in_memory_and_retries() {
    if !nix::unistd::Uid::effective().is_root() {
        eprintln!("SKIPPED: a tiny tmpfs needs root; the injected-error tests cover it");
        return;
    }
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("tiny");
    fs::create_dir(&data).unwrap();
    let d = data.to_str().unwrap();
    let mounted = std::process::Command::new("mount")
        // mode=0700: a data dir others may write in is refused.
        .args(["-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", d])
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("SKIPPED: this machine does not allow mounting a tmpfs");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(data.clone());

    let mut tui = huabei_at_step_two(&data);
    let file = case_file(&data);
    let before = fs::read(&file).unwrap();
    // Fill the disk.
    let filler = data.join("filler");
    let mut f = fs::File::create(&filler).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    drop(f);
    tui.send(" ");
    tui.wait_for("Could not save");
    assert!(
        tui.screen().replace('\n', " ").contains("No space left"),
        "{}",
        tui.screen()
    );
    assert_eq!(
        fs::read(&file).unwrap(),
        before,
        "the saved file is untouched"
    );
    fs::remove_file(&filler).unwrap();
    let deadline = Instant::now() + Duration::from_secs(8);
    while tui.screen().contains("Could not save") {
        assert!(
            Instant::now() < deadline,
            "never retried:\n{}",
            tui.screen()
        );
        thread::sleep(Duration::from_millis(100));
    }
    tui.send("q");
    assert!(tui.wait_exit().success());
    assert!(temp_files(&data).is_empty(), "no temp file is left");
    assert!(format!("{:?}", load(&data, &case_id(&data)).log).contains("Ticked"));
}

#[test]
fn idle_reset_returns_to_the_start_page_saving_or_dropping_the_case() {
    for demo in [false, true] {
        let data = tempfile::tempdir().unwrap();
        let mut args = vec!["--idle-reset", "1", "--product", "huabei"];
        if demo {
            args.push("--demo");
        }
        let mut tui = Tui::spawn(data.path(), &args);
        tui.wait_for("Before you close Huabei");
        tui.send(ENTER);
        tui.wait_for("Find Huabei in Alipay");
        tui.send("a"); // the agent panel: it must go too
        tui.wait_for("For the agent");
        // No key for a second: back to the start page with nothing of the case on it.
        tui.wait_for("Start a new closure");
        let screen = tui.screen();
        assert!(!screen.contains("For the agent"), "{screen}");
        assert!(!screen.contains("step 2/"), "{screen}");
        tui.send("q");
        assert!(tui.wait_exit().success());
        if demo {
            assert!(
                !data.path().join("cases").exists(),
                "demo mode wrote a case"
            );
        } else {
            assert_eq!(load(data.path(), &case_id(data.path())).step, "find");
        }
    }
}

/// Closing the window: the pty's master goes away while xiaohu waits for a key. crossterm's
/// reader would spin on the endless EOF; xiaohu must notice the hang-up, save and exit.
#[test]
fn closing_the_terminal_saves_the_case_and_exits() {
    use portable_pty::{PtySize, native_pty_system};
    use std::io::Read;
    let data = tempfile::tempdir().unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(["--product", "huabei"]);
    cmd.env("XIAOHU_DATA_DIR", data.path());
    cmd.env("LANG", "en_US.UTF-8");
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    // Read the first frame here, then close every handle on the master side.
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("Huabei") {
        let n = reader.read(&mut buf).unwrap();
        assert!(n > 0, "no first frame");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    thread::sleep(Duration::from_millis(300));
    drop(reader);
    drop(pair.master); // the window closes

    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("xiaohu kept running after its terminal closed");
        }
        thread::sleep(Duration::from_millis(50));
    }
    let case = load(data.path(), &case_id(data.path()));
    let last = &case.log.last().expect("a log").event;
    assert_eq!(
        format!("{last:?}"),
        "Quit",
        "the hang-up is logged and saved"
    );
}
