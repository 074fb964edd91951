"""What a page tells readers and search engines about itself, for any page type.

- `page_versions`: the page's live translations, for the language switcher;
- `hreflang_alternates`: the same for hreflang links, on the page's own address only;
- `og_locale`: an Open Graph locale (fr_FR) from a language code;
- `absolute_url`: an address made absolute against the page's own (for og:image);
- `json_ld`: structured data in a <script type="application/ld+json"> no value can break out of.
"""

import json
from dataclasses import dataclass
from urllib.parse import urljoin

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language_info, to_locale

from wagtail.coreutils import get_content_languages
from wagtail.models import Page

from sites import network

register = template.Library()

# Open Graph wants a territory; to_locale() gives the rest ("de" -> "de").
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

# json_script's escapes: "</script>" or "<!--" in a title stays inside the JSON string.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class PageVersion:
    """One language in which a page exists."""

    language_code: str
    name: str  # in its own language: "Français", "English"
    url: str  # relative on the current site
    full_url: str
    is_current: bool
    is_default: bool  # the network's default language: the x-default alternate


def _site_languages(page, request=None):
    """Languages of the site holding `page` (sites.network: a translated home that is another
    Site's root is not one of them), from Wagtail's cached site root paths (no query; read once
    per request, as Wagtail's own page URLs do)."""
    site_ids = set(network.site_ids_holding(page.url_path or "", request))
    roots = network.site_root_paths(request)
    return {root.language_code for root in roots if root.site_id in site_ids}


def _page_versions(page, request):
    # A site in a single language cannot hold a translation of the page: no query at all.
    if not page.pk or len(_site_languages(page, request)) < 2:
        return []
    rows = (
        Page.objects.filter(translation_key=page.translation_key)
        .filter(Q(live=True) | Q(pk=page.pk))  # the current page even in a draft preview
        .select_related("locale")
    )
    order = list(get_content_languages())
    # Never a version on a site closed to the public (a draft, an archived site), unless it is
    # the page's own site (its team previewing a draft site).
    open_sites = network.public_site_ids(request) | {network.site_id_for_page(page, request)}
    versions = []
    for row in rows:
        code = row.locale.language_code
        full_url = row.get_full_url(request)
        if not full_url or network.site_id_for_page(row, request) not in open_sites:
            continue
        versions.append(
            PageVersion(
                language_code=code,
                name=capfirst(get_language_info(code)["name_local"]),
                url=row.get_url(request),
                full_url=full_url,
                is_current=row.pk == page.pk,
                is_default=code == settings.LANGUAGE_CODE,
            )
        )
    versions.sort(key=lambda v: order.index(v.language_code) if v.language_code in order else 99)
    return versions if len(versions) > 1 else []


@register.simple_tag(takes_context=True)
def page_versions(context, page=None):
    """The languages `page` (default: the context's page) exists in, live, as PageVersion.

    Empty when it exists in one language only. One query per request at most: the result is
    kept on the request, so that the head's hreflang links and the header's switcher share it.
    """
    page = page if page is not None else context.get("page")
    request = context.get("request")
    if not isinstance(page, Page) or request is None:
        return []
    memo = getattr(request, "_maillage_page_versions", None)
    if memo is None:
        memo = request._maillage_page_versions = {}
    key = (page.pk, page.translation_key)
    if key not in memo:
        memo[key] = _page_versions(page, request)
    return memo[key]


@register.simple_tag(takes_context=True)
def hreflang_alternates(context, page=None):
    """page_versions, when the request is for the page's own address: its other routes (a
    blog's category listing) have no translation of their own to point search engines at."""
    versions = page_versions(context, page)
    current = next((version for version in versions if version.is_current), None)
    if current is None or current.url != context["request"].path:
        return []
    return versions


@register.filter
def og_locale(language_code):
    """Open Graph locale of a language code: fr -> fr_FR, en -> en_GB."""
    code = str(language_code or settings.LANGUAGE_CODE)
    return OG_LOCALES.get(code, to_locale(code))


@register.filter
def absolute_url(url, base):
    """`url` made absolute against `base` (a page's full URL); absolute URLs pass unchanged."""
    if not url:
        return ""
    return urljoin(str(base or ""), str(url))


@register.filter
def json_ld(data):
    """`data` as a JSON-LD script element, escaped as json_script does."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Safe: <, > and & are escaped above the JSON level, so the text cannot close the element.
    escaped = mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308
    return format_html('<script type="application/ld+json">{}</script>', escaped)
