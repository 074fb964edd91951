"""Everything tied to one e-mail address, on every site: what it is, its export, its correction and
its erasure. Shared by the visitors' "Manage my comments" page (comments.selfservice) and the
network administrators' tools in the admin (comments.personal_data_admin).

Addresses are stored normalized (the comment form lowercases them), so an address is looked up
exactly, on an indexed column. Anonymized comments and tombstones have no address any more: they
are no longer anyone's here. The export holds the person's own data only: nothing of the replies
or of the comments they answered.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from wagtail.models import Site

from . import avatars, lifecycle, moderation, signals
from .avatars import normalize_email
from .counts import counts_per_site, site_label
from .models import Comment, ConfirmedEmail, Subscription

EXCERPT_CHARS = 200
ANONYMIZE = "anonymize"
DELETE = "delete"
ERASURE_MODES = (ANONYMIZE, DELETE)


def comments_of(email):
    email = normalize_email(email)
    if not email:
        return Comment.objects.none()
    return Comment.objects.filter(email=email)


def subscriptions_of(email):
    email = normalize_email(email)
    if not email:
        return Subscription.objects.none()
    return Subscription.objects.filter(Q(email=email) | Q(comment__email=email))


# --- sites -------------------------------------------------------------------------------------


# --- what is tied to an address ------------------------------------------------------------------


@dataclass
class Summary:
    """What the admin shows before exporting or erasing (counts only)."""

    comments: int = 0
    per_site: list = field(default_factory=list)  # [(Site or None, count)]
    active_subscriptions: int = 0
    other_subscriptions: int = 0
    confirmed: bool = False

    @property
    def is_empty(self):
        return not (self.comments or self.active_subscriptions or self.other_subscriptions)


def summary(email):
    per_site = counts_per_site(comments_of(email))
    subscriptions = list(subscriptions_of(email).values_list("confirmed_at", "unsubscribed_at"))
    active = sum(1 for confirmed, stopped in subscriptions if confirmed and not stopped)
    return Summary(
        comments=sum(count for _site, count in per_site),
        per_site=per_site,
        active_subscriptions=active,
        other_subscriptions=len(subscriptions) - active,
        confirmed=ConfirmedEmail.objects.filter(email=normalize_email(email)).exists(),
    )


@dataclass
class Entry:
    """One comment as its author sees it (the list of the self-service page, the export)."""

    comment: Comment
    site: Site | None
    post_url: str | None
    comment_url: str | None

    @property
    def excerpt(self):
        return Truncator(" ".join(self.comment.body.split())).chars(EXCERPT_CHARS)

    @property
    def notifications(self):
        """ "active", "unconfirmed", "stopped", or None when none was asked for."""
        subscription = getattr(self.comment, "subscription", None)
        if subscription is None:
            return None
        if subscription.unsubscribed_at is not None:
            return "stopped"
        return "active" if subscription.confirmed_at is not None else "unconfirmed"


def entries(email, request=None):
    """The address's comments, newest first, each with its site and public addresses. Two
    queries for the comments and sites, then Wagtail's cached site root paths."""
    comments = (
        comments_of(email).select_related("page", "subscription").order_by("-created_at", "-pk")
    )
    sites = {site.pk: site for site in Site.objects.all()}
    result = []
    for comment in comments:
        page = comment.page
        parts = page.get_url_parts(request)
        site = sites.get(parts[0]) if parts else None
        post_url = f"{parts[1]}{parts[2]}" if parts and page.live else None
        comment_url = f"{post_url}#comment-{comment.pk}" if post_url and comment.is_public else None
        result.append(Entry(comment, site, post_url, comment_url))
    return result


def _date(value):
    return value.isoformat() if value else None


def export(email, request=None, technical=False):
    """All the personal data tied to the address, as a JSON-ready dict.

    `technical` adds the IP address and user agent still kept (IP_RETENTION_DAYS): for the
    administrators answering a request whose author they identified; the self-service page
    leaves them out, as they may be someone else's who typed this address.
    """
    email = normalize_email(email)
    comments = []
    for entry in entries(email, request):
        comment = entry.comment
        subscription = getattr(comment, "subscription", None)
        item = {
            "id": comment.pk,
            "site": site_label(entry.site) or None,
            "post_title": comment.page.title,
            "post_url": entry.post_url,
            "comment_url": entry.comment_url,
            "name": comment.author_name,
            "email": comment.email,
            "website": comment.url,
            "message": comment.body,
            "status": comment.status,
            "created_at": _date(comment.created_at),
            "edited_at": _date(comment.edited_at),
            "show_gravatar": comment.use_gravatar,
            "reply_notifications": None,
        }
        if subscription is not None:
            item["reply_notifications"] = {
                "state": entry.notifications,
                "requested_at": _date(subscription.created_at),
                "confirmed_at": _date(subscription.confirmed_at),
                "stopped_at": _date(subscription.unsubscribed_at),
            }
        if technical:
            item["ip_address"] = comment.ip_address
            item["user_agent"] = comment.user_agent
        comments.append(item)
    confirmed = ConfirmedEmail.objects.filter(email=email).values_list("confirmed_at", flat=True)
    return {
        "email": email,
        "exported_at": _date(timezone.now()),
        "address_confirmed_at": _date(confirmed.first()),
        "comments": comments,
    }


# --- what the person may change ------------------------------------------------------------------


def correct(email, name, website):
    """Rectification: the name and website of every comment of the address; how many changed."""
    comments = comments_of(email)
    signals.changed(set(comments.values_list("page_id", flat=True)))
    return comments.update(author_name=name, url=website)


def stop_notifications(email, now=None):
    """Stop every reply notification of the address and revoke their links; how many stopped."""
    return (
        subscriptions_of(email)
        .filter(unsubscribed_at__isnull=True)
        .update(unsubscribed_at=now or timezone.now(), token_hash=None)
    )


@dataclass(frozen=True)
class Erasure:
    anonymized: int = 0
    deleted: int = 0
    tombstoned: int = 0  # deleted, but kept as "comment removed" because others replied

    @property
    def total(self):
        return self.anonymized + self.deleted + self.tombstoned


def erase(email, mode, now=None):
    """Anonymize (comments.lifecycle.anonymize) or delete (comments.moderation.remove: others'
    replies stay under a tombstone) every comment of the address; forget what derived from it
    (subscriptions, the fetched Gravatar, the confirmed address)."""
    if mode not in ERASURE_MODES:
        raise ValueError(f"Unknown erasure mode {mode!r}; expected one of {ERASURE_MODES}.")
    now = now or timezone.now()
    comments = comments_of(email)
    subscriptions_of(email).delete()
    if mode == ANONYMIZE:
        result = Erasure(anonymized=lifecycle.anonymize(comments, now))
    else:
        keys = set(comments.exclude(avatar_key="").values_list("avatar_key", flat=True))
        deleted, tombstoned = moderation.remove(comments, now)
        avatars.forget(keys)
        result = Erasure(deleted=deleted, tombstoned=tombstoned)
    lifecycle.forget_unused_confirmations()
    return result
