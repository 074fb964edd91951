"""Public pages: each Wagtail page served declares what it shows to the page cache, and is served
only under its own language's prefix."""

from django.http import Http404
from django.utils.translation import get_language

from wagtail import hooks

from infra import locales, page_cache

from .. import page_cache as rules


@hooks.register("before_serve_page")
def serve_pages_in_their_own_language(page, request, serve_args, serve_kwargs):
    """While a site's English home is not live, Wagtail routes /en/… through the French home and
    would serve French pages labelled English (lang="en"): there they are not found."""
    if locales.language_of(page.locale_id) != get_language():
        raise Http404


@hooks.register("before_serve_page")
def declare_page_cache_tags(page, request, serve_args, serve_kwargs):
    if page_cache.enabled():
        page_cache.tag(request, *rules.serving_tags(page, request))
