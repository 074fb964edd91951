"""A site's blog index: its own posts, newest first, ten a page, by category, tag and month.

French is the default language, and English msgids show as they are until the lead translates
them: these tests check structure, links and values rather than wording.
"""

import datetime

from django.utils.encoding import iri_to_uri

from taggit.models import Tag

import pytest
from bs4 import BeautifulSoup

from blog.models import POSTS_PER_PAGE, BlogPostPage
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
    return make_category("Logement", description="Habiter autrement.")


@pytest.fixture
def mobility(db):
    return make_category("Mobilité")


@pytest.fixture
def twelve_posts(bretagne_blog, housing):
    """Twelve Bretagne posts, one a day from 1 November 2026; the even ones about housing."""
    return [
        make_post(
            bretagne_blog,
            f"Bretagne {day:02d}",
            date=datetime.date(2026, 11, day),
            categories=[housing] if day % 2 == 0 else [],
        )
        for day in range(1, 13)
    ]


def get(client, path, host=BRETAGNE):
    return client.get(path, HTTP_HOST=host)


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def card_titles(page):
    return [link.get_text(strip=True) for link in page.select(".post-card__title a")]


def pagination(page):
    return page.select_one("nav.pagination")


# --- listing and pagination --------------------------------------------------------------------


def test_lists_the_sites_posts_newest_first_ten_a_page(client, twelve_posts, occitanie_blog):
    make_post(occitanie_blog, "Occitanie 01", date=datetime.date(2026, 11, 30))

    first = soup(get(client, "/blog/"))
    assert card_titles(first) == [f"Bretagne {day:02d}" for day in range(12, 2, -1)]
    assert len(card_titles(first)) == POSTS_PER_PAGE
    second = soup(get(client, "/blog/?page=2"))
    assert card_titles(second) == ["Bretagne 02", "Bretagne 01"]

    occitanie = soup(get(client, "/blog/", host=OCCITANIE))
    assert card_titles(occitanie) == ["Occitanie 01"]
    assert "Bretagne" not in " ".join(card_titles(occitanie))


def test_leaves_out_drafts(client, bretagne_blog):
    make_post(bretagne_blog, "Published")
    make_post(bretagne_blog, "Draft", live=False)
    assert card_titles(soup(get(client, "/blog/"))) == ["Published"]


def test_pagination_nav_is_accessible(client, twelve_posts):
    first = pagination(soup(get(client, "/blog/")))
    assert first["aria-label"]
    assert first.select_one("[aria-current=page]").get_text(strip=True).endswith("1")
    assert first.select_one("a[rel=next]")["href"] == "?page=2"
    assert first.select_one("a[rel=prev]") is None
    assert "1" in first.select_one(".pagination__status").get_text()
    assert "2" in first.select_one(".pagination__status").get_text()

    second = soup(get(client, "/blog/?page=2"))
    assert "2" in second.title.get_text()  # each page of the listing has its own title
    last = pagination(second)
    assert last.select_one("[aria-current=page]")["href"] == "?page=2"
    assert last.select_one("a[rel=prev]")["href"] == "/blog/"  # page 1 has one address
    assert last.select_one("a[rel=next]") is None


def test_no_pagination_nav_for_a_single_page(client, bretagne_blog):
    make_post(bretagne_blog, "Alone")
    assert pagination(soup(get(client, "/blog/"))) is None


@pytest.mark.parametrize(
    ("query", "status", "first_title"),
    [
        ("?page=1", 200, "Bretagne 12"),
        ("?page=2", 200, "Bretagne 02"),  # the last page
        ("?page=3", 404, None),  # beyond the last
        ("?page=999999999999999999999", 404, None),
        ("?page=0", 404, None),
        ("?page=-1", 404, None),
        ("?page=abc", 200, "Bretagne 12"),
        ("?page=", 200, "Bretagne 12"),
        ("?page=1.5", 200, "Bretagne 12"),
        ("?page=%00", 200, "Bretagne 12"),
        ("?page=2&page=1", 200, "Bretagne 12"),
    ],
)
def test_page_numbers(client, twelve_posts, query, status, first_title):
    response = get(client, f"/blog/{query}")
    assert response.status_code == status
    if first_title:
        assert card_titles(soup(response))[0] == first_title


