"""The comments app's settings, each with its default: the project overrides them in settings.

Read through the functions below (not at import time) so that tests can change them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# Base URL of Gravatar; the server (never the visitor's browser) fetches avatars from it, so tests
# can point it at a local stub.
GRAVATAR_URL = "https://www.gravatar.com/avatar/"
# Seconds the server waits for Gravatar before falling back to the local avatar: they bound the
# whole fetch (connection, headers and body), however slowly Gravatar answers.
GRAVATAR_TIMEOUT = 2.0
# Seconds a fetched Gravatar (or the fact that there is none) is kept in the cache.
GRAVATAR_CACHE_SECONDS = 24 * 60 * 60
# Secret keying the avatar HMAC of an e-mail; "" derives one from SECRET_KEY. Changing it changes
# every avatar key (and so every generated avatar), nothing else.
AVATAR_SECRET = ""
# Dotted path to a callable page -> str naming the site the page's comments belong to, stored on
# each comment (Comment.site_key): the rate limit, the known-commenter rule, the moderators'
# digests and the counts go by it, and a commenter's avatar key is the same on all the pages of
# one site and differs between sites, so that nobody can tell from two sites' pages that one
# person wrote on both. A "site:<Wagtail Site id>" answer lets the digest and the counts name the
# Site. None: "site:<id>" of the Wagtail Site serving the page, else "tree:<its top-level page's
# path>" (comments.keys.site_key).
SITE_KEY = None
# Dotted path to a callable () -> iterable of dicts with the keys of comments.inventory.Entry:
# the personal data the project keeps beside the comments' (its own counters, say), listed in the
# same inventory, the README's table and every generated privacy policy. None: nothing more.
INVENTORY_EXTRA = None
# At most this many comments per period from one IP address on one site
# ("<count>/<number><s|m|h|d>", e.g. "5/10m").
RATE_LIMIT = "5/10m"
# False switches the rate limit off (benchmarks only).
RATE_LIMIT_ENABLED = True
# The cache (an alias of CACHES) holding fetched avatars; it must be shared by every worker process
# (database or Redis, never per-process memory in production).
CACHE = "default"
# The cache holding the rate-limit counters (comments.throttle), shared the same way. Give it an
# alias that cached pages do not fill, so that they never push a counter out and lift a limit.
THROTTLE_CACHE = "default"
# A form sent back faster than this (in seconds) after it was displayed is taken for a robot.
MIN_SUBMIT_SECONDS = 3
# A form older than this (in seconds) is refused: its signed timestamp has expired.
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
# Longest message accepted, in characters.
MAX_BODY_LENGTH = 5000
# A comment with more links than this (in its message) is held as spam.
MAX_LINKS = 2
# The same message on the same page from the same e-mail within this many minutes is a duplicate:
# dropped, not stored twice.
DUPLICATE_MINUTES = 10
# Words, domains and e-mail domains refused everywhere, in addition to each page's policy lists.
BLOCKED_WORDS = ()
BLOCKED_DOMAINS = ()
BLOCKED_EMAIL_DOMAINS = ()
# Dotted path to a callable page -> policy (an object with enabled, moderation, close_after_days,
# privacy_url and optionally blocked_words, blocked_domains, blocked_email_domains). None: comments
# open everywhere, all held for moderation, no privacy page.
POLICY = None
# Dotted path to a callable page -> queryset of users who moderate its comments (they receive the
# digest of pending comments). None: nobody is e-mailed.
MODERATORS = None
# Dotted path to a callable user -> queryset of pages whose comments the user may moderate, or None
# for every page. None (the setting): superusers only see comments.
MODERATION_SCOPE = None
# Moderators receive at most one e-mail about new pending comments per this many minutes.
DIGEST_MINUTES = 30
# Confirmation e-mails (double opt-in) sent to one address: at most this many per period.
CONFIRMATION_RATE_LIMIT = "3/1d"
# Minutes during which a commenter may edit or delete their comment from the same browser.
EDIT_MINUTES = 15
# Sender of the comments' e-mails; "" uses DEFAULT_FROM_EMAIL.
FROM_EMAIL = ""
# An e-mail the mail server fails to take for a passing reason (unreachable, timed out, a 4xx
# answer) is tried this many times in all, the first attempt included (1: never retried); a 5xx
# refusal is never retried. Needs a task backend that can run a task later (the database one and
# its worker): see comments/mail.py.
MAIL_RETRIES = 10
# Seconds before the second attempt; each further wait is twice the previous one, at most
# MAIL_RETRY_MAX_DELAY. With the defaults, 10 attempts span about three hours of outage
# (30 s, 1, 2, 4, 8, 16, 32 min, then 1 h twice).
MAIL_RETRY_DELAY = 30
MAIL_RETRY_MAX_DELAY = 60 * 60
# A page's comments are anonymized once it has been continuously unpublished for this many
# calendar months.
ANONYMIZE_AFTER_MONTHS = 3
# IP addresses and user agents are erased from comments older than this many days: long enough to
# trace a spam wave or answer an abuse report, short enough not to keep a record of visitors.
IP_RETENTION_DAYS = 30
# Legal retention of identification data, 0 = off: when on, the IP address, port (when known) and
# time of each comment are also kept this many days (365 for French hosts: décret 2021-1362, LCEN
# art. 6) in a separate record (IdentificationRecord) that moderators never see and only network
# administrators export (a logged export); the daily job deletes older records.
IDENTIFICATION_RETENTION_DAYS = 0
# The request header (as in request.META, e.g. "HTTP_X_CLIENT_PORT") in which the trusted reverse
# proxy in front passes the visitor's source port, overwriting any the visitor sent; "": the
# connection's REMOTE_PORT when no proxy forwarded the request, else no port.
CLIENT_PORT_HEADER = ""
# Comments marked spam or rejected are deleted this many days after they were posted.
SPAM_RETENTION_DAYS = 30
# Subscriptions never confirmed are deleted this many days after they were made.
UNCONFIRMED_SUBSCRIPTION_DAYS = 7
# Rows changed per statement by the daily lifecycle command.
LIFECYCLE_BATCH_SIZE = 10000


def get(name):
    """The project's value of COMMENTS_<name>, or the default above."""
    return getattr(settings, f"COMMENTS_{name}", globals()[name])


