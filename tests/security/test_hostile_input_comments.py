"""Hostile input on the comments' public endpoints, property-based (hypothesis): the comment form
and replies, the edit/delete window, "Manage my comments", the confirmation and unsubscribe links.

Whatever arrives (any unicode, very long values, NUL bytes, CRLF in the name and e-mail,
malformed and foreign `parent` ids, forged, expired and replayed tokens, wrong methods, no CSRF
token) the answer is a clear 4xx or the form with its errors, never a 5xx; the database never
holds a half-written comment; no mail carries a header a visitor wrote.

Each test builds its sites and posts once; hypothesis then runs its examples in the same
transaction, so each example compares the database before and after itself. The rate limits
count in the cache, cleared before each example (429 is a clear answer too: see
test_floods_and_oversized_bodies_get_a_clear_refusal).
"""

import base64
import datetime
import email
import email.policy
import json
import time
from urllib.parse import quote, unquote, urlencode, urlsplit

from django.core import mail, signing
from django.core.cache import caches
from django.core.validators import validate_email
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

import pytest
import time_machine
from bs4 import BeautifulSoup
from hypothesis import example, given
from hypothesis import strategies as st

from comments import editing, notifications, selfservice
from comments.forms import TIMESTAMP_SALT, signed_timestamp
from comments.models import Comment, CommentStatus, ConfirmedEmail, Subscription
from sites.models import ModerationPolicy
from tests.support.blog import blog_of, make_post
from tests.support.comments import BRETAGNE, bretagne_post, make_comment, make_user, set_policy
from tests.support.hostile import (
    PARENTS,
    VICTIM,
    hostile_email,
    hostile_flag,
    hostile_ip,
    hostile_next,
    hostile_parent,
    hostile_text,
    hostile_timestamp,
    hostile_url,
    hostile_user_agent,
    hypothesis_settings,
)

OCCITANIE = "occitanie.localhost"
HEAD = "localhost"


def clear_caches():
    """Rate limits live in the security cache, pages and avatars in the default one."""
    for each in caches.all():
        each.clear()


# --- what a hostile visitor sends -------------------------------------------------------------


VALID = {
    "name": "Maël Le Bihan",
    "email": "mael@example.org",
    "url": "https://mael.example.org/",
    "body": "Très bel article.\nMerci !",
    "parent": None,
    "timestamp": "valid",
    "website_confirm": "",
    "notify": "on",
    "use_gravatar": None,
    "next": None,
}


def timestamp_value(kind):
    now = time.time()
    if kind == "expired":  # signed two days ago
        with time_machine.travel(now - 2 * 24 * 60 * 60, tick=False):
            return signed_timestamp()
    return {
        "valid": signed_timestamp(now - 60),
        "too_fast": signed_timestamp(now),
        "future": signed_timestamp(now + 3600),
        "forged": signed_timestamp(now - 60)[:-2] + "xx",
        "other_salt": signing.dumps(int(now - 60), salt="comments.selfservice.manage-link"),
        "not_a_number": signing.dumps("x", salt=TIMESTAMP_SALT),
    }.get(kind, kind)


# --- the world: sites, posts, comments a reply may aim at ---------------------------------------


class World:
    """Two regional sites, posts, a subscribed approved comment (the target of replies) and
    comments a `parent` must not point at."""

    def __init__(self, network):
        self.bretagne, self.occitanie = network["bretagne"], network["occitanie"]
        set_policy(self.bretagne, comment_moderation=ModerationPolicy.NONE)
        set_policy(self.occitanie, comments_enabled=False)
        self.post = bretagne_post(self.bretagne)
        self.other_post = bretagne_post(self.bretagne, "Un autre article")
        self.occitanie_post = bretagne_post(self.occitanie, "Tiers-lieux")
        self.draft = make_post(blog_of(self.bretagne), "Brouillon", live=False)
        self.subscriber = make_comment(self.post, author_name="Anne", email="anne@example.org")
        subscription = Subscription.objects.create(
            comment=self.subscriber, email="anne@example.org", confirmed_at=timezone.now()
        )
        notifications.issue_token(subscription)
        removed = make_comment(self.post, author_name="", email="", body="")
        Comment.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
        self.parents = {
            "valid": self.subscriber,
            "pending": make_comment(self.post, status=CommentStatus.PENDING),
            "spam": make_comment(self.post, status=CommentStatus.SPAM),
            "rejected": make_comment(self.post, status=CommentStatus.REJECTED),
            "other_post": make_comment(self.other_post),
            "other_site": make_comment(self.occitanie_post),
            "removed": removed,
        }
        # A moderator of Bretagne: held comments mail them a digest, checked like every mail.
        make_user("modo-bzh", self.bretagne.profile.moderators)
        self.targets = {
            "post": self.post.pk,
            "other_site": self.occitanie_post.pk,  # comments closed there: 403
            "draft": self.draft.pk,
            "root": 1,
            "missing": 10**9,
            "huge": 10**30,
        }

    def parent_value(self, value):
        comment = self.parents.get(value) if isinstance(value, str) else None
        return str(comment.pk) if comment is not None else value


