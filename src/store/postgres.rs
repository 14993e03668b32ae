//! The shared case book: cases in PostgreSQL, for several desks at once, with the file
//! store's promises. A case is a row: its saved text (the TOML a case file holds, so the
//! content fingerprint and every answer travel as they are) and the columns the worklist
//! queries (state, expected date, last update, customer, agent, archived). Every save is one
//! statement, so one transaction. A desk holds the case on screen by a session-level
//! advisory lock, which the server lets go the moment the desk's connection ends (it quit,
//! was killed, or lost the network), so no crash leaves a case stuck. A desk replaces only
//! the revision it last read or wrote. The schema is made and migrated here, under a
//! version table. Nothing connects until a case is first asked for.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;
use postgres::{Client, Config, NoTls};

use super::case_text::{LogText, parse_case};
use super::file::listing_reason;
use super::{CaseStore, ReceiptPlace, StoreError};
use crate::wizard::case::{CASE_SCHEMA, Case, CaseId, CaseState, CaseSummary};
use crate::wizard::worklist::{self, Ask, Page, Queue};

/// The advisory-lock space of xiaohu's cases (the first of the two keys; the second is the
/// case row's `lock_key`), so other applications' advisory locks in the same database
/// never collide with ours. "XHu" in ASCII.
const LOCK_SPACE: i32 = 0x0058_4875;
/// The second key of the lock taken while the schema is made or migrated.
const MIGRATION_KEY: i32 = 0;

/// How long a connection attempt may take: the wizard waits for a save, so a server that
/// does not answer must fail fast and be retried, not hang the screen.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// How many ids a new case tries (`ID`, `ID-2` … `ID-N`), as in the file store.
const MAX_SUFFIX: u32 = 1000;

/// The worklist's queue of an active row, from its state alone: 0 a review (overdue, due
/// today or in review, by its date), then the queues in `worklist::Queue`'s order. A macro
/// so the index and the queries spell it the same way, which is how the server knows the
/// index serves them. Part of a shipped migration: never edit it; add a new expression.
macro_rules! queue_group {
    () => {
        "(CASE state WHEN 'in_review' THEN 0 WHEN 'waiting_repayment' THEN 1 \
         WHEN 'waiting_refund' THEN 2 WHEN 'waiting_dispute' THEN 2 WHEN 'waiting_bill' THEN 2 \
         WHEN 'needs_service' THEN 3 WHEN 'in_progress' THEN 4 WHEN 'rejected' THEN 5 END)"
    };
}

/// A review's expected date, and nothing for any other state: the worklist sorts reviews
/// by their date and every other queue by the last update alone.
macro_rules! review_date {
    () => {
        "(CASE WHEN state = 'in_review' THEN expected END)"
    };
}

/// The rows whose columns may not be their body's summary, or that this xiaohu cannot use:
/// no valid seal, a case schema it does not read (`CASE_SCHEMA`), a body larger than a
/// case may be (`MAX_CASE_BYTES`), a state it does not know. Read whole when listed.
macro_rules! trouble {
    () => {
        "seal IS NULL OR updated_as IS NULL OR case_schema <> 1 OR octet_length(body) > 4194304 \
         OR state NOT IN ('in_progress', 'waiting_repayment', 'waiting_refund', \
         'waiting_dispute', 'waiting_bill', 'in_review', 'closed', 'nothing_to_close', \
         'needs_service', 'rejected')"
    };
}

/// The schema, one migration per version, applied in order inside one transaction each.
/// Never edit a shipped one: add the next.
const MIGRATIONS: &[&str] = &[
    // 1: cases, their receipts, and which desk each connection is.
    "CREATE TABLE xiaohu_cases (
         id text PRIMARY KEY,
         lock_key serial NOT NULL UNIQUE,
         revision bigint NOT NULL DEFAULT 1,
         case_schema integer NOT NULL,
         body text NOT NULL,
         product text NOT NULL,
         step text NOT NULL,
         state text NOT NULL,
         created timestamptz NOT NULL,
         updated timestamptz NOT NULL,
         expected date,
         customer text,
         agent text,
         archived boolean NOT NULL DEFAULT false,
         log_len integer NOT NULL
     );
     CREATE INDEX xiaohu_cases_queue ON xiaohu_cases (archived, state, expected);
     CREATE INDEX xiaohu_cases_expected ON xiaohu_cases (expected) WHERE NOT archived;
     CREATE INDEX xiaohu_cases_updated ON xiaohu_cases (updated DESC);
     CREATE INDEX xiaohu_cases_customer ON xiaohu_cases (customer text_pattern_ops);
     CREATE TABLE xiaohu_receipts (
         case_id text NOT NULL,
         name text NOT NULL,
         body text NOT NULL,
         written timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (case_id, name)
     );
     CREATE TABLE xiaohu_desks (
         pid integer PRIMARY KEY,
         started timestamptz,
         desk text NOT NULL
     );",
    // 2: the case book listed from its columns, without reading 100,000 bodies. `seal` is
    // the SHA-256 of the body as xiaohu wrote it: the trigger clears it when a body no
    // longer matches (edited by hand, restored half-way), and a row without one is read
    // and parsed whole when listed, so damage is still listed as damage. `updated_as` is
    // the summary's time with the offset it was written in, which timestamptz forgets.
    // `xiaohu_cases_active` serves the worklist: only the cases someone must act on.
    "ALTER TABLE xiaohu_cases ADD COLUMN seal bytea, ADD COLUMN updated_as text;
     CREATE FUNCTION xiaohu_seal() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
         IF NEW.seal IS DISTINCT FROM sha256(convert_to(NEW.body, 'UTF8')) THEN
             NEW.seal := NULL;
         END IF;
         RETURN NEW;
     END $$;
     CREATE TRIGGER xiaohu_seal BEFORE INSERT OR UPDATE ON xiaohu_cases
         FOR EACH ROW EXECUTE FUNCTION xiaohu_seal();
     CREATE INDEX xiaohu_cases_active ON xiaohu_cases (state, expected)
         WHERE NOT archived AND state NOT IN ('closed', 'nothing_to_close');
     CREATE INDEX xiaohu_cases_unsealed ON xiaohu_cases (id)
         WHERE seal IS NULL OR updated_as IS NULL;",
    // 3: the worklist as a page (`CaseStore::worklist`): the active cases in the worklist's
    // own order, queue by queue, so the first 100 of a queue are the first 100 entries of
    // the index, read from the index alone (`INCLUDE`: the server answers from an index
    // only when the columns themselves are in it, not only expressions of them; the queues
    // are counted from `xiaohu_cases_active`). `xiaohu_cases_trouble` finds the few rows
    // whose columns cannot be trusted.
    concat!(
        "CREATE INDEX xiaohu_cases_worklist ON xiaohu_cases (",
        queue_group!(),
        ", ",
        review_date!(),
        " NULLS FIRST, updated DESC, id COLLATE \"C\") INCLUDE (state, expected)
         WHERE NOT archived AND state NOT IN ('closed', 'nothing_to_close');
         CREATE INDEX xiaohu_cases_trouble ON xiaohu_cases (id) WHERE ",
        trouble!(),
        ";"
    ),
];

