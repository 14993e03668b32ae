//! The dependency rule from ARCHITECTURE.md (invariant 1), checked on module paths.
//!
//! Every file under `src/` is parsed with `syn`. Each file is a module (`src/lib.rs` is
//! `crate`, `src/wizard/update/flow.rs` is `crate::wizard::update::flow`, a `mod.rs` is its
//! folder's module, an inline `mod x { }` is one more level; `src/main.rs` is the binary's
//! root, `main`, where `xiaohu::` means the library's `crate::`). Every path a module
//! writes is collected and resolved to an absolute path:
//!
//! - `use` trees, with groups, globs, renames and `self`/`super`/`crate` prefixes;
//! - paths in expressions, types, patterns and attributes (`std::fs::read(..)` in full,
//!   `super::super::app::X`, and names a `use` brought in: after `use chrono::Utc`,
//!   `Utc::now()` is `chrono::Utc::now`, also through `use super::*`);
//! - paths inside macro invocations and `macro_rules!` bodies, found by scanning their
//!   tokens (`format!("{}", std::env::var("X")?)`), and paths in string literals of
//!   attributes (`#[serde(skip_serializing_if = "std::ops::Not::not")]`).
//!
//! A path into the crate is then followed through re-exports (`crate::ui::Theme` is
//! `crate::ui::theme::Theme`), and the rules are checked on both the path as resolved and
//! where it leads. Test modules (`#[cfg(test)] mod tests`) count like any other code: none
//! in the pure layers needs IO today, so none is allowed it; the store's and
//! `regular_file`'s tests use `tempfile` and `libc`, which those layers may use anyway.
//!
//! What this cannot see, so it is ruled out or left alone: `#[path]` on a module (refused
//! below, since the file → module mapping would be wrong), code a derive or other proc
//! macro generates (serde's and clap's expansions), and `include_str!` (compile-time data,
//! not IO at run time). There is no substring fallback: nothing the rules name is out of
//! syn's sight.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use proc_macro2::{Spacing, Span, TokenStream, TokenTree};
use syn::visit::{self, Visit};

// ---------------------------------------------------------------------------------------
// The rules.

/// The pure layers: a function of their inputs, tested with plain values.
const PURE: &[&str] = &[
    "crate::wizard",
    "crate::content",
    "crate::calendar",
    "crate::plain",
    "crate::safe_text",
    "crate::steps",
    "crate::keymap",
];

/// The disk, the environment, the clock, processes, the network and the terminal: what only
/// `app`, `store`, `content_dir`, `regular_file` and `main.rs` touch.
const IO: &[&str] = &[
    "std::fs",
    "std::io",
    "std::env",
    "std::process",
    "std::net",
    "std::os",
    "std::time::SystemTime",
    "std::time::Instant",
    "std::time::UNIX_EPOCH",
    "chrono::Local",
    "chrono::offset::Local",
    "chrono::Utc::now",
    "chrono::offset::Utc::now",
    "libc",
    "signal_hook",
    "tempfile",
    "directories",
];

/// The terminal itself (ratatui's re-export of crossterm and its terminal set-up included);
/// drawing into a `Frame` is not on this list.
const TERMINAL: &[&str] = &[
    "crossterm",
    "ratatui::crossterm",
    "ratatui::backend::CrosstermBackend",
    "ratatui::init",
    "ratatui::try_init",
    "ratatui::restore",
    "ratatui::run",
    "ratatui::DefaultTerminal",
    "tui_input::backend",
];

#[derive(Clone)]
struct Rule {
    name: &'static str,
    /// Modules (and everything under them) the rule holds for.
    layers: Vec<&'static str>,
    /// Modules under `layers` it does not hold for.
    except: Vec<&'static str>,
    /// Path prefixes those modules must not refer to.
    forbidden: Vec<&'static str>,
}

fn io_rules() -> Vec<Rule> {
    vec![Rule {
        name: "pure layers (wizard, content, steps, calendar, plain, safe_text, keymap) touch \
               neither IO nor the terminal nor ratatui",
        layers: PURE.to_vec(),
        except: vec![],
        forbidden: [IO, TERMINAL, &["ratatui"]].concat(),
    }]
}

