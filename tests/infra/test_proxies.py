"""Behind a trusted reverse proxy, the visitor's address comes from X-Forwarded-For: each visitor
has their own rate limit and their own stored address; a header sent by anyone else is ignored."""

import pytest

from comments.models import Comment
from sites.models import ModerationPolicy
from tests.support.comments import bretagne_post, send, set_policy

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
    settings.COMMENTS_RATE_LIMIT = "2/10m"
    settings.COMMENTS_RATE_LIMIT_ENABLED = True


@pytest.fixture
def post(bretagne_site, occitanie_site):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    return bretagne_post(bretagne_site)


def via(forwarded_for, peer=PROXY):
    return {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded_for}


def test_each_visitor_behind_the_proxy_has_their_own_address_and_limit(behind_proxy, client, post):
    for number in range(2):
        assert send(client, post, via("203.0.113.7"), body=f"A{number}").status_code == 303
    assert send(client, post, via("203.0.113.7"), body="A3").status_code == 429
    # Another visitor through the same proxy is not limited by the first one's count.
    assert send(client, post, via("198.51.100.9"), body="B").status_code == 303
    addresses = set(Comment.objects.filter(page=post).values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.7", "198.51.100.9"}


def test_the_address_a_visitor_forges_in_the_header_is_not_used(behind_proxy, client, post):
    """The proxy appends the real address; what the visitor wrote sits to its left."""
    forged = via("192.0.2.1, 203.0.113.7")
    send(client, post, forged, body="Avec un en-tête forgé")
    assert Comment.objects.get(page=post).ip_address == "203.0.113.7"


def test_chained_trusted_proxies_are_skipped(behind_proxy, client, post):
    send(client, post, via("203.0.113.7, 10.0.0.9"), body="Deux relais")
    assert Comment.objects.get(page=post).ip_address == "203.0.113.7"


def test_a_header_from_an_untrusted_peer_is_ignored(behind_proxy, client, post):
    """A visitor connecting directly cannot choose their address, nor escape their limit."""
    direct = "198.51.100.50"
    for number in range(2):
        send(client, post, via(f"192.0.2.{number}", peer=direct), body=f"D{number}")
    assert send(client, post, via("192.0.2.99", peer=direct), body="D3").status_code == 429
    assert set(Comment.objects.filter(page=post).values_list("ip_address", flat=True)) == {direct}


@pytest.mark.parametrize("header", ["not-an-address", "203.0.113.7, ", "", "::1, bad"])
def test_a_malformed_header_keeps_the_proxys_address(behind_proxy, client, post, header):
    response = send(client, post, via(header), body="En-tête abîmé")
    assert response.status_code == 303
    assert Comment.objects.get(page=post).ip_address == PROXY


def test_without_trusted_proxies_the_header_means_nothing(settings, client, post):
    settings.TRUSTED_PROXIES = []
    send(client, post, via("203.0.113.7"), body="Sans relais de confiance")
    assert Comment.objects.get(page=post).ip_address == PROXY
