"""A post translated with wagtail-localize: served in English under /en/, with its authors and
categories in English, alternates and a language switcher that lead to each version.

French is the default language and English msgids show as they are until the lead translates
them: on French pages these tests check values Django translates itself (dates) and structure.
"""

import datetime
from urllib.parse import urlsplit

from django.core.cache import cache

from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource

import pytest
from bs4 import BeautifulSoup

from blog.models import BlogPostPage
from tests.support.blog import (
    blog_of,
    make_author,
    make_category,
    make_image,
    make_post,
    translate_snippet,
)

HEAD = "localhost"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Wagtail caches renditions by image id, which the next test's images reuse.
    cache.clear()


@pytest.fixture
def translate_page(django_capture_on_commit_callbacks):
    """What an editor does in the admin: translate with wagtail-localize and publish (which
    wagtail-localize does once the transaction commits)."""

    def translate(page, locale):
        source, _created = TranslationSource.get_or_create_from_instance(page)
        with django_capture_on_commit_callbacks(execute=True):
            Translation.objects.create(source=source, target_locale=locale).save_target(
                publish=True
            )
        return page.get_translation(locale)

    return translate


@pytest.fixture
def housing(db):
    return make_category("Logement", description="Habiter autrement.")


@pytest.fixture
def anne(db):
    return make_author(
        "Anne Le Goff", role="Coordinatrice", bio="Anne accompagne les coopératives."
    )


@pytest.fixture
def french_post(head_site, housing, anne):
    return make_post(
        blog_of(head_site),
        "Habiter autrement",
        date=datetime.date(2026, 11, 27),
        authors=[anne],
        categories=[housing],
        tags=["habitat"],
        hero=make_image("Chantier"),
        hero_alt="Une charpente en bois",
        slug="habiter-autrement",
    )


@pytest.fixture
def english_post(head_site, french_post, english, housing, anne, translate_page):
    translate_page(blog_of(head_site), english)  # the blog first, as in the admin
    post = translate_page(french_post, english).specific
    post.title = "Living differently"
    post.intro = "Three cooperatives tell their first years."
    post.hero_alt = "A wooden roof frame"
    post.save_revision().publish()
    translate_snippet(housing, english, name="Housing", slug="housing")
    translate_snippet(anne, english, role="Coordinator", bio="Anne supports cooperatives.")
    return BlogPostPage.objects.get(pk=post.pk)


def get_soup(client, path, host=HEAD):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content.decode(), "html.parser")


def alternates(soup):
    return {
        link["hreflang"]: link["href"]
        for link in soup.find_all("link", rel="alternate", hreflang=True)
    }


def switcher(soup):
    nav = soup.find("nav", class_="language-switcher")
    return nav and {a["hreflang"]: a for a in nav.find_all("a")}


def test_the_english_post_is_served_in_english(client, english_post):
    assert urlsplit(english_post.full_url).path == "/en/blog/habiter-autrement/"
    soup = get_soup(client, "/en/blog/habiter-autrement/")
    assert soup.html["lang"] == "en"
    assert soup.find("article").h1.get_text() == "Living differently"
    assert soup.find(class_="lead").get_text() == "Three cooperatives tell their first years."
    assert soup.find("article").time.get_text() == "Nov. 27, 2026"
    assert soup.find(class_="post-reading-time").get_text().strip() == "1 min read"
    assert soup.find(class_="post-hero").img["alt"] == "A wooden roof frame"
    assert soup.find(class_="share-links").h2.get_text() == "Share this post"
    assert soup.find("meta", property="og:locale")["content"] == "en_GB"
    assert soup.find("meta", property="og:locale:alternate")["content"] == "fr_FR"


def test_categories_and_authors_are_shown_in_english(client, english_post):
    soup = get_soup(client, "/en/blog/habiter-autrement/")
    category = soup.find(class_="post-categories").a
    assert (category.get_text(), category["href"]) == ("Housing", "/en/blog/category/housing/")
    box = soup.find(class_="author-box")
    assert box.find(class_="author-box__role").get_text() == "Coordinator"
    assert "Anne supports cooperatives." in box.get_text()
    assert soup.find(class_="post-tags").a["href"] == "/en/blog/tag/habitat/"
    assert soup.find("meta", property="article:section")["content"] == "Housing"


