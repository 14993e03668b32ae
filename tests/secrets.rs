//! Secrets leave no trace: every product is walked, in demo and normal mode, with a known
//! password, SMS code and ID-card number typed into every text field on the way; then the
//! data dir (every case file, every receipt) and every log line are searched. Zero hits.

mod support;

use std::path::Path;

use tui_input::InputRequest;

use support::walk::progress;
use support::*;
use xiaohu::content::{Content, Lang, StepKind};
use xiaohu::report::{self, Format};
use xiaohu::store::Store;
use xiaohu::wizard::{Action, Case, Effect, Hint, Model, Screen, update};

const PASSWORD: &str = "Pa55w0rd!xh";
const SMS_CODE: &str = "482913";
const ID_NUMBER: &str = "110101199003071234";
/// Typed into the reference field as a legitimate note: the search must find it, or it is
/// not looking where the typing goes.
const NOTE: &str = "T-778899";

/// Every file under `dir`, as (path, bytes).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            let mut bytes = std::fs::read(&path).unwrap_or_default();
            if path.ends_with(JOURNAL) {
                bytes = without_stamps(&bytes);
            }
            out.push((path.display().to_string(), bytes));
        }
    }
    out
}

/// The file store's summary journal: summaries (searched like every file) and each case
/// file's stamp.
const JOURNAL: &str = "case-summaries.jsonl";

