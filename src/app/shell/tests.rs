//! The whole shell in-process: the full screen's front end on ratatui's `TestBackend`, a
//! scripted event source, a clock moved by hand and a store in memory. No terminal, no
//! sleeping: a minute of idle time is a scripted wait that moves the clock.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::rc::Rc;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

use super::{Clock, FrontEnd, Shell};
use crate::app::screen::{Screen, Wizard};
use crate::app::session::App;
use crate::app::signals::Signals;
use crate::content::{Content, Lang};
use crate::store::{CaseStore, MemoryStore, ReceiptPlace, StoreError};
use crate::ui::Theme;
use crate::wizard::case::{CaseState, Event as Logged, ReviewResult};
use crate::wizard::{Action, Case, CaseId, CaseSummary, Model};

use super::scripted::{Scripted, Step, TestClock};

/// Where the last word goes, readable after the shell is done.
#[derive(Clone, Default)]
struct Said(Rc<RefCell<Vec<u8>>>);

impl Write for Said {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Said {
    fn text(&self) -> String {
        String::from_utf8(self.0.borrow().clone()).unwrap()
    }
}

type TestShell = Shell<Wizard<TestBackend>, Scripted>;

struct Harness {
    shell: TestShell,
    clock: TestClock,
    signals: Signals,
    said: Said,
}

fn harness(store: Box<dyn CaseStore>, lang: Lang, idle: Option<Duration>) -> Harness {
    let clock = TestClock::new();
    let app = App::new(
        Model::new(lang, false),
        Content::builtin().unwrap(),
        Some(store),
        Box::new(clock.clone()),
    );
    let terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let screen = Screen::new(terminal, Theme::monochrome(), || {}).purging(count_purge);
    let events = Scripted::new(&clock);
    let signals = Signals::unregistered();
    let said = Said::default();
    let shell = Shell::new(
        app,
        Wizard::new(screen, None),
        events,
        signals.clone(),
        idle,
        Box::new(said.clone()),
    );
    Harness {
        shell,
        clock,
        signals,
        said,
    }
}

thread_local! {
    /// How often this test's screen cleared the terminal's scrollback (`Screen::purging`).
    static PURGED: Cell<usize> = const { Cell::new(0) };
}

fn count_purge() {
    PURGED.with(|n| n.set(n.get() + 1));
}

fn purged() -> usize {
    PURGED.with(Cell::get)
}

fn key(code: KeyCode) -> Step {
    Step::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn enter(times: usize) -> Vec<Step> {
    (0..times).map(|_| key(KeyCode::Enter)).collect()
}

fn typed(text: &str) -> Vec<Step> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

impl Harness {
    fn send(&mut self, steps: impl IntoIterator<Item = Step>) -> &mut Self {
        self.shell.events.steps.extend(steps);
        self
    }

    fn settle(&mut self) -> bool {
        settle(&mut self.shell)
    }

    /// The screen as a person sees it now: the shell draws at its next turn; this draws it
    /// the same way now, so the last event's effect is on it.
    fn screen(&mut self) -> String {
        let shell = &mut self.shell;
        shell.front.show(&mut shell.app, false).expect("drawn");
        text(&shell.front.screen.terminal)
    }
}

/// A `TestBackend`'s screen as text, a line per row.
fn text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let symbol = buffer[(x, y)].symbol();
            out.push_str(symbol);
            x += u16::try_from(symbol.width().max(1)).unwrap();
        }
        out.push('\n');
    }
    out
}

/// Runs turns until the script is used up or the shell leaves; whether it still runs.
fn settle<F, E>(shell: &mut Shell<F, Scripted<E>>) -> bool
where
    F: FrontEnd<Event = E>,
{
    while !shell.events.steps.is_empty() {
        if !shell.turn().unwrap() {
            return false;
        }
    }
    true
}

/// The one case a store holds, as it is kept now.
fn stored(store: &mut MemoryStore) -> Case {
    let (list, _) = store.list();
    assert_eq!(list.len(), 1, "{list:?}");
    store.peek(&list[0].id).expect("listed, so kept")
}

fn logged(case: &Case, pred: impl Fn(&Logged) -> bool) -> bool {
    case.log.iter().any(|entry| pred(&entry.event))
}

