//! Content: the products, their flows, the UI strings and the holiday calendar.
//!
//! Loaded from TOML sources (the built-in copy embedded in the binary, or files an author
//! read from a directory), validated, then immutable for the rest of the run. This module
//! never touches the disk or the terminal; `crate::content_dir` reads a directory for it.

pub mod diagnostic;
#[doc(hidden)]
pub mod embedded;
pub mod schema;
pub mod strings;
pub mod text;
pub mod validate;
pub mod vouched;

use std::collections::HashMap;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use crate::calendar::HolidayCalendar;
pub use crate::steps::Step;
pub use diagnostic::Diagnostic;
pub use schema::{Closing, ExitVia, OutcomeKind, ProductInfo, StepKind, VerifyMethod};
pub use strings::UiStrings;
pub use text::{Lang, Text};
pub use vouched::{Deferred, Reader, Vouched};

/// One content file: where it came from (for messages) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    /// A file's bytes as a source: text must be UTF-8, and the first bad byte is reported
    /// at its line and column.
    pub fn from_bytes(path: &str, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
        if simdutf8::basic::from_utf8(&bytes).is_ok() {
            // SAFETY: the bytes were just checked to be UTF-8, by the same rules as std's.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            return Ok(SourceFile {
                path: path.to_owned(),
                text,
            });
        }
        // Not UTF-8: std's check says where.
        String::from_utf8(bytes)
            .map(|text| SourceFile {
                path: path.to_owned(),
                text,
            })
            .map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
                Diagnostic::at(path, &valid, at..at, "not valid UTF-8")
            })
    }
}

/// The files a content directory holds, by role.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub ui: Option<SourceFile>,
    pub calendar: Option<SourceFile>,
    pub products: Vec<SourceFile>,
}

/// The built-in content, embedded at compile time so the binary runs from anywhere.
pub mod builtin {
    use super::{SourceFile, Sources};

    pub const UI: (&str, &str) = ("content/ui.toml", include_str!("../../content/ui.toml"));
    pub const CALENDAR: (&str, &str) = (
        "content/calendar.toml",
        include_str!("../../content/calendar.toml"),
    );
    pub const PRODUCTS: &[(&str, &str)] = &[
        product!("weilidai"),
        product!("huabei"),
        product!("jiebei"),
        product!("wangshangdai"),
        product!("baitiao"),
        product!("xiaomi-beiyongjin"),
        product!("xiaomi-fenqi"),
    ];

    macro_rules! product {
        ($id:literal) => {
            (
                concat!("content/products/", $id, ".toml"),
                include_str!(concat!("../../content/products/", $id, ".toml")),
            )
        };
    }
    use product;

    pub(super) fn file((path, text): (&str, &str)) -> SourceFile {
        SourceFile {
            path: path.to_owned(),
            text: text.to_owned(),
        }
    }

    /// The `i`th product of a made-up catalogue, for measuring content at scale
    /// (`benches/content.rs`, `examples/catalogue.rs`): a built-in product file in turn,
    /// under a new id (`weilidai-17`), so each has the size and shape of a real one.
    /// Returns its file name and text.
    pub fn numbered(i: usize) -> (String, String) {
        let (path, text) = PRODUCTS[i % PRODUCTS.len()];
        let id = path
            .trim_start_matches("content/products/")
            .trim_end_matches(".toml");
        let line = format!("id = \"{id}\"");
        assert!(text.contains(&line), "{path} has no `{line}`");
        let text = text.replacen(&line, &format!("id = \"{id}-{i}\""), 1);
        (format!("{id}-{i}.toml"), text)
    }

    pub fn sources() -> Sources {
        Sources {
            ui: Some(file(UI)),
            calendar: Some(file(CALENDAR)),
            products: PRODUCTS.iter().copied().map(file).collect(),
        }
    }
}

