//! A case file is parsed once when sound; a file that is not is explained by its schema.
//! (The store reads the text a second time only on failure: these pin that the reasons
//! stay what they were when it always read it twice.)

use std::fs;

use xiaohu::content::{Content, Lang};
use xiaohu::store::{Store, StoreError};
use xiaohu::wizard::{Action, Effect, Model, update};

fn saved_case(store: &Store) -> (String, std::path::PathBuf) {
    let content = Content::builtin().unwrap();
    let mut model = Model::new(Lang::En, false);
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-20T09:30:00+08:00").unwrap();
    let fx = update(
        &mut model,
        &content,
        Action::StartProduct("weilidai".into()),
        now,
    );
    let Some(Effect::Save(case)) = fx.into_iter().next() else {
        panic!("starting a case asks for a save");
    };
    let path = store.create(&case).unwrap();
    (case.id.to_string(), path)
}

fn rewrite(path: &std::path::Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{text}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_sound_file_loads() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (id, _) = saved_case(&store);
    assert_eq!(store.load(&id).unwrap().id, id);
}

#[test]
fn a_newer_schema_is_refused_even_when_the_rest_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (id, path) = saved_case(&store);
    rewrite(&path, "schema = 1", "schema = 7\nnew_field = true");
    assert!(matches!(
        store.load(&id),
        Err(StoreError::Newer { found: 7, .. })
    ));
}

#[test]
fn an_older_or_missing_schema_is_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (id, path) = saved_case(&store);
    let original = fs::read_to_string(&path).unwrap();
    rewrite(&path, "schema = 1", "schema = 0");
    match store.load(&id) {
        Err(StoreError::Damaged { message, .. }) => assert!(message.contains("older"), "{message}"),
        other => panic!("{other:?}"),
    }
    fs::write(&path, original.replacen("schema = 1\n", "", 1)).unwrap();
    match store.load(&id) {
        Err(StoreError::Damaged { message, .. }) => {
            assert!(message.contains("no `schema`"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_that_is_not_toml_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (id, path) = saved_case(&store);
    fs::write(&path, "schema = 1\nid = [unclosed").unwrap();
    assert!(matches!(store.load(&id), Err(StoreError::Damaged { .. })));
}