/// Whether `--store` names a PostgreSQL server: a `postgres://` or `postgresql://` URL, or
/// a libpq `key=value` string (`host=/run/postgresql dbname=xiaohu`).
pub fn is_postgres(store: &str) -> bool {
    let s = store.trim_start();
    if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        return true;
    }
    let first = s.split_whitespace().next().unwrap_or("");
    first.split_once('=').is_some_and(|(key, _)| {
        !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The case held on screen: its id and lock key, and whether this connection holds the lock
/// now (a lost connection lost it; the next use takes it again, or says who has it).
#[derive(Debug)]
struct Held {
    id: String,
    key: i32,
    live: bool,
}

/// A case this desk wrote or opened: which revision it last saw, and when the case began
/// (another case that later took the same id is not it).
#[derive(Debug)]
struct Owned {
    created: chrono::DateTime<chrono::FixedOffset>,
    revision: i64,
    /// SHA-256 of the body it last saw: a hand edit of the row, which leaves the revision
    /// as it was, is not saved over either.
    digest: Vec<u8>,
}

fn digest(body: &str) -> Vec<u8> {
    use sha2::Digest as _;
    sha2::Sha256::digest(body.as_bytes()).to_vec()
}

/// One desk's connection to the case book.
pub struct PgCases {
    config: Config,
    /// Where the case book is, for messages: hosts, port and database, never a password.
    place: String,
    desk: String,
    client: Option<Client>,
    held: Option<Held>,
    owned: HashMap<String, Owned>,
    /// A new case whose first write was sent but whose answer the connection lost: it may
    /// be in the book already, as this desk's own.
    unsure: Option<String>,
    /// The log's text from the last save, so a save puts only new entries into TOML.
    log_text: LogText,
}

impl std::fmt::Debug for PgCases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgCases")
            .field("place", &self.place)
            .field("desk", &self.desk)
            .field("connected", &self.client.is_some())
            .finish_non_exhaustive()
    }
}

type Sql<'a> = &'a (dyn postgres::types::ToSql + Sync);

