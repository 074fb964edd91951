"""Whole pages cached for anonymous visitors, and thrown away precisely when what they show changes.

A view opts in by calling `tag(request, ...)` with the tags its response depends on (its site, the
pages it shows, the network). The response is then stored in the shared cache
(Redis with REDIS_URL, the database cache otherwise), keyed by scheme, host, path with query string
and language. Each tag has a version in the cache; an entry remembers the versions it was rendered
under and is served only while they are all unchanged. `invalidate(...)` gives tags new versions:
every entry that depends on them is stale at once, on every worker, without knowing their URLs.

Versions are read when a view declares its tags, before it renders, so a change committed during a
render leaves the entry stale rather than wrong; `invalidate` bumps at once and again when the
transaction commits, so a request that read the old rows just before the commit cannot store them.

Never cached: anything but GET, visitors with a session (logged in, previews, page passwords),
messages or the comment edit-window cookie (`MAILLAGE_PAGE_CACHE_SKIP_COOKIES`), responses other
than 200, responses that set a cookie or rendered a CSRF token (`{% csrf_token %}` marks the
request), or that used messages. Per-visitor values on a cached page (the comment form's CSRF token
and timestamp) are placeholders filled on the way out by comments.middleware.FormStateMiddleware.

Fragments (`fragment()`): the same tags and versions keep parts of a page that are costly to
render (a post's comments, a site's menu and footer) for anonymous visitors, so that a page the
whole-page cache misses (after a publish, with the page cache off, or with a query string never
seen) is still cheap. They follow `MAILLAGE_FRAGMENT_CACHE`, independently of the page cache.

Which tags each page carries, and which events invalidate them, is decided by the apps that know
the content (sites/page_cache.py, blog/page_cache.py); this module is only the mechanism.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

HEADER = "X-Page-Cache"
NETWORK = "network"  # pages that show content of every site (network news, network search)
EVERYTHING = "all"  # every cached page: for changes shown everywhere (authors, categories)

_VERSION_PREFIX = "page-cache:tag:"
_ENTRY_PREFIX = "page-cache:entry:"
_FRAGMENT_PREFIX = "page-cache:fragment:"
_NOT_STORED_HEADERS = {"set-cookie", "content-length", HEADER.lower()}


def site_tag(site_id):
    """Everything served on one site: its pages, menus, branding, search, sitemap and feeds."""
    return f"site:{site_id}"


def page_tag(page_id):
    """Wherever one page is shown: its own URL, a site it is shared with, the listings whose
    cards show it (with its comment count)."""
    return f"page:{page_id}"


def enabled():
    return getattr(settings, "MAILLAGE_PAGE_CACHE", False)


def _new_version():
    return secrets.token_hex(6)


def _versions(tags):
    """{tag: version}, giving a version to the tags that have none yet (or lost it to eviction:
    a fresh random one, so that an old entry can never match it again)."""
    keys = {_VERSION_PREFIX + tag: tag for tag in tags}
    found = cache.get_many(keys)
    for key in keys.keys() - found.keys():
        version = _new_version()
        found[key] = version if cache.add(key, version, timeout=None) else cache.get(key)
    return {keys[key]: version for key, version in found.items()}


def tag(request, *tags):
    """Declare that this response may be cached and depends on `tags` (call before rendering);
    called while a fragment renders, the fragment depends on them too."""
    frames = request.__dict__.get("_fragment_frames")
    if not enabled() and not frames:
        return
    declared = request.__dict__.setdefault("_page_cache_tags", {})
    new = [name for name in (EVERYTHING, *tags) if name not in declared]
    if new:
        declared.update(_versions(new))
    for frame in frames or ():
        frame.update({name: declared[name] for name in (EVERYTHING, *tags)})


def _declare(request, versions):
    """Add tags whose current versions are known to the page and to the fragments rendering."""
    if enabled():
        request.__dict__.setdefault("_page_cache_tags", {}).update(versions)
    for frame in request.__dict__.get("_fragment_frames", ()):
        frame.update(versions)


def invalidate(*tags):
    """Make every cached page that depends on one of `tags` stale, now and again on commit."""
    tags = set(tags)
    if not tags:
        return

    def bump():
        cache.set_many({_VERSION_PREFIX + tag: _new_version() for tag in tags}, timeout=None)

    bump()
    transaction.on_commit(bump)


def _anonymous_get(request):
    """A GET from a visitor who sees what every anonymous visitor sees."""
    return request.method == "GET" and not any(
        name in request.COOKIES for name in settings.MAILLAGE_PAGE_CACHE_SKIP_COOKIES
    )


def _may_use(request):
    if not enabled() or not _anonymous_get(request):
        return False
    return not request.path_info.startswith(tuple(settings.MAILLAGE_PAGE_CACHE_SKIP_PATHS))


def _hashed(prefix, *parts):
    return prefix + hashlib.sha256("|".join(parts).encode()).hexdigest()


def _key(request):
    language = translation.get_language() or ""
    return _hashed(
        _ENTRY_PREFIX, request.scheme, request.get_host().lower(), language, request.get_full_path()
    )


def _messages_used(request):
    storage = getattr(request, "_messages", None)
    return storage is not None and (storage.used or bool(getattr(storage, "_queued_messages", ())))


def _may_store(request, response):
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not _messages_used(request)
        and not (user is not None and user.is_authenticated)
        and not getattr(request, "is_preview", False)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


# The tags each address had when this process last stored or served it, so that a hit reads the
# entry and its tags' versions in one round trip to the cache (bounded: forgotten when full).
_known_tags = {}
_KNOWN_TAGS_MAX = 10_000


def _lookup(key):
    """The entry stored under `key` if every tag version it was rendered under is current."""
    guessed = _known_tags.get(key, ())
    found = cache.get_many([key, *(_VERSION_PREFIX + tag for tag in guessed)])
    entry = found.pop(key, None)
    if entry is None:
        return None
    versions = entry["tags"]
    missing = [_VERSION_PREFIX + tag for tag in versions if tag not in guessed]
    if missing:
        found.update(cache.get_many(missing))
        _remember_tags(key, versions)
    fresh = all(found.get(_VERSION_PREFIX + tag) == version for tag, version in versions.items())
    return entry if fresh else None


def _remember_tags(key, versions):
    if len(_known_tags) >= _KNOWN_TAGS_MAX:
        _known_tags.clear()
    _known_tags[key] = tuple(versions)


def _from_entry(entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Serves and stores the responses views opted in with `tag()`. Sits after the CSRF, auth and
    messages middleware and after comments.middleware.FormStateMiddleware, so that they see the
    cached response on the way out as they would a fresh one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use(request):
            return self.get_response(request)
        key = _key(request)
        entry = _lookup(key)
        if entry is not None:
            return _from_entry(entry)
        response = self.get_response(request)
        tags = request.__dict__.get("_page_cache_tags")
        if tags and _may_store(request, response):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _NOT_STORED_HEADERS
            ]
            entry = {
                "content": response.content,
                "status": response.status_code,
                "headers": headers,
                "tags": tags,
            }
            cache.set(key, entry, settings.MAILLAGE_PAGE_CACHE_SECONDS)
            _remember_tags(key, tags)
            response[HEADER] = "miss"
        return response


# --- fragments -----------------------------------------------------------------------------------


def _current(versions, tags, found):
    """Whether an entry rendered under `versions` (`tags`, and those declared while it rendered)
    is current (versions `found`)."""
    return set(tags) <= versions.keys() and all(
        found.get(_VERSION_PREFIX + tag) == version for tag, version in versions.items()
    )


def fragments_enabled():
    return getattr(settings, "MAILLAGE_FRAGMENT_CACHE", False)


def fragment(request, name, tags, render, *, per_path=True):
    """`render()`'s result, kept for anonymous visitors until one of `tags` changes, or one that
    the render declared with `tag()` (the posts on a listing's cards), at most
    MAILLAGE_PAGE_CACHE_SECONDS. The key holds the host, the language and, with `per_path`, the
    path and query string; one round trip to the cache reads the entry and its tags' versions
    (each process remembers which tags an entry had). A fragment served from the cache declares
    its tags to the page around it, as its render would have.

    Rendered afresh, and not kept, for a visitor with a page of their own (logged in, preview,
    edit window, messages) and when the render asked for a CSRF token (it would be frozen in)."""
    if request is None or not fragments_enabled() or not _anonymous_get(request):
        return render()
    if getattr(request, "is_preview", False):
        return render()
    language = translation.get_language() or ""
    path = request.get_full_path() if per_path else ""
    key = _hashed(_FRAGMENT_PREFIX, name, request.get_host().lower(), language, path)
    tags = (EVERYTHING, *tags)
    wanted = {*tags, *_known_tags.get(key, ())}
    found = cache.get_many([key, *(_VERSION_PREFIX + tag for tag in wanted)])
    entry = found.pop(key, None)
    if entry is not None:
        versions = entry["tags"]
        unread = [_VERSION_PREFIX + tag for tag in versions if tag not in wanted]
        if unread:
            found.update(cache.get_many(unread))
            _remember_tags(key, versions)
        if _current(versions, tags, found):
            _declare(request, versions)
            return entry["html"]
    versions = {tag: found.get(_VERSION_PREFIX + tag) for tag in tags}
    missing = [tag for tag, version in versions.items() if version is None]
    if missing:
        versions.update(_versions(missing))
    frames = request.__dict__.setdefault("_fragment_frames", [])
    frames.append({})
    try:
        html = render()
    finally:
        versions.update(frames.pop())
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        cache.set(key, {"html": html, "tags": versions}, settings.MAILLAGE_PAGE_CACHE_SECONDS)
        _remember_tags(key, versions)
    _declare(request, versions)
    return html
