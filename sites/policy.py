"""A page's comment policy from its site's settings: what comments/ asks via COMMENTS_POLICY."""

from types import SimpleNamespace

from wagtail.models import Page

from .models import SiteSettings
from .roles import site_for_page


def _settings_for_page(page):
    """The settings of the page's site in one query (site_for_page then for_site take three);
    None when the page belongs to no site."""
    if page.depth < 2:
        return None
    home_key = Page.objects.filter(path=page.path[: 2 * Page.steplen]).values("translation_key")
    found = (
        SiteSettings.objects.select_related("privacy_page")
        .filter(site__root_page__translation_key__in=home_key[:1])
        .first()
    )
    if found is not None:
        return found
    site = site_for_page(page)  # a site whose settings were never saved: create them
    return SiteSettings.for_site(site) if site is not None else None


def comment_policy_for_page(page):
    """Closed when the page belongs to no site; otherwise the site's comment settings."""
    site_settings = _settings_for_page(page)
    if site_settings is None:
        return SimpleNamespace(
            enabled=False, moderation="all", close_after_days=None, privacy_url=""
        )
    privacy_page = site_settings.privacy_page
    return SimpleNamespace(
        enabled=site_settings.comments_enabled,
        moderation=site_settings.comment_moderation,
        close_after_days=site_settings.comments_close_after_days,
        privacy_url=privacy_page.url if privacy_page is not None and privacy_page.live else "",
    )
