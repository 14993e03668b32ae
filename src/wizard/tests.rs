//! The wizard's rules, tested as plain values: no terminal, no disk, a fixed clock.

use chrono::DateTime;
use tui_input::InputRequest;

use super::case::{AnswerValue, CaseState, Event, ReviewResult};
use super::model::SAVE_RETRY;
use super::update::{missing_prerequisite, reconcile};
use super::worklist::{self, Page};
use super::*;
use crate::content::{Content, Lang, StepKind, VerifyMethod};
use crate::steps::wait::WaitFor;

fn at(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).unwrap()
}

const NOW: &str = "2026-09-28T10:00:00+08:00";

fn content() -> Content {
    Content::builtin().expect("built-in content is valid")
}

struct Driver {
    model: Model,
    content: Content,
    effects: Vec<Effect>,
}

impl Driver {
    fn new(product: &str) -> Driver {
        let mut d = Driver {
            model: Model::new(Lang::En, false),
            content: content(),
            effects: Vec::new(),
        };
        d.act(Action::StartProduct(product.into()));
        d
    }

    fn act(&mut self, action: Action) -> &mut Self {
        self.effects = update(&mut self.model, &self.content, action, at(NOW));
        self
    }

    fn keys(&mut self, actions: impl IntoIterator<Item = Action>) -> &mut Self {
        for a in actions {
            self.act(a);
        }
        self
    }

    fn typed(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.act(Action::Edit(InputRequest::InsertChar(c)));
        }
        self
    }

    fn case(&self) -> &Case {
        self.model.case.as_ref().expect("a case is open")
    }

    fn kind(&self) -> StepKind {
        let case = self.case();
        self.content
            .product(&case.product)
            .unwrap()
            .step(&case.step)
            .unwrap()
            .kind()
    }

    fn view(&self) -> &StepView {
        match &self.model.screen {
            Screen::Step(v) => v,
            other => panic!("not on a step: {other:?}"),
        }
    }

    /// Ticks every item of a checklist step with Enter, then continues.
    fn tick_all_and_go(&mut self) -> &mut Self {
        let n = self.view().ticked.iter().filter(|t| !**t).count();
        for _ in 0..n {
            self.act(Action::Enter);
        }
        self.act(Action::Enter)
    }

    fn fill_amounts(&mut self, amounts: &[&str]) -> &mut Self {
        for (i, a) in amounts.iter().enumerate() {
            if i > 0 {
                self.act(Action::NextField);
            }
            self.typed(a);
        }
        self.act(Action::Enter)
    }

    /// Moves to the row under a checklist ("I can't find it") and chooses it.
    fn choose_last_row(&mut self) -> &mut Self {
        let rows = self.view().ticked.len() + 1;
        for _ in 0..rows {
            self.act(Action::Down);
        }
        self.act(Action::Enter)
    }

    fn saved(&self) -> bool {
        self.effects.iter().any(|e| matches!(e, Effect::Save(_)))
    }

    /// Weilidai to its debt step.
    fn to_debt() -> Driver {
        let mut d = Driver::new("weilidai");
        d.act(Action::Enter);
        d.tick_all_and_go();
        d.act(Action::Enter); // status: normal
        assert_eq!(d.kind(), StepKind::Debt);
        d
    }
}

#[test]
fn a_new_case_starts_at_the_first_step_logged_and_saved() {
    let d = Driver::new("weilidai");
    let case = d.case();
    assert_eq!(case.step, "intro");
    assert_eq!(case.id, "20260928-100000-weilidai");
    assert!(matches!(case.log[0].event, Event::Started));
    assert_eq!(case.log[0].at, at(NOW));
    assert!(d.saved());
}

#[test]
fn navigate_needs_every_item_ticked() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter);
    assert_eq!(d.kind(), StepKind::Navigate);
    d.act(Action::Tick); // first item ticked, cursor stays
    d.act(Action::Enter); // on a ticked item while others are not: a hint, no progress
    assert_eq!(d.kind(), StepKind::Navigate);
    assert_eq!(d.view().hint, Some(Hint::TickAll));
    assert_eq!(
        d.view().cursor,
        1,
        "the cursor moves to the first unticked item"
    );
    d.tick_all_and_go();
    assert_eq!(d.kind(), StepKind::Status);
}

#[test]
fn space_unticks_and_the_log_says_so() {
    let mut d = Driver::new("weilidai");
    d.keys([Action::Enter, Action::Tick, Action::Tick]);
    assert!(!d.view().ticked[0]);
    let ticks: Vec<bool> = d
        .case()
        .log
        .iter()
        .filter_map(|e| match e.event {
            Event::Ticked { on, .. } => Some(on),
            _ => None,
        })
        .collect();
    assert_eq!(ticks, [true, false]);
}

#[test]
fn cant_find_ends_with_nothing_to_close() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter);
    d.choose_last_row();
    assert_eq!(d.kind(), StepKind::Outcome);
    assert_eq!(d.case().state, CaseState::NothingToClose);
}

#[test]
fn status_options_branch_where_the_content_says() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter);
    d.tick_all_and_go();
    d.keys([Action::Down, Action::Enter]); // "already closed"
    assert_eq!(d.case().step, "already-closed");
    assert_eq!(d.case().state, CaseState::NothingToClose);
}

#[test]
fn invalid_amounts_stay_with_an_inline_error() {
    let mut d = Driver::to_debt();
    d.fill_amounts(&["12a", "-3"]);
    assert_eq!(d.kind(), StepKind::Debt);
    assert_eq!(d.view().hint, Some(Hint::AmountsInvalid));
    assert!(d.view().errors.iter().all(Option::is_some));
    assert_eq!(d.view().cursor, 0, "focus goes to the first bad field");
}

#[test]
fn enter_walks_to_the_next_empty_field_before_checking() {
    let mut d = Driver::to_debt();
    d.typed("0").act(Action::Enter);
    assert_eq!(d.view().cursor, 1);
    assert_eq!(d.kind(), StepKind::Debt);
    assert!(d.view().errors.iter().all(Option::is_none));
}

#[test]
fn any_debt_blocks_and_the_case_waits_for_repayment() {
    let mut d = Driver::to_debt();
    d.fill_amounts(&["0", "1,234.5"]);
    assert_eq!(d.kind(), StepKind::Debt);
    assert_eq!(d.view().blocked, Some(123_450));
    assert_eq!(d.case().state, CaseState::WaitingRepayment);
    assert!(d.saved());
    // Enter on the blocked screen: back to the start page, case saved and released.
    d.act(Action::Enter);
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
    assert!(d.model.case.is_none());
    let saved = d.effects.iter().find_map(|e| match e {
        Effect::Save(c) => Some(c.clone()),
        _ => None,
    });
    let saved = saved.expect("the case is saved on the way out");
    assert_eq!(saved.state, CaseState::WaitingRepayment);
    assert!(d.effects.contains(&Effect::Release));
}

#[test]
fn resuming_a_waiting_case_asks_the_amounts_again() {
    let mut d = Driver::to_debt();
    d.fill_amounts(&["5", "0"]);
    let case = d.case().clone();
    let mut d2 = Driver {
        model: Model::new(Lang::En, false),
        content: content(),
        effects: Vec::new(),
    };
    d2.act(Action::CaseOpened(Box::new(case)));
    assert_eq!(d2.kind(), StepKind::Debt);
    assert!(d2.view().blocked.is_none());
    assert!(d2.view().inputs.iter().all(|i| i.value().is_empty()));
    assert!(matches!(
        d2.case().log.last().unwrap().event,
        Event::Resumed
    ));
    d2.fill_amounts(&["0", "0"]);
    assert_ne!(d2.kind(), StepKind::Debt, "zero owed: on to the next step");
    assert_eq!(d2.case().state, CaseState::InProgress);
}

#[test]
fn esc_goes_back_and_keeps_the_answers() {
    let mut d = Driver::to_debt();
    d.fill_amounts(&["0", "0.5"]); // blocked
    d.act(Action::Back); // leaves the blocked screen, amounts still there
    assert_eq!(d.view().inputs[1].value(), "0.5");
    d.keys([Action::Down]);
    d.act(Action::Edit(InputRequest::DeleteLine)).typed("0");
    d.act(Action::Enter);
    assert_ne!(d.kind(), StepKind::Debt);
    d.act(Action::Back);
    assert_eq!(d.kind(), StepKind::Debt);
    let values: Vec<&str> = d.view().inputs.iter().map(|i| i.value()).collect();
    assert_eq!(values, ["0", "0"]);
}

#[test]
fn esc_on_the_first_step_discards_an_untouched_case_and_keeps_a_touched_one() {
    let mut d = Driver::new("weilidai");
    let id = d.case().id.clone();
    d.act(Action::Back);
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
    assert!(!d.saved());
    assert!(d.effects.contains(&Effect::Discard(id)));
    // Once something is answered, leaving keeps the case.
    let mut d = Driver::new("weilidai");
    d.keys([Action::Enter, Action::Back, Action::Back]);
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
    assert!(d.saved());
    assert!(!d.effects.iter().any(|e| matches!(e, Effect::Discard(_))));
}

/// Weilidai walked the plain way (zero owed, first method, all acknowledged) to `confirm`.
fn to_confirm() -> Driver {
    let mut d = Driver::to_debt();
    d.fill_amounts(&["0", "0"]);
    for _ in 0..5 {
        match d.kind() {
            StepKind::Confirm => break,
            StepKind::Navigate | StepKind::Consequences => {
                d.tick_all_and_go();
            }
            _ => {
                d.act(Action::Enter);
            }
        }
    }
    assert_eq!(d.kind(), StepKind::Confirm);
    d
}

#[test]
fn verification_records_the_method_never_a_secret() {
    let d = to_confirm();
    assert!(matches!(
        d.case().answer("verify"),
        Some(AnswerValue::Verified {
            method: VerifyMethod::PaymentPassword,
            simulated: false
        })
    ));
}

#[test]
fn confirmation_needs_the_word() {
    let mut d = to_confirm();
    d.typed("yes").act(Action::Enter);
    assert_eq!(d.kind(), StepKind::Confirm);
    assert_eq!(d.view().hint, Some(Hint::ConfirmMismatch));
    d.act(Action::Edit(InputRequest::DeleteLine)).typed("确认");
    d.act(Action::Enter);
    assert_eq!(d.kind(), StepKind::Review);
    assert_eq!(d.case().state, CaseState::InReview);
}

#[test]
fn confirm_word_in_either_language() {
    use super::update::is_confirmation;
    assert!(is_confirmation("确认"));
    assert!(is_confirmation(" confirm "));
    assert!(is_confirmation("CONFIRM"));
    assert!(!is_confirmation("确定"));
    assert!(!is_confirmation("confirmed"));
    assert!(!is_confirmation(""));
}

#[test]
fn submission_counts_business_days_across_national_day() {
    // Xiaomi's reserve account has a review of several business days.
    let mut d = Driver::new("xiaomi-beiyongjin");
    let product = d.content.product("xiaomi-beiyongjin").unwrap().clone();
    let days = product
        .steps()
        .iter()
        .find(|s| s.kind() == StepKind::Review)
        .and_then(|s| s.review().map(|r| r.business_days))
        .unwrap();
    // Walk it: answer each step the plain way until review.
    for _ in 0..40 {
        if d.kind() == StepKind::Review {
            break;
        }
        match d.kind() {
            StepKind::Debt => {
                let n = d.view().inputs.len();
                let zeros = vec!["0"; n];
                d.fill_amounts(&zeros);
            }
            StepKind::Confirm => {
                d.typed("CONFIRM").act(Action::Enter);
            }
            StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
                d.tick_all_and_go();
            }
            _ => {
                d.act(Action::Enter);
            }
        }
    }
    assert_eq!(d.kind(), StepKind::Review);
    let review = d.case().answers.values().find_map(|a| match &a.value {
        AnswerValue::Review(r) => Some(r.clone()),
        _ => None,
    });
    let review = review.expect("a submission is recorded");
    let expected = d
        .content
        .calendar
        .add_business_days(at(NOW).date_naive(), days);
    assert_eq!(review.expected, expected.date);
    // Mon 2026-09-28 + 5 business days skips Oct 1–7: it lands after the holiday.
    assert!(review.expected > chrono::NaiveDate::from_ymd_opt(2026, 10, 7).unwrap());
    assert!(review.from_tables);
}

