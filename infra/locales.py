"""The language code of each Wagtail Locale, kept in the cache: a few rows, read once, so that
asking a page's language on a hot path (serving, sitemaps) costs no query."""

from django.core.cache import cache

from wagtail.models import Locale

CACHE_KEY = "maillage:locale-codes"
CACHE_SECONDS = 3600


def language_codes():
    """{locale id: language code} of every Locale."""
    codes = cache.get(CACHE_KEY)
    if codes is None:
        codes = _read()
    return codes


def language_of(locale_id):
    """The language code of one Locale (read again if the Locale is newer than the cache)."""
    codes = language_codes()
    if locale_id not in codes:
        codes = _read()
    return codes.get(locale_id)


def _read():
    codes = dict(Locale.objects.values_list("pk", "language_code"))
    cache.set(CACHE_KEY, codes, CACHE_SECONDS)
    return codes
