//! The table's own promises. That the footer lists no dead key is checked by walking every
//! screen in `ui::footer`'s tests.

use super::*;
use crate::content::Content;

fn ui() -> UiStrings {
    *Content::builtin().unwrap().ui
}

/// Every key the table names, and a few it does not.
fn all_keys() -> Vec<Key> {
    let mut keys: Vec<Key> = TABLE.iter().flat_map(|r| r.keys.iter().copied()).collect();
    keys.extend([
        Key::Char('x'),
        Key::Char('5'),
        Key::Alt('q'),
        Key::Ctrl('z'),
    ]);
    keys.extend([Key::F(9), Key::Char('\u{7}')]);
    keys.sort();
    keys.dedup();
    keys
}

#[test]
fn a_key_sends_one_action_whatever_the_screen() {
    // Rows may repeat a key for other screens (Enter chooses, continues, goes home), but
    // the key handling reads no screen: they must all send the same.
    for key in all_keys() {
        for focus in [false, true] {
            let actions: Vec<String> = TABLE
                .iter()
                .filter(|r| r.keys.contains(&key) && r.live(key, focus))
                .map(|r| format!("{:?}", r.action))
                .collect();
            assert!(
                actions.windows(2).all(|w| w[0] == w[1]),
                "{key:?} (focus {focus}) sends {actions:?}"
            );
        }
    }
}

#[test]
fn letters_are_commands_outside_fields_and_text_inside() {
    let typed = |c| Some(format!("{:?}", Action::Edit(InputRequest::InsertChar(c))));
    let sent = |key, focus| sends(key, focus).map(|a| format!("{a:?}"));
    for (c, action) in [
        ('q', Action::Quit),
        ('j', Action::Down),
        ('k', Action::Up),
        ('l', Action::ToggleLog),
        ('a', Action::ToggleAgent),
        ('e', Action::Export),
        ('?', Action::Help),
    ] {
        assert_eq!(
            sent(Key::Char(c), false),
            Some(format!("{action:?}")),
            "{c}"
        );
        assert_eq!(sent(Key::Char(c), true), typed(c), "{c}");
    }
    assert_eq!(sent(Key::Space, false), Some("Tick".into()));
    assert_eq!(sent(Key::Space, true), typed(' '));
    // Digits are text in a field; outside one, 1 to 9 take the choice of that number (0 is
    // no choice's number); other characters outside a field, nothing.
    assert_eq!(sent(Key::Char('5'), false), Some("Pick(5)".into()));
    assert_eq!(sent(Key::Char('5'), true), typed('5'));
    assert_eq!(sent(Key::Char('0'), false), None);
    assert_eq!(sent(Key::Char('0'), true), typed('0'));
    assert_eq!(sent(Key::Char('x'), false), None);
    assert_eq!(sent(Key::Char('\u{7}'), true), None);
    // Editing keys edit a field, and do nothing without one.
    assert_eq!(
        sent(Key::Ctrl('u'), true),
        Some(format!("{:?}", Action::Edit(InputRequest::DeleteLine)))
    );
    assert_eq!(sent(Key::Ctrl('u'), false), None);
    assert_eq!(sent(Key::Backspace, false), None);
    // Alt and a letter is neither a command nor text.
    assert_eq!(sent(Key::Alt('q'), false), None);
    assert_eq!(sent(Key::Alt('q'), true), None);
    for focus in [false, true] {
        assert_eq!(sent(Key::Ctrl('c'), focus), Some("Quit".into()));
        assert_eq!(sent(Key::F(2), focus), Some("SwitchLang".into()));
        assert_eq!(sent(Key::Esc, focus), Some("Back".into()));
        assert_eq!(sent(Key::F(9), focus), None);
    }
}

#[test]
fn a_tour_is_stopped_by_quit_and_keeps_playing_in_the_other_language() {
    let tour = |key| tour_key(key, false).map(|a| format!("{a:?}"));
    assert_eq!(tour(Key::Char('q')), Some("Quit".into()));
    assert_eq!(tour(Key::Ctrl('c')), Some("Quit".into()));
    assert_eq!(tour(Key::F(2)), Some("SwitchLang".into()));
    for key in [
        Key::Enter,
        Key::Char('j'),
        Key::Esc,
        Key::Alt('q'),
        Key::F(1),
    ] {
        assert_eq!(tour(key), None, "{key:?} takes over");
    }
}

