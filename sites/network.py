"""The map of the network: which site is this page on, which pages are this site's.

One meaning everywhere: a site is its root (home) page and every translation of it, except a
translation that is itself another Site's root page (then it is that Site's home, and only
its); the site's pages are its homes and their descendants. When several Sites' roots are
translations of one another, a translation that is no Site's root goes to the oldest of them.
Two Sites on the same root page (two host names for one site) hold the same pages; the page is
then the default site's, or the oldest one's.

Everything that asks (roles and scoping, the dashboard and comment counts, syndication, search,
the page cache's tags, hreflang, the checklist, the comments' site key) asks here.

The map costs one query to build (the pages sharing a Site root's translation key, with the
Sites rooted at each) and is kept in the default cache, shared by every process, and on the
request when there is one (read once per request). It is dropped when a Site or its SiteProfile
(the site's status: draft, live, archived) is saved or deleted and when a home page or a
translation of one is saved, moved or deleted (sites.signal_handlers).
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q

from wagtail.models import Page, Site

from infra.hosts import site_root_paths as _wagtail_root_paths

CACHE_KEY = "maillage:network-map"
CACHE_VERSION = 3  # changes with the shape of NetworkMap
CACHE_SECONDS = 3600
_REQUEST_ATTRIBUTE = "_maillage_network_map"

_SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")

# sites.models.SiteStatus, by value (sites.models imports this module through sites.roles).
DRAFT, LIVE, ARCHIVED = "draft", "live", "archived"
PUBLIC_STATUSES = (LIVE,)


@dataclass(frozen=True)
class Home:
    """One home page of a site: its root page or a translation of it that belongs to it."""

    site_id: int
    page_id: int
    path: str
    url_path: str
    locale_id: int
    language_code: str


@dataclass(frozen=True)
class NetworkMap:
    sites: dict  # site id -> tuple of the values of _SITE_FIELDS
    homes: tuple  # every Home, the deepest first (the most specific match wins)
    translation_keys: frozenset  # of the homes and of every translation of them
    lives: dict = None  # site id -> (status, archived_redirects_to_head, kind); none: live

    def life(self, site_id):
        """(status, archived_redirects_to_head, kind) of a site: SiteProfile's, or a live site
        without kind for a Site without a profile."""
        return (self.lives or {}).get(site_id) or (LIVE, False, "")

    def public_site_ids(self):
        return {pk for pk in self.sites if self.life(pk)[0] in PUBLIC_STATUSES}

    def head_site_id(self):
        """The live head site (the preferred one if several), or None."""
        heads = [pk for pk in self.sites if self.life(pk)[2] == "head" and self.life(pk)[0] == LIVE]
        return min(heads, key=lambda pk: (not self.sites[pk][5], pk)) if heads else None

    def site_id_for_host(self, hostname, port):
        """The Site answering this host and port, as Wagtail's Site.find_for_request chooses it
        (hostname and port, hostname of the default site, a single hostname match, the default
        site), without a query."""
        default = next((pk for pk, values in self.sites.items() if values[5]), None)
        named = sorted(pk for pk, values in self.sites.items() if values[1] == hostname)
        exact = [pk for pk in named if self.sites[pk][2] == port]
        if exact:
            return exact[0]
        if default in named:
            return default
        if len(named) == 1:
            return named[0]
        return default

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


def _build():
    """One query: every page sharing a translation key with a Site's root page, with the Sites
    rooted at it (a LEFT JOIN: none for a mere translation)."""
    roots = Site.objects.filter(root_page__translation_key=OuterRef("translation_key"))
    rows = list(
        Page.objects.filter(Exists(roots))
        .order_by("path")
        .values_list(
            "pk",
            "path",
            "url_path",
            "translation_key",
            "locale_id",
            "locale__language_code",
            "sites_rooted_here__id",
            "sites_rooted_here__hostname",
            "sites_rooted_here__port",
            "sites_rooted_here__site_name",
            "sites_rooted_here__is_default_site",
            "sites_rooted_here__profile__status",
            "sites_rooted_here__profile__archived_redirects_to_head",
            "sites_rooted_here__profile__kind",
        )
    )
    lives = {row[6]: row[11:14] for row in rows if row[6] is not None and row[11] is not None}
    rows = [row[:11] for row in rows]
    sites = {}
    for pk, _path, _url, _key, _locale, _code, site_id, hostname, port, name, default in rows:
        if site_id is not None:
            sites[site_id] = (site_id, hostname, port, name, pk, default)
    # The preferred Site first: the default site, then the oldest.
    rank = {
        pk: index for index, pk in enumerate(sorted(sites, key=lambda pk: (not sites[pk][5], pk)))
    }
    by_root, by_key = {}, {}
    for pk, _path, _url, key, *_rest, site_id, _h, _p, _n, _d in rows:
        if site_id is not None:
            by_root.setdefault(pk, []).append(site_id)
            by_key.setdefault(key, []).append(site_id)
    homes, seen = [], set()
    for pk, path, url_path, key, locale_id, language_code, *_site in rows:
        if pk in seen:
            continue
        seen.add(pk)
        # A Site's root is that Site's (every Site on it); a mere translation is the oldest
        # Site's whose root it translates.
        owners = sorted(by_root[pk], key=rank.get) if pk in by_root else [min(by_key[key])]
        homes.extend(
            Home(site_id, pk, path, url_path, locale_id, language_code) for site_id in owners
        )
    homes.sort(key=lambda home: (-len(home.path), rank[home.site_id]))
    keys = frozenset(row[3] for row in rows)
    return NetworkMap(sites=sites, homes=tuple(homes), translation_keys=keys, lives=lives)


def forget():
    """Drop the map (a Site or a home page changed); the next question rebuilds it."""
    cache.delete(CACHE_KEY, version=CACHE_VERSION)


def network_map(request=None):
    """The map: from the default cache (built by one query when missing), kept on the request
    when there is one, so that it is read once per request."""
    if request is not None:
        cached = getattr(request, _REQUEST_ATTRIBUTE, None)
        if cached is not None:
            return cached
    current = cache.get(CACHE_KEY, version=CACHE_VERSION)
    if current is None:
        current = _build()
        cache.set(CACHE_KEY, current, CACHE_SECONDS, version=CACHE_VERSION)
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, current)
    return current


def is_home_or_translation(page):
    """Whether a change to this page can change the map (it is a home, or shares the
    translation key of one): no query, and none at all when the map is not built."""
    current = cache.get(CACHE_KEY, version=CACHE_VERSION)
    return current is not None and page.translation_key in current.translation_keys


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
    return site_key_for_path(page.path)


def site_key_for_path(path):
    home = network_map().home_for_path(path) if len(path) >= 2 * Page.steplen else None
    if home is not None:
        return f"site:{home.site_id}"
    return f"tree:{path[: 2 * Page.steplen]}"


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


def homes(sites=None, language_code=None, request=None):
    """The Homes (site_id, page_id, path, url_path, locale_id, language_code) of these sites
    (every site by default), in one language if given; the deepest first. No query once the map
    is built."""
    network = network_map(request)
    ids = None if sites is None else set(_site_ids(sites))
    return [
        home
        for home in network.homes
        if (ids is None or home.site_id in ids)
        and (language_code is None or home.language_code == language_code)
    ]


def site_name(site_id, request=None):
    values = network_map(request).sites.get(site_id)
    return values[3] if values else ""


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
    return [
        root for root in _wagtail_root_paths(request) if (root.site_id, root.root_path) in owned
    ]


# --- A site's life (sites.lifecycle) -----------------------------------------------------------


def site_life(site_id, request=None):
    """(status, archived_redirects_to_head, kind) of the site, from the map: no query once it
    is built. A Site without a profile is live."""
    return network_map(request).life(site_id)


def site_id_for_request(request):
    """The id of the Site answering the request's host (Wagtail's choice), from the map."""
    from django.http.request import split_domain_port

    hostname = split_domain_port(request._get_raw_host())[0]
    return network_map(request).site_id_for_host(hostname, request.get_port())


def public_site_ids(request=None):
    """Ids of the sites open to the public (neither a draft nor archived): the only ones listed in
    public filters, network news, search, and offered as sharing targets. From the map: no
    query once it is built."""
    return network_map(request).public_site_ids()


def hidden_site_ids(request=None):
    """Ids of the sites not open to the public (drafts and archived sites)."""
    current = network_map(request)
    return set(current.sites) - current.public_site_ids()
