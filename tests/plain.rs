//! `--plain`, the accessible mode: every product walked to "closed" with typed answers only,
//! in both languages, twice over — in process (plain::page → a reader → plain::answer →
//! wizard::update) and through the real binary in a pseudo-terminal, whose raw output must
//! hold no escape sequence (no alternate screen, no colour, no cursor moves) and no box
//! drawing.

mod support;

use std::thread;
use std::time::{Duration, Instant};

use chrono::DateTime;
use xiaohu::content::{Content, Lang};
use xiaohu::plain::{self, Reply};
use xiaohu::wizard::worklist::Page;
use xiaohu::wizard::{self, Action, CaseState, Effect, Model, Time};

use support::{TIMEOUT, Tui, case_file, read_case};

fn content() -> Content {
    Content::builtin().expect("built-in content is valid")
}

/// The text before a `{placeholder}` in a UI string: what a prompt starts with.
fn head(text: &str) -> &str {
    text.split('{').next().unwrap_or(text).trim()
}

/// What a person reading plain mode types, given everything printed since their last
/// answer. `None` at an end screen. Prompts are recognised by the UI strings themselves,
/// so rewording the content does not break the walk.
fn reply(output: &str, content: &Content, lang: Lang, product: &str) -> Option<String> {
    // The product's own words: a cancelled product's prompts say 注销.
    let ui = content.ui_for(product);
    let prompt = output.lines().last().unwrap_or("").trim();
    let is = |text: &xiaohu::content::Text| prompt.starts_with(head(text.get(lang)));
    let ends = [
        &ui.plain_outcome,
        &ui.plain_outcome_demo,
        &ui.plain_outcome_back,
        &ui.plain_outcome_back_demo,
        &ui.plain_blocked,
        &ui.plain_blocked_demo,
    ];
    if ends.into_iter().any(is) {
        return None;
    }
    let answer = if is(&ui.plain_choose) || is(&ui.plain_choose_one) {
        // On the product list, narrow it to the product first, then take the only row.
        let rows: usize = prompt
            .trim_end_matches([':', '：', ' ', '）', ')'])
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        if output.contains(ui.plain_filter.get(lang)) && rows > 1 {
            product.to_owned()
        } else {
            "1".to_owned()
        }
    } else if is(&ui.plain_tick) || is(&ui.plain_tick_read) {
        "y".to_owned()
    } else if prompt.ends_with(head(&ui.plain_amount.get(lang).replace("{label}", ""))) {
        "0".to_owned()
    } else if is(&ui.plain_confirm) {
        match lang {
            Lang::Zh => "确认".to_owned(),
            Lang::En => "CONFIRM".to_owned(),
        }
    } else if is(&ui.plain_contact_note) || is(&ui.plain_continue) || is(&ui.plain_reason) {
        String::new()
    } else if is(&ui.plain_code) {
        last_code(output).expect("the simulated phone shows a six-digit code")
    } else if is(&ui.picker_filter) {
        product.to_owned()
    } else if is(&ui.plain_sent_date) {
        // The day a request was sent: the date filled in (today's) is kept.
        String::new()
    } else if prompt == ui.plain_sent_date_again.get(lang) {
        // After a refused date: a past day within a year of every walk's date.
        "2026-11-20".to_owned()
    } else {
        panic!("the reader does not know this prompt: {prompt:?}\n{output}");
    };
    Some(answer)
}

/// The last run of exactly six digits: the code on the simulated phone.
fn last_code(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = None;
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 6 {
            found = Some(chars[start..i].iter().collect());
        }
        i = i.max(start + 1);
    }
    found
}

/// A page as the loop prints it when it is new.
fn printed(page: &plain::Page) -> String {
    let mut out = vec![page.heading.clone()];
    out.extend(page.text.iter().cloned());
    out.extend(page.section.iter().cloned());
    out.extend(page.alerts.iter().cloned());
    out.extend(page.question.iter().cloned());
    out.push(page.prompt.clone());
    out.join("\n")
}

