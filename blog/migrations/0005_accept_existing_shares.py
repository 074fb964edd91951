"""Placeholder, to be filled by H1: every existing share of a live post becomes an accepted ShareProposal, so that nothing shown today disappears."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("blog", "0004_governance")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