@pytest.fixture
def world(network):
    return World(network)


# --- checks ---------------------------------------------------------------------------------------

MAIL_HEADERS = {
    "content-type",
    "content-transfer-encoding",
    "mime-version",
    "subject",
    "from",
    "to",
    "date",
    "message-id",
    "list-unsubscribe",
    "list-unsubscribe-post",
}


def assert_clean_mail(messages):
    """Single-line headers, one valid recipient each, no header but ours."""
    for message in messages:
        assert not message.cc and not message.bcc and not message.reply_to
        assert len(message.to) == 1
        validate_email(message.to[0])
        assert VICTIM not in message.to[0]
        for value in (message.subject, message.from_email, *message.to):
            assert "\r" not in value and "\n" not in value, value
        for value in message.extra_headers.values():
            assert "\r" not in value and "\n" not in value, value
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
        assert {name.lower() for name in parsed} <= MAIL_HEADERS, parsed.keys()
        assert len(parsed.get_all("To")) == 1 and len(parsed["To"].addresses) == 1
        assert VICTIM not in str(parsed["To"]) + str(parsed["Subject"]) + str(parsed["From"])


def assert_whole(comments):
    """No comment stored with a missing or malformed required field, nor one a server error
    would have refused half-way (NUL, over-long values)."""
    for comment in comments:
        for name in ("author_name", "email", "url", "body", "user_agent", "spam_reason"):
            assert "\x00" not in getattr(comment, name), name
        assert comment.status in CommentStatus.values
        assert len(comment.url) <= 300 and len(comment.user_agent) <= 300
        assert comment.user_agent.isprintable()
        if comment.url:
            assert comment.url.lower().startswith(("http://", "https://")), comment.url
        if comment.removed_at is None and comment.anonymized_at is None:
            assert comment.author_name.strip() and len(comment.author_name) <= 100
            assert comment.body.strip()
            assert comment.email == comment.email.strip().lower()
            assert len(comment.email) <= 254
            validate_email(comment.email)
        if comment.parent_id is not None:
            assert comment.parent.page_id == comment.page_id
    for subscription in Subscription.objects.filter(comment__in=[c.pk for c in comments]):
        assert subscription.email == subscription.comment.email


def shows_form_errors(response, fields=None):
    """The form is shown again with its errors. The honeypot's error is not shown (a robot
    learns nothing): a form refused for it alone shows the form without a message."""
    soup = BeautifulSoup(response.content, "html.parser")
    if soup.select_one("form#comment-form") is None:
        return False
    trapped = bool(fields and fields.get("website_confirm"))
    return bool(soup.select(".comment-form__errors li, .errorlist li")) or trapped


def unparsable(response):
    """Django's own 400 page: a request body it could not parse (a multipart part's headers
    too long, for example) never reaches the view."""
    return b"<h1>Bad Request (400)</h1>" in response.content


def last_pk(model=Comment):
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def as_header(value):
    """What a server hands Django for a header sent as UTF-8: its bytes read as Latin-1."""
    return value.encode("utf-8").decode("latin-1")


def resolves_to(path, name):
    """Whether `path` (quoted, as sent) reaches the view `name` (else a 404 or, for a POST
    without CSRF token to the pages behind it, a 403)."""
    try:
        return resolve(unquote(urlsplit(path).path)).view_name == name
    except Resolver404:
        return False


@pytest.fixture
def run_example(django_capture_on_commit_callbacks):
    """Run one example: an empty cache (rate limits), an empty outbox, what the transaction
    defers (the tasks sending mails) run at its commit; never a 5xx, only clean mails."""

    def run(action, *args, **kwargs):
        clear_caches()
        mail.outbox = []
        with django_capture_on_commit_callbacks(execute=True):
            response = action(*args, **kwargs)
        assert response.status_code < 500
        assert_clean_mail(mail.outbox)
        return response

    return run


