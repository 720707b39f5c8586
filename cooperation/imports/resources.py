"""`TrackedResource`, the base of every resource, and what an import found."""

import re
from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db.models import NOT_PROVIDED, Model
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import InvalidRow, Result
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from confirmation import closing
from cooperation import areas
from cooperation.freshness import bump_data_version, partnerships_of
from cooperation.models import Organisation, Partnership, Tracked
from cooperation.roles import can_view_personal_data

from .cells import cell_text, comparable, normalise_text
from .files import is_blank, skipped_note
from .places import RegionIndex
from .widgets import BoundWidget, PartnershipWidget, model_field

#: rows per UPDATE of a bulk update: Django writes one CASE WHEN per column over the batch,
#: which the database tries branch by branch for each row, so its cost grows with the
#: square of the batch (2,000 made a re-import 5× slower than the first import on PostgreSQL)
UPDATE_BATCH_ROWS = 200


class Sentences:
    """What an import found as sentences a clerk understands (第5行“资金年度”：'二〇二一' 不是
    有效的年份), from `entries()` and `doubt_entries()`: (file line, column, text) each."""

    @property
    def messages(self):
        return [error_message(*entry) for entry in self.entries()]

    @property
    def doubt_messages(self):
        return [error_message(*entry) for entry in self.doubt_entries()]

    @property
    def skipped_note(self):
        return skipped_note(self)


class ImportResult(Sentences, Result):
    """django-import-export's result of one dataset, its rows named by their file lines."""

    header_line = 1
    line_numbers = None  # the file line of each row, when reading left lines out
    skipped = (0, [])
    ignored_columns = ()
    doubts = ()  # (row number, column, question): values that read but look wrong

    def line_of(self, number):
        return line_in_file(self, number)

    def doubt_entries(self):
        return [(self.line_of(number), column, text) for number, column, text in self.doubts]

    def entries(self):
        """(file line or None, column or None, text) of every error."""
        for error in self.base_errors:
            for text in _error_texts(error.error):
                yield None, None, text
        for number, errors in self.row_errors():
            for error in errors:
                yield self.line_of(number), None, "；".join(_error_texts(error.error))
        for row in self.invalid_rows:
            for column, texts in row.error_dict.items():
                for text in texts:
                    yield (
                        self.line_of(row.number),
                        (None if column == NON_FIELD_ERRORS else column),
                        text,
                    )

    def append_invalid_row(self, number, row, validation_error):
        values = tuple(row.get(col, "") for col in self.diff_headers)
        invalid = InvalidRow(number=number, validation_error=validation_error, values=values)
        self.invalid_rows.append(invalid)

    def lines(self):
        """(line, row_result) of every row, for the preview."""
        return [(self.line_of(i), r) for i, r in enumerate(self.rows, 1)]

    @property
    def ok(self):
        return not self.has_errors() and not self.has_validation_errors()


def error_message(line, column, text):
    """第5行“资金年度”：… (a message about a cell), 第5行：… (a line), or the text alone."""
    if line is None:
        return text
    if column is None:
        return gettext("第%(line)d行：%(message)s") % {"line": line, "message": text}
    return gettext("第%(line)d行“%(column)s”：%(message)s") % {
        "line": line,
        "column": column,
        "message": text,
    }


def line_in_file(holder, number):
    """The file line of a dataset row (`number` from 1): after the header line, less any
    blank or 合计 line that reading left out (`holder.line_numbers`)."""
    lines = holder.line_numbers
    if lines and 1 <= number <= len(lines):
        return lines[number - 1]
    return number + holder.header_line


def updated_fields(model):
    """What a bulk update writes: every field but the key and the record's creation."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in ("created_at", "created_by")
    ]


def chunked(values, size):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _error_texts(error):
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


# Set by the importer, never read from the file: not worth validating per row.
AUDIT_FIELDS = ("id", "created_at", "updated_at", "version")


def _partnerships_named(partnerships, text):
    """The partnerships a cell names (normalised `text`): by both counties, one county, or
    both codes."""
    return [
        p
        for p in partnerships
        if text
        in {
            p.east_region.name + p.west_region.name,
            p.west_region.name,
            p.east_region.name,
            p.east_region_id + p.west_region_id,
        }
    ]


class NaturalKeyLoader(BaseInstanceLoader):
    """Finds a row's existing record in the dict the resource prefetched (no query per row).
    A key that does not parse means "new": the cell's own error is reported by its field."""

    def get_instance(self, row):
        try:
            key = self.resource.row_key(row)
        except (ValueError, ValidationError, KeyError):
            return None
        return self.resource.existing.get(key)


