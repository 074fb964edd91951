"""The map of the network: which site is this page on, which pages are this site's.

One meaning everywhere: a site is its root (home) page and every translation of it, except a
translation that is itself another Site's root page (then it is that Site's home, and only
its); the site's pages are its homes and their descendants. When several Sites' roots are
translations of one another, a translation that is no Site's root goes to the oldest of them.
Two Sites on the same root page (two host names for one site) hold the same pages; the page is
then the default site's, or the oldest one's.

Everything that asks (roles and scoping, the dashboard and comment counts, syndication, search,
the page cache's tags, hreflang, the checklist, the comments' site key) asks here.

The map costs two queries to build (the Sites, the pages sharing their root pages' translation
keys) and is then kept in the default cache and, for a few seconds, in the process. It is rebuilt
when Wagtail's site root paths change (a Site, a home page or a translation of it added, moved or
removed: Wagtail clears its cache then) and when a Site is saved or deleted
(sites.signal_handlers); with a request, it is read once per request.
"""

import time
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db.models import Q

from wagtail.models import Page, Site

from infra.hosts import site_root_paths as _wagtail_root_paths

CACHE_KEY = "maillage:network-map"
CACHE_SECONDS = 3600
PROCESS_SECONDS = 5
_REQUEST_ATTRIBUTE = "_maillage_network_map"

_SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")


@dataclass(frozen=True)
class Home:
    """One home page of a site: its root page or a translation of it that belongs to it."""

    site_id: int
    page_id: int
    path: str
    url_path: str
    locale_id: int


@dataclass(frozen=True)
class NetworkMap:
    fingerprint: tuple
    sites: dict  # site id -> tuple of the values of _SITE_FIELDS
    homes: tuple  # every Home, the deepest first (the most specific match wins)

    def homes_of(self, site_id):
        return [home for home in self.homes if home.site_id == site_id]

    def home_for_path(self, path):
        """The Home holding the page at this tree path (the deepest, then the preferred site)."""
        return next((home for home in self.homes if path.startswith(home.path)), None)

    def site_ids_holding(self, url_path):
        """The ids of the sites holding this url_path, the most specific first."""
        ids = []
        for home in self.homes_by_url_path:
            if url_path.startswith(home.url_path) and home.site_id not in ids:
                ids.append(home.site_id)
        return ids

    @property
    def homes_by_url_path(self):
        return sorted(self.homes, key=lambda home: -len(home.url_path))

    def site(self, site_id):
        values = self.sites.get(site_id)
        if values is None:
            return None
        return Site.from_db("default", _SITE_FIELDS, values)


def _build(fingerprint):
    rows = list(Site.objects.values_list(*_SITE_FIELDS, "root_page__translation_key"))
    sites = {row[0]: row[: len(_SITE_FIELDS)] for row in rows}
    # The preferred Site first: the default site, then the oldest.
    order = sorted(rows, key=lambda row: (not row[5], row[0]))
    by_root = {}
    by_key = {}
    for row in order:
        by_root.setdefault(row[4], []).append(row[0])
        by_key.setdefault(row[6], []).append(row[0])
    pages = Page.objects.filter(translation_key__in=list(by_key)).values_list(
        "pk", "path", "url_path", "translation_key", "locale_id"
    )
    homes = []
    for pk, path, url_path, key, locale_id in pages:
        if pk in by_root:
            owners = by_root[pk]  # a Site's root: that Site's (every Site on it)
        else:
            oldest = min(by_key[key])  # a translation: the oldest Site whose root it translates
            owners = [oldest]
        homes.extend(Home(site_id, pk, path, url_path, locale_id) for site_id in owners)
    rank = {row[0]: index for index, row in enumerate(order)}
    homes.sort(key=lambda home: (-len(home.path), rank[home.site_id]))
    return NetworkMap(fingerprint=fingerprint, sites=sites, homes=tuple(homes))


_in_process = {"map": None, "until": 0.0}


def forget():
    """Drop the map (a Site saved or deleted); the next question rebuilds it."""
    _in_process.update(map=None, until=0.0)
    cache.delete(CACHE_KEY)


