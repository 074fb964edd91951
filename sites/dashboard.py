"""The network dashboard: one row per site with its activity and launch progress.

Every metric is one aggregate query over all the sites asked about: a site's pages are those
whose tree path starts with the path of its home page (or of a translation of it), so pages are
grouped by that prefix. The dashboard costs the same number of queries for 3 sites or 300.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from . import network, roles
from .checklist import Checklist, build_checklist, post_models, settings_url
from .models import SiteSettings, SiteStatus

RECENT_DAYS = 30


@dataclass
class SiteRow:
    site: Site
    checklist: Checklist
    live_pages: int = 0
    recent_posts: int = 0
    last_published_at: datetime | None = None
    pending_comments: int | None = None
    moderators: int = 0
    administrators: int = 0

    @property
    def moderation_warning(self):
        """Why the site's digest goes to someone else than its moderators, or "" if it has some."""
        if self.moderators:
            return ""
        if self.administrators:
            return _("No moderator: pending comments go to the site's administrators.")
        return _(
            "No moderator nor administrator: pending comments go to the network administrators."
        )

    @property
    def pk(self):
        return self.site.pk

    @property
    def name(self):
        return self.site.site_name or self.site.hostname

    @property
    def profile(self):
        return getattr(self.site, "profile", None)

    @property
    def kind(self):
        return self.profile.kind if self.profile else ""

    @property
    def kind_label(self):
        return self.profile.get_kind_display() if self.profile else ""

    @property
    def status(self):
        """draft, live or archived (sites.lifecycle); a site without a profile is live."""
        return self.profile.status if self.profile else SiteStatus.LIVE

    @property
    def status_label(self):
        return SiteStatus(self.status).label

    @property
    def host(self):
        site = self.site
        return site.hostname if site.port == 80 else f"{site.hostname}:{site.port}"

    @property
    def explore_url(self):
        return reverse("wagtailadmin_explore", args=[self.site.root_page_id])

    @property
    def settings_url(self):
        return settings_url(self.site)

    @property
    def checklist_url(self):
        return reverse("maillage_network:checklist", args=[self.site.pk])

    def __str__(self):
        return self.name


# --- Aggregates -------------------------------------------------------------------------------


def _rows_by_site(queryset, paths_by_site, **aggregates):
    """Yield (site id, aggregates) for pages of the queryset grouped by the home path they sit
    under: one query per length of home path (a single one when every home page sits at the same
    depth, as the site factory makes them)."""
    site_for_path = {path: site_id for site_id, paths in paths_by_site.items() for path in paths}
    for length in sorted({len(path) for path in site_for_path}):
        homes = [path for path in site_for_path if len(path) == length]
        rows = (
            queryset.annotate(_home=Substr("path", 1, length))
            .filter(_home__in=homes)
            .order_by()
            .values("_home")
            .annotate(**aggregates)
        )
        for row in rows:
            yield site_for_path[row.pop("_home")], row


def page_stats(paths_by_site):
    """{site id: (live pages, latest last_published_at)} in the sites' trees."""
    stats = {}
    rows = _rows_by_site(
        Page.objects.all(),
        paths_by_site,
        live_pages=Count("pk", filter=Q(live=True)),
        last_published_at=Max("last_published_at"),
    )
    for site_id, row in rows:
        live, last = stats.get(site_id, (0, None))
        candidates = [date for date in (last, row["last_published_at"]) if date is not None]
        stats[site_id] = (live + row["live_pages"], max(candidates, default=None))
    return stats


def _recent_post_filter(model, since):
    """A post counts as recent by its own `date` when the model has one and it is set, else by
    its first publication."""
    by_first_publication = Q(first_published_at__gte=since)
    field_names = {field.name for field in model._meta.get_fields()}
    if "date" not in field_names:
        return by_first_publication
    return Q(date__gte=timezone.localdate(since)) | (Q(date__isnull=True) & by_first_publication)