def get_callable(name):
    """The function named by COMMENTS_<name> (a dotted path), or None when it is not set."""
    path = get(name)
    return import_string(path) if path else None


def parse_rate(rate):
    """ "5/10m" -> (5, 600): a count and a period in seconds. ValueError names a malformed rate."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        count, period = rate.split("/")
        number, unit = period[:-1] or "1", period[-1]
        result = int(count), int(number) * units[unit]
    except (ValueError, KeyError, AttributeError, IndexError) as error:
        raise ValueError(
            f"{rate!r} is not a rate such as '5/10m' (count/period, period in s, m, h or d)."
        ) from error
    if result[0] < 1 or result[1] < 1:
        raise ValueError(f"{rate!r}: the count and the period must be positive.")
    return result


@dataclass(frozen=True)
class Policy:
    """What the project decides for one page's comments."""

    enabled: bool = True
    moderation: str = "all"  # "all", "first" or "none"
    close_after_days: int | None = None
    privacy_url: str = ""


def policy_for_page(page):
    """The project's policy for the page (any object with Policy's attributes), or Policy()."""
    path = get("POLICY")
    if not path:
        return Policy()
    return import_string(path)(page)


def comments_open(page, policy, now):
    """Whether new comments are accepted: enabled, and not closed by age of the page."""
    if not policy.enabled:
        return False
    days = policy.close_after_days
    published = getattr(page, "first_published_at", None)
    if days is not None and published is not None:
        return (now - published).days < days
    return True
