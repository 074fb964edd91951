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
