use std::time::Duration;

use chrono::DateTime;

use super::*;
use crate::content::StepKind;
use crate::wizard::{Time, demo, update};

/// The shipped scripts, one per built-in product.
const SHIPPED: &[(&str, &str)] = &[
    (
        "assets/demo/weilidai.toml",
        include_str!("../../../assets/demo/weilidai.toml"),
    ),
    (
        "assets/demo/huabei.toml",
        include_str!("../../../assets/demo/huabei.toml"),
    ),
    (
        "assets/demo/jiebei.toml",
        include_str!("../../../assets/demo/jiebei.toml"),
    ),
    (
        "assets/demo/wangshangdai.toml",
        include_str!("../../../assets/demo/wangshangdai.toml"),
    ),
    (
        "assets/demo/baitiao.toml",
        include_str!("../../../assets/demo/baitiao.toml"),
    ),
    (
        "assets/demo/xiaomi-fenqi.toml",
        include_str!("../../../assets/demo/xiaomi-fenqi.toml"),
    ),
    (
        "assets/demo/xiaomi-beiyongjin.toml",
        include_str!("../../../assets/demo/xiaomi-beiyongjin.toml"),
    ),
];

fn start() -> Time {
    DateTime::parse_from_rfc3339("2026-09-28T10:00:00+08:00").unwrap()
}

fn content() -> Content {
    Content::builtin().unwrap()
}

fn profiles(content: &Content) -> Vec<Profile> {
    demo::parse(demo::BUILTIN_PATH, demo::BUILTIN, content).unwrap()
}

fn script(text: &str) -> Result<Script, Vec<String>> {
    let content = content();
    parse("t.toml", text, &content, &profiles(&content))
        .map_err(|d| d.iter().map(ToString::to_string).collect())
}

/// Plays `script` to its end the way the app does (poll, dispatch, poll again), with the
/// clock jumping straight to each next cue. Returns the model, the player, and the
/// simulated time it took.
fn replay(script: &Script, content: &Content) -> (Model, Player, Duration) {
    replay_watching(script, content, |_, _| {})
}

/// `replay`, with `watch` shown the player and the model after every poll, as the app
/// shows them after every turn.
fn replay_watching(
    script: &Script,
    content: &Content,
    mut watch: impl FnMut(&Player, &Model),
) -> (Model, Player, Duration) {
    let mut model = script.fresh_model(script.lang, (80, 24));
    update(
        &mut model,
        content,
        Action::StartProduct(script.product.clone()),
        start(),
    );
    let mut player = Player::new(script.clone(), 1.0, false, Duration::ZERO);
    let mut now = Duration::ZERO;
    for _ in 0..10_000 {
        loop {
            let cue = player.poll(now, &model, content);
            watch(&player, &model);
            match cue {
                Some(Cue::Press(action)) => {
                    let at = start() + chrono::TimeDelta::from_std(now).unwrap();
                    update(&mut model, content, action, at);
                }
                Some(Cue::Restart) => panic!("a script played without --loop never restarts"),
                None => break,
            }
        }
        match player.due_in(now) {
            Some(wait) => now += wait.max(Duration::from_millis(1)),
            None => break,
        }
    }
    (model, player, now)
}

fn shipped(content: &Content) -> Vec<Script> {
    let profiles = profiles(content);
    SHIPPED
        .iter()
        .map(|(path, text)| {
            parse(path, text, content, &profiles).unwrap_or_else(|d| panic!("{}", d[0]))
        })
        .collect()
}

