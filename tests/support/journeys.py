"""Steps shared by the journeys: what a person does in the admin, written once."""

import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils import timezone

import pytest

from blog.models import LocalAdaptation, NetworkNewsPage
from comments import selfservice
from comments.models import CommentStatus, ConfirmedEmail
from sites import lifecycle
from sites.factory import SiteRequest, create_site
from sites.models import StandardPage
from tests.support.blog import (
    blog_of,
    make_author,
    make_category,
    make_image,
    make_post,
    share,
)
from tests.support.comments import make_comment

HEAD = "localhost"
DRAFT_SITE = "corse.localhost"  # made by build_network, never launched
ARCHIVED_SITE = "normandie.localhost"  # made by build_network, launched then archived
PASSWORD = "x"  # the password make_user (tests/support/comments.py) gives


def field(label):
    """A form field's accessible name in Wagtail's admin: its label, marked * when required."""
    return re.compile(rf"^{re.escape(label)}\*?$")


def log_in(page, site_url, username, host=HEAD):
    """Sign in through Wagtail's login form, as a person would; the admin opens on its home."""
    page.goto(site_url(host, "/admin/login/"))
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="password"]').press("Enter")
    page.wait_for_url(site_url(host, "/admin/"))


BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"


SEARCH_TERM = "habitat"


# Lazy images (the avatars) load once near the viewport: scroll to the end (the page is opened
# tall enough for every image to be near), then wait for every image and font to be settled.
SETTLE = """async () => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    const settled = img => img.complete ? null : new Promise(done => {
        img.addEventListener("load", done, {once: true});
        img.addEventListener("error", done, {once: true});
    });
    await Promise.race([
        Promise.all([document.fonts.ready, ...[...document.images].map(settled)]),
        new Promise(done => setTimeout(done, 3000)),
    ]);
}"""


@pytest.fixture(autouse=True)
def quick_forms(settings):
    """The browser fills forms at once, faster than the anti-robot delay."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = "100/10m"


@pytest.fixture(autouse=True)
def unreachable_gravatar(settings):
    """Gravatar at a local port where nothing listens: the server's fetch fails at once and the
    avatar falls back to the local drawing (and no test ever reaches the real Gravatar)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.COMMENTS_GRAVATAR_URL = f"http://127.0.0.1:{port}/avatar/"
    settings.COMMENTS_GRAVATAR_TIMEOUT = 0.5


@dataclass(frozen=True)
class PageType:
    """A public page type: where it is, the status it answers and an element proving that the
    page shows what this type is about (so that no check passes on an empty page)."""

    name: str
    host: str
    path: str
    status: int
    proof: str
    submit_empty_comment: bool = False  # then the page is the form sent empty (answers 400)


