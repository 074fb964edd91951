"""Local adaptation of shared posts (blog/adaptation.py): Bretagne gives an Occitanie post shared
with it its own title, introduction, image and notes in the admin; Bretagne's post page, cards,
feeds and search show them, Occitanie's and the head's pages do not; the body and later edits stay
the origin's, the canonical link still points to the origin; one click restores the origin's
version. Who may adapt what, and bad input, through HTTP.
"""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import feedparser
import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from blog.choices import ProposalStatus, ShareScope
from blog.models import BlogPostPage, LocalAdaptation, NetworkNewsPage, ShareProposal
from infra import page_cache
from sites import roles
from tests.blog.test_index_queries import FEED_QUERY_BUDGET, LISTING_QUERY_BUDGET
from tests.support.blog import blog_of, make_author, make_post
from tests.support.scoping_fixtures import *  # noqa: F403 (the people of each role)
from tests.support.scoping_fixtures import make_member

HEAD = "localhost"
BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
ORIGIN_TITLE = "Les tiers-lieux d'Occitanie"
ORIGIN_INTRO = "Un tour des tiers-lieux de la région."
LOCAL_TITLE = "Tiers-lieux : ce que la Bretagne en retient"
LOCAL_WORDS = "ce que la Bretagne en retient"  # the search marks "Tiers"
LOCAL_INTRO = "Ce que nos adhérents bretons peuvent en tirer."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def share(post, site):
    """Share the post with `site`, accepted there (blog.models.ShareProposal)."""
    post.shared_sites = [*post.shared_sites.all(), site]
    post.save()
    ShareProposal.objects.update_or_create(
        post=post, site=site, defaults={"status": ProposalStatus.ACCEPTED}
    )
    return post


@pytest.fixture
def occitanie_post(occitanie_site, bretagne_site):
    """An Occitanie post shared with Bretagne."""
    post = make_post(
        blog_of(occitanie_site),
        ORIGIN_TITLE,
        slug="tiers-lieux",
        intro=ORIGIN_INTRO,
        authors=[make_author("Odile Fabre")],
        body=[("paragraph", "<p>Le premier texte de l'origine.</p>")],
    )
    return share(post, bretagne_site)


@pytest.fixture
def occitanie_editor(occitanie_site):
    return make_member(occitanie_site, roles.EDITOR, "occitanie-editor")


@pytest.fixture
def bretagne_image(bretagne_site):
    return wagtail_factories.ImageFactory(
        title="Tiers-lieu de Rennes", collection=bretagne_site.profile.collection
    )


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def adapt_url(site, post):
    return reverse("blog_adaptations:edit", args=[site.pk, post.pk])


def remove_url(site, post):
    return reverse("blog_adaptations:remove", args=[site.pk, post.pk])


