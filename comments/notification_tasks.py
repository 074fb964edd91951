"""The reply-notification e-mails, sent by django-tasks outside the request.

Tasks take ids, not objects (they may run later, in a worker), and check again at run time that
the mail is still due. Each mail is written in the language of the commented page. Names typed by
visitors appear only in the body, never in a header; the subject carries the page's title with
line breaks removed. A mail the server fails to take is tried again later (comments.mail): the
task enqueues itself with the next `attempt` number.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from django_tasks import task

from . import conf, mail, notifications
from .models import Subscription

EXCERPT_CHARS = 300


def one_line(text):
    """No CR, LF or other line break can reach a header."""
    return " ".join(str(text).split())


def excerpt(text):
    text = text.strip()
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def build_message(subject, template, context, to, headers=None):
    text = render_to_string(f"comments/email/{template}.txt", context)
    html = render_to_string(f"comments/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        from_email=conf.get("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message


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
    if attempt == 1 and not notifications.take_confirmation_slot(subscription.email):
        return False
    page = subscription.comment.page
    token = notifications.issue_token(subscription)
    link = notifications.confirm_url(page, token)
    if link is None:
        return False
    with translation.override(page.locale.language_code):
        context = {"page": page, "confirm_url": link, "page_url": page.get_full_url()}
        subject = gettext("Confirm the reply notifications for “%(title)s”") % {"title": page.title}
        email = build_message(subject, "confirmation", context, subscription.email)
    return mail.send_or_retry(email, send_confirmation, attempt, subscription_id)


@task()
def send_reply_notification(comment_id, attempt=1):
    """Tell the author of the parent of this approved reply, if they subscribed and confirmed
    (checked again at each attempt: an unsubscription or a rejection meanwhile stops it)."""
    reply = notifications.approved_reply(comment_id)
    subscription = notifications.reply_recipient(reply) if reply is not None else None
    if subscription is None:
        return False
    page = reply.page
    unsubscribe = notifications.unsubscribe_url(subscription)
    link = notifications.reply_url(reply)
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
        email = build_message(subject, "reply", context, subscription.email, headers)
    return mail.send_or_retry(email, send_reply_notification, attempt, comment_id)
