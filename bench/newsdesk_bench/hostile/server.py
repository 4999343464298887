"""The service under hostile clients: `newsdesk serve --demo` with its
defaults, abuse limits included, started fresh for each step on a database
of its own, its memory read from /proc and its complaints from its log."""

import atexit
import os
import shutil
import tempfile
import time
from pathlib import Path

from ..client import wait_ready
from ..common import REPO, Failure, log
from ..processes import free_port, spawn, stop
from ..service import ANSI, log_tail
from ..usage import memory_mb

DEFAULT_BINARY = "target/bench/release/newsdesk"


def resolve_binary(arg):
    path = Path(arg)
    if not path.is_absolute() and not path.exists():
        path = REPO / path
    if not path.is_file() or not os.access(path, os.X_OK):
        raise Failure(f"no newsdesk binary at {path}: build it first (for figures: cargo build "
                      f"--release --target-dir target/bench -p newsdesk), or pass --binary PATH")
    return str(path.resolve())


def clean_env():
    """The caller's environment without any Newsdesk setting: the service runs
    with its defaults, abuse limits included, whatever the shell exports."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("NEWSDESK_") and k != "DATABASE_URL"}
    env.update({"NEWSDESK_LOG": "warn", "NEWSDESK_SHUTDOWN_TIMEOUT": "2"})
    return env


def logged_problems(path):
    """The warnings and errors the service logged, the expected ones (our
    refused sockets, 429) counted apart."""
    try:
        text = ANSI.sub("", Path(path).read_text(errors="replace"))
    except OSError:
        return {}
    found = [line for line in text.splitlines() if " WARN " in line or " ERROR " in line]
    expected = [line for line in found if "RateLimited" in line]
    others = [line[:300] for line in found if "RateLimited" not in line]
    return {"rate_limited_warnings": len(expected), "other": len(others), "last_others": others[-5:]}


class Server:
    """`newsdesk serve --demo` on a fresh SQLite database and a free port,
    stopped (SIGTERM) at the end of its `with` block."""

    def __init__(self, binary, workdir, tag, settings=None):
        workdir = Path(workdir) / tag
        workdir.mkdir(parents=True)
        self.tag = tag
        self.log_path = workdir / "newsdesk.log"
        self.port = free_port()
        cmd = [binary, "--database-url", f"sqlite://{workdir / 'hostile.db'}",
               "serve", "--demo", "--bind", f"127.0.0.1:{self.port}"]
        started = time.monotonic()
        self.proc = spawn(cmd, env={**clean_env(), **(settings or {})}, log_path=self.log_path)
        try:
            wait_ready(self.port, self.proc, "newsdesk", timeout=180)
        except Failure as exc:
            stop(self.proc)
            raise Failure(f"{exc}: {log_tail(self.log_path, 10)}") from exc
        self.start_seconds = round(time.monotonic() - started, 1)
        self.outcome = None

    def memory(self):
        return memory_mb(self.proc.pid)

    def settled_memory(self, seconds=0.5):
        time.sleep(seconds)
        return self.memory()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        died = self.proc.poll() is not None
        final = self.memory()
        stop(self.proc)
        self.outcome = {"service": self.tag, "died": died, "exit_status": self.proc.returncode,
                        "start_seconds": self.start_seconds, "at_stop": final,
                        "log": logged_problems(self.log_path)}
        return False


class FreshServices:
    """Called with a step's tag (and settings), a fresh Server for it, in a
    work folder of the run's own, removed at exit unless kept; remembers
    every service it started, for the report."""

    def __init__(self, binary, keep=False):
        self.binary = binary
        self.workdir = tempfile.mkdtemp(prefix="newsdesk-hostile-")
        if keep:
            log(f"keeping {self.workdir}")
        else:
            atexit.register(shutil.rmtree, self.workdir, True)
        self.started = []

    def __call__(self, tag, settings=None):
        log(f"starting a fresh service for {tag}")
        server = Server(self.binary, self.workdir, tag, settings)
        self.started.append(server)
        return server

    def outcomes(self):
        """How each service fared, once stopped."""
        return [s.outcome for s in self.started if s.outcome]
