"""Fixtures: what the scenarios need, read from the running service."""

import hashlib
import json
import re
import urllib.parse

from .client import http, idle_queries_per_second, settle
from .common import ARTICLE_SLUGS, DEEP_PAGES, EDITOR_EMAIL, PASSWORD, READERS, Failure, log


def get_json(port, path, **kw):
    status, headers, body = http(port, "GET", path, **kw)
    if status != 200:
        raise Failure(f"GET {path} answered {status}: {body[:300]!r}")
    return headers, body, json.loads(body)


def walk_list(port, hops):
    """Follow next_cursor `hops` times; returns (cursor, hops done, slugs seen)."""
    cursor, slugs, done = None, [], 0
    while done < hops:
        path = "/api/v1/articles?limit=20" + (f"&cursor={cursor}" if cursor else "")
        _, _, page = get_json(port, path)
        if len(slugs) < ARTICLE_SLUGS:
            slugs += [a["slug"] for a in page["data"]]
        if not page.get("next_cursor"):
            break
        cursor, done = page["next_cursor"], done + 1
    return cursor, done, slugs[:ARTICLE_SLUGS]


def sign_in(port, email):
    status, _, body = http(port, "POST", "/api/v1/auth/login",
                           body={"email": email, "password": PASSWORD})
    if status != 200:
        raise Failure(f"login of {email} answered {status}: {body[:300]!r}")
    return json.loads(body)["access_token"]


def graphql_available(port):
    status, _, _ = http(port, "POST", "/graphql", body={"query": "{ __typename }"})
    return status != 404


def register_persisted_query(port, query):
    digest = hashlib.sha256(query.encode()).hexdigest()
    ext = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    status, _, body = http(port, "POST", "/graphql", body={"query": query, "extensions": ext})
    if status != 200 or b'"errors"' in body:
        raise Failure(f"registering the persisted query answered {status}: {body[:300]!r}")
    return "/graphql?extensions=" + urllib.parse.quote(json.dumps(ext, separators=(",", ":")))


def first_article_sitemap(port):
    """The path of the first page of the article sitemap, from the index."""
    status, _, body = http(port, "GET", "/sitemap.xml")
    if status != 200:
        raise Failure(f"GET /sitemap.xml answered {status}: {body[:300]!r}")
    for loc in re.findall(rb"<loc>([^<]+)</loc>", body):
        path = urllib.parse.urlsplit(loc.decode()).path
        if path.startswith("/sitemaps/articles-"):
            return path
    raise Failure("the sitemap index lists no page of articles")


def fixtures(port):
    log("reading fixtures: list bytes, cursors, slugs, tokens")
    headers, list_body, _ = get_json(port, "/api/v1/articles?limit=20")
    # On a small data set (--smoke) the walk stops at the last page.
    cursor, hops, slugs = walk_list(port, DEEP_PAGES)
    if not slugs or not cursor:
        raise Failure("the list is empty: did the seed run?")
    fx = {
        "list_body": list_body,
        "etag": headers.get("etag"),
        "deep_cursor": cursor,
        "deep_pages": hops + 1,
        "slugs": slugs,
        "tokens": [sign_in(port, f"reader{n}@bench.newsdesk.example")
                   for n in range(1, READERS + 1)],
        "editor": sign_in(port, EDITOR_EMAIL),
        "graphql": graphql_available(port),
        "sitemap": first_article_sitemap(port),
    }
    settle(port)
    fx["idle_rate"] = idle_queries_per_second(port)
    return fx
