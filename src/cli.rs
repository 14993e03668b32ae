//! The command line: options and subcommands (help-desk scripts rely on these names).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::content::Lang;
use crate::report::Format;
use crate::sessions::{ListFormat, StateWord};

#[derive(Debug, Parser)]
#[command(
    name = "xiaohu",
    version,
    about = "销户 — walk through closing a consumer-credit product, step by step",
    long_about = "销户 — a terminal wizard that walks you through closing a consumer-credit \
                  product (微粒贷, 花呗, 借呗, 网商贷, 京东白条, 小米商城分期 …). It never \
                  connects to a bank: you act in the real app, it guides and keeps a record."
)]
pub struct Cli {
    #[command(flatten)]
    pub options: Options,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The options of the wizard itself, most of them global (given to every subcommand too).
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Where cases are saved (default: the platform data dir).
    #[arg(long, global = true, env = "XIAOHU_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Where cases are kept: a PostgreSQL server for a case book shared by several desks
    /// (`postgres://user@host/db`, `postgresql://…`, or libpq `key=value` words such as
    /// `host=/run/postgresql dbname=xiaohu`), or a path / `file:PATH` for the file store.
    /// Without it, --data-dir. Used by the wizard, sessions, resume, log and export.
    #[arg(long, global = true, env = "XIAOHU_STORE", value_name = "URL")]
    pub store: Option<String>,

    /// The agent working cases here: recorded on every log entry, shown in the log, the
    /// receipt and the agent panel.
    #[arg(long, global = true, env = "XIAOHU_AGENT", value_name = "NAME")]
    pub agent: Option<String>,

    /// The desk (counter) this terminal is: recorded on every log entry, and named to
    /// another desk that asks for a case held here.
    #[arg(long, global = true, env = "XIAOHU_DESK", value_name = "NAME")]
    pub desk: Option<String>,

    /// Load content from DIR (same layout as content/) instead of the built-in copy.
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,

    /// Language: zh or en (default from LC_ALL, LC_MESSAGES or LANG). Also the language of
    /// the command line's errors.
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<Lang>,

    /// Colours: default, high-contrast, monochrome, or a theme file (see assets/themes/).
    /// NO_COLOR always means monochrome.
    #[arg(long, global = true, env = "XIAOHU_THEME", value_name = "NAME|PATH")]
    pub theme: Option<String>,

    /// After SECS without a key, start over for the next person: the start page in the
    /// language it started in, every overlay and half-typed field gone, the screen and the
    /// terminal's scrollback cleared; the case is saved for staff (in demo mode discarded).
    /// On by default with --kiosk, after 60 s.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_reset: Option<u64>,

    /// A public terminal: visitors cannot quit (q and Ctrl-C do nothing), no saved case is
    /// listed or reopened, staff keys (agent panel, receipt) are hidden, and after 60 s
    /// without a key it starts over (--idle-reset). Staff stop it with SIGTERM. Implied by
    /// `demo play`.
    #[arg(long, conflicts_with = "plain")]
    pub kiosk: bool,

    /// Demo with a sample account from assets/demo/profiles.toml (e.g. huabei-owes): starts
    /// its product with the debt amounts filled in.
    #[arg(long, value_name = "ID", requires = "demo", conflicts_with = "product")]
    pub profile: Option<String>,

    /// Start a new case at this product (see `xiaohu list`).
    #[arg(long, value_name = "ID")]
    pub product: Option<String>,

    /// Accessible plain mode: one question per line on the normal screen, numbered choices,
    /// no colour or box drawing (for screen readers); answers are typed.
    #[arg(long, global = true)]
    pub plain: bool,

    /// Help-desk demo: nothing written to disk, amounts start at zero, simulated verification.
    #[arg(long)]
    pub demo: bool,

    /// The terminal draws East Asian ambiguous-width characters (─ ▶ · — …) two cells wide
    /// (PuTTY/Xshell "CJK ambiguous characters are wide", xterm -cjk_width): draw the
    /// interface without them. Default: XIAOHU_AMBIGUOUS=wide|narrow, else ask the terminal.
    #[arg(long, global = true, conflicts_with = "ambiguous_narrow")]
    pub ambiguous_wide: bool,

