"""Time `anonymize_comments` on a million comments (issue: comment data lifecycle).

Seeds, on PostgreSQL, COMMENTS comments over POSTS pages under one site's home, a third of the
pages unpublished four months ago (so their comments are due), then times the command.

    .venv/bin/python bench/anonymize_million.py [--comments 1000000] [--posts 20000] [--keep]

DATABASE_URL names the server; a scratch database `maillage_bench_lifecycle` is created on it
(and dropped afterwards unless --keep). Default server: postgres://postgres@127.0.0.1:5432/.
Pages are written with bulk inserts (plain Wagtail pages: comments attach to any page), comments
with COPY-sized bulk inserts, so that seeding takes a minute or two, not an hour.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "maillage_bench_lifecycle"


def scratch_url(server_url):
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{SCRATCH}"))


def psql(server_url, sql):
    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    psql(server, f'DROP DATABASE IF EXISTS "{SCRATCH}"')
    psql(server, f'CREATE DATABASE "{SCRATCH}"')
    env = {
        **os.environ,
        "DATABASE_URL": scratch_url(server),
        "DJANGO_SETTINGS_MODULE": "hub.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + uuid.uuid4().hex),
        "ALLOWED_HOSTS": "localhost",
        "LOG_LEVEL": "WARNING",
    }
    try:
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        started = time.monotonic()
        subprocess.run(
            [python, __file__, "--seed", str(args.comments), str(args.posts)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        seeded = time.monotonic() - started
        # Other processes on the machine change the figure by tens of seconds on 2 cores: say so.
        load = os.getloadavg()[0]
        started = time.monotonic()
        run = subprocess.run(
            [python, "manage.py", "anonymize_comments"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        elapsed = time.monotonic() - started
        print(run.stdout.strip())
        figures = {
            "comments": args.comments,
            "posts": args.posts,
            "eligible_posts": len(range(0, args.posts, 3)),
            "seed_seconds": round(seeded, 1),
            "anonymize_seconds": round(elapsed, 1),
            "cpus": os.cpu_count(),
            "load_average_before": round(load, 2),
        }
        print(json.dumps(figures, indent=2))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        if not args.keep:
            psql(server, f'DROP DATABASE IF EXISTS "{SCRATCH}"')


def seed(comment_count, post_count):
    """Inside Django: the pages and comments, in bulk."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from wagtail.models import Locale, Page, Site

    from comments.models import Comment, UnpublishedPage

    locale = Locale.objects.get_or_create(language_code="fr")[0]
    root = Page.objects.get(depth=1)
    content_type = ContentType.objects.get_for_model(Page)
    now = timezone.now()
    with transaction.atomic():
        home = root.add_child(
            instance=Page(title="Bench", slug="bench", locale=locale, content_type=content_type)
        )
        Site.objects.create(hostname="bench.localhost", root_page=home, site_name="Bench")
        pages = []
        for n in range(post_count):
            pages.append(
                Page(
                    title=f"Post {n}",
                    draft_title=f"Post {n}",
                    slug=f"post-{n}",
                    path=home.path + Page._int2str(n + 1).rjust(Page.steplen, "0"),
                    depth=home.depth + 1,
                    numchild=0,
                    url_path=f"{home.url_path}post-{n}/",
                    locale=locale,
                    content_type=content_type,
                    live=n % 3 != 0,
                    translation_key=uuid.uuid4(),
                )
            )
        Page.objects.bulk_create(pages, batch_size=2000)
        Page.objects.filter(pk=home.pk).update(numchild=post_count)
    page_ids = list(
        Page.objects.filter(depth=home.depth + 1, path__startswith=home.path)
        .order_by("path")
        .values_list("pk", "live")
    )
    UnpublishedPage.objects.bulk_create(
        [
            UnpublishedPage(page_id=pk, unpublished_since=now - datetime.timedelta(days=125))
            for pk, live in page_ids
            if not live
        ],
        batch_size=5000,
    )
    batch = []
    for n in range(comment_count):
        page_id = page_ids[n % len(page_ids)][0]
        batch.append(
            Comment(
                page_id=page_id,
                author_name=f"Visiteur {n}",
                email=f"visiteur{n}@example.org",
                url=f"https://visiteur{n}.example.org/",
                body=f"Commentaire {n}. Écrivez-moi à visiteur{n}@example.org."
                if n % 10 == 0
                else f"Commentaire {n}, merci pour cet article.",
                status="approved",
                ip_address=f"192.0.2.{n % 250 + 1}",
                user_agent="Mozilla/5.0 (bench)",
                avatar_key=f"{n:064x}",
            )
        )
        if len(batch) == 20_000:
            Comment.objects.bulk_create(batch)
            batch = []
    if batch:
        Comment.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--seed":
        seed(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
