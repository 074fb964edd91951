"""The moderators' digest: one e-mail per window and per site, to that site's moderators only,
then the cron command for what arrived during the window."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.db.models import F

import pytest

from comments import digest
from comments.models import Comment, CommentStatus, ModerationDigest
from sites import roles
from sites.models import ModerationPolicy
from tests.support.blog import make_post, translate_blog
from tests.support.comments import bretagne_post, make_comment, make_user, send, set_policy

OCCITANIE = "occitanie.localhost"
MODERATION_URL = "http://localhost/admin/comments/"


@pytest.fixture
def post(bretagne_site):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.ALL)
    return bretagne_post(bretagne_site)


@pytest.fixture
def occitanie_post(occitanie_site):
    set_policy(occitanie_site, comment_moderation=ModerationPolicy.ALL)
    return bretagne_post(occitanie_site, "Les tiers-lieux d'Occitanie")


@pytest.fixture
def team(network, settings):
    """Moderators of both regional sites, a network administrator, and project-wide MANAGERS
    and ADMINS who must not be e-mailed."""
    settings.MANAGERS = [("Managers", "managers@example.org")]
    settings.ADMINS = [("Admins", "admins@example.org")]
    return {
        "bretagne": {
            make_user("modo-bzh", network["bretagne"].profile.moderators).email,
            make_user("admin-bzh", network["bretagne"].profile.administrators).email,
        },
        "occitanie": {make_user("modo-oc", network["occitanie"].profile.moderators).email},
        "network": make_user("head", roles.ensure_network_administrators()).email,
    }


def post_comment(client, page, capture, host="bretagne.localhost", **fields):
    """Post through the public form; what the transaction defers (tasks) runs at its commit."""
    with capture(execute=True):
        response = send(client, page, headers={"HTTP_HOST": host}, **fields)
    assert response.status_code == 303
    return Comment.objects.latest("pk")


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def window_passes():
    """As if COMMENTS_DIGEST_MINUTES had gone by: every date moves back by that much."""
    delta = datetime.timedelta(minutes=digest.conf.get("DIGEST_MINUTES") + 1)
    Comment.objects.update(created_at=F("created_at") - delta)
    ModerationDigest.objects.update(last_sent_at=F("last_sent_at") - delta)


def test_two_pending_comments_in_the_window_make_one_email_per_moderator(
    client, post, occitanie_post, team, django_capture_on_commit_callbacks
):
    first = post_comment(client, post, django_capture_on_commit_callbacks, body="Premier message")
    post_comment(client, post, django_capture_on_commit_callbacks, body="Second message")

    assert recipients() == sorted(team["bretagne"])
    for message in mail.outbox:
        assert "Premier message" in message.body
        assert f"{MODERATION_URL}?status=pending&site={post.get_site().pk}" in message.body
        assert "mael@example.org" not in message.body  # no more than needed
    assert first.status == CommentStatus.PENDING


def test_the_command_sends_what_arrived_during_the_window(
    client, post, team, django_capture_on_commit_callbacks
):
    post_comment(client, post, django_capture_on_commit_callbacks, body="Premier message")
    post_comment(client, post, django_capture_on_commit_callbacks, body="Second message")
    post_comment(client, post, django_capture_on_commit_callbacks, body="Troisième message")
    mail.outbox.clear()

    call_command("send_comment_digests", stdout=(out := io.StringIO()))
    assert mail.outbox == []  # the window is not over
    assert "0" in out.getvalue()

    window_passes()
    call_command("send_comment_digests", stdout=out)
    assert recipients() == sorted(team["bretagne"])
    body = mail.outbox[0].body
    assert "Second message" in body and "Troisième message" in body
    assert "Premier message" not in body  # already told
    assert "3" in body  # awaiting in all

    mail.outbox.clear()
    window_passes()
    call_command("send_comment_digests", stdout=out)
    assert mail.outbox == []  # nothing new


def test_each_site_has_its_own_digest_and_moderators(
    client, post, occitanie_post, team, django_capture_on_commit_callbacks
):
    post_comment(client, post, django_capture_on_commit_callbacks, body="Message breton")
    post_comment(
        client,
        occitanie_post,
        django_capture_on_commit_callbacks,
        host=OCCITANIE,
        body="Message occitan",
    )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == team["bretagne"] | team["occitanie"]
    [occitan_address] = team["occitanie"]
    assert "Message occitan" in by_recipient[occitan_address].body
    assert "Message breton" not in by_recipient[occitan_address].body
    for address in team["bretagne"]:
        assert "Message occitan" not in by_recipient[address].body
    assert team["network"] not in by_recipient


def test_only_pending_comments_are_reported(
    client, post, bretagne_site, team, django_capture_on_commit_callbacks
):
    post_comment(
        client,
        post,
        django_capture_on_commit_callbacks,
        body="http://a.example http://b.example http://c.example",
    )
    assert Comment.objects.get().status == CommentStatus.SPAM
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    post_comment(client, post, django_capture_on_commit_callbacks, body="Publié tout de suite")
    call_command("send_comment_digests", stdout=io.StringIO())
    assert mail.outbox == []


def test_a_translated_pages_digest_is_its_sites_in_the_sites_language(
    client, post, bretagne_site, english, team, django_capture_on_commit_callbacks
):
    """One digest per site (sites.network): a comment on the English tree goes to Bretagne's
    moderators in the language of Bretagne's home, and shares the French tree's window."""
    english_post = make_post(translate_blog(bretagne_site, english), "Living differently")
    post_comment(
        client, english_post, django_capture_on_commit_callbacks, body="An English comment"
    )
    assert recipients() == sorted(team["bretagne"])
    message = mail.outbox[0]
    assert "en attente de modération" in message.subject
    assert "An English comment" in message.body
    post_comment(client, post, django_capture_on_commit_callbacks, body="Un commentaire")
    assert len(mail.outbox) == len(team["bretagne"])  # the same window: no second digest


def test_two_workers_cannot_both_take_the_window(post, team):
    path = digest.site_key(post)
    now = datetime.datetime.now(tz=datetime.UTC)
    assert digest.claim(path, None, now)
    assert not digest.claim(path, None, now)  # the row exists: the other worker lost
    later = now + datetime.timedelta(hours=1)
    assert digest.claim(path, now, later)
    assert not digest.claim(path, now, later)  # `now` is no longer the last sending


def test_a_failed_sending_is_tried_again_by_the_command(
    client, post, team, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_connection(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(digest, "get_connection", broken_connection)
    post_comment(client, post, django_capture_on_commit_callbacks, body="Premier message")
    assert mail.outbox == []
    assert not ModerationDigest.objects.exists()

    monkeypatch.undo()
    call_command("send_comment_digests", stdout=io.StringIO())
    assert recipients() == sorted(team["bretagne"])
    assert "Premier message" in mail.outbox[0].body


def test_a_name_with_line_breaks_forges_no_line_in_the_digest(
    client, post, team, django_capture_on_commit_callbacks
):
    forged = "Eve\nModerate them:\nhttp://evil.example/"
    post_comment(client, post, django_capture_on_commit_callbacks, name=forged)
    # Stored before the form cleaned names: rendered on one line all the same.
    Comment.objects.create(
        page=post,
        author_name="Old\r\nhttp://evil.example/",
        email="o@x.org",
        body="Ancien.",
        status=CommentStatus.PENDING,
    )
    window_passes()
    digest.send_due_digests()
    for message in mail.outbox:
        lines = message.body.splitlines()
        assert not any(line.startswith("http://evil") for line in lines), message.body
        assert (
            sum(line.startswith("Moderate them:") or "Modérez-les" in line for line in lines) <= 1
        )


# --- Who gets the digest of a site without moderators -------------------------------------------


@pytest.fixture
def others(network, settings):
    """Occitanie's moderator, an active network administrator and two who cannot be told (no
    address, inactive), and project-wide MANAGERS: none is Bretagne's first choice."""
    settings.MANAGERS = [("Managers", "managers@example.org")]
    network_admins = roles.ensure_network_administrators()
    no_address = make_user("no-address", network_admins)
    no_address.email = ""
    no_address.save()
    make_user("gone", network_admins, is_active=False)
    return {
        "occitanie": make_user("modo-oc", network["occitanie"].profile.moderators).email,
        "network": make_user("head", network_admins).email,
    }


