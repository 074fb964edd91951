"""Journey 6: the head office shares one of its posts with every regional site from the page
editor's Promote tab; a regional site (which accepts what the head office shares automatically)
lists and serves it with a canonical link to the origin, and unpublishing the origin removes it
there at once. Proposals answered by hand: tests/e2e/test_proposal_journeys.py."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from blog.models import BlogPostPage
from blog.syndication import ShareScope
from sites.models import SiteSettings
from tests.support.blog import blog_of, make_author, make_post
from tests.support.comments import make_user
from tests.support.journeys import HEAD, field, log_in

BRETAGNE = "bretagne.localhost"
TITLE = "Le réseau lance son fonds d'amorçage"


@pytest.fixture
def head_editor(head_site):
    return make_user("helene", head_site.profile.editors)


@pytest.fixture
def regional_sites_accept_from_the_head_office(bretagne_site, occitanie_site):
    SiteSettings.objects.filter(site__in=[bretagne_site, occitanie_site]).update(
        accept_from_head_office=True
    )


@pytest.fixture
def post(head_site):
    """A live head-site post, shared with nobody yet."""
    return make_post(
        blog_of(head_site),
        TITLE,
        authors=[make_author("Hélène Martin")],
        intro="Un fonds pour les jeunes structures.",
    )


def listed_card(page, title):
    """The post card of the listing whose title link reads `title`."""
    return page.locator("article.post-card").filter(has=page.get_by_role("link", name=title))


def test_the_head_office_shares_a_post_with_every_regional_site_then_unpublishes_it(
    page,
    new_page,
    site_url,
    head_site,
    bretagne_site,
    occitanie_site,
    head_editor,
    post,
    regional_sites_accept_from_the_head_office,
):
    shared_path = f"/blog/{post.slug}/"
    visitor = new_page()
    assert visitor.goto(site_url(BRETAGNE, shared_path)).status == 404  # not shared yet

    log_in(page, site_url, head_editor.username)
    page.goto(site_url(HEAD, f"/admin/pages/{post.pk}/edit/"))
    page.get_by_role("tab", name="Promote").click()
    page.get_by_role("combobox", name=field("Share with")).select_option(
        label="Every regional site (and the chosen sites)"  # the admin is in English
    )
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages .success")).to_be_visible()
    assert BlogPostPage.objects.get(pk=post.pk).share_scope == ShareScope.REGIONAL

    visitor.goto(site_url(BRETAGNE, "/blog/"))
    card = listed_card(visitor, TITLE)
    expect(card).to_have_count(1)
    expect(card.locator(".post-card__origin")).to_contain_text(head_site.site_name)
    link = urlsplit(card.get_by_role("link", name=TITLE).get_attribute("href"))
    assert (link.hostname or BRETAGNE, link.path) == (BRETAGNE, shared_path)

    card.get_by_role("link", name=TITLE).click()
    visitor.wait_for_url(site_url(BRETAGNE, shared_path))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator(".post-origin")).to_contain_text(head_site.site_name)
    canonical = urlsplit(visitor.locator('link[rel="canonical"]').get_attribute("href"))
    assert (canonical.hostname, canonical.path) == (HEAD, shared_path)

    page.goto(site_url(HEAD, f"/admin/pages/{post.pk}/edit/"))
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("link", name="Unpublish").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{post.pk}/unpublish/"))
    page.get_by_role("button", name="Yes, unpublish it").click()
    expect(page.locator(".messages .success")).to_be_visible()
    assert not BlogPostPage.objects.get(pk=post.pk).live

    assert visitor.goto(site_url(BRETAGNE, shared_path)).status == 404
    visitor.goto(site_url(BRETAGNE, "/blog/"))
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)