#[test]
fn a_case_walked_saved_quit_and_resumed_in_a_new_shell() {
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let mut h = harness(Box::new(store.another_terminal()), Lang::Zh, None);
    drop(store);
    h.shell.start(None);
    let screen = h.screen();
    assert!(
        screen.contains("开始新的销户"),
        "the welcome page:\n{screen}"
    );

    // The product list, filtered by typing, then the case starts at its intro.
    h.send(enter(1)).send(typed("huabei")).send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("关闭花呗之前"), "{screen}");
    assert_eq!(stored(&mut observer).step, "intro", "saved at the start");

    // Intro; the two navigation ticks and on; status: normal.
    h.send(enter(1)).send(enter(3));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("花呗页面显示什么？"), "{screen}");
    h.send(enter(1));
    // Three amounts, each 0, Tab between them.
    for i in 0..3 {
        if i > 0 {
            h.send([key(KeyCode::Tab)]);
        }
        h.send(typed("0"));
    }
    h.send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(
        screen.contains("打开关闭页面"),
        "past the debt step:\n{screen}"
    );
    // The closing page's three ticks, the six consequences, then the verify step.
    h.send(enter(4)).send(enter(7));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("身份验证"), "{screen}");
    // Payment password; then the confirmation word, pasted (bracketed paste).
    h.send(enter(1));
    h.send([Step::Input(Event::Paste("确认".into()))]);
    assert!(h.settle());
    assert!(h.screen().contains("确认"), "the word is in the field");
    h.send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(
        screen.contains("现在结果如何？"),
        "submitted, in review:\n{screen}"
    );
    let case = stored(&mut observer);
    assert_eq!(case.step, "review");
    assert_eq!(case.state, CaseState::InReview);
    assert!(logged(&case, |e| matches!(e, Logged::Confirmed { .. })));

    // q leaves: the shell stops by itself, saving the quit.
    h.send(typed("q"));
    assert!(!h.settle(), "q quits");
    assert_eq!(h.shell.finish(Ok(())).unwrap(), None, "no signal");
    let case = stored(&mut observer);
    assert!(logged(&case, |e| *e == Logged::Quit), "{:?}", case.log);
    let said = h.said.text();
    assert!(
        said.contains(&format!("memory:{}", case.id)),
        "the last word says where: {said:?}"
    );

    // A new shell on the same cases: the start page lists it, Enter resumes it.
    let mut h = harness(Box::new(observer.another_terminal()), Lang::Zh, None);
    h.shell.start(None);
    // The first frame is drawn before the saved cases are read, and says so; the next
    // turn reads them and draws them.
    let screen = h.screen();
    assert!(screen.contains("正在读取保存的记录"), "{screen}");
    assert!(!screen.contains(case.id.as_str()), "{screen}");
    assert!(h.shell.turn().unwrap());
    let screen = h.screen();
    assert!(!screen.contains("正在读取"), "{screen}");
    assert!(screen.contains("未完成的记录"), "{screen}");
    assert!(
        screen.contains(case.id.as_str()),
        "the saved case is listed:\n{screen}"
    );
    h.send([key(KeyCode::Down)]).send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("已接着上次的进度继续"), "{screen}");
    assert!(screen.contains("现在结果如何？"), "{screen}");
    // It is held by this shell now: another terminal cannot open it.
    assert!(matches!(
        observer.open(&case.id),
        Err(StoreError::Locked(_))
    ));
    // "It is closed" leads to the follow-up; then quit.
    h.send(enter(1)).send(typed("q"));
    assert!(!h.settle());
    h.shell.finish(Ok(())).unwrap();
    let resumed = stored(&mut observer);
    assert_eq!(resumed.id, case.id);
    assert_eq!(resumed.step, "followup");
    assert!(logged(&resumed, |e| *e == Logged::Resumed));
    assert!(logged(&resumed, |e| matches!(
        e,
        Logged::ReviewResult {
            result: ReviewResult::Closed,
            ..
        }
    )));
}

#[test]
fn the_idle_reset_counts_time_on_the_clock_since_the_last_key() {
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let minute = Duration::from_secs(60);
    let mut h = harness(Box::new(store), Lang::En, Some(minute));
    h.shell.start(Some(Action::StartProduct("huabei".into())));
    h.send(enter(1));
    assert!(h.settle());
    assert!(h.screen().contains("Find Huabei in Alipay"));

    // Just under the minute: nothing happens.
    h.send([Step::Wait(minute - Duration::from_secs(1))]);
    assert!(h.settle());
    assert!(h.screen().contains("Find Huabei in Alipay"));
    // A key starts the minute again: another 59 s later it is still there.
    h.send([key(KeyCode::Char(' '))]);
    h.send([Step::Wait(minute - Duration::from_secs(1))]);
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("Tap through these"), "{screen}");
    // Past the minute since that key: back to a clean start page, the case saved.
    h.send([Step::Wait(Duration::from_secs(2))]);
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("Start a new closure"), "{screen}");
    assert!(
        !screen.contains("Tap through these"),
        "the step is gone:\n{screen}"
    );
    let case = stored(&mut observer);
    assert_eq!(case.step, "find");
    assert!(
        logged(&case, |e| matches!(e, Logged::Ticked { .. })),
        "the tick before the reset is kept: {:?}",
        case.log
    );
    assert!(
        screen.contains(case.id.as_str()),
        "listed to resume:\n{screen}"
    );
    // Every wait was a tick at most: signals were looked at all along.
    assert!(h.shell.events.longest <= super::TICK);
    assert_eq!(h.clock.elapsed(), 2 * minute);
}

/// A store whose saves fail while `full` is set, as a full disk does.
struct FullDisk {
    inner: MemoryStore,
    full: Rc<Cell<bool>>,
}

impl CaseStore for FullDisk {
    fn list(&mut self) -> (Vec<CaseSummary>, Vec<(String, String)>) {
        self.inner.list()
    }
    fn read(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        self.inner.read(id)
    }
    fn open(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        self.inner.open(id)
    }
    fn save(&mut self, case: &Case, hold: bool) -> Result<CaseId, StoreError> {
        if self.full.get() {
            return Err(StoreError::Io {
                path: format!("/data/cases/{}.toml", case.id),
                source: std::io::Error::from_raw_os_error(libc::ENOSPC),
            });
        }
        self.inner.save(case, hold)
    }
    fn release(&mut self) {
        self.inner.release();
    }
    fn discard(&mut self, id: &CaseId) -> Result<(), StoreError> {
        self.inner.discard(id)
    }
    fn write_receipts(
        &mut self,
        id: &CaseId,
        receipts: &[(&str, String)],
    ) -> Result<ReceiptPlace, StoreError> {
        self.inner.write_receipts(id, receipts)
    }
    fn location(&self, id: &CaseId) -> String {
        self.inner.location(id)
    }
}

