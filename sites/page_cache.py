"""Which cached pages (infra.page_cache) a change makes stale, for pages, sites and comments.

Every page served on a site carries that site's tag (menus, branding, listings, search, sitemap
and feeds all show its pages) and its own page tag; listings add the page tag of each post on their
cards (blog.listing.declare_cards: title and comment count), pages showing the whole network the
network tag (the page models say so with a `page_cache_tags(site)` method).

- a page published, unpublished, moved or deleted: its site (both sites for a move), the sites it
  is shared with (`MAILLAGE_PAGE_SHOWN_ON` callables: blog.page_cache.target_site_ids), the network;
- a site, its profile or its settings changed: that site and the network;
- a page's view restrictions changed: as a publication for a page without children (its site,
  the sites it is shared with, the network); everything for a page with children, since the
  restriction hides every page below it, shared posts included, wherever they are listed;
- comments shown changed (comments.signals.comments_changed): the page, wherever it is shown in
  full or on a card, and nothing else (no query); more than MANY_PAGES pages at once (a batch of
  the anonymization job): everything, in one cache write instead of hundreds;
- an image or document edited or deleted (titles and alt texts are shown anywhere): everything.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils.module_loading import import_string

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from comments.signals import comments_changed
from infra import page_cache
from infra.page_cache import NETWORK, page_tag, site_tag

from . import network


def serving_tags(page, request):
    """The tags of a page served to this request (called by the before_serve_page hook)."""
    site = Site.find_for_request(request)
    tags = [page_tag(page.pk)]
    if site is not None:
        tags.append(site_tag(site.pk))
        extra = getattr(page, "page_cache_tags", None)
        if extra is not None:
            tags += extra(site)
    return tags


def fragment_tags(page, request):
    """The tags of a part of a page that shows the page itself (its comments, under its own
    site's comment policy): as served here, plus the sites holding it (a shared post)."""
    tags = serving_tags(page, request) if request is not None else [page_tag(page.pk)]
    return tags + [site_tag(pk) for pk in site_ids_at(page.url_path, request)]


def site_ids_at(url_path, request=None):
    """The ids of the sites holding `url_path` (sites.network.site_ids_holding)."""
    return set(network.site_ids_holding(url_path, request))


def site_ids_showing(page):
    """The page's own site and every other site that shows it in full."""
    site_ids = site_ids_at(page.url_path)
    for dotted in settings.MAILLAGE_PAGE_SHOWN_ON:
        site_ids |= set(import_string(dotted)(page))
    return site_ids


def page_changed(page, *, also_site_ids=()):
    site_ids = site_ids_showing(page) | set(also_site_ids)
    page_cache.invalidate(page_tag(page.pk), NETWORK, *(site_tag(pk) for pk in site_ids))


def site_changed(site_id):
    page_cache.invalidate(site_tag(site_id), NETWORK)


# Past this many pages at once (the anonymization job's batches span hundreds), one version bump
# for everything costs less than one per page, and those pages are mostly unpublished anyway.
MANY_PAGES = 50


def comments_shown_changed(page_ids):
    if len(page_ids) > MANY_PAGES:
        page_cache.invalidate(page_cache.EVERYTHING)
    else:
        page_cache.invalidate(*(page_tag(page_id) for page_id in page_ids))


# --- receivers -----------------------------------------------------------------------------------


def _on_publication(sender, instance, **kwargs):
    page_changed(instance, also_site_ids=getattr(instance, "_page_cache_previous_site_ids", ()))


def _on_delete(sender, instance, **kwargs):
    if instance.live:
        page_changed(instance)


def _on_move(sender, instance, url_path_before, url_path_after, **kwargs):
    page_changed(instance, also_site_ids=site_ids_at(url_path_before) | site_ids_at(url_path_after))


def _on_site(sender, instance, **kwargs):
    site_changed(instance.pk)


def _on_site_part(sender, instance, **kwargs):
    site_changed(instance.site_id)


def restriction_changed(page):
    """A view restriction covers the page and every page below it. Below a section or a blog,
    any number of shared posts may be listed on any number of sites; such changes are rare and
    made by hand, so one bump for everything beats finding each post's targets."""
    if page.numchild:
        page_cache.invalidate(page_cache.EVERYTHING)
    else:
        page_changed(page)


def _on_restriction(sender, instance, **kwargs):
    restriction_changed(instance.page)


def _on_comments(sender, page_ids, **kwargs):
    comments_shown_changed(page_ids)


def _on_media(sender, instance, created=False, **kwargs):
    if not created:
        page_cache.invalidate(page_cache.EVERYTHING)


def connect():
    from .models import SiteProfile, SiteSettings

    page_published.connect(_on_publication, dispatch_uid="sites.page_cache.published")
    page_unpublished.connect(_on_publication, dispatch_uid="sites.page_cache.unpublished")
    # Page models only, as Wagtail does: a receiver for every model would stop Django's
    # collector from fast-deleting anything (and change when cascades are read).
    for model in get_page_models():
        uid = f"sites.page_cache.{model.__name__}_deleted"
        pre_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
    post_page_move.connect(_on_move, dispatch_uid="sites.page_cache.moved")
    post_save.connect(_on_site, sender=Site, dispatch_uid="sites.page_cache.site_saved")
    post_delete.connect(_on_site, sender=Site, dispatch_uid="sites.page_cache.site_deleted")
    for model in (SiteProfile, SiteSettings):
        uid = f"sites.page_cache.{model.__name__}"
        post_save.connect(_on_site_part, sender=model, dispatch_uid=uid)
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        uid = f"sites.page_cache.restriction_{name}"
        signal.connect(_on_restriction, sender=PageViewRestriction, dispatch_uid=uid)
        for model in (get_image_model(), get_document_model()):
            uid = f"sites.page_cache.{model.__name__}_{name}"
            signal.connect(_on_media, sender=model, dispatch_uid=uid)
    comments_changed.connect(_on_comments, dispatch_uid="sites.page_cache.comments")