impl PgCases {
    /// The case book at `url` for the desk `desk` (named to other desks that ask for a case
    /// held here). Only parses: nothing connects until a case is asked for.
    pub fn new(url: &str, desk: &str) -> Result<PgCases, StoreError> {
        let mut config = Config::from_str(url.trim()).map_err(|e| StoreError::Database {
            place: "--store".into(),
            message: format!("not a PostgreSQL connection string: {e}"),
        })?;
        if config.get_hosts().is_empty() {
            // libpq's default: the local server's socket.
            config.host_path("/var/run/postgresql");
        }
        // Seen in pg_stat_activity, and the name other desks are told when the desk table
        // cannot say (at most 63 bytes of printable ASCII survive there).
        let ascii: String = desk
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .take(50)
            .collect();
        config.application_name(&format!("xiaohu {ascii}"));
        config.connect_timeout(CONNECT_TIMEOUT);
        // A server gone silent (a cable pulled, no reset sent) is noticed within about
        // 25 s, not after the kernel's two hours, and a write not acknowledged in 15 s
        // ends the connection: the wizard then keeps the case and retries.
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(10));
        config.keepalives_interval(Duration::from_secs(5));
        config.keepalives_retries(3);
        config.tcp_user_timeout(Duration::from_secs(15));
        // No statement of ours takes long; one stuck behind a lock is ended, not waited on.
        if config.get_options().is_none() {
            config.options("-c statement_timeout=15000");
        }
        let place = shown_place(&config);
        Ok(PgCases {
            config,
            place,
            desk: desk.to_owned(),
            client: None,
            held: None,
            owned: HashMap::new(),
            unsure: None,
            log_text: LogText::default(),
        })
    }

    /// Where the case book is, for a person.
    pub fn place(&self) -> &str {
        &self.place
    }

    /// Connects now (the schema made or migrated): a command that only reads says at once
    /// that the server cannot be reached, rather than listing nothing.
    pub fn check(&mut self) -> Result<(), StoreError> {
        self.client().map(drop)
    }

    fn trouble(&self, message: impl Into<String>) -> StoreError {
        StoreError::Database {
            place: self.place.clone(),
            message: message.into(),
        }
    }

    /// The server's error as a store error; a connection it ended (a restart, a kill, the
    /// network) is dropped, so the next use connects again.
    fn lost(&mut self, e: postgres::Error) -> StoreError {
        if e.is_closed() || self.client.as_ref().is_none_or(Client::is_closed) {
            self.disconnect();
        }
        let message = match e.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), db.code().code()),
            None => {
                let text = e.to_string();
                let source = std::error::Error::source(&e).map(ToString::to_string);
                match source {
                    Some(s) if !text.contains(&s) => format!("{text}: {s}"),
                    _ => text,
                }
            }
        };
        self.trouble(message)
    }

    fn disconnect(&mut self) {
        self.client = None;
        if let Some(held) = &mut self.held {
            held.live = false;
        }
    }

    /// The connection, made (and the schema made or migrated) on first use, and made again
    /// after it was lost; the case held on screen is then taken again, or refused with the
    /// desk that took it meanwhile.
    fn client(&mut self) -> Result<&mut Client, StoreError> {
        if self.client.as_ref().is_some_and(Client::is_closed) {
            self.disconnect();
        }
        if self.client.is_none() {
            let mut client = self
                .config
                .connect(NoTls)
                .map_err(|e| self.trouble(connect_reason(&e)))?;
            if let Err(e) = migrate(&mut client).and_then(|()| register(&mut client, &self.desk)) {
                return Err(match e {
                    Setup::Db(e) => {
                        self.client = Some(client);
                        self.lost(e)
                    }
                    Setup::Newer(found) => self.trouble(format!(
                        "made by a newer xiaohu (case book schema {found}; this one knows {}); \
                         update xiaohu",
                        MIGRATIONS.len()
                    )),
                });
            }
            self.client = Some(client);
        }
        if let Some(Held {
            id,
            key,
            live: false,
        }) = &self.held
        {
            let (id, key) = (id.clone(), *key);
            match self.try_lock(key) {
                Ok(true) => {
                    if let Some(held) = &mut self.held {
                        held.live = true;
                    }
                }
                Ok(false) => {
                    self.held = None;
                    let desk = self.holder(key);
                    return Err(locked(id, desk));
                }
                Err(e) => return Err(e),
            }
        }
        self.client.as_mut().ok_or_else(|| StoreError::Database {
            place: String::new(),
            message: "not connected".into(),
        })
    }

    fn try_lock(&mut self, key: i32) -> Result<bool, StoreError> {
        let client = self.client.as_mut().ok_or_else(self_trouble)?;
        match client.query_one("SELECT pg_try_advisory_lock($1, $2)", &[&LOCK_SPACE, &key]) {
            Ok(row) => Ok(row.get(0)),
            Err(e) => Err(self.lost(e)),
        }
    }

    fn unlock(&mut self, key: i32) {
        if let Some(client) = self.client.as_mut() {
            // A lost connection has let go already.
            let _ = client.execute("SELECT pg_advisory_unlock($1, $2)", &[&LOCK_SPACE, &key]);
        }
    }

    /// The desk whose connection holds the lock `key`, by the name it gave.
    fn holder(&mut self, key: i32) -> Option<String> {
        let client = self.client.as_mut()?;
        let row = client
            .query_opt(
                "SELECT coalesce(d.desk, nullif(a.application_name, ''), 'pid ' || l.pid::text)
                 FROM pg_locks l
                 LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                 LEFT JOIN xiaohu_desks d ON d.pid = l.pid
                      AND d.started IS NOT DISTINCT FROM a.backend_start
                 WHERE l.locktype = 'advisory' AND l.granted
                   AND l.classid = $1::int8::oid AND l.objid = $2::int8::oid
                   AND l.objsubid = 2 AND l.pid <> pg_backend_pid()
                 LIMIT 1",
                &[&i64::from(LOCK_SPACE), &i64::from(key)],
            )
            .ok()??;
        Some(row.get::<_, String>(0))
    }

    /// Holds `id` (lock `key`) as the case on screen, letting go of any other.
    fn hold(&mut self, id: &str, key: i32) {
        if let Some(old) = self.held.take()
            && old.key != key
            && old.live
        {
            self.unlock(old.key);
        }
        self.held = Some(Held {
            id: id.to_owned(),
            key,
            live: true,
        });
    }

    fn holds(&self, id: &str) -> bool {
        self.held.as_ref().is_some_and(|h| h.id == id && h.live)
    }

    /// The lock of an existing case, for this desk: `Ok(true)` if taken now (the caller
    /// lets go or keeps it), `Ok(false)` if already held here.
    fn take(&mut self, id: &str, key: i32) -> Result<bool, StoreError> {
        if self.holds(id) {
            return Ok(false);
        }
        if self.try_lock(key)? {
            Ok(true)
        } else {
            let desk = self.holder(key);
            Err(locked(id.to_owned(), desk))
        }
    }

    fn key_of(&mut self, id: &str) -> Result<Option<i32>, StoreError> {
        let client = self.client()?;
        match client.query_opt("SELECT lock_key FROM xiaohu_cases WHERE id = $1", &[&id]) {
            Ok(row) => Ok(row.map(|r| r.get(0))),
            Err(e) => Err(self.lost(e)),
        }
    }

    /// The row's body and revision, parsed as a case file is; a row whose body is not a
    /// case of its own id, or of a newer schema, is damaged and left as it is. `to_work`:
    /// the case is opened to be worked on, and its log's text is kept for its next save.
    fn load(&mut self, id: &str, to_work: bool) -> Result<(Case, i64, Vec<u8>), StoreError> {
        let shown = self.location_of(id);
        let client = self.client()?;
        let row = match client.query_opt(
            "SELECT CASE WHEN octet_length(body) <= $2 THEN body END, revision,
                    octet_length(body)
             FROM xiaohu_cases WHERE id = $1",
            &[&id, &MAX_BODY],
        ) {
            Ok(row) => row,
            Err(e) => return Err(self.lost(e)),
        };
        let Some(row) = row else {
            return Err(StoreError::NotFound(id.to_owned()));
        };
        let body: Option<String> = row.get(0);
        let body = body.ok_or_else(|| too_big(&shown, row.get(2)))?;
        let memo = to_work.then_some(&self.log_text);
        let seal = digest(&body);
        let case = parse_body(body, id, &shown, memo)?;
        Ok((case, row.get(1), seal))
    }

    /// The row of this id already holds exactly `row`'s text, and nobody holds it: this
    /// desk's own write, whose answer the connection lost before it came back. Taken as
    /// written (its lock taken), not written a second time under another id.
    fn written_before(
        &mut self,
        row: &Row,
        locked_here: bool,
    ) -> Result<Option<(i32, i64)>, StoreError> {
        let client = self.client()?;
        let found = client.query_opt(
            "SELECT lock_key, revision FROM xiaohu_cases WHERE id = $1 AND body = $2",
            &[&row.id, &row.body],
        );
        let Some(found) = found.map_err(|e| self.lost(e))? else {
            return Ok(None);
        };
        let (key, revision): (i32, i64) = (found.get(0), found.get(1));
        // Advisory locks count: one taken twice must be let go twice, so never twice.
        if locked_here || self.holds(&row.id) || self.try_lock(key)? {
            Ok(Some((key, revision)))
        } else {
            Ok(None)
        }
    }

    fn location_of(&self, id: &str) -> String {
        // The same words `list_once` builds for a row.
        format!("{} · case {id}", self.place)
    }

    /// Writes a new case under the first free id of `ID`, `ID-2` …, claiming the row and its
    /// lock in one transaction: two desks starting the same product in the same second get
    /// two ids, and an id taken by any row, damaged or not, is stepped over.
    fn create(&mut self, case: &Case, hold: bool) -> Result<CaseId, StoreError> {
        let base = case.id.clone();
        let mut case = case.clone();
        for n in 1..=MAX_SUFFIX {
            case.id = if n == 1 {
                base.clone()
            } else {
                base.suffixed(n)
                    .ok_or_else(|| StoreError::BadId(format!("{base}-{n}")))?
            };
            let row = Row::of(&case, &self.log_text, &self.location_of(&case.id))?;
            let client = self.client()?;
            let claimed = claim(client, &row);
            let (key, revision) = match claimed {
                Ok(Some(key)) => (key, 1),
                // Another desk's id, unless it is this desk's own lost write: only then is
                // it looked at (two desks may start the very same case in one second).
                Ok(None) if self.unsure.as_deref() == Some(case.id.as_str()) => {
                    match self.written_before(&row, false)? {
                        Some(ours) => ours,
                        None => continue,
                    }
                }
                Ok(None) => continue,
                Err(e) => {
                    self.unsure = Some(case.id.to_string());
                    return Err(self.lost(e));
                }
            };
            self.unsure = None;
            self.owned.insert(
                case.id.to_string(),
                Owned {
                    created: case.created,
                    revision,
                    digest: row.seal.clone(),
                },
            );
            if hold {
                self.hold(&case.id, key);
            } else {
                self.unlock(key);
            }
            return Ok(case.id);
        }
        Err(self.trouble(format!(
            "{MAX_SUFFIX} cases named {base} already; wait a second and start again"
        )))
    }
}

