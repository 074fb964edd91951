"""Hostile input on the public pages that read what the address says, property-based
(hypothesis): search, blog listings (pages, categories, tags, archives), RSS and Atom feeds, the
network news and its filters, the sitemap and robots.txt, posts, avatars.

Whatever the path segments and query strings hold (any unicode, NUL bytes, broken
percent-encoding, numbers no database column holds, "²" that str.isdigit() takes for a digit),
the answer is a page or a clear 4xx, never a 5xx; a feed served is well-formed XML.
"""

import re
from urllib.parse import quote

from django.test import Client

import feedparser
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from hub.demo.blog import seed_network_news
from sites.models import ModerationPolicy
from tests.support.blog import blog_of, make_category, make_post
from tests.support.comments import make_comment, post_path, set_policy
from tests.support.hostile import (
    NUMBERS,
    avatar_key,
    hostile_value,
    hypothesis_settings,
    query_string,
    url_text,
)

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
HEAD = "localhost"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(network):
    """A blog on Bretagne with two pages of posts (a category, a tag, a month, a post whose
    title an editor pasted with control characters), a commented post, the network news on the
    head site."""
    set_policy(network["bretagne"], comment_moderation=ModerationPolicy.NONE)
    housing = make_category("Logement", slug="logement")
    blog = blog_of(network["bretagne"])
    posts = [
        make_post(blog, f"Atelier {n:02d}", categories=[housing], tags=["vélo"]) for n in range(11)
    ]
    make_post(blog, "Titre\x0bcollé\x01de Word", intro="Introduction\x0c.", categories=[housing])
    make_post(blog_of(network["occitanie"]), "Atelier d'Occitanie")
    make_comment(posts[0])
    seed_network_news(network["head"], None)
    return {"post": posts[0], "network": network}


def assert_clear(response, path):
    assert response.status_code < 500, path
    if response.status_code == 200 and "/feed/" in path:
        assert not feedparser.parse(response.content).bozo, path  # well-formed XML
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert b"\x00" not in response.content, path


# --- search ---------------------------------------------------------------------------------------


