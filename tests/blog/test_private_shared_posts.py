"""A shared post made private through the admin's privacy modal leaves the target sites' listings,
feeds and search at once, with the page cache on (sites.page_cache.restriction_changed); made
public again, it comes back at once."""

from django.test import Client

from wagtail.models import PageViewRestriction

import pytest

from blog.choices import ShareScope
from tests.support.blog import accept_all, blog_of, make_post

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
TITLE = "Assemblée générale"
LINK = "/blog/ag/"  # in a card, a feed item, a search result (whose title is marked up)
TARGET_PAGES = ["/blog/", "/blog/feed/rss/", "/search/?q=Assembl%C3%A9e"]


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    settings.MAILLAGE_PAGE_CACHE = True
    settings.MAILLAGE_FRAGMENT_CACHE = True
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shared(bretagne_site, occitanie_site):
    """A Bretagne post shared with Occitanie, already in Occitanie's cached pages."""
    post = make_post(blog_of(bretagne_site), TITLE, slug="ag")
    post.share_scope = ShareScope.NONE
    post.shared_sites = [occitanie_site]
    post.save_revision().publish()
    accept_all(post)  # Occitanie accepts the proposal
    for path in TARGET_PAGES:
        visit(path)  # stored
        second = visit(path)
        assert LINK in second.content.decode(), path
        assert second["X-Page-Cache"] == "hit", path
    return post


def visit(path, host=OCCITANIE):
    return Client().get(path, HTTP_HOST=host)


def set_privacy(admin_client, page, restriction_type, **fields):
    response = admin_client.post(
        f"/admin/pages/{page.pk}/privacy/",
        {"restriction_type": restriction_type, **fields},
        HTTP_HOST=BRETAGNE,
    )
    assert response.status_code == 200
    assert response.json()["step"] == "set_privacy_done"


def shown_on_target():
    return {path: LINK in visit(path).content.decode() for path in TARGET_PAGES}


def test_a_shared_post_made_private_leaves_the_target_site_at_once(admin_client, shared):
    set_privacy(admin_client, shared, PageViewRestriction.PASSWORD, password="secret")

    assert PageViewRestriction.objects.filter(page=shared).exists()
    assert shown_on_target() == dict.fromkeys(TARGET_PAGES, False)
    assert LINK not in visit("/blog/", BRETAGNE).content.decode()
    # Control: made public again, it is back on the target at once.
    set_privacy(admin_client, shared, PageViewRestriction.NONE)
    assert shown_on_target() == dict.fromkeys(TARGET_PAGES, True)


def test_a_blog_made_private_takes_its_shared_posts_off_the_target_sites(
    admin_client, shared, bretagne_site
):
    """The restriction sits on the blog, above the post: it hides the post all the same."""
    set_privacy(admin_client, blog_of(bretagne_site), PageViewRestriction.LOGIN)

    assert shown_on_target() == dict.fromkeys(TARGET_PAGES, False)
    assert visit("/blog/ag/").status_code in (302, 404)
