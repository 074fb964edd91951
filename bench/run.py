"""Maillage under load (issue: performance): `make bench` and `make bench-small`.

    .venv/bin/python bench/run.py [--small] [--sites 50 --posts 200 --comments 50]
                                  [--duration 10 --warmup 3] [--skip-anonymize] [--keep]

1. Creates the scratch database `maillage_bench` on the PostgreSQL server DATABASE_URL names
   (default postgres://postgres@127.0.0.1:5432/), migrates it and seeds a network (bench/seed.py).
2. Serves it with gunicorn (2 sync workers, 127.0.0.1, hub.settings.production, persistent
   database connections) and loads it with wrk -t2 -c8 (Debian's package; installed when missing
   and running as root): each page scenario (bench/scenarios.py) with the page cache off, then on
   (MAILLAGE_PAGE_CACHE, gunicorn restarted in between), and comment POSTs, counted against the
   comments stored (bench/posting.py).
3. Measures the ceiling, a bare Django view (bench/bare.py), and gives every rate as a ratio of it;
   counts SQL queries per page (bench/queries.py), the workers' peak RSS, and, for the full run,
   times anonymize_comments on 1,000,000 comments (bench/anonymize_million.py).
4. Writes bench/results/bench.md and bench.json (bench-small.* with --small) and prints the table
   and the issue's targets (informative).

Cache: REDIS_URL when set (only Maillage's keys, "maillage:*", are deleted first); else a Redis
answering on 127.0.0.1:6379, database 15 (flushed); else the database cache.

Exits non-zero when a page answered a socket error or a non-2xx/3xx status, when the comments
stored differ from the accepted POSTs, or when gunicorn does not start. gunicorn is always stopped
and the scratch database dropped (unless --keep), whatever happens.
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import load
import posting
import report
import seed as seed_network
import server
from scenarios import page_scenarios

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
SCRATCH = "maillage_bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/15"
CALLER_ENV = dict(os.environ)  # before setup_django() adds the server's settings to this process


# --- options -------------------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="3 sites × 100 posts × 5 comments")
    parser.add_argument("--sites", type=int)
    parser.add_argument("--posts", type=int, help="per site")
    parser.add_argument("--comments", type=int, help="approved comments per post")
    parser.add_argument("--duration", type=int, help="seconds of load per scenario")
    parser.add_argument("--warmup", type=int, help="seconds of warm-up per scenario")
    parser.add_argument("--client-posts", type=int, help="POSTs of the exact-count phase")
    parser.add_argument("--skip-anonymize", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    small = {"sites": 3, "posts": 100, "comments": 5, "duration": 3, "warmup": 1}
    full = {"sites": 50, "posts": 200, "comments": 50, "duration": 10, "warmup": 3}
    for name, value in (small if args.small else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.client_posts is None:
        args.client_posts = 300 if args.small else 2000
    return args


# --- the database and the environment ------------------------------------------------------------


def database_url(server_url, name):
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def psql(server_url, sql):
    admin = database_url(server_url, "postgres")
    return subprocess.run(
        ["psql", admin, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def recreate_database(server_url):
    psql(server_url, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
    psql(server_url, f'CREATE DATABASE "{SCRATCH}"')


def drop_database(server_url):
    psql(server_url, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')


def redis_answers(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def choose_cache():
    """(REDIS_URL for the server or "", description), with the cache emptied of Maillage's keys."""
    import redis

    given = CALLER_ENV.get("REDIS_URL", "")
    if given:
        client = redis.Redis.from_url(given)
        for key in client.scan_iter("maillage:*", count=1000):
            client.delete(key)
        return given, f"Redis from REDIS_URL ({given}), Maillage's keys deleted first"
    if redis_answers():
        redis.Redis.from_url(LOCAL_REDIS).flushdb()
        return LOCAL_REDIS, f"Redis on 127.0.0.1:6379, database 15 ({LOCAL_REDIS}), flushed first"
    return "", "the database cache (no Redis: REDIS_URL unset, nothing on 127.0.0.1:6379)"


def server_env(db_url, secret, hosts, redis_url, static_root):
    """The environment of every Maillage process of the run: as a deployment, over plain HTTP."""
    env = {
        key: value
        for key, value in CALLER_ENV.items()
        if key not in ("REDIS_URL", "EMAIL_HOST", "DEBUG", "MAILLAGE_PAGE_CACHE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        SECRET_KEY=secret,
        DATABASE_URL=db_url,
        ALLOWED_HOSTS=",".join(hosts),
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
        TASKS_BACKEND="database",  # as in production: e-mails queued for the worker
        COMMENTS_RATE_LIMIT_ENABLED="0",
        STATIC_ROOT=str(static_root),
        MAILLAGE_PAGE_CACHE="0",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def with_page_cache(env, on):
    return {**env, "MAILLAGE_PAGE_CACHE": "1" if on else "0"}


# --- preparing the site --------------------------------------------------------------------------


def manage(env, *command):
    subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=sys.stderr
    )


def prepare(env):
    """migrate, with collectstatic (which needs no database) beside it."""
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=sys.stderr,
    )
    try:
        manage(env, "migrate", "--no-input", "-v0")
    finally:
        if collect.wait() != 0:
            raise subprocess.CalledProcessError(collect.returncode, collect.args)


