//! `verify`: which check the platform asks for. The person does it in the real app; only
//! the method is recorded. In the demo a simulated phone shows a code to type, masked.

use std::collections::HashSet;

use tui_input::{Input, InputRequest};

use super::{
    Block, Cx, Fields, Flow, Kind, Report, Safety, ScreenCx, Step, StepView, Tone, body_text,
    move_cursor,
};
use crate::content::schema::{StepFile, StepKind};
use crate::content::{ExitVia, Lang, Product, Text, UiStrings, VerifyMethod};
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, Event, Time};
use crate::wizard::model::{PHONE_TRIES, Phone};

#[derive(Debug, Clone)]
pub struct Verify {
    pub methods: Vec<VerifyMethod>,
}

impl Verify {
    /// An agent checks who the person is: a method the agent checks is listed, or the way
    /// on from this step reaches customer service (a `contact` step) before anything is
    /// submitted. There the question is what the agent will ask, not what a closing page
    /// asks — whatever methods the author listed.
    pub fn by_agent(&self, product: &Product, step: &Step) -> bool {
        self.methods.contains(&VerifyMethod::AgentId) || contact_ahead(product, step)
    }
}

/// Whether the usual way on from `from` (each step's normal exit) comes to a `contact` step
/// before a review or an end.
fn contact_ahead(product: &Product, from: &Step) -> bool {
    ahead(product, from, StepKind::Contact)
}

/// Whether a step of `kind` follows this one on its normal way, before a review or an end.
fn ahead(product: &Product, from: &Step, kind: StepKind) -> bool {
    let mut at = from;
    for _ in 0..product.steps().len() {
        match product.target(at, ExitVia::Next) {
            Some(next) if next.kind() == kind => return true,
            Some(next) if !matches!(next.kind(), StepKind::Review | StepKind::Outcome) => {
                at = next;
            }
            _ => return false,
        }
    }
    false
}

impl Kind for Verify {
    fn safety(_: StepKind) -> Safety {
        Safety::IdentityCheck
    }

    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &["methods"],
            allowed: &["body", "next", "methods"],
        }
    }

    fn read(file: &StepFile) -> Verify {
        Verify {
            methods: file
                .methods
                .iter()
                .flatten()
                .map(|m| *m.get_ref())
                .collect(),
        }
    }

    fn check(file: &StepFile, report: &mut Report) {
        if file.methods.as_ref().is_some_and(Vec::is_empty) {
            report.error(file.kind.span(), "`methods` must not be empty");
        }
        let mut seen = HashSet::new();
        for method in file.methods.iter().flatten() {
            if !seen.insert(*method.get_ref()) {
                report.error(method.span(), "this verification method is listed twice");
            }
        }
    }

    fn view(&self, step: &Step, case: &Case, _: bool) -> StepView {
        let mut view = StepView::default();
        if let Some(AnswerValue::Verified { method, .. }) = case.answer(step.id()) {
            view.cursor = self.methods.iter().position(|m| m == method).unwrap_or(0);
        }
        view
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        let (step, now, demo) = (cx.step, cx.now, cx.demo);
        let Cx { case, view, .. } = cx;
        if view.phone.is_some() {
            return on_phone(case, view, step.id(), action, now);
        }
        match action {
            Action::Up | Action::Down => {
                move_cursor(view, &action, self.methods.len());
                Flow::Stay
            }
            Action::Enter => match self.methods.get(view.cursor).copied() {
                // The demo shows what the phone does: a code arrives, and is typed, masked.
                // Choosing the method again brings back the phone as it was left, so a
                // lock-out outlasts Esc.
                Some(method @ (VerifyMethod::PaymentPassword | VerifyMethod::Sms)) if demo => {
                    let phone = match case.phones.iter().find(|p| p.method == method) {
                        Some(kept) => Phone {
                            wrong: false,
                            short: false,
                            wait: false,
                            ..kept.clone()
                        },
                        None => Phone {
                            method,
                            code: demo_code(&case.id, now, 0),
                            tries_left: PHONE_TRIES,
                            sent_at: now,
                            sent: 1,
                            wrong: false,
                            short: false,
                            wait: false,
                            locked_at: None,
                        },
                    };
                    keep(case, &phone);
                    view.phone = Some(phone);
                    view.inputs = vec![Input::default()];
                    Flow::Stay
                }
                Some(method) => {
                    case.log(
                        now,
                        Event::Verified {
                            step: step.id().to_owned(),
                            method,
                            simulated: demo,
                        },
                    );
                    Flow::Leave(ExitVia::Next)
                }
                None => Flow::Stay,
            },
            _ => Flow::Stay,
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang) = (cx.ui, cx.lang);
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        // Where an agent checks the person, the question is the agent's and the warning says
        // what may go to that agent (never a code or a password); elsewhere, the page's.
        // Before a `sent` step the request went out already: the question is about the
        // check the app asked for then.
        let (warning, question) = match self.by_agent(cx.product, cx.step) {
            true => (&ui.verify_never_type_agent, &ui.verify_question_agent),
            false if ahead(cx.product, cx.step, StepKind::Sent) => {
                (&ui.verify_never_type, &ui.verify_question_sent)
            }
            false => (&ui.verify_never_type, &ui.verify_question),
        };
        blocks.push(Block::Text(warning.get(lang).to_owned(), Tone::Key));
        blocks.push(Block::Gap);
        blocks.push(Block::Text(question.get(lang).to_owned(), Tone::Title));
        blocks.push(Block::Choices {
            labels: self
                .methods
                .iter()
                .map(|m| method_name(ui, *m).get(lang).to_owned())
                .collect(),
            cursor: cx.view.cursor,
        });
        if let Some(phone) = &cx.view.phone {
            blocks.push(Block::Phone(phone.clone()));
        } else if cx.demo {
            blocks.push(Block::Gap);
            blocks.push(Block::Text(ui.verify_demo.get(lang).to_owned(), Tone::Demo));
        }
        blocks
    }

    fn answer(&self, _: &Step, view: &StepView, demo: bool) -> Option<AnswerValue> {
        Some(AnswerValue::Verified {
            method: *self.methods.get(view.cursor)?,
            simulated: demo,
        })
    }
}

