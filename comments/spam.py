"""Local anti-spam: is this comment spam, and why? No third-party service is asked.

The form already stops most robots (honeypot, signed timestamp: comments.forms). Here:
- a rate limit per client address and per site, counted in a cache shared by every worker process;
- small checks on a valid comment (links, blocklists), each giving the reason moderators read in
  Comment.spam_reason; a flagged comment is stored as spam, never shown;
- duplicates (the same form sent twice), which are dropped rather than stored again.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import conf, keys, throttle
from .models import Comment, CommentStatus


@dataclass(frozen=True)
class Verdict:
    is_spam: bool = False
    reason: str = ""
    duplicate_of: object = None  # the comment this one repeats: store nothing, redirect to it


# --- Rate limit -------------------------------------------------------------------------------


def rate_limit(request, page):
    """Seconds to wait when the client is over COMMENTS_RATE_LIMIT on the page's site, else None.

    Every submission counts (valid or not), per IP address and site (comments.throttle).
    """
    if not conf.get("RATE_LIMIT_ENABLED"):
        return None
    identity = f"{keys.site_key(page)}|{throttle.client_ip(request) or 'unknown'}"
    return throttle.hit("comment", identity, conf.get("RATE_LIMIT"))


# --- Checks on a valid comment ---------------------------------------------------------------

# Bare links as the body renders them, and "www." addresses people type without a scheme.
LINK = re.compile(r"\bhttps?://[^\s<>\"']+|(?<![\w.@/-])www\.[^\s<>\"']+", re.IGNORECASE)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def _fold(text):
    """Case-insensitive and accent-aware comparison: "Œuvre", "œuvre" and "ŒUVRE" are one word,
    "é" written as e + combining accent is "é"."""
    return unicodedata.normalize("NFKC", text).casefold()


def _terms(policy, name):
    """A blocklist: the network's settings (COMMENTS_BLOCKED_<NAME>) plus the page's policy."""
    terms = conf.get(f"BLOCKED_{name.upper()}")
    if isinstance(terms, str):
        terms = terms.splitlines()
    terms = [*terms, *getattr(policy, f"blocked_{name}", ())]
    return list(dict.fromkeys(term.strip() for term in terms if term and term.strip()))


def _domain(text):
    """A host or blocklist entry as one comparable form: lowercase, no scheme, path, "@", "*."
    nor trailing dot, internationalized names in their ASCII (punycode) form."""
    text = SCHEME.sub("", _fold(text.strip())).lstrip("@").removeprefix("*.")
    text = re.match(r"[\w.-]*", text).group().strip(".")  # "spam.example/x)," -> spam.example
    try:
        return text.encode("idna").decode("ascii")
    except UnicodeError:
        return text


def _on_domain(host, domain):
    return bool(domain) and (host == domain or host.endswith(f".{domain}"))


def _host(link):
    try:
        host = urlsplit(link if SCHEME.match(link.lower()) else f"http://{link}").hostname
    except ValueError:
        return ""
    return _domain(host or "")


def _blocked_domain(host, policy):
    if not host:
        return None
    return next((d for d in _terms(policy, "domains") if _on_domain(host, _domain(d))), None)


def _quoted(term):
    return f"“{term[:60]}”"


def too_many_links(page, data, policy):
    count = len(LINK.findall(data.get("body", "")))
    limit = conf.get("MAX_LINKS")
    if count > limit:
        return gettext("Too many links: %(count)d (at most %(limit)d).") % {
            "count": count,
            "limit": limit,
        }
    return None


def blocked_word(page, data, policy):
    text = _fold(f"{data.get('name', '')}\n{data.get('body', '')}")
    for term in _terms(policy, "words"):
        words = [re.escape(word) for word in _fold(term).split()]
        if re.search(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", text):
            return gettext("Blocked word: %(term)s.") % {"term": _quoted(term)}
    return None


def blocked_link_domain(page, data, policy):
    for link in LINK.findall(data.get("body", "")):
        domain = _blocked_domain(_host(link), policy)
        if domain:
            return gettext("Link to a blocked domain: %(term)s.") % {"term": _quoted(domain)}
    return None


def blocked_website_domain(page, data, policy):
    domain = _blocked_domain(_host(data.get("url") or ""), policy) if data.get("url") else None
    if domain:
        return gettext("Website on a blocked domain: %(term)s.") % {"term": _quoted(domain)}
    return None


def blocked_email_domain(page, data, policy):
    host = _domain(data.get("email", "").rpartition("@")[2])
    for term in _terms(policy, "email_domains"):
        if _on_domain(host, _domain(term)):
            return gettext("E-mail on a blocked domain: %(term)s.") % {"term": _quoted(term)}
    return None


# Each check takes (page, cleaned data, policy) and returns the reason it flags the comment, or
# None. The first reason found is kept.
CHECKS = (
    too_many_links,
    blocked_word,
    blocked_link_domain,
    blocked_website_domain,
    blocked_email_domain,
)


def wait_for_same_submissions(page, data):
    """Inside the posting transaction: wait until no other transaction is storing a comment by
    the same e-mail on the same page (PostgreSQL's transaction-scoped advisory lock, released at
    commit), so that find_duplicate() sees it. SQLite, for a first run, has no such lock: two
    identical forms arriving at the same instant may both be stored there."""
    if connection.vendor != "postgresql":
        return
    identity = f"{page.pk}:{data.get('email', '')}".encode()
    key = int.from_bytes(hashlib.blake2b(identity, digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def find_duplicate(page, data, first=True):
    """The comment this submission repeats: same page, e-mail, message and parent, sent within
    COMMENTS_DUPLICATE_MINUTES (a double click, a resent form). The parent counts so that the
    same short "Thank you!" to two people is two comments. first=False: all of them, newest
    first."""
    since = timezone.now() - timedelta(minutes=conf.get("DUPLICATE_MINUTES"))
    duplicates = Comment.objects.filter(
        page_id=page.pk,
        # Every status: it lets the index on (page, status, created_at) read only the page's
        # recent comments, where PostgreSQL otherwise reads every comment of the e-mail.
        status__in=CommentStatus.values,
        email=data.get("email", ""),
        body=data.get("body", ""),
        parent=data.get("parent"),
        created_at__gte=since,
        removed_at__isnull=True,
    ).order_by("-created_at", "-pk")
    return duplicates.first() if first else duplicates


def check(page, data, policy, sent_here=None, edited=None):
    """The verdict on a valid form's cleaned data: the one entry point of the checks, for a new
    comment and for an `edited` one (comments.editing: the checks run on its new values; an edit
    is no resent form, so it is never a duplicate). Reasons are stored for moderators, in the
    installation's language.

    `sent_here(comment)` says whether the client posting now sent that earlier comment: an
    identical comment from another client is no duplicate (it is checked and stored like any
    other), so that the answer cannot tell whether a guessed address wrote a comment."""
    if edited is not None:
        duplicate = None
    elif sent_here is None:
        duplicate = find_duplicate(page, data)
    else:  # the newest identical comment this client sent (others' may be newer)
        candidates = find_duplicate(page, data, first=False)[:5]
        duplicate = next((comment for comment in candidates if sent_here(comment)), None)
    if duplicate is not None:
        return Verdict(duplicate_of=duplicate)
    with translation.override(settings.LANGUAGE_CODE):
        for spam_check in CHECKS:
            reason = spam_check(page, data, policy)
            if reason:
                return Verdict(is_spam=True, reason=reason[:200])
    return Verdict()