#[test]
fn a_full_disk_is_named_held_in_memory_and_retried_on_the_clock() {
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let full = Rc::new(Cell::new(true));
    let disk = FullDisk {
        inner: store,
        full: Rc::clone(&full),
    };
    let mut h = harness(Box::new(disk), Lang::En, None);
    h.shell.start(Some(Action::StartProduct("huabei".into())));
    h.send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Could not save (the disk is full"),
        "{screen}"
    );
    assert!(observer.list().0.is_empty(), "nothing reached the store");

    // The disk has room again; the retry waits for its time, then lands without a key.
    full.set(false);
    h.send([Step::Wait(Duration::from_secs(2))]);
    assert!(h.settle());
    assert!(h.screen().contains("Could not save"), "not yet retried");
    assert!(observer.list().0.is_empty());
    h.send([Step::Wait(Duration::from_millis(1200))]);
    assert!(h.settle());
    let screen = h.screen();
    assert!(!screen.contains("Could not save"), "{screen}");
    assert_eq!(
        stored(&mut observer).step,
        "find",
        "the newest state landed"
    );
}

#[test]
fn a_signal_saves_the_case_and_is_named_in_the_last_word() {
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let mut h = harness(Box::new(store), Lang::En, None);
    h.shell.start(Some(Action::StartProduct("huabei".into())));
    h.send(enter(1));
    assert!(h.settle());
    h.signals.raise(libc::SIGTERM);
    assert!(!h.shell.turn().unwrap(), "the shell stops at the next turn");
    assert_eq!(h.shell.finish(Ok(())).unwrap(), Some(libc::SIGTERM));
    let case = stored(&mut observer);
    assert_eq!(case.step, "find");
    assert!(logged(&case, |e| *e == Logged::Quit));
    let said = h.said.text();
    assert!(said.contains("SIGTERM"), "{said:?}");
    assert!(said.contains(&format!("memory:{}", case.id)), "{said:?}");
}

#[test]
fn a_hung_up_terminal_saves_and_leaves() {
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let mut h = harness(Box::new(store), Lang::En, None);
    // The script ends after two keys: the terminal is gone.
    let result = {
        let Harness { shell, .. } = &mut h;
        shell.events.steps.extend(enter(2));
        shell.start(Some(Action::StartProduct("huabei".into())));
        while shell.turn().unwrap() {}
        shell.finish(Ok(()))
    };
    assert_eq!(result.unwrap(), None);
    let case = stored(&mut observer);
    assert_eq!(case.step, "find");
    assert!(logged(&case, |e| *e == Logged::Quit), "Terminate logged it");
}

fn wait(secs: f64) -> Step<Event> {
    Step::Wait(Duration::from_secs_f64(secs))
}

#[test]
fn the_tour_plays_keeps_playing_through_f2_is_taken_over_and_wiped_when_idle() {
    let content = Content::builtin().unwrap();
    let profiles = crate::wizard::demo::parse(
        crate::wizard::demo::BUILTIN_PATH,
        crate::wizard::demo::BUILTIN,
        &content,
    )
    .unwrap();
    let source = include_str!("../../../assets/demo/huabei.toml");
    let script = crate::wizard::tour::parse("huabei.toml", source, &content, &profiles).unwrap();
    let clock = TestClock::new();
    let terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let screen = Screen::new(terminal, Theme::monochrome(), || {});
    let (app, tour, first) =
        crate::app::tour::Tour::new(screen, content, Lang::Zh, script, 1.0, false, clock.clone());
    let said = Said::default();
    let idle = Duration::from_secs(30);
    let signals = Signals::unregistered();
    let mut shell = Shell::new(
        app,
        tour,
        Scripted::new(&clock),
        signals.clone(),
        Some(idle),
        Box::new(said.clone()),
    );
    fn look(shell: &mut Shell<crate::app::tour::Tour<TestBackend>, Scripted>) -> String {
        shell.front.show(&mut shell.app, false).unwrap();
        text(&shell.front.screen.terminal)
    }
    shell.start(Some(first));
    // The first turn plays what is due (the first caption, its screen being up) and shows it.
    shell.events.steps.push_back(wait(0.0));
    assert!(settle(&mut shell));
    let screen = look(&mut shell);
    assert!(screen.contains("演示：一步一步关闭花呗"), "{screen}");
    assert!(
        screen.contains("按任意键"),
        "the hint while it plays:\n{screen}"
    );

    // It plays by itself on the clock: past the intro's reading time (its caption and
    // screen, some 47 s at 5 characters a second), the keys tick the list.
    shell.events.steps.push_back(wait(50.0));
    assert!(settle(&mut shell));
    let screen = look(&mut shell);
    assert!(screen.contains("在支付宝里找到花呗"), "{screen}");
    assert_eq!(shell.app.model.case.as_ref().unwrap().step, "find");
    // Playing by itself is not idle time: 30 s of it do not wipe anything.
    assert!(!shell.front.idle_counts());

    // F2 switches the language and the tour goes on.
    shell
        .events
        .steps
        .push_back(Step::Input(Event::Key(KeyEvent::new(
            KeyCode::F(2),
            KeyModifiers::NONE,
        ))));
    assert!(settle(&mut shell));
    let screen = look(&mut shell);
    assert!(
        screen.contains("Press any key to try it yourself"),
        "{screen}"
    );
    // Any other key is a person: the caption goes, the key acts (Down moves the cursor).
    let before = shell.app.model.clone();
    shell
        .events
        .steps
        .push_back(Step::Input(Event::Key(KeyEvent::new(
            KeyCode::Down,
            KeyModifiers::NONE,
        ))));
    assert!(settle(&mut shell));
    let screen = look(&mut shell);
    assert!(!screen.contains("Press any key"), "taken over:\n{screen}");
    assert!(
        shell.front.idle_counts(),
        "idle counts once it is the person's"
    );
    let moved = |m: &Model| match &m.screen {
        crate::wizard::Screen::Step(view) => view.cursor,
        _ => usize::MAX,
    };
    assert_ne!(moved(&before), moved(&shell.app.model), "Down acted");
    // Nobody for the idle time: wiped, and the tour starts over in its own language.
    shell
        .events
        .steps
        .push_back(Step::Wait(idle - Duration::from_secs(1)));
    assert!(settle(&mut shell));
    assert!(!look(&mut shell).contains("演示：一步一步"), "not yet");
    shell.events.steps.push_back(wait(1.5));
    assert!(settle(&mut shell));
    let screen = look(&mut shell);
    assert!(
        screen.contains("演示：一步一步关闭花呗"),
        "wiped, from the top:\n{screen}"
    );
    assert_eq!(shell.app.model.case.as_ref().unwrap().step, "intro");

    // The tour is a kiosk: q while it plays is a visitor's key, not a way out; staff stop
    // it with SIGTERM, and nothing is saved, so the last word names only the signal.
    shell.events.steps.extend(typed("q"));
    shell
        .events
        .steps
        .push_back(Step::Input(Event::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        ))));
    assert!(settle(&mut shell), "q and Ctrl-C do not quit the tour");
    signals.raise(libc::SIGTERM);
    assert!(!shell.turn().unwrap(), "SIGTERM stops it");
    assert_eq!(shell.finish(Ok(())).unwrap(), Some(libc::SIGTERM));
    assert!(!said.text().contains("saved"), "{:?}", said.text());
}

