//! The command line: options and subcommands (help-desk scripts rely on these names).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::content::Lang;
use crate::report::Format;

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

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
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
    /// List saved cases: id, product, step, last update, state (tab-separated).
    Sessions,
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
