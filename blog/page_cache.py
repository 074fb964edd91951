"""What the blog adds to the page cache's rules (sites/page_cache.py): a shared post is shown in
full on its target sites, and their listings list it; authors and categories show everywhere; a
site hiding or adapting (blog.adaptation) a shared post changes its own pages only."""

from django.db.models.signals import post_delete, post_save, pre_save

from infra import page_cache
from infra.page_cache import site_tag

from .syndication import target_sites


def _as_post(page):
    from .models import BlogPostPage

    if isinstance(page, BlogPostPage):
        return page
    if page.specific_class is BlogPostPage:
        return page.specific
    return None


def target_site_ids(page):
    """The sites a post is shared with (for MAILLAGE_PAGE_SHOWN_ON); none for other pages."""
    post = _as_post(page)
    if post is None or post.pk is None:
        return set()
    return set(target_sites(post).values_list("pk", flat=True))


def _remember_previous_targets(sender, instance, raw=False, **kwargs):
    """Before a post is saved (published, unpublished), the sites its live version is shared
    with: a publication that takes a site off the list must refresh that site too."""
    if raw or instance.pk is None:
        return
    previous = sender.objects.filter(pk=instance.pk, live=True).first()
    if previous is not None:
        instance._page_cache_previous_site_ids = target_site_ids(previous)


def _on_everywhere(sender, **kwargs):
    page_cache.invalidate(page_cache.EVERYTHING)


def _on_hidden(sender, instance, **kwargs):
    """A site hid or unhid a post, or answered a proposal: its own listings change."""
    page_cache.invalidate(site_tag(instance.site_id))


def connect():
    from .models import (
        Author,
        BlogCategory,
        BlogPostPage,
        HiddenSharedPost,
        LocalAdaptation,
        ShareProposal,
    )

    pre_save.connect(
        _remember_previous_targets, sender=BlogPostPage, dispatch_uid="blog.page_cache.targets"
    )
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        for model in (Author, BlogCategory):
            uid = f"blog.page_cache.{model.__name__}_{name}"
            signal.connect(_on_everywhere, sender=model, dispatch_uid=uid)
        signal.connect(_on_hidden, sender=HiddenSharedPost, dispatch_uid=f"blog.page_cache.{name}")
        signal.connect(
            _on_hidden, sender=ShareProposal, dispatch_uid=f"blog.page_cache.proposal_{name}"
        )
        uid = f"blog.page_cache.adaptation_{name}"
        signal.connect(_on_hidden, sender=LocalAdaptation, dispatch_uid=uid)