/// Plain mode in the shell, on `content` and `store`, printing into the `Printed` returned.
fn plain_shell(
    content: Content,
    store: Box<dyn CaseStore>,
    idle: Option<Duration>,
) -> (
    Shell<crate::app::plain::Plain<Printed>, Scripted<crate::app::plain::Taken>>,
    Printed,
) {
    let clock = TestClock::new();
    let app = App::new(
        Model::new(Lang::En, false),
        content,
        Some(store),
        Box::new(clock.clone()),
    );
    let printed = Printed::default();
    let shell = Shell::new(
        app,
        crate::app::plain::Plain::new(printed.clone()),
        Scripted::new(&clock),
        Signals::unregistered(),
        idle,
        Box::new(Said::default()),
    );
    (shell, printed)
}

#[derive(Clone, Default)]
struct Printed(Rc<RefCell<Vec<u8>>>);

impl Write for Printed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn plain_mode_runs_in_the_same_shell_lines_idle_and_end_of_input() {
    use crate::app::plain::{Plain, Taken};
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let clock = TestClock::new();
    let app = App::new(
        Model::new(Lang::En, false),
        Content::builtin().unwrap(),
        Some(Box::new(store)),
        Box::new(clock.clone()),
    );
    let printed = Printed::default();
    let out = || String::from_utf8(printed.0.borrow().clone()).unwrap();
    let minute = Duration::from_secs(60);
    let mut shell = Shell::new(
        app,
        Plain::new(printed.clone()),
        Scripted::<Taken>::new(&clock),
        Signals::unregistered(),
        Some(minute),
        Box::new(Said::default()),
    );
    shell.start(Some(Action::StartProduct("huabei".into())));
    shell
        .events
        .steps
        .push_back(Step::Input(Taken::Line("\n".into())));
    assert!(settle(&mut shell));
    // The page is printed at the next turn.
    shell
        .events
        .steps
        .push_back(Step::Wait(Duration::from_secs(1)));
    assert!(settle(&mut shell));
    let text = out();
    assert!(text.starts_with("xiaohu, plain mode"), "{text}");
    assert!(text.contains("Before you close Huabei"), "{text}");
    assert!(
        text.contains("Find Huabei in Alipay"),
        "the intro answered:\n{text}"
    );
    // Ticks of the clock print nothing more.
    let before = out().len();
    shell
        .events
        .steps
        .push_back(Step::Wait(Duration::from_secs(30)));
    assert!(settle(&mut shell));
    assert_eq!(out().len(), before, "nothing printed while waiting");
    // A minute without a line: the half-typed line dropped, back to the start page.
    shell
        .events
        .steps
        .push_back(Step::Wait(Duration::from_secs(30)));
    assert!(settle(&mut shell));
    assert_eq!(shell.events.discarded, 1, "what was typed ahead is dropped");
    assert!(out().contains("No answer for a while"), "{}", out());
    assert_eq!(stored(&mut observer).step, "find", "saved on the way home");
    // The input ends: the line is ended, and it says goodbye.
    assert!(!shell.turn().unwrap(), "end of input stops it");
    shell.finish(Ok(())).unwrap();
    assert!(out().ends_with("\nGoodbye.\n"), "{:?}", out());
}

