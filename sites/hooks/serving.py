"""Public pages: each Wagtail page served declares what it shows to the page cache, and is served
only under its own language's prefix."""

from django.core.cache import cache
from django.http import Http404
from django.utils.translation import get_language

from wagtail import hooks
from wagtail.models import Locale

from infra import page_cache

from .. import page_cache as rules

LOCALE_CODES_KEY = "maillage:locale-codes"


def language_of(page):
    """The page's language code, from the Locale table kept in the cache (a few rows, read once):
    serving a page adds no query."""
    codes = cache.get(LOCALE_CODES_KEY)
    if codes is None or page.locale_id not in codes:
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        cache.set(LOCALE_CODES_KEY, codes, 3600)
    return codes.get(page.locale_id)


@hooks.register("before_serve_page")
def serve_pages_in_their_own_language(page, request, serve_args, serve_kwargs):
    """While a site's English home is not live, Wagtail routes /en/… through the French home and
    would serve French pages labelled English (lang="en"): there they are not found."""
    if language_of(page) != get_language():
        raise Http404


@hooks.register("before_serve_page")
def declare_page_cache_tags(page, request, serve_args, serve_kwargs):
    if page_cache.enabled():
        page_cache.tag(request, *rules.serving_tags(page, request))
