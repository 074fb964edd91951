"""One fixed-window counter in the shared cache, for every limit of the comments app: comment
submissions per IP and site, self-service link requests per IP, confirmation e-mails per address.

The cache (COMMENTS_THROTTLE_CACHE) must be shared by every worker process and not filled by
cached pages, which would push counters out; keys hold a keyed hash of what is counted, never an
IP address or an e-mail in clear.
"""

import ipaddress
import math
import time

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.utils.crypto import salted_hmac

from . import conf


def client_ip(request):
    """REMOTE_ADDR (the proxy in front sets it); None when absent or not an IP address."""
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def hit(scope, identity, rate):
    """Count one hit of `identity` (a string) in `scope` against `rate` ("5/10m"); return the
    seconds until the window ends when the count is over the rate, else None."""
    limit, period = conf.parse_rate(rate)
    now = time.time()
    window = int(now // period)
    remaining = max(1, math.ceil((window + 1) * period - now))
    digest = salted_hmac(f"comments.throttle.{scope}", identity).hexdigest()[:32]
    key = f"comments:throttle:{scope}:{period}:{window}:{digest}"
    cache = caches[conf.get("THROTTLE_CACHE")]
    if isinstance(cache, DatabaseCache):
        return None if _take_slot(cache, key, limit, remaining) else remaining
    if cache.add(key, 1, timeout=remaining):
        count = 1
    else:
        try:
            count = cache.incr(key)  # atomic in Redis and in one process's memory
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=remaining)
            count = 1
    return remaining if count > limit else None


def _take_slot(cache, key, limit, timeout):
    """The database cache's incr() is a read then a write: two workers counting at once would
    both write the same number and let extra hits through. Its add() is atomic (the key is the
    table's primary key), so each hit claims one of `limit` numbered slots instead; when every
    slot is taken the hit is over the limit. The slots read before the free one are few (the
    limit is small) and only while hits are allowed."""
    return any(cache.add(f"{key}:{slot}", 1, timeout=timeout) for slot in range(limit))