def rich_text(text):
    """What the admin's rich text editor (Draftail) sends for one paragraph."""
    block = {
        "key": "a1b2c",
        "type": "unstyled",
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": [],
        "data": {},
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


def form_data(**fields):
    data = {
        "title": "",
        "intro": "",
        "hero_image": "",
        "hero_alt": "",
        "note_above": rich_text(""),
        "note_below": rich_text(""),
    }
    data.update(fields)
    return data


def adapt(client, site, post, **fields):
    return client.post(adapt_url(site, post), form_data(**fields))


def html(client, path, host):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def card_titles(client, host, path="/blog/"):
    return [a.get_text(strip=True) for a in html(client, path, host).select(".post-card__title a")]


def card_intros(client, host):
    return [
        p.get_text(strip=True) for p in html(client, "/blog/", host).select(".post-card__intro")
    ]


def feed_entries(client, host, kind="rss"):
    response = client.get(f"/blog/feed/{kind}/", HTTP_HOST=host)
    assert response.status_code == 200
    return {entry.title: entry for entry in feedparser.parse(response.content).entries}


def search_titles(client, host, query):
    page = html(client, f"/search/?q={query}", host)
    return [" ".join(a.get_text().split()) for a in page.select(".search-result__title a")]


def publish(post, **changes):
    """The origin's editor changes the post: a new revision, published."""
    post = BlogPostPage.objects.get(pk=post.pk)
    for name, value in changes.items():
        setattr(post, name, value)
    post.save_revision().publish()
    return BlogPostPage.objects.get(pk=post.pk)


# --- Adapting in the admin, and what readers see --------------------------------------------------


def test_bretagne_adapts_an_occitanie_post_and_only_bretagne_shows_it(
    client,
    bretagne_site,
    occitanie_site,
    head_site,
    bretagne_editor,
    occitanie_post,
    bretagne_image,
):
    editor = logged_in(bretagne_editor)
    form = editor.get(adapt_url(bretagne_site, occitanie_post))
    assert form.status_code == 200
    assert ORIGIN_TITLE in BeautifulSoup(form.content, "html.parser").get_text()

    response = adapt(
        editor,
        bretagne_site,
        occitanie_post,
        title=LOCAL_TITLE,
        intro=LOCAL_INTRO,
        hero_image=str(bretagne_image.pk),
        hero_alt="La halle du tiers-lieu de Rennes",
        note_above=rich_text("Note bretonne au-dessus."),
        note_below=rich_text("Note bretonne en dessous."),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("blog_shared:site", args=[bretagne_site.pk])
    local = LocalAdaptation.objects.get(post=occitanie_post, site=bretagne_site)
    assert (local.title, local.intro, local.hero_image, local.updated_by) == (
        LOCAL_TITLE,
        LOCAL_INTRO,
        bretagne_image,
        bretagne_editor,
    )

    # Bretagne's page of the post: local title, introduction, image and notes around the
    # origin's body, authors kept, canonical to the origin.
    page = html(client, "/blog/tiers-lieux/", BRETAGNE)
    assert page.select_one("h1").get_text(strip=True) == LOCAL_TITLE
    assert page.select_one(".lead").get_text(strip=True) == LOCAL_INTRO
    assert page.select_one(".post-hero img")["alt"] == "La halle du tiers-lieu de Rennes"
    assert "Le premier texte de l'origine." in page.select_one(".post-body").get_text()
    above, below = page.select("aside.post-local-note")
    assert (above["data-local-note"], below["data-local-note"]) == ("above", "below")
    assert "Note bretonne au-dessus." in above.get_text()
    assert "Note bretonne en dessous." in below.get_text()
    assert "Odile Fabre" in page.select_one(".post-authors").get_text()
    origin_url = f"http://{OCCITANIE}/blog/tiers-lieux/"
    assert page.select_one('link[rel="canonical"]')["href"] == origin_url
    assert page.select_one('meta[property="og:title"]')["content"] == LOCAL_TITLE
    structured = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert (structured["headline"], structured["url"]) == (LOCAL_TITLE, origin_url)
    assert page.select_one("title").get_text().startswith(LOCAL_TITLE)

    # Bretagne's cards, feeds and search.
    assert LOCAL_TITLE in card_titles(client, BRETAGNE)
    assert ORIGIN_TITLE not in card_titles(client, BRETAGNE)
    assert LOCAL_INTRO in card_intros(client, BRETAGNE)
    card = html(client, "/blog/", BRETAGNE).select_one(".post-card .post-card__image")
    assert card["alt"] == "La halle du tiers-lieu de Rennes"
    for kind in ("rss", "atom"):
        entries = feed_entries(client, BRETAGNE, kind)
        assert ORIGIN_TITLE not in entries
        assert LOCAL_INTRO in entries[LOCAL_TITLE].summary
    found = search_titles(client, BRETAGNE, "tiers")
    assert LOCAL_TITLE in found
    assert ORIGIN_TITLE not in found

    # Occitanie's and the head's pages keep the origin's version.
    origin_page = html(client, "/blog/tiers-lieux/", OCCITANIE)
    assert origin_page.select_one("h1").get_text(strip=True) == ORIGIN_TITLE
    assert not origin_page.select("aside.post-local-note")
    assert ORIGIN_TITLE in card_titles(client, OCCITANIE)
    assert LOCAL_TITLE not in str(html(client, "/blog/", OCCITANIE))
    assert ORIGIN_TITLE in feed_entries(client, OCCITANIE)
    found = search_titles(client, OCCITANIE, "tiers")
    assert ORIGIN_TITLE in found
    assert LOCAL_TITLE not in found
    head_search = html(client, "/search/?q=tiers&scope=network", HEAD)
    assert LOCAL_TITLE not in str(head_search)
    assert ORIGIN_TITLE in [
        " ".join(a.get_text().split()) for a in head_search.select(".search-result__title a")
    ]


def test_the_network_news_keeps_the_origins_version(
    client, head_site, bretagne_site, occitanie_post
):
    news = NetworkNewsPage(title="Actualités du réseau", slug="actualites")
    head_site.root_page.add_child(instance=news)
    LocalAdaptation.objects.create(post=occitanie_post, site=bretagne_site, title=LOCAL_TITLE)
    titles = card_titles(client, HEAD, "/actualites/")
    assert ORIGIN_TITLE in titles
    assert LOCAL_TITLE not in titles


def test_the_origins_later_edit_shows_on_bretagne_with_the_local_title(
    client, bretagne_site, bretagne_editor, occitanie_post
):
    assert adapt(logged_in(bretagne_editor), bretagne_site, occitanie_post, title=LOCAL_TITLE)[
        "Location"
    ]
    publish(occitanie_post, body=[("paragraph", "<p>Le texte revu par l'Occitanie.</p>")])

    page = html(client, "/blog/tiers-lieux/", BRETAGNE)
    assert page.select_one("h1").get_text(strip=True) == LOCAL_TITLE
    assert not page.select("aside.post-local-note")  # the editor's empty notes are no notes
    assert "Le texte revu par l'Occitanie." in page.select_one(".post-body").get_text()
    assert page.select_one(".lead").get_text(strip=True) == ORIGIN_INTRO  # not adapted


def test_removing_the_local_version_restores_the_origins(
    client, bretagne_site, bretagne_editor, occitanie_post
):
    editor = logged_in(bretagne_editor)
    adapt(editor, bretagne_site, occitanie_post, title=LOCAL_TITLE, intro=LOCAL_INTRO)
    listed = html(editor, reverse("blog_shared:site", args=[bretagne_site.pk]), "testserver")
    row = listed.select_one(f'tr[data-post="{occitanie_post.pk}"]')
    assert row.select_one("[data-adapted]").get_text(strip=True) == "Adapté localement"
    form = html(editor, adapt_url(bretagne_site, occitanie_post), "testserver")
    assert form.select_one('form[data-action="remove-adaptation"]')["action"] == remove_url(
        bretagne_site, occitanie_post
    )

    assert editor.get(remove_url(bretagne_site, occitanie_post)).status_code == 405
    response = editor.post(remove_url(bretagne_site, occitanie_post))
    assert response.status_code == 302
    assert not LocalAdaptation.objects.filter(post=occitanie_post).exists()

    page = html(client, "/blog/tiers-lieux/", BRETAGNE)
    assert page.select_one("h1").get_text(strip=True) == ORIGIN_TITLE
    assert ORIGIN_TITLE in card_titles(client, BRETAGNE)
    assert ORIGIN_TITLE in feed_entries(client, BRETAGNE)
    listed = html(editor, reverse("blog_shared:site", args=[bretagne_site.pk]), "testserver")
    assert listed.select_one(f'tr[data-post="{occitanie_post.pk}"] [data-adapted]') is None


def test_the_origins_panel_names_the_sites_that_adapted_the_post(
    occitanie_site, bretagne_site, occitanie_editor, occitanie_post
):
    editor = logged_in(occitanie_editor)
    edit = reverse("wagtailadmin_pages:edit", args=[occitanie_post.pk])
    assert (
        html(editor, edit, "testserver").select_one("[data-where-published] [data-adapted]") is None
    )
    LocalAdaptation.objects.create(post=occitanie_post, site=bretagne_site, title=LOCAL_TITLE)
    mark = html(editor, edit, "testserver").select_one("[data-where-published] [data-adapted]")
    assert bretagne_site.site_name in mark.get_text()


def test_an_administrator_and_a_network_administrator_may_adapt(
    bretagne_site, occitanie_post, network_administrator
):
    administrator = make_member(bretagne_site, roles.ADMINISTRATOR, "bretagne-admin")
    for user, title in (
        (administrator, "Par l'administratrice"),
        (network_administrator, "Réseau"),
    ):
        assert adapt(logged_in(user), bretagne_site, occitanie_post, title=title).status_code == 302
        assert LocalAdaptation.objects.get(post=occitanie_post, site=bretagne_site).title == title


# --- Who may adapt what ---------------------------------------------------------------------------


def test_an_occitanie_editor_cannot_adapt_for_bretagne(
    client, bretagne_site, occitanie_editor, occitanie_post
):
    editor = logged_in(occitanie_editor)
    assert editor.get(adapt_url(bretagne_site, occitanie_post)).status_code == 403
    assert adapt(editor, bretagne_site, occitanie_post, title="Forcé").status_code == 403
    LocalAdaptation.objects.create(post=occitanie_post, site=bretagne_site, title=LOCAL_TITLE)
    assert editor.post(remove_url(bretagne_site, occitanie_post)).status_code == 403
    assert LocalAdaptation.objects.get(post=occitanie_post, site=bretagne_site).title == LOCAL_TITLE


def test_a_moderator_cannot_adapt(bretagne_site, occitanie_post):
    moderator = logged_in(make_member(bretagne_site, roles.MODERATOR, "bretagne-moderator"))
    assert adapt(moderator, bretagne_site, occitanie_post, title="Forcé").status_code == 403
    assert not LocalAdaptation.objects.exists()


def test_a_post_not_shared_with_bretagne_cannot_be_adapted(
    bretagne_site, occitanie_site, bretagne_editor, network_administrator, occitanie_post
):
    unshared = make_post(blog_of(occitanie_site), "Réservé à l'Occitanie")
    own = make_post(blog_of(bretagne_site), "Billet breton")
    for user in (bretagne_editor, network_administrator):
        client = logged_in(user)
        for post in (unshared, own):
            assert client.get(adapt_url(bretagne_site, post)).status_code == 404
            assert adapt(client, bretagne_site, post, title="Forcé").status_code == 404
            assert client.post(remove_url(bretagne_site, post)).status_code == 404
        # Forged ids: an unknown post or site.
        assert client.get(adapt_url(bretagne_site, BlogPostPage(pk=999999))).status_code == 404
    forged_site = reverse("blog_adaptations:edit", args=[999999, occitanie_post.pk])
    assert logged_in(bretagne_editor).post(forged_site, form_data(title="x")).status_code == 403
    assert not LocalAdaptation.objects.exists()


def test_the_network_is_shared_by_scope_too(bretagne_site, occitanie_site, bretagne_editor):
    """Shared with every site (a scope, not by name): adaptable as well."""
    post = make_post(blog_of(occitanie_site), "Pour tout le réseau")
    post.share_scope = ShareScope.ALL
    post.save()
    ShareProposal.objects.update_or_create(
        post=post, site=bretagne_site, defaults={"status": ProposalStatus.ACCEPTED}
    )
    assert adapt(logged_in(bretagne_editor), bretagne_site, post, title="Local").status_code == 302


# --- Bad input: form errors, never a 500 ----------------------------------------------------------


def errors(response):
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.content, "html.parser")
    return page.select(".error-message, .w-field__errors, .help-critical, [role=alert]")


def test_the_alternative_text_is_required_with_an_image(
    bretagne_site, bretagne_editor, occitanie_post, bretagne_image
):
    response = adapt(
        logged_in(bretagne_editor), bretagne_site, occitanie_post, hero_image=str(bretagne_image.pk)
    )
    assert response.status_code == 200
    assert "hero_alt" in response.context["form"].errors
    assert not LocalAdaptation.objects.exists()


def test_an_empty_local_version_is_refused(bretagne_site, bretagne_editor, occitanie_post):
    response = adapt(logged_in(bretagne_editor), bretagne_site, occitanie_post)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not LocalAdaptation.objects.exists()


def test_an_image_of_another_site_is_refused(
    bretagne_site, occitanie_site, bretagne_editor, occitanie_post
):
    theirs = wagtail_factories.ImageFactory(
        title="Image occitane", collection=occitanie_site.profile.collection
    )
    response = adapt(
        logged_in(bretagne_editor),
        bretagne_site,
        occitanie_post,
        hero_image=str(theirs.pk),
        hero_alt="Texte",
    )
    assert response.status_code == 200
    assert "hero_image" in response.context["form"].errors
    assert "Image occitane" not in response.content.decode()
    assert not LocalAdaptation.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "x" * 300},
        {"intro": "x" * 500},
        {"hero_image": "not-a-number", "hero_alt": "Texte"},
        {"hero_image": "999999", "hero_alt": "Texte"},
        {"title": "Titre", "note_above": "<p>not the editor's JSON</p>"},
        {"title": "Titre", "note_below": "[1, 2"},
        {"title": "Titre", "note_below": json.dumps({"blocks": "nope"})},
        {"title": "Titre\x00"},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(
    bretagne_site, bretagne_editor, occitanie_post, fields
):
    client = logged_in(bretagne_editor)
    client.raise_request_exception = False
    response = adapt(client, bretagne_site, occitanie_post, **fields)
    assert response.status_code == 200, response.status_code
    assert response.context["form"].errors
    assert not LocalAdaptation.objects.exists()


