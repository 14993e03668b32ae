//! Keys to actions. Letters are commands only where no text field has focus; there they are
//! text, and F1/F3/Esc/Ctrl-C do the work.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::InputRequest;

use crate::wizard::Action;

pub fn action(key: KeyEvent, text_focus: bool) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let action = match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::F(1) => Action::Help,
        KeyCode::F(2) => Action::SwitchLang,
        KeyCode::F(3) => Action::ToggleLog,
        KeyCode::F(4) => Action::ToggleAgent,
        KeyCode::F(5) => Action::Resend,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Enter => Action::Enter,
        KeyCode::Esc => Action::Back,
        KeyCode::Tab => Action::NextField,
        KeyCode::BackTab => Action::PrevField,
        code if text_focus => Action::Edit(edit(code, ctrl, alt)?),
        KeyCode::Char(' ') => Action::Tick,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('q') if !ctrl => Action::Quit,
        KeyCode::Char('j') => Action::Down,
        KeyCode::Char('k') => Action::Up,
        KeyCode::Char('l') => Action::ToggleLog,
        KeyCode::Char('a') => Action::ToggleAgent,
        KeyCode::Char('e') => Action::Export,
        _ => return None,
    };
    Some(action)
}

fn edit(code: KeyCode, ctrl: bool, alt: bool) -> Option<InputRequest> {
    use InputRequest::*;
    Some(match code {
        KeyCode::Backspace if ctrl || alt => DeletePrevWord,
        KeyCode::Backspace => DeletePrevChar,
        KeyCode::Delete => DeleteNextChar,
        KeyCode::Left => GoToPrevChar,
        KeyCode::Right => GoToNextChar,
        KeyCode::Home => GoToStart,
        KeyCode::End => GoToEnd,
        KeyCode::Char('u') if ctrl => DeleteLine,
        KeyCode::Char('w') if ctrl => DeletePrevWord,
        KeyCode::Char('a') if ctrl => GoToStart,
        KeyCode::Char('e') if ctrl => GoToEnd,
        KeyCode::Char(c) if !ctrl && !alt && !c.is_control() => InsertChar(c),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn letters_are_commands_only_outside_text_fields() {
        assert!(matches!(
            action(key(KeyCode::Char('q')), false),
            Some(Action::Quit)
        ));
        assert!(matches!(
            action(key(KeyCode::Char('q')), true),
            Some(Action::Edit(InputRequest::InsertChar('q')))
        ));
        assert!(matches!(
            action(key(KeyCode::Char('j')), false),
            Some(Action::Down)
        ));
        assert!(matches!(
            action(key(KeyCode::Char(' ')), false),
            Some(Action::Tick)
        ));
    }

    #[test]
    fn ctrl_c_and_function_keys_work_everywhere() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for focus in [false, true] {
            assert!(matches!(action(ctrl_c, focus), Some(Action::Quit)));
            assert!(matches!(
                action(key(KeyCode::F(1)), focus),
                Some(Action::Help)
            ));
            assert!(matches!(
                action(key(KeyCode::F(2)), focus),
                Some(Action::SwitchLang)
            ));
            assert!(matches!(
                action(key(KeyCode::Esc), focus),
                Some(Action::Back)
            ));
        }
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut k = key(KeyCode::Enter);
        k.kind = KeyEventKind::Release;
        assert!(action(k, false).is_none());
    }
}
