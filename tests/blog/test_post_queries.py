"""A post's page costs the same number of SQL queries with 1 author and 1 category or 5 and 10."""

from urllib.parse import urlsplit

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail_localize.models import Translation, TranslationSource

import pytest

from tests.support.blog import (
    blog_of,
    make_author,
    make_category,
    make_image,
    make_post,
    translate_snippet,
)

BRETAGNE = "bretagne.localhost"

# A French post with a hero image, authors with photos, categories and tags, after one warm-up
# request (renditions created and cached, as in production): 27, whatever their number.
#  9 route the request: site, active locale, home, blog index and post (each found, then made
#    specific), the ancestors' aliases, view restrictions;
#  BlogPostPage.get_context, 12: categories (prefetched once, read again by related_posts()),
#    author links with their authors, the page's locale, the authors' photos and their
#    renditions (one query each), tags, related posts (editor's choice, view restrictions, posts
#    sharing a category), the blog index (for category and tag links), the site settings
#    (branding; JSON-LD publisher), the hero image;
#  4 base.html: the menu (active locale, children), each policy link's active locale (2);
#  2 the comments section: the site's comment policy, the approved comments (one query for all).
# The language switcher and hreflang links cost nothing on a site in a single language.
POST_PAGE_QUERY_BUDGET = 27

# The same post translated into English, with translated authors (photos of their own) and
# categories: 35, whatever their number. On top of the above: 1 the post's other languages
# (switcher, hreflang), 1 each to localize authors and categories, and 5 to find the English
# versions of the home page (an alias), menu root and policy pages.
TRANSLATED_POST_PAGE_QUERY_BUDGET = 35


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Wagtail caches renditions by image id, which the next test's images reuse.
    cache.clear()


def post_with(blog, authors, categories, **fields):
    return make_post(
        blog,
        f"{len(authors)} auteurs, {len(categories)} catégories",
        authors=authors,
        categories=categories,
        tags=["habitat", "coopérative"],
        hero=make_image("Couverture"),
        **fields,
    )


def authors_with_photos(count, prefix="Auteur"):
    return [
        make_author(f"{prefix} {n}", bio="Bio.", photo=make_image(f"{prefix} {n}", size=(200, 200)))
        for n in range(count)
    ]


def categories(count, prefix="Catégorie"):
    return [make_category(f"{prefix} {n}") for n in range(count)]


def count_queries(client, page, assert_max_num_queries, budget=POST_PAGE_QUERY_BUDGET):
    path = urlsplit(page.full_url).path
    client.get(path, HTTP_HOST=BRETAGNE)  # warm-up: renditions created, caches filled
    with assert_max_num_queries(budget), CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=BRETAGNE)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_post_queries_do_not_grow_with_authors_and_categories(
    client, bretagne_site, django_assert_max_num_queries
):
    blog = blog_of(bretagne_site)
    small = post_with(blog, authors_with_photos(1, "Seule"), categories(1, "Unique"))
    big = post_with(blog, authors_with_photos(5), categories(10))

    with_1, html_1 = count_queries(client, small, django_assert_max_num_queries)
    with_5, html_5 = count_queries(client, big, django_assert_max_num_queries)

    assert html_5.count('class="author-box"') == 5
    assert html_5.count("fill-160x160") == 5
    assert html_5.count("/blog/category/") == 10
    assert with_1 == with_5, (with_1, with_5)


@pytest.fixture
def translate_page(django_capture_on_commit_callbacks):
    def translate(page, locale):
        source, _created = TranslationSource.get_or_create_from_instance(page)
        with django_capture_on_commit_callbacks(execute=True):
            Translation.objects.create(source=source, target_locale=locale).save_target(
                publish=True
            )
        return page.get_translation(locale)

    return translate


def test_translated_post_queries_do_not_grow_either(
    client, bretagne_site, english, translate_page, django_assert_max_num_queries
):
    """In English, authors and categories are translations with photos of their own."""
    blog = blog_of(bretagne_site)
    translate_page(blog, english)
    counts = []
    for number_of_authors, number_of_categories in [(1, 1), (5, 10)]:
        authors = authors_with_photos(number_of_authors, f"A{number_of_authors}")
        cats = categories(number_of_categories, f"C{number_of_categories}")
        post = post_with(blog, authors, cats)
        for author in authors:
            photo = make_image(f"{author.name} en", size=(200, 200))
            translate_snippet(author, english, name=f"{author.name} (en)", photo=photo)
        for category in cats:
            translate_snippet(category, english, name=f"{category.name} (en)")
        english_post = translate_page(post, english)
        count, html = count_queries(
            client, english_post, django_assert_max_num_queries, TRANSLATED_POST_PAGE_QUERY_BUDGET
        )
        assert html.count(" (en)") >= number_of_authors + number_of_categories
        assert html.count("-en.") >= number_of_authors  # the English photos
        counts.append(count)
    assert counts[0] == counts[1], counts
