"""The widgets of every import and export column."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from cooperation.models import Region

from .cells import (
    cell_text,
    comparable,
    doubt_about_wan,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_year,
)
from .files import is_blank


class BoundWidget(widgets.Widget):
    """A widget that can ask its resource (the import in progress) for shared lookups."""

    resource = None

    def bind(self, resource):
        self.resource = resource


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class PersonNameWidget(TextWidget):
    """A person's name: a Chinese name loses every space inside it (张　三, 张 三 → 张三, as
    ledgers pad two-character names); other names keep single spaces."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return "".join(text.split())
        return " ".join(text.split())


class IdTextWidget(TextWidget):
    """Codes and ID numbers: always text, never a number (Excel would print 6.1E+17)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            self.stored_as_number(f"{value:.6g}")
        return cell_text(value)

    @staticmethod
    def stored_as_number(shown):
        """Refuse a cell that Excel turned into a number (`shown` as the file has it)."""
        raise ValueError(
            gettext("被 Excel 存成了数字（%(v)s），末几位可能已丢失，请把该列设为文本后重新填写")
            % {"v": shown}
        )


class DecimalWidget(widgets.Widget):
    def __init__(self, unit="万元", places=4, what=None, **kwargs):
        super().__init__(**kwargs)
        self.unit, self.places, self.what = unit, places, what

    def clean(self, value, row=None, **kwargs):
        return parse_decimal(value, unit=self.unit, places=self.places, what=self.what)

    def doubt(self, value, cleaned):
        """A question for the clerk about a value that reads but looks wrong, or None."""
        return doubt_about_wan(value, cleaned) if self.unit == "万元" else None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        # 1234.5000 → "1234.50": two decimals at least, more only when they carry yuan.
        two = value.quantize(Decimal("0.01"))
        return f"{two:f}" if two == value else f"{value.normalize():f}"


class IntegerWidget(widgets.Widget):
    def __init__(self, what=None, **kwargs):
        super().__init__(**kwargs)
        self.what = what

    def clean(self, value, row=None, **kwargs):
        return parse_integer(value, what=self.what)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class YearWidget(IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        return parse_year(value)


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()


class BooleanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_bool(value)

    def render(self, value, obj=None, **kwargs):
        return gettext("是") if value else gettext("否")


class ChoiceWidget(widgets.Widget):
    """A choice by its Chinese label (as exported) or by its stored value."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def _lookup(self):
        """Label (in every language of the site, the default one first) or stored value →
        stored value. Built once per widget, whatever language the request that first needs
        it speaks: a table built in English refused the Chinese labels of every later file."""
        if getattr(self, "_table", None) is None:
            table = {}
            codes = [settings.LANGUAGE_CODE] + [c for c, _n in settings.LANGUAGES]
            for code in dict.fromkeys(codes):
                with translation.override(code):
                    for value, label in self.choices:
                        table.setdefault(comparable(label), value)
            for value, _label in self.choices:
                table[comparable(value)] = value
            self._table = table
        return self._table

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        table = self._lookup()
        found = table.get(value) if isinstance(value, str) else None
        if found is None:
            found = table.get(comparable(value))
        if found is None:
            labels = "、".join(str(label) for _v, label in self.choices)
            raise ValueError(
                gettext("'%(v)s' 不是可选的值（可选：%(labels)s）") % {"v": value, "labels": labels}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class PartnershipWidget(BoundWidget):
    """ "武进区—汉滨区" (as exported), or the name of either county when that is unambiguous.
    A blank cell means the only partnership when there is just one."""

    def clean(self, value, row=None, **kwargs):
        return self.resource.partnership_of(value)


class RegionWidget(BoundWidget):
    """A region by official code or by name, within the row's partnership's western county
    (`scope="west"`), within the town given in another column (`town_column`), or anywhere
    (`scope=None`)."""

    def __init__(self, level=None, scope="west", town_column=None, what=None, **kwargs):
        super().__init__(**kwargs)
        self.level, self.scope, self.town_column, self.what = level, scope, town_column, what

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        within = None
        if self.scope == "west":
            partnership = self.resource.row_partnership(row)
            within = partnership.west_region_id if partnership else None
            if self.town_column and row and not is_blank(row.get(self.town_column)):
                try:
                    town = self.resource.regions.find(
                        row[self.town_column], level=Region.Level.TOWN, within=within, what=""
                    )
                    within = town.code
                except ValueError:
                    pass  # the town column reports its own error
        return self.resource.regions.find(
            value, level=self.level, within=within, what=self.what or _("地区")
        )

    def render(self, value, obj=None, **kwargs):
        """The place in a form that names it alone (see `RegionIndex.unique_name`)."""
        if value is None:
            return ""
        if self.resource is None:
            return value.short_name
        return self.resource.regions.unique_name(self.resource.regions.get(value.code))


class LookupWidget(BoundWidget):
    """A record named in a cell, found by the resource's method `lookup(text, row)` in what it
    prefetched for the import."""

    def __init__(self, lookup, **kwargs):
        super().__init__(**kwargs)
        self.lookup = lookup

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        return getattr(self.resource, self.lookup)(cell_text(value), row)


def field(attribute, label, widget=None, **kwargs):
    """A resource field whose column is the model field's verbose name (what export writes).

    Spreadsheet columns are always titled in the site's default language (Chinese): the title
    is fixed when the resource class is built, which may happen first inside a request of any
    language, and a file must import in every process the same way."""
    with translation.override(settings.LANGUAGE_CODE):
        column_name = str(label)
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=widget or TextWidget(), **kwargs
    )


def model_field(model, name, widget=None, attribute=None, **kwargs):
    """A resource field for `model.name`, its column titled with the verbose name."""
    f = model._meta.get_field(name)
    if widget is None:
        widget = widget_for(f)
    if f.has_default() and not f.null:
        kwargs["default"] = f.default  # a blank cell means the field's default (0 for amounts)
    elif f.blank and not f.null and f.get_internal_type() in ("CharField", "TextField"):
        kwargs["default"] = ""
    return field(attribute or name, f.verbose_name, widget, **kwargs)


def widget_for(f):
    if f.choices:
        return ChoiceWidget(f.choices)
    if isinstance(f, models.DecimalField):
        with translation.override(settings.LANGUAGE_CODE):  # the unit is in the Chinese title
            title = str(f.verbose_name)
        unit = "元" if "元" in title and "万元" not in title else "万元"
        return DecimalWidget(unit=unit, places=f.decimal_places)
    if isinstance(f, models.BooleanField):
        return BooleanWidget()
    if isinstance(f, models.IntegerField):
        return YearWidget() if f.name.endswith("year") else IntegerWidget()
    if isinstance(f, models.DateField):
        return DateWidget()
    return TextWidget()
