"""Each site's search page: scoped to the site and the posts shared with it, the whole network from
the head site (faceted by site), highlighted excerpts, pagination, and no 500 whatever the input."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from blog.choices import ShareScope
from blog.models import HiddenSharedPost
from search import site_search as search
from sites.models import SiteSettings, StandardPage
from tests.support.blog import blog_of, make_post, share

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
HEAD = "localhost"


def make_page(parent, title, intro="", body=None, live=True, locale=None, slug=None):
    """A StandardPage under `parent` (a site's home page), live unless live=False."""
    page = StandardPage(
        title=title,
        slug=slug or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50] or "page",
        intro=intro,
        live=live,
        has_unpublished_changes=not live,
        locale=locale or parent.locale,
    )
    if body is not None:
        page.body = body
    parent.add_child(instance=page)
    return page


def home(site):
    return site.root_page.specific


def get(client, host, path="/search/", **params):
    response = client.get(path, params, HTTP_HOST=host)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def result_titles(html):
    """The titles of the results shown, tags (marks) removed."""
    titles = re.findall(r'<h2 class="search-result__title"><a href="[^"]*">(.*?)</a></h2>', html)
    return [re.sub(r"</?mark>", "", title) for title in titles]


def result_links(html):
    return re.findall(r'<h2 class="search-result__title"><a href="([^"]*)">', html)


# --- what a site's search covers ------------------------------------------------------------------


def test_a_site_search_finds_its_own_pages_only(client, network):
    make_page(home(network["bretagne"]), "Ressourcerie de Rennes", intro="Réemploi et ateliers.")
    make_page(home(network["occitanie"]), "Ressourcerie de Toulouse", intro="Réemploi.")

    html = get(client, BRETAGNE, q="ressourcerie")
    assert result_titles(html) == ["Ressourcerie de Rennes"]
    assert "Toulouse" not in html

    html = get(client, OCCITANIE, q="ressourcerie")
    assert result_titles(html) == ["Ressourcerie de Toulouse"]
    assert "Rennes" not in html


def test_every_page_type_is_searched(client, network):
    blog = blog_of(network["bretagne"])
    make_post(blog, "Permaculture au jardin partagé")
    make_page(home(network["bretagne"]), "Permaculture : nos chantiers")

    titles = result_titles(get(client, BRETAGNE, q="permaculture"))
    assert sorted(titles) == ["Permaculture : nos chantiers", "Permaculture au jardin partagé"]
    # and the body's text is searched too, not only titles
    titles = result_titles(get(client, BRETAGNE, q="Politique"))
    assert "Politique de confidentialité" in titles


def test_draft_and_private_pages_are_not_found(client, network):
    make_page(home(network["bretagne"]), "Brouillon sur la méthanisation", live=False)
    private = make_page(home(network["bretagne"]), "Compte rendu méthanisation")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    make_page(home(network["bretagne"]), "Méthanisation à la ferme")

    assert result_titles(get(client, BRETAGNE, q="méthanisation")) == ["Méthanisation à la ferme"]


def test_posts_shared_with_the_site_are_found_there(client, network):
    occitanie_blog = blog_of(network["occitanie"])
    shared = make_post(occitanie_blog, "Monnaie locale partagée", slug="monnaie-partagee")
    share(shared, network["bretagne"])
    make_post(occitanie_blog, "Monnaie locale occitane")  # not shared
    everywhere = make_post(occitanie_blog, "Monnaie locale hors réseau", slug="monnaie-hors")
    share(everywhere, scope=ShareScope.ALL)
    HiddenSharedPost.objects.create(post=everywhere, site=network["bretagne"])  # hidden here

    html = get(client, BRETAGNE, q="monnaie")
    assert result_titles(html) == ["Monnaie locale partagée"]
    # served by Bretagne's blog, in its branding, and marked with its origin
    assert result_links(html) == ["/blog/monnaie-partagee/"]
    assert "Article de Maillage Occitanie" in html
    assert client.get("/blog/monnaie-partagee/", HTTP_HOST=BRETAGNE).status_code == 200

    # the origin finds its own posts, shared or not, at their own address
    html = get(client, OCCITANIE, q="monnaie")
    assert len(result_titles(html)) == 3
    assert "Maillage Occitanie</p>" not in html


