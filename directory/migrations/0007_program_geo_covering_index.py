"""On PostgreSQL, make the (status, latitude, longitude) index covering:
INCLUDE (id), so location searches, which fetch ids only, are answered
from the index without visiting the table. Same name and key columns, so
Django's model state is unchanged; SQLite indexes already carry the rowid
(the id), so there is nothing to do there."""

from django.db import migrations

INDEX = "program_status_geo_idx"
TABLE = "directory_program"
COLUMNS = '"status", "latitude", "longitude"'


def covering(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')
        schema_editor.execute(f'CREATE INDEX "{INDEX}" ON "{TABLE}" ({COLUMNS}) INCLUDE ("id")')


def plain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')
        schema_editor.execute(f'CREATE INDEX "{INDEX}" ON "{TABLE}" ({COLUMNS})')


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_search_index_change_log")]

    operations = [migrations.RunPython(covering, plain, elidable=False)]