def seed(env, args, work):
    spec_path = work / "spec.json"
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "seed.py"),
            f"--sites={args.sites}",
            f"--posts={args.posts}",
            f"--comments={args.comments}",
            f"--json={spec_path}",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(spec_path.read_text())


def count_queries(env, spec_path, work):
    """{cache: {scenario: {"status", "queries"}}}: each mode in a process of its own, both at
    once (nothing is timed here)."""
    out = {cache: work / f"queries-{cache}.json" for cache in ("off", "on")}
    processes = {
        cache: subprocess.Popen(
            [sys.executable, str(BENCH / "queries.py"), str(spec_path), str(out[cache])],
            cwd=ROOT,
            env=with_page_cache(env, cache == "on"),
        )
        for cache in out
    }
    for process in processes.values():
        if process.wait() != 0:
            raise subprocess.CalledProcessError(process.returncode, process.args)
    return {cache: json.loads(out[cache].read_text()) for cache in processes}


def setup_django(env):
    """Django in this process, with the server's settings: posting.py signs and counts here."""
    import django

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    django.setup()


# --- load ----------------------------------------------------------------------------------------


def measure_bare(wrk, env, args, log_path):
    with server.gunicorn(
        "bare:application", env, log_path, "bench.localhost", "/", BENCH, pythonpath=BENCH
    ) as (_process, port):
        load.run(wrk, port, "bench.localhost", "/", args.warmup)
        server.drain(port, "bench.localhost", "/")
        return load.run(wrk, port, "bench.localhost", "/", args.duration)


def measure_pages(wrk, port, scenarios, args, cache, queries, bare_rps):
    rows = []
    for scenario in scenarios:
        # The warm-up also absorbs what the previous run left queued; the drain waits for both.
        load.run(wrk, port, scenario.host, scenario.path, args.warmup)
        server.drain(port, scenario.host)
        result = load.run(wrk, port, scenario.host, scenario.path, args.duration)
        counted = queries[cache].get(scenario.name, {})
        rows.append(
            {
                "scenario": scenario.name,
                "host": scenario.host,
                "path": scenario.path,
                "cache": cache,
                "cacheable": scenario.cached,
                **result.as_dict(),
                "ratio_to_bare": report.ratio(result.requests_per_second, bare_rps),
                "sql_queries": counted.get("queries"),
                "status_in_process": counted.get("status"),
            }
        )
        print(
            f"  {scenario.name} (cache {cache}): {result.requests_per_second:.1f} req/s, "
            f"p99 {result.p99_ms} ms",
            flush=True,
        )
    return rows


def measure_comment_post(wrk, port, spec, args, cache):
    target = spec["comment_target"]
    result, wrk_stored = posting.wrk_phase(wrk, port, spec["target"], target, args.duration, cache)
    client = posting.client_phase(port, spec["target"], target, args.client_posts, cache)
    print(
        f"  comment POST (cache {cache}): {result.requests_per_second:.1f} req/s with wrk "
        f"({result.requests} completed, {wrk_stored} stored); client {client.accepted} accepted, "
        f"{client.stored} stored",
        flush=True,
    )
    return {"wrk": result.as_dict(), "wrk_stored": wrk_stored, "client": client.as_dict()}


def measure_series(wrk, env, spec, scenarios, args, cache, queries, bare_rps):
    """One gunicorn, one cache mode: (page rows, comment POST figures, workers' peak RSS)."""
    log_path = RESULTS / f"gunicorn-cache-{cache}.log"
    with server.gunicorn(
        "hub.wsgi:application",
        with_page_cache(env, cache == "on"),
        log_path,
        spec["site"],
        "/healthz",
        ROOT,
    ) as (process, port):
        rows = measure_pages(wrk, port, scenarios, args, cache, queries, bare_rps)
        server.drain(port, spec["target"])
        comments = measure_comment_post(wrk, port, spec, args, cache)
        rss = server.workers_peak_rss(process.pid)
    return rows, comments, rss


def run_anonymize(server_url):
    out = RESULTS / "anonymize_million.json"
    subprocess.run(
        [sys.executable, str(BENCH / "anonymize_million.py"), "--json", str(out)],
        cwd=ROOT,
        env={**CALLER_ENV, "DATABASE_URL": server_url},
        check=True,
    )
    return json.loads(out.read_text())


# --- verdict -------------------------------------------------------------------------------------


