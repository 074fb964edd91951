"""Who is notified, when: reply notifications with double opt-in.

- Ticking "notify me" stores an unconfirmed Subscription and sends (through a task) a confirmation
  e-mail; only a confirmed subscription is ever used. Confirmation e-mails to one address are
  rate-limited (COMMENTS_CONFIRMATION_RATE_LIMIT), so the form cannot be used to mail strangers.
- When a reply becomes public, the author of its parent gets one e-mail, if they subscribed and
  confirmed, and not when they replied to themselves.
- Links carry no e-mail. The confirmation link carries a random token stored only as its SHA-256;
  the unsubscribe link carries an HMAC (keyed with SECRET_KEY) of that stored hash. A stolen
  database therefore gives no working link, and clearing `token_hash` revokes every link at once.

Mails are built and sent by this module's tasks (django-tasks: send_confirmation,
send_reply_notification), enqueued with the transaction (enqueue_on_commit), so a rolled-back
comment sends nothing and a slow mail server never slows a page. Tasks take ids, not objects (they
may run later, in a worker), and check again at run time that the mail is still due. Each mail is
written in the language of the commented page. Names typed by visitors appear only in the body,
never in a header; the subject carries the page's title with line breaks removed. A mail the
server fails to take is tried again later (comments.mail): the task enqueues itself with the next
`attempt` number.
"""

import hashlib
import secrets

from django.db import router, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from django_tasks import task

from . import conf, mail, throttle
from .avatars import normalize_email
from .models import Comment, CommentStatus, ConfirmedEmail, Subscription

UNSUBSCRIBE_SALT = "comments.notifications.unsubscribe"
EXCERPT_CHARS = 300


def comment_posted(comment, wants_notify):
    """A new comment was stored (any status), inside the posting transaction.

    A subscription is recorded and its confirmation mailed unless the comment was flagged as
    spam; a comment approved at once is announced like one approved by a moderator.
    """
    if wants_notify and comment.status != CommentStatus.SPAM and comment.email:
        subscription = Subscription.objects.create(comment=comment, email=comment.email)
        enqueue_on_commit(send_confirmation, subscription.pk)
    if comment.status == CommentStatus.APPROVED:
        comment_approved(comment)


def comment_approved(comment):
    """A comment became public (by a moderator, or at once when nothing is held).

    Contract: call it once per transition to approved (moderation only approves comments that
    are not approved yet), so the parent's author hears of a reply once. A reply that was edited
    back to pending and approved again is announced again: its text changed.
    """
    if comment.parent_id is None:
        return
    enqueue_on_commit(send_reply_notification, comment.pk)


def enqueue_on_commit(task, *args):
    """Enqueue `task` for when the current transaction commits: nothing if it rolls back.

    The database task backend stores tasks in the same database: there the task is written
    inside the transaction, so it is committed or rolled back with it and no worker sees it
    earlier, as with on_commit, without a write and a commit of its own after the transaction
    (one fewer round trip and disk flush on every comment POST). Any other backend enqueues once
    the transaction has committed.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block and _stores_tasks_in(task, connection.alias):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def _stores_tasks_in(task, alias):
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(task.get_backend(), DatabaseBackend) and (
        router.db_for_write(DBTaskResult) == alias
    )


def reply_recipient(comment):
    """The active Subscription to notify of the approved reply `comment`, or None."""
    if comment.parent_id is None or comment.status != CommentStatus.APPROVED:
        return None
    subscription = Subscription.objects.filter(comment_id=comment.parent_id).first()
    if subscription is None or not subscription.is_active or not subscription.token_hash:
        return None
    if normalize_email(subscription.email) == normalize_email(comment.email):
        return None  # nobody is told of their own reply
    return subscription


# --- tokens ----------------------------------------------------------------------------------


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(subscription):
    """A new random token for `subscription` (only its hash is kept); the old links stop working."""
    token = secrets.token_urlsafe(32)
    subscription.token_hash = hash_token(token)
    subscription.save(update_fields=["token_hash"])
    return token


def subscription_for_token(token):
    """The subscription whose confirmation token this is, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Subscription.objects.select_related("comment__page")
        .filter(token_hash=hash_token(token))
        .first()
    )


def unsubscribe_token(subscription):
    """What the unsubscribe link carries: useless without SECRET_KEY, void once revoked."""
    return salted_hmac(UNSUBSCRIBE_SALT, subscription.token_hash, algorithm="sha256").hexdigest()


