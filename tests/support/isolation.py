"""What the isolation matrix and flows share: each site's key and secret token, every admin URL
Django knows (to check each is declared), a client logged in as a role, what a response shows."""

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

SITE_KEYS = {"a": "bretagne", "b": "occitanie", "head": "head"}


def token(key):
    """The marker every object of one site carries in its title, name or body."""
    return f"secret-{SITE_KEYS[key]}"


ADMIN_PREFIX = "admin/"


def _walk(patterns, prefix="", namespaces=(), kwargs=()):
    for pattern in patterns:
        own = _kwarg_names(pattern.pattern)
        if isinstance(pattern, URLResolver):
            spaces = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), spaces, kwargs + own
            )
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            key = ":".join((*namespaces, pattern.name)) if pattern.name else "/" + route
            yield key, route, kwargs + own


def _kwarg_names(pattern):
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    return tuple(pattern.regex.groupindex)


def admin_urls():
    """(key, route, URL kwargs) of every pattern under /admin/: the key is the URL name with its
    namespaces, or "/<route>" for a pattern without a name."""
    return [
        (key, route, kwargs)
        for key, route, kwargs in _walk(get_resolver().url_patterns)
        if route.startswith(ADMIN_PREFIX)
    ]


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def shown_by(response):
    """The response's body and the messages the request queued (shown on the next page)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return "\n".join([body(response), *(str(message) for message in queued)])


def client_for(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client
