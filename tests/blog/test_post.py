"""A blog post's page: what it shows, in which language, and that it loads nothing from elsewhere.

French is the default language and English msgids show as they are until the lead translates
them: these tests check values, links and structure rather than the wording of new strings.
"""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

from django.core.cache import cache

import pytest
from bs4 import BeautifulSoup

from tests.support.blog import blog_of, make_author, make_category, make_image, make_post

BRETAGNE = "bretagne.localhost"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Wagtail caches renditions by image id, which the next test's images reuse.
    cache.clear()


@pytest.fixture
def bretagne_blog(bretagne_site):
    return blog_of(bretagne_site)


@pytest.fixture
def housing(db):
    return make_category("Logement")


@pytest.fixture
def anne(db):
    return make_author(
        "Anne Le Goff",
        role="Coordinatrice de l'habitat partagé",
        bio="Anne accompagne les coopératives d'habitants depuis 2015.",
        photo=make_image("Portrait d'Anne", size=(300, 300)),
        website_url="https://anne.example.org/",
        mastodon_url="https://mastodon.example.org/@anne",
    )


@pytest.fixture
def yann(db):
    return make_author("Yann Kervella", role="Trésorier")


@pytest.fixture
def post(bretagne_blog, housing, anne, yann):
    return make_post(
        bretagne_blog,
        "Habiter autrement en Bretagne",
        date=datetime.date(2026, 11, 27),
        authors=[anne, yann],
        categories=[housing, make_category("Coopératives")],
        tags=["habitat participatif", "scic"],
        hero=make_image("Chantier participatif", size=(1600, 900)),
        hero_alt="Des bénévoles posent une charpente en bois",
        intro="Trois coopératives racontent leurs premières années.",
        body=[("paragraph", "<p>Le premier chantier a commencé en mars.</p>")],
    )


def path_of(page):
    """The page's address on its own site (page.url is absolute when there are several sites)."""
    return urlsplit(page.full_url).path