def test_the_search_covers_the_tree_of_the_current_language(client, network, english):
    bretagne_home = home(network["bretagne"])
    translation = bretagne_home.copy_for_translation(english)
    translation.title = "Maillage Brittany"
    translation.save_revision().publish()
    make_page(bretagne_home, "Compostage collectif")
    make_page(translation, "Collective composting (compostage)", locale=english)

    assert result_titles(get(client, BRETAGNE, q="compostage")) == ["Compostage collectif"]
    html = get(client, BRETAGNE, "/en/search/", q="compostage")
    assert '<html lang="en">' in html
    assert result_titles(html) == ["Collective composting (compostage)"]
    assert result_links(html) == ["/en/collective-composting-compostage/"]


def test_a_site_without_a_translation_finds_nothing_in_that_language(client, network, english):
    make_page(home(network["bretagne"]), "Compostage collectif")
    html = get(client, BRETAGNE, "/en/search/", q="compostage")
    assert result_titles(html) == []
    assert "No results for “compostage”." in html
    html = get(client, HEAD, "/en/search/", q="compostage", scope="network")
    assert result_titles(html) == [] and "No results for “compostage”." in html


# --- the whole network, from the head site --------------------------------------------------------


@pytest.fixture
def tiers_lieux(network):
    make_page(home(network["head"]), "Tiers-lieux : le guide du réseau")
    make_page(home(network["bretagne"]), "Tiers-lieux en Bretagne")
    make_page(home(network["bretagne"]), "Carte des tiers-lieux bretons")
    make_page(home(network["occitanie"]), "Tiers-lieux en Occitanie")
    return network


def facets(html):
    """[(name, count, is_current)] of the facet list."""
    return [
        (name, int(count), bool(current))
        for current, name, count in re.findall(
            r'<li><a href="[^"]*"( aria-current="true")?>([^<]+)</a> '
            r'<span class="search-facets__count">\((\d+)\)</span></li>',
            html,
        )
    ]


def test_the_head_site_searches_the_whole_network_with_facets(client, tiers_lieux):
    network = tiers_lieux
    html = get(client, HEAD, q="tiers-lieux", scope="network")
    assert sorted(result_titles(html)) == [
        "Carte des tiers-lieux bretons",
        "Tiers-lieux : le guide du réseau",
        "Tiers-lieux en Bretagne",
        "Tiers-lieux en Occitanie",
    ]
    found = facets(html)
    assert found[0][1:] == (4, True)  # every site, chosen
    assert found[1:] == [
        ("Maillage Bretagne", 2, False),
        ("Maillage Occitanie", 1, False),
        ("Réseau Maillage", 1, False),
    ]
    bretagne_id = network["bretagne"].pk
    assert f'href="?q=tiers-lieux&amp;scope=network&amp;site={bretagne_id}"' in html
    # each result says which site it belongs to, and links to it there
    assert '<p class="search-result__site">Maillage Occitanie</p>' in html
    assert "http://occitanie.localhost/tiers-lieux-en-occitanie/" in result_links(html)

    html = get(client, HEAD, q="tiers-lieux", scope="network", site=bretagne_id)
    assert sorted(result_titles(html)) == [
        "Carte des tiers-lieux bretons",
        "Tiers-lieux en Bretagne",
    ]
    # the facets still offer the other sites, and show the one chosen
    assert facets(html)[1] == ("Maillage Bretagne", 2, True)
    assert len(facets(html)) == 4
    assert "on Maillage Bretagne" in html or "sur Maillage Bretagne" in html


def test_the_head_site_searches_itself_by_default(client, tiers_lieux):
    html = get(client, HEAD, q="tiers-lieux")
    assert result_titles(html) == ["Tiers-lieux : le guide du réseau"]
    assert 'class="search-facets"' not in html
    assert 'name="scope" value="network"' in html  # the choice is offered


def test_network_scope_is_ignored_on_other_sites(client, tiers_lieux):
    html = get(client, BRETAGNE, q="tiers-lieux", scope="network")
    assert sorted(result_titles(html)) == [
        "Carte des tiers-lieux bretons",
        "Tiers-lieux en Bretagne",
    ]
    assert 'class="search-facets"' not in html
    assert 'name="scope"' not in html
    assert "scope=network" not in html


def test_an_unknown_site_in_the_network_search_means_every_site(client, tiers_lieux):
    for site in ("999999", "abc", "-1", "9" * 50, ""):
        html = get(client, HEAD, q="tiers-lieux", scope="network", site=site)
        assert len(result_titles(html)) == 4, site
        assert "site=" + site not in html or not site


# --- excerpts -------------------------------------------------------------------------------------


