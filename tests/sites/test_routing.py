"""Host names route to each site's own home page, and no site shows another's content."""

import pytest


@pytest.mark.parametrize(
    ("host", "name", "other"),
    [
        ("localhost", "Réseau Maillage", "Maillage Bretagne"),
        ("bretagne.localhost", "Maillage Bretagne", "Réseau Maillage"),
    ],
)
def test_host_routes_to_its_site(client, network, host, name, other):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{name}</h1>" in html
    assert f"<title>{name}</title>" in html
    assert other not in html


def test_unknown_host_is_rejected(client, network):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


def test_unknown_localhost_subdomain_falls_back_to_the_default_site(client, network):
    response = client.get("/", HTTP_HOST="nowhere.localhost")
    assert "<h1>Réseau Maillage</h1>" in response.content.decode()


def test_pages_of_one_site_are_not_reachable_on_another(client, network):
    # Bretagne's home page sits at /bretagne/ in the tree; on the head site that path is a 404
    response = client.get("/bretagne/", HTTP_HOST="localhost")
    assert response.status_code == 404


def test_a_page_is_not_served_in_a_language_it_has_no_live_version_in(client, network, english):
    """Starting a translation of a Bretagne page (its English home and copy are drafts) does not
    put the French page at /en/… labelled English: /en/… answers 404 until the English is
    published, and the French page names no English alternate."""
    from django.contrib.auth import get_user_model

    from sites.models import StandardPage

    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    bretagne = network["bretagne"]
    page = StandardPage.objects.descendant_of(bretagne.root_page).live().first()
    client.force_login(root)
    for source in (bretagne.root_page, page):
        response = client.post(
            f"/admin/localize/submit/page/{source.id}/", {"locales": [english.id]}
        )
        assert response.status_code == 302
    assert not page.get_translation(english).live
    client.logout()

    french = client.get(page.url, HTTP_HOST="bretagne.localhost")
    assert french.status_code == 200
    assert 'hreflang="en"' not in french.content.decode()
    english_url = f"/en/{page.slug}/"
    assert client.get(english_url, HTTP_HOST="bretagne.localhost").status_code == 404
    assert client.get("/en/", HTTP_HOST="bretagne.localhost").status_code == 404
