"""Who may skip "first comment held" moderation: a browser that proved it belongs to the address.

Knowing a confirmed commenter's address is not enough to publish at once under her name: the
browser must hold a signed, long-lived cookie (HttpOnly, SameSite=Lax, Secure on HTTPS) that
vouches for the address, in one of two ways:
- "confirmed": its owner pressed the button of a link mailed to the address (the "Manage my
  comments" page, a reply-notification confirmation) in this browser;
- "posted": this browser posted a comment with the address; honoured only once a moderator
  approved that comment.

The cookie holds no address: only a keyed HMAC of it (its own salt, equal to no value shown
anywhere) and, for "posted", the comment's id. Without the cookie nothing is looked up, so the
answer to a post does not depend on whether the address is known.
"""

from django.utils.crypto import salted_hmac

from .avatars import normalize_email
from .models import Comment, CommentStatus

COOKIE_NAME = "comments_trust"
COOKIE_SALT = "comments.trust.cookie"
ADDRESS_SALT = "comments.trust.address"
MAX_AGE = 365 * 24 * 60 * 60
# The newest entries kept: a cookie stays small however many comments a browser posts.
MAX_ENTRIES = 20
CONFIRMED = "c"
POSTED = "p"


def address_tag(email):
    """What the cookie holds of an address: an HMAC keyed for this purpose only."""
    return salted_hmac(ADDRESS_SALT, normalize_email(email), algorithm="sha256").hexdigest()[:32]


def _entries(request):
    raw = request.get_signed_cookie(COOKIE_NAME, default="", salt=COOKIE_SALT, max_age=MAX_AGE)
    entries = []
    for item in (raw or "").split(","):
        kind, _, rest = item.partition(".")
        tag, _, comment_id = rest.partition(".")
        if kind == CONFIRMED and len(tag) == 32 and not comment_id:
            entries.append((kind, tag, ""))
        elif kind == POSTED and len(tag) == 32 and comment_id.isascii() and comment_id.isdigit():
            entries.append((kind, tag, comment_id[:19]))
    return entries


def _write(request, response, entry):
    entries = [item for item in _entries(request) if item != entry]
    entries = [*entries, entry][-MAX_ENTRIES:]
    value = ",".join(".".join(part for part in item if part) for item in entries)
    response.set_signed_cookie(
        COOKIE_NAME,
        value,
        salt=COOKIE_SALT,
        max_age=MAX_AGE,
        path="/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def remember_confirmed(request, response, email):
    """The owner of `email` proved it from this browser (a button under a mailed link)."""
    _write(request, response, (CONFIRMED, address_tag(email), ""))


def remember_posted(request, response, comment):
    """This browser posted `comment`: it vouches for its address once the comment is approved."""
    if comment.email and comment.pk:
        _write(request, response, (POSTED, address_tag(comment.email), str(comment.pk)))


def vouches_for(request, email, comments=None):
    """Whether this browser's cookie vouches for `email` (no query without a matching entry).
    `comments`: where the approved comment it posted must be (every comment by default; the
    "first" mode asks for one on the page's site, so that a comment approved elsewhere under
    an address typed there does not publish at once as that address here)."""
    if request is None or not email:
        return False
    tag = address_tag(email)
    entries = [item for item in _entries(request) if item[1] == tag]
    if any(kind == CONFIRMED for kind, _tag, _id in entries):
        return True
    posted = [int(comment_id) for kind, _tag, comment_id in entries if kind == POSTED]
    comments = Comment.objects.all() if comments is None else comments
    return bool(posted) and (
        comments.filter(
            pk__in=posted, email=normalize_email(email), status=CommentStatus.APPROVED
        ).exists()
    )
