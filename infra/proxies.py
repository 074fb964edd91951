"""The visitor's address behind a reverse proxy.

gunicorn sets REMOTE_ADDR to the address that opened the connection: behind nginx or Caddy, the
proxy's own. Every limit per address (comment submissions, self-service links, admin logins) and
every stored comment address would then be the proxy's, one for all visitors. When the connection
comes from a proxy listed in TRUSTED_PROXIES, this middleware puts the client's address from
X-Forwarded-For in REMOTE_ADDR, before anything reads it.

Only the addresses the trusted proxies appended count: X-Forwarded-For is read from the right,
skipping trusted proxies, and the first other address is the client. Whatever a visitor writes
in the header themselves sits further left and is never used.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def parse_networks(values):
    """ip_network objects from "127.0.0.1", "10.0.0.0/8", "::1"; a clear error otherwise."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES holds {value!r}, which is not an IP address or network."
            ) from None
    return networks


def _address(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(remote_addr, forwarded_for, networks):
    """The client's address: REMOTE_ADDR unless it is a trusted proxy that forwarded a request."""
    peer = _address(remote_addr or "")
    if peer is None or not forwarded_for or not any(peer in net for net in networks):
        return remote_addr
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            return remote_addr  # a malformed chain: keep the proxy's address, the safe side
        if not any(address in net for net in networks):
            return str(address)
    return remote_addr


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: REMOTE_ADDR becomes the client's address (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = parse_networks(getattr(settings, "TRUSTED_PROXIES", []))

    def __call__(self, request):
        if self.networks:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                self.networks,
            )
        return self.get_response(request)
