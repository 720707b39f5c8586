"""Read an HTML form the way a browser submits it, so that tests post exactly what a
clerk's browser would post (hidden inputs, selected options, inline management forms)."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (form id, [(name, value) pairs in document order])
        self.inside = False
        self.fields = []
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = True
            self.fields = []
            self.forms.append((attrs.get("id"), self.fields))
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_data(html, form_id=None, having=None):
    """The fields of a form as a dict of lists, ready for `client.post(url, data)`: the
    form with id `form_id`, or the first form with a field named `having`, or the first."""
    reader = _FormReader()
    reader.feed(html)
    for ident, fields in reader.forms:
        names = {name for name, _value in fields}
        if (form_id is None or ident == form_id) and (having is None or having in names):
            data = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            return data
    return {}
