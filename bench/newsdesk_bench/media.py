"""The media scenarios, in a service of their own after a database's other
passes (so that no upload or image in memory touches their figures, and
the service's peak RSS is the burst's own):

- `upload`: authors, each signed in, upload a 12-megapixel JPEG of about
  2 MB (drawn by bench-photo) as fast as the service takes them, for
  `--duration` seconds. Each upload is a distinct file: the same photo with
  a JPEG comment segment (COM) of its own serial number right after the
  start-of-image marker, so that no upload is answered from the library's
  dedupe and every one decodes and re-encodes the full photo. The service's
  RSS is sampled during the burst, and its high-water mark read after it.
- `rendition`: the 1024-wide WebP of uploaded photos: cold (first request:
  the master decoded, scaled, encoded and stored), then warm (the same URL
  again and again, from the store) under the load generator, beside the
  ceiling serving the same bytes.
"""


import http.client as httpc

from .client import settle
from .common import MEDIA_SCENARIOS, WRITER_EMAIL, WRITERS, Failure, SettingRejected, log
from .fixtures import sign_in
from .scenarios import probe
from .service import Service, measure_ceiling, service_complaints
from .usage import CpuWatch, memory_mb

from .media_load import RssWatch, Uploads, burst, get, is_webp, make_photo, rendition_path, row_of, threads, upload


class MediaPass:
    """One service, the photo, the authors' tokens, and the items uploaded."""

    def __init__(self, ctx, service, photo, jpeg):
        args = ctx["args"]
        self.ctx, self.args, self.service, self.port = ctx, args, service, service.port
        self.photo, self.uploads = photo, Uploads(jpeg)
        self.clients = max(1, min(args.uploaders, 2) if args.smoke else args.uploaders)
        self.tokens = [sign_in(self.port, WRITER_EMAIL.format(n % WRITERS + 1))
                       for n in range(self.clients)]
        self.paths = []      # each uploaded item's RENDITION, not drawn yet
        self.warm_path = None  # the one drawn first, alone, for warm

    def peak(self, watch):
        """The service's peak so far: VmHWM, or a higher VmRSS sampled (Linux
        records the high-water mark lazily, so VmHWM can lag a peak by a little)."""
        self.service.peak_rss = max(filter(None, (self.service.rss(), watch.highest)), default=None)
        return self.service.peak_rss

    def upload_one(self, conn, client, _item=None):
        n, payload = self.uploads.next()
        status, answer = upload(conn, self.tokens[client], payload)
        if status != 201:
            return str(status), f"upload #{n}: {answer[:200]!r}"
        path, _ = rendition_path(answer, self.photo)
        return None, path

    def probe_upload(self):
        """One upload alone (201), then the very same bytes again: the
        dedupe's 200 with the same item."""
        conn = httpc.HTTPConnection("127.0.0.1", self.port, timeout=self.args.timeout)
        try:
            n, payload = self.uploads.next()
            status, answer = upload(conn, self.tokens[0], payload)
            if status != 201:
                raise Failure(f"POST /api/v1/media answered {status}: {answer[:300]!r}")
            path, item = rendition_path(answer, self.photo)
            status, again = upload(conn, self.tokens[0], payload)
            if status != 200 or rendition_path(again, self.photo)[1].get("id") != item.get("id"):
                raise Failure(f"the same upload again answered {status}, not 200 with item "
                              f"{item.get('id')}: {again[:300]!r}")
            self.paths.append(path)
            return item
        except (OSError, httpc.HTTPException) as exc:
            raise Failure(f"POST /api/v1/media: {exc}") from exc
        finally:
            conn.close()

    def upload_burst(self):
        args, pid = self.args, self.service.proc.pid
        settle(self.port)
        idle = memory_mb(pid)["rss_mb"]
        watch = CpuWatch(pid)
        with RssWatch(pid) as rss:
            figures = burst(self.port, self.clients, args.duration, self.upload_one, args.timeout)
        self.paths += figures["values"]
        row = row_of(figures, other_cpu=watch.other_cores(), clients=self.clients,
                     rss_idle_mb=idle, rss_sampled_mb=rss.highest)
        # A fresh service: its high-water mark is this burst's (and the probe's, smaller).
        row["rss_mb"] = self.peak(rss)
        row["threads"] = threads(pid)
        row["upload_mb_per_s"] = round(row["rps"] * self.photo["bytes"] / 1e6, 2)
        return row

    def setup_items(self, wanted):
        """Items for `rendition` when `upload` did not run: uploaded, not measured."""
        missing = wanted - len(self.paths)
        if missing > 0:
            log(f"uploading {missing} photos for rendition")
            figures = burst(self.port, self.clients, 3600, self.upload_one, self.args.timeout,
                            items=range(missing))
            if figures["failed"]:
                raise Failure(f"uploads for rendition failed: {figures['samples']}")
            self.paths += figures["values"]

    def draw(self, conn, _client, path):
        status, content_type, payload = get(conn, path)
        if status != 200 or not is_webp(content_type, payload):
            return str(status), f"{path}: {content_type} {payload[:120]!r}"
        return None, len(payload)

    def cold(self):
        """The first request of each item's RENDITION: one alone, then the
        rest by `clients` readers at once (they wait for the memory budget)."""
        args, pid = self.args, self.service.proc.pid
        self.setup_items(max(2 * self.clients, 4))
        settle(self.port)
        first, rest = self.paths[0], self.paths[1:]
        alone = burst(self.port, 1, 3600, self.draw, args.timeout, items=[first])
        if alone["failed"]:
            raise Failure(f"GET {first} (cold): {alone['samples']}")
        watch = CpuWatch(pid)
        with RssWatch(pid) as rss:
            figures = burst(self.port, self.clients, args.duration, self.draw, args.timeout,
                            items=rest)
        row = row_of(figures, other_cpu=watch.other_cores(), clients=self.clients,
                     alone_ms=round(alone["latencies"][0] * 1000, 1),
                     rendition_bytes=alone["values"][0], rss_sampled_mb=rss.highest)
        row["rss_mb"] = self.peak(rss)
        row["threads"] = threads(pid)
        self.warm_path = first
        return row

    def warm(self):
        """The first cold rendition again and again, from the store; and the
        ceiling serving its bytes from memory, for the ratio."""
        args, loadgen, path = self.args, self.ctx["loadgen"], self.warm_path
        spec = {"method": "GET", "path": path}
        probe(self.port, spec, args.timeout)
        conn = httpc.HTTPConnection("127.0.0.1", self.port, timeout=args.timeout)
        try:
            status, content_type, payload = get(conn, path)
        finally:
            conn.close()
        if status != 200 or not is_webp(content_type, payload):
            raise Failure(f"GET {path} (warm) answered {status} {content_type}")
        if args.warmup:
            loadgen.load(self.port, spec, min(args.warmup, args.duration), args.connections)
        settle(self.port)
        watch = CpuWatch(self.service.proc.pid)
        row = loadgen.load(self.port, spec, args.duration, args.connections)
        row["other_cpu"] = watch.other_cores()
        row["rss_mb"] = self.service.rss()
        row["threads"] = threads(self.service.proc.pid)
        row["ceiling"] = measure_ceiling(self.ctx, payload, spec, "image/webp")
        return row


