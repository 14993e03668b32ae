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

/// Most characters one paste types: more than any field takes (the fields keep their own
/// limits), few enough that one paste cannot keep the loop busy.
pub const PASTE_MAX: usize = 4096;

/// A paste (bracketed, so never mistaken for keys) as the characters it types. Only into a
/// text field: anywhere else a paste does nothing (a pasted "q" must not quit, a pasted
/// newline must not choose). Control characters are dropped (a newline must not send the
/// field), and so are whole escape sequences inside the text (`ESC [ … final`, `ESC ] …
/// BEL`), so no tail of one is typed.
pub fn paste(text: &str, text_focus: bool) -> Vec<Action> {
    if !text_focus {
        return Vec::new();
    }
    let mut chars = text.chars().peekable();
    let mut actions = Vec::new();
    while let Some(c) = chars.next() {
        if actions.len() >= PASTE_MAX {
            break;
        }
        if c == '\x1b' {
            skip_escape(&mut chars);
        } else if !c.is_control() {
            actions.push(Action::Edit(InputRequest::InsertChar(c)));
        }
    }
    actions
}

/// Skips the rest of an escape sequence whose ESC was just read.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars>) {
    match chars.next() {
        // CSI: parameters and intermediates, up to a final byte @ … ~.
        Some('[') => {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
        // OSC, DCS, SOS, PM, APC: a string up to BEL or ST (ESC \).
        Some(']' | 'P' | 'X' | '^' | '_') => {
            while let Some(c) = chars.next() {
                if c == '\x07' {
                    break;
                }
                if c == '\x1b' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        // ESC and one more character (SS3 O x takes one after the O).
        Some('O') => {
            chars.next();
        }
        _ => {}
    }
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

    fn typed(actions: &[Action]) -> String {
        actions
            .iter()
            .map(|a| match a {
                Action::Edit(InputRequest::InsertChar(c)) => *c,
                other => panic!("a paste made {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_paste_types_its_characters_into_a_text_field_only() {
        assert_eq!(typed(&paste("12 34.50", true)), "12 34.50");
        assert_eq!(typed(&paste("花呗 huabei", true)), "花呗 huabei");
        // Outside a text field nothing happens: not a quit, not a tick, not a choice.
        assert!(paste("q", false).is_empty());
        assert!(paste(" \r\n", false).is_empty());
    }

    #[test]
    fn a_paste_drops_control_characters_and_escape_sequences() {
        assert_eq!(typed(&paste("1\t2\r\n3\x07\x7f4", true)), "1234");
        // Esc and the character after it (Alt+x) are one key, not text.
        assert_eq!(typed(&paste("a\x1bxb", true)), "ab");
        assert_eq!(typed(&paste("a\x1b]0;x\x07b", true)), "ab");
        assert_eq!(typed(&paste("a\x1b]0;x\x1b\\b", true)), "ab");
        assert_eq!(typed(&paste("a\x1b[1;31mb\x1b[0mc", true)), "abc");
        assert_eq!(typed(&paste("a\x1bOAb", true)), "ab");
        // An escape sequence cut off at the end of the paste leaves nothing behind.
        assert_eq!(typed(&paste("a\x1b]0;x", true)), "a");
    }

    #[test]
    fn a_huge_paste_is_cut_at_the_limit() {
        let text = "9".repeat(PASTE_MAX * 3);
        assert_eq!(paste(&text, true).len(), PASTE_MAX);
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut k = key(KeyCode::Enter);
        k.kind = KeyEventKind::Release;
        assert!(action(k, false).is_none());
    }
}
