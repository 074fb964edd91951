"""The site factory: one call makes a complete, branded, permissioned site, or nothing at all.

Used by `manage.py create_site`, the admin's "Add a site" view and `seed_demo`.
"""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.models import Collection, Locale, Page, Site

from comments import inventory

from . import roles, translation
from .models import HomePage, SiteKind, SiteProfile, SiteSettings, StandardPage
from .signals import site_created

HOSTNAME = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$")


@dataclass
class SiteRequest:
    """What a network administrator asks for; validate() explains every problem at once."""

    name: str
    hostname: str
    kind: str
    port: int = 80
    region: str = ""
    theme: str = ""
    locale: str = ""
    is_default: bool = False

    def __post_init__(self):
        self.name = (self.name or "").strip()
        self.hostname = (self.hostname or "").strip().lower().rstrip(".")
        self.kind = (self.kind or "").strip().lower()
        self.region = (self.region or "").strip()
        self.theme = (self.theme or "").strip()
        self.locale = (self.locale or settings.LANGUAGE_CODE).strip()

    def validate(self):
        errors = {}
        if not self.name:
            errors["name"] = _("Give the site a name.")
        elif len(self.name) > 100:
            errors["name"] = _("Keep the name under 100 characters.")
        elif Group.objects.filter(name__in=group_names(self.name).values()).exists():
            errors["name"] = _("A site named “%(name)s” already exists; choose another name.") % {
                "name": self.name
            }
        if not HOSTNAME.match(self.hostname):
            errors["hostname"] = _(
                "“%(hostname)s” is not a valid host name: use letters, digits, hyphens and dots, "
                "without http:// or a port (e.g. bretagne.example.org)."
            ) % {"hostname": self.hostname}
        try:
            self.port = int(self.port)
            if not 1 <= self.port <= 65535:
                raise ValueError
        except (TypeError, ValueError):
            errors["port"] = _("The port must be a number between 1 and 65535.")
        if "hostname" not in errors and "port" not in errors:
            taken = Site.objects.filter(hostname=self.hostname, port=self.port).first()
            if taken:
                errors["hostname"] = _(
                    "%(hostname)s:%(port)s is already used by the site “%(site)s”."
                ) % {"hostname": self.hostname, "port": self.port, "site": taken.site_name}
        if self.kind not in SiteKind.values:
            errors["kind"] = _("Unknown kind “%(kind)s”: choose head, regional or thematic.") % {
                "kind": self.kind
            }
        elif self.kind == SiteKind.REGIONAL and not self.region:
            errors["region"] = _("A regional site needs a region.")
        elif self.kind == SiteKind.THEMATIC and not self.theme:
            errors["theme"] = _("A thematic site needs a theme.")
        languages = dict(settings.LANGUAGES)
        if self.locale not in languages:
            errors["locale"] = _("Unknown language “%(locale)s”: choose one of %(choices)s.") % {
                "locale": self.locale,
                "choices": ", ".join(languages),
            }
        if errors:
            raise ValidationError(errors)


def group_names(name):
    """Fixed, untranslated names ("<name> editors", …): whoever creates the site, in whatever
    language, the groups are called the same and other tools can find them."""
    return {
        "editors": f"{name} editors",
        "moderators": f"{name} moderators",
        "administrators": f"{name} administrators",
    }


def _unique_root_slug(hostname):
    base = slugify(hostname.split(".")[0]) or "site"
    taken = set(Page.get_first_root_node().get_children().values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


LEGAL_TEXT = {
    "fr": ["Éditeur du site : %(name)s. Hébergement : à compléter par l'administrateur."],
    "en": ["Published by %(name)s. Hosting: to be completed by the site administrator."],
}


def _paragraphs(texts, **values):
    return [("paragraph", f"<p>{text % values}</p>") for text in texts]


def _privacy_body(language, name):
    """Generated from the comments' data inventory, so that it states the retention periods this
    installation is configured with; its <h2> sections become heading blocks."""
    parts = re.split(r"<h2>(.*?)</h2>", inventory.privacy_policy_html(language, name))
    blocks = [("paragraph", parts[0].strip())] if parts[0].strip() else []
    for heading, content in zip(parts[1::2], parts[2::2], strict=True):
        blocks.append(("heading", {"text": html.unescape(heading), "level": "h2"}))
        if content.strip():
            blocks.append(("paragraph", content.strip()))
    return blocks


def _legal_body(language, name):
    return _paragraphs(LEGAL_TEXT[language], name=name)


# The pages every site starts with, in the site's language: (settings field, title, body builder).
DEFAULT_PAGES = {
    "fr": [
        ("privacy_page", "Politique de confidentialité", _privacy_body),
        ("legal_notice_page", "Mentions légales", _legal_body),
    ],
    "en": [
        ("privacy_page", "Privacy policy", _privacy_body),
        ("legal_notice_page", "Legal notice", _legal_body),
    ],
}


def translate_default_pages(site, locale):
    """The site's privacy policy and legal notice in `locale`, generated in that language from
    the inventory, under the site's home translated into it (the English tree must not link to
    the French pages); a page already translated, or a language without default pages, is left
    alone. Called when a home page is translated (sites.signal_handlers) and by
    `translate_policy_pages` for sites translated earlier. Returns the pages made."""
    language = locale.language_code
    site_settings = SiteSettings.objects.filter(site=site).first()
    if language not in DEFAULT_PAGES or site_settings is None:
        return []
    made = []
    for field, title, build_body in DEFAULT_PAGES[language]:
        page = getattr(site_settings, field)
        if page is None or page.locale_id == locale.pk or page.has_translation(locale):
            continue
        if not page.get_parent().has_translation(locale):
            continue
        translation = page.specific.copy_for_translation(locale)
        translation.title = title
        translation.slug = slugify(title)
        translation.body = build_body(language, site.site_name)
        translation.save_revision().publish()
        made.append(translation)
    return made


@transaction.atomic
def create_site(request: SiteRequest) -> Site:
    """Create the home page, Site, profile, settings, default pages, collection and groups."""
    request.validate()
    locale, _created = Locale.objects.get_or_create(language_code=request.locale)
    root = Page.get_first_root_node()

    home = _publish_child(
        root, HomePage(title=request.name, slug=_unique_root_slug(request.hostname), locale=locale)
    )
    if request.is_default:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    site = Site.objects.create(
        hostname=request.hostname,
        port=request.port,
        site_name=request.name,
        root_page=home,
        is_default_site=request.is_default,
    )
    collection = Collection.get_first_root_node().add_child(name=request.name)
    names = group_names(request.name)
    profile = SiteProfile.objects.create(
        site=site,
        kind=request.kind,
        region=request.region if request.kind == SiteKind.REGIONAL else "",
        theme=request.theme if request.kind == SiteKind.THEMATIC else "",
        collection=collection,
        editors=Group.objects.create(name=names["editors"]),
        moderators=Group.objects.create(name=names["moderators"]),
        administrators=Group.objects.create(name=names["administrators"]),
    )

    language = request.locale if request.locale in DEFAULT_PAGES else "en"
    policy_pages = {
        field: _publish_child(
            home,
            StandardPage(
                title=title,
                slug=slugify(title),
                locale=locale,
                body=build_body(language, request.name),
            ),
        )
        for field, title, build_body in DEFAULT_PAGES[language]
    }
    SiteSettings.objects.update_or_create(site=site, defaults=policy_pages)
    roles.grant_site_roles(profile)
    # The home in English if the network has English: a draft for its editors to translate.
    translation.start_home_translations(home)
    site_created.send(sender=SiteProfile, site=site, profile=profile, home=home, locale=locale)
    return site
