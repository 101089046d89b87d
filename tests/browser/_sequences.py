"""Helpers shared by the content browser tests."""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection


def reset_sequences():
    """Move PostgreSQL's id sequences past existing rows. The shared
    migration_data fixture reloads the migrated rows with their original
    keys after a flush, which leaves the sequences at 1, so the next page or
    user insert would collide. (No-op on SQLite.)"""
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