/// A scene is about the screen its keys lead to: its `expect` step, as it stands once the
/// keys are pressed (`Look`: the step, blocked or not, the phone up or not). When each
/// caption first shows, that screen must be up — not the one before it.
#[test]
fn every_caption_first_shows_on_the_screen_its_scene_leads_to() {
    let content = content();
    for script in shipped(&content) {
        for lang in [Lang::Zh, Lang::En] {
            let mut script = script.clone();
            script.lang = lang;
            let mut first: Vec<Option<Look>> = vec![None; script.scenes.len()];
            let mut led_to: Vec<Option<Look>> = vec![None; script.scenes.len()];
            let mut was = None;
            replay_watching(&script, &content, |player, model| {
                if player.shown != was
                    && let Some(i) = player.shown
                {
                    assert!(
                        first[i].is_none(),
                        "{}: scene {} shown twice",
                        script.path,
                        i + 1
                    );
                    first[i] = Some(Look::of(model));
                }
                was = player.shown;
                if player.phase == Phase::Hold && led_to[player.scene].is_none() {
                    led_to[player.scene] = Some(Look::of(model));
                }
            });
            for (i, scene) in script.scenes.iter().enumerate() {
                let at = format!(
                    "{} ({lang:?}) scene {}: {:?}",
                    script.path,
                    i + 1,
                    scene.caption.zh
                );
                let first = first[i]
                    .as_ref()
                    .unwrap_or_else(|| panic!("{at}: never shown"));
                let led_to = led_to[i]
                    .as_ref()
                    .unwrap_or_else(|| panic!("{at}: never held"));
                assert_eq!(first.step.as_deref(), scene.expect.as_deref(), "{at}");
                assert_eq!(first, led_to, "{at}: shown before its screen was up");
            }
        }
    }
}

