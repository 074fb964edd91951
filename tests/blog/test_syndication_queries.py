"""A blog listing with posts shared by 5 sites costs as many SQL queries as one with posts shared
by 50: the posts, own and shared, are one query, and their origins one more (blog.syndication).

Bretagne lists its own posts and posts shared with it by other sites, some through the "every
regional site" scope, some by name, a few of them hidden by Bretagne; each post has an author and
a category, which the cards and feed entries show in the blog's language.
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Site

import pytest

from blog.choices import ShareScope
from blog.syndication import hide
from sites import lifecycle
from sites.factory import SiteRequest, create_site
from tests.support.blog import blog_of, make_author, make_category, make_post, share

HOST = "bretagne.localhost"

# Measured with 5 sharing sites as with 50: the listing 26 queries, the RSS feed 18, a shared
# post's page on Bretagne 29, the "Shared with my site" admin view 15. Syndication adds two to a
# listing or a feed whatever the number of sites: the blog's Site and kind, and the origins' names
# (the posts, own and shared, stay one query). The budgets leave a little room for the base
# template; what matters is that 5 and 50 sites cost the same. The cards' comment counts: +1 to a
# listing (one query for the page of posts).
LISTING_QUERY_BUDGET = 29
FEED_QUERY_BUDGET = 20
SHARED_POST_QUERY_BUDGET = 31
ADMIN_QUERY_BUDGET = 18


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ingredients(db):
    return {
        "authors": itertools.cycle([make_author(f"Auteur {n}") for n in range(3)]),
        "categories": itertools.cycle([make_category(f"Catégorie {n}") for n in range(3)]),
        "days": itertools.count(1),
    }


def add_sharing_sites(count, start, posts_each, ingredients, bretagne_site):
    """`count` new sites (regional and thematic in turn), each sharing `posts_each` posts with
    Bretagne: the regional ones by scope, the thematic ones by naming it."""
    for number in range(start, start + count):
        regional = number % 2 == 0
        site = create_site(
            SiteRequest(
                name=f"Site {number}",
                hostname=f"site-{number}.localhost",
                kind="regional" if regional else "thematic",
                region=f"Région {number}" if regional else "",
                theme="" if regional else f"Thème {number}",
            )
        )
        lifecycle.launch(site)  # a draft site shares nothing
        add_posts(site, posts_each, ingredients, bretagne_site)


def add_posts(site, count, ingredients, bretagne_site, first=0):
    blog = blog_of(site)
    for number in range(first, first + count):
        day = next(ingredients["days"])
        post = make_post(
            blog,
            f"{site.site_name}, article {number}",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=day),
            authors=[next(ingredients["authors"])],
            categories=[next(ingredients["categories"])],
        )
        if site.profile.kind == "regional":
            share(post, scope=ShareScope.REGIONAL)  # every target accepts it
        else:
            share(post, bretagne_site)
        if day % 5 == 0:
            hide(post, bretagne_site)


def count_queries(client, path, budget, assert_max_num_queries):
    """Queries for one request, after a warm-up that fills Wagtail's caches."""
    assert client.get(path, HTTP_HOST=HOST).status_code == 200
    with assert_max_num_queries(budget), CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200
    return len(queries)


def test_listing_queries_do_not_grow_with_the_number_of_sharing_sites(
    client, network, bretagne_site, ingredients, django_assert_max_num_queries
):
    bretagne_blog = blog_of(bretagne_site)
    for number in range(3):
        make_post(bretagne_blog, f"Bretagne {number}", date=datetime.date(2026, 1, 1 + number))
    admin = get_user_model().objects.create_superuser("root", password="x")
    admin_client = type(client)()
    admin_client.force_login(admin)
    admin_path = reverse("blog_shared:site", args=[bretagne_site.pk])

    def measure():
        newest_shared = bretagne_blog.posts().exclude(path__startswith=bretagne_blog.path)[0]
        counts = {
            "/blog/": count_queries(
                client, "/blog/", LISTING_QUERY_BUDGET, django_assert_max_num_queries
            ),
            "/blog/feed/rss/": count_queries(
                client, "/blog/feed/rss/", FEED_QUERY_BUDGET, django_assert_max_num_queries
            ),
            "shared post": count_queries(
                client,
                f"/blog/{newest_shared.slug}/",
                SHARED_POST_QUERY_BUDGET,
                django_assert_max_num_queries,
            ),
        }
        assert admin_client.get(admin_path).status_code == 200
        with (
            django_assert_max_num_queries(ADMIN_QUERY_BUDGET),
            CaptureQueriesContext(connection) as queries,
        ):
            assert admin_client.get(admin_path).status_code == 200
        counts["admin"] = len(queries)
        return counts

    add_sharing_sites(5, 0, 1, ingredients, bretagne_site)
    listed = bretagne_blog.posts().count()
    with_5 = measure()

    for site in Site.objects.filter(hostname__startswith="site-"):
        add_posts(site, 1, ingredients, bretagne_site, first=1)
    add_sharing_sites(45, 5, 2, ingredients, bretagne_site)
    assert bretagne_blog.posts().count() > 5 * listed
    with_50 = measure()

    print(f"\nqueries with 5 sharing sites: {with_5}; with 50: {with_50}")
    assert with_5 == with_50
