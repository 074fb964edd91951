"""The world every test starts from: the network (three sites made by the site factory) built
once per test database by tests/conftest.py, and what takes it away for the tests of what makes
sites from nothing."""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, PageLogEntry, ReferenceIndex, Site
from wagtail.search.models import IndexEntry

from sites import lifecycle
from sites.factory import SiteRequest, create_site


def network_requests():
    """The sites of the network every test can use: the head site (the default) and two
    regional sites, so that a leak from one to another shows."""
    return {
        "head": SiteRequest(
            name="Réseau Maillage", hostname="localhost", kind="head", is_default=True
        ),
        "bretagne": SiteRequest(
            name="Maillage Bretagne",
            hostname="bretagne.localhost",
            kind="regional",
            region="Bretagne",
        ),
        "occitanie": SiteRequest(
            name="Maillage Occitanie",
            hostname="occitanie.localhost",
            kind="regional",
            region="Occitanie",
        ),
    }


NETWORK_HOSTNAMES = {key: request.hostname for key, request in network_requests().items()}
PLACEHOLDER_TITLE = "Welcome to your new Wagtail site!"


def remove_placeholder_site():
    """Wagtail's migrations leave a "Welcome" site on localhost:80; tests build their own."""
    for site in Site.objects.all():
        root = site.root_page
        site.delete()
        if root.specific_class is Page:
            root.delete()


def build_network():
    """The network, made by the site factory and launched (sites.lifecycle: a new site is a
    draft), as an administrator would."""
    remove_placeholder_site()
    Locale.objects.get_or_create(language_code="fr")
    sites = {key: create_site(request) for key, request in network_requests().items()}
    for site in sites.values():
        lifecycle.launch(site)
    return sites


def network_sites():
    """The network's sites as the database has them now, or None if it is not (all) there."""
    sites = {
        site.hostname: site
        for site in Site.objects.filter(
            port=80, hostname__in=NETWORK_HOSTNAMES.values(), profile__isnull=False
        )
    }
    if len(sites) != len(NETWORK_HOSTNAMES):
        return None
    return {key: sites[hostname] for key, hostname in NETWORK_HOSTNAMES.items()}


def empty_the_world():
    """The database as Wagtail's migrations leave it, before any site was made: every site, page
    (but the tree's root), collection (but the root), group and page history goes; Wagtail's
    placeholder "Welcome" site on localhost:80 comes back."""
    Site.objects.all().delete()
    for home in Page.objects.filter(depth=2):
        home.delete()
    Collection.objects.filter(depth__gt=1).delete()
    Group.objects.all().delete()
    ReferenceIndex.objects.all().delete()
    # A database flushed without serialized_rollback has lost the roots the migrations made too.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    placeholder = root.add_child(instance=Page(title=PLACEHOLDER_TITLE, slug="home", live=True))
    Site.objects.create(hostname="localhost", port=80, root_page=placeholder, is_default_site=True)
    # Wagtail's migration makes the placeholder without logging or indexing it.
    PageLogEntry.objects.all().delete()
    IndexEntry.objects.all().delete()


@contextmanager
def kept_for_module(django_db_blocker, build):
    """What `build()` makes, seen by each test of a module in a transaction of its own nested in
    this one; rolled back at the end, as Django's TestCase.setUpClass does. Yields what `build()`
    returned."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            made = build()
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
