"""Reply notifications: double opt-in, one mail per approved reply, one-click unsubscribe,
revocable tokens, the confirmation rate limit, headers visitors cannot inject into."""

import email
import email.policy
import re
from urllib.parse import urlsplit

from django.core import mail
from django.db import transaction
from django.test import Client

import pytest
from bs4 import BeautifulSoup

from comments import notifications
from comments.models import Comment, CommentStatus, ConfirmedEmail, Subscription
from sites.models import ModerationPolicy
from tests.support.blog import blog_of, make_post
from tests.support.comments import bretagne_post, make_comment, send, set_policy

LINK = re.compile(r"https?://[^\s\"<>]+")


@pytest.fixture
def post(bretagne_site):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    return bretagne_post(bretagne_site)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the views leave for after the commit (the tasks enqueuing mails)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def links(message, fragment):
    return [url for url in LINK.findall(message.body) if fragment in url]


def open_link(client, url, method="get", **data):
    """Follow an absolute link of a mail on the host it names."""
    parts = urlsplit(url)
    return getattr(client, method)(parts.path, data, HTTP_HOST=parts.netloc)


def subscribe(client, on_commit, post, **fields):
    """Post a comment ticking "notify me"; returns (comment, confirmation link or None)."""
    before = len(mail.outbox)
    fields = {"notify": "on", **fields}
    on_commit(send, client, post, **fields)
    comment = Comment.objects.latest("pk")
    sent = mail.outbox[before:]
    return comment, (links(sent[0], "/subscription/confirm/")[0] if sent else None)


def confirmed_parent(client, on_commit, post, **fields):
    comment, link = subscribe(client, on_commit, post, **fields)
    assert open_link(client, link, "post").status_code == 303
    return comment


def reply(client, on_commit, post, parent, **fields):
    """Bob replies to `parent` through the form; returns the mails this sent."""
    before = len(mail.outbox)
    values = {
        "name": "Bob",
        "email": "bob@example.org",
        "url": "",
        "body": "Je ne suis pas d'accord.\nVoici pourquoi.",
        "parent": str(parent.pk),
        **fields,
    }
    on_commit(send, client, post, **values)
    return mail.outbox[before:]


def test_notify_me_sends_a_confirmation_mail_without_the_address_in_the_link(
    client, on_commit, post
):
    comment, link = subscribe(client, on_commit, post)
    [message] = mail.outbox
    assert message.to == ["mael@example.org"]
    assert link.startswith("http://bretagne.localhost/comments/subscription/confirm/")
    assert "mael" not in link and "example.org" not in link
    subscription = Subscription.objects.get(comment=comment)
    assert subscription.confirmed_at is None
    assert subscription.token_hash == notifications.hash_token(link.rstrip("/").split("/")[-1])


def test_an_unconfirmed_subscription_is_never_used(client, on_commit, post):
    parent, _ = subscribe(client, on_commit, post)
    assert reply(client, on_commit, post, parent) == []
    assert Comment.objects.filter(parent=parent, status=CommentStatus.APPROVED).exists()


def test_the_confirmation_link_asks_then_confirms(client, on_commit, post):
    comment, link = subscribe(client, on_commit, post)
    page = open_link(client, link)
    assert page.status_code == 200
    form = BeautifulSoup(page.content, "html.parser").select_one("main form[method=post]")
    assert form.select_one("button[type=submit]") is not None
    subscription = Subscription.objects.get(comment=comment)
    assert subscription.confirmed_at is None  # a link prefetcher confirms nothing
    assert not ConfirmedEmail.objects.exists()

    assert open_link(client, link, "post").status_code == 303
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert ConfirmedEmail.objects.filter(email="mael@example.org").exists()
    again = open_link(client, link)
    assert again.status_code == 200
    assert BeautifulSoup(again.content, "html.parser").select_one("main form") is None


def test_links_are_built_on_the_site_of_the_page(client, on_commit, post, occitanie_site):
    set_policy(occitanie_site, comment_moderation=ModerationPolicy.NONE)
    toulouse = make_post(blog_of(occitanie_site), "Toulouse")
    on_commit(send, client, toulouse, notify="on", headers={"HTTP_HOST": "occitanie.localhost"})
    [message] = mail.outbox
    [link] = links(message, "/subscription/confirm/")
    assert link.startswith("http://occitanie.localhost/comments/subscription/confirm/")
    assert open_link(client, link, "post").status_code == 303
    assert Subscription.objects.get().is_active


def test_an_approved_reply_sends_one_mail_to_the_subscriber(client, on_commit, post):
    parent = confirmed_parent(client, on_commit, post)
    [message] = reply(client, on_commit, post, parent)
    answer = Comment.objects.get(parent=parent)
    assert message.to == ["mael@example.org"]
    assert "Je ne suis pas d'accord.\nVoici pourquoi." in message.body
    assert f"{post.full_url}#comment-{answer.pk}" in message.body
    [unsubscribe] = links(message, "/comments/unsubscribe/")
    assert unsubscribe.startswith("http://bretagne.localhost/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sent = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert sent["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{unsubscribe}"' in html
    assert '<html lang="fr">' in html


def test_an_approval_by_a_moderator_notifies_once(client, on_commit, bretagne_site, post):
    parent = confirmed_parent(client, on_commit, post)
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.ALL)
    assert reply(client, on_commit, post, parent) == []  # pending: nobody is told
    answer = Comment.objects.get(parent=parent)
    assert answer.status == CommentStatus.PENDING

    answer.status = CommentStatus.APPROVED
    answer.save()
    on_commit(notifications.comment_approved, answer)
    [message] = mail.outbox[1:]
    assert f"#comment-{answer.pk}" in message.body


