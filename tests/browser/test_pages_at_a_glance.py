"""Pages an official reads at a glance, in Debian's chromium over the demo data:

- at 390×844 (a phone) no page scrolls sideways, in Chinese and in English; tables scroll
  inside their own box;
- every chart's text boxes (read from the rendered SVG) neither overlap nor leave the SVG;
- axe-core finds no serious or critical violation on the public pages, in both languages,
  nor on the admin's index, change lists, add and change forms and import page;
- screenshots of each page at both sizes go to artifacts/.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from cooperation.models import UserArea
from cooperation.roles import DATA_ENTRY
from projects.models import Project
from tests.browser.conftest import axe_violations
from tests.conftest import PASSWORD

SIZES = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
LANGUAGES = {"zh": "zh-CN", "en": "en-US"}
PUBLIC_PAGES = [
    "/",
    "/summary/",
    "/projects/",
    "/investments/",
    "/consumption/",
    "/donations/",
    "/pairings/",
    "/postings/",
    "/visits/",
    "/job-fairs/",
    "/training/",
    "/factories/",
    "/parks/",
    "/parks/jobs/",
    "/demonstration-villages/",
    "/cadre-trainings/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/projects/project/",
    "/admin/projects/project/add/",
    "/admin/projects/project/{project}/change/",  # the demo's first project
    "/admin/projects/project/import/",
    "/admin/labor/worker/",
    "/admin/labor/worker/add/",
    "/admin/cooperation/pairing/",
    "/admin/cooperation/pairing/add/",
]


@pytest.fixture
def demo(site):
    call_command("load_demo", verbosity=0)
    return site


@pytest.fixture
def clerk_login(demo):
    user = get_user_model().objects.create_user("xiaoli", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=DATA_ENTRY))
    UserArea.objects.create(user=user, region_id="610902")  # 汉滨区
    return user


def _context(chromium, size, language, **extra):
    context = chromium.new_context(
        locale=LANGUAGES[language],
        viewport=SIZES[size],
        extra_http_headers={"Accept-Language": LANGUAGES[language]},
        **extra,
    )
    context.set_default_timeout(30_000)
    return context


def _existing_paths(page, base, paths):
    """The paths of the list that this site serves (a list renamed later is reported)."""
    found = []
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, f"{path}: {response.status}"
        found.append(path)
    return found


def _sideways_overflow(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _slug(path):
    return re.sub(r"[^a-z0-9]+", "-", path.strip("/")) or "dashboard"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_public_page_scrolls_sideways_on_a_phone(chromium, demo, artifacts, language):
    for size in SIZES:
        context = _context(chromium, size, language)
        page = context.new_page()
        overflowing = {}
        for path in _existing_paths(page, demo.url, PUBLIC_PAGES):
            page.goto(demo.url + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(
                path=str(artifacts / f"{_slug(path)}-{size}-{language}.png"), full_page=True
            )
            if size == "phone" and _sideways_overflow(page) > 0:
                overflowing[path] = _sideways_overflow(page)
        context.close()
        assert not overflowing, f"pages wider than a 390 px phone ({language}): {overflowing}"


def _text_boxes(page):
    """The bounding boxes of every text of the SVG document open in the page, and the
    SVG's own box."""
    return page.evaluate(
        """() => {
          const svg = document.querySelector('svg');
          const outer = svg.getBoundingClientRect();
          const boxes = [...svg.querySelectorAll('text')]
            .filter(t => t.textContent.trim() && t.getComputedTextLength() > 0
                         && getComputedStyle(t).display !== 'none'
                         && getComputedStyle(t).visibility !== 'hidden'
                         && getComputedStyle(t).opacity !== '0')
            .map(t => { const b = t.getBoundingClientRect();
                        return {text: t.textContent.trim(), x: b.x, y: b.y,
                                right: b.right, bottom: b.bottom}; });
          return {outer: {x: outer.x, y: outer.y, right: outer.right, bottom: outer.bottom},
                  boxes};
        }"""
    )


def _overlaps(a, b, slack=0.5):
    return (
        a["x"] + slack < b["right"]
        and b["x"] + slack < a["right"]
        and a["y"] + slack < b["bottom"]
        and b["y"] + slack < a["bottom"]
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_chart_texts_neither_overlap_nor_leave_the_chart(chromium, demo, language):
    context = _context(chromium, "laptop", language)
    page = context.new_page()
    page.goto(demo.url + "/")
    sources = page.eval_on_selector_all(
        "img[src*='/charts/']", "imgs => imgs.map(i => i.getAttribute('src'))"
    )
    assert sources, "the dashboard shows no chart"
    problems = []
    for src in sources:
        page.goto(demo.url + src)
        found = _text_boxes(page)
        outer, boxes = found["outer"], found["boxes"]
        for box in boxes:
            if (
                box["x"] < outer["x"] - 0.5
                or box["right"] > outer["right"] + 0.5
                or box["y"] < outer["y"] - 0.5
                or box["bottom"] > outer["bottom"] + 0.5
            ):
                problems.append(f"{src}: “{box['text']}” leaves the chart")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if _overlaps(a, b):
                    problems.append(f"{src}: “{a['text']}” overlaps “{b['text']}”")
    context.close()
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("language", ["zh", "en"])
def test_public_pages_have_no_serious_accessibility_violation(chromium, demo, language):
    context = _context(chromium, "laptop", language, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in PUBLIC_PAGES + ["/accounts/login/"]:
        page.goto(demo.url + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert not found, "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_admin_pages_have_no_serious_accessibility_violation(chromium, demo, clerk_login, language):
    context = _context(chromium, "laptop", language, bypass_csp=True)
    page = context.new_page()
    page.goto(demo.url + "/accounts/login/")
    page.fill("#id_username", "xiaoli")
    page.fill("#id_password", PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(demo.url + "/")
    found = {}
    project = Project.objects.order_by("pk").values_list("pk", flat=True).first()
    for path in (p.format(project=project) for p in ADMIN_PAGES):
        response = page.goto(demo.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert not found, "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_summary_prints_one_a4_page_per_group(chromium, demo, artifacts, language):
    """The summary as the assessment lays it out: chromium's print of /summary/ is one A4
    page for each group of figures, each headed by the group, the scope and the year."""
    context = _context(chromium, "laptop", language)
    page = context.new_page()
    page.goto(demo.url + "/summary/")
    groups = page.locator(".summary-group").count()
    pdf = page.pdf(format="A4", print_background=True)
    context.close()
    (artifacts / f"summary-print-{language}.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert groups >= 5
    assert pages == groups, f"{groups} groups print on {pages} A4 pages"
