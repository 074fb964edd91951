"""Admin wiring that keeps each site's team to its own site (rules in sites/scoping.py).

Pages, images, documents and site settings are scoped by Wagtail's own permissions, which the
site factory grants per site. This module adds what Wagtail leaves global: the page chooser, the
redirects admin, wagtail-localize's translations report, the images and documents of the admin API
(/admin/api/main/images/ listed every site's), the bulk actions' confirmation pages (which named any
page, image or document asked for), the page chooser's "chosen" step and a page's workflow views
(which named any page), the move confirmation (a PageViewSet of ours for every page type), the
site history and page types reports (mounted ahead of Wagtail's by hub/urls.py). Fields that take
ids are checked by the admin forms (sites/choosable.py). tests/security/test_isolation_matrix.py
checks every admin URL, tests/security/test_isolation_flows.py the flows between them.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import include, path

from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser as page_chooser
from wagtail.admin.views.pages import bulk_actions as page_bulk_actions
from wagtail.admin.views.pages import workflow as page_workflow
from wagtail.admin.views.pages.move import MoveConfirmView
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
    get_users_for_filter,
)
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views import bulk_actions as document_bulk_actions
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views import bulk_actions as image_bulk_actions
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail_localize.views.report import TranslationsReportView

from .. import redirect_views, roles, scoping

# wagtail.contrib.redirects registers a global policy in its AppConfig.ready(); hooks modules are
# imported once every app is ready, so this registration replaces it.
register_permission_policy(Redirect, scoping.SiteScopedRedirectPermissionPolicy(Redirect))


class SiteScopedTranslationsReportView(TranslationsReportView):
    def get_queryset(self):
        translations = scoping.visible_translations(self.request.user, super().get_queryset())
        return translations.order_by("-created_at", "-pk")  # the report paginates


class SiteScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The user filter offers only the people of the entries the user sees."""

    def get_users_queryset(self):
        return self.get_user_choices()

    def get_user_choices(self):
        users = get_users_for_filter(self.request.user)
        if roles.is_network_admin(self.request.user):
            return users
        shown = set()
        for log_model in log_action_registry.get_log_entry_models():
            entries = log_model.objects.viewable_by_user(self.request.user)
            shown.update(scoping.visible_log_entries(self.request.user, entries).get_user_ids())
        return users.filter(pk__in=shown).order_by(get_user_model().USERNAME_FIELD)


class SiteScopedSiteHistoryView(LogEntriesView):
    """The site history of the user's sites only (Wagtail's listed every site's entries, with
    their usernames, in the list and in the user filter)."""

    filterset_class = SiteScopedSiteHistoryFilterSet

    def filter_queryset(self, queryset):
        # Called once per log model, on that model's entries, before their union.
        return super().filter_queryset(scoping.visible_log_entries(self.request.user, queryset))


class SiteScopedPageTypesUsageView(PageTypesUsageReportView):
    """Each page type's last edited page is taken from the user's sites (Wagtail named the
    network's latest draft, whatever its site)."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        if not roles.is_network_admin(self.request.user):
            for item in page_types:
                item.last_edited_page = scoping.last_edited_page(self.request.user, item)
        return page_types


# Wagtail mounts its reports in its own URLconf, ahead of every hook's URLs: hub/urls.py mounts
# these first, at the same paths (the isolation matrix checks they resolve here).
reports_urls = [
    path(
        "site-history/",
        require_admin_access(SiteScopedSiteHistoryView.as_view()),
        name="site_history",
    ),
    path(
        "site-history/results/",
        require_admin_access(SiteScopedSiteHistoryView.as_view(results_only=True)),
        name="site_history_results",
    ),
    path(
        "page-types-usage/",
        require_admin_access(SiteScopedPageTypesUsageView.as_view()),
        name="page_types_usage",
    ),
    path(
        "page-types-usage/results/",
        require_admin_access(SiteScopedPageTypesUsageView.as_view(results_only=True)),
        name="page_types_usage_results",
    ),
]

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


# --- Pages' own views: the move confirmation ------------------------------------------------


class SiteScopedMoveConfirmView(MoveConfirmView):
    """Wagtail's move confirmation showed the title and latest draft title of any page, moved
    anywhere, to any admin user: both pages must be ones the user may browse."""

    def dispatch(self, request, page_to_move_id, destination_id, *args, **kwargs):
        for pk in (page_to_move_id, destination_id):
            if not scoping.may_browse_page(request.user, get_object_or_404(Page, pk=pk)):
                raise PermissionDenied
        return super().dispatch(request, page_to_move_id, destination_id, *args, **kwargs)


class SiteScopedPageViewSet(PageViewSet):
    move_confirm_view_class = SiteScopedMoveConfirmView


@hooks.register("register_admin_viewset")
def register_site_scoped_page_viewset():
    """Every page type's views (page_viewset_registry) come from this viewset, registered for
    Page after Wagtail's own (order -1), which it replaces."""
    return SiteScopedPageViewSet()


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
