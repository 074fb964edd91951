"""Wagtail's admin views that named other sites' pages, narrowed to the user's sites.

Subclasses only, never a change to Wagtail's classes: each one is put in place of Wagtail's
through an extension point Wagtail offers (the page viewset's view classes, the bulk action
registry, the admin API router: sites/hooks/scoping.py), or, for views Wagtail mounts in its own
URLconf, at the same path and URL name ahead of Wagtail's admin URLs (`urls` and
`reports_urls`, included by hub/urls.py). The rules are in sites/scoping.py.
tests/security/test_isolation_matrix.py checks each address resolves here and refuses or narrows.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.cache import never_cache

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
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views import bulk_actions as document_bulk_actions
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views import bulk_actions as image_bulk_actions
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns
from wagtail_localize.views.report import TranslationsReportView

from . import roles, scoping

# --- Reports -----------------------------------------------------------------------------------


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

# Mounted by a register_admin_urls hook (sites/hooks/scoping.py): wagtail-localize's report is
# itself a hook's URL, so ours only needs to come first.
translations_report_urls = [
    path("", SiteScopedTranslationsReportView.as_view(), name="translations_report"),
    path(
        "results/",
        SiteScopedTranslationsReportView.as_view(results_only=True),
        name="translations_report_results",
    ),
]


# --- The page chooser's "chosen" step ---------------------------------------------------------


class SiteScopedChosenMultipleView(page_chooser.ChosenMultipleView):
    """Wagtail's view answers the title, parent and URL of any page id in the query string, with
    no permission check (and no construct_page_chooser_queryset hook): the ids of pages outside
    the user's sites are dropped before it reads them."""

    def get(self, request):
        asked = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
        known = scoping.choosable_pages(request.user, Page.objects.filter(pk__in=asked))
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in known.values_list("pk", flat=True)])
        return super().get(request)


# Wagtail mounts the view in its own URLconf (not through a viewset or a hook): hub/urls.py
# mounts this list under admin/ ahead of Wagtail's admin URLs, at the same path and URL name,
# decorated as Wagtail decorates its own.
urls = decorate_urlpatterns(
    decorate_urlpatterns(
        [
            path(
                "choose-page/chosen-multiple/",
                SiteScopedChosenMultipleView.as_view(),
                name="wagtailadmin_choose_page_chosen_multiple",
            ),
        ],
        require_admin_access,
    ),
    never_cache,
)


# --- Pages' own views: the move confirmation and the workflow views ----------------------------


class SiteScopedMoveConfirmView(MoveConfirmView):
    """Wagtail's move confirmation showed the title and latest draft title of any page, moved
    anywhere, to any admin user: both pages must be ones the user may browse."""

    def dispatch(self, request, page_to_move_id, destination_id, *args, **kwargs):
        for pk in (page_to_move_id, destination_id):
            if not scoping.may_browse_page(request.user, get_object_or_404(Page, pk=pk)):
                raise PermissionDenied
        return super().dispatch(request, page_to_move_id, destination_id, *args, **kwargs)


class OwnSitesWorkflowMixin:
    """Wagtail's workflow views of a page (action, its form, cancellation, task preview) tell
    anyone that "the page '<latest title>' is not currently awaiting moderation" before checking
    any permission: a page of another site is refused first (self.object is read in setup())."""

    def dispatch(self, request, *args, **kwargs):
        if not scoping.may_browse_page(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SiteScopedWorkflowActionView(OwnSitesWorkflowMixin, page_workflow.WorkflowActionView):
    pass


class SiteScopedCollectWorkflowActionDataView(
    OwnSitesWorkflowMixin, page_workflow.CollectWorkflowActionDataView
):
    pass


class SiteScopedConfirmWorkflowCancellationView(
    OwnSitesWorkflowMixin, page_workflow.ConfirmWorkflowCancellationView
):
    pass


class SiteScopedPreviewRevisionForTaskView(
    OwnSitesWorkflowMixin, page_workflow.PreviewRevisionForTaskView
):
    pass


class SiteScopedPageViewSet(PageViewSet):
    """Every page type's views come from this viewset (registered for Page by
    sites/hooks/scoping.py, in place of Wagtail's): Wagtail's page URLs
    (admin/pages/workflow/..., admin/pages/<id>/move/...) reach these classes."""

    move_confirm_view_class = SiteScopedMoveConfirmView
    workflow_action_view_class = SiteScopedWorkflowActionView
    collect_workflow_action_data_view_class = SiteScopedCollectWorkflowActionDataView
    confirm_workflow_cancellation_view_class = SiteScopedConfirmWorkflowCancellationView
    workflow_preview_view_class = SiteScopedPreviewRevisionForTaskView


# --- Images and documents of the admin API -----------------------------------------------------


class SiteScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return scoping.visible_media(self.request.user, super().get_queryset())


class SiteScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return scoping.visible_media(self.request.user, super().get_queryset())


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


def _own_sites(action, visible):
    attributes = {"visible": staticmethod(visible), "__module__": __name__}
    return type(action.__name__, (OwnSitesBulkActionMixin, action), attributes)


# Every bulk action Wagtail registers for pages, images and documents (its wagtail_hooks.py
# modules), each with the narrowing of what the user may know of. A bulk action Wagtail adds in
# an upgrade is not narrowed until it is listed here: tests/security/test_isolation_flows.py opens
# every registered action's confirmation and fails on one that names another site's item.
OWN_SITES_BULK_ACTIONS = tuple(
    _own_sites(action, visible)
    for visible, actions in (
        (
            scoping.choosable_pages,
            (
                page_bulk_actions.DeleteBulkAction,
                page_bulk_actions.MoveBulkAction,
                page_bulk_actions.PublishBulkAction,
                page_bulk_actions.UnpublishBulkAction,
            ),
        ),
        (
            scoping.visible_media,
            (
                image_bulk_actions.AddTagsBulkAction,
                image_bulk_actions.AddToCollectionBulkAction,
                image_bulk_actions.DeleteBulkAction,
                document_bulk_actions.AddTagsBulkAction,
                document_bulk_actions.AddToCollectionBulkAction,
                document_bulk_actions.DeleteBulkAction,
            ),
        ),
    )
    for action in actions
)
