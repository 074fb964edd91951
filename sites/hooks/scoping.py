"""Admin wiring that keeps each site's team to its own site (rules in sites/scoping.py).

Pages, images, documents and site settings are scoped by Wagtail's own permissions, which the
site factory grants per site. This module adds what Wagtail leaves global: the page chooser and
the redirects admin.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import include, path

from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from .. import redirect_views, scoping

# wagtail.contrib.redirects registers a global policy in its AppConfig.ready(); hooks modules are
# imported once every app is ready, so this registration replaces it.
register_permission_policy(Redirect, scoping.SiteScopedRedirectPermissionPolicy(Redirect))


@hooks.register("register_admin_urls", order=-1)
def register_site_scoped_redirect_urls():
    """The same paths as Wagtail's redirect admin, registered first (order=-1) so they resolve
    here, including every reverse("wagtailredirects:...") Wagtail makes. A namespace of our own
    avoids Django's warning about a duplicated namespace (urls.W005)."""
    return [path("redirects/", include(redirect_views, namespace="maillage_redirects"))]


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_sites(pages, request):
    parent_page_id = request.resolver_match.kwargs.get("parent_page_id")
    if parent_page_id is not None:
        # Browsing into another site's page would show its title and open it as a choice.
        parent = get_object_or_404(Page, pk=parent_page_id)
        if not scoping.may_browse_page(request.user, parent):
            raise PermissionDenied
    return scoping.choosable_pages(request.user, pages)