#[test]
fn review_outcomes_close_reject_or_wait() {
    let mut d = to_confirm();
    d.typed("CONFIRM").act(Action::Enter);
    // Still waiting: home, case stays in review.
    d.keys([Action::Down, Action::Down, Action::Enter]);
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
    let saved = d.effects.iter().find_map(|e| match e {
        Effect::Save(c) => Some(c.clone()),
        _ => None,
    });
    let case = *saved.unwrap();
    assert_eq!(case.state, CaseState::InReview);
    assert!(case.log.iter().any(|e| matches!(
        e.event,
        Event::ReviewResult {
            result: ReviewResult::Waiting,
            ..
        }
    )));
    // Resumed days later: closed → follow-up → closed.
    d.act(Action::CaseOpened(Box::new(case)));
    assert_eq!(d.kind(), StepKind::Review);
    d.act(Action::Enter);
    assert_eq!(d.kind(), StepKind::Followup);
    d.tick_all_and_go();
    assert_eq!(d.kind(), StepKind::Outcome);
    assert_eq!(d.case().state, CaseState::Closed);
}

#[test]
fn a_hand_edited_case_cannot_skip_to_confirm() {
    let mut d = to_confirm();
    let mut case = d.case().clone();
    case.answers.remove("debt");
    d.act(Action::CaseOpened(Box::new(case.clone())));
    assert_eq!(d.case().step, "debt", "sent back to the missing debt check");
    let product = d.content.product("weilidai").unwrap();
    assert_eq!(
        missing_prerequisite(&case, product).as_deref(),
        Some("debt")
    );
}

#[test]
fn a_changed_step_is_asked_again_and_the_rest_kept() {
    let d = to_confirm();
    let mut case = d.case().clone();
    case.answers.get_mut("status").unwrap().step_fingerprint = "changed".into();
    let product = d.content.product("weilidai").unwrap();
    let changed = reconcile(&mut case, product);
    assert_eq!(changed, ["status"]);
    assert_eq!(case.step, "status");
    assert!(
        case.answers.contains_key("debt"),
        "unchanged answers are kept"
    );
    assert!(!case.answers.contains_key("status"));
}

#[test]
fn f2_switches_language_everywhere_and_is_logged() {
    let mut d = Driver::new("weilidai");
    d.act(Action::SwitchLang);
    assert_eq!(d.model.lang, Lang::Zh);
    assert_eq!(d.case().lang, Lang::Zh);
    assert!(matches!(
        d.case().log.last().unwrap().event,
        Event::Language { lang: Lang::Zh }
    ));
}

#[test]
fn quit_logs_saves_and_releases() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Quit);
    assert!(d.model.quitting());
    assert!(
        matches!(d.effects[0], Effect::Save(ref c) if matches!(c.log.last().unwrap().event, Event::Quit))
    );
    assert!(d.effects.contains(&Effect::Release));
}

#[test]
fn help_overlay_swallows_keys_until_closed() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Help);
    d.act(Action::Enter);
    assert!(!d.model.help);
    assert_eq!(
        d.kind(),
        StepKind::Intro,
        "Enter closed help, did not continue"
    );
}

#[test]
fn demo_verification_is_marked_simulated() {
    let mut d = Driver {
        model: Model::new(Lang::En, true),
        content: content(),
        effects: Vec::new(),
    };
    d.act(Action::StartProduct("weilidai".into()));
    d.act(Action::Enter);
    d.tick_all_and_go();
    d.act(Action::Enter);
    // Demo amounts are pre-filled with zero.
    assert!(d.view().inputs.iter().all(|i| i.value() == "0"));
    d.act(Action::Enter);
    while d.kind() != StepKind::Verify {
        match d.kind() {
            StepKind::Navigate | StepKind::Consequences => d.tick_all_and_go(),
            _ => d.act(Action::Enter),
        };
    }
    // The payment password goes through the simulated phone.
    d.act(Action::Enter);
    let code = phone(&d).code.clone();
    d.typed(&code).act(Action::Enter);
    assert!(matches!(
        d.case().answer("verify"),
        Some(AnswerValue::Verified {
            simulated: true,
            ..
        })
    ));
}

#[test]
fn picker_filters_by_any_name() {
    use super::update::picker_matches;
    let c = content();
    let ids = |f: &str| -> Vec<&str> {
        picker_matches(&c, f)
            .into_iter()
            .map(|i| c.products[i].id())
            .collect()
    };
    assert_eq!(ids("微粒"), ["weilidai"]);
    assert_eq!(ids("BAITIAO"), ["baitiao"]);
    assert_eq!(ids("xiaomi").len(), 2);
    assert_eq!(ids("").len(), c.products.len());
    assert!(ids("zzz").is_empty());
}

#[test]
fn a_window_too_small_to_read_takes_no_keys_but_quit() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Resize(40, 10));
    d.act(Action::Enter);
    assert_eq!(
        d.kind(),
        StepKind::Intro,
        "Enter did nothing while unreadable"
    );
    d.act(Action::Resize(80, 24));
    d.act(Action::Enter);
    assert_eq!(d.kind(), StepKind::Navigate);
    d.act(Action::Resize(10, 3));
    d.act(Action::Quit);
    assert!(d.model.quitting());
}

#[test]
fn a_locked_case_is_explained_in_the_persons_language() {
    let mut d = Driver::new("weilidai");
    d.act(Action::OpenFailed(locked("abc")));
    // A value, not text: it is drawn in whatever language is on screen (tests/screens.rs).
    let notice = d.model.notice.clone().unwrap();
    assert!(notice.is_error());
    assert_eq!(
        notice,
        Notice::Locked {
            id: "abc".into(),
            desk: None
        }
    );
    // In the shared case book the store can say which desk holds it, and the notice does.
    let at_desk = FaultKind::LockedAt {
        id: "abc".into(),
        desk: "柜台A".into(),
    };
    d.act(Action::OpenFailed(StoreFault::new(at_desk, "held")));
    let notice = d.model.notice.clone().unwrap();
    let text = crate::report::notice_text(&notice, &d.content, Lang::Zh);
    assert!(text.contains("柜台A") && text.contains("abc"), "{text}");
}

#[test]
fn a_case_that_never_passed_debt_is_sent_there() {
    // A case file claiming to be at follow-up with nothing answered.
    let d = to_confirm();
    let mut case = d.case().clone();
    case.step = "followup".into();
    case.trail = vec!["intro".into(), "find".into(), "status".into()];
    case.answers.clear();
    let mut d2 = Driver::new("weilidai");
    d2.act(Action::CaseOpened(Box::new(case)));
    assert_eq!(d2.case().step, "debt");
}

#[test]
fn quitting_a_finished_case_does_not_log_quit_for_now() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter);
    d.choose_last_row();
    assert_eq!(d.case().state, CaseState::NothingToClose);
    d.act(Action::Quit);
    let Effect::Save(case) = &d.effects[0] else {
        panic!("saved first")
    };
    assert!(!matches!(case.log.last().unwrap().event, Event::Quit));
}

#[test]
fn going_back_from_a_blocked_debt_reopens_the_case() {
    // Found by the key storm: the case stayed "waiting for repayment" on the status step.
    let mut d = Driver::to_debt();
    d.fill_amounts(&["7", "0"]);
    assert_eq!(d.case().state, CaseState::WaitingRepayment);
    d.act(Action::Back); // leaves the blocked screen
    d.act(Action::Back); // back to the status step
    assert_eq!(d.kind(), StepKind::Status);
    assert_eq!(d.case().state, CaseState::InProgress);
}

#[test]
fn a_blocked_debt_on_a_kiosk_names_no_case_id_and_no_command() {
    // The next visitor reads the screen: on a public terminal, staff continue the case.
    for kiosk in [false, true] {
        let mut d = Driver::to_debt();
        d.model.kiosk = kiosk;
        d.fill_amounts(&["7", "0"]);
        assert_eq!(d.case().state, CaseState::WaitingRepayment);
        let id = d.case().id.to_string();
        for _ in 0..2 {
            let text = crate::plain::page(&d.model, &d.content).text.join("\n");
            assert_eq!(text.contains(&id), !kiosk, "kiosk {kiosk}: {text}");
            assert_eq!(
                text.contains("xiaohu resume"),
                !kiosk,
                "kiosk {kiosk}: {text}"
            );
            d.act(Action::SwitchLang);
        }
    }
}

#[test]
fn going_back_into_review_waits_for_the_review_again() {
    let mut d = to_confirm();
    d.typed("CONFIRM").act(Action::Enter);
    d.act(Action::Enter); // closed → follow-up
    assert_eq!(d.case().state, CaseState::InProgress);
    d.act(Action::Back);
    assert_eq!(d.kind(), StepKind::Review);
    assert_eq!(d.case().state, CaseState::InReview);
}

#[test]
fn a_case_the_store_wrote_under_another_id_goes_on_under_that_id() {
    let mut d = Driver::new("weilidai");
    let first = d.case().id.clone();
    // The first save failed: the case waits in memory under its first id.
    let case = Box::new(d.case().clone());
    d.act(Action::SaveFailed {
        case,
        fault: full("No space left on device"),
    });
    assert!(d.model.unsaved().is_some());
    // The retry landed, but another terminal had taken that id in the same second.
    let to = first.suffixed(2).unwrap();
    d.act(Action::Renamed {
        from: first.clone(),
        to: to.clone(),
    });
    assert_eq!(d.case().id, to);
    assert!(d.model.unsaved().is_none(), "the rename is also a save");
    // Every later save is of the new id.
    d.act(Action::Enter);
    assert!(
        d.effects
            .iter()
            .any(|e| matches!(e, Effect::Save(c) if c.id == to)),
        "{:?}",
        d.effects
    );
}

#[test]
fn a_submitted_case_is_not_asked_again_when_content_changes() {
    let mut d = to_confirm();
    d.typed("CONFIRM").act(Action::Enter);
    assert_eq!(d.kind(), StepKind::Review);
    let mut case = d.case().clone();
    case.answers
        .get_mut("consequences")
        .unwrap()
        .step_fingerprint = "changed".into();
    let product = d.content.product("weilidai").unwrap();
    let changed = reconcile(&mut case, product);
    assert_eq!(changed, ["consequences"]);
    assert_eq!(case.step, "review", "no rewind after the submission");
    assert!(case.answers.contains_key("consequences"));
}

#[test]
fn esc_on_a_case_that_had_already_ended_goes_home_and_keeps_it_ended() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter);
    d.choose_last_row();
    let case = d.case().clone();
    assert_eq!(case.state, CaseState::NothingToClose);
    let mut d2 = Driver::new("weilidai");
    d2.act(Action::CaseOpened(Box::new(case)));
    d2.act(Action::Back);
    assert!(matches!(d2.model.screen, Screen::Welcome { .. }));
    let Some(Effect::Save(saved)) = d2.effects.first() else {
        panic!("saved on the way out")
    };
    assert_eq!(saved.state, CaseState::NothingToClose);
}

#[test]
fn the_language_on_screen_wins_over_the_saved_one() {
    let d = Driver::new("weilidai");
    let mut case = d.case().clone();
    case.lang = Lang::Zh;
    let mut d2 = Driver::new("huabei"); // English model
    d2.act(Action::CaseOpened(Box::new(case)));
    assert_eq!(d2.model.lang, Lang::En);
    assert_eq!(d2.case().lang, Lang::En);
}

