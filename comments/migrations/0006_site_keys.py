# One map of the network (issue 18, item 1): each comment stores the key of its site
# (comments.keys.site_key), which the rate limit, the known-commenter rule, the digests and the
# counts group by; a digest's row is kept per site key instead of per top-level page, so that a
# site in two languages gets one digest. Existing rows move to the new key; two rows of one site
# (its French and English trees) become one, keeping the latest sending.

from django.conf import settings
from django.db import migrations, models

STEP = 4  # wagtail's Page.steplen


def key_function(apps):
    """page -> site key: the project's COMMENTS_SITE_KEY on the live pages, else the default as
    migration 0004 computed it from the historical models (the Wagtail Site whose root page, or
    a translation of it that is no other Site's root, is an ancestor; else the top-level page)."""
    custom = getattr(settings, "COMMENTS_SITE_KEY", None)
    if custom:
        from django.utils.module_loading import import_string
        from wagtail.models import Page as LivePage

        site_key = import_string(custom)

        def keys(page_ids):
            pages = LivePage.objects.filter(pk__in=page_ids)
            return {page.pk: str(site_key(page)) for page in pages}

        def key_of_path(path):
            page = LivePage.objects.filter(path=path).first()
            return str(site_key(page)) if page is not None else f"tree:{path}"

        return keys, key_of_path

    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    sites = list(Site.objects.select_related("root_page").order_by("-is_default_site", "pk"))
    root_ids = {site.root_page_id for site in sites}
    roots = {}  # home path -> site id
    for site in sites:
        roots.setdefault(site.root_page.path, site.pk)
    for site in sites:
        translations = Page.objects.filter(translation_key=site.root_page.translation_key)
        for pk, path in translations.exclude(pk__in=root_ids).values_list("pk", "path"):
            roots.setdefault(path, site.pk)

    def key_of_path(path):
        matches = [root for root in roots if path.startswith(root)]
        if matches:
            return f"site:{roots[max(matches, key=len)]}"
        return f"tree:{path[: 2 * STEP]}"

    def keys(page_ids):
        rows = Page.objects.filter(pk__in=page_ids).values_list("pk", "path")
        return {pk: key_of_path(path) for pk, path in rows}

    return keys, key_of_path


def fill_site_keys(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    ModerationDigest = apps.get_model("comments", "ModerationDigest")
    keys, key_of_path = key_function(apps)
    page_ids = set(Comment.objects.values_list("page_id", flat=True).distinct())
    by_key = {}
    for page_id, key in keys(page_ids).items():
        by_key.setdefault(key, []).append(page_id)
    for key, ids in by_key.items():
        for start in range(0, len(ids), 500):
            Comment.objects.filter(page_id__in=ids[start : start + 500]).update(site_key=key)
    # Digest rows: their site_key column still holds a top-level page's path.
    latest = {}
    for row in ModerationDigest.objects.order_by("pk"):
        key = key_of_path(row.site_key)
        if key not in latest or row.last_sent_at > latest[key].last_sent_at:
            latest[key] = row
    keep = {row.pk: key for key, row in latest.items()}
    ModerationDigest.objects.exclude(pk__in=list(keep)).delete()
    for pk, key in keep.items():
        ModerationDigest.objects.filter(pk=pk).update(site_key=f"moving:{pk}")
    for pk, key in keep.items():
        ModerationDigest.objects.filter(pk=pk).update(site_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_identification_record"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="site_key",
            field=models.CharField(
                blank=True, db_index=True, max_length=255, verbose_name="site key"
            ),
        ),
        migrations.RenameField(
            model_name="moderationdigest", old_name="root_path", new_name="site_key"
        ),
        migrations.RunPython(fill_site_keys, migrations.RunPython.noop, elidable=False),
    ]