/// Esc on an end reached by a mis-press goes back to the choice that led there, the case
/// open again and the way back in its log; the same end, saved and resumed later, is a
/// record: it opens on the end, and Esc leaves it for the start page, still ended.
#[test]
fn esc_on_an_end_undoes_the_choice_that_led_there_and_a_resumed_end_stays_ended() {
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let mut h = harness(Box::new(store.another_terminal()), Lang::Zh, None);
    drop(store);
    h.shell.start(None);
    h.send(enter(1)).send(typed("beiyongjin")).send(enter(2));
    assert!(h.settle());
    assert!(
        h.screen().contains("在小米商城里找到备用金"),
        "{}",
        h.screen()
    );
    // Two of the four ticks, then down to "I can't find it" and Enter: the end.
    h.send([key(KeyCode::Char(' ')), key(KeyCode::Down)]);
    h.send([key(KeyCode::Char(' ')), key(KeyCode::Down)]);
    h.send([key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Enter)]);
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("找不到备用金或注销入口"), "{screen}");
    assert!(
        screen.contains("Esc 返回"),
        "the footer says Esc goes back:\n{screen}"
    );
    assert!(
        screen.contains("按 Esc 回到上一步"),
        "the end says so:\n{screen}"
    );
    let ended = stored(&mut observer);
    assert_eq!(ended.state, CaseState::NeedsService);

    // Esc: back on the checklist, its ticks kept, the case open again, the way back logged.
    h.send([key(KeyCode::Esc)]);
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("在小米商城里找到备用金"), "{screen}");
    assert_eq!(
        screen.matches("[✓]").count(),
        2,
        "the ticks are kept:\n{screen}"
    );
    let back = stored(&mut observer);
    assert_eq!(back.step, "find");
    assert_eq!(back.state, CaseState::InProgress, "open again");
    assert!(matches!(
        back.log.last().map(|e| &e.event),
        Some(Logged::Back { step }) if step == "find"
    ));

    // The end again, this time left by Enter: the start page, the case ended.
    h.send(
        (0..4)
            .map(|_| key(KeyCode::Down))
            .chain([key(KeyCode::Enter)]),
    );
    assert!(h.settle());
    assert!(
        h.screen().contains("找不到备用金或注销入口"),
        "{}",
        h.screen()
    );
    h.send(enter(1));
    assert!(h.settle());
    assert!(h.screen().contains("开始新的销户"), "{}", h.screen());
    h.send(typed("q"));
    assert!(!h.settle());
    h.shell.finish(Ok(())).unwrap();
    let case = stored(&mut observer);
    assert_eq!(case.state, CaseState::NeedsService);
    assert_eq!(case.step, "not-found");

    // Resumed (as `xiaohu resume ID` does): on the end; Esc is the start page, still ended.
    let mut mine = observer.another_terminal();
    let opened = mine.open(&case.id).unwrap();
    let mut h = harness(Box::new(mine), Lang::Zh, None);
    h.shell.start(Some(Action::CaseOpened(Box::new(opened))));
    let screen = h.screen();
    assert!(screen.contains("找不到备用金或注销入口"), "{screen}");
    assert!(screen.contains("Esc 回到首页"), "{screen}");
    h.send([key(KeyCode::Esc)]);
    assert!(h.settle());
    assert!(h.screen().contains("开始新的销户"), "{}", h.screen());
    h.send(typed("q"));
    assert!(!h.settle());
    h.shell.finish(Ok(())).unwrap();
    let kept = stored(&mut observer);
    assert_eq!(kept.state, CaseState::NeedsService, "still ended");
    assert_eq!(kept.step, "not-found");
}

/// On the full screen a number takes the numbered choice and goes on; where nothing is
/// numbered it does nothing, and in a field it is typed.
#[test]
fn number_keys_take_the_numbered_choice_and_are_typed_in_fields() {
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let mut h = harness(Box::new(store.another_terminal()), Lang::En, None);
    drop(store);
    h.shell.start(None);
    h.send(enter(1)).send(typed("huabei")).send(enter(1));
    assert!(h.settle());
    // On the intro nothing is numbered: 2 does nothing.
    h.send(typed("2"));
    assert!(h.settle());
    assert_eq!(stored(&mut observer).step, "intro");
    h.send(enter(1)).send(enter(3));
    assert!(h.settle());
    let screen = h.screen();
    assert!(
        screen.contains("What does the Huabei page show?"),
        "{screen}"
    );
    assert!(screen.contains("Enter 1-9 choose"), "the footer:\n{screen}");
    // 9 is no choice's number here: nothing. 3 is "Closed": that end, at once.
    h.send(typed("9"));
    assert!(h.settle());
    assert_eq!(stored(&mut observer).step, "status");
    h.send(typed("3"));
    assert!(h.settle());
    let case = stored(&mut observer);
    assert_eq!(case.step, "already-closed", "{:?}", case.log);
    assert!(logged(&case, |e| matches!(
        e,
        Logged::Status { option: 2, .. }
    )));
    // Back, then 1 ("Normal") goes on to the amounts, where digits are typed.
    h.send([key(KeyCode::Esc)]).send(typed("1"));
    assert!(h.settle());
    assert_eq!(stored(&mut observer).step, "debt");
    h.send(typed("12"));
    assert!(h.settle());
    assert!(h.screen().contains("12"), "typed:\n{}", h.screen());
    assert_eq!(
        stored(&mut observer).step,
        "debt",
        "a digit in a field is text"
    );
}

