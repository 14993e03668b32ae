//! The `xiaohu` binary: parses the command line and dispatches. Nothing else lives here.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xiaohu::cli::{Cli, Command, DemoCommand, StoreCommand};
use xiaohu::content::{self, Content, Diagnostic, Lang, UiStrings};
use xiaohu::regular_file::{self, Links};
use xiaohu::store::{CaseStore, FileCases, PgCases, Store, StoreError, is_postgres};
use xiaohu::ui::{Theme, theme};
use xiaohu::wizard::case::CASE_SCHEMA;
use xiaohu::wizard::{FaultKind, demo, tour};
use xiaohu::{app, content_dir, report, safe_text, sessions};

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
    let cli = Cli::from_command_line();
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
    // The person's language for messages: --lang, else the environment, as the wizard's.
    let lang = cli.options.lang.unwrap_or_else(lang_from_env);
    if let Some(dir) = &cli.options.content {
        usable_path("--content", dir, lang)?;
        // `check` reports a bad folder as one of its `path:line:col` lines (its contract);
        // every other command says it in words first.
        if !matches!(cli.command, Some(Command::Check { .. })) {
            a_folder("--content", dir, lang)?;
        }
    }
    if let Some(Command::Check { dir: Some(dir) }) = &cli.command {
        usable_path("check", dir, lang)?;
    }
    match &cli.command {
        Some(Command::Check { dir }) => {
            let mut out = output()?;
            let dir = dir.as_ref().or(cli.options.content.as_ref());
            let code = check(&mut out, &cli, dir.map(PathBuf::as_path), lang)?;
            out.flush()?;
            Ok(code)
        }
        Some(Command::List) => {
            let mut out = output()?;
            let content = load_content(&cli, Keep::ReadOnly, lang)?;
            for p in &content.products {
                let (id, name) = (p.id(), p.info.name.get(lang));
                writeln!(out, "{}\t{}", safe_text::tsv(id), safe_text::tsv(name))?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        // A public terminal lists no saved case (and names no customer).
        Some(Command::Sessions { .. }) if cli.options.kiosk => {
            Err(String::from("--kiosk lists no saved case; list them at a staff desk").into())
        }
        // Nor prints one: a case's log and receipt are read at a staff desk, as it is resumed.
        Some(Command::Log { .. } | Command::Export { .. }) if cli.options.kiosk => Err(
            String::from("--kiosk shows no saved case; print its log or receipt at a staff desk")
                .into(),
        ),
        Some(Command::Sessions {
            state,
            overdue,
            customer,
            product,
            agent,
            all,
            format,
        }) => {
            let mut out = output()?;
            // Which cases and how they are written is `xiaohu::sessions`, pure; here only
            // the summaries, the day and the calendar are fetched.
            let filter = sessions::Filter {
                state: state.map(|w| w.0),
                overdue: *overdue,
                customer: customer.clone(),
                product: product.clone(),
                agent: agent.clone(),
                all: *all,
            };
            // How late a review is counts business days: JSON says it, so it needs the
            // calendar (of --content, as the wizard's); the rows do not.
            let calendar = match format {
                sessions::ListFormat::Json => load_content(&cli, Keep::ReadOnly, lang)?.calendar,
                sessions::ListFormat::Tsv => Default::default(),
            };
            // A new desk has nothing saved yet, so nothing to list; a data dir that is not
            // a private folder of the user's, or a case book that cannot be reached, is an
            // error that says what to fix.
            let Some(mut store) = reading_store(&store_place(&cli, lang)?, &cli, lang)? else {
                if *format == sessions::ListFormat::Json {
                    writeln!(out, "[]")?;
                    out.flush()?;
                }
                return Ok(ExitCode::SUCCESS);
            };
            let (cases, damaged) = store.list();
            let today = xiaohu::calendar::china_date(app::now());
            let text = sessions::listing(&cases, &filter, *format, today, &calendar);
            out.write_all(text.as_bytes())?;
            out.flush()?;
            for (path, reason) in &damaged {
                let (path, reason) = (safe_text::line(path), safe_text::line(reason));
                say(&format!("{path}: error: {reason}"));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Completions { shell }) => {
            let mut out = output()?;
            let mut script = Vec::new();
            xiaohu::cli::completions(*shell, &mut script);
            out.write_all(&script)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man { command }) => {
            let mut out = output()?;
            let mut page = Vec::new();
            xiaohu::cli::man_page(command, &mut page)??;
            out.write_all(&page)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Log { id }) => {
            let mut out = output()?;
            let content = load_content(&cli, Keep::ReadOnly, lang)?;
            let case = saved_case(&cli, id, lang)?;
            let product = known_product(&content, &case, lang)?;
            // In the case's language unless --lang says otherwise, as `resume` and `export`.
            let lang = cli.options.lang.unwrap_or(case.lang);
            for entry in &case.log {
                writeln!(
                    out,
                    "{}",
                    report::log_line(entry, &content, Some(product), lang)
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export { id, format }) => {
            let mut out = output()?;
            let content = load_content(&cli, Keep::ReadOnly, lang)?;
            let case = saved_case(&cli, id, lang)?;
            known_product(&content, &case, lang)?;
            // The receipt is in the case's language unless --lang says otherwise.
            let lang = cli.options.lang.unwrap_or(case.lang);
            // Printed "now", on the clock the wizard uses (frozen in tests).
            out.write_all(report::receipt(&case, &content, lang, *format, app::now()).as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Store {
            command: StoreCommand::Copy { from, to },
        }) => store_copy(&cli, from, to, lang),
        Some(Command::Demo {
            command:
                DemoCommand::Play {
                    file,
                    looping,
                    idle,
                    speed,
                },
        }) => demo_play(&cli, file, *looping, *idle, *speed),
        // A public terminal never reopens a saved case, even one named on its command line.
        Some(Command::Resume { .. }) if cli.options.kiosk => Err(String::from(
            "--kiosk never reopens a saved case; resume it at a staff desk",
        )
        .into()),
        Some(Command::Resume { id }) => {
            let content = load_content(&cli, Keep::Record, lang)?;
            // A bad theme is said first, as for a new case.
            load_theme(cli.options.theme.as_deref())?;
            // Read first, without holding it: an unknown or damaged case is a plain message
            // before the terminal is touched, and the case opens in the language it was
            // saved in unless --lang says otherwise (as `log` and `export` print it). The
            // wizard then opens and holds it; a lock taken meanwhile is said there.
            let saved = saved_case(&cli, id, lang)?;
            // Held at another desk of a shared case book: say which, before the screen.
            if let Some(mut store) = reading_store(&store_place(&cli, lang)?, &cli, lang)?
                && let Some(desk) = store.held_elsewhere(&saved.id)
            {
                let held = StoreError::LockedAt {
                    id: saved.id.to_string(),
                    desk,
                };
                return Err(store_message(&held, lang).into());
            }
            let lang = cli.options.lang.unwrap_or(saved.lang);
            let start = app::Start::Resume(saved.id);
            tui(&cli, content, lang, start, Default::default())
        }
        None => {
            let content = load_content(&cli, Keep::Record, lang)?;
            if let Some(id) = &cli.options.profile {
                let profile = demo_profile(&content, id)?;
                let start = app::Start::Product(profile.product);
                return tui(&cli, content, lang, start, profile.amounts);
            }
            let start = match &cli.options.product {
                Some(id) if content.product(id).is_none() => {
                    let ids: Vec<&str> = content.products.iter().map(|p| p.id()).collect();
                    let args = [("id", id.as_str()), ("known", &ids.join(", "))];
                    let text = builtin_ui().cli_unknown_product.fill(lang, &args);
                    return Err(safe_text::line(&text).into_owned().into());
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
    let theme = load_theme(cli.options.theme.as_deref())?;
    // Messages are in the person's language, which a resumed case's may not be.
    let said = cli.options.lang.unwrap_or_else(lang_from_env);
    let store = if cli.options.demo {
        None
    } else {
        Some(writing_store(&store_place(cli, said)?, cli, said)?)
    };
    let stopped_by = app::run(app::Options {
        content,
        lang,
        demo: cli.options.demo,
        kiosk: cli.options.kiosk,
        staff: cli.options.staff(),
        store,
        start,
        theme,
        idle_reset: cli.options.idle_reset.map(std::time::Duration::from_secs),
        demo_amounts,
        plain: cli.options.plain,
        ambiguous: ambiguous_flag(cli),
    })
    .map_err(|e| match e.downcast_ref::<app::ResumeRefused>() {
        // The case was taken by another terminal between reading it and opening it.
        Some(app::ResumeRefused(fault)) => match &fault.kind {
            // Which desk, where the store can say (the shared case book).
            FaultKind::Locked(id) => match held_by(cli, said, id) {
                Some(desk) => {
                    let held = StoreError::LockedAt {
                        id: id.clone(),
                        desk,
                    };
                    store_message(&held, said)
                }
                None => builtin_ui()
                    .cli_locked
                    .fill(said, &[("id", &safe_text::line(id))]),
            },
            _ => safe_text::line(&fault.detail).into_owned(),
        },
        None => format!("{e:#}"),
    })?;
    // Stopped by a signal: exit as the shell expects (128 + n), after saving.
    Ok(stopped_by.map_or(ExitCode::SUCCESS, |n| ExitCode::from(128 + n as u8)))
}

/// `--ambiguous-wide` / `--ambiguous-narrow` (clap keeps them apart).
fn ambiguous_flag(cli: &Cli) -> Option<xiaohu::ui::Ambiguous> {
    use xiaohu::ui::Ambiguous;
    match (cli.options.ambiguous_wide, cli.options.ambiguous_narrow) {
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
    usable_path(
        "demo play",
        file,
        cli.options.lang.unwrap_or_else(lang_from_env),
    )?;
    if cli.options.plain {
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
    // A tour writes nothing to disk, the record of checked content neither.
    let content = load_content(
        cli,
        Keep::ReadOnly,
        cli.options.lang.unwrap_or_else(lang_from_env),
    )?;
    let profiles = demo::parse(demo::BUILTIN_PATH, demo::BUILTIN, &content).map_err(|d| {
        let lines = diagnostic_lines(&d);
        lines.join("\n")
    })?;
    let script = tour::parse(&shown, &text, &content, &profiles).map_err(|diagnostics| {
        let lines = diagnostic_lines(&diagnostics);
        format!(
            "the tour script has {}:\n{}",
            problems(lines.len()),
            lines.join("\n")
        )
    })?;
    let theme = load_theme(cli.options.theme.as_deref())?;
    let idle = idle.or(looping.then_some(TOUR_IDLE_SECS));
    let stopped_by = app::play(app::TourOptions {
        content,
        lang: cli.options.lang.unwrap_or(script.lang),
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

fn check(out: &mut impl Write, cli: &Cli, dir: Option<&Path>, lang: Lang) -> io::Result<ExitCode> {
    let kept = records_dir(cli, lang);
    let result = match dir {
        // A demo writes nothing to disk, `check` under it neither.
        Some(dir) => content_dir::load(dir, records(&kept, keep_unless_demo(cli, Keep::Record))),
        // The built-in TOML itself, read and validated, not the form made from it.
        None => Content::load(content::builtin::sources()),
    };
    match result {
        Ok(content) => {
            let steps: usize = content.products.iter().map(|p| p.step_count()).sum();
            let n = content.products.len();
            let s = if n == 1 { "" } else { "s" };
            writeln!(out, "ok: {n} product{s}, {steps} steps")?;
            // The process ends here: its memory goes back whole, where freeing a catalogue
            // of 10,000 products piece by piece took some 10 ms of `check`'s second.
            std::mem::forget(content);
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
            "the theme has {}:\n{}",
            problems(lines.len()),
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

/// Whether a run keeps the record of checked content files in the data dir up to date:
/// the wizard and `check` do; the commands that only read (`list`, `sessions`, `log`,
/// `export`), a demo and a tour read it and write nothing in the data dir.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    Record,
    ReadOnly,
}

fn keep_unless_demo(cli: &Cli, keep: Keep) -> Keep {
    if cli.options.demo {
        Keep::ReadOnly
    } else {
        keep
    }
}

/// The data dir the record of checked content is kept in, if there is one: the file
/// store's folder when `--store` names one, else `--data-dir` (a PostgreSQL case book
/// keeps no content record; this desk's data dir does).
fn records_dir(cli: &Cli, lang: Lang) -> Option<PathBuf> {
    match store_place(cli, lang) {
        Ok(Place::Files(dir)) => Some(dir),
        _ => data_dir(cli, lang).ok(),
    }
}

fn records(dir: &Option<PathBuf>, keep: Keep) -> Option<content_dir::Records<'_>> {
    dir.as_deref().map(|dir| content_dir::Records {
        dir,
        write: keep == Keep::Record,
    })
}

/// The content, or its problems under a heading in the person's language; the problems
/// themselves are `path:line:col: error: …` lines, as `check` prints them. `--content`'s
/// product files that passed before, unchanged, are not checked again until opened
/// (`content_dir::checked`).
fn load_content(cli: &Cli, keep: Keep, lang: Lang) -> Result<Content, String> {
    let keep = keep_unless_demo(cli, keep);
    let result = match cli.options.content.as_deref() {
        Some(dir) => content_dir::load(dir, records(&records_dir(cli, lang), keep)),
        None => Content::builtin(),
    };
    result.map_err(|diagnostics| {
        let lines = diagnostic_lines(&diagnostics);
        let ui = builtin_ui();
        let heading = match lines.len() {
            1 => ui.cli_content_problems_one.get(lang).to_owned(),
            n => ui.cli_content_problems.fill(lang, &[("n", &n.to_string())]),
        };
        format!("{heading}\n{}", lines.join("\n"))
    })
}

/// "1 problem", "3 problems": the count in the heading of an English-only list of problems.
fn problems(n: usize) -> String {
    if n == 1 {
        "1 problem".to_owned()
    } else {
        format!("{n} problems")
    }
}

/// The words of the command line's own messages: the built-in `ui.toml`'s, since a message
/// may be about the very content that did not load. Made once, on the first message.
fn builtin_ui() -> &'static UiStrings {
    static UI: std::sync::OnceLock<Box<UiStrings>> = std::sync::OnceLock::new();
    UI.get_or_init(Content::builtin_ui)
}

/// A saved case, read without holding it; refused in the person's language.
fn saved_case(cli: &Cli, id: &str, lang: Lang) -> Result<xiaohu::wizard::Case, String> {
    let place = store_place(cli, lang)?;
    if let Place::Files(dir) = &place {
        // As before the store seam: the data dir's own checks and words, in one place.
        return Store::read_only(dir)
            .load(id)
            .map_err(|e| store_message(&e, lang));
    }
    let id = xiaohu::wizard::CaseId::parse(id)
        .map_err(|_| store_message(&StoreError::BadId(id.to_owned()), lang))?;
    let Some(mut store) = reading_store(&place, cli, lang)? else {
        return Err(store_message(&StoreError::NotFound(id.to_string()), lang));
    };
    store.read(&id).map_err(|e| store_message(&e, lang))
}

/// The desk holding case `id`, where the store can tell.
fn held_by(cli: &Cli, lang: Lang, id: &str) -> Option<String> {
    let id = xiaohu::wizard::CaseId::parse(id).ok()?;
    let mut store = reading_store(&store_place(cli, lang).ok()?, cli, lang).ok()??;
    store.held_elsewhere(&id)
}

/// Where cases are kept: a PostgreSQL case book, or a data dir.
enum Place {
    Postgres(String),
    Files(PathBuf),
}

/// `--store` (or XIAOHU_STORE) if given, else `--data-dir` as before.
fn store_place(cli: &Cli, lang: Lang) -> Result<Place, String> {
    match cli
        .options
        .store
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(text) => place_of("--store (XIAOHU_STORE)", text, lang),
        None => data_dir(cli, lang).map(Place::Files),
    }
}

/// A store named on the command line: a connection string, `file:PATH`, or a path.
fn place_of(option: &str, text: &str, lang: Lang) -> Result<Place, String> {
    if is_postgres(text) {
        return Ok(Place::Postgres(text.to_owned()));
    }
    let path = Path::new(text.strip_prefix("file:").unwrap_or(text));
    checked_dir(option, path, lang).map(Place::Files)
}

/// The name other desks are told when they ask for a case held here: --desk, else this
/// machine's name and the process.
fn desk_name(cli: &Cli) -> String {
    cli.options.staff().desk.unwrap_or_else(|| {
        let host = host_name().unwrap_or_else(|| "?".into());
        format!("{host} (pid {})", std::process::id())
    })
}

#[cfg(unix)]
fn host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; the name is NUL-terminated within it
    // when the call succeeds (the last byte is kept for that).
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) } == 0;
    let end = buf.iter().position(|&b| b == 0)?;
    ok.then(|| String::from_utf8_lossy(&buf[..end]).into_owned())
        .filter(|h| !h.is_empty())
}

#[cfg(not(unix))]
fn host_name() -> Option<String> {
    std::env::var("COMPUTERNAME").ok()
}

/// The store the wizard (or `store copy`'s TO) writes: the data dir made if missing, or the
/// case book, connected on first use.
fn writing_store(place: &Place, cli: &Cli, lang: Lang) -> Result<Box<dyn CaseStore>, String> {
    match place {
        Place::Files(dir) => {
            let files = Store::open(dir).map_err(|e| store_message(&e, lang))?;
            Ok(Box::new(FileCases::new(files)))
        }
        Place::Postgres(url) => PgCases::new(url, &desk_name(cli))
            .map(|pg| Box::new(pg) as Box<dyn CaseStore>)
            .map_err(|e| store_message(&e, lang)),
    }
}

/// The store a command that only reads uses: nothing is created. `None`: a data dir not
/// made yet (nothing saved). A case book that cannot be reached is an error here.
fn reading_store(
    place: &Place,
    cli: &Cli,
    lang: Lang,
) -> Result<Option<Box<dyn CaseStore>>, String> {
    match place {
        Place::Files(dir) => {
            let files = Store::read_only(dir);
            if !files
                .check_readable()
                .map_err(|e| store_message(&e, lang))?
            {
                return Ok(None);
            }
            Ok(Some(Box::new(FileCases::new(files))))
        }
        Place::Postgres(url) => {
            let mut pg = PgCases::new(url, &desk_name(cli)).map_err(|e| store_message(&e, lang))?;
            pg.check().map_err(|e| store_message(&e, lang))?;
            Ok(Some(Box::new(pg)))
        }
    }
}

/// `store copy FROM TO`: every case of FROM into TO, none lost or made twice. A case TO
/// has unchanged is skipped; one TO has older is replaced (held while written, and only
/// the copy just read); a newer one, another case under the same id, a damaged one or one
/// open at a desk is refused and named. Exit 1 if any was refused.
fn store_copy(cli: &Cli, from: &str, to: &str, lang: Lang) -> Result<ExitCode, Failure> {
    let ui = builtin_ui();
    let from_place = place_of("store copy FROM", from, lang)?;
    let to_place = place_of("store copy TO", to, lang)?;
    let mut out = output()?;
    let (mut copied, mut skipped, mut refused) = (0usize, 0usize, 0usize);
    let source = reading_store(&from_place, cli, lang)?;
    if let Some(mut source) = source {
        let (cases, damaged) = source.list();
        let mut target = writing_store(&to_place, cli, lang)?;
        for (path, reason) in &damaged {
            refused += 1;
            let (path, reason) = (safe_text::line(path), safe_text::line(reason));
            say(&format!("{path}: error: {reason}"));
        }
        let refuse = |id: &str, detail: &str| {
            let args = [("id", id), ("detail", detail)];
            say(&safe_text::line(&ui.cli_copy_refused.fill(lang, &args)));
        };
        for summary in cases {
            let case = match source.read(&summary.id) {
                Ok(case) => case,
                Err(e) => {
                    refused += 1;
                    refuse(&summary.id, &store_message(&e, lang));
                    continue;
                }
            };
            // Held while compared and written: no desk writes it meanwhile.
            let theirs = match target.open(&case.id) {
                Ok(theirs) => Some(theirs),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => {
                    refused += 1;
                    refuse(&case.id, &store_message(&e, lang));
                    continue;
                }
            };
            let outcome = match &theirs {
                Some(theirs) if *theirs == case => Ok(false),
                Some(theirs) if theirs.created != case.created => {
                    Err(ui.cli_copy_other_case.fill(lang, &[]))
                }
                Some(theirs)
                    if theirs.updated > case.updated || theirs.log.len() > case.log.len() =>
                {
                    Err(ui.cli_copy_newer.fill(lang, &[]))
                }
                _ => match target.save(&case, false) {
                    Ok(id) if id == case.id => Ok(true),
                    Ok(id) => {
                        // Its id was taken between the look and the write: kept, renamed.
                        let args = [("id", case.id.as_str()), ("to", id.as_str())];
                        say(&safe_text::line(&ui.cli_copy_renamed.fill(lang, &args)));
                        Ok(true)
                    }
                    Err(e) => Err(store_message(&e, lang)),
                },
            };
            target.release();
            match outcome {
                Ok(true) => copied += 1,
                Ok(false) => skipped += 1,
                Err(why) => {
                    refused += 1;
                    refuse(&case.id, &why);
                }
            }
        }
    }
    let counts = [
        ("copied", copied.to_string()),
        ("skipped", skipped.to_string()),
        ("refused", refused.to_string()),
    ];
    let args: Vec<(&str, &str)> = counts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    writeln!(out, "{}", ui.cli_copy_summary.fill(lang, &args))?;
    out.flush()?;
    Ok(if refused > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The case's product in the content in use. Without it the log and the receipt could
/// only print ids and "?": an author's added product needs the author's `--content DIR`.
fn known_product<'c>(
    content: &'c Content,
    case: &xiaohu::wizard::Case,
    lang: Lang,
) -> Result<&'c xiaohu::content::Product, String> {
    content.product(&case.product).ok_or_else(|| {
        let args = [("id", case.id.as_str()), ("product", &case.product)];
        let text = builtin_ui().cli_product_missing.fill(lang, &args);
        safe_text::line(&text).into_owned()
    })
}

/// What the store refused, in the person's language where xiaohu has the words; the OS's
/// own words (a full disk, a permission) and the store's advice on a folder stay as they
/// are. Made safe to print: ids and paths come from the command line and the disk.
fn store_message(e: &StoreError, lang: Lang) -> String {
    let ui = builtin_ui();
    let text = match e {
        StoreError::BadId(id) => ui.cli_bad_id.fill(lang, &[("id", &shown_id(id))]),
        StoreError::NotFound(id) => ui.cli_no_case.fill(lang, &[("id", &shown_id(id))]),
        StoreError::Locked(id) => ui.cli_locked.fill(lang, &[("id", id)]),
        StoreError::LockedAt { id, desk } => ui
            .cli_locked_at
            .fill(lang, &[("id", id.as_str()), ("desk", desk.as_str())]),
        StoreError::Database { place, message } => ui.cli_store_trouble.fill(
            lang,
            &[("place", place.as_str()), ("detail", message.as_str())],
        ),
        StoreError::Damaged { path, message } => ui
            .cli_damaged
            .fill(lang, &[("path", path), ("detail", message)]),
        StoreError::Newer { path, found } => ui.cli_newer.fill(
            lang,
            &[
                ("path", path),
                ("found", &found.to_string()),
                ("reads", &CASE_SCHEMA.to_string()),
            ],
        ),
        other => other.to_string(),
    };
    safe_text::line(&text).into_owned()
}

/// An id as a message shows it: at most 40 characters, so a pasted 10,000-character
/// argument is not echoed back whole (control characters are escaped by `safe_text`).
fn shown_id(id: &str) -> String {
    let mut shown: String = id.chars().take(40).collect();
    if id.chars().count() > 40 {
        shown.push('…');
    }
    shown
}

/// Paths from the command line or the environment are the operator's to choose (relative,
/// absolute, with `..`), but they are shown in messages and receipts and must name a real
/// folder: plain text, not empty, within the system's length limits.
fn usable_path(what: &str, path: &Path, lang: Lang) -> Result<(), String> {
    // The words are made only for a refusal: every start passes here, and making them
    // was 6 % of the instructions a start ran before its first frame.
    let option = [("option", what)];
    let Some(text) = path.to_str() else {
        return Err(builtin_ui().cli_path_not_text.fill(lang, &option));
    };
    if text.is_empty() {
        return Err(builtin_ui().cli_path_empty.fill(lang, &option));
    }
    if text.len() > 4096 || path.components().any(|c| c.as_os_str().len() > 255) {
        return Err(builtin_ui().cli_path_too_long.fill(lang, &option));
    }
    Ok(())
}

/// `what` names a folder that is there (a link to one is followed here; the store says
/// what it thinks of links in the data dir): a file, a FIFO or nothing at all is said in
/// words, before anything is read.
fn a_folder(what: &str, path: &Path, lang: Lang) -> Result<(), String> {
    let found = match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(meta) => Some(meta.file_type()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        // Not allowed to look, or a loop of links: whoever reads it next says why.
        Err(_) => return Ok(()),
    };
    // The words are made only for a refusal, as in `usable_path`.
    let ui = builtin_ui();
    let shown = safe_text::line(&path.display().to_string()).into_owned();
    let Some(kind) = found else {
        let args = [("option", what), ("path", shown.as_str())];
        return Err(ui.cli_no_folder.fill(lang, &args));
    };
    let args = [
        ("option", what),
        ("path", shown.as_str()),
        ("kind", kind_words(ui, &kind).get(lang)),
    ];
    Err(ui.cli_not_folder.fill(lang, &args))
}

fn kind_words<'u>(ui: &'u UiStrings, kind: &std::fs::FileType) -> &'u xiaohu::content::Text {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return &ui.cli_kind_fifo;
        }
    }
    if kind.is_file() {
        &ui.cli_kind_file
    } else {
        &ui.cli_kind_special
    }
}

/// The data dir: --data-dir (or XIAOHU_DATA_DIR), else the platform's. One that is there
/// but no folder is said in words here; one not there yet is the store's to make (or, for
/// the commands that only read, means nothing is saved).
fn data_dir(cli: &Cli, lang: Lang) -> Result<PathBuf, String> {
    match &cli.options.data_dir {
        Some(dir) => checked_dir("--data-dir (XIAOHU_DATA_DIR)", dir, lang),
        None => Store::default_dir().ok_or_else(|| builtin_ui().cli_no_home.get(lang).to_owned()),
    }
}

/// A data dir named by `option`: usable as a path, and a folder if it is there.
fn checked_dir(option: &str, dir: &Path, lang: Lang) -> Result<PathBuf, String> {
    usable_path(option, dir, lang)?;
    // Not followed: a link is the store's to refuse, with its own advice.
    if let Ok(meta) = std::fs::symlink_metadata(dir)
        && !meta.is_dir()
        && !meta.file_type().is_symlink()
    {
        let ui = builtin_ui();
        let shown = safe_text::line(&dir.display().to_string()).into_owned();
        let kind = kind_words(ui, &meta.file_type()).get(lang);
        let args = [("option", option), ("path", shown.as_str()), ("kind", kind)];
        return Err(ui.cli_not_folder.fill(lang, &args));
    }
    Ok(dir.to_path_buf())
}

/// `LC_ALL`, then `LC_MESSAGES`, then `LANG`, as POSIX orders them.
fn lang_from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .map_or(Lang::En, |v| Lang::from_locale(&v))
}
