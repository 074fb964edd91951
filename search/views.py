"""The search page of every site: /search/ (French) and /en/search/ (English).

The rules (what a site's search covers, excerpts, facets) live in search/site_search.py.
"""

from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Site

from infra import page_cache
from search import site_search


@require_safe
def search(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    network_allowed = site_search.is_head(site)
    # Shared posts are in a site's results: their publication refreshes the sites they go to.
    tags = [page_cache.site_tag(site.pk)]
    if network_allowed:
        tags.append(page_cache.NETWORK)
    page_cache.tag(request, *tags)
    params = site_search.SearchParams.from_query_dict(request.GET, network_allowed=network_allowed)
    try:
        language = get_supported_content_language_variant(get_language())
    except LookupError:
        language = settings.LANGUAGE_CODE
    context = {
        "search": site_search.run(
            site, params, language, network_allowed=network_allowed, request=request
        ),
    }
    return TemplateResponse(request, "search/search.html", context)
