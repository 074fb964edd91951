"""The network news on the head site: the latest posts of every site, linking to their origin,
filtered by site, kind of site and category, paginated, with RSS and Atom feeds that keep the
filters, in a fixed number of queries whatever the number of sites.

French is the default language and English msgids show as they are until the lead translates
them: on French pages these tests check structure and values, not wording.
"""

import datetime
import itertools
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import feedparser
import pytest
from bs4 import BeautifulSoup

from blog.models import BlogIndexPage, NetworkNewsPage
from hub.demo.blog import seed_network_news
from sites import lifecycle
from sites.factory import SiteRequest, create_site
from sites.models import HomePage
from tests.support.blog import (
    blog_of,
    make_author,
    make_category,
    make_image,
    make_post,
    translate_blog,
    translate_snippet,
)

HEAD = "localhost"
NEWS = "/actualites/"
FEEDS = ["rss", "atom"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def emploi_site(network):
    """A thematic site, so that the three kinds are in the network (launched: a draft is in
    none of the network news)."""
    site = create_site(
        SiteRequest(
            name="Maillage Emploi", hostname="emploi.localhost", kind="thematic", theme="Emploi"
        )
    )
    lifecycle.launch(site)
    return site


@pytest.fixture
def news(head_site):
    """The network news, created as an editor would: under the head site's home page."""
    page = NetworkNewsPage(title="Actualités du réseau", slug="actualites", intro="Tout le réseau.")
    head_site.root_page.add_child(instance=page)
    return page


@pytest.fixture
def housing(db):
    return make_category("Logement", description="Habiter autrement.")


@pytest.fixture
def culture(db, english, french):
    """A category written in English first and translated into French: French posts use the
    English original, the French page offers the French translation's slug."""
    original = make_category("Culture", slug="culture", locale=english)
    translate_snippet(original, french, name="Culture (fr)", slug="culture-fr")
    return original


@pytest.fixture
def anne(db):
    return make_author("Anne Le Goff")


@pytest.fixture
def posts(network, emploi_site, housing, culture, anne):
    """One post a day from 1 March 2026, in the order: Bretagne housing, Occitanie culture, head,
    Emploi housing and culture, Bretagne without category."""
    day = itertools.count(1)

    def post(site, title, **fields):
        return make_post(blog_of(site), title, date=datetime.date(2026, 3, next(day)), **fields)

    return {
        "bretagne": post(
            network["bretagne"], "Bretagne logement", categories=[housing], authors=[anne]
        ),
        "occitanie": post(network["occitanie"], "Occitanie culture", categories=[culture]),
        "head": post(network["head"], "Tête de réseau"),
        "emploi": post(emploi_site, "Emploi mixte", categories=[housing, culture]),
        "bretagne_2": post(network["bretagne"], "Bretagne sans catégorie"),
    }


def get(client, path, host=HEAD, status=200):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == status, (path, response.status_code)
    return response


def soup(client, path, host=HEAD):
    return BeautifulSoup(get(client, path, host).content.decode(), "html.parser")


def cards(page):
    return page.select(".post-list .post-card")


def titles(page):
    return [card.select_one(".post-card__title a").get_text() for card in cards(page)]


# --- the page ----------------------------------------------------------------------------------


def test_the_page_type_lives_under_a_home_page_once(news, head_site, bretagne_site):
    assert NetworkNewsPage.parent_page_types == ["maillage_sites.HomePage"]
    assert not NetworkNewsPage.can_create_at(head_site.root_page.specific)  # one per home page
    assert NetworkNewsPage.can_create_at(bretagne_site.root_page.specific)
    assert not NetworkNewsPage.can_create_at(blog_of(head_site))
    assert isinstance(news.get_parent().specific, HomePage)
    assert news.full_url == "http://localhost/actualites/"


def test_lists_the_posts_of_every_site_newest_first_with_their_origin(client, news, posts):
    page = soup(client, NEWS)
    assert page.html["lang"] == "fr"
    assert page.h1.get_text() == "Actualités du réseau"
    assert titles(page) == [
        "Bretagne sans catégorie",
        "Emploi mixte",
        "Tête de réseau",
        "Occitanie culture",
        "Bretagne logement",
    ]
    by_title = {card.select_one(".post-card__title a").get_text(): card for card in cards(page)}
    origins = {
        "Bretagne logement": ("Maillage Bretagne", "http://bretagne.localhost/blog/"),
        "Occitanie culture": ("Maillage Occitanie", "http://occitanie.localhost/blog/"),
        "Tête de réseau": ("Réseau Maillage", "http://localhost/blog/"),
        "Emploi mixte": ("Maillage Emploi", "http://emploi.localhost/blog/"),
    }
    for title, (site_name, blog_url) in origins.items():
        card = by_title[title]
        assert site_name in card.select_one(".post-card__origin").get_text()
        assert card.select_one(".post-card__title a")["href"].startswith(blog_url)
    # each link is the post's absolute address on its origin site
    post = posts["bretagne"]
    card = by_title["Bretagne logement"]
    assert card.select_one(".post-card__title a")["href"] == post.get_full_url()
    assert card.select_one("time")["datetime"] == "2026-03-01"
    assert card.select_one(".post-card__intro").get_text() == "About Bretagne logement."
    assert "Anne Le Goff" in card.select_one(".post-card__authors").get_text()
    # categories in the page's language, each filtering the network news
    assert [(a.get_text(), a["href"]) for a in card.select(".post-card__categories a")] == [
        ("Logement", "/actualites/?category=logement")
    ]
    culture_links = by_title["Occitanie culture"].select(".post-card__categories a")
    assert [(a.get_text(), a["href"]) for a in culture_links] == [
        ("Culture (fr)", "/actualites/?category=culture-fr")
    ]
    assert get(client, "/actualites/?category=culture-fr").status_code == 200


def test_the_filter_form_works_without_javascript(client, news, posts, bretagne_site):
    page = soup(client, NEWS)
    form = page.select_one("form.news-filters")
    assert form["method"] == "get"
    assert form["action"] == NEWS
    assert form.select_one("button[type=submit]") is not None
    assert not form.find("script") and not page.select("script")
    selects = form.select("select")
    assert [select["name"] for select in selects] == ["site", "kind", "category"]
    for select in selects:  # every field has its label
        assert form.select_one(f"label[for='{select['id']}']").get_text().strip()
    sites = [(o["value"], o.get_text()) for o in form.select("select[name=site] option")]
    assert sites[0][0] == ""  # "all sites" first, then the sites by name
    assert [name for _value, name in sites[1:]] == [
        "Maillage Bretagne",
        "Maillage Emploi",
        "Maillage Occitanie",
        "Réseau Maillage",
    ]
    kinds = [o["value"] for o in form.select("select[name=kind] option")]
    assert kinds == ["", "head", "regional", "thematic"]
    categories = [(o["value"], o.get_text()) for o in form.select("select[name=category] option")]
    assert categories[1:] == [("culture-fr", "Culture (fr)"), ("logement", "Logement")]
    # no filter: no "clear" link
    assert form.select_one(".news-filters__actions a") is None

    filtered = soup(client, f"{NEWS}?site={bretagne_site.pk}&kind=regional")
    form = filtered.select_one("form.news-filters")
    assert form.select_one("select[name=site] option[selected]")["value"] == str(bretagne_site.pk)
    assert form.select_one("select[name=kind] option[selected]")["value"] == "regional"
    assert form.select_one(".news-filters__actions a")["href"] == NEWS


# --- filters -----------------------------------------------------------------------------------


def test_filter_by_site(client, news, posts, bretagne_site, emploi_site):
    assert titles(soup(client, f"{NEWS}?site={bretagne_site.pk}")) == [
        "Bretagne sans catégorie",
        "Bretagne logement",
    ]
    assert titles(soup(client, f"{NEWS}?site={emploi_site.pk}")) == ["Emploi mixte"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("regional", ["Bretagne sans catégorie", "Occitanie culture", "Bretagne logement"]),
        ("thematic", ["Emploi mixte"]),
        ("head", ["Tête de réseau"]),
    ],
)
def test_filter_by_kind(client, news, posts, kind, expected):
    assert titles(soup(client, f"{NEWS}?kind={kind}")) == expected


