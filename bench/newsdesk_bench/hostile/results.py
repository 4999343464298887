"""The results of a run: their heading (the binary, the commit, the date,
notes), and the JSON file."""

import datetime
import json
from pathlib import Path

from ..common import log
from ..results import head_commit


def commit():
    head, changed = head_commit()
    return head + (" with local changes" if changed else "") if head else "unknown"


def new_results(binary, args):
    """What the report heads with; the steps add their figures."""
    results = {"binary": binary, "commit": commit(),
               "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "args": vars(args), "notes": [], "services": []}
    if "/debug/" in binary:
        results["notes"].append("a debug build: the figures say nothing of a release build's speed")
    return results


def save(results, path):
    Path(path).write_text(json.dumps(results, indent=2) + "\n")
    log(f"wrote {path}")