    /// The terminal draws ambiguous-width characters one cell wide (skip asking it).
    #[arg(long, global = true)]
    pub ambiguous_narrow: bool,
}

/// The command line of a start that names no subcommand, parsed with the options alone:
/// clap builds a command's whole tree before it parses, copying the nine global options into
/// each of the eleven subcommands, which was a tenth of the time to the first frame. Help
/// and version are left to the whole command line, so they read as they always do.
#[derive(Parser)]
#[command(name = "xiaohu", disable_help_flag = true, disable_version_flag = true)]
struct Wizard {
    #[command(flatten)]
    options: Options,
}

impl Wizard {
    /// As `try_parse_from`, with the options made local: "global" hands an option down to
    /// subcommands, which this command has none of, and clap's copying of the global values
    /// into the matches was an eighth of the parse.
    fn try_parse_alone(args: &[std::ffi::OsString]) -> Result<Wizard, clap::Error> {
        use clap::{CommandFactory, FromArgMatches};
        let command = Wizard::command().mut_args(|arg| arg.global(false));
        let mut matches = command.try_get_matches_from(args)?;
        Wizard::from_arg_matches_mut(&mut matches)
    }
}

impl Cli {
    /// The command line, parsed as `Parser::parse` does, but `sessions --agent` filters only
    /// when typed: the option shares its name with the global `--agent` (this desk's agent,
    /// also from XIAOHU_AGENT), whose value clap hands down to it, and a desk's environment
    /// must not silently hide every other agent's cases.
    pub fn from_command_line() -> Cli {
        match Cli::parse_args(std::env::args_os().collect()) {
            Ok(cli) => cli,
            Err(e) => e.exit(),
        }
    }

    /// `args` (the program's name first) parsed as `from_command_line` does, or clap's
    /// error (help and version are errors of their own kinds, as clap makes them).
    fn parse_args(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
        // Anything the options alone do not take (a subcommand, --help, a mistake) is parsed
        // again as a whole, so its result, help and errors are the whole command line's.
        if let Ok(wizard) = Wizard::try_parse_alone(&args) {
            return Ok(Cli {
                options: wizard.options,
                command: None,
            });
        }
        Cli::parse_whole(args)
    }

    /// Parsed with the whole command tree.
    fn parse_whole(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
        use clap::{CommandFactory, FromArgMatches, parser::ValueSource};
        let matches = Cli::command().try_get_matches_from(args)?;
        // Asked before the matches are read into `Cli`, which takes the subcommand's out.
        let typed = matches
            .subcommand_matches("sessions")
            .and_then(|m| m.value_source("agent"))
            == Some(ValueSource::CommandLine);
        let mut cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut Cli::command()))?;
        if let Some(Command::Sessions { agent, .. }) = &mut cli.command
            && !typed
        {
            *agent = None;
        }
        Ok(cli)
    }
}

