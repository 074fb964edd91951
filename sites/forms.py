"""The admin's "Add a site" form: the same questions, and the same answers, as `create_site`."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .factory import SiteRequest
from .models import SiteKind


def _languages():
    return settings.LANGUAGES


class AddSiteForm(forms.Form):
    """Collects a SiteRequest; the site factory's own validation decides what is acceptable, so
    the admin, the command and seed_demo can never disagree."""

    name = forms.CharField(label=_("Name"), max_length=100)
    hostname = forms.CharField(
        label=_("Host name"),
        max_length=255,
        help_text=_("Without http:// or port, e.g. bretagne.example.org"),
    )
    port = forms.IntegerField(
        label=_("Port"),
        initial=80,
        required=False,
        help_text=_("80 unless the site is served on an unusual port."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        required=False,
        help_text=_("Required for a regional site."),
    )
    theme = forms.CharField(
        label=_("Theme"),
        max_length=100,
        required=False,
        help_text=_("Required for a thematic platform."),
    )
    locale = forms.ChoiceField(
        label=_("Language"),
        choices=_languages,
        initial=settings.LANGUAGE_CODE,
        help_text=_("The language of the home page and of the default pages."),
    )

    def clean(self):
        cleaned_data = super().clean()
        self.site_request = SiteRequest(
            name=cleaned_data.get("name", ""),
            hostname=cleaned_data.get("hostname", ""),
            port=80 if cleaned_data.get("port") is None else cleaned_data["port"],
            kind=cleaned_data.get("kind", ""),
            region=cleaned_data.get("region", ""),
            theme=cleaned_data.get("theme", ""),
            locale=cleaned_data.get("locale", ""),
        )
        try:
            self.site_request.validate()
        except ValidationError as error:
            self.add_factory_errors(error)
        return cleaned_data

    def add_factory_errors(self, error):
        """Show the factory's messages next to the fields they are about (the factory names its
        fields like this form does); a field that already failed its own check keeps that one
        message, and anything else goes to the top of the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for field, messages in error.message_dict.items():
            if field in self.errors:
                continue
            self.add_error(field if field in self.fields else None, messages)
