"""Posting as a known commenter (issue 17, item 3): knowing a confirmed commenter's address no
longer publishes at once, tells nothing, nor switches her Gravatar on; her own browser, once it
proved the address (a mailed link's button, or an approved comment), still gets through. Avatar
keys are per site, and no value of a mailed link is found in public HTML."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client

import pytest
from bs4 import BeautifulSoup

from comments import moderation, trust
from comments.avatars import gravatar_email
from comments.models import Comment, CommentStatus, ConfirmedEmail
from sites.models import ModerationPolicy
from tests.support.comments import (
    BRETAGNE,
    bretagne_post,
    make_comment,
    post_path,
    send,
    set_policy,
)
from tests.support.selfservice import OCCITANIE, ask_link, mailed_link, open_link, submit

MAEL = "mael@example.org"


@pytest.fixture
def post(bretagne_site):
    """A Bretagne post on a site that holds first comments only; Maël is approved there."""
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.FIRST)
    make_comment(bretagne_post(bretagne_site, "Un autre article"), author_name="Maël", email=MAEL)
    return bretagne_post(bretagne_site)


def latest():
    return Comment.objects.latest("pk")


def confirm_from_mail(client, host=BRETAGNE):
    """Ask for the link, open it (GET), press "This is my address" (POST)."""
    ask_link(client, MAEL, host=host)
    url = mailed_link(mail.outbox[-1])
    page = open_link(client, url)
    assert page.status_code == 200
    response = submit(client, page, "manage-confirm", host=urlsplit(url).netloc)
    assert response.status_code == 303
    return url


def answer_shape(response):
    """What a client can see of a post's answer, the comment's own id aside."""
    location = re.sub(r"comment-\d+", "comment-N", response["Location"])
    return response.status_code, location, sorted(response.cookies)


def test_knowing_a_confirmed_address_no_longer_publishes_at_once(client, post):
    ConfirmedEmail.objects.create(email=MAEL, confirmed_at=latest().created_at)
    known = send(Client(), post, email=MAEL, name="Maël", body="Usurpé.")
    assert latest().status == CommentStatus.PENDING
    unknown = send(Client(), post, email="nobody@example.org", body="Inconnu.")
    assert latest().status == CommentStatus.PENDING
    # The same answer whether or not the address is a confirmed commenter's.
    assert answer_shape(known) == answer_shape(unknown)
    assert known["Location"] == f"{post_path(post)}?comment=pending#comments"


def test_her_browser_confirmed_by_the_mailed_link_is_published_at_once(client, post):
    confirm_from_mail(client)
    assert trust.COOKIE_NAME in client.cookies
    assert MAEL not in client.cookies[trust.COOKIE_NAME].value  # only a keyed HMAC
    response = send(client, post, email=MAEL, name="Maël")
    assert latest().status == CommentStatus.APPROVED
    assert response["Location"] == f"{post_path(post)}#comment-{latest().pk}"
    send(Client(), post, email=MAEL, body="Un autre navigateur.")  # not hers
    assert latest().status == CommentStatus.PENDING


def test_a_browser_whose_comment_was_approved_is_published_at_once(client, post):
    send(client, post, email="lena@example.org", name="Léna", body="Premier.")
    first = latest()
    assert first.status == CommentStatus.PENDING
    send(client, post, email="lena@example.org", name="Léna", body="Deuxième.")
    assert latest().status == CommentStatus.PENDING  # the first is not approved yet
    moderation.approve(Comment.objects.filter(pk=first.pk))
    send(client, post, email="lena@example.org", name="Léna", body="Troisième.")
    assert latest().status == CommentStatus.APPROVED
    send(Client(), post, email="lena@example.org", body="Quelqu'un d'autre.")
    assert latest().status == CommentStatus.PENDING


def test_opening_the_manage_link_changes_nothing(client, post):
    ask_link(client, MAEL)
    page = open_link(client, mailed_link(mail.outbox[-1]))
    assert page.status_code == 200
    assert BeautifulSoup(page.content, "html.parser").find("form", id="manage-confirm")
    assert not ConfirmedEmail.objects.exists()
    assert trust.COOKIE_NAME not in page.cookies
    send(client, post, email=MAEL)
    assert latest().status == CommentStatus.PENDING


def test_gravatar_goes_on_and_off_only_by_the_owners_mailed_link(
    client, post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(Client(), post, email=MAEL, use_gravatar="on", body="Coché par un inconnu.")
    moderation.approve(Comment.objects.filter(pk=latest().pk))
    key = latest().avatar_key
    assert gravatar_email(key) is None  # the ticked box alone switches nothing on
    [offer] = [m for m in mail.outbox if m.to == [MAEL]]
    assert offer.subject == "Afficher votre Gravatar avec vos commentaires"  # a French site

    url = mailed_link(offer)
    page = open_link(client, url)
    assert gravatar_email(key) is None  # opening the link changes nothing either
    host = urlsplit(url).netloc
    on = submit(client, page, "manage-gravatar", host=host)
    assert on.status_code == 303
    assert gravatar_email(key) == MAEL
    page = client.get(on["Location"], HTTP_HOST=host)
    assert (
        BeautifulSoup(page.content, "html.parser").find(id="manage-gravatar-state")["data-gravatar"]
        == "on"
    )
    off = submit(client, page, "manage-gravatar", host=host)
    assert off.status_code == 303
    assert gravatar_email(key) is None
    assert not ConfirmedEmail.objects.get(email=MAEL).gravatar_since


def test_the_avatar_key_differs_between_sites_and_stays_within_one(
    client, post, bretagne_site, occitanie_site
):
    other = bretagne_post(bretagne_site, "Encore un article")
    toulouse = bretagne_post(occitanie_site, "Tiers-lieux en Occitanie")
    comments = [make_comment(page, email=MAEL) for page in (post, other, toulouse)]

    def src(page, comment, host):
        html = client.get(post_path(page), HTTP_HOST=host).content
        img = BeautifulSoup(html, "html.parser").select_one(f"#comment-{comment.pk} img")
        return img["src"]

    here, again = src(post, comments[0], BRETAGNE), src(other, comments[1], BRETAGNE)
    there = src(toulouse, comments[2], OCCITANIE)
    assert here == again
    assert here != there
    assert client.get(there, HTTP_HOST=OCCITANIE).status_code == 200


def test_no_value_of_the_manage_link_is_found_in_public_html(client, post):
    make_comment(post, email=MAEL)
    ask_link(client, MAEL)
    url = mailed_link(mail.outbox[-1])
    token = urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]
    html = client.get(post_path(post), HTTP_HOST=BRETAGNE).content.decode()
    keys = set(Comment.objects.filter(email=MAEL).values_list("avatar_key", flat=True))
    payload, _clock, signature = token.split(":")  # the middle part is the time, shown anyway
    for part in (payload, signature):
        assert part not in html
        assert not any(part in key or key in part for key in keys)


def test_the_manage_mail_uses_the_sites_address_not_the_host_header(client, post, settings):
    settings.ALLOWED_HOSTS = ["*"]
    ask_link(client, MAEL, host="bretagne.localhost:8123")
    url = mailed_link(mail.outbox[-1])
    assert url.startswith("http://bretagne.localhost/comments/manage/"), url


# --- item 8: names, duplicates, edit and delete by id -------------------------------------------


def test_a_line_break_in_a_name_is_made_one_line(client, post):
    send(client, post, name="Eve\r\nSpam: 12 comments await\x1b[0m\u2028Fin")
    assert latest().author_name == "Eve Spam: 12 comments await [0m Fin"


def test_a_duplicate_from_another_client_is_answered_as_a_stored_comment(client, post):
    original = send(client, post, email="lena@example.org", body="Exactement ce texte.")
    assert original.status_code == 303
    guess = send(
        Client(),
        post,
        headers={"REMOTE_ADDR": "203.0.113.50"},
        email="lena@example.org",
        body="Exactement ce texte.",
    )
    fresh = send(
        Client(),
        post,
        headers={"REMOTE_ADDR": "203.0.113.51"},
        email="x@example.org",
        body="Un texte.",
    )
    assert Comment.objects.filter(body="Exactement ce texte.").count() == 2  # stored, not merged
    assert answer_shape(guess) == answer_shape(fresh)
    again = send(client, post, email="lena@example.org", body="Exactement ce texte.")
    assert again["Location"] == original["Location"]  # her own double click: one comment
    assert Comment.objects.filter(body="Exactement ce texte.").count() == 2


def test_edit_and_delete_by_id_name_no_private_page(client, bretagne_site):
    draft = bretagne_post(bretagne_site, "Projet secret de fusion")
    draft.unpublish()
    hidden = make_comment(draft, email=MAEL)
    answers = [
        Client().get(f"/comments/{action}/{pk}/", HTTP_HOST=BRETAGNE)
        for action in ("edit", "delete")
        for pk in (hidden.pk, 999999)
    ]
    assert {answer.status_code for answer in answers} == {404}
    bodies = {answer.content.decode() for answer in answers}
    assert len(bodies) == 1
    [body] = bodies
    assert "Projet secret" not in body
    assert "projet-secret" not in body


def test_a_browser_approved_on_another_site_is_held_on_this_one(client, post, occitanie_site):
    """The approved comment that vouches for a browser must be on this site: one approved on
    Occitanie under Maël's address does not let that browser publish at once as Maël on
    Bretagne, where Maël is known ("first": a commenter's first comment on this site waits)."""
    set_policy(occitanie_site, comment_moderation=ModerationPolicy.FIRST)
    elsewhere = bretagne_post(occitanie_site, "Ailleurs")
    send(client, elsewhere, headers={"HTTP_HOST": OCCITANIE}, email=MAEL, name="Maël", body="Oc.")
    assert latest().status == CommentStatus.PENDING
    moderation.approve(Comment.objects.filter(pk=latest().pk))

    send(client, post, email=MAEL, name="Maël", body="En Bretagne.")
    assert latest().status == CommentStatus.PENDING

    moderation.approve(Comment.objects.filter(pk=latest().pk))
    send(client, post, email=MAEL, name="Maël", body="Encore en Bretagne.")
    assert latest().status == CommentStatus.APPROVED  # approved here from this browser: at once
