"""Journey 5: a regional editor writes and publishes an illustrated post in Wagtail's editor,
cannot open another site's pages, and finds the post on the head site's network news."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from blog.models import BlogPostPage, NetworkNewsPage
from tests.support.blog import blog_of, make_author, make_image
from tests.support.comments import make_user
from tests.support.journeys import HEAD, field, log_in

BRETAGNE = "bretagne.localhost"
TITLE = "Un tiers-lieu ouvre à Quimper"


@pytest.fixture
def editor(bretagne_site):
    return make_user("erwan", bretagne_site.profile.editors)


@pytest.fixture
def news(head_site):
    page = NetworkNewsPage(title="Actualités du réseau", slug="actualites")
    head_site.root_page.add_child(instance=page)
    return page


@pytest.fixture
def photo(bretagne_site):
    """A photo already in Bretagne's media library."""
    image = make_image("Tiers-lieu de Quimper")
    image.collection = bretagne_site.profile.collection
    image.save()
    return image


@pytest.fixture
def author(network):
    return make_author("Erwan Le Gall")


def choose_in_modal(page, button, title):
    """Open a chooser and pick the item named `title` from its list."""
    button.click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("link", name=title).first.click()
    expect(modal).to_be_hidden()


def test_a_regional_editor_publishes_an_illustrated_post_on_their_site_only(
    page, new_page, site_url, bretagne_site, occitanie_site, editor, news, photo, author
):
    blog = blog_of(bretagne_site)
    log_in(page, site_url, editor.username)
    page.goto(site_url(HEAD, f"/admin/pages/{blog.pk}/"))
    page.get_by_role("link", name=re.compile(r"^Add child page")).first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/"))

    page.get_by_role("textbox", name=field("Title")).fill(TITLE)
    page.get_by_role("textbox", name=field("Introduction")).fill("Un lieu pour travailler.")
    choose_in_modal(page, page.get_by_role("button", name="Choose an image"), photo.title)
    page.get_by_role("textbox", name=field("Main image: alternative text")).fill(
        "La grande salle du tiers-lieu"
    )
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Rich text").click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.fill(
        "Le lieu ouvre ses portes samedi."
    )
    choose_in_modal(page, page.get_by_role("button", name="Choose author").first, author.name)

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages .success")).to_be_visible()

    post = BlogPostPage.objects.get(title=TITLE)
    assert post.live
    assert post.get_parent().pk == blog.pk
    assert post.hero_image_id == photo.pk
    assert [block.block_type for block in post.body] == ["paragraph"]
    assert [credit.author_id for credit in post.post_authors.all()] == [author.pk]

    other = blog_of(occitanie_site)
    response = page.goto(site_url(HEAD, f"/admin/pages/{other.pk}/edit/"))
    expect(page.locator("form#page-edit-form")).to_have_count(0)
    if response.status == 200:  # Wagtail sends the editor back to the admin home, and says why
        assert page.url == site_url(HEAD, "/admin/")
        expect(page.locator(".messages .error")).to_be_visible()
    else:
        assert response.status in (403, 404)
    assert page.get_by_role("textbox", name=field("Title")).count() == 0

    visitor = new_page()
    visitor.goto(site_url(HEAD, "/actualites/"))
    card = visitor.get_by_role("link", name=TITLE)
    expect(card).to_have_count(1)
    link = urlsplit(card.get_attribute("href"))
    assert (link.hostname, link.path) == (BRETAGNE, f"/blog/{post.slug}/")

    visitor.goto(site_url(BRETAGNE, link.path))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_text("Le lieu ouvre ses portes samedi.")).to_be_visible()
    hero = visitor.get_by_role("img", name="La grande salle du tiers-lieu")
    expect(hero).to_be_visible()
    assert hero.evaluate("img => img.naturalWidth > 0")
