"""The Content-Security-Policy and Permissions-Policy in a real Chromium: public pages and the
admin work under them without a single violation, and the sites' colours (the one inline style
of public pages, allowed by its hash) still apply, from the page cache too.

Violations are caught twice: the `securitypolicyviolation` events of every frame (recorded by a
script the browser runs before the page's own, which no policy blocks) and the console's errors.
"""

import contextlib
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as BrowserError
from playwright.sync_api import expect

from blog.models import BlogPostPage
from sites.models import SiteSettings
from tests.support.blog import blog_of
from tests.support.comments import make_user
from tests.support.journeys import (  # noqa: F401 — the last two are autouse fixtures
    HEAD,
    SETTLE,
    build_network,
    log_in,
    open_page_type,
    quick_forms,
    unreachable_gravatar,
)

BRETAGNE = "bretagne.localhost"
BRETAGNE_PRIMARY = "#6b2d5c"

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", event => {
    window.__violations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile}`
    );
}, true);
"""


class Watch:
    """What a page reported: policy violations and console errors about the headers."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self.on_console)

    def on_console(self, message):
        text = message.text
        if re.search(r"Content.Security.Policy|Permissions.Policy|Refused to", text, re.I):
            self.console.append(text)

    def violations(self):
        """Violations seen in the page and its frames, then the console's, since last asked."""
        seen = []
        for frame in self.page.frames:
            with contextlib.suppress(BrowserError):  # a frame gone meanwhile has nothing to say
                seen += frame.evaluate(
                    "() => { const seen = window.__violations || [];"
                    " window.__violations = []; return seen; }"
                )
        seen += self.console
        self.console = []
        return seen


@pytest.fixture(autouse=True)
def login_throttle(settings):
    """The admin login as in production, through django-axes."""
    settings.AXES_ENABLED = True


def test_the_watch_sees_a_violation(page, site_url, network):
    """The check below can fail: an inline script a page would add is blocked, and seen."""
    watch = Watch(page)
    page.goto(site_url(BRETAGNE, "/"))
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.ran") is None
    assert any("script-src" in item for item in watch.violations())


def test_public_pages_run_under_their_policy_without_violation(new_page, site_url, network):
    branding = SiteSettings.for_site(network["bretagne"])
    branding.primary_colour = BRETAGNE_PRIMARY
    branding.save()
    _post, kinds = build_network(network)
    failures = []
    for kind in kinds:
        for visit in ("first", "again"):  # the second visit is served from the page cache
            page = new_page()
            watch = Watch(page)
            failures += [(kind.name, problem) for problem in open_page_type(page, site_url, kind)]
            page.evaluate(SETTLE)
            failures += [(kind.name, f"{visit}: {item}") for item in watch.violations()]
            colour = page.evaluate(
                "() => getComputedStyle(document.documentElement)"
                ".getPropertyValue('--color-primary').trim()"
            )
            if kind.host == BRETAGNE and colour != BRETAGNE_PRIMARY:
                failures.append((kind.name, f"{visit}: primary colour {colour!r}, not the site's"))
            page.close()

    assert failures == [], "\n".join(f"- {name}: {problem}" for name, problem in failures)


def test_the_admin_works_under_its_policy_without_violation(page, site_url, network):
    """An administrator signs in, goes through the admin's main screens and edits a post with
    its preview open (a public page framed by the admin): nothing is blocked."""
    post, _kinds = build_network(network)
    make_user("root", is_superuser=True)
    watch = Watch(page)
    log_in(page, site_url, "root")
    blog = blog_of(network["bretagne"])
    screens = [
        "/admin/",
        f"/admin/pages/{blog.pk}/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/multiple/add/",
        "/admin/comments/",
        f"/admin/settings/maillage_sites/sitesettings/{network['bretagne'].pk}/",
        "/admin/users/",
        f"/admin/pages/{post.pk}/edit/",
    ]
    failures = []
    for path in screens:
        response = page.goto(site_url(HEAD, path))
        page.wait_for_load_state("networkidle")
        if response is None or response.status != 200:
            failures.append((path, f"answered {response and response.status}"))
        failures += [(path, item) for item in watch.violations()]

    # The editor, with its preview (a frame of the admin) and a new rich text block.
    page.get_by_role("button", name=re.compile("preview", re.I)).first.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('iframe.w-preview__iframe')]"
        ".some(frame => frame.contentDocument && frame.contentDocument.querySelector('main h1'))"
    )
    # The editors already on the page are marked, so that the new block's editor is found
    # wherever Wagtail inserts it (the first "Insert a block" inserts at the top).
    page.evaluate(
        "() => document.querySelectorAll('.Draftail-Editor [contenteditable=true]')"
        ".forEach(editor => editor.setAttribute('data-before', ''))"
    )
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Rich text").click()
    editor = page.locator(".Draftail-Editor [contenteditable=true]:not([data-before])")
    expect(editor).to_have_count(1)
    editor.click()
    editor.fill("Écrit sous la politique de l'admin.")
    expect(editor).to_contain_text("politique")
    page.wait_for_load_state("networkidle")
    failures += [("editor", item) for item in watch.violations()]
    assert BlogPostPage.objects.filter(pk=post.pk).exists()
    assert urlsplit(page.url).path == f"/admin/pages/{post.pk}/edit/"

    assert failures == [], "\n".join(f"- {path}: {problem}" for path, problem in failures)
