//! Typed lines → the same actions a keyboard sends; pages that say what went wrong.

use chrono::{DateTime, TimeDelta};

use super::*;
use crate::content::{Lang, StepKind};
use crate::wizard::{Action, Event, Time, update};

fn at(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).unwrap()
}

struct Person {
    model: Model,
    content: Content,
    now: Time,
}

impl Person {
    fn start(product: &str, demo: bool) -> Person {
        let mut p = Person {
            model: Model::new(Lang::En, demo),
            content: Content::builtin().unwrap(),
            now: at("2026-11-23T09:00:00+08:00"),
        };
        p.act(Action::StartProduct(product.into()));
        p
    }

    fn act(&mut self, action: Action) {
        update(&mut self.model, &self.content, action, self.now);
    }

    /// Types a line; returns what plain mode would print besides acting.
    fn types(&mut self, line: &str) -> Option<String> {
        self.now += TimeDelta::seconds(5);
        match answer(&self.model, &self.content, line, self.now) {
            Reply::Act(actions) => {
                for a in actions {
                    self.act(a);
                }
                None
            }
            Reply::Say(text) => Some(text),
            Reply::Repeat => None,
        }
    }

    fn kind(&self) -> StepKind {
        let case = self.model.case.as_ref().unwrap();
        let product = self.content.product(&case.product).unwrap();
        product.step(&case.step).unwrap().kind()
    }

    fn page(&self) -> Page {
        page(&self.model, &self.content)
    }

    /// Answers the usual way until the step of `kind` is on screen.
    fn walk_to(&mut self, kind: StepKind) {
        for _ in 0..40 {
            if self.kind() == kind {
                return;
            }
            let reply = match ask(&self.model, &self.content) {
                Ask::Tick { .. } => "y",
                Ask::Amount { .. } => "0",
                Ask::Choose { .. } => "1",
                Ask::Word => "CONFIRM",
                _ => "",
            };
            assert_eq!(self.types(reply), None, "{reply:?} refused");
        }
        panic!("never reached {kind:?}");
    }
}

#[test]
fn a_number_is_the_arrow_keys_then_enter() {
    let mut p = Person::start("huabei", false);
    p.walk_to(StepKind::Status);
    let Reply::Act(keys) = answer(&p.model, &p.content, "3", p.now) else {
        panic!("3 is a row");
    };
    assert!(matches!(
        keys.as_slice(),
        [Action::Down, Action::Down, Action::Enter]
    ));
    // Full-width digits, as a Chinese input method sends them, are numbers too.
    let Reply::Act(keys) = answer(&p.model, &p.content, "２", p.now) else {
        panic!("２ is a row");
    };
    assert!(matches!(keys.as_slice(), [Action::Down, Action::Enter]));
}

#[test]
fn a_number_out_of_range_or_a_word_is_answered_not_acted_on() {
    let mut p = Person::start("huabei", false);
    p.walk_to(StepKind::Status);
    let rows = p.content.product("huabei").unwrap().steps().len();
    let said = p.types(&(rows + 1).to_string()).expect("a message");
    assert!(said.contains("There is no such number"), "{said}");
    let said = p.types("maybe").expect("a message");
    assert!(said.contains("maybe"), "{said}");
    assert_eq!(p.kind(), StepKind::Status, "nothing moved");
}

#[test]
fn commands_work_at_every_prompt() {
    let mut p = Person::start("weilidai", false);
    p.walk_to(StepKind::Debt);
    assert!(
        p.types("?")
            .unwrap()
            .contains("back to the previous question")
    );
    p.types("lang");
    assert_eq!(p.model.lang, Lang::Zh);
    assert!(p.page().prompt.contains("元"), "{:?}", p.page().prompt);
    let log = p.types("log").unwrap();
    assert!(log.lines().count() >= 5, "{log}");
    p.types("b");
    assert_eq!(p.kind(), StepKind::Status);
    // `home` (首页) sets the case aside and prints the start page, at any prompt of a case.
    p.types("首页");
    assert!(p.model.case.is_none());
    assert!(matches!(
        p.model.screen,
        crate::wizard::Screen::Welcome { .. }
    ));
}

#[test]
fn cant_find_is_a_typed_n() {
    let mut p = Person::start("jiebei", false);
    p.walk_to(StepKind::Navigate);
    assert!(
        p.page()
            .question
            .iter()
            .any(|l| l.contains("Type n instead"))
    );
    p.types("n");
    let case = p.model.case.as_ref().unwrap();
    assert!(
        case.log
            .iter()
            .any(|e| matches!(e.event, Event::CantFind { .. })),
        "{:?}",
        case.log
    );
}

#[test]
fn a_checklist_asks_each_item_in_turn_and_moves_on_after_the_last() {
    let mut p = Person::start("huabei", false);
    p.walk_to(StepKind::Consequences);
    let items = match ask(&p.model, &p.content) {
        Ask::Tick { items, .. } => items,
        other => panic!("{other:?}"),
    };
    for i in 1..=items {
        let q = p.page().question.join("\n");
        assert!(q.contains(&format!("Item {i} of {items}")), "{q}");
        assert_eq!(p.kind(), StepKind::Consequences);
        assert_eq!(
            p.types("maybe").as_deref().map(|s| s.contains("Type y")),
            Some(true)
        );
        p.types("y");
    }
    assert_ne!(p.kind(), StepKind::Consequences);
}

