//! Snapshots of every screen kind, in Chinese and English, at 80×24 and at the minimum size.
//! Each screen is reached by driving the real `update` with actions, then drawn by the real
//! `ui::render` into a `TestBackend`.

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use tui_input::InputRequest;
use unicode_width::UnicodeWidthStr;

use xiaohu::content::{Content, Lang, StepKind};
use xiaohu::ui::{self, Ambiguous, MIN_HEIGHT, MIN_WIDTH, Theme};
use xiaohu::wizard::CaseState;
use xiaohu::wizard::worklist::{Page, Queue};
use xiaohu::wizard::{Action, CaseId, CaseSummary, Model, Screen, Time, update};

fn now() -> Time {
    DateTime::parse_from_rfc3339("2026-09-28T10:00:00+08:00").unwrap()
}

struct Walk {
    model: Model,
    content: Content,
}

impl Walk {
    fn new(lang: Lang) -> Walk {
        Walk {
            model: Model::new(lang, false),
            content: Content::builtin().unwrap(),
        }
    }

    fn act(&mut self, action: Action) -> &mut Self {
        update(&mut self.model, &self.content, action, now());
        self
    }

    fn typed(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.act(Action::Edit(InputRequest::InsertChar(c)));
        }
        self
    }

    fn kind(&self) -> Option<StepKind> {
        let case = self.model.case.as_ref()?;
        Some(
            self.content
                .product(&case.product)?
                .step(&case.step)?
                .kind(),
        )
    }

    /// Answers steps the plain way (all ticked, zero owed, first choice) until `kind`.
    fn until(&mut self, kind: StepKind) -> &mut Self {
        for _ in 0..60 {
            let current = self.kind().expect("on a step");
            if current == kind {
                return self;
            }
            match current {
                StepKind::Debt => {
                    let n = match &self.model.screen {
                        Screen::Step(v) => v.inputs.len(),
                        _ => 0,
                    };
                    for i in 0..n {
                        if i > 0 {
                            self.act(Action::NextField);
                        }
                        self.typed("0");
                    }
                    self.act(Action::Enter);
                }
                StepKind::Confirm => {
                    self.typed("确认").act(Action::Enter);
                }
                StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
                    for _ in 0..12 {
                        self.act(Action::Enter);
                        if self.kind() != Some(current) {
                            break;
                        }
                    }
                }
                _ => {
                    self.act(Action::Enter);
                }
            }
        }
        panic!("never reached {kind:?}");
    }

    fn draw(&self, width: u16, height: u16) -> String {
        self.draw_with(width, height, &Theme::monochrome())
    }

    fn draw_with(&self, width: u16, height: u16, theme: &Theme) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let frame = terminal
            .draw(|f| ui::render(f, &self.model, &self.content, theme))
            .unwrap();
        let buffer = frame.buffer.clone();
        let mut out = String::new();
        for y in 0..height {
            let mut x = 0;
            let mut line = String::new();
            while x < width {
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                x += u16::try_from(symbol.width().max(1)).unwrap();
            }
            assert_eq!(
                line.width(),
                usize::from(width),
                "row {y} is not exactly {width} columns: {line:?}"
            );
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

fn both_sizes(name: &str, walk: &Walk) {
    insta::assert_snapshot!(format!("{name}_80x24"), walk.draw(80, 24));
    insta::assert_snapshot!(format!("{name}_min"), walk.draw(MIN_WIDTH, MIN_HEIGHT));
}

fn each_lang(name: &str, make: impl Fn(Lang) -> Walk) {
    for lang in [Lang::Zh, Lang::En] {
        let walk = make(lang);
        both_sizes(&format!("{name}_{}", lang.code()), &walk);
    }
}

fn at_step(product: &str, kind: StepKind) -> impl Fn(Lang) -> Walk {
    let product = product.to_owned();
    move |lang| {
        let mut w = Walk::new(lang);
        w.act(Action::StartProduct(product.clone()));
        w.until(kind);
        w
    }
}

#[test]
fn welcome_with_saved_cases() {
    each_lang("welcome", welcome_walk);
}

fn welcome_walk(lang: Lang) -> Walk {
    {
        let mut w = Walk::new(lang);
        let summary = |id: &str, product: &str, step: &str, state| CaseSummary {
            id: CaseId::parse(id).unwrap(),
            product: product.into(),
            step: step.into(),
            state,
            updated: now(),
            expected: None,
            customer: None,
            agent: None,
            archived: false,
        };
        w.act(Action::SavedList(Page::all(
            vec![
                summary(
                    "20260925-090000-huabei",
                    "huabei",
                    "debt",
                    CaseState::WaitingRepayment,
                ),
                summary(
                    "20260926-090000-xiaomi-beiyongjin",
                    "xiaomi-beiyongjin",
                    "review",
                    CaseState::InReview,
                ),
                summary(
                    "20260920-090000-weilidai",
                    "weilidai",
                    "closed",
                    CaseState::Closed,
                ),
            ],
            vec![("cases/broken.toml".into(), "the file is empty".into())],
        )));
        w
    }
}

#[test]
fn product_picker_filtered() {
    each_lang("picker", |lang| {
        let mut w = Walk::new(lang);
        w.act(Action::Enter);
        w
    });
    each_lang("picker_filtered", |lang| {
        let mut w = Walk::new(lang);
        w.act(Action::Enter).typed("xiao");
        w
    });
}

#[test]
fn intro() {
    each_lang("intro", at_step("weilidai", StepKind::Intro));
}

#[test]
fn navigate() {
    each_lang("navigate", |lang| {
        let mut w = at_step("weilidai", StepKind::Navigate)(lang);
        w.act(Action::Tick).act(Action::Enter);
        w
    });
}

#[test]
fn status() {
    each_lang("status", at_step("weilidai", StepKind::Status));
}

#[test]
fn debt_with_errors_and_blocked() {
    each_lang("debt", |lang| {
        let mut w = at_step("huabei", StepKind::Debt)(lang);
        w.typed("12.345")
            .act(Action::NextField)
            .typed("-1")
            .act(Action::NextField)
            .typed("¥1,234.5");
        w.act(Action::Enter);
        w
    });
    each_lang("debt_blocked", |lang| {
        let mut w = at_step("weilidai", StepKind::Debt)(lang);
        w.typed("1,234.5")
            .act(Action::NextField)
            .typed("0")
            .act(Action::Enter);
        w
    });
}

#[test]
fn verify() {
    each_lang("verify", at_step("weilidai", StepKind::Verify));
}

#[test]
fn consequences() {
    each_lang("consequences", at_step("weilidai", StepKind::Consequences));
}

#[test]
fn confirm_with_mismatch() {
    each_lang("confirm", |lang| {
        let mut w = at_step("weilidai", StepKind::Confirm)(lang);
        w.typed("yes").act(Action::Enter);
        w
    });
}

#[test]
fn contact() {
    each_lang("contact", |lang| {
        let mut w = at_step("xiaomi-fenqi", StepKind::Contact)(lang);
        w.typed("工单 A-1029");
        w
    });
}

#[test]
fn review_with_expected_date() {
    each_lang("review", at_step("xiaomi-beiyongjin", StepKind::Review));
}

#[test]
fn wait_for_a_refund() {
    each_lang("wait", at_step("xiaomi-fenqi", StepKind::Wait));
}

#[test]
fn followup() {
    each_lang("followup", at_step("weilidai", StepKind::Followup));
}

#[test]
fn outcome_closed() {
    each_lang("outcome", at_step("weilidai", StepKind::Outcome));
}

#[test]
fn help_overlay() {
    each_lang("help", |lang| {
        let mut w = at_step("weilidai", StepKind::Status)(lang);
        w.act(Action::Help);
        w
    });
}

#[test]
fn log_pane() {
    each_lang("log", |lang| {
        let mut w = at_step("weilidai", StepKind::Verify)(lang);
        w.act(Action::ToggleLog);
        w
    });
}

/// The simulated phone at the verify step of a demo, with the method `down` rows below
/// the first (0: payment password, 1: SMS code), drawn tall enough to show all of it.
fn phone_at(lang: Lang, down: usize) -> Walk {
    let mut w = Walk::new(lang);
    w.model.demo = true;
    w.act(Action::StartProduct("weilidai".into()));
    w.until(StepKind::Verify);
    for _ in 0..down {
        w.act(Action::Down);
    }
    w.act(Action::Enter);
    w
}

/// The phone is a handset of its own, and nothing on the screen asks to type a password
/// or a code into the program: the digits are keyed on the simulated phone.
#[test]
fn the_demo_phone_is_framed_apart_and_never_asks_for_a_password_here() {
    for lang in [Lang::Zh, Lang::En] {
        for down in [0, 1] {
            let screen = phone_at(lang, down).draw(80, 50);
            for wrong in [
                "当作支付密码输入",
                "as if it were your payment password",
                "输入验证码",
                "type the code",
            ] {
                assert!(!screen.contains(wrong), "{wrong:?} on:\n{screen}");
            }
            let framed = screen.lines().filter(|l| l.contains("│   │ ")).count();
            assert!(framed >= 5, "the phone is a frame of its own:\n{screen}");
            let top = screen
                .lines()
                .position(|l| l.contains("│   ╭"))
                .expect("top edge");
            let title = if lang == Lang::Zh {
                "模拟手机"
            } else {
                "Simulated phone"
            };
            assert!(
                screen.lines().nth(top + 1).unwrap().contains(title),
                "{screen}"
            );
        }
    }
}

/// A payment password is never sent again: its phone shows no resend countdown; the SMS
/// code's phone does.
#[test]
fn only_the_sms_phone_shows_a_resend_countdown() {
    let password = phone_at(Lang::En, 0).draw(80, 50);
    assert!(
        !password.contains("can be sent in") && !password.contains("F5"),
        "{password}"
    );
    let sms = phone_at(Lang::En, 1).draw(80, 50);
    assert!(sms.contains("A new code can be sent in 60 s"), "{sms}");
}

/// F5 during the countdown says how long is left; with fewer than six digits, Enter says
/// a code has six and the tries stay.
#[test]
fn f5_too_early_says_how_long_and_a_short_code_is_not_a_try() {
    let mut w = phone_at(Lang::En, 1);
    w.act(Action::Resend);
    let screen = w.draw(80, 50);
    assert!(
        screen.contains("Not yet: a new code can be sent in 60 s"),
        "{screen}"
    );
    w.typed("123").act(Action::Enter);
    let screen = w.draw(80, 50);
    assert!(screen.contains("It takes all 6 digits"), "{screen}");
    assert!(screen.contains("3 tries left"), "{screen}");
}

#[test]
fn demo_phone_panel() {
    each_lang("phone", |lang| {
        let mut w = Walk::new(lang);
        w.model.demo = true;
        w.act(Action::StartProduct("weilidai".into()));
        w.until(StepKind::Verify);
        w.act(Action::Enter); // payment password: the phone shows a demo code
        w.typed("000001").act(Action::Enter); // a wrong try
        w.typed("42"); // two digits, drawn as dots
        let screen = w.draw(80, 24);
        assert!(
            screen.contains("••") && !screen.contains("42"),
            "masked:\n{screen}"
        );
        w
    });
}

#[test]
fn agent_panel() {
    each_lang("agent", |lang| {
        let mut w = at_step("huabei", StepKind::Verify)(lang);
        w.act(Action::ToggleAgent);
        w
    });
    // Wide enough, it stands beside the customer's screen.
    for lang in [Lang::Zh, Lang::En] {
        let mut w = at_step("xiaomi-fenqi", StepKind::Contact)(lang);
        w.act(Action::ToggleAgent);
        insta::assert_snapshot!(
            format!("agent_beside_{}_140x40", lang.code()),
            w.draw(140, 40)
        );
        let notes = Content::builtin().unwrap();
        let step = notes
            .product("xiaomi-fenqi")
            .unwrap()
            .step("contact")
            .unwrap();
        let first_words: String = step
            .agent
            .as_ref()
            .unwrap()
            .get(lang)
            .chars()
            .take(12)
            .collect();
        assert!(
            w.draw(140, 40).contains(&first_words),
            "the step's notes are shown"
        );
    }
}

#[test]
fn too_small_asks_to_enlarge() {
    for lang in [Lang::Zh, Lang::En] {
        let w = Walk::new(lang);
        let screen = w.draw(MIN_WIDTH - 1, MIN_HEIGHT);
        insta::assert_snapshot!(format!("too_small_{}", lang.code()), screen);
        // Even a 1×1 window draws without panicking.
        w.draw(1, 1);
    }
}

#[test]
fn the_footer_never_drops_a_key() {
    // At 80×24 and at the minimum size, in both languages, on every kind of screen: every
    // key the footer means to show is on screen (on one or two lines).
    let kinds = [
        StepKind::Intro,
        StepKind::Navigate,
        StepKind::Status,
        StepKind::Debt,
        StepKind::Verify,
        StepKind::Consequences,
        StepKind::Confirm,
        StepKind::Contact,
        StepKind::Review,
        StepKind::Followup,
        StepKind::Outcome,
        StepKind::Wait,
    ];
    for lang in [Lang::Zh, Lang::En] {
        for kind in kinds {
            let w = at_step("xiaomi-fenqi", kind)(lang);
            for (width, height) in [(80, 24), (MIN_WIDTH, MIN_HEIGHT)] {
                let screen = w.draw(width, height);
                let bottom: String = screen.lines().rev().take(2).collect::<Vec<_>>().join("\n");
                for (key, action) in ui::footer::keys(&w.model, &w.content) {
                    let entry = format!("{key} {}", action.get(lang));
                    assert!(
                        bottom.contains(&entry),
                        "{kind:?} {lang:?} {width}x{height}: `{entry}` missing from\n{bottom}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_tiny_size_draws_without_panicking() {
    for lang in [Lang::Zh, Lang::En] {
        let mut w = at_step("weilidai", StepKind::Debt)(lang);
        w.act(Action::Help);
        for width in 1..=MIN_WIDTH + 2 {
            for height in [1, 2, 3, 5, 10, MIN_HEIGHT - 1, MIN_HEIGHT, 49] {
                w.draw(width, height);
            }
        }
    }
}

#[test]
fn the_captures_in_assets_are_current() {
    // assets/screens/*.txt are quoted by the README; they must be what the program draws.
    for name in ["welcome_zh", "debt_en", "review_zh"] {
        let snap =
            std::fs::read_to_string(format!("tests/snapshots/screens__{name}_80x24.snap")).unwrap();
        let body = snap.split_once("\n---\n").unwrap().1;
        let asset = std::fs::read_to_string(format!("assets/screens/{name}.txt")).unwrap();
        assert_eq!(
            asset.trim_end(),
            body.trim_end(),
            "assets/screens/{name}.txt is stale"
        );
    }
}

#[test]
fn a_locked_case_notice_follows_the_language_on_screen() {
    let mut w = Walk::new(Lang::Zh);
    w.act(Action::OpenFailed(xiaohu::wizard::StoreFault::new(
        xiaohu::wizard::FaultKind::Locked("abc".into()),
        "case abc is open in another terminal; quit it there first",
    )));
    let zh = w.draw(80, 24);
    assert!(zh.contains("记录 abc 正在另一个终端中打开"), "{zh}");
    w.act(Action::SwitchLang);
    let en = w.draw(80, 24);
    assert!(en.contains("Case abc is open in another terminal"), "{en}");
}

/// Screens that between them use every style slot: selections, ticks, inline errors, the
/// blocked amount, the demo mark, an outcome, a notice, help and the log.
fn styled_walks() -> Vec<Walk> {
    let mut walks = Vec::new();
    for demo in [false, true] {
        let mut w = Walk::new(Lang::En);
        w.model = Model::new(Lang::En, demo);
        walks.push(w);
    }
    let mut w = at_step("huabei", StepKind::Debt)(Lang::Zh);
    w.typed("12.345")
        .act(Action::NextField)
        .typed("-1")
        .act(Action::NextField)
        .typed("0");
    w.act(Action::Enter);
    walks.push(w);
    let mut w = at_step("weilidai", StepKind::Debt)(Lang::En);
    w.typed("5")
        .act(Action::NextField)
        .typed("0")
        .act(Action::Enter);
    walks.push(w);
    let mut w = at_step("weilidai", StepKind::Navigate)(Lang::En);
    w.act(Action::Tick).act(Action::Down);
    walks.push(w);
    let mut w = at_step("weilidai", StepKind::Confirm)(Lang::En);
    w.typed("yes").act(Action::Enter);
    walks.push(w);
    walks.push(at_step("xiaomi-fenqi", StepKind::Contact)(Lang::Zh));
    walks.push(at_step("weilidai", StepKind::Outcome)(Lang::En));
    let mut w = at_step("weilidai", StepKind::Status)(Lang::En);
    w.act(Action::Help);
    walks.push(w);
    let mut w = at_step("weilidai", StepKind::Verify)(Lang::En);
    w.act(Action::ToggleLog);
    walks.push(w);
    walks
}

/// The cells drawn in a colour other than the terminal's own: (x, y, fg, bg).
fn coloured_cells(walk: &Walk, theme: &Theme) -> Vec<(u16, u16, Color, Color)> {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let frame = terminal
        .draw(|f| ui::render(f, &walk.model, &walk.content, theme))
        .unwrap();
    let buffer = frame.buffer.clone();
    let mut out = Vec::new();
    for y in 0..24 {
        for x in 0..80 {
            let cell = &buffer[(x, y)];
            if cell.fg != Color::Reset || cell.bg != Color::Reset {
                out.push((x, y, cell.fg, cell.bg));
            }
        }
    }
    out
}

#[test]
fn monochrome_and_no_color_draw_no_colour_at_all() {
    let high_contrast = Theme::builtin("high-contrast").unwrap();
    let no_color = Theme::for_env(Some("1"), high_contrast);
    for (i, walk) in styled_walks().iter().enumerate() {
        for theme in [Theme::monochrome(), no_color] {
            let cells = coloured_cells(walk, &theme);
            assert!(cells.is_empty(), "screen {i}: coloured cells {cells:?}");
        }
        // The same screens do have colour in the default theme, so the check can fail.
        assert!(
            !coloured_cells(walk, &Theme::color()).is_empty(),
            "screen {i}"
        );
    }
}

#[test]
fn high_contrast_marks_the_selection_with_a_background() {
    let theme = Theme::builtin("high-contrast").unwrap();
    let walk = at_step("weilidai", StepKind::Status)(Lang::En);
    let cells = coloured_cells(&walk, &theme);
    assert!(
        cells
            .iter()
            .any(|(_, _, fg, bg)| *fg == Color::Black && *bg == Color::LightYellow),
        "{cells:?}"
    );
    // No grey text: nothing is drawn in dark grey, as the default theme does for hints.
    assert!(cells.iter().all(|(_, _, fg, _)| *fg != Color::DarkGray));
}

/// An end reached by "I can't find it": the keys line says Esc goes back to choose again.
#[test]
fn outcome_reached_by_cant_find() {
    each_lang("outcome_cant_find", |lang| {
        let mut w = at_step("xiaomi-beiyongjin", StepKind::Navigate)(lang);
        // Past the four items to the escape row, and Enter.
        for _ in 0..4 {
            w.act(Action::Down);
        }
        w.act(Action::Enter);
        assert_eq!(w.kind(), Some(StepKind::Outcome));
        w
    });
}

/// 小米 备用金's words follow seed 001: closing clears the account's data from the service,
/// and only what the law requires is kept (no item says the lender keeps the account); the
/// 天星金融 route is called unverified, and nothing sends the person to start again here,
/// which would lead to the same end.
#[test]
fn beiyongjin_follows_seed_001_and_its_unverified_route_does_not_loop() {
    let content = Content::builtin().unwrap();
    let product = content.product("xiaomi-beiyongjin").unwrap();
    let items = &product
        .step("consequences")
        .unwrap()
        .checklist()
        .unwrap()
        .items;
    let zh: Vec<&str> = items.iter().map(|t| &*t.zh).collect();
    let en: Vec<&str> = items.iter().map(|t| &*t.en).collect();
    assert!(zh.iter().any(|t| t.contains("清除")), "{zh:?}");
    assert!(en.iter().any(|t| t.contains("cleared")), "{en:?}");
    assert!(zh.iter().any(|t| t.contains("法律要求")), "{zh:?}");
    assert!(
        !en.iter().any(|t| t.contains("keeps your account")),
        "{en:?}"
    );
    assert!(!zh.iter().any(|t| t.contains("保留你的账户")), "{zh:?}");
    let body = product.step("not-found").unwrap().body.clone().unwrap();
    assert!(body.zh.contains("没有核实过"), "{}", body.zh);
    assert!(body.en.contains("unverified"), "{}", body.en);
    for again in ["重新开始", "start again here"] {
        assert!(!body.zh.contains(again) && !body.en.contains(again));
    }
}

/// 备用金 by "I already sent a request", on its `sent` step.
fn at_sent(lang: Lang) -> Walk {
    let mut w = at_step("xiaomi-beiyongjin", StepKind::Status)(lang);
    w.act(Action::Down).act(Action::Down).act(Action::Enter);
    w.until(StepKind::Sent);
    w
}

#[test]
fn sent_with_a_future_date_refused() {
    each_lang("sent", |lang| {
        let mut w = at_sent(lang);
        w.act(Action::Edit(InputRequest::DeleteLine));
        w.typed("2026-09-29").act(Action::Enter);
        w
    });
}

#[test]
fn review_of_a_request_sent_long_ago_is_past_its_date() {
    each_lang("review_overdue", |lang| {
        let mut w = at_sent(lang);
        w.act(Action::Edit(InputRequest::DeleteLine));
        w.typed("2026-09-01").act(Action::Enter);
        assert_eq!(w.kind(), Some(StepKind::Review));
        w
    });
}

/// The screen as a terminal that draws ambiguous-width characters two cells wide shows it
/// (`--ambiguous-wide`), after checking that no cell holds an ambiguous character: there
/// each would push the rest of its row one cell to the right.
fn draw_wide(walk: &Walk, width: u16, height: u16) -> String {
    let theme = Theme::monochrome().for_terminal(Ambiguous::Wide);
    let screen = walk.draw_with(width, height, &theme);
    let ambiguous: Vec<(usize, char)> = screen
        .lines()
        .enumerate()
        .flat_map(|(y, l)| l.chars().map(move |c| (y, c)))
        .filter(|&(_, c)| ui::glyphs::is_ambiguous(c))
        .collect();
    assert!(
        ambiguous.is_empty(),
        "ambiguous characters (row, char) {ambiguous:?} in a wide terminal:\n{screen}"
    );
    screen
}

#[test]
fn wide_ambiguous_terminals_get_ascii_chrome_start_page_and_checklist() {
    for lang in [Lang::Zh, Lang::En] {
        let code = lang.code();
        let start = welcome_walk(lang);
        insta::assert_snapshot!(
            format!("wide_welcome_{code}_80x24"),
            draw_wide(&start, 80, 24)
        );
        let mut checklist = at_step("weilidai", StepKind::Navigate)(lang);
        checklist.act(Action::Tick).act(Action::Enter);
        insta::assert_snapshot!(
            format!("wide_navigate_{code}_80x24"),
            draw_wide(&checklist, 80, 24)
        );
    }
}

#[test]
fn wide_ambiguous_terminals_get_no_ambiguous_character_on_any_screen() {
    let kinds = [
        StepKind::Intro,
        StepKind::Navigate,
        StepKind::Status,
        StepKind::Debt,
        StepKind::Verify,
        StepKind::Consequences,
        StepKind::Confirm,
        StepKind::Outcome,
    ];
    for lang in [Lang::Zh, Lang::En] {
        let mut walks = vec![welcome_walk(lang)];
        let mut picker = Walk::new(lang);
        picker.act(Action::Enter);
        walks.push(picker);
        for product in ["weilidai", "huabei", "xiaomi-beiyongjin", "baitiao"] {
            for kind in kinds {
                let mut w = Walk::new(lang);
                w.act(Action::StartProduct(product.into()));
                w.until(kind);
                walks.push(w);
            }
        }
        for (toggle, kind) in [
            (Action::Help, StepKind::Status),
            (Action::ToggleLog, StepKind::Verify),
            (Action::ToggleAgent, StepKind::Verify),
        ] {
            let mut w = at_step("huabei", kind)(lang);
            w.act(toggle);
            walks.push(w);
        }
        let mut phone = Walk::new(lang);
        phone.model.demo = true;
        phone.act(Action::StartProduct("weilidai".into()));
        phone.until(StepKind::Verify);
        phone.act(Action::Enter).typed("42");
        walks.push(phone);
        for w in &walks {
            for (width, height) in [(80, 24), (MIN_WIDTH, MIN_HEIGHT), (140, 40), (30, 10)] {
                draw_wide(w, width, height);
            }
        }
    }
}

/// Escape sequences a content file could hold if the validator let them through: clear the
/// screen, retitle the window.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]0;x\u{7}";
/// The same, as every front end shows it (`safe_text`).
const HOSTILE_SHOWN: &str = "\\u{1b}[2J\\u{1b}]0;x\\u{7}";

/// The built-in content with `HOSTILE` after every text of Weilidai (the validator is not
/// asked: this is what gets past it) and after some of the interface's own strings.
fn hostile_content() -> Content {
    use xiaohu::steps::StepBody;
    let mut content = Content::builtin().unwrap();
    let bad = |t: &mut xiaohu::content::Text| {
        t.zh.to_mut().push_str(HOSTILE);
        t.en.to_mut().push_str(HOSTILE);
    };
    let product = content
        .products
        .iter_mut()
        .find(|p| p.id() == "weilidai")
        .unwrap();
    bad(&mut product.info.name);
    bad(&mut product.info.provider);
    for step in product.steps_mut() {
        bad(&mut step.title);
        step.body.as_mut().map(bad);
        step.agent.as_mut().map(bad);
        match &mut step.spec {
            StepBody::Checklist(c) => c.items.iter_mut().for_each(bad),
            StepBody::Status(s) => s.options.iter_mut().for_each(bad),
            _ => {}
        }
    }
    let ui = &mut content.ui;
    for t in [
        &mut ui.welcome_new,
        &mut ui.welcome_title,
        &mut ui.act_help,
        &mut ui.help_title,
        &mut ui.help_move,
        &mut ui.log_title,
    ] {
        bad(t);
    }
    content
}

#[test]
fn escape_sequences_in_content_are_shown_not_sent_on_the_full_screen() {
    for lang in [Lang::Zh, Lang::En] {
        let mut walks = Vec::new();
        let mut w = Walk {
            model: Model::new(lang, false),
            content: hostile_content(),
        };
        walks.push((
            "start page",
            Walk {
                model: w.model.clone(),
                content: hostile_content(),
            },
        ));
        w.act(Action::StartProduct("weilidai".into()));
        for kind in [StepKind::Intro, StepKind::Navigate, StepKind::Status] {
            w.until(kind);
            walks.push((
                "step",
                Walk {
                    model: w.model.clone(),
                    content: hostile_content(),
                },
            ));
        }
        let mut help = Walk {
            model: w.model.clone(),
            content: hostile_content(),
        };
        help.act(Action::Help);
        walks.push(("help", help));
        let mut log = Walk {
            model: w.model.clone(),
            content: hostile_content(),
        };
        log.act(Action::ToggleAgent);
        walks.push(("agent", log));
        for (what, walk) in &walks {
            for theme in [
                Theme::monochrome(),
                Theme::monochrome().for_terminal(Ambiguous::Wide),
            ] {
                let screen = walk.draw_with(140, 40, &theme);
                assert!(
                    !screen.contains(['\u{1b}', '\u{7}']),
                    "{what}: a raw escape on screen:\n{screen}"
                );
                let lines: Vec<&str> = screen.lines().collect();
                let shown = |row: &str| row.contains(HOSTILE_SHOWN);
                // The title on the border; on a step the product in the header; the footer's
                // "help"; every checklist item and choice.
                let footer = &lines[lines.len() - 2..];
                assert!(
                    *what == "help" || footer.iter().any(|l| shown(l)),
                    "{what}: the footer does not show it:\n{screen}"
                );
                let mut rows = vec![1];
                if *what != "start page" {
                    rows.push(0);
                }
                for row in rows {
                    assert!(
                        shown(lines[row]),
                        "{what}: row {row} does not show the escape as text:\n{screen}"
                    );
                }
                if *what == "help" {
                    let help = lines.iter().filter(|l| shown(l)).count();
                    assert!(help >= 3, "help: the title and key lines:\n{screen}");
                }
                for row in &lines {
                    let item = row.contains("[ ]") || row.contains("[x]") || row.contains("[✓]");
                    let choice = row.contains(" 1. ") || row.contains(" 2. ");
                    if item || choice {
                        assert!(shown(row), "{what}: {row:?}\n{screen}");
                    }
                }
            }
        }
    }
}

/// Nothing the demo says teaches typing a password or a code into this program: not the
/// UI strings, not a tour's captions (the rule on the verify step says they go only into
/// the provider's own app or page, and the simulated phone stands for that).
#[test]
fn no_demo_words_ask_to_type_a_password_or_code_here() {
    let forbidden = [
        "当作支付密码",
        "as if it were your payment password",
        "输入时只显示圆点",
        "typed as dots",
        "typed here as dots",
        "请输入模拟手机上的演示码",
        "Type the demo code",
    ];
    let mut texts = vec![(
        "content/ui.toml".to_owned(),
        std::fs::read_to_string("content/ui.toml").unwrap(),
    )];
    for entry in std::fs::read_dir("assets/demo").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            texts.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    for (path, text) in &texts {
        for line in text.lines() {
            for phrase in forbidden {
                assert!(!line.contains(phrase), "{path}: {phrase:?} in {line}");
            }
        }
    }
}

// The case book: the note field over a step, and the agent panel on a review resumed
// past its date, at another desk, days later.

#[test]
fn note_field_open_over_a_step() {
    each_lang("note_field", |lang| {
        let mut w = at_step("huabei", StepKind::Debt)(lang);
        w.act(Action::Note);
        w.typed("客户说下周一还清，再来办");
        let screen = w.draw(80, 24);
        assert!(screen.contains("客户说下周一还清"), "{screen}");
        // Its own keys in the footer: keep, drop; the step's are not offered.
        let keep = &w.content.ui.act_keep_note;
        assert!(
            screen.contains(&format!("Enter {}", keep.get(lang))),
            "{screen}"
        );
        w
    });
    // A secret refused: the usual message, the field empty.
    each_lang("note_refused", |lang| {
        let mut w = at_step("weilidai", StepKind::Status)(lang);
        w.act(Action::Note);
        w.typed("验证码 482913").act(Action::Enter);
        let screen = w.draw(80, 24);
        assert!(!screen.contains("482913"), "{screen}");
        w
    });
}

/// Xiaomi Beiyongjin in review (expected 2026-10-10), taken up again on Wednesday 14 October
/// at desk 3 by 王芳: three business days late.
fn resumed_overdue(lang: Lang) -> Walk {
    let mut first = at_step("xiaomi-beiyongjin", StepKind::Review)(lang);
    first.act(Action::Quit);
    let case = first.model.case.clone().expect("the case");
    let mut w = Walk::new(lang);
    w.model.staff = xiaohu::wizard::Staff {
        agent: Some("王芳".into()),
        desk: Some("3号窗口".into()),
    };
    let later = DateTime::parse_from_rfc3339("2026-10-14T09:30:00+08:00").unwrap();
    update(
        &mut w.model,
        &w.content,
        Action::CaseOpened(Box::new(case)),
        later,
    );
    update(&mut w.model, &w.content, Action::ToggleAgent, later);
    w
}

/// The worklist at a staffed desk: queues most urgent first, two cases of one product told
/// apart by their customer, a review days late, the agent on each line.
fn worklist_walk(lang: Lang) -> Walk {
    let mut w = Walk::new(lang);
    w.model.staff.agent = Some("李娜".into());
    let summary =
        |id: &str, product: &str, state, expected: Option<&str>, customer: &str| CaseSummary {
            id: CaseId::parse(id).unwrap(),
            product: product.into(),
            step: "review".into(),
            state,
            updated: now(),
            expected: expected.map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            customer: Some(customer.into()),
            agent: Some("李娜".into()),
            archived: false,
        };
    w.act(Action::SavedList(Page::all(
        vec![
            summary(
                "20260901-090000-xiaomi-beiyongjin",
                "xiaomi-beiyongjin",
                CaseState::InReview,
                Some("2026-10-09"),
                "张三",
            ),
            summary(
                "20260902-090000-xiaomi-beiyongjin",
                "xiaomi-beiyongjin",
                CaseState::InReview,
                Some("2026-09-22"),
                "王先生",
            ),
            summary(
                "20260903-090000-huabei",
                "huabei",
                CaseState::WaitingRepayment,
                None,
                "A023",
            ),
            summary(
                "20260904-090000-jiebei",
                "jiebei",
                CaseState::Rejected,
                None,
                "赵女士",
            ),
        ],
        Vec::new(),
    )));
    w
}

#[test]
fn agent_panel_on_a_review_past_its_date() {
    each_lang("agent_overdue", resumed_overdue);
    for lang in [Lang::Zh, Lang::En] {
        let w = resumed_overdue(lang);
        let screen = w.draw(140, 40);
        insta::assert_snapshot!(format!("agent_overdue_{}_140x40", lang.code()), screen);
        let content = &w.content;
        let step = content
            .product("xiaomi-beiyongjin")
            .unwrap()
            .step("review")
            .unwrap();
        let own: String = step
            .agent
            .as_ref()
            .unwrap()
            .get(lang)
            .chars()
            .take(10)
            .collect();
        assert!(!screen.contains(&own), "not the day-one words:\n{screen}");
        assert!(screen.contains("400-100-3399"), "the hotline:\n{screen}");
        // The log spans two days: its lines carry dates; the resumption names who took it.
        assert!(screen.contains("09-28 10:00"), "{screen}");
        assert!(screen.contains("10-14 09:30"), "{screen}");
        assert!(screen.contains("王芳 · 3号窗口"), "{screen}");
    }
}

#[test]
fn worklist_at_a_staffed_desk() {
    for lang in [Lang::Zh, Lang::En] {
        let w = worklist_walk(lang);
        insta::assert_snapshot!(format!("worklist_{}_80x24", lang.code()), w.draw(80, 24));
    }
    // Typing searches: 王 leaves the one case, selected.
    let mut w = worklist_walk(Lang::Zh);
    w.typed("王");
    let screen = w.draw(80, 24);
    assert!(
        screen.contains("王先生") && !screen.contains("张三"),
        "{screen}"
    );
}

/// A shared book's page: the store sent the first cases of each queue and said how many
/// each holds; the headings count them all and a line under each cut queue says how many
/// more there are and how to reach them.
#[test]
fn worklist_of_a_book_larger_than_a_page() {
    for lang in [Lang::Zh, Lang::En] {
        let mut w = worklist_walk(lang);
        let mut page = Page::all(w.model.saved.clone(), Vec::new());
        page.totals = Some(
            [
                (Queue::Overdue, 1234),
                (Queue::WaitingRepayment, 1),
                (Queue::InReview, 1),
                (Queue::Refused, 7),
            ]
            .into(),
        );
        w.act(Action::SavedList(page));
        let screen = w.draw(100, 30);
        insta::assert_snapshot!(format!("worklist_paged_{}_100x30", lang.code()), screen);
        let (overdue, refused) = match lang {
            Lang::Zh => ("（1234）", "本组另有 6 条未列出"),
            Lang::En => ("(1234)", "6 more in this queue are not listed"),
        };
        assert!(
            screen.contains(overdue) && screen.contains(refused),
            "{screen}"
        );
        assert!(screen.contains("1233"), "{screen}");
    }
}