def network_map(request=None):
    """The map, read once per request when there is one."""
    if request is not None:
        cached = getattr(request, _REQUEST_ATTRIBUTE, None)
        if cached is not None:
            return cached
    current = _in_process["map"]
    if current is None or time.monotonic() >= _in_process["until"] or request is not None:
        fingerprint = tuple(_wagtail_root_paths(request))
        if current is None or current.fingerprint != fingerprint:
            current = cache.get(CACHE_KEY)
            if current is None or current.fingerprint != fingerprint:
                current = _build(fingerprint)
                cache.set(CACHE_KEY, current, CACHE_SECONDS)
        _in_process.update(map=current, until=time.monotonic() + PROCESS_SECONDS)
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, current)
    return current


# --- Which site is this page on --------------------------------------------------------------


def site_id_for_page(page, request=None):
    path = getattr(page, "path", None)
    if not path or page.depth < 2:
        return None
    home = network_map(request).home_for_path(path)
    return home.site_id if home is not None else None


def site_for_page(page, request=None):
    """The Site the page belongs to (its translations included), or None (the tree's root, a
    page outside every site). No query once the map is built."""
    site_id = site_id_for_page(page, request)
    return network_map(request).site(site_id) if site_id is not None else None


def site_key(page):
    """Which site a page's comments belong to, for comments/ (COMMENTS_SITE_KEY): "site:<id>",
    the string comments' avatars always used for a page served by a Site (so that stored avatar
    keys do not change); a page outside every site keeps comments' own default, its tree."""
    site_id = site_id_for_page(page)
    if site_id is not None:
        return f"site:{site_id}"
    return f"tree:{page.path[: 2 * Page.steplen]}"


def site_key_for_site(site):
    return f"site:{_pk(site)}"


# --- Which pages are this site's ---------------------------------------------------------------


def _pk(site):
    return site if isinstance(site, int) else site.pk


def _site_ids(sites):
    if sites is None:
        return []
    if isinstance(sites, (Site, int)):
        return [_pk(sites)]
    if hasattr(sites, "values_list"):
        return list(sites.values_list("pk", flat=True))
    return [_pk(site) for site in sites]


def home_pages(site, request=None):
    """The site's home page and the translations of it that belong to it."""
    ids = [home.page_id for home in network_map(request).homes_of(_pk(site))]
    return Page.objects.filter(pk__in=ids)


def home_paths(sites, request=None):
    """The tree paths of these sites' homes."""
    network = network_map(request)
    return sorted({home.path for pk in _site_ids(sites) for home in network.homes_of(pk)})


def pages_condition(sites, prefix="", request=None):
    """A Q over `<prefix>path__startswith` matching every page of these sites (one Site, its id
    or an iterable or queryset of them): their homes and descendants, without another site's
    home nested inside. No sites: a Q that matches nothing."""
    network = network_map(request)
    ids = set(_site_ids(sites))
    paths = {home.path for home in network.homes if home.site_id in ids}
    field = f"{prefix}path__startswith"
    if not paths:
        return Q(**{f"{prefix}pk__in": []})
    condition = reduce(or_, (Q(**{field: path}) for path in sorted(paths)))
    nested = {
        home.path
        for home in network.homes
        if home.path not in paths and any(home.path.startswith(path) for path in paths)
    }
    for path in sorted(nested):
        condition &= ~Q(**{field: path})
    return condition


def site_pages(site, request=None):
    """Every page of the site, translations included."""
    return Page.objects.filter(pages_condition(site, request=request))


# --- Which sites hold this url_path ------------------------------------------------------------


def site_ids_holding(url_path, request=None):
    """The ids of the sites whose homes hold the page at `url_path`, the most specific first."""
    if not url_path:
        return []
    return network_map(request).site_ids_holding(url_path)


def sites_holding(url_path, request=None):
    """The Sites holding the page at `url_path` (no query once the map is built)."""
    network = network_map(request)
    return [network.site(pk) for pk in site_ids_holding(url_path, request)]


def site_root_paths(request=None):
    """Wagtail's site root paths (site_id, root_path, root_url, language_code), in Wagtail's
    order, without a translation that is another Site's root listed under the first site."""
    network = network_map(request)
    owned = {(home.site_id, home.url_path) for home in network.homes}
    return [root for root in _wagtail_root_paths(request) if (root.site_id, root.root_path) in owned]
