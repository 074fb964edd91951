"""Sharing posts across the network, as readers see it: a shared post shows on the target sites'
listings ("From <origin>"), in their feeds and at /blog/<slug>/ on their hosts with a canonical
link to the origin; nowhere else; and it follows the origin at once (edits, unpublication,
expiry, deletion, retraction), since nothing is copied.

Hiding by a target site's editors goes through the admin: tests/blog/test_syndication_admin.py.
"""

import datetime

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import PageViewRestriction

import feedparser
import pytest
from bs4 import BeautifulSoup

from blog.choices import ShareScope
from blog.models import BlogPostPage, HiddenSharedPost
from sites import lifecycle
from sites.factory import SiteRequest, create_site
from tests.support.blog import accept_all, blog_of, make_post, share

HEAD = "localhost"
BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
EMPLOI = "emploi.localhost"
ALL_HOSTS = [HEAD, BRETAGNE, OCCITANIE, EMPLOI]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def emploi_site(network):
    """A thematic site beside the network's head and two regional sites, launched (a draft site
    is no sharing target)."""
    site = create_site(
        SiteRequest(name="Maillage Emploi", hostname=EMPLOI, kind="thematic", theme="Emploi")
    )
    lifecycle.launch(site)
    return site


@pytest.fixture
def head_blog(head_site):
    return blog_of(head_site)


@pytest.fixture
def bretagne_blog(bretagne_site):
    return blog_of(bretagne_site)


def publish(post, **changes):
    """Change the post as its editor does: a new revision, published."""
    post = BlogPostPage.objects.get(pk=post.pk)
    for name, value in changes.items():
        setattr(post, name, value)
    post.save_revision().publish()
    return BlogPostPage.objects.get(pk=post.pk)


# --- reading the sites -------------------------------------------------------------------------


def get(client, path, host):
    return client.get(path, HTTP_HOST=host)


def cards(client, host, path="/blog/"):
    """{title: the card's origin line (None on the blog's own posts)} for the listing."""
    response = get(client, path, host)
    assert response.status_code == 200, (host, response.status_code)
    page = BeautifulSoup(response.content, "html.parser")
    result = {}
    for card in page.select(".post-card"):
        title = card.select_one(".post-card__title a").get_text(strip=True)
        assert title not in result, f"{title} listed twice on {host}"
        origin = card.select_one(".post-card__origin")
        result[title] = origin.get_text(" ", strip=True) if origin else None
    return result


def card_link(client, host, title):
    page = BeautifulSoup(get(client, "/blog/", host).content, "html.parser")
    [link] = [a for a in page.select(".post-card__title a") if a.get_text(strip=True) == title]
    return link["href"]


def feed(client, host, kind="rss"):
    """{title: link} of the blog's feed, read as a feed reader does."""
    response = get(client, f"/blog/feed/{kind}/", host)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return {entry.title: entry.link for entry in parsed.entries}


def served(client, host, slug):
    return get(client, f"/blog/{slug}/", host)


def assert_nowhere_but_origin(client, post, origin_host, hosts=ALL_HOSTS):
    for host in hosts:
        if host == origin_host:
            continue
        assert post.title not in cards(client, host), host
        assert post.title not in feed(client, host), host
        assert served(client, host, post.slug).status_code == 404, host


def assert_listed_on(client, post, host, origin_name):
    listed = cards(client, host)
    assert post.title in listed, host
    assert origin_name in listed[post.title], host
    assert feed(client, host)[post.title] == f"http://{host}/blog/{post.slug}/"
    assert served(client, host, post.slug).status_code == 200


# --- who sees a shared post ----------------------------------------------------------------------


def test_a_post_shared_with_one_site_shows_there_only(client, head_blog, bretagne_site):
    post = share(make_post(head_blog, "Assemblée générale du réseau"), bretagne_site)

    listed = cards(client, BRETAGNE)
    assert listed[post.title] is not None
    assert "Réseau Maillage" in listed[post.title]
    assert card_link(client, BRETAGNE, post.title) == f"/blog/{post.slug}/"

    assert post.title not in cards(client, OCCITANIE)
    assert served(client, OCCITANIE, post.slug).status_code == 404
    assert post.title not in feed(client, OCCITANIE)


def test_the_origin_lists_its_shared_post_once_as_its_own(client, head_blog, bretagne_site):
    post = share(make_post(head_blog, "Assemblée générale du réseau"), bretagne_site)

    assert cards(client, HEAD) == {post.title: None}
    assert card_link(client, HEAD, post.title) == f"/blog/{post.slug}/"
    assert feed(client, HEAD)[post.title] == f"http://localhost/blog/{post.slug}/"
    html = served(client, HEAD, post.slug).content.decode()
    assert "post-origin" not in html


