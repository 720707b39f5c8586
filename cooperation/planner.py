"""Fresh planner statistics after a bulk load.

A table that has just grown by 100,000 rows still carries the statistics of its old size
until autovacuum comes round, and the planner picks plans for that size (a nested loop over
a history table it believes holds 10,000 rows). Whoever loads in bulk (an import, the demo
generator) analyses the tables it filled, once its transaction has committed."""

from django.db import connection

#: below this many written rows an import leaves the statistics to autovacuum
ANALYSE_AFTER_ROWS = 1000


def analyse(models):
    """ANALYZE the tables of these models (PostgreSQL and SQLite both know the statement)."""
    tables = list(dict.fromkeys(m._meta.db_table for m in models))
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables
