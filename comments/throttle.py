"""One fixed-window counter in the shared cache, for every limit of the comments app: comment
submissions per IP and site, self-service link requests per IP, confirmation e-mails per address.

The cache (COMMENTS_CACHE) must be shared by every worker process; keys hold a keyed hash of
what is counted, never an IP address or an e-mail in clear.
"""

import ipaddress
import math
import time

from django.core.cache import caches
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
    cache = caches[conf.get("CACHE")]
    if cache.add(key, 1, timeout=remaining):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=remaining)
            count = 1
        # The database cache's incr() rewrites the entry with the default timeout: restore ours.
        cache.touch(key, timeout=remaining)
    return remaining if count > limit else None
