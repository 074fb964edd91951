"""Journey 1: visitors comment and reply on a regional site; the site's moderator approves both
from the admin; the thread shows the reply nested."""

import pytest

from comments.models import Comment, CommentStatus

from ..blog.builders import blog_of, make_post

BRETAGNE = "bretagne.localhost"


@pytest.fixture(autouse=True)
def quick_forms(settings):
    """People take more than the anti-robot delay to write; the browser fills forms at once."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0


@pytest.fixture
def post(bretagne_site):
    return make_post(blog_of(bretagne_site), "Habiter autrement en Bretagne")


def fill_comment(page, name, email, body):
    form = page.locator("form#comment-form")
    form.get_by_label("Nom").fill(name)
    form.locator('input[name="email"]').fill(email)
    form.locator('textarea[name="body"]').fill(body)
    form.get_by_role("button", name="Envoyer").click()


def test_a_visitor_comments_and_sees_it_awaits_moderation(page, site_url, post):
    page.goto(site_url(BRETAGNE, f"/blog/{post.slug}/"))
    assert page.locator("h1").inner_text() == post.title

    fill_comment(page, "Maël", "mael@example.org", "Très bel article, merci !")

    page.wait_for_url("**?comment=pending#comments")
    assert page.get_by_role("status").inner_text().strip() != ""
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.page_id == post.pk
