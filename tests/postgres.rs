//! The shared case book on a real PostgreSQL server that each test starts itself
//! (`support/pg.rs`): the store's promises, desks racing for a case, a desk killed, the
//! server restarted mid-case, many desks saving at once, the same walk in both stores, and
//! `store copy` between them. Without the server binaries each test says SKIPPED.

#[path = "support/pg.rs"]
mod pg;
mod support;

use std::process::Command as Process;
use std::thread;
use std::time::Duration;

use pg::{Cluster, within};
use support::*;
use xiaohu::content::Content;
use xiaohu::store::contract::{a_case, keeps_its_promises};
use xiaohu::store::{CaseStore, FileCases, PgCases, Store, StoreError};
use xiaohu::wizard::worklist::Ask;
use xiaohu::wizard::{Action, CaseId, Effect, Event, Model, update};

macro_rules! cluster {
    () => {
        match Cluster::start() {
            Some(cluster) => cluster,
            None => return,
        }
    };
}

fn desk(url: &str, name: &str) -> PgCases {
    PgCases::new(url, name).expect("a connection string")
}

/// The CLI on the case book, as desk `name`.
fn cli_at(url: &str, name: &str) -> assert_cmd::Command {
    let nowhere = std::path::Path::new("/nonexistent/xiaohu-data");
    let mut cmd = cli(nowhere);
    cmd.env("XIAOHU_STORE", url).env("XIAOHU_DESK", name);
    cmd
}

