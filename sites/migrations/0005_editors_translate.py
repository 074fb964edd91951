"""Placeholder, to be filled by H4: the existing site editors groups may start translations (wagtail-localize)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("maillage_sites", "0004_governance")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
