"""The demo network created by `manage.py seed_demo`: six branded sites on port 8000, their blogs
(content from hub/demo/blog.py) and accounts.

Idempotent: each site is keyed by its host name and port, each page by its slug, each account by its
user name; what exists is left as it is, and only what is missing is created.
"""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import TranslationSource

from blog.models import BlogPostPage
from hub.demo import blog as blog_demo
from hub.demo import comments as comments_demo
from sites import lifecycle
from sites.factory import SiteRequest, create_site
from sites.models import SiteSettings, StandardPage

DEMO_PORT = 8000
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "maillage-demo"  # noqa: S105 (demo only: printed on purpose, see README)
# One password for every demo account, printed by the command like the admin's.
DEMO_PASSWORD = ADMIN_PASSWORD
LOGOS_DIR = Path(__file__).resolve().parent / "assets" / "logos"
PORTRAITS_DIR = Path(__file__).resolve().parent / "assets" / "portraits"
ABOUT_SLUG = "a-propos"
ABOUT_SLUG_EN = "about"


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
    # Each pair of primary and text colour passes WCAG AA (4.5:1); the accent is decorative.
    primary_colour: str = "#1d4f91"
    text_on_primary_colour: str = "#ffffff"
    accent_colour: str = "#c2410c"
    tagline: str = ""

    @property
    def logo_path(self):
        return LOGOS_DIR / f"{self.slug}.png"


@dataclass(frozen=True)
class DemoUser:
    """An account holding one role on one demo site (role: editors, moderators, administrators)."""

    username: str
    hostname: str
    role: str
    description: str


DEMO_SITES = [
    DemoSite(
        "localhost",
        "Réseau Maillage",
        "accueil",
        "head",
        intro="Le site national du réseau : actualités, ressources et annuaire des régions.",
        name_en="Maillage Network",
        intro_en="The network's national site: news, resources and the regions.",
        primary_colour="#1d4f91",
        text_on_primary_colour="#ffffff",
        accent_colour="#c2410c",
        tagline="Le réseau de l'économie sociale et solidaire",
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
        primary_colour="#6b21a8",
        text_on_primary_colour="#ffffff",
        accent_colour="#db2777",
        tagline="Entreprendre autrement en Île-de-France",
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
        primary_colour="#1e293b",
        text_on_primary_colour="#ffffff",
        accent_colour="#0284c7",
        tagline="Entreprendre autrement en Bretagne",
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
        # A light primary colour: dark text on it, and links fall back to the body text colour.
        primary_colour="#fcd34d",
        text_on_primary_colour="#1f2933",
        accent_colour="#b91c1c",
        tagline="Entreprendre autrement en Occitanie",
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
        primary_colour="#0f766e",
        text_on_primary_colour="#ffffff",
        accent_colour="#f59e0b",
        tagline="Emploi, insertion et formation",
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
        primary_colour="#166534",
        text_on_primary_colour="#ffffff",
        accent_colour="#84cc16",
        tagline="Projets et ressources pour la transition écologique",
    ),
]

DEMO_USERS = [
    DemoUser("bretagne-editeur", "bretagne.localhost", "editors", "editor of Maillage Bretagne"),
    DemoUser(
        "bretagne-moderateur", "bretagne.localhost", "moderators", "moderator of Maillage Bretagne"
    ),
    DemoUser(
        "bretagne-admin",
        "bretagne.localhost",
        "administrators",
        "administrator of Maillage Bretagne",
    ),
]

# The model's default colours: a site still wearing them has never been branded by anyone.
_DEFAULT_COLOURS = tuple(
    SiteSettings._meta.get_field(name).default
    for name in ("primary_colour", "text_on_primary_colour", "accent_colour")
)


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
    # The factory started the English home with wagtail-localize (sites.translation), a draft
    # copy of the French: its source takes the intro just set, then it gets its English strings.
    TranslationSource.update_or_create_from_instance(home)
    blog_demo._localize(home, english, {demo.name: demo.name_en, demo.intro: demo.intro_en})
    lifecycle.launch(site)  # a new site is a draft; the demo's are open to visitors
    return site


