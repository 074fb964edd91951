from django.core.cache import caches

from wagtail.models import Locale, Page, Site

import pytest

from infra import hosts
from sites.factory import SiteRequest, create_site


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: Wagtail caches renditions by image id, and ids are
    reused between tests; the host names each process keeps for a few seconds go with it, and the
    security cache's counters (lockouts, rate limits)."""
    for cache in caches.all():
        cache.clear()
    hosts.forget_site_hostnames()
    yield
    for cache in caches.all():
        cache.clear()
    hosts.forget_site_hostnames()


@pytest.fixture
def french(db):
    return Locale.objects.get_or_create(language_code="fr")[0]


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


def remove_placeholder_site():
    """Wagtail's migrations leave a "Welcome" site on localhost:80; tests build their own."""
    for site in Site.objects.all():
        root = site.root_page
        site.delete()
        if root.specific_class is Page:
            root.delete()


@pytest.fixture
def network(db, french):
    """Two sites at least, built by the site factory, so that a leak from one to the other
    shows. The head site is the default."""
    remove_placeholder_site()
    head = create_site(
        SiteRequest(name="Réseau Maillage", hostname="localhost", kind="head", is_default=True)
    )
    bretagne = create_site(
        SiteRequest(
            name="Maillage Bretagne",
            hostname="bretagne.localhost",
            kind="regional",
            region="Bretagne",
        )
    )
    occitanie = create_site(
        SiteRequest(
            name="Maillage Occitanie",
            hostname="occitanie.localhost",
            kind="regional",
            region="Occitanie",
        )
    )
    return {"head": head, "bretagne": bretagne, "occitanie": occitanie}


@pytest.fixture
def head_site(network):
    return network["head"]


@pytest.fixture
def bretagne_site(network):
    return network["bretagne"]


@pytest.fixture
def occitanie_site(network):
    return network["occitanie"]