def post_stats(paths_by_site, since):
    """{site id: (published posts, posts published since `since`)}: one query per post model."""
    stats = {}
    for model in post_models():
        rows = _rows_by_site(
            model.objects.filter(live=True),
            paths_by_site,
            published=Count("pk"),
            recent=Count("pk", filter=_recent_post_filter(model, since)),
        )
        for site_id, row in rows:
            published, recent = stats.get(site_id, (0, 0))
            stats[site_id] = (published + row["published"], recent + row["recent"])
    return stats


def pending_comments_counter():
    """The callable named by settings.MAILLAGE_PENDING_COMMENTS_COUNTER, or None when comments
    do not say (the column is then hidden)."""
    path = getattr(settings, "MAILLAGE_PENDING_COMMENTS_COUNTER", None)
    return import_string(path) if path else None


def site_rows(sites, now=None):
    """One SiteRow per site of the queryset, in no particular order (see order_rows)."""
    now = now or timezone.now()
    sites = list(sites.select_related("profile").order_by("site_name", "pk"))
    if not sites:
        return []
    site_ids = [site.pk for site in sites]
    paths = {site.pk: network.home_paths(site) for site in sites}  # sites.network's rule
    pages = page_stats(paths)
    posts = post_stats(paths, since=now - timedelta(days=RECENT_DAYS))
    site_settings = {
        setting.site_id: setting
        for setting in SiteSettings.objects.filter(site_id__in=site_ids).select_related(
            "privacy_page"
        )
    }
    counter = pending_comments_counter()
    pending = counter(Site.objects.filter(pk__in=site_ids)) if counter else None
    staffing = roles.moderation_staffing(sites)

    rows = []
    for site in sites:
        live_pages, last_published_at = pages.get(site.pk, (0, None))
        published, recent = posts.get(site.pk, (0, 0))
        rows.append(
            SiteRow(
                site=site,
                checklist=build_checklist(site, site_settings.get(site.pk), published),
                live_pages=live_pages,
                recent_posts=recent,
                last_published_at=last_published_at,
                pending_comments=pending.get(site.pk, 0) if pending is not None else None,
                moderators=staffing[site.pk][0],
                administrators=staffing[site.pk][1],
            )
        )
    return rows


# --- Ordering ---------------------------------------------------------------------------------

ORDERINGS = {
    "name": lambda row: row.name.casefold(),
    "kind": lambda row: row.kind,
    "status": lambda row: row.status,
    "hostname": lambda row: (row.site.hostname, row.site.port),
    "live_pages": lambda row: row.live_pages,
    "recent_posts": lambda row: row.recent_posts,
    "pending_comments": lambda row: row.pending_comments,
    "last_published_at": lambda row: row.last_published_at,
    "checklist": lambda row: row.checklist.progress,
}
DEFAULT_ORDERING = "name"


def order_rows(rows, ordering=DEFAULT_ORDERING):
    """Sort rows by one of ORDERINGS ("-key" for descending); ties stay in name order and sites
    without a value (never published) come last either way."""
    descending = ordering.startswith("-")
    key = ORDERINGS.get(ordering.lstrip("-"), ORDERINGS[DEFAULT_ORDERING])
    rows = sorted(rows, key=ORDERINGS[DEFAULT_ORDERING])
    known = [row for row in rows if key(row) is not None]
    unknown = [row for row in rows if key(row) is None]
    return sorted(known, key=key, reverse=descending) + unknown


def network_summary(rows):
    """Totals for the admin home page's panel."""
    return {
        "sites": len(rows),
        "live_pages": sum(row.live_pages for row in rows),
        "recent_posts": sum(row.recent_posts for row in rows),
        "ready": sum(1 for row in rows if row.checklist.complete),
        "pending_comments": (
            sum(row.pending_comments for row in rows)
            if rows and rows[0].pending_comments is not None
            else None
        ),
    }
