"""Which Host headers Maillage answers: those configured plus every Site's host name.

A site created in the admin answers at once, with no edit of ALLOWED_HOSTS and no restart. Django's
own ALLOWED_HOSTS is "*" and this middleware, first in the chain, does the checking instead: known
host names come from a cache refreshed whenever a Site changes; an unknown one is looked up in the
database once (so a site created by another process is found), and anything else gets a 400.
Each process also keeps the list for a few seconds, so that a page served from the page cache costs
no cache round trip for it; a host name removed elsewhere is refused at most that much later.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest
from django.http.request import split_domain_port, validate_host

CACHE_KEY = "maillage:site-hostnames"
CACHE_SECONDS = 300
PROCESS_SECONDS = 5

_in_process = {"names": None, "until": 0.0}


def site_hostnames():
    if _in_process["names"] is not None and time.monotonic() < _in_process["until"]:
        return _in_process["names"]
    names = cache.get(CACHE_KEY)
    if names is None:
        from wagtail.models import Site

        names = frozenset(h.lower() for h in Site.objects.values_list("hostname", flat=True))
        cache.set(CACHE_KEY, names, CACHE_SECONDS)
    _in_process.update(names=names, until=time.monotonic() + PROCESS_SECONDS)
    return names


def forget_site_hostnames():
    _in_process.update(names=None, until=0.0)
    cache.delete(CACHE_KEY)


def is_allowed_host(domain):
    if not domain:
        return False
    if validate_host(domain, settings.MAILLAGE_ALLOWED_HOSTS):
        return True
    if domain in site_hostnames():
        return True
    from wagtail.models import Site

    if Site.objects.filter(hostname__iexact=domain).exists():
        forget_site_hostnames()
        return True
    return False


class SiteHostsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            raw_host = request._get_raw_host()
        except (DisallowedHost, KeyError):
            raw_host = ""
        domain, _port = split_domain_port(raw_host)
        if not is_allowed_host(domain):
            return HttpResponseBadRequest(
                "Unknown host name.", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


def site_root_paths(request=None):
    """Wagtail's cached site root paths, read from the cache once per request (kept on the
    request where Wagtail's own page URLs keep them)."""
    from wagtail.models import Site

    if request is None:
        return Site.get_site_root_paths()
    try:
        return request._wagtail_cached_site_root_paths
    except AttributeError:
        request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
        return request._wagtail_cached_site_root_paths
