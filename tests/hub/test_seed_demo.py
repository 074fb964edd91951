from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from wagtail.models import Page, Site

import pytest

from blog.models import BlogIndexPage
from hub.demo.network import (
    ADMIN_USERNAME,
    DEMO_SITES,
)
from sites.models import SiteSettings

# Each test runs seed_demo itself, from an empty database (the read-only tests of what it made are
# in test_demo_network.py and test_seed_blog.py, on a demo seeded once per module).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_world")]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """The demo imports logo files: keep them out of the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def seed():
    out = StringIO()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)
    return out.getvalue()


def blog_of(hostname):
    site = Site.objects.get(hostname=hostname, port=8000)
    return BlogIndexPage.objects.child_of(site.root_page).get(slug="blog")


def test_seed_demo_completes_a_partial_network():
    """An earlier demo had fewer sites: a new run adds only the missing ones."""
    from hub.demo import network as demo

    demo.seed_demo(sites=DEMO_SITES[:2])
    assert Site.objects.count() == 2
    output = seed()
    assert "Created site Maillage Occitanie" in output
    assert "Created site Réseau Maillage" not in output
    assert Site.objects.filter(hostname="occitanie.localhost").count() == 1
    assert Site.objects.count() == len(DEMO_SITES)


def test_demo_logos_are_committed_small_png_files():
    for demo in DEMO_SITES:
        assert demo.logo_path.read_bytes().startswith(b"\x89PNG"), demo.slug
        assert demo.logo_path.stat().st_size < 10_000, demo.slug


def test_seed_demo_keeps_what_an_administrator_changed():
    seed()
    site = Site.objects.get(hostname="occitanie.localhost", port=8000)
    branding = SiteSettings.for_site(site)
    branding.primary_colour, branding.text_on_primary_colour = "#000000", "#ffffff"
    branding.logo = None
    branding.save()
    output = seed()
    branding.refresh_from_db()
    assert branding.primary_colour == "#000000"  # a colour someone chose is never overwritten
    assert branding.logo is not None  # but a missing logo is restored
    assert "Imported logo of Maillage Occitanie" in output


def test_seed_demo_refuses_without_debug_and_touches_nothing(settings):
    """A production database (DEBUG off) would get a superuser whose password is published."""
    settings.DEBUG = False
    users_before = get_user_model().objects.count()

    with pytest.raises(CommandError, match="DEBUG is off.*--i-know-this-is-not-production"):
        call_command("seed_demo", stdout=StringIO())

    assert get_user_model().objects.count() == users_before
    assert not get_user_model().objects.filter(username=ADMIN_USERNAME).exists()
    assert not Site.objects.filter(hostname="bretagne.localhost").exists()


def test_seed_demo_runs_with_debug_on(settings):
    """As `make demo` runs it, with the development settings."""
    settings.DEBUG = True
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert get_user_model().objects.filter(username=ADMIN_USERNAME).exists()
    assert "Demo network ready" in out.getvalue()


def test_a_deleted_post_comes_back_alone():
    seed()
    bretagne = blog_of("bretagne.localhost")
    post = bretagne.posts().first()
    slug, pages = post.slug, Page.objects.count()
    post.delete()
    output = seed()
    assert "Created 1 blog post on Maillage Bretagne" in output
    assert Page.objects.count() == pages
    assert bretagne.posts().filter(slug=slug).exists()