/// 备用金 by "I already sent a request", dated last Friday, on the full screen; a week
/// later (the clock moved) the review says its date has passed, and "still waiting" goes to
/// a start page whose notice says so.
#[test]
fn a_request_sent_last_friday_is_counted_from_friday_and_overdue_a_week_later() {
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let mut h = harness(Box::new(store.another_terminal()), Lang::Zh, None);
    drop(store);
    h.shell.start(None);
    h.send(enter(1)).send(typed("beiyongjin")).send(enter(1));
    // Intro; the four navigation ticks and on; status: "already sent a request".
    h.send(enter(1)).send(enter(5));
    h.send([key(KeyCode::Down), key(KeyCode::Down)])
        .send(enter(1));
    for i in 0..3 {
        if i > 0 {
            h.send([key(KeyCode::Tab)]);
        }
        h.send(typed("0"));
    }
    h.send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("提交时的身份验证"), "{screen}");
    h.send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    // Tuesday 1 December in China: today's date is in the field.
    assert!(screen.contains("> 2026-12-01"), "{screen}");
    let clear = Step::Input(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    h.send([clear]).send(typed("2026-11-27")).send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("你在 2026-11-27 提交了申请"), "{screen}");
    // Five business days from Friday: 30 November to 4 December.
    assert!(screen.contains("预计 2026-12-04 前有结果"), "{screen}");
    assert!(
        !screen.contains("联系客服查进度"),
        "not late yet:\n{screen}"
    );
    h.send(typed("q"));
    assert!(!h.settle());
    h.shell.finish(Ok(())).unwrap();
    let case = stored(&mut observer);
    assert!(!logged(&case, |e| matches!(e, Logged::Confirmed { .. })));

    // A week on: Tuesday 8 December, two business days (7 and 8) past the date.
    let mut h = harness(Box::new(observer.another_terminal()), Lang::Zh, None);
    h.clock.advance(Duration::from_secs(7 * 24 * 3600));
    h.shell.start(None);
    h.send([key(KeyCode::Down)]).send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("到今天已超出 2 个工作日"), "{screen}");
    assert!(screen.contains("4. 过了日期还没有结果"), "{screen}");
    // Still waiting: kept in review, and the start page says the date has passed.
    h.send([key(KeyCode::Down), key(KeyCode::Down)])
        .send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("预计日期 2026-12-04 已过"), "{screen}");
    assert!(
        screen.contains("开始新的销户"),
        "on the start page:\n{screen}"
    );
    assert_eq!(stored(&mut observer).state, CaseState::InReview);
}

#[test]
fn plain_mode_shows_escape_sequences_in_content_as_text() {
    use crate::app::plain::Taken;
    use crate::steps::StepBody;
    // What the validator should refuse, put straight into the loaded content.
    let hostile = "\u{1b}[2J\u{1b}]0;x\u{7}";
    let mut content = Content::builtin().unwrap();
    let product = content
        .products
        .iter_mut()
        .find(|p| p.id() == "huabei")
        .unwrap();
    for step in product.steps_mut() {
        step.title.en.to_mut().push_str(hostile);
        if let Some(body) = step.body.as_mut() {
            body.en.to_mut().push_str(hostile);
        }
        if let StepBody::Checklist(c) = &mut step.spec {
            c.items
                .iter_mut()
                .for_each(|i| i.en.to_mut().push_str(hostile));
        }
    }
    let (mut shell, printed) = plain_shell(content, Box::new(MemoryStore::new()), None);
    shell.start(Some(Action::StartProduct("huabei".into())));
    shell.events.steps.extend([
        Step::Input(Taken::Line("\n".into())),
        Step::Wait(Duration::from_secs(1)),
    ]);
    assert!(settle(&mut shell));
    let out = String::from_utf8(printed.0.borrow().clone()).unwrap();
    assert!(!out.contains(['\u{1b}', '\u{7}']), "{out:?}");
    let shown = "\\u{1b}[2J\\u{1b}]0;x\\u{7}";
    // The intro's title and body, then the checklist's title and its first item.
    assert!(out.matches(shown).count() >= 4, "{out}");
}

