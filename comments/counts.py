"""Comment counts for listings and the network dashboard, each in one query."""

from collections import Counter

from django.db.models import Count

from wagtail.models import Site

from . import keys
from .models import Comment, CommentStatus


def approved_counts(page_ids):
    """{page_id: number of public comments} for the given pages (pages without any are absent)."""
    rows = (
        Comment.objects.filter(
            page_id__in=list(page_ids), status=CommentStatus.APPROVED, removed_at__isnull=True
        )
        .values("page_id")
        .annotate(count=Count("pk"))
        .values_list("page_id", "count")
    )
    return dict(rows)


def pending_by_site(sites):
    """{site_id: comments awaiting moderation} for a queryset of Wagtail Sites (one query, on
    the comments' site keys: a site's translations count with it)."""
    keys_of = {keys.key_for_site(site): site.pk for site in sites.only("pk")}
    if not keys_of:
        return {}
    rows = (
        Comment.objects.filter(status=CommentStatus.PENDING, site_key__in=list(keys_of))
        .order_by()
        .values("site_key")
        .annotate(total=Count("pk"))
        .values_list("site_key", "total")
    )
    counts = dict.fromkeys(keys_of.values(), 0)
    for key, total in rows:
        counts[keys_of[key]] = total
    return counts


def site_label(site):
    return (site.site_name or site.hostname) if site is not None else ""


def counts_per_site(comments):
    """[(Site or None, number of comments)] for a queryset, from one aggregate query grouped by
    the comments' site key (and one for the sites); None gathers the comments of pages outside
    any site."""
    rows = (
        comments.order_by()
        .values("site_key")
        .annotate(total=Count("pk"))
        .values_list("site_key", "total")
    )
    rows = [(keys.site_id(key), total) for key, total in rows]
    sites = Site.objects.in_bulk({pk for pk, _total in rows if pk is not None})
    totals = Counter()
    for pk, total in rows:
        totals[sites.get(pk)] += total
    return sorted(totals.items(), key=lambda item: (item[0] is None, site_label(item[0])))