# --- The page cache -------------------------------------------------------------------------------


def test_saving_or_removing_a_local_version_refreshes_bretagne_only(
    settings, client, bretagne_site, occitanie_site, bretagne_editor, occitanie_post, monkeypatch
):
    settings.MAILLAGE_PAGE_CACHE = True
    paths = ["/blog/tiers-lieux/", "/blog/", "/blog/feed/rss/", "/search/?q=tiers"]
    for path in paths:  # cached
        client.get(path, HTTP_HOST=BRETAGNE)
    client.get("/blog/tiers-lieux/", HTTP_HOST=OCCITANIE)

    invalidated = []
    original = page_cache.invalidate
    monkeypatch.setattr(
        page_cache, "invalidate", lambda *tags: (invalidated.append(set(tags)), original(*tags))
    )
    editor = logged_in(bretagne_editor)
    adapt(editor, bretagne_site, occitanie_post, title=LOCAL_TITLE)
    assert invalidated == [{page_cache.site_tag(bretagne_site.pk)}]
    for path in paths:
        assert LOCAL_WORDS in client.get(path, HTTP_HOST=BRETAGNE).content.decode(), path
    assert LOCAL_WORDS not in client.get("/blog/tiers-lieux/", HTTP_HOST=OCCITANIE).content.decode()

    invalidated.clear()
    editor.post(remove_url(bretagne_site, occitanie_post))
    assert invalidated == [{page_cache.site_tag(bretagne_site.pk)}]
    for path in paths:
        assert LOCAL_WORDS not in client.get(path, HTTP_HOST=BRETAGNE).content.decode(), path