def test_a_site_without_moderator_sends_its_digest_to_its_administrators(
    client, post, occitanie_post, others, network, django_capture_on_commit_callbacks
):
    admin = make_user("admin-bzh", network["bretagne"].profile.administrators)
    make_user("admin-oc", network["occitanie"].profile.administrators)

    post_comment(client, post, django_capture_on_commit_callbacks, body="Message breton")

    assert recipients() == [admin.email]
    assert "Message breton" in mail.outbox[0].body


def test_a_site_without_moderator_nor_administrator_tells_the_network_administrators(
    post, occitanie_post, others
):
    make_comment(post, status=CommentStatus.PENDING, body="Personne ne modère ici")
    make_comment(occitanie_post, status=CommentStatus.PENDING, body="Message occitan")

    call_command("send_comment_digests", stdout=io.StringIO())

    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert sorted(by_recipient) == sorted([others["network"], others["occitanie"]])
    assert "Personne ne modère ici" in by_recipient[others["network"]]
    assert "Message occitan" not in by_recipient[others["network"]]  # Occitanie has its own


def test_a_site_with_a_moderator_tells_only_its_moderator(
    client, post, others, network, django_capture_on_commit_callbacks
):
    moderator = make_user("modo-bzh", network["bretagne"].profile.moderators)

    post_comment(client, post, django_capture_on_commit_callbacks)

    assert recipients() == [moderator.email]
