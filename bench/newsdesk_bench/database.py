"""Databases: a fresh one per engine, seeded with the generator, and checks
read outside the service.
"""

import os
import shutil
import time
from pathlib import Path

from .common import EDITOR_EMAIL, PASSWORD, PG_ADMIN_URL, PG_DB, Failure, log
from .processes import run


def fresh_database(engine, workdir):
    if engine == "sqlite":
        path = Path(workdir) / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite://{path}"
    if not shutil.which("psql"):
        raise Failure("psql not found: PostgreSQL runs need the local server and its client")
    admin = os.environ.get("BENCH_POSTGRES_URL", PG_ADMIN_URL)
    run(["psql", f"{admin}/postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"])
    run(["psql", f"{admin}/postgres", "-qc", f"CREATE DATABASE {PG_DB}"])
    return f"{admin}/{PG_DB}"


def drop_database(engine, url):
    if engine == "postgres":
        admin = url.rsplit("/", 1)[0]
        run(["psql", f"{admin}/postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"],
            check=False)


def seed(newsdesk, url, args):
    log(f"seeding {args.articles:,} articles and {args.comments:,} comments")
    started = time.time()
    run([newsdesk, "--database-url", url, "--log", "warn", "seed",
         "--articles", str(args.articles), "--comments", str(args.comments),
         "--seed", str(args.seed)])
    seconds = round(time.time() - started, 1)
    # The editor of the mixed scenario, who publishes and saves stories.
    run([newsdesk, "--database-url", url, "--log", "warn", "user", "create",
         "--email", EDITOR_EMAIL, "--role", "editor"],
        env={**os.environ, "NEWSDESK_USER_PASSWORD": PASSWORD})
    return seconds


def sql_scalar(engine, url, query):
    """One number from the database, read outside the service."""
    if engine == "sqlite":
        import sqlite3
        with sqlite3.connect(url.removeprefix("sqlite://")) as conn:
            return conn.execute(query).fetchone()[0]
    return int(run(["psql", url, "-tAc", query]).stdout.strip())


def comment_counts_exact(engine, url, slugs):
    """Articles among `slugs` whose comment_count differs from their visible comments."""
    quoted = ",".join("'" + s.replace("'", "''") + "'" for s in slugs)
    query = ("SELECT count(*) FROM articles a WHERE a.slug IN (%s) AND a.comment_count <> "
             "(SELECT count(*) FROM comments c WHERE c.article_id = a.id "
             "AND c.status = 'visible')" % quoted)
    try:
        return sql_scalar(engine, url, query)
    except Exception as exc:  # a schema change must not sink the whole run
        log(f"could not check comment counts: {exc}")
        return None