def _brand(site, demo):
    """Colours, tagline, contact and logo: set where nobody has set them yet."""
    changes = []
    settings = SiteSettings.for_site(site)
    colours = (settings.primary_colour, settings.text_on_primary_colour, settings.accent_colour)
    wanted = (demo.primary_colour, demo.text_on_primary_colour, demo.accent_colour)
    fields = []
    if colours == _DEFAULT_COLOURS and wanted != colours:
        (
            settings.primary_colour,
            settings.text_on_primary_colour,
            settings.accent_colour,
        ) = wanted
        fields += ["primary_colour", "text_on_primary_colour", "accent_colour"]
    if not settings.tagline and demo.tagline:
        settings.tagline = demo.tagline
        fields.append("tagline")
    if not settings.contact_email:
        settings.contact_email = f"{demo.slug}@maillage.example"
        fields.append("contact_email")
    if settings.logo_id is None and demo.logo_path.exists():
        settings.logo = _import_logo(site, demo)
        fields.append("logo")
        changes.append(("imported", f"logo of {demo.name}"))
    if settings.favicon_id is None and settings.logo_id is not None:
        settings.favicon = settings.logo
        fields.append("favicon")
    if fields:
        settings.full_clean()
        settings.save(update_fields=fields)
        changes.append(("branded", f"{demo.name} ({', '.join(fields)})"))
    return changes


def _import_logo(site, demo):
    collection = site.profile.collection
    Image = get_image_model()
    with demo.logo_path.open("rb") as source:
        image = Image(
            title=f"Logo {demo.name}",
            file=ImageFile(source, name=demo.logo_path.name),
            **({"collection": collection} if collection else {}),
        )
        image._set_image_file_metadata()
        image.save()
    return image


ABOUT_TEXT = {
    "fr": (
        "%(name)s est un site du réseau Maillage, qui relie les acteurs de l'économie sociale et "
        "solidaire : associations, coopératives, mutuelles et entreprises d'utilité sociale."
    ),
    "en": (
        "%(name)s is a site of the Maillage network, which links the players of the social and "
        "solidarity economy: associations, cooperatives, mutuals and social enterprises."
    ),
}


def _add_about_page(site, demo, english):
    """An "À propos" page in the menu, and its English translation."""
    changes = []
    home = site.root_page.specific
    about = home.get_children().filter(slug=ABOUT_SLUG).first()
    if about is None:
        about = StandardPage(
            title="À propos",
            slug=ABOUT_SLUG,
            locale=home.locale,
            show_in_menus=True,
            intro=demo.intro,
            body=[("paragraph", f"<p>{ABOUT_TEXT['fr'] % {'name': demo.name}}</p>")],
        )
        home.add_child(instance=about)
        about.save_revision().publish()
        changes.append(("created", f"page À propos of {demo.name}"))
    about = about.specific
    english_home = home.get_translation_or_none(english)
    if english_home is not None and not about.has_translation(english):
        translation = about.copy_for_translation(english)
        translation.title = "About"
        translation.slug = ABOUT_SLUG_EN
        translation.intro = demo.intro_en
        translation.body = [("paragraph", f"<p>{ABOUT_TEXT['en'] % {'name': demo.name_en}}</p>")]
        translation.save_revision().publish()
        changes.append(("created", f"page About of {demo.name_en}"))
    return changes


