"""What happens to comments over time: the unpublication clock, anonymization and retention.

One place that the daily `anonymize_comments` command, the self-service erasure and the admin's
personal-data tools all call. Every step is set-based: a bounded number of statements per batch of
comments, never one query per comment, so that a million comments is routine.
"""

import calendar
import datetime
import logging
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Exists, Expression, F, OuterRef, TextField, When
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.models import Page

from . import avatars, conf, identification, moderation, selfservice, signals
from .counts import counts_per_site, site_label
from .models import (
    Comment,
    CommentStatus,
    ConfirmedEmail,
    Subscription,
    UnpublishedPage,
)

logger = logging.getLogger(__name__)

# E-mail addresses and phone numbers written inside a message (French and international forms).
EMAIL_IN_TEXT = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
PHONE_IN_TEXT = r"(\+|00)?[0-9][0-9 .()-]{7,}[0-9]"
_EMAIL = re.compile(EMAIL_IN_TEXT)
_PHONE = re.compile(PHONE_IN_TEXT)
# Database-side pre-filter (both PostgreSQL and SQLite): only these bodies are read back.
_BODY_FILTER = r"@|[0-9][0-9 .()-]{7,}[0-9]"
# Redacted bodies written per statement: each row's CASE looks its id up among them in turn, so
# the cost grows with this number times the rows written (1,000 made the writes seconds longer).
_BODIES_PER_STATEMENT = 250


# --- the clock ---------------------------------------------------------------------------------


def page_unpublished(page, when=None):
    """Start the page's clock, unless it is already running (an earlier unpublication counts)."""
    UnpublishedPage.objects.get_or_create(
        page_id=page.pk, defaults={"unpublished_since": when or timezone.now()}
    )


def page_published(page):
    """Stop the page's clock: a later unpublication starts a fresh one."""
    UnpublishedPage.objects.filter(page_id=page.pk).delete()