#[test]
fn tour_scripts_name_the_keys_they_always_could() {
    let names = script_names();
    assert_eq!(
        names.join(" "),
        "Up Down Left Right Enter Esc Tab BackTab Space Backspace PageUp PageDown \
         F1 F2 F3 F4 F5 F6 F8 F10"
    );
    for name in &names {
        let key = script_key(name).expect(name);
        assert_eq!(key.script_name().as_deref(), Some(name.as_str()));
    }
    assert_eq!(script_key("Return"), None);
    assert_eq!(script_key("enter"), None);
}

#[test]
fn plain_words_belong_to_one_row_and_the_help_names_them() {
    let ui = ui();
    let mut seen: Vec<&str> = Vec::new();
    for row in TABLE {
        for word in row.words {
            assert!(!seen.contains(word), "`{word}` is on two rows");
            assert_eq!(
                word.to_lowercase(),
                *word,
                "plain mode lower-cases what it reads"
            );
            seen.push(word);
        }
    }
    // The commands that work at every prompt are in `plain_help`, in both languages.
    for row in TABLE.iter().filter(|r| {
        matches!(
            r.action,
            Action::Help | Action::Back | Action::Quit | Action::SwitchLang
        ) || matches!(
            r.action,
            Action::ToggleLog | Action::ToggleAgent | Action::Note
        )
    }) {
        let Some(word) = row.words.first() else {
            continue;
        };
        for lang in [Lang::Zh, Lang::En] {
            let help = ui.plain_help.get(lang);
            assert!(
                help.lines()
                    .any(|l| l.trim_start().starts_with(&format!("{word} "))),
                "plain_help ({lang:?}) does not name `{word}`"
            );
        }
    }
    assert!(matches!(plain_command("帮助"), Some(Action::Help)));
    assert!(matches!(plain_command("exit"), Some(Action::Quit)));
    assert!(matches!(plain_command("重发"), Some(Action::Resend)));
    assert!(plain_command("r").is_none(), "repeat is plain mode's own");
}

#[test]
fn the_help_lists_every_line_with_its_keys_in_a_column() {
    let ui = ui();
    assert_eq!(
        help_lines(&ui, Lang::En, false, false).join("\n"),
        "\
↑/↓ or k/j   move
Enter        choose / continue
1-9          take the choice of that number, go on
Esc          back one step (answers are kept)
Space        tick / untick
Tab          next field (Shift-Tab: previous)
PgUp/PgDn    scroll long text
e            on an end screen: save a receipt
? or F1      this help, on and off
F2           switch 中文 / English
F3 or l      show / hide the progress log
F4 or a      agent panel: what to say and ask here
F6           write a note on any step, kept in the case's log
F8           on the worklist: archive a finished case (press twice to confirm)
F10          in a case: save it and go back to the start page
Ctrl-C or q  quit (the case is already saved)"
    );
    assert_eq!(
        help_lines(&ui, Lang::Zh, false, false).join("\n"),
        "\
↑/↓ 或 k/j   上下移动
Enter        选择 / 继续
1-9          选这个编号的一项并继续
Esc          返回上一步（已填的内容会保留）
空格         勾选 / 取消勾选
Tab          下一个输入栏（Shift-Tab 上一个）
PgUp/PgDn    滚动长文字
e            结束页上：保存回执
? 或 F1      打开/关闭本帮助
F2           切换中文 / English
F3 或 l      显示/隐藏操作记录
F4 或 a      坐席面板：这一步该说什么、问什么
F6           在任何一步写一条备注，记进这条记录
F8           工作列表里：把已结束的记录归档（按两次确认）
F10          在记录里：保存它，回到首页接待下一位
Ctrl-C 或 q  退出（记录已自动保存）"
    );
}