/// The journal without its stamps (`"stamp":[…]`): inode numbers and the real clock's
/// nanoseconds, which nobody typed, may hold any digits.
fn without_stamps(journal: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(journal);
    let mut out = String::new();
    for line in text.lines() {
        match line.split_once("\"stamp\":[") {
            Some((before, after)) => {
                let (_, rest) = after.split_once(']').expect("a stamp ends");
                out.push_str(before);
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// Any run of 17 digits and a digit or X: an ID-card number, whoever typed it.
fn id_like(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(18).any(|w| {
        w[..17].iter().all(char::is_ascii_digit) && (w[17].is_ascii_digit() || w[17] == 'X')
    })
}

fn type_text(model: &mut Model, content: &Content, text: &str, now: xiaohu::wizard::Time) {
    for c in text.chars() {
        update(
            model,
            content,
            Action::Edit(InputRequest::InsertChar(c)),
            now,
        );
    }
}

/// Walks one product to its end with `branch` choosing the way; at every text field, the
/// secrets are typed and submitted first. Returns the cases the wizard asked to save.
fn walk(
    content: &Content,
    product: &str,
    branch: u64,
    demo: bool,
    lang: Lang,
    n: i64,
) -> Vec<Case> {
    // Each walk a second apart: case ids carry the time.
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+08:00").unwrap()
        + chrono::TimeDelta::seconds(n);
    let mut model = Model::new(lang, demo);
    let mut saved = Vec::new();
    let mut keep = |effects: Vec<Effect>| {
        for e in effects {
            if let Effect::Save(case) = e {
                saved.push(*case);
            }
        }
    };
    // The product filter is a text field too.
    update(&mut model, content, Action::Enter, now); // welcome → product list
    type_text(&mut model, content, ID_NUMBER, now);
    update(
        &mut model,
        content,
        Action::Edit(InputRequest::DeleteLine),
        now,
    );
    keep(update(
        &mut model,
        content,
        Action::StartProduct(product.into()),
        now,
    ));
    let mut typed_at = std::collections::BTreeSet::new();
    for _ in 0..300 {
        let Some(case) = &model.case else { break };
        let step = content.product(product).unwrap().step(&case.step).unwrap();
        if step.kind() == StepKind::Outcome {
            break;
        }
        if model.text_focus() && typed_at.insert(case.step.clone()) {
            // Amount fields take digits as an amount, so only what they refuse goes there.
            // The contact note is free text: a password there cannot be told from a note,
            // so only what the wizard can recognise (codes, ID and card numbers) is tried.
            let secrets: &[&str] = match step.kind() {
                StepKind::Debt => &[PASSWORD, ID_NUMBER],
                StepKind::Contact => &[SMS_CODE, ID_NUMBER],
                _ => &[PASSWORD, SMS_CODE, ID_NUMBER],
            };
            let fields = match &model.screen {
                Screen::Step(view) => view.inputs.len(),
                _ => 1,
            };
            for secret in secrets {
                type_text(&mut model, content, secret, now);
                keep(update(&mut model, content, Action::Enter, now));
                // Clear every field again, as a person would after a refusal.
                for _ in 0..fields {
                    update(
                        &mut model,
                        content,
                        Action::Edit(InputRequest::DeleteLine),
                        now,
                    );
                    update(&mut model, content, Action::NextField, now);
                }
            }
            if step.kind() == StepKind::Contact {
                type_text(&mut model, content, NOTE, now);
            }
        }
        let next = progress(&model, content, branch);
        keep(update(&mut model, content, next, now));
    }
    saved
}

#[test]
fn typed_secrets_never_reach_a_case_file_a_receipt_or_the_log() {
    let content = Content::builtin().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let mut log_text = String::new();
    let (mut walks, mut contact_walks) = (0, 0);
    for product in &content.products {
        for branch in 0..24 {
            for (demo, lang) in [(false, Lang::Zh), (false, Lang::En), (true, Lang::Zh)] {
                let saved = walk(&content, product.id(), branch, demo, lang, walks);
                walks += 1;
                let Some(last) = saved.last() else { continue };
                if last
                    .log
                    .iter()
                    .any(|e| matches!(e.event, xiaohu::wizard::Event::Contacted { .. }))
                {
                    contact_walks += 1;
                }
                // Demo mode: the app never opens the store, so nothing of it is written.
                if demo {
                    continue;
                }
                // The last save holds everything the earlier ones did (the log only grows).
                store.create(last).unwrap();
                for (l, format, ext) in [
                    (Lang::Zh, Format::Txt, "txt"),
                    (Lang::En, Format::Html, "html"),
                    (Lang::En, Format::Md, "md"),
                ] {
                    let receipt = report::receipt(last, &content, l, format, last.updated);
                    store.write_receipt(&last.id, ext, &receipt).unwrap();
                    for entry in &last.log {
                        log_text.push_str(&report::log_line(entry, &content, Some(product), l));
                        log_text.push('\n');
                    }
                }
            }
        }
    }
    assert!(contact_walks > 0, "no walk reached a contact step");

    let written = files(data.path());
    let cases = written
        .iter()
        .filter(|(p, _)| p.contains("/cases/"))
        .count();
    let receipts = written
        .iter()
        .filter(|(p, _)| p.contains("/receipts/"))
        .count();
    assert!(
        cases > 0 && receipts > 0,
        "nothing was written: {written:?}"
    );
    let mut everything: Vec<(String, String)> = written
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect();
    everything.push(("`xiaohu log` lines".into(), log_text));
    let mut hits = Vec::new();
    for (place, text) in &everything {
        for secret in [PASSWORD, SMS_CODE, ID_NUMBER] {
            if text.contains(secret) {
                hits.push(format!("{secret} in {place}"));
            }
        }
        if id_like(text) {
            hits.push(format!("an ID-like number in {place}"));
        }
    }
    assert!(hits.is_empty(), "secrets on disk or in the log: {hits:?}");
    // The search does see what is typed and kept.
    assert!(
        everything.iter().any(|(_, t)| t.contains(NOTE)),
        "the note typed at the contact step was not found: the search is blind"
    );
    eprintln!(
        "secrets: {walks} walks ({contact_walks} through a contact step), {cases} case files \
         and {receipts} receipts searched, 0 hits"
    );
}

#[test]
fn the_id_check_itself_finds_id_numbers() {
    assert!(id_like(&format!("note {ID_NUMBER} here")));
    assert!(id_like("11010119900307123X"));
    assert!(!id_like("20261121-100000-weilidai"));
}

#[test]
fn a_demo_walk_in_the_real_binary_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--demo", "--product", "weilidai"]);
    tui.wait_for("DEMO");
    tui.send(ENTER);
    tui.wait_for("Find Weilidai in WeChat");
    tui.send(&ENTER.repeat(5));
    tui.wait_for("What does the Weilidai page show?");
    tui.send(ENTER);
    tui.wait_for("Is anything still owed?");
    tui.send(PASSWORD);
    tui.send(ENTER);
    tui.send("\x15");
    tui.send(&format!("0{ENTER}0{ENTER}"));
    tui.wait_for("Open the closing page");
    tui.send("q");
    assert!(tui.wait_exit().success());
    assert!(
        files(data.path()).is_empty(),
        "demo mode wrote: {:?}",
        files(data.path())
    );
}

#[test]
fn the_demo_phone_masks_what_is_typed_in_the_real_terminal() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(data.path(), &["--demo", "--product", "huabei"]);
    tui.wait_for("DEMO");
    // Through the flow to the identity check, as a person would.
    for _ in 0..40 {
        let screen = tui.screen();
        if screen.contains("Which identity check") {
            break;
        }
        if screen.contains("Type CONFIRM") {
            tui.send("CONFIRM");
        }
        tui.send(ENTER);
        std::thread::sleep(std::time::Duration::from_millis(60));
    }
    tui.wait_for("Which identity check");
    tui.send(ENTER);
    tui.wait_for("Simulated phone");
    let screen = tui.screen();
    // The phone's message may wrap inside its frame: the code is the six digits after it.
    let code: String = screen
        .split("[DEMO]")
        .nth(1)
        .and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 6)
        })
        .map(str::to_owned)
        .expect("the phone shows a code");
    assert_eq!(code.len(), 6, "{screen}");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    tui.send(wrong);
    tui.wait_for("••••••");
    tui.send(ENTER);
    tui.wait_for("2 tries left");
    tui.send(SMS_CODE);
    tui.wait_for("••••••");
    assert!(
        !tui.screen().contains(SMS_CODE) && !tui.screen().contains(wrong),
        "typed digits on screen:\n{}",
        tui.screen()
    );
    tui.send("\x15"); // Ctrl-U clears
    tui.send(&code);
    tui.send(ENTER);
    tui.wait_for("Confirm the closure");
    tui.send("\x03");
    assert!(tui.wait_exit().success());
    assert!(files(data.path()).is_empty(), "demo mode wrote something");
}

