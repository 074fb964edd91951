"""Comment counts for listings and the network dashboard, each in one query."""

from collections import Counter

from django.db.models import Count, Q
from django.db.models.functions import Substr

from wagtail.models import Page, Site

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
    """{site_id: comments awaiting moderation} for a queryset of Wagtail Sites (one query).

    A site's comments are those of the pages under its home page's parent at depth 2, so that its
    translated home pages (siblings of the root page) count too.
    """
    sites = list(sites.select_related("root_page"))
    if not sites:
        return {}
    # A translated home shares the root page's translation key: its subtree counts for the site.
    keys = {site.root_page.translation_key: site.pk for site in sites}
    paths_by_site = {}
    for path, key in Page.objects.filter(depth=2, translation_key__in=list(keys)).values_list(
        "path", "translation_key"
    ):
        paths_by_site.setdefault(keys[key], set()).add(path)
    aggregates = {}
    for site_id, paths in paths_by_site.items():
        condition = Q()
        for path in paths:
            condition |= Q(page__path__startswith=path)
        aggregates[f"site_{site_id}"] = Count("pk", filter=condition)
    if not aggregates:
        return {}
    totals = Comment.objects.filter(status=CommentStatus.PENDING).aggregate(**aggregates)
    return {site.pk: totals.get(f"site_{site.pk}", 0) for site in sites}


def sites_by_home():
    """{tree path of a depth-2 page: its Site}, translated home pages included (siblings sharing
    the site root's translation key). Two queries."""
    sites = Site.objects.select_related("root_page").order_by("site_name", "hostname")
    sites_by_key = {site.root_page.translation_key: site for site in sites}
    homes = Page.objects.filter(depth=2, translation_key__in=list(sites_by_key))
    return {path: sites_by_key[key] for path, key in homes.values_list("path", "translation_key")}


def site_label(site):
    return (site.site_name or site.hostname) if site is not None else ""


def counts_per_site(comments):
    """[(Site or None, number of comments)] for a queryset, from one aggregate query grouped by
    the pages' top-level ancestor; None gathers the comments of pages outside any site."""
    rows = (
        comments.order_by()
        .annotate(home=Substr("page__path", 1, 2 * Page.steplen))
        .values("home")
        .annotate(total=Count("pk"))
        .values_list("home", "total")
    )
    sites = sites_by_home()
    totals = Counter()
    for home, total in rows:
        totals[sites.get(home)] += total
    return sorted(totals.items(), key=lambda item: (item[0] is None, site_label(item[0])))
