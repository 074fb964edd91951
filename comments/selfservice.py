"""Self-service rights without an account: the "Manage my comments" link.

A visitor types an e-mail address; if comments were made with it, a link valid for an hour is
mailed to that address. Opening it proves that the visitor reads the mailbox: the page lists the
address's comments on every site and offers what comments.personal_data does (export, correct,
stop notifications, anonymize, delete).

The request reveals nothing: the answer is the same whether the address has comments or not, and
so is the work done while answering (one indexed query, one task enqueued); the task decides
whether to send. The task is given the id of one of the address's comments, never the address,
so a database task queue does not store it. Requests are throttled per client (COMMENTS_RATE_LIMIT)
and mails per recipient (COMMENTS_CONFIRMATION_RATE_LIMIT, the budget of the confirmation e-mails),
so the form can neither be hammered nor used to flood someone's mailbox.

The link carries no address nor anything derived from it: a random value (kept only as its
SHA-256 in a ManageLink row, which says whose link it is) signed with a timestamp
(TimestampSigner, its own salt). So neither a web server's access log nor a forwarded link
reveals whose comments they are, nor matches the key of any public avatar address.

Opening the link (GET) changes nothing: the page lists the comments and offers buttons. Pressing
"This is my address" (POST) records the address as confirmed (ConfirmedEmail) and lets this
browser publish at once where the site holds only first comments (comments.trust); "Show my
Gravatar" / "Stop showing my Gravatar" give or withdraw the owner's consent, for all the
address's comments (ConfirmedEmail.gravatar_since). Ticking "Show my Gravatar" on a comment
only mails such a link to the address.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from django_tasks import task

from . import avatars, conf, mail, notifications, throttle
from .avatars import normalize_email
from .models import Comment, ConfirmedEmail, ManageLink
from .throttle import client_ip

LINK_SALT = "comments.selfservice.manage-link"
# How long a mailed link works, in seconds.
LINK_MAX_AGE = 60 * 60
# A longer path segment is not one of our links: refused before any decoding.
MAX_TOKEN_LENGTH = 1000


class InvalidLink(Exception):
    """The link was altered, truncated or made up."""


class ExpiredLink(InvalidLink):
    """The link was genuine, but is older than LINK_MAX_AGE."""


@dataclass(frozen=True)
class Visitor:
    """Who opened a valid link: the owner of `email`, reading in `language`."""

    email: str
    language: str


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def language_from(value):
    """A supported language code: `value` when it is one, else the active (or default) one."""
    if value in language_codes():
        return value
    active = translation.get_language()
    return active if active in language_codes() else settings.LANGUAGE_CODE


# --- the link ----------------------------------------------------------------------------------


def _hash(value):
    return hashlib.sha256(value.encode()).hexdigest()


def make_token(email, language):
    """A new link's token for `email`: a random value, signed with the time; the row that maps
    it to the address lives as long as the link (expired rows are deleted here)."""
    now = timezone.now()
    forget_expired_links(now)
    value = secrets.token_urlsafe(24)
    ManageLink.objects.create(token_hash=_hash(value), email=normalize_email(email), created_at=now)
    signer = signing.TimestampSigner(salt=LINK_SALT)
    return signer.sign_object({"t": value, "l": language})


def expired_links(now=None):
    """The rows of links that no longer work (an hour after they were mailed)."""
    limit = (now or timezone.now()) - timedelta(seconds=LINK_MAX_AGE)
    return ManageLink.objects.filter(created_at__lt=limit)


def forget_expired_links(now=None):
    """Delete them: when a new link is issued, and every day (comments.lifecycle)."""
    return expired_links(now).delete()[0]


def read_token(token):
    """The Visitor of a link's token; ExpiredLink or InvalidLink otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidLink
    signer = signing.TimestampSigner(salt=LINK_SALT)
    try:
        data = signer.unsign_object(token, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ExpiredLink from error
    except (signing.BadSignature, ValueError) as error:
        raise InvalidLink from error
    if not isinstance(data, dict) or not isinstance(data.get("t"), str) or not data["t"]:
        raise InvalidLink
    email = (
        ManageLink.objects.filter(token_hash=_hash(data["t"]))
        .values_list("email", flat=True)
        .first()
    )
    if email is None:  # a signed link whose row was purged: it has expired
        raise ExpiredLink
    if not Comment.objects.filter(email=email).exists():
        raise ExpiredLink  # everything was erased since the link was sent: nothing left
    return Visitor(email=email, language=language_from(data.get("l")))


def manage_url(root_url, email, language):
    return f"{root_url}{reverse('comments:manage_comments', args=[make_token(email, language)])}"


# --- asking for the link ------------------------------------------------------------------------


def rate_limit(request):
    """Seconds to wait when this client asked for too many links (COMMENTS_RATE_LIMIT per IP
    address, comments.throttle), else None."""
    if not conf.get("RATE_LIMIT_ENABLED"):
        return None
    return throttle.hit("manage-link", client_ip(request) or "unknown", conf.get("RATE_LIMIT"))


def request_link(email, language, root_url):
    """Ask for the link to be mailed to `email`, for pages at `root_url` (the site asked).

    The same work whatever the address: one query, one task; the task sends only when the
    address has comments (and has not had its share of mails).
    """
    comment_id = (
        Comment.objects.filter(email=normalize_email(email))
        .order_by()
        .values_list("pk", flat=True)
        .first()
    )
    send_manage_link.enqueue(comment_id, language, root_url)


@task()
def send_manage_link(comment_id, language, root_url, attempt=1):
    """Mail the link to the address of comment `comment_id`; nothing when there is none.

    A mail the server fails to take is tried again later (comments.mail): only the first attempt
    counts against the address's budget, and each attempt signs a fresh link."""
    return _mail_link(send_manage_link, comment_id, language, root_url, attempt, gravatar=False)


@task()
def send_gravatar_offer(comment_id, language, root_url, attempt=1):
    """Mail the link to the address of comment `comment_id`, whose author ticked "Show my
    Gravatar": only the owner of the address may switch it on, from that link. Nothing when the
    owner already did (or the comment is gone)."""
    return _mail_link(send_gravatar_offer, comment_id, language, root_url, attempt, gravatar=True)


def offer_gravatar(comment):
    """Inside the posting transaction: the author ticked "Show my Gravatar"; mail the address
    its link once the comment is stored (the task decides whether to send: the same work for
    every address)."""
    page = comment.page
    root_url = notifications.site_root_url(page)
    if root_url:
        language = getattr(getattr(page, "locale", None), "language_code", None)
        notifications.enqueue_on_commit(
            send_gravatar_offer, comment.pk, language_from(language), root_url
        )


def _mail_link(task, comment_id, language, root_url, attempt, gravatar):
    email = None
    if comment_id is not None:
        email = Comment.objects.filter(pk=comment_id).values_list("email", flat=True).first()
    if not email:
        return False
    if gravatar and gravatar_shown(email):
        return False
    if attempt == 1 and not notifications.take_confirmation_slot(email):
        return False
    with translation.override(language_from(language)):
        context = {
            "manage_url": manage_url(root_url, email, language),
            "host": root_url.split("://", 1)[-1],
            "minutes": LINK_MAX_AGE // 60,
            "gravatar": gravatar,
        }
        subject = (
            gettext("Show your Gravatar with your comments")
            if gravatar
            else gettext("Manage your comments")
        )
        message = mail.build_message(subject, "manage_link", context, email)
    return mail.send_or_retry(message, task, attempt, comment_id, language, root_url)


# --- opening the link ---------------------------------------------------------------------------


def record_confirmation(email):
    """The visitor pressed "This is my address" under a valid link: that proves the address, as
    a notification's confirmation does; kept only while a comment uses the address
    (lifecycle.forget_unused_confirmations). Returns the ConfirmedEmail, or None."""
    email = normalize_email(email)
    if not Comment.objects.filter(email=email).exists():
        return None
    confirmed, _created = ConfirmedEmail.objects.get_or_create(
        email=email, defaults={"confirmed_at": timezone.now()}
    )
    return confirmed


def gravatar_shown(email):
    """Whether the owner of `email` consented to show their Gravatar."""
    return ConfirmedEmail.objects.filter(
        email=normalize_email(email), gravatar_since__isnull=False
    ).exists()


def set_gravatar(email, shown):
    """Give (shown=True) or withdraw the owner's consent to show their Gravatar on all the
    address's comments; only called under a valid mailed link, after its button was pressed.
    A withdrawal evicts the fetched images at once."""
    confirmed = record_confirmation(email)
    if confirmed is None:
        return
    confirmed.gravatar_since = (confirmed.gravatar_since or timezone.now()) if shown else None
    confirmed.save(update_fields=["gravatar_since"])
    comments = Comment.objects.filter(email=normalize_email(email))
    comments.update(use_gravatar=shown)
    if not shown:
        keys = comments.exclude(avatar_key="").values_list("avatar_key", flat=True)
        avatars.forget(set(keys))
