"""RSS and Atom feeds of each blog and each category, read as a feed reader would (feedparser)."""

import calendar
import datetime

from django.utils import timezone

import feedparser
import pytest

from blog.feeds import FEED_LENGTH
from tests.support.blog import (
    blog_of,
    make_author,
    make_category,
    make_image,
    make_post,
    translate_blog,
    translate_snippet,
)

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
FEEDS = ["rss", "atom"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bretagne_blog(bretagne_site):
    return blog_of(bretagne_site)


@pytest.fixture
def occitanie_blog(occitanie_site):
    return blog_of(occitanie_site)


@pytest.fixture
def housing(db):
    return make_category("Logement")


@pytest.fixture
def authors(db):
    return [make_author("Anne Le Goff"), make_author("Bob Kerjean")]


@pytest.fixture
def posts(bretagne_blog, housing, authors):
    """25 Bretagne posts, one a day from 1 October 2026, with two authors and an image; the
    even ones about housing."""
    image = make_image("Maison", size=(400, 300))
    return [
        make_post(
            bretagne_blog,
            f"Bretagne {day:02d}",
            date=datetime.date(2026, 10, day),
            authors=authors,
            categories=[housing] if day % 2 == 0 else [],
            hero=image,
        )
        for day in range(1, 26)
    ]


def read(client, path, host=BRETAGNE, content_type=None):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, response.status_code
    if content_type:
        assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def utc(parsed):
    return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC)


@pytest.mark.parametrize(
    ("kind", "content_type", "version"),
    [("rss", "application/rss+xml", "rss20"), ("atom", "application/atom+xml", "atom10")],
)
def test_blog_feed_lists_the_latest_posts(client, posts, kind, content_type, version):
    feed = read(client, f"/blog/feed/{kind}/", content_type=content_type)
    assert feed.version == version
    assert "Blog" in feed.feed.title and "Maillage Bretagne" in feed.feed.title
    assert feed.feed.link == "http://bretagne.localhost/blog/"
    assert feed.feed.language == "fr"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"http://bretagne.localhost/blog/feed/{kind}/"]

    assert len(feed.entries) == FEED_LENGTH
    assert [entry.title for entry in feed.entries] == [
        f"Bretagne {day:02d}" for day in range(25, 5, -1)
    ]
    entry = feed.entries[0]
    newest = posts[-1]
    assert entry.link == f"http://bretagne.localhost/blog/{newest.slug}/"
    assert entry.summary == "About Bretagne 25."
    assert utc(entry.published_parsed) == newest.first_published_at
    assert [author.name for author in entry.authors] == ["Anne Le Goff", "Bob Kerjean"]
    assert entry.get("tags", []) == []
    assert [tag.term for tag in feed.entries[1].tags] == ["Logement"]


@pytest.mark.parametrize("kind", FEEDS)
def test_enclosure_is_the_hero_image(client, posts, kind, settings):
    enclosure = read(client, f"/blog/feed/{kind}/").entries[0].enclosures[0]
    assert enclosure.href.startswith("http://bretagne.localhost/media/images/")
    assert enclosure.type == "image/png"
    path = settings.MEDIA_ROOT / enclosure.href.removeprefix("http://bretagne.localhost/media/")
    assert int(enclosure.length) == path.stat().st_size > 0


@pytest.mark.parametrize("kind", FEEDS)
def test_post_without_image_or_authors(client, bretagne_blog, kind):
    make_post(bretagne_blog, "Sobre")
    entry = read(client, f"/blog/feed/{kind}/").entries[0]
    assert entry.title == "Sobre"
    assert entry.get("enclosures", []) == []
    assert entry.get("authors", []) == []


@pytest.mark.parametrize("kind", FEEDS)
def test_missing_image_file_does_not_break_the_feed(client, bretagne_blog, kind):
    image = make_image("Disparue")
    image.file.storage.delete(image.file.name)
    make_post(bretagne_blog, "Sans image", hero=image)
    entry = read(client, f"/blog/feed/{kind}/").entries[0]
    assert entry.title == "Sans image"
    assert entry.get("enclosures", []) == []