#[test]
fn notices_are_values_cleared_by_the_next_key() {
    let d = Driver::new("weilidai");
    let case = d.case().clone();
    let mut d2 = Driver::new("huabei");
    d2.act(Action::CaseOpened(Box::new(case)));
    assert_eq!(d2.model.notice, Some(Notice::Resumed));
    d2.act(Action::SwitchLang);
    assert_eq!(
        d2.model.notice,
        Some(Notice::Resumed),
        "F2 keeps it (it is redrawn translated)"
    );
    d2.act(Action::Down);
    assert_eq!(d2.model.notice, None);
    // A failed save stays until a save succeeds.
    let case = Box::new(d2.case().clone());
    let id = case.id.clone();
    d2.act(Action::SaveFailed {
        case,
        fault: full("disk full"),
    });
    d2.act(Action::Down);
    assert!(matches!(d2.model.notice, Some(Notice::SaveFailed { .. })));
    d2.act(Action::Saved { id });
    assert_eq!(d2.model.notice, None);
}

#[test]
fn still_waiting_goes_home_saying_when_to_come_back() {
    let mut d = to_confirm();
    d.typed("CONFIRM").act(Action::Enter);
    d.keys([Action::Down, Action::Down, Action::Enter]);
    assert!(matches!(
        d.model.notice,
        Some(Notice::WaitingReview { ref id, .. }) if id == "20260928-100000-weilidai"
    ));
}

#[test]
fn text_typed_before_esc_is_still_there_after_coming_back() {
    let mut d = Driver::to_debt();
    d.typed("5");
    d.act(Action::Back);
    assert_eq!(d.kind(), StepKind::Status);
    d.act(Action::Enter);
    assert_eq!(d.kind(), StepKind::Debt);
    assert_eq!(d.view().inputs[0].value(), "5");
}

#[test]
fn a_resumed_case_is_never_discarded_by_esc() {
    // Blocked at debt, then every answered step changed: resume rewinds to the first step
    // with no answers left. Esc must not delete the case and its log.
    let mut d = Driver::to_debt();
    d.fill_amounts(&["9", "0"]);
    let mut case = d.case().clone();
    for answer in case.answers.values_mut() {
        answer.step_fingerprint = "changed".into();
    }
    let mut d2 = Driver::new("huabei");
    d2.act(Action::Quit);
    d2.act(Action::CaseOpened(Box::new(case)));
    assert_eq!(d2.case().step, "intro");
    assert!(d2.case().answers.is_empty());
    assert_eq!(
        d2.case().state,
        CaseState::InProgress,
        "rewound, so no longer waiting"
    );
    d2.act(Action::Back);
    assert!(!d2.effects.iter().any(|e| matches!(e, Effect::Discard(_))));
    assert!(d2.saved());
}

#[test]
fn amounts_that_only_sum_to_zero_do_not_pass_the_safety_rule() {
    let d = to_confirm();
    let mut case = d.case().clone();
    let debt = case.answers.get_mut("debt").unwrap();
    debt.value = AnswerValue::Amounts {
        cents: [
            ("principal".to_owned(), 50_000),
            ("interest".to_owned(), -50_000),
        ]
        .into(),
    };
    let product = d.content.product("weilidai").unwrap();
    assert_eq!(
        missing_prerequisite(&case, product).as_deref(),
        Some("debt")
    );
    assert!(
        case.check().is_err(),
        "a loaded file with a negative amount is damaged"
    );
}

#[test]
fn answers_from_the_app_are_taken_even_in_a_tiny_window() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Resize(10, 3));
    let case = Box::new(d.case().clone());
    let id = case.id.clone();
    d.act(Action::SaveFailed {
        case,
        fault: full("disk full"),
    });
    assert!(matches!(d.model.notice, Some(Notice::SaveFailed { .. })));
    d.act(Action::Saved { id });
    assert_eq!(d.model.notice, None);
}

#[test]
fn esc_on_an_end_screen_goes_back_to_the_choice_and_enter_goes_home_ended() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter);
    let before = d.case().step.clone();
    d.choose_last_row();
    assert_eq!(d.kind(), StepKind::Outcome);
    assert_eq!(d.case().state, CaseState::NothingToClose);
    // A mis-press is undone: back where the choice was made, the case open again.
    d.act(Action::Back);
    assert_eq!(d.case().step, before);
    assert_eq!(d.case().state, CaseState::InProgress);
    let Some(Effect::Save(saved)) = d.effects.first() else {
        panic!("saved on the way back")
    };
    assert_eq!(saved.state, CaseState::InProgress);
    // Enter on the end is the start page, and the case stays ended.
    d.choose_last_row();
    d.act(Action::Enter);
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
    let Some(Effect::Save(saved)) = d.effects.first() else {
        panic!("saved on the way out")
    };
    assert_eq!(saved.state, CaseState::NothingToClose);
}

// --- Disk trouble: a case that cannot be written is kept, retried, and not quit away ---

fn full(detail: &str) -> StoreFault {
    StoreFault::new(FaultKind::Full, detail)
}

fn read_only(detail: &str) -> StoreFault {
    StoreFault::new(FaultKind::ReadOnly, detail)
}

fn locked(id: &str) -> StoreFault {
    let detail = format!("case {id} is open in another terminal; quit it there first");
    StoreFault::new(FaultKind::Locked(id.into()), detail)
}

fn failed_save(d: &mut Driver, fault: StoreFault) {
    let Some(Effect::Save(case)) = d
        .effects
        .iter()
        .find(|e| matches!(e, Effect::Save(_)))
        .cloned()
    else {
        panic!("the last action saved nothing: {:?}", d.effects);
    };
    d.act(Action::SaveFailed { case, fault });
}

fn saves(effects: &[Effect]) -> Vec<&Case> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Save(case) => Some(&**case),
            _ => None,
        })
        .collect()
}

#[test]
fn an_unsaved_case_is_kept_and_offered_again_after_the_retry_delay() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter);
    failed_save(&mut d, full("No space left on device (os error 28)"));
    let kept = d
        .model
        .unsaved()
        .cloned()
        .expect("the case is kept in memory");
    assert_eq!(kept.step, d.case().step);
    assert!(
        matches!(&d.model.notice, Some(Notice::SaveFailed { fault }) if fault.detail.contains("space"))
    );

    // Too early: nothing; after SAVE_RETRY: the kept case again.
    d.effects = update(&mut d.model, &d.content, Action::Timer, at(NOW));
    assert!(saves(&d.effects).is_empty(), "no retry before the delay");
    let later = at(NOW) + SAVE_RETRY;
    d.effects = update(&mut d.model, &d.content, Action::Timer, later);
    assert_eq!(saves(&d.effects), vec![&kept]);
    // Keys do not clear the warning while the case is unsaved.
    d.act(Action::Down);
    assert!(matches!(d.model.notice, Some(Notice::SaveFailed { .. })));

    d.act(Action::Saved {
        id: kept.id.clone(),
    });
    assert!(d.model.unsaved().is_none());
    assert_eq!(d.model.notice, None);
    d.effects = update(&mut d.model, &d.content, Action::Timer, later + SAVE_RETRY);
    assert!(saves(&d.effects).is_empty(), "nothing left to retry");
}

#[test]
fn a_case_that_left_the_screen_unsaved_is_still_retried() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter);
    let id = d.case().id.clone();
    // Esc on the first steps goes home: the case leaves the model with a save.
    while d.model.case.is_some() {
        d.act(Action::Back);
    }
    failed_save(&mut d, read_only("Read-only file system (os error 30)"));
    assert!(d.model.case.is_none());
    assert_eq!(d.model.unsaved().map(|c| c.id.as_str()), Some(id.as_str()));
    d.effects = update(
        &mut d.model,
        &d.content,
        Action::Timer,
        at(NOW) + SAVE_RETRY,
    );
    assert_eq!(saves(&d.effects).len(), 1);
}

#[test]
fn a_full_disk_and_a_read_only_one_are_told_apart() {
    // The notice keeps what kind of trouble the store reported, and says it in the
    // person's language before the OS's own words.
    let notice_after = |fault: StoreFault, quit: bool| {
        let mut d = Driver::new("weilidai");
        d.act(Action::Enter);
        if quit {
            d.act(Action::Quit);
        }
        failed_save(&mut d, fault);
        let notice = d.model.notice.clone().expect("a notice");
        let words = |lang| crate::report::notice_text(&notice, &d.content, lang);
        (notice.clone(), words(Lang::En), words(Lang::Zh))
    };
    let (notice, en, zh) = notice_after(full("No space left on device (os error 28)"), false);
    assert!(
        matches!(&notice, Notice::SaveFailed { fault } if fault.kind == FaultKind::Full),
        "{notice:?}"
    );
    assert!(
        en.contains("the disk is full: No space left on device"),
        "{en}"
    );
    assert!(zh.contains("磁盘已满"), "{zh}");
    assert!(!en.contains("read-only") && !zh.contains("只读"));

    let (notice, en, zh) = notice_after(read_only("Read-only file system (os error 30)"), false);
    assert!(
        matches!(&notice, Notice::SaveFailed { fault } if fault.kind == FaultKind::ReadOnly),
        "{notice:?}"
    );
    assert!(
        en.contains("the disk is read-only: Read-only file system"),
        "{en}"
    );
    assert!(zh.contains("磁盘是只读的"), "{zh}");
    assert!(!en.contains("full") && !zh.contains("已满"));

    // The quit held back says which, too.
    let (notice, en, _) = notice_after(read_only("Read-only file system (os error 30)"), true);
    assert!(
        matches!(&notice, Notice::QuitUnsaved { fault } if fault.kind == FaultKind::ReadOnly),
        "{notice:?}"
    );
    assert!(
        en.starts_with("Still not saved (the disk is read-only"),
        "{en}"
    );
}

#[test]
fn quit_with_an_unsaved_case_warns_once_then_quits() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter).act(Action::Quit);
    failed_save(&mut d, full("disk full"));
    assert!(!d.model.quitting(), "the first quit is held back");
    assert!(matches!(d.model.notice, Some(Notice::QuitUnsaved { .. })));
    d.act(Action::Quit);
    assert_eq!(
        saves(&d.effects).len(),
        1,
        "the second quit still tries to save"
    );
    failed_save(&mut d, full("disk full"));
    assert!(d.model.quitting(), "the second quit leaves");
    let quits = d
        .case()
        .log
        .iter()
        .filter(|e| e.event == Event::Quit)
        .count();
    assert_eq!(quits, 1, "quitting twice logs once");
}

#[test]
fn terminate_saves_and_leaves_even_when_the_save_fails() {
    let mut d = Driver::new("weilidai");
    d.act(Action::Enter).act(Action::Terminate);
    assert_eq!(saves(&d.effects).len(), 1);
    assert!(d.model.quitting());
    failed_save(&mut d, full("disk full"));
    assert!(d.model.quitting(), "a signal does not wait for the disk");
}

#[test]
fn idle_reset_saves_the_case_and_leaves_a_clean_start_page() {
    let mut d = Driver::new("huabei");
    d.act(Action::Enter)
        .act(Action::ToggleAgent)
        .act(Action::ToggleLog)
        .act(Action::Help)
        .act(Action::Notice(Notice::Resumed));
    let step = d.case().step.clone();
    d.act(Action::IdleReset);
    let saved = saves(&d.effects);
    assert_eq!(saved.len(), 1, "the case is saved on the way home");
    assert_eq!(saved[0].step, step);
    assert!(d.model.case.is_none());
    assert!(matches!(d.model.screen, Screen::Welcome { selected: 0 }));
    assert!(!d.model.help && !d.model.show_log && !d.model.show_agent);
    assert_eq!(d.model.notice, None);
}

#[test]
fn idle_reset_in_demo_mode_drops_the_case_unsaved() {
    let mut d = Driver {
        model: Model::new(Lang::Zh, true),
        content: content(),
        effects: Vec::new(),
    };
    d.act(Action::StartProduct("huabei".into()))
        .act(Action::Enter);
    d.act(Action::IdleReset);
    assert!(saves(&d.effects).is_empty(), "demo mode saves nothing");
    assert!(d.model.case.is_none());
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
}

// --- The demo's simulated phone ---

fn demo_at_verify(product: &str) -> Driver {
    let mut d = Driver {
        model: Model::new(Lang::En, true),
        content: content(),
        effects: Vec::new(),
    };
    d.act(Action::StartProduct(product.into()));
    for _ in 0..80 {
        if d.kind() == StepKind::Verify {
            return d;
        }
        if d.kind() == StepKind::Confirm {
            d.typed("CONFIRM");
        }
        d.act(Action::Enter);
    }
    panic!("never reached verify");
}

