"""Journey 7: a Bretagne editor translates a French post of Bretagne into English with
wagtail-localize's interface (Translate this page, then its translation editor) and publishes it;
until then /en/ of the post answers 404 and no hreflang points to it; then a visitor on the French
post follows the language switcher to the English one. The same editor is refused on an Occitanie
post."""

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


REFUSED = re.compile(r"do not have permission|n'avez pas les autorisations")


@pytest.fixture
def translator(bretagne_site):
    """One of Bretagne's editors: site teams translate their own site's pages
    (sites/translation_views.py keeps them there)."""
    return make_user("sophie", bretagne_site.profile.editors)


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

    # Translated but not published: nothing in English for visitors and search engines.
    visitor = new_page()
    for slug in (post.slug, EN_SLUG):
        assert visitor.goto(site_url(BRETAGNE, f"/en/blog/{slug}/")).status == 404
    visitor.goto(site_url(BRETAGNE, f"/blog/{post.slug}/"))
    expect(visitor.locator('link[rel="alternate"][hreflang="en"]')).to_have_count(0)
    expect(
        visitor.locator("nav.language-switcher").get_by_role("link", name="English")
    ).to_have_count(0)

    page.get_by_role("button", name="Publish in English").click()
    expect(page.locator(".messages .success")).to_be_visible()

    translated.refresh_from_db()
    assert (translated.live, translated.title, translated.slug) == (True, EN_TITLE, EN_SLUG)

    visitor.goto(site_url(BRETAGNE, f"/blog/{post.slug}/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator('link[rel="alternate"][hreflang="en"]')).to_have_count(1)
    switcher = visitor.locator("nav.language-switcher")
    switcher.get_by_role("link", name="English").click()
    visitor.wait_for_url(site_url(BRETAGNE, f"/en/blog/{EN_SLUG}/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(EN_TITLE)
    expect(visitor.get_by_text(EN_BODY)).to_be_visible()
    assert visitor.locator("html").get_attribute("lang") == "en"


def test_a_bretagne_editor_is_refused_on_an_occitanie_post(
    page, site_url, occitanie_site, translator, english
):
    occitanie_post = make_post(blog_of(occitanie_site), "Une coopérative à Albi")
    log_in(page, site_url, translator.username)
    for path in (
        f"/admin/pages/{occitanie_post.pk}/edit/",
        f"/admin/localize/submit/page/{occitanie_post.pk}/",
    ):
        page.goto(site_url(HEAD, path))
        page.wait_for_url(site_url(HEAD, "/admin/"))  # Wagtail's answer to a refusal
        # Wagtail's message, in French on the way out of the refused view
        expect(page.locator(".messages .error")).to_contain_text(REFUSED)
    assert not occitanie_post.get_translations().exists()