/// The help names only what can act in this session: the demo phone's F5 in a demo, the
/// receipt's `e` outside one.
#[test]
fn the_help_names_the_demo_phone_only_in_a_demo_and_the_receipt_only_outside_one() {
    let ui = ui();
    for lang in [Lang::En, Lang::Zh] {
        let resend = HelpLine::Resend.text(&ui).get(lang);
        let export = HelpLine::Export.text(&ui).get(lang);
        let real = help_lines(&ui, lang, false, false);
        let demo = help_lines(&ui, lang, false, true);
        assert!(!real.iter().any(|l| l.ends_with(resend)), "{real:#?}");
        assert!(real.iter().any(|l| l.ends_with(export)), "{real:#?}");
        assert!(
            demo.iter()
                .any(|l| l.starts_with("F5") && l.ends_with(resend)),
            "{demo:#?}"
        );
        assert!(!demo.iter().any(|l| l.ends_with(export)), "{demo:#?}");
        // Everything else is the same list.
        assert_eq!(real.len(), demo.len());
    }
}

#[test]
fn every_footer_hint_has_a_help_line() {
    // A key the footer offers is explained in the help, except typing the demo code.
    for row in TABLE.iter().filter(|r| r.hint.is_some()) {
        assert!(
            row.help.is_some() || row.keys == [Key::Digit],
            "{:?} is in the footer but not in the help",
            row.keys
        );
    }
}

fn cx(place: Place) -> Context {
    Context {
        place,
        text_focus: false,
        case_open: true,
        demo: false,
        rows: 3,
        code: false,
        resend: false,
        undo: false,
        kiosk: false,
        archivable: false,
        searched: false,
    }
}

fn labels(cx: &Context) -> Vec<String> {
    footer(cx).iter().map(Entry::label).collect()
}

#[test]
fn the_footer_shows_the_shortest_key_that_works_and_arrows_together() {
    assert_eq!(
        labels(&cx(Place::Checklist)),
        [
            "↑↓", "Space", "Enter", "Esc", "?", "F2", "q", "l", "a", "F6"
        ]
    );
    let focus = Context {
        text_focus: true,
        ..cx(Place::Note)
    };
    assert_eq!(
        labels(&focus),
        ["Enter", "Esc", "F1", "F2", "Ctrl-C", "F3", "F4", "F6"]
    );
    assert_eq!(labels(&cx(Place::Help)), ["Esc ?", "F2"]);
    assert_eq!(labels(&cx(Place::TooSmall)), ["F2", "q"]);
}

fn hints(cx: &Context) -> Vec<(String, Hint)> {
    footer(cx).iter().map(|e| (e.label(), e.hint)).collect()
}

#[test]
fn numbers_choose_where_choices_are_numbered_and_nowhere_else() {
    let choice = cx(Place::Choice);
    assert!(When::Numbered.holds(&choice));
    // With Enter, as one entry: the footer says "Enter 1-9 choose".
    assert_eq!(
        labels(&choice),
        ["↑↓", "Enter 1-9", "Esc", "?", "F2", "q", "l", "a", "F6"]
    );
    for place in [
        Place::Welcome,
        Place::Picker,
        Place::Intro,
        Place::Checklist,
        Place::Amounts,
        Place::Word,
        Place::Note,
        Place::Phone,
        Place::Blocked,
        Place::Outcome,
        Place::Help,
        Place::TooSmall,
    ] {
        assert!(!When::Numbered.holds(&cx(place)), "{place:?}");
        assert!(
            !labels(&cx(place)).iter().any(|l| l.contains("1-9")),
            "{place:?}"
        );
    }
    assert!(!When::Numbered.holds(&Context { rows: 0, ..choice }));
    // The help names the keys.
    let ui = ui();
    assert!(
        help_lines(&ui, Lang::En, false, false)
            .iter()
            .any(|l| l.starts_with("1-9 ") && l.contains("choice of that number"))
    );
}