def post_form(client, world, target, fields, extra=None, urlencoded=False, **meta):
    """POST the comment form to `target` ("post", "draft"...) with `fields` (None: left out)."""
    data = {name: value for name, value in fields.items() if value is not None}
    if "timestamp" in data:
        data["timestamp"] = timestamp_value(data["timestamp"])
    if "parent" in data:
        data["parent"] = world.parent_value(data["parent"])
    data.update(extra or {})
    path = f"/comments/post/{world.targets[target]}/"
    meta = {"HTTP_HOST": BRETAGNE, "REMOTE_ADDR": "198.51.100.7", **meta}
    if urlencoded:
        body = urlencode(data, doseq=True)
        return client.post(path, body, content_type="application/x-www-form-urlencoded", **meta)
    return client.post(path, data, **meta)


def assert_answer(response, before, fields):
    """A clear answer, and the database changed by one whole comment at most."""
    new = list(Comment.objects.filter(pk__gt=before).select_related("parent"))
    assert_whole(new)
    if response.status_code == 303:
        assert len(new) <= 1  # 0: the same form sent twice
        location = response["Location"]
        assert "\r" not in location and "\n" not in location
        assert urlsplit(location).netloc in ("", BRETAGNE), location
    else:
        assert new == []
        assert response.status_code in (400, 403, 404, 429), response.status_code
        if response.status_code == 400:  # the form, or a body Django could not parse
            assert shows_form_errors(response, fields) or unparsable(response)
    return new


# --- the comment form ------------------------------------------------------------------------


@hypothesis_settings(70)
@given(
    target=st.sampled_from(["post", "post", "post", "other_site", "draft", "root", "huge"]),
    fields=st.fixed_dictionaries(
        {
            "name": st.one_of(st.just(VALID["name"]), hostile_text),
            "email": st.one_of(st.just(VALID["email"]), hostile_email),
            "url": st.one_of(st.just(""), hostile_url),
            "body": st.one_of(st.just(VALID["body"]), hostile_text),
            "parent": hostile_parent,
            "timestamp": hostile_timestamp,
            "website_confirm": st.one_of(st.just(""), hostile_text),
            "notify": hostile_flag,
            "use_gravatar": hostile_flag,
            "next": hostile_next,
        }
    ),
    extra=st.dictionaries(hostile_text, st.lists(hostile_text, max_size=2), max_size=2),
    urlencoded=st.booleans(),
    ip=hostile_ip,
    agent=hostile_user_agent,
)
def test_the_comment_form_answers_any_input_clearly(
    client, world, run_example, target, fields, extra, urlencoded, ip, agent
):
    before = last_pk()
    meta = {"REMOTE_ADDR": as_header(ip)}
    if agent is not None:
        meta["HTTP_USER_AGENT"] = as_header(agent)
    response = run_example(post_form, client, world, target, fields, extra, urlencoded, **meta)
    assert_answer(response, before, fields)


@hypothesis_settings(70)
@given(
    field=st.sampled_from(list(VALID)),
    value=st.one_of(
        hostile_text, hostile_email, hostile_url, hostile_parent, hostile_timestamp, hostile_next
    ),
)
@example(field="use_gravatar", value="0")  # ticked ("0" is not empty): the owner's link is mailed
def test_one_hostile_field_in_a_valid_reply(client, world, run_example, field, value):
    """A reply to a subscribed comment, notifications asked, one field hostile: either refused
    with the form, or stored whole; the mails it sends (the confirmation to the replier, the
    notification to the parent's author) carry no header the visitor wrote."""
    before = last_pk()
    fields = {**VALID, "parent": "valid", "body": f"Réponse {time.monotonic_ns()}", field: value}
    response = run_example(post_form, client, world, "post", fields)
    new = assert_answer(response, before, fields)
    if new and new[0].status == CommentStatus.APPROVED:
        (reply,) = new
        expected = []
        if reply.parent_id == world.subscriber.pk and reply.email != "anne@example.org":
            expected.append("anne@example.org")  # the parent's author hears of the reply
        if Subscription.objects.filter(comment=reply).exists():
            expected.append(reply.email)  # the confirmation of the replier's subscription
        if reply.use_gravatar and not ConfirmedEmail.objects.filter(
            email=reply.email, gravatar_since__isnull=False
        ):
            expected.append(reply.email)  # the link to switch her Gravatar on, if it is hers
        assert sorted(message.to[0] for message in mail.outbox) == sorted(expected)


