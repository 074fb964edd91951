# Legal retention of identification data (issue 17, item 10): filled in by the change that adds it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_commenter_trust"),
    ]

    operations = []
