"""Journeys 8, 9 and 10: every public page type of a small network, in a real Chromium.

8. Privacy: the browser contacts only the page's own host (not even another site of the network).
9. Accessibility: axe-core, vendored in tests/e2e/vendor/ with its licence, finds no serious or
   critical violation; a keyboard user reaches, fills and sends the comment form.
10. Small screen: at 375 px wide, nothing scrolls sideways.

The database is emptied after each browser test, so each test builds the network once and loops
over the page types, collecting every failure before asserting: one report lists them all.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from comments.models import Comment
from tests.support.journeys import (  # noqa: F401 — the last two are autouse fixtures
    BRETAGNE,
    HEAD,
    SEARCH_TERM,
    SETTLE,
    PageType,
    build_network,
    open_page_type,
    quick_forms,
    unreachable_gravatar,
)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE = {"width": 375, "height": 812}
# The Nu HTML checker, installed by make e2e; CI (MAILLAGE_REQUIRE_E2E=1) fails without it.
VNU_JAR = os.environ.get(
    "MAILLAGE_VNU_JAR",
    str(Path(__file__).resolve().parents[2] / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"),
)
REQUIRED = os.environ.get("MAILLAGE_REQUIRE_E2E") == "1"

# Every element that makes the browser fetch something, with the property holding the absolute
# address: what lazy loading has not fetched yet is checked in the page as well.
RESOURCE_URLS = """() => {
    const urls = [];
    const add = value => { if (value) urls.push(value); };
    const srcset = value => (value || "").split(",").map(part => part.trim().split(/\\s+/)[0])
        .filter(Boolean).forEach(url => add(new URL(url, document.baseURI).href));
    document.querySelectorAll("img").forEach(img => { add(img.src); srcset(img.srcset); });
    document.querySelectorAll("source").forEach(el => { add(el.src); srcset(el.srcset); });
    document.querySelectorAll("script[src], iframe[src], embed[src], audio[src], track[src]")
        .forEach(el => add(el.src));
    document.querySelectorAll("video").forEach(el => { add(el.src); add(el.poster); });
    document.querySelectorAll("object[data]").forEach(el => add(el.data));
    document.querySelectorAll("link[href]").forEach(link => {
        const rel = link.relList;
        if (["stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest",
             "preconnect", "dns-prefetch", "apple-touch-icon"].some(name => rel.contains(name)))
            add(link.href);
    });
    return urls;
}"""


TALL = {"width": 1280, "height": 3000}


def report(failures):
    return "\n".join(f"- {name}: {problem}" for name, problem in failures)


def test_public_pages_make_the_browser_contact_only_their_own_host(
    new_page, site_url, network, caplog
):
    """Each page type in a fresh browser: every request it makes (and every resource its markup
    names) goes to its own host and port, not to a CDN, nor to another site of the network."""
    _post, kinds = build_network(network)
    failures = []
    avatars = {}
    for kind in kinds:
        page = new_page(viewport=TALL)
        requested = []
        page.on("request", lambda request, requested=requested: requested.append(request.url))
        page.on(
            "response",
            lambda response: (
                "/comments/avatar/" in response.url
                and avatars.setdefault(
                    response.url, (response.status, response.header_value("content-type"))
                )
            ),
        )
        failures += [(kind.name, problem) for problem in open_page_type(page, site_url, kind)]
        page.evaluate(SETTLE)
        own = urlsplit(site_url(kind.host)).netloc
        for url in requested + page.evaluate(RESOURCE_URLS):
            parts = urlsplit(url)
            if parts.scheme not in ("data", "blob") and parts.netloc != own:
                failures.append((kind.name, f"requested {url}"))
        if not requested:
            failures.append((kind.name, "no request recorded"))
        page.close()

    assert failures == [], f"Requests to other hosts than the page's own:\n{report(failures)}"
    # The thread's avatars (lazily loaded) were seen and checked; Gwen asked for her Gravatar:
    # the server tried it, failed, and served the local drawing like the others.
    gwen = Comment.objects.get(author_name="Gwen")
    assert len(avatars) >= 3
    assert {answer for url, answer in avatars.items()} == {(200, "image/svg+xml")}
    assert any(gwen.avatar_key in url for url in avatars)
    assert any(record.name == "comments.avatars" for record in caplog.records)


def axe_violations(page):
    # Evaluated by the browser's DevTools protocol, which the page's Content-Security-Policy does
    # not govern (a <script> added to the page would be blocked, as it should be).
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        "rules => axe.run(document, {runOnly: rules})"
        ".then(results => results.violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, targets: v.nodes.map(node => node.target.join(' '))})))",
        AXE_RULES,
    )
    return [v for v in results if v["impact"] in ("serious", "critical")]


def test_public_pages_have_no_serious_accessibility_violation(new_page, site_url, network):
    _post, kinds = build_network(network)
    failures = []
    page = new_page()
    for kind in kinds:
        failures += [(kind.name, problem) for problem in open_page_type(page, site_url, kind)]
        for violation in axe_violations(page):
            failures.append((kind.name, json.dumps(violation, ensure_ascii=False)))

    assert failures == [], f"axe-core found serious or critical violations:\n{report(failures)}"


def active_field(page):
    """The name of the focused element (or its tag and text, for a button)."""
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return el.name || (el.tagName + ':' + el.textContent.trim()); }"
    )


def tab_to(page, is_target, limit):
    """Press Tab until `is_target(the focused element's name)`; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if is_target(active_field(page)):
            return presses
    raise AssertionError(f"not reached in {limit} presses of Tab; focus on {active_field(page)}")