# --- Query budgets: the same with one adapted post or many ----------------------------------------

# The listing and the feed read the site's adaptations of the posts shown in one query; the shared
# post page reads its own in one. Neither grows with the number of adapted posts.
ADAPTATION_QUERIES = 1
PATHS = ["/blog/", "/blog/feed/rss/", "/blog/feed/atom/", "/blog/?page=1"]


def shared_and_adapted(occitanie_site, bretagne_site, count, start):
    posts = []
    for number in range(start, start + count):
        hero = wagtail_factories.ImageFactory(collection=occitanie_site.profile.collection)
        local = wagtail_factories.ImageFactory(collection=bretagne_site.profile.collection)
        post = share(
            make_post(
                blog_of(occitanie_site),
                f"Billet partagé {number}",
                slug=f"partage-{number}",
                authors=[make_author(f"Autrice {number}")],
                hero=hero,
            ),
            bretagne_site,
        )
        LocalAdaptation.objects.create(
            post=post,
            site=bretagne_site,
            title=f"Titre local {number}",
            intro=f"Introduction locale {number}.",
            hero_image=local,
            hero_alt=f"Image locale {number}",
            note_above="<p>Note.</p>",
        )
        posts.append(post)
    return posts


def count_queries(client, path, budget, assert_max_num_queries):
    """Queries for one request to Bretagne, after a warm-up that fills renditions and caches."""
    assert client.get(path, HTTP_HOST=BRETAGNE).status_code == 200
    with assert_max_num_queries(budget), CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=BRETAGNE)
    assert response.status_code == 200
    return len(queries)


