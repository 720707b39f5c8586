"""The CSV export of a list on PostgreSQL: each CSV line is written by the database.

The general path (`ListSpec.stream_rows` + `exports.csv_chunks`) converts every cell in
Python — choice label, mask, formula neutralising, CSV quoting — at roughly 50,000 rows a
second. Here the same conversions are SQL expressions around the list's own query, so
PostgreSQL (on another core) hands over finished lines and Python only joins them: several
times faster, in flat memory (a server-side cursor, a few thousand lines at a time).

The output is byte for byte that of the general path — BOM, headers, labels, masks,
neutralised formulas, quoting (tests/scale/test_fastcsv.py compares the two). Where a
column has no SQL equivalent (an annotation, a date-time, an unknown mask), or the driver
is not psycopg2, `stream_csv` returns None and the caller takes the general path.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connections, models, transaction
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from .exports import BOM, csv_value, neutralise

CHUNK = 5000
_names = itertools.count()

TEXT_FIELDS = (models.CharField, models.TextField)
NUMBER_FIELDS = (models.IntegerField, models.DecimalField)  # incl. big/small/positive ints


def _mask_sql():
    """SQL twins of the masks used by lists, each checked against its Python original."""
    from labor import idcard
    from labor.models import mask_name, mask_phone

    return {
        idcard.mask: "(CASE WHEN coalesce({v}, '') = '' THEN '' ELSE left({v}, 6) || "
        "repeat('*', greatest(length({v}) - 10, 0)) || right({v}, 4) END)",
        mask_phone: "(CASE WHEN length(coalesce({v}, '')) >= 7 THEN left({v}, 3) || '****' || "
        "right({v}, 4) ELSE repeat('*', length(coalesce({v}, ''))) END)",
        mask_name: "(CASE WHEN coalesce({v}, '') = '' THEN '' ELSE left({v}, 1) || "
        "repeat('*', length({v}) - 1) END)",
    }


def column_sql(spec, column, field, v, unmasked, params):
    """(SQL of one cell's text for the value `v` before neutralising and quoting, whether the
    cell is text that neutralising applies to), or None when the column has no SQL twin."""
    from .listing import BOOL, MONEY

    labels = spec.choice_labels.get(column.key)
    is_text = isinstance(field, TEXT_FIELDS)
    if labels is not None:
        whens = []
        for raw, label in labels.items():
            whens.append("WHEN %s THEN %s")
            # Labels of a number column are neutralised here, the rest of the column is not.
            params += [raw, str(label) if is_text else neutralise(str(label))]
        return f"coalesce(CASE {v} {' '.join(whens)} ELSE {v}::text END, '')", is_text
    if column.mask is not None and not unmasked:
        template = _mask_sql().get(column.mask)
        if template is None or not is_text:
            return None
        return "coalesce(" + template.format(v=v) + ", '')", True
    if isinstance(field, models.BooleanField):
        if column.kind != BOOL:
            return None
        params += [gettext("是"), gettext("否")]
        return f"(CASE WHEN {v} THEN %s WHEN NOT {v} THEN %s ELSE '' END)", False
    if is_text:
        return f"coalesce({v}, '')", True
    if column.kind == MONEY and isinstance(field, models.DecimalField):
        return f"coalesce(round({v}, 4)::text, '')", False
    if isinstance(field, NUMBER_FIELDS) or (
        isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
    ):
        return f"coalesce({v}::text, '')", False
    return None


SEP = "\x1f"  # joins a row's cells in the database; a cell holding it is sent separately


def cells_sql(spec, qs, *, unmasked=False):
    """(sql, params, text columns) selecting each row of `qs` as one text — its CSV cells
    (labels and masks applied, no NULLs) joined by SEP — and, only for a row where a cell
    itself holds SEP, the cells as an array. None when a column has no SQL twin.

    Layers: the list's own query (its ORDER BY kept); the cells; the joined line. `OFFSET
    0` keeps PostgreSQL from folding the layers into expressions computed several times."""
    from .listing import _field_at

    keys = [c.key for c in spec.columns]
    inner, inner_params = qs.values_list(*keys).query.get_compiler(using=qs.db).as_sql()
    params, cells, text_columns = [], [], []
    for i, column in enumerate(spec.columns):
        field = _field_at(qs.model, column.key)
        if field is None and column.key in qs.query.annotations:
            field = qs.query.annotations[column.key].output_field  # e.g. a name cut in SQL
        if field is None or field.is_relation:
            return None
        built = column_sql(spec, column, field, f"t.c{i}", unmasked, params)
        if built is None:
            return None
        cells.append(f"{built[0]} AS x{i}")
        text_columns.append(built[1])
    n = len(keys)
    aliases = ", ".join(f"c{i}" for i in range(n))
    xs = ", ".join(f"u.x{i}" for i in range(n))
    line = " || E'\\x1f' || ".join(f"u.x{i}" for i in range(n))
    vxs = ", ".join(f"v.x{i}" for i in range(n))
    # Only text cells can hold the separator (numbers, dates and yes/no cannot).
    texts = " || ".join(f"v.x{i}" for i in range(n) if text_columns[i])
    holds_separator = f"({texts}) LIKE E'%%\\x1f%%'" if texts else "false"  # %% for psycopg2
    sql = (
        f"SELECT v.line, CASE WHEN {holds_separator} THEN ARRAY[{vxs}] END FROM ("
        f"SELECT {line} AS line, {xs} FROM ("
        f"SELECT {', '.join(cells)} FROM ({inner}) AS t({aliases}) OFFSET 0"
        f") AS u OFFSET 0) AS v"
    )
    return sql, [*params, *inner_params], text_columns


# A cell needing the apostrophe starts a line or follows a separator.
_FORMULA_START = re.compile(r"(?:^|\x1f)[-=+@\t]", re.MULTILINE)


def chunk_text(rows, text_columns):
    """The CSV lines of a chunk of rows ((joined cells, cells or None), …).

    Most chunks hold no cell that needs quoting or the apostrophe: no comma, quote or line
    break anywhere, no cell starting like a formula — checked on the whole chunk with a few
    scans in C — and the chunk, its separators turned into commas, is the CSV. A chunk that
    fails the check (say, one negative number or an address with a comma) is written cell
    by cell, exactly as the general path does."""
    n = len(rows)
    if all(row[1] is None for row in rows):
        text = "\r\n".join([row[0] for row in rows]) + "\r\n"
        if (
            "," not in text
            and '"' not in text
            and text.count("\n") == n
            and text.count("\r") == n
            and not _FORMULA_START.search(text)
        ):
            return text.replace(SEP, ",")
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [
            neutralise(v) if is_text else v
            for v, is_text in zip(
                row[0].split(SEP) if row[1] is None else row[1], text_columns, strict=True
            )
        ]
        for row in rows
    )
    return buffer.getvalue()


def _psycopg2_connection(qs):
    conn = connections[qs.db]
    if conn.vendor != "postgresql":
        return None
    conn.ensure_connection()
    raw = conn.connection
    return raw if hasattr(raw, "get_dsn_parameters") else None  # psycopg2 only


def csv_chunks(built, headers, using):
    sql, params, text_columns = built
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_value(h) for h in headers])
    yield BOM + buffer.getvalue()
    conn = connections[using]
    with transaction.atomic(using=using):
        conn.ensure_connection()
        with conn.cursor() as settings_cursor:
            # Compiling these expressions (JIT) costs more than it saves on a plain scan.
            settings_cursor.execute("SET LOCAL jit = off")
        cursor = conn.connection.cursor(name=f"fastcsv_{next(_names)}")
        try:
            cursor.execute(sql, params)
            # The next chunk is fetched in a thread while this one is formatted: psycopg2
            # lets go of the GIL while it waits, so the database and Python work at once.
            with ThreadPoolExecutor(max_workers=1) as pool:
                pending = pool.submit(cursor.fetchmany, CHUNK)
                while rows := pending.result():
                    pending = pool.submit(cursor.fetchmany, CHUNK)
                    yield chunk_text(rows, text_columns)
        finally:
            cursor.close()


def stream_csv(spec, qs, filename, headers, *, unmasked=False):
    """A streamed CSV response of the ordered queryset `qs`, or None where the fast path
    does not apply."""
    if _psycopg2_connection(qs) is None:
        return None
    built = cells_sql(spec, qs, unmasked=unmasked)
    if built is None:
        return None
    response = StreamingHttpResponse(
        csv_chunks(built, headers, qs.db), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
    return response
