"""Limits on the project's own forms that guess or send: page and document passwords (Wagtail's
view restrictions, which it lets anyone try without end) and staff password-reset e-mails.

Fixed-window counters in the security cache (CACHES["security"], apart from cached pages, so page
traffic never lifts a limit). Keys hold a keyed hash of what is counted, never an address in clear.
A password is counted when it fails, per restriction (however many addresses guess it) and per
client address (infra/proxies.py puts the visitor's in REMOTE_ADDR); a reset request is counted
whether or not an account has that address, so the answer never tells.
"""

import ipaddress
import math
import time

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

CACHE = "security"
# (count, seconds): at most `count` hits per window of `seconds`.
PASSWORD_FAILURES_PER_RESTRICTION = (30, 60 * 60)
PASSWORD_FAILURES_PER_ADDRESS = (10, 15 * 60)
RESETS_PER_EMAIL = (3, 60 * 60)
RESETS_PER_ADDRESS = (10, 60 * 60)


def client_address(request):
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return "unknown"


def _counter(scope, identity, period):
    now = time.time()
    window = int(now // period)
    remaining = max(1, math.ceil((window + 1) * period - now))
    digest = salted_hmac(f"hub.throttle.{scope}", identity).hexdigest()[:32]
    return f"hub:throttle:{scope}:{period}:{window}:{digest}", remaining


def _reached(scope, identity, rate):
    """Seconds until the window ends if `identity` has used up `rate`, else None (not counted)."""
    limit, period = rate
    key, remaining = _counter(scope, identity, period)
    cache = caches[CACHE]
    if isinstance(cache, DatabaseCache):  # slots, as in _count
        used = cache.get(f"{key}:{limit - 1}") is not None
    else:
        used = (cache.get(key) or 0) >= limit
    return remaining if used else None


def _count(scope, identity, rate):
    """Count one hit; seconds until the window ends if it is over `rate`, else None."""
    limit, period = rate
    key, remaining = _counter(scope, identity, period)
    cache = caches[CACHE]
    if isinstance(cache, DatabaseCache):
        # Its incr() is a read then a write, which two workers could interleave; add() is atomic,
        # so each hit claims one of `limit` numbered slots (as comments.throttle does).
        taken = any(cache.add(f"{key}:{slot}", 1, timeout=remaining) for slot in range(limit))
        return None if taken else remaining
    if cache.add(key, 1, timeout=remaining):
        return None
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=remaining)
        count = 1
    return remaining if count > limit else None


def _longest(*waits):
    waits = [wait for wait in waits if wait]
    return max(waits) if waits else None


# --- passwords of view restrictions ------------------------------------------------------------


def password_wait(request, kind, restriction_id):
    """Seconds before this client may try the password of this restriction ("page" or
    "collection") again, or None when it may try now."""
    return _longest(
        _reached(f"{kind}-password", str(restriction_id), PASSWORD_FAILURES_PER_RESTRICTION),
        _reached("password-address", client_address(request), PASSWORD_FAILURES_PER_ADDRESS),
    )


def password_failed(request, kind, restriction_id):
    _count(f"{kind}-password", str(restriction_id), PASSWORD_FAILURES_PER_RESTRICTION)
    _count("password-address", client_address(request), PASSWORD_FAILURES_PER_ADDRESS)


# --- staff password resets ---------------------------------------------------------------------


def reset_wait(request, email):
    """Count a password-reset request; seconds to wait when this address or this client has asked
    too often (both are counted, the account existing or not), else None."""
    return _longest(
        _count("reset-email", email.strip().lower(), RESETS_PER_EMAIL),
        _count("reset-address", client_address(request), RESETS_PER_ADDRESS),
    )


# --- what the counters keep, for the personal-data inventory (COMMENTS_INVENTORY_EXTRA) --------


def _minutes(seconds):
    return _("%(minutes)s minutes at most") % {"minutes": seconds // 60}


def inventory_entries():
    """The counters above that hold personal data (a keyed hash of an address or an e-mail); the
    counts per restriction (hub:throttle:page-password:*, …collection-password:*) hold none."""
    interest = _("Legitimate interest (GDPR art. 6(1)(f))")
    nobody = _("Nobody: only the software uses it")
    return [
        {
            "field": "cache hub:throttle:password-address:*",
            "data": _(
                "A count of the wrong passwords of protected pages or documents tried from your "
                "IP address, under a keyed hash of it"
            ),
            "purpose": _("To stop anyone from guessing a protected page's password"),
            "basis": interest,
            "retention": _minutes(PASSWORD_FAILURES_PER_ADDRESS[1]),
            "audience": nobody,
        },
        {
            "field": "cache hub:throttle:reset-email:*, cache hub:throttle:reset-address:*",
            "data": _(
                "A count of the password-reset e-mails of the administration asked for an "
                "address, and from your IP address, under keyed hashes of them"
            ),
            "purpose": _("To stop anyone from using the reset form to send e-mails to strangers"),
            "basis": interest,
            "retention": _minutes(max(RESETS_PER_EMAIL[1], RESETS_PER_ADDRESS[1])),
            "audience": nobody,
        },
    ]