/// What a save stores: the case's text and the columns the worklist reads.
struct Row {
    id: String,
    body: String,
    schema: i32,
    product: String,
    step: String,
    state: String,
    created: String,
    updated: String,
    expected: Option<String>,
    customer: Option<String>,
    agent: Option<String>,
    archived: bool,
    log_len: i32,
    seal: Vec<u8>,
}

impl Row {
    fn of(case: &Case, text: &LogText, shown: &str) -> Result<Row, StoreError> {
        let body = text
            .case_text(case)
            .map_err(|e| StoreError::Damaged {
                path: shown.to_owned(),
                message: format!("cannot be written as text: {e}"),
            })?
            .into_string();
        let summary: CaseSummary = case.summary();
        let time = |t: chrono::DateTime<chrono::FixedOffset>| t.to_rfc3339();
        Ok(Row {
            id: case.id.to_string(),
            schema: i32::try_from(case.schema).unwrap_or(i32::MAX),
            product: summary.product,
            step: summary.step,
            state: summary.state.code().to_owned(),
            created: time(case.created),
            updated: time(summary.updated),
            expected: summary.expected.map(|d| d.to_string()),
            customer: summary.customer,
            agent: summary.agent,
            archived: summary.archived,
            log_len: i32::try_from(case.log.len()).unwrap_or(i32::MAX),
            seal: digest(&body),
            body,
        })
    }

    fn params(&self) -> [Sql<'_>; 15] {
        [
            &self.id,
            &self.body,
            &self.schema,
            &self.product,
            &self.step,
            &self.state,
            &self.created,
            &self.updated,
            &self.expected,
            &self.customer,
            &self.agent,
            &self.archived,
            &self.log_len,
            &self.seal,
            // `updated_as`: the same time as text, its offset kept.
            &self.updated,
        ]
    }
}

const COLUMNS: &str = "id, body, case_schema, product, step, state, created, updated, expected, \
                       customer, agent, archived, log_len, seal, updated_as";
const VALUES: &str = "$1, $2, $3, $4, $5, $6, $7::text::timestamptz, $8::text::timestamptz, \
                      $9::text::date, $10, $11, $12, $13, $14, $15";

/// Inserts the row unless its id is taken, and takes its lock, in one transaction: the
/// lock key, or `None` when the id is someone else's.
fn claim(client: &mut Client, row: &Row) -> Result<Option<i32>, postgres::Error> {
    let mut tx = client.transaction()?;
    let inserted = tx.query_opt(
        &format!(
            "INSERT INTO xiaohu_cases ({COLUMNS}) VALUES ({VALUES})
             ON CONFLICT (id) DO NOTHING RETURNING lock_key"
        ),
        &row.params(),
    )?;
    let Some(inserted) = inserted else {
        return Ok(None);
    };
    let key: i32 = inserted.get(0);
    // Nobody else can see the row before the commit, so the lock is free.
    tx.query_one("SELECT pg_try_advisory_lock($1, $2)", &[&LOCK_SPACE, &key])?;
    if let Err(e) = tx.commit() {
        // A session lock outlives a failed transaction: let go of it.
        let _ = client.execute("SELECT pg_advisory_unlock($1, $2)", &[&LOCK_SPACE, &key]);
        return Err(e);
    }
    Ok(Some(key))
}

/// The largest body read, as for a case file: a bigger one was not written by xiaohu.
const MAX_BODY: i32 = super::file::MAX_CASE_BYTES as i32;

/// The rows `CaseSummary::is_active` keeps, as the `xiaohu_cases_active` index has them.
const ACTIVE: &str = "WHERE NOT archived AND state NOT IN ('closed', 'nothing_to_close')";

