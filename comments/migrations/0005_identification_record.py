# Legal retention of identification data (issue 17, item 10): the records kept apart from the
# comments when COMMENTS_IDENTIFICATION_RETENTION_DAYS is on, and the audit trail of their exports.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_commenter_trust"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IdentificationRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("comment_id", models.BigIntegerField(db_index=True, verbose_name="comment")),
                ("page_id", models.BigIntegerField(verbose_name="page")),
                (
                    "ip_address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address"),
                ),
                ("port", models.PositiveIntegerField(blank=True, null=True, verbose_name="port")),
                ("created_at", models.DateTimeField(db_index=True, verbose_name="posted")),
            ],
            options={
                "verbose_name": "identification record",
                "verbose_name_plural": "identification records",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="IdentificationExport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("exported_at", models.DateTimeField(auto_now_add=True, verbose_name="exported")),
                ("username", models.CharField(max_length=150, verbose_name="by")),
                ("reason", models.CharField(max_length=300, verbose_name="reason")),
                ("since", models.DateTimeField(blank=True, null=True, verbose_name="from")),
                ("until", models.DateTimeField(blank=True, null=True, verbose_name="until")),
                ("records", models.PositiveIntegerField(verbose_name="records")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "identification export",
                "verbose_name_plural": "identification exports",
                "ordering": ["-exported_at", "-pk"],
            },
        ),
    ]
