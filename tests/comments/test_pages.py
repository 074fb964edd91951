"""The comments app's own pages about a commented page (closed, form errors, too many comments,
edit, notification links) are rendered one way (comments.rendering.render_for_page): in the
language of the commented page, which they name and link back to, without taking its place as
the page shown (its description stays the page's own)."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from sites.models import ModerationPolicy
from tests.support.blog import make_post, translate_blog
from tests.support.comments import send, set_policy


@pytest.fixture
def english_post(bretagne_site, english):
    return make_post(
        translate_blog(bretagne_site, english),
        "Living together",
        intro="A description search engines read on the post itself.",
    )


def check(response, status, post, heading):
    assert response.status_code == status
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "en"
    assert page.h1.get_text(strip=True) == heading
    links = {a.get_text(strip=True): a["href"] for a in page.select("main a")}
    assert urlsplit(links[f"Back to “{post.title}”"]).path == urlsplit(post.full_url).path
    assert page.select_one('meta[name="description"]') is None  # not the post's page


def test_closed_comments_answer_in_the_pages_language(client, bretagne_site, english_post):
    set_policy(bretagne_site, comments_enabled=False)
    check(send(client, english_post), 403, english_post, "Comments are closed")


def test_form_errors_answer_in_the_pages_language(client, bretagne_site, english_post):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    response = send(client, english_post, body="")
    check(response, 400, english_post, "Your comment could not be sent")
    form = BeautifulSoup(response.content, "html.parser").select_one("form#comment-form")
    assert form["action"] == f"/comments/post/{english_post.pk}/"