fn ctrl(c: char) -> Step {
    Step::Input(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

#[test]
fn a_kiosk_lists_no_saved_case_cannot_be_quit_and_names_no_staff_key() {
    // A visitor's case, saved by a staffed terminal on the same cases.
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let mut staff = harness(Box::new(store.another_terminal()), Lang::En, None);
    staff
        .shell
        .start(Some(Action::StartProduct("huabei".into())));
    staff.send(enter(1)).send(typed("q"));
    assert!(!staff.settle(), "q quits a staffed terminal");
    staff.shell.finish(Ok(())).unwrap();
    let saved = stored(&mut observer);

    let mut h = harness(Box::new(store), Lang::En, None);
    h.shell.app.model.kiosk = true;
    h.shell.start(None);
    let screen = h.screen();
    assert!(screen.contains("Start a new closure"), "{screen}");
    assert!(screen.contains("This is a public terminal"), "{screen}");
    assert!(!screen.contains("quit at any time"), "{screen}");
    let listed = format!("Huabei{}", Theme::monochrome().glyphs.separator);
    let leaks = [
        saved.id.as_str(),
        &listed,
        "Unfinished",
        "sessions",
        "q quit",
        "a agent",
    ];
    for leak in leaks {
        assert!(
            !screen.contains(leak),
            "the kiosk shows {leak:?}:\n{screen}"
        );
    }
    // Down then Enter does not reach the saved case: it starts a new one.
    h.send([key(KeyCode::Down)]).send(enter(1));
    assert!(h.settle());
    assert!(h.shell.app.model.case.is_none(), "no case was opened");
    assert!(h.screen().contains("Which product"), "{}", h.screen());
    h.send([key(KeyCode::Esc)]);

    // Every way out a keyboard has, and a pasted q, in a storm.
    let mut storm = vec![
        key(KeyCode::Char('q')),
        key(KeyCode::Char('Q')),
        ctrl('c'),
        ctrl('d'),
        ctrl('z'),
        ctrl('\\'),
        ctrl('4'),
        Step::Input(Event::Paste("q\u{3}\u{4}".into())),
    ];
    storm.extend((0..50).map(|_| key(KeyCode::Esc)));
    h.send(storm.iter().map(clone_step).collect::<Vec<_>>());
    assert!(h.settle(), "the kiosk still runs on the start page");
    // On a step, the same.
    h.send(enter(1)).send(typed("huabei")).send(enter(1));
    h.send(storm.iter().map(clone_step).collect::<Vec<_>>());
    assert!(h.settle(), "the kiosk still runs on a step");
    // The Escs went back to the start page, as they do anywhere; in again.
    h.send(enter(1)).send(typed("huabei")).send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(h.shell.app.model.case.is_some(), "{screen}");
    assert!(
        !h.shell.app.model.show_agent,
        "a does not open the agent panel"
    );
    for hint in ["q quit", "a agent", "Ctrl-C"] {
        assert!(
            !screen.contains(hint),
            "the footer shows {hint:?}:\n{screen}"
        );
    }
    assert!(screen.contains("? help"), "{screen}");
    h.send(typed("a"));
    assert!(h.settle());
    assert!(
        !h.shell.app.model.show_agent,
        "a does not open the agent panel"
    );
    // The help lists no way out and no staff key.
    h.send(typed("?"));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("help"), "{screen}");
    for line in ["quit (the case", "agent panel", "F4", "Ctrl-C"] {
        assert!(!screen.contains(line), "the help shows {line:?}:\n{screen}");
    }
    h.send(storm.iter().map(clone_step).collect::<Vec<_>>());
    assert!(h.settle(), "the kiosk still runs under the help");

    // Staff stop it with SIGTERM, and the case is saved on the way.
    h.signals.raise(libc::SIGTERM);
    assert!(!h.shell.turn().unwrap(), "SIGTERM ends the kiosk");
    assert_eq!(h.shell.finish(Ok(())).unwrap(), Some(libc::SIGTERM));
}

fn clone_step(step: &Step) -> Step {
    match step {
        Step::Input(event) => Step::Input(event.clone()),
        Step::Wait(d) => Step::Wait(*d),
    }
}

#[test]
fn a_kiosk_idle_reset_brings_back_the_first_screen_and_clears_the_scrollback() {
    let store = MemoryStore::new();
    let mut observer = store.another_terminal();
    let minute = Duration::from_secs(60);
    let mut h = harness(Box::new(store), Lang::En, Some(minute));
    h.shell.app.model.kiosk = true;
    h.shell.start(None);
    let first = h.screen();
    assert!(first.contains("Start a new closure"), "{first}");

    // A visitor on the product list, its filter half typed, in the other language, under
    // the help: a minute later, the first screen again, and the scrollback cleared.
    h.send(enter(1)).send(typed("hua"));
    h.send([key(KeyCode::F(2)), key(KeyCode::F(1))]);
    assert!(h.settle());
    // The help covers the list now; the half-typed filter is under it.
    let model = &h.shell.app.model;
    assert!(model.help, "{}", h.screen());
    assert!(
        matches!(&model.screen, crate::wizard::Screen::Picker { filter, .. } if filter.value() == "hua"),
        "{:?}",
        model.screen
    );
    h.send([Step::Wait(minute + super::TICK)]);
    assert!(h.settle());
    assert_eq!(h.screen(), first);
    assert_eq!(purged(), 1, "the idle reset clears the scrollback once");
    let model = &h.shell.app.model;
    assert_eq!(model.lang, Lang::En);
    assert!(!model.help && !model.show_log && model.notice.is_none());

    // A visitor in a case, with its log open and the language switched: the case is kept
    // for staff, listed nowhere here.
    h.send(enter(1)).send(typed("huabei")).send(enter(1));
    h.send([key(KeyCode::F(3)), key(KeyCode::F(2))]);
    assert!(h.settle());
    assert!(h.shell.app.model.show_log, "{}", h.screen());
    h.send([Step::Wait(minute + super::TICK)]);
    assert!(h.settle());
    assert_eq!(h.screen(), first);
    assert_eq!(purged(), 2);
    let case = stored(&mut observer);
    assert_eq!(case.product, "huabei");

    // Staff stop it: both screens wiped, and the last words name no case.
    h.signals.raise(libc::SIGTERM);
    assert!(!h.shell.turn().unwrap());
    h.shell.finish(Ok(())).unwrap();
    assert_eq!(purged(), 4, "the alternate screen, then the normal one");
    let said = h.said.text();
    assert!(!said.contains(case.id.as_str()), "{said}");
    assert!(!said.contains("saved in"), "{said}");
    assert!(said.contains("xiaohu has stopped."), "{said}");
}

#[test]
fn a_kiosk_says_a_failed_save_without_the_store_s_path() {
    let full = Rc::new(Cell::new(false));
    let store = FullDisk {
        inner: MemoryStore::new(),
        full: full.clone(),
    };
    let mut h = harness(Box::new(store), Lang::En, None);
    h.shell.app.model.kiosk = true;
    h.shell.start(Some(Action::StartProduct("huabei".into())));
    full.set(true);
    h.send(enter(1));
    assert!(h.settle());
    let screen = h.screen();
    assert!(screen.contains("This could not be saved yet"), "{screen}");
    assert!(!screen.contains("/data/cases"), "{screen}");
    h.signals.raise(libc::SIGTERM);
    assert!(!h.shell.turn().unwrap());
    h.shell.finish(Ok(())).unwrap();
    let said = h.said.text();
    assert!(said.contains("could not be saved"), "{said}");
    // The signal's line does not claim the save the next line says did not happen.
    assert!(said.contains("stopped by SIGTERM"), "{said}");
    assert!(!said.contains("after saving"), "{said}");
    assert!(
        !said.contains("/data/cases") && !said.contains("huabei"),
        "{said}"
    );
}

#[test]
fn a_kiosk_end_screen_and_too_small_screen_offer_no_receipt_and_no_way_out() {
    for kiosk in [false, true] {
        let mut h = harness(Box::new(MemoryStore::new()), Lang::En, None);
        h.shell.app.model.kiosk = kiosk;
        h.shell.start(Some(Action::StartProduct("huabei".into())));
        // Intro, the two navigation ticks and on; status: not opened, an end.
        h.send(enter(1)).send(enter(3));
        h.send([key(KeyCode::Down)]).send(enter(1));
        assert!(h.settle());
        for lang in ["en", "zh"] {
            let screen = h.screen();
            assert!(
                screen.contains("This account has no Huabei") || screen.contains("没有开通花呗"),
                "{lang}: {screen}"
            );
            for receipt in ["e to save a receipt", "按 e 保存回执"] {
                assert_eq!(screen.contains(receipt), !kiosk && lang_of(receipt) == lang);
            }
            h.send(typed("e"));
            assert!(h.settle());
            assert_eq!(
                h.shell.app.model.notice.is_some(),
                !kiosk,
                "e on a kiosk: {:?}",
                h.shell.app.model.notice
            );
            h.send([key(KeyCode::F(2))]);
            assert!(h.settle());
        }
        // Too small to read: Ctrl-C is offered only where it quits.
        h.send([Step::Input(Event::Resize(40, 10))]);
        assert!(h.settle());
        for lang in ["en", "zh"] {
            h.shell.front.screen.terminal.backend_mut().resize(40, 10);
            let screen = h.screen();
            assert!(screen.contains("40×10"), "{screen}");
            assert_eq!(screen.contains("Ctrl-C"), !kiosk, "{lang}: {screen}");
            h.send([key(KeyCode::F(2))]);
            assert!(h.settle());
        }
    }
}

fn lang_of(text: &str) -> &'static str {
    if text.is_ascii() { "en" } else { "zh" }
}

