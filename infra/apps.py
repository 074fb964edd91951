from django.apps import AppConfig


class InfraConfig(AppConfig):
    """What every request goes through, whatever the apps: host names, proxies, the page cache,
    security headers, uploads, error pages, caches, throttles and health. It imports no app."""

    name = "infra"
    verbose_name = "Maillage infrastructure"
