"""Wagtail's first migrations create global "Editors" and "Moderators" groups with rights over the
whole tree. In a network they would defeat per-site scoping, so they go (unless someone uses them);
each site gets its own groups from the site factory instead."""

from django.db import migrations


def remove_global_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        if not group.user_set.exists():
            group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("maillage_sites", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(remove_global_groups, migrations.RunPython.noop)]
