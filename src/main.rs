//! The `xiaohu` binary: parses the command line and dispatches. Nothing else lives here.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use xiaohu::cli::{Cli, Command, DemoCommand};
use xiaohu::content::{Content, Diagnostic, Lang};
use xiaohu::regular_file::{self, Links};
use xiaohu::store::{CaseStore, FileCases, Store, StoreError};
use xiaohu::ui::{Theme, theme};
use xiaohu::wizard::{CaseId, demo, tour};
use xiaohu::{app, content_dir, report, safe_text};

/// Why a command stopped early: a message for stderr, or its output could not be written.
enum Failure {
    Message(String),
    Output(io::Error),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Message(message)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Failure {
        Failure::Output(error)
    }
}

/// The exit status of a program whose reader went away: what a shell reports for a writer
/// killed by SIGPIPE (128 + 13), as `cat` or `grep` in `… | head -1` would end. Not 0:
/// the output was not all delivered, and `set -o pipefail` should be able to tell.
const BROKEN_PIPE: u8 = 128 + 13;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // The reader closed the pipe (`xiaohu sessions | head -1`): it has what it wanted.
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::from(BROKEN_PIPE)
        }
        Err(Failure::Output(e)) => {
            say(&format!("xiaohu: cannot write the output: {e}"));
            ExitCode::FAILURE
        }
        Err(Failure::Message(message)) => {
            say(&format!("xiaohu: {message}"));
            ExitCode::FAILURE
        }
    }
}

/// A message on stderr, made safe to print (it may name what a file holds). A closed or
/// broken stderr is not worth a panic: the exit status still tells.
fn say(message: &str) {
    let _ = writeln!(io::stderr().lock(), "{}", safe_text::block(message));
}

/// Standard output for a command that prints: buffered, and every write's error returned
/// (`println!` would panic on a closed pipe or a full disk). A stdout that was closed when
/// xiaohu started (`>&-`) is refused at once, before anything is read.
fn output() -> Result<BufWriter<io::StdoutLock<'static>>, Failure> {
    if stdout_at_start::closed() {
        return Err(Failure::Output(io::Error::other(
            "standard output is closed",
        )));
    }
    Ok(BufWriter::new(io::stdout().lock()))
}

/// Whether fd 1 was closed when the process started (`xiaohu export ID >&-`). Rust's
/// runtime opens /dev/null on a closed standard descriptor before `main` runs, so from
/// `main` on, a closed stdout looks like `> /dev/null` and every write "succeeds". So it
/// is looked at earlier: by a constructor the loader runs before the runtime starts
/// (`.init_array`, on ELF systems). Elsewhere a closed stdout is not told from /dev/null.
#[cfg(all(unix, not(target_vendor = "apple")))]
mod stdout_at_start {
    use std::sync::atomic::{AtomicBool, Ordering};

    static CLOSED: AtomicBool = AtomicBool::new(false);

    extern "C" fn look() {
        // SAFETY: F_GETFD only asks whether descriptor 1 is open; nothing is changed.
        let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
        CLOSED.store(closed, Ordering::Relaxed);
    }

    #[used]
    #[unsafe(link_section = ".init_array")]
    static LOOK: extern "C" fn() = look;

    pub fn closed() -> bool {
        CLOSED.load(Ordering::Relaxed)
    }
}

