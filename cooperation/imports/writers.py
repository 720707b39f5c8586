"""Writing many rows fast (used by the resources)."""

from django.utils import timezone


def reserve_ids(model, count, connection):
    """`count` fresh primary keys for `model`, taken before inserting with them.

    PostgreSQL: from the table's sequence (safe beside other writers). SQLite: above the
    highest id ever used; SQLite has one writer at a time, and a clash would only make the
    import fail as a whole."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {connection.ops.quote_name(table)}"
        )
        top = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
        return list(range(top + 1, top + 1 + count))


# Values of these field types go to the database as they are (no adaptation needed).
_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _preparer(field, connection):
    """A function turning a field's Python value into its database value (identity for
    plain types: Django's get_db_prep_save is costly at a million values)."""
    internal = field.get_internal_type()
    if internal in _PLAIN_TYPES and not (
        internal == "ForeignKey" and field.target_field.get_internal_type() not in _PLAIN_TYPES
    ):
        return lambda value: value
    prep = field.get_db_prep_save
    known = {}  # the same dates, times and amounts recur on many rows: adapt each once

    def prepared(value):
        try:
            return known[value]
        except KeyError:
            known[value] = result = prep(value, connection)
            return result

    return prepared


def insert_rows(model, columns, rows, connection):
    """INSERT many rows (tuples of database values) in few statements."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(cursor.cursor, sql + "%s", rows, page_size=2000)
        else:
            cursor.executemany(sql + f"({', '.join(['%s'] * len(columns))})", rows)


def fast_create(model, objs, *, using=None):
    """Like `bulk_create`, without the per-value SQL compilation that makes Django's
    version slow on large files: ids are reserved first, values prepared once per field,
    and rows sent with executemany (SQLite) or multi-row VALUES (PostgreSQL). Callers set
    every field (no `pre_save`: created/updated times are set by the importer)."""
    from django.db import connections, router

    if not objs:
        return objs
    connection = connections[using or router.db_for_write(model)]
    for obj, pk in zip(objs, reserve_ids(model, len(objs), connection), strict=True):
        obj.pk = pk
    fields = model._meta.concrete_fields
    preps = [(f.attname, _preparer(f, connection)) for f in fields]
    rows = [tuple(prep(getattr(obj, attname)) for attname, prep in preps) for obj in objs]
    insert_rows(model, [f.column for f in fields], rows, connection)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def fast_history(model, objs, *, update=False, user=None, reason="", using=None):
    """The simple_history rows of `objs` ("+" created, "~" changed), written like fast_create."""
    from django.conf import settings
    from django.db import connections, router

    if (
        not objs
        or not hasattr(model, "history")
        or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    ):
        return
    history = model.history.model
    connection = connections[using or router.db_for_write(history)]
    tracked = {f.attname for f in history.tracked_fields}
    now = timezone.now()
    fixed = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "~" if update else "+",
        "history_user_id": getattr(user, "pk", None),
    }
    columns, sources = [], []
    for f in history._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.attname in tracked:
            sources.append((f.attname, None, _preparer(f, connection)))
        else:
            value = fixed[f.attname] if f.attname in fixed else f.get_default()
            sources.append((None, f.get_db_prep_save(value, connection), None))
    rows = [
        tuple(
            prep(getattr(obj, attname)) if attname else constant
            for attname, constant, prep in sources
        )
        for obj in objs
    ]
    insert_rows(history, columns, rows, connection)


def chunked(values, size):
    for i in range(0, len(values), size):
        yield values[i : i + size]
