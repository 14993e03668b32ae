//! Case store (docs/PERFORMANCE.md, issue 5 item 4): save (atomic: temp file, fsync,
//! rename, fsync of the folder) and load of a case with 10, 1,000 and 10,000 log entries,
//! the whole resume the app does, and a save among many cases on disk.
//!
//! Files go to a temporary folder under `$TMPDIR` (default `/tmp`); fsync costs what that
//! file system's fsync costs. `cargo bench --bench store`

use std::hint::black_box;

use chrono::{DateTime, Duration, NaiveDate};

use xiaohu::content::{Content, Lang, OutcomeKind, VerifyMethod};
use xiaohu::store::{CaseStore, FileCases, Store};
use xiaohu::wizard::case::ReviewResult;
use xiaohu::wizard::{Action, Case, Effect, Event, Model, Time, update};

fn main() {
    divan::main();
}

fn start() -> Time {
    DateTime::parse_from_rfc3339("2026-09-28T10:00:00+08:00").unwrap()
}

/// A real case (started by `update`), its log grown to `entries` with the events a person's
/// walk produces, over as many minutes.
fn case_with(content: &Content, entries: usize, id_seconds: i64) -> Case {
    let mut model = Model::new(Lang::Zh, false);
    let at = start() + Duration::seconds(id_seconds);
    let fx = update(
        &mut model,
        content,
        Action::StartProduct("xiaomi-fenqi".into()),
        at,
    );
    let Some(Effect::Save(case)) = fx.into_iter().next() else {
        panic!("starting a case asks for a save");
    };
    let mut case = *case;
    let step = |s: &str| s.to_owned();
    let mut i = 0;
    while case.log.len() < entries {
        let event = match i % 10 {
            0 => Event::Entered { step: step("find") },
            1 => Event::Ticked {
                step: step("find"),
                item: i % 4,
                on: true,
            },
            2 => Event::Amounts {
                step: step("debt"),
                total_cents: 123_450,
            },
            3 => Event::Verified {
                step: step("verify"),
                method: VerifyMethod::Sms,
                simulated: false,
            },
            4 => Event::Contacted {
                step: step("contact"),
                reference: Some("工单 A-1029".into()),
            },
            5 => Event::Submitted {
                step: step("review"),
                expected: NaiveDate::from_ymd_opt(2026, 10, 12).unwrap(),
            },
            6 => Event::ReviewResult {
                step: step("review"),
                result: ReviewResult::Waiting,
            },
            7 => Event::Language { lang: Lang::En },
            8 => Event::Outcome {
                step: step("closed"),
                result: OutcomeKind::Closed,
            },
            _ => Event::Back { step: step("debt") },
        };
        case.log(at + Duration::minutes(i64::try_from(i).unwrap()), event);
        i += 1;
    }
    case
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    content: Content,
    case: Case,
}

/// A store holding the case (with `entries` log entries) and `others` other cases.
fn fixture(entries: usize, others: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let content = Content::builtin().unwrap();
    for n in 0..others {
        let other = case_with(&content, 30, 1 + i64::try_from(n).unwrap());
        store.create(&other).unwrap();
    }
    let case = case_with(&content, entries, 0);
    store.create(&case).unwrap();
    Fixture {
        _dir: dir,
        store,
        content,
        case,
    }
}

const ENTRIES: [usize; 3] = [10, 1_000, 10_000];

/// One save as the app does after every step: one more log entry, serialize, temp file,
/// fsync, rename, fsync. The store keeps the text of the entries it wrote last (a memo of
/// the serializer), so the first save of a process, timed by `first_save`, writes all of
/// them and the next only the new ones.
#[divan::bench(args = ENTRIES, sample_size = 1, sample_count = 50)]
fn save(bencher: divan::Bencher, entries: usize) {
    let f = fixture(entries, 0);
    let case = std::cell::RefCell::new(f.case.clone());
    f.store.save(&case.borrow()).unwrap();
    bencher.bench_local(|| {
        let mut case = case.borrow_mut();
        let at = case.updated + Duration::minutes(1);
        case.log(
            at,
            Event::Entered {
                step: "find".into(),
            },
        );
        f.store.save(black_box(&case)).unwrap()
    });
}