#[test]
fn refused_amounts_are_named_and_asked_again() {
    let mut p = Person::start("huabei", false);
    p.walk_to(StepKind::Debt);
    let ui = &p.content.ui;
    let decimals = ui.err_amount_decimals.get(Lang::En).to_owned();
    let empty = ui.plain_amount_empty.get(Lang::En).to_owned();
    assert_eq!(p.types("").as_deref(), Some(empty.as_str()));
    // Refused at once, with the reason, and the same field asked again.
    let said = p.types("12.345").expect("refused");
    assert!(
        said.contains("12.345") && said.ends_with(&decimals),
        "{said}"
    );
    assert!(matches!(
        ask(&p.model, &p.content),
        Ask::Amount { field: 0, .. }
    ));
    p.types("0");
    assert!(matches!(
        ask(&p.model, &p.content),
        Ask::Amount { field: 1, .. }
    ));
    // `b` is the previous field, whose 0 is offered to keep.
    p.types("b");
    assert!(matches!(
        ask(&p.model, &p.content),
        Ask::Amount { field: 0, .. }
    ));
    assert!(
        p.page()
            .question
            .iter()
            .any(|l| l.contains("Filled in now: 0"))
    );
    p.types("");
    p.types("0");
    p.types("0");
    assert_ne!(p.kind(), StepKind::Debt);
}

#[test]
fn an_amount_owed_shows_the_blocked_page_and_enter_goes_home() {
    let mut p = Person::start("huabei", false);
    p.walk_to(StepKind::Debt);
    p.types("88");
    p.types("0");
    p.types("0");
    let page = p.page();
    assert!(page.text.iter().any(|l| l.contains("88.00")), "{page:?}");
    assert!(
        page.prompt.contains("change the amounts"),
        "{}",
        page.prompt
    );
    // `b` asks the amounts again from the first.
    p.types("b");
    assert!(matches!(
        ask(&p.model, &p.content),
        Ask::Amount { field: 0, .. }
    ));
    p.types("88");
    p.types("");
    p.types("");
    p.types("");
    assert!(matches!(p.model.screen, Screen::Welcome { .. }));
}

#[test]
fn the_demo_phone_locks_after_three_wrong_codes_and_resends_after_the_countdown() {
    let mut p = Person::start("huabei", true);
    p.walk_to(StepKind::Verify);
    p.types("2"); // an SMS code: it can be sent again
    assert!(matches!(
        ask(&p.model, &p.content),
        Ask::Code { locked: false }
    ));
    assert!(p.types("12ab").unwrap().contains("6 digits"));
    for _ in 0..3 {
        assert_eq!(p.types("000000"), None);
    }
    assert!(matches!(
        ask(&p.model, &p.content),
        Ask::Code { locked: true }
    ));
    assert!(p.page().alerts.iter().any(|a| a.contains("locked")));
    assert!(p.types("123456").unwrap().contains("locked"));
    assert!(p.types("resend").unwrap().contains("cannot be sent yet"));
    p.now += TimeDelta::seconds(60);
    assert_eq!(p.types("resend"), None);
    let code = match &p.model.screen {
        Screen::Step(view) => view.phone.as_ref().unwrap().code.clone(),
        _ => unreachable!(),
    };
    assert!(
        p.page().section.iter().any(|l| l.contains(&code)),
        "the new code is read out"
    );
    p.types(&code);
    assert_ne!(p.kind(), StepKind::Verify);
}