/// The notes the issue found kept in the case file, the log and the receipts (12 of 15
/// typed), and more ways round the guard of the same kinds.
const WAYS_ROUND: &[&str] = &[
    "110101199003071234 482913",
    "验证码 482913",
    "密码482913",
    "SMS code: 482913",
    "110101.19900307.1234",
    "110101/19900307/1234",
    "110101\u{a0}19900307\u{a0}1234",
    "110101\u{200b}19900307\u{200b}1234",
    "110101\u{ff0d}19900307\u{ff0d}1234",
    "１１０１０１．１９９００３０７．１２３４",
    "6222.0212.3456.7890",
    "6222 0212 3456 7890 482913",
    "110101\u{202e}19900307\u{202e}1234",
    "PIN 4829",
    "口令：4829-13",
];

/// A note that is kept, with invisible characters typed into it: they must not be.
const KEPT_NOTE: &str = "工单 20261201-0032\u{200b}\u{202e} T-2026-1121-07";
const KEPT_CLEAN: &str = "工单 20261201-0032 T-2026-1121-07";

/// Every digit group of four or more in `note`, as typed (full-width stays full-width) and
/// in ASCII: none of them may be found where the case goes.
fn digit_groups(note: &str) -> Vec<String> {
    let mut groups = Vec::new();
    for ascii in [false, true] {
        let mut run = String::new();
        for c in note.chars().chain([' ']) {
            let d = c
                .to_digit(10)
                .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32));
            match d {
                Some(d) if ascii => run.push(char::from_digit(d, 10).unwrap()),
                Some(_) => run.push(c),
                None => {
                    if run.chars().count() >= 4 {
                        groups.push(std::mem::take(&mut run));
                    }
                    run.clear();
                }
            }
        }
    }
    groups.sort();
    groups.dedup();
    groups
}

