"""Production: the base settings as they are (they fail closed without SECRET_KEY)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG

if DEBUG:
    raise ImproperlyConfigured("DEBUG must not be enabled with hub.settings.production.")
