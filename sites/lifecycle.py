"""A site's life: a draft until launched, then live, maybe archived, and deleted once archived.

The rules here are called by the admin views (launch from the checklist; archive, unarchive and
delete from the network dashboard), `manage.py create_site --launch` and seed_demo. Serving
follows the status (sites.middleware): a draft is shown to its team and the network
administrators only, an archived site answers 410 or redirects to the head site. Public listings
(network news, search, sharing targets, hreflang) keep to sites.network.public_site_ids().

Each action is recorded in Wagtail's log of the Site (the site's history, "maillage.site_*").
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as log_action
from wagtail.models import Collection, Page

from comments.models import ModerationDigest
from infra import page_cache

from . import network, roles
from .models import SiteProfile, SiteStatus
from .signals import site_opened

LAUNCH = "maillage.site_launch"
ARCHIVE = "maillage.site_archive"
UNARCHIVE = "maillage.site_unarchive"
DELETE = "maillage.site_delete"


class SiteLifeError(ValidationError):
    """An action the site's status does not allow (the message says why, for the admin)."""


# --- Who may ---------------------------------------------------------------------------------


def may_launch(user, site):
    """The site's administrators and the network administrators."""
    return roles.is_network_admin(user) or roles.has_role(user, site, roles.ADMINISTRATOR)


def may_archive_or_delete(user):
    """Archiving, bringing back and deleting a site are the network administrators' actions."""
    return roles.is_network_admin(user)


def may_see_unlaunched(user, site_id):
    """Whether the user may see a draft site's pages: a member of its team (editors, moderators,
    administrators) or a network administrator. No query for anonymous visitors; one or two for
    a signed-in user (kept on the user for the request)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if roles.is_network_admin(user):
        return True
    memo = user.__dict__.setdefault("_maillage_team_sites", {})
    if site_id not in memo:
        memo[site_id] = SiteProfile.objects.filter(
            Q(editors__user=user) | Q(moderators__user=user) | Q(administrators__user=user),
            site_id=site_id,
        ).exists()
    return memo[site_id]


# --- The actions ----------------------------------------------------------------------------


def _profile(site):
    profile = SiteProfile.objects.select_for_update().filter(site_id=site.pk).first()
    if profile is None:
        raise SiteLifeError(_("This site has no network profile: its status cannot change."))
    return profile


def _record(site, action, user, **data):
    """Log the action in the Site's history; every cached page goes stale, since other sites'
    pages list this one's posts (shared posts, network news) and name it (filters, search)."""
    log_action(site, action, user=user, title=site.site_name or site.hostname, data=data)
    page_cache.invalidate(page_cache.EVERYTHING)


@transaction.atomic
def launch(site, user=None):
    """Open a draft site to the public."""
    profile = _profile(site)
    if profile.status != SiteStatus.DRAFT:
        raise SiteLifeError(_("Only a draft site can be launched."))
    profile.status = SiteStatus.LIVE
    profile.launched_at = timezone.now()
    profile.save(update_fields=["status", "launched_at"])
    _record(site, LAUNCH, user)
    site_opened.send(sender=SiteProfile, site=site)
    return profile


@transaction.atomic
def archive(site, user=None, redirect_to_head=False):
    """Close a live (or draft) site: its content is kept; visitors get 410 Gone, or are sent to
    the head site's home page."""
    profile = _profile(site)
    if profile.status == SiteStatus.ARCHIVED:
        raise SiteLifeError(_("This site is already archived."))
    if redirect_to_head and profile.kind == "head":
        raise SiteLifeError(_("The head site cannot redirect to itself."))
    profile.status = SiteStatus.ARCHIVED
    profile.archived_redirects_to_head = bool(redirect_to_head)
    profile.archived_at = timezone.now()
    profile.save(update_fields=["status", "archived_redirects_to_head", "archived_at"])
    _record(site, ARCHIVE, user, redirect_to_head=bool(redirect_to_head))
    return profile


