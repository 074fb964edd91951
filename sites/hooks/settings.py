"""Admin wiring of the site settings' roles (rules in sites/settings_roles.py): a POST from a
user who may change no part of a site's settings is refused before Wagtail saves anything."""

from django.core.exceptions import PermissionDenied

from wagtail import hooks

from .. import settings_roles
from ..models import SiteSettings


@hooks.register("before_edit_setting")
def refuse_saving_read_only_settings(request, instance):
    if (
        request.method == "POST"
        and isinstance(instance, SiteSettings)
        and not settings_roles.may_change_settings(request.user, instance.site)
    ):
        raise PermissionDenied
