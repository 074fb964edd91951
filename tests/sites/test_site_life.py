"""A site's life (sites.lifecycle): a new site is a draft, shown only to its team and the network
administrators, absent from the network's public listings, until launched from its checklist;
archiving answers 410 (or redirects to the head site) and keeps the content; an archived site,
and only an archived one, can be deleted with everything it owns, in one transaction."""

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import OperationalError
from django.db.models import Q
from django.test import Client

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, ModelLogEntry, Page, Site
from wagtail_localize.models import TranslatableObject, TranslationSource

import pytest
import wagtail_factories

from blog.choices import ShareScope
from blog.models import Author, HiddenSharedPost, NetworkNewsPage, ShareProposal
from comments.models import Comment
from sites import lifecycle, network, roles
from sites.factory import SiteRequest, create_site
from sites.models import SiteProfile, SiteSettings, SiteStatus
from tests.support.blog import blog_of, make_author, make_post, share
from tests.support.scoping_fixtures import make_member, make_user

NORMANDIE = "normandie.localhost"
BRETAGNE = "bretagne.localhost"
HEAD = "localhost"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def page_cache(settings):
    settings.MAILLAGE_PAGE_CACHE = True
    settings.MAILLAGE_FRAGMENT_CACHE = True


@pytest.fixture
def normandie(network):
    """A new site, made by the factory as "Add a site" does: a draft, with one published post."""
    site = create_site(
        SiteRequest(
            name="Maillage Normandie", hostname=NORMANDIE, kind="regional", region="Normandie"
        )
    )
    make_post(blog_of(site), "Ressourcerie de Caen")
    return Site.objects.select_related("profile").get(pk=site.pk)


@pytest.fixture
def normandie_editor(normandie):
    return make_member(normandie, roles.EDITOR, "normandie-editor")


@pytest.fixture
def normandie_administrator(normandie):
    return make_member(normandie, roles.ADMINISTRATOR, "normandie-administrator")


@pytest.fixture
def network_administrator(network):
    user = make_user("network-administrator")
    user.groups.add(roles.ensure_network_administrators())
    return user


@pytest.fixture
def news(head_site):
    page = NetworkNewsPage(title="Actualités du réseau", slug="actualites")
    head_site.root_page.add_child(instance=page)
    return page


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def get(client, path, host=NORMANDIE):
    return client.get(path, HTTP_HOST=host)


PUBLIC_PATHS = ("/", "/blog/", "/blog/feed/rss/", "/sitemap.xml", "/robots.txt", "/search/?q=caen")


def status_of(site):
    return SiteProfile.objects.get(site=site).status


# --- A draft ----------------------------------------------------------------------------------


def test_a_new_site_is_a_draft_that_visitors_cannot_see(normandie, page_cache):
    assert status_of(normandie) == SiteStatus.DRAFT
    for path in PUBLIC_PATHS:
        for _attempt in range(2):  # the second is not served from a cache either
            response = get(Client(), path)
            assert response.status_code == 404, path
            assert "Maillage Normandie" not in response.content.decode(), path
            assert "X-Page-Cache" not in response
            assert "no-store" in response["Cache-Control"]


def test_a_comment_cannot_be_posted_on_a_draft_site_from_any_host(normandie):
    post = blog_of(normandie).get_children().live().first()
    for host in (NORMANDIE, HEAD):
        response = Client().post(
            f"/comments/post/{post.pk}/",
            {"name": "Maël", "email": "mael@example.org", "body": "Bonjour"},
            HTTP_HOST=host,
        )
        assert response.status_code in (403, 404), host
    assert not Comment.objects.filter(page=post).exists()


def test_its_team_and_the_network_administrators_see_it_and_nothing_is_cached(
    normandie, normandie_editor, network_administrator, bretagne_site, page_cache
):
    normandie_moderator = make_member(normandie, roles.MODERATOR, "normandie-moderator")
    for user in (normandie_editor, normandie_moderator, network_administrator):
        client = signed_in(user)
        for path in ("/", "/blog/", "/blog/feed/rss/"):
            response = get(client, path)
            assert response.status_code == 200, (user, path)
            assert response["X-Robots-Tag"] == "noindex"
            assert "private" in response["Cache-Control"]
        assert "Ressourcerie de Caen" in get(client, "/blog/").content.decode()
    # What the team saw was not kept for anyone else.
    response = get(Client(), "/blog/")
    assert response.status_code == 404
    assert "Ressourcerie de Caen" not in response.content.decode()
    # Another site's editor is not of its team.
    bretagne_editor = make_member(bretagne_site, roles.EDITOR, "bretagne-editor")
    assert get(signed_in(bretagne_editor), "/").status_code == 404
    assert get(signed_in(bretagne_editor), "/blog/").status_code == 404