#[test]
fn the_case_book_keeps_the_promises() {
    let cluster = cluster!();
    let url = cluster.database("contract");
    keeps_its_promises(
        Box::new(desk(&url, "desk one")),
        Box::new(desk(&url, "desk two")),
    );

    // The schema was made by xiaohu, under a version table; indexes serve the queues.
    let mut sql = cluster.client("contract");
    let version: i32 = sql
        .query_one("SELECT version FROM xiaohu_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 3);
    let indexes: Vec<String> = sql
        .query(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'xiaohu_cases'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for wanted in [
        "queue", "expected", "updated", "customer", "active", "worklist",
    ] {
        assert!(
            indexes.iter().any(|i| i.contains(wanted)),
            "{wanted}: {indexes:?}"
        );
    }
}

#[test]
fn a_held_case_names_its_desk_and_a_lost_connection_frees_it() {
    let cluster = cluster!();
    let url = cluster.database("desks");
    let mut a = desk(&url, "柜台 A");
    let mut b = desk(&url, "desk B");
    let case = a_case("2026-12-01T18:42:08+08:00");
    let id = a.save(&case, true).unwrap();
    match b.open(&id) {
        Err(StoreError::LockedAt { desk, .. }) => assert_eq!(desk, "柜台 A"),
        other => panic!("expected the desk named, got {other:?}"),
    }
    assert_eq!(b.held_elsewhere(&id).as_deref(), Some("柜台 A"));

    // A's connection is cut (what a dead network or an admin does): the server lets go
    // of its lock at once, and B takes the case.
    let mut sql = cluster.client("desks");
    sql.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name LIKE 'xiaohu %A%'",
        &[],
    )
    .unwrap();
    let took = within(Duration::from_secs(5), || b.open(&id).is_ok());
    assert!(
        took.is_some(),
        "the case stayed held after its desk's connection was cut"
    );

    // A's next save connects again and tries to take its case back: B has it, so A is
    // refused, named B, and writes nothing.
    let mut later = case.clone();
    later.log(later.updated, Event::Quit);
    match a.save(&later, true) {
        Err(StoreError::LockedAt { desk, .. }) => assert_eq!(desk, "desk B"),
        other => panic!("expected desk B named, got {other:?}"),
    }
    assert_eq!(b.read(&id).unwrap().log.len(), case.log.len());
}

#[test]
fn a_damaged_or_newer_row_is_listed_and_never_changed() {
    let cluster = cluster!();
    let url = cluster.database("damaged");
    let mut a = desk(&url, "A");
    let case = a_case("2026-12-01T18:42:08+08:00");
    let id = a.save(&case, false).unwrap();
    let other = a.save(&a_case("2026-12-01T18:43:00+08:00"), false).unwrap();
    let newer = a.save(&a_case("2026-12-01T18:44:00+08:00"), false).unwrap();
    let mut sql = cluster.client("damaged");
    sql.execute(
        "UPDATE xiaohu_cases SET body = 'not a case' WHERE id = $1",
        &[&id.as_str()],
    )
    .unwrap();
    sql.execute(
        "UPDATE xiaohu_cases SET body = replace(body, 'schema = 1', 'schema = 99') WHERE id = $1",
        &[&newer.as_str()],
    )
    .unwrap();
    // A body far larger than any case: listed as damaged, never fetched.
    let huge = a.save(&a_case("2026-12-01T18:45:00+08:00"), false).unwrap();
    sql.execute(
        "UPDATE xiaohu_cases SET body = body || repeat('#', 5000000) WHERE id = $1",
        &[&huge.as_str()],
    )
    .unwrap();
    // A row without its seal (written before schema 2, or its body replaced by a tool
    // that knows no better) is read whole, not from columns that may no longer be its own.
    sql.execute(
        "UPDATE xiaohu_cases SET seal = NULL, state = 'closed', customer = 'not theirs'
         WHERE id = $1",
        &[&other.as_str()],
    )
    .unwrap();
    // Its columns say a review due today; its body, a case in progress.
    let moved = a.save(&a_case("2026-12-01T18:46:00+08:00"), false).unwrap();
    sql.execute(
        "UPDATE xiaohu_cases SET seal = NULL, state = 'in_review', expected = '2026-12-02'
         WHERE id = $1",
        &[&moved.as_str()],
    )
    .unwrap();
    let mut b = desk(&url, "B");
    let (listed, damaged) = b.list();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!((&listed[0].id, &listed[1].id), (&other, &moved));
    assert_eq!(listed[0], b.read(&other).unwrap().summary());
    assert_eq!(listed[1], b.read(&moved).unwrap().summary());
    let (mut active, _) = b.list_active();
    active.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(active, listed, "still on the worklist, as its body says");
    // The worklist's page counts and lists it by its body too, and lists the damage.
    let content = Content::builtin().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-02T10:00:00+08:00").unwrap();
    let mut page = b.worklist(&Ask::new(&content, "", now));
    page.cases.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(page.cases, listed);
    assert!(page.is_whole(), "{:?}", page.totals);
    assert_eq!(page.damaged.len(), 3, "{:?}", page.damaged);
    let page = b.worklist(&Ask::new(&content, "not theirs", now));
    assert!(
        page.cases.is_empty(),
        "searched by its body, not its columns"
    );
    assert_eq!(damaged.len(), 3, "{damaged:?}");
    assert!(
        damaged.iter().any(|(_, why)| why.contains("larger than")),
        "{damaged:?}"
    );
    assert!(matches!(b.read(&huge), Err(StoreError::Damaged { .. })));
    assert!(
        damaged.iter().any(|(_, why)| why.contains("newer xiaohu")),
        "{damaged:?}"
    );
    assert!(matches!(b.open(&id), Err(StoreError::Damaged { .. })));
    assert!(matches!(b.open(&newer), Err(StoreError::Newer { .. })));
    // The desk that wrote them cannot save over them either: not the rows it last wrote.
    assert!(a.save(&case, false).is_err());
    let body: String = sql
        .query_one(
            "SELECT body FROM xiaohu_cases WHERE id = $1",
            &[&id.as_str()],
        )
        .unwrap()
        .get(0);
    assert_eq!(body, "not a case");
}

#[test]
fn with_the_server_down_a_save_fails_as_a_fault_the_wizard_retries_and_then_lands() {
    let cluster = cluster!();
    let url = cluster.database("restart");
    let mut a = desk(&url, "A");
    let mut case = a_case("2026-12-01T18:42:08+08:00");
    let id = a.save(&case, true).unwrap();
    cluster.stop();
    case.log(case.updated, Event::Quit);
    let e = a.save(&case, true).unwrap_err();
    assert!(matches!(e, StoreError::Database { .. }), "{e:?}");
    assert_eq!(e.fault_kind(), xiaohu::wizard::FaultKind::Other);
    assert!(
        e.to_string().contains("cannot connect") || e.to_string().contains("closed"),
        "{e}"
    );
    // The worklist says why it is empty, and is not taken for the whole book: a search
    // typed meanwhile asks the server again.
    let content = Content::builtin().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-02T10:00:00+08:00").unwrap();
    let page = a.worklist(&Ask::new(&content, "", now));
    assert!(page.cases.is_empty() && !page.is_whole(), "{page:?}");
    assert_eq!(page.damaged.len(), 1, "{:?}", page.damaged);
    cluster.start_again();
    assert_eq!(a.worklist(&Ask::new(&content, "", now)).cases.len(), 1);
    // The retry connects again, takes its case's lock again, and saves.
    a.save(&case, true).unwrap();
    let mut b = desk(&url, "B");
    assert_eq!(b.read(&id).unwrap(), case);
    assert!(matches!(b.open(&id), Err(StoreError::LockedAt { .. })));
}

#[test]
fn nothing_connects_until_a_case_is_asked_for() {
    // A server that is not there: making the store must not fail, nor try.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("host={} dbname=none", dir.path().display());
    let mut store = desk(&url, "A");
    let e = store.read(&CaseId::parse("20261201-184208-weilidai").unwrap());
    assert!(matches!(e, Err(StoreError::Database { .. })), "{e:?}");
    assert!(PgCases::new("postgres://[::1", "A").is_err());
}

/// Two real desks (two processes) on one case: the second is refused, naming the first;
/// once the first is killed (`kill -9`), the case is free within seconds.
#[test]
fn two_desks_one_case_and_the_holder_killed() {
    let cluster = cluster!();
    let url = cluster.database("two");
    let nowhere = tempfile::tempdir().unwrap();
    let mut first = Tui::spawn_env(
        nowhere.path(),
        &["--product", "weilidai"],
        "en_US.UTF-8",
        80,
        24,
        &[("XIAOHU_STORE", &url), ("XIAOHU_DESK", "desk A")],
    );
    first.wait_for("Before you close Weilidai");
    let sessions = stdout_of(cli_at(&url, "desk B").arg("sessions"));
    let id = sessions.split('\t').next().unwrap().to_owned();
    assert!(id.contains("weilidai"), "{sessions}");

    let output = cli_at(&url, "desk B")
        .args(["resume", &id])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("open at desk desk A"), "stderr: {stderr}");
    // `log` and `export` still read it.
    let log = stdout_of(cli_at(&url, "desk B").args(["log", &id]));
    assert!(log.contains("started: Weilidai"), "{log}");

    first.signal(nix::sys::signal::Signal::SIGKILL);
    let _ = first.wait_exit();
    let mut b = desk(&url, "desk B");
    let case_id = CaseId::parse(&id).unwrap();
    let freed = within(Duration::from_secs(5), || {
        b.held_elsewhere(&case_id).is_none()
    });
    assert!(freed.is_some(), "still held 5 s after its desk was killed");
    eprintln!("free {:?} after the kill", freed.unwrap());
    drop(b);

    let mut second = Tui::spawn_env(
        nowhere.path(),
        &["resume", &id],
        "en_US.UTF-8",
        80,
        24,
        &[("XIAOHU_STORE", &url), ("XIAOHU_DESK", "desk B")],
    );
    second.wait_for_all(&["Before you close Weilidai", "Picked up where you left off."]);
    second.send("q");
    assert!(second.wait_exit().success());
}

