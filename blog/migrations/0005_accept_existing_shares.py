"""Sharing becomes a proposal that each target site accepts: every share of a live post that
exists today becomes an accepted ShareProposal, so that nothing shown today disappears.

Historical models only: the targets are computed here from share_scope, shared_sites and
SiteProfile.kind (as blog.syndication.target_sites did before drafts and archives existed: every
site but the origin), and the origin is the site holding the post by the rule of sites.network: the
deepest home whose path prefixes the post's, a home being a Site's root page or a translation of it
that is no Site's root (the oldest such Site's).
"""

from django.db import migrations

ALL = "all"
KINDS = ("regional", "thematic")


def _homes(Site, Page):
    """[(path, site id)], the deepest first; on one root, the default site, then the oldest."""
    sites = list(
        Site.objects.order_by("-is_default_site", "pk").values_list(
            "pk", "root_page_id", "root_page__path", "root_page__translation_key"
        )
    )
    homes, roots, by_key = [], set(), {}
    for site_id, root_id, path, key in sites:
        if root_id not in roots:
            homes.append((path, site_id))
        roots.add(root_id)
        by_key[key] = min(by_key.get(key, site_id), site_id)
    translations = Page.objects.filter(translation_key__in=list(by_key)).exclude(pk__in=roots)
    for path, key in translations.values_list("path", "translation_key"):
        homes.append((path, by_key[key]))
    homes.sort(key=lambda home: -len(home[0]))
    return homes


def accept_existing_shares(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    SiteProfile = apps.get_model("maillage_sites", "SiteProfile")
    BlogPostPage = apps.get_model("blog", "BlogPostPage")
    ShareProposal = apps.get_model("blog", "ShareProposal")

    homes = _homes(Site, Page)
    every_site = list(Site.objects.values_list("pk", flat=True))
    by_kind = {kind: set() for kind in KINDS}
    for site_id, kind in SiteProfile.objects.values_list("site_id", "kind"):
        if kind in by_kind:
            by_kind[kind].add(site_id)
    chosen = {}
    for post_id, site_id in BlogPostPage.shared_sites.through.objects.values_list(
        "blogpostpage_id", "site_id"
    ):
        chosen.setdefault(post_id, set()).add(site_id)
    existing = set(ShareProposal.objects.values_list("post_id", "site_id"))

    proposals = []
    for post_id, path, scope, published in BlogPostPage.objects.filter(live=True).values_list(
        "pk", "path", "share_scope", "last_published_at"
    ):
        targets = set(chosen.get(post_id, ()))
        if scope == ALL:
            targets.update(every_site)
        elif scope in by_kind:
            targets.update(by_kind[scope])
        origin = next((site_id for home, site_id in homes if path.startswith(home)), None)
        targets.discard(origin)
        proposals.extend(
            ShareProposal(
                post_id=post_id,
                site_id=site_id,
                status="accepted",
                **({"proposed_at": published, "decided_at": published} if published else {}),
            )
            for site_id in sorted(targets)
            if (post_id, site_id) not in existing
        )
    ShareProposal.objects.bulk_create(proposals, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0004_governance"),
        ("maillage_sites", "0004_governance"),
    ]

    operations = [
        migrations.RunPython(accept_existing_shares, migrations.RunPython.noop, elidable=True)
    ]