def test_empty_blog(client, bretagne_blog):
    page = soup(get(client, "/blog/"))
    assert page.select(".post-card") == []
    assert page.select_one(".blog__empty").get_text(strip=True) == "Aucun article pour l'instant."
    assert get(client, "/blog/?page=2").status_code == 404


# --- cards -------------------------------------------------------------------------------------


def test_card_shows_what_a_reader_needs(client, bretagne_blog, housing, mobility):
    anne, bob = make_author("Anne Le Goff"), make_author("Bob Kerjean")
    post = make_post(
        bretagne_blog,
        "Habitat partagé",
        date=datetime.date(2026, 11, 3),
        authors=[anne, bob],
        categories=[housing, mobility],
        hero=make_image("Maison"),
        hero_alt="Une maison en pierre",
        intro="Trois familles, une maison.",
    )
    card = soup(get(client, "/blog/")).select_one(".post-card")

    assert card.select_one(".post-card__title a")["href"] == "/blog/" + post.slug + "/"
    time = card.select_one("time")
    assert time["datetime"] == "2026-11-03"
    assert time.get_text() == "3 novembre 2026"  # in the page's language
    image = card.select_one("img")
    assert image["alt"] == "Une maison en pierre"
    assert "/media/images/" in image["src"]
    assert card.select_one(".post-card__intro").get_text() == "Trois familles, une maison."
    authors = card.select_one(".post-card__authors").get_text()
    assert "Anne Le Goff" in authors and "Bob Kerjean" in authors
    assert {a.get_text(): a["href"] for a in card.select(".post-card__categories a")} == {
        "Logement": "/blog/category/logement/",
        "Mobilité": "/blog/category/mobilite/",
    }
    assert "1" in card.select_one(".post-card__reading-time").get_text()


def test_reading_time_counts_the_words(client, bretagne_blog):
    words = " ".join(["mot"] * 700)
    make_post(bretagne_blog, "Long", body=[("paragraph", f"<p>{words}</p>")])
    reading = soup(get(client, "/blog/")).select_one(".post-card__reading-time").get_text()
    assert reading.strip().startswith("4")


# --- categories --------------------------------------------------------------------------------


def test_category_lists_only_its_posts(client, twelve_posts, housing):
    page = soup(get(client, "/blog/category/logement/"))
    assert card_titles(page) == [f"Bretagne {day:02d}" for day in range(12, 0, -2)]
    assert "Logement" in page.select_one("h1").get_text()
    assert "Logement" in page.title.get_text()
    assert page.select_one(".blog__header .lead").get_text() == "Habiter autrement."
    current = page.select_one(".blog__aside [aria-current=page]")
    assert current["href"] == "/blog/category/logement/"


def test_category_paginates(client, bretagne_blog, housing):
    for day in range(1, 12):
        make_post(bretagne_blog, f"Logement {day:02d}", date=datetime.date(2026, 10, day))
        make_post(
            bretagne_blog,
            f"Habitat {day:02d}",
            date=datetime.date(2026, 11, day),
            categories=[housing],
        )
    assert len(card_titles(soup(get(client, "/blog/category/logement/")))) == 10
    assert card_titles(soup(get(client, "/blog/category/logement/?page=2"))) == ["Habitat 01"]
    assert get(client, "/blog/category/logement/?page=3").status_code == 404


def test_unknown_category_is_404(client, twelve_posts):
    assert get(client, "/blog/category/nowhere/").status_code == 404
    assert get(client, "/blog/category/nowhere/feed/rss/").status_code == 404


