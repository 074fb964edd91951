"""Avatars that leak nothing: an opaque key per e-mail, a local SVG, a Gravatar fetched by the
server.

The public page only ever shows /comments/avatar/<key>/, where the key is a keyed HMAC of the
e-mail (useless without the installation's secret). The visitor's browser never contacts Gravatar:
when the commenter asked for it, this server fetches the image (the MD5 Gravatar needs goes from us
to Gravatar only), caches it and serves it; otherwise, or when Gravatar has nothing or fails to
answer, the avatar is drawn locally from the key.
"""

import hashlib
import http.client
import logging
import re
import socket
import ssl
import threading
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.cache import caches

from . import conf

# Made in comments.keys (which the models use); imported from here too.
from .keys import avatar_key, normalize_email, site_key  # noqa: F401
from .models import Comment, CommentStatus, ConfirmedEmail

logger = logging.getLogger(__name__)

# The key of the generic avatar: comments without an e-mail (anonymized) or removed.
ANONYMOUS = "anonymous"
_KEY = re.compile(r"[0-9a-f]{64}")
# Only these are served as they come; anything else from Gravatar falls back to the local avatar.
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# An 80-pixel avatar weighs a few kilobytes; a bigger answer is not an avatar.
MAX_IMAGE_BYTES = 256 * 1024
# "No Gravatar" (a 404, an error, a timeout) is remembered for this long, at most: short enough
# that a Gravatar created meanwhile, or a Gravatar back from an outage, shows soon.
MISS_SECONDS = 15 * 60
SVG_TYPE = "image/svg+xml"


@dataclass(frozen=True)
class Avatar:
    content: bytes
    content_type: str


def is_valid_key(key):
    return key == ANONYMOUS or _KEY.fullmatch(key or "") is not None


def public_key(comment):
    """The key a comment's avatar URL carries: its own, or the generic one when it has none
    (anonymized) or is a tombstone. Reads only fields the public thread loads."""
    if comment.avatar_key and comment.removed_at is None:
        return comment.avatar_key
    return ANONYMOUS


# --- the local avatar -----------------------------------------------------------------------------


def identicon_svg(key):
    """A symmetric 5x5 pattern in two colours, both drawn from the key's bytes: deterministic,
    distinct per key, and carrying nothing but the (already public) key."""
    data = bytes.fromhex(key)
    hue = int.from_bytes(data[0:2], "big") % 360
    saturation = 45 + data[2] % 25
    lightness = 35 + data[3] % 15
    foreground = f"hsl({hue} {saturation}% {lightness}%)"
    background = f"hsl({hue} 30% 93%)"
    bits = int.from_bytes(data[4:8], "big")
    cells = []
    for row in range(5):
        for column in range(3):  # columns 0-2, mirrored onto 4-3
            if bits >> (row * 3 + column) & 1:
                cells.append((column, row))
                if column < 2:
                    cells.append((4 - column, row))
    if not cells:  # never a blank square
        cells = [(2, row) for row in range(5)]
    rects = "".join(f'<rect x="{x + 1}" y="{y + 1}" width="1" height="1"/>' for x, y in cells)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 7 7" width="80" height="80"'
        ' shape-rendering="crispEdges">'
        f'<rect width="7" height="7" fill="{background}"/>'
        f'<g fill="{foreground}">{rects}</g></svg>'
    )


# A head and shoulders in grey: the same for every anonymous comment.
ANONYMOUS_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 80" width="80" height="80">'
    '<rect width="80" height="80" fill="#e4e7eb"/>'
    '<circle cx="40" cy="31" r="15" fill="#9aa5b1"/>'
    '<path d="M12 80c0-17 12.5-28 28-28s28 11 28 28z" fill="#9aa5b1"/></svg>'
)


def local_avatar(key):
    svg = ANONYMOUS_SVG if key == ANONYMOUS else identicon_svg(key)
    return Avatar(svg.encode(), SVG_TYPE)


# --- Gravatar, fetched by the server --------------------------------------------------------------