def test_titles_and_excerpts_are_escaped_and_marked(client, network):
    make_page(
        home(network["bretagne"]),
        "<script>alert('vélo')</script> Atelier vélo",
        intro="Réparer son <b>vélo</b> & apprendre : l'atelier <img src=x onerror=alert(1)>.",
        slug="atelier-velo",
    )
    html = get(client, BRETAGNE, q="vélo")
    main = html[html.index("<main") :]
    assert "<script>alert" not in main and "<img src=x" not in main and "<b>" not in main
    title = "&lt;script&gt;alert(&#x27;<mark>vélo</mark>&#x27;)&lt;/script&gt; Atelier"
    assert f"{title} <mark>vélo</mark>" in main
    assert "Réparer son &lt;b&gt;<mark>vélo</mark>&lt;/b&gt; &amp; apprendre" in main


def test_the_excerpt_is_taken_around_the_first_match_in_the_body(client, network):
    before = " ".join(["Lorem ipsum dolor sit amet."] * 20)
    body = [("paragraph", f"<p>{before}</p><p>La <i>recyclerie</i> ouvre le samedi.</p>")]
    make_page(home(network["bretagne"]), "Nos horaires", intro="Quand venir.", body=body)

    html = get(client, BRETAGNE, q="recyclerie")
    (excerpt,) = re.findall(r'<p class="search-result__excerpt">(.*?)</p>', html)
    assert excerpt.startswith("… ")
    assert "La <mark>recyclerie</mark> ouvre le samedi." in excerpt
    assert len(re.sub(r"</?mark>", "", excerpt)) <= search.EXCERPT_LENGTH + 4


def test_highlight_escapes_first_and_never_marks_inside_an_entity():
    assert search.highlight("a & b < amp", ["amp"]) == "a &amp; b &lt; <mark>amp</mark>"
    assert (
        search.highlight("<mark>x</mark>", ["mark"])
        == "&lt;<mark>mark</mark>&gt;x&lt;/<mark>mark</mark>&gt;"
    )
    assert search.highlight("Économie sociale", ["economie"]) == "<mark>Économie</mark> sociale"
    assert search.highlight("Coopératives", ["coopérative"]) == "<mark>Coopératives</mark>"
    assert search.highlight("l'eau", ["l", "eau"]) == "l&#x27;<mark>eau</mark>"


def test_excerpt_falls_back_to_the_first_text():
    texts = ["", "Une introduction qui ne contient pas le mot.", "Un corps."]
    assert search.excerpt(texts, ["absent"]) == "Une introduction qui ne contient pas le mot."
    assert search.excerpt(["", "", ""], ["absent"]) == ""


def test_page_texts_read_blocks_without_loading_choosers(network, django_assert_num_queries):
    raw = [
        ("heading", {"text": "Un titre", "level": "h2"}),
        ("paragraph", "<p>Un <b>paragraphe</b> &amp; du texte.</p>"),
        ("quote", {"text": "Une citation", "source": "Quelqu'un"}),
        ("call_to_action", {"text": "Venez", "page": network["bretagne"].root_page_id, "url": ""}),
        ("image", {"image": 999, "alt_text": "Un atelier", "caption": ""}),
    ]
    body = json.dumps([{"type": name, "value": value} for name, value in raw])
    page = make_page(home(network["bretagne"]), "Blocs", intro="Intro", body=body)
    page = StandardPage.objects.get(pk=page.pk)
    with django_assert_num_queries(0):
        texts = search.page_texts(page)
    assert texts == [
        "",
        "Intro",
        "Un titre Un paragraphe & du texte. Une citation Quelqu'un Venez Un atelier",
    ]


# --- pagination, empty and no-result states -------------------------------------------------------


def test_results_are_paginated_and_keep_the_query(client, network):
    for number in range(23):
        make_page(home(network["bretagne"]), f"Jardin partagé numéro {number}")

    first = get(client, BRETAGNE, q="jardin partagé")
    assert len(result_titles(first)) == 10
    assert "23 results for “jardin partagé”" in first or "23 résultats" in first
    assert '<nav class="pagination" aria-label="' in first
    assert 'href="?q=jardin+partag%C3%A9&amp;page=2" rel="next"' in first
    assert 'href="?q=jardin+partag%C3%A9&amp;page=3"' in first
    assert re.search(r'aria-current="page"><span class="visually-hidden">[^<]+</span>1</a>', first)

    last = get(client, BRETAGNE, q="jardin partagé", page="3")
    assert len(result_titles(last)) == 3
    assert 'start="21"' in last
    assert 'rel="next"' not in last
    assert 'href="?q=jardin+partag%C3%A9&amp;page=2" rel="prev"' in last

    seen = set()
    for page in ("1", "2", "3"):
        seen |= set(result_titles(get(client, BRETAGNE, q="jardin partagé", page=page)))
    assert len(seen) == 23

    # out of range: the last page; not a number: the first
    assert result_titles(get(client, BRETAGNE, q="jardin partagé", page="999")) == result_titles(
        last
    )
    assert len(result_titles(get(client, BRETAGNE, q="jardin partagé", page="abc"))) == 10