def reconcile_clock(now):
    """Make the clock agree with the tree, whatever changed pages without signals: live pages lose
    their row; commented pages that are not live and have none start one now. Two statements."""
    stopped, _ = UnpublishedPage.objects.filter(page__live=True).delete()
    missing = (
        Page.objects.filter(live=False)
        .filter(Exists(Comment.objects.filter(page_id=OuterRef("pk"))))
        .exclude(Exists(UnpublishedPage.objects.filter(page_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    started = UnpublishedPage.objects.bulk_create(
        [UnpublishedPage(page_id=pk, unpublished_since=now) for pk in missing],
        ignore_conflicts=True,
    )
    return stopped, len(started)


def months_before(moment, months):
    """`moment` minus whole calendar months (31 May minus 3 months is 28 or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def unpublished_before(now, months):
    """The latest unpublication moment whose clock has run `months` calendar months at `now`, in
    the local calendar. Adding months clamps to the month's end (31 January + 3 months = 30
    April), so on the last day of a month every later day of the earlier month is due too."""
    local = timezone.localtime(now)
    limit = months_before(local, months)
    if local.day == calendar.monthrange(local.year, local.month)[1]:
        limit = limit.replace(day=calendar.monthrange(limit.year, limit.month)[1])
    return limit


def anonymization_due(now):
    """Comments not yet anonymized whose page has been unpublished long enough."""
    limit = unpublished_before(now, conf.get("ANONYMIZE_AFTER_MONTHS"))
    pages = UnpublishedPage.objects.filter(unpublished_since__lte=limit).values("page_id")
    return Comment.objects.filter(page_id__in=pages, anonymized_at__isnull=True)


# --- anonymization -----------------------------------------------------------------------------


def anonymous_label(language_code):
    with translation.override(language_code):
        return gettext("Anonymous")


def redact(text):
    """The text with e-mail addresses and phone numbers replaced by a neutral mark."""
    with_emails = _EMAIL.sub("[…]", text)
    return _PHONE.sub("[…]", with_emails)


def anonymize(comments, now=None, batch_size=None):
    """Anonymize the comments of a queryset, in batches; return how many were changed.

    Clears every personal value and what derives from it: the name becomes "Anonymous" in the
    page's language; e-mail, website, IP address, user agent and avatar key are emptied (the
    avatar becomes the generic one); e-mails and phone numbers inside the message are redacted;
    notification subscriptions (and so their links) are deleted; a fetched Gravatar is evicted
    from the cache. Others' replies are untouched. Irreversible and idempotent.
    """
    now = now or timezone.now()
    batch_size = batch_size or conf.get("LIFECYCLE_BATCH_SIZE")
    # Keyset pagination (pk > last): each batch starts where the previous one ended instead of
    # skipping every comment already anonymized.
    pending = comments.filter(anonymized_at__isnull=True).order_by("pk")
    cleared = {
        "email": "",
        "url": "",
        "ip_address": None,
        "user_agent": "",
        "avatar_key": "",
        "use_gravatar": False,
        "anonymized_at": now,
    }
    # Only the bodies that may hold an address or a number come back, in the same query.
    candidate_body = Case(
        When(body__regex=_BODY_FILTER, then=F("body")), default=None, output_field=TextField()
    )
    changed, last_pk = 0, 0
    while True:
        rows = list(
            pending.filter(pk__gt=last_pk)
            .annotate(candidate_body=candidate_body)
            .values_list(
                "pk", "avatar_key", "page__locale__language_code", "page_id", "candidate_body"
            )[:batch_size]
        )
        if not rows:
            break
        last_pk = rows[-1][0]
        ids = [row[0] for row in rows]
        bodies = _redacted_bodies(rows)
        # {language: (ids keeping their body, {id: redacted body})}: each row is written once.
        by_language = {}
        for pk, _key, language, _page_id, _body in rows:
            kept, redacted = by_language.setdefault(language, ([], {}))
            if pk in bodies:
                redacted[pk] = bodies[pk]
            else:
                kept.append(pk)
        with transaction.atomic():
            Subscription.objects.filter(comment_id__in=ids).delete()
            for language, (kept, redacted) in sorted(by_language.items()):
                anonymized = {"author_name": anonymous_label(language), **cleared}
                if kept:
                    Comment.objects.filter(pk__in=kept).update(**anonymized)
                pairs = list(redacted.items())
                for start in range(0, len(pairs), _BODIES_PER_STATEMENT):
                    chunk = dict(pairs[start : start + _BODIES_PER_STATEMENT])
                    Comment.objects.filter(pk__in=list(chunk)).update(
                        body=_ByPk(chunk, TextField()), **anonymized
                    )
        avatars.forget([row[1] for row in rows if row[1]])
        signals.changed({row[3] for row in rows})
        changed += len(ids)
    if changed:
        forget_unused_confirmations()
        logger.info("Anonymized %d comments.", changed)  # counts only: no personal data in logs
    return changed


def _redacted_bodies(rows):
    """{id: redacted body} for the batch's bodies that held an e-mail address or a phone number
    (the database sent back only those that may)."""
    bodies = {}
    for pk, *_rest, body in rows:
        if body is not None:
            redacted = redact(body)
            if redacted != body:
                bodies[pk] = redacted
    return bodies


class _ByPk(Expression):
    """`CASE pk WHEN ... THEN ... END`: one value per row of an update, compiled in one pass
    (Case(When(pk=...)) builds and resolves a filter per row: seconds per batch of thousands)."""

    def __init__(self, values, output_field):
        super().__init__(output_field=output_field)
        self.values = values
        self.pk = F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk_sql, params = compiler.compile(self.pk)
        whens = " ".join(["WHEN %s THEN %s"] * len(self.values))
        params = [*params, *(item for pair in self.values.items() for item in pair)]
        return f"CASE {pk_sql} {whens} END", params


def forget_unused_confirmations():
    """A confirmed address that no comment uses any more is personal data without purpose."""
    in_use = Comment.objects.exclude(email="").values("email")
    ConfirmedEmail.objects.exclude(email__in=in_use).delete()


# --- retention ----------------------------------------------------------------------------------


@dataclass
class RetentionReport:
    ip_addresses_erased: int = 0
    spam_deleted: int = 0
    spam_tombstoned: int = 0
    subscriptions_expired: int = 0
    identification_records_deleted: int = 0
    manage_links_expired: int = 0


def retention_due(now):
    """What the retention rules would change now, as querysets."""
    ip_limit = now - datetime.timedelta(days=conf.get("IP_RETENTION_DAYS"))
    spam_limit = now - datetime.timedelta(days=conf.get("SPAM_RETENTION_DAYS"))
    subscription_limit = now - datetime.timedelta(days=conf.get("UNCONFIRMED_SUBSCRIPTION_DAYS"))
    return {
        "ip": Comment.objects.filter(created_at__lt=ip_limit).exclude(
            ip_address__isnull=True, user_agent=""
        ),
        "spam": Comment.objects.filter(
            created_at__lt=spam_limit,
            status__in=[CommentStatus.SPAM, CommentStatus.REJECTED],
            removed_at__isnull=True,
        ),
        "subscriptions": Subscription.objects.filter(
            confirmed_at__isnull=True, created_at__lt=subscription_limit
        ),
        "identification": identification.expired(now),
        "manage_links": selfservice.expired_links(now),
    }


def apply_retention(now=None, batch_size=None):
    """Erase IP addresses and user agents past IP_RETENTION_DAYS, delete spam and rejected
    comments past SPAM_RETENTION_DAYS as moderators delete comments (comments.moderation.remove:
    a tombstone stays where other replies stay, and goes with the last of them), delete
    subscriptions left unconfirmed past UNCONFIRMED_SUBSCRIPTION_DAYS and identification records
    past IDENTIFICATION_RETENTION_DAYS (all of them when it is off) and the records of "manage my
    comments" links that no longer work."""
    now = now or timezone.now()
    batch_size = batch_size or conf.get("LIFECYCLE_BATCH_SIZE")
    due = retention_due(now)
    report = RetentionReport()
    report.ip_addresses_erased = due["ip"].update(ip_address=None, user_agent="")
    spam = due["spam"].order_by("pk")
    while True:  # each batch is deleted or tombstoned, and so leaves `spam`
        ids = list(spam.values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        deleted, tombstoned = moderation.remove(Comment.objects.filter(pk__in=ids), now)
        report.spam_deleted += deleted
        report.spam_tombstoned += tombstoned
    report.subscriptions_expired, _ = due["subscriptions"].delete()
    report.identification_records_deleted, _ = due["identification"].delete()
    report.manage_links_expired, _ = due["manage_links"].delete()
    return report


# --- reporting per site -------------------------------------------------------------------------


def counts_by_site(comments):
    """{site name: number of comments} for a queryset (one aggregate query, two for the sites)."""
    return {
        site_label(site) or gettext("Pages outside any site"): total
        for site, total in counts_per_site(comments)
    }
