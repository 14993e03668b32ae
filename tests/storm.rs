//! Key storms: random action sequences on every product never panic, and never reach a
//! submission with an open debt, without verification or without confirmation. The check
//! reads the case's own log, independently of the wizard's rule that enforces it.

mod support;

use std::collections::BTreeSet;
use std::sync::{LazyLock, Mutex};

use chrono::{DateTime, Duration};
use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestCaseError, TestRunner};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_input::InputRequest;

use support::walk::progress;
use xiaohu::content::{Content, Lang, StepKind};
use xiaohu::ui::{self, Theme};
use xiaohu::wizard::{Action, Case, CaseState, Effect, Event, Model, SAVE_RETRY, Screen, update};

/// A move in the storm: either "do what a person would do to go on here" (so storms get deep
/// into the flow, through debt, verification and submission) or any action at all.
#[derive(Debug, Clone)]
enum Move {
    Progress,
    /// Type a non-zero digit: on the debt step this makes a balance that must block.
    Owe,
    /// Quit, then open the saved case again in a fresh wizard, days later.
    QuitAndResume,
    /// The window shrinks below the minimum (keys must do nothing), or grows back.
    Resize(u16, u16),
    /// Any action, but the disk refuses the save it causes (full, read-only, folder gone).
    DiskFails(Action),
    Random(Action),
}

fn a_move() -> impl Strategy<Value = Move> {
    prop_oneof![
        6 => Just(Move::Progress),
        1 => Just(Move::Owe),
        1 => Just(Move::QuitAndResume),
        1 => prop_oneof![
            Just((1u16, 1u16)),
            Just((300, 100)),
            Just((80, 24)),
            Just((59, 18)),
            (1u16..=300, 1u16..=100),
        ]
        .prop_map(|(w, h)| Move::Resize(w, h)),
        1 => action().prop_map(Move::DiskFails),
        3 => action().prop_map(Move::Random),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    let typed = prop::sample::select(vec![
        '0', '0', '0', '1', '5', '.', ',', '-', 'a', '¥', ' ', '确', '认', 'C', 'O', 'N', 'F', 'I',
        'R', 'M',
    ]);
    prop_oneof![
        6 => Just(Action::Enter),
        3 => Just(Action::Down),
        2 => Just(Action::Up),
        2 => Just(Action::Tick),
        2 => Just(Action::Back),
        1 => Just(Action::NextField),
        1 => Just(Action::PrevField),
        1 => Just(Action::Help),
        1 => Just(Action::SwitchLang),
        1 => Just(Action::ToggleLog),
        1 => Just(Action::ToggleAgent),
        1 => Just(Action::IdleReset),
        1 => Just(Action::PageDown),
        1 => Just(Action::PageUp),
        1 => Just(Action::Export),
        1 => Just(Action::Timer),
        4 => typed.prop_map(|c| Action::Edit(InputRequest::InsertChar(c))),
        1 => Just(Action::Edit(InputRequest::DeletePrevChar)),
        1 => Just(Action::Edit(InputRequest::DeleteLine)),
    ]
}

/// The log before a submission must show: amounts last checked at zero, a verification,
/// and (where the product asks for one) a confirmation — or the day a request already sent
/// went out (a `sent` step plays the confirmation's part on that path).
fn check_submission(log: &[Event], needs_confirm: bool) -> Result<(), String> {
    let last_amounts = log.iter().rev().find_map(|e| match e {
        Event::Amounts { total_cents, .. } => Some(*total_cents),
        _ => None,
    });
    if last_amounts != Some(0) {
        return Err(format!("submitted with amounts {last_amounts:?}"));
    }
    if !log.iter().any(|e| matches!(e, Event::Verified { .. })) {
        return Err("submitted without verification".into());
    }
    if needs_confirm
        && !log
            .iter()
            .any(|e| matches!(e, Event::Confirmed { .. } | Event::Sent { .. }))
    {
        return Err("submitted without confirmation".into());
    }
    Ok(())
}

/// 10,000 storms from a fixed seed, so CI is reproducible; `PROPTEST_RNG_SEED=N` and
/// `PROPTEST_CASES=N` explore further by hand.
fn storm_config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 10_000;
    }
    if matches!(config.rng_seed, RngSeed::Random) {
        config.rng_seed = RngSeed::Fixed(20_261_121);
    }
    config
}

