"""The CSV export of a list on PostgreSQL, several times faster, in flat memory.

The general path (`ListSpec.stream_rows` + `exports.csv_chunks`) converts every cell in
Python — choice label, mask, formula neutralising, CSV quoting — at about 50,000 rows a
second. Here:

- each cell's text (label, mask, date, decimal) is an SQL expression around the list's own
  query, and the database joins a row's cells with a separator (SEP);
- `COPY (…) TO STDOUT` runs in a thread, so PostgreSQL streams rows without waiting to be
  asked while this process turns blocks of 5,000 rows into CSV (bounded queue: flat memory);
- a block is checked at once with a few scans in C — no comma, quote, escape or line break
  in any cell, no cell starting like a formula — and is then its own CSV text (separators
  turned into commas); a block that fails the check is written cell by cell, exactly like
  the general path.

The output is byte for byte that of the general path — BOM, headers, labels, masks,
neutralised formulas, quoting (tests/scale/test_fastcsv.py compares the two). Where a
column has no SQL twin (a date-time, an unknown mask, a relation), or the driver is not
psycopg2, `stream_csv` returns None and the caller takes the general path.
"""

from __future__ import annotations

import csv
import io
import json
import queue
import re
import threading

from django.db import connections, models, transaction
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from cooperation.lists.exports import BOM, csv_value, neutralise

CHUNK = 5000

TEXT_FIELDS = (models.CharField, models.TextField)
NUMBER_FIELDS = (models.IntegerField, models.DecimalField)  # incl. big/small/positive ints


def _mask_sql():
    """SQL twins of the masks used by lists, each checked against its Python original."""
    from labor import idcard
    from labor.models import mask_name, mask_phone

    return {
        idcard.mask: "(CASE WHEN coalesce({v}, '') = '' THEN '' ELSE left({v}, 6) || "
        "repeat('*', greatest(length({v}) - 6, 0)) END)",
        mask_phone: "(CASE WHEN length(coalesce({v}, '')) >= 7 THEN left({v}, 3) || '****' || "
        "right({v}, 4) ELSE repeat('*', length(coalesce({v}, ''))) END)",
        mask_name: "(CASE WHEN coalesce({v}, '') = '' THEN '' ELSE left({v}, 1) || "
        "repeat('*', length({v}) - 1) END)",
    }


def column_sql(spec, column, field, v, unmasked, params):
    """(SQL of one cell's text for the value `v` before neutralising and quoting, whether the
    cell is text that neutralising applies to), or None when the column has no SQL twin."""
    from cooperation.lists.listing import BOOL, MONEY

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
    (labels and masks applied, no NULLs) joined by SEP — and, only for a row whose text
    values hold SEP themselves, the cells again as a JSON array. None when a column has no
    SQL twin. The list's own query, ORDER BY included, is the subquery."""
    from cooperation.lists.listing import _field_at

    keys = [c.key for c in spec.columns]
    inner, inner_params = qs.values_list(*keys).query.get_compiler(using=qs.db).as_sql()
    params, cells, text_columns, raw_text = [], [], [], []
    for i, column in enumerate(spec.columns):
        field = _field_at(qs.model, column.key)
        if field is None and column.key in qs.query.annotations:
            field = qs.query.annotations[column.key].output_field  # e.g. a name cut in SQL
        if field is None or field.is_relation:
            return None
        built = column_sql(spec, column, field, f"t.c{i}", unmasked, params)
        if built is None:
            return None
        cells.append(built[0])
        text_columns.append(built[1])
        raw_text.append(isinstance(field, TEXT_FIELDS))
    n = len(keys)
    aliases = ", ".join(f"c{i}" for i in range(n))
    line = " || E'\\x1f' || ".join(cells)
    # A cell can hold the separator only if the text it comes from does (labels do not).
    raw_texts = " || ".join(f"coalesce(t.c{i}, '')" for i in range(n) if raw_text[i])
    holds_separator = f"({raw_texts}) LIKE E'%%\\x1f%%'" if raw_texts else "false"  # %%: psycopg2
    sql = (
        f"SELECT {line}, CASE WHEN {holds_separator} "
        f"THEN array_to_json(ARRAY[{', '.join(cells)}])::text END "
        f"FROM ({inner}) AS t({aliases})"
    )
    # The cells' parameters twice: in the line, and in the array of the rare row.
    return sql, [*params, *params, *inner_params], text_columns