fn phone(d: &Driver) -> &crate::wizard::model::Phone {
    match &d.model.screen {
        Screen::Step(view) => view.phone.as_ref().expect("the phone is up"),
        _ => panic!("not on a step"),
    }
}

#[test]
fn the_demo_phone_takes_the_code_it_showed_and_logs_a_simulated_check() {
    let mut d = demo_at_verify("weilidai");
    d.act(Action::Enter); // payment password
    assert!(d.model.text_focus(), "the masked field takes the keys");
    let code = phone(&d).code.clone();
    assert_eq!(code.len(), 6);
    d.typed("12ab"); // letters are ignored
    match &d.model.screen {
        Screen::Step(view) => assert_eq!(view.inputs[0].value(), "12"),
        _ => unreachable!(),
    }
    d.act(Action::Edit(InputRequest::DeleteLine));
    d.typed(&code).act(Action::Enter);
    assert_ne!(d.kind(), StepKind::Verify, "the right code goes on");
    let verified = d.case().log.iter().any(|e| {
        matches!(&e.event, Event::Verified { simulated: true, method, .. } if *method == VerifyMethod::PaymentPassword)
    });
    assert!(verified, "{:?}", d.case().log);
    let saved = format!("{:?}", d.case());
    assert!(!saved.contains(&code), "the code is not in the case");
}

#[test]
fn three_wrong_codes_lock_the_phone_until_a_new_code_after_the_countdown() {
    let mut d = demo_at_verify("weilidai");
    d.act(Action::Down).act(Action::Enter); // an SMS code: F5 sends a new one
    let code = phone(&d).code.clone();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in [2, 1, 0] {
        d.typed(wrong).act(Action::Enter);
        assert_eq!(phone(&d).tries_left, left);
    }
    assert!(phone(&d).locked());
    d.typed(&code).act(Action::Enter);
    assert_eq!(
        d.kind(),
        StepKind::Verify,
        "locked: even the right code is refused"
    );
    // F5 before the countdown ends does nothing; after it, a new code and three tries.
    let sent = phone(&d).sent_at;
    d.effects = update(
        &mut d.model,
        &d.content,
        Action::Resend,
        sent + chrono::TimeDelta::seconds(30),
    );
    assert!(phone(&d).locked());
    let later = sent + crate::wizard::model::RESEND_AFTER;
    d.effects = update(&mut d.model, &d.content, Action::Resend, later);
    assert_eq!(phone(&d).tries_left, 3);
    assert_ne!(phone(&d).code, code, "a new code");
    let new = phone(&d).code.clone();
    d.typed(&new).act(Action::Enter);
    assert_ne!(d.kind(), StepKind::Verify);
}

/// The lock-out outlasts Esc: choosing the method again brings back the same phone, its
/// tries, its lock and its countdown (and a wrong try made before Esc still counts).
#[test]
fn esc_and_choosing_the_method_again_keeps_the_tries_and_the_lock() {
    let mut d = demo_at_verify("weilidai");
    d.act(Action::Enter);
    let code = phone(&d).code.clone();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    d.typed(wrong).act(Action::Enter);
    d.act(Action::Back).act(Action::Enter);
    assert_eq!(phone(&d).tries_left, 2, "the wrong try still counts");
    assert_eq!(phone(&d).code, code, "the same phone");
    d.typed(wrong)
        .act(Action::Enter)
        .typed(wrong)
        .act(Action::Enter);
    assert!(phone(&d).locked());
    d.act(Action::Back).act(Action::Enter);
    assert!(phone(&d).locked(), "Esc and the method again: still locked");
    d.typed(&code).act(Action::Enter);
    assert_eq!(d.kind(), StepKind::Verify, "even the right code is refused");
}

/// A payment password is never resent: F5 changes nothing but says so; its lock lifts by
/// itself once the countdown from the third wrong try is over.
#[test]
fn a_payment_password_is_not_resent_and_its_lock_lifts_after_the_countdown() {
    let mut d = demo_at_verify("weilidai");
    d.act(Action::Enter);
    let code = phone(&d).code.clone();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let later = at(NOW) + crate::wizard::model::RESEND_AFTER;
    d.effects = update(&mut d.model, &d.content, Action::Resend, later);
    assert_eq!(phone(&d).code, code, "not resent");
    assert!(phone(&d).wait, "F5 is answered");
    assert!(!phone(&d).resends());
    for _ in 0..3 {
        d.typed(wrong).act(Action::Enter);
    }
    assert!(phone(&d).locked());
    let locked_at = phone(&d).locked_at.expect("the lock's time");
    assert_eq!(phone(&d).locked_for(locked_at), 60);
    let over = locked_at + crate::wizard::model::RESEND_AFTER;
    for c in code.chars() {
        let key = Action::Edit(InputRequest::InsertChar(c));
        d.effects = update(&mut d.model, &d.content, key, over);
    }
    d.effects = update(&mut d.model, &d.content, Action::Enter, over);
    assert_ne!(
        d.kind(),
        StepKind::Verify,
        "the same password, after the lock"
    );
}

/// F5 before an SMS code may be resent says how long is left (the phone remembers it was
/// pressed) and sends nothing.
#[test]
fn f5_during_the_countdown_is_answered_not_ignored() {
    let mut d = demo_at_verify("weilidai");
    d.act(Action::Down).act(Action::Enter);
    let code = phone(&d).code.clone();
    d.act(Action::Resend);
    assert!(phone(&d).wait);
    assert_eq!(phone(&d).code, code);
    d.typed("1");
    assert!(!phone(&d).wait, "the answer goes with the next key");
}

/// The footer on the phone lists only what acts in its state: a locked password phone
/// takes no digits until its lock is over, then takes them again; F5 never shows for a
/// password (it is not resent), and shows for an SMS code once a new one may be sent.
#[test]
fn the_phone_footer_follows_the_phone_state() {
    use crate::keymap::{Key, context, footer};
    let keys = |d: &Driver| -> Vec<Key> {
        footer(&context(&d.model, &d.content))
            .into_iter()
            .flat_map(|e| e.keys)
            .collect()
    };
    let mut d = demo_at_verify("weilidai");
    d.act(Action::Enter);
    let code = phone(&d).code.clone();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        d.typed(wrong).act(Action::Enter);
    }
    let shown = keys(&d);
    assert!(
        !shown.contains(&Key::Digit) && !shown.contains(&Key::Enter),
        "{shown:?}"
    );
    let over = at(NOW) + crate::wizard::model::RESEND_AFTER;
    d.effects = update(&mut d.model, &d.content, Action::Timer, over);
    let shown = keys(&d);
    assert!(
        shown.contains(&Key::Digit) && shown.contains(&Key::Enter),
        "{shown:?}"
    );
    assert!(
        !shown.contains(&Key::F(5)),
        "a password is not resent: {shown:?}"
    );

    let mut sms = demo_at_verify("weilidai");
    sms.act(Action::Down).act(Action::Enter);
    assert!(!keys(&sms).contains(&Key::F(5)), "not during the countdown");
    sms.effects = update(&mut sms.model, &sms.content, Action::Timer, over);
    assert!(keys(&sms).contains(&Key::F(5)));
}

/// Enter with fewer than six digits is a slip, not a try.
#[test]
fn a_code_shorter_than_six_digits_is_not_a_try() {
    let mut d = demo_at_verify("weilidai");
    d.act(Action::Enter);
    for typed in ["", "1", "12345"] {
        d.act(Action::Edit(InputRequest::DeleteLine));
        d.typed(typed).act(Action::Enter);
        assert_eq!(phone(&d).tries_left, 3, "{typed:?}");
        assert!(phone(&d).short && !phone(&d).wrong, "{typed:?}");
    }
}

#[test]
fn esc_puts_the_phone_away_and_outside_demo_there_is_none() {
    let mut d = demo_at_verify("huabei");
    d.act(Action::Enter).typed("12").act(Action::Back);
    assert_eq!(
        d.kind(),
        StepKind::Verify,
        "Esc closes the phone, not the step"
    );
    assert!(matches!(&d.model.screen, Screen::Step(v) if v.phone.is_none() && v.inputs.is_empty()));

    let mut real = Driver::new("huabei");
    while real.kind() != StepKind::Verify {
        if real.kind() == StepKind::Debt {
            real.typed("0")
                .act(Action::Enter)
                .typed("0")
                .act(Action::Enter)
                .typed("0");
        }
        real.act(Action::Enter);
    }
    real.act(Action::Enter);
    assert_ne!(
        real.kind(),
        StepKind::Verify,
        "outside demo the method is only recorded"
    );
}

#[test]
fn a_demo_profile_fills_the_debt_step_and_an_owing_one_blocks() {
    let content = content();
    let profiles = crate::wizard::demo::parse(
        crate::wizard::demo::BUILTIN_PATH,
        crate::wizard::demo::BUILTIN,
        &content,
    )
    .unwrap();
    for id in ["huabei-owes", "huabei-clear"] {
        let profile = profiles.iter().find(|p| p.id == id).unwrap();
        let mut model = Model::new(Lang::En, true);
        model.demo_amounts = profile.amounts.clone();
        let mut d = Driver {
            model,
            content: content.clone(),
            effects: Vec::new(),
        };
        d.act(Action::StartProduct(profile.product.clone()));
        while d.kind() != StepKind::Debt {
            match d.kind() {
                StepKind::Navigate => d.tick_all_and_go(),
                _ => d.act(Action::Enter),
            };
        }
        let typed: Vec<String> = d
            .view()
            .inputs
            .iter()
            .map(|i| i.value().to_owned())
            .collect();
        if id == "huabei-owes" {
            assert_eq!(typed, ["1280.50", "86", "3600"]);
        } else {
            assert!(typed.iter().all(|t| t == "0"), "{typed:?}");
        }
        // Every field is filled: one Enter checks them.
        d.act(Action::Enter);
        if id == "huabei-owes" {
            assert_eq!(d.kind(), StepKind::Debt);
            assert!(d.view().blocked.is_some(), "owing blocks");
        } else {
            assert_ne!(d.kind(), StepKind::Debt, "all zero goes on");
        }
    }
}

impl Driver {
    /// The usual answers, step by step, until a step of `kind` is on screen.
    fn advance_to(&mut self, kind: StepKind) -> &mut Self {
        for _ in 0..40 {
            if self.kind() == kind {
                return self;
            }
            match self.kind() {
                StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
                    self.tick_all_and_go();
                }
                StepKind::Debt => {
                    let zeros = vec!["0"; self.view().inputs.len()];
                    self.fill_amounts(&zeros);
                }
                StepKind::Confirm => {
                    self.typed("CONFIRM").act(Action::Enter);
                }
                _ => {
                    self.act(Action::Enter);
                }
            }
        }
        panic!("never reached {kind:?}");
    }
}

#[test]
fn a_secret_typed_but_not_sent_is_neither_kept_nor_written() {
    let id_number = "110101199003074578";
    let mut d = Driver::new("xiaomi-fenqi");
    d.advance_to(StepKind::Contact);
    d.typed(id_number).act(Action::Back);
    let case = d.case().clone();
    // Not kept as a draft, so Enter on the step before brings back an empty note …
    assert!(
        !format!("{case:?}").contains(id_number),
        "{:?}",
        case.drafts
    );
    // … and drafts are never part of the file in any case.
    let mut typed = d.case().clone();
    typed.drafts.insert("x".into(), vec!["draft-marker".into()]);
    let file = toml::to_string(&typed).unwrap();
    assert!(!file.contains("draft-marker"), "{file}");
}

#[test]
fn control_characters_are_never_text() {
    let mut d = Driver::new("huabei");
    d.advance_to(StepKind::Confirm);
    d.typed("CON\x1bFIRM\x07");
    assert_eq!(d.view().inputs[0].value(), "CONFIRM");
}