/// The server restarted while a case is on screen: the wizard keeps the case, says why,
/// retries, and once the server is back the case is saved with nothing lost.
#[test]
fn the_server_restarted_mid_case_loses_nothing() {
    let cluster = cluster!();
    let url = cluster.database("midcase");
    let nowhere = tempfile::tempdir().unwrap();
    let env = [("XIAOHU_STORE", url.as_str()), ("XIAOHU_DESK", "desk A")];
    let mut tui = Tui::spawn_env(
        nowhere.path(),
        &["--product", "weilidai"],
        "en_US.UTF-8",
        80,
        24,
        &env,
    );
    tui.wait_for_all(&["Before you close Weilidai", "step 1/11"]);
    cluster.stop();
    tui.send(ENTER);
    tui.wait_for_all(&["Find Weilidai in WeChat", "Could not save"]);
    // Two more steps' worth of answers, kept in memory while the server is down.
    tui.send(ENTER);
    tui.wait_for("[✓] Open WeChat and tap Me at the bottom");
    cluster.start_again();
    // Retried every few seconds: the notice goes once a save lands.
    let saved = within(Duration::from_secs(15), || {
        let mut cmd = cli_at(&url, "desk B");
        let out = cmd.arg("log").arg(id_in(&url)).output().unwrap();
        String::from_utf8_lossy(&out.stdout).contains("Tap")
            || String::from_utf8_lossy(&out.stdout).contains("ticked")
    });
    assert!(
        saved.is_some(),
        "not saved after the server came back:\n{}",
        tui.screen()
    );
    // The restart of a running server (pg_ctl restart) is the same: nothing lost.
    cluster.restart();
    tui.send(ENTER);
    thread::sleep(Duration::from_millis(300));
    tui.send("q");
    let _ = within(Duration::from_secs(15), || !tui.is_running());
    assert!(
        !tui.is_running(),
        "the wizard did not end:\n{}",
        tui.screen()
    );
    let mut b = desk(&url, "desk B");
    let id = CaseId::parse(&id_in(&url)).unwrap();
    let case = b.read(&id).unwrap();
    let ticked = case
        .log
        .iter()
        .filter(|e| matches!(e.event, Event::Ticked { .. }))
        .count();
    assert_eq!(ticked, 2, "{:#?}", case.log);
    assert!(
        case.log.iter().any(|e| matches!(e.event, Event::Quit)),
        "{:#?}",
        case.log
    );
}