def test_listings_and_feeds_with_adapted_posts_cost_a_fixed_number_of_queries(
    client, occitanie_site, bretagne_site, django_assert_max_num_queries
):
    shared_and_adapted(occitanie_site, bretagne_site, 1, start=1)
    budgets = {
        path: (FEED_QUERY_BUDGET if "feed" in path else LISTING_QUERY_BUDGET) + ADAPTATION_QUERIES
        for path in PATHS
    }
    with_one = {
        path: count_queries(client, path, budgets[path], django_assert_max_num_queries)
        for path in PATHS
    }
    shared_and_adapted(occitanie_site, bretagne_site, 7, start=2)
    assert "Titre local 8" in card_titles(client, BRETAGNE)
    with_eight = {
        path: count_queries(client, path, budgets[path], django_assert_max_num_queries)
        for path in PATHS
    }
    assert with_eight == with_one


def test_the_shared_post_page_costs_one_query_more_when_adapted(
    client, occitanie_site, bretagne_site, occitanie_post, django_assert_max_num_queries
):
    path = "/blog/tiers-lieux/"
    not_adapted = count_queries(client, path, 200, django_assert_max_num_queries)
    LocalAdaptation.objects.create(
        post=occitanie_post,
        site=bretagne_site,
        title=LOCAL_TITLE,
        hero_image=wagtail_factories.ImageFactory(collection=bretagne_site.profile.collection),
        hero_alt="Image locale",
        note_below="<p>Note.</p>",
    )
    adapted = count_queries(client, path, not_adapted + 1, django_assert_max_num_queries)
    shared_and_adapted(occitanie_site, bretagne_site, 5, start=1)  # other adapted posts
    assert count_queries(client, path, adapted, django_assert_max_num_queries) == adapted