def test_a_draft_is_absent_from_network_news_search_and_sharing_targets(
    normandie, news, bretagne_site, network_administrator
):
    make_post(blog_of(bretagne_site), "Ressourcerie de Rennes")
    html = get(Client(), "/actualites/", HEAD).content.decode()
    assert "Ressourcerie de Rennes" in html
    assert "Ressourcerie de Caen" not in html
    assert "Maillage Normandie" not in html  # nor in the site filter
    assert "Maillage Bretagne" in html
    filtered = get(Client(), f"/actualites/?site={normandie.pk}", HEAD).content.decode()
    assert "Ressourcerie de Caen" not in filtered

    search = get(Client(), "/search/?q=ressourcerie&scope=network", HEAD).content.decode()
    assert "ressourcerie-de-rennes" in search
    assert "Caen" not in search and "Maillage Normandie" not in search

    # A Bretagne editor sharing a post is not offered the draft site.
    bretagne_post = make_post(blog_of(bretagne_site), "À partager")
    editor = make_member(bretagne_site, roles.EDITOR, "bretagne-editor")
    form = get(signed_in(editor), f"/admin/pages/{bretagne_post.pk}/edit/", BRETAGNE)
    assert form.status_code == 200
    assert "Maillage Normandie" not in form.content.decode()
    assert "Maillage Occitanie" in form.content.decode()

    # A post of the draft shared with the whole network shows nowhere else.
    caen = blog_of(normandie).get_children().live().first().specific
    caen.share_scope = ShareScope.ALL
    caen.save()
    assert "Ressourcerie de Caen" not in get(Client(), "/blog/", BRETAGNE).content.decode()


def test_launching_from_the_checklist_makes_it_public(
    normandie, normandie_administrator, news, page_cache
):
    assert get(Client(), "/").status_code == 404
    client = signed_in(normandie_administrator)
    checklist = client.get(f"/admin/network/sites/{normandie.pk}/checklist/")
    launch_url = f"/admin/network/sites/{normandie.pk}/launch/"
    assert f'action="{launch_url}"' in checklist.content.decode()
    assert client.get(launch_url).status_code == 405  # a POST only

    response = client.post(launch_url)
    assert response.status_code == 302
    assert status_of(normandie) == SiteStatus.LIVE
    assert SiteProfile.objects.get(site=normandie).launched_at is not None
    assert ModelLogEntry.objects.filter(action=lifecycle.LAUNCH, object_id=str(normandie.pk))
    checklist = client.get(f"/admin/network/sites/{normandie.pk}/checklist/")
    assert f'action="{launch_url}"' not in checklist.content.decode()

    for path in ("/", "/blog/", "/blog/feed/rss/", "/sitemap.xml"):
        assert get(Client(), path).status_code == 200, path
    assert "X-Robots-Tag" not in get(Client(), "/blog/")
    assert "Ressourcerie de Caen" in get(Client(), "/actualites/", HEAD).content.decode()


def test_only_the_sites_administrators_may_launch_it(
    normandie, normandie_editor, bretagne_site, occitanie_site
):
    launch_url = f"/admin/network/sites/{normandie.pk}/launch/"
    assert signed_in(normandie_editor).post(launch_url).status_code == 403
    # A Bretagne administrator forging Occitanie's id, Occitanie being a draft.
    SiteProfile.objects.filter(site=occitanie_site).update(status=SiteStatus.DRAFT)
    network.forget()
    bretagne_administrator = make_member(bretagne_site, roles.ADMINISTRATOR, "bretagne-admin")
    client = signed_in(bretagne_administrator)
    assert client.post(f"/admin/network/sites/{occitanie_site.pk}/launch/").status_code == 403
    assert client.post(launch_url).status_code == 403
    assert status_of(occitanie_site) == SiteStatus.DRAFT
    assert status_of(normandie) == SiteStatus.DRAFT


# --- Archived ---------------------------------------------------------------------------------


