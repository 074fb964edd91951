"""seed_demo gives every demo site a blog worth browsing: posts over several months, authors with
portraits, categories, and one post kept in English by wagtail-localize."""

import re
from io import StringIO

from django.core.management import call_command
from django.utils.html import escape

from wagtail.models import Locale, Site

import pytest

from blog.models import Author, BlogCategory, BlogIndexPage, BlogPostPage
from hub.demo.blog import (
    AUTHORS,
    CAMILLE,
    CATEGORIES,
    PATTERNS,
    SITE_BLOGS,
    post_texts,
    post_values,
)
from hub.demo.network import DEMO_SITES

pytestmark = pytest.mark.django_db

BRETAGNE = {"HTTP_HOST": "bretagne.localhost:8000", "SERVER_PORT": "8000"}


@pytest.fixture(autouse=True)
def media_root(settings, demo_media):
    """The demo imports logos and portraits: keep them out of the project's media folder."""
    settings.MEDIA_ROOT = demo_media
    return settings.MEDIA_ROOT


@pytest.fixture
def seeded(seeded_demo):
    """The demo, seeded once for this module's tests that only read it."""
    return seeded_demo


def seed():
    out = StringIO()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)
    return out.getvalue()


def blog_of(hostname):
    site = Site.objects.get(hostname=hostname, port=8000)
    return BlogIndexPage.objects.child_of(site.root_page).get(slug="blog")


def english_post():
    [(key, demo)] = [
        (key, post) for key, blog in SITE_BLOGS.items() for post in blog.posts if post.title_en
    ]
    assert key == "bretagne"
    return demo


def test_every_site_has_six_live_posts_over_several_months(seeded):
    for demo in DEMO_SITES:
        posts = blog_of(demo.hostname).posts()
        assert posts.count() >= 6, demo.hostname
        assert len({(p.date.year, p.date.month) for p in posts}) >= 3, demo.hostname
        for post in posts:
            assert post.locale.language_code == "fr"
            assert 1 <= len(post.authors) <= 2, post.title
            assert 1 <= post.categories.count() <= 2, post.title
            assert post.tags.count() >= 2, post.title
            assert post.intro and len(post.body) >= 3, post.title
            assert post.first_published_at.date() == post.date, post.title
            assert not post.has_unpublished_changes


def test_posts_differ_from_site_to_site(seeded):
    titles = list(BlogPostPage.objects.filter(locale__language_code="fr").values_list("title"))
    assert len(titles) == len(set(titles)) >= 6 * len(DEMO_SITES)
    # some posts point at an earlier post of the same blog
    bretagne = blog_of("bretagne.localhost")
    linked = [p for p in bretagne.posts() if p.related_links.exists()]
    assert linked
    for post in linked:
        assert all(link.related.get_parent().pk == bretagne.pk for link in post.related_links.all())


def test_the_blog_and_its_posts_are_served(client, seeded):
    post = blog_of("bretagne.localhost").posts().first()
    response = client.get(post.url, **BRETAGNE)
    assert response.status_code == 200
    assert escape(post.title) in response.content.decode()
    assert client.get("/blog/", **BRETAGNE).status_code == 200


def test_authors_have_portraits_and_categories_a_translation(seeded):
    french_authors = Author.objects.filter(locale__language_code="fr")
    assert sorted(a.name for a in french_authors) == sorted(a.name for a in AUTHORS)
    head = Site.objects.get(hostname="localhost", port=8000)
    for author in french_authors:
        assert author.role and author.bio
        assert author.photo is not None, author.name
        assert author.photo.collection == head.profile.collection
        assert author.photo.width == author.photo.height == 256
    english = Locale.objects.get(language_code="en")
    camille = french_authors.get(name=CAMILLE.name)
    [translated] = Author.objects.filter(locale=english)
    assert (translated.name, translated.role) == (CAMILLE.name, CAMILLE.role_en)
    assert translated.translation_key == camille.translation_key
    assert translated.photo == camille.photo

    assert BlogCategory.objects.count() == 2 * len(CATEGORIES)
    for demo in CATEGORIES:
        french = BlogCategory.objects.get(slug=demo.slug, locale__language_code="fr")
        translated = french.get_translation(english)
        assert (french.name, translated.name, translated.slug) == (
            demo.name,
            demo.name_en,
            demo.slug_en,
        )


def test_authors_write_for_their_site_and_posts_credit_only_those_they_may(seeded):
    """Each site's own author is that site's (the head office's, Julien, is the head site's);
    the coauthors of several sites' posts are the network's; every post credits only authors of
    its site, of the head office or of the network (blog/authors.py)."""
    from blog import authors
    from sites import network

    hosts = {demo.slug: demo.hostname for demo in DEMO_SITES}
    for demo in AUTHORS:
        for author in Author.objects.filter(name=demo.name):  # its translations too
            site = author.site.hostname if author.site else ""
            assert site == hosts.get(demo.site, ""), demo.name
    assert Author.objects.filter(site__isnull=True).exists()
    for post in BlogPostPage.objects.all():
        credited = {link.author_id for link in post.post_authors.all()}
        usable = authors.usable_on(network.site_for_page(post)).filter(pk__in=credited)
        assert usable.count() == len(credited), post.title


