//! The `xiaohu` binary: parses the command line and dispatches. Nothing else lives here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use xiaohu::cli::{Cli, Command, DemoCommand};
use xiaohu::content::{Content, Diagnostic, Lang};
use xiaohu::store::Store;
use xiaohu::ui::{Theme, theme};
use xiaohu::wizard::{demo, tour};
use xiaohu::{app, content_dir, report};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xiaohu: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    if let Some(dir) = &cli.content {
        usable_path("--content", dir)?;
    }
    if let Some(Command::Check { dir: Some(dir) }) = &cli.command {
        usable_path("check", dir)?;
    }
    let lang = cli.lang.unwrap_or_else(lang_from_env);
    match &cli.command {
        Some(Command::Check { dir }) => {
            let dir = dir.as_ref().or(cli.content.as_ref());
            Ok(check(dir.map(PathBuf::as_path)))
        }
        Some(Command::List) => {
            let content = load_content(cli.content.as_deref())?;
            for p in &content.products {
                println!("{}\t{}", p.id(), p.info.name.get(lang));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sessions) => {
            // The contract's four columns first (id, product, step, last update); the state
            // follows as a stable word, so scripts can rely on both.
            let store = Store::read_only(&data_dir(&cli)?);
            let (cases, damaged) = store.list();
            for c in cases {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    c.id,
                    c.product,
                    c.step,
                    c.updated
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    c.state.code(),
                );
            }
            for (path, reason) in &damaged {
                eprintln!("{path}: error: {reason}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Log { id }) => {
            let content = load_content(cli.content.as_deref())?;
            let case = Store::read_only(&data_dir(&cli)?)
                .load(id)
                .map_err(|e| e.to_string())?;
            let product = content.product(&case.product);
            let lang = cli.lang.unwrap_or(case.lang);
            for entry in &case.log {
                println!("{}", report::log_line(entry, &content, product, lang));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export { id, format }) => {
            let content = load_content(cli.content.as_deref())?;
            let case = Store::read_only(&data_dir(&cli)?)
                .load(id)
                .map_err(|e| e.to_string())?;
            // The receipt is in the case's language unless --lang says otherwise.
            let lang = cli.lang.unwrap_or(case.lang);
            let now = chrono::Local::now().fixed_offset();
            print!("{}", report::receipt(&case, &content, lang, *format, now));
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
            let start = app::Start::Resume(id.clone());
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
                    ));
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
) -> Result<ExitCode, String> {
    // Before anything touches the terminal: a bad theme is a plain message.
    let theme = load_theme(cli.theme.as_deref())?;
    let store = if cli.demo {
        None
    } else {
        Some(Store::open(&data_dir(cli)?).map_err(|e| e.to_string())?)
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
    })
    .map_err(|e| format!("{e:#}"))?;
    // Stopped by a signal: exit as the shell expects (128 + n), after saving.
    Ok(stopped_by.map_or(ExitCode::SUCCESS, |n| ExitCode::from(128 + n as u8)))
}

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
) -> Result<ExitCode, String> {
    usable_path("demo play", file)?;
    if cli.plain {
        // A tour is something to watch; plain mode is for doing a case by typing.
        return Err(
            "demo play is a full-screen tour; --plain does not apply (to walk a \
                    case in plain mode: xiaohu --plain --demo)"
                .into(),
        );
    }
    if !(speed.is_finite() && (0.01..=1000.0).contains(&speed)) {
        return Err(format!("--speed {speed}: use a number from 0.01 to 1000"));
    }
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{shown}:1:1: error: cannot read the tour script: {e}"))?;
    let content = load_content(cli.content.as_deref())?;
    let profiles = demo::parse(demo::BUILTIN_PATH, demo::BUILTIN, &content).map_err(|d| {
        let lines: Vec<String> = d.iter().map(ToString::to_string).collect();
        lines.join("\n")
    })?;
    let script = tour::parse(&shown, &text, &content, &profiles).map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
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
    })
    .map_err(|e| format!("{e:#}"))?;
    Ok(stopped_by.map_or(ExitCode::SUCCESS, |n| ExitCode::from(128 + n as u8)))
}

fn check(dir: Option<&Path>) -> ExitCode {
    let result = match dir {
        Some(dir) => content_dir::read_sources(dir).and_then(Content::load),
        None => Content::builtin(),
    };
    match result {
        Ok(content) => {
            let steps: usize = content.products.iter().map(|p| p.steps.len()).sum();
            let n = content.products.len();
            let s = if n == 1 { "" } else { "s" };
            println!("ok: {n} product{s}, {steps} steps");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            ExitCode::FAILURE
        }
    }
}

/// `--profile ID`: a sample account from the shipped profiles, checked against the content.
fn demo_profile(content: &Content, id: &str) -> Result<demo::Profile, String> {
    let profiles = demo::parse(demo::BUILTIN_PATH, demo::BUILTIN, content).map_err(|d| {
        let lines: Vec<String> = d.iter().map(ToString::to_string).collect();
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
    let source = std::fs::read_to_string(path)
        .map_err(|e| format!("{choice}:1:1: error: cannot read the theme file: {e}"))?;
    Theme::parse(choice, &source).map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        format!(
            "the theme has {} problem(s):\n{}",
            lines.len(),
            lines.join("\n")
        )
    })
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        println!("{d}");
    }
}

fn load_content(dir: Option<&Path>) -> Result<Content, String> {
    let result = match dir {
        Some(dir) => content_dir::read_sources(dir).and_then(Content::load),
        None => Content::builtin(),
    };
    result.map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
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
