"""Generic list machinery.

A `ListSpec` declares one list: its base queryset, its FilterSet, its columns (the same for
the page and for the export), the sort whitelist (the sortable columns), the footer totals
and who may see it. The page and the CSV/XLSX export are both produced from the spec with the
same FilterSet and the same ordering, so an export holds exactly the rows and columns of the
page, and the footer totals are those of the filtered rows.

The page is written by templates/cooperation/list.html and its partials in
templates/cooperation/list/; here the view only works out what they show (cells as text,
headers with their sort links, totals). Queries per page are fixed whatever the data size:
the filter form's choice lists, one aggregate for the footer (which also gives the row count
to the paginator, and the spec's `rates`), one query for the page's rows (`values_list`, never model instances),
plus the spec's `extras` if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.db import transaction
from django.db.models import Case, CharField, Count, Sum, Value, When
from django.db.models.functions import Coalesce, Concat
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, register_converter, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation import areas, freshness
from cooperation.dashboard.indicators import percent, period_name
from cooperation.lists import background, exports
from cooperation.lists.columns import (
    BOOL,
    DATE,
    DECIMAL,
    DEFAULT_UNIT,
    INT,
    MONEY,
    Total,
    format_value,
)
from cooperation.lists.export_limit import limit_exports
from cooperation.lists.exports import exact_money, safe_filename
from cooperation.lists.filters import western_towns
from cooperation.models import ExportAudit, Region
from cooperation.querysets import short_region_name_sql


class ExportFormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormatConverter, "exportformat")


class SortForm(forms.Form):
    sort = forms.ChoiceField(required=False, label=_("排序"))

    def __init__(self, data, columns):
        super().__init__(data)
        keys = [c.key for c in columns if c.sortable]
        self.fields["sort"].choices = (
            [("", "")] + [(k, k) for k in keys] + [(f"-{k}", f"-{k}") for k in keys]
        )
        self.fields["sort"].error_messages["invalid_choice"] = _(
            "未知的排序方式“%(value)s”，请点击列标题排序。"
        )


class CountedPaginator(Paginator):
    """A paginator told the row count by the footer's aggregate (no COUNT query of its own)."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


# The lists that need a permission (staff lists of personal data), whichever app declares them.
PERMISSION_LISTS = []


def needs_permission_missing(user):
    """A test of a URL: does it open a list that needs a permission the user lacks (so that its
    link leads to the login page, and the page should say so)?"""
    paths = {spec.url_path(): spec for spec in PERMISSION_LISTS}

    def test(url):
        spec = paths.get((url or "").split("?")[0])
        return spec is not None and not user.has_perm(spec.permission)

    return test


