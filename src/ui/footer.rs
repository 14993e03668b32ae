//! The footer: exactly the keys that work on this screen, most important first, as the
//! keymap (`crate::keymap`) lists them.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::content::{Content, Text};
use crate::keymap;
use crate::wizard::Model;

/// (keys, what they do) for the current screen: the keymap's rows that act here.
pub fn keys<'a>(model: &Model, content: &'a Content) -> Vec<(String, &'a Text)> {
    keymap::footer(&keymap::context(model, content))
        .into_iter()
        .map(|entry| (entry.label(), entry.hint.text(&content.ui)))
        .collect()
}

/// The footer as lines of whole entries: one line when it fits, two when it does not, so no
/// key is ever dropped at 80 columns.
pub fn lines(model: &Model, content: &Content, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let mut lines: Vec<Vec<Span<'static>>> = vec![vec![Span::raw(" ")]];
    let mut used = 1;
    for (key, action) in keys(model, content) {
        let key = theme.glyphs.key(&key);
        let action = theme.glyphs.line(action.get(model.lang));
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

#[cfg(test)]
mod tests {
    //! By construction the footer is the keymap's rows that act on the screen; these tests
    //! press every key it lists, on every kind of screen, and check something happens.

    use chrono::{DateTime, TimeDelta};
    use tui_input::InputRequest;

    use super::*;
    use crate::content::{Lang, StepKind};
    use crate::keymap::{Context, Entry, Row, footer_of};
    use crate::wizard::worklist::Page;
    use crate::wizard::{Action, CaseState, CaseSummary, Screen, Time, update};

    fn now() -> Time {
        DateTime::parse_from_rfc3339("2026-09-28T10:00:00+08:00").unwrap()
    }

    /// Whether sending `row`'s action to (a clone of) `model` does anything: changes the
    /// model (its clock aside: every action sets it) or asks for an effect.
    fn acts(model: &Model, content: &Content, row: &Row) -> bool {
        let mut after = model.clone();
        let at = model.clock.unwrap_or_else(now);
        let effects = update(&mut after, content, row.action.clone(), at);
        after.clock = model.clock;
        !effects.is_empty() || format!("{after:?}") != format!("{model:?}")
    }

    /// The entries of `entries` that do nothing on `model`: an entry of several keys
    /// (↑↓) works if one of them does (↑ on the first row moves nowhere).
    fn dead(model: &Model, content: &Content, entries: &[Entry]) -> Vec<String> {
        entries
            .iter()
            .filter(|e| !e.rows.iter().any(|r| acts(model, content, r)))
            .map(|e| format!("{} ({:?})", e.label(), e.hint))
            .collect()
    }

    struct Checked {
        content: Content,
        screens: Vec<String>,
    }

    impl Checked {
        /// Every key the footer lists on `model` does something.
        fn check(&mut self, what: &str, model: &Model) {
            let cx = keymap::context(model, &self.content);
            let entries = keymap::footer(&cx);
            assert!(!entries.is_empty(), "{what}: an empty footer");
            let dead = dead(model, &self.content, &entries);
            assert!(
                dead.is_empty(),
                "{what} ({cx:?}): the footer lists keys that do nothing: {dead:?}"
            );
            // What the footer draws is these entries.
            let drawn: Vec<String> = keys(model, &self.content)
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            let listed: Vec<String> = entries.iter().map(Entry::label).collect();
            assert_eq!(drawn, listed, "{what}");
            self.screens.push(format!("{:?}", cx.place));
        }

        /// The model, and the same with help open and too small to read.
        fn check_all(&mut self, what: &str, model: &Model) {
            self.check(what, model);
            let mut help = model.clone();
            update(&mut help, &self.content, Action::Help, now());
            self.check(&format!("{what}, help open"), &help);
            let mut small = model.clone();
            update(&mut small, &self.content, Action::Resize(59, 17), now());
            self.check(&format!("{what}, too small"), &small);
        }
    }

    fn kind_of(model: &Model, content: &Content) -> Option<StepKind> {
        let case = model.case.as_ref()?;
        Some(content.product(&case.product)?.step(&case.step)?.kind())
    }

    fn view(model: &Model) -> &crate::wizard::StepView {
        match &model.screen {
            Screen::Step(v) => v,
            other => panic!("not on a step: {other:?}"),
        }
    }

    fn send(model: &mut Model, content: &Content, actions: &[Action]) {
        for a in actions {
            update(model, content, a.clone(), now());
        }
    }

    fn typed(model: &mut Model, content: &Content, text: &str) {
        for c in text.chars() {
            update(
                model,
                content,
                Action::Edit(InputRequest::InsertChar(c)),
                now(),
            );
        }
    }

    /// Walks `product` the plain way (all ticked, nothing owed, first choice) to its end,
    /// checking the footer on every step, and the side screens on the way: the blocked
    /// debt screen, the demo phone (fresh, locked out, ready to resend), the log open.
    fn walk(checked: &mut Checked, product: &str, demo: bool, kiosk: bool) {
        let content = checked.content.clone();
        let mut model = Model::new(Lang::En, demo);
        model.kiosk = kiosk;
        send(
            &mut model,
            &content,
            &[Action::StartProduct(product.into())],
        );
        for _ in 0..80 {
            let kind = kind_of(&model, &content).expect("on a step");
            let what = format!("{product} {kind:?} demo={demo} kiosk={kiosk}");
            checked.check_all(&what, &model);
            match kind {
                StepKind::Outcome => return,
                StepKind::Debt => {
                    let fields = view(&model).inputs.len();
                    let mut owing = model.clone();
                    for i in 0..fields {
                        if i > 0 {
                            send(&mut owing, &content, &[Action::NextField]);
                        }
                        send(
                            &mut owing,
                            &content,
                            &[Action::Edit(InputRequest::DeleteLine)],
                        );
                        typed(&mut owing, &content, if i == 0 { "5" } else { "0" });
                    }
                    send(&mut owing, &content, &[Action::Enter]);
                    assert!(view(&owing).blocked.is_some(), "{what}: blocked");
                    checked.check_all(&format!("{what}, blocked"), &owing);
                    for i in 0..fields {
                        if i > 0 {
                            send(&mut model, &content, &[Action::NextField]);
                        }
                        send(
                            &mut model,
                            &content,
                            &[Action::Edit(InputRequest::DeleteLine)],
                        );
                        typed(&mut model, &content, "0");
                    }
                    send(&mut model, &content, &[Action::Enter]);
                }
                StepKind::Confirm => {
                    typed(&mut model, &content, "确认");
                    send(&mut model, &content, &[Action::Enter]);
                }
                StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
                    let mut log = model.clone();
                    send(&mut log, &content, &[Action::ToggleLog]);
                    checked.check(&format!("{what}, log open"), &log);
                    let mut guard = 0;
                    while kind_of(&model, &content) == Some(kind) && guard < 20 {
                        send(&mut model, &content, &[Action::Enter]);
                        guard += 1;
                    }
                }
                StepKind::Verify if demo => {
                    let before = model.clone();
                    // Down to the first method that brings up the phone.
                    for _ in 0..4 {
                        send(&mut model, &content, &[Action::Enter]);
                        if view(&model).phone.is_some() || kind_of(&model, &content) != Some(kind) {
                            break;
                        }
                        model = before.clone();
                        send(&mut model, &content, &[Action::Down]);
                    }
                    if let Some(phone) = view(&model).phone.clone() {
                        checked.check_all(&format!("{what}, phone"), &model);
                        let mut locked = model.clone();
                        for _ in 0..3 {
                            typed(&mut locked, &content, "000000");
                            send(&mut locked, &content, &[Action::Enter]);
                        }
                        assert!(view(&locked).phone.as_ref().unwrap().locked());
                        checked.check_all(&format!("{what}, phone locked"), &locked);
                        let later = now() + TimeDelta::seconds(61);
                        update(&mut locked, &content, Action::Timer, later);
                        checked.check_all(&format!("{what}, phone may resend"), &locked);
                        typed(&mut model, &content, &phone.code);
                        send(&mut model, &content, &[Action::Enter]);
                    }
                }
                _ => send(&mut model, &content, &[Action::Enter]),
            }
        }
        panic!("{product}: never reached an outcome");
    }

    #[test]
    fn every_key_the_footer_lists_does_something_on_every_screen() {
        let content = Content::builtin().unwrap();
        let mut checked = Checked {
            content: content.clone(),
            screens: Vec::new(),
        };
        // The start page alone, and with saved cases to choose from.
        let mut model = Model::new(Lang::Zh, false);
        checked.check_all("welcome", &model);
        let summary = |id: &str, product: &str| CaseSummary {
            id: crate::wizard::CaseId::parse(id).unwrap(),
            product: product.into(),
            step: "debt".into(),
            state: CaseState::WaitingRepayment,
            updated: now(),
            expected: None,
            customer: None,
            agent: None,
            archived: false,
        };
        send(
            &mut model,
            &content,
            &[Action::SavedList(Page::all(
                vec![summary("a-huabei", "huabei"), summary("b-jiebei", "jiebei")],
                Vec::new(),
            ))],
        );
        checked.check_all("welcome with saved cases", &model);
        // On a kiosk the saved cases are not rows to move between.
        let mut kiosk = model.clone();
        kiosk.kiosk = true;
        checked.check_all("kiosk welcome with saved cases", &kiosk);
        // The product list: all of it, narrowed to one, to none.
        send(&mut model, &content, &[Action::Enter]);
        checked.check_all("picker", &model);
        for filter in ["weilidai", "nothing like it"] {
            let mut narrowed = model.clone();
            typed(&mut narrowed, &content, filter);
            checked.check_all(&format!("picker, filter {filter}"), &narrowed);
        }
        for product in &content.products {
            for (demo, kiosk) in [(false, false), (true, false), (false, true), (true, true)] {
                walk(&mut checked, product.id(), demo, kiosk);
            }
        }
        // Every kind of screen was seen.
        for place in [
            "TooSmall",
            "Help",
            "Welcome",
            "Picker",
            "Intro",
            "Checklist",
            "Choice",
            "Amounts",
            "Word",
            "Note",
            "Phone",
            "Blocked",
            "Outcome",
        ] {
            assert!(
                checked.screens.iter().any(|s| s == place),
                "never saw {place}"
            );
        }
    }

    /// The check above can fail: a table with a row that does nothing where it says it
    /// acts (Space "ticks" on every screen) is caught.
    #[test]
    fn a_dead_footer_entry_is_caught() {
        let content = Content::builtin().unwrap();
        let mut model = Model::new(Lang::En, false);
        update(
            &mut model,
            &content,
            Action::StartProduct("weilidai".into()),
            now(),
        );
        let table: &'static [Row] = Box::leak(Box::new([Row {
            keys: &[keymap::Key::Space],
            when: keymap::When::Screens,
            action: Action::Tick,
            hint: Some(keymap::Hint::Tick),
            help: None,
            words: &[],
            staff: false,
            demo: keymap::InDemo::Either,
        }]));
        let cx: Context = keymap::context(&model, &content);
        let entries = footer_of(table, &cx);
        assert_eq!(entries.len(), 1);
        assert_eq!(
            dead(&model, &content, &entries),
            ["Space (Tick)"],
            "on the intro step Space ticks nothing"
        );
    }
}
