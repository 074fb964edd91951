"""A page's comment policy from its site's settings: what comments/ asks via COMMENTS_POLICY."""

from types import SimpleNamespace

from django.db.models import Subquery
from django.utils import translation
from django.utils.functional import cached_property

from wagtail.models import Page

from . import network
from .models import NetworkCommentSettings, SiteSettings

BLOCKLISTS = ("blocked_words", "blocked_domains", "blocked_email_domains")
# What comment_policy_for_page reads of the site's settings and privacy page (its URL needs only
# url_path).
POLICY_FIELDS = (
    "comments_enabled",
    "comment_moderation",
    "comments_close_after_days",
    *BLOCKLISTS,
    "privacy_page__live",
    "privacy_page__url_path",
    "privacy_page__translation_key",
    "privacy_page__locale__language_code",
)


def _network_lists():
    """The network's blocklists as columns of the site settings' query: no query of their own."""
    network = NetworkCommentSettings.objects.order_by("pk")
    return {f"network_{name}": Subquery(network.values(name)[:1]) for name in BLOCKLISTS}


def _settings_for_page(page):
    """The settings of the page's site, with the network's blocklists, in one query
    (for_site alone takes two); None when the page belongs to no site (sites.network)."""
    site_id = network.site_id_for_page(page)
    if site_id is None:
        return None
    found = (
        SiteSettings.objects.select_related("privacy_page__locale")
        .only(*POLICY_FIELDS)  # every comment POST runs this query: no column it does not read
        .annotate(**_network_lists())
        .filter(site_id=site_id)
        .first()
    )
    if found is not None:
        return found
    site = network.site_for_page(page)  # a site whose settings were never saved: create them
    if site is None:
        return None
    site_settings = SiteSettings.for_site(site)
    shared = NetworkCommentSettings.base_queryset().first()  # read only: nothing saved on a view
    for name in BLOCKLISTS:
        setattr(site_settings, f"network_{name}", getattr(shared, name, ""))
    return site_settings


def parse_lines(*texts):
    """Entries of one-per-line text fields: stripped, lowercased, without blanks nor repeats."""
    entries = (line.strip().lower() for text in texts for line in (text or "").splitlines())
    return tuple(dict.fromkeys(entry for entry in entries if entry))


class SitePolicy(SimpleNamespace):
    """A site's comment policy. The privacy page's URL is worked out when first read (the form
    shows it; an accepted comment POST never reads it), in the language active when the policy
    was made: the URL the policy would have held from the start."""

    def __init__(self, privacy_page, **fields):
        super().__init__(**fields)
        self._privacy = (privacy_page, translation.get_language())

    @cached_property
    def privacy_url(self):
        page, language = self._privacy
        if page is None or not page.live:
            return ""
        if language and page.locale.language_code != language:
            # the English form links to the English policy (one query, forms only), else to the
            # site's own
            translated = (
                Page.objects.live()
                .filter(translation_key=page.translation_key, locale__language_code=language)
                .only("url_path", "live")
                .first()
            )
            page = translated or page
        with translation.override(language):
            return page.url


def comment_policy_for_page(page):
    """Closed when the page belongs to no site or to one not open to the public (a draft, an
    archived site: sites.lifecycle); otherwise the site's comment settings, with the site's
    blocklists plus the network's."""
    site_id = network.site_id_for_page(page)
    public = site_id is not None and network.site_life(site_id)[0] in network.PUBLIC_STATUSES
    site_settings = _settings_for_page(page) if public else None
    if site_settings is None:
        return SimpleNamespace(
            enabled=False,
            moderation="all",
            close_after_days=None,
            privacy_url="",
            **dict.fromkeys(BLOCKLISTS, ()),
        )
    return SitePolicy(
        site_settings.privacy_page,
        enabled=site_settings.comments_enabled,
        moderation=site_settings.comment_moderation,
        close_after_days=site_settings.comments_close_after_days,
        **{
            name: parse_lines(
                getattr(site_settings, name), getattr(site_settings, f"network_{name}")
            )
            for name in BLOCKLISTS
        },
    )