def test_archiving_answers_410_keeps_the_content_and_bringing_back_restores_it(
    bretagne_site, network_administrator, news, page_cache
):
    make_post(blog_of(bretagne_site), "Ressourcerie de Rennes")
    assert get(Client(), "/blog/", BRETAGNE).status_code == 200  # now in the page cache
    pages = Page.objects.filter(network.pages_condition(bretagne_site)).count()
    client = signed_in(network_administrator)
    archive_url = f"/admin/network/sites/{bretagne_site.pk}/archive/"
    assert client.get(archive_url).status_code == 200
    assert client.post(archive_url, {"answer": "gone"}).status_code == 302
    assert status_of(bretagne_site) == SiteStatus.ARCHIVED

    for path in ("/", "/blog/", "/blog/feed/rss/", "/sitemap.xml", "/en/search/?q=x"):
        response = get(Client(), path, BRETAGNE)
        assert response.status_code == 410, path
        assert "Maillage Bretagne" in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex"
    assert '<html lang="en">' in get(Client(), "/en/", BRETAGNE).content.decode()
    assert get(client, "/", BRETAGNE).status_code == 410  # for its team too
    assert Page.objects.filter(network.pages_condition(bretagne_site)).count() == pages
    assert "Ressourcerie de Rennes" not in get(Client(), "/actualites/", HEAD).content.decode()

    dashboard = client.get("/admin/network/sites/").content.decode()
    assert f"/admin/network/sites/{bretagne_site.pk}/unarchive/" in dashboard
    unarchive_url = f"/admin/network/sites/{bretagne_site.pk}/unarchive/"
    assert client.get(unarchive_url).status_code == 200
    assert client.post(unarchive_url).status_code == 302
    assert status_of(bretagne_site) == SiteStatus.LIVE
    assert get(Client(), "/blog/", BRETAGNE).status_code == 200
    assert "Ressourcerie de Rennes" in get(Client(), "/actualites/", HEAD).content.decode()
    actions = ModelLogEntry.objects.filter(object_id=str(bretagne_site.pk)).values_list(
        "action", flat=True
    )
    assert {lifecycle.ARCHIVE, lifecycle.UNARCHIVE} <= set(actions)


def test_an_archived_site_may_redirect_to_the_head_sites_home(bretagne_site, network_administrator):
    client = signed_in(network_administrator)
    url = f"/admin/network/sites/{bretagne_site.pk}/archive/"
    assert client.post(url, {"answer": "redirect"}).status_code == 302
    response = get(Client(), "/blog/", BRETAGNE)
    assert response.status_code == 302
    assert response["Location"] == "http://localhost/"


def test_only_network_administrators_archive(bretagne_site, occitanie_site):
    bretagne_administrator = make_member(bretagne_site, roles.ADMINISTRATOR, "bretagne-admin")
    client = signed_in(bretagne_administrator)
    for site in (bretagne_site, occitanie_site):
        response = client.post(f"/admin/network/sites/{site.pk}/archive/", {"answer": "gone"})
        assert response.status_code == 403
        assert status_of(site) == SiteStatus.LIVE


def test_the_dashboard_shows_each_sites_status_in_words(normandie, network_administrator):
    client = signed_in(network_administrator)
    html = client.get("/admin/network/sites/").content.decode()
    assert "Brouillon" in html  # the admin in French: "Draft"
    assert "En ligne" in html  # "Live"
    assert f"/admin/network/sites/{normandie.pk}/archive/" in html
    assert f"/admin/network/sites/{normandie.pk}/delete/" not in html


# --- Deleting ---------------------------------------------------------------------------------


def footprint():
    """Rows of every table."""
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def of_sites(sites):
    """The rows belonging to these sites, by kind."""
    pages = Page.objects.filter(network.pages_condition(sites))
    profiles = SiteProfile.objects.filter(site__in=sites)
    collections = Collection.objects.filter(site_profile__in=profiles)
    groups = Group.objects.filter(
        Q(pk__in=profiles.values("editors"))
        | Q(pk__in=profiles.values("moderators"))
        | Q(pk__in=profiles.values("administrators"))
    )
    return {
        "pages": pages.count(),
        "comments": Comment.objects.filter(page__in=pages).count(),
        "images": get_image_model().objects.filter(collection__in=collections).count(),
        "documents": get_document_model().objects.filter(collection__in=collections).count(),
        "groups": groups.count(),
        "members": Group.user_set.through.objects.filter(group__in=groups).count(),
        "settings": SiteSettings.objects.filter(site__in=sites).count(),
        "profiles": profiles.count(),
        "redirects": Redirect.objects.filter(site__in=sites).count(),
        "authors": Author.objects.filter(site__in=sites).count(),
        "proposals": ShareProposal.objects.filter(post__in=pages, site__in=sites).count(),
        "hidden": HiddenSharedPost.objects.filter(site__in=sites).count(),
    }