@transaction.atomic
def unarchive(site, user=None):
    """Bring an archived site back: live again if it had been launched, else a draft."""
    profile = _profile(site)
    if profile.status != SiteStatus.ARCHIVED:
        raise SiteLifeError(_("Only an archived site can be brought back."))
    profile.status = SiteStatus.LIVE if profile.launched_at else SiteStatus.DRAFT
    profile.archived_redirects_to_head = False
    profile.archived_at = None
    profile.save(update_fields=["status", "archived_redirects_to_head", "archived_at"])
    _record(site, UNARCHIVE, user, status=profile.status)
    if profile.status == SiteStatus.LIVE:
        site_opened.send(sender=SiteProfile, site=site)
    return profile


# --- Deleting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gone:
    """One kind of row a deletion removes: `model` is its label ("wagtailcore.page")."""

    model: str
    label: str
    count: int


def _homes(site):
    """The site's homes (sites.network), refusing when deleting them would take another site's
    pages: another Site on the same root page, or another site's home nested below."""
    own = network.homes(site)
    paths = [home.path for home in own]
    for home in network.homes():
        if home.site_id != site.pk and any(home.path.startswith(path) for path in paths):
            raise SiteLifeError(
                _("Another site (%(name)s) is served from these pages: it would go too.")
                % {"name": network.site_name(home.site_id)}
            )
    return Page.objects.filter(pk__in=[home.page_id for home in own])


def _tree(homes):
    condition = Q(pk__in=[])
    for path in homes.values_list("path", flat=True):
        condition |= Q(path__startswith=path)
    return Page.objects.filter(condition)


def _owned(site):
    """(homes, collections, groups, digests): what the site owns besides what cascades from its
    Site row (profile, settings, redirects, authors, sharing records)."""
    profile = SiteProfile.objects.filter(site_id=site.pk).first()
    homes = _homes(site)
    collections = Collection.objects.none()
    groups = Group.objects.none()
    if profile is not None:
        if profile.collection_id:
            root = Collection.objects.get(pk=profile.collection_id)
            collections = Collection.objects.filter(path__startswith=root.path)
        groups = Group.objects.filter(pk__in=[group.pk for group in profile.groups])
    digests = ModerationDigest.objects.filter(site_key=f"site:{site.pk}")
    return homes, collections, groups, digests


def _translation_records(tree):
    """wagtail-localize's records of the site's pages (their translation sources, translations,
    strings, segments), keyed by the pages' translation keys: those no page of another site
    shares."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail_localize.models import TranslatableObject

    keys = tree.values("translation_key")
    elsewhere = (
        Page.objects.filter(translation_key__in=keys)
        .exclude(pk__in=tree.values("pk"))
        .values("translation_key")
    )
    return TranslatableObject.objects.filter(
        content_type=ContentType.objects.get_for_model(Page), translation_key__in=keys
    ).exclude(translation_key__in=elsewhere)


def _collector(site):
    """Django's collector over everything deleting the site removes, as the Django admin's
    delete confirmation uses it: each row that would cascade is counted."""
    homes, collections, groups, digests = _owned(site)
    collector = Collector(using=router.db_for_write(type(site)))
    collector.collect([site])
    tree = _tree(homes)
    collector.collect(list(tree))
    # wagtail-localize's segments PROTECT their contexts: counted as they are deleted, sources
    # (with their segments) first, then the contexts and objects.
    from wagtail_localize.models import TranslationContext, TranslationSource

    records = _translation_records(tree)
    collector.collect(list(TranslationSource.objects.filter(object__in=records)))
    collector.add(list(TranslationContext.objects.filter(object__in=records)))
    collector.add(list(records))
    collector.collect(list(collections))
    collector.collect(list(groups))
    collector.collect(list(digests))
    return collector


# What the confirmation names one by one; every other row that goes with them (versions,
# permissions, search index entries, links between rows) is counted on one line.
NAMED = {
    "wagtailcore.site",
    "maillage_sites.siteprofile",
    "maillage_sites.sitesettings",
    "comments.comment",
    "comments.moderationdigest",
    "wagtailimages.image",
    "wagtaildocs.document",
    "wagtailcore.collection",
    "auth.group",
    "wagtailredirects.redirect",
    "blog.author",
    "blog.shareproposal",
    "blog.localadaptation",
    "blog.hiddensharedpost",
}
PAGES = "wagtailcore.page"


def what_goes(site):
    """What deleting the site would remove, as a list of Gone, for the confirmation screen:
    its pages first (every page type counted once, as a page), then the NAMED kinds of row, then
    one line (model "") for every other row that goes with them. Counted by Django's deletion
    collector, as the Django admin's delete confirmation does."""
    collector = _collector(site)
    counts = {}
    for model, instances in collector.data.items():
        counts[model] = counts.get(model, 0) + len(instances)
    for queryset in collector.fast_deletes:
        counts[queryset.model] = counts.get(queryset.model, 0) + queryset.count()
    named, others = {}, 0
    for model, count in counts.items():
        label = model._meta.label_lower
        if not count or (issubclass(model, Page) and model is not Page):
            continue  # a page type's row is its page's
        if label == PAGES:
            named[label] = Gone(label, _("Pages, in every language"), count)
        elif label in NAMED:
            named[label] = Gone(label, capfirst(str(model._meta.verbose_name_plural)), count)
        else:
            others += count
    items = sorted(named.values(), key=lambda item: (item.model != PAGES, item.label))
    if others:
        items.append(
            Gone("", _("Records that go with them (versions, permissions, links...)"), others)
        )
    return items