class ListSpec:
    """One list: page at `route`, exports at `route + "export.csv"` / `"export.xlsx"`."""

    template_name = "cooperation/list.html"

    def __init__(
        self,
        *,
        name,
        title,
        queryset,
        filterset_class,
        columns,
        default_sort,
        description="",
        unit=None,
        permission=None,
        personal=False,
        extras=None,
        rates=(),
    ):
        self.name = name  # URL name inside its app, e.g. "pairings"
        self.title = title
        self.queryset = queryset  # callable: a new queryset per request
        self.filterset_class = filterset_class
        self.columns = columns
        self.default_sort = default_sort
        self.description = description
        self.unit = unit if unit is not None else DEFAULT_UNIT
        self.permission = permission
        self.personal = personal
        self.extras = extras  # callable(queryset, cleaned_data) -> [Total, …]
        self.rates = rates  # [Rate, …]: percentages of two aggregates, in the same aggregate
        self.namespace = None
        if permission is not None:
            PERMISSION_LISTS.append(self)
        background.EXPORTS.append(self)

    # --- URLs --------------------------------------------------------------------------------

    def urls(self, route):
        return [
            path(route, self.page_view, name=self.name),
            path(
                f"{route}export.<exportformat:fmt>",
                limit_exports(self.export_view),
                name=f"{self.name}_export",
            ),
        ]

    @property
    def url_name(self):
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    def url_path(self):
        return reverse(self.url_name)

    def export_url(self, fmt):
        return reverse(f"{self.url_name}_export", kwargs={"fmt": fmt})

    # --- queries -----------------------------------------------------------------------------

    def check_access(self, request):
        """None when allowed; otherwise the response to send (login redirect) or a 403."""
        if self.permission is None:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return None

    def bind(self, request):
        """(filterset, sort_form, ordered queryset or None when the input is bad)."""
        data = request.GET.copy()
        data.pop("page", None)
        data.pop("full", None)
        queryset = self.queryset()
        if self.permission is not None:
            # A staff list (and its exports) holds only the records of the user's areas.
            queryset = areas.scope(queryset, request.user)
        filterset = self.filterset_class(data or None, queryset=queryset, request=request)
        offer_towns(filterset.form, data.get("partnership"))
        sort_form = SortForm(data, self.columns)
        filters_ok = not filterset.is_bound or filterset.is_valid()
        if not (filters_ok & sort_form.is_valid()):
            return filterset, sort_form, None
        sort = sort_form.cleaned_data["sort"]
        order = [sort] if sort else list(self.default_sort)
        return filterset, sort_form, filterset.qs.order_by(*order, "pk")

    def totals(self, qs, cleaned_data):
        """The footer: row count and the sum of every `total` column, in one aggregate."""
        # Aliases differ from the column keys: an alias equal to an annotation's name (say
        # "total") would shadow the annotation inside its own Sum().
        # A sum over no rows is NULL: read as zero below.
        sums = {f"sum__{c.key}": Sum(c.key) for c in self.columns if c.total}
        for rate in self.rates:
            sums[f"part__{rate.key}"], sums[f"whole__{rate.key}"] = rate.part, rate.whole
        row = qs.order_by().aggregate(count__rows=Count("pk"), **sums)
        for c in self.columns:
            if c.total and row[f"sum__{c.key}"] is None:
                row[f"sum__{c.key}"] = 0 if c.kind == INT else Decimal(0)
        label = gettext("记录数（%(unit)s）") % {"unit": self.unit}
        totals = [Total("rows", label, row["count__rows"])]
        totals += [
            Total(c.key, c.label, row[f"sum__{c.key}"], c.kind, c.places)
            for c in self.columns
            if c.total
        ]
        totals += [
            Total(
                r.key, r.label, percent(row[f"part__{r.key}"], row[f"whole__{r.key}"]), DECIMAL, 1
            )
            for r in self.rates
        ]
        if self.extras is not None:
            totals += self.extras(qs, cleaned_data)
        return totals

    @cached_property
    def choice_labels(self):
        """Display labels of choice columns, by key (resolved through the model's fields)."""
        labels = {}
        model = self.queryset().model
        for col in self.columns:
            field = _field_at(model, col.key)
            if field is not None and field.choices:
                labels[col.key] = dict(field.flatchoices)
        return labels

    def converters(self, *, unmasked=False):
        """Per column, raw database value → value shown (choice label, masked, 是/否)."""
        convs = []
        for col in self.columns:
            labels = self.choice_labels.get(col.key)
            if labels is not None:
                texts = {k: str(v) for k, v in labels.items()}  # in the request's language
                convs.append(lambda v, texts=texts: texts.get(v, v) if v is not None else "")
            elif col.mask is not None and not unmasked:
                convs.append(col.mask)
            elif col.kind == MONEY:
                convs.append(exact_money)
            elif col.kind == BOOL:
                yes, no = gettext("是"), gettext("否")
                convs.append(lambda v, yes=yes, no=no: "" if v is None else (yes if v else no))
            else:
                convs.append(None)
        return convs

    def screen_rows(self, qs):
        """The rows of a (sliced) ordered queryset as shown on screen: lists of `Cell`s."""
        texts = [
            _cell_text(convert, col)
            for col, convert in zip(self.columns, self.converters(), strict=True)
        ]
        classes = [_cell_class(col) for col in self.columns]
        keys = [c.key for c in self.columns]
        return [
            [Cell(text(v), css) for text, css, v in zip(texts, classes, row, strict=True)]
            for row in qs.values_list(*keys)
        ]

    def stream_rows(self, qs, *, unmasked=False):
        """All rows, a chunk at a time through a server-side cursor (PostgreSQL) inside a
        transaction, so memory stays flat whatever the number of rows."""
        # Choice labels are resolved now, in the request's language, not while streaming.
        convs = self.converters(unmasked=unmasked)
        keys = [c.key for c in self.columns]

        def generate():
            with transaction.atomic(using=qs.db):
                for row in qs.values_list(*keys).iterator(chunk_size=2000):
                    yield [v if c is None else c(v) for c, v in zip(convs, row, strict=True)]

        return generate()

    # --- views -------------------------------------------------------------------------------

    def page_view(self, request):
        denied = self.check_access(request)
        if denied is not None:
            return denied
        filterset, sort_form, qs = self.bind(request)
        context = {
            "spec": self,
            "title": self.title,
            "form": filterset.form,
            "sort_errors": sort_form.errors.get("sort"),
            "current_sort": sort_form.cleaned_data.get("sort", "")
            if hasattr(sort_form, "cleaned_data")
            else "",
            "headers": self.headers(request, sort_form),
            "query": _query_without(request, "page", "full"),
            "filter_cache": _filter_cache_key(request),
            "csv_url": self.export_url("csv"),
            "xlsx_url": self.export_url("xlsx"),
            "full_query": self.full_export_query(request),
        }
        if qs is None:
            context.update(rows=[], totals=[], footer=[], page=None, bad_input=True)
            return render(request, self.template_name, context, status=400)
        cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
        if filterset.period() is not None:
            context["period"] = period_name(cleaned["year"], cleaned["since"])
        totals = self.totals(qs, cleaned)
        paginator = CountedPaginator(qs, _page_size(), totals[0].value)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage:
            raise Http404(gettext("没有这一页。")) from None
        rows = self.screen_rows(page.object_list)
        page.object_list = rows  # already read: len(page) must not query again
        context.update(
            rows=rows,
            totals=totals,
            footer=footer_cells(self.columns, totals, self.unit),
            page=page,
            bad_input=False,
        )
        return render(request, self.template_name, context)

    def export_view(self, request, fmt):
        denied = self.check_access(request)
        if denied is not None:
            return denied
        filterset, sort_form, qs = self.bind(request)
        if qs is None:
            form = filterset.form
            errors = [
                gettext("%(label)s：%(error)s")
                % {
                    "label": form.fields[name].label if name in form.fields else name,
                    "error": error,
                }
                for name, errs in filterset.errors.items()
                for error in errs
            ]
            errors += [str(e) for e in sort_form.errors.get("sort", [])]
            return HttpResponseBadRequest(
                "\n".join(errors), content_type="text/plain; charset=utf-8"
            )
        unmasked = bool(self.personal and request.GET.get("full") == "1")
        cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
        # The page's footer (one aggregate in the database) is the XLSX file's last row.
        has_totals = fmt == "xlsx" and any(c.total for c in self.columns)
        totals = self.totals(qs, cleaned) if has_totals else None
        if self.personal or request.user.is_authenticated:
            count = totals[0].value if totals else qs.order_by().count()
            if background.wanted(request, fmt, count):
                job = background.start(request, self.title, count)
                return redirect("cooperation:export_job", pk=job.pk)
            # Written before streaming starts, so a broken download still leaves its trace.
            ExportAudit.objects.create(
                user=request.user if request.user.is_authenticated else None,
                username=request.user.get_username() if request.user.is_authenticated else "",
                list_name=self.url_name,
                query_string=_query_without(request, "page"),
                format=fmt,
                rows=count,
                personal_data=self.personal,
            )
        headers = [str(c.label) for c in self.columns]
        filename = export_filename(self.title, filterset.form, cleaned, personal=self.personal)
        rows = self.stream_rows(qs, unmasked=unmasked)
        if fmt == "csv":
            return exports.csv_response(filename, headers, rows)
        return exports.xlsx_response(
            filename,
            str(self.title),
            headers,
            rows,
            layout=[exports.xlsx_column(c.kind, c.places) for c in self.columns],
            totals=self.totals_row(totals),
        )

    def totals_row(self, totals):
        """The footer as an export's last row: its label (合计 and the row count) in the
        first cell, each column's total under it (amounts to their 4 stored places); None
        without totals."""
        if totals is None:
            return None
        by_key = {t.key: t for t in totals}
        row = [
            (exact_money(by_key[c.key].value) if c.kind == MONEY else by_key[c.key].value)
            if c.total
            else None
            for c in self.columns
        ]
        row[0] = footer_cells(self.columns, totals, self.unit)[0].text
        return row

    def full_export_query(self, request):
        """The query of the export links with full ID numbers (`full=1`), for those allowed
        to see them; "" for everyone else and for lists without personal data."""
        if not (self.personal and self.permission and request.user.has_perm(self.permission)):
            return ""
        return "&".join(p for p in (_query_without(request, "page", "full"), "full=1") if p)

    def headers(self, request, sort_form):
        """Column headers with sort links (click again to reverse)."""
        current = sort_form.data.get("sort", "") if sort_form.is_bound else ""
        query = _query_without(request, "page", "sort")
        out = []
        for col in self.columns:
            header = {"label": col.label, "numeric": col.numeric, "url": None, "arrow": ""}
            if col.sortable:
                target = f"-{col.key}" if current == col.key else col.key
                header["url"] = "?" + "&".join(p for p in (query, f"sort={target}") if p)
                header["arrow"] = (
                    "▲" if current == col.key else "▼" if current == f"-{col.key}" else ""
                )
            out.append(header)
        return out


