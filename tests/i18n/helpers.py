"""Reading the user-interface text of a page (headings, labels, buttons, table headers), and
switching a test client's language."""

import re
from html.parser import HTMLParser

from django.urls import reverse

# Han characters and the full-width punctuation that comes with them.
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e]")
# A quoted example of data (“关山镇魏埭村”) in a message: data, not user-interface text.
QUOTED = re.compile(r"“[^”]*”")
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


def switch_to(client, language, next_url="/"):
    """Choose `language` with the site's language switch, as a visitor does."""
    return client.post(reverse("set_language"), {"language": language, "next": next_url})