#[test]
fn a_save_that_fails_while_leaving_keeps_its_reason_for_the_last_word() {
    let mut d = Driver::new("huabei");
    d.act(Action::Terminate);
    let case = d.case().clone();
    d.act(Action::SaveFailed {
        case: Box::new(case),
        fault: full("disk full"),
    });
    assert!(d.model.quitting(), "a signal still leaves");
    assert_eq!(
        d.model.notice,
        Some(Notice::SaveFailed {
            fault: full("disk full")
        })
    );
}

#[test]
fn no_text_field_grows_past_its_maximum_however_much_is_typed() {
    use super::model::FIELD_MAX;
    // The product filter, and a debt amount: 5,000 characters typed key by key (a paste
    // into a terminal without bracketed paste).
    let mut model = Model::new(Lang::En, false);
    let content = content();
    update(&mut model, &content, Action::Enter, at(NOW));
    for _ in 0..5_000 {
        update(
            &mut model,
            &content,
            Action::Edit(InputRequest::InsertChar('1')),
            at(NOW),
        );
    }
    let Screen::Picker { filter, .. } = &model.screen else {
        panic!("not on the product list: {:?}", model.screen);
    };
    assert_eq!(filter.value().chars().count(), FIELD_MAX);

    let mut d = Driver::new("huabei");
    while d.kind() != StepKind::Debt {
        d.tick_all_and_go();
        if d.kind() == StepKind::Status {
            d.act(Action::Enter);
        }
    }
    d.typed(&"9".repeat(5_000));
    assert_eq!(d.view().inputs[0].value().chars().count(), FIELD_MAX);
}

/// Xiaomi installments to its `wait` step (a refund still on its way?), nothing owed.
fn to_refund_wait() -> Driver {
    let mut d = Driver::new("xiaomi-fenqi");
    d.advance_to(StepKind::Debt);
    d.fill_amounts(&["0", "0"]);
    assert_eq!(d.kind(), StepKind::Wait, "{:?}", d.case().step);
    d
}

#[test]
fn a_pending_refund_saves_the_case_as_waiting_for_it_and_asks_again_on_resume() {
    let mut d = to_refund_wait();
    let step = d.case().step.clone();
    d.keys([Action::Down, Action::Enter]); // the second answer: still pending
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
    let saved = d
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Save(case) => Some(case.clone()),
            _ => None,
        })
        .expect("the case is saved on the way home");
    assert_eq!(saved.state, CaseState::Waiting(WaitFor::Refund));
    assert_eq!(saved.state.code(), "waiting_refund");
    assert_eq!(saved.step, step, "it waits on the question it was asked");
    assert!(!saved.state.is_finished(), "offered on the start page");
    assert!(matches!(
        d.model.notice,
        Some(Notice::Waiting {
            what: WaitFor::Refund,
            ..
        })
    ));
    assert!(saved.log.iter().any(|e| matches!(
        &e.event,
        Event::Waiting { step: s, pending: true } if *s == step
    )));
    // The file keeps its word, and reads back as the same state.
    let file = toml::to_string(&*saved).unwrap();
    assert!(file.contains("state = \"waiting_refund\""), "{file}");
    let back: Case = toml::from_str(&file).unwrap();
    assert_eq!(back.state, saved.state);

    // Days later: the same question, and "done" goes on to the next step.
    let mut d = Driver::new("huabei");
    d.act(Action::CaseOpened(saved));
    assert_eq!(d.kind(), StepKind::Wait);
    assert_eq!(d.case().step, step);
    assert_eq!(d.case().state, CaseState::Waiting(WaitFor::Refund));
    assert_eq!(d.view().cursor, 0, "over is the first answer");
    d.act(Action::Enter);
    assert_eq!(d.kind(), StepKind::Verify);
    assert_eq!(d.case().state, CaseState::InProgress);
    assert_eq!(d.case().answer(&step), Some(&AnswerValue::Awaited));
}

#[test]
fn a_refund_is_never_worded_as_money_owed() {
    let mut d = to_refund_wait();
    let owed = ["还欠", "欠款", "still owed", "owe"];
    for _ in [Lang::Zh, Lang::En] {
        d.act(Action::SwitchLang);
        let page = crate::plain::page(&d.model, &d.content);
        let text = format!("{}\n{}", page.heading, page.text.join("\n"));
        let step_text = text
            .replace("not money you owe", "")
            .replace("不是你欠的钱", "");
        for word in owed {
            assert!(!step_text.contains(word), "{word:?} in\n{text}");
        }
    }
    // The saved case, on the start page and in its log, is waiting, not owing.
    let step = d.case().step.clone();
    d.keys([Action::Down, Action::Enter]);
    let case = d
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Save(case) => Some(case.clone()),
            _ => None,
        })
        .unwrap();
    let lang = d.model.lang;
    let state = crate::report::state_name(&d.content, &case.product, case.state, lang);
    assert!(
        !state.contains("还款") && !state.contains("repay"),
        "{state}"
    );
    let product = d.content.product("xiaomi-fenqi");
    let log: Vec<String> = case
        .log
        .iter()
        .filter(|e| match &e.event {
            Event::Waiting { .. } => true,
            Event::Entered { step: s } => *s == step,
            _ => false,
        })
        .map(|e| crate::report::describe(e, &d.content, product, lang))
        .collect();
    assert_eq!(log.len(), 2, "{log:#?}");
    // In the words of what is awaited: a refund being processed.
    let pending = d.content.ui.ev_refund_pending.get(lang);
    assert!(log.iter().any(|l| l == pending), "{log:#?}");
    assert!(
        !log.iter().any(|l| owed.iter().any(|w| l.contains(w))),
        "{log:#?}"
    );
}

#[test]
fn every_case_state_is_written_as_its_word_and_read_back() {
    for state in CaseState::ALL {
        let word: &str = state.into();
        assert_eq!(CaseState::try_from(word.to_owned()), Ok(state));
    }
    assert!(CaseState::try_from("waiting_for_godot".to_owned()).is_err());
    // The words files already hold are still read.
    for word in [
        "in_progress",
        "waiting_repayment",
        "in_review",
        "closed",
        "rejected",
    ] {
        assert!(CaseState::try_from(word.to_owned()).is_ok(), "{word}");
    }
}

