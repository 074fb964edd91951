"""Admin views of the network: the sites dashboard, "Add a site" and a site's launch checklist.

Thin on purpose: the site factory, sites/checklist.py and sites/dashboard.py hold the rules, and
sites/roles.py says who may see what.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import (
    BaseColumn,
    ButtonsColumnMixin,
    Column,
    DateColumn,
    NumberColumn,
    TitleColumn,
)
from wagtail.admin.views.generic import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.models import Site

import django_filters

from . import dashboard, lifecycle, roles
from .checklist import launch_checklist
from .factory import create_site
from .forms import AddSiteForm
from .models import SiteKind, SiteStatus

NETWORK_BREADCRUMB = {
    "url": reverse_lazy("maillage_network:sites"),
    "label": gettext_lazy("Network"),
}


def forbidden(request):
    """A 403 in the admin's look. (Raising PermissionDenied would make Wagtail redirect to the
    admin home instead, which hides the refusal from clients and tests alike.)"""
    return TemplateResponse(
        request,
        "maillage_sites/admin/forbidden.html",
        {"header_title": _("Access denied"), "page_title": _("Access denied")},
        status=403,
    )


class RestrictedMixin:
    """Views answer 403 to users for whom `user_may_access` is false."""

    def dispatch(self, request, *args, **kwargs):
        if not self.user_may_access(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def user_may_access(self, user):
        raise NotImplementedError


# --- Dashboard ------------------------------------------------------------------------------


class SiteFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"),
        field_name="profile__kind",
        choices=SiteKind.choices,
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = Site
        fields = []


def dashboard_buttons(site, user):
    """The dashboard's buttons of a site's life, for network administrators."""
    if not lifecycle.may_archive_or_delete(user):
        return []
    profile = getattr(site, "profile", None)
    if profile is None:
        return []
    if profile.status == SiteStatus.ARCHIVED:
        return [
            ListingButton(
                _("Bring the site back"),
                url=reverse("maillage_network:site_unarchive", args=[site.pk]),
                icon_name="undo",
                priority=40,
            ),
            ListingButton(
                _("Delete the site"),
                url=reverse("maillage_network:site_delete", args=[site.pk]),
                icon_name="bin",
                priority=50,
            ),
        ]
    return [
        ListingButton(
            _("Archive the site"),
            url=reverse("maillage_network:site_archive", args=[site.pk]),
            icon_name="folder-inverse",
            priority=40,
        )
    ]


class SiteTitleColumn(ButtonsColumnMixin, TitleColumn):
    def get_buttons(self, instance, parent_context):
        return [
            ListingButton(
                _("Pages"), url=instance.explore_url, icon_name="folder-open-inverse", priority=10
            ),
            ListingButton(_("Settings"), url=instance.settings_url, icon_name="cog", priority=20),
            ListingButton(
                _("Launch checklist"), url=instance.checklist_url, icon_name="tasks", priority=30
            ),
            *dashboard_buttons(instance.site, parent_context["request"].user),
        ]


class ChecklistColumn(BaseColumn):
    cell_template_name = "maillage_sites/admin/checklist_cell.html"


class ModeratorsColumn(BaseColumn):
    """How many moderators the site has, or, with none, a warning in words saying who gets its
    pending comments instead (roles.moderators_for_page)."""

    cell_template_name = "maillage_sites/admin/moderators_cell.html"


class SitesDashboardView(RestrictedMixin, BaseListingView):
    """Every site the user works on, with its activity; network administrators see them all."""

    page_title = gettext_lazy("Network")
    header_icon = "site"
    paginate_by = 50
    index_url_name = "maillage_network:sites"
    index_results_url_name = "maillage_network:sites_results"
    filterset_class = SiteFilterSet
    default_ordering = dashboard.DEFAULT_ORDERING
    verbose_name = gettext_lazy("site")
    verbose_name_plural = gettext_lazy("sites")

    def user_may_access(self, user):
        return roles.is_network_admin(user) or roles.sites_for_user(user).exists()

    @cached_property
    def columns(self):
        columns = [
            SiteTitleColumn(
                "name", label=_("Site"), sort_key="name", get_url=lambda row: row.explore_url
            ),
            Column("kind_label", label=_("Kind"), sort_key="kind"),
            Column("status_label", label=_("Status"), sort_key="status"),
            Column("host", label=_("Host name"), sort_key="hostname"),
            NumberColumn("live_pages", label=_("Live pages"), sort_key="live_pages"),
            NumberColumn(
                "recent_posts",
                label=_("Posts, last %(days)s days") % {"days": dashboard.RECENT_DAYS},
                sort_key="recent_posts",
            ),
        ]
        if dashboard.pending_comments_counter():
            columns.append(
                NumberColumn(
                    "pending_comments",
                    label=_("Comments awaiting moderation"),
                    sort_key="pending_comments",
                )
            )
        columns += [
            ModeratorsColumn("moderators", label=_("Moderators")),
            DateColumn(
                "last_published_at", label=_("Last publication"), sort_key="last_published_at"
            ),
            ChecklistColumn("checklist", label=_("Launch checklist"), sort_key="checklist"),
        ]
        return columns

    def get_base_queryset(self):
        return roles.sites_for_user(self.request.user)

    def get_queryset(self):
        sites = self.filter_queryset(self.get_base_queryset())
        return dashboard.order_rows(dashboard.site_rows(sites), self.ordering)

    def get_header_buttons(self):
        if not roles.is_network_admin(self.request.user):
            return []
        return [
            HeaderButton(
                _("Add a site"), url=reverse("maillage_network:add_site"), icon_name="plus"
            )
        ]


# --- Add a site -----------------------------------------------------------------------------


class AddSiteView(RestrictedMixin, WagtailAdminTemplateMixin, FormView):
    """The admin's face of the site factory, for network administrators only."""

    template_name = "maillage_sites/admin/add_site.html"
    form_class = AddSiteForm
    page_title = gettext_lazy("Add a site")
    header_icon = "site"

    def user_may_access(self, user):
        return roles.is_network_admin(user)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, NETWORK_BREADCRUMB, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("maillage_network:add_site"),
            submit_button_label=_("Create the site"),
            submit_button_active_label=_("Creating…"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            site = create_site(form.site_request)
        except ValidationError as error:
            # Checked again inside the factory's transaction: someone may have taken the host
            # name in the meantime.
            form.add_factory_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The site “%(name)s” was created. Here is what it still needs before launch.")
            % {"name": site.site_name},
        )
        return redirect("maillage_network:checklist", site.pk)

    def form_invalid(self, form):
        messages.validation_error(
            self.request, _("The site could not be created because of errors."), form
        )
        return super().form_invalid(form)


# --- Launch checklist -----------------------------------------------------------------------


class ChecklistView(RestrictedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A site's launch checklist, for network administrators and the site's own team."""

    template_name = "maillage_sites/admin/checklist.html"
    header_icon = "tasks"

    def user_may_access(self, user):
        if roles.is_network_admin(user):
            return True
        return roles.sites_for_user(user, roles.EDITOR).filter(pk=self.kwargs["site_id"]).exists()

    @cached_property
    def site(self):
        return get_object_or_404(Site, pk=self.kwargs["site_id"])

    def get_page_title(self):
        return _("Launch checklist")

    def get_page_subtitle(self):
        return self.site.site_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            NETWORK_BREADCRUMB,
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        profile = getattr(self.site, "profile", None)
        return super().get_context_data(
            site=self.site,
            checklist=launch_checklist(self.site),
            status=profile.get_status_display() if profile else "",
            may_launch=profile is not None
            and profile.status == SiteStatus.DRAFT
            and lifecycle.may_launch(self.request.user, self.site),
            **kwargs,
        )