/// A payment password in plain mode: no resend line and no resend; locked after three
/// wrong tries, with the time left said; the same password works once the lock is over.
#[test]
fn the_demo_payment_password_is_not_resent_and_its_lock_ends_by_itself() {
    let mut p = Person::start("weilidai", true);
    p.walk_to(StepKind::Verify);
    p.types("1");
    let code = match &p.model.screen {
        Screen::Step(view) => view.phone.as_ref().unwrap().code.clone(),
        _ => unreachable!(),
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let page = p.page();
    assert!(
        !page.question.iter().any(|l| l.contains("sent")),
        "{page:?}"
    );
    assert!(p.types("resend").unwrap().contains("never sent again"));
    for _ in 0..3 {
        assert_eq!(p.types(wrong), None);
    }
    assert!(
        p.page().alerts.iter().any(|a| a.contains("try again in")),
        "{:?}",
        p.page()
    );
    assert!(p.types(&code).unwrap().contains("try again in"));
    p.now += TimeDelta::seconds(60);
    assert_eq!(p.types(&code), None);
    assert_ne!(p.kind(), StepKind::Verify);
}

#[test]
fn an_id_number_in_the_contact_note_is_refused_and_said_so() {
    let mut p = Person::start("xiaomi-fenqi", false);
    p.walk_to(StepKind::Contact);
    p.types("110101199003074578");
    assert_eq!(p.kind(), StepKind::Contact);
    let page = p.page();
    let warning = p.content.ui.contact_looks_secret.get(Lang::En);
    assert!(
        page.alerts.iter().any(|a| a == warning),
        "{:?}",
        page.alerts
    );
    let case = p.model.case.as_ref().unwrap();
    assert!(!format!("{case:?}").contains("110101199003074578"));
}

#[test]
fn lists_are_punctuated_as_each_language_writes_them() {
    let content = Content::builtin().unwrap();
    let mut model = Model::new(Lang::En, false);
    update(
        &mut model,
        &content,
        Action::Enter,
        at("2026-11-23T09:00:00+08:00"),
    );
    let en = page(&model, &content).text.join("\n");
    assert!(
        en.contains("2. Huabei (花呗), Chongqing Ant Consumer Finance. Alipay"),
        "{en}"
    );
    model.lang = Lang::Zh;
    let zh = page(&model, &content).text.join("\n");
    assert!(zh.contains("2. 花呗，重庆蚂蚁消费金融。"), "{zh}");
    assert!(zh.contains("支付宝："), "{zh}");
}

#[test]
fn a_note_with_control_characters_keeps_only_the_text() {
    let mut p = Person::start("xiaomi-fenqi", false);
    p.walk_to(StepKind::Contact);
    p.types("ticket\x1b[31mA17\x07");
    let case = p.model.case.as_ref().unwrap();
    let kept = format!("{:?}", case.log);
    assert!(!kept.contains('\x1b') && !kept.contains('\x07'), "{kept}");
    assert!(
        kept.contains("ticket[31mA17"),
        "the text itself is kept: {kept}"
    );
}

#[test]
fn a_note_longer_than_the_field_is_refused_whole_not_cut() {
    let mut p = Person::start("xiaomi-fenqi", false);
    p.walk_to(StepKind::Contact);
    // Cut at 60 characters, the ID number at the end would lose the digits that make
    // it recognisable; whole, it is refused as too long and nothing is kept.
    let long = "Called on Monday, agent Li, three days, my ID card is: 110101199003071234";
    let said = p.types(long).expect("refused");
    assert!(said.contains("60"), "{said}");
    assert_eq!(p.kind(), StepKind::Contact);
    assert!(!format!("{:?}", p.model.case).contains("11010119900"));
}

#[test]
fn a_checklist_ticked_in_full_still_offers_its_other_way_out() {
    let mut p = Person::start("huabei", false);
    p.walk_to(StepKind::Navigate);
    let items = p
        .content
        .product("huabei")
        .unwrap()
        .step("find")
        .unwrap()
        .checklist()
        .unwrap()
        .items
        .len();
    for _ in 0..items - 1 {
        p.types("y");
    }
    // Tick the last one without going on (as Esc back to a finished checklist leaves it).
    for _ in 0..items {
        p.act(Action::Down);
    }
    p.act(Action::Up);
    p.act(Action::Tick);
    assert!(matches!(ask(&p.model, &p.content), Ask::Continue));
    assert!(
        p.page()
            .question
            .iter()
            .any(|l| l.contains("Type n instead"))
    );
    assert_eq!(p.types("n"), None);
    let case = p.model.case.as_ref().unwrap();
    assert!(
        case.log
            .iter()
            .any(|e| matches!(e.event, Event::CantFind { .. })),
        "n took the 'I can't find it' way: {:?}",
        case.step
    );
}

#[test]
fn resuming_a_case_that_owed_offers_last_times_amount_and_enter_reuses_it() {
    // A case blocked by ¥88.50, as the start page would open it again.
    let saved = {
        let mut q = Person::start("huabei", false);
        q.walk_to(StepKind::Debt);
        q.types("88.5");
        q.types("0");
        q.types("0");
        q.model.case.clone().unwrap()
    };
    let mut r = Person::start("huabei", false);
    r.act(Action::CaseOpened(Box::new(saved)));
    assert_eq!(r.kind(), StepKind::Debt);
    assert!(
        r.page()
            .question
            .iter()
            .any(|l| l.contains("Last time: ¥88.50")),
        "{:?}",
        r.page().question
    );
    assert_eq!(r.types(""), None, "Enter reuses it");
    match &r.model.screen {
        Screen::Step(view) => assert_eq!(view.inputs[0].value(), "88.50"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_product_and_its_provider_are_a_sentence_in_each_language() {
    let mut p = Person::start("xiaomi-fenqi", false);
    let en = p.page().text.join("\n");
    assert!(
        en.contains("Xiaomi Mall installments, provided by Chongqing Xiaomi Consumer Finance."),
        "{en}"
    );
    p.model.lang = Lang::Zh;
    let zh = p.page().text.join("\n");
    assert!(
        zh.contains("小米商城分期，由重庆小米消费金融提供。"),
        "{zh}"
    );
    assert!(!zh.contains("分期, 重庆"), "{zh}");
    p.act(Action::Enter);
}
