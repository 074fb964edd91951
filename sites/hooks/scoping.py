"""Admin wiring that keeps each site's team to its own site (rules in sites/scoping.py).

Pages, images, documents and site settings are scoped by Wagtail's own permissions, which the
site factory grants per site. This module adds what Wagtail leaves global: the page chooser, the
redirects admin, wagtail-localize's translations report, the images and documents of the admin API
(/admin/api/main/images/ listed every site's), the bulk actions' confirmation pages (which named any
page, image or document asked for), the page chooser's "chosen" step and a page's workflow views
(which named any page). tests/security/test_isolation_matrix.py checks every admin URL.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import include, path

from wagtail import hooks
from wagtail.admin.views import chooser as page_chooser
from wagtail.admin.views.pages import bulk_actions as page_bulk_actions
from wagtail.admin.views.pages import workflow as page_workflow
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views import bulk_actions as document_bulk_actions
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views import bulk_actions as image_bulk_actions
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail_localize.views.report import TranslationsReportView

from .. import redirect_views, scoping

# wagtail.contrib.redirects registers a global policy in its AppConfig.ready(); hooks modules are
# imported once every app is ready, so this registration replaces it.
register_permission_policy(Redirect, scoping.SiteScopedRedirectPermissionPolicy(Redirect))


class SiteScopedTranslationsReportView(TranslationsReportView):
    def get_queryset(self):
        translations = scoping.visible_translations(self.request.user, super().get_queryset())
        return translations.order_by("-created_at", "-pk")  # the report paginates


translations_report_urls = [
    path("", SiteScopedTranslationsReportView.as_view(), name="translations_report"),
    path(
        "results/",
        SiteScopedTranslationsReportView.as_view(results_only=True),
        name="translations_report_results",
    ),
]


@hooks.register("register_admin_urls", order=-1)
def register_site_scoped_redirect_urls():
    """The same paths as Wagtail's redirect admin and wagtail-localize's translations report,
    registered first (order=-1) so they resolve here, including every reverse() of their names.
    Namespaces of our own avoid Django's warning about duplicated namespaces (urls.W005)."""
    return [
        path("redirects/", include(redirect_views, namespace="maillage_redirects")),
        path(
            "localize/reports/translations/",
            include((translations_report_urls, "maillage_translations")),
        ),
    ]


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_sites(pages, request):
    parent_page_id = request.resolver_match.kwargs.get("parent_page_id")
    if parent_page_id is not None:
        # Browsing into another site's page would show its title and open it as a choice.
        parent = get_object_or_404(Page, pk=parent_page_id)
        if not scoping.may_browse_page(request.user, parent):
            raise PermissionDenied
    return scoping.choosable_pages(request.user, pages)


# --- Images and documents outside Wagtail's own views ------------------------------------------


class SiteScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return scoping.visible_media(self.request.user, super().get_queryset())


class SiteScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return scoping.visible_media(self.request.user, super().get_queryset())


@hooks.register("construct_admin_api", order=1)
def limit_admin_api_media_to_own_sites(router):
    """Replaces the endpoints Wagtail registers (order=1: after them)."""
    router.register_endpoint("images", SiteScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", SiteScopedDocumentsAdminAPIViewSet)


# --- Bulk actions: the confirmation page names only the user's own sites' items -----------------


class OwnSitesBulkActionMixin:
    """The confirmation page lists the items the user may not act on; Wagtail lists every id of
    the URL, which named the pages, images and documents of other sites (drafts' titles too).
    Only the user's are kept; the action itself already skipped the others."""

    visible = None  # (user, queryset) -> the part of the queryset the user may know of

    def get_actionable_objects(self):
        objects, context = super().get_actionable_objects()
        refused = context.get("items_with_no_access") or []
        if refused:
            asked = self.model._default_manager.filter(pk__in=[item.pk for item in refused])
            known = set(self.visible(self.request.user, asked).values_list("pk", flat=True))
            context["items_with_no_access"] = [item for item in refused if item.pk in known]
        return objects, context


def _own_sites_bulk_actions():
    for actions, visible in (
        (page_bulk_actions, scoping.choosable_pages),
        (image_bulk_actions, scoping.visible_media),
        (document_bulk_actions, scoping.visible_media),
    ):
        for name in dir(actions):
            action = getattr(actions, name)
            if name.endswith("BulkAction") and action.__module__.startswith(actions.__name__):
                attributes = {"visible": staticmethod(visible), "__module__": __name__}
                yield type(name, (OwnSitesBulkActionMixin, action), attributes)


for action in _own_sites_bulk_actions():
    # order=1: registered after Wagtail's own action of the same type, which it replaces.
    hooks.register("register_bulk_action", action, order=1)


# --- The page chooser's "chosen" step ---------------------------------------------------------

_wagtail_chosen_multiple = page_chooser.ChosenMultipleView.get


def _chosen_multiple_of_own_sites(self, request):
    """Wagtail's view answers the title, parent and URL of any page id in the query string, with
    no permission check (and no construct_page_chooser_queryset hook): the ids of pages outside
    the user's sites are dropped before it reads them. (A method replaced on Wagtail's class: the
    view is mounted in Wagtail's own URLconf, ahead of any hook's URLs, so it cannot be shadowed
    like the redirects. Check it on each Wagtail upgrade; the isolation matrix will tell.)"""
    asked = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
    known = scoping.choosable_pages(request.user, Page.objects.filter(pk__in=asked))
    request.GET = request.GET.copy()
    request.GET.setlist("id", [str(pk) for pk in known.values_list("pk", flat=True)])
    return _wagtail_chosen_multiple(self, request)


page_chooser.ChosenMultipleView.get = _chosen_multiple_of_own_sites


# --- A page's workflow views --------------------------------------------------------------------


def _workflow_views_of_own_sites(self, request, *args, **kwargs):
    """Wagtail's workflow views of a page (action, its form, cancellation, task preview) tell
    anyone that "the page '<latest title>' is not currently awaiting moderation" before checking
    any permission: a page of another site is refused first. (Set on their common mixin, for
    the same reason as above.)"""
    if not scoping.may_browse_page(request.user, self.object):
        raise PermissionDenied
    return super(page_workflow.WorkflowPageViewMixin, self).dispatch(request, *args, **kwargs)


page_workflow.WorkflowPageViewMixin.dispatch = _workflow_views_of_own_sites
