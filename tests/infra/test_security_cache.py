"""Counters that protect (sign-in lockouts, comment rate limits) live in the "security" cache, apart
from cached pages: a flood of anonymous page views fills the page cache past its MAX_ENTRIES, Django
culls a third of its keys, and the counters must not go with them.

Both caches are the database cache here, as in production without Redis, with small limits.
"""

import importlib
from datetime import timedelta
from types import SimpleNamespace

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client

import pytest
import time_machine
from axes.handlers.proxy import AxesProxyHandler

from comments.models import Comment
from sites.models import ModerationPolicy
from tests.support.comments import BRETAGNE, bretagne_post, make_user, send, set_policy

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
PAGE_ENTRIES = 20
LIMIT = 3


@pytest.fixture
def database_caches(settings, db):
    """The production caches without Redis, small: pages culled past PAGE_ENTRIES."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_page_cache",
            "OPTIONS": {"MAX_ENTRIES": PAGE_ENTRIES},
        },
        "security": {
            "BACKEND": "infra.cache.CounterDatabaseCache",
            "LOCATION": "test_security_cache",
            "OPTIONS": {"MAX_ENTRIES": 2},
        },
    }
    settings.MAILLAGE_PAGE_CACHE = True
    call_command("createcachetable", verbosity=0)
    AxesProxyHandler.get_implementation(force=True)  # it keeps the cache it was made with
    yield
    AxesProxyHandler.implementation = None  # made again with the settings restored


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(username, password, ip=ATTACKER):
    return Client().post(
        "/admin/login/",
        {"username": username, "password": password},
        HTTP_HOST=BRETAGNE,
        REMOTE_ADDR=ip,
    )


def signed_in(response):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def flood_pages(views=3 * PAGE_ENTRIES):
    """Anonymous views of distinct addresses (a query string each): each one a new cached page."""
    visitor = Client()
    served = [
        visitor.get(f"/?v={number}", HTTP_HOST=BRETAGNE, REMOTE_ADDR=ELSEWHERE)
        for number in range(views)
    ]
    assert {response.status_code for response in served} == {200}
    assert served[-1]["X-Page-Cache"] == "miss"
    assert rows("test_page_cache") <= PAGE_ENTRIES + 1  # culled, again and again


def test_page_views_past_the_page_cache_limit_do_not_lift_a_lockout(
    database_caches, lockout, bretagne_site
):
    make_user("erwan", bretagne_site.profile.editors)
    assert [sign_in("erwan", "wrong").status_code for _ in range(LIMIT)][-1] == 429

    flood_pages()

    still_locked = sign_in("erwan", "x")
    assert still_locked.status_code == 429
    assert not still_locked.wsgi_request.user.is_authenticated
    # Control: the same account from another address signs in.
    assert signed_in(sign_in("erwan", "x", ip=ELSEWHERE))


def test_the_flood_would_lift_a_lockout_kept_with_the_pages(
    database_caches, lockout, settings, bretagne_site
):
    """What the probe did, with the counters in the pages' cache as before: the flood is strong
    enough to matter, so the test above proves something."""
    settings.AXES_CACHE = "default"
    AxesProxyHandler.get_implementation(force=True)
    make_user("erwan", bretagne_site.profile.editors)
    assert [sign_in("erwan", "wrong").status_code for _ in range(LIMIT)][-1] == 429

    flood_pages()

    assert signed_in(sign_in("erwan", "x"))


def test_page_views_past_the_page_cache_limit_do_not_lift_a_comment_rate_limit(
    database_caches, settings, bretagne_site
):
    settings.COMMENTS_RATE_LIMIT = "2/1h"
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    post = bretagne_post(bretagne_site)
    address = {"REMOTE_ADDR": ATTACKER}
    sent = [send(Client(), post, headers=address, body=f"Message {n}") for n in "12"]
    assert [response.status_code for response in sent] == [303, 303]
    assert send(Client(), post, headers=address, body="Message 3").status_code == 429

    flood_pages()

    assert send(Client(), post, headers=address, body="Message 4").status_code == 429
    assert Comment.objects.count() == 2
    # Control: another visitor still comments.
    other = send(Client(), post, headers={"REMOTE_ADDR": ELSEWHERE}, body="Bonjour")
    assert other.status_code == 303


def test_the_security_cache_deletes_expired_counters_never_live_ones(database_caches):
    """Past its MAX_ENTRIES (2 here) it makes room by deleting expired rows only."""
    security = caches["security"]
    with time_machine.travel(0, tick=False) as clock:
        security.set("old", 1, timeout=60)
        clock.shift(timedelta(minutes=2))
        for number in range(5):
            assert security.add(f"live-{number}", 1, timeout=600)

        assert rows("test_security_cache") == 5  # "old" is gone, every live counter kept
        assert all(security.get(f"live-{number}") == 1 for number in range(5))


def test_migrate_makes_the_security_table_on_a_database_migrated_before_it(settings, db):
    settings.CACHES = {
        **settings.CACHES,
        "security": {"BACKEND": "infra.cache.CounterDatabaseCache", "LOCATION": "late_security"},
    }
    migration = importlib.import_module("hub.migrations.0002_security_cache_table")

    migration.create_cache_tables(None, SimpleNamespace(connection=connection))

    assert "late_security" in connection.introspection.table_names()
