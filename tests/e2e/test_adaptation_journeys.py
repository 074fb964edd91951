"""Local adaptation (issue 19): a Bretagne editor gives an Occitanie post shared with Bretagne a
local title in the admin; the origin's editor later rewrites the body and publishes; Bretagne's
page shows the local title with the new body, its canonical link still the origin's."""

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from blog.choices import ProposalStatus
from blog.models import BlogPostPage, LocalAdaptation, ShareProposal
from tests.e2e.test_public_pages import VNU_JAR, nu_errors
from tests.support.blog import blog_of, make_author, make_post
from tests.support.comments import make_user
from tests.support.journeys import HEAD, field, log_in

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
TITLE = "Les coopératives d'énergie citoyenne"
LOCAL_TITLE = "Énergie citoyenne : les projets bretons s'en inspirent"
NOTE = "En Bretagne, rendez-vous le 12 mars à Lorient."
NEW_BODY = "Trois nouvelles coopératives ont rejoint le mouvement cet hiver."


@pytest.fixture
def bretagne_editor(bretagne_site):
    return make_user("brieuc", bretagne_site.profile.editors)


@pytest.fixture
def occitanie_editor(occitanie_site):
    return make_user("oceane", occitanie_site.profile.editors)


@pytest.fixture
def post(occitanie_site, bretagne_site):
    """A live Occitanie post, with a revision as its editor would have, shared with Bretagne
    and accepted there."""
    post = make_post(
        blog_of(occitanie_site),
        TITLE,
        slug="energie-citoyenne",
        authors=[make_author("Océane Roux")],
        intro="Un tour des coopératives de la région.",
        body=[("paragraph", "<p>Le texte d'origine.</p>")],
    )
    post.shared_sites = [bretagne_site]
    post.save_revision().publish()
    ShareProposal.objects.update_or_create(
        post=post, site=bretagne_site, defaults={"status": ProposalStatus.ACCEPTED}
    )
    return BlogPostPage.objects.get(pk=post.pk)


def test_bretagne_adapts_the_title_and_the_origins_later_edit_of_the_body_shows_there(
    page, new_page, site_url, bretagne_site, bretagne_editor, occitanie_editor, post, tmp_path
):
    shared_path = f"/blog/{post.slug}/"
    visitor = new_page()
    visitor.goto(site_url(BRETAGNE, shared_path))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Bretagne's editor adapts the title from "Shared with my site".
    log_in(page, site_url, bretagne_editor.username)
    page.goto(site_url(HEAD, "/admin/shared-with-my-site/"))
    row = page.locator(f'tr[data-post="{post.pk}"]')
    row.locator('[data-action="adapt"]').click()
    page.wait_for_url(
        re.compile(rf"/admin/shared-with-my-site/{bretagne_site.pk}/{post.pk}/adapt/")
    )
    page.get_by_role("textbox", name=field("Local title")).fill(LOCAL_TITLE)
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()  # the note above
    page.keyboard.type(NOTE)
    page.get_by_role("textbox", name=field("Local title")).click()  # Draftail saves on blur
    page.wait_for_timeout(500)
    page.locator("#w-editor-form button[type=submit]").click()
    expect(page.locator(".messages .success")).to_be_visible()
    expect(page.locator(f'tr[data-post="{post.pk}"] [data-adapted]')).to_be_visible()
    assert LocalAdaptation.objects.get(post=post, site=bretagne_site).title == LOCAL_TITLE

    visitor.goto(site_url(BRETAGNE, shared_path))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(LOCAL_TITLE)
    visitor.goto(site_url(BRETAGNE, "/blog/"))
    expect(visitor.get_by_role("link", name=LOCAL_TITLE)).to_have_count(1)
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)

    # Occitanie's editor rewrites the body and publishes.
    origin = new_page()
    log_in(origin, site_url, occitanie_editor.username)
    origin.goto(site_url(HEAD, f"/admin/pages/{post.pk}/edit/"))
    origin.locator(".Draftail-Editor [contenteditable=true]").first.click()
    origin.keyboard.press("ControlOrMeta+a")
    origin.keyboard.type(NEW_BODY)
    expect(origin.locator(".Draftail-Editor").first).to_contain_text(NEW_BODY)
    # Draftail saves its content into the form a moment after the last key (and on blur).
    origin.get_by_role("textbox", name=field("Introduction")).click()
    origin.wait_for_timeout(500)
    origin.get_by_role("button", name="More actions").click()
    origin.get_by_role("button", name="Publish").click()
    expect(origin.locator(".messages .success")).to_be_visible()
    assert NEW_BODY in str(BlogPostPage.objects.get(pk=post.pk).body)

    # Bretagne shows its own title with the origin's new body; Occitanie its own title.
    served = visitor.goto(site_url(BRETAGNE, shared_path))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(LOCAL_TITLE)
    expect(visitor.locator(".post-body")).to_contain_text(NEW_BODY)
    expect(visitor.locator(".post-body")).not_to_contain_text("Le texte d'origine.")
    expect(visitor.locator('aside[data-local-note="above"]')).to_have_text(NOTE)
    canonical = urlsplit(visitor.locator('link[rel="canonical"]').get_attribute("href"))
    assert (canonical.hostname, canonical.path) == (OCCITANIE, shared_path)
    if Path(VNU_JAR).exists() and shutil.which("java"):  # the adapted page is valid HTML
        assert nu_errors([("adapted post", served.text())], tmp_path) == []

    visitor.goto(site_url(OCCITANIE, shared_path))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator(".post-body")).to_contain_text(NEW_BODY)