def get_html(client, page, host=BRETAGNE):
    response = client.get(path_of(page), HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def soup(client, post):
    return BeautifulSoup(get_html(client, post), "html.parser")


def test_title_date_and_reading_time(soup, post):
    article = soup.find("article")
    assert article.h1.get_text() == "Habiter autrement en Bretagne"
    time = article.find("time")
    assert time["datetime"] == "2026-11-27"
    assert time.get_text() == "27 novembre 2026"
    reading = article.find(class_="post-reading-time").get_text()
    assert re.search(rf"\b{post.reading_minutes}\b", reading)


def test_authors_are_named_and_introduced(soup, anne, yann):
    names = [a.get_text() for a in soup.find(class_="post-authors").find_all("a")]
    assert names == ["Anne Le Goff", "Yann Kervella"]

    boxes = soup.find_all(class_="author-box")
    assert len(boxes) == 2
    anne_box = boxes[0]
    assert "Anne Le Goff" in anne_box.h2.get_text()
    assert anne_box.find(class_="author-box__role").get_text() == anne.role
    assert anne.bio in anne_box.find(class_="author-box__bio").get_text()
    photo = anne_box.find("img")
    assert photo["src"].startswith("/media/images/")
    assert photo["alt"] == ""  # the name is the heading beside it
    assert photo["width"] == photo["height"] == "160"
    links = {a["href"]: a.get_text() for a in anne_box.find(class_="author-box__links")("a")}
    assert links == {
        "https://anne.example.org/": "Site web",
        "https://mastodon.example.org/@anne": "Mastodon",
    }
    # Yann has neither photo nor links: nothing empty is left behind.
    assert boxes[1].find("img") is None and boxes[1].find("ul") is None
    # each name in the byline leads to its box
    assert soup.find(class_="post-authors").a["href"] == f"#{anne_box['id']}"


def test_categories_and_tags_link_to_the_blog_routes(soup):
    categories = {a.get_text(): a["href"] for a in soup.find(class_="post-categories")("a")}
    assert categories == {
        "Logement": "/blog/category/logement/",
        "Coopératives": "/blog/category/cooperatives/",
    }
    tags = {a.get_text(): a["href"] for a in soup.find(class_="post-tags")("a")}
    assert tags == {
        "habitat participatif": "/blog/tag/habitat-participatif/",
        "scic": "/blog/tag/scic/",
    }


def test_category_link_leads_to_the_category_listing(client, soup, post):
    href = soup.find(class_="post-categories").a["href"]
    response = client.get(href, HTTP_HOST=BRETAGNE)
    assert response.status_code == 200
    assert post.title in response.content.decode()


def test_hero_image_intro_and_body(soup, post):
    hero = soup.find(class_="post-hero").img
    assert hero["alt"] == "Des bénévoles posent une charpente en bois"
    assert hero["src"].startswith("/media/images/")
    assert int(hero["width"]) > 0 and int(hero["height"]) > 0
    assert soup.find(class_="lead").get_text() == post.intro
    assert "Le premier chantier a commencé en mars." in soup.find(class_="post-body").get_text()


def test_share_links_are_plain_links_to_the_post(soup, post):
    url = post.full_url
    links = soup.find(class_="share-links")("a")
    by_host = {urlsplit(a["href"]).netloc or urlsplit(a["href"]).scheme: a["href"] for a in links}
    assert set(by_host) == {
        "mailto",
        "mastodonshare.com",
        "bsky.app",
        "www.linkedin.com",
    }
    assert parse_qs(urlsplit(by_host["mailto"]).query) == {"subject": [post.title], "body": [url]}
    assert parse_qs(urlsplit(by_host["mastodonshare.com"]).query) == {
        "text": [post.title],
        "url": [url],
    }
    assert parse_qs(urlsplit(by_host["www.linkedin.com"]).query) == {"url": [url]}
    assert by_host["www.linkedin.com"].startswith(
        "https://www.linkedin.com/sharing/share-offsite/?"
    )
    assert parse_qs(urlsplit(by_host["bsky.app"]).query) == {"text": [f"{post.title} {url}"]}
    assert by_host["bsky.app"].startswith("https://bsky.app/intent/compose?")


def test_loads_nothing_from_another_host(soup):
    """Links to other hosts are fine (the reader chooses to follow them); loading is not."""
    assert not soup.find(["iframe", "embed", "object", "video", "audio"])
    for element in soup.find_all(src=True):
        assert element["src"].startswith("/") and not element["src"].startswith("//"), element
    for element in soup.find_all("img"):
        assert not element.get("srcset") or "//" not in element["srcset"], element
    for script in soup.find_all("script"):
        assert script.get("type") == "application/ld+json", script  # data, not code
    for link in soup.find_all("link"):
        rel = set(link.get("rel", []))
        if rel & {"canonical", "alternate"}:
            assert urlsplit(link["href"]).netloc == BRETAGNE, link  # this site's own addresses
        else:
            assert link["href"].startswith("/") and not link["href"].startswith("//"), link
    for image in soup.find_all("meta", property=re.compile(r"image$")):
        assert urlsplit(image["content"]).netloc == BRETAGNE


def test_related_posts_share_a_category(client, bretagne_blog, post, housing, yann):
    older = make_post(
        bretagne_blog,
        "Une coopérative d'habitants à Rennes",
        date=datetime.date(2026, 10, 2),
        authors=[yann],
        categories=[housing],
    )
    make_post(bretagne_blog, "Sans rapport", authors=[yann], categories=[make_category("Santé")])
    html = get_html(client, post)
    related = BeautifulSoup(html, "html.parser").find(class_="related-posts")
    assert [(a.get_text(), a["href"]) for a in related("a")] == [(older.title, path_of(older))]
    assert related.time["datetime"] == "2026-10-02"


def test_no_related_posts_section_when_there_are_none(soup):
    assert soup.find(class_="related-posts") is None


def test_another_sites_post_is_not_related(client, occitanie_site, post, housing, yann):
    make_post(blog_of(occitanie_site), "Logement à Toulouse", authors=[yann], categories=[housing])
    html = get_html(client, post)
    assert "Toulouse" not in html


def test_a_post_without_image_tags_or_categories(client, bretagne_blog, yann):
    bare = make_post(bretagne_blog, "Brève", authors=[yann], intro="")
    soup = BeautifulSoup(get_html(client, bare), "html.parser")
    assert soup.find(class_="post-hero") is None
    assert soup.find(class_="post-categories") is None
    assert soup.find(class_="post-tags") is None
    assert soup.find(class_="lead") is None
    assert soup.find("article").h1.get_text() == "Brève"


def test_author_text_is_escaped(client, bretagne_blog):
    mallory = make_author("<script>alert(1)</script>", bio="<b>bold</b>")
    post = make_post(bretagne_blog, "Échappement", authors=[mallory])
    html = get_html(client, post)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html


def test_posts_chosen_by_the_editor_come_first(client, bretagne_blog, post, housing, yann):
    """Chosen related posts replace the category fallback; unpublished choices are left out."""
    from blog.models import RelatedPost

    make_post(bretagne_blog, "Même catégorie", authors=[yann], categories=[housing])
    chosen = make_post(bretagne_blog, "Choisi par l'équipe", authors=[yann])
    withdrawn = make_post(bretagne_blog, "Retiré", authors=[yann])
    RelatedPost.objects.create(post=post, related=chosen, sort_order=0)
    RelatedPost.objects.create(post=post, related=withdrawn, sort_order=1)
    withdrawn.unpublish()
    related = BeautifulSoup(get_html(client, post), "html.parser").find(class_="related-posts")
    assert [a.get_text() for a in related("a")] == ["Choisi par l'équipe"]
