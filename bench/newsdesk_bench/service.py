"""The service under test, and the ceiling server measured beside it."""

import os
import re
from pathlib import Path

from .client import wait_ready
from .common import Failure, SettingRejected
from .processes import free_port, run, spawn, stop
from .usage import CpuWatch, peak_rss_mb


def service_env(cache, media_dir=None, media_memory_mib=None):
    env = dict(os.environ)
    env.update({
        # The abuse limits would turn load into 429s.
        "NEWSDESK_LOGIN_RATE": "0", "NEWSDESK_REGISTER_RATE": "0",
        "NEWSDESK_REFRESH_RATE": "0", "NEWSDESK_COMMENT_RATE": "0",
        "NEWSDESK_LOG": "warn", "NEWSDESK_SHUTDOWN_TIMEOUT": "2",
        "NEWSDESK_ACCESS_TOKEN_TTL": "7200",
    })
    if cache is not None:
        env["NEWSDESK_RESPONSE_CACHE"] = cache
    # Images in the run's work folder (on PostgreSQL the service would keep
    # them in the working directory otherwise).
    if media_dir is not None:
        env["NEWSDESK_MEDIA_DIR"] = str(media_dir)
    if media_memory_mib is not None:
        env["NEWSDESK_MEDIA_MEMORY_MIB"] = str(media_memory_mib)
    return env


def supports_response_cache(newsdesk):
    # Unknown environment variables are silently ignored, so ask the binary
    # whether it knows the setting rather than trusting the start-up.
    return "NEWSDESK_RESPONSE_CACHE" in run([newsdesk, "serve", "--help"]).stdout


def start_service(newsdesk, url, cache, log_path, media_dir=None, media_memory_mib=None):
    port = free_port()
    proc = spawn([newsdesk, "--database-url", url, "serve", "--bind", f"127.0.0.1:{port}"],
                 env=service_env(cache, media_dir, media_memory_mib), log_path=log_path)
    try:
        wait_ready(port, proc, "newsdesk")
    except Failure as exc:
        stop(proc)
        if cache is not None and proc.returncode not in (None, 0):
            raise SettingRejected(f"{exc}: {log_tail(log_path, 3)}") from exc
        raise Failure(f"{exc}: {log_tail(log_path, 10)}") from exc
    return proc, port


def log_tail(path, lines):
    try:
        return " | ".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def service_complaints(path, keep=5):
    """Warnings and errors the service logged (it runs with NEWSDESK_LOG=warn)."""
    try:
        found = [l for l in Path(path).read_text(errors="replace").splitlines()
                 if ("WARN" in l or "ERROR" in l)
                 and 'NotFound("route")' not in l]  # our /graphql probe, while 404
    except OSError:
        return []
    head = [f"the service logged {len(found)} warnings/errors; the last ones:"] if found else []
    return head + ["`" + ANSI.sub("", l)[:300] + "`" for l in found[-keep:]]


def start_ceiling(ceiling, body, workdir, content_type="application/json"):
    body_file = Path(workdir) / "ceiling-body"
    body_file.write_bytes(body)
    port = free_port()
    proc = spawn([ceiling, f"127.0.0.1:{port}", str(body_file), content_type],
                 log_path=Path(workdir) / "ceiling.log")
    wait_ready(port, proc, "bench-ceiling")
    return proc, port


class Service:
    """The service under test, restartable after a scenario that swamped it."""

    def __init__(self, ctx, url, cache, tag):
        self.ctx, self.url, self.cache = ctx, url, cache
        self.log_path = Path(ctx["workdir"]) / f"service-{tag}.log"
        self.peak_rss = None
        self.proc, self.port = self.start(self.log_path)

    def start(self, log_path):
        return start_service(self.ctx["newsdesk"], self.url, self.cache, log_path,
                             self.ctx.get("media_dir"), self.ctx["args"].media_memory_mib)

    def rss(self):
        """Peak RSS so far, over every process of this pass."""
        now = peak_rss_mb(self.proc.pid)
        self.peak_rss = max(filter(None, (self.peak_rss, now)), default=None)
        return self.peak_rss

    def stop(self):
        self.rss()
        stop(self.proc)

    def restart(self):
        # Requests that timed out on the client keep the service busy for as
        # long as they take: the next scenario would measure that backlog.
        self.stop()
        self.proc, self.port = self.start(self.log_path.with_suffix(".restarted.log"))


LIST_SPEC = {"method": "GET", "path": "/api/v1/articles?limit=20"}


def measure_ceiling(ctx, body, spec=LIST_SPEC, content_type="application/json"):
    """The ceiling server replaying `body` under `spec`'s load."""
    args = ctx["args"]
    proc, port = start_ceiling(ctx["ceiling"], body, ctx["workdir"], content_type)
    try:
        if args.warmup:
            ctx["loadgen"].load(port, spec, args.warmup, args.connections)
        watch = CpuWatch(proc.pid)
        row = ctx["loadgen"].load(port, spec, args.duration, args.connections)
        row["other_cpu"] = watch.other_cores()
        return row
    finally:
        stop(proc)