def test_a_post_shared_with_its_own_site_is_still_listed_once(client, head_blog, head_site):
    post = share(make_post(head_blog, "Nouvelles du réseau"), head_site, scope=ShareScope.ALL)
    assert cards(client, HEAD) == {post.title: None}


def test_every_regional_site(client, head_blog, emploi_site):
    post = share(make_post(head_blog, "Un fonds pour les régions"), scope=ShareScope.REGIONAL)

    for host in (BRETAGNE, OCCITANIE):
        assert_listed_on(client, post, host, "Réseau Maillage")
    assert post.title not in cards(client, EMPLOI)
    assert served(client, EMPLOI, post.slug).status_code == 404


def test_every_thematic_site(client, head_blog, emploi_site):
    post = share(make_post(head_blog, "Emplois associatifs"), scope=ShareScope.THEMATIC)

    assert_listed_on(client, post, EMPLOI, "Réseau Maillage")
    for host in (BRETAGNE, OCCITANIE):
        assert post.title not in cards(client, host)
        assert served(client, host, post.slug).status_code == 404


def test_every_site_from_a_regional_one(client, bretagne_blog, emploi_site):
    post = share(make_post(bretagne_blog, "La mer et l'emploi"), scope=ShareScope.ALL)

    for host in (HEAD, OCCITANIE, EMPLOI):
        assert_listed_on(client, post, host, "Maillage Bretagne")
    assert cards(client, BRETAGNE) == {post.title: None}


def test_a_scope_and_chosen_sites_add_up(client, head_blog, emploi_site, bretagne_site):
    post = share(make_post(head_blog, "Forum emploi"), bretagne_site, scope=ShareScope.THEMATIC)

    for host in (EMPLOI, BRETAGNE):
        assert_listed_on(client, post, host, "Réseau Maillage")
    assert post.title not in cards(client, OCCITANIE)


def test_a_draft_is_shared_with_nobody(client, head_blog):
    post = share(make_post(head_blog, "Brouillon", live=False), scope=ShareScope.ALL)
    assert_nowhere_but_origin(client, post, HEAD, hosts=[BRETAGNE, OCCITANIE])


def test_a_private_post_is_shared_with_nobody(client, head_blog):
    post = share(make_post(head_blog, "Réservé aux membres"), scope=ShareScope.REGIONAL)
    PageViewRestriction.objects.create(page=post, restriction_type="login")
    assert_nowhere_but_origin(client, post, HEAD, hosts=[BRETAGNE, OCCITANIE])


def test_shared_posts_take_their_place_by_date(client, head_blog, bretagne_blog):
    make_post(bretagne_blog, "Bretagne ancien", date=datetime.date(2026, 1, 10))
    make_post(bretagne_blog, "Bretagne récent", date=datetime.date(2026, 3, 10))
    share(
        make_post(head_blog, "Réseau", date=datetime.date(2026, 2, 10)), scope=ShareScope.REGIONAL
    )
    assert list(cards(client, BRETAGNE)) == ["Bretagne récent", "Réseau", "Bretagne ancien"]
    assert list(feed(client, BRETAGNE)) == ["Bretagne récent", "Réseau", "Bretagne ancien"]


# --- the shared post's page on a target site -----------------------------------------------------


def test_the_target_serves_the_post_in_its_branding_with_the_origins_canonical(
    client, head_blog, bretagne_site
):
    post = share(make_post(head_blog, "Assemblée générale du réseau"), bretagne_site)

    response = served(client, BRETAGNE, post.slug)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one('link[rel="canonical"]')["href"] == f"http://localhost/blog/{post.slug}/"
    assert page.select_one("h1").get_text(strip=True) == post.title
    origin = page.select_one(".post-origin")
    assert "Réseau Maillage" in origin.get_text()
    assert origin.select_one("a")["href"] == f"http://localhost/blog/{post.slug}/"
    assert page.select_one('meta[property="og:site_name"]')["content"] == "Maillage Bretagne"


def test_the_feeds_link_to_the_targets_own_address(client, head_blog, bretagne_site):
    post = share(make_post(head_blog, "Assemblée générale du réseau"), bretagne_site)
    for kind in ("rss", "atom"):
        assert (
            feed(client, BRETAGNE, kind)[post.title]
            == f"http://bretagne.localhost/blog/{post.slug}/"
        )


