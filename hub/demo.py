"""The demo network created by `manage.py seed_demo`: six sites on port 8000 and an admin.

Idempotent: each site is keyed by its host name and port; what exists is left as it is.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from wagtail.models import Locale, Page, Site

from sites.factory import SiteRequest, create_site

DEMO_PORT = 8000
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "maillage-demo"  # noqa: S105 (demo only: printed on purpose, see README)


@dataclass(frozen=True)
class DemoSite:
    hostname: str
    name: str
    slug: str
    kind: str
    region: str = ""
    theme: str = ""
    intro: str = ""
    name_en: str = ""
    intro_en: str = ""


DEMO_SITES = [
    DemoSite(
        "localhost",
        "Réseau Maillage",
        "accueil",
        "head",
        intro="Le site national du réseau : actualités, ressources et annuaire des régions.",
        name_en="Maillage Network",
        intro_en="The network's national site: news, resources and the regions.",
    ),
    DemoSite(
        "ile-de-france.localhost",
        "Maillage Île-de-France",
        "ile-de-france",
        "regional",
        region="Île-de-France",
        intro="L'économie sociale et solidaire en Île-de-France.",
        name_en="Maillage Île-de-France",
        intro_en="The social and solidarity economy in Île-de-France.",
    ),
    DemoSite(
        "bretagne.localhost",
        "Maillage Bretagne",
        "bretagne",
        "regional",
        region="Bretagne",
        intro="L'économie sociale et solidaire en Bretagne.",
        name_en="Maillage Brittany",
        intro_en="The social and solidarity economy in Brittany.",
    ),
    DemoSite(
        "occitanie.localhost",
        "Maillage Occitanie",
        "occitanie",
        "regional",
        region="Occitanie",
        intro="L'économie sociale et solidaire en Occitanie.",
        name_en="Maillage Occitanie",
        intro_en="The social and solidarity economy in Occitanie.",
    ),
    DemoSite(
        "emploi.localhost",
        "Maillage Emploi",
        "emploi",
        "thematic",
        theme="Emploi",
        intro="Emploi, insertion et formation dans le réseau.",
        name_en="Maillage Jobs",
        intro_en="Jobs, inclusion and training across the network.",
    ),
    DemoSite(
        "transition.localhost",
        "Maillage Transition",
        "transition",
        "thematic",
        theme="Transition écologique",
        intro="Transition écologique : projets et ressources du réseau.",
        name_en="Maillage Transition",
        intro_en="Ecological transition: projects and resources of the network.",
    ),
]


def _remove_wagtail_welcome_site():
    """Wagtail's first migration makes a placeholder site on localhost:80; the demo replaces it."""
    for site in Site.objects.filter(hostname="localhost", port=80).select_related("root_page"):
        root = site.root_page
        site.delete()
        if root.specific_class is Page and not root.get_children().exists():
            root.delete()


def _create_site(demo, english):
    site = create_site(
        SiteRequest(
            name=demo.name,
            hostname=demo.hostname,
            port=DEMO_PORT,
            kind=demo.kind,
            region=demo.region,
            theme=demo.theme,
            locale="fr",
            is_default=demo.hostname == "localhost",
        )
    )
    home = site.root_page.specific
    home.intro = demo.intro
    home.save_revision().publish()
    translation = home.copy_for_translation(english)
    translation.title = demo.name_en
    translation.intro = demo.intro_en
    translation.save_revision().publish()
    return site


@transaction.atomic
def seed_demo(sites=None):
    """Create what is missing of the demo network; return a list of (verb, description)."""
    changes = []
    Locale.objects.get_or_create(language_code="fr")
    english, created = Locale.objects.get_or_create(language_code="en")
    if created:
        changes.append(("created", "locale en"))

    _remove_wagtail_welcome_site()
    for demo in DEMO_SITES if sites is None else sites:
        if Site.objects.filter(hostname=demo.hostname, port=DEMO_PORT).exists():
            continue
        _create_site(demo, english)
        changes.append(("created", f"site {demo.name} ({demo.hostname}:{DEMO_PORT})"))

    User = get_user_model()
    if not User.objects.filter(username=ADMIN_USERNAME).exists():
        User.objects.create_superuser(ADMIN_USERNAME, "admin@localhost", ADMIN_PASSWORD)
        changes.append(("created", f"administrator {ADMIN_USERNAME}"))
    return changes


def demo_urls():
    return [(d.name, f"http://{d.hostname}:{DEMO_PORT}/") for d in DEMO_SITES]