/// The last case the wizard asked to save, from a batch of effects.
fn saved_case(effects: Vec<Effect>) -> Option<Case> {
    effects.into_iter().rev().find_map(|e| match e {
        Effect::Save(case) => Some(*case),
        _ => None,
    })
}

fn draw(model: &Model, content: &Content, w: u16, h: u16) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| ui::render(f, model, content, &Theme::color()))
        .unwrap();
}

/// Built once: loading the content per storm would cost more than the storm.
static CONTENT: LazyLock<Content> = LazyLock::new(|| Content::builtin().unwrap());

/// What the storms touched: a storm that never gets deep proves little.
#[derive(Default)]
struct Coverage {
    esc: BTreeSet<(String, String)>,
    f2: BTreeSet<(String, String)>,
    resized: BTreeSet<(String, String)>,
    submissions: usize,
    failed_saves: usize,
    tiniest: (u16, u16),
    largest: (u16, u16),
}

static COVERAGE: LazyLock<Mutex<Coverage>> = LazyLock::new(|| {
    Mutex::new(Coverage {
        tiniest: (u16::MAX, u16::MAX),
        ..Coverage::default()
    })
});

fn storm(
    product: usize,
    lang: bool,
    branch: u64,
    calm: usize,
    moves: Vec<Move>,
    sizes: Vec<(u16, u16)>,
) -> Result<(), TestCaseError> {
    let content = &*CONTENT;
    let product = &content.products[product];
    let needs_confirm = product
        .steps()
        .iter()
        .any(|s| s.kind() == StepKind::Confirm);
    let lang = if lang { Lang::Zh } else { Lang::En };
    let mut model = Model::new(lang, false);
    let mut now = DateTime::parse_from_rfc3339("2026-09-28T10:00:00+08:00").unwrap();
    let mut saved = saved_case(update(
        &mut model,
        content,
        Action::StartProduct(product.id().to_owned()),
        now,
    ));
    let mut seen = 0;
    let mut touched = Coverage {
        tiniest: (u16::MAX, u16::MAX),
        ..Coverage::default()
    };
    for (i, mut m) in moves.into_iter().enumerate() {
        now += Duration::seconds(7);
        // A calm storm mostly does what a person would, so it gets deep into the flow
        // (review, follow-up, the end screens) and is stormy only every few keys there.
        if calm > 0 && i % (calm + 1) != 0 && !matches!(m, Move::Resize(..)) {
            m = Move::Progress;
        }
        let here = model
            .case
            .as_ref()
            .map(|c| (c.product.clone(), c.step.clone()));
        let mut disk_fails = false;
        let action = match m {
            Move::Progress => progress(&model, content, branch),
            Move::Owe => Action::Edit(InputRequest::InsertChar('7')),
            Move::QuitAndResume => {
                saved = saved_case(update(&mut model, content, Action::Quit, now)).or(saved);
                model = Model::new(lang, false);
                now += Duration::days(3);
                match saved.clone() {
                    Some(case) => Action::CaseOpened(Box::new(case)),
                    None => break,
                }
            }
            Move::Resize(w, h) => Action::Resize(w, h),
            Move::DiskFails(a) => {
                disk_fails = true;
                a
            }
            Move::Random(a) => a,
        };
        if let Some(here) = here {
            match &action {
                Action::Back => touched.esc.insert(here),
                Action::SwitchLang => touched.f2.insert(here),
                Action::Resize(..) => touched.resized.insert(here),
                _ => false,
            };
        }
        let resize = matches!(action, Action::Resize(..));
        let effects = update(&mut model, content, action, now);
        match saved_case(effects) {
            // The disk refuses this save: the wizard must keep the case and retry it.
            Some(case) if disk_fails => {
                touched.failed_saves += 1;
                update(
                    &mut model,
                    content,
                    Action::SaveFailed {
                        case: Box::new(case),
                        fault: xiaohu::wizard::StoreFault::new(
                            xiaohu::wizard::FaultKind::Full,
                            "No space left on device (os error 28)",
                        ),
                    },
                    now,
                );
                prop_assert!(model.unsaved().is_some(), "a failed save was dropped");
            }
            Some(case) => {
                let id = case.id.clone();
                saved = Some(case);
                update(&mut model, content, Action::Saved { id }, now);
            }
            None => {}
        }
        // Time passes; an unsaved case is offered again and this time the disk takes it.
        if model.unsaved().is_some() {
            let retry = update(&mut model, content, Action::Timer, now + SAVE_RETRY);
            if let Some(case) = saved_case(retry) {
                let id = case.id.clone();
                saved = Some(case);
                update(&mut model, content, Action::Saved { id }, now);
            }
            prop_assert!(
                model.unsaved().is_none(),
                "the retry did not clear the unsaved case"
            );
        }
        if model.quitting() {
            break;
        }
        // The screen and the open case always agree.
        prop_assert_eq!(
            model.case.is_some(),
            matches!(model.screen, Screen::Step(_))
        );
        if model.case.is_none() {
            // Back on the start page: pick the case up again, as a person would.
            let Some(case) = saved.clone() else { break };
            if case.state.is_finished() {
                break;
            }
            update(&mut model, content, Action::CaseOpened(Box::new(case)), now);
        }
        let Some(case) = &model.case else { break };
        let events: Vec<Event> = case.log.iter().map(|e| e.event.clone()).collect();
        for (j, e) in events.iter().enumerate().skip(seen) {
            if matches!(e, Event::Submitted { .. }) {
                touched.submissions += 1;
                if let Err(why) = check_submission(&events[..j], needs_confirm) {
                    prop_assert!(false, "{}: {}", product.id(), why);
                }
            }
        }
        seen = events.len();
        if case.state == CaseState::WaitingRepayment {
            let step = product.step(&case.step).unwrap();
            prop_assert_eq!(step.kind(), StepKind::Debt);
        }
        // The app draws after every resize; other frames are sampled to keep the run short.
        if resize {
            draw(&model, content, model.size.0, model.size.1);
            touched.tiniest = touched.tiniest.min(model.size);
            touched.largest = touched.largest.max(model.size);
        } else if i % 25 == 0 {
            let (w, h) = sizes[(i / 25) % sizes.len()];
            draw(&model, content, w, h);
        }
    }
    for (w, h) in sizes {
        draw(&model, content, w, h);
    }
    let mut all = COVERAGE.lock().unwrap();
    all.esc.extend(touched.esc);
    all.f2.extend(touched.f2);
    all.resized.extend(touched.resized);
    all.submissions += touched.submissions;
    all.failed_saves += touched.failed_saves;
    if touched.tiniest.0 != u16::MAX {
        all.tiniest = all.tiniest.min(touched.tiniest);
    }
    all.largest = all.largest.max(touched.largest);
    Ok(())
}

