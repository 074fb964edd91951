"""comments.counts.pending_by_site, read through the network dashboard: each site's comments
awaiting moderation, translations included, other statuses and other sites left out."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest

from comments.counts import pending_by_site
from comments.models import CommentStatus
from sites import roles
from tests.support.blog import make_post, translate_blog
from tests.support.comments import bretagne_post, make_comment, make_user
from tests.support.dashboard import table

DASHBOARD = "/admin/network/sites/"
COLUMN = "Comments awaiting moderation"


@pytest.fixture
def comments(network, english):
    """Bretagne: two pending (one on its English pages), Occitanie: one; others not pending."""
    bretagne, occitanie = network["bretagne"], network["occitanie"]
    post = bretagne_post(bretagne)
    english_post = make_post(translate_blog(bretagne, english), "Living differently")
    occitan_post = bretagne_post(occitanie, "Les tiers-lieux d'Occitanie")
    make_comment(post, status=CommentStatus.PENDING)
    make_comment(english_post, status=CommentStatus.PENDING)
    make_comment(post)  # approved
    make_comment(post, status=CommentStatus.SPAM)
    make_comment(post, status=CommentStatus.REJECTED)
    make_comment(occitan_post, status=CommentStatus.PENDING)
    make_comment(occitan_post)


def test_the_dashboard_counts_each_sites_pending_comments(client, network, comments):
    client.force_login(make_user("head", roles.ensure_network_administrators()))
    result = table(client.get(DASHBOARD))
    assert COLUMN in result["headers"]
    assert result["rows"]["Maillage Bretagne"][COLUMN] == "2"
    assert result["rows"]["Maillage Occitanie"][COLUMN] == "1"
    assert result["rows"]["Réseau Maillage"][COLUMN] == "0"


def test_a_site_team_sees_its_own_count(client, network, comments):
    client.force_login(make_user("editor-bzh", network["bretagne"].profile.editors))
    result = table(client.get(DASHBOARD))
    assert result["names"] == ["Maillage Bretagne"]
    assert result["rows"]["Maillage Bretagne"][COLUMN] == "2"


def test_the_count_costs_the_same_queries_whatever_the_number_of_sites(network, comments):
    with CaptureQueriesContext(connection) as two_sites:
        pending_by_site(Site.objects.exclude(pk=network["head"].pk))
    with CaptureQueriesContext(connection) as three_sites:
        counts = pending_by_site(Site.objects.all())
    assert len(two_sites) == len(three_sites) <= 3
    assert counts == {
        network["head"].pk: 0,
        network["bretagne"].pk: 2,
        network["occitanie"].pk: 1,
    }