#[test]
fn a_case_saved_waiting_on_a_step_that_is_no_wait_any_more_is_not_left_waiting() {
    let mut d = to_refund_wait();
    let step = d.case().step.clone();
    d.keys([Action::Down, Action::Enter]);
    let mut saved = d
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Save(case) => Some(case.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(saved.state, CaseState::Waiting(WaitFor::Refund));
    // The same case as if that step had become the debt step in new content.
    saved.step = "debt".into();
    let mut d = Driver::new("huabei");
    d.act(Action::CaseOpened(saved));
    assert_eq!(d.kind(), StepKind::Debt, "{step}");
    assert_eq!(d.case().state, CaseState::InProgress);
}

#[test]
fn a_review_is_counted_from_the_date_in_china_whatever_the_machine_clock_says() {
    let mut d = Driver::new("xiaomi-beiyongjin");
    d.advance_to(StepKind::Confirm);
    d.typed("CONFIRM");
    // 20:00 UTC on Monday 2 November is already Tuesday in China.
    let evening = at("2026-11-02T20:00:00+00:00");
    update(&mut d.model, &d.content, Action::Enter, evening);
    assert_eq!(d.kind(), StepKind::Review);
    let review = d.case().review().expect("submitted").clone();
    let calendar = &d.content.calendar;
    let china = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    let local = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let days = review.business_days;
    assert_eq!(
        review.expected,
        calendar.add_business_days(china, days).date
    );
    assert_ne!(
        review.expected,
        calendar.add_business_days(local, days).date
    );
    // The screen names the submission in China's time too, so its day is the one counted
    // from, and says which clock that is.
    let text = crate::plain::page(&d.model, &d.content).text.join("\n");
    assert!(
        text.contains("2026-11-03 04:00 (China time, UTC+8)"),
        "{text}"
    );
    assert!(!text.contains("2026-11-02 20:00"), "{text}");
}

#[test]
fn a_date_from_a_year_without_a_table_says_what_is_known_and_nothing_more() {
    let mut d = Driver::new("xiaomi-beiyongjin");
    d.advance_to(StepKind::Review);
    let mut case = d.case().clone();
    let step = case.step.clone();
    let Some(crate::wizard::case::Answer {
        value: AnswerValue::Review(r),
        ..
    }) = case.answers.get_mut(&step)
    else {
        panic!("no submission");
    };
    // As on 2026-12-28: five business days lead into 2027, which has no table.
    r.expected = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    r.from_tables = false;
    d.act(Action::CaseOpened(Box::new(case)));
    for _ in 0..2 {
        d.act(Action::SwitchLang);
        let page = crate::plain::page(&d.model, &d.content);
        let text = page.text.join("\n");
        let ui = &d.content.ui;
        let lang = d.model.lang;
        assert!(
            text.contains(ui.review_no_table.fill(lang, &[("year", "2027")]).as_str()),
            "{text}"
        );
        let by_law = ui
            .review_expected_by_law
            .fill(lang, &[("date", "2027-01-04"), ("n", "5")]);
        assert!(text.contains(&by_law), "{text}");
        for claim in ["调休上班日照常计算", "make-up working days counted"] {
            assert!(
                !text.contains(claim),
                "{claim:?} beside the no-table note:\n{text}"
            );
        }
        let receipt = crate::report::receipt(
            d.case(),
            &d.content,
            lang,
            crate::report::Format::Txt,
            at(NOW),
        );
        let by_law = ui.receipt_business_days_by_law.fill(lang, &[("n", "5")]);
        assert!(receipt.contains(&by_law), "{receipt}");
        for claim in ["已跳过法定节假日", "public holidays skipped"] {
            assert!(!receipt.contains(claim), "{claim:?} in\n{receipt}");
        }
    }
}

// --- "I already sent a request": the sent step, and a review past its date ---

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

impl Driver {
    /// The same action at another time than `NOW`.
    fn act_at(&mut self, action: Action, time: &str) -> &mut Self {
        self.effects = update(&mut self.model, &self.content, action, at(time));
        self
    }

    /// A product to its `sent` step by "I already sent a request" (`option`, from 0): the
    /// debt answered with zeros and the first verification method on the way.
    fn to_sent(product: &str, option: usize) -> Driver {
        let mut d = Driver::new(product);
        d.advance_to(StepKind::Status);
        for _ in 0..option {
            d.act(Action::Down);
        }
        d.act(Action::Enter);
        assert_eq!(d.kind(), StepKind::Debt);
        d.advance_to(StepKind::Sent);
        d
    }

    /// Types `date` over what the date field holds and presses Enter.
    fn send_date(&mut self, date: &str) -> &mut Self {
        self.act(Action::Edit(InputRequest::DeleteLine));
        self.typed(date).act(Action::Enter)
    }

    fn blocks(&self) -> Vec<crate::steps::Block> {
        crate::steps::open_screen(&self.model, &self.content).expect("a step on screen")
    }

    fn screen_text(&self) -> String {
        format!("{:?}", self.blocks())
    }
}

#[test]
fn already_sent_asks_the_day_and_counts_the_review_from_it_without_confirming_again() {
    for (product, option) in [
        ("xiaomi-beiyongjin", 2),
        ("xiaomi-fenqi", 2),
        ("wangshangdai", 1),
    ] {
        let mut d = Driver::to_sent(product, option);
        // Today's date in China is filled in.
        assert_eq!(d.view().inputs[0].value(), "2026-09-28", "{product}");
        d.send_date("2026-09-21");
        assert_eq!(d.kind(), StepKind::Review, "{product}");
        let case = d.case();
        let review = case.review().expect("submitted").clone();
        let days = review.business_days;
        let calendar = &d.content.calendar;
        assert_eq!(review.sent, Some(day("2026-09-21")), "{product}");
        assert_eq!(
            review.expected,
            calendar.add_business_days(day("2026-09-21"), days).date,
            "{product}: counted from the day it was sent"
        );
        assert_ne!(
            review.expected,
            calendar.add_business_days(day("2026-09-28"), days).date
        );
        assert!(case.log.iter().any(|e| e.event
            == Event::Sent {
                step: "sent".into(),
                date: day("2026-09-21")
            }));
        // Nobody was walked through confirming (or contacting) again.
        let product_steps = d.content.product(product).unwrap();
        for s in &case.trail {
            let kind = product_steps.step(s).unwrap().kind();
            assert!(
                !matches!(
                    kind,
                    StepKind::Confirm | StepKind::Contact | StepKind::Consequences
                ),
                "{product}: {s} on the way"
            );
        }
        assert!(
            !case
                .log
                .iter()
                .any(|e| matches!(e.event, Event::Confirmed { .. })),
            "{product}"
        );
        // The screen words it as sent on that day, expected by the date.
        let ui = &d.content.ui;
        let text = d.screen_text();
        assert!(
            text.contains(&ui.review_sent.fill(Lang::En, &[("date", "2026-09-21")])),
            "{text}"
        );
        // The receipt says the day it was sent, not when the wizard recorded it.
        let receipt = crate::report::receipt(
            case,
            &d.content,
            Lang::En,
            crate::report::Format::Txt,
            at(NOW),
        );
        assert!(receipt.contains(ui.receipt_sent.get(Lang::En)), "{receipt}");
        assert!(receipt.contains("2026-09-21"), "{receipt}");
        let submitted = ui.receipt_submitted.get(Lang::En);
        assert!(
            !receipt
                .lines()
                .any(|l| l.trim_start().starts_with(submitted)),
            "{receipt}"
        );
        // The log line says the day.
        let line = crate::steps::log_line(
            &Event::Sent {
                step: "sent".into(),
                date: day("2026-09-21"),
            },
            ui,
            Lang::Zh,
            None,
        )
        .unwrap();
        assert!(line.contains("2026-09-21"), "{line}");
    }
}

#[test]
fn a_sent_day_in_the_future_more_than_a_year_back_or_not_a_date_is_refused_in_the_field() {
    use crate::wizard::model::{DateProblem, Hint};
    let mut d = Driver::to_sent("xiaomi-beiyongjin", 2);
    let ui = d.content.ui.clone();
    for (typed, problem, words) in [
        (
            "2026-09-29",
            DateProblem::Future,
            ui.sent_future.fill(Lang::En, &[("today", "2026-09-28")]),
        ),
        (
            "2025-09-27",
            DateProblem::TooOld,
            ui.sent_too_old.get(Lang::En).to_owned(),
        ),
        (
            "last friday",
            DateProblem::NotADate,
            ui.sent_not_a_date.get(Lang::En).to_owned(),
        ),
    ] {
        d.send_date(typed);
        assert_eq!(d.kind(), StepKind::Sent, "{typed} was taken");
        assert_eq!(d.view().hint, Some(Hint::SentDate(problem)), "{typed}");
        assert!(
            d.blocks()
                .contains(&crate::steps::Block::Problem(words.clone())),
            "{typed}: {:?}",
            d.blocks()
        );
        // Typing again clears the message.
        d.typed("x");
        assert_eq!(d.view().hint, None);
    }
    // A year back to the day is still taken.
    d.send_date("2025-09-28");
    assert_eq!(d.kind(), StepKind::Review);
}

#[test]
fn a_sent_day_changed_on_the_way_back_is_counted_again() {
    let mut d = Driver::to_sent("xiaomi-beiyongjin", 2);
    d.send_date("2026-09-21");
    let first = d.case().review().unwrap().expected;
    d.act(Action::Back);
    assert_eq!(d.kind(), StepKind::Sent);
    assert_eq!(
        d.view().inputs[0].value(),
        "2026-09-21",
        "the day given is kept"
    );
    d.send_date("2026-09-14");
    let review = d.case().review().unwrap().clone();
    assert_eq!(review.sent, Some(day("2026-09-14")));
    let calendar = &d.content.calendar;
    assert_eq!(
        review.expected,
        calendar
            .add_business_days(day("2026-09-14"), review.business_days)
            .date
    );
    assert_ne!(review.expected, first);
}

#[test]
fn the_sent_step_is_guarded_like_a_confirmation() {
    let mut d = Driver::to_sent("xiaomi-beiyongjin", 2);
    let mut case = d.case().clone();
    // As if edited by hand: no debt step on the way.
    case.trail.retain(|s| s != "sent-debt");
    case.answers.remove("sent-debt");
    let product = d.content.product("xiaomi-beiyongjin").unwrap();
    assert!(missing_prerequisite(&case, product).is_some());
    d.act(Action::CaseOpened(Box::new(case)));
    assert_eq!(d.kind(), StepKind::Debt);
}

/// Beiyongjin in review, submitted at `NOW` (expected 2026-10-10: five business days over
/// the National Day holiday, counting Saturday 10 October, a working day).
fn in_review() -> Driver {
    let mut d = Driver::new("xiaomi-beiyongjin");
    d.advance_to(StepKind::Review);
    assert_eq!(d.case().review().unwrap().expected, day("2026-10-10"));
    d
}

#[test]
fn a_review_past_its_date_says_by_how_many_business_days_on_resume_and_offers_customer_service() {
    let d = in_review();
    let case = d.case().clone();
    // Wednesday 14 October: Monday 12, Tuesday 13 and today are business days past it.
    let later = "2026-10-14T09:00:00+08:00";
    let mut d = Driver::new("weilidai");
    d.act_at(Action::CaseOpened(Box::new(case)), later);
    assert_eq!(d.kind(), StepKind::Review);
    let ui = d.content.ui.clone();
    let text = d.screen_text();
    assert!(
        text.contains(&ui.review_overdue.fill(Lang::En, &[("n", "3")])),
        "{text}"
    );
    let labels = d
        .blocks()
        .into_iter()
        .find_map(|b| match b {
            crate::steps::Block::Choices { labels, .. } => Some(labels),
            _ => None,
        })
        .unwrap();
    assert_eq!(labels.len(), 4);
    assert_eq!(labels[3], ui.review_service.get(Lang::En));
    // The fourth choice is the customer-service route: the needs-service outcome.
    for _ in 0..3 {
        d.act_at(Action::Down, later);
    }
    d.act_at(Action::Enter, later);
    assert_eq!(d.kind(), StepKind::Outcome);
    assert_eq!(d.case().step, "needs-service");
    assert_eq!(d.case().state, CaseState::NeedsService);
    assert!(d.case().log.iter().any(|e| matches!(
        e.event,
        Event::ReviewResult {
            result: ReviewResult::Overdue,
            ..
        }
    )));
}

#[test]
fn before_its_date_a_review_offers_no_customer_service_route_and_promises_the_date() {
    let mut d = in_review();
    let text = d.screen_text();
    assert!(
        !text.contains(d.content.ui.review_service.get(Lang::En)),
        "{text}"
    );
    // On the expected day itself it is not late yet: Down stops at "still waiting".
    let on_the_day = "2026-10-10T18:00:00+08:00";
    for _ in 0..5 {
        d.act_at(Action::Down, on_the_day);
    }
    assert_eq!(d.view().cursor, 2);
    d.act_at(Action::Enter, on_the_day);
    assert!(matches!(d.model.notice, Some(Notice::WaitingReview { .. })));
}

#[test]
fn still_waiting_past_the_date_keeps_the_review_and_says_what_to_do() {
    let mut d = in_review();
    // Sunday 11 October: past the date, though no business day has gone by since.
    let sunday = "2026-10-11T20:00:00+08:00";
    d.act_at(Action::Down, sunday).act_at(Action::Down, sunday);
    let text = d.screen_text();
    let ui = d.content.ui.clone();
    assert!(
        text.contains(ui.review_overdue_days_off.get(Lang::En)),
        "{text}"
    );
    d.act_at(Action::Enter, sunday);
    let saved = d
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Save(case) => Some(case.clone()),
            _ => None,
        })
        .expect("saved");
    assert_eq!(saved.state, CaseState::InReview, "kept in review");
    let notice = d.model.notice.clone().expect("a notice");
    assert_eq!(
        notice,
        Notice::WaitingOverdue {
            expected: day("2026-10-10"),
        }
    );
    // What to tell customer service was on the screen the choice was made on.
    let say = ui
        .review_overdue_say
        .fill(Lang::En, &[("sent", "2026-09-28"), ("date", "2026-10-10")]);
    assert!(text.contains(&say), "{text}");
    for lang in [Lang::Zh, Lang::En] {
        let words = crate::report::notice_text(&notice, &d.content, lang);
        assert!(words.contains("2026-10-10"), "{words}");
        let promise = ui.notice_waiting_review.fill(
            lang,
            &[
                ("date", "2026-10-10"),
                ("id", "20260928-100000-xiaomi-beiyongjin"),
            ],
        );
        assert_ne!(words, promise);
    }
}

#[test]
fn a_request_sent_long_ago_is_overdue_as_soon_as_its_review_is_shown() {
    let mut d = Driver::to_sent("xiaomi-beiyongjin", 2);
    // Five business days from 1 September: 8 September, long gone on 28 September.
    d.send_date("2026-09-01");
    assert_eq!(d.case().review().unwrap().expected, day("2026-09-08"));
    let late = crate::steps::review::days_late(
        d.case().review().unwrap(),
        &d.content.calendar,
        day("2026-09-28"),
    );
    // 9–11, 14–18, Sunday 20 (a make-up working day), 21–24 and 28 September (25–27 are
    // the Mid-Autumn days off).
    assert_eq!(late, Some(14));
    let text = d.screen_text();
    assert!(
        text.contains(&d.content.ui.review_overdue.fill(Lang::En, &[("n", "14")])),
        "{text}"
    );
}

// The case book: a note on every step, an end's reason, the agent's words on a late review.

fn staffed(product: &str) -> Driver {
    let mut d = Driver {
        model: Model::new(Lang::Zh, false),
        content: content(),
        effects: Vec::new(),
    };
    d.model.staff = Staff {
        agent: Some("王芳".into()),
        desk: Some("3号窗口".into()),
    };
    d.act(Action::StartProduct(product.into()));
    d
}

impl Driver {
    fn note_open(&self) -> bool {
        self.view().note.is_some()
    }

    fn last_event(&self) -> &Event {
        &self.case().log.last().expect("a log").event
    }
}

#[test]
fn a_note_is_logged_on_its_step_with_the_time_the_agent_and_the_desk() {
    let mut d = staffed("weilidai");
    d.act(Action::Enter); // on to the checklist
    let step = d.case().step.clone();
    let (cursor, ticked) = (d.view().cursor, d.view().ticked.clone());
    d.act(Action::Note);
    assert!(d.note_open());
    assert!(d.model.text_focus(), "letters go into the note");
    let later = "2026-09-28T10:05:00+08:00";
    for c in "客户说 q 和 j 是字母".chars() {
        d.act_at(Action::Edit(InputRequest::InsertChar(c)), later);
    }
    assert_eq!(d.case().step, step, "typing does not move the step");
    d.act_at(Action::Enter, later);
    assert!(!d.note_open(), "Enter keeps it and closes the field");
    assert!(d.saved(), "a note is saved at once");
    let entry = d.case().log.last().unwrap().clone();
    assert_eq!(
        entry.event,
        Event::Note {
            step: step.clone(),
            text: "客户说 q 和 j 是字母".into()
        }
    );
    assert_eq!(entry.at, at(later));
    assert_eq!(entry.agent.as_deref(), Some("王芳"));
    assert_eq!(entry.desk.as_deref(), Some("3号窗口"));
    // The step is as it was: same place, same ticks.
    assert_eq!(d.case().step, step);
    assert_eq!((d.view().cursor, d.view().ticked.clone()), (cursor, ticked));
    // The saved file keeps it (and the agent on it).
    let file = toml::to_string(d.case()).unwrap();
    assert!(file.contains("event = \"note\""), "{file}");
    assert!(file.contains("客户说 q 和 j 是字母"), "{file}");
}

