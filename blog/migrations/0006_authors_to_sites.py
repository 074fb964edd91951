"""Placeholder, to be filled by H3: each existing author goes to the site of the posts that use it (network-wide if several sites do)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("blog", "0005_accept_existing_shares")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