class StyleFreeDiff(resources.Diff):
    """The import preview's diff of each row with classes instead of the inline styles of
    diff-match-patch (`<ins style="background:…">`), which the Content-Security-Policy
    refuses; static/css/admin.css colours them. The cell text is escaped by diff-match-patch,
    so a cell cannot forge the tags replaced here."""

    TAGS = {
        '<ins style="background:#e6ffe6;">': '<ins class="diff-ins">',
        '<del style="background:#ffe6e6;">': '<del class="diff-del">',
    }

    def as_html(self):
        cells = []
        for html in super().as_html():
            for styled, plain in self.TAGS.items():
                html = html.replace(styled, plain)
            cells.append(mark_safe(html))
        return cells


class TrackedResource(resources.ModelResource):
    """Base of every import/export resource of the project (see cooperation/imports/).

    Subclasses list their columns in `Meta.fields`: a model field listed there is titled
    with its verbose name and read by the widget of its type (`model_field`), the
    partnership by PartnershipWidget; only other columns with a widget of their own
    (relations, names, places) are declared. They also give
    `natural_key` (resource field names identifying a record, e.g. ("partnership",
    "fund_year", "name")) and may override `prepare(instance)` to set what `save()` would
    derive (bulk writes bypass `save()`)."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        if field_name == "partnership":
            return model_field(django_field.model, field_name, PartnershipWidget())
        if django_field.is_relation:
            raise ImproperlyConfigured(
                f"{cls.__name__}.{field_name}: a relation needs a declared field and widget"
            )
        return model_field(django_field.model, field_name)

    natural_key = ()
    #: {field name: other everyday names of its column}, e.g. {"phone": ("联系电话",)}
    column_synonyms = {}

    def get_diff_class(self):
        return StyleFreeDiff

    #: fields that need a value in every row: their column must be in the file
    required_columns = ()
    #: fields naming registered organisations (`organisation_named`), loaded with the records
    organisation_fields = ()
    #: a resource whose rows show personal data needs labor.view_personal_data
    personal_data = False
    #: resource field names left out of exports for users without that permission
    personal_fields = ()

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        use_bulk = True
        batch_size = 2000
        clean_model_instances = True
        instance_loader_class = NaturalKeyLoader
        # No id columns: records are found by `natural_key` (NaturalKeyLoader), and a file
        # without its columns is refused by normalise_headers, in Chinese.
        import_id_fields = ()

    def __init__(self, user=None, fast=False, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        if fast:
            # The command: no per-row deepcopy and HTML diff (changes are found on snapshots).
            meta = type(self._meta).__new__(type(self._meta))
            meta.__dict__.update(self._meta.__dict__)
            meta.skip_diff = True
            self._meta = meta
        for f in self.fields.values():
            if isinstance(f.widget, BoundWidget):
                f.widget.bind(self)
        self._partnership_cache = {}
        self.existing = {}
        self.snapshots = {}
        self.closed_pairs = set()  # (partnership id, year) both sides confirmed: no row may touch
        self.stored_years = {}  # id() of a stored record → the years it was dated in
        self.seen_keys = {}
        self.header_line = 1
        self.line_numbers = None
        self.pending = set()

    # -- metadata ------------------------------------------------------------------------

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name)

    def get_result_class(self):
        return ImportResult

    def get_import_fields(self):
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def column_of(self, name):
        """The column title of a model field or resource field name."""
        for key, f in self.fields.items():
            attr = (f.attribute or "").split("__")[-1]
            if name in (key, f.attribute, attr, attr.removesuffix("_id")):
                return f.column_name
        model_field_ = {f.name: f for f in self._meta.model._meta.fields}.get(name)
        return str(model_field_.verbose_name) if model_field_ else name

    # -- shared lookups ------------------------------------------------------------------

    @cached_property
    def regions(self):
        return RegionIndex()

    @cached_property
    def partnerships(self):
        """The partnerships rows may name: those of the importing user's areas (every one
        for the command, which runs without a user)."""
        return list(self.in_area(Partnership.objects.with_regions()))

    def in_area(self, queryset):
        return queryset if self.user is None else areas.scope(queryset, self.user)

    def get_queryset(self):
        """The records a row may find and change: those of the importing user's areas."""
        return self.in_area(super().get_queryset())

    def partnership_of(self, value):
        raw = "" if value is None else str(value).strip()
        if raw in self._partnership_cache:
            return self._partnership_cache[raw]
        if not raw:
            if len(self.partnerships) == 1:
                found = self.partnerships[0]
            else:
                raise ValueError(gettext("请填写协作关系（如“武进区—汉滨区”）"))
        else:
            text = re.sub(r"[-—–－~～/／、,，\s]+", "", normalise_text(raw))
            matches = _partnerships_named(self.partnerships, text)
            if not matches and self.user is not None:
                elsewhere = _partnerships_named(Partnership.objects.with_regions(), text)
                if elsewhere:
                    raise ValueError(
                        gettext("协作关系“%(v)s”不在您的工作地区（%(areas)s）内，不能导入它的记录")
                        % {"v": raw, "areas": areas.names(self.user) or gettext("无")}
                    )
            if len(matches) != 1:
                raise ValueError(
                    gettext("找不到协作关系“%(v)s”（应写作“东部区县—西部区县”，如“%(example)s”）")
                    % {
                        "v": raw,
                        "example": str(self.partnerships[0])
                        if self.partnerships
                        else "武进区—汉滨区",
                    }
                )
            found = matches[0]
        self._partnership_cache[raw] = found
        return found

    def row_partnership(self, row):
        """The partnership of a row, or None when its cell is bad (reported by its field)."""
        column = self.column_of("partnership")
        try:
            return self.partnership_of(row.get(column) if row else None)
        except ValueError:
            return None

    def column_values(self, dataset, *field_names):
        """The distinct non-blank texts of these fields' columns in the file."""
        values = set()
        for name in field_names:
            column = self.fields[name].column_name
            if dataset.headers and column in dataset.headers:
                values.update(cell_text(v) for v in dataset[column] if not is_blank(v))
        return values

    def load_organisations(self, names):
        self.orgs_by_name = defaultdict(list)
        for org in Organisation.objects.filter(name__in=names).order_by("region_id", "id"):
            org.region = self.regions.get(org.region_id) or org.region
            self.orgs_by_name[org.name].append(org)

    def organisation_named(self, text, row, side=None):
        """An organisation already registered (admin → 单位), by name, in the row's
        partnership's eastern or western county (or either)."""
        partnership = self.row_partnership(row)
        candidates = getattr(self, "orgs_by_name", {}).get(text, [])
        if partnership is not None:
            counties = {
                "east": [partnership.east_region_id],
                "west": [partnership.west_region_id],
                None: [partnership.east_region_id, partnership.west_region_id],
            }[side]
            inside = [o for o in candidates if o.region_id.startswith(tuple(counties))]
            candidates = inside or candidates
        if not candidates:
            raise ValueError(
                gettext("单位“%(v)s”尚未登记，请先在“单位”中添加（或核对名称）") % {"v": text}
            )
        if len(candidates) > 1:
            raise ValueError(
                gettext("有%(n)d个名为“%(v)s”的单位（%(places)s），无法确定是哪一个")
                % {
                    "n": len(candidates),
                    "v": text,
                    "places": "、".join(o.region.name for o in candidates),
                }
            )
        return candidates[0]

    # -- natural keys ----------------------------------------------------------------------

    def key_value(self, value):
        return value.pk if isinstance(value, Model) else value

    def row_key(self, row):
        return tuple(self.key_value(self.fields[name].clean(row)) for name in self.natural_key)

    def instance_key(self, instance):
        return tuple(
            self.key_value(self.fields[name].get_value(instance)) for name in self.natural_key
        )

    def prefetch_queryset(self, dataset):
        """Existing records that rows of the dataset may name (a superset is fine)."""
        lookup_name = next(n for n in self.natural_key if n != "partnership")
        f = self.fields[lookup_name]
        values = set()
        for row in dataset.dict:
            try:
                values.add(self.key_value(f.clean(row)))
            except (ValueError, KeyError):
                continue
        values.discard(None)
        attribute = f.attribute
        return [
            self.get_queryset().filter(**{f"{attribute}__in": chunk})
            for chunk in chunked(sorted(values, key=str), 2000)
        ]

    def snapshot(self, instance):
        return tuple(f.get_value(instance) for f in self.get_import_fields() if f.attribute)

    def load_existing(self, dataset):
        if self.organisation_fields:
            self.load_organisations(self.column_values(dataset, *self.organisation_fields))
        for queryset in self.prefetch_queryset(dataset):
            for instance in queryset:
                key = self.instance_key(instance)
                self.existing[key] = instance
                self.snapshots[id(instance)] = self.snapshot(instance)
                self.remember_years(instance)

    # -- closed years (confirmation/closing.py) ---------------------------------------------------

    def remember_years(self, record):
        """The years a stored record is dated in, before the row changes it (only while some
        year is closed)."""
        if self.closed_pairs:
            self.stored_years[id(record)] = closing.years(record)

    def closed_year_errors(self, record, prefix=""):
        """{field: [why]} when the row's record, as stored or as written, is dated in a year
        its partnership's two sides have confirmed; {} otherwise (no query)."""
        if not self.closed_pairs or not closing.dated_fields(type(record)):
            return {}
        partnership_id = closing.partnership_in_memory(record)
        years = closing.years(record) | self.stored_years.get(id(record), set())
        refused = {y for y in years if (partnership_id, y) in self.closed_pairs}
        if not refused:
            return {}
        field = closing.dated_fields(type(record))[0]
        return {f"{prefix}{field}": [closing.message(refused)]}

    # -- the file's shape --------------------------------------------------------------------

    def expected_columns(self):
        return [f.column_name for f in self.get_import_fields()]

    def normalise_headers(self, dataset):
        """Find the header line (a title line may come first), match headers written with
        half-width brackets or spaces, and fill a missing partnership column when there is
        only one partnership."""
        expected = {comparable(c): c for c in self.expected_columns()}

        headers = list(dataset.headers or [])
        self.header_line = getattr(dataset, "header_line", 1)
        self.line_numbers = getattr(dataset, "line_numbers", None)
        headers = [expected.get(comparable(h), h) if not is_blank(h) else h for h in headers]
        # A column under another everyday name (联系电话 for 手机号码) is that column, unless
        # the file also has the column itself.
        synonyms = {
            comparable(word): self.fields[name].column_name
            for name, words in self.column_synonyms.items()
            for word in words
        }
        for i, h in enumerate(headers):
            column = synonyms.get(comparable(h)) if not is_blank(h) else None
            if column is not None and column not in headers:
                headers[i] = column
        # Any other column is not imported: said in the preview and the summary.
        dataset.ignored_columns = self.ignored_columns = [
            h for h in headers if not is_blank(h) and h not in expected.values()
        ]
        seen = set()
        for h in headers:
            if h and h in seen:
                raise ValidationError(gettext("表头“%(h)s”出现了两次") % {"h": h})
            seen.add(h)
        dataset.headers = headers
        partnership_column = self.column_of("partnership")
        if partnership_column in expected.values() and partnership_column not in headers:
            if len(self.partnerships) == 1:
                dataset.append_col(
                    [str(self.partnerships[0])] * len(dataset), header=partnership_column
                )
            else:
                raise ValidationError(
                    gettext("文件缺少“%(c)s”列（系统中有多个协作关系，须写明每行属于哪一个）")
                    % {"c": partnership_column}
                )
        for name in self.natural_key:
            # An optional text column of the key (e.g. 销售主体) may be left out: it is blank.
            f = self.fields[name]
            if f.column_name not in dataset.headers and f.default == "":
                dataset.append_col([""] * len(dataset), header=f.column_name)
        required = [self.fields[n].column_name for n in (*self.natural_key, *self.required_columns)]
        missing = [c for c in dict.fromkeys(required) if c not in dataset.headers]
        if missing:
            raise ValidationError(
                gettext("文件缺少这些列：%(cols)s。表头应与导出的文件一致。")
                % {"cols": "、".join(missing)}
            )

    # -- import hooks ----------------------------------------------------------------------

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        self.dry_run = dry_run
        self.doubts = []
        result = super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
        )
        result.header_line = self.header_line
        result.line_numbers = self.line_numbers
        result.skipped = dataset_skipped(dataset)
        result.ignored_columns = getattr(self, "ignored_columns", [])
        result.doubts = self.doubts
        return result

    def line(self, number):
        return line_in_file(self, number)

    def before_import(self, dataset, **kwargs):
        if kwargs.get("user") is not None and self.user is None:
            self.user = kwargs["user"]
        try:
            self.normalise_headers(dataset)
        except ValidationError:
            del dataset[0 : len(dataset)]  # a file of the wrong shape: no row is read at all
            raise
        self.closed_pairs = closing.closed_of()  # one query per chunk
        self.stored_years = {}
        self.load_existing(dataset)

    def before_import_row(self, row, **kwargs):
        self.row_number = kwargs.get("row_number")

    def import_instance(self, instance, row, **kwargs):
        """Each cell through its widget onto the record (django-import-export's loop, less its
        per-cell overhead). A column that is not in the file leaves the value alone."""
        if getattr(self, "_plan", None) is None:
            self._plan = [
                (f.attribute, f.attribute.split("__"), f.column_name, f.widget, f.default)
                for f in self.get_import_fields()
                if f.attribute and not f.readonly
            ]
        errors = {}
        for attribute, path, column, widget, default in self._plan:
            if column not in row:
                continue
            if isinstance(row[column], str) and "\x00" in row[column]:
                # PostgreSQL refuses NUL in any text, SQLite would store it: refused here,
                # on both, naming the line and the column.
                errors[attribute] = ValidationError(
                    gettext("含有空字符（NUL，\\x00），请删除后再导入"), code="nul"
                )
                continue
            try:
                value = widget.clean(row[column], row=row)
                if value in (None, "") and default is not NOT_PROVIDED:
                    value = default() if callable(default) else default
            except ValueError as exc:
                errors[attribute] = ValidationError(str(exc), code="invalid")
                continue
            doubt = widget.doubt(row[column], value) if hasattr(widget, "doubt") else None
            if doubt:
                self.doubts.append((self.row_number, column, doubt))
            target = instance
            for name in path[:-1]:
                target = getattr(target, name)
            setattr(target, path[-1], value)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None or id(instance) in self.pending:
            return False
        return self.snapshots.get(id(instance)) == self.snapshot(instance)

    def full_clean_errors(self, instance, exclude):
        """The model's own validation, less the checks that query per row: uniqueness is
        checked on the natural key against the prefetched dict, and the database enforces
        the constraints again on write."""
        # Foreign keys were resolved by the widgets against prefetched rows (with their level
        # checked), so Django's per-row EXISTS query for each of them is skipped; only
        # "required" is checked here.
        errors = {}
        relations = [f for f in instance._meta.concrete_fields if f.is_relation]
        for f in relations:
            if f.name not in exclude and not f.blank and getattr(instance, f.attname) is None:
                errors[f.name] = [f.error_messages["blank"]]
        exclude = [*exclude, *(f.name for f in relations), *AUDIT_FIELDS]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            # A blank cell of a required number or date is None: Django's "这个值不能为 null。"
            # says nothing to a clerk; it is the same "此字段不能为空。" as for text.
            for name, found in exc.error_dict.items():
                if name != NON_FIELD_ERRORS:
                    blank = instance._meta.get_field(name).error_messages["blank"]
                    found[:] = [
                        ValidationError(blank, code="blank") if e.code == "null" else e
                        for e in found
                    ]
            errors = exc.update_error_dict(errors)
        return errors

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        for name, found in self.full_clean_errors(instance, self.clean_exclude(errors)).items():
            errors.setdefault(name, found)
        if not errors:
            errors.update(self.duplicate_errors(instance))
        if not errors:
            errors.update(self.closed_year_errors(instance))
        if errors:
            raise ValidationError(self.errors_by_column(errors))

    def clean_exclude(self, errors):
        return [k.removesuffix("_id") for k in errors]

    def duplicate_errors(self, instance):
        """A second row with the same natural key as an earlier row of the file."""
        key = hash(self.instance_key(instance))  # a hash: kept for the whole file
        line = self.line(self.row_number)
        first = self.seen_keys.setdefault(key, line)  # file lines: kept across chunks
        if first != line:
            return {
                NON_FIELD_ERRORS: [
                    gettext("与第%(line)d行是同一条记录（%(cols)s相同），请删除重复行")
                    % {
                        "line": first,
                        "cols": "、".join(
                            f"“{self.fields[n].column_name}”" for n in self.natural_key
                        ),
                    }
                ]
            }
        return {}

    def errors_by_column(self, errors):
        out = {}
        for name, texts in errors.items():
            column = name if name == NON_FIELD_ERRORS else self.column_of(name)
            if isinstance(texts, ValidationError):
                texts = texts.messages
            out.setdefault(column, []).extend(
                m
                for msg in texts
                for m in (msg.messages if isinstance(msg, ValidationError) else [msg])
            )
        return out

    # -- writing -------------------------------------------------------------------------------

    def prepare(self, instance):
        """Set what the model's save() would derive; bulk writes bypass save()."""

    def save_instance(self, instance, is_create, row, **kwargs):
        if isinstance(instance, Tracked):
            self.stamp(instance, is_create)
        self.prepare(instance)
        if id(instance) in self.pending:
            return
        self.pending.add(id(instance))
        super().save_instance(instance, is_create, row, **kwargs)

    def stamp(self, instance, is_create):
        """Who created and last changed a Tracked record, and when (bulk writes bypass the
        model's own)."""
        now, user = timezone.now(), self.history_user()
        if is_create:
            instance.created_by = instance.created_by or user
            instance.created_at = instance.created_at or now
        elif instance.pk is not None and id(instance) not in self.pending:
            # One more version per import, not per line: a record on several lines (a
            # worker with several spells) is one change, and a new one stays at 0.
            instance.version = (instance.version or 0) + 1
        instance.updated_by = user or instance.updated_by
        instance.updated_at = now

    def history_user(self):
        return self.user if getattr(self.user, "is_authenticated", False) else None

    def history_kwargs(self):
        """How bulk writes keep their history: by the importing user, as 导入, now."""
        return {
            "default_user": self.history_user(),
            "default_change_reason": gettext("导入"),
            "default_date": timezone.now(),
        }

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances:
            return
        try:
            # The database numbers the rows and returns their keys (PostgreSQL; SQLite from
            # 3.35), so the history rows are written in the same transaction.
            bulk_create_with_history(
                self.create_instances,
                self._meta.model,
                batch_size=self._meta.batch_size,
                **self.history_kwargs(),
            )
            self.after_bulk_write(self.create_instances, created=True)
            # Bulk writes send no signals: cached figures of these partnerships must not stay.
            bump_data_version(partnerships=partnerships_of(self.create_instances))
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            for instance in self.create_instances:
                self.pending.discard(id(instance))
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances:
            return
        try:
            # The partnerships the records leave and those they join (read before the update).
            touched = partnerships_of(self.update_instances, stored=True)
            bulk_update_with_history(
                self.update_instances,
                self._meta.model,
                updated_fields(self._meta.model),
                batch_size=UPDATE_BATCH_ROWS,
                **self.history_kwargs(),
            )
            self.after_bulk_write(self.update_instances, created=False)
            bump_data_version(partnerships=touched)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            for instance in self.update_instances:
                self.pending.discard(id(instance))
                self.snapshots[id(instance)] = self.snapshot(instance)
            self.update_instances.clear()

    def forget_chunk(self):
        """Between two chunks of a file (see `run_import`): drop the records of the chunk
        done, which is written; a later chunk loads what it names afresh."""
        self.existing.clear()
        self.snapshots.clear()
        self.stored_years.clear()

    def filled_models(self):
        """The models an import writes, whose tables are analysed after a bulk load."""
        model = self._meta.model
        return [model, model.history.model] if hasattr(model, "history") else [model]

    def after_bulk_write(self, instances, created):
        """Hook: write dependent rows once a batch has its primary keys."""

    def after_import(self, dataset, result, **kwargs):
        """(ModelResource resets sequences here: bulk_create lets the database number rows,
        so there is nothing to reset.)"""

    # -- export ----------------------------------------------------------------------------------

    def get_user_visible_fields(self):
        return self.without_personal(super().get_user_visible_fields())

    def get_export_fields(self, selected_fields=None):
        return self.without_personal(super().get_export_fields(selected_fields))

    def without_personal(self, fields):
        """`fields` less the personal ones, for a user who may not see them."""
        if not self.personal_fields or self.may_see_personal_data():
            return fields
        hidden = {self.fields[n].column_name for n in self.personal_fields}
        return [f for f in fields if f.column_name not in hidden]

    def may_see_personal_data(self):
        return self.user is not None and can_view_personal_data(self.user)


def dataset_skipped(dataset):
    return getattr(dataset, "skipped", (0, []))


def row_counts(result):
    """{'new': n, 'update': n, 'skip': n, 'invalid': n, 'error': n}."""
    return {k: result.totals.get(k, 0) for k in ("new", "update", "skip", "invalid", "error")}
