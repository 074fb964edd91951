"""What search engines and social networks read: description, canonical address, Open Graph,
Twitter cards, JSON-LD, and hreflang alternates on every page type that has translations."""

import datetime
import json
from urllib.parse import urlsplit

from django.core.cache import cache

import pytest
from bs4 import BeautifulSoup

from sites.models import SiteSettings
from tests.support.blog import blog_of, make_author, make_image, make_post

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Wagtail caches renditions by image id, which the next test's images reuse.
    cache.clear()


@pytest.fixture
def authors(db):
    return [make_author("Anne Le Goff"), make_author("Yann Kervella")]


@pytest.fixture
def post(bretagne_site, authors):
    return make_post(
        blog_of(bretagne_site),
        "Habiter autrement",
        date=datetime.date(2026, 11, 27),
        authors=authors,
        tags=["habitat"],
        hero=make_image("Chantier", size=(1600, 900)),
        hero_alt="Une charpente en bois",
        intro="Trois coopératives racontent leurs premières années.",
    )


def path_of(page):
    return urlsplit(page.full_url).path


def get_soup(client, path, host=BRETAGNE):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def meta(soup, key):
    """The content of <meta property=key> or <meta name=key>; None if absent."""
    tag = soup.find("meta", property=key) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(soup):
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def alternates(soup):
    return {
        link["hreflang"]: link["href"]
        for link in soup.find_all("link", rel="alternate", hreflang=True)
    }


# --- a post --------------------------------------------------------------------------------------


def test_description_is_the_intro_unless_a_search_description_is_set(client, post):
    soup = get_soup(client, path_of(post))
    assert len(soup.find_all("meta", attrs={"name": "description"})) == 1
    assert meta(soup, "description") == post.intro
    assert meta(soup, "og:description") == post.intro

    post.search_description = "Coopératives d'habitants en Bretagne : retours d'expérience."
    post.save()
    soup = get_soup(client, path_of(post))
    assert meta(soup, "description") == post.search_description
    assert meta(soup, "twitter:description") == post.search_description


def test_canonical_is_the_full_address_on_the_posts_own_site(client, post, occitanie_site):
    soup = get_soup(client, path_of(post))
    canonical = soup.find_all("link", rel="canonical")
    assert [link["href"] for link in canonical] == [f"http://{BRETAGNE}{path_of(post)}"]
    assert meta(soup, "og:url") == canonical[0]["href"]

    elsewhere = make_post(blog_of(occitanie_site), "Toulouse", authors=[])
    soup = get_soup(client, path_of(elsewhere), host=OCCITANIE)
    assert soup.find("link", rel="canonical")["href"] == f"http://{OCCITANIE}{path_of(elsewhere)}"


def test_open_graph(client, post):
    soup = get_soup(client, path_of(post))
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == "Habiter autrement"
    assert meta(soup, "og:site_name") == "Maillage Bretagne"
    assert meta(soup, "og:locale") == "fr_FR"
    assert meta(soup, "article:published_time") == "2026-11-27"
    assert meta(soup, "article:tag") == "habitat"
    image = urlsplit(meta(soup, "og:image"))
    assert (image.scheme, image.netloc) == ("http", BRETAGNE)
    assert image.path.startswith("/media/images/") and "fill-1200x630" in image.path
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt") == "Une charpente en bois"


def test_open_graph_uses_the_seo_title_and_the_sites_name(client, post):
    SiteSettings.objects.filter(site__hostname=BRETAGNE).update(name="Réseau breton")
    post.seo_title = "Habitat participatif : trois coopératives"
    post.save()
    soup = get_soup(client, path_of(post))
    assert meta(soup, "og:title") == meta(soup, "twitter:title") == post.seo_title
    assert meta(soup, "og:site_name") == "Réseau breton"
    assert json_ld(soup)["publisher"]["name"] == "Réseau breton"


def test_twitter_card(client, post, bretagne_site, authors):
    soup = get_soup(client, path_of(post))
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:image") == meta(soup, "og:image")
    assert meta(soup, "twitter:image:alt") == "Une charpente en bois"

    plain = make_post(blog_of(bretagne_site), "Sans image", authors=authors)
    soup = get_soup(client, path_of(plain))
    assert meta(soup, "twitter:card") == "summary"
    assert meta(soup, "og:image") is None and meta(soup, "twitter:image") is None


def test_json_ld_blog_posting(client, post):
    soup = get_soup(client, path_of(post))
    data = json_ld(soup)
    url = f"http://{BRETAGNE}{path_of(post)}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Habiter autrement"
    assert data["datePublished"] == "2026-11-27"
    assert data["dateModified"].startswith("2026-11-27T12:00:00")
    assert [author["name"] for author in data["author"]] == ["Anne Le Goff", "Yann Kervella"]
    assert data["inLanguage"] == "fr"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["publisher"] == {"@type": "Organization", "name": "Maillage Bretagne"}
    assert data["image"] == [meta(soup, "og:image")]
    assert data["description"] == post.intro


def test_json_ld_cannot_be_broken_out_of(client, bretagne_site, authors):
    title = '</script><script>alert("x")</script><!-- & "quotes"'
    post = make_post(blog_of(bretagne_site), title, authors=authors, slug="evasion")
    response = client.get(path_of(post), HTTP_HOST=BRETAGNE)
    html = response.content.decode()
    assert '<script>alert("x")' not in html
    assert html.count("<script") == html.count("</script>") == 1
    assert json_ld(BeautifulSoup(html, "html.parser"))["headline"] == title


def test_a_page_in_one_language_has_no_alternates(client, post):
    assert alternates(get_soup(client, path_of(post))) == {}
    assert alternates(get_soup(client, "/")) == {}


# --- hreflang on every page type -----------------------------------------------------------------


def translate(page, locale, title):
    translation = page.specific.copy_for_translation(locale)
    translation.title = title
    translation.save_revision().publish()
    return translation


def test_home_and_standard_pages_list_their_live_translations(client, bretagne_site, english):
    home = bretagne_site.root_page
    translate(home, english, "Maillage Brittany")
    expected = {
        "fr": f"http://{BRETAGNE}/",
        "en": f"http://{BRETAGNE}/en/",
        "x-default": f"http://{BRETAGNE}/",
    }
    assert alternates(get_soup(client, "/")) == expected
    assert alternates(get_soup(client, "/en/")) == expected

    privacy = SiteSettings.for_site(bretagne_site).privacy_page
    # made with the translated home (sites.factory.translate_default_pages)
    english_privacy = privacy.get_translation(english)
    soup = get_soup(client, path_of(english_privacy))
    assert alternates(soup) == {
        "fr": privacy.full_url,
        "en": english_privacy.full_url,
        "x-default": privacy.full_url,
    }
    assert urlsplit(english_privacy.full_url).path.startswith("/en/")


def test_a_draft_translation_is_not_an_alternate(client, bretagne_site, english):
    draft = bretagne_site.root_page.specific.copy_for_translation(english)
    assert not draft.live
    assert alternates(get_soup(client, "/")) == {}


def test_another_sites_translations_do_not_leak(client, network, english):
    translate(network["occitanie"].root_page, english, "Maillage Occitania")
    assert alternates(get_soup(client, "/")) == {}
    assert set(alternates(get_soup(client, "/", host=OCCITANIE))) == {"fr", "en", "x-default"}