def test_the_english_category_link_works(client, english_post):
    soup = get_soup(client, "/en/blog/habiter-autrement/")
    listing = get_soup(client, soup.find(class_="post-categories").a["href"])
    assert "Living differently" in listing.get_text()


def test_alternates_lead_to_each_version_on_the_same_site(client, english_post):
    expected = {
        "fr": f"http://{HEAD}/blog/habiter-autrement/",
        "en": f"http://{HEAD}/en/blog/habiter-autrement/",
        "x-default": f"http://{HEAD}/blog/habiter-autrement/",
    }
    assert alternates(get_soup(client, "/en/blog/habiter-autrement/")) == expected
    assert alternates(get_soup(client, "/blog/habiter-autrement/")) == expected


def test_the_switcher_leads_to_the_other_version(client, english_post):
    links = switcher(get_soup(client, "/en/blog/habiter-autrement/"))
    assert set(links) == {"fr", "en"}
    assert links["fr"]["href"] == "/blog/habiter-autrement/"
    assert links["fr"]["lang"] == "fr" and links["fr"].get_text() == "Français"
    assert links["fr"].get("aria-current") is None
    assert links["en"]["href"] == "/en/blog/habiter-autrement/"
    assert links["en"]["aria-current"] == "page"

    links = switcher(get_soup(client, "/blog/habiter-autrement/"))
    assert links["en"]["href"] == "/en/blog/habiter-autrement/"
    assert links["en"]["lang"] == "en" and links["en"].get_text() == "English"
    assert links["fr"]["aria-current"] == "page"


def test_the_french_post_stays_french(client, english_post):
    soup = get_soup(client, "/blog/habiter-autrement/")
    assert soup.html["lang"] == "fr"
    assert soup.find("article").h1.get_text() == "Habiter autrement"
    assert soup.find("article").time.get_text() == "27 novembre 2026"
    assert soup.find(class_="post-categories").a.get_text() == "Logement"
    assert soup.find(class_="author-box__role").get_text() == "Coordinatrice"
    assert soup.find("meta", property="og:locale")["content"] == "fr_FR"
    assert soup.find("a", class_="skip-link").get_text() == "Aller au contenu"


def test_an_untranslated_category_stays_in_french(client, head_site, english_post, english):
    english_post.categories.add(make_category("Énergie"))
    english_post.save()
    soup = get_soup(client, "/en/blog/habiter-autrement/")
    names = [a.get_text() for a in soup.find(class_="post-categories")("a")]
    assert sorted(names) == ["Housing", "Énergie"]


def test_the_switcher_works_on_every_page_type(client, head_site, english_post):
    """Home and blog index were translated with the post: each offers the other language."""
    for path, other in [("/", "/en/"), ("/en/blog/", "/blog/")]:
        links = switcher(get_soup(client, path))
        assert {a["href"] for a in links.values()} == {path, other}


def test_no_switcher_for_a_page_in_one_language(client, head_site, french_post, english_post):
    lonely = make_post(blog_of(head_site), "Seulement en français", authors=[])
    soup = get_soup(client, urlsplit(lonely.full_url).path)
    assert switcher(soup) is None
    assert alternates(soup) == {}
    assert Page.objects.filter(translation_key=lonely.translation_key).count() == 1


def test_a_blog_route_has_the_switcher_but_no_alternates(client, english_post):
    """A category listing is not the blog's home: its alternates would point elsewhere."""
    soup = get_soup(client, "/blog/category/logement/")
    assert alternates(soup) == {}
    assert switcher(soup)["en"]["href"] == "/en/blog/"
    assert set(alternates(get_soup(client, "/blog/"))) == {"fr", "en", "x-default"}
