//! The footer: exactly the keys that work on this screen, most important first.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::content::{Content, StepKind, Text};
use crate::wizard::{Model, Screen};

/// (key, what it does) for the current screen.
pub fn keys<'a>(model: &Model, content: &'a Content) -> Vec<(&'static str, &'a Text)> {
    let ui = &content.ui;
    if model.help {
        return vec![("Esc ?", &ui.act_close), ("F2", &ui.act_lang)];
    }
    let text_focus = model.text_focus();
    let (help, quit, log, agent) = if text_focus {
        ("F1", "Ctrl-C", "F3", "F4")
    } else {
        ("?", "q", "l", "a")
    };
    let mut keys: Vec<(&'static str, &Text)> = Vec::new();
    match &model.screen {
        Screen::Welcome { .. } => {
            keys.push(("↑↓", &ui.act_move));
            keys.push(("Enter", &ui.act_choose));
        }
        Screen::Picker { .. } => {
            keys.push(("↑↓", &ui.act_move));
            keys.push(("Enter", &ui.act_choose));
            keys.push(("Esc", &ui.act_back));
        }
        Screen::Step(view) => {
            let kind = model
                .case
                .as_ref()
                .and_then(|c| content.product(&c.product)?.step(&c.step))
                .map(|s| s.kind());
            if view.blocked.is_some() {
                keys.push(("Enter", &ui.act_home));
                keys.push(("Esc", &ui.act_back));
            } else if view.phone.is_some() {
                keys.push(("0-9", &ui.act_code));
                keys.push(("Enter", &ui.act_continue));
                keys.push(("F5", &ui.act_resend));
                keys.push(("Esc", &ui.act_back));
            } else {
                match kind {
                    Some(StepKind::Navigate | StepKind::Consequences | StepKind::Followup) => {
                        keys.push(("↑↓", &ui.act_move));
                        keys.push(("Space", &ui.act_tick));
                        keys.push(("Enter", &ui.act_continue));
                    }
                    Some(
                        StepKind::Status | StepKind::Verify | StepKind::Review | StepKind::Wait,
                    ) => {
                        keys.push(("↑↓", &ui.act_move));
                        keys.push(("Enter", &ui.act_choose));
                    }
                    Some(StepKind::Debt) => {
                        keys.push(("↑↓", &ui.act_move));
                        keys.push(("Tab", &ui.act_next_field));
                        keys.push(("Enter", &ui.act_continue));
                    }
                    Some(StepKind::Outcome) => {
                        keys.push(("Enter", &ui.act_home));
                        if !model.demo {
                            keys.push(("e", &ui.act_export));
                        }
                    }
                    _ => keys.push(("Enter", &ui.act_continue)),
                }
                keys.push(("Esc", &ui.act_back));
            }
        }
    }
    keys.push((help, &ui.act_help));
    keys.push(("F2", &ui.act_lang));
    keys.push((quit, &ui.act_quit));
    if model.case.is_some() {
        keys.push((log, &ui.act_log));
        keys.push((agent, &ui.act_agent));
    }
    keys
}

/// The footer as lines of whole entries: one line when it fits, two when it does not, so no
/// key is ever dropped at 80 columns.
pub fn lines(model: &Model, content: &Content, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let mut lines: Vec<Vec<Span<'static>>> = vec![vec![Span::raw(" ")]];
    let mut used = 1;
    for (key, action) in keys(model, content) {
        let action = action.get(model.lang);
        let entry = key.width() + action.width() + 3;
        if used + entry > width && used > 1 {
            lines.push(vec![Span::raw(" ")]);
            used = 1;
        }
        used += entry;
        let line = lines.last_mut().expect("one line at least");
        line.push(Span::styled(key, theme.key));
        line.push(Span::styled(format!(" {action}  "), theme.text));
    }
    lines.truncate(2);
    lines.into_iter().map(Line::from).collect()
}