/// A sealed row's summary, from its columns: they were written with the body they
/// summarize, in one statement. A column that does not read says why.
fn summary_of(row: &postgres::Row) -> Result<CaseSummary, String> {
    let text = |i: usize| -> Result<Option<String>, String> {
        row.try_get(i).map_err(|e| format!("column {i}: {e}"))
    };
    let needed = |i: usize| text(i)?.ok_or_else(|| format!("column {i} is empty"));
    let id = CaseId::parse(&needed(0)?)?;
    let state = CaseState::try_from(needed(3)?)?;
    let updated = chrono::DateTime::parse_from_rfc3339(&needed(4)?)
        .map_err(|e| format!("its time does not read: {e}"))?;
    let expected = text(5)?
        .map(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
        .transpose()
        .map_err(|e| format!("its expected date does not read: {e}"))?;
    Ok(CaseSummary {
        id,
        product: needed(1)?,
        step: needed(2)?,
        state,
        updated,
        expected,
        customer: text(6)?,
        agent: text(7)?,
        archived: row.try_get(8).map_err(|e| format!("column 8: {e}"))?,
    })
}

/// What one read of the worklist's page found: how many cases each queue holds by the
/// columns, the summary columns of the first of each queue, and the rows to read whole
/// (their id, and the queue the count put them in by their columns).
struct Fetched {
    totals: BTreeMap<Queue, usize>,
    rows: Vec<postgres::Row>,
    trouble: Vec<(String, Option<Queue>)>,
}

/// The worklist's page in one snapshot (a read-only, repeatable-read transaction): each
/// queue counted from the index alone, the ids of the first of each in the index's order,
/// then those rows' summary columns by id.
fn fetch_page(client: &mut Client, ask: &Ask) -> Result<Fetched, postgres::Error> {
    let today = ask.today;
    // The day as text: the client is built without a date type.
    let day = today.to_string();
    let searched = !ask.search.text.is_empty();
    // `LIKE` reads `%`, `_` and `\` in what was typed as themselves.
    let mut pattern = String::from("%");
    for c in ask.search.text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    let (pattern, named): (Option<String>, Option<&[String]>) = if searched {
        (Some(pattern), Some(&ask.search.named))
    } else {
        (None, None)
    };
    // The search's condition, its text and product list in parameters `$t` and `$p`.
    let search = |t: u8, p: u8| {
        if searched {
            format!(
                "(lower(customer) LIKE ${t} OR lower(id) LIKE ${t} OR lower(product) LIKE ${t}
                  OR product = ANY(${p}) OR lower(agent) LIKE ${t})"
            )
        } else {
            // Nothing typed: no condition (the parameters stay, typed, to keep the numbers).
            format!("(${t}::text IS NULL AND ${p}::text[] IS NULL)")
        }
    };
    let (group, date) = (queue_group!(), review_date!());
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    // The rows read whole, and the queue each was counted in by its columns.
    let trouble = tx.query(
        &format!(
            "SELECT id, state, expected::text,
                    NOT archived AND state NOT IN ('closed', 'nothing_to_close') AND {search}
             FROM xiaohu_cases WHERE {trouble}",
            search = search(1, 2),
            trouble = trouble!()
        ),
        &[&pattern, &named],
    )?;
    let trouble: Vec<(String, Option<Queue>)> = trouble
        .iter()
        .map(|row| {
            let counted = row.get::<_, Option<bool>>(3).unwrap_or(false);
            let queue = counted
                .then(|| queue_by_columns(row.get(1), row.get(2), today))
                .flatten();
            (row.get(0), queue)
        })
        .collect();
    // Counted by state and date, which the active index holds in that order: the server
    // streams its groups from the index alone, and the queues are worked out here.
    let counted = tx.query(
        &format!(
            "SELECT state, expected::text, count(*) FROM xiaohu_cases {ACTIVE} AND {search}
             GROUP BY state, expected",
            search = search(1, 2)
        ),
        &[&pattern, &named],
    )?;
    let mut totals: BTreeMap<Queue, usize> = BTreeMap::new();
    for row in &counted {
        let state: &str = row.get(0);
        let n = usize::try_from(row.get::<_, i64>(2)).unwrap_or(0);
        // A state this xiaohu does not know is a trouble row, read whole.
        if let Some(queue) = queue_by_columns(state, row.get(1), today) {
            *totals.entry(queue).or_insert(0) += n;
        }
    }
    // Enough more than a queue's share that the rows read whole can be set aside.
    let enough = i64::try_from(ask.per_queue + trouble.len()).unwrap_or(i64::MAX);
    let order = format!("ORDER BY {date} NULLS FIRST, updated DESC, id COLLATE \"C\" LIMIT $4");
    let part = |cond: &str| {
        let search = search(2, 3);
        format!("(SELECT id FROM xiaohu_cases {ACTIVE} AND {group} = {cond} AND {search} {order})")
    };
    let parts = [
        part(&format!("0 AND {date} < $1::text::date")),
        part(&format!("0 AND {date} = $1::text::date")),
        part(&format!("0 AND {date} IS NULL")),
        part(&format!("0 AND {date} > $1::text::date")),
        part("1"),
        part("2"),
        part("3"),
        part("4"),
        part("5"),
    ];
    let firsts = tx.query(
        &parts.join(" UNION ALL "),
        &[&day, &pattern, &named, &enough],
    )?;
    let whole: std::collections::HashSet<&str> =
        trouble.iter().map(|(id, _)| id.as_str()).collect();
    let ids: Vec<String> = firsts
        .iter()
        .map(|r| r.get::<_, String>(0))
        .filter(|id| !whole.contains(id.as_str()))
        .collect();
    let rows = tx.query(
        "SELECT id, product, step, state, updated_as, expected::text, customer, agent, archived
         FROM xiaohu_cases WHERE id = ANY($1)",
        &[&ids],
    )?;
    tx.commit()?;
    Ok(Fetched {
        totals,
        rows,
        trouble,
    })
}