def test_category_of_another_language_is_404(client, twelve_posts, housing, english):
    translate_snippet(housing, english, name="Housing", slug="housing")
    assert get(client, "/blog/category/housing/").status_code == 404
    assert get(client, "/blog/category/logement/").status_code == 200


def test_category_without_posts_on_this_site_shows_the_empty_state(
    client, twelve_posts, occitanie_blog, housing
):
    page = soup(get(client, "/blog/category/logement/", host=OCCITANIE))
    assert page.select(".post-card") == []
    assert page.select_one(".blog__empty").get_text(strip=True)


def test_sidebar_lists_the_categories_this_blog_uses(
    client, twelve_posts, occitanie_blog, mobility
):
    make_post(occitanie_blog, "Covoiturage", categories=[mobility])
    make_category("Santé")  # used by nobody
    links = soup(get(client, "/blog/")).select("#blog-categories + ul a")
    assert [(a.get_text(), a["href"]) for a in links] == [("Logement", "/blog/category/logement/")]
    counts = soup(get(client, "/blog/")).select("#blog-categories + ul .blog__count")
    assert counts[0].get_text() == "(6)"


def test_sidebar_sorts_categories_accents_aside(client, bretagne_blog):
    names = ["Santé", "Économie", "Culture"]
    make_post(bretagne_blog, "Tout", categories=[make_category(name) for name in names])
    links = soup(get(client, "/blog/")).select("#blog-categories + ul a")
    assert [a.get_text() for a in links] == ["Culture", "Économie", "Santé"]


# --- tags --------------------------------------------------------------------------------------


def test_tag_lists_only_its_posts(client, bretagne_blog, occitanie_blog):
    make_post(bretagne_blog, "Vélo cargo", tags=["vélo"])
    make_post(bretagne_blog, "Jardin", tags=["jardin"])
    make_post(occitanie_blog, "Vélo en ville", tags=["vélo"])
    page = soup(get(client, "/blog/tag/jardin/"))
    assert card_titles(page) == ["Jardin"]
    assert "jardin" in page.select_one("h1").get_text()


def test_tag_with_an_accent(client, bretagne_blog):
    make_post(bretagne_blog, "Vélo cargo", tags=["vélo"])
    slug = Tag.objects.get(name="vélo").slug  # taggit keeps the accent
    page = soup(get(client, iri_to_uri(f"/blog/tag/{slug}/")))
    assert card_titles(page) == ["Vélo cargo"]
    assert "vélo" in page.select_one("h1").get_text()


def test_unknown_tag_is_404(client, bretagne_blog):
    assert get(client, "/blog/tag/nowhere/").status_code == 404


# --- monthly archive ---------------------------------------------------------------------------


def test_archive_lists_the_months_posts(client, bretagne_blog):
    make_post(bretagne_blog, "Octobre", date=datetime.date(2026, 10, 31))
    make_post(bretagne_blog, "Novembre 1", date=datetime.date(2026, 11, 1))
    make_post(bretagne_blog, "Novembre 30", date=datetime.date(2026, 11, 30))
    make_post(bretagne_blog, "Décembre", date=datetime.date(2026, 12, 1))

    page = soup(get(client, "/blog/archive/2026/11/"))
    assert card_titles(page) == ["Novembre 30", "Novembre 1"]
    assert "novembre 2026" in page.select_one("h1").get_text()  # in the page's language
    assert card_titles(soup(get(client, "/blog/archive/2026/1/"))) == []