fn draw_rules() -> Vec<Rule> {
    vec![
        Rule {
            name: "ui only draws: no IO, no terminal (ratatui's Frame and widgets only)",
            layers: vec!["crate::ui"],
            except: vec![],
            forbidden: [IO, TERMINAL].concat(),
        },
        Rule {
            name: "report only formats: no IO, no terminal, no ratatui",
            layers: vec!["crate::report"],
            except: vec![],
            forbidden: [IO, TERMINAL, &["ratatui"]].concat(),
        },
    ]
}

fn edge_rules() -> Vec<Rule> {
    vec![
        Rule {
            name: "pure layers do not depend on app, store, ui, content_dir, regular_file or cli",
            layers: PURE.to_vec(),
            except: vec![],
            forbidden: vec![
                "crate::app",
                "crate::store",
                "crate::ui",
                "crate::content_dir",
                "crate::regular_file",
                "crate::cli",
            ],
        },
        Rule {
            name: "ui and report do not depend on app, store, content_dir, regular_file or cli",
            layers: vec!["crate::ui", "crate::report"],
            except: vec![],
            forbidden: vec![
                "crate::app",
                "crate::store",
                "crate::content_dir",
                "crate::regular_file",
                "crate::cli",
            ],
        },
        Rule {
            name: "store, content_dir and regular_file do not depend on app, ui or cli, nor on \
                   the terminal",
            layers: vec!["crate::store", "crate::content_dir", "crate::regular_file"],
            except: vec![],
            forbidden: [
                &["crate::app", "crate::ui", "crate::cli", "ratatui"],
                TERMINAL,
            ]
            .concat(),
        },
        Rule {
            name: "only main.rs sees the command line: nothing in the library uses crate::cli",
            layers: vec!["crate"],
            except: vec!["crate::cli"],
            forbidden: vec!["crate::cli"],
        },
    ]
}

// ---------------------------------------------------------------------------------------
// The analysis.

/// A path as written: its segments, and whether it began with `::`.
#[derive(Clone, Debug)]
struct Written {
    segs: Vec<String>,
    absolute: bool,
}

impl Written {
    fn show(&self) -> String {
        let lead = if self.absolute { "::" } else { "" };
        format!("{lead}{}", self.segs.join("::"))
    }
}

#[derive(Default)]
struct Module {
    /// Names a `use` binds in this module (in any of its blocks), to the path written.
    bindings: BTreeMap<String, Written>,
    globs: Vec<Written>,
    children: BTreeSet<String>,
    /// Declared `#[cfg(test)]`.
    test: bool,
}

/// One path written in one module.
struct Reference {
    file: String,
    line: usize,
    module: Vec<String>,
    written: Written,
    how: &'static str,
}

#[derive(Default)]
struct Analysis {
    modules: BTreeMap<Vec<String>, Module>,
    refs: Vec<Reference>,
    /// Things the analysis cannot map and so refuses (`#[path]`).
    problems: Vec<String>,
}

/// The module a file under `src/` is.
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.strip_suffix(".rs").expect("a .rs file");
    match rel {
        "lib" => return vec!["crate".into()],
        "main" => return vec!["main".into()],
        _ => {}
    }
    let mut m = vec!["crate".to_string()];
    m.extend(rel.split('/').map(String::from));
    if m.last().is_some_and(|s| s == "mod") {
        m.pop();
    }
    m
}

fn line(span: Span) -> usize {
    span.start().line
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.clone().into_iter()
                .any(|t| matches!(t, TokenTree::Ident(i) if i == "test")))
    })
}

struct FileVisitor<'a> {
    file: &'a str,
    module: Vec<String>,
    out: &'a mut Analysis,
}

