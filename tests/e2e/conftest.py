"""Browser journeys: the real application on pytest-django's live server, several sites reached by
host name (Chromium resolves *.localhost to the loopback), driven by Playwright in Debian's
headless Chromium. Playwright's own browser download is never used.

Without Chromium or Playwright the suite is skipped with one reason; with MAILLAGE_REQUIRE_E2E=1
(set by .ci/run) it fails instead. A failing journey leaves a screenshot and the page's HTML in
MAILLAGE_E2E_ARTIFACTS (default: e2e-artifacts/ at the project's root).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's synchronous API runs an event loop in the test's thread; the ORM calls the tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("MAILLAGE_REQUIRE_E2E") == "1"
ARTIFACTS = Path(os.environ.get("MAILLAGE_E2E_ARTIFACTS", ROOT / "e2e-artifacts"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
LOCAL_HOST = re.compile(r"^(localhost|127\.0\.0\.1|\[::1\]|[a-z0-9-]+(\.[a-z0-9-]+)*\.localhost)$")


def missing_requirement():
    """Why the browser suite cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (make install)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    """Every journey runs against the live server on a transactional database, which Django
    empties after each test (serialized_rollback restores Wagtail's initial pages before the next
    journey). The journeys therefore run last; `make test` runs them in a process of their own, so
    that no other test meets an emptied database, whatever pytest-xdist's distribution."""
    here = Path(__file__).parent
    journeys = [item for item in items if here in Path(item.fspath).parents]
    for item in journeys:
        item.add_marker(pytest.mark.e2e)
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
    others = [item for item in items if here not in Path(item.fspath).parents]
    items[:] = others + journeys


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    reason = missing_requirement()
    if reason:
        if REQUIRED:
            pytest.fail(f"The browser suite is required (MAILLAGE_REQUIRE_E2E=1) but {reason}.")
        pytest.skip(f"Browser journeys skipped: {reason}.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def browser_before_database(browser):
    """Start the browser before the test database is made, whatever a test's argument order.

    Playwright's synchronous API runs an event loop in this thread; from then on Django's
    connections (asgiref locals) are other objects than before it. Made earlier, the database's
    serialized copy stays on the old connection, so serialized_rollback silently restores
    nothing and the second journey finds no root page. Autouse fixtures come first in every
    test's closure, so the browser starts before any journey's database fixtures."""
    return browser


@pytest.fixture
def third_party_requests():
    """Every request the browser tried to make to a host other than the local sites."""
    return []


@pytest.fixture
def new_page(browser, request, third_party_requests):
    """A function opening a fresh browser context (its own cookies: a separate visitor) and page.
    Requests to other hosts are refused and recorded; a failing test saves each page's screenshot
    and HTML."""
    contexts = []

    def refuse_foreign(route):
        host = urlsplit(route.request.url).hostname or ""
        if LOCAL_HOST.match(host) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            third_party_requests.append(route.request.url)
            route.abort()

    def open_page(viewport=None, locale="fr-FR"):
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, locale=locale
        )
        context.set_default_timeout(15_000)
        context.route("**/*", refuse_foreign)
        contexts.append(context)
        return context.new_page()

    yield open_page

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        folder.mkdir(parents=True, exist_ok=True)
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                stem = folder / f"context{n}-page{m}"
                try:
                    page.screenshot(path=f"{stem}.png", full_page=True)
                    Path(f"{stem}.html").write_text(page.content())
                except Exception as error:  # noqa: BLE001 — a closed page must not hide the failure
                    Path(f"{stem}.error.txt").write_text(repr(error))
        print(f"\nE2E artifacts: {folder}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def site_url(live_server):
    """site_url("bretagne.localhost", "/blog/") -> that site's address on the live server."""
    port = urlsplit(live_server.url).port

    def url(hostname, path="/"):
        return f"http://{hostname}:{port}{path}"

    return url


@pytest.fixture(autouse=True)
def no_third_party_requests(third_party_requests):
    """No journey may make a visitor's browser contact another host (fonts, CDNs, Gravatar…)."""
    yield
    assert third_party_requests == [], f"Requests to third-party hosts: {third_party_requests}"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and image renditions made during a journey go to a temporary folder (the live
    server runs in this process and serves them from there)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """As in production: anonymous visitors get pages from the page cache and their costly parts
    from the fragment cache, so every journey also shows that cached pages stay correct (the
    comment form, a publication, a moderation)."""
    settings.MAILLAGE_PAGE_CACHE = True
    settings.MAILLAGE_FRAGMENT_CACHE = True
