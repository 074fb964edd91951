"""Posting a comment: moderation modes, closed comments, replies' parents, what is stored."""

import datetime

from django.utils import timezone

import pytest

from comments.models import Comment, CommentStatus, ConfirmedEmail
from sites.models import ModerationPolicy
from tests.support.blog import blog_of, make_post
from tests.support.comments import bretagne_post, make_comment, post_path, send, set_policy


@pytest.fixture
def post(bretagne_site):
    return bretagne_post(bretagne_site)


def test_all_mode_holds_every_comment(client, bretagne_site, post):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.ALL)
    make_comment(post, email="mael@example.org")  # already approved once: still held
    response = send(client, post)
    assert response.status_code == 303
    assert response["Location"] == f"{post_path(post)}?comment=pending#comments"
    assert Comment.objects.latest("pk").status == CommentStatus.PENDING


def test_the_pending_notice_is_shown_after_the_redirect(client, bretagne_site, post):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.ALL)
    response = send(client, post)
    page = client.get(response["Location"], HTTP_HOST="bretagne.localhost")
    assert "votre commentaire attend la modération" in page.content.decode()
    assert "Très bel article" not in page.content.decode()


def test_none_mode_publishes_at_once(client, bretagne_site, post):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    response = send(client, post)
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.APPROVED
    assert response.status_code == 303
    assert response["Location"] == f"{post_path(post)}#comment-{comment.pk}"


def test_first_mode_holds_a_new_commenter(client, bretagne_site, post):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.FIRST)
    make_comment(post, email="mael@example.org", status=CommentStatus.PENDING)
    make_comment(post, email="mael@example.org", status=CommentStatus.REJECTED)
    send(client, post)
    assert Comment.objects.latest("pk").status == CommentStatus.PENDING


def test_first_mode_lets_a_confirmed_approved_commenter_through(client, bretagne_site, post):
    """Her browser vouches for the address (comments.trust; the mailed-link flow that sets the
    cookie: tests/comments/test_trust.py). Without it, the same comment is held."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from comments import trust

    set_policy(bretagne_site, comment_moderation=ModerationPolicy.FIRST)
    other_post = bretagne_post(bretagne_site, "Un autre article")
    make_comment(other_post, email="mael@example.org")
    ConfirmedEmail.objects.create(email="mael@example.org", confirmed_at=timezone.now())
    send(client, post, email="MAEL@example.org", body="Sans le cookie.")
    assert Comment.objects.latest("pk").status == CommentStatus.PENDING
    vouched = HttpResponse()
    trust.remember_confirmed(RequestFactory().get("/"), vouched, "mael@example.org")
    client.cookies[trust.COOKIE_NAME] = vouched.cookies[trust.COOKIE_NAME].value
    send(client, post, email="MAEL@example.org")
    assert Comment.objects.latest("pk").status == CommentStatus.APPROVED


def test_first_mode_holds_an_approved_but_unconfirmed_email(client, bretagne_site, post):
    """Typing someone's address is not enough to pass as them."""
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.FIRST)
    make_comment(bretagne_post(bretagne_site, "Un autre article"), email="mael@example.org")
    send(client, post)
    assert Comment.objects.latest("pk").status == CommentStatus.PENDING


def test_first_mode_ignores_approvals_on_another_site(client, bretagne_site, occitanie_site, post):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.FIRST)
    ConfirmedEmail.objects.create(email="mael@example.org", confirmed_at=timezone.now())
    make_comment(make_post(blog_of(occitanie_site), "Toulouse"), email="mael@example.org")
    send(client, post)
    assert Comment.objects.latest("pk").status == CommentStatus.PENDING


def test_ip_address_and_user_agent_are_stored(client, post):
    send(client, post, headers={"HTTP_USER_AGENT": "Firefox/140", "REMOTE_ADDR": "203.0.113.7"})
    comment = Comment.objects.get()
    assert comment.ip_address == "203.0.113.7"
    assert comment.user_agent == "Firefox/140"
    assert comment.anonymized_at is None


def test_disabled_comments_are_refused(client, bretagne_site, post):
    set_policy(bretagne_site, comments_enabled=False)
    response = send(client, post)
    assert response.status_code == 403
    assert "Les commentaires sont fermés" in response.content.decode()
    assert not Comment.objects.exists()
    page = client.get(post_path(post), HTTP_HOST="bretagne.localhost").content.decode()
    assert 'id="comment-form"' not in page


def test_closed_comments_are_refused(client, bretagne_site):
    set_policy(bretagne_site, comments_close_after_days=30)
    old = make_post(
        blog_of(bretagne_site), "Ancien", date=timezone.localdate() - datetime.timedelta(days=31)
    )
    recent = make_post(
        blog_of(bretagne_site), "Récent", date=timezone.localdate() - datetime.timedelta(days=3)
    )
    assert send(client, old).status_code == 403
    assert send(client, recent).status_code == 303
    assert Comment.objects.get().page_id == recent.pk
    page = client.get(post_path(old), HTTP_HOST="bretagne.localhost").content.decode()
    assert 'id="comment-form"' not in page


def test_a_draft_page_takes_no_comment(client, bretagne_site):
    draft = make_post(blog_of(bretagne_site), "Brouillon", live=False)
    assert send(client, draft).status_code == 404


def test_a_reply_to_an_approved_comment_of_the_page_is_stored(client, bretagne_site, post):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    parent = make_comment(post)
    assert send(client, post, parent=str(parent.pk)).status_code == 303
    assert Comment.objects.latest("pk").parent == parent


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.REJECTED]
)
def test_a_reply_to_an_unapproved_comment_is_refused(client, post, status):
    parent = make_comment(post, status=status)
    response = send(client, post, parent=str(parent.pk))
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_a_reply_to_a_comment_of_another_post_is_refused(client, bretagne_site, post):
    elsewhere = make_comment(bretagne_post(bretagne_site, "Ailleurs"))
    response = send(client, post, parent=str(elsewhere.pk))
    assert response.status_code == 400
    assert "pas sur cette page" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("parent", ["abc", "-1", "0", "1.5", "99999999999999999999"])
def test_a_garbled_parent_is_refused(client, post, parent):
    response = send(client, post, parent=parent)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_without_a_project_policy_comments_are_open_and_all_held(
    client, bretagne_site, post, settings
):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE, comments_enabled=False)
    settings.COMMENTS_POLICY = None  # the app's default: ignores the site's settings
    assert send(client, post).status_code == 303
    assert Comment.objects.get().status == CommentStatus.PENDING


def test_the_site_policy_reads_the_page_site_settings(bretagne_site, occitanie_site, post):
    from sites.policy import comment_policy_for_page

    set_policy(occitanie_site, comments_enabled=False)
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    policy = comment_policy_for_page(post)
    assert policy.enabled
    assert policy.moderation == "none"
    assert policy.privacy_url.endswith("/politique-de-confidentialite/")
    occitanie_post = make_post(blog_of(occitanie_site), "Toulouse")
    assert not comment_policy_for_page(occitanie_post).enabled
    assert not comment_policy_for_page(post.get_parent().get_parent().get_parent()).enabled
