# Commenter trust (issue 17, items 3 and 9): the owner's Gravatar consent per address, the rows of
# the "Manage my comments" links (a random token, nothing derived from the address), and avatar
# keys made per site (the old ones were the same for one address on every site).

from django.conf import settings
from django.db import migrations, models

STEP = 4  # wagtail's Page.steplen


def site_keys_by_page(apps, page_ids):
    """{page id: site key} as comments.avatars.site_key answers by default (the Wagtail Site
    whose root page, or a translation of it, is an ancestor; else the top-level ancestor),
    computed from the historical models. A project with its own COMMENTS_SITE_KEY gets its
    callable's answer on the live pages."""
    custom = getattr(settings, "COMMENTS_SITE_KEY", None)
    if custom:
        from django.utils.module_loading import import_string
        from wagtail.models import Page as LivePage

        site_key = import_string(custom)
        return {page.pk: str(site_key(page)) for page in LivePage.objects.filter(pk__in=page_ids)}
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    roots = {}  # root path -> site id; a page belongs to the longest root path above it
    for site in Site.objects.select_related("root_page").order_by("-is_default_site", "pk"):
        paths = Page.objects.filter(translation_key=site.root_page.translation_key).values_list(
            "path", flat=True
        )
        for path in paths:
            roots.setdefault(path, site.pk)
    keys = {}
    for page_id, path in Page.objects.filter(pk__in=page_ids).values_list("pk", "path"):
        matches = [root for root in roots if path.startswith(root)]
        if matches:
            keys[page_id] = f"site:{roots[max(matches, key=len)]}"
        else:
            keys[page_id] = f"tree:{path[: 2 * STEP]}"
    return keys


def rekey_avatars(apps, schema_editor):
    from comments.avatars import avatar_key

    Comment = apps.get_model("comments", "Comment")
    comments = Comment.objects.exclude(email="").filter(anonymized_at__isnull=True)
    page_ids = set(comments.values_list("page_id", flat=True).distinct())
    if not page_ids:
        return
    sites = site_keys_by_page(apps, page_ids)
    batch = []
    for comment in comments.only("pk", "email", "page_id").iterator(chunk_size=2000):
        comment.avatar_key = avatar_key(comment.email, sites[comment.page_id])
        batch.append(comment)
        if len(batch) >= 2000:
            Comment.objects.bulk_update(batch, ["avatar_key"])
            batch = []
    if batch:
        Comment.objects.bulk_update(batch, ["avatar_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_unpublication_clock"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="ManageLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("email", models.EmailField(max_length=254, verbose_name="e-mail")),
                ("created_at", models.DateTimeField(db_index=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "manage link",
                "verbose_name_plural": "manage links",
            },
        ),
        migrations.AddField(
            model_name="confirmedemail",
            name="gravatar_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="Gravatar shown since"),
        ),
        migrations.RunPython(rekey_avatars, migrations.RunPython.noop, elidable=True),
    ]