#[test]
fn esc_on_an_end_goes_back_when_it_can_and_to_the_start_page_when_it_cannot() {
    // Reached in this session: Esc goes back (and says so); Enter goes home.
    let now = Context {
        undo: true,
        ..cx(Place::Outcome)
    };
    let entries = hints(&now);
    assert!(entries.contains(&("Esc".into(), Hint::Back)), "{entries:?}");
    assert!(
        entries.contains(&("Enter".into(), Hint::Home)),
        "{entries:?}"
    );
    assert!(When::Back.holds(&now) && !When::EndBack.holds(&now));
    // Ended before this session: Esc leaves it as it is, for the start page.
    let before = cx(Place::Outcome);
    let entries = hints(&before);
    assert!(entries.contains(&("Esc".into(), Hint::Home)), "{entries:?}");
    assert!(!When::Back.holds(&before) && When::EndBack.holds(&before));
}

/// Every key a visitor could try to leave with: quitting, end of input, suspend, SIGQUIT's
/// key, Esc, and every other Ctrl and character key.
fn escape_attempts() -> Vec<Key> {
    let mut keys = vec![
        Key::Char('q'),
        Key::Char('Q'),
        Key::Ctrl('c'),
        Key::Ctrl('d'),
        Key::Ctrl('z'),
        Key::Ctrl('\\'),
        Key::Ctrl('4'),
        Key::Esc,
    ];
    keys.extend(('a'..='z').map(Key::Ctrl));
    keys.extend((' '..='~').map(Key::Char));
    keys.extend((1..=12).map(Key::F));
    keys
}

#[test]
fn on_a_kiosk_no_key_quits_or_opens_the_agent_panel() {
    for key in escape_attempts() {
        for focus in [false, true] {
            let sent = sends_in(key, focus, true);
            assert!(
                !matches!(sent, Some(Action::Quit | Action::ToggleAgent)),
                "{key:?} (field: {focus}) sends {sent:?} on a kiosk"
            );
        }
        let toured = tour_key(key, true);
        assert!(
            !matches!(toured, Some(Action::Quit)),
            "{key:?} quits a tour on a kiosk"
        );
    }
    // The same keys at a staffed terminal: the rows are there, only gone on a kiosk.
    assert!(matches!(
        sends_in(Key::Char('q'), false, false),
        Some(Action::Quit)
    ));
    assert!(matches!(
        sends_in(Key::Ctrl('c'), true, false),
        Some(Action::Quit)
    ));
    assert!(matches!(
        sends_in(Key::Char('a'), false, false),
        Some(Action::ToggleAgent)
    ));
    // The receipt writes a file into the data dir and names its path: staff's. On a kiosk
    // `e` sends nothing and the end screen's footer does not offer it.
    assert!(matches!(
        sends_in(Key::Char('e'), false, false),
        Some(Action::Export)
    ));
    assert!(sends_in(Key::Char('e'), false, true).is_none());
    let outcome = Context {
        kiosk: true,
        ..cx(Place::Outcome)
    };
    assert!(labels(&cx(Place::Outcome)).iter().any(|l| l == "e"));
    assert!(
        !labels(&outcome).iter().any(|l| l == "e"),
        "{:?}",
        labels(&outcome)
    );
    // A visitor's own keys still act: the log of their case, help, the language.
    assert!(matches!(
        sends_in(Key::Char('l'), false, true),
        Some(Action::ToggleLog)
    ));
    assert!(matches!(
        sends_in(Key::Char('?'), false, true),
        Some(Action::Help)
    ));
    assert!(matches!(
        sends_in(Key::F(2), false, true),
        Some(Action::SwitchLang)
    ));
    assert!(matches!(
        tour_key(Key::F(2), true),
        Some(Action::SwitchLang)
    ));
    // In a field q is still typed.
    assert!(matches!(
        sends_in(Key::Char('q'), true, true),
        Some(Action::Edit(InputRequest::InsertChar('q')))
    ));
}