#[test]
fn esc_drops_a_note_and_an_empty_one_is_not_kept() {
    let mut d = Driver::to_debt();
    let log = d.case().log.len();
    d.act(Action::Note).typed("not this one").act(Action::Back);
    assert!(!d.note_open());
    assert_eq!(
        d.kind(),
        StepKind::Debt,
        "Esc closed the note, not the step"
    );
    d.act(Action::Note).typed("   ").act(Action::Enter);
    assert!(!d.note_open());
    assert_eq!(d.case().log.len(), log, "nothing logged");
    // The next note field starts empty.
    d.act(Action::Note);
    assert_eq!(d.model.focused_input().unwrap().value(), "");
}

#[test]
fn a_note_holding_a_secret_is_refused_cleared_and_never_logged() {
    let ui = content().ui;
    for secret in [
        "身份证 110101199003074578",
        "卡号 6222021234567890128",
        "客户手机 13812345678",
        "验证码 482913",
        "482913",
    ] {
        let mut d = Driver::to_debt();
        let log = d.case().log.clone();
        d.act(Action::Note).typed(secret).act(Action::Enter);
        assert!(d.note_open(), "{secret}: the field stays, with the message");
        let note = d.view().note.clone().unwrap();
        assert!(note.refused, "{secret}");
        assert_eq!(note.input.value(), "", "{secret}: cleared from the screen");
        assert_eq!(d.case().log, log, "{secret}: nothing logged");
        assert!(!d.saved(), "{secret}: nothing saved");
        assert!(!format!("{:?}", d.case()).contains(secret));
        // Typing again takes the message away; a plain note is then kept.
        d.typed("客户明天再来").act(Action::Enter);
        assert!(matches!(d.last_event(), Event::Note { text, .. } if text == "客户明天再来"));
    }
    // The usual message: the contact note's.
    assert!(!ui.contact_looks_secret.en.is_empty());
}

#[test]
fn a_note_holds_at_most_500_characters_and_never_a_control_or_direction_character() {
    use super::model::NOTE_MAX;
    let mut d = Driver::to_debt();
    d.act(Action::Note);
    d.typed(&"记".repeat(NOTE_MAX + 100));
    assert_eq!(
        d.model.focused_input().unwrap().value().chars().count(),
        NOTE_MAX
    );
    d.act(Action::Enter);
    assert!(matches!(d.last_event(), Event::Note { text, .. } if text.chars().count() == NOTE_MAX));
    d.act(Action::Note)
        .typed("a\u{202E}b\u{1b}[31mc\u{200B}d\u{7}")
        .act(Action::Enter);
    assert!(
        matches!(d.last_event(), Event::Note { text, .. } if text == "ab[31mcd"),
        "{:?}",
        d.last_event()
    );
}

/// Every step of every built-in product, put on screen as it would be: the note key opens
/// the field there, Enter keeps the note under that step's id, and the step is untouched.
#[test]
fn the_note_key_works_on_every_step_of_every_built_in_product() {
    let content = content();
    let mut steps = 0;
    for product in &content.products {
        for step in product.steps() {
            let mut d = staffed(product.id());
            let case = d.model.case.as_mut().unwrap();
            case.step = step.id().to_owned();
            let view = step.view(case, false);
            let (inputs, cursor) = (view.inputs.len(), view.cursor);
            d.model.screen = Screen::Step(view);
            let blocks = d.blocks();
            let text = format!("note on {}", step.id());
            d.act(Action::Note);
            assert!(d.note_open(), "{}/{}", product.id(), step.id());
            d.typed(&text).act(Action::Enter);
            assert_eq!(
                d.last_event(),
                &Event::Note {
                    step: step.id().to_owned(),
                    text
                },
                "{}/{}",
                product.id(),
                step.id()
            );
            assert_eq!(d.case().step, step.id(), "{}", product.id());
            assert_eq!(d.view().inputs.len(), inputs);
            assert_eq!(d.view().cursor, cursor);
            assert_eq!(
                d.blocks(),
                blocks,
                "{}/{}: the screen is as it was",
                product.id(),
                step.id()
            );
            steps += 1;
        }
    }
    assert!(steps > 70, "{steps} steps");
}

#[test]
fn the_note_key_does_nothing_off_a_step() {
    let mut d = Driver {
        model: Model::new(Lang::En, false),
        content: content(),
        effects: Vec::new(),
    };
    d.act(Action::Note);
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
    assert!(d.effects.is_empty());
}

/// Weilidai to its review, then "refused": the needs-service end, asking why.
fn refused() -> Driver {
    let mut d = staffed("weilidai");
    d.advance_to(StepKind::Review);
    d.act(Action::Down).act(Action::Enter);
    assert_eq!(d.case().step, "needs-service");
    d
}

#[test]
fn a_refused_review_asks_why_and_keeps_the_reason_in_the_log() {
    let mut d = refused();
    assert!(d.view().reason, "the end asks why");
    assert!(d.model.text_focus());
    d.typed("额度被冻结，客户要问客服").act(Action::Enter);
    assert_eq!(
        d.last_event(),
        &Event::Reason {
            step: "needs-service".into(),
            text: "额度被冻结，客户要问客服".into()
        }
    );
    let entry = d.case().log.last().unwrap();
    assert_eq!(entry.agent.as_deref(), Some("王芳"));
    assert!(d.saved());
    // Kept: the field is gone, the end's keys are back (a receipt, the start page) and
    // the screen says what was kept.
    assert!(!d.view().reason);
    assert!(!d.model.text_focus(), "e saves a receipt again");
    let kept = d
        .content
        .ui
        .reason_kept
        .fill(Lang::Zh, &[("text", "额度被冻结，客户要问客服")]);
    assert!(d.screen_text().contains(&kept), "{}", d.screen_text());
    d.act(Action::Enter);
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
}

