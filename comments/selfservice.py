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

The link carries no address: it carries the address's opaque avatar key (a keyed HMAC, see
comments.avatars) signed with a timestamp (TimestampSigner, its own salt), so neither a web
server's access log nor a forwarded link reveals whose comments they are.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from django_tasks import task

from . import conf, mail, notifications, throttle
from .avatars import avatar_key, normalize_email
from .models import Comment, ConfirmedEmail
from .notification_tasks import one_line
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


def make_token(email, language):
    signer = signing.TimestampSigner(salt=LINK_SALT)
    return signer.sign_object({"k": avatar_key(email), "l": language})


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
    if not isinstance(data, dict) or not isinstance(data.get("k"), str) or not data["k"]:
        raise InvalidLink
    email = (
        Comment.objects.filter(avatar_key=data["k"])
        .exclude(email="")
        .values_list("email", flat=True)
        .first()
    )
    if email is None:  # everything was erased since the link was sent: nothing left to manage
        raise ExpiredLink
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
    email = None
    if comment_id is not None:
        email = Comment.objects.filter(pk=comment_id).values_list("email", flat=True).first()
    if not email:
        return False
    if attempt == 1 and not notifications.take_confirmation_slot(email):
        return False
    with translation.override(language_from(language)):
        context = {
            "manage_url": manage_url(root_url, email, language),
            "host": root_url.split("://", 1)[-1],
            "minutes": LINK_MAX_AGE // 60,
        }
        subject = gettext("Manage your comments")
        text = render_to_string("comments/email/manage_link.txt", context)
        html = render_to_string("comments/email/manage_link.html", context)
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        from_email=conf.get("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    message.attach_alternative(html, "text/html")
    return mail.send_or_retry(message, send_manage_link, attempt, comment_id, language, root_url)


# --- opening the link ---------------------------------------------------------------------------


def record_confirmation(email):
    """Opening a valid link proves the address, as a notification's confirmation does; kept
    only while a comment uses the address (lifecycle.forget_unused_confirmations)."""
    email = normalize_email(email)
    if Comment.objects.filter(email=email).exists():
        ConfirmedEmail.objects.get_or_create(email=email, defaults={"confirmed_at": timezone.now()})