def test_line_breaks_in_the_name_or_email_add_no_header(client, world, run_example):
    """A name with line breaks is accepted, and stays in the mail's body; an e-mail address
    with one, or a list of addresses, is refused with the form."""
    for number, name in enumerate(
        [
            f"Eve\r\nBcc: {VICTIM}",
            f"Eve\nBcc: {VICTIM}\nX-Evil: 1",
            f"Eve\rBcc: {VICTIM}",
            f"Eve\u2028Bcc: {VICTIM}",
            f"Eve\x85Bcc: {VICTIM}",
        ]
    ):
        fields = {**VALID, "parent": "valid", "name": name, "notify": None, "body": f"N{number}"}
        response = run_example(post_form, client, world, "post", fields)
        assert response.status_code == 303
        [notification] = mail.outbox
        assert notification.to == ["anne@example.org"]
        assert "Bcc" not in notification.message().as_string().split("\n\n", 1)[0]
    before = last_pk()
    for address in [
        f"eve@example.org\r\nBcc: {VICTIM}",
        f"eve@example.org\nCc: {VICTIM}",
        f"eve@example.org, {VICTIM}",
        f'"eve\r\nBcc: {VICTIM}"@example.org',
    ]:
        response = run_example(post_form, client, world, "post", {**VALID, "email": address})
        assert response.status_code == 400 and shows_form_errors(response), address
        assert mail.outbox == []
    assert last_pk() == before


def test_an_email_longer_once_lowercased_is_refused(client, world, run_example):
    """Regression: 254 characters as typed, 368 once lowercased ("İ" becomes "i" + a combining
    dot): PostgreSQL refused the row with a server error."""
    address = "a@" + ".".join(["İ" * 60] * 3) + ".org"
    assert len(address) <= 254 < len(address.lower())
    before = last_pk()
    response = run_example(post_form, client, world, "post", {**VALID, "email": address})
    assert response.status_code == 400 and shows_form_errors(response)
    assert last_pk() == before


def test_a_nul_in_the_user_agent_is_not_stored(client, world, run_example):
    """Regression: a NUL byte in User-Agent reached the database, which PostgreSQL refuses."""
    agent = "Mozilla/5.0\x00\r\n\x1b[31m (X11)" + "x" * 500
    response = run_example(post_form, client, world, "post", VALID, HTTP_USER_AGENT=agent)
    assert response.status_code == 303
    stored = Comment.objects.latest("pk").user_agent
    assert stored == ("Mozilla/5.0[31m (X11)" + "x" * 500)[:300]


def test_a_reply_to_a_comment_it_may_not_answer_is_refused(client, world, run_example):
    """Pending, spam, rejected, on another post or site, or removed (regression: a removed
    comment's tombstone, still approved, took replies)."""
    before = last_pk()
    for parent in PARENTS[1:]:
        response = run_example(post_form, client, world, "post", {**VALID, "parent": parent})
        assert response.status_code == 400, parent
        assert "pas sur cette page" in response.content.decode()
    assert last_pk() == before


def test_floods_and_oversized_bodies_get_a_clear_refusal(client, world, settings):
    path = f"/comments/post/{world.post.pk}/"
    meta = {"HTTP_HOST": BRETAGNE, "REMOTE_ADDR": "198.51.100.9"}
    before = last_pk()
    for body, content_type in (
        ("body=" + "x" * 3_000_000, "application/x-www-form-urlencoded"),
        ("&".join(f"f{n}=1" for n in range(10_001)), "application/x-www-form-urlencoded"),
        (b"--x\r\nContent-Disposition: form-data\r\n\r\nbroken", "multipart/form-data; boundary=x"),
        (b"\xff\xfe\x00body=x", "application/x-www-form-urlencoded"),
        ('{"body": "x"}', "application/json"),
    ):
        clear_caches()
        response = client.post(path, body, content_type=content_type, **meta)
        assert 400 <= response.status_code < 500, content_type
    assert last_pk() == before
    # The rate limit: a clear 429 with Retry-After, counted whatever the form holds.
    settings.COMMENTS_RATE_LIMIT = "2/10m"
    clear_caches()
    statuses = [
        post_form(client, world, "post", {**VALID, "body": f"Message {n}"}).status_code
        for n in range(4)
    ]
    assert statuses == [303, 303, 429, 429]
    assert Comment.objects.filter(body__startswith="Message").count() == 2


# --- the edit/delete window --------------------------------------------------------------------


def forge_cookie(client, value):
    """A cookie signed as the site signs its own (the edit window's)."""
    signer = signing.get_cookie_signer(salt=editing.COOKIE_NAME + editing.COOKIE_SALT)
    client.cookies[editing.COOKIE_NAME] = signer.sign(value)


def own(client, comment):
    forge_cookie(client, f"{comment.pk}:{int(comment.created_at.timestamp())}")


