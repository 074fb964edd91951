from io import StringIO

from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from wagtail.models import Locale

import pytest

from infra import hosts
from sites import network as network_map
from tests.support.world import build_network, empty_the_world, kept_for_module, network_sites


def forget_caches():
    for cache in caches.all():
        cache.clear()
    hosts.forget_site_hostnames()
    network_map.forget()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: Wagtail caches renditions by image id, and ids are
    reused between tests; the host names each process keeps for a few seconds go with it, and the
    security cache's counters (lockouts, rate limits), Wagtail's site root paths and the map of
    the network each process keeps (a test's sites are rolled back without a signal)."""
    forget_caches()
    yield
    forget_caches()


@pytest.fixture
def french(db):
    return Locale.objects.get_or_create(language_code="fr")[0]


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The network is built once per test database; each test runs in a transaction rolled
    back afterwards, so it finds the network as built whatever the tests before it did. A test
    database kept between runs (--reuse-db) already has it. The copy that serialized_rollback
    restores after a flushing test (the browser journeys) includes it."""
    with django_db_blocker.unblock():
        if network_sites() is None:
            build_network()
        for connection in connections.all():
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield


@pytest.fixture
def network(db):
    """The network's three sites, fetched afresh for each test (a test changing one of these
    objects does not change the next test's). Rebuilt, inside the test's transaction, if an
    earlier test emptied the database."""
    sites = network_sites()
    if sites is None:
        empty_the_world()
        sites = build_network()
    return sites


@pytest.fixture
def empty_world(db):
    """For the tests of what makes sites from nothing (seed_demo, create_site, counts of sites):
    the database without the network, as migrations leave it; rolled back after the test."""
    empty_the_world()
    forget_caches()
    yield
    forget_caches()


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """The media folder of a module's demo (logos, portraits): outside the project's."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, demo_media):
    """The demo network as `seed_demo` makes it in an empty database, made once for a module
    whose tests only read it (each test's transaction is nested in the module's, rolled back
    after its last test). Returns what the command printed."""

    def seed():
        with override_settings(MEDIA_ROOT=demo_media):
            empty_the_world()
            out = StringIO()
            call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)
        forget_caches()
        return out.getvalue()

    with kept_for_module(django_db_blocker, seed) as output:
        yield output


@pytest.fixture
def head_site(network):
    return network["head"]


@pytest.fixture
def bretagne_site(network):
    return network["bretagne"]


@pytest.fixture
def occitanie_site(network):
    return network["occitanie"]
