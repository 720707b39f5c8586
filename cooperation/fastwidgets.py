"""Select boxes of the list filters, fast at national scale.

A filter form offers every partnership (300) and every western town (over a thousand when
no partnership is chosen). Django renders each <option> through a template and builds each
choice from a model instance: tens of milliseconds per page, more than the list's own
queries. Here the options of a model choice field are read once per data version (cached
under it, so never stale — see cooperation/freshness.py) and written with plain string
joins. Validation is untouched: the field still checks a submitted value against its
queryset.
"""

from __future__ import annotations

import functools
import html

from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_filters import fields as filter_fields

from . import freshness


class FastSelect(forms.Select):
    """A single-choice <select> written without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        options = self.options_html()
        if options is None:  # option groups: Django's own rendering
            return super().render(name, value, attrs, renderer)
        for v in {str(v) for v in self.format_value(value)}:
            # Values are whole attribute values ending in '">', so "1" never marks "10".
            option = f'<option value="{html.escape(v)}"'
            options = options.replace(f"{option}>", f"{option} selected>")
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")

    def options_html(self):
        """The <option>s, none selected, escaped; a model field's from the cache (one per
        queryset, language and data version), None when the choices have groups."""
        if isinstance(self.choices, ModelChoiceIterator):
            key = queryset_key(self.choices.field, self.choices.queryset)
            if key is None:  # e.g. filtered on a key beyond 64 bits: no rows at all
                return _options_html(_as_text(self.choices))
            # The empty choice's label is the field's own ("全部", "---------"): two fields
            # over the same rows must not share it.
            empty = self.choices.field.empty_label
            return freshness.cached(
                "options",
                self.choices.queryset.model._meta.label_lower,
                key,
                "-" if empty is None else hash(str(empty)),
                compute=lambda: _options_html(_as_text(self.choices)),
            )
        return _static_options_html(self.choices)


def queryset_key(field, queryset=None):
    """What identifies the choices of a model choice field: which rows in which order (the
    SQL of their keys: a third of the cost of compiling the whole SELECT), the annotations a
    label might use, how labels are written and the field values are keyed on; worked out
    once per field and queryset. None when the queryset can match nothing."""
    queryset = field.queryset if queryset is None else queryset
    memo = field.__dict__.get("_fast_key")
    if memo is not None and memo[0] is queryset:
        return memo[1]
    try:
        sql, params = queryset.values_list("pk").query.sql_with_params()
        key = hash(
            (
                sql,
                tuple(map(str, params)),
                tuple(queryset.query.annotations),
                getattr(field.label_from_instance, "__qualname__", ""),
                field.to_field_name,
            )
        )
    except EmptyResultSet:
        key = None
    field._fast_key = (queryset, key)
    return key


NOT_A_CHOICE = ("not a choice",)


class CachedChoiceLookup:
    """A model choice field that finds the chosen record in the cache (one entry per
    queryset, value and data version) instead of querying for it on every request. A
    value that is not a choice still gets the field's own error, exactly as before."""

    def to_python(self, value):
        # Only plain keys (ids, region codes) go into cache keys; anything else as before.
        if not (isinstance(value, str) and value.isascii() and value.isalnum()):
            return super().to_python(value)
        if len(value) > 40 or (key := queryset_key(self)) is None:
            return super().to_python(value)
        found = freshness.cached(
            "choice",
            self.queryset.model._meta.label_lower,
            key,
            value,
            compute=lambda: self._lookup(value),
        )
        if found == NOT_A_CHOICE:
            return super().to_python(value)  # raises the field's own error
        return found

    def _lookup(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            return NOT_A_CHOICE


def _as_text(choices):
    out = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            return None
        out.append(("" if value is None else str(value), str(label)))
    return tuple(out)


_STATIC_OPTIONS = {}
_NO_OPTIONS = object()


def _static_options_html(choices):
    """`_options_html(_as_text(choices))`, remembered per language for choices whose labels
    are all translatable constants (gettext_lazy: statuses, categories, 是): each label is
    translated once per language and process instead of on every request. The memo holds
    the label objects themselves and checks them by identity, so it never mixes up two
    lists; labels read from the database (towns) are written as before."""
    choices = list(choices)
    labels = [label for _, label in choices]
    if not labels or not all(isinstance(label, Promise) for label in labels):
        return _options_html(_as_text(choices))
    try:
        key = (get_language(), tuple((value, id(label)) for value, label in choices))
        hit = _STATIC_OPTIONS.get(key)
    except TypeError:  # a value that cannot be hashed
        return _options_html(_as_text(choices))
    if hit is not None and all(a is b for a, b in zip(hit[0], labels, strict=True)):
        return None if hit[1] is _NO_OPTIONS else hit[1]
    html = _options_html(_as_text(choices))
    if len(_STATIC_OPTIONS) >= 256:
        _STATIC_OPTIONS.clear()
    _STATIC_OPTIONS[key] = (labels, _NO_OPTIONS if html is None else html)
    return html


@functools.lru_cache(maxsize=1024)
def _options_html(choices):
    """The options of [(value, label), …] text pairs (None for option groups) as HTML, each
    value and label escaped; remembered by the pairs themselves, so never out of date."""
    if choices is None:
        return None
    return "".join(
        f'<option value="{html.escape(v)}">{html.escape(label)}</option>' for v, label in choices
    )


class FastInputMixin:
    """An <input> written as Django's input.html and attrs.html templates write it, without
    rendering the two templates (each value escaped as the templates' autoescape does)."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = [
            f'<input type="{conditional_escape(self.input_type)}" name="{conditional_escape(name)}"'
        ]
        if value is not None:
            parts.append(f' value="{conditional_escape(value)}"')
        for key, val in final_attrs.items():
            if val is True:
                parts.append(f" {conditional_escape(key)}")
            elif val is not False:
                parts.append(f' {conditional_escape(key)}="{conditional_escape(val)}"')
        parts.append(">")
        return mark_safe("".join(parts))


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


class FastModelChoiceField(CachedChoiceLookup, forms.ModelChoiceField):
    pass


class FastFilterModelChoiceField(CachedChoiceLookup, filter_fields.ModelChoiceField):
    pass


FAST = {
    forms.Select: FastSelect,
    forms.TextInput: FastTextInput,
    forms.NumberInput: FastNumberInput,
}
FAST_FIELDS = {
    forms.ModelChoiceField: FastModelChoiceField,
    filter_fields.ModelChoiceField: FastFilterModelChoiceField,
}


def speed_up(form):
    """Give a form's plain <select> boxes and text and number inputs the fast rendering, and
    its model choice fields the cached lookup (in place, before validation; returns the
    form)."""
    built_once = getattr(type(form), "_built_once", False)
    for name, field in form.fields.items():
        if built_once and isinstance(field, forms.ModelChoiceField):
            # The field is a copy of the class's own, its queryset a clone of that one's:
            # the same key, worked out once per process instead of compiled per request.
            base = form.base_fields.get(name)
            if base is not None and base is not field and base.queryset is not None:
                field._fast_key = (field.queryset, queryset_key(base))
        fast = FAST.get(type(field.widget))
        if fast is not None:
            field.widget.__class__ = fast
        fast = FAST_FIELDS.get(type(field))
        if fast is not None:
            field.__class__ = fast
    return form


class OneFormClass:
    """For a FilterSet whose filters are the same on every request (no per-request querysets
    or fields): its form class is built once per FilterSet class instead of per request
    (django-filter makes a new class, and a new field per filter, every time). Labels are
    lazy, so translated when shown; each form still gets its own deep copies of the fields."""

    def get_form_class(self):
        form_class = type(self).__dict__.get("_one_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class._built_once = True  # see speed_up
            type(self)._one_form_class = form_class
        return form_class
