"""Reading the user-interface text of a page: headings, labels, buttons, table headers."""

import re
from html.parser import HTMLParser

# Han characters and the full-width punctuation that comes with them.
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e]")
UI_TAGS = {"title", "h1", "h2", "h3", "th", "label", "button", "dt", "legend", "caption"}


class _UIText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open, self.texts, self.in_select = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in UI_TAGS:
            self.open.append(tag)
        self.in_select += tag == "select"

    def handle_endtag(self, tag):
        if tag in UI_TAGS and tag in self.open:
            self.open.remove(tag)
        self.in_select -= tag == "select"

    def handle_data(self, data):
        if self.open and not self.in_select and data.strip():
            self.texts.append(data.strip())


def ui_texts(html):
    """The text inside headings, labels, buttons and table headers (data cells and the
    options of a select left out)."""
    parser = _UIText()
    parser.feed(html)
    return parser.texts


def chinese_in(texts):
    """Texts with Chinese in them, except the language switch's "简体中文" (a language is
    always named in its own language)."""
    return [t for t in texts if CJK.search(t) and t != "简体中文"]
