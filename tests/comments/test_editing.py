"""The edit window: the browser that posted a comment may edit or delete it for
COMMENTS_EDIT_MINUTES, until it has a reply; anyone else, or later, gets a clear 403."""

import datetime

from django.core import signing
from django.test import Client
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from comments import editing
from comments.models import Comment, CommentStatus
from sites.models import ModerationPolicy
from tests.support.blog import blog_of, make_post
from tests.support.comments import (
    BRETAGNE,
    bretagne_post,
    make_comment,
    post_path,
    send,
    set_policy,
)


@pytest.fixture
def post(bretagne_site):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    return bretagne_post(bretagne_site)


@pytest.fixture
def posted(client, post):
    """A comment posted (and approved at once) from `client`."""
    assert send(client, post).status_code == 303
    return Comment.objects.get()


def edit_path(comment):
    return f"/comments/edit/{comment.pk}/"


def delete_path(comment):
    return f"/comments/delete/{comment.pk}/"


def edit(client, comment, **fields):
    values = {"name": comment.author_name, "url": comment.url, "body": comment.body, **fields}
    return client.post(edit_path(comment), values, HTTP_HOST=BRETAGNE)


def links_on_page(client, post):
    soup = BeautifulSoup(client.get(post_path(post), HTTP_HOST=BRETAGNE).content, "html.parser")
    return [a["href"] for a in soup.select(".comment__reply a.comment__edit, a.comment__delete")]


def forge_cookie(client, *comments):
    """The cookie the site would have set for `comments`, signed with the site's key."""
    value = ",".join(f"{c.pk}:{int(c.created_at.timestamp())}" for c in comments)
    signer = signing.get_cookie_signer(salt=editing.COOKIE_NAME + editing.COOKIE_SALT)
    client.cookies[editing.COOKIE_NAME] = signer.sign(value)


def age(comment, minutes):
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    comment.refresh_from_db()


def test_posting_sets_a_private_signed_cookie(client, post):
    response = send(client, post)
    cookie = response.cookies[editing.COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["max-age"] == 15 * 60
    assert not cookie["secure"]
    assert "mael" not in cookie.value and "example.org" not in cookie.value


def test_the_cookie_is_secure_over_https(client, post):
    response = send(client, post, headers={"wsgi.url_scheme": "https"})
    assert response.cookies[editing.COOKIE_NAME]["secure"]


def test_only_the_posting_browser_sees_the_links(client, post, posted):
    assert links_on_page(client, post) == [edit_path(posted), delete_path(posted)]
    assert links_on_page(Client(), post) == []


def test_the_links_go_once_the_window_has_passed(client, post, posted):
    age(posted, 16)
    forge_cookie(client, posted)
    assert links_on_page(client, post) == []


def test_edit_within_the_window(client, post, posted):
    form = client.get(edit_path(posted), HTTP_HOST=BRETAGNE)
    assert form.status_code == 200
    soup = BeautifulSoup(form.content, "html.parser")
    assert soup.select_one("main textarea[name=body]").get_text().strip() == posted.body
    assert soup.select_one("main form input[name=csrfmiddlewaretoken]") is not None

    response = edit(client, posted, body="Finalement, je nuance.", name="Maël L. B.")
    assert response.status_code == 303
    assert response["Location"] == f"{post_path(post)}#comment-{posted.pk}"
    posted.refresh_from_db()
    assert (posted.body, posted.author_name) == ("Finalement, je nuance.", "Maël L. B.")
    assert posted.edited_at is not None
    assert posted.status == CommentStatus.APPROVED  # nothing is held on this site
    page = client.get(post_path(post), HTTP_HOST=BRETAGNE).content.decode()
    assert "Finalement, je nuance." in page


@pytest.mark.parametrize(
    "fields",
    [{"body": "  "}, {"url": "javascript:alert(1)"}, {"name": ""}, {"body": "x" * 5001}],
)
def test_an_edit_is_validated_like_a_new_comment(client, posted, fields):
    response = edit(client, posted, **fields)
    assert response.status_code == 400
    assert BeautifulSoup(response.content, "html.parser").select("main .errorlist")
    before = posted.body
    posted.refresh_from_db()
    assert posted.body == before and posted.edited_at is None


def test_an_edit_goes_back_to_moderation_when_the_site_holds_all(
    client, bretagne_site, post, posted
):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.ALL)
    response = edit(client, posted, body="Un texte que personne n'a relu.")
    assert response["Location"] == f"{post_path(post)}?comment=pending#comments"
    posted.refresh_from_db()
    assert posted.status == CommentStatus.PENDING


def test_an_edit_is_checked_for_spam_again(client, posted):
    edit(client, posted, body="https://a.example https://b.example https://c.example")
    posted.refresh_from_db()
    assert posted.status == CommentStatus.SPAM
    assert posted.spam_reason


def test_another_browser_is_refused(client, post, posted):
    other = Client()
    for response in [
        other.get(edit_path(posted), HTTP_HOST=BRETAGNE),
        edit(other, posted, body="Usurpé."),
        other.get(delete_path(posted), HTTP_HOST=BRETAGNE),
        other.post(delete_path(posted), HTTP_HOST=BRETAGNE),
    ]:
        # 404 as for a missing id (was 403): ids can be counted, the answer tells nothing.
        assert response.status_code == 404
        assert BeautifulSoup(response.content, "html.parser").select_one("main [role=alert]")
    posted.refresh_from_db()
    assert posted.body != "Usurpé."