#[test]
fn random_keys_keep_the_safety_rules() {
    let config = storm_config();
    let cases = config.cases;
    // One runner per core, each with its own share and seed; all report into COVERAGE.
    let shards = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8) as u32;
    std::thread::scope(|scope| {
        for shard in 0..shards {
            let mut config = config.clone();
            config.cases = cases / shards + u32::from(shard < cases % shards);
            if let RngSeed::Fixed(seed) = config.rng_seed {
                config.rng_seed = RngSeed::Fixed(seed + u64::from(shard));
            }
            // Saved failures (storm.proptest-regressions) are replayed first, as with
            // `proptest!`.
            config.source_file = Some(file!());
            scope.spawn(move || {
                let strategy = (
                    0usize..7,
                    prop::bool::ANY,
                    any::<u64>(),
                    0usize..4,
                    prop::collection::vec(a_move(), 1..250),
                    prop::collection::vec((1u16..=300, 1u16..=100), 4),
                );
                let result = TestRunner::new(config).run(
                    &strategy,
                    |(product, lang, branch, calm, moves, sizes)| {
                        storm(product, lang, branch, calm, moves, sizes)
                    },
                );
                if let Err(e) = result {
                    panic!("shard {shard}: {e}");
                }
            });
        }
    });

    let all = COVERAGE.lock().unwrap();
    eprintln!(
        "storms: {cases}; submissions checked: {}; failed saves answered: {}; \
         window sizes {:?}..{:?}",
        all.submissions, all.failed_saves, all.tiniest, all.largest
    );
    if std::env::var_os("PROPTEST_CASES").is_none() {
        assert!(
            all.submissions > 100,
            "too few submissions: {}",
            all.submissions
        );
        assert_eq!(all.tiniest, (1, 1), "the storms never tried a 1×1 window");
        assert_eq!(
            all.largest,
            (300, 100),
            "the storms never tried a 300×100 window"
        );
    }
}

