"""Response headers the settings alone do not give, and the admin login lockout answer.

Content-Security-Policy comes from django-csp (settings CONTENT_SECURITY_POLICY), computed for
every response as it leaves, outside the page cache, so that a page served from the cache gets the
policy of the moment. Public pages run no inline script at all, hence no nonce: a nonce frozen into
a cached page would not match the next response's header. Their one inline element is the site's
colours (`<style>:root { --color-primary: #1d4f91; … }</style>` in base.html); its sha256 hash is
added to style-src, taken from the response itself so that it matches a cached page too. Only a
`<style>` in the head made of nothing but `--color-…: #rrggbb;` declarations is hashed: whatever
else an injected stylesheet might contain stays blocked.

Wagtail's admin has inline scripts and styles of its own (inline panels, date pickers,
wagtail-localize): it gets the looser CONTENT_SECURITY_POLICY_ADMIN, still limited to this host.
Previews are public pages under the public policy, but for being framed by the admin.
"""

import base64
import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.shortcuts import render

from csp.constants import SELF
from csp.middleware import CSPMiddleware

BRANDING_STYLE = re.compile(rb"<style>(:root \{(?: --color-[a-z-]+: #[0-9A-Fa-f]{6};)+ \})</style>")


def style_hashes(response):
    """CSP sources for the colour styles in the head of an HTML response."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    content = response.content
    end = content.find(b"</head>")
    head = content[:end] if end >= 0 else b""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(css).digest()).decode()}'"
        for css in dict.fromkeys(BRANDING_STYLE.findall(head))
    ]


def is_admin(request):
    return request.path_info.startswith(settings.MAILLAGE_ADMIN_PATH)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy and the colour styles' hashes."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            # A report-only trial (CONTENT_SECURITY_POLICY_REPORT_ONLY) is django-csp's own; a
            # view may also choose its policy with django-csp's decorators.
            return parts
        if is_admin(request):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
            return parts
        hashes = style_hashes(response)
        if hashes:
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", ()), *hashes]
            parts.update = update
        if getattr(request, "is_dummy", False):
            # A page rendered for the admin's preview panel or draft view: Wagtail runs it through
            # the middleware as a public page, then shows it in a frame of the admin.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


def permissions_policy():
    """The Permissions-Policy header value: each feature with the origins allowed to use it."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})"
        for feature, origins in settings.MAILLAGE_PERMISSIONS_POLICY.items()
    )


class PermissionsPolicyMiddleware:
    """Turns off the browser features no page of the network uses (camera, geolocation, …), so
    that injected or embedded content cannot ask for them either. Django has no setting for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = permissions_policy()
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


def login_lockout(request, response=None, credentials=None):
    """django-axes' answer once an account has failed to sign in too often from one address:
    429, in the admin's look, saying when to try again (AXES_LOCKOUT_CALLABLE)."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cool_off / timedelta(minutes=1)))
    answer = render(request, "infra/lockout.html", {"cool_off_minutes": minutes}, status=429)
    answer["Retry-After"] = str(int(cool_off.total_seconds()))
    return answer
