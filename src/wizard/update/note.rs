//! The note key: on any step, a small field opens over the screen; Enter keeps what was
//! typed in the case's log (`Event::Note`, with the time and the agent, as every entry),
//! Esc drops it. The secret guard reads it first, as it reads the contact note.

use tui_input::{Input, InputRequest};

use super::save;
use crate::content::Content;
use crate::wizard::action::{Action, Effect};
use crate::wizard::case::{Event, Time};
use crate::wizard::model::{Model, NOTE_MAX, NoteField, Screen};
use crate::wizard::secrets::{keep_note, takes};

/// Opens the note field over the step on screen (a step the content still has).
pub(super) fn open(model: &mut Model, content: &Content) {
    let on_step = model
        .case
        .as_ref()
        .and_then(|c| content.product(&c.product).and_then(|p| p.step(&c.step)))
        .is_some();
    if let (true, Screen::Step(view)) = (on_step, &mut model.screen) {
        view.note = Some(NoteField::default());
    }
}

/// A key while the note field is open: it edits the note, keeps it or drops it; nothing
/// else on the step acts until the field is closed.
pub(super) fn on_note(model: &mut Model, action: Action, now: Time, fx: &mut Vec<Effect>) {
    let (Some(case), Screen::Step(view)) = (&mut model.case, &mut model.screen) else {
        return;
    };
    let Some(note) = &mut view.note else {
        return;
    };
    match action {
        Action::Edit(req) => {
            if let InputRequest::InsertChar(c) = req {
                if !takes(c) || note.input.value().chars().count() >= NOTE_MAX {
                    return;
                }
                note.refused = false;
            }
            note.input.handle(req);
        }
        Action::Enter => match keep_note(note.input.value(), NOTE_MAX) {
            // Never written anywhere: cleared from the field too, so it leaves the screen.
            Err(_) => {
                note.input = Input::default();
                note.refused = true;
            }
            Ok(None) => view.note = None,
            Ok(Some(text)) => {
                case.log(
                    now,
                    Event::Note {
                        step: case.step.clone(),
                        text,
                    },
                );
                view.note = None;
                fx.push(save(case));
            }
        },
        Action::Back => view.note = None,
        _ => {}
    }
}
