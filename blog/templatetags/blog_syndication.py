"""What the "Where is this published" panel shows (blog.panels.WherePublishedPanel), read from
blog.syndication when the panel is rendered: the models declare the panel, the rules of
syndication read the models, and neither imports the other's importer."""

from django import template

from .. import syndication
from ..models import BlogPostPage

register = template.Library()


@register.simple_tag
def where_published(instance):
    """{"post": the post as published (None before its first save), "origin": its Site,
    "states": [(site, PublicationState)] for each target site}. Sharing follows the live page,
    not a draft, so the post is read again from the database."""
    post = None
    if getattr(instance, "pk", None):
        post = BlogPostPage.objects.filter(pk=instance.pk).first()
    if post is None:
        return {"post": None}
    return {
        "post": post,
        "origin": syndication.origin_site(post),
        "states": syndication.publication_states(post),
    }


@register.simple_tag
def shown_elsewhere(page):
    """The other sites that list this page now, if it is a shared post (else none): for the
    unpublish and delete confirmations."""
    if page is None or page.specific_class is not BlogPostPage:
        return []
    post = BlogPostPage.objects.filter(pk=page.pk).first()
    return syndication.sites_showing(post) if post is not None else []
