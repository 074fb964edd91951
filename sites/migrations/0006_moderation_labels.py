"""The moderation modes explained in one sentence each (their labels), and the moderators of the
existing sites given Wagtail's settings permission on their site: they change its comment policy
(sites.settings_roles; new sites get it from sites.roles.grant_site_roles)."""

from django.db import migrations, models


def grant_moderators(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    SiteProfile = apps.get_model("maillage_sites", "SiteProfile")
    permission = Permission.objects.filter(
        content_type__app_label="maillage_sites", codename="change_sitesettings"
    ).first()
    if permission is None:  # a new database: no site yet, the factory grants it
        return
    for profile in SiteProfile.objects.exclude(moderators=None):
        GroupSitePermission.objects.get_or_create(
            group_id=profile.moderators_id, site_id=profile.site_id, permission=permission
        )


def revoke_moderators(apps, schema_editor):
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    SiteProfile = apps.get_model("maillage_sites", "SiteProfile")
    for profile in SiteProfile.objects.exclude(moderators=None):
        GroupSitePermission.objects.filter(
            group_id=profile.moderators_id,
            site_id=profile.site_id,
            permission__codename="change_sitesettings",
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("maillage_sites", "0005_editors_translate")]

    operations = [
        migrations.AlterField(
            model_name="sitesettings",
            name="comment_moderation",
            field=models.CharField(
                choices=[
                    ("all", "Every comment waits for a moderator's approval."),
                    (
                        "first",
                        "A commenter's first comment on this site waits for approval; after one "
                        "is approved, their comments from the same browser appear at once.",
                    ),
                    ("none", "Comments appear at once; moderators can still remove them."),
                ],
                default="first",
                max_length=10,
                verbose_name="moderation",
            ),
        ),
        migrations.RunPython(grant_moderators, revoke_moderators),
    ]