SCOPE_FILTERS = ("partnership", "year", "since", "month", "town")


def export_filename(title, form, cleaned, *, personal=False):
    """An export's file name: the list, then the partnership, year or period, month and town
    chosen, then the other filters as their labels (协作资金项目_武进区—汉滨区_2021年_恒口镇_在建,
    …_2019—2021年累计_…).
    Text searched for is left out of lists of personal data: it may be a name or an ID
    number, which a masked export must not carry in its name."""
    parts = [title]
    if cleaned.get("partnership"):
        parts.append(str(cleaned["partnership"]))
    if cleaned.get("year") is not None:
        parts.append(period_name(cleaned["year"], cleaned.get("since")))
    if cleaned.get("month") is not None:
        parts.append(gettext("%(month)s月") % {"month": cleaned["month"]})
    if cleaned.get("town"):
        parts.append(_town_name(form.fields["town"], cleaned["town"]))
    for name, field in form.fields.items():
        if name not in SCOPE_FILTERS and name != "o":  # o: the ordering, not a filter
            parts.append(_filter_text(field, cleaned.get(name), personal))
    return safe_filename(parts)


def _town_name(field, value):
    """The name of the town filtered on: a Region, or a 9-digit code read from the town
    drop-down when there is one (no query), else from the database."""
    if not isinstance(value, str):
        return str(value)
    name = dict(getattr(field.widget, "choices", ())).get(value)
    if name is None:
        name = Region.objects.filter(code=value).values_list("name", flat=True).first()
    return name or value