impl Options {
    /// Who works cases here, as given (blank means not given). A name is a label on every
    /// log line: control and bidi characters are dropped and it is cut to 40 characters, so
    /// a hostile environment cannot put escapes into the case book.
    pub fn staff(&self) -> crate::wizard::Staff {
        let given = |v: &Option<String>| {
            let kept: String = v
                .as_deref()?
                .chars()
                .filter(|c| !crate::safe_text::is_unsafe(*c))
                .take(40)
                .collect();
            let kept = kept.trim();
            (!kept.is_empty()).then(|| kept.to_owned())
        };
        crate::wizard::Staff {
            agent: given(&self.agent),
            desk: given(&self.desk),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate content (DIR, or the built-in copy): one `path:line:col: error: …` per problem.
    Check { dir: Option<PathBuf> },
    /// List products: `id<TAB>name`.
    List,
    /// List saved cases, tab-separated: id, product, step, last update, state, expected
    /// date, customer (or --format json).
    #[command(
        long_about = "List saved cases, one a line, tab-separated, in this order: id, product, \
                      step, last update (RFC 3339), state (a word: see --state), the review's \
                      expected date (YYYY-MM-DD, or empty), the customer reference (or empty). \
                      A tab, a newline or a backslash in a field is written as \\t, \\n, \\\\. \
                      Archived cases are listed only with --all. Every filter given must hold. \
                      Damaged case files are named on stderr and left as they are."
    )]
    Sessions {
        /// Only cases in this state.
        #[arg(long, value_enum, value_name = "STATE", help_heading = "Filters")]
        state: Option<StateWord>,
        /// Only reviews past their expected date (today, in China, is after it).
        #[arg(long, help_heading = "Filters")]
        overdue: bool,
        /// Only cases whose customer reference contains TEXT (upper or lower case alike).
        #[arg(long, value_name = "TEXT", help_heading = "Filters")]
        customer: Option<String>,
        /// Only cases of this product (see `xiaohu list`).
        #[arg(long, value_name = "ID", help_heading = "Filters")]
        product: Option<String>,
        /// Only cases last worked by this agent (the whole name, upper or lower case alike).
        /// Here a filter: the XIAOHU_AGENT of this desk does not narrow the list.
        #[arg(long, value_name = "NAME", help_heading = "Filters")]
        agent: Option<String>,
        /// Archived cases too.
        #[arg(long, help_heading = "Filters")]
        all: bool,
        /// tsv: the columns above. json: one JSON array, one object per case on a line of
        /// its own, with the fields id, product, step, updated, state, expected, customer,
        /// agent, archived and days_late (business days past the expected date, or null).
        #[arg(long, value_enum, default_value_t = ListFormat::Tsv, help_heading = "Output")]
        format: ListFormat,
    },
    /// Continue a saved case in the wizard (in its language unless --lang says otherwise).
    Resume { id: String },
    /// Print a case's progress log, one line per event (in its language unless --lang says
    /// otherwise; a product you added needs its --content DIR).
    Log { id: String },
    /// Print a receipt for a case (in its language unless --lang says otherwise; a product
    /// you added needs its --content DIR).
    Export {
        id: String,
        /// The receipt's format.
        #[arg(long, value_enum, default_value_t = Format::Txt)]
        format: Format,
    },
    /// Cases between stores (see --store).
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// The help-desk screen: scripted tours of the wizard (always demo mode, nothing written).
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Print a completion script for SHELL, made from these very definitions (bash:
    /// `xiaohu completions bash > /etc/bash_completion.d/xiaohu`; zsh: a file `_xiaohu` in
    /// $fpath; fish: ~/.config/fish/completions/xiaohu.fish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of xiaohu, or of one of its commands, made from these
    /// very definitions: `xiaohu man > xiaohu.1`, `xiaohu man sessions | man -l -`.
    Man {
        /// A command (`sessions`, `export`, `demo play` …); none: xiaohu itself.
        command: Vec<String>,
    },
}

/// The completion script for `shell`, written to `out`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "xiaohu", out);
}