def test_sidebar_lists_the_months_with_posts(client, bretagne_blog, occitanie_blog):
    make_post(bretagne_blog, "Octobre", date=datetime.date(2026, 10, 31))
    make_post(bretagne_blog, "Novembre", date=datetime.date(2026, 11, 2))
    make_post(occitanie_blog, "Septembre", date=datetime.date(2026, 9, 1))
    page = soup(get(client, "/blog/archive/2026/11/"))
    links = page.select("#blog-archive + ul a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("novembre 2026", "/blog/archive/2026/11/"),
        ("octobre 2026", "/blog/archive/2026/10/"),
    ]
    assert links[0]["aria-current"] == "page"
    for link in links:
        assert get(client, link["href"]).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/blog/archive/2026/13/",
        "/blog/archive/2026/0/",
        "/blog/archive/2026/99/",
        "/blog/archive/0000/01/",
        "/blog/archive/2026/111/",
        "/blog/archive/26/11/",
    ],
)
def test_impossible_month_is_404(client, bretagne_blog, path):
    assert get(client, path).status_code == 404


def test_month_without_posts_shows_the_empty_state(client, bretagne_blog):
    make_post(bretagne_blog, "Novembre", date=datetime.date(2026, 11, 2))
    page = soup(get(client, "/blog/archive/2025/02/"))
    assert page.select(".post-card") == []
    assert page.select_one(".blog__empty").get_text(strip=True)


# --- feeds in the page head --------------------------------------------------------------------


def test_head_links_the_feeds(client, twelve_posts):
    head = soup(get(client, "/blog/")).head
    assert head.select_one("link[type='application/rss+xml']")["href"] == "/blog/feed/rss/"
    assert head.select_one("link[type='application/atom+xml']")["href"] == "/blog/feed/atom/"


def test_category_head_links_its_feeds_first(client, twelve_posts):
    head = soup(get(client, "/blog/category/logement/")).head
    rss = [link["href"] for link in head.select("link[type='application/rss+xml']")]
    atom = [link["href"] for link in head.select("link[type='application/atom+xml']")]
    assert rss == ["/blog/category/logement/feed/rss/", "/blog/feed/rss/"]
    assert atom == ["/blog/category/logement/feed/atom/", "/blog/feed/atom/"]


# --- languages ---------------------------------------------------------------------------------


@pytest.fixture
def english_blog(bretagne_site, english):
    return translate_blog(bretagne_site, english)


def test_english_blog_lists_english_posts_with_categories_in_english(
    client, twelve_posts, housing, english, english_blog
):
    translate_snippet(housing, english, name="Housing", slug="housing")
    source = twelve_posts[1]  # about housing
    translation = source.copy_for_translation(english)
    translation.title = "Brittany 02"
    translation.save_revision().publish()
    # wagtail-localize keeps the translated post's categories pointing at the French ones.
    assert list(BlogPostPage.objects.get(pk=translation.pk).categories.all()) == [housing]

    page = soup(get(client, "/en/blog/"))
    assert page.html["lang"] == "en"
    assert card_titles(page) == ["Brittany 02"]
    links = page.select(".post-card__categories a")
    assert [(a.get_text(), a["href"]) for a in links] == [("Housing", "/en/blog/category/housing/")]
    sidebar = page.select("#blog-categories + ul a")
    assert [(a.get_text(), a["href"]) for a in sidebar] == [
        ("Housing", "/en/blog/category/housing/")
    ]

    category = soup(get(client, "/en/blog/category/housing/"))
    assert card_titles(category) == ["Brittany 02"]
    assert category.select_one("h1").get_text() == "Category: Housing"
    archive = soup(get(client, "/en/blog/archive/2026/11/"))
    assert archive.select_one("h1").get_text() == "Archive: November 2026"
    assert card_titles(archive) == ["Brittany 02"]
    assert get(client, "/en/blog/category/logement/").status_code == 404


def test_untranslated_category_keeps_its_address_on_the_english_blog(
    client, bretagne_blog, mobility, english, english_blog
):
    make_post(english_blog, "Car sharing", categories=[mobility])
    page = soup(get(client, "/en/blog/"))
    assert [a["href"] for a in page.select(".post-card__categories a")] == [
        "/en/blog/category/mobilite/"
    ]
    assert card_titles(soup(get(client, "/en/blog/category/mobilite/"))) == ["Car sharing"]
    assert get(client, "/en/blog/category/sante/").status_code == 404