impl FileVisitor<'_> {
    fn here(&mut self) -> &mut Module {
        self.out.modules.entry(self.module.clone()).or_default()
    }

    fn record(&mut self, written: Written, span: Span, how: &'static str) {
        self.out.refs.push(Reference {
            file: self.file.to_string(),
            line: line(span),
            module: self.module.clone(),
            written,
            how,
        });
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>, absolute: bool) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(&p.tree, prefix, absolute);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.use_name(&n.ident, None, prefix, absolute),
            syn::UseTree::Rename(r) => self.use_name(&r.ident, Some(&r.rename), prefix, absolute),
            syn::UseTree::Glob(g) => {
                let written = Written {
                    segs: prefix.clone(),
                    absolute,
                };
                self.here().globs.push(written.clone());
                self.record(written, g.star_token.span, "use");
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix, absolute);
                }
            }
        }
    }

    fn use_name(
        &mut self,
        ident: &syn::Ident,
        rename: Option<&syn::Ident>,
        prefix: &[String],
        absolute: bool,
    ) {
        let mut segs = prefix.to_vec();
        if ident != "self" {
            segs.push(ident.to_string());
        }
        let Some(last) = segs.last().cloned() else {
            return;
        };
        let written = Written { segs, absolute };
        let name = rename.map_or(last, |r| r.to_string());
        if name != "_" {
            self.here().bindings.insert(name, written.clone());
        }
        self.record(written, ident.span(), "use");
    }

    /// Paths in a token stream: `a::b::c`, `::a::b`, `$crate::a`; with `strings`, also a
    /// string literal that parses as a path of two or more segments.
    fn scan(&mut self, tokens: TokenStream, how: &'static str, strings: bool) {
        let tts: Vec<TokenTree> = tokens.into_iter().collect();
        let sep = |i: usize| {
            matches!(tts.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
                && matches!(tts.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
        };
        let mut i = 0;
        while i < tts.len() {
            match &tts[i] {
                TokenTree::Group(g) => {
                    self.scan(g.stream(), how, strings);
                    i += 1;
                }
                TokenTree::Literal(l) if strings => {
                    if let Ok(s) = syn::parse_str::<syn::LitStr>(&l.to_string())
                        && let Ok(p) = syn::parse_str::<syn::Path>(&s.value())
                        && p.segments.len() > 1
                    {
                        self.record(written(&p), l.span(), how);
                    }
                    i += 1;
                }
                TokenTree::Ident(_) | TokenTree::Punct(_) => {
                    let start = i;
                    // `::x` starts an absolute path unless it follows `>`, `)` or a name
                    // (`<T as U>::x`, `f()::x` do not occur, `a::b` is handled below).
                    let after_value = start > 0
                        && match &tts[start - 1] {
                            TokenTree::Ident(_) | TokenTree::Group(_) => true,
                            TokenTree::Punct(p) => p.as_char() == '>',
                            TokenTree::Literal(_) => false,
                        };
                    let absolute = sep(i) && !after_value;
                    if absolute {
                        i += 2;
                    }
                    let Some(TokenTree::Ident(first)) = tts.get(i) else {
                        i = start + 1;
                        continue;
                    };
                    let span = first.span();
                    let mut segs = vec![first.to_string()];
                    i += 1;
                    while sep(i)
                        && let Some(TokenTree::Ident(next)) = tts.get(i + 2)
                    {
                        segs.push(next.to_string());
                        i += 3;
                    }
                    if segs.len() > 1 || absolute {
                        self.record(Written { segs, absolute }, span, how);
                    }
                }
                TokenTree::Literal(_) => i += 1,
            }
        }
    }
}

fn written(p: &syn::Path) -> Written {
    Written {
        segs: p.segments.iter().map(|s| s.ident.to_string()).collect(),
        absolute: p.leading_colon.is_some(),
    }
}

impl<'ast> Visit<'ast> for FileVisitor<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if let Some(a) = m.attrs.iter().find(|a| a.path().is_ident("path")) {
            self.out.problems.push(format!(
                "{}:{}: `#[path]` on `mod {}`: the file → module mapping would be wrong",
                self.file,
                line(a.pound_token.span),
                m.ident
            ));
        }
        let name = m.ident.to_string();
        self.here().children.insert(name.clone());
        self.module.push(name);
        let test = is_cfg_test(&m.attrs);
        self.here().test |= test;
        // Attributes and items inside belong to the module itself.
        visit::visit_item_mod(self, m);
        self.module.pop();
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        for a in &u.attrs {
            self.visit_attribute(a);
        }
        self.use_tree(&u.tree, &mut Vec::new(), u.leading_colon.is_some());
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.segments.len() > 1 || p.leading_colon.is_some() {
            let span = p.segments[0].ident.span();
            self.record(written(p), span, "path");
        }
        visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        visit::visit_macro(self, m);
        self.scan(m.tokens.clone(), "macro", false);
    }

    fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
        // Doc comments are prose (and doctests are crates of their own).
        if a.path().is_ident("doc") {
            return;
        }
        if let syn::Meta::List(l) = &a.meta {
            self.scan(l.tokens.clone(), "attribute", true);
        }
        visit::visit_attribute(self, a);
    }
}

