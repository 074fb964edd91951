"""Host names come from the Site table: a new site answers at once, unknown hosts get 400."""

from django.test import override_settings

import pytest

from infra import hosts
from sites import lifecycle
from sites.factory import SiteRequest, create_site

# Only what an operator would configure: the tests' own client host.
CONFIGURED = ["testserver"]


@pytest.fixture
def strict_hosts(settings, network):
    settings.MAILLAGE_ALLOWED_HOSTS = CONFIGURED
    hosts.forget_site_hostnames()
    return settings


def test_site_hosts_are_served(client, strict_hosts):
    for host in ("localhost", "bretagne.localhost", "occitanie.localhost"):
        assert client.get("/", HTTP_HOST=host).status_code == 200


def test_unknown_host_gets_400(client, strict_hosts):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert b"Unknown host name" in response.content


def test_host_header_attacks_get_400(client, strict_hosts):
    for host in ("bretagne.localhost@evil.com", "evil.com#bretagne.localhost", "", "a b"):
        assert client.get("/", HTTP_HOST=host).status_code == 400


def test_configured_hosts_are_accepted(client, strict_hosts):
    strict_hosts.MAILLAGE_ALLOWED_HOSTS = [".example.net"]
    assert client.get("/healthz", HTTP_HOST="status.example.net").status_code == 200


def test_a_new_site_answers_at_once(client, strict_hosts):
    # Warm the cache so that the new host is not in it
    assert client.get("/", HTTP_HOST="bretagne.localhost").status_code == 200
    assert client.get("/", HTTP_HOST="normandie.example.org").status_code == 400
    site = create_site(
        SiteRequest(
            name="Maillage Normandie",
            hostname="normandie.example.org",
            kind="regional",
            region="Normandie",
        )
    )
    lifecycle.launch(site)  # a draft is its team's only
    response = client.get("/", HTTP_HOST="normandie.example.org")
    assert response.status_code == 200
    assert "Maillage Normandie" in response.content.decode()


def test_a_site_created_by_another_process_is_found(client, strict_hosts):
    """The cache may be stale (another worker created the site): the database is asked once."""
    assert client.get("/", HTTP_HOST="bretagne.localhost").status_code == 200  # cache warm
    site = create_site(
        SiteRequest(
            name="Maillage Corse", hostname="corse.example.org", kind="regional", region="Corse"
        )
    )
    lifecycle.launch(site)
    # simulate the other process: the site exists but this process's cache never heard of it
    from django.core.cache import cache

    cache.set(hosts.CACHE_KEY, frozenset({"localhost", "bretagne.localhost"}), 300)
    assert hosts.is_allowed_host(site.hostname)
    assert client.get("/", HTTP_HOST="corse.example.org").status_code == 200


def test_a_deleted_site_stops_answering(client, strict_hosts, occitanie_site):
    assert client.get("/", HTTP_HOST="occitanie.localhost").status_code == 200
    occitanie_site.delete()
    assert client.get("/", HTTP_HOST="occitanie.localhost").status_code == 400


def test_known_hosts_cost_no_query_once_cached(strict_hosts, django_assert_num_queries):
    hosts.site_hostnames()
    with django_assert_num_queries(0):
        assert hosts.is_allowed_host("bretagne.localhost")


@override_settings(MAILLAGE_ALLOWED_HOSTS=[])
def test_host_check_is_case_insensitive(client, network):
    assert client.get("/", HTTP_HOST="Bretagne.LOCALHOST").status_code == 200