def test_the_demo_texts_read_as_french():
    """Patterns are filled in with names and subjects: no "de le", "À Le Mans" or "de Avel"."""
    wrong = re.compile(r"\b(de|à) (le|les) |\bde [aàâeéèêiîoôuy]", re.IGNORECASE)
    for key, content in SITE_BLOGS.items():
        slugs = [post.slug for post in content.posts]
        assert len(set(slugs)) == len(slugs), key
        for demo in content.posts:
            texts = post_texts(PATTERNS[demo.pattern], post_values("Maillage", content, demo))
            for text in [texts["intro"], *texts["before"], *texts["after"], texts["quote_source"]]:
                assert not wrong.search(text), text


def test_demo_portraits_are_committed_small_png_files():
    from hub.demo.network import PORTRAITS_DIR

    for author in AUTHORS:
        path = PORTRAITS_DIR / author.photo_name
        assert path.read_bytes().startswith(b"\x89PNG"), path
        assert path.stat().st_size < 10_000, path


def test_the_english_post_is_a_wagtail_localize_translation_served_in_english(client, seeded):
    from wagtail_localize.models import Translation

    demo = english_post()
    french = BlogPostPage.objects.child_of(blog_of("bretagne.localhost")).get(slug=demo.slug)
    translated = french.get_translation(Locale.objects.get(language_code="en")).specific
    assert translated.live and translated.title == demo.title_en
    assert translated.slug == demo.slug_en
    assert translated.date == french.date
    assert translated.first_published_at == french.first_published_at
    assert translated.intro.startswith("In Lorient, ")
    assert "hybrid business model" in str(translated.body)
    assert "Un modèle" not in str(translated.body)
    # kept in sync by wagtail-localize, for the post and for its blog; every string is English
    translation = Translation.objects.get(
        source__object_id=french.translation_key, target_locale=translated.locale, enabled=True
    )
    total, done = translation.get_progress()
    assert total == done > 5
    assert Translation.objects.filter(
        source__object_id=french.get_parent().translation_key, enabled=True
    ).exists()

    response = client.get(f"/en/blog/{demo.slug_en}/", **BRETAGNE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert demo.title_en in html
    assert "hybrid business model" in html
    assert client.get("/en/blog/", **BRETAGNE).status_code == 200


def test_two_posts_are_shared_with_other_sites(client, seeded):
    """A national post with every regional site, a thematic one with Maillage Bretagne: listed
    on the targets with their origin and served there, nowhere else."""
    from bs4 import BeautifulSoup

    from blog.syndication import ShareScope
    from hub.demo.blog import SHARED_POSTS

    def cards(hostname):
        response = client.get("/blog/", HTTP_HOST=f"{hostname}:8000", SERVER_PORT="8000")
        assert response.status_code == 200
        page = BeautifulSoup(response.content, "html.parser")
        return {
            card.select_one(".post-card__title a").get_text(strip=True): card.select_one(
                ".post-card__origin"
            )
            for card in page.select(".post-card")
        }

    national, thematic, pending = SHARED_POSTS
    assert national.scope == ShareScope.REGIONAL and thematic.sites == ("bretagne",)
    assert pending.pending and pending.sites == ("accueil",)
    names = {demo.slug: demo.name for demo in DEMO_SITES}
    for demo in DEMO_SITES:
        listed = cards(demo.hostname)
        for share in (national, thematic):
            target = demo.kind == "regional" if share is national else demo.slug in share.sites
            if demo.slug == share.origin:
                assert listed[share.title] is None, demo.hostname  # its own, not marked
            elif target:
                assert names[share.origin] in listed[share.title].get_text(), demo.hostname
                response = client.get(
                    f"/blog/{share.slug}/", HTTP_HOST=f"{demo.hostname}:8000", SERVER_PORT="8000"
                )
                assert response.status_code == 200, demo.hostname
            else:
                assert share.title not in listed, demo.hostname


def test_the_demo_shows_accepted_shares_and_one_waiting_for_the_head_office(seeded):
    """Regional sites accept what the head office shares automatically; the other shares are
    accepted, but for one Bretagne post still proposed to the head site, shown nowhere else."""
    from blog.choices import ProposalStatus
    from blog.models import ShareProposal
    from hub.demo.blog import SHARED_POSTS
    from sites.models import SiteSettings

    pending = SHARED_POSTS[-1]
    proposals = ShareProposal.objects.select_related("post", "site__profile")
    waiting = proposals.filter(status=ProposalStatus.PROPOSED)
    assert [(p.post.slug, p.site.profile.kind) for p in waiting] == [(pending.slug, "head")]
    assert proposals.exclude(status=ProposalStatus.PROPOSED).count() >= 2
    regional = SiteSettings.objects.filter(site__profile__kind="regional")
    assert regional.exists() and all(settings.accept_from_head_office for settings in regional)
    automatic = proposals.filter(post__slug=SHARED_POSTS[0].slug)
    assert automatic and all(p.decided_by is None for p in automatic)
