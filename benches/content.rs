//! Content scale (docs/PERFORMANCE.md, issue 5 item 3): load + validate 10 … 10,000
//! products through `Content::load` (sources in memory, every product's steps kept: the
//! built-in `xiaohu check`), and a folder of 1,000 and 10,000 product files through
//! `content_dir::load`, the path of `xiaohu --content DIR` and `xiaohu check DIR` on their
//! first run (every file read and checked, only each product's header kept).
//!
//! The products are the seven built-in ones (9–15 KB, 14–18 steps each, zh + en) copied
//! under new ids, so every generated product has the size and shape of a real one.
//!
//! `cargo bench --bench content`

use std::hint::black_box;

use xiaohu::content::{Content, SourceFile, Sources, builtin};

fn main() {
    divan::main();
}

/// `n` products, each a built-in product file under a new id (`weilidai-17`).
fn generated(n: usize) -> Sources {
    let mut sources = builtin::sources();
    sources.products = (0..n)
        .map(|i| {
            let (name, text) = builtin::numbered(i);
            SourceFile {
                path: format!("products/{name}"),
                text,
            }
        })
        .collect();
    sources
}

#[divan::bench(args = [10, 100, 1_000, 10_000], sample_size = 1, sample_count = 20)]
fn load(bencher: divan::Bencher, n: usize) {
    let sources = generated(n);
    // Generated content must load: a benchmark of the error path would flatter the figures.
    let content = Content::load(sources.clone()).expect("generated content is valid");
    assert_eq!(content.products.len(), n);
    drop(content);
    bencher
        .with_inputs(|| sources.clone())
        .bench_local_values(|s| black_box(Content::load(s)));
}

/// A content folder of `n` product files on disk, read and checked as a first start does
/// (no record of checked files: every file is parsed and validated).
#[divan::bench(args = [1_000, 10_000], sample_size = 1, sample_count = 10)]
fn load_dir(bencher: divan::Bencher, n: usize) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let products = dir.path().join("products");
    std::fs::create_dir(&products).expect("the products folder");
    for i in 0..n {
        let (name, text) = builtin::numbered(i);
        std::fs::write(products.join(name), text).expect("a product file");
    }
    let content = xiaohu::content_dir::load(dir.path(), None).expect("the folder is valid");
    assert_eq!(content.products.len(), n);
    drop(content);
    bencher.bench_local(|| black_box(xiaohu::content_dir::load(dir.path(), None)));
}

/// The built-in content, as the binary loads it before its first frame.
#[divan::bench]
fn builtin_content() -> Content {
    Content::builtin().unwrap()
}

/// Finding a case's product by id in a catalogue of `n`, as every frame of a case does
/// (its strings, its steps): the last one in the list's order, the far end of a scan.
#[divan::bench(args = [7, 10_000])]
fn product_by_id(bencher: divan::Bencher, n: usize) {
    let content = Content::load(generated(n)).expect("generated content is valid");
    let last = content.products.last().unwrap().id().to_owned();
    bencher.bench_local(|| black_box(content.product(black_box(&last))).is_some());
}

/// Where one product's load goes, on the largest built-in file (huabei, 15 KB, 18 steps).
mod stages {
    use super::*;
    use xiaohu::content::schema::ProductFile;
    use xiaohu::content::validate::validate_product;

    fn huabei() -> (&'static str, &'static str) {
        builtin::PRODUCTS
            .iter()
            .copied()
            .find(|(p, _)| p.ends_with("huabei.toml"))
            .unwrap()
    }

    #[divan::bench]
    fn parse(bencher: divan::Bencher) {
        let (_, text) = huabei();
        bencher.bench_local(|| toml::from_str::<ProductFile>(black_box(text)).unwrap());
    }

    /// Where `parse`'s time goes: the TOML parser's own table of the file (dropped, as
    /// `parse` drops it), and that table read into the typed schema.
    #[divan::bench]
    fn toml_table(bencher: divan::Bencher) {
        let (_, text) = huabei();
        bencher.bench_local(|| drop(toml::de::DeTable::parse(black_box(text)).unwrap()));
    }

    #[divan::bench]
    fn toml_table_then_typed(bencher: divan::Bencher) {
        use serde::Deserialize;
        let (_, text) = huabei();
        bencher.bench_local(|| {
            let table = toml::de::DeTable::parse(black_box(text)).unwrap();
            ProductFile::deserialize(toml::de::Deserializer::from(table)).unwrap()
        });
    }

    #[divan::bench]
    fn validate(bencher: divan::Bencher) {
        let (path, text) = huabei();
        let file: ProductFile = toml::from_str(text).unwrap();
        let spans = xiaohu::content::validate::Spans::of(text);
        bencher.bench_local(|| validate_product(path, text, &spans, black_box(&file)));
    }

    /// The text the fingerprints hash: each step, then the product, serialized again.
    #[divan::bench]
    fn fingerprint_text(bencher: divan::Bencher) {
        let (_, text) = huabei();
        let file: ProductFile = toml::from_str(text).unwrap();
        bencher.bench_local(|| {
            let steps: Vec<String> = file
                .steps
                .iter()
                .map(|s| toml::to_string(s.get_ref()).unwrap())
                .collect();
            (toml::to_string(&file.product).unwrap(), steps)
        });
    }

    #[divan::bench]
    fn ui_strings(bencher: divan::Bencher) {
        let (path, text) = builtin::UI;
        bencher.bench_local(|| xiaohu::content::UiStrings::parse(path, black_box(text)).unwrap());
    }

    #[divan::bench]
    fn calendar(bencher: divan::Bencher) {
        let (path, text) = builtin::CALENDAR;
        bencher.bench_local(|| {
            xiaohu::calendar::HolidayCalendar::parse(path, black_box(text)).unwrap()
        });
    }
}
