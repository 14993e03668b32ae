//! The case book at a bank's scale (issue 14): the start page's worklist and `xiaohu
//! sessions` over 10,000 and 100,000 cases, in the file store and in the shared PostgreSQL
//! store, and a step's save in each among that many cases.
//!
//! The books: every case is a real one (started by `update`, its log grown to 24 entries:
//! about 4 KB of TOML), with a customer, an agent and, for reviews, an expected date. Two
//! mixes:
//! - `year`: a year of a branch network's cases, most of them finished. Of every 20: 3 in
//!   review (some overdue), 1 waiting for repayment, 1 in progress, 1 needs customer
//!   service and 1 refused (one in three of those two archived), 13 closed or nothing to
//!   close: 3,168 of 10,000 (32 %) on the worklist. `sessions` lists every case not
//!   archived; the worklist reads the active ones.
//! - `open`: the worst case, every case on the worklist (all in review).
//!
//! The worklist is what the start page does when its list arrives: the store's page
//! (`CaseStore::worklist`: the first 100 of each queue and how many each holds), then
//! `update` with `SavedList` (queues, business days late, sorting). `sessions`
//! is `list` and the tab-separated listing the command prints.
//!
//! PostgreSQL: a throwaway server started here (as `tests/postgres.rs` does: initdb and
//! pg_ctl into a temp dir, a Unix socket, the `postgres` user when run as root), with the
//! default configuration, fsync on. The book is written with fsync turned off for the
//! while (ALTER SYSTEM, reload), to build it in reasonable time, and on again before
//! anything is measured, so a save is durable as on a real server. Without the server binaries the PostgreSQL benches say SKIPPED.
//! The file store's books are written straight to the cases folder without fsync (the
//! format the store reads); its reads are from the page cache, as on a desk that has its
//! book open all day.
//!
//! `cargo bench --bench casebook` (about 10 minutes, most of it building the books; pick one
//! with e.g. `-- pg_worklist`).

#[allow(dead_code)]
#[path = "../tests/support/pg.rs"]
mod pg;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hint::black_box;
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, Duration, NaiveDate};

use xiaohu::content::{Content, Lang};
use xiaohu::sessions::{Filter, ListFormat, listing};
use xiaohu::store::contract::a_case;
use xiaohu::store::{CaseStore, FileCases, PgCases, Store};
use xiaohu::wizard::case::{AnswerValue, Review};
use xiaohu::wizard::worklist::Ask;
use xiaohu::wizard::{Action, Case, CaseId, CaseState, Event, Model, Staff, update};

fn main() {
    divan::main();
    // The books hold a server and temp dirs: stopped and removed here, not left behind.
    books().lock().unwrap().clear();
    drop(SERVER.lock().unwrap().take());
}

/// (cases, mix): 10,000 and 100,000, a year's mix and the all-open worst case.
const BOOKS: &[(usize, Mix)] = &[
    (10_000, Mix::Year),
    (100_000, Mix::Year),
    (10_000, Mix::Open),
    (100_000, Mix::Open),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mix {
    Year,
    Open,
}

impl std::fmt::Display for Mix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mix::Year => "year",
            Mix::Open => "open",
        })
    }
}

/// A bench argument: how many cases, of which mix (`100000 year`).
#[derive(Debug, Clone, Copy)]
struct Book(usize, Mix);

impl std::fmt::Display for Book {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

fn all_books() -> Vec<Book> {
    BOOKS.iter().map(|&(n, mix)| Book(n, mix)).collect()
}

fn content() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| Content::builtin().unwrap())
}

fn now() -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2026-12-02T10:00:00+08:00").unwrap()
}

/// The case every case of a book is made from: 微粒贷 started by `update`, its log grown
/// to 24 entries as a walk grows it, worked by a desk.
fn template() -> Case {
    let mut case = a_case("2026-11-02T09:30:00+08:00");
    case.hands = Staff {
        agent: Some("李娜".into()),
        desk: Some("柜台A".into()),
    };
    let mut at = case.updated;
    while case.log.len() < 24 {
        at += Duration::minutes(3);
        let event = match case.log.len() % 4 {
            0 => Event::Entered {
                step: "check-debt".into(),
            },
            1 => Event::Amounts {
                step: "check-debt".into(),
                total_cents: 0,
            },
            2 => Event::Note {
                step: "check-debt".into(),
                text: "客户说已还清，核对账单后继续".into(),
            },
            _ => Event::Back {
                step: "check-debt".into(),
            },
        };
        case.log(at, event);
    }
    case
}

