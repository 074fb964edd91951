"""Admin wiring of the e-mail change confirmation (rules in sites/accounts.py): the "E-mail
address" panel of Wagtail's account settings and the page its mailed link leads to."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.account import BaseSettingsPanel

from .. import accounts


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=gettext_lazy("New e-mail address"),
        max_length=254,
        help_text=gettext_lazy("It changes once you follow the link mailed to it."),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_new_email(self):
        return accounts.validate_new(self.request.user, self.cleaned_data["new_email"])

    def save(self):
        accounts.request_change(self.request.user, self.cleaned_data["new_email"])
        messages.info(
            self.request,
            _("A confirmation link was sent to %(email)s: your address changes when you open it.")
            % {"email": self.cleaned_data["new_email"]},
        )


class EmailSettingsPanel(BaseSettingsPanel):
    name = "email"
    title = gettext_lazy("E-mail address")
    order = 150
    template_name = "maillage_sites/account/email_panel.html"
    form_class = EmailChangeForm

    def get_form(self):
        # Bound only when an address is typed, like Wagtail's password panel.
        data = None
        if self.request.method == "POST" and self.request.POST.get(f"{self.name}-new_email"):
            data = self.request.POST
        return EmailChangeForm(self.request, data, prefix=self.name)

    def get_context_data(self):
        return {"form": self.get_form(), "current": self.user.email}


@hooks.register("register_account_settings_panel")
def register_email_panel(request, user, profile):
    return EmailSettingsPanel(request, user, profile)


def confirm_email(request, token):
    """GET shows the address to confirm; POST changes it."""
    context = {"page_title": _("Confirm your new e-mail address"), "header_icon": "mail"}
    try:
        email = accounts.read_change(token, request.user)
        if request.method == "POST":
            accounts.confirm_change(token, request.user)
            messages.success(request, _("Your e-mail address is now %(email)s.") % {"email": email})
            return redirect("wagtailadmin_account")
    except (ValidationError, PermissionDenied) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        return TemplateResponse(
            request,
            "maillage_sites/account/email_confirm.html",
            {**context, "error": message},
            status=403 if isinstance(error, PermissionDenied) else 400,
        )
    return TemplateResponse(
        request, "maillage_sites/account/email_confirm.html", {**context, "email": email}
    )


@hooks.register("register_admin_urls")
def register_account_urls():
    urls = [path("email/<str:token>/", confirm_email, name="confirm_email")]
    return [path("account/", include((urls, "maillage_account")))]