def test_network_pagination_keeps_scope_and_site(client, network):
    for number in range(12):
        make_page(home(network["occitanie"]), f"Épicerie solidaire {number}")
    site_id = network["occitanie"].pk
    html = get(client, HEAD, q="épicerie", scope="network", site=site_id)
    assert f'href="?q=%C3%A9picerie&amp;scope=network&amp;site={site_id}&amp;page=2"' in html


def test_without_a_query_the_page_offers_a_form(client, network):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "\x00"}):
        html = get(client, BRETAGNE, **params)
        main = html[html.index("<main") :]
        assert re.search(r'<form class="search-form" role="search" action="/search/"', main)
        assert '<label for="search-query">' in main and 'id="search-query" name="q"' in main
        assert '<button type="submit">' in main
        assert "search-results" not in main and "No results" not in main


def test_no_result_state(client, network):
    html = get(client, BRETAGNE, q="xylophone")
    assert "No results for “xylophone”." in html or "Aucun résultat" in html
    assert 'value="xylophone"' in html
    assert "search-results__list" not in html


def test_no_result_on_the_head_site_offers_the_network(client, network):
    make_page(home(network["bretagne"]), "Xylophone solidaire")
    html = get(client, HEAD, q="xylophone")
    assert 'href="?q=xylophone&amp;scope=network"' in html


def test_the_search_page_wears_the_site_branding(client, network):
    settings = SiteSettings.for_site(network["bretagne"])
    settings.primary_colour = "#0b6e4f"
    settings.save()
    html = get(client, BRETAGNE, q="quoi")
    assert "--color-primary: #0b6e4f" in html
    assert '<span class="site-name__text">Maillage Bretagne</span>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_every_page_has_a_search_form_in_its_header(client, network, english):
    html = client.get("/", HTTP_HOST=BRETAGNE).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert re.search(
        r'<form class="site-search" role="search" action="/search/" method="get">', header
    )
    assert '<label for="site-search-query" class="visually-hidden">' in header
    assert '<input type="search" id="site-search-query" name="q"' in header

    translation = home(network["bretagne"]).copy_for_translation(english)
    translation.save_revision().publish()
    html = client.get("/en/", HTTP_HOST=BRETAGNE).content.decode()
    assert 'action="/en/search/"' in html

    # not on the search page itself: one search form there, not two
    html = get(client, BRETAGNE, q="atelier")
    assert html.count('role="search"') == 1 and 'class="site-search"' not in html


# --- hostile input --------------------------------------------------------------------------------