def test_a_blogs_own_post_wins_over_a_shared_one_with_the_same_slug(
    client, head_blog, bretagne_blog
):
    own = make_post(bretagne_blog, "La nôtre", slug="meme-adresse", intro="Écrit en Bretagne.")
    shared = share(
        make_post(head_blog, "Celle du réseau", slug="meme-adresse"), scope=ShareScope.REGIONAL
    )

    html = served(client, BRETAGNE, "meme-adresse").content.decode()
    assert own.title in html and shared.title not in html
    # not listed where it cannot be served; listed where it can
    assert cards(client, BRETAGNE) == {own.title: None}
    assert shared.title not in feed(client, BRETAGNE)
    assert_listed_on(client, shared, OCCITANIE, "Réseau Maillage")

    # an unpublished own post no longer stands in the way
    own.unpublish()
    assert_listed_on(client, shared, BRETAGNE, "Réseau Maillage")


def test_the_blogs_routes_still_answer_on_a_target(client, head_blog, bretagne_site):
    share(make_post(head_blog, "Réseau", tags=["vélo"]), scope=ShareScope.REGIONAL)
    for path in ("/blog/", "/blog/feed/rss/", "/blog/feed/atom/", "/blog/tag/vélo/"):
        assert get(client, path, BRETAGNE).status_code == 200, path
    assert served(client, BRETAGNE, "nothing-here").status_code == 404


# --- a shared post follows its origin ---------------------------------------------------------


@pytest.fixture
def regional_post(head_blog):
    """A head-site post shared with every regional site, and listed on both."""
    return share(make_post(head_blog, "Un fonds pour les régions"), scope=ShareScope.REGIONAL)


def test_an_edit_of_the_origin_shows_on_every_target_at_once(client, regional_post):
    assert_listed_on(client, regional_post, BRETAGNE, "Réseau Maillage")  # warm any cache

    edited = publish(regional_post, title="Un fonds doublé pour les régions")

    for host in (BRETAGNE, OCCITANIE):
        listed = cards(client, host)
        assert edited.title in listed and regional_post.title not in listed
        assert edited.title in feed(client, host)
        html = served(client, host, edited.slug).content.decode()
        assert edited.title in html


def test_a_draft_of_the_origin_changes_nothing_on_the_targets(client, regional_post):
    draft = BlogPostPage.objects.get(pk=regional_post.pk)
    draft.title = "Pas encore publié"
    draft.save_revision()
    assert regional_post.title in cards(client, BRETAGNE)
    assert "Pas encore publié" not in cards(client, BRETAGNE)


def test_unpublishing_the_origin_removes_it_everywhere(client, regional_post):
    assert_listed_on(client, regional_post, BRETAGNE, "Réseau Maillage")
    regional_post.unpublish()
    assert_nowhere_but_origin(client, regional_post, HEAD, hosts=[BRETAGNE, OCCITANIE])


def test_expiry_of_the_origin_removes_it_everywhere(client, regional_post):
    assert_listed_on(client, regional_post, OCCITANIE, "Réseau Maillage")
    regional_post.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    regional_post.save()
    call_command("publish_scheduled", verbosity=0)
    assert not BlogPostPage.objects.get(pk=regional_post.pk).live
    assert_nowhere_but_origin(client, regional_post, HEAD, hosts=[BRETAGNE, OCCITANIE])


def test_deleting_the_origin_removes_it_everywhere(client, regional_post, bretagne_site):
    HiddenSharedPost.objects.create(post=regional_post, site=bretagne_site)
    regional_post.delete()
    assert_nowhere_but_origin(client, regional_post, HEAD, hosts=[BRETAGNE, OCCITANIE])
    assert not HiddenSharedPost.objects.exists()


def test_removing_a_chosen_site_retracts_it_from_that_site(
    client, head_blog, bretagne_site, occitanie_site
):
    post = share(make_post(head_blog, "Pour deux régions"), bretagne_site, occitanie_site)
    assert_listed_on(client, post, BRETAGNE, "Réseau Maillage")

    post = publish(post, shared_sites=[occitanie_site])

    assert_nowhere_but_origin(client, post, HEAD, hosts=[BRETAGNE])
    assert_listed_on(client, post, OCCITANIE, "Réseau Maillage")


@pytest.mark.parametrize(
    ("new_scope", "still_on"),
    [(ShareScope.NONE, []), (ShareScope.THEMATIC, [EMPLOI])],
)
def test_changing_the_scope_retracts_it(client, regional_post, emploi_site, new_scope, still_on):
    post = accept_all(publish(regional_post, share_scope=new_scope))  # Emploi accepts

    assert_nowhere_but_origin(client, post, HEAD, hosts=[BRETAGNE, OCCITANIE])
    for host in still_on:
        assert_listed_on(client, post, host, "Réseau Maillage")
