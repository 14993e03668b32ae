//! A content directory of N products for measuring `xiaohu --content DIR` and
//! `xiaohu check DIR` by hand (docs/PERFORMANCE.md): each product file is a built-in one
//! under a new id (`weilidai-17`), as `benches/content.rs` loads them, so every product has
//! the size and shape of a real one (10,000 of them are 269 MB of TOML).
//!
//! `cargo run --release --example catalogue -- DIR [N]` (N: 10,000 unless given), then e.g.
//! `python3 benches/startup.py --content DIR`.

use std::fs;
use std::path::Path;

use xiaohu::content::builtin;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: catalogue DIR [N]");
        std::process::exit(2);
    };
    let n: usize = args
        .next()
        .map_or(10_000, |n| n.parse().expect("N is a number"));
    let products = Path::new(&dir).join("products");
    fs::create_dir_all(&products).expect("the products folder");
    for i in 0..n {
        let (name, text) = builtin::numbered(i);
        fs::write(products.join(name), text).expect("a product file");
    }
    println!("{n} products in {}", products.display());
}
