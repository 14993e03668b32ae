//! A content directory on disk, loaded with and without the record of checked files.

use std::fs;
use std::os::unix::fs::FileTypeExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::*;
use crate::content::builtin;

/// A content directory with two built-in products, and a private data dir for the record.
struct Desk {
    _tmp: tempfile::TempDir,
    content: PathBuf,
    data: PathBuf,
}

impl Desk {
    fn new() -> Desk {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        fs::create_dir_all(content.join("products")).unwrap();
        for (path, text) in &builtin::PRODUCTS[..2] {
            let name = Path::new(path).file_name().unwrap();
            fs::write(content.join("products").join(name), text).unwrap();
        }
        let data = tmp.path().join("data");
        Desk {
            _tmp: tmp,
            content,
            data,
        }
    }

    fn product(&self, id: &str) -> PathBuf {
        self.content.join("products").join(format!("{id}.toml"))
    }

    fn records(&self) -> Option<Records<'_>> {
        Some(Records {
            dir: &self.data,
            write: true,
        })
    }

    /// A load as if the files had been written a minute ago, so they are settled.
    fn load(&self) -> Result<Content, Vec<Diagnostic>> {
        load_at(&self.content, self.records(), later())
    }

    fn record(&self) -> Option<String> {
        fs::read_to_string(checked::record_path(&self.data)).ok()
    }
}

fn later() -> SystemTime {
    SystemTime::now() + Duration::from_secs(60)
}

fn first_step(content: &Content, id: &str) -> String {
    content.product(id).unwrap().first_step().id().to_owned()
}

#[test]
fn a_file_checked_before_and_unchanged_is_read_only_when_opened() {
    let desk = Desk::new();
    let first = desk.load().unwrap();
    assert_eq!(first.products.len(), 2);
    let record = desk.record().expect("the first load keeps a record");
    assert!(record.contains("\"weilidai.toml\"") && record.contains("\"huabei.toml\""));

    let second = desk.load().unwrap();
    let names: Vec<&str> = second.products.iter().map(|p| &*p.info.name.zh).collect();
    assert_eq!(names, ["微粒贷", "花呗"]);
    // Gone after the load: the list still has it from its record, and opening it says the
    // file is not the one checked, so it was not read at the load.
    fs::remove_file(desk.product("weilidai")).unwrap();
    assert_eq!(first_step(&second, "weilidai"), "not-as-checked");
    // Nor are the steps of a file checked at the load held: they too are read, and
    // checked again, when the product is opened.
    assert_eq!(first_step(&first, "weilidai"), "not-as-checked");
    assert_ne!(first_step(&second, "huabei"), "not-as-checked");
}

#[test]
fn a_file_edited_after_the_start_is_checked_again_when_opened() {
    let desk = Desk::new();
    let content = desk.load().unwrap();
    let path = desk.product("huabei");
    let text = fs::read_to_string(&path).unwrap();
    // Still valid, with another first step: that is what is opened.
    let renamed = text.replacen("id = \"intro\"", "id = \"renamed-first\"", 1);
    assert_ne!(renamed, text);
    fs::write(&path, &renamed).unwrap();
    assert_eq!(first_step(&content, "huabei"), "renamed-first");
    // Broken after the start, it is not followed.
    let content = desk.load().unwrap();
    assert_eq!(first_step(&content, "weilidai"), "intro");
    fs::write(
        &path,
        text.replacen("kind = \"intro\"", "kind = \"intrx\"", 1),
    )
    .unwrap();
    assert_eq!(first_step(&content, "huabei"), "not-as-checked");
}

#[test]
fn an_edited_file_is_checked_again() {
    let desk = Desk::new();
    desk.load().unwrap();
    // The same size, in place: only the times and the bytes tell.
    let path = desk.product("huabei");
    let text = fs::read_to_string(&path).unwrap();
    let broken = text.replacen("kind = \"intro\"", "kind = \"intrx\"", 1);
    assert_eq!(broken.len(), text.len());
    fs::write(&path, &broken).unwrap();
    let errors = desk.load().expect_err("the edit is seen");
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        shown
            .iter()
            .any(|e| e.contains("huabei.toml:") && e.contains("intrx")),
        "{shown:?}"
    );
    // Fixed again, it loads.
    fs::write(&path, &text).unwrap();
    assert!(desk.load().is_ok());
}