#[test]
fn digit_groups_are_every_run_of_four_or_more() {
    assert_eq!(
        digit_groups("１１０１０１．１９９００３０７ 12 3456"),
        [
            "110101",
            "19900307",
            "3456",
            "１１０１０１",
            "１９９００３０７"
        ]
    );
}

/// Walks `product` to its contact step, types `note` there and Enter (it must be refused:
/// cleared, with the notice, the step not left; what is wrong goes to `wrong`), then
/// [`KEPT_NOTE`], and on to the end, `branch` choosing the way. Returns the last case saved,
/// if the walk went through the contact step.
fn type_note_at_contact(
    content: &Content,
    (product, branch, lang, n): (&str, u64, Lang, i64),
    note: &str,
    wrong: &mut Vec<String>,
) -> Option<Case> {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+08:00").unwrap()
        + chrono::TimeDelta::seconds(n);
    let mut model = Model::new(lang, false);
    let mut last = None;
    let mut keep = |effects: Vec<Effect>| {
        for e in effects {
            if let Effect::Save(case) = e {
                last = Some(*case);
            }
        }
    };
    update(&mut model, content, Action::Enter, now);
    keep(update(
        &mut model,
        content,
        Action::StartProduct(product.into()),
        now,
    ));
    let mut contacted = false;
    for _ in 0..300 {
        let Some(case) = &model.case else { break };
        let step = content.product(product).unwrap().step(&case.step).unwrap();
        if step.kind() == StepKind::Outcome {
            break;
        }
        if step.kind() == StepKind::Contact && !contacted {
            contacted = true;
            type_text(&mut model, content, note, now);
            keep(update(&mut model, content, Action::Enter, now));
            let here = model.case.as_ref().is_some_and(|c| c.step == step.id());
            match &model.screen {
                Screen::Step(view) if here => {
                    if !view.inputs[0].value().is_empty() {
                        wrong.push(format!("{product}: {note:?} is still on screen"));
                    }
                    if view.hint != Some(Hint::LooksSecret) {
                        wrong.push(format!(
                            "{product}: {note:?} was refused without the notice"
                        ));
                    }
                    type_text(&mut model, content, KEPT_NOTE, now);
                }
                _ => wrong.push(format!("{product}: {note:?} was taken, the step moved on")),
            }
        }
        let next = progress(&model, content, branch);
        keep(update(&mut model, content, next, now));
    }
    last.filter(|_| contacted)
}

