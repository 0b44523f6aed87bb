import os
from pathlib import Path

import pytest

from tests.e2e.pages import new_page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does it)"
    )
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


class AxeAudit:
    """Runs axe-core (vendored by axe-playwright-python) on every document that the journey's
    pages load, and keeps a readable list of the violations it finds.

    A page's "load" event only raises a flag; the audit runs at the next call the test makes
    on that page (before and after each call), before its context closes, and when the test
    ends. Playwright's sync API is not re-entered from inside its own event handlers, and the
    audit sees the document the person saw before acting on it."""

    # The methods that the audit itself calls, or that only read the page's state.
    UNWRAPPED = {"on", "once", "remove_listener", "is_closed", "evaluate", "wait_for_load_state"}

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.pages = []
        self.audited = []
        self.violations = []

    def watch_browser(self, browser):
        new_context = browser.new_context

        def audited_new_context(*args, **kwargs):
            return self.watch_context(new_context(*args, **kwargs))

        browser.new_context = audited_new_context
        return browser

    def watch_context(self, context):
        new_page, close = context.new_page, context.close

        def audited_new_page(*args, **kwargs):
            return self.watch_page(new_page(*args, **kwargs))

        def audited_close(*args, **kwargs):
            for page in context.pages:
                self.flush(page)
            return close(*args, **kwargs)

        context.new_page, context.close = audited_new_page, audited_close
        return context

    def watch_page(self, page):
        page.axe_pending = False
        page.axe_busy = False
        page.on("load", lambda loaded: setattr(loaded, "axe_pending", True))
        for name in dir(type(page)):
            if name.startswith("_") or name in self.UNWRAPPED:
                continue
            if isinstance(getattr(type(page), name), property):
                continue
            method = getattr(page, name)
            if callable(method):
                setattr(page, name, self._audited(page, method))
        self.pages.append(page)
        return page

    def _audited(self, page, method):
        def call(*args, **kwargs):
            self.flush(page)
            result = method(*args, **kwargs)
            self.flush(page)
            return result

        return call

    def flush(self, page):
        """Audit the page's document if it loaded since the last audit."""
        from playwright.sync_api import Error

        if page.axe_busy or not page.axe_pending or page.is_closed():
            return
        page.axe_busy = True
        try:
            for _attempt in range(2):
                page.axe_pending = False
                try:
                    page.wait_for_load_state("load")
                    results = self.axe.run(page)
                except Error:
                    # The document went away under the audit (a navigation had started): the
                    # next document raises the flag again when it loads.
                    if page.is_closed():
                        return
                    continue
                self.audited.append(page.url)
                if results.violations_count:
                    self.violations.append(f"{page.url}\n{results.generate_report()}")
                return
        finally:
            page.axe_busy = False

    def finish(self):
        for page in self.pages:
            self.flush(page)
        if self.violations:
            raise AssertionError(
                f"axe-core found accessibility violations on {len(self.violations)} of "
                f"{len(self.audited)} pages visited:\n\n" + "\n\n".join(self.violations)
            )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A journey fails on the accessibility violations of any page it visited, as on its own
    assertions (the test body passed when this runs)."""
    result = yield
    audit = getattr(item, "axe_audit", None)
    if audit is not None:
        audit.finish()
    return result


@pytest.fixture
def axe_audit(request):
    audit = AxeAudit()
    request.node.axe_audit = audit
    return audit


@pytest.fixture
def browser(monkeypatch, axe_audit):
    # Playwright's sync API runs an event loop in this thread while it is open; the ORM calls
    # the test makes meanwhile are still synchronous and safe. Function-scoped, so the loop
    # is gone before the next (async) test runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield axe_audit.watch_browser(browser)
        browser.close()


@pytest.fixture
def page(browser):
    context, page = new_page(browser)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def migrated_data(transactional_db):
    """Browser tests use real transactions, and each one flushes the database when it ends,
    taking with it what the data migrations created (home page, site, staff groups)."""
    from tests.content.factories_contrib import ensure_migrated_data

    ensure_migrated_data()


@pytest.fixture
def demo_territory(migrated_data, settings):
    from django.core.management import call_command

    call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