#[test]
fn a_file_changed_a_moment_ago_is_not_recorded() {
    let desk = Desk::new();
    // Now, not a minute on: both files were written within the file system's clock step.
    load_at(&desk.content, desk.records(), SystemTime::now()).unwrap();
    let record = desk.record().unwrap_or_default();
    assert!(!record.contains("huabei.toml"), "{record}");
}

#[test]
fn a_record_of_another_program_or_folder_or_format_is_not_believed() {
    let forgeries: [fn(&str) -> String; 5] = [
        // Another build of xiaohu wrote it: its checks may differ.
        |good| good.replacen("\"program\":[", "\"program\":[1", 1),
        |good| good.replacen("\"v\":1", "\"v\":2", 1),
        |good| good.replacen("\"content\":\"", "\"content\":\"/elsewhere", 1),
        |good| good[..good.len() / 2].to_owned(),
        |_| "\u{1b}[2J garbage".to_owned(),
    ];
    for forge in forgeries {
        let desk = Desk::new();
        desk.load().unwrap();
        let good = desk.record().unwrap();
        // A record that is believed gives the list its name: the file is not read.
        fs::write(checked::record_path(&desk.data), renamed(&good)).unwrap();
        assert_eq!(listed_name(&desk.load().unwrap()), "伪造");
        let forged = forge(&renamed(&good));
        assert_ne!(forged, renamed(&good));
        fs::write(checked::record_path(&desk.data), &forged).unwrap();
        let content = desk.load().unwrap();
        assert_eq!(listed_name(&content), "微粒贷", "{forged}");
        // And it was made good again.
        assert_eq!(desk.record().as_deref(), Some(good.as_str()), "{forged}");
    }
}

/// A record whose entry for 微粒贷 gives it another name (as the file cannot: only a
/// record that is believed puts it in the list).
fn renamed(record: &str) -> String {
    let forged = record.replacen("\"zh\":\"微粒贷\"", "\"zh\":\"伪造\"", 1);
    assert_ne!(forged, record);
    forged
}

fn listed_name(content: &Content) -> String {
    content
        .product("weilidai")
        .unwrap()
        .info
        .name
        .zh
        .to_string()
}

#[test]
fn a_forged_entry_shows_no_terminal_command_and_is_not_followed() {
    let desk = Desk::new();
    desk.load().unwrap();
    let good = desk.record().unwrap();
    let forged = good.replacen(
        "\"zh\":\"微粒贷\"",
        "\"zh\":\"微粒贷\\u001b]0;owned\\u0007\"",
        1,
    );
    assert_ne!(forged, good);
    fs::write(checked::record_path(&desk.data), &forged).unwrap();
    let content = desk.load().unwrap();
    assert_eq!(content.product("weilidai").unwrap().info.name.zh, "微粒贷");
}

#[test]
fn a_forged_name_longer_than_its_file_is_not_believed() {
    let desk = Desk::new();
    desk.load().unwrap();
    let good = desk.record().unwrap();
    let long = format!("\"zh\":\"{}\"", "微".repeat(400_000));
    let forged = good.replacen("\"zh\":\"微粒贷\"", &long, 1);
    assert_ne!(forged, good);
    fs::write(checked::record_path(&desk.data), &forged).unwrap();
    let content = desk.load().unwrap();
    assert_eq!(content.product("weilidai").unwrap().info.name.zh, "微粒贷");
}