HOSTILE_QUERIES = [
    "",
    " \t\n ",
    "a" * 10_000,
    "mot " * 3_000,
    "abc\x00def",
    "\x00",
    "'",
    '"',
    '"unbalanced',
    "a'b\"c",
    "''; DROP TABLE wagtailcore_page; --",
    "a & b",
    "a | b",
    "!a",
    "!",
    "a:*",
    ":*",
    "(a",
    "a)",
    "()",
    "\\",
    "a\\b\\",
    "a <-> b",
    "NEAR(a b)",
    "AND OR NOT",
    "title:x",
    "*",
    "^a",
    "-a",
    "{a}",
    "%",
    "_",
    "__",
    "é" * 300,
    "日本語のテキスト",
    "🙂🙂",
    "e\u0301",
    "\u0301",
    "\ufeff\u200b\u202e",
    "<script>alert(1)</script>",
    "%00",
    "%",
]
HOSTILE_PAGES = ["", "0", "-1", "abc", "1.5", "9" * 5_000, "\x00", "2"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_no_query_ever_fails(client, network, query):
    make_page(home(network["bretagne"]), "Atelier abc d'autoréparation")
    make_page(home(network["occitanie"]), "Atelier abc d'Occitanie")
    for host in (BRETAGNE, HEAD):
        for params in (
            {"q": query},
            {"q": query, "scope": "network"},
            {"q": query, "scope": "network", "site": "abc"},
            {"q": query, "scope": "\x00' OR 1=1"},
        ):
            response = client.get("/search/", params, HTTP_HOST=host)
            assert response.status_code == 200, (host, params)
            html = response.content.decode()
            value = re.search(r'id="search-query" name="q" value="([^"]*)"', html).group(1)
            assert len(value) <= 6 * search.MAX_QUERY_LENGTH  # escaped, at most 200 characters
            assert "\x00" not in html


@pytest.mark.parametrize("page", HOSTILE_PAGES)
def test_no_page_number_ever_fails(client, network, page):
    make_page(home(network["bretagne"]), "Atelier abc")
    for host, scope in ((BRETAGNE, ""), (HEAD, "network")):
        for query in ("abc", "", "zzz"):
            response = client.get(
                "/search/", {"q": query, "page": page, "scope": scope}, HTTP_HOST=host
            )
            assert response.status_code == 200, (host, query, page)


def test_only_words_reach_the_backend():
    assert search.query_terms('a & b | !c :* (d) \\e\' "f"') == ["a", "b", "c", "d", "e", "f"]
    assert search.query_terms("l'économie SOCIALE et sociale") == ["l", "économie", "SOCIALE", "et"]
    assert search.query_terms("__ -- ** 🙂") == []
    assert len(search.query_terms(" ".join(f"w{n}" for n in range(50)))) == search.MAX_TERMS
    assert search.clean_query("  a\x00b \n c ") == "ab c"
    assert len(search.clean_query("x" * 10_000)) == search.MAX_QUERY_LENGTH
    assert search.clean_query("e\u0301") == "é"


def test_a_long_query_is_truncated(client, network):
    html = get(client, BRETAGNE, q="a" * 10_000)
    assert f'value="{"a" * search.MAX_QUERY_LENGTH}"' in html


# --- performance ----------------------------------------------------------------------------------

# A results page of the site search: 15. 1 routes the request (Site), 1 reads its profile (kind),
# 1 the site's home page in the language, 1 the view restrictions (public()), 1 counts, 1 reads the
# results' ids and types, 1 per page type shown (2 here: standard pages and posts), 1 the shared
# posts' origin names, 1 the blog serving them here, 1 the site settings; the header and footer, as
# on every page: 4 (the menu and the policy links look the active Locale up each time).
SITE_SEARCH_QUERY_BUDGET = 15
# The network: the same, with every site's home page in the language (which gives the results'
# site names) and the facets (one query, whatever the number of sites) instead of the shared posts'
# origins and blog: 14.
NETWORK_SEARCH_QUERY_BUDGET = 14


def count_queries(client, host, params, budget, assert_max_num_queries):
    client.get("/search/", params, HTTP_HOST=host)  # caches filled once, as in production
    with assert_max_num_queries(budget), CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", params, HTTP_HOST=host)
    assert response.status_code == 200
    return len(queries), len(result_titles(response.content.decode()))


def add_matches(network, count, start):
    """`count` pages matching "vannerie" on Bretagne: standard pages, own posts and posts shared
    by Occitanie, in turn."""
    bretagne_blog, occitanie_blog = blog_of(network["bretagne"]), blog_of(network["occitanie"])
    for number in range(start, start + count):
        kind = number % 3
        if kind == 0:
            make_page(home(network["bretagne"]), f"Vannerie {number}")
        elif kind == 1:
            make_post(bretagne_blog, f"Vannerie, billet {number}")
        else:
            post = make_post(occitanie_blog, f"Vannerie partagée {number}")
            share(post, scope=ShareScope.ALL)


def test_search_queries_do_not_grow_with_the_number_of_results(
    client, network, django_assert_max_num_queries
):
    add_matches(network, 3, start=0)
    site_3 = count_queries(
        client, BRETAGNE, {"q": "vannerie"}, SITE_SEARCH_QUERY_BUDGET, django_assert_max_num_queries
    )
    params = {"q": "vannerie", "scope": "network"}
    network_3 = count_queries(
        client, HEAD, params, NETWORK_SEARCH_QUERY_BUDGET, django_assert_max_num_queries
    )

    add_matches(network, 9, start=3)
    site_10 = count_queries(
        client, BRETAGNE, {"q": "vannerie"}, SITE_SEARCH_QUERY_BUDGET, django_assert_max_num_queries
    )
    network_10 = count_queries(
        client, HEAD, params, NETWORK_SEARCH_QUERY_BUDGET, django_assert_max_num_queries
    )

    assert site_3[1] == 3 and site_10[1] == 10 and network_3[1] == 3 and network_10[1] == 10
    assert site_3[0] == site_10[0], (site_3, site_10)
    assert network_3[0] == network_10[0], (network_3, network_10)
