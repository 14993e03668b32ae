//! A throwaway PostgreSQL server for a test: `initdb` (trust auth) and `pg_ctl` into a temp
//! dir, listening only on a Unix socket in that dir, run as the `postgres` OS user when the
//! test runs as root (the server refuses root), stopped when dropped (also on a panic).
//! Without the server binaries, `Cluster::start` says SKIPPED loudly and gives `None`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A running test server. Its data and socket live in `dir`.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
    /// Whether the server syncs its writes to disk: off for tests (nothing to keep), on
    /// for a benchmark of a real server's save.
    durable: bool,
}

impl Cluster {
    /// Starts a new server, or says why not and gives `None` (no binaries here).
    pub fn start() -> Option<Cluster> {
        Cluster::start_as(false)
    }

    /// As `start`, with fsync on, as a real server runs (benches/casebook.rs).
    #[allow(dead_code)]
    pub fn start_durable() -> Option<Cluster> {
        Cluster::start_as(true)
    }

    fn start_as(durable: bool) -> Option<Cluster> {
        let Some(bin) = server_bin() else {
            eprintln!(
                "\n*** SKIPPED: PostgreSQL server binaries not found (no initdb/pg_ctl from \
                 `pg_config --bindir` or in /usr/lib/postgresql/*/bin). Install the Debian \
                 package `postgresql` to run this test; .ci/run does. ***\n"
            );
            return None;
        };
        // SAFETY: no preconditions.
        let as_postgres = unsafe { libc::geteuid() } == 0;
        let dir = tempfile::Builder::new()
            .prefix("xiaohu-pg-")
            .tempdir()
            .expect("a temp dir");
        let cluster = Cluster {
            dir,
            bin,
            as_postgres,
            durable,
        };
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(cluster.dir.path())
                .status()
                .expect("chown");
            assert!(status.success(), "chown the test server's dir to postgres");
        }
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        cluster.pg_ctl_start();
        Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// The folder of the server's socket.
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A libpq `key=value` connection string for `db` on this server.
    pub fn url(&self, db: &str) -> String {
        format!(
            "host={} port=5432 user=postgres dbname={db}",
            self.socket_dir().display()
        )
    }

    /// A new, empty database; its connection string.
    pub fn database(&self, name: &str) -> String {
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("connect to the test server");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        self.url(name)
    }

    /// A plain client on `db`, for a test to look or meddle.
    pub fn client(&self, db: &str) -> postgres::Client {
        postgres::Client::connect(&self.url(db), postgres::NoTls).expect("connect")
    }

    fn pg_ctl_start(&self) {
        let log = self.dir.path().join("server.log").display().to_string();
        let options = format!(
            "-c listen_addresses='' -k {} -p 5432 -c max_connections=60{}",
            self.socket_dir().display(),
            if self.durable { "" } else { " -c fsync=off" }
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server (fast: sessions are ended, as a restart does).
    pub fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    /// Starts it again after `stop`.
    pub fn start_again(&self) {
        self.pg_ctl_start();
    }

    /// `pg_ctl restart`: every connection is ended, the server is back at once.
    pub fn restart(&self) {
        self.run(
            "pg_ctl",
            &["-D", &self.data(), "-m", "fast", "-w", "restart"],
        );
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(&exe);
            cmd
        } else {
            Command::new(&exe)
        };
        // Into a file, not a pipe: the server pg_ctl starts would inherit a pipe and keep
        // it open, and reading it to the end would never end.
        let said = self.dir.path().join(format!("{tool}.out"));
        let file = std::fs::File::create(&said).expect("a file for the tool's output");
        let status = cmd
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("dup"))
            .stderr(file)
            .status()
            .unwrap_or_else(|e| panic!("{}: {e}", exe.display()));
        if !status.success() {
            let out = std::fs::read_to_string(&said).unwrap_or_default();
            let log =
                std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
            panic!("{tool} {args:?} failed: {out}\nserver log:\n{log}");
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let exe = self.bin.join("pg_ctl");
        let data = self.data();
        let args = ["-D", data.as_str(), "-m", "immediate", "-w", "stop"];
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(&exe);
            cmd
        } else {
            Command::new(&exe)
        };
        // Already stopped (a test stopped it) is fine: nothing to end.
        let _ = cmd
            .args(args)
            .current_dir(self.dir.path())
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .status();
    }
}

/// The folder with `initdb` and `pg_ctl`: `pg_config --bindir`, else the newest
/// /usr/lib/postgresql/N/bin.
fn server_bin() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_tools(&dir) {
            return Some(dir);
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_tools(&bin).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// Waits until `ok` holds, at most `limit`; how long it took.
pub fn within(limit: Duration, mut ok: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if ok() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}