/// The man page (roff) of xiaohu or, with `path` (`["demo", "play"]`), of that command:
/// `xiaohu-demo-play(1)`, as `git log` is `git-log(1)`. `Err` names the commands there are
/// when `path` is not one.
pub fn man_page(
    path: &[String],
    out: &mut dyn std::io::Write,
) -> Result<std::io::Result<()>, String> {
    let mut command = <Cli as clap::CommandFactory>::command();
    // Built first, so global options are shown on every command's page too.
    command.build();
    let mut name = String::from("xiaohu");
    for word in path {
        let Some(sub) = command.find_subcommand(word).cloned() else {
            let known: Vec<&str> = command
                .get_subcommands()
                .map(|c| c.get_name())
                .filter(|n| *n != "help")
                .collect();
            return Err(format!(
                "`{name} {word}`: no such command; one of: {}",
                known.join(", ")
            ));
        };
        name = format!("{name}-{word}");
        command = sub.name(name.clone()).version(env!("CARGO_PKG_VERSION"));
    }
    Ok(clap_mangen::Man::new(command).render(out))
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy every case from one store to another (a desk's data dir into the shared case
    /// book, or back): a case TO has already, unchanged, is skipped; one TO has older is
    /// replaced; one TO has newer (updated later, or a longer log) is refused and named,
    /// and the exit status is 1. Nothing is removed from FROM. Each of FROM and TO is a
    /// `postgres://…` or `key=value` connection string, `file:PATH`, or a data dir's path.
    Copy { from: String, to: String },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Play a tour script (assets/demo/PRODUCT.toml) at a human pace, a caption per scene.
    /// Any key takes over and the person goes on from that screen. A kiosk (see --kiosk): no
    /// key quits; staff stop it with SIGTERM.
    Play {
        /// The tour script, e.g. assets/demo/huabei.toml (its language unless --lang says
        /// otherwise).
        file: PathBuf,
        /// Start over when the script ends (a kiosk's attract loop).
        #[arg(long = "loop")]
        looping: bool,
        /// After SECS without a key from a person, wipe what they did and start the tour
        /// over [default: 60 with --loop, off without].
        #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
        idle: Option<u64>,
        /// Play X times as fast (e.g. 5 to preview a script; tests use 10).
        #[arg(long, value_name = "X", default_value_t = 1.0)]
        speed: f64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &[&str]) -> Vec<std::ffi::OsString> {
        std::iter::once("xiaohu")
            .chain(line.iter().copied())
            .map(Into::into)
            .collect()
    }

    /// Every start the options alone take reads exactly as the whole command line reads it,
    /// and what they do not take (subcommands, help, mistakes) is left to the whole.
    #[test]
    fn a_start_without_a_subcommand_reads_as_the_whole_command_line_reads_it() {
        let taken: &[&[&str]] = &[
            &[],
            &["--lang", "zh"],
            &["--lang=en", "--plain"],
            &["--kiosk", "--idle-reset", "30", "--theme", "high-contrast"],
            &["--demo", "--profile", "huabei-owes"],
            &[
                "--product",
                "weilidai",
                "--agent",
                "李娜",
                "--desk",
                "3号窗口",
            ],
            &[
                "--data-dir",
                "sessions",
                "--content",
                "x",
                "--store",
                "file:y",
            ],
            &["--ambiguous-wide"],
            &["--lang", "zh", "--lang", "en"],
        ];
        for line in taken {
            let fast = Wizard::try_parse_alone(&args(line));
            let whole = Cli::parse_whole(args(line));
            match (fast, whole) {
                (Ok(fast), Ok(whole)) => {
                    assert!(whole.command.is_none(), "{line:?}");
                    assert_eq!(
                        format!("{:?}", fast.options),
                        format!("{:?}", whole.options),
                        "{line:?}"
                    );
                }
                (Err(_), Err(_)) => {}
                (fast, whole) => panic!(
                    "{line:?}: the options alone {} it, the whole command line {}",
                    if fast.is_ok() { "take" } else { "refuse" },
                    if whole.is_ok() { "takes" } else { "refuses" },
                ),
            }
        }
        let left: &[&[&str]] = &[
            &["sessions"],
            &["--lang", "zh", "list"],
            &["--help"],
            &["-h"],
            &["--version"],
            &["-V"],
            &["--kiosk", "--plain"],
            &["--profile", "x"],
            &["--idle-reset", "0"],
            &["--", "x"],
            &["--bogus"],
        ];
        for line in left {
            assert!(Wizard::try_parse_alone(&args(line)).is_err(), "{line:?}");
        }
        // And the whole command line still reads them.
        let cli = Cli::parse_args(args(&["--lang", "en", "sessions", "--overdue"])).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Sessions { overdue: true, .. })
        ));
        assert_eq!(cli.options.lang, Some(Lang::En));
    }
}