@hypothesis_settings(50)
@given(
    name=st.one_of(st.just("Maël"), hostile_text),
    url=st.one_of(st.just(""), hostile_url),
    body=st.one_of(st.just("Corrigé."), hostile_text),
    urlencoded=st.booleans(),
)
def test_an_edit_answers_any_input_clearly(client, world, run_example, name, url, body, urlencoded):
    comment = make_comment(world.post, email="mael@example.org", body="Avant.")
    own(client, comment)
    data = {"name": name, "url": url, "body": body}
    path = f"/comments/edit/{comment.pk}/"
    kwargs = {"HTTP_HOST": BRETAGNE}
    if urlencoded:
        data = urlencode(data)
        kwargs["content_type"] = "application/x-www-form-urlencoded"
    response = run_example(client.post, path, data, **kwargs)
    after = Comment.objects.select_related("parent").get(pk=comment.pk)
    assert_whole([after])
    if response.status_code == 303:
        assert after.edited_at is not None
    else:
        assert response.status_code == 400 and shows_form_errors(response)
        assert (after.author_name, after.url, after.body) == ("Anne", "", "Avant.")
        assert after.edited_at is None


@hypothesis_settings(50)
@given(
    cookie=st.one_of(
        hostile_text, st.sampled_from(["signed", "signed_odd", "other_salt", "truncated", "old"])
    ),
    segment=st.one_of(
        st.just("own"), st.integers(-(10**30), 10**30).map(str), hostile_text.map(str.strip)
    ),
    method=st.sampled_from(["get", "post"]),
    view=st.sampled_from(["edit", "delete"]),
)
# Regression (reachable only with the secret key): "²" passed str.isdigit() and made int() fail.
@example(cookie="signed_odd", segment="own", method="get", view="edit")
def test_a_forged_edit_cookie_or_address_changes_nothing(
    client, world, run_example, cookie, segment, method, view
):
    comment = make_comment(world.post, body="Intact.")
    created = int(comment.created_at.timestamp())
    signer = signing.get_cookie_signer(salt=editing.COOKIE_NAME + editing.COOKIE_SALT)
    if cookie == "signed":  # another comment's entry, genuinely signed
        forge_cookie(client, f"{comment.pk + 1}:{created}")
    elif cookie == "signed_odd":  # signed with the key, but not what the site writes
        forge_cookie(client, f"²:{created},{comment.pk}:²,{'9' * 5000}:{created},:,,")
    elif cookie == "other_salt":
        other = signing.get_cookie_signer(salt="comments.other")
        client.cookies[editing.COOKIE_NAME] = other.sign(f"{comment.pk}:{created}")
    elif cookie == "truncated":
        client.cookies[editing.COOKIE_NAME] = signer.sign(f"{comment.pk}:{created}")[:-3]
    elif cookie == "old":  # its own entry, from before the comment was made
        forge_cookie(client, f"{comment.pk}:{created - 1}")
    else:
        client.cookies[editing.COOKIE_NAME] = as_header(cookie)
    data = {"name": "Eve", "url": "", "body": "Modifié."} if method == "post" else None
    target = str(comment.pk) if segment == "own" else quote(segment, safe="")
    path = f"/comments/{view}/{target}/"
    response = run_example(getattr(client, method), path, data, HTTP_HOST=BRETAGNE)
    assert response.status_code in (403, 404)
    assert Comment.objects.get(pk=comment.pk).body == "Intact."


# --- confirmation and unsubscribe links -----------------------------------------------------------


@pytest.fixture
def subscription(world):
    """An unconfirmed subscription of a comment of the Bretagne post, with its token."""
    comment = make_comment(world.post, email="lea@example.org")
    subscription = Subscription.objects.create(comment=comment, email="lea@example.org")
    return subscription, notifications.issue_token(subscription)


def tampered(token, position, char):
    position %= len(token)
    if token[position] == char:
        char = "1" if char != "1" else "2"
    return token[:position] + char + token[position + 1 :]


@hypothesis_settings(40)
@given(
    token=st.one_of(hostile_text, st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=60)),
    position=st.integers(0, 10**6),
    char=st.sampled_from(["A", "a", "0", "-", "_", "=", ".", ":", "%", "\x00", "é"]),
    mode=st.sampled_from(["random", "tampered"]),
    method=st.sampled_from(["get", "post"]),
)
def test_a_forged_confirmation_link_confirms_nothing(
    client, subscription, run_example, token, position, char, mode, method
):
    subscription, genuine = subscription
    if mode == "tampered":
        token = tampered(genuine, position, char)
    path = f"/comments/subscription/confirm/{quote(token, safe='')}/"
    response = run_example(getattr(client, method), path, HTTP_HOST=BRETAGNE)
    assert response.status_code == 404
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert not ConfirmedEmail.objects.filter(email="lea@example.org").exists()


