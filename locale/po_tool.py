"""Fill a gettext catalogue from a dict, or list what is still untranslated.

The .po files are the source of truth; this only saves typing:

    python locale/po_tool.py list locale/en/LC_MESSAGES/django.po > todo.json
    python locale/po_tool.py fill locale/en/LC_MESSAGES/django.po done.json
    python locale/po_tool.py as-is locale/en/LC_MESSAGES/django.po
    python locale/po_tool.py borrow locale/zh_Hans/LC_MESSAGES/django.po <other .po files>

`todo.json` maps every empty or fuzzy msgid to its references; `done.json` maps each
msgid (context + "\\x04" + msgid when it has one) to its translation, or for a plural
entry to the list of its forms. Filling clears the fuzzy flag of the entries it fills and
leaves all others alone.

English msgids come from third-party templates copied into templates/ to be overridden:
`as-is` translates them into themselves (English), `borrow` takes their translation from
the packages' own catalogues (Django's first). `make messages` runs both, then `list`.
"""

import json
import re
import sys
from datetime import date
from pathlib import Path

STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unquote(lines):
    return "".join(
        bytes(m.group(1), "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        for line in lines
        for m in [STRING.search(line)]
        if m
    )


def quote(text):
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def parse(path):
    """Entries as dicts: comments, msgctxt, msgid, msgid_plural, msgstr (list), obsolete."""
    blocks = Path(path).read_text(encoding="utf-8").split("\n\n")
    entries = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        entry = {"comments": [], "fields": {}, "order": [], "raw": block}
        current = None
        for line in lines:
            if line.startswith("#~"):
                entry["obsolete"] = True
                continue
            if line.startswith("#"):
                entry["comments"].append(line)
                continue
            key = line.split(" ", 1)[0]
            if line.startswith('"'):
                entry["fields"][current].append(line)
            else:
                current = key
                entry["order"].append(key)
                entry["fields"][key] = [line[len(key) + 1 :]]
        entries.append(entry)
    return entries


def msgid_of(entry):
    return unquote(entry["fields"].get("msgid", []))


def key_of(entry):
    """The msgid, prefixed by its context and EOT as gettext itself keys messages."""
    if "msgctxt" in entry["fields"]:
        return unquote(entry["fields"]["msgctxt"]) + "\x04" + msgid_of(entry)
    return msgid_of(entry)


def msgstrs_of(entry):
    return [unquote(v) for k, v in entry["fields"].items() if k.startswith("msgstr")]


def needs_work(entry):
    if entry.get("obsolete") or "msgid" not in entry["fields"] or not msgid_of(entry):
        return False
    fuzzy = any(c.startswith("#,") and "fuzzy" in c for c in entry["comments"])
    return fuzzy or not all(msgstrs_of(entry))


def render(entry, translation):
    comments = []
    for c in entry["comments"]:
        if c.startswith("#,"):
            flags = [f.strip() for f in c[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
            if not flags:
                continue
            c = "#, " + ", ".join(flags)
        if c.startswith("#| "):
            continue  # previous msgid of a fuzzy match: meaningless once translated
        comments.append(c)
    out = list(comments)
    for key in entry["order"]:
        if key.startswith("msgstr"):
            continue
        out.append(f"{key} " + "\n".join(entry["fields"][key]))
    if "msgid_plural" in entry["fields"]:
        # As many forms as makemessages wrote (the header's nplurals: 2 in English, 1 in Chinese).
        n = sum(key.startswith("msgstr[") for key in entry["order"])
        forms = translation if isinstance(translation, list) else [translation] * n
        out += [f"msgstr[{i}] {quote(t)}" for i, t in enumerate(forms)]
    else:
        out.append(f"msgstr {quote(translation)}")
    return "\n".join(out)


def header(entry, path):
    """The header without makemessages' fuzzy flag and placeholders, in the catalogue's
    language (taken from the path: locale/<language>/LC_MESSAGES/django.po)."""
    language = path.replace("\\", "/").split("/")[-3]
    raw = entry["raw"].strip("\n").replace("#, fuzzy\n", "")
    raw = raw.replace("# SOME DESCRIPTIVE TITLE.", "# Cooperation tracker: user interface texts.")
    fields = {
        "Project-Id-Version": "cooperation-tracker",
        "PO-Revision-Date": f"{date.today():%Y-%m-%d} 00:00+0800",
        "Last-Translator": "cooperation tracker maintainers",
        "Language-Team": language,
        "Language": language,
    }
    for field, value in fields.items():
        line = f'"{field}: {value}\\n"'
        raw = re.sub(rf'"{field}:.*?(\\n)?"$', lambda m, line=line: line, raw, flags=re.M)
    return raw


CHINESE = re.compile(r"[\u3400-\u9fff]")


def english_as_is(entries):
    """Each untranslated msgid without Chinese, translated into itself (plural: both forms)."""
    found = {}
    for e in entries:
        if needs_work(e) and not CHINESE.search(key_of(e)):
            plural = unquote(e["fields"].get("msgid_plural", []))
            found[key_of(e)] = [msgid_of(e), plural] if plural else msgid_of(e)
    return found


def borrowed(entries, others):
    """Translations of our untranslated msgids found in other catalogues (first one wins)."""
    wanted = {key_of(e) for e in entries if needs_work(e)}
    found = {}
    for other in sorted(others, key=lambda p: "/django/" not in p.replace("\\", "/")):
        for e in parse(other):
            key = key_of(e)
            if key in wanted and key not in found and not needs_work(e) and not e.get("obsolete"):
                forms = msgstrs_of(e)
                found[key] = forms if "msgid_plural" in e["fields"] else forms[0]
    return found


def main():
    command, path = sys.argv[1], sys.argv[2]
    entries = parse(path)
    if command == "list":
        todo = {
            key_of(e): [c[3:] for c in e["comments"] if c.startswith("#: ")]
            for e in entries
            if needs_work(e)
        }
        json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
        print(f"\n{path}: {len(todo)} message(s) untranslated or fuzzy", file=sys.stderr)
        return
    if command == "as-is":
        translations = english_as_is(entries)
    elif command == "borrow":
        translations = borrowed(entries, sys.argv[3:])
    else:
        translations = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
    blocks, filled = [], 0
    for e in entries:
        if "msgid" in e["fields"] and not msgid_of(e) and not e.get("obsolete"):
            blocks.append(header(e, path))
        elif needs_work(e) and key_of(e) in translations:
            blocks.append(render(e, translations[key_of(e)]))
            filled += 1
        else:
            blocks.append(e["raw"].strip("\n"))
    Path(path).write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    left = sum(needs_work(e) for e in parse(path))
    print(f"{path}: filled {filled}, still untranslated or fuzzy {left}", file=sys.stderr)


if __name__ == "__main__":
    main()
