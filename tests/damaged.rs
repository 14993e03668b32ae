//! Damaged and foreign case files: truncated, empty, binary, another schema (older and
//! newer), a product the content no longer has, a case started under other content. Each
//! is named with what to do; none is changed; the other cases still list and open.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use support::*;
use xiaohu::content::{Content, Lang};
use xiaohu::store::Store;
use xiaohu::wizard::{Action, Case, Effect, Model, update};

fn new_case(product: &str, at: &str) -> Case {
    let content = Content::builtin().unwrap();
    let mut model = Model::new(Lang::En, false);
    let now = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    let effects = update(
        &mut model,
        &content,
        Action::StartProduct(product.into()),
        now,
    );
    match effects.into_iter().next() {
        Some(Effect::Save(case)) => *case,
        other => panic!("expected a save, got {other:?}"),
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    data: PathBuf,
    good: String,
    gone: String,
    changed: String,
    /// Damaged file name → what the listing must say about it.
    damaged: BTreeMap<&'static str, &'static str>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let store = Store::open(&data).unwrap();
        let cases = data.join("cases");

        let good = new_case("weilidai", "2026-11-20T09:00:00+08:00");
        store.create(&good).unwrap();
        let text = fs::read_to_string(cases.join(format!("{}.toml", good.id))).unwrap();

        let mut gone = new_case("huabei", "2026-11-20T09:00:01+08:00");
        gone.id = xiaohu::wizard::CaseId::parse("20261120-090001-douyin-yuefu").unwrap();
        gone.product = "douyin-yuefu".into();
        store.create(&gone).unwrap();

        let mut changed = new_case("jiebei", "2026-11-20T09:00:02+08:00");
        changed.content_fingerprint = "0123456789abcdef".into();
        store.create(&changed).unwrap();

        let mut damaged = BTreeMap::new();
        let mut put = |name: &'static str, bytes: Vec<u8>, says: &'static str| {
            fs::write(cases.join(name), bytes).unwrap();
            damaged.insert(name, says);
        };
        put(
            "20261120-090003-huabei.toml",
            text.as_bytes()[..text.len() / 2].to_vec(),
            "restore it from a backup",
        );
        put(
            "20261120-090004-huabei.toml",
            Vec::new(),
            "the file is empty",
        );
        put(
            "20261120-090005-huabei.toml",
            (0..512u32).map(|i| (i * 151 % 256) as u8).collect(),
            "not UTF-8",
        );
        let with_schema = |n: i64, id: &str| {
            text.replacen("schema = 1", &format!("schema = {n}"), 1)
                .replace(good.id.as_str(), id)
                .into_bytes()
        };
        put(
            "20261120-090006-weilidai.toml",
            with_schema(0, "20261120-090006-weilidai"),
            "older than this xiaohu reads",
        );
        put(
            "20261120-090007-weilidai.toml",
            with_schema(2, "20261120-090007-weilidai"),
            "update xiaohu to open it",
        );
        Fixture {
            _dir: dir,
            data,
            good: good.id.to_string(),
            gone: gone.id.to_string(),
            changed: changed.id.to_string(),
            damaged,
        }
    }

    /// Every file in the cases folder with its bytes (lock files aside: taking a lock may
    /// create one, and that is not touching a case).
    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        fs::read_dir(self.data.join("cases"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| (name(&p), fs::read(&p).unwrap()))
            .collect()
    }
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

fn run(data: &Path, args: &[&str]) -> (bool, String, String) {
    let output = cli(data).args(args).output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_cli_names_each_damaged_file_says_what_to_do_and_changes_nothing() {
    let f = Fixture::new();
    let before = f.snapshot();

    let (ok, stdout, stderr) = run(&f.data, &["sessions"]);
    assert!(ok, "{stderr}");
    for id in [&f.good, &f.gone, &f.changed] {
        assert!(stdout.contains(id.as_str()), "{id} is listed:\n{stdout}");
    }
    for (file, says) in &f.damaged {
        let line = stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} is not named:\n{stderr}"));
        assert!(line.contains(says), "{file}: {line}");
        assert!(line.contains("Left untouched"), "{file}: {line}");
    }

    // Opening, reading or exporting a damaged file is refused with its name, untouched.
    for file in f.damaged.keys() {
        let id = file.trim_end_matches(".toml");
        for command in ["resume", "log", "export"] {
            let (ok, _, stderr) = run(&f.data, &[command, id]);
            assert!(!ok, "`{command} {id}` succeeded");
            assert!(stderr.contains(file), "`{command} {id}`: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
    let (_, _, newer) = run(&f.data, &["resume", "20261120-090007-weilidai"]);
    assert!(newer.contains("newer xiaohu"), "{newer}");

    // The readable cases still read; one of a product the content lacks says what to pass.
    for id in [&f.good, &f.changed] {
        let (ok, stdout, stderr) = run(&f.data, &["log", id]);
        assert!(ok && !stdout.is_empty(), "log {id}: {stderr}");
    }
    let (ok, stdout, stderr) = run(&f.data, &["log", &f.gone]);
    assert!(!ok && stdout.is_empty(), "log {}: {stdout}", f.gone);
    assert!(stderr.contains("--content DIR"), "{stderr}");
    assert_eq!(f.snapshot(), before, "a file changed");
}

#[test]
fn the_wizard_lists_them_and_still_opens_the_good_cases() {
    let f = Fixture::new();
    let before = f.snapshot();
    let mut tui = Tui::spawn_with(&f.data, &[], "en_US.UTF-8", 160, 50);
    tui.wait_for("Cannot be read");
    // The frame may arrive in pieces: wait for each name before reading the screen.
    for file in f.damaged.keys() {
        tui.wait_for(file);
    }
    let screen = tui.screen();
    for file in f.damaged.keys() {
        assert!(
            screen.contains(file),
            "{file} is not on the start page:\n{screen}"
        );
    }
    tui.send("q");
    assert!(tui.wait_exit().success());
    drop(tui);
    assert_eq!(f.snapshot(), before, "listing changed a file");

    // A product the content no longer has: said plainly, file kept as it is.
    let mut tui = Tui::spawn(&f.data, &["resume", &f.gone]);
    tui.wait_for("content in use does not have");
    tui.send("q");
    assert!(tui.wait_exit().success());
    drop(tui);
    assert_eq!(f.snapshot(), before, "the unknown product's file changed");

    // Started under other content: it opens and says so; changed steps are asked again.
    let mut tui = Tui::spawn(&f.data, &["resume", &f.changed]);
    tui.wait_for("The content changed since this case began");
    tui.send("q");
    assert!(tui.wait_exit().success());
    drop(tui);

    // And the good one resumes.
    let mut tui = Tui::spawn(&f.data, &["resume", &f.good]);
    tui.wait_for("Picked up where you left off.");
    tui.send("q");
    assert!(tui.wait_exit().success());
    drop(tui);

    let after = f.snapshot();
    for file in f.damaged.keys() {
        assert_eq!(after[*file], before[*file], "{file} changed");
    }
}