impl Analysis {
    fn of(files: &[(String, String)]) -> Analysis {
        let mut out = Analysis::default();
        for (rel, text) in files {
            let ast = syn::parse_file(text).unwrap_or_else(|e| {
                let at = e.span().start();
                panic!(
                    "src/{rel}:{}:{}: syn cannot parse: {e}",
                    at.line,
                    at.column + 1
                )
            });
            let module = module_of(rel);
            out.modules.entry(module.clone()).or_default();
            let file = format!("src/{rel}");
            let mut v = FileVisitor {
                file: &file,
                module,
                out: &mut out,
            };
            v.visit_file(&ast);
        }
        out
    }

    /// A written path, absolute: `crate::…`/`main::…` inside the crate, else an external
    /// path (`std::fs::read`), or as written when it names nothing `use` brought in (a
    /// local type, `Self::x`, a variable).
    fn resolve(&self, w: &Written, module: &[String], depth: usize) -> Vec<String> {
        let s = &w.segs;
        if w.absolute || s.is_empty() {
            return s.clone();
        }
        let mut out;
        let rest;
        match s[0].as_str() {
            "crate" => {
                out = vec![module[0].clone()];
                rest = &s[1..];
            }
            "xiaohu" => {
                out = vec!["crate".to_string()];
                rest = &s[1..];
            }
            "self" => {
                out = module.to_vec();
                rest = &s[1..];
            }
            "super" => {
                out = module.to_vec();
                let ups = s.iter().take_while(|x| *x == "super").count();
                for _ in 0..ups {
                    if out.len() > 1 {
                        out.pop();
                    }
                }
                rest = &s[ups..];
            }
            first => match self.lookup(module, first, depth) {
                Some(t) => {
                    out = t;
                    rest = &s[1..];
                }
                None => return s.clone(),
            },
        }
        out.extend(rest.iter().cloned());
        out
    }

    /// What `name` means in `module`: a `use` binding, a child module, or a name a glob
    /// import from inside the crate brings in.
    fn lookup(&self, module: &[String], name: &str, depth: usize) -> Option<Vec<String>> {
        if depth > 16 {
            return None;
        }
        let m = self.modules.get(module)?;
        // A child module first: a `use` of the same name is then a function or macro
        // (`pub use answer::answer`), which no `name::…` path can mean.
        if m.children.contains(name) {
            let mut t = module.to_vec();
            t.push(name.to_string());
            return Some(t);
        }
        if let Some(w) = m.bindings.get(name) {
            if w.segs.first().is_some_and(|f| f == name) && !w.absolute {
                // `use chrono;`, `use product;` (a local macro): the name as written.
                return Some(w.segs.clone());
            }
            return Some(self.resolve(w, module, depth + 1));
        }
        // Only globs that plainly name a module of the crate (`use super::*`): resolving
        // every glob (`use StepKind::*`) through the others would be exponential.
        for g in &m.globs {
            let plain = g.segs.first().is_some_and(|f| {
                ["crate", "self", "super", "xiaohu"].contains(&f.as_str()) || m.children.contains(f)
            });
            if g.absolute || !plain {
                continue;
            }
            let from = self.resolve(g, module, depth + 1);
            if from != module
                && self.modules.contains_key(&from)
                && let Some(t) = self.lookup(&from, name, depth + 1)
            {
                return Some(t);
            }
        }
        None
    }

