"""Moderation rules: which status a new comment gets (the page's policy), who moderates which
comments (COMMENTS_MODERATION_SCOPE), and what approving, rejecting or deleting does. The admin
views, bulk actions and commands call these functions."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from . import conf, keys, notifications, signals, trust
from .models import Comment, CommentStatus, Subscription


def is_known_commenter(page, email, request):
    """The browser sending the comment vouches for the e-mail (comments.trust: its owner
    confirmed it here, or a comment it posted with it on the page's site was approved), and the
    e-mail already has an approved comment on the page's site (its site key, comments.keys).
    Knowing an address is not enough; without the browser's proof nothing is looked up, so the
    answer says nothing of the address."""
    site_key = keys.site_key(page)
    on_site = Comment.objects.filter(site_key=site_key)
    return trust.vouches_for(request, email, on_site) and (
        on_site.filter(email=email, status=CommentStatus.APPROVED).exists()
    )


def initial_status(page, data, policy, request=None):
    """all: held; first: held unless the commenter is known on the site from this browser
    (is_known_commenter; no request: held); none: approved at once. An unknown mode holds the
    comment (fail closed)."""
    if policy.moderation == "none":
        return CommentStatus.APPROVED
    if policy.moderation == "first" and is_known_commenter(page, data["email"], request):
        return CommentStatus.APPROVED
    return CommentStatus.PENDING


# --- Moderators: what they may see and do ----------------------------------------------------


def moderation_scope(user):
    """The pages whose comments `user` moderates (a queryset), or None for every page.

    comments/ knows nothing of the project's sites: COMMENTS_MODERATION_SCOPE names a callable
    user -> pages or None. Without it, superusers alone moderate. Cached on the user object,
    which lives for one request.
    """
    if not (user.is_authenticated and user.is_active):
        return Page.objects.none()
    cached = getattr(user, "_comments_moderation_scope", False)
    if cached is not False:
        return cached
    scope_for = conf.get_callable("MODERATION_SCOPE")
    if scope_for is None:
        scope = None if user.is_superuser else Page.objects.none()
    else:
        scope = scope_for(user)
    user._comments_moderation_scope = scope
    return scope


def moderated_comments(user, comments=None):
    """Narrow `comments` (all comments by default) to those `user` moderates."""
    comments = Comment.objects.all() if comments is None else comments
    scope = moderation_scope(user)
    return comments if scope is None else comments.filter(page__in=scope)


def may_moderate(user):
    """Whether the user moderates the comments of at least one page (the menu, the list).

    The scope callable answers `Page.objects.none()` to a user who moderates nothing, so this
    costs no query of its own (it runs on every admin page, for the menu).
    """
    scope = moderation_scope(user)
    return scope is None or not scope.query.is_empty()


def pending_count(user):
    """Comments awaiting `user`'s moderation: the badge of the admin menu."""
    return moderated_comments(user).filter(status=CommentStatus.PENDING).count()


# --- Moderation actions ----------------------------------------------------------------------


def set_status(comments, status):
    """Give `comments` (a queryset) the status; return those that changed, oldest first.

    Each comment that becomes approved is announced once (notifications.comment_approved:
    reply notifications), inside the same transaction.
    """
    if status not in CommentStatus.values:
        raise ValueError(f"Unknown comment status {status!r}.")
    with transaction.atomic():
        changed = list(
            comments.exclude(status=status)
            .select_for_update(of=("self",))
            .order_by("created_at", "pk")
        )
        if not changed:
            return []
        Comment.objects.filter(pk__in=[comment.pk for comment in changed]).update(status=status)
        for comment in changed:
            comment.status = status
        if status == CommentStatus.APPROVED:
            for comment in changed:
                notifications.comment_approved(comment)
    signals.changed(comment.page_id for comment in changed)
    return changed


def approve(comments):
    return set_status(comments, CommentStatus.APPROVED)


def mark_spam(comments):
    return set_status(comments, CommentStatus.SPAM)


def reject(comments):
    return set_status(comments, CommentStatus.REJECTED)


# What a tombstone keeps: nothing personal, nothing written.
TOMBSTONE_VALUES = {
    "body": "",
    "author_name": "",
    "email": "",
    "url": "",
    "ip_address": None,
    "user_agent": "",
    "avatar_key": "",
    "use_gravatar": False,
}


def remove(comments, now=None):
    """Delete `comments` (a queryset); return (deleted, tombstoned) counts.

    A comment with replies (of any status: deleting it would delete them) becomes a tombstone,
    shown as "comment removed" so that others' replies still read: its text and personal values
    are cleared and its reply subscription deleted. A tombstone left without replies is deleted
    too, up the thread.
    """
    now = now or timezone.now()
    with transaction.atomic():
        targets = list(
            comments.select_for_update(of=("self",))
            .only("pk", "parent_id", "page_id", "created_at")
            .order_by("-created_at", "-pk")
        )
        remaining = defaultdict(set)  # comment id -> ids of its replies that stay
        for pk, parent_id in Comment.objects.filter(
            parent_id__in=[target.pk for target in targets]
        ).values_list("pk", "parent_id"):
            remaining[parent_id].add(pk)
        deleted, tombstoned = [], []
        for target in targets:  # newest first: replies are decided before their parent
            if remaining[target.pk]:
                tombstoned.append(target.pk)
            else:
                deleted.append(target.pk)
                remaining[target.parent_id].discard(target.pk)

        Comment.objects.filter(pk__in=tombstoned, removed_at__isnull=True).update(
            removed_at=now, **TOMBSTONE_VALUES
        )
        Subscription.objects.filter(comment_id__in=tombstoned).delete()
        Comment.objects.filter(pk__in=deleted).delete()

        gone = set(deleted)
        parents = {t.parent_id for t in targets if t.pk in gone and t.parent_id} - gone
        while parents:
            empty = list(
                Comment.objects.filter(
                    pk__in=parents, removed_at__isnull=False, replies__isnull=True
                ).values_list("pk", "parent_id")
            )
            Comment.objects.filter(pk__in=[pk for pk, _ in empty]).delete()
            parents = {parent_id for _, parent_id in empty if parent_id}
    signals.changed(target.page_id for target in targets)
    return len(deleted), len(tombstoned)
