from django.apps import AppConfig

from wagtail.users.apps import WagtailUsersAppConfig


class SitesConfig(AppConfig):
    """The network's sites. Labelled so that it can never clash with django.contrib.sites."""

    name = "sites"
    label = "maillage_sites"
    verbose_name = "Network sites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the project's user editor (sites/users.py), replacing
    "wagtail.users" in INSTALLED_APPS, as Wagtail documents for a custom user viewset."""

    user_viewset = "sites.users.UserViewSet"