/// The log's words for a method recorded (marked when the demo simulated it).
pub fn log_line(method: VerifyMethod, simulated: bool, ui: &UiStrings, lang: Lang) -> String {
    let mut name = method_name(ui, method).get(lang).to_owned();
    if simulated {
        name.push_str(ui.demo_mark.get(lang).trim_end());
    }
    ui.ev_verified.fill(lang, &[("method", &name)])
}

/// A method in words.
pub fn method_name(ui: &UiStrings, method: VerifyMethod) -> &Text {
    match method {
        VerifyMethod::PaymentPassword => &ui.method_payment_password,
        VerifyMethod::Sms => &ui.method_sms,
        VerifyMethod::Face => &ui.method_face,
        VerifyMethod::AgentId => &ui.method_agent_id,
    }
}

/// The case's copy of `phone`, so it comes back as it is after Esc.
fn keep(case: &mut Case, phone: &Phone) {
    case.phones.retain(|p| p.method != phone.method);
    case.phones.push(phone.clone());
}

/// Keys while the simulated phone is up: digits into the masked field, Enter to check a
/// whole code, F5 for a new SMS code once the countdown allows (before, it says how long
/// is left), Esc back to the list of methods.
fn on_phone(case: &mut Case, view: &mut StepView, step: &str, action: Action, now: Time) -> Flow {
    let Some(phone) = view.phone.as_mut() else {
        return Flow::Stay;
    };
    // A payment password's lock-out ends by itself: the tries come back.
    if phone.locked() && phone.takes_code(Some(now)) {
        phone.tries_left = PHONE_TRIES;
        phone.locked_at = None;
    }
    let flow = match action {
        Action::Edit(InputRequest::InsertChar(c)) if !c.is_ascii_digit() => Flow::Stay,
        Action::Edit(req) if !phone.locked() => {
            let full = view.inputs[0].value().len() >= 6;
            if !(full && matches!(req, InputRequest::InsertChar(_))) {
                view.inputs[0].handle(req);
            }
            phone.wrong = false;
            phone.short = false;
            phone.wait = false;
            Flow::Stay
        }
        // A code is six digits: fewer is a slip, said, and not one of the tries.
        Action::Enter if !phone.locked() && view.inputs[0].value().len() < 6 => {
            phone.short = true;
            phone.wrong = false;
            phone.wait = false;
            Flow::Stay
        }
        Action::Enter if !phone.locked() => {
            if view.inputs[0].value() == phone.code {
                let method = phone.method;
                view.phone = None;
                view.inputs.clear();
                case.phones.retain(|p| p.method != method);
                case.log(
                    now,
                    Event::Verified {
                        step: step.to_owned(),
                        method,
                        simulated: true,
                    },
                );
                return Flow::Leave(ExitVia::Next);
            }
            phone.tries_left -= 1;
            if phone.locked() {
                phone.locked_at = Some(now);
            }
            phone.wrong = true;
            phone.short = false;
            phone.wait = false;
            view.inputs[0] = Input::default();
            Flow::Stay
        }
        Action::Resend if phone.resends() && phone.resend_in(now) == 0 => {
            phone.code = demo_code(&case.id, now, phone.sent);
            phone.sent += 1;
            phone.sent_at = now;
            phone.tries_left = PHONE_TRIES;
            phone.locked_at = None;
            phone.wrong = false;
            phone.short = false;
            phone.wait = false;
            view.inputs[0] = Input::default();
            Flow::Stay
        }
        // Too early (or a password, which is never resent): say how long is left.
        Action::Resend => {
            phone.wait = true;
            phone.short = false;
            Flow::Stay
        }
        _ => Flow::Stay,
    };
    keep(case, phone);
    flow
}