def run_media(ctx, engine, url):
    """The media pass: a fresh service, `upload` then `rendition`. A failure
    here is the pass's alone: the database's other passes keep their figures."""
    args = ctx["args"]
    names = [n for n in MEDIA_SCENARIOS if n in args.scenarios]
    tag = f"{engine}-media"
    log(f"== {engine}, media: {', '.join(names)}")
    result = {"scenarios": {}, "notes": [], "memory_mib": args.media_memory_mib}
    service = None
    try:
        photo, jpeg = make_photo(ctx["photo"], ctx["workdir"], args.smoke)
        result["photo"] = photo
        try:
            service = Service(ctx, url, ctx["cache_modes"][-1], tag)
        except SettingRejected:
            service = Service(ctx, url, None, tag)
        # What the service holds before any image work, and after one upload.
        result["rss_start_mb"] = memory_mb(service.proc.pid)["rss_mb"]
        media = MediaPass(ctx, service, photo, jpeg)
        result["clients"] = media.clients
        result["master_bytes"] = media.probe_upload().get("bytes")
        if "upload" in names:
            result["scenarios"]["upload"] = guarded(tag, "upload", media.upload_burst)
        if "rendition" in names:
            cold = guarded(tag, "rendition cold", media.cold)
            result["scenarios"]["rendition-cold"] = cold
            if "failed" not in cold:
                result["scenarios"]["rendition-warm"] = guarded(tag, "rendition warm", media.warm)
    except Failure as exc:
        log(f"[{tag}] FAILED: {exc}")
        result["failed"] = str(exc)
    finally:
        if service is not None:
            service.stop()
            result["rss_mb"] = service.peak_rss
            result["service_log"] = service_complaints(service.log_path)
    return result


def guarded(tag, name, measure):
    try:
        row = measure()
    except Failure as exc:
        log(f"[{tag}] {name}: FAILED: {exc}")
        return {"failed": str(exc)}
    log(f"[{tag}] {name}: {row['rps']:,} req/s, p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms, "
        f"errors {row['errors']}, peak RSS {row.get('rss_mb')} MB")
    return row