def test_filter_by_category_matches_translations(client, news, posts):
    assert titles(soup(client, f"{NEWS}?category=logement")) == [
        "Emploi mixte",
        "Bretagne logement",
    ]
    # the French translation's slug finds the posts that use the English original
    assert titles(soup(client, f"{NEWS}?category=culture-fr")) == [
        "Emploi mixte",
        "Occitanie culture",
    ]


def test_combined_filters(client, news, posts, bretagne_site, emploi_site):
    assert titles(soup(client, f"{NEWS}?kind=regional&category=logement")) == ["Bretagne logement"]
    assert titles(soup(client, f"{NEWS}?site={emploi_site.pk}&category=culture-fr")) == [
        "Emploi mixte"
    ]
    assert titles(soup(client, f"{NEWS}?site={bretagne_site.pk}&kind=regional")) == [
        "Bretagne sans catégorie",
        "Bretagne logement",
    ]
    # filters that contradict each other: the no-result state, with a way back
    page = soup(client, f"{NEWS}?site={bretagne_site.pk}&kind=thematic")
    assert cards(page) == []
    no_result = page.select_one(".news-no-result")
    assert no_result.a["href"] == NEWS
    assert page.select_one(".news-empty") is None


def test_empty_network_shows_the_empty_state(client, news):
    page = soup(client, NEWS)
    assert cards(page) == []
    assert page.select_one(".news-empty") is not None
    assert page.select_one(".news-no-result") is None
    assert page.select_one("nav.pagination") is None


