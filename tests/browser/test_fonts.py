"""Chinese text is drawn with a CJK font, not as boxes (tofu): the font the stylesheet asks
for first is installed and used, and CJK glyphs are not the missing-glyph box."""

import pytest

FONT = "Noto Sans CJK SC"

# Font detection by measurement: a string drawn in "<font>, <fallback>" has the same width
# whatever the fallback only when <font> itself is there.
MEASURE = """([font, text]) => {
  const ctx = document.createElement("canvas").getContext("2d");
  const width = (family) => { ctx.font = `32px ${family}`; return ctx.measureText(text).width; };
  return {
    withMonospace: width(`"${font}", monospace`),
    withSerif: width(`"${font}", serif`),
    monospace: width("monospace"),
    serif: width("serif"),
  };
}"""

# The pixels of single characters drawn in the page's own font. A missing glyph is drawn
# as the font's box, the same for every character: "东", "西" and U+0378 (unassigned, never
# in any font) would then give the same pixels.
GLYPHS = """(chars) => {
  const family = getComputedStyle(document.body).fontFamily;
  return chars.map((ch) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 48;
    const ctx = canvas.getContext("2d");
    ctx.font = "40px " + family;
    ctx.fillText(ch, 4, 40);
    return canvas.toDataURL();
  });
}"""


def test_the_stylesheets_cjk_font_is_installed_and_used(browser_page, site):
    page = browser_page
    page.goto(f"{site.url}/accounts/login/")
    assert FONT in page.evaluate("getComputedStyle(document.body).fontFamily")
    widths = page.evaluate(MEASURE, [FONT, "东西部协作 Ab"])
    # The check can tell fonts apart (the two fallbacks differ on "Ab")...
    assert widths["monospace"] != pytest.approx(widths["serif"], abs=0.5)
    # ...and with the CJK font first, the fallback does not matter: the font is there.
    assert widths["withMonospace"] == pytest.approx(widths["withSerif"], abs=0.01)


def test_chinese_is_not_drawn_as_boxes(browser_page, site):
    page = browser_page
    page.goto(f"{site.url}/accounts/login/")
    dong, xi, box = page.evaluate(GLYPHS, ["东", "西", "\u0378"])
    assert dong != box and xi != box
    assert dong != xi