def _filter_text(field, value, personal):
    """A filter's value as a file-name part ("" when not used): a choice's label (a yes/no
    question by its own label), a flag's label, text searched for in quotes."""
    if value is None or value is False or value in ("", [], ()):
        return ""
    label = str(field.label)
    if isinstance(field, forms.BooleanField):
        return label
    if isinstance(field, forms.ModelChoiceField):
        values = value if isinstance(field, forms.ModelMultipleChoiceField) else [value]
        return "、".join(str(v) for v in values)
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): str(v) for k, v in field.choices if k not in ("", None)}
        values = value if isinstance(value, list | tuple) else [value]
        texts = [labels.get(str(v), str(v)) for v in values]
        yes, no = gettext("是"), gettext("否")
        if set(labels.values()) <= {yes, no}:  # 稳定就业, or 稳定就业：否
            if texts == [yes]:
                return label
            return gettext("%(label)s：%(error)s") % {"label": label, "error": "、".join(texts)}
        return "、".join(texts)
    if isinstance(field, forms.CharField):
        return "" if personal else f"{label}“{value}”"
    return f"{label}{value}"


@dataclass
class Cell:
    """A cell of the table as shown: its text and its class ("num": a figure, aligned
    right; "date"; "" for text)."""

    text: str
    css_class: str = ""