fn at(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// Draws the box-drawing block and the selection marks the full screen uses.
fn has_drawing(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{2500}'..='\u{259F}').contains(&c) || c == '▶' || c == '\x1b')
}

/// Walks `product` in process: page, reader, answer, update — as the binary's loop does.
fn walk_in_process(product: &str, lang: Lang, demo: bool) -> (Model, usize) {
    let content = content();
    let mut model = Model::new(lang, demo);
    let mut now = at("2026-11-23T09:00:00+08:00");
    let mut pages = 0;
    loop {
        let page = plain::page(&model, &content);
        let text = printed(&page);
        assert!(!has_drawing(&text), "drawing characters in:\n{text}");
        assert!(!page.prompt.is_empty(), "a page with no prompt:\n{text}");
        pages += 1;
        assert!(pages < 200, "the walk of {product} does not end");
        let Some(typed) = reply(&text, &content, lang, product) else {
            return (model, pages);
        };
        now += chrono::TimeDelta::seconds(20);
        match plain::answer(&model, &content, &typed, now) {
            Reply::Act(actions) => {
                for action in actions {
                    let mut queue = vec![action];
                    while let Some(action) = queue.pop() {
                        for effect in wizard::update(&mut model, &content, action, now) {
                            if let Effect::RefreshSaved = effect {
                                queue.push(Action::SavedList(Page::default()));
                            }
                        }
                    }
                }
            }
            other => panic!("{typed:?} was not taken: {other:?}\n{text}"),
        }
    }
}

#[test]
fn every_product_walks_to_closed_with_typed_answers_in_process() {
    let content = content();
    let mut walks = 0;
    for product in content.products.iter().map(|p| p.id().to_owned()) {
        for lang in [Lang::Zh, Lang::En] {
            for demo in [false, true] {
                let (model, pages) = walk_in_process(&product, lang, demo);
                let case = model.case.as_ref().expect("a case is open at the end");
                assert_eq!(
                    case.state,
                    CaseState::Closed,
                    "{product} {lang:?} demo={demo} ended {:?} at {}",
                    case.state,
                    case.step
                );
                assert!(pages > 10, "{product}: only {pages} pages");
                walks += 1;
            }
        }
    }
    assert_eq!(walks, content.products.len() * 4);
}

// ---- the real binary in a pseudo-terminal ----

/// Waits until the output since `from` ends at a prompt (the program waits for a line)
/// and has been still for a moment; returns that output.
fn next_prompt(tui: &Tui, from: usize) -> String {
    let start = Instant::now();
    let mut last_len = 0;
    let mut still_since = Instant::now();
    loop {
        let raw = tui.raw_output();
        let text = String::from_utf8_lossy(&raw[from.min(raw.len())..]).into_owned();
        if raw.len() != last_len {
            last_len = raw.len();
            still_since = Instant::now();
        }
        // Every prompt ends with a space and no newline; no other line does.
        let at_prompt = text.ends_with(' ');
        if at_prompt && still_since.elapsed() > Duration::from_millis(60) {
            return text;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "no prompt within {TIMEOUT:?}; output so far:\n{text}"
        );
        thread::sleep(Duration::from_millis(10));
    }
}

/// Walks `product` through the binary with typed lines; returns the whole raw output.
fn walk_in_pty(product: &str, lang: Lang, extra: &[&str]) -> (tempfile::TempDir, Vec<u8>) {
    let content = content();
    let data = tempfile::tempdir().unwrap();
    let (flag, locale) = match lang {
        Lang::Zh => ("zh", "zh_CN.UTF-8"),
        Lang::En => ("en", "en_US.UTF-8"),
    };
    let mut args = vec!["--plain", "--lang", flag];
    args.extend(extra);
    let mut tui = Tui::spawn_with(data.path(), &args, locale, 80, 24);
    let mut from = 0;
    let mut answers = 0;
    loop {
        let output = next_prompt(&tui, from);
        from = tui.raw_output().len();
        match reply(&output, &content, lang, product) {
            Some(typed) => {
                tui.send(&format!("{typed}\r"));
                answers += 1;
                assert!(answers < 200, "the walk of {product} does not end");
            }
            None => break,
        }
    }
    // At the end: save a receipt (not in demo mode), go home, quit.
    if !extra.contains(&"--demo") {
        tui.send("e\r");
        let ui = &content.ui;
        let saved = head(ui.receipt_saved.get(lang));
        let output = next_prompt(&tui, from);
        assert!(output.contains(saved), "no receipt notice:\n{output}");
        from = tui.raw_output().len();
    }
    tui.send("\r");
    next_prompt(&tui, from);
    tui.send("q\r");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    (data, tui.raw_output())
}

fn assert_plain_output(raw: &[u8]) {
    assert!(
        !raw.contains(&0x1b),
        "an escape sequence in plain output (alternate screen, colour or cursor move)"
    );
    let text = String::from_utf8_lossy(raw);
    assert!(!has_drawing(&text), "box drawing in plain output:\n{text}");
}

fn pty_walk_closes(product: &str, lang: Lang) {
    let (data, raw) = walk_in_pty(product, lang, &[]);
    assert_plain_output(&raw);
    let case = read_case(data.path());
    assert_eq!(case["state"].as_str(), Some("closed"), "{product} {lang:?}");
    let receipts = data.path().join("receipts");
    let written = std::fs::read_dir(&receipts).map_or(0, |d| d.count());
    assert_eq!(written, 2, "the txt and html receipts in {receipts:?}");
    assert!(case_file(data.path()).exists());
}

#[test]
fn plain_walks_weilidai_and_huabei_in_both_languages_through_the_binary() {
    for product in ["weilidai", "huabei"] {
        for lang in [Lang::Zh, Lang::En] {
            pty_walk_closes(product, lang);
        }
    }
}

#[test]
fn plain_walks_the_other_five_products_through_the_binary() {
    let content = content();
    let others: Vec<&str> = content
        .products
        .iter()
        .map(|p| p.id())
        .filter(|id| !["weilidai", "huabei"].contains(id))
        .collect();
    assert_eq!(others.len(), 5);
    for (i, product) in others.iter().enumerate() {
        let lang = if i % 2 == 0 { Lang::En } else { Lang::Zh };
        pty_walk_closes(product, lang);
    }
}

#[test]
fn plain_demo_reads_the_code_off_the_simulated_phone_and_writes_nothing() {
    let (data, raw) = walk_in_pty("jiebei", Lang::En, &["--demo"]);
    assert_plain_output(&raw);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("DEMO"), "no DEMO mark:\n{text}");
    assert!(text.contains("Simulated phone"), "no phone:\n{text}");
    let left: Vec<_> = std::fs::read_dir(data.path()).unwrap().collect();
    assert!(left.is_empty(), "demo mode wrote {left:?}");
}

