//! Several terminals on one data dir at once: the cases they start are all kept, each under
//! an id of its own, and none removes or replaces what another wrote (docs/RELIABILITY.md).

mod support;

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use support::BIN;

/// Every process starts "in the same second": the debug build's frozen clock.
const CLOCK: &str = "2026-12-01T18:42:08+08:00";
const ID: &str = "20261201-184208-huabei";

fn plain_huabei(data: &std::path::Path) -> Child {
    Command::new(BIN)
        .args([
            "--plain",
            "--lang",
            "en",
            "--product",
            "huabei",
            "--data-dir",
        ])
        .arg(data)
        .env("XIAOHU_TEST_CLOCK", CLOCK)
        .env_remove("LC_ALL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// (id, step) of every case file but `skip`.
fn cases(data: &std::path::Path, skip: Option<&std::path::Path>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(data.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && Some(p.as_path()) != skip)
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let case: toml::Table = toml::from_str(&text).unwrap();
            let id = case["id"].as_str().unwrap().to_owned();
            assert_eq!(p.file_stem().unwrap().to_str(), Some(id.as_str()));
            (id, case["step"].as_str().unwrap().to_owned())
        })
        .collect();
    out.sort();
    out
}

fn wait(child: Child) -> std::process::Output {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut child = child;
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "a process did not end");
        thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Five processes start 花呗 in the same second and stay open together: four walk a
/// different distance (0, 1, 3 and 4 answers), one leaves its case at once (`b`, which
/// discards an untouched case). Four cases remain, each at its own step, each file holding
/// the case of its name; every farewell names the file that holds that person's case.
#[test]
fn processes_starting_one_product_in_one_second_keep_a_case_each() {
    let data = tempfile::tempdir().unwrap();
    let walks: [(&[&str], &str); 5] = [
        (&[], "intro"),
        (&[""], "find"),
        (&["", "y", "y"], "status"),
        (&["", "y", "y", "1"], "debt"),
        (&["b"], ""),
    ];
    let mut children: Vec<Child> = walks.iter().map(|_| plain_huabei(data.path())).collect();
    for (child, (answers, _)) in children.iter_mut().zip(&walks) {
        let stdin = child.stdin.as_mut().unwrap();
        for answer in *answers {
            writeln!(stdin, "{answer}").unwrap();
        }
    }
    // Every process holds its case open until all have answered: none of them may take
    // an id another has, whichever got there first.
    thread::sleep(Duration::from_millis(1500));
    let mut outputs = Vec::new();
    for mut child in children {
        drop(child.stdin.take());
        outputs.push(wait(child));
    }
    let found = cases(data.path(), None);
    let mut steps: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
    steps.sort();
    assert_eq!(steps, ["debt", "find", "intro", "status"], "{found:?}");
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    assert!(ids.contains(&ID), "{ids:?}");
    for id in &ids {
        assert!(
            *id == ID || id.strip_prefix(ID).is_some_and(|n| n.starts_with('-')),
            "{id}"
        );
    }
    // What each person is told is where their own case is.
    for (output, (_, step)) in outputs.iter().zip(&walks) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if step.is_empty() {
            assert!(!stderr.contains("saved in"), "{stderr}");
            continue;
        }
        let (_, path) = stderr
            .split_once("saved in ")
            .unwrap_or_else(|| panic!("no farewell: {stderr}"));
        let path = path.trim().trim_end_matches('.');
        let case: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(case["step"].as_str(), Some(*step), "{path}");
    }
    // No lock file is left behind once everyone has gone.
    let locks: Vec<_> = std::fs::read_dir(data.path().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".lock"))
        .collect();
    assert!(locks.is_empty(), "{locks:?}");
}

/// A damaged file already has the next id (the clock went back, or a copy was left): a new
/// case steps over it, and the damaged file is left as it was.
#[test]
fn a_damaged_file_with_the_next_id_does_not_block_new_cases() {
    let data = tempfile::tempdir().unwrap();
    let cases_dir = data.path().join("cases");
    std::fs::create_dir_all(&cases_dir).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for d in [data.path(), cases_dir.as_path()] {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
    }
    let damaged = cases_dir.join(format!("{ID}.toml"));
    std::fs::write(&damaged, "half a ca").unwrap();
    let mut child = plain_huabei(data.path());
    writeln!(child.stdin.as_mut().unwrap()).unwrap();
    drop(child.stdin.take());
    let output = wait(child);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        !stderr.contains("lost") && !stderr.contains("os error"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&damaged).unwrap(), b"half a ca");
    let found = cases(data.path(), Some(&damaged));
    assert_eq!(found, [(format!("{ID}-2"), "find".to_owned())]);
}
