"""PostgreSQL COPY in its text format: a value as COPY reads it, and a block of lines into a
table: how the labour service (`labor.services`) writes the worker-years on PostgreSQL."""

import io

NULL = "\\N"
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value):
    """A value in COPY's text format: None → \\N, booleans → t/f, text with its backslashes,
    tabs and line breaks escaped, anything else as str()."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPE)
    return str(value)


def copy_rows(cursor, table, columns, text):
    """COPY a block of text-format lines into a table (psycopg2 or psycopg 3)."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    if hasattr(cursor, "copy_expert"):  # psycopg2, or Django's cursor around it (logged)
        cursor.copy_expert(sql, io.StringIO(text))
    else:  # psycopg 3
        with getattr(cursor, "cursor", cursor).copy(sql) as copy:
            copy.write(text)
