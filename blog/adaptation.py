"""Local adaptation of shared posts: a target site's own title, introduction and image for a post
another site shares with it, and a note above or below the body (blog.models.LocalAdaptation).

Nothing is copied: the body, the authors, the categories and every later edit stay the origin's,
and the canonical link still points to the origin. Only what the target site shows reads the
adaptation (its post page, its blog's cards and feeds, its search); the origin's pages and the
network news never do. A listing reads the adaptations of all its posts in one query.
"""


def adaptable_posts(site):
    """The posts a site may adapt: those shared with it, including those it hides."""
    from .models import BlogPostPage

    return BlogPostPage.objects.shared_with(site, include_hidden=True)


def adapt(posts, site):
    """The posts shown as the site adapted them (blog.models.LocalAdaptation.adapt: one query)."""
    from .models import LocalAdaptation

    return LocalAdaptation.adapt(posts, site)


def remove(post, site):
    """The site shows the origin's version again."""
    from .models import LocalAdaptation

    LocalAdaptation.objects.filter(post=post, site=site).delete()


def adapted_post_ids(site, post_ids):
    """The ids among `post_ids` that the site has adapted (one query): the admin's badges."""
    from .models import LocalAdaptation

    return set(
        LocalAdaptation.objects.filter(site_id=site.pk, post_id__in=list(post_ids)).values_list(
            "post_id", flat=True
        )
    )


def adapted_site_names(post):
    """The names of the sites that adapted the post, by name (one query): the origin's editor
    panel."""
    from wagtail.models import Site

    adapted = post.adaptations.values("site_id")
    return list(
        Site.objects.filter(pk__in=adapted)
        .order_by("site_name")
        .values_list("site_name", flat=True)
    )