def test_pubdate_without_a_publication_that_day_is_the_start_of_the_day(client, bretagne_blog):
    post = make_post(bretagne_blog, "Antidaté", date=datetime.date(2026, 3, 5))
    post.first_published_at = timezone.make_aware(datetime.datetime(2026, 4, 1, 9))
    post.save()
    entry = read(client, "/blog/feed/atom/").entries[0]
    paris_midnight = timezone.make_aware(datetime.datetime(2026, 3, 5))
    assert utc(entry.published_parsed) == paris_midnight


@pytest.mark.parametrize("kind", FEEDS)
def test_intro_is_text_not_html(client, bretagne_blog, kind):
    make_post(bretagne_blog, "Échappé", intro="Vélos & <b>cargos</b>")
    summary = read(client, f"/blog/feed/{kind}/").entries[0].summary
    assert "<b>" not in summary
    assert "cargos" in summary


@pytest.mark.parametrize("kind", FEEDS)
def test_category_feed_lists_only_its_posts(client, posts, kind):
    feed = read(client, f"/blog/category/logement/feed/{kind}/")
    assert "Logement" in feed.feed.title
    assert feed.feed.link == "http://bretagne.localhost/blog/category/logement/"
    assert [entry.title for entry in feed.entries] == [
        f"Bretagne {day:02d}" for day in range(24, 0, -2)
    ]
    assert all(entry.link.startswith("http://bretagne.localhost/blog/") for entry in feed.entries)


@pytest.mark.parametrize("kind", FEEDS)
def test_each_site_has_its_own_feed(client, posts, occitanie_blog, housing, kind):
    make_post(occitanie_blog, "Occitanie", categories=[housing])
    feed = read(client, f"/blog/feed/{kind}/", host=OCCITANIE)
    assert [entry.title for entry in feed.entries] == ["Occitanie"]
    assert feed.feed.link == "http://occitanie.localhost/blog/"
    assert feed.entries[0].link.startswith("http://occitanie.localhost/blog/")
    category = read(client, f"/blog/category/logement/feed/{kind}/", host=OCCITANIE)
    assert [entry.title for entry in category.entries] == ["Occitanie"]


@pytest.mark.parametrize("kind", FEEDS)
def test_empty_blog_has_an_empty_feed(client, bretagne_blog, kind):
    assert read(client, f"/blog/feed/{kind}/").entries == []


ODD_QUERIES = [
    "?page=abc",
    "?page=999",
    "?page=-1",
    "?format=json&x=%00",
    "?utm_source=x&utm_source=y",
    "?%ff=%ff",
]


def test_odd_query_strings_are_ignored(client, posts):
    for query in ODD_QUERIES:
        for kind in FEEDS:
            assert len(read(client, f"/blog/feed/{kind}/{query}").entries) == FEED_LENGTH
            assert read(client, f"/blog/category/logement/feed/{kind}/{query}").entries


@pytest.mark.parametrize(
    "path",
    [
        "/blog/category/nowhere/feed/rss/",
        "/blog/category/nowhere/feed/atom/",
        "/blog/feed/json/",
        "/blog/feed/",
    ],
)
def test_unknown_feeds_are_404(client, posts, path):
    assert client.get(path, HTTP_HOST=BRETAGNE).status_code == 404


@pytest.mark.parametrize("kind", FEEDS)
def test_english_blog_feed_lists_english_posts(client, posts, housing, english, kind):
    english_blog = translate_blog(posts[0].get_site(), english)
    translate_snippet(housing, english, name="Housing", slug="housing")
    translation = posts[1].copy_for_translation(english)  # about housing
    translation.title = "Brittany 02"
    translation.save_revision().publish()
    make_post(english_blog, "Written in English", date=datetime.date(2026, 9, 1))

    feed = read(client, f"/en/blog/feed/{kind}/")
    assert feed.feed.language == "en"
    assert feed.feed.link == "http://bretagne.localhost/en/blog/"
    assert [entry.title for entry in feed.entries] == ["Brittany 02", "Written in English"]
    assert feed.entries[0].link == f"http://bretagne.localhost/en/blog/{translation.slug}/"
    assert [tag.term for tag in feed.entries[0].tags] == ["Housing"]

    category = read(client, f"/en/blog/category/housing/feed/{kind}/")
    assert [entry.title for entry in category.entries] == ["Brittany 02"]
    assert category.feed.link == "http://bretagne.localhost/en/blog/category/housing/"