#[test]
fn notes_that_get_round_a_digit_count_are_refused_and_never_written() {
    let content = Content::builtin().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let mut logs = String::new();
    let mut wrong = Vec::new();
    let products: Vec<_> = content
        .products
        .iter()
        .filter(|p| p.steps().iter().any(|s| s.kind() == StepKind::Contact))
        .collect();
    assert!(!products.is_empty(), "no product has a contact step");
    let mut walks = 0;
    for product in &products {
        for lang in [Lang::Zh, Lang::En] {
            for note in WAYS_ROUND {
                // The first way through the product that passes its contact step; each case a
                // second apart (case ids carry the time), all within 10:00:00–10:01:59, so no
                // time or case id can hold a four-digit group of a note (02:12, 12:34, …).
                // (Fewer ways lead to a contact step since "already asked customer service"
                // takes a path of its own: more branches are tried.)
                let case = (0..96)
                    .find_map(|branch| {
                        let walk = (product.id(), branch, lang, walks);
                        type_note_at_contact(&content, walk, note, &mut wrong)
                    })
                    .unwrap_or_else(|| panic!("{}: no walk reached contact", product.id()));
                walks += 1;
                assert!(
                    walks < 120,
                    "past 10:01:59: times could hold a note's digits"
                );
                store.create(&case).unwrap();
                for (l, format, ext) in [
                    (Lang::Zh, Format::Txt, "txt"),
                    (Lang::En, Format::Md, "md"),
                    (Lang::Zh, Format::Html, "html"),
                ] {
                    let receipt = report::receipt(&case, &content, l, format, case.updated);
                    store.write_receipt(&case.id, ext, &receipt).unwrap();
                    for entry in &case.log {
                        logs.push_str(&report::log_line(entry, &content, Some(product), l));
                        logs.push('\n');
                    }
                }
            }
        }
    }
    let mut everything: Vec<(String, String)> = files(data.path())
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect();
    let receipts = everything.iter().filter(|(p, _)| p.contains("/receipts/"));
    assert_eq!(receipts.count() as i64, walks * 3, "{everything:?}");
    everything.push(("`xiaohu log` lines".into(), logs));
    for (place, text) in &everything {
        for note in WAYS_ROUND {
            for group in digit_groups(note) {
                if text.contains(&group) {
                    wrong.push(format!("{group} (from {note:?}) in {place}"));
                }
            }
        }
        for c in ['\u{200b}', '\u{202e}'] {
            if text.contains(c) {
                wrong.push(format!("{c:?} in {place}"));
            }
        }
        // The search is not blind: the note that is kept is found, cleaned, everywhere (but
        // in the summaries, which hold no notes).
        if !place.ends_with(JOURNAL) && !text.contains(KEPT_CLEAN) {
            wrong.push(format!("the kept note {KEPT_CLEAN:?} is not in {place}"));
        }
    }
    assert!(wrong.is_empty(), "{} found: {wrong:#?}", wrong.len());
    eprintln!(
        "{} notes typed at the contact step in {walks} walks: all refused; {} files and the \
         log searched, none of their digits found",
        WAYS_ROUND.len(),
        everything.len() - 1
    );
}

/// The screen once it has stopped changing (not a frame half drawn).
fn settled(tui: &Tui) -> String {
    let start = std::time::Instant::now();
    let mut last = tui.screen();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let now = tui.screen();
        if now == last || start.elapsed() > TIMEOUT {
            return now;
        }
        last = now;
    }
}

