"""Admin views of a site's life (sites.lifecycle): launch from the checklist; archive, bring back
and delete from the network dashboard. Thin: the rules and who may act are in sites.lifecycle."""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Site

from . import lifecycle
from .admin_views import NETWORK_BREADCRUMB, RestrictedMixin
from .models import SiteStatus


class SiteLifeMixin(RestrictedMixin, WagtailAdminTemplateMixin):
    header_icon = "site"

    @cached_property
    def site(self):
        return get_object_or_404(Site.objects.select_related("profile"), pk=self.kwargs["site_id"])

    def user_may_access(self, user):
        return lifecycle.may_archive_or_delete(user)

    def get_page_subtitle(self):
        return self.site.site_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            NETWORK_BREADCRUMB,
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def act(self, action, success):
        try:
            action()
        except lifecycle.SiteLifeError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(self.request, success % {"name": self.site.site_name})
        return redirect("maillage_network:sites")


class LaunchView(SiteLifeMixin, TemplateView):
    """POST only (the button is on the checklist): the site's administrators and the network
    administrators."""

    http_method_names = ["post"]

    def user_may_access(self, user):
        return lifecycle.may_launch(user, self.site)

    def post(self, request, *args, **kwargs):
        try:
            lifecycle.launch(self.site, request.user)
        except lifecycle.SiteLifeError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(name)s” is launched: it is open to the public.")
                % {"name": self.site.site_name},
            )
        return redirect("maillage_network:checklist", self.site.pk)


class ArchiveForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Visitors of the archived site"),
        choices=[
            ("gone", gettext_lazy("are told the site is gone (410)")),
            ("redirect", gettext_lazy("are sent to the head site's home page")),
        ],
        initial="gone",
        widget=forms.RadioSelect,
    )


class ArchiveView(SiteLifeMixin, TemplateView):
    template_name = "maillage_sites/admin/site_archive.html"
    page_title = gettext_lazy("Archive a site")

    def get_page_title(self):
        return _("Archive a site")

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ArchiveForm()
        return super().get_context_data(site=self.site, form=form, **kwargs)

    def post(self, request, *args, **kwargs):
        form = ArchiveForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        to_head = form.cleaned_data["answer"] == "redirect"
        return self.act(
            lambda: lifecycle.archive(self.site, request.user, redirect_to_head=to_head),
            _("“%(name)s” is archived: its pages are no longer published; nothing was deleted."),
        )


class UnarchiveView(SiteLifeMixin, TemplateView):
    template_name = "maillage_sites/admin/site_unarchive.html"

    def get_page_title(self):
        return _("Bring back a site")

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.site, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.act(
            lambda: lifecycle.unarchive(self.site, request.user),
            _("“%(name)s” is back."),
        )


class DeleteSiteView(SiteLifeMixin, TemplateView):
    """The confirmation names what goes (lifecycle.what_goes); only its POST deletes."""

    template_name = "maillage_sites/admin/site_delete.html"

    def get_page_title(self):
        return _("Delete a site")

    def get_context_data(self, **kwargs):
        archived = self.site.profile.status == SiteStatus.ARCHIVED
        return super().get_context_data(
            site=self.site,
            archived=archived,
            gone=lifecycle.what_goes(self.site) if archived else [],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        name = self.site.site_name
        try:
            lifecycle.delete_site(self.site, request.user)
        except lifecycle.SiteLifeError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("maillage_network:site_delete", self.site.pk)
        messages.success(
            request, _("“%(name)s” and everything it held were deleted.") % {"name": name}
        )
        return redirect("maillage_network:sites")
