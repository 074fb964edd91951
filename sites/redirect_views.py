"""Wagtail's redirect admin, narrowed to the sites each user works on.

Thin subclasses of wagtail.contrib.redirects.views; the rules (which redirects a user manages,
who may redirect on every site) are in sites/scoping.py. sites/hooks/scoping.py mounts these
views at /admin/redirects/ ahead of Wagtail's own.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.redirects import views as wagtail_views
from wagtail.contrib.redirects.filters import RedirectsReportFilterSet
from wagtail.contrib.redirects.forms import RedirectForm
from wagtail.models import Site

import django_filters

from . import scoping


class SiteScopedRedirectForm(RedirectForm):
    """Offers only the user's sites; "All sites" only to network administrators."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not scoping.may_redirect_all_sites(user):
            site_field = self.fields["site"]
            site_field.queryset = scoping.redirect_sites(user)
            site_field.required = True
            site_field.empty_label = None
            site_field.help_text = _("Redirects apply to one of your sites.")


def _sites_for_filter(request):
    if request is None:
        return Site.objects.none()
    if scoping.may_redirect_all_sites(request.user):
        return Site.objects.all()
    return scoping.redirect_sites(request.user)


class SiteScopedRedirectsFilterSet(RedirectsReportFilterSet):
    site = django_filters.ModelChoiceFilter(
        field_name="site", label=_("Site"), queryset=_sites_for_filter
    )


class IndexView(wagtail_views.IndexView):
    filterset_class = SiteScopedRedirectsFilterSet

    def get_base_queryset(self):
        return scoping.manageable_redirects(self.request.user, super().get_base_queryset())

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if scoping.may_redirect_all_sites(self.request.user):
            return buttons
        # Importing is for network administrators (see import_view below).
        import_url = reverse("wagtailredirects:start_import")
        return [button for button in buttons if button.url != import_url]


class CreateView(wagtail_views.CreateView):
    form_class = SiteScopedRedirectForm


class EditView(wagtail_views.EditView):
    form_class = SiteScopedRedirectForm

    def get_object(self, queryset=None):
        redirect = super().get_object(queryset)
        if not self.user_has_permission_for_instance("change", redirect):
            raise PermissionDenied
        return redirect


class DeleteView(wagtail_views.DeleteView):
    def get_object(self, queryset=None):
        redirect = super().get_object(queryset)
        if not self.user_has_permission_for_instance("delete", redirect):
            raise PermissionDenied
        return redirect


def network_administrators_only(view):
    """Importing lets the file choose the site ("All sites" included), so it is kept for network
    administrators; a site's team adds its redirects one by one."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not scoping.may_redirect_all_sites(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


start_import = network_administrators_only(wagtail_views.start_import)
process_import = network_administrators_only(wagtail_views.process_import)

app_name = "maillage_redirects"
urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("results/", IndexView.as_view(results_only=True), name="index_results"),
    path("add/", CreateView.as_view(), name="add"),
    path("<int:redirect_id>/", EditView.as_view(), name="edit"),
    path("<int:redirect_id>/delete/", DeleteView.as_view(), name="delete"),
    path("import/", start_import, name="start_import"),
    path("import/process/", process_import, name="process_import"),
]
