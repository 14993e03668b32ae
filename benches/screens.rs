//! Frame and keystroke cost (docs/PERFORMANCE.md, issue 5 items 1 and 2).
//!
//! Every screen kind, in Chinese, reached by driving the real `update` (as
//! `tests/screens.rs` does) and drawn by the real `ui::render` through ratatui's
//! `TestBackend`, so a frame is render + diff + the backend's cell writes:
//!
//! - `frame_redraw`: the same screen drawn again on a terminal that shows it already (the
//!   diff finds nothing to send): the steady cost of a frame.
//! - `frame_full`: the screen drawn on a blank terminal (every cell differs and is sent):
//!   the first frame, or the one after a resize.
//! - `keystroke`: a typical key on that screen, `update` then the redraw, diffed against the
//!   screen as it was before the key.
//!
//! `cargo bench --bench screens` (add `-- frame_full` etc. to pick one).

use std::fmt;
use std::hint::black_box;

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_input::InputRequest;

use xiaohu::content::{Content, Lang, StepKind};
use xiaohu::ui::{self, Theme};
use xiaohu::wizard::worklist::Page;
use xiaohu::wizard::{Action, CaseState, CaseSummary, Model, Screen, Time, update};

fn main() {
    divan::main();
}

fn now() -> Time {
    DateTime::parse_from_rfc3339("2026-09-28T10:00:00+08:00").unwrap()
}

/// The screens benchmarked: every step kind, the two home screens, help and the log pane.
#[derive(Clone, Copy)]
enum Kind {
    Welcome,
    Picker,
    Step(StepKind),
    Help,
    Log,
}

const KINDS: &[Kind] = &[
    Kind::Welcome,
    Kind::Picker,
    Kind::Step(StepKind::Intro),
    Kind::Step(StepKind::Navigate),
    Kind::Step(StepKind::Status),
    Kind::Step(StepKind::Debt),
    Kind::Step(StepKind::Verify),
    Kind::Step(StepKind::Consequences),
    Kind::Step(StepKind::Confirm),
    Kind::Step(StepKind::Contact),
    Kind::Step(StepKind::Review),
    Kind::Step(StepKind::Followup),
    Kind::Step(StepKind::Outcome),
    Kind::Help,
    Kind::Log,
];

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Welcome => f.write_str("welcome"),
            Kind::Picker => f.write_str("picker"),
            Kind::Step(kind) => f.write_str(kind.name()),
            Kind::Help => f.write_str("help"),
            Kind::Log => f.write_str("log"),
        }
    }
}

impl Kind {
    /// The key a person would typically press on this screen.
    fn key(self) -> Action {
        match self {
            Kind::Welcome
            | Kind::Step(StepKind::Status | StepKind::Verify | StepKind::Review | StepKind::Wait) => {
                Action::Down
            }
            Kind::Picker => Action::Edit(InputRequest::InsertChar('h')),
            Kind::Step(StepKind::Debt) => Action::Edit(InputRequest::InsertChar('5')),
            Kind::Step(StepKind::Confirm) => Action::Edit(InputRequest::InsertChar('确')),
            Kind::Step(StepKind::Contact) => Action::Edit(InputRequest::InsertChar('A')),
            // The date field: a digit typed over today's date.
            Kind::Step(StepKind::Sent) => Action::Edit(InputRequest::InsertChar('7')),
            Kind::Step(StepKind::Navigate | StepKind::Consequences | StepKind::Followup) => {
                Action::Tick
            }
            // Enter on the intro moves to the next step: a step change and a save request.
            Kind::Step(StepKind::Intro) => Action::Enter,
            Kind::Step(StepKind::Outcome) | Kind::Log => Action::ToggleLog,
            Kind::Help => Action::Help,
        }
    }
}

struct Walk {
    model: Model,
    content: Content,
}

impl Walk {
    fn new() -> Walk {
        Walk {
            model: Model::new(Lang::Zh, false),
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
        let product = self.content.product(&case.product)?;
        Some(product.step(&case.step)?.kind())
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

    /// The model showing `kind`, in Chinese, at `size`.
    fn at(kind: Kind, size: (u16, u16)) -> Walk {
        let mut w = Walk::new();
        w.act(Action::Resize(size.0, size.1));
        let summary = |id: &str, product: &str, step: &str, state| CaseSummary {
            id: xiaohu::wizard::CaseId::parse(id).unwrap(),
            product: product.into(),
            step: step.into(),
            state,
            updated: now(),
            expected: None,
            customer: None,
            agent: None,
            archived: false,
        };
        match kind {
            Kind::Welcome => {
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
                    ],
                    vec![("cases/broken.toml".into(), "the file is empty".into())],
                )));
            }
            Kind::Picker => {
                w.act(Action::Enter);
            }
            Kind::Step(step) => {
                w.act(Action::StartProduct("xiaomi-fenqi".into()))
                    .until(step);
                // Part-way through, as a person would be.
                match step {
                    StepKind::Debt => {
                        w.typed("1,234.5").act(Action::NextField);
                    }
                    StepKind::Confirm => {
                        w.typed("确");
                    }
                    StepKind::Contact => {
                        w.typed("工单 ");
                    }
                    _ => {}
                }
            }
            Kind::Help => {
                w.act(Action::StartProduct("xiaomi-fenqi".into()))
                    .until(StepKind::Status)
                    .act(Action::Help);
            }
            Kind::Log => {
                w.act(Action::StartProduct("xiaomi-fenqi".into()))
                    .until(StepKind::Review)
                    .act(Action::ToggleLog);
            }
        }
        w
    }

    fn draw(&self, terminal: &mut Terminal<TestBackend>, theme: &Theme) {
        let frame = terminal
            .draw(|f| ui::render(f, &self.model, &self.content, theme))
            .unwrap();
        black_box(frame.area);
    }
}