def _cell_class(column):
    return "num" if column.numeric else "date" if column.kind == DATE else ""


def _cell_text(convert, column):
    """raw database value → text of a cell: the column's converter (choice label, mask,
    是/否), then `format_value` (numbers grouped, dates ISO)."""
    if convert is None:
        return lambda v: format_value(v, column.kind, column.places)
    return lambda v: format_value(convert(v), column.kind, column.places)


def footer_cells(columns, totals, unit):
    """The footer row: the row count in the first cell, column sums under their columns."""
    by_key = {t.key: t for t in totals}
    cells = []
    for i, col in enumerate(columns):
        if i == 0:
            label = gettext("合计（%(n)s %(unit)s）") % {"n": totals[0].display, "unit": unit}
            cells.append(Cell(label))
        elif col.total:
            cells.append(Cell(by_key[col.key].display, "num"))
        else:
            cells.append(Cell(""))
    return cells


def with_place(queryset):
    """Annotate `place`: town and village names, then a place written as text (非标准地名)."""
    return queryset.annotate(
        place=Concat(
            Coalesce("town__name", Value("")),
            Coalesce(short_region_name_sql("village__name"), Value("")),
            Case(When(place_text="", then=Value("")), default=Concat(Value(" "), "place_text")),
            output_field=CharField(),
        )
    )


def _field_at(model, key):
    """The model field a `values()` path ends on, or None (an annotation)."""
    field = None
    for part in key.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field


def _filter_cache_key(request):
    """What the filter form's HTML depends on: the list, its filter values, and the choices
    it offers (partnerships and towns: records of no partnership, the global version). The
    form is then rendered once per filter and version (`{% cache %}` in list.html), not
    for every request; None (no cache) for a long query string, so junk cannot flood it."""
    query = _query_without(request, "page", "full")
    if len(query) > 512:
        return None
    return f"{request.path}?{query}|{freshness.scope_version(())}"


def _query_without(request, *names):
    data = request.GET.copy()
    for name in names:
        data.pop(name, None)
    return data.urlencode()


def _page_size():
    return getattr(settings, "LIST_PAGE_SIZE", 50)


TOWN_CHOICES_MAX = 200


def offer_towns(form, partnership_id):
    """Show a town filter typed as a 9-digit code as a drop-down of the western county's
    towns: those of the chosen partnership, or of all partnerships while they are few."""
    field = form.fields.get("town")
    if field is None or not isinstance(field.widget, forms.TextInput):
        return
    raw = str(partnership_id or "")
    pid = int(raw) if raw.isascii() and raw.isdecimal() and len(raw) <= 18 else None
    towns = list(western_towns(pid).values_list("code", "name")[: TOWN_CHOICES_MAX + 1])
    if not towns or len(towns) > TOWN_CHOICES_MAX:
        return
    field.widget = forms.Select(choices=[("", gettext("全部")), *towns])