@pytest.mark.parametrize(
    "query",
    [
        "site=abc",
        "site=999999",
        "site=1.5",
        "site=-1",
        "kind=national",
        "kind=Regional",
        "category=nope",
        "category=%F0%9F%90%9B",
        "category=logement&site=abc",
        "site=%00",
    ],
)
def test_invalid_filters_show_no_result(client, news, posts, query):
    page = soup(client, f"{NEWS}?{query}")
    assert cards(page) == []
    assert page.select_one(".news-no-result") is not None
    assert page.select_one("select[aria-invalid=true]") is not None  # the field says what is wrong
    for kind in FEEDS:
        assert read_feed(client, f"{NEWS}feed/{kind}/?{query}").entries == []


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=abc", 200),  # not a number: the first page, as on the blogs
        ("page=1.5", 200),
        ("page=2", 404),
        ("page=0", 404),
        ("page=-1", 404),
        ("page=99999999999999999999999", 404),
        ("site=abc&page=2", 404),
    ],
)
def test_odd_page_numbers_never_fail(client, news, posts, query, status):
    get(client, f"{NEWS}?{query}", status=status)


# --- pagination --------------------------------------------------------------------------------


@pytest.fixture
def many_posts(network, news, housing):
    """24 posts, alternately Bretagne and Occitanie, one a day; every third about housing."""
    sites = itertools.cycle([network["bretagne"], network["occitanie"]])
    return [
        make_post(
            blog_of(next(sites)),
            f"Article {day:02d}",
            date=datetime.date(2026, 1, day),
            categories=[housing] if day % 3 == 0 else [],
        )
        for day in range(1, 25)
    ]


