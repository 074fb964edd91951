"""Every public URL of a site follows its status (sites.lifecycle): pages, feeds, the sitemap,
robots.txt, search, comment forms.

- live: served as usual;
- draft: served only to signed-in members of its team and the network administrators, marked
  "X-Robots-Tag: noindex" and private; everyone else gets a plain 404 that names no site;
- archived: 410 Gone, or a redirect to the head site's home when the site was archived so.

After the authentication middleware (it reads request.user) and before the page cache, so that
no cached page is ever served past it; the page cache stores neither a member's view (signed in)
nor these answers (not 200), and the answers say "no-store" to other caches too. The status
comes from sites.network's map, read once per request (kept on it for the views that follow):
no query for anonymous visitors.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.template import loader
from django.utils.cache import add_never_cache_headers, patch_cache_control

from . import lifecycle, network

# Open on every site whatever its status: the admin (a draft is prepared there), static and media
# files, the health check, and the commenters' own rights (their comments, unsubscribing), which
# an archived site keeps honouring.
OPEN_PATHS = (
    "/admin/",
    "/static/",
    "/media/",
    "/healthz",
    "/comments/manage/",
    "/comments/unsubscribe/",
)

NOT_FOUND_TEMPLATE = "404_unlaunched.html"
GONE_TEMPLATE = "410.html"


def _answer(request, template, status, **context):
    # Without the request: its context processors would look the site up (a query), and these
    # pages need nothing of it.
    response = HttpResponse(loader.render_to_string(template, context), status=status)
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def not_found(request):
    """A draft site's page to someone outside its team: as if there were nothing there."""
    return _answer(request, NOT_FOUND_TEMPLATE, 404)


def gone(request, site_id, redirects_to_head):
    """An archived site: 410, or a temporary redirect to the head site's home (temporary: the
    site may be brought back)."""
    current = network.network_map(request)
    head_id = current.head_site_id()
    head = current.site(head_id) if head_id is not None and head_id != site_id else None
    if redirects_to_head and head is not None:
        response = HttpResponseRedirect(head.root_url + "/")
        add_never_cache_headers(response)
        return response
    return _answer(
        request,
        GONE_TEMPLATE,
        410,
        site_name=network.site_name(site_id, request),
        head_url=head.root_url + "/" if head is not None else "",
        head_name=head.site_name if head is not None else "",
    )


class SiteLifeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(OPEN_PATHS):
            return self.get_response(request)
        site_id = network.site_id_for_request(request)
        if site_id is None:
            return self.get_response(request)
        status, redirects_to_head, _kind = network.site_life(site_id, request)
        if status == network.ARCHIVED:
            return gone(request, site_id, redirects_to_head)
        if status == network.DRAFT:
            if not lifecycle.may_see_unlaunched(request.user, site_id):
                return not_found(request)
            response = self.get_response(request)
            response["X-Robots-Tag"] = "noindex"
            patch_cache_control(response, private=True, no_store=True)
            return response
        return self.get_response(request)