/// A validated product, ready for the wizard.
#[derive(Debug, Clone)]
pub struct Product {
    pub path: String,
    pub info: ProductInfo,
    /// Its steps. A product of the built-in form has them read from its TOML on first use
    /// (validated when the form was made): the start page names products, it does not
    /// walk them, and reading them all was most of the time to the first frame.
    body: OnceLock<Body>,
    /// Where a body not read yet is read from.
    source: Source,
    /// Made on first use: only a product with a case open needs them, and serializing every
    /// step again to hash it was a third of the cost of loading a product.
    fingerprints: OnceLock<Fingerprints>,
}

#[derive(Debug, Clone)]
struct Body {
    steps: Vec<Step>,
    /// The tables as written, which the fingerprints are made of (so a saved case's
    /// fingerprints stay what they were whatever the typed steps become).
    files: Vec<schema::StepFile>,
    index: HashMap<String, usize>,
    /// The end screen of a deferred file that no longer passed, not the product's steps.
    placeholder: bool,
}

impl Body {
    fn new(files: Vec<schema::StepFile>) -> Body {
        let steps: Vec<Step> = files.iter().map(Step::from_file).collect();
        let index = steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id().to_owned(), i))
            .collect();
        Body {
            steps,
            files,
            index,
            placeholder: false,
        }
    }
}

#[derive(Debug, Clone)]
enum Source {
    /// None: the body was read when the product was loaded.
    Parsed,
    /// The built-in TOML, validated when the embedded form was made from it.
    Builtin(&'static str),
    /// A file its record says passed every check (`Content::load_vouched`), not read on
    /// this start: read and checked again when the body is first needed.
    /// Read when first needed; `refused` is the end screen shown in its place while its
    /// file does not pass (kept apart from `body`, so that the next attempt to open it,
    /// `usable`, reads the file again).
    Deferred {
        read: Reader,
        steps: usize,
        refused: OnceLock<Body>,
    },
}

#[derive(Debug, Clone)]
struct Fingerprints {
    whole: String,
    steps: Vec<String>,
}

impl Product {
    pub fn id(&self) -> &str {
        self.info.id.get_ref()
    }

    /// Its steps, in the file's order.
    pub fn steps(&self) -> &[Step] {
        &self.body().steps
    }

    /// Its steps to change, for tests that make a product of their own from a built-in one.
    pub fn steps_mut(&mut self) -> &mut Vec<Step> {
        self.body();
        match self.body.get_mut() {
            Some(body) => &mut body.steps,
            None => panic!("{} did not read: its steps cannot be changed", self.path),
        }
    }

    /// How many steps it has, without reading a body not read yet.
    pub fn step_count(&self) -> usize {
        match (&self.source, self.body.get()) {
            (_, Some(body)) => body.steps.len(),
            (Source::Deferred { steps, .. }, None) => *steps,
            _ => self.steps().len(),
        }
    }

