"""Security headers on every kind of response, cached or not (infra/security.py, the settings).

Public pages: a Content-Security-Policy allowing nothing but this host and no inline script (the
sites' colour style is allowed by its hash), Referrer-Policy, X-Content-Type-Options,
Permissions-Policy; HSTS over HTTPS only. The admin has a policy of its own. Cookies are secure
where the settings say so.
"""

import base64
import hashlib
import re
from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse

import pytest

from sites.models import SiteSettings
from tests.support.blog import blog_of, make_post, translate_blog
from tests.support.comments import make_comment, make_user

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
HEAD = "localhost"
DENIED_FEATURES = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "browsing-topics",
    "interest-cohort",
]


def policy(response, header="Content-Security-Policy"):
    """{directive: [sources]} from a policy header."""
    value = response.headers.get(header)
    assert value, f"no {header} header"
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def style_hash(css):
    return f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"


class InlineCode(HTMLParser):
    """Inline scripts, event-handler attributes, javascript: links and inline styles of a page."""

    def __init__(self):
        super().__init__()
        self.found, self.styles, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # A data block (JSON-LD) is never run, so no policy applies to it.
        data_block = (attrs.get("type") or "").startswith(
            ("application/ld+json", "application/json")
        )
        if tag == "script" and "src" not in attrs and not data_block:
            self._in = "script"
        if tag == "style":
            self._in = "style"
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.found.append(f"<script>{data[:40]}…")
        elif self._in == "style":
            self.styles.append(data)


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser


def visit(path, host=BRETAGNE, **extra):
    return Client().get(path, HTTP_HOST=host, **extra)


@pytest.fixture
def post(bretagne_site):
    post = make_post(blog_of(bretagne_site), "Habiter autrement", slug="habiter")
    make_comment(post, author_name="Maël", body="Bravo.")
    return post


@pytest.fixture
def colours(bretagne_site, occitanie_site):
    """Each regional site in its own colours."""
    for site, primary in ((bretagne_site, "#1d4f91"), (occitanie_site, "#8a1c1c")):
        branding = SiteSettings.for_site(site)
        branding.primary_colour = primary
        branding.save()


@pytest.fixture
def in_english(bretagne_site, english):
    """Bretagne's home and blog translated into English and published: its /en/ pages."""
    translate_blog(bretagne_site, english)


PUBLIC_PAGES = [
    ("home", BRETAGNE, "/", 200),
    ("blog index", BRETAGNE, "/blog/", 200),
    ("post", BRETAGNE, "/blog/habiter/", 200),
    ("search", BRETAGNE, "/search/?q=habiter", 200),
    ("head home", HEAD, "/", 200),
    ("english home", BRETAGNE, "/en/", 200),
    ("404", OCCITANIE, "/nulle-part/", 404),
    ("manage my comments", BRETAGNE, "/comments/manage/", 200),
]


@pytest.mark.parametrize(("name", "host", "path", "status"), PUBLIC_PAGES)
def test_public_pages_allow_only_their_own_host_and_no_inline_script(
    name, host, path, status, post, colours, in_english
):
    response = visit(path, host)
    assert response.status_code == status, name
    csp = policy(response)

    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no nonce, no other host
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]

    if response["Content-Type"].startswith("text/html"):
        page = inline_code(response.content.decode())
        assert page.found == [], f"{name}: inline code the policy would block"
        # The one inline style, the site's colours, is allowed by its own hash and nothing else.
        assert csp["style-src"] == ["'self'", *(style_hash(css) for css in page.styles)]


def test_each_site_s_colour_style_is_allowed_by_its_own_hash(post, colours):
    bretagne, occitanie = visit("/", BRETAGNE), visit("/", OCCITANIE)
    bretagne_css = inline_code(bretagne.content.decode()).styles
    occitanie_css = inline_code(occitanie.content.decode()).styles

    assert len(bretagne_css) == len(occitanie_css) == 1
    assert "#1d4f91" in bretagne_css[0] and "#8a1c1c" in occitanie_css[0]
    assert policy(bretagne)["style-src"] == ["'self'", style_hash(bretagne_css[0])]
    assert policy(occitanie)["style-src"] == ["'self'", style_hash(occitanie_css[0])]


def test_a_cached_page_gets_the_headers_of_the_moment(settings, post, colours):
    """The page cache keeps the body, not the policy: a hit is given the headers as it leaves,
    with the colour style's hash matching the cached body."""
    settings.MAILLAGE_PAGE_CACHE = True
    miss = visit("/blog/habiter/")
    assert miss["X-Page-Cache"] == "miss"
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "report-uri": "/csp-report/",
        }
    }
    hit = visit("/blog/habiter/")

    assert hit["X-Page-Cache"] == "hit"
    assert "report-uri" not in policy(miss)
    assert policy(hit)["report-uri"] == ["/csp-report/"]
    css = inline_code(hit.content.decode()).styles
    assert policy(hit)["style-src"] == ["'self'", style_hash(css[0])]
    for header in (
        "Permissions-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Cross-Origin-Opener-Policy",
    ):
        assert hit[header] == miss[header], header


def test_public_pages_send_referrer_nosniff_and_permissions_policy(post):
    response = visit("/blog/habiter/")

    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in DENIED_FEATURES:
        assert features[feature] == "()", feature


def test_the_admin_has_a_policy_of_its_own_still_limited_to_this_host(bretagne_site):
    login = visit("/admin/login/")
    assert login.status_code == 200
    csp = policy(login)

    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]  # Wagtail frames its own previews
    assert csp["form-action"] == ["'self'"]
    assert not re.search(r"https?:|\*", login["Content-Security-Policy"])
    assert "Content-Security-Policy-Report-Only" not in login
    assert "camera=()" in login["Permissions-Policy"]


def test_an_editor_s_admin_pages_have_the_admin_policy(client, post, bretagne_site):
    client.force_login(make_user("erwan", bretagne_site.profile.editors))
    for path in ("/admin/", f"/admin/pages/{post.pk}/edit/"):
        response = client.get(path, HTTP_HOST=BRETAGNE)
        assert response.status_code == 200, path
        assert policy(response)["script-src"] == ["'self'", "'unsafe-inline'"], path


@pytest.fixture
def production_https(settings):
    """The base settings' HTTPS values, as hub.settings.production has them (dev and test turn
    them off)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def test_hsts_is_sent_over_https_only(production_https, post):
    secure = visit("/blog/habiter/", secure=True)
    plain = visit("/blog/habiter/")

    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert plain.status_code == 301
    assert plain["Location"] == "https://bretagne.localhost/blog/habiter/"
    assert "Strict-Transport-Security" not in plain


def test_hsts_behind_a_proxy_follows_x_forwarded_proto(production_https, post):
    response = visit("/blog/habiter/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_and_csrf_cookies_are_secure_in_production(production_https, bretagne_site):
    make_user("erwan", bretagne_site.profile.editors)
    client = Client(enforce_csrf_checks=True)
    form = client.get("/admin/login/", HTTP_HOST=BRETAGNE, secure=True)
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"

    signed_in = client.post(
        reverse("wagtailadmin_login"),
        {"username": "erwan", "password": "x", "csrfmiddlewaretoken": csrf.value},
        HTTP_HOST=BRETAGNE,
        HTTP_REFERER="https://bretagne.localhost/admin/login/",
        secure=True,
    )

    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