#[test]
fn plain_mode_says_what_went_wrong_and_asks_again() {
    let content = content();
    let ui = &content.ui;
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(
        data.path(),
        &["--plain", "--lang", "en", "--product", "huabei"],
    );
    next_prompt(&tui, 0);
    // Types a line; returns what the program answered, up to its next prompt.
    let say = |tui: &mut Tui, typed: &str| -> String {
        let from = tui.raw_output().len();
        tui.send(&format!("{typed}\r"));
        next_prompt(tui, from)
    };
    say(&mut tui, ""); // intro
    say(&mut tui, "y");
    say(&mut tui, "y");
    let out = say(&mut tui, "7"); // no such status
    assert!(
        out.contains(head(ui.plain_bad_number.get(Lang::En))),
        "{out}"
    );
    say(&mut tui, "1");
    // A negative amount is refused at once, with the reason, and the same field is asked
    // again.
    let out = say(&mut tui, "-5");
    assert!(out.contains(ui.err_amount_negative.get(Lang::En)), "{out}");
    let first_field = out.lines().last().unwrap().to_owned();
    assert!(first_field.contains("(yuan; 0 if none)"), "{out}");
    let out = say(&mut tui, "0");
    assert_ne!(
        out.lines().last().unwrap(),
        first_field,
        "on to the next field"
    );
    // Switch to Chinese at the second amount; `b` is the first amount again, with its 0.
    let out = say(&mut tui, "lang");
    let zh_suffix = ui.plain_amount.get(Lang::Zh).split('}').nth(1).unwrap();
    assert!(out.contains(zh_suffix), "{out}");
    let out = say(&mut tui, "b");
    let kept = ui
        .plain_amount_keep
        .get(Lang::Zh)
        .split('{')
        .next()
        .unwrap();
    assert!(out.contains(kept), "{out}");
    // From the first amount, `b` is the step before: the status question, in Chinese.
    let out = say(&mut tui, "b");
    assert!(out.contains(head(ui.plain_choose.get(Lang::Zh))), "{out}");
    let from = tui.raw_output().len();
    tui.send("q\r");
    assert!(tui.wait_exit().success());
    let bye = String::from_utf8_lossy(&tui.raw_output()[from..]).into_owned();
    assert!(bye.contains(ui.plain_bye.get(Lang::Zh)), "{bye}");
    assert_plain_output(&tui.raw_output());
    let case = read_case(data.path());
    assert_eq!(case["state"].as_str(), Some("in_progress"));
    assert_eq!(case["lang"].as_str(), Some("zh"));
}

