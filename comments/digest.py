"""E-mails telling a site's moderators that comments await them: at most one per
COMMENTS_DIGEST_MINUTES for each site (the comments' site key, comments.keys: a site in several
languages gets one digest), and only to the moderators the project names (COMMENTS_MODERATORS),
never to settings.MANAGERS.

A held comment enqueues a task (comment_held) that mails at once if the window allows; what
arrives during the window waits for the cron command send_comment_digests, which mails every
due digest. Two workers never both mail: the window is claimed with a conditional update of the
site's ModerationDigest row (compare-and-swap on last_sent_at).

When the mail server fails, the task tries again later (comments.mail) and each moderator still
gets the digest once: if nothing went, the window is given back and the next attempt (or cron run)
sends the whole digest; if some moderators got it, the window stays taken and the next attempt
mails only the others, identified by an opaque key of their own purpose (recipient_key), so that
the task queue stores no address nor a value found elsewhere (an avatar address).
"""

from contextlib import suppress
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.text import Truncator

from wagtail.models import Site

from django_tasks import task

from . import conf, keys
from .avatars import normalize_email
from .forms import single_line
from .mail import MailNotSent, Undelivered, retry_later, send_all
from .models import Comment, CommentStatus, ModerationDigest

RECIPIENT_SALT = "comments.digest.recipient"
EXCERPTS = 5
EXCERPT_CHARS = 160


def site_key(page):
    """The key of the page's digest: its comments' site key."""
    return keys.site_key(page)


def recipient_key(address):
    """A moderator's address as the retry task stores it: an HMAC keyed for this purpose only."""
    return salted_hmac(RECIPIENT_SALT, normalize_email(address), algorithm="sha256").hexdigest()


def comment_held(comment):
    """Call when a comment is stored as pending: its moderators' digest is sent once the
    transaction commits, if the window allows (else the cron command sends it later)."""
    if comment.status != CommentStatus.PENDING:
        return
    from .notifications import enqueue_on_commit

    enqueue_on_commit(send_comment_digest, comment.site_key or site_key(comment.page))


def sites_with_pending_comments():
    """The site keys of the comments awaiting moderation."""
    return (
        Comment.objects.filter(status=CommentStatus.PENDING)
        .order_by()
        .values_list("site_key", flat=True)
        .distinct()
    )


def send_due_digests(now=None):
    """Send every digest whose window has passed and that has something new: the cron job.
    Returns the number of digests sent. One the mail server fails to take is handed to the retry
    task (when the task backend can run it later) and is anyway due again at the next run."""
    sent = 0
    for path in sites_with_pending_comments():
        try:
            sent += bool(send_digest(path, now=now))
        except Undelivered as failure:
            with suppress(MailNotSent):  # logged; the next run tries again
                retry_later(send_comment_digest, 1, failure.error, path, rest=failure.rest)
    return sent


def send_digest(path, now=None, rest=None):
    """Mail the moderators of the site `path` (a site key) about its new pending comments, unless a
    digest went out less than COMMENTS_DIGEST_MINUTES ago. Returns the number of e-mails.

    Undelivered when the mail server fails: nothing went and the window is free again (`rest` is
    None), or some moderators got it and `rest` is what send_digest(path, rest=rest) must still
    send: the same comments to the others."""
    if rest is not None:
        return send_rest(path, rest)
    now = now or timezone.now()
    window = timedelta(minutes=conf.get("DIGEST_MINUTES"))
    state = ModerationDigest.objects.filter(site_key=path).first()
    previous = state.last_sent_at if state else None
    if previous is not None and previous > now - window:
        return 0
    pending = Comment.objects.filter(status=CommentStatus.PENDING, site_key=path)
    new = pending.filter(created_at__gt=previous) if previous else pending
    if not new.exists():
        return 0
    home = keys.home_page(path)
    recipients = moderator_emails(home) if home else []
    if not recipients or not claim(path, previous, now):
        return 0
    try:
        return mail(home, recipients, pending, new)
    except Undelivered as failure:
        if failure.sent:  # the window was used: the others get the same digest later
            told = {"since": previous and previous.isoformat(), "until": now.isoformat()}
            raise left_out(failure, recipients, told) from None
        release(path, previous, now)  # the next attempt sends it all
        raise
    except Exception:
        release(path, previous, now)
        raise