def test_a_keyboard_user_reaches_fills_and_sends_the_comment_form(page, site_url, network):
    """From the top of the post, Tab alone leads to the form; typing fills it; Enter sends it."""
    post, _kinds = build_network(network)
    page.goto(site_url(BRETAGNE, urlsplit(post.full_url).path))
    in_form = "document.activeElement.closest('form#comment-form') !== null"

    tab_to(page, lambda name: name == "name", limit=80)
    assert page.evaluate(in_form)
    page.keyboard.type("Maël au clavier")
    tab_to(page, lambda name: name == "email", limit=2)
    page.keyboard.type("clavier@example.org")
    tab_to(page, lambda name: name == "body", limit=3)
    page.keyboard.type("Lu et commenté sans souris.")
    tab_to(page, lambda name: name.startswith("BUTTON:"), limit=6)
    assert page.evaluate(in_form)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "comment=pending" in page.url
    comment = Comment.objects.get(email="clavier@example.org")
    assert (comment.author_name, comment.body) == ("Maël au clavier", "Lu et commenté sans souris.")
    assert comment.page_id == post.pk


def test_public_pages_do_not_scroll_sideways_on_a_small_phone(new_page, site_url, network):
    _post, kinds = build_network(network)
    failures = []
    phone = new_page(viewport=PHONE)
    for kind in kinds:
        failures += [(kind.name, problem) for problem in open_page_type(phone, site_url, kind)]
        widths = phone.evaluate(
            "() => ({inner: window.innerWidth,"
            " document: document.documentElement.scrollWidth,"
            " body: document.body.scrollWidth,"
            " widest: [...document.body.querySelectorAll('*')]"
            "   .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)"
            "   .slice(0, 5).map(el => el.tagName.toLowerCase()"
            "     + (el.id ? '#' + el.id : '')"
            "     + (typeof el.className === 'string' && el.className"
            "       ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))})"
        )
        assert widths["inner"] == PHONE["width"]
        if max(widths["document"], widths["body"]) > widths["inner"]:
            failures.append((kind.name, f"scrolls sideways: {widths}"))

    assert failures == [], f"Pages wider than a 375 px screen:\n{report(failures)}"


# Checked with the pages, so that a checker that reads nothing cannot pass them (a <time> value
# with microseconds, which HTML refuses).
INVALID_CONTROL = (
    '<!DOCTYPE html><html lang="fr"><head><title>Témoin</title></head>'
    '<body><time datetime="2026-12-08T01:02:03.123456+00:00">hier</time></body></html>'
)


def nu_errors(documents, directory):
    """The Nu HTML checker's errors for each named HTML document (one Java run for all)."""
    paths = {}
    for index, (name, html) in enumerate(documents):
        path = directory / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        paths[f"file:{path}"] = name
    result = subprocess.run(
        [shutil.which("java"), "-jar", VNU_JAR, "--errors-only", "--format", "json"]
        + [url.removeprefix("file:") for url in paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        (paths.get(message.get("url"), message.get("url")), message.get("message"))
        for message in messages
    ]


def test_every_public_page_type_is_valid_html(page, site_url, network, tmp_path):
    """Each page type as the server sends it (the bytes, not the browser's DOM), the comment
    form sent back with errors included, passes the Nu HTML checker with no error."""
    if not Path(VNU_JAR).exists() or shutil.which("java") is None:
        message = f"the Nu HTML checker needs Java and {VNU_JAR} (make e2e installs it)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    _post, kinds = build_network(network)
    documents, failures = [], []
    for kind in kinds:
        response = page.goto(site_url(kind.host, kind.path))
        if kind.submit_empty_comment:
            with page.expect_navigation() as navigation:
                page.locator('form#comment-form button[type="submit"]').click()
            response = navigation.value
        if response is None or response.status != kind.status:
            failures.append((kind.name, f"answered {response and response.status}"))
            continue
        documents.append((kind.name, response.text()))

    errors = nu_errors([*documents, ("control", INVALID_CONTROL)], tmp_path)
    assert [name for name, _message in errors if name == "control"] == ["control"]
    failures += [(name, message) for name, message in errors if name != "control"]
    assert len(documents) == len(kinds)
    assert failures == [], f"Invalid HTML:\n{report(failures)}"