#[test]
fn ctrl_c_in_plain_mode_saves_the_case_and_exits_130() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--plain", "--product", "weilidai"]);
    next_prompt(&tui, 0);
    tui.send("\r");
    let from = tui.raw_output().len();
    next_prompt(&tui, from);
    tui.send("\x03");
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 130, "{status:?}");
    let case = read_case(data.path());
    let log = support::log_entries(&case);
    let last = log
        .last()
        .and_then(|e| e.get("event"))
        .and_then(|e| e.as_str());
    assert_eq!(last, Some("quit"), "the quit is logged: {log:?}");
}

#[test]
fn plain_mode_reads_answers_from_a_pipe() {
    // No terminal at all: a screen reader's console or a script. Start, pick 花呗 by
    // filtering, then the end of input saves and leaves.
    let data = tempfile::tempdir().unwrap();
    let out = support::cli(data.path())
        .arg("--plain")
        .write_stdin("1\nhuabei\n1\n\n")
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Before you close Huabei"), "{text}");
    assert!(!text.contains('\x1b'));
    let case = read_case(data.path());
    assert_eq!(case["product"].as_str(), Some("huabei"));
}

#[test]
fn a_case_left_in_plain_mode_is_picked_up_from_the_start_page_or_with_resume() {
    let content = content();
    let ui = &content.ui;
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--plain", "--product", "baitiao"]);
    next_prompt(&tui, 0);
    tui.send("\r"); // past the intro
    let from = tui.raw_output().len();
    next_prompt(&tui, from);
    tui.send("q\r");
    assert!(tui.wait_exit().success());
    let id = support::case_id(data.path());

    // From the start page: the case is row 2.
    let mut tui = Tui::spawn(data.path(), &["--plain"]);
    let start = next_prompt(&tui, 0);
    assert!(start.contains("2. JD Baitiao"), "{start}");
    assert!(
        !start.contains(&id),
        "no case id to read out digit by digit: {start}"
    );
    let from = tui.raw_output().len();
    tui.send("2\r");
    let resumed = next_prompt(&tui, from);
    assert!(
        resumed.contains(ui.notice_resumed.get(Lang::En)),
        "{resumed}"
    );
    assert!(
        resumed.contains("Item 1 of"),
        "back at the checklist: {resumed}"
    );
    tui.send("q\r");
    assert!(tui.wait_exit().success());

    // With `resume ID`.
    let mut tui = Tui::spawn(data.path(), &["--plain", "resume", &id]);
    let resumed = next_prompt(&tui, 0);
    assert!(
        resumed.contains(ui.notice_resumed.get(Lang::En)),
        "{resumed}"
    );
    tui.send("q\r");
    assert!(tui.wait_exit().success());
    assert_plain_output(&tui.raw_output());
}