#[test]
fn a_link_or_fifo_at_the_record_is_never_followed_or_replaced() {
    let desk = Desk::new();
    desk.load().unwrap();
    let record = checked::record_path(&desk.data);
    let outside = desk.data.parent().unwrap().join("precious.txt");
    fs::write(&outside, "keep me").unwrap();
    fs::remove_file(&record).unwrap();
    std::os::unix::fs::symlink(&outside, &record).unwrap();
    desk.load().unwrap();
    assert_eq!(fs::read_to_string(&outside).unwrap(), "keep me");
    assert!(
        fs::symlink_metadata(&record)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    fs::remove_file(&record).unwrap();
    let fifo = std::ffi::CString::new(record.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string; mkfifo only makes a file.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    // Neither blocks on it nor replaces it.
    desk.load().unwrap();
    assert!(fs::symlink_metadata(&record).unwrap().file_type().is_fifo());
}

#[test]
fn a_run_that_writes_nothing_keeps_no_record() {
    let desk = Desk::new();
    let read_only = Some(Records {
        dir: &desk.data,
        write: false,
    });
    load_at(&desk.content, read_only, later()).unwrap();
    assert!(!desk.data.exists(), "a demo made the data dir");
}

#[test]
fn a_data_dir_others_may_write_in_keeps_no_record() {
    use std::os::unix::fs::PermissionsExt;
    let desk = Desk::new();
    fs::create_dir(&desk.data).unwrap();
    fs::set_permissions(&desk.data, fs::Permissions::from_mode(0o777)).unwrap();
    desk.load().unwrap();
    assert_eq!(desk.record(), None);
    // Nor is one planted there believed.
    fs::set_permissions(&desk.data, fs::Permissions::from_mode(0o700)).unwrap();
    desk.load().unwrap();
    let record = desk.record().unwrap();
    assert!(record.contains("weilidai.toml"));
    fs::write(checked::record_path(&desk.data), renamed(&record)).unwrap();
    assert_eq!(listed_name(&desk.load().unwrap()), "伪造");
    fs::set_permissions(&desk.data, fs::Permissions::from_mode(0o777)).unwrap();
    assert_eq!(listed_name(&desk.load().unwrap()), "微粒贷");
}

#[test]
fn a_record_others_may_write_is_not_believed() {
    use std::os::unix::fs::PermissionsExt;
    let desk = Desk::new();
    desk.load().unwrap();
    let record = checked::record_path(&desk.data);
    fs::write(&record, renamed(&desk.record().unwrap())).unwrap();
    fs::set_permissions(&record, fs::Permissions::from_mode(0o666)).unwrap();
    // Read at the load, not listed on the record's word.
    assert_eq!(listed_name(&desk.load().unwrap()), "微粒贷");
}

#[test]
fn a_file_refused_when_opened_and_fixed_since_is_followed_on_the_next_open() {
    let desk = Desk::new();
    let content = desk.load().unwrap();
    let path = desk.product("huabei");
    let good = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        good.replacen("kind = \"intro\"", "kind = \"intrx\"", 1),
    )
    .unwrap();
    let huabei = content.product("huabei").unwrap();
    assert!(!huabei.usable());
    assert_eq!(huabei.first_step().id(), "not-as-checked");
    // Still broken: refused again, and a frame asking for its steps does not read it.
    assert!(!huabei.usable());
    fs::write(&path, &good).unwrap();
    assert_eq!(huabei.first_step().id(), "not-as-checked");
    // Fixed: the next attempt to open it reads it again and follows it.
    assert!(huabei.usable());
    assert_eq!(huabei.first_step().id(), "intro");
    // Once followed, its steps stay those of this start.
    fs::remove_file(&path).unwrap();
    assert!(huabei.usable());
}

/// Enough files that every core takes some (`read_all`): each result is paired with its
/// own file, in the record and in the list.
#[test]
fn files_read_on_every_core_each_keep_their_own_name() {
    let desk = Desk::new();
    let (_, text) = builtin::PRODUCTS
        .iter()
        .find(|(p, _)| p.ends_with("weilidai.toml"))
        .unwrap();
    for n in 0..40 {
        let id = format!("w{n:02}");
        let own = text.replacen("id = \"weilidai\"", &format!("id = \"{id}\""), 1);
        fs::write(desk.product(&id), own).unwrap();
    }
    fs::remove_file(desk.product("weilidai")).unwrap();
    fs::remove_file(desk.product("huabei")).unwrap();
    let own_names = |content: &Content| {
        for p in &content.products {
            assert!(
                p.path.ends_with(&format!("/{}.toml", p.id())),
                "{} in {}",
                p.id(),
                p.path
            );
        }
        assert_eq!(content.products.len(), 40);
    };
    own_names(&desk.load().unwrap());
    let record: serde_json::Value = serde_json::from_str(&desk.record().unwrap()).unwrap();
    let files = record["files"].as_object().unwrap();
    assert_eq!(files.len(), 40);
    for (name, entry) in files {
        let id = entry["checked"]["product"]["id"].as_str().unwrap();
        assert_eq!(
            name,
            &format!("{id}.toml"),
            "recorded under another file's name"
        );
    }
    // Listed from the record, and each read from its own file when opened.
    let again = desk.load().unwrap();
    own_names(&again);
    assert_eq!(first_step(&again, "w07"), "intro");
}
