"""Alias bombs: documents of many aliased fields, the candidates for the
costliest the limits accept, and one anonymous POST of each, never
answered from cache."""

import secrets
import time

from ..client import http
from ..common import Failure
from .common import TIMEOUT, answer_kind, parse_json

SEARCH_FIRST_1 = 'a{i}: articles(first: 1, filter: {{search: "said the"}}) {{ edges {{ node {{ id }} }} }}'
LETTER_SEARCH = 'a{i}: articles(first: 1, filter: {{search: "{letter}"}}) {{ edges {{ node {{ id }} }} }}'
SEARCH_FACETS = ('a{i}: articles(first: 1, filter: {{search: "said the"}}) {{ edges {{ node {{ id }} }} '
                 'facets {{ sections {{ slug count }} months {{ month count }} }} }}')
LIST_1 = 'a{i}: articles(first: 1) {{ nodes {{ id }} }}'


def search_html(first):
    return ('a{i}: articles(first: %d, filter: {{search: "said the"}}) '
            '{{ nodes {{ bodyHtml snippet }} }}' % first)


def list_html(first):
    return 'a{i}: articles(first: %d) {{ nodes {{ bodyHtml }} }}' % first


# (label, aliased field, aliases). The complexity limit is 5,000 a
# document, by the service's own costs (src/graphql/cost.rs): a field 1
# plus what it holds, a list 10 + first × each item's, a search 500 more, a
# story's body or bodyHtml 20, facets 10. Beside each, the document's cost:
# the accepted ones come as near the limit as their shape allows (as many
# aliases as fit, or as many stories per page); the two marked with their
# cost were the costliest before bodies weighed 20, and are refused now.
CANDIDATE_BOMBS = [
    ("9 searches 'said the', first 1", SEARCH_FIRST_1, 9),                        # 9 × 513 = 4,617
    ("9 one-letter prefix searches, first 1", LETTER_SEARCH, 9),                  # 9 × 513 = 4,617
    ("9 searches with facets", SEARCH_FACETS, 9),                                 # 9 × 523 = 4,707
    ("6 searches, first 100, bodyHtml+snippet (cost 16,260)", search_html(100), 6),
    ("6 searches, first 14, bodyHtml+snippet", search_html(14), 6),               # 6 × 818 = 4,908
    ("2 searches, first 90, bodyHtml+snippet", search_html(90), 2),               # 2 × 2,490 = 4,980
    ("23 lists, first 100, bodyHtml (cost 48,530)", list_html(100), 23),
    ("23 lists, first 9, bodyHtml", list_html(9), 23),                            # 23 × 199 = 4,577
    ("3 lists, first 78, bodyHtml", list_html(78), 3),                            # 3 × 1,648 = 4,944
    ("199 lists, first 1 (within 200 calls)", LIST_1, 199),                       # 199 × 12 = 2,388
    ("416 lists, first 1 (over 200 calls)", LIST_1, 416),                         # 416 × 12 = 4,992
]


def aliased_document(template, aliases, name):
    """A query named `name` (a fresh name dodges the response cache) of `aliases` aliased fields."""
    letters = "setaoinrhd"
    fields = " ".join(template.format(i=i, letter=letters[i % len(letters)]) for i in range(aliases))
    return f"query {name} {{ {fields} }}"


def send_bomb(port, template, aliases):
    """One anonymous POST of the document, never answered from cache:
    (answer, seconds, the first error's message, bytes asked, bytes answered)."""
    name = "B" + secrets.token_hex(6)
    document = aliased_document(template, aliases, name)
    started = time.monotonic()
    try:
        status, _, raw = http(port, "POST", "/graphql", body={"query": document, "operationName": name},
                              timeout=TIMEOUT)
    except Failure as exc:
        return f"failed: {str(exc)[:60]}", None, None, len(document), 0
    seconds = time.monotonic() - started
    doc = parse_json(raw)
    errors = (doc or {}).get("errors") or [{}]
    return answer_kind(status, doc), seconds, errors[0].get("message"), len(document), len(raw)