    fn body(&self) -> &Body {
        if let Some(body) = self.body.get() {
            return body;
        }
        match &self.source {
            Source::Builtin(text) => self.body.get_or_init(|| {
                match parse_toml::<schema::ProductFile>(&self.path, text) {
                    Ok((file, _)) => {
                        Body::new(file.steps.into_iter().map(|s| s.into_inner()).collect())
                    }
                    // Not reachable: the built-in form is only used while it was made from
                    // exactly these sources, by the validator (`embedded`).
                    Err(problems) => panic!(
                        "the built-in {} does not read: {}",
                        self.path,
                        problems
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                }
            }),
            // Refused once, it is not read again here: a frame may ask many times.
            Source::Deferred { read, refused, .. } => match refused.get() {
                Some(placeholder) => placeholder,
                None => self.read_deferred(read, refused),
            },
            // Not reachable: a product parsed at load has its body from then on.
            Source::Parsed => panic!("{} was loaded without its steps", self.path),
        }
    }

    /// Whether its steps can be followed: false only for a deferred file that, read when
    /// needed, no longer passes (`NOT_AS_CHECKED`). A saved case of such a product is not
    /// opened, so nothing of it is rewritten against the placeholder. Asked when the
    /// product is opened: a file refused before is read again, so one fixed since is
    /// followed without a new start.
    pub fn usable(&self) -> bool {
        match (&self.source, self.body.get()) {
            (_, Some(body)) => !body.placeholder,
            (Source::Deferred { read, refused, .. }, None) => {
                !self.read_deferred(read, refused).placeholder
            }
            _ => !self.body().placeholder,
        }
    }

    /// The steps of a deferred file, read now and checked as on a load without a record:
    /// what is shown is what the validator passed, whatever the record said. A file edited
    /// since the start and still valid is followed as it is now (its heading in the list
    /// may be the older one), as a case resumed on a later start would be. One that does
    /// not pass gives the `refused` end screen, and leaves `body` unset.
    fn read_deferred<'a>(&'a self, read: &Reader, refused: &'a OnceLock<Body>) -> &'a Body {
        match read.read().map(|text| parse_product(&self.path, &text)) {
            Ok(Ok(p)) if p.id() == self.id() => {
                let body = p
                    .body
                    .into_inner()
                    .expect("a product parsed at load has its body");
                self.body.get_or_init(|| body)
            }
            _ => refused.get_or_init(|| {
                #[derive(serde::Deserialize)]
                struct Steps {
                    steps: Vec<toml::Spanned<schema::StepFile>>,
                }
                let steps: Steps = toml::from_str(vouched::NOT_AS_CHECKED)
                    .expect("the end screen of a changed file reads (a unit test says so)");
                let mut body = Body::new(steps.steps.into_iter().map(|s| s.into_inner()).collect());
                body.placeholder = true;
                body
            }),
        }
    }

    pub fn position(&self, step_id: &str) -> Option<usize> {
        self.body().index.get(step_id).copied()
    }

    pub fn step(&self, step_id: &str) -> Option<&Step> {
        self.position(step_id).map(|i| &self.steps()[i])
    }

    pub fn first_step(&self) -> &Step {
        &self.steps()[0]
    }

    /// Hash of the whole product: a case remembers the one it began with.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprints().whole
    }

    /// Hash of each step, so a resumed case re-asks only the steps that changed.
    pub fn step_fingerprint(&self, step_id: &str) -> Option<&str> {
        self.position(step_id)
            .map(|i| self.fingerprints().steps[i].as_str())
    }

    fn fingerprints(&self) -> &Fingerprints {
        self.fingerprints.get_or_init(|| {
            let steps: Vec<String> = self
                .body()
                .files
                .iter()
                .map(|s| fingerprint(&toml::to_string(s).unwrap_or_default()))
                .collect();
            let whole = format!(
                "{}{}",
                toml::to_string(&self.info).unwrap_or_default(),
                steps.concat()
            );
            Fingerprints {
                whole: fingerprint(&whole),
                steps,
            }
        })
    }

    /// Where leaving `step` by `via` leads. Validation guarantees the target exists.
    pub fn target(&self, step: &Step, via: ExitVia) -> Option<&Step> {
        let (_, target) = step.exits().find(|(v, _)| *v == via)?;
        match target {
            Some(name) => self.step(name),
            None => self
                .position(step.id())
                .and_then(|i| self.steps().get(i + 1)),
        }
    }