def _add_blog_content(seeded, english):
    """Authors (each of its site, or the network's; portraits in the head site's collection) and
    categories, then each site's posts: the content itself is in hub/demo/blog.py."""
    head = next((site for site, demo in seeded if demo.kind == "head"), None)
    if head is None:
        head = Site.objects.filter(is_default_site=True).first()
    profile = getattr(head, "profile", None) if head else None
    changes = blog_demo.seed_network(
        english,
        collection=getattr(profile, "collection", None),
        portraits_dir=PORTRAITS_DIR,
        sites={demo.slug: site for site, demo in seeded},
    )
    for site, demo in seeded:
        changes += blog_demo.seed_blog(site, demo.slug, english)
    changes += blog_demo.seed_sharing({demo.slug: site for site, demo in seeded})
    changes += blog_demo.seed_network_news(head, english)
    changes += _add_comments([site for site, _demo in seeded])
    return changes


# Which sites' posts get the demo conversations: the newest post of each, in this order.
COMMENTED_SITES = ("bretagne.localhost", "localhost", "occitanie.localhost")


def _add_comments(sites):
    """Conversations (approved threads, pending and spam comments) on the newest post of a few
    sites; a post that already has comments is left alone."""
    changes = []
    by_host = {site.hostname: site for site in sites}
    conversations = iter(comments_demo.CONVERSATIONS * len(COMMENTED_SITES))
    for hostname in COMMENTED_SITES:
        site = by_host.get(hostname)
        if site is None:
            continue
        post = (
            BlogPostPage.objects.live()
            .descendant_of(site.root_page)
            .order_by("-date", "-pk")
            .first()
        )
        if post is None:
            continue
        written = comments_demo.seed_comments(post, next(conversations))
        if written:
            changes.append(("created", f"{written} comments on {post.title} ({site.site_name})"))
    return changes


def _add_demo_users():
    changes = []
    User = get_user_model()
    for demo_user in DEMO_USERS:
        site = Site.objects.filter(hostname=demo_user.hostname, port=DEMO_PORT).first()
        profile = getattr(site, "profile", None)
        group = getattr(profile, demo_user.role, None) if profile else None
        if group is None:
            continue
        user = User.objects.filter(username=demo_user.username).first()
        if user is None:
            user = User.objects.create_user(
                demo_user.username, f"{demo_user.username}@maillage.example", DEMO_PASSWORD
            )
            user.groups.add(group)
            changes.append(("created", f"account {demo_user.username} ({demo_user.description})"))
        elif not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            changes.append(("added", f"{demo_user.username} to the group {group.name}"))
    return changes


@transaction.atomic
def seed_demo(sites=None):
    """Create what is missing of the demo network; return a list of (verb, description)."""
    changes = []
    Locale.objects.get_or_create(language_code="fr")
    english, created = Locale.objects.get_or_create(language_code="en")
    if created:
        changes.append(("created", "locale en"))

    _remove_wagtail_welcome_site()
    seeded = []
    for demo in DEMO_SITES if sites is None else sites:
        site = Site.objects.filter(hostname=demo.hostname, port=DEMO_PORT).first()
        if site is None:
            site = _create_site(demo, english)
            changes.append(("created", f"site {demo.name} ({demo.hostname}:{DEMO_PORT})"))
        changes += _brand(site, demo)
        changes += _add_about_page(site, demo, english)
        seeded.append((site, demo))

    changes += _add_blog_content(seeded, english)
    changes += _add_demo_users()

    User = get_user_model()
    if not User.objects.filter(username=ADMIN_USERNAME).exists():
        User.objects.create_superuser(ADMIN_USERNAME, "admin@localhost", ADMIN_PASSWORD)
        changes.append(("created", f"administrator {ADMIN_USERNAME}"))
    return changes


def demo_urls():
    return [(d.name, f"http://{d.hostname}:{DEMO_PORT}/") for d in DEMO_SITES]


def demo_accounts():
    """(user name, password, what the account may do), as printed by the command."""
    return [
        (ADMIN_USERNAME, ADMIN_PASSWORD, "superuser"),
        *[(u.username, DEMO_PASSWORD, u.description) for u in DEMO_USERS],
    ]
