"""The existing sites' editors and administrators groups, and the network administrators, may
start translations (wagtail-localize's submit_translation; sites/translation_views.py keeps
each team to its own site's pages). New sites get it from the site factory (sites.roles)."""

from django.db import migrations

NETWORK_ADMINISTRATORS = "Network administrators"  # sites.roles.NETWORK_ADMINISTRATORS


def groups(apps):
    SiteProfile = apps.get_model("maillage_sites", "SiteProfile")  # noqa: N806
    Group = apps.get_model("auth", "Group")  # noqa: N806
    ids = set()
    for editors, administrators in SiteProfile.objects.values_list(
        "editors_id", "administrators_id"
    ):
        ids.update(pk for pk in (editors, administrators) if pk)
    ids.update(Group.objects.filter(name=NETWORK_ADMINISTRATORS).values_list("pk", flat=True))
    return Group.objects.filter(pk__in=ids)


def translate_permission(apps):
    Permission = apps.get_model("auth", "Permission")  # noqa: N806
    return Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    ).first()


def grant(apps, schema_editor):
    permission = translate_permission(apps)
    if permission is not None:
        for group in groups(apps):
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    permission = translate_permission(apps)
    if permission is not None:
        for group in groups(apps):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("maillage_sites", "0004_governance"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