@hypothesis_settings(40)
@given(
    subscription_id=st.one_of(
        st.sampled_from(["own", "other"]), st.integers(-(10**30), 10**30).map(str), hostile_text
    ),
    token=st.one_of(hostile_text, st.sampled_from(["genuine", "tampered", "other"])),
    position=st.integers(0, 10**6),
    method=st.sampled_from(["get", "post", "post"]),
)
def test_a_forged_unsubscribe_link_unsubscribes_nothing(
    world, subscription, run_example, subscription_id, token, position, method
):
    subscription, _ = subscription
    other = world.subscriber.subscription
    own_token = notifications.unsubscribe_token(subscription)
    other_token = notifications.unsubscribe_token(other)
    ids = {"own": subscription.pk, "other": other.pk}
    tokens = {
        "genuine": own_token,
        "tampered": tampered(own_token, position, "0"),
        "other": other_token,
    }
    target_id = str(ids.get(subscription_id, subscription_id))
    value = tokens.get(token, token)
    if (target_id, value) in ((str(subscription.pk), own_token), (str(other.pk), other_token)):
        return  # a genuine link
    path = f"/comments/unsubscribe/{quote(target_id, safe='')}/{quote(value, safe='')}/"
    # No CSRF for the RFC 8058 one-click POST: a browser with CSRF checks is refused nothing.
    visitor = Client(enforce_csrf_checks=True)
    response = run_example(getattr(visitor, method), path, HTTP_HOST=BRETAGNE)
    if resolves_to(path, "comments:unsubscribe"):
        assert response.status_code == 404
    else:  # not one of our addresses: a 404, or the CSRF refusal of a POST to the pages
        assert response.status_code in (403, 404)
    assert not Subscription.objects.exclude(unsubscribed_at=None).exists()


# --- "Manage my comments" -------------------------------------------------------------------------

MANAGE = "/comments/manage/"
ACTIONS = ["export", "correct", "notifications", "erase"]


def make_maels(world):
    """Maël's comments on two sites, the first subscribed to replies."""
    first = make_comment(world.post, author_name="Maël", email="mael@example.org", body="Un.")
    make_comment(world.occitanie_post, author_name="Maël", email="mael@example.org", body="Deux.")
    subscription = Subscription.objects.create(
        comment=first, email="mael@example.org", confirmed_at=timezone.now()
    )
    notifications.issue_token(subscription)
    return first


@pytest.fixture
def mael(world):
    return make_maels(world)


def maels():
    return list(Comment.objects.filter(email="mael@example.org").values_list("author_name", "url"))


@hypothesis_settings(40)
@given(
    address=hostile_email,
    lang=st.one_of(st.none(), st.sampled_from(["fr", "en", "de"]), hostile_text),
    ip=hostile_ip,
    urlencoded=st.booleans(),
    page=st.sampled_from([MANAGE, f"{MANAGE}sent/", f"{MANAGE}erased/"]),
)
def test_asking_for_the_link_answers_any_address_clearly(
    client, mael, run_example, address, lang, ip, urlencoded, page
):
    data = {"email": address, **({"lang": lang} if lang is not None else {})}
    meta = {"HTTP_HOST": BRETAGNE, "REMOTE_ADDR": as_header(ip)}
    if urlencoded:
        data = urlencode(data)
        meta["content_type"] = "application/x-www-form-urlencoded"
    response = run_example(client.post, MANAGE, data, **meta)
    if response.status_code == 303:
        assert response["Location"].startswith(f"{MANAGE}sent/?lang=")
        assert all(message.to == ["mael@example.org"] for message in mail.outbox)
    else:
        assert response.status_code == 400
        assert BeautifulSoup(response.content, "html.parser").select(".errorlist li")
        assert mail.outbox == []
    params = {"lang": lang or "", "done": lang or ""}
    assert client.get(page, params, HTTP_HOST=BRETAGNE).status_code in (200, 404)


def genuine_token(email="mael@example.org", language="en"):
    return selfservice.make_token(email, language)


def forged_tokens(genuine):
    payload, timestamp, signature = genuine.split(":")
    as_anne = base64.urlsafe_b64encode(json.dumps({"k": "0" * 64, "l": "en"}).encode())
    return {
        "payload": f"{as_anne.decode().rstrip('=')}:{timestamp}:{signature}",
        "timestamp": f"{payload}:{timestamp}x:{signature}",
        "signature": f"{payload}:{timestamp}:{signature[::-1]}",
        "truncated": genuine[:-3],
        "doubled": genuine + genuine,
        "other_salt": signing.TimestampSigner(salt=TIMESTAMP_SALT).sign_object({"k": "x"}),
        "form_timestamp": signed_timestamp(),
        "long": "a:" * 2000,
    }


