"""The export of identification records in Wagtail's admin (comments.identification): a form
asking why and for which period, answering a CSV download, and the audit trail of past exports.

Only network administrators and superusers (comments.identification.may_export) reach it; anyone
else, site moderators included, gets a 403 page and no menu item.
"""

import datetime

from django import forms
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import conf, identification
from .models import IdentificationExport

URL_NAMESPACE = "comments_identification"


class ExportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        help_text=gettext_lazy("The legal request you answer (authority, reference, date)."),
    )
    since = forms.DateField(label=gettext_lazy("Posted from (included)"), required=False)
    until = forms.DateField(label=gettext_lazy("Posted until (included)"), required=False)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(gettext_lazy("The first day is after the last one."))
        return cleaned

    def period(self):
        """[since, until) as aware datetimes, in the local calendar (until's day included)."""

        def start_of(day):
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

        since, until = self.cleaned_data["since"], self.cleaned_data["until"]
        return (
            start_of(since) if since else None,
            start_of(until + datetime.timedelta(days=1)) if until else None,
        )


class ExportView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the form and the past exports; POST: the CSV, once the export is logged."""

    template_name = "comments/admin/identification.html"
    header_icon = "lock"
    page_title = gettext_lazy("Identification records")
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not identification.may_export(request.user):
            self.template_name = "comments/admin/identification_forbidden.html"
            return self.render_to_response(self.get_context_data(), status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if identification.may_export(self.request.user):
            context.update(
                days=conf.get("IDENTIFICATION_RETENTION_DAYS"),
                stored=identification.records_between().count(),
                exports=IdentificationExport.objects.all()[:20],
            )
        return context

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=ExportForm()))

    def post(self, request):
        form = ExportForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        since, until = form.period()
        text = identification.export_csv(
            user=request.user,
            username=request.user.get_username(),
            reason=form.cleaned_data["reason"],
            since=since,
            until=until,
        )
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="identification-records.csv"'
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [path("", ExportView.as_view(), name="export")]


class IdentificationMenuItem(MenuItem):
    def is_shown(self, request):
        return identification.may_export(request.user)


def menu_item():
    return IdentificationMenuItem(
        gettext_lazy("Identification records"),
        reverse(f"{URL_NAMESPACE}:export"),
        name="identification-records",
        icon_name="lock",
        order=261,
    )