def test_pagination_keeps_the_filters(client, many_posts, network):
    bretagne = network["bretagne"].pk
    path = f"{NEWS}?site={bretagne}&kind=regional"
    first = soup(client, path)
    assert len(cards(first)) == 10
    nav = first.select_one("nav.pagination")
    assert nav["aria-label"]
    next_href = nav.select_one("a[rel=next]")["href"]
    assert parse_qs(urlsplit(next_href).query) == {
        "site": [str(bretagne)],
        "kind": ["regional"],
        "page": ["2"],
    }
    assert nav.select_one("[aria-current=page]")["href"] == path

    second = soup(client, f"{NEWS}{next_href}")
    assert titles(second) == ["Article 03", "Article 01"]
    prev = second.select_one("nav.pagination a[rel=prev]")["href"]
    assert prev == path  # page 1 has one address
    links = [a["href"] for a in second.select("nav.pagination a") if a.get("rel") is None]
    assert all(f"site={bretagne}" in href for href in links)

    # the category filter alone: 8 posts, one page
    housing_page = soup(client, f"{NEWS}?category=logement")
    assert len(cards(housing_page)) == 8
    assert housing_page.select_one("nav.pagination") is None


def test_pages_of_all_the_news(client, many_posts):
    first = soup(client, NEWS)
    assert titles(first)[0] == "Article 24"
    assert first.select_one("nav.pagination a[rel=next]")["href"] == "?page=2"
    third = soup(client, f"{NEWS}?page=3")
    assert titles(third) == [f"Article {day:02d}" for day in range(4, 0, -1)]
    assert third.select_one("nav.pagination a[rel=prev]")["href"] == "?page=2"


# --- what is left out --------------------------------------------------------------------------


def test_drafts_and_private_posts_are_left_out(client, news, network):
    bretagne = blog_of(network["bretagne"])
    make_post(bretagne, "Publié")
    make_post(bretagne, "Brouillon", live=False)
    private = make_post(bretagne, "Réservé aux membres")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    occitanie = blog_of(network["occitanie"])
    make_post(occitanie, "Blog privé")
    PageViewRestriction.objects.create(page=occitanie, restriction_type="password", password="x")
    assert titles(soup(client, NEWS)) == ["Publié"]
    for kind in FEEDS:
        assert [e.title for e in read_feed(client, f"{NEWS}feed/{kind}/").entries] == ["Publié"]


def test_the_english_page_lists_english_posts(client, news, network, english, housing, anne):
    translate_snippet(housing, english, name="Housing", slug="housing")
    translate_snippet(anne, english, role="Coordinator")
    make_post(blog_of(network["bretagne"]), "Article en français", categories=[housing])
    translate_blog(network["head"], english)  # the head site's home page in English
    english_news = news.copy_for_translation(english)
    english_news.title = "Network news"
    english_news.save_revision().publish()
    english_blog = translate_blog(network["bretagne"], english)
    post = make_post(
        english_blog, "English article", categories=[housing], authors=[anne], slug="english"
    )

    page = soup(client, "/en/actualites/")
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Network news"
    assert titles(page) == ["English article"]
    card = cards(page)[0]
    assert card.select_one(".post-card__title a")["href"] == (
        "http://bretagne.localhost/en/blog/english/"
    )
    assert card.select_one(".post-card__title a")["href"] == post.get_full_url()
    assert card.select_one(".post-card__origin").get_text() == "From Maillage Bretagne"
    assert [(a.get_text(), a["href"]) for a in card.select(".post-card__categories a")] == [
        ("Housing", "/en/actualites/?category=housing")
    ]
    assert titles(soup(client, "/en/actualites/?category=housing")) == ["English article"]
    assert titles(soup(client, NEWS)) == ["Article en français"]
    feed = read_feed(client, "/en/actualites/feed/atom/")
    assert feed.feed.language == "en"
    assert [(e.title, e.link) for e in feed.entries] == [("English article", post.get_full_url())]
    assert [tag.term for tag in feed.entries[0].tags] == ["Housing"]


# --- feeds -------------------------------------------------------------------------------------