    /// "n/m" for the header, for a person who has walked `walked` steps to get here: n counts
    /// the steps behind plus this one, m adds the steps still ahead on the usual path (each
    /// step's normal exit, a status step's first option) up to an outcome. A branch therefore
    /// never jumps the count forward, and an outcome is always m/m.
    pub fn progress(&self, step: &Step, walked: usize) -> (usize, usize) {
        let n = walked + 1;
        if step.kind() == StepKind::Outcome {
            return (n, n);
        }
        let mut ahead = 0;
        let mut seen = vec![false; self.steps().len()];
        let mut at = step;
        loop {
            let via = match at.kind() {
                StepKind::Status => ExitVia::Option(0),
                _ => ExitVia::Next,
            };
            match self.target(at, via) {
                Some(next) if next.kind() != StepKind::Outcome => {
                    let i = self.position(next.id()).unwrap_or(0);
                    if std::mem::replace(&mut seen[i], true) {
                        break;
                    }
                    ahead += 1;
                    at = next;
                }
                _ => break,
            }
        }
        // The end screen counts as a step of its own.
        (n, n + ahead + 1)
    }
}

/// Products on one platform must agree on its name and place in the list. `products`:
/// each with the index of its source.
fn check_platforms(
    sources: &[SourceFile],
    products: &[(usize, Product)],
    errors: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, &Product> = HashMap::new();
    for (i, p) in products {
        let platform = &p.info.platform;
        match first.get(platform.id.as_str()) {
            None => {
                first.insert(&platform.id, p);
            }
            Some(q)
                if q.info.platform.name != platform.name
                    || q.info.platform.order != platform.order =>
            {
                let (span, text) = id_at(&sources[*i], p);
                errors.push(Diagnostic::at(
                    &p.path,
                    &text,
                    span,
                    format!(
                        "platform `{}` has another name or order in {}; make them the same",
                        platform.id, q.path
                    ),
                ));
            }
            Some(_) => {}
        }
    }
}

/// Where a product's id is in its file, and the file's text. A deferred product was not
/// read on this start: its file is, now, for the position of a problem found with it.
fn id_at<'a>(
    src: &'a SourceFile,
    p: &Product,
) -> (std::ops::Range<usize>, std::borrow::Cow<'a, str>) {
    match &p.source {
        Source::Deferred { read, .. } => {
            let text = read.read().unwrap_or_default();
            let span = parse_toml::<schema::ProductFile>(&src.path, &text)
                .map_or(0..0, |(file, _)| file.product.id.span());
            (span, text.into())
        }
        _ => (p.info.id.span(), src.text.as_str().into()),
    }
}

/// What a load with records of checked files gives (`Content::load_vouched`).
pub struct Loaded {
    pub content: Result<Content, Vec<Diagnostic>>,
    /// For each product source, in their order: what it was found to be if it passed
    /// every check of its own (taken from its record, or checked now), for the records
    /// kept for the next start. A file with problems has none.
    pub passed: Vec<Option<Vouched>>,
}

/// Everything the wizard shows, validated.
#[derive(Debug, Clone)]
pub struct Content {
    /// Sorted for the product list: by platform, then `order`, then id.
    pub products: Vec<Product>,
    /// The strings, with the act named as closing (关闭); `ui_for` gives a product's own.
    /// Boxed, as is `ui_cancel`: some 20 KB each, which would otherwise be copied through
    /// the stack frames of every function that moves a `Content` (and each such frame
    /// is touched, page by page, when the function is entered).
    pub ui: Box<UiStrings>,
    pub calendar: HolidayCalendar,
    /// The strings with the act named as cancelling (注销), for `closing = "cancel"`: made
    /// when a loader has them, else on first use from `ui` and `cancel_changes` (the
    /// start page needs only `ui`).
    ui_cancel: OnceLock<Box<UiStrings>>,
    /// Where the cancelling strings differ from `ui` (the embedded form's record of it),
    /// each position checked to be one of the strings'.
    cancel_changes: &'static [(usize, &'static str, &'static str)],
    /// Where each id is in `products`, made on the first lookup: a frame looks its case's
    /// product up several times, and a scan of 10,000 took 83 µs. Only a hint, checked on
    /// every use, since `products` is public and a test may change it.
    by_id: OnceLock<HashMap<String, usize>>,
}

impl Content {
    /// The built-in content: from its embedded form, made ahead of time by this very
    /// loader and checked into the tree (`embedded`), so nothing is parsed or validated
    /// before the first frame; from the TOML, read and validated now, if the form is not of
    /// these sources.
    pub fn builtin() -> Result<Content, Vec<Diagnostic>> {
        match embedded::content() {
            Some(content) => Ok(content),
            None => Content::load(builtin::sources()),
        }
    }

