from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page, Site

import pytest

from hub.demo import ADMIN_PASSWORD, ADMIN_USERNAME, DEMO_SITES

pytestmark = pytest.mark.django_db


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return (
        sorted(Site.objects.values_list("hostname", "port", "site_name", "root_page_id")),
        Page.objects.count(),
        sorted(Page.objects.values_list("id", "latest_revision_id")),
        get_user_model().objects.count(),
    )


def test_seed_demo_creates_six_sites_and_prints_the_login():
    output = seed()
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


def test_seed_demo_is_idempotent_and_says_so():
    seed()
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "Nothing to do: the demo network is already in place." in output
    assert "Created" not in output


def test_seed_demo_completes_a_partial_network():
    """An earlier demo had fewer sites: a new run adds only the missing ones."""
    from hub import demo

    demo.seed_demo(sites=DEMO_SITES[:2])
    assert Site.objects.count() == 2
    output = seed()
    assert "Created site Maillage Occitanie" in output
    assert "Created site Réseau Maillage" not in output
    assert Site.objects.filter(hostname="occitanie.localhost").count() == 1
    assert Site.objects.count() == len(DEMO_SITES)


@pytest.mark.parametrize("demo", DEMO_SITES, ids=lambda d: d.hostname)
def test_each_demo_host_serves_its_own_home_page(client, demo):
    seed()
    response = client.get("/", HTTP_HOST=f"{demo.hostname}:8000", SERVER_PORT="8000")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{demo.name}</h1>" in html
    assert f'rel="home">{demo.name}</a>' in html
    others = [d.name for d in DEMO_SITES if d.name != demo.name]
    assert not any(f"<h1>{name}</h1>" in html for name in others)


def test_each_demo_site_has_an_english_version(client):
    seed()
    response = client.get("/en/", HTTP_HOST="bretagne.localhost:8000", SERVER_PORT="8000")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Maillage Brittany</h1>" in html
