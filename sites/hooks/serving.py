"""Public pages: each Wagtail page served declares what it shows to the page cache."""

from wagtail import hooks

from infra import page_cache

from .. import page_cache as rules


@hooks.register("before_serve_page")
def declare_page_cache_tags(page, request, serve_args, serve_kwargs):
    if page_cache.enabled():
        page_cache.tag(request, *rules.serving_tags(page, request))