def check_unsubscribe_token(subscription, token):
    return bool(subscription.token_hash) and constant_time_compare(
        unsubscribe_token(subscription), token or ""
    )


# --- what the links do -----------------------------------------------------------------------


def confirm(subscription):
    """The owner of the address clicked the confirmation link: the subscription is used from now
    on, and the address counts as confirmed for "first comment held" moderation."""
    now = timezone.now()
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
    ConfirmedEmail.objects.get_or_create(
        email=normalize_email(subscription.email), defaults={"confirmed_at": now}
    )


def unsubscribe(subscription):
    """Stop at once and revoke every link of the subscription."""
    subscription.unsubscribed_at = subscription.unsubscribed_at or timezone.now()
    subscription.token_hash = None
    subscription.save(update_fields=["unsubscribed_at", "token_hash"])


# --- confirmation rate limit -----------------------------------------------------------------


def take_confirmation_slot(email):
    """Count one confirmation e-mail to `email`; False when over COMMENTS_CONFIRMATION_RATE_LIMIT
    (then none must be sent)."""
    rate = conf.get("CONFIRMATION_RATE_LIMIT")
    return throttle.hit("confirmation", normalize_email(email), rate) is None


# --- addresses -------------------------------------------------------------------------------


def site_root_url(page):
    """The root URL (scheme and host) of the site serving `page`, or None."""
    parts = page.get_url_parts()
    return parts[1] if parts else None


def absolute(page, name, *args):
    root = site_root_url(page)
    return f"{root}{reverse(name, args=args)}" if root else None


def confirm_url(page, token):
    return absolute(page, "comments:subscription_confirm", token)


def unsubscribe_url(subscription):
    return absolute(
        subscription.comment.page,
        "comments:unsubscribe",
        subscription.pk,
        unsubscribe_token(subscription),
    )


def reply_url(comment):
    url = comment.page.get_full_url()
    return f"{url}#comment-{comment.pk}" if url else None


def approved_reply(comment_id):
    return (
        Comment.objects.select_related("page", "parent")
        .filter(pk=comment_id, status=CommentStatus.APPROVED)
        .first()
    )


# --- the e-mails (django-tasks) ----------------------------------------------------------------


def excerpt(text):
    text = text.strip()
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


@task()
def send_confirmation(subscription_id, attempt=1):
    """Mail the double opt-in link of a new subscription, unless the address had its share.

    Only the first attempt counts against the address's share: a retry is the same e-mail. Each
    attempt issues a new token (only the one mailed successfully is ever seen)."""
    subscription = (
        Subscription.objects.select_related("comment__page__locale")
        .filter(pk=subscription_id, confirmed_at=None, unsubscribed_at=None)
        .first()
    )
    if subscription is None:
        return False
    if attempt == 1 and not take_confirmation_slot(subscription.email):
        return False
    page = subscription.comment.page
    token = issue_token(subscription)
    link = confirm_url(page, token)
    if link is None:
        return False
    with translation.override(page.locale.language_code):
        context = {"page": page, "confirm_url": link, "page_url": page.get_full_url()}
        subject = gettext("Confirm the reply notifications for “%(title)s”") % {"title": page.title}
        email = mail.build_message(subject, "confirmation", context, subscription.email)
    return mail.send_or_retry(email, send_confirmation, attempt, subscription_id)


@task()
def send_reply_notification(comment_id, attempt=1):
    """Tell the author of the parent of this approved reply, if they subscribed and confirmed
    (checked again at each attempt: an unsubscription or a rejection meanwhile stops it)."""
    reply = approved_reply(comment_id)
    subscription = reply_recipient(reply) if reply is not None else None
    if subscription is None:
        return False
    page = reply.page
    unsubscribe = unsubscribe_url(subscription)
    link = reply_url(reply)
    if unsubscribe is None or link is None:
        return False
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    with translation.override(page.locale.language_code):
        context = {
            "page": page,
            "reply_author": reply.author_name,
            "excerpt": excerpt(reply.body),
            "reply_url": link,
            "unsubscribe_url": unsubscribe,
        }
        subject = gettext("New reply to your comment on “%(title)s”") % {"title": page.title}
        email = mail.build_message(subject, "reply", context, subscription.email, headers)
    return mail.send_or_retry(email, send_reply_notification, attempt, comment_id)
