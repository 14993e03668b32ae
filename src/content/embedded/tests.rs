//! The form gives back exactly what loading the TOML gives (that it is the file in the tree
//! is `tests/forms.rs`'s check, which needs the disk).

use super::*;
use crate::content::{Lang, builtin};

fn loaded() -> Content {
    Content::load(builtin::sources()).expect("the built-in content is valid")
}

#[test]
fn the_form_gives_what_loading_the_toml_gives() {
    let from_form = content().expect("the form is of these sources");
    let from_toml = loaded();
    assert_eq!(format!("{:?}", from_form.ui), format!("{:?}", from_toml.ui));
    assert_eq!(
        format!("{:?}", from_form.ui_cancel()),
        format!("{:?}", from_toml.ui_cancel())
    );
    assert_eq!(from_form.calendar.to_bits(), from_toml.calendar.to_bits());
    assert_eq!(from_form.products.len(), from_toml.products.len());
    for (a, b) in from_form.products.iter().zip(&from_toml.products) {
        assert_eq!(a.path, b.path);
        assert_eq!(a.id(), b.id());
        assert_eq!(a.info.closing, b.info.closing);
        assert_eq!(
            toml::to_string(&a.info).unwrap(),
            toml::to_string(&b.info).unwrap(),
            "{}",
            a.id()
        );
        // What a saved case is checked against: a case begun on either stays current.
        assert_eq!(a.fingerprint(), b.fingerprint(), "{}", a.id());
        assert_eq!(format!("{:?}", a.steps()), format!("{:?}", b.steps()));
        for s in b.steps() {
            assert_eq!(a.step_fingerprint(s.id()), b.step_fingerprint(s.id()));
            assert_eq!(a.position(s.id()), b.position(s.id()));
        }
    }
    for lang in [Lang::Zh, Lang::En] {
        assert_eq!(from_form.welcome_intro(lang), from_toml.welcome_intro(lang));
    }
}

#[test]
fn a_form_of_other_sources_is_not_used() {
    assert!(content_of(SOURCES_HASH).is_some());
    assert!(content_of(SOURCES_HASH ^ 1).is_none());
}

#[test]
fn any_change_to_the_sources_changes_their_hash() {
    let hash = |ui: (&str, &str), products: &[(&str, &str)]| {
        let mut h = file_hash(FNV_OFFSET, ui);
        for p in products {
            h = file_hash(h, *p);
        }
        h
    };
    let base = hash(
        ("ui.toml", "a = 1"),
        &[("p/x.toml", "b"), ("p/y.toml", "c")],
    );
    assert_eq!(
        base,
        hash(
            ("ui.toml", "a = 1"),
            &[("p/x.toml", "b"), ("p/y.toml", "c")]
        )
    );
    for other in [
        hash(
            ("ui.toml", "a = 2"),
            &[("p/x.toml", "b"), ("p/y.toml", "c")],
        ),
        hash(
            ("ui.toml", "a = 1"),
            &[("p/z.toml", "b"), ("p/y.toml", "c")],
        ),
        hash(
            ("ui.toml", "a = 1"),
            &[("p/x.toml", "bc"), ("p/y.toml", "")],
        ),
        hash(("ui.toml", "a = 1"), &[("p/x.toml", "b")]),
    ] {
        assert_ne!(base, other);
    }
}

#[test]
fn a_table_of_other_names_gives_no_strings() {
    let from_toml = loaded();
    // The form's strings are the binary's own; these are made 'static the only way a
    // test can, by leaking them.
    let rows: Vec<[&'static str; 3]> = from_toml
        .ui
        .all()
        .into_iter()
        .map(|(k, t)| [k, t.zh.to_string().leak(), t.en.to_string().leak()])
        .collect();
    assert!(UiStrings::from_table(&rows).is_some());
    let mut swapped = rows.clone();
    swapped.swap(0, 1);
    assert!(UiStrings::from_table(&swapped).is_none());
    assert!(UiStrings::from_table(&rows[1..]).is_none());
}

#[test]
fn changes_past_the_last_string_give_no_strings() {
    let ui = loaded().ui;
    let last = ui.all().len() - 1;
    let changed = ui.with_changes(&[(last, "末", "last")]).unwrap();
    assert_eq!(changed.all()[last].1.en, "last");
    assert_eq!(changed.all()[0].1, ui.all()[0].1);
    assert!(ui.with_changes(&[(last + 1, "末", "last")]).is_none());
}
