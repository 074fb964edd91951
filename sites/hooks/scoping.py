"""Admin wiring that keeps each site's team to its own site (rules in sites/scoping.py).

Pages, images, documents and site settings are scoped by Wagtail's own permissions, which the
site factory grants per site. This module puts in place of Wagtail's what it leaves global (the
views are in sites/admin_overrides.py): the page chooser, the redirects admin, wagtail-localize's
translations report, the images and documents of the admin API (/admin/api/main/images/ listed
every site's), the bulk actions' confirmation pages (which named any page, image or document
asked for), a page's workflow views (which named any page) and the move confirmation (a
PageViewSet of ours for every page type). The page chooser's "chosen" step and the site history
and page types reports are mounted ahead of Wagtail's by hub/urls.py. Fields that take ids are
checked by the admin forms (sites/choosable.py). tests/security/test_isolation_matrix.py checks
every admin URL, tests/security/test_isolation_flows.py the flows between them.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import include, path

from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from .. import admin_overrides, redirect_views, scoping

# wagtail.contrib.redirects registers a global policy in its AppConfig.ready(); hooks modules are
# imported once every app is ready, so this registration replaces it.
register_permission_policy(Redirect, scoping.SiteScopedRedirectPermissionPolicy(Redirect))


@hooks.register("register_admin_urls", order=-1)
def register_site_scoped_redirect_urls():
    """The same paths as Wagtail's redirect admin and wagtail-localize's translations report,
    registered first (order=-1) so they resolve here, including every reverse() of their names.
    Namespaces of our own avoid Django's warning about duplicated namespaces (urls.W005)."""
    return [
        path("redirects/", include(redirect_views, namespace="maillage_redirects")),
        path(
            "localize/reports/translations/",
            include((admin_overrides.translations_report_urls, "maillage_translations")),
        ),
    ]


@hooks.register("register_admin_viewset")
def register_site_scoped_page_viewset():
    """Every page type's views (page_viewset_registry) come from this viewset, registered for
    Page after Wagtail's own (order -1), which it replaces: the move confirmation and the
    workflow views of every page."""
    return admin_overrides.SiteScopedPageViewSet()


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_sites(pages, request):
    parent_page_id = request.resolver_match.kwargs.get("parent_page_id")
    if parent_page_id is not None:
        # Browsing into another site's page would show its title and open it as a choice.
        parent = get_object_or_404(Page, pk=parent_page_id)
        if not scoping.may_browse_page(request.user, parent):
            raise PermissionDenied
    return scoping.choosable_pages(request.user, pages)


@hooks.register("construct_admin_api", order=1)
def limit_admin_api_media_to_own_sites(router):
    """Replaces the endpoints Wagtail registers (order=1: after them)."""
    router.register_endpoint("images", admin_overrides.SiteScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", admin_overrides.SiteScopedDocumentsAdminAPIViewSet)


for _action in admin_overrides.OWN_SITES_BULK_ACTIONS:
    # order=1: registered after Wagtail's own action of the same type, which it replaces.
    hooks.register("register_bulk_action", _action, order=1)