#[test]
fn a_kiosk_sends_a_case_waiting_for_repayment_to_the_desk_without_its_id() {
    for kiosk in [false, true] {
        let store = MemoryStore::new();
        let mut observer = store.another_terminal();
        let mut h = harness(Box::new(store), Lang::En, None);
        h.shell.app.model.kiosk = kiosk;
        h.shell.start(Some(Action::StartProduct("huabei".into())));
        // Intro, the two navigation ticks and on; status: normal; 7 owed, then home.
        h.send(enter(1)).send(enter(3)).send(enter(1));
        h.send(typed("7"));
        for _ in 0..2 {
            h.send([key(KeyCode::Tab)]).send(typed("0"));
        }
        h.send(enter(2));
        assert!(h.settle());
        let screen = h.screen();
        assert!(screen.contains("Start a new closure"), "{screen}");
        let id = stored(&mut observer).id;
        assert_eq!(screen.contains(id.as_str()), !kiosk, "{screen}");
        assert_eq!(screen.contains("come to the desk"), kiosk, "{screen}");
    }
}

/// Plain mode prints the start page once, whole: its saved cases are read before it is
/// printed, not after as on the full screen.
#[test]
fn plain_mode_prints_the_start_page_with_its_saved_cases_already_read() {
    let mut store = MemoryStore::new();
    let case = crate::store::contract::a_case("2026-11-02T09:30:00+08:00");
    store.save(&case, false).unwrap();
    let (mut shell, printed) = plain_shell(Content::builtin().unwrap(), Box::new(store), None);
    shell.start(None);
    assert!(!shell.app.model.reading_saved);
    shell
        .events
        .steps
        .push_back(Step::Wait(Duration::from_secs(1)));
    assert!(settle(&mut shell));
    let text = String::from_utf8(printed.0.borrow().clone()).unwrap();
    assert!(
        text.contains("Unfinished cases\n2. Weilidai, in progress"),
        "{text}"
    );
    assert!(!text.contains("Reading the saved cases"), "{text}");
}

/// At 80×24 the help is longer than the window: PgDn reaches its last line and the marker
/// goes; however often PgDn was pressed, one PgUp moves back at once.
#[test]
fn the_help_scrolls_to_its_last_line_and_back() {
    for lang in [Lang::Zh, Lang::En] {
        let mut h = harness(Box::new(MemoryStore::new()), lang, None);
        h.shell.start(Some(Action::StartProduct("weilidai".into())));
        // Two lines short of 80×24: every key fits the help's first page, and its last
        // sentence does not, in both languages.
        let (w, h_) = (80, 22);
        h.send([Step::Input(Event::Resize(w, h_))]);
        h.shell.front.screen.terminal.backend_mut().resize(w, h_);
        h.send([key(KeyCode::F(1))]);
        assert!(h.settle());
        let top = h.screen();
        // The start of the help's last sentence (it may wrap).
        let ui = &h.shell.app.content.ui;
        let last: String = ui.help_saved.get(lang).chars().take(8).collect();
        let quit = ui.help_quit.get(lang).to_owned();
        assert!(top.contains(&quit), "every key on the first page: {top}");
        assert!(!top.contains(&last) && top.contains("PgDn"), "{top}");
        h.send((0..10).map(|_| key(KeyCode::PageDown)));
        assert!(h.settle());
        let end = h.screen();
        assert!(end.contains(&last) && !end.contains("↓ PgDn"), "{end}");
        h.send([key(KeyCode::PageUp)]);
        assert!(h.settle());
        assert!(!h.screen().contains(&last), "one PgUp after ten PgDn");
        h.send((0..10).map(|_| key(KeyCode::PageUp)));
        assert!(h.settle());
        assert_eq!(h.screen(), top);
    }
}
