//! Untrusted names and paths: case ids that try to leave the data dir, absolute paths,
//! NUL bytes, very long names and non-UTF-8 bytes are refused with a message, and nothing
//! is written outside the data dir.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use xiaohu::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_xiaohu");

fn xiaohu(data: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("LC_ALL")
        .env("LANG", "en_US.UTF-8")
        .env("XIAOHU_DATA_DIR", data)
        .timeout(std::time::Duration::from_secs(10));
    cmd
}

/// Every path under `root`, relative to it.
fn tree(root: &Path) -> BTreeSet<PathBuf> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeSet<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            out.insert(path.strip_prefix(root).unwrap().to_path_buf());
            if path.is_dir() {
                walk(&path, root, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(root, root, &mut out);
    out
}

fn refused(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "accepted: {cmd:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !stderr.trim().is_empty(),
        "refused without a message: {cmd:?}"
    );
    stderr
}

#[test]
fn hostile_case_ids_are_refused_and_nothing_is_written_outside_the_data_dir() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(parent.path().join("secret.toml"), "keep = true").unwrap();
    let before = tree(parent.path());

    let long = "a".repeat(300);
    let hostile = [
        "../secret",
        "../../etc/passwd",
        "/etc/passwd",
        "/tmp/x",
        "a/b",
        "..",
        ".",
        "-rf",
        long.as_str(),
        "a b",
        "a\\b",
        "%2e%2e%2fsecret",
        "20261120-093000-weilidai/../../secret",
    ];
    for id in hostile {
        for command in ["resume", "log", "export"] {
            let stderr = refused(xiaohu(&data).args([command, "--", id]));
            assert!(
                stderr.contains("is not a case id"),
                "`{command} {id}`: {stderr}"
            );
        }
    }
    // Bytes that are not UTF-8: clap refuses them before xiaohu sees them.
    let stderr = refused(
        xiaohu(&data)
            .arg("log")
            .arg(OsStr::from_bytes(b"case-\xff\xfe")),
    );
    assert!(stderr.contains("UTF-8"), "{stderr}");

    let after = tree(parent.path());
    let outside: Vec<_> = after
        .difference(&before)
        .filter(|p| !p.starts_with("data"))
        .collect();
    assert!(
        outside.is_empty(),
        "written outside the data dir: {outside:?}"
    );
    assert_eq!(
        std::fs::read_to_string(parent.path().join("secret.toml")).unwrap(),
        "keep = true"
    );
}

#[test]
fn nul_bytes_never_reach_a_path() {
    // argv and the environment cannot carry NUL, so the library is the only way in.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for id in ["a\0b", "\0", "20261120-093000-weilidai\0../x"] {
        assert!(store.case_path(id).is_err(), "{id:?}");
        assert!(store.lock(id).is_err(), "{id:?}");
        assert!(store.load(id).is_err(), "{id:?}");
        assert!(store.write_receipt(id, "txt", "x").is_err(), "{id:?}");
    }
    assert_eq!(tree(dir.path()), BTreeSet::from([PathBuf::from("cases")]));
}

#[test]
fn data_and_content_paths_must_be_plain_text_and_of_sane_length() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    let not_utf8 = parent.path().join(OsStr::from_bytes(b"d\xffata"));
    let long = parent.path().join("x".repeat(300));

    let stderr = refused(
        xiaohu(&data)
            .arg("--data-dir")
            .arg(&not_utf8)
            .arg("sessions"),
    );
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    let stderr = refused(xiaohu(&not_utf8).arg("sessions"));
    assert!(stderr.contains("XIAOHU_DATA_DIR"), "{stderr}");
    let stderr = refused(xiaohu(&data).arg("--data-dir").arg(&long).arg("sessions"));
    assert!(stderr.contains("too long"), "{stderr}");
    let stderr = refused(xiaohu(&data).arg("--content").arg(&not_utf8).arg("list"));
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    let stderr = refused(xiaohu(&data).arg("check").arg(&long));
    assert!(stderr.contains("too long"), "{stderr}");
    let stderr = refused(
        xiaohu(&data)
            .arg("--content")
            .arg("../../nowhere")
            .arg("list"),
    );
    assert!(stderr.contains("nowhere"), "names the folder: {stderr}");
    assert!(tree(parent.path()).is_empty(), "{:?}", tree(parent.path()));
}