/// Case `i` of a book of `mix`: its own id, customer, agent, state and dates.
fn case_of(template: &Case, i: usize, mix: Mix) -> Case {
    let mut case = template.clone();
    let updated = template.updated + Duration::minutes(i as i64);
    case.id = CaseId::parse(&format!("20261102-093000-weilidai-{i}")).unwrap();
    case.customer = Some(format!("王先生{i}"));
    case.hands.agent = Some(["李娜", "张伟", "Zhao Min"][i % 3].into());
    let (state, archived) = state_of(i, mix);
    case.state = state;
    case.archived = archived;
    if state == CaseState::InReview {
        let start = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let expected = start + chrono::Days::new((i % 60) as u64);
        case.record(
            "review",
            "fp",
            updated,
            AnswerValue::Review(Review {
                submitted: updated,
                business_days: 5,
                expected,
                from_tables: true,
                sent: None,
            }),
        );
    }
    case.log(
        updated,
        Event::Entered {
            step: "review".into(),
        },
    );
    case
}

/// Case `i`'s state in a book of `mix`, and whether an agent archived it.
fn state_of(i: usize, mix: Mix) -> (CaseState, bool) {
    let state = match (mix, i % 20) {
        (Mix::Open, _) | (Mix::Year, 0..=2) => CaseState::InReview,
        (Mix::Year, 3) => CaseState::WaitingRepayment,
        (Mix::Year, 4) => CaseState::InProgress,
        (Mix::Year, 5) => CaseState::NeedsService,
        (Mix::Year, 6) => CaseState::Rejected,
        (Mix::Year, 7..=8) => CaseState::NothingToClose,
        (Mix::Year, _) => CaseState::Closed,
    };
    (state, state.is_finished() && i.is_multiple_of(3))
}

/// How many of a book's cases the worklist lists (not archived, not closed), by the
/// worklist's own rule; the held case is one more.
fn active_in(Book(n, mix): Book) -> usize {
    let active = |i: &usize| {
        let (state, archived) = state_of(*i, mix);
        !archived && !matches!(state, CaseState::Closed | CaseState::NothingToClose)
    };
    (0..n).filter(active).count() + 1
}

/// A book in one store, and the case a save is measured on.
struct Fixture {
    store: Box<dyn CaseStore + Send>,
    held: Case,
    _dir: Option<tempfile::TempDir>,
}

type Key = (usize, Mix, bool);

fn books() -> &'static Mutex<HashMap<Key, Fixture>> {
    static BOOKS: OnceLock<Mutex<HashMap<Key, Fixture>>> = OnceLock::new();
    BOOKS.get_or_init(Default::default)
}

/// The one server for every PostgreSQL book, started on first use.
static SERVER: Mutex<Option<pg::Cluster>> = Mutex::new(None);
/// Whether starting it was tried (it is not tried again without the server binaries).
static TRIED: OnceLock<()> = OnceLock::new();

/// A new database on the server: its connection string and a plain client on it.
fn database(name: &str) -> Option<(String, postgres::Client)> {
    let mut server = SERVER.lock().unwrap();
    if TRIED.set(()).is_ok() {
        *server = pg::Cluster::start_durable();
    }
    let server = server.as_ref()?;
    Some((server.database(name), server.client(name)))
}

/// The book `book` in the file store (`pg` false) or PostgreSQL, built on first use and
/// kept for the other benches; `None` without a server.
fn with_book<T>(book: Book, pg: bool, f: impl FnOnce(&mut Fixture) -> T) -> Option<T> {
    let key = (book.0, book.1, pg);
    let mut books = books().lock().unwrap();
    let fixture = match books.entry(key) {
        Entry::Occupied(built) => built.into_mut(),
        Entry::Vacant(new) => new.insert(if pg { pg_book(book)? } else { file_book(book) }),
    };
    Some(f(fixture))
}

fn file_book(Book(n, mix): Book) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let template = template();
    for i in 0..n {
        let case = case_of(&template, i, mix);
        let path = store.case_path(case.id.as_str()).unwrap();
        std::fs::write(path, toml::to_string(&case).unwrap()).unwrap();
    }
    let mut store = FileCases::new(store);
    let held = held_case(&mut store, &template);
    Fixture {
        store: Box::new(store),
        held,
        _dir: Some(dir),
    }
}

fn pg_book(Book(n, mix): Book) -> Option<Fixture> {
    let (url, mut sql) = database(&format!("book_{n}_{mix}"))?;
    let fsync = |sql: &mut postgres::Client, on: &str| {
        sql.batch_execute(&format!("ALTER SYSTEM SET fsync = {on}"))
            .unwrap();
        sql.batch_execute("SELECT pg_reload_conf()").unwrap();
    };
    fsync(&mut sql, "off");
    // Eight desks write the book at once, as a branch network's desks would.
    let template = template();
    std::thread::scope(|s| {
        for desk in 0..8 {
            let (url, template) = (&url, &template);
            s.spawn(move || {
                let mut store = PgCases::new(url, &format!("builder {desk}")).unwrap();
                for i in (desk..n).step_by(8) {
                    store.save(&case_of(template, i, mix), false).unwrap();
                }
            });
        }
    });
    sql.batch_execute("VACUUM ANALYZE xiaohu_cases").unwrap();
    // Durable from here on: what is measured is a real server's save.
    fsync(&mut sql, "on");
    // A reload is a signal: asked again until the server answers with the new setting.
    let synced = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let shown: String = sql.query_one("SHOW fsync", &[]).unwrap().get(0);
        shown == "on"
    });
    assert!(synced, "the server syncs its writes");
    let mut store = PgCases::new(&url, "bench desk").unwrap();
    let held = held_case(&mut store, &template);
    Some(Fixture {
        store: Box::new(store),
        held,
        _dir: None,
    })
}