def test_nobody_is_notified_of_their_own_reply(client, on_commit, post):
    parent = confirmed_parent(client, on_commit, post)
    assert reply(client, on_commit, post, parent, email="MAEL@example.org", name="Maël") == []


def test_a_reply_to_a_reply_notifies_only_its_parent(client, on_commit, post):
    parent = confirmed_parent(client, on_commit, post)
    bob = make_comment(post, parent=parent, email="bob@example.org", author_name="Bob")
    sent = reply(client, on_commit, post, bob, email="carol@example.org", name="Carol")
    assert sent == []  # Bob did not subscribe; Maël is not the parent


def test_a_rolled_back_comment_sends_nothing(post, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        comment = make_comment(post, email="mael@example.org")
        notifications.comment_posted(comment, wants_notify=True)
        raise RuntimeError("rolled back")
    assert mail.outbox == []
    assert not Subscription.objects.exists()


def test_spam_gets_no_confirmation_mail(client, on_commit, post):
    on_commit(
        send, client, post, notify="on", body="http://a.example http://b.example http://c.example"
    )
    assert Comment.objects.get().status == CommentStatus.SPAM
    assert mail.outbox == []
    assert not Subscription.objects.exists()


def test_one_click_unsubscribe_by_post_without_a_cookie(client, on_commit, post):
    parent = confirmed_parent(client, on_commit, post)
    [message] = reply(client, on_commit, post, parent)
    [unsubscribe] = links(message, "/comments/unsubscribe/")
    mail_client = Client(enforce_csrf_checks=True)  # a mail client has no CSRF cookie
    response = open_link(mail_client, unsubscribe, "post", **{"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription = Subscription.objects.get(comment=parent)
    assert subscription.unsubscribed_at is not None
    assert subscription.token_hash is None
    assert reply(client, on_commit, post, parent, body="Une autre réponse.") == []


def test_the_unsubscribe_page_asks_before_acting(client, on_commit, post):
    parent = confirmed_parent(client, on_commit, post)
    [message] = reply(client, on_commit, post, parent)
    [unsubscribe] = links(message, "/comments/unsubscribe/")
    page = open_link(client, unsubscribe)
    assert page.status_code == 200
    assert Subscription.objects.get(comment=parent).is_active  # prefetching changes nothing
    form = BeautifulSoup(page.content, "html.parser").select_one("main form[method=post]")
    assert form.select_one("button[type=submit]") is not None
    action = form.get("action") or urlsplit(unsubscribe).path
    assert client.post(action, HTTP_HOST="bretagne.localhost").status_code == 200
    assert not Subscription.objects.get(comment=parent).is_active


def test_links_answer_clearly_once_revoked(client, on_commit, post):
    parent, confirm = subscribe(client, on_commit, post)
    open_link(client, confirm, "post")
    [message] = reply(client, on_commit, post, parent)
    [unsubscribe] = links(message, "/comments/unsubscribe/")
    open_link(client, unsubscribe, "post")

    for url, method, status in [
        (unsubscribe, "get", 410),
        (unsubscribe, "post", 410),
        (confirm, "get", 404),
        (confirm, "post", 404),
    ]:
        response = open_link(client, url, method)
        assert response.status_code == status, (url, method)
        heading = BeautifulSoup(response.content, "html.parser").select_one("main h1")
        assert heading is not None and heading.get_text(strip=True)
    assert Subscription.objects.get(comment=parent).unsubscribed_at is not None


def test_forged_tokens_are_not_found(client, on_commit, post):
    parent = confirmed_parent(client, on_commit, post)
    subscription = Subscription.objects.get(comment=parent)
    for path in [
        f"/comments/unsubscribe/{subscription.pk}/{'0' * 64}/",
        f"/comments/unsubscribe/{subscription.pk + 1000}/{'0' * 64}/",
        "/comments/subscription/confirm/not-a-token/",
    ]:
        assert client.post(path, HTTP_HOST="bretagne.localhost").status_code == 404, path
        assert client.get(path, HTTP_HOST="bretagne.localhost").status_code == 404, path
    assert Subscription.objects.get(comment=parent).is_active


def test_confirmation_mails_to_one_address_are_rate_limited(client, on_commit, post):
    for number in range(4):
        on_commit(
            send,
            client,
            post,
            notify="on",
            body=f"Commentaire numéro {number}.",
            headers={"REMOTE_ADDR": f"203.0.113.{number + 1}"},
        )
    assert Comment.objects.count() == 4  # the comments are stored all the same
    assert [m.to for m in mail.outbox] == [["mael@example.org"]] * 3
    assert Subscription.objects.filter(token_hash=None, confirmed_at=None).count() == 1

    on_commit(
        send,
        client,
        post,
        notify="on",
        email="anne@example.org",
        headers={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert mail.outbox[-1].to == ["anne@example.org"]


def test_a_line_break_in_the_name_adds_no_header(client, on_commit, post):
    parent = confirmed_parent(client, on_commit, post)
    [message] = reply(
        client, on_commit, post, parent, name="Eve\r\nBcc: victim@example.net\r\nX-Evil: 1"
    )
    sent = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert "X-Evil" not in sent
    assert "Bcc" not in sent
    assert all("victim" not in str(value) for value in sent.values())
    assert message.bcc == []
    assert message.recipients() == ["mael@example.org"]
    assert "\n" not in message.subject and "\r" not in message.subject