@hypothesis_settings(40)
@given(
    token=st.one_of(hostile_text, st.sampled_from(list(forged_tokens("a:b:c")))),
    action=st.one_of(
        st.sampled_from([None, *ACTIONS]), st.from_regex(r"[-a-zA-Z0-9_]{1,20}", fullmatch=True)
    ),
    data=st.dictionaries(
        st.sampled_from(["name", "url", "mode", "confirm", "lang"]), hostile_text, max_size=4
    ),
)
def test_a_forged_manage_link_opens_nothing(client, mael, run_example, token, action, data):
    token = forged_tokens(genuine_token()).get(token, token)
    if token in ("sent", "erased"):
        return  # the pages of those names, not links
    before = maels()
    base = f"{MANAGE}{quote(token, safe='')}/"
    if action is None:
        response = run_example(client.get, base, data, HTTP_HOST=BRETAGNE)
    else:
        response = run_example(client.post, f"{base}{action}/", data, HTTP_HOST=BRETAGNE)
    # 400: an altered link; 404 or 405: not one of our addresses (a "/" in the token).
    assert response.status_code in (400, 404, 405), response.status_code
    assert "mael@example.org" not in response.content.decode()
    assert maels() == before
    assert Subscription.objects.get(comment=mael).unsubscribed_at is None


@hypothesis_settings(40)
@given(
    action=st.sampled_from(["correct", "erase"]),
    data=st.fixed_dictionaries(
        {
            "name": st.one_of(st.just("Maël L."), hostile_text),
            "url": st.one_of(st.just(""), hostile_url),
            "mode": st.one_of(st.sampled_from(["anonymize", "delete"]), hostile_text),
            "confirm": hostile_flag,
        }
    ),
)
def test_a_genuine_manage_link_answers_any_form_clearly(
    client, world, mael, run_example, action, data
):
    token = genuine_token()
    data = {name: value for name, value in data.items() if value is not None}
    before = maels()
    response = run_example(client.post, f"{MANAGE}{token}/{action}/", data, HTTP_HOST=BRETAGNE)
    if response.status_code == 303:
        if action == "correct":
            [(name, url)] = set(maels())
            assert name.strip() and "\x00" not in name and len(name) <= 100
            assert not url or url.startswith(("http://", "https://"))
        else:  # erased: nothing left of Maël; the next example starts again
            assert maels() == []
            make_maels(world)
    else:
        assert response.status_code == 400
        assert BeautifulSoup(response.content, "html.parser").select(".errorlist li")
        assert maels() == before
    assert_whole(list(Comment.objects.filter(email="mael@example.org")))


# --- expired and replayed tokens ------------------------------------------------------------------


def test_expired_tokens_are_refused_clearly(client, world, mael):
    """A form shown too long ago, an edit window past, a "Manage my comments" link over an hour
    old: a clear refusal, and nothing changed."""
    before = last_pk()
    clear_caches()
    response = post_form(client, world, "post", {**VALID, "timestamp": "expired"})
    assert response.status_code == 400
    assert "expiré" in response.content.decode()
    assert last_pk() == before

    comment = make_comment(world.post, body="Intact.")
    own(client, comment)
    token = genuine_token()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        for view in ("edit", "delete"):
            path = f"/comments/{view}/{comment.pk}/"
            response = client.post(path, {"name": "Eve", "body": "x"}, HTTP_HOST=BRETAGNE)
            assert response.status_code == 403
        assert client.get(f"{MANAGE}{token}/", HTTP_HOST=BRETAGNE).status_code == 410
        for action in ACTIONS:
            data = {"mode": "delete", "confirm": "on", "name": "Eve"}
            response = client.post(f"{MANAGE}{token}/{action}/", data, HTTP_HOST=BRETAGNE)
            assert response.status_code == 410
    assert Comment.objects.get(pk=comment.pk).body == "Intact."
    assert maels() == [("Maël", ""), ("Maël", "")]