def read_feed(client, path, host=HEAD):
    response = get(client, path, host)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize(
    ("kind", "content_type", "version"),
    [("rss", "application/rss+xml", "rss20"), ("atom", "application/atom+xml", "atom10")],
)
def test_feeds_list_the_posts_of_every_site_with_their_origin_links(
    client, news, posts, kind, content_type, version
):
    response = get(client, f"{NEWS}feed/{kind}/")
    assert response["Content-Type"].startswith(content_type)
    feed = read_feed(client, f"{NEWS}feed/{kind}/")
    assert feed.version == version
    assert "Actualités du réseau" in feed.feed.title
    assert feed.feed.link == "http://localhost/actualites/"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [
        f"http://localhost/actualites/feed/{kind}/"
    ]
    assert [(entry.title, entry.link) for entry in feed.entries] == [
        (post.title, post.get_full_url())
        for post in [
            posts["bretagne_2"],
            posts["emploi"],
            posts["head"],
            posts["occitanie"],
            posts["bretagne"],
        ]
    ]
    hosts = {urlsplit(entry.link).netloc for entry in feed.entries}
    assert hosts == {"localhost", "bretagne.localhost", "occitanie.localhost", "emploi.localhost"}
    entry = feed.entries[-1]
    assert entry.summary == "About Bretagne logement."
    assert [author.name for author in entry.authors] == ["Anne Le Goff"]
    assert [tag.term for tag in entry.tags] == ["Logement"]


@pytest.mark.parametrize("kind", FEEDS)
def test_feeds_keep_the_filters(client, news, posts, kind, bretagne_site):
    feed = read_feed(client, f"{NEWS}feed/{kind}/?kind=regional&category=logement")
    assert [entry.title for entry in feed.entries] == ["Bretagne logement"]
    assert "Logement" in feed.feed.title and "Actualités du réseau" in feed.feed.title
    assert feed.feed.link == "http://localhost/actualites/?kind=regional&category=logement"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [
        f"http://localhost/actualites/feed/{kind}/?kind=regional&category=logement"
    ]
    by_site = read_feed(client, f"{NEWS}feed/{kind}/?site={bretagne_site.pk}")
    assert [entry.title for entry in by_site.entries] == [
        "Bretagne sans catégorie",
        "Bretagne logement",
    ]
    assert "Maillage Bretagne" in by_site.feed.title


@pytest.mark.parametrize("kind", FEEDS)
def test_feed_with_an_image(client, news, network, kind):
    make_post(blog_of(network["occitanie"]), "Illustré", hero=make_image("Photo"))
    entry = read_feed(client, f"{NEWS}feed/{kind}/").entries[0]
    assert entry.enclosures[0].href.startswith("http://localhost/media/images/")


def test_feeds_are_announced_in_the_head_with_the_filters(client, news, posts):
    head = soup(client, NEWS).head
    assert head.select_one("link[type='application/rss+xml']")["href"] == f"{NEWS}feed/rss/"
    assert head.select_one("link[type='application/atom+xml']")["href"] == f"{NEWS}feed/atom/"
    filtered = soup(client, f"{NEWS}?kind=thematic&category=logement")
    rss = filtered.head.select_one("link[rel=alternate][type='application/rss+xml']")
    assert rss["href"] == f"{NEWS}feed/rss/?kind=thematic&category=logement"
    assert "Logement" in rss["title"]
    aside = [a["href"] for a in filtered.select(".blog__aside a")]
    assert aside == [
        f"{NEWS}feed/rss/?kind=thematic&category=logement",
        f"{NEWS}feed/atom/?kind=thematic&category=logement",
    ]


# --- queries -----------------------------------------------------------------------------------

