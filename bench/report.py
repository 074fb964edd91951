"""The benchmark's report: the machine, the results table in Markdown, the issue's targets."""

import os
import platform
from importlib import metadata
from pathlib import Path

# The targets (informative: they never fail the run).
DEMO_POST_RPS = 106  # Wagtail's bakerydemo, a blog post, same kind of machine
POST_RPS_TARGET = 2 * DEMO_POST_RPS
POST_P99_TARGET_MS = 100
CACHED_RATIO_TARGET = 0.40
COMMENTS_PER_SECOND_TARGET = 100
ANONYMIZE_SECONDS_TARGET = 60
RSS_TARGET_MB = 200


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "ram_gib": round(memory_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "os": platform.platform(),
    }


def package_versions():
    versions = {"python": platform.python_version()}
    for name in ("django", "wagtail", "gunicorn", "psycopg2-binary", "redis"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


# --- the table -------------------------------------------------------------------------------


def ratio(rps, bare_rps):
    return round(rps / bare_rps, 3) if bare_rps else None


def _percent(value):
    return "–" if value is None else f"{value:.1%}"


def _row(cells):
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def table(rows):
    header = [
        "scenario",
        "cache",
        "req/s",
        "ratio to bare",
        "p50 (ms)",
        "p90 (ms)",
        "p99 (ms)",
        "errors",
        "non-2xx/3xx",
        "SQL queries",
    ]
    lines = [_row(header), _row(["---"] * len(header))]
    for row in rows:
        lines.append(
            _row(
                [
                    row["scenario"],
                    row["cache"],
                    f"{row['requests_per_second']:.1f}",
                    _percent(row["ratio_to_bare"]),
                    row["p50_ms"],
                    row["p90_ms"],
                    row["p99_ms"],
                    row["socket_errors"],
                    row["non_2xx_3xx"],
                    "–" if row.get("sql_queries") is None else row["sql_queries"],
                ]
            )
        )
    return "\n".join(lines)


# --- the targets -------------------------------------------------------------------------------


def _verdict(ok):
    return "not measured" if ok is None else ("pass" if ok else "FAIL")


def targets(results):
    """[(target, measured, verdict)] for the issue's targets."""
    rows = results["pages"]
    post = next(
        (r for r in rows if r["cache"] == "off" and r["scenario"].startswith("post, ")), None
    )
    comments = results["spec"]["sizes"]["comments"]
    checks = []
    if post is not None:
        small = "" if comments == 50 else f" (this run: {comments} comments)"
        checks.append(
            (
                f"uncached post with 50 comments ≥ {POST_RPS_TARGET} req/s, "
                f"p99 < {POST_P99_TARGET_MS} ms{small}",
                f"{post['requests_per_second']:.1f} req/s, p99 {post['p99_ms']} ms",
                _verdict(
                    post["requests_per_second"] >= POST_RPS_TARGET
                    and post["p99_ms"] < POST_P99_TARGET_MS
                ),
            )
        )
    cached = [r for r in rows if r["cache"] == "on" and r["cacheable"]]
    if cached:
        worst = min(cached, key=lambda r: r["ratio_to_bare"] or 0)
        below = [r["scenario"] for r in cached if (r["ratio_to_bare"] or 0) < CACHED_RATIO_TARGET]
        checks.append(
            (
                f"cached pages ≥ {CACHED_RATIO_TARGET:.0%} of bare Django",
                f"lowest: {worst['scenario']} {_percent(worst['ratio_to_bare'])}"
                + (f"; below: {', '.join(below)}" if below else ""),
                _verdict(not below),
            )
        )
    posting = results["comment_post"]
    if posting:
        slowest = min(run["wrk"]["requests_per_second"] for run in posting.values())
        equal = all(
            run["client"]["accepted"] == run["client"]["stored"] for run in posting.values()
        )
        checks.append(
            (
                f"comment POST ≥ {COMMENTS_PER_SECOND_TARGET} accepted/s, stored == accepted",
                f"{slowest:.1f}/s (slowest series); stored == accepted: {'yes' if equal else 'NO'}",
                _verdict(slowest >= COMMENTS_PER_SECOND_TARGET and equal),
            )
        )
    anonymize = results.get("anonymize")
    seconds = anonymize.get("anonymize_seconds") if anonymize else None
    checks.append(
        (
            f"anonymize_comments on 1,000,000 comments < {ANONYMIZE_SECONDS_TARGET} s",
            f"{seconds} s" if seconds is not None else "skipped",
            _verdict(None if seconds is None else seconds < ANONYMIZE_SECONDS_TARGET),
        )
    )
    peaks = [mb for series in results["rss_mb"].values() for mb in series if mb is not None]
    checks.append(
        (
            f"worker peak RSS < {RSS_TARGET_MB} MB",
            f"{max(peaks)} MB" if peaks else "–",
            _verdict(max(peaks) < RSS_TARGET_MB if peaks else None),
        )
    )
    return checks


# --- the whole report ----------------------------------------------------------------------------


def markdown(results):
    spec, run = results["spec"], results["run"]
    sizes = spec["sizes"]
    lines = [
        f"# Maillage benchmark{' (small)' if run['small'] else ''}",
        "",
        f"- Date: {run['date']}",
        f"- Machine: {run['machine']['cores']} cores, {run['machine']['ram_gib']} GiB RAM, "
        f"{run['machine']['cpu']} ({run['machine']['os']})",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in run["versions"].items()),
        f"- Network: {sizes['sites']} sites × {sizes['posts']} posts × {sizes['comments']} "
        f"approved comments, plus one post with 500 comments, one post shared with another site "
        f"and the network news page: {spec['posts']} posts, {spec['comments']} comments",
        "- Server: gunicorn, 2 sync workers on 127.0.0.1, hub.settings.production, "
        "CONN_MAX_AGE=600 (persistent database connections, as a deployment), "
        "TASKS_BACKEND=database (e-mails queued, as in production), comment rate limit off; "
        "restarted between the cache-off and "
        "cache-on series (MAILLAGE_PAGE_CACHE=0/1)",
        f"- Cache backend: {run['cache_backend']}",
        f"- Load: wrk -t2 -c8 --latency --timeout {run['timeout_seconds']}s, warm-up "
        f"{run['warmup_seconds']} s then {run['duration_seconds']} s per scenario",
        f"- Machine load average (1, 5, 15 min) before the run: {run['load_average_before']}, "
        f"after: {run['load_average_after']} (other work on the machine lowers every figure; "
        "the ratios to bare Django less so)",
        f'- Bare Django ceiling (a view returning "ok", no middleware, same gunicorn): '
        f"{results['bare']['requests_per_second']:.1f} req/s, p99 {results['bare']['p99_ms']} ms",
        "- SQL queries: cache off, the first request to the page; cache on, the repeat request",
        "",
        table(results["pages"]),
        "",
        "## Comment POST",
        "",
    ]
    lines += comment_lines(results)
    lines += [
        "",
        "## Workers' peak RSS (VmHWM after the series)",
        "",
    ]
    for series, peaks in results["rss_mb"].items():
        lines.append(f"- {series}: " + ", ".join(f"{mb} MB" for mb in peaks))
    lines += ["", "## anonymize_comments on 1,000,000 comments", ""]
    anonymize = results.get("anonymize")
    if anonymize:
        lines.append(
            f"- {anonymize['anonymize_seconds']} s for {anonymize['comments']:,} comments on "
            f"{anonymize['posts']:,} pages (seeded in {anonymize['seed_seconds']} s)"
        )
    else:
        lines.append(f"- skipped ({results.get('anonymize_skipped', 'not asked')})")
    lines += ["", "## Targets (informative)", "", _row(["target", "measured", "result"])]
    lines.append(_row(["---"] * 3))
    lines += [_row(check) for check in targets(results)]
    lines += ["", "## Timings", ""]
    lines += [f"- {name}: {seconds} s" for name, seconds in results["timings"].items()]
    if results["failures"]:
        lines += ["", "## Failures", ""] + [f"- {failure}" for failure in results["failures"]]
    return "\n".join(lines) + "\n"


def comment_lines(results):
    bare = results["bare"]["requests_per_second"]
    lines = [
        _row(
            [
                "cache",
                "wrk req/s",
                "ratio to bare",
                "p99 (ms)",
                "wrk completed",
                "stored",
                "client sent",
                "accepted (2xx/3xx)",
                "stored",
                "accepted/s",
            ]
        ),
        _row(["---"] * 10),
    ]
    for cache, run in results["comment_post"].items():
        wrk, client = run["wrk"], run["client"]
        lines.append(
            _row(
                [
                    cache,
                    f"{wrk['requests_per_second']:.1f}",
                    _percent(ratio(wrk["requests_per_second"], bare)),
                    wrk["p99_ms"],
                    wrk["requests"],
                    run["wrk_stored"],
                    client["sent"],
                    client["accepted"],
                    client["stored"],
                    client["accepted_per_second"],
                ]
            )
        )
    lines += [
        "",
        "wrk counts only the requests completed within its run: those still in flight when it "
        "stops (at most one per connection) are served after it and stored, but not counted, so "
        "'stored' (counted once the server has served them) may exceed 'completed' by up to 8. "
        "The Python client (8 threads) waits for every response: its accepted and stored counts "
        "must be equal.",
    ]
    return lines