def test_a_tampered_cookie_is_refused(client, bretagne_site, posted):
    """Another comment's id and time put in place of one's own break the signature."""
    other = make_comment(bretagne_post(bretagne_site, "Autre"), email="anne@example.org")
    mine = f"{posted.pk}:{int(posted.created_at.timestamp())}"
    theirs = f"{other.pk}:{int(other.created_at.timestamp())}"
    value = client.cookies[editing.COOKIE_NAME].value
    assert value.startswith(mine)
    client.cookies[editing.COOKIE_NAME] = theirs + value[len(mine) :]
    assert edit(client, other, body="Usurpé.").status_code == 404
    assert client.get(edit_path(posted), HTTP_HOST=BRETAGNE).status_code == 404
    other.refresh_from_db()
    assert other.body != "Usurpé."


def test_refused_after_the_window(client, posted):
    age(posted, 16)
    forge_cookie(client, posted)  # as if the cookie had outlived the window
    for response in [
        client.get(edit_path(posted), HTTP_HOST=BRETAGNE),
        edit(client, posted, body="Trop tard."),
        client.post(delete_path(posted), HTTP_HOST=BRETAGNE),
    ]:
        assert response.status_code == 403
    posted.refresh_from_db()
    assert posted.body != "Trop tard."


def test_still_allowed_just_inside_the_window(client, posted):
    age(posted, 14)
    forge_cookie(client, posted)
    assert edit(client, posted, body="Juste à temps.").status_code == 303


@pytest.mark.parametrize("status", [CommentStatus.APPROVED, CommentStatus.PENDING])
def test_refused_once_a_reply_exists(client, post, posted, status):
    make_comment(post, parent=posted, status=status, email="bob@example.org")
    assert client.get(edit_path(posted), HTTP_HOST=BRETAGNE).status_code == 403
    assert client.post(delete_path(posted), HTTP_HOST=BRETAGNE).status_code == 403
    assert Comment.objects.filter(pk=posted.pk).exists()
    if status == CommentStatus.APPROVED:
        assert links_on_page(client, post) == []


def test_delete_within_the_window(client, post, posted):
    page = client.get(delete_path(posted), HTTP_HOST=BRETAGNE)
    assert page.status_code == 200
    assert BeautifulSoup(page.content, "html.parser").select_one("main form button[type=submit]")
    assert Comment.objects.filter(pk=posted.pk).exists()  # asking deletes nothing

    response = client.post(delete_path(posted), HTTP_HOST=BRETAGNE)
    assert response.status_code == 303
    assert response["Location"] == f"{post_path(post)}#comments"
    assert not Comment.objects.filter(pk=posted.pk).exists()
    html = client.get(post_path(post), HTTP_HOST=BRETAGNE).content.decode()
    assert "Très bel article" not in html


def test_each_comment_of_the_browser_is_remembered(client, bretagne_site, occitanie_site, post):
    set_policy(occitanie_site, comment_moderation=ModerationPolicy.NONE)
    send(client, post)
    toulouse = make_post(blog_of(occitanie_site), "Toulouse")
    send(client, toulouse, headers={"HTTP_HOST": "occitanie.localhost"})
    first, second = Comment.objects.order_by("pk")
    assert edit(client, first, body="Modifié un.").status_code == 303
    response = client.post(
        edit_path(second),
        {"name": "Maël", "url": "", "body": "Modifié deux."},
        HTTP_HOST="occitanie.localhost",
    )
    assert response.status_code == 303
    assert response["Location"].endswith(f"#comment-{second.pk}")
    assert sorted(Comment.objects.values_list("body", flat=True)) == [
        "Modifié deux.",
        "Modifié un.",
    ]


def test_a_missing_comment_is_not_found(client, bretagne_site):
    assert client.get("/comments/edit/999999/", HTTP_HOST=BRETAGNE).status_code == 404


@pytest.mark.parametrize(
    ("policy", "fields"),
    [
        ({"blocked_words": "casino"}, {"body": "Le meilleur casino du coin."}),
        ({"blocked_words": "casino"}, {"name": "Casino Royal"}),  # the text unchanged
        ({}, {"body": "Voir www.un.example, https://deux.example et http://trois.fr"}),
        ({"blocked_domains": "spam.example"}, {"body": "Allez sur https://spam.example/offre"}),
        ({"blocked_domains": "spam.example"}, {"url": "https://www.spam.example/moi"}),
    ],
)
def test_an_edit_is_caught_by_the_checks_a_new_comment_meets(
    client, bretagne_site, post, posted, policy, fields
):
    """The same values, sent as a new comment from another browser and as an edit of an
    approved comment: both are stored as spam, for the same reason (comments.spam.check)."""
    set_policy(bretagne_site, **policy)
    assert send(Client(), post, email="autre@example.org", **fields).status_code == 303
    new = Comment.objects.get(email="autre@example.org")
    assert new.status == CommentStatus.SPAM

    assert edit(client, posted, **fields).status_code == 303
    posted.refresh_from_db()
    assert (posted.status, posted.spam_reason) == (CommentStatus.SPAM, new.spam_reason)