/// The first save of a process (a store just opened, as `xiaohu resume` has): the whole
/// log put into TOML.
#[divan::bench(args = ENTRIES, sample_size = 1, sample_count = 50)]
fn first_save(bencher: divan::Bencher, entries: usize) {
    let f = fixture(entries, 0);
    bencher
        .with_inputs(|| Store::open(f._dir.path()).unwrap())
        .bench_local_values(|store| store.save(black_box(&f.case)).unwrap());
}

/// The floor of a durable save on this disk, without xiaohu: the same number of bytes as
/// the case's file written to a temp file, fsync, rename over the old one, fsync of the
/// folder. "save ≤ fsync + 1 ms" compares `save` with this.
#[divan::bench(args = ENTRIES, sample_size = 1, sample_count = 50)]
fn durable_write_alone(bencher: divan::Bencher, entries: usize) {
    use std::io::Write;
    let f = fixture(entries, 0);
    let bytes = toml::to_string(&f.case).unwrap().into_bytes();
    let dir = f._dir.path().join("floor");
    std::fs::create_dir(&dir).unwrap();
    let (temp, target) = (dir.join(".x.tmp"), dir.join("x.toml"));
    bencher.bench_local(|| {
        let mut file = std::fs::File::create(&temp).unwrap();
        file.write_all(black_box(&bytes)).unwrap();
        file.sync_all().unwrap();
        std::fs::rename(&temp, &target).unwrap();
        std::fs::File::open(&dir).unwrap().sync_all().unwrap();
    });
}

/// Reading and checking a case file.
#[divan::bench(args = ENTRIES, sample_size = 1, sample_count = 50)]
fn load(bencher: divan::Bencher, entries: usize) {
    let f = fixture(entries, 0);
    bencher.bench_local(|| f.store.load(black_box(&f.case.id)).unwrap());
}

/// `xiaohu resume ID` up to its first frame, through the store the app uses: open (lock
/// and load), bring it up to date with the content (`update` with `CaseOpened`), and the
/// save that asks for. The model and the store are returned, as the app keeps both past
/// its first frame: divan drops them after the timing.
#[divan::bench(args = ENTRIES, sample_size = 1, sample_count = 50)]
fn resume(bencher: divan::Bencher, entries: usize) {
    let f = fixture(entries, 0);
    bencher.bench_local(|| {
        // A new process's store: nothing of an earlier save's text is kept.
        let mut cases = FileCases::new(Store::open(f._dir.path()).unwrap());
        let case = cases.open(&f.case.id).unwrap();
        let mut model = Model::new(Lang::Zh, false);
        let fx = update(
            &mut model,
            &f.content,
            Action::CaseOpened(Box::new(case)),
            start() + Duration::days(30),
        );
        for effect in fx {
            if let Effect::Save(case) = effect {
                cases.save(&case, true).unwrap();
            }
        }
        cases.release();
        (model, cases)
    });
}

/// A 10-entry case saved in a folder that holds 0, 100 or 1,000 other cases: a save must
/// not grow with the number of cases on disk.
#[divan::bench(args = [0, 100, 1_000], sample_size = 1, sample_count = 50)]
fn save_among(bencher: divan::Bencher, others: usize) {
    let f = fixture(10, others);
    bencher.bench_local(|| f.store.save(black_box(&f.case)).unwrap());
}

/// Serializing alone (no disk), to separate TOML cost from fsync cost.
#[divan::bench(args = ENTRIES)]
fn serialize(bencher: divan::Bencher, entries: usize) {
    let content = Content::builtin().unwrap();
    let case = case_with(&content, entries, 0);
    bencher.bench_local(|| toml::to_string(black_box(&case)).unwrap());
}

/// Parsing alone (no disk).
#[divan::bench(args = ENTRIES)]
fn deserialize(bencher: divan::Bencher, entries: usize) {
    let content = Content::builtin().unwrap();
    let text = toml::to_string(&case_with(&content, entries, 0)).unwrap();
    bencher.bench_local(|| toml::from_str::<Case>(black_box(&text)).unwrap());
}
