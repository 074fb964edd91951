"""The "Adapted locally" marks of the admin (blog.adaptation): in "Shared with my site" and in
the origin's "Where is this published" panel, one query each whatever the number of posts or
sites."""

from django import template

from .. import adaptation

register = template.Library()


@register.simple_tag
def adapted_post_ids(site, posts):
    """The ids of the posts among `posts` that `site` adapted."""
    return adaptation.adapted_post_ids(site, (post.pk for post in posts))


@register.simple_tag
def adapted_site_names(post):
    """The names of the sites that adapted `post`, joined by commas ("" before its first save)."""
    if not getattr(post, "pk", None):
        return ""
    return ", ".join(adaptation.adapted_site_names(post))
