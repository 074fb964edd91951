from django.apps import AppConfig


class SitesConfig(AppConfig):
    """The network's sites. Labelled so that it can never clash with django.contrib.sites."""

    name = "sites"
    label = "maillage_sites"
    verbose_name = "Network sites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
