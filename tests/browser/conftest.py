"""Playwright driving Debian's chromium (never a downloaded browser) against pytest-django's
live server. Skipped, with the reason, when no chromium is installed."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# beside a running loop unless told it is safe (it is: the loop belongs to Playwright).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
BROWSER_TEST_SECONDS = 600


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # A page that never answers fails its test instead of stalling the run.
            item.add_marker(pytest.mark.timeout(BROWSER_TEST_SECONDS))


@pytest.fixture(scope="session")
def chromium():
    if CHROMIUM is None:
        pytest.skip(
            "browser tests need Debian's chromium on PATH "
            "(apt-get install chromium fonts-noto-cjk; .ci/run installs them)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server over a database that holds what migrations and the session's setup
    would (a transactional test empties every table when it ends): regions and roles."""
    from cooperation.regions import load_regions
    from cooperation.roles import sync_role_permissions

    load_regions()
    sync_role_permissions()
    return live_server


@pytest.fixture
def browser_page(chromium, site):
    """A fresh browser context (no cookies) in Chinese; CSP violations are collected on
    `page.csp_violations`."""
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(f"{page.url}: {message.text[:160]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


SERIOUS = {"serious", "critical"}


def axe_violations(page):
    """The serious and critical violations axe-core finds on the page (its CSP bypassed)."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("networkidle")  # the admin's widgets are set up after load
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])}× e.g. {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