def failures(results):
    found = ["anonymize_comments benchmark failed"] if results.get("anonymize_failed") else []
    for row in results["pages"]:
        where = f"{row['scenario']} (cache {row['cache']})"
        if not row["requests"]:
            found.append(f"{where}: no request completed")
        if row["socket_errors"]:
            found.append(f"{where}: {row['socket_errors']} socket errors")
        if row["non_2xx_3xx"]:
            found.append(f"{where}: {row['non_2xx_3xx']} non-2xx/3xx responses")
        status = row["status_in_process"]
        if status is not None and not 200 <= status < 400:
            found.append(f"{where}: answered {status} to the in-process request")
    for cache, run in results["comment_post"].items():
        client, wrk = run["client"], run["wrk"]
        if client["accepted"] != client["stored"] or client["refused"]:
            found.append(
                f"comment POST (cache {cache}): {client['accepted']} accepted, "
                f"{client['stored']} stored, refused {client['refused']}"
            )
        accepted = wrk["requests"] - wrk["non_2xx_3xx"]
        if not accepted <= run["wrk_stored"] <= wrk["requests"] + load.CONNECTIONS:
            found.append(
                f"comment POST with wrk (cache {cache}): {accepted} accepted of "
                f"{wrk['requests']} completed, {run['wrk_stored']} stored"
            )
    return found


def write_results(results, small):
    name = "bench-small" if small else "bench"
    text = report.markdown(results)
    (RESULTS / f"{name}.md").write_text(text)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    return text, RESULTS / f"{name}.md"


# --- the run -------------------------------------------------------------------------------------


def timed(timings, name, function, *args):
    started = time.monotonic()
    value = function(*args)
    timings[name] = round(time.monotonic() - started, 1)
    return value


def benchmark(args, server_url, wrk, work):
    timings = {}
    load_before = [round(n, 2) for n in os.getloadavg()]
    redis_url, cache_backend = choose_cache()
    secret = secrets.token_urlsafe(50)
    hosts = [seed_network.site_hostname(number) for number in range(args.sites)]
    db_url = database_url(server_url, SCRATCH)
    env = server_env(db_url, secret, hosts, redis_url, work / "static")
    timed(timings, "create database", recreate_database, server_url)
    timed(timings, "migrate and collectstatic", prepare, env)
    spec = timed(timings, "seed", seed, env, args, work)
    timings["seed: sites (factory)"] = spec["timings"]["sites_seconds"]
    timings["seed: posts (bulk)"] = spec["timings"]["posts_seconds"]
    timings["seed: seconds per 100 posts"] = round(
        100 * spec["timings"]["posts_seconds"] / spec["posts"], 2
    )
    timings["seed: comments (bulk)"] = spec["timings"]["comments_seconds"]
    scenarios = page_scenarios(spec)
    queries = timed(timings, "SQL query counts", count_queries, env, work / "spec.json", work)
    setup_django(env)

    started = time.monotonic()
    bare = measure_bare(wrk, env, args, RESULTS / "gunicorn-bare.log")
    print(f"  bare Django: {bare.requests_per_second:.1f} req/s", flush=True)
    pages, comment_post, rss = [], {}, {}
    for cache in ("off", "on"):
        rows, comment_post[cache], rss[f"cache {cache}"] = measure_series(
            wrk, env, spec, scenarios, args, cache, queries, bare.requests_per_second
        )
        pages += rows
    timings["load"] = round(time.monotonic() - started, 1)

    results = {
        "run": {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "small": args.small,
            "machine": report.machine(),
            "versions": {
                **report.package_versions(),
                "postgresql": psql(server_url, "SHOW server_version"),
                "wrk": load.wrk_version(wrk),
            },
            "cache_backend": cache_backend,
            "duration_seconds": args.duration,
            "warmup_seconds": args.warmup,
            "connections": load.CONNECTIONS,
            "threads": load.THREADS,
            "timeout_seconds": load.TIMEOUT_SECONDS,
            "load_average_before": load_before,
            "load_average_after": [round(n, 2) for n in os.getloadavg()],
        },
        "spec": spec,
        "bare": bare.as_dict(),
        "pages": pages,
        "comment_post": comment_post,
        "rss_mb": rss,
        "timings": timings,
    }
    if args.small or args.skip_anonymize:
        results["anonymize_skipped"] = "--small" if args.small else "--skip-anonymize"
    else:
        # Last and longest: if it fails, the page figures are still written.
        try:
            results["anonymize"] = timed(
                timings, "anonymize (1,000,000)", run_anonymize, server_url
            )
        except subprocess.CalledProcessError as error:
            results["anonymize_skipped"] = f"failed: {error}"
            results["anonymize_failed"] = True
    return results


def close_django():
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()


def main():
    args = parse_args()
    server_url = CALLER_ENV.get("DATABASE_URL", DEFAULT_SERVER)
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    wrk = load.ensure_wrk()
    RESULTS.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="maillage-bench-"))
    started = time.monotonic()
    try:
        results = benchmark(args, server_url, wrk, work)
    except server.ServerFailed as error:
        sys.exit(f"gunicorn failed: {error}")
    finally:
        close_django()
        if args.keep:
            print(f"Kept the scratch database {database_url(server_url, SCRATCH)}", flush=True)
        else:
            drop_database(server_url)
        shutil.rmtree(work, ignore_errors=True)
    results["timings"]["total"] = round(time.monotonic() - started, 1)
    results["failures"] = failures(results)
    text, path = write_results(results, args.small)
    print(text)
    print(f"Written: {path} and {path.with_suffix('.json')}")
    if results["failures"]:
        sys.exit("Benchmark failed: " + "; ".join(results["failures"]))


if __name__ == "__main__":
    main()
