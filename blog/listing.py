"""What every listing of posts shares, whichever page lists them (a blog, the network news): pages
of posts, and cards prepared for a whole page in a fixed number of queries.

This module does not import blog.models: the models call it.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail.images import get_image_model

from comments.counts import approved_counts
from infra import page_cache

from .localization import localize_groups

POSTS_PER_PAGE = 10


def paginate(request, posts, per_page=POSTS_PER_PAGE):
    """The page of `posts` asked for by ?page=: the first for a value that is not a whole number,
    a 404 for a number past the end (or below 1), so that odd addresses never make a 500."""
    paginator = Paginator(posts, per_page)
    number = request.GET.get("page", 1)
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        raise Http404(_("There is no such page of posts.")) from None


def page_number(request):
    """The number of the page asked for, as paginate() reads it (1 for anything but a whole
    number), without counting the posts: for titles. Read with int() as the paginator does, so
    that "²" (a digit to str.isdigit(), not to int()) or 5,000 nines never make a 500."""
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


def page_links(posts_page):
    """The page numbers to link to around the current one, None for an ellipsis."""
    return [
        number if isinstance(number, int) else None
        for number in posts_page.paginator.get_elided_page_range(
            posts_page.number, on_each_side=2, on_ends=1
        )
    ]


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
