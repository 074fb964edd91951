"""The base template: accessible structure and no request to any third-party host."""

import re

import pytest

URL = re.compile(r"""(?:https?:)?//([a-z0-9.-]+(?::\d+)?)""", re.I)


@pytest.fixture
def home_html(client, network):
    response = client.get("/", HTTP_HOST="bretagne.localhost")
    assert response.status_code == 200
    return response.content.decode()


def test_no_third_party_urls(home_html):
    hosts = {match.group(1).lower() for match in URL.finditer(home_html)}
    assert hosts <= {"bretagne.localhost"}, f"third-party hosts referenced: {hosts}"
    # and every stylesheet or script is served from our own static files
    for ref in re.findall(r'(?:src|href)="([^"]+)"', home_html):
        assert ref.startswith(("/", "#")), ref


def test_landmarks_skip_link_and_language(home_html):
    assert re.search(r'<html lang="fr">', home_html)
    assert '<a class="skip-link" href="#main">Aller au contenu</a>' in home_html
    assert '<main id="main"' in home_html
    assert "<header" in home_html and "<footer" in home_html
    assert re.search(r'<nav [^>]*aria-label="[^"]+"', home_html)
    assert '<meta name="viewport"' in home_html


def test_english_pages_say_so(client, network, english):
    home = network["bretagne"].root_page
    translation = home.specific.copy_for_translation(english)
    translation.title = "Maillage Brittany"
    translation.save_revision().publish()
    html = client.get("/en/", HTTP_HOST="bretagne.localhost").content.decode()
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert "<h1>Maillage Brittany</h1>" in html


def test_stylesheet_defines_custom_properties(client, network):
    from django.contrib.staticfiles import finders

    with open(finders.find("css/maillage.css")) as stylesheet:
        css = stylesheet.read()
    assert "--color-primary" in css and "var(--color-primary)" in css
    assert ":focus-visible" in css
    assert not URL.search(css), "the stylesheet must not load anything from another host"