#[test]
fn on_a_kiosk_the_footer_and_help_name_no_staff_key() {
    let ui = Content::builtin().unwrap().ui;
    let places = [
        Place::TooSmall,
        Place::Help,
        Place::Welcome,
        Place::Picker,
        Place::Intro,
        Place::Checklist,
        Place::Choice,
        Place::Amounts,
        Place::Word,
        Place::Note,
        Place::Phone,
        Place::Blocked,
        Place::Outcome,
        Place::Gone,
    ];
    for place in places {
        let kiosk = Context {
            kiosk: true,
            ..cx(place)
        };
        for entry in footer(&kiosk) {
            assert!(
                !matches!(entry.hint, Hint::Quit | Hint::Agent),
                "{place:?}: the kiosk footer shows {}",
                entry.label()
            );
        }
    }
    assert!(labels(&cx(Place::Intro)).iter().any(|l| l == "q"));
    for lang in [Lang::En, Lang::Zh] {
        let staff = help_lines(&ui, lang, false, false);
        let kiosk = help_lines(&ui, lang, true, false);
        let quit = HelpLine::Quit.text(&ui).get(lang);
        let agent = HelpLine::Agent.text(&ui).get(lang);
        assert!(staff.iter().any(|l| l.ends_with(quit)));
        assert!(
            !kiosk
                .iter()
                .any(|l| l.ends_with(quit) || l.ends_with(agent)),
            "{kiosk:#?}"
        );
        let export = HelpLine::Export.text(&ui).get(lang);
        assert!(staff.iter().any(|l| l.ends_with(export)));
        assert!(!kiosk.iter().any(|l| l.ends_with(export)), "{kiosk:#?}");
        // Quitting, the agent panel, the receipt, notes and archiving are staff keys: a
        // visitor's note would land in a case staff read as theirs.
        assert_eq!(kiosk.len(), staff.len() - 5, "{kiosk:#?}");
    }
}

#[test]
fn the_note_key_is_f6_on_every_step_typed_or_not_and_its_field_keeps_or_drops() {
    // An F-key: it is never typed, so it works in a text field as outside one.
    for focus in [false, true] {
        assert!(matches!(sends(Key::F(6), focus), Some(Action::Note)));
    }
    let steps = [
        Place::Intro,
        Place::Checklist,
        Place::Choice,
        Place::Amounts,
        Place::Word,
        Place::Note,
        Place::Phone,
        Place::Blocked,
        Place::Outcome,
    ];
    for place in steps {
        for text_focus in [false, true] {
            let here = Context {
                text_focus,
                ..cx(place)
            };
            let entries = footer(&here);
            assert!(
                entries
                    .iter()
                    .any(|e| e.hint == Hint::Note && e.label() == "F6"),
                "no F6 note on {place:?}: {:?}",
                labels(&here)
            );
        }
    }
    for place in [
        Place::Welcome,
        Place::Picker,
        Place::Help,
        Place::TooSmall,
        Place::Gone,
    ] {
        assert!(
            !footer(&cx(place)).iter().any(|e| e.hint == Hint::Note),
            "F6 offered on {place:?}"
        );
    }
    // The field open: Enter keeps, Esc drops; no step key, no second F6.
    let jotting = Context {
        text_focus: true,
        ..cx(Place::Jotting)
    };
    assert_eq!(
        hints(&jotting),
        [
            ("Enter".to_owned(), Hint::KeepNote),
            ("Esc".to_owned(), Hint::DropNote),
            ("F1".to_owned(), Hint::Help),
            ("F2".to_owned(), Hint::Lang),
            ("Ctrl-C".to_owned(), Hint::Quit),
            ("F3".to_owned(), Hint::Log),
            ("F4".to_owned(), Hint::Agent),
        ]
    );
    let ui = ui();
    assert_eq!(ui.act_keep_note.en, "keep note");
    // The help names it in both languages; plain mode's words are the row's.
    let en = help_lines(&ui, Lang::En, false, false);
    assert!(
        en.iter().any(|l| l.starts_with("F6 ")
            && l.ends_with("write a note on any step, kept in the case's log")),
        "{en:#?}"
    );
    let zh = help_lines(&ui, Lang::Zh, false, false);
    assert!(
        zh.iter()
            .any(|l| l.starts_with("F6 ") && l.contains("备注")),
        "{zh:#?}"
    );
    assert!(matches!(plain_command("note"), Some(Action::Note)));
    assert!(matches!(plain_command("备注"), Some(Action::Note)));
}