    /// A path into the crate followed through re-exports to where the item is defined.
    fn canonical(&self, t: Vec<String>, depth: usize) -> Vec<String> {
        for i in 1..t.len() {
            let prefix = &t[..i];
            if !self.modules.contains_key(prefix) {
                break;
            }
            if self.modules.contains_key(&t[..=i]) {
                continue;
            }
            if depth < 16
                && let Some(mut n) = self.lookup(prefix, &t[i], 0)
                && n != t[..=i]
            {
                n.extend(t[i + 1..].iter().cloned());
                return self.canonical(n, depth + 1);
            }
            break;
        }
        t
    }

    fn is_test(&self, module: &[String]) -> bool {
        (1..=module.len()).any(|n| self.modules.get(&module[..n]).is_some_and(|m| m.test))
    }

    /// Every reference, with the path it resolves to and where that leads.
    fn resolved(&self) -> Vec<(&Reference, String, String)> {
        self.refs
            .iter()
            .map(|r| {
                let t = self.resolve(&r.written, &r.module, 0);
                let c = self.canonical(t.clone(), 0);
                (r, t.join("::"), c.join("::"))
            })
            .collect()
    }

    fn violations(&self, rules: &[Rule]) -> Vec<String> {
        let under = |path: &str, prefix: &str| {
            path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with("::"))
        };
        let mut out = BTreeSet::new();
        for (r, target, canonical) in self.resolved() {
            let module = r.module.join("::");
            for rule in rules {
                if !rule.layers.iter().any(|l| under(&module, l))
                    || rule.except.iter().any(|e| under(&module, e))
                {
                    continue;
                }
                for f in &rule.forbidden {
                    if under(&target, f) || under(&canonical, f) {
                        let leads = if canonical != target {
                            format!(" (which is `{canonical}`)")
                        } else {
                            String::new()
                        };
                        let test = if self.is_test(&r.module) {
                            ", test code"
                        } else {
                            ""
                        };
                        out.insert(format!(
                            "{}:{}: `{}` ({}) resolves to `{target}`{leads}, under `{f}`, \
                             in `{module}`{test}\n    rule: {}",
                            r.file,
                            r.line,
                            r.written.show(),
                            r.how,
                            rule.name,
                        ));
                    }
                }
            }
        }
        out.into_iter().collect()
    }

    /// Top-level module → what it refers to: other top-level modules and external crates.
    fn edges(&self) -> BTreeSet<(String, String)> {
        let top = |p: &str| {
            let segs: Vec<&str> = p.split("::").collect();
            match segs.as_slice() {
                ["crate", m, ..] => format!("crate::{m}"),
                [one, ..] => one.to_string(),
                [] => String::new(),
            }
        };
        self.resolved()
            .into_iter()
            .map(|(r, _, c)| (top(&r.module.join("::")), top(&c)))
            .filter(|(from, to)| from != to)
            .collect()
    }
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy();
            out.push((rel.replace('\\', "/"), fs::read_to_string(&path).unwrap()));
        }
    }
}

fn analysis() -> &'static Analysis {
    static ANALYSIS: OnceLock<Analysis> = OnceLock::new();
    ANALYSIS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&root, &root, &mut files);
        files.sort();
        assert!(files.len() > 10, "src/ has only {} files?", files.len());
        Analysis::of(&files)
    })
}

