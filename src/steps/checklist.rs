//! `navigate`, `consequences`, `followup`: items to tick, and for two of them a row that
//! leaves another way ("I can't find it", "it still shows open").

use super::{
    Block, Cx, Exit, Fields, Flow, Kind, Report, Safety, ScreenCx, Step, StepView, body_text,
    move_cursor,
};
use crate::content::schema::{StepFile, StepKind};
use crate::content::{ExitVia, Lang, Text, UiStrings};
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, Event};
use crate::wizard::model::Hint;

#[derive(Debug, Clone)]
pub struct Checklist {
    pub role: Role,
    pub items: Vec<Text>,
    /// The row under the items that leaves another way, where the step has one.
    pub escape: Option<ExitVia>,
}

/// Which of the three checklists: what ticking them all means, and the words for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The menu path in the real app.
    Navigate,
    /// What closing means; ticking is reading.
    Consequences,
    /// What to check once it is closed.
    Followup,
}

/// The log's words for a checklist's events: the item ticked (by its text, while the
/// content has it), the way out taken, all read or all checked.
pub fn log_line<'p>(
    event: &Event,
    ui: &UiStrings,
    lang: Lang,
    step: impl Fn(&str) -> Option<&'p Step>,
) -> Option<String> {
    Some(match event {
        Event::Ticked { step: id, item, on } => {
            let text = step(id)
                .and_then(|s| s.checklist()?.items.get(*item))
                .map_or_else(|| format!("#{}", item + 1), |t| t.get(lang).to_owned());
            let words = if *on { &ui.ev_ticked } else { &ui.ev_unticked };
            words.fill(lang, &[("item", &text)])
        }
        Event::CantFind { .. } => ui.ev_cant_find.get(lang).to_owned(),
        Event::Acknowledged { .. } => ui.ev_acknowledged.get(lang).to_owned(),
        Event::FollowupOk { .. } => ui.ev_followup_ok.get(lang).to_owned(),
        Event::FollowupOpen { .. } => ui.ev_followup_open.get(lang).to_owned(),
        _ => return None,
    })
}

impl Kind for Checklist {
    /// Checking that the closure took effect comes after it was asked for.
    fn safety(kind: StepKind) -> Safety {
        match kind {
            StepKind::Followup => Safety::Guarded,
            _ => Safety::Free,
        }
    }

    fn fields(kind: StepKind) -> Fields {
        Fields {
            // A followup's "still open" row is how the person says it did not work: without
            // it the only way on would be to tick "it is closed".
            required: match kind {
                StepKind::Followup => &["items", "still_open"],
                _ => &["items"],
            },
            allowed: match kind {
                StepKind::Navigate => &["body", "next", "items", "cant_find"],
                StepKind::Followup => &["body", "next", "items", "still_open"],
                _ => &["body", "next", "items"],
            },
        }
    }

    fn read(file: &StepFile) -> Checklist {
        let role = match file.kind() {
            StepKind::Navigate => Role::Navigate,
            StepKind::Followup => Role::Followup,
            _ => Role::Consequences,
        };
        let escape = match role {
            Role::Navigate if file.cant_find.is_some() => Some(ExitVia::CantFind),
            Role::Followup if file.still_open.is_some() => Some(ExitVia::StillOpen),
            _ => None,
        };
        Checklist {
            role,
            items: file.items.clone().unwrap_or_default(),
            escape,
        }
    }

    fn check(file: &StepFile, report: &mut Report) {
        if file.items.as_ref().is_some_and(Vec::is_empty) {
            report.error(file.kind.span(), "`items` must not be empty");
        }
    }

    fn exits(file: &StepFile) -> Vec<Exit<'_>> {
        let escape = match file.kind() {
            StepKind::Navigate => Exit::branch(ExitVia::CantFind, &file.cant_find),
            StepKind::Followup => Exit::branch(ExitVia::StillOpen, &file.still_open),
            _ => None,
        };
        std::iter::once(Exit::next(file)).chain(escape).collect()
    }

    fn view(&self, step: &Step, case: &Case, _: bool) -> StepView {
        let ticked = match case.answer(step.id()) {
            Some(AnswerValue::Checklist { ticked }) if ticked.len() == self.items.len() => {
                ticked.clone()
            }
            _ => vec![false; self.items.len()],
        };
        StepView {
            ticked,
            ..StepView::default()
        }
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        let (step, now) = (cx.step, cx.now);
        let Cx { case, view, .. } = cx;
        let items = self.items.len();
        let rows = items + usize::from(self.escape.is_some());
        let id = step.id().to_owned();
        let toggle = |case: &mut Case, view: &mut StepView, item: usize| {
            view.ticked[item] = !view.ticked[item];
            view.hint = None;
            case.log(
                now,
                Event::Ticked {
                    step: id.clone(),
                    item,
                    on: view.ticked[item],
                },
            );
        };
        match action {
            Action::Up | Action::Down => {
                move_cursor(view, &action, rows);
                Flow::Stay
            }
            Action::Tick if view.cursor < items => {
                toggle(case, view, view.cursor);
                Flow::Save
            }
            Action::Enter if view.cursor >= items => {
                let step = step.id().to_owned();
                let event = match self.escape {
                    Some(ExitVia::CantFind) => Event::CantFind { step },
                    _ => Event::FollowupOpen { step },
                };
                case.log(now, event);
                Flow::Leave(self.escape.unwrap_or(ExitVia::Next))
            }
            Action::Enter if view.ticked.iter().all(|t| *t) => {
                let step = step.id().to_owned();
                match self.role {
                    Role::Consequences => case.log(now, Event::Acknowledged { step }),
                    Role::Followup => case.log(now, Event::FollowupOk { step }),
                    Role::Navigate => {}
                }
                Flow::Leave(ExitVia::Next)
            }
            Action::Enter if !view.ticked[view.cursor] => {
                // Enter on an unticked item ticks it and moves on: the fast path for keyboards.
                toggle(case, view, view.cursor);
                if let Some(next) = view.ticked.iter().position(|t| !t) {
                    view.cursor = next;
                }
                Flow::Save
            }
            Action::Enter => {
                view.hint = Some(Hint::TickAll);
                if let Some(next) = view.ticked.iter().position(|t| !t) {
                    view.cursor = next;
                }
                Flow::Stay
            }
            _ => Flow::Stay,
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang, view) = (cx.ui, cx.lang, cx.view);
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        let escape = self.escape.map(|via| match via {
            ExitVia::CantFind => &ui.nav_cant_find,
            _ => &ui.follow_still_open,
        });
        blocks.push(Block::Checklist {
            items: self
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let ticked = view.ticked.get(i).copied().unwrap_or(false);
                    (item.get(lang).to_owned(), ticked)
                })
                .collect(),
            cursor: view.cursor,
            escape: escape.map(|label| label.get(lang).to_owned()),
            reading: self.role == Role::Consequences,
        });
        if view.hint == Some(Hint::TickAll) {
            let hint = match self.role {
                Role::Consequences => &ui.cons_tick_all,
                Role::Followup => &ui.follow_tick_all,
                Role::Navigate => &ui.nav_tick_all,
            };
            blocks.push(Block::Gap);
            blocks.push(Block::Problem(hint.get(lang).to_owned()));
        }
        blocks
    }

    fn answer(&self, _: &Step, view: &StepView, _: bool) -> Option<AnswerValue> {
        Some(AnswerValue::Checklist {
            ticked: view.ticked.clone(),
        })
    }
}