/// The real binary, a real case file: an ID number with a code after it, and a code after
/// 验证码, typed into the contact note, are cleared with the notice and never reach the disk;
/// a ticket note typed after them (with a zero-width space in it) is kept, without it.
#[test]
fn the_real_binary_keeps_no_id_number_or_code_typed_as_the_contact_note() {
    let data = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_with(
        data.path(),
        &["--product", "xiaomi-fenqi"],
        "en_US.UTF-8",
        100,
        40,
    );
    // Through the flow to the contact step, as a person would: the first answer everywhere,
    // zero owed, CONFIRM typed.
    tui.wait_for("Xiaomi Mall installments");
    let start = std::time::Instant::now();
    loop {
        let screen = settled(&tui);
        if screen.contains("Ask customer service to cancel it") {
            tui.wait_for("Ticket number or note");
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "never reached the contact step:\n{screen}"
        );
        if screen.contains("Is anything still owed") {
            tui.send(&format!("0{ENTER}0{ENTER}0{ENTER}"));
            tui.wait_for("The agent will check who you are");
            continue;
        }
        if screen.contains("Type CONFIRM") && !screen.contains("> CONFIRM") {
            tui.send("CONFIRM");
        }
        tui.send(ENTER);
        // One Enter per screen seen: an Enter sent to a screen not yet drawn could pass the
        // contact step with an empty note.
        let sent = std::time::Instant::now();
        while tui.screen() == screen {
            assert!(sent.elapsed() < TIMEOUT, "Enter changed nothing:\n{screen}");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    let refused = "That looks like an ID number";
    let review = "Waiting for the result";
    let mut taken = None;
    for note in ["110101199003071234 482913", "验证码 482913"] {
        tui.send(note);
        tui.wait_for(note);
        tui.send(ENTER);
        // Cleared from the screen, with the notice, the step not left; or taken, and then the
        // search of the disk below says where it went.
        let start = std::time::Instant::now();
        loop {
            let screen = tui.screen();
            if screen.contains(review) {
                taken = Some(note);
                break;
            }
            if !screen.contains(note) && screen.contains(refused) {
                break;
            }
            assert!(start.elapsed() < TIMEOUT, "{note:?}:\n{screen}");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if taken.is_some() {
            break;
        }
    }
    if taken.is_none() {
        tui.send("T-2026-1121-07\u{200b}");
        tui.wait_for("T-2026-1121-07");
        tui.send(ENTER);
        tui.wait_for(review);
    }
    tui.send("q");
    assert!(tui.wait_exit().success(), "{}", tui.screen());

    for (place, bytes) in files(data.path()) {
        let text = String::from_utf8_lossy(&bytes);
        for digits in [
            "110101199003071234",
            "482913",
            "110101",
            "19900307",
            "验证码",
        ] {
            assert!(!text.contains(digits), "{digits} in {place}:\n{text}");
        }
        assert!(!text.contains('\u{200b}'), "U+200B in {place}:\n{text}");
    }
    assert_eq!(taken, None, "taken as the note, the step left");
    let case = std::fs::read_to_string(case_file(data.path())).unwrap();
    let contacted: Vec<_> = log_entries(&toml::from_str(&case).unwrap())
        .into_iter()
        .filter(|e| e.get("event").and_then(|v| v.as_str()) == Some("contacted"))
        .collect();
    assert_eq!(contacted.len(), 1, "one contact recorded: {case}");
    assert_eq!(
        contacted[0].get("reference").and_then(|v| v.as_str()),
        Some("T-2026-1121-07"),
        "the note is kept, without the zero-width space: {case}"
    );
}

/// Ticket numbers made only of digits (8, 10, 12, with and without a label) are what the
/// contact note is for: typed there on every product with a contact step, each is taken,
/// the step is left, and the case keeps it as the reference.
#[test]
fn ticket_numbers_of_digits_alone_are_kept_as_the_contact_note() {
    let content = Content::builtin().unwrap();
    let tickets = [
        "12345678",
        "1234567890",
        "123456789012",
        "工单 12345678",
        "工单号：1234567890",
        "ticket 123456789012",
        "No. 12345678",
    ];
    let mut wrong = Vec::new();
    let products: Vec<_> = content
        .products
        .iter()
        .filter(|p| p.steps().iter().any(|s| s.kind() == StepKind::Contact))
        .collect();
    assert!(!products.is_empty(), "no product has a contact step");
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+08:00").unwrap();
    for product in &products {
        for ticket in tickets {
            // The first way through the product that reaches its contact step.
            // Few ways lead to a contact step (the sent path goes around it): try enough.
            let kept = (0..96).find_map(|branch| {
                let mut model = Model::new(Lang::En, false);
                update(&mut model, &content, Action::Enter, now);
                update(
                    &mut model,
                    &content,
                    Action::StartProduct(product.id().into()),
                    now,
                );
                for _ in 0..300 {
                    let case = model.case.as_ref()?;
                    let step = product.step(&case.step)?;
                    match step.kind() {
                        StepKind::Outcome => return None,
                        StepKind::Contact => {
                            type_text(&mut model, &content, ticket, now);
                            let saved = update(&mut model, &content, Action::Enter, now);
                            return saved.into_iter().find_map(|e| match e {
                                Effect::Save(case) => Some(case),
                                _ => None,
                            });
                        }
                        _ => {
                            let next = progress(&model, &content, branch);
                            update(&mut model, &content, next, now);
                        }
                    }
                }
                None
            });
            let Some(case) = kept else {
                wrong.push(format!(
                    "{}: {ticket:?}: never reached contact",
                    product.id()
                ));
                continue;
            };
            if case.step == "contact" {
                wrong.push(format!("{}: {ticket:?} was refused", product.id()));
            }
            let reference = case.log.iter().find_map(|e| match &e.event {
                xiaohu::wizard::Event::Contacted { reference, .. } => reference.clone(),
                _ => None,
            });
            if reference.as_deref() != Some(ticket) {
                wrong.push(format!(
                    "{}: {ticket:?} kept as {reference:?}",
                    product.id()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
