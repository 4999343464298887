//! The `newsdesk` command: serve, migrate, seed, manage users, back up.

use crate::config::{Cli, Command, SeedArgs, Settings, UserCommand};
use crate::db::search::index::Rebuild;
use crate::db::{Db, migrate};
use crate::domain::Email;
use crate::domain::field::AllValid;
use crate::domain::text::{Bio, DisplayName};
use crate::domain::user::NewPassword;
use crate::service::Services;
use crate::service::accounts::NewUser;
use crate::{seed, startup, telemetry};

mod progress;

use progress::Progress;

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.settings;
    telemetry::init(&settings)?;
    match cli.command {
        None => serve(settings, false),
        Some(Command::Serve { demo }) => serve(settings, demo),
        Some(Command::Migrate) => {
            let db = open(&settings, Rebuild::IfLanguageChanged)?;
            println!("database {} is up to date", settings.database_url);
            drop(db);
            Ok(())
        }
        Some(Command::Seed(args)) => seed_command(&settings, &args),
        Some(Command::Healthcheck) => healthcheck(&settings),
        Some(Command::Backup { to }) => backup(&settings, &to),
        Some(Command::User(UserCommand::Create { email, role, password, display_name })) => {
            let db = open(&settings, Rebuild::OnlyIfNeverBuilt)?;
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let services = runtime.block_on(Services::new(db, &startup::service_settings(&settings)))?;
            let display_name =
                display_name.unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
            let (email, password, display_name) = (
                Email::parse(&email, "--email"),
                NewPassword::parse(&password, "--password"),
                DisplayName::parse(&display_name, "--display-name"),
            )
                .all_valid()
                .map_err(|invalid| anyhow::anyhow!("{invalid}"))?;
            let user = runtime.block_on(services.create_user_unchecked(NewUser {
                email,
                password,
                display_name,
                bio: Bio::empty(),
                role,
            }))?;
            println!("created {} {} ({})", user.role, user.email, user.id);
            Ok(())
        }
    }
}

/// Writes a consistent copy of the SQLite database to `to`, beside a
/// running service: every write committed before the copy began is in it.
fn backup(settings: &Settings, to: &std::path::Path) -> anyhow::Result<()> {
    if to.exists() {
        anyhow::bail!("{} exists already: a backup never overwrites a file", to.display());
    }
    match &settings.database_url {
        crate::db::DatabaseUrl::Postgres(_) => {
            anyhow::bail!(
                "`newsdesk backup` copies SQLite databases; back up PostgreSQL with pg_dump (see the README)"
            )
        }
        // Opening a missing file would create an empty database, and back that up.
        crate::db::DatabaseUrl::Sqlite(path) if !std::path::Path::new(path).exists() => {
            anyhow::bail!("there is no database at {path}")
        }
        crate::db::DatabaseUrl::Sqlite(_) => {}
    }
    let target =
        to.to_str().ok_or_else(|| anyhow::anyhow!("{} is not a UTF-8 path", to.display()))?.to_owned();
    // Never migrated first: the copy is of the database as it is.
    let db = Db::connect(&settings.database_url, 1, settings.site_language.stemming())?;
    let started = std::time::Instant::now();
    db.run_blocking(|conn| crate::db::maintenance::backup(conn, &target))?;
    // SQLite writes the copy without syncing it: on disk before "backed up".
    std::fs::File::open(to)?.sync_all()?;
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    println!(
        "backed up {} to {} ({bytes} bytes) in {:.1?}",
        settings.database_url,
        to.display(),
        started.elapsed()
    );
    Ok(())
}

/// Opens the database and brings its schema up to date.
fn open(settings: &Settings, rebuild: Rebuild) -> anyhow::Result<Db> {
    let db = Db::connect(&settings.database_url, 2, settings.site_language.stemming())?;
    let applied = db.run_blocking(|conn| migrate::run_pending(conn, rebuild).map_err(Into::into))?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    Ok(db)
}

fn seed_command(settings: &Settings, args: &SeedArgs) -> anyhow::Result<()> {
    let db = open(settings, Rebuild::OnlyIfNeverBuilt)?;
    if args.demo {
        let report = seed::demo::load(&db)?;
        println!("{report}");
        // The cover photos go through the service layer, as uploads do.
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let photos = runtime.block_on(async {
            let services = Services::new(db.clone(), &startup::service_settings(settings)).await?;
            anyhow::Ok(seed::media::attach_covers(&services).await?)
        })?;
        println!("drew and uploaded {photos} demo cover photos");
    }
    if let Some(articles) = args.articles {
        let mut progress = Progress::new("articles", u64::from(articles));
        let comments = args.comments.unwrap_or(0);
        let report = seed::bulk::generate_reporting(&db, articles, comments, args.seed, &mut |done| {
            progress.set(done)
        })?;
        progress.finish();
        println!("{report}");
    }
    Ok(())
}

fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let app = startup::Application::build(settings, demo).await?;
        tracing::info!(address = %app.address(), "newsdesk listening");
        app.run_until_stopped().await
    })
}

/// A bare HTTP/1.0 GET of `/healthz`: the runtime image needs no curl.
fn healthcheck(settings: &Settings) -> anyhow::Result<()> {
    use std::io::{Read, Write};
    let mut address = settings.bind;
    if address.ip().is_unspecified() {
        address.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let timeout = std::time::Duration::from_secs(3);
    let mut stream = std::net::TcpStream::connect_timeout(&address, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply)?;
    match reply.lines().next() {
        Some(status) if status.split_whitespace().nth(1) == Some("200") => Ok(()),
        other => anyhow::bail!("unhealthy: {}", other.unwrap_or("no answer")),
    }
}
