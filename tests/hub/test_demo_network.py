"""The demo network as seed_demo makes it: its sites, their branding, pages and accounts, and a
second run that changes nothing. Seeded once for the module: these tests only read it."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.images import get_image_model
from wagtail.models import Page, Site

import pytest

from blog.models import Author, BlogCategory
from hub.demo.network import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    DEMO_PASSWORD,
    DEMO_SITES,
    DEMO_USERS,
)
from sites.colours import meets_aa
from sites.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, demo_media):
    """The demo imports logo files: keep them out of the project's media folder."""
    settings.MEDIA_ROOT = demo_media
    return settings.MEDIA_ROOT


def test_seed_demo_creates_six_sites_and_prints_the_login(seeded_demo):
    output = seeded_demo
    sites = Site.objects.all()
    assert sorted(s.hostname for s in sites) == sorted(d.hostname for d in DEMO_SITES)
    assert {s.port for s in sites} == {8000}
    assert Site.objects.get(is_default_site=True).hostname == "localhost"
    for demo in DEMO_SITES:
        assert f"http://{demo.hostname}:8000/" in output
    assert f"login {ADMIN_USERNAME} / password {ADMIN_PASSWORD}" in output
    admin = get_user_model().objects.get(username=ADMIN_USERNAME)
    assert admin.is_superuser and admin.check_password(ADMIN_PASSWORD)
    # Wagtail's placeholder site on localhost:80 is gone
    assert not Site.objects.filter(port=80).exists()


@pytest.mark.parametrize("demo", DEMO_SITES, ids=lambda d: d.hostname)
def test_each_demo_host_serves_its_own_home_page(client, demo, seeded_demo):
    response = client.get("/", HTTP_HOST=f"{demo.hostname}:8000", SERVER_PORT="8000")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{demo.name}</h1>" in html
    assert re.search(
        rf'rel="home">[^<]*(<img [^>]*>)?<span class="site-name__text">{demo.name}<', html
    )
    others = [d.name for d in DEMO_SITES if d.name != demo.name]
    assert not any(f"<h1>{name}</h1>" in html for name in others)


def test_each_demo_site_has_an_english_version(client, seeded_demo):
    response = client.get("/en/", HTTP_HOST="bretagne.localhost:8000", SERVER_PORT="8000")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Maillage Brittany</h1>" in html


def test_seed_demo_brands_each_site_with_distinct_readable_colours_and_a_logo(client, seeded_demo):
    seen = set()
    for demo in DEMO_SITES:
        site = Site.objects.get(hostname=demo.hostname, port=8000)
        branding = SiteSettings.for_site(site)
        colours = (branding.primary_colour, branding.text_on_primary_colour)
        assert colours == (demo.primary_colour, demo.text_on_primary_colour)
        assert meets_aa(*colours), demo.hostname
        assert branding.primary_colour not in seen
        seen.add(branding.primary_colour)
        # the logo is a Wagtail image in the site's own collection, also used as favicon
        assert branding.logo is not None
        assert branding.logo.collection == site.profile.collection
        assert branding.favicon == branding.logo
        assert (branding.logo.width, branding.logo.height) == (128, 128)

    html = client.get("/", HTTP_HOST="bretagne.localhost:8000", SERVER_PORT="8000").content.decode()
    assert "--color-primary: #1e293b;" in html
    assert re.search(r'<img alt="" class="site-logo" [^>]*src="/media/images/[^"]+\.png"', html)
    assert re.search(r'<link rel="icon" href="/media/images/[^"]+" type="image/png"', html)


def test_seed_demo_adds_an_about_page_in_the_menu_in_both_languages(client, seeded_demo):
    for demo in DEMO_SITES:
        home = Site.objects.get(hostname=demo.hostname, port=8000).root_page
        about = home.get_children().get(slug="a-propos").specific
        assert isinstance(about, StandardPage)
        assert about.live and about.show_in_menus and about.title == "À propos"
        assert about.get_translations().get().title == "About"
    html = client.get("/", HTTP_HOST="bretagne.localhost:8000", SERVER_PORT="8000").content.decode()
    assert '<a href="/a-propos/">À propos</a>' in html
    response = client.get("/en/about/", HTTP_HOST="bretagne.localhost:8000", SERVER_PORT="8000")
    assert response.status_code == 200
    assert "<h1>About</h1>" in response.content.decode()


def test_seed_demo_creates_one_account_per_role_of_bretagne_and_prints_passwords(seeded_demo):
    output = seeded_demo
    bretagne = Site.objects.get(hostname="bretagne.localhost", port=8000).profile
    expected = {
        "bretagne-editeur": bretagne.editors,
        "bretagne-moderateur": bretagne.moderators,
        "bretagne-admin": bretagne.administrators,
    }
    assert {u.username for u in DEMO_USERS} == set(expected)
    for username, group in expected.items():
        user = get_user_model().objects.get(username=username)
        assert list(user.groups.all()) == [group]
        assert user.check_password(DEMO_PASSWORD)
        assert not user.is_superuser
        assert f"login {username} / password {DEMO_PASSWORD}" in output
    # the roles module sees them on Bretagne and nowhere else
    from sites import roles

    editor = get_user_model().objects.get(username="bretagne-editeur")
    assert [s.hostname for s in roles.sites_for_user(editor)] == ["bretagne.localhost"]
    assert not roles.sites_for_user(editor, roles.MODERATOR).exists()


def seed():
    out = StringIO()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)
    return out.getvalue()


def snapshot():
    return (
        sorted(Site.objects.values_list("hostname", "port", "site_name", "root_page_id")),
        Page.objects.count(),
        sorted(Page.objects.values_list("id", "latest_revision_id")),
        get_user_model().objects.count(),
    )


def test_seed_demo_is_idempotent_and_says_so(seeded_demo):
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "Nothing to do: the demo network is already in place." in output
    assert "Created" not in output


def test_a_second_run_changes_nothing(seeded_demo):
    # Seeding speed is not asserted here: timings belong to benchmarks, not to tests.
    output = seeded_demo
    assert "Created 6 blog posts on Maillage Bretagne" in output
    assert "Imported portrait of Camille Le Goff" in output

    def counts():
        return (
            Page.objects.count(),
            sorted(Page.objects.values_list("id", "latest_revision_id", "live")),
            Author.objects.count(),
            BlogCategory.objects.count(),
            get_image_model().objects.count(),
        )

    before = counts()
    output = seed()
    assert counts() == before
    assert "Nothing to do: the demo network is already in place." in output
