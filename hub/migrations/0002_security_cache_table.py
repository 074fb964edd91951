"""The security cache's table (CACHES["security"]: lockouts and rate limits, apart from cached
pages), for databases migrated before it existed. createcachetable makes every database cache's
table that is missing and leaves the others alone."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_cache_table")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
