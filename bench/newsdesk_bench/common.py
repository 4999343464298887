"""What every part of the benchmark shares: paths, constants, the log line,
the failures."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results"
# Inside the repository (gitignored with the rest of target/), apart from
# the debug builds' target dir so that the release build never waits on them.
DEFAULT_TARGET_DIR = str(REPO / "target" / "bench")
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432"
PG_DB = "newsdesk_bench"
PASSWORD = "newsdesk-demo"
COMPRESSED = "gzip, br"   # what browsers and mobile apps send, with --compressed

# The scenarios, in the order they run. Writes come last so that every read
# scenario sees the seeded data set exactly as generated.
SCENARIOS = [
    "list", "list-deep", "list-section", "search", "article", "comments",
    "conditional", "feed", "sitemap", "graphql-feed", "graphql-apq", "mixed-no-writes", "mixed",
    "write-comment", "login", "upload", "rendition",
]
# Run after the other scenarios, in a service of their own (media.py).
MEDIA_SCENARIOS = ("upload", "rendition")
DEEP_PAGES = 999          # cursor hops: list-deep is the 1,000th page
ARTICLE_SLUGS = 1000      # the article scenario rotates over this many
READERS = 50              # readers signed in, each posting in turn (write-comment, mixed)
WRITERS = 20              # the seed's authors, writer1 to writer20, who upload (upload)
WRITER_EMAIL = "writer{}@bench.newsdesk.example"
UPLOADERS = 4             # authors uploading at once, and readers drawing cold renditions
EDITOR_EMAIL = "editor@bench.newsdesk.example"  # made after the seed, for mixed
MIXED_WRITES = 20         # comments a second in mixed, by default
MIXED_SECTIONS = ("world", "europe", "politics", "business", "science", "health")
SECTION = "world"         # a section with sub-sections
# Searches as readers type them, rotated: a word in half the archive, a
# place, a phrase, the start of a word, a rare combination, and a word in
# no story at all.
SEARCHES = ("ministers", "brennholm", "energy price cap", "ener",
            "satellite launch vessa", "zeppelin")

GRAPHQL_FEED = (
    "{ categories { slug name } articles(first: %d) { edges { cursor node { "
    "id slug title summary publishedAt readingTimeMinutes commentCount "
    "category { slug name } tags { slug name } authors { id displayName } } } "
    "pageInfo { hasNextPage endCursor } } }"
)

# Nested lists, for the statement counts: the same at any page size when
# comments, replies and section feeds load in batches.
GRAPHQL_THREADS = (
    "{ articles(first: %d) { nodes { id comments(first: 3) { nodes { id body "
    "replies(first: 3) { nodes { id body } } } } } } }"
)
GRAPHQL_SECTIONS = "{ categories { slug articles(first: %d) { nodes { id title } } } }"


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


class Failure(Exception):
    """A step that makes the rest of a run meaningless."""


class TimedOut(Failure):
    """A request got no answer in time."""


class SettingRejected(Failure):
    """The service would not start with NEWSDESK_RESPONSE_CACHE set."""
