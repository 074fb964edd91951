"""What a new site still needs before it goes live: its launch checklist.

`launch_checklist(site)` answers for one site (the checklist page); the network dashboard reads the
same facts for many sites at once and hands them to `build_checklist`, so both always agree.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.models import Site

from . import network
from .models import SiteSettings


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to do, and `who` does it (a role, docs/roles.md). `done` is None for what only
    the operator can check (it is a note, never counted as done or as missing)."""

    key: str
    label: str
    done: bool | None
    url: str = ""
    note: str = ""
    who: str = ""

    @property
    def is_note(self):
        return self.done is None


@dataclass(frozen=True)
class Checklist:
    site: Site
    items: tuple

    def __iter__(self):
        return iter(self.items)

    @property
    def done(self):
        return sum(1 for item in self.items if item.done)

    @property
    def total(self):
        return sum(1 for item in self.items if not item.is_note)

    @property
    def complete(self):
        return self.done == self.total

    @property
    def progress(self):
        """Share of the checkable items done, from 0 to 1; used to sort sites."""
        return self.done / self.total if self.total else 1

    @property
    def progress_label(self):
        return _("%(done)s of %(total)s") % {"done": self.done, "total": self.total}


# --- The facts, shared with the dashboard -------------------------------------------------------


def post_models():
    """The page models that count as posts, from settings.MAILLAGE_POST_MODELS ("app.Model");
    named in a setting so that sites/ never imports blog/."""
    return [apps.get_model(label) for label in settings.MAILLAGE_POST_MODELS]


# --- The rule ---------------------------------------------------------------------------------


def settings_url(site):
    return reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings", site.pk])


def build_checklist(site, site_settings, published_posts):
    """The checklist of a site from facts already read: its SiteSettings (or None) and its number
    of published posts."""
    settings_link = settings_url(site)
    logo = bool(site_settings and site_settings.logo_id)
    contact = bool(
        site_settings and (site_settings.contact_email or site_settings.postal_address.strip())
    )
    privacy_page = site_settings.privacy_page if site_settings else None
    privacy_live = privacy_page is not None and privacy_page.live
    privacy = bool(site_settings and site_settings.privacy_page_reviewed and privacy_live)
    if privacy_page is not None and not privacy_live:
        privacy_link = reverse("wagtailadmin_pages:edit", args=[privacy_page.pk])
        privacy_note = _("The privacy policy page is not published.")
    else:
        privacy_link = settings_link
        privacy_note = ""
    return Checklist(
        site=site,
        items=(
            ChecklistItem(
                key="logo",
                label=_("A logo is set"),
                done=logo,
                url=settings_link,
                who=_("Site administrators"),
            ),
            ChecklistItem(
                key="contact",
                label=_("A contact e-mail or postal address is set"),
                done=contact,
                url=settings_link,
                who=_("Site administrators"),
            ),
            ChecklistItem(
                key="privacy",
                label=_("The privacy policy has been reviewed and is published"),
                done=privacy,
                url=privacy_link,
                note=privacy_note,
                who=_("Site administrators"),
            ),
            ChecklistItem(
                key="post",
                label=_("At least one post is published"),
                done=published_posts > 0,
                url=reverse("wagtailadmin_explore", args=[site.root_page_id]),
                who=_("Editors"),
            ),
            ChecklistItem(
                key="dns",
                label=_("The host name is reachable"),
                done=None,
                url=site.root_url,
                note=_(
                    "Left to the operator: point the DNS record of %(hostname)s to the server "
                    "and check that the site answers over HTTPS."
                )
                % {"hostname": site.hostname},
                who=_("Network administrators"),
            ),
        ),
    )


def launch_checklist(site):
    """The launch checklist of one site."""
    site_settings = SiteSettings.objects.filter(site=site).select_related("privacy_page").first()
    tree = network.pages_condition(site)
    has_post = any(model.objects.live().filter(tree).exists() for model in post_models())
    return build_checklist(site, site_settings, published_posts=int(has_post))
