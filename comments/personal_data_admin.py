"""Personal-data tools in Wagtail's admin, for those who see every site (network administrators,
superusers): what is tied to one e-mail address across all sites, its export, its erasure after a
confirmation step.

Who may use them is the moderation scope (COMMENTS_MODERATION_SCOPE): a user whose scope is every
page (None). Everyone else gets a 403 page and no menu item. The address travels only in POST
bodies, never in a URL (which servers log). Each export or erasure is recorded in Wagtail's log
(one entry per site concerned, shown in the site history report) and in the Python log, with
counts and the acting user only: never the address.
"""

import json
import logging

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as log_action

from . import moderation, personal_data
from .counts import counts_per_site, site_label

logger = logging.getLogger(__name__)

URL_NAMESPACE = "comments_personal_data"
EXPORT_ACTION = "comments.personal_data.export"
ERASE_ACTION = "comments.personal_data.erase"


def may_manage(user):
    """Only a user who sees the comments of every site (network administrator, superuser)."""
    return moderation.moderation_scope(user) is None


def url(name):
    return reverse(f"{URL_NAMESPACE}:{name}")


class AddressForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)


class ErasureForm(AddressForm):
    mode = forms.ChoiceField(
        label=gettext_lazy("Erase by"),
        choices=[
            (personal_data.ANONYMIZE, gettext_lazy("Anonymizing the comments")),
            (personal_data.DELETE, gettext_lazy("Deleting the comments")),
        ],
        widget=forms.RadioSelect,
    )


# --- log entries (Wagtail's history): counts only -------------------------------------------


class ExportFormatter(LogFormatter):
    label = gettext_lazy("Export personal data")

    def format_message(self, log_entry):
        count = log_entry.data.get("comments", 0)
        return ngettext(
            "Personal data exported: %(count)d comment",
            "Personal data exported: %(count)d comments",
            count,
        ) % {"count": count}


class ErasureFormatter(LogFormatter):
    label = gettext_lazy("Erase personal data")

    def format_message(self, log_entry):
        count = log_entry.data.get("comments", 0)
        if log_entry.data.get("mode") == personal_data.DELETE:
            text = ngettext(
                "Personal data erased: %(count)d comment deleted",
                "Personal data erased: %(count)d comments deleted",
                count,
            )
        else:
            text = ngettext(
                "Personal data erased: %(count)d comment anonymized",
                "Personal data erased: %(count)d comments anonymized",
                count,
            )
        return text % {"count": count}


def register_log_actions(actions):
    actions.register_action(EXPORT_ACTION)(ExportFormatter)
    actions.register_action(ERASE_ACTION)(ErasureFormatter)


def record(user, action, per_site, **data):
    """One Wagtail log entry per site concerned (counts only, titled by the site), and one line
    in the Python log; the address appears in neither."""
    for site, count in per_site:
        if site is not None:
            log_action(
                site,
                action,
                user=user,
                title=site_label(site),
                data={"comments": count, **data},
            )
    total = sum(count for _site, count in per_site)
    details = "".join(f", {key}={value}" for key, value in sorted(data.items()))
    logger.info("User %s: %s of one address, %d comments%s.", user.pk, action, total, details)


# --- views ------------------------------------------------------------------------------------


class PersonalDataMixin(WagtailAdminTemplateMixin):
    header_icon = "user"
    page_title = gettext_lazy("Personal data")

    def dispatch(self, request, *args, **kwargs):
        if not may_manage(request.user):
            # A plain 403 in the admin's layout (Wagtail would redirect to the dashboard).
            self.template_name = "comments/admin/personal_data_forbidden.html"
            return self.render_to_response(self.get_context_data(), status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class IndexView(PersonalDataMixin, TemplateView):
    """Enter an address (POST: it stays out of URLs), see what is tied to it per site."""

    template_name = "comments/admin/personal_data.html"
    http_method_names = ["get", "post"]

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=AddressForm()))

    def post(self, request):
        form = AddressForm(request.POST)
        context = {"form": form}
        if form.is_valid():
            email = form.cleaned_data["email"]
            context.update(
                email=email,
                summary=personal_data.summary(email),
                erasure_form=ErasureForm(initial={"email": email}),
            )
        return self.render_to_response(self.get_context_data(**context))


class ExportView(PersonalDataMixin, View):
    """POST: everything tied to the address, as a JSON download (IP addresses included)."""

    http_method_names = ["post"]

    def post(self, request):
        form = AddressForm(request.POST)
        if not form.is_valid():
            return redirect(url("index"))
        email = form.cleaned_data["email"]
        data = personal_data.export(email, request, technical=True)
        per_site = counts_per_site(personal_data.comments_of(email))
        record(request.user, EXPORT_ACTION, per_site)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        response["Cache-Control"] = "no-store"
        return response


class EraseView(PersonalDataMixin, TemplateView):
    """POST without `confirmed`: the confirmation page; with it: the erasure."""

    template_name = "comments/admin/personal_data_confirm.html"
    http_method_names = ["post"]
    page_title = gettext_lazy("Erase personal data")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": url("index"), "label": _("Personal data")},
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request):
        form = ErasureForm(request.POST)
        if not form.is_valid():
            return redirect(url("index"))
        email, mode = form.cleaned_data["email"], form.cleaned_data["mode"]
        if request.POST.get("confirmed") != "yes":
            context = {"form": form, "email": email, "mode": mode}
            context["summary"] = personal_data.summary(email)
            return self.render_to_response(self.get_context_data(**context))
        per_site = counts_per_site(personal_data.comments_of(email))
        result = personal_data.erase(email, mode)
        record(request.user, ERASE_ACTION, per_site, mode=mode)
        messages.success(request, erasure_message(result))
        return redirect(url("index"))


def erasure_message(result):
    if not result.total:
        return _("Nothing was tied to this address any more.")
    parts = []
    if result.anonymized:
        parts.append(
            ngettext(
                "%(count)d comment anonymized.", "%(count)d comments anonymized.", result.anonymized
            )
            % {"count": result.anonymized}
        )
    if result.deleted:
        parts.append(
            ngettext("%(count)d comment deleted.", "%(count)d comments deleted.", result.deleted)
            % {"count": result.deleted}
        )
    if result.tombstoned:
        parts.append(
            ngettext(
                "%(count)d comment removed; the replies of others stay under “Comment removed”.",
                "%(count)d comments removed; the replies of others stay under “Comment removed”.",
                result.tombstoned,
            )
            % {"count": result.tombstoned}
        )
    return " ".join(parts)


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("export/", ExportView.as_view(), name="export"),
    path("erase/", EraseView.as_view(), name="erase"),
]


class PersonalDataMenuItem(MenuItem):
    """Shown only to those who may use the tools."""

    def is_shown(self, request):
        return may_manage(request.user)


def menu_item():
    return PersonalDataMenuItem(
        gettext_lazy("Personal data"),
        url("index"),
        name="personal-data",
        icon_name="user",
        order=260,
    )
