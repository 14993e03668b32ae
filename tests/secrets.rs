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
use xiaohu::wizard::{Action, Case, Effect, Model, Screen, update};

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
            out.push((
                path.display().to_string(),
                std::fs::read(&path).unwrap_or_default(),
            ));
        }
    }
    out
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
    let code: String = screen
        .lines()
        .find(|l| l.contains("[DEMO]"))
        .and_then(|l| l.split(':').next_back())
        .map(|s| s.chars().filter(char::is_ascii_digit).collect())
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