#[test]
fn an_end_s_reason_is_skipped_with_enter_refused_when_secret_and_not_asked_again_on_resume() {
    // Enter on nothing: the start page, nothing logged.
    let mut d = refused();
    let log = d.case().log.len();
    d.act(Action::Enter);
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
    let case = match &d.effects[0] {
        Effect::Save(case) => case.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(case.log.len(), log);
    // Opened again: a record, no question.
    d.act(Action::CaseOpened(case));
    assert!(!d.view().reason);
    assert!(!d.model.text_focus());
    // A secret: refused as a note is, cleared, not logged.
    let mut d = refused();
    let log = d.case().log.clone();
    d.typed("客户手机 13812345678").act(Action::Enter);
    assert!(d.view().reason);
    assert_eq!(d.view().hint, Some(super::model::Hint::LooksSecret));
    assert_eq!(d.view().inputs[0].value(), "");
    assert_eq!(d.case().log, log);
    // At most 500 characters.
    d.typed(&"因".repeat(600));
    assert_eq!(
        d.view().inputs[0].value().chars().count(),
        super::model::NOTE_MAX
    );
    // The customer-service route of a late review and a refused end of its own ask too.
    for (product, step) in [("wangshangdai", "rejected"), ("xiaomi-fenqi", "rejected")] {
        let mut d = staffed(product);
        d.advance_to(StepKind::Review);
        d.act(Action::Down).act(Action::Enter);
        assert_eq!(d.case().step, step, "{product}");
        assert!(d.view().reason, "{product}");
    }
    // A closed end does not.
    let mut d = staffed("weilidai");
    d.advance_to(StepKind::Outcome);
    assert_eq!(d.case().state, CaseState::Closed);
    assert!(!d.view().reason);
}

#[test]
fn on_a_review_past_its_date_the_agent_panel_says_to_call_customer_service_now() {
    let d = in_review();
    let case = d.case().clone();
    let product = d.content.product(&case.product).unwrap().clone();
    let own = product.step(&case.step).unwrap().agent.clone().unwrap();
    // Before the date: the step's own words.
    let mut d = Driver::new("xiaomi-beiyongjin");
    d.act_at(
        Action::CaseOpened(Box::new(case.clone())),
        "2026-10-09T09:00:00+08:00",
    );
    assert_eq!(
        crate::steps::agent_notes(&d.model, &d.content).as_deref(),
        Some(own.get(Lang::En))
    );
    // Wednesday 14 October, three business days late: the overdue words, with the hotline
    // and the dates to say, and not the step's own.
    d.act_at(Action::Resize(80, 24), "2026-10-14T09:00:00+08:00");
    let notes = crate::steps::agent_notes(&d.model, &d.content).unwrap();
    assert_ne!(notes, own.get(Lang::En));
    let ui = &d.content.ui;
    assert!(
        notes.contains(&ui.review_overdue.fill(Lang::En, &[("n", "3")])),
        "{notes}"
    );
    let hotline = product.info.hotline_text(ui, Lang::En);
    assert!(notes.contains(&hotline), "{notes}");
    assert!(notes.contains("2026-10-10"), "the expected date: {notes}");
    assert!(!notes.to_lowercase().contains("today's date"), "{notes}");
}

// ---- Whose case, and the worklist's archive key (issue 14) ----

fn staffed_at_picker(kiosk: bool) -> (Model, Content) {
    let content = content();
    let mut model = Model::new(Lang::Zh, false);
    model.kiosk = kiosk;
    model.staff = Staff {
        agent: Some("李娜".into()),
        desk: Some("A".into()),
    };
    let now = at("2026-11-20T10:00:00+08:00");
    update(&mut model, &content, Action::Enter, now);
    for c in "huabei".chars() {
        update(
            &mut model,
            &content,
            Action::Edit(InputRequest::InsertChar(c)),
            now,
        );
    }
    update(&mut model, &content, Action::Enter, now);
    (model, content)
}

fn type_enter(model: &mut Model, content: &Content, text: &str) -> Vec<Effect> {
    let now = at("2026-11-20T10:00:00+08:00");
    for c in text.chars() {
        update(
            model,
            content,
            Action::Edit(InputRequest::InsertChar(c)),
            now,
        );
    }
    update(model, content, Action::Enter, now)
}

#[test]
fn a_staffed_desk_is_asked_whose_case_a_secret_is_refused_and_a_ticket_kept() {
    let (mut model, content) = staffed_at_picker(false);
    assert!(
        matches!(model.screen, Screen::Customer { .. }),
        "{:?}",
        model.screen
    );
    // A full mobile number: refused, cleared, nothing saved.
    let fx = type_enter(&mut model, &content, "13812345678");
    assert!(fx.is_empty());
    let Screen::Customer { input, refused, .. } = &model.screen else {
        panic!("left the prompt");
    };
    assert!(*refused && input.value().is_empty());
    // A queue ticket, with a bidi override slipped in: kept without it.
    let fx = type_enter(&mut model, &content, "A\u{202e}023");
    let case = model.case.as_ref().expect("started");
    assert_eq!(case.customer.as_deref(), Some("A023"));
    assert!(case.log.iter().any(|e| e.event
        == Event::Customer {
            reference: "A023".into()
        }));
    assert!(
        matches!(fx.as_slice(), [Effect::Save(saved)] if saved.customer.as_deref() == Some("A023"))
    );
}

#[test]
fn an_empty_customer_field_skips_and_a_long_one_stops_at_forty() {
    let (mut model, content) = staffed_at_picker(false);
    type_enter(&mut model, &content, "");
    assert_eq!(model.case.as_ref().map(|c| c.customer.clone()), Some(None));
    let (mut model, content) = staffed_at_picker(false);
    type_enter(&mut model, &content, &"王".repeat(100));
    let kept = model
        .case
        .as_ref()
        .and_then(|c| c.customer.clone())
        .unwrap();
    assert_eq!(kept.chars().count(), 40);
}

#[test]
fn a_kiosk_and_a_customer_at_home_are_not_asked() {
    let (model, _) = staffed_at_picker(true);
    assert!(matches!(model.screen, Screen::Step(_)));
    let content = content();
    let mut home = Model::new(Lang::Zh, false);
    let now = at("2026-11-20T10:00:00+08:00");
    update(&mut home, &content, Action::Enter, now);
    update(&mut home, &content, Action::Enter, now);
    assert!(matches!(home.screen, Screen::Step(_)));
}

fn worklist_model() -> (Model, Content, Case) {
    let content = content();
    let mut model = Model::new(Lang::En, false);
    model.staff.agent = Some("Li".into());
    let now = at("2026-11-20T10:00:00+08:00");
    let mut refused = Driver::new("huabei").case().clone();
    refused.id = CaseId::parse("20261101-090000-huabei").unwrap();
    refused.state = CaseState::Rejected;
    refused.customer = Some("王先生".into());
    let mut open = refused.clone();
    open.id = CaseId::parse("20261102-090000-huabei").unwrap();
    open.state = CaseState::InProgress;
    open.customer = Some("张三".into());
    update(
        &mut model,
        &content,
        Action::SavedList(Page::all(
            vec![refused.summary(), open.summary()],
            Vec::new(),
        )),
        now,
    );
    (model, content, refused)
}

#[test]
fn refused_cases_are_listed_and_typing_searches_the_worklist() {
    let (mut model, content, _) = worklist_model();
    assert_eq!(model.listed_len(), 2);
    // The open case's queue comes before the refused one's.
    assert_eq!(model.resumable()[1].state, CaseState::Rejected);
    assert!(model.text_focus());
    let now = at("2026-11-20T10:00:00+08:00");
    update(
        &mut model,
        &content,
        Action::Edit(InputRequest::InsertChar('王')),
        now,
    );
    assert_eq!(model.listed_len(), 1);
    assert!(matches!(model.screen, Screen::Welcome { selected: 1 }));
    let fx = update(&mut model, &content, Action::Enter, now);
    assert!(matches!(fx.as_slice(), [Effect::Open(id)] if id.as_str() == "20261101-090000-huabei"));
    update(&mut model, &content, Action::Back, now);
    assert_eq!(model.listed_len(), 2);
}

#[test]
fn a_search_the_page_cannot_answer_asks_the_store_and_one_it_can_does_not() {
    let (mut model, content, _) = worklist_model();
    let now = at("2026-11-20T10:00:00+08:00");
    let type_in = |model: &mut Model, c: char| {
        update(
            model,
            &content,
            Action::Edit(InputRequest::InsertChar(c)),
            now,
        )
    };
    // The whole worklist is on the page: narrowed here, nothing asked.
    assert!(type_in(&mut model, '王').is_empty());
    update(&mut model, &content, Action::Back, now);
    // A page with queues cut short: every change of the search asks the store.
    let mut page = Page::all(model.saved.clone(), Vec::new());
    page.totals = Some(
        [
            (worklist::Queue::Refused, 250),
            (worklist::Queue::InProgress, 1),
        ]
        .into(),
    );
    update(&mut model, &content, Action::SavedList(page), now);
    let fx = type_in(&mut model, '王');
    assert_eq!(fx, [Effect::Search("王".into())]);
    // Meanwhile the page is narrowed; the store's answer replaces it.
    assert_eq!(model.listed_len(), 1);
    let answer = Page {
        search: "王".into(),
        ..Page::all(vec![model.saved[0].clone()], Vec::new())
    };
    update(&mut model, &content, Action::SavedList(answer), now);
    // Narrowed further, the whole answer is enough.
    assert!(type_in(&mut model, '先').is_empty());
    // A store's answer of nothing keeps the field: letters are typed, not commands.
    let nothing = Page {
        search: "王先".into(),
        ..Page::default()
    };
    update(&mut model, &content, Action::SavedList(nothing), now);
    assert!(model.searching());
    assert_eq!(model.listed_len(), 0);
    type_in(&mut model, 'q');
    assert_eq!(model.search.value(), "王先q");
    // Cleared, the search widens past what the answers held: the store is asked.
    let fx = update(&mut model, &content, Action::Back, now);
    assert_eq!(fx, [Effect::Search(String::new())]);
}

#[test]
fn archiving_asks_first_then_saves_the_case_archived_and_it_leaves_the_worklist() {
    let (mut model, content, refused) = worklist_model();
    let now = at("2026-11-20T10:00:00+08:00");
    update(&mut model, &content, Action::Down, now);
    // An open case is not archived.
    assert!(update(&mut model, &content, Action::Archive, now).is_empty());
    assert!(model.archive_asked.is_none());
    update(&mut model, &content, Action::Down, now);
    // The first press only asks; a move between forgets it.
    assert!(update(&mut model, &content, Action::Archive, now).is_empty());
    assert!(model.archive_asked.is_some());
    update(&mut model, &content, Action::Up, now);
    update(&mut model, &content, Action::Down, now);
    // Help opened and closed, or Esc, between the presses forgets it too ("any other
    // key cancels"), as does the start page made clean for the next person.
    for between in [
        &[Action::Help, Action::Help][..],
        &[Action::Back],
        &[Action::SwitchLang, Action::SwitchLang],
        &[Action::IdleReset],
    ] {
        assert!(update(&mut model, &content, Action::Archive, now).is_empty());
        assert!(model.archive_asked.is_some());
        for action in between {
            update(&mut model, &content, action.clone(), now);
        }
        assert!(
            model.archive_asked.is_none(),
            "still asked after {between:?}"
        );
        // Back on the refused case's row (the reset went to the top).
        for key in [
            Action::Up,
            Action::Up,
            Action::Up,
            Action::Down,
            Action::Down,
        ] {
            update(&mut model, &content, key, now);
        }
    }
    // Asked and answered at once.
    assert!(update(&mut model, &content, Action::Archive, now).is_empty());
    let fx = update(&mut model, &content, Action::Archive, now);
    assert!(matches!(fx.as_slice(), [Effect::Open(id)] if *id == refused.id));
    let fx = update(
        &mut model,
        &content,
        Action::CaseOpened(Box::new(refused.clone())),
        now,
    );
    let Some(Effect::Save(saved)) = fx.first() else {
        panic!("{fx:?}");
    };
    assert!(saved.archived);
    assert_eq!(saved.log.last().map(|e| &e.event), Some(&Event::Archived));
    assert!(fx.contains(&Effect::Release) && fx.contains(&Effect::RefreshSaved));
    // Not put on screen, and off the list at once.
    assert!(model.case.is_none());
    assert_eq!(model.listed_len(), 1);
}

/// The built-in content with weilidai's file deferred (as a start with the record of
/// checked files leaves it) and read, when first needed, as `now`.
fn content_with_weilidai_now(now: &'static str) -> Content {
    use crate::content::{Deferred, Reader, Sources, Vouched, builtin, vouched::Header};
    let built_in = content();
    let weilidai = built_in.product("weilidai").unwrap();
    let checked = Vouched {
        product: Header::of(&weilidai.info),
        steps: weilidai.steps().len(),
    };
    let mut sources: Sources = builtin::sources();
    let at = sources
        .products
        .iter()
        .position(|s| s.path.ends_with("weilidai.toml"))
        .unwrap();
    sources.products[at].text.clear();
    let mut deferred: Vec<Option<Deferred>> = vec![None; sources.products.len()];
    deferred[at] = Some(Deferred {
        checked,
        read: Reader::new(move || Ok(now.to_owned())),
    });
    Content::load_vouched(sources, &deferred).content.unwrap()
}

#[test]
fn a_case_of_a_product_whose_file_broke_since_the_start_is_left_as_saved() {
    let d = to_confirm();
    let saved = d.case().clone();
    assert!(!saved.answers.is_empty());
    let mut d2 = Driver {
        model: Model::new(Lang::En, false),
        content: content_with_weilidai_now("garbage = "),
        effects: Vec::new(),
    };
    d2.act(Action::CaseOpened(Box::new(saved.clone())));
    assert!(
        !d2.effects.iter().any(|e| matches!(e, Effect::Save(_))),
        "the case was rewritten: {:?}",
        d2.effects
    );
    assert!(d2.model.case.is_none(), "it was opened on the placeholder");
    // Said as what it is: the file is there but broken, not a product the content lacks.
    assert_eq!(
        d2.model.notice,
        Some(Notice::ProductBroken {
            case: Some(saved.id.to_string()),
            product: "weilidai".into(),
        })
    );
    let words =
        crate::report::notice_text(d2.model.notice.as_ref().unwrap(), &d2.content, Lang::En);
    assert!(
        words.contains("xiaohu check") && words.contains(saved.id.as_str()),
        "{words}"
    );
}

#[test]
fn a_new_case_is_not_started_on_a_product_whose_file_broke_since_the_start() {
    for broken in ["garbage = ", "[[steps]]\nid = \"x\"\n"] {
        let mut d = Driver {
            model: Model::new(Lang::Zh, false),
            content: content_with_weilidai_now(broken),
            effects: Vec::new(),
        };
        d.act(Action::StartProduct("weilidai".into()));
        assert!(d.model.case.is_none(), "started on the placeholder");
        assert!(
            d.effects.is_empty(),
            "something was saved or asked for: {:?}",
            d.effects
        );
        assert_eq!(
            d.model.notice,
            Some(Notice::ProductBroken {
                case: None,
                product: "weilidai".into(),
            })
        );
        let words =
            crate::report::notice_text(d.model.notice.as_ref().unwrap(), &d.content, Lang::Zh);
        assert!(
            words.contains("微粒贷") && words.contains("xiaohu check"),
            "{words}"
        );
    }
    // Its file as it was checked: started as any other.
    let mut d = Driver {
        model: Model::new(Lang::Zh, false),
        content: content_with_weilidai_now(
            crate::content::builtin::PRODUCTS
                .iter()
                .find(|(path, _)| path.ends_with("weilidai.toml"))
                .map(|(_, text)| *text)
                .unwrap(),
        ),
        effects: Vec::new(),
    };
    d.act(Action::StartProduct("weilidai".into()));
    assert!(d.model.case.is_some() && d.model.notice.is_none());
}

#[test]
fn a_case_of_a_product_edited_validly_since_the_start_keeps_its_answers() {
    let d = to_confirm();
    let saved = d.case().clone();
    let edited: &'static str = crate::content::builtin::PRODUCTS
        .iter()
        .find(|(path, _)| path.ends_with("weilidai.toml"))
        .unwrap()
        .1
        .replacen("summary = { zh = \"", "summary = { zh = \"（更新）", 1)
        .leak();
    let mut d2 = Driver {
        model: Model::new(Lang::En, false),
        content: content_with_weilidai_now(edited),
        effects: Vec::new(),
    };
    d2.act(Action::CaseOpened(Box::new(saved.clone())));
    assert_eq!(d2.case().step, saved.step);
    assert_eq!(d2.case().answers.len(), saved.answers.len());
}

#[test]
fn the_home_key_sets_the_case_aside_saved_and_opens_the_start_page() {
    let mut d = to_confirm();
    let id = d.case().id.clone();
    let entries = d.case().log.len();
    d.act(Action::Home);
    assert!(d.model.case.is_none());
    assert!(matches!(d.model.screen, Screen::Welcome { .. }));
    let Some(Effect::Save(saved)) = d.effects.first() else {
        panic!("not saved: {:?}", d.effects);
    };
    assert_eq!(saved.id, id);
    // Logged as set aside, on the step it was left at.
    assert_eq!(saved.log.len(), entries + 1);
    assert_eq!(saved.log.last().map(|e| &e.event), Some(&Event::Quit));
    assert!(d.effects.contains(&Effect::Release) && d.effects.contains(&Effect::RefreshSaved));
    // On the start page the key does nothing.
    d.act(Action::Home);
    assert!(d.effects.is_empty());

    // Under help it does nothing either; a case waiting for its review gets its notice.
    let mut d = Driver::new("xiaomi-beiyongjin");
    d.advance_to(StepKind::Review);
    d.act(Action::Help).act(Action::Home);
    assert!(d.model.case.is_some(), "went home under the help");
    d.act(Action::Help).act(Action::Home);
    assert!(
        matches!(d.model.notice, Some(Notice::WaitingReview { .. })),
        "{:?}",
        d.model.notice
    );
    assert!(d.effects.iter().any(|e| matches!(e, Effect::Save(_))));

    // A demo case is dropped, never saved.
    let mut d = Driver {
        model: Model::new(Lang::En, true),
        content: content(),
        effects: Vec::new(),
    };
    d.act(Action::StartProduct("huabei".into()));
    assert!(d.model.case.is_some());
    d.act(Action::Home);
    assert!(d.model.case.is_none());
    assert!(
        !d.effects.iter().any(|e| matches!(e, Effect::Save(_))),
        "{:?}",
        d.effects
    );
}
