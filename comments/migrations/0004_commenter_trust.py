# Commenter trust (issue 17, item 3): filled in by the change that adds its models and fields.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_unpublication_clock"),
    ]

    operations = []
