//! A PostgreSQL cluster of a test's own, for what the shared server cannot
//! be put through: stopped under load and started again, or given a
//! streaming replica. `initdb` on a temporary directory, a free port, the
//! server binaries found on `PATH` or under `/usr/lib/postgresql/*/bin`
//! (Debian's layout). As root, they run as the `postgres` account, which
//! they insist on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use diesel::{Connection, PgConnection, RunQueryDsl};

pub struct Cluster {
    dir: tempfile::TempDir,
    pub port: u16,
    bin: PathBuf,
}

impl Cluster {
    /// A new, empty cluster, started.
    pub fn start_new() -> Cluster {
        let cluster = Cluster::empty();
        cluster.run("initdb", &["-D", &cluster.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
        cluster.configure("");
        cluster.start();
        cluster
    }

    /// A streaming replica of `primary`, copied with `pg_basebackup`,
    /// started and replaying.
    pub fn replica_of(primary: &Cluster) -> Cluster {
        let replica = Cluster::empty();
        let port = primary.port.to_string();
        let data = replica.data();
        let args = ["-D", &data, "-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-R", "-X", "stream"];
        replica.run("pg_basebackup", &args);
        replica.configure("hot_standby = on\n");
        replica.start();
        replica
    }

    fn empty() -> Cluster {
        let dir = tempfile::tempdir().expect("temp dir");
        if let Some(uid) = postgres_account() {
            std::os::unix::fs::chown(dir.path(), Some(uid.0), Some(uid.1)).expect("chown the cluster's dir");
        }
        Cluster { dir, port: free_port(), bin: server_binaries() }
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// Its own port and socket directory; fast rather than durable against
    /// a power cut (`fsync` off), which no test makes.
    fn configure(&self, extra: &str) {
        let conf = Path::new(&self.data()).join("postgresql.auto.conf");
        let mut text = std::fs::read_to_string(&conf).unwrap_or_default();
        text.push_str(&format!(
            "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
             fsync = off\nmax_connections = 100\n{extra}",
            self.port,
            self.dir.path().display(),
        ));
        std::fs::write(&conf, text).expect("write the cluster's settings");
        if let Some(uid) = postgres_account() {
            std::os::unix::fs::chown(&conf, Some(uid.0), Some(uid.1)).expect("chown the settings");
        }
    }

    /// Starts the server and waits until it takes connections.
    pub fn start(&self) {
        let log = self.dir.path().join("server.log").display().to_string();
        self.run("pg_ctl", &["-D", &self.data(), "-l", &log, "-w", "-t", "60", "start"]);
    }

    /// Stops the server the way an operator's restart or a failover does:
    /// every connection is cut at once.
    pub fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    /// The URL of database `postgres` on it.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs `sql` on it and returns the first column of each row as text.
    pub fn query(&self, sql: &str) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            value: String,
        }
        let mut conn = PgConnection::establish(&self.url()).expect("connect to the test cluster");
        let rows: Vec<Row> = diesel::sql_query(sql).load(&mut conn).expect("query the test cluster");
        rows.into_iter().map(|r| r.value).collect()
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        let path = self.bin.join(program);
        let mut command = match postgres_account() {
            Some(_) => {
                let mut command = Command::new("runuser");
                command.args(["-u", "postgres", "--"]).arg(&path);
                command
            }
            None => Command::new(&path),
        };
        let output = command.args(args).current_dir(self.dir.path()).output().expect("run a server binary");
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let path = self.bin.join("pg_ctl");
        let data = self.data();
        let args = ["-D", data.as_str(), "-m", "immediate", "-w", "stop"];
        let _ = match postgres_account() {
            Some(_) => Command::new("runuser").args(["-u", "postgres", "--"]).arg(&path).args(args).output(),
            None => Command::new(&path).args(args).output(),
        };
    }
}

/// The `postgres` account's uid and gid when running as root (the server
/// refuses to run as root), `None` otherwise.
fn postgres_account() -> Option<(u32, u32)> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, "postgres"]).output().ok()?;
        String::from_utf8(out.stdout).ok()?.trim().parse().ok()
    };
    let me = Command::new("id").arg("-u").output().ok()?;
    (String::from_utf8_lossy(&me.stdout).trim() == "0").then(|| Some((id("-u")?, id("-g")?))).flatten()
}

/// The directory holding `initdb`, `pg_ctl` and `pg_basebackup` (where an
/// `initdb` on `PATH` links to, if that holds all three).
fn server_binaries() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .filter_map(|dir| std::fs::canonicalize(dir.join("initdb")).ok())
        .filter_map(|initdb| initdb.parent().map(Path::to_path_buf))
        .find(|dir| dir.join("pg_basebackup").is_file());
    let debian = || {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path().join("bin"))
            .filter(|bin| bin.join("initdb").is_file() && bin.join("pg_basebackup").is_file())
            .collect();
        // By major version as a number: 9.6 before 16.
        let major = |bin: &PathBuf| -> u32 {
            let version = bin.parent().and_then(Path::file_name).and_then(|v| v.to_str()).unwrap_or("");
            version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0)
        };
        versions.sort_by_key(major);
        versions.pop()
    };
    on_path.or_else(debian).expect("PostgreSQL's server binaries (initdb, pg_ctl) are installed")
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}