def gravatar_email(key):
    """The e-mail whose Gravatar the key's avatar shows, or None.

    Only approved, non-anonymized, non-removed comments count: what is pending or spam was written
    by anybody and reviewed by nobody, so it must not make this server fetch (or show) anything.
    And only when the address's owner consented from a link mailed to it (ConfirmedEmail.
    gravatar_since): a comment's own checkbox, which anyone who types the address can tick,
    decides nothing.
    """
    email = (
        Comment.objects.filter(
            avatar_key=key,
            status=CommentStatus.APPROVED,
            anonymized_at__isnull=True,
            removed_at__isnull=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .first()
    )
    if (
        email
        and ConfirmedEmail.objects.filter(
            email=normalize_email(email), gravatar_since__isnull=False
        ).exists()
    ):
        return email
    return None


def gravatar_url(email):
    """Where the server asks Gravatar: d=404 so that "no Gravatar" is an answer, not a picture."""
    digest = hashlib.md5(normalize_email(email).encode(), usedforsecurity=False).hexdigest()
    return f"{conf.get('GRAVATAR_URL')}{digest}?s=80&d=404"


class Deadline:
    """Ends a connection's exchange when `seconds` have passed, whatever it is waiting for (the
    TLS handshake, the headers, the body): a socket timeout bounds each read only, so a server
    sending a byte now and then would hold the request as long as it liked. A watcher thread
    shuts the socket down at the deadline, which wakes the blocked read at once."""

    POLL = 0.05  # after the deadline, a socket opened meanwhile is cut within this many seconds

    def __init__(self, connection, seconds):
        self.connection = connection
        # Set once connected: http.client hands the socket over to a response that reads until
        # the connection closes, and forgets it.
        self.sock = None
        self.done = threading.Event()
        self.passed = False
        self.watcher = threading.Thread(target=self._watch, args=(seconds,), daemon=True)

    def __enter__(self):
        self.watcher.start()
        return self

    def __exit__(self, *exc_info):
        self.done.set()
        self.connection.close()

    def _watch(self, seconds):
        if self.done.wait(seconds):
            return
        self.passed = True
        while not self.done.is_set():
            for sock in {self.connection.sock, self.sock} - {None}:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self.done.wait(self.POLL)


def _connection(url, timeout):
    if url.scheme == "https":
        context = ssl.create_default_context()
        return http.client.HTTPSConnection(url.hostname, url.port, timeout=timeout, context=context)
    if url.scheme == "http":
        return http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    raise ValueError(f"Unsupported scheme: {url.scheme!r}")


def fetch_gravatar(email):
    """The Gravatar image of the e-mail as an Avatar, or None on a 404, an error, an answer that
    is not a PNG, JPEG, GIF or WebP image, one too big, or one not complete within
    COMMENTS_GRAVATAR_TIMEOUT seconds: that bounds the whole exchange (connection, headers and
    body), not each read. No redirect is followed."""
    timeout = conf.get("GRAVATAR_TIMEOUT")
    try:
        url = urlsplit(gravatar_url(email))
        path = url.path or "/"
        target = f"{path}?{url.query}" if url.query else path
        connection = _connection(url, timeout)
        with Deadline(connection, timeout) as deadline:
            connection.connect()
            deadline.sock = connection.sock
            connection.request("GET", target, headers={"Accept": ", ".join(sorted(IMAGE_TYPES))})
            with connection.getresponse() as response:
                if response.status != 200:
                    return None
                content_type = response.getheader("Content-Type", "")
                content_type = content_type.split(";")[0].strip().lower()
                if content_type not in IMAGE_TYPES:
                    return None
                content = response.read(MAX_IMAGE_BYTES + 1)
        if deadline.passed:  # what was read may be cut short
            raise TimeoutError
    except (OSError, http.client.HTTPException, ValueError) as error:
        logger.info("Gravatar unavailable: %s", type(error).__name__)
        return None
    if not content or len(content) > MAX_IMAGE_BYTES:
        return None
    return Avatar(content, content_type)


def _cache_key(key):
    # By the opaque key, never by the e-mail or its MD5: the cache holds no re-identifiable value.
    return f"comments:gravatar:{key}"


def forget(keys):
    """Evict the fetched Gravatars of these keys (after anonymization or erasure)."""
    if keys:
        caches[conf.get("CACHE")].delete_many([_cache_key(key) for key in set(keys)])


def gravatar_for(key):
    """The Gravatar to show for the key, if its commenter asked for one and Gravatar has it.

    The answer (the image, or the fact that there is none) is cached, so Gravatar is asked at most
    once per key and period, whatever the number of readers.
    """
    email = gravatar_email(key)
    if email is None:
        return None
    cache = caches[conf.get("CACHE")]
    cached = cache.get(_cache_key(key))
    if cached is not None:
        return Avatar(*cached) if cached else None
    avatar = fetch_gravatar(email)
    seconds = conf.get("GRAVATAR_CACHE_SECONDS")
    if avatar is None:
        cache.set(_cache_key(key), (), min(MISS_SECONDS, seconds))
    else:
        cache.set(_cache_key(key), (avatar.content, avatar.content_type), seconds)
    return avatar


def avatar_for(key):
    """What /comments/avatar/<key>/ serves: the Gravatar when asked for and available, else the
    local avatar. The key must be valid (is_valid_key)."""
    if key != ANONYMOUS:
        avatar = gravatar_for(key)
        if avatar is not None:
            return avatar
    return local_avatar(key)