    /// The built-in UI strings alone (closing): from the embedded form, or parsed if the
    /// form is stale. Panics only if the built-in `ui.toml` is broken, which a unit test
    /// rules out.
    pub fn builtin_ui() -> Box<UiStrings> {
        embedded::ui().unwrap_or_else(|| {
            let (path, text) = builtin::UI;
            let ui = UiStrings::parse(path, text)
                .expect("the built-in ui.toml loads (a unit test says so)");
            Box::new(ui)
        })
    }

    /// Parses and validates every source; all problems at once, never just the first.
    /// A directory without `ui.toml` or `calendar.toml` uses the built-in ones, so an author
    /// can ship products alone.
    pub fn load(sources: Sources) -> Result<Content, Vec<Diagnostic>> {
        Content::load_vouched(sources, &[]).content
    }

    /// As `load`, but a product source with a record (`deferred`, by the index of the
    /// source; its `SourceFile` has no text) is not parsed now: its record, kept from an
    /// earlier start or made by `check_product` as the file was read, gives the product
    /// list what it shows, and its file is read, parsed and checked when it is first
    /// opened. The caller takes a kept record only if it is `plausible`. The rules across
    /// files (one id, one name for a platform) and the strings and calendar are checked on
    /// every load.
    pub fn load_vouched(sources: Sources, deferred: &[Option<Deferred>]) -> Loaded {
        let vouched: Vec<Option<&Deferred>> = (0..sources.products.len())
            .map(|i| deferred.get(i).and_then(Option::as_ref))
            .collect();
        let mut errors = Vec::new();
        // The products are parsed on the other cores while this thread reads the strings and
        // the calendar.
        let ((ui, calendar), parsed) = parse_products(&sources.products, &vouched, || {
            let ui_src = sources
                .ui
                .as_ref()
                .map_or(builtin::UI, |s| (s.path.as_str(), s.text.as_str()));
            let cal_src = sources
                .calendar
                .as_ref()
                .map_or(builtin::CALENDAR, |s| (s.path.as_str(), s.text.as_str()));
            (
                UiStrings::parse(ui_src.0, ui_src.1),
                HolidayCalendar::parse(cal_src.0, cal_src.1),
            )
        });
        let ui = ui.map_err(|e| errors.extend(e)).ok();
        let calendar = calendar.map_err(|e| errors.extend(e)).ok();

        let passed: Vec<Option<Vouched>> = parsed
            .iter()
            .map(|p| {
                p.as_ref().ok().map(|p| Vouched {
                    product: vouched::Header::of(&p.info),
                    steps: p.step_count(),
                })
            })
            .collect();
        let mut products: Vec<(usize, Product)> = Vec::with_capacity(parsed.len());
        let mut seen: HashMap<String, String> = HashMap::with_capacity(parsed.len());
        for (i, (src, parsed)) in sources.products.iter().zip(parsed).enumerate() {
            match parsed {
                Ok(p) => {
                    if let Some(first) = seen.get(p.id()) {
                        let (span, text) = id_at(src, &p);
                        errors.push(Diagnostic::at(
                            &src.path,
                            &text,
                            span,
                            format!("duplicate product id `{}` (also in {first})", p.id()),
                        ));
                    } else {
                        seen.insert(p.id().to_owned(), src.path.clone());
                        products.push((i, p));
                    }
                }
                Err(e) => errors.extend(e),
            }
        }
        check_platforms(&sources.products, &products, &mut errors);
        if sources.products.is_empty() {
            errors.push(Diagnostic::file(
                "products",
                "no product files (products/*.toml)",
            ));
        }
        let content = match (ui, calendar) {
            (Some(ui), Some(calendar)) if errors.is_empty() => {
                // Borrowed keys: a catalogue of 10,000 is compared some 130,000 times.
                fn key(p: &Product) -> (i32, &str, i32, &str) {
                    let platform = &p.info.platform;
                    (platform.order, &platform.id, p.info.order, p.id())
                }
                // The order is found on indices and each product then moved once: a
                // `Product` is some hundreds of bytes, and sorting them moved each many times.
                let mut order: Vec<usize> = (0..products.len()).collect();
                order.sort_by(|&a, &b| key(&products[a].1).cmp(&key(&products[b].1)));
                let mut slots: Vec<Option<Product>> =
                    products.into_iter().map(|(_, p)| Some(p)).collect();
                let products: Vec<Product> =
                    order.into_iter().filter_map(|i| slots[i].take()).collect();
                Ok(Content {
                    products,
                    ui: ui.with_closing(Closing::Close),
                    ui_cancel: OnceLock::from(ui.with_closing(Closing::Cancel)),
                    cancel_changes: &[],
                    calendar,
                    by_id: OnceLock::new(),
                })
            }
            _ => Err(errors),
        };
        Loaded { content, passed }
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        // A handful of products are scanned faster than hashed.
        if self.products.len() <= 16 {
            return self.products.iter().find(|p| p.id() == id);
        }
        let by_id = self.by_id.get_or_init(|| {
            let ids = self.products.iter().enumerate();
            ids.map(|(i, p)| (p.id().to_owned(), i)).collect()
        });
        match by_id.get(id).and_then(|&i| self.products.get(i)) {
            Some(p) if p.id() == id => Some(p),
            _ => self.products.iter().find(|p| p.id() == id),
        }
    }