#[test]
fn every_shipped_script_plays_to_its_end_on_the_builtin_content() {
    let content = content();
    let profiles = profiles(&content);
    let mut blocked = 0;
    for product in &content.products {
        let path = format!("assets/demo/{}.toml", product.id());
        let (_, text) = SHIPPED
            .iter()
            .find(|(p, _)| *p == path)
            .unwrap_or_else(|| panic!("no tour script for {}", product.id()));
        let script = parse(&path, text, &content, &profiles).unwrap_or_else(|d| {
            panic!(
                "{}",
                d.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert_eq!(script.product, product.id(), "{path}");
        let (model, player, took) = replay(&script, &content);
        // Off the script (an `expect` not met) leaves its message up; played through, none.
        assert_eq!(player.caption(), None, "{path}: stopped early");
        let last = script.scenes.last().unwrap().expect.as_deref();
        let case = model.case.as_ref().expect("a case on screen at the end");
        assert_eq!(Some(case.step.as_str()), last, "{path}: ends where it says");
        let kind = product.step(&case.step).unwrap().kind();
        let is_blocked = matches!(&model.screen, Screen::Step(v) if v.blocked.is_some());
        blocked += usize::from(is_blocked);
        assert!(
            matches!(kind, StepKind::Outcome | StepKind::Review) || is_blocked,
            "{path}: ends on {kind:?}, not at a result"
        );
        // Every scene checks where it is, so a content change cannot go unnoticed.
        assert!(script.scenes.iter().all(|s| s.expect.is_some()), "{path}");
        // Long enough to watch; every screen read at the reading pace makes a few minutes,
        // which a looping waiting-area screen can take (each caption still changes with
        // its screen, so someone passing by reads what is in front of them).
        assert!(
            (Duration::from_secs(15)..Duration::from_secs(480)).contains(&took),
            "{path}: {took:?}"
        );
    }
    assert!(blocked >= 1, "no script shows the path blocked by debt");
}

const TWO_SCENES: &str = r#"
product = "weilidai"
pace_ms = 100

[[scene]]
caption = { zh = "一", en = "one" }
keys = ["Enter", { text = "ab" }]
pause = 2
expect = "find"

[[scene]]
caption = { zh = "二", en = "two" }
keys = ["Down"]
pause = 1
"#;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn pressed(cue: Option<Cue>) -> String {
    match cue {
        Some(Cue::Press(action)) => format!("{action:?}"),
        Some(Cue::Restart) => "Restart".into(),
        None => "-".into(),
    }
}

fn on_weilidai() -> (Model, Content) {
    let content = content();
    let mut model = Model::new(Lang::En, true);
    update(
        &mut model,
        &content,
        Action::StartProduct("weilidai".into()),
        start(),
    );
    (model, content)
}

#[test]
fn keys_come_at_the_pace_and_captions_are_held_for_the_reading_time() {
    let (mut model, content) = on_weilidai();
    let mut player = Player::new(script(TWO_SCENES).unwrap(), 1.0, false, Duration::ZERO);
    let caption = |p: &Player| match p.caption() {
        Some(Caption::Scene(t)) => t.en.to_string(),
        other => format!("{other:?}"),
    };
    // On the intro, before its first key: scene one is about `find`, so no caption yet.
    assert_eq!(pressed(player.poll(ms(99), &model, &content)), "-");
    assert_eq!(caption(&player), "None");
    assert_eq!(player.due_in(ms(99)), Some(ms(1)));
    let enter = player.poll(ms(100), &model, &content);
    assert_eq!(pressed(enter.clone()), "Enter");
    if let Some(Cue::Press(a)) = enter {
        update(&mut model, &content, a, start());
    }
    // One key per poll, however late the poll comes; the poll after Enter sees `find` up.
    assert_eq!(pressed(player.poll(ms(150), &model, &content)), "-");
    assert_eq!(caption(&player), "one");
    assert_eq!(
        pressed(player.poll(ms(200), &model, &content)),
        "Edit(InsertChar('a'))"
    );
    assert_eq!(
        pressed(player.poll(ms(300), &model, &content)),
        "Edit(InsertChar('b'))"
    );
    // Keys done and `expect` met at 400: held for the caption and the find screen's reading
    // time (more than the 2 s pause), then the next scene.
    let find = screen_text(&steps::open_screen(&model, &content).unwrap()).join("\n");
    let held = stay(Lang::En, "one", &find, Duration::from_secs(2), 1.0);
    assert!(held > Duration::from_secs(2), "{held:?}");
    assert_eq!(pressed(player.poll(ms(400), &model, &content)), "-");
    assert!(player.playing());
    let next = ms(400) + held;
    assert_eq!(pressed(player.poll(next - ms(1), &model, &content)), "-");
    assert_eq!(caption(&player), "one");
    assert_eq!(pressed(player.poll(next, &model, &content)), "-");
    // Scene two has no `expect`: its caption waits for its key, "one" stays meanwhile.
    assert_eq!(caption(&player), "one");
    assert_eq!(
        pressed(player.poll(next + ms(100), &model, &content)),
        "Down"
    );
    assert_eq!(pressed(player.poll(next + ms(100), &model, &content)), "-");
    assert_eq!(caption(&player), "two");
    assert_eq!(pressed(player.poll(next + ms(200), &model, &content)), "-");
    // Still on `find`, whose text was read during scene one: only "two" is new to read,
    // so the 1 s pause is what holds it.
    let end = next + ms(200) + stay(Lang::En, "two", "", Duration::from_secs(1), 1.0);
    assert_eq!(end, next + ms(1200));
    assert_eq!(pressed(player.poll(end, &model, &content)), "-");
    // Played once: the caption goes and the screen is left to the person.
    assert_eq!(player.caption(), None);
    assert!(!player.playing());
    assert_eq!(player.due_in(end), None);
}

#[test]
fn speed_divides_every_wait_and_loop_asks_for_a_restart() {
    let (model, content) = on_weilidai();
    let mut player = Player::new(script(TWO_SCENES).unwrap(), 10.0, true, Duration::ZERO);
    assert_eq!(player.due_in(Duration::ZERO), Some(ms(10)));
    let mut cues = Vec::new();
    let mut now = Duration::ZERO;
    // The model is not updated, so `expect = "find"` fails: check the timing only up to it.
    while let Some(wait) = player.due_in(now) {
        now += wait;
        if let Some(cue) = player.poll(now, &model, &content) {
            cues.push((now, pressed(Some(cue))));
        }
    }
    assert_eq!(cues.len(), 3, "{cues:?}");
    assert_eq!(cues[2].0, ms(30));
    assert!(matches!(player.caption(), Some(Caption::OffScript { .. })));

    // Played through with --loop: the end is a restart from the first scene.
    let (mut model, content) = on_weilidai();
    let mut player = Player::new(script(TWO_SCENES).unwrap(), 10.0, true, Duration::ZERO);
    let mut now = Duration::ZERO;
    let mut restarted = false;
    while let Some(wait) = player.due_in(now) {
        now += wait;
        match player.poll(now, &model, &content) {
            Some(Cue::Press(a)) => {
                update(&mut model, &content, a, start());
            }
            Some(Cue::Restart) => {
                restarted = true;
                break;
            }
            None => {}
        }
    }
    assert!(restarted);
    player.restart(now);
    // From the first scene, whose caption waits for its screen again.
    assert!(player.playing());
    assert_eq!(player.caption(), None);
    assert_eq!(player.scene, 0);
}

#[test]
fn a_person_taking_over_stops_the_playback() {
    let (model, content) = on_weilidai();
    let mut player = Player::new(script(TWO_SCENES).unwrap(), 1.0, true, Duration::ZERO);
    player.take_over();
    assert_eq!(player.caption(), None);
    assert!(!player.playing());
    assert_eq!(pressed(player.poll(ms(100), &model, &content)), "-");
    assert_eq!(player.due_in(ms(100)), None);
    // Until the kiosk is idle long enough and starts it again.
    player.restart(ms(5000));
    assert!(player.playing());
    assert_eq!(pressed(player.poll(ms(5100), &model, &content)), "Enter");
}

#[test]
fn off_script_it_stops_and_says_where_it_is() {
    let (model, content) = on_weilidai();
    let text = "product = \"weilidai\"\n[[scene]]\ncaption = { zh = \"x\", en = \"x\" }\nexpect = \"verify\"\n";
    let mut player = Player::new(script(text).unwrap(), 1.0, true, Duration::ZERO);
    assert_eq!(pressed(player.poll(ms(600), &model, &content)), "-");
    assert_eq!(
        player.caption(),
        Some(Caption::OffScript {
            expected: "verify".into(),
            actual: "intro".into()
        })
    );
    assert!(!player.playing());
}

#[test]
fn code_types_what_the_phone_shows_and_space_depends_on_the_screen() {
    let text = r#"
product = "weilidai"
[[scene]]
caption = { zh = "x", en = "x" }
keys = ["{code}"]
"#;
    // No phone on screen: the player says so instead of typing something made up.
    let (model, content) = on_weilidai();
    let mut player = Player::new(script(text).unwrap(), 1.0, false, Duration::ZERO);
    assert_eq!(pressed(player.poll(ms(600), &model, &content)), "-");
    assert_eq!(player.caption(), Some(Caption::NoCode));

    // At the verify step with the demo phone up: its six digits, one per beat.
    let mut model = script(text).unwrap().fresh_model(Lang::En, (80, 24));
    update(
        &mut model,
        &content,
        Action::StartProduct("weilidai".into()),
        start(),
    );
    while model.case.as_ref().unwrap().step != "verify" {
        update(&mut model, &content, Action::Enter, start());
    }
    update(&mut model, &content, Action::Enter, start());
    let code = match &model.screen {
        Screen::Step(v) => v.phone.as_ref().unwrap().code.clone(),
        _ => unreachable!(),
    };
    let mut player = Player::new(script(text).unwrap(), 1.0, false, Duration::ZERO);
    let mut typed = String::new();
    for i in 1..=6 {
        match player.poll(ms(600 * i), &model, &content) {
            Some(Cue::Press(Action::Edit(InputRequest::InsertChar(c)))) => typed.push(c),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(typed, code);

    let mut key = Player::new(
        script("product = \"weilidai\"\n[[scene]]\ncaption = { zh = \"x\", en = \"x\" }\nkeys = [\"Space\"]\n").unwrap(),
        1.0,
        false,
        Duration::ZERO,
    );
    assert_eq!(
        pressed(key.poll(ms(600), &model, &content)),
        "Edit(InsertChar(' '))"
    );
    let (outside, _) = on_weilidai();
    key.restart(Duration::ZERO);
    assert_eq!(pressed(key.poll(ms(600), &outside, &content)), "Tick");
}

#[test]
fn a_broken_script_is_named_with_its_places() {
    let text = r#"product = "weilidai"
profile = "huabei-owes"

[[scene]]
caption = { zh = "一", en = "one" }
keys = ["Enter", "Return", 5]
expect = "nowhere"
pause = -1
"#;
    let errors = script(text).unwrap_err();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert!(
        errors[0]
            .starts_with("t.toml:2:11: error: profile `huabei-owes` is for huabei, not weilidai"),
        "{errors:#?}"
    );
    assert!(
        errors[1].starts_with("t.toml:6:18: error: unknown key `Return`"),
        "{errors:#?}"
    );
    assert!(
        errors[2].starts_with("t.toml:6:28: error: a key is a name"),
        "{errors:#?}"
    );
    assert!(
        errors[3].starts_with("t.toml:7:10: error: `expect`: weilidai has no step `nowhere`"),
        "{errors:#?}"
    );
    assert!(
        errors[4].starts_with("t.toml:8:9: error: `pause` is in seconds"),
        "{errors:#?}"
    );

    let unknown = script("product = \"alipay\"\n[[scene]]\ncaption = { zh = \"x\", en = \"\" }\n")
        .unwrap_err();
    assert!(
        unknown[0].starts_with("t.toml:1:11: error: unknown product `alipay`"),
        "{unknown:#?}"
    );
    assert!(
        unknown[1].starts_with("t.toml:3:11: error: the caption needs"),
        "{unknown:#?}"
    );

    let typo = script("product = \"weilidai\"\n[[scene]]\ncaptoin = { zh = \"x\", en = \"x\" }\n")
        .unwrap_err();
    assert!(
        typo[0].starts_with("t.toml:3:1: error: unknown field `captoin`"),
        "{typo:#?}"
    );
    let none = script("product = \"weilidai\"\n").unwrap_err();
    assert!(none[0].contains("at least one [[scene]]"), "{none:#?}");
}

#[test]
fn reading_counts_chinese_characters_and_english_words() {
    assert_eq!(reading_units("先还清再回来。"), 6);
    assert_eq!(reading_units("按 Enter 勾一项，本金 20,000 元"), 9);
    assert_eq!(reading_units("Enter what is owed: 20,000 and 143.80."), 7);
    assert_eq!(reading_units("Type 确认 (or CONFIRM), don't wait"), 7);
    assert_eq!(reading_units("工单 A-1029"), 3);
    assert_eq!(reading_units(" …—，。 "), 0);
}

#[test]
fn a_scene_stays_for_its_reading_time_with_the_pause_as_the_floor() {
    let pause = Duration::from_secs(3);
    // 20 characters at 5 a second, 15 words at 3 a second.
    let zh = "一二三四五六七八九十一二三四五六七八九十";
    let en = "one two three four five six seven eight nine ten one two three four five";
    assert_eq!(stay(Lang::Zh, zh, "", pause, 1.0), Duration::from_secs(4));
    assert_eq!(stay(Lang::En, en, "", pause, 1.0), Duration::from_secs(5));
    // The screen's text counts with the caption: a long screen stays longer.
    let long = zh.repeat(5);
    assert_eq!(
        stay(Lang::Zh, zh, &long, pause, 1.0),
        Duration::from_secs(24)
    );
    assert!(stay(Lang::Zh, zh, &long, pause, 1.0) > stay(Lang::Zh, zh, zh, pause, 1.0));
    // Little to read: the script's pause holds it.
    assert_eq!(stay(Lang::Zh, "好。", "", pause, 1.0), pause);
    assert_eq!(
        stay(Lang::En, "OK.", "", Duration::from_secs(8), 1.0),
        Duration::from_secs(8)
    );
    // The same number of units is read faster in Chinese characters than English words.
    let words = "a b c d e f g h i j k l m n o p q r s t";
    assert!(
        stay(Lang::Zh, words, "", Duration::ZERO, 1.0)
            < stay(Lang::En, words, "", Duration::ZERO, 1.0)
    );
    // --speed divides all of it, the floor too.
    assert_eq!(
        stay(Lang::Zh, zh, &long, pause, 4.0),
        Duration::from_secs(6)
    );
    assert_eq!(
        stay(Lang::Zh, "好。", "", pause, 2.0),
        Duration::from_millis(1500)
    );
}
