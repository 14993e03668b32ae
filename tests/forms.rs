//! The generated forms of the built-in assets (`src/content/embedded/form.rs`,
//! `src/ui/theme/form.rs`) are what their sources give, made by xiaohu's own loader and
//! validator. A stale form is never used by the binary (it reads the TOML instead, more
//! slowly), but it is refused here, so what ships is always the fast path.
//!
//! After changing the built-in content, the UI strings or a theme:
//! `XIAOHU_BLESS=1 cargo test --test forms`, then the tests again.

use std::path::Path;

#[test]
fn the_generated_forms_in_the_tree_are_what_their_sources_give() {
    let forms = [
        (
            xiaohu::content::embedded::FORM_PATH,
            xiaohu::content::embedded::form_source(),
        ),
        (
            xiaohu::ui::theme::FORM_PATH,
            xiaohu::ui::theme::form_source(),
        ),
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("XIAOHU_BLESS").is_some();
    let mut stale = Vec::new();
    for (path, made) in forms {
        let file = root.join(path);
        if bless {
            std::fs::write(&file, &made).expect("write the form");
            continue;
        }
        let in_tree = std::fs::read_to_string(&file).expect("read the form");
        if in_tree != made {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} not what their sources give: run `XIAOHU_BLESS=1 cargo test --test forms` \
         (until then the binary parses those sources at start-up, which is slower)"
    );
}
