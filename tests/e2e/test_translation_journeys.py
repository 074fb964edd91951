"""Journey 7: an editor translates a French post into English with wagtail-localize's interface
(Translate this page, then its translation editor) and publishes it; a visitor on the French post
follows the language switcher to the English one."""

import re

from wagtail.rich_text import RichText

import pytest
from playwright.sync_api import expect

from blog.models import BlogPostPage
from tests.support.blog import blog_of, make_author, make_post, translate_blog
from tests.support.comments import make_user
from tests.support.journeys import HEAD, log_in

BRETAGNE = "bretagne.localhost"
TITLE, INTRO, BODY = (
    "Un tiers-lieu ouvre à Quimper",
    "Un lieu pour travailler ensemble.",
    "Le lieu ouvre ses portes samedi.",
)
EN_TITLE, EN_SLUG, EN_INTRO, EN_BODY = (
    "A third place opens in Quimper",
    "third-place-opens-quimper",
    "A place to work together.",
    "The place opens its doors on Saturday.",
)


@pytest.fixture
def translator(network):
    """A network administrator's account (superuser). Site editors are not given
    wagtail-localize's "submit translation" permission: its view checks only that global
    permission, not the page's site, so it would let them translate other sites' pages."""
    return make_user("sophie", is_superuser=True)


@pytest.fixture
def post(bretagne_site, english):
    """A live French post on Bretagne, whose home page and blog already exist in English."""
    translate_blog(bretagne_site, english, home_title="Maillage Brittany")
    return make_post(
        blog_of(bretagne_site),
        TITLE,
        authors=[make_author("Erwan Le Gall")],
        intro=INTRO,
        body=[("paragraph", RichText(f"<p>{BODY}</p>"))],
    )


def translate_segment(editor, source, translation):
    """In wagtail-localize's editor: the segment showing `source`, "Translate", type, "Save"."""
    segment = editor.locator("li").filter(has_text=source).last
    segment.get_by_role("button", name="Translate").click()
    segment.locator("textarea").fill(translation)
    segment.get_by_role("button", name="Save").click()
    expect(segment).to_have_class(re.compile(r"(^|\s)complete(\s|$)"))  # saved by the server
    expect(segment.get_by_text(translation, exact=True)).to_be_visible()


def test_an_editor_translates_a_post_into_english_and_the_switcher_leads_to_it(
    page, new_page, site_url, bretagne_site, translator, post, english
):
    log_in(page, site_url, translator.username)
    page.goto(site_url(HEAD, f"/admin/pages/{post.pk}/edit/"))
    header = page.get_by_role("navigation", name="Actions", exact=True)
    header.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Translate this page").click()
    page.wait_for_url(re.compile(rf"/admin/localize/submit/page/{post.pk}/"))
    page.get_by_role("checkbox", name="English").check()
    page.get_by_role("button", name="Submit").click()

    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))  # the translation's editor
    translated = BlogPostPage.objects.get(translation_key=post.translation_key, locale=english)
    assert page.url.endswith(f"/admin/pages/{translated.pk}/edit/")
    assert translated.title == TITLE  # wagtail-localize starts from a copy of the French post
    translate_segment(page, TITLE, EN_TITLE)
    translate_segment(page, INTRO, EN_INTRO)
    translate_segment(page, BODY, EN_BODY)
    page.get_by_role("tab", name="Promote").click()
    translate_segment(page, post.slug, EN_SLUG)
    page.get_by_role("button", name="Publish in English").click()
    expect(page.locator(".messages .success")).to_be_visible()

    translated.refresh_from_db()
    assert (translated.live, translated.title, translated.slug) == (True, EN_TITLE, EN_SLUG)

    visitor = new_page()
    visitor.goto(site_url(BRETAGNE, f"/blog/{post.slug}/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    switcher = visitor.locator("nav.language-switcher")
    switcher.get_by_role("link", name="English").click()
    visitor.wait_for_url(site_url(BRETAGNE, f"/en/blog/{EN_SLUG}/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(EN_TITLE)
    expect(visitor.get_by_text(EN_BODY)).to_be_visible()
    assert visitor.locator("html").get_attribute("lang") == "en"
