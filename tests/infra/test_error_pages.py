"""Error pages wear the site's branding, and a 500 never fails, even when the database does.

This module is also the test-only URLconf: hub.urls plus a view that raises.
"""

from django.db import OperationalError
from django.template import loader
from django.test import Client, override_settings
from django.urls import path

import pytest

import hub.urls
from infra import errors
from sites import network
from sites.models import SiteSettings


def broken_view(request):
    raise RuntimeError("a bug in a view")


def database_gone_view(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def database_lost_midway_view(request):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as error:
        raise RuntimeError("a page that could not load its posts") from error


urlpatterns = [
    path("boom/", broken_view),
    path("database-gone/", database_gone_view),
    path("database-lost/", database_lost_midway_view),
    *hub.urls.urlpatterns,
]
handler500 = hub.urls.handler500

BRETAGNE_GREEN = "#0b6e4f"
OCCITANIE_RED = "#8a1c1c"


@pytest.fixture
def two_brands(network):
    for site, colour in (
        (network["bretagne"], BRETAGNE_GREEN),
        (network["occitanie"], OCCITANIE_RED),
    ):
        settings = SiteSettings.for_site(site)
        settings.primary_colour = colour
        settings.save()
    return network


@pytest.fixture
def browser():
    """A client that receives the 500 response instead of the exception."""
    with override_settings(ROOT_URLCONF=__name__):
        yield Client(raise_request_exception=False)


def test_404_wears_the_sites_branding(client, two_brands):
    response = client.get("/nulle-part/", HTTP_HOST="bretagne.localhost")
    assert response.status_code == 404
    html = response.content.decode()
    assert f"--color-primary: {BRETAGNE_GREEN};" in html
    assert '<span class="site-name__text">Maillage Bretagne</span>' in html
    assert "<h1>Page introuvable</h1>" in html
    assert "<title>Page introuvable · Maillage Bretagne</title>" in html
    assert OCCITANIE_RED not in html and "Maillage Occitanie" not in html
    other = client.get("/nulle-part/", HTTP_HOST="occitanie.localhost").content.decode()
    assert f"--color-primary: {OCCITANIE_RED};" in other and BRETAGNE_GREEN not in other


def test_404_in_english(client, two_brands):
    html = client.get("/en/nowhere/", HTTP_HOST="bretagne.localhost").content.decode()
    assert '<html lang="en">' in html and "<h1>Page not found</h1>" in html


def test_500_wears_the_sites_branding(browser, two_brands):
    response = browser.get("/boom/", HTTP_HOST="bretagne.localhost")
    assert response.status_code == 500
    html = response.content.decode()
    assert f"--color-primary: {BRETAGNE_GREEN};" in html
    assert '<span class="site-name__text">Maillage Bretagne</span>' in html
    assert '<a class="skip-link" href="#main">' in html
    assert OCCITANIE_RED not in html and "Maillage Occitanie" not in html
    other = browser.get("/boom/", HTTP_HOST="occitanie.localhost").content.decode()
    assert f"--color-primary: {OCCITANIE_RED};" in other and "Maillage Bretagne" not in other


def test_500_falls_back_to_the_static_page_when_the_database_is_down(
    browser, two_brands, monkeypatch
):
    def database_down(cls, request):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(SiteSettings, "for_request", classmethod(database_down))
    response = browser.get("/boom/", HTTP_HOST="bretagne.localhost")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Erreur du serveur</h1>" in html and "Server error" in html
    assert "Maillage Bretagne" not in html and "--color-primary" not in html


def test_500_never_raises_even_without_any_template(browser, two_brands, monkeypatch):
    def missing(*args, **kwargs):
        raise OSError("templates folder gone")

    monkeypatch.setattr(loader, "render_to_string", missing)
    monkeypatch.setattr(loader, "get_template", missing)
    response = browser.get("/boom/", HTTP_HOST="bretagne.localhost")
    assert response.status_code == 500
    assert response.content.decode() == errors.LAST_RESORT


def test_static_500_page_needs_no_context(db):
    html = loader.get_template("500.html").render()
    assert '<html lang="fr">' in html and "Server error" in html


@pytest.mark.parametrize("address", ["/database-gone/", "/database-lost/"])
def test_an_unreachable_database_answers_503_with_retry_after(
    browser, two_brands, address, django_assert_num_queries
):
    network.network_map()  # the site's status (sites.middleware) is read from the cached map
    with django_assert_num_queries(0):
        response = browser.get(address, HTTP_HOST="bretagne.localhost")
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "<h1>Service momentanément indisponible</h1>" in html
    assert "Service temporarily unavailable" in html
    assert "/static/css/maillage" in html  # styled by the network's stylesheet


def test_a_bug_is_still_a_500_not_a_503(browser, two_brands):
    assert browser.get("/boom/", HTTP_HOST="bretagne.localhost").status_code == 500