# The listing: 25 queries, with 3 sites as with 20 (measured, warm). 12 are the page's and
# base.html's own, as on the blogs (7 route the request, 1 the site settings, 2 the menu, 2 the
# language links); 13 the news': the sites with their kinds and every category (the filter form),
# the view restrictions, the count and the page of posts, the page's locale, 3 prefetches (post
# authors, authors, categories), 1 each to show categories and authors in the page's language, the
# hero images' renditions, the origins' site names (Site.get_site_root_paths() is cached).
LISTING_QUERY_BUDGET = 26
# A feed: 20 (the routing, the filter form's sites and categories, the site settings for its title
# and the same 10 for the posts).
FEED_QUERY_BUDGET = 21
PATHS = [
    (NEWS, LISTING_QUERY_BUDGET),
    (f"{NEWS}?kind=regional&category=logement", LISTING_QUERY_BUDGET),
    (f"{NEWS}?page=2", LISTING_QUERY_BUDGET),
    (f"{NEWS}feed/rss/", FEED_QUERY_BUDGET),
    (f"{NEWS}feed/atom/?category=culture-fr", FEED_QUERY_BUDGET),
]


def add_site_with_posts(number, housing, culture, author, image):
    site = create_site(
        SiteRequest(
            name=f"Maillage {number:02d}",
            hostname=f"site-{number:02d}.localhost",
            kind="thematic" if number % 2 else "regional",
            region=f"Région {number}",
            theme=f"Thème {number}",
        )
    )
    lifecycle.launch(site)
    add_posts(site, housing, culture, author, image)
    return site


def add_posts(site, housing, culture, author, image, count=2):
    for n in range(count):
        make_post(
            blog_of(site),
            f"{site.site_name} {n}",
            date=datetime.date(2026, 2, 1) + datetime.timedelta(days=n),
            categories=[housing, culture],
            authors=[author],
            hero=image,
        )


def measure(client, django_assert_max_num_queries):
    counts = {}
    for path, budget in PATHS:
        assert get(client, path).status_code == 200  # warm-up: caches and renditions
        with django_assert_max_num_queries(budget), CaptureQueriesContext(connection) as queries:
            get(client, path)
        counts[path] = len(queries)
    return counts


def test_queries_do_not_grow_with_the_number_of_sites_or_posts(
    client, network, news, housing, culture, english, django_assert_max_num_queries
):
    # An author and a category (culture) written in English first: the French page shows their
    # French translations, which costs its queries.
    english_anne = make_author("Anne EN", locale=english)
    translate_snippet(english_anne, network["head"].root_page.locale, name="Anne (traduite)")
    image = make_image("Partagée")
    for site in network.values():
        add_posts(site, housing, culture, english_anne, image, count=4)
    with_3_sites = measure(client, django_assert_max_num_queries)

    for number in range(17):
        add_site_with_posts(number, housing, culture, english_anne, image)
    with_20_sites = measure(client, django_assert_max_num_queries)

    assert with_3_sites == with_20_sites, (with_3_sites, with_20_sites)
    print("queries with 3 and 20 sites:", with_3_sites)  # noqa: T201 (shown with pytest -s)


# --- demo --------------------------------------------------------------------------------------


def test_seed_network_news_is_idempotent(client, head_site, english):
    translate_blog(head_site, english)  # the demo's head home page has an English translation
    changes = seed_network_news(head_site, english)
    assert [verb for verb, _what in changes] == ["created", "created"]
    news = NetworkNewsPage.objects.get(locale__language_code="fr")
    assert news.title == "Actualités du réseau" and news.live and news.show_in_menus
    assert news.get_parent().pk == head_site.root_page_id
    english_news = news.get_translation(english)
    assert english_news.title == "Network news" and english_news.live
    assert seed_network_news(head_site, english) == []
    assert NetworkNewsPage.objects.count() == 2

    menu = soup(client, "/").select_one("nav.site-nav")
    assert ("Actualités du réseau", "/actualites/") in [
        (a.get_text(), a["href"]) for a in menu.select("a")
    ]
    assert get(client, "/en/network-news/").status_code == 200
    assert not BlogIndexPage.objects.filter(slug="actualites").exists()
