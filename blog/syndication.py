"""Sharing a post with other sites of the network: one source of truth, no copies.

A post is shared by its origin site's editors with individual sites, with every site of a kind,
or with every site (`BlogPostPage.share_scope` and `shared_sites`). Target sites list it, serve it
at /blog/<slug>/ in their own branding with a canonical link to the origin, and may hide it.
Because nothing is copied, an edit, an unpublication, an expiry or a deletion of the origin shows
everywhere at once, and its comments stay one conversation.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site


class ShareScope(models.TextChoices):
    NONE = "none", _("Only the chosen sites below")
    REGIONAL = "regional", _("Every regional site (and the chosen sites)")
    THEMATIC = "thematic", _("Every thematic platform (and the chosen sites)")
    ALL = "all", _("Every site of the network")


def site_url_paths(site):
    """URL paths of the site's home page and its translations, from Wagtail's cached site root
    paths (no query once warm)."""
    return [root.root_path for root in Site.get_site_root_paths() if root.site_id == site.pk]


def _inside(url_paths):
    condition = Q(pk__in=[])
    for url_path in url_paths:
        condition |= Q(url_path__startswith=url_path)
    return condition


def shared_with_condition(site, url_paths=None):
    """A Q on BlogPostPage: posts of other sites shared with this one and not hidden by it."""
    from .models import BlogPostPage, HiddenSharedPost

    kind = getattr(getattr(site, "profile", None), "kind", None)
    scope = Q(share_scope=ShareScope.ALL)
    if kind in (ShareScope.REGIONAL, ShareScope.THEMATIC):
        scope |= Q(share_scope=kind)
    chosen = BlogPostPage.shared_sites.through.objects.filter(
        blogpostpage_id=OuterRef("pk"), site_id=site.pk
    )
    hidden = HiddenSharedPost.objects.filter(post_id=OuterRef("pk"), site_id=site.pk)
    url_paths = site_url_paths(site) if url_paths is None else url_paths
    return (scope | Exists(chosen)) & ~_inside(url_paths) & ~Exists(hidden)


def target_sites(post):
    """Every site the post is shared with (the origin excluded), whether or not it hides it."""
    from sites.models import SiteKind
    from sites.roles import site_for_page

    origin = site_for_page(post)
    sites = Site.objects.none()
    if post.share_scope == ShareScope.ALL:
        sites = Site.objects.all()
    elif post.share_scope in (SiteKind.REGIONAL, SiteKind.THEMATIC):
        sites = Site.objects.filter(profile__kind=post.share_scope)
    sites = sites | Site.objects.filter(pk__in=post.shared_sites.values("pk"))
    if origin is not None:
        sites = sites.exclude(pk=origin.pk)
    return sites.distinct().order_by("site_name")


def publication_states(post):
    """For the editor's "Where is this published" panel: (site, state) for each target site."""
    from .models import HiddenSharedPost

    hidden = set(HiddenSharedPost.objects.filter(post=post).values_list("site_id", flat=True))
    states = []
    for site in target_sites(post).select_related("root_page"):
        if not post.live:
            state = _("Not published: shown nowhere")
        elif site.pk in hidden:
            state = _("Hidden by this site")
        else:
            state = _("Listed")
        states.append((site, state))
    return states


def hide(post, site, user=None):
    from .models import HiddenSharedPost

    HiddenSharedPost.objects.get_or_create(post=post, site=site, defaults={"hidden_by": user})


def unhide(post, site):
    from .models import HiddenSharedPost

    HiddenSharedPost.objects.filter(post=post, site=site).delete()