/// A case in the book opened and held as the wizard holds the case on screen.
fn held_case(store: &mut dyn CaseStore, template: &Case) -> Case {
    let mut case = case_of(template, 9_999_999, Mix::Open);
    case.id = CaseId::parse("20261202-100000-weilidai").unwrap();
    let id = store.save(&case, true).unwrap();
    store.release();
    store.open(&id).unwrap()
}

/// The start page's worklist as it arrives: the store's page (the first of each queue and
/// how many each holds), grouped and sorted; `typed`: searched for that.
fn worklist(store: &mut dyn CaseStore, typed: &str) -> Model {
    let page = store.worklist(&Ask::new(content(), typed, now()));
    assert!(page.damaged.is_empty(), "{:?}", page.damaged);
    let mut model = Model::new(Lang::Zh, false);
    update(&mut model, content(), Action::SavedList(page), now());
    model
}

/// `xiaohu sessions`: every case not archived, as tab-separated rows.
fn sessions(store: &mut dyn CaseStore) -> String {
    let (cases, damaged) = store.list();
    assert!(damaged.is_empty(), "{damaged:?}");
    listing(
        &cases,
        &Filter::default(),
        ListFormat::Tsv,
        now().date_naive(),
        &content().calendar,
    )
}

/// A step's save of the held case: a log entry more, written and still held.
fn save(fixture: &mut Fixture, minute: &mut i64) {
    *minute += 1;
    fixture.held.log(
        now() + Duration::minutes(*minute),
        Event::Entered {
            step: "review".into(),
        },
    );
    fixture.store.save(black_box(&fixture.held), true).unwrap();
}

fn bench_in(
    bencher: divan::Bencher,
    book: Book,
    pg: bool,
    mut what: impl FnMut(&mut Fixture) -> usize,
) {
    let built = with_book(book, pg, |f| {
        // The book is what it says: the active share, and nothing damaged.
        let (active, _) = f.store.list_active();
        assert_eq!(active.len(), active_in(book), "{book}");
    });
    if built.is_none() {
        eprintln!("*** SKIPPED: no PostgreSQL server binaries (see tests/support/pg.rs) ***");
        return;
    }
    bencher.bench_local(|| with_book(book, pg, &mut what));
}

#[divan::bench(args = all_books(), sample_size = 1, sample_count = 10)]
fn file_worklist(bencher: divan::Bencher, book: Book) {
    bench_in(bencher, book, false, |f| {
        worklist(f.store.as_mut(), "").worklist.len()
    });
}

#[divan::bench(args = all_books(), sample_size = 1, sample_count = 10)]
fn pg_worklist(bencher: divan::Bencher, book: Book) {
    bench_in(bencher, book, true, |f| {
        worklist(f.store.as_mut(), "").worklist.len()
    });
}

/// A search typed on the worklist: `王先生1` matches one case in nine of the book's
/// (its customers are 王先生0, 王先生1 …), the page as the store answers it.
#[divan::bench(args = all_books(), sample_size = 1, sample_count = 10)]
fn pg_worklist_search(bencher: divan::Bencher, book: Book) {
    bench_in(bencher, book, true, |f| {
        worklist(f.store.as_mut(), "王先生1").worklist.len()
    });
}

#[divan::bench(args = all_books(), sample_size = 1, sample_count = 10)]
fn file_sessions(bencher: divan::Bencher, book: Book) {
    bench_in(bencher, book, false, |f| sessions(f.store.as_mut()).len());
}

#[divan::bench(args = all_books(), sample_size = 1, sample_count = 10)]
fn pg_sessions(bencher: divan::Bencher, book: Book) {
    bench_in(bencher, book, true, |f| sessions(f.store.as_mut()).len());
}

/// A step's save among the book's cases (a case with 25 or more log entries).
#[divan::bench(args = [Book(10_000, Mix::Year), Book(100_000, Mix::Year)], sample_size = 1, sample_count = 50)]
fn file_save(bencher: divan::Bencher, book: Book) {
    let mut minute = 0;
    bench_in(bencher, book, false, move |f| {
        save(f, &mut minute);
        0
    });
}

#[divan::bench(args = [Book(10_000, Mix::Year), Book(100_000, Mix::Year)], sample_size = 1, sample_count = 50)]
fn pg_save(bencher: divan::Bencher, book: Book) {
    let mut minute = 0;
    bench_in(bencher, book, true, move |f| {
        save(f, &mut minute);
        0
    });
}

/// The worklist's read alone (`list_active`), without grouping and sorting.
#[divan::bench(args = all_books(), sample_size = 1, sample_count = 10)]
fn pg_list_active(bencher: divan::Bencher, book: Book) {
    bench_in(bencher, book, true, |f| f.store.list_active().0.len());
}
