"""A comment POST costs a fixed number of queries: the same on two sites, whatever the comments
already stored (the page's, the commenter's, the other site's); private pages stay refused."""

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction, Site

import pytest
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, CommentStatus
from sites import network
from tests.support.comments import bretagne_post, make_comment, send

# The page (live, 1) and the view restrictions on it or its ancestors (1), the site's comment
# policy (1), the Site for the page's URL, where the visitor is sent back (1: the form has no
# `next`; the site root paths and the network's map come from the cache), on PostgreSQL the
# lock that makes the same form sent twice at once wait for its twin (1), the duplicate check
# (1), "first" moderation's confirmed e-mail (1), the comment (1), and the savepoint around it
# (2, inside the test's transaction).
POST_QUERY_BUDGET = 9 + (connection.vendor == "postgresql")


@pytest.fixture
def posts(bretagne_site, occitanie_site):
    pages = {
        "bretagne": bretagne_post(bretagne_site),
        "occitanie": bretagne_post(occitanie_site, "Vivre en Occitanie"),
    }
    # As in production: Wagtail's site root paths (the page's URL) and the network's map
    # (sites.network: the policy's site, the site key) are in the cache, rebuilt only when a
    # Site or a home page changes.
    Site.get_site_root_paths()
    network.network_map()
    return pages


def post_queries(page, **fields):
    with CaptureQueriesContext(connection) as queries:
        response = send(Client(), page, **fields)
    assert response.status_code == 303, response.content[:500]
    return len(queries)


def add_comments(page, count):
    """`count` comments on the page: approved, held and spam, half of them by the commenter."""
    statuses = [CommentStatus.APPROVED, CommentStatus.PENDING, CommentStatus.SPAM]
    Comment.objects.bulk_create(
        Comment(
            page=page,
            author_name="Lectrice",
            email="mael@example.org" if n % 2 else f"lectrice{n}@example.org",
            body=f"Commentaire {n}.",
            status=statuses[n % 3],
        )
        for n in range(count)
    )


def test_a_post_fits_the_budget_on_both_sites(posts, django_assert_max_num_queries):
    for page in posts.values():
        with django_assert_max_num_queries(POST_QUERY_BUDGET):
            send(Client(), page, body=f"Premier message sur {page.title}.")
    assert Comment.objects.count() == 2


def test_the_query_count_does_not_depend_on_the_comments_stored(posts):
    first = {name: post_queries(page, body="Premier message.") for name, page in posts.items()}
    for page in posts.values():
        add_comments(page, 60)
    later = {name: post_queries(page, body="Un message plus tard.") for name, page in posts.items()}
    assert later == first
    assert max(later.values()) <= POST_QUERY_BUDGET
    assert Comment.objects.count() == 2 * (60 + 2)


def test_a_reply_costs_one_query_more(posts):
    page = posts["bretagne"]
    parent = make_comment(page, email="anne@example.org")
    alone = post_queries(page, body="Un message.")
    reply = post_queries(page, body="Une réponse.", parent=str(parent.pk))
    assert reply == alone + 1  # the parent, checked to be an approved comment of the page


@pytest.mark.parametrize("restricted", ["page", "ancestor"])
def test_a_private_page_takes_no_comment(posts, restricted):
    page = posts["bretagne"]
    target = page if restricted == "page" else page.get_parent()
    PageViewRestriction.objects.create(page=target, restriction_type=PageViewRestriction.LOGIN)
    assert send(Client(), page).status_code == 404
    assert send(Client(), posts["occitanie"]).status_code == 303  # another site: not private
    assert Comment.objects.filter(page=page).count() == 0


def test_the_database_backend_stores_the_digest_task_with_the_comment(settings, posts):
    """The held comment's digest task is written in the comment's own transaction: both are kept,
    or neither."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send(Client(), posts["bretagne"], body="Gardé.")
    assert Comment.objects.count() == DBTaskResult.objects.count() == 1

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        send(Client(), posts["bretagne"], body="Annulé.")
        assert DBTaskResult.objects.count() == 2
        raise Abandoned
    assert Comment.objects.count() == DBTaskResult.objects.count() == 1