#[test]
fn the_check_itself_can_fail() {
    // A log that skips verification is caught: the property above is not vacuous.
    let amounts = Event::Amounts {
        step: "debt".into(),
        total_cents: 0,
    };
    assert!(check_submission(std::slice::from_ref(&amounts), false).is_err());
    let blocked = Event::Amounts {
        step: "debt".into(),
        total_cents: 5,
    };
    let verified = Event::Verified {
        step: "verify".into(),
        method: xiaohu::content::VerifyMethod::Sms,
        simulated: false,
    };
    assert!(check_submission(&[amounts.clone(), verified.clone(), blocked], false).is_err());
    assert!(check_submission(&[amounts.clone(), verified.clone()], true).is_err());
    assert!(check_submission(&[amounts, verified], false).is_ok());
}

/// Random storms rarely press Esc on a rare branch's end screen, so this walks every branch
/// on purpose: at every step of every product it tries Esc, F2 and windows of 1×1 and
/// 300×100 on a copy of the wizard, checking the same invariants and drawing each time.
#[test]
fn esc_f2_and_resizes_at_every_step_of_every_product() {
    let content = &*CONTENT;
    let now = DateTime::parse_from_rfc3339("2026-09-28T10:00:00+08:00").unwrap();
    let mut probed = BTreeSet::new();
    for product in &content.products {
        for branch in 0..256u64 {
            for lang in [Lang::Zh, Lang::En] {
                let mut model = Model::new(lang, false);
                update(
                    &mut model,
                    content,
                    Action::StartProduct(product.id().into()),
                    now,
                );
                for _ in 0..200 {
                    let Some(case) = &model.case else { break };
                    let here = (case.product.clone(), case.step.clone());
                    if probed.insert((here.clone(), lang == Lang::Zh)) {
                        for probe in [
                            Action::Back,
                            Action::SwitchLang,
                            Action::Resize(1, 1),
                            Action::Resize(300, 100),
                        ] {
                            let mut copy = model.clone();
                            update(&mut copy, content, probe.clone(), now);
                            assert_eq!(
                                copy.case.is_some(),
                                matches!(copy.screen, Screen::Step(_)),
                                "{here:?} after {probe:?}"
                            );
                            draw(&copy, content, copy.size.0, copy.size.1);
                            // Keys in a 1×1 window do nothing; the wizard stays usable.
                            update(&mut copy, content, Action::Enter, now);
                            draw(&copy, content, 80, 24);
                        }
                    }
                    let step_kind = product.step(&case.step).map(|s| s.kind());
                    let finished = case.state.is_finished();
                    if finished && step_kind == Some(StepKind::Outcome) {
                        break;
                    }
                    let next = progress(&model, content, branch);
                    update(&mut model, content, next, now);
                }
            }
        }
    }
    let mut missed = Vec::new();
    for product in &content.products {
        for step in product.steps() {
            for lang in [Lang::Zh, Lang::En] {
                if !probed.contains(&(
                    (product.id().to_owned(), step.id().to_owned()),
                    lang == Lang::Zh,
                )) {
                    missed.push(format!("{}/{} ({lang:?})", product.id(), step.id()));
                }
            }
        }
    }
    assert!(missed.is_empty(), "never reached: {missed:?}");
}
