"""A blog listing costs the same number of SQL queries with 20 posts or 200.

Every post has two authors, two categories, two tags and a hero image; half the categories and
authors were written in English first and translated into French, so that showing them in the
page's language (blog.localization) has work to do.
"""

import datetime
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests.support.blog import (
    blog_of,
    make_author,
    make_category,
    make_image,
    make_post,
    translate_snippet,
)

HOST = "bretagne.localhost"

# A listing: 30, or 31 for a category or tag listing (measured with 20 and with 200 posts).
# 12 are the page's and base.html's own: 7 route the request (site, locale, pages, aliases, view
# restrictions), 1 the site settings, 2 the menu, 2 the policy links. 17 are the blog's: the
# view restrictions once per posts() query (listing, sidebar categories, sidebar months), the count
# and the page of posts, 5 prefetches (post authors, authors, categories, tagged items, tags), the
# blog's locale, 1 each to show categories and authors in the page's language (none when all are
# in it already), 1 the hero images' renditions, the sidebar's categories and their translations,
# the months. A category or tag listing looks its category or tag up: +1. Since syndication, the
# blog's Site and its kind are read once more (+1; the posts, own and shared, stay one query):
# 32 at most, measured on a translated category's listing. Comment counts on the cards: +1 (one
# query for the whole page of posts).
LISTING_QUERY_BUDGET = 33
# A feed: 21, whatever the number of posts (it lists FEED_LENGTH of them); 19 before
# syndication, which reads the blog's Site and kind.
FEED_QUERY_BUDGET = 21


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ingredients(db, english):
    """Authors, categories, tags and images to share out between posts."""
    french_authors = [make_author(f"Auteur {n}") for n in range(2)]
    english_authors = [make_author(f"Author {n}", locale=english) for n in range(2)]
    for author in english_authors:
        translate_snippet(author, french_authors[0].locale, name=f"{author.name} (fr)")
    french_categories = [make_category(f"Catégorie {n}") for n in range(3)]
    english_categories = [make_category(f"Category {n}", locale=english) for n in range(3)]
    for category in english_categories:
        translate_snippet(
            category,
            french_categories[0].locale,
            name=f"{category.name} (fr)",
            slug=f"{category.slug}-fr",
        )
    return {
        "authors": french_authors + english_authors,
        "categories": french_categories + english_categories,
        "tags": [f"mot-{n}" for n in range(5)],
        "images": [make_image(f"Image {n}") for n in range(3)],
    }


def add_posts(blog, ingredients, count, start):
    authors = itertools.cycle(ingredients["authors"])
    categories = itertools.cycle(ingredients["categories"])
    tags = itertools.cycle(ingredients["tags"])
    images = itertools.cycle(ingredients["images"])
    first_day = datetime.date(2020, 1, 1)
    for number in range(start, start + count):
        make_post(
            blog,
            f"Article {number}",
            date=first_day + datetime.timedelta(days=number * 3),
            authors=[next(authors), next(authors)],
            categories=[next(categories), next(categories)],
            tags=[next(tags), next(tags)],
            hero=next(images),
        )


def count_queries(client, path, budget, assert_max_num_queries):
    """Queries for one request, after a warm-up that fills renditions and caches."""
    assert client.get(path, HTTP_HOST=HOST).status_code == 200
    with assert_max_num_queries(budget), CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200
    return len(queries)


# In both phases: "categorie-0" is a French category; "category-0-fr" the French translation of an
# English one, which the posts use through the English original (the category listing is found by
# translation key).
LISTINGS = [
    "/blog/",
    "/blog/category/categorie-0/",
    "/blog/category/category-0-fr/",
    "/blog/tag/mot-1/",
    "/blog/archive/2020/02/",
]
# Deeper pages, each costing what the first page of the same listing costs.
DEEP_WITH_20 = {"/blog/?page=2": "/blog/"}
DEEP_WITH_200 = {
    "/blog/?page=10": "/blog/",
    "/blog/?page=20": "/blog/",
    "/blog/category/categorie-0/?page=3": "/blog/category/categorie-0/",
    "/blog/tag/mot-1/?page=4": "/blog/tag/mot-1/",
}
FEEDS = ["/blog/feed/rss/", "/blog/feed/atom/", "/blog/category/categorie-0/feed/atom/"]


def test_listing_queries_do_not_grow_with_the_number_of_posts(
    client, bretagne_site, occitanie_site, ingredients, django_assert_max_num_queries
):
    blog = blog_of(bretagne_site)
    add_posts(blog, ingredients, 20, start=0)
    add_posts(blog_of(occitanie_site), ingredients, 3, start=0)  # another site's, never counted

    def measure(paths, budget):
        return {
            path: count_queries(client, path, budget, django_assert_max_num_queries)
            for path in paths
        }

    with_20 = measure([*LISTINGS, *DEEP_WITH_20], LISTING_QUERY_BUDGET)
    feeds_with_20 = measure(FEEDS, FEED_QUERY_BUDGET)

    add_posts(blog, ingredients, 180, start=20)
    with_200 = measure([*LISTINGS, *DEEP_WITH_200], LISTING_QUERY_BUDGET)
    feeds_with_200 = measure(FEEDS, FEED_QUERY_BUDGET)

    assert {path: with_20[path] for path in LISTINGS} == {
        path: with_200[path] for path in LISTINGS
    }, (with_20, with_200)
    for deep, first in DEEP_WITH_20.items():
        assert with_20[deep] == with_20[first], with_20
    for deep, first in DEEP_WITH_200.items():
        assert with_200[deep] == with_200[first], with_200
    assert feeds_with_20 == feeds_with_200, (feeds_with_20, feeds_with_200)
