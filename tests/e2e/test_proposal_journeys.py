"""Journey: sharing by proposal. A regional editor proposes a post to the whole network from the
Promote tab; it shows nowhere else yet; the head office accepts it from "Shared with my site" and
it shows on the head site's blog; Occitanie declines it with a reason, which the origin's editor
reads in "Where is this published"; unpublishing warns that the head site will no longer show
it."""

import re

import pytest
from playwright.sync_api import expect

from blog.models import BlogPostPage, ShareProposal
from tests.support.blog import blog_of, make_author, make_post
from tests.support.comments import make_user
from tests.support.journeys import HEAD, field, log_in

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
TITLE = "Les tiers-lieux bretons s'organisent"
REASON = "Nous avons déjà publié un dossier sur les tiers-lieux."


@pytest.fixture
def people(head_site, bretagne_site, occitanie_site):
    return {
        "bretagne": make_user("brigitte", bretagne_site.profile.editors),
        "head": make_user("hugo", head_site.profile.editors),
        "occitanie": make_user("oscar", occitanie_site.profile.editors),
    }


@pytest.fixture
def post(bretagne_site):
    return make_post(blog_of(bretagne_site), TITLE, authors=[make_author("Brigitte Le Goff")])


def titles(visitor, site_url, host):
    visitor.goto(site_url(host, "/blog/"))
    return visitor.locator(".post-card__title a").all_inner_texts()


def answer(page, title):
    """The row of the "Proposed to this site" table for this post."""
    section = page.locator("[data-proposals]")
    return section.locator("tr[data-proposal]").filter(has=page.get_by_role("link", name=title))


def test_a_regional_post_proposed_to_the_network_accepted_declined_then_unpublished(
    page, new_page, site_url, head_site, bretagne_site, occitanie_site, people, post
):
    visitor = new_page()

    # Bretagne's editor proposes the post to every site of the network.
    log_in(page, site_url, "brigitte")
    page.goto(site_url(HEAD, f"/admin/pages/{post.pk}/edit/"))
    page.get_by_role("tab", name="Promote").click()
    page.get_by_role("combobox", name=field("Share with")).select_option(
        label="Every site of the network"
    )
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages .success")).to_be_visible()
    assert ShareProposal.objects.filter(post=post).count() == 2
    assert TITLE not in titles(visitor, site_url, HEAD)

    # The head office accepts it: it shows on the head site's blog.
    head = new_page()
    log_in(head, site_url, "hugo")
    head.get_by_role("link", name=TITLE).click()  # the dashboard's panel
    row = answer(head, TITLE)
    row.get_by_role("button", name="Accept").click()
    expect(head.locator(".messages .success")).to_be_visible()
    expect(answer(head, TITLE)).to_have_count(0)
    assert TITLE in titles(visitor, site_url, HEAD)

    # Occitanie declines it, with a reason.
    occitanie = new_page()
    log_in(occitanie, site_url, "oscar")
    occitanie.goto(site_url(HEAD, "/admin/shared-with-my-site/"))
    answer(occitanie, TITLE).get_by_role("link", name="Decline").click()
    occitanie.get_by_role("textbox", name=field("Why do you decline it?")).fill(REASON)
    occitanie.get_by_role("button", name="Decline").click()
    expect(occitanie.locator(".messages .success")).to_be_visible()
    expect(answer(occitanie, TITLE)).to_contain_text(REASON)
    assert TITLE not in titles(visitor, site_url, OCCITANIE)

    # The origin's editor sees both answers, then is warned before unpublishing.
    page.goto(site_url(HEAD, f"/admin/pages/{post.pk}/edit/"))
    page.get_by_role("tab", name="Promote").click()
    panel = page.locator("[data-where-published]")
    expect(panel.locator(f'tr[data-site="{HEAD}"]')).to_have_attribute("data-state", "listed")
    declined = panel.locator(f'tr[data-site="{OCCITANIE}"]')
    expect(declined).to_have_attribute("data-state", "declined")
    expect(declined).to_contain_text(REASON)

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("link", name="Unpublish").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{post.pk}/unpublish/"))
    warning = page.locator("[data-shown-elsewhere]")
    expect(warning).to_have_attribute("data-shown-elsewhere", "1")
    expect(warning).to_contain_text(head_site.site_name)
    page.get_by_role("button", name="Yes, unpublish it").click()
    expect(page.locator(".messages .success")).to_be_visible()
    assert not BlogPostPage.objects.get(pk=post.pk).live
    assert TITLE not in titles(visitor, site_url, HEAD)
