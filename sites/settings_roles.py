"""Who may change which part of a site's settings (issue 19, item 6).

Every member of a site's team opens its settings: Wagtail's settings permission
(GroupSitePermission change_sitesettings, granted to the editors, moderators and administrators
groups by sites.roles.grant_site_roles) lets them in, and scopes them to their own sites. What
each may change is decided here, by part:
- the comment policy (COMMENT_POLICY): the site's moderators and administrators;
- everything else (branding, contact, policy pages, sharing): its administrators;
- editors read them all.
Network administrators change everything. A field nobody listed belongs to the administrators.

`SiteSettingsForm` (SiteSettings.base_form_class) disables the fields the user may not change,
so that Django ignores what is posted for them, and refuses a POST that tries to change one
anyway; sites/hooks/settings.py refuses the POST of a user who may change nothing.
"""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import roles
from .choosable import ChoosableReferencesModelForm

SITE = "site"  # branding, contact, policy pages, sharing
COMMENTS = "comments"  # the comment policy
PARTS = frozenset({SITE, COMMENTS})

COMMENT_POLICY = (
    "comments_enabled",
    "comment_moderation",
    "comments_close_after_days",
    "blocked_words",
    "blocked_domains",
    "blocked_email_domains",
)


def part_of(field_name):
    return COMMENTS if field_name in COMMENT_POLICY else SITE


def parts_for_user(user, site):
    """The parts of the site's settings the user may change; an empty set: they read them."""
    if user is None or site is None:
        return frozenset()
    if roles.is_network_admin(user) or roles.has_role(user, site, roles.ADMINISTRATOR):
        return PARTS
    if roles.has_role(user, site, roles.MODERATOR):
        return frozenset({COMMENTS})
    return frozenset()


def may_change_settings(user, site):
    """Whether the user may change any part of the site's settings (else they only read them)."""
    return bool(parts_for_user(user, site))


class LockedChoice(forms.Widget):
    """What a locked image or page field shows: the chosen object's title. Wagtail's choosers
    ignore `disabled` (their button still opens the chooser); an <output> is labelable."""

    def __init__(self, model, attrs=None):
        super().__init__(attrs)
        self.model = model

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.model._default_manager.filter(pk=value).first() if value else None
        element_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<output id="{}" name="{}">{}</output>', element_id, name, chosen or _("Not set")
        )


class SiteSettingsForm(ChoosableReferencesModelForm):
    """The site settings' admin form, narrowed to what the editing user may change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = self.instance.site if self.instance.site_id else None
        self.parts = parts_for_user(self.for_user, site)
        self.locked = [name for name in self.fields if part_of(name) not in self.parts]
        for name in self.locked:
            field = self.fields[name]
            field.disabled = True
            if isinstance(field, forms.ModelChoiceField):
                field.widget = LockedChoice(field.queryset.model)

    @property
    def read_only(self):
        return not self.parts

    @property
    def role_note(self):
        """What the template says above the form when some of it is locked."""
        if self.parts == PARTS:
            return ""
        if self.parts == {COMMENTS}:
            return _(
                "As a moderator, you change the comment policy (Policies tab). Branding, contact, "
                "policy pages and sharing are changed by the site's administrators."
            )
        return _(
            "You may read these settings. The site's administrators change them; its "
            "moderators change the comment policy."
        )

    def _posted_change(self, name):
        """Whether the request carries a new value for this field: a browser sends nothing for
        a disabled field, so only a forged request does."""
        bound = self[name]
        if bound.html_name not in self.data:
            return False
        enabled = copy.copy(bound.field)  # a disabled field never reports a change
        enabled.disabled = False
        return enabled.has_changed(bound.initial, bound.data)

    def clean(self):
        cleaned_data = super().clean()
        forced = [name for name in self.locked if self._posted_change(name)]
        if forced:
            labels = ", ".join(capfirst(str(self.fields[name].label)) for name in forced)
            self.add_error(
                None,
                ValidationError(
                    _("You may not change: %(fields)s.") % {"fields": labels},
                    code="not_your_part",
                ),
            )
        return cleaned_data