@pytest.fixture
def furnished_normandie(normandie, normandie_editor, bretagne_site, head_site):
    """Normandie with something of every kind it owns, and ties to other sites' content both
    ways (a Bretagne post shared with it, hidden there; a Normandie post shared with Bretagne)."""
    lifecycle.launch(normandie)
    post = blog_of(normandie).get_children().live().first().specific
    Comment.objects.create(
        page=post, author_name="Maël", email="m@example.org", body="Bravo", status="approved"
    )
    collection = normandie.profile.collection
    wagtail_factories.ImageFactory(title="Caen", collection=collection)
    wagtail_factories.DocumentFactory(
        title="Statuts", collection=collection, file__filename="statuts.txt", file__data=b"x"
    )
    Redirect.objects.create(old_path="/ancien", site=normandie, redirect_link="/")
    make_author("Camille de Caen", site=normandie)
    share(post, bretagne_site)
    bretagne_post = make_post(blog_of(bretagne_site), "De Rennes à Caen")
    share(bretagne_post, normandie)
    HiddenSharedPost.objects.create(post=bretagne_post, site=normandie)
    # Bretagne's own things, which must all stay.
    make_post(blog_of(bretagne_site), "Rennes")
    Comment.objects.create(
        page=bretagne_post, author_name="Anne", email="a@example.org", body="Oui", status="approved"
    )
    wagtail_factories.ImageFactory(title="Rennes", collection=bretagne_site.profile.collection)
    return normandie


def test_a_live_site_cannot_be_deleted(furnished_normandie, network_administrator):
    client = signed_in(network_administrator)
    url = f"/admin/network/sites/{furnished_normandie.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="not-archived"' in page.content.decode()
    assert "<form" not in page.content.decode().split('id="not-archived"')[1].split("</main>")[0]
    before = footprint()
    response = client.post(url, follow=True)
    assert footprint() == before
    assert Site.objects.filter(pk=furnished_normandie.pk).exists()
    assert "archiv" in response.content.decode().lower()  # the message says why
    with pytest.raises(lifecycle.SiteLifeError):
        lifecycle.delete_site(furnished_normandie)


def test_wagtails_own_site_delete_view_is_closed_to_network_administrators(
    furnished_normandie, network_administrator
):
    lifecycle.archive(furnished_normandie)
    client = signed_in(network_administrator)
    url = f"/admin/sites/delete/{furnished_normandie.pk}/"
    client.get(url)
    client.post(url)
    assert Site.objects.filter(pk=furnished_normandie.pk).exists()