/// The queue a row's columns put it in (`state`, `expected` as text) on `today`; `None`
/// for a state this xiaohu does not know.
fn queue_by_columns(
    state: &str,
    expected: Option<&str>,
    today: chrono::NaiveDate,
) -> Option<Queue> {
    let state = CaseState::try_from(state.to_owned()).ok()?;
    let expected = expected.and_then(|d| d.parse::<chrono::NaiveDate>().ok());
    worklist::queue_in(state, expected, today)
}

fn too_big(shown: &str, bytes: i32) -> StoreError {
    StoreError::Damaged {
        path: shown.to_owned(),
        message: format!("{bytes} bytes is larger than the {MAX_BODY} a case may be; not read"),
    }
}

/// `memo`, if given, keeps the log's text for the next save of the case.
fn parse_body(
    body: String,
    id: &str,
    shown: &str,
    memo: Option<&LogText>,
) -> Result<Case, StoreError> {
    let case = parse_case(body, shown, memo)?;
    // A row edited to hold another case would otherwise be saved over the case it names.
    if case.id.as_str() != id {
        return Err(StoreError::Damaged {
            path: shown.to_owned(),
            message: format!("the row's id does not match its case id `{}`", case.id),
        });
    }
    Ok(case)
}

fn locked(id: String, desk: Option<String>) -> StoreError {
    match desk {
        Some(desk) => StoreError::LockedAt { id, desk },
        None => StoreError::Locked(id),
    }
}

fn self_trouble() -> StoreError {
    StoreError::Database {
        place: String::new(),
        message: "not connected".into(),
    }
}

/// Why a connection could not be made, in one line: the client's words and the OS's.
fn connect_reason(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let said = s.to_string();
        if !text.contains(&said) {
            text = format!("{text}: {said}");
        }
        source = s.source();
    }
    format!("cannot connect ({text})")
}

/// The server's hosts, port and database, for messages (a password is never shown).
fn shown_place(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let port = config
        .get_ports()
        .first()
        .map_or_else(String::new, |p| format!(":{p}"));
    let db = config.get_dbname().or(config.get_user()).unwrap_or("");
    format!("postgres {}{port}/{db}", hosts.join(","))
}

enum Setup {
    Db(postgres::Error),
    Newer(i32),
}

impl From<postgres::Error> for Setup {
    fn from(e: postgres::Error) -> Setup {
        Setup::Db(e)
    }
}

/// Makes the schema, or brings it up to this xiaohu's version, one migration per
/// transaction, under a lock so two desks starting together do not both migrate. A case
/// book of a newer version is refused, never changed.
fn migrate(client: &mut Client) -> Result<(), Setup> {
    let known = i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX);
    // The common case, without a lock: the schema is there and current.
    if let Some(v) = schema_version(client)?
        && v >= known
    {
        return if v > known {
            Err(Setup::Newer(v))
        } else {
            Ok(())
        };
    }
    let mut tx = client.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, $2)",
        &[&LOCK_SPACE, &MIGRATION_KEY],
    )?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS xiaohu_schema (version integer NOT NULL)")?;
    let found: Option<i32> = tx
        .query_opt("SELECT max(version) FROM xiaohu_schema", &[])?
        .and_then(|r| r.get(0));
    let found = found.unwrap_or(0);
    if found > known {
        return Err(Setup::Newer(found));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql)?;
        let version = i32::try_from(i + 1).unwrap_or(i32::MAX);
        tx.execute("DELETE FROM xiaohu_schema", &[])?;
        tx.execute(
            "INSERT INTO xiaohu_schema (version) VALUES ($1)",
            &[&version],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn schema_version(client: &mut Client) -> Result<Option<i32>, postgres::Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('xiaohu_schema') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client
        .query_opt("SELECT max(version) FROM xiaohu_schema", &[])?
        .and_then(|r| r.get(0)))
}

/// Says which desk this connection is, so a desk refused a case held here is told its name
/// (any text; `application_name` keeps only ASCII).
fn register(client: &mut Client, desk: &str) -> Result<(), Setup> {
    client.execute(
        "INSERT INTO xiaohu_desks (pid, started, desk)
         SELECT pg_backend_pid(), backend_start, $1 FROM pg_stat_activity
         WHERE pid = pg_backend_pid()
         ON CONFLICT (pid) DO UPDATE SET started = excluded.started, desk = excluded.desk",
        &[&desk],
    )?;
    Ok(())
}