def build_network(network):
    """Two regional sites and the head site, with what each public page type shows: a post
    with a hero image, a rich body, authors, categories, tags and a thread with replies and
    avatars (one asking for a Gravatar); a post on Occitanie for the network news."""
    bretagne, occitanie = network["bretagne"], network["occitanie"]
    housing = make_category("Logement", description="Habiter autrement.")
    author = make_author("Maëlle Kerjean")
    post = make_post(
        blog_of(bretagne),
        f"Un {SEARCH_TERM} partagé à Rennes",
        authors=[author],
        categories=[housing],
        tags=["coopérative", "habitat participatif"],
        hero=make_image("Chantier à Rennes", size=(1200, 600)),
        intro="Douze foyers, une cour commune et un atelier partagé.",
        body=[
            ("heading", {"text": "Le chantier", "level": "h2"}),
            (
                "paragraph",
                "<p>Le premier chantier a commencé en mars. Le dossier complet est en ligne : "
                '<a href="https://habitat-participatif.example.org/rennes/dossier-complet-du-'
                'projet-de-la-cour-commune-2025.pdf">https://habitat-participatif.example.org/'
                "rennes/dossier-complet-du-projet-de-la-cour-commune-2025.pdf</a></p>",
            ),
            ("quote", {"text": "Habiter, c'est aussi partager.", "source": "Une habitante"}),
            ("video", {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Visite"}),
            (
                "call_to_action",
                {
                    "text": "Rejoindre le projet",
                    "url": "https://habitat.example.org/",
                    "page": None,
                },
            ),
        ],
    )
    first = make_comment(
        post, author_name="Maël", email="mael@example.org", url="https://mael.example.org/"
    )
    make_comment(post, parent=first, author_name="Anne", body="Je suis d'accord avec Maël.")
    make_comment(
        post,
        author_name="Gwen",
        email="gwen@example.org",
        use_gravatar=True,
        body="Tout est là : https://habitat-participatif.example.org/ressources/"
        "guide-complet-de-l-habitat-groupe-en-bretagne-2025.pdf",
    )
    # She gave her consent from the link mailed to her address (only that switches Gravatar on).
    ConfirmedEmail.objects.create(
        email="gwen@example.org", confirmed_at=timezone.now(), gravatar_since=timezone.now()
    )
    make_comment(post, status=CommentStatus.PENDING, author_name="Robot", body="Pas encore.")
    make_post(blog_of(occitanie), f"Un {SEARCH_TERM} coopératif à Toulouse", categories=[housing])
    news = NetworkNewsPage(title="Actualités du réseau", slug="actualites", intro="Tout le réseau.")
    network["head"].root_page.add_child(instance=news)

    # Bretagne's post shown on Occitanie, which adapted it locally (a title and two notes).
    share(post, occitanie)
    LocalAdaptation.objects.create(
        post=post,
        site=occitanie,
        title="Habitat participatif : l'exemple de Rennes",
        note_above="<p>Une visite est prévue depuis Toulouse en juin.</p>",
        note_below="<p>Contact : l'équipe d'Occitanie.</p>",
    )
    # A site not launched yet and an archived one: what their visitors get.
    create_site(
        SiteRequest(name="Maillage Corse", hostname=DRAFT_SITE, kind="regional", region="Corse")
    )
    archived = create_site(
        SiteRequest(
            name="Maillage Normandie", hostname=ARCHIVED_SITE, kind="regional", region="Normandie"
        )
    )
    lifecycle.launch(archived)
    lifecycle.archive(archived)

    privacy = StandardPage.objects.descendant_of(bretagne.root_page).get(
        slug="politique-de-confidentialite"
    )
    post_path = urlsplit(post.full_url).path
    token = selfservice.make_token("mael@example.org", "fr")
    return post, [
        PageType("home (regional)", BRETAGNE, "/", 200, "main"),
        PageType("home (head)", HEAD, "/", 200, "main"),
        PageType("standard page", BRETAGNE, urlsplit(privacy.full_url).path, 200, "main h1"),
        PageType("blog index", BRETAGNE, "/blog/", 200, f'a[href$="{post.slug}/"]'),
        PageType("post with comments", BRETAGNE, post_path, 200, ".comments__replies"),
        PageType("network news", HEAD, "/actualites/", 200, f'a[href*="{BRETAGNE}"]'),
        PageType("search (site)", BRETAGNE, f"/search/?q={SEARCH_TERM}", 200, ".search-result"),
        PageType(
            "search (network)",
            HEAD,
            f"/search/?q={SEARCH_TERM}&scope=network",
            200,
            ".search-facets",
        ),
        PageType("manage my comments", BRETAGNE, "/comments/manage/", 200, "#manage-form"),
        PageType("my comments", BRETAGNE, f"/comments/manage/{token}/", 200, "#manage-erase"),
        PageType("comment form with errors", BRETAGNE, post_path, 400, ".errorlist", True),
        PageType("404", BRETAGNE, "/cette-page-n-existe-pas/", 404, "main h1"),
        PageType(
            "shared post, adapted locally",
            OCCITANIE,
            f"/blog/{post.slug}/",
            200,
            "[data-local-note]",
        ),
        PageType("draft site (404)", DRAFT_SITE, "/", 404, "main h1"),
        PageType("archived site (410)", ARCHIVED_SITE, "/", 410, "main h1"),
    ]


def open_page_type(page, site_url, kind):
    """Open `kind` as a visitor would; a list of what is wrong (wrong status, no proof)."""
    response = page.goto(site_url(kind.host, kind.path))
    if kind.submit_empty_comment:
        with page.expect_navigation() as navigation:
            page.locator('form#comment-form button[type="submit"]').click()
        response = navigation.value
    problems = []
    if response is None or response.status != kind.status:
        problems.append(f"answered {response and response.status}, not {kind.status}")
    if page.locator(kind.proof).count() == 0:
        problems.append(f"shows no {kind.proof!r}")
    return problems
