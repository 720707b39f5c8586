"""Reading the spreadsheets (台账) staff already keep, and writing them back out.

Three layers, used by the admin import (django-import-export) and by
`manage.py import_records` alike, so both apply exactly the same parsing and validation:

1. Files → `tablib.Dataset`: CSV in UTF-8, UTF-8 with BOM, GBK/GB18030 (detected, not asked)
   or UTF-16 (Excel's "Unicode text"); XLSX through openpyxl. Trailing empty rows and
   columns are dropped; a title row above the header ("2021年项目台账") is skipped.
2. Cells → Python values: amounts "1,234.50", "1234.5万元", full-width digits; dates
   "2021-04-05", "2021/4/5", "2021年4月5日" and Excel date cells; choices by their Chinese
   label; regions by official code or by name within the partnership's western county.
   Every failure is a `ValueError` whose text a clerk understands.
3. `TrackedResource`: the base of every resource. Natural keys are prefetched (no query per
   row), rows are validated with the model's own `full_clean()`, unchanged rows are
   reported as such, errors name the spreadsheet row and column, and rows are written with
   `bulk_create` / `bulk_update` plus their history, all in one transaction.

Exports go through the same resources: CSV with a BOM (Excel opens it as UTF-8), cells that
start with = + - @ tab or CR neutralised with a leading apostrophe (stripped again on import,
so an exported file imports back unchanged), XLSX with such cells and ID numbers typed as
text.

    files.py      files → rows (CSV in any encoding, XLSX), the import/export formats
    cells.py      cells → values (amounts, dates, choices, names)
    places.py     place names and codes → regions
    widgets.py    the widget of every column
    resources.py  TrackedResource, the base of every resource
    running.py    run_import: a file through a resource, a chunk of lines at a time
    jobs.py       large files imported in the background
    admin.py      the admin's import with preview and export
"""
