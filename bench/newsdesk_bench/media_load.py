"""The media scenarios' pieces: the photo, multipart uploads, rendition
requests, the burst runner and its percentiles, and the service's RSS
sampled while it works (see media.py for the scenarios themselves).
"""

import http.client as httpc
import itertools
import json
import math
import os
import shutil
import statistics
import struct
import threading
import time
from pathlib import Path

from .common import Failure, log
from .processes import run
from .usage import memory_mb


RENDITION = "1024.webp"      # the rendition measured: every item at least 1024 wide has it
PHOTO = (4000, 3000)         # 12 megapixels: about 2 MB at bench-photo's quality
SMOKE_PHOTO = (1600, 1200)   # --smoke: still wide enough for RENDITION
BOUNDARY = "newsdesk-bench-7f3a9c"
RSS_EVERY = 0.05             # seconds between two samples of the service's VmRSS


def media_dir(workdir, engine):
    """A fresh folder per database for the service's files (on PostgreSQL
    the service would otherwise keep them in the working directory)."""
    path = Path(workdir) / f"media-{engine}"
    shutil.rmtree(path, ignore_errors=True)
    return path


def make_photo(binary, workdir, smoke):
    width, height = SMOKE_PHOTO if smoke else PHOTO
    if not Path(binary).exists():
        raise Failure(f"{binary} is missing (bench-photo, of the bench-ceiling crate): "
                      "build without --no-build")
    path = Path(workdir) / f"photo-{width}x{height}.jpg"
    started = time.monotonic()
    run([binary, str(path), str(width), str(height)])
    jpeg = path.read_bytes()
    log(f"drew a {width} × {height} photo: {len(jpeg) / 1e6:.2f} MB "
        f"in {time.monotonic() - started:.1f} s")
    return {"width": width, "height": height, "bytes": len(jpeg)}, jpeg


class Uploads:
    """Distinct files of one photo: each with a JPEG COM segment of its own
    serial number right after SOI, as multipart/form-data bodies."""

    def __init__(self, jpeg):
        if jpeg[:2] != b"\xff\xd8":
            raise Failure("bench-photo did not write a JPEG")
        self.jpeg = jpeg
        self.serial = itertools.count(1)
        self.lock = threading.Lock()
        self.tag = f"{os.getpid()}-{time.time_ns()}"

    def variant(self, n):
        text = f"Newsdesk benchmark upload {self.tag} #{n}".encode()
        return self.jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text + self.jpeg[2:]

    def next(self):
        with self.lock:
            n = next(self.serial)
        return n, body(n, self.variant(n))


def body(n, jpeg):
    out = bytearray()
    for name, value in (("alt_text", f"Hills and a row of buildings at dusk ({n})"),
                        ("caption", "The benchmark's photo, one of many."),
                        ("credit", "Newsdesk benchmark")):
        out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n").encode()
    out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="photo-{n}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n').encode()
    out += jpeg
    out += f"\r\n--{BOUNDARY}--\r\n".encode()
    return bytes(out)


def upload(conn, token, payload):
    conn.request("POST", "/api/v1/media", body=payload, headers={
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    resp = conn.getresponse()
    return resp.status, resp.read()


def get(conn, path):
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.getheader("Content-Type"), resp.read()


def rendition_path(item, photo):
    """The item's RENDITION as its JSON lists it, and the item; a surprise
    fails loudly."""
    try:
        data = json.loads(item)
    except ValueError as exc:
        raise Failure(f"an upload answered with no JSON: {item[:200]!r}") from exc
    if (data.get("width"), data.get("height")) != (photo["width"], photo["height"]):
        raise Failure(f"upload {data.get('id')} is {data.get('width')} × {data.get('height')}, "
                      f"not the photo's {photo['width']} × {photo['height']}")
    urls = [r["url"] for r in data.get("renditions", [])
            if r.get("width") == 1024 and r.get("format") == "webp" and not r.get("crop")]
    if not urls or not urls[0].split("?")[0].endswith("/" + RENDITION):
        raise Failure(f"upload {data.get('id')} lists no {RENDITION}: {data.get('renditions')!r:.300}")
    url = urls[0]
    return url[url.index("/media/"):] if "://" in url else url, data


def is_webp(content_type, payload):
    return (content_type or "").startswith("image/webp") and payload[:4] == b"RIFF" \
        and payload[8:12] == b"WEBP"


def percentile(values, share):
    """Nearest rank: with few values, p99 is the slowest."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def burst(port, clients, seconds, job, timeout, items=None):
    """`job(conn, client, item)` on `clients` threads, each on a keep-alive
    connection of its own, until `seconds` have passed (requests under way
    then finish, as oha's -w lets them) or, given `items`, until they run
    out. `job` returns (None, value) for an expected answer, or (kind, detail).
    """
    deadline = time.monotonic() + seconds
    queue = iter(items) if items is not None else None
    lock = threading.Lock()
    out = {"latencies": [], "values": [], "failed": {}, "samples": []}

    def worker(client):
        conn = None
        while time.monotonic() < deadline:
            item = None
            if queue is not None:
                with lock:
                    item = next(queue, None)
                if item is None:
                    break
            conn = conn or httpc.HTTPConnection("127.0.0.1", port, timeout=timeout)
            started = time.monotonic()
            try:
                kind, value = job(conn, client, item)
            except TimeoutError:
                kind, value = "timeout", f"no answer within {timeout} s"
            except Failure as exc:  # an answer of the right status but not the right shape
                kind, value = "unexpected answer", str(exc)
            except (OSError, httpc.HTTPException) as exc:
                kind, value = type(exc).__name__, str(exc)
            took = time.monotonic() - started
            with lock:
                if kind is None:
                    out["latencies"].append(took)
                    out["values"].append(value)
                else:
                    out["failed"][kind] = out["failed"].get(kind, 0) + 1
                    if len(out["samples"]) < 3:
                        out["samples"].append(f"{kind}: {value}"[:200])
            if kind is not None:  # a fresh connection after any surprise
                conn.close()
                conn = None
        if conn:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out["elapsed"] = time.monotonic() - started
    return out


def row_of(figures, **extra):
    lat = figures["latencies"]
    ms = lambda v: None if v is None else round(v * 1000, 1)
    return {"rps": round(len(lat) / figures["elapsed"], 2) if figures["elapsed"] else 0.0,
            "p50_ms": ms(statistics.median(lat) if lat else None),
            "p99_ms": ms(percentile(lat, 0.99)), "requests": len(lat),
            "errors": sum(figures["failed"].values()), "error_kinds": figures["failed"],
            "error_samples": figures["samples"], **extra}


def threads(pid):
    """The process's threads now (tokio's blocking pool grows with file reads
    and image work, and each thread may keep memory of its own)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


class RssWatch:
    """The service's VmRSS, sampled on a thread of its own: the highest seen."""

    def __init__(self, pid):
        self.pid, self.highest = pid, None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self):
        while True:
            now = memory_mb(self.pid)["rss_mb"]
            if now is not None:
                self.highest = max(now, self.highest or 0)
            if self.stopping.wait(RSS_EVERY):
                return

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join()
        return False
