"""What every listing of posts shares, whichever page lists them (a blog, the network news): the
page size (pages are cut by infra.pagination), and cards prepared for a whole page in a fixed
number of queries.

This module does not import blog.models: the models call it.
"""

from django.db.models import Prefetch, prefetch_related_objects

from wagtail.images import get_image_model

from comments.counts import approved_counts
from infra import page_cache

from .localization import localize_groups

POSTS_PER_PAGE = 10


def declare_cards(request, posts):
    """Tell the page cache that this listing shows these posts (their titles and comment counts):
    a change to one of them makes it stale, on whichever site it lists them."""
    page_cache.tag(request, *(page_cache.page_tag(post.pk) for post in posts))


def prepare_cards(posts, locale, renditions=None, comment_counts=True):
    """The posts as a list, ready for cards and feeds in a fixed number of queries: each with
    `localized_categories` and `localized_authors` in `locale` (one query each, none when all are
    already in it), its hero image's renditions prefetched (one query; only the `renditions`
    filter specs if given) and, unless `comment_counts` is False, `comment_count` (one query)."""
    posts = list(posts)
    if comment_counts and posts:
        counts = approved_counts(post.pk for post in posts)
        for post in posts:
            post.comment_count = counts.get(post.pk, 0)
    categories = localize_groups([post.categories.all() for post in posts], locale)
    authors = localize_groups([post.authors for post in posts], locale)
    for post, post_categories, post_authors in zip(posts, categories, authors, strict=True):
        post.localized_categories = post_categories
        post.localized_authors = post_authors
    # Every instance, not one per image: posts sharing an image each hold their own copy.
    images = [post.hero_image for post in posts if post.hero_image_id]
    if images:
        queryset = get_image_model().get_rendition_model().objects.all()
        if renditions:
            queryset = queryset.filter(filter_spec__in=renditions)
        prefetch_related_objects(images, Prefetch("renditions", queryset=queryset))
    return posts
