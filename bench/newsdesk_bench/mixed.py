"""The `mixed` scenarios: reads the way a site's traffic comes (home page,
section pages, article pages and their threads over a Zipf-like popularity,
conditional requests, the GraphQL home feed by POST and by persisted GET)
while, at the same time, signed-in readers post comments at a steady rate
and an editor saves or publishes a story every few seconds. `mixed` runs
the writes; `mixed-no-writes` the same reads without them, so that what
invalidation costs is one ratio.
"""

import itertools
import json
import random
import threading
import time

from .client import http
from .common import GRAPHQL_FEED, MIXED_SECTIONS, Failure, log

# Share of each kind of read, in percent.
READ_MIX = (
    ("home", 20), ("section", 10), ("article", 35), ("thread", 10),
    ("conditional", 10), ("graphql-post", 10), ("graphql-persisted", 5),
)
# Requests the load generator cycles through (each connection from its own
# random place): enough for the popularity curve to show.
MIX_LENGTH = 5000
EDITOR_EVERY = 3.0  # seconds between an editor's saves or publishes


class Popularity:
    """Picks items the first ones far more often (rank r weighs 1/r), as
    readers pick stories; the weights are worked out once."""

    def __init__(self, items):
        self.items = items
        self.cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(items) + 1)))

    def pick(self, rng):
        return rng.choices(self.items, cum_weights=self.cumulative, k=1)[0]


def read_mix(fx, persisted_path, seed=7):
    """The requests of the read mix, in a random order with the shares above."""
    rng = random.Random(seed)
    popular = Popularity(fx["slugs"])
    kinds = rng.choices([k for k, _ in READ_MIX], weights=[w for _, w in READ_MIX], k=MIX_LENGTH)
    feed = json.dumps({"query": GRAPHQL_FEED % 20})
    out = []
    for kind in kinds:
        if kind == "home":
            out.append({"method": "GET", "path": "/api/v1/articles?limit=20"})
        elif kind == "section":
            section = rng.choice(MIXED_SECTIONS)
            out.append({"method": "GET", "path": f"/api/v1/articles?limit=20&category={section}"})
        elif kind in ("article", "thread"):
            slug = popular.pick(rng)
            suffix = "/comments" if kind == "thread" else ""
            out.append({"method": "GET", "path": f"/api/v1/articles/{slug}{suffix}"})
        elif kind == "conditional":
            # The ETag the home page had when the run began: a 304 until a
            # write changes the page, a fresh 200 after.
            out.append({"method": "GET", "path": "/api/v1/articles?limit=20",
                        "headers": {"If-None-Match": fx["etag"]}})
        elif kind == "graphql-post":
            out.append({"method": "POST", "path": "/graphql", "body": feed,
                        "headers": {"Content-Type": "application/json"}})
        else:
            out.append({"method": "GET", "path": persisted_path})
    return out


def spec(fx, persisted_path):
    first = read_mix(fx, persisted_path)
    return {"method": "GET", "path": first[0]["path"], "mix": first, "ok": (200, 304)}


def cache_counts(port):
    """(hits, misses) of the response cache so far, from /metrics."""
    _, _, body = http(port, "GET", "/metrics")
    found = {"hit": 0, "miss": 0}
    for line in body.decode().splitlines():
        for result in found:
            if line.startswith(f'newsdesk_response_cache_requests_total{{result="{result}"}}'):
                found[result] = int(float(line.split()[1]))
    return found["hit"], found["miss"]


class Writes:
    """Comments at `rate` a second, each by the next of many readers on an
    article picked by popularity, and an editor's save or publish every
    EDITOR_EVERY seconds, on threads of their own while the reads run."""

    def __init__(self, port, fx, rate):
        self.port, self.fx, self.rate = port, fx, rate
        self.stopping = threading.Event()
        self.comments = self.editor_actions = 0
        self.failures = []
        self.threads = []
        self.started = self.stopped = None

    def __enter__(self):
        self.started = time.monotonic()
        if self.rate > 0:
            for work in (self.post_comments, self.edit):
                thread = threading.Thread(target=work, daemon=True)
                thread.start()
                self.threads.append(thread)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(30)
        self.stopped = time.monotonic()
        return False

    def figures(self):
        seconds = (self.stopped or time.monotonic()) - self.started
        return {"writes_per_s": round(self.comments / seconds, 1) if seconds else 0.0,
                "writes_wanted_per_s": self.rate,
                "editor_actions": self.editor_actions,
                "write_errors": len(self.failures),
                "write_error_sample": self.failures[:3]}

    def post_comments(self):
        rng = random.Random(11)
        popular, tokens = Popularity(self.fx["slugs"]), self.fx["tokens"]
        n = 0
        while not self.stopping.is_set():
            due = self.started + n / self.rate
            wait = due - time.monotonic()
            if wait > 0 and self.stopping.wait(wait):
                return
            slug = popular.pick(rng)
            token = tokens[n % len(tokens)]
            n += 1
            status, _, body = http(self.port, "POST", f"/api/v1/articles/{slug}/comments",
                                   headers={"Authorization": f"Bearer {token}"},
                                   body={"body": "A reader writes in during the mixed load."})
            if status == 201:
                self.comments += 1
            else:
                self.failures.append(f"comment: {status} {body[:120]!r}")

    def edit(self):
        token = {"Authorization": f"Bearer {self.fx['editor']}"}
        rng = random.Random(13)
        popular = Popularity(self.fx["slugs"][:50])
        turn = 0
        while not self.stopping.wait(EDITOR_EVERY):
            turn += 1
            try:
                if turn % 2:
                    self.publish_new_story(token, turn)
                else:
                    self.save_a_story(token, popular.pick(rng))
                self.editor_actions += 1
            except Failure as exc:
                self.failures.append(f"editor: {exc}")

    def publish_new_story(self, token, turn):
        section = MIXED_SECTIONS[turn % len(MIXED_SECTIONS)]
        status, _, body = http(self.port, "POST", "/api/v1/articles", headers=token,
                               body={"title": f"Breaking: a story filed during the load ({turn})",
                                     "summary": "Filed while readers read.", "body": "Text.",
                                     "category": section})
        if status != 201:
            raise Failure(f"create answered {status}: {body[:120]!r}")
        article = json.loads(body)
        status, _, body = http(self.port, "POST", f"/api/v1/articles/{article['id']}/publish",
                               headers=token, body={})
        if status != 200:
            raise Failure(f"publish answered {status}: {body[:120]!r}")

    def save_a_story(self, token, slug):
        status, _, body = http(self.port, "GET", f"/api/v1/articles/{slug}", headers=token)
        if status != 200:
            raise Failure(f"reading {slug} answered {status}")
        version = json.loads(body)["version"]
        status, _, body = http(self.port, "PATCH", f"/api/v1/articles/{slug}",
                               headers={**token, "If-Match": f'"{version}"'},
                               body={"summary": f"Updated at {time.strftime('%H:%M:%S')}."})
        if status != 200:
            raise Failure(f"saving {slug} answered {status}: {body[:120]!r}")


def log_writes(tag, name, figures):
    log(f"[{tag}] {name}: comments {figures['writes_per_s']}/s of {figures['writes_wanted_per_s']}, "
        f"editor actions {figures['editor_actions']}, write errors {figures['write_errors']}")