def test_replayed_links_have_no_second_effect(client, world, mael, subscription):
    """Each link used twice: the second time a clear answer, and nothing done twice."""
    subscription, confirm_token = subscription
    confirm = f"/comments/subscription/confirm/{confirm_token}/"
    assert client.post(confirm, HTTP_HOST=BRETAGNE).status_code == 303
    subscription.refresh_from_db()
    confirmed_at = subscription.confirmed_at
    assert confirmed_at is not None
    assert client.post(confirm, HTTP_HOST=BRETAGNE).status_code == 303
    assert client.get(confirm, HTTP_HOST=BRETAGNE).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at == confirmed_at
    assert ConfirmedEmail.objects.filter(email="lea@example.org").count() == 1

    token = notifications.unsubscribe_token(subscription)
    unsubscribe = f"/comments/unsubscribe/{subscription.pk}/{token}/"
    assert client.post(unsubscribe, HTTP_HOST=BRETAGNE).status_code == 200
    subscription.refresh_from_db()
    unsubscribed_at = subscription.unsubscribed_at
    assert unsubscribed_at is not None
    for method in ("post", "get"):
        assert getattr(client, method)(unsubscribe, HTTP_HOST=BRETAGNE).status_code == 410
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at == unsubscribed_at

    comment = make_comment(world.post)
    own(client, comment)
    delete = f"/comments/delete/{comment.pk}/"
    assert client.post(delete, HTTP_HOST=BRETAGNE).status_code == 303
    assert client.post(delete, HTTP_HOST=BRETAGNE).status_code == 404

    correct = f"{MANAGE}{genuine_token()}/correct/"
    for _ in range(2):
        assert client.post(correct, {"name": "Maël L."}, HTTP_HOST=BRETAGNE).status_code == 303
    assert set(maels()) == {("Maël L.", "")}

    erase = f"{MANAGE}{genuine_token()}/erase/"
    data = {"mode": "delete", "confirm": "on"}
    assert client.post(erase, data, HTTP_HOST=BRETAGNE).status_code == 303
    assert maels() == []
    for action in ACTIONS:
        response = client.post(f"{MANAGE}{genuine_token()}/{action}/", data, HTTP_HOST=BRETAGNE)
        assert response.status_code == 410
    assert client.post(erase, data, HTTP_HOST=BRETAGNE).status_code == 410


# --- missing CSRF, wrong methods ----------------------------------------------------------------


def test_no_csrf_token_nor_wrong_method_changes_anything(client, world, mael, subscription):
    """A browser that did not get the token from our pages changes nothing, anywhere; a method
    a view does not take is a 405 naming those it takes (checked without CSRF checks: with
    them, the CSRF refusal, a 403, comes first for PUT, PATCH and DELETE)."""
    subscription, confirm_token = subscription
    editable = make_comment(world.post, body="Intact.")
    visitor = Client(enforce_csrf_checks=True)
    own(visitor, editable)
    token = genuine_token()
    state = lambda: (  # noqa: E731
        last_pk(),
        maels(),
        Comment.objects.get(pk=editable.pk).body,
        list(Subscription.objects.order_by("pk").values_list("confirmed_at", "unsubscribed_at")),
    )
    before = state()
    form = {name: value for name, value in VALID.items() if value is not None}
    posts = [
        (f"/comments/post/{world.post.pk}/", {**form, "timestamp": timestamp_value("valid")}),
        (f"/comments/edit/{editable.pk}/", {"name": "Eve", "url": "", "body": "Modifié."}),
        (f"/comments/delete/{editable.pk}/", {}),
        (f"/comments/subscription/confirm/{confirm_token}/", {}),
        (MANAGE, {"email": "mael@example.org"}),
        *[
            (f"{MANAGE}{token}/{action}/", {"name": "Eve", "mode": "delete", "confirm": "on"})
            for action in ACTIONS
        ],
    ]
    for path, data in posts:
        clear_caches()
        response = visitor.post(path, data, HTTP_HOST=BRETAGNE, REMOTE_ADDR="198.51.100.3")
        assert response.status_code == 403, path
        forged = visitor.post(
            path,
            {**data, "csrfmiddlewaretoken": "x" * 64},
            HTTP_HOST=BRETAGNE,
            HTTP_X_CSRFTOKEN="y" * 32,
        )
        assert forged.status_code == 403, path
    assert state() == before
    assert mail.outbox == []

    unsubscribe = notifications.unsubscribe_token(subscription)
    allowed_methods = {
        f"/comments/post/{world.post.pk}/": {"POST"},
        f"/comments/edit/{editable.pk}/": {"GET", "POST"},
        f"/comments/delete/{editable.pk}/": {"GET", "POST"},
        f"/comments/subscription/confirm/{confirm_token}/": {"GET", "POST"},
        f"/comments/unsubscribe/{subscription.pk}/{unsubscribe}/": {"GET", "POST"},
        MANAGE: {"GET", "POST"},
        f"{MANAGE}sent/": {"GET"},
        f"{MANAGE}erased/?done=deleted": {"GET"},
        f"{MANAGE}{token}/": {"GET"},
        **{f"{MANAGE}{token}/{action}/": {"POST"} for action in ACTIONS},
        "/comments/avatar/anonymous/": {"GET", "HEAD"},
    }
    for path, allowed in allowed_methods.items():
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"):
            if method not in allowed:
                response = client.generic(method, path, b"body=x", HTTP_HOST=BRETAGNE)
                assert response.status_code == 405, (path, method)
                assert set(response["Allow"].split(", ")) == allowed, path
    assert state() == before