/// The one case id in the case book.
fn id_in(url: &str) -> String {
    let sessions = stdout_of(cli_at(url, "look").arg("sessions"));
    let ids: Vec<&str> = sessions
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert_eq!(ids.len(), 1, "{sessions}");
    ids[0].to_owned()
}

/// One of the 8 desks of the next test, in its own process (this test binary run again).
#[test]
#[ignore = "run by eight_desks_save_a_thousand_steps_each"]
fn one_desk_saving_steps() {
    let Ok(url) = std::env::var("XIAOHU_TEST_PG_DESK") else {
        return;
    };
    let steps: usize = std::env::var("XIAOHU_TEST_PG_STEPS")
        .unwrap()
        .parse()
        .unwrap();
    let mut store = desk(&url, &format!("desk {}", std::process::id()));
    // All start the same product in the same second: each gets an id of its own.
    let mut case = a_case("2026-12-01T18:42:08+08:00");
    case.id = store.save(&case, true).unwrap();
    for n in 0..steps {
        case.log(
            case.updated,
            Event::Ticked {
                step: "find".into(),
                item: n,
                on: true,
            },
        );
        store.save(&case, true).unwrap();
    }
    println!("SAVED {} {}", case.id, case.log.len());
}

#[test]
fn eight_desks_save_a_thousand_steps_each() {
    let cluster = cluster!();
    let url = cluster.database("eight");
    let steps = 1000;
    let me = std::env::current_exe().unwrap();
    let started = std::time::Instant::now();
    let children: Vec<_> = (0..8)
        .map(|_| {
            Process::new(&me)
                .args([
                    "--exact",
                    "one_desk_saving_steps",
                    "--ignored",
                    "--nocapture",
                ])
                .env("XIAOHU_TEST_PG_DESK", &url)
                .env("XIAOHU_TEST_PG_STEPS", steps.to_string())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    eprintln!("8 x {steps} saves in {:?}", started.elapsed());
    let mut look = desk(&url, "look");
    let (listed, damaged) = look.list();
    assert!(damaged.is_empty(), "{damaged:?}");
    assert_eq!(listed.len(), 8, "{listed:?}");
    let first = a_case("2026-12-01T18:42:08+08:00");
    for summary in &listed {
        let case = look.read(&summary.id).unwrap();
        assert_eq!(case.log.len(), first.log.len() + steps, "{}", case.id);
        let items: Vec<usize> = case
            .log
            .iter()
            .filter_map(|e| match e.event {
                Event::Ticked { item, .. } => Some(item),
                _ => None,
            })
            .collect();
        assert_eq!(items, (0..steps).collect::<Vec<_>>(), "{}", case.id);
    }
}

/// The wizard walked the same way, at the same times, into the file store and into the
/// case book: the same case comes back from both.
#[test]
fn the_same_walk_gives_the_same_case_in_both_stores() {
    let cluster = cluster!();
    let url = cluster.database("walk");
    let dir = tempfile::tempdir().unwrap();
    let content = Content::builtin().unwrap();
    let files: Box<dyn CaseStore> = Box::new(FileCases::new(Store::open(dir.path()).unwrap()));
    let book: Box<dyn CaseStore> = Box::new(desk(&url, "A"));
    let mut kept = Vec::new();
    for mut store in [files, book] {
        let mut model = Model::new(xiaohu::content::Lang::Zh, false);
        let mut now = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00+08:00").unwrap();
        update(&mut model, &content, Action::Resize(100, 40), now);
        let mut action = Action::StartProduct("huabei".into());
        let mut id = None;
        for _ in 0..200 {
            let mut queue = vec![action];
            while let Some(next) = queue.pop() {
                for effect in update(&mut model, &content, next, now) {
                    if let Effect::Save(case) = effect {
                        let saved = store.save(&case, true).unwrap();
                        id = Some(saved.clone());
                        queue.push(Action::Saved { id: saved });
                    }
                }
            }
            if model.case.as_ref().is_none_or(|c| c.state.is_finished()) {
                break;
            }
            now += chrono::TimeDelta::seconds(7);
            action = support::walk::progress(&model, &content, 1);
        }
        let id = id.expect("saved");
        let case = store.read(&id).unwrap();
        assert!(case.log.len() > 5, "walked: {:#?}", case.log);
        kept.push(case);
    }
    assert_eq!(kept[0], kept[1]);
}

/// `store copy` from a data dir into the case book and back: nothing lost or doubled; a
/// case unchanged is skipped, an older one replaced, a newer one refused and left.
#[test]
fn store_copy_both_ways() {
    let cluster = cluster!();
    let url = cluster.database("copy");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut files = FileCases::new(Store::open(&data).unwrap());
    let one = a_case("2026-12-01T18:42:08+08:00");
    let two = a_case("2026-12-01T18:50:00+08:00");
    files.save(&one, false).unwrap();
    files.save(&two, false).unwrap();
    let file_store = format!("file:{}", data.display());
    let copy = |from: &str, to: &str| {
        let out = cli_at(&url, "copy")
            .args(["store", "copy", from, to])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, _) = copy(&file_store, &url);
    assert_eq!(
        (code, out.trim()),
        (
            Some(0),
            "copied 2, skipped 0 (already there, the same), refused 0"
        )
    );
    let (code, out, _) = copy(&file_store, &url);
    assert_eq!(
        (code, out.trim()),
        (
            Some(0),
            "copied 0, skipped 2 (already there, the same), refused 0"
        )
    );

    // The case book's copy of one moves on; the data dir's is now older: refused, named.
    let mut book = desk(&url, "A");
    let mut on = book.open(&one.id).unwrap();
    on.log(on.updated + chrono::TimeDelta::seconds(60), Event::Quit);
    book.save(&on, false).unwrap();
    book.release();
    let (code, out, err) = copy(&file_store, &url);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("copied 0, skipped 1") && out.contains("refused 1"),
        "{out}"
    );
    assert!(
        err.contains(one.id.as_str()) && err.contains("newer"),
        "{err}"
    );
    assert_eq!(
        book.read(&one.id).unwrap(),
        on,
        "the newer copy was overwritten"
    );

    // Back the other way: the data dir's older copy is replaced, the other skipped.
    let (code, out, err) = copy(&url, &file_store);
    assert_eq!(
        (code, out.trim()),
        (
            Some(0),
            "copied 1, skipped 1 (already there, the same), refused 0"
        ),
        "{err}"
    );
    let mut files = FileCases::new(Store::read_only(&data));
    assert_eq!(files.read(&one.id).unwrap(), on);
    assert_eq!(files.list().0.len(), 2);
    assert_eq!(book.list().0.len(), 2, "no duplicates");

    // Into an empty data dir: both copied, none twice.
    let fresh = dir.path().join("fresh");
    let (code, out, _) = copy(&url, fresh.to_str().unwrap());
    assert_eq!(
        (code, out.trim()),
        (
            Some(0),
            "copied 2, skipped 0 (already there, the same), refused 0"
        )
    );
}

/// `--store file:PATH` and `--store PATH` are the file store at PATH, as `--data-dir PATH`
/// (no server needed).
#[test]
fn a_store_path_is_the_file_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut files = FileCases::new(Store::open(&data).unwrap());
    let id = files
        .save(&a_case("2026-12-01T18:42:08+08:00"), false)
        .unwrap();
    let by_dir = stdout_of(cli(&data).arg("sessions"));
    assert!(by_dir.starts_with(id.as_str()), "{by_dir}");
    let nowhere = dir.path().join("nowhere");
    for store in [
        format!("file:{}", data.display()),
        data.display().to_string(),
    ] {
        let listed = stdout_of(cli(&nowhere).args(["--store", &store, "sessions"]));
        assert_eq!(listed, by_dir, "{store}");
        let log = stdout_of(cli(&nowhere).args(["--store", &store, "log", &id]));
        assert!(log.contains("started: Weilidai"), "{log}");
    }
    assert!(!nowhere.exists(), "--data-dir was used");
}
