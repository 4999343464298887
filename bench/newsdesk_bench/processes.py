"""Processes: everything started here is stopped at exit, by its own pid."""

import signal
import socket
import subprocess
import sys

from .common import Failure


CHILDREN = []


def spawn(cmd, env=None, log_path=None):
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    CHILDREN.append(proc)
    return proc


def stop(proc, timeout=10):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc in CHILDREN:
        CHILDREN.remove(proc)


def stop_all():
    for proc in list(CHILDREN):
        stop(proc, timeout=5)


def on_signal(signum, _frame):
    # Turn SIGTERM/SIGINT into a normal exit so that atexit cleans up.
    sys.exit(128 + signum)


def free_port():
    # Port 0 lets the kernel pick a free port; the tiny race until the
    # service binds it is acceptable on a benchmark machine.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env=None, check=True, capture=True):
    res = subprocess.run(cmd, env=env, capture_output=capture, text=True)
    if check and res.returncode != 0:
        tail = (res.stderr or res.stdout or "").strip()[-2000:] if capture else ""
        raise Failure(f"{' '.join(map(str, cmd))} exited {res.returncode}: {tail}")
    return res
