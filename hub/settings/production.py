"""Production: the base settings as they are. Fails closed without SECRET_KEY or ALLOWED_HOSTS."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEBUG

if DEBUG:
    raise ImproperlyConfigured("DEBUG must not be enabled with hub.settings.production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set: list every site's host name, comma-separated "
        "(a leading dot matches subdomains, e.g. .example.org)."
    )
