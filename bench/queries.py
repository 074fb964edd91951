"""SQL queries per page, for bench/run.py: run in a process of its own with the server's settings
and MAILLAGE_PAGE_CACHE=0 or 1, against the benchmark's scratch database.

    .venv/bin/python bench/queries.py spec.json out.json

Cache off: the first request to each page (after one request to /robots.txt on each host, so
that the site look-ups any worker caches are warm). Cache on: a first request fills the cache,
the repeat is counted. Written as {scenario: {"status": code, "queries": count}}.
"""

import json
import os
import sys
from pathlib import Path

from scenarios import page_scenarios

ROOT = Path(__file__).resolve().parent.parent


def count_queries(client, scenario):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(scenario.path, HTTP_HOST=scenario.host)
    return {"status": response.status_code, "queries": len(queries)}


def main():
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.test import Client

    spec = json.loads(Path(sys.argv[1]).read_text())
    cache_on = os.environ.get("MAILLAGE_PAGE_CACHE") == "1"
    client = Client(raise_request_exception=False)
    scenarios = page_scenarios(spec)
    for host in {scenario.host for scenario in scenarios}:
        client.get("/robots.txt", HTTP_HOST=host)
    counts = {}
    for scenario in scenarios:
        if cache_on:
            client.get(scenario.path, HTTP_HOST=scenario.host)
        counts[scenario.name] = count_queries(client, scenario)
    Path(sys.argv[2]).write_text(json.dumps(counts, indent=2) + "\n")


if __name__ == "__main__":
    main()