@hypothesis_settings(50)
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "q": st.one_of(st.just("atelier"), url_text),
            "page": hostile_value,
            "scope": st.one_of(st.just("network"), url_text),
            "site": hostile_value,
        },
    ),
    host=st.sampled_from([BRETAGNE, HEAD]),
    path=st.sampled_from(["/search/", "/en/search/"]),
)
def test_search_answers_any_query(client, world, params, host, path):
    response = client.get(path, params, HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    assert "\x00" not in html and "<script>alert" not in html
    shown = re.search(r'id="search-query" name="q" value="([^"]*)"', html).group(1)
    assert len(shown) <= 6 * 200  # at most 200 characters, escaped


# --- listings, feeds, sitemap: any query string ---------------------------------------------------

LISTINGS = [
    (BRETAGNE, "/blog/"),
    (BRETAGNE, "/blog/category/logement/"),
    (BRETAGNE, "/blog/tag/vélo/"),
    (BRETAGNE, "/blog/archive/{year}/{month:02d}/"),
    (BRETAGNE, "/blog/feed/rss/"),
    (BRETAGNE, "/blog/feed/atom/"),
    (BRETAGNE, "/blog/category/logement/feed/rss/"),
    (BRETAGNE, "/blog/category/logement/feed/atom/"),
    (BRETAGNE, "{post}"),
    (BRETAGNE, "/"),
    (HEAD, "/actualites/"),
    (HEAD, "/actualites/feed/rss/"),
    (HEAD, "/actualites/feed/atom/"),
    (BRETAGNE, "/sitemap.xml"),
    (BRETAGNE, "/robots.txt"),
    (BRETAGNE, "/comments/manage/"),
]
# Views that take GET (and POST) but not HEAD (require_GET, require_http_methods).
GET_ONLY = {"/sitemap.xml", "/robots.txt", "/comments/manage/"}


@hypothesis_settings(80)
@given(
    listing=st.sampled_from(LISTINGS), query=query_string, method=st.sampled_from(["get", "head"])
)
@example(listing=(BRETAGNE, "/blog/"), query="page=%C2%B2", method="get")  # regression
@example(listing=(HEAD, "/actualites/feed/rss/"), query="category=%01&site=%00", method="get")
def test_listings_and_feeds_answer_any_query_string(client, world, listing, query, method):
    host, template = listing
    post = world["post"]
    path = template.format(year=post.date.year, month=post.date.month, post=post_path(post))
    response = getattr(client, method)(f"{path}?{query}", HTTP_HOST=host)
    assert_clear(response, path)
    if method == "head" and path in GET_ONLY:
        assert response.status_code == 405
    else:
        assert response.status_code in (200, 404), (path, query, response.status_code)


def test_odd_page_numbers_show_the_first_page(client, world):
    """Regression: "²" passed str.isdigit() and made int() fail (a 500), as did 5,000 nines (more
    digits than int() reads), on every blog listing and the network news."""
    for number in ("²", "9" * 5000, "1\x00", "abc", ""):
        for host, path in ((BRETAGNE, "/blog/"), (BRETAGNE, "/blog/category/logement/")):
            response = client.get(path, {"page": number}, HTTP_HOST=host)
            assert response.status_code == 200, (path, number)
            assert "Atelier 10" in response.content.decode()  # the newest posts: page 1
        response = client.get("/actualites/", {"page": number}, HTTP_HOST=HEAD)
        assert response.status_code == 200, number


def test_control_characters_pasted_in_a_post_keep_the_feeds_up(client, world):
    """Regression: a title with a control character (Word's line break is "\\x0b") made every
    feed listing the post a 500 (XML 1.0 cannot carry it)."""
    for path, host in (
        ("/blog/feed/rss/", BRETAGNE),
        ("/blog/feed/atom/", BRETAGNE),
        ("/blog/category/logement/feed/rss/", BRETAGNE),
        ("/actualites/feed/atom/", HEAD),
    ):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, path
        assert "Titre collé de Word" in response.content.decode()
        assert not feedparser.parse(response.content).bozo


def test_odd_reply_parameters_show_the_post(client, world):
    for value in ("²", "9" * 5000):
        response = client.get(post_path(world["post"]), {"reply": value}, HTTP_HOST=BRETAGNE)
        assert response.status_code == 200


# --- any path segment -----------------------------------------------------------------------------

SEGMENT_PATHS = [
    (BRETAGNE, "/blog/category/{}/"),
    (BRETAGNE, "/blog/category/{}/feed/rss/"),
    (BRETAGNE, "/blog/tag/{}/"),
    (BRETAGNE, "/blog/archive/{}/01/"),
    (BRETAGNE, "/blog/archive/2026/{}/"),
    (BRETAGNE, "/blog/{}/"),
    (BRETAGNE, "/{}/"),
    (BRETAGNE, "/en/{}/"),
    (HEAD, "/actualites/{}/"),
    (BRETAGNE, "/comments/avatar/{}/"),
    (BRETAGNE, "/comments/post/{}/"),
]


@hypothesis_settings(60)
@given(
    target=st.sampled_from(SEGMENT_PATHS),
    segment=st.one_of(url_text, st.sampled_from(NUMBERS), avatar_key),
    query=st.one_of(st.just(""), st.sampled_from(["s=99999", "s=-1", "size=abc", "d=%00"])),
)
def test_any_path_segment_gets_a_clear_answer(world, target, segment, query):
    host, template = target
    path = template.format(quote(segment, safe=""))
    client = Client(enforce_csrf_checks=True)
    method = "post" if path.startswith("/comments/post/") else "get"
    response = getattr(client, method)(f"{path}?{query}", HTTP_HOST=host)
    assert_clear(response, path)
    if path.startswith("/comments/avatar/"):
        valid = segment == "anonymous" or re.fullmatch(r"[0-9a-f]{64}", segment)
        assert response.status_code == (200 if valid else 404), segment
        if valid:
            assert response["Content-Type"] == "image/svg+xml"
            assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    else:
        # 301: Wagtail's canonical address; 403: a POST without CSRF token.
        assert response.status_code in (200, 301, 302, 403, 404), (path, response.status_code)


def test_hostile_hosts_and_methods_get_a_clear_answer(client, world):
    for host in ("evil.example", "bretagne.localhost:abc", "bretagne.localhost\r\nX-Evil: 1"):
        assert client.get("/blog/", HTTP_HOST=host).status_code == 400, host
    for path in ("/search/", "/comments/avatar/anonymous/", "/robots.txt", "/sitemap.xml"):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            response = client.generic(method, path, b"x=1", HTTP_HOST=BRETAGNE)
            assert response.status_code == 405, (path, method)
    for path in ("/blog/", "/blog/feed/rss/", post_path(world["post"])):
        for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
            response = Client(enforce_csrf_checks=True).generic(method, path, HTTP_HOST=BRETAGNE)
            assert response.status_code < 500, (path, method)