    /// The start page's first sentence, naming every product loaded (in the list's order,
    /// in `lang`), so a product an author adds is named too.
    pub fn welcome_intro(&self, lang: Lang) -> String {
        let names: Vec<&str> = self
            .products
            .iter()
            .map(|p| p.info.name.get(lang))
            .collect();
        let list = names.join(self.ui.welcome_products_sep.get(lang));
        self.ui.welcome_intro.fill(lang, &[("products", &list)])
    }

    /// The strings for a case of `product` (an id): the act named as that product's
    /// content says (`closing`); a product the content does not have gets the usual words.
    pub fn ui_for(&self, product: &str) -> &UiStrings {
        match self.product(product).map(|p| p.info.closing) {
            Some(Closing::Cancel) => self.ui_cancel(),
            Some(Closing::Close) | None => &self.ui,
        }
    }

    /// The strings with the act named as cancelling.
    pub(crate) fn ui_cancel(&self) -> &UiStrings {
        self.ui_cancel.get_or_init(|| {
            self.ui
                .with_changes(self.cancel_changes)
                .unwrap_or_else(|| unreachable!("every change's position was checked"))
        })
    }
}

/// What parsing one product file gives.
type Parsed = Result<Product, Vec<Diagnostic>>;

/// Parses every product file without a record (`vouched`, by index), spread over the
/// machine's cores (each file stands alone), and runs `meanwhile` on this thread alongside.
/// Results come in the order of `sources`; a deferred file's product has its record's
/// header, and its steps are read when first needed.
fn parse_products<T>(
    sources: &[SourceFile],
    vouched: &[Option<&Deferred>],
    meanwhile: impl FnOnce() -> T,
) -> (T, Vec<Parsed>) {
    let one = |i: usize| match vouched.get(i).copied().flatten() {
        Some(d) => Ok(Product {
            path: sources[i].path.clone(),
            info: d.checked.product.clone().into_info(),
            body: OnceLock::new(),
            source: Source::Deferred {
                read: d.read.clone(),
                steps: d.checked.steps,
                refused: OnceLock::new(),
            },
            fingerprints: OnceLock::new(),
        }),
        None => parse_product(&sources[i].path, &sources[i].text),
    };
    let to_parse = vouched.iter().filter(|v| v.is_none()).count();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    // A thread costs tens of microseconds: one file alone is parsed here.
    let threads = cores.min(to_parse).max(1);
    if threads == 1 {
        let alongside = meanwhile();
        return (alongside, (0..sources.len()).map(one).collect());
    }
    // Shares of equal parsing work: the files to parse, not the vouched ones, are dealt out.
    let chunk = to_parse.div_ceil(threads);
    let mut bounds = vec![0];
    let mut counted = 0;
    for (i, v) in vouched.iter().enumerate() {
        if v.is_none() {
            counted += 1;
            if counted % chunk == 0 && bounds.len() < threads {
                bounds.push(i + 1);
            }
        }
    }
    bounds.push(sources.len());
    let ranges: Vec<std::ops::Range<usize>> = bounds.windows(2).map(|w| w[0]..w[1]).collect();
    let one = &one;
    std::thread::scope(|scope| {
        let mut ranges = ranges.into_iter();
        // This thread takes the last share, after `meanwhile`.
        let own = ranges.next_back().unwrap_or_default();
        let workers: Vec<_> = ranges
            .map(|range| scope.spawn(move || range.map(one).collect::<Vec<_>>()))
            .collect();
        let alongside = meanwhile();
        let own: Vec<Parsed> = own.map(one).collect();
        let mut parsed = Vec::with_capacity(sources.len());
        for worker in workers {
            match worker.join() {
                Ok(results) => parsed.extend(results),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        parsed.extend(own);
        (alongside, parsed)
    })
}

/// Parses and validates one product file alone, as a load does, and keeps only what the
/// product list needs of it (`None` if it has a problem: a load names them). A catalogue
/// checked this way as it is read holds no product's steps, nor the text of thousands of
/// files at once; a product is read again, and checked again, when it is first opened.
pub fn check_product(path: &str, text: &str) -> Option<Vouched> {
    let file = parse_checked(path, text).ok()?;
    Some(Vouched {
        product: vouched::Header::of(&file.product),
        steps: file.steps.len(),
    })
}

/// One product file, parsed and validated: every problem, or the file.
fn parse_checked(path: &str, text: &str) -> Result<schema::ProductFile, Vec<Diagnostic>> {
    let (file, spans) = parse_toml::<schema::ProductFile>(path, text)?;
    let problems = validate::validate_product(path, text, &spans, &file);
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

fn parse_product(path: &str, text: &str) -> Parsed {
    let file = parse_checked(path, text)?;
    let files: Vec<schema::StepFile> = file.steps.into_iter().map(|s| s.into_inner()).collect();
    Ok(Product {
        path: path.to_owned(),
        info: file.product,
        body: OnceLock::from(Body::new(files)),
        source: Source::Parsed,
        fingerprints: OnceLock::new(),
    })
}

/// Parses a content file: a syntax error at the spot its cause is, then every string that
/// is not plain text, and the shape of the file (unknown fields, wrong types). Returns where
/// each value is, for the rules that come after.
pub(crate) fn parse_toml<'s, T: serde::de::DeserializeOwned>(
    path: &str,
    source: &'s str,
) -> Result<(T, validate::Spans<'s>), Vec<Diagnostic>> {
    let table = toml::de::DeTable::parse(source)
        .map_err(|e| vec![diagnostic::syntax_error(path, source, &e)])?;
    let mut problems = validate::scan(path, source, table.get_ref());
    match T::deserialize(toml::de::Deserializer::from(table)) {
        Ok(value) if problems.is_empty() => Ok((value, validate::Spans::of(source))),
        Ok(_) => Err(problems),
        Err(e) => {
            problems.insert(
                0,
                Diagnostic::at(
                    path,
                    source,
                    e.span().unwrap_or(0..0),
                    e.message().trim_end(),
                ),
            );
            Err(problems)
        }
    }
}

/// First 16 hex digits of SHA-256: enough to notice a change, short enough to read.
fn fingerprint(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