#[test]
fn plain_idle_reset_goes_back_to_the_start_page() {
    let content = content();
    let ui = &content.ui;
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(
        data.path(),
        &[
            "--plain",
            "--demo",
            "--idle-reset",
            "1",
            "--product",
            "huabei",
        ],
    );
    let first = next_prompt(&tui, 0);
    assert!(first.contains("Before you close Huabei"), "{first}");
    let from = tui.raw_output().len();
    // Nobody answers: after a second the start page is printed again for the next person.
    let after = next_prompt(&tui, from);
    assert!(after.contains(ui.welcome_title.get(Lang::En)), "{after}");
    assert!(
        !after.contains("Huabei"),
        "nothing of the case is left: {after}"
    );
    tui.send("q\r");
    assert!(tui.wait_exit().success());
}

// ---- typed storms ----

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use xiaohu::wizard::Event;

/// What people type: the answers that move on, mistakes, commands and noise.
fn typed_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (1usize..6).prop_map(|n| n.to_string()),
        3 => Just("y".to_owned()),
        1 => Just("n".to_owned()),
        2 => Just(String::new()),
        2 => prop_oneof![Just("0"), Just("88"), Just("-5"), Just("1.234"), Just("¥3")]
            .prop_map(str::to_owned),
        1 => prop_oneof![Just("CONFIRM"), Just("确认"), Just("confirmed")].prop_map(str::to_owned),
        1 => prop_oneof![Just("b"), Just("lang"), Just("log"), Just("?"), Just("r"), Just("agent")]
            .prop_map(str::to_owned),
        1 => prop_oneof![Just("resend"), Just("e"), Just("huabei"), Just("１")].prop_map(str::to_owned),
        1 => "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        rng_seed: RngSeed::Fixed(20_261_121),
        ..ProptestConfig::default()
    })]

    /// Any sequence of typed lines: plain mode never panics, always asks something, never
    /// prints drawing, and every submission it lets through was checked (zero owed,
    /// verified) — the same rule the full screen's key storms check.
    #[test]
    fn typed_storms_keep_plain_mode_honest(
        demo in any::<bool>(),
        zh in any::<bool>(),
        product in 0usize..7,
        lines in proptest::collection::vec((0u8..10, typed_line()), 1..160),
    ) {
        let content = content();
        let product = content.products[product % content.products.len()].id().to_owned();
        let lang = if zh { Lang::Zh } else { Lang::En };
        let mut model = Model::new(lang, demo);
        let mut now = at("2026-11-23T09:00:00+08:00");
        for (sensible, noise) in lines {
            let page = plain::page(&model, &content);
            let text = printed(&page);
            prop_assert!(!page.prompt.is_empty());
            prop_assert!(!has_drawing(&text));
            // Mostly what a person reading the page would type, so storms get deep into
            // the flow; otherwise a mistake, a command or noise.
            // Noise may have opened another product than the one aimed at: its words.
            let open = model.case.as_ref().map_or(product.as_str(), |c| c.product.as_str());
            let line = match reply(&text, &content, model.lang, open) {
                Some(answer) if sensible < 7 => answer,
                _ => noise,
            };
            now += chrono::TimeDelta::seconds(7);
            if let Reply::Act(actions) = plain::answer(&model, &content, &line, now) {
                for action in actions {
                    for effect in wizard::update(&mut model, &content, action, now) {
                        if let Effect::RefreshSaved = effect {
                            let list = Action::SavedList(Page::default());
                            wizard::update(&mut model, &content, list, now);
                        }
                    }
                }
            }
            if model.quitting() {
                break;
            }
            if let Some(case) = &model.case {
                let log: Vec<&Event> = case.log.iter().map(|e| &e.event).collect();
                for (j, e) in log.iter().enumerate() {
                    if matches!(e, Event::Submitted { .. }) {
                        let owed = log[..j].iter().rev().find_map(|e| match e {
                            Event::Amounts { total_cents, .. } => Some(*total_cents),
                            _ => None,
                        });
                        prop_assert_eq!(owed, Some(0), "submitted with {:?}", owed);
                        prop_assert!(
                            log[..j].iter().any(|e| matches!(e, Event::Verified { .. })),
                            "submitted without verification"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_half_typed_answer_is_cleared_by_the_idle_reset_not_given_to_the_start_page() {
    let content = content();
    let ui = &content.ui;
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(
        data.path(),
        &["--plain", "--idle-reset", "2", "--product", "huabei"],
    );
    next_prompt(&tui, 0);
    // Someone types "9" and walks away before Enter; the reset comes; the next person
    // presses Enter on the start page.
    tui.send("9");
    let from = tui.raw_output().len();
    let reset = next_prompt(&tui, from);
    assert!(reset.contains(ui.plain_idle.get(Lang::En)), "{reset}");
    let from = tui.raw_output().len();
    tui.send("\r");
    let after = next_prompt(&tui, from);
    assert!(
        after.contains(ui.plain_type_number.get(Lang::En)),
        "the start page got an empty line, not the 9: {after}"
    );
    tui.send("q\r");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_case_left_at_once_is_discarded_and_the_farewell_does_not_name_it() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--plain", "--product", "huabei"]);
    next_prompt(&tui, 0);
    let from = tui.raw_output().len();
    tui.send("b\r"); // back from the first step: nothing answered, nothing kept
    next_prompt(&tui, from);
    tui.send("q\r");
    assert!(tui.wait_exit().success());
    let out = String::from_utf8_lossy(&tui.raw_output()).into_owned();
    assert!(!out.contains("Your case is saved in"), "{out}");
    let cases = data.path().join("cases");
    let left = std::fs::read_dir(&cases).map_or(0, |d| {
        d.filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml"))
        })
        .count()
    });
    assert_eq!(left, 0, "the discarded case is gone");
}

/// "I already sent a request", typed in plain mode: the number of that option, then the day
/// (today's offered as the default); a line that is no date is refused and asked again, and
/// the review that follows says the day and counts from it. Nothing asks to confirm.
#[test]
fn plain_mode_takes_the_day_a_request_was_sent() {
    let content = content();
    let ui = &content.ui;
    for lang in [Lang::Zh, Lang::En] {
        let mut model = Model::new(lang, false);
        let now = at("2026-11-30T09:00:00+08:00");
        let product = content.product("xiaomi-beiyongjin").unwrap();
        let option = product.step("status").unwrap().status().unwrap().options[2].get(lang);
        let mut typed_dates = vec!["last friday", "２０２６－１１－２７"];
        let mut refused = false;
        let mut pages = 0;
        let review = loop {
            pages += 1;
            assert!(pages < 100, "never reached the review");
            let page = plain::page(&model, &content);
            let text = printed(&page);
            assert!(
                !page.prompt.starts_with(head(ui.plain_confirm.get(lang))),
                "asked to confirm again:\n{text}"
            );
            if text.contains(ui.review_question.get(lang)) {
                break text;
            }
            let line = if text.contains(option)
                && page.prompt.starts_with(head(ui.plain_choose.get(lang)))
            {
                "3".to_owned()
            } else if page.prompt.starts_with(head(ui.plain_sent_date.get(lang)))
                || page.prompt == ui.plain_sent_date_again.get(lang)
            {
                if typed_dates.len() == 2 {
                    // The field holds today's date in China; the prompt offers it.
                    assert!(page.prompt.contains("2026-11-30"), "{}", page.prompt);
                } else {
                    refused = text.contains(ui.sent_not_a_date.get(lang));
                    // The refused text is not offered as the default.
                    assert!(!page.prompt.contains("last friday"), "{}", page.prompt);
                }
                typed_dates.remove(0).to_owned()
            } else {
                reply(&text, &content, lang, "xiaomi-beiyongjin").expect("not an end yet")
            };
            match plain::answer(&model, &content, &line, now) {
                Reply::Act(actions) => {
                    for action in actions {
                        wizard::update(&mut model, &content, action, now);
                    }
                }
                other => panic!("{line:?} was not taken: {other:?}\n{text}"),
            }
        };
        assert!(
            refused,
            "{lang:?}: the nonsense date was not refused with its reason"
        );
        assert!(
            review.contains(&ui.review_sent.fill(lang, &[("date", "2026-11-27")])),
            "{review}"
        );
        let case = model.case.as_ref().unwrap();
        let sent = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(case.review().unwrap().sent, Some(sent));
        let expected = content.calendar.add_business_days(sent, 5).date;
        assert_eq!(case.review().unwrap().expected, expected);
        assert!(review.contains(&expected.to_string()), "{review}");
    }
}