fn assert_none(violations: Vec<String>) {
    assert!(
        violations.is_empty(),
        "the dependency rule (ARCHITECTURE.md, invariant 1) is broken:\n{}",
        violations.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// The tests.

#[test]
fn wizard_and_content_touch_neither_terminal_nor_disk() {
    assert_none(analysis().violations(&io_rules()));
}

#[test]
fn ui_and_report_only_draw() {
    assert_none(analysis().violations(&draw_rules()));
}

#[test]
fn module_edges_follow_the_layers() {
    let a = analysis();
    assert_none(a.problems.clone());
    assert_none(a.violations(&edge_rules()));
    // The analysis sees edges that are there, so an empty list above means something.
    let edges = a.edges();
    for (from, to) in [
        ("crate::app", "crate::store"),
        ("crate::app", "crate::wizard"),
        ("crate::ui", "crate::wizard"),
        ("crate::wizard", "crate::content"),
        ("crate::wizard", "tui_input"),
        ("crate::store", "std"),
        ("main", "crate::cli"),
    ] {
        assert!(
            edges.contains(&(from.to_string(), to.to_string())),
            "the analysis no longer sees {from} → {to}; edges seen: {edges:#?}"
        );
    }
}

/// The checker on made-up sources: each way of reaching a forbidden module is caught, with
/// the file and line.
#[test]
fn the_checker_sees_use_trees_full_paths_macros_and_relative_paths() {
    let src = |files: &[(&str, &str)]| {
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        Analysis::of(&files)
    };
    let lib = (
        "lib.rs",
        "pub mod app; pub mod store; pub mod wizard; pub mod ui;",
    );
    let store = (
        "store/mod.rs",
        "pub struct Store; pub mod inner { pub fn f() {} }",
    );
    let ui = ("ui/mod.rs", "pub use crate::store::inner as laundered;");
    let cases: &[(&str, &str, &str)] = &[
        (
            "use crate::store::Store;",
            "src/wizard/mod.rs:2:",
            "crate::store",
        ),
        (
            "use crate::{ui, store::{self}};",
            "src/wizard/mod.rs:2:",
            "crate::store",
        ),
        (
            "use super::store as s;",
            "src/wizard/mod.rs:2:",
            "crate::store",
        ),
        (
            "use crate::store::*;",
            "src/wizard/mod.rs:2:",
            "crate::store",
        ),
        (
            "fn f() {\n let _ = std::fs::read(\"x\"); }",
            "src/wizard/mod.rs:3:",
            "std::fs",
        ),
        (
            "mod deep { mod deeper {\n fn f() { super::super::super::app::run(); } } }",
            "src/wizard/mod.rs:3:",
            "crate::app",
        ),
        (
            "fn f() -> String {\n format!(\"{:?}\", ::std::env::var(\"X\")) }",
            "src/wizard/mod.rs:3:",
            "std::env",
        ),
        (
            "use chrono::Utc;\nfn f() { let _ = Utc::now(); }",
            "src/wizard/mod.rs:3:",
            "chrono::Utc::now",
        ),
        (
            "use std::fs;\n#[cfg(test)]\nmod tests { use super::*;\n fn t() { fs::write(\"a\", \"\"); } }",
            "src/wizard/mod.rs:5:",
            "std::fs",
        ),
        (
            "#[derive(serde::Serialize)]\nstruct S { #[serde(with =\n \"crate::store::inner\")] x: u8 }",
            "src/wizard/mod.rs:4:",
            "crate::store",
        ),
        (
            "fn f() {\n crate::ui::laundered::f(); }",
            "src/wizard/mod.rs:3:",
            "crate::store",
        ),
    ];
    for (code, at, forbidden) in cases {
        let wizard = ("wizard/mod.rs", &*format!("//! x\n{code}\n"));
        let a = src(&[lib, store, ui, ("app/mod.rs", "pub fn run() {}"), wizard]);
        let mut rules = io_rules();
        rules.extend(edge_rules());
        let v = a.violations(&rules);
        assert!(
            v.iter()
                .any(|m| m.starts_with(at) && m.contains(&format!("under `{forbidden}`"))),
            "not caught at {at} (`{forbidden}`) in:\n{code}\nviolations: {v:#?}"
        );
    }
    // And what is allowed passes.
    let ok = (
        "wizard/mod.rs",
        "use tui_input::Input;\nuse std::collections::BTreeMap;\nfn f(_: Input) { let _ = chrono::TimeDelta::seconds(3); }",
    );
    let a = src(&[lib, store, ok]);
    assert_none(a.violations(&[io_rules(), edge_rules()].concat()));
}