/// The demo's six-digit code: made from the case, the time and how many were sent, so a
/// test can predict it and a person sees a new one on each resend. Not a secret: nothing
/// real is protected by it, and it is never saved.
pub fn demo_code(case_id: &str, now: Time, sent: u32) -> String {
    let seed = format!("{case_id}/{}/{sent}", now.timestamp_millis());
    let hash = seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{:06}", hash % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Content, SourceFile, Sources};

    fn product(methods: &str) -> Content {
        let text = crate::content::builtin::PRODUCTS
            .iter()
            .find(|(path, _)| path.ends_with("xiaomi-fenqi.toml"))
            .map(|(_, text)| text.replace(r#"methods = ["agent_id", "sms"]"#, methods))
            .unwrap();
        assert!(text.contains(methods));
        Content::load(Sources {
            products: vec![SourceFile {
                path: "xiaomi-fenqi.toml".into(),
                text,
            }],
            ..Sources::default()
        })
        .unwrap()
    }

    fn question(content: &Content, lang: Lang) -> Vec<String> {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00+08:00").unwrap();
        let mut model = crate::wizard::Model::new(lang, false);
        let start = Action::StartProduct("xiaomi-fenqi".into());
        crate::wizard::update(&mut model, content, start, now);
        model.case.as_mut().unwrap().step = "verify".into();
        super::super::open_screen(&model, content)
            .unwrap()
            .into_iter()
            .filter_map(|b| match b {
                Block::Text(text, Tone::Title | Tone::Key) => Some(text),
                _ => None,
            })
            .collect()
    }

    /// On a product closed through customer service, the question is what the agent will
    /// ask even where no listed method names the agent; on a self-service one, the page's.
    #[test]
    fn a_customer_service_product_asks_what_the_agent_will_check() {
        let ui = Content::builtin().unwrap().ui;
        for methods in [
            r#"methods = ["agent_id", "sms"]"#,
            r#"methods = ["sms", "face"]"#,
        ] {
            let content = product(methods);
            for lang in [Lang::Zh, Lang::En] {
                let shown = question(&content, lang);
                assert!(
                    shown.contains(&ui.verify_question_agent.get(lang).to_owned()),
                    "{methods}: {shown:?}"
                );
                assert!(
                    shown.contains(&ui.verify_never_type_agent.get(lang).to_owned()),
                    "{methods}: {shown:?}"
                );
            }
        }
        let builtin = Content::builtin().unwrap();
        let huabei = builtin.product("huabei").unwrap();
        let verify = huabei.step("verify").unwrap();
        assert!(!verify.verify().unwrap().by_agent(huabei, verify));
    }

    /// Before a `sent` step the request already went out: the question asks which check
    /// the app asked for then; the same product's usual verify step asks what the page asks.
    #[test]
    fn before_a_sent_step_the_question_is_about_the_check_that_happened() {
        let content = Content::builtin().unwrap();
        let ui = content.ui_for("xiaomi-beiyongjin");
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00+08:00").unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let shown = |step: &str| -> Vec<String> {
                let mut model = crate::wizard::Model::new(lang, false);
                let start = Action::StartProduct("xiaomi-beiyongjin".into());
                crate::wizard::update(&mut model, &content, start, now);
                model.case.as_mut().unwrap().step = step.into();
                super::super::open_screen(&model, &content)
                    .unwrap()
                    .into_iter()
                    .filter_map(|b| match b {
                        Block::Text(text, Tone::Title) => Some(text),
                        _ => None,
                    })
                    .collect()
            };
            let sent = shown("sent-verify");
            assert!(
                sent.contains(&ui.verify_question_sent.get(lang).to_owned()),
                "{sent:?}"
            );
            assert!(
                !sent.contains(&ui.verify_question.get(lang).to_owned()),
                "{sent:?}"
            );
            let usual = shown("verify");
            assert!(
                usual.contains(&ui.verify_question.get(lang).to_owned()),
                "{usual:?}"
            );
        }
    }
}
