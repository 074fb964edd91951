"""The commenter's window to edit or delete their comment, from the browser that posted it.

After posting, the browser gets a signed cookie (HttpOnly, SameSite=Lax, Secure on HTTPS) listing
"<id>:<created timestamp>" of the comments it may edit; nothing else identifies it and nothing is
stored server-side. A comment may be edited or deleted for COMMENTS_EDIT_MINUTES after it was
posted, while it has no reply (a reply may quote it, and a deletion would orphan it).

An edit is moderated as a new comment with the same text would be: the spam checks run again
(comments.spam.check, the entry point posting uses), and an approved comment stays approved only
when the page's policy would publish that comment at once ("none", or "first" for a commenter
already approved on the site whose browser vouches for the address: comments.trust); otherwise
it goes back to pending, since moderators approved the old text, not the new one.
"""

import time

from django.db import transaction
from django.utils import timezone

from . import conf, digest, signals, spam
from .models import CommentStatus
from .moderation import initial_status

COOKIE_NAME = "comments_edit"
COOKIE_SALT = "comments.edit-window"
EDITABLE_STATUSES = (CommentStatus.PENDING, CommentStatus.APPROVED)
LIVE_REPLY_STATUSES = (CommentStatus.PENDING, CommentStatus.APPROVED)


def window_seconds():
    return int(conf.get("EDIT_MINUTES")) * 60


def _read(request, within_window=True):
    """{comment id: created timestamp} from this browser's cookie (the entries still within the
    window, unless within_window=False)."""
    raw = request.get_signed_cookie(COOKIE_NAME, default="", salt=COOKIE_SALT)
    entries = {}
    oldest = time.time() - window_seconds() if within_window else 0
    for item in (raw or "").split(","):
        comment_id, _, created = item.partition(":")
        comment_id, created = _number(comment_id), _number(created)
        if comment_id is not None and created is not None and created > oldest:
            entries[comment_id] = created
    return entries


def _number(text):
    """A whole number in ASCII digits, as remember() writes them, else None ("²" is a digit to
    str.isdigit(), not to int())."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 20 else None


def remember(request, response, comment):
    """Let this browser edit or delete `comment` for COMMENTS_EDIT_MINUTES."""
    if comment.status not in EDITABLE_STATUSES:
        return
    entries = _read(request)
    entries[comment.pk] = int(comment.created_at.timestamp())
    value = ",".join(f"{pk}:{created}" for pk, created in sorted(entries.items()))
    response.set_signed_cookie(
        COOKIE_NAME,
        value,
        salt=COOKIE_SALT,
        max_age=window_seconds(),
        path="/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def editable_ids(request):
    """Ids of the comments this browser may still edit, from its cookie alone (no query): what
    the thread uses to show the Edit and Delete links."""
    if request is None:
        return frozenset()
    return frozenset(_read(request))


def refusal(request, comment):
    """Why this browser may not edit or delete `comment` now ("" when it may)."""
    created = _read(request, within_window=False).get(comment.pk)
    if created is None or created != int(comment.created_at.timestamp()):
        return "not_yours"
    if (timezone.now() - comment.created_at).total_seconds() >= window_seconds():
        return "expired"
    if comment.status not in EDITABLE_STATUSES or comment.removed_at or comment.anonymized_at:
        return "not_yours"
    if comment.replies.filter(status__in=LIVE_REPLY_STATUSES).exists():
        return "replied"
    return ""


def edit(comment, name, url, body, request=None):
    """Change the comment's name, website and text; checked again like a new comment (sent
    from `request`'s browser: comments.trust)."""
    page = comment.page.specific
    policy = conf.policy_for_page(page)
    data = {
        "name": name,
        "email": comment.email,
        "url": url,
        "body": body,
        "parent": comment.parent,
        "notify": False,
        "use_gravatar": comment.use_gravatar,
        "website_confirm": "",
    }
    verdict = spam.check(page, data, policy, edited=comment)
    reason = verdict.reason if verdict.is_spam else ""
    comment.author_name, comment.url, comment.body = name, url, body
    comment.edited_at = timezone.now()
    if reason:
        comment.status, comment.spam_reason = CommentStatus.SPAM, reason
    elif comment.status == CommentStatus.APPROVED:
        comment.status = initial_status(page, data, policy, request)
    comment.save(update_fields=["author_name", "url", "body", "edited_at", "status", "spam_reason"])
    digest.comment_held(comment)  # held again: the moderators hear of it
    signals.changed({comment.page_id})
    return comment


def delete(comment):
    """Remove the comment for good (it has no reply: refusal() said so)."""
    with transaction.atomic():
        comment.delete()
    signals.changed({comment.page_id})