@transaction.atomic
def delete_site(site, user=None):
    """Delete an archived site and everything it owns, in one transaction: its Site row (and so
    its profile, settings, redirects, authors, sharing records), its page trees with their
    comments, its collection with its images and documents, its three groups (their members keep
    their accounts). Returns (the site's name, what went: what_goes() just before)."""
    profile = _profile(site)
    if profile.status != SiteStatus.ARCHIVED:
        raise SiteLifeError(_("Only an archived site can be deleted: archive it first."))
    gone = what_goes(site)
    homes, collections, groups, digests = _owned(site)
    collection = collections.order_by("depth").first()
    translations = list(_translation_records(_tree(homes)).values_list("pk", flat=True))
    homes = list(homes)
    name = site.site_name or site.hostname
    _record(site, DELETE, user, gone={item.model or "links": item.count for item in gone})
    type(site).objects.get(pk=site.pk).delete()  # the caller's instance keeps its id
    for home in homes:
        Page.objects.get(pk=home.pk).delete()  # treebeard: the descendants too
    if collection is not None:
        collection.delete()  # treebeard: the child collections, their images and documents
    groups.delete()
    digests.delete()
    if translations:
        from wagtail_localize.models import TranslatableObject, TranslationSource

        TranslationSource.objects.filter(object_id__in=translations).delete()
        TranslatableObject.objects.filter(pk__in=translations).delete()
    network.forget()
    return name, gone


# --- The site's history ---------------------------------------------------------------------


class SiteLifeFormatter(LogFormatter):
    def format_message(self, log_entry):
        return str(self.message)


def _formatter(label, message):
    return type("Formatter", (SiteLifeFormatter,), {"label": label, "message": message})


def register_log_actions(actions):
    for action, label, message in (
        (LAUNCH, gettext_lazy("Launch a site"), gettext_lazy("Site launched")),
        (ARCHIVE, gettext_lazy("Archive a site"), gettext_lazy("Site archived")),
        (UNARCHIVE, gettext_lazy("Bring back a site"), gettext_lazy("Site brought back")),
        (DELETE, gettext_lazy("Delete a site"), gettext_lazy("Site deleted")),
    ):
        actions.register_action(action)(_formatter(label, message))


def status_label(site):
    """The site's status in words (a Site without a profile is live)."""
    profile = getattr(site, "profile", None)
    status = profile.status if profile is not None else SiteStatus.LIVE
    return SiteStatus(status).label