def send_rest(path, rest):
    """Finish a digest that reached only some moderators: the comments of its window to those
    of `rest["to"]` (keys) who still moderate the site, if any of the comments still waits."""
    home = keys.home_page(path)
    if home is None:
        return 0
    pending = Comment.objects.filter(status=CommentStatus.PENDING, site_key=path)
    new = pending.filter(created_at__lte=datetime.fromisoformat(rest["until"]))
    if rest["since"]:
        new = new.filter(created_at__gt=datetime.fromisoformat(rest["since"]))
    told = set(rest["to"])
    recipients = [address for address in moderator_emails(home) if recipient_key(address) in told]
    if not recipients or not new.exists():
        return 0
    try:
        return mail(home, recipients, pending, new)
    except Undelivered as failure:
        raise left_out(failure, recipients, rest) from None


def left_out(failure, recipients, window):
    """`failure` again, with the `rest` that sends the digest to whom it did not reach."""
    missed = [recipient_key(address) for address in recipients[failure.sent :]]
    rest = {"since": window["since"], "until": window["until"], "to": missed}
    return Undelivered(failure.error, failure.sent, rest)


def moderator_emails(home):
    moderators_for = conf.get_callable("MODERATORS")
    if moderators_for is None:
        return []
    return sorted({user.email for user in moderators_for(home) if user.email})


def claim(path, previous, now):
    """Take the window for this digest: only one caller succeeds for a given `previous`."""
    if previous is None:
        try:
            with transaction.atomic():
                ModerationDigest.objects.create(site_key=path, last_sent_at=now)
        except IntegrityError:  # another worker created it first
            return False
        return True
    claimed = ModerationDigest.objects.filter(site_key=path, last_sent_at=previous).update(
        last_sent_at=now
    )
    return claimed == 1


def release(path, previous, now):
    taken = ModerationDigest.objects.filter(site_key=path, last_sent_at=now)
    if previous is None:
        taken.delete()
    else:
        taken.update(last_sent_at=previous)


def site_of(home):
    """The Wagtail Site whose root page is `home` (a digest's home: comments.keys.home_page)."""
    return Site.objects.filter(root_page=home).order_by("-is_default_site", "pk").first()


def admin_list_url(site):
    query = {"status": CommentStatus.PENDING}
    if site is not None:
        query["site"] = site.pk
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('comments_moderation:index')}?{urlencode(query)}"


def mail(home, recipients, pending, new):
    """One e-mail per moderator (their addresses are not shown to each other), in the
    language of the tree's home page."""
    site = site_of(home)
    latest = list(new.select_related("page").order_by("-created_at", "-pk")[:EXCERPTS])
    new_count = new.count()
    context = {
        "site_name": (site.site_name if site else "") or home.title,
        "total": pending.count(),
        "new_count": new_count,
        "more": max(0, new_count - len(latest)),
        "comments": [
            {
                # One line each, whatever was stored: the digest is plain text.
                "author": single_line(comment.author_name),
                "title": single_line(comment.page.title),
                "created_at": comment.created_at,
                "excerpt": Truncator(" ".join(comment.body.split())).chars(EXCERPT_CHARS),
            }
            for comment in latest
        ],
        "moderation_url": admin_list_url(site),
        "minutes": conf.get("DIGEST_MINUTES"),
    }
    with translation.override(home.locale.language_code):
        subject = " ".join(render_to_string("comments/email/digest_subject.txt", context).split())
        body = render_to_string("comments/email/digest_body.txt", context)
    sender = conf.get("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL
    messages = [EmailMessage(subject, body, sender, [address]) for address in recipients]
    return send_all(messages, get_connection)  # in the order of `recipients`


@task()
def send_comment_digest(key, attempt=1, rest=None):
    """Mail the digest of the site `key` (a site key) if its window allows; returns the number
    of e-mails sent (0: not due, nothing new or nobody to tell).

    When the mail server fails, the task enqueues itself for later (comments.mail) with the next
    `attempt`: the whole digest again when nothing went, else `rest`, what the moderators left
    out still have to receive (send_digest)."""
    try:
        return send_digest(key, rest=rest)
    except Undelivered as failure:
        retry_later(send_comment_digest, attempt, failure.error, key, rest=failure.rest)
        return failure.sent