def test_deleting_an_archived_site_removes_exactly_what_the_confirmation_named(
    furnished_normandie, network_administrator, bretagne_site, occitanie_site, head_site
):
    site = furnished_normandie
    client = signed_in(network_administrator)
    archive = f"/admin/network/sites/{site.pk}/archive/"
    assert client.post(archive, {"answer": "gone"}).status_code == 302
    # A translation started on each side (wagtail-localize's source of the home page).
    for home in (site.root_page, bretagne_site.root_page):
        TranslationSource.get_or_create_from_instance(home.specific)
    gone = lifecycle.what_goes(site)
    named = {item.model: item.count for item in gone}
    assert named["wagtailcore.page"] == Page.objects.filter(network.pages_condition(site)).count()
    for label in (
        "comments.comment",
        "wagtailimages.image",
        "wagtaildocs.document",
        "auth.group",
        "maillage_sites.sitesettings",
        "maillage_sites.siteprofile",
        "wagtailredirects.redirect",
        "blog.author",
        "blog.shareproposal",
        "blog.hiddensharedpost",
        "wagtailcore.collection",
        "wagtailcore.site",
    ):
        assert named.get(label), label
    confirmation = client.get(f"/admin/network/sites/{site.pk}/delete/").content.decode()
    for item in gone:
        assert f'data-model="{item.model}"' in confirmation
    others = [bretagne_site, occitanie_site, head_site]
    theirs = of_sites(others)
    keys = list(Page.objects.filter(network.pages_condition(site)).values_list("translation_key"))
    keys = [key for (key,) in keys]
    assert TranslationSource.objects.filter(object_id__in=keys).exists()
    sources_elsewhere = TranslationSource.objects.exclude(object_id__in=keys).count()
    before = footprint()

    response = client.post(f"/admin/network/sites/{site.pk}/delete/")
    assert response.status_code == 302
    after = footprint()
    assert not Site.objects.filter(pk=site.pk).exists()
    assert of_sites(others) == theirs
    assert "Normandie" not in get(Client(), "/").content.decode()  # the default site answers

    # Every table lost exactly what was named (page types counted as pages), the others together
    # what the last line said, but for what signals keep: the reference index, the log.
    kept_by_signals = {
        "wagtailcore.referenceindex",
        "wagtailcore.modellogentry",
        "wagtailcore.pagelogentry",
    }
    others = 0
    for label, count in before.items():
        lost = count - after[label]
        model = apps.get_model(label)
        if label in kept_by_signals:
            continue
        if issubclass(model, Page) and model is not Page:
            assert lost <= named["wagtailcore.page"], label
        elif label in named:
            assert lost == named[label], (label, lost, named[label])
        else:
            others += lost
    assert others == named.get("", 0)
    assert ModelLogEntry.objects.filter(action=lifecycle.DELETE, object_id=str(site.pk)).exists()
    # wagtail-localize's records of its pages went too, those of the other sites' pages stayed.
    assert not TranslatableObject.objects.filter(translation_key__in=keys).exists()
    assert TranslationSource.objects.count() == sources_elsewhere


def test_a_failure_midway_through_a_deletion_leaves_everything(
    furnished_normandie, bretagne_site, monkeypatch
):
    lifecycle.archive(furnished_normandie)
    before = footprint()

    def broken(self, *args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Collection, "delete", broken)  # after the Site row and the pages
    with pytest.raises(RuntimeError):
        lifecycle.delete_site(furnished_normandie)
    assert footprint() == before
    assert status_of(furnished_normandie) == SiteStatus.ARCHIVED


def test_only_network_administrators_delete(furnished_normandie, normandie_administrator):
    lifecycle.archive(furnished_normandie)
    client = signed_in(normandie_administrator)
    before = footprint()
    url = f"/admin/network/sites/{furnished_normandie.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert footprint() == before


def test_a_comment_policy_is_closed_on_an_archived_site(bretagne_site):
    post = make_post(blog_of(bretagne_site), "Ressourcerie de Rennes")
    lifecycle.archive(bretagne_site)
    response = Client().post(
        f"/comments/post/{post.pk}/",
        {"name": "Maël", "email": "mael@example.org", "body": "Bonjour"},
        HTTP_HOST=HEAD,
    )
    assert response.status_code in (403, 404)
    assert not Comment.objects.filter(page=post).exists()


def test_an_archived_sites_shared_posts_leave_the_other_sites_cached_pages(
    bretagne_site, occitanie_site, network_administrator, page_cache
):
    post = make_post(blog_of(bretagne_site), "Vannerie bretonne")
    share(post, occitanie_site)
    occitanie = "occitanie.localhost"
    assert "Vannerie bretonne" in get(Client(), "/blog/", occitanie).content.decode()
    assert get(Client(), "/blog/", occitanie)["X-Page-Cache"] == "hit"
    client = signed_in(network_administrator)
    client.post(f"/admin/network/sites/{bretagne_site.pk}/archive/", {"answer": "gone"})
    assert "Vannerie bretonne" not in get(Client(), "/blog/", occitanie).content.decode()


def test_a_drafts_answer_to_visitors_costs_no_query(normandie, django_assert_num_queries):
    get(Client(), "/")  # the map of the network is built once, then read from the cache
    with django_assert_num_queries(0):
        assert get(Client(), "/blog/").status_code == 404


def test_with_the_database_away_and_no_map_cached_visitors_get_503(bretagne_site, monkeypatch):
    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    network.forget()
    monkeypatch.setattr(network, "_build", lost)
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_HOST=BRETAGNE)
    assert response.status_code == 503
