"""Sharing a post with other sites of the network: one source of truth, no copies.

A post is shared by its origin site's editors with individual sites, with every site of a kind,
or with every site (`BlogPostPage.share_scope` and `shared_sites`). Target sites list it, serve it
at /blog/<slug>/ in their own branding with a canonical link to the origin, and may hide it.
Because nothing is copied, an edit, an unpublication, an expiry or a deletion of the origin shows
everywhere at once, and its comments stay one conversation.
"""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site

from sites import network

from .choices import ShareScope


def _site_id_for(url_path):
    """The id of the site holding the page at `url_path` (sites.network), or None."""
    return next(iter(network.site_ids_holding(url_path)), None)


class PublicationState(models.TextChoices):
    """Whether a shared post shows on a target site, and if not, why."""

    LISTED = "listed", _("Listed")
    HIDDEN = "hidden", _("Hidden by this site")
    SHADOWED = "shadowed", _("Not listed: this site's blog has its own post at the same address")
    NO_BLOG = "no_blog", _("Not listed: this site has no blog in the post's language")
    PRIVATE = "private", _("Not listed: the post is private")
    NOT_PUBLISHED = "not_published", _("Not published: shown nowhere")

    @classmethod
    def of(cls, *, live=True, private=False, hidden=False, has_blog=True, shadowed=False):
        if not live:
            return cls.NOT_PUBLISHED
        if private:
            return cls.PRIVATE
        if hidden:
            return cls.HIDDEN
        if not has_blog:
            return cls.NO_BLOG
        if shadowed:
            return cls.SHADOWED
        return cls.LISTED


def shared_with_site(site):
    """The live, public posts other sites share with this one, newest first, those it hides
    included: for the "Shared with my site" admin view. Each carries `is_hidden`, `has_blog` (the
    site has a live blog in the post's language) and `is_shadowed` (that blog has its own post at
    the same address); `state_on_site(post)` reads them."""
    from .models import BlogIndexPage, BlogPostPage, HiddenSharedPost

    here = network.pages_condition(site)
    hidden = HiddenSharedPost.objects.filter(post_id=OuterRef("pk"), site_id=site.pk)
    blogs = BlogIndexPage.objects.live().filter(here, locale_id=OuterRef("locale_id"))
    shadowing = BlogPostPage.objects.live().filter(
        here, slug=OuterRef("slug"), locale_id=OuterRef("locale_id")
    )
    return (
        BlogPostPage.objects.live()
        .public()
        .shared_with(site, include_hidden=True)
        .annotate(is_hidden=Exists(hidden), has_blog=Exists(blogs), is_shadowed=Exists(shadowing))
        .order_by("-date", "-first_published_at", "-pk")
    )


def state_on_site(post):
    """The PublicationState of a post from shared_with_site()."""
    return PublicationState.of(
        hidden=post.is_hidden, has_blog=post.has_blog, shadowed=post.is_shadowed
    )


def origin_sites(posts):
    """{post pk: the Site the post comes from} (sites.network: no query once its map is built),
    whatever the number of posts and sites."""
    return {post.pk: network.site_for_page(post) for post in posts}


def origin_site(post):
    """The Site a post belongs to, whichever language tree of it holds the post."""
    return network.site_for_page(post)


def target_sites(post):
    """Every site the post is shared with (the origin excluded), whether or not it hides it."""
    from sites.models import SiteKind

    origin = origin_site(post)
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
    """For the editor's "Where is this published" panel: (site, PublicationState) for each target
    site, from the post as published (not a draft's share settings). A fixed number of queries
    whatever the number of sites."""
    from .models import BlogIndexPage, BlogPostPage, HiddenSharedPost

    sites = list(target_sites(post))
    if not sites:
        return []

    def site_ids(pages):
        return {_site_id_for(url_path) for url_path in pages.values_list("url_path", flat=True)}

    hidden = set(HiddenSharedPost.objects.filter(post=post).values_list("site_id", flat=True))
    private = post.live and not BlogPostPage.objects.filter(pk=post.pk).public().exists()
    with_blog = site_ids(BlogIndexPage.objects.live().filter(locale_id=post.locale_id))
    shadowing = site_ids(
        BlogPostPage.objects.live()
        .filter(slug=post.slug, locale_id=post.locale_id)
        .exclude(pk=post.pk)
    )
    return [
        (
            site,
            PublicationState.of(
                live=post.live,
                private=private,
                hidden=site.pk in hidden,
                has_blog=site.pk in with_blog,
                shadowed=site.pk in shadowing,
            ),
        )
        for site in sites
    ]


def hide(post, site, user=None):
    """The site stops listing the post (its editors' choice; the origin is not told)."""
    from .models import HiddenSharedPost

    HiddenSharedPost.objects.get_or_create(post=post, site=site, defaults={"hidden_by": user})


def unhide(post, site):
    from .models import HiddenSharedPost

    HiddenSharedPost.objects.filter(post=post, site=site).delete()