impl PgCases {
    /// The case book from its summary columns (`active`: only the worklist's cases, through
    /// its index). A row without a valid seal, of a newer schema, or too big is read whole
    /// and parsed, as a case file is, so it is listed with the reason it cannot be used.
    fn list_once(&mut self, active: bool) -> Result<Listing, StoreError> {
        use postgres::fallible_iterator::FallibleIterator as _;
        let place = self.place.clone();
        let schema = i32::try_from(CASE_SCHEMA).unwrap_or(i32::MAX);
        let columns = "id, product, step, state, updated_as, expected::text, customer, agent,
             archived, seal IS NOT NULL AND updated_as IS NOT NULL AND case_schema = $1
                 AND octet_length(body) <= $2";
        // The worklist's cases through their index, and every unsealed row through its own,
        // whatever its columns say: they may no longer be its body's.
        let query = if active {
            format!(
                "SELECT {columns} FROM xiaohu_cases {ACTIVE}
                     AND seal IS NOT NULL AND updated_as IS NOT NULL
                 UNION ALL
                 SELECT {columns} FROM xiaohu_cases WHERE seal IS NULL OR updated_as IS NULL"
            )
        } else {
            format!("SELECT {columns} FROM xiaohu_cases")
        };
        let client = self.client()?;
        // Streamed, one row at a time: the rows are never held whole in memory twice.
        let rows = client.query_raw(&query, [&schema as Sql<'_>, &MAX_BODY]);
        let mut cases = Vec::new();
        let mut damaged = Vec::new();
        let mut unsealed = Vec::new();
        let streamed = rows.and_then(|mut rows| {
            while let Some(row) = rows.next()? {
                let id: String = row.try_get(0).unwrap_or_default();
                if !row.try_get::<_, bool>(9).unwrap_or(false) {
                    unsealed.push(id);
                    continue;
                }
                match summary_of(&row) {
                    Ok(summary) => cases.push(summary),
                    Err(why) => damaged.push((format!("{place} · case {id}"), why)),
                }
            }
            Ok(())
        });
        streamed.map_err(|e| self.lost(e))?;
        for id in unsealed {
            match self.load(&id, false) {
                Ok((case, ..)) => {
                    let summary = case.summary();
                    if !active || summary.is_active() {
                        cases.push(summary);
                    }
                }
                // Deleted since the listing began: nothing to list.
                Err(StoreError::NotFound(_)) => {}
                Err(e @ StoreError::Database { .. }) => return Err(e),
                Err(e) => damaged.push((self.location_of(&id), listing_reason(&e))),
            }
        }
        // In the file store's order (by id); sorted here, not by the server, whose collation
        // may not sort ids bytewise. The worklist sorts its own way.
        if !active {
            cases.sort_by(|a, b| a.id.cmp(&b.id));
        }
        damaged.sort();
        Ok((cases, damaged))
    }

    /// The worklist's page from its index (`xiaohu_cases_worklist`, `fetch_page`). The
    /// few rows the columns cannot be trusted for (`trouble!`) are read whole, counted by
    /// what their body says, and listed as damaged where it says nothing usable.
    fn worklist_once(&mut self, ask: &Ask) -> Result<Page, StoreError> {
        let place = self.place.clone();
        let today = ask.today;
        let client = self.client()?;
        let fetched = match fetch_page(client, ask) {
            Ok(fetched) => fetched,
            Err(e) => return Err(self.lost(e)),
        };
        let mut totals = fetched.totals;
        let mut cases = Vec::new();
        let mut damaged = Vec::new();
        for row in &fetched.rows {
            let id: String = row.try_get(0).unwrap_or_default();
            match summary_of(row) {
                Ok(summary) => cases.push(summary),
                Err(why) => damaged.push((format!("{place} · case {id}"), why)),
            }
        }
        for (id, counted_as) in fetched.trouble {
            if let Some(n) = counted_as.and_then(|q| totals.get_mut(&q)) {
                *n = n.saturating_sub(1);
            }
            match self.load(&id, false) {
                Ok((case, ..)) => {
                    let summary = case.summary();
                    if ask.search.matches(&summary)
                        && let Some(queue) = worklist::queue_of(&summary, today)
                    {
                        *totals.entry(queue).or_insert(0) += 1;
                        cases.push(summary);
                    }
                }
                // Deleted since: nothing to list.
                Err(StoreError::NotFound(_)) => {}
                Err(e @ StoreError::Database { .. }) => return Err(e),
                Err(e) => damaged.push((self.location_of(&id), listing_reason(&e))),
            }
        }
        totals.retain(|_, n| *n > 0);
        damaged.sort();
        // The first of each queue, in the worklist's order, as `page_of` keeps them; the
        // page says how many each queue holds when it does not hold them all.
        let mut page = worklist::page_of(cases, damaged, ask);
        let mut sent: BTreeMap<Queue, usize> = BTreeMap::new();
        for summary in &page.cases {
            if let Some(queue) = worklist::queue_of(summary, today) {
                *sent.entry(queue).or_insert(0) += 1;
            }
        }
        page.totals = (sent != totals).then_some(totals);
        Ok(page)
    }

    fn read_once(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        self.load(id, false).map(|(case, ..)| case)
    }

    fn held_elsewhere_once(&mut self, id: &CaseId) -> Result<Option<String>, StoreError> {
        let Some(key) = self.key_of(id)? else {
            return Ok(None);
        };
        if self.holds(id) {
            return Ok(None);
        }
        // Free if we can take it (and let go at once).
        if self.try_lock(key)? {
            self.unlock(key);
            Ok(None)
        } else {
            Ok(Some(self.holder(key).unwrap_or_else(|| "?".into())))
        }
    }

    fn open_once(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        let Some(key) = self.key_of(id)? else {
            return Err(StoreError::NotFound(id.to_string()));
        };
        let taken = self.take(id, key)?;
        // Read once held: nobody writes it between this read and our next save.
        match self.load(id, true) {
            Ok((case, revision, digest)) => {
                self.owned.insert(
                    id.to_string(),
                    Owned {
                        created: case.created,
                        revision,
                        digest,
                    },
                );
                self.hold(id, key);
                Ok(case)
            }
            Err(e) => {
                if taken {
                    self.unlock(key);
                }
                Err(e)
            }
        }
    }

    fn save_once(&mut self, case: &Case, hold: bool) -> Result<CaseId, StoreError> {
        let seen = self
            .owned
            .get(case.id.as_str())
            .filter(|o| o.created == case.created)
            .map(|o| (o.revision, o.digest.clone()));
        let Some((seen, seen_digest)) = seen else {
            return self.create(case, hold);
        };
        let id = case.id.to_string();
        let row = Row::of(case, &self.log_text, &self.location_of(&id))?;
        // A connection made again here takes the held case's lock again first (`client`).
        let key = match self.key_of(&id)? {
            Some(key) => key,
            None => {
                // The row is gone (deleted by hand): written again, as a file store
                // writes a file whose folder was deleted.
                self.owned.remove(&id);
                let written = self.create(case, hold)?;
                return Ok(written);
            }
        };
        let taken = self.take(&id, key)?;
        let client = self.client()?;
        let updated = client.query_opt(
            "UPDATE xiaohu_cases SET body = $2, case_schema = $3, product = $4, step = $5,
                 state = $6, created = $7::text::timestamptz, updated = $8::text::timestamptz,
                 expected = $9::text::date, customer = $10, agent = $11, archived = $12,
                 log_len = $13, seal = $14, updated_as = $15, revision = revision + 1
             WHERE id = $1 AND revision = $16 AND sha256(convert_to(body, 'UTF8')) = $17
             RETURNING revision",
            &[&row.params()[..], &[&seen, &seen_digest]].concat(),
        );
        let landed = match updated {
            Ok(Some(r)) => Ok(Some(r.get::<_, i64>(0))),
            // Not the row last seen here, unless it is exactly what this save writes: an
            // earlier try of it landed and the connection lost the answer.
            Ok(None) => self
                .written_before(&row, true)
                .map(|ours| ours.map(|(_, r)| r)),
            Err(e) => Err(self.lost(e)),
        };
        let result = match landed {
            Ok(Some(revision)) => {
                if let Some(owned) = self.owned.get_mut(&id) {
                    owned.revision = revision;
                    owned.digest = row.seal.clone();
                }
                Ok(case.id.clone())
            }
            Ok(None) => Err(StoreError::Changed {
                path: self.location_of(&id),
            }),
            Err(e) => Err(e),
        };
        if result.is_ok() && hold {
            self.hold(&id, key);
        } else if taken {
            self.unlock(key);
        }
        result
    }

    fn discard_once(&mut self, id: &CaseId) -> Result<(), StoreError> {
        let Some(owned) = self.owned.remove(id.as_str()) else {
            return Ok(());
        };
        let client = self.client()?;
        let deleted = client.execute(
            "DELETE FROM xiaohu_cases
             WHERE id = $1 AND revision = $2 AND sha256(convert_to(body, 'UTF8')) = $3",
            &[&id.as_str(), &owned.revision, &owned.digest],
        );
        match deleted {
            Ok(1) => Ok(()),
            Ok(_) => match self.key_of(id)? {
                Some(_) => Err(StoreError::Changed {
                    path: self.location_of(id),
                }),
                None => Ok(()),
            },
            Err(e) => Err(self.lost(e)),
        }
    }

    fn write_receipts_once(
        &mut self,
        id: &CaseId,
        receipts: &[(&str, String)],
    ) -> Result<ReceiptPlace, StoreError> {
        let names: Vec<String> = receipts
            .iter()
            .map(|(ext, _)| format!("{id}.{ext}"))
            .collect();
        let client = self.client()?;
        let written = (|| {
            let mut tx = client.transaction()?;
            for ((_, text), name) in receipts.iter().zip(&names) {
                tx.execute(
                    "INSERT INTO xiaohu_receipts (case_id, name, body) VALUES ($1, $2, $3)
                     ON CONFLICT (case_id, name) DO UPDATE
                     SET body = excluded.body, written = now()",
                    &[&id.as_str(), name, text],
                )?;
            }
            tx.commit()
        })();
        written.map_err(|e| self.lost(e))?;
        Ok(ReceiptPlace {
            place: format!("{} (xiaohu_receipts)", self.place),
            names,
        })
    }
}

type Listing = (Vec<CaseSummary>, Vec<(String, String)>);

impl PgCases {
    /// Runs `op`, and once more on a new connection if this one was found dead (the server
    /// restarted, or ended it): the first use after a restart is not a failure to show.
    fn again<T>(
        &mut self,
        mut op: impl FnMut(&mut PgCases) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let connected = self.client.is_some();
        match op(self) {
            Err(StoreError::Database { .. }) if connected && self.client.is_none() => op(self),
            done => done,
        }
    }
}

impl CaseStore for PgCases {
    fn list(&mut self) -> Listing {
        self.again(|pg| pg.list_once(false))
            .unwrap_or_else(|e| (Vec::new(), vec![(self.place.clone(), e.short())]))
    }

    fn list_active(&mut self) -> Listing {
        self.again(|pg| pg.list_once(true))
            .unwrap_or_else(|e| (Vec::new(), vec![(self.place.clone(), e.short())]))
    }

    fn worklist(&mut self, ask: &Ask) -> Page {
        self.again(|pg| pg.worklist_once(ask))
            .unwrap_or_else(|e| Page {
                damaged: vec![(self.place.clone(), e.short())],
                // Not whole: the cases are there, only not reached. A search typed
                // meanwhile asks the server again instead of narrowing this empty page.
                totals: Some(Default::default()),
                search: ask.search.text.clone(),
                ..Page::default()
            })
    }

    fn read(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        self.again(|pg| pg.read_once(id))
    }

    fn held_elsewhere(&mut self, id: &CaseId) -> Option<String> {
        self.again(|pg| pg.held_elsewhere_once(id)).ok().flatten()
    }

    fn open(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        self.again(|pg| pg.open_once(id))
    }

    fn save(&mut self, case: &Case, hold: bool) -> Result<CaseId, StoreError> {
        self.again(|pg| pg.save_once(case, hold))
    }

    fn discard(&mut self, id: &CaseId) -> Result<(), StoreError> {
        self.again(|pg| pg.discard_once(id))
    }

    fn write_receipts(
        &mut self,
        id: &CaseId,
        receipts: &[(&str, String)],
    ) -> Result<ReceiptPlace, StoreError> {
        self.again(|pg| pg.write_receipts_once(id, receipts))
    }

    fn release(&mut self) {
        if let Some(held) = self.held.take()
            && held.live
        {
            self.unlock(held.key);
        }
    }

    fn location(&self, id: &CaseId) -> String {
        self.location_of(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_names_postgres_by_url_or_key_value_words_and_anything_else_is_a_path() {
        for pg in [
            "postgres://desk@casebook/xiaohu",
            "postgresql://%2Frun%2Fpostgresql/xiaohu",
            "host=/run/postgresql dbname=xiaohu",
            "  dbname=xiaohu",
        ] {
            assert!(is_postgres(pg), "{pg}");
        }
        for path in [
            "/var/lib/xiaohu",
            "file:/var/lib/xiaohu",
            "./cases",
            "/tmp/a=b",
            "file:data=old",
            "",
        ] {
            assert!(!is_postgres(path), "{path}");
        }
    }

    #[test]
    fn the_place_shown_never_holds_the_password() {
        let pg = PgCases::new("postgres://desk:s3cret@casebook:5433/xiaohu", "A").unwrap();
        assert_eq!(pg.place(), "postgres casebook:5433/xiaohu");
        let pg = PgCases::new("host=/run/pg password=s3cret dbname=book", "A").unwrap();
        assert!(!pg.place().contains("s3cret"), "{}", pg.place());
    }
}