# A cell needing the apostrophe starts a line or follows a separator.
_FORMULA_START = re.compile(r"(?:^|\x1f)[-=+@\t]", re.MULTILINE)
# COPY's text format: a row is "<joined cells>\t<cells as JSON, or \N>\n"; backslash escapes.
_PLAIN_ROW_END = "\t\\N\n"
_COPY_ESCAPE = re.compile(r"\\(.)")
_COPY_CHARS = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}


def _unescape(text):
    return _COPY_ESCAPE.sub(lambda m: _COPY_CHARS.get(m.group(1), m.group(1)), text)


def chunk_text(text, text_columns):
    """The CSV lines of a block of COPY output (whole rows).

    Most blocks hold no cell that needs quoting, the apostrophe or an escape: no comma,
    quote or backslash (beyond the NULL markers) anywhere, no cell starting like a formula —
    checked on the whole block with a few scans in C — and the block, its separators
    turned into commas, is the CSV. A block that fails the check (say, one negative number
    or an address with a comma) is written cell by cell, exactly as the general path does."""
    n = text.count("\n")
    if text.count(_PLAIN_ROW_END) == n and text.count("\\") == n:
        body = text.replace(_PLAIN_ROW_END, "\n")
        if "," not in body and '"' not in body and not _FORMULA_START.search(body):
            return body.replace("\n", "\r\n").replace(SEP, ",")
    rows = []
    for line in text[:-1].split("\n"):
        joined, cells = line.split("\t")
        values = joined.split(SEP) if cells == "\\N" else json.loads(_unescape(cells))
        if cells == "\\N":
            values = [_unescape(v) for v in values]
        rows.append([neutralise(v) if t else v for v, t in zip(values, text_columns, strict=True)])
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def _psycopg2_connection(qs):
    conn = connections[qs.db]
    if conn.vendor != "postgresql":
        return None
    conn.ensure_connection()
    raw = conn.connection
    return raw if hasattr(raw, "get_dsn_parameters") else None  # psycopg2 only


class _Blocks:
    """The file COPY writes into (one row per write, as bytes): whole rows are handed to the
    response a block at a time through a bounded queue, so memory stays flat."""

    def __init__(self, blocks):
        self.blocks, self.rows, self.pending = blocks, [], 0

    def write(self, data):
        self.rows.append(data)
        self.pending += 1
        if self.pending >= CHUNK:
            self.flush()

    def flush(self):
        if self.rows:
            self.blocks.put(b"".join(self.rows).decode())
            self.rows, self.pending = [], 0


def csv_chunks(built, headers, using):
    """The CSV, streamed: `COPY (…) TO STDOUT` runs in a thread and PostgreSQL sends rows
    as fast as it makes them while this generator turns blocks into CSV text."""
    sql, params, text_columns = built
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_value(h) for h in headers])
    yield BOM + buffer.getvalue()
    conn = connections[using]
    with transaction.atomic(using=using):
        conn.ensure_connection()
        with conn.cursor() as cursor:
            # Compiling these expressions (JIT) costs more than it saves on a plain scan.
            cursor.execute("SET LOCAL jit = off")
            copy_sql = "COPY (" + cursor.mogrify(sql, params).decode() + ") TO STDOUT"
        raw = conn.connection
        blocks = queue.Queue(maxsize=4)
        done = object()

        def run():
            sink = _Blocks(blocks)
            try:
                with raw.cursor() as cursor:
                    cursor.copy_expert(copy_sql, sink)
                sink.flush()
                blocks.put(done)
            except BaseException as exc:  # handed to the generator, which raises it
                blocks.put(exc)

        thread = threading.Thread(target=run, name="fastcsv-copy", daemon=True)
        thread.start()
        try:
            while (block := blocks.get()) is not done:
                if isinstance(block, BaseException):
                    raise block
                yield chunk_text(block, text_columns)
        finally:
            if thread.is_alive():  # the client went away: stop the COPY, let the thread end
                raw.cancel()
                while thread.is_alive():
                    try:
                        blocks.get(timeout=0.1)
                    except queue.Empty:
                        pass
            thread.join()


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