fn terminal(size: (u16, u16)) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(size.0, size.1)).unwrap()
}

const SMALL: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (200, 60);

fn redraw(bencher: divan::Bencher, kind: Kind, size: (u16, u16)) {
    let walk = Walk::at(kind, size);
    let theme = Theme::color();
    let mut terminal = terminal(size);
    walk.draw(&mut terminal, &theme);
    bencher.bench_local(|| walk.draw(&mut terminal, &theme));
}

fn full(bencher: divan::Bencher, kind: Kind, size: (u16, u16)) {
    let walk = Walk::at(kind, size);
    let theme = Theme::color();
    bencher
        .with_inputs(|| terminal(size))
        .bench_local_refs(|terminal| walk.draw(terminal, &theme));
}

fn keystroke(bencher: divan::Bencher, kind: Kind, size: (u16, u16)) {
    let walk = Walk::at(kind, size);
    let theme = Theme::color();
    // Each input: the model before the key, and a terminal already showing it.
    bencher
        .with_inputs(|| {
            let mut t = terminal(size);
            walk.draw(&mut t, &theme);
            (walk.model.clone(), t)
        })
        .bench_local_refs(|(model, terminal)| {
            let effects = update(model, &walk.content, kind.key(), now());
            let frame = terminal
                .draw(|f| ui::render(f, model, &walk.content, &theme))
                .unwrap();
            black_box(frame.area);
            effects
        });
}

/// The floor of the stack: what `examples/floor.rs` draws (one bordered paragraph of
/// Chinese text, ratatui's own wrapping), at the same sizes. No screen can cost less.
mod floor {
    use super::*;
    use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

    const TEXT: &str = "销户助手：本向导不会连接你的银行账户。你在手机上操作，这里记录每一步，\
                        并告诉你下一步点哪里。按任意键退出。";

    fn draw(terminal: &mut Terminal<TestBackend>) {
        let frame = terminal
            .draw(|frame| {
                let block = Block::bordered()
                    .border_type(BorderType::Rounded)
                    .title(" 销户 ");
                let paragraph = Paragraph::new(TEXT).block(block).wrap(Wrap { trim: true });
                frame.render_widget(paragraph, frame.area());
            })
            .unwrap();
        black_box(frame.area);
    }

    #[divan::bench(args = [SMALL, LARGE])]
    fn redraw(bencher: divan::Bencher, size: (u16, u16)) {
        let mut terminal = terminal(size);
        draw(&mut terminal);
        bencher.bench_local(|| draw(&mut terminal));
    }

    #[divan::bench(args = [SMALL, LARGE])]
    fn full(bencher: divan::Bencher, size: (u16, u16)) {
        bencher
            .with_inputs(|| terminal(size))
            .bench_local_refs(draw);
    }
}

mod frame_redraw {
    use super::*;

    #[divan::bench(args = KINDS)]
    fn at_80x24(bencher: divan::Bencher, kind: &Kind) {
        redraw(bencher, *kind, SMALL);
    }

    #[divan::bench(args = KINDS)]
    fn at_200x60(bencher: divan::Bencher, kind: &Kind) {
        redraw(bencher, *kind, LARGE);
    }
}

mod frame_full {
    use super::*;

    #[divan::bench(args = KINDS)]
    fn at_80x24(bencher: divan::Bencher, kind: &Kind) {
        full(bencher, *kind, SMALL);
    }

    #[divan::bench(args = KINDS)]
    fn at_200x60(bencher: divan::Bencher, kind: &Kind) {
        full(bencher, *kind, LARGE);
    }
}

mod key {
    use super::*;

    #[divan::bench(args = KINDS)]
    fn at_80x24(bencher: divan::Bencher, kind: &Kind) {
        keystroke(bencher, *kind, SMALL);
    }

    #[divan::bench(args = KINDS)]
    fn at_200x60(bencher: divan::Bencher, kind: &Kind) {
        keystroke(bencher, *kind, LARGE);
    }
}