#[cfg(not(all(unix, not(target_vendor = "apple"))))]
mod stdout_at_start {
    pub fn closed() -> bool {
        false
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    if let Some(dir) = &cli.content {
        usable_path("--content", dir)?;
    }
    if let Some(Command::Check { dir: Some(dir) }) = &cli.command {
        usable_path("check", dir)?;
    }
    let lang = cli.lang.unwrap_or_else(lang_from_env);
    match &cli.command {
        Some(Command::Check { dir }) => {
            let mut out = output()?;
            let dir = dir.as_ref().or(cli.content.as_ref());
            let code = check(&mut out, dir.map(PathBuf::as_path))?;
            out.flush()?;
            Ok(code)
        }
        Some(Command::List) => {
            let mut out = output()?;
            let content = load_content(cli.content.as_deref())?;
            for p in &content.products {
                let (id, name) = (p.id(), p.info.name.get(lang));
                writeln!(out, "{}\t{}", safe_text::tsv(id), safe_text::tsv(name))?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sessions) => {
            let mut out = output()?;
            // The contract's four columns first (id, product, step, last update); the state
            // follows as a stable word, so scripts can rely on both. What the case file
            // holds is escaped: a tab or a newline in it must not make another row.
            let dir = data_dir(&cli)?;
            let store = Store::read_only(&dir);
            // A new desk has nothing saved yet, so nothing to list; a data dir that is not
            // a private folder of the user's is an error that says what to fix.
            if !store
                .check_readable()
                .map_err(|e| safe_text::line(&e.to_string()).into_owned())?
            {
                return Ok(ExitCode::SUCCESS);
            }
            let (cases, damaged) = store.list();
            for c in cases {
                let updated = c
                    .updated
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
                writeln!(
                    out,
                    "{}\t{}\t{}\t{updated}\t{}",
                    safe_text::tsv(&c.id),
                    safe_text::tsv(&c.product),
                    safe_text::tsv(&c.step),
                    c.state.code(),
                )?;
            }
            out.flush()?;
            for (path, reason) in &damaged {
                let (path, reason) = (safe_text::line(path), safe_text::line(reason));
                say(&format!("{path}: error: {reason}"));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Log { id }) => {
            let mut out = output()?;
            let content = load_content(cli.content.as_deref())?;
            let case = Store::read_only(&data_dir(&cli)?)
                .load(id)
                .map_err(|e| e.to_string())?;
            let product = content.product(&case.product);
            let lang = cli.lang.unwrap_or(case.lang);
            for entry in &case.log {
                writeln!(out, "{}", report::log_line(entry, &content, product, lang))?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export { id, format }) => {
            let mut out = output()?;
            let content = load_content(cli.content.as_deref())?;
            let case = Store::read_only(&data_dir(&cli)?)
                .load(id)
                .map_err(|e| e.to_string())?;
            // The receipt is in the case's language unless --lang says otherwise.
            let lang = cli.lang.unwrap_or(case.lang);
            let now = chrono::Local::now().fixed_offset();
            out.write_all(report::receipt(&case, &content, lang, *format, now).as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Demo {
            command:
                DemoCommand::Play {
                    file,
                    looping,
                    idle,
                    speed,
                },
        }) => demo_play(&cli, file, *looping, *idle, *speed),
        Some(Command::Resume { id }) => {
            let content = load_content(cli.content.as_deref())?;
            // The store's own words for an id that is none, as for `log` and `export`.
            let id = CaseId::parse(id).map_err(|_| StoreError::BadId(id.clone()).to_string())?;
            let start = app::Start::Resume(id);
            tui(&cli, content, lang, start, Default::default())
        }
        None => {
            let content = load_content(cli.content.as_deref())?;
            if let Some(id) = &cli.profile {
                let profile = demo_profile(&content, id)?;
                let start = app::Start::Product(profile.product);
                return tui(&cli, content, lang, start, profile.amounts);
            }
            let start = match &cli.product {
                Some(id) if content.product(id).is_none() => {
                    let ids: Vec<&str> = content.products.iter().map(|p| p.id()).collect();
                    return Err(format!(
                        "unknown product `{id}`; known products: {}",
                        ids.join(", ")
                    )
                    .into());
                }
                Some(id) => app::Start::Product(id.clone()),
                None => app::Start::Welcome,
            };
            tui(&cli, content, lang, start, Default::default())
        }
    }
}

fn tui(
    cli: &Cli,
    content: Content,
    lang: Lang,
    start: app::Start,
    demo_amounts: std::collections::BTreeMap<String, String>,
) -> Result<ExitCode, Failure> {
    // Before anything touches the terminal: a bad theme is a plain message.
    let theme = load_theme(cli.theme.as_deref())?;
    let store = if cli.demo {
        None
    } else {
        let files = Store::open(&data_dir(cli)?).map_err(|e| e.to_string())?;
        Some(Box::new(FileCases::new(files)) as Box<dyn CaseStore>)
    };
    let stopped_by = app::run(app::Options {
        content,
        lang,
        demo: cli.demo,
        store,
        start,
        theme,
        idle_reset: cli.idle_reset.map(std::time::Duration::from_secs),
        demo_amounts,
        plain: cli.plain,
        ambiguous: ambiguous_flag(cli),
    })
    .map_err(|e| format!("{e:#}"))?;
    // Stopped by a signal: exit as the shell expects (128 + n), after saving.
    Ok(stopped_by.map_or(ExitCode::SUCCESS, |n| ExitCode::from(128 + n as u8)))
}

/// `--ambiguous-wide` / `--ambiguous-narrow` (clap keeps them apart).
fn ambiguous_flag(cli: &Cli) -> Option<xiaohu::ui::Ambiguous> {
    use xiaohu::ui::Ambiguous;
    match (cli.ambiguous_wide, cli.ambiguous_narrow) {
        (true, _) => Some(Ambiguous::Wide),
        (_, true) => Some(Ambiguous::Narrow),
        _ => None,
    }
}

/// The largest theme file or tour script read: the shipped ones are under 4 KB, so 256 KB
/// is room for any real one, and a device or a huge file is refused, not read.
const SCRIPT_LIMIT: u64 = 256 * 1024;

/// Kiosk default for `demo play --loop`: long enough for a person to read a screen and think.
const TOUR_IDLE_SECS: u64 = 60;

/// `demo play FILE`: the script is read and checked before the terminal is touched, so a
/// missing file or a broken script is a plain message and a non-zero exit.
fn demo_play(
    cli: &Cli,
    file: &Path,
    looping: bool,
    idle: Option<u64>,
    speed: f64,
) -> Result<ExitCode, Failure> {
    usable_path("demo play", file)?;
    if cli.plain {
        // A tour is something to watch; plain mode is for doing a case by typing.
        return Err(Failure::Message(
            "demo play is a full-screen tour; --plain does not apply (to walk a \
                    case in plain mode: xiaohu --plain --demo)"
                .into(),
        ));
    }
    if !(speed.is_finite() && (0.01..=1000.0).contains(&speed)) {
        return Err(format!("--speed {speed}: use a number from 0.01 to 1000").into());
    }
    let shown = file.display().to_string();
    let text = regular_file::read_to_string(file, SCRIPT_LIMIT, Links::Follow)
        .map_err(|e| format!("{shown}:1:1: error: cannot read the tour script: {e}"))?;
    let content = load_content(cli.content.as_deref())?;
    let profiles = demo::parse(demo::BUILTIN_PATH, demo::BUILTIN, &content).map_err(|d| {
        let lines = diagnostic_lines(&d);
        lines.join("\n")
    })?;
    let script = tour::parse(&shown, &text, &content, &profiles).map_err(|diagnostics| {
        let lines = diagnostic_lines(&diagnostics);
        format!(
            "the tour script has {} problem(s):\n{}",
            lines.len(),
            lines.join("\n")
        )
    })?;
    let theme = load_theme(cli.theme.as_deref())?;
    let idle = idle.or(looping.then_some(TOUR_IDLE_SECS));
    let stopped_by = app::play(app::TourOptions {
        content,
        lang: cli.lang.unwrap_or(script.lang),
        theme,
        script,
        speed,
        looping,
        idle: idle.map(std::time::Duration::from_secs),
        ambiguous: ambiguous_flag(cli),
    })
    .map_err(|e| format!("{e:#}"))?;
    Ok(stopped_by.map_or(ExitCode::SUCCESS, |n| ExitCode::from(128 + n as u8)))
}

fn check(out: &mut impl Write, dir: Option<&Path>) -> io::Result<ExitCode> {
    let result = match dir {
        Some(dir) => content_dir::read_sources(dir).and_then(Content::load),
        None => Content::builtin(),
    };
    match result {
        Ok(content) => {
            let steps: usize = content.products.iter().map(|p| p.steps.len()).sum();
            let n = content.products.len();
            let s = if n == 1 { "" } else { "s" };
            writeln!(out, "ok: {n} product{s}, {steps} steps")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(diagnostics) => {
            // One line per problem: what a diagnostic quotes from the file stays on it.
            for d in &diagnostics {
                writeln!(out, "{}", safe_text::line(&d.to_string()))?;
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `--profile ID`: a sample account from the shipped profiles, checked against the content.
fn demo_profile(content: &Content, id: &str) -> Result<demo::Profile, String> {
    let profiles = demo::parse(demo::BUILTIN_PATH, demo::BUILTIN, content).map_err(|d| {
        let lines = diagnostic_lines(&d);
        lines.join("\n")
    })?;
    let ids: Vec<&str> = profiles.iter().map(|p| p.id.as_str()).collect();
    let known = ids.join(", ");
    profiles
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .ok_or_else(|| format!("unknown demo profile `{id}`; known profiles: {known}"))
}

/// `--theme`: a built-in name, or a path to a theme file.
fn load_theme(choice: Option<&str>) -> Result<Theme, String> {
    let Some(choice) = choice.filter(|c| !c.is_empty()) else {
        return Ok(Theme::color());
    };
    if let Some(theme) = Theme::builtin(choice) {
        return Ok(theme);
    }
    let names: Vec<&str> = theme::BUILTIN.iter().map(|(n, _)| *n).collect();
    let path = Path::new(choice);
    if path.components().count() == 1 && path.extension().is_none() {
        return Err(format!(
            "unknown theme `{choice}`; built-in themes: {}, or give a path to a .toml file",
            names.join(", ")
        ));
    }
    let source = regular_file::read_to_string(path, SCRIPT_LIMIT, Links::Follow)
        .map_err(|e| format!("{choice}:1:1: error: cannot read the theme file: {e}"))?;
    Theme::parse(choice, &source).map_err(|diagnostics| {
        let lines = diagnostic_lines(&diagnostics);
        format!(
            "the theme has {} problem(s):\n{}",
            lines.len(),
            lines.join("\n")
        )
    })
}

/// Diagnostics for a message, one line each: what one quotes from its file cannot break
/// its line or command the terminal.
fn diagnostic_lines(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| safe_text::line(&d.to_string()).into_owned())
        .collect()
}

fn load_content(dir: Option<&Path>) -> Result<Content, String> {
    let result = match dir {
        Some(dir) => content_dir::read_sources(dir).and_then(Content::load),
        None => Content::builtin(),
    };
    result.map_err(|diagnostics| {
        let lines = diagnostic_lines(&diagnostics);
        format!(
            "the content has {} problem(s):\n{}",
            lines.len(),
            lines.join("\n")
        )
    })
}

/// Paths from the command line or the environment are the operator's to choose (relative,
/// absolute, with `..`), but they are shown in messages and receipts and must name a real
/// folder: plain text, not empty, within the system's length limits.
fn usable_path(what: &str, path: &Path) -> Result<(), String> {
    let Some(text) = path.to_str() else {
        return Err(format!(
            "{what}: the path is not valid UTF-8 text; use a folder whose name is plain text"
        ));
    };
    if text.is_empty() {
        return Err(format!("{what} is empty"));
    }
    if text.len() > 4096 || path.components().any(|c| c.as_os_str().len() > 255) {
        return Err(format!(
            "{what}: the path is too long (at most 255 bytes per folder name, 4096 in all)"
        ));
    }
    Ok(())
}

fn data_dir(cli: &Cli) -> Result<PathBuf, String> {
    match &cli.data_dir {
        Some(dir) => {
            usable_path("--data-dir (or XIAOHU_DATA_DIR)", dir)?;
            Ok(dir.clone())
        }
        None => Store::default_dir()
            .ok_or_else(|| "no home folder to keep cases in; pass --data-dir DIR".into()),
    }
}

/// `LC_ALL`, then `LC_MESSAGES`, then `LANG`, as POSIX orders them.
fn lang_from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .map_or(Lang::En, |v| Lang::from_locale(&v))
}
